//! Absence reports in a real browser: a guardian reports two children sick for tomorrow in one
//! submit on a phone, and a report made without a network is kept by the service worker and
//! sent when the connection returns. The phone's clock is the machine's, not the demo's
//! Tuesday, so "tomorrow" is the browser's own.

use std::time::Duration;

use skolportal_tests::app::child;
use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::TestApp;

use crate::pwa::{js_async, wait_for_service_worker, Offline};
use crate::ui::{
    app_with_spa, browser, check_fits, check_page, password_login, set_date, wait_for_text,
};

/// The browser's date in Sweden, `days` from now.
async fn phone_date(browser: &Browser, days: i64) -> String {
    let script = format!(
        "const done = arguments[arguments.length - 1]; \
         done(new Date(Date.now() + {days} * 86400000) \
           .toLocaleDateString('sv-SE', {{timeZone: 'Europe/Stockholm'}}));"
    );
    js_async(browser, &script)
        .await
        .as_str()
        .unwrap()
        .to_owned()
}

async fn open_form(app: &TestApp, browser: &Browser) {
    password_login(browser, app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser.goto(&app.url("/franvaro")).await.unwrap();
    browser.wait_for("#absence-submit").await.unwrap();
}

async fn reports(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM absence_report WHERE status = 'active'")
        .await
}

#[tokio::test]
async fn anna_reports_two_children_sick_for_tomorrow_in_one_go() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    open_form(&app, &browser).await;
    check_fits(&browser, "absence").await;

    let (nils, saga) = (child(&app, "Nils").await, child(&app, "Saga").await);
    browser
        .click(&format!("label[for=absence-child-{nils}]"))
        .await
        .unwrap();
    browser
        .click(&format!("label[for=absence-child-{saga}]"))
        .await
        .unwrap();
    let tomorrow = phone_date(&browser, 1).await;
    set_date(&browser, "#absence-first-day", &tomorrow).await;
    // Nothing sent without a reason: the form says what is missing.
    browser.click("#absence-submit").await.unwrap();
    wait_for_text(&browser, "#absence-error", "Välj en orsak").await;
    assert_eq!(reports(&app).await, 0);
    browser
        .click("label[for=absence-reason-sick]")
        .await
        .unwrap();
    browser.click("#absence-submit").await.unwrap();
    wait_for_text(&browser, "#absence-status", "Anmälan är skickad").await;

    // One submit, one report per child, both for tomorrow and both listed.
    assert_eq!(reports(&app).await, 2);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(DISTINCT submission_id) FROM absence_report \
             WHERE first_day = '{tomorrow}' AND last_day = '{tomorrow}' AND reason = 'sick'"
        ))
        .await,
        1
    );
    let listed = wait_for_text(&browser, ".absence-reports", "Saga").await;
    assert!(listed.contains("Nils"), "{listed}");
    assert!(listed.contains("Sjukanmäld"), "{listed}");
    check_fits(&browser, "absence-sent").await;

    // She withdraws Nils's: Saga's stands.
    browser
        .click("button[aria-label='Ta tillbaka anmälan för Nils']")
        .await
        .unwrap();
    wait_for_text(&browser, "#absence-status", "tillbakatagen").await;
    assert_eq!(reports(&app).await, 1);
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_report_made_offline_is_sent_when_the_connection_returns() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    open_form(&app, &browser).await;
    wait_for_service_worker(&browser).await;
    let ella = child(&app, "Ella").await;
    browser
        .click(&format!("label[for=absence-child-{ella}]"))
        .await
        .unwrap();
    browser
        .click("label[for=absence-reason-other]")
        .await
        .unwrap();

    let offline = Offline::begin(&browser).await;
    browser.click("#absence-submit").await.unwrap();
    wait_for_text(&browser, "#absence-status", "sparad i telefonen").await;
    assert_eq!(reports(&app).await, 0, "nothing reached the server");
    check_page(&browser, "absence-queued").await;

    // Back online: the app's worker sends what it kept, once, and the page says so.
    offline.end(&browser).await;
    let mut sent = 0;
    for _ in 0..150 {
        sent = reports(&app).await;
        if sent > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(sent, 1, "the kept report was not sent within 30 s");
    wait_for_text(&browser, "#absence-status", "nu skickad").await;
    wait_for_text(&browser, ".absence-reports", "Ella").await;
    // However often the worker is asked again, the one submit stays one report.
    tokio::time::sleep(Duration::from_secs(11)).await;
    assert_eq!(reports(&app).await, 1);
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_teacher_takes_a_lessons_attendance_on_a_phone() {
    let app = app_with_spa(false).await;
    // Class 8A's first lesson of the demo's Tuesday, which is held (moved to the hall).
    let lesson = crate::ui::id_of(
        &app,
        "SELECT l.id FROM lesson l JOIN school_group g ON g.id = l.group_id \
         JOIN unit u ON u.id = g.unit_id \
         WHERE u.name = 'Solviksskolan' AND g.name = '8A' AND l.weekday = 2 \
         AND l.activity <> 'lunch' ORDER BY l.starts_at LIMIT 1",
    )
    .await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    crate::ui::step_up(&browser, &app, "larare").await;
    browser
        .goto(&app.url(&format!("/personal/narvaro/{lesson}/2026-11-24")))
        .await
        .unwrap();
    browser.wait_for(".attendance-pupil").await.unwrap();
    wait_for_text(&browser, "#attendance-count", "0 elever").await;
    check_fits(&browser, "attendance").await;

    // Two taps and a number: one pupil away without leave, one five minutes late.
    let radios = browser
        .client()
        .find_all(fantoccini::Locator::Css(".attendance-pupil"))
        .await
        .unwrap();
    assert!(radios.len() >= 5);
    let away = browser
        .client()
        .execute(
            "const items = document.querySelectorAll('.attendance-pupil'); \
             return [items[0].querySelector('input[value=unexcused_absence]').id, \
                     items[1].querySelector('input[value=late]').id];",
            vec![],
        )
        .await
        .unwrap();
    let (unexcused, late) = (
        away[0].as_str().unwrap().to_owned(),
        away[1].as_str().unwrap().to_owned(),
    );
    browser
        .click(&format!("label[for='{unexcused}']"))
        .await
        .unwrap();
    browser
        .click(&format!("label[for='{late}']"))
        .await
        .unwrap();
    let minutes = late.replace("-late", "-minutes");
    browser
        .fill(&format!("[id='{minutes}']"), "5")
        .await
        .unwrap();
    wait_for_text(&browser, "#attendance-count", "2 elever").await;
    browser.click("#attendance-save").await.unwrap();
    wait_for_text(&browser, "#attendance-status", "sparad").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attendance_mark WHERE mark = 'unexcused_absence'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attendance_mark WHERE mark = 'late' AND late_minutes = 5")
            .await,
        1
    );
    check_page(&browser, "attendance-saved").await;

    // A correction shows its history: the pupil marked away came after all.
    let present = unexcused.replace("-unexcused_absence", "-present");
    browser
        .click(&format!("label[for='{present}']"))
        .await
        .unwrap();
    browser.click("#attendance-save").await.unwrap();
    wait_for_text(
        &browser,
        ".attendance-pupil",
        "Ändrad från Ogiltig frånvaro av Lena Strand",
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attendance_mark").await,
        app.count("SELECT COUNT(DISTINCT pupil_id) FROM attendance_mark")
            .await
            + 1,
        "the first mark is kept under the correction"
    );
    check_page(&browser, "attendance-corrected").await;
    browser.close().await.unwrap();
}
