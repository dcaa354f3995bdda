//! Access decisions over HTTP: every answer with its reasons, every decision recorded.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{bin, iin, Backend, Operator, TestApp, BIN_A, IIN_A, IIN_B};

fn codes(d: &Value) -> Vec<String> {
    d["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn decide(app: &TestApp, key: &str, body: Value) -> Value {
    let (s, d) = app.post("/v1/access-decisions", Some(key), body).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    d
}

fn ask(iin: &str, action: &str, categories: &[&str]) -> Value {
    json!({"subject_iin": iin, "action": action, "purpose": "loan", "categories": categories})
}

/// A consent for `loan` with the given changes to the default terms.
async fn consent_with(app: &TestApp, op: &Operator, iin: &str, terms: &[(&str, Value)]) -> Value {
    let mut body = app.request_body(iin, "+77011234567");
    for (k, v) in terms {
        body["terms"][*k] = v.clone();
    }
    app.give_consent_on(op, body).await
}

pub async fn decisions_follow_the_consent(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;

    // Nobody has consented yet: a deny, recorded, with no personal data in it.
    let d = decide(&app, &op.key, ask(IIN_A, "use", &["full_name"])).await;
    assert_eq!(d["decision"], "deny");
    assert_eq!(codes(&d), ["ART7_1_NO_ACTIVE_CONSENT"]);
    assert!(!d.to_string().contains(IIN_A));

    let c = consent_with(&app, &op, IIN_A, &[]).await;
    let cid = c["id"].as_str().unwrap();
    let d = decide(&app, &op.key, ask(IIN_A, "use", &["full_name", "income"])).await;
    assert_eq!(d["decision"], "allow", "{d}");
    assert_eq!(codes(&d), ["ART8_CONSENT_IN_FORCE"]);
    assert_eq!(d["consent"]["id"], cid);
    assert_eq!(d["consent"]["version"], 1);
    let r = &d["reasons"][0];
    assert_eq!(r["article"], "Art. 7(1), 8");
    assert!(
        r["message"]["kk"].as_str().unwrap().contains("келісім"),
        "{r}"
    );
    assert!(
        r["message"]["ru"].as_str().unwrap().contains("Согласие"),
        "{r}"
    );
    assert!(
        r["message"]["en"].as_str().unwrap().contains("consent"),
        "{r}"
    );
    assert!(d["sequence"].as_i64().unwrap() > 0);

    // Minimization, transfer, dissemination, cross-border: each reason that applies.
    let d = decide(&app, &op.key, ask(IIN_A, "view", &["full_name", "iin"])).await;
    assert_eq!(codes(&d), ["ART7_9_CATEGORY_NOT_CONSENTED"]);
    let d = decide(&app, &op.key, ask(IIN_A, "view", &["health"])).await;
    assert_eq!(
        codes(&d),
        [
            "ART7_9_CATEGORY_NOT_CONSENTED",
            "ART25_2_1_CATEGORY_NOT_APPROVED"
        ]
    );
    let mut t = ask(IIN_A, "transfer", &["full_name"]);
    t["recipient"] = json!({"bin": bin(3)});
    let d = decide(&app, &op.key, t).await;
    assert_eq!(codes(&d), ["ART15_TRANSFER_NOT_CONSENTED"]);
    let d = decide(&app, &op.key, ask(IIN_A, "disseminate", &["full_name"])).await;
    assert_eq!(codes(&d), ["ART7_3_DISSEMINATION_NOT_CONSENTED"]);
    let mut t = ask(IIN_A, "transfer", &["full_name"]);
    t["recipient"] = json!({"country": "US"});
    let d = decide(&app, &op.key, t.clone()).await;
    assert_eq!(codes(&d), ["ART16_3_NO_CROSS_BORDER_CONSENT"]);
    assert_eq!(d["reasons"][0]["article"], "Art. 16(3)");
    t["cross_border_ground"] = json!("international_treaty");
    let d = decide(&app, &op.key, t).await;
    assert_eq!(
        (d["decision"].as_str(), d["reasons"][1]["code"].as_str()),
        (Some("allow"), Some("ART16_3_CROSS_BORDER_GROUND"))
    );
    assert_eq!(d["reasons"][1]["article"], "Art. 16(3)(2)");
    let mut t = ask(IIN_A, "transfer", &["full_name"]);
    t["recipient"] = json!({"country": "BY"});
    let d = decide(&app, &op.key, t).await;
    assert_eq!(
        codes(&d),
        ["ART8_CONSENT_IN_FORCE", "ART16_2_ADEQUATE_COUNTRY"]
    );

    // Another purpose of the same operator was never consented to.
    let (s, _) = app
        .post("/v1/purposes", Some(&op.key), json!({"code": "marketing", "name": {"kk": "Маркетинг", "ru": "Маркетинг"}, "categories": ["full_name"], "storage_term_days": 30}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let mut m = ask(IIN_A, "use", &["full_name"]);
    m["purpose"] = json!("marketing");
    assert_eq!(
        codes(&decide(&app, &op.key, m).await),
        ["ART7_8_PURPOSE_NOT_CONSENTED"]
    );

    // The term ends exactly at valid_until.
    let until: jiff::Timestamp = c["valid_until"].as_str().unwrap().parse().unwrap();
    app.clock.set(until - SignedDuration::from_micros(1));
    assert_eq!(
        decide(&app, &op.key, ask(IIN_A, "use", &["full_name"])).await["decision"],
        "allow"
    );
    app.clock.set(until);
    assert_eq!(
        codes(&decide(&app, &op.key, ask(IIN_A, "use", &["full_name"])).await),
        ["ART8_4_CONSENT_EXPIRED"]
    );
    app.clock.set(until - SignedDuration::from_hours(24));

    // Withdrawn: denied at once.
    let session = app.sign_in(IIN_A).await;
    let (s, _) = app
        .post(
            &format!("/v1/consents/{cid}/withdraw"),
            Some(&session),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let d = decide(&app, &op.key, ask(IIN_A, "use", &["full_name"])).await;
    assert_eq!(codes(&d), ["ART8_CONSENT_WITHDRAWN"]);
    assert_eq!(d["consent"]["id"], cid);

    // Every decision above was recorded, allow or deny.
    assert_eq!(app.store().count_decisions().await.unwrap(), 13);
    app.cleanup().await;
}

pub async fn third_party_is_judged_by_the_holders_consent(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let named = app.create_org(&bin(1), "third_party").await;
    let stranger = app.create_org(&bin(2), "third_party").await;
    consent_with(
        &app,
        &op,
        IIN_B,
        &[(
            "transfer_to_third_parties",
            json!({"allowed": true, "recipients": [bin(1)]}),
        )],
    )
    .await;

    let mut q = ask(IIN_B, "collect", &["full_name"]);
    q["holder_bin"] = json!(BIN_A);
    let d = decide(&app, &named.key, q.clone()).await;
    assert_eq!(
        (d["decision"].as_str(), codes(&d)),
        (Some("allow"), vec!["ART8_CONSENT_IN_FORCE".to_owned()])
    );
    let d = decide(&app, &stranger.key, q.clone()).await;
    assert_eq!(codes(&d), ["ART15_RECIPIENT_NOT_NAMED"]);
    // The operator itself may transfer to the named third party, not to another.
    let mut t = ask(IIN_B, "transfer", &["full_name"]);
    t["recipient"] = json!({"bin": bin(1), "country": "KZ"});
    assert_eq!(decide(&app, &op.key, t.clone()).await["decision"], "allow");
    t["recipient"] = json!({"bin": bin(2)});
    assert_eq!(
        codes(&decide(&app, &op.key, t).await),
        ["ART15_RECIPIENT_NOT_NAMED"]
    );

    // A third party must name a holder that is an owner or operator.
    let (s, p) = app
        .post(
            "/v1/access-decisions",
            Some(&named.key),
            ask(IIN_B, "collect", &["full_name"]),
        )
        .await;
    assert_eq!(
        (s, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("holder_bin"))
    );
    q["holder_bin"] = json!(bin(2));
    let (s, p) = app.post("/v1/access-decisions", Some(&named.key), q).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_holder"))
    );
    assert_eq!(app.store().count_decisions().await.unwrap(), 4);
    app.cleanup().await;
}

pub async fn legal_grounds_blocking_and_protective_actions(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let other = app.operator(&bin(5)).await;
    let (s, g) = app
        .post(
            &format!("/v1/organizations/{}/legal-grounds", op.id),
            Some(&app.admin),
            json!({"ground": "art9_9_1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    assert_eq!(g["grounds"], json!(["art9_9_1"]));
    // Only an administrator registers grounds.
    let (s, _) = app
        .post(
            &format!("/v1/organizations/{}/legal-grounds", other.id),
            Some(&other.key),
            json!({"ground": "art9_9_1"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let subject = iin(42);
    let mut q = ask(&subject, "collect", &["income"]);
    q["legal_ground"] = json!("art9_9_1");
    let d = decide(&app, &op.key, q.clone()).await;
    assert_eq!(
        (d["decision"].as_str(), codes(&d)),
        (Some("allow"), vec!["ART9_GROUND_APPLIES".to_owned()])
    );
    assert_eq!(d["reasons"][0]["article"], "Art. 9(9-1)");
    assert_eq!(d["legal_ground"], "art9_9_1");
    assert_eq!(d["consent"], Value::Null);
    let d = decide(&app, &other.key, q).await;
    assert_eq!(codes(&d), ["ART9_GROUND_NOT_REGISTERED"]);

    // Blocking at the operator stops every processing there, and nowhere else.
    consent_with(&app, &op, IIN_A, &[]).await;
    consent_with(&app, &other, IIN_A, &[]).await;
    let op_id = uuid::Uuid::parse_str(&op.id).unwrap();
    let iin_a = qorgau_core::id::Iin::parse(IIN_A).unwrap();
    assert!(app
        .store()
        .block_subject(op_id, &iin_a, app.now())
        .await
        .unwrap());
    let unknown = qorgau_core::id::Iin::parse(&iin(4242)).unwrap();
    assert!(!app
        .store()
        .block_subject(op_id, &unknown, app.now())
        .await
        .unwrap());
    let d = decide(&app, &op.key, ask(IIN_A, "use", &["full_name"])).await;
    assert_eq!(codes(&d), ["ART1_3_DATA_BLOCKED"]);
    assert_eq!(
        decide(&app, &other.key, ask(IIN_A, "use", &["full_name"])).await["decision"],
        "allow"
    );
    // Destruction is owed whatever the state.
    let d = decide(&app, &op.key, ask(IIN_A, "destroy", &["full_name"])).await;
    assert_eq!(codes(&d), ["ART18_PROTECTIVE_ACTION"]);
    app.cleanup().await;
}

pub async fn bad_decision_requests_record_nothing(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    consent_with(&app, &op, IIN_A, &[]).await;
    let good = ask(IIN_A, "use", &["full_name"]);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        v
    };
    let cases: Vec<(&str, Value, &str, Option<&str>)> = vec![
        (
            "unknown action",
            with(&|v| v["action"] = json!("sell")),
            "validation_failed",
            Some("action"),
        ),
        (
            "unknown purpose",
            with(&|v| v["purpose"] = json!("astrology")),
            "unknown_purpose",
            Some("purpose"),
        ),
        (
            "invalid IIN",
            with(&|v| v["subject_iin"] = json!("900101300018")),
            "invalid_iin",
            Some("subject_iin"),
        ),
        (
            "unknown category",
            with(&|v| v["categories"] = json!(["shoe_size"])),
            "unknown_category",
            Some("categories"),
        ),
        (
            "no categories",
            with(&|v| v["categories"] = json!([])),
            "validation_failed",
            Some("categories"),
        ),
        (
            "transfer without recipient",
            with(&|v| v["action"] = json!("transfer")),
            "validation_failed",
            Some("recipient"),
        ),
        (
            "recipient on a use",
            with(&|v| v["recipient"] = json!({"country": "DE"})),
            "validation_failed",
            Some("recipient"),
        ),
        (
            "bad recipient BIN",
            with(&|v| {
                v["action"] = json!("transfer");
                v["recipient"] = json!({"bin": "040840001232"});
            }),
            "invalid_bin",
            Some("recipient.bin"),
        ),
        (
            "lower-case country",
            with(&|v| {
                v["action"] = json!("transfer");
                v["recipient"] = json!({"country": "de"});
            }),
            "invalid_country",
            Some("recipient.country"),
        ),
        (
            "not a country",
            with(&|v| {
                v["action"] = json!("transfer");
                v["recipient"] = json!({"country": "XX"});
            }),
            "invalid_country",
            Some("recipient.country"),
        ),
        (
            "unknown Art. 9 ground",
            with(&|v| v["legal_ground"] = json!("art9_99")),
            "validation_failed",
            Some("legal_ground"),
        ),
        (
            "cross-border ground at home",
            with(&|v| v["cross_border_ground"] = json!("law")),
            "validation_failed",
            Some("cross_border_ground"),
        ),
        (
            "holder that is not the operator",
            with(&|v| v["holder_bin"] = json!(bin(9))),
            "validation_failed",
            Some("holder_bin"),
        ),
        (
            "unknown field",
            with(&|v| v["why_not"] = json!(true)),
            "validation_failed",
            Some("why_not"),
        ),
    ];
    for (what, body, code, field) in cases {
        let (s, p) = app.post("/v1/access-decisions", Some(&op.key), body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {p}");
        assert_eq!(p["code"], code, "{what}: {p}");
        if let Some(f) = field {
            assert_eq!(p["field"], f, "{what}: {p}");
        }
        assert!(
            !p.to_string().contains(IIN_A),
            "{what}: personal data in an error"
        );
    }
    // A key without the `decisions` scope may not ask.
    let (s, k) = app
        .post(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&app.admin),
            json!({"label": "ro", "scopes": ["consents:read"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, p) = app
        .post("/v1/access-decisions", k["token"].as_str(), good.clone())
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("insufficient_scope"))
    );
    assert_eq!(app.store().count_decisions().await.unwrap(), 0);
    app.cleanup().await;
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut c = app.store().reader().await.unwrap();
    qorgau_store::db::count(&mut c, sql).await.unwrap()
}

/// Prewarming reads every entry of the indexes a decision reads, writes nothing, and on
/// SQLite fails rather than warm something else when an index is missing.
pub async fn prewarm_reads_the_decisions_indexes(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    consent_with(&app, &op, IIN_A, &[]).await;
    consent_with(&app, &op, IIN_B, &[]).await;
    // A request not answered yet: a consent row (pending) and a subject all the same.
    app.create_request(&op, app.request_body(&iin(3), "+77011234569"))
        .await;
    // Enough subjects that the indexes are read as many key ranges at once: every entry
    // is counted once, none twice.
    crate::web_org::seed(&app, &op, 300).await;
    let entries = count(&app, "SELECT COUNT(*) FROM ledger_entries").await;

    let warmed = app.store().prewarm_decisions().await.unwrap();
    match b {
        Backend::Sqlite => {
            let p = warmed.expect("SQLite prewarms");
            assert_eq!(p.subjects, 303);
            assert_eq!(p.consents, 303);
            assert_eq!(
                p.subjects as i64,
                count(&app, "SELECT COUNT(*) FROM subjects").await
            );
            assert_eq!(
                p.consents as i64,
                count(&app, "SELECT COUNT(*) FROM consents").await
            );
        }
        Backend::Postgres => assert_eq!(warmed, None),
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM ledger_entries").await,
        entries,
        "prewarming writes nothing"
    );
    let d = decide(&app, &op.key, ask(IIN_A, "use", &["full_name"])).await;
    assert_eq!(d["decision"], "allow", "{d}");

    if b == Backend::Sqlite {
        app.store()
            .write(|c| {
                Box::pin(async move {
                    qorgau_store::db::query("DROP INDEX consents_facts")
                        .execute(c)
                        .await
                        .map_err(qorgau_store::db)?;
                    Ok(())
                })
            })
            .await
            .unwrap();
        assert!(
            app.store().prewarm_decisions().await.is_err(),
            "a missing index is an error, not a scan of the table"
        );
    }
    app.cleanup().await;
}
