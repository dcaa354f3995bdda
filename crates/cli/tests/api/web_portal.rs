//! The portal for a legal representative: acting for the person they represent,
//! within the recorded authority, and back.

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{bin, iin, Backend, TestApp};
use crate::web::Web;

const ACTING: &str = "__Host-qorgau-acting";

pub async fn representative_acts_for_the_person_they_represent(b: Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(&bin(61)).await;
    let org_bin = bin(61);
    let (child, parent) = (iin(31), iin(32));
    // The operator asks the parent to consent for the child, for 30 days' authority.
    let mut body = app.request_body(&child, "+77010000031");
    body["subject"]["contact"] = json!({});
    body["representative"] = json!({
        "iin": parent, "name": {"surname": "Серикова", "given_name": "Дана"},
        "contact": {"email": "dana@example.kz"}, "language": "en",
        "authority": {"basis": "parent", "document_reference": "Birth certificate 123456",
                      "valid_until": (app.now() + SignedDuration::from_hours(24 * 30)).to_string()}
    });
    let consent = app.give_consent_on(&op, body).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let token = app.sign_in(&parent).await;
    let (_, list) = app.get("/v1/subject/represented", Some(&token)).await;
    let child_id = list[0]["subject_id"].as_str().unwrap().to_owned();
    let web = Web::new(&app, &token, "en");

    // Home offers to act for the child; nothing of the child's is shown yet.
    let home = web.get("/portal").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains("People I represent"), "{}", home.html);
    assert!(
        home.html.contains("Act for Сериков Арман Болатұлы"),
        "{}",
        home.html
    );
    let own = web.get("/portal/consents").await;
    assert!(!own.html.contains(&consent), "{}", own.html);

    // Not for someone unknown, not for oneself, not without the form's token.
    let csrf = home.csrf();
    for who in [uuid::Uuid::now_v7().to_string(), "not-an-id".to_owned()] {
        let r = web
            .post("/portal/acting", &[("csrf", &csrf), ("subject", &who)])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(web.cookie(ACTING), None);
    }
    let r = web
        .post(
            "/portal/acting",
            &[("csrf", "forged"), ("subject", &child_id)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(web.cookie(ACTING), None);

    // Acting for the child: every page says so; the child's consent is there.
    let r = web
        .post("/portal/acting", &[("csrf", &csrf), ("subject", &child_id)])
        .await;
    assert_eq!(
        (r.status, r.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/portal"))
    );
    assert_eq!(web.cookie(ACTING).as_deref(), Some(child_id.as_str()));
    let theirs = web.get("/portal/consents").await;
    assert!(
        theirs
            .html
            .contains("You are acting for Сериков Арман Болатұлы as their legal representative (basis: parent;"),
        "{}",
        theirs.html
    );
    assert!(
        theirs.html.contains(&format!("/portal/consents/{consent}")),
        "{}",
        theirs.html
    );

    // Withdrawing for the child is recorded as the representative's act.
    let path = format!("/portal/consents/{consent}/withdraw");
    let r = web.submit(&path, &path, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let (_, v) = app
        .get(&format!("/v1/consents/{consent}"), Some(&op.key))
        .await;
    assert_eq!(v["state"], "withdrawn", "{v}");
    let withdrawn = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "withdrawn")
        .cloned()
        .unwrap();
    assert_eq!(withdrawn["actor"], "representative", "{v}");

    // A request filed for the child is the child's, not the parent's.
    let r = web
        .submit(
            "/portal/requests/new",
            "/portal/requests",
            &[
                ("organization_bin", &org_bin),
                ("kind", "information"),
                ("text", "What do you hold about my son?"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.html);
    let to = r.location.unwrap();
    let request = to.rsplit('/').next().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&request).is_ok(), "{to}");
    let acting_list = web.get("/portal/requests").await;
    assert!(acting_list.html.contains(&request), "{}", acting_list.html);
    let (_, mine) = app.get("/v1/requests", Some(&token)).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 0, "{mine}");
    let (s, theirs): (StatusCode, Value) = {
        let r = app
            .client
            .get(format!("{}/v1/requests/{request}", app.base))
            .bearer_auth(&token)
            .header("qorgau-acting-for", &child_id)
            .send()
            .await
            .unwrap();
        (r.status(), r.json().await.unwrap())
    };
    assert_eq!(s, StatusCode::OK, "{theirs}");

    // How the child is told is not the representative's to choose.
    let inbox = web.get("/portal/inbox").await;
    assert!(!inbox.html.contains("action=\"/portal/preferences\""));
    let r = web
        .post("/portal/preferences", &[("csrf", &csrf), ("digest", "on")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (_, prefs) = app.get("/v1/subject/preferences", Some(&token)).await;
    assert_eq!(prefs["digest"], false, "{prefs}");

    // Back to the parent's own account.
    let r = web
        .post("/portal/acting", &[("csrf", &csrf), ("subject", "")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(web.cookie(ACTING), None);
    let own = web.get("/portal/consents").await;
    assert!(!own.html.contains(&consent), "{}", own.html);
    assert!(!own.html.contains("You are acting for"));

    // Once the authority ends, the choice no longer holds: the person is told and
    // sees their own account, and the cookie is cleared.
    app.clock.advance(SignedDuration::from_hours(24 * 31));
    let token = app.sign_in(&parent).await;
    let web = Web::new(&app, &token, "en");
    web.set_cookie(ACTING, &child_id);
    let home = web.get("/portal").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.html
            .contains("Your authority to act for that person has ended"),
        "{}",
        home.html
    );
    assert!(!home.html.contains("You are acting for"));
    assert!(!home.html.contains("People I represent"));
    assert_eq!(web.cookie(ACTING), None);
    let r = web
        .post(
            "/portal/acting",
            &[("csrf", &home.csrf()), ("subject", &child_id)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // No identity number in the address of the request filed.
    assert!(!to.contains(&child) && !to.contains(&parent), "{to}");
    app.cleanup().await;
}
