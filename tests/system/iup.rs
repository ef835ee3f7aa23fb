//! The individual development plan (IUP) through the API: closed until the talk consent; the
//! mentor writes goals and follows them up, and the pupil and guardians read them with their
//! history; a teacher who is not the mentor writes no goals and reads none; omdömen are written
//! by a subject teacher in a year without grades, once a school year; and when the pupil moves
//! to another school, its mentor sees the earlier plan only under the transfer consent.

use serde_json::{json, Value};
use skolportal_tests::app::{uuid_of, TestOptions};
use skolportal_tests::{TestApp, UserClient};

use crate::talks::{bankid, consent, leo, personnummer};

fn goal(text: &str) -> Value {
    json!({
        "activity": "mathematics",
        "goal": text,
        "measures": "Extra genomgång på tisdagar",
        "agreements": "Leo gör läxan varje vecka",
    })
}

async fn plan(client: &UserClient, pupil: &str) -> Value {
    let (status, body) = client
        .get_json(&format!("/api/pupils/{pupil}/development-plan"))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn goal_texts(plan: &Value) -> Vec<String> {
    plan["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["goal"].as_str().unwrap().to_owned())
        .collect()
}

async fn error_of(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or_default();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

fn bankid_app() -> TestOptions {
    TestOptions {
        bankid: true,
        ..Default::default()
    }
}

#[tokio::test]
async fn the_mentor_writes_and_follows_up_goals_and_the_family_reads_the_history() {
    let app = TestApp::spawn_with(bankid_app()).await;
    let leo = leo(&app).await;
    let goals = format!("/api/pupils/{}/development-plan/goals", leo.id);

    // Closed until both guardians consent to talks in the portal, and it says so.
    let closed = plan(&leo.guardians[0], &leo.id).await;
    assert_eq!(closed["consent"], "not_given");
    assert_eq!(closed["can_consent"], true);
    assert_eq!(
        error_of(leo.mentor.post(&goals, &goal("Lösa ekvationer")).await).await,
        (409, "talk_consent_missing".to_owned())
    );
    for guardian in &leo.guardians {
        consent(guardian, &leo.id, "given").await;
    }

    // The mentor writes; what is not a goal is refused and nothing is stored.
    assert_eq!(
        error_of(leo.mentor.post(&goals, &goal("  ")).await).await,
        (422, "iup_goal_empty".to_owned())
    );
    let response = leo.mentor.post(&goals, &goal("Lösa ekvationer")).await;
    assert_eq!(response.status(), 200);
    let written: Value = response.json().await.unwrap();
    assert_eq!(written["can_write_goals"], true);
    assert_eq!(goal_texts(&written), ["Lösa ekvationer"]);

    // A teacher who is not the mentor neither writes goals nor reads them.
    assert_eq!(
        error_of(leo.teacher.post(&goals, &goal("Annat")).await)
            .await
            .0,
        404
    );
    let seen = plan(&leo.teacher, &leo.id).await;
    assert!(goal_texts(&seen).is_empty(), "{seen}");
    assert_eq!(app.count("SELECT COUNT(*) FROM iup_goal").await, 1);

    // An earlier term's goal, from the spring: the history runs across terms, latest first.
    app.execute(
        "INSERT INTO iup_goal (id, municipality_id, pupil_id, term_id, unit_id, author_id, \
         activity, goal, measures, agreements, created_at) \
         SELECT $1, g.municipality_id, g.pupil_id, t.id, g.unit_id, g.author_id, 'english', \
         'Läsa en bok på engelska', '', '', $2 FROM iup_goal g JOIN school_term t \
         ON t.municipality_id = g.municipality_id AND t.kind = 'spring' \
         AND t.starts_on < $3",
        [
            uuid::Uuid::new_v4().into(),
            chrono::DateTime::parse_from_rfc3339("2026-03-10T10:00:00Z")
                .unwrap()
                .with_timezone(&chrono::Utc)
                .into(),
            chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap().into(),
        ],
    )
    .await;
    let seen = plan(&leo.pupil, &leo.id).await;
    assert_eq!(
        goal_texts(&seen),
        ["Lösa ekvationer", "Läsa en bok på engelska"]
    );

    // At the next talk the mentor follows the spring goal up; both guardians read it.
    let spring = seen["goals"][1]["id"].as_str().unwrap().to_owned();
    let response = leo
        .mentor
        .put(
            &format!("{goals}/{spring}/follow-up"),
            &json!({ "outcome": "partly_reached", "comment": "Halva boken läst" }),
        )
        .await;
    assert_eq!(response.status(), 200);
    for guardian in &leo.guardians {
        let seen = plan(guardian, &leo.id).await;
        assert_eq!(seen["goals"][1]["outcome"], "partly_reached");
        assert_eq!(seen["goals"][1]["follow_up"], "Halva boken läst");
        assert_eq!(seen["can_write_goals"], false);
    }
    assert!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'read_development_plan'")
            .await
            >= 1,
        "the mentor's reads are logged"
    );

    // Year 8 gets grades, not omdömen.
    let response = leo
        .teacher
        .put(
            &format!("/api/pupils/{}/development-plan/assessments", leo.id),
            &json!({ "activity": "mathematics", "level": "adequate", "comment": "Bra" }),
        )
        .await;
    assert_eq!(error_of(response).await.0, 422);

    // The plan is in the register extract the guardians ask for.
    let (_, extract) = leo.guardians[0].get_json("/api/me/extract").await;
    let child = extract["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == leo.id.as_str())
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        child["development_goals"].as_array().map(Vec::len),
        Some(2),
        "{extract}"
    );
}

#[tokio::test]
async fn a_subject_teacher_writes_one_omdome_a_year_in_a_year_without_grades() {
    let app = TestApp::spawn_with(bankid_app()).await;
    // Nils Lindqvist is in year 5; his guardians are Anna and Johan.
    let nils = uuid_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Nils' AND family_name = 'Lindqvist'",
    )
    .await;
    let guardian_pnrs = [
        personnummer(
            &app,
            "SELECT personnummer FROM person WHERE given_name = 'Anna' \
             AND family_name = 'Lindqvist'",
        )
        .await,
        personnummer(
            &app,
            "SELECT personnummer FROM person WHERE given_name = 'Johan' \
             AND family_name = 'Lindqvist'",
        )
        .await,
    ];
    let mut guardians = Vec::new();
    for pnr in &guardian_pnrs {
        let guardian = bankid(&app, pnr).await;
        consent(&guardian, &nils, "given").await;
        guardians.push(guardian);
    }
    // A teacher of Nils's class and one of the subjects she teaches it.
    let row = personnummer(
        &app,
        "SELECT p.personnummer || ' ' || l.activity FROM person n \
         JOIN group_membership m ON m.person_id = n.id AND m.role = 'pupil' \
         JOIN lesson l ON l.group_id = m.group_id \
         JOIN person p ON p.id = l.teacher_id \
         WHERE n.given_name = 'Nils' AND n.family_name = 'Lindqvist' \
         AND l.activity NOT IN ('lunch', 'mentoring') \
         ORDER BY p.personnummer, l.activity LIMIT 1",
    )
    .await;
    let (pnr, subject) = row.split_once(' ').unwrap();
    let teacher = bankid(&app, pnr).await;
    let path = format!("/api/pupils/{nils}/development-plan/assessments");

    let seen = plan(&teacher, &nils).await;
    assert!(
        seen["assessment_subjects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == subject),
        "{seen}"
    );
    let other = seen["assessment_subjects"]
        .as_array()
        .map(|taught| {
            ["swedish", "mathematics", "english", "music", "crafts"]
                .into_iter()
                .find(|s| !taught.iter().any(|t| t == s))
                .unwrap()
        })
        .unwrap();
    assert_eq!(
        error_of(
            teacher
                .put(
                    &path,
                    &json!({ "activity": other, "level": "adequate", "comment": "Bra" })
                )
                .await
        )
        .await,
        (422, "iup_not_your_subject".to_owned())
    );
    assert_eq!(
        error_of(
            teacher
                .put(
                    &path,
                    &json!({ "activity": subject, "level": "adequate", "comment": " " })
                )
                .await
        )
        .await,
        (422, "iup_comment_empty".to_owned())
    );
    for (level, comment) in [
        ("not_yet_adequate", "Behöver öva mer"),
        ("adequate", "Har kommit ikapp"),
    ] {
        let response = teacher
            .put(
                &path,
                &json!({ "activity": subject, "level": level, "comment": comment }),
            )
            .await;
        assert_eq!(response.status(), 200);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM iup_assessment").await,
        1,
        "once a school year: the second replaced the first"
    );
    for guardian in &guardians {
        let seen = plan(guardian, &nils).await;
        let assessments = seen["assessments"].as_array().unwrap();
        assert_eq!(assessments.len(), 1);
        assert_eq!(assessments[0]["level"], "adequate");
        assert_eq!(assessments[0]["comment"], "Har kommit ikapp");
        assert_eq!(assessments[0]["school_year"], 5);
    }
}

#[tokio::test]
async fn a_new_school_sees_the_earlier_plan_only_under_the_transfer_consent() {
    let app = TestApp::spawn_with(bankid_app()).await;
    let leo = leo(&app).await;
    for guardian in &leo.guardians {
        consent(guardian, &leo.id, "given").await;
    }
    let response = leo
        .mentor
        .post(
            &format!("/api/pupils/{}/development-plan/goals", leo.id),
            &goal("Lösa ekvationer"),
        )
        .await;
    assert_eq!(response.status(), 200);

    // Leo moves today to a class at another school in the municipality.
    let new_class = uuid_of(
        &app,
        "SELECT g.id FROM school_group g JOIN enrolment e ON e.unit_id <> g.unit_id \
         JOIN person leo ON leo.id = e.pupil_id \
         JOIN group_membership m ON m.group_id = g.id AND m.role = 'mentor' \
         WHERE leo.given_name = 'Leo' AND leo.family_name = 'Sjöberg' \
         AND g.group_type = 'class' AND g.school_year = 8 ORDER BY g.name LIMIT 1",
    )
    .await;
    let yesterday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let leo_id: sea_orm::Value = uuid::Uuid::parse_str(&leo.id).unwrap().into();
    let class_id: sea_orm::Value = uuid::Uuid::parse_str(&new_class).unwrap().into();
    app.execute(
        "UPDATE enrolment SET end_date = $1 WHERE pupil_id = $2",
        [yesterday.into(), leo_id.clone()],
    )
    .await;
    app.execute(
        "UPDATE group_membership SET end_date = $1 WHERE person_id = $2",
        [yesterday.into(), leo_id.clone()],
    )
    .await;
    app.execute(
        "INSERT INTO enrolment (id, municipality_id, pupil_id, unit_id, school_year, start_date) \
         SELECT $1, g.municipality_id, $2, g.unit_id, 8, $3 FROM school_group g WHERE g.id = $4",
        [
            uuid::Uuid::new_v4().into(),
            leo_id.clone(),
            today.into(),
            class_id.clone(),
        ],
    )
    .await;
    app.execute(
        "INSERT INTO group_membership (id, municipality_id, group_id, person_id, role, \
         start_date) SELECT $1, g.municipality_id, g.id, $2, 'pupil', $3 \
         FROM school_group g WHERE g.id = $4",
        [uuid::Uuid::new_v4().into(), leo_id, today.into(), class_id],
    )
    .await;
    let pnr = personnummer(
        &app,
        &format!(
            "SELECT p.personnummer FROM group_membership m JOIN person p ON p.id = m.person_id \
             JOIN school_group g ON g.id = m.group_id WHERE m.role = 'mentor' \
             AND g.name = (SELECT name FROM school_group x WHERE x.id = (SELECT group_id FROM \
             group_membership y JOIN person leo ON leo.id = y.person_id WHERE leo.given_name = \
             'Leo' AND leo.family_name = 'Sjöberg' AND y.start_date = '{today}')) \
             AND g.unit_id <> (SELECT unit_id FROM enrolment e JOIN person leo ON leo.id = \
             e.pupil_id WHERE leo.given_name = 'Leo' AND e.end_date = '{yesterday}') \
             ORDER BY p.personnummer LIMIT 1"
        ),
    )
    .await;
    let new_mentor = bankid(&app, &pnr).await;

    // The old mentor no longer reads it; the new one reads none of it without the transfer
    // consent, and is told something is withheld; the family still reads all of it.
    let (status, _) = leo
        .mentor
        .get_json(&format!("/api/pupils/{}/development-plan", leo.id))
        .await;
    assert_eq!(status, 404);
    let seen = plan(&new_mentor, &leo.id).await;
    assert!(goal_texts(&seen).is_empty(), "{seen}");
    assert_eq!(seen["earlier_school_withheld"], true);
    assert_eq!(
        goal_texts(&plan(&leo.guardians[0], &leo.id).await),
        ["Lösa ekvationer"]
    );

    // Once both guardians consent to passing it on, the new mentor reads it.
    for guardian in &leo.guardians {
        let response = guardian
            .put(
                &format!("/api/children/{}/consents/overlamning", leo.id),
                &json!({ "decision": "given" }),
            )
            .await;
        assert_eq!(response.status(), 200);
    }
    let seen = plan(&new_mentor, &leo.id).await;
    assert_eq!(goal_texts(&seen), ["Lösa ekvationer"]);
    assert_eq!(seen["earlier_school_withheld"], false);
}
