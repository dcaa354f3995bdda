//! The catalogue: data categories and organizations' purposes with their approved lists.
//!
//! Art. 6 and 11(3) split personal data into publicly available and restricted; biometric
//! data (Art. 1 p.1) are restricted data with stricter handling. Art. 25(2)(1) obliges the
//! owner or operator to approve the list of personal data necessary and sufficient for each
//! purpose; Art. 7(9) forbids collecting beyond it; Art. 12(2) sets the storage term.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Error, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// Publicly available personal data (Art. 6).
    Public,
    /// Personal data of restricted access (Art. 1 p.12, 11(3)).
    Restricted,
    /// Biometric data (Art. 1 p.1): restricted, and never without an explicit consent.
    Biometric,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Public => "public",
            Sensitivity::Restricted => "restricted",
            Sensitivity::Biometric => "biometric",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Sensitivity::Public),
            "restricted" => Some(Sensitivity::Restricted),
            "biometric" => Some(Sensitivity::Biometric),
            _ => None,
        }
    }
}

fn valid_slug(s: &str) -> bool {
    let b = s.as_bytes();
    (2..=64).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'.')
}

macro_rules! slug_type {
    ($name:ident, $code:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ToSchema)]
        #[schema(value_type = String, pattern = "^[a-z][a-z0-9_.]{1,63}$")]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, Error> {
                if valid_slug(s) {
                    Ok($name(s.to_owned()))
                } else {
                    Err(Error::new($code))
                }
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(|e| serde::de::Error::custom(e.code.as_str()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_type!(
    CategoryCode,
    ErrorCode::InvalidCategoryCode,
    "Code of a data category, e.g. `full_name`, `phone`, `biometric.face`."
);
slug_type!(
    PurposeCode,
    ErrorCode::InvalidPurposeCode,
    "Code of an organization's purpose of processing, unique within the organization."
);

/// A text the organization writes for subjects: Kazakh and Russian are required
/// (Informatization Art. 44(2)), English is optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    pub kk: String,
    pub ru: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalizedText {
    pub fn validate(&self, field: &str, max_chars: usize) -> Result<(), Error> {
        for (lang, text) in [
            ("kk", Some(&self.kk)),
            ("ru", Some(&self.ru)),
            ("en", self.en.as_ref()),
        ] {
            if let Some(t) = text {
                validate_text(t, max_chars).map_err(|e| e.at(format!("{field}.{lang}")))?;
            }
        }
        Ok(())
    }

    /// The text in `lang`, falling back to Russian and then Kazakh.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "kk" => &self.kk,
            "en" => self.en.as_deref().unwrap_or(&self.ru),
            _ => &self.ru,
        }
    }
}

/// A non-empty, trimmed text without control characters, at most `max_chars` long.
pub fn validate_text(t: &str, max_chars: usize) -> Result<(), Error> {
    let count = t.chars().count();
    if t.trim().is_empty()
        || count > max_chars
        || t.chars().any(|c| c.is_control() && c != '\n')
        || t.trim() != t
    {
        return Err(Error::new(ErrorCode::ValidationFailed).arg("max", max_chars.to_string()));
    }
    Ok(())
}

/// A data category of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Category {
    pub code: CategoryCode,
    pub sensitivity: Sensitivity,
    pub name: LocalizedText,
}

/// A purpose of processing declared by an organization, with its approved list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Purpose {
    pub code: PurposeCode,
    pub name: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalizedText>,
    /// The approved list of categories necessary and sufficient for this purpose (Art. 25(2)(1)).
    pub categories: BTreeSet<CategoryCode>,
    /// How long data may be stored for this purpose, in days (Art. 12(2)).
    pub storage_term_days: u32,
}

/// Longest storage term accepted: 75 years, the longest archival term in Kazakhstan.
pub const MAX_STORAGE_TERM_DAYS: u32 = 75 * 366;

impl Purpose {
    pub fn validate(&self) -> Result<(), Error> {
        self.name.validate("name", 200)?;
        if let Some(d) = &self.description {
            d.validate("description", 2000)?;
        }
        if self.categories.is_empty() || self.categories.len() > 200 {
            return Err(Error::new(ErrorCode::ValidationFailed).at("categories"));
        }
        if self.storage_term_days == 0 || self.storage_term_days > MAX_STORAGE_TERM_DAYS {
            return Err(Error::new(ErrorCode::ValidationFailed).at("storage_term_days"));
        }
        Ok(())
    }
}

/// Art. 7(9): every requested category must be on the purpose's approved list.
pub fn check_approved(
    requested: &BTreeSet<CategoryCode>,
    approved: &BTreeSet<CategoryCode>,
) -> Result<(), Error> {
    match requested.iter().find(|c| !approved.contains(*c)) {
        Some(c) => Err(Error::new(ErrorCode::CategoryNotApproved)
            .at("categories")
            .arg("category", c.as_str())),
        None => Ok(()),
    }
}

/// The categories the service ships with. Administrators can add more.
pub fn default_categories() -> Vec<(
    &'static str,
    Sensitivity,
    &'static str,
    &'static str,
    &'static str,
)> {
    use Sensitivity::*;
    vec![
        (
            "full_name",
            Public,
            "Тегі, аты, әкесінің аты",
            "Фамилия, имя, отчество",
            "Full name",
        ),
        ("iin", Restricted, "ЖСН", "ИИН", "IIN"),
        (
            "birth_date",
            Restricted,
            "Туған күні",
            "Дата рождения",
            "Date of birth",
        ),
        (
            "birth_place",
            Restricted,
            "Туған жері",
            "Место рождения",
            "Place of birth",
        ),
        ("sex", Restricted, "Жынысы", "Пол", "Sex"),
        (
            "citizenship",
            Restricted,
            "Азаматтығы",
            "Гражданство",
            "Citizenship",
        ),
        (
            "identity_document",
            Restricted,
            "Жеке басын куәландыратын құжат",
            "Документ, удостоверяющий личность",
            "Identity document",
        ),
        (
            "address_registration",
            Restricted,
            "Тіркелген мекенжайы",
            "Адрес регистрации",
            "Registered address",
        ),
        (
            "address_residence",
            Restricted,
            "Тұратын мекенжайы",
            "Адрес проживания",
            "Residential address",
        ),
        (
            "phone",
            Restricted,
            "Телефон нөмірі",
            "Номер телефона",
            "Phone number",
        ),
        (
            "email",
            Restricted,
            "Электрондық пошта",
            "Электронная почта",
            "Email address",
        ),
        (
            "workplace",
            Restricted,
            "Жұмыс орны",
            "Место работы",
            "Workplace",
        ),
        (
            "education",
            Restricted,
            "Білімі",
            "Образование",
            "Education",
        ),
        (
            "family_status",
            Restricted,
            "Отбасылық жағдайы",
            "Семейное положение",
            "Family status",
        ),
        ("income", Restricted, "Табысы", "Доходы", "Income"),
        (
            "bank_account",
            Restricted,
            "Банк шоты",
            "Банковский счёт",
            "Bank account",
        ),
        (
            "credit_history",
            Restricted,
            "Кредиттік тарихы",
            "Кредитная история",
            "Credit history",
        ),
        (
            "health",
            Restricted,
            "Денсаулық жағдайы туралы мәліметтер",
            "Сведения о состоянии здоровья",
            "Health information",
        ),
        (
            "vehicle",
            Restricted,
            "Көлік құралы",
            "Транспортное средство",
            "Vehicle",
        ),
        (
            "real_estate",
            Restricted,
            "Жылжымайтын мүлік",
            "Недвижимое имущество",
            "Real estate",
        ),
        ("photo", Restricted, "Фотосурет", "Фотография", "Photograph"),
        (
            "biometric.face",
            Biometric,
            "Бет-әлпетінің биометриялық деректері",
            "Биометрические данные лица",
            "Facial biometric data",
        ),
        (
            "biometric.fingerprint",
            Biometric,
            "Саусақ іздері",
            "Отпечатки пальцев",
            "Fingerprints",
        ),
        (
            "biometric.voice",
            Biometric,
            "Дауыстың биометриялық деректері",
            "Биометрические данные голоса",
            "Voice biometric data",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(xs: &[&str]) -> BTreeSet<CategoryCode> {
        xs.iter().map(|x| CategoryCode::parse(x).unwrap()).collect()
    }

    #[test]
    fn codes() {
        assert!(CategoryCode::parse("biometric.face").is_ok());
        for bad in ["", "A", "Phone", "9abc", "has space", "x", "ф_ио"] {
            assert!(CategoryCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn approved_list_is_enforced() {
        let approved = set(&["full_name", "phone"]);
        assert!(check_approved(&set(&["phone"]), &approved).is_ok());
        let e = check_approved(&set(&["phone", "income"]), &approved).unwrap_err();
        assert_eq!(e.code, ErrorCode::CategoryNotApproved);
        assert_eq!(e.args, vec![("category", "income".to_string())]);
    }

    #[test]
    fn default_catalogue_is_valid() {
        for (code, _, kk, ru, en) in default_categories() {
            assert!(CategoryCode::parse(code).is_ok(), "{code}");
            for t in [kk, ru, en] {
                assert!(validate_text(t, 200).is_ok());
            }
            // Kazakh texts use Cyrillic і (U+0456), never Latin i.
            assert!(!kk.contains('i'), "{code}: Latin i in Kazakh text");
        }
    }

    #[test]
    fn texts() {
        assert!(validate_text("ok", 10).is_ok());
        for bad in ["", "  ", " lead", "trail ", "bell\u{7}", "toolongtext"] {
            assert!(validate_text(bad, 10).is_err(), "{bad:?}");
        }
    }
}
