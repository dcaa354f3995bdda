//! The ledger: every action recorded, proven over HTTP, and any tampering detected.

use base64::Engine;
use qorgau_ledger::entry::unhex32;
use qorgau_ledger::{
    leaf_hash, verify_consistency, verify_inclusion, Actor, Entry, Frontier, Hash, MemoryTree,
    NoteVerifier,
};
use qorgau_store::db;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{bin, Backend, TestApp, BIN_A, IIN_A, IIN_B};

fn hashes(v: &Value) -> Vec<Hash> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| unhex32(h.as_str().unwrap()).unwrap())
        .collect()
}

async fn checkpoint_key(app: &TestApp) -> NoteVerifier {
    let (s, keys) = app.get("/v1/keys", None).await;
    assert_eq!(s, StatusCode::OK);
    NoteVerifier::parse(keys["checkpoint_key"].as_str().unwrap()).unwrap()
}

async fn latest_note(app: &TestApp) -> String {
    let (s, note) = app.get("/v1/ledger/checkpoint", None).await;
    assert_eq!(s, StatusCode::OK, "{note}");
    note.as_str().unwrap().to_owned()
}

/// Fetch and check an entry's inclusion proof as `token`; the entry.
async fn proven(app: &TestApp, key: &NoteVerifier, token: &str, index: u64) -> Entry {
    let (s, p) = app
        .get(
            &format!("/v1/ledger/proofs/inclusion?index={index}"),
            Some(token),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let cp = key.verify(p["checkpoint"].as_str().unwrap()).unwrap();
    assert_eq!(p["tree_size"], cp.size);
    let body = base64::engine::general_purpose::STANDARD
        .decode(p["entry"].as_str().unwrap())
        .unwrap();
    let leaf = leaf_hash(&body);
    verify_inclusion(&leaf, index, cp.size, &hashes(&p["proof"]), &cp.root).unwrap();
    // A proof for another index does not hold.
    if cp.size > 1 {
        let other = (index + 1) % cp.size;
        assert!(verify_inclusion(&leaf, other, cp.size, &hashes(&p["proof"]), &cp.root).is_err());
    }
    Entry::from_bytes(&body).unwrap()
}

/// Consents, decisions, sign-ins and deliveries go into the ledger; organizations and
/// subjects prove their entries against signed checkpoints; nobody sees what is not
/// theirs; entries carry no personal data.
pub async fn every_action_is_recorded_and_proven(b: Backend) {
    let app = TestApp::spawn(b).await;
    let key = checkpoint_key(&app).await;
    let (s, _) = app.get("/v1/ledger/checkpoint", None).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "no checkpoint before the first entry"
    );

    let op = app.operator(BIN_A).await;
    let consent = app.give_consent(&op, IIN_A, "+77011234567").await;
    let (s, d) = app
        .post(
            "/v1/access-decisions",
            Some(&op.key),
            json!({"subject_iin": IIN_A, "action": "use", "purpose": "loan", "categories": ["income"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["decision"], "allow");
    let decision_index = d["ledger_index"].as_u64().unwrap();
    assert_eq!(d["sequence"], d["ledger_index"]);

    // The operator reports what it then did; bad reports are refused and leave nothing.
    let (s, r) = app
        .post(
            "/v1/processing-events",
            Some(&op.key),
            json!({"subject_iin": IIN_A, "action": "use", "purpose": "loan", "categories": ["income"],
                   "decision_id": d["id"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let processing_index = r["ledger_index"].as_u64().unwrap();
    assert_eq!(processing_index, decision_index + 1);
    let size = app.store().ledger_size().await.unwrap();
    for (body, code) in [
        (
            json!({"subject_iin": IIN_A, "action": "use", "purpose": "marketing", "categories": ["income"]}),
            "unknown_purpose",
        ),
        (
            json!({"subject_iin": IIN_A, "action": "use", "purpose": "loan", "categories": ["no_such_category"]}),
            "unknown_category",
        ),
        (
            json!({"subject_iin": IIN_A, "action": "transfer", "purpose": "loan", "categories": ["income"]}),
            "validation_failed",
        ),
        (
            json!({"subject_iin": IIN_A, "action": "use", "purpose": "loan", "categories": ["income"], "occurred_at": "2099-01-01T00:00:00Z"}),
            "validation_failed",
        ),
        (
            json!({"subject_iin": "900101300018", "action": "use", "purpose": "loan", "categories": ["income"]}),
            "invalid_iin",
        ),
        (
            json!({"subject_iin": IIN_A, "action": "peek", "purpose": "loan", "categories": ["income"]}),
            "validation_failed",
        ),
    ] {
        let (s, p) = app
            .post("/v1/processing-events", Some(&op.key), body.clone())
            .await;
        assert_eq!(
            (s, p["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{body}: {p}"
        );
    }
    assert_eq!(
        app.store().ledger_size().await.unwrap(),
        size,
        "refused reports recorded nothing"
    );

    // Not under a checkpoint yet: a clear answer, not a proof against nothing signed.
    let (s, p) = app
        .get(
            &format!("/v1/ledger/proofs/inclusion?index={decision_index}"),
            Some(&op.key),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_yet_checkpointed"))
    );

    app.store().ledger_checkpoint(app.now()).await.unwrap();
    let note1 = latest_note(&app).await;
    let cp1 = key.verify(&note1).unwrap();
    assert!(cp1.size > decision_index);

    let e = proven(&app, &key, &op.key, decision_index).await;
    assert_eq!(e.kind, "access.decided");
    assert_eq!(e.organization.as_deref(), Some(op.id.as_str()));
    assert_eq!(e.outcome.as_deref(), Some("allow"));
    assert_eq!(
        e.detail.get("consent").map(String::as_str),
        consent["id"].as_str()
    );
    let subject_hash = e.subject.clone().unwrap();
    assert_eq!(subject_hash.len(), 64);

    // The subject's history: newest first, each with its ledger index, proven.
    let token = app.sign_in(IIN_A).await;
    let (s, h) = app.get("/v1/subject/history", Some(&token)).await;
    assert_eq!(s, StatusCode::OK, "{h}");
    let items = h["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    for k in [
        "access.decided",
        "consent.confirmed",
        "consent.requested",
        "notification.sent",
        "session.started",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    let indexes: Vec<u64> = items
        .iter()
        .map(|i| i["ledger_index"].as_u64().unwrap())
        .collect();
    assert!(
        indexes.windows(2).all(|w| w[0] > w[1]),
        "newest first: {indexes:?}"
    );
    let confirmed = items
        .iter()
        .find(|i| i["kind"] == "consent.confirmed")
        .unwrap();
    assert_eq!(confirmed["organization"]["name"], format!("Org {BIN_A}"));
    assert_eq!(confirmed["purpose"], "loan");
    let e = proven(
        &app,
        &key,
        &token,
        confirmed["ledger_index"].as_u64().unwrap(),
    )
    .await;
    assert_eq!(e.subject.as_deref(), Some(subject_hash.as_str()));
    // Indexed in the background or not yet, the history is the same.
    assert!(app.store().index_subjects(5).await.unwrap() > 0);
    let (_, partly) = app.get("/v1/subject/history", Some(&token)).await;
    app.store().index_subjects(u64::MAX).await.unwrap();
    let (_, fully) = app.get("/v1/subject/history", Some(&token)).await;
    assert_eq!(partly["items"], h["items"]);
    assert_eq!(fully["items"], h["items"]);
    // Paging: one item per page walks the same history.
    let (_, first) = app.get("/v1/subject/history?limit=1", Some(&token)).await;
    let next = first["next_before"].as_u64().unwrap();
    let (_, second) = app
        .get(
            &format!("/v1/subject/history?limit=1&before={next}"),
            Some(&token),
        )
        .await;
    assert_eq!(second["items"][0]["ledger_index"], json!(indexes[1]));

    // Nobody else gets the proof of these entries: it is "not found" to them.
    let other_org = app.operator(&bin(7)).await;
    app.give_consent(&other_org, IIN_B, "+77019876543").await;
    let token_b = app.sign_in(IIN_B).await;
    for t in [&token_b, &other_org.key] {
        let (s, _) = app
            .get(
                &format!("/v1/ledger/proofs/inclusion?index={decision_index}"),
                Some(t),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    // A key without `ledger:read` cannot read the ledger at all.
    let (s, k) = app
        .post(
            &format!("/v1/organizations/{}/api-keys", op.id),
            Some(&app.admin),
            json!({"label": "decisions only", "scopes": ["decisions"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{k}");
    let (s, p) = app
        .get(
            &format!("/v1/ledger/proofs/inclusion?index={decision_index}"),
            Some(k["token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("insufficient_scope"))
    );

    // Entries by range: every entry for the auditor, only its own for an organization,
    // nothing for a subject. No entry holds personal data.
    let (s, all) = app
        .get("/v1/ledger/entries?limit=1000", Some(&app.admin))
        .await;
    assert_eq!(s, StatusCode::OK);
    let all = all["entries"].as_array().unwrap().clone();
    assert!(all.len() as u64 >= cp1.size);
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e["index"], i as u64);
        let text = e["entry"].to_string();
        for secret in [
            IIN_A,
            IIN_B,
            "77011234567",
            "77019876543",
            "Сериков",
            "Арман",
            "dpo@example.kz",
        ] {
            assert!(
                !text.contains(secret),
                "entry {i} holds personal data: {text}"
            );
        }
    }
    let (s, mine) = app
        .get("/v1/ledger/entries?limit=1000", Some(&op.key))
        .await;
    assert_eq!(s, StatusCode::OK);
    let mine = mine["entries"].as_array().unwrap();
    assert!(!mine.is_empty() && mine.len() < all.len());
    assert!(mine
        .iter()
        .all(|e| e["entry"]["organization"] == op.id.as_str()));
    let (s, _) = app.get("/v1/ledger/entries", Some(&token)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The next checkpoint extends the first, by a consistency proof anyone can check.
    let (s, _) = app
        .post(
            &format!("/v1/consents/{}/withdraw", consent["id"].as_str().unwrap()),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    app.store().ledger_checkpoint(app.now()).await.unwrap();
    let cp2 = key.verify(&latest_note(&app).await).unwrap();
    assert!(cp2.size > cp1.size);
    let (s, c) = app
        .get(
            &format!(
                "/v1/ledger/proofs/consistency?from={}&to={}",
                cp1.size, cp2.size
            ),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    verify_consistency(
        cp1.size,
        cp2.size,
        &cp1.root,
        &cp2.root,
        &hashes(&c["proof"]),
    )
    .unwrap();
    assert!(verify_consistency(
        cp1.size,
        cp2.size,
        &cp2.root,
        &cp1.root,
        &hashes(&c["proof"])
    )
    .is_err());
    let (s, p) = app
        .get(
            &format!(
                "/v1/ledger/proofs/consistency?from={}&to={}",
                cp2.size,
                cp2.size + 100
            ),
            None,
        )
        .await;
    assert_eq!(
        (s, p["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("validation_failed"))
    );
    let (s, older) = app
        .get(&format!("/v1/ledger/checkpoint?size={}", cp1.size), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(older.as_str(), Some(note1.as_str()));

    let report = app.store().verify_ledger(Some(&note1)).await.unwrap();
    assert!(report.ok(), "{:?}", report.failures);
    assert_eq!(report.extends_held, Some(cp1.size));
    app.cleanup().await;
}

/// A small deterministic generator for picking what to tamper with.
struct Pick(u64);
impl Pick {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

async fn exec(app: &TestApp, sql: &'static str, args: Vec<Arg>) {
    app.store()
        .write(move |c| {
            Box::pin(async move {
                let mut q = db::query(sql);
                for a in args {
                    q = match a {
                        Arg::I(i) => q.bind(i),
                        Arg::B(b) => q.bind(b),
                        Arg::T(t) => q.bind(t),
                    };
                }
                q.execute(c).await.map_err(qorgau_store::db)?;
                Ok(())
            })
        })
        .await
        .unwrap();
}

/// An entry row as stored: idx, at, kind, subject, body, leaf.
type SavedRow = (i64, i64, String, Option<Vec<u8>>, Vec<u8>, Vec<u8>);

enum Arg {
    I(i64),
    B(Vec<u8>),
    T(String),
}

async fn fetch(app: &TestApp, sql: &str, i: i64) -> Vec<db::Row> {
    let mut c = app.store().reader().await.unwrap();
    db::query(sql).bind(i).fetch_all(&mut c).await.unwrap()
}

async fn assert_detected(app: &TestApp, what: &str) {
    let r = app.store().verify_ledger(None).await.unwrap();
    assert!(!r.ok(), "{what}: not detected");
}

async fn assert_clean(app: &TestApp) {
    let r = app.store().verify_ledger(None).await.unwrap();
    assert!(r.ok(), "{:?}", r.failures);
}

/// The subjects' history index as runs merged in steps: after every batch and every
/// merge step (so also half-way through a merge), each subject's history, read whole
/// and page by page, is exactly its entries, newest first, and `ledger verify` is clean.
pub async fn history_index_merges_keep_every_history(b: Backend) {
    let app = TestApp::spawn(b).await;
    let store = app.store();
    let now = app.now();
    // Seven subjects of very different activity (one in almost every entry), and
    // entries about nobody in between.
    let subject_of = |n: u32| -> Option<Vec<u8>> {
        match n % 11 {
            0 => None,
            1..=5 => Some(vec![0xA5; 32]),
            k => Some(vec![k as u8; 1 + (k as usize % 3)]),
        }
    };
    let mut expected: std::collections::BTreeMap<Vec<u8>, Vec<u64>> = Default::default();
    let mut n = 0u32;
    let check = |expected: std::collections::BTreeMap<Vec<u8>, Vec<u64>>| {
        let store = store.clone();
        async move {
            for (subject, all) in &expected {
                let newest_first: Vec<u64> = all.iter().rev().copied().collect();
                let whole: Vec<u64> = store
                    .subject_entries(subject.clone(), None, 10_000)
                    .await
                    .unwrap()
                    .iter()
                    .map(|e| e.index)
                    .collect();
                assert_eq!(whole, newest_first, "subject {subject:?}");
                // Pages of 50, each before the last one seen.
                let mut paged = Vec::new();
                let mut before = None;
                loop {
                    let page = store
                        .subject_entries(subject.clone(), before, 50)
                        .await
                        .unwrap();
                    if page.is_empty() {
                        break;
                    }
                    before = page.last().map(|e| e.index);
                    paged.extend(page.iter().map(|e| e.index));
                }
                assert_eq!(paged, newest_first, "subject {subject:?}, paged");
            }
            let r = store.verify_ledger(None).await.unwrap();
            assert!(r.ok(), "{:?}", r.failures);
        }
    };
    let mut steps = 0;
    let mut merged_while_reading = false;
    for round in 0..100u32 {
        let count = 5 + (round % 5) * 2;
        let entries: Vec<Entry> = (0..count)
            .map(|_| {
                n += 1;
                let e = Entry::new("test.act", now, Actor::new("admin", None)).detail("n", n);
                match subject_of(n) {
                    Some(s) => e.subject(&s),
                    None => e,
                }
            })
            .collect();
        let subjects: Vec<Option<Vec<u8>>> = (n + 1 - count..=n).map(subject_of).collect();
        let first = store.record(entries).await.unwrap()[0];
        for (i, s) in subjects.into_iter().enumerate() {
            if let Some(s) = s {
                expected.entry(s).or_default().push(first + i as u64);
            }
        }
        // Some rounds leave their entries in the tail, unindexed.
        if round % 5 != 4 {
            store.index_subjects(u64::MAX).await.unwrap();
        }
        check(expected.clone()).await;
        // A few small merge steps each round, checked one by one.
        for _ in 0..3 {
            if !store.merge_history(16).await.unwrap() {
                break;
            }
            steps += 1;
            let runs = store.history_runs().await.unwrap();
            if let Some(target) = runs.iter().find(|r| r.building) {
                if !merged_while_reading {
                    // Half-way through a merge, a pointer both in a source and in the
                    // target (shown twice), or hidden by a source stretched over the
                    // target's neighbour, is caught.
                    let target = target.run;
                    let row = &fetch(&app, "SELECT s.run, s.subject, s.idx FROM ledger_subjects s JOIN ledger_subject_runs r ON r.run = s.run WHERE r.merging_into = $1 ORDER BY s.idx LIMIT 1", target).await[0];
                    let (subject, idx): (Vec<u8>, i64) =
                        (row.try_get("subject").unwrap(), row.try_get("idx").unwrap());
                    exec(
                        &app,
                        "INSERT INTO ledger_subjects (run, subject, idx) VALUES ($1, $2, $3)",
                        vec![Arg::I(target), Arg::B(subject.clone()), Arg::I(idx)],
                    )
                    .await;
                    assert_detected(&app, "a pointer in a merge's source and target").await;
                    exec(
                        &app,
                        "DELETE FROM ledger_subjects WHERE run = $1 AND subject = $2 AND idx = $3",
                        vec![Arg::I(target), Arg::B(subject), Arg::I(idx)],
                    )
                    .await;
                    assert_clean(&app).await;
                    exec(
                        &app,
                        "UPDATE ledger_subject_runs SET to_idx = to_idx + 1 WHERE run = $1",
                        vec![Arg::I(target)],
                    )
                    .await;
                    assert_detected(&app, "a merge's target over another run").await;
                    exec(
                        &app,
                        "UPDATE ledger_subject_runs SET to_idx = to_idx - 1 WHERE run = $1",
                        vec![Arg::I(target)],
                    )
                    .await;
                }
                merged_while_reading = true;
            }
            check(expected.clone()).await;
        }
    }
    assert!(steps > 20, "merges ran: {steps} steps");
    assert!(
        merged_while_reading,
        "histories were read half-way through a merge"
    );
    // Caught up: every level below the top holds fewer runs than are merged at once.
    store.catch_up_history(u64::MAX, 16).await.unwrap();
    let runs = store.history_runs().await.unwrap();
    assert!(runs.iter().all(|r| !r.building && r.merging_into.is_none()));
    assert!(runs.iter().any(|r| r.level >= 2), "{runs:?}");
    for level in 0..8 {
        let at = runs.iter().filter(|r| r.level == level).count() as i64;
        assert!(at < qorgau_store::ledger::HISTORY_FANOUT, "{runs:?}");
    }
    check(expected.clone()).await;
}

/// On a log of 10,000 entries: flipping a byte of any entry, leaf, node or checkpoint,
/// deleting, reordering, truncating or inserting entries is detected; restoring an
/// older state is detected against a checkpoint held from later.
pub async fn tampering_is_detected(b: Backend) {
    let app = TestApp::spawn(b).await;
    let store = app.store();
    let now = app.now();
    for chunk in 0..20u32 {
        let entries: Vec<Entry> = (0..500u32)
            .map(|i| {
                Entry::new("test.act", now, Actor::new("admin", None))
                    .subject(&(chunk * 500 + i).to_be_bytes())
                    .detail("n", chunk * 500 + i)
            })
            .collect();
        // One commit each, so that checkpoints fall due on the way.
        store.record(entries).await.unwrap();
    }
    store.ledger_checkpoint(now).await.unwrap();
    let size = store.ledger_size().await.unwrap();
    assert!(size >= 10_000);
    // Most of the history index built, in two runs; the tail not yet.
    store.index_subjects(3_000).await.unwrap();
    store.index_subjects(3_000).await.unwrap();
    let checkpoints = store.checkpoints().await.unwrap();
    assert!(checkpoints.len() >= 5, "checkpoints every 1,024 entries");
    assert_clean(&app).await;
    let mut pick = Pick(0x9E37_79B9_7F4A_7C15);

    // Any byte of any entry.
    for _ in 0..25 {
        let idx = pick.below(size) as i64;
        let row = &fetch(&app, "SELECT body FROM ledger_entries WHERE idx = $1", idx).await[0];
        let body: Vec<u8> = row.try_get("body").unwrap();
        let mut bad = body.clone();
        let at = pick.below(bad.len() as u64) as usize;
        bad[at] ^= 1 << pick.below(8);
        exec(
            &app,
            "UPDATE ledger_entries SET body = $1 WHERE idx = $2",
            vec![Arg::B(bad), Arg::I(idx)],
        )
        .await;
        assert_detected(&app, &format!("byte {at} of entry {idx}")).await;
        exec(
            &app,
            "UPDATE ledger_entries SET body = $1 WHERE idx = $2",
            vec![Arg::B(body), Arg::I(idx)],
        )
        .await;
    }
    // An entry changed together with its leaf hash: only the tree and checkpoints tell.
    {
        let idx = pick.below(size) as i64;
        let row = &fetch(
            &app,
            "SELECT body, leaf FROM ledger_entries WHERE idx = $1",
            idx,
        )
        .await[0];
        let (body, leaf): (Vec<u8>, Vec<u8>) =
            (row.try_get("body").unwrap(), row.try_get("leaf").unwrap());
        let forged = Entry::new("test.forged", now, Actor::new("admin", None)).to_bytes();
        let forged_leaf = leaf_hash(&forged).to_vec();
        exec(
            &app,
            "UPDATE ledger_entries SET body = $1, leaf = $2 WHERE idx = $3",
            vec![Arg::B(forged), Arg::B(forged_leaf), Arg::I(idx)],
        )
        .await;
        assert_detected(&app, "an entry rewritten with its leaf").await;
        exec(
            &app,
            "UPDATE ledger_entries SET body = $1, leaf = $2 WHERE idx = $3",
            vec![Arg::B(body), Arg::B(leaf), Arg::I(idx)],
        )
        .await;
    }
    // Any byte of a stored node.
    for _ in 0..5 {
        let rows = fetch(
            &app,
            "SELECT key, hash FROM ledger_nodes ORDER BY key LIMIT 1 OFFSET $1",
            pick.below(size - 20) as i64,
        )
        .await;
        let key: i64 = rows[0].try_get("key").unwrap();
        let hash: Vec<u8> = rows[0].try_get("hash").unwrap();
        let mut bad = hash.clone();
        bad[pick.below(32) as usize] ^= 0x40;
        exec(
            &app,
            "UPDATE ledger_nodes SET hash = $1 WHERE key = $2",
            vec![Arg::B(bad), Arg::I(key)],
        )
        .await;
        assert_detected(&app, &format!("node {key}")).await;
        exec(
            &app,
            "UPDATE ledger_nodes SET hash = $1 WHERE key = $2",
            vec![Arg::B(hash), Arg::I(key)],
        )
        .await;
    }
    // Any byte of a checkpoint's note, its root or its size.
    for _ in 0..12 {
        let cp = &checkpoints[pick.below(checkpoints.len() as u64) as usize];
        let mut bad = cp.note.clone().into_bytes();
        let at = pick.below(bad.len() as u64) as usize;
        bad[at] ^= 1;
        let bad = String::from_utf8_lossy(&bad).into_owned();
        exec(
            &app,
            "UPDATE ledger_checkpoints SET note = $1 WHERE size = $2",
            vec![Arg::T(bad), Arg::I(cp.size as i64)],
        )
        .await;
        assert_detected(&app, &format!("byte {at} of checkpoint {}", cp.size)).await;
        exec(
            &app,
            "UPDATE ledger_checkpoints SET note = $1 WHERE size = $2",
            vec![Arg::T(cp.note.clone()), Arg::I(cp.size as i64)],
        )
        .await;
    }
    {
        let cp = &checkpoints[1];
        let mut bad = cp.root.to_vec();
        bad[0] ^= 1;
        exec(
            &app,
            "UPDATE ledger_checkpoints SET root = $1 WHERE size = $2",
            vec![Arg::B(bad), Arg::I(cp.size as i64)],
        )
        .await;
        assert_detected(&app, "a checkpoint's root").await;
        exec(
            &app,
            "UPDATE ledger_checkpoints SET root = $1 WHERE size = $2",
            vec![Arg::B(cp.root.to_vec()), Arg::I(cp.size as i64)],
        )
        .await;
        exec(
            &app,
            "UPDATE ledger_checkpoints SET size = size + 1 WHERE size = $1",
            vec![Arg::I(cp.size as i64)],
        )
        .await;
        assert_detected(&app, "a checkpoint's size").await;
        exec(
            &app,
            "UPDATE ledger_checkpoints SET size = size - 1 WHERE size = $1",
            vec![Arg::I(cp.size as i64 + 1)],
        )
        .await;
    }
    assert_clean(&app).await;

    // The history index: a pointer removed (an entry hidden from its subject), or one
    // pointing at another subject's entry.
    let row = &fetch(
        &app,
        "SELECT run, subject, idx FROM ledger_subjects ORDER BY idx LIMIT 1 OFFSET $1",
        1234,
    )
    .await[0];
    let (run, subject, idx): (i64, Vec<u8>, i64) = (
        row.try_get("run").unwrap(),
        row.try_get("subject").unwrap(),
        row.try_get("idx").unwrap(),
    );
    exec(
        &app,
        "DELETE FROM ledger_subjects WHERE idx = $1",
        vec![Arg::I(idx)],
    )
    .await;
    assert_detected(&app, "an entry removed from the history index").await;
    exec(
        &app,
        "INSERT INTO ledger_subjects (run, subject, idx) VALUES ($1, $2, $3)",
        vec![Arg::I(run), Arg::B(subject.clone()), Arg::I(idx)],
    )
    .await;
    assert_clean(&app).await;
    exec(
        &app,
        "INSERT INTO ledger_subjects (run, subject, idx) VALUES ($1, $2, $3)",
        vec![Arg::I(run), Arg::B(subject.clone()), Arg::I(idx + 1)],
    )
    .await;
    assert_detected(&app, "a history pointer to someone else's entry").await;
    exec(
        &app,
        "DELETE FROM ledger_subjects WHERE subject = $1 AND idx = $2",
        vec![Arg::B(subject), Arg::I(idx + 1)],
    )
    .await;
    assert_clean(&app).await;
    // A pointer moved to another run, where its subject's history would not look for it.
    exec(
        &app,
        "UPDATE ledger_subjects SET run = run + 1 WHERE idx = $1",
        vec![Arg::I(idx)],
    )
    .await;
    assert_detected(&app, "a history pointer in the wrong run").await;
    exec(
        &app,
        "UPDATE ledger_subjects SET run = run - 1 WHERE idx = $1",
        vec![Arg::I(idx)],
    )
    .await;
    // A run claiming entries another run covers.
    exec(
        &app,
        "UPDATE ledger_subject_runs SET from_idx = from_idx - 1 WHERE run = (SELECT MAX(run) FROM ledger_subject_runs)",
        vec![],
    )
    .await;
    assert_detected(&app, "overlapping history runs").await;
    exec(
        &app,
        "UPDATE ledger_subject_runs SET from_idx = from_idx + 1 WHERE run = (SELECT MAX(run) FROM ledger_subject_runs)",
        vec![],
    )
    .await;
    assert_clean(&app).await;

    // Deleting an entry in the middle, and putting it back.
    let saved = |rows: &[db::Row]| -> Vec<SavedRow> {
        rows.iter()
            .map(|r| {
                (
                    r.try_get("idx").unwrap(),
                    r.try_get("at").unwrap(),
                    r.try_get("kind").unwrap(),
                    r.try_get("subject").unwrap(),
                    r.try_get("body").unwrap(),
                    r.try_get("leaf").unwrap(),
                )
            })
            .collect()
    };
    let middle = (size / 2) as i64;
    let row = saved(&fetch(&app, "SELECT * FROM ledger_entries WHERE idx = $1", middle).await);
    exec(
        &app,
        "DELETE FROM ledger_entries WHERE idx = $1",
        vec![Arg::I(middle)],
    )
    .await;
    assert_detected(&app, "a deleted entry").await;
    for (idx, at, kind, subject, body, leaf) in row {
        exec(&app, "INSERT INTO ledger_entries (idx, at, kind, subject, body, leaf) VALUES ($1, $2, $3, $4, $5, $6)", vec![
            Arg::I(idx), Arg::I(at), Arg::T(kind), Arg::B(subject.unwrap_or_default()), Arg::B(body), Arg::B(leaf),
        ]).await;
    }
    assert_clean(&app).await;

    // Reordering two entries (each with its own leaf hash).
    let (i, j) = (17i64, 4242i64);
    let a = saved(&fetch(&app, "SELECT * FROM ledger_entries WHERE idx = $1", i).await).remove(0);
    let bb = saved(&fetch(&app, "SELECT * FROM ledger_entries WHERE idx = $1", j).await).remove(0);
    exec(
        &app,
        "UPDATE ledger_entries SET body = $1, leaf = $2 WHERE idx = $3",
        vec![Arg::B(bb.4.clone()), Arg::B(bb.5.clone()), Arg::I(i)],
    )
    .await;
    exec(
        &app,
        "UPDATE ledger_entries SET body = $1, leaf = $2 WHERE idx = $3",
        vec![Arg::B(a.4.clone()), Arg::B(a.5.clone()), Arg::I(j)],
    )
    .await;
    assert_detected(&app, "two entries swapped").await;
    exec(
        &app,
        "UPDATE ledger_entries SET body = $1, leaf = $2 WHERE idx = $3",
        vec![Arg::B(a.4), Arg::B(a.5), Arg::I(i)],
    )
    .await;
    exec(
        &app,
        "UPDATE ledger_entries SET body = $1, leaf = $2 WHERE idx = $3",
        vec![Arg::B(bb.4), Arg::B(bb.5), Arg::I(j)],
    )
    .await;

    // Inserting an entry at the end, with a correct leaf hash.
    let extra = Entry::new("test.inserted", now, Actor::new("admin", None)).to_bytes();
    exec(&app, "INSERT INTO ledger_entries (idx, at, kind, body, leaf) VALUES ($1, 0, 'test.inserted', $2, $3)", vec![
        Arg::I(size as i64), Arg::B(extra.clone()), Arg::B(leaf_hash(&extra).to_vec()),
    ]).await;
    assert_detected(&app, "an inserted entry").await;
    exec(
        &app,
        "DELETE FROM ledger_entries WHERE idx = $1",
        vec![Arg::I(size as i64)],
    )
    .await;

    // Truncating the last ten entries.
    let tail = saved(
        &fetch(
            &app,
            "SELECT * FROM ledger_entries WHERE idx >= $1 ORDER BY idx",
            size as i64 - 10,
        )
        .await,
    );
    exec(
        &app,
        "DELETE FROM ledger_entries WHERE idx >= $1",
        vec![Arg::I(size as i64 - 10)],
    )
    .await;
    assert_detected(&app, "a truncated log").await;
    for (idx, at, kind, subject, body, leaf) in tail {
        exec(&app, "INSERT INTO ledger_entries (idx, at, kind, subject, body, leaf) VALUES ($1, $2, $3, $4, $5, $6)", vec![
            Arg::I(idx), Arg::I(at), Arg::T(kind), Arg::B(subject.unwrap_or_default()), Arg::B(body), Arg::B(leaf),
        ]).await;
    }
    assert_clean(&app).await;

    // Rollback: the database brought back, consistently, to an earlier checkpoint (as a
    // restored backup would be). On its own it verifies; against the checkpoint the
    // verifier holds from later, it fails.
    let held = store.checkpoint(None).await.unwrap().unwrap().note;
    let back_to = checkpoints[checkpoints.len() / 2].size;
    let mut tree = MemoryTree::new();
    let entries = store.ledger_entries(0, back_to, None).await.unwrap();
    for e in &entries {
        tree.push(&e.body);
    }
    let frontier = Frontier::from_nodes(back_to, |id| tree.node(id)).unwrap();
    let last_key = qorgau_ledger::NodeId::leaf(back_to - 1).key() as i64;
    exec(
        &app,
        "DELETE FROM ledger_entries WHERE idx >= $1",
        vec![Arg::I(back_to as i64)],
    )
    .await;
    exec(
        &app,
        "DELETE FROM ledger_nodes WHERE key > $1",
        vec![Arg::I(last_key)],
    )
    .await;
    exec(
        &app,
        "DELETE FROM ledger_checkpoints WHERE size > $1",
        vec![Arg::I(back_to as i64)],
    )
    .await;
    exec(
        &app,
        "UPDATE ledger_state SET frontier = $1 WHERE id = $2",
        vec![Arg::B(frontier.to_bytes()), Arg::I(1)],
    )
    .await;
    exec(
        &app,
        "DELETE FROM ledger_subjects WHERE idx >= $1",
        vec![Arg::I(back_to as i64)],
    )
    .await;
    exec(
        &app,
        "DELETE FROM ledger_subject_runs WHERE from_idx >= $1",
        vec![Arg::I(back_to as i64)],
    )
    .await;
    exec(
        &app,
        "UPDATE ledger_subject_runs SET to_idx = $1 WHERE to_idx > $1",
        vec![Arg::I(back_to as i64)],
    )
    .await;
    exec(
        &app,
        "UPDATE ledger_state SET subjects_indexed = $1 WHERE subjects_indexed > $1",
        vec![Arg::I(back_to as i64)],
    )
    .await;
    assert_clean(&app).await;
    let r = store.verify_ledger(Some(&held)).await.unwrap();
    assert!(!r.ok());
    assert!(
        r.failures.iter().any(|f| f.starts_with("ROLLBACK")),
        "{:?}",
        r.failures
    );
    // And appending goes on from the restored edge, extending it.
    store
        .record(vec![Entry::new(
            "test.after",
            now,
            Actor::new("admin", None),
        )])
        .await
        .unwrap();
    assert_eq!(store.ledger_size().await.unwrap(), back_to + 1);
    assert_clean(&app).await;
    app.cleanup().await;
}
