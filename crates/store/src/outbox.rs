//! The transactional outbox: messages are queued in the same transaction as the
//! change that causes them, and a dispatcher delivers them afterwards.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use qorgau_core::consent::{Contact, Language};
use qorgau_core::crypto::Keyring;
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
    /// The subject gave consent (or their representative did).
    ConsentGiven,
    /// The subject refused a consent request.
    ConsentRefused,
    /// The consent was withdrawn.
    ConsentWithdrawn,
    /// The organization refused the withdrawal, with its reason (Art. 8(2)).
    WithdrawalRefused,
    /// The consent's term ended.
    ConsentExpired,
    /// An organization reported an action on the subject's data (Art. 8-2(2), 19).
    DataProcessed,
    /// The day's notifications in one message, for subjects who chose a digest.
    Digest,
}

impl MessageKind {
    pub const ALL: &'static [MessageKind] = &[
        MessageKind::ConsentCode,
        MessageKind::SigninCode,
        MessageKind::RequestReceived,
        MessageKind::RequestCompleted,
        MessageKind::RequestRefused,
        MessageKind::RequestOverdue,
        MessageKind::RequestOverdueDpo,
        MessageKind::ConsentGiven,
        MessageKind::ConsentRefused,
        MessageKind::ConsentWithdrawn,
        MessageKind::WithdrawalRefused,
        MessageKind::ConsentExpired,
        MessageKind::DataProcessed,
        MessageKind::Digest,
    ];

    /// One-time codes: always sent at once by the contact's channel, whatever the
    /// subject's preferences, and never kept in the inbox or a digest.
    pub fn is_code(self) -> bool {
        matches!(self, MessageKind::ConsentCode | MessageKind::SigninCode)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::ConsentCode => "consent_code",
            MessageKind::SigninCode => "signin_code",
            MessageKind::RequestReceived => "request_received",
            MessageKind::RequestCompleted => "request_completed",
            MessageKind::RequestRefused => "request_refused",
            MessageKind::RequestOverdue => "request_overdue",
            MessageKind::RequestOverdueDpo => "request_overdue_dpo",
            MessageKind::ConsentGiven => "consent_given",
            MessageKind::ConsentRefused => "consent_refused",
            MessageKind::ConsentWithdrawn => "consent_withdrawn",
            MessageKind::WithdrawalRefused => "withdrawal_refused",
            MessageKind::ConsentExpired => "consent_expired",
            MessageKind::DataProcessed => "data_processed",
            MessageKind::Digest => "digest",
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
    /// For the `webhook` channel: the call to make (`None` if the endpoint is gone).
    pub webhook: Option<crate::webhooks::WebhookCall>,
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone)]
pub enum Delivery {
    /// Handed to the channel (an SMTP server, an SMS gateway, a file).
    Sent,
    /// The recipient itself acknowledged it (a webhook endpoint's 2xx).
    Delivered,
    Failed(String),
}

/// Set when a change queues a message; the writer that sees it after its commit wakes
/// the dispatcher, which claims through the same writer and so after that commit.
/// (Process-wide: a wake meant for another store is only a wasted look.)
pub(crate) static QUEUED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn queued() {
    QUEUED.store(true, std::sync::atomic::Ordering::Release);
}

/// A subject's choice of channels and pace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// `sms`, `email`, both, or none (the inbox in the service only).
    pub channels: Vec<String>,
    /// One message a day with everything instead of one message each.
    pub digest: bool,
}

pub(crate) async fn preferences(c: &mut Conn, subject: &str) -> Result<Option<Preferences>, Error> {
    let row: Option<(String, i64)> = crate::db::query_as(
        "SELECT channels, digest FROM subject_preferences WHERE subject_id = $1",
    )
    .bind(subject.to_owned())
    .fetch_optional(&mut *c)
    .await
    .map_err(db)?;
    Ok(row.map(|(ch, d)| Preferences {
        channels: ch
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        digest: d != 0,
    }))
}

/// Queue `msg` for `person` inside the current change, by their preferences: the
/// channel they chose (or the inbox only), at once or held for the day's digest.
/// One-time codes ignore preferences: they go at once by the contact's channel.
pub(crate) async fn enqueue(
    c: &mut Conn,
    person: &Subject,
    msg: &Message,
    now: Timestamp,
) -> Result<Uuid, Error> {
    let id = new_id();
    let default = if msg.to.phone.is_some() {
        "sms"
    } else {
        "email"
    };
    let (medium, status) = if msg.kind.is_code() {
        (default, "queued")
    } else {
        match preferences(c, &person.id.to_string()).await? {
            None => (default, "queued"),
            Some(p) => {
                let has = |m: &str| p.channels.iter().any(|c| c == m);
                let medium = if has("sms") && msg.to.phone.is_some() {
                    Some("sms")
                } else if has("email") && msg.to.email.is_some() {
                    Some("email")
                } else {
                    None
                };
                match medium {
                    None => ("inbox", "inbox"),
                    Some(m) if p.digest => (m, "held"),
                    Some(m) => (m, "queued"),
                }
            }
        }
    };
    crate::db::query(
        "INSERT INTO outbox (id, subject_id, channel, kind, payload, status, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(id.to_string())
    .bind(person.id.to_string())
    .bind(medium)
    .bind(msg.kind.as_str())
    .bind(person.seal_json(&format!("outbox {id}"), msg)?)
    .bind(status)
    .bind(ts_to_db(now))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    queued();
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
    queued();
    Ok(id)
}

/// Backoff before attempt `n + 1`: 2^n seconds, at most an hour.
pub fn backoff(attempts: i64) -> SignedDuration {
    SignedDuration::from_secs(1i64 << attempts.clamp(0, 12)).min(SignedDuration::from_hours(1))
}

pub const MAX_ATTEMPTS: i64 = 10;

/// Lease up to `limit` due messages, oldest first, until `now + lease`, also setting
/// `set`; returns `id`, `channel` and the `more` columns. (The lease is checked again on
/// the row itself, so that on PostgreSQL two processes that picked the same rows at
/// once cannot both take them.) `$1` is the lease's end, `$2` is `now`.
async fn lease_due(
    c: &mut Conn,
    set: &str,
    more: &str,
    (now, lease, limit): (Timestamp, SignedDuration, i64),
) -> Result<Vec<crate::db::Row>, Error> {
    let more = if more.is_empty() {
        String::new()
    } else {
        format!(", {more}")
    };
    let sql = format!(
        "UPDATE outbox SET lease_until = $1, {set} WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) ORDER BY next_attempt_at, id LIMIT $3) AND (lease_until IS NULL OR lease_until <= $2) RETURNING id, channel{more}"
    );
    crate::db::query(&sql)
        .bind(ts_to_db(now + lease))
        .bind(ts_to_db(now))
        .bind(limit)
        .fetch_all(c)
        .await
        .map_err(db)
}

/// `$from, $from+1, …`: `n` placeholders for a bound list, never values in the text.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Open claimed rows: the message sealed under the person's key (or the service's),
/// or the webhook call with its endpoint's current URL and secret.
async fn open_claimed(
    c: &mut Conn,
    keyring: &Keyring,
    rows: Vec<crate::db::Row>,
) -> Result<Vec<Claimed>, Error> {
    let mut out = Vec::with_capacity(rows.len());
    let mut people: BTreeMap<String, Option<Subject>> = BTreeMap::new();
    let mut targets: BTreeMap<String, Option<(String, String)>> = BTreeMap::new();
    for r in rows {
        let id: String = r.try_get("id").map_err(db)?;
        let subject_id: Option<String> = r.try_get("subject_id").map_err(db)?;
        let payload: Vec<u8> = r.try_get("payload").map_err(db)?;
        let channel: String = r.try_get("channel").map_err(db)?;
        let mut message = None;
        let mut webhook = None;
        if channel == "webhook" {
            let endpoint: Option<String> = r.try_get("endpoint_id").map_err(db)?;
            if let Some(ep) = endpoint {
                if !targets.contains_key(&ep) {
                    let t = crate::webhooks::target(c, keyring, &ep).await?;
                    targets.insert(ep.clone(), t);
                }
                if let Some(Some((url, secret))) = targets.get(&ep) {
                    webhook = Some(crate::webhooks::WebhookCall {
                        url: url.clone(),
                        secret: secret.clone(),
                        body: String::from_utf8_lossy(&payload).into_owned(),
                    });
                }
            }
        } else if subject_id.is_none() {
            message = keyring
                .open_service(format!("outbox {id}").as_bytes(), &payload)
                .ok()
                .and_then(|raw| serde_json::from_slice(&raw).ok());
        }
        if let Some(sid) = subject_id {
            if !people.contains_key(&sid) {
                let s = subjects::load(c, keyring, &sid).await?;
                people.insert(sid.clone(), s);
            }
            if let Some(Some(person)) = people.get(&sid) {
                message = person.open_json(&format!("outbox {id}"), &payload).ok();
            }
        }
        out.push(Claimed {
            id: id.parse().map_err(|_| Error::internal())?,
            medium: channel,
            attempts: r.try_get("attempts").map_err(db)?,
            message,
            webhook,
        });
    }
    // RETURNING has no order: deliver in the order the messages were queued (ids are
    // time-ordered UUIDv7), so the newest code arrives last.
    out.sort_by_key(|m| m.id);
    Ok(out)
}

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
        self.write(move |c| {
            Box::pin(async move {
                let rows = lease_due(
                    c,
                    "attempts = attempts + 1, published_at = NULL",
                    "subject_id, payload, attempts, endpoint_id",
                    (now, lease, limit),
                )
                .await?;
                open_claimed(c, &keyring, rows).await
            })
        })
        .await
    }

    /// For the NATS transport: lease up to `limit` due messages for publishing, marked
    /// as handed to the stream. Returns each message's id and medium. If the process
    /// dies before publishing, or the stream loses them, they are published again when
    /// the lease runs out.
    pub async fn claim_for_publishing(
        &self,
        now: Timestamp,
        lease: SignedDuration,
        limit: i64,
    ) -> Result<Vec<(Uuid, String)>, Error> {
        self.write(move |c| {
            Box::pin(async move {
                let rows = lease_due(c, "published_at = $2", "", (now, lease, limit)).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let id: String = r.try_get("id").map_err(db)?;
                    out.push((
                        id.parse().map_err(|_| Error::internal())?,
                        r.try_get("channel").map_err(db)?,
                    ));
                }
                out.sort();
                Ok(out)
            })
        })
        .await
    }

    /// For the NATS transport: take the messages the stream handed this process, for
    /// `lease`. A message is taken once per publication: one the stream carries again
    /// (redelivered, or published twice) finds it taken, or already delivered, and is
    /// left out.
    pub async fn claim_published(
        &self,
        ids: Vec<Uuid>,
        now: Timestamp,
        lease: SignedDuration,
    ) -> Result<Vec<Claimed>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keyring = self.secrets().keyring.clone();
        self.write(move |c| {
            Box::pin(async move {
                // Placeholders only: the ids are bound, never written into the text.
                let list = placeholders(2, ids.len());
                let sql = format!(
                    "UPDATE outbox SET lease_until = $1, attempts = attempts + 1, published_at = NULL WHERE id IN ({list}) AND status = 'queued' AND published_at IS NOT NULL RETURNING id, subject_id, channel, payload, attempts, endpoint_id"
                );
                let mut q = crate::db::query(&sql).bind(ts_to_db(now + lease));
                for id in &ids {
                    q = q.bind(id.to_string());
                }
                let rows = q.fetch_all(&mut *c).await.map_err(db)?;
                open_claimed(c, &keyring, rows).await
            })
        })
        .await
    }

    /// Record the outcome of deliveries.
    pub async fn outbox_done(
        &self,
        results: Vec<(Uuid, i64, Delivery)>,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.write(move |c| {
            Box::pin(async move {
                // Deliveries: one statement per status and up to 200 messages.
                let mut done: Vec<(&str, Vec<String>)> = vec![("sent", Vec::new()), ("delivered", Vec::new())];
                let mut failures = Vec::new();
                for (id, attempts, d) in results {
                    match d {
                        Delivery::Sent => done[0].1.push(id.to_string()),
                        Delivery::Delivered => done[1].1.push(id.to_string()),
                        Delivery::Failed(err) => failures.push((id, attempts, err)),
                    }
                }
                for (status, ids) in done {
                    for chunk in ids.chunks(200) {
                        let list = placeholders(3, chunk.len());
                        let sql = format!("UPDATE outbox SET status = $1, sent_at = $2, lease_until = NULL, last_error = NULL WHERE id IN ({list}) RETURNING id, subject_id, channel, kind");
                        let mut q = crate::db::query(&sql).bind(status).bind(ts_to_db(now));
                        for id in chunk {
                            q = q.bind(id.clone());
                        }
                        let mut rows = q.fetch_all(&mut *c).await.map_err(db)?;
                        // The ledger in the order the messages were queued.
                        let mut ordered = Vec::with_capacity(rows.len());
                        for r in rows.drain(..) {
                            let id: String = r.try_get("id").map_err(db)?;
                            ordered.push((id, r));
                        }
                        ordered.sort_by(|a, b| a.0.cmp(&b.0));
                        // What was sent, to whom (pseudonymously), by which channel;
                        // never the text, the address or a code.
                        for (id, r) in ordered {
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
                }
                for (id, attempts, err) in failures {
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
                Ok(())
            })
        })
        .await
    }

    /// The subject's inbox: every message the service sent or will send them, newest
    /// first, except one-time codes (a means of signing, not news).
    pub async fn inbox(
        &self,
        subject: Uuid,
        limit: i64,
    ) -> Result<Vec<(Uuid, Message, String, Timestamp)>, Error> {
        let keyring = self.secrets().keyring.clone();
        let mut c = self.reader().await?;
        let Some(person) = subjects::load(&mut c, &keyring, &subject.to_string()).await? else {
            return Ok(Vec::new());
        };
        let rows = crate::db::query("SELECT id, payload, status, created_at FROM outbox WHERE subject_id = $1 AND kind NOT IN ('consent_code', 'signin_code', 'digest') ORDER BY created_at DESC, id DESC LIMIT $2")
            .bind(subject.to_string())
            .bind(limit)
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: String = r.try_get("id").map_err(db)?;
            let payload: Vec<u8> = r.try_get("payload").map_err(db)?;
            let Ok(msg) = person.open_json::<Message>(&format!("outbox {id}"), &payload) else {
                continue;
            };
            out.push((
                id.parse().map_err(|_| Error::internal())?,
                msg,
                r.try_get("status").map_err(db)?,
                crate::ts_from_db(r.try_get("created_at").map_err(db)?),
            ));
        }
        Ok(out)
    }

    /// A subject's preferences; without any set, what applies: the contact's channel
    /// (SMS if there is a phone), at once.
    pub async fn subject_preferences(&self, subject: Uuid) -> Result<Preferences, Error> {
        let keyring = self.secrets().keyring.clone();
        let mut c = self.reader().await?;
        if let Some(p) = preferences(&mut c, &subject.to_string()).await? {
            return Ok(p);
        }
        let person = subjects::load(&mut c, &keyring, &subject.to_string())
            .await?
            .ok_or_else(|| Error::new(qorgau_core::ErrorCode::NotFound))?;
        let contact = &person.pii.contact;
        let channels = if contact.phone.is_some() {
            vec!["sms".to_owned()]
        } else if contact.email.is_some() {
            vec!["email".to_owned()]
        } else {
            Vec::new()
        };
        Ok(Preferences {
            channels,
            digest: false,
        })
    }

    /// Set a subject's preferences. A channel must be one they have a contact for.
    pub async fn set_subject_preferences(
        &self,
        subject: Uuid,
        prefs: Preferences,
        now: Timestamp,
    ) -> Result<Preferences, Error> {
        let mut prefs = prefs;
        prefs.channels.sort();
        prefs.channels.dedup();
        let keyring = self.secrets().keyring.clone();
        self.write(move |c| {
            Box::pin(async move {
                let person = subjects::load(c, &keyring, &subject.to_string())
                    .await?
                    .ok_or_else(|| Error::new(qorgau_core::ErrorCode::NotFound))?;
                for ch in &prefs.channels {
                    let ok = match ch.as_str() {
                        "sms" => person.pii.contact.phone.is_some(),
                        "email" => person.pii.contact.email.is_some(),
                        _ => false,
                    };
                    if !ok {
                        return Err(Error::new(qorgau_core::ErrorCode::ValidationFailed).at("channels").arg("value", ch.clone()));
                    }
                }
                crate::db::query("INSERT INTO subject_preferences (subject_id, channels, digest, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (subject_id) DO UPDATE SET channels = excluded.channels, digest = excluded.digest, updated_at = excluded.updated_at")
                    .bind(subject.to_string())
                    .bind(prefs.channels.join(","))
                    .bind(i64::from(prefs.digest))
                    .bind(ts_to_db(now))
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                // What was held for a digest goes now if the subject no longer wants one.
                if !prefs.digest {
                    crate::db::query("UPDATE outbox SET status = 'queued', next_attempt_at = $1 WHERE subject_id = $2 AND status = 'held'")
                        .bind(ts_to_db(now))
                        .bind(subject.to_string())
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                }
                let e = qorgau_ledger::Entry::new("preferences.changed", now, qorgau_ledger::Actor::new("subject", Some(subject.to_string())))
                    .detail("channels", prefs.channels.join(","))
                    .detail("digest", prefs.digest.to_string());
                crate::ledger::append_about(c, &subject.to_string(), e).await?;
                Ok(prefs)
            })
        })
        .await
    }

    /// Send the day's digests: for each subject whose oldest held notification is a
    /// day old, one message with all of them; they are marked `digested`. Returns how
    /// many digests were queued.
    pub async fn sweep_digests(&self, now: Timestamp, limit: i64) -> Result<u64, Error> {
        let keyring = self.secrets().keyring.clone();
        self.write(move |c| {
            Box::pin(async move {
                let due: Vec<(String,)> = crate::db::query_as("SELECT subject_id FROM outbox WHERE status = 'held' GROUP BY subject_id HAVING MIN(created_at) <= $1 LIMIT $2")
                    .bind(ts_to_db(now - SignedDuration::from_hours(24)))
                    .bind(limit)
                    .fetch_all(&mut *c)
                    .await
                    .map_err(db)?;
                let mut n = 0;
                for (sid,) in due {
                    let Some(person) = subjects::load(c, &keyring, &sid).await? else { continue };
                    let rows: Vec<(String, String, Vec<u8>)> = crate::db::query_as("SELECT id, channel, payload FROM outbox WHERE subject_id = $1 AND status = 'held' ORDER BY created_at, id")
                        .bind(sid.clone())
                        .fetch_all(&mut *c)
                        .await
                        .map_err(db)?;
                    let mut items = Vec::new();
                    let mut medium = String::new();
                    for (id, ch, payload) in &rows {
                        if let Ok(m) = person.open_json::<Message>(&format!("outbox {id}"), payload) {
                            items.push(serde_json::json!({"kind": m.kind, "args": m.args}));
                        }
                        medium = ch.clone();
                    }
                    crate::db::query("UPDATE outbox SET status = 'digested' WHERE subject_id = $1 AND status = 'held'")
                        .bind(sid.clone())
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    let mut args = BTreeMap::new();
                    args.insert("count".to_owned(), items.len().to_string());
                    args.insert("items".to_owned(), serde_json::Value::Array(items).to_string());
                    let msg = Message { kind: MessageKind::Digest, to: person.pii.contact.clone(), language: person.pii.language, args, reference: sid.clone() };
                    let id = new_id();
                    crate::db::query("INSERT INTO outbox (id, subject_id, channel, kind, payload, status, next_attempt_at, created_at) VALUES ($1, $2, $3, 'digest', $4, 'queued', $5, $5)")
                        .bind(id.to_string())
                        .bind(sid.clone())
                        .bind(medium)
                        .bind(person.seal_json(&format!("outbox {id}"), &msg)?)
                        .bind(ts_to_db(now))
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    n += 1;
                    queued();
                }
                Ok(n)
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
