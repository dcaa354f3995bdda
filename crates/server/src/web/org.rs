//! The console's pages for the organization's purposes and approved lists of data
//! (Art. 25(2)(1)), its consent requests and the consents it holds.

use axum::Router;

use crate::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
}
