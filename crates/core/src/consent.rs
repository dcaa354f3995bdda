//! Consent: its terms (Art. 8(4)), its states and transitions, and the rules that
//! decide them. Pure functions of their inputs and the current time.
//!
//! States (DESIGN.md): `pending → active | refused | lapsed`;
//! `active → withdrawn | expired | superseded`. A withdrawal the operator has a
//! ground to refuse (Art. 8(2)) leaves the consent `active` and is recorded as refused.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::catalogue::{check_approved, validate_text, CategoryCode, LocalizedText, Purpose};
use crate::error::{Error, ErrorCode};
use crate::id::{Bin, CountryCode, Iin};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    /// Requested by the operator, waiting for the subject.
    Pending,
    /// Given by the subject and in force.
    Active,
    /// The subject refused to give it.
    Refused,
    /// Never answered before the request's deadline.
    Lapsed,
    /// Withdrawn by the subject (Art. 8(1)).
    Withdrawn,
    /// Its term ended (Art. 8(4)(3)).
    Expired,
    /// Replaced by a newer version.
    Superseded,
}

impl ConsentState {
    pub const ALL: [ConsentState; 7] = [
        ConsentState::Pending,
        ConsentState::Active,
        ConsentState::Refused,
        ConsentState::Lapsed,
        ConsentState::Withdrawn,
        ConsentState::Expired,
        ConsentState::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentState::Pending => "pending",
            ConsentState::Active => "active",
            ConsentState::Refused => "refused",
            ConsentState::Lapsed => "lapsed",
            ConsentState::Withdrawn => "withdrawn",
            ConsentState::Expired => "expired",
            ConsentState::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The transitions DESIGN.md allows.
    pub fn can_become(self, to: ConsentState) -> bool {
        use ConsentState::*;
        matches!(
            (self, to),
            (Pending, Active | Refused | Lapsed) | (Active, Withdrawn | Expired | Superseded)
        )
    }

    pub fn is_final(self) -> bool {
        !matches!(self, ConsentState::Pending | ConsentState::Active)
    }
}

/// The state a stored consent is in at `now`: a pending request past its deadline has
/// lapsed and an active consent past its term has expired, even before the sweeper
/// records it.
pub fn effective_state(
    stored: ConsentState,
    respond_by: Timestamp,
    valid_until: Timestamp,
    now: Timestamp,
) -> ConsentState {
    match stored {
        ConsentState::Pending if now >= respond_by => ConsentState::Lapsed,
        ConsentState::Active if now >= valid_until => ConsentState::Expired,
        s => s,
    }
}

/// Art. 8(4)(4), Art. 15: whether, and to whom, the operator may transfer the data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferTerms {
    pub allowed: bool,
    /// The third parties (by BIN) the data may be transferred to; required when allowed.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub recipients: Vec<Bin>,
}

/// Art. 8(4)(5), Art. 16: whether the data cross the border, and to which countries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossBorderTerms {
    pub allowed: bool,
    /// ISO 3166-1 alpha-2 codes; required when allowed; never KZ.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub countries: Vec<CountryCode>,
}

/// The terms of a consent that the operator proposes and the subject accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentTerms {
    /// The list of collected data (Art. 8(4)(7)), from the purpose's approved list.
    pub categories: BTreeSet<CategoryCode>,
    /// Start of the term (Art. 8(4)(3)); defaults to the moment of confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub valid_from: Option<Timestamp>,
    /// End of the term (Art. 8(4)(3)).
    #[schema(value_type = String, format = DateTime)]
    pub valid_until: Timestamp,
    pub transfer_to_third_parties: TransferTerms,
    pub cross_border_transfer: CrossBorderTerms,
    /// Whether the data may be disseminated in publicly accessible sources (Art. 8(4)(6)).
    pub dissemination_in_public_sources: bool,
    /// Other information designated by the operator (Art. 8(4)(8)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_information: Option<LocalizedText>,
}

/// Longest consent term accepted (the storage term still caps processing).
pub const MAX_TERM: SignedDuration = SignedDuration::from_hours(24 * 366 * 75);

impl ConsentTerms {
    /// Check the terms against the purpose's approved list and the clock.
    pub fn validate(&self, purpose: &Purpose, now: Timestamp) -> Result<(), Error> {
        if self.categories.is_empty() {
            return Err(Error::new(ErrorCode::ValidationFailed).at("terms.categories"));
        }
        check_approved(&self.categories, &purpose.categories)
            .map_err(|e| e.at("terms.categories"))?;
        let from = self.valid_from.unwrap_or(now);
        if self.valid_until <= from {
            return Err(Error::new(ErrorCode::DatesOutOfOrder).at("terms.valid_until"));
        }
        if self.valid_until <= now {
            return Err(Error::new(ErrorCode::TermInPast).at("terms.valid_until"));
        }
        if self.valid_until.duration_since(from) > MAX_TERM {
            return Err(Error::new(ErrorCode::ValidationFailed).at("terms.valid_until"));
        }
        let t = &self.transfer_to_third_parties;
        if t.allowed == t.recipients.is_empty() || t.recipients.len() > 100 {
            return Err(Error::new(ErrorCode::ValidationFailed)
                .at("terms.transfer_to_third_parties.recipients"));
        }
        let c = &self.cross_border_transfer;
        if c.allowed == c.countries.is_empty()
            || c.countries.len() > 100
            || c.countries.contains(&CountryCode::KZ)
        {
            return Err(
                Error::new(ErrorCode::ValidationFailed).at("terms.cross_border_transfer.countries")
            );
        }
        if let Some(o) = &self.other_information {
            o.validate("terms.other_information", 4000)?;
        }
        Ok(())
    }
}

/// Language a person is addressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Kk,
    Ru,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Kk => "kk",
            Language::Ru => "ru",
            Language::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "kk" => Some(Language::Kk),
            "ru" => Some(Language::Ru),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// A person's name as on the identity document (Art. 8(4)(2)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    pub surname: String,
    pub given_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
}

impl PersonName {
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        validate_text(&self.surname, 100).map_err(|e| e.at(format!("{field}.surname")))?;
        validate_text(&self.given_name, 100).map_err(|e| e.at(format!("{field}.given_name")))?;
        if let Some(p) = &self.patronymic {
            validate_text(p, 100).map_err(|e| e.at(format!("{field}.patronymic")))?;
        }
        Ok(())
    }
}

/// Where one-time codes and notices reach a person.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// E.164, e.g. `+77011234567`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Contact {
    pub fn validate(&self, field: &str) -> Result<(), Error> {
        if let Some(p) = &self.phone {
            let digits = p.strip_prefix('+').unwrap_or("");
            if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::new(ErrorCode::InvalidContact).at(format!("{field}.phone")));
            }
        }
        if let Some(e) = &self.email {
            let ok = e.len() <= 254
                && !e.chars().any(|c| c.is_whitespace() || c.is_control())
                && e.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty() && domain.contains('.') && !domain.contains('@')
                });
            if !ok {
                return Err(Error::new(ErrorCode::InvalidContact).at(format!("{field}.email")));
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.email.is_none()
    }
}

/// A subject as the operator identifies them in a consent request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectDetails {
    #[schema(value_type = String, example = "900101300017")]
    pub iin: Iin,
    pub name: PersonName,
    #[serde(default)]
    pub contact: Contact,
    #[serde(default)]
    pub language: Language,
}

/// On what authority a legal representative acts (Art. 1 p.2, Art. 8(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityBasis {
    Parent,
    Guardian,
    Trustee,
    PowerOfAttorney,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub basis: AuthorityBasis,
    /// Reference of the document that grants the authority (number, date, issuer).
    pub document_reference: String,
    #[schema(value_type = String, format = DateTime)]
    pub valid_until: Timestamp,
}

/// A legal representative who answers for the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeDetails {
    #[schema(value_type = String, example = "851231400021")]
    pub iin: Iin,
    pub name: PersonName,
    pub contact: Contact,
    #[serde(default)]
    pub language: Language,
    pub authority: Authority,
}

impl SubjectDetails {
    pub fn validate(&self) -> Result<(), Error> {
        self.name.validate("subject.name")?;
        self.contact.validate("subject.contact")
    }
}

impl RepresentativeDetails {
    pub fn validate(&self, subject: &Iin, now: Timestamp) -> Result<(), Error> {
        self.name.validate("representative.name")?;
        self.contact.validate("representative.contact")?;
        if self.contact.is_empty() {
            return Err(Error::new(ErrorCode::NoContact).at("representative.contact"));
        }
        if &self.iin == subject {
            return Err(Error::new(ErrorCode::ValidationFailed).at("representative.iin"));
        }
        validate_text(&self.authority.document_reference, 300)
            .map_err(|e| e.at("representative.authority.document_reference"))?;
        if self.authority.valid_until <= now {
            return Err(Error::new(ErrorCode::RepresentativeAuthorityExpired)
                .at("representative.authority.valid_until"));
        }
        Ok(())
    }
}

/// Art. 8(2): the grounds on which a withdrawal may be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalGroundKind {
    /// Withdrawal would be contrary to the laws of the Republic of Kazakhstan.
    Law,
    /// An obligation is not yet executed.
    UnexecutedObligation,
}

/// The ground an operator states for refusing a withdrawal, shown to the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalGround {
    pub kind: WithdrawalGroundKind,
    /// The law and article, or the contract and obligation, relied on.
    pub reference: String,
    /// The reasoning, for the subject.
    pub explanation: LocalizedText,
}

impl WithdrawalGround {
    pub fn validate(&self) -> Result<(), Error> {
        validate_text(&self.reference, 500).map_err(|e| e.at("reference"))?;
        self.explanation.validate("explanation", 4000)
    }
}

/// Who performed a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Subject,
    Representative,
    Organization,
    Service,
    Administrator,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Subject => "subject",
            ActorKind::Representative => "representative",
            ActorKind::Organization => "organization",
            ActorKind::Service => "service",
            ActorKind::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            ActorKind::Subject,
            ActorKind::Representative,
            ActorKind::Organization,
            ActorKind::Service,
            ActorKind::Administrator,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// The outcome of checking a one-time code against a pending request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Ok,
    Wrong { attempts_left: u32 },
}

/// Rules for the one-time code that confirms or refuses a consent request.
#[derive(Debug, Clone, Copy)]
pub struct CodePolicy {
    pub ttl: SignedDuration,
    pub max_attempts: u32,
    pub max_sends: u32,
}

impl Default for CodePolicy {
    fn default() -> Self {
        CodePolicy {
            ttl: SignedDuration::from_mins(15),
            max_attempts: 5,
            max_sends: 5,
        }
    }
}

impl CodePolicy {
    /// Decide whether a presented code may be checked at all.
    pub fn admissible(
        &self,
        expires_at: Option<Timestamp>,
        attempts: u32,
        now: Timestamp,
    ) -> Result<(), Error> {
        match expires_at {
            None => Err(Error::new(ErrorCode::CodeExpired)),
            Some(_) if attempts >= self.max_attempts => {
                Err(Error::new(ErrorCode::CodeAttemptsExhausted))
            }
            Some(t) if now >= t => Err(Error::new(ErrorCode::CodeExpired)),
            Some(_) => Ok(()),
        }
    }
}

/// How long an operator may wait for an answer, at most, and by default.
pub const MAX_RESPONSE_WINDOW: SignedDuration = SignedDuration::from_hours(24 * 90);
pub const DEFAULT_RESPONSE_WINDOW: SignedDuration = SignedDuration::from_hours(24 * 7);

/// The deadline of a new request: the operator's choice, bounded.
pub fn respond_by(requested: Option<Timestamp>, now: Timestamp) -> Result<Timestamp, Error> {
    match requested {
        None => Ok(now + DEFAULT_RESPONSE_WINDOW),
        Some(t) if t <= now => Err(Error::new(ErrorCode::DatesOutOfOrder).at("respond_by")),
        Some(t) if t.duration_since(now) > MAX_RESPONSE_WINDOW => {
            Err(Error::new(ErrorCode::ValidationFailed).at("respond_by"))
        }
        Some(t) => Ok(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::PurposeCode;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn purpose() -> Purpose {
        Purpose {
            code: PurposeCode::parse("loan").unwrap(),
            name: LocalizedText {
                kk: "Несие".into(),
                ru: "Кредит".into(),
                en: None,
            },
            description: None,
            categories: ["full_name", "phone", "income"]
                .iter()
                .map(|c| CategoryCode::parse(c).unwrap())
                .collect(),
            storage_term_days: 365,
        }
    }

    fn terms(now: Timestamp) -> ConsentTerms {
        ConsentTerms {
            categories: ["full_name", "phone"]
                .iter()
                .map(|c| CategoryCode::parse(c).unwrap())
                .collect(),
            valid_from: None,
            valid_until: now + SignedDuration::from_hours(24 * 30),
            transfer_to_third_parties: TransferTerms::default(),
            cross_border_transfer: CrossBorderTerms::default(),
            dissemination_in_public_sources: false,
            other_information: None,
        }
    }

    #[test]
    fn transitions_follow_the_design() {
        use ConsentState::*;
        let allowed = [
            (Pending, Active),
            (Pending, Refused),
            (Pending, Lapsed),
            (Active, Withdrawn),
            (Active, Expired),
            (Active, Superseded),
        ];
        for from in ConsentState::ALL {
            for to in ConsentState::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
            assert_eq!(ConsentState::parse(from.as_str()), Some(from));
        }
    }

    #[test]
    fn effective_state_is_exact_at_the_boundary() {
        let deadline = ts("2026-03-01T00:00:00Z");
        let until = ts("2027-03-01T00:00:00Z");
        let just_before = deadline - SignedDuration::from_nanos(1);
        use ConsentState::*;
        assert_eq!(
            effective_state(Pending, deadline, until, just_before),
            Pending
        );
        assert_eq!(effective_state(Pending, deadline, until, deadline), Lapsed);
        assert_eq!(
            effective_state(
                Active,
                deadline,
                until,
                until - SignedDuration::from_nanos(1)
            ),
            Active
        );
        assert_eq!(effective_state(Active, deadline, until, until), Expired);
        assert_eq!(
            effective_state(Withdrawn, deadline, until, until),
            Withdrawn
        );
    }

    #[test]
    fn terms_validation() {
        let now = ts("2026-01-10T10:00:00Z");
        let p = purpose();
        assert!(terms(now).validate(&p, now).is_ok());

        let mut t = terms(now);
        t.categories.insert(CategoryCode::parse("health").unwrap());
        assert_eq!(
            t.validate(&p, now).unwrap_err().code,
            ErrorCode::CategoryNotApproved
        );

        let mut t = terms(now);
        t.valid_from = Some(now + SignedDuration::from_hours(24 * 40));
        assert_eq!(
            t.validate(&p, now).unwrap_err().code,
            ErrorCode::DatesOutOfOrder
        );

        let mut t = terms(now);
        t.valid_from = Some(now - SignedDuration::from_hours(48));
        t.valid_until = now - SignedDuration::from_hours(1);
        assert_eq!(t.validate(&p, now).unwrap_err().code, ErrorCode::TermInPast);

        let mut t = terms(now);
        t.transfer_to_third_parties.allowed = true;
        assert!(
            t.validate(&p, now).is_err(),
            "transfer allowed without recipients"
        );
        t.transfer_to_third_parties.recipients = vec![Bin::parse("040840001231").unwrap()];
        assert!(t.validate(&p, now).is_ok());

        let mut t = terms(now);
        t.cross_border_transfer = CrossBorderTerms {
            allowed: true,
            countries: vec![CountryCode::KZ],
        };
        assert!(t.validate(&p, now).is_err(), "KZ is not cross-border");
        t.cross_border_transfer.countries = vec![CountryCode::parse("DE").unwrap()];
        assert!(t.validate(&p, now).is_ok());
        t.cross_border_transfer.allowed = false;
        assert!(t.validate(&p, now).is_err(), "countries without the flag");
    }

    #[test]
    fn code_policy() {
        let p = CodePolicy::default();
        let now = ts("2026-01-10T10:00:00Z");
        let exp = now + p.ttl;
        assert!(p.admissible(Some(exp), 0, now).is_ok());
        assert_eq!(
            p.admissible(Some(exp), 0, exp).unwrap_err().code,
            ErrorCode::CodeExpired
        );
        assert_eq!(
            p.admissible(Some(exp), 5, now).unwrap_err().code,
            ErrorCode::CodeAttemptsExhausted
        );
        assert_eq!(
            p.admissible(None, 0, now).unwrap_err().code,
            ErrorCode::CodeExpired
        );
    }

    #[test]
    fn response_window() {
        let now = ts("2026-01-10T10:00:00Z");
        assert_eq!(
            respond_by(None, now).unwrap(),
            now + DEFAULT_RESPONSE_WINDOW
        );
        assert!(respond_by(Some(now), now).is_err());
        assert!(respond_by(
            Some(now + MAX_RESPONSE_WINDOW + SignedDuration::from_secs(1)),
            now
        )
        .is_err());
    }

    #[test]
    fn contacts() {
        let ok = Contact {
            phone: Some("+77011234567".into()),
            email: Some("a@b.kz".into()),
        };
        assert!(ok.validate("c").is_ok());
        for bad in ["77011234567", "+7701", "+7701abc4567"] {
            let c = Contact {
                phone: Some(bad.into()),
                email: None,
            };
            assert!(c.validate("c").is_err(), "{bad}");
        }
        for bad in ["a", "a@b", "@b.kz", "a b@c.kz"] {
            let c = Contact {
                phone: None,
                email: Some(bad.into()),
            };
            assert!(c.validate("c").is_err(), "{bad}");
        }
    }
}
