use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{Backend, TestApp, BIN_A, IIN_A};

/// Each bad request gets its own coded problem, and afterwards nothing was written:
/// no consent, no subject, no message.
pub async fn bad_input_is_refused_and_changes_nothing(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let good = app.request_body(IIN_A, "+77011234567");
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        v
    };
    let far = (app.now() + jiff::SignedDuration::from_hours(24 * 400)).to_string();
    let cases: Vec<(&str, Value, StatusCode, &str, Option<&str>)> = vec![
        (
            "bad IIN checksum",
            with(&|v| v["subject"]["iin"] = json!("900101300018")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_iin",
            Some("subject.iin"),
        ),
        (
            "IIN too short",
            with(&|v| v["subject"]["iin"] = json!("9001013")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_iin",
            Some("subject.iin"),
        ),
        (
            "IIN as number",
            with(&|v| v["subject"]["iin"] = json!(900101300017u64)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("subject.iin"),
        ),
        (
            "bad recipient BIN",
            with(&|v| {
                v["terms"]["transfer_to_third_parties"] =
                    json!({"allowed": true, "recipients": ["040840001232"]})
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_bin",
            Some("terms.transfer_to_third_parties.recipients[0]"),
        ),
        (
            "unknown country",
            with(&|v| {
                v["terms"]["cross_border_transfer"] = json!({"allowed": true, "countries": ["XX"]})
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_country",
            Some("terms.cross_border_transfer.countries[0]"),
        ),
        (
            "lower-case country",
            with(&|v| {
                v["terms"]["cross_border_transfer"] = json!({"allowed": true, "countries": ["de"]})
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_country",
            Some("terms.cross_border_transfer.countries[0]"),
        ),
        (
            "transfer without recipients",
            with(&|v| v["terms"]["transfer_to_third_parties"] = json!({"allowed": true})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("terms.transfer_to_third_parties.recipients"),
        ),
        (
            "category outside approved list",
            with(&|v| v["terms"]["categories"] = json!(["full_name", "health"])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "category_not_approved",
            Some("terms.categories"),
        ),
        (
            "bad category code",
            with(&|v| v["terms"]["categories"] = json!(["Full Name"])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_category_code",
            Some("terms.categories[0]"),
        ),
        (
            "no categories",
            with(&|v| v["terms"]["categories"] = json!([])),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("terms.categories"),
        ),
        (
            "unknown purpose",
            with(&|v| v["purpose"] = json!("marketing")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_purpose",
            Some("purpose"),
        ),
        (
            "dates out of order",
            with(&|v| {
                v["terms"]["valid_from"] = json!(far.clone());
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "dates_out_of_order",
            Some("terms.valid_until"),
        ),
        (
            "term in the past",
            with(&|v| {
                v["terms"]["valid_from"] = json!("2020-01-01T00:00:00Z");
                v["terms"]["valid_until"] = json!("2021-01-01T00:00:00Z");
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "term_in_past",
            Some("terms.valid_until"),
        ),
        (
            "not a date",
            with(&|v| v["terms"]["valid_until"] = json!("tomorrow")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("terms.valid_until"),
        ),
        (
            "respond_by in the past",
            with(&|v| v["respond_by"] = json!("2020-01-01T00:00:00Z")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "dates_out_of_order",
            Some("respond_by"),
        ),
        (
            "bad phone",
            with(&|v| v["subject"]["contact"]["phone"] = json!("87011234567")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_contact",
            Some("subject.contact.phone"),
        ),
        (
            "no contact",
            with(&|v| v["subject"]["contact"] = json!({})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_contact",
            None,
        ),
        (
            "empty surname",
            with(&|v| v["subject"]["name"]["surname"] = json!("")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("subject.name.surname"),
        ),
        (
            "unknown language",
            with(&|v| v["subject"]["language"] = json!("de")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("subject.language"),
        ),
        (
            "unknown field",
            with(&|v| v["terms"]["sell_to_anyone"] = json!(true)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("terms.sell_to_anyone"),
        ),
        (
            "missing field",
            with(&|v| {
                v["terms"]
                    .as_object_mut()
                    .unwrap()
                    .remove("dissemination_in_public_sources");
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Some("terms"),
        ),
        (
            "supersedes unknown",
            with(&|v| v["supersedes"] = json!("01a2026d-0000-7000-8000-000000000000")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "supersedes_mismatch",
            Some("supersedes"),
        ),
    ];
    for (what, body, status, code, field) in cases {
        let (s, p) = app.post("/v1/consent-requests", Some(&op.key), body).await;
        assert_eq!(s, status, "{what}: {p}");
        assert_eq!(p["code"], code, "{what}: {p}");
        assert_eq!(p["status"], status.as_u16(), "{what}");
        if let Some(f) = field {
            assert_eq!(p["field"], f, "{what}: {p}");
        }
        assert!(
            !p.to_string().contains(IIN_A),
            "{what}: personal data in an error: {p}"
        );
    }

    // Malformed, mistyped and oversized bodies.
    let raw = |body: Vec<u8>, ct: &'static str| {
        app.client
            .post(format!("{}/v1/consent-requests", app.base))
            .bearer_auth(&op.key)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let r = raw(b"{\"purpose\": ".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "malformed_json");
    let r = raw(good.to_string().into_bytes(), "text/plain")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "unsupported_media_type"
    );
    let mut big = good.clone();
    big["terms"]["other_information"]["ru"] = json!("я".repeat(70_000));
    let r = raw(big.to_string().into_bytes(), "application/json")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "payload_too_large"
    );
    let mut long = good.clone();
    long["terms"]["other_information"]["ru"] = json!("я".repeat(4001));
    let (s, p) = app.post("/v1/consent-requests", Some(&op.key), long).await;
    assert_eq!(
        (s, p["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("terms.other_information.ru")
        )
    );

    // Nothing was written.
    let (_, list) = app.get("/v1/consents", Some(&op.key)).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    assert_eq!(app.deliver().await, 0);
    assert!(app.messages().is_empty());
    let (n,): (i64,) = {
        let mut c = app.store().reader().await.unwrap();
        qorgau_store::db::query_as("SELECT COUNT(*) FROM subjects")
            .fetch_one(&mut c)
            .await
            .unwrap()
    };
    assert_eq!(n, 0, "no subject was stored");

    // And the good request still works.
    let (s, _) = app.post("/v1/consent-requests", Some(&op.key), good).await;
    assert_eq!(s, StatusCode::CREATED);
    app.cleanup().await;
}

pub async fn catalogue_rules(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (s, cats) = app.get("/v1/categories", None).await;
    assert_eq!(s, StatusCode::OK);
    let cats = cats.as_array().unwrap();
    let find = |c: &str| cats.iter().find(|x| x["code"] == c).cloned().unwrap();
    assert_eq!(find("biometric.face")["sensitivity"], "biometric");
    assert_eq!(find("phone")["sensitivity"], "restricted");
    assert_eq!(find("iin")["name"]["kk"], "ЖСН");

    let op = app.create_org(BIN_A, "operator").await;
    let purpose = |code: &str, cats: Value, days: u32| json!({"code": code, "name": {"kk": "Мақсат", "ru": "Цель"}, "categories": cats, "storage_term_days": days});
    let (s, p) = app
        .post(
            "/v1/purposes",
            Some(&op.key),
            purpose("p1", json!(["phone", "dna"]), 30),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str(), p["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("unknown_category"),
            Some("categories")
        )
    );
    assert!(p["title"].as_str().unwrap().contains("dna"));
    let (s, p) = app
        .post("/v1/purposes", Some(&op.key), purpose("p1", json!([]), 30))
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    let (s, p) = app
        .post(
            "/v1/purposes",
            Some(&op.key),
            purpose("p1", json!(["phone"]), 0),
        )
        .await;
    assert_eq!(
        (s, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("storage_term_days"))
    );
    let (s, _) = app
        .post(
            "/v1/purposes",
            Some(&op.key),
            purpose("p1", json!(["phone"]), 30),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, p) = app
        .post(
            "/v1/purposes",
            Some(&op.key),
            purpose("p1", json!(["phone"]), 30),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("purpose_exists"))
    );
    let (s, p) = app.get("/v1/purposes/p1", Some(&op.key)).await;
    assert_eq!(
        (s, p["storage_term_days"].as_u64()),
        (StatusCode::OK, Some(30))
    );
    let (s, _) = app.get("/v1/purposes/nope", Some(&op.key)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Administrators extend the catalogue; codes are unique.
    let cat = json!({"code": "education.diploma", "sensitivity": "restricted", "name": {"kk": "Диплом", "ru": "Диплом"}});
    let (s, _) = app
        .post("/v1/categories", Some(&app.admin), cat.clone())
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, p) = app.post("/v1/categories", Some(&app.admin), cat).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("category_exists"))
    );
    let (s, p) = app
        .post(
            "/v1/categories",
            Some(&app.admin),
            json!({"code": "x1", "sensitivity": "secret", "name": {"kk": "x", "ru": "x"}}),
        )
        .await;
    assert_eq!(
        (s, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("sensitivity"))
    );

    // Organizations: BINs are checked and unique.
    let org = |bin: &str| json!({"bin": bin, "name": "Банк", "kind": "owner", "dpo": {"name": "Д", "phone": "+77010000000"}});
    let (s, p) = app
        .post("/v1/organizations", Some(&app.admin), org(BIN_A))
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("organization_exists"))
    );
    let (s, p) = app
        .post("/v1/organizations", Some(&app.admin), org("040840001230"))
        .await;
    assert_eq!(
        (s, p["code"].as_str(), p["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("invalid_bin"),
            Some("bin")
        )
    );
    let (s, p) = app.post("/v1/organizations", Some(&app.admin), json!({"bin": crate::harness::bin(1), "name": "Банк", "kind": "owner", "dpo": {"name": "Д"}})).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("no_contact"))
    );
    app.cleanup().await;
}
