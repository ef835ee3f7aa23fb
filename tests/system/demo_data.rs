//! The demo municipality: deterministic, only test personnummer, the cases the product must get
//! right, and nothing at all about the child with protected identity.

use std::collections::HashSet;

use chrono::Utc;
use skolportal_backend::demo::{generate, DemoOptions, Scale};
use skolportal_backend::entity::guardianship::GuardianRelation;
use skolportal_backend::population::admission::SecurityMarking;
use skolportal_backend::population::import::{import_snapshot, ImportError};
use skolportal_backend::population::snapshot::*;
use skolportal_tests::app::{demo_today, TestOptions};
use skolportal_tests::TestApp;

fn options(seed: u64) -> DemoOptions {
    DemoOptions {
        seed,
        scale: Scale::Demo,
        today: demo_today(),
        schedules: false,
    }
}

#[tokio::test]
async fn the_child_with_protected_identity_never_enters_the_database() {
    let app = TestApp::spawn().await;
    let demo = generate(options(2026)).unwrap();
    let child = demo
        .snapshot
        .persons
        .iter()
        .find(|p| p.source_id == demo.protected_child_source_id)
        .expect("the source data has a protected child");
    assert_eq!(
        child.security_marking,
        SecurityMarking::ProtectedRegistration
    );

    let by_number = format!(
        "SELECT COUNT(*) FROM person WHERE personnummer = '{}'",
        child.personnummer
    );
    assert_eq!(app.count(&by_number).await, 0);
    let by_source = format!(
        "SELECT COUNT(*) FROM person WHERE external_id = '{}'",
        child.source_id
    );
    assert_eq!(app.count(&by_source).await, 0);
    // The protected family's name appears nowhere, in any person row.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM person WHERE family_name = 'Skyddad'")
            .await,
        0
    );
    // Every stored link points at stored people only (no dangling trace of the child).
    assert_eq!(
        app.count("SELECT COUNT(*) FROM guardianship g LEFT JOIN person p ON p.id = g.child_id WHERE p.id IS NULL").await,
        0
    );
}

#[tokio::test]
async fn the_demo_has_the_families_the_product_must_handle() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM unit WHERE kind = 'school'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM unit WHERE kind = 'preschool'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM unit WHERE kind = 'fritidshem'")
            .await,
        1
    );
    // 300 children in the source; one has protected identity.
    let children = app
        .count("SELECT COUNT(*) FROM (SELECT pupil_id AS c FROM enrolment UNION SELECT child_id FROM placement) x")
        .await;
    assert_eq!(children, 299);
    // School years F–9 at both schools.
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT school_year) FROM enrolment")
            .await,
        10
    );
    // Separated guardians with joint custody at different addresses.
    let separated = app
        .count(
            "SELECT COUNT(*) FROM guardianship a JOIN guardianship b ON a.child_id = b.child_id AND a.adult_id < b.adult_id \
             JOIN person pa ON pa.id = a.adult_id JOIN person pb ON pb.id = b.adult_id \
             WHERE a.relation = 'guardian' AND b.relation = 'guardian' AND pa.street <> pb.street",
        )
        .await;
    assert!(separated >= 1, "no separated guardians with joint custody");
    // One guardian with children in preschool, school and fritidshem.
    let three_kinds = app
        .count(
            "SELECT COUNT(*) FROM (SELECT g.adult_id FROM guardianship g \
             LEFT JOIN placement pp ON pp.child_id = g.child_id AND pp.kind = 'preschool' \
             LEFT JOIN placement pf ON pf.child_id = g.child_id AND pf.kind = 'fritidshem' \
             LEFT JOIN enrolment e ON e.pupil_id = g.child_id \
             GROUP BY g.adult_id \
             HAVING COUNT(DISTINCT g.child_id) >= 3 AND COUNT(pp.id) > 0 AND COUNT(pf.id) > 0 AND COUNT(e.id) > 0) x",
        )
        .await;
    assert!(
        three_kinds >= 1,
        "no family with children in preschool, school and fritids"
    );
    assert!(
        app.count("SELECT COUNT(*) FROM guardianship WHERE relation = 'other_responsible_adult'")
            .await
            >= 1
    );
    // Staff of every kind.
    for role in ["teacher", "preschool_staff", "officer"] {
        let n = app
            .count(&format!("SELECT COUNT(*) FROM duty WHERE role = '{role}'"))
            .await;
        assert!(n >= 1, "no {role}");
    }
    assert!(
        app.count("SELECT COUNT(*) FROM group_membership WHERE role = 'mentor'")
            .await
            >= 20
    );
}

#[tokio::test]
async fn the_demo_uses_only_skatteverkets_test_personnummer() {
    let demo = generate(options(2026)).unwrap();
    let list = include_str!("../../backend/data/test-personnummer.txt");
    let allowed: HashSet<&str> = list.lines().map(str::trim).collect();
    for person in &demo.snapshot.persons {
        assert!(
            allowed.contains(person.personnummer.as_str()),
            "a generated number is not a test number"
        );
        skolportal_shared::Personnummer::parse(&person.personnummer).expect("valid check digit");
    }
    let unique: HashSet<&str> = demo
        .snapshot
        .persons
        .iter()
        .map(|p| p.personnummer.as_str())
        .collect();
    assert_eq!(
        unique.len(),
        demo.snapshot.persons.len(),
        "a number was used twice"
    );
}

#[test]
fn the_same_seed_gives_the_same_municipality() {
    let key = |seed| {
        generate(options(seed))
            .unwrap()
            .snapshot
            .persons
            .iter()
            .map(|p| format!("{} {} {}", p.personnummer, p.given_name, p.family_name))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(7), key(7));
    assert_ne!(key(7), key(8));
}

fn person(id: &str, pnr: &str, marking: SecurityMarking) -> SourcePerson {
    SourcePerson {
        source_id: id.into(),
        personnummer: pnr.into(),
        given_name: "Test".into(),
        family_name: format!("Person{id}"),
        address: None,
        email: None,
        phone: None,
        school_email: None,
        security_marking: marking,
    }
}

fn tiny_snapshot() -> Snapshot {
    let mut s = generate(options(1)).unwrap().snapshot;
    s.persons.clear();
    s.guardianships.clear();
    s.memberships.clear();
    s.enrolments.clear();
    s.placements.clear();
    s.duties.clear();
    s.accounts.clear();
    s
}

#[tokio::test]
async fn an_import_drops_protected_people_and_every_link_to_them() {
    let app = TestApp::spawn_with(TestOptions {
        empty: true,
        ..Default::default()
    })
    .await;
    let mut s = tiny_snapshot();
    s.persons.push(person(
        "child",
        "201012242399",
        SecurityMarking::from_ss12000("Skyddad folkbokföring"),
    ));
    s.persons
        .push(person("mother", "189001019802", SecurityMarking::None));
    s.persons
        .push(person("bad", "189001019803", SecurityMarking::None));
    s.guardianships.push(SourceGuardianship {
        child: "child".into(),
        adult: "mother".into(),
        relation: GuardianRelation::Guardian,
        start_date: chrono::NaiveDate::from_ymd_opt(2010, 12, 24).unwrap(),
        end_date: None,
    });
    let report = import_snapshot(&app.db, s, None, Utc::now()).await.unwrap();
    assert_eq!(report.persons, 1);
    assert_eq!(report.refused_protected, 1);
    assert_eq!(report.refused_invalid, 1);
    assert_eq!(report.links_dropped, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM person").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM guardianship").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM person WHERE family_name = 'Personchild'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_broken_import_stores_nothing() {
    let app = TestApp::spawn_with(TestOptions {
        empty: true,
        ..Default::default()
    })
    .await;
    let mut s = tiny_snapshot();
    s.persons
        .push(person("mother", "189001019802", SecurityMarking::None));
    s.guardianships.push(SourceGuardianship {
        child: "nobody".into(),
        adult: "mother".into(),
        relation: GuardianRelation::Guardian,
        start_date: chrono::NaiveDate::from_ymd_opt(2010, 12, 24).unwrap(),
        end_date: None,
    });
    let err = import_snapshot(&app.db, s, None, Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(err, ImportError::DanglingReference { .. }));
    assert_eq!(app.count("SELECT COUNT(*) FROM municipality").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM person").await, 0);
}

/// Issue #13.3: every preschool child showed "Ingen omsorg" for the locked week, and "Dagens
/// barn" expected nobody at a preschool with 50 children. The demo now has a schedule for every
/// placed child for the previous, current and next week, and preschool children are in their
/// department's group.
#[tokio::test]
async fn every_placed_child_has_a_schedule_for_the_past_current_and_next_week() {
    let app = TestApp::spawn_with(TestOptions {
        demo_schedules: true,
        ..Default::default()
    })
    .await;
    // 2026-11-16 to 2026-12-04: three weeks of five working days, no holiday among them.
    let placed_days = app
        .count(
            "SELECT COUNT(*) FROM placement p JOIN person c ON c.id = p.child_id \
             WHERE p.start_date <= '2026-11-16'",
        )
        .await
        * 15;
    assert!(placed_days > 0);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM schedule_day WHERE date >= '2026-11-16' AND date <= '2026-12-04'"
        )
        .await,
        placed_days
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM schedule_day WHERE date > '2026-12-04'")
            .await,
        0,
        "the week after next is left for the guardians"
    );
    // Ella's locked days have times, entered by a guardian.
    let anna = app.login("anna").await;
    let ella = skolportal_tests::app::child(&app, "Ella").await;
    let (status, week) = anna
        .get_json(&format!("/api/childcare/children/{ella}/schedule"))
        .await;
    assert_eq!(status, 200);
    let days = week["days"].as_array().unwrap();
    assert!(days[..4].iter().all(|d| d["locked"] == true));
    assert!(
        days[..4].iter().all(|d| d["drop_off"].is_string()),
        "{week}"
    );
    assert!(week["last_changed_by"].is_string());

    // "Dagens barn" at Förskolan Lärkan today: all 50 children, none missing.
    let larkan = skolportal_tests::app::unit(&app, "Förskolan Lärkan").await;
    let (status, sheet) = app
        .login("forskola")
        .await
        .get_json(&format!("/api/childcare/units/{larkan}/day"))
        .await;
    assert_eq!(status, 200);
    let children = sheet["children"].as_array().unwrap();
    assert_eq!(children.len(), 50);
    assert!(children.iter().all(|c| c["status"] == "expected"));
    // Every preschool child is a member of its department's group.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM placement p WHERE p.kind = 'preschool' AND NOT EXISTS ( \
             SELECT 1 FROM group_membership m WHERE m.group_id = p.group_id \
             AND m.person_id = p.child_id AND m.role = 'pupil')"
        )
        .await,
        0
    );
    assert!(children.iter().all(|c| c["department_id"].is_string()));
}
