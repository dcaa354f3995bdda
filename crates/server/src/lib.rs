//! Qorgau's HTTP API: JSON under `/v1`, described by the OpenAPI document at
//! `/v1/openapi.json`, errors as `application/problem+json` with stable codes.
#![forbid(unsafe_code)]

use std::ops::Deref;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use qorgau_core::{Clock, Error, ErrorCode};
use qorgau_i18n::Localizer;
use qorgau_store::Store;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

pub mod auth;
pub mod error;
pub mod extract;
mod routes;
mod web;

pub use error::{status_of, ApiError, ApiResult, Problem};

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct Settings {
    pub max_body_bytes: usize,
    /// Countries that ensure the protection of personal data (Art. 16(2)): a transfer
    /// there needs no cross-border consent.
    pub adequate_countries: std::collections::BTreeSet<qorgau_core::id::CountryCode>,
    /// Behind a reverse proxy: the header that carries the client's address (such as
    /// `x-forwarded-for`), for the sign-in throttle. Off by default: the peer address.
    pub client_ip_header: Option<axum::http::HeaderName>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_body_bytes: 64 * 1024,
            adequate_countries: Default::default(),
            client_ip_header: None,
        }
    }
}

pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub l10n: Arc<Localizer>,
    pub settings: Settings,
    /// The business-day calendar in force (the shipped data with the imported years);
    /// replaced when an administrator imports new data.
    pub calendar: std::sync::RwLock<Arc<qorgau_core::calendar::Calendar>>,
    /// How deadlines are counted here (time zone, end of the working day).
    pub deadlines: qorgau_core::calendar::DeadlineClock,
}

impl AppState {
    /// The calendar in force now.
    pub fn calendar(&self) -> Arc<qorgau_core::calendar::Calendar> {
        match self.calendar.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set_calendar(&self, cal: qorgau_core::calendar::Calendar) {
        match self.calendar.write() {
            Ok(mut c) => *c = Arc::new(cal),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(cal),
        }
    }
}

/// The state handlers share. Cheap to clone.
#[derive(Clone)]
pub struct App(pub Arc<AppState>);

impl Deref for App {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.0
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Qorgau",
        description = "Service for controlling access to personal data (Law of the Republic of Kazakhstan No. 94-V). Errors are application/problem+json with a stable `code`.",
        license(name = "Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    components(schemas(Problem)),
    tags(
        (name = "system", description = "Health and keys"),
        (name = "organizations", description = "Owners, operators and third parties, and their API keys"),
        (name = "catalogue", description = "Data categories and purposes with approved lists"),
        (name = "consents", description = "Consent requests and consents (Art. 8, 8-2)"),
        (name = "decisions", description = "Access decisions (Art. 7, 9, 10, 12, 14-16, 25)"),
        (name = "ledger", description = "The verifiable ledger: checkpoints, proofs, entries (Art. 22(1)(5), 27-3)"),
        (name = "subject", description = "Subjects' sign-in and history"),
        (name = "auth", description = "Sign-in with MFA for staff, inspectors and administrators; sessions"),
        (name = "accounts", description = "Staff accounts and their roles"),
        (name = "webhooks", description = "Organizations' webhook endpoints, signed per Standard Webhooks"),
        (name = "requests", description = "Subjects' requests and their deadlines (Art. 6, 13, 24, 25(2)(6)-(9))"),
        (name = "calendar", description = "The business-day calendar")
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API key of an organization or of a service administrator (qk_…)",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A session token from sign-in (qs_…), or the __Host-qorgau-session cookie with X-CSRF-Token on POST",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "pending_session",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Also accepted here: a session that has passed only the first factor (stage `mfa`). Everywhere else such a session answers 401 mfa_required.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The router and its OpenAPI document.
pub fn router(app: App) -> Router {
    let (router, api) =
        routes::routes(OpenApiRouter::with_openapi(ApiDoc::openapi())).split_for_parts();
    let api = Arc::new(api);
    let max_body = app.settings.max_body_bytes;
    router
        .merge(web::routes())
        .route(
            "/v1/openapi.json",
            axum::routing::get(move || {
                let api = api.clone();
                async move { axum::Json(api.as_ref().clone()) }
            }),
        )
        .fallback(|| async { ApiError::from(ErrorCode::NotFound) })
        .method_not_allowed_fallback(|| async { ApiError::from(ErrorCode::MethodNotAllowed) })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            tracing::error!("handler panicked");
            ApiError::from(ErrorCode::Internal).into_response()
        }))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            localize_and_log,
        ))
        .layer(middleware::from_fn(security_headers))
        .with_state(app)
}

/// The OpenAPI document, for tools.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes::routes(OpenApiRouter::<App>::with_openapi(ApiDoc::openapi()))
        .split_for_parts()
        .1
}

/// Render errors as problem+json in the client's language, and log each request
/// with its route template (never its path, query or body: those may carry data).
async fn localize_and_log(State(app): State<App>, req: Request, next: Next) -> Response {
    let lang = qorgau_i18n::negotiate(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "<unmatched>".to_owned());
    let method = req.method().clone();
    let started = Instant::now();
    let mut resp = next.run(req).await;
    if let Some(e) = resp.extensions_mut().remove::<Error>() {
        resp = error::problem_response(&e, lang, &app.l10n);
    }
    let status = resp.status();
    let micros = started.elapsed().as_micros() as u64;
    if status.is_server_error() {
        tracing::error!(%method, route, status = status.as_u16(), micros, "request failed");
    } else if status.is_client_error() {
        tracing::info!(%method, route, status = status.as_u16(), micros, "request refused");
    } else {
        tracing::debug!(%method, route, status = status.as_u16(), micros, "request");
    }
    resp
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    // Pages set their own policy (their stylesheet, their forms); the API allows nothing.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"),
        // Responses may carry personal data: no cache may keep them.
        (header::CACHE_CONTROL, "no-store"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    resp
}

/// `201 Created` with a JSON body.
pub(crate) fn created<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::CREATED, axum::Json(body)).into_response()
}
