//! The NATS JetStream transport, for several `serve` processes (`--nats-url`).
//!
//! The database outbox stays the record: a change and its messages commit together, as
//! always. What NATS adds is the hand-over between processes:
//!
//! - a **relay** in each process leases due messages (`published_at` set) and publishes
//!   each message's id to the subject `<stream>.<medium>` (`webhook`, `email`, `sms`),
//!   deduplicated by `Nats-Msg-Id`; the id is all the stream carries, never personal
//!   data;
//! - every process pulls from one durable consumer (`dispatch`) of a work-queue stream,
//!   so the processes share the work as one consumer group; each takes its messages in
//!   the database (once per publication, whatever the stream redelivers), delivers them,
//!   records the outcome, and only then acknowledges them to the stream.
//!
//! A process that dies leaves leases that run out: what it had published but not
//! delivered is published again and another process delivers it, so nothing is lost;
//! a webhook that was in flight may be sent twice, with the same `webhook-id`.
//! Retries and backoff stay in the outbox: a failed message is published again when it
//! is due.

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, consumer::pull, stream};
use futures::StreamExt;
use jiff::SignedDuration;
use qorgau_core::Clock;
use qorgau_store::Store;
use uuid::Uuid;

use crate::{Dispatcher, BATCH};

/// How long a relay holds what it published before another relay may publish it again
/// (when the stream lost it, or the process died before publishing).
pub const PUBLISH_LEASE: SignedDuration = SignedDuration::from_secs(30);
/// How long the stream waits for a process's acknowledgement before handing the message
/// to another process.
pub const ACK_WAIT: Duration = Duration::from_secs(30);
/// How long a dispatcher waits for more messages to fill a batch.
pub const LINGER: Duration = Duration::from_millis(5);
/// The durable consumer every process pulls from.
pub const CONSUMER: &str = "dispatch";

/// A connection to the stream the outbox is relayed through.
pub struct Nats {
    js: jetstream::Context,
    stream: String,
    consumer: jetstream::consumer::Consumer<pull::Config>,
}

/// The stream's name is also the prefix of its subjects: letters, digits, `-`, `_`.
pub fn valid_stream_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A URL without its password or token, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &url[..s + 3], &url[at..]),
        _ => url.to_owned(),
    }
}

impl Nats {
    /// Connect, and create the stream and its consumer if they do not exist yet.
    pub async fn connect(url: &str, stream_name: &str) -> Result<Nats, String> {
        if !valid_stream_name(stream_name) {
            return Err(format!(
                "nats_stream {stream_name:?}: letters, digits, '-' and '_' only"
            ));
        }
        let client = async_nats::ConnectOptions::new()
            .name("qorgau")
            .connection_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|e| format!("cannot connect to NATS at {}: {e}", redact(url)))?;
        let js = jetstream::new(client);
        let s = js
            .get_or_create_stream(stream::Config {
                name: stream_name.to_owned(),
                description: Some("Qorgau: notifications to deliver (outbox ids)".to_owned()),
                subjects: vec![format!("{stream_name}.>")],
                retention: stream::RetentionPolicy::WorkQueue,
                storage: stream::StorageType::File,
                duplicate_window: Duration::from_secs(120),
                ..Default::default()
            })
            .await
            .map_err(|e| format!("NATS stream {stream_name}: {e}"))?;
        let consumer = s
            .get_or_create_consumer(
                CONSUMER,
                pull::Config {
                    durable_name: Some(CONSUMER.to_owned()),
                    description: Some("Qorgau serve processes, one group".to_owned()),
                    ack_policy: jetstream::consumer::AckPolicy::Explicit,
                    ack_wait: ACK_WAIT,
                    max_ack_pending: 20_000,
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| format!("NATS consumer {stream_name}/{CONSUMER}: {e}"))?;
        Ok(Nats {
            js,
            stream: stream_name.to_owned(),
            consumer,
        })
    }

    /// Delete the stream and its consumer (for benchmarks on a shared server).
    pub async fn delete_stream(&self) -> Result<(), String> {
        self.js
            .delete_stream(&self.stream)
            .await
            .map(|_| ())
            .map_err(|e| format!("NATS delete stream {}: {e}", self.stream))
    }

    /// One relay step: lease due messages and publish their ids. Returns how many were
    /// leased. A message whose publication failed goes again when its lease runs out.
    pub async fn publish_once(&self, store: &Store, now: jiff::Timestamp) -> Result<usize, String> {
        let claimed = store
            .claim_for_publishing(now, PUBLISH_LEASE, 4 * BATCH)
            .await
            .map_err(|e| format!("outbox: {e}"))?;
        let mut acks = Vec::with_capacity(claimed.len());
        for (id, medium) in &claimed {
            let mut headers = async_nats::HeaderMap::new();
            // One id per publication: a retried publish is dropped by the stream, a
            // publication after the lease ran out is not.
            headers.insert(
                async_nats::header::NATS_MESSAGE_ID,
                format!("{id}.{}", now.as_millisecond()).as_str(),
            );
            let subject = format!("{}.{}", self.stream, medium);
            match self
                .js
                .publish_with_headers(subject, headers, id.to_string().into())
                .await
            {
                Ok(ack) => acks.push(ack),
                Err(e) => return Err(format!("NATS publish: {e}")),
            }
        }
        let acks = acks.into_iter().map(std::future::IntoFuture::into_future);
        for r in futures::future::join_all(acks).await {
            r.map_err(|e| format!("NATS publish not acknowledged: {e}"))?;
        }
        Ok(claimed.len())
    }

    /// Publish until `stop` resolves: at once after a commit that queued messages, and
    /// every second for retries that fall due.
    pub async fn run_relay(
        self: Arc<Self>,
        store: Store,
        clock: Arc<dyn Clock>,
        stop: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(stop);
        loop {
            let n = match self.publish_once(&store, clock.now()).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "relay to NATS failed; the messages go again when their lease runs out");
                    0
                }
            };
            if n > 0 {
                continue;
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = store.outbox_wait(Duration::from_secs(1)) => {}
            }
        }
    }

    /// Pull from the group's consumer and deliver until `stop` resolves. A batch is
    /// acknowledged once its outcomes are recorded; one that could not be recorded is
    /// left to the stream, which hands it out again after `ACK_WAIT`.
    pub async fn run_consumer(
        self: Arc<Self>,
        dispatcher: Dispatcher,
        stop: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(stop);
        loop {
            let messages = match self
                .consumer
                .stream()
                .max_messages_per_batch(4 * BATCH as usize)
                .messages()
                .await
            {
                Ok(m) => m,
                Err(e) => {
                    tracing::error!(error = %e, "cannot pull from NATS; trying again");
                    tokio::select! {
                        _ = &mut stop => return,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    }
                }
            };
            let mut messages = messages;
            loop {
                // A batch: the first message, then whatever comes within `LINGER`, up to
                // `BATCH`, so that one transaction records many outcomes.
                let first = tokio::select! {
                    _ = &mut stop => return,
                    m = messages.next() => m,
                };
                let Some(first) = first else { break };
                let mut chunk = vec![first];
                let until = tokio::time::Instant::now() + LINGER;
                while chunk.len() < BATCH as usize {
                    match tokio::time::timeout_at(until, messages.next()).await {
                        Ok(Some(m)) => chunk.push(m),
                        Ok(None) | Err(_) => break,
                    }
                }
                let mut taken = Vec::with_capacity(chunk.len());
                let mut ids = Vec::with_capacity(chunk.len());
                for m in chunk {
                    match m {
                        Ok(m) => {
                            // Anything else on the stream is not ours to deliver: it is
                            // acknowledged and left.
                            if let Some(id) = std::str::from_utf8(&m.payload)
                                .ok()
                                .and_then(|s| Uuid::try_parse(s).ok())
                            {
                                ids.push(id);
                            }
                            taken.push(m);
                        }
                        Err(e) => tracing::warn!(error = %e, "NATS pull"),
                    }
                }
                if let Err(e) = dispatcher
                    .deliver_published(ids, dispatcher.clock.now())
                    .await
                {
                    tracing::error!(error = %e, "delivery from NATS failed; the stream hands the batch out again");
                    continue;
                }
                let acks = taken.iter().map(|m| m.ack());
                for r in futures::future::join_all(acks).await {
                    if let Err(e) = r {
                        tracing::warn!(error = %e, "NATS ack (the message comes again and is skipped)");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_and_redaction() {
        assert!(valid_stream_name("QORGAU_OUTBOX"));
        assert!(valid_stream_name("t-1"));
        assert!(!valid_stream_name("a.b"));
        assert!(!valid_stream_name("a>"));
        assert!(!valid_stream_name(""));
        assert_eq!(
            redact("nats://user:secret@host:4222"),
            "nats://***@host:4222"
        );
        assert_eq!(redact("nats://127.0.0.1:4222"), "nats://127.0.0.1:4222");
    }
}
