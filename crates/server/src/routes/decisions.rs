//! `POST /v1/access-decisions`: may this organization do this with this subject's data?

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use qorgau_core::catalogue::{CategoryCode, PurposeCode};
use qorgau_core::decision::{
    AccessRequest, Action, CrossBorderGround, LegalGround, Outcome, ReasonCode, Recipient,
};
use qorgau_core::id::{Bin, CountryCode, Iin};
use qorgau_core::{Error, ErrorCode};
use qorgau_store::decisions::DecisionInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Admin, Decisions, Org};
use crate::extract::{Json as Body, PathId};
use crate::{created, ApiResult, App};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientBody {
    /// The third party (registered in Kazakhstan) the data go to.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "040840001231")]
    bin: Option<Bin>,
    /// ISO 3166-1 alpha-2 country the data go to; other than KZ it is a cross-border transfer.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "DE")]
    country: Option<CountryCode>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    #[schema(value_type = String, example = "900101300017")]
    subject_iin: Iin,
    action: Action,
    #[schema(value_type = String, example = "loan")]
    purpose: PurposeCode,
    #[schema(value_type = Vec<String>, example = json!(["full_name", "income"]))]
    categories: BTreeSet<CategoryCode>,
    /// Required for `transfer`; not allowed otherwise.
    #[serde(default)]
    recipient: Option<RecipientBody>,
    /// Processing without consent on this ground of Art. 9 (e.g. `art9_1`).
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "art9_1")]
    legal_ground: Option<LegalGround>,
    /// A ground of Art. 16(3)(2)-(4) for a cross-border transfer.
    #[serde(default)]
    cross_border_ground: Option<CrossBorderGround>,
    /// The consent the organization relies on, if it names one.
    #[serde(default)]
    consent_id: Option<Uuid>,
    /// Third parties: the BIN of the owner or operator that holds the data.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    holder_bin: Option<Bin>,
}

#[derive(Serialize, ToSchema)]
pub struct Localized {
    kk: String,
    ru: String,
    en: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReasonBody {
    /// Stable code, e.g. `ART16_3_NO_CROSS_BORDER_CONSENT`.
    code: &'static str,
    /// The article it rests on, e.g. `Art. 16(3)`.
    article: &'static str,
    message: Localized,
}

#[derive(Serialize, ToSchema)]
pub struct ConsentRef {
    id: Uuid,
    version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionBody {
    id: Uuid,
    /// `allow` or `deny`.
    decision: Outcome,
    /// Every reason that applies.
    reasons: Vec<ReasonBody>,
    /// The consent relied on (allow) or judged (deny).
    consent: Option<ConsentRef>,
    #[schema(value_type = Option<String>)]
    legal_ground: Option<LegalGround>,
    /// The decision's index in the ledger (same as `sequence`).
    ledger_index: u64,
    /// Kept for clients of the first release: the same as `ledger_index`.
    sequence: u64,
    #[schema(value_type = String, format = DateTime)]
    decided_at: jiff::Timestamp,
}

/// The reasons' texts in kk, ru and en: they take no arguments, so they are formatted
/// once, on first use, not on every decision.
fn reason_texts(app: &App) -> &'static HashMap<ReasonCode, [String; 3]> {
    static TEXTS: OnceLock<HashMap<ReasonCode, [String; 3]>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        ReasonCode::ALL
            .iter()
            .map(|code| {
                let key = format!("reason-{}", code.as_str());
                let text = |lang| app.l10n.text(lang, &key, &[]);
                (*code, [text("kk"), text("ru"), text("en")])
            })
            .collect()
    })
}

fn validate(b: &DecisionRequest) -> Result<Recipient, Error> {
    if b.categories.is_empty() || b.categories.len() > 200 {
        return Err(Error::new(ErrorCode::ValidationFailed).at("categories"));
    }
    let recipient = match (&b.recipient, b.action) {
        (Some(r), Action::Transfer) if r.bin.is_some() || r.country.is_some() => Recipient {
            bin: r.bin,
            country: r.country,
        },
        (_, Action::Transfer) | (Some(_), _) => {
            return Err(Error::new(ErrorCode::ValidationFailed).at("recipient"))
        }
        (None, _) => Recipient::default(),
    };
    if b.cross_border_ground.is_some() && recipient.country.is_none_or(|c| c == CountryCode::KZ) {
        return Err(Error::new(ErrorCode::ValidationFailed).at("cross_border_ground"));
    }
    Ok(recipient)
}

/// Ask whether an access is allowed. The answer is `allow` or `deny` with every reason
/// that applies, each with its article and a message in kk, ru and en. Every decision is
/// durably recorded before it is answered.
#[utoipa::path(post, path = "/v1/access-decisions", tag = "decisions", request_body = DecisionRequest,
    security(("api_key" = []), ("session" = [])),
    responses((status = 201, body = DecisionBody), (status = 422, body = crate::Problem)))]
pub async fn decide(
    State(app): State<App>,
    org: Org<Decisions>,
    Body(b): Body<DecisionRequest>,
) -> ApiResult<Response> {
    let recipient = validate(&b)?;
    let input = DecisionInput {
        subject: b.subject_iin,
        holder: b.holder_bin,
        request: AccessRequest {
            action: b.action,
            purpose: b.purpose,
            categories: b.categories,
            recipient,
            legal_ground: b.legal_ground,
            cross_border_ground: b.cross_border_ground,
            consent: b.consent_id,
        },
    };
    let r = app
        .store
        .decide_access(
            org.id,
            input,
            &app.settings.adequate_countries,
            app.clock.now(),
        )
        .await?;
    let texts = reason_texts(&app);
    let reasons = r
        .decision
        .reasons
        .iter()
        .map(|reason| {
            let [kk, ru, en] = texts.get(&reason.code).cloned().unwrap_or_default();
            ReasonBody {
                code: reason.code.as_str(),
                article: reason.article,
                message: Localized { kk, ru, en },
            }
        })
        .collect();
    Ok(created(DecisionBody {
        id: r.id,
        decision: r.decision.outcome,
        reasons,
        consent: r
            .decision
            .consent
            .map(|(id, version)| ConsentRef { id, version }),
        legal_ground: r.decision.legal_ground,
        ledger_index: r.sequence,
        sequence: r.sequence,
        decided_at: r.decided_at,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroundBody {
    #[schema(value_type = String, example = "art9_1")]
    ground: LegalGround,
}

#[derive(Serialize, ToSchema)]
pub struct Grounds {
    #[schema(value_type = Vec<String>)]
    grounds: Vec<LegalGround>,
}

/// Register an organization for a ground of Art. 9 (service administrators).
#[utoipa::path(post, path = "/v1/organizations/{id}/legal-grounds", tag = "decisions", request_body = GroundBody,
    security(("api_key" = []), ("session" = [])), params(("id" = Uuid, Path)),
    responses((status = 201, body = Grounds), (status = 404, body = crate::Problem)))]
pub async fn register_ground(
    State(app): State<App>,
    _admin: Admin,
    PathId(id): PathId,
    Body(b): Body<GroundBody>,
) -> ApiResult<Response> {
    app.store
        .register_legal_ground(id, b.ground, app.clock.now())
        .await?;
    Ok(created(Grounds {
        grounds: app.store.legal_grounds(id).await?,
    }))
}

/// The Art. 9 grounds an organization is registered for.
#[utoipa::path(get, path = "/v1/organizations/{id}/legal-grounds", tag = "decisions",
    security(("api_key" = []), ("session" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = Grounds), (status = 404, body = crate::Problem)))]
pub async fn list_grounds(
    State(app): State<App>,
    _admin: Admin,
    PathId(id): PathId,
) -> ApiResult<Json<Grounds>> {
    app.store.organization(id).await?;
    Ok(Json(Grounds {
        grounds: app.store.legal_grounds(id).await?,
    }))
}
