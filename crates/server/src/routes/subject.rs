use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qorgau_core::id::Iin;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{ClientAddr, PendingSession};
use crate::extract::Json as Body;
use crate::{ApiResult, App};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    #[schema(value_type = String, example = "900101300017")]
    iin: Iin,
}

#[derive(Serialize, ToSchema)]
pub struct Challenge {
    challenge_id: Uuid,
    /// Seconds the code stays valid.
    expires_in: i64,
}

/// Start signing in: a one-time code goes to the subject's proven phone or email. The
/// answer is the same whether or not the IIN is known.
#[utoipa::path(post, path = "/v1/subject/sign-in", tag = "subject", request_body = SignIn,
    responses((status = 202, body = Challenge), (status = 422, body = crate::Problem)))]
pub async fn sign_in(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    Body(b): Body<SignIn>,
) -> ApiResult<(StatusCode, Json<Challenge>)> {
    let id = app
        .store
        .start_signin(b.iin, client, app.clock.now())
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Challenge {
            challenge_id: id,
            expires_in: qorgau_store::sessions::SIGNIN_CODE_TTL.as_secs(),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verify {
    challenge_id: Uuid,
    code: String,
}

/// Finish signing in with the code. A subject who has set up an authenticator gets
/// a session at the `mfa` stage and finishes with `/v1/auth/mfa`.
#[utoipa::path(post, path = "/v1/subject/sign-in/verify", tag = "subject", request_body = Verify,
    responses((status = 200, body = crate::routes::auth::SignedIn), (status = 422, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn verify(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    Body(b): Body<Verify>,
) -> ApiResult<axum::response::Response> {
    if b.code.len() > 16 {
        return Err(qorgau_core::ErrorCode::CodeInvalid.into());
    }
    let now = app.clock.now();
    let opened = app
        .store
        .verify_signin(b.challenge_id, b.code, client, now)
        .await?;
    let next = match opened.session.stage {
        qorgau_store::sessions::Stage::Mfa => qorgau_store::accounts::Next::Totp,
        qorgau_store::sessions::Stage::Active => qorgau_store::accounts::Next::None,
    };
    Ok(crate::routes::auth::signed_in(opened, next, now))
}

/// End the session on the server (the same as `/v1/auth/sign-out`).
#[utoipa::path(post, path = "/v1/subject/sign-out", tag = "subject", security(("session" = []), ("pending_session" = [])),
    responses((status = 204)))]
pub async fn sign_out(
    State(app): State<App>,
    s: PendingSession,
) -> ApiResult<axum::response::Response> {
    crate::routes::auth::sign_out(State(app), s).await
}

/// Whom the signed-in subject may act for as a legal representative: each person
/// with the basis and end of the authority. Act for one by sending
/// `Qorgau-Acting-For: <subject_id>` with the session.
#[utoipa::path(get, path = "/v1/subject/represented", tag = "subject", security(("session" = [])),
    responses((status = 200, body = Vec<qorgau_store::subjects::Represented>)))]
pub async fn represented(
    State(app): State<App>,
    s: crate::auth::SubjectSession,
) -> ApiResult<Json<Vec<qorgau_store::subjects::Represented>>> {
    if s.representative.is_some() {
        // A representative's authority is not passed on.
        return Err(qorgau_core::ErrorCode::Forbidden.into());
    }
    Ok(Json(
        app.store.represented(s.subject_id, app.clock.now()).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct InboxItem {
    id: Uuid,
    /// What it is about: `request_received`, `request_completed`, …
    kind: String,
    /// The text, in the subject's language.
    text: String,
    /// `queued`, `sent` (handed to the email or SMS channel), `failed`, `inbox` (kept
    /// here only, by the subject's choice), `held` (for the day's digest) or
    /// `digested` (sent in a digest).
    delivery: String,
    #[schema(value_type = String, format = DateTime)]
    at: jiff::Timestamp,
}

/// The subject's inbox in the service: every notification sent to them (always kept,
/// whatever the channels), newest first; one-time codes are not kept here.
#[utoipa::path(get, path = "/v1/subject/inbox", tag = "subject", security(("session" = [])),
    responses((status = 200, body = Vec<InboxItem>)))]
pub async fn inbox(
    State(app): State<App>,
    s: crate::auth::SubjectSession,
) -> ApiResult<Json<Vec<InboxItem>>> {
    let items = app.store.inbox(s.subject_id, 200).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|(id, m, status, at)| InboxItem {
                id,
                kind: m.kind.as_str().to_owned(),
                text: app
                    .l10n
                    .message(m.language.as_str(), m.kind.as_str(), &m.args),
                delivery: status,
                at,
            })
            .collect(),
    ))
}

/// The subject's notification preferences. Without any set: the contact's channel
/// (SMS if there is a phone, else email), each message at once.
#[utoipa::path(get, path = "/v1/subject/preferences", tag = "subject", security(("session" = [])),
    responses((status = 200, body = qorgau_store::outbox::Preferences)))]
pub async fn preferences(
    State(app): State<App>,
    s: crate::auth::SubjectSession,
) -> ApiResult<Json<qorgau_store::outbox::Preferences>> {
    Ok(Json(app.store.subject_preferences(s.subject_id).await?))
}

/// Choose channels (`sms`, `email`, both, or none: the inbox only) and whether to get
/// one digest a day instead of each message at once. One-time codes always go at once.
#[utoipa::path(put, path = "/v1/subject/preferences", tag = "subject", request_body = qorgau_store::outbox::Preferences,
    security(("session" = [])),
    responses((status = 200, body = qorgau_store::outbox::Preferences), (status = 422, body = crate::Problem)))]
pub async fn set_preferences(
    State(app): State<App>,
    s: crate::auth::SubjectSession,
    Body(b): Body<qorgau_store::outbox::Preferences>,
) -> ApiResult<Json<qorgau_store::outbox::Preferences>> {
    if s.representative.is_some() {
        return Err(qorgau_core::ErrorCode::Forbidden.into());
    }
    Ok(Json(
        app.store
            .set_subject_preferences(s.subject_id, b, app.clock.now())
            .await?,
    ))
}
