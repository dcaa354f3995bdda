//! Webhooks to organizations, signed per the Standard Webhooks specification.
//!
//! An organization registers endpoints with the events it wants. An event is queued
//! in the outbox in the same transaction as the change that causes it, one row per
//! endpoint, with its body fixed at that moment; the dispatcher delivers it with
//! retries and backoff. The outbox row's id is the `webhook-id`: the same on every
//! attempt, so a receiver that remembers ids gets each event exactly once even when
//! a dispatcher dies between sending and recording.
//!
//! Event bodies carry pseudonymous ids (consent, request, purpose code), never
//! personal data.

use base64::Engine;
use jiff::Timestamp;
use qorgau_core::crypto::random_token;
use qorgau_core::{Error, ErrorCode};
use qorgau_ledger::{Actor, Entry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{db, new_id, ts_from_db, ts_to_db, Conn, Store};

/// The events an endpoint can subscribe to.
pub const EVENTS: &[&str] = &[
    "consent.confirmed",
    "consent.refused",
    "consent.withdrawn",
    "consent.expired",
    "consent.superseded",
    "request.filed",
    "request.overdue",
];

const MAX_ENDPOINTS: i64 = 20;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookEndpoint {
    pub id: Uuid,
    pub url: String,
    /// The events sent there; all of them when empty.
    pub events: Vec<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub disabled_at: Option<Timestamp>,
}

/// One event on its way to one endpoint.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookDelivery {
    /// The `webhook-id`: the same on every attempt.
    pub id: Uuid,
    pub event: String,
    /// `queued`, `delivered` (the endpoint answered 2xx) or `failed` (attempts exhausted).
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub delivered_at: Option<Timestamp>,
}

/// What the dispatcher needs to send one webhook (sealed in the outbox row).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebhookCall {
    pub url: String,
    /// The endpoint's secret, raw bytes in base64 (the part after `whsec_`).
    pub secret: String,
    /// The JSON body, fixed when the event happened.
    pub body: String,
}

fn validate_url(url: &str) -> Result<(), Error> {
    let bad = || Error::new(ErrorCode::ValidationFailed).at("url");
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if url.len() > 2000
        || host.is_empty()
        || host.contains('@')
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad());
    }
    Ok(())
}

fn endpoint_from_row(r: &crate::db::Row) -> Result<WebhookEndpoint, Error> {
    let id: String = r.try_get("id").map_err(db)?;
    let events: String = r.try_get("events").map_err(db)?;
    let disabled: Option<i64> = r.try_get("disabled_at").map_err(db)?;
    Ok(WebhookEndpoint {
        id: id.parse().map_err(|_| Error::internal())?,
        url: r.try_get("url").map_err(db)?,
        events: events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        created_at: ts_from_db(r.try_get("created_at").map_err(db)?),
        disabled_at: disabled.map(ts_from_db),
    })
}

/// Queue `event` for every live endpoint of `organization` that wants it, inside the
/// current change. The row holds the body only; the endpoint's address and secret
/// are read when it is sent.
pub(crate) async fn emit(
    c: &mut Conn,
    organization: &str,
    event: &str,
    data: serde_json::Value,
    now: Timestamp,
) -> Result<usize, Error> {
    let rows: Vec<(String, String)> = crate::db::query_as(
        "SELECT id, events FROM webhook_endpoints WHERE organization_id = $1 AND disabled_at IS NULL",
    )
    .bind(organization.to_owned())
    .fetch_all(&mut *c)
    .await
    .map_err(db)?;
    if rows.is_empty() {
        return Ok(0);
    }
    let body =
        serde_json::json!({"type": event, "timestamp": now.to_string(), "data": data}).to_string();
    let mut n = 0;
    for (endpoint, events) in rows {
        if !events.is_empty() && !events.split(',').any(|e| e == event) {
            continue;
        }
        crate::db::query(
            "INSERT INTO outbox (id, subject_id, channel, kind, payload, status, next_attempt_at, created_at, endpoint_id) VALUES ($1, NULL, 'webhook', $2, $3, 'queued', $4, $4, $5)",
        )
        .bind(new_id().to_string())
        .bind(event.to_owned())
        .bind(body.as_bytes().to_vec())
        .bind(ts_to_db(now))
        .bind(endpoint)
        .execute(&mut *c)
        .await
        .map_err(db)?;
        n += 1;
        crate::outbox::queued();
    }
    Ok(n)
}

/// The address and secret of a live endpoint, for sending.
pub(crate) async fn target(
    c: &mut Conn,
    keyring: &qorgau_core::crypto::Keyring,
    endpoint: &str,
) -> Result<Option<(String, String)>, Error> {
    let row = crate::db::query(
        "SELECT url, secret FROM webhook_endpoints WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(endpoint.to_owned())
    .fetch_optional(&mut *c)
    .await
    .map_err(db)?;
    let Some(r) = row else { return Ok(None) };
    let sealed: Vec<u8> = r.try_get("secret").map_err(db)?;
    let secret = keyring.open_service(format!("webhook {endpoint}").as_bytes(), &sealed)?;
    Ok(Some((
        r.try_get("url").map_err(db)?,
        base64::engine::general_purpose::STANDARD.encode(secret),
    )))
}

impl Store {
    /// Register an endpoint. Returns it and its signing secret (`whsec_…`), shown once.
    pub async fn create_webhook(
        &self,
        organization: Uuid,
        url: String,
        events: Vec<String>,
        by: Actor,
        now: Timestamp,
    ) -> Result<(WebhookEndpoint, String), Error> {
        validate_url(&url)?;
        let mut events = events;
        events.sort();
        events.dedup();
        if let Some(bad) = events.iter().find(|e| !EVENTS.contains(&e.as_str())) {
            return Err(Error::new(ErrorCode::ValidationFailed)
                .at("events")
                .arg("value", bad.clone()));
        }
        let raw: Vec<u8> = {
            let t = random_token(32);
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(t)
                .map_err(|_| Error::internal())?
        };
        let secret = format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(&raw)
        );
        let ep = WebhookEndpoint {
            id: new_id(),
            url,
            events,
            created_at: now,
            disabled_at: None,
        };
        let e = ep.clone();
        let store = self.clone();
        self.write(move |c| {
            Box::pin(async move {
                let keyring = store.secrets().keyring.clone();
                crate::orgs::load_org(c, organization).await?;
                let (n,): (i64,) = crate::db::query_as("SELECT COUNT(*) FROM webhook_endpoints WHERE organization_id = $1 AND disabled_at IS NULL")
                    .bind(organization.to_string())
                    .fetch_one(&mut *c)
                    .await
                    .map_err(db)?;
                if n >= MAX_ENDPOINTS {
                    return Err(Error::new(ErrorCode::ValidationFailed).at("url").arg("max", MAX_ENDPOINTS.to_string()));
                }
                crate::db::query("INSERT INTO webhook_endpoints (id, organization_id, url, secret, events, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(e.id.to_string())
                    .bind(organization.to_string())
                    .bind(e.url.clone())
                    .bind(keyring.seal_service(format!("webhook {}", e.id).as_bytes(), &raw)?)
                    .bind(e.events.join(","))
                    .bind(ts_to_db(now))
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                crate::ledger::append(c, &Entry::new("webhook.created", now, by).organization(organization).object("webhook", e.id)).await?;
                Ok(())
            })
        })
        .await?;
        Ok((ep, secret))
    }

    /// Queue events for an organization's endpoints, as changes do (for tools and
    /// benchmarks); one transaction per thousand.
    pub async fn queue_webhook_events(
        &self,
        organization: Uuid,
        event: &'static str,
        data: Vec<serde_json::Value>,
        now: Timestamp,
    ) -> Result<usize, Error> {
        let mut n = 0;
        let mut data = data;
        while !data.is_empty() {
            let chunk: Vec<_> = data.drain(..data.len().min(1000)).collect();
            n += self
                .write(move |c| {
                    Box::pin(async move {
                        let mut n = 0;
                        for d in chunk {
                            n += emit(c, &organization.to_string(), event, d, now).await?;
                        }
                        Ok(n)
                    })
                })
                .await?;
        }
        Ok(n)
    }

    /// An organization's endpoints, newest first.
    pub async fn webhooks(&self, organization: Uuid) -> Result<Vec<WebhookEndpoint>, Error> {
        let mut c = self.reader().await?;
        let rows = crate::db::query("SELECT * FROM webhook_endpoints WHERE organization_id = $1 ORDER BY created_at DESC, id")
            .bind(organization.to_string())
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        rows.iter().map(endpoint_from_row).collect()
    }

    /// Stop sending to an endpoint; what is queued for it fails at its next attempt.
    pub async fn disable_webhook(
        &self,
        organization: Uuid,
        id: Uuid,
        by: Actor,
        now: Timestamp,
    ) -> Result<(), Error> {
        self.write(move |c| {
            Box::pin(async move {
                let r = crate::db::query("UPDATE webhook_endpoints SET disabled_at = $1 WHERE id = $2 AND organization_id = $3 AND disabled_at IS NULL")
                    .bind(ts_to_db(now))
                    .bind(id.to_string())
                    .bind(organization.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                if r.rows_affected() != 1 {
                    return Err(Error::new(ErrorCode::NotFound));
                }
                crate::db::query("UPDATE outbox SET status = 'failed', last_error = 'endpoint disabled' WHERE endpoint_id = $1 AND status = 'queued'")
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(db)?;
                crate::ledger::append(c, &Entry::new("webhook.disabled", now, by).organization(organization).object("webhook", id)).await?;
                Ok(())
            })
        })
        .await
    }

    /// The latest deliveries to one of the organization's endpoints, newest first.
    pub async fn webhook_deliveries(
        &self,
        organization: Uuid,
        endpoint: Uuid,
        limit: i64,
    ) -> Result<Vec<WebhookDelivery>, Error> {
        let mut c = self.reader().await?;
        let owned: Option<(String,)> = crate::db::query_as(
            "SELECT id FROM webhook_endpoints WHERE id = $1 AND organization_id = $2",
        )
        .bind(endpoint.to_string())
        .bind(organization.to_string())
        .fetch_optional(&mut c)
        .await
        .map_err(db)?;
        if owned.is_none() {
            return Err(Error::new(ErrorCode::NotFound));
        }
        let rows = crate::db::query("SELECT id, kind, status, attempts, last_error, created_at, sent_at FROM outbox WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
            .bind(endpoint.to_string())
            .bind(limit)
            .fetch_all(&mut c)
            .await
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id").map_err(db)?;
                let sent: Option<i64> = r.try_get("sent_at").map_err(db)?;
                Ok(WebhookDelivery {
                    id: id.parse().map_err(|_| Error::internal())?,
                    event: r.try_get("kind").map_err(db)?,
                    status: r.try_get("status").map_err(db)?,
                    attempts: r.try_get("attempts").map_err(db)?,
                    last_error: r.try_get("last_error").map_err(db)?,
                    created_at: ts_from_db(r.try_get("created_at").map_err(db)?),
                    delivered_at: sent.map(ts_from_db),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(validate_url("https://hooks.bank.kz/qorgau").is_ok());
        assert!(validate_url("http://127.0.0.1:8080/x?y=1").is_ok());
        for bad in [
            "ftp://x",
            "https://",
            "https://user@host/",
            "https://a b",
            "javascript:alert(1)",
        ] {
            assert!(validate_url(bad).is_err(), "{bad}");
        }
    }
}
