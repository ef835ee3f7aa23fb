//! Throwaway PostgreSQL clusters: one per `cargo xtask test` run (and later per benchmark).
//!
//! [`Cluster::start`] makes a temporary directory, runs `initdb` and `pg_ctl start` on a free
//! loopback port with durability switched off (fast, and nothing is worth keeping). Dropping the
//! cluster stops it and removes the directory. Because a Ctrl-C kills this process before any
//! destructor runs (std cannot catch signals), a small watchdog shell that ignores SIGINT waits
//! for this process to go away and then does the same cleanup.
//!
//! `initdb` refuses to run as root; as root, every PostgreSQL program runs as the `postgres`
//! user (`runuser -u postgres --`) on a directory that user owns.

use crate::{describe, is_root, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The preferred major version: what the production servers run.
const PREFERRED_MAJOR: &str = "15";

/// The directory with `initdb`, `pg_ctl` and `postgres`: `$SKOLPORTAL_PG_BIN`, else
/// `/usr/lib/postgresql/15/bin`, else the newest `/usr/lib/postgresql/*/bin` (Debian's layout).
pub fn bin_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("SKOLPORTAL_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if dir.join("initdb").exists() {
            Ok(dir)
        } else {
            Err(format!("SKOLPORTAL_PG_BIN={} has no initdb", dir.display()))
        };
    }
    let base = Path::new("/usr/lib/postgresql");
    let preferred = base.join(PREFERRED_MAJOR).join("bin");
    if preferred.join("initdb").exists() {
        return Ok(preferred);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(base)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((major, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| {
        "PostgreSQL not found in /usr/lib/postgresql/*/bin (as root: apt-get install -y \
         postgresql; or set SKOLPORTAL_PG_BIN)"
            .to_string()
    })
}

/// A loopback port that was free a moment ago (bind to port 0, read it, let it go).
pub fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// A running throwaway cluster; stopped and deleted on drop.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres_user: bool,
    running: bool,
    watchdog: Option<Child>,
}

impl Cluster {
    /// initdb + start on a free port. Prints one line when the cluster is up.
    pub fn start() -> Result<Cluster> {
        let bin = bin_dir()?;
        let as_postgres_user = is_root();
        // As root the postgres user must reach the directory: /tmp, not root's $TMPDIR.
        let base = if as_postgres_user {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = base.join(format!("skolportal-pg-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        // From here on, dropping `cluster` cleans up whatever was made.
        let mut cluster = Cluster {
            dir,
            bin,
            port: 0,
            as_postgres_user,
            running: false,
            watchdog: None,
        };
        if as_postgres_user {
            let mut chown = Command::new("chown");
            chown.args(["postgres:", path_str(&cluster.dir)?]);
            cluster.quiet(&mut chown, "chown of the cluster directory")?;
        }
        let data = cluster.data_dir();
        let mut initdb = cluster.pg_command("initdb");
        initdb.args(["-D", path_str(&data)?, "-U", "postgres", "--auth=trust"]);
        initdb.args(["-E", "UTF8", "--locale=C", "--no-sync"]);
        cluster.quiet(&mut initdb, "initdb")?;

        cluster.watchdog = cluster.spawn_watchdog().ok();
        let mut last_error = String::new();
        for _attempt in 0..3 {
            cluster.port = free_port()?;
            cluster.running = true; // a failed `pg_ctl start -w` may still leave a server
            match cluster.pg_ctl_start() {
                Ok(()) => {
                    println!(
                        "✓ PostgreSQL cluster on 127.0.0.1:{} in {}",
                        cluster.port,
                        cluster.dir.display()
                    );
                    return Ok(cluster);
                }
                // Most likely someone took the port in between; try another.
                Err(e) => last_error = e,
            }
        }
        Err(last_error)
    }

    /// URL of the `postgres` database as the superuser `postgres` (trust authentication).
    pub fn url(&self) -> String {
        self.url_for("postgres")
    }

    pub fn url_for(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Stops the server (fast shutdown). Also done by drop; call it to see errors.
    pub fn stop(&mut self) -> Result {
        if !self.running {
            return Ok(());
        }
        self.running = false;
        let data = self.data_dir();
        let mut cmd = self.pg_command("pg_ctl");
        cmd.args(["-D", path_str(&data)?, "-m", "fast", "-w", "stop"]);
        self.quiet(&mut cmd, "pg_ctl stop")
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    fn pg_ctl_start(&self) -> Result {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=200",
            self.port,
            path_str(&self.dir)?
        );
        let data = self.data_dir();
        let log = self.log_file();
        let mut cmd = self.pg_command("pg_ctl");
        cmd.args([
            "-D",
            path_str(&data)?,
            "-l",
            path_str(&log)?,
            "-o",
            &options,
        ]);
        cmd.args(["-w", "-t", "60", "start"]);
        self.quiet(&mut cmd, "pg_ctl start").map_err(|e| {
            let log = std::fs::read_to_string(self.log_file()).unwrap_or_default();
            format!("{e}\nserver log:\n{log}")
        })
    }

    /// A PostgreSQL program, run as the postgres user when we are root.
    fn pg_command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut cmd = if self.as_postgres_user {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        };
        // initdb fails when it cannot read its working directory (root's home, say).
        cmd.current_dir(&self.dir);
        cmd
    }

    /// Runs `cmd` with its output captured; shows the output only when it fails.
    fn quiet(&self, cmd: &mut Command, what: &str) -> Result {
        let output = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{what}: cannot start `{}`: {e}", describe(cmd)))?;
        if output.status.success() {
            return Ok(());
        }
        Err(format!(
            "{what} failed ({}): `{}`\n{}{}",
            output.status,
            describe(cmd),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }

    /// A shell that ignores Ctrl-C, waits until this process is gone, then stops the cluster
    /// and removes its directory. It ends by itself once drop has removed the directory.
    fn spawn_watchdog(&self) -> std::io::Result<Child> {
        const SCRIPT: &str = r#"
            trap '' INT TERM HUP
            # Alive: exists and is no zombie (an orphaned zombie may linger unreaped).
            alive() {
                [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ] &&
                    kill -0 "$1" 2>/dev/null
            }
            while alive "$1" && [ -d "$2" ]; do sleep 0.5; done
            [ -d "$2" ] || exit 0
            if [ "$4" = yes ]; then
                runuser -u postgres -- "$3/pg_ctl" -D "$2/data" -m fast -w stop
            else
                "$3/pg_ctl" -D "$2/data" -m fast -w stop
            fi
            rm -rf "$2"
        "#;
        Command::new("sh")
            .args(["-c", SCRIPT, "pg-watchdog"])
            .arg(std::process::id().to_string())
            .arg(&self.dir)
            .arg(&self.bin)
            .arg(if self.as_postgres_user { "yes" } else { "no" })
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("warning: {e}");
        }
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            eprintln!("warning: cannot remove {}: {e}", self.dir.display());
        }
        // The directory is gone, so the watchdog ends within half a second; reap it.
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.wait();
        }
    }
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .ok_or_else(|| format!("path is not UTF-8: {}", path.display()))
}
