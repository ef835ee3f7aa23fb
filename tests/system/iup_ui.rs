//! The development plan in real browsers, with axe-core at 360 px and at desktop width
//! (`/samtal/{pupil}/plan`): once both guardians have consented, the mentor of 8A writes a goal
//! on her phone after a one-time code and follows it up; a guardian, logged in with BankID,
//! reads the goal and how it went.

use skolportal_tests::browser::Viewport;

use crate::grades_ui::bankid_in_browser;
use crate::ui::{browser, check_fits, password_login, step_up, wait_for_text};

#[tokio::test]
async fn the_mentor_writes_and_follows_up_a_goal_and_a_guardian_reads_it() {
    let app = crate::ui::app_with_spa(true).await;
    let leo = crate::talks::leo(&app).await;
    for guardian in &leo.guardians {
        crate::talks::consent(guardian, &leo.id, "given").await;
    }
    let plan = format!("/samtal/{}/plan", leo.id);

    let mentor = browser().await;
    mentor.resize(Viewport::PHONE).await.unwrap();
    password_login(&mentor, &app, "larare", app.password_of("larare")).await;
    crate::ui::landed(&mentor, &app).await;
    mentor.goto(&app.url(&plan)).await.unwrap();
    step_up(&mentor, &app, "larare").await;
    mentor.wait_for("#iup-goal").await.unwrap();
    check_fits(&mentor, "iup-mentor-empty").await;
    // Nothing written: the form says what is missing, and nothing is stored.
    mentor.click("#iup-save-goal").await.unwrap();
    wait_for_text(&mentor, "main", "Skriv vad eleven ska nå").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM iup_goal").await, 0);
    mentor
        .fill("#iup-goal", "Lösa ekvationer med en obekant")
        .await
        .unwrap();
    mentor
        .fill("#iup-measures", "Extra genomgång på tisdagar")
        .await
        .unwrap();
    mentor.click("#iup-save-goal").await.unwrap();
    wait_for_text(&mentor, "main", "Målet är sparat").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM iup_goal").await, 1);
    mentor
        .fill(".iup-follow-up textarea", "Klarar enkla ekvationer")
        .await
        .unwrap();
    mentor.click(".iup-save-follow-up").await.unwrap();
    wait_for_text(&mentor, "main", "Uppföljningen är sparad").await;
    check_fits(&mentor, "iup-mentor").await;

    let pnr = crate::talks::personnummer(
        &app,
        "SELECT p.personnummer FROM guardianship g JOIN person p ON p.id = g.adult_id \
         JOIN person c ON c.id = g.child_id WHERE c.given_name = 'Leo' \
         AND c.family_name = 'Sjöberg' AND g.relation = 'guardian' \
         ORDER BY p.personnummer LIMIT 1",
    )
    .await;
    let guardian = bankid_in_browser(&app, &pnr).await;
    guardian.goto(&app.url(&plan)).await.unwrap();
    let main = wait_for_text(&guardian, "main", "Lösa ekvationer med en obekant").await;
    assert!(main.contains("Klarar enkla ekvationer"), "{main}");
    assert!(main.contains("Uppnått"), "{main}");
    assert!(
        guardian
            .client()
            .find(fantoccini::Locator::Css("#iup-goal"))
            .await
            .is_err(),
        "a guardian writes no goals"
    );
    check_fits(&guardian, "iup-guardian").await;
}
