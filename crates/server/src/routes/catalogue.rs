use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use qorgau_core::catalogue::{Category, Purpose, PurposeCode};
use qorgau_store::catalogue::StoredPurpose;

use crate::auth::{Admin, AnyScope, CatalogueWrite, Org};
use crate::extract::Json as Body;
use crate::{created, ApiResult, App};

/// The data categories of the catalogue (public, restricted, biometric).
#[utoipa::path(get, path = "/v1/categories", tag = "catalogue", responses((status = 200, body = Vec<Category>)))]
pub async fn list_categories(State(app): State<App>) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(app.store.list_categories().await?))
}

/// Add a data category (service administrators).
#[utoipa::path(post, path = "/v1/categories", tag = "catalogue", request_body = Category, security(("api_key" = []), ("session" = [])),
    responses((status = 201, body = Category), (status = 409, body = crate::Problem)))]
pub async fn create_category(
    State(app): State<App>,
    _admin: Admin,
    Body(c): Body<Category>,
) -> ApiResult<Response> {
    Ok(created(
        app.store.create_category(c, app.clock.now()).await?,
    ))
}

/// Declare a purpose with its approved list of categories and storage term (Art. 25(2)(1), 12(2)).
#[utoipa::path(post, path = "/v1/purposes", tag = "catalogue", request_body = Purpose, security(("api_key" = []), ("session" = [])),
    responses((status = 201, body = StoredPurpose), (status = 409, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn create_purpose(
    State(app): State<App>,
    org: Org<CatalogueWrite>,
    Body(p): Body<Purpose>,
) -> ApiResult<Response> {
    Ok(created(
        app.store.create_purpose(org.id, p, app.clock.now()).await?,
    ))
}

/// The organization's purposes.
#[utoipa::path(get, path = "/v1/purposes", tag = "catalogue", security(("api_key" = []), ("session" = [])),
    responses((status = 200, body = Vec<StoredPurpose>)))]
pub async fn list_purposes(
    State(app): State<App>,
    org: Org<AnyScope>,
) -> ApiResult<Json<Vec<StoredPurpose>>> {
    Ok(Json(app.store.list_purposes(org.id).await?))
}

/// One of the organization's purposes.
#[utoipa::path(get, path = "/v1/purposes/{code}", tag = "catalogue", security(("api_key" = []), ("session" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = StoredPurpose), (status = 404, body = crate::Problem)))]
pub async fn get_purpose(
    State(app): State<App>,
    org: Org<AnyScope>,
    Path(code): Path<String>,
) -> ApiResult<Json<StoredPurpose>> {
    let code = PurposeCode::parse(&code).map_err(|_| qorgau_core::ErrorCode::NotFound)?;
    let p = app.store.purpose(org.id, &code).await.map_err(|e| {
        if e.code == qorgau_core::ErrorCode::UnknownPurpose {
            qorgau_core::ErrorCode::NotFound.into()
        } else {
            crate::ApiError(e)
        }
    })?;
    Ok(Json(p))
}
