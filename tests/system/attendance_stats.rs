//! Attendance statistics through the API: after the mentor of 8A takes a lesson with one pupil
//! away without leave, the pupil and the guardians see the term's figures per subject, the
//! mentor's class overview marks that pupil for follow-up by the municipality's threshold, and
//! the principal's list names the pupil with the class; staff reads are logged, and no one else
//! reads them.

use serde_json::json;
use skolportal_tests::app::unit;

use crate::attendance::{leo_and_lessons, pupil_with_guardian, roster_path};
use skolportal_tests::{TestApp, UserClient};

const TODAY: &str = "2026-11-24";

/// The demo pupil `elev` (Leo Sjöberg, 8A), logged in with BankID.
async fn elev_with_bankid(app: &TestApp) -> UserClient {
    let pnr = crate::talks::personnummer(
        app,
        "SELECT p.personnummer FROM person p JOIN user_account a ON a.person_id = p.id \
         WHERE a.username = 'elev'",
    )
    .await;
    let client = app.anonymous();
    assert_eq!(client.bankid_login(&pnr, "loa3").await.status(), 302);
    client
}

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

    // The pupil's own figures, and the guardian's of the child. Absence is read with a one-time
    // code or BankID (rule 11): a year-8 pupil with a password alone is asked to step up.
    let response = app
        .login("elev")
        .await
        .get(&format!("/api/pupils/{leo}/attendance"))
        .await;
    assert_eq!(response.status(), 403);
    let refusal: serde_json::Value = response.json().await.unwrap();
    assert_eq!(refusal["error"], "step_up_required");
    assert_eq!(refusal["required_strength"], "password_and_totp");
    let elev = elev_with_bankid(&app).await;
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

    // The pupil with a password alone: in place of the figures, the step-up (rule 11), on the
    // same page.
    let browser = crate::ui::browser().await;
    browser.resize(Viewport::PHONE).await.unwrap();
    password_login(&browser, &app, "elev", app.password_of("elev")).await;
    wait_for_text(&browser, ".attendance-term", "Du behöver bekräfta").await;
    crate::ui::check_page(&browser, "attendance-step-up").await;

    // With BankID: the figures, and an earlier term to choose.
    let pnr = crate::talks::personnummer(
        &app,
        "SELECT p.personnummer FROM person p JOIN user_account a ON a.person_id = p.id \
         WHERE a.username = 'elev'",
    )
    .await;
    let browser = crate::grades_ui::bankid_in_browser(&app, &pnr).await;
    wait_for_text(&browser, "main", "Närvaro den här terminen").await;
    wait_for_text(
        &browser,
        ".attendance-term",
        "Närvarande 100 % av 1 lektioner",
    )
    .await;
    check_fits(&browser, "attendance-term").await;
    let spring = crate::ui::id_of(
        &app,
        "SELECT id FROM school_term WHERE starts_on = '2026-01-08'",
    )
    .await;
    browser
        .set_value(".attendance-term select", &spring)
        .await
        .unwrap();
    wait_for_text(&browser, ".attendance-term h2", "Vårtermin 2026").await;
    wait_for_text(
        &browser,
        ".attendance-term",
        "Ingen närvaro är registrerad ännu.",
    )
    .await;
    browser
        .client()
        .execute(
            "document.querySelector('.attendance-term').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    crate::ui::check_page(&browser, "attendance-term-spring").await;
}

/// Rule 11 (issue #12.6): absence, grades and the development plan are read with a one-time
/// code or BankID, by a guardian with a password too; the municipality lets its youngest pupils
/// read their own with a password (Solvik: below year 4) and can take that back.
#[tokio::test]
async fn a_young_pupil_reads_their_own_records_with_a_password_where_the_municipality_allows_it() {
    let app = crate::applications::app().await;
    // A pupil of year 2 gets a password account.
    let username = app.add_pupil_accounts(1).await.remove(0);
    app.execute(
        "UPDATE user_account SET person_id = (SELECT m.person_id FROM group_membership m \
         JOIN school_group g ON g.id = m.group_id AND g.group_type = 'class' \
         AND g.school_year = 2 WHERE m.role = 'pupil' \
         AND m.person_id NOT IN (SELECT person_id FROM user_account) \
         ORDER BY m.person_id LIMIT 1) WHERE username = $1",
        [username.clone().into()],
    )
    .await;
    let young = app.anonymous();
    let response = young
        .login(&username, skolportal_tests::app::BULK_PASSWORD)
        .await;
    assert_eq!(response.status(), 200);
    let (_, me) = young.get_json("/api/me").await;
    let id = me["person_id"].as_str().unwrap().to_owned();
    for part in ["attendance", "grades", "development-plan"] {
        let (status, body) = young.get_json(&format!("/api/pupils/{id}/{part}")).await;
        assert_eq!(status, 200, "{part}: {body}");
    }
    // Only their own.
    let (leo, _, _) = leo_and_lessons(&app).await;
    let (status, _) = young
        .get_json(&format!("/api/pupils/{leo}/attendance"))
        .await;
    assert_eq!(status, 404);

    // A guardian with a password alone is asked to step up for a school child's absence.
    let anna = app.login_password_only("anna").await;
    let child = crate::ui::id_of(
        &app,
        "SELECT g.child_id FROM guardianship g \
         JOIN user_account a ON a.person_id = g.adult_id AND a.username = 'anna' \
         JOIN group_membership m ON m.person_id = g.child_id AND m.role = 'pupil' \
         ORDER BY g.child_id LIMIT 1",
    )
    .await;
    let response = anna.get(&format!("/api/pupils/{child}/attendance")).await;
    assert_eq!(response.status(), 403);
    let refusal: serde_json::Value = response.json().await.unwrap();
    assert_eq!(refusal["error"], "step_up_required");

    // The municipality takes the relaxation back: the young pupil must step up too.
    app.execute(
        "UPDATE municipality SET pupil_password_below_year = NULL",
        [],
    )
    .await;
    for part in ["attendance", "grades", "development-plan"] {
        let response = young.get(&format!("/api/pupils/{id}/{part}")).await;
        assert_eq!(response.status(), 403, "{part}");
        let refusal: serde_json::Value = response.json().await.unwrap();
        assert_eq!(refusal["error"], "step_up_required", "{part}");
    }
}

/// Issue #12.3: what is recorded in a term stays the pupil's after the term and the school year
/// end — the next summer the family chooses the autumn and reads its absence, and its grade —
/// while the mentor and the subject teacher, whose relations ended on 30 June, no longer read
/// them (the settable clock moves the days).
#[tokio::test]
async fn a_past_terms_absence_and_grades_stay_the_familys_and_leave_the_former_staff() {
    let app = crate::applications::app().await;
    let (leo, held, _) = leo_and_lessons(&app).await;
    let larare = app.login("larare").await;
    let response = larare
        .put(
            &roster_path(&held, TODAY),
            &json!({ "marks": [{ "pupil_id": leo, "mark": "unexcused_absence" }] }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let (class, subject, teacher) = crate::grades::class_and_teacher(&app, "Leo", "Sjöberg").await;
    let sheet = format!("/api/groups/{class}/grades");
    let response = teacher
        .put(
            &sheet,
            &json!({ "activity": subject, "grades": [{ "pupil_id": leo, "value": "b" }] }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let guardian_pnr = crate::talks::personnummer(
        &app,
        "SELECT p.personnummer FROM guardianship g JOIN person p ON p.id = g.adult_id \
         JOIN person c ON c.id = g.child_id WHERE c.given_name = 'Leo' \
         AND c.family_name = 'Sjöberg' AND g.relation = 'guardian' \
         ORDER BY p.personnummer LIMIT 1",
    )
    .await;
    let attendance = format!("/api/pupils/{leo}/attendance");

    let day = |date: &str| {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc()
    };
    app.advance(day("2027-07-01") - day(TODAY));

    // The family: the spring is the current term, the autumn one to choose.
    let guardian = app.anonymous();
    assert_eq!(
        guardian.bankid_login(&guardian_pnr, "loa3").await.status(),
        302
    );
    let (status, spring) = guardian.get_json(&attendance).await;
    assert_eq!(status, 200, "{spring}");
    assert_eq!(spring["term_starts_on"], "2027-01-08");
    assert_eq!(spring["total"]["unexcused_absence"], 0);
    let terms = spring["terms"].as_array().unwrap();
    assert_eq!(terms[0]["id"], spring["term_id"], "the latest first");
    assert!(
        terms
            .iter()
            .all(|t| t["starts_on"].as_str() <= Some("2027-07-01")),
        "only terms that have begun: {spring}"
    );
    let autumn = terms
        .iter()
        .find(|t| t["starts_on"] == "2026-08-15")
        .unwrap_or_else(|| panic!("the autumn in {spring}"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, then) = guardian
        .get_json(&format!("{attendance}?term={autumn}"))
        .await;
    assert_eq!(status, 200, "{then}");
    assert_eq!(then["term_id"], autumn.as_str());
    assert_eq!(then["total"]["lessons"], 1);
    assert_eq!(then["total"]["unexcused_absence"], 1);
    let (status, grades) = guardian
        .get_json(&format!("/api/pupils/{leo}/grades"))
        .await;
    assert_eq!(status, 200, "{grades}");
    let autumn_grades = grades["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term_starts_on"] == "2026-08-15")
        .unwrap_or_else(|| panic!("the autumn in {grades}"));
    assert_eq!(
        autumn_grades["grades"],
        json!([{ "activity": subject, "value": "b" }])
    );
    assert_eq!(autumn_grades["school_year"], 8);

    // A term that is not the municipality's, or has not begun, is refused in words.
    let next_autumn = crate::ui::id_of(
        &app,
        "SELECT id FROM school_term WHERE starts_on = '2027-08-15'",
    )
    .await;
    for term in [uuid::Uuid::new_v4().to_string(), next_autumn] {
        let (status, body) = guardian
            .get_json(&format!("{attendance}?term={term}"))
            .await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["error"], "term_not_found");
    }

    // The former staff: the mentor and the subject teacher no longer read them.
    let larare = app.login("larare").await;
    let (status, _) = larare
        .get_json(&format!("{attendance}?term={autumn}"))
        .await;
    assert_eq!(status, 404);
    let (_, _, teacher) = crate::grades::class_and_teacher(&app, "Leo", "Sjöberg").await;
    let (status, _) = teacher.get_json(&sheet).await;
    assert_eq!(status, 404);
}
