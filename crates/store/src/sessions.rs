//! Sessions of subjects and of staff, the subjects' sign-in by one-time code, and the
//! sign-in throttle.
//!
//! A session token is 256 random bits, shown once and stored as its SHA-256. Each
//! session has an idle and an absolute timeout and a stage: `mfa` between the first
//! factor and the second (good for nothing but finishing the sign-in), `active` after.
//!
//! The answer to a subject's sign-in never reveals whether an IIN is known: an
//! unknown IIN gets a challenge too, one that no code can ever satisfy, and is
//! throttled the same way.

use qorgau_ledger::{Actor, Entry};
use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use qorgau_core::auth::{
    lock_after, Role, SessionPolicy, ThrottleScope, PENDING_MFA_SESSION, SUBJECT_SESSION,
    THROTTLE_MEMORY,
};
use qorgau_core::crypto::{ct_eq, hmac_sha256, one_time_code, random_token, sha256, Keyring};
use qorgau_core::id::Iin;
use qorgau_core::{Error, ErrorCode};
use uuid::Uuid;

use crate::outbox::{enqueue, Message, MessageKind};
use crate::{db, new_id, subjects, ts_from_db, ts_to_db, Conn, Store};

pub const SIGNIN_CODE_TTL: SignedDuration = SignedDuration::from_mins(5);
pub const SIGNIN_MAX_ATTEMPTS: i64 = 5;
const SESSION_PREFIX: &str = "qs_";
/// A session's last activity is written at most this often.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_mins(1);

/// Where a session's stage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The first factor passed; the second is still owed.
    Mfa,
    Active,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Mfa => "mfa",
            Stage::Active => "active",
        }
    }
}

/// Whose session it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOwner {
    Subject(Uuid),
    Account {
        id: Uuid,
        role: Role,
        organization: Option<Uuid>,
    },
}

impl SessionOwner {
    /// The key of the owner's second factor and recovery codes.
    pub fn factor_owner(&self) -> String {
        match self {
            SessionOwner::Subject(id) => format!("subject:{id}"),
            SessionOwner::Account { id, .. } => format!("account:{id}"),
        }
    }

    pub(crate) fn actor(&self) -> Actor {
        match self {
            SessionOwner::Subject(id) => Actor::new("subject", Some(id.to_string())),
            SessionOwner::Account { id, .. } => Actor::new("account", Some(id.to_string())),
        }
    }
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The SHA-256 of the token, hex: what the database keeps.
    pub id: String,
    pub owner: SessionOwner,
    pub stage: Stage,
    pub expires_at: Timestamp,
    /// When it ends if nothing happens before.
    pub idle_until: Timestamp,
}

/// A token and the session it opens.
#[derive(Debug, Clone)]
pub struct Opened {
    pub token: String,
    pub session: Session,
    /// For a cookie-borne session: what unsafe requests must send in `X-CSRF-Token`.
    pub csrf_token: String,
}

fn session_id(token: &str) -> String {
    hex(&sha256(token.as_bytes()))
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// The anti-forgery token of a session: a keyed hash of its id, so nothing more is
/// stored and any `serve` process can check it.
pub fn csrf_token(keyring: &Keyring, session_id: &str) -> String {
    hex(&keyring.code_hash(b"csrf", session_id))
}

/// Open a session; with `replacing`, the session it replaces (the pre-MFA one) ends
/// in the same commit, so the token changes at every step of a sign-in.
pub(crate) async fn open_session(
    c: &mut Conn,
    keyring: &Keyring,
    owner: SessionOwner,
    stage: Stage,
    policy: SessionPolicy,
    replacing: Option<&str>,
    now: Timestamp,
) -> Result<Opened, Error> {
    if let Some(old) = replacing {
        crate::db::query(
            "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(ts_to_db(now))
        .bind(old.to_owned())
        .execute(&mut *c)
        .await
        .map_err(db)?;
    }
    let token = format!("{SESSION_PREFIX}{}", random_token(32));
    let id = session_id(&token);
    let (subject, account) = match owner {
        SessionOwner::Subject(s) => (Some(s.to_string()), None),
        SessionOwner::Account { id, .. } => (None, Some(id.to_string())),
    };
    let session = Session {
        id: id.clone(),
        owner,
        stage,
        expires_at: now + policy.absolute,
        idle_until: now + policy.idle,
    };
    crate::db::query("INSERT INTO sessions (id, subject_id, account_id, stage, created_at, last_seen_at, idle_seconds, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)")
        .bind(id.clone())
        .bind(subject)
        .bind(account)
        .bind(stage.as_str())
        .bind(ts_to_db(now))
        .bind(policy.idle.as_secs())
        .bind(ts_to_db(session.expires_at))
        .execute(&mut *c)
        .await
        .map_err(db)?;
    Ok(Opened {
        csrf_token: csrf_token(keyring, &id),
        token,
        session,
    })
}

// ---------------------------------------------------------------------------
// Throttle

/// The throttle's key for something: a keyed hash, so neither logins nor addresses
/// are kept in clear.
pub(crate) fn throttle_key(keyring: &Keyring, scope: ThrottleScope, what: &[u8]) -> String {
    let label = match scope {
        ThrottleScope::Account => "account",
        ThrottleScope::Address => "address",
        ThrottleScope::Sends => "sends",
    };
    let mut data = label.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(what);
    hex(&keyring.code_hash(b"throttle", &hex(&hmac_sha256(b"qorgau throttle", &data))))
}

/// Refuse with `too_many_attempts` and the seconds to wait while `key` is locked.
pub(crate) async fn throttle_check(c: &mut Conn, key: &str, now: Timestamp) -> Result<(), Error> {
    let row: Option<(Option<i64>,)> =
        crate::db::query_as("SELECT locked_until FROM throttle WHERE key = $1")
            .bind(key.to_owned())
            .fetch_optional(&mut *c)
            .await
            .map_err(db)?;
    if let Some((Some(until),)) = row {
        let until = ts_from_db(until);
        if until > now {
            let d = until.duration_since(now);
            let secs = d.as_secs() + i64::from(d.subsec_nanos() > 0);
            return Err(
                Error::new(ErrorCode::TooManyAttempts).arg("retry_after", secs.max(1).to_string())
            );
        }
    }
    Ok(())
}

/// Count a failure against `key`; returns when it is now locked until, if it is.
pub(crate) async fn throttle_fail(
    c: &mut Conn,
    key: &str,
    scope: ThrottleScope,
    now: Timestamp,
) -> Result<Option<Timestamp>, Error> {
    let row: Option<(i64, i64)> =
        crate::db::query_as("SELECT failures, last_failure_at FROM throttle WHERE key = $1")
            .bind(key.to_owned())
            .fetch_optional(&mut *c)
            .await
            .map_err(db)?;
    let failures = match row {
        Some((n, last)) if now.duration_since(ts_from_db(last)) < THROTTLE_MEMORY => n + 1,
        _ => 1,
    };
    let locked = lock_after(scope, failures).map(|d| now + d);
    crate::db::query("INSERT INTO throttle (key, failures, last_failure_at, locked_until) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = COALESCE(excluded.locked_until, throttle.locked_until)")
        .bind(key.to_owned())
        .bind(failures)
        .bind(ts_to_db(now))
        .bind(locked.map(ts_to_db))
        .execute(&mut *c)
        .await
        .map_err(db)?;
    Ok(locked)
}

pub(crate) async fn throttle_clear(c: &mut Conn, key: &str) -> Result<(), Error> {
    crate::db::query("DELETE FROM throttle WHERE key = $1")
        .bind(key.to_owned())
        .execute(&mut *c)
        .await
        .map_err(db)?;
    Ok(())
}

/// The security log: what happened to whom (pseudonymous ids only), never a login,
/// an address or a code.
pub(crate) fn security_log(event: &str, actor: &Actor) {
    tracing::info!(target: "security", event, actor_kind = %actor.kind, actor_id = actor.id.as_deref().unwrap_or("-"));
}

/// Record a lock in the ledger and the security log.
async fn record_lock(
    c: &mut Conn,
    actor: &Actor,
    scope: &str,
    until: Timestamp,
    now: Timestamp,
    about: Option<&str>,
) -> Result<(), Error> {
    let e = Entry::new("signin.locked", now, actor.clone())
        .detail("throttle", scope)
        .detail("until", until.to_string());
    security_log("signin.locked", actor);
    match about {
        Some(s) => crate::ledger::append_about(c, s, e).await?,
        None => crate::ledger::append(c, &e).await?,
    };
    Ok(())
}

/// Count one failed attempt against the account (or login) key and the address key,
/// recording any lock that results.
pub(crate) async fn record_failure(
    c: &mut Conn,
    keys: &[(String, ThrottleScope)],
    actor: &Actor,
    about_subject: Option<&str>,
    now: Timestamp,
) -> Result<(), Error> {
    for (key, scope) in keys {
        if let Some(until) = throttle_fail(c, key, *scope, now).await? {
            let name = match scope {
                ThrottleScope::Account => "account",
                ThrottleScope::Address => "address",
                ThrottleScope::Sends => "sends",
            };
            record_lock(c, actor, name, until, now, about_subject).await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Subjects' sign-in

impl Store {
    /// Start signing in: sends a code to the subject's proven contact, if any.
    pub async fn start_signin(
        &self,
        iin: Iin,
        client: Option<String>,
        now: Timestamp,
    ) -> Result<Uuid, Error> {
        let store = self.clone();
        let id = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let index = keyring.blind_index(&iin);
                    let sends = throttle_key(&keyring, ThrottleScope::Sends, &index);
                    throttle_check(c, &sends, now).await?;
                    let address = client.as_deref().map(|a| throttle_key(&keyring, ThrottleScope::Address, a.as_bytes()));
                    if let Some(a) = &address {
                        throttle_check(c, a, now).await?;
                    }
                    let id = new_id();
                    let subject = subjects::find_by_iin(c, &keyring, &iin).await?;
                    let code = one_time_code(6);
                    let reachable = subject.as_ref().filter(|s| !s.pii.contact.is_empty());
                    let hash = match reachable {
                        Some(_) => keyring.code_hash(id.as_bytes(), &code),
                        // A hash no code produces: the challenge can never succeed.
                        None => vec![0u8; 32],
                    };
                    crate::db::query("INSERT INTO signin_challenges (id, subject_id, code_hash, expires_at, created_at, throttle_key) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(id.to_string())
                        .bind(reachable.map(|s| s.id.to_string()))
                        .bind(hash)
                        .bind(ts_to_db(now + SIGNIN_CODE_TTL))
                        .bind(ts_to_db(now))
                        .bind(throttle_key(&keyring, ThrottleScope::Account, &index))
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    // Every code sent counts, known IIN or not, so the limit tells nothing.
                    let about = reachable.map(|s| s.id.to_string());
                    let actor = Actor::new("subject", about.clone());
                    record_failure(c, &[(sends, ThrottleScope::Sends)], &actor, about.as_deref(), now).await?;
                    if let Some(s) = reachable {
                        let mut args = BTreeMap::new();
                        args.insert("code".to_owned(), code);
                        args.insert("minutes".to_owned(), (SIGNIN_CODE_TTL.as_secs() / 60).to_string());
                        let msg = Message { kind: MessageKind::SigninCode, to: s.pii.contact.clone(), language: s.pii.language, args, reference: id.to_string() };
                        enqueue(c, s, &msg, now).await?;
                    }
                    Ok(id)
                })
            })
            .await?;
        self.outbox_wake();
        Ok(id)
    }

    /// Finish signing in with the code. A subject with an authenticator gets a
    /// session at the `mfa` stage, which [`Store::verify_second_factor`] completes.
    pub async fn verify_signin(
        &self,
        challenge: Uuid,
        code: String,
        client: Option<String>,
        now: Timestamp,
    ) -> Result<Opened, Error> {
        let store = self.clone();
        let result = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let address = client.as_deref().map(|a| throttle_key(&keyring, ThrottleScope::Address, a.as_bytes()));
                    if let Some(a) = &address {
                        throttle_check(c, a, now).await?;
                    }
                    let row = crate::db::query("SELECT subject_id, code_hash, expires_at, attempts, used_at, throttle_key FROM signin_challenges WHERE id = $1")
                        .bind(challenge.to_string())
                        .fetch_optional(&mut *c)
                        .await
                        .map_err(db)?
                        .ok_or_else(|| Error::new(ErrorCode::CodeInvalid))?;
                    let subject: Option<String> = row.try_get("subject_id").map_err(db)?;
                    let used: Option<i64> = row.try_get("used_at").map_err(db)?;
                    let attempts: i64 = row.try_get("attempts").map_err(db)?;
                    let expires = ts_from_db(row.try_get("expires_at").map_err(db)?);
                    if used.is_some() || now >= expires {
                        return Err(Error::new(ErrorCode::CodeExpired));
                    }
                    if attempts >= SIGNIN_MAX_ATTEMPTS {
                        return Err(Error::new(ErrorCode::CodeAttemptsExhausted));
                    }
                    // The IIN's own key, across every challenge sent for it, known or not.
                    let account_key: String = row.try_get::<Option<String>>("throttle_key").map_err(db)?.unwrap_or_else(|| throttle_key(&keyring, ThrottleScope::Account, challenge.as_bytes()));
                    throttle_check(c, &account_key, now).await?;
                    let stored: Vec<u8> = row.try_get("code_hash").map_err(db)?;
                    let ok = ct_eq(&stored, &keyring.code_hash(challenge.as_bytes(), code.trim()));
                    let Some(subject) = subject.clone().filter(|_| ok) else {
                        crate::db::query("UPDATE signin_challenges SET attempts = attempts + 1 WHERE id = $1")
                            .bind(challenge.to_string())
                            .execute(&mut *c)
                            .await
                            .map_err(db)?;
                        let actor = Actor::new("subject", subject.clone());
                        let e = Entry::new("signin.failed", now, actor.clone()).object("signin", challenge);
                        security_log("signin.failed", &actor);
                        match &subject {
                            Some(sid) => crate::ledger::append_about(c, sid, e).await?,
                            None => crate::ledger::append(c, &e).await?,
                        };
                        let mut keys = vec![(account_key, ThrottleScope::Account)];
                        keys.extend(address.map(|a| (a, ThrottleScope::Address)));
                        record_failure(c, &keys, &actor, subject.as_deref(), now).await?;
                        return Ok(None);
                    };
                    crate::db::query("UPDATE signin_challenges SET used_at = $1 WHERE id = $2")
                        .bind(ts_to_db(now))
                        .bind(challenge.to_string())
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    throttle_clear(c, &account_key).await?;
                    let sid: Uuid = subject.parse().map_err(|_| Error::internal())?;
                    let owner = SessionOwner::Subject(sid);
                    let has_totp = crate::accounts::has_confirmed_totp(c, &owner.factor_owner()).await?;
                    let (stage, policy) = if has_totp { (Stage::Mfa, PENDING_MFA_SESSION) } else { (Stage::Active, SUBJECT_SESSION) };
                    let opened = open_session(c, &keyring, owner, stage, policy, None, now).await?;
                    let kind = if has_totp { "signin.first_factor" } else { "session.started" };
                    let e = Entry::new(kind, now, owner.actor()).object("signin", challenge);
                    security_log(kind, &owner.actor());
                    crate::ledger::append_about(c, &subject, e).await?;
                    Ok(Some(opened))
                })
            })
            .await?;
        result.ok_or_else(|| Error::new(ErrorCode::CodeInvalid))
    }

    /// The live session a token names, if any; keeps it alive (idle timeout).
    pub async fn authenticate_session(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<Option<Session>, Error> {
        if !token.starts_with(SESSION_PREFIX) || token.len() > 100 {
            return Ok(None);
        }
        let id = session_id(token);
        let mut c = self.reader().await?;
        let row = crate::db::query(
            "SELECT s.id, s.subject_id, s.account_id, s.stage, s.last_seen_at, s.idle_seconds, s.expires_at, s.revoked_at, a.role, a.organization_id, a.disabled_at FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id WHERE s.id = $1",
        )
        .bind(id.clone())
        .fetch_optional(&mut c)
        .await
        .map_err(db)?;
        drop(c);
        let Some(row) = row else { return Ok(None) };
        let stored: String = row.try_get("id").map_err(db)?;
        let revoked: Option<i64> = row.try_get("revoked_at").map_err(db)?;
        let disabled: Option<i64> = row.try_get("disabled_at").map_err(db)?;
        let expires = ts_from_db(row.try_get("expires_at").map_err(db)?);
        let last_seen = ts_from_db(row.try_get("last_seen_at").map_err(db)?);
        let idle = SignedDuration::from_secs(row.try_get("idle_seconds").map_err(db)?);
        if !ct_eq(stored.as_bytes(), id.as_bytes())
            || revoked.is_some()
            || disabled.is_some()
            || now >= expires
            || now >= last_seen + idle
        {
            return Ok(None);
        }
        let subject: Option<String> = row.try_get("subject_id").map_err(db)?;
        let account: Option<String> = row.try_get("account_id").map_err(db)?;
        let owner = match (subject, account) {
            (Some(s), _) => SessionOwner::Subject(s.parse().map_err(|_| Error::internal())?),
            (None, Some(a)) => {
                let role: Option<String> = row.try_get("role").map_err(db)?;
                let org: Option<String> = row.try_get("organization_id").map_err(db)?;
                SessionOwner::Account {
                    id: a.parse().map_err(|_| Error::internal())?,
                    role: role
                        .as_deref()
                        .and_then(Role::parse)
                        .ok_or_else(Error::internal)?,
                    organization: org
                        .map(|o| o.parse())
                        .transpose()
                        .map_err(|_| Error::internal())?,
                }
            }
            _ => return Err(Error::internal()),
        };
        let stage: String = row.try_get("stage").map_err(db)?;
        let stage = if stage == "active" {
            Stage::Active
        } else {
            Stage::Mfa
        };
        let mut seen = last_seen;
        if now.duration_since(last_seen) >= TOUCH_EVERY {
            let sid = id.clone();
            self.write(move |c| {
                Box::pin(async move {
                    crate::db::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                        .bind(ts_to_db(now))
                        .bind(sid)
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    Ok(())
                })
            })
            .await?;
            seen = now;
        }
        Ok(Some(Session {
            id,
            owner,
            stage,
            expires_at: expires,
            idle_until: (seen + idle).min(expires),
        }))
    }

    /// The anti-forgery token that goes with a session.
    pub fn csrf_token(&self, session_id: &str) -> String {
        csrf_token(&self.secrets().keyring, session_id)
    }

    /// End a session on the server (sign-out).
    pub async fn revoke_session(&self, session: Session, now: Timestamp) -> Result<(), Error> {
        self.write(move |c| {
            Box::pin(async move {
                let r = crate::db::query(
                    "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                )
                .bind(ts_to_db(now))
                .bind(session.id.clone())
                .execute(&mut *c)
                .await
                .map_err(db)?;
                if r.rows_affected() > 0 {
                    let actor = session.owner.actor();
                    let e = Entry::new("session.ended", now, actor.clone());
                    security_log("session.ended", &actor);
                    match session.owner {
                        SessionOwner::Subject(s) => {
                            crate::ledger::append_about(c, &s.to_string(), e).await?
                        }
                        SessionOwner::Account { .. } => crate::ledger::append(c, &e).await?,
                    };
                }
                Ok(())
            })
        })
        .await
    }
}

/// End every session of an owner but one (after a password or MFA change).
pub(crate) async fn revoke_all(
    c: &mut Conn,
    owner: &SessionOwner,
    except: Option<&str>,
    now: Timestamp,
) -> Result<u64, Error> {
    let (col, id) = match owner {
        SessionOwner::Subject(s) => ("subject_id", s.to_string()),
        SessionOwner::Account { id, .. } => ("account_id", id.to_string()),
    };
    let r = crate::db::query(&format!(
        "UPDATE sessions SET revoked_at = $1 WHERE {col} = $2 AND revoked_at IS NULL AND id <> $3"
    ))
    .bind(ts_to_db(now))
    .bind(id)
    .bind(except.unwrap_or("").to_owned())
    .execute(&mut *c)
    .await
    .map_err(db)?;
    Ok(r.rows_affected())
}
