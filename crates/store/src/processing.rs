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
        let p = Prepared::new(&e);
        self.write(move |c| Box::pin(async move { crate::ledger::append_prepared(c, p).await }))
            .await
    }
}
