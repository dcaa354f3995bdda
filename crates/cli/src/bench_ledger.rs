//! `qorgau bench ledger`: durable appends with group commit against the one-commit-per-
//! entry baseline, on SQLite and PostgreSQL; and proof production and verification on a
//! tree of 100,000,000 entries. Prints figures; asserts nothing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use jiff::Timestamp;
use qorgau_core::crypto::{Keyring, SecretKey};
use qorgau_core::receipt::ServiceKey;
use qorgau_ledger::tree::MemoryTree;
use qorgau_ledger::{leaf_hash, verify_consistency, verify_inclusion, Actor, Entry};
use qorgau_store::{Secrets, Store, StoreOptions};

#[derive(Args, Debug, Clone)]
pub struct LedgerArgs {
    /// Databases to append to (repeatable); each must be empty or throwaway. Default: a
    /// fresh SQLite file in a temporary directory.
    #[arg(long = "database-url")]
    pub database_urls: Vec<String>,
    /// Entries appended with group commit, per database.
    #[arg(long, default_value_t = 500_000)]
    pub entries: u64,
    /// Concurrent appenders (each change waits for its commit before the next).
    #[arg(long, default_value_t = 512)]
    pub concurrency: usize,
    /// Entries per change in the batched run (PostgreSQL's figure is taken batched).
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
    /// How long the one-commit-per-entry baseline runs, in seconds.
    #[arg(long, default_value_t = 3)]
    pub baseline_seconds: u64,
    /// Build an in-memory tree of this many entries and time proofs on it (0: skip).
    #[arg(long, default_value_t = 100_000_000)]
    pub proof_tree: u64,
    /// Proofs of each kind timed.
    #[arg(long, default_value_t = 200_000)]
    pub proofs: usize,
}

fn entry(i: u64, now: Timestamp, subject: bool) -> Entry {
    // Shaped like a decision entry: pseudonymous subject, codes, ids.
    let mut e = Entry::new(
        "access.decided",
        now,
        Actor::new(
            "organization",
            Some("0196d1d2-5f0b-7c3e-9a51-3f0c2d9e8b71".into()),
        ),
    )
    .organization("0196d1d2-5f0b-7c3e-9a51-3f0c2d9e8b71")
    .object("decision", format!("0196d1d2-6000-7000-8000-{i:012}"));
    if subject {
        e = e.subject(&qorgau_core::crypto::sha256(&i.to_le_bytes()));
    }
    e.purpose = Some("loan".into());
    e.action = Some("use".into());
    e.categories = vec!["full_name".into(), "income".into()];
    e.outcome = Some("allow".into());
    e.detail.insert(
        "consent".into(),
        "0196d1d2-5f0b-7c3e-9a51-3f0c2d9e8b72".into(),
    );
    e
}

pub(crate) fn secrets() -> Secrets {
    Secrets {
        keyring: Keyring::new(SecretKey::generate()),
        signing: ServiceKey::generate(),
    }
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Appends with `concurrency` appenders, `batch` entries per change: entries per second.
async fn grouped(
    store: &Store,
    total: u64,
    concurrency: usize,
    batch: usize,
    now: Timestamp,
    subject: bool,
) -> Result<f64, String> {
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (store, next) = (store.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let first = next.fetch_add(batch as u64, Ordering::Relaxed);
                if first >= total {
                    return Ok::<(), String>(());
                }
                let n = (total - first).min(batch as u64);
                let entries = (first..first + n).map(|i| entry(i, now, subject)).collect();
                store.record(entries).await.map_err(|e| e.to_string())?;
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(total as f64 / start.elapsed().as_secs_f64())
}

async fn appends(url: &str, a: &LedgerArgs) -> Result<(), String> {
    let now = Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_secs(1_790_000_000);
    let store = Store::open(
        url,
        secrets(),
        StoreOptions {
            max_group: 4096,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| format!("{url}: {e}"))?;
    let backend = format!("{:?}", store.backend());
    let start_size = store.ledger_size().await.map_err(|e| e.to_string())?;

    // Baseline: one entry per commit, one after the other.
    let t0 = Instant::now();
    let mut n = 0u64;
    while t0.elapsed() < Duration::from_secs(a.baseline_seconds) {
        store
            .record(vec![entry(n, now, true)])
            .await
            .map_err(|e| e.to_string())?;
        n += 1;
    }
    let baseline = n as f64 / t0.elapsed().as_secs_f64();
    println!("{backend}: one commit per entry (baseline)          {baseline:>10.0} entries/s");

    let single = grouped(&store, a.entries, a.concurrency, 1, now, true).await?;
    println!(
        "{backend}: group commit, one entry per change        {single:>10.0} entries/s  ({:.1}× baseline; {} appenders; entries about a subject)",
        single / baseline,
        a.concurrency
    );
    let anonymous = grouped(&store, a.entries, a.concurrency, 1, now, false).await?;
    println!(
        "{backend}: group commit, one entry per change        {anonymous:>10.0} entries/s  ({:.1}× baseline; entries about no subject: the log alone)",
        anonymous / baseline
    );
    let batched = grouped(&store, a.entries, a.concurrency / 4 + 1, a.batch, now, true).await?;
    println!(
        "{backend}: group commit, {} entries per change       {batched:>10.0} entries/s  ({:.1}× baseline; about a subject)",
        a.batch,
        batched / baseline
    );

    // The subjects' history index, built behind the appends in sorted batches.
    let t = Instant::now();
    let (indexed, _) = store
        .catch_up_history(100_000, 65_536)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "{backend}: history index built behind them             {:>10.0} entries/s  ({indexed} entries, runs of 100,000, merged)",
        indexed as f64 / t.elapsed().as_secs_f64()
    );

    // Proofs served from the database, at the size this run reached.
    store
        .ledger_checkpoint(now)
        .await
        .map_err(|e| e.to_string())?;
    let size = store.ledger_size().await.map_err(|e| e.to_string())?;
    let mut seed = 0x2545_F491_4F6C_DD1Du64 ^ size;
    let mut times = Vec::with_capacity(2000);
    for _ in 0..2000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let i = seed % size;
        let t = Instant::now();
        store
            .inclusion_proof(i, size)
            .await
            .map_err(|e| e.to_string())?;
        times.push(t.elapsed());
    }
    times.sort_unstable();
    println!(
        "{backend}: inclusion proof from the database at {size} entries: p50 {:.0} µs, p99 {:.0} µs",
        micros(pct(&times, 0.5)),
        micros(pct(&times, 0.99))
    );
    println!(
        "{backend}: {} entries appended in all (from {start_size})",
        size - start_size
    );
    Ok(())
}

fn proofs(n: u64, count: usize) -> Result<(), String> {
    if n < 2 {
        return Ok(());
    }
    let t = Instant::now();
    let cap = usize::try_from(n).map_err(|e| e.to_string())?;
    let mut tree = MemoryTree::with_capacity(cap);
    for i in 0..n {
        tree.push_leaf_hash(leaf_hash(&i.to_le_bytes()));
    }
    let root = tree.root();
    println!(
        "tree of {n} entries built in memory in {:.1} s (every complete subtree kept, as the database keeps them)",
        t.elapsed().as_secs_f64()
    );
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut make, mut check) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for _ in 0..count {
        let i = rnd() % n;
        let t0 = Instant::now();
        let p = tree.inclusion_proof(i, n).ok_or("no proof")?;
        make.push(t0.elapsed());
        let leaf = leaf_hash(&i.to_le_bytes());
        let t1 = Instant::now();
        let ok = verify_inclusion(&leaf, i, n, &p, &root).is_ok();
        check.push(t1.elapsed());
        if !ok {
            return Err(format!("inclusion proof of {i} does not verify"));
        }
    }
    make.sort_unstable();
    check.sort_unstable();
    println!(
        "inclusion proof at {n}: produce p50 {:.1} µs p99 {:.1} µs; verify p50 {:.1} µs p99 {:.1} µs  (targets: produce p99 < 50 µs, verify p99 < 20 µs)",
        micros(pct(&make, 0.5)),
        micros(pct(&make, 0.99)),
        micros(pct(&check, 0.5)),
        micros(pct(&check, 0.99))
    );
    let (mut make, mut check) = (Vec::with_capacity(count), Vec::with_capacity(count));
    let mut roots = std::collections::HashMap::new();
    for _ in 0..count {
        let m = 1 + rnd() % (n - 1);
        // The older head, as a verifier holding a checkpoint of size m would have it.
        let r1 = match roots.get(&m) {
            Some(r) => *r,
            None => {
                let r = tree.root_at(m).ok_or("no root")?;
                roots.insert(m, r);
                r
            }
        };
        let t0 = Instant::now();
        let p = tree.consistency_proof(m, n).ok_or("no proof")?;
        make.push(t0.elapsed());
        let t1 = Instant::now();
        let ok = verify_consistency(m, n, &r1, &root, &p).is_ok();
        check.push(t1.elapsed());
        if !ok {
            return Err(format!("consistency proof {m} → {n} does not verify"));
        }
    }
    make.sort_unstable();
    check.sort_unstable();
    println!(
        "consistency proof to {n}: produce p50 {:.1} µs p99 {:.1} µs; verify p50 {:.1} µs p99 {:.1} µs",
        micros(pct(&make, 0.5)),
        micros(pct(&make, 0.99)),
        micros(pct(&check, 0.5)),
        micros(pct(&check, 0.99))
    );
    Ok(())
}

pub async fn ledger(a: LedgerArgs) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let urls = if a.database_urls.is_empty() {
        vec![format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("ledger-bench.db").display()
        )]
    } else {
        a.database_urls.clone()
    };
    println!("Every entry is durable when acknowledged (SQLite: WAL, synchronous=FULL; PostgreSQL: synchronous_commit on).");
    for url in &urls {
        appends(url, &a).await?;
    }
    let (n, count) = (a.proof_tree, a.proofs);
    tokio::task::spawn_blocking(move || proofs(n, count))
        .await
        .map_err(|e| e.to_string())?
}
