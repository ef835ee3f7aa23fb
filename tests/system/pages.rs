//! The pages every user meets and the staff's first pages, in headless Chromium against the real
//! backend, at 360 px and 1280 px with axe-core: the header in one row on a phone, a visible
//! focus on every control of every page, a deep link that survives logging in (password or
//! BankID), logging out, an unknown address, offer deadlines, "Mina elever" and the pupil card's
//! guardians, and preschool staff's "Dagens barn".

use std::time::Duration;

use serde_json::Value;
use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::TestApp;

use crate::childcare_flows::{child_id, offered, personnummer};
use crate::ui::{app_with_spa, browser, check_page, id_of, password_login, wait_for_text};

/// How tall the header may be on a phone: one row of 44–48 px controls and its padding.
const ONE_ROW_PX: f64 = 72.0;
/// The name's row and two rows of language buttons.
const LOGGED_OUT_PX: f64 = 170.0;

async fn js(browser: &Browser, script: &str) -> Value {
    browser.client().execute(script, vec![]).await.unwrap()
}

async fn header_height(browser: &Browser) -> f64 {
    js(
        browser,
        "return document.querySelector('.site-header').getBoundingClientRect().height;",
    )
    .await
    .as_f64()
    .unwrap()
}

async fn assert_one_row(browser: &Browser, page: &str) {
    assert_header_within(browser, page, ONE_ROW_PX).await;
}

async fn assert_header_within(browser: &Browser, page: &str, max_px: f64) {
    browser.resize(Viewport::PHONE).await.unwrap();
    let height = header_height(browser).await;
    assert!(
        height <= max_px,
        "{page}: the header takes {height} px of a 740 px phone screen"
    );
    let overflow = js(
        browser,
        "return document.documentElement.scrollWidth > window.innerWidth;",
    )
    .await;
    assert_eq!(overflow, Value::Bool(false), "{page} scrolls sideways");
}

async fn is_visible(browser: &Browser, css: &str) -> bool {
    let script = format!(
        "const e = document.querySelector({css:?}); \
         return !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';"
    );
    js(browser, &script).await == Value::Bool(true)
}

/// The logged-in person's menu on a phone: opened by the "Meny" button, as a finger does (a
/// keyboard walk may have left the focus on the skip link, which then shows over the header).
async fn open_menu(browser: &Browser) {
    js(
        browser,
        "document.activeElement && document.activeElement.blur(); return true;",
    )
    .await;
    browser
        .click(".menu-button")
        .await
        .expect("the menu button");
    for _ in 0..20 {
        if is_visible(browser, ".main-nav").await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the menu did not open");
}

#[tokio::test]
async fn on_a_phone_the_header_and_the_menu_take_one_row() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url("/login")).await.unwrap();
    browser.wait_for("#username").await.unwrap();
    // Logged out there is no menu button: the header is the name and, on rows of its own, the
    // language switch, so that a newcomer finds their language first (six in the demo).
    assert_header_within(&browser, "login", LOGGED_OUT_PX).await;

    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    assert_one_row(&browser, "children").await;
    assert!(
        !is_visible(&browser, ".main-nav").await,
        "the pages are behind the menu button"
    );
    assert_eq!(
        js(
            &browser,
            "return document.querySelector('.menu-button').getAttribute('aria-expanded');"
        )
        .await,
        "false"
    );
    open_menu(&browser).await;
    assert_eq!(
        js(
            &browser,
            "return document.querySelector('.menu-button').getAttribute('aria-expanded');"
        )
        .await,
        "true"
    );
    for control in [
        ".main-nav a[href='/barnomsorg']",
        ".lang-switch__option[lang=en]",
        ".site-header__tools button.button--on-primary",
    ] {
        assert!(
            is_visible(&browser, control).await,
            "{control} in the open menu"
        );
    }
    browser.assert_accessible("the open menu (360 px)").await;
    browser
        .screenshot(crate::ui::screenshot_dir().join("menu-open-360.png"))
        .await
        .unwrap();
    // Going somewhere closes the menu; the new page's header is one row again.
    browser
        .click(".main-nav a[href='/barnomsorg']")
        .await
        .unwrap();
    browser
        .wait_for(".status-badge, .empty-state, h2")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Barnomsorg").await;
    assert!(!is_visible(&browser, ".main-nav").await, "the menu closed");
    assert_one_row(&browser, "childcare").await;
    check_page(&browser, "childcare-header").await;
    // On a laptop the pages are in the header without a button.
    browser.resize(Viewport::DESKTOP).await.unwrap();
    assert!(is_visible(&browser, ".main-nav a[href='/children']").await);
    assert!(!is_visible(&browser, ".menu-button").await);
    browser.close().await.unwrap();
}

/// Who logs in and the pages they then see, for the focus walk.
async fn pages_by_person(app: &TestApp) -> Vec<(Option<&'static str>, Vec<String>)> {
    let anna = app.login("anna").await;
    let ella = child_id(&anna, "Ella").await;
    let nils = id_of(
        app,
        "SELECT id FROM person WHERE given_name = 'Nils' AND family_name = 'Lindqvist'",
    )
    .await;
    let (_, forskola) = app.login("forskola").await.get_json("/api/me").await;
    let unit = forskola["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["kind"] != "school")
        .expect("a preschool")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let class_8a = id_of(
        app,
        "SELECT g.id FROM school_group g JOIN unit u ON u.id = g.unit_id \
         WHERE u.name = 'Solviksskolan' AND g.name = '8A'",
    )
    .await;
    let solvik = id_of(app, "SELECT id FROM unit WHERE name = 'Solviksskolan'").await;
    let lesson_8a = id_of(
        app,
        "SELECT l.id FROM lesson l JOIN school_group g ON g.id = l.group_id \
         JOIN unit u ON u.id = g.unit_id WHERE u.name = 'Solviksskolan' AND g.name = '8A' \
         AND l.weekday = 2 AND l.activity <> 'lunch' ORDER BY l.starts_at LIMIT 1",
    )
    .await;
    let leo = id_of(
        app,
        "SELECT id FROM person WHERE given_name = 'Leo' AND family_name = 'Sjöberg'",
    )
    .await;
    let own = |paths: &[&str]| paths.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
    vec![
        (
            None,
            own(&["/login", "/finns-inte", "/bankid-fel?orsak=expired"]),
        ),
        (
            Some("anna"),
            vec![
                "/children".to_owned(),
                "/barnomsorg".into(),
                "/barnomsorg/inkomst".into(),
                "/barnomsorg/ansokan".into(),
                "/barnomsorg/erbjudanden".into(),
                "/barnomsorg/uppsagning".into(),
                format!("/barnomsorg/schema/{ella}"),
                format!("/barnomsorg/hamtare/{ella}"),
                "/contact".into(),
                "/franvaro".into(),
                "/schema".into(),
                "/listor".into(),
                format!("/listor/skola/{solvik}"),
                "/uppgifter".into(),
                "/password".into(),
                "/samtycken".into(),
                format!("/samtal/{nils}/boka"),
            ],
        ),
        (
            Some("elev"),
            vec![
                "/me".to_owned(),
                "/schema".into(),
                format!("/listor/grupp/{class_8a}"),
            ],
        ),
        (
            Some("larare"),
            vec![
                "/personal".to_owned(),
                format!("/personal/elev/{nils}"),
                "/personal/schema".into(),
                "/personal/listor".into(),
                format!("/personal/listor/grupp/{class_8a}"),
                "/personal/matsedel".into(),
                format!("/personal/narvaro/{lesson_8a}/2026-11-24"),
                format!("/samtal/grupp/{class_8a}"),
                format!("/betyg/grupp/{class_8a}"),
                format!("/betyg/skola/{solvik}"),
                format!("/samtal/{leo}"),
                format!("/samtal/{leo}/plan"),
            ],
        ),
        (
            Some("forskola"),
            vec![format!("/personal/dag/{unit}"), "/personal".into()],
        ),
        (
            Some("handlaggare"),
            own(&[
                "/handlaggare",
                "/handlaggare/ko",
                "/handlaggare/erbjudanden",
                "/handlaggare/dokument",
            ]),
        ),
    ]
}

/// WCAG 2.4.7: tabbing through each page, every control that gets the focus shows it clearly,
/// on the page and on the header's dark background, the chosen language's light button
/// included. (axe-core does not check this.)
#[tokio::test]
async fn every_control_of_every_page_shows_the_keyboard_focus() {
    let app = app_with_spa(false).await;
    let _offer = offered(&app, "anna", "Ella", "Förskolan Ekorren").await;
    let mut problems = Vec::new();
    let mut visited = 0;
    for (person, paths) in pages_by_person(&app).await {
        let browser = browser().await;
        if let Some(person) = person {
            password_login(&browser, &app, person, app.password_of(person)).await;
            if matches!(person, "larare" | "forskola") {
                crate::ui::step_up(&browser, &app, person).await;
            }
            browser.wait_for(".site-header .menu-button").await.unwrap();
        }
        for path in paths {
            for viewport in [Viewport::DESKTOP, Viewport::PHONE] {
                browser.resize(viewport).await.unwrap();
                browser.goto(&app.url(&path)).await.unwrap();
                browser.wait_for("h1").await.unwrap();
                // Let the page's own data arrive: its controls are what is tabbed through.
                tokio::time::sleep(Duration::from_millis(400)).await;
                let mut walks = vec![browser.focus_walk(None, 40).await.unwrap()];
                if viewport == Viewport::PHONE && is_visible(&browser, ".menu-button").await {
                    open_menu(&browser).await;
                    walks.push(browser.focus_walk(Some(".menu-button"), 14).await.unwrap());
                }
                for walk in walks {
                    visited += walk.visited;
                    problems.extend(
                        walk.problems
                            .into_iter()
                            .map(|p| format!("{path} ({} px): {p}", viewport.width)),
                    );
                }
            }
        }
        browser.close().await.unwrap();
    }
    assert!(visited > 200, "only {visited} controls were reached by Tab");
    assert!(
        problems.is_empty(),
        "focus cannot be seen on {} control(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A link opened while logged out leads through the login page and back to that page, by
/// password and by BankID.
#[tokio::test]
async fn a_deep_link_opened_while_logged_out_comes_back_after_login() {
    let app = app_with_spa(true).await;
    offered(&app, "anna", "Ella", "Förskolan Ekorren").await;
    let deep = "/barnomsorg/erbjudanden";

    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url(deep)).await.unwrap();
    browser.wait_for("#username").await.expect("sent to log in");
    assert!(
        browser
            .current_url()
            .await
            .unwrap()
            .contains("/login?return_to="),
        "the login page knows where to return"
    );
    check_page(&browser, "login-with-return").await;
    browser.fill("#username", "anna").await.unwrap();
    browser
        .fill("#password", app.password_of("anna"))
        .await
        .unwrap();
    browser.click("form button[type=submit]").await.unwrap();
    wait_for_text(&browser, "h1", "Platserbjudanden").await;
    wait_for_text(&browser, ".offer", "Förskolan Ekorren").await;
    assert!(browser.current_url().await.unwrap().ends_with(deep));
    browser.close().await.unwrap();

    let browser = self::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url(deep)).await.unwrap();
    browser.wait_for("#username").await.unwrap();
    browser
        .click("a.button--secondary")
        .await
        .expect("Logga in med BankID");
    browser
        .fill("#personnummer", &personnummer(&app, "anna").await)
        .await
        .expect("the provider's BankID page");
    browser.click("#bankid-login").await.unwrap();
    wait_for_text(&browser, "h1", "Platserbjudanden").await;
    wait_for_text(&browser, ".offer", "Förskolan Ekorren").await;
    assert!(browser.current_url().await.unwrap().ends_with(deep));
    browser.close().await.unwrap();
}

#[tokio::test]
async fn logging_out_says_so() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    open_menu(&browser).await;
    browser
        .click(".site-header__tools button.button--on-primary")
        .await
        .expect("Logga ut");
    wait_for_text(&browser, "#logged-out", "Du är nu utloggad").await;
    assert!(browser.current_url().await.unwrap().contains("/login"));
    check_page(&browser, "logged-out").await;
    // The session is gone on the server too.
    browser.goto(&app.url("/children")).await.unwrap();
    browser.wait_for("#username").await.expect("back to login");
    browser.close().await.unwrap();
}

/// Issue #14.2: a guardian's first page after login, "Mina barn", is the server's page without
/// the app (no WebAssembly is loaded); the menu leads back to the same page from the app's pages;
/// it is never kept by a cache; and its languages, menu and logout work without the app.
#[tokio::test]
async fn mina_barn_is_the_servers_page_and_the_menu_leads_back_to_it() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    wait_for_text(&browser, "h1", "Mina barn").await;
    browser.wait_for(".card__title").await.unwrap();
    assert!(
        bundles(&browser)
            .await
            .iter()
            .all(|name| !name.ends_with(".wasm")),
        "the server's Mina barn loads no app: {:?}",
        bundles(&browser).await
    );
    assert_eq!(
        js(
            &browser,
            "return document.querySelectorAll('.card').length;"
        )
        .await,
        3
    );
    check_page(&browser, "children-server").await;
    let main_text = "return document.querySelector('main').innerText;";
    let from_server = js(&browser, main_text).await;
    assert!(
        is_visible(&browser, "#keep-offline").await,
        "the page's script shows the keep-offline choice"
    );

    // From the app's "Barnomsorg" back to "Mina barn" by the menu: the browser loads the
    // server's page again, with the family's day on it.
    open_menu(&browser).await;
    browser
        .click(".main-nav a[href='/barnomsorg']")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Barnomsorg").await;
    js(&browser, "window.stayed = true; return 0;").await;
    open_menu(&browser).await;
    browser
        .click(".main-nav a[href='/children']")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Mina barn").await;
    browser.wait_for(".card__title").await.unwrap();
    browser.wait_for("#start-today").await.unwrap();
    assert_eq!(js(&browser, "return window.stayed === true;").await, false);
    assert_eq!(js(&browser, main_text).await, from_server);

    // Nobody keeps the server's page: not a shared cache, not the service worker.
    let anna = app.login_password_only("anna").await;
    for path in ["/", "/children"] {
        let page = anna.get(path).await;
        assert_eq!(
            page.headers()["cache-control"],
            "private, no-store",
            "{path}"
        );
        let html = page.text().await.unwrap();
        assert!(
            html.contains("class=\"card__title\""),
            "{path} is the server's page"
        );
        assert!(!html.contains("type=module"), "{path} runs no app");
    }
    // Someone whose start is another page gets the app there.
    let page = app.login_password_only("larare").await.get("/").await;
    assert_ne!(page.headers()["cache-control"], "private, no-store");
    assert!(page.text().await.unwrap().contains("type=module"));

    // Its languages are links that it remembers; its logout is a form.
    browser.goto(&app.url("/")).await.unwrap();
    browser.wait_for(".card__title").await.unwrap();
    open_menu(&browser).await;
    browser
        .click(".lang-switch__option[lang=ar]")
        .await
        .unwrap();
    wait_for_text(
        &browser,
        "h1",
        &crate::pwa::catalogue_text("ar", "children.title"),
    )
    .await;
    assert_eq!(
        js(
            &browser,
            "return [document.documentElement.lang, document.documentElement.dir];"
        )
        .await,
        serde_json::json!(["ar", "rtl"])
    );
    check_page(&browser, "children-server-ar").await;
    browser.goto(&app.url("/children")).await.unwrap();
    wait_for_text(
        &browser,
        "h1",
        &crate::pwa::catalogue_text("ar", "children.title"),
    )
    .await;
    open_menu(&browser).await;
    browser
        .click("#logout-form button[type=submit]")
        .await
        .unwrap();
    browser.wait_for("#logged-out .alert").await.unwrap();
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .contains("/login?utloggad=1"));
    browser.goto(&app.url("/children")).await.unwrap();
    browser
        .wait_for("#username")
        .await
        .expect("the session is over");
    browser.close().await.unwrap();
}

/// An address that is no page keeps the header and the person logged in: the way back is one
/// click.
#[tokio::test]
async fn an_unknown_address_keeps_the_header_and_the_login() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser
        .goto(&app.url("/barnomsorg/finns-inte"))
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Sidan finns inte").await;
    browser.resize(Viewport::DESKTOP).await.unwrap();
    browser
        .wait_for(".main-nav a[href='/children']")
        .await
        .expect("the logged-in header on an unknown address");
    browser
        .wait_for(".site-header__tools button.button--on-primary")
        .await
        .expect("the logout button");
    check_page(&browser, "not-found-logged-in").await;
    browser.close().await.unwrap();
}

/// "Mina elever" starts with the teacher's own mentor class and orders classes by school year
/// (förskoleklass first); the pupil card shows the guardians' phones and e-mail; the search is
/// still there on coming back.
/// The wasm and JS bundles the page has loaded, by file name.
async fn bundles(browser: &Browser) -> Vec<String> {
    let names = js(
        browser,
        "return performance.getEntriesByType('resource').map(e => e.name.split('/').pop()).filter(n => n.endsWith('.wasm') || n.endsWith('.js'));",
    )
    .await;
    names
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_owned())
        .collect()
}

/// Issue #14.1: a teacher logs in on the families' app and lands in the staff's app, which loads
/// only its own bundle; her own account is another app, reached by one link without logging in
/// again, and a reload of a deep link keeps working.
#[tokio::test]
async fn each_audience_loads_only_its_own_app_and_moves_between_apps_with_one_link() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    crate::ui::step_up(&browser, &app, "larare").await;
    browser.wait_for(".pupil-group h3").await.unwrap();
    assert!(browser.current_url().await.unwrap().ends_with("/personal"));
    let staff = bundles(&browser).await;
    assert!(
        staff.iter().any(|n| n.starts_with("skolportal-staff-")),
        "{staff:?}"
    );
    assert!(
        !staff
            .iter()
            .any(|n| n.starts_with("skolportal-frontend-") || n.starts_with("skolportal-officers-")),
        "the staff's page loaded another app's bundle: {staff:?}"
    );

    // One link to her own account: another app, the same session.
    browser.click(".site-header .menu-button").await.ok();
    browser.click("a[href='/uppgifter']").await.unwrap();
    browser.wait_for("#extract-print").await.unwrap();
    assert!(browser.current_url().await.unwrap().ends_with("/uppgifter"));
    let account = bundles(&browser).await;
    assert!(
        account.iter().any(|n| n.starts_with("skolportal-account-"))
            && !account.iter().any(|n| n.starts_with("skolportal-staff-")),
        "{account:?}"
    );

    // A deep link into the staff's app, opened afresh, is served that app.
    browser
        .goto(&app.url("/personal/dag/00000000-0000-0000-0000-000000000000"))
        .await
        .unwrap();
    browser.wait_for("main h1").await.unwrap();
    let deep = bundles(&browser).await;
    assert!(
        deep.iter().any(|n| n.starts_with("skolportal-staff-")),
        "{deep:?}"
    );
}

#[tokio::test]
async fn a_teacher_starts_with_her_mentor_class_calls_home_and_keeps_her_search() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    crate::ui::step_up(&browser, &app, "larare").await;
    browser.wait_for(".pupil-group h3").await.unwrap();
    let headings = js(
        &browser,
        "return [...document.querySelectorAll('.pupil-group h3')].map(h => h.textContent);",
    )
    .await;
    let headings: Vec<&str> = headings
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert!(
        headings[0].contains("8A"),
        "her mentor class first: {headings:?}"
    );
    let at = |class: &str| {
        headings
            .iter()
            .position(|h| h.starts_with(&format!("Klass {class}")))
            .unwrap_or_else(|| panic!("{class} in {headings:?}"))
    };
    assert!(
        at("FA") < at("1A"),
        "förskoleklass before year 1: {headings:?}"
    );
    assert!(at("1A") < at("9A"), "{headings:?}");
    check_page(&browser, "staff-mentor-first").await;

    browser.resize(Viewport::DESKTOP).await.unwrap();
    browser
        .fill("#pupil-search", "nils lindqvist")
        .await
        .unwrap();
    wait_for_text(&browser, "#pupil-count", "Visar 1 av").await;
    browser
        .click(".pupil-list a[href^='/personal/elev/']")
        .await
        .unwrap();
    let guardians = wait_for_text(&browser, ".guardian-list", "Anna Lindqvist").await;
    assert!(guardians.contains("Vårdnadshavare"), "{guardians}");
    let (_, anna) = app.login("anna").await.get_json("/api/me").await;
    let phone = anna["phone"].as_str().unwrap().replace(' ', "");
    browser
        .wait_for(&format!(".guardian-list a[href='tel:{phone}']"))
        .await
        .expect("a link that calls Anna");
    browser
        .wait_for(".guardian-list a[href^='mailto:']")
        .await
        .expect("a link that mails home");
    check_page(&browser, "pupil-card-guardians").await;

    browser.client().back().await.unwrap();
    browser.wait_for("#pupil-search").await.unwrap();
    wait_for_text(&browser, "#pupil-count", "Visar 1 av").await;
    assert_eq!(
        js(
            &browser,
            "return document.querySelector('#pupil-search').value;"
        )
        .await,
        "nils lindqvist",
        "the search is kept when going back"
    );
    browser.close().await.unwrap();
}

#[tokio::test]
async fn preschool_staff_land_on_the_days_children() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "forskola", app.password_of("forskola")).await;
    crate::ui::step_up(&browser, &app, "forskola").await;
    // The sheet of the browser's today: on a weekend it lists no one, so wait for its count.
    browser
        .wait_for("#day-sheet-count")
        .await
        .expect("Dagens barn after login");
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .contains("/personal/dag/"));
    check_page(&browser, "preschool-landing").await;
    browser.close().await.unwrap();
}
