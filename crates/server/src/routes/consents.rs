use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use qorgau_core::consent::{ConsentState, WithdrawalGround};
use qorgau_core::{Error, ErrorCode};
use qorgau_store::consents::{
    Answer, AnswerOutcome, ConsentView, NewConsentRequest, Page, WithdrawOutcome,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{ConsentsRead, ConsentsWrite, Org, OrgOrSubject, SubjectSession};
use crate::extract::{Json as Body, PathId, Query};
use crate::{created, ApiError, ApiResult, App};

/// Ask a subject for consent (operators and owners). Carries every item of Art. 8(4);
/// the subject, or their legal representative, is sent a one-time code.
#[utoipa::path(post, path = "/v1/consent-requests", tag = "consents", request_body = NewConsentRequest,
    security(("api_key" = []), ("session" = [])),
    responses((status = 201, body = ConsentView), (status = 422, body = crate::Problem), (status = 403, body = crate::Problem)))]
pub async fn create_request(
    State(app): State<App>,
    org: Org<ConsentsWrite>,
    Body(req): Body<NewConsentRequest>,
) -> ApiResult<Response> {
    Ok(created(
        app.store
            .create_consent_request(org.id, req, app.clock.now())
            .await?,
    ))
}

/// A consent request, for its operator or its subject.
#[utoipa::path(get, path = "/v1/consent-requests/{id}", tag = "consents", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ConsentView), (status = 404, body = crate::Problem)))]
pub async fn get_request(
    State(app): State<App>,
    who: OrgOrSubject<ConsentsRead>,
    PathId(id): PathId,
) -> ApiResult<Json<ConsentView>> {
    Ok(Json(
        app.store
            .consent(id, who.viewer, true, app.clock.now())
            .await?,
    ))
}

/// Send a new one-time code for a pending request; the previous code stops working.
#[utoipa::path(post, path = "/v1/consent-requests/{id}/code", tag = "consents", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 202), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn resend_code(
    State(app): State<App>,
    org: Org<ConsentsWrite>,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    app.store
        .resend_consent_code(org.id, id, app.clock.now())
        .await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    /// The one-time code the subject (or representative) received.
    code: String,
}

async fn answer(app: App, id: uuid::Uuid, code: String, a: Answer) -> ApiResult<Json<ConsentView>> {
    if code.len() > 16 {
        return Err(Error::new(ErrorCode::ValidationFailed).at("code").into());
    }
    match app
        .store
        .answer_consent_request(id, code, a, app.clock.now())
        .await?
    {
        AnswerOutcome::Done(v) => Ok(Json(*v)),
        AnswerOutcome::WrongCode { attempts_left } => Err(ApiError(
            Error::new(ErrorCode::CodeInvalid)
                .at("code")
                .arg("attempts_left", attempts_left.to_string()),
        )),
    }
}

/// Give consent: the subject (or representative) presents the one-time code. The code
/// is the proof; no session is needed. Returns the consent with its signed receipt.
#[utoipa::path(post, path = "/v1/consent-requests/{id}/confirm", tag = "consents", request_body = CodeBody,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ConsentView), (status = 422, body = crate::Problem), (status = 409, body = crate::Problem), (status = 410, body = crate::Problem), (status = 429, body = crate::Problem)))]
pub async fn confirm(
    State(app): State<App>,
    PathId(id): PathId,
    Body(b): Body<CodeBody>,
) -> ApiResult<Json<ConsentView>> {
    answer(app, id, b.code, Answer::Confirm).await
}

/// Refuse to give consent, with the one-time code.
#[utoipa::path(post, path = "/v1/consent-requests/{id}/refuse", tag = "consents", request_body = CodeBody,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ConsentView), (status = 422, body = crate::Problem), (status = 409, body = crate::Problem), (status = 410, body = crate::Problem)))]
pub async fn refuse(
    State(app): State<App>,
    PathId(id): PathId,
    Body(b): Body<CodeBody>,
) -> ApiResult<Json<ConsentView>> {
    answer(app, id, b.code, Answer::Refuse).await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only consents in this state (as of now).
    state: Option<ConsentState>,
    /// From `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
}

/// Consents, newest first: an operator's consents, or a signed-in subject's own.
#[utoipa::path(get, path = "/v1/consents", tag = "consents", security(("api_key" = []), ("session" = [])),
    params(ListParams),
    responses((status = 200, body = Page<ConsentView>)))]
pub async fn list(
    State(app): State<App>,
    who: OrgOrSubject<ConsentsRead>,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<Page<ConsentView>>> {
    let page = app
        .store
        .list_consents(
            who.viewer,
            p.state,
            p.cursor.as_deref(),
            p.limit.unwrap_or(50),
            app.clock.now(),
        )
        .await?;
    Ok(Json(page))
}

/// One consent with its receipt and its history (every transition, with time and actor).
#[utoipa::path(get, path = "/v1/consents/{id}", tag = "consents", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ConsentView), (status = 404, body = crate::Problem)))]
pub async fn get(
    State(app): State<App>,
    who: OrgOrSubject<ConsentsRead>,
    PathId(id): PathId,
) -> ApiResult<Json<ConsentView>> {
    Ok(Json(
        app.store
            .consent(id, who.viewer, true, app.clock.now())
            .await?,
    ))
}

/// The signed receipt of a consent (compact JWS, `application/jose`); verify it with `/v1/keys`.
/// This is how an operator proves a consent (Art. 25(2)(5)).
#[utoipa::path(get, path = "/v1/consents/{id}/receipt", tag = "consents", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "application/jose", body = String), (status = 404, body = crate::Problem)))]
pub async fn receipt(
    State(app): State<App>,
    who: OrgOrSubject<ConsentsRead>,
    PathId(id): PathId,
) -> ApiResult<Response> {
    let jws = app.store.consent_receipt(id, who.viewer).await?;
    let mut r = jws.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jose"),
    );
    Ok(r)
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalOutcome {
    Withdrawn,
    /// Refused on the operator's Art. 8(2) ground, shown in `ground`.
    Refused,
}

#[derive(Serialize, ToSchema)]
pub struct WithdrawalResult {
    outcome: WithdrawalOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    ground: Option<WithdrawalGround>,
    consent: ConsentView,
}

/// Withdraw a consent (the subject). Takes effect at once, unless the operator stated an
/// Art. 8(2) ground: then the withdrawal is refused with that reason, which is recorded.
#[utoipa::path(post, path = "/v1/consents/{id}/withdraw", tag = "consents", security(("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = WithdrawalResult), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
pub async fn withdraw(
    State(app): State<App>,
    s: SubjectSession,
    PathId(id): PathId,
) -> ApiResult<Json<WithdrawalResult>> {
    let r = match app
        .store
        .withdraw_consent(s.subject_id, id, s.representative, app.clock.now())
        .await?
    {
        WithdrawOutcome::Withdrawn(v) => WithdrawalResult {
            outcome: WithdrawalOutcome::Withdrawn,
            ground: None,
            consent: *v,
        },
        WithdrawOutcome::Refused(v) => WithdrawalResult {
            outcome: WithdrawalOutcome::Refused,
            ground: v.withdrawal_ground.clone(),
            consent: *v,
        },
    };
    Ok(Json(r))
}

/// State the operator's Art. 8(2) ground to refuse withdrawal (a law, or an unexecuted obligation).
#[utoipa::path(put, path = "/v1/consents/{id}/withdrawal-ground", tag = "consents", request_body = WithdrawalGround,
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ConsentView), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
pub async fn set_ground(
    State(app): State<App>,
    org: Org<ConsentsWrite>,
    PathId(id): PathId,
    Body(g): Body<WithdrawalGround>,
) -> ApiResult<Json<ConsentView>> {
    Ok(Json(
        app.store
            .set_withdrawal_ground(org.id, id, Some(g), app.clock.now())
            .await?,
    ))
}

/// Lift the ground: the subject may withdraw again.
#[utoipa::path(delete, path = "/v1/consents/{id}/withdrawal-ground", tag = "consents",
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ConsentView), (status = 404, body = crate::Problem)))]
pub async fn lift_ground(
    State(app): State<App>,
    org: Org<ConsentsWrite>,
    PathId(id): PathId,
) -> ApiResult<Json<ConsentView>> {
    Ok(Json(
        app.store
            .set_withdrawal_ground(org.id, id, None, app.clock.now())
            .await?,
    ))
}
