//! The inspector's view, over HTTP and in the browser: organizations with their
//! counts, overdue requests across organizations (never a subject's identity), the
//! ledger's checkpoints and evidence bundles that verify offline and are recorded,
//! and who may enter at all.

use base64::Engine;
use fantoccini::Locator;
use jiff::SignedDuration;
use qorgau_ledger::bundle::{verify_bundle, Bundle};
use qorgau_ledger::{Entry, NoteVerifier};
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::browser::{click, shoot, staff_sign_in, text, Driver};
use crate::harness::{bin, ts, Backend, Operator, TestApp, BIN_A, IIN_A, IIN_B};
use crate::web::Web;

/// What would identify the subjects of the test data: none of it may be shown.
const SUBJECT_MARKS: [&str; 5] = [IIN_A, IIN_B, "Сериков", "Арман", "Болатұлы"];

fn assert_no_subject(html: &str, page: &str) {
    for m in SUBJECT_MARKS {
        assert!(!html.contains(m), "{page} shows {m}");
    }
}

async fn file(app: &TestApp, token: &str, org_bin: &str, kind: &str) -> String {
    let (s, v) = app
        .post(
            "/v1/requests",
            Some(token),
            json!({"organization_bin": org_bin, "kind": kind, "text": "Что вы храните обо мне? Сериков Арман"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_owned()
}

/// The table row (`<tr …>…</tr>`) that contains `marker`.
fn row<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in {html}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

/// The numbers of a row's `num` cells, in order.
fn nums(row: &str) -> Vec<String> {
    row.split("class=\"num\"")
        .skip(1)
        .map(|c| {
            let c = &c[c.find('>').unwrap() + 1..];
            c[..c.find('<').unwrap()].trim().to_owned()
        })
        .collect()
}

/// Rows of the page's (first) table body.
fn body_rows(html: &str) -> usize {
    let Some(start) = html.find("<tbody>") else {
        return 0;
    };
    let end = start + html[start..].find("</tbody>").unwrap();
    html[start..end].matches("<tr").count()
}

/// Two organizations, three subjects' requests (two to A, one to B), a consent at each.
struct Data {
    a: Operator,
    b: Operator,
    bin_b: String,
}

async fn data(app: &TestApp) -> Data {
    let a = app.operator(BIN_A).await;
    let bin_b = bin(2);
    let b = app.operator(&bin_b).await;
    app.give_consent(&a, IIN_A, "+77011234567").await;
    app.give_consent(&b, IIN_B, "+77017654321").await;
    // Monday 2 March 2026: destruction is due in one working day (Tuesday 3 March),
    // information in three (Thursday 5 March).
    let me = app.sign_in(IIN_A).await;
    file(app, &me, BIN_A, "destroy").await;
    file(app, &me, BIN_A, "information").await;
    let other = app.sign_in(IIN_B).await;
    file(app, &other, &bin_b, "information").await;
    Data { a, b, bin_b }
}

/// Sign the staff member in again (a new session: the clock jumps days, and sessions
/// end when idle).
async fn sign_in_again(app: &TestApp, s: &crate::auth::Staff) -> String {
    app.clock.advance(SignedDuration::from_secs(30));
    let (st, first) = app
        .post(
            "/v1/auth/sign-in",
            None,
            json!({"email": s.email, "password": crate::auth::PASSWORD}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{first}");
    let code = qorgau_core::auth::totp_code(&s.secret, qorgau_core::auth::totp_step(app.now()));
    let (st, done) = app
        .post(
            "/v1/auth/mfa",
            first["token"].as_str(),
            json!({"code": code}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{done}");
    done["token"].as_str().unwrap().to_owned()
}

/// A bundle downloaded from the page: status, headers, body.
async fn download(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/inspect/evidence", app.base))
        .header("cookie", format!("__Host-qorgau-session={token}"))
        .header("accept-language", "en")
        .header("sec-fetch-site", "same-origin")
        .form(fields)
        .send()
        .await
        .unwrap()
}

fn entry_of(b64: &str) -> Entry {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    Entry::from_bytes(&bytes).unwrap()
}

/// The `evidence.exported` entries in the ledger now.
async fn exports(app: &TestApp) -> Vec<Entry> {
    let size = app.store().ledger_size().await.unwrap();
    app.store()
        .ledger_entries(0, size, None)
        .await
        .unwrap()
        .iter()
        .filter_map(|e| Entry::from_bytes(&e.body))
        .filter(|e| e.kind == "evidence.exported")
        .collect()
}

pub async fn inspector_sees_organizations_overdue_requests_and_evidence(b: Backend) {
    let app = TestApp::spawn(b).await;
    let d = data(&app).await;
    let insp = crate::auth::staff(&app, &app.admin, "inspector@gov.kz", "inspector", None).await;

    // Wednesday 4 March, 15:00 in Almaty: the destruction request is one working day late.
    app.clock.set(ts("2026-03-04T10:00:00Z"));
    assert_eq!(app.store().sweep_requests(app.now(), 100).await.unwrap(), 1);
    let token = sign_in_again(&app, &insp).await;
    let web = Web::new(&app, &token, "en");

    // Organizations, each with its counts and its person responsible as registered.
    let p = web.get("/inspect").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    let ra = row(&p.html, &format!("/inspect/organizations/{}", d.a.id));
    assert!(ra.contains(BIN_A) && ra.contains("Operator"), "{ra}");
    assert!(
        ra.contains("Айгүл Дербесова") && ra.contains("dpo@example.kz"),
        "{ra}"
    );
    // Open, overdue, answered late, consents in force.
    assert_eq!(nums(ra), ["2", "1", "0", "1"], "{ra}");
    let rb = row(&p.html, &format!("/inspect/organizations/{}", d.b.id));
    assert!(rb.contains(&d.bin_b), "{rb}");
    assert_eq!(nums(rb), ["1", "0", "0", "1"], "{rb}");
    assert!(p.html.contains("<caption>") && p.html.contains("scope=\"col\""));
    assert_no_subject(&p.html, "/inspect");

    // One overdue request, everywhere: its organization, kind, due date, days late.
    let p = web.get("/inspect/overdue").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains("One request is overdue."), "{}", p.html);
    assert_eq!(body_rows(&p.html), 1, "{}", p.html);
    let r = row(&p.html, "Destruction");
    assert!(r.contains(&format!("Org {BIN_A}")), "{r}");
    assert!(r.contains("03/03/2026"), "{r}");
    assert_eq!(nums(r), ["1"], "{r}");
    assert_no_subject(&p.html, "/inspect/overdue");

    // The organization's page: its requests by state and deadline, filtered.
    let here = format!("/inspect/organizations/{}", d.a.id);
    let p = web.get(&here).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains(BIN_A) && p.html.contains("dpo@example.kz"));
    assert_eq!(body_rows(&p.html), 2, "{}", p.html);
    assert!(p.html.contains("Information about the processing"));
    assert!(p
        .html
        .contains(&format!("/inspect/ledger?organization={}#export", d.a.id)));
    assert_no_subject(&p.html, &here);
    let p = web.get(&format!("{here}?overdue=on")).await;
    assert_eq!(body_rows(&p.html), 1, "{}", p.html);
    assert!(p.html.contains("Destruction"));
    let p = web.get(&format!("{here}?state=completed")).await;
    assert_eq!(body_rows(&p.html), 0, "{}", p.html);
    assert!(p.html.contains("No requests for this choice."));
    let p = web
        .get(&format!("/inspect/organizations/{}", uuid::Uuid::nil()))
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    let p = web.get("/inspect/organizations/not-an-id").await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);

    // Friday 6 March: all three overdue, the longest overdue first.
    app.clock.set(ts("2026-03-06T10:00:00Z"));
    let token = sign_in_again(&app, &insp).await;
    let web = Web::new(&app, &token, "en");
    let p = web.get("/inspect/overdue").await;
    assert!(p.html.contains("3 requests are overdue."), "{}", p.html);
    assert_eq!(body_rows(&p.html), 3, "{}", p.html);
    let tbody = &p.html[p.html.find("<tbody>").unwrap()..];
    let first = &tbody[..tbody.find("</tr>").unwrap()];
    assert!(first.contains("Destruction"), "{first}");
    assert_eq!(nums(first), ["3"], "{first}");
    assert!(tbody.contains(&format!("Org {}", d.bin_b)));
    // Russian plural forms.
    let ru = Web::new(&app, &token, "ru");
    let p = ru.get("/inspect/overdue").await;
    assert!(p.html.contains("Просрочено 3 обращения."), "{}", p.html);

    // The ledger page: no checkpoint yet, so no bundle; then the checkpoint, the key.
    let before = exports(&app).await.len();
    let p = web
        .submit(
            "/inspect/ledger",
            "/inspect/evidence",
            &[("organization", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.html);
    assert!(p.html.contains("no checkpoint yet"), "{}", p.html);
    assert!(p.html.contains("role=\"alert\""));
    app.store().ledger_checkpoint(app.now()).await.unwrap();
    let (_, keys) = app.get("/v1/keys", None).await;
    let key = keys["checkpoint_key"].as_str().unwrap().to_owned();
    let p = web.get("/inspect/ledger").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains(&key), "the published key is shown");
    assert!(
        p.html.contains(&format!(
            "qorgau ledger verify --bundle evidence.json --key &#39;{key}&#39;"
        )) || p.html.contains(&format!(
            "qorgau ledger verify --bundle evidence.json --key '{key}'"
        ))
    );
    let head = app.store().checkpoint(None).await.unwrap().unwrap();
    assert!(row(&p.html, &qorgau_ledger::entry::hex(&head.root)).contains(&head.size.to_string()));
    let p = web
        .get(&format!("/inspect/ledger?organization={}", d.a.id))
        .await;
    assert!(
        p.html.contains(&format!("value=\"{}\" selected", d.a.id)),
        "preselected"
    );

    // Organization A's bundle: it verifies with the published key and holds exactly
    // A's entries up to the checkpoint.
    let csrf = p.csrf();
    let a_id = d.a.id.clone();
    let resp = download(
        &app,
        &token,
        &[("csrf", csrf.as_str()), ("organization", a_id.as_str())],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers().clone();
    assert_eq!(h[CONTENT_TYPE], "application/json");
    assert_eq!(h[CACHE_CONTROL], "no-store");
    let cd = h[CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    assert!(
        cd.starts_with("attachment; filename=\"qorgau-evidence-"),
        "{cd}"
    );
    let text = resp.text().await.unwrap();
    assert_no_subject(&text, "the bundle");
    let bundle: Bundle = serde_json::from_str(&text).unwrap();
    let verifier = NoteVerifier::parse(&key).unwrap();
    let report = verify_bundle(&bundle, Some(&verifier)).unwrap();
    assert_eq!(report.head.size, head.size);
    let want: Vec<u64> = app
        .store()
        .ledger_entries(0, head.size, Some(a_id.clone()))
        .await
        .unwrap()
        .iter()
        .map(|e| e.index)
        .collect();
    let got: Vec<u64> = bundle.entries.iter().map(|e| e.index).collect();
    assert!(want.len() >= 5, "A has entries: {want:?}");
    assert_eq!(got, want);
    for e in &bundle.entries {
        assert_eq!(
            entry_of(&e.entry).organization.as_deref(),
            Some(a_id.as_str())
        );
    }
    assert!(bundle.selection.contains(&a_id), "{}", bundle.selection);

    // The export is recorded: who (the account), what (the selection), nothing else.
    let recorded = exports(&app).await;
    assert_eq!(
        recorded.len(),
        before + 1,
        "one record per bundle handed out"
    );
    let e = recorded.last().unwrap();
    assert_eq!(e.actor.kind, "account");
    assert_eq!(e.actor.id.as_deref(), Some(insp.id.as_str()));
    assert_eq!(e.detail["role"], "inspector");
    assert_eq!(e.detail["selected_organization"], a_id);
    assert_eq!(e.detail["from"], "0");
    assert_eq!(e.detail["to"], head.size.to_string());
    assert_eq!(e.detail["entries"], want.len().to_string());
    assert!(e.subject.is_none() && e.organization.is_none());
    let line = String::from_utf8(Entry::to_bytes(e)).unwrap();
    assert!(!line.contains("inspector@gov.kz"), "{line}");
    assert_no_subject(&line, "the record");

    // By period: Monday 2 March (Almaty time), every organization's entries of that day.
    let resp = download(
        &app,
        &token,
        &[
            ("csrf", csrf.as_str()),
            ("from_date", "2026-03-02"),
            ("to_date", "2026-03-02"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let bundle: Bundle = resp.json().await.unwrap();
    verify_bundle(&bundle, Some(&verifier)).unwrap();
    assert!(!bundle.entries.is_empty());
    let day_start = ts("2026-03-01T19:00:00Z");
    let day_end = ts("2026-03-02T19:00:00Z");
    let orgs: std::collections::BTreeSet<Option<String>> = bundle
        .entries
        .iter()
        .map(|e| {
            let entry = entry_of(&e.entry);
            assert!(entry.at >= day_start && entry.at < day_end, "{}", entry.at);
            entry.organization
        })
        .collect();
    assert!(orgs.contains(&Some(d.a.id.clone())) && orgs.contains(&Some(d.b.id.clone())));
    assert_eq!(exports(&app).await.len(), before + 2);

    // Bad selections are refused on the page and record nothing.
    for (fields, says) in [
        (
            vec![("from_index", "3"), ("from_date", "2026-03-02")],
            "not both",
        ),
        (vec![("from_index", "9"), ("to_index", "2")], "comes after"),
        (vec![("from_index", "-1")], "whole number"),
        (vec![("to_date", "2 March")], "YYYY-MM-DD"),
        (
            vec![("organization", "00000000-0000-0000-0000-000000000000")],
            "no such organization",
        ),
    ] {
        let p = web
            .submit("/inspect/ledger", "/inspect/evidence", &fields)
            .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(p.html.contains(says), "{fields:?}: {}", p.html);
    }
    // Without the anti-forgery token, or with another one: refused.
    let p = web.post("/inspect/evidence", &[("organization", "")]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = web
        .post(
            "/inspect/evidence",
            &[("csrf", "forged"), ("organization", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = web.post("/inspect/ledger/verify", &[]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert_eq!(exports(&app).await.len(), before + 2);

    // Verify the whole ledger now.
    let p = web
        .submit("/inspect/ledger", "/inspect/ledger/verify", &[])
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p.html.contains("The ledger holds"), "{}", p.html);

    // Nothing the inspector did changed the organizations' requests.
    let (_, q) = app.get("/v1/requests", Some(&d.a.key)).await;
    let states: Vec<&str> = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["open", "open"]);
    app.cleanup().await;
}

pub async fn only_inspectors_enter_the_inspectors_view(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let insp = crate::auth::staff(&app, &app.admin, "inspector@gov.kz", "inspector", None).await;
    let dpo = crate::auth::staff(&app, &app.admin, "dpo@bank.kz", "dpo", Some(&op.id)).await;
    let admin =
        crate::auth::staff(&app, &app.admin, "admin@qorgau.kz", "service_admin", None).await;
    let subject = app.sign_in(IIN_A).await;
    app.store().ledger_checkpoint(app.now()).await.unwrap();

    let pages = [
        "/inspect",
        "/inspect/overdue",
        "/inspect/ledger",
        &format!("/inspect/organizations/{}", op.id),
    ];
    // An organization's staff go back to their console; a subject and nobody to sign in.
    for (token, to) in [
        (dpo.token.as_str(), "/console"),
        (subject.as_str(), "/console/sign-in"),
        ("qs_nothing", "/console/sign-in"),
    ] {
        let web = Web::new(&app, token, "en");
        for p in pages.iter() {
            let r = web.get(p).await;
            assert_eq!(
                (r.status, r.location.as_deref()),
                (StatusCode::SEE_OTHER, Some(to)),
                "{p}"
            );
        }
    }
    // Staff between password and authenticator code: to the code.
    let (s, first) = app
        .post(
            "/v1/auth/sign-in",
            None,
            json!({"email": "inspector@gov.kz", "password": crate::auth::PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{first}");
    let pending = Web::new(&app, first["token"].as_str().unwrap(), "en");
    let r = pending.get("/inspect").await;
    assert_eq!(r.location.as_deref(), Some("/console/sign-in/mfa"));

    // An organization's staff cannot export either, even with their own valid token.
    let dpo_web = Web::new(&app, &dpo.token, "en");
    let r = dpo_web
        .submit("/console", "/inspect/evidence", &[("organization", "")])
        .await;
    assert_eq!(r.location.as_deref(), Some("/console"));
    assert!(exports(&app).await.is_empty());

    // The inspector and the service administrator enter; the console sends them here.
    for who in [&insp, &admin] {
        let web = Web::new(&app, &who.token, "en");
        for p in pages.iter() {
            let r = web.get(p).await;
            assert_eq!(r.status, StatusCode::OK, "{p}: {}", r.html);
            assert!(r.html.contains("action=\"/inspect/sign-out\""));
        }
        let r = web.get("/console").await;
        assert_eq!(r.location.as_deref(), Some("/inspect"));
    }
    let r = Web::new(&app, &insp.token, "en")
        .get("/inspect/overdue")
        .await;
    assert!(r.html.contains("No request is overdue."), "{}", r.html);
    assert_eq!(body_rows(&r.html), 0);
    // Kazakh is the default, with the authorized body's terms.
    let kk = Web::new(&app, &insp.token, "kk");
    let r = kk.get("/inspect").await;
    assert!(r.html.contains("lang=\"kk\"") && r.html.contains("уәкілетті орган"));

    // Signing out ends the session.
    let web = Web::new(&app, &insp.token, "en");
    let r = web.post("/inspect/sign-out", &[("csrf", "forged")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = web.submit("/inspect", "/inspect/sign-out", &[]).await;
    assert_eq!(r.location.as_deref(), Some("/console/sign-in"));
    let r = web.get("/inspect").await;
    assert_eq!(r.location.as_deref(), Some("/console/sign-in"));
    app.cleanup().await;
}

/// Whether the page fits the window without scrolling sideways.
async fn fits(c: &fantoccini::Client) -> bool {
    let v: Value = c
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    v.as_bool().unwrap()
}

pub async fn inspector_in_the_browser(b: Backend) {
    let app = TestApp::spawn(b).await;
    let d = data(&app).await;
    let insp = crate::auth::staff(&app, &app.admin, "inspector@gov.kz", "inspector", None).await;
    app.clock.set(ts("2026-03-04T10:00:00Z"));
    app.store().sweep_requests(app.now(), 100).await.unwrap();
    app.store().ledger_checkpoint(app.now()).await.unwrap();
    app.clock.advance(SignedDuration::from_mins(2));

    let driver = Driver::start().await;
    let c = &driver.client;
    let base = app.base.clone();
    c.goto(&format!("{base}/lang/en?back=/console/sign-in"))
        .await
        .unwrap();
    staff_sign_in(c, &app, &insp).await;
    // Signed in, the inspector lands on the organizations.
    assert_eq!(c.current_url().await.unwrap().path(), "/inspect");
    let page = text(c).await;
    assert!(page.contains(&format!("Org {BIN_A}")), "{page}");
    assert!(page.contains(&format!("Org {}", d.bin_b)), "{page}");
    shoot(c, "inspect-organizations").await;
    c.set_window_size(390, 844).await.unwrap();
    assert!(
        fits(c).await,
        "the organizations page scrolls sideways at 390 px"
    );

    click(c, &format!("a[href='/inspect/organizations/{}']", d.a.id)).await;
    let page = text(c).await;
    assert!(
        page.contains(BIN_A) && page.contains("Destruction"),
        "{page}"
    );
    shoot(c, "inspect-organization").await;
    c.set_window_size(390, 844).await.unwrap();
    assert!(
        fits(c).await,
        "the organization's page scrolls sideways at 390 px"
    );

    click(c, "header nav a[href='/inspect/overdue']").await;
    let page = text(c).await;
    assert!(page.contains("One request is overdue."), "{page}");
    assert!(page.contains(&format!("Org {BIN_A}")), "{page}");
    for m in SUBJECT_MARKS {
        assert!(!page.contains(m), "the overdue list shows {m}");
    }
    shoot(c, "inspect-overdue").await;
    c.set_window_size(390, 844).await.unwrap();
    assert!(fits(c).await, "the overdue list scrolls sideways at 390 px");

    click(c, "header nav a[href='/inspect/ledger']").await;
    let (_, keys) = app.get("/v1/keys", None).await;
    let key = keys["checkpoint_key"].as_str().unwrap();
    assert_eq!(
        c.find(Locator::Css("#checkpoint-key"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        key
    );
    // Every field of the export form has its label.
    for id in [
        "organization",
        "from_index",
        "to_index",
        "from_date",
        "to_date",
    ] {
        assert!(
            c.find(Locator::Css(&format!("label[for='{id}']")))
                .await
                .is_ok(),
            "no label for {id}"
        );
    }
    shoot(c, "inspect-ledger").await;
    c.set_window_size(390, 844).await.unwrap();
    assert!(fits(c).await, "the ledger page scrolls sideways at 390 px");
    click(c, "form[action='/inspect/ledger/verify'] button").await;
    let page = text(c).await;
    assert!(page.contains("The ledger holds"), "{page}");

    // Sign out: back to the sign-in page, and the view is closed.
    click(c, "header form button").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/console/sign-in");
    c.goto(&format!("{base}/inspect")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/console/sign-in");
    driver.stop().await;
    app.cleanup().await;
}
