//! Issue #14.2–14.3 through the real backend and headless Chromium: the login page as the
//! server's own page, usable without any WebAssembly; the shell, manifest, icons and theme
//! drawn from the municipality's settings; the app installable, starting without a network after
//! one visit, and forgetting what it kept at logout.

use std::time::Duration;

use serde_json::{json, Value};
use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::TestApp;

use crate::ui::{app_with_spa, browser, check_page, dist, password_login, wait_for_text};

async fn js(browser: &Browser, script: &str) -> Value {
    browser.client().execute(script, vec![]).await.unwrap()
}

pub(crate) async fn js_async(browser: &Browser, script: &str) -> Value {
    browser
        .client()
        .execute_async(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

async fn municipality_name(app: &TestApp) -> String {
    let (status, info) = app.anonymous().get_json("/api/municipality").await;
    assert_eq!(status, 200);
    info["name"].as_str().unwrap().to_owned()
}

/// A text of a shipped catalogue.
pub(crate) fn catalogue_text(lang: &str, key: &str) -> String {
    let path = dist().join("i18n").join(format!("{lang}.json"));
    let catalogue: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    catalogue[key].as_str().unwrap().to_owned()
}

async fn body_of(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_shell_carries_the_municipality_and_the_login_page_its_content() {
    let app = app_with_spa(false).await;
    let name = municipality_name(&app).await;
    let anonymous = app.anonymous();

    let login = anonymous.get("/login").await;
    assert_eq!(login.status(), 200);
    let html = body_of(login).await;
    assert!(html.contains("<html lang=\"sv\" dir=\"ltr\">"), "{html}");
    for text in [
        name.as_str(),
        "Logga in med BankID",
        "id=\"username\"",
        "id=\"password\"",
        "id=\"municipality-info\"",
        "method=\"post\" action=\"/api/auth/password/form\"",
    ] {
        assert!(html.contains(text), "the login page lacks {text}: {html}");
    }
    assert!(html.contains("<title>Logga in – Skolportalen</title>"));
    // No app runs on it, and no API answer is preloaded for a stranger.
    assert!(!html.contains("type=module") && !html.contains("modulepreload"));
    assert!(
        !html.contains("rel=\"preload\" href=\"/api/"),
        "an anonymous page preloads the API"
    );

    // The language chosen on this device, before login.
    let arabic = anonymous
        .request(reqwest::Method::GET, "/login")
        .header("Cookie", "skolportal_lang=ar")
        .send()
        .await
        .unwrap();
    let html = body_of(arabic).await;
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains(&catalogue_text("ar", "login.bankid")));
    assert!(!html.contains("Logga in med BankID"));

    // Someone who has never logged in here goes straight to the painted page.
    let start = anonymous.get("/").await;
    assert_eq!(start.status(), 303);
    assert_eq!(start.headers()["location"], "/login");
    // Any other page is the app's, without the login page in it.
    let deep = body_of(anonymous.get("/barnomsorg").await).await;
    assert!(deep.contains("id=\"municipality-info\"") && !deep.contains("/api/auth/password/form"));
    assert!(deep.contains("modulepreload"));

    // A logged-in guardian's start page, "Mina barn", is the server's own too
    // (`pages::mina_barn_is_the_servers_page_and_the_menu_leads_back_to_it`); her other pages are
    // the app's, whose first answer is fetched while the app downloads, never written into it.
    let anna = app.login("anna").await;
    let start = body_of(anna.get("/").await).await;
    assert!(start.contains("Lindqvist") && !start.contains("modulepreload"));
    let other = body_of(anna.get("/barnomsorg").await).await;
    assert!(other.contains("modulepreload") && !other.contains("/api/auth/password/form"));
    assert!(other.contains("<link rel=\"preload\" href=\"/api/me\" as=\"fetch\" crossorigin>"));
    assert!(!other.contains("Lindqvist"));
}

fn png_width(bytes: &[u8]) -> u32 {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]])
}

async fn bytes_of(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let response = app.anonymous().get(path).await;
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn the_installable_app_takes_its_name_colours_and_icons_from_the_settings() {
    let app = app_with_spa(false).await;
    let name = municipality_name(&app).await;

    let (status, manifest) = app.anonymous().get_json("/manifest.webmanifest").await;
    assert_eq!(status, 200);
    assert!(manifest["name"].as_str().unwrap().contains(&name));
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["theme_color"], "#1d4f91");
    let icons = manifest["icons"].as_array().unwrap();
    let mut widths = Vec::new();
    for icon in icons.iter().filter(|i| i["type"] == "image/png") {
        let (status, kind, bytes) = bytes_of(&app, icon["src"].as_str().unwrap()).await;
        assert_eq!((status, kind.as_str()), (200, "image/png"));
        let width = png_width(&bytes);
        assert_eq!(icon["sizes"], format!("{width}x{width}"));
        widths.push(width);
    }
    assert!(widths.contains(&192) && widths.contains(&512), "{widths:?}");
    let (status, kind, _) = bytes_of(&app, "/favicon.ico").await;
    assert_eq!((status, kind.as_str()), (200, "image/x-icon"));
    // They are files to read, nothing else.
    let post = app
        .anonymous()
        .request(reqwest::Method::POST, "/manifest.webmanifest")
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    let (_, _, icon_before) = bytes_of(&app, "/icon-192.png").await;

    // The municipality changes its colours: the manifest, the icons, the theme and the shell
    // follow. A value that is not a colour never reaches the CSS.
    let theme = json!({"theme": {
        "primary": "#7a1f5c", "on_primary": "#ffffff", "background": "#fafafa",
        "text": "red;}body{display:none", "accent": "#005a9e"
    }});
    app.execute(
        "UPDATE municipality SET settings = $1",
        [sea_orm::Value::Json(Some(Box::new(theme)))],
    )
    .await;
    let (_, manifest) = app.anonymous().get_json("/manifest.webmanifest").await;
    assert_eq!(manifest["theme_color"], "#7a1f5c");
    assert_eq!(manifest["background_color"], "#fafafa");
    let (_, _, css) = bytes_of(&app, "/theme.css").await;
    let css = String::from_utf8(css).unwrap();
    assert!(css.contains("--color-primary:#7a1f5c"), "{css}");
    assert!(!css.contains("display:none"), "{css}");
    let (_, _, icon_after) = bytes_of(&app, "/icon-192.png").await;
    assert_ne!(icon_before, icon_after);
    let shell = body_of(app.anonymous().get("/login").await).await;
    assert!(shell.contains("<meta name=\"theme-color\" content=\"#7a1f5c\">"));

    // Colours that together fail WCAG AA contrast are not served: the default theme is.
    let pale = json!({"theme": {
        "primary": "#ffd700", "on_primary": "#ffffff", "background": "#ffffff",
        "text": "#aaaaaa", "accent": "#66aaff"
    }});
    app.execute(
        "UPDATE municipality SET settings = $1",
        [sea_orm::Value::Json(Some(Box::new(pale)))],
    )
    .await;
    let (_, _, css) = bytes_of(&app, "/theme.css").await;
    let css = String::from_utf8(css).unwrap();
    assert!(css.contains("--color-primary:#1d4f91"), "{css}");
    assert!(
        !css.contains("#ffd700") && !css.contains("#aaaaaa"),
        "{css}"
    );
    let (_, manifest) = app.anonymous().get_json("/manifest.webmanifest").await;
    assert_eq!(manifest["theme_color"], "#1d4f91");

    // The service worker carries this build's files, so a new deploy is a new worker.
    let (status, kind, worker) = bytes_of(&app, "/sw.js").await;
    assert_eq!((status, kind.as_str()), (200, "application/javascript"));
    let worker = String::from_utf8(worker).unwrap();
    assert!(!worker.contains("__BUILD__") && !worker.contains("__APPS__"));
    let index = std::fs::read_to_string(dist().join("index.html")).unwrap();
    let wasm = index
        .split(['\'', '"', ' ', '='])
        .find(|part| part.ends_with("_bg.wasm"))
        .unwrap();
    assert!(worker.contains(wasm), "the worker does not name {wasm}");
}

/// Where the boxes a person sees lie: the brand, the heading and the footer.
const LAYOUT: &str = "return ['.brand__name', 'h1', '.site-footer__name'].map(css => { \
       const r = document.querySelector(css).getBoundingClientRect(); \
       return [css, Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)]; });";

#[tokio::test]
async fn the_login_page_works_without_the_app() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    // No WebAssembly at all, as on a phone that has not got it yet.
    browser.cdp("Network.enable", json!({})).await.unwrap();
    browser
        .cdp("Network.setBlockedURLs", json!({"urls": ["*.wasm"]}))
        .await
        .unwrap();
    browser
        .goto(&app.url("/login?return_to=/contact"))
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Logga in").await;
    browser.assert_accessible("the login page").await;

    // An empty field is said in the field, and the focus goes to it.
    browser.fill("#username", "anna").await.unwrap();
    browser.click("form button[type=submit]").await.unwrap();
    wait_for_text(&browser, "#password-error", "Skriv ditt lösenord").await;
    assert_eq!(
        js(
            &browser,
            "return [document.activeElement.id, document.getElementById('username').value, \
             document.getElementById('password').getAttribute('aria-invalid')];"
        )
        .await,
        json!(["password", "anna", "true"])
    );
    browser
        .assert_accessible("the login page, a field missing")
        .await;

    // A wrong password is said in the page's alert; the username is kept, the password not.
    browser.fill("#password", "fel-lösenord").await.unwrap();
    browser.click("form button[type=submit]").await.unwrap();
    wait_for_text(&browser, "#login-error", "användarnamn eller lösenord").await;
    assert_eq!(
        js(
            &browser,
            "return [document.getElementById('username').value, document.getElementById('password').value];"
        )
        .await,
        json!(["anna", ""])
    );

    // Languages are links: the page comes back in Finnish, still going to the same page after.
    browser
        .click(".lang-switch__option[lang=fi]")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", &catalogue_text("fi", "login.title")).await;
    assert_eq!(
        js(&browser, "return document.documentElement.lang;").await,
        json!("fi")
    );
    browser
        .click(".lang-switch__option[lang=sv]")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Logga in").await;

    // The right password: logged in and on to the page asked for, which the app then shows.
    browser.fill("#username", "anna").await.unwrap();
    browser
        .fill("#password", app.password_of("anna"))
        .await
        .unwrap();
    browser.click("form button[type=submit]").await.unwrap();
    for _ in 0..100 {
        if js(&browser, "return location.pathname;").await == json!("/contact") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        js(&browser, "return location.pathname;").await,
        json!("/contact")
    );
    let me = js_async(
        &browser,
        "const done = arguments[arguments.length - 1]; \
         fetch('/api/me').then(r => r.text()).then(done, e => done(String(e)));",
    )
    .await;
    assert!(me.as_str().unwrap().contains("Anna"), "{me}");
    browser
        .cdp("Network.setBlockedURLs", json!({"urls": []}))
        .await
        .unwrap();
    browser.goto(&app.url("/contact")).await.unwrap();
    browser
        .wait_for(".site-header .menu-button")
        .await
        .expect("the app, logged in");

    // The login page and the app's pages share the header and the footer: same boxes.
    for viewport in [Viewport::PHONE, Viewport::DESKTOP] {
        browser.resize(viewport).await.unwrap();
        let fresh = crate::ui::browser().await;
        fresh.resize(viewport).await.unwrap();
        fresh.goto(&app.url("/login")).await.unwrap();
        wait_for_text(&fresh, "h1", "Logga in").await;
        let server = js(&fresh, LAYOUT).await;
        fresh.goto(&app.url("/okand-sida")).await.unwrap();
        fresh.wait_for(".site-footer__name").await.unwrap();
        let app_page = js(&fresh, LAYOUT).await;
        assert_eq!(server[0], app_page[0], "the brand moved between the two");
        if viewport == Viewport::PHONE {
            // A load as it happens: nothing shifts (CLS as Lighthouse counts it).
            fresh.goto(&app.url("/login")).await.unwrap();
            let shift = js_async(
                &fresh,
                "const done = arguments[arguments.length - 1]; let sum = 0; \
                 new PerformanceObserver(list => { for (const e of list.getEntries()) { if (!e.hadRecentInput) sum += e.value; } }) \
                   .observe({ type: 'layout-shift', buffered: true }); \
                 setTimeout(() => done(sum), 500);",
            )
            .await;
            assert!(
                shift.as_f64().unwrap() < 0.05,
                "cumulative layout shift {shift}"
            );
            check_page(&fresh, "login-server").await;
        }
        fresh.close().await.unwrap();
    }
    browser.close().await.unwrap();
}

/// A login form posted from another site is refused: no one can log a browser into their own
/// account behind its back.
#[tokio::test]
async fn the_login_form_is_refused_from_another_site() {
    let app = app_with_spa(false).await;
    let anonymous = app.anonymous();
    let form = [("username", "anna"), ("password", app.password_of("anna"))];
    let refused = reqwest::Client::new()
        .post(app.url("/api/auth/password/form"))
        .header("Origin", "https://elak.example")
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.headers().get("set-cookie").is_none());

    // From the page itself: logged in, and sent to the start page (an outside address is not
    // followed).
    let response = anonymous
        .request(reqwest::Method::POST, "/api/auth/password/form")
        .form(&[
            ("username", "anna"),
            ("password", app.password_of("anna")),
            ("return_to", "//elak.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/");
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("skolportal_session="));
}

/// The page's service worker, once it controls the page.
pub(crate) async fn wait_for_service_worker(browser: &Browser) {
    let ready = js_async(
        browser,
        "const done = arguments[arguments.length - 1]; \
         navigator.serviceWorker.ready.then(() => { \
           if (navigator.serviceWorker.controller) { done(true); return; } \
           navigator.serviceWorker.addEventListener('controllerchange', () => done(true)); \
           setTimeout(() => done(!!navigator.serviceWorker.controller), 8000); });",
    )
    .await;
    assert_eq!(ready, json!(true), "no service worker took the page");
}

/// Takes the page and its service worker off the network, until [`Offline::end`]. The worker is
/// a target of its own, which the page's emulation does not reach: without this its fetches would
/// still get through, and a page it answers from the network would pass for one started offline.
pub(crate) struct Offline {
    /// The DevTools sessions attached to the service workers, which hold their emulation.
    sessions: Vec<String>,
}

impl Offline {
    pub(crate) async fn begin(browser: &Browser) -> Self {
        emulate_offline(browser, true).await;
        let targets = browser.cdp("Target.getTargets", json!({})).await.unwrap();
        let workers: Vec<String> = targets["targetInfos"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|target| target["type"] == "service_worker")
            .map(|target| target["targetId"].as_str().unwrap().to_owned())
            .collect();
        assert!(!workers.is_empty(), "no service worker to take offline");
        let mut sessions = Vec::new();
        for target in workers {
            let attached = browser
                .cdp(
                    "Target.attachToTarget",
                    json!({"targetId": target, "flatten": false}),
                )
                .await
                .unwrap();
            let session = attached["sessionId"].as_str().unwrap().to_owned();
            for (id, method, params) in [
                (1, "Network.enable", json!({})),
                (2, "Network.emulateNetworkConditions", conditions(true)),
            ] {
                let message = json!({"id": id, "method": method, "params": params});
                browser
                    .cdp(
                        "Target.sendMessageToTarget",
                        json!({"sessionId": session, "message": message.to_string()}),
                    )
                    .await
                    .unwrap();
            }
            sessions.push(session);
        }
        Self { sessions }
    }

    /// Back on the network: the page first, then the workers (their sessions, and with them
    /// their emulation, end). On a phone both return at once; the other way round a worker could
    /// send what it kept and tell the page, whose own request for the list would then still
    /// find it offline.
    pub(crate) async fn end(self, browser: &Browser) {
        emulate_offline(browser, false).await;
        for session in self.sessions {
            browser
                .cdp("Target.detachFromTarget", json!({"sessionId": session}))
                .await
                .unwrap();
        }
    }
}

fn conditions(offline: bool) -> Value {
    json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
}

async fn emulate_offline(browser: &Browser, offline: bool) {
    browser.cdp("Network.enable", json!({})).await.unwrap();
    browser
        .cdp("Network.emulateNetworkConditions", conditions(offline))
        .await
        .unwrap();
}

/// What the service worker keeps of personal data.
async fn kept_personal(browser: &Browser) -> Value {
    js_async(
        browser,
        "const done = arguments[arguments.length - 1]; \
         caches.open('skolportal-personal').then(c => c.keys()) \
           .then(keys => done(keys.map(k => new URL(k.url).pathname)), e => done(String(e)));",
    )
    .await
}

#[tokio::test]
async fn the_app_is_installable_starts_offline_and_forgets_the_person_at_logout() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url("/login")).await.unwrap();
    wait_for_service_worker(&browser).await;
    let errors = browser
        .cdp("Page.getInstallabilityErrors", json!({}))
        .await
        .unwrap();
    assert_eq!(
        errors["installabilityErrors"],
        json!([]),
        "Chromium does not call the app installable"
    );

    // One visit as a guardian: nothing personal is kept unless she asks for it.
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    let child = browser.text(".card__title").await.unwrap();
    browser.goto(&app.url("/")).await.unwrap();
    browser.wait_for(".card__title").await.unwrap();
    assert_eq!(
        kept_personal(&browser).await,
        json!([]),
        "kept without asking"
    );
    // She asks for "Mina barn" without internet on her phone.
    browser.click("#keep-offline").await.unwrap();
    // The page asks for both answers at once; they are kept in whichever order they arrive.
    let both_kept = |kept: &Value| {
        kept.as_array()
            .is_some_and(|k| k.contains(&json!("/api/children")) && k.contains(&json!("/api/me")))
    };
    let mut kept = Value::Null;
    for _ in 0..50 {
        kept = kept_personal(&browser).await;
        if both_kept(&kept) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(both_kept(&kept), "{kept}");

    // Without a network the app starts, shows what she kept and says that it is offline.
    let offline = Offline::begin(&browser).await;
    browser.goto(&app.url("/")).await.unwrap();
    wait_for_text(&browser, ".card__title", &child).await;
    wait_for_text(&browser, ".offline-note", "Ingen internetanslutning").await;
    check_page(&browser, "offline-start").await;
    offline.end(&browser).await;

    // Logging out forgets what was kept: the next person on this phone cannot read it, offline
    // either.
    browser
        .click(".menu-button")
        .await
        .expect("the phone's menu");
    browser
        .click(".site-header__tools button.button--on-primary")
        .await
        .expect("Logga ut");
    wait_for_text(&browser, "#logged-out", "Du är nu utloggad").await;
    assert_eq!(kept_personal(&browser).await, json!([]));
    let offline = Offline::begin(&browser).await;
    browser.goto(&app.url("/")).await.unwrap();
    browser.wait_for("main h1").await.unwrap();
    let page = js(&browser, "return document.body.innerText;").await;
    assert!(
        !page.as_str().unwrap().contains(&child),
        "the child's name is shown after logout: {page}"
    );
    offline.end(&browser).await;
    browser.close().await.unwrap();
}
