//! Sign-in and permissions (issue 6): staff with password and TOTP, subjects with a
//! one-time code (and TOTP if they add it), sessions in cookies with CSRF, API key
//! rotation and revocation, the throttle, and every operation refusing whoever it is
//! not for.

use std::collections::BTreeSet;

use jiff::SignedDuration;
use qorgau_core::auth::{totp_code, totp_secret_from_base32, totp_step};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::harness::{bin, TestApp, BIN_A, IIN_A, IIN_B};

pub(crate) const PASSWORD: &str = "a long and unusual passphrase";

/// A staff member signed in with both factors.
pub struct Staff {
    pub id: String,
    pub email: String,
    pub secret: Vec<u8>,
    pub token: String,
}

fn code(app: &TestApp, secret: &[u8]) -> String {
    totp_code(secret, totp_step(app.now()))
}

/// Move past the current TOTP step, so the next code is a new one.
fn next_step(app: &TestApp) {
    app.clock.advance(SignedDuration::from_secs(30));
}

async fn create_account(app: &TestApp, by: &str, body: Value) -> Value {
    let (s, v) = app.post("/v1/accounts", Some(by), body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

/// Create an account (as `by`), set its password, sign in and set up TOTP.
pub(crate) async fn staff(
    app: &TestApp,
    by: &str,
    email: &str,
    role: &str,
    org: Option<&str>,
) -> Staff {
    let a = create_account(
        app,
        by,
        json!({"email": email, "name": "Әлия Сапарова", "role": role, "organization_id": org}),
    )
    .await;
    let (s, v) = app
        .post(
            "/v1/auth/setup",
            None,
            json!({"setup_token": a["setup_token"], "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, first) = app
        .post(
            "/v1/auth/sign-in",
            None,
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(
        (first["stage"].as_str(), first["next"].as_str()),
        (Some("mfa"), Some("enroll_totp"))
    );
    let pending = first["token"].as_str().unwrap();
    let (s, e) = app.post("/v1/auth/totp", Some(pending), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let secret = totp_secret_from_base32(e["secret"].as_str().unwrap()).unwrap();
    assert!(e["otpauth_uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/Qorgau:"));
    let (s, done) = app
        .post(
            "/v1/auth/totp/confirm",
            Some(pending),
            json!({"code": code(app, &secret)}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["recovery_codes"].as_array().unwrap().len(), 10);
    assert_eq!(done["session"]["stage"], "active");
    Staff {
        id: a["id"].as_str().unwrap().to_owned(),
        email: email.to_owned(),
        secret,
        token: done["session"]["token"].as_str().unwrap().to_owned(),
    }
}

/// On a pre-MFA session: the code of a step already used is refused (replay), the
/// next step's code is accepted; returns the new session token.
async fn replay_refused_next_step_accepted(app: &TestApp, pending: &str, secret: &[u8]) -> String {
    let (st, p) = app
        .post(
            "/v1/auth/mfa",
            Some(pending),
            json!({"code": code(app, secret)}),
        )
        .await;
    assert_eq!(
        (st, p["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("credentials_invalid")),
        "replayed TOTP step"
    );
    next_step(app);
    let (st, done) = app
        .post(
            "/v1/auth/mfa",
            Some(pending),
            json!({"code": code(app, secret)}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{done}");
    done["token"].as_str().unwrap().to_owned()
}

/// The first factor: login and password; the answer (a pre-MFA session).
async fn first_factor(app: &TestApp, email: &str, password: &str) -> Value {
    let (st, first) = app
        .post(
            "/v1/auth/sign-in",
            None,
            json!({"email": email, "password": password}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{first}");
    first
}

/// Password, then TOTP, for an account that has set it up.
async fn sign_in_staff(app: &TestApp, s: &Staff) -> String {
    next_step(app);
    let (st, first) = app
        .post(
            "/v1/auth/sign-in",
            None,
            json!({"email": s.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{first}");
    assert_eq!(first["next"], "totp");
    let (st, done) = app
        .post(
            "/v1/auth/mfa",
            first["token"].as_str(),
            json!({"code": code(app, &s.secret)}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{done}");
    done["token"].as_str().unwrap().to_owned()
}

fn kinds(entries: &Value) -> BTreeSet<String> {
    entries["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry"]["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

pub async fn staff_sign_in_needs_password_and_totp_always(b: crate::harness::Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let other = app.create_org(&bin(2), "operator").await;

    // The administrator creates the organization's administrator; the setup token
    // is single use, and a weak password is refused.
    let a = create_account(
        &app,
        &app.admin,
        json!({"email": "admin@bank.kz", "name": "Ержан", "role": "org_admin", "organization_id": op.id}),
    )
    .await;
    assert_eq!(
        (a["activated"].as_bool(), a["mfa_enrolled"].as_bool()),
        (Some(false), Some(false))
    );
    let (s, p) = app
        .post("/v1/accounts", Some(&app.admin), json!({"email": "ADMIN@bank.kz ", "name": "x", "role": "dpo", "organization_id": op.id}))
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("account_exists"))
    );
    let (s, p) = app
        .post(
            "/v1/accounts",
            Some(&app.admin),
            json!({"email": "i@x.kz", "name": "x", "role": "inspector", "organization_id": op.id}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    for weak in ["short", "password1234", "admin-is-my-password"] {
        let (s, p) = app
            .post(
                "/v1/auth/setup",
                None,
                json!({"setup_token": a["setup_token"], "password": weak}),
            )
            .await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("weak_password")),
            "{weak}"
        );
    }
    let (s, _) = app
        .post(
            "/v1/auth/setup",
            None,
            json!({"setup_token": a["setup_token"], "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, p) = app
        .post(
            "/v1/auth/setup",
            None,
            json!({"setup_token": a["setup_token"], "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code_invalid"))
    );

    // Wrong password and unknown login answer alike.
    for (email, pw) in [
        ("admin@bank.kz", "a wrong passphrase here"),
        ("nobody@bank.kz", PASSWORD),
    ] {
        let (s, p) = app
            .post(
                "/v1/auth/sign-in",
                None,
                json!({"email": email, "password": pw}),
            )
            .await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("credentials_invalid"))
        );
    }

    // First factor: a session good only for the second.
    let resp = app
        .client
        .post(format!("{}/v1/auth/sign-in", app.base))
        .json(&json!({"email": "Admin@Bank.kz", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attr in [
        "__Host-qorgau-session=qs_",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
    ] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    let first: Value = resp.json().await.unwrap();
    assert_eq!(
        (first["stage"].as_str(), first["next"].as_str()),
        (Some("mfa"), Some("enroll_totp"))
    );
    let pending = first["token"].as_str().unwrap().to_owned();
    let (s, p) = app.get("/v1/consents", Some(&pending)).await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("mfa_required"))
    );
    let (s, p) = app
        .post("/v1/auth/mfa", Some(&pending), json!({"code": "123456"}))
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("mfa_not_enrolled"))
    );
    let (s, who) = app.get("/v1/auth/session", Some(&pending)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (
            who["kind"].as_str(),
            who["role"].as_str(),
            who["stage"].as_str()
        ),
        (Some("account"), Some("org_admin"), Some("mfa"))
    );

    // Enrollment at first sign-in: a wrong code is refused, the right one completes
    // the sign-in with a new token; the pre-MFA token is dead.
    let (_, e) = app.post("/v1/auth/totp", Some(&pending), json!({})).await;
    let secret = totp_secret_from_base32(e["secret"].as_str().unwrap()).unwrap();
    let wrong = format!(
        "{:06}",
        (code(&app, &secret).parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let (s, p) = app
        .post(
            "/v1/auth/totp/confirm",
            Some(&pending),
            json!({"code": wrong}),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("credentials_invalid"))
    );
    let (s, done) = app
        .post(
            "/v1/auth/totp/confirm",
            Some(&pending),
            json!({"code": code(&app, &secret)}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    let recovery: Vec<String> = serde_json::from_value(done["recovery_codes"].clone()).unwrap();
    let token = done["session"]["token"].as_str().unwrap().to_owned();
    assert_ne!(token, pending);
    assert_eq!(
        app.get("/v1/auth/session", Some(&pending)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let s = Staff {
        id: a["id"].as_str().unwrap().to_owned(),
        email: "admin@bank.kz".into(),
        secret: secret.clone(),
        token,
    };

    // The organization's administrator acts for the organization with every scope,
    // manages its keys and staff, and nothing of another organization's.
    assert_eq!(
        app.get("/v1/consents", Some(&s.token)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/v1/organizations/{}", op.id), Some(&s.token))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/v1/organizations/{}", other.id), Some(&s.token))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (st, key) = app
        .post(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&s.token),
            json!({"label": "crm", "scopes": ["decisions"]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{key}");
    let (st, _) = app
        .post(
            &format!("/v1/organizations/{}/api-keys", other.id),
            Some(&s.token),
            json!({"label": "x"}),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, p) = app
        .post(
            "/v1/accounts",
            Some(&s.token),
            json!({"email": "insp@gov.kz", "name": "x", "role": "inspector"}),
        )
        .await;
    assert_eq!(
        (st, p["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let (st, p) = app.post("/v1/accounts", Some(&s.token), json!({"email": "p@x.kz", "name": "x", "role": "processor", "organization_id": other.id})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{p}");
    // An organization's API key manages neither keys nor people.
    let (st, _) = app
        .post(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&op.key),
            json!({"label": "x"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/v1/accounts", Some(&op.key)).await.0,
        StatusCode::FORBIDDEN
    );

    // A processor has the processing scopes, not the catalogue or the ledger.
    let proc_ = staff(&app, &s.token, "ops@bank.kz", "processor", Some(&op.id)).await;
    assert_eq!(
        app.get("/v1/requests", Some(&proc_.token)).await.0,
        StatusCode::OK
    );
    let (st, p) = app.get("/v1/ledger/entries", Some(&proc_.token)).await;
    assert_eq!(
        (st, p["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("insufficient_scope"))
    );
    let (_, list) = app.get("/v1/accounts", Some(&s.token)).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "only the organization's own staff"
    );

    // Next sign-in: the code of a step already used is refused (replay); a code of
    // the next step works.
    let first = first_factor(&app, &s.email, PASSWORD).await;
    assert_eq!(first["next"], "totp");
    let pending = first["token"].as_str().unwrap().to_owned();
    let second = replay_refused_next_step_accepted(&app, &pending, &secret).await;
    // A recovery code works once.
    let first = first_factor(&app, &s.email, PASSWORD).await;
    let (st, _) = app
        .post(
            "/v1/auth/mfa",
            first["token"].as_str(),
            json!({"recovery_code": recovery[0].to_uppercase()}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let first = first_factor(&app, &s.email, PASSWORD).await;
    let (st, _) = app
        .post(
            "/v1/auth/mfa",
            first["token"].as_str(),
            json!({"recovery_code": recovery[0]}),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::UNAUTHORIZED,
        "a recovery code is single use"
    );

    // Changing the password needs the current password and a current code; it ends
    // the other sessions.
    next_step(&app);
    let (st, _) = app
        .post("/v1/auth/password", Some(&s.token), json!({"current_password": "wrong wrong wrong", "code": code(&app, &secret), "new_password": "another long passphrase"}))
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    next_step(&app);
    let (st, p) = app
        .post("/v1/auth/password", Some(&s.token), json!({"current_password": PASSWORD, "code": code(&app, &secret), "new_password": "another long passphrase"}))
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{p}");
    assert_eq!(
        app.get("/v1/consents", Some(&second)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/v1/consents", Some(&s.token)).await.0,
        StatusCode::OK
    );
    // Replacing the authenticator needs re-authentication too.
    let (st, _) = app
        .post(
            "/v1/auth/totp",
            Some(&s.token),
            json!({"password": "another long passphrase"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "a current code is required");

    // Idle timeout: 15 minutes for staff.
    app.clock.advance(SignedDuration::from_mins(16));
    assert_eq!(
        app.get("/v1/consents", Some(&s.token)).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Disabling an account ends its sessions.
    let t = sign_in_staff(&app, &proc_).await;
    let admin_tok = {
        next_step(&app);
        let (_, f) = app
            .post(
                "/v1/auth/sign-in",
                None,
                json!({"email": s.email, "password": "another long passphrase"}),
            )
            .await;
        let (_, d) = app
            .post(
                "/v1/auth/mfa",
                f["token"].as_str(),
                json!({"code": code(&app, &secret)}),
            )
            .await;
        d["token"].as_str().unwrap().to_owned()
    };
    let (st, d) = app
        .post(
            &format!("/v1/accounts/{}/disable", proc_.id),
            Some(&admin_tok),
            json!({}),
        )
        .await;
    assert_eq!((st, d["disabled_at"].is_string()), (StatusCode::OK, true));
    assert_eq!(
        app.get("/v1/requests", Some(&t)).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Everything above is in the ledger, with pseudonymous ids only.
    let (_, entries) = app
        .get("/v1/ledger/entries?limit=500", Some(&app.admin))
        .await;
    let k = kinds(&entries);
    for kind in [
        "account.created",
        "account.password_set",
        "signin.failed",
        "signin.first_factor",
        "mfa.enrolled",
        "session.started",
        "mfa.recovery_code_used",
        "account.password_changed",
        "reauth.failed",
        "account.disabled",
        "api_key.created",
    ] {
        assert!(k.contains(kind), "{kind} missing from {k:?}");
    }
    let text = entries.to_string();
    assert!(
        !text.contains("bank.kz") && !text.contains(PASSWORD),
        "no login or password in the ledger"
    );
    app.cleanup().await;
}

pub async fn brute_force_is_throttled_and_the_user_gets_in_after(b: crate::harness::Backend) {
    let app = TestApp::spawn(b).await;
    let s = staff(&app, &app.admin, "inspector@gov.kz", "inspector", None).await;
    // Five wrong passwords lock the account for a minute: then even the right
    // password gets 429 with Retry-After.
    for _ in 0..5 {
        let (st, _) = app
            .post(
                "/v1/auth/sign-in",
                None,
                json!({"email": s.email, "password": "guess guess guess"}),
            )
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
    let resp = app
        .client
        .post(format!("{}/v1/auth/sign-in", app.base))
        .json(&json!({"email": s.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resp.headers()["retry-after"], "60");
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["code"], "too_many_attempts");
    // The schedule grows: five more failures after the first lock lock for five minutes.
    app.clock.advance(SignedDuration::from_secs(61));
    for _ in 0..5 {
        app.post(
            "/v1/auth/sign-in",
            None,
            json!({"email": s.email, "password": "guess guess guess"}),
        )
        .await;
    }
    let resp = app
        .client
        .post(format!("{}/v1/auth/sign-in", app.base))
        .json(&json!({"email": s.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            resp.status(),
            resp.headers()["retry-after"].to_str().unwrap()
        ),
        (StatusCode::TOO_MANY_REQUESTS, "300")
    );
    // An unknown login is throttled in the same way (no enumeration).
    for _ in 0..5 {
        app.post(
            "/v1/auth/sign-in",
            None,
            json!({"email": "ghost@gov.kz", "password": "guess guess guess"}),
        )
        .await;
    }
    assert_eq!(
        app.post(
            "/v1/auth/sign-in",
            None,
            json!({"email": "ghost@gov.kz", "password": "x"})
        )
        .await
        .0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // After the window the real user gets in.
    app.clock.advance(SignedDuration::from_secs(301));
    let token = sign_in_staff(&app, &s).await;
    // The inspector reads across organizations and changes nothing.
    assert_eq!(
        app.get("/v1/organizations", Some(&token)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/v1/requests?overdue=true", Some(&token)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/v1/ledger/entries", Some(&token)).await.0,
        StatusCode::OK
    );
    let (st, _) = app
        .post("/v1/organizations", Some(&token), json!({"bin": bin(3), "name": "X", "kind": "operator", "dpo": {"name": "X", "email": "d@x.kz"}}))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // Second factor guesses are throttled too.
    let first = first_factor(&app, &s.email, PASSWORD).await;
    let pending = first["token"].as_str().unwrap().to_owned();
    for _ in 0..5 {
        let (st, _) = app
            .post("/v1/auth/mfa", Some(&pending), json!({"code": "000000"}))
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
    let (st, p) = app
        .post(
            "/v1/auth/mfa",
            Some(&pending),
            json!({"code": code(&app, &s.secret)}),
        )
        .await;
    assert_eq!(
        (st, p["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts"))
    );
    // Many logins from one address: the address is locked after 20 failures.
    for n in 0..20 {
        app.post(
            "/v1/auth/sign-in",
            None,
            json!({"email": format!("u{n}@x.kz"), "password": "guess guess guess"}),
        )
        .await;
    }
    assert_eq!(
        app.post(
            "/v1/auth/sign-in",
            None,
            json!({"email": "fresh@x.kz", "password": "guess guess guess"})
        )
        .await
        .0,
        StatusCode::TOO_MANY_REQUESTS
    );
    let (_, entries) = app
        .get("/v1/ledger/entries?limit=500", Some(&app.admin))
        .await;
    assert!(kinds(&entries).contains("signin.locked"));
    app.cleanup().await;
}

pub async fn subject_codes_cookies_csrf_and_totp(b: crate::harness::Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let consent = app.give_consent(&op, IIN_A, "+77011234567").await;
    let consent_id = consent["id"].as_str().unwrap();

    // An expired code is refused; so are wrong codes past the limit.
    let (_, ch) = app
        .post("/v1/subject/sign-in", None, json!({"iin": IIN_A}))
        .await;
    let id = ch["challenge_id"].as_str().unwrap().to_owned();
    let code_a = app.code_for(&id).await;
    app.clock.advance(SignedDuration::from_mins(6));
    let (st, p) = app
        .post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": id, "code": code_a}),
        )
        .await;
    assert_eq!(
        (st, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code_expired"))
    );

    // The cookie carries the session; unsafe requests need the CSRF token.
    let (_, ch) = app
        .post("/v1/subject/sign-in", None, json!({"iin": IIN_A}))
        .await;
    let id = ch["challenge_id"].as_str().unwrap().to_owned();
    let c = app.code_for(&id).await;
    let resp = app
        .client
        .post(format!("{}/v1/subject/sign-in/verify", app.base))
        .json(&json!({"challenge_id": id, "code": c}))
        .send()
        .await
        .unwrap();
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    let signed: Value = resp.json().await.unwrap();
    let cookie = set.split(';').next().unwrap().to_owned();
    let csrf = signed["csrf_token"].as_str().unwrap().to_owned();
    let with_cookie = |m: Method, path: &str| {
        app.client
            .request(m, format!("{}{path}", app.base))
            .header("cookie", cookie.clone())
    };
    let r = with_cookie(Method::GET, "/v1/consents")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let withdraw = format!("/v1/consents/{consent_id}/withdraw");
    let r = with_cookie(Method::POST, &withdraw)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "csrf_failed");
    let r = with_cookie(Method::POST, &withdraw)
        .header("x-csrf-token", "0".repeat(64))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = with_cookie(Method::GET, "/v1/consents")
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "cross-site use of the cookie"
    );
    // With the session's token the same cookie acts.
    let r = with_cookie(Method::POST, "/v1/requests")
        .header("x-csrf-token", &csrf)
        .json(&json!({"organization_bin": BIN_A, "kind": "information"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let token = signed["token"].as_str().unwrap().to_owned();

    // The subject adds an authenticator; from then on a code alone is not enough.
    let (st, e) = app.post("/v1/auth/totp", Some(&token), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{e}");
    let secret = totp_secret_from_base32(e["secret"].as_str().unwrap()).unwrap();
    let (st, done) = app
        .post(
            "/v1/auth/totp/confirm",
            Some(&token),
            json!({"code": code(&app, &secret)}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{done}");
    assert!(
        done.get("session").is_none(),
        "an active session stays as it is"
    );
    let (_, ch) = app
        .post("/v1/subject/sign-in", None, json!({"iin": IIN_A}))
        .await;
    let id = ch["challenge_id"].as_str().unwrap().to_owned();
    let c = app.code_for(&id).await;
    let (st, first) = app
        .post(
            "/v1/subject/sign-in/verify",
            None,
            json!({"challenge_id": id, "code": c}),
        )
        .await;
    assert_eq!(
        (st, first["stage"].as_str(), first["next"].as_str()),
        (StatusCode::OK, Some("mfa"), Some("totp"))
    );
    let pending = first["token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/v1/consents", Some(&pending)).await.0,
        StatusCode::UNAUTHORIZED
    );
    // The code of the enrollment's step is spent.
    let full = replay_refused_next_step_accepted(&app, &pending, &secret).await;
    let (st, w) = app.post(&withdraw, Some(&full), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{w}");
    // Sign-out ends the session on the server.
    assert_eq!(
        app.post("/v1/auth/sign-out", Some(&full), json!({}))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/v1/consents", Some(&full)).await.0,
        StatusCode::UNAUTHORIZED
    );
    app.cleanup().await;
}

pub async fn api_keys_rotate_revoke_and_record_last_use(b: crate::harness::Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let (_, keys) = app
        .get(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&app.admin),
        )
        .await;
    let key_id = keys[0]["id"].as_str().unwrap().to_owned();
    assert!(
        keys[0]["last_used_at"].is_string(),
        "the operator's key was used: {keys}"
    );
    assert!(
        !keys.to_string().contains(&op.key),
        "secrets are never listed"
    );
    // Rotation with a grace period: both keys work until it ends.
    let (st, new) = app
        .post(
            &format!("/v1/api-keys/{key_id}/rotate"),
            Some(&app.admin),
            json!({"grace_seconds": 3600}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{new}");
    let new_key = new["token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get("/v1/purposes", Some(&op.key)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/v1/purposes", Some(&new_key)).await.0,
        StatusCode::OK
    );
    let (st, _) = app
        .post(
            &format!("/v1/api-keys/{key_id}/rotate"),
            Some(&app.admin),
            json!({}),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::NOT_FOUND,
        "a rotated key is not rotated twice"
    );
    let (st, _) = app
        .post(
            &format!("/v1/api-keys/{}/rotate", new["id"].as_str().unwrap()),
            Some(&app.admin),
            json!({"grace_seconds": 9_999_999}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    app.clock.advance(SignedDuration::from_secs(3601));
    assert_eq!(
        app.get("/v1/purposes", Some(&op.key)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/v1/purposes", Some(&new_key)).await.0,
        StatusCode::OK
    );
    // Revocation is immediate.
    let (st, _) = app
        .post(
            &format!("/v1/api-keys/{}/revoke", new["id"].as_str().unwrap()),
            Some(&app.admin),
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/v1/purposes", Some(&new_key)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, keys) = app
        .get(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&app.admin),
        )
        .await;
    assert!(keys
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["revoked_at"].is_string() || k["expires_at"].is_string()));
    let (_, entries) = app
        .get("/v1/ledger/entries?limit=500", Some(&app.admin))
        .await;
    let k = kinds(&entries);
    assert!(
        k.contains("api_key.rotated") && k.contains("api_key.revoked"),
        "{k:?}"
    );
    app.cleanup().await;
}

/// Path parameters filled with objects that belong to organization A and subject A.
struct Victim {
    org: String,
    consent_request: String,
    consent: String,
    request: String,
    account: String,
    api_key: String,
    webhook: String,
}

/// A body that is valid for the operation, so that only the object check can refuse it.
fn body_for(method: &Method, path: &str) -> Option<Value> {
    if *method != Method::POST && *method != Method::PUT {
        return None;
    }
    Some(if path.ends_with("/withdrawal-ground") {
        json!({"kind": "unexecuted_obligation", "reference": "Договор № 1",
               "explanation": {"kk": "Несие өтелмеген", "ru": "Кредит не погашен", "en": "The loan is not repaid"}})
    } else if path.ends_with("/legal-grounds") {
        json!({"ground": "art9_1"})
    } else if path.ends_with("/assign") {
        json!({"assignee": "desk-1"})
    } else if path.ends_with("/complete") {
        json!({"text": "Ответ"})
    } else if path.starts_with("/v1/requests/") && path.ends_with("/refuse") {
        json!({"reason": "Основание"})
    } else if path.ends_with("/api-keys") {
        json!({"label": "x"})
    } else {
        json!({})
    })
}

fn fill(path: &str, v: &Victim) -> String {
    let id = if path.starts_with("/v1/organizations/") {
        &v.org
    } else if path.starts_with("/v1/consent-requests/") {
        &v.consent_request
    } else if path.starts_with("/v1/consents/") {
        &v.consent
    } else if path.starts_with("/v1/requests/") {
        &v.request
    } else if path.starts_with("/v1/accounts/") {
        &v.account
    } else if path.starts_with("/v1/api-keys/") {
        &v.api_key
    } else if path.starts_with("/v1/webhooks/") {
        &v.webhook
    } else {
        ""
    };
    path.replace("{id}", id)
        .replace("{code}", "loan")
        .replace("{year}", "2026")
}

pub async fn every_operation_refuses_whoever_it_is_not_for(b: crate::harness::Backend) {
    let app = TestApp::spawn(b).await;
    let op = app.operator(BIN_A).await;
    let stranger = app.create_org(&bin(9), "operator").await;
    let consent = app.give_consent(&op, IIN_A, "+77011234567").await;
    app.give_consent(&op, IIN_B, "+77017654321").await;
    let pending_req = app
        .create_request(&op, app.request_body(IIN_A, "+77011234567"))
        .await;
    let me = app.sign_in(IIN_A).await;
    let (st, request) = app
        .post(
            "/v1/requests",
            Some(&me),
            json!({"organization_bin": BIN_A, "kind": "information"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{request}");
    let revoked = app.sign_in(IIN_A).await;
    assert_eq!(
        app.post("/v1/auth/sign-out", Some(&revoked), json!({}))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let other_subject = app.sign_in(IIN_B).await;
    let org_admin = staff(&app, &app.admin, "boss@bank.kz", "org_admin", Some(&op.id)).await;
    // A password-only session of a service administrator: the most powerful role, stopped at the first factor.
    let a = create_account(
        &app,
        &app.admin,
        json!({"email": "root@qorgau.kz", "name": "Root", "role": "service_admin"}),
    )
    .await;
    app.post(
        "/v1/auth/setup",
        None,
        json!({"setup_token": a["setup_token"], "password": PASSWORD}),
    )
    .await;
    let (_, first) = app
        .post(
            "/v1/auth/sign-in",
            None,
            json!({"email": "root@qorgau.kz", "password": PASSWORD}),
        )
        .await;
    let pre_mfa = first["token"].as_str().unwrap().to_owned();
    let (_, keys) = app
        .get(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&app.admin),
        )
        .await;
    let victim = Victim {
        org: op.id.clone(),
        consent_request: pending_req["id"].as_str().unwrap().to_owned(),
        consent: consent["id"].as_str().unwrap().to_owned(),
        request: request["id"].as_str().unwrap().to_owned(),
        account: org_admin.id.clone(),
        api_key: keys[0]["id"].as_str().unwrap().to_owned(),
        webhook: {
            let (st, w) = app
                .post(
                    "/v1/webhooks",
                    Some(&op.key),
                    json!({"url": "http://127.0.0.1:1/hook"}),
                )
                .await;
            assert_eq!(st, StatusCode::CREATED, "{w}");
            w["id"].as_str().unwrap().to_owned()
        },
    };
    let secrets_of_a = [
        &victim.webhook,
        &victim.consent,
        &victim.consent_request,
        &victim.request,
        &victim.account,
        &victim.api_key,
    ];

    let (_, doc) = app.get("/v1/openapi.json", None).await;
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op_doc) in ops.as_object().unwrap() {
            let schemes: Vec<String> = op_doc["security"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .flat_map(|s| s.as_object().unwrap().keys().cloned())
                        .collect()
                })
                .unwrap_or_default();
            if schemes.is_empty() {
                continue; // declared public
            }
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let url = fill(path, &victim);
            let takes_object = path.contains('{') && !path.contains("{year}");
            let call = |token: Option<String>| {
                let m = m.clone();
                let url = url.clone();
                let app = &app;
                async move {
                    let body = body_for(&m, &url);
                    app.request(m, &url, token.as_deref(), body).await
                }
            };
            // No credentials, a revoked session: 401, always.
            for (who, token) in [("nobody", None), ("revoked session", Some(revoked.clone()))] {
                let (st, p) = call(token).await;
                assert_eq!(
                    st,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} as {who}: {p}"
                );
            }
            // A session that has passed only the password: 401 unless the operation
            // declares it finishes a sign-in.
            if !schemes.iter().any(|s| s == "pending_session") {
                let (st, p) = call(Some(pre_mfa.clone())).await;
                assert_eq!(
                    (st, p["code"].as_str()),
                    (StatusCode::UNAUTHORIZED, Some("mfa_required")),
                    "{method} {path} with a pre-MFA session"
                );
            }
            // Another subject and another organization: refused on A's objects, and
            // where they act on their own behalf nothing of A's shows.
            for (who, token) in [
                ("another subject", &other_subject),
                ("another organization", &stranger.key),
            ] {
                let (st, p) = call(Some(token.clone())).await;
                assert!(!st.is_server_error(), "{method} {path} as {who}: {st} {p}");
                if takes_object {
                    assert!(
                        matches!(
                            st,
                            StatusCode::UNAUTHORIZED
                                | StatusCode::FORBIDDEN
                                | StatusCode::NOT_FOUND
                        ),
                        "{method} {path} as {who}: {st} {p}"
                    );
                    if st == StatusCode::NOT_FOUND {
                        // Exactly what a non-existent id answers: no existence oracle.
                        let (st2, p2) = app
                            .request(
                                m.clone(),
                                &path
                                    .replace("{id}", "0192f000-0000-7000-8000-000000000000")
                                    .replace("{code}", "nothing"),
                                Some(token),
                                body_for(&m, path),
                            )
                            .await;
                        assert_eq!(
                            (st2, p2["code"].clone()),
                            (st, p["code"].clone()),
                            "{method} {path} as {who}"
                        );
                    }
                }
                let text = p.to_string();
                for s in secrets_of_a {
                    assert!(
                        !text.contains(s.as_str()),
                        "{method} {path} as {who} shows {s}: {text}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} operations checked");
    // The victim's objects are untouched: the consent is still active, the request open.
    let (_, c) = app
        .get(&format!("/v1/consents/{}", victim.consent), Some(&me))
        .await;
    assert_eq!(c["state"], "active");
    let (_, r) = app
        .get(&format!("/v1/requests/{}", victim.request), Some(&me))
        .await;
    assert_eq!(r["state"], "open");
    app.cleanup().await;
}
