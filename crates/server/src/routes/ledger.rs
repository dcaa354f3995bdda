//! The ledger over HTTP: checkpoints and consistency proofs for anyone, inclusion
//! proofs for those party to the entry, entries by range for the auditor, and the
//! subject's history.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use base64::Engine;
use qorgau_core::ErrorCode;
use qorgau_ledger::bundle::hashes_to_hex;
use qorgau_ledger::entry::hex;
use qorgau_ledger::Entry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{LedgerReader, SubjectSession};
use crate::extract::Query;
use crate::{ApiError, ApiResult, App};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CheckpointParams {
    /// The checkpoint of exactly this tree size (default: the latest).
    size: Option<u64>,
}

/// The latest signed checkpoint (C2SP `tlog-checkpoint`, a signed note), or the one of a
/// given size. Verify it with the `checkpoint_key` of `/v1/keys`.
#[utoipa::path(get, path = "/v1/ledger/checkpoint", tag = "ledger", params(CheckpointParams),
    responses((status = 200, content_type = "text/plain", body = String), (status = 404, body = crate::Problem)))]
pub async fn checkpoint(
    State(app): State<App>,
    Query(p): Query<CheckpointParams>,
) -> ApiResult<impl IntoResponse> {
    let cp = app
        .store
        .checkpoint(p.size)
        .await?
        .ok_or(ApiError::from(ErrorCode::NotFound))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        cp.note,
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyParams {
    from: u64,
    to: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ConsistencyProof {
    from: u64,
    to: u64,
    /// RFC 9162 §2.1.4 consistency proof, hex SHA-256 hashes.
    proof: Vec<String>,
}

/// Proof that the tree of `to` entries extends the tree of `from` entries.
#[utoipa::path(get, path = "/v1/ledger/proofs/consistency", tag = "ledger", params(ConsistencyParams),
    responses((status = 200, body = ConsistencyProof), (status = 422, body = crate::Problem)))]
pub async fn consistency(
    State(app): State<App>,
    Query(p): Query<ConsistencyParams>,
) -> ApiResult<Json<ConsistencyProof>> {
    let proof = app.store.consistency_proof(p.from, p.to).await?;
    Ok(Json(ConsistencyProof {
        from: p.from,
        to: p.to,
        proof: hashes_to_hex(&proof),
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InclusionParams {
    index: u64,
    /// Default: the size of the latest checkpoint.
    tree_size: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct InclusionProof {
    index: u64,
    tree_size: u64,
    /// The entry's exact bytes (base64); its leaf hash is SHA-256(0x00 ‖ entry).
    entry: String,
    leaf_hash: String,
    /// RFC 9162 §2.1.3 inclusion proof, hex SHA-256 hashes, from the leaf up.
    proof: Vec<String>,
    /// The signed checkpoint of `tree_size`, when there is one.
    checkpoint: Option<String>,
}

/// Whether `reader` may see this entry: an administrator every entry; an organization
/// the entries of its data or acts; a subject the entries about them.
async fn visible(app: &App, reader: &LedgerReader, e: &Entry) -> Result<bool, ApiError> {
    Ok(match reader {
        LedgerReader::Admin => true,
        LedgerReader::Org(org) => {
            let me = org.to_string();
            e.organization.as_deref() == Some(&me)
                || e.actor.id.as_deref() == Some(&me)
                || e.detail.get("asker") == Some(&me)
        }
        LedgerReader::Subject(s) => match app.store.subject_pseudonym(*s).await? {
            Some(p) => e.subject.as_deref() == Some(&hex(&p)),
            None => false,
        },
    })
}

/// The proof that an entry is in the ledger. Entries the caller is not party to are
/// "not found".
#[utoipa::path(get, path = "/v1/ledger/proofs/inclusion", tag = "ledger", params(InclusionParams),
    security(("api_key" = []), ("session" = [])),
    responses((status = 200, body = InclusionProof), (status = 404, body = crate::Problem), (status = 422, body = crate::Problem)))]
pub async fn inclusion(
    State(app): State<App>,
    reader: LedgerReader,
    Query(p): Query<InclusionParams>,
) -> ApiResult<Json<InclusionProof>> {
    let entry = app
        .store
        .ledger_entry(p.index)
        .await?
        .ok_or(ApiError::from(ErrorCode::NotFound))?;
    let parsed = Entry::from_bytes(&entry.body).ok_or(ApiError::from(ErrorCode::Internal))?;
    if !visible(&app, &reader, &parsed).await? {
        return Err(ErrorCode::NotFound.into());
    }
    let tree_size = match p.tree_size {
        Some(s) => s,
        None => match app.store.checkpoint(None).await? {
            Some(c) if c.size > p.index => c.size,
            // Not under a checkpoint yet: the next one (within seconds) covers it.
            _ => return Err(ApiError::from(ErrorCode::NotYetCheckpointed)),
        },
    };
    let proof = app.store.inclusion_proof(p.index, tree_size).await?;
    let checkpoint = app.store.checkpoint(Some(tree_size)).await?.map(|c| c.note);
    Ok(Json(InclusionProof {
        index: p.index,
        tree_size,
        entry: base64::engine::general_purpose::STANDARD.encode(&entry.body),
        leaf_hash: hex(&qorgau_ledger::leaf_hash(&entry.body)),
        proof: hashes_to_hex(&proof),
        checkpoint,
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EntriesParams {
    /// First index (default 0).
    from: Option<u64>,
    /// Page size, 1–1000 (default 100).
    limit: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct LedgerEntryView {
    index: u64,
    /// The entry as recorded.
    #[schema(value_type = Object)]
    entry: serde_json::Value,
    leaf_hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct EntriesPage {
    entries: Vec<LedgerEntryView>,
    /// `from` of the next page, if there may be more.
    next: Option<u64>,
}

/// Entries by index range: every entry for the auditor (administrator); an
/// organization's key with `ledger:read` sees the entries it is party to.
#[utoipa::path(get, path = "/v1/ledger/entries", tag = "ledger", params(EntriesParams),
    security(("api_key" = []), ("session" = [])),
    responses((status = 200, body = EntriesPage), (status = 403, body = crate::Problem)))]
pub async fn entries(
    State(app): State<App>,
    reader: LedgerReader,
    Query(p): Query<EntriesParams>,
) -> ApiResult<Json<EntriesPage>> {
    let from = p.from.unwrap_or(0);
    let limit = p.limit.unwrap_or(100).clamp(1, 1000);
    let org = match &reader {
        LedgerReader::Admin => None,
        LedgerReader::Org(o) => Some(o.to_string()),
        LedgerReader::Subject(_) => return Err(ErrorCode::Forbidden.into()),
    };
    let rows = app
        .store
        .ledger_entries(from, from.saturating_add(limit), org)
        .await?;
    let next = (from.saturating_add(limit) < app.store.ledger_size().await?)
        .then_some(from.saturating_add(limit));
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(LedgerEntryView {
            index: r.index,
            entry: serde_json::from_slice(&r.body).unwrap_or(serde_json::Value::Null),
            leaf_hash: hex(&qorgau_ledger::leaf_hash(&r.body)),
        });
    }
    Ok(Json(EntriesPage { entries: out, next }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HistoryParams {
    /// Entries with a ledger index below this (from `next_before` of the previous page).
    before: Option<u64>,
    /// Page size, 1–200 (default 50).
    limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryItem {
    /// The entry's index in the ledger; its inclusion proof is at
    /// `/v1/ledger/proofs/inclusion?index=…`.
    pub(crate) ledger_index: u64,
    /// What happened (`consent.confirmed`, `access.decided`, `notification.sent` …).
    pub(crate) kind: String,
    #[schema(value_type = String, format = DateTime)]
    pub(crate) at: jiff::Timestamp,
    /// The organization concerned, with its name.
    pub(crate) organization: Option<OrgRef>,
    /// Who acted: `subject`, `organization`, `service`, `admin`.
    pub(crate) actor: String,
    pub(crate) purpose: Option<String>,
    pub(crate) action: Option<String>,
    pub(crate) categories: Vec<String>,
    pub(crate) outcome: Option<String>,
    pub(crate) reasons: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrgRef {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct History {
    pub(crate) items: Vec<HistoryItem>,
    pub(crate) next_before: Option<u64>,
}

/// «Who did what with my data»: every ledger entry about the signed-in subject, newest
/// first, each with its ledger index.
#[utoipa::path(get, path = "/v1/subject/history", tag = "subject", params(HistoryParams),
    security(("session" = [])),
    responses((status = 200, body = History)))]
pub async fn history(
    State(app): State<App>,
    s: SubjectSession,
    Query(p): Query<HistoryParams>,
) -> ApiResult<impl IntoResponse> {
    let limit = p.limit.unwrap_or(50).clamp(1, 200);
    let history = subject_history(&app, s.subject_id, p.before, limit).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(history)))
}

/// The subject's history, newest first: up to `limit` entries below `before`.
pub(crate) async fn subject_history(
    app: &App,
    subject: uuid::Uuid,
    before: Option<u64>,
    limit: u32,
) -> ApiResult<History> {
    let Some(pseudonym) = app.store.subject_pseudonym(subject).await? else {
        return Err(ErrorCode::NotFound.into());
    };
    let rows = app.store.subject_entries(pseudonym, before, limit).await?;
    let next_before = (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| r.index))
        .flatten();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(e) = Entry::from_bytes(&r.body) else {
            continue;
        };
        let organization = match &e.organization {
            Some(id) => {
                let name = match id.parse() {
                    Ok(uuid) => app
                        .store
                        .organization_cached(uuid)
                        .await
                        .ok()
                        .map(|o| o.name.clone()),
                    Err(_) => None,
                };
                Some(OrgRef {
                    id: id.clone(),
                    name,
                })
            }
            None => None,
        };
        items.push(HistoryItem {
            ledger_index: r.index,
            kind: e.kind,
            at: e.at,
            organization,
            actor: e.actor.kind,
            purpose: e.purpose,
            action: e.action,
            categories: e.categories,
            outcome: e.outcome,
            reasons: e.reasons,
        });
    }
    Ok(History { items, next_before })
}
