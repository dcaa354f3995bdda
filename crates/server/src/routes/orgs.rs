use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use qorgau_core::auth::Role;
use qorgau_core::id::Bin;
use qorgau_core::org::{Dpo, OrgKind, Scope};
use qorgau_core::ErrorCode;
use qorgau_ledger::Actor;
use qorgau_store::orgs::{ApiKeyInfo, NewOrganization, NewPolicy, Organization, PolicyDocument};
use qorgau_store::sessions::SessionOwner;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{ActiveSession, Admin, Manager, Overseer, OverseerOrOrg};
use crate::error::ApiError;
use crate::extract::{Json as Body, PathId};
use crate::{created, ApiResult, App};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganization {
    #[schema(value_type = String, example = "040840001231")]
    bin: Bin,
    name: String,
    kind: OrgKind,
    /// The person responsible for organizing the processing of personal data (Art. 25(3)).
    dpo: Dpo,
}

/// Register an organization (service administrators).
#[utoipa::path(post, path = "/v1/organizations", tag = "organizations", request_body = CreateOrganization,
    security(("api_key" = []), ("session" = [])),
    responses((status = 201, body = Organization), (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn create_organization(
    State(app): State<App>,
    _admin: Admin,
    Body(b): Body<CreateOrganization>,
) -> ApiResult<Response> {
    let org = app
        .store
        .create_organization(
            NewOrganization {
                bin: b.bin,
                name: b.name,
                kind: b.kind,
                dpo: b.dpo,
            },
            app.clock.now(),
        )
        .await?;
    Ok(created(org))
}

/// List organizations (service administrators and inspectors).
#[utoipa::path(get, path = "/v1/organizations", tag = "organizations", security(("api_key" = []), ("session" = [])),
    responses((status = 200, body = Vec<Organization>)))]
pub async fn list_organizations(
    State(app): State<App>,
    _who: Overseer,
) -> ApiResult<Json<Vec<Organization>>> {
    Ok(Json(app.store.list_organizations().await?))
}

/// One organization (administrators and inspectors, or the organization itself).
#[utoipa::path(get, path = "/v1/organizations/{id}", tag = "organizations", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Organization), (status = 404, body = crate::Problem)))]
pub async fn get_organization(
    State(app): State<App>,
    who: OverseerOrOrg,
    PathId(id): PathId,
) -> ApiResult<Json<Organization>> {
    if let OverseerOrOrg::Org(own) = who {
        if own != id {
            return Err(ErrorCode::NotFound.into());
        }
    }
    Ok(Json(app.store.organization(id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    label: String,
    /// Scopes of the key; all scopes when empty.
    #[serde(default)]
    scopes: Vec<Scope>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedApiKey {
    #[serde(flatten)]
    key: ApiKeyInfo,
    /// The secret, shown this once. Send it as `Authorization: Bearer <token>`.
    token: String,
}

/// Issue an API key for an organization (service administrators, or the
/// organization's administrator signed in with MFA).
#[utoipa::path(post, path = "/v1/organizations/{id}/api-keys", tag = "organizations", request_body = CreateApiKey,
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = CreatedApiKey), (status = 404, body = crate::Problem)))]
pub async fn create_api_key(
    State(app): State<App>,
    who: Manager,
    PathId(id): PathId,
    Body(b): Body<CreateApiKey>,
) -> ApiResult<Response> {
    who.check_org(Some(id))?;
    let (key, token) = app
        .store
        .create_api_key(Some(id), b.label, b.scopes, who.actor(), app.clock.now())
        .await?;
    Ok(created(CreatedApiKey { key, token }))
}

/// An organization's API keys with their scopes, state and last use; never secrets.
#[utoipa::path(get, path = "/v1/organizations/{id}/api-keys", tag = "organizations",
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<ApiKeyInfo>), (status = 404, body = crate::Problem)))]
pub async fn list_api_keys(
    State(app): State<App>,
    who: Manager,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<ApiKeyInfo>>> {
    who.check_org(Some(id))?;
    app.store.organization_cached(id).await?;
    Ok(Json(app.store.api_keys(Some(id)).await?))
}

/// Revoke an API key at once.
#[utoipa::path(post, path = "/v1/api-keys/{id}/revoke", tag = "organizations",
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::Problem)))]
pub async fn revoke_api_key(
    State(app): State<App>,
    who: Manager,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    app.store
        .revoke_api_key(id, who.confined_to(), who.actor(), app.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateApiKey {
    /// How long the old key keeps working beside the new one (0 to 604800; default 0).
    #[serde(default)]
    grace_seconds: i64,
}

/// Rotate an API key: a new key with the same label and scopes (shown once); the old
/// key stops working at once or after the grace period.
#[utoipa::path(post, path = "/v1/api-keys/{id}/rotate", tag = "organizations", request_body = RotateApiKey,
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = CreatedApiKey), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn rotate_api_key(
    State(app): State<App>,
    who: Manager,
    PathId(id): PathId,
    Body(b): Body<RotateApiKey>,
) -> ApiResult<Response> {
    let grace = if (0..=qorgau_store::orgs::MAX_ROTATION_GRACE.as_secs()).contains(&b.grace_seconds)
    {
        jiff::SignedDuration::from_secs(b.grace_seconds)
    } else {
        return Err(qorgau_core::Error::new(ErrorCode::ValidationFailed)
            .at("grace_seconds")
            .into());
    };
    let (key, token) = app
        .store
        .rotate_api_key(id, who.confined_to(), grace, who.actor(), app.clock.now())
        .await?;
    Ok(created(CreatedApiKey { key, token }))
}

/// The person responsible for organizing the processing of personal data: a name and
/// at least one contact.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetDpo {
    /// At most 200 characters.
    name: String,
    /// E.164, e.g. `+77011234567`.
    phone: Option<String>,
    email: Option<String>,
}

/// Name the person responsible for organizing the processing of personal data
/// (Art. 25(2)(10), 25(3)): a service administrator, or the organization's
/// administrator signed in with MFA. The ledger records the change with a keyed hash
/// of the new record, never the person's name or contacts.
#[utoipa::path(put, path = "/v1/organizations/{id}/dpo", tag = "organizations", request_body = SetDpo,
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Organization), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn set_dpo(
    State(app): State<App>,
    who: Manager,
    PathId(id): PathId,
    Body(b): Body<SetDpo>,
) -> ApiResult<Json<Organization>> {
    who.check_org(Some(id))?;
    let dpo = Dpo {
        name: b.name,
        contact: qorgau_core::consent::Contact {
            phone: b.phone,
            email: b.email,
        },
    };
    Ok(Json(
        app.store
            .set_dpo(id, dpo, who.actor(), app.clock.now())
            .await?,
    ))
}

/// Who may adopt the organization's policy document: a [`Manager`] (a service
/// administrator, or the organization's administrator), or the organization's
/// person responsible for the processing (role `dpo`) signed in with MFA. API keys
/// never do.
pub enum PolicyAdopter {
    Manager(Manager),
    Dpo { org: Uuid, actor: Actor },
}

impl PolicyAdopter {
    fn check_org(&self, id: Uuid) -> Result<(), ApiError> {
        match self {
            PolicyAdopter::Manager(m) => m.check_org(Some(id)),
            PolicyAdopter::Dpo { org, .. } if *org == id => Ok(()),
            PolicyAdopter::Dpo { .. } => Err(ErrorCode::NotFound.into()),
        }
    }

    fn actor(&self) -> Actor {
        match self {
            PolicyAdopter::Manager(m) => m.actor(),
            PolicyAdopter::Dpo { actor, .. } => actor.clone(),
        }
    }
}

impl FromRequestParts<App> for PolicyAdopter {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match Manager::from_request_parts(parts, app).await {
            Ok(m) => Ok(PolicyAdopter::Manager(m)),
            // Not a manager: the organization's DPO may still adopt its policy. Any
            // other refusal (no credentials, MFA owed) stands as it is.
            Err(ApiError(e)) if e.code == ErrorCode::Forbidden => {
                if let Ok(ActiveSession(s)) = ActiveSession::from_request_parts(parts, app).await {
                    if let SessionOwner::Account {
                        id,
                        role: Role::Dpo,
                        organization: Some(org),
                    } = s.owner
                    {
                        return Ok(PolicyAdopter::Dpo {
                            org,
                            actor: Actor::new("account", Some(id.to_string())),
                        });
                    }
                }
                Err(ApiError(e))
            }
            Err(e) => Err(e),
        }
    }
}

/// Every version of the organization's policy document on the collection,
/// processing and protection of personal data (Art. 25(2)(1-1)), newest first
/// (administrators and inspectors, or the organization itself).
#[utoipa::path(get, path = "/v1/organizations/{id}/policies", tag = "organizations",
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<PolicyDocument>), (status = 404, body = crate::Problem)))]
pub async fn list_policies(
    State(app): State<App>,
    who: OverseerOrOrg,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<PolicyDocument>>> {
    if let OverseerOrOrg::Org(own) = who {
        if own != id {
            return Err(ErrorCode::NotFound.into());
        }
    }
    Ok(Json(app.store.policies(id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptPolicy {
    /// At most 300 characters.
    title: String,
    /// The day the organization adopted it: not in the future, not before the Law
    /// (2013-05-21), not before the previous version's.
    #[schema(value_type = String, format = Date, example = "2026-03-01")]
    adopted_on: jiff::civil::Date,
    /// Where the document is published: `https://` only, at most 2000 bytes.
    url: Option<String>,
    /// The document's text, at most 48 KiB of UTF-8. A `url`, a `text` or both.
    text: Option<String>,
    /// SHA-256 of the document, 64 hex digits: computed from `text` when there is one
    /// (and then checked against this if given); required with a `url` alone.
    sha256: Option<String>,
}

/// Adopt a new version of the organization's policy document (Art. 25(2)(1-1)):
/// the organization's administrator or its DPO signed in with MFA, or a service
/// administrator. Earlier versions are kept; the ledger records the version, date
/// and hash.
#[utoipa::path(post, path = "/v1/organizations/{id}/policies", tag = "organizations", request_body = AdoptPolicy,
    security(("api_key" = []), ("session" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = PolicyDocument), (status = 404, body = crate::Problem),
        (status = 413, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn adopt_policy(
    State(app): State<App>,
    who: PolicyAdopter,
    PathId(id): PathId,
    Body(b): Body<AdoptPolicy>,
) -> ApiResult<Response> {
    who.check_org(id)?;
    let now = app.clock.now();
    let today = now.to_zoned(app.deadlines.tz.clone()).date();
    let doc = app
        .store
        .adopt_policy(
            id,
            NewPolicy {
                title: b.title,
                adopted_on: b.adopted_on,
                url: b.url,
                text: b.text,
                sha256: b.sha256,
            },
            today,
            who.actor(),
            now,
        )
        .await?;
    Ok(created(doc))
}
