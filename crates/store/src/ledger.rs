//! The ledger in the database: entries appended inside the transaction of the change
//! they record, the Merkle nodes they complete, signed checkpoints, proofs, and the
//! full verification behind `qorgau ledger verify`.
//!
//! The tree's right edge (its frontier) lives in `ledger_state`. A group commit loads it
//! once (on PostgreSQL under a row lock, so writers in other processes wait for this
//! group), every change appends through it inside its savepoint, and it is written back
//! before the group commits: the entries, the nodes, the new edge and any checkpoint it
//! triggered commit together or not at all.

use std::collections::HashMap;

use jiff::Timestamp;
use qorgau_core::{Error, ErrorCode};
use qorgau_ledger::bundle::{hashes_to_hex, Bundle, BundleEntry, FORMAT};
use qorgau_ledger::tree::{consistency_ranges, inclusion_ranges, nodes_for, Range};
use qorgau_ledger::{
    leaf_hash, verify_consistency, Checkpoint, Entry, Frontier, Hash, NodeId, NoteSigner,
    NoteVerifier,
};

use crate::{db, ts_from_db, ts_to_db, Backend, Conn, Store};

/// How the log is named and when checkpoints are issued.
#[derive(Clone, Debug)]
pub struct LedgerOptions {
    /// The log's origin line (and the checkpoint key's name).
    pub origin: String,
    /// Issue a checkpoint at the commit that brings this many entries past the last one.
    pub checkpoint_every: u64,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions {
            origin: "qorgau.local/ledger".to_owned(),
            checkpoint_every: 1024,
        }
    }
}

/// The ledger's state inside one group commit. Appends only compute: the entries and
/// the nodes they complete wait here and are written with a few multi-row inserts just
/// before the group commits, in the same transaction.
#[derive(Debug)]
pub(crate) struct Tip {
    frontier: Frontier,
    last_checkpoint: u64,
    last_at: Option<Timestamp>,
    entries: Vec<(u64, Prepared)>,
    nodes: Vec<(NodeId, Hash)>,
}

/// Where a change started, to undo its appends if it is rolled back.
#[derive(Debug)]
pub(crate) struct Mark {
    frontier: Frontier,
    last_at: Option<Timestamp>,
    entries: usize,
    nodes: usize,
}

impl Tip {
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            frontier: self.frontier.clone(),
            last_at: self.last_at,
            entries: self.entries.len(),
            nodes: self.nodes.len(),
        }
    }

    /// Append in memory; written out by [`before_commit`].
    fn push(&mut self, p: Prepared) -> u64 {
        let index = self.frontier.size();
        let nodes = &mut self.nodes;
        self.frontier.push(p.leaf, |id, h| {
            if id.level > 0 {
                nodes.push((id, *h));
            }
        });
        self.last_at = Some(p.at);
        self.entries.push((index, p));
        index
    }

    pub(crate) fn reset(&mut self, m: Mark) {
        self.frontier = m.frontier;
        self.last_at = m.last_at;
        self.entries.truncate(m.entries);
        self.nodes.truncate(m.nodes);
    }
}

/// Runs of one level merged at a time into one run of the next: a pointer is rewritten
/// once per level (about log8 of the entries over a batch), and a subject's history read
/// seeks at most seven runs per level.
pub const HISTORY_FANOUT: i64 = 8;

/// Merged runs are numbered from here up, batches below: the one merge under way always
/// has the largest key, so its pointers are appended at the end of the B-tree.
const MERGED_RUNS: i64 = 1 << 40;

/// A run of the subjects' history index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRun {
    pub run: i64,
    pub level: u32,
    /// The entries it covers: `from..to`.
    pub from: u64,
    pub to: u64,
    /// Being merged into that run.
    pub merging_into: Option<i64>,
    /// Being built by a merge.
    pub building: bool,
}

/// (tree size, entries indexed, runs numbered so far), on PostgreSQL under the row lock
/// that orders every writer of the ledger.
async fn history_state(c: &mut Conn) -> Result<(i64, i64, i64), Error> {
    let sql = match c.backend() {
        Backend::Sqlite => {
            "SELECT frontier, subjects_indexed, history_runs FROM ledger_state WHERE id = 1"
        }
        Backend::Postgres => {
            "SELECT frontier, subjects_indexed, history_runs FROM ledger_state WHERE id = 1 FOR UPDATE"
        }
    };
    let row = db::query(sql).fetch_one(&mut *c).await.map_err(db)?;
    let f: Vec<u8> = row.try_get("frontier").map_err(db)?;
    let from: i64 = row.try_get("subjects_indexed").map_err(db)?;
    let runs: i64 = row.try_get("history_runs").map_err(db)?;
    let size = Frontier::from_bytes(&f).map(|f| f.size()).unwrap_or(0) as i64;
    Ok((size, from, runs))
}

/// Start merging the oldest [`HISTORY_FANOUT`] runs of the lowest level that has as
/// many; the run they make (empty, its cursor before the first key), if any.
async fn start_merge(c: &mut Conn, runs: i64) -> Result<Option<i64>, Error> {
    let level: Option<(i64,)> = db::query_as("SELECT level FROM ledger_subject_runs WHERE merging_into IS NULL AND cursor_idx IS NULL GROUP BY level HAVING COUNT(*) >= $1 ORDER BY level LIMIT 1")
        .bind(HISTORY_FANOUT)
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?;
    let Some((level,)) = level else {
        return Ok(None);
    };
    let sources: Vec<(i64, i64, i64)> = db::query_as("SELECT run, from_idx, to_idx FROM ledger_subject_runs WHERE level = $1 AND merging_into IS NULL AND cursor_idx IS NULL ORDER BY from_idx LIMIT $2")
        .bind(level)
        .bind(HISTORY_FANOUT)
        .fetch_all(&mut *c)
        .await
        .map_err(db)?;
    let from = sources.iter().map(|s| s.1).min().unwrap_or(0);
    let to = sources.iter().map(|s| s.2).max().unwrap_or(0);
    let target = MERGED_RUNS + runs + 1;
    db::query("INSERT INTO ledger_subject_runs (run, level, from_idx, to_idx, cursor_subject, cursor_idx) VALUES ($1, $2, $3, $4, $5, -1)")
        .bind(target)
        .bind(level + 1)
        .bind(from)
        .bind(to)
        .bind(Vec::<u8>::new())
        .execute(&mut *c)
        .await
        .map_err(db)?;
    for (run, _, _) in &sources {
        db::query("UPDATE ledger_subject_runs SET merging_into = $1 WHERE run = $2")
            .bind(target)
            .bind(*run)
            .execute(&mut *c)
            .await
            .map_err(db)?;
    }
    db::query("UPDATE ledger_state SET history_runs = $1 WHERE id = 1")
        .bind(runs + 1)
        .execute(&mut *c)
        .await
        .map_err(db)?;
    Ok(Some(target))
}

/// Start a read-only transaction on a reader: every statement until the `ROLLBACK` sees
/// one snapshot of the database.
async fn begin_snapshot(c: &mut Conn) -> Result<(), Error> {
    let begin = match c.backend() {
        Backend::Sqlite => "BEGIN",
        Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    db::query(begin).execute(c).await.map_err(db)?;
    Ok(())
}

/// [`Store::subject_entries`] inside its snapshot.
async fn subject_entries_in(
    c: &mut Conn,
    subject_index: Vec<u8>,
    before: Option<u64>,
    limit: u32,
) -> Result<Vec<StoredEntry>, Error> {
    let (indexed,): (i64,) = db::query_as("SELECT subjects_indexed FROM ledger_state WHERE id = 1")
        .fetch_one(&mut *c)
        .await
        .map_err(db)?;
    let before = before
        .map(|b| b.min(i64::MAX as u64) as i64)
        .unwrap_or(i64::MAX);
    let rows = db::query("SELECT idx, body, leaf FROM ledger_entries WHERE idx >= $1 AND idx < $2 AND subject = $3 ORDER BY idx DESC LIMIT $4")
        .bind(indexed)
        .bind(before)
        .bind(subject_index.clone())
        .bind(i64::from(limit))
        .fetch_all(&mut *c)
        .await
        .map_err(db)?;
    let mut out: Vec<StoredEntry> = rows.iter().map(entry_of).collect::<Result<_, _>>()?;
    let more = (limit as usize).saturating_sub(out.len());
    if more == 0 {
        return Ok(out);
    }
    let below = before.min(indexed);
    // Newest run first; stop once the next run cannot hold anything newer than what
    // was found. Runs of one level cover disjoint entries; a merge's target overlaps
    // its sources, but a pointer is in exactly one of them.
    let runs: Vec<(i64, i64)> = db::query_as(
        "SELECT run, to_idx FROM ledger_subject_runs WHERE from_idx < $1 ORDER BY to_idx DESC, run DESC",
    )
    .bind(below)
    .fetch_all(&mut *c)
    .await
    .map_err(db)?;
    let mut found: Vec<StoredEntry> = Vec::new();
    for (run, to) in runs {
        if found.len() >= more && found.last().is_some_and(|e| to <= e.index as i64) {
            break;
        }
        let rows = db::query("SELECT e.idx, e.body, e.leaf FROM ledger_subjects s JOIN ledger_entries e ON e.idx = s.idx WHERE s.run = $1 AND s.subject = $2 AND s.idx < $3 ORDER BY s.idx DESC LIMIT $4")
            .bind(run)
            .bind(subject_index.clone())
            .bind(below)
            .bind(more as i64)
            .fetch_all(&mut *c)
            .await
            .map_err(db)?;
        for r in &rows {
            found.push(entry_of(r)?);
        }
        found.sort_by_key(|e| std::cmp::Reverse(e.index));
        found.truncate(more);
    }
    out.extend(found);
    Ok(out)
}

fn hash32(v: Vec<u8>) -> Result<Hash, Error> {
    v.try_into().map_err(|_| {
        tracing::error!("a stored ledger hash is not 32 bytes");
        Error::new(ErrorCode::Internal)
    })
}

async fn load_tip(c: &mut Conn) -> Result<Tip, Error> {
    let sql = match c.backend() {
        Backend::Sqlite => "SELECT frontier, (SELECT COALESCE(MAX(size), 0) FROM ledger_checkpoints) AS last FROM ledger_state WHERE id = 1",
        Backend::Postgres => "SELECT frontier, (SELECT COALESCE(MAX(size), 0) FROM ledger_checkpoints) AS last FROM ledger_state WHERE id = 1 FOR UPDATE",
    };
    let row = db::query(sql).fetch_one(&mut *c).await.map_err(db)?;
    let bytes: Vec<u8> = row.try_get("frontier").map_err(db)?;
    let last: i64 = row.try_get("last").map_err(db)?;
    let frontier = Frontier::from_bytes(&bytes).ok_or_else(|| {
        tracing::error!("the stored ledger frontier is corrupt");
        Error::new(ErrorCode::Internal)
    })?;
    Ok(Tip {
        frontier,
        last_checkpoint: last as u64,
        last_at: None,
        entries: Vec::new(),
        nodes: Vec::new(),
    })
}

/// An entry serialized and hashed, ready to append: done by the caller, so that the
/// writer, which every change waits for, only inserts.
#[derive(Debug)]
pub struct Prepared {
    body: Vec<u8>,
    leaf: Hash,
    at: Timestamp,
    kind: String,
    subject: Option<Vec<u8>>,
    organization: Option<String>,
}

impl Prepared {
    pub fn new(entry: &Entry) -> Prepared {
        let body = entry.to_bytes();
        Prepared {
            leaf: leaf_hash(&body),
            body,
            at: entry.at,
            kind: entry.kind.clone(),
            subject: entry
                .subject
                .as_deref()
                .and_then(qorgau_ledger::entry::unhex),
            organization: entry.organization.clone(),
        }
    }
}

/// Append an entry in the current change's transaction; its ledger index.
pub(crate) async fn append(c: &mut Conn, entry: &Entry) -> Result<u64, Error> {
    append_prepared(c, Prepared::new(entry)).await
}

pub(crate) async fn append_prepared(c: &mut Conn, p: Prepared) -> Result<u64, Error> {
    let mut tip = match c.ledger.take() {
        Some(t) => t,
        None => load_tip(c).await?,
    };
    let index = tip.push(p);
    c.ledger = Some(tip);
    Ok(index)
}

/// Append several entries; their ledger indexes.
pub(crate) async fn append_many(c: &mut Conn, entries: Vec<Prepared>) -> Result<Vec<u64>, Error> {
    let mut out = Vec::with_capacity(entries.len());
    for p in entries {
        out.push(append_prepared(c, p).await?);
    }
    Ok(out)
}

/// How many rows the next multi-row insert takes: a power of two up to 64, so that only
/// seven statements per table are ever prepared (and stay in the statement cache).
fn chunk_rows(remaining: usize) -> usize {
    let mut n = 64;
    while n > remaining {
        n /= 2;
    }
    n.max(1)
}

fn placeholders(rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for k in 0..cols {
            if k > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("${}", r * cols + k + 1));
        }
        out.push(')');
    }
    out
}

/// Write the group's entries and nodes with multi-row inserts.
async fn flush(c: &mut Conn, tip: &mut Tip) -> Result<(), crate::DbError> {
    let entries = std::mem::take(&mut tip.entries);
    let mut it = entries.into_iter().peekable();
    let mut left = it.len();
    while left > 0 {
        let n = chunk_rows(left);
        let sql = format!(
            "INSERT INTO ledger_entries (idx, at, kind, subject, organization_id, body, leaf) VALUES {}",
            placeholders(n, 7)
        );
        let mut q = db::query(&sql);
        for (i, p) in it.by_ref().take(n) {
            q = q
                .bind(i as i64)
                .bind(ts_to_db(p.at))
                .bind(p.kind)
                .bind(p.subject)
                .bind(p.organization)
                .bind(p.body)
                .bind(p.leaf.to_vec());
        }
        q.execute(&mut *c).await?;
        left -= n;
    }
    let nodes = std::mem::take(&mut tip.nodes);
    let mut rest = &nodes[..];
    while !rest.is_empty() {
        let n = chunk_rows(rest.len());
        let sql = format!(
            "INSERT INTO ledger_nodes (key, hash) VALUES {}",
            placeholders(n, 2)
        );
        let mut q = db::query(&sql);
        for (id, h) in &rest[..n] {
            q = q.bind(id.key() as i64).bind(h.to_vec());
        }
        q.execute(&mut *c).await?;
        rest = &rest[n..];
    }
    Ok(())
}

/// `(k, h)` rows of `select` (which ends in the key column) for the given keys.
async fn hashes_by(c: &mut Conn, select: &str, keys: &[i64]) -> Result<Vec<(i64, Hash)>, Error> {
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(200) {
        let ph: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{select} IN ({})", ph.join(", "));
        let mut q = db::query(&sql);
        for k in chunk {
            q = q.bind(*k);
        }
        for r in q.fetch_all(&mut *c).await.map_err(db)? {
            let k: i64 = r.try_get("k").map_err(db)?;
            out.push((k, hash32(r.try_get("h").map_err(db)?)?));
        }
    }
    Ok(out)
}

/// The pseudonym of a subject the service knows (the keyed hash of the IIN).
pub(crate) async fn subject_ref(c: &mut Conn, subject_id: &str) -> Result<Option<Vec<u8>>, Error> {
    let row: Option<(Vec<u8>,)> = db::query_as("SELECT iin_index FROM subjects WHERE id = $1")
        .bind(subject_id.to_owned())
        .fetch_optional(c)
        .await
        .map_err(db)?;
    Ok(row.map(|r| r.0))
}

/// Append an entry about a subject known by id.
pub(crate) async fn append_about(
    c: &mut Conn,
    subject_id: &str,
    entry: Entry,
) -> Result<u64, Error> {
    let entry = match subject_ref(c, subject_id).await? {
        Some(r) => entry.subject(&r),
        None => entry,
    };
    append(c, &entry).await
}

/// The key that signs checkpoints: derived from the service's signing key, so receipts
/// and checkpoints never share a key. Derived once, when the store opens.
pub(crate) fn signer(secrets: &crate::Secrets, origin: &str) -> Result<NoteSigner, Error> {
    let seed = qorgau_core::crypto::hmac_sha256(
        &secrets.signing.seed(),
        b"qorgau ledger checkpoint key v1",
    );
    NoteSigner::new(origin, seed)
        .map_err(|_| Error::new(ErrorCode::ValidationFailed).at("ledger_origin"))
}

/// Called by the writer before every commit: write the new edge back and issue a
/// checkpoint when one is due.
pub(crate) async fn before_commit(
    c: &mut Conn,
    signer: &NoteSigner,
    every: u64,
) -> Result<(), crate::DbError> {
    let Some(mut tip) = c.ledger.take() else {
        return Ok(());
    };
    if tip.entries.is_empty() {
        return Ok(());
    }
    flush(c, &mut tip).await?;
    db::query("UPDATE ledger_state SET frontier = $1 WHERE id = 1")
        .bind(tip.frontier.to_bytes())
        .execute(&mut *c)
        .await?;
    if tip.frontier.size() >= tip.last_checkpoint + every.max(1) {
        let at = tip.last_at.unwrap_or(Timestamp::UNIX_EPOCH);
        insert_checkpoint(c, signer, &tip.frontier, at).await?;
    }
    Ok(())
}

async fn insert_checkpoint(
    c: &mut Conn,
    signer: &NoteSigner,
    frontier: &Frontier,
    at: Timestamp,
) -> Result<String, crate::DbError> {
    let cp = Checkpoint {
        origin: signer.name().to_owned(),
        size: frontier.size(),
        root: frontier.root(),
    };
    let note = signer.sign(&cp);
    db::query("INSERT INTO ledger_checkpoints (size, root, note, issued_at) VALUES ($1, $2, $3, $4) ON CONFLICT (size) DO NOTHING")
        .bind(cp.size as i64)
        .bind(cp.root.to_vec())
        .bind(note.clone())
        .bind(ts_to_db(at))
        .execute(&mut *c)
        .await?;
    Ok(note)
}

/// A checkpoint as kept.
#[derive(Debug, Clone)]
pub struct StoredCheckpoint {
    pub size: u64,
    pub root: Hash,
    pub note: String,
    pub issued_at: Timestamp,
}

/// One entry as kept.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub index: u64,
    pub body: Vec<u8>,
    /// As stored: 32 bytes unless the database was tampered with.
    pub leaf: Vec<u8>,
}

impl Store {
    /// Issue a checkpoint of the current tree if entries were added since the last one
    /// (the timer's half of "every N entries or T seconds"). The new note, if any.
    pub async fn ledger_checkpoint(&self, now: Timestamp) -> Result<Option<String>, Error> {
        let signer = self.checkpoint_signer_arc();
        self.write(move |c| {
            Box::pin(async move {
                // Within a group, earlier changes may have appended already.
                let mut tip = match c.ledger.take() {
                    Some(t) => t,
                    None => load_tip(c).await?,
                };
                let due = tip.frontier.size() > tip.last_checkpoint;
                let note = if due {
                    let r = insert_checkpoint(c, &signer, &tip.frontier, now).await;
                    if r.is_ok() {
                        tip.last_checkpoint = tip.frontier.size();
                    }
                    Some(r)
                } else {
                    None
                };
                c.ledger = Some(tip);
                note.transpose().map_err(db)
            })
        })
        .await
    }

    /// The tree size now (committed).
    pub async fn ledger_size(&self) -> Result<u64, Error> {
        let mut c = self.reader().await?;
        let (f,): (Vec<u8>,) = db::query_as("SELECT frontier FROM ledger_state WHERE id = 1")
            .fetch_one(&mut c)
            .await
            .map_err(db)?;
        Ok(Frontier::from_bytes(&f).map(|f| f.size()).unwrap_or(0))
    }

    /// The latest checkpoint, or the one of exactly `size`.
    pub async fn checkpoint(&self, size: Option<u64>) -> Result<Option<StoredCheckpoint>, Error> {
        let mut c = self.reader().await?;
        let q = match size {
            Some(_) => "SELECT size, root, note, issued_at FROM ledger_checkpoints WHERE size = $1",
            None => "SELECT size, root, note, issued_at FROM ledger_checkpoints WHERE size >= $1 ORDER BY size DESC LIMIT 1",
        };
        let row = db::query(q)
            .bind(size.unwrap_or(0) as i64)
            .fetch_optional(&mut c)
            .await
            .map_err(db)?;
        row.map(|r| checkpoint_of(&r)).transpose()
    }

    pub async fn checkpoints(&self) -> Result<Vec<StoredCheckpoint>, Error> {
        let mut c = self.reader().await?;
        checkpoints_on(&mut c).await
    }

    pub async fn ledger_entry(&self, index: u64) -> Result<Option<StoredEntry>, Error> {
        Ok(self.ledger_entries(index, index + 1, None).await?.pop())
    }

    /// Entries with indexes in `[from, to)`, optionally only an organization's.
    pub async fn ledger_entries(
        &self,
        from: u64,
        to: u64,
        organization: Option<String>,
    ) -> Result<Vec<StoredEntry>, Error> {
        let mut c = self.reader().await?;
        let rows = match organization {
            None => db::query("SELECT idx, body, leaf FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx")
                .bind(from as i64)
                .bind(to as i64)
                .fetch_all(&mut c)
                .await,
            Some(o) => db::query("SELECT idx, body, leaf FROM ledger_entries WHERE organization_id = $3 AND idx >= $1 AND idx < $2 ORDER BY idx")
                .bind(from as i64)
                .bind(to as i64)
                .bind(o)
                .fetch_all(&mut c)
                .await,
        }
        .map_err(db)?;
        rows.iter().map(entry_of).collect()
    }

    /// The entries about a subject (by blind index), newest first, before `before`: the
    /// short tail not indexed yet by a scan, the rest from the history index's runs. All
    /// in one snapshot, so that a merge moving pointers between runs meanwhile neither
    /// hides an entry nor shows it twice.
    pub async fn subject_entries(
        &self,
        subject_index: Vec<u8>,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<StoredEntry>, Error> {
        let mut c = self.reader().await?;
        begin_snapshot(&mut c).await?;
        let r = subject_entries_in(&mut c, subject_index, before, limit).await;
        let _ = db::query("ROLLBACK").execute(&mut c).await;
        r
    }

    /// Index up to `limit` entries past the history index as one new run (one sorted
    /// batch, appended whole); how many entries it covered. Run in the background;
    /// history reads work without it.
    pub async fn index_subjects(&self, limit: u64) -> Result<u64, Error> {
        self.write(move |c| {
            Box::pin(async move {
                let (size, from, runs) = history_state(c).await?;
                let upto = size.min(from.saturating_add(limit.min(i64::MAX as u64) as i64));
                if upto <= from {
                    return Ok(0);
                }
                let run = runs + 1;
                let added = db::query("INSERT INTO ledger_subjects (run, subject, idx) SELECT $1, subject, idx FROM ledger_entries WHERE idx >= $2 AND idx < $3 AND subject IS NOT NULL ORDER BY subject, idx")
                    .bind(run)
                    .bind(from)
                    .bind(upto)
                    .execute(&mut *c)
                    .await
                    .map_err(db)?
                    .rows_affected();
                if added > 0 {
                    db::query("INSERT INTO ledger_subject_runs (run, level, from_idx, to_idx) VALUES ($1, 0, $2, $3)")
                        .bind(run)
                        .bind(from)
                        .bind(upto)
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                }
                db::query("UPDATE ledger_state SET subjects_indexed = $1, history_runs = $2 WHERE id = 1")
                    .bind(upto)
                    .bind(if added > 0 { run } else { runs })
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                Ok((upto - from) as u64)
            })
        })
        .await
    }

    /// One bounded step of merging the history index's runs: moves at most about `chunk`
    /// pointers, in key order, from the runs being merged into the run they make. When no
    /// merge is under way and some level holds [`HISTORY_FANOUT`] runs, starts merging
    /// the oldest of them into one run of the next level. False when there was nothing
    /// to do. Run in the background, step after step; each step is one short change.
    pub async fn merge_history(&self, chunk: u64) -> Result<bool, Error> {
        let per_run = (chunk / HISTORY_FANOUT as u64).max(1) as i64;
        self.write(move |c| {
            Box::pin(async move {
                let (_, _, runs) = history_state(c).await?;
                let building: Option<(i64, Vec<u8>, i64)> = db::query_as("SELECT run, cursor_subject, cursor_idx FROM ledger_subject_runs WHERE cursor_idx IS NOT NULL ORDER BY run LIMIT 1")
                    .fetch_optional(&mut *c)
                    .await
                    .map_err(db)?;
                let (target, cs, ci) = match building {
                    Some(b) => b,
                    None => match start_merge(c, runs).await? {
                        Some(t) => (t, Vec::new(), -1),
                        None => return Ok(false),
                    },
                };
                let sources: Vec<(i64,)> = db::query_as("SELECT run FROM ledger_subject_runs WHERE merging_into = $1 ORDER BY run")
                    .bind(target)
                    .fetch_all(&mut *c)
                    .await
                    .map_err(db)?;
                // Where this step ends: no source gives more than `per_run` pointers.
                let mut end: Option<(Vec<u8>, i64)> = None;
                for (src,) in &sources {
                    let kth: Option<(Vec<u8>, i64)> = db::query_as("SELECT subject, idx FROM ledger_subjects WHERE run = $1 AND (subject, idx) > ($2, $3) ORDER BY subject, idx LIMIT 1 OFFSET $4")
                        .bind(*src)
                        .bind(cs.clone())
                        .bind(ci)
                        .bind(per_run - 1)
                        .fetch_optional(&mut *c)
                        .await
                        .map_err(db)?;
                    if let Some(k) = kth {
                        if end.as_ref().is_none_or(|e| k < *e) {
                            end = Some(k);
                        }
                    }
                }
                const FROM: &str = "FROM ledger_subjects WHERE run IN (SELECT run FROM ledger_subject_runs WHERE merging_into = $1) AND (subject, idx) > ($2, $3)";
                let upto = if end.is_some() { " AND (subject, idx) <= ($4, $5)" } else { "" };
                let (es, ei) = end.clone().unwrap_or_default();
                let copy = format!("INSERT INTO ledger_subjects (run, subject, idx) SELECT $1, subject, idx {FROM}{upto} ORDER BY subject, idx");
                let delete = format!("DELETE {FROM}{upto}");
                for sql in [&copy, &delete] {
                    let mut q = db::query(sql).bind(target).bind(cs.clone()).bind(ci);
                    if end.is_some() {
                        q = q.bind(es.clone()).bind(ei);
                    }
                    q.execute(&mut *c).await.map_err(db)?;
                }
                match end {
                    Some((s, i)) => {
                        db::query("UPDATE ledger_subject_runs SET cursor_subject = $1, cursor_idx = $2 WHERE run = $3")
                            .bind(s)
                            .bind(i)
                            .bind(target)
                            .execute(&mut *c)
                            .await
                            .map_err(db)?;
                    }
                    None => {
                        db::query("DELETE FROM ledger_subject_runs WHERE merging_into = $1")
                            .bind(target)
                            .execute(&mut *c)
                            .await
                            .map_err(db)?;
                        db::query("UPDATE ledger_subject_runs SET cursor_subject = NULL, cursor_idx = NULL WHERE run = $1")
                            .bind(target)
                            .execute(&mut *c)
                            .await
                            .map_err(db)?;
                    }
                }
                Ok(true)
            })
        })
        .await
    }

    /// Bring the history index up to the log: every entry into runs of at most `batch`,
    /// then every merge due, in steps of `step` pointers. (entries indexed, merge steps).
    /// For tools and benchmarks; the service does the same in the background.
    pub async fn catch_up_history(&self, batch: u64, step: u64) -> Result<(u64, u64), Error> {
        let (mut indexed, mut steps) = (0u64, 0u64);
        loop {
            let n = self.index_subjects(batch).await?;
            indexed += n;
            while self.merge_history(step).await? {
                steps += 1;
            }
            if n < batch {
                return Ok((indexed, steps));
            }
        }
    }

    /// The history index's runs, oldest entries first.
    pub async fn history_runs(&self) -> Result<Vec<HistoryRun>, Error> {
        let mut c = self.reader().await?;
        runs_on(&mut c).await
    }

    async fn nodes(&self, c: &mut Conn, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, Error> {
        let mut out = HashMap::with_capacity(ids.len());
        let (leaves, inner): (Vec<NodeId>, Vec<NodeId>) = ids.iter().partition(|n| n.level == 0);
        let keys: Vec<i64> = inner.iter().map(|id| id.key() as i64).collect();
        for (k, h) in hashes_by(
            c,
            "SELECT key AS k, hash AS h FROM ledger_nodes WHERE key",
            &keys,
        )
        .await?
        {
            out.insert(NodeId::from_key(k as u64), h);
        }
        let keys: Vec<i64> = leaves.iter().map(|id| id.index as i64).collect();
        for (k, h) in hashes_by(
            c,
            "SELECT idx AS k, leaf AS h FROM ledger_entries WHERE idx",
            &keys,
        )
        .await?
        {
            out.insert(NodeId::leaf(k as u64), h);
        }
        Ok(out)
    }

    async fn proof_of(&self, ranges: &[Range]) -> Result<Vec<Hash>, Error> {
        let mut c = self.reader().await?;
        let nodes = self.nodes(&mut c, &nodes_for(ranges)).await?;
        qorgau_ledger::tree::assemble(ranges, |id| nodes.get(&id).copied()).ok_or_else(|| {
            tracing::error!("a ledger node a proof needs is missing");
            Error::new(ErrorCode::Internal)
        })
    }

    /// The inclusion proof of entry `index` in the tree of `size` entries.
    pub async fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, Error> {
        if index >= size || size > self.ledger_size().await? {
            return Err(Error::new(ErrorCode::ValidationFailed).at("tree_size"));
        }
        self.proof_of(&inclusion_ranges(index, size)).await
    }

    /// The consistency proof from the tree of `from` entries to the tree of `to`.
    pub async fn consistency_proof(&self, from: u64, to: u64) -> Result<Vec<Hash>, Error> {
        if from > to || to > self.ledger_size().await? {
            return Err(Error::new(ErrorCode::ValidationFailed).at("to"));
        }
        self.proof_of(&consistency_ranges(from, to)).await
    }

    /// The tree head at `size`, from the stored nodes.
    pub async fn root_at(&self, size: u64) -> Result<Hash, Error> {
        if size == 0 {
            return Ok(qorgau_ledger::tree::empty_root());
        }
        let v = self
            .proof_of(&[Range {
                start: 0,
                end: size,
            }])
            .await?;
        v.into_iter()
            .next()
            .ok_or_else(|| Error::new(ErrorCode::Internal))
    }

    /// An evidence bundle: the selected entries with their inclusion proofs against
    /// the latest checkpoint, every checkpoint up to it and the proofs linking them.
    pub async fn export_bundle(
        &self,
        from: u64,
        to: u64,
        organization: Option<String>,
        selection: String,
    ) -> Result<Bundle, Error> {
        let signer = self.checkpoint_signer();
        let checkpoints = self.checkpoints().await?;
        let Some(head) = checkpoints.last() else {
            return Err(Error::new(ErrorCode::NotFound).at("checkpoint"));
        };
        let to = to.min(head.size);
        let mut consistency = Vec::new();
        for w in checkpoints.windows(2) {
            consistency.push(hashes_to_hex(
                &self.consistency_proof(w[0].size, w[1].size).await?,
            ));
        }
        let mut entries = Vec::new();
        for e in self.ledger_entries(from, to, organization).await? {
            let proof = self.inclusion_proof(e.index, head.size).await?;
            entries.push(BundleEntry {
                index: e.index,
                entry: base64_encode(&e.body),
                inclusion: hashes_to_hex(&proof),
            });
        }
        Ok(Bundle {
            format: FORMAT.to_owned(),
            verifier_key: signer.verifier().encode(),
            checkpoints: checkpoints.iter().map(|c| c.note.clone()).collect(),
            consistency,
            selection,
            entries,
        })
    }

    /// Recompute the whole tree from the stored entries and check it against every
    /// stored node, the stored edge and every checkpoint; check each checkpoint's
    /// signature and the consistency of each with the one before; and, given a
    /// checkpoint held from earlier, prove the log still extends it.
    pub async fn verify_ledger(&self, held: Option<&str>) -> Result<VerifyReport, Error> {
        let verifier = self.checkpoint_signer().verifier();
        let mut report = VerifyReport::default();
        let held = match held {
            None => None,
            Some(note) => match verifier.verify(note) {
                Ok(cp) => Some(cp),
                Err(e) => {
                    report.fail(format!("the checkpoint you hold does not verify: {e}"));
                    None
                }
            },
        };
        // One snapshot for everything read below, so that a server appending meanwhile
        // does not look like a tampered log.
        let mut c = self.reader().await?;
        begin_snapshot(&mut c).await?;
        let r = self.verify_in(&mut c, verifier, held, report).await;
        let _ = db::query("ROLLBACK").execute(&mut c).await;
        r
    }

    async fn verify_in(
        &self,
        c: &mut Conn,
        verifier: NoteVerifier,
        held: Option<Checkpoint>,
        mut report: VerifyReport,
    ) -> Result<VerifyReport, Error> {
        let checkpoints = checkpoints_on(&mut *c).await?;
        let mut heads: Vec<(u64, Hash)> = Vec::new();
        for cp in &checkpoints {
            match verifier.verify(&cp.note) {
                Ok(c) if c.size == cp.size && c.root == cp.root => heads.push((c.size, c.root)),
                Ok(_) => report.fail(format!(
                    "checkpoint {}: its note and its row disagree",
                    cp.size
                )),
                Err(e) => report.fail(format!("checkpoint {}: {e}", cp.size)),
            }
        }
        report.checkpoints = checkpoints.len() as u64;
        let mut wanted: HashMap<u64, Hash> = heads.iter().copied().collect();
        if let Some(h) = &held {
            wanted.entry(h.size).or_insert(h.root);
        }

        // Stream entries and stored nodes in completion order.
        let mut frontier = Frontier::new();
        let mut expected_nodes: std::collections::VecDeque<(NodeId, Hash)> = Default::default();
        let mut node_cursor: i64 = -1;
        let mut next: u64 = 0;
        let mut roots: HashMap<u64, Hash> = HashMap::new();
        const PAGE: i64 = 20_000;
        loop {
            let rows = db::query("SELECT idx, body, leaf, kind, at, subject, organization_id FROM ledger_entries WHERE idx >= $1 ORDER BY idx LIMIT $2")
                .bind(next as i64)
                .bind(PAGE)
                .fetch_all(&mut *c)
                .await
                .map_err(db)?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let e = entry_of(r)?;
                if e.index != frontier.size() {
                    report.fail(format!(
                        "entry {} is missing: the next stored entry is {}",
                        frontier.size(),
                        e.index
                    ));
                    return Ok(report);
                }
                let leaf = leaf_hash(&e.body);
                if e.leaf != leaf {
                    report.fail(format!(
                        "entry {}: its content does not match its leaf hash",
                        e.index
                    ));
                }
                // The columns that index an entry must say what the entry says, or the
                // history would show someone else's entries as theirs.
                match Entry::from_bytes(&e.body) {
                    None => report.fail(format!("entry {}: not a well-formed entry", e.index)),
                    Some(parsed) => {
                        let kind: String = r.try_get("kind").map_err(db)?;
                        let at: i64 = r.try_get("at").map_err(db)?;
                        let subject: Option<Vec<u8>> = r.try_get("subject").map_err(db)?;
                        let org: Option<String> = r.try_get("organization_id").map_err(db)?;
                        if kind != parsed.kind
                            || at != ts_to_db(parsed.at)
                            || subject
                                != parsed
                                    .subject
                                    .as_deref()
                                    .and_then(qorgau_ledger::entry::unhex)
                            || org != parsed.organization
                        {
                            report.fail(format!(
                                "entry {}: its index columns do not match it",
                                e.index
                            ));
                        }
                    }
                }
                frontier.push(leaf, |id, h| {
                    if id.level > 0 {
                        expected_nodes.push_back((id, *h));
                    }
                });
                if wanted.contains_key(&frontier.size()) {
                    roots.insert(frontier.size(), frontier.root());
                }
                next = e.index + 1;
            }
            // Compare the nodes completed so far with the stored ones, in key order.
            let upto = expected_nodes.back().map(|n| n.0.key() as i64);
            if let Some(upto) = upto {
                let stored = db::query(
                    "SELECT key, hash FROM ledger_nodes WHERE key > $1 AND key <= $2 ORDER BY key",
                )
                .bind(node_cursor)
                .bind(upto)
                .fetch_all(&mut *c)
                .await
                .map_err(db)?;
                let mut stored_iter = stored.iter();
                while let Some((id, h)) = expected_nodes.pop_front() {
                    match stored_iter.next() {
                        Some(r) => {
                            let k: i64 = r.try_get("key").map_err(db)?;
                            let sh: Vec<u8> = r.try_get("hash").map_err(db)?;
                            if k != id.key() as i64 {
                                report.fail(format!(
                                    "tree node {}/{} is missing or misplaced",
                                    id.level, id.index
                                ));
                                return Ok(report);
                            }
                            if sh != h {
                                report.fail(format!(
                                    "tree node {}/{} does not match the entries",
                                    id.level, id.index
                                ));
                            }
                        }
                        None => {
                            report.fail(format!("tree node {}/{} is missing", id.level, id.index));
                            return Ok(report);
                        }
                    }
                }
                if stored_iter.next().is_some() {
                    report.fail("the tree holds nodes no entry accounts for".to_owned());
                }
                node_cursor = upto;
            }
        }
        report.entries = frontier.size();
        let extra = db::query("SELECT COUNT(*) AS n FROM ledger_nodes WHERE key > $1")
            .bind(node_cursor)
            .fetch_one(&mut *c)
            .await
            .map_err(db)?;
        let n: i64 = extra.try_get("n").map_err(db)?;
        if n > 0 {
            report.fail(format!("the tree holds {n} nodes beyond the last entry"));
        }
        let (state, indexed): (Vec<u8>, i64) =
            db::query_as("SELECT frontier, subjects_indexed FROM ledger_state WHERE id = 1")
                .fetch_one(&mut *c)
                .await
                .map_err(db)?;
        verify_history(c, indexed, frontier.size(), &mut report).await?;
        match Frontier::from_bytes(&state) {
            Some(f) if f == frontier => {}
            _ => report.fail("the stored edge of the tree does not match the entries".to_owned()),
        }
        for (size, root) in &heads {
            match roots.get(size) {
                Some(r) if r == root => {}
                Some(_) => report.fail(format!(
                    "checkpoint {size}: the entries give another tree head"
                )),
                None => report.fail(format!(
                    "checkpoint {size}: the log has only {} entries",
                    frontier.size()
                )),
            }
        }
        // Consistency between consecutive checkpoints, by proofs from the stored nodes.
        if report.ok() {
            for w in heads.windows(2) {
                let ((s1, r1), (s2, r2)) = (w[0], w[1]);
                let proof = self.consistency_proof(s1, s2).await?;
                if let Err(e) = verify_consistency(s1, s2, &r1, &r2, &proof) {
                    report.fail(format!(
                        "checkpoint {s2} does not extend checkpoint {s1}: {e}"
                    ));
                }
            }
        }
        if let Some(h) = held {
            if h.size > frontier.size() {
                report.fail(format!(
                    "ROLLBACK: the checkpoint you hold has {} entries, the log only {}",
                    h.size,
                    frontier.size()
                ));
            } else if roots.get(&h.size) != Some(&h.root) {
                report.fail(format!(
                    "FORK: the log's first {} entries are not those of the checkpoint you hold",
                    h.size
                ));
            } else if report.ok() {
                let now_root = frontier.root();
                let proof = self.consistency_proof(h.size, frontier.size()).await?;
                match verify_consistency(h.size, frontier.size(), &h.root, &now_root, &proof) {
                    Ok(()) => report.extends_held = Some(h.size),
                    Err(e) => report.fail(format!(
                        "the log does not extend the checkpoint you hold: {e}"
                    )),
                }
            }
        }
        report.uncovered = frontier
            .size()
            .saturating_sub(heads.last().map(|h| h.0).unwrap_or(0));
        report.root = frontier.root();
        report.verifier_key = verifier.encode();
        Ok(report)
    }
}

/// What `verify_ledger` found.
#[derive(Debug, Default, Clone)]
pub struct VerifyReport {
    pub entries: u64,
    pub checkpoints: u64,
    /// Entries after the last checkpoint (covered by the next one).
    pub uncovered: u64,
    pub root: Hash,
    pub extends_held: Option<u64>,
    pub verifier_key: String,
    pub failures: Vec<String>,
}

/// The history index's runs, by the entries they cover.
async fn runs_on(c: &mut Conn) -> Result<Vec<HistoryRun>, Error> {
    let rows = db::query("SELECT run, level, from_idx, to_idx, merging_into, cursor_idx FROM ledger_subject_runs ORDER BY from_idx, run")
        .fetch_all(c)
        .await
        .map_err(db)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let level: i64 = r.try_get("level").map_err(db)?;
        let from: i64 = r.try_get("from_idx").map_err(db)?;
        let to: i64 = r.try_get("to_idx").map_err(db)?;
        let cursor: Option<i64> = r.try_get("cursor_idx").map_err(db)?;
        out.push(HistoryRun {
            run: r.try_get("run").map_err(db)?,
            level: level.clamp(0, i64::from(u32::MAX)) as u32,
            from: from.max(0) as u64,
            to: to.max(0) as u64,
            merging_into: r.try_get("merging_into").map_err(db)?,
            building: cursor.is_some(),
        });
    }
    Ok(out)
}

/// The subjects' history index must point at exactly the entries about each subject
/// below `indexed`: its runs cover disjoint entries (a merge's target only those of its
/// sources), every pointer is in its run's entries and names that entry's subject, a
/// pointer being merged is in its source or in the target, never both, and there are as
/// many pointers as such entries. Together: each entry is found exactly once.
async fn verify_history(
    c: &mut Conn,
    indexed: i64,
    size: u64,
    report: &mut VerifyReport,
) -> Result<(), Error> {
    if indexed < 0 || indexed as u64 > size {
        report.fail("the history index claims entries the log does not have".to_owned());
    }
    let runs = runs_on(&mut *c).await?;
    let building: HashMap<i64, (u64, u64)> = runs
        .iter()
        .filter(|r| r.building)
        .map(|r| (r.run, (r.from, r.to)))
        .collect();
    // Every run but a merge's target covers entries no other run covers; a target covers
    // its sources and overlaps nothing else.
    let mut last_end = 0u64;
    for r in &runs {
        if r.from >= r.to || r.to > indexed.max(0) as u64 {
            report.fail(format!(
                "history run {} covers entries {}..{}, outside the indexed {indexed}",
                r.run, r.from, r.to
            ));
        }
        if let Some(t) = r.merging_into {
            match building.get(&t) {
                Some(&(tf, tt)) if tf <= r.from && r.to <= tt => {}
                _ => report.fail(format!(
                    "history run {} is merged into a run that does not cover it",
                    r.run
                )),
            }
        }
        if r.building {
            let others = runs.iter().filter(|o| {
                o.run != r.run && o.from < r.to && r.from < o.to && o.merging_into != Some(r.run)
            });
            if others.count() > 0 {
                report.fail(format!("history run {} overlaps another run", r.run));
            }
        } else {
            if r.from < last_end {
                report.fail(format!("history run {} overlaps another run", r.run));
            }
            last_end = last_end.max(r.to);
        }
    }
    let wrong = db::count(c, "SELECT COUNT(*) FROM ledger_subjects s LEFT JOIN ledger_subject_runs r ON r.run = s.run LEFT JOIN ledger_entries e ON e.idx = s.idx WHERE r.run IS NULL OR e.idx IS NULL OR e.subject IS NULL OR e.subject <> s.subject OR s.idx < r.from_idx OR s.idx >= r.to_idx")
        .await
        .map_err(db)?;
    if wrong > 0 {
        report.fail(format!(
            "the history index holds {wrong} pointers to entries about someone else or to none"
        ));
    }
    let twice = db::count(c, "SELECT COUNT(*) FROM ledger_subjects s JOIN ledger_subject_runs r ON r.run = s.run JOIN ledger_subjects t ON t.run = r.merging_into AND t.subject = s.subject AND t.idx = s.idx")
        .await
        .map_err(db)?;
    if twice > 0 {
        report.fail(format!(
            "the history index holds {twice} pointers twice, in a merge's source and target"
        ));
    }
    let pointers = db::count(c, "SELECT COUNT(*) FROM ledger_subjects")
        .await
        .map_err(db)?;
    let (about,): (i64,) =
        db::query_as("SELECT COUNT(*) FROM ledger_entries WHERE idx < $1 AND subject IS NOT NULL")
            .bind(indexed)
            .fetch_one(&mut *c)
            .await
            .map_err(db)?;
    if pointers < about {
        report.fail(format!(
            "{} entries are missing from their subject's history index",
            about - pointers
        ));
    } else if pointers > about && wrong == 0 && twice == 0 {
        report.fail(format!(
            "the history index holds {} more pointers than entries",
            pointers - about
        ));
    }
    Ok(())
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }

    fn fail(&mut self, what: String) {
        // Enough to act on; a corrupted log can produce one line per entry.
        if self.failures.len() < 100 {
            self.failures.push(what);
        }
    }
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn entry_of(r: &db::Row) -> Result<StoredEntry, Error> {
    let idx: i64 = r.try_get("idx").map_err(db)?;
    let body: Vec<u8> = r.try_get("body").map_err(db)?;
    let leaf: Vec<u8> = r.try_get("leaf").map_err(db)?;
    Ok(StoredEntry {
        index: idx as u64,
        body,
        leaf,
    })
}

async fn checkpoints_on(c: &mut Conn) -> Result<Vec<StoredCheckpoint>, Error> {
    let rows =
        db::query("SELECT size, root, note, issued_at FROM ledger_checkpoints ORDER BY size")
            .fetch_all(c)
            .await
            .map_err(db)?;
    rows.iter().map(checkpoint_of).collect()
}

fn checkpoint_of(r: &db::Row) -> Result<StoredCheckpoint, Error> {
    let size: i64 = r.try_get("size").map_err(db)?;
    let root: Vec<u8> = r.try_get("root").map_err(db)?;
    let note: String = r.try_get("note").map_err(db)?;
    let at: i64 = r.try_get("issued_at").map_err(db)?;
    Ok(StoredCheckpoint {
        size: size as u64,
        root: hash32(root)?,
        note,
        issued_at: ts_from_db(at),
    })
}

impl Store {
    /// The pseudonym under which the ledger names a subject the service knows.
    pub async fn subject_pseudonym(&self, subject: uuid::Uuid) -> Result<Option<Vec<u8>>, Error> {
        let mut c = self.reader().await?;
        subject_ref(&mut c, &subject.to_string()).await
    }
}

impl Store {
    /// Record entries that accompany no other change (acts reported from outside, the
    /// benchmarks), in one change: one savepoint, the next group commit.
    pub async fn record(&self, entries: Vec<Entry>) -> Result<Vec<u64>, Error> {
        let prepared: Vec<Prepared> = entries.iter().map(Prepared::new).collect();
        self.write(move |c| Box::pin(async move { append_many(c, prepared).await }))
            .await
    }

    /// The first ledger index at or after `at`, or the tree size when there is none.
    pub async fn ledger_index_at(&self, at: Timestamp) -> Result<u64, Error> {
        let mut c = self.reader().await?;
        let (n,): (Option<i64>,) =
            db::query_as("SELECT MIN(idx) FROM ledger_entries WHERE at >= $1")
                .bind(ts_to_db(at))
                .fetch_one(&mut c)
                .await
                .map_err(db)?;
        match n {
            Some(n) => Ok(n as u64),
            None => self.ledger_size().await,
        }
    }
}

/// An evidence bundle handed out, as recorded: what was selected, never personal data.
#[derive(Debug, Clone)]
pub struct EvidenceExport {
    /// The staff account that exported it (its id, not its login), and its role.
    pub account: uuid::Uuid,
    pub role: qorgau_core::auth::Role,
    /// Ledger indexes `[from, to)`, `to` at most the checkpoint's size.
    pub from: u64,
    pub to: u64,
    /// Only this organization's entries, or all.
    pub organization: Option<uuid::Uuid>,
    /// The size of the checkpoint the proofs are against.
    pub checkpoint: u64,
    /// How many entries the bundle holds.
    pub entries: u64,
}

impl Store {
    /// Record that an evidence bundle was exported (Art. 27-3): an `evidence.exported`
    /// entry in the ledger, by the account, with the selection; and a line of the
    /// security log. The entry names the selected organization in its details only, so
    /// it is not itself one of that organization's entries.
    pub async fn record_evidence_export(
        &self,
        export: EvidenceExport,
        now: Timestamp,
    ) -> Result<u64, Error> {
        let actor = qorgau_ledger::Actor::new("account", Some(export.account.to_string()));
        let mut e = Entry::new("evidence.exported", now, actor.clone())
            .detail("role", export.role.as_str())
            .detail("from", export.from)
            .detail("to", export.to)
            .detail("checkpoint", export.checkpoint)
            .detail("entries", export.entries);
        e = match export.organization {
            Some(o) => e.detail("selected_organization", o),
            None => e.detail("selected_organization", "all"),
        };
        let p = Prepared::new(&e);
        let index = self
            .write(move |c| Box::pin(async move { append_prepared(c, p).await }))
            .await?;
        crate::sessions::security_log("evidence.exported", &actor);
        Ok(index)
    }
}

impl Store {
    /// The latest `limit` checkpoints, newest first, and how many there are in all
    /// (for a page: `checkpoints` reads every one).
    pub async fn recent_checkpoints(
        &self,
        limit: u32,
    ) -> Result<(Vec<StoredCheckpoint>, u64), Error> {
        let mut c = self.reader().await?;
        let rows = db::query(
            "SELECT size, root, note, issued_at FROM ledger_checkpoints ORDER BY size DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&mut c)
        .await
        .map_err(db)?;
        let n = db::count(&mut c, "SELECT COUNT(*) FROM ledger_checkpoints")
            .await
            .map_err(db)?;
        let list = rows.iter().map(checkpoint_of).collect::<Result<_, _>>()?;
        Ok((list, n.max(0) as u64))
    }
}
