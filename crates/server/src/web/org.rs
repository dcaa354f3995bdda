//! The console's pages for the organization's purposes and approved lists of data
//! (Art. 25(2)(1)), its consent requests and the consents it holds.
//!
//! Each page does what the JSON API does, through the same store methods, so the two
//! behave alike: the same validation, ledger entries and notifications. A form's field
//! names are the JSON paths of the API's body (`subject.iin`, `terms.valid_until`, …),
//! so an error the store reports about a field is shown beside that field.
//!
//! Personal data never travel in a URL: the subject's IIN, name and contact are posted
//! in the form's body, and every page is reached by an id or a purpose's code.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use qorgau_core::catalogue::{
    Category, CategoryCode, LocalizedText, Purpose, PurposeCode, Sensitivity, MAX_STORAGE_TERM_DAYS,
};
use qorgau_core::consent::{
    ActorKind, ConsentState, ConsentTerms, Contact, CrossBorderTerms, Language, PersonName,
    SubjectDetails, TransferTerms, WithdrawalGround, WithdrawalGroundKind,
};
use qorgau_core::id::{Bin, CountryCode, Iin};
use qorgau_core::org::Scope;
use qorgau_core::{Error, ErrorCode};
use qorgau_store::catalogue::StoredPurpose;
use qorgau_store::consents::{ConsentView, NewConsentRequest, Viewer};
use serde::Deserialize;
use uuid::Uuid;

use super::portal::consent_terms;
use super::{csrf_field, multiline, see_other, Console, Form, Plain, L};
use crate::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/console/purposes", get(purposes).post(create_purpose))
        // A purpose's code never holds `-`, so this path is never a purpose's page.
        .route("/console/purposes/new-purpose", get(new_purpose))
        .route("/console/purposes/{code}", get(purpose))
        .route("/console/consents", get(consents).post(create_request))
        .route("/console/consents/new", get(new_request))
        .route("/console/consents/{id}", get(consent))
        .route("/console/consents/{id}/receipt", get(receipt))
        .route("/console/consents/{id}/code", post(resend_code))
        .route("/console/consents/{id}/ground", post(set_ground))
        .route("/console/consents/{id}/ground/lift", post(lift_ground))
}

// ---- Forms ----------------------------------------------------------------------

/// A posted form as its fields, in order (checkboxes of one name come many times).
#[derive(Deserialize, Default)]
#[serde(from = "Vec<(String, String)>")]
struct Fields {
    csrf: String,
    pairs: Vec<(String, String)>,
}
csrf_form!(Fields);

impl From<Vec<(String, String)>> for Fields {
    fn from(pairs: Vec<(String, String)>) -> Self {
        let csrf = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        Fields { csrf, pairs }
    }
}

impl Fields {
    fn with(pairs: &[(&str, String)]) -> Fields {
        Fields {
            csrf: String::new(),
            pairs: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        }
    }

    /// The first value of `name`, trimmed, with the browser's CRLF line breaks as LF.
    fn get(&self, name: &str) -> String {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().replace("\r\n", "\n"))
            .unwrap_or_default()
    }

    /// Every non-empty value of `name`.
    fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    /// Whether a checkbox `name` was ticked.
    fn on(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, v)| k == name && !v.is_empty())
    }

    fn has(&self, name: &str, value: &str) -> bool {
        self.pairs.iter().any(|(k, v)| k == name && v == value)
    }
}

fn optional(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// A text in kk / ru / (en) under `prefix`, or nothing when all three are empty. The
/// store checks it as the API does (Kazakh and Russian required).
fn localized(f: &Fields, prefix: &str) -> Option<LocalizedText> {
    let (kk, ru, en) = (
        f.get(&format!("{prefix}.kk")),
        f.get(&format!("{prefix}.ru")),
        f.get(&format!("{prefix}.en")),
    );
    (!(kk.is_empty() && ru.is_empty() && en.is_empty())).then(|| LocalizedText {
        kk,
        ru,
        en: optional(en),
    })
}

/// An input's id for a field name (`subject.iin` → `f-subject-iin`).
fn id_of(name: &str) -> String {
    format!("f-{}", name.replace(['.', '_'], "-"))
}

fn is_about(err: Option<&Error>, name: &str) -> bool {
    err.and_then(|e| e.field.as_deref()) == Some(name)
}

/// What a field says when the error is about it: `aria-invalid` and the message's id.
fn invalid(err: Option<&Error>, name: &str) -> (Option<&'static str>, Option<String>) {
    if is_about(err, name) {
        (Some("true"), Some(format!("{}-error", id_of(name))))
    } else {
        (None, None)
    }
}

/// The error, beside the field it is about.
fn inline_error(l: &L, err: Option<&Error>, name: &str) -> Markup {
    html! {
        @if let Some(e) = err.filter(|_| is_about(err, name)) {
            p.field-error id={ (id_of(name)) "-error" } { (l.problem(e)) }
        }
    }
}

/// The error at the top of the form, announced, with a link to the field it is about.
fn error_summary(l: &L, err: Option<&Error>, label: Option<String>) -> Markup {
    html! {
        @if let Some(e) = err {
            div.error role="alert" {
                p { (l.problem(e)) }
                @if let (Some(field), Some(label)) = (e.field.as_deref(), label) {
                    p { a href={ "#" (id_of(field)) } { (l.ta("org-fix-field", &[("field", label)])) } }
                }
            }
        }
    }
}

/// A one-line text input with its label, hint and error.
struct Text<'a> {
    name: &'a str,
    label: String,
    hint: Option<String>,
    value: String,
    required: bool,
    max: usize,
    kind: &'static str,
    mode: Option<&'static str>,
    complete: Option<&'static str>,
}

impl<'a> Text<'a> {
    fn new(name: &'a str, label: String, f: &Fields) -> Text<'a> {
        Text {
            name,
            label,
            hint: None,
            value: f.get(name),
            required: false,
            max: 200,
            kind: "text",
            mode: None,
            complete: Some("off"),
        }
    }
    fn required(mut self) -> Self {
        self.required = true;
        self
    }
    fn hint(mut self, h: String) -> Self {
        self.hint = Some(h);
        self
    }
    fn max(mut self, m: usize) -> Self {
        self.max = m;
        self
    }
    fn kind(mut self, k: &'static str) -> Self {
        self.kind = k;
        self
    }
    fn mode(mut self, m: &'static str) -> Self {
        self.mode = Some(m);
        self
    }
    fn complete(mut self, c: &'static str) -> Self {
        self.complete = Some(c);
        self
    }
}

fn described_by(t: &Text, err: Option<&Error>) -> Option<String> {
    let id = id_of(t.name);
    let ids: Vec<String> = [
        t.hint.as_ref().map(|_| format!("{id}-hint")),
        invalid(err, t.name).1,
    ]
    .into_iter()
    .flatten()
    .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn input(l: &L, err: Option<&Error>, t: Text) -> Markup {
    let id = id_of(t.name);
    let bad = invalid(err, t.name).0;
    let described = described_by(&t, err);
    html! {
        div.field {
            label for=(id) { (t.label) }
            @if let Some(h) = &t.hint { p.hint id={ (id) "-hint" } { (h) } }
            (inline_error(l, err, t.name))
            input id=(id) name=(t.name) type=(t.kind) value=(t.value) required[t.required]
                maxlength=[(t.kind != "date" && t.kind != "number").then_some(t.max)]
                inputmode=[t.mode] autocomplete=[t.complete]
                aria-invalid=[bad] aria-describedby=[described];
        }
    }
}

fn textarea(l: &L, err: Option<&Error>, t: Text) -> Markup {
    let id = id_of(t.name);
    let bad = invalid(err, t.name).0;
    let described = described_by(&t, err);
    html! {
        div.field {
            label for=(id) { (t.label) }
            @if let Some(h) = &t.hint { p.hint id={ (id) "-hint" } { (h) } }
            (inline_error(l, err, t.name))
            textarea id=(id) name=(t.name) rows="3" maxlength=(t.max) required[t.required]
                aria-invalid=[bad] aria-describedby=[described] { (t.value) }
        }
    }
}

/// A checkbox with its label.
fn checkbox(id: &str, name: &str, value: &str, checked: bool, label: Markup) -> Markup {
    html! {
        div.check {
            input type="checkbox" id=(id) name=(name) value=(value) checked[checked];
            label for=(id) { (label) }
        }
    }
}

// ---- Shared pieces ------------------------------------------------------------------

fn failure(c: &Console) -> Response {
    let l = &c.l;
    c.page_with_status(
        "/console",
        &l.t("failure-title"),
        html! { p { (l.t("failure-text")) } },
        StatusCode::SERVICE_UNAVAILABLE,
    )
}

fn category_name(l: &L, catalogue: &[Category], code: &str) -> String {
    catalogue
        .iter()
        .find(|k| k.code.as_str() == code)
        .map(|k| l.pick(&k.name).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn sensitivity(l: &L, s: Sensitivity) -> String {
    l.ta("org-sensitivity", &[("sensitivity", s.as_str().to_owned())])
}

fn state_label(l: &L, s: ConsentState) -> Markup {
    html! {
        span class={ "state state-" (s.as_str()) } {
            (l.ta("org-consent-state", &[("state", s.as_str().to_owned())]))
        }
    }
}

const LANGS: [(&str, &str); 3] = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")];

// ---- Purposes -------------------------------------------------------------------

async fn purposes(State(app): State<App>, c: Console) -> Response {
    let l = &c.l;
    let (Ok(list), Ok(catalogue)) = (
        app.store.list_purposes(c.org).await,
        app.store.list_categories().await,
    ) else {
        return failure(&c);
    };
    let may_declare = c.lacks(Scope::CatalogueWrite).is_none();
    let body = html! {
        p { (l.t("org-purposes-intro")) }
        @if may_declare {
            p { a.button href="/console/purposes/new-purpose" { (l.t("org-declare-purpose")) } }
        }
        @if list.is_empty() {
            p { (l.t("org-purposes-none")) }
        } @else {
            @let labels = [l.t("org-purpose-code"), l.t("org-purpose-name"), l.t("org-approved-list"), l.t("org-storage-term")];
            table.purposes {
                caption { (l.t("org-purposes-caption")) }
                (super::header_row(&labels))
                tbody {
                    @for p in &list {
                        tr {
                            th scope="row" data-label=(labels[0]) { a href={ "/console/purposes/" (p.purpose.code) } { code { (p.purpose.code) } } }
                            td data-label=(labels[1]) { (l.pick(&p.purpose.name)) }
                            td data-label=(labels[2]) { ul.compact { @for k in &p.purpose.categories { li { (category_name(l, &catalogue, k.as_str())) } } } }
                            td data-label=(labels[3]) { (l.ta("days", &[("count", p.purpose.storage_term_days.to_string())])) }
                        }
                    }
                }
            }
        }
    };
    c.page("/console/purposes", &l.t("org-purposes-title"), body)
}

async fn purpose(State(app): State<App>, c: Console, Path(code): Path<String>) -> Response {
    let l = &c.l;
    let Ok(code) = PurposeCode::parse(&code) else {
        return c.not_found();
    };
    let p = match app.store.purpose(c.org, &code).await {
        Ok(p) => p,
        Err(e) if e.code == ErrorCode::UnknownPurpose => return c.not_found(),
        Err(_) => return failure(&c),
    };
    let Ok(catalogue) = app.store.list_categories().await else {
        return failure(&c);
    };
    let here = format!("/console/purposes/{code}");
    let may_ask = c.lacks(Scope::ConsentsWrite).is_none();
    let body = html! {
        dl.terms {
            dt { (l.t("org-purpose-code")) } dd { code { (p.purpose.code) } }
            @for (lang, name) in LANGS {
                @let text = match lang { "kk" => Some(&p.purpose.name.kk), "ru" => Some(&p.purpose.name.ru), _ => p.purpose.name.en.as_ref() };
                @if let Some(t) = text {
                    dt { (l.t("org-purpose-name")) " (" (name) ")" } dd lang=(lang) { (t) }
                }
            }
            @if let Some(d) = &p.purpose.description {
                dt { (l.t("org-description")) } dd { (multiline(l.pick(d))) }
            }
            dt { (l.t("org-storage-term")) } dd { (l.ta("days", &[("count", p.purpose.storage_term_days.to_string())])) }
        }
        p { (l.ta("org-categories-count", &[("count", p.purpose.categories.len().to_string())])) }
        @let labels = [l.t("org-category"), l.t("org-category-code"), l.t("org-sensitivity-title")];
        table.approved {
            caption { (l.t("org-approved-list")) }
            (super::header_row(&labels))
            tbody {
                @for k in &p.purpose.categories {
                    @let cat = catalogue.iter().find(|x| x.code == *k);
                    tr {
                        th scope="row" data-label=(labels[0]) { (category_name(l, &catalogue, k.as_str())) }
                        td data-label=(labels[1]) { code { (k) } }
                        td data-label=(labels[2]) { @if let Some(cat) = cat { (sensitivity(l, cat.sensitivity)) } }
                    }
                }
            }
        }
        p.actions {
            @if may_ask {
                a.button href={ "/console/consents/new?purpose=" (p.purpose.code) } { (l.t("org-ask-consent")) }
            }
            a.button.secondary href="/console/purposes" { (l.t("org-all-purposes")) }
        }
    };
    c.page(
        &here,
        &l.ta(
            "org-purpose-title",
            &[("name", l.pick(&p.purpose.name).to_owned())],
        ),
        body,
    )
}

/// The label of a field of the purpose form (for the error summary).
fn purpose_label(l: &L, field: &str) -> Option<String> {
    Some(match field {
        "code" => l.t("org-purpose-code"),
        "name.kk" => l.t("org-name-kk"),
        "name.ru" => l.t("org-name-ru"),
        "name.en" => l.t("org-name-en"),
        "description.kk" => l.t("org-description-kk"),
        "description.ru" => l.t("org-description-ru"),
        "description.en" => l.t("org-description-en"),
        "categories" => l.t("org-categories-legend"),
        "storage_term_days" => l.t("org-storage-term-days"),
        _ => return None,
    })
}

fn purpose_form(
    l: &L,
    csrf: &str,
    catalogue: &[Category],
    f: &Fields,
    err: Option<&Error>,
) -> Markup {
    let label = err
        .and_then(|e| e.field.as_deref())
        .and_then(|x| purpose_label(l, x));
    let cats_bad = invalid(err, "categories");
    html! {
        p { (l.t("org-purpose-form-intro")) }
        (error_summary(l, err, label))
        form.org method="post" action="/console/purposes" novalidate {
            (csrf_field(csrf))
            (input(l, err, Text::new("code", l.t("org-purpose-code"), f).required().max(64).hint(l.t("org-purpose-code-hint"))))
            fieldset {
                legend { (l.t("org-purpose-name")) }
                (input(l, err, Text::new("name.kk", l.t("org-name-kk"), f).required()))
                (input(l, err, Text::new("name.ru", l.t("org-name-ru"), f).required()))
                (input(l, err, Text::new("name.en", l.t("org-name-en"), f)))
            }
            fieldset {
                legend { (l.t("org-description")) }
                p.hint { (l.t("org-description-hint")) }
                (textarea(l, err, Text::new("description.kk", l.t("org-description-kk"), f).max(2000)))
                (textarea(l, err, Text::new("description.ru", l.t("org-description-ru"), f).max(2000)))
                (textarea(l, err, Text::new("description.en", l.t("org-description-en"), f).max(2000)))
            }
            fieldset id=(id_of("categories")) aria-invalid=[cats_bad.0] aria-describedby=[cats_bad.1] {
                legend { (l.t("org-categories-legend")) }
                p.hint { (l.t("org-categories-hint")) }
                (inline_error(l, err, "categories"))
                @for s in [Sensitivity::Public, Sensitivity::Restricted, Sensitivity::Biometric] {
                    @let group: Vec<&Category> = catalogue.iter().filter(|k| k.sensitivity == s).collect();
                    @if !group.is_empty() {
                        fieldset.group {
                            legend { (sensitivity(l, s)) }
                            @for k in group {
                                @let id = format!("cat-{}", k.code.as_str().replace('.', "-"));
                                (checkbox(&id, "categories", k.code.as_str(), f.has("categories", k.code.as_str()),
                                    html! { (l.pick(&k.name)) " " small { "(" (k.code) ")" } }))
                            }
                        }
                    }
                }
            }
            (input(l, err, Text::new("storage_term_days", l.t("org-storage-term-days"), f)
                .required().kind("number").mode("numeric").hint(l.ta("org-storage-term-hint", &[("max", MAX_STORAGE_TERM_DAYS.to_string())]))))
            button type="submit" { (l.t("org-declare-purpose")) }
        }
    }
}

fn purpose_form_page(
    c: &Console,
    catalogue: &[Category],
    f: &Fields,
    err: Option<&Error>,
) -> Response {
    let l = &c.l;
    let status = if err.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    c.page_with_status(
        "/console/purposes/new-purpose",
        &l.t("org-purpose-form-title"),
        purpose_form(l, &c.csrf, catalogue, f, err),
        status,
    )
}

async fn new_purpose(State(app): State<App>, c: Console) -> Response {
    if let Some(r) = c.lacks(Scope::CatalogueWrite) {
        return r;
    }
    let Ok(catalogue) = app.store.list_categories().await else {
        return failure(&c);
    };
    purpose_form_page(&c, &catalogue, &Fields::default(), None)
}

/// The purpose the form describes, or the error about its first wrong field.
fn parse_purpose(f: &Fields) -> Result<Purpose, Error> {
    let code = PurposeCode::parse(&f.get("code")).map_err(|e| e.at("code"))?;
    let categories = f
        .all("categories")
        .iter()
        .map(|k| CategoryCode::parse(k).map_err(|e| e.at("categories")))
        .collect::<Result<BTreeSet<_>, _>>()?;
    let storage_term_days = f
        .get("storage_term_days")
        .parse::<u32>()
        .map_err(|_| Error::new(ErrorCode::ValidationFailed).at("storage_term_days"))?;
    Ok(Purpose {
        code,
        name: LocalizedText {
            kk: f.get("name.kk"),
            ru: f.get("name.ru"),
            en: optional(f.get("name.en")),
        },
        description: localized(f, "description"),
        categories,
        storage_term_days,
    })
}

async fn create_purpose(State(app): State<App>, form: Form<Console, Fields>) -> Response {
    let c = form.who;
    let f = form.form;
    if let Some(r) = c.lacks(Scope::CatalogueWrite) {
        return r;
    }
    let result = match parse_purpose(&f) {
        Ok(p) => app.store.create_purpose(c.org, p, app.clock.now()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => see_other(&format!("/console/purposes/{}", p.purpose.code)),
        Err(e) => {
            let catalogue = app.store.list_categories().await.unwrap_or_default();
            purpose_form_page(&c, &catalogue, &f, Some(&e))
        }
    }
}

// ---- Consents -------------------------------------------------------------------

#[derive(Deserialize)]
struct ListFilter {
    state: Option<String>,
    cursor: Option<String>,
}

const PAGE_SIZE: i64 = 50;

async fn consents(State(app): State<App>, c: Console, Query(q): Query<ListFilter>) -> Response {
    if let Some(r) = c.lacks(Scope::ConsentsRead) {
        return r;
    }
    let l = &c.l;
    let state = q.state.as_deref().and_then(ConsentState::parse);
    let cursor = q.cursor.as_deref().filter(|s| !s.is_empty());
    let list = app
        .store
        .list_consents(
            Viewer::Organization(c.org),
            state,
            cursor,
            PAGE_SIZE,
            app.clock.now(),
        )
        .await;
    let may_ask = c.lacks(Scope::ConsentsWrite).is_none();
    let state_q = state.map(|s| s.as_str()).unwrap_or("");
    let body = html! {
        @if may_ask {
            p { a.button href="/console/consents/new" { (l.t("org-ask-consent")) } }
        }
        form.filters method="get" action="/console/consents" {
            div {
                label for="state" { (l.t("filter-state")) }
                select id="state" name="state" {
                    option value="" { (l.t("all")) }
                    @for s in ConsentState::ALL {
                        option value=(s.as_str()) selected[state == Some(s)] { (l.ta("org-consent-state", &[("state", s.as_str().to_owned())])) }
                    }
                }
            }
            button type="submit" { (l.t("apply")) }
        }
        @match &list {
            Ok(list) if !list.items.is_empty() => {
                p { (l.ta("org-shown", &[("count", list.items.len().to_string())])) }
                @let labels = [l.t("subject"), l.t("term-purpose"), l.t("state"), l.t("org-requested-at"), l.t("org-valid-until")];
                table.consents {
                    caption { (l.t("org-consents-caption")) }
                    (super::header_row(&labels))
                    tbody {
                        @for v in &list.items {
                            tr {
                                th scope="row" data-label=(labels[0]) {
                                    a href={ "/console/consents/" (v.id) } {
                                        @match &v.subject {
                                            Some(s) => { (super::person(&s.name)) }
                                            None => { (l.t("org-subject-destroyed")) }
                                        }
                                    }
                                }
                                td data-label=(labels[1]) { (l.pick(&v.purpose.name)) }
                                td data-label=(labels[2]) { (state_label(l, v.state)) }
                                td data-label=(labels[3]) { (l.time(v.created_at)) }
                                td data-label=(labels[4]) { (l.time(v.valid_until)) }
                            }
                        }
                    }
                }
                nav.pages aria-label=(l.t("org-pages")) {
                    @if cursor.is_some() {
                        a href={ "/console/consents?state=" (state_q) } { (l.t("org-first-page")) }
                    }
                    @if let Some(next) = &list.next_cursor {
                        a href={ "/console/consents?state=" (state_q) "&cursor=" (next) } { (l.t("org-next-page")) }
                    }
                }
            }
            Ok(_) => { p { (l.t("org-consents-none")) } }
            Err(e) => { div.error role="alert" { p { (l.problem(e)) } } }
        }
    };
    c.page("/console/consents", &l.t("org-consents-title"), body)
}

#[derive(Deserialize)]
struct ConsentQuery {
    sent: Option<String>,
}

async fn consent(
    State(app): State<App>,
    c: Console,
    Path(id): Path<Uuid>,
    Query(q): Query<ConsentQuery>,
) -> Response {
    let notice = q.sent.is_some().then(|| c.l.t("org-code-sent"));
    consent_page(&app, &c, id, notice, None, None).await
}

/// A consent (or request) as the organization sees it, with the actions its role may take.
async fn consent_page(
    app: &App,
    c: &Console,
    id: Uuid,
    notice: Option<String>,
    err: Option<&Error>,
    draft: Option<&Fields>,
) -> Response {
    if let Some(r) = c.lacks(Scope::ConsentsRead) {
        return r;
    }
    let l = &c.l;
    let now = app.clock.now();
    let v = match app
        .store
        .consent(id, Viewer::Organization(c.org), true, now)
        .await
    {
        Ok(v) => v,
        Err(e) if e.code == ErrorCode::NotFound => return c.not_found(),
        Err(_) => return failure(c),
    };
    let here = format!("/console/consents/{id}");
    let may_write = c.lacks(Scope::ConsentsWrite).is_none();
    let blank = Fields::default();
    let draft = draft.unwrap_or(&blank);
    let body = html! {
        p { (state_label(l, v.state)) }
        @if let Some(n) = &notice { p.notice role="status" { (n) } }
        (error_summary(l, err, err.and_then(|e| e.field.as_deref()).and_then(|x| ground_label(l, x))))
        dl.terms {
            dt { (l.t("subject")) } dd {
                @match &v.subject {
                    Some(s) => { (super::person(&s.name)) " (" (l.t("iin")) " " (s.iin.as_string()) ")" }
                    None => { (l.t("org-subject-destroyed")) }
                }
            }
            @if let Some(r) = &v.representative {
                dt { (l.t("term-representative")) } dd { (super::person(&r.name)) " (" (l.t("iin")) " " (r.iin.as_string()) ")" }
            }
            dt { (l.t("org-requested-at")) } dd { (l.time(v.created_at)) }
            dt { (l.t("org-version")) } dd {
                (v.version)
                @if let Some(old) = v.supersedes {
                    " — " a href={ "/console/consents/" (old) } { (l.t("org-supersedes")) }
                }
            }
        }
        section aria-labelledby="terms" {
            h2 id="terms" { (l.t("org-terms-as-shown")) }
            (consent_terms(app, l, &v).await)
        }
        @if v.state == ConsentState::Pending {
            section aria-labelledby="waiting" {
                h2 id="waiting" { (l.t("org-waiting-title")) }
                p { (l.ta("org-waiting", &[("date", l.time(v.respond_by))])) }
                @if may_write {
                    form method="post" action={ (here) "/code" } {
                        (csrf_field(&c.csrf))
                        p.hint { (l.t("org-resend-hint")) }
                        button.secondary type="submit" { (l.t("org-resend-code")) }
                    }
                }
            }
        }
        @if v.receipt.is_some() {
            p { a.button.secondary href={ (here) "/receipt" } download { (l.t("download-receipt")) } }
        }
        (ground_section(l, c, &v, may_write, err, draft))
        @if let Some(h) = &v.history {
            section aria-labelledby="events" {
                h2 id="events" { (l.t("consent-history")) }
                ol.timeline {
                    @for e in h {
                        li {
                            (l.time(e.at)) " — "
                            (l.ta("org-consent-event", &[("event", e.kind.clone())]))
                            " (" (actor(l, e.actor)) ")"
                        }
                    }
                }
            }
        }
        p { a href="/console/consents" { (l.t("org-all-consents")) } }
    };
    let status = if err.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    c.page_with_status(&here, &l.t("org-consent-title"), body, status)
}

fn actor(l: &L, a: ActorKind) -> String {
    l.ta("org-actor", &[("actor", a.as_str().to_owned())])
}

fn ground_label(l: &L, field: &str) -> Option<String> {
    Some(match field {
        "kind" => l.t("org-ground-kind"),
        "reference" => l.t("org-ground-reference"),
        "explanation.kk" => l.t("org-explanation-kk"),
        "explanation.ru" => l.t("org-explanation-ru"),
        "explanation.en" => l.t("org-explanation-en"),
        _ => return None,
    })
}

/// Art. 8(2): the operator's ground to refuse a withdrawal, stated or lifted.
fn ground_section(
    l: &L,
    c: &Console,
    v: &ConsentView,
    may_write: bool,
    err: Option<&Error>,
    f: &Fields,
) -> Markup {
    let here = format!("/console/consents/{}", v.id);
    let active = v.state == ConsentState::Active;
    let kind_of = |k: WithdrawalGroundKind| match k {
        WithdrawalGroundKind::Law => "law",
        WithdrawalGroundKind::UnexecutedObligation => "unexecuted_obligation",
    };
    let chosen = f.get("kind");
    html! {
        @if let Some(g) = &v.withdrawal_ground {
            section.notice aria-labelledby="ground" {
                h2 id="ground" { (l.t("org-ground-stated")) }
                dl.terms {
                    dt { (l.t("org-ground-kind")) } dd { (l.ta("org-ground-kinds", &[("kind", kind_of(g.kind).to_owned())])) }
                    dt { (l.t("org-ground-reference")) } dd { (g.reference) }
                    dt { (l.t("org-ground-explanation")) } dd { (multiline(l.pick(&g.explanation))) }
                }
                @if may_write && active {
                    form method="post" action={ (here) "/ground/lift" } {
                        (csrf_field(&c.csrf))
                        p.hint { (l.t("org-ground-lift-hint")) }
                        button.secondary type="submit" { (l.t("org-ground-lift")) }
                    }
                }
            }
        } @else if may_write && active {
            section aria-labelledby="ground" {
                h2 id="ground" { (l.t("org-ground-title")) }
                p { (l.t("org-ground-intro")) }
                form.org method="post" action={ (here) "/ground" } novalidate {
                    (csrf_field(&c.csrf))
                    div.field {
                        label for=(id_of("kind")) { (l.t("org-ground-kind")) }
                        (inline_error(l, err, "kind"))
                        select id=(id_of("kind")) name="kind" {
                            @for k in ["law", "unexecuted_obligation"] {
                                option value=(k) selected[chosen == k] { (l.ta("org-ground-kinds", &[("kind", k.to_owned())])) }
                            }
                        }
                    }
                    (input(l, err, Text::new("reference", l.t("org-ground-reference"), f).required().max(500).hint(l.t("org-ground-reference-hint"))))
                    (textarea(l, err, Text::new("explanation.kk", l.t("org-explanation-kk"), f).required().max(4000)))
                    (textarea(l, err, Text::new("explanation.ru", l.t("org-explanation-ru"), f).required().max(4000)))
                    (textarea(l, err, Text::new("explanation.en", l.t("org-explanation-en"), f).max(4000)))
                    button type="submit" { (l.t("org-ground-set")) }
                }
            }
        }
    }
}

async fn receipt(State(app): State<App>, c: Console, Path(id): Path<Uuid>) -> Response {
    if let Some(r) = c.lacks(Scope::ConsentsRead) {
        return r;
    }
    match app
        .store
        .consent_receipt(id, Viewer::Organization(c.org))
        .await
    {
        Ok(jws) => super::receipt_download(id, jws),
        Err(_) => c.not_found(),
    }
}

async fn resend_code(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    f: Form<Console, Plain>,
) -> Response {
    let c = f.who;
    if let Some(r) = c.lacks(Scope::ConsentsWrite) {
        return r;
    }
    match app
        .store
        .resend_consent_code(c.org, id, app.clock.now())
        .await
    {
        Ok(()) => see_other(&format!("/console/consents/{id}?sent=1")),
        Err(e) => consent_page(&app, &c, id, None, Some(&e), None).await,
    }
}

fn parse_ground(f: &Fields) -> Result<WithdrawalGround, Error> {
    let kind = match f.get("kind").as_str() {
        "law" => WithdrawalGroundKind::Law,
        "unexecuted_obligation" => WithdrawalGroundKind::UnexecutedObligation,
        _ => return Err(Error::new(ErrorCode::ValidationFailed).at("kind")),
    };
    Ok(WithdrawalGround {
        kind,
        reference: f.get("reference"),
        explanation: LocalizedText {
            kk: f.get("explanation.kk"),
            ru: f.get("explanation.ru"),
            en: optional(f.get("explanation.en")),
        },
    })
}

async fn set_ground(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    form: Form<Console, Fields>,
) -> Response {
    let c = form.who;
    let f = form.form;
    if let Some(r) = c.lacks(Scope::ConsentsWrite) {
        return r;
    }
    let result = match parse_ground(&f) {
        Ok(g) => {
            app.store
                .set_withdrawal_ground(c.org, id, Some(g), app.clock.now())
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other(&format!("/console/consents/{id}")),
        Err(e) if e.code == ErrorCode::NotFound => c.not_found(),
        Err(e) => consent_page(&app, &c, id, None, Some(&e), Some(&f)).await,
    }
}

async fn lift_ground(
    State(app): State<App>,
    Path(id): Path<Uuid>,
    f: Form<Console, Plain>,
) -> Response {
    let c = f.who;
    if let Some(r) = c.lacks(Scope::ConsentsWrite) {
        return r;
    }
    match app
        .store
        .set_withdrawal_ground(c.org, id, None, app.clock.now())
        .await
    {
        Ok(_) => see_other(&format!("/console/consents/{id}")),
        Err(e) if e.code == ErrorCode::NotFound => c.not_found(),
        Err(e) => consent_page(&app, &c, id, None, Some(&e), None).await,
    }
}

// ---- Asking for consent -----------------------------------------------------------

#[derive(Deserialize)]
struct PurposeChoice {
    purpose: Option<String>,
}

/// The label of a field of the consent request form (for the error summary).
fn request_label(l: &L, field: &str) -> Option<String> {
    Some(match field {
        "purpose" => l.t("term-purpose"),
        "subject.iin" => l.t("iin"),
        "subject.name.surname" => l.t("org-surname"),
        "subject.name.given_name" => l.t("org-given-name"),
        "subject.name.patronymic" => l.t("org-patronymic"),
        "subject.contact" | "subject.contact.phone" => l.t("org-phone"),
        "subject.contact.email" => l.t("org-email"),
        "terms.categories" => l.t("org-data-legend"),
        "terms.valid_from" => l.t("org-valid-from"),
        "terms.valid_until" => l.t("org-valid-until-field"),
        "terms.transfer_to_third_parties.recipients" => l.t("org-recipients"),
        "terms.cross_border_transfer.countries" => l.t("org-countries"),
        "terms.other_information.kk" => l.t("org-other-kk"),
        "terms.other_information.ru" => l.t("org-other-ru"),
        "terms.other_information.en" => l.t("org-other-en"),
        "respond_by" => l.t("org-respond-by"),
        _ => return None,
    })
}

fn request_form(
    l: &L,
    csrf: &str,
    purposes: &[StoredPurpose],
    chosen: &StoredPurpose,
    catalogue: &[Category],
    f: &Fields,
    err: Option<&Error>,
) -> Markup {
    let label = err
        .and_then(|e| e.field.as_deref())
        .and_then(|x| request_label(l, x));
    let cats_bad = invalid(err, "terms.categories");
    let language = f.get("subject.language");
    html! {
        p { (l.t("org-request-intro")) }
        @if purposes.len() > 1 {
            form.filters method="get" action="/console/consents/new" {
                div {
                    label for="choose-purpose" { (l.t("term-purpose")) }
                    select id="choose-purpose" name="purpose" {
                        @for p in purposes {
                            option value=(p.purpose.code) selected[p.purpose.code == chosen.purpose.code] { (l.pick(&p.purpose.name)) " (" (p.purpose.code) ")" }
                        }
                    }
                }
                button.secondary type="submit" { (l.t("org-choose-purpose")) }
            }
        }
        (error_summary(l, err, label))
        form.org method="post" action="/console/consents" novalidate {
            (csrf_field(csrf))
            input type="hidden" name="purpose" value=(chosen.purpose.code);
            p { strong { (l.t("term-purpose")) ": " } (l.pick(&chosen.purpose.name)) " (" code { (chosen.purpose.code) } ")" }
            (inline_error(l, err, "purpose"))
            fieldset {
                legend { (l.t("subject")) }
                (input(l, err, Text::new("subject.iin", l.t("iin"), f).required().max(12).mode("numeric")))
                (input(l, err, Text::new("subject.name.surname", l.t("org-surname"), f).required().max(100)))
                (input(l, err, Text::new("subject.name.given_name", l.t("org-given-name"), f).required().max(100)))
                (input(l, err, Text::new("subject.name.patronymic", l.t("org-patronymic"), f).max(100)))
                p.hint { (l.t("org-contact-hint")) }
                (inline_error(l, err, "subject.contact"))
                (input(l, err, Text::new("subject.contact.phone", l.t("org-phone"), f).kind("tel").max(16).complete("off")))
                (input(l, err, Text::new("subject.contact.email", l.t("org-email"), f).kind("email").max(254)))
                div.field {
                    label for=(id_of("subject.language")) { (l.t("org-language")) }
                    select id=(id_of("subject.language")) name="subject.language" {
                        @for (code, name) in LANGS {
                            option value=(code) lang=(code) selected[language == code] { (name) }
                        }
                    }
                }
            }
            fieldset id=(id_of("terms.categories")) aria-invalid=[cats_bad.0] aria-describedby=[cats_bad.1] {
                legend { (l.t("org-data-legend")) }
                (inline_error(l, err, "terms.categories"))
                @for k in &chosen.purpose.categories {
                    @let id = format!("term-cat-{}", k.as_str().replace('.', "-"));
                    (checkbox(&id, "terms.categories", k.as_str(), f.has("terms.categories", k.as_str()),
                        html! { (category_name(l, catalogue, k.as_str())) }))
                }
            }
            fieldset {
                legend { (l.t("org-terms-legend")) }
                (input(l, err, Text::new("terms.valid_from", l.t("org-valid-from"), f).kind("date").hint(l.t("org-valid-from-hint"))))
                (input(l, err, Text::new("terms.valid_until", l.t("org-valid-until-field"), f).kind("date").required().hint(l.t("org-valid-until-hint"))))
                (checkbox(&id_of("terms.transfer_to_third_parties.allowed"), "terms.transfer_to_third_parties.allowed", "on",
                    f.on("terms.transfer_to_third_parties.allowed"), html! { (l.t("org-transfer-allowed")) }))
                (input(l, err, Text::new("terms.transfer_to_third_parties.recipients", l.t("org-recipients"), f).max(1400).hint(l.t("org-recipients-hint"))))
                (checkbox(&id_of("terms.cross_border_transfer.allowed"), "terms.cross_border_transfer.allowed", "on",
                    f.on("terms.cross_border_transfer.allowed"), html! { (l.t("org-cross-border-allowed")) }))
                (input(l, err, Text::new("terms.cross_border_transfer.countries", l.t("org-countries"), f).max(400).hint(l.t("org-countries-hint"))))
                (checkbox(&id_of("terms.dissemination_in_public_sources"), "terms.dissemination_in_public_sources", "on",
                    f.on("terms.dissemination_in_public_sources"), html! { (l.t("org-public-allowed")) }))
            }
            fieldset {
                legend { (l.t("term-other")) }
                p.hint { (l.t("org-other-hint")) }
                (textarea(l, err, Text::new("terms.other_information.kk", l.t("org-other-kk"), f).max(4000)))
                (textarea(l, err, Text::new("terms.other_information.ru", l.t("org-other-ru"), f).max(4000)))
                (textarea(l, err, Text::new("terms.other_information.en", l.t("org-other-en"), f).max(4000)))
            }
            (input(l, err, Text::new("respond_by", l.t("org-respond-by"), f).kind("date").hint(l.t("org-respond-by-hint"))))
            button type="submit" { (l.t("org-send-request")) }
        }
    }
}

/// The form for one of the organization's purposes (`code`, else the first).
async fn request_form_page(
    app: &App,
    c: &Console,
    code: Option<&str>,
    f: Option<&Fields>,
    err: Option<&Error>,
) -> Response {
    let l = &c.l;
    let (Ok(purposes), Ok(catalogue)) = (
        app.store.list_purposes(c.org).await,
        app.store.list_categories().await,
    ) else {
        return failure(c);
    };
    let chosen = code
        .and_then(|code| purposes.iter().find(|p| p.purpose.code.as_str() == code))
        .or_else(|| purposes.first());
    let body = match chosen {
        None => html! {
            p { (l.t("org-no-purposes")) }
            p { a href="/console/purposes" { (l.t("org-all-purposes")) } }
        },
        Some(chosen) => {
            let blank;
            let f = match f {
                Some(f) => f,
                None => {
                    // A year from today, in the deployment's time zone, to start from.
                    let until = app
                        .clock
                        .now()
                        .to_zoned(app.deadlines.tz.clone())
                        .date()
                        .checked_add(jiff::Span::new().years(1))
                        .map(|d| d.to_string())
                        .unwrap_or_default();
                    blank = Fields::with(&[
                        ("terms.valid_until", until),
                        ("subject.language", l.lang.to_owned()),
                    ]);
                    &blank
                }
            };
            request_form(l, &c.csrf, &purposes, chosen, &catalogue, f, err)
        }
    };
    let status = if err.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    c.page_with_status(
        "/console/consents/new",
        &l.t("org-request-title"),
        body,
        status,
    )
}

async fn new_request(
    State(app): State<App>,
    c: Console,
    Query(q): Query<PurposeChoice>,
) -> Response {
    if let Some(r) = c.lacks(Scope::ConsentsWrite) {
        return r;
    }
    request_form_page(&app, &c, q.purpose.as_deref(), None, None).await
}

/// A date from a date field: the first moment of the day, or (`end`) the last, in the
/// deployment's time zone.
fn day(
    f: &Fields,
    name: &str,
    end: bool,
    tz: &jiff::tz::TimeZone,
) -> Result<Option<jiff::Timestamp>, Error> {
    let s = f.get(name);
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || Error::new(ErrorCode::ValidationFailed).at(name);
    let d: jiff::civil::Date = s.parse().map_err(|_| bad())?;
    let t = if end {
        d.at(23, 59, 59, 0)
    } else {
        d.at(0, 0, 0, 0)
    };
    t.to_zoned(tz.clone())
        .map(|z| Some(z.timestamp()))
        .map_err(|_| bad())
}

/// Several values in one field, separated by spaces, commas or semicolons.
fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|x| !x.is_empty())
}

/// The request the form describes, or the error about its first wrong field.
fn parse_request(f: &Fields, tz: &jiff::tz::TimeZone) -> Result<NewConsentRequest, Error> {
    let purpose = PurposeCode::parse(&f.get("purpose")).map_err(|e| e.at("purpose"))?;
    let iin = Iin::parse(&f.get("subject.iin")).map_err(|e| e.at("subject.iin"))?;
    let phone: String = f
        .get("subject.contact.phone")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let subject = SubjectDetails {
        iin,
        name: PersonName {
            surname: f.get("subject.name.surname"),
            given_name: f.get("subject.name.given_name"),
            patronymic: optional(f.get("subject.name.patronymic")),
        },
        contact: Contact {
            phone: optional(phone),
            email: optional(f.get("subject.contact.email")),
        },
        language: Language::parse(&f.get("subject.language")).unwrap_or_default(),
    };
    let categories = f
        .all("terms.categories")
        .iter()
        .map(|k| CategoryCode::parse(k).map_err(|e| e.at("terms.categories")))
        .collect::<Result<BTreeSet<_>, _>>()?;
    let valid_from = day(f, "terms.valid_from", false, tz)?;
    let valid_until = day(f, "terms.valid_until", true, tz)?
        .ok_or_else(|| Error::new(ErrorCode::ValidationFailed).at("terms.valid_until"))?;
    let recipients_field = "terms.transfer_to_third_parties.recipients";
    let recipients = list(&f.get(recipients_field))
        .map(|b| Bin::parse(b).map_err(|e| e.at(recipients_field)))
        .collect::<Result<Vec<_>, _>>()?;
    let countries_field = "terms.cross_border_transfer.countries";
    let countries = list(&f.get(countries_field))
        .map(|k| CountryCode::parse(&k.to_ascii_uppercase()).map_err(|e| e.at(countries_field)))
        .collect::<Result<Vec<_>, _>>()?;
    let terms = ConsentTerms {
        categories,
        valid_from,
        valid_until,
        transfer_to_third_parties: TransferTerms {
            allowed: f.on("terms.transfer_to_third_parties.allowed"),
            recipients,
        },
        cross_border_transfer: CrossBorderTerms {
            allowed: f.on("terms.cross_border_transfer.allowed"),
            countries,
        },
        dissemination_in_public_sources: f.on("terms.dissemination_in_public_sources"),
        other_information: localized(f, "terms.other_information"),
    };
    Ok(NewConsentRequest {
        purpose,
        subject,
        representative: None,
        terms,
        respond_by: day(f, "respond_by", true, tz)?,
        supersedes: None,
    })
}

async fn create_request(State(app): State<App>, form: Form<Console, Fields>) -> Response {
    let c = form.who;
    let f = form.form;
    if let Some(r) = c.lacks(Scope::ConsentsWrite) {
        return r;
    }
    let now = app.clock.now();
    let result = match parse_request(&f, &app.deadlines.tz) {
        Ok(req) => app.store.create_consent_request(c.org, req, now).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => see_other(&format!("/console/consents/{}", v.id)),
        Err(e) => {
            let code = f.get("purpose");
            request_form_page(&app, &c, Some(&code), Some(&f), Some(&e)).await
        }
    }
}
