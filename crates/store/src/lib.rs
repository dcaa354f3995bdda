//! Qorgau's persistence.
//!
//! One SQL dialect runs on both backends through [`db`]: SQLite (the embedded default,
//! through rusqlite, synchronously) and PostgreSQL (through sqlx). Only the migrations
//! differ per backend. Every change goes
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
use tokio::sync::{mpsc, oneshot, Notify};

pub mod accounts;
mod cache;
pub mod catalogue;
pub mod consents;
pub mod db;
pub mod decisions;
pub mod ledger;
pub mod orgs;
pub mod outbox;
pub mod processing;
pub mod requests;
pub mod sessions;
pub mod subjects;
pub mod webhooks;

pub use db::{Conn, DbError};

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
    pub ledger: ledger::LedgerOptions,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            read_connections: 8,
            max_group: 512,
            code_policy: Default::default(),
            ledger: Default::default(),
        }
    }
}

type Finisher = Box<dyn FnOnce(Result<(), Error>) + Send>;
type Job = Box<dyn for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, (bool, Finisher)> + Send>;

/// A handle on the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Arc<db::Pool>,
    writer: mpsc::Sender<Job>,
    backend: Backend,
    secrets: Secrets,
    options: StoreOptions,
    /// Woken after every commit that queued outgoing messages.
    outbox_ready: Notify,
    cache: cache::Cache,
    /// Signs the ledger's checkpoints.
    checkpoint_signer: Arc<qorgau_ledger::NoteSigner>,
}

impl Store {
    /// Connect, run the migrations, and start the writer. On SQLite the writer runs on a
    /// thread of its own, so that its fsyncs never hold up request handling.
    pub async fn open(url: &str, secrets: Secrets, options: StoreOptions) -> Result<Store, Error> {
        let opener = db::Opener::new(url)
            .map_err(|_| Error::new(ErrorCode::ValidationFailed).at("database_url"))?;
        let backend = opener.backend();
        let mut writer_conn = opener.open().await.map_err(db)?;
        if backend == Backend::Sqlite {
            // WAL checkpoints run on their own thread (below); the writer only steps in
            // should the WAL pass 64 MiB. (A larger page cache for the writer was tried: a
            // commit walks the whole cache, which cost more than the spills it saved.)
            writer_conn
                .batch("PRAGMA wal_autocheckpoint = 16384")
                .await
                .map_err(db)?;
        }
        let applied = db::migrate(&mut writer_conn).await.map_err(|e| {
            tracing::error!(error = %e, "migration failed");
            Error::new(ErrorCode::Unavailable)
        })?;
        if !applied.is_empty() {
            tracing::info!(?applied, "migrations applied");
        }
        let pool = Arc::new(db::Pool::new(
            opener.clone(),
            options.read_connections as usize,
        ));
        let (tx, rx) = mpsc::channel::<Job>(options.max_group * 8);
        let max_group = options.max_group;
        let checkpoint_every = options.ledger.checkpoint_every;
        let checkpoint_signer = Arc::new(ledger::signer(&secrets, &options.ledger.origin)?);
        let store = Store {
            inner: Arc::new(Inner {
                pool,
                writer: tx,
                backend,
                secrets,
                options,
                outbox_ready: Notify::new(),
                cache: Default::default(),
                checkpoint_signer: checkpoint_signer.clone(),
            }),
        };
        let ledger = (checkpoint_signer, checkpoint_every);
        match backend {
            Backend::Sqlite => {
                // Checkpoints (copying the WAL back into the database) run on a thread
                // of their own, so the writer does not stop for them; the writer still
                // checkpoints by itself should the WAL pass 64 MiB.
                let mut ck = opener.open().await.map_err(db)?;
                let alive = Arc::downgrade(&store.inner);
                let ck_rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .map_err(|_| Error::new(ErrorCode::Unavailable))?;
                std::thread::Builder::new()
                    .name("qorgau-checkpointer".to_owned())
                    .spawn(move || {
                        while alive.strong_count() > 0 {
                            std::thread::sleep(Duration::from_millis(200));
                            if let Err(e) =
                                ck_rt.block_on(ck.batch("PRAGMA wal_checkpoint(PASSIVE)"))
                            {
                                tracing::warn!(error = %e, "WAL checkpoint failed");
                            }
                        }
                    })
                    .map_err(|_| Error::new(ErrorCode::Unavailable))?;
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .map_err(|_| Error::new(ErrorCode::Unavailable))?;
                std::thread::Builder::new()
                    .name("qorgau-writer".to_owned())
                    .spawn(move || {
                        rt.block_on(writer_loop(writer_conn, rx, max_group, opener, ledger))
                    })
                    .map_err(|_| Error::new(ErrorCode::Unavailable))?;
            }
            Backend::Postgres => {
                tokio::spawn(writer_loop(writer_conn, rx, max_group, opener, ledger));
            }
        }
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

    /// The key that signs the ledger's checkpoints (its verifier is published).
    pub fn checkpoint_signer(&self) -> &qorgau_ledger::NoteSigner {
        &self.inner.checkpoint_signer
    }

    pub(crate) fn checkpoint_signer_arc(&self) -> Arc<qorgau_ledger::NoteSigner> {
        self.inner.checkpoint_signer.clone()
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
        F: for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, Result<T, Error>> + Send + 'static,
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
        let result = rx.await.map_err(|_| Error::new(ErrorCode::Unavailable))?;
        if crate::outbox::QUEUED.swap(false, std::sync::atomic::Ordering::AcqRel) {
            self.outbox_wake();
        }
        result
    }

    /// A connection for reading.
    pub async fn reader(&self) -> Result<db::PoolConn, Error> {
        self.inner.pool.acquire().await.map_err(db)
    }

    /// Readiness: the database answers.
    pub async fn ping(&self) -> Result<(), Error> {
        let mut c = self.reader().await?;
        db::query("SELECT 1").fetch_all(&mut c).await.map_err(db)?;
        Ok(())
    }

    pub async fn get_setting(&self, key: &str) -> Result<Option<String>, Error> {
        let mut c = self.reader().await?;
        let row: Option<(String,)> = db::query_as("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut c)
            .await
            .map_err(db)?;
        Ok(row.map(|r| r.0))
    }

    /// Set a setting only if it is not set yet; true if this call set it.
    pub async fn init_setting(&self, key: &str, value: &str) -> Result<bool, Error> {
        let (k, v) = (key.to_owned(), value.to_owned());
        self.write(move |c| {
            Box::pin(async move {
                let r = db::query(
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

async fn writer_loop(
    mut conn: Conn,
    mut rx: mpsc::Receiver<Job>,
    max_group: usize,
    opener: db::Opener,
    ledger: (Arc<qorgau_ledger::NoteSigner>, u64),
) {
    let begin = match conn.backend() {
        // Take the write lock at once rather than on the first write.
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    };
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
        let outcome = run_group(&mut conn, begin, &mut batch, &mut finishers, &ledger).await;
        // The next group reads the ledger's edge afresh (another process may append).
        conn.ledger = None;
        if let Err(e) = &outcome {
            tracing::error!(error = %e, jobs = finishers.len() + batch.len(), "group commit failed");
        }
        let failed = outcome.is_err();
        let result = outcome.map_err(|_| Error::new(ErrorCode::Unavailable));
        for fin in finishers {
            fin(result.clone());
        }
        // Jobs never started (the group failed before them) are answered too.
        for job in batch.drain(..) {
            drop(job);
        }
        if failed {
            // Make sure the next group starts clean, on a working connection.
            if db::query("ROLLBACK").execute(&mut conn).await.is_err() {
                match opener.open().await {
                    Ok(c) => conn = c,
                    Err(e) => tracing::error!(error = %e, "cannot reopen the writer's connection"),
                }
            }
        }
    }
}

async fn run_group(
    conn: &mut Conn,
    begin: &str,
    batch: &mut Vec<Job>,
    finishers: &mut Vec<Finisher>,
    ledger: &(Arc<qorgau_ledger::NoteSigner>, u64),
) -> Result<(), DbError> {
    db::query(begin).execute(conn).await?;
    conn.ledger = None;
    for job in batch.drain(..) {
        db::query("SAVEPOINT change").execute(conn).await?;
        // A change rolled back takes its ledger entries with it.
        let before = conn.ledger.as_ref().map(|t| t.mark());
        let (ok, fin) = job(conn).await;
        finishers.push(fin);
        if !ok {
            db::query("ROLLBACK TO SAVEPOINT change")
                .execute(conn)
                .await?;
            match (before, conn.ledger.as_mut()) {
                (Some(m), Some(t)) => t.reset(m),
                // The change loaded the edge itself: nothing appended before it.
                (None, _) => conn.ledger = None,
                (Some(_), None) => {}
            }
        }
        db::query("RELEASE SAVEPOINT change").execute(conn).await?;
    }
    ledger::before_commit(conn, &ledger.0, ledger.1).await?;
    db::query("COMMIT").execute(conn).await?;
    Ok(())
}

/// Map a database error to the service's error, logging it without data.
pub fn db(e: DbError) -> Error {
    match &e {
        DbError::Unavailable(_) => {
            tracing::error!(error = %e, "database unavailable");
            Error::new(ErrorCode::Unavailable)
        }
        DbError::NotFound => Error::new(ErrorCode::NotFound),
        _ => {
            tracing::error!(error = %e, "database error");
            Error::internal()
        }
    }
}

/// True when `e` is a unique-constraint violation.
pub fn is_unique_violation(e: &DbError) -> bool {
    *e == DbError::Unique
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
