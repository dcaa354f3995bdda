//! The organization's console (staff, always with MFA): sign in with password and
//! authenticator (set up at the first sign-in), and the queue of subjects' requests
//! with their due times and overdue flags, each completed or refused with a reason.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use qorgau_core::org::Scope;
use qorgau_core::request::RequestState;
use qorgau_core::{Error, ErrorCode};
use qorgau_store::accounts::{Next, Reauth};
use qorgau_store::requests::{Completion, RequestFilter, RequestViewer};
use serde::Deserialize;
use uuid::Uuid;

use super::portal::{answer_section, pending, request_state, second_factor, CodeForm};
use super::{
    csrf_field, error_box, multiline, page, see_other, signed_out, with_session_cookie, Area,
    Console, Form, Plain, PublicForm, L,
};
use crate::auth::ClientAddr;
use crate::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/console/sign-in", get(sign_in_page).post(sign_in))
        .route("/console/sign-in/mfa", get(mfa_page).post(mfa))
        .route("/console/sign-in/enroll", get(enroll_page).post(enroll))
        .route("/console/sign-out", post(sign_out))
        .route("/console", get(queue))
        .route("/console/requests/{id}", get(request))
        .route("/console/requests/{id}/complete", post(complete))
        .route("/console/requests/{id}/refuse", post(refuse))
}

fn password_form(l: &L, error: Option<&str>) -> Markup {
    html! {
        p { (l.t("console-intro")) }
        (error_box(error))
        form method="post" action="/console/sign-in" {
            label for="email" { (l.t("email")) }
            input id="email" name="email" type="email" autocomplete="username" required maxlength="254";
            label for="password" { (l.t("password")) }
            input id="password" name="password" type="password" autocomplete="current-password" required maxlength="512";
            button type="submit" { (l.t("continue")) }
        }
    }
}

async fn sign_in_page(State(app): State<App>, headers: HeaderMap) -> Response {
    let l = L::new(&app, &headers);
    page(
        &l,
        Area::Public,
        "/console/sign-in",
        None,
        &l.t("console-sign-in-title"),
        password_form(&l, None),
    )
}

#[derive(Deserialize)]
struct PasswordForm {
    email: String,
    password: String,
}

async fn sign_in(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    f: PublicForm<PasswordForm>,
) -> Response {
    let l = f.l;
    let now = app.clock.now();
    let result = if f.form.email.len() > 254
        || f.form.password.len() > 4 * qorgau_core::auth::PASSWORD_MAX_CHARS
    {
        Err(Error::new(ErrorCode::CredentialsInvalid))
    } else {
        app.store
            .password_signin(&f.form.email, f.form.password, client, now)
            .await
    };
    match result {
        Ok((opened, next)) => {
            let to = match next {
                Next::Totp => "/console/sign-in/mfa",
                Next::EnrollTotp => "/console/sign-in/enroll",
                Next::None => "/console",
            };
            with_session_cookie(see_other(to), &opened, now)
        }
        Err(e) => page(
            &l,
            Area::Public,
            "/console/sign-in",
            None,
            &l.t("console-sign-in-title"),
            password_form(&l, Some(&l.problem(&e))),
        ),
    }
}

async fn mfa_page(State(app): State<App>, headers: HeaderMap) -> Response {
    let l = L::new(&app, &headers);
    match pending(&app, &headers).await {
        Some((_, csrf)) => page(
            &l,
            Area::Public,
            "/console/sign-in/mfa",
            None,
            &l.t("console-sign-in-title"),
            html! {
                p { (l.t("totp-intro")) }
                form method="post" action="/console/sign-in/mfa" {
                    (csrf_field(&csrf))
                    label for="code" { (l.t("totp-code")) }
                    input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="32";
                    button type="submit" { (l.t("sign-in")) }
                }
            },
        ),
        None => see_other("/console/sign-in"),
    }
}

async fn mfa(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    f: PublicForm<CodeForm>,
) -> Response {
    second_factor(&app, client, f, "/console/sign-in/mfa", "/console").await
}

/// First sign-in: the authenticator is set up before anything else.
async fn enroll_page(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
) -> Response {
    let l = L::new(&app, &headers);
    let Some((s, csrf)) = pending(&app, &headers).await else {
        return see_other("/console/sign-in");
    };
    let reauth = Reauth {
        password: None,
        code: None,
        client,
    };
    match app.store.begin_totp(s, reauth, app.clock.now()).await {
        Ok(e) => page(
            &l,
            Area::Public,
            "/console/sign-in/enroll",
            None,
            &l.t("enroll-title"),
            html! {
                p { (l.t("enroll-intro")) }
                p { (l.t("enroll-secret")) }
                p { code.secret { (e.secret) } }
                p { small { (e.otpauth_uri) } }
                form method="post" action="/console/sign-in/enroll" {
                    (csrf_field(&csrf))
                    label for="code" { (l.t("totp-code")) }
                    input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6";
                    button type="submit" { (l.t("enroll-confirm")) }
                }
            },
        ),
        Err(e) => page(
            &l,
            Area::Public,
            "/console/sign-in",
            None,
            &l.t("console-sign-in-title"),
            password_form(&l, Some(&l.problem(&e))),
        ),
    }
}

async fn enroll(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    f: PublicForm<CodeForm>,
) -> Response {
    let l = f.l;
    let Some((s, csrf)) = pending(&app, &f.headers).await else {
        return see_other("/console/sign-in");
    };
    if !qorgau_core::crypto::ct_eq(f.form.csrf.as_bytes(), csrf.as_bytes())
        || f.form.code.len() > 32
    {
        return super::Forbidden(l).into_response();
    }
    let now = app.clock.now();
    match app
        .store
        .confirm_totp(s, f.form.code.trim().to_owned(), client, now)
        .await
    {
        Ok(done) => {
            let body = html! {
                p { (l.t("recovery-intro")) }
                ol.codes { @for c in &done.recovery_codes { li { code { (c) } } } }
                p { a.button href="/console" { (l.t("continue")) } }
            };
            let r = page(
                &l,
                Area::Public,
                "/console/sign-in/enroll",
                None,
                &l.t("recovery-title"),
                body,
            );
            match &done.opened {
                Some(o) => with_session_cookie(r, o, now),
                None => r,
            }
        }
        Err(e) => page(
            &l,
            Area::Public,
            "/console/sign-in",
            None,
            &l.t("console-sign-in-title"),
            password_form(&l, Some(&l.problem(&e))),
        ),
    }
}

async fn sign_out(State(app): State<App>, f: Form<Console, Plain>) -> Response {
    let _ = app
        .store
        .revoke_session(f.who.session, app.clock.now())
        .await;
    signed_out("/console/sign-in")
}

/// Staff whose role may not work requests see a refusal instead.
fn no_scope(c: &Console) -> Option<Response> {
    c.lacks(Scope::Requests)
}

#[derive(Deserialize)]
struct QueueFilter {
    state: Option<String>,
    overdue: Option<String>,
}

pub(super) const STATES: [RequestState; 3] = [
    RequestState::Open,
    RequestState::Completed,
    RequestState::Refused,
];

/// The filters of a list of requests: by state, and overdue only.
pub(super) fn request_filters(
    l: &L,
    action: &str,
    state: Option<RequestState>,
    overdue: bool,
) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            div {
                label for="state" { (l.t("filter-state")) }
                select id="state" name="state" {
                    option value="" { (l.t("all")) }
                    @for s in STATES {
                        option value=(s.as_str()) selected[state == Some(s)] { (l.ta("request-state", &[("state", s.as_str().to_owned())])) }
                    }
                }
            }
            div.check {
                input type="checkbox" id="overdue" name="overdue" value="on" checked[overdue];
                label for="overdue" { (l.t("only-overdue")) }
            }
            button type="submit" { (l.t("apply")) }
        }
    }
}

async fn queue(State(app): State<App>, c: Console, Query(q): Query<QueueFilter>) -> Response {
    if let Some(r) = no_scope(&c) {
        return r;
    }
    let l = &c.l;
    let state = q
        .state
        .as_deref()
        .and_then(|s| STATES.iter().copied().find(|x| x.as_str() == s));
    let overdue = q.overdue.is_some();
    let f = RequestFilter {
        state,
        overdue,
        cursor: None,
        limit: 200,
    };
    let list = app
        .store
        .requests(RequestViewer::Organization(c.org), f, app.clock.now())
        .await;
    let org = app
        .store
        .organization_cached(c.org)
        .await
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let body = html! {
        p { (org) }
        (request_filters(l, "/console", state, overdue))
        @match &list {
            Ok(list) if !list.items.is_empty() => {
                @let labels = [l.t("request-kind"), l.t("received"), l.t("due-by"), l.t("state")];
                table {
                    caption { (l.t("queue-caption")) }
                    (super::header_row(&labels))
                    tbody {
                        @for r in &list.items {
                            tr class=[r.overdue.then_some("overdue")] {
                                td data-label=(labels[0]) { a href={ "/console/requests/" (r.id) } { (l.raw("request-kind", &[("kind", r.kind.as_str().to_owned())])) } }
                                td data-label=(labels[1]) { (l.time(r.received_at)) }
                                td data-label=(labels[2]) { (l.date(r.due_date)) }
                                td data-label=(labels[3]) { (request_state(l, r)) }
                            }
                        }
                    }
                }
            }
            Ok(_) => { p { (l.t("queue-empty")) } }
            Err(e) => { (error_box(Some(&l.problem(e)))) }
        }
    };
    c.page("/console", &l.t("queue-title"), body)
}

async fn request(State(app): State<App>, c: Console, Path(id): Path<Uuid>) -> Response {
    request_page(&app, &c, id, None).await
}

async fn request_page(app: &App, c: &Console, id: Uuid, error: Option<String>) -> Response {
    if let Some(r) = no_scope(c) {
        return r;
    }
    let l = &c.l;
    let Ok(r) = app
        .store
        .request(id, RequestViewer::Organization(c.org), app.clock.now())
        .await
    else {
        return c.not_found();
    };
    let here = format!("/console/requests/{id}");
    let open = r.summary.state == RequestState::Open;
    let body = html! {
        (error_box(error.as_deref()))
        dl.terms {
            dt { (l.t("request-kind")) } dd { (l.raw("request-kind", &[("kind", r.summary.kind.as_str().to_owned())])) }
            @if let Some(s) = &r.subject {
                dt { (l.t("subject")) } dd { (super::person(&s.name)) " (" (l.t("iin")) " " (s.iin.as_string()) ")" }
            }
            dt { (l.t("state")) } dd { (request_state(l, &r.summary)) }
            dt { (l.t("received")) } dd { (l.time(r.summary.received_at)) }
            dt { (l.t("due-by")) } dd { (l.date(r.summary.due_date)) " (" (l.ta("working-days", &[("count", r.working_days.to_string())])) ", " (r.article) ")" }
            @if let Some(t) = &r.text { dt { (l.t("request-text")) } dd { (multiline(t)) } }
        }
        (answer_section(l, &r))
        @if open {
            section aria-labelledby="complete" {
                h2 id="complete" { (l.t("complete-title")) }
                form method="post" action={ (here) "/complete" } {
                    (csrf_field(&c.csrf))
                    label for="text" { (l.t("answer-text")) }
                    textarea id="text" name="text" rows="5" maxlength="8000" {}
                    div.check {
                        input type="checkbox" id="destroyed" name="destroyed_instead" value="on";
                        label for="destroyed" { (l.t("destroyed-instead-option")) }
                    }
                    button type="submit" { (l.t("complete")) }
                }
            }
            section aria-labelledby="refuse" {
                h2 id="refuse" { (l.t("refuse-title")) }
                form method="post" action={ (here) "/refuse" } {
                    (csrf_field(&c.csrf))
                    label for="reason" { (l.t("refusal-reason")) }
                    textarea id="reason" name="reason" rows="4" maxlength="8000" required {}
                    button.danger type="submit" { (l.t("refuse-request")) }
                }
            }
        }
    };
    c.page(&here, &l.t("request-title"), body)
}

#[derive(Deserialize)]
struct CompleteForm {
    csrf: String,
    #[serde(default)]
    text: String,
    destroyed_instead: Option<String>,
}
csrf_form!(CompleteForm);

async fn complete(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    f: Form<Console, CompleteForm>,
) -> Response {
    let c = f.who;
    if let Some(r) = no_scope(&c) {
        return r;
    }
    let text = Some(f.form.text.trim().to_owned()).filter(|t| !t.is_empty());
    let done = Completion {
        text,
        destroyed_instead: f.form.destroyed_instead.is_some(),
    };
    match app
        .store
        .complete_request(c.org, id, done, app.clock.now())
        .await
    {
        Ok(_) => see_other(&format!("/console/requests/{id}")),
        Err(e) => {
            let msg = c.l.problem(&e);
            request_page(&app, &c, id, Some(msg)).await
        }
    }
}

#[derive(Deserialize)]
struct RefuseForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}
csrf_form!(RefuseForm);

async fn refuse(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    f: Form<Console, RefuseForm>,
) -> Response {
    let c = f.who;
    if let Some(r) = no_scope(&c) {
        return r;
    }
    match app
        .store
        .refuse_request(c.org, id, Some(f.form.reason), app.clock.now())
        .await
    {
        Ok(_) => see_other(&format!("/console/requests/{id}")),
        Err(e) => {
            let msg = c.l.problem(&e);
            request_page(&app, &c, id, Some(msg)).await
        }
    }
}
