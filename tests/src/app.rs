//! `TestApp::spawn()` starts the backend exactly as `main` does (`Application::build`), on port 0,
//! against a fresh database, loaded with the demo municipality.
//!
//! The database is chosen by `SKOLPORTAL_TEST_DATABASE` (`sqlite`, the default, or `postgres`, which
//! needs `SKOLPORTAL_TEST_POSTGRES_URL` pointing at a cluster where the tests may create
//! databases). The SPA is served from `SKOLPORTAL_TEST_DIST` when set.

use std::path::PathBuf;

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::Value;
use skolportal_backend::clock::Clock;
use skolportal_backend::demo::{self, DemoAccount, DemoOptions, Scale, SeedOutcome};
use skolportal_backend::settings::{Secret, Settings};
use skolportal_backend::startup::Application;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_env() -> Self {
        match std::env::var("SKOLPORTAL_TEST_DATABASE").as_deref() {
            Ok("postgres") => Self::Postgres,
            _ => Self::Sqlite,
        }
    }
}

/// The date the demo data is generated for, so that every test sees the same municipality.
pub fn demo_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date")
}

pub struct TestApp {
    settings: Settings,
    pub address: String,
    pub port: u16,
    pub db: DatabaseConnection,
    pub clock: Clock,
    pub accounts: Vec<DemoAccount>,
    pub backend: Backend,
    pub bankid: Option<crate::bankid::BankIdProvider>,
    /// The SS 12000 source the test's job runners sync from and write back to, one for all of
    /// them as an instance has (they share its access token).
    source: Option<std::sync::Arc<skolportal_backend::sync::Source>>,
    /// Family accounts a test turned one-time codes on for (`turn_on_codes`).
    coded: std::sync::Mutex<Vec<String>>,
    /// Keeps the SQLite file alive for the test's lifetime.
    _dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Options for `TestApp::spawn_with`.
#[derive(Default)]
pub struct TestOptions {
    pub empty: bool,
    pub static_dir: Option<PathBuf>,
    pub frame_ancestors: Vec<String>,
    pub public_base_url: Option<String>,
    /// Start the local BankID test provider and point the portal at it.
    pub bankid: bool,
    /// Point the portal at this OpenID Provider instead.
    pub bankid_issuer: Option<String>,
    /// The production pool (16 connections, a second's wait for one) instead of the tests'
    /// (5 connections, a longer wait: on a machine running many tests at once a slow acquire is
    /// not an outage).
    pub production_pool: bool,
    /// A database of the test's own instead of a fresh one in the shared cluster.
    pub database_url: Option<String>,
    /// The job runner's settings; `enabled: false` for a test that drives runners itself
    /// ([`TestApp::job_runner`]).
    pub jobs: Option<skolportal_backend::settings::JobSettings>,
    /// Take the client address from `X-Forwarded-For`, as behind a load balancer (clients made
    /// with `anonymous_at` then come from different addresses).
    pub trust_forwarded_for: bool,
    /// Seed the demo's childcare schedules too (the previous, current and next week of every
    /// placed child), as `cargo xtask run` does. Off by default: most tests write their own.
    pub demo_schedules: bool,
    /// Notices and their channels (an SMTP server from [`crate::mail::MailSink`]).
    pub notices: Option<skolportal_backend::settings::NoticeSettings>,
    /// The SS 12000 source the portal follows (see [`crate::ss12000_source`]).
    pub ss12000: Option<skolportal_backend::settings::SourceSettings>,
}

impl TestApp {
    /// The backend with the demo municipality loaded.
    pub async fn spawn() -> Self {
        Self::spawn_with(TestOptions::default()).await
    }

    pub async fn spawn_with(options: TestOptions) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let backend = Backend::from_env();
        let url = match (backend, options.database_url.clone()) {
            (Backend::Postgres, Some(url)) => url,
            (Backend::Sqlite, _) => {
                format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display())
            }
            (Backend::Postgres, None) => fresh_postgres_database().await,
        };
        let mut settings = Settings::default();
        settings.database.url = Secret::new(url);
        if !options.production_pool {
            settings.database.max_connections = 5;
            settings.database.acquire_timeout_ms = 10_000;
        }
        settings.server.listen = "127.0.0.1:0".parse().expect("addr");
        settings.server.expose_policy_decisions = true;
        settings.bankid.signing_key_path = dir.path().join("portal-key.pem");
        // The provider must know the portal's address before the portal knows the provider's:
        // the portal's socket is bound first and kept, so no other test can take its port.
        let mut early_listener = None;
        let bankid = if options.bankid {
            let listener =
                std::net::TcpListener::bind("127.0.0.1:0").expect("bind the portal's port");
            let port = listener.local_addr().expect("bound address").port();
            early_listener = Some(listener);
            let portal = format!("http://127.0.0.1:{port}");
            settings.server.listen = format!("127.0.0.1:{port}").parse().expect("addr");
            settings.server.public_base_url = portal.clone();
            let provider = crate::bankid::BankIdProvider::start(&portal, None).await;
            settings.bankid.issuer_url = provider.issuer.clone();
            Some(provider)
        } else {
            if let Some(issuer) = options.bankid_issuer {
                settings.bankid.issuer_url = issuer;
            }
            None
        };
        settings.server.static_dir = options
            .static_dir
            .or_else(|| std::env::var_os("SKOLPORTAL_TEST_DIST").map(PathBuf::from))
            .unwrap_or_else(|| dir.path().join("no-spa"));
        settings.embed.frame_ancestors = options.frame_ancestors;
        if let Some(jobs) = options.jobs {
            settings.jobs = jobs;
        }
        if let Some(notices) = options.notices {
            settings.notices = notices;
        }
        settings.ss12000 = options.ss12000;
        settings.login.trust_forwarded_for = options.trust_forwarded_for;
        if let Some(url) = options.public_base_url {
            settings.server.public_base_url = url;
        }
        let source = skolportal_backend::sync::Source::from_settings(&settings)
            .expect("the SS 12000 source of the test's settings");
        let db = skolportal_backend::db::connect(&settings.database)
            .await
            .expect("connect to the test database");
        skolportal_backend::db::migrate(&db).await.expect("migrate");
        let now = Utc.from_utc_datetime(&demo_today().and_hms_opt(9, 0, 0).expect("time"));
        let clock = Clock::fixed(now);
        let accounts = if options.empty {
            Vec::new()
        } else {
            let opts = DemoOptions {
                seed: 2026,
                scale: Scale::Demo,
                today: demo_today(),
                schedules: options.demo_schedules,
            };
            match demo::seed(&db, opts, now).await.expect("seed demo data") {
                SeedOutcome::Seeded { accounts, .. } => accounts,
                SeedOutcome::AlreadySeeded => Vec::new(),
            }
        };
        let app = match early_listener {
            Some(listener) => {
                Application::build_on(listener, settings.clone(), db.clone(), clock.clone()).await
            }
            None => Application::build_with(settings.clone(), db.clone(), clock.clone()).await,
        }
        .expect("build the application");
        let port = app.port();
        let server = tokio::spawn(async move {
            let _ = app.run_until_stopped().await;
        });
        Self {
            settings,
            address: format!("http://127.0.0.1:{port}"),
            port,
            db,
            clock,
            accounts,
            backend,
            bankid,
            source,
            coded: std::sync::Mutex::new(Vec::new()),
            _dir: dir,
            server,
        }
    }

    /// Another backend instance on the same database, as behind a load balancer.
    pub async fn second_instance(&self) -> (String, tokio::task::JoinHandle<()>) {
        let app =
            Application::build_with(self.settings.clone(), self.db.clone(), self.clock.clone())
                .await
                .expect("build a second instance");
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = tokio::spawn(async move {
            let _ = app.run_until_stopped().await;
        });
        (address, handle)
    }

    /// A job runner on the backend's database, clock and job settings, as each instance runs
    /// (named `instance` in claims and runs), for a test to drive round by round.
    pub fn job_runner(&self, instance: &str) -> skolportal_backend::jobs::runner::Runner {
        skolportal_backend::jobs::runner::Runner::new(
            self.db.clone(),
            self.clock.clone(),
            self.settings.jobs.clone(),
            instance,
        )
        .with_delivery(
            skolportal_backend::notices::Delivery::from_settings(&self.settings)
                .expect("the notice channels of the test's settings"),
        )
        .with_source(self.source.clone())
    }

    /// Moves the backend's clock.
    pub fn advance(&self, by: chrono::Duration) {
        self.clock.set(self.clock.now() + by);
    }

    pub fn password_of(&self, username: &str) -> &'static str {
        self.accounts
            .iter()
            .find(|a| a.username == username)
            .unwrap_or_else(|| panic!("no demo account {username}"))
            .password
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A client without a session, that behaves like a same-origin browser page.
    pub fn anonymous(&self) -> UserClient {
        UserClient::new(&self.address)
    }

    /// A client without a session at another client address (`X-Forwarded-For`; the app must be
    /// spawned with `trust_forwarded_for`).
    pub fn anonymous_at(&self, client_address: &str) -> UserClient {
        UserClient::at_address(&self.address, client_address)
    }

    /// `count` pupils with password accounts `elev.bulk.<n>` (password [`BULK_PASSWORD`]), made
    /// straight in the database for load-shaped tests. They share one cheap Argon2id hash (its
    /// parameters travel in the hash, so the portal verifies it with them): logging 500 pupils
    /// in then takes seconds, through the same login code.
    pub async fn add_pupil_accounts(&self, count: usize) -> Vec<String> {
        use sea_orm::{ActiveValue::Set, EntityTrait};
        use skolportal_backend::entity::{person, user_account};
        let municipality = uuid_of(self, "SELECT id FROM municipality")
            .await
            .parse::<uuid::Uuid>()
            .expect("a municipality id");
        let hash = cheap_hash(BULK_PASSWORD);
        let now = self.clock.now();
        let birth = NaiveDate::from_ymd_opt(2012, 5, 1).expect("date");
        let mut usernames = Vec::with_capacity(count);
        let mut people = Vec::new();
        let mut accounts = Vec::new();
        for n in 0..count {
            let id = uuid::Uuid::new_v4();
            let username = format!("elev.bulk.{n}");
            people.push(person::ActiveModel {
                id: Set(id),
                municipality_id: Set(municipality),
                external_id: Set(None),
                // Month 99: never a real personnummer.
                personnummer: Set(format!("201299{n:06}")),
                given_name: Set(format!("Elev{n}")),
                family_name: Set("Bulk".into()),
                birth_date: Set(birth),
                street: Set(None),
                postal_code: Set(None),
                city: Set(None),
                email: Set(None),
                phone: Set(None),
                school_email: Set(None),
                unlisted_since: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            accounts.push(user_account::ActiveModel {
                id: Set(uuid::Uuid::new_v4()),
                municipality_id: Set(municipality),
                person_id: Set(id),
                username: Set(username.clone()),
                password_hash: Set(Some(hash.clone())),
                must_change_password: Set(false),
                created_at: Set(now),
                ..Default::default()
            });
            usernames.push(username);
        }
        for chunk in people.chunks(100) {
            person::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&self.db)
                .await
                .expect("insert pupils");
        }
        for chunk in accounts.chunks(100) {
            user_account::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&self.db)
                .await
                .expect("insert accounts");
        }
        usernames
    }

    /// A client logged in with a demo account's password, and for staff (who need it to read
    /// pupils' data) the one-time code of the demo's TOTP secret.
    pub async fn login(&self, username: &str) -> UserClient {
        let client = self.login_password_only(username).await;
        if self.totp_secret_of(username).is_some() {
            self.step_up(&client, username).await;
        }
        client
    }

    /// A client logged in with a demo account's password alone.
    pub async fn login_password_only(&self, username: &str) -> UserClient {
        let client = self.anonymous();
        let response = client.login(username, self.password_of(username)).await;
        assert_eq!(response.status(), 200, "login as {username} failed");
        client
    }

    /// The demo TOTP secret of a staff account, or of a family account a test turned codes on
    /// for.
    pub fn totp_secret_of(&self, username: &str) -> Option<&'static str> {
        let coded = self
            .coded
            .lock()
            .is_ok_and(|coded| coded.iter().any(|u| u == username));
        if coded {
            return Some(skolportal_backend::demo::DEMO_TOTP_SECRET);
        }
        self.accounts
            .iter()
            .find(|a| a.username == username)
            .and_then(|a| a.totp_secret)
    }

    /// Turns one-time codes on for a demo family account (a guardian, a pupil) with the demo's
    /// secret, as its owner would on the set-up page (which `second_factor` tests): `login` then
    /// steps up with a code, for what asks more than a password (rule 11).
    pub async fn turn_on_codes(&self, username: &str) {
        self.execute(
            "UPDATE user_account SET totp_secret = $1 WHERE username = $2",
            [
                skolportal_backend::demo::DEMO_TOTP_SECRET.into(),
                username.into(),
            ],
        )
        .await;
        if let Ok(mut coded) = self.coded.lock() {
            coded.push(username.to_owned());
        }
    }

    /// The one-time code of a demo staff account now, by the backend's clock. The clock stands
    /// still in tests and a code is accepted once, so the account's replay guard is reset first:
    /// a test may log the same person in many times within one 30-second step.
    pub async fn one_time_code(&self, username: &str) -> String {
        let secret = self
            .totp_secret_of(username)
            .unwrap_or_else(|| panic!("{username} has no demo TOTP secret"));
        self.execute(
            "UPDATE user_account SET totp_last_step = NULL WHERE username = $1",
            [username.into()],
        )
        .await;
        skolportal_backend::auth::totp::code_at(secret, self.clock.now()).expect("a code")
    }

    /// Raises `client`'s session with a one-time code, as the step-up form does.
    pub async fn step_up(&self, client: &UserClient, username: &str) {
        let code = self.one_time_code(username).await;
        let response = client
            .post("/api/auth/totp", &serde_json::json!({ "code": code }))
            .await;
        assert_eq!(response.status(), 200, "step-up as {username} failed");
    }

    /// The personnummer of the demo person with this name (to log in with BankID as them).
    pub async fn personnummer_of(&self, given: &str, family: &str) -> String {
        personnummer_of(&self.db, given, family).await
    }

    /// Runs a query returning one integer, for assertions on what is stored.
    pub async fn count(&self, sql: &str) -> i64 {
        count(&self.db, sql).await
    }

    /// Changes stored data behind the backend's back, to set up what the API cannot (`$1…` are
    /// `values`, on either database).
    pub async fn execute(&self, sql: &str, values: impl IntoIterator<Item = sea_orm::Value>) {
        let backend = self.db.get_database_backend();
        self.db
            .execute(sea_orm::Statement::from_sql_and_values(
                backend,
                skolportal_backend::db::numbered_params(backend, sql),
                values,
            ))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// The password of the accounts `TestApp::add_pupil_accounts` makes.
pub const BULK_PASSWORD: &str = "Skolstart2026";

/// Argon2id at its smallest parameters (8 KiB, one pass): a test's stand-in for the real cost.
fn cheap_hash(password: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(8, 1, 1, None).expect("argon2 parameters");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::from_b64("c2tvbHBvcnRhbHRlc3Q").expect("salt");
    argon
        .hash_password(password.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}

/// The personnummer of the demo person with this name, read from the database under test.
pub async fn personnummer_of(db: &DatabaseConnection, given: &str, family: &str) -> String {
    let backend = db.get_database_backend();
    let row = db
        .query_one(sea_orm::Statement::from_string(
            backend,
            format!(
                "SELECT personnummer FROM person WHERE given_name = '{given}' AND family_name = '{family}'"
            ),
        ))
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no demo person {given} {family}"));
    row.try_get_by_index::<String>(0).expect("a personnummer")
}

/// Runs a query returning one integer on the database under test.
pub async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let backend = db.get_database_backend();
    let row = db
        .query_one(sea_orm::Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("an integer")
}

/// The UUID in the first column of the one row `sql` selects, as text.
pub async fn uuid_of(app: &TestApp, sql: &str) -> String {
    let row = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<uuid::Uuid>(0)
        .expect("a UUID")
        .to_string()
}

/// The text in the first column of the one row `sql` selects.
pub async fn text_of(app: &TestApp, sql: &str) -> String {
    let row = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<String>(0).expect("a text")
}

/// The UUIDs in the first column of `sql`'s rows.
pub async fn uuids_of(app: &TestApp, sql: &str) -> Vec<uuid::Uuid> {
    app.db
        .query_all(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .iter()
        .map(|row| row.try_get_by_index::<uuid::Uuid>(0).expect("a UUID"))
        .collect()
}

/// The id of a child of the demo families (Lindqvist, Berg) by given name.
pub async fn child(app: &TestApp, given: &str) -> String {
    uuid_of(
        app,
        &format!("SELECT id FROM person WHERE given_name = '{given}' AND family_name IN ('Lindqvist', 'Berg')"),
    )
    .await
}

/// A second preschool family for queue tests (the demo accounts' own children are of school age
/// but Ella): a child with a preschool place outside the Lindqvist family, as (child id,
/// "Given Family", one guardian's personnummer for a BankID login). The same child every run.
pub async fn other_preschool_child(app: &TestApp) -> (String, String, String) {
    let row = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT c.id, c.given_name || ' ' || c.family_name, g.personnummer FROM placement pl \
             JOIN person c ON c.id = pl.child_id \
             JOIN guardianship gs ON gs.child_id = c.id AND gs.relation = 'guardian' \
             JOIN person g ON g.id = gs.adult_id \
             WHERE pl.kind = 'preschool' AND c.family_name <> 'Lindqvist' \
             ORDER BY c.personnummer, g.personnummer LIMIT 1"
                .to_owned(),
        ))
        .await
        .expect("query")
        .expect("a preschool child outside the Lindqvist family");
    (
        row.try_get_by_index::<uuid::Uuid>(0)
            .expect("a UUID")
            .to_string(),
        row.try_get_by_index::<String>(1).expect("a name"),
        row.try_get_by_index::<String>(2).expect("a personnummer"),
    )
}

/// The id of a unit by name.
pub async fn unit(app: &TestApp, name: &str) -> String {
    uuid_of(app, &format!("SELECT id FROM unit WHERE name = '{name}'")).await
}

/// A port nobody listens on now, for a server in another process that must keep it across
/// restarts (so it cannot be handed a bound socket).
pub(crate) fn free_port() -> u16 {
    // Below Linux's ephemeral range (32768-60999), from which the kernel hands out ports for
    // outgoing connections and `bind(0)`: meanwhile only another random pick here could take it.
    for _ in 0..100 {
        let port = 20_000 + (uuid::Uuid::new_v4().as_u128() % 12_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port between 20000 and 32000");
}

/// A new, empty database in the test cluster.
pub async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var("SKOLPORTAL_TEST_POSTGRES_URL")
        .expect("SKOLPORTAL_TEST_DATABASE=postgres needs SKOLPORTAL_TEST_POSTGRES_URL (cargo xtask test sets both)");
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url)
        .await
        .expect("connect to the test cluster");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    let _ = admin.close().await;
    match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("SKOLPORTAL_TEST_POSTGRES_URL must end in /<database>"),
    }
}

/// An HTTP client with its own cookie jar: one browser, one user.
pub struct UserClient {
    base: String,
    pub http: reqwest::Client,
}

impl UserClient {
    /// A client without a session for the portal at `base`.
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self {
            base: base.to_owned(),
            http,
        }
    }

    /// A client without a session whose requests say they come from `client_address`
    /// (`X-Forwarded-For`, as a load balancer adds it).
    pub fn at_address(base: &str, client_address: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            client_address.parse().expect("an address header"),
        );
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self {
            base: base.to_owned(),
            http,
        }
    }

    /// A client that sends exactly this session cookie and keeps no jar.
    pub fn with_session_token(base: &str, token: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::COOKIE,
            format!("skolportal_session={token}")
                .parse()
                .expect("header"),
        );
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self {
            base: base.to_owned(),
            http,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .expect("request")
    }

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        self.post(
            "/api/auth/password",
            &serde_json::json!({"username": username, "password": password}),
        )
        .await
    }

    /// Walks the BankID test provider's login as a browser would (forms, redirects, cookies) and
    /// returns the portal callback's answer. `acr` is the provider's test mode (`loa3`, `loa2`).
    pub async fn bankid_login(&self, personnummer: &str, acr: &str) -> reqwest::Response {
        let callback = self.bankid_callback_url(personnummer, acr).await;
        self.http.get(callback).send().await.expect("callback")
    }

    /// Like `bankid_login`, but stops before the portal's callback and returns its URL.
    pub async fn bankid_callback_url(&self, personnummer: &str, acr: &str) -> String {
        self.bankid_callback_url_returning(personnummer, acr, "/children")
            .await
    }

    /// A BankID login started with `return_to` (sent as given, percent-encoded), stopped before
    /// the portal's callback; returns the callback's URL.
    pub async fn bankid_callback_url_returning(
        &self,
        personnummer: &str,
        acr: &str,
        return_to: &str,
    ) -> String {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("return_to", return_to)
            .finish();
        let start = self.get(&format!("/api/auth/bankid/start?{query}")).await;
        // A refusal goes to the page that names its reason (`?orsak=`): what a failure must say.
        assert_eq!(
            start.status(),
            302,
            "BankID start did not redirect to the provider but to {:?}",
            start.headers().get("location")
        );
        let url = start.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        self.walk_provider(&url, personnummer, acr, "/api/auth/bankid/callback")
            .await
    }

    /// Follows the test provider from `url` as a browser would: answers its BankID login page
    /// with `personnummer` and `acr`, presses "Skriv under" on a sign page, and stops when the
    /// provider sends the browser back to the portal path `back_to`; returns that URL.
    pub async fn walk_provider(
        &self,
        url: &str,
        personnummer: &str,
        acr: &str,
        back_to: &str,
    ) -> String {
        let mut url = url::Url::parse(url).expect("url");
        for _ in 0..30 {
            if url.as_str().starts_with(&format!("{}{back_to}", self.base)) {
                return url.to_string();
            }
            let response = self.http.get(url.clone()).send().await.expect("provider");
            let next = if response.status().is_redirection() {
                response.headers()["location"]
                    .to_str()
                    .expect("location")
                    .to_owned()
            } else {
                assert_eq!(
                    response.status(),
                    200,
                    "unexpected answer from the provider at {url}"
                );
                let page = response.text().await.unwrap_or_default();
                let uid = url.path().trim_start_matches("/interaction/").to_owned();
                let (action, form): (&str, Vec<(&str, &str)>) =
                    if page.contains("id=\"bankid-sign\"") {
                        ("sign", vec![])
                    } else {
                        ("login", vec![("personnummer", personnummer), ("acr", acr)])
                    };
                let posted = self
                    .http
                    .post(
                        url.join(&format!("/interaction/{uid}/{action}"))
                            .expect("url"),
                    )
                    .form(&form)
                    .send()
                    .await
                    .expect("provider form");
                assert!(
                    posted.status().is_redirection(),
                    "the provider refused the {action} form: {}",
                    posted.status()
                );
                posted.headers()["location"]
                    .to_str()
                    .expect("location")
                    .to_owned()
            };
            url = url.join(&next).expect("url");
        }
        panic!("the provider never sent the browser back to {back_to}");
    }

    /// Signs childcare document `id` with BankID as `personnummer` through the test provider, as
    /// the document page's button does; returns where the portal then sends the browser.
    pub async fn sign_document(&self, id: &str, personnummer: &str) -> String {
        let r = self
            .post(
                &format!("/api/childcare/documents/{id}/sign"),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status(), 200, "signing {id} did not start");
        let start: Value = r.json().await.expect("sign start");
        let url = start["redirect_url"].as_str().expect("redirect_url");
        let callback = self
            .walk_provider(url, personnummer, "loa3", "/api/sign/callback")
            .await;
        let done = self.http.get(&callback).send().await.expect("callback");
        done.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned()
    }

    /// A client for another address (another backend instance) sharing this one's cookies.
    pub fn with_base(&self, base: &str) -> Self {
        Self {
            base: base.to_owned(),
            http: self.http.clone(),
        }
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A same-origin JSON request, as the SPA sends it.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{}", self.base, path))
            .header("Origin", &self.base)
            .header("Sec-Fetch-Site", "same-origin")
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.request(reqwest::Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put(&self, path: &str, body: &Value) -> reqwest::Response {
        self.request(reqwest::Method::PUT, path)
            .json(body)
            .send()
            .await
            .expect("request")
    }
}
