use jiff::SignedDuration;
use qorgau_core::receipt::verify_jws;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{bin, iin, Backend, TestApp, BIN_A, IIN_A, IIN_B};

fn kinds(history: &Value) -> Vec<String> {
    history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn consent_from_request_to_withdrawal(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let req = app
        .create_request(&op, app.request_body(IIN_A, "+77011234567"))
        .await;
    assert_eq!(req["state"], "pending");
    assert_eq!(req["version"], 1);
    assert_eq!(req["organization"]["bin"], BIN_A);
    assert_eq!(req["subject"]["iin"], IIN_A);
    assert!(req.get("receipt").is_none());
    let id = req["id"].as_str().unwrap().to_owned();

    // The code goes to the subject's phone, in the subject's language, and never back to the operator.
    assert!(!req.to_string().contains("code_hash"));
    assert_eq!(app.deliver().await, 1);
    let msgs = app.messages();
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(
        (
            m["kind"].as_str(),
            m["medium"].as_str(),
            m["language"].as_str()
        ),
        (Some("consent_code"), Some("sms"), Some("ru"))
    );
    assert_eq!(m["to"]["phone"], "+77011234567");
    let code = m["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    let text = m["text"].as_str().unwrap();
    assert!(
        text.contains(&code)
            && text.contains("Выдача кредита")
            && text.contains(&format!("Org {BIN_A}")),
        "{text}"
    );

    // A wrong code is counted and changes nothing else.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (s, p) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": wrong}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["code"], "code_invalid");
    assert!(p["title"].as_str().unwrap().contains('4'), "{p}");

    app.clock.advance(SignedDuration::from_mins(3));
    let (s, c) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["state"], "active");
    assert_eq!(c["valid_from"].as_str().unwrap(), app.now().to_string());
    assert!(c["receipt"].is_string());
    // A code is single use.
    let (s, p) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("consent_not_pending"))
    );

    // The subject signs in and sees it among their consents.
    let session = app.sign_in(IIN_A).await;
    let (s, list) = app.get("/v1/consents", Some(&session)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["state"], "active");
    let (_, active) = app.get("/v1/consents?state=active", Some(&session)).await;
    assert_eq!(active["items"].as_array().unwrap().len(), 1);
    let (_, withdrawn) = app
        .get("/v1/consents?state=withdrawn", Some(&session))
        .await;
    assert_eq!(withdrawn["items"].as_array().unwrap().len(), 0);

    // Withdrawal takes effect at once. (Five hours on, the session has ended for
    // inactivity: the subject signs in again.)
    app.clock.advance(SignedDuration::from_hours(5));
    let (s, _) = app.get("/v1/consents", Some(&session)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "idle timeout");
    let session = app.sign_in(IIN_A).await;
    let (s, w) = app
        .post(
            &format!("/v1/consents/{id}/withdraw"),
            Some(&session),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["outcome"], "withdrawn");
    assert_eq!(w["consent"]["state"], "withdrawn");
    let (s, p) = app
        .post(
            &format!("/v1/consents/{id}/withdraw"),
            Some(&session),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("consent_not_active"))
    );

    // The operator sees the same, with every transition, its time and its actor.
    let (s, c) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["state"], "withdrawn");
    assert_eq!(
        kinds(&c["history"]),
        ["requested", "code_sent", "confirmed", "withdrawn"]
    );
    let h = c["history"].as_array().unwrap();
    assert_eq!(h[0]["actor"], "organization");
    assert_eq!(h[2]["actor"], "subject");
    assert_eq!(h[3]["actor"], "subject");
    assert_eq!(h[3]["at"].as_str().unwrap(), app.now().to_string());
    assert_eq!(
        (h[2]["from_state"].as_str(), h[2]["to_state"].as_str()),
        (Some("pending"), Some("active"))
    );
    let (_, held) = app.get("/v1/consents?state=withdrawn", Some(&op.key)).await;
    assert_eq!(held["items"][0]["id"], id.as_str());
    app.cleanup().await;
}

pub async fn receipt_verifies_and_any_change_breaks_it(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let c = app.give_consent(&op, IIN_A, "+77011234567").await;
    let id = c["id"].as_str().unwrap();
    let keys = app.jwks().await;

    // The operator proves the consent by producing its receipt.
    let resp = app
        .client
        .get(format!("{}/v1/consents/{id}/receipt", app.base))
        .bearer_auth(&op.key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/jose");
    let jws = resp.text().await.unwrap();
    assert_eq!(jws, c["receipt"].as_str().unwrap());
    let (typ, payload) = verify_jws(&jws, &keys).unwrap();
    assert_eq!(typ, "qorgau-consent-receipt+jws");
    // Every item of Art. 8(4) is in what was signed.
    assert_eq!(payload["operator"]["bin"], BIN_A);
    assert_eq!(payload["operator"]["name"], format!("Org {BIN_A}"));
    assert_eq!(payload["subject"]["iin"], IIN_A);
    assert_eq!(payload["subject"]["name"]["surname"], "Сериков");
    assert_eq!(payload["terms"]["valid_until"], c["valid_until"]);
    assert_eq!(
        payload["terms"]["transfer_to_third_parties"]["allowed"],
        false
    );
    assert_eq!(payload["terms"]["cross_border_transfer"]["allowed"], false);
    assert_eq!(payload["terms"]["dissemination_in_public_sources"], false);
    assert_eq!(
        payload["terms"]["categories"],
        json!(["full_name", "income"])
    );
    assert_eq!(
        payload["terms"]["other_information"]["ru"],
        "Кредитный договор"
    );
    assert_eq!(payload["purpose"]["code"], "loan");
    assert_eq!(payload["consent_id"], id);
    assert_eq!(payload["given_by"], "subject");

    // Altering any byte makes it fail.
    let bytes = jws.as_bytes();
    for i in 0..bytes.len() {
        let mut t = bytes.to_vec();
        t[i] = if t[i] == b'x' { b'y' } else { b'x' };
        let s = String::from_utf8(t).unwrap();
        if s != jws {
            assert!(
                verify_jws(&s, &keys).is_err(),
                "byte {i} altered, still verifies"
            );
        }
    }
    // A stranger gets nothing.
    let other = app.operator(&bin(7)).await;
    let (s, _) = app
        .get(&format!("/v1/consents/{id}/receipt"), Some(&other.key))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    app.cleanup().await;
}

pub async fn withdrawal_refused_on_stated_ground(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let c = app.give_consent(&op, IIN_A, "+77011234567").await;
    let id = c["id"].as_str().unwrap();
    let ground = json!({"kind": "unexecuted_obligation", "reference": "Кредитный договор № 77/2026",
        "explanation": {"kk": "Несие өтелмеген", "ru": "Кредит не погашен", "en": "The loan is not repaid"}});
    let resp = app
        .client
        .put(format!("{}/v1/consents/{id}/withdrawal-ground", app.base))
        .bearer_auth(&op.key)
        .json(&ground)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    let session = app.sign_in(IIN_A).await;
    let (s, w) = app
        .post(
            &format!("/v1/consents/{id}/withdraw"),
            Some(&session),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["outcome"], "refused");
    assert_eq!(w["ground"]["kind"], "unexecuted_obligation");
    assert_eq!(w["ground"]["explanation"]["ru"], "Кредит не погашен");
    assert_eq!(w["consent"]["state"], "active");
    // The refusal and its reason are visible to the subject.
    let (_, seen) = app.get(&format!("/v1/consents/{id}"), Some(&session)).await;
    assert_eq!(
        seen["withdrawal_ground"]["reference"],
        "Кредитный договор № 77/2026"
    );
    let refused = seen["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "withdrawal_refused")
        .cloned()
        .unwrap();
    assert_eq!(refused["detail"]["ground"]["kind"], "unexecuted_obligation");

    // Once the ground is lifted, withdrawal works.
    let resp = app
        .client
        .delete(format!("{}/v1/consents/{id}/withdrawal-ground", app.base))
        .bearer_auth(&op.key)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let (_, w) = app
        .post(
            &format!("/v1/consents/{id}/withdraw"),
            Some(&session),
            json!({}),
        )
        .await;
    assert_eq!(w["outcome"], "withdrawn");
    let (_, seen) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert_eq!(
        kinds(&seen["history"]),
        [
            "requested",
            "code_sent",
            "confirmed",
            "withdrawal_ground_stated",
            "withdrawal_refused",
            "withdrawal_ground_lifted",
            "withdrawn"
        ]
    );
    app.cleanup().await;
}

pub async fn subject_refuses(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let req = app
        .create_request(&op, app.request_body(IIN_A, "+77011234567"))
        .await;
    let id = req["id"].as_str().unwrap();
    let code = app.code_for(id).await;
    let (s, v) = app
        .post(
            &format!("/v1/consent-requests/{id}/refuse"),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "refused");
    assert!(v.get("receipt").is_none());
    let (s, p) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("consent_not_pending"))
    );
    let session = app.sign_in(IIN_A).await;
    let (_, refused) = app.get("/v1/consents?state=refused", Some(&session)).await;
    assert_eq!(refused["items"].as_array().unwrap().len(), 1);
    app.cleanup().await;
}

pub async fn lapse_is_exact(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let mut body = app.request_body(IIN_A, "+77011234567");
    let deadline = app.now() + SignedDuration::from_hours(48);
    body["respond_by"] = json!(deadline.to_string());
    let req = app.create_request(&op, body).await;
    let id = req["id"].as_str().unwrap();
    assert_eq!(req["respond_by"].as_str().unwrap(), deadline.to_string());
    app.deliver().await;

    app.clock.set(deadline - SignedDuration::from_micros(1));
    let (_, v) = app
        .get(&format!("/v1/consent-requests/{id}"), Some(&op.key))
        .await;
    assert_eq!(v["state"], "pending");
    assert_eq!(
        app.store()
            .sweep_consents(app.now(), 100)
            .await
            .unwrap()
            .lapsed,
        0
    );

    app.clock.set(deadline);
    let (_, v) = app
        .get(&format!("/v1/consent-requests/{id}"), Some(&op.key))
        .await;
    assert_eq!(v["state"], "lapsed", "shown lapsed before the sweeper ran");
    let (_, l) = app.get("/v1/consents?state=lapsed", Some(&op.key)).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    let (_, p) = app.get("/v1/consents?state=pending", Some(&op.key)).await;
    assert_eq!(p["items"].as_array().unwrap().len(), 0);
    // Neither answers nor new codes are accepted once the request has lapsed.
    let (s, p) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": "123456"}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::GONE, Some("consent_request_lapsed"))
    );
    let (s, _) = app
        .post(
            &format!("/v1/consent-requests/{id}/code"),
            Some(&op.key),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::GONE);

    let r = app.store().sweep_consents(app.now(), 100).await.unwrap();
    assert_eq!((r.lapsed, r.expired), (1, 0));
    assert_eq!(
        app.store()
            .sweep_consents(app.now(), 100)
            .await
            .unwrap()
            .lapsed,
        0,
        "recorded once"
    );
    let (_, v) = app
        .get(&format!("/v1/consent-requests/{id}"), Some(&op.key))
        .await;
    let last = v["history"].as_array().unwrap().last().cloned().unwrap();
    assert_eq!(
        (last["kind"].as_str(), last["actor"].as_str()),
        (Some("lapsed"), Some("service"))
    );
    assert_eq!(last["at"].as_str().unwrap(), deadline.to_string());
    app.cleanup().await;
}

pub async fn expiry_is_exact(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let c = app.give_consent(&op, IIN_A, "+77011234567").await;
    let id = c["id"].as_str().unwrap();
    let until: jiff::Timestamp = c["valid_until"].as_str().unwrap().parse().unwrap();

    app.clock.set(until - SignedDuration::from_micros(1));
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert_eq!(v["state"], "active");
    app.clock.set(until);
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert_eq!(v["state"], "expired");
    let (_, e) = app.get("/v1/consents?state=expired", Some(&op.key)).await;
    assert_eq!(e["items"].as_array().unwrap().len(), 1);
    let (_, a) = app.get("/v1/consents?state=active", Some(&op.key)).await;
    assert_eq!(a["items"].as_array().unwrap().len(), 0);

    let session = app.sign_in(IIN_A).await;
    let (s, p) = app
        .post(
            &format!("/v1/consents/{id}/withdraw"),
            Some(&session),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("consent_not_active"))
    );
    let r = app.store().sweep_consents(app.now(), 100).await.unwrap();
    assert_eq!((r.lapsed, r.expired), (0, 1));
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&session)).await;
    assert_eq!(
        kinds(&v["history"]).last().map(String::as_str),
        Some("expired")
    );
    app.cleanup().await;
}

pub async fn code_expiry_attempts_and_resend(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let req = app
        .create_request(&op, app.request_body(IIN_A, "+77011234567"))
        .await;
    let id = req["id"].as_str().unwrap();
    let first = app.code_for(id).await;

    // The code works for 15 minutes, not a microsecond longer.
    app.clock.advance(SignedDuration::from_mins(15));
    let (s, p) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": first}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code_expired"))
    );

    // A new code replaces the old one.
    let (s, _) = app
        .post(
            &format!("/v1/consent-requests/{id}/code"),
            Some(&op.key),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let second = app.code_for(id).await;
    if second != first {
        let (s, p) = app
            .post(
                &format!("/v1/consent-requests/{id}/confirm"),
                None,
                json!({"code": first}),
            )
            .await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("code_invalid"))
        );
    }
    // Five wrong codes lock the code, even the right one then.
    let wrong = if second == "999999" {
        "999998"
    } else {
        "999999"
    };
    let start = if second != first { 1 } else { 0 };
    for _ in start..5 {
        let (s, p) = app
            .post(
                &format!("/v1/consent-requests/{id}/confirm"),
                None,
                json!({"code": wrong}),
            )
            .await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("code_invalid"))
        );
    }
    let (s, p) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": second}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (
            StatusCode::TOO_MANY_REQUESTS,
            Some("code_attempts_exhausted")
        )
    );

    // At most five codes per request.
    for _ in 0..3 {
        let (s, _) = app
            .post(
                &format!("/v1/consent-requests/{id}/code"),
                Some(&op.key),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED);
    }
    let (s, p) = app
        .post(
            &format!("/v1/consent-requests/{id}/code"),
            Some(&op.key),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("code_resend_limit"))
    );
    let last = app.code_for(id).await;
    let (s, v) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": last}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    app.cleanup().await;
}

pub async fn new_version_supersedes_the_old(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let v1 = app.give_consent(&op, IIN_A, "+77011234567").await;
    let v1_id = v1["id"].as_str().unwrap();
    let mut body = app.request_body(IIN_A, "+77011234567");
    body["supersedes"] = json!(v1_id);
    body["terms"]["categories"] = json!(["full_name", "income", "phone"]);
    let v2 = app.create_request(&op, body).await;
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["series_id"], v1["series_id"]);
    let v2_id = v2["id"].as_str().unwrap();
    // Until confirmed, the old version stays in force.
    let (_, old) = app
        .get(&format!("/v1/consents/{v1_id}"), Some(&op.key))
        .await;
    assert_eq!(old["state"], "active");
    let code = app.code_for(v2_id).await;
    let (s, v) = app
        .post(
            &format!("/v1/consent-requests/{v2_id}/confirm"),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "active");
    let (_, old) = app
        .get(&format!("/v1/consents/{v1_id}"), Some(&op.key))
        .await;
    assert_eq!(old["state"], "superseded");
    assert_eq!(
        kinds(&old["history"]).last().map(String::as_str),
        Some("superseded")
    );
    let (_, payload) = verify_jws(v["receipt"].as_str().unwrap(), &app.jwks().await).unwrap();
    assert_eq!(payload["supersedes"], v1_id);
    assert_eq!(payload["version"], 2);

    // Only an active consent of the same operator, subject and purpose can be superseded.
    let mut body = app.request_body(IIN_B, "+77017654321");
    body["supersedes"] = json!(v2_id);
    let (s, p) = app.post("/v1/consent-requests", Some(&op.key), body).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("supersedes_mismatch")
        )
    );
    let mut body = app.request_body(IIN_A, "+77011234567");
    body["supersedes"] = json!(v1_id);
    let (s, p) = app.post("/v1/consent-requests", Some(&op.key), body).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("supersedes_mismatch")
        )
    );
    app.cleanup().await;
}

pub async fn legal_representative_answers(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let child = iin(3);
    let mut body = app.request_body(&child, "+77010000001");
    body["subject"]["contact"] = json!({});
    body["representative"] = json!({
        "iin": IIN_B, "name": {"surname": "Серикова", "given_name": "Дана"},
        "contact": {"email": "dana@example.kz"}, "language": "kk",
        "authority": {"basis": "parent", "document_reference": "Туу туралы куәлік № 123456",
                      "valid_until": (app.now() + SignedDuration::from_hours(24 * 3650)).to_string()}
    });
    let req = app.create_request(&op, body).await;
    let id = req["id"].as_str().unwrap();
    assert_eq!(req["representative"]["iin"], IIN_B);
    app.deliver().await;
    let m = app
        .messages()
        .into_iter()
        .find(|m| m["reference"] == id)
        .unwrap();
    assert_eq!(
        (m["medium"].as_str(), m["language"].as_str()),
        (Some("email"), Some("kk"))
    );
    assert_eq!(m["to"]["email"], "dana@example.kz");
    let (s, c) = app
        .post(
            &format!("/v1/consent-requests/{id}/confirm"),
            None,
            json!({"code": m["code"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (_, payload) = verify_jws(c["receipt"].as_str().unwrap(), &app.jwks().await).unwrap();
    assert_eq!(payload["given_by"], "representative");
    assert_eq!(payload["representative"]["iin"], IIN_B);
    assert_eq!(payload["representative"]["authority"]["basis"], "parent");
    assert_eq!(payload["subject"]["iin"], child);
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    let confirmed = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "confirmed")
        .cloned()
        .unwrap();
    assert_eq!(confirmed["actor"], "representative");

    // The representative signs in as themself and acts for the child, within the
    // recorded authority; the actions are recorded as theirs.
    let dana = app.sign_in(IIN_B).await;
    let (s, list) = app.get("/v1/subject/represented", Some(&dana)).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            list[0]["basis"].as_str(),
            list[0]["name"]["given_name"].as_str()
        ),
        (Some("parent"), Some("Арман"))
    );
    let child_id = list[0]["subject_id"].as_str().unwrap().to_owned();
    let acting = |m: reqwest::Method, path: &str| {
        app.client
            .request(m, format!("{}{path}", app.base))
            .bearer_auth(&dana)
            .header("qorgau-acting-for", child_id.clone())
    };
    let (_, own) = app.get("/v1/consents", Some(&dana)).await;
    assert_eq!(
        own["items"].as_array().unwrap().len(),
        0,
        "Dana has no consents of her own"
    );
    let theirs: Value = acting(reqwest::Method::GET, "/v1/consents")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"][0]["id"].as_str(), Some(id));
    let r = acting(
        reqwest::Method::POST,
        &format!("/v1/consents/{id}/withdraw"),
    )
    .json(&json!({}))
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    let withdrawn = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "withdrawn")
        .cloned()
        .unwrap();
    assert_eq!(withdrawn["actor"], "representative");
    let r = acting(reqwest::Method::POST, "/v1/requests")
        .json(&json!({"organization_bin": BIN_A, "kind": "information"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    // Not for anyone else, not passed on, not for an organization's key.
    let r = app
        .client
        .get(format!("{}/v1/consents", app.base))
        .bearer_auth(&dana)
        .header("qorgau-acting-for", uuid::Uuid::now_v7().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = acting(reqwest::Method::GET, "/v1/subject/represented")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .client
        .get(format!("{}/v1/consents", app.base))
        .bearer_auth(&op.key)
        .header("qorgau-acting-for", child_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // When the authority ends, so does the acting.
    app.clock.advance(SignedDuration::from_hours(24 * 3651));
    let dana = app.sign_in(IIN_B).await;
    let r = app
        .client
        .get(format!("{}/v1/consents", app.base))
        .bearer_auth(&dana)
        .header("qorgau-acting-for", child_id.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // An authority that has ended is refused at the edge.
    let mut body = app.request_body(&iin(4), "+77010000002");
    body["representative"] = json!({
        "iin": IIN_B, "name": {"surname": "Серикова", "given_name": "Дана"}, "contact": {"email": "dana@example.kz"},
        "authority": {"basis": "guardian", "document_reference": "Шешім № 1", "valid_until": app.now().to_string()}
    });
    let (s, p) = app.post("/v1/consent-requests", Some(&op.key), body).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("representative_authority_expired")
        )
    );
    app.cleanup().await;
}

pub async fn operator_cannot_redirect_codes_of_a_proven_subject(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    app.give_consent(&op, IIN_A, "+77011234567").await;
    let other = app.operator(&bin(5)).await;
    let req = app
        .create_request(&other, app.request_body(IIN_A, "+77019999999"))
        .await;
    let id = req["id"].as_str().unwrap();
    app.deliver().await;
    let m = app
        .messages()
        .into_iter()
        .find(|m| m["reference"] == id)
        .unwrap();
    assert_eq!(
        m["to"]["phone"], "+77011234567",
        "the code must go to the phone the subject proved"
    );
    app.cleanup().await;
}

pub async fn lists_paginate(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let r = app
            .create_request(&op, app.request_body(&iin(10 + n), "+77011234567"))
            .await;
        ids.push(r["id"].as_str().unwrap().to_owned());
        app.clock.advance(SignedDuration::from_secs(1));
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/consents?limit=2&cursor={c}"),
            None => "/v1/consents?limit=2".to_owned(),
        };
        let (s, page) = app.get(&path, Some(&op.key)).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        for i in page["items"].as_array().unwrap() {
            seen.push(i["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, each once");
    let (s, p) = app.get("/v1/consents?cursor=zz", Some(&op.key)).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_cursor"))
    );
    let (s, p) = app.get("/v1/consents?state=sleeping", Some(&op.key)).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    app.cleanup().await;
}

pub async fn restart_keeps_everything(b: Backend) {
    let mut app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let c = app.give_consent(&op, IIN_A, "+77011234567").await;
    let id = c["id"].as_str().unwrap().to_owned();
    let pending = app
        .create_request(&op, app.request_body(IIN_B, "+77017654321"))
        .await;
    app.restart().await;
    let (s, v) = app.get(&format!("/v1/consents/{id}"), Some(&op.key)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["state"], "active");
    assert_eq!(v["receipt"], c["receipt"]);
    assert!(verify_jws(v["receipt"].as_str().unwrap(), &app.jwks().await).is_ok());
    // The pending request can still be answered with the code sent before the restart.
    let pid = pending["id"].as_str().unwrap();
    let code = app.code_for(pid).await;
    let (s, _) = app
        .post(
            &format!("/v1/consent-requests/{pid}/confirm"),
            None,
            json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    app.cleanup().await;
}
