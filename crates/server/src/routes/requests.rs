//! Subjects' requests (Art. 6, 13, 24, 25(2)(6)–(9); Rules p.15–16): the subject files,
//! the organization works its queue and answers within the deadline; and the
//! business-day calendar the deadlines are counted on.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use qorgau_core::calendar::DayOff;
use qorgau_core::id::Bin;
use qorgau_core::request::{RequestKind, RequestState};
use qorgau_core::ErrorCode;
use qorgau_store::consents::Page;
use qorgau_store::requests::{
    Completion, Document, InformationDraft, NewRequest, RequestFilter, RequestSummary, RequestView,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Org, RequestReader, Requests, SubjectSession};
use crate::extract::{Json as Body, PathId, Query};
use crate::{ApiResult, App};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileRequest {
    /// The organization the request is to.
    #[schema(value_type = String, example = "040840001231")]
    organization_bin: Bin,
    /// `information`, `change`, `supplement`, `block`, `unblock`, `destroy` or
    /// `remove_from_public_sources`.
    kind: RequestKind,
    /// What the subject asks, in their words (required for change and supplement).
    #[serde(default)]
    text: Option<String>,
    /// Supporting documents (required for change and supplement); at most 5, 1 MiB in all.
    #[serde(default)]
    documents: Vec<Document>,
}

/// File a request with an organization (the signed-in subject). The answer says when
/// it is due: the deadline counts working days of the Kazakhstan calendar in the
/// deployment's time zone. The organization and the subject are told.
#[utoipa::path(post, path = "/v1/requests", tag = "requests", request_body = FileRequest,
    security(("session" = [])),
    responses((status = 201, body = RequestView), (status = 422, body = crate::Problem), (status = 401, body = crate::Problem)))]
pub async fn file(
    State(app): State<App>,
    s: SubjectSession,
    Body(b): Body<FileRequest>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let now = app.clock.now();
    let due = app
        .deadlines
        .due(&app.calendar(), now, b.kind.working_days())?;
    let view = app
        .store
        .file_request(
            s.subject_id,
            NewRequest {
                organization_bin: b.organization_bin,
                kind: b.kind,
                text: b.text,
                documents: b.documents,
            },
            due,
            s.representative,
            now,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only requests in this state.
    state: Option<RequestState>,
    /// Only open requests past their deadline.
    #[serde(default)]
    overdue: bool,
    /// From `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<u32>,
}

/// Requests: a subject's own (newest first); an organization's queue, or for an
/// administrator every organization's (soonest due first), each with its due time,
/// the time left and whether it is overdue.
#[utoipa::path(get, path = "/v1/requests", tag = "requests",
    security(("api_key" = []), ("session" = [])), params(ListParams),
    responses((status = 200, body = Page<RequestSummary>)))]
pub async fn list(
    State(app): State<App>,
    RequestReader(viewer): RequestReader,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<Page<RequestSummary>>> {
    let f = RequestFilter {
        state: p.state,
        overdue: p.overdue,
        cursor: p.cursor,
        limit: p.limit.unwrap_or(50),
    };
    Ok(Json(app.store.requests(viewer, f, app.clock.now()).await?))
}

/// One request: for the subject and the organization with what was asked, the
/// documents and the answer; for an administrator its status only.
#[utoipa::path(get, path = "/v1/requests/{id}", tag = "requests",
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = crate::Problem)))]
pub async fn get(
    State(app): State<App>,
    RequestReader(viewer): RequestReader,
    PathId(id): PathId,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(app.store.request(id, viewer, app.clock.now()).await?))
}

/// What the service knows of the organization's processing of the subject's data:
/// the pre-filled answer to an information request (consents with purposes, terms and
/// categories, recorded processing, blocks).
#[utoipa::path(get, path = "/v1/requests/{id}/draft", tag = "requests",
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = InformationDraft), (status = 404, body = crate::Problem)))]
pub async fn draft(
    State(app): State<App>,
    org: Org<Requests>,
    PathId(id): PathId,
) -> ApiResult<Json<InformationDraft>> {
    Ok(Json(
        app.store.request_draft(org.id, id, app.clock.now()).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assign {
    /// Who works the request (the organization's own staff reference).
    assignee: String,
}

/// Assign the request to someone at the organization.
#[utoipa::path(post, path = "/v1/requests/{id}/assign", tag = "requests", request_body = Assign,
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem)))]
pub async fn assign(
    State(app): State<App>,
    org: Org<Requests>,
    PathId(id): PathId,
    Body(b): Body<Assign>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(
        app.store
            .assign_request(org.id, id, b.assignee, app.clock.now())
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Complete {
    /// What was done, or the answer in words (required except for information
    /// requests, which are answered with what the service knows).
    #[serde(default)]
    text: Option<String>,
    /// Change or supplement: the data could not be changed and were destroyed
    /// instead (Art. 25(2)(8)).
    #[serde(default)]
    destroyed_instead: bool,
}

/// Complete the request with what was done. Completing a `block` blocks the subject's
/// data at the organization (every access decision is denied until an `unblock` is
/// completed). The subject is told.
#[utoipa::path(post, path = "/v1/requests/{id}/complete", tag = "requests", request_body = Complete,
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn complete(
    State(app): State<App>,
    org: Org<Requests>,
    PathId(id): PathId,
    Body(b): Body<Complete>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(
        app.store
            .complete_request(
                org.id,
                id,
                Completion {
                    text: b.text,
                    destroyed_instead: b.destroyed_instead,
                },
                app.clock.now(),
            )
            .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Refuse {
    /// Why (mandatory, Art. 25(2)(7)); the subject sees it.
    #[serde(default)]
    reason: Option<String>,
}

/// Refuse the request with a reasoned answer, within the same deadline. The subject is
/// told.
#[utoipa::path(post, path = "/v1/requests/{id}/refuse", tag = "requests", request_body = Refuse,
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = crate::Problem), (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn refuse(
    State(app): State<App>,
    org: Org<Requests>,
    PathId(id): PathId,
    Body(b): Body<Refuse>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(
        app.store
            .refuse_request(org.id, id, b.reason, app.clock.now())
            .await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CalendarDay {
    #[schema(value_type = String, format = Date)]
    date: jiff::civil::Date,
    /// `holiday`, `moved` (the day off for a holiday on a weekend) or `transferred`.
    kind: &'static str,
    /// The holiday's name, in the requested language.
    name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarYear {
    year: i16,
    /// Whether the year's data (Kurban Ait, transfers) is known; without it deadlines
    /// follow the fixed rules only.
    known: bool,
    /// The version of the calendar data.
    version: String,
    working_days: u32,
    /// Days off other than Saturdays and Sundays.
    days_off: Vec<CalendarDay>,
    /// Saturdays and Sundays that are working days by a transfer.
    #[schema(value_type = Vec<String>)]
    working_weekend_days: Vec<jiff::civil::Date>,
}

/// One year of the business-day calendar the deadlines are counted on.
#[utoipa::path(get, path = "/v1/calendar/{year}", tag = "calendar",
    params(("year" = i16, Path)),
    responses((status = 200, body = CalendarYear), (status = 404, body = crate::Problem)))]
pub async fn calendar(
    State(app): State<App>,
    Path(year): Path<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<Json<CalendarYear>> {
    let year: i16 = year.parse().map_err(|_| ErrorCode::NotFound)?;
    let cal = app.calendar();
    let y = cal.year(year).map_err(|_| ErrorCode::NotFound)?;
    let lang = qorgau_i18n::negotiate(
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let days_off = y
        .days_off
        .into_iter()
        .map(|(date, off)| {
            let (kind, name) = match off {
                DayOff::Holiday { name } => ("holiday", Some(app.l10n.text(lang, name, &[]))),
                // Named after the holiday it stands for.
                DayOff::Moved { holiday } => match cal.day_off(holiday) {
                    Some(DayOff::Holiday { name }) => {
                        ("moved", Some(app.l10n.text(lang, name, &[])))
                    }
                    _ => ("moved", None),
                },
                DayOff::Transferred { .. } => ("transferred", None),
                DayOff::Weekend => ("weekend", None),
            };
            CalendarDay { date, kind, name }
        })
        .collect();
    Ok(Json(CalendarYear {
        year: y.year,
        known: y.known,
        version: y.version,
        working_days: y.working_days,
        days_off,
        working_weekend_days: y.working_weekend_days,
    }))
}
