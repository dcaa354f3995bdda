//! The transactional outbox: messages are queued in the same transaction as the
//! change that causes them, and a dispatcher delivers them afterwards.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use qorgau_core::consent::{Contact, Language};
use qorgau_core::Error;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::subjects::{self, Subject};
use crate::{db, new_id, ts_to_db, Conn, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A one-time code that confirms or refuses a consent request.
    ConsentCode,
    /// A one-time code that signs a subject in.
    SigninCode,
    /// The organization received the subject's request; when the answer is due.
    RequestReceived,
    /// The organization answered the request.
    RequestCompleted,
    /// The organization refused the request, with a reason.
    RequestRefused,
    /// The deadline passed without an answer (to the subject).
    RequestOverdue,
    /// The deadline passed without an answer (to the organization's DPO).
    RequestOverdueDpo,
}

impl MessageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::ConsentCode => "consent_code",
            MessageKind::SigninCode => "signin_code",
            MessageKind::RequestReceived => "request_received",
            MessageKind::RequestCompleted => "request_completed",
            MessageKind::RequestRefused => "request_refused",
            MessageKind::RequestOverdue => "request_overdue",
            MessageKind::RequestOverdueDpo => "request_overdue_dpo",
        }
    }
}

/// A message to a person. Sealed under the person's data key while queued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    pub kind: MessageKind,
    pub to: Contact,
    pub language: Language,
    /// Arguments of the message's text (organization name, code, …).
    pub args: BTreeMap<String, String>,
    /// What the message is about (a consent request id, a sign-in challenge id).
    pub reference: String,
}

/// A message taken for delivery.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: Uuid,
    /// `sms` or `email`: the medium the message should travel by.
    pub medium: String,
    pub attempts: i64,
    /// `None` when the person's data were destroyed before delivery.
    pub message: Option<Message>,
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone)]
pub enum Delivery {
    Sent,
    Failed(String),
}

/// Queue `msg` for `person` inside the current change.
pub(crate) async fn enqueue(
    c: &mut Conn,
    person: &Subject,
    msg: &Message,
    now: Timestamp,
) -> Result<Uuid, Error> {
    let id = new_id();
    let medium = if msg.to.phone.is_some() {
        "sms"
    } else {
        "email"
    };
    crate::db::query(
        "INSERT INTO outbox (id, subject_id, channel, kind, payload, status, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6)",
    )
    .bind(id.to_string())
    .bind(person.id.to_string())
    .bind(medium)
    .bind(msg.kind.as_str())
    .bind(person.seal_json(&format!("outbox {id}"), msg)?)
    .bind(ts_to_db(now))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    Ok(id)
}

/// Queue `msg` to someone who is not a subject (an organization's DPO) inside the
/// current change, sealed under the service's key.
pub(crate) async fn enqueue_staff(
    c: &mut Conn,
    keyring: &qorgau_core::crypto::Keyring,
    msg: &Message,
    now: Timestamp,
) -> Result<Uuid, Error> {
    let id = new_id();
    let medium = if msg.to.email.is_some() {
        "email"
    } else {
        "sms"
    };
    let payload = serde_json::to_vec(msg).map_err(|_| Error::internal())?;
    crate::db::query(
        "INSERT INTO outbox (id, subject_id, channel, kind, payload, status, next_attempt_at, created_at) VALUES ($1, NULL, $2, $3, $4, 'queued', $5, $5)",
    )
    .bind(id.to_string())
    .bind(medium)
    .bind(msg.kind.as_str())
    .bind(keyring.seal_service(format!("outbox {id}").as_bytes(), &payload)?)
    .bind(ts_to_db(now))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    Ok(id)
}

/// Backoff before attempt `n + 1`: 2^n seconds, at most an hour.
pub fn backoff(attempts: i64) -> SignedDuration {
    SignedDuration::from_secs(1i64 << attempts.clamp(0, 12)).min(SignedDuration::from_hours(1))
}

pub const MAX_ATTEMPTS: i64 = 10;

impl Store {
    /// On SQLite one `serve` process owns the database, so at its start every lease is a
    /// dead process's: release them, and what it had claimed but not delivered goes out
    /// now rather than when the lease runs out. (On PostgreSQL, where several processes
    /// share the outbox, leases run out by themselves.) Returns how many were released.
    pub async fn release_stale_leases(&self) -> Result<u64, Error> {
        if self.backend() != crate::Backend::Sqlite {
            return Ok(0);
        }
        self.write(|c| {
            Box::pin(async move {
                let r = crate::db::query("UPDATE outbox SET lease_until = NULL WHERE status = 'queued' AND lease_until IS NOT NULL")
                    .execute(c)
                    .await
                    .map_err(db)?;
                Ok(r.rows_affected())
            })
        })
        .await
    }

    /// Lease up to `limit` due messages for `lease`; a crashed dispatcher's lease runs out.
    pub async fn claim_outbox(
        &self,
        now: Timestamp,
        lease: SignedDuration,
        limit: i64,
    ) -> Result<Vec<Claimed>, Error> {
        let keyring = self.secrets().keyring.clone();
        let claimed = self
            .write(move |c| {
                Box::pin(async move {
                    let rows = crate::db::query(
                        "UPDATE outbox SET lease_until = $1, attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) ORDER BY next_attempt_at, id LIMIT $3) RETURNING id, subject_id, channel, payload, attempts",
                    )
                    .bind(ts_to_db(now + lease))
                    .bind(ts_to_db(now))
                    .bind(limit)
                    .fetch_all(&mut *c)
                    .await
                    .map_err(db)?;
                    let mut out = Vec::with_capacity(rows.len());
                    let mut people: BTreeMap<String, Option<Subject>> = BTreeMap::new();
                    for r in rows {
                        let id: String = r.try_get("id").map_err(db)?;
                        let subject_id: Option<String> = r.try_get("subject_id").map_err(db)?;
                        let payload: Vec<u8> = r.try_get("payload").map_err(db)?;
                        let mut message = None;
                        if subject_id.is_none() {
                            message = keyring
                                .open_service(format!("outbox {id}").as_bytes(), &payload)
                                .ok()
                                .and_then(|raw| serde_json::from_slice(&raw).ok());
                        }
                        if let Some(sid) = subject_id {
                            if !people.contains_key(&sid) {
                                let s = subjects::load(c, &keyring, &sid).await?;
                                people.insert(sid.clone(), s);
                            }
                            if let Some(Some(person)) = people.get(&sid) {
                                message = person.open_json(&format!("outbox {id}"), &payload).ok();
                            }
                        }
                        out.push(Claimed {
                            id: id.parse().map_err(|_| Error::internal())?,
                            medium: r.try_get("channel").map_err(db)?,
                            attempts: r.try_get("attempts").map_err(db)?,
                            message,
                        });
                    }
                    // RETURNING has no order: deliver in the order the messages were
                    // queued (ids are time-ordered UUIDv7), so the newest code arrives last.
                    out.sort_by_key(|m| m.id);
                    Ok(out)
                })
            })
            .await?;
        Ok(claimed)
    }

    /// Record the outcome of deliveries.
    pub async fn outbox_done(
        &self,
        results: Vec<(Uuid, i64, Delivery)>,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.write(move |c| {
            Box::pin(async move {
                for (id, attempts, d) in results {
                    match d {
                        Delivery::Sent => {
                            let row = crate::db::query("UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2 RETURNING subject_id, channel, kind")
                                .bind(ts_to_db(now))
                                .bind(id.to_string())
                                .fetch_optional(&mut *c)
                                .await
                                .map_err(db)?;
                            // What was sent, to whom (pseudonymously), by which channel;
                            // never the text, the address or a code.
                            if let Some(r) = row {
                                let e = qorgau_ledger::Entry::new("notification.sent", now, qorgau_ledger::Actor::new("service", None))
                                    .object("notification", id)
                                    .detail("channel", r.try_get::<String>("channel").map_err(db)?)
                                    .detail("kind", r.try_get::<String>("kind").map_err(db)?);
                                match r.try_get::<Option<String>>("subject_id").map_err(db)? {
                                    Some(sid) => crate::ledger::append_about(c, &sid, e).await?,
                                    None => crate::ledger::append(c, &e).await?,
                                };
                            }
                        }
                        Delivery::Failed(err) => {
                            let (status, next) = if attempts >= MAX_ATTEMPTS {
                                ("failed", now)
                            } else {
                                ("queued", now + backoff(attempts))
                            };
                            crate::db::query("UPDATE outbox SET status = $1, next_attempt_at = $2, lease_until = NULL, last_error = $3 WHERE id = $4")
                                .bind(status)
                                .bind(ts_to_db(next))
                                .bind(err)
                                .bind(id.to_string())
                                .execute(&mut *c)
                                .await
                                .map_err(db)?;
                        }
                    }
                }
                Ok(())
            })
        })
        .await
    }

    /// Count messages by status (for readiness and tests).
    pub async fn outbox_counts(&self) -> Result<BTreeMap<String, i64>, Error> {
        let mut c = self.reader().await?;
        let rows: Vec<(String, i64)> =
            crate::db::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
                .fetch_all(&mut c)
                .await
                .map_err(db)?;
        Ok(rows.into_iter().collect())
    }
}
