//! Webhooks to organizations (issue 5): a real HTTP receiver on loopback checks every
//! signature; an unreachable endpoint retries and ends `failed` with its error
//! without holding up the others.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use jiff::SignedDuration;
use qorgau_notify::webhook::verify;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{bin, Backend, TestApp, BIN_A, IIN_A};

/// One request as the receiver saw it.
#[derive(Clone, Debug)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

/// A webhook receiver on a random loopback port.
pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
    /// How long it takes to answer, in milliseconds (it records on arrival).
    pub delay_ms: Arc<std::sync::atomic::AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let delay_ms: Arc<std::sync::atomic::AtomicU64> = Arc::default();
        let g = got.clone();
        let d = delay_ms.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |h: HeaderMap, body: String| {
                let g = g.clone();
                let d = d.clone();
                async move {
                    let get = |k: &str| {
                        h.get(k)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_owned()
                    };
                    g.lock().unwrap().push(Received {
                        id: get("webhook-id"),
                        timestamp: get("webhook-timestamp"),
                        signature: get("webhook-signature"),
                        body,
                    });
                    let ms = d.load(std::sync::atomic::Ordering::Relaxed);
                    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                    StatusCode::NO_CONTENT
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Receiver {
            url,
            got,
            delay_ms,
            task,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn deliveries(app: &TestApp, key: &str, id: &str) -> Vec<Value> {
    let (s, v) = app
        .get(&format!("/v1/webhooks/{id}/deliveries"), Some(key))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v.as_array().unwrap().clone()
}

pub async fn webhooks_are_signed_retried_and_reported(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let rx = Receiver::start().await;

    // Bad input is refused at the edge.
    for body in [
        json!({"url": "ftp://x.kz/hook"}),
        json!({"url": rx.url, "events": ["consent.eaten"]}),
    ] {
        let (s, _) = app.post("/v1/webhooks", Some(&op.key), body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (s, good) = app
        .post("/v1/webhooks", Some(&op.key), json!({"url": rx.url}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{good}");
    let secret = good["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    // Port 1 on loopback: nobody listens.
    let (_, dead) = app
        .post(
            "/v1/webhooks",
            Some(&op.key),
            json!({"url": "http://127.0.0.1:1/hook", "events": ["consent.withdrawn"]}),
        )
        .await;
    let (_, list) = app.get("/v1/webhooks", Some(&op.key)).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(
        !list.to_string().contains(&secret),
        "the secret is shown once"
    );

    // A consent given and withdrawn: both events to the first endpoint, the
    // withdrawal alone to the second.
    let c = app.give_consent(&op, IIN_A, "+77011234567").await;
    let cid = c["id"].as_str().unwrap().to_owned();
    let me = app.sign_in(IIN_A).await;
    let (s, _) = app
        .post(
            &format!("/v1/consents/{cid}/withdraw"),
            Some(&me),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    app.deliver().await;
    let got = rx.received();
    assert_eq!(got.len(), 2, "{got:?}");
    let mut types = Vec::new();
    for r in &got {
        assert!(
            verify(&secret, &r.id, &r.timestamp, &r.body, &r.signature),
            "bad signature on {r:?}"
        );
        assert!(!verify(
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            &r.id,
            &r.timestamp,
            &r.body,
            &r.signature
        ));
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["data"]["consent_id"], cid.as_str());
        assert_eq!(v["data"]["purpose"], "loan");
        types.push(v["type"].as_str().unwrap().to_owned());
        // Pseudonymous ids only: no IIN, no phone, no name.
        for pii in [IIN_A, "+77011234567", "Сериков"] {
            assert!(!r.body.contains(pii));
        }
    }
    assert_eq!(types, ["consent.confirmed", "consent.withdrawn"]);
    let d = deliveries(&app, &op.key, good["id"].as_str().unwrap()).await;
    assert!(
        d.iter()
            .all(|d| d["status"] == "delivered" && d["attempts"] == 1),
        "{d:?}"
    );
    let webhook_ids: BTreeSet<String> = got.iter().map(|r| r.id.clone()).collect();
    assert_eq!(webhook_ids.len(), 2);

    // The dead endpoint: queued with its error, retried with backoff, then failed,
    // while the live one keeps getting its events once each.
    let dead_id = dead["id"].as_str().unwrap().to_owned();
    let d = deliveries(&app, &op.key, &dead_id).await;
    assert_eq!(
        (d.len(), d[0]["status"].as_str(), d[0]["attempts"].as_i64()),
        (1, Some("queued"), Some(1))
    );
    assert_eq!(d[0]["last_error"], "webhook: could not connect");
    let c2 = app
        .give_consent(&op, &crate::harness::iin(7), "+77017777777")
        .await;
    for _ in 0..12 {
        app.clock.advance(SignedDuration::from_mins(20));
        app.deliver().await;
    }
    let d = deliveries(&app, &op.key, &dead_id).await;
    assert_eq!(
        (d[0]["status"].as_str(), d[0]["attempts"].as_i64()),
        (Some("failed"), Some(10)),
        "{d:?}"
    );
    assert_eq!(d[0]["last_error"], "webhook: could not connect");
    let got = rx.received();
    assert_eq!(
        got.len(),
        3,
        "one more event (the second consent), nothing twice"
    );
    assert!(got[2].body.contains(c2["id"].as_str().unwrap()));

    // Another organization sees none of it; a disabled endpoint gets nothing more.
    let other = app.create_org(&bin(4), "operator").await;
    let (s, _) = app
        .get(
            &format!("/v1/webhooks/{dead_id}/deliveries"),
            Some(&other.key),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .request(
            reqwest::Method::DELETE,
            &format!("/v1/webhooks/{}", good["id"].as_str().unwrap()),
            Some(&other.key),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .request(
            reqwest::Method::DELETE,
            &format!("/v1/webhooks/{}", good["id"].as_str().unwrap()),
            Some(&op.key),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    app.give_consent(&op, &crate::harness::iin(8), "+77018888888")
        .await;
    app.deliver().await;
    assert_eq!(rx.received().len(), 3);
    // Requests filed with the organization are events too.
    let (_, again) = app
        .post(
            "/v1/webhooks",
            Some(&op.key),
            json!({"url": rx.url, "events": ["request.filed"]}),
        )
        .await;
    let me = app.sign_in(IIN_A).await;
    let (s, r) = app
        .post(
            "/v1/requests",
            Some(&me),
            json!({"organization_bin": BIN_A, "kind": "block"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    app.deliver().await;
    let last = rx.received().last().cloned().unwrap();
    let v: Value = serde_json::from_str(&last.body).unwrap();
    assert_eq!(
        (v["type"].as_str(), v["data"]["kind"].as_str()),
        (Some("request.filed"), Some("block"))
    );
    assert_eq!(v["data"]["request_id"], r["id"]);
    assert!(verify(
        again["secret"].as_str().unwrap(),
        &last.id,
        &last.timestamp,
        &last.body,
        &last.signature
    ));
    app.cleanup().await;
}
