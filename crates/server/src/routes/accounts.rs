//! Staff accounts: service administrators manage everyone's; an organization's
//! administrator manages their own organization's.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use jiff::Timestamp;
use qorgau_core::{Error, ErrorCode};
use qorgau_store::accounts::{AccountInfo, NewAccount};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Manager;
use crate::extract::{Json as Body, PathId};
use crate::{created, ApiResult, App};

#[derive(Serialize, ToSchema)]
pub struct CreatedAccount {
    #[serde(flatten)]
    account: AccountInfo,
    /// Single use, shown this once: hand it to the person, who sets their password
    /// with it at `/v1/auth/setup`; the authenticator follows at their first sign-in.
    setup_token: String,
    #[schema(value_type = String, format = DateTime)]
    setup_expires_at: Timestamp,
}

/// Create a staff account. Service administrators create any role; an
/// organization's administrator creates `org_admin`, `dpo` and `processor`
/// accounts of their own organization.
#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = NewAccount,
    security(("api_key" = []), ("session" = [])),
    responses((status = 201, body = CreatedAccount), (status = 403, body = crate::Problem), (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn create(
    State(app): State<App>,
    who: Manager,
    Body(b): Body<NewAccount>,
) -> ApiResult<Response> {
    if who.confined_to().is_some() {
        if !b.role.in_organization() {
            return Err(ErrorCode::Forbidden.into());
        }
        if b.organization_id != who.confined_to() {
            return Err(Error::new(ErrorCode::Forbidden)
                .at("organization_id")
                .into());
        }
    }
    let (account, setup_token, setup_expires_at) = app
        .store
        .create_account(b, who.actor(), app.clock.now())
        .await?;
    Ok(created(CreatedAccount {
        account,
        setup_token,
        setup_expires_at,
    }))
}

/// Staff accounts: every one for service administrators, the organization's own
/// for its administrator.
#[utoipa::path(get, path = "/v1/accounts", tag = "accounts", security(("api_key" = []), ("session" = [])),
    responses((status = 200, body = Vec<AccountInfo>)))]
pub async fn list(State(app): State<App>, who: Manager) -> ApiResult<Json<Vec<AccountInfo>>> {
    Ok(Json(app.store.accounts(who.confined_to()).await?))
}

/// One staff account.
#[utoipa::path(get, path = "/v1/accounts/{id}", tag = "accounts", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AccountInfo), (status = 404, body = crate::Problem)))]
pub async fn get(
    State(app): State<App>,
    who: Manager,
    PathId(id): PathId,
) -> ApiResult<Json<AccountInfo>> {
    Ok(Json(app.store.account(id, who.confined_to()).await?))
}

/// Disable an account: its sessions end at once and it cannot sign in.
#[utoipa::path(post, path = "/v1/accounts/{id}/disable", tag = "accounts", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AccountInfo), (status = 404, body = crate::Problem)))]
pub async fn disable(app: State<App>, who: Manager, id: PathId) -> ApiResult<Json<AccountInfo>> {
    set_disabled(app, who, id, true).await
}

/// Enable a disabled account again.
#[utoipa::path(post, path = "/v1/accounts/{id}/enable", tag = "accounts", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AccountInfo), (status = 404, body = crate::Problem)))]
pub async fn enable(app: State<App>, who: Manager, id: PathId) -> ApiResult<Json<AccountInfo>> {
    set_disabled(app, who, id, false).await
}

async fn set_disabled(
    State(app): State<App>,
    who: Manager,
    PathId(id): PathId,
    disabled: bool,
) -> ApiResult<Json<AccountInfo>> {
    Ok(Json(
        app.store
            .set_account_disabled(
                id,
                who.confined_to(),
                disabled,
                who.actor(),
                app.clock.now(),
            )
            .await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct AccountReset {
    /// A new setup token, single use, shown this once.
    setup_token: String,
    #[schema(value_type = String, format = DateTime)]
    setup_expires_at: Timestamp,
}

/// Reset a lost password or authenticator: both are removed, the sessions end, and
/// a new setup token is issued.
#[utoipa::path(post, path = "/v1/accounts/{id}/reset", tag = "accounts", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AccountReset), (status = 404, body = crate::Problem)))]
pub async fn reset(
    State(app): State<App>,
    who: Manager,
    PathId(id): PathId,
) -> ApiResult<Json<AccountReset>> {
    let (setup_token, setup_expires_at) = app
        .store
        .reset_account(id, who.confined_to(), who.actor(), app.clock.now())
        .await?;
    Ok(Json(AccountReset {
        setup_token,
        setup_expires_at,
    }))
}
