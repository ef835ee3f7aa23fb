//! The childcare week schedule in headless Chromium, on a phone: a guardian sees this week's
//! locked days and cannot change them, is told in Swedish what is wrong with a day (and nothing
//! is saved), saves a week, copies it to the following weeks and adds a pick-up person; then the
//! preschool's staff see the child on their day sheet with those times and that person. axe-core
//! checks every page at 360 px and 1280 px, and no page scrolls sideways on the phone.

use chrono::{Days, NaiveDate};
use fantoccini::Locator;
use skolportal_tests::app::TestOptions;
use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::TestApp;

use crate::schedule::{child, unit};
use crate::ui::{app_with_spa, browser, check_fits, password_login, screenshot_dir, wait_for_text};

/// The Monday of the demo week (the backend's fixed clock says Tuesday 24 November 2026): its
/// Monday to Thursday are locked, as the demo units lock two working days ahead.
const THIS_WEEK: &str = "2026-11-23";

/// Sets an input's value as a time or date picker does, firing `input` and `change`. (Typing
/// into a time input depends on the browser's locale: 12- or 24-hour fields.)
async fn pick_day(browser: &Browser, date: &str, drop_off: &str, pick_up: &str) {
    browser
        .set_value(&format!("#drop_off-{date}"), drop_off)
        .await
        .unwrap();
    browser
        .set_value(&format!("#pick_up-{date}"), pick_up)
        .await
        .unwrap();
}

async fn stored_days(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM schedule_day").await
}

/// The page opens on the browser's own week; steps to the week of `monday`.
pub(crate) async fn show_week(browser: &Browser, monday: &str) {
    let shown = browser.wait_for("fieldset.schedule-day").await.unwrap();
    let shown: NaiveDate = shown
        .attr("data-date")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let wanted: NaiveDate = monday.parse().unwrap();
    let weeks = (wanted - shown).num_days().div_euclid(7);
    let button = if weeks < 0 {
        "#previous-week"
    } else {
        "#next-week"
    };
    for _ in 0..weeks.abs() {
        browser.click(button).await.unwrap();
    }
    browser
        .wait_for(&format!("fieldset[data-date='{monday}']"))
        .await
        .expect("the week asked for");
}

#[tokio::test]
async fn a_guardian_fills_in_and_copies_a_week_and_the_preschool_sees_it() {
    let app = app_with_spa(false).await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let larkan = unit(&app, "Förskolan Lärkan").await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();

    browser
        .goto(&app.url(&format!("/barnomsorg/schema/{ella}")))
        .await
        .unwrap();
    show_week(&browser, THIS_WEEK).await;
    wait_for_text(&browser, "h1", "Ella").await;

    // Monday to Thursday are locked and marked as such: without care and no way to change
    // that (no time pickers shown, "Ingen omsorg" ticked and disabled). Friday is open.
    let monday: NaiveDate = THIS_WEEK.parse().unwrap();
    let days: Vec<String> = (0..5)
        .map(|n| (monday + Days::new(n)).to_string())
        .collect();
    for (n, date) in days.iter().enumerate() {
        let class = browser
            .wait_for(&format!("fieldset[data-date='{date}']"))
            .await
            .unwrap()
            .attr("class")
            .await
            .unwrap()
            .unwrap_or_default();
        let no_care = browser.wait_for(&format!("#no-care-{date}")).await.unwrap();
        let disabled = no_care.attr("disabled").await.unwrap().is_some();
        let pickers = browser
            .client()
            .find_all(Locator::Css(&format!(
                "fieldset[data-date='{date}'] input[type=time]"
            )))
            .await
            .unwrap();
        if n < 4 {
            assert!(class.contains("schedule-day--locked"), "{date}: {class}");
            wait_for_text(&browser, &format!("#day-{date}-note"), "Låst.").await;
            for picker in pickers {
                assert!(
                    !picker.is_displayed().await.unwrap(),
                    "{date} shows a picker"
                );
            }
            assert!(disabled && no_care.is_selected().await.unwrap(), "{date}");
            // A click on the disabled box changes nothing.
            let _ = no_care.click().await;
            assert!(no_care.is_selected().await.unwrap(), "{date}");
        } else {
            assert!(!class.contains("schedule-day--locked"), "{date}: {class}");
            assert_eq!(pickers.len(), 2, "{date}");
            for picker in pickers {
                assert!(picker.attr("readonly").await.unwrap().is_none(), "{date}");
            }
            assert!(!disabled, "{date}");
        }
    }
    check_fits(&browser, "schedule-locked-week").await;
    // The top of the page too: the other screenshots show where the test was working.
    browser
        .client()
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    let _ = browser
        .screenshot(screenshot_dir().join("schedule-top-360.png"))
        .await;

    // A pick-up before the drop-off: told at once, in Swedish, and the save sends nothing.
    let friday = &days[4];
    let note = format!("#day-{friday}-note");
    pick_day(&browser, friday, "16:00", "08:00").await;
    wait_for_text(
        &browser,
        &note,
        "Hämtningen måste vara senare än lämningen.",
    )
    .await;
    browser.click("#save-week").await.unwrap();
    wait_for_text(&browser, "#schedule-error", "Rätta uppgifterna").await;
    check_fits(&browser, "schedule-day-error").await;
    // Outside the opening hours (06:30–18:00).
    pick_day(&browser, friday, "06:00", "16:00").await;
    wait_for_text(&browser, &note, "Välj tider inom öppettiden, 06:30–18:00.").await;
    browser.click("#save-week").await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(stored_days(&app).await, 0, "nothing was saved");

    pick_day(&browser, friday, "07:30", "16:00").await;
    browser.click("#save-week").await.unwrap();
    wait_for_text(&browser, "#schedule-status", "Veckan är sparad.").await;
    assert_eq!(stored_days(&app).await, 1, "Friday only");

    // The next week is all open: four days of care and a free Friday, saved, then copied.
    show_week(&browser, "2026-11-30").await;
    for (date, drop_off, pick_up) in [
        ("2026-11-30", "07:30", "16:00"),
        ("2026-12-01", "07:30", "16:00"),
        ("2026-12-02", "08:00", "15:00"),
        ("2026-12-03", "07:30", "16:00"),
    ] {
        pick_day(&browser, date, drop_off, pick_up).await;
    }
    browser.click("#no-care-2026-12-04").await.unwrap();
    check_fits(&browser, "schedule-filled-week").await;
    browser.click("#save-week").await.unwrap();
    wait_for_text(&browser, "#schedule-status", "Veckan är sparad.").await;
    assert_eq!(stored_days(&app).await, 1 + 5);

    browser
        .wait_for("#copy-weeks")
        .await
        .unwrap()
        .select_by_value("2")
        .await
        .unwrap();
    browser.click("#copy-week").await.unwrap();
    wait_for_text(&browser, "#copy-status", "Klart: 10 dagar ändrades.").await;
    assert_eq!(stored_days(&app).await, 1 + 5 + 10);
    check_fits(&browser, "schedule-copied").await;

    // A pick-up person.
    browser
        .goto(&app.url(&format!("/barnomsorg/hamtare/{ella}")))
        .await
        .unwrap();
    browser.wait_for("#pickup-name").await.unwrap();
    check_fits(&browser, "pickup-persons-empty").await;
    browser
        .fill("#pickup-name", "Birgit Lindqvist")
        .await
        .unwrap();
    browser
        .fill("#pickup-phone", "070-123 45 67")
        .await
        .unwrap();
    browser.click("#add-pickup-submit").await.unwrap();
    wait_for_text(&browser, ".pickup-person", "Birgit Lindqvist").await;
    check_fits(&browser, "pickup-persons").await;
    browser.close().await.unwrap();

    // The preschool's staff: Ella on the day sheet of a copied week, with times and Birgit.
    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "forskola", app.password_of("forskola")).await;
    crate::ui::step_up(&browser, &app, "forskola").await;
    // Preschool staff land on a day sheet; Lärkan's is the one this test looks at.
    browser.wait_for(".day-sheet-page").await.unwrap();
    browser
        .goto(&app.url(&format!("/personal/dag/{larkan}")))
        .await
        .unwrap();
    browser.wait_for("#day-sheet-date").await.unwrap();
    browser
        .set_value("#day-sheet-date", "2026-12-09")
        .await
        .unwrap();
    wait_for_text(&browser, "#day-sheet-heading", "9 december").await;
    let cards = browser
        .client()
        .find_all(Locator::Css(".day-sheet-child"))
        .await
        .unwrap();
    assert_eq!(cards.len(), 50, "every placed child is listed");
    let card = cards[0].text().await.unwrap();
    // The others have no schedule in this test: flagged for a call.
    assert!(cards[1].text().await.unwrap().contains("Schema saknas"));
    for expected in [
        "Ella Lindqvist",
        "08:00",
        "15:00",
        "Birgit Lindqvist",
        "070-123 45 67",
    ] {
        assert!(card.contains(expected), "{expected} missing from {card:?}");
    }
    check_fits(&browser, "day-sheet").await;
    browser.close().await.unwrap();
}

/// Issue #13.3, in the browser with the demo's own schedules: the locked week shows the times
/// the guardian entered, "Spara veckan" is disabled for a week where every day is locked, and
/// the preschool's day sheet steps from day to day with one heading form, filters by
/// department and flags a child whose schedule is missing.
#[tokio::test]
async fn the_demo_week_is_real_for_the_guardian_and_the_staff() {
    let app = TestApp::spawn_with(TestOptions {
        static_dir: Some(crate::ui::dist()),
        demo_schedules: true,
        ..Default::default()
    })
    .await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let larkan = unit(&app, "Förskolan Lärkan").await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser
        .goto(&app.url(&format!("/barnomsorg/schema/{ella}")))
        .await
        .unwrap();
    show_week(&browser, THIS_WEEK).await;
    // Monday is locked and has the times the demo guardian entered, not "Ingen omsorg".
    let monday_drop_off = browser
        .wait_for(&format!("#drop_off-{THIS_WEEK}"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(!monday_drop_off.is_empty(), "Monday has a drop-off time");
    assert!(!browser
        .wait_for(&format!("#no-care-{THIS_WEEK}"))
        .await
        .unwrap()
        .is_selected()
        .await
        .unwrap());
    let save = browser.wait_for("#save-week").await.unwrap();
    assert!(
        save.attr("disabled").await.unwrap().is_none(),
        "Friday is open"
    );

    // The week before: every day locked, nothing to save.
    show_week(&browser, "2026-11-16").await;
    let save = browser.wait_for("#save-week").await.unwrap();
    assert!(save.attr("disabled").await.unwrap().is_some());
    wait_for_text(
        &browser,
        "#save-week-hint",
        "Alla dagar den här veckan är låsta",
    )
    .await;
    let _ = save.click().await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(browser.text("#schedule-status").await.unwrap().is_empty());
    check_fits(&browser, "schedule-all-locked").await;
    browser.close().await.unwrap();

    // Ella's Wednesday schedule is lost: the day sheet must say so, not leave her out.
    app.execute(
        "DELETE FROM schedule_day WHERE child_id = $1 AND date = '2026-11-25'",
        [ella.into()],
    )
    .await;
    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "forskola", app.password_of("forskola")).await;
    crate::ui::step_up(&browser, &app, "forskola").await;
    browser.wait_for(".day-sheet-page").await.unwrap();
    browser
        .goto(&app.url(&format!("/personal/dag/{larkan}")))
        .await
        .unwrap();
    browser.wait_for("#day-sheet-date").await.unwrap();
    browser
        .set_value("#day-sheet-date", "2026-11-24")
        .await
        .unwrap();
    wait_for_text(&browser, "#day-sheet-heading", "Tisdag 24 november").await;
    wait_for_text(&browser, "#day-sheet-count", "50 barn väntas.").await;
    check_fits(&browser, "day-sheet-demo").await;

    browser.click("#next-day").await.unwrap();
    let heading = wait_for_text(&browser, "#day-sheet-heading", "25 november").await;
    assert_eq!(
        heading, "Onsdag 25 november",
        "the same heading form every day"
    );
    wait_for_text(&browser, "#day-sheet-count", "1 barn har inget schema").await;
    let missing = browser.text(".day-sheet-child--missing").await.unwrap();
    assert!(
        missing.contains("Ella Lindqvist") && missing.contains("Schema saknas"),
        "{missing}"
    );
    check_fits(&browser, "day-sheet-missing").await;

    // Only Lingon: 25 children, Ella (Blåbär) not among them.
    let lingon = browser
        .client()
        .find(Locator::XPath(
            "//select[@id='day-sheet-department']/option[text()='Lingon']",
        ))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    browser
        .wait_for("#day-sheet-department")
        .await
        .unwrap()
        .select_by_value(&lingon)
        .await
        .unwrap();
    wait_for_text(&browser, "#day-sheet-count", "25 barn väntas.").await;
    let cards = browser
        .client()
        .find_all(Locator::Css(".day-sheet-child"))
        .await
        .unwrap();
    assert_eq!(cards.len(), 25);
    for card in cards {
        assert!(!card.text().await.unwrap().contains("Ella Lindqvist"));
    }
    check_fits(&browser, "day-sheet-department").await;

    browser.click("#previous-day").await.unwrap();
    browser.click("#previous-day").await.unwrap();
    let heading = wait_for_text(&browser, "#day-sheet-heading", "23 november").await;
    assert_eq!(heading, "Måndag 23 november");
    browser.close().await.unwrap();
}
