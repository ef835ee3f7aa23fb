//! A local SS 12000 v2.1 source: the school administration system the portal mirrors, for
//! development and tests. It serves whatever the test puts in it, shaped as the standard's
//! OpenAPI document says (`../shared/specs/ss12000-2.1.0.openapi.yaml`), with the behaviour a
//! client must cope with: OAuth 2 client credentials, pages with `limit` and an opaque
//! `pageToken`, `meta.modified.after`, `/deletedEntities?after=`, and faults on demand (a page
//! that fails, a source that is down). It takes what the portal writes back (`POST /absences`,
//! `POST /attendances`) as a real receiver would: a record sent again with the same `id` is
//! answered with the one it has and not stored twice, so "exactly once" is countable here.
//!
//! Entries are JSON values, not the portal's client types: the source is written from the
//! standard, so a client that misreads it fails here instead of agreeing with itself.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine;
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use poem::http::StatusCode;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::{Data, Form, Json, Path, Query};
use poem::{get, handler, post, EndpointExt, IntoResponse, Request, Response, Route, Server};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

/// The collections the source serves, by their path in the standard.
pub const RESOURCES: [&str; 9] = [
    "organisations",
    "persons",
    "placements",
    "duties",
    "groups",
    "activities",
    "syllabuses",
    "grades",
    "calendarEvents",
];

/// The client the source accepts at its token endpoint.
pub const CLIENT_ID: &str = "skolportal";
pub const CLIENT_SECRET: &str = "local-ss12000-secret";

/// One collection's entries in the order they are listed, (modified, id), with each id's key:
/// a page is a range of the ordered map, so the Stockholm-sized demo pages as fast as a small
/// one.
#[derive(Default)]
struct Collection {
    ordered: BTreeMap<(DateTime<Utc>, Uuid), Value>,
    modified_of: HashMap<Uuid, DateTime<Utc>>,
}

impl Collection {
    fn get(&self, id: Uuid) -> Option<&Value> {
        let at = self.modified_of.get(&id)?;
        self.ordered.get(&(*at, id))
    }

    fn remove(&mut self, id: Uuid) -> Option<Value> {
        let at = self.modified_of.remove(&id)?;
        self.ordered.remove(&(at, id))
    }
}

#[derive(Default)]
struct State {
    collections: HashMap<&'static str, Collection>,
    /// The latest instant the source's clock gave.
    last: Option<DateTime<Utc>>,
    deleted: Vec<(&'static str, Uuid, DateTime<Utc>)>,
    /// Per collection, the page numbers (0-based, of the current listing) that answer 500 the
    /// next time they are asked for, once each.
    failing_pages: HashMap<&'static str, Vec<usize>>,
    /// While set, every request but the token's answers 503.
    down: bool,
    /// Requests per collection, for tests that count pages.
    requests: HashMap<String, usize>,
    tokens: Vec<String>,
    /// The absences written back (`POST /absences`), as first sent.
    absences: Vec<Value>,
    /// The attendances written back (`POST /attendances`), as first sent.
    attendances: Vec<Value>,
}

impl State {
    /// The source's clock: strictly later than every change before, so that `after` filters
    /// (on changes and on deletions alike) never miss one, even when many land in one
    /// millisecond.
    fn next_instant(&mut self) -> DateTime<Utc> {
        let last = self.last.unwrap_or(DateTime::<Utc>::MIN_UTC);
        // Milliseconds, as `meta.modified` is written: what a client reads back is the instant.
        let at = Utc::now()
            .trunc_subsecs(3)
            .max(last + chrono::Duration::milliseconds(1));
        self.last = Some(at);
        at
    }
}

/// The running source; stops when dropped.
pub struct Ss12000Source {
    /// The API's base URL (`…/v2.1`).
    pub base_url: String,
    pub token_url: String,
    state: Arc<Mutex<State>>,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for Ss12000Source {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

fn now_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn resource(name: &str) -> Option<&'static str> {
    RESOURCES.iter().copied().find(|r| *r == name)
}

impl Ss12000Source {
    /// Starts an empty source on a free loopback port.
    pub async fn start() -> Self {
        Self::start_on("127.0.0.1:0").await
    }

    /// Starts an empty source on `address` (`cargo xtask run` serves the demo on a fixed one).
    pub async fn start_on(address: &str) -> Self {
        let listener = TcpListener::bind(address.to_owned())
            .into_acceptor()
            .await
            .expect("bind the SS 12000 source");
        let port = listener
            .local_addr()
            .first()
            .and_then(|a| a.as_socket_addr().map(|s| s.port()))
            .expect("the source's port");
        let state = Arc::new(Mutex::new(State::default()));
        let app = Route::new()
            .at("/token", post(token))
            .at("/v2.1/deletedEntities", get(deleted_entities))
            .at("/v2.1/absences", post(write_absence))
            .at("/v2.1/attendances", post(write_attendance))
            .at("/v2.1/:resource", get(list))
            .data(state.clone());
        let handle = tokio::spawn(async move {
            let _ = Server::new_with_acceptor(listener).run(app).await;
        });
        Self {
            base_url: format!("http://127.0.0.1:{port}/v2.1"),
            token_url: format!("http://127.0.0.1:{port}/token"),
            state,
            handle,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("the source's state")
    }

    /// Puts `body` (which must carry an `id`) into `collection`, as changed now: a new entry, or
    /// a new version of the entry with that id.
    pub fn put(&self, collection: &str, mut body: Value) -> Uuid {
        let collection = resource(collection).expect("a collection the source serves");
        let id: Uuid = body["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("an entry with a uuid id");
        let mut state = self.state();
        let modified = state.next_instant();
        let entries = state.collections.entry(collection).or_default();
        let created = entries
            .remove(id)
            .and_then(|old| old["meta"]["created"].as_str().map(str::to_owned))
            .unwrap_or_else(|| now_text(modified));
        body["meta"] = json!({"created": created, "modified": now_text(modified)});
        entries.modified_of.insert(id, modified);
        entries.ordered.insert((modified, id), body);
        id
    }

    /// Removes the entry and lists it under `/deletedEntities`.
    pub fn delete(&self, collection: &str, id: Uuid) {
        let collection = resource(collection).expect("a collection the source serves");
        let mut state = self.state();
        if let Some(entries) = state.collections.get_mut(collection) {
            entries.remove(id);
        }
        let at = state.next_instant();
        state.deleted.push((collection, id, at));
    }

    /// Empties a collection without listing deletions: a source answering an empty list by
    /// mistake.
    pub fn forget_all(&self, collection: &str) {
        let collection = resource(collection).expect("a collection the source serves");
        self.state().collections.remove(collection);
    }

    /// The entry as the source holds it now.
    pub fn get(&self, collection: &str, id: Uuid) -> Option<Value> {
        self.state().collections.get(collection)?.get(id).cloned()
    }

    /// The portal's settings for this source as `municipality_code`'s, writing back.
    pub fn settings_for(
        &self,
        municipality_code: &str,
    ) -> skolportal_backend::settings::SourceSettings {
        skolportal_backend::settings::SourceSettings {
            municipality_code: municipality_code.to_owned(),
            client: skolportal_backend::ss12000::Ss12000Settings {
                base_url: self.base_url.parse().expect("the source's URL"),
                token_url: self.token_url.parse().expect("the token URL"),
                client_id: CLIENT_ID.into(),
                client_secret: skolportal_backend::settings::Secret::new(CLIENT_SECRET),
                page_size: 100,
                client_identity_pem: None,
            },
            incremental_minutes: 10,
            full_sync_hour: 2,
            max_removed_share: 0.05,
            write_back: true,
        }
    }

    /// The `page`th page (0-based) of `collection` answers 500 once.
    pub fn fail_page_once(&self, collection: &str, page: usize) {
        let collection = resource(collection).expect("a collection the source serves");
        self.state()
            .failing_pages
            .entry(collection)
            .or_default()
            .push(page);
    }

    /// While down, the API answers 503 (the token endpoint still answers).
    pub fn set_down(&self, down: bool) {
        self.state().down = down;
    }

    /// How many requests `collection`'s listing has had.
    pub fn requests_to(&self, collection: &str) -> usize {
        self.state().requests.get(collection).copied().unwrap_or(0)
    }

    /// The absences written back so far, one per id.
    pub fn absences(&self) -> Vec<Value> {
        self.state().absences.clone()
    }

    /// The attendances written back so far, one per id.
    pub fn attendances(&self) -> Vec<Value> {
        self.state().attendances.clone()
    }

    /// How many times a record was posted to `collection` (`absences`, `attendances`), repeats
    /// and refused ones included.
    pub fn posts_to(&self, collection: &str) -> usize {
        self.state()
            .requests
            .get(&format!("POST {collection}"))
            .copied()
            .unwrap_or(0)
    }
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
}

/// OAuth 2 client credentials (RFC 6749 4.4) with the client's id and secret in Basic auth.
#[handler]
fn token(req: &Request, form: Form<TokenForm>, state: Data<&Arc<Mutex<State>>>) -> Response {
    let expected =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    let authorised = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h == format!("Basic {expected}"));
    if !authorised {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    if form.grant_type != "client_credentials" {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "unsupported_grant_type"})),
        )
            .into_response();
    }
    let token = Uuid::new_v4().simple().to_string();
    if let Ok(mut state) = state.lock() {
        state.tokens.push(token.clone());
    }
    Json(json!({"access_token": token, "token_type": "Bearer", "expires_in": 300})).into_response()
}

/// The standard's error body.
fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"code": status.as_u16().to_string(), "message": message})),
    )
        .into_response()
}

/// `None` when the request carries a token this source issued.
fn refused(req: &Request, state: &State) -> Option<Response> {
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "));
    if !bearer.is_some_and(|t| state.tokens.iter().any(|k| k == t)) {
        return Some(error(
            StatusCode::UNAUTHORIZED,
            "a valid bearer token is needed",
        ));
    }
    if state.down {
        return Some(error(StatusCode::SERVICE_UNAVAILABLE, "the source is down"));
    }
    None
}

/// The request's fault, in the words the answer gives.
type BadRequest = &'static str;

fn parse_after(value: Option<&String>) -> Result<Option<DateTime<Utc>>, BadRequest> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| "not an RFC 3339 time")
        })
        .transpose()
}

/// Which calendar events a listing keeps: `startTime.onOrAfter` and `startTime.onOrBefore`.
#[derive(Clone, Copy, Default)]
struct StartWindow {
    on_or_after: Option<DateTime<Utc>>,
    on_or_before: Option<DateTime<Utc>>,
}

impl StartWindow {
    fn keeps(&self, body: &Value) -> bool {
        let Some(start) = body["startTime"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
        else {
            return true;
        };
        self.on_or_after.is_none_or(|a| start >= a) && self.on_or_before.is_none_or(|b| start <= b)
    }
}

/// Where a listing goes on: the page's number, the last entry the previous page gave, and the
/// listing's filter, which the token carries.
struct Cursor {
    number: usize,
    after: (DateTime<Utc>, Uuid),
    window: StartWindow,
}

fn encode_cursor(c: &Cursor) -> String {
    let instant = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.to_rfc3339_opts(SecondsFormat::Nanos, true))
            .unwrap_or_default()
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "{}|{}|{}|{}|{}",
        c.number,
        c.after.0.to_rfc3339_opts(SecondsFormat::Nanos, true),
        c.after.1,
        instant(c.window.on_or_after),
        instant(c.window.on_or_before),
    ))
}

fn decode_cursor(page_token: &str) -> Option<Cursor> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(page_token)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.splitn(5, '|');
    let number = parts.next()?.parse().ok()?;
    let instant = |t: &str| {
        DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    let at = instant(parts.next()?)?;
    let id = parts.next()?.parse().ok()?;
    let on_or_after = parts.next()?;
    let on_or_before = parts.next()?;
    let window = StartWindow {
        on_or_after: (!on_or_after.is_empty())
            .then(|| instant(on_or_after))
            .flatten(),
        on_or_before: (!on_or_before.is_empty())
            .then(|| instant(on_or_before))
            .flatten(),
    };
    Some(Cursor {
        number,
        after: (at, id),
        window,
    })
}

#[handler]
fn list(
    req: &Request,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    state: Data<&Arc<Mutex<State>>>,
) -> Response {
    let Ok(mut state) = state.lock() else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "the source's state");
    };
    let Some(collection) = resource(&name) else {
        return error(StatusCode::NOT_FOUND, "no such resource");
    };
    *state.requests.entry(name.clone()).or_default() += 1;
    if let Some(answer) = refused(req, &state) {
        return answer;
    }
    let limit: usize = match query.get("limit").map(|l| l.parse::<usize>()) {
        Some(Ok(l)) if l > 0 => l,
        Some(_) => return error(StatusCode::BAD_REQUEST, "limit must be a positive number"),
        None => 100,
    };
    // A token carries the listing it continues (the standard refuses other filters beside it);
    // without one, `meta.modified.after` starts the listing after that instant.
    let (number, start, window) = match query.get("pageToken") {
        Some(t) => match decode_cursor(t) {
            Some(c) => (c.number, Bound::Excluded(c.after), c.window),
            None => return error(StatusCode::BAD_REQUEST, "unknown pageToken"),
        },
        None => {
            let window = match (
                parse_after(query.get("startTime.onOrAfter")),
                parse_after(query.get("startTime.onOrBefore")),
            ) {
                (Ok(on_or_after), Ok(on_or_before)) => StartWindow {
                    on_or_after,
                    on_or_before,
                },
                (Err(fault), _) | (_, Err(fault)) => return error(StatusCode::BAD_REQUEST, fault),
            };
            match parse_after(query.get("meta.modified.after")) {
                Ok(Some(after)) => (0, Bound::Excluded((after, Uuid::max())), window),
                Ok(None) => (0, Bound::Unbounded, window),
                Err(fault) => return error(StatusCode::BAD_REQUEST, fault),
            }
        }
    };
    if let Some(failing) = state.failing_pages.get_mut(collection) {
        if let Some(at) = failing.iter().position(|p| *p == number) {
            failing.remove(at);
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be read",
            );
        }
    }
    let empty = Collection::default();
    let entries = state.collections.get(collection).unwrap_or(&empty);
    // In (modified, id) order: pages neither skip nor repeat while nothing changes.
    let mut range = entries
        .ordered
        .range((start, Bound::Unbounded))
        .filter(|(_, body)| window.keeps(body));
    let mut data = Vec::with_capacity(limit);
    let mut last = None;
    for (key, body) in range.by_ref().take(limit) {
        data.push(body.clone());
        last = Some(*key);
    }
    let next = match (range.next(), last) {
        (Some(_), Some(after)) => Some(encode_cursor(&Cursor {
            number: number + 1,
            after,
            window,
        })),
        _ => None,
    };
    Json(json!({"data": data, "pageToken": next})).into_response()
}

/// `GET /deletedEntities?after=`: the ids removed since `after`, by kind of entity.
#[handler]
fn deleted_entities(
    req: &Request,
    Query(query): Query<HashMap<String, String>>,
    state: Data<&Arc<Mutex<State>>>,
) -> Response {
    let Ok(state) = state.lock() else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "the source's state");
    };
    if let Some(answer) = refused(req, &state) {
        return answer;
    }
    let after = match parse_after(query.get("after")) {
        Ok(after) => after,
        Err(fault) => return error(StatusCode::BAD_REQUEST, fault),
    };
    let mut data: HashMap<&str, Vec<String>> = HashMap::new();
    for (collection, id, at) in &state.deleted {
        if after.is_none_or(|a| *at > a) {
            // The standard's document spells the activities' key `activitites`.
            let key = if *collection == "activities" {
                "activitites"
            } else {
                collection
            };
            data.entry(key).or_default().push(id.to_string());
        }
    }
    Json(json!({"data": data, "pageToken": null})).into_response()
}

/// Which list of records written back a POST goes to.
#[derive(Clone, Copy)]
enum Written {
    Absences,
    Attendances,
}

impl Written {
    fn name(self) -> &'static str {
        match self {
            Self::Absences => "absences",
            Self::Attendances => "attendances",
        }
    }

    fn records(self, state: &mut State) -> &mut Vec<Value> {
        match self {
            Self::Absences => &mut state.absences,
            Self::Attendances => &mut state.attendances,
        }
    }
}

/// A record written back: kept under the `id` it carries (one the source gives it when it has
/// none), and a repeat of an id it has is answered with the record kept, not stored again. The
/// specification answers 200 "Post skapad".
fn write(req: &Request, mut body: Value, state: &Arc<Mutex<State>>, kind: Written) -> Response {
    let Ok(mut state) = state.lock() else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "the source's state");
    };
    *state
        .requests
        .entry(format!("POST {}", kind.name()))
        .or_default() += 1;
    if let Some(answer) = refused(req, &state) {
        return answer;
    }
    let id = match body["id"].as_str() {
        Some(id) => match id.parse::<Uuid>() {
            Ok(id) => id,
            Err(_) => return error(StatusCode::BAD_REQUEST, "id is not a uuid"),
        },
        None => Uuid::new_v4(),
    };
    let records = kind.records(&mut state);
    let kept = records
        .iter()
        .find(|r| r["id"].as_str() == Some(id.to_string().as_str()));
    if let Some(kept) = kept {
        return Json(kept.clone()).into_response();
    }
    let now = now_text(Utc::now());
    body["id"] = json!(id.to_string());
    body["meta"] = json!({"created": now, "modified": now});
    records.push(body.clone());
    Json(body).into_response()
}

/// `POST /absences`: a reported absence written back.
#[handler]
fn write_absence(
    req: &Request,
    Json(body): Json<Value>,
    state: Data<&Arc<Mutex<State>>>,
) -> Response {
    write(req, body, &state, Written::Absences)
}

/// `POST /attendances`: a pupil's attendance at a calendar event written back.
#[handler]
fn write_attendance(
    req: &Request,
    Json(body): Json<Value>,
    state: Data<&Arc<Mutex<State>>>,
) -> Response {
    write(req, body, &state, Written::Attendances)
}

/// `prism proxy --errors` in front of a source: every answer is checked against the standard's
/// OpenAPI document, and one that breaks it becomes a 500 naming the violation. Stops when
/// dropped.
pub struct ContractCheck {
    pub base_url: String,
    child: std::process::Child,
}

impl Drop for ContractCheck {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ContractCheck {
    /// Starts prism (from `tools/`, installed by `cargo xtask setup`) in front of `source`.
    pub async fn start(source: &Ss12000Source) -> Self {
        Self::prism(&["proxy", "--errors"], Some(&source.base_url)).await
    }

    /// `prism mock -d`: a server of random data that the standard allows, with no source behind
    /// it, for a smoke test of the portal's client against shapes our own fixtures never make.
    pub async fn mock() -> Self {
        Self::prism(&["mock", "-d"], None).await
    }

    async fn prism(mode: &[&str], upstream: Option<&str>) -> Self {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new(root.join("tools/node_modules/.bin/prism"))
            .args(mode)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(root.join("tests/specs/ss12000-2.1.0.openapi.yaml"))
            .args(upstream)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("prism (cargo xtask setup installs it in tools/)");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                std::time::Instant::now() < deadline,
                "prism did not start within 60 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        Self {
            base_url: format!("http://127.0.0.1:{port}"),
            child,
        }
    }
}

/// A bearer token from `source`'s token endpoint, as the portal's client gets one.
pub async fn bearer_token(source: &Ss12000Source) -> String {
    let answer: Value = reqwest::Client::new()
        .post(&source.token_url)
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("the token endpoint")
        .json()
        .await
        .expect("a token answer");
    answer["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}
