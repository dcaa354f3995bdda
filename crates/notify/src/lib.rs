//! Notifications: the dispatcher that delivers what the transactional outbox holds,
//! and the channels it delivers through.
//!
//! A change and the messages it causes are committed together (see `qorgau-store`);
//! the dispatcher leases due messages, renders them in the person's language,
//! delivers them, and records the outcome with retries and exponential backoff.
#![forbid(unsafe_code)]

pub mod channels;
pub mod nats;
pub mod webhook;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use jiff::{SignedDuration, Timestamp};
use qorgau_core::consent::{Contact, Language};
use qorgau_core::{Clock, Error};
use qorgau_i18n::Localizer;
use qorgau_store::outbox::{Delivery, MessageKind};
use qorgau_store::Store;
use serde::Serialize;
use uuid::Uuid;

/// A message ready to leave the service.
#[derive(Debug, Clone, Serialize)]
pub struct Outgoing {
    pub id: Uuid,
    /// `sms` or `email`.
    pub medium: String,
    pub kind: MessageKind,
    pub to: Contact,
    pub language: Language,
    /// The rendered text in `language`.
    pub text: String,
    /// What the message is about (a consent request id, a sign-in challenge id).
    pub reference: String,
    /// The one-time code, when the message carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A way to deliver messages.
pub trait Channel: Send + Sync {
    fn name(&self) -> &'static str;
    /// Whether this channel carries messages of `medium` (`sms`, `email`).
    fn carries(&self, medium: &str) -> bool;
    /// Deliver a batch; one result per message, in order.
    fn deliver<'a>(&'a self, batch: &'a [Outgoing]) -> BoxFuture<'a, Vec<Result<(), String>>>;
}

/// Development and test channel: appends every message, one JSON object per line, to
/// a file, like a mail catcher. It carries every medium. Never for production.
pub struct FileChannel {
    path: PathBuf,
}

impl FileChannel {
    pub fn new(path: PathBuf) -> Result<Self, std::io::Error> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Create it now so a misconfigured path fails at start-up, not at first delivery.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        Ok(FileChannel { path })
    }

    pub fn path(&self) -> &PathBuf {
        &self.path
    }
}

impl Channel for FileChannel {
    fn name(&self) -> &'static str {
        "file"
    }

    fn carries(&self, _medium: &str) -> bool {
        true
    }

    fn deliver<'a>(&'a self, batch: &'a [Outgoing]) -> BoxFuture<'a, Vec<Result<(), String>>> {
        Box::pin(async move {
            let mut buf = Vec::new();
            for m in batch {
                if serde_json::to_writer(
                    &mut buf,
                    &serde_json::json!({"channel": "file", "message": m}),
                )
                .is_err()
                {
                    return vec![Err("serialization failed".to_owned()); batch.len()];
                }
                buf.push(b'\n');
            }
            let path = self.path.clone();
            let written = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?;
                f.write_all(&buf)?;
                f.flush()
            })
            .await;
            let outcome = match written {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(format!("file channel: {}", e.kind())),
                Err(_) => Err("file channel: task failed".to_owned()),
            };
            vec![outcome; batch.len()]
        })
    }
}

/// Delivers the outbox.
#[derive(Clone)]
pub struct Dispatcher {
    store: Store,
    channels: Arc<Vec<Arc<dyn Channel>>>,
    webhooks: webhook::WebhookSender,
    localizer: Arc<Localizer>,
    clock: Arc<dyn Clock>,
}

/// How long a dispatcher holds a message before another may retry it.
/// How long a claimed batch is reserved for its dispatcher. On PostgreSQL a crashed
/// process's messages go out again when it runs out.
pub const LEASE: SignedDuration = SignedDuration::from_secs(15);
pub const BATCH: i64 = 256;

/// A channel's index, the (message id, attempts) it carries, and the messages.
type ChannelBatch = (usize, Vec<(Uuid, i64)>, Vec<Outgoing>);

impl Dispatcher {
    pub fn new(
        store: Store,
        channels: Vec<Arc<dyn Channel>>,
        localizer: Arc<Localizer>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, String> {
        Ok(Dispatcher {
            store,
            channels: Arc::new(channels),
            webhooks: webhook::WebhookSender::new()?,
            localizer,
            clock,
        })
    }

    /// One step: lease due messages, deliver them, record the outcomes. Returns how
    /// many messages were handled. Tests call this directly with the time they want.
    pub async fn run_once(&self, now: Timestamp) -> Result<usize, Error> {
        let claimed = self.store.claim_outbox(now, LEASE, BATCH).await?;
        self.deliver(claimed).await
    }

    /// With the NATS transport: take the messages the stream handed over (each once,
    /// however often the stream carries it), deliver them, record the outcomes.
    pub async fn deliver_published(&self, ids: Vec<Uuid>, now: Timestamp) -> Result<usize, Error> {
        let claimed = self.store.claim_published(ids, now, LEASE).await?;
        self.deliver(claimed).await
    }

    /// Deliver messages this dispatcher has leased and record the outcomes.
    async fn deliver(&self, claimed: Vec<qorgau_store::outbox::Claimed>) -> Result<usize, Error> {
        if claimed.is_empty() {
            return Ok(0);
        }
        let n = claimed.len();
        let mut results = Vec::with_capacity(n);
        // Group by channel so each channel gets one batch.
        let mut per_channel: Vec<ChannelBatch> = Vec::new();
        let mut hooks: Vec<(Uuid, i64, qorgau_store::webhooks::WebhookCall)> = Vec::new();
        for c in claimed {
            if c.medium == "webhook" {
                match c.webhook {
                    Some(call) => hooks.push((c.id, c.attempts, call)),
                    None => results.push((
                        c.id,
                        i64::MAX,
                        Delivery::Failed("endpoint disabled".to_owned()),
                    )),
                }
                continue;
            }
            let Some(msg) = c.message else {
                // The person's data were destroyed: nothing may be sent.
                results.push((
                    c.id,
                    i64::MAX,
                    Delivery::Failed("recipient destroyed".to_owned()),
                ));
                continue;
            };
            let Some(ch) = self.channels.iter().position(|ch| ch.carries(&c.medium)) else {
                results.push((
                    c.id,
                    c.attempts,
                    Delivery::Failed(format!("no channel carries {}", c.medium)),
                ));
                continue;
            };
            let text = self
                .localizer
                .message(msg.language.as_str(), msg.kind.as_str(), &msg.args);
            let out = Outgoing {
                id: c.id,
                medium: c.medium,
                kind: msg.kind,
                to: msg.to,
                language: msg.language,
                text,
                reference: msg.reference,
                code: msg.args.get("code").cloned(),
            };
            match per_channel.iter_mut().find(|(i, _, _)| *i == ch) {
                Some((_, ids, batch)) => {
                    ids.push((c.id, c.attempts));
                    batch.push(out);
                }
                None => per_channel.push((ch, vec![(c.id, c.attempts)], vec![out])),
            }
        }
        for (ch, ids, batch) in per_channel {
            let outcomes = self.channels[ch].deliver(&batch).await;
            for ((id, attempts), r) in ids.into_iter().zip(outcomes) {
                results.push((
                    id,
                    attempts,
                    match r {
                        Ok(()) => Delivery::Sent,
                        Err(e) => Delivery::Failed(e),
                    },
                ));
            }
        }
        if !hooks.is_empty() {
            let calls: Vec<(Uuid, qorgau_store::webhooks::WebhookCall)> =
                hooks.iter().map(|(id, _, c)| (*id, c.clone())).collect();
            let outcomes = self.webhooks.send_all(&calls, self.clock.now()).await;
            for ((id, attempts, _), r) in hooks.into_iter().zip(outcomes) {
                results.push((
                    id,
                    attempts,
                    match r {
                        Ok(()) => Delivery::Delivered,
                        Err(e) => Delivery::Failed(e),
                    },
                ));
            }
        }
        let failed = results
            .iter()
            .filter(|r| matches!(r.2, Delivery::Failed(_)))
            .count();
        if failed > 0 {
            tracing::warn!(failed, "deliveries failed; will retry");
        }
        self.store.outbox_done(results, self.clock.now()).await?;
        Ok(n)
    }

    /// Deliver until `stop` resolves.
    pub async fn run(self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let handled = match self.run_once(self.clock.now()).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "dispatcher step failed");
                    0
                }
            };
            if handled > 0 {
                continue;
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = self.store.outbox_wait(Duration::from_secs(1)) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use qorgau_store::outbox::MessageKind;

    #[test]
    fn every_message_has_a_text_in_every_language_with_its_arguments_filled() {
        let l10n = qorgau_i18n::Localizer::new().unwrap();
        let args: BTreeMap<String, String> = [
            "organization",
            "purpose",
            "code",
            "minutes",
            "due",
            "reference",
            "reason",
            "categories",
            "recipient",
            "action",
            "answer",
        ]
        .iter()
        .map(|k| (k.to_string(), format!("<{k}>")))
        .chain([("request_kind".to_owned(), "block".to_owned())])
        .collect();
        for kind in MessageKind::ALL {
            for lang in qorgau_i18n::LANGUAGES {
                let key = format!("message-{}", kind.as_str());
                assert!(l10n.has(lang, &key), "{key} missing in {lang}");
                let text = l10n.message(lang, kind.as_str(), &args);
                assert!(
                    !text.contains('{'),
                    "{key} in {lang} left a placeholder: {text}"
                );
                assert!(text.starts_with("Qorgau"), "{key} in {lang}: {text}");
            }
        }
        // Actions are named in each language, not left as codes.
        let mut a = args.clone();
        a.insert("action".into(), "destroy".into());
        assert!(l10n.message("kk", "data_processed", &a).contains("жойды"));
        assert!(l10n
            .message("ru", "data_processed", &a)
            .contains("уничтожил"));
        assert!(l10n
            .message("en", "data_processed", &a)
            .contains("destroyed"));
    }
}
