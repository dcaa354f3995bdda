//! Every text Qorgau shows a person, in Kazakh, Russian and English (Fluent).
//!
//! Kazakh is the default language (Informatization Art. 44(2)); the terms follow the
//! Kazakh text of Law 94-V (shared/GLOSSARY.md).
#![forbid(unsafe_code)]

use std::collections::BTreeSet;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::{langid, LanguageIdentifier};

/// The languages of the service, in order of preference when nothing else decides.
pub const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];

/// Each language's Fluent files, one per area: the service's own texts (problems,
/// messages, reasons), the portal, the console's organization pages and settings, and
/// the inspector's view. A key defined twice in a language fails `Localizer::new`.
const SOURCES: [(&str, &str); 15] = [
    ("kk", include_str!("../locales/kk/main.ftl")),
    ("kk", include_str!("../locales/kk/web.ftl")),
    ("kk", include_str!("../locales/kk/org.ftl")),
    ("kk", include_str!("../locales/kk/settings.ftl")),
    ("kk", include_str!("../locales/kk/inspect.ftl")),
    ("ru", include_str!("../locales/ru/main.ftl")),
    ("ru", include_str!("../locales/ru/web.ftl")),
    ("ru", include_str!("../locales/ru/org.ftl")),
    ("ru", include_str!("../locales/ru/settings.ftl")),
    ("ru", include_str!("../locales/ru/inspect.ftl")),
    ("en", include_str!("../locales/en/main.ftl")),
    ("en", include_str!("../locales/en/web.ftl")),
    ("en", include_str!("../locales/en/org.ftl")),
    ("en", include_str!("../locales/en/settings.ftl")),
    ("en", include_str!("../locales/en/inspect.ftl")),
];

/// The three bundles, built once.
pub struct Localizer {
    bundles: Vec<(&'static str, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Localizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Localizer")
    }
}

/// An error in the shipped Fluent files (caught by the tests, never at run time).
#[derive(Debug)]
pub struct LocaleError(pub String);

impl Localizer {
    pub fn new() -> Result<Self, LocaleError> {
        let mut bundles = Vec::new();
        for lang in LANGUAGES {
            let id: LanguageIdentifier = match lang {
                "kk" => langid!("kk"),
                "ru" => langid!("ru"),
                _ => langid!("en"),
            };
            let mut b = FluentBundle::new_concurrent(vec![id]);
            // Plain text (SMS, JSON): no bidi isolation marks around arguments.
            b.set_use_isolating(false);
            for (_, src) in SOURCES.iter().filter(|(l, _)| *l == lang) {
                let res = FluentResource::try_new((*src).to_owned())
                    .map_err(|(_, e)| LocaleError(format!("{lang}: {e:?}")))?;
                b.add_resource(res)
                    .map_err(|e| LocaleError(format!("{lang}: {e:?}")))?;
            }
            bundles.push((lang, b));
        }
        Ok(Localizer { bundles })
    }

    fn bundle(&self, lang: &str) -> &FluentBundle<FluentResource> {
        self.bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .or_else(|| self.bundles.first())
            .map(|(_, b)| b)
            .unwrap_or_else(|| unreachable_bundle())
    }

    /// The text of `key` in `lang` with named arguments. A missing key yields the key
    /// itself, which the tests forbid for every key the code uses.
    pub fn text(&self, lang: &str, key: &str, args: &[(&str, String)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            // A number (for plural rules) only when the text is its canonical form:
            // a one-time code such as `047129` stays text and keeps its leading zero.
            let value = match v.parse::<i64>() {
                Ok(n) if n.to_string() == *v => FluentValue::from(n),
                _ => FluentValue::from(v.clone()),
            };
            fargs.set(*k, value);
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }

    /// A notification's text (`message-<kind>`) in `lang`, with its arguments; a
    /// request's kind is named in that language.
    pub fn message(
        &self,
        lang: &str,
        kind: &str,
        args: &std::collections::BTreeMap<String, String>,
    ) -> String {
        let mut a: Vec<(&str, String)> =
            args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        // A digest carries the day's notifications ({"kind", "args"} each): each is
        // rendered in the same language, one per line.
        if kind == "digest" {
            let items: Vec<serde_json::Value> = args
                .get("items")
                .and_then(|i| serde_json::from_str(i).ok())
                .unwrap_or_default();
            let lines: Vec<String> = items
                .iter()
                .filter_map(|i| {
                    let k = i.get("kind")?.as_str()?;
                    let args: std::collections::BTreeMap<String, String> =
                        serde_json::from_value(i.get("args")?.clone()).ok()?;
                    (k != "digest").then(|| format!("• {}", self.message(lang, k, &args)))
                })
                .collect();
            a.retain(|(k, _)| *k != "items" && *k != "count");
            a.push(("count", lines.len().to_string()));
            a.push(("items", lines.join("\n")));
        }
        if let Some(k) = args.get("request_kind") {
            a.push((
                "kind",
                self.text(lang, "request-kind", &[("kind", k.clone())]),
            ));
        }
        self.text(lang, &format!("message-{kind}"), &a)
    }

    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.bundles
            .iter()
            .any(|(l, b)| *l == lang && b.has_message(key))
    }

    /// The message ids defined in `lang`.
    pub fn keys(lang: &str) -> BTreeSet<String> {
        SOURCES
            .iter()
            .filter(|(l, _)| *l == lang)
            .flat_map(|(_, src)| src.lines())
            .filter_map(|l| {
                let (k, _) = l.split_once(" =")?;
                (!k.starts_with(' ') && !k.starts_with('#')).then(|| k.trim().to_owned())
            })
            .collect()
    }
}

fn unreachable_bundle() -> &'static FluentBundle<FluentResource> {
    // `Localizer::new` always builds three bundles; this is never reached.
    static EMPTY: std::sync::OnceLock<FluentBundle<FluentResource>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| FluentBundle::new_concurrent(vec![langid!("kk")]))
}

/// Choose the language from an `Accept-Language` header; Kazakh when nothing matches.
pub fn negotiate(accept_language: Option<&str>) -> &'static str {
    let Some(header) = accept_language else {
        return "kk";
    };
    let mut best: Option<(f32, &'static str)> = None;
    for part in header.split(',') {
        let mut it = part.trim().split(';');
        let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(lang) = LANGUAGES.iter().find(|l| **l == primary) {
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
    }
    best.map(|(_, l)| l).unwrap_or("kk")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_languages_have_the_same_keys() {
        let kk = Localizer::keys("kk");
        assert!(kk.len() > 30);
        for lang in ["ru", "en"] {
            assert_eq!(Localizer::keys(lang), kk, "keys of {lang} differ from kk");
        }
    }

    #[test]
    fn codes_keep_leading_zeros() {
        let l = Localizer::new().unwrap();
        for lang in ["kk", "ru", "en"] {
            for key in ["message-consent_code", "message-signin_code"] {
                let args = [
                    ("code", "047129".into()),
                    ("organization", "Org".into()),
                    ("purpose", "P".into()),
                    ("minutes", "15".into()),
                ];
                let t = l.text(lang, key, &args);
                assert!(
                    t.contains("Code: 047129") || t.contains("Код: 047129") || t.contains("047129"),
                    "{lang} {key}: {t}"
                );
                assert!(
                    !t.contains("47 129") && t.contains(" 047129"),
                    "{lang} {key}: {t}"
                );
            }
        }
    }

    #[test]
    fn bundles_parse_and_format() {
        let l = Localizer::new().unwrap();
        let t = l.text(
            "ru",
            "message-signin_code",
            &[("code", "123456".into()), ("minutes", "5".into())],
        );
        assert!(t.contains("123456") && t.contains("5 мин"), "{t}");
        let t = l.text(
            "kk",
            "problem-code_invalid",
            &[("attempts_left", "2".into())],
        );
        assert!(t.contains("2"), "{t}");
        assert_eq!(l.text("en", "no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn kazakh_uses_cyrillic_i() {
        let kazakh = SOURCES.iter().filter(|(l, _)| *l == "kk");
        for line in kazakh
            .flat_map(|(_, src)| src.lines())
            .filter(|l| !l.starts_with('#'))
        {
            let value = line.split_once('=').map(|(_, v)| v).unwrap_or(line);
            let chars: Vec<char> = value.chars().collect();
            for w in chars.windows(2) {
                let cyr = |c: char| ('\u{0400}'..='\u{04FF}').contains(&c);
                assert!(
                    !((w[0] == 'i' && cyr(w[1])) || (cyr(w[0]) && w[1] == 'i')),
                    "Latin i inside a Kazakh word: {line}"
                );
            }
        }
    }

    #[test]
    fn negotiation() {
        assert_eq!(negotiate(None), "kk");
        assert_eq!(negotiate(Some("ru-RU,ru;q=0.9,en;q=0.8")), "ru");
        assert_eq!(negotiate(Some("de, en;q=0.5")), "en");
        assert_eq!(negotiate(Some("fr")), "kk");
        assert_eq!(negotiate(Some("en;q=0.2, kk;q=0.9")), "kk");
        assert_eq!(negotiate(Some("ru;q=0")), "kk");
    }
}
