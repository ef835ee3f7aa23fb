//! Attendance statistics through the API: after the mentor of 8A takes a lesson with one pupil
//! away without leave, the pupil and the guardians see the term's figures per subject, the
//! mentor's class overview marks that pupil for follow-up by the municipality's threshold, and
//! the principal's list names the pupil with the class; staff reads are logged, and no one else
//! reads them.

use serde_json::json;
use skolportal_tests::app::unit;

use crate::attendance::{leo_and_lessons, pupil_with_guardian, roster_path};

const TODAY: &str = "2026-11-24";

#[tokio::test]
async fn the_terms_figures_the_mentors_overview_and_the_principals_follow_up_list() {
    let app = crate::applications::app().await;
    let (leo, held, _) = leo_and_lessons(&app).await;
    let (kid, guardian) = pupil_with_guardian(&app).await;
    let larare = app.login("larare").await;
    let response = larare
        .put(
            &roster_path(&held, TODAY),
            &json!({ "marks": [{ "pupil_id": kid, "mark": "unexcused_absence" }] }),
        )
        .await;
    assert_eq!(response.status(), 200);

    // The pupil's own figures, and the guardian's of the child.
    let elev = app.login("elev").await;
    let (status, own) = elev
        .get_json(&format!("/api/pupils/{leo}/attendance"))
        .await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(
        own["total"],
        json!({"lessons": 1, "present": 1, "late": 0, "valid_absence": 0, "unexcused_absence": 0})
    );
    assert_eq!(own["by_subject"][0]["activity"], held["activity"]);
    let (status, child) = guardian
        .get_json(&format!("/api/pupils/{kid}/attendance"))
        .await;
    assert_eq!(status, 200, "{child}");
    assert_eq!(child["total"]["unexcused_absence"], 1);
    assert_eq!(child["term_starts_on"], own["term_starts_on"]);
    // Not another pupil's.
    let (status, _) = elev
        .get_json(&format!("/api/pupils/{kid}/attendance"))
        .await;
    assert_eq!(status, 404);

    // The mentor's class: the pupil away without leave is marked for follow-up.
    let group = crate::ui::id_of(
        &app,
        "SELECT g.id FROM school_group g JOIN unit u ON u.id = g.unit_id \
         WHERE u.name = 'Solviksskolan' AND g.name = '8A'",
    )
    .await;
    let (status, overview) = larare
        .get_json(&format!("/api/groups/{group}/attendance"))
        .await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(
        (
            overview["follow_up_percent"].as_u64(),
            overview["follow_up_unexcused"].as_u64()
        ),
        (Some(10), Some(3))
    );
    let line = |id: &str| {
        overview["pupils"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["pupil_id"] == id)
            .unwrap_or_else(|| panic!("{id} not in {overview}"))
            .clone()
    };
    assert_eq!(line(&kid)["needs_follow_up"], true);
    assert_eq!(line(&leo)["needs_follow_up"], false);
    let shown = overview["pupils"].as_array().unwrap().len() as i64;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'read_attendance_overview'")
            .await,
        shown
    );

    // The principal's list names the pupil and the class; the mentor has no such list.
    let school = unit(&app, "Solviksskolan").await;
    let rektor = app.login("rektor").await;
    let (status, list) = rektor
        .get_json(&format!("/api/units/{school}/absence-follow-up"))
        .await;
    assert_eq!(status, 200, "{list}");
    let pupils = list["pupils"].as_array().unwrap();
    assert!(
        pupils.iter().all(|p| p["needs_follow_up"] == true),
        "{list}"
    );
    let named = pupils
        .iter()
        .find(|p| p["pupil_id"] == kid.as_str())
        .expect("on the list");
    assert_eq!(named["group_name"], "8A");
    assert!(!pupils.iter().any(|p| p["pupil_id"] == leo.as_str()));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'read_absence_follow_up'")
            .await,
        pupils.len() as i64
    );
    let (status, _) = larare
        .get_json(&format!("/api/units/{school}/absence-follow-up"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = guardian
        .get_json(&format!("/api/groups/{group}/attendance"))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_mentors_overview_the_principals_list_and_the_pupils_term_in_a_browser() {
    use crate::ui::{app_with_spa, browser, check_fits, password_login, step_up, wait_for_text};
    use skolportal_tests::browser::Viewport;

    let app = app_with_spa(true).await;
    let (_, held, _) = leo_and_lessons(&app).await;
    let (kid, _) = pupil_with_guardian(&app).await;
    let larare = app.login("larare").await;
    let response = larare
        .put(
            &roster_path(&held, TODAY),
            &json!({ "marks": [{ "pupil_id": kid, "mark": "unexcused_absence" }] }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let group = crate::ui::id_of(
        &app,
        "SELECT g.id FROM school_group g JOIN unit u ON u.id = g.unit_id \
         WHERE u.name = 'Solviksskolan' AND g.name = '8A'",
    )
    .await;
    let school = unit(&app, "Solviksskolan").await;

    let browser = browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    step_up(&browser, &app, "larare").await;
    browser
        .goto(&app.url(&format!("/personal/klassnarvaro/{group}")))
        .await
        .unwrap();
    wait_for_text(&browser, "main", "Ska utredas").await;
    check_fits(&browser, "class-attendance").await;

    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "rektor", app.password_of("rektor")).await;
    step_up(&browser, &app, "rektor").await;
    browser
        .goto(&app.url(&format!("/personal/franvaro-utredning/{school}")))
        .await
        .unwrap();
    wait_for_text(&browser, "main", "8A").await;
    check_fits(&browser, "absence-follow-up").await;

    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "elev", app.password_of("elev")).await;
    wait_for_text(&browser, "main", "Närvaro den här terminen").await;
    wait_for_text(
        &browser,
        ".attendance-term",
        "Närvarande 100 % av 1 lektioner",
    )
    .await;
}
