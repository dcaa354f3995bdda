//! An organization's webhook endpoints (Standard Webhooks) and their deliveries.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use qorgau_store::webhooks::{WebhookDelivery, WebhookEndpoint};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Events, Org};
use crate::extract::{Json as Body, PathId};
use crate::{created, ApiResult, App};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where to POST events (http or https).
    url: String,
    /// Events to send: `consent.confirmed`, `consent.refused`, `consent.withdrawn`,
    /// `consent.expired`, `consent.superseded`, `request.filed`, `request.overdue`.
    /// All of them when empty.
    #[serde(default)]
    events: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    endpoint: WebhookEndpoint,
    /// The signing secret (`whsec_…`), shown this once. Each request carries
    /// `webhook-id`, `webhook-timestamp` and `webhook-signature` per Standard Webhooks.
    secret: String,
}

/// Register a webhook endpoint for the organization.
#[utoipa::path(post, path = "/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    security(("api_key" = []), ("session" = [])),
    responses((status = 201, body = CreatedWebhook), (status = 422, body = crate::Problem)))]
pub async fn create(
    State(app): State<App>,
    org: Org<Events>,
    Body(b): Body<NewWebhook>,
) -> ApiResult<Response> {
    let (endpoint, secret) = app
        .store
        .create_webhook(org.id, b.url, b.events, org.actor, app.clock.now())
        .await?;
    Ok(created(CreatedWebhook { endpoint, secret }))
}

/// The organization's webhook endpoints.
#[utoipa::path(get, path = "/v1/webhooks", tag = "webhooks", security(("api_key" = []), ("session" = [])),
    responses((status = 200, body = Vec<WebhookEndpoint>)))]
pub async fn list(
    State(app): State<App>,
    org: Org<Events>,
) -> ApiResult<Json<Vec<WebhookEndpoint>>> {
    Ok(Json(app.store.webhooks(org.id).await?))
}

/// Stop sending to an endpoint; what is still queued for it is marked failed.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", tag = "webhooks", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::Problem)))]
pub async fn disable(
    State(app): State<App>,
    org: Org<Events>,
    PathId(id): PathId,
) -> ApiResult<StatusCode> {
    app.store
        .disable_webhook(org.id, id, org.actor, app.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The latest 100 deliveries to an endpoint with their status, attempts and last error.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = "webhooks", security(("api_key" = []), ("session" = [])),
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<WebhookDelivery>), (status = 404, body = crate::Problem)))]
pub async fn deliveries(
    State(app): State<App>,
    org: Org<Events>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<WebhookDelivery>>> {
    Ok(Json(app.store.webhook_deliveries(org.id, id, 100).await?))
}
