//! The HTTP side of the SS 12000 client: the access token, paging, retries and typed errors.
//!
//! The source system's API is behind OAuth 2: the portal is a client of its own, with an id and
//! a secret, and gets a bearer token by the client-credentials grant (RFC 6749 §4.4). Many
//! vendors also ask for mutual TLS; `client_identity_pem` then names one PEM file with the
//! portal's client certificate (and chain) and its private key.
//!
//! A token is kept until a minute before it expires and shared by all requests; a 401 fetches a
//! new one once (the source may revoke tokens early, or restart and forget them). A page that
//! fails for a reason that may pass (no connection, 5xx, 429) is asked for again up to three
//! times, after 200 ms, 1 s and 3 s or what the server's `Retry-After` says; what still fails
//! goes to the caller, whose job is retried by the queue later.
//!
//! A record written back (`POST /absences`, `POST /attendances`) is sent once per call, not
//! retried here: it is sent by a job (`crate::ss12000::write_back`), which the queue retries with
//! its own backoff, and the job holds a database transaction while it waits. The record carries
//! a stable id, so a repeat is the receiver's to drop; a 409 is taken as "already there".
//!
//! No error message carries personal data: bodies are never quoted, and a body that does not
//! read is reported by the kind and position of the error only.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use url::Url;

use super::model::{
    AbsenceRecord, Activity, AttendanceRecord, CalendarEvent, DeletedEntities, DeletedEntitiesData,
    Duty, Grade, Group, Organisation, Page, Person, Placement, Syllabus,
};
use crate::settings::Secret;

/// Where the source system is and how the portal proves who it is.
#[derive(Debug, Clone, Deserialize)]
pub struct Ss12000Settings {
    /// The API's root, e.g. `https://sis.example.se/ss12000/v2.0`; resource paths are added to it.
    pub base_url: Url,
    /// The OAuth 2 token endpoint.
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: Secret,
    /// Records asked for per page (`limit`). Large pages mean fewer round trips; the server may
    /// send fewer.
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// For mutual TLS: one PEM file with the client certificate, its chain and its private key.
    #[serde(default)]
    pub client_identity_pem: Option<PathBuf>,
}

fn default_page_size() -> u32 {
    500
}

/// The SS 12000 endpoints the portal reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Organisations,
    Persons,
    Placements,
    Duties,
    Groups,
    Activities,
    Syllabuses,
    Grades,
    CalendarEvents,
    DeletedEntities,
    /// Written: guardians' absence reports.
    Absences,
    /// Written: lessons' attendance.
    Attendances,
}

impl Resource {
    /// The path below the API's root.
    pub fn path(self) -> &'static str {
        match self {
            Self::Organisations => "organisations",
            Self::Persons => "persons",
            Self::Placements => "placements",
            Self::Duties => "duties",
            Self::Groups => "groups",
            Self::Activities => "activities",
            Self::Syllabuses => "syllabuses",
            Self::Grades => "grades",
            Self::CalendarEvents => "calendarEvents",
            Self::DeletedEntities => "deletedEntities",
            Self::Absences => "absences",
            Self::Attendances => "attendances",
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}

/// A record type listed page by page, tied to its endpoint so that a caller cannot read persons
/// from `/groups`.
///
/// No list is asked for with `expand`: the relations the portal needs are in the records
/// themselves (a child's `responsibles`, a group's `groupMemberships`, a duty's
/// `assignmentRole`), and expanded data does not move `meta.modified`, so an incremental sync
/// would miss its changes anyway.
pub trait Listed: DeserializeOwned {
    const RESOURCE: Resource;
    /// Whether to ask for references' names (`expandReferenceNames`).
    const REFERENCE_NAMES: bool = false;
    /// Whether the resource's filters go with every page: the document makes calendar
    /// events' window required, even beside a `pageToken` that carries it.
    const FILTERS_REQUIRED: bool = false;
}

impl Listed for Organisation {
    const RESOURCE: Resource = Resource::Organisations;
}
impl Listed for Person {
    const RESOURCE: Resource = Resource::Persons;
}
impl Listed for Placement {
    const RESOURCE: Resource = Resource::Placements;
}
impl Listed for Duty {
    const RESOURCE: Resource = Resource::Duties;
}
impl Listed for Group {
    const RESOURCE: Resource = Resource::Groups;
}
impl Listed for Activity {
    const RESOURCE: Resource = Resource::Activities;
}
impl Listed for Syllabus {
    const RESOURCE: Resource = Resource::Syllabuses;
}
impl Listed for Grade {
    const RESOURCE: Resource = Resource::Grades;
}
impl Listed for CalendarEvent {
    const RESOURCE: Resource = Resource::CalendarEvents;
    /// The rooms' names: the portal shows a room by name and does not read `/rooms`.
    const REFERENCE_NAMES: bool = true;
    const FILTERS_REQUIRED: bool = true;
}

/// The `entities` filter of `/deletedEntities` (`Code_ObjectType`): the kinds the portal mirrors.
const DELETED_KINDS: [&str; 9] = [
    "Organisation",
    "Person",
    "Placement",
    "Duty",
    "Group",
    "Activity",
    "Syllabus",
    "Grade",
    "CalendarEvent",
];

#[derive(Debug, thiserror::Error)]
pub enum Ss12000Error {
    #[error("the SS 12000 client is misconfigured: {0}")]
    Config(String),
    #[error("no SS 12000 access token: {0}")]
    Token(String),
    #[error("SS 12000 answered {status} for {resource}")]
    Http { status: u16, resource: Resource },
    #[error("SS 12000 could not be reached for {resource}: {detail}")]
    Network { resource: Resource, detail: String },
    #[error("SS 12000 sent {resource} that do not read: {detail}")]
    Decode { resource: Resource, detail: String },
    /// A record to write could not be put into JSON (a bug, not the source's fault).
    #[error("a record for {resource} could not be written as JSON")]
    Encode { resource: Resource },
    /// The server gave back the token it was sent: following it would never end.
    #[error("SS 12000 repeated a page token for {resource}")]
    Paging { resource: Resource },
}

/// How long to wait before each retry of a failed request.
const BACKOFF: [Duration; 3] = [
    Duration::from_millis(200),
    Duration::from_secs(1),
    Duration::from_secs(3),
];
/// A `Retry-After` beyond this is cut to it: a sync waits, but not for an hour.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The lifetime assumed when the token endpoint does not say (`expires_in` is optional).
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);
/// Longer lifetimes are not believed.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// A token is renewed this long before it expires, so that it never expires on the way.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);
/// A record written back waits this long for its answer: the job that sends it holds a
/// database transaction meanwhile (on SQLite the write lock), and the queue tries again later
/// anyway.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// A client of one source system. Cheap to clone; clones share the token.
#[derive(Clone)]
pub struct Ss12000Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    settings: Ss12000Settings,
    token: Mutex<Option<CachedToken>>,
    backoff: [Duration; 3],
}

impl fmt::Debug for Ss12000Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ss12000Client")
            .field("base_url", &self.inner.settings.base_url.as_str())
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct CachedToken {
    value: Secret,
    usable_until: Instant,
}

impl CachedToken {
    fn is_usable(&self, now: Instant) -> bool {
        now < self.usable_until
    }
}

/// Until when a token obtained at `obtained` may be used: its lifetime less a minute, or less
/// half of it when it is short.
fn usable_until(obtained: Instant, expires_in: Option<Duration>) -> Instant {
    let lifetime = expires_in
        .unwrap_or(DEFAULT_TOKEN_LIFETIME)
        .min(MAX_TOKEN_LIFETIME);
    let margin = TOKEN_MARGIN.min(lifetime / 2);
    obtained.checked_add(lifetime - margin).unwrap_or(obtained)
}

/// What the token endpoint answers (RFC 6749 §5.1).
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<Seconds>,
}

/// `expires_in` is a number by the RFC; some servers send it as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Seconds {
    Number(u64),
    Text(String),
}

impl Seconds {
    fn duration(&self) -> Option<Duration> {
        match self {
            Self::Number(n) => Some(Duration::from_secs(*n)),
            Self::Text(s) => s.trim().parse().ok().map(Duration::from_secs),
        }
    }
}

/// The error code of a refused token request (RFC 6749 §5.2); the description is not read.
#[derive(Deserialize)]
struct TokenRefusal {
    error: String,
}

/// A failed request, with whether trying again may help.
struct Failure {
    error: Ss12000Error,
    transient: bool,
    retry_after: Option<Duration>,
}

impl Failure {
    fn fatal(error: Ss12000Error) -> Self {
        Self {
            error,
            transient: false,
            retry_after: None,
        }
    }

    fn transient(error: Ss12000Error) -> Self {
        Self {
            error,
            transient: true,
            retry_after: None,
        }
    }
}

impl Ss12000Client {
    pub fn new(settings: Ss12000Settings) -> Result<Self, Ss12000Error> {
        Self::with_backoff(settings, BACKOFF)
    }

    fn with_backoff(
        settings: Ss12000Settings,
        backoff: [Duration; 3],
    ) -> Result<Self, Ss12000Error> {
        // Fail at start on a base URL that resources cannot be added to, or a page of nothing.
        endpoint(&settings.base_url, Resource::Persons)?;
        if settings.page_size == 0 {
            return Err(Ss12000Error::Config("page_size must be at least 1".into()));
        }
        let mut builder = reqwest::Client::builder()
            // The API answers; a redirect would be a misconfiguration, never something to follow
            // with a bearer token.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("skolportal/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = &settings.client_identity_pem {
            let pem = std::fs::read(path).map_err(|e| {
                Ss12000Error::Config(format!(
                    "the client certificate {} could not be read: {e}",
                    path.display()
                ))
            })?;
            let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
                Ss12000Error::Config(format!(
                    "{} does not hold a client certificate and its key: {e}",
                    path.display()
                ))
            })?;
            builder = builder.identity(identity);
        }
        let http = builder
            .build()
            .map_err(|e| Ss12000Error::Config(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                settings,
                token: Mutex::new(None),
                backoff,
            }),
        })
    }

    /// One page of a list. The first page is asked for with `page_token` `None`, and with
    /// `modified_after` for an incremental sync (exclusive: records changed after that instant).
    /// Later pages pass the token the previous page gave; the token carries the query, and the
    /// standard refuses other filters beside it, so `modified_after` is then not sent.
    pub async fn next_page<T: Listed>(
        &self,
        modified_after: Option<DateTime<Utc>>,
        page_token: Option<&str>,
    ) -> Result<Page<T>, Ss12000Error> {
        self.next_page_filtered(modified_after, &[], page_token)
            .await
    }

    /// `next_page` with the resource's own filters on the first page (such as a calendar
    /// event's `startTime.onOrAfter`); the token carries them after that.
    pub async fn next_page_filtered<T: Listed>(
        &self,
        modified_after: Option<DateTime<Utc>>,
        filters: &[(&'static str, String)],
        page_token: Option<&str>,
    ) -> Result<Page<T>, Ss12000Error> {
        let mut query = vec![("limit", self.inner.settings.page_size.to_string())];
        match page_token {
            Some(token) => {
                query.push(("pageToken", token.to_owned()));
                if T::FILTERS_REQUIRED {
                    query.extend(filters.iter().cloned());
                }
            }
            None => {
                if let Some(after) = modified_after {
                    query.push(("meta.modified.after", rfc3339(after)));
                }
                query.extend(filters.iter().cloned());
                if T::REFERENCE_NAMES {
                    query.push(("expandReferenceNames", "true".to_owned()));
                }
            }
        }
        self.get(T::RESOURCE, &query).await
    }

    /// The whole list (or all changed since `modified_after`), following page tokens until the
    /// server says there are no more.
    pub async fn all<T: Listed>(
        &self,
        modified_after: Option<DateTime<Utc>>,
    ) -> Result<Vec<T>, Ss12000Error> {
        self.all_filtered(modified_after, &[]).await
    }

    /// `all` with the resource's own filters.
    pub async fn all_filtered<T: Listed>(
        &self,
        modified_after: Option<DateTime<Utc>>,
        filters: &[(&'static str, String)],
    ) -> Result<Vec<T>, Ss12000Error> {
        let mut records = Vec::new();
        let mut sent: Option<String> = None;
        loop {
            let page = self
                .next_page_filtered::<T>(modified_after, filters, sent.as_deref())
                .await?;
            records.extend(page.data);
            match next_token(T::RESOURCE, sent.as_deref(), page.page_token)? {
                None => return Ok(records),
                Some(token) => sent = Some(token),
            }
        }
    }

    /// The ids of the records of the mirrored kinds that the source deleted after `after`
    /// (exclusive), all pages merged.
    pub async fn deleted_since(
        &self,
        after: DateTime<Utc>,
    ) -> Result<DeletedEntitiesData, Ss12000Error> {
        let resource = Resource::DeletedEntities;
        let limit = ("limit", self.inner.settings.page_size.to_string());
        let mut query = vec![limit.clone(), ("after", rfc3339(after))];
        query.extend(
            DELETED_KINDS
                .iter()
                .map(|kind| ("entities", (*kind).to_owned())),
        );
        let mut deleted = DeletedEntitiesData::default();
        let mut sent: Option<String> = None;
        loop {
            let page: DeletedEntities = self.get(resource, &query).await?;
            deleted.extend(page.data);
            match next_token(resource, sent.as_deref(), page.page_token)? {
                None => return Ok(deleted),
                Some(token) => {
                    query = vec![limit.clone(), ("pageToken", token.clone())];
                    sent = Some(token);
                }
            }
        }
    }

    /// Writes a reported absence (`POST /absences`).
    pub async fn post_absence(&self, record: &AbsenceRecord) -> Result<(), Ss12000Error> {
        self.post(Resource::Absences, record).await
    }

    /// Writes a pupil's attendance at a lesson (`POST /attendances`).
    pub async fn post_attendance(&self, record: &AttendanceRecord) -> Result<(), Ss12000Error> {
        self.post(Resource::Attendances, record).await
    }

    /// One POST of `record`, with a new token once on a 401. The answer's body is not read: the
    /// portal keeps nothing of it. A 409 means the receiver has a record with this id already,
    /// which is what a repeat should find.
    async fn post<T: Serialize>(&self, resource: Resource, record: &T) -> Result<(), Ss12000Error> {
        let url = endpoint(&self.inner.settings.base_url, resource)?;
        let body = serde_json::to_vec(record).map_err(|_| Ss12000Error::Encode { resource })?;
        let attempt = async {
            let token = self.token(None).await?;
            let mut response = self.send_post(resource, &url, &body, &token).await?;
            if response.status() == StatusCode::UNAUTHORIZED {
                let token = self.token(Some(&token)).await?;
                response = self.send_post(resource, &url, &body, &token).await?;
            }
            let status = response.status();
            if status.is_success() || status == StatusCode::CONFLICT {
                Ok(())
            } else {
                Err(Failure::fatal(Ss12000Error::Http {
                    status: status.as_u16(),
                    resource,
                }))
            }
        };
        attempt.await.map_err(|failure| failure.error)
    }

    async fn send_post(
        &self,
        resource: Resource,
        url: &Url,
        body: &[u8],
        token: &Secret,
    ) -> Result<reqwest::Response, Failure> {
        self.inner
            .http
            .post(url.clone())
            .bearer_auth(token.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .timeout(WRITE_TIMEOUT)
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| Failure::transient(network(resource, e)))
    }

    /// A GET of one resource, retried while the failure may pass, decoded.
    async fn get<T: DeserializeOwned>(
        &self,
        resource: Resource,
        query: &[(&str, String)],
    ) -> Result<T, Ss12000Error> {
        let url = endpoint(&self.inner.settings.base_url, resource)?;
        let mut backoff = self.inner.backoff.iter();
        loop {
            match self.attempt(resource, &url, query).await {
                Ok(decoded) => return Ok(decoded),
                Err(failure) => {
                    let wait = match backoff.next() {
                        Some(wait) if failure.transient => wait,
                        _ => return Err(failure.error),
                    };
                    let wait = failure
                        .retry_after
                        .map_or(*wait, |asked| asked.min(MAX_RETRY_AFTER));
                    tracing::warn!(error = %failure.error, ?wait, "SS 12000 request failed; trying again");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// One try: the request with the cached token, and once more with a new token on a 401.
    /// A body that does not read is final: asking again would give the same.
    async fn attempt<T: DeserializeOwned>(
        &self,
        resource: Resource,
        url: &Url,
        query: &[(&str, String)],
    ) -> Result<T, Failure> {
        let token = self.token(None).await?;
        let mut response = self.send(resource, url, query, &token).await?;
        if response.status() == StatusCode::UNAUTHORIZED {
            let token = self.token(Some(&token)).await?;
            response = self.send(resource, url, query, &token).await?;
        }
        let status = response.status();
        if status.is_success() {
            let body = response
                .bytes()
                .await
                .map_err(|e| Failure::transient(network(resource, e)))?;
            return decode(resource, &body).map_err(Failure::fatal);
        }
        let error = Ss12000Error::Http {
            status: status.as_u16(),
            resource,
        };
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            Err(Failure {
                error,
                transient: true,
                retry_after: retry_after(response.headers(), Utc::now()),
            })
        } else {
            Err(Failure::fatal(error))
        }
    }

    async fn send(
        &self,
        resource: Resource,
        url: &Url,
        query: &[(&str, String)],
        token: &Secret,
    ) -> Result<reqwest::Response, Failure> {
        self.inner
            .http
            .get(url.clone())
            .query(query)
            .bearer_auth(token.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| Failure::transient(network(resource, e)))
    }

    /// The cached token, or a new one if it is about to expire or is the one just `rejected`
    /// (unless another request has renewed it meanwhile). The lock is held while fetching, so
    /// that requests that find the token stale together fetch one new token, not one each.
    async fn token(&self, rejected: Option<&Secret>) -> Result<Secret, Failure> {
        let mut cached = self.inner.token.lock().await;
        if let Some(token) = cached.as_ref() {
            if token.is_usable(Instant::now()) && Some(&token.value) != rejected {
                return Ok(token.value.clone());
            }
        }
        *cached = None;
        let fresh = self.fetch_token().await?;
        let value = fresh.value.clone();
        *cached = Some(fresh);
        Ok(value)
    }

    async fn fetch_token(&self) -> Result<CachedToken, Failure> {
        let settings = &self.inner.settings;
        let requested = Instant::now();
        // RFC 6749 §2.3.1: the id and secret are form-encoded before they go in Basic auth.
        let response = self
            .inner
            .http
            .post(settings.token_url.clone())
            .basic_auth(
                form_encode(&settings.client_id),
                Some(form_encode(settings.client_secret.expose())),
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| {
                Failure::transient(Ss12000Error::Token(format!(
                    "the token endpoint could not be reached: {}",
                    e.without_url()
                )))
            })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| {
            Failure::transient(Ss12000Error::Token(format!(
                "the token endpoint's answer broke off: {}",
                e.without_url()
            )))
        })?;
        if !status.is_success() {
            let code = serde_json::from_slice::<TokenRefusal>(&body)
                .ok()
                .map(|refusal| refusal.error)
                .filter(|code| is_error_code(code))
                .map(|code| format!(" ({code})"))
                .unwrap_or_default();
            let error = Ss12000Error::Token(format!("the token endpoint answered {status}{code}"));
            return Err(
                if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
                    Failure::transient(error)
                } else {
                    Failure::fatal(error)
                },
            );
        }
        let answer: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            Failure::fatal(Ss12000Error::Token(format!(
                "the token endpoint's answer does not read: {}",
                json_error(&e)
            )))
        })?;
        Ok(CachedToken {
            value: Secret::new(answer.access_token),
            usable_until: usable_until(
                requested,
                answer.expires_in.as_ref().and_then(Seconds::duration),
            ),
        })
    }
}

/// The resource's URL below the root, whether or not the root ends in a slash.
fn endpoint(base: &Url, resource: Resource) -> Result<Url, Ss12000Error> {
    let mut url = base.clone();
    url.set_query(None);
    url.path_segments_mut()
        .map_err(|()| Ss12000Error::Config(format!("the base URL {base} cannot have paths")))?
        .pop_if_empty()
        .push(resource.path());
    Ok(url)
}

/// The token to send for the next page, if any. An empty token counts as none; the token that
/// was just sent coming back is an error, not a loop.
fn next_token(
    resource: Resource,
    sent: Option<&str>,
    received: Option<String>,
) -> Result<Option<String>, Ss12000Error> {
    match received {
        Some(token) if token.is_empty() => Ok(None),
        Some(token) if Some(token.as_str()) == sent => Err(Ss12000Error::Paging { resource }),
        other => Ok(other),
    }
}

/// RFC 3339 in UTC with milliseconds, as the standard's examples write instants.
fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn decode<T: DeserializeOwned>(resource: Resource, body: &[u8]) -> Result<T, Ss12000Error> {
    serde_json::from_slice(body).map_err(|e| Ss12000Error::Decode {
        resource,
        detail: json_error(&e),
    })
}

/// A JSON error without serde's message, which may quote the offending value (a personnummer,
/// a name): only its kind and where it is.
fn json_error(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "unexpected content",
        serde_json::error::Category::Eof => "cut short",
    };
    format!("{kind} at line {} column {}", e.line(), e.column())
}

fn network(resource: Resource, e: reqwest::Error) -> Ss12000Error {
    Ss12000Error::Network {
        resource,
        detail: e.without_url().to_string(),
    }
}

/// `Retry-After` as seconds or as an HTTP date (RFC 9110 §10.2.3).
fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (at.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

fn form_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// An OAuth error code is a short ASCII word (RFC 6749 §5.2); anything else is not repeated.
fn is_error_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use base64::Engine;
    use chrono::TimeZone;
    use poem::http::StatusCode as PoemStatus;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_token_is_renewed_a_minute_early_or_at_half_life() {
        let now = Instant::now();
        let hour = usable_until(now, Some(Duration::from_secs(3600)));
        assert_eq!(hour - now, Duration::from_secs(3540));
        let minute = usable_until(now, Some(Duration::from_secs(60)));
        assert_eq!(minute - now, Duration::from_secs(30));
        let unsaid = usable_until(now, None);
        assert_eq!(unsaid - now, Duration::from_secs(240));
        let forever = usable_until(now, Some(Duration::from_secs(u64::MAX)));
        assert_eq!(forever - now, MAX_TOKEN_LIFETIME - TOKEN_MARGIN);

        let token = CachedToken {
            value: Secret::new("t"),
            usable_until: minute,
        };
        assert!(token.is_usable(now));
        assert!(token.is_usable(now + Duration::from_secs(29)));
        assert!(!token.is_usable(now + Duration::from_secs(30)));
    }

    #[test]
    fn expires_in_reads_as_a_number_or_a_string() {
        let number: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","expires_in":3600}"#).unwrap();
        let text: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","expires_in":"3600"}"#).unwrap();
        let absent: TokenResponse = serde_json::from_str(r#"{"access_token":"a"}"#).unwrap();
        for answer in [number, text] {
            assert_eq!(
                answer.expires_in.as_ref().and_then(Seconds::duration),
                Some(Duration::from_secs(3600))
            );
        }
        assert!(absent.expires_in.is_none());
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = Utc.with_ymd_and_hms(2025, 1, 9, 10, 30, 0).unwrap();
        let header = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, value.parse().unwrap());
            headers
        };
        assert_eq!(retry_after(&header("5"), now), Some(Duration::from_secs(5)));
        assert_eq!(
            retry_after(&header("Thu, 09 Jan 2025 10:30:10 GMT"), now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            retry_after(&header("Thu, 09 Jan 2025 10:29:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&header("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn resources_go_below_the_base_url_with_or_without_its_slash() {
        for base in [
            "https://sis.example.se/v2.0",
            "https://sis.example.se/v2.0/",
        ] {
            let url = endpoint(&Url::parse(base).unwrap(), Resource::DeletedEntities).unwrap();
            assert_eq!(url.as_str(), "https://sis.example.se/v2.0/deletedEntities");
        }
        let root = endpoint(
            &Url::parse("https://sis.example.se").unwrap(),
            Resource::Persons,
        );
        assert_eq!(root.unwrap().as_str(), "https://sis.example.se/persons");
        assert!(endpoint(&Url::parse("mailto:a@b.se").unwrap(), Resource::Persons).is_err());
    }

    #[test]
    fn a_client_is_not_made_from_settings_that_cannot_work() {
        let settings = |base: &str, page_size: u32| Ss12000Settings {
            base_url: Url::parse(base).unwrap(),
            token_url: Url::parse("https://sis.example.se/token").unwrap(),
            client_id: "portal".into(),
            client_secret: Secret::new("s"),
            page_size,
            client_identity_pem: None,
        };
        assert!(Ss12000Client::new(settings("https://sis.example.se/v2.0", 500)).is_ok());
        assert!(Ss12000Client::new(settings("https://sis.example.se/v2.0", 0)).is_err());
        assert!(Ss12000Client::new(settings("data:text/plain,x", 500)).is_err());
        let missing = Ss12000Settings {
            client_identity_pem: Some("/nonexistent/portal.pem".into()),
            ..settings("https://sis.example.se/v2.0", 500)
        };
        assert!(matches!(
            Ss12000Client::new(missing),
            Err(Ss12000Error::Config(_))
        ));
    }

    #[test]
    fn an_empty_token_ends_the_list_and_a_repeated_one_is_refused() {
        let r = Resource::Groups;
        assert_eq!(next_token(r, None, None).unwrap(), None);
        assert_eq!(next_token(r, Some("a"), Some(String::new())).unwrap(), None);
        assert_eq!(
            next_token(r, Some("a"), Some("b".into()))
                .unwrap()
                .as_deref(),
            Some("b")
        );
        assert!(matches!(
            next_token(r, Some("a"), Some("a".into())),
            Err(Ss12000Error::Paging { .. })
        ));
    }

    #[test]
    fn instants_are_sent_in_utc_with_milliseconds() {
        let at = DateTime::parse_from_rfc3339("2025-01-09T11:30:00+01:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(rfc3339(at), "2025-01-09T10:30:00.000Z");
    }

    #[test]
    fn a_decode_error_does_not_quote_the_body() {
        let body = br#"{"data": [{"id": "6f1d2c3b-0000-4000-8000-000000000001",
            "meta": {"created": "2024-08-01T08:00:00Z", "modified": "2024-08-01T08:00:00Z"},
            "givenName": "Alva", "familyName": "Berg",
            "civicNo": {"value": 201504122385}}]}"#;
        let error = decode::<Page<Person>>(Resource::Persons, body).unwrap_err();
        let printed = error.to_string();
        assert!(matches!(error, Ss12000Error::Decode { .. }));
        assert!(printed.contains("persons") && printed.contains("line 4"));
        assert!(!printed.contains("201504122385"), "{printed}");
    }

    #[test]
    fn only_plain_oauth_error_codes_are_repeated() {
        assert!(is_error_code("invalid_client"));
        assert!(!is_error_code(""));
        assert!(!is_error_code("Alva Berg saknas"));
    }

    // ---- Against a fake source system -------------------------------------------------------

    struct Scripted {
        status: u16,
        body: String,
        retry_after: Option<&'static str>,
    }

    fn answer(status: u16, body: &str) -> Scripted {
        Scripted {
            status,
            body: body.to_owned(),
            retry_after: None,
        }
    }

    struct Seen {
        path: String,
        query: Vec<(String, String)>,
        authorization: Option<String>,
    }

    impl Seen {
        fn param(&self, name: &str) -> Vec<&str> {
            self.query
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        }
    }

    #[derive(Default)]
    struct Fake {
        tokens_issued: AtomicUsize,
        token_requests: std::sync::Mutex<Vec<(Option<String>, String)>>,
        script: std::sync::Mutex<VecDeque<Scripted>>,
        seen: std::sync::Mutex<Vec<Seen>>,
    }

    impl Fake {
        fn new(script: Vec<Scripted>) -> Arc<Self> {
            Arc::new(Self {
                script: std::sync::Mutex::new(script.into()),
                ..Self::default()
            })
        }

        async fn answer(&self, request: poem::Request) -> poem::Response {
            let path = request.uri().path().to_owned();
            let query = url::form_urlencoded::parse(request.uri().query().unwrap_or("").as_bytes())
                .into_owned()
                .collect();
            let authorization = request
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if path == "/oauth/token" {
                let body = request.into_body().into_string().await.unwrap();
                let n = self.tokens_issued.fetch_add(1, Ordering::SeqCst) + 1;
                self.token_requests
                    .lock()
                    .unwrap()
                    .push((authorization, body));
                return poem::Response::builder()
                    .content_type("application/json")
                    .body(format!(
                        r#"{{"access_token":"t{n}","token_type":"Bearer","expires_in":3600}}"#
                    ));
            }
            self.seen.lock().unwrap().push(Seen {
                path,
                query,
                authorization,
            });
            let next = self.script.lock().unwrap().pop_front();
            let next = next.unwrap_or_else(|| answer(500, "{}"));
            let mut response = poem::Response::builder()
                .status(PoemStatus::from_u16(next.status).unwrap())
                .content_type("application/json");
            if let Some(after) = next.retry_after {
                response = response.header("retry-after", after);
            }
            response.body(next.body)
        }

        fn token_requests(&self) -> usize {
            self.token_requests.lock().unwrap().len()
        }

        fn calls(&self) -> usize {
            self.seen.lock().unwrap().len()
        }
    }

    /// A client of a fake source system on a free port, retrying without waiting.
    fn client_of(fake: Arc<Fake>) -> Ss12000Client {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let acceptor = poem::listener::TcpAcceptor::from_std(listener).unwrap();
        let app = poem::endpoint::make(move |request: poem::Request| {
            let fake = fake.clone();
            async move { fake.answer(request).await }
        });
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));
        let settings = Ss12000Settings {
            base_url: Url::parse(&format!("http://{addr}/v2.0")).unwrap(),
            token_url: Url::parse(&format!("http://{addr}/oauth/token")).unwrap(),
            client_id: "portal".into(),
            client_secret: Secret::new("hemligt:ord"),
            page_size: 2,
            client_identity_pem: None,
        };
        Ss12000Client::with_backoff(settings, [Duration::ZERO; 3]).unwrap()
    }

    const GROUP_A: &str = r#"{"id": "6f1d2c3b-0000-4000-8000-0000000000b1",
        "meta": {"created": "2024-08-01T08:00:00Z", "modified": "2025-01-09T10:31:00Z"},
        "displayName": "4A", "groupType": "Klass",
        "organisation": {"id": "6f1d2c3b-0000-4000-8000-0000000000a1"},
        "startDate": "2024-08-15"}"#;
    const GROUP_B: &str = r#"{"id": "6f1d2c3b-0000-4000-8000-0000000000b2",
        "meta": {"created": "2024-08-01T08:00:00Z", "modified": "2025-01-09T10:32:00Z"},
        "displayName": "Avdelning Solen", "groupType": "Avdelning",
        "organisation": {"id": "6f1d2c3b-0000-4000-8000-0000000000a2"},
        "startDate": "2024-08-15"}"#;

    fn page(records: &[&str], token: Option<&str>) -> String {
        let token = token.map_or("null".to_owned(), |t| format!("\"{t}\""));
        format!(
            r#"{{"data": [{}], "pageToken": {token}}}"#,
            records.join(",")
        )
    }

    #[tokio::test]
    async fn a_list_is_followed_page_by_page_with_one_token() {
        let fake = Fake::new(vec![
            answer(200, &page(&[GROUP_A], Some("p2"))),
            answer(200, &page(&[GROUP_B], None)),
        ]);
        let client = client_of(fake.clone());
        let since = Utc.with_ymd_and_hms(2025, 1, 9, 10, 30, 0).unwrap();

        let groups = client.all::<Group>(Some(since)).await.unwrap();

        assert_eq!(groups.len(), 2);
        assert_eq!(groups[1].display_name, "Avdelning Solen");
        let tokens = fake.token_requests.lock().unwrap();
        assert_eq!(tokens.len(), 1);
        let basic = base64::engine::general_purpose::STANDARD.encode("portal:hemligt%3Aord");
        assert_eq!(
            tokens[0].0.as_deref(),
            Some(format!("Basic {basic}").as_str())
        );
        assert_eq!(tokens[0].1, "grant_type=client_credentials");
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert!(seen.iter().all(|s| s.path == "/v2.0/groups"));
        assert!(seen
            .iter()
            .all(|s| s.authorization.as_deref() == Some("Bearer t1")));
        assert_eq!(seen[0].param("limit"), ["2"]);
        assert_eq!(
            seen[0].param("meta.modified.after"),
            ["2025-01-09T10:30:00.000Z"]
        );
        assert!(seen[0].param("pageToken").is_empty());
        // The token carries the query: no other filter beside it.
        assert_eq!(seen[1].param("pageToken"), ["p2"]);
        assert_eq!(seen[1].param("limit"), ["2"]);
        assert!(seen[1].param("meta.modified.after").is_empty());
    }

    #[tokio::test]
    async fn a_401_fetches_a_new_token_once() {
        let fake = Fake::new(vec![
            answer(401, "{}"),
            answer(200, &page(&[GROUP_A], None)),
            answer(401, "{}"),
            answer(401, "{}"),
        ]);
        let client = client_of(fake.clone());

        let groups = client.all::<Group>(None).await.unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(fake.token_requests(), 2);
        {
            let seen = fake.seen.lock().unwrap();
            assert_eq!(seen[0].authorization.as_deref(), Some("Bearer t1"));
            assert_eq!(seen[1].authorization.as_deref(), Some("Bearer t2"));
        }

        // Refused with a new token too: the answer stands, and is not retried.
        let error = client.all::<Group>(None).await.unwrap_err();
        assert!(matches!(error, Ss12000Error::Http { status: 401, .. }));
        assert_eq!(fake.token_requests(), 3);
        assert_eq!(fake.calls(), 4);
    }

    #[tokio::test]
    async fn a_page_that_fails_for_a_while_is_asked_for_again() {
        let fake = Fake::new(vec![
            answer(503, "{}"),
            Scripted {
                retry_after: Some("0"),
                ..answer(429, "{}")
            },
            answer(200, &page(&[GROUP_A], None)),
        ]);
        let client = client_of(fake.clone());

        let page = client.next_page::<Group>(None, None).await.unwrap();

        assert_eq!(page.data.len(), 1);
        assert_eq!(page.page_token, None);
        assert_eq!(fake.calls(), 3);
        assert_eq!(fake.token_requests(), 1);
    }

    #[tokio::test]
    async fn a_page_is_tried_four_times_at_most_and_a_404_once() {
        let fake = Fake::new((0..5).map(|_| answer(502, "{}")).collect());
        let client = client_of(fake.clone());
        let error = client.all::<Person>(None).await.unwrap_err();
        assert!(matches!(
            error,
            Ss12000Error::Http {
                status: 502,
                resource: Resource::Persons
            }
        ));
        assert_eq!(fake.calls(), 4);

        let fake = Fake::new(vec![answer(404, "{}")]);
        let client = client_of(fake.clone());
        let error = client.all::<Duty>(None).await.unwrap_err();
        assert!(matches!(error, Ss12000Error::Http { status: 404, .. }));
        assert_eq!(fake.calls(), 1);
    }

    #[tokio::test]
    async fn deletions_are_read_for_the_mirrored_kinds_and_merged() {
        let fake = Fake::new(vec![
            answer(
                200,
                r#"{"data": {"persons": ["6f1d2c3b-0000-4000-8000-000000000001"]},
                    "pageToken": "d2"}"#,
            ),
            answer(
                200,
                r#"{"data": {"groups": ["6f1d2c3b-0000-4000-8000-0000000000b1"],
                             "rooms": ["6f1d2c3b-0000-4000-8000-0000000000f1"]},
                    "pageToken": null}"#,
            ),
        ]);
        let client = client_of(fake.clone());
        let after = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();

        let deleted = client.deleted_since(after).await.unwrap();

        assert_eq!(deleted.persons.len(), 1);
        assert_eq!(deleted.groups.len(), 1);
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen[0].path, "/v2.0/deletedEntities");
        assert_eq!(seen[0].param("after"), ["2025-01-01T00:00:00.000Z"]);
        assert_eq!(
            seen[0].param("entities"),
            [
                "Organisation",
                "Person",
                "Placement",
                "Duty",
                "Group",
                "Activity",
                "Syllabus",
                "Grade",
                "CalendarEvent"
            ]
        );
        assert_eq!(seen[1].param("pageToken"), ["d2"]);
        assert!(seen[1].param("after").is_empty() && seen[1].param("entities").is_empty());
    }

    fn absence() -> AbsenceRecord {
        let at = DateTime::parse_from_rfc3339("2026-11-25T00:00:00+01:00").unwrap();
        AbsenceRecord {
            id: Uuid::new_v4(),
            start_time: at,
            end_time: at,
            kind: super::super::model::AbsenceType::Reported,
            student: super::super::model::PersonRef::to(Uuid::new_v4()),
            organisation: None,
            registered_by: None,
        }
    }

    #[tokio::test]
    async fn a_record_is_posted_once_per_call_and_a_409_counts_as_there() {
        let fake = Fake::new(vec![
            answer(200, "{}"),
            answer(503, "{}"),
            answer(409, "{}"),
            answer(400, "{}"),
        ]);
        let client = client_of(fake.clone());
        let record = absence();

        client.post_absence(&record).await.unwrap();
        let down = client.post_absence(&record).await.unwrap_err();
        assert!(matches!(
            down,
            Ss12000Error::Http {
                status: 503,
                resource: Resource::Absences
            }
        ));
        client.post_absence(&record).await.unwrap();
        let refused = client.post_absence(&record).await.unwrap_err();
        assert!(matches!(refused, Ss12000Error::Http { status: 400, .. }));
        // Not retried inside: the job queue retries with its own backoff.
        assert_eq!(fake.calls(), 4);
        let seen = fake.seen.lock().unwrap();
        assert!(seen.iter().all(|s| s.path == "/v2.0/absences"));
        assert!(seen
            .iter()
            .all(|s| s.authorization.as_deref() == Some("Bearer t1")));
        assert!(!format!("{record:?}").contains(&record.student.id.to_string()));
    }

    #[tokio::test]
    async fn a_page_that_does_not_read_is_not_asked_for_again() {
        let fake = Fake::new(vec![answer(200, r#"{"data": [{"id": "x"}]}"#)]);
        let client = client_of(fake.clone());
        let error = client.all::<Placement>(None).await.unwrap_err();
        assert!(matches!(
            error,
            Ss12000Error::Decode {
                resource: Resource::Placements,
                ..
            }
        ));
        assert_eq!(fake.calls(), 1);
    }
}
