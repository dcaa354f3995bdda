//! The store's one SQL interface over both backends.
//!
//! SQLite runs through `rusqlite`, synchronously on the calling thread: a statement costs
//! what SQLite costs, with no hand-off to another thread (the writer has its own thread;
//! reads run where they are asked). PostgreSQL runs through `sqlx`. Both take the same
//! SQL with `$1`-style placeholders and give the same rows, so the store is written once.
//! Errors carry a kind and a code, never the statement's values.

use std::borrow::Cow;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};

use sqlx::{Column as _, ConnectOptions, Row as _, TypeInfo as _, ValueRef as _};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::Backend;

/// What went wrong, without the data involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbError {
    /// A unique constraint was violated.
    Unique,
    /// `fetch_one` found no row.
    NotFound,
    /// The database cannot be reached or is busy.
    Unavailable(String),
    /// Anything else: a code or a description of the failure (never values).
    Other(String),
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Unique => f.write_str("unique constraint violated"),
            DbError::NotFound => f.write_str("no row"),
            DbError::Unavailable(s) => write!(f, "unavailable: {s}"),
            DbError::Other(s) => f.write_str(s),
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        use rusqlite::ffi::ErrorCode as C;
        match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                C::ConstraintViolation if matches!(f.extended_code, 2067 | 1555) => DbError::Unique,
                C::DatabaseBusy
                | C::DatabaseLocked
                | C::CannotOpen
                | C::DiskFull
                | C::SystemIoFailure => {
                    DbError::Unavailable(format!("sqlite {:?} ({})", f.code, f.extended_code))
                }
                _ => DbError::Other(format!("sqlite {:?} ({})", f.code, f.extended_code)),
            },
            rusqlite::Error::QueryReturnedNoRows => DbError::NotFound,
            // Names and types of the failure only; rusqlite puts no bound values in these.
            other => DbError::Other(format!("sqlite: {other}")),
        }
    }
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> DbError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => DbError::Unique,
            // The code only: PostgreSQL's messages and details may quote values.
            sqlx::Error::Database(d) => {
                DbError::Other(format!("postgres {:?} {:?}", d.kind(), d.code()))
            }
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Tls(_) => DbError::Unavailable(e.to_string()),
            other => DbError::Other(format!("postgres: {other}")),
        }
    }
}

/// The type of a value, so that a NULL is bound with the right type on PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Blob,
}

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
    Null(Kind),
}

/// A Rust value that can be bound.
pub trait Encode {
    const KIND: Kind;
    fn encode(self) -> Value;
}

/// An already encoded value (for statements built at run time). Its kind only matters
/// for `Option::<Value>::None`, which is never bound.
impl Encode for Value {
    const KIND: Kind = Kind::Text;
    fn encode(self) -> Value {
        self
    }
}

impl Encode for i64 {
    const KIND: Kind = Kind::Int;
    fn encode(self) -> Value {
        Value::Int(self)
    }
}
impl Encode for bool {
    const KIND: Kind = Kind::Int;
    fn encode(self) -> Value {
        Value::Int(i64::from(self))
    }
}
impl Encode for String {
    const KIND: Kind = Kind::Text;
    fn encode(self) -> Value {
        Value::Text(self)
    }
}
impl Encode for &str {
    const KIND: Kind = Kind::Text;
    fn encode(self) -> Value {
        Value::Text(self.to_owned())
    }
}
impl Encode for &String {
    const KIND: Kind = Kind::Text;
    fn encode(self) -> Value {
        Value::Text(self.clone())
    }
}
impl Encode for Vec<u8> {
    const KIND: Kind = Kind::Blob;
    fn encode(self) -> Value {
        Value::Blob(self)
    }
}
impl Encode for &[u8] {
    const KIND: Kind = Kind::Blob;
    fn encode(self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl<T: Encode> Encode for Option<T> {
    const KIND: Kind = T::KIND;
    fn encode(self) -> Value {
        match self {
            Some(v) => v.encode(),
            None => Value::Null(T::KIND),
        }
    }
}

/// A Rust value that can be read from a column.
pub trait Decode: Sized {
    fn decode(v: &Value) -> Result<Self, DbError>;
}

fn mismatch(want: &str, v: &Value) -> DbError {
    DbError::Other(format!(
        "column type: wanted {want}, found {:?}",
        std::mem::discriminant(v)
    ))
}

impl Decode for i64 {
    fn decode(v: &Value) -> Result<Self, DbError> {
        match v {
            Value::Int(n) => Ok(*n),
            other => Err(mismatch("integer", other)),
        }
    }
}
impl Decode for bool {
    fn decode(v: &Value) -> Result<Self, DbError> {
        i64::decode(v).map(|n| n != 0)
    }
}
impl Decode for String {
    fn decode(v: &Value) -> Result<Self, DbError> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(mismatch("text", other)),
        }
    }
}
impl Decode for Vec<u8> {
    fn decode(v: &Value) -> Result<Self, DbError> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            other => Err(mismatch("blob", other)),
        }
    }
}
/// The value as read (for statements whose column type is chosen at run time).
impl Decode for Value {
    fn decode(v: &Value) -> Result<Self, DbError> {
        Ok(v.clone())
    }
}
impl<T: Decode> Decode for Option<T> {
    fn decode(v: &Value) -> Result<Self, DbError> {
        match v {
            Value::Null(_) => Ok(None),
            other => T::decode(other).map(Some),
        }
    }
}

/// One row of a result.
#[derive(Debug, Clone)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

impl Row {
    pub fn try_get<T: Decode>(&self, column: &str) -> Result<T, DbError> {
        let i = self
            .columns
            .iter()
            .position(|c| c == column)
            .ok_or_else(|| DbError::Other(format!("no column {column}")))?;
        T::decode(&self.values[i])
    }

    fn at<T: Decode>(&self, i: usize) -> Result<T, DbError> {
        self.values
            .get(i)
            .ok_or_else(|| DbError::Other(format!("no column {i}")))
            .and_then(T::decode)
    }
}

/// A row read into a tuple, column by column.
pub trait FromRow: Sized {
    fn from_row(r: &Row) -> Result<Self, DbError>;
}
impl<A: Decode> FromRow for (A,) {
    fn from_row(r: &Row) -> Result<Self, DbError> {
        Ok((r.at(0)?,))
    }
}
impl<A: Decode, B: Decode> FromRow for (A, B) {
    fn from_row(r: &Row) -> Result<Self, DbError> {
        Ok((r.at(0)?, r.at(1)?))
    }
}
impl<A: Decode, B: Decode, C: Decode> FromRow for (A, B, C) {
    fn from_row(r: &Row) -> Result<Self, DbError> {
        Ok((r.at(0)?, r.at(1)?, r.at(2)?))
    }
}

/// The result of a statement that returns no rows.
#[derive(Debug)]
pub struct Done(u64);

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.0
    }
}

enum Inner {
    Sqlite(rusqlite::Connection),
    Postgres(sqlx::PgConnection),
}

/// A connection to either backend.
pub struct Conn {
    inner: Inner,
    /// Set when a statement found the connection unusable; the pool drops it.
    broken: bool,
    /// The ledger's edge while a group commit appends to it.
    pub(crate) ledger: Option<crate::ledger::Tip>,
}

impl Conn {
    pub fn backend(&self) -> Backend {
        match self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Postgres(_) => Backend::Postgres,
        }
    }

    async fn run(
        &mut self,
        sql: &str,
        args: Vec<Value>,
        rows: bool,
    ) -> Result<(Vec<Row>, u64), DbError> {
        let r = match &mut self.inner {
            Inner::Sqlite(c) => sqlite_run(c, sql, &args, rows),
            Inner::Postgres(c) => pg_run(c, sql, args, rows).await,
        };
        if matches!(r, Err(DbError::Unavailable(_))) {
            self.broken = true;
        }
        r
    }

    /// Run several statements with no parameters (migrations).
    pub async fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        match &mut self.inner {
            Inner::Sqlite(c) => c.execute_batch(sql).map_err(DbError::from),
            Inner::Postgres(c) => pg_batch(c, sql).await,
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::Null(_) => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

/// `$1` → `?1`. Our SQL has no `$` but in placeholders.
fn numbered(sql: &str) -> std::borrow::Cow<'_, str> {
    if !sql.contains('$') {
        return std::borrow::Cow::Borrowed(sql);
    }
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    for (i, ch) in sql.char_indices() {
        if ch == '$' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(ch);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn sqlite_run(
    c: &rusqlite::Connection,
    sql: &str,
    args: &[Value],
    want_rows: bool,
) -> Result<(Vec<Row>, u64), DbError> {
    use rusqlite::types::ValueRef;
    // `$n` placeholders become SQLite's numbered `?n`, which bind by position: no lookup
    // of each parameter by name (linear in SQLite, so quadratic for multi-row inserts).
    let sql = numbered(sql);
    let mut st = c.prepare_cached(&sql)?;
    if st.parameter_count() != args.len() {
        return Err(DbError::Other(format!(
            "{} placeholders, {} values",
            st.parameter_count(),
            args.len()
        )));
    }
    for (i, v) in args.iter().enumerate() {
        st.raw_bind_parameter(i + 1, v)?;
    }
    if !want_rows {
        let changed = st.raw_execute()?;
        return Ok((Vec::new(), changed as u64));
    }
    let columns: Arc<[String]> = st.column_names().into_iter().map(str::to_owned).collect();
    let width = columns.len();
    let mut out = Vec::new();
    let mut rows = st.raw_query();
    while let Some(r) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(match r.get_ref(i)? {
                ValueRef::Null => Value::Null(Kind::Text),
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(_) => return Err(DbError::Other("real column".to_owned())),
                ValueRef::Text(t) => Value::Text(
                    String::from_utf8(t.to_vec())
                        .map_err(|_| DbError::Other("text is not UTF-8".to_owned()))?,
                ),
                ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            });
        }
        out.push(Row {
            columns: columns.clone(),
            values,
        });
    }
    Ok((out, 0))
}

/// The statements of a migration, one by one: comment lines dropped, then split on
/// semicolons (migrations keep them out of string literals).
async fn pg_batch(c: &mut sqlx::PgConnection, sql: &str) -> Result<(), DbError> {
    let code: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    for stmt in code.split(';') {
        if stmt.trim().is_empty() {
            continue;
        }
        pg_run(c, stmt, Vec::new(), false).await?;
    }
    Ok(())
}

/// Boxed with its lifetime spelled out: an `async fn` here would make every caller's
/// future fail rustc's check that it is `Send` for all lifetimes.
fn pg_run<'a>(
    c: &'a mut sqlx::PgConnection,
    sql: &'a str,
    args: Vec<Value>,
    want_rows: bool,
) -> futures::future::BoxFuture<'a, Result<(Vec<Row>, u64), DbError>> {
    Box::pin(pg_run_inner(c, sql, args, want_rows))
}

async fn pg_run_inner(
    c: &mut sqlx::PgConnection,
    sql: &str,
    args: Vec<Value>,
    want_rows: bool,
) -> Result<(Vec<Row>, u64), DbError> {
    let mut q = sqlx::query::<sqlx::Postgres>(sql);
    for v in args {
        q = match v {
            Value::Int(n) => q.bind(n),
            Value::Text(s) => q.bind(s),
            Value::Blob(b) => q.bind(b),
            Value::Null(Kind::Int) => q.bind(None::<i64>),
            Value::Null(Kind::Text) => q.bind(None::<String>),
            Value::Null(Kind::Blob) => q.bind(None::<Vec<u8>>),
        };
    }
    if !want_rows {
        return Ok((Vec::new(), q.execute(&mut *c).await?.rows_affected()));
    }
    let rows = q.fetch_all(&mut *c).await?;
    let Some(first) = rows.first() else {
        return Ok((Vec::new(), 0));
    };
    let columns: Arc<[String]> = first
        .columns()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut values = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            let raw = r.try_get_raw(i)?;
            if raw.is_null() {
                values.push(Value::Null(Kind::Text));
                continue;
            }
            let ty = raw.type_info().name().to_owned();
            values.push(match ty.as_str() {
                "INT8" => Value::Int(r.try_get::<i64, _>(i)?),
                "INT4" => Value::Int(i64::from(r.try_get::<i32, _>(i)?)),
                "INT2" => Value::Int(i64::from(r.try_get::<i16, _>(i)?)),
                "BOOL" => Value::Int(i64::from(r.try_get::<bool, _>(i)?)),
                "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => Value::Text(r.try_get::<String, _>(i)?),
                "BYTEA" => Value::Blob(r.try_get::<Vec<u8>, _>(i)?),
                other => return Err(DbError::Other(format!("column type {other}"))),
            });
        }
        out.push(Row {
            columns: columns.clone(),
            values,
        });
    }
    Ok((out, 0))
}

/// A statement with its values, in the manner of `sqlx::query`.
pub struct Query<'q> {
    sql: Cow<'q, str>,
    args: Vec<Value>,
}

pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql: Cow::Borrowed(sql),
        args: Vec::new(),
    }
}

impl Query<'_> {
    pub fn bind<T: Encode>(mut self, v: T) -> Self {
        self.args.push(v.encode());
        self
    }

    pub async fn execute(self, c: &mut Conn) -> Result<Done, DbError> {
        c.run(&self.sql, self.args, false)
            .await
            .map(|(_, n)| Done(n))
    }

    pub async fn fetch_all(self, c: &mut Conn) -> Result<Vec<Row>, DbError> {
        c.run(&self.sql, self.args, true).await.map(|(r, _)| r)
    }

    pub async fn fetch_optional(self, c: &mut Conn) -> Result<Option<Row>, DbError> {
        Ok(self.fetch_all(c).await?.into_iter().next())
    }

    pub async fn fetch_one(self, c: &mut Conn) -> Result<Row, DbError> {
        self.fetch_optional(c).await?.ok_or(DbError::NotFound)
    }
}

/// A statement whose rows are read into tuples, in the manner of `sqlx::query_as`.
pub struct QueryAs<'q, T> {
    q: Query<'q>,
    _t: PhantomData<T>,
}

/// The one number a statement without parameters answers (a `COUNT`, say).
pub async fn count(c: &mut Conn, sql: &str) -> Result<i64, DbError> {
    let (n,): (i64,) = query_as(sql).fetch_one(c).await?;
    Ok(n)
}

pub fn query_as<T: FromRow>(sql: &str) -> QueryAs<'_, T> {
    QueryAs {
        q: query(sql),
        _t: PhantomData,
    }
}

impl<T: FromRow> QueryAs<'_, T> {
    pub fn bind<V: Encode>(mut self, v: V) -> Self {
        self.q = self.q.bind(v);
        self
    }

    pub async fn fetch_all(self, c: &mut Conn) -> Result<Vec<T>, DbError> {
        self.q.fetch_all(c).await?.iter().map(T::from_row).collect()
    }

    pub async fn fetch_optional(self, c: &mut Conn) -> Result<Option<T>, DbError> {
        self.q
            .fetch_optional(c)
            .await?
            .as_ref()
            .map(T::from_row)
            .transpose()
    }

    pub async fn fetch_one(self, c: &mut Conn) -> Result<T, DbError> {
        T::from_row(&self.q.fetch_one(c).await?)
    }
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY;";

/// How to open connections to the configured database.
#[derive(Clone)]
pub struct Opener {
    backend: Backend,
    url: String,
}

impl Opener {
    pub fn new(url: &str) -> Result<Opener, DbError> {
        let backend = Backend::of_url(url)
            .ok_or_else(|| DbError::Other("database_url: sqlite:// or postgres://".to_owned()))?;
        Ok(Opener {
            backend,
            url: url.to_owned(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn open(&self) -> Result<Conn, DbError> {
        let inner = match self.backend {
            Backend::Sqlite => {
                let rest = self
                    .url
                    .strip_prefix("sqlite://")
                    .or_else(|| self.url.strip_prefix("sqlite:"))
                    .unwrap_or(&self.url);
                let path = rest.split('?').next().unwrap_or(rest);
                let c = rusqlite::Connection::open(path)
                    .map_err(|e| DbError::Unavailable(DbError::from(e).to_string()))?;
                c.execute_batch(SQLITE_PRAGMAS)?;
                c.set_prepared_statement_cache_capacity(256);
                Inner::Sqlite(c)
            }
            Backend::Postgres => {
                let opts: sqlx::postgres::PgConnectOptions = self
                    .url
                    .parse()
                    .map_err(|_| DbError::Other("database_url does not parse".to_owned()))?;
                Inner::Postgres(
                    opts.disable_statement_logging()
                        .connect()
                        .await
                        .map_err(|e| DbError::Unavailable(DbError::from(e).to_string()))?,
                )
            }
        };
        Ok(Conn {
            inner,
            broken: false,
            ledger: None,
        })
    }
}

/// A small pool of reading connections.
pub struct Pool {
    opener: Opener,
    idle: Mutex<Vec<Conn>>,
    slots: Arc<Semaphore>,
}

impl Pool {
    /// How the pool opens its connections (for work that needs a connection of its own).
    pub fn opener(&self) -> &Opener {
        &self.opener
    }

    pub fn new(opener: Opener, size: usize) -> Pool {
        Pool {
            opener,
            idle: Mutex::new(Vec::new()),
            slots: Arc::new(Semaphore::new(size.max(1))),
        }
    }

    pub async fn acquire(self: &Arc<Self>) -> Result<PoolConn, DbError> {
        let permit = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| DbError::Unavailable("pool closed".to_owned()))?;
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => self.opener.open().await?,
        };
        Ok(PoolConn {
            conn: Some(conn),
            pool: self.clone(),
            _permit: permit,
        })
    }
}

/// A pooled connection, returned to the pool when dropped (unless it broke).
pub struct PoolConn {
    conn: Option<Conn>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl Deref for PoolConn {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
            .as_ref()
            .unwrap_or_else(|| unreachable!("a PoolConn holds its connection until dropped"))
    }
}

impl DerefMut for PoolConn {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn
            .as_mut()
            .unwrap_or_else(|| unreachable!("a PoolConn holds its connection until dropped"))
    }
}

impl Drop for PoolConn {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            if !c.broken {
                self.pool
                    .idle
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(c);
            }
        }
    }
}

/// The migrations of each backend, in order: (version, SQL).
const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_foundation.sql")),
    (
        2,
        include_str!("../migrations/sqlite/0002_access_decisions.sql"),
    ),
    (3, include_str!("../migrations/sqlite/0003_ledger.sql")),
    (4, include_str!("../migrations/sqlite/0004_requests.sql")),
    (5, include_str!("../migrations/sqlite/0005_auth.sql")),
    (6, include_str!("../migrations/sqlite/0006_webhooks.sql")),
    (7, include_str!("../migrations/sqlite/0007_preferences.sql")),
    (8, include_str!("../migrations/sqlite/0008_nats.sql")),
    (9, include_str!("../migrations/sqlite/0009_org_policy.sql")),
    (
        10,
        include_str!("../migrations/sqlite/0010_decision_indexes.sql"),
    ),
    (
        11,
        include_str!("../migrations/sqlite/0011_history_runs.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        include_str!("../migrations/postgres/0002_access_decisions.sql"),
    ),
    (3, include_str!("../migrations/postgres/0003_ledger.sql")),
    (4, include_str!("../migrations/postgres/0004_requests.sql")),
    (5, include_str!("../migrations/postgres/0005_auth.sql")),
    (6, include_str!("../migrations/postgres/0006_webhooks.sql")),
    (
        7,
        include_str!("../migrations/postgres/0007_preferences.sql"),
    ),
    (8, include_str!("../migrations/postgres/0008_nats.sql")),
    (
        9,
        include_str!("../migrations/postgres/0009_org_policy.sql"),
    ),
    (
        10,
        include_str!("../migrations/postgres/0010_decision_indexes.sql"),
    ),
    (
        11,
        include_str!("../migrations/postgres/0011_history_runs.sql"),
    ),
];

/// Apply the migrations not applied yet, each in its own transaction. On PostgreSQL an
/// advisory lock keeps concurrent `serve` processes from migrating at once.
pub async fn migrate(c: &mut Conn) -> Result<Vec<i64>, DbError> {
    let (files, begin) = match c.backend() {
        Backend::Sqlite => (SQLITE_MIGRATIONS, "BEGIN IMMEDIATE"),
        Backend::Postgres => (POSTGRES_MIGRATIONS, "BEGIN"),
    };
    if c.backend() == Backend::Postgres {
        query("SELECT pg_advisory_lock(7305425551)")
            .execute(c)
            .await?;
    }
    let result = async {
        query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
            .execute(c)
            .await?;
        let applied: HashMap<i64, ()> = query_as::<(i64,)>("SELECT version FROM schema_migrations")
            .fetch_all(c)
            .await?
            .into_iter()
            .map(|(v,)| (v, ()))
            .collect();
        let mut done = Vec::new();
        for (version, sql) in files {
            if applied.contains_key(version) {
                continue;
            }
            query(begin).execute(c).await?;
            let step = async {
                c.batch(sql).await?;
                query("INSERT INTO schema_migrations (version) VALUES ($1)")
                    .bind(*version)
                    .execute(c)
                    .await?;
                query("COMMIT").execute(c).await
            }
            .await;
            if let Err(e) = step {
                let _ = query("ROLLBACK").execute(c).await;
                return Err(e);
            }
            done.push(*version);
        }
        Ok(done)
    }
    .await;
    if c.backend() == Backend::Postgres {
        let _ = query("SELECT pg_advisory_unlock(7305425551)")
            .execute(c)
            .await;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite() -> (tempfile::TempDir, Conn) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let c = Opener::new(&url).unwrap().open().await.unwrap();
        (dir, c)
    }

    #[tokio::test]
    async fn placeholders_bind_by_number_in_any_order_and_repeat() {
        let (_d, mut c) = sqlite().await;
        query("CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d INTEGER)")
            .execute(&mut c)
            .await
            .unwrap();
        let n = query("INSERT INTO t (b, a, c, d) VALUES ($2, $1, $3, $1)")
            .bind(7i64)
            .bind("seven")
            .bind(None::<Vec<u8>>)
            .execute(&mut c)
            .await
            .unwrap();
        assert_eq!(n.rows_affected(), 1);
        let (a, b, cc): (i64, String, Option<Vec<u8>>) =
            query_as("SELECT a, b, c FROM t WHERE d = $1")
                .bind(7i64)
                .fetch_one(&mut c)
                .await
                .unwrap();
        assert_eq!((a, b.as_str(), cc), (7, "seven", None));
        let r = query("SELECT d FROM t").fetch_one(&mut c).await.unwrap();
        assert_eq!(r.try_get::<i64>("d").unwrap(), 7);
        assert!(
            r.try_get::<String>("d").is_err(),
            "a type mismatch is an error, not a guess"
        );
        assert!(r.try_get::<i64>("nope").is_err());
    }

    #[tokio::test]
    async fn errors_are_classified_without_values() {
        let (_d, mut c) = sqlite().await;
        query("CREATE TABLE u (k TEXT PRIMARY KEY)")
            .execute(&mut c)
            .await
            .unwrap();
        query("INSERT INTO u (k) VALUES ($1)")
            .bind("900101300017")
            .execute(&mut c)
            .await
            .unwrap();
        let e = query("INSERT INTO u (k) VALUES ($1)")
            .bind("900101300017")
            .execute(&mut c)
            .await
            .unwrap_err();
        assert_eq!(e, DbError::Unique);
        let e = query("SELECT k FROM u WHERE k = $1")
            .bind("x")
            .fetch_one(&mut c)
            .await
            .unwrap_err();
        assert_eq!(e, DbError::NotFound);
        let e = query("INSERT INTO nowhere VALUES ($1)")
            .bind("900101300017")
            .execute(&mut c)
            .await
            .unwrap_err();
        assert!(!e.to_string().contains("900101300017"), "{e}");
    }

    #[test]
    fn placeholders_become_numbered() {
        assert_eq!(numbered("SELECT 1"), "SELECT 1");
        assert_eq!(
            numbered("UPDATE t SET a = $1 WHERE b = $12 AND c = $2"),
            "UPDATE t SET a = ?1 WHERE b = ?12 AND c = ?2"
        );
    }

    #[tokio::test]
    async fn reused_and_many_placeholders_bind_by_number() {
        let (_d, mut c) = sqlite().await;
        let (a, b): (i64, String) = query_as("SELECT $2 + $2, $1")
            .bind("x")
            .bind(20i64)
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!((a, b.as_str()), (40, "x"));
        assert!(query("SELECT $1, $2")
            .bind(1i64)
            .fetch_all(&mut c)
            .await
            .is_err());
    }

    #[tokio::test]
    async fn migrations_apply_once() {
        let (_d, mut c) = sqlite().await;
        assert_eq!(
            migrate(&mut c).await.unwrap(),
            (1..=11).collect::<Vec<i64>>()
        );
        assert!(migrate(&mut c).await.unwrap().is_empty());
        let (mode,): (String,) = query_as("PRAGMA journal_mode")
            .fetch_one(&mut c)
            .await
            .unwrap();
        let (sync,): (i64,) = query_as("PRAGMA synchronous")
            .fetch_one(&mut c)
            .await
            .unwrap();
        let (fk,): (i64,) = query_as("PRAGMA foreign_keys")
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(
            (mode.as_str(), sync, fk),
            ("wal", 2, 1),
            "WAL, synchronous=FULL, foreign keys on"
        );
    }
}
