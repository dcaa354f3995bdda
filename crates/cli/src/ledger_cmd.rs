//! `qorgau ledger …`: verify the log, export and check evidence bundles, issue a
//! checkpoint.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use jiff::Timestamp;
use qorgau_ledger::bundle::{verify_bundle, Bundle};
use qorgau_ledger::entry::hex;
use qorgau_ledger::NoteVerifier;
use qorgau_store::Store;

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Recompute the tree from the stored entries and check every node, every
    /// checkpoint's signature and the consistency between consecutive checkpoints.
    /// Exit code 0 when everything holds, 1 otherwise.
    Verify {
        /// A checkpoint exported earlier (a signed note): prove the log still extends it.
        /// A log shorter than it (a restored backup) or different from it fails.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// Check an evidence bundle offline instead (no database needed).
        #[arg(long, conflicts_with = "checkpoint")]
        bundle: Option<PathBuf>,
        /// With --bundle: the checkpoint key obtained from the service independently
        /// (`checkpoint_key` of /v1/keys). Without it the bundle's own key is used.
        #[arg(long, requires = "bundle")]
        key: Option<String>,
    },
    /// Write an evidence bundle for an inspection: the selected entries with inclusion
    /// proofs against the latest checkpoint, every checkpoint with the consistency proofs
    /// between them, and the public key.
    Export {
        /// First entry: a ledger index, a date (YYYY-MM-DD, from 00:00 Kazakhstan time,
        /// UTC+5) or an RFC 3339 time.
        #[arg(long, default_value = "0")]
        from: String,
        /// End, exclusive: an index, a date (that whole day included) or a time.
        /// Default: the latest checkpoint.
        #[arg(long)]
        to: Option<String>,
        /// Only the entries of this organization (its id or BIN).
        #[arg(long)]
        organization: Option<String>,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Issue a checkpoint of the current tree now (if it grew) and print the latest.
    Checkpoint,
}

/// Where a `--from`/`--to` value points: an index or a time.
enum Bound {
    Index(u64),
    At(Timestamp),
}

fn parse_bound(s: &str, end: bool) -> Result<Bound, String> {
    if let Ok(i) = s.parse::<u64>() {
        return Ok(Bound::Index(i));
    }
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(Bound::At(t));
    }
    let d: jiff::civil::Date = s
        .parse()
        .map_err(|_| format!("{s}: an index, a date (YYYY-MM-DD) or an RFC 3339 time"))?;
    let d = if end {
        d.tomorrow().map_err(|e| e.to_string())?
    } else {
        d
    };
    let offset = jiff::tz::Offset::constant(5);
    d.to_datetime(jiff::civil::Time::midnight())
        .to_zoned(jiff::tz::TimeZone::fixed(offset))
        .map(|z| Bound::At(z.timestamp()))
        .map_err(|e| e.to_string())
}

async fn resolve(store: &Store, b: Bound) -> Result<u64, String> {
    match b {
        Bound::Index(i) => Ok(i),
        Bound::At(t) => store.ledger_index_at(t).await.map_err(|e| e.to_string()),
    }
}

/// Check a bundle file; the text report and whether it holds.
pub fn verify_bundle_file(path: &Path, key: Option<&str>) -> Result<String, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{}: {}", path.display(), e.kind()))?;
    let bundle: Bundle = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a bundle: {e}", path.display()))?;
    let key = key
        .map(NoteVerifier::parse)
        .transpose()
        .map_err(|e| format!("--key: {e}"))?;
    let r = verify_bundle(&bundle, key.as_ref())?;
    let mut out = format!(
        "bundle OK: {} entries proven included in the log {:?} of {} entries (root {}), {} checkpoints each extending the one before\n",
        r.entries,
        r.head.origin,
        r.head.size,
        hex(&r.head.root),
        r.checkpoints
    );
    if r.key_from_bundle {
        out.push_str(&format!(
            "note: the key was taken from the bundle itself; compare it with the service's published key:\n  {}\n",
            bundle.verifier_key
        ));
    }
    Ok(out)
}

/// Run a ledger command against an open store. `Ok(false)` means verification failed.
pub async fn run(store: &Store, cmd: LedgerCommand, now: Timestamp) -> Result<bool, String> {
    match cmd {
        LedgerCommand::Verify {
            checkpoint,
            bundle: _,
            key: _,
        } => {
            let held = match &checkpoint {
                Some(p) => Some(
                    std::fs::read_to_string(p)
                        .map_err(|e| format!("{}: {}", p.display(), e.kind()))?,
                ),
                None => None,
            };
            let r = store
                .verify_ledger(held.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "ledger: {} entries, {} checkpoints, root {}",
                r.entries,
                r.checkpoints,
                hex(&r.root)
            );
            println!("checkpoint key: {}", r.verifier_key);
            if r.ok() {
                println!("OK: every entry matches its leaf, every node matches the entries, every checkpoint is signed and extends the one before");
                if let Some(s) = r.extends_held {
                    println!("OK: the log extends the checkpoint you hold (size {s})");
                }
                if r.uncovered > 0 {
                    println!(
                        "note: the last {} entries are not under a checkpoint yet; the next one covers them",
                        r.uncovered
                    );
                }
                Ok(true)
            } else {
                for f in &r.failures {
                    println!("FAILED: {f}");
                }
                Ok(false)
            }
        }
        LedgerCommand::Export {
            from,
            to,
            organization,
            out,
        } => {
            let from_i = resolve(store, parse_bound(&from, false)?).await?;
            let to_i = match &to {
                Some(t) => resolve(store, parse_bound(t, true)?).await?,
                None => u64::MAX,
            };
            let org = match organization {
                None => None,
                Some(o) => Some(crate::app::organization_id(store, &o).await?.to_string()),
            };
            let selection = format!(
                "from {from} to {} (indexes {from_i}..{}){}",
                to.as_deref().unwrap_or("the latest checkpoint"),
                if to_i == u64::MAX {
                    "end".to_owned()
                } else {
                    to_i.to_string()
                },
                org.as_deref()
                    .map(|o| format!(", organization {o}"))
                    .unwrap_or_default()
            );
            let bundle = store
                .export_bundle(from_i, to_i, org, selection)
                .await
                .map_err(|e| match e.code {
                    qorgau_core::ErrorCode::NotFound => {
                        "the ledger has no checkpoint yet; run `qorgau ledger checkpoint` first"
                            .to_owned()
                    }
                    _ => e.to_string(),
                })?;
            let text = serde_json::to_string_pretty(&bundle).map_err(|e| e.to_string())?;
            match out {
                Some(p) => {
                    std::fs::write(&p, text)
                        .map_err(|e| format!("{}: {}", p.display(), e.kind()))?;
                    eprintln!(
                        "qorgau: {} entries written to {}",
                        bundle.entries.len(),
                        p.display()
                    );
                }
                None => println!("{text}"),
            }
            Ok(true)
        }
        LedgerCommand::Checkpoint => {
            store
                .ledger_checkpoint(now)
                .await
                .map_err(|e| e.to_string())?;
            match store.checkpoint(None).await.map_err(|e| e.to_string())? {
                Some(c) => print!("{}", c.note),
                None => eprintln!("qorgau: the ledger is empty; there is nothing to checkpoint"),
            }
            Ok(true)
        }
    }
}
