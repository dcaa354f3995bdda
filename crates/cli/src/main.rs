//! `qorgau`: the service for controlling access to personal data.
#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use qorgau::app::{self, AppOptions, SystemClock};
use qorgau::config::{Config, LogFormat, Mode, Overrides};
use qorgau_core::id::Bin;
use qorgau_core::org::{Dpo, OrgKind, Scope};
use qorgau_core::Clock;
use qorgau_store::orgs::NewOrganization;
use qorgau_store::Store;

/// mimalloc, not the system allocator: glibc's arenas serialize the many small allocations
/// of request handling across threads (measured in README § Benchmarks).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "qorgau",
    version,
    about = "Service for controlling access to personal data (Law of the Republic of Kazakhstan No. 94-V)"
)]
struct Cli {
    /// Configuration file (TOML).
    #[arg(long, global = true, env = "QORGAU_CONFIG")]
    config: Option<PathBuf>,
    /// Directory for the embedded database, keys and the development outbox.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// `sqlite://…` or `postgres://user@host/db`.
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service.
    Serve {
        /// Address to listen on.
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
        /// `development` or `production`.
        #[arg(long)]
        mode: Option<String>,
        /// Relay notifications through NATS JetStream (`nats://host:4222`), for
        /// several `serve` processes sharing one PostgreSQL database.
        #[arg(long)]
        nats_url: Option<String>,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Administration without the web console; prints JSON.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Record the lapses and expiries due now, then exit.
    Sweep,
    /// The verifiable ledger: verify, export evidence, checkpoint.
    #[command(subcommand)]
    Ledger(qorgau::ledger_cmd::LedgerCommand),
    /// The business-day calendar: import yearly data, show a year.
    #[command(subcommand)]
    Calendar(qorgau::calendar_cmd::CalendarCommand),
    /// Benchmarks (print figures; they assert nothing).
    #[command(subcommand)]
    Bench(qorgau::bench::BenchCommand),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Register an organization.
    CreateOrganization {
        #[arg(long)]
        bin: String,
        #[arg(long)]
        name: String,
        /// owner, operator or third_party.
        #[arg(long)]
        kind: String,
        /// The person responsible for organizing the processing (Art. 25(3)).
        #[arg(long, default_value = "Not yet named")]
        dpo_name: String,
        #[arg(long)]
        dpo_email: Option<String>,
        #[arg(long)]
        dpo_phone: Option<String>,
    },
    /// Issue an API key; the key is printed once and stored only as a hash.
    CreateApiKey {
        /// The organization's id or BIN. Leave out with --admin.
        #[arg(long, required_unless_present = "admin")]
        organization: Option<String>,
        /// A service administrator's key instead.
        #[arg(long, conflicts_with = "organization")]
        admin: bool,
        #[arg(long, default_value = "cli")]
        label: String,
        /// Scopes (repeatable); all scopes when none is given.
        #[arg(long = "scope")]
        scopes: Vec<String>,
    },
    /// List organizations.
    ListOrganizations,
    /// Create a staff account (a service administrator or inspector, or an
    /// organization's staff). Prints the single-use setup token with which the person
    /// sets their password at /v1/auth/setup; TOTP is set up at the first sign-in.
    CreateAccount {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// service_admin, inspector, org_admin, dpo or processor.
        #[arg(long)]
        role: String,
        /// The organization's id or BIN, for org_admin, dpo and processor.
        #[arg(long)]
        organization: Option<String>,
    },
    /// Reset a staff account's password and authenticator; prints a new setup token.
    ResetAccount {
        #[arg(long)]
        id: uuid::Uuid,
    },
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json = match format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stdout().is_terminal(),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("qorgau: {msg}");
    ExitCode::FAILURE
}

fn print_json(v: &impl serde::Serialize) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("qorgau: {e}"),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut over = Overrides {
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
        ..Default::default()
    };
    if let Command::Serve {
        listen,
        mode,
        nats_url,
    } = &cli.command
    {
        over.listen = *listen;
        over.nats_url = nats_url.clone();
        over.mode = match mode.as_deref() {
            None => None,
            Some("development") => Some(Mode::Development),
            Some("production") => Some(Mode::Production),
            Some(other) => return fail(format!("unknown mode {other}: development or production")),
        };
    }
    if let Command::Bench(qorgau::bench::BenchCommand::Seed(a)) = cli.command {
        let cfg = match Config::load(cli.config.as_deref(), &over) {
            Ok(c) => c,
            Err(e) => return fail(format!("configuration: {e}")),
        };
        init_logging(LogFormat::Text);
        let store = match open(&cfg).await {
            Ok(s) => s,
            Err(e) => return fail(e),
        };
        return match qorgau::bench_decisions::seed(&store, a, SystemClock.now()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        };
    }
    if let Command::Bench(b) = cli.command {
        init_logging(LogFormat::Text);
        return match qorgau::bench::run(b).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        };
    }
    // Checking a bundle needs no configuration, keys or database.
    if let Command::Ledger(qorgau::ledger_cmd::LedgerCommand::Verify {
        bundle: Some(path),
        key,
        ..
    }) = &cli.command
    {
        return match qorgau::ledger_cmd::verify_bundle_file(path, key.as_deref()) {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                println!("FAILED: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let cfg = match Config::load(cli.config.as_deref(), &over) {
        Ok(c) => c,
        Err(e) => return fail(format!("configuration: {e}")),
    };
    init_logging(cfg.log_format);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command {
        Command::Serve { .. } => serve(cfg, clock).await,
        Command::Migrate => match open(&cfg).await {
            Ok(_) => {
                eprintln!("qorgau: the database schema is up to date");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Sweep => match open(&cfg).await {
            Ok(store) => match store.sweep_consents(clock.now(), i64::MAX).await {
                Ok(r) => match store.sweep_requests(clock.now(), i64::MAX).await {
                    Ok(overdue) => match store.sweep_digests(clock.now(), i64::MAX).await {
                        Ok(digests) => {
                            print_json(&serde_json::json!({
                                "lapsed": r.lapsed,
                                "expired": r.expired,
                                "overdue_requests": overdue,
                                "digests": digests,
                            }));
                            ExitCode::SUCCESS
                        }
                        Err(e) => fail(e),
                    },
                    Err(e) => fail(e),
                },
                Err(e) => fail(e),
            },
            Err(e) => fail(e),
        },
        Command::Calendar(cmd) => match open(&cfg).await {
            Ok(store) => match qorgau::calendar_cmd::run(&store, cmd, clock.now()).await {
                Ok(out) => {
                    println!("{out}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            },
            Err(e) => fail(e),
        },
        Command::Admin(cmd) => admin(cfg, clock, cmd).await,
        Command::Ledger(cmd) => match open(&cfg).await {
            Ok(store) => match qorgau::ledger_cmd::run(&store, cmd, clock.now()).await {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(e) => fail(e),
            },
            Err(e) => fail(e),
        },
        Command::Bench(_) => ExitCode::SUCCESS,
    }
}

fn prepare(cfg: &Config) -> Result<(), String> {
    std::fs::create_dir_all(&cfg.data_dir)
        .map_err(|e| format!("{}: {}", cfg.data_dir.display(), e.kind()))
}

async fn open(cfg: &Config) -> Result<Store, String> {
    prepare(cfg)?;
    let secrets = app::secrets(cfg)?;
    Store::open(&cfg.database_url(), secrets, app::store_options(cfg))
        .await
        .map_err(|e| format!("cannot open the database: {e}"))
}

async fn serve(cfg: Config, clock: Arc<dyn Clock>) -> ExitCode {
    let file_channel = match cfg.file_channel() {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    if let Err(e) = prepare(&cfg) {
        return fail(e);
    }
    let secrets = match app::secrets(&cfg) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let adequate_countries = match cfg.adequate_countries() {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let deadlines = match cfg.deadlines() {
        Ok(d) => d,
        Err(e) => return fail(format!("configuration: {e}")),
    };
    let running = match app::start(AppOptions {
        database_url: cfg.database_url(),
        secrets,
        file_channel: file_channel.clone(),
        clock: clock.clone(),
        listen: cfg.listen,
        settings: qorgau_server::Settings {
            max_body_bytes: cfg.max_body_bytes,
            adequate_countries,
            client_ip_header: match cfg.client_ip_header() {
                Ok(h) => h,
                Err(e) => return fail(e),
            },
        },
        store: app::store_options(&cfg),
        background: Some(Duration::from_secs(cfg.sweep_interval_seconds.max(1))),
        checkpoint_interval: Duration::from_secs(cfg.ledger_checkpoint_seconds.max(1)),
        deadlines,
        channels: match cfg.channels() {
            Ok(c) => c,
            Err(e) => return fail(e),
        },
        nats: match cfg.nats() {
            Ok(n) => n,
            Err(e) => return fail(e),
        },
        prewarm: cfg.prewarm,
    })
    .await
    {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let base = format!("http://{}", running.addr);
    println!("Qorgau is listening on {base}  (OpenAPI: {base}/v1/openapi.json)");
    println!("Database: {}", redact_url(&cfg.database_url()));
    if cfg.mode == Mode::Development {
        println!();
        println!("!!! DEVELOPMENT MODE — not for real personal data.");
        println!(
            "!!! Keys were generated in {} and every outgoing message,",
            cfg.data_dir.display()
        );
        if let Some(f) = &file_channel {
            println!("!!! one-time codes included, is written to {}", f.display());
        }
        println!();
    }
    match bootstrap_admin(&running.store, clock.as_ref()).await {
        Ok(Some(token)) => {
            println!("Bootstrap administrator API key (shown once, stored hashed):");
            println!("  {token}");
            println!("Use it as `Authorization: Bearer <key>` to register organizations.");
        }
        Ok(None) => {}
        Err(e) => return fail(e),
    }
    tracing::info!(addr = %running.addr, mode = ?cfg.mode, "serving");
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.stop().await;
    ExitCode::SUCCESS
}

/// Issue the first administrator key, once per database.
async fn bootstrap_admin(store: &Store, clock: &dyn Clock) -> Result<Option<String>, String> {
    if store.has_admin_key().await.map_err(|e| e.to_string())? {
        return Ok(None);
    }
    let now = clock.now();
    if !store
        .init_setting("bootstrap_admin_issued_at", &now.to_string())
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(None);
    }
    let (_, token) = store
        .create_api_key(
            None,
            "bootstrap".into(),
            Vec::new(),
            qorgau_ledger::Actor::new("cli", None),
            now,
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(Some(token))
}

fn redact_url(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_owned(),
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn admin(cfg: Config, clock: Arc<dyn Clock>, cmd: AdminCommand) -> ExitCode {
    let store = match open(&cfg).await {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let now = clock.now();
    let result: Result<serde_json::Value, String> = async {
        match cmd {
            AdminCommand::CreateOrganization {
                bin,
                name,
                kind,
                dpo_name,
                dpo_email,
                dpo_phone,
            } => {
                let bin = Bin::parse(&bin).map_err(|_| "the BIN is not valid".to_owned())?;
                let kind =
                    OrgKind::parse(&kind).ok_or("kind must be owner, operator or third_party")?;
                let dpo = Dpo {
                    name: dpo_name,
                    contact: qorgau_core::consent::Contact {
                        phone: dpo_phone,
                        email: dpo_email,
                    },
                };
                let org = store
                    .create_organization(
                        NewOrganization {
                            bin,
                            name,
                            kind,
                            dpo,
                        },
                        now,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                serde_json::to_value(org).map_err(|e| e.to_string())
            }
            AdminCommand::CreateApiKey {
                organization,
                admin: _,
                label,
                scopes,
            } => {
                let org = match organization {
                    None => None,
                    Some(o) => Some(app::organization_id(&store, &o).await?),
                };
                let scopes = scopes
                    .iter()
                    .map(|s| Scope::parse(s).ok_or_else(|| format!("unknown scope {s}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let (key, token) = store
                    .create_api_key(org, label, scopes, qorgau_ledger::Actor::new("cli", None), now)
                    .await
                    .map_err(|e| e.to_string())?;
                let mut v = serde_json::to_value(key).map_err(|e| e.to_string())?;
                v["token"] = serde_json::Value::String(token);
                Ok(v)
            }
            AdminCommand::CreateAccount {
                email,
                name,
                role,
                organization,
            } => {
                let role = qorgau_core::auth::Role::parse(&role).ok_or(
                    "role must be service_admin, inspector, org_admin, dpo or processor",
                )?;
                let organization_id = match organization {
                    None => None,
                    Some(o) => Some(app::organization_id(&store, &o).await?),
                };
                let (account, token, expires) = store
                    .create_account(
                        qorgau_store::accounts::NewAccount {
                            email,
                            name,
                            role,
                            organization_id,
                        },
                        qorgau_ledger::Actor::new("cli", None),
                        now,
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                let mut v = serde_json::to_value(account).map_err(|e| e.to_string())?;
                v["setup_token"] = serde_json::Value::String(token);
                v["setup_expires_at"] = serde_json::Value::String(expires.to_string());
                Ok(v)
            }
            AdminCommand::ResetAccount { id } => {
                let (token, expires) = store
                    .reset_account(id, None, qorgau_ledger::Actor::new("cli", None), now)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(serde_json::json!({"id": id, "setup_token": token, "setup_expires_at": expires.to_string()}))
            }
            AdminCommand::ListOrganizations => serde_json::to_value(
                store
                    .list_organizations()
                    .await
                    .map_err(|e| e.to_string())?,
            )
            .map_err(|e| e.to_string()),
        }
    }
    .await;
    match result {
        Ok(v) => {
            print_json(&v);
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
