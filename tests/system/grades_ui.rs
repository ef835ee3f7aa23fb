//! Grades in a real browser, with axe-core at 360 px and at desktop width (`/betyg/{pupil}`):
//! Leo in year 8, logged in with BankID, sees the grade his teacher set; Anna sees that Nils in
//! year 5 gets no grades yet.

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
    browser.wait_for("h1").await.unwrap();
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
