use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::harness::{bin, Backend, TestApp, BIN_A, IIN_A, IIN_B};

/// Every operation the OpenAPI document does not declare public refuses a caller
/// without credentials, or with a bad one.
pub async fn requests_without_credentials_are_refused(b: Backend) {
    let app = TestApp::spawn(b).await;
    let (_, doc) = app.get("/v1/openapi.json", None).await;
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if op
                .get("security")
                .and_then(Value::as_array)
                .is_none_or(|s| s.is_empty())
            {
                continue;
            }
            let url = path
                .replace("{id}", "01a2026d-0000-7000-8000-000000000000")
                .replace("{code}", "loan");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for token in [
                None,
                Some("qk_0123.nope"),
                Some("qs_forged"),
                Some("garbage"),
            ] {
                let (s, p) = app.request(m.clone(), &url, token, Some(json!({}))).await;
                assert_eq!(
                    s,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {token:?}: {p}"
                );
                assert_eq!(p["code"], "unauthenticated");
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} operations checked");
    app.cleanup().await;
}

pub async fn organizations_see_only_their_own(b: Backend) {
    let app = TestApp::spawn(b).await;
    let a = app.operator(BIN_A).await;
    let other = app.operator(&bin(9)).await;
    let c = app.give_consent(&a, IIN_A, "+77011234567").await;
    let id = c["id"].as_str().unwrap();
    for path in [
        format!("/v1/consents/{id}"),
        format!("/v1/consent-requests/{id}"),
        format!("/v1/consents/{id}/receipt"),
    ] {
        let (s, p) = app.get(&path, Some(&other.key)).await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{path}"
        );
    }
    let (_, list) = app.get("/v1/consents", Some(&other.key)).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let resp = app
        .client
        .put(format!("{}/v1/consents/{id}/withdrawal-ground", app.base))
        .bearer_auth(&other.key)
        .json(&json!({"kind": "law", "reference": "x", "explanation": {"kk": "x", "ru": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &format!("/v1/consent-requests/{id}/code"),
            Some(&other.key),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .get(&format!("/v1/organizations/{}", a.id), Some(&other.key))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, own) = app
        .get(&format!("/v1/organizations/{}", a.id), Some(&a.key))
        .await;
    assert_eq!((s, own["bin"].as_str()), (StatusCode::OK, Some(BIN_A)));
    // Purposes are per organization.
    let (_, purposes) = app.get("/v1/purposes", Some(&other.key)).await;
    assert_eq!(purposes.as_array().unwrap().len(), 1);
    app.cleanup().await;
}

pub async fn subjects_see_only_their_own(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let c = app.give_consent(&op, IIN_A, "+77011234567").await;
    app.give_consent(&op, IIN_B, "+77017654321").await;
    let id = c["id"].as_str().unwrap();
    let b_session = app.sign_in(IIN_B).await;
    let (s, _) = app
        .get(&format!("/v1/consents/{id}"), Some(&b_session))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &format!("/v1/consents/{id}/withdraw"),
            Some(&b_session),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, list) = app.get("/v1/consents", Some(&b_session)).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["subject"]["iin"], IIN_B);
    // A signed-out session is dead.
    let (s, _) = app
        .post("/v1/subject/sign-out", Some(&b_session), json!({}))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.get("/v1/consents", Some(&b_session)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Sessions end after eight hours.
    let a_session = app.sign_in(IIN_A).await;
    app.clock.advance(jiff::SignedDuration::from_hours(8));
    let (s, _) = app.get("/v1/consents", Some(&a_session)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}

pub async fn scopes_and_roles_are_enforced(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    // A read-only key cannot ask for consent.
    let (s, k) = app
        .post(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&app.admin),
            json!({"label": "ro", "scopes": ["consents:read"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let ro = k["token"].as_str().unwrap();
    let (s, p) = app
        .post(
            "/v1/consent-requests",
            Some(ro),
            app.request_body(IIN_A, "+77011234567"),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("insufficient_scope"))
    );
    assert!(p["title"].as_str().unwrap().contains("consents:write"));
    let (s, _) = app.get("/v1/consents", Some(ro)).await;
    assert_eq!(s, StatusCode::OK);
    // Unknown scopes are refused.
    let (s, _) = app
        .post(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&app.admin),
            json!({"label": "x", "scopes": ["everything"]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Organizations cannot administer; administrators do not act for organizations.
    let (s, _) = app.post("/v1/organizations", Some(&op.key), json!({"bin": bin(2), "name": "X", "kind": "operator", "dpo": {"name": "D", "email": "d@x.kz"}})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .post(
            "/v1/consent-requests",
            Some(&app.admin),
            app.request_body(IIN_A, "+77011234567"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A subject cannot act as an organization.
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let session = app.sign_in(IIN_A).await;
    let (s, _) = app
        .post(
            "/v1/consent-requests",
            Some(&session),
            app.request_body(IIN_B, "+77011234567"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Third parties do not collect.
    let third = app.create_org(&bin(3), "third_party").await;
    let (s, p) = app.post("/v1/purposes", Some(&third.key), json!({"code": "x1", "name": {"kk": "x", "ru": "x"}, "categories": ["phone"], "storage_term_days": 1})).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_an_operator"))
    );
    // A revoked key stops working.
    let key_id = k["id"].as_str().unwrap().parse().unwrap();
    app.store()
        .revoke_api_key(
            key_id,
            None,
            qorgau_ledger::Actor::new("test", None),
            app.now(),
        )
        .await
        .unwrap();
    let (s, _) = app.get("/v1/consents", Some(ro)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    app.cleanup().await;
}

pub async fn sign_in_does_not_reveal_whether_an_iin_is_known(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let (s1, known) = app
        .post("/v1/subject/sign-in", None, json!({"iin": IIN_A}))
        .await;
    let (s2, unknown) = app
        .post("/v1/subject/sign-in", None, json!({"iin": IIN_B}))
        .await;
    assert_eq!((s1, s2), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    let shape = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(shape(&known), shape(&unknown));
    assert_eq!(known["expires_in"], unknown["expires_in"]);
    app.deliver().await;
    let refs: Vec<Value> = app
        .messages()
        .iter()
        .map(|m| m["reference"].clone())
        .collect();
    assert!(refs.contains(&known["challenge_id"]));
    assert!(
        !refs.contains(&unknown["challenge_id"]),
        "nothing is sent for an unknown IIN"
    );
    // No code opens the unknown challenge; the answer is the same as for a wrong code.
    let (s, p) = app
        .post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": unknown["challenge_id"], "code": "123456"}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code_invalid"))
    );
    let (s, p) = app
        .post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": known["challenge_id"], "code": "12345x"}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code_invalid"))
    );
    // Codes are single use and limited in attempts.
    let code = app.code_for(known["challenge_id"].as_str().unwrap()).await;
    let (s, _) = app
        .post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": known["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, p) = app
        .post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": known["challenge_id"], "code": code}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code_expired"))
    );
    for _ in 0..4 {
        app.post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": unknown["challenge_id"], "code": "000000"}),
        )
        .await;
    }
    let (s, p) = app
        .post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": unknown["challenge_id"], "code": "000000"}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (
            StatusCode::TOO_MANY_REQUESTS,
            Some("code_attempts_exhausted")
        )
    );
    app.cleanup().await;
}
