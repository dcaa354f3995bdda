//! The inspector's view (the authorized body; service administrators too), read
//! only and always behind MFA: organizations, overdue requests, ledger checkpoints
//! and evidence bundles for an inspection.

use axum::Router;

use crate::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
}
