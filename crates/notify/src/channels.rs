//! Delivery channels to people: email over SMTP (lettre) and SMS through an HTTP
//! gateway. (The `file` channel for development is in the crate root; webhooks to
//! organizations in [`crate::webhook`].)

use std::time::Duration;

use futures::future::BoxFuture;
use futures::StreamExt;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::{Channel, Outgoing};

/// How many messages one channel sends at once.
const CONCURRENCY: usize = 8;

/// Run one send per message, `CONCURRENCY` at a time; the outcomes in order.
async fn each<F: std::future::Future<Output = Result<(), String>>>(
    sends: Vec<F>,
) -> Vec<Result<(), String>> {
    futures::stream::iter(sends)
        .buffered(CONCURRENCY)
        .collect()
        .await
}

/// Email over SMTP: `smtp://host:port` (plain, for a local relay),
/// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://user:pass@host:465`
/// (TLS). Each message is multipart: plain text and HTML.
pub struct SmtpChannel {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpChannel {
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| "smtp_url is not a valid smtp:// or smtps:// URL".to_owned())?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|_| "smtp_from is not a valid address".to_owned())?;
        Ok(SmtpChannel { transport, from })
    }

    async fn send(&self, m: &Outgoing) -> Result<(), String> {
        let msg = self.build(m)?;
        self.transport.send(msg).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                "smtp: rejected permanently".to_owned()
            } else if e.is_transient() {
                "smtp: rejected for now".to_owned()
            } else {
                "smtp: could not send".to_owned()
            }
        })
    }

    fn build(&self, m: &Outgoing) -> Result<lettre::Message, String> {
        let to: Mailbox =
            m.to.email
                .as_deref()
                .ok_or("no email address")?
                .parse()
                .map_err(|_| "invalid email address".to_owned())?;
        let lang = m.language.as_str();
        let html = format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Qorgau</title></head><body><p>{}</p></body></html>",
            escape_html(&m.text)
        );
        lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject(lang))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(m.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html),
                    ),
            )
            .map_err(|_| "could not build the message".to_owned())
    }
}

/// The subject line, in the recipient's language.
fn subject(lang: &str) -> &'static str {
    match lang {
        "ru" => "Qorgau: уведомление",
        "en" => "Qorgau: notification",
        _ => "Qorgau: хабарлама",
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

impl Channel for SmtpChannel {
    fn name(&self) -> &'static str {
        "smtp"
    }

    fn carries(&self, medium: &str) -> bool {
        medium == "email"
    }

    fn deliver<'a>(&'a self, batch: &'a [Outgoing]) -> BoxFuture<'a, Vec<Result<(), String>>> {
        Box::pin(each(batch.iter().map(|m| self.send(m)).collect()))
    }
}

/// SMS through an HTTP gateway. Kazakh SMS providers each have their own API, so the
/// request is configured: the URL, an optional header (`Name: value`, e.g. the
/// provider's key), and a body template where `{to}` and `{text}` are replaced by the
/// number and the text, JSON-escaped. A 2xx answer means the gateway took it.
pub struct SmsGatewayChannel {
    client: reqwest::Client,
    url: String,
    header: Option<(String, String)>,
    template: String,
}

/// The default body: `{"to": "<number>", "text": "<text>"}`.
pub const DEFAULT_SMS_TEMPLATE: &str = r#"{"to":"{to}","text":"{text}"}"#;

impl SmsGatewayChannel {
    pub fn new(url: &str, header: Option<&str>, template: Option<&str>) -> Result<Self, String> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err("sms_gateway_url must be an http(s) URL".to_owned());
        }
        let header = match header {
            None => None,
            Some(h) => {
                let (k, v) = h
                    .split_once(':')
                    .ok_or("sms_gateway_header must be `Name: value`")?;
                Some((k.trim().to_owned(), v.trim().to_owned()))
            }
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("sms gateway client: {e}"))?;
        Ok(SmsGatewayChannel {
            client,
            url: url.to_owned(),
            header,
            template: template.unwrap_or(DEFAULT_SMS_TEMPLATE).to_owned(),
        })
    }

    /// The request body for one message.
    pub fn body(&self, to: &str, text: &str) -> String {
        let esc = |s: &str| {
            let j = serde_json::Value::String(s.to_owned()).to_string();
            j[1..j.len() - 1].to_owned()
        };
        self.template
            .replace("{to}", &esc(to))
            .replace("{text}", &esc(text))
    }

    async fn send(&self, m: &Outgoing) -> Result<(), String> {
        let to = m.to.phone.as_deref().ok_or("no phone number")?;
        let mut req = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .body(self.body(to, &m.text));
        if let Some((k, v)) = &self.header {
            req = req.header(k.as_str(), v.as_str());
        }
        let resp = req.send().await.map_err(|e| {
            if e.is_timeout() {
                "sms gateway: timed out".to_owned()
            } else {
                "sms gateway: could not connect".to_owned()
            }
        })?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(format!("sms gateway: HTTP {}", resp.status().as_u16()))
        }
    }
}

impl Channel for SmsGatewayChannel {
    fn name(&self) -> &'static str {
        "sms_gateway"
    }

    fn carries(&self, medium: &str) -> bool {
        medium == "sms"
    }

    fn deliver<'a>(&'a self, batch: &'a [Outgoing]) -> BoxFuture<'a, Vec<Result<(), String>>> {
        Box::pin(each(batch.iter().map(|m| self.send(m)).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_body_escapes_json() {
        let ch =
            SmsGatewayChannel::new("https://sms.example.kz/send", Some("X-Key: k"), None).unwrap();
        let b = ch.body("+77011234567", "Код: \"123\"\nҚорғау");
        let v: serde_json::Value = serde_json::from_str(&b).unwrap();
        assert_eq!(v["to"], "+77011234567");
        assert_eq!(v["text"], "Код: \"123\"\nҚорғау");
        assert!(SmsGatewayChannel::new("ftp://x", None, None).is_err());
        assert!(SmsGatewayChannel::new("https://x", Some("no colon"), None).is_err());
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
