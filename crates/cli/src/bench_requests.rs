//! `qorgau bench requests`: subjects file requests (`POST /v1/requests`) over HTTP
//! against a running `qorgau serve`; each is durable (the request, its ledger entry and
//! the message to the subject in one commit) before it is answered. Prints figures and
//! asserts nothing.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;

use crate::bench::{generate_iins, ms, pct, Codes, Tailer, CODE_TIMEOUT};

#[derive(Args, Debug, Clone)]
pub struct RequestsArgs {
    /// Base URL of a running `qorgau serve`.
    #[arg(long)]
    pub url: String,
    /// The server's `file` channel outbox: the subjects' sign-in codes are read there.
    #[arg(long)]
    pub outbox: PathBuf,
    /// The organization the requests go to.
    #[arg(long)]
    pub organization_bin: String,
    /// Subjects who file: the IINs `qorgau bench consents --iin-start` generated (their
    /// contacts are proven, so they can sign in).
    #[arg(long)]
    pub iin_start: u64,
    #[arg(long, default_value_t = 256)]
    pub subjects: u64,
    #[arg(long, default_value_t = 20_000)]
    pub requests: u64,
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Open loop at this many requests per second; closed loop without it.
    #[arg(long)]
    pub rate: Option<f64>,
}

async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    codes: &Codes,
    iin: &str,
) -> Result<String, String> {
    let r: serde_json::Value = client
        .post(format!("{base}/v1/subject/sign-in"))
        .json(&serde_json::json!({ "iin": iin }))
        .send()
        .await
        .map_err(|e| format!("sign-in: {}", e.without_url()))?
        .json()
        .await
        .map_err(|e| format!("sign-in: {}", e.without_url()))?;
    let id = r["challenge_id"]
        .as_str()
        .ok_or("sign-in: no challenge")?
        .to_owned();
    let code = match tokio::time::timeout(CODE_TIMEOUT, codes.wait_for(&id)).await {
        Ok(Ok(c)) => c,
        _ => {
            codes.forget(&id);
            return Err("sign-in: no code (is the subject's contact proven?)".to_owned());
        }
    };
    let t: serde_json::Value = client
        .post(format!("{base}/v1/subject/sign-in/verify"))
        .json(&serde_json::json!({ "challenge_id": id, "code": code }))
        .send()
        .await
        .map_err(|e| format!("verify: {}", e.without_url()))?
        .json()
        .await
        .map_err(|e| format!("verify: {}", e.without_url()))?;
    t["token"]
        .as_str()
        .map(|s| format!("Bearer {s}"))
        .ok_or_else(|| "verify: no token".to_owned())
}

pub async fn requests(a: RequestsArgs) -> Result<(), String> {
    if a.requests == 0 || a.subjects == 0 || a.concurrency == 0 {
        return Err("--requests, --subjects and --concurrency must be at least 1".to_owned());
    }
    let base = a.url.trim_end_matches('/').to_owned();
    let client = crate::bench::load_client(a.concurrency)?;

    // Sign every subject in, reading their codes from the outbox as it grows.
    let tailer = Tailer::start(&a.outbox)?;
    let codes = tailer.codes.clone();
    let iins = generate_iins(a.iin_start, a.subjects)?;
    let mut tokens = Vec::with_capacity(iins.len());
    let mut signing = tokio::task::JoinSet::new();
    for chunk in iins.chunks(32) {
        for iin in chunk {
            let (client, base, codes, iin) =
                (client.clone(), base.clone(), codes.clone(), iin.clone());
            signing.spawn(async move { sign_in(&client, &base, &codes, &iin).await });
        }
        while let Some(r) = signing.join_next().await {
            tokens.push(r.map_err(|e| format!("sign-in task: {e}"))??);
        }
    }
    tailer.stop();
    let tokens = Arc::new(tokens);

    let url = format!("{base}/v1/requests");
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let start = tokio::time::Instant::now();
    let mut handles = Vec::new();
    for _ in 0..a.concurrency {
        let (client, url, tokens, next, errors) = (
            client.clone(),
            url.clone(),
            tokens.clone(),
            next.clone(),
            errors.clone(),
        );
        let (bin, total, rate) = (a.organization_bin.clone(), a.requests, a.rate);
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
                let auth = &tokens[(i % tokens.len() as u64) as usize];
                // Mostly information requests, the rest removal from public sources.
                let kind = if i % 5 == 0 {
                    "remove_from_public_sources"
                } else {
                    "information"
                };
                let body = serde_json::json!({"organization_bin": bin, "kind": kind,
                    "text": "Прошу сообщить, какие мои персональные данные обрабатываются."});
                let s = Instant::now();
                let r = client
                    .post(&url)
                    .header(reqwest::header::AUTHORIZATION, auth)
                    .json(&body)
                    .send()
                    .await;
                match r {
                    Ok(resp) if resp.status().as_u16() == 201 => {
                        let _ = resp.bytes().await;
                        lat.push(s.elapsed().as_micros() as u64);
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
    let mode = match a.rate {
        Some(r) => format!("open loop at {r:.0}/s"),
        None => format!("closed loop, {} workers", a.concurrency),
    };
    println!(
        "qorgau bench requests: {mode}, {} signed-in subjects",
        tokens.len()
    );
    println!(
        "  requests accepted     {} ({} errors)",
        lat.len(),
        errors.load(Ordering::Relaxed)
    );
    println!(
        "  requests accepted per second: {:.1}",
        lat.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "  latency               p50 {}  p90 {}  p99 {}  max {}",
        ms(pct(&lat, 50.0)),
        ms(pct(&lat, 90.0)),
        ms(pct(&lat, 99.0)),
        ms(lat.last().copied().unwrap_or(0))
    );
    let rate = lat.len() as f64 / wall.as_secs_f64();
    println!(
        "  against the target of 2,000/s: {:.1}×; against the leading open-source privacy platform's stated 20–28/s (not measured here): {:.0}–{:.0}×",
        rate / 2000.0,
        rate / 28.0,
        rate / 20.0
    );
    Ok(())
}
