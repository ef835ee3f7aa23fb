//! Grades in a real browser, with axe-core at 360 px and at desktop width (`/betyg/{pupil}`):
//! Leo in year 8, logged in with BankID, sees the grade his teacher set; Anna sees that Nils in
//! year 5 gets no grades yet; the subject teacher sets a grade on her sheet
//! (`/betyg/grupp/{group}`) and the principal locks the term (`/betyg/skola/{unit}`).

use serde_json::json;
use skolportal_tests::browser::{Browser, Viewport};
use skolportal_tests::TestApp;

use crate::ui::{browser, check_fits, wait_for_text};

pub(crate) async fn bankid_in_browser(app: &TestApp, personnummer: &str) -> Browser {
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    browser.goto(&app.url("/login")).await.unwrap();
    browser.click("a.button--secondary").await.unwrap();
    browser.fill("#personnummer", personnummer).await.unwrap();
    browser.click("#bankid-login").await.unwrap();
    crate::ui::landed(&browser, app).await;
    browser
}

#[tokio::test]
async fn a_pupil_in_year_8_sees_grades_and_one_in_year_5_does_not() {
    let app = crate::ui::app_with_spa(true).await;
    let (class, subject, teacher) = crate::grades::class_and_teacher(&app, "Leo", "Sjöberg").await;
    let leo = skolportal_tests::app::uuid_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Leo' AND family_name = 'Sjöberg'",
    )
    .await;
    let response = teacher
        .put(
            &format!("/api/groups/{class}/grades"),
            &json!({ "activity": subject, "grades": [{ "pupil_id": leo, "value": "b" }] }),
        )
        .await;
    assert_eq!(response.status(), 200);

    let browser = bankid_in_browser(&app, &app.personnummer_of("Leo", "Sjöberg").await).await;
    browser
        .goto(&app.url(&format!("/betyg/{leo}")))
        .await
        .unwrap();
    browser.wait_for(".grades-table").await.unwrap();
    wait_for_text(&browser, ".grades-table__grade", "B").await;
    check_fits(&browser, "grades").await;
    browser.close().await.unwrap();

    let nils = skolportal_tests::app::uuid_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Nils' AND family_name = 'Lindqvist'",
    )
    .await;
    let browser = bankid_in_browser(&app, &app.personnummer_of("Anna", "Lindqvist").await).await;
    browser
        .goto(&app.url(&format!("/betyg/{nils}")))
        .await
        .unwrap();
    wait_for_text(&browser, "main", "Betyg ges från årskurs 6").await;
    let tables = browser
        .client()
        .execute(
            "return document.querySelectorAll('.grades-table').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(tables, json!(0));
    check_fits(&browser, "grades-year-5").await;
    browser.close().await.unwrap();
}

/// The subject teacher of 8A sets Leo's grade on her sheet in the browser, after BankID; the
/// principal locks the term on his page after a one-time code; the sheet then says so and
/// takes no more changes. Axe at both widths on each page.
#[tokio::test]
async fn a_teacher_sets_a_grade_on_her_sheet_and_the_principal_locks_the_term() {
    let app = crate::ui::app_with_spa(true).await;
    let (class, subject, _) = crate::grades::class_and_teacher(&app, "Leo", "Sjöberg").await;
    let pnr = crate::talks::personnummer(
        &app,
        &format!(
            "SELECT t.personnummer FROM lesson l JOIN person t ON t.id = l.teacher_id \
             JOIN group_membership tm ON tm.person_id = t.id AND tm.group_id = l.group_id \
                 AND tm.role = 'teacher' \
             JOIN school_group g ON g.id = l.group_id \
             WHERE l.activity = '{subject}' AND g.group_type = 'class' \
             AND g.id IN (SELECT m.group_id FROM group_membership m JOIN person p \
                 ON p.id = m.person_id WHERE p.given_name = 'Leo' \
                 AND p.family_name = 'Sjöberg' AND m.role = 'pupil') \
             ORDER BY t.personnummer LIMIT 1"
        ),
    )
    .await;
    let leo = skolportal_tests::app::uuid_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Leo' AND family_name = 'Sjöberg'",
    )
    .await;
    let teacher = bankid_in_browser(&app, &pnr).await;
    teacher
        .goto(&app.url(&format!("/betyg/grupp/{class}")))
        .await
        .unwrap();
    let select = format!("#grade-{leo}");
    teacher.wait_for(&select).await.unwrap();
    check_fits(&teacher, "grade-sheet").await;
    teacher
        .client()
        .execute(
            "const s = document.querySelector(arguments[0]); s.value = 'c'; \
             s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![select.clone().into()],
        )
        .await
        .unwrap();
    teacher.click("#grades-save").await.unwrap();
    wait_for_text(&teacher, "main", "Betygen är sparade").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM grade WHERE value = 'c'")
            .await,
        1
    );

    let school = skolportal_tests::app::uuid_of(
        &app,
        "SELECT e.unit_id FROM enrolment e JOIN person p ON p.id = e.pupil_id \
         WHERE p.given_name = 'Leo' AND p.family_name = 'Sjöberg'",
    )
    .await;
    let rektor = browser().await;
    rektor
        .resize(skolportal_tests::browser::Viewport::PHONE)
        .await
        .unwrap();
    crate::ui::password_login(&rektor, &app, "rektor", app.password_of("rektor")).await;
    crate::ui::landed(&rektor, &app).await;
    rektor
        .goto(&app.url(&format!("/betyg/skola/{school}")))
        .await
        .unwrap();
    rektor.wait_for("#grades-lock").await.unwrap();
    check_fits(&rektor, "grade-lock").await;
    rektor.click("#grades-lock").await.unwrap();
    crate::ui::step_up(&rektor, &app, "rektor").await;
    // After the one-time code the page asks again; the lock is one click.
    if rektor.wait_for("#grades-lock").await.is_ok() {
        rektor.click("#grades-lock").await.unwrap();
    }
    wait_for_text(&rektor, "main", "Terminens betyg är fastställda").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM grade_lock").await, 1);

    teacher
        .goto(&app.url(&format!("/betyg/grupp/{class}")))
        .await
        .unwrap();
    wait_for_text(&teacher, "main", "Rektor har fastställt terminens betyg").await;
    assert!(teacher
        .client()
        .find(fantoccini::Locator::Css("#grades-save"))
        .await
        .is_err());
}
