//! Lunch menus through the API: public to read, entered by the unit's staff with the rules of
//! `shared::lunch`, refused without changing what is stored, and shown on the families' start
//! page at once.

use serde_json::{json, Value};
use skolportal_tests::app::{unit, uuids_of};
use skolportal_tests::TestApp;

fn tuesday(week: &Value) -> &Value {
    week["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2026-11-24")
        .unwrap_or_else(|| panic!("no Tuesday in {week}"))
}

#[tokio::test]
async fn the_menu_is_public_and_the_units_staff_enter_it() {
    let app = TestApp::spawn().await;
    let school = unit(&app, "Solviksskolan").await;
    let menu = format!("/api/units/{school}/lunch");

    // Anyone reads it, with no login; the demo has this week's.
    let (status, week) = app.anonymous().get_json(&menu).await;
    assert_eq!(status, 200, "{week}");
    assert_eq!(week["unit_name"], "Solviksskolan");
    assert_eq!(week["week_start"], "2026-11-23");
    assert_eq!(week["days"].as_array().unwrap().len(), 5);
    assert!(tuesday(&week)["main_dish"].as_str().is_some(), "{week}");
    let (status, _) = app
        .anonymous()
        .get_json(&format!("/api/units/{}/lunch", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(status, 404);

    // A teacher of the school enters Tuesday and clears Friday.
    let larare = app.login("larare").await;
    let save = format!("/api/units/{school}/lunch/2026-11-23");
    let response = larare
        .put(
            &save,
            &json!({"days": [
                {"date": "2026-11-24", "main_dish": " Fiskgratäng med dillpotatis ", "vegetarian_dish": "Linsgryta"},
                {"date": "2026-11-27", "main_dish": "", "vegetarian_dish": ""}
            ]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let stored: Value = response.json().await.unwrap();
    assert_eq!(tuesday(&stored)["main_dish"], "Fiskgratäng med dillpotatis");
    assert_eq!(tuesday(&stored)["vegetarian_dish"], "Linsgryta");
    let friday = &stored["days"][4];
    assert!(friday.get("main_dish").is_none(), "{friday}");
    let (_, read) = app.anonymous().get_json(&menu).await;
    assert_eq!(read, stored);

    // Refused input says why and changes nothing.
    for (week, days, status, code) in [
        (
            "2026-11-23",
            json!([{"date": "2026-11-28", "main_dish": "x"}]),
            422,
            "date_outside_week",
        ),
        (
            "2026-11-23",
            json!([{"date": "2026-11-24", "main_dish": "x"}, {"date": "2026-11-24", "main_dish": "y"}]),
            422,
            "duplicate_day",
        ),
        (
            "2026-11-23",
            json!([{"date": "2026-11-24", "main_dish": "x".repeat(201)}]),
            400,
            "dish_too_long",
        ),
        (
            "2026-11-24",
            json!([{"date": "2026-11-24", "main_dish": "x"}]),
            400,
            "not_a_monday",
        ),
    ] {
        let response = larare
            .put(
                &format!("/api/units/{school}/lunch/{week}"),
                &json!({ "days": days }),
            )
            .await;
        assert_eq!(response.status(), status, "{code}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], code);
    }
    let bad_json = larare
        .request(reqwest::Method::PUT, &save)
        .header("content-type", "application/json")
        .body("{\"days\": 3}")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
    let (_, after) = app.anonymous().get_json(&menu).await;
    assert_eq!(after, stored, "a refused week changes nothing");

    // Nobody else enters it: a guardian, or a teacher for another unit.
    let anna = app.login("anna").await;
    assert_eq!(anna.put(&save, &json!({"days": []})).await.status(), 404);
    let preschool = unit(&app, "Förskolan Lärkan").await;
    let other = larare
        .put(
            &format!("/api/units/{preschool}/lunch/2026-11-23"),
            &json!({"days": []}),
        )
        .await;
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn a_family_sees_the_lunch_of_its_childrens_units_on_the_start_page() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let (_, start) = anna.get_json("/api/start").await;
    let today = start["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2026-11-24")
        .unwrap()
        .clone();
    let units: Vec<String> = start["children"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["units"].as_array().unwrap().iter())
        .map(|u| u.as_str().unwrap().to_owned())
        .collect();
    let lunch = today["lunch"].as_array().unwrap();
    assert!(!lunch.is_empty(), "{today}");
    for l in lunch {
        assert!(
            units.contains(&l["unit_name"].as_str().unwrap().to_owned()),
            "{l}"
        );
    }

    // Nils's school enters a new dish; his mother sees it at once.
    let school = uuids_of(
        &app,
        "SELECT e.unit_id FROM enrolment e JOIN person p ON p.id = e.pupil_id \
         WHERE p.given_name = 'Nils' AND p.family_name = 'Lindqvist'",
    )
    .await[0];
    let larare = app.login("larare").await;
    let (_, me) = larare.get_json("/api/me").await;
    app.execute(
        "INSERT INTO duty (id, municipality_id, person_id, unit_id, role, start_date, end_date) \
         SELECT $1, municipality_id, $2, id, 'teacher', '2026-08-01', NULL FROM unit WHERE id = $3",
        [
            uuid::Uuid::new_v4().into(),
            me["person_id"]
                .as_str()
                .unwrap()
                .parse::<uuid::Uuid>()
                .unwrap()
                .into(),
            school.into(),
        ],
    )
    .await;
    let response = larare
        .put(
            &format!("/api/units/{school}/lunch/2026-11-23"),
            &json!({"days": [{"date": "2026-11-24", "main_dish": "Tacos med bönröra"}]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let (_, after) = anna.get_json("/api/start").await;
    let shown = after["days"][1]["lunch"].to_string();
    assert!(shown.contains("Tacos med bönröra"), "{shown}");
}

/// The staff's form in a browser: a teacher enters Tuesday's lunch for her school, on a phone,
/// and it is stored; the page fits 360 px and passes axe at both widths.
#[tokio::test]
async fn a_teacher_enters_the_weeks_lunch_on_a_phone() {
    use crate::ui::{app_with_spa, browser, check_fits, password_login, step_up, wait_for_text};
    let app = app_with_spa(false).await;
    let browser = browser().await;
    browser
        .resize(skolportal_tests::browser::Viewport::PHONE)
        .await
        .unwrap();
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    step_up(&browser, &app, "larare").await;
    browser.goto(&app.url("/personal/matsedel")).await.unwrap();
    wait_for_text(&browser, "#lunch-week", "Vecka 48").await;
    browser
        .wait_for("#lunch-main-2026-11-24")
        .await
        .expect("Tuesday's dish");
    check_fits(&browser, "lunch-staff").await;
    browser
        .fill("#lunch-main-2026-11-24", "Pannkakor med sylt")
        .await
        .unwrap();
    browser.click("#lunch-save").await.unwrap();
    wait_for_text(&browser, "#lunch-status", "Matsedeln är sparad.").await;
    let school = unit(&app, "Solviksskolan").await;
    let (_, week) = app
        .anonymous()
        .get_json(&format!("/api/units/{school}/lunch"))
        .await;
    assert_eq!(tuesday(&week)["main_dish"], "Pannkakor med sylt");
    browser.close().await.unwrap();
}
