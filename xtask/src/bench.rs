//! `cargo xtask bench [http|jobs|lighthouse]`: measurements, not tests; each part alone, or all.
//!
//! - `http`: loads the `stockholm` scale into a throwaway PostgreSQL cluster, serves it with the
//!   release backend, and drives `GET /api/children` ("Mina barn") and `GET /api/start` (the
//!   family's start page) for many logged-in guardians and a bare `GET /api/health` with `wrk` on
//!   loopback, bounded in time; then the morning mix (`bench/morning.rs`), the sync's
//!   reconciliation, and retention of what the requests left (`tests/src/bin/retention-bench.rs`).
//!   Prints figures and holds them against the targets.
//! - `jobs`: the job queue on a throwaway PostgreSQL cluster: two release backend processes,
//!   10 000 jobs, one process SIGKILLed mid-run; checks that every job was done exactly once and
//!   prints jobs per second.
//! - `lighthouse`: the login page and a guardian's first page against a minimal Yew app, with
//!   Lighthouse (see `lighthouse.rs`).

use std::io::Write;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::postgres::{self, Cluster};

mod morning;
use crate::{
    command, is_root, output_of, probe, root, run_checked, setup, spa, target_dir, Result,
};

/// Guardians with a session in the benchmark (each request picks one in turn).
const SESSIONS: u32 = 2000;
const CONNECTIONS: u32 = 32;
const SECONDS: u32 = 20;
const WARM_UP_SECONDS: u32 = 5;

/// A server process, killed when dropped (also when a step fails).
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Debug, Default)]
struct WrkResult {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx: u64,
    requests: u64,
}

fn parse_ms(value: &str) -> Option<f64> {
    let value = value.trim();
    let (number, factor) = if let Some(v) = value.strip_suffix("us") {
        (v, 0.001)
    } else if let Some(v) = value.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = value.strip_suffix('s') {
        (v, 1000.0)
    } else {
        (value, 1.0)
    };
    number.trim().parse::<f64>().ok().map(|n| n * factor)
}

fn parse_wrk(output: &str) -> WrkResult {
    let mut result = WrkResult::default();
    for line in output.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", rps, ..] => result.requests_per_second = rps.parse().unwrap_or(0.0),
            ["50%", v, ..] => result.p50_ms = parse_ms(v).unwrap_or(0.0),
            ["99%", v, ..] => result.p99_ms = parse_ms(v).unwrap_or(0.0),
            ["Non-2xx", "or", "3xx", "responses:", n, ..] => {
                result.non_2xx = n.parse().unwrap_or(0)
            }
            [n, "requests", "in", ..] => result.requests = n.parse().unwrap_or(0),
            _ => {}
        }
    }
    result
}

fn wrk(
    url: &str,
    script: Option<&std::path::Path>,
    seconds: u32,
    connections: u32,
    threads: u32,
) -> Result<WrkResult> {
    let mut cmd = Command::new("wrk");
    cmd.args([
        &format!("-t{threads}"),
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    if let Some(script) = script {
        cmd.arg("-s").arg(script);
    }
    Ok(parse_wrk(&output_of(cmd.arg(url), "wrk")?))
}

fn ensure_wrk() -> Result {
    if probe(Command::new("wrk").arg("--version")).is_some()
        || Command::new("wrk").arg("-v").output().is_ok()
    {
        return Ok(());
    }
    if !is_root() {
        return Err("wrk is missing: sudo apt-get install -y wrk".into());
    }
    run_checked(
        Command::new("apt-get").args(["install", "-y", "-qq", "wrk"]),
        "installing wrk",
    )
}

fn psql(cluster: &Cluster, sql: &str) -> Result<String> {
    let bin = postgres::bin_dir()?.join("psql");
    let output = Command::new(bin)
        .args([
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &cluster.url(),
            "-c",
            sql,
        ])
        .output()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if !output.status.success() {
        return Err(format!("psql: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn memory_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Runs the parts named in `args` (`http`, `jobs`, `lighthouse`; none means all three).
pub fn run(args: &[String]) -> Result {
    let all = args.is_empty();
    let (mut http, mut sync, mut jobs, mut lighthouse) = (all, all, all, all);
    for arg in args {
        match arg.as_str() {
            "http" => http = true,
            "sync" => sync = true,
            "jobs" => jobs = true,
            "lighthouse" => lighthouse = true,
            other => {
                return Err(format!(
                    "unknown bench part `{other}` (http, sync, jobs, lighthouse)"
                ))
            }
        }
    }
    if http {
        run_http()?;
    }
    if sync {
        run_sync()?;
    }
    if jobs {
        run_jobs()?;
    }
    if lighthouse {
        crate::lighthouse::run()?;
    }
    Ok(())
}

/// A wrk script in which each request is a guardian's, in turn (the cookie token is
/// `bench-<n>`).
fn guardian_script(work: &std::path::Path, name: &str, path: &str) -> Result<std::path::PathBuf> {
    let script = work.join(name);
    std::fs::File::create(&script)
        .and_then(|mut f| {
            write!(
                f,
                "local n = 0\nrequest = function()\n  n = n + 1\n  local id = (n % {SESSIONS}) + 1\n  \
                 return wrk.format(\"GET\", \"{path}\", {{[\"Cookie\"] = \"skolportal_session=bench-\" .. id}})\nend\n"
            )
        })
        .map_err(|e| format!("cannot write the wrk script: {e}"))?;
    Ok(script)
}

/// The SS 12000 sync over HTTP at the Stockholm scale (`tests/src/bin/sync-bench.rs`): a full
/// sync into an empty PostgreSQL database, then an incremental one with 1 000 changes.
fn run_sync() -> Result {
    setup::run(setup::Needs::BUILD)?;
    run_checked(
        command("cargo").args([
            "build",
            "--release",
            "-p",
            "skolportal-tests",
            "--bin",
            "sync-bench",
        ]),
        "the sync bench's build",
    )?;
    let bench = target_dir()?.join("release").join("sync-bench");
    let cluster = Cluster::start()?;
    println!("\n== The SS 12000 sync at the stockholm scale, over HTTP from the local source");
    let mut run = Command::new(&bench);
    run.current_dir(root()).args([
        "--database-url",
        &cluster.url(),
        "--scale",
        "stockholm",
        "--changes",
        "1000",
    ]);
    run_checked(&mut run, "the sync bench")
}

fn run_http() -> Result {
    setup::run(setup::Needs::BUILD)?;
    ensure_wrk()?;
    spa::run()?;
    run_checked(
        command("cargo").args(["build", "--release", "-p", "skolportal-backend"]),
        "server build",
    )?;
    run_checked(
        command("cargo").args([
            "build",
            "--release",
            "-p",
            "skolportal-tests",
            "--bin",
            "retention-bench",
        ]),
        "the retention bench's build",
    )?;
    let server = target_dir()?.join("release").join("skolportal");
    let mut cluster = Cluster::start()?;
    let (_mail, smtp_url) = morning::MailSink::start()?;
    let work = std::env::temp_dir().join(format!("skolportal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let env = |cmd: &mut Command| {
        cmd.current_dir(root())
            .env("DATABASE_URL", cluster.url())
            .env("SKOLPORTAL_BANKID__SIGNING_KEY_PATH", work.join("key.pem"))
            .env("SKOLPORTAL_NOTICES__SMTP_URL", &smtp_url)
            // A notice is composed as soon as the mark is saved, so the mix shows its mail.
            .env("SKOLPORTAL_NOTICES__ABSENCE_GATHER_MINUTES", "0")
            .env("SKOLPORTAL_LOG__LEVEL", "warn");
    };

    println!("\n== Loading the stockholm scale into PostgreSQL");
    let started = Instant::now();
    let mut seed = Command::new(&server);
    seed.args(["seed", "--scale", "stockholm"]);
    env(&mut seed);
    run_checked(&mut seed, "loading the stockholm scale")?;
    let load_seconds = started.elapsed().as_secs_f64();
    let persons = psql(&cluster, "SELECT COUNT(*) FROM person")?;
    let lessons = psql(&cluster, "SELECT COUNT(*) FROM lesson")?;

    // Sessions for guardians, as a login would leave them (the cookie token is `bench-<n>`).
    psql(
        &cluster,
        &format!(
            "INSERT INTO session (id, municipality_id, person_id, auth_method, must_change_password, created_at, last_seen_at, expires_at) \
             SELECT encode(sha256(('bench-' || rn)::bytea), 'hex'), municipality_id, adult_id, 'password', false, now(), now(), now() + interval '12 hours' \
             FROM (SELECT adult_id, municipality_id, row_number() OVER (ORDER BY adult_id) AS rn \
                   FROM (SELECT DISTINCT adult_id, municipality_id FROM guardianship) d) s WHERE rn <= {SESSIONS}"
        ),
    )?;
    // A database that has just been loaded is vacuumed by autovacuum as soon as it can, which
    // would take the CPU in the middle of a measurement; a production database is settled.
    psql(&cluster, "VACUUM ANALYZE")?;
    psql(&cluster, "CHECKPOINT")?;

    let port = postgres::free_port()?;
    let mut serve = Command::new(&server);
    serve.arg("serve").stdout(Stdio::null());
    env(&mut serve);
    serve.env("SKOLPORTAL_SERVER__LISTEN", format!("127.0.0.1:{port}"));
    let child = serve
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let pid = child.id();
    let serving = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err("the server did not start".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let base = format!("http://127.0.0.1:{port}");

    let children_script = guardian_script(&work, "children.lua", "/api/children")?;
    let start_script = guardian_script(&work, "start.lua", "/api/start")?;

    println!(
        "== wrk: {CONNECTIONS} connections, {SECONDS} s each after {WARM_UP_SECONDS} s of warm-up, on loopback"
    );
    // Each is measured warm: the pool full, each connection's statements prepared and planned.
    let health_url = format!("{base}/api/health");
    let (children_url, start_url) = (format!("{base}/api/children"), format!("{base}/api/start"));
    let _ = wrk(&health_url, None, WARM_UP_SECONDS, CONNECTIONS, 2);
    let health = wrk(&health_url, None, SECONDS, CONNECTIONS, 2)?;
    let _ = wrk(
        &children_url,
        Some(&children_script),
        WARM_UP_SECONDS,
        CONNECTIONS,
        2,
    );
    let children = wrk(
        &children_url,
        Some(&children_script),
        SECONDS,
        CONNECTIONS,
        2,
    )?;
    let _ = wrk(
        &start_url,
        Some(&start_script),
        WARM_UP_SECONDS,
        CONNECTIONS,
        2,
    );
    let start = wrk(&start_url, Some(&start_script), SECONDS, CONNECTIONS, 2)?;
    for (path, result) in [("/api/children", &children), ("/api/start", &start)] {
        if result.non_2xx > 0 {
            return Err(format!(
                "{} of the {path} requests failed: the benchmark is not valid",
                result.non_2xx
            ));
        }
    }
    let rss = memory_kib(pid, "VmRSS:");
    let peak = memory_kib(pid, "VmHWM:");
    let access_rows = psql(&cluster, "SELECT COUNT(*) FROM access_log")?;

    println!(
        "\n== Morning mix: start page, absence reports and attendance saves at once, {SECONDS} s after {WARM_UP_SECONDS} s of warm-up"
    );
    let morning = morning::run(&cluster, port, &work, SESSIONS)?;

    // The sync's full reconciliation of the same source, and of one with 1 000 changes.
    println!("\n== Reconciling the stockholm scale with its source");
    let mut resync = Command::new(&server);
    resync.args(["resync-demo", "--scale", "stockholm"]);
    env(&mut resync);
    let resync_figures = output_of(&mut resync, "resync-demo")?;

    // Retention takes its steps itself, so nothing else may run jobs on the database meanwhile.
    drop(serving);
    println!("\n== Retention (gallring) of what the requests left, with more weeks of it");
    let mut retention = Command::new(target_dir()?.join("release").join("retention-bench"));
    retention
        .current_dir(root())
        .args(["--database-url", &cluster.url()]);
    let retention_figures = output_of(&mut retention, "the retention bench")?;

    println!("\n== SPA (wasm + JS)");
    let (spa_raw, spa_brotli) = spa::print_sizes(&root().join("dist"))?;

    let ratio = children.requests_per_second / health.requests_per_second.max(1.0);
    println!("\n== Figures");
    println!(
        "load --scale stockholm:  {load_seconds:.1} s ({persons} persons, {lessons} weekly lessons)"
    );
    println!(
        "GET /api/health:         {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms",
        health.requests_per_second, health.p50_ms, health.p99_ms
    );
    println!("GET /api/children:       {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} requests, {SESSIONS} guardians, {access_rows} access-log rows written)", children.requests_per_second, children.p50_ms, children.p99_ms, children.requests);
    println!(
        "GET /api/start:          {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} requests)",
        start.requests_per_second, start.p50_ms, start.p99_ms, start.requests
    );
    morning.print();
    print!("{resync_figures}");
    print!("{retention_figures}");
    println!("children / health:       {:.0} %", ratio * 100.0);
    let start_ratio = start.requests_per_second / children.requests_per_second.max(1.0);
    println!("start / children:        {:.0} %", start_ratio * 100.0);
    println!(
        "backend memory:          {} MiB now, {} MiB peak",
        rss / 1024,
        peak / 1024
    );
    println!(
        "SPA wasm+JS:             {} KiB raw, {} KiB brotli",
        spa_raw / 1024,
        spa_brotli / 1024
    );
    println!("\n== Against the targets");
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    println!(
        "children ≥ 50 % of health throughput: {}",
        verdict(ratio >= 0.5)
    );
    println!(
        "children p99 ≤ 20 ms:                 {}",
        verdict(children.p99_ms <= 20.0)
    );
    println!(
        "start ≥ 60 % of children throughput:  {}",
        verdict(start_ratio >= 0.6)
    );
    println!(
        "start p99 ≤ 20 ms:                    {}",
        verdict(start.p99_ms <= 20.0)
    );
    println!(
        "morning mix ≥ 3000 req/s:             {}",
        verdict(morning.total_per_second() >= 3000.0)
    );
    println!(
        "morning mix 70 : 20 : 10 (± 3 points): {}",
        verdict(morning.shares_as_asked())
    );
    println!(
        "morning mix p99 ≤ 50 ms (each part):  {}",
        verdict(morning.worst_p99_ms() <= 50.0)
    );
    println!(
        "each app ≤ 250 KB brotli:             {}",
        verdict(spa_brotli <= 250 * 1000)
    );
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(())
}

/// Jobs in the job-queue measurement.
const JOBS: u64 = 10_000;
/// Done jobs after which one process is killed.
const KILL_AFTER: u64 = 3_000;
/// The claim lease in the measurement: the killed process's claims wait this long.
const LEASE_SECONDS: u64 = 5;

fn run_jobs() -> Result {
    run_checked(
        command("cargo").args(["build", "--release", "-p", "skolportal-backend"]),
        "server build",
    )?;
    let server = target_dir()?.join("release").join("skolportal");
    let mut cluster = Cluster::start()?;
    let work = std::env::temp_dir().join(format!("skolportal-bench-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let env = |cmd: &mut Command| {
        cmd.current_dir(&work)
            .env("DATABASE_URL", cluster.url())
            .env("SKOLPORTAL_BANKID__SIGNING_KEY_PATH", work.join("key.pem"))
            .env("SKOLPORTAL_SERVER__STATIC_DIR", work.join("no-spa"))
            .env("SKOLPORTAL_JOBS__LEASE_SECONDS", LEASE_SECONDS.to_string())
            .env("SKOLPORTAL_LOG__LEVEL", "warn");
    };
    let mut migrate = Command::new(&server);
    migrate.arg("migrate").stdout(Stdio::null());
    env(&mut migrate);
    run_checked(&mut migrate, "migrating")?;

    println!(
        "\n== Job queue: two backend processes, {JOBS} jobs, one SIGKILLed after {KILL_AFTER}"
    );
    let mut processes = Vec::new();
    for _ in 0..2 {
        let port = postgres::free_port()?;
        let mut serve = Command::new(&server);
        serve.arg("serve").stdout(Stdio::null());
        env(&mut serve);
        serve.env("SKOLPORTAL_SERVER__LISTEN", format!("127.0.0.1:{port}"));
        let child = serve
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        processes.push((Server(child), port));
    }
    for (_, port) in &processes {
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", *port)).is_err() {
            if Instant::now() > deadline {
                return Err("a server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let count = |sql: &str| -> Result<u64> {
        let text = psql(&cluster, sql)?;
        text.parse()
            .map_err(|_| format!("`{sql}` gave {text:?}, not a number"))
    };
    const DONE: &str =
        "SELECT COUNT(*) FROM job WHERE kind = 'queue_check' AND done_at IS NOT NULL";
    const OPEN: &str = "SELECT COUNT(*) FROM job WHERE kind = 'queue_check' AND done_at IS NULL AND parked_at IS NULL";

    // Enqueued in one transaction by the operator command; the clock starts when it commits.
    let mut enqueue = Command::new(&server);
    enqueue
        .args(["jobs", "check", &JOBS.to_string()])
        .stdout(Stdio::null());
    env(&mut enqueue);
    run_checked(&mut enqueue, "enqueueing the jobs")?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(600);
    let mut done = count(DONE)?;
    while done < KILL_AFTER {
        if Instant::now() > deadline {
            return Err(format!("only {done} jobs done after 10 minutes"));
        }
        std::thread::sleep(Duration::from_millis(20));
        done = count(DONE)?;
    }
    let (mut killed, _) = processes.remove(0);
    let killed_pid = killed.0.id();
    // SIGKILL: no shutdown code runs.
    killed
        .0
        .kill()
        .map_err(|e| format!("cannot kill the server: {e}"))?;
    let _ = killed.0.wait();
    let until_kill = started.elapsed().as_secs_f64();
    let done_at_kill = count(DONE)?;
    let orphaned = count(&format!(
        "SELECT COUNT(*) FROM job WHERE done_at IS NULL AND claimed_by LIKE '%:{killed_pid}/%'"
    ))?;
    while count(OPEN)? > 0 {
        if Instant::now() > deadline {
            return Err("the jobs were not all done within 10 minutes".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let total = started.elapsed().as_secs_f64();

    let jobs_done = count(DONE)?;
    let runs_done =
        count("SELECT COUNT(*) FROM job_run WHERE kind = 'queue_check' AND outcome = 'done'")?;
    let doubled = count(
        "SELECT COUNT(*) FROM (SELECT job_id FROM job_run WHERE outcome = 'done' \
         GROUP BY job_id HAVING COUNT(*) > 1) d",
    )?;
    let taken_over = count("SELECT COUNT(*) FROM job WHERE kind = 'queue_check' AND attempts > 1")?;
    let parked = count("SELECT COUNT(*) FROM job WHERE parked_at IS NOT NULL")?;
    let by_process = psql(
        &cluster,
        "SELECT split_part(instance, '/', 1) || ' ' || COUNT(*) FROM job_run \
         WHERE kind = 'queue_check' AND outcome = 'done' \
         GROUP BY split_part(instance, '/', 1) ORDER BY 1",
    )?;
    println!("\n== Figures (job queue, PostgreSQL, 2 processes × 2 workers, batches of 10)");
    println!(
        "two processes:           {:>8.0} jobs/s  ({done_at_kill} jobs in {until_kill:.2} s, until the kill)",
        done_at_kill as f64 / until_kill
    );
    println!(
        "whole run:               {:>8.0} jobs/s  ({JOBS} jobs in {total:.2} s, with the {LEASE_SECONDS} s lease before the takeover)",
        JOBS as f64 / total
    );
    println!("claimed by the killed process, finished by the other: {orphaned} (jobs with more than one attempt: {taken_over})");
    println!(
        "done runs per process:   {}",
        by_process.replace('\n', ", ")
    );
    println!("\n== Checks");
    let verdict = |ok: bool| if ok { "yes" } else { "NO" };
    let exactly_once = jobs_done == JOBS && runs_done == JOBS && doubled == 0 && parked == 0;
    println!(
        "every job done:                 {} ({jobs_done} of {JOBS})",
        verdict(jobs_done == JOBS)
    );
    println!("each done exactly once:         {} ({runs_done} finished runs, {doubled} jobs with more than one)", verdict(runs_done == JOBS && doubled == 0));
    println!(
        "the killed process's claims taken over: {} ({orphaned})",
        verdict(orphaned > 0)
    );
    drop(processes);
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&work);
    if exactly_once {
        Ok(())
    } else {
        Err("the job queue did not do every job exactly once".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_output_is_read() {
        let out = "Running 20s test @ http://127.0.0.1:1/api/health\n  Latency Distribution\n     50%  512.00us\n     99%    4.20ms\n  81234 requests in 20.00s, 9.1MB read\nRequests/sec:   4061.70\n";
        let r = parse_wrk(out);
        assert_eq!(r.requests, 81234);
        assert!((r.p50_ms - 0.512).abs() < 1e-9);
        assert!((r.p99_ms - 4.2).abs() < 1e-9);
        assert!((r.requests_per_second - 4061.7).abs() < 1e-9);
    }
}
