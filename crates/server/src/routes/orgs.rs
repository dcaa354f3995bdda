use axum::extract::State;
use axum::response::Response;
use axum::Json;
use qorgau_core::id::Bin;
use qorgau_core::org::{Dpo, OrgKind, Scope};
use qorgau_core::ErrorCode;
use qorgau_store::orgs::{ApiKeyInfo, NewOrganization, Organization};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Admin, AdminOrOrg};
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
    security(("api_key" = [])),
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

/// List organizations (service administrators).
#[utoipa::path(get, path = "/v1/organizations", tag = "organizations", security(("api_key" = [])),
    responses((status = 200, body = Vec<Organization>)))]
pub async fn list_organizations(
    State(app): State<App>,
    _admin: Admin,
) -> ApiResult<Json<Vec<Organization>>> {
    Ok(Json(app.store.list_organizations().await?))
}

/// One organization (administrators, or the organization itself).
#[utoipa::path(get, path = "/v1/organizations/{id}", tag = "organizations", security(("api_key" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Organization), (status = 404, body = crate::Problem)))]
pub async fn get_organization(
    State(app): State<App>,
    who: AdminOrOrg,
    PathId(id): PathId,
) -> ApiResult<Json<Organization>> {
    if let AdminOrOrg::Org(own) = who {
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

/// Issue an API key for an organization (service administrators).
#[utoipa::path(post, path = "/v1/organizations/{id}/api-keys", tag = "organizations", request_body = CreateApiKey,
    security(("api_key" = [])), params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = CreatedApiKey), (status = 404, body = crate::Problem)))]
pub async fn create_api_key(
    State(app): State<App>,
    _admin: Admin,
    PathId(id): PathId,
    Body(b): Body<CreateApiKey>,
) -> ApiResult<Response> {
    let (key, token) = app
        .store
        .create_api_key(Some(id), b.label, b.scopes, app.clock.now())
        .await?;
    Ok(created(CreatedApiKey { key, token }))
}
