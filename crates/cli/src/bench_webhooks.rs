//! `qorgau bench webhooks`: how many signed webhooks per second the dispatcher
//! delivers to a receiver on loopback, each recorded as delivered (durably) before
//! it counts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use qorgau_core::id::Bin;
use qorgau_core::org::{Dpo, OrgKind};
use qorgau_core::Clock;
use qorgau_store::orgs::NewOrganization;
use qorgau_store::{Store, StoreOptions};

#[derive(Args, Debug, Clone)]
pub struct WebhooksArgs {
    /// Webhooks to deliver.
    #[arg(long, default_value_t = 20_000)]
    pub count: usize,
    /// Database (default: a fresh SQLite file in a temporary directory).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Also deliver as many again through NATS JetStream (a fresh stream on this
    /// server, deleted after), with the relay and `--consumers` pulling dispatchers.
    #[arg(long)]
    pub nats_url: Option<String>,
    /// Dispatchers pulling from the stream's one consumer, as `serve` processes would.
    #[arg(long, default_value_t = 2)]
    pub consumers: usize,
}

/// The target of issue 5 on this machine.
const TARGET: f64 = 5_000.0;

pub async fn webhooks(a: WebhooksArgs) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = a.database_url.clone().unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("webhooks.db").display()
        )
    });
    let store = Store::open(
        &url,
        crate::bench_ledger::secrets(),
        StoreOptions::default(),
    )
    .await
    .map_err(|e| format!("{url}: {e}"))?;
    let clock: Arc<dyn Clock> = Arc::new(crate::app::SystemClock);
    let now = clock.now();

    // The receiver: answers 204 to every POST and counts.
    let seen = Arc::new(AtomicU64::new(0));
    let s = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |_body: axum::body::Bytes| {
            let s = s.clone();
            async move {
                s.fetch_add(1, Ordering::Relaxed);
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let hook = format!(
        "http://{}/hook",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let bin = Bin::parse("040840001231").map_err(|e| e.to_string())?;
    let org = match store.organization_by_bin(&bin).await {
        Ok(o) => o,
        Err(_) => store
            .create_organization(
                NewOrganization {
                    bin,
                    name: "Bench".into(),
                    kind: OrgKind::Operator,
                    dpo: Dpo {
                        name: "Bench".into(),
                        contact: qorgau_core::consent::Contact {
                            phone: None,
                            email: Some("dpo@bench.kz".into()),
                        },
                    },
                },
                now,
            )
            .await
            .map_err(|e| e.to_string())?,
    };
    store
        .create_webhook(
            org.id,
            hook,
            vec![],
            qorgau_ledger::Actor::new("bench", None),
            now,
        )
        .await
        .map_err(|e| e.to_string())?;
    let make = |n: usize| -> Vec<serde_json::Value> {
        (0..n)
            .map(|i| serde_json::json!({"consent_id": uuid::Uuid::now_v7(), "purpose": "bench", "n": i}))
            .collect()
    };
    let t0 = Instant::now();
    let queued = store
        .queue_webhook_events(org.id, "consent.withdrawn", make(a.count), now)
        .await
        .map_err(|e| e.to_string())?;
    let queue_time = t0.elapsed();

    let l10n = Arc::new(qorgau_i18n::Localizer::new().map_err(|e| e.0)?);
    let dispatcher =
        qorgau_notify::Dispatcher::new(store.clone(), Vec::new(), l10n, clock.clone())?;

    let t1 = Instant::now();
    let mut steps = Vec::new();
    loop {
        let ts = Instant::now();
        let n = dispatcher
            .run_once(clock.now())
            .await
            .map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        steps.push((n, ts.elapsed()));
    }
    let elapsed = t1.elapsed();
    let counts = store.outbox_counts().await.map_err(|e| e.to_string())?;
    let delivered = counts.get("delivered").copied().unwrap_or(0) as usize;
    let rate = delivered as f64 / elapsed.as_secs_f64();
    println!(
        "queued {queued} webhook events in {:.2} s ({:.0}/s, in the changes' transactions)",
        queue_time.as_secs_f64(),
        queued as f64 / queue_time.as_secs_f64().max(1e-9)
    );
    println!(
        "delivered {delivered} signed webhooks (HMAC-SHA256, Standard Webhooks) to a loopback receiver in {:.2} s: {rate:.0}/s; receiver saw {}",
        elapsed.as_secs_f64(),
        seen.load(Ordering::Relaxed)
    );
    let mut per: Vec<Duration> = steps.iter().map(|(_, d)| *d).collect();
    per.sort_unstable();
    if let (Some(p50), Some(max)) = (per.get(per.len() / 2), per.last()) {
        println!(
            "dispatcher steps: {} of up to {} messages; step p50 {:.1} ms, max {:.1} ms",
            steps.len(),
            qorgau_notify::BATCH,
            p50.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
    println!(
        "target {TARGET:.0}/s: {:.2}× the target{}",
        rate / TARGET,
        if delivered < queued {
            " (NOT all delivered)"
        } else {
            ""
        }
    );
    if let Some(nurl) = &a.nats_url {
        let stream = format!("QBENCH_{}", uuid::Uuid::new_v4().simple());
        let nats = Arc::new(qorgau_notify::nats::Nats::connect(nurl, &stream).await?);
        let queued2 = store
            .queue_webhook_events(org.id, "consent.withdrawn", make(a.count), clock.now())
            .await
            .map_err(|e| e.to_string())?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let t2 = Instant::now();
        let mut tasks = vec![tokio::spawn(nats.clone().run_relay(
            store.clone(),
            clock.clone(),
            crate::app::stopped(stop_rx.clone()),
        ))];
        for _ in 0..a.consumers.max(1) {
            tasks.push(tokio::spawn(nats.clone().run_consumer(
                dispatcher.clone(),
                crate::app::stopped(stop_rx.clone()),
            )));
        }
        let mut delivered2 = 0;
        while t2.elapsed() < Duration::from_secs(300) {
            let counts = store.outbox_counts().await.map_err(|e| e.to_string())?;
            delivered2 = counts.get("delivered").copied().unwrap_or(0) as usize - delivered;
            if delivered2 >= queued2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let elapsed2 = t2.elapsed();
        let _ = stop_tx.send(true);
        for t in tasks {
            let _ = t.await;
        }
        nats.delete_stream().await?;
        let rate2 = delivered2 as f64 / elapsed2.as_secs_f64();
        println!(
            "through NATS JetStream (relay + {} pulling dispatchers): delivered {delivered2} in {:.2} s: {rate2:.0}/s; {:.2}× the target, {:.2}× the database dispatcher{}",
            a.consumers.max(1),
            elapsed2.as_secs_f64(),
            rate2 / TARGET,
            rate2 / rate,
            if delivered2 < queued2 {
                " (NOT all delivered)"
            } else {
                ""
            }
        );
    }
    server.abort();
    Ok(())
}
