//! One access policy for every operation that takes an id (each must ask it: the server counts
//! the policy's decisions per request for the tests), the append-only access log, and the
//! register extract.

use chrono::Utc;
use reqwest::Method;
use serde_json::Value;
use skolportal_backend::demo::{generate, DemoOptions, Scale};
use skolportal_backend::population::import::import_snapshot;
use skolportal_tests::app::demo_today;
use skolportal_tests::TestApp;
use uuid::Uuid;

const ROLES: &[&str] = &[
    "anna",
    "erik",
    "karin",
    "nyforalder",
    "elev",
    "larare",
    "forskola",
    "handlaggare",
];

async fn id_of(app: &TestApp, where_clause: &str) -> Uuid {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one(Statement::from_string(
            backend,
            format!("SELECT p.id FROM person p {where_clause}"),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no person {where_clause}"));
    row.try_get_by_index::<Uuid>(0).unwrap()
}

/// A second municipality in the same database: nobody in Solvik may see its people.
async fn add_neighbour_municipality(app: &TestApp) -> Uuid {
    let mut snapshot = generate(DemoOptions {
        seed: 99,
        scale: Scale::Demo,
        today: demo_today(),
        schedules: false,
    })
    .unwrap()
    .snapshot;
    if let Some(m) = snapshot.municipality.as_mut() {
        m.code = "9998".into();
        m.name = "Grannby kommun".into();
    }
    for a in snapshot.accounts.iter_mut() {
        a.username = format!("grannby-{}", a.username);
    }
    import_snapshot(&app.db, snapshot, None, Utc::now())
        .await
        .unwrap();
    id_of(
        app,
        "JOIN enrolment e ON e.pupil_id = p.id JOIN municipality m ON m.id = p.municipality_id WHERE m.code = '9998' LIMIT 1",
    )
    .await
}

async fn id_operations(app: &TestApp) -> Vec<(Method, String)> {
    let (_, spec) = app.anonymous().get_json("/api/openapi.json").await;
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        // The calendar feed takes a secret, not an id: `timetable` tests that a wrong or
        // revoked one answers 404.
        if !path.contains('{') || path.contains("{token}") {
            continue;
        }
        // The check-in tablet's operations take its cookie, not a session: `kiosk` tests
        // that a paired tablet reaches its own unit and nothing else.
        if path.starts_with("/kiosk/") {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            // A unit's lunch menu is public: it names a unit but is no one's data, and `lunch`
            // tests that an unknown unit answers 404.
            if method == "get" && path == "/units/{id}/lunch" {
                continue;
            }
            ops.push((method.to_uppercase().parse().unwrap(), path.clone()));
        }
    }
    assert!(
        !ops.is_empty(),
        "the spec has no operation with a person id; is the matrix still built from it?"
    );
    ops
}

#[tokio::test]
async fn every_role_gets_404_for_every_id_that_is_not_theirs() {
    let app = TestApp::spawn().await;
    let foreign_municipality = add_neighbour_municipality(&app).await;
    // A pupil in year 9 at the other school: no demo account has any connection to them, except
    // the officer of the municipality.
    let mut stranger_ids = vec![foreign_municipality, Uuid::new_v4()];
    // A class and a school of the other municipality, and a year-9 class at Ekbacken: the lists
    // take a group's or a unit's id, and no demo account is in any of them.
    for sql in [
        "SELECT g.id FROM school_group g JOIN municipality m ON m.id = g.municipality_id \
         WHERE m.code = '9998' AND g.group_type = 'class' LIMIT 1",
        "SELECT u.id FROM unit u JOIN municipality m ON m.id = u.municipality_id \
         WHERE m.code = '9998' AND u.kind = 'school' LIMIT 1",
        "SELECT g.id FROM school_group g JOIN unit u ON u.id = g.unit_id \
         WHERE u.name = 'Ekbackens skola' AND g.group_type = 'class' AND g.school_year = 9 LIMIT 1",
    ] {
        stranger_ids.push(
            skolportal_tests::app::uuid_of(&app, sql)
                .await
                .parse()
                .unwrap(),
        );
    }
    let ekbacken_year9: Vec<Uuid> = {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = app.db.get_database_backend();
        let rows = app
            .db
            .query_all(Statement::from_string(
                backend,
                "SELECT e.pupil_id FROM enrolment e JOIN unit u ON u.id = e.unit_id WHERE u.name = 'Ekbackens skola' AND e.school_year = 9".to_owned(),
            ))
            .await
            .unwrap();
        rows.iter()
            .map(|r| r.try_get_by_index::<Uuid>(0).unwrap())
            .collect()
    };
    assert!(!ekbacken_year9.is_empty());
    let ops = id_operations(&app).await;
    for role in ROLES {
        let client = app.login(role).await;
        if *role == "nyforalder" {
            // Must change the handed-out password first; then it is an ordinary guardian.
            let r = client.post("/api/me/password", &serde_json::json!({"current_password": app.password_of(role), "new_password": "Mitt1Nyalosen"})).await;
            assert_eq!(r.status(), 204);
        }
        let mut ids = stranger_ids.clone();
        if *role != "handlaggare" {
            ids.push(ekbacken_year9[0]);
        }
        for (method, template) in &ops {
            for id in &ids {
                let path = format!(
                    "/api{}",
                    template
                        .replace("{id}", &id.to_string())
                        .replace("{person_id}", &id.to_string())
                        .replace("{booking}", &id.to_string())
                        .replace("{goal}", &id.to_string())
                        .replace("{device}", &id.to_string())
                        .replace("{date}", "2026-11-25")
                        .replace("{week}", "2026-11-23")
                );
                let response = client.request(method.clone(), &path).send().await.unwrap();
                assert_eq!(response.status(), 404, "{role}: {method} {path}");
                // Not found because the policy said no, not because the handler never asked.
                let decisions: u32 = response
                    .headers()
                    .get("x-policy-decisions")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                assert!(
                    decisions >= 1,
                    "{role}: {method} {path} takes an id but never asked the access policy"
                );
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["error"], "not_found", "{role}: {method} {path}");
            }
        }
    }
}

#[tokio::test]
async fn connected_people_can_read_the_pupil_card() {
    let app = TestApp::spawn().await;
    let nils = id_of(
        &app,
        "WHERE p.given_name = 'Nils' AND p.family_name = 'Lindqvist'",
    )
    .await;
    for role in ["anna", "larare", "handlaggare"] {
        let (status, card) = app
            .login(role)
            .await
            .get_json(&format!("/api/pupils/{nils}"))
            .await;
        assert_eq!(status, 200, "{role}");
        assert_eq!(card["given_name"], "Nils");
    }
    // The pupil reads their own card.
    let (_, me) = app.login("elev").await.get_json("/api/me").await;
    let own = me["person_id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .login("elev")
        .await
        .get_json(&format!("/api/pupils/{own}"))
        .await;
    assert_eq!(status, 200);
}

/// Teachers need to call home: staff with a connection to the pupil get the guardians' names,
/// phones and e-mail on the pupil card, and the read is logged. Nobody else gets them this way:
/// not an officer (no connection to the pupil, only to the municipality), not the guardian, not
/// the pupil.
#[tokio::test]
async fn staff_with_a_connection_see_how_to_reach_the_guardians_and_the_read_is_logged() {
    let app = TestApp::spawn().await;
    let nils = id_of(
        &app,
        "WHERE p.given_name = 'Nils' AND p.family_name = 'Lindqvist'",
    )
    .await;
    let (_, anna) = app.login("anna").await.get_json("/api/me").await;
    assert!(anna["phone"].is_string() && anna["email"].is_string());
    let logged = "SELECT COUNT(*) FROM access_log a JOIN person_key kt ON kt.pseudonym = a.actor_pseudonym JOIN person t ON t.id = kt.person_id \
                  WHERE a.action = 'read_pupil_card' AND t.family_name = 'Strand'";
    assert_eq!(app.count(logged).await, 0);

    let (status, card) = app
        .login("larare")
        .await
        .get_json(&format!("/api/pupils/{nils}"))
        .await;
    assert_eq!(status, 200);
    let guardians = card["guardians"].as_array().expect("the guardians");
    let anna_on_card = guardians
        .iter()
        .find(|g| g["given_name"] == "Anna" && g["family_name"] == "Lindqvist")
        .unwrap_or_else(|| panic!("Anna among {guardians:?}"));
    assert_eq!(anna_on_card["relation"], "guardian");
    assert_eq!(anna_on_card["phone"], anna["phone"]);
    assert_eq!(anna_on_card["email"], anna["email"]);
    assert_eq!(
        guardians.len() as i64,
        app.count(
            "SELECT COUNT(*) FROM guardianship g JOIN person c ON c.id = g.child_id \
             WHERE c.given_name = 'Nils' AND c.family_name = 'Lindqvist'"
        )
        .await,
        "every guardian and responsible adult"
    );
    assert_eq!(app.count(logged).await, 1, "the read is logged");

    for role in ["handlaggare", "anna"] {
        let (status, card) = app
            .login(role)
            .await
            .get_json(&format!("/api/pupils/{nils}"))
            .await;
        assert_eq!(status, 200, "{role}");
        assert!(card.get("guardians").is_none(), "{role}: {card}");
    }
    let elev = app.login("elev").await;
    let (_, me) = elev.get_json("/api/me").await;
    let own = me["person_id"].as_str().unwrap().to_owned();
    let (_, card) = elev.get_json(&format!("/api/pupils/{own}")).await;
    assert!(card.get("guardians").is_none(), "the pupil: {card}");
}

/// The teacher's own mentor class is marked, and every pupil carries the school year the list
/// orders by (förskoleklass is 0).
#[tokio::test]
async fn a_teachers_pupil_list_marks_her_mentor_class() {
    let app = TestApp::spawn().await;
    let (_, list) = app.login("larare").await.get_json("/api/pupils").await;
    let list = list.as_array().unwrap();
    let mentees: Vec<&Value> = list.iter().filter(|p| p["mentor"] == true).collect();
    assert!(!mentees.is_empty());
    assert!(
        mentees.iter().all(|p| p["class_name"] == "8A"),
        "she mentors 8A only"
    );
    assert!(list
        .iter()
        .filter(|p| p["class_name"] == "8A")
        .all(|p| p["mentor"] == true));
    assert!(list
        .iter()
        .filter(|p| p["class_name"] == "FA")
        .all(|p| p["school_year"] == 0));
}

#[tokio::test]
async fn a_staff_members_pupil_list_holds_only_their_pupils() {
    let app = TestApp::spawn().await;
    let (status, list) = app.login("larare").await.get_json("/api/pupils").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert_eq!(
        list.len(),
        99,
        "the teacher works at Solviksskolan: its 100 pupils, less the protected one"
    );
    assert!(list.iter().all(|p| p["units"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == "Solviksskolan")));
    let (_, guardian_list) = app.login("anna").await.get_json("/api/pupils").await;
    assert_eq!(guardian_list, serde_json::json!([]));
}

#[tokio::test]
async fn staff_reads_are_logged_and_own_reads_are_not() {
    let app = TestApp::spawn().await;
    let nils = id_of(
        &app,
        "WHERE p.given_name = 'Nils' AND p.family_name = 'Lindqvist'",
    )
    .await;
    let before = app.count("SELECT COUNT(*) FROM access_log").await;
    assert_eq!(
        app.login("larare")
            .await
            .get(&format!("/api/pupils/{nils}"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log").await,
        before + 1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM access_log a JOIN person_key kp ON kp.pseudonym = a.subject_pseudonym JOIN person p ON p.id = kp.person_id \
             JOIN person_key kt ON kt.pseudonym = a.actor_pseudonym JOIN person t ON t.id = kt.person_id \
             WHERE a.action = 'read_pupil_card' AND p.given_name = 'Nils' AND t.family_name = 'Strand'"
        )
        .await,
        1
    );
    let elev = app.login("elev").await;
    let (_, me) = elev.get_json("/api/me").await;
    let own = me["person_id"].as_str().unwrap().to_owned();
    let count = app.count("SELECT COUNT(*) FROM access_log").await;
    assert_eq!(elev.get(&format!("/api/pupils/{own}")).await.status(), 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log").await,
        count,
        "own reads are not logged"
    );
    // Rule 7 logs reads in an official capacity; a guardian's own "Mina barn" is not one.
    assert_eq!(
        app.login("anna").await.get("/api/children").await.status(),
        200
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log").await,
        count,
        "a guardian's list of her own children is not logged"
    );
    // A refused read is not a read.
    let stranger = id_of(&app, "JOIN enrolment e ON e.pupil_id = p.id JOIN unit u ON u.id = e.unit_id WHERE u.name = 'Ekbackens skola' AND e.school_year = 9").await;
    assert_eq!(
        elev.get(&format!("/api/pupils/{stranger}")).await.status(),
        404
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM access_log").await, count);
}

#[tokio::test]
async fn the_access_log_cannot_be_changed_or_deleted() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let nils = id_of(
        &app,
        "WHERE p.given_name = 'Nils' AND p.family_name = 'Lindqvist'",
    )
    .await;
    let teacher = app.login("larare").await;
    for _ in 0..3 {
        assert_eq!(
            teacher.get(&format!("/api/pupils/{nils}")).await.status(),
            200
        );
    }
    assert!(app.count("SELECT COUNT(*) FROM access_log").await >= 3);
    let update = app
        .db
        .execute_unprepared("UPDATE access_log SET action = 'nothing'")
        .await;
    assert!(update.is_err(), "an update of the access log went through");
    let delete = app.db.execute_unprepared("DELETE FROM access_log").await;
    assert!(delete.is_err(), "a delete from the access log went through");
    assert!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'read_pupil_card'")
            .await
            >= 3
    );
}

#[tokio::test]
async fn the_register_extract_shows_everything_and_who_read_it() {
    let app = TestApp::spawn().await;
    let nils = id_of(
        &app,
        "WHERE p.given_name = 'Nils' AND p.family_name = 'Lindqvist'",
    )
    .await;
    assert_eq!(
        app.login("larare")
            .await
            .get(&format!("/api/pupils/{nils}"))
            .await
            .status(),
        200
    );
    // The extract holds absence and grades: it asks for a one-time code (rule 11).
    app.turn_on_codes("anna").await;
    let anna = app.login("anna").await;
    let (status, extract) = anna.get_json("/api/me/extract").await;
    assert_eq!(status, 200);
    assert_eq!(extract["person"]["given_name"], "Anna");
    assert_eq!(
        extract["person"]["personnummer"].as_str().unwrap().len(),
        12
    );
    assert_eq!(extract["account"]["username"], "anna");
    assert!(!extract["sessions"].as_array().unwrap().is_empty());
    let children = extract["children"].as_array().unwrap();
    assert_eq!(children.len(), 3);
    let nils_entry = children
        .iter()
        .find(|c| c["person"]["given_name"] == "Nils")
        .unwrap();
    assert!(nils_entry["placements"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["unit"] == "Solviksskolan"));
    assert_eq!(
        nils_entry["responsible_adults"].as_array().unwrap().len(),
        2
    );
    let teacher_read = nils_entry["access_log"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "read_pupil_card")
        .expect("the teacher's read is in the extract");
    assert_eq!(teacher_read["actor_name"], "Lena Strand");
    assert_eq!(teacher_read["actor_roles"], serde_json::json!(["teacher"]));

    let download = anna.get("/api/me/extract?download=true").await;
    assert!(download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"registerutdrag-"));
}

/// Relations are dated: 8A's mentorship ends with the school year (30 June 2027 in the demo).
/// Here the mentor has no duty at the school, so the class is her only connection: on 30 June
/// she still reads her pupil's card, on 1 July the pupil is gone from her list and the card
/// answers 404 (the settable clock moves the days).
#[tokio::test]
async fn a_mentor_who_hands_the_class_over_on_30_june_no_longer_sees_it_on_1_july() {
    let app = TestApp::spawn().await;
    let (_, me) = app.login("elev").await.get_json("/api/me").await;
    let pupil = me["person_id"].as_str().unwrap().to_owned();
    let (_, mentor) = app.login("larare").await.get_json("/api/me").await;
    let mentor = uuid::Uuid::parse_str(mentor["person_id"].as_str().unwrap()).unwrap();
    app.execute("DELETE FROM duty WHERE person_id = $1", [mentor.into()])
        .await;
    assert_eq!(mentor_sees(&app, &pupil).await, (200, true));
    let day = |date: &str| {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc()
    };
    app.advance(day("2027-06-30") - day("2026-11-24"));
    assert_eq!(
        mentor_sees(&app, &pupil).await,
        (200, true),
        "the last day of the year"
    );
    app.advance(chrono::Duration::days(1));
    assert_eq!(
        mentor_sees(&app, &pupil).await,
        (404, false),
        "the first day after it"
    );
    // The pupil's own card no longer names the class of a year that has ended.
    let (_, me) = app.login("elev").await.get_json("/api/me").await;
    assert_eq!(me["pupil"]["class_name"], serde_json::Value::Null);
}

/// What the demo mentor sees of `pupil`: the card's status and whether her list has the pupil.
async fn mentor_sees(app: &TestApp, pupil: &str) -> (u16, bool) {
    let client = app.login("larare").await;
    let card = client.get(&format!("/api/pupils/{pupil}")).await.status();
    let (_, list) = client.get_json("/api/pupils").await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"].as_str() == Some(pupil));
    (card.as_u16(), listed)
}

/// Issue #12.1: an officer reads the municipality's children (pupils, children with a
/// responsible adult, applicants) — not every adult's address and phone.
#[tokio::test]
async fn an_officer_reads_a_pupils_card_but_not_a_guardians() {
    let app = TestApp::spawn().await;
    let nils = id_of(
        &app,
        "WHERE p.given_name = 'Nils' AND p.family_name = 'Lindqvist'",
    )
    .await;
    let anna = id_of(
        &app,
        "WHERE p.given_name = 'Anna' AND p.family_name = 'Lindqvist'",
    )
    .await;
    let officer = app.login("handlaggare").await;
    assert_eq!(
        officer.get(&format!("/api/pupils/{nils}")).await.status(),
        200
    );
    let response = officer.get(&format!("/api/pupils/{anna}")).await;
    assert_eq!(
        response.status(),
        404,
        "a guardian is not the officer's to read"
    );
    // Anna herself, of course, reads her own card.
    assert_eq!(
        app.login("anna")
            .await
            .get(&format!("/api/pupils/{anna}"))
            .await
            .status(),
        200
    );
}
