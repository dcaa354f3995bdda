//! The console's settings: the organization's record, its person responsible for
//! the processing (Art. 25(2)(10), 25(3)) and policy document (Art. 25(2)(1-1)), its
//! API keys and its webhooks.
//!
//! Who may do what follows the API: the organization's record is open to all its
//! staff; naming the person responsible is for the organization's administrator;
//! adopting a policy for the administrator and the DPO; API keys for the
//! administrator only (keys never manage keys); webhooks for roles with `events`.
//! A secret (an API key, a webhook's signing secret) is shown once, on the page that
//! answers the post that made it: never in an address, never on a later page, and
//! that page is not kept by any cache.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use qorgau_core::auth::Role;
use qorgau_core::consent::Contact;
use qorgau_core::org::{Dpo, Scope};
use qorgau_core::{Error, ErrorCode};
use qorgau_ledger::Actor;
use qorgau_store::orgs::{ApiKeyInfo, NewPolicy, POLICY_TEXT_MAX_BYTES};
use qorgau_store::webhooks::{WebhookEndpoint, EVENTS};
use serde::Deserialize;
use uuid::Uuid;

use super::{csrf_field, error_box, multiline, see_other, Console, Form, Plain, L};
use crate::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/console/organization", get(organization))
        .route("/console/organization/dpo", axum::routing::post(set_dpo))
        .route(
            "/console/organization/policies",
            axum::routing::post(adopt_policy),
        )
        .route("/console/keys", get(keys).post(issue_key))
        .route("/console/keys/{id}/rotate", get(rotate_page).post(rotate))
        .route("/console/keys/{id}/revoke", get(revoke_page).post(revoke))
        .route("/console/webhooks", get(webhooks).post(register_webhook))
        .route("/console/webhooks/{id}", get(webhook))
        .route(
            "/console/webhooks/{id}/disable",
            get(disable_page).post(disable),
        )
}

/// The staff member, for the ledger.
fn actor(c: &Console) -> Actor {
    let id = match &c.session.owner {
        qorgau_store::sessions::SessionOwner::Account { id, .. } => Some(id.to_string()),
        _ => None,
    };
    Actor::new("account", id)
}

/// A page refusing staff whose role may not do this.
fn refused(c: &Console) -> Response {
    let l = &c.l;
    c.page_with_status(
        "/console",
        &l.t("forbidden-title"),
        html! { p { (l.t("settings-role-refused")) } },
        StatusCode::FORBIDDEN,
    )
}

/// A change that did not happen: "not found" for what is not the organization's (or
/// no longer live), else the reason.
fn failure(c: &Console, e: &Error) -> Response {
    if e.code == ErrorCode::NotFound {
        return c.not_found();
    }
    let l = &c.l;
    c.page_with_status(
        "/console",
        &l.t("settings-failed-title"),
        error_box(Some(&l.problem(e))),
        crate::error::status_of(e.code),
    )
}

/// API keys are the organization's administrator's, as in the API.
fn not_org_admin(c: &Console) -> Option<Response> {
    (c.role != Role::OrgAdmin).then(|| refused(c))
}

fn may_name_dpo(c: &Console) -> bool {
    c.role == Role::OrgAdmin
}

fn may_adopt_policy(c: &Console) -> bool {
    matches!(c.role, Role::OrgAdmin | Role::Dpo)
}

/// A page that shows a secret: no cache may keep it.
fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn unprocessable(c: &Console, here: &str, title: &str, body: Markup) -> Response {
    c.page_with_status(here, title, body, StatusCode::UNPROCESSABLE_ENTITY)
}

/// A form field as typed, trimmed; `None` when empty.
fn given(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

// ---- The organization, its DPO and its policy --------------------------------

#[derive(Deserialize, Default, Clone)]
struct DpoForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}
csrf_form!(DpoForm);

#[derive(Deserialize, Default, Clone)]
struct PolicyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    adopted_on: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    sha256: String,
}
csrf_form!(PolicyForm);

/// What the organization page shows besides the record: a form sent back with its
/// error and what was typed.
#[derive(Default)]
struct OrgForms {
    dpo: Option<(String, DpoForm)>,
    policy: Option<(String, PolicyForm)>,
}

async fn organization(State(app): State<App>, c: Console) -> Response {
    org_page(&app, &c, OrgForms::default()).await
}

fn dpo_error(l: &L, e: &Error) -> String {
    match (e.code, e.field.as_deref()) {
        (ErrorCode::ValidationFailed, Some("dpo.name")) => l.t("settings-invalid-dpo-name"),
        (ErrorCode::NoContact, _) => l.t("settings-dpo-contact-required"),
        _ => l.problem(e),
    }
}

fn policy_error(l: &L, e: &Error) -> String {
    match (e.code, e.field.as_deref()) {
        (ErrorCode::ValidationFailed, Some("title")) => l.t("settings-invalid-title"),
        (ErrorCode::ValidationFailed, Some("adopted_on")) => l.t("settings-invalid-adopted-on"),
        (ErrorCode::ValidationFailed, Some("url")) => l.t("settings-invalid-policy-url"),
        (ErrorCode::ValidationFailed, Some("text")) => l.ta(
            "settings-invalid-text",
            &[("max", (POLICY_TEXT_MAX_BYTES / 1024).to_string())],
        ),
        (ErrorCode::ValidationFailed, Some("sha256")) => l.t("settings-invalid-sha256"),
        (ErrorCode::DatesOutOfOrder, _) => {
            let previous = e
                .args
                .iter()
                .find(|(k, _)| *k == "previous")
                .and_then(|(_, v)| v.parse::<jiff::civil::Date>().ok())
                .map(|d| l.date(d))
                .unwrap_or_default();
            l.ta("settings-adopted-before-previous", &[("date", previous)])
        }
        _ => l.problem(e),
    }
}

async fn org_page(app: &App, c: &Console, forms: OrgForms) -> Response {
    let l = &c.l;
    let (org, policies) = match (
        app.store.organization(c.org).await,
        app.store.policies(c.org).await,
    ) {
        (Ok(o), Ok(p)) => (o, p),
        (Err(e), _) | (_, Err(e)) => {
            return c.page_with_status(
                "/console/organization",
                &l.t("settings-org-title"),
                error_box(Some(&l.problem(&e))),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    };
    let failed = forms.dpo.is_some() || forms.policy.is_some();
    let (dpo_err, dpo_values) = match forms.dpo {
        Some((e, v)) => (Some(e), v),
        None => (
            None,
            DpoForm {
                name: org.dpo.name.clone(),
                phone: org.dpo.contact.phone.clone().unwrap_or_default(),
                email: org.dpo.contact.email.clone().unwrap_or_default(),
                ..DpoForm::default()
            },
        ),
    };
    let (policy_err, pv) = match forms.policy {
        Some((e, v)) => (Some(e), v),
        None => (None, PolicyForm::default()),
    };
    let body = html! {
        section aria-labelledby="record" {
            h2 id="record" { (l.t("settings-record-title")) }
            dl.terms {
                dt { (l.t("settings-org-name")) } dd { (org.name) }
                dt { (l.t("bin")) } dd { (org.bin.as_string()) }
                dt { (l.t("settings-org-kind")) } dd { (l.ta("settings-kind", &[("kind", org.kind.as_str().to_owned())])) }
                dt { (l.t("settings-org-registered")) } dd { (l.time(org.created_at)) }
            }
        }
        section aria-labelledby="dpo" {
            h2 id="dpo" { (l.t("settings-dpo-title")) }
            p { (l.t("settings-dpo-intro")) }
            dl.terms {
                dt { (l.t("settings-dpo-name")) } dd { (org.dpo.name) }
                @if let Some(p) = &org.dpo.contact.phone {
                    dt { (l.t("settings-dpo-phone")) } dd { (p) }
                }
                @if let Some(e) = &org.dpo.contact.email {
                    dt { (l.t("settings-dpo-email")) } dd { (e) }
                }
            }
            @if may_name_dpo(c) {
                h3 { (l.t("settings-dpo-change-title")) }
                (error_box(dpo_err.as_deref()))
                form method="post" action="/console/organization/dpo" {
                    (csrf_field(&c.csrf))
                    label for="dpo-name" { (l.t("settings-dpo-name")) }
                    input id="dpo-name" name="name" required maxlength="200" autocomplete="off" value=(dpo_values.name);
                    label for="dpo-phone" { (l.t("settings-dpo-phone")) }
                    input id="dpo-phone" name="phone" type="tel" maxlength="16" autocomplete="off" aria-describedby="dpo-contact-hint" value=(dpo_values.phone);
                    label for="dpo-email" { (l.t("settings-dpo-email")) }
                    input id="dpo-email" name="email" type="email" maxlength="254" autocomplete="off" aria-describedby="dpo-contact-hint" value=(dpo_values.email);
                    p.hint id="dpo-contact-hint" { (l.t("settings-dpo-contact-hint")) }
                    button type="submit" { (l.t("settings-dpo-save")) }
                }
            } @else {
                p.notice { (l.t("settings-dpo-read-only")) }
            }
        }
        section aria-labelledby="policy" {
            h2 id="policy" { (l.t("settings-policy-title")) }
            p { (l.t("settings-policy-intro")) }
            @if policies.is_empty() {
                p { (l.t("settings-policy-none")) }
            } @else {
                @let labels = [l.t("settings-policy-version"), l.t("settings-policy-doc-title"), l.t("settings-policy-adopted-on"), l.t("settings-policy-document"), l.t("settings-policy-sha256"), l.t("settings-policy-recorded")];
                table.policies {
                    caption { (l.t("settings-policy-caption")) }
                    (super::header_row(&labels))
                    tbody {
                        @for (i, p) in policies.iter().enumerate() {
                            tr {
                                th scope="row" data-label=(labels[0]) {
                                    (p.version)
                                    @if i == 0 { " " span.state.state-active { (l.t("settings-policy-current")) } }
                                }
                                td data-label=(labels[1]) { (p.title) }
                                td data-label=(labels[2]) { (l.date(p.adopted_on)) }
                                td data-label=(labels[3]) {
                                    @if let Some(u) = &p.url {
                                        a href=(u) rel="noopener noreferrer" { (l.t("settings-policy-open")) }
                                    }
                                    @if let Some(t) = &p.text {
                                        details {
                                            summary { (l.t("settings-policy-text")) }
                                            div.policy-text { (multiline(t)) }
                                        }
                                    }
                                }
                                td data-label=(labels[4]) { code.hash { (p.sha256) } }
                                td data-label=(labels[5]) { (l.time(p.recorded_at)) }
                            }
                        }
                    }
                }
            }
            @if may_adopt_policy(c) {
                h3 { (l.t("settings-policy-adopt-title")) }
                (error_box(policy_err.as_deref()))
                form method="post" action="/console/organization/policies" {
                    (csrf_field(&c.csrf))
                    label for="policy-title" { (l.t("settings-policy-doc-title")) }
                    input id="policy-title" name="title" required maxlength="300" value=(pv.title);
                    label for="policy-adopted" { (l.t("settings-policy-adopted-on")) }
                    input id="policy-adopted" name="adopted_on" type="date" required min="2013-05-21" value=(pv.adopted_on);
                    label for="policy-url" { (l.t("settings-policy-url")) }
                    input id="policy-url" name="url" type="url" maxlength="2000" pattern="https://.+" aria-describedby="policy-url-hint" value=(pv.url);
                    p.hint id="policy-url-hint" { (l.t("settings-policy-url-hint")) }
                    label for="policy-text" { (l.t("settings-policy-text")) }
                    textarea id="policy-text" name="text" rows="8" aria-describedby="policy-text-hint" { (pv.text) }
                    p.hint id="policy-text-hint" { (l.ta("settings-policy-text-hint", &[("max", (POLICY_TEXT_MAX_BYTES / 1024).to_string())])) }
                    label for="policy-sha256" { (l.t("settings-policy-sha256")) }
                    input id="policy-sha256" name="sha256" maxlength="64" autocomplete="off" spellcheck="false" aria-describedby="policy-sha256-hint" value=(pv.sha256);
                    p.hint id="policy-sha256-hint" { (l.t("settings-policy-sha256-hint")) }
                    button type="submit" { (l.t("settings-policy-adopt")) }
                }
            } @else {
                p.notice { (l.t("settings-policy-read-only")) }
            }
        }
    };
    let title = l.t("settings-org-title");
    if failed {
        unprocessable(c, "/console/organization", &title, body)
    } else {
        c.page("/console/organization", &title, body)
    }
}

async fn set_dpo(State(app): State<App>, f: Form<Console, DpoForm>) -> Response {
    let c = f.who;
    if !may_name_dpo(&c) {
        return refused(&c);
    }
    let v = f.form;
    let dpo = Dpo {
        name: v.name.trim().to_owned(),
        contact: Contact {
            phone: given(&v.phone),
            email: given(&v.email),
        },
    };
    match app
        .store
        .set_dpo(c.org, dpo, actor(&c), app.clock.now())
        .await
    {
        Ok(_) => see_other("/console/organization#dpo"),
        Err(e) => {
            let msg = dpo_error(&c.l, &e);
            org_page(
                &app,
                &c,
                OrgForms {
                    dpo: Some((msg, v)),
                    policy: None,
                },
            )
            .await
        }
    }
}

async fn adopt_policy(State(app): State<App>, f: Form<Console, PolicyForm>) -> Response {
    let c = f.who;
    if !may_adopt_policy(&c) {
        return refused(&c);
    }
    let v = f.form;
    let now = app.clock.now();
    let today = now.to_zoned(app.deadlines.tz.clone()).date();
    let result = match v.adopted_on.trim().parse::<jiff::civil::Date>() {
        Err(_) => Err(Error::new(ErrorCode::ValidationFailed).at("adopted_on")),
        Ok(adopted_on) => {
            // Browsers send a textarea's line breaks as CR LF; the text is kept (and
            // hashed) with LF.
            let text = Some(v.text.replace("\r\n", "\n")).filter(|t| !t.trim().is_empty());
            let new = NewPolicy {
                title: v.title.trim().to_owned(),
                adopted_on,
                url: given(&v.url),
                text,
                sha256: given(&v.sha256),
            };
            app.store
                .adopt_policy(c.org, new, today, actor(&c), now)
                .await
        }
    };
    match result {
        Ok(_) => see_other("/console/organization#policy"),
        Err(e) => {
            let msg = policy_error(&c.l, &e);
            org_page(
                &app,
                &c,
                OrgForms {
                    dpo: None,
                    policy: Some((msg, v)),
                },
            )
            .await
        }
    }
}

// ---- API keys -----------------------------------------------------------------

/// A scope as a form field's name and an element id.
fn scope_field(s: Scope) -> String {
    format!("scope-{}", s.as_str())
}
fn scope_id(s: Scope) -> String {
    format!("scope-{}", s.as_str().replace(':', "-"))
}
fn scope_name(l: &L, s: Scope) -> String {
    l.ta("settings-scope", &[("scope", s.as_str().replace(':', "-"))])
}

fn key_state(l: &L, k: &ApiKeyInfo, now: jiff::Timestamp) -> Markup {
    html! {
        @if let Some(at) = k.revoked_at {
            span.state.state-revoked { (l.t("settings-key-revoked")) } " " small { (l.time(at)) }
        } @else if let Some(at) = k.expires_at {
            @if at <= now {
                span.state.state-revoked { (l.t("settings-key-ended")) } " " small { (l.time(at)) }
            } @else {
                span.state.state-pending { (l.ta("settings-key-ends", &[("time", l.time(at))])) }
            }
        } @else {
            span.state.state-active { (l.t("settings-key-active")) }
        }
    }
}

fn live(k: &ApiKeyInfo) -> bool {
    k.revoked_at.is_none() && k.replaced_by.is_none()
}

#[derive(Deserialize, Default)]
struct KeyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
    /// The checked scopes, as `scope-<scope>` fields.
    #[serde(flatten)]
    rest: HashMap<String, String>,
}
csrf_form!(KeyForm);

impl KeyForm {
    fn scopes(&self) -> Vec<Scope> {
        Scope::ALL
            .iter()
            .copied()
            .filter(|s| self.rest.contains_key(&scope_field(*s)))
            .collect()
    }
}

async fn keys(State(app): State<App>, c: Console) -> Response {
    keys_page(&app, &c, None).await
}

async fn keys_page(app: &App, c: &Console, form: Option<(String, KeyForm)>) -> Response {
    if let Some(r) = not_org_admin(c) {
        return r;
    }
    let l = &c.l;
    let now = app.clock.now();
    let list = app.store.api_keys(Some(c.org)).await;
    let failed = form.is_some();
    let (err, label, checked) = match form {
        Some((e, f)) => {
            let s = f.scopes();
            (Some(e), f.label, s)
        }
        None => (None, String::new(), Scope::ALL.to_vec()),
    };
    let body = html! {
        p { (l.t("settings-keys-intro")) }
        @match &list {
            Ok(keys) if !keys.is_empty() => {
                @let labels = [l.t("settings-key-label"), l.t("settings-key-scopes"), l.t("settings-key-created"), l.t("settings-key-last-used"), l.t("state"), l.t("settings-actions")];
                table.keys {
                    caption { (l.t("settings-keys-caption")) }
                    (super::header_row(&labels))
                    tbody {
                        @for k in keys {
                            tr {
                                th scope="row" data-label=(labels[0]) { (k.label) }
                                td data-label=(labels[1]) { (k.scopes.iter().map(|s| scope_name(l, *s)).collect::<Vec<_>>().join(", ")) }
                                td data-label=(labels[2]) { (l.time(k.created_at)) }
                                td data-label=(labels[3]) { @match k.last_used_at { Some(t) => (l.time(t)), None => (l.t("settings-never")) } }
                                td data-label=(labels[4]) { (key_state(l, k, now)) }
                                td data-label=(labels[5]) {
                                    @if live(k) {
                                        div.actions {
                                            a href={ "/console/keys/" (k.id) "/rotate" } { (l.t("settings-key-rotate")) }
                                            a href={ "/console/keys/" (k.id) "/revoke" } { (l.t("settings-key-revoke")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Ok(_) => { p { (l.t("settings-keys-none")) } }
            Err(e) => { (error_box(Some(&l.problem(e)))) }
        }
        section aria-labelledby="issue" {
            h2 id="issue" { (l.t("settings-key-issue-title")) }
            (error_box(err.as_deref()))
            form method="post" action="/console/keys" {
                (csrf_field(&c.csrf))
                label for="key-label" { (l.t("settings-key-label")) }
                input id="key-label" name="label" required maxlength="200" autocomplete="off" value=(label);
                fieldset {
                    legend { (l.t("settings-key-scopes")) }
                    @for s in Scope::ALL {
                        div.check {
                            input type="checkbox" id=(scope_id(*s)) name=(scope_field(*s)) value="on" checked[checked.contains(s)];
                            label for=(scope_id(*s)) { (scope_name(l, *s)) }
                        }
                    }
                }
                button type="submit" { (l.t("settings-key-issue")) }
            }
        }
    };
    let title = l.t("settings-keys-title");
    if failed {
        unprocessable(c, "/console/keys", &title, body)
    } else {
        c.page("/console/keys", &title, body)
    }
}

/// The page that shows a new key's secret, this once.
fn key_secret_page(c: &Console, title: &str, key: &ApiKeyInfo, token: &str) -> Response {
    let l = &c.l;
    let body = html! {
        p.notice role="status" { (l.t("settings-secret-once")) }
        dl.terms {
            dt { (l.t("settings-key-label")) } dd { (key.label) }
            dt { (l.t("settings-key-scopes")) } dd { (key.scopes.iter().map(|s| scope_name(l, *s)).collect::<Vec<_>>().join(", ")) }
        }
        h2 { (l.t("settings-key-secret")) }
        p { code.secret id="secret" { (token) } }
        p { (l.t("settings-key-usage")) }
        p { a.button href="/console/keys" { (l.t("settings-done")) } }
    };
    no_store(c.page("/console/keys", title, body))
}

async fn issue_key(State(app): State<App>, f: Form<Console, KeyForm>) -> Response {
    let c = f.who;
    if let Some(r) = not_org_admin(&c) {
        return r;
    }
    let form = f.form;
    let scopes = form.scopes();
    if scopes.is_empty() {
        let msg = c.l.t("settings-key-scopes-required");
        return keys_page(&app, &c, Some((msg, form))).await;
    }
    match app
        .store
        .create_api_key(
            Some(c.org),
            form.label.trim().to_owned(),
            scopes,
            actor(&c),
            app.clock.now(),
        )
        .await
    {
        Ok((key, token)) => key_secret_page(&c, &c.l.t("settings-key-issued-title"), &key, &token),
        Err(e) => {
            let msg = match (e.code, e.field.as_deref()) {
                (ErrorCode::ValidationFailed, Some("label")) => c.l.t("settings-invalid-label"),
                _ => c.l.problem(&e),
            };
            keys_page(&app, &c, Some((msg, form))).await
        }
    }
}

/// A live key of the organization, for an administrator's confirmation page.
async fn live_key(app: &App, c: &Console, id: Uuid) -> Result<ApiKeyInfo, Response> {
    if let Some(r) = not_org_admin(c) {
        return Err(r);
    }
    match app.store.api_key(id, Some(c.org)).await {
        Ok(k) if live(&k) => Ok(k),
        _ => Err(c.not_found()),
    }
}

/// How long a rotated key keeps working beside the new one.
const GRACE_CHOICES: [i64; 4] = [0, 3600, 86400, 7 * 86400];

async fn rotate_page(State(app): State<App>, c: Console, Path(id): Path<Uuid>) -> Response {
    let k = match live_key(&app, &c, id).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let l = &c.l;
    let here = format!("/console/keys/{id}/rotate");
    let body = html! {
        p { (l.ta("settings-rotate-confirm", &[("label", k.label.clone())])) }
        form method="post" action=(here) {
            (csrf_field(&c.csrf))
            label for="grace" { (l.t("settings-rotate-grace")) }
            select id="grace" name="grace_seconds" {
                @for g in GRACE_CHOICES {
                    option value=(g) { (l.ta("settings-grace", &[("seconds", g.to_string())])) }
                }
            }
            div.actions {
                button type="submit" { (l.t("settings-key-rotate")) }
                a.button.secondary href="/console/keys" { (l.t("cancel")) }
            }
        }
    };
    c.page(&here, &l.t("settings-rotate-title"), body)
}

#[derive(Deserialize)]
struct RotateForm {
    csrf: String,
    #[serde(default)]
    grace_seconds: String,
}
csrf_form!(RotateForm);

async fn rotate(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    f: Form<Console, RotateForm>,
) -> Response {
    let c = f.who;
    if let Some(r) = not_org_admin(&c) {
        return r;
    }
    let Some(grace) = f
        .form
        .grace_seconds
        .parse::<i64>()
        .ok()
        .filter(|g| GRACE_CHOICES.contains(g))
    else {
        return c.not_found();
    };
    match app
        .store
        .rotate_api_key(
            id,
            Some(c.org),
            jiff::SignedDuration::from_secs(grace),
            actor(&c),
            app.clock.now(),
        )
        .await
    {
        Ok((key, token)) => key_secret_page(&c, &c.l.t("settings-key-rotated-title"), &key, &token),
        Err(e) => failure(&c, &e),
    }
}

async fn revoke_page(State(app): State<App>, c: Console, Path(id): Path<Uuid>) -> Response {
    let k = match live_key(&app, &c, id).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let l = &c.l;
    let here = format!("/console/keys/{id}/revoke");
    let body = html! {
        p { (l.ta("settings-revoke-confirm", &[("label", k.label.clone())])) }
        p { (l.t("settings-revoke-effect")) }
        form method="post" action=(here) {
            (csrf_field(&c.csrf))
            div.actions {
                button.danger type="submit" { (l.t("settings-revoke-yes")) }
                a.button.secondary href="/console/keys" { (l.t("cancel")) }
            }
        }
    };
    c.page(&here, &l.t("settings-revoke-title"), body)
}

async fn revoke(State(app): State<App>, Path(id): Path<Uuid>, f: Form<Console, Plain>) -> Response {
    let c = f.who;
    if let Some(r) = not_org_admin(&c) {
        return r;
    }
    match app
        .store
        .revoke_api_key(id, Some(c.org), actor(&c), app.clock.now())
        .await
    {
        Ok(()) => see_other("/console/keys"),
        Err(e) => failure(&c, &e),
    }
}

// ---- Webhooks -----------------------------------------------------------------

fn event_field(e: &str) -> String {
    format!("event-{e}")
}
fn event_id(e: &str) -> String {
    format!("event-{}", e.replace('.', "-"))
}
fn event_name(l: &L, e: &str) -> String {
    l.ta("settings-event", &[("event", e.replace('.', "-"))])
}

fn endpoint_events(l: &L, w: &WebhookEndpoint) -> String {
    if w.events.is_empty() {
        l.t("settings-events-all")
    } else {
        w.events
            .iter()
            .map(|e| event_name(l, e))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn endpoint_state(l: &L, w: &WebhookEndpoint) -> Markup {
    html! {
        @match w.disabled_at {
            Some(at) => { span.state.state-revoked { (l.t("settings-webhook-disabled")) } " " small { (l.time(at)) } }
            None => { span.state.state-active { (l.t("settings-webhook-live")) } }
        }
    }
}

#[derive(Deserialize, Default)]
struct WebhookForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
    /// The checked events, as `event-<event>` fields.
    #[serde(flatten)]
    rest: HashMap<String, String>,
}
csrf_form!(WebhookForm);

impl WebhookForm {
    fn events(&self) -> Vec<String> {
        EVENTS
            .iter()
            .filter(|e| self.rest.contains_key(&event_field(e)))
            .map(|e| (*e).to_owned())
            .collect()
    }
}

async fn webhooks(State(app): State<App>, c: Console) -> Response {
    webhooks_page(&app, &c, None).await
}

async fn webhooks_page(app: &App, c: &Console, form: Option<(String, WebhookForm)>) -> Response {
    if let Some(r) = c.lacks(Scope::Events) {
        return r;
    }
    let l = &c.l;
    let list = app.store.webhooks(c.org).await;
    let failed = form.is_some();
    let (err, url, checked) = match form {
        Some((e, f)) => {
            let ev = f.events();
            (Some(e), f.url, ev)
        }
        None => (
            None,
            String::new(),
            EVENTS.iter().map(|e| (*e).to_owned()).collect(),
        ),
    };
    let body = html! {
        p { (l.t("settings-webhooks-intro")) }
        @match &list {
            Ok(list) if !list.is_empty() => {
                @let labels = [l.t("settings-webhook-url"), l.t("settings-webhook-events"), l.t("settings-webhook-created"), l.t("state")];
                table.webhooks {
                    caption { (l.t("settings-webhooks-caption")) }
                    (super::header_row(&labels))
                    tbody {
                        @for w in list {
                            tr {
                                th scope="row" data-label=(labels[0]) { a.url href={ "/console/webhooks/" (w.id) } { (w.url) } }
                                td data-label=(labels[1]) { (endpoint_events(l, w)) }
                                td data-label=(labels[2]) { (l.time(w.created_at)) }
                                td data-label=(labels[3]) { (endpoint_state(l, w)) }
                            }
                        }
                    }
                }
            }
            Ok(_) => { p { (l.t("settings-webhooks-none")) } }
            Err(e) => { (error_box(Some(&l.problem(e)))) }
        }
        section aria-labelledby="register" {
            h2 id="register" { (l.t("settings-webhook-register-title")) }
            (error_box(err.as_deref()))
            form method="post" action="/console/webhooks" {
                (csrf_field(&c.csrf))
                label for="webhook-url" { (l.t("settings-webhook-url")) }
                input id="webhook-url" name="url" type="url" required maxlength="2000" autocomplete="off" aria-describedby="webhook-url-hint" value=(url);
                p.hint id="webhook-url-hint" { (l.t("settings-webhook-url-hint")) }
                fieldset {
                    legend { (l.t("settings-webhook-events")) }
                    @for e in EVENTS {
                        div.check {
                            input type="checkbox" id=(event_id(e)) name=(event_field(e)) value="on" checked[checked.iter().any(|x| x == e)];
                            label for=(event_id(e)) { (event_name(l, e)) }
                        }
                    }
                }
                button type="submit" { (l.t("settings-webhook-register")) }
            }
        }
    };
    let title = l.t("settings-webhooks-title");
    if failed {
        unprocessable(c, "/console/webhooks", &title, body)
    } else {
        c.page("/console/webhooks", &title, body)
    }
}

async fn register_webhook(State(app): State<App>, f: Form<Console, WebhookForm>) -> Response {
    let c = f.who;
    if let Some(r) = c.lacks(Scope::Events) {
        return r;
    }
    let form = f.form;
    let events = form.events();
    if events.is_empty() {
        let msg = c.l.t("settings-webhook-events-required");
        return webhooks_page(&app, &c, Some((msg, form))).await;
    }
    match app
        .store
        .create_webhook(
            c.org,
            form.url.trim().to_owned(),
            events,
            actor(&c),
            app.clock.now(),
        )
        .await
    {
        Ok((w, secret)) => {
            let l = &c.l;
            let body = html! {
                p.notice role="status" { (l.t("settings-secret-once")) }
                dl.terms {
                    dt { (l.t("settings-webhook-url")) } dd.url { (w.url) }
                    dt { (l.t("settings-webhook-events")) } dd { (endpoint_events(l, &w)) }
                }
                h2 { (l.t("settings-webhook-secret")) }
                p { code.secret id="secret" { (secret) } }
                p { (l.t("settings-webhook-secret-usage")) }
                p { a.button href="/console/webhooks" { (l.t("settings-done")) } }
            };
            no_store(c.page(
                "/console/webhooks",
                &l.t("settings-webhook-registered-title"),
                body,
            ))
        }
        Err(e) => {
            let msg = match (e.code, e.field.as_deref()) {
                (ErrorCode::ValidationFailed, Some("url"))
                    if e.args.iter().any(|(k, _)| *k == "max") =>
                {
                    c.l.t("settings-webhook-too-many")
                }
                (ErrorCode::ValidationFailed, Some("url")) => c.l.t("settings-invalid-webhook-url"),
                _ => c.l.problem(&e),
            };
            webhooks_page(&app, &c, Some((msg, form))).await
        }
    }
}

/// One of the organization's endpoints.
async fn endpoint(app: &App, c: &Console, id: Uuid) -> Result<WebhookEndpoint, Response> {
    let found = app
        .store
        .webhooks(c.org)
        .await
        .ok()
        .and_then(|l| l.into_iter().find(|w| w.id == id));
    found.ok_or_else(|| c.not_found())
}

async fn webhook(State(app): State<App>, c: Console, Path(id): Path<Uuid>) -> Response {
    if let Some(r) = c.lacks(Scope::Events) {
        return r;
    }
    let w = match endpoint(&app, &c, id).await {
        Ok(w) => w,
        Err(r) => return r,
    };
    let l = &c.l;
    let deliveries = app.store.webhook_deliveries(c.org, id, 50).await;
    let here = format!("/console/webhooks/{id}");
    let body = html! {
        dl.terms {
            dt { (l.t("settings-webhook-url")) } dd.url { (w.url) }
            dt { (l.t("settings-webhook-events")) } dd { (endpoint_events(l, &w)) }
            dt { (l.t("settings-webhook-created")) } dd { (l.time(w.created_at)) }
            dt { (l.t("state")) } dd { (endpoint_state(l, &w)) }
        }
        @if w.disabled_at.is_none() {
            p { a.button.danger href={ (here) "/disable" } { (l.t("settings-webhook-disable")) } }
        }
        section aria-labelledby="deliveries" {
            h2 id="deliveries" { (l.t("settings-deliveries-title")) }
            @match &deliveries {
                Ok(list) if !list.is_empty() => {
                    @let labels = [l.t("settings-delivery-event"), l.t("settings-delivery-created"), l.t("state"), l.t("settings-delivery-attempts"), l.t("settings-delivery-last-error")];
                    table.deliveries {
                        caption { (l.t("settings-deliveries-caption")) }
                        (super::header_row(&labels))
                        tbody {
                            @for d in list {
                                tr {
                                    th scope="row" data-label=(labels[0]) { (event_name(l, &d.event)) }
                                    td data-label=(labels[1]) { (l.time(d.created_at)) }
                                    td data-label=(labels[2]) {
                                        span class={ "state state-" (d.status) } { (l.ta("settings-delivery-status", &[("status", d.status.clone())])) }
                                        @if let Some(t) = d.delivered_at { " " small { (l.time(t)) } }
                                    }
                                    td data-label=(labels[3]) { (d.attempts) }
                                    td data-label=(labels[4]) { @if let Some(e) = &d.last_error { (e) } }
                                }
                            }
                        }
                    }
                }
                Ok(_) => { p { (l.t("settings-deliveries-none")) } }
                Err(e) => { (error_box(Some(&l.problem(e)))) }
            }
        }
        p { a href="/console/webhooks" { (l.t("back")) } }
    };
    c.page(&here, &l.t("settings-webhook-title"), body)
}

async fn disable_page(State(app): State<App>, c: Console, Path(id): Path<Uuid>) -> Response {
    if let Some(r) = c.lacks(Scope::Events) {
        return r;
    }
    let w = match endpoint(&app, &c, id).await {
        Ok(w) if w.disabled_at.is_none() => w,
        Ok(_) => return c.not_found(),
        Err(r) => return r,
    };
    let l = &c.l;
    let here = format!("/console/webhooks/{id}/disable");
    let body = html! {
        p { (l.t("settings-disable-confirm")) }
        p { code.url { (w.url) } }
        p { (l.t("settings-disable-effect")) }
        form method="post" action=(here) {
            (csrf_field(&c.csrf))
            div.actions {
                button.danger type="submit" { (l.t("settings-disable-yes")) }
                a.button.secondary href={ "/console/webhooks/" (id) } { (l.t("cancel")) }
            }
        }
    };
    c.page(&here, &l.t("settings-disable-title"), body)
}

async fn disable(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    f: Form<Console, Plain>,
) -> Response {
    let c = f.who;
    if let Some(r) = c.lacks(Scope::Events) {
        return r;
    }
    match app
        .store
        .disable_webhook(c.org, id, actor(&c), app.clock.now())
        .await
    {
        Ok(()) => see_other(&format!("/console/webhooks/{id}")),
        Err(e) => failure(&c, &e),
    }
}
