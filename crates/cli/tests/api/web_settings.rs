//! The console's organization, API keys and webhooks pages, over HTTP and in the browser;
//! and the API behind the organization page: the person responsible for organizing the
//! processing of personal data (Art. 25(2)(10), 25(3)) and the policy documents
//! (Art. 25(2)(1-1)).

use fantoccini::Locator;
use qorgau_core::crypto::sha256;
use qorgau_ledger::entry::hex;
use reqwest::header::{CACHE_CONTROL, COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::auth::{staff, Staff};
use crate::browser::{attr, click, fill, shoot, staff_sign_in, text, Driver};
use crate::harness::{bin, Backend, Operator, TestApp, IIN_A};
use crate::web::Web;

/// The DPO every test organization starts with (from the harness).
const FIRST_DPO: [&str; 2] = ["Айгүл Дербесова", "dpo@example.kz"];
/// The one the tests appoint.
const NEW_DPO: [&str; 3] = ["Нұрлан Қорғаушы", "+77017778899", "nurlan.dpo@bank.kz"];

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    app.request(Method::PUT, path, Some(token), Some(body))
        .await
}

/// Every ledger entry, as the auditor sees them.
async fn entries(app: &TestApp) -> Vec<Value> {
    let (s, v) = app
        .get("/v1/ledger/entries?limit=1000", Some(&app.admin))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry"].clone())
        .collect()
}

async fn entries_of(app: &TestApp, kind: &str, org: &str) -> Vec<Value> {
    entries(app)
        .await
        .into_iter()
        .filter(|e| e["kind"] == kind && e["organization"] == org)
        .collect()
}

async fn policies(app: &TestApp, org: &str) -> Vec<Value> {
    let (s, v) = app
        .get(
            &format!("/v1/organizations/{org}/policies"),
            Some(&app.admin),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

async fn org_record(app: &TestApp, org: &str) -> Value {
    let (s, v) = app
        .get(&format!("/v1/organizations/{org}"), Some(&app.admin))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn sha_hex(s: &str) -> String {
    hex(&sha256(s.as_bytes()))
}

/// The DPO and the policy documents through the API: who may, what is refused, that
/// versions are kept, and that the ledger records each change without the person's
/// name or contacts.
pub async fn dpo_and_policies_over_the_api(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.create_org(&bin(70), "operator").await;
    let other = app.create_org(&bin(71), "operator").await;
    let admin = staff(&app, &app.admin, "admin@bank.kz", "org_admin", Some(&op.id)).await;
    let dpo = staff(&app, &app.admin, "dpo@bank.kz", "dpo", Some(&op.id)).await;
    let processor = staff(&app, &app.admin, "ops@bank.kz", "processor", Some(&op.id)).await;
    let other_admin = staff(
        &app,
        &app.admin,
        "admin@other.kz",
        "org_admin",
        Some(&other.id),
    )
    .await;
    let dpo_path = format!("/v1/organizations/{}/dpo", op.id);
    let new_dpo = json!({"name": NEW_DPO[0], "phone": NEW_DPO[1], "email": NEW_DPO[2]});

    // Who may name the responsible person: not an API key (keys never manage the
    // organization), not the DPO or a processor, not another organization's admin.
    for (who, token, status) in [
        ("the organization's API key", &op.key, StatusCode::FORBIDDEN),
        ("its DPO", &dpo.token, StatusCode::FORBIDDEN),
        ("a processor", &processor.token, StatusCode::FORBIDDEN),
        (
            "another organization's admin",
            &other_admin.token,
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (s, p) = put(&app, &dpo_path, token, new_dpo.clone()).await;
        assert_eq!(s, status, "{who}: {p}");
    }
    assert_eq!(org_record(&app, &op.id).await["dpo"]["name"], FIRST_DPO[0]);
    let (s, p) = app
        .request(Method::PUT, &dpo_path, None, Some(new_dpo.clone()))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{p}");

    // Refused input, with the field named; nothing changes.
    for (body, code, field) in [
        (json!({"name": "Нұрлан"}), "no_contact", "dpo"),
        (
            json!({"name": "Нұрлан", "phone": "8 701 777"}),
            "invalid_contact",
            "dpo.phone",
        ),
        (
            json!({"name": "Нұрлан", "email": "not-an-email"}),
            "invalid_contact",
            "dpo.email",
        ),
        (
            json!({"name": "x".repeat(201), "email": "a@b.kz"}),
            "validation_failed",
            "dpo.name",
        ),
        (
            json!({"name": " ", "email": "a@b.kz"}),
            "validation_failed",
            "dpo.name",
        ),
    ] {
        let (s, p) = put(&app, &dpo_path, &admin.token, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {p}");
        assert_eq!(
            (p["code"].as_str(), p["field"].as_str()),
            (Some(code), Some(field)),
            "{body}: {p}"
        );
    }
    let (s, p) = put(
        &app,
        &dpo_path,
        &admin.token,
        json!({"name": "Нұрлан", "email": "a@b.kz", "salary": 1}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "unknown field: {p}");
    assert_eq!(org_record(&app, &op.id).await["dpo"]["name"], FIRST_DPO[0]);
    assert!(entries_of(&app, "organization.dpo_changed", &op.id)
        .await
        .is_empty());

    // The organization's administrator names the new person.
    let (s, org) = put(&app, &dpo_path, &admin.token, new_dpo.clone()).await;
    assert_eq!(s, StatusCode::OK, "{org}");
    assert_eq!(org["dpo"], new_dpo);
    assert_eq!(org_record(&app, &op.id).await["dpo"], new_dpo);
    // Naming the same person again records nothing new; a service administrator may too.
    let (s, _) = put(&app, &dpo_path, &admin.token, new_dpo.clone()).await;
    assert_eq!(s, StatusCode::OK);
    let changes = entries_of(&app, "organization.dpo_changed", &op.id).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    let e = &changes[0];
    assert_eq!(e["actor"], json!({"kind": "account", "id": admin.id}));
    assert_eq!(e["object"], format!("organization:{}", op.id));
    assert_eq!(e["detail"]["contact"], "phone email");
    let h = e["detail"]["dpo_hmac"].as_str().unwrap();
    assert!(
        h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()),
        "{h}"
    );
    // A keyed hash: not the plain SHA-256 of the record.
    assert_ne!(h, sha_hex(&new_dpo.to_string()));
    let text = e.to_string();
    for pd in NEW_DPO
        .iter()
        .chain(FIRST_DPO.iter())
        .chain(["77017778899", "Нұрлан"].iter())
    {
        assert!(
            !text.contains(pd),
            "the ledger entry holds personal data: {text}"
        );
    }
    let (s, back) = put(
        &app,
        &dpo_path,
        &app.admin,
        json!({"name": FIRST_DPO[0], "email": FIRST_DPO[1]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{back}");
    assert_eq!(
        entries_of(&app, "organization.dpo_changed", &op.id)
            .await
            .len(),
        2
    );

    // Policy documents: none yet; read by the organization (any key or role), refused
    // to others as if it did not exist.
    let pol_path = format!("/v1/organizations/{}/policies", op.id);
    assert!(policies(&app, &op.id).await.is_empty());
    for token in [&op.key, &processor.token] {
        let (s, v) = app.get(&pol_path, Some(token)).await;
        assert_eq!((s, v.clone()), (StatusCode::OK, json!([])), "{v}");
    }
    let (s, p) = app.get(&pol_path, Some(&other.key)).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );

    let text_v1 =
        "1. Жалпы ережелер.\nОператор дербес деректерді тек бекітілген мақсаттарда өңдейді.";
    let v1 = json!({"title": "Дербес деректерді өңдеу саясаты", "adopted_on": "2026-02-20", "text": text_v1});
    for (who, token, status) in [
        ("the organization's API key", &op.key, StatusCode::FORBIDDEN),
        ("a processor", &processor.token, StatusCode::FORBIDDEN),
        (
            "another organization's admin",
            &other_admin.token,
            StatusCode::NOT_FOUND,
        ),
        (
            "another organization's key",
            &other.key,
            StatusCode::FORBIDDEN,
        ),
    ] {
        let (s, p) = app.post(&pol_path, Some(token), v1.clone()).await;
        assert_eq!(s, status, "{who}: {p}");
    }
    assert!(policies(&app, &op.id).await.is_empty());

    // The DPO adopts the first version: its SHA-256 is computed from the text.
    let (s, d1) = app.post(&pol_path, Some(&dpo.token), v1.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{d1}");
    assert_eq!(d1["version"], 1);
    assert_eq!(d1["sha256"], sha_hex(text_v1));
    assert_eq!(d1["adopted_on"], "2026-02-20");
    assert_eq!(d1["text"], text_v1);

    // Refused: each with its field, and nothing recorded.
    let file_hash = "A".repeat(64);
    let refused = [
        (
            json!({"title": "P", "adopted_on": "2026-03-01", "url": "http://bank.kz/policy.pdf", "sha256": file_hash}),
            "validation_failed",
            "url",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-03-01", "url": "https://", "sha256": file_hash}),
            "validation_failed",
            "url",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-03-01", "url": "https://user@bank.kz/p", "sha256": file_hash}),
            "validation_failed",
            "url",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-03-01", "url": "https://bank.kz/policy.pdf"}),
            "validation_failed",
            "sha256",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-03-01", "url": "https://bank.kz/policy.pdf", "sha256": "abc"}),
            "validation_failed",
            "sha256",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-03-01", "text": "Мәтін", "sha256": "0".repeat(64)}),
            "validation_failed",
            "sha256",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-03-01"}),
            "validation_failed",
            "text",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-03-01", "text": "   "}),
            "validation_failed",
            "text",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-03-01", "text": "x".repeat(48 * 1024 + 1)}),
            "validation_failed",
            "text",
        ),
        (
            json!({"title": "x".repeat(301), "adopted_on": "2026-03-01", "text": "T"}),
            "validation_failed",
            "title",
        ),
        (
            json!({"title": "", "adopted_on": "2026-03-01", "text": "T"}),
            "validation_failed",
            "title",
        ),
        // Tomorrow in Almaty (the test's clock is 2 March 2026, 11:00 there).
        (
            json!({"title": "P", "adopted_on": "2026-03-03", "text": "T"}),
            "validation_failed",
            "adopted_on",
        ),
        (
            json!({"title": "P", "adopted_on": "2013-05-20", "text": "T"}),
            "validation_failed",
            "adopted_on",
        ),
        (
            json!({"title": "P", "adopted_on": "2026-02-30", "text": "T"}),
            "validation_failed",
            "adopted_on",
        ),
        (
            json!({"title": "P", "adopted_on": "yesterday", "text": "T"}),
            "validation_failed",
            "adopted_on",
        ),
        // Before the version in force.
        (
            json!({"title": "P", "adopted_on": "2026-02-19", "text": "T"}),
            "dates_out_of_order",
            "adopted_on",
        ),
    ];
    for (body, code, field) in refused {
        let (s, p) = app.post(&pol_path, Some(&admin.token), body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(
            (p["code"].as_str(), p["field"].as_str()),
            (Some(code), Some(field)),
            "{}",
            &body.to_string()[..body.to_string().len().min(200)]
        );
        assert_eq!(
            p["type"],
            format!("urn:qorgau:problem:{code}"),
            "problem+json"
        );
    }
    let (s, p) = app
        .post(
            &pol_path,
            Some(&admin.token),
            json!({"title": "P", "adopted_on": "2026-03-01", "text": "x".repeat(70_000)}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
    );
    let (s, p) = app
        .post(
            &pol_path,
            Some(&admin.token),
            json!({"title": "P", "adopted_on": "2026-03-01", "text": "T", "approved_by": "board"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "unknown field: {p}");
    assert_eq!(policies(&app, &op.id).await.len(), 1);

    // The administrator adopts version 2, published at an address with its file's hash.
    let (s, d2) = app
        .post(
            &pol_path,
            Some(&admin.token),
            json!({"title": "Саясат, 2-редакция", "adopted_on": "2026-03-02",
                   "url": "https://bank.kz/privacy/policy-v2.pdf", "sha256": file_hash}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d2}");
    assert_eq!(d2["version"], 2);
    assert_eq!(d2["sha256"], "a".repeat(64), "stored in lowercase");
    assert_eq!(d2["text"], Value::Null);
    // A service administrator may adopt too; the same day as the last one is fine.
    let (s, d3) = app
        .post(
            &pol_path,
            Some(&app.admin),
            json!({"title": "Саясат, 3-редакция", "adopted_on": "2026-03-02", "text": "Үшінші"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d3}");

    // Every version is kept, newest first.
    let all = policies(&app, &op.id).await;
    let versions: Vec<i64> = all.iter().map(|p| p["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, [3, 2, 1]);
    assert_eq!(all[2], d1);
    let (s, mine) = app.get(&pol_path, Some(&op.key)).await;
    assert_eq!((s, mine.as_array().unwrap().len()), (StatusCode::OK, 3));
    assert!(policies(&app, &other.id).await.is_empty());

    // Each adoption is in the ledger with its version, date and hash, and who did it.
    let adopted = entries_of(&app, "organization.policy_adopted", &op.id).await;
    assert_eq!(adopted.len(), 3, "{adopted:?}");
    let e1 = adopted
        .iter()
        .find(|e| e["detail"]["version"] == "1")
        .unwrap();
    assert_eq!(e1["detail"]["sha256"], sha_hex(text_v1));
    assert_eq!(e1["detail"]["adopted_on"], "2026-02-20");
    assert_eq!(e1["actor"], json!({"kind": "account", "id": dpo.id}));
    assert_eq!(
        e1["object"],
        format!("policy_document:{}", d1["id"].as_str().unwrap())
    );
    assert!(
        !e1.to_string().contains("Жалпы ережелер"),
        "no text in the ledger"
    );

    // The OpenAPI document describes the new operations.
    let (_, doc) = app.get("/v1/openapi.json", None).await;
    assert!(doc["paths"]["/v1/organizations/{id}/dpo"]["put"].is_object());
    assert!(doc["paths"]["/v1/organizations/{id}/policies"]["get"].is_object());
    assert!(doc["paths"]["/v1/organizations/{id}/policies"]["post"].is_object());
    app.cleanup().await;
}

async fn key_count(app: &TestApp, org: &str) -> usize {
    let (s, v) = app
        .get(
            &format!("/v1/organizations/{org}/api-keys"),
            Some(&app.admin),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    v.as_array().unwrap().len()
}

async fn webhook_list(app: &TestApp, key: &str) -> Vec<Value> {
    let (s, v) = app.get("/v1/webhooks", Some(key)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

/// A post as a browser makes it, for looking at the answer's headers.
async fn raw_post(
    app: &TestApp,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}{path}", app.base))
        .header(COOKIE, format!("__Host-qorgau-session={token}"))
        .header("sec-fetch-site", "same-origin")
        .header("accept-language", "en")
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// The secret starting with `prefix` shown in a page.
fn secret_in(html: &str, prefix: &str) -> String {
    let at = html
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} secret in {html}"));
    html[at..at + html[at..].find('<').unwrap()].to_owned()
}

async fn staff_of(app: &TestApp, op: &Operator) -> (Staff, Staff, Staff) {
    (
        staff(app, &app.admin, "admin@bank.kz", "org_admin", Some(&op.id)).await,
        staff(app, &app.admin, "dpo@bank.kz", "dpo", Some(&op.id)).await,
        staff(app, &app.admin, "ops@bank.kz", "processor", Some(&op.id)).await,
    )
}

/// The organization page: the record, the DPO and the policies; the administrator
/// changes the DPO and adopts a version; the DPO may adopt but not appoint; a processor
/// reads only; a form without its token changes nothing.
pub async fn console_organization_page(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.create_org(&bin(70), "operator").await;
    let (admin, dpo, processor) = staff_of(&app, &op).await;
    let w = Web::new(&app, &admin.token, "en");

    let p = w.get("/console/organization").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    for shown in [
        "Org ",
        &bin(70),
        "Operator of a database containing personal data",
        "Person responsible for organizing the processing of personal data",
        FIRST_DPO[0],
        FIRST_DPO[1],
        "No policy document is recorded yet.",
        "action=\"/console/organization/dpo\"",
        "action=\"/console/organization/policies\"",
        "<label for=\"dpo-name\">",
        "<label for=\"policy-adopted\">",
    ] {
        assert!(
            p.html.contains(shown),
            "{shown} not on the page: {}",
            p.html
        );
    }

    // A form without its token: refused, nothing changed.
    let r = w
        .post(
            "/console/organization/dpo",
            &[("name", NEW_DPO[0]), ("email", NEW_DPO[2])],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = w
        .post(
            "/console/organization/dpo",
            &[
                ("csrf", "forged"),
                ("name", NEW_DPO[0]),
                ("email", NEW_DPO[2]),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(org_record(&app, &op.id).await["dpo"]["name"], FIRST_DPO[0]);

    // A wrong phone is shown as an alert, with what was typed kept.
    let r = w
        .submit(
            "/console/organization",
            "/console/organization/dpo",
            &[("name", NEW_DPO[0]), ("phone", "8701"), ("email", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html.contains("role=\"alert\""), "{}", r.html);
    assert!(r.html.contains(NEW_DPO[0]));
    let r = w
        .submit(
            "/console/organization",
            "/console/organization/dpo",
            &[("name", NEW_DPO[0]), ("phone", ""), ("email", "")],
        )
        .await;
    assert!(
        r.html
            .contains("Give a phone or an email of the responsible person."),
        "{}",
        r.html
    );
    assert_eq!(org_record(&app, &op.id).await["dpo"]["name"], FIRST_DPO[0]);

    // The administrator appoints the new DPO.
    let r = w
        .submit(
            "/console/organization",
            "/console/organization/dpo",
            &[
                ("name", NEW_DPO[0]),
                ("phone", NEW_DPO[1]),
                ("email", NEW_DPO[2]),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/console/organization#dpo")),
        "{}",
        r.html
    );
    let rec = org_record(&app, &op.id).await;
    assert_eq!(
        rec["dpo"],
        json!({"name": NEW_DPO[0], "phone": NEW_DPO[1], "email": NEW_DPO[2]})
    );
    let p = w.get("/console/organization").await;
    assert!(p.html.contains(NEW_DPO[2]) && !p.html.contains(FIRST_DPO[1]));
    let e = entries_of(&app, "organization.dpo_changed", &op.id).await;
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["actor"]["id"], admin.id.as_str());

    // A policy adopted in the console: the browser's CR LF kept as LF and hashed so.
    let r = w
        .submit(
            "/console/organization",
            "/console/organization/policies",
            &[
                ("title", "Privacy policy"),
                ("adopted_on", "2026-03-01"),
                ("url", "http://bank.kz/policy"),
                ("text", "Line one\r\nLine two"),
                ("sha256", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.html.contains("role=\"alert\"") && r.html.contains("must begin with https://"),
        "{}",
        r.html
    );
    assert!(policies(&app, &op.id).await.is_empty());
    let r = w
        .submit(
            "/console/organization",
            "/console/organization/policies",
            &[
                ("title", "Privacy policy"),
                ("adopted_on", "2026-03-01"),
                ("url", "https://bank.kz/policy"),
                ("text", "Line one\r\nLine two"),
                ("sha256", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let all = policies(&app, &op.id).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["text"], "Line one\nLine two");
    assert_eq!(all[0]["sha256"], sha_hex("Line one\nLine two"));
    assert_eq!(all[0]["url"], "https://bank.kz/policy");
    let p = w.get("/console/organization").await;
    for shown in [
        "<caption>Versions of the policy document, newest first</caption>",
        "Privacy policy",
        "01/03/2026",
        &sha_hex("Line one\nLine two"),
        "href=\"https://bank.kz/policy\"",
    ] {
        assert!(
            p.html.contains(shown),
            "{shown} not on the page: {}",
            p.html
        );
    }

    // The DPO (in Russian) may adopt a new version, but not appoint someone else.
    let wd = Web::new(&app, &dpo.token, "ru");
    let p = wd.get("/console/organization").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.html.contains("action=\"/console/organization/policies\""));
    assert!(!p.html.contains("action=\"/console/organization/dpo\""));
    assert!(p
        .html
        .contains("Изменить это может только администратор организации."));
    let r = wd
        .submit(
            "/console/organization",
            "/console/organization/dpo",
            &[("name", "Кто-то другой"), ("email", "x@y.kz")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = wd
        .submit(
            "/console/organization",
            "/console/organization/policies",
            &[
                ("title", "Политика"),
                ("adopted_on", "2026-02-01"),
                ("text", "Текст"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "before the version in force"
    );
    assert!(
        r.html
            .contains("не может быть утверждена раньше действующей (01.03.2026)"),
        "{}",
        r.html
    );
    let r = wd
        .submit(
            "/console/organization",
            "/console/organization/policies",
            &[
                ("title", "Политика"),
                ("adopted_on", "2026-03-02"),
                ("text", "Текст"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    assert_eq!(policies(&app, &op.id).await.len(), 2);

    // A processor (in Kazakh) reads the page and cannot change anything.
    let wp = Web::new(&app, &processor.token, "kk");
    let p = wp.get("/console/organization").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.html.contains(NEW_DPO[0])
            && p.html
                .contains("Дербес деректерді өңдеуді ұйымдастыруға жауапты адам")
    );
    assert!(!p.html.contains("action=\"/console/organization/dpo\""));
    assert!(!p.html.contains("action=\"/console/organization/policies\""));
    for (to, fields) in [
        (
            "/console/organization/dpo",
            vec![("name", "Басқа"), ("email", "x@y.kz")],
        ),
        (
            "/console/organization/policies",
            vec![
                ("title", "Саясат"),
                ("adopted_on", "2026-03-02"),
                ("text", "Мәтін"),
            ],
        ),
    ] {
        let r = wp.submit("/console/organization", to, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{to}");
    }
    assert_eq!(org_record(&app, &op.id).await["dpo"]["name"], NEW_DPO[0]);
    assert_eq!(policies(&app, &op.id).await.len(), 2);
    app.cleanup().await;
}

/// API keys in the console: issued with chosen scopes and shown once, working against
/// the API and within its scopes; rotated (the new secret once, the old key refused);
/// revoked after a confirmation (refused by the API). Only the organization's
/// administrator; a form without its token changes nothing.
pub async fn console_api_keys(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(70)).await;
    let (admin, dpo, processor) = staff_of(&app, &op).await;
    let w = Web::new(&app, &admin.token, "en");
    let key_count = || key_count(&app, &op.id);
    assert_eq!(key_count().await, 1);

    // Other roles are refused the page and the form.
    for (who, t) in [("processor", &processor.token), ("dpo", &dpo.token)] {
        let other = Web::new(&app, t, "en");
        let p = other.get("/console/keys").await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{who}");
        assert!(!p.html.contains("qk_"));
        let csrf = other.get("/console/organization").await.csrf();
        let r = other
            .post(
                "/console/keys",
                &[
                    ("csrf", &csrf),
                    ("label", "mine"),
                    ("scope-decisions", "on"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    // A form without its token.
    let r = w
        .post(
            "/console/keys",
            &[("label", "forged"), ("scope-decisions", "on")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(key_count().await, 1);

    let p = w.get("/console/keys").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p
        .html
        .contains("<caption>The organization's API keys</caption>"));
    assert!(p.html.contains("<th scope=\"col\">Last used</th>"));
    assert!(p.html.contains("<label for=\"scope-consents-read\">"));
    // No scope chosen: refused with a reason.
    let r = w
        .submit("/console/keys", "/console/keys", &[("label", "ERP")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.html.contains("Choose at least one scope."));
    assert_eq!(key_count().await, 1);

    // Issued: the secret is on the answer, which no cache may keep.
    let csrf = w.get("/console/keys").await.csrf();
    let resp = raw_post(
        &app,
        &admin.token,
        "/console/keys",
        &[
            ("csrf", &csrf),
            ("label", "ERP reader"),
            ("scope-consents:read", "on"),
            ("scope-decisions", "on"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CACHE_CONTROL], "no-store");
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Key issued") && html.contains("shown only this once"),
        "{html}"
    );
    let token = secret_in(&html, "qk_");
    let secret_part = token.split('.').nth(1).unwrap().to_owned();
    assert_eq!(key_count().await, 2);
    let (_, keys) = app
        .get(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&app.admin),
        )
        .await;
    let issued = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["label"] == "ERP reader")
        .unwrap()
        .clone();
    assert_eq!(issued["scopes"], json!(["consents:read", "decisions"]));
    let key_id = issued["id"].as_str().unwrap().to_owned();

    // It works against the API, within its scopes.
    let (s, v) = app.get("/v1/consents", Some(&token)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = app
        .post(
            "/v1/purposes",
            Some(&token),
            json!({"code": "hr", "name": {"kk": "Кадр", "ru": "Кадры"}, "categories": ["full_name"], "storage_term_days": 10}),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("insufficient_scope"))
    );
    // The secret is on no later page.
    let p = w.get("/console/keys").await;
    assert!(p.html.contains("ERP reader") && p.html.contains("Read consents (consents:read)"));
    let rotate_page = w.get(&format!("/console/keys/{key_id}/rotate")).await;
    let revoke_page = w.get(&format!("/console/keys/{key_id}/revoke")).await;
    for page in [
        &p,
        &rotate_page,
        &revoke_page,
        &w.get("/console/organization").await,
    ] {
        assert!(!page.html.contains(&secret_part) && !page.html.contains(&token));
    }
    assert!(rotate_page.html.contains("<label for=\"grace\">"));
    // Looking at the confirmation pages changed nothing.
    let (s, _) = app.get("/v1/consents", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);

    // Rotated at once: a new secret, shown once; the old key is refused.
    let r = w
        .submit(
            &format!("/console/keys/{key_id}/rotate"),
            &format!("/console/keys/{key_id}/rotate"),
            &[("grace_seconds", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.html);
    assert!(r.html.contains("Key rotated"));
    let rotated = secret_in(&r.html, "qk_");
    assert_ne!(rotated, token);
    let (s, _) = app.get("/v1/consents", Some(&token)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the old key after rotation");
    let (s, _) = app.get("/v1/consents", Some(&rotated)).await;
    assert_eq!(s, StatusCode::OK);
    let p = w.get("/console/keys").await;
    assert!(!p.html.contains(&rotated) && !p.html.contains(rotated.split('.').nth(1).unwrap()));
    // The old key has no actions any more.
    let r = w.get(&format!("/console/keys/{key_id}/revoke")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Revoked after the confirmation step: the API refuses it.
    let new_id = format!(
        "{}",
        uuid::Uuid::try_parse(&rotated[3..rotated.find('.').unwrap()]).unwrap()
    );
    let confirm = w.get(&format!("/console/keys/{new_id}/revoke")).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.html);
    assert!(confirm.html.contains("Revoke the key «ERP reader»?"));
    let r = w
        .post(
            &format!("/console/keys/{new_id}/revoke"),
            &[("csrf", "wrong")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (s, _) = app.get("/v1/consents", Some(&rotated)).await;
    assert_eq!(s, StatusCode::OK, "still live after a forged post");
    let r = w
        .submit(
            &format!("/console/keys/{new_id}/revoke"),
            &format!("/console/keys/{new_id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/console/keys"))
    );
    let (s, p) = app.get("/v1/consents", Some(&rotated)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{p}");
    let p = w.get("/console/keys").await;
    assert!(p.html.contains("Revoked"));
    // Another organization's key is not found from here.
    let other = app.create_org(&bin(71), "operator").await;
    let (_, theirs) = app
        .get(
            &format!("/v1/organizations/{}/api-keys", other.id),
            Some(&app.admin),
        )
        .await;
    let theirs = theirs[0]["id"].as_str().unwrap();
    assert_eq!(
        w.get(&format!("/console/keys/{theirs}/revoke"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = w
        .submit(
            "/console/keys",
            &format!("/console/keys/{theirs}/revoke"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let (s, _) = app.get("/v1/consents", Some(&other.key)).await;
    assert_eq!(s, StatusCode::OK);
    app.cleanup().await;
}

/// Webhooks in the console: registered with its events (the signing secret once),
/// seen by the API, its deliveries with their status, disabled after a confirmation.
/// For roles with `events`; a form without its token changes nothing.
pub async fn console_webhooks(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(70)).await;
    let (admin, dpo, processor) = staff_of(&app, &op).await;
    let w = Web::new(&app, &admin.token, "en");
    let api_list = || webhook_list(&app, &op.key);

    // The DPO's role has no `events`.
    let wd = Web::new(&app, &dpo.token, "en");
    assert_eq!(
        wd.get("/console/webhooks").await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = wd.get("/console/organization").await.csrf();
    let r = wd
        .post(
            "/console/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "https://dpo.example/hook"),
                ("event-request.filed", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A form without its token.
    let r = w
        .post(
            "/console/webhooks",
            &[
                ("url", "https://forged.example/hook"),
                ("event-request.filed", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(api_list().await.is_empty());

    let p = w.get("/console/webhooks").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.html.contains("No endpoints are registered."));
    assert!(p
        .html
        .contains("<label for=\"event-consent-confirmed\">Consent given</label>"));
    for (url, msg) in [
        ("ftp://bank.kz/hook", "Enter an http:// or https:// address"),
        ("https://", "Enter an http:// or https:// address"),
    ] {
        let r = w
            .submit(
                "/console/webhooks",
                "/console/webhooks",
                &[("url", url), ("event-consent.confirmed", "on")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert!(
            r.html.contains(msg) && r.html.contains("role=\"alert\""),
            "{}",
            r.html
        );
    }
    let r = w
        .submit(
            "/console/webhooks",
            "/console/webhooks",
            &[("url", "https://bank.kz/hook")],
        )
        .await;
    assert!(r.html.contains("Choose at least one event."));
    assert!(api_list().await.is_empty());

    // Registered: the signing secret on the answer only, never cached.
    let hook = "http://127.0.0.1:9/qorgau-hook";
    let csrf = w.get("/console/webhooks").await.csrf();
    let resp = raw_post(
        &app,
        &admin.token,
        "/console/webhooks",
        &[
            ("csrf", &csrf),
            ("url", hook),
            ("event-consent.confirmed", "on"),
            ("event-consent.withdrawn", "on"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CACHE_CONTROL], "no-store");
    let html = resp.text().await.unwrap();
    let secret = secret_in(&html, "whsec_");
    assert!(secret.len() > 40, "{secret}");
    let list = api_list().await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["url"], hook);
    assert_eq!(
        list[0]["events"],
        json!(["consent.confirmed", "consent.withdrawn"])
    );
    assert_eq!(list[0]["disabled_at"], Value::Null);
    let id = list[0]["id"].as_str().unwrap().to_owned();

    // A consent confirmed: one delivery, attempted and failing (nobody listens there).
    app.give_consent(&op, IIN_A, "+77011234567").await;
    app.deliver().await;
    let p = w.get(&format!("/console/webhooks/{id}")).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.html);
    assert!(p
        .html
        .contains("<caption>The latest deliveries to this endpoint, newest first</caption>"));
    assert!(
        p.html
            .contains("<th scope=\"row\" data-label=\"Event\">Consent given</th>"),
        "{}",
        p.html
    );
    assert!(p.html.contains("Waiting to be sent"), "{}", p.html);
    let (_, d) = app
        .get(&format!("/v1/webhooks/{id}/deliveries"), Some(&op.key))
        .await;
    assert_eq!(d.as_array().unwrap().len(), 1, "{d}");
    assert!(d[0]["attempts"].as_i64().unwrap() >= 1);
    // The processor (events) sees it too; the secret is on no later page.
    let wp = Web::new(&app, &processor.token, "kk");
    let listing = wp.get("/console/webhooks").await;
    assert_eq!(listing.status, StatusCode::OK);
    assert!(listing.html.contains(hook) && listing.html.contains("Келісім берілді"));
    let secret_b64 = secret.trim_start_matches("whsec_");
    for page in [
        &listing,
        &w.get("/console/webhooks").await,
        &p,
        &w.get(&format!("/console/webhooks/{id}/disable")).await,
    ] {
        assert!(!page.html.contains(secret_b64));
    }
    // Another organization's endpoint is not found from here.
    let other = app.create_org(&bin(71), "operator").await;
    let (s, theirs) = app
        .post(
            "/v1/webhooks",
            Some(&other.key),
            json!({"url": "https://other.kz/hook"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let theirs = theirs["id"].as_str().unwrap();
    assert_eq!(
        w.get(&format!("/console/webhooks/{theirs}")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = w
        .submit(
            "/console/webhooks",
            &format!("/console/webhooks/{theirs}/disable"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Disabled after the confirmation step.
    let confirm = w.get(&format!("/console/webhooks/{id}/disable")).await;
    assert!(confirm
        .html
        .contains("Stop sending events to this address?"));
    assert_eq!(
        api_list().await[0]["disabled_at"],
        Value::Null,
        "a look changes nothing"
    );
    let r = w
        .submit(
            &format!("/console/webhooks/{id}/disable"),
            &format!("/console/webhooks/{id}/disable"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    assert!(api_list().await[0]["disabled_at"].is_string());
    let p = w.get(&format!("/console/webhooks/{id}")).await;
    assert!(
        p.html.contains("Disabled") && p.html.contains("Failed"),
        "{}",
        p.html
    );
    assert_eq!(
        w.get(&format!("/console/webhooks/{id}/disable"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let disabled = entries_of(&app, "webhook.disabled", &op.id).await;
    assert_eq!(disabled[0]["actor"]["id"], admin.id.as_str());
    let (_, theirs_now) = app.get("/v1/webhooks", Some(&other.key)).await;
    assert_eq!(theirs_now[0]["disabled_at"], Value::Null);
    app.cleanup().await;
}

/// In Chromium: the administrator signs in, appoints the DPO, adopts a policy, issues an
/// API key (shown once) and registers a webhook. Screenshots of the organization page,
/// the key-issued page and the webhooks page.
pub async fn settings_in_the_browser(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(70)).await;
    let admin = staff(&app, &app.admin, "admin@bank.kz", "org_admin", Some(&op.id)).await;
    let driver = Driver::start().await;
    let c = &driver.client;
    let base = app.base.clone();
    app.clock.advance(jiff::SignedDuration::from_secs(30));
    c.goto(&format!("{base}/lang/kk?back=/console/sign-in"))
        .await
        .unwrap();
    staff_sign_in(c, &app, &admin).await;

    // The DPO.
    c.goto(&format!("{base}/console/organization"))
        .await
        .unwrap();
    assert_eq!(attr(c, "html", "lang").await, "kk");
    assert!(text(c).await.contains(FIRST_DPO[0]));
    fill(c, "#dpo-name", NEW_DPO[0]).await;
    fill(c, "#dpo-phone", NEW_DPO[1]).await;
    fill(c, "#dpo-email", NEW_DPO[2]).await;
    click(
        c,
        "form[action='/console/organization/dpo'] button[type=submit]",
    )
    .await;
    let t = text(c).await;
    assert!(t.contains(NEW_DPO[0]) && t.contains(NEW_DPO[2]), "{t}");
    assert_eq!(org_record(&app, &op.id).await["dpo"]["email"], NEW_DPO[2]);

    // A policy, adopted today (the date field takes the browser's format; set it
    // through the keyboard as Chromium's date input expects: day, month, year vary by
    // locale, so fill the value directly).
    fill(c, "#policy-title", "Дербес деректерді өңдеу саясаты").await;
    c.execute(
        "document.getElementById('policy-adopted').value = '2026-03-01'",
        vec![],
    )
    .await
    .unwrap();
    fill(c, "#policy-url", "https://bank.kz/privacy").await;
    fill(
        c,
        "#policy-text",
        "1. Жалпы ережелер.\n2. Деректерді қорғау.",
    )
    .await;
    click(
        c,
        "form[action='/console/organization/policies'] button[type=submit]",
    )
    .await;
    let t = text(c).await;
    assert!(
        t.contains("Дербес деректерді өңдеу саясаты") && t.contains("01.03.2026"),
        "{t}"
    );
    let all = policies(&app, &op.id).await;
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0]["sha256"],
        sha_hex("1. Жалпы ережелер.\n2. Деректерді қорғау.")
    );
    c.goto(&format!("{base}/console/organization"))
        .await
        .unwrap();
    shoot(c, "settings-organization").await;

    // An API key: shown once.
    c.goto(&format!("{base}/console/keys")).await.unwrap();
    fill(c, "#key-label", "CRM").await;
    // Only consents:read and events.
    for s in [
        "catalogue-write",
        "consents-write",
        "decisions",
        "ledger-read",
        "requests",
    ] {
        c.find(Locator::Css(&format!("#scope-{s}")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    click(c, "form[action='/console/keys'] button[type=submit]").await;
    let token = c
        .find(Locator::Css("#secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(token.starts_with("qk_"), "{token}");
    shoot(c, "settings-key-issued").await;
    let (s, _) = app.get("/v1/consents", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);
    c.goto(&format!("{base}/console/keys")).await.unwrap();
    let source = c.source().await.unwrap();
    assert!(source.contains("CRM") && !source.contains(&token));

    // A webhook.
    c.goto(&format!("{base}/console/webhooks")).await.unwrap();
    fill(c, "#webhook-url", "https://crm.bank.kz/qorgau").await;
    click(c, "form[action='/console/webhooks'] button[type=submit]").await;
    let secret = c
        .find(Locator::Css("#secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let (_, hooks) = app.get("/v1/webhooks", Some(&op.key)).await;
    assert_eq!(hooks[0]["url"], "https://crm.bank.kz/qorgau");
    click(c, "main a.button").await;
    let t = text(c).await;
    assert!(
        t.contains("https://crm.bank.kz/qorgau") && !t.contains(&secret),
        "{t}"
    );
    shoot(c, "settings-webhooks").await;
    driver.stop().await;
    app.cleanup().await;
}
