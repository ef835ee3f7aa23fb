//! Booking a development talk in real browsers, with axe-core at 360 px and at desktop width:
//! the mentor publishes talk times for Alva's class on `/samtal/grupp/{class}` after a one-time
//! code; Erik books one on `/samtal/{alva}/boka` on his phone; Maria, in her own browser, sees
//! the time Erik booked and that he comes.

use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::TestApp;

use crate::ui::{browser, check_fits, id_of, password_login, step_up, wait_for_text};

/// Sets an input's value as its picker would, telling the page by both events.
async fn set_value(browser: &Browser, css: &str, value: &str) {
    browser.wait_for(css).await.unwrap();
    browser
        .client()
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new InputEvent('input', {bubbles: true})); \
             e.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![css.into(), value.into()],
        )
        .await
        .unwrap();
}

/// The demo teacher becomes mentor of Alva's class too (she mentors 8A in the demo).
async fn larare_mentors_alvas_class(app: &TestApp) -> String {
    let class = id_of(
        app,
        "SELECT l.group_id FROM group_membership l JOIN person c ON c.id = l.person_id \
         JOIN school_group g ON g.id = l.group_id WHERE c.given_name = 'Alva' \
         AND c.family_name = 'Berg' AND l.role = 'pupil' AND g.group_type = 'class'",
    )
    .await;
    let larare = id_of(
        app,
        "SELECT person_id FROM user_account WHERE username = 'larare'",
    )
    .await;
    let municipality = id_of(app, "SELECT id FROM municipality").await;
    let uuid = |s: &str| -> sea_orm::Value { uuid::Uuid::parse_str(s).unwrap().into() };
    app.execute(
        "INSERT INTO group_membership (id, municipality_id, group_id, person_id, role, \
         start_date, end_date) VALUES ($1, $2, $3, $4, 'mentor', $5, NULL)",
        [
            uuid::Uuid::new_v4().into(),
            uuid(&municipality),
            uuid(&class),
            uuid(&larare),
            chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap().into(),
        ],
    )
    .await;
    class
}

#[tokio::test]
async fn the_mentor_publishes_times_erik_books_and_maria_sees_the_booking() {
    let app = crate::ui::app_with_spa(false).await;
    let class = larare_mentors_alvas_class(&app).await;
    let alva = id_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Alva' AND family_name = 'Berg'",
    )
    .await;

    // The mentor publishes four talks on Tuesday 1 December, to book by Monday.
    let mentor = browser().await;
    mentor.resize(Viewport::PHONE).await.unwrap();
    password_login(&mentor, &app, "larare", app.password_of("larare")).await;
    crate::ui::landed(&mentor, &app).await;
    mentor
        .goto(&app.url(&format!("/samtal/grupp/{class}")))
        .await
        .unwrap();
    step_up(&mentor, &app, "larare").await;
    set_value(&mentor, "#talk-date", "2026-12-01").await;
    set_value(&mentor, "#talk-first", "14:00").await;
    set_value(&mentor, "#talk-minutes", "20").await;
    set_value(&mentor, "#talk-pause", "5").await;
    set_value(&mentor, "#talk-count", "4").await;
    set_value(&mentor, "#talk-book-by", "2026-11-30").await;
    mentor.fill("#talk-place", "Sal B12").await.unwrap();
    check_fits(&mentor, "talk-times-form").await;
    mentor.click("#talk-publish").await.unwrap();
    wait_for_text(&mentor, "main", "Tiderna är publicerade").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM talk_slot").await, 4);
    check_fits(&mentor, "talk-times").await;

    // Erik books the second time on his phone.
    let erik = browser().await;
    erik.resize(Viewport::PHONE).await.unwrap();
    password_login(&erik, &app, "erik", app.password_of("erik")).await;
    // "Mina barn" says there is a talk to book, and leads to it.
    wait_for_text(&erik, "main", "Boka tid för utvecklingssamtal om Alva").await;
    erik.click(&format!("a[href='/samtal/{alva}/boka']"))
        .await
        .unwrap();
    wait_for_text(&erik, "main", "Sal B12").await;
    check_fits(&erik, "talk-booking-free").await;
    // The second time (14:25), as a click on its radio button.
    let slots = erik
        .client()
        .find_all(fantoccini::Locator::Css(".talk-slot"))
        .await
        .unwrap();
    slots[1].click().await.unwrap();
    erik.click("#talk-book").await.unwrap();
    wait_for_text(&erik, "#talk-status", "bokad").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM talk_booking").await, 1);
    check_fits(&erik, "talk-booking-booked").await;

    // Maria sees Erik's booking and that he comes, and may join it.
    let maria = browser().await;
    maria.resize(Viewport::DESKTOP).await.unwrap();
    password_login(&maria, &app, "maria", app.password_of("maria")).await;
    // Her "Mina barn" shows the time Erik booked.
    wait_for_text(&maria, "main", "Utvecklingssamtal om Alva").await;
    maria
        .click(&format!("a[href='/samtal/{alva}/boka']"))
        .await
        .unwrap();
    let main = wait_for_text(&maria, "main", "Erik").await;
    assert!(main.contains("14:25"), "{main}");
    maria.wait_for(".talk-join").await.unwrap();
    check_fits(&maria, "talk-booking-other-guardian").await;
}
