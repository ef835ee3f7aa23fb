//! Leave in a real browser, with axe-core at 360 px and at desktop width: a guardian's form and
//! list (`/ledighet`), and the mentor who grants an application on her phone
//! (`/personal/ledighet`). The application itself is made through the API by a guardian of a
//! pupil in 8A, on days ahead of the server's clock (the browser's clock is the machine's).

use serde_json::{json, Value};
use skolportal_tests::browser::Viewport;
use uuid::Uuid;

use crate::attendance::pupil_with_guardian;
use crate::ui::{browser, check_fits, password_login, set_date, step_up, wait_for_text};

#[tokio::test]
async fn a_leave_application_is_decided_by_the_mentor_on_a_phone() {
    let app = crate::ui::app_with_spa(true).await;
    let (kid, guardian) = pupil_with_guardian(&app).await;
    let body = json!({
        "submission_id": Uuid::new_v4(), "child_id": kid,
        "first_day": "2026-11-30", "last_day": "2026-12-01", "reason": "travel",
    });
    let response = guardian.post("/api/leave-applications", &body).await;
    assert_eq!(response.status(), 201);
    let mut application: Value = response.json().await.unwrap();
    let id = application["id"].as_str().unwrap().to_owned();
    if application["status"] == "awaiting_guardians" {
        // Joint custody apart: the other guardian agrees through the API too.
        use sea_orm::{ConnectionTrait, Statement};
        let rows = app
            .db
            .query_all(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT g.child_id, p.personnummer FROM guardianship g \
                 JOIN person p ON p.id = g.adult_id WHERE g.relation = 'guardian'"
                    .to_owned(),
            ))
            .await
            .unwrap();
        for row in rows {
            if row.try_get_by_index::<Uuid>(0).unwrap().to_string() != kid {
                continue;
            }
            let pnr: String = row.try_get_by_index(1).unwrap();
            let other = app.anonymous();
            other.bankid_login(&pnr, "loa3").await;
            let response = other
                .post(&format!("/api/leave-applications/{id}/agree"), &json!({}))
                .await;
            if response.status() == 200 {
                application = response.json().await.unwrap();
            }
        }
    }
    assert_eq!(application["status"], "pending");

    // A guardian's page: the form and the list pass axe.
    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.unwrap();
    browser.goto(&app.url("/ledighet")).await.unwrap();
    browser.wait_for("#leave-submit").await.unwrap();
    check_fits(&browser, "leave").await;
    // What the page refuses before sending: days that have passed.
    set_date(&browser, "#leave-first-day", "2020-01-07").await;
    set_date(&browser, "#leave-last-day", "2020-01-08").await;
    browser
        .click("label[for=leave-reason-travel]")
        .await
        .unwrap();
    browser.click("#leave-submit").await.unwrap();
    wait_for_text(&browser, "#leave-error", "i förväg").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM leave_application").await, 1);
    browser.goto(&app.url("/api/auth/logout")).await.ok();

    // The mentor grants it on her phone.
    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    step_up(&browser, &app, "larare").await;
    browser.goto(&app.url("/personal/ledighet")).await.unwrap();
    browser.wait_for(".leave-application").await.unwrap();
    check_fits(&browser, "leave-decisions").await;
    let grant = browser
        .client()
        .execute(
            "return document.querySelector('.leave-application button.button--primary').getAttribute('aria-label');",
            vec![],
        )
        .await
        .unwrap();
    assert!(grant.as_str().unwrap().starts_with("Bevilja"), "{grant}");
    browser
        .click(".leave-application button.button--primary")
        .await
        .unwrap();
    wait_for_text(&browser, "#leave-status", "Beslutet är sparat").await;
    wait_for_text(&browser, "main", "Inga ansökningar väntar").await;
    let (_, listed) = guardian.get_json("/api/leave-applications").await;
    assert_eq!(listed[0]["status"], "granted", "{listed}");
    assert_eq!(listed[0]["decided_by"], "Lena Strand");
}
