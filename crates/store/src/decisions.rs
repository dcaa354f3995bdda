//! Access decisions: gather the facts, let `core` decide, keep the decision durably.

use std::collections::BTreeSet;

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

/// The prewarming reads: every entry of the two covering indexes a decision reads, in key
/// order. `INDEXED BY` makes SQLite read that index or refuse the statement, so a renamed
/// index fails here rather than warming the wrong pages.
const PREWARM_SUBJECTS: &str = "SELECT COUNT(id) FROM subjects INDEXED BY subjects_by_iin_index";
const PREWARM_CONSENTS: &str = "SELECT COUNT(terms) FROM consents INDEXED BY consents_facts";

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
    /// from disk meanwhile (see the README's benchmarks). It runs on a connection and a
    /// thread of its own, so it holds neither a reader of the pool nor a worker of the
    /// runtime, and it writes nothing.
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
                let read = async move {
                    let mut c = opener.open().await.map_err(db)?;
                    let subjects = crate::db::count(&mut c, PREWARM_SUBJECTS).await;
                    let subjects = subjects.map_err(db)?.max(0) as u64;
                    let consents = crate::db::count(&mut c, PREWARM_CONSENTS).await;
                    let consents = consents.map_err(db)?.max(0) as u64;
                    Ok(Prewarmed { subjects, consents })
                };
                let result = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .map_err(|_| Error::new(ErrorCode::Unavailable))
                    .and_then(|rt| rt.block_on(read));
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
