//! Access decisions: gather the facts, let `core` decide, keep the decision durably.

use std::collections::BTreeSet;

use jiff::Timestamp;
use qorgau_core::catalogue::PurposeCode;
use qorgau_core::consent::{ConsentState, ConsentTerms};
use qorgau_core::decision::{decide, AccessRequest, ConsentFacts, Decision, Facts, LegalGround};
use qorgau_core::id::{Bin, CountryCode, Iin};
use qorgau_core::org::OrgKind;
use qorgau_core::{Error, ErrorCode};
use sqlx::Row;
use uuid::Uuid;

use crate::catalogue::load_purpose;
use crate::orgs::load_org;
use crate::{db, from_json, new_id, to_json, ts_from_db, ts_to_db, Conn, Store};

/// A decision as kept: what was asked, the answer, and its place in the record.
#[derive(Debug, Clone)]
pub struct RecordedDecision {
    pub id: Uuid,
    /// Position in the decisions record (the ledger index once the ledger lands).
    pub sequence: i64,
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

async fn consents_of(
    c: &mut Conn,
    holder: Uuid,
    subject: &str,
) -> Result<Vec<ConsentFacts>, Error> {
    let rows = sqlx::query(
        "SELECT c.id, c.version, c.state, c.terms, c.respond_by, c.valid_from, c.valid_until, p.code \
         FROM consents c JOIN purposes p ON p.id = c.purpose_id \
         WHERE c.subject_id = $1 AND c.organization_id = $2",
    )
    .bind(subject)
    .bind(holder.to_string())
    .fetch_all(&mut *c)
    .await
    .map_err(db)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get("id").map_err(db)?;
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
    Ok(out)
}

async fn grounds_of(c: &mut Conn, org: Uuid) -> Result<Vec<LegalGround>, Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT ground FROM legal_grounds WHERE organization_id = $1")
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
        let keyring = self.secrets().keyring.clone();
        let index = keyring.blind_index(&input.subject);
        let mut c = self.reader().await?;
        let org = load_org(&mut c, asker).await?;
        // Whose data: the asker's own, or (for a third party) the holder's.
        let (holder, third_party) = match (org.kind, input.holder) {
            (OrgKind::ThirdParty, Some(bin)) => {
                let row: Option<(String, String)> =
                    sqlx::query_as("SELECT id, kind FROM organizations WHERE bin = $1")
                        .bind(bin.as_string())
                        .fetch_optional(&mut *c)
                        .await
                        .map_err(db)?;
                match row {
                    Some((id, kind)) if OrgKind::parse(&kind).is_some_and(OrgKind::collects) => (
                        id.parse::<Uuid>().map_err(|_| Error::internal())?,
                        Some(org.bin),
                    ),
                    _ => return Err(Error::new(ErrorCode::UnknownHolder).at("holder_bin")),
                }
            }
            (OrgKind::ThirdParty, None) => {
                return Err(Error::new(ErrorCode::ValidationFailed).at("holder_bin"))
            }
            (_, Some(bin)) if bin != org.bin => {
                return Err(Error::new(ErrorCode::ValidationFailed).at("holder_bin"))
            }
            _ => (asker, None),
        };
        let purpose = load_purpose(&mut c, holder, &input.request.purpose)
            .await?
            .purpose;
        let known: Vec<(String,)> = sqlx::query_as("SELECT code FROM categories")
            .fetch_all(&mut *c)
            .await
            .map_err(db)?;
        if let Some(unknown) = input
            .request
            .categories
            .iter()
            .find(|cat| !known.iter().any(|(k,)| k == cat.as_str()))
        {
            return Err(Error::new(ErrorCode::UnknownCategory)
                .at("categories")
                .arg("category", unknown.as_str()));
        }
        let subject: Option<(String,)> =
            sqlx::query_as("SELECT id FROM subjects WHERE iin_index = $1")
                .bind(index.clone())
                .fetch_optional(&mut *c)
                .await
                .map_err(db)?;
        let (consents, blocked) = match &subject {
            Some((sid,)) => {
                let consents = consents_of(&mut c, holder, sid).await?;
                let open: Option<(String,)> = sqlx::query_as(
                    "SELECT id FROM blocks WHERE subject_id = $1 AND organization_id = $2 AND unblocked_at IS NULL LIMIT 1",
                )
                .bind(sid)
                .bind(holder.to_string())
                .fetch_optional(&mut *c)
                .await
                .map_err(db)?;
                (consents, open.is_some())
            }
            None => (Vec::new(), false),
        };
        let grounds = grounds_of(&mut c, asker).await?;
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
            purpose: &purpose,
            consents: &consents,
            processing_started,
            blocked,
            registered_grounds: &grounds,
            adequate_countries,
        };
        let decision = decide(&input.request, &facts, now);

        let id = new_id();
        let req = input.request;
        let codes: Vec<&str> = decision.reasons.iter().map(|r| r.code.as_str()).collect();
        let row = (
            id.to_string(),
            asker.to_string(),
            holder.to_string(),
            index,
            req.action.as_str(),
            to_json(
                &req.categories
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>(),
            )?,
            req.recipient.bin.map(|b| b.as_string()),
            req.recipient.country.map(|c| c.as_string()),
            req.legal_ground.map(|g| g.as_str()),
            req.cross_border_ground.map(|g| g.as_str()),
            decision.outcome.as_str(),
            to_json(&codes)?,
            decision.consent.map(|(c, _)| c.to_string()),
        );
        let purpose_code = req.purpose.as_str().to_owned();
        let sequence = self
            .write(move |c| {
                Box::pin(async move {
                    let (id, org, holder, index, action, cats, rbin, rcountry, ground, xground, outcome, reasons, consent) = row;
                    let (seq,): (i64,) = sqlx::query_as(
                        "INSERT INTO access_decisions (id, organization_id, holder_id, subject_index, action, purpose, categories, recipient_bin, recipient_country, legal_ground, cross_border_ground, outcome, reasons, consent_id, decided_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING seq",
                    )
                    .bind(id)
                    .bind(org)
                    .bind(holder)
                    .bind(index)
                    .bind(action)
                    .bind(purpose_code)
                    .bind(cats)
                    .bind(rbin)
                    .bind(rcountry)
                    .bind(ground)
                    .bind(xground)
                    .bind(outcome)
                    .bind(reasons)
                    .bind(consent)
                    .bind(ts_to_db(now))
                    .fetch_one(&mut *c)
                    .await
                    .map_err(db)?;
                    Ok(seq)
                })
            })
            .await?;
        Ok(RecordedDecision {
            id,
            sequence,
            decided_at: now,
            decision,
        })
    }

    /// How many decisions are kept (for tests and operations).
    pub async fn count_decisions(&self) -> Result<i64, Error> {
        let mut c = self.reader().await?;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM access_decisions")
            .fetch_one(&mut *c)
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
        {
            let mut c = self.reader().await?;
            load_org(&mut c, org).await?;
        }
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query("INSERT INTO legal_grounds (organization_id, ground, registered_at) VALUES ($1, $2, $3) ON CONFLICT (organization_id, ground) DO NOTHING")
                    .bind(org.to_string())
                    .bind(ground.as_str())
                    .bind(ts_to_db(now))
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
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
