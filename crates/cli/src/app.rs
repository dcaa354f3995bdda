//! Assembling the service: store, channels, dispatcher, sweeper, HTTP server.
//! `qorgau serve` and the test harness start it the same way.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use jiff::Timestamp;
use qorgau_core::consent::CodePolicy;
use qorgau_core::crypto::{Keyring, SecretKey};
use qorgau_core::receipt::ServiceKey;
use qorgau_core::Clock;
use qorgau_notify::{Channel, Dispatcher, FileChannel};
use qorgau_server::{App, AppState, Settings};
use qorgau_store::{Secrets, Store, StoreOptions};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::{Config, Mode};

/// The most new ledger entries one round of the history indexer makes into a run.
const HISTORY_BATCH: u64 = 50_000;
/// The pointers one merge step of the history index moves (one short change each).
const HISTORY_MERGE_STEP: u64 = 4_096;
/// Merge steps per round of the indexer, at most.
const HISTORY_STEPS_PER_ROUND: usize = 64;

/// An organization named by its id or its BIN, as the commands take it.
pub async fn organization_id(store: &Store, id_or_bin: &str) -> Result<uuid::Uuid, String> {
    if let Ok(id) = uuid::Uuid::try_parse(id_or_bin) {
        return Ok(id);
    }
    let bin = qorgau_core::id::Bin::parse(id_or_bin)
        .map_err(|_| "--organization takes an id or a BIN".to_owned())?;
    Ok(store
        .organization_by_bin(&bin)
        .await
        .map_err(|e| e.to_string())?
        .id)
}

/// The wall clock. The only place that reads the time; everything else is given it.
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

pub struct AppOptions {
    pub database_url: String,
    pub secrets: Secrets,
    pub file_channel: Option<PathBuf>,
    pub clock: Arc<dyn Clock>,
    pub listen: SocketAddr,
    pub settings: Settings,
    pub store: StoreOptions,
    /// Run the dispatcher and the sweeper in the background (the sweep interval).
    /// Tests leave this off and call the steps themselves.
    pub background: Option<Duration>,
    /// With the background tasks: issue a ledger checkpoint this often when entries
    /// were added since the last one.
    pub checkpoint_interval: Duration,
    /// How deadlines are counted.
    pub deadlines: qorgau_core::calendar::DeadlineClock,
    /// Channels to people beside the `file` channel: they take the media they carry
    /// before it.
    pub channels: ChannelOptions,
    /// The NATS JetStream transport `(url, stream)`; without it the dispatcher works
    /// from the database outbox alone.
    pub nats: Option<(String, String)>,
    /// With the background tasks: read the decisions' indexes into the page cache at
    /// start (SQLite).
    pub prewarm: bool,
}

/// Email and SMS delivery.
#[derive(Debug, Clone, Default)]
pub struct ChannelOptions {
    /// `(smtp_url, smtp_from)`.
    pub smtp: Option<(String, String)>,
    /// `(url, header, body template)`.
    pub sms_gateway: Option<(String, Option<String>, Option<String>)>,
}

/// The calendar in force: the shipped data with the years an administrator imported.
pub async fn calendar_in_force(
    store: &Store,
) -> Result<
    (
        qorgau_core::calendar::Calendar,
        Option<qorgau_core::calendar::CalendarData>,
    ),
    String,
> {
    use qorgau_core::calendar::{Calendar, CalendarData, SHIPPED};
    let shipped = CalendarData::parse(SHIPPED).map_err(|e| format!("shipped calendar: {e}"))?;
    let imported = store
        .imported_calendar()
        .await
        .map_err(|e| format!("cannot read the calendar: {e}"))?;
    let data = match &imported {
        Some(i) => shipped.merged(i),
        None => shipped,
    };
    Ok((Calendar::new(&data), imported))
}

pub struct Running {
    pub addr: SocketAddr,
    pub store: Store,
    pub dispatcher: Dispatcher,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stop accepting requests, finish those in flight, stop the background tasks.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// Resolves once `stop` is sent (or the sender is gone).
pub(crate) async fn stopped(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

pub async fn start(o: AppOptions) -> Result<Running, String> {
    let store = Store::open(&o.database_url, o.secrets, o.store)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    store
        .seed_default_categories(o.clock.now())
        .await
        .map_err(|e| format!("cannot seed the catalogue: {e}"))?;
    let l10n = Arc::new(qorgau_i18n::Localizer::new().map_err(|e| format!("locales: {}", e.0))?);
    let mut channels: Vec<Arc<dyn Channel>> = Vec::new();
    if let Some((url, from)) = &o.channels.smtp {
        channels.push(Arc::new(qorgau_notify::channels::SmtpChannel::new(
            url, from,
        )?));
    }
    if let Some((url, header, template)) = &o.channels.sms_gateway {
        channels.push(Arc::new(qorgau_notify::channels::SmsGatewayChannel::new(
            url,
            header.as_deref(),
            template.as_deref(),
        )?));
    }
    if let Some(path) = &o.file_channel {
        channels.push(Arc::new(FileChannel::new(path.clone()).map_err(|e| {
            format!("file channel {}: {}", path.display(), e.kind())
        })?));
    }
    let released = store
        .release_stale_leases()
        .await
        .map_err(|e| format!("cannot release the outbox's stale leases: {e}"))?;
    if released > 0 {
        tracing::warn!(
            released,
            "messages claimed by a stopped process are queued again"
        );
    }
    let dispatcher = Dispatcher::new(store.clone(), channels, l10n.clone(), o.clock.clone())?;
    let nats = match &o.nats {
        Some((url, stream)) => Some(Arc::new(
            qorgau_notify::nats::Nats::connect(url, stream).await?,
        )),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(o.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {}", o.listen, e.kind()))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (calendar, mut imported) = calendar_in_force(&store).await?;
    let year = o.clock.now().to_zoned(o.deadlines.tz.clone()).year();
    for y in [year, year + 1] {
        if !calendar.year_known(y) {
            tracing::warn!(
                year = y,
                "the calendar has no data for this year (Kurban Ait, transfers of days off): deadlines follow the fixed rules only; import it with `qorgau calendar import`"
            );
        }
    }
    let app = App(Arc::new(AppState {
        store: store.clone(),
        clock: o.clock.clone(),
        l10n,
        settings: o.settings,
        calendar: std::sync::RwLock::new(Arc::new(calendar)),
        deadlines: o.deadlines,
    }));
    let app_for_sweep = app.clone();
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = Vec::new();
    let router = qorgau_server::router(app);
    let shutdown = stopped(stop_rx.clone());
    tasks.push(tokio::spawn(async move {
        if let Err(e) = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        {
            tracing::error!(error = %e, "HTTP server failed");
        }
    }));
    if o.background.is_some() && o.prewarm {
        // While it runs the service answers as usual, reading from disk what is not in
        // memory yet. A stop does not wait for it (it only reads).
        let (s, mut rx) = (store.clone(), stop_rx.clone());
        tasks.push(tokio::spawn(async move {
            let started = std::time::Instant::now();
            let result = tokio::select! {
                r = s.prewarm_decisions() => r,
                _ = rx.changed() => return,
            };
            match result {
                Ok(Some(p)) => tracing::info!(
                    subjects = p.subjects,
                    consents = p.consents,
                    seconds = started.elapsed().as_secs_f64(),
                    "decision indexes prewarmed"
                ),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "prewarming the decision indexes failed"),
            }
        }));
    }
    if o.background.is_some() {
        let (s, clock, mut rx) = (store.clone(), o.clock.clone(), stop_rx.clone());
        let every = o.checkpoint_interval;
        tasks.push(tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = rx.changed() => return,
                }
                if let Err(e) = s.ledger_checkpoint(clock.now()).await {
                    tracing::error!(error = %e, "checkpoint failed");
                }
            }
        }));
        // The subjects' history index: four times a second the new entries become a run of
        // their own, then runs are merged, in steps of a few thousand pointers each.
        let (s, mut rx) = (store.clone(), stop_rx.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                    _ = rx.changed() => return,
                }
                if let Err(e) = s.index_subjects(HISTORY_BATCH).await {
                    tracing::error!(error = %e, "history indexing failed");
                    continue;
                }
                // Bounded per round, so that a long merge does not starve the indexing.
                for _ in 0..HISTORY_STEPS_PER_ROUND {
                    if rx.has_changed().unwrap_or(true) {
                        return;
                    }
                    match s.merge_history(HISTORY_MERGE_STEP).await {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => {
                            tracing::error!(error = %e, "history merging failed");
                            break;
                        }
                    }
                }
            }
        }));
    }
    if let Some(interval) = o.background {
        match &nats {
            Some(n) => {
                tasks.push(tokio::spawn(n.clone().run_relay(
                    store.clone(),
                    o.clock.clone(),
                    stopped(stop_rx.clone()),
                )));
                tasks.push(tokio::spawn(
                    n.clone()
                        .run_consumer(dispatcher.clone(), stopped(stop_rx.clone())),
                ));
            }
            None => tasks.push(tokio::spawn(
                dispatcher.clone().run(stopped(stop_rx.clone())),
            )),
        }
        let (s, clock, mut rx) = (store.clone(), o.clock.clone(), stop_rx.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                match s.sweep_consents(clock.now(), 1000).await {
                    Ok(r) if r.lapsed + r.expired > 0 => {
                        tracing::info!(lapsed = r.lapsed, expired = r.expired, "consents swept")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "sweep failed"),
                }
                match s.sweep_requests(clock.now(), 1000).await {
                    Ok(n) if n > 0 => {
                        tracing::warn!(overdue = n, "requests past their deadline flagged")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "request sweep failed"),
                }
                match s.sweep_digests(clock.now(), 1000).await {
                    Ok(n) if n > 0 => tracing::info!(digests = n, "daily digests queued"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "digest sweep failed"),
                }
                // Calendar data imported by another process (`qorgau calendar import`).
                match s.imported_calendar().await {
                    Ok(now_imported) if now_imported != imported => {
                        match calendar_in_force(&s).await {
                            Ok((cal, i)) => {
                                tracing::info!(version = cal.version(), "calendar data reloaded");
                                app_for_sweep.set_calendar(cal);
                                imported = i;
                            }
                            Err(e) => tracing::error!(error = %e, "calendar reload failed"),
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "calendar reload failed"),
                }
                tokio::select! {
                    _ = tokio::time::sleep(interval) => {}
                    _ = rx.changed() => return,
                }
            }
        }));
    }
    Ok(Running {
        addr,
        store,
        dispatcher,
        stop: stop_tx,
        tasks,
    })
}

fn decode_key(what: &str, b64: &str) -> Result<[u8; 32], String> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| format!("{what} is not base64"))?;
    raw.try_into()
        .map_err(|_| format!("{what} must be 32 bytes"))
}

/// Development mode only: read a key file in the data directory, or create it (0600).
/// Production takes keys from the configuration (`master_key`, `QORGAU_MASTER_KEY_FILE`,
/// …) and never from files beside the database, which would travel with its backups.
fn key_file(path: &Path, mode: Mode, what: &str) -> Result<[u8; 32], String> {
    if mode == Mode::Production {
        return Err(format!("{what} is not configured; production never generates keys nor reads them from the data directory"));
    }
    if path.exists() {
        let s = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {}", path.display(), e.kind()))?;
        return decode_key(what, &s);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {}", dir.display(), e.kind()))?;
    }
    let key = *SecretKey::generate().as_bytes();
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    use std::io::Write;
    let mut f = opts
        .open(path)
        .map_err(|e| format!("{}: {}", path.display(), e.kind()))?;
    f.write_all(
        base64::engine::general_purpose::STANDARD
            .encode(key)
            .as_bytes(),
    )
    .and_then(|_| f.sync_all())
    .map_err(|e| format!("{}: {}", path.display(), e.kind()))?;
    Ok(key)
}

/// The master and signing keys: from the configuration, else (development) from key
/// files in the data directory, generated on first start.
pub fn secrets(cfg: &Config) -> Result<Secrets, String> {
    let master = match &cfg.master_key {
        Some(k) => decode_key("master_key", k)?,
        None => key_file(&cfg.data_dir.join("master.key"), cfg.mode, "master_key")?,
    };
    let signing = match &cfg.signing_key {
        Some(k) => decode_key("signing_key", k)?,
        None => key_file(&cfg.data_dir.join("signing.key"), cfg.mode, "signing_key")?,
    };
    Ok(Secrets {
        keyring: Keyring::new(SecretKey::from_bytes(master)),
        signing: ServiceKey::from_seed(signing),
    })
}

pub fn store_options(cfg: &Config) -> StoreOptions {
    StoreOptions {
        read_connections: cfg.read_connections.max(1),
        max_group: cfg.group_commit_max.max(1),
        code_policy: CodePolicy {
            ttl: jiff::SignedDuration::from_mins(i64::from(cfg.code_ttl_minutes.clamp(1, 24 * 60))),
            ..CodePolicy::default()
        },
        ledger: qorgau_store::ledger::LedgerOptions {
            origin: cfg.ledger_origin.clone(),
            checkpoint_every: cfg.ledger_checkpoint_entries.max(1),
        },
    }
}
