//! The SPA in headless Chromium against the real backend: log in, change a handed-out password,
//! see one's children, BankID through the test provider's page, the register extract. axe-core
//! checks every page at phone and desktop width, and each is saved as a screenshot to look at.

use std::path::PathBuf;

use skolportal_tests::app::TestOptions;
use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::TestApp;

pub(crate) fn dist() -> PathBuf {
    if let Some(dir) = std::env::var_os("SKOLPORTAL_TEST_DIST") {
        return PathBuf::from(dir);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist");
    assert!(
        dir.join("index.html").is_file(),
        "the browser tests need the built SPA: run `cargo xtask test` (or `cargo xtask spa` first)"
    );
    dir
}

pub(crate) fn screenshot_dir() -> PathBuf {
    std::env::var_os("SKOLPORTAL_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots"))
}

pub(crate) async fn app_with_spa(bankid: bool) -> TestApp {
    TestApp::spawn_with(TestOptions {
        static_dir: Some(dist()),
        bankid,
        ..Default::default()
    })
    .await
}

pub(crate) async fn browser() -> Browser {
    Browser::launch()
        .await
        .expect("headless Chromium (run `cargo xtask setup`)")
}

/// Checks the current page at both widths: axe-core finds nothing, and a screenshot is saved.
pub(crate) async fn check_page(browser: &Browser, name: &str) {
    for viewport in [Viewport::PHONE, Viewport::DESKTOP] {
        browser.resize(viewport).await.expect("resize");
        browser.wait_for("h1").await.expect("a heading");
        browser
            .assert_accessible(&format!("{name} ({} px)", viewport.width))
            .await;
        let _ = browser
            .screenshot(screenshot_dir().join(format!("{name}-{}.png", viewport.width)))
            .await;
    }
    browser.resize(Viewport::PHONE).await.expect("resize");
}

/// [`no_sideways_scroll`] at 360 px, then [`check_page`] at both widths.
pub(crate) async fn check_fits(browser: &Browser, name: &str) {
    no_sideways_scroll(browser, name).await;
    check_page(browser, name).await;
}

pub(crate) async fn password_login(
    browser: &Browser,
    app: &TestApp,
    username: &str,
    password: &str,
) {
    browser.goto(&app.url("/login")).await.expect("login page");
    submit_login(browser, username, password).await;
}

/// Fills in and sends the login form on the page (or frame) the browser is in.
pub(crate) async fn submit_login(browser: &Browser, username: &str, password: &str) {
    browser.fill("#username", username).await.expect("username");
    browser.fill("#password", password).await.expect("password");
    browser
        .click("form button[type=submit]")
        .await
        .expect("submit");
}

/// Waits until a login has landed: the browser has left the login page (and the BankID
/// provider) for the portal's page after it, and that page has its heading. The login page has
/// a heading too, so waiting for one alone would let the next `goto` race the landing's
/// redirect, which then wins and leaves the test on the wrong page.
pub(crate) async fn landed(browser: &Browser, app: &TestApp) {
    let portal = app.url("/");
    for _ in 0..100 {
        let url = browser.current_url().await.unwrap_or_default();
        if url.starts_with(&portal) && !url.contains("/login") {
            browser
                .wait_for("h1")
                .await
                .expect("the landing page's heading");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the login did not land within 20 s");
}

/// Answers the step-up form a staff page shows after a password login ("Bekräfta att det är
/// du") with the demo account's one-time code.
pub(crate) async fn step_up(browser: &Browser, app: &TestApp, username: &str) {
    browser
        .wait_for("#totp-code")
        .await
        .expect("the step-up form");
    let code = app.one_time_code(username).await;
    browser.fill("#totp-code", &code).await.expect("the code");
    browser
        .click(".step-up button[type=submit]")
        .await
        .expect("confirm");
    // The page shows again, stronger, once the form is gone.
    for _ in 0..50 {
        let gone = browser
            .client()
            .find(fantoccini::Locator::Css("#totp-code"))
            .await
            .is_err();
        if gone {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the step-up form stayed after the code");
}

pub(crate) async fn wait_for_text(browser: &Browser, css: &str, needle: &str) -> String {
    // Up to 20 s: on a loaded CI machine (many browsers on two cores) an answer can take
    // seconds; a text that never comes still fails.
    // The whole wait is bounded, not each look: an element that never appears would otherwise
    // cost the browser's own timeout on every one of them.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while tokio::time::Instant::now() < deadline {
        let look = tokio::time::timeout_at(deadline, browser.text(css)).await;
        if let Ok(Ok(text)) = look {
            if text.contains(needle) {
                return text;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let text = tokio::time::timeout(std::time::Duration::from_secs(2), browser.text(css))
        .await
        .map(Result::unwrap_or_default)
        .unwrap_or_default();
    panic!("`{css}` never contained {needle:?}; it says {text:?}");
}

#[tokio::test]
async fn a_guardian_changes_her_handed_out_password_and_sees_exactly_her_children() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url("/login")).await.unwrap();
    check_page(&browser, "login").await;

    password_login(&browser, &app, "nyforalder", app.password_of("nyforalder")).await;
    browser
        .wait_for("#new-password")
        .await
        .expect("forced to the password page");
    check_page(&browser, "password").await;
    browser
        .fill("#current-password", app.password_of("nyforalder"))
        .await
        .unwrap();
    browser
        .fill("#new-password", "Mitt1Nyalosen")
        .await
        .unwrap();
    browser
        .fill("#repeat-password", "Mitt1Nyalosen")
        .await
        .unwrap();
    browser.click("form button[type=submit]").await.unwrap();

    browser
        .wait_for(".card__title")
        .await
        .expect("Mina barn after the change");
    let (_, expected) = {
        let client = app.anonymous();
        assert_eq!(
            client.login("nyforalder", "Mitt1Nyalosen").await.status(),
            200
        );
        client.get_json("/api/children").await
    };
    let mut expected: Vec<String> = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["given_name"].as_str().unwrap(),
                c["family_name"].as_str().unwrap()
            )
        })
        .collect();
    let titles = browser
        .client()
        .find_all(fantoccini::Locator::Css(".card__title"))
        .await
        .unwrap();
    let mut shown = Vec::new();
    for t in titles {
        shown.push(t.text().await.unwrap());
    }
    expected.sort();
    shown.sort();
    assert_eq!(shown, expected, "exactly her own children");
    check_page(&browser, "children").await;

    browser.goto(&app.url("/contact")).await.unwrap();
    check_page(&browser, "contact").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_wrong_password_is_explained_and_repeated_failures_are_throttled() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", "Fel1lösenord").await;
    wait_for_text(&browser, ".alert--error", "lösenord").await;
    check_page(&browser, "login-error").await;
    for _ in 0..4 {
        browser.fill("#password", "Fel1lösenord").await.unwrap();
        browser.click("form button[type=submit]").await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    browser
        .fill("#password", app.password_of("anna"))
        .await
        .unwrap();
    browser.click("form button[type=submit]").await.unwrap();
    wait_for_text(&browser, ".alert--error", "minut").await;
    check_page(&browser, "login-throttled").await;
    browser.close().await.unwrap();
}

/// English chosen on the login page, which the server writes in it; the choice survives a reload.
#[tokio::test]
async fn english_is_fetched_when_chosen_and_remembered() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url("/login")).await.unwrap();
    wait_for_text(&browser, "h1", "Logga in").await;
    browser
        .click(".lang-switch__option[lang=en]")
        .await
        .expect("the language switch offers English");
    wait_for_text(&browser, "h1", "Log in").await;
    wait_for_text(&browser, "label[for=username]", "Username").await;
    browser.goto(&app.url("/login")).await.unwrap();
    wait_for_text(&browser, "h1", "Log in").await;
    check_page(&browser, "login-english").await;
    browser
        .click(".lang-switch__option[lang=sv]")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Logga in").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_pupil_sees_his_own_card_on_a_phone() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "elev", app.password_of("elev")).await;
    browser
        .wait_for("#pupil-name")
        .await
        .expect("the pupil card");
    wait_for_text(&browser, ".card", "8A").await;
    // Nothing on a 360 px page is wider than the screen.
    let overflow = browser
        .client()
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow,
        serde_json::Value::Bool(false),
        "the page scrolls sideways at 360 px"
    );
    check_page(&browser, "pupil-card").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_teacher_sees_her_pupils_and_opens_a_card() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    step_up(&browser, &app, "larare").await;
    browser
        .wait_for("a[href^='/personal/elev/']")
        .await
        .expect("the pupil list");
    check_page(&browser, "staff").await;
    browser.click("a[href^='/personal/elev/']").await.unwrap();
    browser.wait_for(".card").await.expect("a pupil card");
    check_page(&browser, "staff-pupil-card").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_guardian_logs_in_with_bankid_and_lands_on_her_children() {
    let app = app_with_spa(true).await;
    let anna = app.personnummer_of("Anna", "Lindqvist").await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url("/login")).await.unwrap();
    browser
        .click("a.button--secondary")
        .await
        .expect("Logga in med BankID");
    browser
        .fill("#personnummer", &anna)
        .await
        .expect("the provider's BankID page");
    browser.click("#bankid-login").await.unwrap();
    browser
        .wait_for(".card__title")
        .await
        .expect("Mina barn after BankID");
    let text = browser.text("main").await.unwrap();
    for name in ["Ella", "Nils", "Saga"] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_protected_person_is_refused_with_an_explanation() {
    let app = app_with_spa(true).await;
    let demo = skolportal_backend::demo::generate(skolportal_backend::demo::DemoOptions {
        seed: 2026,
        scale: skolportal_backend::demo::Scale::Demo,
        today: skolportal_tests::app::demo_today(),
        schedules: false,
    })
    .unwrap();
    let protected = demo
        .snapshot
        .persons
        .iter()
        .find(|p| p.source_id == demo.protected_child_source_id)
        .unwrap();
    let browser = browser().await;
    browser.goto(&app.url("/login")).await.unwrap();
    browser.click("a.button--secondary").await.unwrap();
    browser
        .fill("#personnummer", &protected.personnummer)
        .await
        .unwrap();
    browser.click("#bankid-login").await.unwrap();
    browser
        .wait_for("#bankid-error-reason")
        .await
        .expect("the refusal page");
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .contains("/bankid-fel?orsak=unknown_person"));
    check_page(&browser, "bankid-refused").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_register_extract_shows_the_teacher_who_opened_the_childs_card() {
    let app = app_with_spa(false).await;
    let nils = {
        let (_, children) = app.login("anna").await.get_json("/api/children").await;
        children
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["given_name"] == "Nils")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let browser = browser().await;
    // The teacher opens Nils's card in her own browser session.
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    step_up(&browser, &app, "larare").await;
    browser
        .wait_for("a[href^='/personal/elev/']")
        .await
        .unwrap();
    browser
        .goto(&app.url(&format!("/personal/elev/{nils}")))
        .await
        .unwrap();
    wait_for_text(&browser, ".card", "Nils").await;
    browser.close().await.unwrap();

    // The extract asks for a one-time code where it stands (rule 11).
    app.turn_on_codes("anna").await;
    let browser = self::browser().await;
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser.goto(&app.url("/uppgifter")).await.unwrap();
    step_up(&browser, &app, "anna").await;
    wait_for_text(&browser, "main", "Lena Strand").await;
    browser
        .wait_for(".access-log-entry")
        .await
        .expect("access-log rows");
    check_page(&browser, "register-extract").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn an_unknown_page_says_so_accessibly() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.goto(&app.url("/finns-inte")).await.unwrap();
    check_page(&browser, "not-found").await;
    browser
        .goto(&app.url("/bankid-fel?orsak=low_assurance"))
        .await
        .unwrap();
    browser.wait_for("#bankid-error-reason").await.unwrap();
    check_page(&browser, "bankid-error-low-assurance").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_guardian_files_an_income_statement_and_signs_it_with_bankid() {
    let app = app_with_spa(true).await;
    let pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url("/login")).await.unwrap();
    browser.click("a.button--secondary").await.unwrap();
    browser.fill("#personnummer", &pnr).await.unwrap();
    browser.click("#bankid-login").await.unwrap();
    browser.wait_for(".card__title").await.unwrap();

    browser.goto(&app.url("/barnomsorg/inkomst")).await.unwrap();
    browser
        .wait_for("input[inputmode=numeric]")
        .await
        .expect("the income field");
    check_page(&browser, "income-statement").await;
    browser
        .fill("input[inputmode=numeric]", "45000")
        .await
        .unwrap();
    // The preview uses the same fee function as the server.
    wait_for_text(&browser, "main", "kr").await;
    browser.click("form button[type=submit]").await.unwrap();
    browser
        .wait_for("#sign-button")
        .await
        .expect("the draft document");
    wait_for_text(&browser, "#document-text", "45 000 kr").await;
    check_page(&browser, "document-draft").await;

    browser.click("#sign-button").await.unwrap();
    // The provider asks for BankID again, then shows the text to sign.
    browser
        .fill("#personnummer", &pnr)
        .await
        .expect("the provider's login for signing");
    browser.click("#bankid-login").await.unwrap();
    wait_for_text(&browser, "#sign-message", "45 000 kr").await;
    browser.click("#bankid-sign").await.unwrap();
    browser
        .wait_for("#receipt")
        .await
        .expect("the receipt after signing");
    wait_for_text(&browser, "#receipt", "Anna").await;
    check_page(&browser, "document-signed").await;
    browser.goto(&app.url("/barnomsorg")).await.unwrap();
    browser.wait_for(".status-badge").await.unwrap();
    check_page(&browser, "childcare").await;
    browser.close().await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM signature_evidence").await,
        1
    );
}

#[tokio::test]
async fn a_password_session_is_told_that_signing_needs_bankid() {
    let app = app_with_spa(false).await;
    let anna = app.login("anna").await;
    let draft: serde_json::Value = anna
        .post(
            "/api/childcare/income-statements",
            &serde_json::json!({"valid_from": "2026-12-01", "max_fee_accepted": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    let browser = browser().await;
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser
        .goto(&app.url(&format!("/barnomsorg/dokument/{id}")))
        .await
        .unwrap();
    wait_for_text(&browser, "#sign-blocked", "BankID").await;
    check_page(&browser, "document-bankid-required").await;
    browser.close().await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM signature_evidence").await,
        0
    );
}

pub(crate) async fn id_of(app: &TestApp, sql: &str) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<uuid::Uuid>(0).unwrap().to_string()
}

/// Sets a date input's value as the date picker would (typing into one depends on the locale).
pub(crate) async fn set_date(browser: &Browser, css: &str, date: &str) {
    browser.wait_for(css).await.unwrap();
    browser
        .client()
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![css.into(), date.into()],
        )
        .await
        .unwrap();
}

pub(crate) async fn no_sideways_scroll(browser: &Browser, page: &str) {
    no_sideways_scroll_at(browser, Viewport::PHONE, page).await;
}

/// The page at `viewport`'s width has nothing wider than the window; the browser stays at that
/// width.
pub(crate) async fn no_sideways_scroll_at(browser: &Browser, viewport: Viewport, page: &str) {
    browser.resize(viewport).await.unwrap();
    let overflow = browser
        .client()
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow,
        serde_json::Value::Bool(false),
        "{page} scrolls sideways at {} px",
        viewport.width
    );
}

#[tokio::test]
async fn an_officer_offers_a_place_from_the_queue_and_reads_a_signed_document() {
    use serde_json::json;
    let app = app_with_spa(true).await;
    let ella = id_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Ella' AND family_name = 'Lindqvist'",
    )
    .await;
    // A second family with a preschool child (Alva Berg is of school age).
    let (alva, alva_name, alva_guardian) = skolportal_tests::app::other_preschool_child(&app).await;
    let ekorren = id_of(&app, "SELECT id FROM unit WHERE name = 'Förskolan Ekorren'").await;
    let larkan = id_of(&app, "SELECT id FROM unit WHERE name = 'Förskolan Lärkan'").await;
    // Alva applied five months ago: a place should have been offered by now.
    let now = app.clock.now();
    app.clock.set(now - chrono::Duration::days(150));
    let guardian = app.anonymous();
    assert_eq!(
        guardian.bankid_login(&alva_guardian, "loa3").await.status(),
        302
    );
    let alva_app: serde_json::Value = guardian
        .post(
            "/api/childcare/applications",
            &json!({"child_id": alva, "wished_start": "2026-08-17", "unit_ids": [ekorren], "hours_per_week": 25}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.clock.set(now);
    let ella_app: serde_json::Value = app
        .login("anna")
        .await
        .post(
            "/api/childcare/applications",
            &json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [ekorren, larkan], "hours_per_week": 30}),
        )
        .await
        .json()
        .await
        .unwrap();
    // Anna signs an income statement with BankID: the document the officer will open.
    let pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let anna = app.anonymous();
    assert_eq!(anna.bankid_login(&pnr, "loa3").await.status(), 302);
    let statement: serde_json::Value = anna
        .post(
            "/api/childcare/income-statements",
            &json!({"valid_from": "2026-12-01", "max_fee_accepted": false, "gross_monthly_income": 38_000}),
        )
        .await
        .json()
        .await
        .unwrap();
    let statement_id = statement["id"].as_str().unwrap().to_owned();
    assert!(anna
        .sign_document(&statement_id, &pnr)
        .await
        .ends_with("?signerat=1"));

    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(
        &browser,
        &app,
        "handlaggare",
        app.password_of("handlaggare"),
    )
    .await;
    browser
        .wait_for(".officer-start")
        .await
        .expect("the officer's start page");
    check_page(&browser, "officer-start").await;

    // The queue of Förskolan Ekorren, in queue order, the overdue application marked.
    browser.click("a[href='/handlaggare/ko']").await.unwrap();
    browser
        .wait_for("#queue-unit")
        .await
        .expect("the unit choice");
    // The queue is about children: an officer's password alone is not enough.
    browser
        .wait_for("#queue-unit")
        .await
        .unwrap()
        .select_by_value(&ekorren)
        .await
        .unwrap();
    step_up(&browser, &app, "handlaggare").await;
    browser
        .wait_for("#queue-unit")
        .await
        .expect("the unit choice again");
    browser
        .wait_for("#queue-unit")
        .await
        .unwrap()
        .select_by_value(&ekorren)
        .await
        .unwrap();
    browser.wait_for(".queue-table").await.expect("the queue");
    let rows = wait_for_text(&browser, ".queue-table", "Ella Lindqvist").await;
    let (alva_at, ella_at) = (
        rows.find(alva_name.as_str()).unwrap(),
        rows.find("Ella Lindqvist").unwrap(),
    );
    assert!(alva_at < ella_at, "queue order: {rows}");
    // Each row: birth date and age, guardians, the wished units' free places.
    for expected in [
        "Född ",
        "Anna Lindqvist",
        "Johan Lindqvist",
        "lediga platser",
    ] {
        assert!(rows.contains(expected), "{expected} missing from {rows}");
    }
    assert!(
        browser
            .text(".queue-row--overdue")
            .await
            .unwrap()
            .contains(alva_name.as_str()),
        "Alva's application is overdue"
    );
    wait_for_text(&browser, ".overdue", "Försenad").await;
    no_sideways_scroll(&browser, "the queue").await;
    check_page(&browser, "officer-queue").await;

    // Erbjud plats: Swedish validation first, then the second-choice unit from 11 January.
    let ella_app_id = ella_app["id"].as_str().unwrap();
    browser
        .click(&format!("#offer-{ella_app_id}"))
        .await
        .unwrap();
    browser
        .wait_for(".offer-form")
        .await
        .expect("the offer form");
    set_date(&browser, "#offer-start", "2026-11-01").await;
    browser
        .click(".offer-form button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "#offer-start-error", "passerat").await;
    no_sideways_scroll(&browser, "the offer form").await;
    check_page(&browser, "officer-offer-form-error").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM placement_offer").await,
        0,
        "nothing was sent"
    );
    set_date(&browser, "#offer-start", "2027-01-11").await;
    browser
        .click(&format!("#offer-unit-{larkan}"))
        .await
        .unwrap();
    browser
        .click(".offer-form button[type=submit]")
        .await
        .unwrap();
    // Issue #13.5: a confirmation names child, unit and start date; nothing is sent before it.
    let confirm = wait_for_text(&browser, "#offer-confirm-text", "Ella Lindqvist").await;
    assert!(
        confirm.contains("Förskolan Lärkan") && confirm.contains("2027-01-11"),
        "{confirm}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM placement_offer").await, 0);
    check_page(&browser, "officer-offer-confirm").await;
    browser.click("#offer-confirm").await.unwrap();
    wait_for_text(
        &browser,
        "#offer-status",
        "Plats erbjuden till Ella Lindqvist",
    )
    .await;
    check_page(&browser, "officer-offered").await;

    // A server refusal in Swedish: another officer got to Alva first.
    let alva_app_id = alva_app["id"].as_str().unwrap();
    browser
        .click(&format!("#offer-{alva_app_id}"))
        .await
        .unwrap();
    browser.wait_for(".offer-form").await.unwrap();
    let other = app.login("handlaggare").await;
    assert_eq!(
        other
            .post(
                "/api/childcare/offers",
                &json!({"application_id": alva_app_id, "unit_id": ekorren, "start_date": "2026-12-01"}),
            )
            .await
            .status(),
        201
    );
    browser
        .click(".offer-form button[type=submit]")
        .await
        .unwrap();
    browser.click("#offer-confirm").await.unwrap();
    wait_for_text(&browser, "#offer-error", "står inte längre i kö").await;
    check_page(&browser, "officer-offer-refused").await;

    // The offer is under Erbjudanden, open, at Förskolan Lärkan from 2027-01-11.
    browser
        .goto(&app.url("/handlaggare/erbjudanden"))
        .await
        .unwrap();
    let offers = wait_for_text(&browser, ".offers-table", "Ella Lindqvist").await;
    assert!(
        offers.contains("Förskolan Lärkan") && offers.contains("2027-01-11"),
        "{offers}"
    );
    assert!(offers.contains("Väntar på svar"), "{offers}");
    browser
        .wait_for("#offer-status-filter")
        .await
        .unwrap()
        .select_by_value("accepted")
        .await
        .unwrap();
    browser
        .wait_for(".empty-state")
        .await
        .expect("no accepted offers yet");
    browser
        .wait_for("#offer-status-filter")
        .await
        .unwrap()
        .select_by_value("")
        .await
        .unwrap();
    wait_for_text(&browser, ".offers-table", &alva_name).await;
    no_sideways_scroll(&browser, "the offers").await;
    check_page(&browser, "officer-offers").await;

    // A long list: 50 rows and "Visa fler", which moves focus to the first row it adds, so
    // that focus does not fall back to the top of the page when the button goes.
    for _ in 0..55 {
        app.execute(
            "INSERT INTO placement_offer (id, municipality_id, application_id, child_id, \
             unit_id, start_date, hours_per_week, answer_deadline, status, \
             offered_by_person_id, created_at) SELECT $1, municipality_id, application_id, \
             child_id, unit_id, start_date, hours_per_week, answer_deadline, 'lapsed', \
             offered_by_person_id, created_at \
             FROM placement_offer WHERE status = 'open' AND child_id = $2",
            [
                uuid::Uuid::new_v4().into(),
                uuid::Uuid::parse_str(&ella).unwrap().into(),
            ],
        )
        .await;
    }
    browser
        .goto(&app.url("/handlaggare/erbjudanden"))
        .await
        .unwrap();
    browser.wait_for(".list-more button").await.unwrap();
    let rows = "return document.querySelectorAll('.offers-table .offer-row').length;";
    assert_eq!(browser.client().execute(rows, vec![]).await.unwrap(), 50);
    check_page(&browser, "officer-offers-more").await;
    browser.click(".list-more button").await.unwrap();
    // Row 51 was fetched only to tell that there are more; it shows with the rest of the page.
    browser
        .wait_for(".offer-row:nth-of-type(52)")
        .await
        .unwrap();
    assert_eq!(browser.client().execute(rows, vec![]).await.unwrap(), 57);
    let focused = browser
        .client()
        .execute(
            "const rows = document.querySelectorAll('.offers-table .offer-row'); \
             return document.activeElement === rows[50] && document.querySelector('.list-more') === null;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        focused,
        serde_json::Value::Bool(true),
        "focus on the 51st row, the button gone"
    );
    // The next page came by its cursor, and a screen reader hears how many rows it added.
    wait_for_text(&browser, "#list-status", "Visar 7 till, sammanlagt 57").await;
    let named = browser
        .client()
        .execute(
            "return [...document.querySelectorAll('.offers-table .offer-row td:first-child')] \
             .filter(td => td.textContent.includes('Ella Lindqvist')).length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        named, 56,
        "every offer for Ella names her, not only the first"
    );
    check_page(&browser, "officer-offers-all-shown").await;

    // Received documents, and the signed income statement with its signer and time.
    browser
        .goto(&app.url("/handlaggare/dokument"))
        .await
        .unwrap();
    wait_for_text(&browser, ".documents-table", "Anna Lindqvist").await;
    no_sideways_scroll(&browser, "the received documents").await;
    check_page(&browser, "officer-documents").await;
    // Narrowed by the day they were signed: nothing was signed before 2026, and a range that
    // ends before it starts is explained at the field, in Swedish.
    set_date(&browser, "#signed-to", "2025-12-31").await;
    wait_for_text(&browser, ".empty-state", "Inga inkomna dokument").await;
    set_date(&browser, "#signed-from", "2026-01-15").await;
    wait_for_text(
        &browser,
        "#signed-to-error",
        "Slutdatumet är före startdatumet",
    )
    .await;
    no_sideways_scroll(&browser, "the received documents with a bad range").await;
    check_page(&browser, "officer-documents-range").await;
    set_date(&browser, "#signed-to", "").await;
    wait_for_text(&browser, ".documents-table", "Anna Lindqvist").await;
    browser
        .click(&format!("a[href='/handlaggare/dokument/{statement_id}']"))
        .await
        .unwrap();
    wait_for_text(&browser, "#document-text", "38 000 kr").await;
    wait_for_text(&browser, "#receipt", "Anna Lindqvist").await;
    assert!(
        browser
            .client()
            .find(fantoccini::Locator::Css("#receipt-download"))
            .await
            .is_err(),
        "the raw evidence stays with the guardian"
    );
    no_sideways_scroll(&browser, "the document").await;
    check_page(&browser, "officer-document").await;
    browser.close().await.unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM placement_offer WHERE status = 'open'")
            .await,
        2
    );
}
