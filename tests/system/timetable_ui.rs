//! The timetable pages in a real browser: a pupil on a phone opens on today with its cancelled
//! lesson, a teacher records a substitute that the pupil then sees, and a calendar link is made
//! and revoked. The demo day is Tuesday 24 November 2026: class 8A's second lesson is cancelled
//! and its first moved to the hall.

use serde_json::{json, Value};
use skolportal_tests::browser::{Browser, Viewport};

use crate::ui::{
    app_with_spa, browser, check_fits, check_page, password_login, step_up, wait_for_text,
};

/// Whether the element is drawn (the phone hides the days that are not shown).
async fn visible(browser: &Browser, css: &str) -> bool {
    match browser.client().find(fantoccini::Locator::Css(css)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_pupil_on_a_phone_opens_on_today_and_sees_the_cancelled_lesson() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "elev", app.password_of("elev")).await;
    browser.wait_for(".card__title").await.unwrap();
    // Her start page shows the next lesson first, then the rest of the day. The phone's date is
    // not the demo's Tuesday, so the day is shown from its first lesson: the one moved to the
    // hall; the cancelled one follows among the rest.
    wait_for_text(&browser, ".pupil-today__next .lesson", "Aulan").await;
    wait_for_text(
        &browser,
        ".pupil-today .timetable__lessons .lesson--cancelled",
        "Inställd",
    )
    .await;
    let headings = browser.text(".pupil-today").await.unwrap();
    let (next, rest) = (
        headings.find("Nästa lektion").expect("Nästa lektion"),
        headings.find("Resten av dagen").expect("Resten av dagen"),
    );
    assert!(next < rest, "{headings}");
    check_fits(&browser, "pupil-start").await;
    browser.goto(&app.url("/schema")).await.unwrap();
    browser.wait_for(".lesson").await.expect("the lessons");
    // Today first, and its cancelled lesson is seen at a glance: struck through and named.
    wait_for_text(&browser, ".timetable__shown", "Idag").await;
    let today = ".timetable__day--selected";
    assert!(visible(&browser, &format!("{today} .lesson--cancelled")).await);
    wait_for_text(&browser, &format!("{today} .lesson--cancelled"), "Inställd").await;
    wait_for_text(&browser, &format!("{today} .lesson--changed"), "Aulan").await;
    // The other days are a step away, not on the same narrow screen.
    assert!(!visible(&browser, "[aria-labelledby='timetable-day-2026-11-23']").await);
    check_fits(&browser, "timetable-pupil").await;
    browser.click("#timetable-next-day").await.unwrap();
    wait_for_text(&browser, ".timetable__shown", "onsdag").await;
    wait_for_text(
        &browser,
        ".timetable__day--selected .lesson--changed",
        "Vikarie",
    )
    .await;
    // Next week is another week, opened on its Monday.
    browser.click("#timetable-next-week").await.unwrap();
    wait_for_text(&browser, "#timetable-week", "Vecka 49").await;
    // In Arabic, right to left, it still fits the phone.
    browser.resize(Viewport::DESKTOP).await.unwrap();
    browser
        .click(".lang-switch__option[lang=ar]")
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "الجدول").await;
    let dir = browser
        .client()
        .execute("return document.documentElement.dir;", vec![])
        .await
        .unwrap();
    assert_eq!(dir, json!("rtl"));
    check_fits(&browser, "timetable-pupil-ar").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_teacher_records_a_substitute_and_the_pupil_sees_it() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::DESKTOP).await.unwrap();
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    step_up(&browser, &app, "larare").await;
    browser.goto(&app.url("/personal/schema")).await.unwrap();
    browser.wait_for(".lesson").await.expect("her lessons");
    check_fits(&browser, "timetable-teacher").await;
    // The first lesson from today on that she teaches 8A and that has no change yet (the
    // whole week is on screen at desktop width).
    let opened = browser
        .client()
        .execute(
            "const items = [...document.querySelectorAll('.timetable__lessons > li')];
             const li = items.find(li => li.textContent.includes('Grupp 8A')
                 && !li.querySelector('.lesson--changed') && li.querySelector('.timetable__edit'));
             if (!li) { return null; }
             li.querySelector('.timetable__edit').click();
             return li.closest('.timetable__day').getAttribute('aria-labelledby');",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        opened.is_string(),
        "no 8A lesson of hers to change this week"
    );
    browser.wait_for(".change-form select").await.unwrap();
    check_page(&browser, "timetable-change-form").await;
    browser.resize(Viewport::DESKTOP).await.unwrap();
    // A time written the wrong way is explained before anything is sent.
    let starts = browser
        .client()
        .find(fantoccini::Locator::Css(
            ".change-form input[id$='-starts']",
        ))
        .await
        .unwrap();
    starts.send_keys("9.15").await.unwrap();
    browser
        .click(".change-form button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, ".change-form .alert--error", "TT:MM").await;
    // Emptied by keys, as a person does, so the page hears each one.
    starts
        .send_keys("\u{E003}\u{E003}\u{E003}\u{E003}")
        .await
        .unwrap();
    // Pick the first teacher offered as substitute, with a word to the class.
    for _ in 0..50 {
        let offered = browser
            .client()
            .find_all(fantoccini::Locator::Css(".change-form select option"))
            .await
            .unwrap()
            .len();
        if offered > 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let substitute = browser
        .client()
        .find(fantoccini::Locator::Css(
            ".change-form select option:nth-child(2)",
        ))
        .await
        .unwrap();
    let substitute_name = substitute.text().await.unwrap();
    substitute.click().await.unwrap();
    browser
        .fill(".change-form input[id$='-note']", "Läs kapitel 4.")
        .await
        .unwrap();
    browser
        .click(".change-form button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "#timetable-status", "sparad").await;
    wait_for_text(&browser, ".timetable__days", &substitute_name).await;

    // The pupil's phone shows it at once.
    let pupil = crate::ui::browser().await;
    pupil.resize(Viewport::DESKTOP).await.unwrap();
    password_login(&pupil, &app, "elev", app.password_of("elev")).await;
    pupil.wait_for(".card__title").await.unwrap();
    pupil.goto(&app.url("/schema")).await.unwrap();
    pupil.wait_for(".lesson").await.unwrap();
    let day = format!("[aria-labelledby='{}']", opened.as_str().unwrap());
    let changed = wait_for_text(&pupil, &day, "Läs kapitel 4.").await;
    assert!(changed.contains(&substitute_name), "{changed}");
    assert!(changed.contains("Vikarie"), "{changed}");
    pupil.close().await.unwrap();
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_calendar_link_is_made_and_stops_working_when_removed() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser.goto(&app.url("/schema")).await.unwrap();
    browser.wait_for(".lesson").await.unwrap();
    // Anna has two children at school; she chooses whose timetable she sees.
    let options = browser
        .client()
        .find_all(fantoccini::Locator::Css("#timetable-child option"))
        .await
        .unwrap();
    assert_eq!(options.len(), 2, "Nils and Saga, not Ella in preschool");
    wait_for_text(&browser, "#calendar-feed-state", "Ingen kalenderlänk").await;
    browser.click("#calendar-feed-create").await.unwrap();
    browser.wait_for("#calendar-feed-url").await.unwrap();
    check_fits(&browser, "timetable-calendar-link").await;
    let url: Value = browser
        .client()
        .execute(
            "return document.getElementById('calendar-feed-url').value;",
            vec![],
        )
        .await
        .unwrap();
    let url = url.as_str().unwrap().to_owned();
    let path = &url[url.find("/api/calendar/").unwrap()..];
    let feed = app.anonymous().get(path).await;
    assert_eq!(feed.status(), 200);
    assert!(feed.text().await.unwrap().contains("BEGIN:VEVENT"));
    browser.click("#calendar-feed-revoke").await.unwrap();
    wait_for_text(&browser, "#calendar-feed-status", "slutar fungera").await;
    wait_for_text(&browser, "#calendar-feed-state", "Ingen kalenderlänk").await;
    assert_eq!(app.anonymous().get(path).await.status(), 404);
    browser.close().await.unwrap();
}
