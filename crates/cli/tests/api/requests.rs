//! Subjects' requests end to end: filed by the subject, worked and answered by the
//! organization within deadlines of the business-day calendar, flagged when overdue.

use base64::Engine;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{bin, ts, Backend, TestApp, BIN_A, IIN_A, IIN_B};

async fn file(app: &TestApp, token: &str, body: Value) -> Value {
    let (s, v) = app.post("/v1/requests", Some(token), body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

fn kinds_of(history: &Value) -> Vec<String> {
    history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The newest message of `kind` about `reference` that the file channel wrote.
fn message<'a>(msgs: &'a [Value], kind: &str, reference: &str) -> Option<&'a Value> {
    msgs.iter()
        .rev()
        .find(|m| m["kind"] == kind && m["reference"] == reference)
}

pub async fn information_request_filed_worked_and_answered(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let me = app.sign_in(IIN_A).await;

    // Monday 2 March 2026, 11:00 in Almaty: three business days, through Thursday 5 March.
    let r = file(
        &app,
        &me,
        json!({"organization_bin": BIN_A, "kind": "information", "text": "Какие мои данные вы обрабатываете?"}),
    )
    .await;
    let id = r["id"].as_str().unwrap().to_owned();
    assert_eq!(r["state"], "open");
    assert_eq!(r["due_date"], "2026-03-05");
    assert_eq!(r["due_at"], "2026-03-05T19:00:00Z");
    assert_eq!(
        r["time_left_seconds"],
        ts("2026-03-05T19:00:00Z").as_second() - app.now().as_second()
    );
    assert_eq!(r["working_days"], 3);
    assert_eq!(r["overdue"], false);
    assert_eq!(r["organization"]["bin"], BIN_A);

    // The subject is told, in their language, when the answer is due.
    app.deliver().await;
    let msgs = app.messages();
    let m = message(&msgs, "request_received", &id).expect("request_received message");
    let text = m["text"].as_str().unwrap();
    assert!(
        text.contains("2026-03-05") && text.contains("Org"),
        "{text}"
    );
    assert!(text.contains("информация об обработке"), "{text}");

    // The organization's queue shows it with its deadline.
    let (s, q) = app.get("/v1/requests?state=open", Some(&op.key)).await;
    assert_eq!(s, StatusCode::OK, "{q}");
    let item = &q["items"][0];
    assert_eq!(item["id"], id.as_str());
    assert_eq!(item["due_at"], "2026-03-05T19:00:00Z");
    assert!(item.get("text").is_none(), "the list carries no content");
    let (s, full) = app.get(&format!("/v1/requests/{id}"), Some(&op.key)).await;
    assert_eq!(s, StatusCode::OK, "{full}");
    assert_eq!(full["subject"]["iin"], IIN_A);
    assert_eq!(full["text"], "Какие мои данные вы обрабатываете?");

    // Pre-filled from what the service knows.
    let (s, draft) = app
        .get(&format!("/v1/requests/{id}/draft"), Some(&op.key))
        .await;
    assert_eq!(s, StatusCode::OK, "{draft}");
    assert_eq!(draft["holds_data"], true);
    assert_eq!(draft["consents"][0]["purpose_code"], "loan");
    assert_eq!(draft["consents"][0]["state"], "active");

    let (s, a) = app
        .post(
            &format!("/v1/requests/{id}/assign"),
            Some(&op.key),
            json!({"assignee": "dpo-desk-2"}),
        )
        .await;
    assert_eq!((s, &a["assignee"]), (StatusCode::OK, &json!("dpo-desk-2")));

    // A refusal without a reason is rejected, and changes nothing.
    for body in [json!({}), json!({"reason": "   "})] {
        let (s, p) = app
            .post(&format!("/v1/requests/{id}/refuse"), Some(&op.key), body)
            .await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("reason_required"))
        );
    }
    app.clock.advance(SignedDuration::from_hours(24));
    let me = app.sign_in(IIN_A).await;
    let (s, done) = app
        .post(
            &format!("/v1/requests/{id}/complete"),
            Some(&op.key),
            json!({"text": "Обрабатываем в целях выдачи кредита."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["state"], "completed");
    assert_eq!(done["answered_late"], false);
    assert_eq!(
        done["answer"]["information"]["consents"][0]["purpose_code"],
        "loan"
    );
    let (s, p) = app
        .post(
            &format!("/v1/requests/{id}/complete"),
            Some(&op.key),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("request_not_open"))
    );

    // The subject sees the answer; nobody else sees the request at all.
    let (s, mine) = app.get(&format!("/v1/requests/{id}"), Some(&me)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        mine["answer"]["text"],
        "Обрабатываем в целях выдачи кредита."
    );
    let (_, list) = app.get("/v1/requests", Some(&me)).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    app.give_consent(&op, IIN_B, "+77017654321").await;
    let other = app.sign_in(IIN_B).await;
    let stranger = app.create_org(&bin(7), "operator").await;
    for token in [&other, &stranger.key] {
        let (s, _) = app.get(&format!("/v1/requests/{id}"), Some(token)).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, list) = app.get("/v1/requests", Some(token)).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 0);
    }
    let (s, _) = app
        .post(
            &format!("/v1/requests/{id}/refuse"),
            Some(&stranger.key),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The administrator (the inspector's view) sees the status, never the content.
    let (s, admin) = app
        .get(&format!("/v1/requests/{id}"), Some(&app.admin))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(admin["state"], "completed");
    assert!(admin["subject"].is_null() && admin["text"].is_null() && admin["answer"].is_null());

    // Every transition is in the subject's history (the ledger) and they were told.
    let (_, history) = app.get("/v1/subject/history", Some(&me)).await;
    let kinds = kinds_of(&history);
    for k in ["request.filed", "request.assigned", "request.completed"] {
        assert!(kinds.iter().any(|x| x == k), "{k} not in {kinds:?}");
    }
    app.deliver().await;
    assert!(message(&app.messages(), "request_completed", &id).is_some());
    app.cleanup().await;
}

pub async fn requests_to_an_organization_holding_nothing_and_refusals(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let empty = app.create_org(&bin(5), "operator").await;
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let me = app.sign_in(IIN_A).await;

    // An organization that holds nothing about the subject still answers properly.
    let r = file(
        &app,
        &me,
        json!({"organization_bin": bin(5), "kind": "information"}),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let (_, draft) = app
        .get(&format!("/v1/requests/{id}/draft"), Some(&empty.key))
        .await;
    assert_eq!(draft["holds_data"], false);
    assert_eq!(draft["consents"], json!([]));
    assert_eq!(draft["processing"], json!([]));
    let (s, done) = app
        .post(
            &format!("/v1/requests/{id}/complete"),
            Some(&empty.key),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["answer"]["information"]["holds_data"], false);

    // Bad requests are refused and file nothing.
    let doc = json!({"name": "паспорт.pdf", "media_type": "application/pdf",
                     "content": base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.7 ...")});
    let cases = [
        (
            json!({"organization_bin": bin(6), "kind": "information"}),
            "unknown_holder",
        ),
        (
            json!({"organization_bin": "040840001230", "kind": "information"}),
            "invalid_bin",
        ),
        (
            json!({"organization_bin": BIN_A, "kind": "erase"}),
            "validation_failed",
        ),
        (
            json!({"organization_bin": BIN_A, "kind": "change", "text": "Новая фамилия"}),
            "documents_required",
        ),
        (
            json!({"organization_bin": BIN_A, "kind": "change", "text": "x",
                "documents": [{"name": "a.exe", "media_type": "application/x-msdownload", "content": "AAAA"}]}),
            "validation_failed",
        ),
        (
            json!({"organization_bin": BIN_A, "kind": "information", "text": ""}),
            "validation_failed",
        ),
    ];
    for (body, code) in cases {
        let (s, p) = app.post("/v1/requests", Some(&me), body.clone()).await;
        assert!(s.is_client_error(), "{body}: {s} {p}");
        assert_eq!(p["code"], code, "{body}: {p}");
    }
    // Only a signed-in subject files requests.
    let (s, _) = app
        .post(
            "/v1/requests",
            Some(&op.key),
            json!({"organization_bin": BIN_A, "kind": "information"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, mine) = app.get("/v1/requests", Some(&me)).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);

    // A change with its document: one business day; refused with a reason the subject sees.
    let r = file(
        &app,
        &me,
        json!({"organization_bin": BIN_A, "kind": "change", "text": "Новая фамилия: Серикова",
               "documents": [doc]}),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    assert_eq!(r["due_date"], "2026-03-03");
    let (_, full) = app.get(&format!("/v1/requests/{id}"), Some(&op.key)).await;
    assert_eq!(full["documents"][0]["name"], "паспорт.pdf");
    let (s, refused) = app
        .post(
            &format!("/v1/requests/{id}/refuse"),
            Some(&op.key),
            json!({"reason": "Документ не подтверждает смену фамилии."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{refused}");
    assert_eq!(refused["state"], "refused");
    let (_, mine) = app.get(&format!("/v1/requests/{id}"), Some(&me)).await;
    assert_eq!(
        mine["answer"]["refusal_reason"],
        "Документ не подтверждает смену фамилии."
    );
    app.deliver().await;
    assert!(message(&app.messages(), "request_refused", id).is_some());
    app.cleanup().await;
}

pub async fn block_request_stops_decisions_until_unblocked(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let me = app.sign_in(IIN_A).await;
    let ask =
        json!({"subject_iin": IIN_A, "action": "use", "purpose": "loan", "categories": ["income"]});
    let decide = |body: Value| {
        let app = &app;
        let key = op.key.clone();
        async move {
            let (s, d) = app.post("/v1/access-decisions", Some(&key), body).await;
            assert_eq!(s, StatusCode::CREATED, "{d}");
            d["decision"].as_str().unwrap().to_owned()
        }
    };
    assert_eq!(decide(ask.clone()).await, "allow");

    let r = file(
        &app,
        &me,
        json!({"organization_bin": BIN_A, "kind": "block",
        "text": "Мои данные передали без согласия."}),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    // Filing alone blocks nothing; completing the request does.
    assert_eq!(decide(ask.clone()).await, "allow");
    let (s, p) = app
        .post(
            &format!("/v1/requests/{id}/complete"),
            Some(&op.key),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, p["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("text")),
        "what was done must be said"
    );
    let (s, _) = app
        .post(
            &format!("/v1/requests/{id}/complete"),
            Some(&op.key),
            json!({"text": "Данные заблокированы."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(decide(ask.clone()).await, "deny");

    let r = file(
        &app,
        &me,
        json!({"organization_bin": BIN_A, "kind": "unblock"}),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    assert_eq!(decide(ask.clone()).await, "deny");
    let (s, _) = app
        .post(
            &format!("/v1/requests/{id}/complete"),
            Some(&op.key),
            json!({"text": "Нарушение не подтвердилось; блокирование снято."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(decide(ask).await, "allow");
    // An information request's draft lists the organization's decisions about the subject.
    let r = file(
        &app,
        &me,
        json!({"organization_bin": BIN_A, "kind": "information"}),
    )
    .await;
    let (_, draft) = app
        .get(
            &format!("/v1/requests/{}/draft", r["id"].as_str().unwrap()),
            Some(&op.key),
        )
        .await;
    let decided = draft["processing"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "access.decided")
        .count();
    assert_eq!(decided, 5, "{draft}");
    assert_eq!(draft["blocked"], false);
    let (_, history) = app.get("/v1/subject/history", Some(&me)).await;
    let kinds = kinds_of(&history);
    assert!(kinds.iter().any(|k| k == "data.blocked"), "{kinds:?}");
    assert!(kinds.iter().any(|k| k == "data.unblocked"), "{kinds:?}");
    app.cleanup().await;
}

pub async fn overdue_requests_are_flagged_once_and_told(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let me = app.sign_in(IIN_A).await;
    // Monday 2 March: one business day, through Tuesday 3 March (19:00 UTC).
    let r = file(
        &app,
        &me,
        json!({"organization_bin": BIN_A, "kind": "destroy"}),
    )
    .await;
    let id = r["id"].as_str().unwrap().to_owned();
    assert_eq!(r["due_at"], "2026-03-03T19:00:00Z");

    app.clock.set(ts("2026-03-03T18:59:59Z"));
    assert_eq!(app.store().sweep_requests(app.now(), 100).await.unwrap(), 0);
    let (_, q) = app.get("/v1/requests?overdue=true", Some(&op.key)).await;
    assert_eq!(q["items"].as_array().unwrap().len(), 0);
    app.clock.set(ts("2026-03-03T19:00:00Z"));
    let (_, q) = app.get("/v1/requests?overdue=true", Some(&op.key)).await;
    assert_eq!(q["items"][0]["id"], id.as_str());
    assert_eq!(q["items"][0]["time_left_seconds"], 0);
    assert_eq!(app.store().sweep_requests(app.now(), 100).await.unwrap(), 1);
    assert_eq!(app.store().sweep_requests(app.now(), 100).await.unwrap(), 0);
    // The inspector's view (administrator): every organization's overdue requests.
    app.clock.advance(SignedDuration::from_hours(2));
    let (s, all) = app.get("/v1/requests?overdue=true", Some(&app.admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(all["items"][0]["id"], id.as_str());
    assert_eq!(all["items"][0]["overdue"], true);
    assert_eq!(all["items"][0]["time_left_seconds"], -7200);

    // The subject and the organization's DPO are told.
    app.deliver().await;
    let msgs = app.messages();
    let to_subject = message(&msgs, "request_overdue", &id).expect("subject told");
    assert_eq!(to_subject["to"]["phone"], "+77011234567");
    let to_dpo = message(&msgs, "request_overdue_dpo", &id).expect("DPO told");
    assert_eq!(to_dpo["to"]["email"], "dpo@example.kz");
    assert!(to_dpo["text"].as_str().unwrap().contains(&id));

    // Answered late: recorded as such.
    let me = app.sign_in(IIN_A).await;
    let (_, done) = app
        .post(
            &format!("/v1/requests/{id}/complete"),
            Some(&op.key),
            json!({"text": "Данные уничтожены."}),
        )
        .await;
    assert_eq!(done["answered_late"], true);
    let (_, history) = app.get("/v1/subject/history", Some(&me)).await;
    let kinds = kinds_of(&history);
    for k in ["request.overdue", "request.completed", "data.destroyed"] {
        assert!(kinds.iter().any(|x| x == k), "{k} not in {kinds:?}");
    }
    // The organization's own ledger entries say it was late.
    let (_, entries) = app
        .get("/v1/ledger/entries?limit=1000", Some(&op.key))
        .await;
    let completed = entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry"]["kind"] == "request.completed")
        .unwrap();
    assert_eq!(completed["entry"]["detail"]["late"], "true", "{completed}");

    // Over Nauryz: filed Friday 20 March, due Thursday 26 March.
    app.clock.set(ts("2026-03-20T04:00:00Z"));
    let me = app.sign_in(IIN_A).await;
    let r = file(
        &app,
        &me,
        json!({"organization_bin": BIN_A, "kind": "remove_from_public_sources"}),
    )
    .await;
    assert_eq!(r["due_date"], "2026-03-26");
    app.cleanup().await;
}

pub async fn calendar_is_published(b: Backend) {
    let app = TestApp::spawn(b).await;
    let resp = app
        .client
        .get(format!("{}/v1/calendar/2026", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let y: Value = resp.json().await.unwrap();
    assert_eq!(y["working_days"], 246);
    assert_eq!(y["known"], true);
    let day = |y: &Value, d: &str| {
        y["days_off"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["date"] == d)
            .cloned()
    };
    // Every holiday has its name in the language asked for (no message id left showing).
    for d in y["days_off"].as_array().unwrap() {
        let name = d["name"].as_str().unwrap_or_default();
        assert!(!name.is_empty() && !name.starts_with("holiday-"), "{d}");
    }
    let moved = day(&y, "2026-03-24").unwrap();
    assert_eq!(moved["kind"], "moved");
    assert_eq!(moved["name"], "Nauryz meirami");
    let resp = app
        .client
        .get(format!("{}/v1/calendar/2025", app.base))
        .header("accept-language", "kk")
        .send()
        .await
        .unwrap();
    let y: Value = resp.json().await.unwrap();
    assert_eq!(day(&y, "2025-01-03").unwrap()["kind"], "transferred");
    assert_eq!(y["working_weekend_days"], json!(["2025-01-05"]));
    assert_eq!(
        day(&y, "2025-06-06").unwrap()["name"],
        "Құрбан айт, бірінші күні"
    );
    for bad in ["1999", "abc", "2101"] {
        let (s, _) = app.get(&format!("/v1/calendar/{bad}"), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{bad}");
    }
    app.cleanup().await;
}
