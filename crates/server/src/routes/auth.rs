//! Sign-in for staff, inspectors and administrators (password, then TOTP, always),
//! the second factor for everyone who has one, and what a session can do about
//! itself: look at itself, set up the authenticator, renew recovery codes, change
//! the password, end.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::Timestamp;
use qorgau_core::auth::Role;
use qorgau_core::ErrorCode;
use qorgau_store::accounts::{Next, Reauth, SecondFactor, TotpEnrollment};
use qorgau_store::sessions::{Opened, SessionOwner, Stage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{ActiveSession, ClientAddr, PendingSession, SESSION_COOKIE};
use crate::extract::Json as Body;
use crate::{ApiResult, App};

/// A session just opened (or moved on a step, with a new token).
#[derive(Serialize, ToSchema)]
pub struct SignedIn {
    /// Send as `Authorization: Bearer <token>`; browsers get it in an HttpOnly cookie too.
    pub token: String,
    /// With the cookie, send this in `X-CSRF-Token` on every POST.
    pub csrf_token: String,
    /// `mfa`: only the second factor may follow; `active`: signed in.
    pub stage: String,
    /// What to do next.
    pub next: Next,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    /// When the session ends without activity.
    #[schema(value_type = String, format = DateTime)]
    pub idle_expires_at: Timestamp,
}

fn stage(s: Stage) -> &'static str {
    match s {
        Stage::Mfa => "mfa",
        Stage::Active => "active",
    }
}

/// The cookie that carries a session to a browser.
pub(crate) fn session_cookie(o: &Opened, now: Timestamp) -> HeaderValue {
    let max_age = o.session.expires_at.duration_since(now).as_secs().max(0);
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age}",
        o.token
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub(crate) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-qorgau-session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
    )
}

/// A session answer: the body and the cookie.
pub(crate) fn signed_in(o: Opened, next: Next, now: Timestamp) -> Response {
    let cookie = session_cookie(&o, now);
    let body = SignedIn {
        stage: stage(o.session.stage).to_owned(),
        next,
        expires_at: o.session.expires_at,
        idle_expires_at: o.session.idle_until,
        csrf_token: o.csrf_token,
        token: o.token,
    };
    let mut r = Json(body).into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie);
    r
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordSignIn {
    email: String,
    password: String,
}

fn bounded(s: &str, max: usize) -> ApiResult<()> {
    if s.len() > max {
        Err(ErrorCode::CredentialsInvalid.into())
    } else {
        Ok(())
    }
}

/// Staff, inspectors and administrators: first factor (login and password). The
/// session it opens can only finish the sign-in: with the authenticator's code, or
/// by setting up the authenticator at the first sign-in. Wrong login, wrong
/// password and disabled account answer the same.
#[utoipa::path(post, path = "/v1/auth/sign-in", tag = "auth", request_body = PasswordSignIn,
    responses((status = 200, body = SignedIn), (status = 401, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn sign_in(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    Body(b): Body<PasswordSignIn>,
) -> ApiResult<Response> {
    bounded(&b.email, 254)?;
    bounded(&b.password, 4 * qorgau_core::auth::PASSWORD_MAX_CHARS)?;
    let now = app.clock.now();
    let (opened, next) = app
        .store
        .password_signin(&b.email, b.password, client, now)
        .await?;
    Ok(signed_in(opened, next, now))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondFactorBody {
    /// The authenticator's current 6-digit code.
    #[serde(default)]
    code: Option<String>,
    /// Or one of the recovery codes (each works once).
    #[serde(default)]
    recovery_code: Option<String>,
}

/// Second factor: finishes a sign-in whose session is at the `mfa` stage. The token
/// changes; the pre-MFA one stops working.
#[utoipa::path(post, path = "/v1/auth/mfa", tag = "auth", request_body = SecondFactorBody,
    security(("session" = []), ("pending_session" = [])),
    responses((status = 200, body = SignedIn), (status = 401, body = crate::Problem), (status = 409, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn mfa(
    State(app): State<App>,
    PendingSession(s): PendingSession,
    ClientAddr(client): ClientAddr,
    Body(b): Body<SecondFactorBody>,
) -> ApiResult<Response> {
    let factor = match (b.code, b.recovery_code) {
        (Some(c), None) => SecondFactor::Totp(c),
        (None, Some(r)) => SecondFactor::Recovery(r),
        _ => {
            return Err(qorgau_core::Error::new(ErrorCode::ValidationFailed)
                .at("code")
                .into())
        }
    };
    let (SecondFactor::Totp(c) | SecondFactor::Recovery(c)) = &factor;
    bounded(c, 32)?;
    let now = app.clock.now();
    let opened = app
        .store
        .verify_second_factor(s, factor, client, now)
        .await?;
    Ok(signed_in(opened, Next::None, now))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReauthBody {
    /// The current password (staff).
    #[serde(default)]
    password: Option<String>,
    /// A current code from the authenticator already set up.
    #[serde(default)]
    code: Option<String>,
}

fn reauth(b: ReauthBody, client: Option<String>) -> ApiResult<Reauth> {
    if let Some(p) = &b.password {
        bounded(p, 4 * qorgau_core::auth::PASSWORD_MAX_CHARS)?;
    }
    if let Some(c) = &b.code {
        bounded(c, 32)?;
    }
    Ok(Reauth {
        password: b.password,
        code: b.code,
        client,
    })
}

/// Set up an authenticator (TOTP): at the first sign-in of staff, or any time later
/// (subjects too) with re-authentication: the password (staff) and a current code
/// from the authenticator being replaced. Confirm it with `/v1/auth/totp/confirm`.
#[utoipa::path(post, path = "/v1/auth/totp", tag = "auth", request_body = ReauthBody,
    security(("session" = []), ("pending_session" = [])),
    responses((status = 200, body = TotpEnrollment), (status = 401, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn begin_totp(
    State(app): State<App>,
    PendingSession(s): PendingSession,
    ClientAddr(client): ClientAddr,
    Body(b): Body<ReauthBody>,
) -> ApiResult<Json<TotpEnrollment>> {
    let r = reauth(b, client)?;
    Ok(Json(app.store.begin_totp(s, r, app.clock.now()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmTotp {
    /// A code from the authenticator being set up.
    code: String,
}

#[derive(Serialize, ToSchema)]
pub struct TotpConfirmed {
    /// Ten single-use codes for when the authenticator is lost. Shown this once.
    recovery_codes: Vec<String>,
    /// When this finished a first sign-in: the new session (the token changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<SignedIn>,
}

/// Confirm the authenticator being set up. Issues recovery codes; on a first
/// sign-in it also completes the sign-in with a new token; otherwise every other
/// session ends.
#[utoipa::path(post, path = "/v1/auth/totp/confirm", tag = "auth", request_body = ConfirmTotp,
    security(("session" = []), ("pending_session" = [])),
    responses((status = 200, body = TotpConfirmed), (status = 401, body = crate::Problem), (status = 409, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn confirm_totp(
    State(app): State<App>,
    PendingSession(s): PendingSession,
    ClientAddr(client): ClientAddr,
    Body(b): Body<ConfirmTotp>,
) -> ApiResult<Response> {
    bounded(&b.code, 32)?;
    let now = app.clock.now();
    let done = app.store.confirm_totp(s, b.code, client, now).await?;
    let cookie = done.opened.as_ref().map(|o| session_cookie(o, now));
    let body = TotpConfirmed {
        recovery_codes: done.recovery_codes,
        session: done.opened.map(|o| SignedIn {
            stage: stage(o.session.stage).to_owned(),
            next: Next::None,
            expires_at: o.session.expires_at,
            idle_expires_at: o.session.idle_until,
            csrf_token: o.csrf_token,
            token: o.token,
        }),
    };
    let mut r = Json(body).into_response();
    if let Some(c) = cookie {
        r.headers_mut().insert(header::SET_COOKIE, c);
    }
    Ok(r)
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Shown this once; the previous codes no longer work.
    recovery_codes: Vec<String>,
}

/// New recovery codes, with re-authentication (password for staff, and a current code).
#[utoipa::path(post, path = "/v1/auth/recovery-codes", tag = "auth", request_body = ReauthBody,
    security(("session" = [])),
    responses((status = 200, body = RecoveryCodes), (status = 401, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn recovery_codes(
    State(app): State<App>,
    ActiveSession(s): ActiveSession,
    ClientAddr(client): ClientAddr,
    Body(b): Body<ReauthBody>,
) -> ApiResult<Json<RecoveryCodes>> {
    let r = reauth(b, client)?;
    let codes = app
        .store
        .regenerate_recovery_codes(s, r, app.clock.now())
        .await?;
    Ok(Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    current_password: String,
    /// A current code from the authenticator.
    code: String,
    new_password: String,
}

/// Change the password (staff), with the current password and a current code. Every
/// other session of the account ends.
#[utoipa::path(post, path = "/v1/auth/password", tag = "auth", request_body = ChangePassword,
    security(("session" = [])),
    responses((status = 204), (status = 401, body = crate::Problem), (status = 422, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn change_password(
    State(app): State<App>,
    ActiveSession(s): ActiveSession,
    ClientAddr(client): ClientAddr,
    Body(b): Body<ChangePassword>,
) -> ApiResult<StatusCode> {
    bounded(&b.new_password, 4 * qorgau_core::auth::PASSWORD_MAX_CHARS)?;
    let r = reauth(
        ReauthBody {
            password: Some(b.current_password),
            code: Some(b.code),
        },
        client,
    )?;
    app.store
        .change_password(s, r, b.new_password, app.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The setup token from the account's creation or reset (`qa_…`), single use.
    setup_token: String,
    password: String,
}

/// Set the password of a new (or reset) staff account with its setup token.
#[utoipa::path(post, path = "/v1/auth/setup", tag = "auth", request_body = Setup,
    responses((status = 204), (status = 422, body = crate::Problem)))]
pub async fn setup(State(app): State<App>, Body(b): Body<Setup>) -> ApiResult<StatusCode> {
    bounded(&b.setup_token, 200)?;
    bounded(&b.password, 4 * qorgau_core::auth::PASSWORD_MAX_CHARS)?;
    app.store
        .set_password_with_token(&b.setup_token, b.password, app.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct SessionInfo {
    /// `subject` or `account`.
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<Uuid>,
    stage: String,
    #[schema(value_type = String, format = DateTime)]
    expires_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    idle_expires_at: Timestamp,
    /// The anti-forgery token for cookie-borne requests.
    csrf_token: String,
}

/// The current session: who, at which stage, until when.
#[utoipa::path(get, path = "/v1/auth/session", tag = "auth", security(("session" = []), ("pending_session" = [])),
    responses((status = 200, body = SessionInfo), (status = 401, body = crate::Problem)))]
pub async fn current(
    State(app): State<App>,
    PendingSession(s): PendingSession,
) -> ApiResult<Json<SessionInfo>> {
    let (kind, subject_id, account_id, role, organization_id) = match s.owner {
        SessionOwner::Subject(id) => ("subject", Some(id), None, None, None),
        SessionOwner::Account {
            id,
            role,
            organization,
        } => ("account", None, Some(id), Some(role), organization),
    };
    Ok(Json(SessionInfo {
        kind: kind.to_owned(),
        subject_id,
        account_id,
        role,
        organization_id,
        stage: stage(s.stage).to_owned(),
        expires_at: s.expires_at,
        idle_expires_at: s.idle_until,
        csrf_token: app.store.csrf_token(&s.id),
    }))
}

/// End the session on the server, whoever holds it, and clear the cookie.
#[utoipa::path(post, path = "/v1/auth/sign-out", tag = "auth", security(("session" = []), ("pending_session" = [])),
    responses((status = 204)))]
pub async fn sign_out(
    State(app): State<App>,
    PendingSession(s): PendingSession,
) -> ApiResult<Response> {
    app.store.revoke_session(s, app.clock.now()).await?;
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(header::SET_COOKIE, clear_cookie());
    Ok(r)
}
