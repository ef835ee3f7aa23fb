//! Grades through the API: the subject teacher sets this term's grades for a class in the
//! subject they teach it; the pupil, the guardians and the mentor read them (a one-time code or
//! BankID; the mentor's read logged); a year that gets no grades shows none and takes none; the
//! principal locks the term and nothing changes after.

use serde_json::{json, Value};
use skolportal_tests::app::{uuid_of, TestOptions};
use skolportal_tests::{TestApp, UserClient};

use crate::talks::leo;

async fn bankid(app: &TestApp, personnummer: &str) -> UserClient {
    let client = app.anonymous();
    assert_eq!(
        client.bankid_login(personnummer, "loa3").await.status(),
        302
    );
    client
}

/// A class of `pupil` (by name) and a teacher of one of its subjects (not lunch or mentor
/// time), logged in with BankID: `(group, subject, teacher)`.
pub(crate) async fn class_and_teacher(
    app: &TestApp,
    given: &str,
    family: &str,
) -> (String, String, UserClient) {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            format!(
                "SELECT g.id, l.activity, t.personnummer FROM person p \
                 JOIN group_membership m ON m.person_id = p.id AND m.role = 'pupil' \
                 JOIN school_group g ON g.id = m.group_id AND g.group_type = 'class' \
                 JOIN lesson l ON l.group_id = g.id AND l.activity NOT IN ('lunch', 'mentoring') \
                 JOIN person t ON t.id = l.teacher_id \
                 JOIN group_membership tm ON tm.group_id = g.id AND tm.person_id = t.id \
                     AND tm.role = 'teacher' \
                 WHERE p.given_name = '{given}' AND p.family_name = '{family}' \
                 ORDER BY l.activity, t.personnummer LIMIT 1"
            ),
        ))
        .await
        .unwrap()
        .expect("a class with a taught subject");
    let group: uuid::Uuid = row.try_get_by_index(0).unwrap();
    let activity: String = row.try_get_by_index(1).unwrap();
    let pnr: String = row.try_get_by_index(2).unwrap();
    (group.to_string(), activity, bankid(app, &pnr).await)
}

#[tokio::test]
async fn the_subject_teacher_sets_grades_the_family_reads_them_and_the_principal_locks_them() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    let leo = leo(&app).await;
    let (class, subject, teacher) = class_and_teacher(&app, "Leo", "Sjöberg").await;
    let sheet_path = format!("/api/groups/{class}/grades");

    let (status, sheet) = teacher.get_json(&sheet_path).await;
    assert_eq!(status, 200, "{sheet}");
    assert!(sheet["activities"]
        .as_array()
        .unwrap()
        .contains(&json!(subject)));
    let on_sheet = sheet["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pupil_id"] == leo.id.as_str())
        .unwrap_or_else(|| panic!("Leo on {sheet}"))
        .clone();
    assert_eq!(on_sheet["school_year"], 8);
    assert_eq!(on_sheet["graded"], true);

    let set = |value: Value| json!({ "activity": subject, "grades": [{ "pupil_id": leo.id, "value": value }] });
    let response = teacher.put(&sheet_path, &set(json!("b"))).await;
    assert_eq!(response.status(), 200);
    let response = teacher.put(&sheet_path, &set(json!("c"))).await;
    let sheet: Value = response.json().await.unwrap();
    let leo_row = sheet["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pupil_id"] == leo.id.as_str())
        .unwrap();
    assert_eq!(
        leo_row["grades"],
        json!([{ "activity": subject, "value": "c" }])
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM grade").await,
        1,
        "one per subject and term"
    );

    // The pupil, a guardian and the mentor read it; the mentor's read is logged.
    let grades_path = format!("/api/pupils/{}/grades", leo.id);
    for reader in [&leo.pupil, &leo.guardians[0], &leo.mentor] {
        let (status, grades) = reader.get_json(&grades_path).await;
        assert_eq!(status, 200, "{grades}");
        assert_eq!(grades["school_year"], 8);
        assert_eq!(
            grades["terms"][0]["grades"],
            json!([{ "activity": subject, "value": "c" }])
        );
        assert_eq!(grades["terms"][0]["locked"], false);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'read_grades'")
            .await,
        1
    );
    // Another family's guardian, and the subject teacher by the pupil's own page: nothing.
    let (status, _) = app.login("erik").await.get_json(&grades_path).await;
    assert_eq!(status, 404);
    let (status, _) = teacher.get_json(&grades_path).await;
    assert_eq!(status, 404);
    // Bad input: a grade that is not one, a pupil not in the class, a subject not taught.
    for body in [
        json!({ "activity": subject, "grades": [{ "pupil_id": leo.id, "value": "g" }] }),
        json!({ "activity": subject }),
    ] {
        assert_eq!(
            teacher.put(&sheet_path, &body).await.status(),
            400,
            "{body}"
        );
    }
    let stranger = uuid_of(&app, "SELECT id FROM person WHERE given_name = 'Alva'").await;
    let response = teacher
        .put(
            &sheet_path,
            &json!({ "activity": subject, "grades": [{ "pupil_id": stranger, "value": "a" }] }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = teacher
        .put(
            &sheet_path,
            &json!({ "activity": "lunch", "grades": [{ "pupil_id": leo.id, "value": "a" }] }),
        )
        .await;
    assert_eq!(response.status(), 422);

    // The principal locks the term: nothing changes after, and the family sees it final.
    let rektor = app.login("rektor").await;
    app.step_up(&rektor, "rektor").await;
    let school = uuid_of(
        &app,
        "SELECT e.unit_id FROM enrolment e JOIN person p ON p.id = e.pupil_id \
         WHERE p.given_name = 'Leo' AND p.family_name = 'Sjöberg'",
    )
    .await;
    let response = rektor
        .post(&format!("/api/units/{school}/grade-lock"), &json!({}))
        .await;
    assert_eq!(response.status(), 204);
    let response = teacher.put(&sheet_path, &set(json!("a"))).await;
    assert_eq!(response.status(), 409);
    let (_, grades) = leo.pupil.get_json(&grades_path).await;
    assert_eq!(grades["terms"][0]["locked"], true);
    assert_eq!(grades["terms"][0]["grades"][0]["value"], "c");
    let response = teacher
        .post(&format!("/api/units/{school}/grade-lock"), &json!({}))
        .await;
    assert_eq!(response.status(), 404, "a teacher does not lock");
}

#[tokio::test]
async fn a_year_without_grades_shows_none_and_takes_none() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    let (class, subject, teacher) = class_and_teacher(&app, "Nils", "Lindqvist").await;
    let nils = uuid_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Nils' AND family_name = 'Lindqvist'",
    )
    .await;
    let (_, sheet) = teacher
        .get_json(&format!("/api/groups/{class}/grades"))
        .await;
    let row = sheet["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pupil_id"] == nils.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["school_year"], 5);
    assert_eq!(row["graded"], false);
    let response = teacher
        .put(
            &format!("/api/groups/{class}/grades"),
            &json!({ "activity": subject, "grades": [{ "pupil_id": nils, "value": "a" }] }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "grade_ungraded_year");
    assert_eq!(app.count("SELECT COUNT(*) FROM grade").await, 0);

    let anna = bankid(&app, &app.personnummer_of("Anna", "Lindqvist").await).await;
    let (status, grades) = anna.get_json(&format!("/api/pupils/{nils}/grades")).await;
    assert_eq!(status, 200);
    assert_eq!(grades["school_year"], 5);
    assert_eq!(grades["first_graded_year"], 6);
    assert_eq!(grades["terms"], json!([]));
    // With a password only, a guardian is asked for a stronger login (rule 11).
    let response = app
        .login("anna")
        .await
        .get(&format!("/api/pupils/{nils}/grades"))
        .await;
    assert_eq!(response.status(), 403);
}
