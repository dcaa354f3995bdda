//! The console's settings: the organization's record, its person responsible for
//! the processing (Art. 25(2)(10), 25(3)) and policy document (Art. 25(2)(1-1)), its
//! API keys and its webhooks.

use axum::Router;

use crate::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
}
