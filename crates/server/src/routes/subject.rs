use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qorgau_core::id::Iin;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::SubjectSession;
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
    Body(b): Body<SignIn>,
) -> ApiResult<(StatusCode, Json<Challenge>)> {
    let id = app.store.start_signin(b.iin, app.clock.now()).await?;
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

#[derive(Serialize, ToSchema)]
pub struct SessionToken {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    #[schema(value_type = String, format = DateTime)]
    expires_at: jiff::Timestamp,
}

/// Finish signing in with the code.
#[utoipa::path(post, path = "/v1/subject/sign-in/verify", tag = "subject", request_body = Verify,
    responses((status = 200, body = SessionToken), (status = 422, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn verify(
    State(app): State<App>,
    Body(b): Body<Verify>,
) -> ApiResult<Json<SessionToken>> {
    if b.code.len() > 16 {
        return Err(qorgau_core::ErrorCode::CodeInvalid.into());
    }
    let (token, s) = app
        .store
        .verify_signin(b.challenge_id, b.code, app.clock.now())
        .await?;
    Ok(Json(SessionToken {
        token,
        expires_at: s.expires_at,
    }))
}

/// End the session on the server.
#[utoipa::path(post, path = "/v1/subject/sign-out", tag = "subject", security(("subject_session" = [])),
    responses((status = 204)))]
pub async fn sign_out(State(app): State<App>, s: SubjectSession) -> ApiResult<StatusCode> {
    app.store
        .revoke_session(s.session_id, app.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
