//! The decision rules as a table of cases, one or more per article. A final test checks
//! that every reason code appears in the table.

use std::collections::{BTreeSet, HashSet};

use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::*;
use crate::catalogue::LocalizedText;

const NOW: &str = "2026-06-01T09:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}
fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}
fn cats(list: &[&str]) -> BTreeSet<CategoryCode> {
    list.iter()
        .map(|c| CategoryCode::parse(c).unwrap())
        .collect()
}
fn bin(n: u32) -> Bin {
    // Valid BINs: search serials for a correct check digit.
    let mut seen = 0;
    for serial in 0..100_000u32 {
        let s = format!("040840{serial:05}");
        let mut d = [0u8; 11];
        for (o, b) in d.iter_mut().zip(s.bytes()) {
            *o = b - b'0';
        }
        if let Some(c) = crate::id::check_digit(&d) {
            if seen == n {
                return Bin::parse(&format!("{s}{c}")).unwrap();
            }
            seen += 1;
        }
    }
    unreachable!()
}
fn country(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap()
}

fn purpose(code: &str) -> Purpose {
    Purpose {
        code: PurposeCode::parse(code).unwrap(),
        name: LocalizedText {
            kk: "Несие".into(),
            ru: "Кредит".into(),
            en: None,
        },
        description: None,
        categories: cats(&["full_name", "iin", "phone", "income"]),
        storage_term_days: 730,
    }
}

/// An active consent for `loan`, in force from 30 days ago for a year.
fn consent() -> ConsentFacts {
    ConsentFacts {
        id: Uuid::from_u128(1),
        version: 1,
        purpose: PurposeCode::parse("loan").unwrap(),
        state: ConsentState::Active,
        respond_by: now() - days(31),
        valid_from: Some(now() - days(30)),
        valid_until: now() + days(335),
        categories: cats(&["full_name", "income", "phone"]),
        transfer: TransferTerms {
            allowed: true,
            recipients: vec![bin(1)],
        },
        cross_border: CrossBorderTerms {
            allowed: true,
            countries: vec![country("DE")],
        },
        dissemination: false,
    }
}

fn request() -> AccessRequest {
    AccessRequest {
        action: Action::Use,
        purpose: PurposeCode::parse("loan").unwrap(),
        categories: cats(&["full_name", "income"]),
        recipient: Recipient::default(),
        legal_ground: None,
        cross_border_ground: None,
        consent: None,
    }
}

/// The world of one case; each case changes what it is about.
struct World {
    req: AccessRequest,
    purpose: Purpose,
    consents: Vec<ConsentFacts>,
    third_party: Option<Bin>,
    processing_started: Option<Timestamp>,
    blocked: bool,
    grounds: Vec<LegalGround>,
    adequate: BTreeSet<CountryCode>,
    now: Timestamp,
}

impl World {
    fn new() -> World {
        World {
            req: request(),
            purpose: purpose("loan"),
            consents: vec![consent()],
            third_party: None,
            processing_started: Some(now() - days(30)),
            blocked: false,
            grounds: Vec::new(),
            adequate: [country("BY"), country("RU")].into_iter().collect(),
            now: now(),
        }
    }
    fn decide(&self) -> Decision {
        let f = Facts {
            third_party: self.third_party,
            purpose: &self.purpose,
            consents: &self.consents,
            processing_started: self.processing_started,
            blocked: self.blocked,
            registered_grounds: &self.grounds,
            adequate_countries: &self.adequate,
        };
        decide(&self.req, &f, self.now)
    }
}

type Case = (&'static str, fn(&mut World), Outcome, &'static [ReasonCode]);

use ReasonCode::*;

fn cases() -> Vec<Case> {
    vec![
        // Art. 7(1), 8: consent in force.
        (
            "consent in force allows use",
            |_| {},
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        (
            "each non-protective action on consent",
            |w| w.req.action = Action::View,
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        (
            "no consent at all",
            |w| w.consents.clear(),
            Outcome::Deny,
            &[Art7_1NoActiveConsent],
        ),
        (
            "pending request is not consent",
            |w| w.consents[0].state = ConsentState::Pending,
            Outcome::Deny,
            &[Art7_1NoActiveConsent],
        ),
        (
            "refused request is not consent",
            |w| w.consents[0].state = ConsentState::Refused,
            Outcome::Deny,
            &[Art7_1NoActiveConsent],
        ),
        (
            "pending past its deadline has lapsed",
            |w| {
                w.consents[0].state = ConsentState::Pending;
                w.consents[0].respond_by = w.now;
            },
            Outcome::Deny,
            &[Art7_1NoActiveConsent],
        ),
        // Art. 8(1): withdrawal.
        (
            "withdrawn consent",
            |w| w.consents[0].state = ConsentState::Withdrawn,
            Outcome::Deny,
            &[Art8ConsentWithdrawn],
        ),
        // Art. 8(4)(3): the term, exact to the microsecond.
        (
            "expired by the clock at the end of its term",
            |w| w.now = w.consents[0].valid_until,
            Outcome::Deny,
            &[Art8_4ConsentExpired],
        ),
        (
            "one microsecond before the end still in force",
            |w| {
                w.now = w.consents[0].valid_until - SignedDuration::from_micros(1);
            },
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        (
            "expired as recorded",
            |w| w.consents[0].state = ConsentState::Expired,
            Outcome::Deny,
            &[Art8_4ConsentExpired],
        ),
        (
            "term not yet begun",
            |w| w.consents[0].valid_from = Some(w.now + SignedDuration::from_micros(1)),
            Outcome::Deny,
            &[Art8_4ConsentNotYetValid],
        ),
        // Versions.
        (
            "a superseded version named by the asker",
            |w| {
                let mut old = consent();
                old.state = ConsentState::Superseded;
                old.id = Uuid::from_u128(9);
                w.consents.push(old);
                w.req.consent = Some(Uuid::from_u128(9));
            },
            Outcome::Deny,
            &[Art8ConsentSuperseded],
        ),
        (
            "the newer version in force is relied on",
            |w| {
                w.consents[0].state = ConsentState::Superseded;
                let mut v2 = consent();
                v2.id = Uuid::from_u128(2);
                v2.version = 2;
                w.consents.push(v2);
            },
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        (
            "a consent id of another purpose is not consent for this one",
            |w| w.req.consent = Some(Uuid::from_u128(77)),
            Outcome::Deny,
            &[Art7_1NoActiveConsent],
        ),
        // Art. 7(8), 14: purpose limitation.
        (
            "consent only for another purpose",
            |w| {
                w.purpose = purpose("marketing");
                w.req.purpose = PurposeCode::parse("marketing").unwrap();
            },
            Outcome::Deny,
            &[Art7_8PurposeNotConsented],
        ),
        // Art. 7(9), 25(2)(1): minimization.
        (
            "category beyond the consent",
            |w| w.req.categories = cats(&["full_name", "iin"]),
            Outcome::Deny,
            &[Art7_9CategoryNotConsented],
        ),
        (
            "category beyond the approved list",
            |w| w.req.categories = cats(&["biometric.face"]),
            Outcome::Deny,
            &[Art7_9CategoryNotConsented, Art25_2_1CategoryNotApproved],
        ),
        (
            "approved list shrank after consent",
            |w| {
                w.purpose.categories = cats(&["full_name"]);
            },
            Outcome::Deny,
            &[Art25_2_1CategoryNotApproved],
        ),
        // Art. 7(6), 15: transfer to third parties.
        (
            "transfer to a named recipient",
            |w| {
                w.req.action = Action::Transfer;
                w.req.recipient.bin = Some(bin(1));
            },
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        (
            "transfer to a recipient not named",
            |w| {
                w.req.action = Action::Transfer;
                w.req.recipient.bin = Some(bin(2));
            },
            Outcome::Deny,
            &[Art15RecipientNotNamed],
        ),
        (
            "transfer without the transfer flag",
            |w| {
                w.consents[0].transfer = TransferTerms::default();
                w.req.action = Action::Transfer;
                w.req.recipient.bin = Some(bin(1));
            },
            Outcome::Deny,
            &[Art15TransferNotConsented],
        ),
        // Art. 10, 15: a third party is judged by the holder's consent for the transfer to it.
        (
            "third party named in the holder's consent",
            |w| w.third_party = Some(bin(1)),
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        (
            "third party not named",
            |w| w.third_party = Some(bin(3)),
            Outcome::Deny,
            &[Art15RecipientNotNamed],
        ),
        (
            "third party, holder's consent allows no transfer",
            |w| {
                w.third_party = Some(bin(1));
                w.consents[0].transfer = TransferTerms::default();
            },
            Outcome::Deny,
            &[Art15TransferNotConsented],
        ),
        // Art. 7(3): dissemination in publicly accessible sources.
        (
            "dissemination without the flag",
            |w| w.req.action = Action::Disseminate,
            Outcome::Deny,
            &[Art7_3DisseminationNotConsented],
        ),
        (
            "dissemination with the flag",
            |w| {
                w.req.action = Action::Disseminate;
                w.consents[0].dissemination = true;
            },
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        // Art. 16: cross-border transfer.
        (
            "to a country that ensures protection",
            |w| {
                w.req.action = Action::Transfer;
                w.req.recipient.country = Some(country("BY"));
            },
            Outcome::Allow,
            &[Art8ConsentInForce, Art16_2AdequateCountry],
        ),
        (
            "to another country with cross-border consent for it",
            |w| {
                w.req.action = Action::Transfer;
                w.req.recipient.country = Some(country("DE"));
            },
            Outcome::Allow,
            &[Art8ConsentInForce, Art16_3_1CrossBorderConsent],
        ),
        (
            "to another country the consent does not cover",
            |w| {
                w.req.action = Action::Transfer;
                w.req.recipient.country = Some(country("US"));
            },
            Outcome::Deny,
            &[Art16_3NoCrossBorderConsent],
        ),
        (
            "to another country on an Art. 16(3) ground",
            |w| {
                w.req.action = Action::Transfer;
                w.req.recipient.country = Some(country("US"));
                w.req.cross_border_ground = Some(CrossBorderGround::InternationalTreaty);
            },
            Outcome::Allow,
            &[Art8ConsentInForce, Art16_3CrossBorderGround],
        ),
        (
            "within Kazakhstan is not cross-border",
            |w| {
                w.req.action = Action::Transfer;
                w.req.recipient = Recipient {
                    bin: Some(bin(1)),
                    country: Some(CountryCode::KZ),
                };
            },
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        (
            "abroad to an unnamed recipient: both reasons",
            |w| {
                w.req.action = Action::Transfer;
                w.req.recipient = Recipient {
                    bin: Some(bin(2)),
                    country: Some(country("US")),
                };
            },
            Outcome::Deny,
            &[Art15RecipientNotNamed, Art16_3NoCrossBorderConsent],
        ),
        // Art. 1 p.3, 24(1)(3): blocking.
        (
            "blocked data",
            |w| w.blocked = true,
            Outcome::Deny,
            &[Art1_3DataBlocked],
        ),
        (
            "blocked, on a ground too",
            |w| {
                w.blocked = true;
                w.req.legal_ground = Some(LegalGround::Art9_1);
                w.grounds = vec![LegalGround::Art9_1];
            },
            Outcome::Deny,
            &[Art1_3DataBlocked],
        ),
        // Art. 12(2), 18: storage term.
        (
            "storage term elapsed",
            |w| w.processing_started = Some(w.now - days(730)),
            Outcome::Deny,
            &[Art12_2StorageTermElapsed],
        ),
        (
            "storage term one microsecond short",
            |w| {
                w.processing_started = Some(w.now - days(730) + SignedDuration::from_micros(1));
            },
            Outcome::Allow,
            &[Art8ConsentInForce],
        ),
        // Every reason that applies, together.
        (
            "every reason at once",
            |w| {
                w.blocked = true;
                w.processing_started = Some(w.now - days(800));
                w.req.action = Action::Transfer;
                w.req.recipient = Recipient {
                    bin: Some(bin(2)),
                    country: Some(country("US")),
                };
                w.req.categories = cats(&["iin"]);
            },
            Outcome::Deny,
            &[
                Art7_9CategoryNotConsented,
                Art15RecipientNotNamed,
                Art16_3NoCrossBorderConsent,
                Art1_3DataBlocked,
                Art12_2StorageTermElapsed,
            ],
        ),
        // Art. 9: without consent, on a registered ground.
        (
            "Art. 9 ground registered",
            |w| {
                w.consents.clear();
                w.req.legal_ground = Some(LegalGround::Art9_9_1);
                w.grounds = vec![LegalGround::Art9_9_1];
            },
            Outcome::Allow,
            &[Art9GroundApplies],
        ),
        (
            "Art. 9 ground not registered for the asker",
            |w| {
                w.req.legal_ground = Some(LegalGround::Art9_1);
                w.grounds = vec![LegalGround::Art9_2];
            },
            Outcome::Deny,
            &[Art9GroundNotRegistered],
        ),
        (
            "Art. 9 ground still limited to the approved list",
            |w| {
                w.req.legal_ground = Some(LegalGround::Art9_1);
                w.grounds = vec![LegalGround::Art9_1];
                w.req.categories = cats(&["biometric.face"]);
            },
            Outcome::Deny,
            &[Art25_2_1CategoryNotApproved],
        ),
        (
            "Art. 9 ground abroad still needs Art. 16",
            |w| {
                w.req.legal_ground = Some(LegalGround::Art9_1);
                w.grounds = vec![LegalGround::Art9_1];
                w.req.action = Action::Transfer;
                w.req.recipient.country = Some(country("US"));
            },
            Outcome::Deny,
            &[Art16_3NoCrossBorderConsent],
        ),
        // Art. 1 p.3, 18: blocking and destruction are owed.
        (
            "destroy without any consent",
            |w| {
                w.consents.clear();
                w.req.action = Action::Destroy;
            },
            Outcome::Allow,
            &[Art18ProtectiveAction],
        ),
        (
            "block while blocked and past the storage term",
            |w| {
                w.blocked = true;
                w.processing_started = Some(w.now - days(800));
                w.req.action = Action::Block;
            },
            Outcome::Allow,
            &[Art18ProtectiveAction],
        ),
    ]
}

#[test]
fn the_table() {
    for (name, set_up, outcome, codes) in cases() {
        let mut w = World::new();
        set_up(&mut w);
        let d = w.decide();
        let got: Vec<ReasonCode> = d.reasons.iter().map(|r| r.code).collect();
        let mut want = codes.to_vec();
        if outcome == Outcome::Deny {
            want.sort();
        }
        assert_eq!(d.outcome, outcome, "{name}: {got:?}");
        assert_eq!(got, want, "{name}");
        for r in &d.reasons {
            assert_eq!(
                r.code.allows(),
                outcome == Outcome::Allow,
                "{name}: {:?} on {:?}",
                r.code,
                outcome
            );
        }
    }
}

#[test]
fn every_reason_code_is_in_the_table() {
    let used: HashSet<ReasonCode> = cases().iter().flat_map(|c| c.3.iter().copied()).collect();
    for code in ReasonCode::ALL {
        assert!(used.contains(code), "{} has no case", code.as_str());
    }
}

#[test]
fn a_relied_consent_is_named_with_its_version() {
    let mut w = World::new();
    w.consents[0].state = ConsentState::Superseded;
    let mut v2 = consent();
    v2.id = Uuid::from_u128(2);
    v2.version = 2;
    w.consents.push(v2);
    assert_eq!(w.decide().consent, Some((Uuid::from_u128(2), 2)));
    let mut w = World::new();
    w.req.legal_ground = Some(LegalGround::Art9_5_1);
    w.grounds = vec![LegalGround::Art9_5_1];
    let d = w.decide();
    assert_eq!(
        (d.consent, d.legal_ground),
        (None, Some(LegalGround::Art9_5_1))
    );
    assert_eq!(d.reasons[0].article, "Art. 9(5-1)");
}

#[test]
fn of_several_consents_one_that_allows_wins() {
    // An older consent without the category, a newer one with it.
    let mut w = World::new();
    w.consents[0].categories = cats(&["full_name"]);
    let mut other = consent();
    other.id = Uuid::from_u128(3);
    other.valid_until = w.now + days(10);
    w.consents.push(other);
    let d = w.decide();
    assert_eq!(d.outcome, Outcome::Allow);
    assert_eq!(d.consent, Some((Uuid::from_u128(3), 1)));
}

#[test]
fn codes_and_grounds_round_trip() {
    for a in Action::ALL {
        assert_eq!(Action::parse(a.as_str()), Some(a));
    }
    for g in LegalGround::ALL {
        assert_eq!(LegalGround::parse(g.as_str()), Some(*g));
        assert!(g.article().starts_with("Art. 9("));
    }
    let names: HashSet<&str> = ReasonCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names.len(), ReasonCode::ALL.len());
}

#[test]
fn every_reason_code_is_in_the_readme() {
    let readme = include_str!("../../../README.md");
    for code in ReasonCode::ALL {
        assert!(
            readme.contains(&format!(
                "`{}` | {}",
                code.as_str(),
                code.article().split('(').next().unwrap_or("")
            )),
            "{} missing from the README's reason list",
            code.as_str()
        );
    }
}
