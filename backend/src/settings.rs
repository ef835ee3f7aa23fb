//! Typed settings, layered: built-in defaults, then an optional TOML file (`skolportal.toml`, or the
//! path in `SKOLPORTAL_CONFIG`), then environment variables `SKOLPORTAL_<SECTION>__<KEY>`, and
//! finally `DATABASE_URL`, which is what operators expect to set.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
#[error("invalid settings: {0}")]
pub struct SettingsError(#[from] Box<figment::Error>);

/// A value that must never be printed: `Debug` shows `[redacted]`.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub embed: EmbedSettings,
    pub session: SessionSettings,
    pub login: LoginSettings,
    pub bankid: BankIdSettings,
    pub jobs: JobSettings,
    pub notices: NoticeSettings,
    /// The municipality's school administration system (SS 12000), when the portal is fed from
    /// one; `None` leaves the portal on its own data and writes nothing back.
    pub ss12000: Option<SourceSettings>,
}

/// The SS 12000 source of one municipality (`crate::ss12000`): where it is, how the sync
/// follows it, and whether what the portal records goes back to it.
#[derive(Debug, Clone, Deserialize)]
pub struct SourceSettings {
    /// The `municipality.code` of the municipality this source feeds. Nothing of another
    /// municipality is read from it or written to it.
    #[serde(deserialize_with = "municipality_code")]
    pub municipality_code: String,
    /// The API's address and the portal's credentials.
    #[serde(flatten)]
    pub client: crate::ss12000::Ss12000Settings,
    /// How often the sync asks for what changed (`meta.modified.after`).
    #[serde(default = "default_incremental_minutes")]
    pub incremental_minutes: i64,
    /// The hour (Swedish time, 0–23) of the nightly full reconciliation.
    #[serde(default = "default_full_sync_hour")]
    pub full_sync_hour: u32,
    /// A full sync that would end more than this share of any kind of relation refuses and
    /// writes nothing: an empty answer by mistake must not empty the portal.
    #[serde(default = "default_max_removed_share")]
    pub max_removed_share: f64,
    /// Send guardians' absence reports and lessons' attendance back to the source
    /// (`crate::ss12000::write_back`). Off for a source that does not take them.
    #[serde(default = "default_write_back")]
    pub write_back: bool,
}

/// A municipality code is four digits and a text ("0114"), but from an environment variable
/// figment reads `9999` as a number: a number is taken as the code it spells, zero-padded.
fn municipality_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code {
        Text(String),
        Number(u32),
    }
    match Code::deserialize(d)? {
        Code::Text(code) => Ok(code),
        Code::Number(n) if n <= 9999 => Ok(format!("{n:04}")),
        Code::Number(n) => Err(serde::de::Error::custom(format!(
            "a municipality code has four digits, not {n}"
        ))),
    }
}

fn default_incremental_minutes() -> i64 {
    10
}

fn default_full_sync_hour() -> u32 {
    2
}

fn default_max_removed_share() -> f64 {
    0.05
}

fn default_write_back() -> bool {
    true
}

/// Notices to guardians (`crate::notices`) and the channels they go through.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct NoticeSettings {
    /// A pupil's unexcused absences are gathered this long after the first before the guardians
    /// are told, so that a morning of missed lessons is one notice.
    pub absence_gather_minutes: i64,
    /// The SMTP server e-mail goes through: `smtp://host:port` (plain, for a local server),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:password@host`. Without it no
    /// e-mail is sent, and the notices are in the app and by push only.
    pub smtp_url: Option<Secret>,
    /// The sender of the e-mails, e.g. `Skolportalen <noreply@kommun.se>`.
    pub email_from: String,
    /// The contact a push service may write to about this sender (VAPID `sub`).
    pub push_contact: String,
    /// How long a push service keeps a message for a phone that is off.
    pub push_ttl_hours: u64,
}

impl Default for NoticeSettings {
    fn default() -> Self {
        Self {
            absence_gather_minutes: 10,
            smtp_url: None,
            email_from: "Skolportalen <noreply@skolportal.localhost>".into(),
            push_contact: "mailto:noreply@skolportal.localhost".into(),
            push_ttl_hours: 12,
        }
    }
}

/// The job queue's runner in this instance (`crate::jobs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct JobSettings {
    /// Run jobs in this instance. On SQLite exactly one instance should (README).
    pub enabled: bool,
    /// Concurrent workers in this instance (one on SQLite, whatever is set).
    pub workers: u32,
    /// Jobs one claim takes.
    pub batch_size: u32,
    /// How long a worker waits before looking again when the queue is empty.
    pub poll_interval_ms: u64,
    /// A claim not finished within this long is taken over by another worker.
    pub lease_seconds: i64,
    /// Attempts before a failing job is parked for an operator. Ten with the default backoff
    /// span about four hours: a notice outlasts an SMTP server that is down for the morning.
    pub max_attempts: i32,
    /// The wait after the first failure; it doubles with each further one (capped at 6 hours).
    pub retry_base_seconds: i64,
    /// Finished jobs and their runs are kept this long, then deleted by the cleanup job.
    pub keep_done_days: i64,
    /// Records one retention step removes (one transaction each).
    pub retention_batch_size: u32,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            workers: 2,
            batch_size: 10,
            poll_interval_ms: 1000,
            lease_seconds: 300,
            max_attempts: 10,
            retry_base_seconds: 30,
            keep_done_days: 30,
            retention_batch_size: 500,
        }
    }
}

/// How the portal reaches the BankID broker (OpenID Connect, Swedish profile). Locally the run
/// command starts the test provider in `tools/bankid-test-provider`; production points these at a
/// real broker.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct BankIdSettings {
    pub issuer_url: String,
    pub client_id: String,
    /// `private_key_jwt` (the portal's key signs a client assertion) or `client_secret`.
    pub client_auth: ClientAuth,
    pub client_secret: Option<Secret>,
    /// The portal's EC P-256 key (PKCS#8 PEM): signs client assertions and sign requests.
    pub signing_key_path: PathBuf,
    /// Create a key at `signing_key_path` when none exists (development).
    pub generate_key_if_missing: bool,
    /// The claim that carries the personnummer; brokers differ.
    pub personnummer_claim: String,
    /// Accepted `acr` values: BankID is LoA3.
    pub accepted_acr: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    PrivateKeyJwt,
    ClientSecret,
}

impl Default for BankIdSettings {
    fn default() -> Self {
        Self {
            issuer_url: "http://127.0.0.1:8090".into(),
            client_id: "skolportal".into(),
            client_auth: ClientAuth::PrivateKeyJwt,
            client_secret: None,
            signing_key_path: PathBuf::from("data/portal-signing-key.pem"),
            generate_key_if_missing: true,
            personnummer_claim: "https://id.oidc.se/claim/personalIdentityNumber".into(),
            accepted_acr: vec!["http://id.elegnamnden.se/loa/1.0/loa3".into()],
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SessionSettings {
    /// A session unused this long ends.
    pub idle_timeout_minutes: i64,
    /// A session ends this long after login, used or not.
    pub absolute_timeout_hours: i64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            idle_timeout_minutes: 30,
            absolute_timeout_hours: 12,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LoginSettings {
    /// Failed password logins allowed within the window per account from browsers that have not
    /// logged into it before, and per browser that has (its device cookie).
    pub max_failures_per_account: u32,
    /// Failed logins from unknown browsers allowed per client address within the window, before
    /// the allowance its successful logins earn.
    pub max_failures_per_address: u32,
    /// The allowance: an address may fail this many more times per hundred distinct accounts
    /// that logged in from it within the window. A school's pupils share one address behind its
    /// NAT and mistype now and then; a password sprayer there mostly fails.
    pub address_failures_per_hundred_logins: u32,
    pub window_minutes: i64,
    /// How long a browser stays trusted for an account after its last password login there.
    pub device_cookie_days: i64,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted load balancer).
    pub trust_forwarded_for: bool,
}

impl Default for LoginSettings {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_address: 30,
            address_failures_per_hundred_logins: 25,
            window_minutes: 15,
            device_cookie_days: 180,
            trust_forwarded_for: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ServerSettings {
    /// Address to listen on; port 0 picks a free port (tests).
    pub listen: SocketAddr,
    /// The address users reach the portal at; decides cookie security and HSTS.
    pub public_base_url: String,
    /// The built SPA (Trunk's `dist/`).
    pub static_dir: PathBuf,
    /// The municipality this instance presents when a request does not say which.
    pub municipality_code: Option<String>,
    /// Answers each API request with `X-Policy-Decisions`: how many times its handler asked
    /// the access policy. The system tests turn it on to find an operation that takes an id and
    /// never asks; production leaves it off.
    pub expose_policy_decisions: bool,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_base_url: "http://127.0.0.1:8080".into(),
            static_dir: PathBuf::from("dist"),
            municipality_code: None,
            expose_policy_decisions: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct DatabaseSettings {
    /// `sqlite://path?mode=rwc` or `postgres://user:password@host/db`.
    pub url: Secret,
    pub max_connections: u32,
    /// How long a request waits for a pooled connection (or a new one) before it answers 503.
    pub acquire_timeout_ms: u64,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: Secret::new("sqlite://data/skolportal.db?mode=rwc"),
            max_connections: 16,
            acquire_timeout_ms: 1000,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LogSettings {
    /// An `EnvFilter` directive, for example `info` or `skolportal_backend=debug,info`.
    pub level: String,
    pub format: LogFormat,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: LogFormat::Text,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct EmbedSettings {
    /// Origins allowed to frame the portal (CSP `frame-ancestors`), e.g. `https://www.kommun.se`.
    pub frame_ancestors: Vec<String>,
}

impl Settings {
    /// Reads the layers from the process environment.
    pub fn load() -> Result<Self, SettingsError> {
        let file = std::env::var_os("SKOLPORTAL_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("skolportal.toml"));
        let mut figment = Figment::new()
            .merge(Toml::file(file))
            .merge(Env::prefixed("SKOLPORTAL_").split("__"));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(("database.url", url));
        }
        figment.extract().map_err(|e| SettingsError(Box::new(e)))
    }

    pub fn is_https(&self) -> bool {
        self.server.public_base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sqlite_on_localhost() {
        let s = Settings::default();
        assert_eq!(s.server.listen.port(), 8080);
        assert!(s.database.url.expose().starts_with("sqlite://"));
        assert!(!s.is_https());
    }

    #[test]
    fn secrets_do_not_print() {
        let s = DatabaseSettings {
            url: Secret::new("postgres://u:hunter2@h/db"),
            max_connections: 1,
            acquire_timeout_ms: 1000,
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn a_source_reads_flat_with_its_defaults_and_hides_its_secret() {
        let settings: Settings = Figment::new()
            .merge(Toml::string(
                r#"
                [ss12000]
                municipality_code = "1384"
                base_url = "https://sis.example.se/v2.1"
                token_url = "https://sis.example.se/token"
                client_id = "skolportal"
                client_secret = "hunter2"
                "#,
            ))
            .extract()
            .unwrap();
        let source = settings.ss12000.unwrap();
        assert_eq!(source.municipality_code, "1384");
        assert_eq!(source.client.client_id, "skolportal");
        assert_eq!(source.incremental_minutes, 10);
        assert_eq!(source.full_sync_hour, 2);
        assert!(source.write_back);
        assert!(!format!("{source:?}").contains("hunter2"));
        assert!(Settings::default().ss12000.is_none());
    }

    #[test]
    fn a_municipality_code_from_the_environment_is_a_code_not_a_number() {
        let from = |code: &str| {
            Figment::new()
                .merge(Toml::string(&format!(
                    "[ss12000]\nmunicipality_code = {code}\nbase_url = \"https://a.se/v2.1\"\n\
                     token_url = \"https://a.se/token\"\nclient_id = \"c\"\nclient_secret = \"s\""
                )))
                .extract::<Settings>()
                .map(|s| s.ss12000.map(|s| s.municipality_code))
                .map_err(|e| e.to_string())
        };
        // What figment makes of SKOLPORTAL_SS12000__MUNICIPALITY_CODE=9999, and of 0114.
        assert_eq!(from("9999").unwrap().as_deref(), Some("9999"));
        assert_eq!(from("114").unwrap().as_deref(), Some("0114"));
        assert_eq!(from("\"0114\"").unwrap().as_deref(), Some("0114"));
        assert!(from("12345").is_err());
    }
}
