use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{Backend, TestApp};

pub async fn health_openapi_and_keys(b: Backend) {
    let app = TestApp::spawn(b).await;
    assert_eq!(app.get("/healthz", None).await.0, StatusCode::OK);
    assert_eq!(
        app.get("/readyz", None).await,
        (StatusCode::OK, serde_json::json!({"status": "ready"}))
    );

    let (s, doc) = app.get("/v1/openapi.json", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/v1/consent-requests",
        "/v1/consent-requests/{id}/confirm",
        "/v1/consents/{id}/withdraw",
        "/v1/keys",
        "/v1/ledger/checkpoint",
        "/v1/ledger/proofs/consistency",
        "/v1/organizations",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
    }
    // Every operation says what it answers, and every non-public one names its security.
    let public = [
        "/healthz",
        "/readyz",
        "/v1/keys",
        "/v1/ledger/checkpoint",
        "/v1/ledger/proofs/consistency",
        "/v1/categories",
        "/v1/subject/sign-in",
        "/v1/subject/sign-in/verify",
        "/v1/auth/sign-in",
        "/v1/auth/setup",
        "/v1/consent-requests/{id}/confirm",
        "/v1/consent-requests/{id}/refuse",
        "/v1/calendar/{year}",
    ];
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path}"
            );
            let secured = op
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| !s.is_empty());
            let is_public =
                public.contains(&path.as_str()) && !(path == "/v1/categories" && method == "post");
            assert_eq!(
                secured, !is_public,
                "{method} {path}: security declared = {secured}"
            );
        }
    }

    let keys = app.jwks().await;
    assert_eq!(keys.len(), 1);
    assert_eq!(
        (
            keys[0].kty.as_str(),
            keys[0].crv.as_str(),
            keys[0].alg.as_str()
        ),
        ("OKP", "Ed25519", "EdDSA")
    );
    app.cleanup().await;
}

pub async fn unknown_routes_and_methods_are_problems(b: Backend) {
    let app = TestApp::spawn(b).await;
    let resp = app
        .client
        .get(format!("{}/v1/nothing-here", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["code"], "not_found");
    let (s, v) = app
        .request(reqwest::Method::DELETE, "/v1/keys", None, None)
        .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(v["code"], "method_not_allowed");
    // The language follows Accept-Language, Kazakh by default.
    let kk: Value = app
        .client
        .get(format!("{}/v1/nothing-here", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(kk["title"], "Табылмады.");
    let ru: Value = app
        .client
        .get(format!("{}/v1/nothing-here", app.base))
        .header("accept-language", "ru-RU,ru;q=0.9")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ru["title"], "Не найдено.");
    let en: Value = app
        .client
        .get(format!("{}/v1/nothing-here", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(en["title"], "Not found.");
    app.cleanup().await;
}
