//! The test harness: a real server on port 0 over a fresh database (SQLite in a temp
//! directory, or a new PostgreSQL database), a clock the test sets, and helpers that
//! drive the API over HTTP like any client.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};
use qorgau::app::{self, AppOptions, Running};
use qorgau_core::crypto::{Keyring, SecretKey};
use qorgau_core::receipt::ServiceKey;
use qorgau_core::Clock;
use qorgau_store::{Secrets, StoreOptions};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn postgres_admin_url() -> String {
    std::env::var("POSTGRES_TEST_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Whether the PostgreSQL suite can run here.
pub fn postgres_available() -> Result<(), String> {
    let url = postgres_admin_url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        use sqlx::Connection;
        let c = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            sqlx::PgConnection::connect(&url),
        )
        .await;
        match c {
            Ok(Ok(c)) => {
                let _ = c.close().await;
                Ok(())
            }
            Ok(Err(e)) => Err(format!("cannot connect to {url}: {e}")),
            Err(_) => Err(format!("timed out connecting to {url}")),
        }
    })
}

/// The NATS server for the transport's tests.
pub fn nats_url() -> String {
    std::env::var("NATS_TEST_URL").unwrap_or_else(|_| "nats://127.0.0.1:4222".to_owned())
}

/// Whether the NATS suite can run here: a server with JetStream.
pub fn nats_available() -> Result<(), String> {
    let url = nats_url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let c = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            let client = async_nats::connect(&url)
                .await
                .map_err(|e| format!("cannot connect to {url}: {e}"))?;
            // What the service does first: create a stream (then remove it).
            let js = async_nats::jetstream::new(client);
            let name = format!("QPROBE_{}", uuid::Uuid::new_v4().simple());
            js.get_or_create_stream(async_nats::jetstream::stream::Config {
                name: name.clone(),
                subjects: vec![format!("{name}.>")],
                ..Default::default()
            })
            .await
            .map_err(|e| format!("{url}: cannot create a JetStream stream: {e}"))?;
            js.delete_stream(&name)
                .await
                .map(|_| ())
                .map_err(|e| format!("{url}: {e}"))
        })
        .await;
        c.unwrap_or_else(|_| Err(format!("timed out connecting to {url}")))
    })
}

/// A fresh PostgreSQL database for one test; returns its URL and name.
pub async fn create_pg_database() -> (String, String) {
    use sqlx::{Connection, Executor};
    let admin = postgres_admin_url();
    let name = format!("qorgau_t_{}", uuid::Uuid::new_v4().simple());
    let mut c = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to PostgreSQL");
    c.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    c.close().await.ok();
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap_or(admin);
    (format!("{base}/{name}"), name)
}

pub async fn drop_pg_database(name: &str) {
    use sqlx::{Connection, Executor};
    if let Ok(mut c) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
        let _ = c
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
        c.close().await.ok();
    }
}

/// A clock the test moves by hand.
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    pub fn set(&self, t: Timestamp) {
        *self.0.lock().unwrap() = t;
    }
    pub fn advance(&self, d: SignedDuration) {
        let mut t = self.0.lock().unwrap();
        *t += d;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// The moment every test starts at.
pub const START: &str = "2026-03-02T06:00:00Z";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub running: Option<Running>,
    pub outbox: PathBuf,
    pub admin: String,
    pub db_url: String,
    /// Email and SMS channels, when a test sets them (before `restart`).
    pub channels: qorgau::app::ChannelOptions,
    _dir: tempfile::TempDir,
    pg_name: Option<String>,
    secrets: Secrets,
}

/// An organization set up for a test: id, BIN and an API key with all scopes.
#[derive(Clone, Debug)]
pub struct Operator {
    pub id: String,
    pub key: String,
}

pub fn secrets() -> Secrets {
    Secrets {
        keyring: Keyring::new(SecretKey::generate()),
        signing: ServiceKey::generate(),
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let (db_url, pg_name) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}?mode=rwc", dir.path().join("q.db").display()),
                None,
            ),
            Backend::Postgres => {
                let (url, name) = create_pg_database().await;
                (url, Some(name))
            }
        };
        let clock = Arc::new(ManualClock(Mutex::new(ts(START))));
        let outbox = dir.path().join("outbox.jsonl");
        let mut app = TestApp {
            base: String::new(),
            client: reqwest::Client::new(),
            clock,
            running: None,
            outbox,
            admin: String::new(),
            db_url,
            channels: Default::default(),
            _dir: dir,
            pg_name,
            secrets: secrets(),
        };
        app.start().await;
        let store = &app.running.as_ref().unwrap().store;
        let (_, admin) = store
            .create_api_key(
                None,
                "test admin".into(),
                vec![],
                qorgau_ledger::Actor::new("test", None),
                app.clock.now(),
            )
            .await
            .unwrap();
        app.admin = admin;
        app
    }

    async fn start(&mut self) {
        let running = app::start(AppOptions {
            database_url: self.db_url.clone(),
            secrets: self.secrets.clone(),
            file_channel: Some(self.outbox.clone()),
            clock: self.clock.clone(),
            listen: "127.0.0.1:0".parse().unwrap(),
            settings: qorgau_server::Settings {
                // Belarus ensures protection in this deployment (Art. 16(2)).
                adequate_countries: [qorgau_core::id::CountryCode::parse("BY").unwrap()]
                    .into_iter()
                    .collect(),
                ..Default::default()
            },
            store: StoreOptions::default(),
            background: None,
            checkpoint_interval: std::time::Duration::from_secs(3600),
            deadlines: qorgau_core::calendar::DeadlineClock {
                tz: qorgau_core::calendar::time_zone("Asia/Almaty").unwrap(),
                working_day_ends: None,
            },
            channels: self.channels.clone(),
            nats: None,
            prewarm: false,
        })
        .await
        .unwrap();
        self.base = format!("http://{}", running.addr);
        self.running = Some(running);
    }

    /// Stop the server and start it again on the same database and keys.
    pub async fn restart(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        self.start().await;
    }

    pub async fn cleanup(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        if let Some(name) = &self.pg_name {
            drop_pg_database(name).await;
        }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn store(&self) -> &qorgau_store::Store {
        &self.running.as_ref().unwrap().store
    }

    pub async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut rb = self
            .client
            .request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, v)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.request(reqwest::Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.request(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    /// Deliver what the outbox holds (one dispatcher step at the test's time).
    pub async fn deliver(&self) -> usize {
        self.running
            .as_ref()
            .unwrap()
            .dispatcher
            .run_once(self.now())
            .await
            .unwrap()
    }

    /// Everything the `file` channel wrote.
    pub fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.outbox)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["message"].clone())
            .collect()
    }

    /// The newest code delivered for `reference` (a consent request or challenge id).
    pub async fn code_for(&self, reference: &str) -> String {
        self.deliver().await;
        self.messages()
            .iter()
            .rev()
            .find(|m| m["reference"] == reference)
            .and_then(|m| m["code"].as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("no code delivered for {reference}"))
    }

    pub async fn create_org(&self, bin: &str, kind: &str) -> Operator {
        let (s, org) = self
            .post(
                "/v1/organizations",
                Some(&self.admin),
                json!({"bin": bin, "name": format!("Org {bin}"), "kind": kind, "dpo": {"name": "Айгүл Дербесова", "email": "dpo@example.kz"}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{org}");
        let id = org["id"].as_str().unwrap().to_owned();
        let (s, key) = self
            .post(
                &format!("/v1/organizations/{id}/api-keys"),
                Some(&self.admin),
                json!({"label": "test"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{key}");
        Operator {
            id,
            key: key["token"].as_str().unwrap().to_owned(),
        }
    }

    /// An operator with the purpose `loan` (approved: full_name, iin, phone, income).
    pub async fn operator(&self, bin: &str) -> Operator {
        let op = self.create_org(bin, "operator").await;
        let (s, p) = self
            .post(
                "/v1/purposes",
                Some(&op.key),
                json!({"code": "loan", "name": {"kk": "Несие беру", "ru": "Выдача кредита", "en": "Lending"},
                       "categories": ["full_name", "iin", "phone", "income"], "storage_term_days": 1825}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        op
    }

    /// A valid consent request body for `iin`.
    pub fn request_body(&self, iin: &str, phone: &str) -> Value {
        json!({
            "purpose": "loan",
            "subject": {"iin": iin, "name": {"surname": "Сериков", "given_name": "Арман", "patronymic": "Болатұлы"},
                        "contact": {"phone": phone}, "language": "ru"},
            "terms": {
                "categories": ["full_name", "income"],
                "valid_until": (self.now() + SignedDuration::from_hours(24 * 365)).to_string(),
                "transfer_to_third_parties": {"allowed": false},
                "cross_border_transfer": {"allowed": false},
                "dissemination_in_public_sources": false,
                "other_information": {"kk": "Несие шарты", "ru": "Кредитный договор"}
            }
        })
    }

    pub async fn create_request(&self, op: &Operator, body: Value) -> Value {
        let (s, v) = self.post("/v1/consent-requests", Some(&op.key), body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v
    }

    /// Request and confirm a consent; returns the confirmed consent.
    pub async fn give_consent(&self, op: &Operator, iin: &str, phone: &str) -> Value {
        self.give_consent_on(op, self.request_body(iin, phone))
            .await
    }

    /// Request a consent with this body and confirm it; returns the confirmed consent.
    pub async fn give_consent_on(&self, op: &Operator, body: Value) -> Value {
        let req = self.create_request(op, body).await;
        let id = req["id"].as_str().unwrap();
        let code = self.code_for(id).await;
        let (s, v) = self
            .post(
                &format!("/v1/consent-requests/{id}/confirm"),
                None,
                json!({"code": code}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    }

    /// Sign in as the subject with this IIN; returns the session token.
    pub async fn sign_in(&self, iin: &str) -> String {
        let (s, ch) = self
            .post("/v1/subject/sign-in", None, json!({"iin": iin}))
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{ch}");
        let id = ch["challenge_id"].as_str().unwrap();
        let code = self.code_for(id).await;
        let (s, tok) = self
            .post(
                "/v1/subject/sign-in/verify",
                None,
                json!({"challenge_id": id, "code": code}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{tok}");
        tok["token"].as_str().unwrap().to_owned()
    }

    pub async fn jwks(&self) -> Vec<qorgau_core::receipt::Jwk> {
        let (s, keys) = self.get("/v1/keys", None).await;
        assert_eq!(s, StatusCode::OK);
        serde_json::from_value(keys["keys"].clone()).unwrap()
    }
}

/// Valid IINs and BINs for tests (checked by `Iin::parse` in the tests that use them).
pub const IIN_A: &str = "900101300017";
pub const IIN_B: &str = "851231400021";
pub const BIN_A: &str = "040840001231";

/// The n-th valid IIN of someone born in January 1990 (distinct for distinct n, up to
/// 28 × 8,000): 8,000 per birth day, which every day's 10,000 serials can give.
pub fn iin(n: u32) -> String {
    let day = 1 + n / 8_000;
    assert!(day <= 28, "iin({n}): too many");
    nth_valid(&format!("9001{day:02}3"), 4, n % 8_000, |s| {
        qorgau_core::id::Iin::parse(s).is_ok()
    })
}

/// The n-th valid BIN (distinct for distinct n).
pub fn bin(n: u32) -> String {
    nth_valid("04084", 6, n, |s| qorgau_core::id::Bin::parse(s).is_ok())
}

fn nth_valid(prefix: &str, width: usize, n: u32, ok: impl Fn(&str) -> bool) -> String {
    let mut seen = 0;
    for serial in 0..10u32.pow(width as u32) {
        let s = format!("{prefix}{serial:0width$}");
        let mut d = [0u8; 11];
        for (o, b) in d.iter_mut().zip(s.bytes()) {
            *o = b - b'0';
        }
        if let Some(c) = qorgau_core::id::check_digit(&d) {
            let full = format!("{s}{c}");
            if ok(&full) {
                if seen == n {
                    return full;
                }
                seen += 1;
            }
        }
    }
    panic!("fewer than {n} valid numbers with prefix {prefix}");
}
