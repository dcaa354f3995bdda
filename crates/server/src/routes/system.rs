use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qorgau_core::receipt::Jwk;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{ApiResult, App};

#[derive(Serialize, ToSchema)]
pub struct Health {
    status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "system", responses((status = 200, body = Health), (status = 503, body = crate::Problem)))]
pub async fn readyz(State(app): State<App>) -> ApiResult<(StatusCode, Json<Health>)> {
    app.store.ping().await?;
    Ok((StatusCode::OK, Json(Health { status: "ready" })))
}

#[derive(Serialize, ToSchema)]
pub struct KeySet {
    keys: Vec<Jwk>,
    /// The signed-note verifier key of the ledger's checkpoints
    /// (`name+key id+base64(0x01 ‖ Ed25519 key)`).
    checkpoint_key: String,
}

/// The public keys: those that verify receipts (JWKS, RFC 7517; Ed25519 per RFC 8037)
/// and the one that verifies the ledger's checkpoints.
#[utoipa::path(get, path = "/v1/keys", tag = "system", responses((status = 200, body = KeySet)))]
pub async fn keys(State(app): State<App>) -> Json<KeySet> {
    Json(KeySet {
        keys: vec![app.store.secrets().signing.jwk()],
        checkpoint_key: app.store.checkpoint_signer().verifier().encode(),
    })
}
