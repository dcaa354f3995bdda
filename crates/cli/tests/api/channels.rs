//! Email and SMS channels against real receivers on loopback (a small SMTP server and
//! an HTTP SMS gateway), and the subject's inbox.

use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::harness::{Backend, TestApp, BIN_A, IIN_A, IIN_B};

/// A minimal SMTP server: accepts every message and keeps it raw.
struct SmtpReceiver {
    port: u16,
    mails: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpReceiver {
    async fn start() -> SmtpReceiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails: Arc<Mutex<Vec<String>>> = Arc::default();
        let m = mails.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let m = m.clone();
                tokio::spawn(async move {
                    let (r, mut w) = sock.into_split();
                    let mut lines = BufReader::new(r).lines();
                    w.write_all(b"220 test ESMTP\r\n").await.unwrap();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let cmd = line.to_ascii_uppercase();
                        if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                            w.write_all(b"250-test\r\n250 8BITMIME\r\n").await.unwrap();
                        } else if cmd.starts_with("DATA") {
                            w.write_all(b"354 go on\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            m.lock().unwrap().push(data);
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else if cmd.starts_with("QUIT") {
                            w.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        } else {
                            w.write_all(b"250 OK\r\n").await.unwrap();
                        }
                    }
                });
            }
        });
        SmtpReceiver { port, mails, task }
    }
}

impl Drop for SmtpReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The decoded text of every part of a MIME message (base64 and quoted-printable).
fn mime_texts(raw: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in raw.split("\n--") {
        let Some((head, body)) = part.split_once("\n\n") else {
            continue;
        };
        let head_l = head.to_ascii_lowercase();
        let Some(ct) = head_l.lines().find(|l| l.starts_with("content-type:")) else {
            continue;
        };
        if ct.contains("multipart") {
            continue;
        }
        let body = body.split("\n--").next().unwrap_or("");
        let text = if head_l.contains("content-transfer-encoding: base64") {
            let b: String = body.split_whitespace().collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap()).unwrap()
        } else if head_l.contains("quoted-printable") {
            let joined = body.replace("=\n", "");
            let bytes = joined.as_bytes();
            let mut v = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    v.push(u8::from_str_radix(&joined[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    v.push(bytes[i]);
                    i += 1;
                }
            }
            String::from_utf8(v).unwrap()
        } else {
            body.to_owned()
        };
        out.push((ct.trim().to_owned(), text));
    }
    out
}

fn six_digits(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_owned()
}

pub async fn email_and_sms_reach_real_receivers_and_the_inbox_keeps_them(b: Backend) {
    let mut app = TestApp::spawn(b).await;
    let smtp = SmtpReceiver::start().await;
    // The SMS gateway: records the header and the JSON body.
    let sms: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let s2 = sms.clone();
    let gw = axum::Router::new().route(
        "/send",
        axum::routing::post(move |h: HeaderMap, body: String| {
            let s2 = s2.clone();
            async move {
                let key = h
                    .get("x-api-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                s2.lock()
                    .unwrap()
                    .push((key, serde_json::from_str(&body).unwrap()));
                StatusCode::ACCEPTED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gw_url = format!("http://{}/send", listener.local_addr().unwrap());
    let gw_task = tokio::spawn(async move { axum::serve(listener, gw).await.unwrap() });
    app.channels = qorgau::app::ChannelOptions {
        smtp: Some((
            format!("smtp://127.0.0.1:{}", smtp.port),
            "Qorgau <noreply@qorgau.kz>".into(),
        )),
        sms_gateway: Some((gw_url, Some("X-Api-Key: test-key".into()), None)),
    };
    app.restart().await;
    let op = app.operator(BIN_A).await;

    // By SMS: the consent code goes to the gateway, with the provider's header.
    let req = app
        .create_request(&op, app.request_body(IIN_A, "+77011234567"))
        .await;
    app.deliver().await;
    let (key, body) = sms.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        (key.as_str(), body["to"].as_str()),
        ("test-key", Some("+77011234567"))
    );
    let code = six_digits(body["text"].as_str().unwrap());
    let (s, v) = app
        .post(
            &format!(
                "/v1/consent-requests/{}/confirm",
                req["id"].as_str().unwrap()
            ),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // By email: multipart text and HTML, in the subject's language.
    let mut body = app.request_body(IIN_B, "+77017654321");
    body["subject"]["contact"] = json!({"email": "dana@example.kz"});
    body["subject"]["language"] = json!("ru");
    let req = app.create_request(&op, body).await;
    app.deliver().await;
    let raw = smtp
        .mails
        .lock()
        .unwrap()
        .last()
        .cloned()
        .expect("an email");
    assert!(raw.contains("To: dana@example.kz"), "{raw}");
    assert!(raw.contains("noreply@qorgau.kz"));
    assert!(raw.to_ascii_lowercase().contains("multipart/alternative"));
    let parts = mime_texts(&raw);
    let plain = parts
        .iter()
        .find(|(ct, _)| ct.contains("text/plain"))
        .expect("a text part");
    let html = parts
        .iter()
        .find(|(ct, _)| ct.contains("text/html"))
        .expect("an HTML part");
    assert!(html.1.contains("<html lang=\"ru\">"), "{}", html.1);
    let code = six_digits(&plain.1);
    assert!(html.1.contains(&code));
    let (s, _) = app
        .post(
            &format!(
                "/v1/consent-requests/{}/confirm",
                req["id"].as_str().unwrap()
            ),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // The inbox keeps the news, never the codes.
    let (_, ch) = app
        .post("/v1/subject/sign-in", None, json!({"iin": IIN_A}))
        .await;
    app.deliver().await;
    let code = six_digits(
        sms.lock().unwrap().last().unwrap().1["text"]
            .as_str()
            .unwrap(),
    );
    let (_, tok) = app
        .post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": ch["challenge_id"], "code": code}),
        )
        .await;
    let me = tok["token"].as_str().unwrap().to_owned();
    let (s, r) = app
        .post(
            "/v1/requests",
            Some(&me),
            json!({"organization_bin": BIN_A, "kind": "information"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (s, inbox) = app.get("/v1/subject/inbox", Some(&me)).await;
    assert_eq!(s, StatusCode::OK);
    let item = |inbox: &Value| {
        inbox
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "request_received")
            .cloned()
            .unwrap_or_else(|| panic!("{inbox}"))
    };
    assert_eq!(item(&inbox)["delivery"], "queued");
    assert!(inbox
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"] == "consent_given"));
    assert!(!inbox
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["kind"].as_str().unwrap().ends_with("_code")));
    app.deliver().await;
    let (_, inbox) = app.get("/v1/subject/inbox", Some(&me)).await;
    assert_eq!(item(&inbox)["delivery"], "sent");
    let last_sms = sms.lock().unwrap().last().unwrap().1["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        item(&inbox)["text"].as_str(),
        Some(last_sms.as_str()),
        "the same text as sent"
    );
    assert!(!inbox.to_string().contains(&code));
    gw_task.abort();
    app.cleanup().await;
}

/// The subject's messages of a kind, as the `file` channel delivered them.
fn of_kind(app: &TestApp, kind: &str) -> Vec<Value> {
    app.messages()
        .into_iter()
        .filter(|m| m["kind"] == kind)
        .collect()
}

pub async fn subjects_are_told_of_consent_changes_and_of_every_action_on_their_data(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let third = app.create_org(&crate::harness::bin(5), "third_party").await;
    let c = app.give_consent(&op, IIN_A, "+77011234567").await;
    let cid = c["id"].as_str().unwrap().to_owned();
    app.deliver().await;
    let given = of_kind(&app, "consent_given");
    assert_eq!(given.len(), 1);
    assert_eq!(given[0]["to"]["phone"], "+77011234567");
    assert!(
        given[0]["text"]
            .as_str()
            .unwrap()
            .contains("вы дали Org 040840001231 согласие"),
        "{}",
        given[0]["text"]
    );

    // Actions the operator reports: the subject is told of each, in Russian here.
    let report = |body: Value| {
        let app = &app;
        let key = op.key.clone();
        async move {
            let (s, v) = app.post("/v1/processing-events", Some(&key), body).await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            v["ledger_index"].as_u64().unwrap()
        }
    };
    report(json!({"subject_iin": IIN_A, "action": "view", "purpose": "loan", "categories": ["income"]})).await;
    let third_bin = crate::harness::bin(5);
    let transfer = report(json!({"subject_iin": IIN_A, "action": "transfer", "purpose": "loan", "categories": ["income"], "recipient_bin": third_bin})).await;
    app.deliver().await;
    let told = of_kind(&app, "data_processed");
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(
        told[0]["text"]
            .as_str()
            .unwrap()
            .contains("просмотрел(а) ваши персональные данные (income) для цели «Выдача кредита»."),
        "{}",
        told[0]["text"]
    );
    assert!(told[1]["text"].as_str().unwrap().contains(&format!("передал(а) ваши персональные данные (income) для цели «Выдача кредита», получатель: Org {third_bin} ({third_bin})")), "{}", told[1]["text"]);
    // The transfer's notice was due ten business days on, and is recorded as told.
    let (_, e) = app
        .get(
            &format!("/v1/ledger/entries?from={transfer}&limit=1"),
            Some(&app.admin),
        )
        .await;
    let detail = &e["entries"][0]["entry"]["detail"];
    assert_eq!(detail["notice"], "queued");
    // START is Monday 2 March 2026, 11:00 in Almaty; ten working days counted from the
    // next day, with Monday 9 March off (8 March fell on a Sunday), end on Tuesday
    // 17 March, at midnight Almaty time.
    assert_eq!(detail["notice_due"], "2026-03-17T19:00:00Z", "{detail}");
    assert!(detail.get("notice_late").is_none());
    // Art. 19(2): not told, and recorded as such; a late report is marked late.
    let ex = report(json!({"subject_iin": IIN_A, "action": "transfer", "purpose": "loan", "categories": ["income"], "recipient_bin": third_bin, "notice_exception": "art19_2_2"})).await;
    let late = report(json!({"subject_iin": IIN_A, "action": "transfer", "purpose": "loan", "categories": ["income"], "recipient_country": "BY",
        "occurred_at": (app.now() - jiff::SignedDuration::from_hours(24 * 20)).to_string()})).await;
    app.deliver().await;
    assert_eq!(
        of_kind(&app, "data_processed").len(),
        3,
        "the exception told no one"
    );
    let (_, e) = app
        .get(
            &format!("/v1/ledger/entries?from={ex}&limit=1"),
            Some(&app.admin),
        )
        .await;
    assert_eq!(
        e["entries"][0]["entry"]["detail"]["notice_exception"],
        "art19_2_2"
    );
    assert!(e["entries"][0]["entry"]["detail"].get("notice").is_none());
    let (_, e) = app
        .get(
            &format!("/v1/ledger/entries?from={late}&limit=1"),
            Some(&app.admin),
        )
        .await;
    assert_eq!(e["entries"][0]["entry"]["detail"]["notice_late"], "true");
    // A third party's access is told too.
    let (s, v) = app.post("/v1/processing-events", Some(&third.key), json!({"subject_iin": IIN_A, "action": "use", "purpose": "scoring", "categories": ["income"]})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    app.deliver().await;
    let last = of_kind(&app, "data_processed").pop().unwrap();
    assert!(
        last["text"]
            .as_str()
            .unwrap()
            .contains(&format!("Org {third_bin} — использовал(а)")),
        "{}",
        last["text"]
    );

    // A refused withdrawal tells the reason; a withdrawal is told.
    let ground = json!({"kind": "unexecuted_obligation", "reference": "Кредитный договор № 77/2026",
        "explanation": {"kk": "Несие өтелмеген", "ru": "Кредит не погашен", "en": "The loan is not repaid"}});
    let r = app
        .client
        .put(format!("{}/v1/consents/{cid}/withdrawal-ground", app.base))
        .bearer_auth(&op.key)
        .json(&ground)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me = app.sign_in(IIN_A).await;
    app.post(
        &format!("/v1/consents/{cid}/withdraw"),
        Some(&me),
        json!({}),
    )
    .await;
    app.deliver().await;
    let refused = of_kind(&app, "withdrawal_refused");
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0]["text"]
            .as_str()
            .unwrap()
            .ends_with("Основание: Кредитный договор № 77/2026. Кредит не погашен"),
        "{}",
        refused[0]["text"]
    );
    app.client
        .delete(format!("{}/v1/consents/{cid}/withdrawal-ground", app.base))
        .bearer_auth(&op.key)
        .send()
        .await
        .unwrap();
    let (s, _) = app
        .post(
            &format!("/v1/consents/{cid}/withdraw"),
            Some(&me),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    app.deliver().await;
    assert_eq!(of_kind(&app, "consent_withdrawn").len(), 1);
    // And the inbox holds them all.
    let (_, inbox) = app.get("/v1/subject/inbox", Some(&me)).await;
    let kinds: Vec<&str> = inbox
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    for k in [
        "consent_given",
        "data_processed",
        "withdrawal_refused",
        "consent_withdrawn",
    ] {
        assert!(kinds.contains(&k), "{k} not in {kinds:?}");
    }
    app.cleanup().await;
}

pub async fn preferences_choose_channels_and_a_daily_digest(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let me = app.sign_in(IIN_A).await;
    let (s, p) = app.get("/v1/subject/preferences", Some(&me)).await;
    assert_eq!(
        (s, p),
        (
            StatusCode::OK,
            json!({"channels": ["sms"], "digest": false})
        )
    );
    // A channel without a contact, or an unknown one, is refused.
    for body in [
        json!({"channels": ["email"], "digest": false}),
        json!({"channels": ["pigeon"], "digest": false}),
        json!({"channels": [], "digest": false, "x": 1}),
    ] {
        let r = app
            .client
            .put(format!("{}/v1/subject/preferences", app.base))
            .bearer_auth(&me)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let put = |me: String, body: Value| {
        let app = &app;
        async move {
            let r = app
                .client
                .put(format!("{}/v1/subject/preferences", app.base))
                .bearer_auth(&me)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
    };
    let view = || {
        let app = &app;
        let key = op.key.clone();
        async move {
            let (s, v) = app.post("/v1/processing-events", Some(&key), json!({"subject_iin": IIN_A, "action": "view", "purpose": "loan", "categories": ["income"]})).await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
        }
    };
    // No channel: the inbox only.
    put(me.clone(), json!({"channels": [], "digest": false})).await;
    view().await;
    app.deliver().await;
    assert_eq!(of_kind(&app, "data_processed").len(), 0);
    let (_, inbox) = app.get("/v1/subject/inbox", Some(&me)).await;
    assert_eq!(
        (inbox[0]["kind"].as_str(), inbox[0]["delivery"].as_str()),
        (Some("data_processed"), Some("inbox"))
    );

    // A daily digest by SMS: held through the day, codes still at once.
    put(me.clone(), json!({"channels": ["sms"], "digest": true})).await;
    view().await;
    view().await;
    app.deliver().await;
    assert_eq!(of_kind(&app, "data_processed").len(), 0);
    // The sign-in code is not held: `sign_in` fails unless the code was delivered.
    app.sign_in(IIN_A).await;
    assert_eq!(
        app.store().sweep_digests(app.now(), 100).await.unwrap(),
        0,
        "not a day old yet"
    );
    app.clock.advance(jiff::SignedDuration::from_hours(24));
    assert_eq!(app.store().sweep_digests(app.now(), 100).await.unwrap(), 1);
    app.deliver().await;
    let digests = of_kind(&app, "digest");
    assert_eq!(digests.len(), 1);
    assert_eq!(digests[0]["to"]["phone"], "+77011234567");
    let text = digests[0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Qorgau: ваши уведомления за день (2):"),
        "{text}"
    );
    assert_eq!(
        text.matches("просмотрел(а) ваши персональные данные")
            .count(),
        2,
        "{text}"
    );
    let me = app.sign_in(IIN_A).await;
    let (_, inbox) = app.get("/v1/subject/inbox", Some(&me)).await;
    let digested = inbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["delivery"] == "digested")
        .count();
    assert_eq!(digested, 2, "{inbox}");
    // Turning the digest off sends what is held at once.
    put(me.clone(), json!({"channels": ["sms"], "digest": true})).await;
    view().await;
    put(me.clone(), json!({"channels": ["sms"], "digest": false})).await;
    app.deliver().await;
    assert_eq!(of_kind(&app, "data_processed").len(), 1);
    app.cleanup().await;
}
