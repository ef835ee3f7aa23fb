//! The real `skolportal` binary as a child process, for tests about what survives the process:
//! an [`Installation`] is what outlives any one process (the database, the portal's signing key
//! file, the settings, the port, the BankID provider), and each [`Installation::start`] runs a
//! fresh `skolportal serve` on it. [`BackendProcess::kill`] is a SIGKILL: no shutdown code runs,
//! as when a machine dies or an orchestrator kills a container.
//!
//! The binary is built with cargo on first use (an integration test in another crate gets no
//! `CARGO_BIN_EXE_…`), so the tests never run a stale server; `SKOLPORTAL_TEST_SERVER_BIN` names
//! a prebuilt binary instead.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use skolportal_backend::settings::{DatabaseSettings, Secret};

use crate::app::{self, Backend, UserClient};
use crate::bankid::BankIdProvider;

/// The `skolportal` executable, built once per test run.
fn server_binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(build_server).clone()
}

fn build_server() -> PathBuf {
    if let Some(path) = std::env::var_os("SKOLPORTAL_TEST_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    // With this crate selected too, features unify exactly as in the test build: nothing but
    // the binary itself is compiled (a plain `-p skolportal-backend` would rebuild the deps).
    build.current_dir(&workspace).args([
        "build",
        "-p",
        "skolportal-tests",
        "-p",
        "skolportal-backend",
        "--bin",
        "skolportal",
        "--message-format=json-render-diagnostics",
    ]);
    // `cargo test` gives this process the test crate's package variables; build scripts (ring's)
    // watch some of them, so passing them on would make every build after this one start over.
    for (name, _) in std::env::vars_os() {
        let name_str = name.to_string_lossy();
        if name_str.starts_with("CARGO_PKG_")
            || name_str.starts_with("CARGO_MANIFEST_")
            || matches!(
                name_str.as_ref(),
                "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "CARGO_RUSTC_CURRENT_DIR"
                    | "OUT_DIR"
            )
        {
            build.env_remove(&name);
        }
    }
    if !cfg!(debug_assertions) {
        build.arg("--release");
    }
    let output = build
        .stderr(Stdio::inherit())
        .output()
        .expect("run cargo to build the skolportal binary");
    assert!(
        output.status.success(),
        "cargo could not build the skolportal binary"
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "skolportal")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo reported no skolportal executable")
}

/// A portal installation on disk whose server process can be killed and started again.
pub struct Installation {
    /// `http://127.0.0.1:<port>`: the same for every process started on this installation.
    pub address: String,
    pub port: u16,
    /// The test's own connection, for assertions on what is stored.
    pub db: DatabaseConnection,
    pub backend: Backend,
    /// The BankID test provider, pointed at `address`; it outlives the portal's processes.
    pub bankid: BankIdProvider,
    database_url: String,
    static_dir: PathBuf,
    /// Further settings for every process started from now on.
    extra_env: Vec<(String, String)>,
    starts: u32,
    dir: tempfile::TempDir,
}

impl Installation {
    /// A fresh database (SQLite file or a new PostgreSQL database, as `TestApp`), migrated and
    /// seeded with the demo municipality by the binary's own `seed` command, and the BankID test
    /// provider. No server runs yet.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let backend = Backend::from_env();
        let database_url = match backend {
            Backend::Sqlite => {
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("portal.db").display()
                )
            }
            Backend::Postgres => app::fresh_postgres_database().await,
        };
        let port = app::free_port();
        let address = format!("http://127.0.0.1:{port}");
        let bankid = BankIdProvider::start(&address, None).await;
        let static_dir = std::env::var_os("SKOLPORTAL_TEST_DIST")
            .map(PathBuf::from)
            .unwrap_or_else(|| dir.path().join("no-spa"));
        let mut installation = Self {
            address,
            port,
            db: DatabaseConnection::Disconnected,
            backend,
            bankid,
            database_url,
            static_dir,
            extra_env: Vec::new(),
            starts: 0,
            dir,
        };
        installation.run_to_end("seed").await;
        installation.db = skolportal_backend::db::connect(&DatabaseSettings {
            url: Secret::new(installation.database_url.clone()),
            max_connections: 2,
            acquire_timeout_ms: 10_000,
        })
        .await
        .expect("connect to the installation's database");
        installation
    }

    /// The command line of the server with this installation's settings, and nothing inherited
    /// from the test's environment that the server would read as settings.
    fn command(&self, binary: &Path, generate_key: bool, port: u16) -> Command {
        let mut command = Command::new(binary);
        for (name, _) in std::env::vars_os() {
            let name_str = name.to_string_lossy();
            if name_str.starts_with("SKOLPORTAL_") || name_str == "DATABASE_URL" {
                command.env_remove(&name);
            }
        }
        // Its own directory: no `skolportal.toml` or `data/` of the developer's is picked up.
        command
            .current_dir(self.dir.path())
            .env("SKOLPORTAL_DATABASE__URL", &self.database_url)
            // As in `TestApp`: a loaded test machine's slow acquire is not an outage.
            .env("SKOLPORTAL_DATABASE__ACQUIRE_TIMEOUT_MS", "10000")
            .env("SKOLPORTAL_DATABASE__MAX_CONNECTIONS", "5")
            .env("SKOLPORTAL_SERVER__LISTEN", format!("127.0.0.1:{port}"))
            .env("SKOLPORTAL_SERVER__PUBLIC_BASE_URL", &self.address)
            .env("SKOLPORTAL_SERVER__STATIC_DIR", &self.static_dir)
            .env("SKOLPORTAL_BANKID__ISSUER_URL", &self.bankid.issuer)
            .env(
                "SKOLPORTAL_BANKID__SIGNING_KEY_PATH",
                self.dir.path().join("portal-signing-key.pem"),
            )
            .env(
                "SKOLPORTAL_BANKID__GENERATE_KEY_IF_MISSING",
                generate_key.to_string(),
            )
            .env("SKOLPORTAL_LOG__LEVEL", "info")
            .envs(self.extra_env.iter().map(|(k, v)| (k, v)));
        command
    }

    async fn run_to_end(&self, subcommand: &str) {
        let binary = tokio::task::spawn_blocking(server_binary)
            .await
            .expect("join");
        let mut command = self.command(&binary, false, self.port);
        command.arg(subcommand);
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .expect("join")
            .expect("run the skolportal binary");
        assert!(
            output.status.success(),
            "skolportal {subcommand} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// A setting (`SKOLPORTAL_…` variable) for every process started from now on.
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.extra_env.push((name.to_owned(), value.to_owned()));
    }

    /// Starts `skolportal serve` and waits until it answers `/api/health`. The first process
    /// creates the portal's signing key; every later one must find that same file.
    pub async fn start(&mut self) -> BackendProcess {
        let port = self.port;
        self.start_on(port).await
    }

    /// Another instance beside the running one, as behind a load balancer: the same database
    /// and settings on a port of its own.
    pub async fn start_another(&mut self) -> BackendProcess {
        self.start_on(app::free_port()).await
    }

    async fn start_on(&mut self, port: u16) -> BackendProcess {
        let binary = tokio::task::spawn_blocking(server_binary)
            .await
            .expect("join");
        self.starts += 1;
        let log = self.dir.path().join(format!("serve-{}.log", self.starts));
        let file = std::fs::File::create(&log).expect("server log file");
        let mut command = self.command(&binary, self.starts == 1, port);
        command
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("log file"))
            .stderr(file);
        let mut process = BackendProcess {
            child: command.spawn().expect("start skolportal serve"),
            log,
        };
        process
            .wait_until_ready(&format!("http://127.0.0.1:{port}"))
            .await;
        process
    }

    /// A client without a session, as a browser at the portal's address.
    pub fn anonymous(&self) -> UserClient {
        UserClient::new(&self.address)
    }

    pub async fn personnummer_of(&self, given: &str, family: &str) -> String {
        app::personnummer_of(&self.db, given, family).await
    }

    pub async fn count(&self, sql: &str) -> i64 {
        app::count(&self.db, sql).await
    }
}

/// One running `skolportal serve`. Dropping it (also when a test panics) kills the process.
pub struct BackendProcess {
    child: Child,
    log: PathBuf,
}

impl BackendProcess {
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, then reap: the process gets no chance to finish anything it was doing.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }

    /// What the process printed so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    async fn wait_until_ready(&mut self, address: &str) {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("http client");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("skolportal serve exited ({status}):\n{}", self.log());
            }
            let health = http.get(format!("{address}/api/health")).send().await;
            if matches!(&health, Ok(r) if r.status() == 200) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "skolportal serve did not answer within a minute:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for BackendProcess {
    fn drop(&mut self) {
        // Already gone after `kill`; then these fail harmlessly.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
