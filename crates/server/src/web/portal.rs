//! The subject's portal: sign in with a one-time code; consent requests answered
//! with every Art. 8(4) item in plain words; my consents, their receipts and their
//! withdrawal; «who did what with my data»; my requests; my notifications and how I
//! get them.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use qorgau_core::consent::ConsentState;
use qorgau_core::id::{Bin, Iin};
use qorgau_core::request::RequestKind;
use qorgau_core::{Error, ErrorCode};
use qorgau_store::consents::{Answer, AnswerOutcome, ConsentView, Viewer, WithdrawOutcome};
use qorgau_store::requests::{NewRequest, RequestFilter, RequestViewer};
use qorgau_store::sessions::Stage;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    acting_cookie, csrf_field, error_box, multiline, not_found, page, page_with_status, see_other,
    signed_out, with_session_cookie, Area, Form, Plain, Portal, PublicForm, L,
};
use crate::auth::ClientAddr;
use crate::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/portal/sign-in", get(sign_in_page).post(sign_in))
        .route("/portal/sign-in/verify", post(verify))
        .route("/portal/sign-in/totp", get(totp_page).post(totp))
        .route("/portal/sign-out", post(sign_out))
        .route("/portal", get(home))
        .route("/portal/consents", get(consents))
        .route("/portal/consents/{id}", get(consent))
        .route("/portal/consents/{id}/answer", post(answer))
        .route("/portal/consents/{id}/receipt", get(receipt))
        .route(
            "/portal/consents/{id}/withdraw",
            get(withdraw_page).post(withdraw),
        )
        .route("/portal/history", get(history))
        .route("/portal/requests", get(requests).post(file_request))
        .route("/portal/requests/new", get(new_request))
        .route("/portal/requests/{id}", get(request))
        .route("/portal/inbox", get(inbox))
        .route("/portal/preferences", post(preferences))
        .route("/portal/represented", get(represented))
        .route("/portal/acting", post(act_for))
}

/// A portal page: when the person acts for someone they represent, every page says
/// so first, with the way back to their own account.
fn portal_page(p: &Portal, here: &str, title: &str, body: Markup) -> Response {
    let l = &p.l;
    let banner = html! {
        @if let Some(r) = &p.acting {
            div.acting role="status" {
                p { (l.ta("acting-for", &[("name", super::person(&r.name)), ("basis", l.ta("authority-basis", &[("basis", r.basis.clone())])), ("until", l.time(r.valid_until))])) }
                form method="post" action="/portal/acting" {
                    (csrf_field(&p.csrf))
                    input type="hidden" name="subject" value="";
                    button.link type="submit" { (l.t("act-for-myself")) }
                }
            }
        }
        @if p.lapsed {
            p.error role="alert" { (l.t("acting-lapsed")) }
        }
    };
    let mut r = page(
        l,
        Area::Portal,
        here,
        Some(&p.csrf),
        title,
        html! { (banner) (body) },
    );
    if p.lapsed {
        r.headers_mut()
            .append(header::SET_COOKIE, acting_cookie(None));
    }
    r
}

// ---- Signing in ---------------------------------------------------------------

fn iin_form(l: &L, error: Option<&str>) -> Markup {
    html! {
        p { (l.t("sign-in-intro")) }
        (error_box(error))
        form method="post" action="/portal/sign-in" {
            label for="iin" { (l.t("iin")) }
            input id="iin" name="iin" inputmode="numeric" autocomplete="username" required maxlength="12" pattern="[0-9]{12}";
            button type="submit" { (l.t("send-code")) }
        }
    }
}

async fn sign_in_page(State(app): State<App>, headers: HeaderMap) -> Response {
    let l = L::new(&app, &headers);
    page(
        &l,
        Area::Public,
        "/portal/sign-in",
        None,
        &l.t("sign-in-title"),
        iin_form(&l, None),
    )
}

#[derive(Deserialize)]
struct IinForm {
    iin: String,
}

async fn sign_in(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    f: PublicForm<IinForm>,
) -> Response {
    let l = f.l;
    let title = l.t("sign-in-title");
    let iin = match Iin::parse(f.form.iin.trim()) {
        Ok(i) => i,
        Err(e) => {
            return page(
                &l,
                Area::Public,
                "/portal/sign-in",
                None,
                &title,
                iin_form(&l, Some(&l.problem(&e))),
            )
        }
    };
    match app.store.start_signin(iin, client, app.clock.now()).await {
        Ok(challenge) => page(
            &l,
            Area::Public,
            "/portal/sign-in",
            None,
            &title,
            code_form(&l, challenge, None),
        ),
        Err(e) => page(
            &l,
            Area::Public,
            "/portal/sign-in",
            None,
            &title,
            iin_form(&l, Some(&l.problem(&e))),
        ),
    }
}

fn code_form(l: &L, challenge: Uuid, error: Option<&str>) -> Markup {
    html! {
        p { (l.t("code-sent")) }
        (error_box(error))
        form method="post" action="/portal/sign-in/verify" {
            input type="hidden" name="challenge_id" value=(challenge);
            label for="code" { (l.t("code")) }
            input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6";
            button type="submit" { (l.t("sign-in")) }
        }
        p { a href="/portal/sign-in" { (l.t("start-again")) } }
    }
}

#[derive(Deserialize)]
struct VerifyForm {
    challenge_id: Uuid,
    code: String,
}

async fn verify(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    f: PublicForm<VerifyForm>,
) -> Response {
    let l = f.l;
    let now = app.clock.now();
    let code = f.form.code.trim().to_owned();
    let result = if code.len() > 16 {
        Err(Error::new(ErrorCode::CodeInvalid))
    } else {
        app.store
            .verify_signin(f.form.challenge_id, code, client, now)
            .await
    };
    match result {
        Ok(opened) => {
            let to = if opened.session.stage == Stage::Mfa {
                "/portal/sign-in/totp"
            } else {
                "/portal"
            };
            let mut r = with_session_cookie(see_other(to), &opened, now);
            r.headers_mut()
                .append(header::SET_COOKIE, acting_cookie(None));
            r
        }
        Err(e) => page(
            &l,
            Area::Public,
            "/portal/sign-in",
            None,
            &l.t("sign-in-title"),
            code_form(&l, f.form.challenge_id, Some(&l.problem(&e))),
        ),
    }
}

fn totp_form(l: &L, action: &str, csrf: &str, error: Option<&str>) -> Markup {
    html! {
        p { (l.t("totp-intro")) }
        (error_box(error))
        form method="post" action=(action) {
            (csrf_field(csrf))
            label for="code" { (l.t("totp-code")) }
            input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="32";
            button type="submit" { (l.t("sign-in")) }
        }
    }
}

/// A session waiting for its second factor (a subject who added an authenticator,
/// or staff), with its anti-forgery token.
pub(super) async fn pending(
    app: &App,
    headers: &HeaderMap,
) -> Option<(qorgau_store::sessions::Session, String)> {
    let s = super::cookie_session(app, headers).await?;
    (s.stage == Stage::Mfa).then(|| {
        let csrf = app.store.csrf_token(&s.id);
        (s, csrf)
    })
}

async fn totp_page(State(app): State<App>, headers: HeaderMap) -> Response {
    let l = L::new(&app, &headers);
    match pending(&app, &headers).await {
        Some((_, csrf)) => page(
            &l,
            Area::Public,
            "/portal/sign-in/totp",
            None,
            &l.t("sign-in-title"),
            totp_form(&l, "/portal/sign-in/totp", &csrf, None),
        ),
        None => see_other("/portal/sign-in"),
    }
}

#[derive(Deserialize)]
pub(super) struct CodeForm {
    pub csrf: String,
    pub code: String,
}

/// The second factor, for the portal and the console alike.
pub(super) async fn second_factor(
    app: &App,
    client: Option<String>,
    f: PublicForm<CodeForm>,
    here: &str,
    done: &str,
) -> Response {
    let l = f.l;
    let Some((s, csrf)) = pending(app, &f.headers).await else {
        return see_other(here);
    };
    if !qorgau_core::crypto::ct_eq(f.form.csrf.as_bytes(), csrf.as_bytes()) {
        return super::Forbidden(l).into_response();
    }
    let code = f.form.code.trim().to_owned();
    let now = app.clock.now();
    let result = if code.len() > 32 {
        Err(Error::new(ErrorCode::CredentialsInvalid))
    } else {
        let factor = if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
            qorgau_store::accounts::SecondFactor::Totp(code)
        } else {
            qorgau_store::accounts::SecondFactor::Recovery(code)
        };
        app.store.verify_second_factor(s, factor, client, now).await
    };
    match result {
        Ok(opened) => with_session_cookie(see_other(done), &opened, now),
        Err(e) => page(
            &l,
            Area::Public,
            here,
            None,
            &l.t("sign-in-title"),
            totp_form(&l, here, &csrf, Some(&l.problem(&e))),
        ),
    }
}

async fn totp(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    f: PublicForm<CodeForm>,
) -> Response {
    second_factor(&app, client, f, "/portal/sign-in/totp", "/portal").await
}

async fn sign_out(State(app): State<App>, f: Form<Portal, Plain>) -> Response {
    // The session ends on the server whatever happens to the cookie.
    let _ = app
        .store
        .revoke_session(f.who.session, app.clock.now())
        .await;
    let mut r = signed_out("/portal/sign-in");
    r.headers_mut()
        .append(header::SET_COOKIE, acting_cookie(None));
    r
}

// ---- Acting for someone I represent --------------------------------------------

/// The people one may act for, each with the authority and a button to act for them.
fn represented_list(p: &Portal, list: &[qorgau_store::subjects::Represented]) -> Markup {
    let l = &p.l;
    html! {
        ul.cards {
            @for r in list {
                li.card {
                    strong { (super::person(&r.name)) }
                    br;
                    small { (l.ta("authority", &[("basis", l.ta("authority-basis", &[("basis", r.basis.clone())])), ("until", l.time(r.valid_until))])) }
                    form method="post" action="/portal/acting" {
                        (csrf_field(&p.csrf))
                        input type="hidden" name="subject" value=(r.subject_id);
                        button type="submit" { (l.ta("act-for", &[("name", super::person(&r.name))])) }
                    }
                }
            }
        }
    }
}

async fn represented(State(app): State<App>, p: Portal) -> Response {
    let l = &p.l;
    let Ok(list) = app.store.represented(p.me, app.clock.now()).await else {
        return failure(l, &p.csrf);
    };
    let body = html! {
        p { (l.t("represented-intro")) }
        @if list.is_empty() {
            p { (l.t("represented-none")) }
        } @else {
            (represented_list(&p, &list))
        }
        @if p.acting.is_some() {
            form method="post" action="/portal/acting" {
                (csrf_field(&p.csrf))
                input type="hidden" name="subject" value="";
                button type="submit" { (l.t("act-for-myself")) }
            }
        }
    };
    portal_page(&p, "/portal/represented", &l.t("represented-title"), body)
}

#[derive(Deserialize)]
struct ActForm {
    csrf: String,
    #[serde(default)]
    subject: String,
}
csrf_form!(ActForm);

/// Act for someone represented (checked against a live authority now and on every
/// later request), or, with no one chosen, for oneself again.
async fn act_for(State(app): State<App>, f: Form<Portal, ActForm>) -> Response {
    let p = f.who;
    let chosen = f.form.subject.trim();
    if chosen.is_empty() {
        let mut r = see_other("/portal");
        r.headers_mut()
            .append(header::SET_COOKIE, acting_cookie(None));
        return r;
    }
    let other = Uuid::try_parse(chosen).ok();
    let allowed = match other {
        Some(other) => app
            .store
            .represents(p.me, other, app.clock.now())
            .await
            .unwrap_or(false),
        None => false,
    };
    match (other, allowed) {
        (Some(other), true) => {
            let mut r = see_other("/portal");
            r.headers_mut()
                .append(header::SET_COOKIE, acting_cookie(Some(other)));
            r
        }
        _ => {
            let l = &p.l;
            page_with_status(
                l,
                Area::Portal,
                "/portal/represented",
                Some(&p.csrf),
                &l.t("forbidden-title"),
                html! { p { (l.t("not-represented")) } p { a href="/portal/represented" { (l.t("back")) } } },
                axum::http::StatusCode::FORBIDDEN,
            )
        }
    }
}

// ---- Consents -----------------------------------------------------------------

fn state_label(l: &L, s: ConsentState) -> String {
    l.ta("consent-state", &[("state", s.as_str().to_owned())])
}

fn consent_row(l: &L, c: &ConsentView) -> Markup {
    html! {
        li.card {
            a href={ "/portal/consents/" (c.id) } {
                strong { (c.organization.name) }
                " — " (l.pick(&c.purpose.name))
            }
            " "
            span class={ "state state-" (c.state.as_str()) } { (state_label(l, c.state)) }
            br;
            small { (l.ta("valid-until", &[("date", l.time(c.valid_until))])) }
        }
    }
}

async fn home(State(app): State<App>, p: Portal) -> Response {
    let l = &p.l;
    let now = app.clock.now();
    let list = |state, limit| {
        app.store
            .list_consents(Viewer::Subject(p.subject), Some(state), None, limit, now)
    };
    let pending = list(ConsentState::Pending, 50).await;
    let active = list(ConsentState::Active, 200).await;
    // The people the signed-in person may act for (on their own account only: an
    // authority is not passed on).
    let represented = match p.acting {
        None => app.store.represented(p.me, now).await,
        Some(_) => Ok(Vec::new()),
    };
    let (Ok(pending), Ok(active), Ok(represented)) = (pending, active, represented) else {
        return failure(l, &p.csrf);
    };
    let body = html! {
        section aria-labelledby="pending" {
            h2 id="pending" { (l.t("pending-title")) }
            @if pending.items.is_empty() {
                p { (l.t("pending-none")) }
            } @else {
                ul.cards { @for c in &pending.items { (consent_row(l, c)) } }
            }
        }
        section aria-labelledby="summary" {
            h2 id="summary" { (l.t("summary-title")) }
            p { (l.ta("active-count", &[("count", active.items.len().to_string())])) }
            ul.links {
                li { a href="/portal/consents" { (l.t("nav-consents")) } }
                li { a href="/portal/history" { (l.t("nav-history")) } }
                li { a href="/portal/requests/new" { (l.t("file-request")) } }
            }
        }
        @if !represented.is_empty() {
            section aria-labelledby="represented" {
                h2 id="represented" { (l.t("represented-title")) }
                (represented_list(&p, &represented))
            }
        }
    };
    portal_page(&p, "/portal", &l.t("home-title"), body)
}

fn failure(l: &L, csrf: &str) -> Response {
    page_with_status(
        l,
        Area::Portal,
        "/portal",
        Some(csrf),
        &l.t("failure-title"),
        html! { p { (l.t("failure-text")) } },
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
    )
}

#[derive(Deserialize)]
struct StateFilter {
    state: Option<String>,
}

const STATES: [ConsentState; 7] = ConsentState::ALL;

async fn consents(State(app): State<App>, p: Portal, Query(q): Query<StateFilter>) -> Response {
    let l = &p.l;
    let state = q
        .state
        .as_deref()
        .and_then(|s| STATES.iter().copied().find(|x| x.as_str() == s));
    let Ok(list) = app
        .store
        .list_consents(
            Viewer::Subject(p.subject),
            state,
            None,
            200,
            app.clock.now(),
        )
        .await
    else {
        return failure(l, &p.csrf);
    };
    let body = html! {
        form.filters method="get" action="/portal/consents" {
            label for="state" { (l.t("filter-state")) }
            select id="state" name="state" {
                option value="" { (l.t("all")) }
                @for s in STATES {
                    option value=(s.as_str()) selected[state == Some(s)] { (state_label(l, s)) }
                }
            }
            button type="submit" { (l.t("apply")) }
        }
        @if list.items.is_empty() {
            p { (l.t("consents-none")) }
        } @else {
            ul.cards { @for c in &list.items { (consent_row(l, c)) } }
        }
    };
    portal_page(&p, "/portal/consents", &l.t("consents-title"), body)
}

async fn load_consent(app: &App, p: &Portal, id: Uuid) -> Result<ConsentView, Response> {
    app.store
        .consent(id, Viewer::Subject(p.subject), true, app.clock.now())
        .await
        .map_err(|_| not_found(&p.l, Area::Portal, Some(&p.csrf)))
}

/// Every item of Art. 8(4), in plain words.
pub(super) async fn consent_terms(app: &App, l: &L, c: &ConsentView) -> Markup {
    let catalogue = app.store.list_categories().await.unwrap_or_default();
    let category = |code: &str| {
        catalogue
            .iter()
            .find(|k| k.code.as_str() == code)
            .map(|k| l.pick(&k.name).to_owned())
            .unwrap_or_else(|| code.to_owned())
    };
    let t = &c.terms;
    let yes_no = |b: bool| l.t(if b { "yes" } else { "no" });
    html! {
        dl.terms {
            dt { (l.t("term-operator")) } dd { (c.organization.name) " (" (l.t("bin")) " " (c.organization.bin.to_string()) ")" }
            dt { (l.t("term-purpose")) } dd { (l.pick(&c.purpose.name)) }
            dt { (l.t("term-period")) } dd {
                (l.ta("term-from-until", &[
                    ("from", c.valid_from.map(|t| l.time(t)).unwrap_or_else(|| l.t("from-confirmation"))),
                    ("until", l.time(c.valid_until)),
                ]))
            }
            dt { (l.t("term-data")) } dd { ul { @for k in &t.categories { li { (category(k.as_str())) } } } }
            dt { (l.t("term-transfer")) } dd {
                (yes_no(t.transfer_to_third_parties.allowed))
                @if !t.transfer_to_third_parties.recipients.is_empty() {
                    ": " @for (i, b) in t.transfer_to_third_parties.recipients.iter().enumerate() {
                        @if i > 0 { ", " } (l.t("bin")) " " (b.to_string())
                    }
                }
            }
            dt { (l.t("term-cross-border")) } dd {
                (yes_no(t.cross_border_transfer.allowed))
                @if !t.cross_border_transfer.countries.is_empty() {
                    ": " @for (i, k) in t.cross_border_transfer.countries.iter().enumerate() {
                        @if i > 0 { ", " } (k.to_string())
                    }
                }
            }
            dt { (l.t("term-public")) } dd { (yes_no(t.dissemination_in_public_sources)) }
            dt { (l.t("term-storage")) } dd { (l.ta("days", &[("count", c.purpose.storage_term_days.to_string())])) }
            @if let Some(o) = &t.other_information {
                dt { (l.t("term-other")) } dd { (l.pick(o)) }
            }
            @if let Some(r) = &c.representative {
                dt { (l.t("term-representative")) } dd { (super::person(&r.name)) }
            }
        }
    }
}

async fn consent(State(app): State<App>, p: Portal, Path(id): Path<Uuid>) -> Response {
    consent_page(&app, &p, id, None).await
}

async fn consent_page(app: &App, p: &Portal, id: Uuid, error: Option<String>) -> Response {
    let l = &p.l;
    let c = match load_consent(app, p, id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/portal/consents/{id}");
    let body = html! {
        p { span class={ "state state-" (c.state.as_str()) } { (state_label(l, c.state)) } }
        (error_box(error.as_deref()))
        (consent_terms(app, l, &c).await)
        @if let Some(g) = &c.withdrawal_ground {
            section.notice aria-labelledby="ground" {
                h2 id="ground" { (l.t("withdrawal-refused-title")) }
                p { (l.ta("withdrawal-ground", &[("reference", g.reference.clone())])) }
                p { (multiline(l.pick(&g.explanation))) }
            }
        }
        @match c.state {
            ConsentState::Pending => {
                section aria-labelledby="answer" {
                    h2 id="answer" { (l.t("answer-title")) }
                    p { (l.ta("answer-by", &[("date", l.time(c.respond_by))])) }
                    form method="post" action={ (here) "/answer" } {
                        (csrf_field(&p.csrf))
                        label for="code" { (l.t("consent-code")) }
                        input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6";
                        div.actions {
                            button type="submit" name="answer" value="confirm" { (l.t("confirm")) }
                            button.secondary type="submit" name="answer" value="refuse" { (l.t("refuse")) }
                        }
                    }
                }
            }
            ConsentState::Active => {
                p.actions {
                    a.button href={ (here) "/receipt" } download { (l.t("download-receipt")) }
                    a.button.danger href={ (here) "/withdraw" } { (l.t("withdraw")) }
                }
            }
            _ => {
                @if c.receipt.is_some() {
                    p { a href={ (here) "/receipt" } download { (l.t("download-receipt")) } }
                }
            }
        }
        @if let Some(h) = &c.history {
            section aria-labelledby="events" {
                h2 id="events" { (l.t("consent-history")) }
                ol.timeline {
                    @for e in h {
                        li { (l.time(e.at)) " — " (l.ta("consent-event", &[("event", e.kind.replace('.', "-"))])) }
                    }
                }
            }
        }
    };
    portal_page(p, &here, &l.t("consent-title"), body)
}

#[derive(Deserialize)]
struct AnswerForm {
    csrf: String,
    code: String,
    answer: String,
}
csrf_form!(AnswerForm);

async fn answer(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    f: Form<Portal, AnswerForm>,
) -> Response {
    let p = f.who;
    let l = p.l.clone();
    // Only the subject's own pending request may be answered here.
    if let Err(r) = load_consent(&app, &p, id).await {
        return r;
    }
    let a = if f.form.answer == "refuse" {
        Answer::Refuse
    } else {
        Answer::Confirm
    };
    let code = f.form.code.trim().to_owned();
    if code.len() > 16 {
        return consent_page(
            &app,
            &p,
            id,
            Some(l.problem(&Error::new(ErrorCode::CodeInvalid))),
        )
        .await;
    }
    match app
        .store
        .answer_consent_request(id, code, a, app.clock.now())
        .await
    {
        Ok(AnswerOutcome::Done(v)) => see_other(&format!("/portal/consents/{}", v.id)),
        Ok(AnswerOutcome::WrongCode { attempts_left }) => {
            let e =
                Error::new(ErrorCode::CodeInvalid).arg("attempts_left", attempts_left.to_string());
            consent_page(&app, &p, id, Some(l.problem(&e))).await
        }
        Err(e) => consent_page(&app, &p, id, Some(l.problem(&e))).await,
    }
}

async fn receipt(State(app): State<App>, p: Portal, Path(id): Path<Uuid>) -> Response {
    match app
        .store
        .consent_receipt(id, Viewer::Subject(p.subject))
        .await
    {
        Ok(jws) => super::receipt_download(id, jws),
        Err(_) => not_found(&p.l, Area::Portal, Some(&p.csrf)),
    }
}

async fn withdraw_page(State(app): State<App>, p: Portal, Path(id): Path<Uuid>) -> Response {
    let l = &p.l;
    let c = match load_consent(&app, &p, id).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let here = format!("/portal/consents/{id}/withdraw");
    let body = html! {
        p { (l.ta("withdraw-confirm", &[("organization", c.organization.name.clone()), ("purpose", l.pick(&c.purpose.name).to_owned())])) }
        p { (l.t("withdraw-effect")) }
        form method="post" action=(here) {
            (csrf_field(&p.csrf))
            div.actions {
                button.danger type="submit" { (l.t("withdraw-yes")) }
                a.button.secondary href={ "/portal/consents/" (id) } { (l.t("cancel")) }
            }
        }
    };
    portal_page(&p, &here, &l.t("withdraw-title"), body)
}

async fn withdraw(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    f: Form<Portal, Plain>,
) -> Response {
    let p = f.who;
    match app
        .store
        .withdraw_consent(p.subject, id, p.representative(), app.clock.now())
        .await
    {
        Ok(WithdrawOutcome::Withdrawn(_)) | Ok(WithdrawOutcome::Refused(_)) => {
            see_other(&format!("/portal/consents/{id}"))
        }
        Err(e) => {
            let msg = p.l.problem(&e);
            consent_page(&app, &p, id, Some(msg)).await
        }
    }
}

// ---- Who did what with my data ------------------------------------------------

#[derive(Deserialize, Default)]
struct HistoryFilter {
    organization: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

async fn history(State(app): State<App>, p: Portal, Query(q): Query<HistoryFilter>) -> Response {
    let l = &p.l;
    let tz = app.deadlines.tz.clone();
    let day = |s: &Option<String>| {
        s.as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse::<jiff::civil::Date>().ok())
    };
    let (from, to) = (day(&q.from), day(&q.to));
    let org = q.organization.clone().filter(|s| !s.is_empty());
    let action = q.action.clone().filter(|s| !s.is_empty());
    // The newest 1,000 entries about the subject, filtered here.
    let mut items = Vec::new();
    let mut before = None;
    for _ in 0..5 {
        let Ok(h) = crate::routes::subject_history(&app, p.subject, before, 200).await else {
            break;
        };
        items.extend(h.items);
        match h.next_before {
            Some(b) => before = Some(b),
            None => break,
        }
    }
    let mut organizations: Vec<(String, String)> = items
        .iter()
        .filter_map(|i| {
            i.organization
                .as_ref()
                .map(|o| (o.id.clone(), o.name.clone().unwrap_or_default()))
        })
        .collect();
    organizations.sort();
    organizations.dedup();
    let shown: Vec<_> = items
        .iter()
        .filter(|i| {
            org.as_ref()
                .is_none_or(|o| i.organization.as_ref().is_some_and(|x| &x.id == o))
        })
        .filter(|i| action.as_ref().is_none_or(|a| i.action.as_ref() == Some(a)))
        .filter(|i| {
            let d = i.at.to_zoned(tz.clone()).date();
            from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
        })
        .collect();
    let actions = [
        "collect",
        "view",
        "change",
        "supplement",
        "use",
        "transfer",
        "disseminate",
        "depersonalize",
        "block",
        "destroy",
    ];
    let body = html! {
        p { (l.t("history-intro")) }
        form.filters method="get" action="/portal/history" {
            div {
                label for="organization" { (l.t("organization")) }
                select id="organization" name="organization" {
                    option value="" { (l.t("all")) }
                    @for (id, name) in &organizations {
                        option value=(id) selected[org.as_ref() == Some(id)] { (name) }
                    }
                }
            }
            div {
                label for="action" { (l.t("action")) }
                select id="action" name="action" {
                    option value="" { (l.t("all")) }
                    @for a in actions {
                        option value=(a) selected[action.as_deref() == Some(a)] { (l.raw("data-action-done", &[("action", a.to_owned())])) }
                    }
                }
            }
            div {
                label for="from" { (l.t("period-from")) }
                input id="from" name="from" type="date" value=[from.map(|d| d.to_string())];
            }
            div {
                label for="to" { (l.t("period-to")) }
                input id="to" name="to" type="date" value=[to.map(|d| d.to_string())];
            }
            button type="submit" { (l.t("apply")) }
        }
        @if shown.is_empty() {
            p { (l.t("history-none")) }
        } @else {
            ol.timeline {
                @for i in &shown {
                    li.entry {
                        time { (l.time(i.at)) }
                        " "
                        strong { (i.organization.as_ref().and_then(|o| o.name.clone()).unwrap_or_else(|| l.t("service"))) }
                        " — "
                        (entry_text(l, i))
                        " "
                        a.proof href={ "/v1/ledger/proofs/inclusion?index=" (i.ledger_index) } { (l.ta("proof", &[("index", i.ledger_index.to_string())])) }
                    }
                }
            }
        }
    };
    portal_page(&p, "/portal/history", &l.t("history-title"), body)
}

fn entry_text(l: &L, i: &crate::routes::HistoryItem) -> String {
    if let Some(a) = &i.action {
        let what = l.raw("data-action-done", &[("action", a.clone())]);
        let outcome = i.outcome.clone().unwrap_or_default();
        if i.kind == "access.decided" {
            return l.ta("entry-decision", &[("action", what), ("outcome", outcome)]);
        }
        return l.ta("entry-processing", &[("action", what)]);
    }
    l.ta("entry-kind", &[("kind", i.kind.replace('.', "-"))])
}

// ---- Requests -----------------------------------------------------------------

const KINDS: &[RequestKind] = RequestKind::ALL;

fn kind_label(l: &L, k: RequestKind) -> String {
    l.raw("request-kind", &[("kind", k.as_str().to_owned())])
}

pub(super) fn request_state(l: &L, s: &qorgau_store::requests::RequestSummary) -> Markup {
    html! {
        span class={ "state state-" (s.state.as_str()) } { (l.ta("request-state", &[("state", s.state.as_str().to_owned())])) }
        @if s.overdue { " " span.state.state-overdue { (l.t("overdue")) } }
        @if s.answered_late { " " span.state.state-overdue { (l.t("answered-late")) } }
    }
}

async fn requests(State(app): State<App>, p: Portal) -> Response {
    let l = &p.l;
    let f = RequestFilter {
        state: None,
        overdue: false,
        cursor: None,
        limit: 200,
    };
    let Ok(list) = app
        .store
        .requests(RequestViewer::Subject(p.subject), f, app.clock.now())
        .await
    else {
        return failure(l, &p.csrf);
    };
    let mut names = std::collections::BTreeMap::new();
    for r in &list.items {
        if let std::collections::btree_map::Entry::Vacant(v) = names.entry(r.organization_id) {
            let name = app
                .store
                .organization_cached(r.organization_id)
                .await
                .map(|o| o.name.clone())
                .unwrap_or_default();
            v.insert(name);
        }
    }
    let body = html! {
        p { a.button href="/portal/requests/new" { (l.t("file-request")) } }
        @if list.items.is_empty() {
            p { (l.t("requests-none")) }
        } @else {
            ul.cards {
                @for r in &list.items {
                    li.card {
                        a href={ "/portal/requests/" (r.id) } {
                            strong { (names.get(&r.organization_id).cloned().unwrap_or_default()) }
                            " — " (kind_label(l, r.kind))
                        }
                        " " (request_state(l, r))
                        br;
                        small { (l.ta("due", &[("date", l.date(r.due_date))])) }
                    }
                }
            }
        }
    };
    portal_page(&p, "/portal/requests", &l.t("requests-title"), body)
}

fn request_form(
    l: &L,
    csrf: &str,
    error: Option<&str>,
    bin: &str,
    kind: Option<RequestKind>,
    text: &str,
) -> Markup {
    html! {
        p { (l.t("request-intro")) }
        (error_box(error))
        form method="post" action="/portal/requests" {
            (csrf_field(csrf))
            label for="bin" { (l.t("organization-bin")) }
            input id="bin" name="organization_bin" inputmode="numeric" required maxlength="12" pattern="[0-9]{12}" value=(bin);
            label for="kind" { (l.t("request-kind")) }
            select id="kind" name="kind" {
                @for k in KINDS.iter().copied() {
                    option value=(k.as_str()) selected[kind == Some(k)] { (kind_label(l, k)) }
                }
            }
            label for="text" { (l.t("request-text")) }
            textarea id="text" name="text" rows="5" maxlength="8000" { (text) }
            button type="submit" { (l.t("file")) }
        }
    }
}

async fn new_request(p: Portal) -> Response {
    let l = &p.l;
    portal_page(
        &p,
        "/portal/requests/new",
        &l.t("file-request"),
        request_form(l, &p.csrf, None, "", None, ""),
    )
}

#[derive(Deserialize)]
struct RequestForm {
    csrf: String,
    organization_bin: String,
    kind: String,
    #[serde(default)]
    text: String,
}
csrf_form!(RequestForm);

async fn file_request(State(app): State<App>, f: Form<Portal, RequestForm>) -> Response {
    let p = f.who;
    let l = &p.l;
    let form = f.form;
    let kind = KINDS.iter().copied().find(|k| k.as_str() == form.kind);
    let again = |e: Error| {
        portal_page(
            &p,
            "/portal/requests/new",
            &l.t("file-request"),
            request_form(
                l,
                &p.csrf,
                Some(&l.problem(&e)),
                &form.organization_bin,
                kind,
                &form.text,
            ),
        )
    };
    let bin = match Bin::parse(form.organization_bin.trim()) {
        Ok(b) => b,
        Err(e) => return again(e),
    };
    let Some(kind) = kind else {
        return again(Error::new(ErrorCode::ValidationFailed).at("kind"));
    };
    let text = Some(form.text.trim().to_owned()).filter(|t| !t.is_empty());
    let now = app.clock.now();
    let due = match app.deadlines.due(&app.calendar(), now, kind.working_days()) {
        Ok(d) => d,
        Err(e) => return again(e),
    };
    let req = NewRequest {
        organization_bin: bin,
        kind,
        text,
        documents: Vec::new(),
    };
    match app
        .store
        .file_request(p.subject, req, due, p.representative(), now)
        .await
    {
        Ok(v) => see_other(&format!("/portal/requests/{}", v.summary.id)),
        Err(e) => again(e),
    }
}

async fn request(State(app): State<App>, p: Portal, Path(id): Path<Uuid>) -> Response {
    let l = &p.l;
    let Ok(r) = app
        .store
        .request(id, RequestViewer::Subject(p.subject), app.clock.now())
        .await
    else {
        return not_found(l, Area::Portal, Some(&p.csrf));
    };
    let here = format!("/portal/requests/{id}");
    let body = html! {
        dl.terms {
            dt { (l.t("organization")) } dd { (r.organization.name) }
            dt { (l.t("request-kind")) } dd { (kind_label(l, r.summary.kind)) }
            dt { (l.t("state")) } dd { (request_state(l, &r.summary)) }
            dt { (l.t("received")) } dd { (l.time(r.summary.received_at)) }
            dt { (l.t("due-by")) } dd { (l.date(r.summary.due_date)) " (" (l.ta("working-days", &[("count", r.working_days.to_string())])) ", " (r.article) ")" }
            @if let Some(t) = &r.text { dt { (l.t("request-text")) } dd { (multiline(t)) } }
        }
        (answer_section(l, &r))
    };
    portal_page(&p, &here, &l.t("request-title"), body)
}

/// The organization's answer, as the subject and the organization see it.
pub(super) fn answer_section(l: &L, r: &qorgau_store::requests::RequestView) -> Markup {
    html! {
        @if let Some(a) = &r.answer {
            section.answer aria-labelledby="answer" {
                h2 id="answer" { (l.t("answer")) }
                @if let Some(reason) = &a.refusal_reason {
                    p { strong { (l.t("refusal-reason")) } }
                    p { (multiline(reason)) }
                }
                @if let Some(t) = &a.text { p { (multiline(t)) } }
                @if a.destroyed_instead { p { (l.t("destroyed-instead")) } }
                @if let Some(i) = &a.information {
                    p { (l.ta("information-summary", &[
                        ("consents", i.consents.len().to_string()),
                        ("processing", i.processing.len().to_string()),
                    ])) }
                    @if i.blocked { p { (l.t("data-blocked")) } }
                }
            }
        }
    }
}

// ---- Notifications ------------------------------------------------------------

async fn inbox(State(app): State<App>, p: Portal) -> Response {
    let l = &p.l;
    let (Ok(items), Ok(prefs)) = (
        app.store.inbox(p.subject, 200).await,
        app.store.subject_preferences(p.subject).await,
    ) else {
        return failure(l, &p.csrf);
    };
    let body = html! {
        @if p.acting.is_some() {
            p { (l.t("preferences-own-only")) }
        } @else {
        section aria-labelledby="prefs" {
            h2 id="prefs" { (l.t("preferences-title")) }
            form method="post" action="/portal/preferences" {
                (csrf_field(&p.csrf))
                fieldset {
                    legend { (l.t("channels")) }
                    @for ch in ["sms", "email"] {
                        div.check {
                            input type="checkbox" id={ "ch-" (ch) } name=(ch) value="on" checked[prefs.channels.iter().any(|c| c == ch)];
                            label for={ "ch-" (ch) } { (l.ta("channel", &[("channel", ch.to_owned())])) }
                        }
                    }
                }
                div.check {
                    input type="checkbox" id="digest" name="digest" value="on" checked[prefs.digest];
                    label for="digest" { (l.t("digest")) }
                }
                button type="submit" { (l.t("save")) }
            }
        }
        }
        section aria-labelledby="messages" {
            h2 id="messages" { (l.t("inbox-title")) }
            @if items.is_empty() {
                p { (l.t("inbox-none")) }
            } @else {
                ul.cards {
                    @for (_, m, status, at) in &items {
                        li.card {
                            small { (l.time(*at)) " · " (l.ta("delivery", &[("status", status.clone())])) }
                            p { (multiline(&app.l10n.message(l.lang, m.kind.as_str(), &m.args))) }
                        }
                    }
                }
            }
        }
    };
    portal_page(&p, "/portal/inbox", &l.t("nav-inbox"), body)
}

#[derive(Deserialize)]
struct PrefsForm {
    csrf: String,
    sms: Option<String>,
    email: Option<String>,
    digest: Option<String>,
}
csrf_form!(PrefsForm);

async fn preferences(State(app): State<App>, f: Form<Portal, PrefsForm>) -> Response {
    let p = f.who;
    if p.acting.is_some() {
        // How a person is told is theirs to choose; a representative does not choose it.
        let l = &p.l;
        return page_with_status(
            l,
            Area::Portal,
            "/portal/inbox",
            Some(&p.csrf),
            &l.t("forbidden-title"),
            html! { p { (l.t("preferences-own-only")) } },
            axum::http::StatusCode::FORBIDDEN,
        );
    }
    let mut channels = Vec::new();
    if f.form.sms.is_some() {
        channels.push("sms".to_owned());
    }
    if f.form.email.is_some() {
        channels.push("email".to_owned());
    }
    let prefs = qorgau_store::outbox::Preferences {
        channels,
        digest: f.form.digest.is_some(),
    };
    match app
        .store
        .set_subject_preferences(p.subject, prefs, app.clock.now())
        .await
    {
        Ok(_) => see_other("/portal/inbox"),
        Err(e) => {
            let l = &p.l;
            portal_page(
                &p,
                "/portal/inbox",
                &l.t("nav-inbox"),
                html! { (error_box(Some(&l.problem(&e)))) p { a href="/portal/inbox" { (l.t("back")) } } },
            )
        }
    }
}
