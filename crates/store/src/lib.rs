//! Qorgau's persistence.
//!
//! One SQL dialect runs on both backends through `sqlx::Any`: SQLite (the embedded
//! default) and PostgreSQL. Only the migrations differ per backend. Every change goes
//! through one writer task that groups concurrent changes into one transaction
//! (group commit): each change runs inside its own savepoint, so a failing change is
//! rolled back alone, and nobody is answered before the whole group is committed.
//! SQLite runs in WAL mode with `synchronous=FULL`, so a commit is on disk.
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use jiff::Timestamp;
use qorgau_core::crypto::Keyring;
use qorgau_core::receipt::ServiceKey;
use qorgau_core::{Error, ErrorCode};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection};
use tokio::sync::{mpsc, oneshot, Notify};

mod cache;
pub mod catalogue;
pub mod consents;
pub mod decisions;
pub mod orgs;
pub mod outbox;
pub mod sessions;
pub mod subjects;

pub use sqlx::AnyConnection as Conn;

static MIGRATE_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATE_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The secrets the store needs: the master key (for personal data) and the service's
/// signing key (for receipts).
#[derive(Clone, Debug)]
pub struct Secrets {
    pub keyring: Keyring,
    pub signing: ServiceKey,
}

/// Tunables of the store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    pub read_connections: u32,
    /// The most changes committed in one transaction.
    pub max_group: usize,
    pub code_policy: qorgau_core::consent::CodePolicy,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            read_connections: 8,
            max_group: 512,
            code_policy: Default::default(),
        }
    }
}

type Finisher = Box<dyn FnOnce(Result<(), Error>) + Send>;
type Job = Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, (bool, Finisher)> + Send>;

/// A handle on the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    pool: AnyPool,
    writer: mpsc::Sender<Job>,
    backend: Backend,
    secrets: Secrets,
    options: StoreOptions,
    /// Woken after every commit that queued outgoing messages.
    outbox_ready: Notify,
    cache: cache::Cache,
}

const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
];

impl Store {
    /// Connect, run the migrations, and start the writer.
    pub async fn open(url: &str, secrets: Secrets, options: StoreOptions) -> Result<Store, Error> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)
            .ok_or_else(|| Error::new(ErrorCode::ValidationFailed).at("database_url"))?;
        let connect: AnyConnectOptions = url.parse().map_err(|e: sqlx::Error| {
            tracing::error!(error = %e, "invalid database URL");
            Error::new(ErrorCode::ValidationFailed).at("database_url")
        })?;
        let connect = connect.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(options.read_connections + 1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            // No ping on every acquire: a broken connection fails its statement, which
            // is answered as `unavailable`, and the pool replaces it. The ping cost a
            // round trip to SQLite's worker thread on every read.
            .test_before_acquire(false)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for p in SQLITE_PRAGMAS {
                            sqlx::query(p).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(connect)
            .await
            .map_err(db)?;
        let migrator = match backend {
            Backend::Sqlite => &MIGRATE_SQLITE,
            Backend::Postgres => &MIGRATE_POSTGRES,
        };
        migrator.run(&pool).await.map_err(|e| {
            tracing::error!(error = %e, "migration failed");
            Error::new(ErrorCode::Unavailable)
        })?;
        let writer_conn = pool.acquire().await.map_err(db)?.detach();
        let (tx, rx) = mpsc::channel::<Job>(options.max_group * 8);
        let store = Store {
            inner: Arc::new(Inner {
                pool,
                writer: tx,
                backend,
                secrets,
                options,
                outbox_ready: Notify::new(),
                cache: Default::default(),
            }),
        };
        let max_group = store.inner.options.max_group;
        tokio::spawn(writer_loop(writer_conn, rx, max_group));
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    pub fn secrets(&self) -> &Secrets {
        &self.inner.secrets
    }

    pub fn options(&self) -> &StoreOptions {
        &self.inner.options
    }

    pub fn pool(&self) -> &AnyPool {
        &self.inner.pool
    }

    /// Wait until a commit queues outgoing messages (or `timeout` passes).
    pub async fn outbox_wait(&self, timeout: Duration) {
        let _ = tokio::time::timeout(timeout, self.inner.outbox_ready.notified()).await;
    }

    pub(crate) fn outbox_wake(&self) {
        self.inner.outbox_ready.notify_one();
    }

    /// Run one change inside the next group commit. Its result is returned only once
    /// the group that carried it is durably committed; an `Err` rolls back this change
    /// alone.
    pub async fn write<T, F>(&self, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, Error>>
            + Send
            + 'static,
    {
        let (tx, rx) = oneshot::channel::<Result<T, Error>>();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                match f(conn).await {
                    Ok(v) => {
                        let fin: Finisher = Box::new(move |committed| {
                            let _ = tx.send(committed.map(|()| v));
                        });
                        (true, fin)
                    }
                    Err(e) => {
                        let fin: Finisher = Box::new(move |_| {
                            let _ = tx.send(Err(e));
                        });
                        (false, fin)
                    }
                }
            })
        });
        self.inner
            .writer
            .send(job)
            .await
            .map_err(|_| Error::new(ErrorCode::Unavailable))?;
        rx.await.map_err(|_| Error::new(ErrorCode::Unavailable))?
    }

    /// A connection for reading.
    pub async fn reader(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, Error> {
        self.inner.pool.acquire().await.map_err(db)
    }

    /// Readiness: the database answers.
    pub async fn ping(&self) -> Result<(), Error> {
        let mut c = self.reader().await?;
        sqlx::query("SELECT 1").execute(&mut *c).await.map_err(db)?;
        Ok(())
    }

    pub async fn get_setting(&self, key: &str) -> Result<Option<String>, Error> {
        let mut c = self.reader().await?;
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *c)
            .await
            .map_err(db)?;
        Ok(row.map(|r| r.0))
    }

    /// Set a setting only if it is not set yet; true if this call set it.
    pub async fn init_setting(&self, key: &str, value: &str) -> Result<bool, Error> {
        let (k, v) = (key.to_owned(), value.to_owned());
        self.write(move |c| {
            Box::pin(async move {
                let r = sqlx::query(
                    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                )
                .bind(k)
                .bind(v)
                .execute(&mut *c)
                .await
                .map_err(db)?;
                Ok(r.rows_affected() == 1)
            })
        })
        .await
    }
}

async fn writer_loop(mut conn: AnyConnection, mut rx: mpsc::Receiver<Job>, max_group: usize) {
    let mut batch: Vec<Job> = Vec::with_capacity(max_group);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < max_group {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut finishers: Vec<Finisher> = Vec::with_capacity(batch.len());
        let outcome = run_group(&mut conn, &mut batch, &mut finishers).await;
        if let Err(e) = &outcome {
            tracing::error!(error = %e, jobs = finishers.len() + batch.len(), "group commit failed");
        }
        let result = outcome.map_err(|_| Error::new(ErrorCode::Unavailable));
        for fin in finishers {
            fin(result.clone());
        }
        // Jobs never started (the group failed before them) are answered too.
        for job in batch.drain(..) {
            drop(job);
        }
        if result.is_err() {
            // The connection may be broken; make sure the next group starts clean.
            let _ = sqlx::query("ROLLBACK").execute(&mut conn).await;
        }
    }
}

async fn run_group(
    conn: &mut AnyConnection,
    batch: &mut Vec<Job>,
    finishers: &mut Vec<Finisher>,
) -> Result<(), sqlx::Error> {
    let mut tx = conn.begin().await?;
    for job in batch.drain(..) {
        let mut sp = tx.begin().await?;
        let (ok, fin) = job(&mut sp).await;
        finishers.push(fin);
        if ok {
            sp.commit().await?;
        } else {
            sp.rollback().await?;
        }
    }
    tx.commit().await
}

/// Map a database error to the service's error, logging it without data.
pub fn db(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            tracing::error!(error = %e, "database unavailable");
            Error::new(ErrorCode::Unavailable)
        }
        _ => {
            tracing::error!(kind = ?kind(&e), "database error");
            Error::internal()
        }
    }
}

fn kind(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(d) => format!("{:?} {:?}", d.kind(), d.code()),
        other => other.to_string(),
    }
}

/// True when `e` is a unique-constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Timestamps are stored as microseconds since the epoch.
pub fn ts_to_db(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn ts_from_db(v: i64) -> Timestamp {
    Timestamp::from_microsecond(v).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// Serialize to JSON for a TEXT column.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<String, Error> {
    serde_json::to_string(v).map_err(|_| Error::internal())
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, Error> {
    serde_json::from_str(s).map_err(|e| {
        tracing::error!(error = %e, "stored JSON does not parse");
        Error::internal()
    })
}

/// Pagination cursor: (created_at, id) of the last item seen.
pub fn encode_cursor(created_at: i64, id: &str) -> String {
    use std::fmt::Write;
    let raw = format!("{created_at}:{id}");
    raw.bytes().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub fn decode_cursor(c: &str) -> Result<(i64, String), Error> {
    let bad = || Error::new(ErrorCode::InvalidCursor).at("cursor");
    if !c.len().is_multiple_of(2) || c.len() > 200 {
        return Err(bad());
    }
    let bytes = (0..c.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&c[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| bad())?;
    let s = String::from_utf8(bytes).map_err(|_| bad())?;
    let (t, id) = s.split_once(':').ok_or_else(bad)?;
    Ok((t.parse().map_err(|_| bad())?, id.to_owned()))
}
