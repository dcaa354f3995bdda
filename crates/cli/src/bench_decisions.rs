//! Benchmarks of access decisions; they print figures and assert nothing.
//!
//! - `qorgau bench engine`: `core::decision::decide` alone, in process, over a fixed set
//!   of requests (allows and denies of every kind) with 1, 8 and 64 consents per subject.
//! - `qorgau bench decisions`: `POST /v1/access-decisions` over HTTP against a running
//!   `qorgau serve`; every decision is durably recorded before it is answered.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use jiff::{SignedDuration, Timestamp};
use qorgau_core::catalogue::{CategoryCode, LocalizedText, Purpose, PurposeCode};
use qorgau_core::consent::{ConsentState, CrossBorderTerms, TransferTerms};
use qorgau_core::decision::{decide, AccessRequest, Action, ConsentFacts, Facts, Recipient};
use qorgau_core::id::{Bin, CountryCode};

use crate::bench::{generate_iins, ms, pct};

#[derive(Args, Debug, Clone)]
pub struct EngineArgs {
    /// Decisions timed per consents-per-subject setting.
    #[arg(long, default_value_t = 200_000)]
    pub decisions: usize,
}

fn code(s: &str) -> Result<CategoryCode, String> {
    CategoryCode::parse(s).map_err(|_| format!("category {s}"))
}

fn purpose_code(i: usize) -> Result<PurposeCode, String> {
    PurposeCode::parse(&format!("purpose_{i}")).map_err(|_| "purpose".to_owned())
}

/// A subject with `n` consents at one holder: one per purpose, in various states.
fn world(n: usize, now: Timestamp) -> Result<(Vec<Purpose>, Vec<ConsentFacts>), String> {
    let day = SignedDuration::from_hours(24);
    let all = ["full_name", "iin", "phone", "email", "income", "address"];
    let approved: BTreeSet<CategoryCode> = all.iter().map(|c| code(c)).collect::<Result<_, _>>()?;
    let bin = Bin::parse("040840001231").map_err(|_| "bin")?;
    let mut purposes = Vec::new();
    let mut consents = Vec::new();
    for i in 0..n {
        purposes.push(Purpose {
            code: purpose_code(i)?,
            name: LocalizedText {
                kk: "Мақсат".into(),
                ru: "Цель".into(),
                en: None,
            },
            description: None,
            categories: approved.clone(),
            storage_term_days: 3650,
        });
        let state = match i % 8 {
            6 => ConsentState::Withdrawn,
            7 => ConsentState::Expired,
            _ => ConsentState::Active,
        };
        consents.push(ConsentFacts {
            id: uuid::Uuid::from_u128(i as u128 + 1),
            version: 1,
            purpose: purpose_code(i)?,
            state,
            respond_by: now - day * 40,
            valid_from: Some(now - day * 30),
            valid_until: now + day * 300,
            categories: all[..3 + i % 3]
                .iter()
                .map(|c| code(c))
                .collect::<Result<_, _>>()?,
            transfer: TransferTerms {
                allowed: i % 2 == 0,
                recipients: if i % 2 == 0 { vec![bin] } else { vec![] },
            },
            cross_border: CrossBorderTerms {
                allowed: i % 4 == 0,
                countries: if i % 4 == 0 {
                    vec![CountryCode::parse("DE").map_err(|_| "country")?]
                } else {
                    vec![]
                },
            },
            dissemination: i % 3 == 0,
        });
    }
    Ok((purposes, consents))
}

/// Requests of every kind, spread over the subject's purposes.
fn requests(n: usize) -> Result<Vec<AccessRequest>, String> {
    let bin = Bin::parse("040840001231").map_err(|_| "bin")?;
    let de = CountryCode::parse("DE").map_err(|_| "country")?;
    let us = CountryCode::parse("US").map_err(|_| "country")?;
    let mut out = Vec::new();
    for k in 0..64usize {
        let (action, recipient) = match k % 6 {
            0 | 1 => (Action::Use, Recipient::default()),
            2 => (
                Action::Transfer,
                Recipient {
                    bin: Some(bin),
                    country: None,
                },
            ),
            3 => (
                Action::Transfer,
                Recipient {
                    bin: None,
                    country: Some(if k % 4 == 3 { de } else { us }),
                },
            ),
            4 => (Action::Disseminate, Recipient::default()),
            _ => (Action::View, Recipient::default()),
        };
        let cats: &[&str] = if k % 5 == 0 {
            &["full_name", "income"]
        } else {
            &["full_name", "phone"]
        };
        out.push(AccessRequest {
            action,
            purpose: purpose_code((k * 7) % n)?,
            categories: cats.iter().map(|c| code(c)).collect::<Result<_, _>>()?,
            recipient,
            legal_ground: None,
            cross_border_ground: None,
            consent: None,
        });
    }
    Ok(out)
}

pub fn engine(a: EngineArgs) -> Result<(), String> {
    // A fixed instant: the engine is given time, never reads it.
    let now: Timestamp = "2026-06-01T09:00:00Z".parse().map_err(|_| "time")?;
    let adequate: BTreeSet<CountryCode> = [CountryCode::parse("BY").map_err(|_| "country")?]
        .into_iter()
        .collect();
    println!("qorgau bench engine: core::decision::decide, in process, one thread");
    println!(
        "  {:>9}  {:>10}  {:>10}  {:>10}  {:>8}",
        "consents", "median", "p99", "mean", "allow %"
    );
    for n in [1usize, 8, 64] {
        let (purposes, consents) = world(n, now)?;
        let reqs = requests(n)?;
        let mut times = Vec::with_capacity(a.decisions);
        let mut allows = 0usize;
        let t0 = Instant::now();
        for i in 0..a.decisions {
            let req = &reqs[i % reqs.len()];
            let purpose = purposes
                .iter()
                .find(|p| p.code == req.purpose)
                .ok_or("purpose")?;
            let facts = Facts {
                third_party: None,
                purpose,
                consents: &consents,
                processing_started: Some(now - SignedDuration::from_hours(24 * 30)),
                blocked: false,
                registered_grounds: &[],
                adequate_countries: &adequate,
            };
            let s = Instant::now();
            let d = std::hint::black_box(decide(std::hint::black_box(req), &facts, now));
            times.push(s.elapsed().as_nanos() as u64);
            if d.outcome == qorgau_core::decision::Outcome::Allow {
                allows += 1;
            }
        }
        let wall = t0.elapsed();
        times.sort_unstable();
        println!(
            "  {:>9}  {:>7} ns  {:>7} ns  {:>7} ns  {:>7.1}%",
            n,
            pct(&times, 50.0),
            pct(&times, 99.0),
            wall.as_nanos() as u64 / a.decisions as u64,
            100.0 * allows as f64 / a.decisions as f64
        );
    }
    println!("  (per-decision times include one Instant::now() pair, about 20-40 ns here)");
    println!("  target: median under 1 µs with up to 64 consents per subject");
    println!("  not compared here: cedar-policy and regorus (see the issue note)");
    Ok(())
}

#[derive(Args, Debug, Clone)]
pub struct DecisionsArgs {
    /// Base URL of a running `qorgau serve`.
    #[arg(long)]
    pub url: String,
    /// An API key of the operator, with the `decisions` scope.
    #[arg(long, env = "QORGAU_BENCH_API_KEY", hide_env_values = true)]
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
    /// Open loop at this many requests per second; closed loop without it.
    #[arg(long)]
    pub rate: Option<f64>,
}

pub async fn decisions(a: DecisionsArgs) -> Result<(), String> {
    if a.requests == 0 || a.subjects == 0 || a.concurrency == 0 {
        return Err("--requests, --subjects and --concurrency must be at least 1".to_owned());
    }
    let iins = Arc::new(generate_iins(a.iin_start, a.subjects)?);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(a.concurrency * 2)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let url = format!("{}/v1/access-decisions", a.url.trim_end_matches('/'));
    let auth = format!("Bearer {}", a.api_key);
    let next = Arc::new(AtomicU64::new(0));
    let allows = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let start = tokio::time::Instant::now();
    let mut handles = Vec::new();
    for _ in 0..a.concurrency {
        let (client, url, auth, iins, next, allows, errors) = (
            client.clone(),
            url.clone(),
            auth.clone(),
            iins.clone(),
            next.clone(),
            allows.clone(),
            errors.clone(),
        );
        let (purpose, total, rate) = (a.purpose.clone(), a.requests, a.rate);
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                if let Some(r) = rate {
                    tokio::time::sleep_until(start + Duration::from_secs_f64(i as f64 / r)).await;
                }
                let iin = &iins[(i.wrapping_mul(2_654_435_761) % iins.len() as u64) as usize];
                let cats: &[&str] = if i % 4 == 0 { &["full_name", "iin"] } else { &["full_name"] };
                let body = serde_json::json!({"subject_iin": iin, "action": "use", "purpose": purpose, "categories": cats});
                let s = Instant::now();
                let r = client.post(&url).header(reqwest::header::AUTHORIZATION, &auth).json(&body).send().await;
                match r {
                    Ok(resp) if resp.status().as_u16() == 201 => {
                        let text = resp.text().await.unwrap_or_default();
                        lat.push(s.elapsed().as_micros() as u64);
                        if text.contains("\"decision\":\"allow\"") {
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
    let mut lat = Vec::new();
    for h in handles {
        lat.extend(h.await.map_err(|e| format!("worker: {e}"))?);
    }
    let wall = start.elapsed();
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
        errors.load(Ordering::Relaxed)
    );
    println!(
        "  allow / deny          {} / {}",
        allows.load(Ordering::Relaxed),
        lat.len() as u64 - allows.load(Ordering::Relaxed)
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
