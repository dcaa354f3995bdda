//! Access decisions: gather the facts, let `core` decide, keep the decision durably.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use jiff::Timestamp;
use qorgau_core::catalogue::PurposeCode;
use qorgau_core::consent::{ConsentState, ConsentTerms};
use qorgau_core::decision::{decide, AccessRequest, ConsentFacts, Decision, Facts, LegalGround};
use qorgau_core::id::{Bin, CountryCode, Iin};
use qorgau_core::org::OrgKind;
use qorgau_core::{Error, ErrorCode};
use uuid::Uuid;

use crate::{db, from_json, new_id, ts_from_db, ts_to_db, Conn, Store};

/// A decision as kept: what was asked, the answer, and its place in the record.
#[derive(Debug, Clone)]
pub struct RecordedDecision {
    pub id: Uuid,
    /// The decision's index in the ledger.
    pub sequence: u64,
    pub decided_at: Timestamp,
    pub decision: Decision,
}

/// A request for a decision as the API receives it (validated types).
#[derive(Debug, Clone)]
pub struct DecisionInput {
    pub subject: Iin,
    pub request: AccessRequest,
    /// For a third party: the owner or operator that holds the data.
    pub holder: Option<Bin>,
}

/// The facts query, reading the subjects through `$from`.
macro_rules! facts_sql {
    ($from:literal) => {
        concat!(
            "SELECT c.id, c.version, c.state, c.terms, c.respond_by, c.valid_from, c.valid_until, p.code, ",
            "(SELECT COUNT(*) FROM blocks b WHERE b.subject_id = s.id AND b.organization_id = $2 AND b.unblocked_at IS NULL) AS blocks ",
            "FROM ", $from, " ",
            "LEFT JOIN consents c ON c.subject_id = s.id AND c.organization_id = $2 ",
            "LEFT JOIN purposes p ON p.id = c.purpose_id ",
            "WHERE s.iin_index = $1"
        )
    };
}
const FACTS_SQLITE: &str = facts_sql!("subjects s INDEXED BY subjects_by_iin_index");
const FACTS_POSTGRES: &str = facts_sql!("subjects s");

/// The subject (by blind index), the holder's consents for them, and whether their data
/// are blocked at the holder: one query. `None` when the service has never seen the IIN.
async fn facts_of(
    c: &mut Conn,
    holder: Uuid,
    index: &[u8],
) -> Result<Option<(Vec<ConsentFacts>, bool)>, Error> {
    // Both lookups are answered from covering indexes (migration 0010), so that the
    // decision reads two leaves, not four, wherever they are in a large database. SQLite
    // would take the unique index on the blind index, which is not covering, unless told.
    let sql = match c.backend() {
        crate::Backend::Sqlite => FACTS_SQLITE,
        crate::Backend::Postgres => FACTS_POSTGRES,
    };
    let rows = crate::db::query(sql)
        .bind(index.to_vec())
        .bind(holder.to_string())
        .fetch_all(&mut *c)
        .await
        .map_err(db)?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let blocks: i64 = first.try_get("blocks").map_err(db)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let Some(id) = r.try_get::<Option<String>>("id").map_err(db)? else {
            continue;
        };
        let state: String = r.try_get("state").map_err(db)?;
        let terms: String = r.try_get("terms").map_err(db)?;
        let terms: ConsentTerms = from_json(&terms)?;
        let code: String = r.try_get("code").map_err(db)?;
        let valid_from: Option<i64> = r.try_get("valid_from").map_err(db)?;
        out.push(ConsentFacts {
            id: id.parse().map_err(|_| Error::internal())?,
            version: r.try_get("version").map_err(db)?,
            purpose: PurposeCode::parse(&code)?,
            state: ConsentState::parse(&state).ok_or_else(Error::internal)?,
            respond_by: ts_from_db(r.try_get("respond_by").map_err(db)?),
            valid_from: valid_from.map(ts_from_db),
            valid_until: ts_from_db(r.try_get("valid_until").map_err(db)?),
            categories: terms.categories,
            transfer: terms.transfer_to_third_parties,
            cross_border: terms.cross_border_transfer,
            dissemination: terms.dissemination_in_public_sources,
        });
    }
    Ok(Some((out, blocks > 0)))
}

/// One of the two covering indexes a decision reads, as the prewarm reads it: every entry,
/// cut into ranges of its leading column so that several connections read at once.
/// `INDEXED BY` makes SQLite read that index or refuse the statement, so a renamed index
/// fails here rather than warming the wrong pages.
struct WarmIndex {
    table: &'static str,
    index: &'static str,
    /// The leading column, by which the index is cut into ranges.
    key: &'static str,
    /// A column every entry carries, so that counting it reads each entry.
    counted: &'static str,
    kind: KeyKind,
}

/// How a leading column's values are placed on a line, to cut it into ranges of about
/// equal numbers of entries.
#[derive(Clone, Copy)]
enum KeyKind {
    /// A blind index: keyed hashes, spread evenly; their first 16 bytes.
    Blob,
    /// An id as text (`new_id`: UUID v7, which begins with the time it was made).
    UuidText,
}

const WARM: [WarmIndex; 2] = [
    WarmIndex {
        table: "subjects",
        index: "subjects_by_iin_index",
        key: "iin_index",
        counted: "id",
        kind: KeyKind::Blob,
    },
    WarmIndex {
        table: "consents",
        index: "consents_facts",
        key: "subject_id",
        counted: "terms",
        kind: KeyKind::UuidText,
    },
];

/// How many connections read at once. A disk that is not in the page cache yet answers
/// several reads at once much faster than one after the other, and a leaf of an index
/// built in random order is seldom next to the one before it.
const PREWARM_READERS: usize = 8;

/// Into how many key ranges each index is cut: several per reader, so that all stay busy
/// when the keys are not spread evenly (ids begin with the time they were made, and
/// subjects do not arrive at an even pace).
const PREWARM_PARTS: u128 = 64;

/// One range of one index: `[from, to)`, open where `None`.
struct WarmPart {
    index: usize,
    from: Option<db::Value>,
    to: Option<db::Value>,
}

impl KeyKind {
    /// Where a key lies; `None` for NULL or a value of another kind.
    fn place(self, v: &db::Value) -> Option<u128> {
        match (self, v) {
            (KeyKind::Blob, db::Value::Blob(b)) => {
                let mut first = [0u8; 16];
                let n = b.len().min(16);
                first[..n].copy_from_slice(&b[..n]);
                Some(u128::from_be_bytes(first))
            }
            (KeyKind::UuidText, db::Value::Text(t)) => Uuid::parse_str(t).ok().map(|u| u.as_u128()),
            _ => None,
        }
    }

    /// The value at `place`. Values made from larger places sort after those made from
    /// smaller ones (big-endian bytes of one length; lower-case hyphenated UUIDs).
    fn value(self, place: u128) -> db::Value {
        match self {
            KeyKind::Blob => db::Value::Blob(place.to_be_bytes().to_vec()),
            KeyKind::UuidText => db::Value::Text(Uuid::from_u128(place).to_string()),
        }
    }
}

/// Up to `parts - 1` places strictly between `low` and `high`, ascending, that cut the
/// span between them into about equal pieces.
fn cuts(low: u128, high: u128, parts: u128) -> Vec<u128> {
    if high <= low || parts < 2 {
        return Vec::new();
    }
    let step = ((high - low) / parts).max(1);
    (1..parts)
        .map(|i| low + step * i)
        .take_while(|&p| p < high)
        .collect()
}

/// Where the index's first (`MIN`) or last (`MAX`) key lies; `None` when it is empty or
/// the key has no place. SQLite answers a lone `MIN` or `MAX` from that end of the index,
/// but reads all of it for both in one statement.
async fn end_place(c: &mut Conn, w: &WarmIndex, end: &str) -> Result<Option<u128>, Error> {
    let sql = format!(
        "SELECT {end}({k}) FROM {t} INDEXED BY {i}",
        k = w.key,
        t = w.table,
        i = w.index
    );
    let (key,): (db::Value,) = crate::db::query_as(&sql)
        .fetch_one(&mut *c)
        .await
        .map_err(db)?;
    // NULL (an empty index) has no place.
    Ok(w.kind.place(&key))
}

/// The ranges of every index to read: each index from its first key to its last, cut
/// evenly; the first range and the last are open, so that together they cover every entry
/// whatever was written since.
async fn prewarm_plan(c: &mut Conn) -> Result<Vec<WarmPart>, Error> {
    let mut parts = Vec::new();
    for (index, w) in WARM.iter().enumerate() {
        let low = end_place(c, w, "MIN").await?;
        let high = end_place(c, w, "MAX").await?;
        let places = match (low, high) {
            (Some(low), Some(high)) => cuts(low, high, PREWARM_PARTS),
            _ => Vec::new(),
        };
        let mut from = None;
        for p in places {
            let to = w.kind.value(p);
            parts.push(WarmPart {
                index,
                from: from.replace(to.clone()),
                to: Some(to),
            });
        }
        parts.push(WarmPart {
            index,
            from,
            to: None,
        });
    }
    Ok(parts)
}

/// Count the entries of one range (which reads each of them).
async fn prewarm_part(c: &mut Conn, part: &WarmPart) -> Result<u64, Error> {
    let w = &WARM[part.index];
    let range = match (&part.from, &part.to) {
        (Some(_), Some(_)) => format!(" WHERE {k} >= $1 AND {k} < $2", k = w.key),
        (Some(_), None) => format!(" WHERE {k} >= $1", k = w.key),
        (None, Some(_)) => format!(" WHERE {k} < $1", k = w.key),
        (None, None) => String::new(),
    };
    let sql = format!(
        "SELECT COUNT({n}) FROM {t} INDEXED BY {i}{range}",
        n = w.counted,
        t = w.table,
        i = w.index
    );
    let mut q = crate::db::query_as::<(i64,)>(&sql);
    for v in [&part.from, &part.to].into_iter().flatten() {
        q = q.bind(v.clone());
    }
    let (n,) = q.fetch_one(&mut *c).await.map_err(db)?;
    Ok(n.max(0) as u64)
}

fn current_thread() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|_| Error::new(ErrorCode::Unavailable))
}

/// The prewarm itself: the ranges are planned on the calling thread, then read by
/// [`PREWARM_READERS`] threads, each with a connection of its own, taking the next range
/// as they finish one. They stop between ranges once `cancelled` says so.
fn prewarm_blocking(
    opener: &db::Opener,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Prewarmed, Error> {
    let parts = current_thread()?.block_on(async {
        let mut c = opener.open().await.map_err(db)?;
        prewarm_plan(&mut c).await
    })?;
    let next = AtomicUsize::new(0);
    let read = [AtomicU64::new(0), AtomicU64::new(0)];
    let failed: Mutex<Option<Error>> = Mutex::new(None);
    let fail = |e: Error| {
        // The others stop at their next range.
        next.store(parts.len(), Ordering::Relaxed);
        if let Ok(mut f) = failed.lock() {
            f.get_or_insert(e);
        }
    };
    let reader = || {
        let work = async {
            let mut c = opener.open().await.map_err(db)?;
            while !cancelled() {
                let Some(part) = parts.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                let n = prewarm_part(&mut c, part).await?;
                read[part.index].fetch_add(n, Ordering::Relaxed);
            }
            Ok(())
        };
        if let Err(e) = current_thread().and_then(|rt| rt.block_on(work)) {
            fail(e);
        }
    };
    std::thread::scope(|s| {
        for _ in 0..PREWARM_READERS.min(parts.len()) {
            let spawned = std::thread::Builder::new()
                .name("qorgau-prewarm".to_owned())
                .spawn_scoped(s, reader);
            if spawned.is_err() {
                fail(Error::new(ErrorCode::Unavailable));
            }
        }
    });
    if let Some(e) = failed.into_inner().ok().flatten() {
        return Err(e);
    }
    if cancelled() {
        return Err(Error::new(ErrorCode::Unavailable));
    }
    let [subjects, consents] = read.map(AtomicU64::into_inner);
    Ok(Prewarmed { subjects, consents })
}

/// What [`Store::prewarm_decisions`] read: the entries of each index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prewarmed {
    pub subjects: u64,
    pub consents: u64,
}

async fn grounds_of(c: &mut Conn, org: Uuid) -> Result<Vec<LegalGround>, Error> {
    let rows: Vec<(String,)> =
        crate::db::query_as("SELECT ground FROM legal_grounds WHERE organization_id = $1")
            .bind(org.to_string())
            .fetch_all(&mut *c)
            .await
            .map_err(db)?;
    Ok(rows
        .iter()
        .filter_map(|(g,)| LegalGround::parse(g))
        .collect())
}

impl Store {
    /// Read the two covering indexes a decision reads (`subjects_by_iin_index` and
    /// `consents_facts`) from end to end, once, so that the operating system's page cache
    /// holds them. A decision about anyone then reads no page from disk.
    ///
    /// Without it a service keeps those pages in memory only once it has asked about most
    /// subjects at least twice. Ten million subjects took millions of decisions, each read
    /// from disk meanwhile (see the README's benchmarks). Several connections read key
    /// ranges at once (a cold disk answers several reads at once faster), on threads of
    /// their own, so it holds neither a reader of the pool nor a worker of the runtime, and
    /// it writes nothing. It stops between ranges once the caller no longer waits for it.
    ///
    /// SQLite only: `None` on PostgreSQL, which keeps pages in its own buffers (its
    /// `pg_prewarm` module does the same there).
    pub async fn prewarm_decisions(&self) -> Result<Option<Prewarmed>, Error> {
        if self.backend() != crate::Backend::Sqlite {
            return Ok(None);
        }
        let opener = self.inner.pool.opener().clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("qorgau-prewarm".to_owned())
            .spawn(move || {
                // Once the caller no longer waits (the service stops), the readers stop.
                let result = prewarm_blocking(&opener, &|| tx.is_closed());
                let _ = tx.send(result);
            })
            .map_err(|_| Error::new(ErrorCode::Unavailable))?;
        rx.await
            .map_err(|_| Error::new(ErrorCode::Unavailable))?
            .map(Some)
    }

    /// Decide whether `asker` may do what it asks, and keep the decision, allow or deny,
    /// before returning it. Unknown purposes, categories or holders are refused (4xx)
    /// and leave no record.
    pub async fn decide_access(
        &self,
        asker: Uuid,
        input: DecisionInput,
        adequate_countries: &BTreeSet<CountryCode>,
        now: Timestamp,
    ) -> Result<RecordedDecision, Error> {
        let index = self.secrets().keyring.blind_index(&input.subject);
        let org = self.organization_cached(asker).await?;
        // Whose data: the asker's own, or (for a third party) the holder's.
        let (holder, third_party) = match (org.kind, input.holder) {
            (OrgKind::ThirdParty, Some(bin)) => match self.organization_by_bin(&bin).await {
                Ok(h) if h.kind.collects() => (h.id, Some(org.bin)),
                Ok(_)
                | Err(Error {
                    code: ErrorCode::NotFound,
                    ..
                }) => return Err(Error::new(ErrorCode::UnknownHolder).at("holder_bin")),
                Err(e) => return Err(e),
            },
            (OrgKind::ThirdParty, None) => {
                return Err(Error::new(ErrorCode::ValidationFailed).at("holder_bin"))
            }
            (_, Some(bin)) if bin != org.bin => {
                return Err(Error::new(ErrorCode::ValidationFailed).at("holder_bin"))
            }
            _ => (asker, None),
        };
        let stored = self.purpose_cached(holder, &input.request.purpose).await?;
        let purpose = &stored.purpose;
        if let Some(unknown) = self
            .unknown_category(input.request.categories.iter())
            .await?
        {
            return Err(Error::new(ErrorCode::UnknownCategory)
                .at("categories")
                .arg("category", unknown.as_str()));
        }
        let mut c = self.reader().await?;
        let (consents, blocked) = facts_of(&mut c, holder, &index).await?.unwrap_or_default();
        let grounds = match input.request.legal_ground {
            Some(_) => grounds_of(&mut c, asker).await?,
            None => Vec::new(),
        };
        drop(c);
        // The storage term runs from the start of the first consent given for the purpose.
        let processing_started = consents
            .iter()
            .filter(|f| {
                f.purpose == purpose.code
                    && !matches!(
                        f.state,
                        ConsentState::Pending | ConsentState::Refused | ConsentState::Lapsed
                    )
            })
            .filter_map(|f| f.valid_from)
            .min();
        let facts = Facts {
            third_party,
            purpose,
            consents: &consents,
            processing_started,
            blocked,
            registered_grounds: &grounds,
            adequate_countries,
        };
        let decision = decide(&input.request, &facts, now);

        let id = new_id();
        let req = input.request;
        // The decision goes into the ledger: codes and ids only. The subject is the keyed
        // hash of the IIN, so a decision about a person the service has never seen is
        // kept the same way.
        let mut e = qorgau_ledger::Entry::new(
            "access.decided",
            now,
            qorgau_ledger::Actor::new("organization", Some(asker.to_string())),
        )
        .subject(&index)
        .organization(holder)
        .object("decision", id);
        e.purpose = Some(req.purpose.as_str().to_owned());
        e.action = Some(req.action.as_str().to_owned());
        e.categories = req
            .categories
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        e.outcome = Some(decision.outcome.as_str().to_owned());
        e.reasons = decision
            .reasons
            .iter()
            .map(|r| r.code.as_str().to_owned())
            .collect();
        if asker != holder {
            e = e.detail("asker", asker);
        }
        if let Some(b) = req.recipient.bin {
            e = e.detail("recipient_bin", b.as_string());
        }
        if let Some(cc) = req.recipient.country {
            e = e.detail("recipient_country", cc.as_string());
        }
        if let Some(g) = req.legal_ground {
            e = e.detail("legal_ground", g.as_str());
        }
        if let Some(g) = req.cross_border_ground {
            e = e.detail("cross_border_ground", g.as_str());
        }
        if let Some((consent, _)) = decision.consent {
            e = e.detail("consent", consent);
        }
        let prepared = crate::ledger::Prepared::new(&e);
        let sequence = self
            .write(move |c| {
                Box::pin(async move { crate::ledger::append_prepared(c, prepared).await })
            })
            .await?;
        Ok(RecordedDecision {
            id,
            sequence,
            decided_at: now,
            decision,
        })
    }

    /// Block the subject's data at `organization` (Art. 1 p.3, 24(1)(3)): every decision
    /// for them there is denied until unblocked. `false` when the IIN is unknown.
    pub async fn block_subject(
        &self,
        organization: Uuid,
        subject: &Iin,
        now: Timestamp,
    ) -> Result<bool, Error> {
        let index = self.secrets().keyring.blind_index(subject);
        self.write(move |c| {
            Box::pin(async move {
                let Some((sid,)) = crate::db::query_as::<(String,)>("SELECT id FROM subjects WHERE iin_index = $1")
                    .bind(index.clone())
                    .fetch_optional(c)
                    .await
                    .map_err(db)?
                else {
                    return Ok(false);
                };
                crate::db::query("INSERT INTO blocks (id, subject_id, organization_id, blocked_at) VALUES ($1, $2, $3, $4)")
                    .bind(new_id().to_string())
                    .bind(sid)
                    .bind(organization.to_string())
                    .bind(ts_to_db(now))
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                crate::ledger::append(
                    c,
                    &qorgau_ledger::Entry::new("data.blocked", now, qorgau_ledger::Actor::new("service", None))
                        .subject(&index)
                        .organization(organization),
                )
                .await?;
                Ok(true)
            })
        })
        .await
    }

    /// How many decisions are kept (for tests and operations).
    pub async fn count_decisions(&self) -> Result<i64, Error> {
        let mut c = self.reader().await?;
        let (n,): (i64,) = crate::db::query_as(
            "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'access.decided'",
        )
        .fetch_one(&mut c)
        .await
        .map_err(db)?;
        Ok(n)
    }

    /// Register `org` for an Art. 9 ground (an administrator's act).
    pub async fn register_legal_ground(
        &self,
        org: Uuid,
        ground: LegalGround,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.organization_cached(org).await?;
        self.write(move |c| {
            Box::pin(async move {
                crate::db::query("INSERT INTO legal_grounds (organization_id, ground, registered_at) VALUES ($1, $2, $3) ON CONFLICT (organization_id, ground) DO NOTHING")
                    .bind(org.to_string())
                    .bind(ground.as_str())
                    .bind(ts_to_db(now))
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                crate::ledger::append(
                    c,
                    &qorgau_ledger::Entry::new("legal_ground.registered", now, qorgau_ledger::Actor::new("admin", None))
                        .organization(org)
                        .detail("ground", ground.as_str()),
                )
                .await?;
                Ok(())
            })
        })
        .await
    }

    pub async fn legal_grounds(&self, org: Uuid) -> Result<Vec<LegalGround>, Error> {
        let mut c = self.reader().await?;
        let mut g = grounds_of(&mut c, org).await?;
        g.sort();
        Ok(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_are_ascending_and_strictly_inside() {
        for (low, high) in [
            (0, u128::MAX),
            (5, 70),
            (10, 11),
            (7, 7),
            (9, 3),
            (0, 63),
            (0, 64),
        ] {
            let c = cuts(low, high, 64);
            assert!(c.len() < 64, "{low}..{high}");
            assert!(c.windows(2).all(|w| w[0] < w[1]), "{low}..{high}: {c:?}");
            assert!(
                c.iter().all(|&p| low < p && p < high),
                "{low}..{high}: {c:?}"
            );
        }
        assert_eq!(cuts(0, 640, 64).len(), 63);
        assert_eq!(cuts(0, 640, 64)[0], 10);
        assert!(cuts(7, 7, 64).is_empty());
        assert!(cuts(9, 3, 64).is_empty());
    }

    #[test]
    fn values_sort_as_their_places() {
        // Each range's bounds are compared by SQLite: BLOBs byte by byte, TEXT by its bytes.
        let places = [
            0,
            1,
            255,
            256,
            1 << 64,
            (1 << 127) + 3,
            u128::MAX - 1,
            u128::MAX,
        ];
        for kind in [KeyKind::Blob, KeyKind::UuidText] {
            let values: Vec<db::Value> = places.iter().map(|&p| kind.value(p)).collect();
            for (v, &p) in values.iter().zip(&places) {
                assert_eq!(kind.place(v), Some(p));
            }
            for w in values.windows(2) {
                let ordered = match (&w[0], &w[1]) {
                    (db::Value::Blob(a), db::Value::Blob(b)) => a < b,
                    (db::Value::Text(a), db::Value::Text(b)) => a.as_bytes() < b.as_bytes(),
                    _ => false,
                };
                assert!(ordered, "{w:?}");
            }
        }
        // A key of another kind, or not an id, has no place (the index is read whole).
        assert_eq!(KeyKind::UuidText.place(&db::Value::Text("x".into())), None);
        assert_eq!(KeyKind::Blob.place(&db::Value::Text("x".into())), None);
        assert_eq!(
            KeyKind::Blob.place(&db::Value::Blob(vec![1])),
            Some(1 << 120)
        );
    }
}
