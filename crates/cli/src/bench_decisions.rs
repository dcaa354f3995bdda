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
    println!("seeded {written} subjects with an active consent each; next IIN index {index}");
    Ok(())
}
