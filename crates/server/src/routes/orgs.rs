use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use qorgau_core::id::Bin;
use qorgau_core::org::{Dpo, OrgKind, Scope};
use qorgau_core::ErrorCode;
use qorgau_store::orgs::{ApiKeyInfo, NewOrganization, Organization};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Admin, Manager, Overseer, OverseerOrOrg};
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
