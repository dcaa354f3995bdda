//! Subjects' requests to organizations (Art. 6, 13, 24, 25(2)(6)–(9); Rules p.15–16).
//!
//! A subject files a request; the organization works it from its queue and completes it
//! with what was done, or refuses it with a reason, within the deadline the caller
//! computed from the business-day calendar. What the subject wrote, their documents and
//! the answer are sealed under the subject's data key. Every transition is a ledger
//! entry and a message to the subject; a request past its deadline is flagged once, and
//! the subject and the organization's DPO are told.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::Timestamp;
use qorgau_core::calendar::Due;
use qorgau_core::catalogue::validate_text;
use qorgau_core::consent::{effective_state, ConsentState, Language};
use qorgau_core::id::{Bin, Iin};
use qorgau_core::request::{RequestKind, RequestState};
use qorgau_core::{Error, ErrorCode};
use qorgau_ledger::{Actor, Entry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::consents::Page;
use crate::outbox::{self, Message, MessageKind};
use crate::subjects::{self, Subject};
use crate::{db, decode_cursor, encode_cursor, new_id, ts_from_db, ts_to_db, Conn, Store};

/// At most this many documents, this large in all (decoded).
pub const MAX_DOCUMENTS: usize = 5;
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
const MEDIA_TYPES: &[&str] = &["application/pdf", "image/jpeg", "image/png", "text/plain"];

/// A supporting document (Art. 24(1)(2)).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: String,
    /// `application/pdf`, `image/jpeg`, `image/png` or `text/plain`.
    pub media_type: String,
    /// The content, base64.
    #[schema(value_type = String, format = Byte)]
    #[serde(with = "b64")]
    pub content: Vec<u8>,
}

mod b64 {
    use base64::Engine;
    pub fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(b))
    }
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s: String = serde::Deserialize::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|_| serde::de::Error::custom("not base64"))
    }
}

/// What the subject files.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub organization_bin: Bin,
    pub kind: RequestKind,
    /// What the subject asks, in their words.
    pub text: Option<String>,
    pub documents: Vec<Document>,
}

impl NewRequest {
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(t) = &self.text {
            validate_text(t, 4000).map_err(|e| e.at("text"))?;
        }
        if self.documents.len() > MAX_DOCUMENTS {
            return Err(Error::new(ErrorCode::ValidationFailed)
                .at("documents")
                .arg("max", MAX_DOCUMENTS.to_string()));
        }
        let mut total = 0;
        for (i, d) in self.documents.iter().enumerate() {
            validate_text(&d.name, 200).map_err(|e| e.at(format!("documents.{i}.name")))?;
            if !MEDIA_TYPES.contains(&d.media_type.as_str()) {
                return Err(
                    Error::new(ErrorCode::ValidationFailed).at(format!("documents.{i}.media_type"))
                );
            }
            if d.content.is_empty() {
                return Err(
                    Error::new(ErrorCode::ValidationFailed).at(format!("documents.{i}.content"))
                );
            }
            total += d.content.len();
        }
        if total > MAX_DOCUMENT_BYTES {
            return Err(Error::new(ErrorCode::PayloadTooLarge).at("documents"));
        }
        if self.kind.needs_documents() && self.documents.is_empty() {
            return Err(Error::new(ErrorCode::DocumentsRequired).at("documents"));
        }
        if self.kind.needs_documents() && self.text.is_none() {
            // What to change or add must be said.
            return Err(Error::new(ErrorCode::ValidationFailed).at("text"));
        }
        Ok(())
    }
}

/// Who looks at requests; anything else is "not found".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestViewer {
    Subject(Uuid),
    Organization(Uuid),
    /// The service administrator (and the inspector's view): every request's status,
    /// never its content.
    Admin,
}

/// Filters of a request list.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub state: Option<RequestState>,
    /// Only open requests past their deadline.
    pub overdue: bool,
    pub cursor: Option<String>,
    pub limit: u32,
}

/// A request as it stands, without its content.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestSummary {
    pub id: Uuid,
    pub kind: RequestKind,
    pub state: RequestState,
    pub organization_id: Uuid,
    #[schema(value_type = String, format = DateTime)]
    pub received_at: Timestamp,
    /// The deadline passes at this instant (the end of `due_date`, local time).
    #[schema(value_type = String, format = DateTime)]
    pub due_at: Timestamp,
    /// The last day to answer, in the deployment's time zone.
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// Seconds until the deadline (negative once it passed); `null` once answered.
    pub time_left_seconds: Option<i64>,
    /// Open past its deadline.
    pub overdue: bool,
    /// Answered after its deadline.
    pub answered_late: bool,
    pub assignee: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
}

/// The subject, as the organization working the request sees them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestSubject {
    #[schema(value_type = String)]
    pub iin: Iin,
    pub name: qorgau_core::consent::PersonName,
}

/// The organization's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RequestAnswer {
    /// What was done, or the answer in words.
    pub text: Option<String>,
    /// For an information request: what the service knows of the processing
    /// (Art. 24(1)(1), Rules p.15), as answered.
    #[schema(value_type = Option<Object>)]
    pub information: Option<InformationDraft>,
    /// For change or supplement: the data could not be changed and were destroyed
    /// instead (Art. 25(2)(8)).
    #[serde(default)]
    pub destroyed_instead: bool,
    /// For a refusal: the reason (Art. 25(2)(7)).
    pub refusal_reason: Option<String>,
}

/// One request in full, for the subject or the organization.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestView {
    #[serde(flatten)]
    pub summary: RequestSummary,
    pub organization: RequestOrganization,
    /// Working days the organization has, and the provisions that say so.
    pub working_days: u32,
    pub article: &'static str,
    /// Present for the subject and the organization; never for the administrator.
    pub subject: Option<RequestSubject>,
    pub text: Option<String>,
    pub documents: Vec<Document>,
    pub answer: Option<RequestAnswer>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestOrganization {
    pub id: Uuid,
    #[schema(value_type = String)]
    pub bin: Bin,
    pub name: String,
}

/// What the service knows of an organization's processing of one subject's data: the
/// pre-filled answer to an information request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InformationDraft {
    /// Whether the organization holds or held anything about the subject, as far as
    /// the service knows (consents, recorded processing).
    pub holds_data: bool,
    /// Every consent with its purpose, terms, categories and state.
    #[schema(value_type = Vec<Object>)]
    pub consents: Vec<serde_json::Value>,
    /// The organization's recorded processing and access decisions about the subject
    /// (newest first, at most 200 entries).
    #[schema(value_type = Vec<Object>)]
    pub processing: Vec<serde_json::Value>,
    /// Whether the subject's data are blocked at the organization.
    pub blocked: bool,
    #[schema(value_type = String, format = DateTime)]
    pub as_of: Timestamp,
}

/// How the organization completes a request.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    pub text: Option<String>,
    pub destroyed_instead: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    text: Option<String>,
    documents: Vec<Document>,
}

struct Row {
    id: Uuid,
    organization_id: Uuid,
    subject_id: String,
    kind: RequestKind,
    state: RequestState,
    received_at: Timestamp,
    due_at: Timestamp,
    due_date: Date,
    assignee: Option<String>,
    body: Vec<u8>,
    answer: Option<Vec<u8>>,
    closed_at: Option<Timestamp>,
}

const COLUMNS: &str = "id, organization_id, subject_id, kind, state, received_at, due_at, due_date, assignee, body, answer, closed_at";

fn row_of(r: &db::Row) -> Result<Row, Error> {
    let parse_id = |s: String| s.parse::<Uuid>().map_err(|_| Error::internal());
    Ok(Row {
        id: parse_id(r.try_get("id").map_err(db)?)?,
        organization_id: parse_id(r.try_get("organization_id").map_err(db)?)?,
        subject_id: r.try_get("subject_id").map_err(db)?,
        kind: RequestKind::parse(&r.try_get::<String>("kind").map_err(db)?)
            .ok_or_else(Error::internal)?,
        state: RequestState::parse(&r.try_get::<String>("state").map_err(db)?)
            .ok_or_else(Error::internal)?,
        received_at: ts_from_db(r.try_get("received_at").map_err(db)?),
        due_at: ts_from_db(r.try_get("due_at").map_err(db)?),
        due_date: r
            .try_get::<String>("due_date")
            .map_err(db)?
            .parse()
            .map_err(|_| Error::internal())?,
        assignee: r.try_get("assignee").map_err(db)?,
        body: r.try_get("body").map_err(db)?,
        answer: r.try_get("answer").map_err(db)?,
        closed_at: r
            .try_get::<Option<i64>>("closed_at")
            .map_err(db)?
            .map(ts_from_db),
    })
}

impl Row {
    fn summary(&self, now: Timestamp) -> RequestSummary {
        let open = self.state == RequestState::Open;
        RequestSummary {
            id: self.id,
            kind: self.kind,
            state: self.state,
            organization_id: self.organization_id,
            received_at: self.received_at,
            due_at: self.due_at,
            due_date: self.due_date,
            time_left_seconds: open.then(|| self.due_at.as_second() - now.as_second()),
            overdue: open && now >= self.due_at,
            answered_late: self.closed_at.is_some_and(|c| c >= self.due_at),
            assignee: self.assignee.clone(),
            closed_at: self.closed_at,
        }
    }

    /// The request's status and deadline, without what the subject wrote or the answer.
    fn view_without_content(&self, org: &crate::orgs::Organization, now: Timestamp) -> RequestView {
        RequestView {
            summary: self.summary(now),
            organization: RequestOrganization {
                id: org.id,
                bin: org.bin,
                name: org.name.clone(),
            },
            working_days: self.kind.working_days(),
            article: self.kind.article(),
            subject: None,
            text: None,
            documents: Vec::new(),
            answer: None,
        }
    }

    fn visible_to(&self, viewer: RequestViewer) -> bool {
        match viewer {
            RequestViewer::Subject(s) => self.subject_id == s.to_string(),
            RequestViewer::Organization(o) => self.organization_id == o,
            RequestViewer::Admin => true,
        }
    }
}

async fn load(c: &mut Conn, id: Uuid, viewer: RequestViewer) -> Result<Row, Error> {
    let r = db::query(&format!("SELECT {COLUMNS} FROM requests WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await
        .map_err(db)?
        .ok_or_else(|| Error::new(ErrorCode::NotFound))?;
    let row = row_of(&r)?;
    if row.visible_to(viewer) {
        Ok(row)
    } else {
        Err(Error::new(ErrorCode::NotFound))
    }
}

fn body_label(id: Uuid) -> String {
    format!("request {id} body")
}

fn answer_label(id: Uuid) -> String {
    format!("request {id} answer")
}

/// What a ledger entry or a message about a request names.
struct About<'a> {
    subject: &'a Subject,
    org: Uuid,
    org_name: &'a str,
    id: Uuid,
    kind: RequestKind,
    due: Date,
}

impl About<'_> {
    /// A ledger entry about the request: ids, kinds and dates only.
    fn entry(
        &self,
        keyring: &qorgau_core::crypto::Keyring,
        kind: &str,
        now: Timestamp,
        actor: Actor,
    ) -> Entry {
        Entry::new(kind, now, actor)
            .subject(&keyring.blind_index(&self.subject.pii.iin))
            .organization(self.org)
            .object("request", self.id)
            .detail("request_kind", self.kind.as_str())
    }

    /// A message to the subject about their request.
    async fn tell(&self, c: &mut Conn, kind: MessageKind, now: Timestamp) -> Result<(), Error> {
        if self.subject.pii.contact.is_empty() {
            return Ok(());
        }
        let args = BTreeMap::from([
            ("organization".to_owned(), self.org_name.to_owned()),
            ("request_kind".to_owned(), self.kind.as_str().to_owned()),
            ("due".to_owned(), self.due.to_string()),
        ]);
        outbox::enqueue(
            c,
            self.subject,
            &Message {
                kind,
                to: self.subject.pii.contact.clone(),
                language: self.subject.pii.language,
                args,
                reference: self.id.to_string(),
            },
            now,
        )
        .await?;
        Ok(())
    }
}

async fn subject_of(
    c: &mut Conn,
    keyring: &qorgau_core::crypto::Keyring,
    id: &str,
) -> Result<Subject, Error> {
    // A subject whose data were destroyed has no requests left to work.
    subjects::load(c, keyring, id)
        .await?
        .ok_or_else(|| Error::new(ErrorCode::NotFound))
}

impl Store {
    /// The subject files a request with `organization_bin`, due at `due`.
    /// `representative`: the legal representative filing for the subject, recorded
    /// as the actor.
    pub async fn file_request(
        &self,
        subject_id: Uuid,
        req: NewRequest,
        due: Due,
        representative: Option<Uuid>,
        now: Timestamp,
    ) -> Result<RequestView, Error> {
        req.validate()?;
        let org = self
            .organization_by_bin(&req.organization_bin)
            .await
            .map_err(|e| match e.code {
                ErrorCode::NotFound => Error::new(ErrorCode::UnknownHolder).at("organization_bin"),
                _ => e,
            })?;
        let keyring = self.secrets().keyring.clone();
        let id = new_id();
        let kind = req.kind;
        let body = Body {
            text: req.text,
            documents: req.documents,
        };
        let (org_id, org_name) = (org.id, org.name.clone());
        let (person, body) = self
            .write(move |c| {
                Box::pin(async move {
                    let subject = subject_of(c, &keyring, &subject_id.to_string()).await?;
                    db::query("INSERT INTO requests (id, organization_id, subject_id, kind, state, received_at, due_at, due_date, body) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8)")
                        .bind(id.to_string())
                        .bind(org_id.to_string())
                        .bind(subject_id.to_string())
                        .bind(kind.as_str())
                        .bind(ts_to_db(now))
                        .bind(ts_to_db(due.at))
                        .bind(due.date.to_string())
                        .bind(subject.seal_json(&body_label(id), &body)?)
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    let about = About { subject: &subject, org: org_id, org_name: &org_name, id, kind, due: due.date };
                    let e = about
                        .entry(&keyring, "request.filed", now, match representative {
                            Some(r) => Actor::new("representative", Some(r.to_string())),
                            None => Actor::new("subject", Some(subject_id.to_string())),
                        })
                        .detail("due_date", due.date);
                    crate::ledger::append(c, &e).await?;
                    about.tell(c, MessageKind::RequestReceived, now).await?;
                    crate::webhooks::emit(c, &org_id.to_string(), "request.filed", serde_json::json!({"request_id": id, "kind": kind.as_str(), "due_at": due.at.to_string(), "due_date": due.date.to_string()}), now).await?;
                    let person = RequestSubject {
                        iin: subject.pii.iin,
                        name: subject.pii.name.clone(),
                    };
                    Ok((person, body))
                })
            })
            .await?;
        // The answer is built from what was just written, not read back.
        let row = Row {
            id,
            organization_id: org.id,
            subject_id: subject_id.to_string(),
            kind,
            state: RequestState::Open,
            received_at: now,
            due_at: due.at,
            due_date: due.date,
            assignee: None,
            body: Vec::new(),
            answer: None,
            closed_at: None,
        };
        Ok(RequestView {
            subject: Some(person),
            text: body.text,
            documents: body.documents,
            ..row.view_without_content(&org, now)
        })
    }

    /// One request as `viewer` may see it.
    pub async fn request(
        &self,
        id: Uuid,
        viewer: RequestViewer,
        now: Timestamp,
    ) -> Result<RequestView, Error> {
        let mut c = self.reader().await?;
        let row = load(&mut c, id, viewer).await?;
        let org = self.organization_cached(row.organization_id).await?;
        let mut view = row.view_without_content(&org, now);
        if viewer == RequestViewer::Admin {
            return Ok(view);
        }
        let Some(subject) =
            subjects::load(&mut c, &self.secrets().keyring, &row.subject_id).await?
        else {
            // Destroyed: what is left is the request's status.
            return Ok(view);
        };
        let body: Body = subject.open_json(&body_label(id), &row.body)?;
        view.text = body.text;
        view.documents = body.documents;
        if let Some(a) = &row.answer {
            view.answer = Some(subject.open_json(&answer_label(id), a)?);
        }
        view.subject = Some(RequestSubject {
            iin: subject.pii.iin,
            name: subject.pii.name.clone(),
        });
        Ok(view)
    }

    /// Requests `viewer` may see: the subject's own (newest first), an organization's
    /// queue or, for the administrator, every organization's (soonest due first).
    pub async fn requests(
        &self,
        viewer: RequestViewer,
        f: RequestFilter,
        now: Timestamp,
    ) -> Result<Page<RequestSummary>, Error> {
        let limit = f.limit.clamp(1, 200);
        let mut sql = format!("SELECT {COLUMNS} FROM requests WHERE ");
        let mut args: Vec<db::Value> = Vec::new();
        let subject_view = matches!(viewer, RequestViewer::Subject(_));
        match viewer {
            RequestViewer::Subject(s) => {
                args.push(db::Value::Text(s.to_string()));
                sql.push_str("subject_id = $1");
            }
            RequestViewer::Organization(o) => {
                args.push(db::Value::Text(o.to_string()));
                sql.push_str("organization_id = $1");
            }
            RequestViewer::Admin => sql.push_str("1 = 1"),
        }
        let state = if f.overdue {
            Some(RequestState::Open)
        } else {
            f.state
        };
        if let Some(s) = state {
            args.push(db::Value::Text(s.as_str().to_owned()));
            sql.push_str(&format!(" AND state = ${}", args.len()));
        }
        if f.overdue {
            args.push(db::Value::Int(ts_to_db(now)));
            sql.push_str(&format!(" AND due_at <= ${}", args.len()));
        }
        let order_col = if subject_view {
            "received_at"
        } else {
            "due_at"
        };
        if let Some(cur) = &f.cursor {
            let (t, id) = decode_cursor(cur)?;
            args.push(db::Value::Int(t));
            let a = args.len();
            args.push(db::Value::Text(id));
            let b = args.len();
            sql.push_str(&if subject_view {
                format!(" AND ({order_col} < ${a} OR ({order_col} = ${a} AND id < ${b}))")
            } else {
                format!(" AND ({order_col} > ${a} OR ({order_col} = ${a} AND id > ${b}))")
            });
        }
        let dir = if subject_view { "DESC" } else { "ASC" };
        args.push(db::Value::Int(i64::from(limit) + 1));
        sql.push_str(&format!(
            " ORDER BY {order_col} {dir}, id {dir} LIMIT ${}",
            args.len()
        ));
        let mut c = self.reader().await?;
        let mut q = db::query(&sql);
        for a in args {
            q = q.bind(a);
        }
        let rows = q.fetch_all(&mut c).await.map_err(db)?;
        let mut items: Vec<RequestSummary> = Vec::with_capacity(rows.len());
        let mut next_cursor = None;
        for (i, r) in rows.iter().enumerate() {
            let row = row_of(r)?;
            if i == limit as usize {
                let last = &items[i - 1];
                let t = if subject_view {
                    last.received_at
                } else {
                    last.due_at
                };
                next_cursor = Some(encode_cursor(ts_to_db(t), &last.id.to_string()));
                break;
            }
            items.push(row.summary(now));
        }
        Ok(Page { items, next_cursor })
    }

    /// Who works the request (a staff reference of the organization's choosing).
    pub async fn assign_request(
        &self,
        org: Uuid,
        id: Uuid,
        assignee: String,
        now: Timestamp,
    ) -> Result<RequestView, Error> {
        validate_text(&assignee, 100).map_err(|e| e.at("assignee"))?;
        let keyring = self.secrets().keyring.clone();
        self.write(move |c| {
            Box::pin(async move {
                let row = load(c, id, RequestViewer::Organization(org)).await?;
                if row.state != RequestState::Open {
                    return Err(Error::new(ErrorCode::RequestNotOpen));
                }
                db::query("UPDATE requests SET assignee = $1, assigned_at = $2 WHERE id = $3")
                    .bind(assignee)
                    .bind(ts_to_db(now))
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                let subject = subject_of(c, &keyring, &row.subject_id).await?;
                let about = About {
                    subject: &subject,
                    org,
                    org_name: "",
                    id,
                    kind: row.kind,
                    due: row.due_date,
                };
                let e = about.entry(
                    &keyring,
                    "request.assigned",
                    now,
                    Actor::new("organization", Some(org.to_string())),
                );
                crate::ledger::append(c, &e).await?;
                Ok(())
            })
        })
        .await?;
        self.request(id, RequestViewer::Organization(org), now)
            .await
    }

    /// What the service knows of the organization's processing of the request's
    /// subject: the pre-filled answer to an information request.
    pub async fn request_draft(
        &self,
        org: Uuid,
        id: Uuid,
        now: Timestamp,
    ) -> Result<InformationDraft, Error> {
        let mut c = self.reader().await?;
        let row = load(&mut c, id, RequestViewer::Organization(org)).await?;
        self.draft_for(&mut c, org, &row.subject_id, now).await
    }

    async fn draft_for(
        &self,
        c: &mut Conn,
        org: Uuid,
        subject_id: &str,
        now: Timestamp,
    ) -> Result<InformationDraft, Error> {
        let rows = db::query("SELECT c.id, c.state, c.terms, c.respond_by, c.valid_from, c.valid_until, c.created_at, p.code, p.body FROM consents c JOIN purposes p ON p.id = c.purpose_id WHERE c.subject_id = $1 AND c.organization_id = $2 ORDER BY c.created_at")
            .bind(subject_id.to_owned())
            .bind(org.to_string())
            .fetch_all(&mut *c)
            .await
            .map_err(db)?;
        let mut consents = Vec::with_capacity(rows.len());
        for r in &rows {
            let stored: String = r.try_get("state").map_err(db)?;
            let stored = ConsentState::parse(&stored).ok_or_else(Error::internal)?;
            let state = effective_state(
                stored,
                ts_from_db(r.try_get("respond_by").map_err(db)?),
                ts_from_db(r.try_get("valid_until").map_err(db)?),
                now,
            );
            let terms: serde_json::Value =
                serde_json::from_str(&r.try_get::<String>("terms").map_err(db)?)
                    .map_err(|_| Error::internal())?;
            let purpose: serde_json::Value =
                serde_json::from_str(&r.try_get::<String>("body").map_err(db)?)
                    .map_err(|_| Error::internal())?;
            consents.push(serde_json::json!({
                "consent_id": r.try_get::<String>("id").map_err(db)?,
                "state": state.as_str(),
                "purpose_code": r.try_get::<String>("code").map_err(db)?,
                "purpose": purpose,
                "terms": terms,
                "valid_from": r.try_get::<Option<i64>>("valid_from").map_err(db)?.map(|t| ts_from_db(t).to_string()),
                "valid_until": ts_from_db(r.try_get("valid_until").map_err(db)?).to_string(),
                "source": "the subject, through Qorgau",
            }));
        }
        let (blocks,): (i64,) = db::query_as("SELECT COUNT(*) FROM blocks WHERE subject_id = $1 AND organization_id = $2 AND unblocked_at IS NULL")
            .bind(subject_id.to_owned())
            .bind(org.to_string())
            .fetch_one(&mut *c)
            .await
            .map_err(db)?;
        let pseudonym = crate::ledger::subject_ref(c, subject_id).await?;
        let mut processing = Vec::new();
        if let Some(p) = pseudonym {
            let org_s = org.to_string();
            for e in self.subject_entries(p, None, 1000).await? {
                let Some(entry) = Entry::from_bytes(&e.body) else {
                    continue;
                };
                if entry.organization.as_deref() != Some(org_s.as_str())
                    || !(entry.kind.starts_with("processing.") || entry.kind == "access.decided")
                {
                    continue;
                }
                processing.push(serde_json::json!({
                    "ledger_index": e.index,
                    "kind": entry.kind,
                    "at": entry.at.to_string(),
                    "action": entry.action,
                    "purpose": entry.purpose,
                    "categories": entry.categories,
                }));
                if processing.len() == 200 {
                    break;
                }
            }
        }
        Ok(InformationDraft {
            holds_data: !consents.is_empty() || !processing.is_empty() || blocks > 0,
            consents,
            processing,
            blocked: blocks > 0,
            as_of: now,
        })
    }

    /// The organization completes the request with what was done. An information
    /// request is answered with what the service knows (and the organization's words);
    /// completing a block blocks the subject's data at the organization, an unblock
    /// lifts it, in the same transaction.
    pub async fn complete_request(
        &self,
        org: Uuid,
        id: Uuid,
        done: Completion,
        now: Timestamp,
    ) -> Result<RequestView, Error> {
        if let Some(t) = &done.text {
            validate_text(t, 8000).map_err(|e| e.at("text"))?;
        }
        let keyring = self.secrets().keyring.clone();
        let org_name = self.organization_cached(org).await?.name.clone();
        let store = self.clone();
        self.write(move |c| {
            Box::pin(async move {
                let row = load(c, id, RequestViewer::Organization(org)).await?;
                if row.state != RequestState::Open {
                    return Err(Error::new(ErrorCode::RequestNotOpen));
                }
                if row.kind != RequestKind::Information && done.text.is_none() {
                    // Say what was done.
                    return Err(Error::new(ErrorCode::ValidationFailed).at("text"));
                }
                if done.destroyed_instead && !row.kind.needs_documents() {
                    return Err(Error::new(ErrorCode::ValidationFailed).at("destroyed_instead"));
                }
                let subject = subject_of(c, &keyring, &row.subject_id).await?;
                let information = match row.kind {
                    RequestKind::Information => Some(store.draft_for(c, org, &row.subject_id, now).await?),
                    _ => None,
                };
                let answer = RequestAnswer {
                    text: done.text.clone(),
                    information,
                    destroyed_instead: done.destroyed_instead,
                    refusal_reason: None,
                };
                close(c, &row, RequestState::Completed, subject.seal_json(&answer_label(id), &answer)?, now).await?;
                let actor = || Actor::new("organization", Some(org.to_string()));
                let index = keyring.blind_index(&subject.pii.iin);
                let effect = match row.kind {
                    RequestKind::Block => {
                        db::query("INSERT INTO blocks (id, subject_id, organization_id, blocked_at) VALUES ($1, $2, $3, $4)")
                            .bind(new_id().to_string())
                            .bind(row.subject_id.clone())
                            .bind(org.to_string())
                            .bind(ts_to_db(now))
                            .execute(&mut *c)
                            .await
                            .map_err(db)?;
                        Some("data.blocked")
                    }
                    RequestKind::Unblock => {
                        db::query("UPDATE blocks SET unblocked_at = $1 WHERE subject_id = $2 AND organization_id = $3 AND unblocked_at IS NULL")
                            .bind(ts_to_db(now))
                            .bind(row.subject_id.clone())
                            .bind(org.to_string())
                            .execute(&mut *c)
                            .await
                            .map_err(db)?;
                        Some("data.unblocked")
                    }
                    RequestKind::Destroy => Some("data.destroyed"),
                    RequestKind::Change | RequestKind::Supplement if done.destroyed_instead => Some("data.destroyed"),
                    RequestKind::Change => Some("data.changed"),
                    RequestKind::Supplement => Some("data.supplemented"),
                    RequestKind::RemoveFromPublicSources => Some("data.removed_from_public_sources"),
                    RequestKind::Information => None,
                };
                let about = About { subject: &subject, org, org_name: &org_name, id, kind: row.kind, due: row.due_date };
                let mut e = about.entry(&keyring, "request.completed", now, actor());
                if now >= row.due_at {
                    e = e.detail("late", true);
                }
                crate::ledger::append(c, &e).await?;
                if let Some(kind) = effect {
                    let e = Entry::new(kind, now, actor())
                        .subject(&index)
                        .organization(org)
                        .object("request", id);
                    crate::ledger::append(c, &e).await?;
                }
                about.tell(c, MessageKind::RequestCompleted, now).await
            })
        })
        .await?;
        self.request(id, RequestViewer::Organization(org), now)
            .await
    }

    /// The organization refuses the request; the reason is mandatory (Art. 25(2)(7)).
    pub async fn refuse_request(
        &self,
        org: Uuid,
        id: Uuid,
        reason: Option<String>,
        now: Timestamp,
    ) -> Result<RequestView, Error> {
        let reason = match reason {
            Some(r) if !r.trim().is_empty() => r,
            _ => return Err(Error::new(ErrorCode::ReasonRequired).at("reason")),
        };
        validate_text(&reason, 8000).map_err(|e| e.at("reason"))?;
        let keyring = self.secrets().keyring.clone();
        let org_name = self.organization_cached(org).await?.name.clone();
        self.write(move |c| {
            Box::pin(async move {
                let row = load(c, id, RequestViewer::Organization(org)).await?;
                if row.state != RequestState::Open {
                    return Err(Error::new(ErrorCode::RequestNotOpen));
                }
                let subject = subject_of(c, &keyring, &row.subject_id).await?;
                let answer = RequestAnswer {
                    text: None,
                    information: None,
                    destroyed_instead: false,
                    refusal_reason: Some(reason),
                };
                close(
                    c,
                    &row,
                    RequestState::Refused,
                    subject.seal_json(&answer_label(id), &answer)?,
                    now,
                )
                .await?;
                let about = About {
                    subject: &subject,
                    org,
                    org_name: &org_name,
                    id,
                    kind: row.kind,
                    due: row.due_date,
                };
                let mut e = about.entry(
                    &keyring,
                    "request.refused",
                    now,
                    Actor::new("organization", Some(org.to_string())),
                );
                if now >= row.due_at {
                    e = e.detail("late", true);
                }
                crate::ledger::append(c, &e).await?;
                about.tell(c, MessageKind::RequestRefused, now).await
            })
        })
        .await?;
        self.request(id, RequestViewer::Organization(org), now)
            .await
    }

    /// Flag open requests whose deadline passed at `now` (at most `limit`): a ledger
    /// entry each, and a message to the subject and to the organization's DPO. Each
    /// request is flagged once. Returns how many were flagged.
    pub async fn sweep_requests(&self, now: Timestamp, limit: i64) -> Result<u64, Error> {
        let keyring = self.secrets().keyring.clone();
        self.write(move |c| {
            Box::pin(async move {
                let rows = db::query(&format!("SELECT {COLUMNS} FROM requests WHERE state = 'open' AND overdue_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2"))
                    .bind(ts_to_db(now))
                    .bind(limit)
                    .fetch_all(&mut *c)
                    .await
                    .map_err(db)?;
                let mut n = 0;
                for r in &rows {
                    let row = row_of(r)?;
                    db::query("UPDATE requests SET overdue_at = $1 WHERE id = $2")
                        .bind(ts_to_db(now))
                        .bind(row.id.to_string())
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    // Read in the transaction, not from the cache: the DPO to tell may
                    // have changed since this process first saw the organization.
                    let org = crate::orgs::load_org(c, row.organization_id).await?;
                    let Some(subject) = subjects::load(c, &keyring, &row.subject_id).await? else {
                        continue;
                    };
                    let about = About { subject: &subject, org: org.id, org_name: &org.name, id: row.id, kind: row.kind, due: row.due_date };
                    let e = about
                        .entry(&keyring, "request.overdue", now, Actor::new("service", None))
                        .detail("due_date", row.due_date);
                    crate::ledger::append(c, &e).await?;
                    about.tell(c, MessageKind::RequestOverdue, now).await?;
                    crate::webhooks::emit(c, &org.id.to_string(), "request.overdue", serde_json::json!({"request_id": row.id, "kind": row.kind.as_str(), "due_date": row.due_date.to_string()}), now).await?;
                    let args = BTreeMap::from([
                        ("organization".to_owned(), org.name.clone()),
                        ("request_kind".to_owned(), row.kind.as_str().to_owned()),
                        ("due".to_owned(), row.due_date.to_string()),
                        ("reference".to_owned(), row.id.to_string()),
                    ]);
                    outbox::enqueue_staff(
                        c,
                        &keyring,
                        &Message {
                            kind: MessageKind::RequestOverdueDpo,
                            to: org.dpo.contact.clone(),
                            language: Language::default(),
                            args,
                            reference: row.id.to_string(),
                        },
                        now,
                    )
                    .await?;
                    n += 1;
                }
                Ok(n)
            })
        })
        .await
    }

    /// The calendar years an administrator imported, as one data file (`None` if none).
    pub async fn imported_calendar(
        &self,
    ) -> Result<Option<qorgau_core::calendar::CalendarData>, Error> {
        let mut c = self.reader().await?;
        let rows: Vec<(String, String)> =
            db::query_as("SELECT data, version FROM calendar_years ORDER BY year")
                .fetch_all(&mut c)
                .await
                .map_err(db)?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut years = Vec::with_capacity(rows.len());
        let mut version = String::new();
        for (data, v) in rows {
            years.push(serde_json::from_str(&data).map_err(|_| Error::internal())?);
            version = version.max(v);
        }
        Ok(Some(qorgau_core::calendar::CalendarData { version, years }))
    }

    /// Import calendar data: each year in it replaces the one held. Recorded in the
    /// ledger.
    pub async fn import_calendar(
        &self,
        data: qorgau_core::calendar::CalendarData,
        now: Timestamp,
    ) -> Result<usize, Error> {
        self.write(move |c| {
            Box::pin(async move {
                for y in &data.years {
                    db::query("DELETE FROM calendar_years WHERE year = $1")
                        .bind(i64::from(y.year))
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                    db::query("INSERT INTO calendar_years (year, data, version, imported_at) VALUES ($1, $2, $3, $4)")
                        .bind(i64::from(y.year))
                        .bind(serde_json::to_string(y).map_err(|_| Error::internal())?)
                        .bind(data.version.clone())
                        .bind(ts_to_db(now))
                        .execute(&mut *c)
                        .await
                        .map_err(db)?;
                }
                let years: Vec<String> = data.years.iter().map(|y| y.year.to_string()).collect();
                let e = Entry::new("calendar.imported", now, Actor::new("administrator", None))
                    .detail("version", &data.version)
                    .detail("years", years.join(","));
                crate::ledger::append(c, &e).await?;
                Ok(data.years.len())
            })
        })
        .await
    }
}

/// Close an open request with its sealed answer.
async fn close(
    c: &mut Conn,
    row: &Row,
    to: RequestState,
    answer: Vec<u8>,
    now: Timestamp,
) -> Result<(), Error> {
    let r = db::query("UPDATE requests SET state = $1, answer = $2, closed_at = $3 WHERE id = $4 AND state = 'open'")
        .bind(to.as_str())
        .bind(answer)
        .bind(ts_to_db(now))
        .bind(row.id.to_string())
        .execute(&mut *c)
        .await
        .map_err(db)?;
    if r.rows_affected() != 1 {
        return Err(Error::new(ErrorCode::RequestNotOpen));
    }
    Ok(())
}

/// What an inspector counts for one organization: counts only, never a subject or what
/// anyone wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrganizationCounts {
    /// Requests not answered yet.
    pub open_requests: u64,
    /// Open requests past their deadline.
    pub overdue_requests: u64,
    /// Requests answered or refused after their deadline.
    pub answered_late: u64,
    /// Consents given and neither withdrawn nor ended.
    pub consents_in_force: u64,
}

impl Store {
    /// The inspector's counts for every organization that has any (an organization
    /// missing from the map has none): two grouped queries.
    pub async fn organization_counts(
        &self,
        now: Timestamp,
    ) -> Result<BTreeMap<Uuid, OrganizationCounts>, Error> {
        let mut c = self.reader().await?;
        let parse = |s: String| s.parse::<Uuid>().map_err(|_| Error::internal());
        let count = |n: Option<i64>| n.unwrap_or(0).max(0) as u64;
        let mut out: BTreeMap<Uuid, OrganizationCounts> = BTreeMap::new();
        let rows = db::query("SELECT organization_id, SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END) AS open, SUM(CASE WHEN state = 'open' AND due_at <= $1 THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN closed_at IS NOT NULL AND closed_at >= due_at THEN 1 ELSE 0 END) AS late FROM requests GROUP BY organization_id")
            .bind(ts_to_db(now))
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        for r in &rows {
            let e = out
                .entry(parse(r.try_get("organization_id").map_err(db)?)?)
                .or_default();
            e.open_requests = count(r.try_get("open").map_err(db)?);
            e.overdue_requests = count(r.try_get("overdue").map_err(db)?);
            e.answered_late = count(r.try_get("late").map_err(db)?);
        }
        let rows = db::query("SELECT organization_id, COUNT(*) AS n FROM consents WHERE state = 'active' AND valid_until > $1 GROUP BY organization_id")
            .bind(ts_to_db(now))
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        for r in &rows {
            out.entry(parse(r.try_get("organization_id").map_err(db)?)?)
                .or_default()
                .consents_in_force = count(r.try_get("n").map_err(db)?);
        }
        Ok(out)
    }
}
