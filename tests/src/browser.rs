//! A headless Chromium for black-box tests, driven over WebDriver (chromedriver + fantoccini).
//!
//! Every [`Browser`] has its own chromedriver on a free loopback port and its own fresh
//! Chromium profile, so tests can run in parallel. A missing browser is an error that says how
//! to install it, never a silent skip.
//!
//! ```no_run
//! # async fn example(base: &str) -> Result<(), skolportal_tests::browser::BrowserError> {
//! use skolportal_tests::browser::{Browser, Viewport};
//! let browser = Browser::launch().await?;
//! browser.resize(Viewport::PHONE).await?;
//! browser.goto(&format!("{base}/")).await?;
//! browser.fill("#username", "anna.andersson").await?;
//! browser.click("button[type=submit]").await?;
//! assert_eq!(browser.text("h1").await?, "Översikt");
//! browser.assert_accessible("overview (phone)").await;
//! browser.close().await?;
//! # Ok(()) }
//! ```

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::fmt;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Debian's Chromium (`apt-get install chromium`); `SKOLPORTAL_CHROMIUM` overrides it.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's chromedriver (`apt-get install chromium-driver`); `SKOLPORTAL_CHROMEDRIVER` overrides it.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long `wait_for` (and so `fill`, `click`, `text`) waits for an element by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The WCAG levels every page must meet (WCAG 2.1 AA, as the accessibility law requires).
const AXE_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// A size of the page's viewport in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
}

impl Viewport {
    /// A small phone: most pupils and guardians use the portal on one.
    pub const PHONE: Viewport = Viewport {
        width: 360,
        height: 740,
    };
    /// A laptop: most staff use the portal on one.
    pub const DESKTOP: Viewport = Viewport {
        width: 1280,
        height: 900,
    };
}

/// Anything that went wrong while driving the browser, with what was being done.
#[derive(Debug)]
pub struct BrowserError(String);

impl fmt::Display for BrowserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BrowserError {}

fn webdriver_error(doing: impl fmt::Display) -> impl FnOnce(CmdError) -> BrowserError {
    move |e| BrowserError(format!("{doing}: {e}"))
}

/// One accessibility rule broken on a page, as axe-core reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AxeViolation {
    /// The rule, e.g. `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// What the rule asks for, in one sentence.
    pub help: String,
    /// CSS selectors of the offending elements.
    pub nodes: Vec<String>,
}

impl fmt::Display for AxeViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.impact, self.id, self.help)?;
        for node in &self.nodes {
            write!(f, "\n      {node}")?;
        }
        Ok(())
    }
}

/// What [`Browser::focus_walk`] found.
#[derive(Debug, Default)]
pub struct FocusWalk {
    /// Controls that got the focus.
    pub visited: usize,
    /// One line per control whose focus cannot be seen.
    pub problems: Vec<String>,
}

/// Puts the sequential focus starting point at the top of the page (or on `arguments[0]`).
const START_FOCUS_WALK: &str = r#"
    window.__focusWalkFirst = null;
    const from = arguments[0] && document.querySelector(arguments[0]);
    if (from) { from.focus(); return; }
    if (document.activeElement) document.activeElement.blur();
    window.scrollTo(0, 0);
    document.body.setAttribute('tabindex', '-1');
    document.body.focus();
    document.body.removeAttribute('tabindex');
"#;

/// The focused element and whether its focus indicator can be seen; `done` once focus has left
/// the page or come round to the first element again.
const CHECK_FOCUS: &str = r#"
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { done: true };
    if (window.__focusWalkFirst === el) return { done: true };
    if (!window.__focusWalkFirst) window.__focusWalkFirst = el;
    const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    const label = (el.getAttribute('aria-label') || el.textContent || el.value || '')
        .trim().replace(/\s+/g, ' ').slice(0, 40);
    const element = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} "${label}"`;
    const parse = c => {
        const m = /rgba?\(([^)]+)\)/.exec(c || '');
        if (!m) return null;
        const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
        return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const lum = c => {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const contrast = (a, b) => {
        const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
    };
    const background = start => {
        for (let n = start; n && n.nodeType === 1; n = n.parentElement) {
            const c = parse(getComputedStyle(n).backgroundColor);
            if (c && c.a > 0.5) return c;
        }
        return { r: 255, g: 255, b: 255, a: 1 };
    };
    // Tab into a frame focuses a control of the page inside, which draws its own ring (that
    // page is walked on its own); the frame element itself is only `activeElement` out here.
    if (el.tagName === 'IFRAME') return { element };
    const cs = getComputedStyle(el);
    const width = parseFloat(cs.outlineWidth) || 0;
    const offset = parseFloat(cs.outlineOffset) || 0;
    // Date and time fields take the focus in their parts; the field itself is then :focus only.
    const parts = el.matches('input[type=date], input[type=time], input[type=month]');
    if (!el.matches(':focus-visible') && !(parts && el.matches(':focus, :focus-within'))) {
        return { element, problem: 'not :focus-visible after Tab' };
    }
    if (cs.outlineStyle === 'none' || width < 2) {
        return { element, problem: `no focus outline (${cs.outlineStyle} ${cs.outlineWidth})` };
    }
    const ring = parse(cs.outlineColor);
    let under;
    if (offset + width <= 0) {
        under = background(el);
    } else {
        const r = el.getBoundingClientRect();
        const d = offset + width / 2;
        const points = [
            [r.left - d, r.top + r.height / 2], [r.right + d, r.top + r.height / 2],
            [r.left + r.width / 2, r.top - d], [r.left + r.width / 2, r.bottom + d],
        ].filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
        const hit = points.length
            ? document.elementsFromPoint(points[0][0], points[0][1]).find(n => n !== el && !el.contains(n))
            : null;
        under = background(hit || el.parentElement);
    }
    const ratio = contrast(ring, under);
    return ratio >= 3 ? { element } : {
        element,
        problem: `focus ring ${cs.outlineColor} on rgb(${under.r}, ${under.g}, ${under.b}): contrast ${ratio.toFixed(2)}:1`,
    };
"#;

/// A headless Chromium with its own chromedriver and profile. Call [`Browser::close`] at the
/// end of a test; dropping it without also ends the session, kills chromedriver and removes
/// the profile (a test that panics still cleans up).
pub struct Browser {
    client: Option<Client>,
    session_id: Option<String>,
    driver: Child,
    driver_port: u16,
    dir: PathBuf,
    timeout: Duration,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium session.
    pub async fn launch() -> Result<Browser, BrowserError> {
        let chromium = program("SKOLPORTAL_CHROMIUM", CHROMIUM)?;
        let chromedriver = program("SKOLPORTAL_CHROMEDRIVER", CHROMEDRIVER)?;
        let dir = fresh_temp_dir()?;
        let profile = dir.join("profile");
        std::fs::create_dir_all(&profile)
            .map_err(|e| BrowserError(format!("cannot create {}: {e}", profile.display())))?;

        // A port can be taken between choosing it and chromedriver binding it: try again.
        let mut last_error = None;
        for _attempt in 0..3 {
            let (driver, port) = match start_driver(&chromedriver, &dir).await {
                Ok(started) => started,
                Err(e) => {
                    last_error = Some(e);
                    continue;
                }
            };
            // From here on, dropping `browser` cleans up.
            let mut browser = Browser {
                client: None,
                session_id: None,
                driver,
                driver_port: port,
                dir: dir.clone(),
                timeout: DEFAULT_TIMEOUT,
            };
            let client = ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities(&chromium, &profile))
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
                .map_err(|e| {
                    BrowserError(format!(
                        "cannot start Chromium ({}) through chromedriver: {e}\n{}",
                        chromium.display(),
                        browser.driver_log()
                    ))
                })?;
            browser.session_id = client.session_id().await.ok().flatten();
            browser.client = Some(client);
            return Ok(browser);
        }
        let _ = std::fs::remove_dir_all(&dir);
        Err(last_error.unwrap_or_else(|| BrowserError("chromedriver did not start".into())))
    }

    /// The fantoccini client, for what this harness does not wrap.
    pub fn client(&self) -> &Client {
        // Only `close` takes the client, and it consumes `self`.
        self.client
            .as_ref()
            .expect("the client is only taken by close(), which consumes the browser")
    }

    /// How long `wait_for`, `fill`, `click` and `text` wait for their element.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Sets the page's viewport (not the window) to `width` × `height` CSS pixels.
    pub async fn set_viewport(&self, width: u32, height: u32) -> Result<(), BrowserError> {
        let client = self.client();
        let doing = format!("setting the viewport to {width}×{height}");
        client
            .set_window_size(width, height)
            .await
            .map_err(webdriver_error(&doing))?;
        // The window may be larger than its viewport: grow it by the difference.
        let inner = client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await
            .map_err(webdriver_error(&doing))?;
        let inner_w = inner[0].as_u64().unwrap_or(u64::from(width));
        let inner_h = inner[1].as_u64().unwrap_or(u64::from(height));
        if (inner_w, inner_h) != (u64::from(width), u64::from(height)) {
            let extra_w = u64::from(width).saturating_sub(inner_w);
            let extra_h = u64::from(height).saturating_sub(inner_h);
            let w = u32::try_from(u64::from(width) + extra_w).unwrap_or(width);
            let h = u32::try_from(u64::from(height) + extra_h).unwrap_or(height);
            client
                .set_window_size(w, h)
                .await
                .map_err(webdriver_error(&doing))?;
        }
        Ok(())
    }

    /// [`Browser::set_viewport`] to one of the [`Viewport`] constants.
    pub async fn resize(&self, viewport: Viewport) -> Result<(), BrowserError> {
        self.set_viewport(viewport.width, viewport.height).await
    }

    /// Navigates to an absolute URL and waits for the page to load and, where the server painted
    /// the login page itself, for the app to take it over (not for the SPA to render anything
    /// else: follow with [`Browser::wait_for`]). [`Browser::client`]'s own `goto` does not wait
    /// for the app.
    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.client()
            .goto(url)
            .await
            .map_err(webdriver_error(format!("opening {url}")))?;
        let started = Instant::now();
        loop {
            let painted = self
                .client()
                .execute("return !!document.getElementById('prerender');", vec![])
                .await
                .map_err(webdriver_error(format!("opening {url}")))?;
            if painted != Value::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > self.timeout {
                return Err(BrowserError(format!(
                    "{url}: the app did not take over the page the server painted within {:?}",
                    self.timeout
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Runs a DevTools protocol command (through chromedriver's `goog/cdp/execute`) and returns
    /// its result: for what WebDriver has no command for (network conditions, installability).
    pub async fn cdp(&self, command: &str, params: Value) -> Result<Value, BrowserError> {
        let Some(session) = &self.session_id else {
            return Err(BrowserError("no browser session".into()));
        };
        let url = format!(
            "http://127.0.0.1:{}/session/{session}/goog/cdp/execute",
            self.driver_port
        );
        let answer: Value = reqwest::Client::new()
            .post(&url)
            .json(&json!({ "cmd": command, "params": params }))
            .send()
            .await
            .map_err(|e| BrowserError(format!("{command}: {e}")))?
            .json()
            .await
            .map_err(|e| BrowserError(format!("{command}: {e}")))?;
        match answer.get("value") {
            Some(value) if value.get("error").is_none() => Ok(value.clone()),
            _ => Err(BrowserError(format!("{command}: {answer}"))),
        }
    }

    /// The URL the browser shows now.
    pub async fn current_url(&self) -> Result<String, BrowserError> {
        let url = self
            .client()
            .current_url()
            .await
            .map_err(webdriver_error("reading the current URL"))?;
        Ok(url.to_string())
    }

    /// Waits until an element matches `css` and returns the first match.
    /// Sets the value of the field `css` as typing would (an `input` and a `change` event):
    /// date and time inputs cannot be typed into portably.
    pub async fn set_value(&self, css: &str, value: &str) -> Result<(), BrowserError> {
        self.wait_for(css).await?;
        self.client()
            .execute(
                "const e = document.querySelector(arguments[0]);
                 e.value = arguments[1];
                 e.dispatchEvent(new Event('input', { bubbles: true }));
                 e.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![serde_json::json!(css), serde_json::json!(value)],
            )
            .await
            .map(|_| ())
            .map_err(|e| BrowserError(format!("setting `{css}`: {e}")))
    }

    pub async fn wait_for(&self, css: &str) -> Result<Element, BrowserError> {
        let deadline = Instant::now() + self.timeout;
        let found = loop {
            let found = self
                .client()
                .wait()
                .at_most(deadline.saturating_duration_since(Instant::now()))
                .for_element(Locator::Css(css))
                .await;
            // A redirect under way (a login page sending on) aborts the search: look again
            // on the page it arrives at.
            match found {
                Err(e)
                    if e.to_string().contains("aborted by navigation")
                        && Instant::now() < deadline =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                found => break found,
            }
        };
        match found {
            Ok(element) => Ok(element),
            Err(e) => {
                let url = self.current_url().await.unwrap_or_default();
                Err(BrowserError(format!(
                    "waiting {} s for `{css}` on {url}: {e}",
                    self.timeout.as_secs()
                )))
            }
        }
    }

    /// Clears the input matching `css` and types `text` into it (firing input events).
    pub async fn fill(&self, css: &str, text: &str) -> Result<(), BrowserError> {
        let element = self.wait_for(css).await?;
        let doing = format!("typing into `{css}`");
        element.clear().await.map_err(webdriver_error(&doing))?;
        element
            .send_keys(text)
            .await
            .map_err(webdriver_error(&doing))
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Result<(), BrowserError> {
        let element = self.wait_for(css).await?;
        element
            .click()
            .await
            .map_err(webdriver_error(format!("clicking `{css}`")))
    }

    /// The rendered text of the element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String, BrowserError> {
        let element = self.wait_for(css).await?;
        element
            .text()
            .await
            .map_err(webdriver_error(format!("reading the text of `{css}`")))
    }

    /// Saves a PNG of the viewport to `path` (parent directories are created).
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<(), BrowserError> {
        let path = path.as_ref();
        let png = self
            .client()
            .screenshot()
            .await
            .map_err(webdriver_error("taking a screenshot"))?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| BrowserError(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::write(path, png)
            .map_err(|e| BrowserError(format!("cannot write {}: {e}", path.display())))
    }

    /// Runs axe-core on the current page against WCAG 2.1 A and AA; returns what it found.
    pub async fn axe_violations(&self) -> Result<Vec<AxeViolation>, BrowserError> {
        let client = self.client();
        let loaded = client
            .execute("return typeof window.axe === 'object';", vec![])
            .await
            .map_err(webdriver_error("looking for axe-core in the page"))?;
        if loaded != Value::Bool(true) {
            client
                .execute(axe_source()?, vec![])
                .await
                .map_err(webdriver_error("injecting axe-core"))?;
        }
        const RUN_AXE: &str = r#"
            const [tags, done] = arguments;
            axe.run(document, { runOnly: { type: 'tag', values: tags } })
                .then(result => done({ violations: result.violations.map(v => ({
                    id: v.id,
                    impact: v.impact || 'unknown',
                    help: v.help,
                    nodes: v.nodes.map(n => n.target
                        .map(t => Array.isArray(t) ? t.join(' >>> ') : String(t))
                        .join(' ')),
                })) }))
                .catch(e => done({ error: String(e) }));
        "#;
        let result = client
            .execute_async(RUN_AXE, vec![json!(AXE_TAGS)])
            .await
            .map_err(webdriver_error("running axe-core"))?;
        if let Some(error) = result.get("error") {
            return Err(BrowserError(format!("axe-core failed: {error}")));
        }
        let violations = result
            .get("violations")
            .and_then(Value::as_array)
            .ok_or_else(|| BrowserError(format!("unexpected answer from axe-core: {result}")))?;
        Ok(violations.iter().map(parse_violation).collect())
    }

    /// Panics with a readable list when the current page breaks any WCAG 2.1 AA rule that
    /// axe-core checks. `page` names the page in the message, e.g. "login (phone)".
    pub async fn assert_accessible(&self, page: &str) {
        match self.axe_violations().await {
            Ok(violations) if violations.is_empty() => {}
            Ok(violations) => {
                let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
                panic!(
                    "{page}: {} accessibility violation(s) (WCAG 2.1 AA, axe-core):\n{}",
                    violations.len(),
                    list.join("\n")
                );
            }
            Err(e) => panic!("{page}: cannot check accessibility: {e}"),
        }
    }

    /// Presses Tab as a keyboard would (a real key event, so `:focus-visible` applies).
    pub async fn press_tab(&self) -> Result<(), BrowserError> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let tab = '\u{e004}';
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab });
        self.client()
            .perform_actions(keys)
            .await
            .map_err(webdriver_error("pressing Tab"))
    }

    /// Tabs through the page (at most `max_tabs` presses) from its top, or from the element
    /// matching `from`, and checks that every control that gets the focus shows it: an outline
    /// of at least 2 px whose colour has at least 3:1 contrast against what it is drawn on (the
    /// control itself for a ring inside it, else what lies just outside it). Returns how many
    /// controls were visited and a line for each that fails.
    pub async fn focus_walk(
        &self,
        from: Option<&str>,
        max_tabs: usize,
    ) -> Result<FocusWalk, BrowserError> {
        let client = self.client();
        client
            .execute(START_FOCUS_WALK, vec![json!(from)])
            .await
            .map_err(webdriver_error("starting the focus walk"))?;
        let mut walk = FocusWalk::default();
        for _ in 0..max_tabs {
            self.press_tab().await?;
            let seen = client
                .execute(CHECK_FOCUS, vec![])
                .await
                .map_err(webdriver_error("checking the focused element"))?;
            if seen.get("done").and_then(Value::as_bool) == Some(true) {
                break;
            }
            walk.visited += 1;
            if let Some(problem) = seen.get("problem").and_then(Value::as_str) {
                let element = seen.get("element").and_then(Value::as_str).unwrap_or("?");
                walk.problems.push(format!("{element}: {problem}"));
            }
        }
        Ok(walk)
    }

    /// Ends the browser session; then chromedriver is stopped and the profile removed.
    pub async fn close(mut self) -> Result<(), BrowserError> {
        if let Some(client) = self.client.take() {
            self.session_id = None;
            client
                .close()
                .await
                .map_err(webdriver_error("closing the browser"))?;
        }
        Ok(())
    }

    /// The end of chromedriver's log (for launch errors).
    fn driver_log(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("chromedriver.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!("chromedriver log (end):\n{}", tail.join("\n"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Not closed (a failed test): end the session so chromedriver quits Chromium. Drop
        // cannot await, so this is a plain blocking HTTP request on loopback.
        if self.client.take().is_some() {
            if let Some(id) = self.session_id.take() {
                let _ = http_request(self.driver_port, "DELETE", &format!("/session/{id}"));
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Chromium may still be writing its profile for a moment.
        for _ in 0..10 {
            if std::fs::remove_dir_all(&self.dir).is_ok() || !self.dir.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The path of a required program; missing means the machine is not set up.
fn program(env_var: &str, default: &str) -> Result<PathBuf, BrowserError> {
    let path = std::env::var_os(env_var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    if path.exists() {
        Ok(path)
    } else {
        Err(BrowserError(format!(
            "chromium/chromedriver missing: run cargo xtask setup ({} not found)",
            path.display()
        )))
    }
}

fn fresh_temp_dir() -> Result<PathBuf, BrowserError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "skolportal-browser-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| BrowserError(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// Starts chromedriver on a free port (log in `dir`) and waits until it accepts sessions.
async fn start_driver(chromedriver: &Path, dir: &Path) -> Result<(Child, u16), BrowserError> {
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| BrowserError(format!("cannot find a free port: {e}")))?;
    let log_path = dir.join("chromedriver.log");
    let log = std::fs::File::create(&log_path)
        .map_err(|e| BrowserError(format!("cannot create {}: {e}", log_path.display())))?;
    let log_err = log
        .try_clone()
        .map_err(|e| BrowserError(format!("cannot open {}: {e}", log_path.display())))?;
    let mut driver = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| {
            BrowserError(format!(
                "cannot start {}: {e} (chromium/chromedriver missing: run cargo xtask setup)",
                chromedriver.display()
            ))
        })?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(Some(status)) = driver.try_wait() {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            return Err(BrowserError(format!(
                "chromedriver exited ({status}) before it was ready:\n{log}"
            )));
        }
        if http_request(port, "GET", "/status").is_ok_and(|r| r.contains("\"ready\":true")) {
            return Ok((driver, port));
        }
        if Instant::now() > deadline {
            let _ = driver.kill();
            let _ = driver.wait();
            return Err(BrowserError(format!(
                "chromedriver did not answer on port {port} within 20 s"
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Headless Chromium that talks to nothing but loopback.
fn capabilities(chromium: &Path, profile: &Path) -> Capabilities {
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-domain-reliability".into(),
        "--disable-client-side-phishing-detection".into(),
        "--no-first-run".into(),
        "--no-default-browser-check".into(),
        "--disable-quic".into(),
        format!(
            "--window-size={},{}",
            Viewport::DESKTOP.width,
            Viewport::DESKTOP.height
        ),
        format!("--user-data-dir={}", profile.display()),
    ];
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.to_string_lossy(),
            "args": args,
        },
    });
    match caps {
        Value::Object(map) => map,
        _ => Capabilities::new(),
    }
}

/// axe.min.js from tools/node_modules (installed by `cargo xtask setup`), read once.
fn axe_source() -> Result<&'static str, BrowserError> {
    static SOURCE: OnceLock<Result<String, String>> = OnceLock::new();
    let source = SOURCE.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "axe-core missing ({}: {e}): run cargo xtask setup",
                path.display()
            )
        })
    });
    source.as_deref().map_err(|e| BrowserError(e.clone()))
}

fn parse_violation(v: &Value) -> AxeViolation {
    let field = |name: &str| {
        v.get(name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    AxeViolation {
        id: field("id"),
        impact: field("impact"),
        help: field("help"),
        nodes: v
            .get("nodes")
            .and_then(Value::as_array)
            .map(|nodes| {
                nodes
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A minimal blocking HTTP/1.1 request on loopback; returns the whole response. Reads until
/// the body announced by Content-Length is complete (chromedriver keeps connections open).
fn http_request(port: u16, method: &str, path: &str) -> std::io::Result<String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        response.extend_from_slice(&chunk[..n]);
        if is_complete(&response) {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn is_complete(response: &[u8]) -> bool {
    let text = String::from_utf8_lossy(response);
    let Some(header_end) = text.find("\r\n\r\n") else {
        return false;
    };
    let length = text[..header_end]
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok());
    match length {
        Some(length) => response.len() >= header_end + 4 + length,
        None => false, // read until the server closes
    }
}
