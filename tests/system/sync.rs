//! The sync's full reconciliation (`population::reconcile`) against the seeded demo municipality:
//! the same source twice changes nothing, a pupil who changes class, a guardian added and a
//! teacher who leaves arrive as the policy then sees them, and a source that has lost its
//! relations is refused with nothing changed.

use chrono::Duration;
use skolportal_backend::demo::{generate, DemoOptions, Scale};
use skolportal_backend::entity::group_membership::MembershipRole;
use skolportal_backend::entity::guardianship::GuardianRelation;
use skolportal_backend::population::admission::SecurityMarking;
use skolportal_backend::population::reconcile::{reconcile, ReconcileError, RelationKind};
use skolportal_backend::population::snapshot::{
    Snapshot, SourceGuardianship, SourceMembership, SourcePerson,
};
use skolportal_shared::personnummer::luhn_check_digit;
use skolportal_tests::app::demo_today;
use skolportal_tests::TestApp;

/// The source the demo municipality was loaded from, and its child with protected identity.
fn demo_source_and_protected() -> (Snapshot, String) {
    let demo = generate(DemoOptions {
        seed: 2026,
        scale: Scale::Demo,
        today: demo_today(),
        schedules: false,
    })
    .expect("the demo municipality");
    (demo.snapshot, demo.protected_child_source_id)
}

fn demo_source() -> Snapshot {
    demo_source_and_protected().0
}

async fn municipality(app: &TestApp) -> uuid::Uuid {
    skolportal_tests::app::uuids_of(app, "SELECT id FROM municipality")
        .await
        .into_iter()
        .next()
        .expect("the demo municipality")
}

/// A valid personnummer no demo person has.
fn new_personnummer() -> String {
    let nine: Vec<u8> = "800101123".bytes().map(|b| b - b'0').collect();
    format!("19800101123{}", luhn_check_digit(&nine))
}

const TABLES: [&str; 7] = [
    "person",
    "unit",
    "school_group",
    "guardianship",
    "group_membership",
    "enrolment",
    "duty",
];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in TABLES {
        out.push(app.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    out
}

#[tokio::test]
async fn the_same_source_twice_changes_nothing() {
    let app = TestApp::spawn().await;
    let m = municipality(&app).await;
    // A pupil the portal has and the source does not (made in the portal, no source id), in a
    // class: the sync leaves her and her membership alone.
    let own = uuid::Uuid::new_v4();
    let classmate: uuid::Uuid = skolportal_tests::app::uuid_of(
        &app,
        &format!(
            "SELECT person_id FROM group_membership WHERE role = 'pupil' \
             AND start_date <= '{0}' AND (end_date IS NULL OR end_date >= '{0}') \
             ORDER BY person_id LIMIT 1",
            demo_today()
        ),
    )
    .await
    .parse()
    .expect("a uuid");
    app.execute(
        "INSERT INTO person (id, municipality_id, external_id, personnummer, given_name, family_name, birth_date, created_at, updated_at) \
         SELECT $1, municipality_id, NULL, '201503129990', 'Nora', family_name, birth_date, created_at, updated_at FROM person WHERE id = $2",
        [own.into(), classmate.into()],
    )
    .await;
    app.execute(
        &format!(
            "INSERT INTO group_membership (id, municipality_id, group_id, person_id, role, start_date, end_date) \
             SELECT $1, municipality_id, group_id, $2, role, start_date, end_date FROM group_membership \
             WHERE person_id = $3 AND role = 'pupil' AND start_date <= '{0}' \
             AND (end_date IS NULL OR end_date >= '{0}')",
            demo_today()
        ),
        [uuid::Uuid::new_v4().into(), own.into(), classmate.into()],
    )
    .await;
    let current_class = format!(
        "SELECT COUNT(*) FROM group_membership m JOIN person p ON p.id = m.person_id \
         WHERE p.personnummer = '201503129990' AND (m.end_date IS NULL OR m.end_date >= '{}')",
        demo_today()
    );
    assert_eq!(app.count(&current_class).await, 1, "in a class");
    let before = counts(&app).await;
    let (source, protected) = demo_source_and_protected();
    let report = reconcile(&app.db, m, source, 0.1, app.clock.now())
        .await
        .expect("the sync");
    assert!(report.is_unchanged(), "{report:?}");
    assert!(report.refused_protected >= 1, "{report:?}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM person WHERE external_id = '{protected}'"
        ))
        .await,
        0,
        "the protected child stays out"
    );
    assert_eq!(counts(&app).await, before);
    assert_eq!(
        app.count(&current_class).await,
        1,
        "the portal's own pupil keeps her class"
    );
}

#[tokio::test]
async fn a_class_change_a_new_guardian_and_a_teacher_who_leaves() {
    let app = TestApp::spawn().await;
    let m = municipality(&app).await;
    let today = app.clock.now().date_naive();
    let mut source = demo_source();

    // The teacher (the demo's "larare") leaves: her duties and groups are gone from the source.
    let teacher = source
        .accounts
        .iter()
        .find(|a| a.username == "larare")
        .map(|a| a.person.clone())
        .expect("the demo teacher");
    let larare = app.login("larare").await;
    let nils = skolportal_tests::app::uuid_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Nils' AND family_name = 'Lindqvist'",
    )
    .await;
    let (status, _) = larare.get_json(&format!("/api/pupils/{nils}")).await;
    assert_eq!(status, 200, "her pupil, before she leaves");
    source.duties.retain(|d| d.person != teacher);
    source.memberships.retain(|ms| ms.person != teacher);

    // A pupil of a class moves to another class of the same year from today.
    let (moving, from, to) = {
        let class_of = |group: &str| {
            source
                .groups
                .iter()
                .find(|g| g.source_id == group)
                .map(|g| (g.unit.clone(), g.school_year, g.group_type))
        };
        let membership = source
            .memberships
            .iter()
            .find(|ms| ms.role == MembershipRole::Pupil && ms.end_date.is_none())
            .expect("a pupil in a group")
            .clone();
        let here = class_of(&membership.group);
        let other = source
            .groups
            .iter()
            .find(|g| {
                g.source_id != membership.group
                    && Some((g.unit.clone(), g.school_year, g.group_type)) == here
            })
            .expect("a parallel class")
            .source_id
            .clone();
        (membership.person, membership.group, other)
    };
    for ms in &mut source.memberships {
        if ms.person == moving && ms.group == from {
            ms.end_date = Some(today - Duration::days(1));
        }
    }
    source.memberships.push(SourceMembership {
        group: to.clone(),
        person: moving.clone(),
        role: MembershipRole::Pupil,
        start_date: today,
        end_date: None,
    });

    // A guardian is added for the same pupil.
    source.persons.push(SourcePerson {
        source_id: "new-guardian".to_owned(),
        personnummer: new_personnummer(),
        given_name: "Ny".to_owned(),
        family_name: "Vårdnadshavare".to_owned(),
        address: None,
        email: None,
        phone: None,
        school_email: None,
        security_marking: SecurityMarking::None,
    });
    source.guardianships.push(SourceGuardianship {
        child: moving.clone(),
        adult: "new-guardian".to_owned(),
        relation: GuardianRelation::Guardian,
        start_date: today,
        end_date: None,
    });

    let report = reconcile(&app.db, m, source.clone(), 0.1, app.clock.now())
        .await
        .expect("the sync");
    assert_eq!(report.persons.added, 1, "{report:?}");
    assert_eq!(report.guardianships.added, 1, "{report:?}");
    assert_eq!(
        (report.memberships.added, report.memberships.changed),
        (1, 1),
        "the new class, and the old one's end: {report:?}"
    );
    assert!(report.duties.removed >= 1, "{report:?}");
    assert!(report.memberships.removed >= 1, "her groups: {report:?}");

    // The pupil is in the new class today, and the old one ended yesterday (kept as history).
    let moved = app
        .count(&format!(
            "SELECT COUNT(*) FROM group_membership m JOIN person p ON p.id = m.person_id \
             JOIN school_group g ON g.id = m.group_id WHERE p.external_id = '{moving}' \
             AND g.external_id = '{to}' AND m.end_date IS NULL"
        ))
        .await;
    assert_eq!(moved, 1);
    let ended = app
        .count(&format!(
            "SELECT COUNT(*) FROM group_membership m JOIN person p ON p.id = m.person_id \
             JOIN school_group g ON g.id = m.group_id WHERE p.external_id = '{moving}' \
             AND g.external_id = '{from}' AND m.end_date IS NOT NULL"
        ))
        .await;
    assert_eq!(ended, 1);
    let guardians = app
        .count(&format!(
            "SELECT COUNT(*) FROM guardianship g JOIN person c ON c.id = g.child_id \
             WHERE c.external_id = '{moving}'"
        ))
        .await;
    assert!(guardians >= 2, "the new guardian beside the others");

    // The teacher who left no longer reads her former pupil: the policy follows the source.
    let (status, _) = larare.get_json(&format!("/api/pupils/{nils}")).await;
    assert_eq!(status, 404);

    // And the same source again changes nothing.
    let again = reconcile(&app.db, m, source, 0.1, app.clock.now())
        .await
        .expect("the second sync");
    assert!(again.is_unchanged(), "{again:?}");
}

#[tokio::test]
async fn a_source_that_lost_its_relations_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let m = municipality(&app).await;
    let before = counts(&app).await;
    let mut source = demo_source();
    source.memberships.clear();
    let refused = reconcile(&app.db, m, source, 0.1, app.clock.now()).await;
    match refused {
        Err(ReconcileError::TooManyRemovals { kind, removed, .. }) => {
            assert_eq!(kind, RelationKind::Memberships);
            assert!(removed > 5);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(counts(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn the_local_source_answers_as_the_standard_says() {
    use skolportal_tests::ss12000_source::{bearer_token, ContractCheck, Ss12000Source, RESOURCES};
    let source = Ss12000Source::start().await;
    let (snapshot, protected) = demo_source_and_protected();
    skolportal_tests::ss12000_fixture::load(&source, &snapshot);
    let checked = ContractCheck::start(&source).await;
    let bearer = bearer_token(&source).await;
    let http = reqwest::Client::new();
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    for resource in RESOURCES {
        let mut page_token: Option<String> = None;
        loop {
            let mut url = format!("{}/{resource}?limit=40", checked.base_url);
            if let Some(t) = &page_token {
                url.push_str(&format!("&pageToken={t}"));
            }
            // The document requires the window of calendar events on every request.
            if resource == "calendarEvents" {
                url.push_str(
                    "&startTime.onOrAfter=2000-01-01T00:00:00Z\
                     &startTime.onOrBefore=2100-01-01T00:00:00Z",
                );
            }
            let response = http
                .get(&url)
                .bearer_auth(&bearer)
                .send()
                .await
                .expect("prism");
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.expect("json");
            assert_eq!(status, 200, "{resource}: {body}");
            *seen.entry(resource).or_default() += body["data"].as_array().expect("data").len();
            match body["pageToken"].as_str() {
                Some(next) => page_token = Some(next.to_owned()),
                None => break,
            }
        }
    }
    assert_eq!(
        seen["persons"],
        snapshot.persons.len(),
        "every page, none twice"
    );
    assert_eq!(
        seen["organisations"],
        snapshot.units.len() + 1,
        "the units and the organiser above them"
    );
    assert_eq!(seen["groups"], snapshot.groups.len());
    assert!(seen["activities"] > 0 && seen["duties"] > 0 && seen["placements"] > 0);

    // The protected child is served as the source has it: the portal is what must refuse.
    let child = source
        .get("persons", protected.parse().expect("a uuid"))
        .expect("the protected child in the source");
    assert_eq!(child["securityMarking"], "Skyddad folkbokföring");

    // Changes since a moment, and deletions since it.
    let since = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let mut changed = child.clone();
    changed["givenName"] = serde_json::json!("Ändrad");
    let other: uuid::Uuid = snapshot.persons[0].source_id.parse().expect("a uuid");
    source.put("persons", changed);
    source.delete("persons", other);
    let after = since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (status, body) = get(
        &http,
        &bearer,
        &format!("{}/persons?meta.modified.after={after}", checked.base_url),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"].as_array().map(Vec::len), Some(1), "{body}");
    let (status, body) = get(
        &http,
        &bearer,
        &format!("{}/deletedEntities?after={after}", checked.base_url),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["persons"],
        serde_json::json!([other.to_string()])
    );

    // A page fails once; the source is down; a request without a token is refused.
    source.fail_page_once("groups", 0);
    let (status, _) = get(&http, &bearer, &format!("{}/groups", source.base_url)).await;
    assert_eq!(status, 500);
    let (status, _) = get(&http, &bearer, &format!("{}/groups", source.base_url)).await;
    assert_eq!(status, 200, "only once");
    source.set_down(true);
    let (status, _) = get(&http, &bearer, &format!("{}/groups", source.base_url)).await;
    assert_eq!(status, 503);
    source.set_down(false);
    let (status, _) = get(&http, "not-a-token", &format!("{}/groups", source.base_url)).await;
    assert_eq!(status, 401);
}

async fn get(http: &reqwest::Client, bearer: &str, url: &str) -> (u16, serde_json::Value) {
    let response = http
        .get(url)
        .bearer_auth(bearer)
        .send()
        .await
        .expect("the source");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// The portal's client against `prism mock -d`: random records of every kind it reads, in any
/// shape the standard allows (optional fields left out, code values we never use), read
/// without an error. Ten rounds, for ten different random answers.
#[tokio::test]
async fn the_client_reads_whatever_the_standard_allows() {
    use skolportal_backend::ss12000::{
        Activity, CalendarEvent, Duty, Grade, Group, Organisation, Person, Placement,
        Ss12000Client, Syllabus,
    };
    use skolportal_tests::ss12000_source::{ContractCheck, Ss12000Source};
    // The token comes from our source; the records from prism's random ones.
    let source = Ss12000Source::start().await;
    let mock = ContractCheck::mock().await;
    let mut settings = source.settings_for("9999").client;
    settings.base_url = mock.base_url.parse().expect("prism's url");
    let client = Ss12000Client::new(settings).expect("the client");
    let mut records = 0;
    for round in 0..10 {
        macro_rules! read {
            ($t:ty) => {
                let page = client
                    .next_page::<$t>(None, None)
                    .await
                    .unwrap_or_else(|e| panic!("round {round}, {}: {e}", stringify!($t)));
                records += page.data.len();
            };
        }
        read!(Organisation);
        read!(Person);
        read!(Placement);
        read!(Duty);
        read!(Group);
        read!(Activity);
        read!(Syllabus);
        read!(Grade);
        let window = [
            ("startTime.onOrAfter", "2026-11-24T00:00:00Z".to_owned()),
            ("startTime.onOrBefore", "2026-12-08T00:00:00Z".to_owned()),
        ];
        records += client
            .next_page_filtered::<CalendarEvent>(None, &window, None)
            .await
            .unwrap_or_else(|e| panic!("round {round}, CalendarEvent: {e}"))
            .data
            .len();
        let after = chrono::Utc::now() - chrono::Duration::days(1);
        client
            .deleted_since(after)
            .await
            .unwrap_or_else(|e| panic!("round {round}, deletedEntities: {e}"));
    }
    assert!(records > 0, "prism answered with records");
    eprintln!("read {records} random records");
}
