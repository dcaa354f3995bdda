//! `POST /v1/processing-events`: an organization reports what it did with a subject's data.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qorgau_core::catalogue::{CategoryCode, PurposeCode};
use qorgau_core::decision::Action;
use qorgau_core::id::{Bin, CountryCode, Iin};
use qorgau_store::processing::ProcessingEvent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Events, Org};
use crate::extract::Json as Body;
use crate::{ApiResult, App};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessingReport {
    #[schema(value_type = String, example = "900101300017")]
    subject_iin: Iin,
    /// What was done: `collect`, `view`, `change`, `supplement`, `use`, `transfer`,
    /// `disseminate`, `depersonalize`, `block`, `destroy`.
    action: Action,
    #[schema(value_type = String, example = "loan")]
    purpose: PurposeCode,
    #[schema(value_type = Vec<String>, example = json!(["income"]))]
    categories: BTreeSet<CategoryCode>,
    /// For a transfer: the recipient (BIN) and/or its country.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    recipient_bin: Option<Bin>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    recipient_country: Option<CountryCode>,
    /// The access decision the action relied on.
    #[serde(default)]
    decision_id: Option<Uuid>,
    /// When it happened (default: now); at most 30 days ago, never in the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    occurred_at: Option<jiff::Timestamp>,
    /// The case of Art. 19(2) in which the subject is not told: `art19_2_1` (state
    /// bodies' functions, notaries, enforcement agents, lawyers) or `art19_2_2`
    /// (statistical, sociological, scientific purposes). Without it the subject is told.
    #[serde(default)]
    notice_exception: Option<qorgau_store::processing::NoticeException>,
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    /// The report's index in the ledger.
    ledger_index: u64,
}

/// Report an action performed on a subject's data. It is recorded in the ledger (and
/// shown in the subject's history) before the answer.
#[utoipa::path(post, path = "/v1/processing-events", tag = "ledger", request_body = ProcessingReport,
    security(("api_key" = []), ("session" = [])),
    responses((status = 201, body = Recorded), (status = 422, body = crate::Problem), (status = 403, body = crate::Problem)))]
pub async fn report(
    State(app): State<App>,
    org: Org<Events>,
    Body(b): Body<ProcessingReport>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let now = app.clock.now();
    // A transfer must be reported to the subject within ten business days (Art. 19(1)).
    let notice_due = match b.action {
        Action::Transfer => Some(
            app.deadlines
                .due(&app.calendar(), b.occurred_at.unwrap_or(now), 10)?
                .at,
        ),
        _ => None,
    };
    let ledger_index = app
        .store
        .record_processing(
            org.id,
            ProcessingEvent {
                subject: b.subject_iin,
                action: b.action,
                purpose: b.purpose,
                categories: b.categories,
                recipient_bin: b.recipient_bin,
                recipient_country: b.recipient_country,
                decision: b.decision_id,
                occurred_at: b.occurred_at,
                notice_exception: b.notice_exception,
                notice_due,
            },
            now,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Recorded { ledger_index })))
}
