//! Tests that run the real `qorgau` binary.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{create_pg_database, drop_pg_database, iin, Backend, BIN_A};

const BIN: &str = env!("CARGO_BIN_EXE_qorgau");

struct Target {
    dir: tempfile::TempDir,
    db: Option<(String, String)>,
}

impl Target {
    async fn new(b: Backend) -> Target {
        let dir = tempfile::tempdir().unwrap();
        let db = match b {
            Backend::Sqlite => None,
            Backend::Postgres => Some(create_pg_database().await),
        };
        Target { dir, db }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--data-dir").arg(self.dir.path());
        if let Some((url, _)) = &self.db {
            c.arg("--database-url").arg(url);
        }
        c.env("RUST_LOG", "warn");
        // The binary reads every QORGAU_* variable as configuration: start from none.
        for (k, _) in std::env::vars() {
            if k.starts_with("QORGAU_") {
                c.env_remove(k);
            }
        }
        c
    }

    /// Run `qorgau ledger …`: whether it succeeded, and what it printed.
    fn ledger(&self, args: &[&str]) -> (bool, String) {
        let out = self.cmd().arg("ledger").args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    fn run_json(&self, args: &[&str]) -> Value {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// An operator registered by the CLI (BIN_A); its API key with every scope.
    fn operator_key(&self) -> String {
        let org = self.run_json(&[
            "admin",
            "create-organization",
            "--bin",
            BIN_A,
            "--name",
            "Банк",
            "--kind",
            "operator",
            "--dpo-email",
            "dpo@bank.kz",
        ]);
        let key = self.run_json(&[
            "admin",
            "create-api-key",
            "--organization",
            org["id"].as_str().unwrap(),
        ]);
        key["token"].as_str().unwrap().to_owned()
    }

    /// Start `qorgau serve` on a free port; returns the child and its base URL.
    fn serve(&self) -> (Child, String) {
        self.serve_with(&[], &[])
    }

    /// `qorgau serve` with more flags and `QORGAU_*` variables.
    fn serve_with(&self, args: &[&str], env: &[(&str, &str)]) -> (Child, String) {
        let mut child = self
            .cmd()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().unwrap().unwrap();
        let base = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap()
            .to_owned();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        (child, base)
    }

    async fn cleanup(self) {
        if let Some((_, name)) = &self.db {
            drop_pg_database(name).await;
        }
    }
}

/// The operator's purpose `loan` (full name, phone), over HTTP.
async fn loan_purpose(client: &reqwest::Client, base: &str, key: &str) {
    let (s, _) = post(client, base, "/v1/purposes", key, json!({"code": "loan", "name": {"kk": "Несие", "ru": "Кредит"}, "categories": ["full_name", "phone"], "storage_term_days": 365})).await;
    assert_eq!(s, StatusCode::CREATED);
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status() == StatusCode::OK {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{base} never became ready");
}

fn outbox_references(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("outbox.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["message"]["reference"].as_str().map(str::to_owned))
        .collect()
}

/// A webhook endpoint for `consent.confirmed`; its id.
async fn consent_hook(client: &reqwest::Client, base: &str, key: &str, url: &str) -> String {
    let (s, hook) = post(
        client,
        base,
        "/v1/webhooks",
        key,
        json!({"url": url, "events": ["consent.confirmed"]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    hook["id"].as_str().unwrap().to_owned()
}

/// `n` consent requests, made through the servers at `bases` in turn, confirmed by
/// their subjects with the codes from the development outbox; the requests' ids. Every
/// confirmation is acknowledged, so every `consent.confirmed` event is committed.
async fn confirmed_consents(
    client: &reqwest::Client,
    bases: &[&str],
    key: &str,
    dir: &Path,
    n: u32,
) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let base = bases[i as usize % bases.len()];
        let body = json!({"purpose": "loan",
            "subject": {"iin": iin(i), "name": {"surname": "Тест", "given_name": "Адам"}, "contact": {"phone": "+77010000000"}},
            "terms": {"categories": ["phone"], "valid_until": "2099-01-01T00:00:00Z",
                      "transfer_to_third_parties": {"allowed": false}, "cross_border_transfer": {"allowed": false},
                      "dissemination_in_public_sources": false}});
        let (s, v) = post(client, base, "/v1/consent-requests", key, body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        ids.push(v["id"].as_str().unwrap().to_owned());
    }
    // The codes, from the development outbox file.
    let mut codes = std::collections::BTreeMap::new();
    for _ in 0..1200 {
        for l in std::fs::read_to_string(dir.join("outbox.jsonl"))
            .unwrap_or_default()
            .lines()
        {
            let Ok(v) = serde_json::from_str::<Value>(l) else {
                continue;
            };
            if let (Some(r), Some(c)) = (
                v["message"]["reference"].as_str(),
                v["message"]["code"].as_str(),
            ) {
                codes.insert(r.to_owned(), c.to_owned());
            }
        }
        if ids.iter().all(|i| codes.contains_key(i)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let confirms: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let base = bases[i % bases.len()].to_owned();
            let (client, code) = (client.clone(), codes[id].clone());
            let id = id.clone();
            tokio::spawn(async move {
                let r = client
                    .post(format!("{base}/v1/consent-requests/{id}/confirm"))
                    .json(&json!({"code": code}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::OK);
            })
        })
        .collect();
    for c in confirms {
        c.await.unwrap();
    }
    ids
}

/// Wait (up to a minute) until the server has recorded every one of `n` deliveries to
/// `hook` as delivered; whether it has.
async fn all_delivered(
    client: &reqwest::Client,
    base: &str,
    key: &str,
    hook: &str,
    n: usize,
) -> bool {
    for _ in 0..1200 {
        if let Ok(r) = client
            .get(format!("{base}/v1/webhooks/{hook}/deliveries"))
            .bearer_auth(key)
            .send()
            .await
        {
            let d: Value = r.json().await.unwrap_or(Value::Null);
            if let Some(d) = d.as_array() {
                if d.len() == n && d.iter().all(|x| x["status"] == "delivered") {
                    return true;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// Wait until the receiver has seen something.
async fn first_arrival(rx: &crate::webhooks::Receiver) {
    for _ in 0..400 {
        if !rx.received().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// What the receiver got, deduplicated by `webhook-id`: exactly one event per
/// confirmed consent, and no id ever carried two different bodies. Returns how many
/// requests came in all.
fn assert_once_per_consent(rx: &crate::webhooks::Receiver, ids: &[String]) -> usize {
    let mut unique = std::collections::BTreeMap::new();
    for r in rx.received() {
        let prev = unique.insert(r.id.clone(), r.body.clone());
        assert!(
            prev.is_none_or(|p| p == r.body),
            "{} carried two bodies",
            r.id
        );
    }
    let consents: std::collections::BTreeSet<String> = unique
        .values()
        .map(|b| {
            serde_json::from_str::<Value>(b).unwrap()["data"]["consent_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(unique.len(), ids.len(), "every event, once by id");
    assert_eq!(
        consents,
        ids.iter().cloned().collect(),
        "one event per confirmed consent"
    );
    rx.received().len()
}

/// Kill the server between commit and delivery of webhooks (some in flight, some not
/// yet sent): after restart every event reaches the receiver, exactly once when
/// deduplicated by `webhook-id`, and no id ever carries two different bodies.
pub async fn webhooks_exactly_once_across_sigkill(b: Backend) {
    let t = Target::new(b).await;
    let key = t.operator_key();
    let rx = crate::webhooks::Receiver::start().await;
    // A slow receiver: deliveries are in flight when the server dies.
    rx.delay_ms.store(400, std::sync::atomic::Ordering::Relaxed);
    let (mut child, base) = t.serve();
    let client = reqwest::Client::new();
    wait_ready(&client, &base).await;
    loan_purpose(&client, &base, &key).await;
    let hook = consent_hook(&client, &base, &key, &rx.url).await;
    const N: u32 = 40;
    let ids = confirmed_consents(&client, &[&base], &key, t.dir.path(), N).await;
    // Kill while the deliveries are in flight: the receiver has them, the server has
    // not recorded them.
    first_arrival(&rx).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let before = rx.received().len();
    rx.delay_ms.store(0, std::sync::atomic::Ordering::Relaxed);
    let (mut child, base) = t.serve();
    wait_ready(&client, &base).await;
    assert!(all_delivered(&client, &base, &key, &hook, N as usize).await);
    let total = assert_once_per_consent(&rx, &ids);
    assert!(before > 0, "the kill came while deliveries were in flight");
    assert!(total > N as usize, "in-flight deliveries were sent again");
    eprintln!("webhooks across SIGKILL: {before} requests seen before the kill, {total} in all");
    child.kill().unwrap();
    child.wait().unwrap();
    t.cleanup().await;
}

/// With `--nats-url`, notifications travel through a JetStream stream and every
/// `serve` process delivers from one durable consumer. On PostgreSQL two processes
/// share the database and the stream; one is killed while deliveries are in flight and
/// the other delivers the rest. On SQLite (one process per database) the process is
/// killed and restarted. Either way every event reaches the receiver exactly once by
/// `webhook-id`, and every message went through the stream.
pub async fn nats_group_delivers_each_notification_once(b: Backend) {
    let nats_url = crate::harness::nats_url();
    let stream = format!("QT_{}", uuid::Uuid::new_v4().simple());
    let t = Target::new(b).await;
    let key = t.operator_key();
    let rx = crate::webhooks::Receiver::start().await;
    rx.delay_ms.store(300, std::sync::atomic::Ordering::Relaxed);
    let args = ["--nats-url", nats_url.as_str()];
    let env = [("QORGAU_NATS_STREAM", stream.as_str())];
    let (mut a, base_a) = t.serve_with(&args, &env);
    let second = (b == Backend::Postgres).then(|| t.serve_with(&args, &env));
    let client = reqwest::Client::new();
    wait_ready(&client, &base_a).await;
    let mut bases = vec![base_a.clone()];
    if let Some((_, base_b)) = &second {
        wait_ready(&client, base_b).await;
        bases.push(base_b.clone());
    }
    let bases: Vec<&str> = bases.iter().map(String::as_str).collect();
    loan_purpose(&client, &base_a, &key).await;
    let hook = consent_hook(&client, &base_a, &key, &rx.url).await;
    const N: u32 = 40;
    let ids = confirmed_consents(&client, &bases, &key, t.dir.path(), N).await;
    first_arrival(&rx).await;
    a.kill().unwrap();
    a.wait().unwrap();
    let before = rx.received().len();
    rx.delay_ms.store(0, std::sync::atomic::Ordering::Relaxed);
    let (mut survivor, base) = match second {
        Some(b) => b,
        None => {
            let (c, base) = t.serve_with(&args, &env);
            wait_ready(&client, &base).await;
            (c, base)
        }
    };
    assert!(
        all_delivered(&client, &base, &key, &hook, N as usize).await,
        "every delivery recorded"
    );
    let total = assert_once_per_consent(&rx, &ids);
    assert!(before > 0, "the kill came while deliveries were in flight");
    // The stream carried every message (N codes and N webhooks at least), and the
    // group's consumer has nothing left pending or unacknowledged.
    let js = async_nats::jetstream::new(async_nats::connect(&nats_url).await.unwrap());
    let mut s = js.get_stream(&stream).await.unwrap();
    let published = s.info().await.unwrap().state.last_sequence;
    assert!(published >= 2 * N as u64, "{published} messages published");
    let mut c: async_nats::jetstream::consumer::PullConsumer =
        s.get_consumer("dispatch").await.unwrap();
    let mut settled = false;
    for _ in 0..400 {
        let i = c.info().await.unwrap();
        if i.num_pending == 0 && i.num_ack_pending == 0 {
            settled = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(settled, "the consumer acknowledged everything");
    eprintln!(
        "NATS ({} process(es)): {before} requests before the kill, {total} in all, {published} published",
        bases.len()
    );
    survivor.kill().unwrap();
    survivor.wait().unwrap();
    js.delete_stream(&stream).await.unwrap();
    t.cleanup().await;
}

/// Kill the server with SIGKILL in the middle of a write load: every request it
/// acknowledged is there after restart, and so is every message it queued.
pub async fn sigkill_loses_no_acknowledged_write(b: Backend) {
    let t = Target::new(b).await;
    let key = t.operator_key();
    let (mut child, base) = t.serve();
    let client = reqwest::Client::new();
    wait_ready(&client, &base).await;
    loan_purpose(&client, &base, &key).await;

    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut workers = Vec::new();
    for w in 0..16u32 {
        let (client, base, key, acked) = (client.clone(), base.clone(), key.clone(), acked.clone());
        workers.push(tokio::spawn(async move {
            for i in 0..1000u32 {
                let body = json!({"purpose": "loan",
                    "subject": {"iin": iin(w * 1000 + i), "name": {"surname": "Тест", "given_name": "Адам"}, "contact": {"phone": "+77010000000"}},
                    "terms": {"categories": ["phone"], "valid_until": "2099-01-01T00:00:00Z",
                              "transfer_to_third_parties": {"allowed": false}, "cross_border_transfer": {"allowed": false},
                              "dissemination_in_public_sources": false}});
                match post(&client, &base, "/v1/consent-requests", &key, body).await {
                    (StatusCode::CREATED, v) => acked.lock().unwrap().push(v["id"].as_str().unwrap().to_owned()),
                    (s, v) if s.is_success() => panic!("unexpected {s}: {v}"),
                    _ => return,
                }
            }
        }));
    }
    // Kill once a few hundred writes were acknowledged, while the others are in flight.
    for _ in 0..600 {
        if acked.lock().unwrap().len() >= 300 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 300,
        "only {} writes acknowledged before the kill",
        acked.len()
    );

    let (mut child, base) = t.serve();
    wait_ready(&client, &base).await;
    for id in &acked {
        let r = client
            .get(format!("{base}/v1/consent-requests/{id}"))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "acknowledged request {id} lost");
        assert_eq!(r.json::<Value>().await.unwrap()["state"], "pending");
    }
    // Every acknowledged request's code is delivered, by the restarted dispatcher if need be.
    let mut missing = acked.len();
    // On PostgreSQL what the killed process had claimed waits for its lease (15 s).
    for _ in 0..600 {
        let refs = outbox_references(t.dir.path());
        missing = acked.iter().filter(|id| !refs.contains(id)).count();
        if missing == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(missing, 0, "codes of acknowledged requests never delivered");
    child.kill().unwrap();
    child.wait().unwrap();

    // The ledger after the kill: it verifies, and every acknowledged request is in it.
    let out = t.cmd().args(["ledger", "checkpoint"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let held = t.dir.path().join("held-checkpoint.txt");
    std::fs::write(&held, &out.stdout).unwrap();
    let (ok, report) = t.ledger(&["verify", "--checkpoint", held.to_str().unwrap()]);
    assert!(ok, "{report}");
    assert!(
        report.contains("OK: the log extends the checkpoint you hold"),
        "{report}"
    );
    let bundle = t.dir.path().join("bundle.json");
    let (ok, _) = t.ledger(&["export", "--out", bundle.to_str().unwrap()]);
    assert!(ok);
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    let mut requested = std::collections::HashSet::new();
    for e in b["entries"].as_array().unwrap() {
        let body = base64::engine::general_purpose::STANDARD
            .decode(e["entry"].as_str().unwrap())
            .unwrap();
        let entry: Value = serde_json::from_slice(&body).unwrap();
        if entry["kind"] == "consent.requested" {
            requested.insert(
                entry["object"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("consent:")
                    .to_owned(),
            );
        }
    }
    let lost: Vec<&String> = acked.iter().filter(|id| !requested.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "acknowledged requests missing from the ledger: {lost:?}"
    );
    // The bundle checks offline, with the key the verifier printed; a changed entry fails.
    let key = report
        .lines()
        .find_map(|l| l.strip_prefix("checkpoint key: "))
        .unwrap()
        .to_owned();
    let (ok, r) = t.ledger(&[
        "verify",
        "--bundle",
        bundle.to_str().unwrap(),
        "--key",
        &key,
    ]);
    assert!(ok, "{r}");
    assert!(r.contains("bundle OK"), "{r}");
    let mut tampered = b.clone();
    // One byte of the entry changed, decoded and re-encoded, so the change is always real.
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut body = b64
        .decode(tampered["entries"][3]["entry"].as_str().unwrap())
        .unwrap();
    let last = body.len() - 2;
    body[last] ^= 0x01;
    tampered["entries"][3]["entry"] = Value::String(b64.encode(&body));
    std::fs::write(&bundle, tampered.to_string()).unwrap();
    let (ok, r) = t.ledger(&[
        "verify",
        "--bundle",
        bundle.to_str().unwrap(),
        "--key",
        &key,
    ]);
    assert!(!ok && r.contains("FAILED"), "{r}");
    // A byte changed in the database: `qorgau ledger verify` fails with exit code 1.
    let url = match &t.db {
        Some((url, _)) => url.clone(),
        None => format!("sqlite://{}", t.dir.path().join("qorgau.db").display()),
    };
    let mut c = qorgau_store::db::Opener::new(&url)
        .unwrap()
        .open()
        .await
        .unwrap();
    qorgau_store::db::query("UPDATE ledger_entries SET body = $1 WHERE idx = 5")
        .bind(b"{\"v\":1}".to_vec())
        .execute(&mut c)
        .await
        .unwrap();
    let (ok, r) = t.ledger(&["verify"]);
    assert!(!ok, "{r}");
    assert!(r.contains("FAILED: entry 5"), "{r}");
    t.cleanup().await;
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    key: &str,
    body: Value,
) -> (StatusCode, Value) {
    match client
        .post(format!("{base}{path}"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
    {
        Ok(r) => {
            let s = r.status();
            (s, r.json().await.unwrap_or(Value::Null))
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Value::Null),
    }
}

pub async fn cli_admin_prints_json(b: Backend) {
    let t = Target::new(b).await;
    let org = t.run_json(&[
        "admin",
        "create-organization",
        "--bin",
        BIN_A,
        "--name",
        "Банк",
        "--kind",
        "owner",
        "--dpo-name",
        "Айгүл",
        "--dpo-phone",
        "+77010000000",
    ]);
    assert_eq!(org["bin"], BIN_A);
    assert_eq!(org["kind"], "owner");
    let key = t.run_json(&[
        "admin",
        "create-api-key",
        "--organization",
        BIN_A,
        "--scope",
        "consents:read",
    ]);
    assert_eq!(key["scopes"], json!(["consents:read"]));
    assert!(key["token"].as_str().unwrap().starts_with("qk_"));
    let admin = t.run_json(&["admin", "create-api-key", "--admin", "--label", "ops"]);
    assert_eq!(admin["organization_id"], Value::Null);
    let orgs = t.run_json(&["admin", "list-organizations"]);
    assert_eq!(orgs.as_array().unwrap().len(), 1);
    let acct = t.run_json(&[
        "admin",
        "create-account",
        "--email",
        "root@qorgau.kz",
        "--name",
        "Root",
        "--role",
        "service_admin",
    ]);
    assert_eq!(acct["role"], "service_admin");
    assert!(acct["setup_token"].as_str().unwrap().starts_with("qa_"));
    let staff = t.run_json(&[
        "admin",
        "create-account",
        "--email",
        "dpo@bank.kz",
        "--name",
        "Айгүл",
        "--role",
        "dpo",
        "--organization",
        BIN_A,
    ]);
    assert_eq!(staff["organization_id"], org["id"]);
    let reset = t.run_json(&[
        "admin",
        "reset-account",
        "--id",
        staff["id"].as_str().unwrap(),
    ]);
    assert_ne!(reset["setup_token"], staff["setup_token"]);
    let out = t
        .cmd()
        .args([
            "admin",
            "create-account",
            "--email",
            "x@x.kz",
            "--name",
            "X",
            "--role",
            "dpo",
        ])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "an organization's role needs an organization"
    );

    // Errors are clear and change nothing.
    let out = t
        .cmd()
        .args([
            "admin",
            "create-organization",
            "--bin",
            "040840001230",
            "--name",
            "X",
            "--kind",
            "owner",
            "--dpo-email",
            "a@b.kz",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("BIN is not valid"));
    let out = t
        .cmd()
        .args(["admin", "create-api-key", "--organization", "nobody"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = t
        .cmd()
        .env("QORGAU_NO_SUCH_SETTING", "1")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no_such_setting"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Production never generates keys and refuses the file channel unless told.
    let out = t
        .cmd()
        .args(["serve", "--mode", "production", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("master_key is not configured"));
    let out = t
        .cmd()
        .env("QORGAU_FILE_CHANNEL", "/tmp/x.jsonl")
        .args(["serve", "--mode", "production", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("allow_file_channel_in_production"));

    // The keys printed work against the served API.
    let (mut child, base) = t.serve();
    let client = reqwest::Client::new();
    wait_ready(&client, &base).await;
    let r = client
        .get(format!("{base}/v1/consents"))
        .bearer_auth(key["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = client
        .get(format!("{base}/v1/organizations"))
        .bearer_auth(admin["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    child.kill().unwrap();
    child.wait().unwrap();
    t.cleanup().await;
}

pub async fn cli_calendar_import_and_show(b: Backend) {
    let t = Target::new(b).await;
    let show = |year: &str, lang: &str| {
        let out = t
            .cmd()
            .args(["calendar", "show", year, "--lang", lang])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let y = show("2026", "ru");
    assert!(y.starts_with("2026: 246 working days"), "{y}");
    assert!(
        y.contains("2026-03-24 Tuesday  moved        for 2026-03-21 (Наурыз мейрамы)"),
        "{y}"
    );
    let y = show("2027", "en");
    assert!(y.contains("no data for this year"), "{y}");
    // 4 January 2027: the day off for Saturday 2 January.
    assert!(
        y.contains("2027-01-04 Monday  moved        for 2027-01-02 (New Year)"),
        "{y}"
    );

    // Import data for 2027: Kurban Ait and a transfer.
    let file = t.dir.path().join("calendar-2027.json");
    std::fs::write(
        &file,
        r#"{"version": "2027.1", "years": [{"year": 2027, "kurban_ait": "2027-05-17",
            "transfers": [{"from": "2027-01-09", "to": "2027-01-08", "source": "Test order No. 1"}]}]}"#,
    )
    .unwrap();
    let out = t
        .cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let y = show("2027", "en");
    assert!(!y.contains("no data"), "{y}");
    assert!(y.contains("calendar data 2027.1"), "{y}");
    assert!(
        y.contains("2027-05-17 Monday  holiday      Kurban Ait, first day"),
        "{y}"
    );
    assert!(
        y.contains("2027-01-08 Friday  transferred  from 2027-01-09"),
        "{y}"
    );
    assert!(
        y.contains("2027-01-09 Saturday  working day (transfer)"),
        "{y}"
    );
    // The shipped years are still there.
    assert!(show("2026", "en").contains("calendar data 2027.1"));
    assert!(show("2026", "en").contains("2026-05-27 Wednesday  holiday      Kurban Ait, first day"));

    // Bad data is refused and changes nothing.
    std::fs::write(
        &file,
        r#"{"version": "bad", "years": [{"year": 2027, "kurban_ait": "2027-05-18",
            "transfers": [{"from": "2027-01-08", "to": "2027-01-11", "source": "x"}]}]}"#,
    )
    .unwrap();
    let out = t
        .cmd()
        .args(["calendar", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid calendar data"));
    assert!(show("2027", "en").contains("2027-05-17 Monday  holiday"));
    t.cleanup().await;
}
