//! The handlers, each with its OpenAPI description.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::App;

mod catalogue;
mod consents;
mod decisions;
mod ledger;
mod orgs;
mod processing;
mod requests;
mod subject;
mod system;

pub(crate) fn routes(r: OpenApiRouter<App>) -> OpenApiRouter<App> {
    r.routes(routes!(system::healthz))
        .routes(routes!(system::readyz))
        .routes(routes!(system::keys))
        .routes(routes!(orgs::create_organization, orgs::list_organizations))
        .routes(routes!(orgs::get_organization))
        .routes(routes!(orgs::create_api_key))
        .routes(routes!(
            catalogue::list_categories,
            catalogue::create_category
        ))
        .routes(routes!(catalogue::create_purpose, catalogue::list_purposes))
        .routes(routes!(catalogue::get_purpose))
        .routes(routes!(consents::create_request))
        .routes(routes!(consents::get_request))
        .routes(routes!(consents::resend_code))
        .routes(routes!(consents::confirm))
        .routes(routes!(consents::refuse))
        .routes(routes!(consents::list))
        .routes(routes!(consents::get))
        .routes(routes!(consents::receipt))
        .routes(routes!(consents::withdraw))
        .routes(routes!(consents::set_ground, consents::lift_ground))
        .routes(routes!(decisions::decide))
        .routes(routes!(decisions::register_ground, decisions::list_grounds))
        .routes(routes!(subject::sign_in))
        .routes(routes!(subject::verify))
        .routes(routes!(subject::sign_out))
        .routes(routes!(processing::report))
        .routes(routes!(ledger::history))
        .routes(routes!(ledger::checkpoint))
        .routes(routes!(ledger::consistency))
        .routes(routes!(ledger::inclusion))
        .routes(routes!(ledger::entries))
        .routes(routes!(requests::file, requests::list))
        .routes(routes!(requests::get))
        .routes(routes!(requests::draft))
        .routes(routes!(requests::assign))
        .routes(routes!(requests::complete))
        .routes(routes!(requests::refuse))
        .routes(routes!(requests::calendar))
}
