//! `qorgau bench decisions`: `POST /v1/access-decisions` over HTTP against a running
//! `qorgau serve`; every decision is durably recorded before it is answered. Prints
//! figures and asserts nothing. The engine alone, beside Cedar and Rego, is measured by
//! `benches/policy-compare`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use crate::bench::{generate_iins, ms, pct};

#[derive(Args, Debug, Clone)]
pub struct DecisionsArgs {
    /// Base URL of a running `qorgau serve`.
    #[arg(long)]
    pub url: String,
    /// An API key of the operator, with the `decisions` scope.
    #[arg(long, env = "BENCH_QORGAU_API_KEY", hide_env_values = true)]
    pub api_key: String,
    #[arg(long, default_value = "bench")]
    pub purpose: String,
    /// Subjects asked about: the IINs `qorgau bench consents --iin-start` generated.
    #[arg(long)]
    pub iin_start: u64,
    #[arg(long, default_value_t = 1000)]
    pub subjects: u64,
    #[arg(long, default_value_t = 50_000)]
    pub requests: u64,
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Decisions asked first and not counted (closed loop), about other subjects than the
    /// measured ones: the service measured in a steady state, its caches warm.
    #[arg(long, default_value_t = 0)]
    pub warmup: u64,
    /// Open loop at this many requests per second; closed loop without it.
    #[arg(long)]
    pub rate: Option<f64>,
}

const ALLOW: &[u8] = b"\"decision\":\"allow\"";

/// What every worker shares.
struct Load {
    client: reqwest::Client,
    url: String,
    auth: String,
    iins: Vec<String>,
    /// The purpose as a JSON string.
    purpose: String,
    /// Where in its order of the subjects this run starts.
    offset: u64,
}

/// What one pass measured.
struct Pass {
    latencies: Vec<u64>,
    allows: u64,
    errors: u64,
    wall: Duration,
}

/// Ask for the decisions numbered `range` with `concurrency` workers, as fast as they are
/// answered or, with `rate`, at that many per second.
async fn drive(
    load: &Arc<Load>,
    range: std::ops::Range<u64>,
    concurrency: usize,
    rate: Option<f64>,
) -> Result<Pass, String> {
    let next = Arc::new(AtomicU64::new(range.start));
    let allows = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let start = tokio::time::Instant::now();
    let mut handles = Vec::new();
    for _ in 0..concurrency {
        let (load, next, allows, errors) =
            (load.clone(), next.clone(), allows.clone(), errors.clone());
        let (first, end) = (range.start, range.end);
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= end {
                    break;
                }
                if let Some(r) = rate {
                    let due = Duration::from_secs_f64((i - first) as f64 / r);
                    tokio::time::sleep_until(start + due).await;
                }
                let n = load.iins.len() as u64;
                let iin = &load.iins[((i + load.offset).wrapping_mul(2_654_435_761) % n) as usize];
                let cats = if i % 4 == 0 {
                    r#"["full_name","iin"]"#
                } else {
                    r#"["full_name"]"#
                };
                let body = format!(
                    r#"{{"subject_iin":"{iin}","action":"use","purpose":{},"categories":{cats}}}"#,
                    load.purpose
                );
                let s = Instant::now();
                let r = load
                    .client
                    .post(&load.url)
                    .header(reqwest::header::AUTHORIZATION, &load.auth)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body)
                    .send()
                    .await;
                match r {
                    Ok(resp) if resp.status().as_u16() == 201 => {
                        let text = resp.bytes().await.unwrap_or_default();
                        lat.push(s.elapsed().as_micros() as u64);
                        if text.windows(ALLOW.len()).any(|w| w == ALLOW) {
                            allows.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            lat
        }));
    }
    let mut latencies = Vec::new();
    for h in handles {
        latencies.extend(h.await.map_err(|e| format!("worker: {e}"))?);
    }
    Ok(Pass {
        latencies,
        allows: allows.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        wall: start.elapsed(),
    })
}

pub async fn decisions(a: DecisionsArgs) -> Result<(), String> {
    if a.requests == 0 || a.subjects == 0 || a.concurrency == 0 {
        return Err("--requests, --subjects and --concurrency must be at least 1".to_owned());
    }
    let client = crate::bench::load_client(a.concurrency)?;
    // Bodies are written with `format!`, not through a `serde_json::Value`: the load
    // generator shares the two cores with the server, so what it spends per request is
    // taken from the server. (IINs are digits; the purpose is escaped once, here.)
    let load = Arc::new(Load {
        client,
        url: format!("{}/v1/access-decisions", a.url.trim_end_matches('/')),
        auth: format!("Bearer {}", a.api_key),
        iins: generate_iins(a.iin_start, a.subjects)?,
        purpose: serde_json::to_string(&a.purpose).map_err(|e| e.to_string())?,
        // Each run asks about the subjects in an order of its own, so that one run does
        // not find in memory what the run before it read.
        offset: rand::Rng::gen_range(&mut rand::thread_rng(), 0..a.subjects),
    });
    if a.warmup > 0 {
        // Other subjects than the measured ones (further along the same order): the
        // warm-up brings the service to a steady state, not the measured answers into memory.
        let w = drive(
            &load,
            a.requests..a.requests + a.warmup,
            a.concurrency,
            None,
        )
        .await?;
        println!(
            "  warm-up: {} decisions at {:.0}/s, not counted",
            w.latencies.len(),
            w.latencies.len() as f64 / w.wall.as_secs_f64()
        );
    }
    let pass = drive(&load, 0..a.requests, a.concurrency, a.rate).await?;
    let (mut lat, wall) = (pass.latencies, pass.wall);
    lat.sort_unstable();
    let done = lat.len() as f64;
    let mode = match a.rate {
        Some(r) => format!("open loop at {r:.0}/s"),
        None => format!("closed loop, {} workers", a.concurrency),
    };
    println!(
        "qorgau bench decisions: {mode}, {} subjects with consents",
        a.subjects
    );
    println!(
        "  decisions answered    {} ({} errors)",
        lat.len(),
        pass.errors
    );
    println!(
        "  allow / deny          {} / {}",
        pass.allows,
        lat.len() as u64 - pass.allows
    );
    println!("  decisions per second: {:.1}", done / wall.as_secs_f64());
    println!(
        "  latency               p50 {}  p90 {}  p99 {}  max {}",
        ms(pct(&lat, 50.0)),
        ms(pct(&lat, 90.0)),
        ms(pct(&lat, 99.0)),
        ms(lat.last().copied().unwrap_or(0))
    );
    println!("  target: ≥ 20,000 decisions/s at full load; p99 < 10 ms at half of it");
    Ok(())
}

#[derive(Args, Debug, Clone)]
pub struct SeedArgs {
    /// How many subjects, each with one active consent.
    #[arg(long)]
    pub consents: u64,
    /// The operator's BIN.
    #[arg(long)]
    pub organization: String,
    #[arg(long, default_value = "bench")]
    pub purpose: String,
    /// Where in the IIN space the seeded subjects start (away from the benches' own).
    #[arg(long, default_value_t = 100_000_000)]
    pub iin_start: u64,
    /// Subjects per transaction.
    #[arg(long, default_value_t = 5_000)]
    pub batch: u64,
}

pub async fn seed(
    store: &qorgau_store::Store,
    a: SeedArgs,
    now: jiff::Timestamp,
) -> Result<(), String> {
    use qorgau_core::consent::{
        ConsentTerms, Contact, CrossBorderTerms, Language, PersonName, SubjectDetails,
        TransferTerms,
    };
    let bin = qorgau_core::id::Bin::parse(&a.organization)
        .map_err(|_| "--organization: not a valid BIN")?;
    let org = store
        .organization_by_bin(&bin)
        .await
        .map_err(|e| format!("organization: {e}"))?;
    let purpose =
        qorgau_core::catalogue::PurposeCode::parse(&a.purpose).map_err(|_| "--purpose")?;
    let categories = ["full_name", "phone"]
        .iter()
        .map(|c| qorgau_core::catalogue::CategoryCode::parse(c).map_err(|_| "category".to_owned()))
        .collect::<Result<_, _>>()?;
    let terms = ConsentTerms {
        categories,
        valid_from: None,
        valid_until: now + jiff::SignedDuration::from_hours(24 * 365),
        transfer_to_third_parties: TransferTerms::default(),
        cross_border_transfer: CrossBorderTerms::default(),
        dissemination_in_public_sources: false,
        other_information: None,
    };
    let started = Instant::now();
    let (mut written, mut index) = (0u64, a.iin_start);
    while written < a.consents {
        let want = a.batch.min(a.consents - written);
        let mut batch = Vec::with_capacity(want as usize);
        while (batch.len() as u64) < want {
            if let Some(iin) = crate::bench::iin_at(index)? {
                batch.push(SubjectDetails {
                    iin: qorgau_core::id::Iin::parse(&iin).map_err(|_| "generated IIN")?,
                    name: PersonName {
                        surname: "Тестов".into(),
                        given_name: "Сид".into(),
                        patronymic: None,
                    },
                    contact: Contact {
                        phone: Some(format!("+7700{:07}", index % 10_000_000)),
                        email: None,
                    },
                    language: Language::Ru,
                });
            }
            index += 1;
        }
        written += store
            .seed_consents(org.id, &purpose, batch, terms.clone(), now)
            .await
            .map_err(|e| format!("seed: {e}"))?;
        if written % (a.batch * 100) == 0 || written == a.consents {
            let s = started.elapsed().as_secs_f64();
            eprintln!(
                "  seeded {written} consents in {s:.0} s ({:.0}/s)",
                written as f64 / s
            );
        }
    }
    // Leave the database as a running service keeps it: the subjects' history index
    // caught up (the service fills it behind the appends), so that a benchmark run on it
    // next measures decisions, not the indexing of everything seeded.
    let indexing = Instant::now();
    let (indexed, _) = store
        .catch_up_history(100_000, 65_536)
        .await
        .map_err(|e| format!("history index: {e}"))?;
    eprintln!(
        "  indexed the history of {indexed} ledger entries in {:.0} s",
        indexing.elapsed().as_secs_f64()
    );
    println!("seeded {written} subjects with an active consent each; next IIN index {index}");
    Ok(())
}
