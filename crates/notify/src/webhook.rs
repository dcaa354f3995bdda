//! Webhooks to organizations, signed per the Standard Webhooks specification
//! (<https://www.standardwebhooks.com>): headers `webhook-id`, `webhook-timestamp`
//! and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with
//! the endpoint's secret (`whsec_<base64>`). A 2xx answer is delivery; anything else,
//! or no answer within the timeout, is a failure to retry.

use std::time::Duration;

use base64::Engine;
use futures::StreamExt;
use jiff::Timestamp;
use qorgau_core::crypto::hmac_sha256;
use qorgau_store::webhooks::WebhookCall;
use uuid::Uuid;

/// How many webhooks are in flight at once; one slow endpoint holds one slot only.
pub const CONCURRENCY: usize = 64;
/// How long an endpoint has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The `webhook-signature` value for a message.
pub fn sign(secret_b64: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret_b64)
        .ok()?;
    let mac = hmac_sha256(&key, format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac)
    ))
}

/// Verify a `webhook-signature` header (which may list several signatures) as a
/// receiver would, with the secret as shown (`whsec_…`).
pub fn verify(secret: &str, id: &str, timestamp: &str, body: &str, header: &str) -> bool {
    let Some(b64) = secret.strip_prefix("whsec_") else {
        return false;
    };
    let Ok(ts) = timestamp.parse::<i64>() else {
        return false;
    };
    let Some(expected) = sign(b64, id, ts, body) else {
        return false;
    };
    header
        .split(' ')
        .any(|s| qorgau_core::crypto::ct_eq(s.as_bytes(), expected.as_bytes()))
}

/// Sends webhooks over HTTP(S).
#[derive(Clone)]
pub struct WebhookSender {
    client: reqwest::Client,
}

impl WebhookSender {
    pub fn new() -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Qorgau-Webhooks/1")
            .build()
            .map_err(|e| format!("webhook client: {e}"))?;
        Ok(WebhookSender { client })
    }

    /// Send each call; one outcome per call, in order. `now` stamps the attempt.
    pub async fn send_all(
        &self,
        calls: &[(Uuid, WebhookCall)],
        now: Timestamp,
    ) -> Vec<Result<(), String>> {
        let ts = now.as_second();
        let client = self.client.clone();
        let futs: Vec<_> = calls
            .iter()
            .cloned()
            .map(|(id, call)| send(client.clone(), id, call, ts))
            .collect();
        futures::stream::iter(futs)
            .buffered(CONCURRENCY)
            .collect()
            .await
    }
}

async fn send(client: reqwest::Client, id: Uuid, call: WebhookCall, ts: i64) -> Result<(), String> {
    {
        let id = format!("msg_{}", id.simple());
        let sig = sign(&call.secret, &id, ts, &call.body).ok_or("webhook: bad secret")?;
        let resp = client
            .post(&call.url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", sig)
            .body(call.body)
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    "webhook: timed out".to_owned()
                } else if e.is_connect() {
                    "webhook: could not connect".to_owned()
                } else {
                    "webhook: request failed".to_owned()
                }
            })?;
        let status = resp.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("webhook: HTTP {}", status.as_u16()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_webhooks_example_signature() {
        // The example in the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let ts = "1614265330";
        let body = r#"{"test": 2432232314}"#;
        let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assert_eq!(
            sign(
                secret.strip_prefix("whsec_").unwrap(),
                id,
                ts.parse().unwrap(),
                body
            )
            .unwrap(),
            expected
        );
        assert!(verify(
            secret,
            id,
            ts,
            body,
            &format!("v1,bogus {expected}")
        ));
        assert!(!verify(secret, id, "1614265331", body, expected));
        assert!(!verify(secret, id, ts, "{}", expected));
    }
}
