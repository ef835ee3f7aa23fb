//! `cargo xtask bench lighthouse`: the families' login page and a guardian's first page after
//! login, measured with Lighthouse (mobile, simulated throttling) beside the floor: a minimal Yew
//! app (`frontend/src/bin/floor.rs`) built with the real apps' Trunk settings and served by a
//! second release backend, so that it gets the same compression, caching headers and CSP. Every
//! page is measured three times, the rounds interleaved so that the machine's load falls on all
//! three alike, and the medians are printed against issue #14's targets. A measurement, not a
//! test: it fails only when it cannot measure.

use std::fmt;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::bench::Server;
use crate::{command, postgres, root, run_checked, setup, spa, target_dir, Result};

/// Runs per page; the median of each metric is reported.
const RUNS: usize = 3;
/// A demo guardian who logs in with a password alone (no second factor, no password to change).
const GUARDIAN: &str = "anna";
const GUARDIAN_PASSWORD: &str = "Solvik2026";
/// The backend's session cookie (`backend/src/auth/session.rs`).
const SESSION_COOKIE: &str = "skolportal_session";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Issue #14's targets for the login page and the guardian's first page.
const LCP_RATIO_TARGET: f64 = 1.3;
const TTI_RATIO_TARGET: f64 = 1.5;
const PERFORMANCE_TARGET: f64 = 0.95;
const ACCESSIBILITY_TARGET: f64 = 1.0;

/// The pages measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    /// The floor app's only page, on the floor's backend, served as its file.
    Floor,
    /// The login page at `/login`, logged out: the server's own page, without an app.
    Login,
    /// The families' app at `/` with a guardian's session: what they see first after login.
    Guardian,
}

impl Page {
    const ALL: [Page; 3] = [Page::Floor, Page::Login, Page::Guardian];

    fn name(self) -> &'static str {
        match self {
            Page::Floor => "floor",
            Page::Login => "login",
            Page::Guardian => "guardian",
        }
    }

    fn path(self) -> &'static str {
        match self {
            // The floor's shell as a file: `/` without a session is sent to `/login`.
            Page::Floor => "/index.html",
            Page::Guardian => "/",
            Page::Login => "/login",
        }
    }

    /// Whether a run that ended at `path` measured this page (a guardian sent to the login
    /// page, or one whose password must be changed first, measured something else).
    fn ended_where_expected(self, path: &str) -> bool {
        match self {
            Page::Floor => path == "/index.html",
            Page::Login => path == "/login" || path.starts_with("/login?"),
            Page::Guardian => !path.starts_with("/login") && !path.starts_with("/password"),
        }
    }
}

/// Why a Lighthouse report could not be read.
#[derive(Debug)]
enum ReportError {
    Json(serde_json::Error),
    /// Lighthouse ran but could not load the page (`runtimeError`).
    Runtime {
        code: String,
        message: String,
    },
    /// A field every performance + accessibility report has is missing or not a number.
    Missing(String),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Json(e) => write!(f, "not a Lighthouse JSON report: {e}"),
            ReportError::Runtime { code, message } => {
                write!(
                    f,
                    "Lighthouse could not measure the page ({code}): {message}"
                )
            }
            ReportError::Missing(field) => {
                write!(
                    f,
                    "the report has no {field} (is it a Lighthouse 13 report?)"
                )
            }
        }
    }
}

/// An accessibility audit that did not pass.
#[derive(Debug, Clone, PartialEq)]
struct FailingAudit {
    id: String,
    title: String,
}

/// The element Lighthouse took as the largest contentful paint.
#[derive(Debug, Clone, PartialEq)]
struct LcpElement {
    selector: String,
    snippet: String,
    label: String,
}

/// What one Lighthouse run says about a page.
#[derive(Debug, Clone, PartialEq)]
struct Report {
    lighthouse_version: String,
    final_url: String,
    lcp_ms: f64,
    /// `audits.interactive`: Lighthouse 13.5 still reports it, but it is deprecated upstream;
    /// when a later version drops it, the column says so rather than show something else.
    tti_ms: Option<f64>,
    tbt_ms: f64,
    cls: f64,
    fcp_ms: f64,
    performance: f64,
    accessibility: f64,
    failing_accessibility: Vec<FailingAudit>,
    lcp_element: Option<LcpElement>,
    /// The LCP's subparts (time to first byte, load delay, render delay …), in ms.
    lcp_subparts: Vec<(String, f64)>,
    /// The elements that moved (`layout-shifts`): selector and their share of the CLS.
    layout_shifts: Vec<(String, f64)>,
    /// Bytes over the wire (`total-byte-weight`).
    transfer_bytes: Option<f64>,
    warnings: Vec<String>,
}

fn parse_report(json: &str) -> Result<Report, ReportError> {
    let report: Value = serde_json::from_str(json).map_err(ReportError::Json)?;
    if let Some(error) = report.get("runtimeError") {
        return Err(ReportError::Runtime {
            code: text(error, "code"),
            message: text(error, "message"),
        });
    }
    let audits = &report["audits"];
    let number = |pointer: &str| {
        report
            .pointer(pointer)
            .and_then(Value::as_f64)
            .ok_or_else(|| ReportError::Missing(pointer.to_string()))
    };
    let metric = |id: &str| number(&format!("/audits/{id}/numericValue"));
    let final_url = report
        .get("finalDisplayedUrl")
        .or_else(|| report.get("finalUrl"))
        .and_then(Value::as_str)
        .ok_or_else(|| ReportError::Missing("finalDisplayedUrl".into()))?
        .to_string();
    Ok(Report {
        lighthouse_version: text(&report, "lighthouseVersion"),
        final_url,
        lcp_ms: metric("largest-contentful-paint")?,
        tti_ms: metric("interactive").ok(),
        tbt_ms: metric("total-blocking-time")?,
        cls: metric("cumulative-layout-shift")?,
        fcp_ms: metric("first-contentful-paint")?,
        performance: number("/categories/performance/score")?,
        accessibility: number("/categories/accessibility/score")?,
        failing_accessibility: failing_audits(&report, audits),
        lcp_element: lcp_element(audits),
        lcp_subparts: lcp_subparts(audits),
        layout_shifts: layout_shifts(audits),
        transfer_bytes: metric("total-byte-weight").ok(),
        warnings: report["runWarnings"]
            .as_array()
            .map(|w| {
                w.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn text(value: &Value, field: &str) -> String {
    value[field].as_str().unwrap_or_default().to_string()
}

/// The accessibility category's weighted audits that scored below 1 or could not run.
fn failing_audits(report: &Value, audits: &Value) -> Vec<FailingAudit> {
    let refs = report
        .pointer("/categories/accessibility/auditRefs")
        .and_then(Value::as_array);
    refs.into_iter()
        .flatten()
        .filter(|r| r["weight"].as_f64().is_some_and(|w| w > 0.0))
        .filter_map(|r| r["id"].as_str())
        .filter(|id| {
            let audit = &audits[*id];
            audit["score"].as_f64().is_some_and(|s| s < 1.0)
                || audit["scoreDisplayMode"].as_str() == Some("error")
        })
        .map(|id| FailingAudit {
            id: id.to_string(),
            title: text(&audits[id], "title"),
        })
        .collect()
}

/// The LCP element: Lighthouse ≤ 12 had a `largest-contentful-paint-element` audit; 13 keeps
/// the node in the `lcp-breakdown-insight`'s details.
fn lcp_element(audits: &Value) -> Option<LcpElement> {
    ["largest-contentful-paint-element", "lcp-breakdown-insight"]
        .iter()
        .find_map(|id| find_node(&audits[*id]["details"]))
        .map(|node| LcpElement {
            selector: text(node, "selector"),
            snippet: text(node, "snippet"),
            label: text(node, "nodeLabel"),
        })
}

/// The first `{"type": "node", …}` anywhere in `value`.
fn find_node(value: &Value) -> Option<&Value> {
    match value {
        Value::Object(map) if map.get("type").and_then(Value::as_str) == Some("node") => {
            Some(value)
        }
        Value::Object(map) => map.values().find_map(find_node),
        Value::Array(items) => items.iter().find_map(find_node),
        _ => None,
    }
}

fn lcp_subparts(audits: &Value) -> Vec<(String, f64)> {
    let tables = audits["lcp-breakdown-insight"]["details"]["items"].as_array();
    tables
        .into_iter()
        .flatten()
        .filter(|item| item["type"].as_str() == Some("table"))
        .filter_map(|table| table["items"].as_array())
        .flatten()
        .filter_map(|row| {
            Some((
                row["label"].as_str()?.to_string(),
                row["duration"].as_f64()?,
            ))
        })
        .collect()
}

fn layout_shifts(audits: &Value) -> Vec<(String, f64)> {
    let rows = audits["layout-shifts"]["details"]["items"].as_array();
    rows.into_iter()
        .flatten()
        .filter_map(|row| Some((text(&row["node"], "selector"), row["score"].as_f64()?)))
        .filter(|(selector, _)| !selector.is_empty())
        .collect()
}

/// The path (and query) of an absolute URL: `http://host:1/login?x` → `/login?x`.
fn url_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("/", |slash| &after_scheme[slash..])
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// A page's medians over its runs.
#[derive(Debug)]
struct Summary {
    lcp_ms: f64,
    /// `None` when any run lacked the `interactive` audit.
    tti_ms: Option<f64>,
    tbt_ms: f64,
    cls: f64,
    fcp_ms: f64,
    performance: f64,
    accessibility: f64,
    transfer_bytes: Option<f64>,
    /// The run with the median LCP, for its LCP element and subparts.
    typical: Report,
    /// Every accessibility audit that failed in any run.
    failing_accessibility: Vec<FailingAudit>,
}

fn summarize(reports: &[Report]) -> Option<Summary> {
    let of = |f: fn(&Report) -> f64| median(reports.iter().map(f).collect());
    let lcp_ms = of(|r| r.lcp_ms)?;
    let tti: Option<Vec<f64>> = reports.iter().map(|r| r.tti_ms).collect();
    let typical = reports
        .iter()
        .min_by(|a, b| {
            (a.lcp_ms - lcp_ms)
                .abs()
                .total_cmp(&(b.lcp_ms - lcp_ms).abs())
        })?
        .clone();
    let mut failing_accessibility: Vec<FailingAudit> = Vec::new();
    for audit in reports.iter().flat_map(|r| &r.failing_accessibility) {
        if !failing_accessibility.iter().any(|a| a.id == audit.id) {
            failing_accessibility.push(audit.clone());
        }
    }
    Some(Summary {
        lcp_ms,
        tti_ms: tti.and_then(median),
        tbt_ms: of(|r| r.tbt_ms)?,
        cls: of(|r| r.cls)?,
        fcp_ms: of(|r| r.fcp_ms)?,
        performance: of(|r| r.performance)?,
        accessibility: of(|r| r.accessibility)?,
        transfer_bytes: reports
            .iter()
            .map(|r| r.transfer_bytes)
            .collect::<Option<Vec<f64>>>()
            .and_then(median),
        typical,
        failing_accessibility,
    })
}

/// Runs the Lighthouse part of `cargo xtask bench`.
pub fn run() -> Result {
    setup::run(setup::Needs::BUILD)?;
    if !Path::new(CHROMIUM).exists() {
        return Err(format!(
            "{CHROMIUM} is missing: `cargo xtask setup` installs it (Debian's chromium)"
        ));
    }
    let lighthouse_dir = root().join("tools").join("lighthouse");
    setup::npm_ci(&lighthouse_dir, "tools/lighthouse/")?;
    let lighthouse = lighthouse_dir
        .join("node_modules")
        .join(".bin")
        .join("lighthouse");

    spa::run()?;
    let out = target_dir()?.join("bench-lighthouse");
    let floor_dist = out.join("floor-dist");
    println!(
        "\n== The floor app (frontend/apps/floor.html) into {}",
        floor_dist.display()
    );
    spa::trunk_build(
        Some(&root().join("frontend").join("apps").join("floor.html")),
        &floor_dist,
    )?;
    spa::minify_glue(&floor_dist.join("index.html"), &floor_dist)?;
    let floor_assets = spa::files_with_extension(&floor_dist, "wasm")?
        .into_iter()
        .chain(spa::files_with_extension(&floor_dist, "js")?)
        .collect::<Vec<_>>();
    spa::print_app_sizes(&floor_assets);

    run_checked(
        command("cargo").args(["build", "--release", "-p", "skolportal-backend"]),
        "server build",
    )?;
    let server = target_dir()?.join("release").join("skolportal");
    let work = std::env::temp_dir().join(format!("skolportal-bench-lh-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let reports_dir = out.join("reports");
    std::fs::create_dir_all(&reports_dir)
        .map_err(|e| format!("cannot create {}: {e}", reports_dir.display()))?;

    let result = measure(&server, &work, &floor_dist, &lighthouse, &reports_dir);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn measure(
    server: &Path,
    work: &Path,
    floor_dist: &Path,
    lighthouse: &Path,
    reports_dir: &Path,
) -> Result {
    println!("\n== Two release backends on SQLite: the portal (demo data, dist/) and the floor");
    let portal = Backend::new(server, work, "portal", &root().join("dist"))?;
    let mut seed = portal.command("seed");
    run_checked(&mut seed, "seeding the demo data")?;
    let (_portal_server, portal_port) = portal.serve()?;
    let (_floor_server, floor_port) = Backend::new(server, work, "floor", floor_dist)?.serve()?;
    let cookie = log_in(portal_port, GUARDIAN, GUARDIAN_PASSWORD)?;

    let mut reports: Vec<(Page, Report)> = Vec::new();
    let started = Instant::now();
    let load_before = load_average();
    for round in 1..=RUNS {
        for page in Page::ALL {
            let port = match page {
                Page::Floor => floor_port,
                Page::Login | Page::Guardian => portal_port,
            };
            let url = format!("http://127.0.0.1:{port}{}", page.path());
            let session = (page == Page::Guardian).then_some(cookie.as_str());
            let path = reports_dir.join(format!("{}-{round}.json", page.name()));
            println!(
                "▶ lighthouse {url} ({}, run {round} of {RUNS})",
                page.name()
            );
            // Lighthouse now and then loses its own trace (NO_NAVSTART, NO_FCP); such a run
            // says nothing about the page, so it is run once more before the bench gives up.
            let report = match run_lighthouse(lighthouse, &url, session, &path) {
                Ok(report) => report,
                Err(error) => {
                    println!("  (run failed, trying once more: {error})");
                    run_lighthouse(lighthouse, &url, session, &path)?
                }
            };
            let ended = url_path(&report.final_url);
            if !page.ended_where_expected(ended) {
                return Err(format!(
                    "the {} page ended at {ended}, so it measured another page (report: {})",
                    page.name(),
                    path.display()
                ));
            }
            reports.push((page, report));
        }
    }
    // Lighthouse's simulated throttling slows the CPU 4× on top of whatever else runs here:
    // figures from a busy machine are only comparable within their run.
    println!(
        "({} Lighthouse runs in {}; load average {} before, {} after)",
        reports.len(),
        crate::format_duration(started.elapsed()),
        load_before,
        load_average()
    );
    let summaries = Page::ALL
        .iter()
        .map(|page| {
            let runs: Vec<Report> = reports
                .iter()
                .filter(|(p, _)| p == page)
                .map(|(_, r)| r.clone())
                .collect();
            summarize(&runs)
                .map(|s| (*page, s))
                .ok_or_else(|| format!("no Lighthouse run for the {} page", page.name()))
        })
        .collect::<Result<Vec<_>>>()?;
    print_figures(&summaries, &reports, reports_dir);
    Ok(())
}

/// The 1-minute load average (Linux), or `?`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// One release backend on its own SQLite file and SPA directory.
struct Backend<'a> {
    server: &'a Path,
    database: String,
    static_dir: PathBuf,
    signing_key: PathBuf,
}

impl<'a> Backend<'a> {
    fn new(server: &'a Path, work: &Path, name: &str, static_dir: &Path) -> Result<Self> {
        if !static_dir.join("index.html").is_file() {
            return Err(format!("{} has no index.html", static_dir.display()));
        }
        Ok(Self {
            server,
            database: format!(
                "sqlite://{}?mode=rwc",
                work.join(format!("{name}.db")).display()
            ),
            static_dir: static_dir.to_path_buf(),
            signing_key: work.join(format!("{name}-key.pem")),
        })
    }

    fn command(&self, subcommand: &str) -> Command {
        let mut cmd = Command::new(self.server);
        cmd.current_dir(root())
            .arg(subcommand)
            .env("DATABASE_URL", &self.database)
            .env("SKOLPORTAL_SERVER__STATIC_DIR", &self.static_dir)
            .env("SKOLPORTAL_BANKID__SIGNING_KEY_PATH", &self.signing_key)
            .env("SKOLPORTAL_LOG__LEVEL", "warn");
        cmd
    }

    /// `skolportal serve` on a free port, once it accepts connections.
    fn serve(&self) -> Result<(Server, u16)> {
        let port = postgres::free_port()?;
        let mut serve = self.command("serve");
        serve
            .env("SKOLPORTAL_SERVER__LISTEN", format!("127.0.0.1:{port}"))
            .env(
                "SKOLPORTAL_SERVER__PUBLIC_BASE_URL",
                format!("http://127.0.0.1:{port}"),
            )
            .stdout(Stdio::null());
        let child = serve
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let server = Server(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err(format!(
                    "the server for {} did not start",
                    self.static_dir.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok((server, port))
    }
}

/// Logs in over HTTP as the SPA does and returns the `name=value` of the session cookie.
fn log_in(port: u16, username: &str, password: &str) -> Result<String> {
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    let request = format!(
        "POST /api/auth/password HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .map_err(|e| format!("cannot connect to the portal to log in: {e}"))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut response = Vec::new();
    stream
        .write_all(request.as_bytes())
        .and_then(|()| stream.read_to_end(&mut response))
        .map_err(|e| format!("logging in as {username}: {e}"))?;
    session_cookie(&String::from_utf8_lossy(&response))
        .map_err(|e| format!("logging in as {username}: {e}"))
}

/// The session cookie's `name=value` from a login's HTTP response.
fn session_cookie(response: &str) -> Result<String> {
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((response, ""));
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    if status_line.split_whitespace().nth(1) != Some("200") {
        return Err(format!(
            "the portal answered `{status_line}`: {}",
            body.trim()
        ));
    }
    lines
        .filter_map(|line| line.split_once(':'))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, value)| value.trim().split(';').next())
        .find(|pair| {
            pair.strip_prefix(SESSION_COOKIE)
                .and_then(|rest| rest.strip_prefix('='))
                .is_some_and(|token| !token.is_empty())
        })
        .map(str::to_string)
        .ok_or_else(|| format!("the answer set no {SESSION_COOKIE} cookie"))
}

/// One Lighthouse run, its JSON report written to `report_path` and read back.
fn run_lighthouse(
    lighthouse: &Path,
    url: &str,
    cookie: Option<&str>,
    report_path: &Path,
) -> Result<Report> {
    let mut cmd = Command::new(lighthouse);
    cmd.current_dir(root())
        .env("PATH", crate::tool_path())
        .env("CHROME_PATH", CHROMIUM)
        .arg(url)
        .arg("--chrome-flags=--headless=new --no-sandbox")
        .args([
            "--only-categories=performance,accessibility",
            "--output=json",
            "--quiet",
        ])
        .arg(format!("--output-path={}", report_path.display()));
    if let Some(cookie) = cookie {
        // Sent with every request of the page, so the SPA's API calls carry the session too.
        let headers = serde_json::json!({ "Cookie": cookie });
        cmd.arg(format!("--extra-headers={headers}"));
    }
    // Not echoed: the command line holds the session cookie.
    let output = cmd
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start {}: {e}", lighthouse.display()))?;
    if !output.status.success() {
        return Err(format!(
            "Lighthouse failed on {url} ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let json = std::fs::read_to_string(report_path)
        .map_err(|e| format!("cannot read {}: {e}", report_path.display()))?;
    parse_report(&json).map_err(|e| format!("{}: {e}", report_path.display()))
}

fn check(ok: bool) -> &'static str {
    if ok {
        "✓"
    } else {
        "✗"
    }
}

fn print_figures(summaries: &[(Page, Summary)], reports: &[(Page, Report)], reports_dir: &Path) {
    let version = reports
        .first()
        .map(|(_, r)| r.lighthouse_version.as_str())
        .unwrap_or_default();
    let floor = summaries
        .iter()
        .find(|(p, _)| *p == Page::Floor)
        .map(|(_, s)| s);
    println!(
        "\n== Lighthouse {version}: mobile, simulated throttling; median of {RUNS} runs per page"
    );
    println!(
        "{:<20} {:>7} {:>7} {:>7} {:>6} {:>7} {:>5} {:>5} {:>8}",
        "page", "LCP ms", "TTI ms", "TBT ms", "CLS", "FCP ms", "perf", "a11y", "KiB sent"
    );
    for (page, s) in summaries {
        let label = match page {
            Page::Guardian => format!("{} / ({GUARDIAN})", page.name()),
            _ => format!("{} {}", page.name(), page.path()),
        };
        let tti = s.tti_ms.map_or("–".to_string(), |t| format!("{t:.0}"));
        let sent = s
            .transfer_bytes
            .map_or("–".to_string(), |b| format!("{:.1}", b / 1024.0));
        println!(
            "{label:<20} {:>7.0} {tti:>7} {:>7.0} {:>6.3} {:>7.0} {:>5.2} {:>5.2} {sent:>8}",
            s.lcp_ms, s.tbt_ms, s.cls, s.fcp_ms, s.performance, s.accessibility
        );
    }
    if summaries.iter().any(|(_, s)| s.tti_ms.is_none()) {
        println!("TTI –: this Lighthouse reports no `interactive` audit; no stand-in is shown.");
    }

    println!(
        "\n== Against the floor (issue #14: LCP ≤ {LCP_RATIO_TARGET}× and TTI ≤ {TTI_RATIO_TARGET}× the floor's, \
         performance ≥ {PERFORMANCE_TARGET}, accessibility {ACCESSIBILITY_TARGET:.1})"
    );
    println!(
        "{:<10} {:<14} {:<14} {:<12} {:<12}",
        "page", "LCP/floor", "TTI/floor", "perf", "a11y"
    );
    for (page, s) in summaries.iter().filter(|(p, _)| *p != Page::Floor) {
        let Some(floor) = floor else { break };
        let lcp_ratio = s.lcp_ms / floor.lcp_ms;
        let lcp = format!("{lcp_ratio:.2}× {}", check(lcp_ratio <= LCP_RATIO_TARGET));
        let tti = match (s.tti_ms, floor.tti_ms) {
            (Some(page_tti), Some(floor_tti)) => {
                let ratio = page_tti / floor_tti;
                format!("{ratio:.2}× {}", check(ratio <= TTI_RATIO_TARGET))
            }
            _ => "– (no TTI)".to_string(),
        };
        let perf = format!(
            "{:.2} {}",
            s.performance,
            check(s.performance >= PERFORMANCE_TARGET)
        );
        let a11y = format!(
            "{:.2} {}",
            s.accessibility,
            check(s.accessibility >= ACCESSIBILITY_TARGET)
        );
        println!(
            "{:<10} {lcp:<14} {tti:<14} {perf:<12} {a11y:<12}",
            page.name()
        );
    }
    if let Some(floor) = floor {
        println!(
            "floor: accessibility {:.2} {} (the floor itself must score 1.0)",
            floor.accessibility,
            check(floor.accessibility >= ACCESSIBILITY_TARGET)
        );
    }

    for (page, s) in summaries {
        if !s.failing_accessibility.is_empty() {
            println!(
                "\naccessibility audits failing on the {} page:",
                page.name()
            );
            for audit in &s.failing_accessibility {
                println!("  {}: {}", audit.id, audit.title);
            }
        }
    }
    println!();
    for (page, s) in summaries.iter().filter(|(p, _)| *p != Page::Floor) {
        match &s.typical.lcp_element {
            Some(element) => {
                let subparts = s
                    .typical
                    .lcp_subparts
                    .iter()
                    .map(|(label, ms)| format!("{} {ms:.0} ms", label.to_lowercase()))
                    .collect::<Vec<_>>()
                    .join(", ");
                println!(
                    "LCP element, {}: {}  {}  {:?}{}",
                    page.name(),
                    element.selector,
                    element.snippet,
                    element.label,
                    if subparts.is_empty() {
                        String::new()
                    } else {
                        format!("  ({subparts})")
                    }
                );
            }
            None => println!("LCP element, {}: not in the report", page.name()),
        }
    }
    for (page, s) in summaries {
        if !s.typical.layout_shifts.is_empty() {
            let shifts = s
                .typical
                .layout_shifts
                .iter()
                .map(|(selector, score)| format!("{selector} {score:.3}"))
                .collect::<Vec<_>>()
                .join(", ");
            println!("layout shifts, {}: {shifts}", page.name());
        }
    }
    let guardian_ends: Vec<&str> = reports
        .iter()
        .filter(|(p, _)| *p == Page::Guardian)
        .map(|(_, r)| url_path(&r.final_url))
        .collect();
    println!(
        "the guardian's runs ended at {} (not the login page)",
        guardian_ends.join(", ")
    );
    let mut warnings: Vec<&str> = reports
        .iter()
        .flat_map(|(_, r)| r.warnings.iter().map(String::as_str))
        .collect();
    warnings.sort_unstable();
    warnings.dedup();
    for warning in warnings {
        println!("Lighthouse warned: {warning}");
    }
    println!(
        "Lighthouse reports (JSON, open in https://googlechrome.github.io/lighthouse/viewer/): {}",
        reports_dir.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Lighthouse 13.5 report trimmed to what is read.
    const REPORT: &str = r#"{
      "lighthouseVersion": "13.5.0",
      "requestedUrl": "http://127.0.0.1:4000/",
      "finalDisplayedUrl": "http://127.0.0.1:4000/",
      "runWarnings": [],
      "audits": {
        "largest-contentful-paint": {"numericValue": 1812.5},
        "interactive": {"numericValue": 2033.1},
        "total-blocking-time": {"numericValue": 13},
        "cumulative-layout-shift": {"numericValue": 0.002},
        "first-contentful-paint": {"numericValue": 757.07},
        "total-byte-weight": {"numericValue": 266240},
        "layout-shifts": {"details": {"type": "table", "items": [
          {"node": {"type": "node", "selector": "body > footer.site-footer"}, "score": 0.146}]}},
        "color-contrast": {"title": "Background and foreground colors do not have a sufficient contrast ratio.", "score": 0, "scoreDisplayMode": "binary"},
        "image-alt": {"title": "Image elements have `[alt]` attributes", "score": null, "scoreDisplayMode": "notApplicable"},
        "html-has-lang": {"title": "`<html>` element has a `[lang]` attribute", "score": 1, "scoreDisplayMode": "binary"},
        "lcp-breakdown-insight": {"details": {"type": "list", "items": [
          {"type": "table", "items": [
            {"subpart": "timeToFirstByte", "label": "Time to first byte", "duration": 73.455},
            {"subpart": "elementRenderDelay", "label": "Element render delay", "duration": 144.919}]},
          {"type": "node", "selector": "body > main > h1", "snippet": "<h1>", "nodeLabel": "Logga in"}]}}
      },
      "categories": {
        "performance": {"score": 0.97},
        "accessibility": {"score": 0.93, "auditRefs": [
          {"id": "color-contrast", "weight": 7},
          {"id": "image-alt", "weight": 0},
          {"id": "html-has-lang", "weight": 7}]}
      }
    }"#;

    #[test]
    fn a_report_is_read() {
        let report = parse_report(REPORT).expect("the sample is a valid report");
        assert_eq!(report.lighthouse_version, "13.5.0");
        assert_eq!(url_path(&report.final_url), "/");
        assert_eq!(report.lcp_ms, 1812.5);
        assert_eq!(report.tti_ms, Some(2033.1));
        assert_eq!(report.tbt_ms, 13.0);
        assert_eq!(report.cls, 0.002);
        assert_eq!(report.performance, 0.97);
        assert_eq!(report.accessibility, 0.93);
        let failing: Vec<&str> = report
            .failing_accessibility
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(failing, ["color-contrast"]);
        let element = report
            .lcp_element
            .expect("the LCP element is in the sample");
        assert_eq!(element.selector, "body > main > h1");
        assert_eq!(element.label, "Logga in");
        assert_eq!(report.lcp_subparts.len(), 2);
        assert_eq!(report.lcp_subparts[0].0, "Time to first byte");
        assert_eq!(report.transfer_bytes, Some(266240.0));
        assert_eq!(
            report.layout_shifts,
            [("body > footer.site-footer".to_string(), 0.146)]
        );
    }

    #[test]
    fn a_report_without_interactive_has_no_tti() {
        let json = REPORT.replace("\"interactive\"", "\"not-interactive\"");
        assert_eq!(parse_report(&json).map(|r| r.tti_ms).ok(), Some(None));
    }

    #[test]
    fn a_failed_run_or_a_missing_metric_is_an_error() {
        let failed = r#"{"runtimeError": {"code": "NO_FCP", "message": "The page did not paint"}}"#;
        let error = parse_report(failed).expect_err("a runtime error is no report");
        assert!(error.to_string().contains("NO_FCP"), "{error}");
        let json = REPORT.replace("\"total-blocking-time\"", "\"tbt\"");
        let error = parse_report(&json).expect_err("TBT is missing");
        assert!(error.to_string().contains("total-blocking-time"), "{error}");
        assert!(parse_report("<html>").is_err());
    }

    #[test]
    fn medians_and_paths() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0]), Some(2.5));
        assert_eq!(median(Vec::new()), None);
        assert_eq!(
            url_path("http://127.0.0.1:1/login?return_to=/"),
            "/login?return_to=/"
        );
        assert_eq!(url_path("http://127.0.0.1:1"), "/");
        assert!(Page::Login.ended_where_expected("/login"));
        assert!(!Page::Guardian.ended_where_expected("/login?return_to=/"));
        assert!(Page::Guardian.ended_where_expected("/"));
    }

    #[test]
    fn the_session_cookie_is_taken_from_the_login_answer() {
        let ok = "HTTP/1.1 200 OK\r\nset-cookie: skolportal_device=d; Path=/\r\n\
                  Set-Cookie: skolportal_session=abc; Path=/; HttpOnly\r\n\r\n{}";
        assert_eq!(session_cookie(ok).as_deref(), Ok("skolportal_session=abc"));
        let refused = "HTTP/1.1 401 Unauthorized\r\n\r\n{\"error\":\"invalid_credentials\"}";
        let error = session_cookie(refused).expect_err("a refused login has no cookie");
        assert!(error.contains("401"), "{error}");
    }
}
