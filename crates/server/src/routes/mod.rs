//! The handlers, each with its OpenAPI description.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::App;

mod accounts;
pub(crate) mod auth;
mod catalogue;
mod consents;
mod decisions;
mod ledger;
mod orgs;
mod processing;
mod requests;
mod subject;
mod system;
mod webhooks;

pub(crate) use ledger::{subject_history, HistoryItem};

pub(crate) fn routes(r: OpenApiRouter<App>) -> OpenApiRouter<App> {
    r.routes(routes!(system::healthz))
        .routes(routes!(system::readyz))
        .routes(routes!(system::keys))
        .routes(routes!(orgs::create_organization, orgs::list_organizations))
        .routes(routes!(orgs::get_organization))
        .routes(routes!(orgs::create_api_key, orgs::list_api_keys))
        .routes(routes!(orgs::revoke_api_key))
        .routes(routes!(orgs::rotate_api_key))
        .routes(routes!(orgs::set_dpo))
        .routes(routes!(orgs::list_policies, orgs::adopt_policy))
        .routes(routes!(accounts::create, accounts::list))
        .routes(routes!(accounts::get))
        .routes(routes!(accounts::disable))
        .routes(routes!(accounts::enable))
        .routes(routes!(accounts::reset))
        .routes(routes!(auth::sign_in))
        .routes(routes!(auth::mfa))
        .routes(routes!(auth::begin_totp))
        .routes(routes!(auth::confirm_totp))
        .routes(routes!(auth::recovery_codes))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::setup))
        .routes(routes!(auth::current))
        .routes(routes!(auth::sign_out))
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
        .routes(routes!(subject::represented))
        .routes(routes!(subject::inbox))
        .routes(routes!(subject::preferences, subject::set_preferences))
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
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::disable))
        .routes(routes!(webhooks::deliveries))
}
