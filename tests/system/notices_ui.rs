//! Notices in a real browser: a teacher marks a pupil unexcused absent on her phone and the
//! guardians' e-mail arrives at the local SMTP server naming the child and the lesson; a guardian's
//! notices page passes axe at both widths; and the service worker shows a notice pushed to it
//! through DevTools (`ServiceWorker.deliverPushMessage`: headless Chromium cannot subscribe to a
//! real push service offline; the server's half is `notices::…_by_push`).

use std::time::Duration;

use serde_json::json;
use skolportal_backend::settings::{JobSettings, NoticeSettings, Secret};
use skolportal_tests::app::TestOptions;
use skolportal_tests::browser::Viewport;
use skolportal_tests::mail::MailSink;
use skolportal_tests::TestApp;

use crate::pwa::{catalogue_text, js_async, wait_for_service_worker};
use crate::ui::{app_with_spa, browser, check_fits, password_login, wait_for_text};

#[tokio::test]
async fn a_teacher_marks_unexcused_absence_on_a_phone_and_the_guardians_email_arrives() {
    let sink = MailSink::start();
    let app = TestApp::spawn_with(TestOptions {
        static_dir: Some(crate::ui::dist()),
        jobs: Some(JobSettings {
            enabled: false,
            ..JobSettings::default()
        }),
        notices: Some(NoticeSettings {
            smtp_url: Some(Secret::new(sink.url())),
            ..NoticeSettings::default()
        }),
        ..Default::default()
    })
    .await;
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
    // The first pupil on the roster who has a guardian with an e-mail address.
    let picked = browser
        .client()
        .execute(
            "const item = document.querySelector('.attendance-pupil'); \
             return [item.querySelector('input[value=unexcused_absence]').id, \
                     item.querySelector('legend').textContent];",
            vec![],
        )
        .await
        .unwrap();
    let radio = picked[0].as_str().unwrap().to_owned();
    let name = picked[1].as_str().unwrap().trim().to_owned();
    browser
        .click(&format!("label[for='{radio}']"))
        .await
        .unwrap();
    browser.click("#attendance-save").await.unwrap();
    wait_for_text(&browser, "#attendance-status", "sparad").await;

    app.advance(chrono::Duration::minutes(10));
    let runner = app.job_runner("instance");
    while runner.run_once().await.unwrap().claimed > 0 {}
    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    assert!(!mails.is_empty(), "no mail arrived");
    let given_name = name.split_whitespace().next().unwrap();
    use sea_orm::ConnectionTrait;
    let activity: String = app
        .db
        .query_one(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT l.activity FROM lesson l JOIN school_group g ON g.id = l.group_id \
             JOIN unit u ON u.id = g.unit_id \
             WHERE u.name = 'Solviksskolan' AND g.name = '8A' AND l.weekday = 2 \
             AND l.activity <> 'lunch' ORDER BY l.starts_at LIMIT 1"
                .to_owned(),
        ))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    let activity = catalogue_text("sv", &format!("timetable.activity.{activity}"));
    for mail in &mails {
        assert!(mail.subject.contains(given_name), "{mail:?}");
        assert!(mail.body.contains(given_name), "{mail:?}");
        assert!(mail.body.contains(&activity), "the lesson: {mail:?}");
    }
}

#[tokio::test]
async fn the_notices_page_passes_axe_and_the_service_worker_shows_a_pushed_notice() {
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser.goto(&app.url("/notiser")).await.unwrap();
    browser.wait_for("#notices-save").await.unwrap();
    wait_for_text(&browser, "main", "Du har inga notiser").await;
    check_fits(&browser, "notices").await;
    // She wants e-mail and push in English, the language names each in itself.
    wait_for_text(&browser, "#notices-language", "English").await;
    wait_for_text(&browser, "#notices-language", "العربية").await;
    browser.set_value("#notices-language", "en").await.unwrap();
    browser.click("#notices-save").await.unwrap();
    wait_for_text(&browser, "main", "Dina val är sparade.").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notice_preference WHERE language = 'en'")
            .await,
        1
    );
    wait_for_service_worker(&browser).await;

    // The browser lets the portal show notifications, and DevTools delivers a push to its
    // worker as a push service would.
    browser
        .cdp(
            "Browser.grantPermissions",
            json!({ "permissions": ["notifications"], "origin": app.address }),
        )
        .await
        .unwrap();
    let payload = json!({
        "title": "Ogiltig frånvaro: Nils",
        "body": "tisdag 24 november: Matematik 08:00–08:50",
        "url": "/notiser",
        "tag": "notice-test",
    })
    .to_string();
    browser
        .cdp("ServiceWorker.enable", json!({}))
        .await
        .unwrap();
    // The worker may still be starting when the first push arrives and DevTools drops it
    // then, so a push is delivered again every two seconds until one is shown; the tag makes
    // repeats replace each other. A busy machine shows it late: wait up to 30 s.
    let mut shown = json!([]);
    let mut delivered = false;
    for round in 0..300 {
        if round % 20 == 0 {
            for id in 0..8 {
                let result = browser
                    .cdp(
                        "ServiceWorker.deliverPushMessage",
                        json!({ "origin": app.address, "registrationId": id.to_string(), "data": payload }),
                    )
                    .await;
                if result.is_ok() {
                    delivered = true;
                    break;
                }
            }
        }
        shown = js_async(
            &browser,
            "const done = arguments[arguments.length - 1]; \
             navigator.serviceWorker.ready.then(r => r.getNotifications()) \
               .then(ns => done(ns.map(n => [n.title, n.body, n.data && n.data.url])));",
        )
        .await;
        if shown.as_array().is_some_and(|a| !a.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(delivered, "DevTools found no service worker registration");
    assert_eq!(
        shown,
        json!([[
            "Ogiltig frånvaro: Nils",
            "tisdag 24 november: Matematik 08:00–08:50",
            "/notiser"
        ]])
    );
}
