//! Processing events: an organization reports an action it performed on a subject's
//! data (Art. 22(1)(5)); the report becomes a ledger entry.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use qorgau_core::catalogue::{CategoryCode, PurposeCode};
use qorgau_core::decision::Action;
use qorgau_core::id::{Bin, CountryCode, Iin};
use qorgau_core::{Error, ErrorCode};
use qorgau_ledger::{Actor, Entry};
use uuid::Uuid;

use crate::ledger::Prepared;
use crate::Store;

/// What the organization did.
#[derive(Debug, Clone)]
pub struct ProcessingEvent {
    pub subject: Iin,
    pub action: Action,
    pub purpose: PurposeCode,
    pub categories: BTreeSet<CategoryCode>,
    pub recipient_bin: Option<Bin>,
    pub recipient_country: Option<CountryCode>,
    /// The access decision it relied on, if any.
    pub decision: Option<Uuid>,
    /// When it happened (default: when reported).
    pub occurred_at: Option<Timestamp>,
    /// Why the subject is not told (Art. 19(2)); they are told otherwise.
    pub notice_exception: Option<NoticeException>,
    /// For a transfer: by when the subject had to be told (ten business days after it,
    /// Art. 19(1)), computed with the business-day calendar by the caller.
    pub notice_due: Option<Timestamp>,
}

/// The cases of Art. 19(2) in which the subject is not told of a transfer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
pub enum NoticeException {
    /// State bodies' functions under the law; private notaries, private judicial
    /// enforcement agents and lawyers (Art. 19(2)(1)).
    #[serde(rename = "art19_2_1")]
    StateFunctionsNotariesLawyers,
    /// Statistical, sociological or scientific purposes (Art. 19(2)(2)).
    #[serde(rename = "art19_2_2")]
    StatisticsResearch,
}

impl NoticeException {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeException::StateFunctionsNotariesLawyers => "art19_2_1",
            NoticeException::StatisticsResearch => "art19_2_2",
        }
    }
}

/// A report may say the action happened up to this long ago …
const MAX_AGE: SignedDuration = SignedDuration::from_hours(24 * 30);
/// … and never later than now, but for this much clock skew.
const SKEW: SignedDuration = SignedDuration::from_mins(5);

impl Store {
    /// Record a processing event in the ledger; its ledger index. The purpose must be
    /// one of the organization's and the categories known; nothing is recorded otherwise.
    pub async fn record_processing(
        &self,
        org: Uuid,
        ev: ProcessingEvent,
        now: Timestamp,
    ) -> Result<u64, Error> {
        let o = self.organization_cached(org).await?;
        if !o.kind.collects() && ev.action == Action::Collect {
            return Err(Error::new(ErrorCode::NotAnOperator));
        }
        if ev.categories.is_empty() {
            return Err(Error::new(ErrorCode::ValidationFailed).at("categories"));
        }
        if let Some(c) = self.unknown_category(ev.categories.iter()).await? {
            return Err(Error::new(ErrorCode::UnknownCategory)
                .at("categories")
                .arg("category", c.as_str()));
        }
        if o.kind.collects() {
            self.purpose_cached(org, &ev.purpose).await?;
        }
        let at = ev.occurred_at.unwrap_or(now);
        if at > now + SKEW || at < now - MAX_AGE {
            return Err(Error::new(ErrorCode::ValidationFailed).at("occurred_at"));
        }
        if (ev.action == Action::Transfer)
            != (ev.recipient_bin.is_some() || ev.recipient_country.is_some())
        {
            return Err(Error::new(ErrorCode::ValidationFailed).at("recipient"));
        }
        let index = self.secrets().keyring.blind_index(&ev.subject);
        let mut e = Entry::new(
            &format!("processing.{}", ev.action.as_str()),
            at,
            Actor::new("organization", Some(org.to_string())),
        )
        .subject(&index)
        .organization(org)
        .detail("reported_at", now);
        e.purpose = Some(ev.purpose.as_str().to_owned());
        e.action = Some(ev.action.as_str().to_owned());
        e.categories = ev
            .categories
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        if let Some(b) = ev.recipient_bin {
            e = e.detail("recipient_bin", b.as_string());
        }
        if let Some(c) = ev.recipient_country {
            e = e.detail("recipient_country", c.as_string());
        }
        if let Some(d) = ev.decision {
            e = e.detail("decision", d);
        }
        // The subject is told in the same change (Art. 8-2(2), 19(1)), unless a case of
        // Art. 19(2) applies, which is recorded instead.
        if let Some(x) = ev.notice_exception {
            e = e.detail("notice_exception", x.as_str());
        }
        if let Some(due) = ev.notice_due {
            e = e.detail("notice_due", due.to_string());
            if now > due {
                e = e.detail("notice_late", "true");
            }
        }
        let recipient = match ev.recipient_bin {
            None => None,
            Some(b) => Some(match self.organization_by_bin(&b).await {
                Ok(o) => format!("{} ({})", o.name, b.as_string()),
                Err(_) => b.as_string(),
            }),
        };
        let recipient = match (recipient, ev.recipient_country) {
            (Some(r), Some(c)) => Some(format!("{r}, {}", c.as_string())),
            (None, Some(c)) => Some(c.as_string()),
            (r, None) => r,
        };
        let purpose_name = if o.kind.collects() {
            Some(
                self.purpose_cached(org, &ev.purpose)
                    .await?
                    .purpose
                    .name
                    .clone(),
            )
        } else {
            None
        };
        let keyring = self.secrets().keyring.clone();
        let tell = ev.notice_exception.is_none();
        self.write(move |c| {
            Box::pin(async move {
                let person = if tell {
                    crate::subjects::find_by_iin(c, &keyring, &ev.subject).await?
                } else {
                    None
                };
                let e = match &person {
                    Some(p) if !p.pii.contact.is_empty() => {
                        let lang = p.pii.language;
                        let mut args = std::collections::BTreeMap::new();
                        args.insert("organization".to_owned(), o.name.clone());
                        args.insert("action".to_owned(), ev.action.as_str().to_owned());
                        args.insert(
                            "categories".to_owned(),
                            ev.categories
                                .iter()
                                .map(|c| c.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        );
                        args.insert(
                            "purpose".to_owned(),
                            purpose_name
                                .as_ref()
                                .map(|n| n.get(lang.as_str()).to_owned())
                                .unwrap_or_else(|| ev.purpose.as_str().to_owned()),
                        );
                        args.insert(
                            "recipient".to_owned(),
                            recipient.clone().unwrap_or_else(|| "none".to_owned()),
                        );
                        let msg = crate::outbox::Message {
                            kind: crate::outbox::MessageKind::DataProcessed,
                            to: p.pii.contact.clone(),
                            language: lang,
                            args,
                            reference: org.to_string(),
                        };
                        crate::outbox::enqueue(c, p, &msg, now).await?;
                        e.detail("notice", "queued")
                    }
                    Some(_) => e.detail("notice", "no_contact"),
                    None if tell => e.detail("notice", "unknown_subject"),
                    None => e,
                };
                crate::ledger::append_prepared(c, Prepared::new(&e)).await
            })
        })
        .await
    }
}
