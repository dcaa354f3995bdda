//! Configuration, in layers: defaults → TOML file → `QORGAU_*` environment (each key
//! also as `QORGAU_<KEY>_FILE`, read from a file, for secrets) → command-line flags.
//! Unknown keys are rejected.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// For trying the service: keys are generated into the data directory and
    /// one-time codes go to the `file` channel. Never with real personal data.
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// JSON when standard output is not a terminal, text otherwise.
    Auto,
    Json,
    Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub mode: Mode,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: SQLite in the data directory.
    pub database_url: Option<String>,
    /// The master key (base64, 32 bytes) that wraps subjects' data keys. Keep it out of
    /// the database and its backups. Development mode generates one in the data directory.
    pub master_key: Option<String>,
    /// The Ed25519 signing key seed (base64, 32 bytes) for receipts. Development mode
    /// generates one in the data directory.
    pub signing_key: Option<String>,
    /// The `file` delivery channel: every outgoing message, one-time codes included, is
    /// appended to this file. Default in development mode: `<data_dir>/outbox.jsonl`.
    pub file_channel: Option<PathBuf>,
    /// Production refuses the `file` channel unless this is true.
    pub allow_file_channel_in_production: bool,
    pub max_body_bytes: usize,
    pub log_format: LogFormat,
    /// How long a consent code stays valid, in minutes.
    pub code_ttl_minutes: u32,
    /// How often lapses and expiries are recorded, in seconds.
    pub sweep_interval_seconds: u64,
    /// The most changes one group commit carries.
    pub group_commit_max: usize,
    pub read_connections: u32,
    /// Countries that ensure the protection of personal data (Art. 16(2)), ISO 3166-1
    /// alpha-2. Empty by default: every cross-border transfer then needs the subject's
    /// consent for that country or a ground of Art. 16(3).
    pub adequate_countries: Vec<String>,
    /// The ledger's origin: the first line of its checkpoints and the name of the key
    /// that signs them. Give each deployment (and each shard's log) its own.
    pub ledger_origin: String,
    /// A checkpoint is issued at the commit that brings this many entries past the last
    /// one …
    pub ledger_checkpoint_entries: u64,
    /// … or after this many seconds with new entries, whichever comes first.
    pub ledger_checkpoint_seconds: u64,
    /// The time zone deadlines are counted in: an IANA name or a fixed offset
    /// (`+05:00`). Kazakhstan is on UTC+5 since 1 March 2024.
    pub time_zone: String,
    /// When set (`HH:MM`, local), a request received at or after this time, or on a day
    /// off, counts as received on the next working day. Off by default: the deadline
    /// counts from the day after the day of receipt, whatever the hour.
    pub working_day_ends: Option<String>,
    /// Behind a reverse proxy: the header carrying the client's address (for example
    /// `x-forwarded-for`), used by the sign-in throttle. Unset: the peer address. Set
    /// it only when the proxy overwrites the header, or clients could choose their own.
    pub client_ip_header: Option<String>,
    /// Email over SMTP: `smtp://host:25` (plain, a local relay), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465` (TLS). Use `QORGAU_SMTP_URL_FILE` for the password.
    pub smtp_url: Option<String>,
    /// The sender of emails, e.g. `Qorgau <noreply@qorgau.kz>`.
    pub smtp_from: Option<String>,
    /// SMS through an HTTP gateway: the URL messages are POSTed to …
    pub sms_gateway_url: Option<String>,
    /// … an optional header (`Name: value`) such as the provider's key …
    pub sms_gateway_header: Option<String>,
    /// … and the JSON body, with `{to}` and `{text}` (default `{"to":"{to}","text":"{text}"}`).
    pub sms_gateway_body: Option<String>,
    /// Several `serve` processes: `nats://host:4222` (or `tls://…`, with `user:pass@`
    /// or a token). Notifications are relayed through NATS JetStream and every process
    /// delivers from one durable consumer. Unset: each process dispatches from the
    /// database outbox.
    pub nats_url: Option<String>,
    /// The JetStream stream (created if missing); its subjects are `<nats_stream>.<medium>`.
    pub nats_stream: String,
    /// SQLite: at start, read the indexes every access decision reads, so that the
    /// operating system's page cache holds them (`Store::prewarm_decisions`).
    pub prewarm: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Development,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./qorgau-data"),
            database_url: None,
            master_key: None,
            signing_key: None,
            file_channel: None,
            allow_file_channel_in_production: false,
            max_body_bytes: 64 * 1024,
            log_format: LogFormat::Auto,
            code_ttl_minutes: 15,
            sweep_interval_seconds: 30,
            group_commit_max: 512,
            read_connections: 8,
            adequate_countries: Vec::new(),
            ledger_origin: "qorgau.local/ledger".to_owned(),
            ledger_checkpoint_entries: 1024,
            ledger_checkpoint_seconds: 10,
            time_zone: "Asia/Almaty".to_owned(),
            working_day_ends: None,
            client_ip_header: None,
            smtp_url: None,
            smtp_from: None,
            sms_gateway_url: None,
            sms_gateway_header: None,
            sms_gateway_body: None,
            nats_url: None,
            nats_stream: "QORGAU_OUTBOX".to_owned(),
            prewarm: true,
        }
    }
}

/// Flags that override everything else.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nats_url: Option<String>,
}

/// Read `QORGAU_<KEY>_FILE` variables: each names a file whose content is the value of `<key>`.
fn file_variables(
    env: impl Iterator<Item = (String, String)>,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (k, v) in env {
        let Some(key) = k
            .strip_prefix("QORGAU_")
            .and_then(|k| k.strip_suffix("_FILE"))
        else {
            continue;
        };
        let content = std::fs::read_to_string(&v)
            .map_err(|e| format!("{k}: cannot read {v}: {}", e.kind()))?;
        out.push((key.to_ascii_lowercase(), content.trim().to_owned()));
    }
    Ok(out)
}

impl Config {
    /// The email and SMS channels configured.
    pub fn channels(&self) -> Result<crate::app::ChannelOptions, String> {
        let smtp = match (&self.smtp_url, &self.smtp_from) {
            (Some(u), Some(f)) => Some((u.clone(), f.clone())),
            (None, None) => None,
            _ => return Err("smtp_url and smtp_from go together".to_owned()),
        };
        let sms_gateway = self.sms_gateway_url.as_ref().map(|u| {
            (
                u.clone(),
                self.sms_gateway_header.clone(),
                self.sms_gateway_body.clone(),
            )
        });
        Ok(crate::app::ChannelOptions { smtp, sms_gateway })
    }

    /// The NATS transport: `(url, stream)`, checked.
    pub fn nats(&self) -> Result<Option<(String, String)>, String> {
        let Some(url) = &self.nats_url else {
            return Ok(None);
        };
        if !qorgau_notify::nats::valid_stream_name(&self.nats_stream) {
            return Err(format!(
                "nats_stream {:?}: letters, digits, '-' and '_' only",
                self.nats_stream
            ));
        }
        Ok(Some((url.clone(), self.nats_stream.clone())))
    }

    /// The client address header, checked.
    pub fn client_ip_header(&self) -> Result<Option<axum::http::HeaderName>, String> {
        self.client_ip_header
            .as_deref()
            .map(|h| {
                axum::http::HeaderName::from_bytes(h.trim().as_bytes())
                    .map_err(|_| format!("client_ip_header: {h:?} is not a header name"))
            })
            .transpose()
    }

    /// How deadlines are counted, from `time_zone` and `working_day_ends`.
    pub fn deadlines(&self) -> Result<qorgau_core::calendar::DeadlineClock, String> {
        let tz = qorgau_core::calendar::time_zone(&self.time_zone)
            .map_err(|_| format!("time_zone: unknown time zone {:?}", self.time_zone))?;
        let working_day_ends = match &self.working_day_ends {
            None => None,
            Some(t) => Some(
                t.parse::<jiff::civil::Time>()
                    .map_err(|_| format!("working_day_ends: {t:?} is not a time (HH:MM)"))?,
            ),
        };
        Ok(qorgau_core::calendar::DeadlineClock {
            tz,
            working_day_ends,
        })
    }

    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Config, String> {
        Self::load_from(file, overrides, std::env::vars())
    }

    pub fn load_from(
        file: Option<&Path>,
        overrides: &Overrides,
        env: impl Iterator<Item = (String, String)>,
    ) -> Result<Config, String> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(format!(
                    "configuration file {} does not exist",
                    path.display()
                ));
            }
            fig = fig.merge(Toml::file_exact(path));
        }
        let vars: Vec<(String, String)> = env.collect();
        // Plain QORGAU_* variables, parsed like TOML values; QORGAU_CONFIG names the file.
        for (k, v) in &vars {
            let Some(key) = k.strip_prefix("QORGAU_") else {
                continue;
            };
            if key.ends_with("_FILE") || key == "CONFIG" {
                continue;
            }
            let value: figment::value::Value =
                v.parse().map_err(|_| format!("{k}: cannot parse"))?;
            fig = fig.merge(Serialized::default(&key.to_ascii_lowercase(), value));
        }
        for (key, value) in file_variables(vars.into_iter())? {
            fig = fig.merge(Serialized::default(&key, value));
        }
        fig = fig.merge(Serialized::defaults(overrides));
        fig.extract::<Config>().map_err(|e| e.to_string())
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("qorgau.db").display()
            )
        })
    }

    /// The countries of Art. 16(2), parsed; an unknown code is a configuration error.
    pub fn adequate_countries(
        &self,
    ) -> Result<std::collections::BTreeSet<qorgau_core::id::CountryCode>, String> {
        self.adequate_countries
            .iter()
            .map(|c| {
                qorgau_core::id::CountryCode::parse(c)
                    .ok()
                    .filter(|c| *c != qorgau_core::id::CountryCode::KZ)
                    .ok_or_else(|| format!("adequate_countries: {c} is not an ISO 3166-1 alpha-2 code of a foreign country"))
            })
            .collect()
    }

    /// The file channel in effect, or an error if this configuration may not have it.
    pub fn file_channel(&self) -> Result<Option<PathBuf>, String> {
        match (self.mode, &self.file_channel) {
            (Mode::Development, None) => Ok(Some(self.data_dir.join("outbox.jsonl"))),
            (Mode::Development, Some(p)) => Ok(Some(p.clone())),
            (Mode::Production, None) => Ok(None),
            (Mode::Production, Some(p)) if self.allow_file_channel_in_production => Ok(Some(p.clone())),
            (Mode::Production, Some(_)) => Err(
                "the file channel writes one-time codes to a file; production refuses it unless allow_file_channel_in_production = true"
                    .to_owned(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("q.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\ncode_ttl_minutes = 10\nread_connections = 3\n",
        )
        .unwrap();
        let secret = dir.path().join("db");
        std::fs::write(&secret, "postgres://u:p@localhost/x\n").unwrap();
        let e = env(&[
            ("QORGAU_CODE_TTL_MINUTES", "7"),
            ("QORGAU_DATABASE_URL_FILE", secret.to_str().unwrap()),
            ("UNRELATED", "x"),
        ]);
        let over = Overrides {
            listen: Some("127.0.0.1:9100".parse().unwrap()),
            ..Default::default()
        };
        let c = Config::load_from(Some(&file), &over, e.into_iter()).unwrap();
        assert_eq!(c.listen.port(), 9100, "flag beats file");
        assert_eq!(c.code_ttl_minutes, 7, "env beats file");
        assert_eq!(c.read_connections, 3, "file beats default");
        assert_eq!(
            c.database_url.as_deref(),
            Some("postgres://u:p@localhost/x"),
            "_FILE variant"
        );
        assert_eq!(c.mode, Mode::Development);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("q.toml");
        std::fs::write(&file, "lisen = \"127.0.0.1:9000\"\n").unwrap();
        assert!(Config::load_from(Some(&file), &Overrides::default(), std::iter::empty()).is_err());
        let e = env(&[("QORGAU_NO_SUCH_KEY", "1")]);
        assert!(Config::load_from(None, &Overrides::default(), e.into_iter()).is_err());
    }

    #[test]
    fn production_refuses_the_file_channel_unless_told() {
        let mut c = Config {
            mode: Mode::Production,
            ..Default::default()
        };
        assert_eq!(c.file_channel().unwrap(), None);
        c.file_channel = Some("/tmp/x".into());
        assert!(c.file_channel().is_err());
        c.allow_file_channel_in_production = true;
        assert!(c.file_channel().unwrap().is_some());
        let d = Config::default();
        assert_eq!(
            d.file_channel().unwrap(),
            Some(PathBuf::from("./qorgau-data/outbox.jsonl"))
        );
    }
}
