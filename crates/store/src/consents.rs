//! The consent registry: requests, answers, withdrawal, expiry, versions, receipts.
//!
//! Each operation is one change in the group commit: the state change, its event
//! (time and actor) and the messages it causes are committed together.

use std::collections::BTreeMap;

use jiff::Timestamp;
use qorgau_core::catalogue::{LocalizedText, PurposeCode};
use qorgau_core::consent::{
    effective_state, respond_by, ActorKind, Authority, ConsentState, ConsentTerms, PersonName,
    RepresentativeDetails, SubjectDetails, WithdrawalGround,
};
use qorgau_core::crypto::{ct_eq, one_time_code};
use qorgau_core::id::{Bin, Iin};
use qorgau_core::{Error, ErrorCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::catalogue::load_purpose;
use crate::orgs::load_org;
use crate::outbox::{enqueue, Message, MessageKind};
use crate::subjects::{self, Subject};
use crate::{
    db, decode_cursor, encode_cursor, from_json, new_id, to_json, ts_from_db, ts_to_db, Conn, Store,
};

/// What an operator sends to ask a subject for consent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsentRequest {
    /// Code of one of the operator's purposes.
    #[schema(value_type = String)]
    pub purpose: PurposeCode,
    pub subject: SubjectDetails,
    /// A legal representative who answers for the subject, with their authority.
    #[serde(default)]
    pub representative: Option<RepresentativeDetails>,
    pub terms: ConsentTerms,
    /// Until when the subject may answer (default 7 days, at most 90).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub respond_by: Option<Timestamp>,
    /// The consent this request would replace with a new version.
    #[serde(default)]
    pub supersedes: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizationRef {
    pub id: Uuid,
    #[schema(value_type = String)]
    pub bin: Bin,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PurposeRef {
    #[schema(value_type = String)]
    pub code: PurposeCode,
    pub name: LocalizedText,
    pub storage_term_days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PersonRef {
    #[schema(value_type = String)]
    pub iin: Iin,
    pub name: PersonName,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RepresentativeRef {
    #[schema(value_type = String)]
    pub iin: Iin,
    pub name: PersonName,
    pub authority: Authority,
}

/// One transition or act in a consent's life.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentEvent {
    pub kind: String,
    pub from_state: Option<ConsentState>,
    pub to_state: Option<ConsentState>,
    pub actor: ActorKind,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
}

/// A consent (or consent request) as its subject or operator sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentView {
    pub id: Uuid,
    /// All versions of one consent share a series.
    pub series_id: Uuid,
    pub version: i64,
    /// The state at the time of the answer (a consent past its term is `expired`).
    pub state: ConsentState,
    pub organization: OrganizationRef,
    pub purpose: PurposeRef,
    pub subject: Option<PersonRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representative: Option<RepresentativeRef>,
    pub terms: ConsentTerms,
    #[schema(value_type = String, format = DateTime)]
    pub respond_by: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub valid_from: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    pub valid_until: Timestamp,
    pub supersedes: Option<Uuid>,
    /// The operator's Art. 8(2) ground to refuse a withdrawal, if it stated one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawal_ground: Option<WithdrawalGround>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// The signed receipt (compact JWS), once the consent was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<ConsentEvent>>,
}

/// Who looks at consents; the store scopes every read by it.
#[derive(Debug, Clone, Copy)]
pub enum Viewer {
    Organization(Uuid),
    Subject(Uuid),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Confirm,
    Refuse,
}

/// The outcome of presenting a code.
#[derive(Debug)]
pub enum AnswerOutcome {
    Done(Box<ConsentView>),
    WrongCode { attempts_left: u32 },
}

#[derive(Debug)]
pub enum WithdrawOutcome {
    Withdrawn(Box<ConsentView>),
    /// Refused on the operator's Art. 8(2) ground; the consent stays active.
    Refused(Box<ConsentView>),
}

/// A page of results with the cursor of the next page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub lapsed: u64,
    pub expired: u64,
}

/// The personal part of a request, sealed under the subject's key.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RequestPii {
    subject_name: PersonName,
    representative: Option<RepresentativeRef>,
}

/// What the service signs when a consent is given.
#[derive(Debug, Serialize)]
struct ReceiptPayload<'a> {
    consent_id: Uuid,
    series_id: Uuid,
    version: i64,
    supersedes: Option<Uuid>,
    operator: &'a OrganizationRef,
    subject: PersonRef,
    given_by: &'static str,
    representative: Option<&'a RepresentativeRef>,
    purpose: &'a PurposeRef,
    terms: &'a ConsentTerms,
    #[serde(with = "jiff_rfc3339")]
    valid_from: Timestamp,
    #[serde(with = "jiff_rfc3339")]
    confirmed_at: Timestamp,
    method: &'static str,
    service: &'static str,
}

mod jiff_rfc3339 {
    pub fn serialize<S: serde::Serializer>(t: &jiff::Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_string())
    }
}

pub const RECEIPT_TYPE: &str = "qorgau-consent-receipt+jws";

/// A consent row with what it joins.
struct Row_ {
    id: Uuid,
    series_id: Uuid,
    version: i64,
    organization: OrganizationRef,
    purpose_id: String,
    purpose: PurposeRef,
    subject_id: String,
    representative_id: Option<String>,
    state: ConsentState,
    terms: ConsentTerms,
    pii: Vec<u8>,
    respond_by: Timestamp,
    valid_from: Option<Timestamp>,
    valid_until: Timestamp,
    supersedes: Option<Uuid>,
    code_hash: Option<Vec<u8>>,
    code_expires_at: Option<Timestamp>,
    code_attempts: i64,
    code_sends: i64,
    receipt: Option<Vec<u8>>,
    withdrawal_ground: Option<WithdrawalGround>,
    created_at: Timestamp,
    created_raw: i64,
    updated_at: Timestamp,
}

const SELECT: &str = "SELECT c.*, o.bin AS org_bin, o.name AS org_name, p.body AS purpose_body FROM consents c JOIN organizations o ON o.id = c.organization_id JOIN purposes p ON p.id = c.purpose_id";

fn parse_uuid(s: &str) -> Result<Uuid, Error> {
    s.parse().map_err(|_| Error::internal())
}

fn row_from(r: &crate::db::Row) -> Result<Row_, Error> {
    let g = |n: &str| -> Result<String, Error> { r.try_get::<String>(n).map_err(db) };
    let purpose: qorgau_core::catalogue::Purpose = from_json(&g("purpose_body")?)?;
    let state = g("state")?;
    let opt_ts = |n: &str| -> Result<Option<Timestamp>, Error> {
        Ok(r.try_get::<Option<i64>>(n).map_err(db)?.map(ts_from_db))
    };
    let created_raw: i64 = r.try_get("created_at").map_err(db)?;
    Ok(Row_ {
        id: parse_uuid(&g("id")?)?,
        series_id: parse_uuid(&g("series_id")?)?,
        version: r.try_get("version").map_err(db)?,
        organization: OrganizationRef {
            id: parse_uuid(&g("organization_id")?)?,
            bin: Bin::parse(&g("org_bin")?)?,
            name: g("org_name")?,
        },
        purpose_id: g("purpose_id")?,
        purpose: PurposeRef {
            code: purpose.code,
            name: purpose.name,
            storage_term_days: purpose.storage_term_days,
        },
        subject_id: g("subject_id")?,
        representative_id: r.try_get("representative_id").map_err(db)?,
        state: ConsentState::parse(&state).ok_or_else(Error::internal)?,
        terms: from_json(&g("terms")?)?,
        pii: r.try_get("pii").map_err(db)?,
        respond_by: ts_from_db(r.try_get("respond_by").map_err(db)?),
        valid_from: opt_ts("valid_from")?,
        valid_until: ts_from_db(r.try_get("valid_until").map_err(db)?),
        supersedes: r
            .try_get::<Option<String>>("supersedes")
            .map_err(db)?
            .map(|s| parse_uuid(&s))
            .transpose()?,
        code_hash: r.try_get("code_hash").map_err(db)?,
        code_expires_at: opt_ts("code_expires_at")?,
        code_attempts: r.try_get("code_attempts").map_err(db)?,
        code_sends: r.try_get("code_sends").map_err(db)?,
        receipt: r.try_get("receipt").map_err(db)?,
        withdrawal_ground: r
            .try_get::<Option<String>>("withdrawal_ground")
            .map_err(db)?
            .map(|s| from_json(&s))
            .transpose()?,
        created_at: ts_from_db(created_raw),
        created_raw,
        updated_at: ts_from_db(r.try_get("updated_at").map_err(db)?),
    })
}

async fn load_row(c: &mut Conn, id: Uuid) -> Result<Row_, Error> {
    let r = crate::db::query(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?
        .ok_or_else(|| Error::new(ErrorCode::NotFound))?;
    row_from(&r)
}

/// Load a consent the viewer may see; anything else is "not found", never "forbidden",
/// so ids of others' consents reveal nothing.
async fn load_for(c: &mut Conn, id: Uuid, viewer: Viewer) -> Result<Row_, Error> {
    let row = load_row(c, id).await?;
    let visible = match viewer {
        Viewer::Organization(o) => row.organization.id == o,
        Viewer::Subject(s) => row.subject_id == s.to_string(),
    };
    if visible {
        Ok(row)
    } else {
        Err(Error::new(ErrorCode::NotFound))
    }
}

/// Tell the consent's subject what happened, in their language, in the same change.
/// Nothing is sent to a subject without a contact (a child whose representative
/// answers); the change is recorded all the same.
async fn tell(
    c: &mut Conn,
    keyring: &qorgau_core::crypto::Keyring,
    consent: Uuid,
    subject: &str,
    kind: MessageKind,
    extra: &[(&str, String)],
    now: Timestamp,
) -> Result<(), Error> {
    let Some(person) = subjects::load(c, keyring, subject).await? else {
        return Ok(());
    };
    if person.pii.contact.is_empty() {
        return Ok(());
    }
    let row = crate::db::query("SELECT c.organization_id, o.name, p.code FROM consents c JOIN organizations o ON o.id = c.organization_id JOIN purposes p ON p.id = c.purpose_id WHERE c.id = $1")
        .bind(consent.to_string())
        .fetch_one(&mut *c)
        .await
        .map_err(db)?;
    let org: String = row.try_get("organization_id").map_err(db)?;
    let code: String = row.try_get("code").map_err(db)?;
    let lang = person.pii.language;
    let purpose = load_purpose(
        c,
        org.parse().map_err(|_| Error::internal())?,
        &PurposeCode::parse(&code)?,
    )
    .await?;
    let mut args = BTreeMap::new();
    args.insert(
        "organization".to_owned(),
        row.try_get::<String>("name").map_err(db)?,
    );
    args.insert(
        "purpose".to_owned(),
        purpose.purpose.name.get(lang.as_str()).to_owned(),
    );
    for (k, v) in extra {
        args.insert((*k).to_owned(), v.clone());
    }
    let msg = Message {
        kind,
        to: person.pii.contact.clone(),
        language: lang,
        args,
        reference: consent.to_string(),
    };
    enqueue(c, &person, &msg, now).await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn event(
    c: &mut Conn,
    consent: Uuid,
    subject: &str,
    kind: &str,
    from: Option<ConsentState>,
    to: Option<ConsentState>,
    actor: ActorKind,
    actor_id: Option<String>,
    detail: Option<serde_json::Value>,
    now: Timestamp,
) -> Result<(), Error> {
    crate::db::query(
        "INSERT INTO consent_events (consent_id, subject_id, kind, from_state, to_state, actor_kind, actor_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(consent.to_string())
    .bind(subject.to_owned())
    .bind(kind.to_owned())
    .bind(from.map(|s| s.as_str()))
    .bind(to.map(|s| s.as_str()))
    .bind(actor.as_str())
    .bind(actor_id.clone())
    .bind(detail.as_ref().map(|d| d.to_string()))
    .bind(ts_to_db(now))
    .execute(&mut *c)
    .await
    .map_err(db)?;
    // The same transition in the ledger: codes and ids only, never the ground's text.
    let row = crate::db::query("SELECT c.organization_id, p.code, s.iin_index FROM consents c JOIN purposes p ON p.id = c.purpose_id JOIN subjects s ON s.id = c.subject_id WHERE c.id = $1")
        .bind(consent.to_string())
        .fetch_one(&mut *c)
        .await
        .map_err(db)?;
    let mut e = qorgau_ledger::Entry::new(
        &format!("consent.{kind}"),
        now,
        qorgau_ledger::Actor::new(actor.as_str(), actor_id),
    )
    .organization(row.try_get::<String>("organization_id").map_err(db)?)
    .object("consent", consent);
    e.purpose = Some(row.try_get::<String>("code").map_err(db)?);
    if let Some(f) = from {
        e = e.detail("from", f.as_str());
    }
    if let Some(t) = to {
        e = e.detail("to", t.as_str());
    }
    if let Some(serde_json::Value::Object(d)) = &detail {
        for (k, v) in d {
            match v {
                serde_json::Value::String(s) => e = e.detail(k, s),
                serde_json::Value::Object(o) => {
                    if let Some(serde_json::Value::String(kind)) = o.get("kind") {
                        e = e.detail(&format!("{k}.kind"), kind);
                    }
                }
                _ => {}
            }
        }
    }
    // About the consent's subject, by the keyed hash of the IIN.
    let e = e.subject(&row.try_get::<Vec<u8>>("iin_index").map_err(db)?);
    crate::ledger::append(c, &e).await?;
    // The organization's webhooks, in the same commit.
    if matches!(
        kind,
        "confirmed" | "refused" | "withdrawn" | "expired" | "superseded"
    ) {
        let org: String = row.try_get("organization_id").map_err(db)?;
        let purpose: String = row.try_get("code").map_err(db)?;
        let data = serde_json::json!({
            "consent_id": consent,
            "purpose": purpose,
            "from": from.map(|s| s.as_str()),
            "to": to.map(|s| s.as_str()),
        });
        crate::webhooks::emit(c, &org, &format!("consent.{kind}"), data, now).await?;
    }
    Ok(())
}

/// Move a consent from `from` to `to` if it is still in `from`; false if it was not.
async fn transition(
    c: &mut Conn,
    id: Uuid,
    from: ConsentState,
    to: ConsentState,
    now: Timestamp,
) -> Result<bool, Error> {
    debug_assert!(from.can_become(to));
    let r = crate::db::query(
        "UPDATE consents SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4",
    )
    .bind(to.as_str())
    .bind(ts_to_db(now))
    .bind(id.to_string())
    .bind(from.as_str())
    .execute(&mut *c)
    .await
    .map_err(db)?;
    Ok(r.rows_affected() == 1)
}

/// Whose code: the consent request, the person who answers it, and its subject.
struct CodeFor<'a> {
    row_id: Uuid,
    recipient: &'a Subject,
    subject_id: &'a str,
}

/// Issue a fresh one-time code for a pending request and queue it to whoever answers.
async fn send_code(
    c: &mut Conn,
    store: &Store,
    CodeFor {
        row_id,
        recipient,
        subject_id,
    }: CodeFor<'_>,
    org_name: &str,
    purpose: &PurposeRef,
    actor: Option<String>,
    now: Timestamp,
) -> Result<(), Error> {
    let policy = store.options().code_policy;
    let code = one_time_code(6);
    let hash = store.secrets().keyring.code_hash(row_id.as_bytes(), &code);
    crate::db::query(
        "UPDATE consents SET code_hash = $1, code_expires_at = $2, code_attempts = 0, code_sends = code_sends + 1, updated_at = $3 WHERE id = $4",
    )
    .bind(hash)
    .bind(ts_to_db(now + policy.ttl))
    .bind(ts_to_db(now))
    .bind(row_id.to_string())
    .execute(&mut *c)
    .await
    .map_err(db)?;
    if recipient.pii.contact.is_empty() {
        return Err(Error::new(ErrorCode::NoContact).at("subject.contact"));
    }
    let lang = recipient.pii.language;
    let mut args = BTreeMap::new();
    args.insert("code".to_owned(), code);
    args.insert("organization".to_owned(), org_name.to_owned());
    args.insert(
        "purpose".to_owned(),
        purpose.name.get(lang.as_str()).to_owned(),
    );
    args.insert(
        "minutes".to_owned(),
        (policy.ttl.as_secs() / 60).to_string(),
    );
    let msg = Message {
        kind: MessageKind::ConsentCode,
        to: recipient.pii.contact.clone(),
        language: lang,
        args,
        reference: row_id.to_string(),
    };
    enqueue(c, recipient, &msg, now).await?;
    event(
        c,
        row_id,
        subject_id,
        "code_sent",
        None,
        None,
        ActorKind::Organization,
        actor,
        None,
        now,
    )
    .await
}

impl Store {
    /// An operator asks a subject for consent. The subject (or their representative)
    /// is sent a one-time code; the code is never returned to the operator.
    pub async fn create_consent_request(
        &self,
        organization: Uuid,
        req: NewConsentRequest,
        now: Timestamp,
    ) -> Result<ConsentView, Error> {
        req.subject.validate()?;
        if let Some(rep) = &req.representative {
            rep.validate(&req.subject.iin, now)?;
        }
        let deadline = respond_by(req.respond_by, now)?;
        let store = self.clone();
        let id = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let org = load_org(c, organization).await?;
                    if !org.kind.collects() {
                        return Err(Error::new(ErrorCode::NotAnOperator));
                    }
                    let purpose = load_purpose(c, organization, &req.purpose).await?;
                    req.terms.validate(&purpose.purpose, now)?;
                    let s = &req.subject;
                    let subject = subjects::upsert(c, &keyring, s.iin, &s.name, &s.contact, s.language, now).await?;
                    let representative = match &req.representative {
                        Some(r) => Some(subjects::upsert(c, &keyring, r.iin, &r.name, &r.contact, r.language, now).await?),
                        None => None,
                    };
                    let id = new_id();
                    let (series, version) = match req.supersedes {
                        None => (id, 1i64),
                        Some(old) => {
                            let prev = load_row(c, old).await.map_err(|_| Error::new(ErrorCode::SupersedesMismatch).at("supersedes"))?;
                            let same = prev.organization.id == organization
                                && prev.subject_id == subject.id.to_string()
                                && prev.purpose_id == purpose.id.to_string()
                                && effective_state(prev.state, prev.respond_by, prev.valid_until, now) == ConsentState::Active;
                            if !same {
                                return Err(Error::new(ErrorCode::SupersedesMismatch).at("supersedes"));
                            }
                            let (max,): (i64,) = crate::db::query_as("SELECT MAX(version) FROM consents WHERE series_id = $1")
                                .bind(prev.series_id.to_string())
                                .fetch_one(&mut *c)
                                .await
                                .map_err(db)?;
                            (prev.series_id, max + 1)
                        }
                    };
                    let pii = RequestPii {
                        subject_name: s.name.clone(),
                        representative: req.representative.as_ref().map(|r| RepresentativeRef {
                            iin: r.iin,
                            name: r.name.clone(),
                            authority: r.authority.clone(),
                        }),
                    };
                    crate::db::query(
                        "INSERT INTO consents (id, series_id, version, organization_id, subject_id, purpose_id, representative_id, state, terms, pii, respond_by, valid_until, supersedes, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10, $11, $12, $13, $13)",
                    )
                    .bind(id.to_string())
                    .bind(series.to_string())
                    .bind(version)
                    .bind(organization.to_string())
                    .bind(subject.id.to_string())
                    .bind(purpose.id.to_string())
                    .bind(representative.as_ref().map(|r| r.id.to_string()))
                    .bind(to_json(&req.terms)?)
                    .bind(subject.seal_json("consent", &pii)?)
                    .bind(ts_to_db(deadline))
                    .bind(ts_to_db(req.terms.valid_until))
                    .bind(req.supersedes.map(|s| s.to_string()))
                    .bind(ts_to_db(now))
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                    let sid = subject.id.to_string();
                    event(c, id, &sid, "requested", None, Some(ConsentState::Pending), ActorKind::Organization, Some(organization.to_string()), None, now).await?;
                    let pref = PurposeRef {
                        code: purpose.purpose.code.clone(),
                        name: purpose.purpose.name.clone(),
                        storage_term_days: purpose.purpose.storage_term_days,
                    };
                    let recipient = representative.as_ref().unwrap_or(&subject);
                    send_code(c, &store, CodeFor { row_id: id, recipient, subject_id: &sid }, &org.name, &pref, Some(organization.to_string()), now).await?;
                    Ok(id)
                })
            })
            .await?;
        self.outbox_wake();
        self.consent(id, Viewer::Organization(organization), false, now)
            .await
    }

    /// Send a new code for a pending request (the previous one stops working).
    pub async fn resend_consent_code(
        &self,
        organization: Uuid,
        id: Uuid,
        now: Timestamp,
    ) -> Result<(), Error> {
        let store = self.clone();
        self.write(move |c| {
            Box::pin(async move {
                let keyring = store.secrets().keyring.clone();
                let row = load_for(c, id, Viewer::Organization(organization)).await?;
                pending_now(&row, now)?;
                if row.code_sends >= i64::from(store.options().code_policy.max_sends) {
                    return Err(Error::new(ErrorCode::CodeResendLimit));
                }
                let recipient_id = row.representative_id.as_deref().unwrap_or(&row.subject_id);
                let recipient = subjects::load(c, &keyring, recipient_id)
                    .await?
                    .ok_or_else(|| Error::new(ErrorCode::NotFound))?;
                send_code(
                    c,
                    &store,
                    CodeFor {
                        row_id: id,
                        recipient: &recipient,
                        subject_id: &row.subject_id,
                    },
                    &row.organization.name,
                    &row.purpose,
                    Some(organization.to_string()),
                    now,
                )
                .await
            })
        })
        .await?;
        self.outbox_wake();
        Ok(())
    }

    /// The subject (or representative) answers a request with the code they received.
    pub async fn answer_consent_request(
        &self,
        id: Uuid,
        code: String,
        answer: Answer,
        now: Timestamp,
    ) -> Result<AnswerOutcome, Error> {
        let store = self.clone();
        let outcome = self
            .write(move |c| {
                Box::pin(async move {
                    let keyring = store.secrets().keyring.clone();
                    let policy = store.options().code_policy;
                    let row = load_row(c, id).await?;
                    pending_now(&row, now)?;
                    let attempts = u32::try_from(row.code_attempts).unwrap_or(u32::MAX);
                    policy.admissible(row.code_expires_at, attempts, now)?;
                    let presented = keyring.code_hash(id.as_bytes(), code.trim());
                    let matches = row.code_hash.as_deref().is_some_and(|h| ct_eq(h, &presented));
                    if !matches {
                        crate::db::query("UPDATE consents SET code_attempts = code_attempts + 1 WHERE id = $1")
                            .bind(id.to_string())
                            .execute(&mut *c)
                            .await
                            .map_err(db)?;
                        return Ok(None);
                    }
                    let subject = subjects::load(c, &keyring, &row.subject_id).await?.ok_or_else(|| Error::new(ErrorCode::NotFound))?;
                    let (actor, actor_id) = match &row.representative_id {
                        Some(r) => (ActorKind::Representative, r.clone()),
                        None => (ActorKind::Subject, row.subject_id.clone()),
                    };
                    // Whoever answered has proven they receive messages at this contact.
                    let mut answerer = subjects::load(c, &keyring, &actor_id).await?.ok_or_else(|| Error::new(ErrorCode::NotFound))?;
                    if !answerer.pii.contact_verified {
                        answerer.pii.contact_verified = true;
                        subjects::save(c, &keyring, &answerer, now).await?;
                    }
                    match answer {
                        Answer::Refuse => {
                            crate::db::query("UPDATE consents SET state = 'refused', code_hash = NULL, code_expires_at = NULL, updated_at = $1 WHERE id = $2 AND state = 'pending'")
                                .bind(ts_to_db(now))
                                .bind(id.to_string())
                                .execute(&mut *c)
                                .await
                                .map_err(db)?;
                            event(c, id, &row.subject_id, "refused", Some(ConsentState::Pending), Some(ConsentState::Refused), actor, Some(actor_id), None, now).await?;
                            tell(c, &keyring, id, &row.subject_id, MessageKind::ConsentRefused, &[], now).await?;
                        }
                        Answer::Confirm => {
                            if row.terms.valid_until <= now {
                                return Err(Error::new(ErrorCode::TermInPast));
                            }
                            let valid_from = row.terms.valid_from.unwrap_or(now);
                            let pii: RequestPii = subject.open_json("consent", &row.pii)?;
                            if let Some(rep) = &pii.representative {
                                if rep.authority.valid_until <= now {
                                    return Err(Error::new(ErrorCode::RepresentativeAuthorityExpired));
                                }
                            }
                            if let Some(old) = row.supersedes {
                                let prev = load_row(c, old).await?;
                                if prev.state == ConsentState::Active && transition(c, old, ConsentState::Active, ConsentState::Superseded, now).await? {
                                    event(c, old, &row.subject_id, "superseded", Some(ConsentState::Active), Some(ConsentState::Superseded), actor, Some(actor_id.clone()), Some(serde_json::json!({"by": id})), now).await?;
                                }
                            }
                            let payload = ReceiptPayload {
                                consent_id: id,
                                series_id: row.series_id,
                                version: row.version,
                                supersedes: row.supersedes,
                                operator: &row.organization,
                                subject: PersonRef { iin: subject.pii.iin, name: pii.subject_name.clone() },
                                given_by: actor.as_str(),
                                representative: pii.representative.as_ref(),
                                purpose: &row.purpose,
                                terms: &row.terms,
                                valid_from,
                                confirmed_at: now,
                                method: "one_time_code",
                                service: "qorgau",
                            };
                            let jws = store.secrets().signing.sign_jws(RECEIPT_TYPE, &payload)?;
                            let r = crate::db::query("UPDATE consents SET state = 'active', valid_from = $1, receipt = $2, code_hash = NULL, code_expires_at = NULL, updated_at = $3 WHERE id = $4 AND state = 'pending'")
                                .bind(ts_to_db(valid_from))
                                .bind(subject.seal("receipt", jws.as_bytes())?)
                                .bind(ts_to_db(now))
                                .bind(id.to_string())
                                .execute(&mut *c)
                                .await
                                .map_err(db)?;
                            if r.rows_affected() != 1 {
                                return Err(Error::new(ErrorCode::ConsentNotPending));
                            }
                            if let (Some(rep), Some(rep_id)) = (&pii.representative, &row.representative_id) {
                                crate::db::query("INSERT INTO representations (id, subject_id, representative_id, basis, document, valid_until, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                                    .bind(new_id().to_string())
                                    .bind(row.subject_id.clone())
                                    .bind(rep_id.clone())
                                    .bind(serde_json::to_value(rep.authority.basis).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())
                                    .bind(subject.seal("representation", rep.authority.document_reference.as_bytes())?)
                                    .bind(ts_to_db(rep.authority.valid_until))
                                    .bind(row.organization.id.to_string())
                                    .bind(ts_to_db(now))
                                    .execute(&mut *c)
                                    .await
                                    .map_err(db)?;
                            }
                            event(c, id, &row.subject_id, "confirmed", Some(ConsentState::Pending), Some(ConsentState::Active), actor, Some(actor_id), None, now).await?;
                            tell(c, &keyring, id, &row.subject_id, MessageKind::ConsentGiven, &[], now).await?;
                        }
                    }
                    Ok(Some(row.subject_id.parse::<Uuid>().map_err(|_| Error::internal())?))
                })
            })
            .await?;
        match outcome {
            None => {
                // The failed attempt is recorded; tell how many remain.
                let mut c = self.reader().await?;
                let (attempts,): (i64,) =
                    crate::db::query_as("SELECT code_attempts FROM consents WHERE id = $1")
                        .bind(id.to_string())
                        .fetch_one(&mut c)
                        .await
                        .map_err(db)?;
                let max = i64::from(self.options().code_policy.max_attempts);
                Ok(AnswerOutcome::WrongCode {
                    attempts_left: u32::try_from((max - attempts).max(0)).unwrap_or(0),
                })
            }
            Some(subject) => Ok(AnswerOutcome::Done(Box::new(
                self.consent(id, Viewer::Subject(subject), true, now)
                    .await?,
            ))),
        }
    }

    /// The subject withdraws a consent (Art. 8(1)); refused only on the operator's stated
    /// Art. 8(2) ground, and then the refusal and its reason are recorded.
    /// `representative`: the legal representative acting for the subject, recorded as
    /// the actor.
    pub async fn withdraw_consent(
        &self,
        subject: Uuid,
        id: Uuid,
        representative: Option<Uuid>,
        now: Timestamp,
    ) -> Result<WithdrawOutcome, Error> {
        let keyring = self.secrets().keyring.clone();
        let refused = self
            .write(move |c| {
                Box::pin(async move {
                    let row = load_for(c, id, Viewer::Subject(subject)).await?;
                    if effective_state(row.state, row.respond_by, row.valid_until, now)
                        != ConsentState::Active
                    {
                        return Err(Error::new(ErrorCode::ConsentNotActive));
                    }
                    let sid = row.subject_id.clone();
                    if let Some(ground) = &row.withdrawal_ground {
                        let detail = serde_json::json!({"ground": ground});
                        event(
                            c,
                            id,
                            &sid,
                            "withdrawal_refused",
                            Some(ConsentState::Active),
                            Some(ConsentState::Active),
                            ActorKind::Service,
                            None,
                            Some(detail),
                            now,
                        )
                        .await?;
                        let lang = subjects::load(c, &keyring, &sid)
                            .await?
                            .map(|p| p.pii.language)
                            .unwrap_or_default();
                        let extra = [
                            ("reference", ground.reference.clone()),
                            ("reason", ground.explanation.get(lang.as_str()).to_owned()),
                        ];
                        tell(
                            c,
                            &keyring,
                            id,
                            &sid,
                            MessageKind::WithdrawalRefused,
                            &extra,
                            now,
                        )
                        .await?;
                        return Ok(true);
                    }
                    if !transition(c, id, ConsentState::Active, ConsentState::Withdrawn, now)
                        .await?
                    {
                        return Err(Error::new(ErrorCode::ConsentNotActive));
                    }
                    event(
                        c,
                        id,
                        &sid,
                        "withdrawn",
                        Some(ConsentState::Active),
                        Some(ConsentState::Withdrawn),
                        if representative.is_some() {
                            ActorKind::Representative
                        } else {
                            ActorKind::Subject
                        },
                        Some(
                            representative
                                .map(|r| r.to_string())
                                .unwrap_or_else(|| sid.clone()),
                        ),
                        None,
                        now,
                    )
                    .await?;
                    tell(
                        c,
                        &keyring,
                        id,
                        &sid,
                        MessageKind::ConsentWithdrawn,
                        &[],
                        now,
                    )
                    .await?;
                    Ok(false)
                })
            })
            .await?;
        let view = Box::new(
            self.consent(id, Viewer::Subject(subject), true, now)
                .await?,
        );
        Ok(if refused {
            WithdrawOutcome::Refused(view)
        } else {
            WithdrawOutcome::Withdrawn(view)
        })
    }

    /// The operator states (or lifts, with `None`) its Art. 8(2) ground to refuse withdrawal.
    pub async fn set_withdrawal_ground(
        &self,
        organization: Uuid,
        id: Uuid,
        ground: Option<WithdrawalGround>,
        now: Timestamp,
    ) -> Result<ConsentView, Error> {
        if let Some(g) = &ground {
            g.validate()?;
        }
        self.write(move |c| {
            Box::pin(async move {
                let row = load_for(c, id, Viewer::Organization(organization)).await?;
                if effective_state(row.state, row.respond_by, row.valid_until, now)
                    != ConsentState::Active
                {
                    return Err(Error::new(ErrorCode::ConsentNotActive));
                }
                crate::db::query(
                    "UPDATE consents SET withdrawal_ground = $1, updated_at = $2 WHERE id = $3",
                )
                .bind(ground.as_ref().map(to_json).transpose()?)
                .bind(ts_to_db(now))
                .bind(id.to_string())
                .execute(&mut *c)
                .await
                .map_err(db)?;
                let (kind, detail) = match &ground {
                    Some(g) => (
                        "withdrawal_ground_stated",
                        Some(serde_json::json!({"kind": g.kind})),
                    ),
                    None => ("withdrawal_ground_lifted", None),
                };
                event(
                    c,
                    id,
                    &row.subject_id,
                    kind,
                    None,
                    None,
                    ActorKind::Organization,
                    Some(organization.to_string()),
                    detail,
                    now,
                )
                .await
            })
        })
        .await?;
        self.consent(id, Viewer::Organization(organization), true, now)
            .await
    }

    /// Record lapses and expiries that are due at `now` (at most `limit` of each).
    pub async fn sweep_consents(&self, now: Timestamp, limit: i64) -> Result<SweepReport, Error> {
        let keyring = self.secrets().keyring.clone();
        self.write(move |c| {
            Box::pin(async move {
                let mut report = SweepReport::default();
                let due = [
                    ("SELECT id, subject_id FROM consents WHERE state = 'pending' AND respond_by <= $1 ORDER BY respond_by LIMIT $2", ConsentState::Pending, ConsentState::Lapsed, "lapsed"),
                    ("SELECT id, subject_id FROM consents WHERE state = 'active' AND valid_until <= $1 ORDER BY valid_until LIMIT $2", ConsentState::Active, ConsentState::Expired, "expired"),
                ];
                for (sql, from, to, kind) in due {
                    let rows: Vec<(String, String)> = crate::db::query_as(sql)
                        .bind(ts_to_db(now))
                        .bind(limit)
                        .fetch_all(&mut *c)
                        .await
                        .map_err(db)?;
                    for (id, sid) in rows {
                        let id = parse_uuid(&id)?;
                        if transition(c, id, from, to, now).await? {
                            event(c, id, &sid, kind, Some(from), Some(to), ActorKind::Service, None, None, now).await?;
                            if to == ConsentState::Expired {
                                tell(c, &keyring, id, &sid, MessageKind::ConsentExpired, &[], now).await?;
                            }
                            match to {
                                ConsentState::Lapsed => {
                                    // The code of a lapsed request can never be used: forget it.
                                    // (Confirming and refusing clear it themselves.) Row by row:
                                    // a sweep must never scan the consents table, which would
                                    // hold up every write behind it.
                                    crate::db::query("UPDATE consents SET code_hash = NULL, code_expires_at = NULL WHERE id = $1")
                                        .bind(id.to_string())
                                        .execute(&mut *c)
                                        .await
                                        .map_err(db)?;
                                    report.lapsed += 1
                                }
                                _ => report.expired += 1,
                            }
                        }
                    }
                }
                Ok(report)
            })
        })
        .await
    }

    /// One consent as `viewer` may see it, with its receipt and history if asked.
    pub async fn consent(
        &self,
        id: Uuid,
        viewer: Viewer,
        full: bool,
        now: Timestamp,
    ) -> Result<ConsentView, Error> {
        let mut c = self.reader().await?;
        let row = load_for(&mut c, id, viewer).await?;
        let keyring = &self.secrets().keyring;
        let subject = subjects::load(&mut c, keyring, &row.subject_id).await?;
        let history = if full {
            Some(history(&mut c, id).await?)
        } else {
            None
        };
        view(row, subject.as_ref(), full, history, now)
    }

    /// The receipt of a given consent (compact JWS), for its subject or operator.
    pub async fn consent_receipt(&self, id: Uuid, viewer: Viewer) -> Result<String, Error> {
        let mut c = self.reader().await?;
        let row = load_for(&mut c, id, viewer).await?;
        let subject = subjects::load(&mut c, &self.secrets().keyring, &row.subject_id)
            .await?
            .ok_or_else(|| Error::new(ErrorCode::NotFound))?;
        let sealed = row.receipt.ok_or_else(|| Error::new(ErrorCode::NotFound))?;
        String::from_utf8(subject.open("receipt", &sealed)?).map_err(|_| Error::internal())
    }

    /// Consents the viewer may see, newest first, optionally in one (effective) state.
    pub async fn list_consents(
        &self,
        viewer: Viewer,
        state: Option<ConsentState>,
        cursor: Option<&str>,
        limit: i64,
        now: Timestamp,
    ) -> Result<Page<ConsentView>, Error> {
        let limit = limit.clamp(1, 200);
        let (owner_sql, owner) = match viewer {
            Viewer::Organization(o) => ("c.organization_id = $1", o.to_string()),
            Viewer::Subject(s) => ("c.subject_id = $1", s.to_string()),
        };
        // Effective states: a pending request past its deadline is lapsed, an active
        // consent past its term is expired, whether or not the sweeper has run.
        let state_sql = match state {
            None => "1 = 1",
            Some(ConsentState::Pending) => "c.state = 'pending' AND c.respond_by > $2",
            Some(ConsentState::Lapsed) => {
                "(c.state = 'lapsed' OR (c.state = 'pending' AND c.respond_by <= $2))"
            }
            Some(ConsentState::Active) => "c.state = 'active' AND c.valid_until > $2",
            Some(ConsentState::Expired) => {
                "(c.state = 'expired' OR (c.state = 'active' AND c.valid_until <= $2))"
            }
            Some(ConsentState::Refused) => "c.state = 'refused'",
            Some(ConsentState::Withdrawn) => "c.state = 'withdrawn'",
            Some(ConsentState::Superseded) => "c.state = 'superseded'",
        };
        let (after_t, after_id) = match cursor {
            Some(cur) => decode_cursor(cur)?,
            None => (i64::MAX, String::new()),
        };
        let sql = format!(
            "{SELECT} WHERE {owner_sql} AND {state_sql} AND (c.created_at < $3 OR (c.created_at = $3 AND c.id < $4)) ORDER BY c.created_at DESC, c.id DESC LIMIT $5"
        );
        let after_id = if cursor.is_some() {
            after_id
        } else {
            "\u{10FFFF}".to_owned()
        };
        let mut c = self.reader().await?;
        let rows = crate::db::query(&sql)
            .bind(owner)
            .bind(ts_to_db(now))
            .bind(after_t)
            .bind(after_id)
            .bind(limit + 1)
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        let mut items = Vec::with_capacity(rows.len());
        let mut cache: BTreeMap<String, Option<Subject>> = BTreeMap::new();
        let mut next_cursor = None;
        for (i, r) in rows.iter().enumerate() {
            let row = row_from(r)?;
            if i as i64 == limit {
                break;
            }
            if i as i64 == limit - 1 && rows.len() as i64 > limit {
                next_cursor = Some(encode_cursor(row.created_raw, &row.id.to_string()));
            }
            if !cache.contains_key(&row.subject_id) {
                let s = subjects::load(&mut c, &self.secrets().keyring, &row.subject_id).await?;
                cache.insert(row.subject_id.clone(), s);
            }
            let subject = cache.get(&row.subject_id).and_then(|s| s.as_ref());
            items.push(view(row, subject, false, None, now)?);
        }
        Ok(Page { items, next_cursor })
    }
}

fn pending_now(row: &Row_, now: Timestamp) -> Result<(), Error> {
    match effective_state(row.state, row.respond_by, row.valid_until, now) {
        ConsentState::Pending => Ok(()),
        ConsentState::Lapsed => Err(Error::new(ErrorCode::ConsentRequestLapsed)),
        _ => Err(Error::new(ErrorCode::ConsentNotPending)),
    }
}

async fn history(c: &mut Conn, id: Uuid) -> Result<Vec<ConsentEvent>, Error> {
    let rows = crate::db::query("SELECT kind, from_state, to_state, actor_kind, detail, at FROM consent_events WHERE consent_id = $1 ORDER BY seq")
        .bind(id.to_string())
        .fetch_all(&mut *c)
        .await
        .map_err(db)?;
    rows.iter()
        .map(|r| {
            let st = |n: &str| -> Result<Option<ConsentState>, Error> {
                Ok(r.try_get::<Option<String>>(n)
                    .map_err(db)?
                    .and_then(|s| ConsentState::parse(&s)))
            };
            let actor: String = r.try_get("actor_kind").map_err(db)?;
            let detail: Option<String> = r.try_get("detail").map_err(db)?;
            Ok(ConsentEvent {
                kind: r.try_get("kind").map_err(db)?,
                from_state: st("from_state")?,
                to_state: st("to_state")?,
                actor: ActorKind::parse(&actor).ok_or_else(Error::internal)?,
                at: ts_from_db(r.try_get("at").map_err(db)?),
                detail: detail.and_then(|d| serde_json::from_str(&d).ok()),
            })
        })
        .collect()
}

fn view(
    row: Row_,
    subject: Option<&Subject>,
    with_receipt: bool,
    history: Option<Vec<ConsentEvent>>,
    now: Timestamp,
) -> Result<ConsentView, Error> {
    let pii: Option<RequestPii> = match subject {
        Some(s) => Some(s.open_json("consent", &row.pii)?),
        None => None,
    };
    let receipt = match (with_receipt, subject, &row.receipt) {
        (true, Some(s), Some(sealed)) => {
            Some(String::from_utf8(s.open("receipt", sealed)?).map_err(|_| Error::internal())?)
        }
        _ => None,
    };
    Ok(ConsentView {
        id: row.id,
        series_id: row.series_id,
        version: row.version,
        state: effective_state(row.state, row.respond_by, row.valid_until, now),
        organization: row.organization,
        purpose: row.purpose,
        subject: match (subject, &pii) {
            (Some(s), Some(p)) => Some(PersonRef {
                iin: s.pii.iin,
                name: p.subject_name.clone(),
            }),
            _ => None,
        },
        representative: pii.and_then(|p| p.representative),
        terms: row.terms,
        respond_by: row.respond_by,
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        supersedes: row.supersedes,
        withdrawal_ground: row.withdrawal_ground,
        created_at: row.created_at,
        updated_at: row.updated_at,
        receipt,
        history,
    })
}

impl Store {
    /// For benchmarks: subjects, each with one active consent of `organization` for
    /// `purpose`, written as the consent flow writes them (sealed personal data, blind
    /// index, requested and confirmed events), in one transaction. No codes, messages or
    /// receipts. Subjects already known keep their data. Returns the consents written.
    pub async fn seed_consents(
        &self,
        organization: Uuid,
        purpose: &PurposeCode,
        subjects: Vec<SubjectDetails>,
        terms: ConsentTerms,
        now: Timestamp,
    ) -> Result<u64, Error> {
        let purpose_id = self.purpose_cached(organization, purpose).await?.id;
        let keyring = self.secrets().keyring.clone();
        self.write(move |c| {
            Box::pin(async move {
                let terms_json = to_json(&terms)?;
                let mut n = 0;
                for s in subjects {
                    let subject = subjects::upsert(c, &keyring, s.iin, &s.name, &s.contact, s.language, now).await?;
                    let id = new_id();
                    let pii = RequestPii { subject_name: s.name.clone(), representative: None };
                    crate::db::query(
                        "INSERT INTO consents (id, series_id, version, organization_id, subject_id, purpose_id, state, terms, pii, respond_by, valid_from, valid_until, created_at, updated_at) VALUES ($1, $1, 1, $2, $3, $4, 'active', $5, $6, $7, $7, $8, $7, $7)",
                    )
                    .bind(id.to_string())
                    .bind(organization.to_string())
                    .bind(subject.id.to_string())
                    .bind(purpose_id.to_string())
                    .bind(terms_json.clone())
                    .bind(subject.seal_json("consent", &pii)?)
                    .bind(ts_to_db(now))
                    .bind(ts_to_db(terms.valid_until))
                    .execute(c)
                    .await
                    .map_err(db)?;
                    let sid = subject.id.to_string();
                    event(c, id, &sid, "requested", None, Some(ConsentState::Pending), ActorKind::Organization, Some(organization.to_string()), None, now).await?;
                    event(c, id, &sid, "confirmed", Some(ConsentState::Pending), Some(ConsentState::Active), ActorKind::Subject, Some(sid.clone()), None, now).await?;
                    n += 1;
                }
                Ok(n)
            })
        })
        .await
    }
}
