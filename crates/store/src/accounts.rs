//! Staff, inspectors and administrators: accounts with an Argon2id password and a
//! TOTP authenticator, always both; recovery codes; re-authentication for changes.
//! Subjects may add an authenticator too, with the same machinery.
//!
//! The login (an email address) and the name are sealed under the service key; the
//! database finds an account through a keyed hash of the login. Password hashing is
//! CPU-bound and runs off the async executor, outside any transaction.

use jiff::Timestamp;
use qorgau_core::auth::{
    hash_password, new_recovery_code, new_totp_secret, normalize_recovery_code, otpauth_uri,
    totp_secret_base32, validate_password, verify_password, verify_totp, Role, ThrottleScope,
    PENDING_MFA_SESSION, RECOVERY_CODES, SETUP_TOKEN_TTL, STAFF_SESSION, SUBJECT_SESSION,
};
use qorgau_core::catalogue::validate_text;
use qorgau_core::crypto::{ct_eq, random_token, Keyring};
use qorgau_core::{Error, ErrorCode};
use qorgau_ledger::{Actor, Entry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::sessions::{
    open_session, record_failure, revoke_all, security_log, throttle_check, throttle_clear,
    throttle_key, Opened, Session, SessionOwner, Stage,
};
use crate::{db, is_unique_violation, new_id, ts_from_db, ts_to_db, Conn, Store};

const SETUP_PREFIX: &str = "qa_";
const ISSUER: &str = "Qorgau";

/// A staff account as administrators see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountInfo {
    pub id: Uuid,
    pub role: Role,
    /// `null` for service administrators and inspectors.
    pub organization_id: Option<Uuid>,
    pub email: String,
    pub name: String,
    /// Whether the password has been set with the setup token.
    pub activated: bool,
    /// Whether the authenticator is set up.
    pub mfa_enrolled: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub disabled_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// The login: the person's work email address.
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The organization, for `org_admin`, `dpo` and `processor`.
    #[serde(default)]
    pub organization_id: Option<Uuid>,
}

#[derive(Serialize, Deserialize)]
struct AccountPii {
    email: String,
    name: String,
}

/// What the first factor of a staff sign-in leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Next {
    /// Enter the authenticator's code (or a recovery code).
    Totp,
    /// Set up the authenticator first (first sign-in).
    EnrollTotp,
    /// Nothing: the session is active.
    None,
}

/// A new authenticator: the secret to put into the app.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotpEnrollment {
    /// Base32, for typing in.
    pub secret: String,
    /// For a QR code.
    pub otpauth_uri: String,
}

fn normalize_login(email: &str) -> String {
    email.trim().to_lowercase()
}

fn login_index(keyring: &Keyring, login: &str) -> Vec<u8> {
    keyring.code_hash(b"staff login", &normalize_login(login))
}

fn validate_email(email: &str) -> Result<(), Error> {
    let e = email.trim();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        })
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::InvalidContact).at("email"))
    }
}

fn account_actor(id: Uuid) -> Actor {
    Actor::new("account", Some(id.to_string()))
}

async fn append(c: &mut Conn, e: Entry) -> Result<(), Error> {
    security_log(&e.kind, &e.actor);
    crate::ledger::append(c, &e).await?;
    Ok(())
}

/// Append about a session's owner: a subject's entries go into their history.
async fn append_for(c: &mut Conn, owner: &SessionOwner, e: Entry) -> Result<(), Error> {
    security_log(&e.kind, &e.actor);
    match owner {
        SessionOwner::Subject(s) => crate::ledger::append_about(c, &s.to_string(), e).await?,
        SessionOwner::Account { .. } => crate::ledger::append(c, &e).await?,
    };
    Ok(())
}

/// A failed factor of a session's owner: recorded (a subject's in their history) and
/// counted against the throttle keys.
async fn failed(
    c: &mut Conn,
    owner: &SessionOwner,
    keys: &[(String, ThrottleScope)],
    entry: Entry,
    now: Timestamp,
) -> Result<(), Error> {
    append_for(c, owner, entry).await?;
    let about = match owner {
        SessionOwner::Subject(s) => Some(s.to_string()),
        SessionOwner::Account { .. } => None,
    };
    record_failure(c, keys, &owner.actor(), about.as_deref(), now).await
}

struct AccountRow {
    id: Uuid,
    role: Role,
    organization: Option<Uuid>,
    pii: AccountPii,
    password_hash: Option<String>,
    created_at: Timestamp,
    disabled_at: Option<Timestamp>,
}

impl AccountRow {
    fn owner(&self) -> SessionOwner {
        SessionOwner::Account {
            id: self.id,
            role: self.role,
            organization: self.organization,
        }
    }
}

fn account_from_row(keyring: &Keyring, r: &crate::db::Row) -> Result<AccountRow, Error> {
    let id: String = r.try_get("id").map_err(db)?;
    let role: String = r.try_get("role").map_err(db)?;
    let org: Option<String> = r.try_get("organization_id").map_err(db)?;
    let sealed: Vec<u8> = r.try_get("pii").map_err(db)?;
    let pii = keyring.open_service(format!("account {id}").as_bytes(), &sealed)?;
    let disabled: Option<i64> = r.try_get("disabled_at").map_err(db)?;
    Ok(AccountRow {
        id: id.parse().map_err(|_| Error::internal())?,
        role: Role::parse(&role).ok_or_else(Error::internal)?,
        organization: org
            .map(|o| o.parse())
            .transpose()
            .map_err(|_| Error::internal())?,
        pii: serde_json::from_slice(&pii).map_err(|_| Error::internal())?,
        password_hash: r.try_get("password_hash").map_err(db)?,
        created_at: ts_from_db(r.try_get("created_at").map_err(db)?),
        disabled_at: disabled.map(ts_from_db),
    })
}

async fn load_account(c: &mut Conn, keyring: &Keyring, id: Uuid) -> Result<AccountRow, Error> {
    let row = crate::db::query("SELECT * FROM accounts WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?
        .ok_or_else(|| Error::new(ErrorCode::NotFound))?;
    account_from_row(keyring, &row)
}

struct Factor {
    secret: Option<Vec<u8>>,
    pending: Option<Vec<u8>>,
    last_step: i64,
}

async fn load_factor(c: &mut Conn, keyring: &Keyring, owner: &str) -> Result<Factor, Error> {
    let row = crate::db::query(
        "SELECT secret, pending_secret, confirmed_at, last_step FROM totp_factors WHERE owner = $1",
    )
    .bind(owner.to_owned())
    .fetch_optional(&mut *c)
    .await
    .map_err(db)?;
    let Some(row) = row else {
        return Ok(Factor {
            secret: None,
            pending: None,
            last_step: 0,
        });
    };
    let aad = format!("totp {owner}");
    let open = |v: Option<Vec<u8>>| -> Result<Option<Vec<u8>>, Error> {
        v.map(|s| keyring.open_service(aad.as_bytes(), &s))
            .transpose()
    };
    let confirmed: Option<i64> = row.try_get("confirmed_at").map_err(db)?;
    Ok(Factor {
        secret: open(row.try_get("secret").map_err(db)?)?.filter(|_| confirmed.is_some()),
        pending: open(row.try_get("pending_secret").map_err(db)?)?,
        last_step: row.try_get("last_step").map_err(db)?,
    })
}

pub(crate) async fn has_confirmed_totp(c: &mut Conn, owner: &str) -> Result<bool, Error> {
    let row: Option<(Option<i64>,)> =
        crate::db::query_as("SELECT confirmed_at FROM totp_factors WHERE owner = $1")
            .bind(owner.to_owned())
            .fetch_optional(&mut *c)
            .await
            .map_err(db)?;
    Ok(matches!(row, Some((Some(_),))))
}

/// Check a second factor: a TOTP code (remembering its step so it cannot be used
/// again) or an unused recovery code (spent by this). True when it passed.
async fn check_second_factor(
    c: &mut Conn,
    keyring: &Keyring,
    owner: &str,
    code: &SecondFactor,
    now: Timestamp,
) -> Result<bool, Error> {
    match code {
        SecondFactor::Totp(code) => {
            let f = load_factor(c, keyring, owner).await?;
            let Some(secret) = f.secret else {
                return Ok(false);
            };
            let Some(step) = verify_totp(&secret, code, now, f.last_step) else {
                return Ok(false);
            };
            crate::db::query("UPDATE totp_factors SET last_step = $1 WHERE owner = $2")
                .bind(step)
                .bind(owner.to_owned())
                .execute(&mut *c)
                .await
                .map_err(db)?;
            Ok(true)
        }
        SecondFactor::Recovery(code) => {
            let hash = keyring.code_hash(owner.as_bytes(), &normalize_recovery_code(code));
            let r = crate::db::query("UPDATE recovery_codes SET used_at = $1 WHERE owner = $2 AND code_hash = $3 AND used_at IS NULL")
                .bind(ts_to_db(now))
                .bind(owner.to_owned())
                .bind(hash)
                .execute(&mut *c)
                .await
                .map_err(db)?;
            Ok(r.rows_affected() == 1)
        }
    }
}

async fn new_recovery_codes(
    c: &mut Conn,
    keyring: &Keyring,
    owner: &str,
) -> Result<Vec<String>, Error> {
    crate::db::query("DELETE FROM recovery_codes WHERE owner = $1")
        .bind(owner.to_owned())
        .execute(&mut *c)
        .await
        .map_err(db)?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = new_recovery_code();
        crate::db::query("INSERT INTO recovery_codes (owner, code_hash) VALUES ($1, $2)")
            .bind(owner.to_owned())
            .bind(keyring.code_hash(owner.as_bytes(), &normalize_recovery_code(&code)))
            .execute(&mut *c)
            .await
            .map_err(db)?;
        codes.push(code);
    }
    Ok(codes)
}

/// A second factor as sent.
#[derive(Debug, Clone)]
pub enum SecondFactor {
    Totp(String),
    Recovery(String),
}

/// The throttle keys of an attempt: the account (or login, known or not) and the
/// client's address when known.
fn keys(keyring: &Keyring, account: &[u8], client: Option<&str>) -> Vec<(String, ThrottleScope)> {
    let mut k = vec![(
        throttle_key(keyring, ThrottleScope::Account, account),
        ThrottleScope::Account,
    )];
    if let Some(a) = client {
        k.push((
            throttle_key(keyring, ThrottleScope::Address, a.as_bytes()),
            ThrottleScope::Address,
        ));
    }
    k
}

async fn check_all(
    c: &mut Conn,
    keys: &[(String, ThrottleScope)],
    now: Timestamp,
) -> Result<(), Error> {
    for (k, _) in keys {
        throttle_check(c, k, now).await?;
    }
    Ok(())
}

/// What changed the secret factor: a fresh session for the owner.
#[derive(Debug, Clone)]
pub struct MfaConfirmed {
    /// The new session when this finished a sign-in (the token rotates).
    pub opened: Option<Opened>,
    pub recovery_codes: Vec<String>,
}

impl Store {
    /// Create a staff account. The answer carries a setup token, shown once, with
    /// which the person sets their password; the authenticator follows at their
    /// first sign-in.
    pub async fn create_account(
        &self,
        new: NewAccount,
        by: Actor,
        now: Timestamp,
    ) -> Result<(AccountInfo, String, Timestamp), Error> {
        validate_email(&new.email)?;
        validate_text(&new.name, 200).map_err(|e| e.at("name"))?;
        if new.role.in_organization() != new.organization_id.is_some() {
            return Err(Error::new(ErrorCode::ValidationFailed).at("organization_id"));
        }
        let id = new_id();
        let secret = random_token(32);
        let token = format!("{SETUP_PREFIX}{}.{secret}", id.simple());
        let expires = now + SETUP_TOKEN_TTL;
        let info = AccountInfo {
            id,
            role: new.role,
            organization_id: new.organization_id,
            email: new.email.trim().to_owned(),
            name: new.name.clone(),
            activated: false,
            mfa_enrolled: false,
            created_at: now,
            disabled_at: None,
        };
        let store = self.clone();
        let i = info.clone();
        self.write(move |c| {
            Box::pin(async move {
                let keyring = store.secrets().keyring.clone();
                if let Some(org) = i.organization_id {
                    crate::orgs::load_org(c, org).await?;
                }
                let pii = serde_json::to_vec(&AccountPii { email: i.email.clone(), name: i.name.clone() }).map_err(|_| Error::internal())?;
                crate::db::query("INSERT INTO accounts (id, organization_id, role, login_index, pii, setup_hash, setup_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(i.id.to_string())
                    .bind(i.organization_id.map(|o| o.to_string()))
                    .bind(i.role.as_str())
                    .bind(login_index(&keyring, &i.email))
                    .bind(keyring.seal_service(format!("account {}", i.id).as_bytes(), &pii)?)
                    .bind(keyring.code_hash(b"setup", &secret))
                    .bind(ts_to_db(expires))
                    .bind(ts_to_db(now))
                    .execute(&mut *c)
                    .await
                    .map_err(|e| if is_unique_violation(&e) { Error::new(ErrorCode::AccountExists).at("email") } else { db(e) })?;
                let mut e = Entry::new("account.created", now, by).object("account", i.id).detail("role", i.role.as_str());
                if let Some(o) = i.organization_id {
                    e = e.organization(o);
                }
                append(c, e).await
            })
        })
        .await?;
        Ok((info, token, expires))
    }

    /// Staff accounts: all of them, or one organization's.
    pub async fn accounts(&self, organization: Option<Uuid>) -> Result<Vec<AccountInfo>, Error> {
        let keyring = self.secrets().keyring.clone();
        let mut c = self.reader().await?;
        let rows = match organization {
            Some(o) => crate::db::query("SELECT a.*, (SELECT confirmed_at FROM totp_factors t WHERE t.owner = 'account:' || a.id) AS mfa FROM accounts a WHERE organization_id = $1 ORDER BY created_at, id").bind(o.to_string()).fetch_all(&mut c).await,
            None => crate::db::query("SELECT a.*, (SELECT confirmed_at FROM totp_factors t WHERE t.owner = 'account:' || a.id) AS mfa FROM accounts a ORDER BY created_at, id").fetch_all(&mut c).await,
        }
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                let a = account_from_row(&keyring, r)?;
                let mfa: Option<i64> = r.try_get("mfa").map_err(db)?;
                Ok(AccountInfo {
                    id: a.id,
                    role: a.role,
                    organization_id: a.organization,
                    email: a.pii.email,
                    name: a.pii.name,
                    activated: a.password_hash.is_some(),
                    mfa_enrolled: mfa.is_some(),
                    created_at: a.created_at,
                    disabled_at: a.disabled_at,
                })
            })
            .collect()
    }

    /// One account, when `organization` (if given) is its organization.
    pub async fn account(
        &self,
        id: Uuid,
        organization: Option<Uuid>,
    ) -> Result<AccountInfo, Error> {
        self.accounts(organization)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| Error::new(ErrorCode::NotFound))
    }

    /// Set the password with the setup token (first time, or after an administrator's reset).
    pub async fn set_password_with_token(
        &self,
        token: &str,
        password: String,
        now: Timestamp,
    ) -> Result<(), Error> {
        let invalid = || Error::new(ErrorCode::CodeInvalid).at("setup_token");
        let (id, secret) = token
            .strip_prefix(SETUP_PREFIX)
            .and_then(|r| r.split_once('.'))
            .ok_or_else(invalid)?;
        let id = Uuid::try_parse(id).map_err(|_| invalid())?;
        let keyring = self.secrets().keyring.clone();
        let expected = keyring.code_hash(b"setup", secret);
        let row = {
            let mut c = self.reader().await?;
            crate::db::query("SELECT * FROM accounts WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut c)
                .await
                .map_err(db)?
                .ok_or_else(invalid)?
        };
        let stored: Option<Vec<u8>> = row.try_get("setup_hash").map_err(db)?;
        let expires: Option<i64> = row.try_get("setup_expires_at").map_err(db)?;
        if !stored.is_some_and(|s| ct_eq(&s, &expected)) {
            return Err(invalid());
        }
        if expires.is_none_or(|e| now >= ts_from_db(e)) {
            return Err(Error::new(ErrorCode::CodeExpired).at("setup_token"));
        }
        let account = account_from_row(&keyring, &row)?;
        validate_password(&password, &account.pii.email)?;
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|_| Error::internal())??;
        self.write(move |c| {
            Box::pin(async move {
                // Single use: only the token that is still there is consumed.
                let r = crate::db::query("UPDATE accounts SET password_hash = $1, setup_hash = NULL, setup_expires_at = NULL WHERE id = $2 AND setup_hash = $3")
                    .bind(hash)
                    .bind(id.to_string())
                    .bind(expected)
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                if r.rows_affected() != 1 {
                    return Err(Error::new(ErrorCode::CodeInvalid).at("setup_token"));
                }
                revoke_all(c, &account.owner(), None, now).await?;
                append(c, Entry::new("account.password_set", now, account_actor(id)).object("account", id)).await
            })
        })
        .await
    }

    /// First factor of a staff sign-in: login and password. Answers the same way for
    /// an unknown login, a wrong password and a disabled account, after the same work.
    pub async fn password_signin(
        &self,
        login: &str,
        password: String,
        client: Option<String>,
        now: Timestamp,
    ) -> Result<(Opened, Next), Error> {
        let keyring = self.secrets().keyring.clone();
        let index = login_index(&keyring, login);
        let keys = keys(&keyring, &index, client.as_deref());
        let row = {
            let mut c = self.reader().await?;
            check_all(&mut c, &keys, now).await?;
            crate::db::query("SELECT * FROM accounts WHERE login_index = $1")
                .bind(index.clone())
                .fetch_optional(&mut c)
                .await
                .map_err(db)?
        };
        let account = row.map(|r| account_from_row(&keyring, &r)).transpose()?;
        let phc = account
            .as_ref()
            .filter(|a| a.disabled_at.is_none())
            .and_then(|a| a.password_hash.clone());
        let ok = tokio::task::spawn_blocking(move || verify_password(phc.as_deref(), &password))
            .await
            .map_err(|_| Error::internal())?;
        let store = self.clone();
        let result = self
            .write(move |c| {
                Box::pin(async move {
                    // A lock set by a parallel attempt while this one was hashing holds.
                    check_all(c, &keys, now).await?;
                    let actor = Actor::new("account", account.as_ref().map(|a| a.id.to_string()));
                    let Some(account) = account.filter(|_| ok) else {
                        append(
                            c,
                            Entry::new("signin.failed", now, actor.clone())
                                .detail("factor", "password"),
                        )
                        .await?;
                        record_failure(c, &keys, &actor, None, now).await?;
                        return Ok(None);
                    };
                    let owner = account.owner();
                    throttle_clear(c, &keys[0].0).await?;
                    let f = load_factor(c, &store.secrets().keyring, &owner.factor_owner()).await?;
                    let next = if f.secret.is_some() {
                        Next::Totp
                    } else {
                        Next::EnrollTotp
                    };
                    let opened = open_session(
                        c,
                        &store.secrets().keyring,
                        owner,
                        Stage::Mfa,
                        PENDING_MFA_SESSION,
                        None,
                        now,
                    )
                    .await?;
                    append(
                        c,
                        Entry::new("signin.first_factor", now, actor).object("account", account.id),
                    )
                    .await?;
                    Ok(Some((opened, next)))
                })
            })
            .await?;
        result.ok_or_else(|| Error::new(ErrorCode::CredentialsInvalid))
    }

    /// Second factor of a sign-in, on a session at the `mfa` stage: a TOTP code or a
    /// recovery code. The pre-MFA session ends and a new one, with a new token, starts.
    pub async fn verify_second_factor(
        &self,
        session: Session,
        code: SecondFactor,
        client: Option<String>,
        now: Timestamp,
    ) -> Result<Opened, Error> {
        if session.stage != Stage::Mfa {
            return Err(Error::new(ErrorCode::Forbidden));
        }
        let store = self.clone();
        let result = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let owner = session.owner;
                    let fo = owner.factor_owner();
                    let keys = keys(&keyring, fo.as_bytes(), client.as_deref());
                    check_all(c, &keys, now).await?;
                    if !has_confirmed_totp(c, &fo).await? {
                        return Err(Error::new(ErrorCode::MfaNotEnrolled));
                    }
                    let kind = match code {
                        SecondFactor::Totp(_) => "totp",
                        SecondFactor::Recovery(_) => "recovery_code",
                    };
                    if !check_second_factor(c, &keyring, &fo, &code, now).await? {
                        failed(
                            c,
                            &owner,
                            &keys,
                            Entry::new("signin.failed", now, owner.actor()).detail("factor", kind),
                            now,
                        )
                        .await?;
                        return Ok(None);
                    }
                    throttle_clear(c, &keys[0].0).await?;
                    let policy = match owner {
                        SessionOwner::Subject(_) => SUBJECT_SESSION,
                        SessionOwner::Account { .. } => STAFF_SESSION,
                    };
                    let opened = open_session(
                        c,
                        &keyring,
                        owner,
                        Stage::Active,
                        policy,
                        Some(&session.id),
                        now,
                    )
                    .await?;
                    if kind == "recovery_code" {
                        append_for(
                            c,
                            &owner,
                            Entry::new("mfa.recovery_code_used", now, owner.actor()),
                        )
                        .await?;
                    }
                    append_for(
                        c,
                        &owner,
                        Entry::new("session.started", now, owner.actor()).detail("factor", kind),
                    )
                    .await?;
                    Ok(Some(opened))
                })
            })
            .await?;
        result.ok_or_else(|| Error::new(ErrorCode::CredentialsInvalid))
    }

    /// Begin setting up an authenticator. Allowed on a first sign-in (session at the
    /// `mfa` stage, no authenticator yet), or on an active session with
    /// re-authentication: the password (staff) and a current code, when one is set up.
    pub async fn begin_totp(
        &self,
        session: Session,
        reauth: Reauth,
        now: Timestamp,
    ) -> Result<TotpEnrollment, Error> {
        self.reauthenticate(&session, &reauth, now).await?;
        let store = self.clone();
        self.write(move |c| {
            Box::pin(async move {
                let keyring = store.secrets().keyring.clone();
                let fo = session.owner.factor_owner();
                let secret = new_totp_secret();
                let sealed = keyring.seal_service(format!("totp {fo}").as_bytes(), &secret)?;
                crate::db::query("INSERT INTO totp_factors (owner, pending_secret) VALUES ($1, $2) ON CONFLICT (owner) DO UPDATE SET pending_secret = excluded.pending_secret")
                    .bind(fo.clone())
                    .bind(sealed)
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                let label = match session.owner { SessionOwner::Subject(s) => s, SessionOwner::Account { id, .. } => id };
                Ok(TotpEnrollment { secret: totp_secret_base32(&secret), otpauth_uri: otpauth_uri(ISSUER, &label.to_string(), &secret) })
            })
        })
        .await
    }

    /// Confirm the authenticator being set up with a code from it. It replaces any
    /// earlier one, new recovery codes are issued (shown once), and other sessions
    /// end. On a first sign-in this also completes it, with a new token.
    pub async fn confirm_totp(
        &self,
        session: Session,
        code: String,
        client: Option<String>,
        now: Timestamp,
    ) -> Result<MfaConfirmed, Error> {
        let store = self.clone();
        let result = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let owner = session.owner;
                    let fo = owner.factor_owner();
                    let keys = keys(&keyring, fo.as_bytes(), client.as_deref());
                    check_all(c, &keys, now).await?;
                    let f = load_factor(c, &keyring, &fo).await?;
                    if session.stage == Stage::Mfa && f.secret.is_some() {
                        // A pre-MFA session cannot replace an authenticator already set up.
                        return Err(Error::new(ErrorCode::MfaRequired));
                    }
                    let Some(pending) = f.pending else {
                        return Err(Error::new(ErrorCode::MfaNotEnrolled));
                    };
                    let Some(step) = verify_totp(&pending, &code, now, 0) else {
                        failed(c, &owner, &keys, Entry::new("signin.failed", now, owner.actor()).detail("factor", "totp_enrollment"), now).await?;
                        return Ok(None);
                    };
                    let sealed = keyring.seal_service(format!("totp {fo}").as_bytes(), &pending)?;
                    crate::db::query("UPDATE totp_factors SET secret = $1, pending_secret = NULL, confirmed_at = $2, last_step = $3 WHERE owner = $4")
                        .bind(sealed)
                        .bind(ts_to_db(now))
                        .bind(step)
                        .bind(fo.clone())
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    let codes = new_recovery_codes(c, &keyring, &fo).await?;
                    let replaced = f.secret.is_some();
                    append_for(c, &owner, Entry::new(if replaced { "mfa.replaced" } else { "mfa.enrolled" }, now, owner.actor()).detail("factor", "totp")).await?;
                    let opened = if session.stage == Stage::Mfa {
                        let policy = match owner { SessionOwner::Subject(_) => SUBJECT_SESSION, SessionOwner::Account { .. } => STAFF_SESSION };
                        let o = open_session(c, &keyring, owner, Stage::Active, policy, Some(&session.id), now).await?;
                        append_for(c, &owner, Entry::new("session.started", now, owner.actor()).detail("factor", "totp")).await?;
                        Some(o)
                    } else {
                        revoke_all(c, &owner, Some(&session.id), now).await?;
                        None
                    };
                    throttle_clear(c, &keys[0].0).await?;
                    Ok(Some(MfaConfirmed { opened, recovery_codes: codes }))
                })
            })
            .await?;
        result.ok_or_else(|| Error::new(ErrorCode::CredentialsInvalid))
    }

    /// New recovery codes (the old ones stop working), after re-authentication.
    pub async fn regenerate_recovery_codes(
        &self,
        session: Session,
        reauth: Reauth,
        now: Timestamp,
    ) -> Result<Vec<String>, Error> {
        if session.stage != Stage::Active {
            return Err(Error::new(ErrorCode::MfaRequired));
        }
        self.reauthenticate(&session, &reauth, now).await?;
        let store = self.clone();
        self.write(move |c| {
            Box::pin(async move {
                let keyring = store.secrets().keyring.clone();
                let fo = session.owner.factor_owner();
                if !has_confirmed_totp(c, &fo).await? {
                    return Err(Error::new(ErrorCode::MfaNotEnrolled));
                }
                let codes = new_recovery_codes(c, &keyring, &fo).await?;
                append_for(
                    c,
                    &session.owner,
                    Entry::new("mfa.recovery_codes_regenerated", now, session.owner.actor()),
                )
                .await?;
                Ok(codes)
            })
        })
        .await
    }

    /// Change a staff member's password: the current password and a current code,
    /// both. Every other session of the account ends.
    pub async fn change_password(
        &self,
        session: Session,
        reauth: Reauth,
        new_password: String,
        now: Timestamp,
    ) -> Result<(), Error> {
        let SessionOwner::Account { id, .. } = session.owner else {
            return Err(Error::new(ErrorCode::Forbidden));
        };
        if session.stage != Stage::Active {
            return Err(Error::new(ErrorCode::MfaRequired));
        }
        let keyring = self.secrets().keyring.clone();
        let account = {
            let mut c = self.reader().await?;
            load_account(&mut c, &keyring, id).await?
        };
        validate_password(&new_password, &account.pii.email)?;
        self.reauthenticate(&session, &reauth, now).await?;
        let hash = tokio::task::spawn_blocking(move || hash_password(&new_password))
            .await
            .map_err(|_| Error::internal())??;
        self.write(move |c| {
            Box::pin(async move {
                crate::db::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                revoke_all(c, &session.owner, Some(&session.id), now).await?;
                append(
                    c,
                    Entry::new("account.password_changed", now, account_actor(id))
                        .object("account", id),
                )
                .await
            })
        })
        .await
    }

    /// Re-authentication for a sensitive change: staff give their password and,
    /// once an authenticator is set up, a current code; subjects a current code.
    /// Failures count against the account like sign-in failures.
    async fn reauthenticate(
        &self,
        session: &Session,
        reauth: &Reauth,
        now: Timestamp,
    ) -> Result<(), Error> {
        let keyring = self.secrets().keyring.clone();
        let owner = session.owner;
        let fo = owner.factor_owner();
        let keys = keys(&keyring, fo.as_bytes(), reauth.client.as_deref());
        let (phc, enrolled) = {
            let mut c = self.reader().await?;
            check_all(&mut c, &keys, now).await?;
            let enrolled = has_confirmed_totp(&mut c, &fo).await?;
            let phc = match owner {
                SessionOwner::Account { id, .. } => {
                    Some(load_account(&mut c, &keyring, id).await?.password_hash)
                }
                SessionOwner::Subject(_) => None,
            };
            (phc, enrolled)
        };
        // A first enrollment right after the password step needs nothing more.
        if session.stage == Stage::Mfa && !enrolled {
            return Ok(());
        }
        if session.stage == Stage::Mfa {
            return Err(Error::new(ErrorCode::MfaRequired));
        }
        let password_ok = match phc {
            Some(phc) => {
                let pw = reauth.password.clone().unwrap_or_default();
                tokio::task::spawn_blocking(move || verify_password(phc.as_deref(), &pw))
                    .await
                    .map_err(|_| Error::internal())?
            }
            None => true,
        };
        let store = self.clone();
        let code = reauth.code.clone();
        let ok = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let code_ok = match (&code, enrolled) {
                        (_, false) => true,
                        (Some(code), true) => {
                            check_second_factor(
                                c,
                                &keyring,
                                &fo,
                                &SecondFactor::Totp(code.clone()),
                                now,
                            )
                            .await?
                        }
                        (None, true) => false,
                    };
                    if password_ok && code_ok {
                        return Ok(true);
                    }
                    failed(
                        c,
                        &owner,
                        &keys,
                        Entry::new("reauth.failed", now, owner.actor()),
                        now,
                    )
                    .await?;
                    Ok(false)
                })
            })
            .await?;
        if ok {
            Ok(())
        } else {
            Err(Error::new(ErrorCode::CredentialsInvalid))
        }
    }

    /// Disable an account (its sessions end at once), or enable it again.
    pub async fn set_account_disabled(
        &self,
        id: Uuid,
        organization: Option<Uuid>,
        disabled: bool,
        by: Actor,
        now: Timestamp,
    ) -> Result<AccountInfo, Error> {
        let store = self.clone();
        self.write(move |c| {
            Box::pin(async move {
                let keyring = store.secrets().keyring.clone();
                let a = load_account(c, &keyring, id).await?;
                if organization.is_some() && a.organization != organization {
                    return Err(Error::new(ErrorCode::NotFound));
                }
                crate::db::query("UPDATE accounts SET disabled_at = $1 WHERE id = $2")
                    .bind(disabled.then_some(ts_to_db(now)))
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                if disabled {
                    revoke_all(c, &a.owner(), None, now).await?;
                }
                let mut e = Entry::new(
                    if disabled {
                        "account.disabled"
                    } else {
                        "account.enabled"
                    },
                    now,
                    by,
                )
                .object("account", id);
                if let Some(o) = a.organization {
                    e = e.organization(o);
                }
                append(c, e).await
            })
        })
        .await?;
        self.account(id, organization).await
    }

    /// An administrator's reset for a lost password or authenticator: the password
    /// and the authenticator are removed, sessions end, and a new setup token is
    /// issued (shown once).
    pub async fn reset_account(
        &self,
        id: Uuid,
        organization: Option<Uuid>,
        by: Actor,
        now: Timestamp,
    ) -> Result<(String, Timestamp), Error> {
        let secret = random_token(32);
        let token = format!("{SETUP_PREFIX}{}.{secret}", id.simple());
        let expires = now + SETUP_TOKEN_TTL;
        let store = self.clone();
        self.write(move |c| {
            Box::pin(async move {
                let keyring = store.secrets().keyring.clone();
                let a = load_account(c, &keyring, id).await?;
                if organization.is_some() && a.organization != organization {
                    return Err(Error::new(ErrorCode::NotFound));
                }
                crate::db::query("UPDATE accounts SET password_hash = NULL, setup_hash = $1, setup_expires_at = $2 WHERE id = $3")
                    .bind(keyring.code_hash(b"setup", &secret))
                    .bind(ts_to_db(expires))
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                let fo = a.owner().factor_owner();
                for sql in ["DELETE FROM totp_factors WHERE owner = $1", "DELETE FROM recovery_codes WHERE owner = $1"] {
                    crate::db::query(sql).bind(fo.clone()).execute(&mut *c).await.map_err(db)?;
                }
                revoke_all(c, &a.owner(), None, now).await?;
                let mut e = Entry::new("account.reset", now, by).object("account", id);
                if let Some(o) = a.organization {
                    e = e.organization(o);
                }
                append(c, e).await
            })
        })
        .await?;
        Ok((token, expires))
    }
}

/// What re-authentication carries.
#[derive(Debug, Clone, Default)]
pub struct Reauth {
    pub password: Option<String>,
    pub code: Option<String>,
    pub client: Option<String>,
}
