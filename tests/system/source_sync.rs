//! The SS 12000 sync end to end: the demo municipality served by the local SS 12000 source in
//! the standard's shapes, read by the portal's client over HTTP, mapped and reconciled
//! (`skolportal_backend::sync`). The seeded demo and the source say the same, so the first sync
//! changes nothing; then the source changes and incremental syncs follow it.

use sea_orm::TransactionTrait;
use serde_json::{json, Value};
use skolportal_backend::demo::{generate, DemoOptions, Scale};
use skolportal_backend::entity::source_sync_run::{
    self, RelationKind, SyncOutcome, SyncScope, SyncTrigger,
};
use skolportal_backend::ss12000::Ss12000Client;
use skolportal_backend::sync::{self, SyncCounts, SyncRequest};
use skolportal_shared::personnummer::luhn_check_digit;
use skolportal_tests::app::demo_today;
use skolportal_tests::app::TestOptions;
use skolportal_tests::ss12000_source::Ss12000Source;
use skolportal_tests::TestApp;
use uuid::Uuid;

const SHARE: f64 = 0.1;

/// The portal seeded with the demo, and a source serving the same demo.
async fn portal_and_source() -> (TestApp, Ss12000Source, Uuid) {
    portal_and_source_with(TestOptions::default()).await
}

async fn portal_and_source_with(options: TestOptions) -> (TestApp, Ss12000Source, Uuid) {
    let app = TestApp::spawn_with(options).await;
    let demo = generate(DemoOptions {
        seed: 2026,
        scale: Scale::Demo,
        today: demo_today(),
        schedules: false,
    })
    .expect("the demo municipality");
    let source = Ss12000Source::start().await;
    skolportal_tests::ss12000_fixture::load(&source, &demo.snapshot);
    let m = skolportal_tests::app::uuids_of(&app, "SELECT id FROM municipality")
        .await
        .into_iter()
        .next()
        .expect("the demo municipality");
    (app, source, m)
}

/// The demo portal following `source`, its jobs driven by the test (`job_runner`), with the SPA
/// from `static_dir` when given.
async fn following(source: &Ss12000Source, static_dir: Option<std::path::PathBuf>) -> TestApp {
    TestApp::spawn_with(TestOptions {
        static_dir,
        ss12000: Some(source.settings_for("9999")),
        jobs: Some(skolportal_backend::settings::JobSettings {
            enabled: false,
            ..Default::default()
        }),
        ..Default::default()
    })
    .await
}

fn client(source: &Ss12000Source) -> Ss12000Client {
    Ss12000Client::new(source.settings_for("9999").client).expect("the client")
}

async fn sync_with(
    app: &TestApp,
    source: &Ss12000Source,
    m: Uuid,
    request: SyncRequest,
) -> source_sync_run::Model {
    let txn = app.db.begin().await.expect("a transaction");
    let run = sync::run(&txn, &client(source), m, request, SHARE, app.clock.now())
        .await
        .expect("the sync ran");
    txn.commit().await.expect("commit");
    run
}

async fn sync_once(
    app: &TestApp,
    source: &Ss12000Source,
    m: Uuid,
    scope: SyncScope,
) -> source_sync_run::Model {
    sync_with(app, source, m, SyncRequest::scheduled(scope)).await
}

fn counts_of(run: &source_sync_run::Model) -> SyncCounts {
    assert_eq!(run.outcome, SyncOutcome::Completed, "{run:?}");
    serde_json::from_value(run.report.clone().expect("a report")).expect("the counts")
}

const TABLES: [&str; 8] = [
    "person",
    "unit",
    "school_group",
    "guardianship",
    "group_membership",
    "enrolment",
    "placement",
    "duty",
];

async fn table_counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in TABLES {
        out.push(app.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    out.push(
        app.count(&format!(
            "SELECT COUNT(*) FROM group_membership WHERE end_date IS NULL OR end_date >= '{}'",
            demo_today()
        ))
        .await,
    );
    out
}

fn source_id(v: &Value) -> Uuid {
    v["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

#[tokio::test]
async fn the_demo_read_through_the_standard_is_what_the_portal_has() {
    let (app, source, m) = portal_and_source().await;
    let before = table_counts(&app).await;
    let first = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert_eq!(
        first.scope,
        SyncScope::Full,
        "without a complete sync before it, an incremental one reads everything"
    );
    let counts = counts_of(&first);
    assert!(
        counts.reconciled.is_unchanged(),
        "the seeded demo and its source agree: {counts:?}"
    );
    assert!(counts.reconciled.refused_protected >= 1, "{counts:?}");
    assert_eq!(table_counts(&app).await, before);
    let mirrored = app.count("SELECT COUNT(*) FROM source_record").await;
    assert!(mirrored > 100, "the source's answer is kept: {mirrored}");
    // The protected child is kept as an id and a marking: no name, no civic number.
    let demo = generate(DemoOptions {
        seed: 2026,
        scale: Scale::Demo,
        today: demo_today(),
        schedules: false,
    })
    .expect("the demo municipality");
    let child = demo
        .snapshot
        .persons
        .iter()
        .find(|p| p.source_id == demo.protected_child_source_id)
        .expect("the protected child");
    let kept = skolportal_tests::app::text_of(
        &app,
        &format!(
            // Only the child's own record names the child among persons (a child's names
            // their guardians, not the other way round).
            "SELECT CAST(body AS TEXT) FROM source_record WHERE resource = 'person' \
             AND CAST(body AS TEXT) LIKE '%{}%'",
            child.source_id
        ),
    )
    .await;
    let kept: Value = serde_json::from_str(&kept).expect("json");
    assert_eq!(kept["givenName"], "", "{kept}");
    assert_eq!(kept["familyName"], "", "{kept}");
    assert!(kept["civicNo"].is_null(), "{kept}");
    assert!(kept["securityMarking"].is_string(), "{kept}");

    let again = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert_eq!(again.scope, SyncScope::Incremental);
    assert!(counts_of(&again).reconciled.is_unchanged(), "{again:?}");
    assert!(
        source.requests_to("persons") >= 2,
        "persons were read in pages"
    );
}

/// A valid personnummer no demo person has.
fn new_personnummer() -> String {
    let nine: Vec<u8> = "800101123".bytes().map(|b| b - b'0').collect();
    format!("19800101123{}", luhn_check_digit(&nine))
}

#[tokio::test]
async fn incremental_syncs_follow_a_class_change_a_new_guardian_a_leaving_teacher_and_a_deletion() {
    let (app, source, m) = portal_and_source().await;
    sync_once(&app, &source, m, SyncScope::Full).await;
    let today = demo_today();

    // The teacher "larare" reads her pupil's card before she leaves.
    let larare = app.login("larare").await;
    let nils = skolportal_tests::app::uuid_of(
        &app,
        "SELECT id FROM person WHERE given_name = 'Nils' AND family_name = 'Lindqvist'",
    )
    .await;
    let (status, _) = larare.get_json(&format!("/api/pupils/{nils}")).await;
    assert_eq!(status, 200, "her pupil, before she leaves");
    let teacher = skolportal_tests::app::text_of(
        &app,
        "SELECT p.external_id FROM person p JOIN user_account a ON a.person_id = p.id \
         WHERE a.username = 'larare'",
    )
    .await;
    let staff_before = app
        .count(&format!(
            "SELECT COUNT(*) FROM duty d JOIN person p ON p.id = d.person_id \
             WHERE p.external_id = '{teacher}' AND d.end_date IS NULL"
        ))
        .await;
    assert!(staff_before >= 1);

    // A pupil moves to another class of the school from today.
    let groups: Vec<Value> =
        skolportal_tests::ss12000_fixture::entries(&source_snapshot())["groups"].clone();
    let class = groups
        .iter()
        .find(|g| {
            g["groupType"] == "Klass" && !g["groupMemberships"].as_array().is_none_or(Vec::is_empty)
        })
        .expect("a class with pupils");
    let from = source_id(class);
    let to = groups
        .iter()
        .find(|g| {
            g["groupType"] == "Klass"
                && g["organisation"] == class["organisation"]
                && source_id(g) != from
        })
        .map(source_id)
        .expect("another class at the school");
    let mut from_group = source.get("groups", from).expect("the class");
    let moving = from_group["groupMemberships"][0]["person"]["id"]
        .as_str()
        .expect("a pupil")
        .to_owned();
    from_group["groupMemberships"][0]["endDate"] =
        json!((today - chrono::Duration::days(1)).to_string());
    source.put("groups", from_group);
    let mut to_group = source.get("groups", to).expect("the other class");
    to_group["groupMemberships"]
        .as_array_mut()
        .expect("members")
        .push(json!({"person": {"id": moving}, "startDate": today.to_string()}));
    source.put("groups", to_group);

    // A guardian is added for the same pupil.
    let guardian = Uuid::new_v4();
    source.put(
        "persons",
        json!({
            "id": guardian.to_string(),
            "givenName": "Ny",
            "familyName": "Vårdnadshavare",
            "civicNo": {"value": new_personnummer(), "nationality": "SE"},
            "securityMarking": "Ingen",
            "personStatus": "Aktiv",
        }),
    );
    let moving_id: Uuid = moving.parse().expect("a uuid");
    let mut pupil = source.get("persons", moving_id).expect("the pupil");
    pupil["responsibles"]
        .as_array_mut()
        .expect("responsibles")
        .push(json!({"person": {"id": guardian.to_string()}, "relationType": "Vårdnadshavare"}));
    source.put("persons", pupil);

    // The teacher leaves: the source deletes her duties.
    let duties = source_duties_of(&source, &teacher);
    assert!(!duties.is_empty(), "her duties in the source");
    for duty in duties {
        source.delete("duties", duty);
    }

    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert_eq!(run.scope, SyncScope::Incremental);
    let counts = counts_of(&run).reconciled;
    assert_eq!(counts.persons.added, 1, "{counts:?}");
    assert_eq!(counts.guardianships.added, 1, "{counts:?}");
    assert!(counts.duties.removed >= 1, "{counts:?}");
    assert!(
        counts.memberships.added >= 1 && counts.memberships.changed >= 1,
        "the new class, and the old one's end: {counts:?}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM group_membership gm JOIN person p ON p.id = gm.person_id \
             JOIN school_group g ON g.id = gm.group_id WHERE p.external_id = '{moving}' \
             AND g.external_id = '{to}' AND gm.end_date IS NULL"
        ))
        .await,
        1,
        "in the new class"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM guardianship g JOIN person c ON c.id = g.child_id \
             JOIN person a ON a.id = g.adult_id WHERE c.external_id = '{moving}' \
             AND a.external_id = '{guardian}'"
        ))
        .await,
        1
    );
    let (status, _) = larare.get_json(&format!("/api/pupils/{nils}")).await;
    assert_eq!(status, 404, "the policy follows the source");

    // Nothing changed since: nothing to do.
    let quiet = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert!(counts_of(&quiet).reconciled.is_unchanged(), "{quiet:?}");

    // The source deletes the new guardian: the link ends, the person stays for retention.
    source.delete("persons", guardian);
    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    let counts = counts_of(&run).reconciled;
    assert_eq!(counts.persons.removed, 1, "{counts:?}");
    assert_eq!(counts.guardianships.removed, 1, "{counts:?}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM guardianship g JOIN person a ON a.id = g.adult_id \
             WHERE a.external_id = '{guardian}' AND g.end_date IS NULL"
        ))
        .await,
        0
    );

    // And a full sync agrees with the incremental ones.
    let full = sync_once(&app, &source, m, SyncScope::Full).await;
    assert!(counts_of(&full).reconciled.is_unchanged(), "{full:?}");
}

fn source_snapshot() -> skolportal_backend::population::snapshot::Snapshot {
    generate(DemoOptions {
        seed: 2026,
        scale: Scale::Demo,
        today: demo_today(),
        schedules: false,
    })
    .expect("the demo municipality")
    .snapshot
}

/// The ids of the duties the source lists for a person.
fn source_duties_of(source: &Ss12000Source, person: &str) -> Vec<Uuid> {
    skolportal_tests::ss12000_fixture::entries(&source_snapshot())["duties"]
        .iter()
        .filter(|d| d["person"]["id"] == person)
        .map(source_id)
        .filter(|id| source.get("duties", *id).is_some())
        .collect()
}

#[tokio::test]
async fn a_source_that_answers_without_groups_is_refused_until_an_officer_confirms() {
    let (app, source, m) = portal_and_source().await;
    sync_once(&app, &source, m, SyncScope::Full).await;
    let before = table_counts(&app).await;
    source.forget_all("groups");
    let refused = sync_once(&app, &source, m, SyncScope::Full).await;
    assert_eq!(refused.outcome, SyncOutcome::Refused, "{refused:?}");
    assert_eq!(refused.refused_kind, Some(RelationKind::Memberships));
    assert!(refused.refused_removed.unwrap_or(0) > 5, "{refused:?}");
    assert_eq!(table_counts(&app).await, before, "nothing changed");
    // The next full sync is refused as well: nothing moved on.
    let still = sync_once(&app, &source, m, SyncScope::Full).await;
    assert_eq!(still.outcome, SyncOutcome::Refused, "{still:?}");
    assert_eq!(table_counts(&app).await, before, "nothing changed");

    // An officer who has seen why confirms it: exactly that many may go.
    let officer = Uuid::new_v4();
    let confirmed = sync_with(
        &app,
        &source,
        m,
        SyncRequest {
            scope: SyncScope::Full,
            trigger: SyncTrigger::Confirmation,
            requested_by: Some(officer),
            confirms: Some(refused.id),
        },
    )
    .await;
    let counts = counts_of(&confirmed).reconciled;
    assert_eq!(
        i32::try_from(counts.memberships.removed).ok(),
        refused.refused_removed,
        "{counts:?}"
    );
    assert_eq!(confirmed.requested_by, Some(officer));
}

#[tokio::test]
async fn a_sync_that_fails_half_way_leaves_the_last_complete_one() {
    let (app, source, m) = portal_and_source().await;
    sync_once(&app, &source, m, SyncScope::Full).await;
    // A guardian whose name changed, read before the failure.
    let person = skolportal_tests::ss12000_fixture::entries(&source_snapshot())["persons"]
        .iter()
        .find(|p| p["securityMarking"] == "Ingen")
        .map(source_id)
        .expect("a person");
    let mut changed = source.get("persons", person).expect("the person");
    changed["givenName"] = json!("Ändrad");
    source.put("persons", changed);
    let before = table_counts(&app).await;
    let mirror_before = app.count("SELECT COUNT(*) FROM source_sync_state").await;

    // A page that fails once is read again, and the sync completes.
    source.fail_page_once("persons", 0);
    // The groups fail more often than the client retries: the sync stops half-way.
    for _ in 0..4 {
        source.fail_page_once("groups", 0);
    }
    let failed = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert_eq!(failed.outcome, SyncOutcome::Failed, "{failed:?}");
    let error = failed.error.clone().unwrap_or_default();
    assert!(
        error.contains("groups"),
        "the error names the list: {error}"
    );
    assert_eq!(table_counts(&app).await, before);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM person WHERE external_id = '{person}' AND given_name = 'Ändrad'"
        ))
        .await,
        0,
        "nothing of the half-read answer was applied"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM source_sync_state").await,
        mirror_before
    );

    // The next one reads what the failed one missed: the high-water mark had not moved.
    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert_eq!(counts_of(&run).reconciled.persons.changed, 1, "{run:?}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM person WHERE external_id = '{person}' AND given_name = 'Ändrad'"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn the_queue_follows_the_source_on_its_schedule_and_waits_after_a_refusal() {
    let source = Ss12000Source::start().await;
    skolportal_tests::ss12000_fixture::load(&source, &source_snapshot());
    let app = following(&source, None).await;
    let runner = app.job_runner("test");
    let work = || async {
        for _ in 0..5 {
            let report = runner.run_once().await.expect("a round");
            if report.claimed == 0 && report.scheduled == 0 {
                break;
            }
        }
    };

    // The first tick: no sync before, so a full one.
    work().await;
    assert_eq!(all_runs(&app).await, 1);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM source_sync_run WHERE scope = 'full' AND outcome = 'completed'"
        )
        .await,
        1
    );
    // A tick a minute later: not yet due.
    app.advance(chrono::Duration::minutes(1));
    work().await;
    assert_eq!(
        all_runs(&app).await,
        1,
        "the pace is the settings' ten minutes"
    );
    // Ten minutes on: an incremental one.
    app.advance(chrono::Duration::minutes(10));
    work().await;
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM source_sync_run WHERE scope = 'incremental' AND outcome = 'completed'"
        )
        .await,
        1
    );

    // The source loses its groups; the night's full sync is refused, and no sync runs after it
    // until an officer confirms.
    source.forget_all("groups");
    let night = {
        let now = app.clock.now();
        let local = skolportal_backend::clock::local_time_of(now);
        let to_two = (chrono::Duration::hours(24 + 2)
            - chrono::Duration::hours(i64::from(chrono::Timelike::hour(&local))))
        .num_hours()
            % 24;
        chrono::Duration::hours(if to_two == 0 { 24 } else { to_two })
    };
    app.advance(night);
    work().await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM source_sync_run WHERE outcome = 'refused'")
            .await,
        1
    );
    let before = all_runs(&app).await;
    app.advance(chrono::Duration::minutes(30));
    work().await;
    assert_eq!(all_runs(&app).await, before, "it waits for an officer");
}

async fn all_runs(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM source_sync_run").await
}

#[tokio::test]
async fn an_officer_follows_the_sync_starts_one_and_confirms_a_refused_one() {
    let source = Ss12000Source::start().await;
    skolportal_tests::ss12000_fixture::load(&source, &source_snapshot());
    let app = following(&source, None).await;
    let runner = app.job_runner("test");
    // Only the officer's requests: no ticks of the schedule in between.
    let work = || async {
        for job in runner.claim().await.expect("claim") {
            runner.run(job).await.expect("run");
        }
    };
    let path = "/api/officer/source-sync";

    // Only an officer, with a second factor.
    for who in ["anna", "larare"] {
        let client = app.login(who).await;
        let (status, _) = client.get_json(path).await;
        assert_eq!(status, 404, "{who}");
        let status = client.post(path, &json!({})).await.status();
        assert_eq!(status, 404, "{who}");
    }
    let weak = app.login_password_only("handlaggare").await;
    let (status, body) = weak.get_json(path).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("step_up_required"))
    );

    let officer = app.login("handlaggare").await;
    let (status, view) = officer.get_json(path).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["configured"], true);
    assert_eq!(view["runs"].as_array().map(Vec::len), Some(0));

    let status = officer.post(path, &json!({})).await.status();
    assert_eq!(status, 202);
    let again = officer.post(path, &json!({})).await;
    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.expect("json");
    assert_eq!(body["error"], "sync_pending");
    work().await;
    let (_, view) = officer.get_json(path).await;
    let first = &view["runs"][0];
    assert_eq!(
        (&first["scope"], &first["trigger"], &first["outcome"]),
        (&json!("full"), &json!("officer"), &json!("completed")),
        "{view}"
    );
    assert_eq!(first["confirmable"], false);
    assert!(first["refused_protected"].as_u64().unwrap_or(0) >= 1);

    // The source loses its groups: the officer's next sync is refused, and says why.
    source.forget_all("groups");
    officer.post(path, &json!({})).await;
    work().await;
    let (_, view) = officer.get_json(path).await;
    let refused = view["runs"][0].clone();
    assert_eq!(refused["outcome"], "refused", "{view}");
    assert_eq!(refused["confirmable"], true);
    assert_eq!(refused["refusal"]["kind"], "memberships");
    let removed = refused["refusal"]["removed"].as_u64().expect("a count");
    assert!(removed > 5);
    let refused_id = refused["id"].as_str().expect("an id").to_owned();
    let completed_id = first["id"].as_str().expect("an id").to_owned();

    // Only a refused run can be confirmed.
    for id in [Uuid::new_v4().to_string(), completed_id] {
        let status = officer
            .post(&format!("{path}/{id}/confirm"), &json!({}))
            .await
            .status();
        assert_eq!(status, 404);
    }
    let status = officer
        .post(&format!("{path}/{refused_id}/confirm"), &json!({}))
        .await
        .status();
    assert_eq!(status, 202);
    work().await;
    let (_, view) = officer.get_json(path).await;
    let confirmed = &view["runs"][0];
    assert_eq!(
        (&confirmed["trigger"], &confirmed["outcome"]),
        (&json!("confirmation"), &json!("completed")),
        "{view}"
    );
    let memberships = confirmed["counts"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["kind"] == "memberships"))
        .expect("the memberships' count");
    assert_eq!(memberships["removed"].as_u64(), Some(removed));
    assert_eq!(view["runs"][1]["confirmable"], false, "confirmed once");
    let late = officer
        .post(&format!("{path}/{refused_id}/confirm"), &json!({}))
        .await;
    assert_eq!(late.status(), 409);
    let body: Value = late.json().await.expect("json");
    assert_eq!(body["error"], "sync_superseded");
}

#[tokio::test]
async fn without_a_source_there_is_nothing_to_start() {
    let app = TestApp::spawn().await;
    let officer = app.login("handlaggare").await;
    let (status, view) = officer.get_json("/api/officer/source-sync").await;
    assert_eq!(status, 200);
    assert_eq!(view["configured"], false);
    let answer = officer.post("/api/officer/source-sync", &json!({})).await;
    assert_eq!(answer.status(), 409);
    let body: Value = answer.json().await.expect("json");
    assert_eq!(body["error"], "no_source");
}

/// The demo portal with its SPA, following a source serving the demo, after a first full sync.
async fn following_with_spa() -> (TestApp, Ss12000Source, Uuid) {
    let source = Ss12000Source::start().await;
    skolportal_tests::ss12000_fixture::load(&source, &source_snapshot());
    let app = following(&source, Some(crate::ui::dist())).await;
    let m = skolportal_tests::app::uuids_of(&app, "SELECT id FROM municipality")
        .await
        .into_iter()
        .next()
        .expect("the demo municipality");
    sync_once(&app, &source, m, SyncScope::Full).await;
    (app, source, m)
}

/// The officer's page at 360 px and desktop with axe-core: a completed, a failed and a refused
/// sync in the list, the refusal explained, and its confirmation through the page.
#[tokio::test]
async fn the_officer_confirms_a_stopped_sync_on_the_page() {
    use crate::ui::{browser, check_fits, password_login, step_up, wait_for_text};
    let (app, source, m) = following_with_spa().await;
    app.advance(chrono::Duration::minutes(10));
    source.set_down(true);
    sync_once(&app, &source, m, SyncScope::Incremental).await;
    source.set_down(false);
    app.advance(chrono::Duration::minutes(10));
    source.forget_all("groups");
    let refused = sync_once(&app, &source, m, SyncScope::Full).await;
    assert_eq!(refused.outcome, SyncOutcome::Refused);

    let browser = browser().await;
    password_login(
        &browser,
        &app,
        "handlaggare",
        app.password_of("handlaggare"),
    )
    .await;
    crate::ui::landed(&browser, &app).await;
    browser.goto(&app.url("/handlaggare")).await.unwrap();
    browser
        .wait_for("a[href='/handlaggare/synk']")
        .await
        .unwrap();
    browser.goto(&app.url("/handlaggare/synk")).await.unwrap();
    step_up(&browser, &app, "handlaggare").await;
    let text = wait_for_text(&browser, ".sync-refused", "stoppades").await;
    assert!(text.contains("gruppmedlemskap"), "{text}");
    let table = wait_for_text(&browser, ".sync-runs", "Misslyckades").await;
    assert!(
        table.contains("Stoppad") && table.contains("Klar"),
        "{table}"
    );
    check_fits(&browser, "officer-sync-refused").await;

    browser.click(".sync-refused button").await.unwrap();
    wait_for_text(&browser, "#sync-status", "beställd").await;
    let runner = app.job_runner("test");
    for job in runner.claim().await.expect("claim") {
        runner.run(job).await.expect("run");
    }
    browser
        .click(".sync-actions .button--secondary")
        .await
        .unwrap();
    wait_for_text(&browser, ".sync-runs", "Godkänd av handläggare").await;
    let after = browser.text(".page").await.unwrap();
    assert!(
        !after.contains("Den senaste synkroniseringen stoppades"),
        "{after}"
    );
    check_fits(&browser, "officer-sync-confirmed").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_guardian_marked_later_is_removed_in_the_next_sync() {
    let (app, source, m) = portal_and_source().await;
    sync_once(&app, &source, m, SyncScope::Full).await;
    let anna = app.login("anna").await;
    let (status, _) = anna.get_json("/api/me").await;
    assert_eq!(status, 200);
    let source_id = skolportal_tests::app::text_of(
        &app,
        "SELECT p.external_id FROM person p JOIN user_account a ON a.person_id = p.id \
         WHERE a.username = 'anna'",
    )
    .await;
    let pnr = skolportal_tests::app::text_of(
        &app,
        "SELECT p.personnummer FROM person p JOIN user_account a ON a.person_id = p.id \
         WHERE a.username = 'anna'",
    )
    .await;

    // The population register protects her; the source passes it on.
    let id: Uuid = source_id.parse().expect("a uuid");
    let mut record = source.get("persons", id).expect("her record");
    record["securityMarking"] = json!("Skyddad folkbokföring");
    source.put("persons", record);
    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    let counts = counts_of(&run);
    assert_eq!(counts.forgotten, 1, "{counts:?}");

    let (status, _) = anna.get_json("/api/me").await;
    assert_eq!(status, 401, "her session is gone");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM person WHERE external_id = '{source_id}' OR personnummer = '{pnr}'"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM user_account WHERE username = 'anna'")
            .await,
        0
    );
    // The source's record of her is kept as an id and a marking.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM source_record WHERE CAST(body AS TEXT) LIKE '%{}%'",
            &pnr[2..]
        ))
        .await,
        0
    );
    // The next sync finds nothing more to do.
    let again = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert!(counts_of(&again).reconciled.is_unchanged(), "{again:?}");
}

/// `cargo xtask run`'s path: the demo loaded through the local source (a full sync into a
/// portal that has only the municipality) is the demo loaded directly, row for row.
#[tokio::test]
async fn the_demo_loads_through_the_source_as_it_loads_directly() {
    use skolportal_backend::demo::{seed_through_source, SeedOutcome, DEMO_PASSWORD};
    let direct = TestApp::spawn().await;
    let source = Ss12000Source::start().await;
    skolportal_tests::ss12000_fixture::load(&source, &source_snapshot());
    let app = TestApp::spawn_with(TestOptions {
        empty: true,
        ..Default::default()
    })
    .await;
    let options = DemoOptions {
        seed: 2026,
        scale: Scale::Demo,
        today: demo_today(),
        schedules: false,
    };
    let outcome = seed_through_source(&app.db, options, &client(&source), app.clock.now())
        .await
        .expect("the demo through the source");
    let SeedOutcome::Seeded { report, .. } = outcome else {
        panic!("an empty database is seeded");
    };
    assert!(report.persons > 100 && report.refused_protected >= 1);

    let mut tables: Vec<&str> = TABLES.to_vec();
    tables.extend(["user_account", "lesson", "school_term", "lunch_menu_day"]);
    for table in tables {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        assert_eq!(app.count(&sql).await, direct.count(&sql).await, "{table}");
    }
    for sql in [
        "SELECT COUNT(*) FROM unit WHERE capacity IS NOT NULL",
        "SELECT COUNT(*) FROM user_account WHERE totp_secret IS NOT NULL",
        "SELECT COUNT(*) FROM group_membership WHERE role = 'teacher'",
        "SELECT COUNT(*) FROM group_membership WHERE role = 'mentor'",
        "SELECT COUNT(*) FROM duty WHERE role = 'officer'",
        "SELECT COUNT(*) FROM school_group WHERE school_year IS NOT NULL",
    ] {
        assert_eq!(app.count(sql).await, direct.count(sql).await, "{sql}");
    }
    let anna = app.anonymous();
    assert_eq!(anna.login("anna", DEMO_PASSWORD).await.status(), 200);

    // The portal follows the source from there: the same source again changes nothing.
    let m = skolportal_tests::app::uuids_of(&app, "SELECT id FROM municipality")
        .await
        .into_iter()
        .next()
        .expect("the municipality");
    let again = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert!(counts_of(&again).reconciled.is_unchanged(), "{again:?}");
}

/// A pupil in a graded year with their class's source id, a lesson of the class (its id,
/// weekday and start), the pupil's unit's source id and a guardian's personnummer.
struct GradedPupil {
    id: Uuid,
    source: String,
    unit: String,
    class: String,
    lesson: Uuid,
    weekday: i64,
    starts_at: String,
    ends_at: String,
    guardian: String,
}

async fn graded_pupil(app: &TestApp) -> GradedPupil {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT p.id, p.external_id, u.external_id, g.external_id, l.id, l.weekday, \
             CAST(l.starts_at AS TEXT), CAST(l.ends_at AS TEXT), a.personnummer \
             FROM person p \
             JOIN enrolment e ON e.pupil_id = p.id AND e.school_year >= 6 \
             JOIN unit u ON u.id = e.unit_id \
             JOIN group_membership m ON m.person_id = p.id AND m.role = 'pupil' \
             JOIN school_group g ON g.id = m.group_id AND g.group_type = 'class' \
             JOIN lesson l ON l.group_id = g.id AND l.activity NOT IN ('lunch', 'mentoring') \
             JOIN guardianship gs ON gs.child_id = p.id AND gs.end_date IS NULL \
             JOIN person a ON a.id = gs.adult_id \
             ORDER BY p.family_name, p.given_name, l.weekday, l.starts_at LIMIT 1"
                .to_owned(),
        ))
        .await
        .expect("the query")
        .expect("a pupil in a graded year with lessons and a guardian");
    let text = |i: usize| row.try_get_by_index::<String>(i).expect("a text");
    GradedPupil {
        id: row.try_get_by_index(0).expect("an id"),
        source: text(1),
        unit: text(2),
        class: text(3),
        lesson: row.try_get_by_index(4).expect("a lesson"),
        weekday: i64::from(row.try_get_by_index::<i32>(5).expect("a weekday")),
        starts_at: text(6)[..5].to_owned(),
        ends_at: text(7)[..5].to_owned(),
        guardian: text(8),
    }
}

/// The lesson's view in the pupil's timetable on `date`, as the guardian reads it.
async fn lesson_on(
    guardian: &skolportal_tests::UserClient,
    pupil: &GradedPupil,
    date: chrono::NaiveDate,
) -> Option<Value> {
    use chrono::Datelike;
    let monday = date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()));
    let (status, week) = guardian
        .get_json(&format!("/api/timetable/pupils/{}?week={monday}", pupil.id))
        .await;
    assert_eq!(status, 200, "{week}");
    week["days"]
        .as_array()
        .expect("days")
        .iter()
        .find(|d| d["date"] == date.to_string())?["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .find(|l| l["lesson_id"] == pupil.lesson.to_string())
        .cloned()
}

/// A syllabus in mathematics at the source: its id.
fn maths_syllabus(source: &Ss12000Source) -> Uuid {
    let syllabus = Uuid::new_v4();
    source.put(
        "syllabuses",
        json!({"id": syllabus.to_string(), "schoolType": "GR", "subjectName": "Matematik",
               "subjectDesignation": "MA", "subjectCode": "GRGRMAT01", "official": true}),
    );
    syllabus
}

/// A grade of the pupil's in the syllabus as the source registers it.
struct SourceGrade<'a> {
    id: Uuid,
    syllabus: Uuid,
    value: &'a str,
    registered: chrono::NaiveDate,
    /// `HT` or `VT`.
    semester: &'a str,
    year: i32,
}

impl SourceGrade<'_> {
    fn of(&self, pupil: &GradedPupil) -> Value {
        json!({
            "id": self.id.to_string(),
            "student": {"id": pupil.source},
            "organisation": {"id": pupil.unit},
            "registeredBy": {"id": pupil.source},
            "registeredDate": self.registered.to_string(),
            "gradeValue": self.value,
            "finalGrade": false,
            "adaptedStudyPlan": "",
            "semester": self.semester,
            "year": self.year,
            "syllabus": {"id": self.syllabus.to_string()},
        })
    }
}

/// The pupil's grade in mathematics this term, as the guardian reads it.
async fn maths_grade(
    guardian: &skolportal_tests::UserClient,
    pupil: &GradedPupil,
) -> Option<Value> {
    let (status, grades) = guardian
        .get_json(&format!("/api/pupils/{}/grades", pupil.id))
        .await;
    assert_eq!(status, 200, "{grades}");
    grades["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .flat_map(|t| t["grades"].as_array().cloned().unwrap_or_default())
        .find(|g| g["activity"] == "mathematics")
        .map(|g| g["value"].clone())
}

/// Grades the source registers and the coming days' calendar events reach the family's pages,
/// follow a change and a deletion at the source, and a full sync agrees; the source's records
/// of the child are in the guardian's register extract.
#[tokio::test]
async fn grades_and_calendar_events_from_the_source_reach_the_family() {
    use chrono::Datelike;
    let (app, source, m) = portal_and_source_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    sync_once(&app, &source, m, SyncScope::Full).await;
    let pupil = graded_pupil(&app).await;
    let guardian = app.anonymous();
    assert_eq!(
        guardian
            .bankid_login(&pupil.guardian, "loa3")
            .await
            .status(),
        302
    );
    assert_eq!(maths_grade(&guardian, &pupil).await, None, "no grade yet");

    // The next school day in the window on which the lesson is planned.
    let today = demo_today();
    let mut date = None;
    for ahead in 1..=14 {
        let day = today + chrono::Duration::days(ahead);
        if i64::from(day.weekday().number_from_monday()) == pupil.weekday
            && lesson_on(&guardian, &pupil, day).await.is_some()
        {
            date = Some(day);
            break;
        }
    }
    let date = date.expect("the lesson on a coming school day");
    assert!(lesson_on(&guardian, &pupil, date)
        .await
        .expect("the lesson")["change"]
        .is_null());

    // The source registers a grade in mathematics this term, and cancels the lesson.
    let term_kind = skolportal_tests::app::text_of(
        &app,
        &format!(
            "SELECT kind FROM school_term WHERE starts_on <= '{today}' AND ends_on >= '{today}'"
        ),
    )
    .await;
    let term_start = skolportal_tests::app::text_of(
        &app,
        &format!(
            "SELECT CAST(starts_on AS TEXT) FROM school_term \
             WHERE starts_on <= '{today}' AND ends_on >= '{today}'"
        ),
    )
    .await;
    let syllabus = maths_syllabus(&source);
    let grade_id = Uuid::new_v4();
    let grade = |value: &str| {
        SourceGrade {
            id: grade_id,
            syllabus,
            value,
            registered: today,
            semester: if term_kind == "autumn" { "HT" } else { "VT" },
            year: term_start[..4].parse::<i32>().expect("a year"),
        }
        .of(&pupil)
    };
    source.put("grades", grade("B"));
    let activity = skolportal_tests::ss12000_fixture::entries(&source_snapshot())["activities"]
        .iter()
        .find(|a| a["groups"][0]["id"] == pupil.class.as_str())
        .map(source_id)
        .expect("the class's activity");
    let event_id = Uuid::new_v4();
    let event = |start: &str, end: &str, cancelled: bool, room: Option<&str>| {
        let mut e = json!({
            "id": event_id.to_string(),
            "activity": {"id": activity.to_string()},
            "startTime": format!("{date}T{start}:00+01:00"),
            "endTime": format!("{date}T{end}:00+01:00"),
            "cancelled": cancelled,
        });
        if let Some(room) = room {
            e["rooms"] = json!([{"id": Uuid::new_v4().to_string(), "displayName": room}]);
        }
        e
    };
    source.put(
        "calendarEvents",
        event(&pupil.starts_at, &pupil.ends_at, true, None),
    );
    // An event outside the window is not read.
    let far = Uuid::new_v4();
    source.put(
        "calendarEvents",
        json!({"id": far.to_string(), "activity": {"id": activity.to_string()},
               "startTime": format!("{}T08:00:00+01:00", today + chrono::Duration::days(40)),
               "endTime": format!("{}T09:00:00+01:00", today + chrono::Duration::days(40)),
               "cancelled": true}),
    );

    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    let counts = counts_of(&run);
    assert_eq!(counts.school.grades.added, 1, "{counts:?}");
    assert_eq!(counts.school.lesson_changes.added, 1, "{counts:?}");
    assert!(counts.reconciled.is_unchanged(), "{counts:?}");
    assert_eq!(maths_grade(&guardian, &pupil).await, Some(json!("b")));
    let lesson = lesson_on(&guardian, &pupil, date)
        .await
        .expect("the lesson");
    assert_eq!(lesson["change"]["kinds"], json!(["cancelled"]), "{lesson}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM source_record WHERE source_id = '{far}'"
        ))
        .await,
        0,
        "the source was asked for the window only"
    );

    // The source changes the grade and moves the lesson to another room, half an hour later.
    source.put("grades", grade("A"));
    let later = |t: &str| {
        let t = chrono::NaiveTime::parse_from_str(t, "%H:%M").expect("a time")
            + chrono::Duration::minutes(30);
        t.format("%H:%M").to_string()
    };
    source.put(
        "calendarEvents",
        event(
            &later(&pupil.starts_at),
            &later(&pupil.ends_at),
            false,
            Some("Aulan"),
        ),
    );
    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    let counts = counts_of(&run);
    assert_eq!(counts.school.grades.changed, 1, "{counts:?}");
    assert_eq!(counts.school.lesson_changes.changed, 1, "{counts:?}");
    assert_eq!(maths_grade(&guardian, &pupil).await, Some(json!("a")));
    let lesson = lesson_on(&guardian, &pupil, date)
        .await
        .expect("the lesson");
    let kinds = lesson["change"]["kinds"].as_array().expect("kinds").clone();
    assert!(
        kinds.contains(&json!("time_changed")) && kinds.contains(&json!("room_changed")),
        "{lesson}"
    );
    assert_eq!(lesson["room"], "Aulan");
    assert_eq!(lesson["starts_at"], later(&pupil.starts_at));

    // The guardian's register extract has the source's record of the child.
    let (status, extract) = guardian.get_json("/api/me/extract").await;
    assert_eq!(status, 200);
    let child = extract["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|c| c["id"] == pupil.id.to_string())
        .expect("the child");
    let kinds: Vec<&str> = child["source_records"]
        .as_array()
        .expect("the source's records")
        .iter()
        .filter_map(|r| r["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"person") && kinds.contains(&"grade"),
        "{kinds:?}"
    );
    let person = child["source_records"]
        .as_array()
        .expect("records")
        .iter()
        .find(|r| r["kind"] == "person")
        .expect("the person record");
    assert!(
        person["content"]
            .as_str()
            .is_some_and(|c| c.contains(child["person"]["given_name"].as_str().unwrap_or("?"))),
        "{person}"
    );
    assert!(
        extract["source_records"]
            .as_array()
            .expect("the guardian's own")
            .iter()
            .any(|r| r["kind"] == "person"),
        "the guardian's own record"
    );

    // A full sync agrees with the incremental ones.
    let full = sync_once(&app, &source, m, SyncScope::Full).await;
    let counts = counts_of(&full);
    assert_eq!(
        counts.school,
        Default::default(),
        "nothing more to do: {counts:?}"
    );

    // The source deletes both: the grade and the change go.
    source.delete("grades", grade_id);
    source.delete("calendarEvents", event_id);
    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    let counts = counts_of(&run);
    assert_eq!(counts.school.grades.removed, 1, "{counts:?}");
    assert_eq!(counts.school.lesson_changes.removed, 1, "{counts:?}");
    assert_eq!(maths_grade(&guardian, &pupil).await, None);
    let lesson = lesson_on(&guardian, &pupil, date)
        .await
        .expect("the lesson");
    assert!(lesson["change"].is_null(), "{lesson}");
}

/// A pupil who leaves school: the register still lists their grades, but the sync has no
/// enrolment left to count their school year from. The portal's copies stay, for retention to
/// export when their time comes; they go only when the register stops listing them.
#[tokio::test]
async fn the_grades_of_a_pupil_who_has_left_stay_until_the_register_removes_them() {
    let (app, source, m) = portal_and_source_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    sync_once(&app, &source, m, SyncScope::Full).await;
    let pupil = graded_pupil(&app).await;
    let today = demo_today();
    let id = Uuid::new_v4();
    let grade = SourceGrade {
        id,
        syllabus: maths_syllabus(&source),
        value: "C",
        registered: today - chrono::Duration::days(30),
        semester: "HT",
        year: 2026,
    }
    .of(&pupil);
    source.put("grades", grade);
    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert_eq!(counts_of(&run).school.grades.added, 1, "{run:?}");
    let from_source = "SELECT COUNT(*) FROM grade WHERE source_id IS NOT NULL";
    assert_eq!(app.count(from_source).await, 1);

    // The pupil's enrolments ended yesterday.
    let source_id: Uuid = pupil.source.parse().expect("a uuid");
    let mut person = source.get("persons", source_id).expect("the pupil");
    let ended = json!((today - chrono::Duration::days(1)).to_string());
    for enrolment in person["enrolments"].as_array_mut().expect("enrolments") {
        enrolment["endDate"] = ended.clone();
    }
    source.put("persons", person);
    for scope in [SyncScope::Incremental, SyncScope::Full] {
        let run = sync_once(&app, &source, m, scope).await;
        let counts = counts_of(&run);
        assert_eq!(counts.school.grades.removed, 0, "{scope:?}: {counts:?}");
        assert_eq!(
            app.count(from_source).await,
            1,
            "{scope:?}: the grade stays"
        );
    }
    let current = {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use skolportal_backend::entity::enrolment;
        enrolment::Entity::find()
            .filter(enrolment::Column::PupilId.eq(pupil.id))
            .filter(enrolment::Column::EndDate.is_null())
            .count(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(current, 0, "the pupil has left in the portal");

    // The register removes the grade: then the portal's copy goes.
    source.delete("grades", id);
    let run = sync_once(&app, &source, m, SyncScope::Full).await;
    assert_eq!(counts_of(&run).school.grades.removed, 1, "{run:?}");
    assert_eq!(app.count(from_source).await, 0);
}

/// A grade from the source is set on the day the source registered it, so retention takes it
/// when the grading material's period has passed since then, exporting it once; the register
/// still lists it, yet the next sync does not bring it back (the next run would export it
/// again), and a grade registered before the period never enters the portal.
#[tokio::test]
async fn a_grade_retention_has_taken_does_not_come_back_with_the_sync() {
    let (app, source, m) = portal_and_source_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    sync_once(&app, &source, m, SyncScope::Full).await;
    let pupil = graded_pupil(&app).await;
    let today = demo_today();
    let syllabus = maths_syllabus(&source);
    let grade = |id: Uuid, registered: chrono::NaiveDate, semester: &str, year: i32| {
        SourceGrade {
            id,
            syllabus,
            value: "C",
            registered,
            semester,
            year,
        }
        .of(&pupil)
    };
    // The demo's day is in the autumn term of 2026; the grade was registered 40 months ago, two
    // before the default period of 42 ends.
    let kept = Uuid::new_v4();
    let registered = today - chrono::Months::new(40);
    source.put("grades", grade(kept, registered, "HT", 2026));
    let run = sync_once(&app, &source, m, SyncScope::Incremental).await;
    assert_eq!(counts_of(&run).school.grades.added, 1, "{run:?}");
    // The demo's source registers no grades: these are the only ones from it.
    let from_source = "SELECT COUNT(*) FROM grade WHERE source_id IS NOT NULL";
    assert_eq!(app.count(from_source).await, 1);

    // Two months and a day on, the period has passed since the grade was registered: a sync
    // leaves the grade where it is, for retention to export.
    let due_day = registered + chrono::Months::new(42) + chrono::Duration::days(1);
    crate::retention::set_day(&app, &due_day.to_string());
    let full = sync_once(&app, &source, m, SyncScope::Full).await;
    assert_eq!(counts_of(&full).school.grades, Default::default());
    assert_eq!(app.count(from_source).await, 1, "retention's to take");
    let report = crate::retention::run_today(&app).await;
    let (removed, exported) = crate::retention::counted(&report, "grades");
    assert!(removed >= 1 && exported == removed, "{report}");
    assert_eq!(app.count(from_source).await, 0, "exported and removed");

    // The register still lists it, and one registered five years ago comes to the source: the
    // portal takes in neither, and counts neither as a fault.
    let old = Uuid::new_v4();
    source.put(
        "grades",
        grade(old, today - chrono::Months::new(60), "HT", 2021),
    );
    for scope in [SyncScope::Incremental, SyncScope::Full] {
        let run = sync_once(&app, &source, m, scope).await;
        let counts = counts_of(&run);
        assert_eq!(counts.school.grades, Default::default(), "{counts:?}");
        assert_eq!(counts.school.grades_left_out, 0, "{counts:?}");
        assert_eq!(
            app.count(from_source).await,
            0,
            "neither back from the register nor ever the portal's"
        );
    }
}

/// The source's records on the guardian's register extract page: listed per child, folded,
/// and readable at 360 px (the record scrolls within its box, not the page).
#[tokio::test]
async fn the_extract_page_shows_what_the_source_sent() {
    use crate::ui::{browser, check_fits, password_login, step_up, wait_for_text};
    let (app, _source, _) = following_with_spa().await;

    app.turn_on_codes("anna").await;
    let browser = browser().await;
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    crate::ui::landed(&browser, &app).await;
    browser.goto(&app.url("/uppgifter")).await.unwrap();
    step_up(&browser, &app, "anna").await;
    let section = wait_for_text(
        &browser,
        "#extract-source-heading",
        "Uppgifter från verksamhetssystemet",
    )
    .await;
    assert!(!section.is_empty());
    let children = browser.text("main").await.unwrap();
    assert!(
        children
            .matches("Uppgifter från verksamhetssystemet")
            .count()
            >= 2,
        "her own and a child's"
    );
    browser
        .click(".extract__record summary")
        .await
        .expect("unfold a record");
    let record = wait_for_text(&browser, ".extract__source", "givenName").await;
    assert!(record.contains("\"civicNo\""), "{record}");
    // The screenshots show the section, not the top of the page.
    browser
        .cdp(
            "Runtime.evaluate",
            json!({"expression": "document.querySelector('.extract__record').scrollIntoView()"}),
        )
        .await
        .expect("scroll");
    check_fits(&browser, "register-extract-source").await;
    browser.close().await.unwrap();
}
