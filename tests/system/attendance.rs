//! Attendance per lesson through the API (`/api/timetable/lessons/{id}/attendance/{date}`): the
//! mentor of class 8A ("larare") takes a lesson's attendance on the demo's Tuesday 2026-11-24,
//! where everyone is present until marked and a guardian's report is valid absence before she
//! starts; a correction keeps the earlier mark; what is not a mark is refused and nothing is
//! stored; only the group's teachers take it; and the marks are in the register extracts.

use reqwest::Method;
use serde_json::{json, Value};
use skolportal_tests::{TestApp, UserClient};
use uuid::Uuid;

const TODAY: &str = "2026-11-24";

/// Leo ("elev", class 8A) and the lessons of his Tuesday: one held, one cancelled.
pub(crate) async fn leo_and_lessons(app: &TestApp) -> (String, Value, Value) {
    let elev = app.login("elev").await;
    let (_, me) = elev.get_json("/api/me").await;
    let leo = me["person_id"].as_str().unwrap().to_owned();
    let (status, week) = elev
        .get_json(&format!("/api/timetable/pupils/{leo}?week=2026-11-23"))
        .await;
    assert_eq!(status, 200, "{week}");
    let day = week["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == TODAY)
        .unwrap()
        .clone();
    let cancelled = |l: &&Value| {
        l["change"]["kinds"]
            .as_array()
            .is_some_and(|k| k.contains(&json!("cancelled")))
    };
    let lessons = day["lessons"].as_array().unwrap();
    let held = lessons
        .iter()
        .find(|l| l["activity"] != "lunch" && l["change"].is_null())
        .unwrap()
        .clone();
    let off = lessons.iter().find(cancelled).unwrap().clone();
    (leo, held, off)
}

pub(crate) fn roster_path(lesson: &Value, date: &str) -> String {
    format!(
        "/api/timetable/lessons/{}/attendance/{date}",
        lesson["lesson_id"].as_str().unwrap()
    )
}

fn pupil<'a>(roster: &'a Value, id: &str) -> &'a Value {
    roster["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pupil_id"] == id)
        .unwrap_or_else(|| panic!("{id} is not on {roster}"))
}

/// A pupil of Solviksskolan's class 8A who has a guardian, and a BankID session for that guardian.
pub(crate) async fn pupil_with_guardian(app: &TestApp) -> (String, UserClient) {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT c.id, p.personnummer FROM group_membership m \
             JOIN school_group s ON s.id = m.group_id AND s.name = '8A' \
             JOIN unit u ON u.id = s.unit_id AND u.name = 'Solviksskolan' \
             JOIN person c ON c.id = m.person_id \
             JOIN guardianship g ON g.child_id = c.id JOIN person p ON p.id = g.adult_id \
             WHERE m.role = 'pupil' AND m.start_date <= '2026-11-24' \
             AND (m.end_date IS NULL OR m.end_date >= '2026-11-24') AND p.personnummer IS NOT NULL \
             ORDER BY c.family_name, c.given_name, p.personnummer LIMIT 1"
                .to_owned(),
        ))
        .await
        .unwrap()
        .expect("a pupil of 8A with a guardian");
    let child: Uuid = row.try_get_by_index(0).unwrap();
    let pnr: String = row.try_get_by_index(1).unwrap();
    let client = app.anonymous();
    assert_eq!(client.bankid_login(&pnr, "loa3").await.status(), 302);
    (child.to_string(), client)
}

async fn marks(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM attendance_mark").await
}

#[tokio::test]
async fn the_mentor_takes_attendance_with_the_guardians_report_filled_in() {
    // With the local BankID provider: the guardian logs in with BankID.
    let app = crate::applications::app().await;
    let (leo, held, cancelled) = leo_and_lessons(&app).await;

    // A guardian of a pupil of the class reports the child away for the lesson's hours.
    let (kid, guardian) = pupil_with_guardian(&app).await;
    let report = json!({
        "submission_id": Uuid::new_v4(),
        "child_ids": [kid],
        "absence": {
            "first_day": TODAY, "last_day": TODAY,
            "starts_at": held["starts_at"], "ends_at": held["ends_at"],
            "reason": "sick",
        },
    });
    assert_eq!(
        guardian
            .post("/api/absence-reports", &report)
            .await
            .status(),
        201
    );

    let larare = app.login("larare").await;
    let path = roster_path(&held, TODAY);
    let (status, roster) = larare.get_json(&path).await;
    assert_eq!(status, 200, "{roster}");
    assert_eq!(roster["taken"], false);
    assert_eq!(roster["group_name"], "8A");
    let pupils = roster["pupils"].as_array().unwrap();
    assert!(pupils.len() >= 5, "{roster}");
    assert_eq!(pupil(&roster, &kid)["mark"], "valid_absence");
    assert_eq!(pupil(&roster, &kid)["reported_absence"]["reason"], "sick");
    let others: Vec<&Value> = pupils
        .iter()
        .filter(|p| p["pupil_id"] != kid.as_str() && p["pupil_id"] != leo.as_str())
        .collect();
    assert!(others.iter().all(|p| p["mark"] == "present"), "{roster}");
    assert_eq!(marks(&app).await, 0, "reading stores nothing");

    // Not on a cancelled lesson, nor ahead of the day.
    let (status, refused) = larare.get_json(&roster_path(&cancelled, TODAY)).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("not_a_lesson_day"))
    );
    let (status, refused) = larare.get_json(&roster_path(&held, "2026-12-01")).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("attendance_not_yet"))
    );

    // She marks one pupil unexcused and one late; the rest stand as they are.
    let (away, late) = (
        others[0]["pupil_id"].as_str().unwrap(),
        others[1]["pupil_id"].as_str().unwrap(),
    );
    let response = larare
        .put(
            &path,
            &json!({"marks": [
                {"pupil_id": away, "mark": "unexcused_absence"},
                {"pupil_id": late, "mark": "late", "late_minutes": 5},
            ]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let roster: Value = response.json().await.unwrap();
    assert_eq!(roster["taken"], true);
    assert_eq!(pupil(&roster, away)["mark"], "unexcused_absence");
    assert_eq!(pupil(&roster, late)["late_minutes"], 5);
    assert_eq!(pupil(&roster, &kid)["mark"], "valid_absence");
    assert_eq!(pupil(&roster, &leo)["mark"], "present");
    assert_eq!(
        marks(&app).await,
        pupils.len() as i64,
        "the first save records everyone"
    );

    // The pupil turns up after all: a correction, kept with the mark it replaces.
    let response = larare
        .put(
            &path,
            &json!({"marks": [{"pupil_id": away, "mark": "present"}]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let roster: Value = response.json().await.unwrap();
    let corrected = pupil(&roster, away);
    assert_eq!(corrected["mark"], "present");
    let history: Vec<&str> = corrected["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["mark"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["present", "unexcused_absence"]);
    assert!(
        corrected["history"][0]["recorded_by"]
            .as_str()
            .unwrap()
            .starts_with("Lena "),
        "{corrected}"
    );
    assert_eq!(marks(&app).await, pupils.len() as i64 + 1);
    // The save answers the roster as a fresh read finds it.
    let (status, reread) = larare.get_json(&path).await;
    assert_eq!(status, 200);
    assert_eq!(reread, roster, "the save's answer is what is stored");

    // What is not a mark is refused, and nothing is stored.
    let nils = skolportal_tests::app::child(&app, "Nils").await;
    for (body, status, code) in [
        (
            json!({"marks": [{"pupil_id": late, "mark": "late"}]}),
            400,
            "invalid_late_minutes",
        ),
        (
            json!({"marks": [{"pupil_id": late, "mark": "late", "late_minutes": 500}]}),
            400,
            "invalid_late_minutes",
        ),
        (
            json!({"marks": [{"pupil_id": away, "mark": "present", "late_minutes": 3}]}),
            400,
            "invalid_late_minutes",
        ),
        (
            json!({"marks": [{"pupil_id": nils, "mark": "present"}]}),
            422,
            "unknown_pupil",
        ),
        (
            json!({"marks": [
                {"pupil_id": away, "mark": "present"},
                {"pupil_id": away, "mark": "late", "late_minutes": 2},
            ]}),
            422,
            "unknown_pupil",
        ),
        (
            json!({"marks": [{"pupil_id": away, "mark": "asleep"}]}),
            400,
            "invalid_body",
        ),
    ] {
        let response = larare.put(&path, &body).await;
        let got = response.status().as_u16();
        let answer: Value = response.json().await.unwrap();
        assert_eq!(got, status, "{body} → {answer}");
        if code != "invalid_body" {
            assert_eq!(answer["error"], code, "{body}");
        }
    }
    assert_eq!(marks(&app).await, pupils.len() as i64 + 1);

    // Each staff read of the pupils' attendance is in the access log: the two roster reads and
    // the two saves (a refused save shows nothing).
    let reported = pupil(&roster, &kid);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM access_log a JOIN person_key k ON k.pseudonym = a.subject_pseudonym \
             JOIN person c ON c.id = k.person_id \
             WHERE a.action = 'take_attendance' AND c.given_name = '{}' AND c.family_name = '{}'",
            reported["given_name"].as_str().unwrap(),
            reported["family_name"].as_str().unwrap(),
        ))
        .await,
        4
    );

    // The marks are in the register extracts: the pupil's own, his guardian's, the teacher's.
    app.turn_on_codes("elev").await;
    let elev = app.login("elev").await;
    let (status, extract) = elev.get_json("/api/me/extract").await;
    assert_eq!(status, 200);
    let own = extract["timetable"]["attendance"].as_array().unwrap();
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0]["mark"], "present");
    assert_eq!(own[0]["group_name"], "8A");
    let (status, extract) = guardian.get_json("/api/me/extract").await;
    assert_eq!(status, 200);
    let child = extract["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == kid.as_str())
        .unwrap();
    assert_eq!(child["attendance"][0]["mark"], "valid_absence");
    let (_, extract) = larare.get_json("/api/me/extract").await;
    let taken = extract["timetable"]["attendance_taken"].as_array().unwrap();
    assert_eq!(taken.len(), 1, "{taken:?}");
    assert_eq!(taken[0]["marks"], pupils.len() as i64 + 1);
}

#[tokio::test]
async fn only_the_groups_teachers_take_its_attendance() {
    let app = TestApp::spawn().await;
    let (_, held, _) = leo_and_lessons(&app).await;
    let path = roster_path(&held, TODAY);
    for username in ["anna", "elev", "forskola", "handlaggare"] {
        let client = app.login(username).await;
        let (status, _) = client.get_json(&path).await;
        // As for any target one may not see: not found, which says nothing of whether it is.
        assert_eq!(status, 404, "{username} read the roster");
        let response = client
            .request(Method::PUT, &path)
            .json(&json!({"marks": []}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{username} saved attendance");
    }
    assert_eq!(marks(&app).await, 0);
    let (status, _) = app.anonymous().get_json(&path).await;
    assert_eq!(status, 401);
}
