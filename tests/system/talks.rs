//! Talk material (samtalsunderlag) through the API: closed until the guardians consent; the
//! pupil, a guardian, a teacher and the mentor each write a part and publish it; a draft is its
//! author's alone; a teacher reads only their own; staff reads are logged; a one-time code or
//! BankID is needed; and a withdrawal deletes the material after the grace period unless the
//! consent is given again first.

use serde_json::{json, Value};
use skolportal_backend::settings::JobSettings;
use skolportal_tests::app::{uuid_of, TestOptions};
use skolportal_tests::{TestApp, UserClient};

pub(crate) async fn bankid(app: &TestApp, personnummer: &str) -> UserClient {
    let client = app.anonymous();
    assert_eq!(
        client.bankid_login(personnummer, "loa3").await.status(),
        302
    );
    client
}

pub(crate) async fn personnummer(app: &TestApp, sql: &str) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("nobody for {sql}"));
    row.try_get_by_index::<String>(0).unwrap()
}

fn part(answer: &str, publish: bool) -> Value {
    json!({
        "answers": {
            "going_well": answer, "to_develop": "", "support": "", "questions": "",
        },
        "publish": publish,
    })
}

fn texts(material: &Value) -> Vec<String> {
    let mut all: Vec<String> = material["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["answers"]["going_well"].as_str().unwrap().to_owned())
        .collect();
    all.sort();
    all
}

pub(crate) struct Leo {
    pub(crate) id: String,
    pub(crate) pupil: UserClient,
    pub(crate) guardians: Vec<UserClient>,
    pub(crate) teacher: UserClient,
    pub(crate) mentor: UserClient,
}

pub(crate) async fn leo(app: &TestApp) -> Leo {
    let id = uuid_of(
        app,
        "SELECT id FROM person WHERE given_name = 'Leo' AND family_name = 'Sjöberg'",
    )
    .await;
    let pupil = bankid(app, &app.personnummer_of("Leo", "Sjöberg").await).await;
    let mut guardians = Vec::new();
    for n in 0..2 {
        let pnr = personnummer(
            app,
            &format!(
                "SELECT p.personnummer FROM guardianship g JOIN person p ON p.id = g.adult_id \
                 JOIN person c ON c.id = g.child_id WHERE c.given_name = 'Leo' \
                 AND c.family_name = 'Sjöberg' AND g.relation = 'guardian' \
                 ORDER BY p.personnummer LIMIT 1 OFFSET {n}"
            ),
        )
        .await;
        guardians.push(bankid(app, &pnr).await);
    }
    // A teacher of one of Leo's groups who is not a mentor there.
    let pnr = personnummer(
        app,
        "SELECT p.personnummer FROM person leo \
         JOIN group_membership l ON l.person_id = leo.id AND l.role = 'pupil' \
         JOIN group_membership t ON t.group_id = l.group_id AND t.role = 'teacher' \
         JOIN person p ON p.id = t.person_id \
         WHERE leo.given_name = 'Leo' AND leo.family_name = 'Sjöberg' AND t.person_id NOT IN \
           (SELECT m.person_id FROM group_membership m JOIN group_membership x \
            ON x.group_id = m.group_id AND x.person_id = leo.id WHERE m.role = 'mentor') \
         ORDER BY p.personnummer LIMIT 1",
    )
    .await;
    let teacher = bankid(app, &pnr).await;
    let mentor = app.login("larare").await;
    app.step_up(&mentor, "larare").await;
    Leo {
        id,
        pupil,
        guardians,
        teacher,
        mentor,
    }
}

pub(crate) async fn consent(client: &UserClient, child: &str, decision: &str) {
    let response = client
        .put(
            &format!("/api/children/{child}/consents/utvecklingssamtal"),
            &json!({ "decision": decision }),
        )
        .await;
    assert_eq!(response.status(), 200);
}

pub(crate) async fn write(client: &UserClient, child: &str, answer: &str, publish: bool) -> Value {
    let response = client
        .put(
            &format!("/api/pupils/{child}/talk-material"),
            &part(answer, publish),
        )
        .await;
    assert_eq!(response.status(), 200, "{answer}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn four_roles_write_their_parts_and_each_sees_what_they_should() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    let leo = leo(&app).await;
    let path = format!("/api/pupils/{}/talk-material", leo.id);

    // Closed until both guardians consent, and the page can say how it opens.
    let (status, closed) = leo.guardians[0].get_json(&path).await;
    assert_eq!(status, 200);
    assert_eq!(closed["consent"], "not_given");
    assert_eq!(closed["can_consent"], true);
    assert_eq!(closed["can_write"], false);
    let response = leo.pupil.put(&path, &part("Jag läser mer", true)).await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "talk_consent_missing");
    consent(&leo.guardians[0], &leo.id, "given").await;
    let (_, waiting) = leo.pupil.get_json(&path).await;
    assert_eq!(waiting["consent"], "waiting");
    consent(&leo.guardians[1], &leo.id, "given").await;

    // A draft is its author's alone.
    let mine = write(&leo.pupil, &leo.id, "Jag läser mer", false).await;
    assert_eq!(texts(&mine), ["Jag läser mer"]);
    let (_, seen) = leo.guardians[0].get_json(&path).await;
    assert!(texts(&seen).is_empty(), "{seen}");
    write(&leo.pupil, &leo.id, "Jag läser mer", true).await;
    write(&leo.guardians[0], &leo.id, "Han frågar mycket om NO", true).await;
    write(&leo.teacher, &leo.id, "Säker i ekvationer", true).await;
    write(&leo.mentor, &leo.id, "Tar ansvar för läxor", false).await;

    let (_, guardian) = leo.guardians[1].get_json(&path).await;
    assert_eq!(
        texts(&guardian),
        [
            "Han frågar mycket om NO",
            "Jag läser mer",
            "Säker i ekvationer"
        ]
    );
    let (_, teacher) = leo.teacher.get_json(&path).await;
    assert_eq!(
        texts(&teacher),
        ["Säker i ekvationer"],
        "a teacher reads their own"
    );
    assert_eq!(teacher["parts"][0]["role"], "teacher");
    let read_logged = "SELECT COUNT(*) FROM access_log WHERE action = 'read_talk_material'";
    let before = app.count(read_logged).await;
    let (_, mentor) = leo.mentor.get_json(&path).await;
    assert_eq!(
        texts(&mentor),
        [
            "Han frågar mycket om NO",
            "Jag läser mer",
            "Säker i ekvationer",
            "Tar ansvar för läxor"
        ]
    );
    let roles: Vec<&str> = mentor["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["role"].as_str().unwrap())
        .collect();
    for role in ["pupil", "guardian", "teacher", "mentor"] {
        assert!(roles.contains(&role), "{roles:?}");
    }
    assert_eq!(
        app.count(read_logged).await,
        before + 1,
        "the mentor's read is logged"
    );

    // A password alone is not enough (rule 11), and bad input is refused with its reason.
    let (status, _) = app.login("erik").await.get_json(&path).await;
    assert_eq!(status, 404, "another family's guardian");
    let response = leo.pupil.put(&path, &part("", true)).await;
    assert_eq!(response.status(), 422);
    let response = leo.pupil.put(&path, &part(&"x".repeat(2001), false)).await;
    assert_eq!(response.status(), 422);
    let (_, still) = leo.pupil.get_json(&path).await;
    assert!(texts(&still).contains(&"Jag läser mer".to_owned()));
}

#[tokio::test]
async fn the_material_needs_a_one_time_code_or_bankid() {
    let app = TestApp::spawn().await;
    let elev = app.login("elev").await;
    let (_, me) = elev.get_json("/api/me").await;
    let id = me["person_id"].as_str().unwrap();
    let response = elev.get(&format!("/api/pupils/{id}/talk-material")).await;
    assert_eq!(response.status(), 403);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "step_up_required");
}

#[tokio::test]
async fn a_withdrawal_deletes_the_material_after_the_grace_period_unless_given_again() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        jobs: Some(JobSettings {
            enabled: false,
            ..JobSettings::default()
        }),
        ..Default::default()
    })
    .await;
    let runner = app.job_runner("instance-a");
    let run = || async {
        for _ in 0..20 {
            if runner.run_once().await.unwrap().claimed == 0 {
                return;
            }
        }
        panic!("the jobs did not settle");
    };
    let leo = leo(&app).await;
    let path = format!("/api/pupils/{}/talk-material", leo.id);
    let parts = "SELECT COUNT(*) FROM talk_part";
    consent(&leo.guardians[0], &leo.id, "given").await;
    consent(&leo.guardians[1], &leo.id, "given").await;
    write(&leo.pupil, &leo.id, "Jag läser mer", true).await;
    write(&leo.mentor, &leo.id, "Tar ansvar för läxor", true).await;

    // Withdrawn: closed at once, kept through the grace period, kept when given again in time.
    consent(&leo.guardians[1], &leo.id, "withdrawn").await;
    let (_, closed) = leo.mentor.get_json(&path).await;
    assert_eq!(closed["consent"], "withdrawn");
    assert!(texts(&closed).is_empty());
    let response = leo.mentor.put(&path, &part("Mer", true)).await;
    assert_eq!(response.status(), 409);
    run().await;
    assert_eq!(app.count(parts).await, 2);
    consent(&leo.guardians[1], &leo.id, "given").await;
    let start = app.clock.now();
    app.advance(chrono::Duration::days(31));
    run().await;
    assert_eq!(
        app.count(parts).await,
        2,
        "given again within the grace period"
    );

    // Withdrawn again and left: deleted once the 30 days are over. (Back to the first day, with
    // new sessions: the old ones were cleaned away a month on.)
    app.clock.set(start + chrono::Duration::hours(1));
    let leo = self::leo(&app).await;
    let (status, open) = leo.guardians[0].get_json(&path).await;
    assert_eq!(status, 200, "{open}");
    assert_eq!(texts(&open).len(), 2, "{open}");
    consent(&leo.guardians[0], &leo.id, "withdrawn").await;
    app.advance(chrono::Duration::days(29));
    run().await;
    assert_eq!(app.count(parts).await, 2);
    app.advance(chrono::Duration::days(2));
    run().await;
    assert_eq!(app.count(parts).await, 0);
}
