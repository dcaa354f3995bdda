//! The web portal for subjects (`/portal`) and the console for organizations
//! (`/console`): server-rendered HTML (maud), plain forms, no script. Every text
//! comes from the Fluent files (`web-…` keys) in the visitor's language: the
//! `qorgau-lang` cookie set by the language switch, else `Accept-Language`, else
//! Kazakh.
//!
//! Who may see a page is a type, as in the API: a handler that takes [`Portal`] runs
//! only for a signed-in subject, one that takes [`Console`] only for organization
//! staff past MFA; the others are redirected to sign in. A form that changes
//! anything is read through [`Form`], which checks the session's anti-forgery token
//! (a hidden field) and refuses cross-site posts before the handler sees it.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use jiff::Timestamp;
use maud::{html, Markup, DOCTYPE};
use qorgau_core::auth::Role;
use qorgau_core::crypto::ct_eq;
use qorgau_core::Error;
use qorgau_store::sessions::{Session, SessionOwner, Stage};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::auth::SESSION_COOKIE;
use crate::App;

/// A form struct with a `csrf` field carries the anti-forgery token.
macro_rules! csrf_form {
    ($t:ty) => {
        impl $crate::web::Csrf for $t {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        }
    };
}

mod console;
mod inspect;
mod org;
mod portal;
mod settings;

/// The cookie that remembers the language switch.
pub const LANG_COOKIE: &str = "qorgau-lang";
const CSS: &str = include_str!("app.css");
/// Pages are styled by our own stylesheet and post only to us; nothing else runs.
const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/portal") }))
        .route("/assets/app.css", get(css))
        .route("/lang/{lang}", get(switch_language))
        .merge(portal::routes())
        .merge(console::routes())
        .merge(org::routes())
        .merge(settings::routes())
        .merge(inspect::routes())
}

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

/// The language of a request: the switch's cookie, else `Accept-Language`, else Kazakh.
pub fn language(headers: &HeaderMap) -> &'static str {
    let from_cookie = crate::auth::cookie_value(headers, LANG_COOKIE)
        .and_then(|v| qorgau_i18n::LANGUAGES.iter().find(|l| **l == v).copied());
    from_cookie.unwrap_or_else(|| {
        qorgau_i18n::negotiate(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
    })
}

/// Only a path of this site: no scheme, no host, no `//`.
fn local_path(p: &str) -> Option<&str> {
    (p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') && p.len() <= 512).then_some(p)
}

#[derive(serde::Deserialize)]
struct Back {
    back: Option<String>,
}

/// The language switch: remembered for a year; back to the page it was used on.
async fn switch_language(
    axum::extract::Path(lang): axum::extract::Path<String>,
    axum::extract::Query(b): axum::extract::Query<Back>,
) -> Response {
    let back = b
        .back
        .as_deref()
        .and_then(local_path)
        .unwrap_or("/portal")
        .to_owned();
    let mut r = Redirect::to(&back).into_response();
    if let Some(l) = qorgau_i18n::LANGUAGES.iter().find(|l| **l == lang) {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={l}; Path=/; Max-Age=31536000; SameSite=Lax; Secure"
        )) {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    r
}

/// Texts in one language.
#[derive(Clone)]
pub struct L {
    pub lang: &'static str,
    app: App,
}

impl L {
    pub fn new(app: &App, headers: &HeaderMap) -> L {
        L {
            lang: language(headers),
            app: app.clone(),
        }
    }
    /// The text of `web-<key>`.
    pub fn t(&self, key: &str) -> String {
        self.app.l10n.text(self.lang, &format!("web-{key}"), &[])
    }
    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        self.app.l10n.text(self.lang, &format!("web-{key}"), args)
    }
    /// A text of the API's Fluent files (problem titles, request kinds, …).
    pub fn raw(&self, key: &str, args: &[(&str, String)]) -> String {
        self.app.l10n.text(self.lang, key, args)
    }
    /// An error as the person should read it.
    pub fn problem(&self, e: &Error) -> String {
        self.raw(&format!("problem-{}", e.code.as_str()), &e.args)
    }
    /// A moment in the deployment's time zone, written the way this language writes it.
    pub fn time(&self, t: Timestamp) -> String {
        let z = t.to_zoned(self.app.deadlines.tz.clone());
        self.ta(
            "datetime",
            &[
                ("day", format!("{:02}", z.day())),
                ("month", format!("{:02}", z.month())),
                ("year", z.year().to_string()),
                ("hour", format!("{:02}", z.hour())),
                ("minute", format!("{:02}", z.minute())),
            ],
        )
    }
    pub fn date(&self, d: jiff::civil::Date) -> String {
        self.ta(
            "date",
            &[
                ("day", format!("{:02}", d.day())),
                ("month", format!("{:02}", d.month())),
                ("year", d.year().to_string()),
            ],
        )
    }
    /// A name given in kk / ru / (en), in this language where there is one.
    pub fn pick<'a>(&self, t: &'a qorgau_core::catalogue::LocalizedText) -> &'a str {
        match self.lang {
            "ru" => &t.ru,
            "en" => t.en.as_deref().unwrap_or(&t.ru),
            _ => &t.kk,
        }
    }
}

/// Where the person is: which navigation to show.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Signed out, on a sign-in page.
    Public,
    Portal,
    Console,
    /// The inspector's (and service administrator's) read-only view.
    Inspect,
}

/// A whole page: the layout around `body`, with the security headers of a page.
pub fn page(
    l: &L,
    area: Area,
    here: &str,
    csrf: Option<&str>,
    title: &str,
    body: Markup,
) -> Response {
    page_with_status(l, area, here, csrf, title, body, StatusCode::OK)
}

pub fn page_with_status(
    l: &L,
    area: Area,
    here: &str,
    csrf: Option<&str>,
    title: &str,
    body: Markup,
    status: StatusCode,
) -> Response {
    let back = urlencode(here);
    let markup = html! {
        (DOCTYPE)
        html lang=(l.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (l.t("product")) }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                a.skip href="#main" { (l.t("skip-to-content")) }
                header.top {
                    a.brand href=(match area { Area::Console => "/console", Area::Inspect => "/inspect", _ => "/portal" }) { (l.t("product")) }
                    nav aria-label=(l.t("nav-label")) {
                        @match area {
                            Area::Portal => {
                                a href="/portal" { (l.t("nav-home")) }
                                a href="/portal/consents" { (l.t("nav-consents")) }
                                a href="/portal/history" { (l.t("nav-history")) }
                                a href="/portal/requests" { (l.t("nav-requests")) }
                                a href="/portal/inbox" { (l.t("nav-inbox")) }
                            }
                            Area::Console => {
                                a href="/console" { (l.t("nav-queue")) }
                                a href="/console/purposes" { (l.t("nav-purposes")) }
                                a href="/console/consents" { (l.t("nav-org-consents")) }
                                a href="/console/organization" { (l.t("nav-organization")) }
                                a href="/console/keys" { (l.t("nav-keys")) }
                                a href="/console/webhooks" { (l.t("nav-webhooks")) }
                            }
                            Area::Inspect => {
                                a href="/inspect" { (l.t("nav-organizations")) }
                                a href="/inspect/overdue" { (l.t("nav-overdue")) }
                                a href="/inspect/ledger" { (l.t("nav-ledger")) }
                            }
                            Area::Public => {}
                        }
                    }
                    div.tools {
                        ul.langs aria-label=(l.t("language")) {
                            @for (code, name) in [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")] {
                                li {
                                    @if code == l.lang {
                                        span lang=(code) aria-current="true" { (name) }
                                    } @else {
                                        a lang=(code) hreflang=(code) href={ "/lang/" (code) "?back=" (back) } { (name) }
                                    }
                                }
                            }
                        }
                        @if let (Some(csrf), true) = (csrf, area != Area::Public) {
                            form method="post" action=(match area { Area::Console => "/console/sign-out", Area::Inspect => "/inspect/sign-out", _ => "/portal/sign-out" }) {
                                input type="hidden" name="csrf" value=(csrf);
                                button.link type="submit" { (l.t("sign-out")) }
                            }
                        }
                    }
                }
                main id="main" {
                    h1 { (title) }
                    (body)
                }
                footer { p { (l.t("footer")) } }
            }
        }
    };
    let mut r = (status, markup).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    if let Ok(v) = HeaderValue::from_str(l.lang) {
        h.insert(header::CONTENT_LANGUAGE, v);
    }
    r
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An error box for a form.
pub fn error_box(msg: Option<&str>) -> Markup {
    html! {
        @if let Some(m) = msg {
            p.error role="alert" { (m) }
        }
    }
}

/// A table's header row: one column header per label. (At phone width the rows become
/// cards, and each cell shows its column's label from its `data-label`.)
pub fn header_row(labels: &[String]) -> Markup {
    header_row_numeric(labels, |_| false)
}

/// A table's header row whose columns `numeric(n)` holds figures (aligned as such).
pub fn header_row_numeric(labels: &[String], numeric: impl Fn(usize) -> bool) -> Markup {
    html! {
        thead { tr {
            @for (n, label) in labels.iter().enumerate() {
                th scope="col" class=[numeric(n).then_some("num")] { (label) }
            }
        } }
    }
}

/// A signed receipt (compact JWS) as a file to keep.
pub fn receipt_download(id: Uuid, jws: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/jose".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"consent-{id}.jws\""),
            ),
        ],
        jws,
    )
        .into_response()
}

/// The hidden anti-forgery field every form that changes something carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// A redirect after a successful post (303: the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A session cookie for a browser.
pub fn with_session_cookie(
    mut r: Response,
    o: &qorgau_store::sessions::Opened,
    now: Timestamp,
) -> Response {
    r.headers_mut().insert(
        header::SET_COOKIE,
        crate::routes::auth::session_cookie(o, now),
    );
    r
}

/// The session in the cookie, in whatever stage.
pub async fn cookie_session(app: &App, headers: &HeaderMap) -> Option<Session> {
    let token = crate::auth::cookie_value(headers, SESSION_COOKIE)?;
    app.store
        .authenticate_session(token, app.clock.now())
        .await
        .ok()
        .flatten()
}

/// The cookie naming the person a signed-in subject acts for as their legal
/// representative (an id, checked against a live authority on every request).
pub const ACTING_COOKIE: &str = "__Host-qorgau-acting";

/// A signed-in subject: on their own account, or acting for someone they represent.
pub struct Portal {
    /// Whose data the pages show and act on.
    pub subject: Uuid,
    /// The person signed in (the representative, when acting for `subject`).
    pub me: Uuid,
    /// The authority the person acts under, when acting for someone else.
    pub acting: Option<qorgau_store::subjects::Represented>,
    /// The person chose to act for someone whose authority has since ended: the pages
    /// are their own again, and they are told so.
    pub lapsed: bool,
    pub session: Session,
    pub csrf: String,
    pub l: L,
}

impl Portal {
    /// The representative acting, for the store's records.
    pub fn representative(&self) -> Option<Uuid> {
        self.acting.as_ref().map(|_| self.me)
    }
}

/// The acting-for cookie: set to `subject`, or cleared.
pub fn acting_cookie(subject: Option<Uuid>) -> HeaderValue {
    let v = match subject {
        Some(id) => format!("{ACTING_COOKIE}={id}; Path=/; Secure; HttpOnly; SameSite=Strict"),
        None => format!("{ACTING_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"),
    };
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Organization staff past MFA, with the organization they act for.
pub struct Console {
    pub role: Role,
    pub org: Uuid,
    pub session: Session,
    pub csrf: String,
    pub l: L,
}

/// Not signed in (or not the right kind of person): to the sign-in page.
pub struct ToSignIn(&'static str);

impl IntoResponse for ToSignIn {
    fn into_response(self) -> Response {
        Redirect::to(self.0).into_response()
    }
}

impl FromRequestParts<App> for Portal {
    type Rejection = ToSignIn;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ToSignIn> {
        let s = cookie_session(app, &parts.headers)
            .await
            .ok_or(ToSignIn("/portal/sign-in"))?;
        match (s.owner, s.stage) {
            (SessionOwner::Subject(me), Stage::Active) => {
                let chosen = crate::auth::cookie_value(&parts.headers, ACTING_COOKIE)
                    .and_then(|v| Uuid::try_parse(v).ok());
                let acting = match chosen {
                    Some(other) => app
                        .store
                        .represented(me, app.clock.now())
                        .await
                        .ok()
                        .and_then(|list| list.into_iter().find(|r| r.subject_id == other)),
                    None => None,
                };
                Ok(Portal {
                    subject: acting.as_ref().map(|r| r.subject_id).unwrap_or(me),
                    me,
                    lapsed: chosen.is_some() && acting.is_none(),
                    acting,
                    csrf: app.store.csrf_token(&s.id),
                    session: s,
                    l: L::new(app, &parts.headers),
                })
            }
            (SessionOwner::Subject(_), Stage::Mfa) => Err(ToSignIn("/portal/sign-in/totp")),
            _ => Err(ToSignIn("/portal/sign-in")),
        }
    }
}

impl FromRequestParts<App> for Console {
    type Rejection = ToSignIn;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ToSignIn> {
        let s = cookie_session(app, &parts.headers)
            .await
            .ok_or(ToSignIn("/console/sign-in"))?;
        match (s.owner, s.stage) {
            (
                SessionOwner::Account {
                    role,
                    organization: Some(org),
                    ..
                },
                Stage::Active,
            ) if role.in_organization() => Ok(Console {
                role,
                org,
                csrf: app.store.csrf_token(&s.id),
                session: s,
                l: L::new(app, &parts.headers),
            }),
            (SessionOwner::Account { .. }, Stage::Mfa) => Err(ToSignIn("/console/sign-in/mfa")),
            // Staff of no organization (inspectors, service administrators) have their
            // own view; the console's sign-in leads everyone here first.
            (
                SessionOwner::Account {
                    organization: None, ..
                },
                Stage::Active,
            ) => Err(ToSignIn("/inspect")),
            _ => Err(ToSignIn("/console/sign-in")),
        }
    }
}

impl Console {
    /// A console page for this person.
    pub fn page(&self, here: &str, title: &str, body: Markup) -> Response {
        self.page_with_status(here, title, body, StatusCode::OK)
    }

    /// "Not found" (another organization's object, or none).
    pub fn not_found(&self) -> Response {
        not_found(&self.l, Area::Console, Some(&self.csrf))
    }

    pub fn page_with_status(
        &self,
        here: &str,
        title: &str,
        body: Markup,
        status: StatusCode,
    ) -> Response {
        page_with_status(
            &self.l,
            Area::Console,
            here,
            Some(&self.csrf),
            title,
            body,
            status,
        )
    }

    /// A page refusing staff whose role lacks `scope` (e.g. a processor on API keys),
    /// or nothing when the role has it.
    pub fn lacks(&self, scope: qorgau_core::org::Scope) -> Option<Response> {
        (!self.role.scopes().contains(&scope)).then(|| {
            let l = &self.l;
            self.page_with_status(
                "/console",
                &l.t("forbidden-title"),
                html! { p { (l.t("forbidden-text")) } },
                StatusCode::FORBIDDEN,
            )
        })
    }
}

/// A form that carries the anti-forgery field.
pub trait Csrf {
    fn csrf(&self) -> &str;
}

/// A posted form from the person `W` ([`Portal`] or [`Console`]): same-site, with the
/// session's anti-forgery token. Anything else is refused before the handler runs.
pub struct Form<W, T> {
    pub who: W,
    pub form: T,
}

/// Whether a post comes from another site: as the browser says (`Sec-Fetch-Site`), or,
/// from a browser that does not say, by an `Origin` of another host. (`Origin: null`
/// is what a same-site form sends under `Referrer-Policy: no-referrer`; the session
/// cookie is `SameSite=Strict` and every form carries its token besides.)
pub fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "cross-site";
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some("null") | None, _) => false,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, h)| h) != Some(host),
        (Some(_), None) => true,
    }
}

/// Refused: a forged or stale form.
pub struct Forbidden(L);

impl IntoResponse for Forbidden {
    fn into_response(self) -> Response {
        let l = self.0;
        page_with_status(
            &l,
            Area::Public,
            "/portal",
            None,
            &l.t("forbidden-title"),
            html! { p { (l.t("forbidden-text")) } p { a href="/portal" { (l.t("nav-home")) } } },
            StatusCode::FORBIDDEN,
        )
    }
}

pub trait Signed: Sized {
    fn csrf_token(&self) -> &str;
}
impl Signed for Portal {
    fn csrf_token(&self) -> &str {
        &self.csrf
    }
}
impl Signed for Console {
    fn csrf_token(&self) -> &str {
        &self.csrf
    }
}

impl<W, T> FromRequest<App> for Form<W, T>
where
    W: FromRequestParts<App, Rejection = ToSignIn> + Signed + Send,
    T: DeserializeOwned + Csrf + Send,
{
    type Rejection = Response;
    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let l = L::new(app, &parts.headers);
        if cross_site(&parts.headers) {
            return Err(Forbidden(l).into_response());
        }
        let who = W::from_request_parts(&mut parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        let req = Request::from_parts(parts, body);
        let axum::Form(form) = axum::Form::<T>::from_request(req, app)
            .await
            .map_err(|_| Forbidden(l.clone()).into_response())?;
        if !ct_eq(form.csrf().as_bytes(), who.csrf_token().as_bytes()) {
            return Err(Forbidden(l).into_response());
        }
        Ok(Form { who, form })
    }
}

/// A form posted before there is a session (sign-in): same-site only.
pub struct PublicForm<T> {
    pub l: L,
    pub form: T,
    pub headers: HeaderMap,
}

impl<T: DeserializeOwned + Send> FromRequest<App> for PublicForm<T> {
    type Rejection = Response;
    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let headers = req.headers().clone();
        let l = L::new(app, &headers);
        if cross_site(&headers) {
            return Err(Forbidden(l).into_response());
        }
        let axum::Form(form) = axum::Form::<T>::from_request(req, app)
            .await
            .map_err(|_| Forbidden(l.clone()).into_response())?;
        Ok(PublicForm { l, form, headers })
    }
}

/// The form with just the anti-forgery token (sign out, withdraw, …).
#[derive(serde::Deserialize)]
pub struct Plain {
    pub csrf: String,
}
csrf_form!(Plain);

/// Clear the session cookie.
pub fn signed_out(to: &str) -> Response {
    let mut r = see_other(to);
    r.headers_mut()
        .insert(header::SET_COOKIE, crate::routes::auth::clear_cookie());
    r
}

/// A page for "not found" (someone else's object, or none).
pub fn not_found(l: &L, area: Area, csrf: Option<&str>) -> Response {
    page_with_status(
        l,
        area,
        "/portal",
        csrf,
        &l.t("not-found-title"),
        html! { p { (l.t("not-found-text")) } },
        StatusCode::NOT_FOUND,
    )
}

/// A person's name as written: surname, given name, patronymic.
pub fn person(n: &qorgau_core::consent::PersonName) -> String {
    let mut s = format!("{} {}", n.surname, n.given_name);
    if let Some(p) = &n.patronymic {
        s.push(' ');
        s.push_str(p);
    }
    s
}

/// Text with line breaks kept (answers, reasons), escaped.
pub fn multiline(s: &str) -> Markup {
    html! {
        @for (i, line) in s.lines().enumerate() {
            @if i > 0 { br; }
            (line)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `web-…` key the pages use exists in every language.
    #[test]
    fn every_key_used_exists_in_every_language() {
        let l10n = qorgau_i18n::Localizer::new().unwrap();
        let sources = [
            include_str!("mod.rs"),
            include_str!("portal.rs"),
            include_str!("console.rs"),
            include_str!("org.rs"),
            include_str!("settings.rs"),
            include_str!("inspect.rs"),
        ];
        let mut used = std::collections::BTreeSet::new();
        for src in sources {
            for call in [".t(\"", ".ta(\""] {
                for piece in src.split(call).skip(1) {
                    if let Some(end) = piece.find('"') {
                        used.insert(format!("web-{}", &piece[..end]));
                    }
                }
            }
        }
        assert!(used.len() > 40, "found {} keys", used.len());
        for lang in qorgau_i18n::LANGUAGES {
            for k in &used {
                assert!(l10n.has(lang, k), "{k} is missing in {lang}");
            }
        }
    }

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(local_path("/portal/consents"), Some("/portal/consents"));
        assert_eq!(local_path("//evil.example"), None);
        assert_eq!(local_path("https://evil.example"), None);
        assert_eq!(local_path("/\\evil"), None);
    }

    #[test]
    fn language_cookie_then_header_then_kazakh() {
        let mut h = HeaderMap::new();
        assert_eq!(language(&h), "kk");
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("ru-RU,ru;q=0.9"),
        );
        assert_eq!(language(&h), "ru");
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; qorgau-lang=en"),
        );
        assert_eq!(language(&h), "en");
        h.insert(header::COOKIE, HeaderValue::from_static("qorgau-lang=xx"));
        assert_eq!(language(&h), "ru");
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(!cross_site(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(!cross_site(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(cross_site(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!cross_site(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site(&h));
    }
}
