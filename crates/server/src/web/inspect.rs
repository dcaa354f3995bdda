//! The inspector's view (the authorized body; service administrators too), read
//! only and always behind MFA: organizations, overdue requests, ledger checkpoints
//! and evidence bundles for an inspection.
//!
//! What an inspector sees of a request is its kind, state and deadline: the request
//! lists give summaries only, never the subject or what anyone wrote. Nothing here
//! changes an organization's or a subject's data; the one thing written is the record
//! of each evidence export (the ledger and the security log: the account, the
//! selection).

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use jiff::civil::Date;
use maud::{html, Markup};
use qorgau_core::auth::Role;
use qorgau_core::calendar::Calendar;
use qorgau_ledger::entry::hex;
use qorgau_store::ledger::{EvidenceExport, VerifyReport};
use qorgau_store::orgs::Organization;
use qorgau_store::requests::{OrganizationCounts, RequestFilter, RequestViewer};
use qorgau_store::sessions::{Session, SessionOwner, Stage};
use serde::Deserialize;
use uuid::Uuid;

use super::console::{request_filters, STATES};
use super::portal::request_state;
use super::{
    cookie_session, csrf_field, error_box, not_found, page, page_with_status, signed_out,
    urlencode, Area, Form, Plain, Signed, ToSignIn, L,
};
use crate::App;

/// The most ledger positions one export from the page may span; larger selections
/// are for `qorgau ledger export` on the server.
const MAX_EXPORT: u64 = 100_000;
/// Checkpoints listed on the ledger page.
const CHECKPOINTS_SHOWN: u32 = 20;
/// Requests per page of a list.
const PAGE_SIZE: u32 = 100;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/inspect", get(organizations))
        .route("/inspect/organizations/{id}", get(organization))
        .route("/inspect/overdue", get(overdue))
        .route("/inspect/ledger", get(ledger))
        .route("/inspect/ledger/verify", post(verify))
        .route("/inspect/evidence", post(export))
        .route("/inspect/sign-out", post(sign_out))
}

/// An inspector of the authorized body, or a service administrator, past MFA: staff
/// of no organization.
pub struct Inspector {
    /// The account (recorded with each export).
    pub account: Uuid,
    pub role: Role,
    pub session: Session,
    pub csrf: String,
    pub l: L,
}

impl FromRequestParts<App> for Inspector {
    type Rejection = ToSignIn;
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ToSignIn> {
        let s = cookie_session(app, &parts.headers)
            .await
            .ok_or(ToSignIn("/console/sign-in"))?;
        match (s.owner, s.stage) {
            (
                SessionOwner::Account {
                    id,
                    role: role @ (Role::Inspector | Role::ServiceAdmin),
                    organization: None,
                },
                Stage::Active,
            ) => Ok(Inspector {
                account: id,
                role,
                csrf: app.store.csrf_token(&s.id),
                session: s,
                l: L::new(app, &parts.headers),
            }),
            (SessionOwner::Account { .. }, Stage::Mfa) => Err(ToSignIn("/console/sign-in/mfa")),
            // An organization's staff have their console.
            (
                SessionOwner::Account {
                    organization: Some(_),
                    ..
                },
                Stage::Active,
            ) => Err(ToSignIn("/console")),
            _ => Err(ToSignIn("/console/sign-in")),
        }
    }
}

impl Signed for Inspector {
    fn csrf_token(&self) -> &str {
        &self.csrf
    }
}

async fn sign_out(State(app): State<App>, f: Form<Inspector, Plain>) -> Response {
    let _ = app
        .store
        .revoke_session(f.who.session, app.clock.now())
        .await;
    signed_out("/console/sign-in")
}

fn failure(l: &L, csrf: &str) -> Response {
    page_with_status(
        l,
        Area::Inspect,
        "/inspect",
        Some(csrf),
        &l.t("failure-title"),
        html! { p { (l.t("failure-text")) } },
        StatusCode::SERVICE_UNAVAILABLE,
    )
}

fn org_kind(l: &L, o: &Organization) -> String {
    l.ta("inspect-org-kind", &[("kind", o.kind.as_str().to_owned())])
}

/// The person responsible (Art. 25(3)) as the organization registered them.
fn dpo(o: &Organization) -> Markup {
    let c = &o.dpo.contact;
    html! {
        (o.dpo.name)
        @if let Some(e) = &c.email { br; a href={ "mailto:" (e) } { (e) } }
        @if let Some(p) = &c.phone { br; a href={ "tel:" (p) } { (p) } }
    }
}

/// Working days from the day after `due` through `today`: how late an overdue
/// request is (0 when only days off have passed since its last day).
pub(crate) fn working_days_late(cal: &Calendar, due: Date, today: Date) -> u32 {
    let mut n = 0;
    let mut d = due;
    // Ten years at most: no request waits longer, and a page stays cheap.
    for _ in 0..3700 {
        let Ok(next) = d.tomorrow() else { break };
        if next > today {
            break;
        }
        d = next;
        if cal.is_working_day(d) {
            n += 1;
        }
    }
    n
}

fn today(app: &App) -> Date {
    app.clock.now().to_zoned(app.deadlines.tz.clone()).date()
}

async fn organizations(State(app): State<App>, i: Inspector) -> Response {
    let l = &i.l;
    let (orgs, counts) = match (
        app.store.list_organizations().await,
        app.store.organization_counts(app.clock.now()).await,
    ) {
        (Ok(o), Ok(c)) => (o, c),
        _ => return failure(l, &i.csrf),
    };
    let labels = [
        l.t("inspect-name"),
        l.t("bin"),
        l.t("inspect-kind"),
        l.t("inspect-dpo"),
        l.t("inspect-open"),
        l.t("inspect-overdue"),
        l.t("inspect-late"),
        l.t("inspect-consents"),
    ];
    let body = html! {
        p { (l.t("inspect-orgs-intro")) }
        @if orgs.is_empty() {
            p { (l.t("inspect-orgs-none")) }
        } @else {
            table.inspect {
                caption { (l.t("inspect-orgs-caption")) }
                (super::header_row_numeric(&labels, |n| n >= 4))
                tbody {
                    @for o in &orgs {
                        @let c = counts.get(&o.id).copied().unwrap_or_default();
                        tr class=[(c.overdue_requests > 0).then_some("overdue")] {
                            th scope="row" data-label=(labels[0]) { a href={ "/inspect/organizations/" (o.id) } { (o.name) } }
                            td data-label=(labels[1]) { (o.bin.as_string()) }
                            td data-label=(labels[2]) { (org_kind(l, o)) }
                            td data-label=(labels[3]) { (dpo(o)) }
                            td.num data-label=(labels[4]) { (c.open_requests) }
                            td.num data-label=(labels[5]) { (c.overdue_requests) }
                            td.num data-label=(labels[6]) { (c.answered_late) }
                            td.num data-label=(labels[7]) { (c.consents_in_force) }
                        }
                    }
                }
            }
        }
    };
    page(
        l,
        Area::Inspect,
        "/inspect",
        Some(&i.csrf),
        &l.t("inspect-orgs-title"),
        body,
    )
}

#[derive(Deserialize)]
struct RequestsQuery {
    state: Option<String>,
    overdue: Option<String>,
    cursor: Option<String>,
}

fn counts_list(l: &L, c: &OrganizationCounts) -> Markup {
    html! {
        dt { (l.t("inspect-open")) } dd { (c.open_requests) }
        dt { (l.t("inspect-overdue")) } dd { (c.overdue_requests) }
        dt { (l.t("inspect-late")) } dd { (c.answered_late) }
        dt { (l.t("inspect-consents")) } dd { (c.consents_in_force) }
    }
}

async fn organization(
    State(app): State<App>,
    i: Inspector,
    Path(id): Path<String>,
    Query(q): Query<RequestsQuery>,
) -> Response {
    let l = &i.l;
    let Ok(id) = id.parse::<Uuid>() else {
        return not_found(l, Area::Inspect, Some(&i.csrf));
    };
    let org = match app.store.organization(id).await {
        Ok(o) => o,
        Err(e) if e.code == qorgau_core::ErrorCode::NotFound => {
            return not_found(l, Area::Inspect, Some(&i.csrf))
        }
        Err(_) => return failure(l, &i.csrf),
    };
    let now = app.clock.now();
    let Ok(counts) = app.store.organization_counts(now).await else {
        return failure(l, &i.csrf);
    };
    let c = counts.get(&id).copied().unwrap_or_default();
    let state = q
        .state
        .as_deref()
        .and_then(|s| STATES.iter().copied().find(|x| x.as_str() == s));
    let only_overdue = q.overdue.is_some();
    let f = RequestFilter {
        state,
        overdue: only_overdue,
        cursor: q.cursor.clone().filter(|c| !c.is_empty()),
        limit: PAGE_SIZE,
    };
    // The organization's requests as summaries (kind, state, deadline): the list
    // carries no subject and no content whoever looks.
    let list = app
        .store
        .requests(RequestViewer::Organization(id), f, now)
        .await;
    let here = format!("/inspect/organizations/{id}");
    let cal = app.calendar();
    let day = today(&app);
    let next_link = |cursor: &str| {
        let mut s = format!("{here}?cursor={}", urlencode(cursor));
        if let Some(st) = state {
            s.push_str(&format!("&state={}", st.as_str()));
        }
        if only_overdue {
            s.push_str("&overdue=on");
        }
        s
    };
    let body = html! {
        dl.terms {
            dt { (l.t("bin")) } dd { (org.bin.as_string()) }
            dt { (l.t("inspect-kind")) } dd { (org_kind(l, &org)) }
            dt { (l.t("inspect-dpo-full")) } dd { (dpo(&org)) }
            dt { (l.t("inspect-registered")) } dd { (l.time(org.created_at)) }
            (counts_list(l, &c))
        }
        section aria-labelledby="requests" {
            h2 id="requests" { (l.t("inspect-requests-title")) }
            p { (l.t("inspect-requests-intro")) }
            (request_filters(l, &here, state, only_overdue))
            @match &list {
                Ok(list) if !list.items.is_empty() => {
                    @let labels = [l.t("inspect-request-kind"), l.t("received"), l.t("due-by"), l.t("state"), l.t("inspect-days-late")];
                    table.inspect {
                        caption { (l.t("inspect-requests-caption")) }
                        (super::header_row_numeric(&labels, |n| n >= 4))
                        tbody {
                            @for r in &list.items {
                                tr class=[r.overdue.then_some("overdue")] {
                                    th scope="row" data-label=(labels[0]) { (l.ta("inspect-kind-of", &[("kind", r.kind.as_str().to_owned())])) }
                                    td data-label=(labels[1]) { (l.time(r.received_at)) }
                                    td data-label=(labels[2]) { (l.date(r.due_date)) }
                                    td data-label=(labels[3]) { (request_state(l, r)) }
                                    td.num data-label=(labels[4]) {
                                        @if r.overdue { (working_days_late(&cal, r.due_date, day)) } @else { "—" }
                                    }
                                }
                            }
                        }
                    }
                    @if let Some(cur) = &list.next_cursor {
                        p { a href=(next_link(cur)) { (l.t("inspect-more")) } }
                    }
                }
                Ok(_) => { p { (l.t("inspect-requests-none")) } }
                Err(e) => { (error_box(Some(&l.problem(e)))) }
            }
        }
        section aria-labelledby="evidence" {
            h2 id="evidence" { (l.t("inspect-evidence-title")) }
            p { a href={ "/inspect/ledger?organization=" (id) "#export" } { (l.t("inspect-export-for")) } }
        }
    };
    page(l, Area::Inspect, &here, Some(&i.csrf), &org.name, body)
}

#[derive(Deserialize)]
struct CursorQuery {
    cursor: Option<String>,
}

async fn overdue(State(app): State<App>, i: Inspector, Query(q): Query<CursorQuery>) -> Response {
    let l = &i.l;
    let now = app.clock.now();
    let f = RequestFilter {
        state: None,
        overdue: true,
        cursor: q.cursor.filter(|c| !c.is_empty()),
        limit: PAGE_SIZE,
    };
    let (orgs, counts) = match (
        app.store.list_organizations().await,
        app.store.organization_counts(now).await,
    ) {
        (Ok(o), Ok(c)) => (o, c),
        _ => return failure(l, &i.csrf),
    };
    let names: BTreeMap<Uuid, &str> = orgs.iter().map(|o| (o.id, o.name.as_str())).collect();
    let total: u64 = counts.values().map(|c| c.overdue_requests).sum();
    // Every organization's, soonest due first: the longest overdue first.
    let list = app.store.requests(RequestViewer::Admin, f, now).await;
    let cal = app.calendar();
    let day = today(&app);
    let labels = [
        l.t("organization"),
        l.t("inspect-request-kind"),
        l.t("received"),
        l.t("due-by"),
        l.t("inspect-days-late"),
    ];
    let body = html! {
        p { (l.t("inspect-overdue-intro")) }
        p { strong { (l.ta("inspect-overdue-count", &[("count", total.to_string())])) } }
        @match &list {
            Ok(list) if !list.items.is_empty() => {
                table.inspect {
                    caption { (l.t("inspect-overdue-caption")) }
                    (super::header_row_numeric(&labels, |n| n >= 4))
                    tbody {
                        @for r in &list.items {
                            tr {
                                th scope="row" data-label=(labels[0]) {
                                    a href={ "/inspect/organizations/" (r.organization_id) } { (names.get(&r.organization_id).copied().unwrap_or("—")) }
                                }
                                td data-label=(labels[1]) { (l.ta("inspect-kind-of", &[("kind", r.kind.as_str().to_owned())])) }
                                td data-label=(labels[2]) { (l.time(r.received_at)) }
                                td data-label=(labels[3]) { (l.date(r.due_date)) }
                                td.num data-label=(labels[4]) { (working_days_late(&cal, r.due_date, day)) }
                            }
                        }
                    }
                }
                @if let Some(cur) = &list.next_cursor {
                    p { a href={ "/inspect/overdue?cursor=" (urlencode(cur)) } { (l.t("inspect-more")) } }
                }
            }
            // The count above says there are none; a page past the end says so.
            Ok(_) => { @if total > 0 { p { (l.t("inspect-overdue-none")) } } }
            Err(e) => { (error_box(Some(&l.problem(e)))) }
        }
    };
    page(
        l,
        Area::Inspect,
        "/inspect/overdue",
        Some(&i.csrf),
        &l.t("inspect-overdue-title"),
        body,
    )
}

/// The export form, as posted (and shown again with an error).
#[derive(Deserialize, Default)]
struct ExportForm {
    csrf: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    from_index: String,
    #[serde(default)]
    to_index: String,
    #[serde(default)]
    from_date: String,
    #[serde(default)]
    to_date: String,
}
csrf_form!(ExportForm);

#[derive(Deserialize)]
struct LedgerQuery {
    organization: Option<String>,
}

async fn ledger(State(app): State<App>, i: Inspector, Query(q): Query<LedgerQuery>) -> Response {
    let form = ExportForm {
        organization: q.organization.unwrap_or_default(),
        ..ExportForm::default()
    };
    ledger_page(&app, &i, &form, None, None, StatusCode::OK).await
}

/// Verify the whole ledger now (reading only) and show the report.
async fn verify(State(app): State<App>, f: Form<Inspector, Plain>) -> Response {
    let i = f.who;
    let form = ExportForm::default();
    match app.store.verify_ledger(None).await {
        Ok(r) => ledger_page(&app, &i, &form, None, Some(&r), StatusCode::OK).await,
        Err(e) => {
            let msg = i.l.problem(&e);
            ledger_page(
                &app,
                &i,
                &form,
                Some(msg),
                None,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

fn verify_report(l: &L, r: &VerifyReport) -> Markup {
    html! {
        @if r.ok() {
            div.passed role="status" {
                p { strong { (l.t("inspect-verify-passed")) } }
                p {
                    (l.ta("inspect-entries-count", &[("count", r.entries.to_string())])) " "
                    (l.ta("inspect-checkpoints-checked", &[("count", r.checkpoints.to_string())]))
                }
                p { (l.t("inspect-root")) ": " code.hash { (hex(&r.root)) } }
                @if r.uncovered > 0 {
                    p { (l.ta("inspect-verify-uncovered", &[("count", r.uncovered.to_string())])) }
                }
            }
        } @else {
            div.error role="alert" {
                p { strong { (l.t("inspect-verify-failed")) } }
                ul lang="en" { @for f in &r.failures { li { (f) } } }
            }
        }
    }
}

async fn ledger_page(
    app: &App,
    i: &Inspector,
    form: &ExportForm,
    error: Option<String>,
    report: Option<&VerifyReport>,
    status: StatusCode,
) -> Response {
    let l = &i.l;
    let (orgs, checkpoints) = match (
        app.store.list_organizations().await,
        app.store.recent_checkpoints(CHECKPOINTS_SHOWN).await,
    ) {
        (Ok(o), Ok(c)) => (o, c),
        _ => return failure(l, &i.csrf),
    };
    let (recent, total) = checkpoints;
    let key = app.store.checkpoint_signer().verifier().encode();
    let labels = [
        l.t("inspect-size"),
        l.t("inspect-issued"),
        l.t("inspect-root"),
    ];
    let body = html! {
        section aria-labelledby="checkpoints" {
            h2 id="checkpoints" { (l.t("inspect-checkpoints")) }
            p { (l.t("inspect-checkpoints-intro")) }
            @if recent.is_empty() {
                p { (l.t("inspect-checkpoints-none")) }
            } @else {
                p { (l.ta("inspect-checkpoints-total", &[("count", total.to_string())])) }
                table.inspect {
                    caption { (l.t("inspect-checkpoints-caption")) }
                    (super::header_row_numeric(&labels, |n| n == 0))
                    tbody {
                        @for c in &recent {
                            tr {
                                th scope="row" class="num" data-label=(labels[0]) { (c.size) }
                                td data-label=(labels[1]) { (l.time(c.issued_at)) }
                                td data-label=(labels[2]) { code.hash { (hex(&c.root)) } }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="key" {
            h2 id="key" { (l.t("inspect-key-title")) }
            p { (l.t("inspect-key-intro")) }
            p { code.hash id="checkpoint-key" { (key) } }
        }
        section aria-labelledby="export" {
            h2 id="export" { (l.t("inspect-export-title")) }
            p { (l.t("inspect-export-intro")) }
            (error_box(error.as_deref()))
            form.export method="post" action="/inspect/evidence" {
                (csrf_field(&i.csrf))
                label for="organization" { (l.t("inspect-export-org")) }
                select id="organization" name="organization" {
                    option value="" { (l.t("inspect-all-orgs")) }
                    @for o in &orgs {
                        option value=(o.id) selected[form.organization == o.id.to_string()] { (o.name) " (" (o.bin.as_string()) ")" }
                    }
                }
                fieldset {
                    legend { (l.t("inspect-range")) }
                    label for="from_index" { (l.t("inspect-from-index")) }
                    input id="from_index" name="from_index" inputmode="numeric" pattern="[0-9]*" maxlength="19" value=(form.from_index);
                    label for="to_index" { (l.t("inspect-to-index")) }
                    input id="to_index" name="to_index" inputmode="numeric" pattern="[0-9]*" maxlength="19" value=(form.to_index);
                }
                fieldset {
                    legend { (l.t("inspect-period")) }
                    label for="from_date" { (l.t("inspect-from-date")) }
                    input id="from_date" name="from_date" type="date" value=(form.from_date);
                    label for="to_date" { (l.t("inspect-to-date")) }
                    input id="to_date" name="to_date" type="date" value=(form.to_date);
                }
                p.hint { (l.t("inspect-range-hint")) }
                button type="submit" { (l.t("inspect-export")) }
            }
        }
        section aria-labelledby="offline" {
            h2 id="offline" { (l.t("inspect-offline-title")) }
            ol {
                li { (l.t("inspect-offline-save")) }
                li {
                    (l.t("inspect-offline-run"))
                    pre.command { code { "qorgau ledger verify --bundle evidence.json --key '" (key) "'" } }
                }
                li { (l.t("inspect-offline-ok")) }
            }
        }
        section aria-labelledby="verify" {
            h2 id="verify" { (l.t("inspect-verify-title")) }
            p { (l.t("inspect-verify-intro")) }
            @if let Some(r) = report { (verify_report(l, r)) }
            form method="post" action="/inspect/ledger/verify" {
                (csrf_field(&i.csrf))
                button.secondary type="submit" { (l.t("inspect-verify-now")) }
            }
        }
    };
    page_with_status(
        l,
        Area::Inspect,
        "/inspect/ledger",
        Some(&i.csrf),
        &l.t("inspect-ledger-title"),
        body,
        status,
    )
}

/// What an export selects, resolved to ledger indexes.
struct Selection {
    from: u64,
    /// Exclusive; at most the latest checkpoint's size.
    to: u64,
    organization: Option<Uuid>,
    /// As the bundle and the record say it: indexes, dates, the organization's id.
    described: String,
}

/// One end of the range: an index, or a date (its start; for the end, the start of the
/// next day) in the deployment's time zone, mapped to the first index at or after it.
async fn bound(
    app: &App,
    l: &L,
    index: &str,
    date: &str,
    end: bool,
) -> Result<Option<u64>, String> {
    match (index.trim(), date.trim()) {
        ("", "") => Ok(None),
        (i, "") => i
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= i64::MAX as u64)
            .map(Some)
            .ok_or_else(|| l.t("inspect-error-index")),
        ("", d) => {
            let bad = || l.t("inspect-error-date");
            let d: Date = d.parse().map_err(|_| bad())?;
            let d = if end {
                d.tomorrow().map_err(|_| bad())?
            } else {
                d
            };
            let at = d
                .to_zoned(app.deadlines.tz.clone())
                .map_err(|_| bad())?
                .timestamp();
            app.store
                .ledger_index_at(at)
                .await
                .map(Some)
                .map_err(|e| l.problem(&e))
        }
        _ => Err(l.t("inspect-error-both")),
    }
}

async fn selection(app: &App, l: &L, f: &ExportForm) -> Result<Selection, String> {
    let organization = match f.organization.trim() {
        "" => None,
        s => {
            let id = s.parse::<Uuid>().map_err(|_| l.t("inspect-error-org"))?;
            app.store
                .organization(id)
                .await
                .map_err(|_| l.t("inspect-error-org"))?;
            Some(id)
        }
    };
    let from = bound(app, l, &f.from_index, &f.from_date, false)
        .await?
        .unwrap_or(0);
    let to = bound(app, l, &f.to_index, &f.to_date, true).await?;
    let head = match app.store.checkpoint(None).await {
        Ok(Some(h)) => h.size,
        Ok(None) => return Err(l.t("inspect-error-no-checkpoint")),
        Err(e) => return Err(l.problem(&e)),
    };
    let to = to.unwrap_or(u64::MAX).min(head);
    if from > to {
        return Err(l.t("inspect-error-order"));
    }
    if to - from > MAX_EXPORT {
        return Err(l.ta(
            "inspect-error-too-large",
            &[("max", MAX_EXPORT.to_string())],
        ));
    }
    let mut described = format!("indexes {from}..{to}");
    if !f.from_date.trim().is_empty() || !f.to_date.trim().is_empty() {
        described.push_str(&format!(
            ", period {}..{} inclusive ({})",
            f.from_date.trim(),
            f.to_date.trim(),
            app.deadlines.tz.iana_name().unwrap_or("local time")
        ));
    }
    match organization {
        Some(o) => described.push_str(&format!(", organization {o}")),
        None => described.push_str(", all organizations"),
    }
    Ok(Selection {
        from,
        to,
        organization,
        described,
    })
}

/// The evidence bundle for the selection, as a download; the export is recorded
/// first (no bundle leaves without its record).
async fn export(State(app): State<App>, f: Form<Inspector, ExportForm>) -> Response {
    let (i, form) = (f.who, f.form);
    let l = &i.l;
    let sel = match selection(&app, l, &form).await {
        Ok(s) => s,
        Err(msg) => {
            return ledger_page(
                &app,
                &i,
                &form,
                Some(msg),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let bundle = match app
        .store
        .export_bundle(
            sel.from,
            sel.to,
            sel.organization.map(|o| o.to_string()),
            sel.described.clone(),
        )
        .await
    {
        Ok(b) => b,
        Err(e) => {
            let msg = match e.code {
                qorgau_core::ErrorCode::NotFound => l.t("inspect-error-no-checkpoint"),
                _ => l.problem(&e),
            };
            return ledger_page(
                &app,
                &i,
                &form,
                Some(msg),
                None,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await;
        }
    };
    // The checkpoint the proofs are against (a newer one may have come meanwhile).
    let checkpoint = bundle
        .checkpoints
        .last()
        .and_then(|n| app.store.checkpoint_signer().verifier().verify(n).ok())
        .map(|c| c.size)
        .unwrap_or(sel.to);
    let record = EvidenceExport {
        account: i.account,
        role: i.role,
        from: sel.from,
        to: sel.to,
        organization: sel.organization,
        checkpoint,
        entries: bundle.entries.len() as u64,
    };
    if let Err(e) = app
        .store
        .record_evidence_export(record, app.clock.now())
        .await
    {
        let msg = l.problem(&e);
        return ledger_page(
            &app,
            &i,
            &form,
            Some(msg),
            None,
            StatusCode::SERVICE_UNAVAILABLE,
        )
        .await;
    }
    let Ok(json) = serde_json::to_vec_pretty(&bundle) else {
        return failure(l, &i.csrf);
    };
    let name = format!(
        "qorgau-evidence-{}-{}-{}.json",
        sel.organization
            .map(|o| o.to_string())
            .unwrap_or_else(|| "all".to_owned()),
        sel.from,
        sel.to
    );
    let mut r = (StatusCode::OK, json).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn working_days_late_counts_only_working_days_after_the_last_day() {
        let cal = Calendar::shipped().unwrap();
        // Due Tuesday 3 March 2026.
        assert_eq!(working_days_late(&cal, d("2026-03-03"), d("2026-03-03")), 0);
        assert_eq!(working_days_late(&cal, d("2026-03-03"), d("2026-03-04")), 1);
        assert_eq!(working_days_late(&cal, d("2026-03-03"), d("2026-03-06")), 3);
        // Due Friday 6 March: the weekend and International Women's Day (Sunday 8 March,
        // moved to Monday 9 March) do not count.
        assert_eq!(working_days_late(&cal, d("2026-03-06"), d("2026-03-08")), 0);
        assert_eq!(working_days_late(&cal, d("2026-03-06"), d("2026-03-09")), 0);
        assert_eq!(working_days_late(&cal, d("2026-03-06"), d("2026-03-10")), 1);
        // Not yet due: nothing.
        assert_eq!(working_days_late(&cal, d("2026-03-10"), d("2026-03-06")), 0);
    }
}
