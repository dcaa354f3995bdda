//! Access decisions: whether the Law and the subject's consent allow an organization to
//! perform an action on a subject's personal data, and every reason why.
//!
//! [`decide`] is a pure function of the request, the facts the store gathered (the
//! holder's consents for this subject, the purpose with its approved list, blocking,
//! the asker's registered Art. 9 grounds, the countries that ensure protection) and
//! `now`. It allocates little and never fails: bad input is refused before it is called.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::catalogue::{CategoryCode, Purpose, PurposeCode};
use crate::consent::{effective_state, ConsentState, CrossBorderTerms, TransferTerms};
use crate::id::{Bin, CountryCode};

/// What the organization wants to do with the data (Art. 1 p.2-1, p.3, p.5, p.12 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Collect,
    View,
    Change,
    Supplement,
    Use,
    Transfer,
    Disseminate,
    Depersonalize,
    Block,
    Destroy,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Collect,
        Action::View,
        Action::Change,
        Action::Supplement,
        Action::Use,
        Action::Transfer,
        Action::Disseminate,
        Action::Depersonalize,
        Action::Block,
        Action::Destroy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Collect => "collect",
            Action::View => "view",
            Action::Change => "change",
            Action::Supplement => "supplement",
            Action::Use => "use",
            Action::Transfer => "transfer",
            Action::Disseminate => "disseminate",
            Action::Depersonalize => "depersonalize",
            Action::Block => "block",
            Action::Destroy => "destroy",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Blocking and destruction stop processing; the Law demands them (Art. 1 p.3, 18),
    /// so no consent is needed for them and blocking does not stop them.
    pub fn is_protective(self) -> bool {
        matches!(self, Action::Block | Action::Destroy)
    }
}

macro_rules! grounds {
    ($( $variant:ident => $s:literal, $article:literal; )*) => {
        /// The cases of Art. 9 in which data are collected and processed without consent.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        pub enum LegalGround { $( #[serde(rename = $s)] $variant ),* }

        impl LegalGround {
            pub const ALL: &'static [LegalGround] = &[ $( LegalGround::$variant ),* ];
            pub fn as_str(self) -> &'static str {
                match self { $( LegalGround::$variant => $s ),* }
            }
            /// The sub-paragraph of Art. 9 it rests on.
            pub fn article(self) -> &'static str {
                match self { $( LegalGround::$variant => $article ),* }
            }
            pub fn parse(s: &str) -> Option<LegalGround> {
                match s { $( $s => Some(LegalGround::$variant), )* _ => None }
            }
        }
    };
}

grounds! {
    Art9_1 => "art9_1", "Art. 9(1)";
    Art9_2 => "art9_2", "Art. 9(2)";
    Art9_3 => "art9_3", "Art. 9(3)";
    Art9_4 => "art9_4", "Art. 9(4)";
    Art9_5 => "art9_5", "Art. 9(5)";
    Art9_5_1 => "art9_5_1", "Art. 9(5-1)";
    Art9_6 => "art9_6", "Art. 9(6)";
    Art9_7 => "art9_7", "Art. 9(7)";
    Art9_8 => "art9_8", "Art. 9(8)";
    Art9_9 => "art9_9", "Art. 9(9)";
    Art9_9_1 => "art9_9_1", "Art. 9(9-1)";
    Art9_9_2 => "art9_9_2", "Art. 9(9-2)";
    Art9_9_3 => "art9_9_3", "Art. 9(9-3)";
    Art9_9_4 => "art9_9_4", "Art. 9(9-4)";
    Art9_10 => "art9_10", "Art. 9(10)";
}

/// The grounds of Art. 16(3)(2)-(4) for a cross-border transfer to a country that does
/// not ensure protection, other than the subject's consent (16(3)(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrossBorderGround {
    /// Art. 16(3)(2): an international treaty ratified by Kazakhstan.
    InternationalTreaty,
    /// Art. 16(3)(3): a law, for the protection of constitutional order, public order,
    /// rights and freedoms, health and morals.
    Law,
    /// Art. 16(3)(4): protection of constitutional rights when consent cannot be obtained.
    ProtectionOfRights,
}

impl CrossBorderGround {
    pub fn as_str(self) -> &'static str {
        match self {
            CrossBorderGround::InternationalTreaty => "international_treaty",
            CrossBorderGround::Law => "law",
            CrossBorderGround::ProtectionOfRights => "protection_of_rights",
        }
    }
    pub fn article(self) -> &'static str {
        match self {
            CrossBorderGround::InternationalTreaty => "Art. 16(3)(2)",
            CrossBorderGround::Law => "Art. 16(3)(3)",
            CrossBorderGround::ProtectionOfRights => "Art. 16(3)(4)",
        }
    }
}

macro_rules! reasons {
    ($( $variant:ident => $s:literal, $article:literal, $allows:literal; )*) => {
        /// Why a decision came out as it did. Stable codes; each rests on an article.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        pub enum ReasonCode { $( #[serde(rename = $s)] $variant ),* }

        impl ReasonCode {
            pub const ALL: &'static [ReasonCode] = &[ $( ReasonCode::$variant ),* ];
            pub fn as_str(self) -> &'static str {
                match self { $( ReasonCode::$variant => $s ),* }
            }
            /// The article the reason rests on (an Art. 9 ground names its own sub-paragraph).
            pub fn article(self) -> &'static str {
                match self { $( ReasonCode::$variant => $article ),* }
            }
            /// Whether the reason supports an allow (else it is a ground to deny).
            pub fn allows(self) -> bool {
                match self { $( ReasonCode::$variant => $allows ),* }
            }
        }
    };
}

reasons! {
    // Grounds to allow.
    Art8ConsentInForce => "ART8_CONSENT_IN_FORCE", "Art. 7(1), 8", true;
    Art9GroundApplies => "ART9_GROUND_APPLIES", "Art. 9", true;
    Art16_2AdequateCountry => "ART16_2_ADEQUATE_COUNTRY", "Art. 16(2)", true;
    Art16_3_1CrossBorderConsent => "ART16_3_1_CROSS_BORDER_CONSENT", "Art. 16(3)(1)", true;
    Art16_3CrossBorderGround => "ART16_3_CROSS_BORDER_GROUND", "Art. 16(3)", true;
    Art18ProtectiveAction => "ART18_PROTECTIVE_ACTION", "Art. 1 p.3, 18", true;
    // Grounds to deny.
    Art7_1NoActiveConsent => "ART7_1_NO_ACTIVE_CONSENT", "Art. 7(1), 8", false;
    Art7_8PurposeNotConsented => "ART7_8_PURPOSE_NOT_CONSENTED", "Art. 7(8), 14", false;
    Art8ConsentWithdrawn => "ART8_CONSENT_WITHDRAWN", "Art. 8(1)", false;
    Art8_4ConsentExpired => "ART8_4_CONSENT_EXPIRED", "Art. 8(4)(3)", false;
    Art8_4ConsentNotYetValid => "ART8_4_CONSENT_NOT_YET_VALID", "Art. 8(4)(3)", false;
    Art8ConsentSuperseded => "ART8_CONSENT_SUPERSEDED", "Art. 8(4)", false;
    Art7_9CategoryNotConsented => "ART7_9_CATEGORY_NOT_CONSENTED", "Art. 7(9), 8(4)(7)", false;
    Art25_2_1CategoryNotApproved => "ART25_2_1_CATEGORY_NOT_APPROVED", "Art. 7(9), 25(2)(1)", false;
    Art15TransferNotConsented => "ART15_TRANSFER_NOT_CONSENTED", "Art. 7(6), 15", false;
    Art15RecipientNotNamed => "ART15_RECIPIENT_NOT_NAMED", "Art. 7(6), 15", false;
    Art7_3DisseminationNotConsented => "ART7_3_DISSEMINATION_NOT_CONSENTED", "Art. 7(3), 8(4)(6)", false;
    Art16_3NoCrossBorderConsent => "ART16_3_NO_CROSS_BORDER_CONSENT", "Art. 16(3)", false;
    Art1_3DataBlocked => "ART1_3_DATA_BLOCKED", "Art. 1 p.3, 24(1)(3)", false;
    Art12_2StorageTermElapsed => "ART12_2_STORAGE_TERM_ELAPSED", "Art. 12(2), 18", false;
    Art9GroundNotRegistered => "ART9_GROUND_NOT_REGISTERED", "Art. 9", false;
}

/// One reason of a decision: its code, and the article it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Reason {
    pub code: ReasonCode,
    pub article: &'static str,
}

impl Reason {
    fn of(code: ReasonCode) -> Reason {
        Reason {
            code,
            article: code.article(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Allow,
    Deny,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::Deny => "deny",
        }
    }
}

/// Where the data go in a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recipient {
    /// A third party registered in Kazakhstan, by BIN.
    pub bin: Option<Bin>,
    /// The country the data go to; anything but KZ is a cross-border transfer (Art. 16).
    pub country: Option<CountryCode>,
}

/// What the organization asks (already validated).
#[derive(Debug, Clone)]
pub struct AccessRequest {
    pub action: Action,
    pub purpose: PurposeCode,
    pub categories: BTreeSet<CategoryCode>,
    pub recipient: Recipient,
    /// Processing without consent, on this Art. 9 ground.
    pub legal_ground: Option<LegalGround>,
    /// A ground of Art. 16(3)(2)-(4) for a cross-border transfer.
    pub cross_border_ground: Option<CrossBorderGround>,
    /// The consent the organization means to rely on, if it names one.
    pub consent: Option<uuid::Uuid>,
}

/// What the engine needs to know of one consent the holder has for this subject.
#[derive(Debug, Clone)]
pub struct ConsentFacts {
    pub id: uuid::Uuid,
    pub version: i64,
    pub purpose: PurposeCode,
    /// The state as stored; lapse and expiry are judged against `now` here.
    pub state: ConsentState,
    pub respond_by: Timestamp,
    pub valid_from: Option<Timestamp>,
    pub valid_until: Timestamp,
    pub categories: BTreeSet<CategoryCode>,
    pub transfer: TransferTerms,
    pub cross_border: CrossBorderTerms,
    pub dissemination: bool,
}

/// Everything else the decision depends on.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// When the asker is a third party, the BIN it is known by: the holder's consent must
    /// allow transfer to it (Art. 15). `None` when the asker holds the data itself.
    pub third_party: Option<Bin>,
    /// The holder's purpose with this code (the caller refuses unknown purposes).
    pub purpose: &'a Purpose,
    /// The holder's consents for this subject, any purpose, any state.
    pub consents: &'a [ConsentFacts],
    /// When processing for this purpose began (the first consent's start, or the first
    /// recorded processing): the storage term runs from it (Art. 12(2)).
    pub processing_started: Option<Timestamp>,
    /// The subject's data are blocked at the holder (Art. 1 p.3, 24(1)(3)).
    pub blocked: bool,
    /// The Art. 9 grounds the deployment registered for the asker.
    pub registered_grounds: &'a [LegalGround],
    /// The countries that ensure the protection of personal data (Art. 16(2)).
    pub adequate_countries: &'a BTreeSet<CountryCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub outcome: Outcome,
    /// Every reason that applies: on a deny only the grounds to deny, on an allow the
    /// grounds it rests on.
    pub reasons: Vec<Reason>,
    /// The consent relied on (on an allow) or judged (on a deny), with its version.
    pub consent: Option<(uuid::Uuid, i64)>,
    /// The Art. 9 ground relied on instead of consent.
    pub legal_ground: Option<LegalGround>,
}

/// Whether the consent itself, as of `now`, is in force; if not, why.
fn consent_in_force(c: &ConsentFacts, now: Timestamp) -> Result<(), ReasonCode> {
    match effective_state(c.state, c.respond_by, c.valid_until, now) {
        ConsentState::Active => match c.valid_from {
            Some(from) if now < from => Err(ReasonCode::Art8_4ConsentNotYetValid),
            _ => Ok(()),
        },
        ConsentState::Withdrawn => Err(ReasonCode::Art8ConsentWithdrawn),
        ConsentState::Expired => Err(ReasonCode::Art8_4ConsentExpired),
        ConsentState::Superseded => Err(ReasonCode::Art8ConsentSuperseded),
        ConsentState::Pending | ConsentState::Refused | ConsentState::Lapsed => {
            Err(ReasonCode::Art7_1NoActiveConsent)
        }
    }
}

fn is_cross_border(r: &Recipient) -> Option<CountryCode> {
    r.country.filter(|c| *c != CountryCode::KZ)
}

/// The cross-border conditions of Art. 16 for a transfer to `country`; `consent` is the
/// consent's cross-border terms when the basis is consent. Pushes the reason found.
fn cross_border(
    country: CountryCode,
    consent: Option<&CrossBorderTerms>,
    req: &AccessRequest,
    f: &Facts<'_>,
    allow: &mut Vec<Reason>,
    deny: &mut Vec<Reason>,
) {
    if f.adequate_countries.contains(&country) {
        allow.push(Reason::of(ReasonCode::Art16_2AdequateCountry));
    } else if consent.is_some_and(|t| t.allowed && t.countries.contains(&country)) {
        allow.push(Reason::of(ReasonCode::Art16_3_1CrossBorderConsent));
    } else if let Some(g) = req.cross_border_ground {
        allow.push(Reason {
            code: ReasonCode::Art16_3CrossBorderGround,
            article: g.article(),
        });
    } else {
        deny.push(Reason::of(ReasonCode::Art16_3NoCrossBorderConsent));
    }
}

/// The consent-based checks of one consent in force: categories, transfer,
/// dissemination, cross-border. Returns the grounds to deny.
fn judge_terms(
    c: &ConsentFacts,
    req: &AccessRequest,
    f: &Facts<'_>,
    allow: &mut Vec<Reason>,
) -> Vec<Reason> {
    let mut deny = Vec::new();
    if !req.categories.is_subset(&c.categories) {
        deny.push(Reason::of(ReasonCode::Art7_9CategoryNotConsented));
    }
    // A third party receives data by transfer: the holder's consent must name it.
    let transfer_to = match (f.third_party, req.action, req.recipient.bin) {
        (Some(tp), _, _) => Some(tp),
        (None, Action::Transfer, bin) => bin,
        _ => None,
    };
    if let Some(bin) = transfer_to {
        if !c.transfer.allowed {
            deny.push(Reason::of(ReasonCode::Art15TransferNotConsented));
        } else if !c.transfer.recipients.contains(&bin) {
            deny.push(Reason::of(ReasonCode::Art15RecipientNotNamed));
        }
    }
    if req.action == Action::Disseminate && !c.dissemination {
        deny.push(Reason::of(ReasonCode::Art7_3DisseminationNotConsented));
    }
    if req.action == Action::Transfer {
        if let Some(country) = is_cross_border(&req.recipient) {
            cross_border(country, Some(&c.cross_border), req, f, allow, &mut deny);
        }
    }
    deny
}

/// Decide. See the module documentation.
pub fn decide(req: &AccessRequest, f: &Facts<'_>, now: Timestamp) -> Decision {
    // Conditions that hold whatever the basis.
    let mut general = Vec::new();
    if !req.categories.is_subset(&f.purpose.categories) {
        general.push(Reason::of(ReasonCode::Art25_2_1CategoryNotApproved));
    }
    if req.action.is_protective() {
        // Blocking and destroying are owed, not permitted: consent, blocking and the
        // storage term do not stand in their way.
        return Decision {
            outcome: Outcome::Allow,
            reasons: vec![Reason::of(ReasonCode::Art18ProtectiveAction)],
            consent: None,
            legal_ground: None,
        };
    }
    if f.blocked {
        general.push(Reason::of(ReasonCode::Art1_3DataBlocked));
    }
    if let Some(started) = f.processing_started {
        let term = SignedDuration::from_hours(24 * i64::from(f.purpose.storage_term_days));
        if started.checked_add(term).is_ok_and(|end| now >= end) {
            general.push(Reason::of(ReasonCode::Art12_2StorageTermElapsed));
        }
    }

    // Without consent, on an Art. 9 ground the asker is registered for.
    if let Some(ground) = req.legal_ground {
        let mut allow = Vec::new();
        let mut deny = general;
        if f.registered_grounds.contains(&ground) {
            allow.push(Reason {
                code: ReasonCode::Art9GroundApplies,
                article: ground.article(),
            });
        } else {
            deny.push(Reason {
                code: ReasonCode::Art9GroundNotRegistered,
                article: ground.article(),
            });
        }
        if req.action == Action::Transfer {
            if let Some(country) = is_cross_border(&req.recipient) {
                cross_border(country, None, req, f, &mut allow, &mut deny);
            }
        }
        return finish(allow, deny, None, Some(ground));
    }

    // On consent: the consents for this purpose, newest version first.
    let mut for_purpose: Vec<&ConsentFacts> = f
        .consents
        .iter()
        .filter(|c| c.purpose == f.purpose.code)
        .collect();
    for_purpose.sort_by(|a, b| {
        b.valid_until
            .cmp(&a.valid_until)
            .then(b.version.cmp(&a.version))
    });

    // A consent the asker names is judged alone.
    if let Some(named) = req.consent {
        let Some(c) = for_purpose.iter().find(|c| c.id == named) else {
            let mut deny = general;
            deny.push(Reason::of(ReasonCode::Art7_1NoActiveConsent));
            return finish(Vec::new(), deny, None, None);
        };
        for_purpose = vec![c];
    }

    let mut best: Option<(&ConsentFacts, Vec<Reason>)> = None;
    let mut not_in_force: Option<(&ConsentFacts, ReasonCode)> = None;
    for c in &for_purpose {
        match consent_in_force(c, now) {
            Ok(()) => {
                let mut allow = vec![Reason::of(ReasonCode::Art8ConsentInForce)];
                let deny = judge_terms(c, req, f, &mut allow);
                if deny.is_empty() && general.is_empty() {
                    return finish(allow, Vec::new(), Some(c), None);
                }
                // Keep the consent in force that fails on the fewest counts.
                if best.as_ref().is_none_or(|(_, d)| deny.len() < d.len()) {
                    best = Some((c, deny));
                }
            }
            Err(why) => {
                // Report the most telling state: the newest consent's, but a withdrawal
                // or expiry over a consent that was never given.
                let replace = match &not_in_force {
                    None => true,
                    Some((_, ReasonCode::Art7_1NoActiveConsent)) => {
                        why != ReasonCode::Art7_1NoActiveConsent
                    }
                    Some(_) => false,
                };
                if replace {
                    not_in_force = Some((c, why));
                }
            }
        }
    }
    let mut deny = general;
    match (best, not_in_force) {
        (Some((c, d)), _) => {
            deny.extend(d);
            finish(Vec::new(), deny, Some(c), None)
        }
        (None, Some((c, why))) => {
            deny.push(Reason::of(why));
            finish(Vec::new(), deny, Some(c), None)
        }
        (None, None) => {
            // Nothing for this purpose. A consent in force for another purpose makes
            // this a use beyond the consented purpose.
            let other = f
                .consents
                .iter()
                .any(|c| c.purpose != f.purpose.code && consent_in_force(c, now).is_ok());
            deny.push(Reason::of(if other {
                ReasonCode::Art7_8PurposeNotConsented
            } else {
                ReasonCode::Art7_1NoActiveConsent
            }));
            finish(Vec::new(), deny, None, None)
        }
    }
}

fn finish(
    allow: Vec<Reason>,
    mut deny: Vec<Reason>,
    consent: Option<&ConsentFacts>,
    legal_ground: Option<LegalGround>,
) -> Decision {
    let consent = consent.map(|c| (c.id, c.version));
    if deny.is_empty() {
        Decision {
            outcome: Outcome::Allow,
            reasons: allow,
            consent,
            legal_ground,
        }
    } else {
        deny.sort_by_key(|r| r.code);
        deny.dedup_by_key(|r| r.code);
        Decision {
            outcome: Outcome::Deny,
            reasons: deny,
            consent,
            legal_ground,
        }
    }
}

#[cfg(test)]
#[path = "decision_tests.rs"]
mod tests;
