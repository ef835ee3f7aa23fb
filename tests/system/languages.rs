//! The portal in other languages than Swedish (issue #14.4): chosen on the login page before
//! logging in, fetched only then, remembered; the guardian's journey (start page, Mina barn, the
//! schedule, an application form, the class and staff lists) in Arabic, right to left, and in Finnish, at 360 px, with
//! axe-core on every page and nothing wider than the screen.

use serde_json::{json, Value};
use skolportal_tests::browser::{Browser, Viewport};

use crate::schedule::child;
use crate::ui::{app_with_spa, browser, check_page, password_login, wait_for_text};

/// The headings a journey waits for, in its language.
struct Journey {
    lang: &'static str,
    dir: &'static str,
    login: &'static str,
    children: &'static str,
    schedule: &'static str,
    apply: &'static str,
    lists: &'static str,
}

async fn run(browser: &Browser, script: &str) -> Value {
    browser
        .client()
        .execute(script, vec![])
        .await
        .expect("the script runs")
}

async fn assert_fits_the_phone(browser: &Browser, page: &str) {
    let overflow = run(
        browser,
        "return document.documentElement.scrollWidth > window.innerWidth;",
    )
    .await;
    assert_eq!(
        overflow,
        Value::Bool(false),
        "{page} scrolls sideways at 360 px"
    );
}

async fn journey(journey: Journey) {
    let app = app_with_spa(false).await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    let lang = journey.lang;

    // Chosen on the login page, before logging in.
    browser.goto(&app.url("/login")).await.unwrap();
    wait_for_text(&browser, "h1", "Logga in").await;
    browser
        .click(&format!(".lang-switch__option[lang={lang}]"))
        .await
        .expect("the language switch offers the language");
    wait_for_text(&browser, "h1", journey.login).await;
    let root = run(
        &browser,
        "return [document.documentElement.lang, document.documentElement.dir];",
    )
    .await;
    assert_eq!(root, json!([lang, journey.dir]));
    assert_fits_the_phone(&browser, "login").await;
    check_page(&browser, &format!("{lang}-login")).await;

    // The login page reloads (password_login goes to it again): the choice is remembered.
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser
        .wait_for(".site-header .menu-button")
        .await
        .expect("logged in");
    let schedule = format!("/barnomsorg/schema/{ella}");
    let staff_list = format!(
        "/listor/skola/{}",
        skolportal_tests::app::unit(&app, "Solviksskolan").await
    );
    for (path, heading, name) in [
        // A guardian's start page is Mina barn.
        ("/", journey.children, "start"),
        ("/children", journey.children, "children"),
        (schedule.as_str(), journey.schedule, "schedule"),
        ("/barnomsorg/ansokan", journey.apply, "apply"),
        ("/listor", journey.lists, "lists"),
        (staff_list.as_str(), "Solviksskolan", "staff-list"),
    ] {
        browser.goto(&app.url(path)).await.unwrap();
        wait_for_text(&browser, "h1", heading).await;
        if name == "children" {
            browser
                .wait_for(".card__title")
                .await
                .expect("a child's card");
        }
        if name == "staff-list" {
            browser
                .wait_for(".contact-list__link")
                .await
                .expect("a work phone or e-mail");
        }
        if name == "schedule" {
            browser
                .wait_for("fieldset[data-date]")
                .await
                .expect("the week's days");
            // The app (Mina barn is the server's page) downloaded only the chosen catalogue.
            let fetched = run(
                &browser,
                "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)
                    .filter(p => p.startsWith('/i18n/'));",
            )
            .await;
            assert_eq!(fetched, json!([format!("/i18n/{lang}.json")]));
        }
        assert_fits_the_phone(&browser, name).await;
        check_page(&browser, &format!("{lang}-{name}")).await;
    }
    // A Latin name inside Arabic text is isolated, in Finnish it is plain.
    browser.goto(&app.url(&schedule)).await.unwrap();
    let schedule_heading = wait_for_text(&browser, "h1", "Ella").await;
    assert_eq!(
        schedule_heading.contains('\u{2068}'),
        journey.dir == "rtl",
        "{schedule_heading:?}"
    );
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_guardian_uses_the_portal_in_arabic_right_to_left() {
    journey(Journey {
        lang: "ar",
        dir: "rtl",
        login: "تسجيل الدخول",
        children: "أطفالي",
        schedule: "جدول",
        apply: "طلب مكان",
        lists: "الصفوف والموظفون",
    })
    .await;
}

#[tokio::test]
async fn a_guardian_uses_the_portal_in_finnish() {
    journey(Journey {
        lang: "fi",
        dir: "ltr",
        login: "Kirjaudu sisään",
        children: "Lapseni",
        schedule: "Hoitoaikataulu",
        apply: "Hae paikkaa",
        lists: "Luokat ja henkilökunta",
    })
    .await;
}
