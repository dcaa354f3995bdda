//! Subjects sign in with a one-time code and get a session.
//!
//! The answer to a sign-in never reveals whether an IIN is known: an unknown IIN
//! gets a challenge too, one that no code can ever satisfy.

use qorgau_ledger::{Actor, Entry};
use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use qorgau_core::crypto::{ct_eq, one_time_code, random_token, sha256};
use qorgau_core::id::Iin;
use qorgau_core::{Error, ErrorCode};
use uuid::Uuid;

use crate::outbox::{enqueue, Message, MessageKind};
use crate::{db, new_id, subjects, ts_from_db, ts_to_db, Store};

pub const SIGNIN_CODE_TTL: SignedDuration = SignedDuration::from_mins(5);
pub const SIGNIN_MAX_ATTEMPTS: i64 = 5;
pub const SESSION_TTL: SignedDuration = SignedDuration::from_hours(8);
const SESSION_PREFIX: &str = "qs_";

/// A live subject session.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub subject_id: Uuid,
    pub expires_at: Timestamp,
}

fn session_id(token: &str) -> String {
    sha256(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Start signing in: sends a code to the subject's proven contact, if any.
    pub async fn start_signin(&self, iin: Iin, now: Timestamp) -> Result<Uuid, Error> {
        let store = self.clone();
        let id = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let id = new_id();
                    let subject = subjects::find_by_iin(c, &keyring, &iin).await?;
                    let code = one_time_code(6);
                    let reachable = subject.as_ref().filter(|s| !s.pii.contact.is_empty());
                    let hash = match reachable {
                        Some(_) => keyring.code_hash(id.as_bytes(), &code),
                        // A hash no code produces: the challenge can never succeed.
                        None => vec![0u8; 32],
                    };
                    crate::db::query("INSERT INTO signin_challenges (id, subject_id, code_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(id.to_string())
                        .bind(reachable.map(|s| s.id.to_string()))
                        .bind(hash)
                        .bind(ts_to_db(now + SIGNIN_CODE_TTL))
                        .bind(ts_to_db(now))
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
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

    /// Finish signing in. Returns the session token (shown once, stored hashed).
    pub async fn verify_signin(
        &self,
        challenge: Uuid,
        code: String,
        now: Timestamp,
    ) -> Result<(String, Session), Error> {
        let store = self.clone();
        let result = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let row = crate::db::query("SELECT subject_id, code_hash, expires_at, attempts, used_at FROM signin_challenges WHERE id = $1")
                        .bind(challenge.to_string())
                        .fetch_optional(&mut *c)
                        .await
                        .map_err(db)?
                        .ok_or_else(|| Error::new(ErrorCode::CodeInvalid))?;
                    let used: Option<i64> = row.try_get("used_at").map_err(db)?;
                    let attempts: i64 = row.try_get("attempts").map_err(db)?;
                    let expires = ts_from_db(row.try_get("expires_at").map_err(db)?);
                    if used.is_some() || now >= expires {
                        return Err(Error::new(ErrorCode::CodeExpired));
                    }
                    if attempts >= SIGNIN_MAX_ATTEMPTS {
                        return Err(Error::new(ErrorCode::CodeAttemptsExhausted));
                    }
                    let stored: Vec<u8> = row.try_get("code_hash").map_err(db)?;
                    let subject: Option<String> = row.try_get("subject_id").map_err(db)?;
                    let ok = ct_eq(&stored, &keyring.code_hash(challenge.as_bytes(), code.trim()));
                    let Some(subject) = subject.clone().filter(|_| ok) else {
                        crate::db::query("UPDATE signin_challenges SET attempts = attempts + 1 WHERE id = $1")
                            .bind(challenge.to_string())
                            .execute(&mut *c)
                            .await
                            .map_err(db)?;
                        let e = Entry::new("signin.failed", now, Actor::new("subject", None))
                            .object("signin", challenge);
                        match &subject {
                            Some(sid) => crate::ledger::append_about(c, sid, e).await?,
                            None => crate::ledger::append(c, &e).await?,
                        };
                        return Ok(None);
                    };
                    crate::db::query("UPDATE signin_challenges SET used_at = $1 WHERE id = $2")
                        .bind(ts_to_db(now))
                        .bind(challenge.to_string())
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    let token = format!("{SESSION_PREFIX}{}", random_token(32));
                    let session = Session { id: session_id(&token), subject_id: subject.parse().map_err(|_| Error::internal())?, expires_at: now + SESSION_TTL };
                    crate::db::query("INSERT INTO sessions (id, subject_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                        .bind(session.id.clone())
                        .bind(subject.clone())
                        .bind(ts_to_db(now))
                        .bind(ts_to_db(session.expires_at))
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    let e = Entry::new("session.started", now, Actor::new("subject", Some(subject.clone())))
                        .object("signin", challenge);
                    crate::ledger::append_about(c, &subject, e).await?;
                    Ok(Some((token, session)))
                })
            })
            .await?;
        result.ok_or_else(|| Error::new(ErrorCode::CodeInvalid))
    }

    /// The live session a token names, if any.
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
            "SELECT id, subject_id, expires_at, revoked_at FROM sessions WHERE id = $1",
        )
        .bind(id.clone())
        .fetch_optional(&mut c)
        .await
        .map_err(db)?;
        let Some(row) = row else { return Ok(None) };
        let stored: String = row.try_get("id").map_err(db)?;
        let revoked: Option<i64> = row.try_get("revoked_at").map_err(db)?;
        let expires = ts_from_db(row.try_get("expires_at").map_err(db)?);
        if !ct_eq(stored.as_bytes(), id.as_bytes()) || revoked.is_some() || now >= expires {
            return Ok(None);
        }
        let subject: String = row.try_get("subject_id").map_err(db)?;
        Ok(Some(Session {
            id,
            subject_id: subject.parse().map_err(|_| Error::internal())?,
            expires_at: expires,
        }))
    }

    pub async fn revoke_session(&self, id: String, now: Timestamp) -> Result<(), Error> {
        self.write(move |c| {
            Box::pin(async move {
                let row = crate::db::query(
                    "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING subject_id",
                )
                .bind(ts_to_db(now))
                .bind(id)
                .fetch_optional(&mut *c)
                .await
                .map_err(db)?;
                if let Some(r) = row {
                    let sid: String = r.try_get("subject_id").map_err(db)?;
                    let e = Entry::new("session.ended", now, Actor::new("subject", Some(sid.clone())));
                    crate::ledger::append_about(c, &sid, e).await?;
                }
                Ok(())
            })
        })
        .await
    }
}
