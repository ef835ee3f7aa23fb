//! Writing back to the source system (`ss12000::write_back`): a guardian's absence report and a
//! lesson's attendance go to the local SS 12000 source as jobs, enqueued with the rows; while the
//! source is down the jobs fail and wait (not parked), once it is up they arrive, each record
//! exactly once however often it is sent; and nothing is enqueued for a municipality that has no
//! source. The test clock stands at 10:00 on Tuesday 24 November 2026.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use skolportal_backend::settings::JobSettings;
use skolportal_tests::app::{child, TestOptions};
use skolportal_tests::ss12000_source::Ss12000Source;
use skolportal_tests::TestApp;
use uuid::Uuid;

use crate::attendance::{leo_and_lessons, roster_path};

const TODAY: &str = "2026-11-24";
const TOMORROW: &str = "2026-11-25";
/// The demo municipality's code.
const DEMO: &str = "9999";

async fn app_for(source: &Ss12000Source, municipality_code: &str) -> TestApp {
    TestApp::spawn_with(TestOptions {
        jobs: Some(JobSettings {
            enabled: false,
            ..JobSettings::default()
        }),
        ss12000: Some(source.settings_for(municipality_code)),
        ..Default::default()
    })
    .await
}

/// Runs the queue's rounds until one finds nothing due.
async fn run_jobs(app: &TestApp) {
    let runner = app.job_runner("instance-a");
    for _ in 0..50 {
        if runner.run_once().await.unwrap().claimed == 0 {
            return;
        }
    }
    panic!("the jobs did not settle");
}

/// The one text in the first column of `sql`'s row, with `$1` the id `about` if given.
async fn text_of(app: &TestApp, sql: &str, about: Option<&str>) -> String {
    let backend = app.db.get_database_backend();
    let values: Vec<sea_orm::Value> = about
        .map(|id| Uuid::parse_str(id).unwrap().into())
        .into_iter()
        .collect();
    let row = app
        .db
        .query_one(Statement::from_sql_and_values(
            backend,
            skolportal_backend::db::numbered_params(backend, sql),
            values,
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<String>(0).unwrap()
}

async fn source_id_of(app: &TestApp, person: &str) -> String {
    text_of(
        app,
        "SELECT external_id FROM person WHERE id = $1",
        Some(person),
    )
    .await
}

/// Anna reports Nils sick tomorrow, a whole day, sending the submit twice: Nils's id and the
/// report's.
async fn report_nils_sick_tomorrow(app: &TestApp) -> (String, String) {
    let anna = app.login("anna").await;
    let nils = child(app, "Nils").await;
    let submit = json!({
        "submission_id": Uuid::new_v4(),
        "child_ids": [nils],
        "absence": {"first_day": TOMORROW, "last_day": TOMORROW, "reason": "sick"},
    });
    let response = anna.post("/api/absence-reports", &submit).await;
    assert_eq!(response.status(), 201);
    let made: Value = response.json().await.unwrap();
    // The app sends the submit again (its answer was lost): the same report, and no second job.
    let again: Value = anna
        .post("/api/absence-reports", &submit)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again[0]["id"], made[0]["id"]);
    (nils, made[0]["id"].as_str().unwrap().to_owned())
}

/// The mentor takes attendance of 8A's first held lesson today with Leo unexcused absent; the
/// lesson and how many pupils its roster has.
async fn take_attendance_with_leo_away(app: &TestApp) -> (String, Value, usize) {
    let (leo, held, _) = leo_and_lessons(app).await;
    let larare = app.login("larare").await;
    let response = larare
        .put(
            &roster_path(&held, TODAY),
            &json!({ "marks": [{ "pupil_id": leo, "mark": "unexcused_absence" }] }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let roster: Value = response.json().await.unwrap();
    (leo, held, roster["pupils"].as_array().unwrap().len())
}

async fn write_back_jobs(app: &TestApp, condition: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM job WHERE kind IN ('absence_to_source', 'attendance_to_source') \
         AND {condition}"
    ))
    .await
}

fn minutes(hhmm: &Value) -> i64 {
    let (h, m) = hhmm.as_str().unwrap().split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

#[tokio::test]
async fn what_the_portal_records_reaches_a_source_that_was_down_exactly_once() {
    let source = Ss12000Source::start().await;
    source.set_down(true);
    let app = app_for(&source, DEMO).await;

    let (nils, report) = report_nils_sick_tomorrow(&app).await;
    let (leo, held, roster_size) = take_attendance_with_leo_away(&app).await;
    // One job per record, written with the rows (every pupil of the demo has a source id).
    assert_eq!(write_back_jobs(&app, "kind = 'absence_to_source'").await, 1);
    assert_eq!(
        write_back_jobs(&app, "kind = 'attendance_to_source'").await,
        roster_size as i64
    );

    // Down: every job is tried, nothing arrives, and each waits for its retry, not parked.
    run_jobs(&app).await;
    assert!(source.posts_to("absences") >= 1);
    assert!(source.posts_to("attendances") >= 1);
    assert!(source.absences().is_empty());
    assert!(source.attendances().is_empty());
    let total = 1 + roster_size as i64;
    assert_eq!(
        write_back_jobs(
            &app,
            "done_at IS NULL AND parked_at IS NULL AND attempts = 1 AND last_error LIKE '%503%'"
        )
        .await,
        total
    );
    let last_error = text_of(
        &app,
        "SELECT last_error FROM job WHERE kind = 'absence_to_source'",
        None,
    )
    .await;
    assert!(!last_error.contains("Nils"), "{last_error}");

    // Up, and past the backoff: everything arrives.
    source.set_down(false);
    app.advance(chrono::Duration::seconds(61));
    run_jobs(&app).await;
    assert_eq!(write_back_jobs(&app, "done_at IS NOT NULL").await, total);

    let absences = source.absences();
    assert_eq!(absences.len(), 1, "{absences:?}");
    let absence = &absences[0];
    assert_eq!(absence["student"]["id"], source_id_of(&app, &nils).await);
    let school = text_of(
        &app,
        "SELECT u.external_id FROM enrolment e JOIN unit u ON u.id = e.unit_id \
         WHERE e.pupil_id = $1",
        Some(&nils),
    )
    .await;
    assert_eq!(absence["organisation"]["id"], school);
    let anna = text_of(
        &app,
        "SELECT p.external_id FROM person p JOIN user_account a ON a.person_id = p.id \
         WHERE a.username = 'anna'",
        None,
    )
    .await;
    assert_eq!(absence["registeredBy"]["id"], anna);
    assert_eq!(absence["type"], "Anmäld frånvaro");
    assert_eq!(absence["startTime"], "2026-11-25T00:00:00+01:00");
    assert_eq!(absence["endTime"], "2026-11-25T23:59:59+01:00");

    let attendances = source.attendances();
    assert_eq!(attendances.len(), roster_size);
    let leo_source = source_id_of(&app, &leo).await;
    let of_leo: Vec<&Value> = attendances
        .iter()
        .filter(|a| a["student"]["id"] == leo_source)
        .collect();
    assert_eq!(of_leo.len(), 1, "{attendances:?}");
    let length = minutes(&held["ends_at"]) - minutes(&held["starts_at"]);
    assert_eq!(of_leo[0]["invalidAbsenceMinutes"], length);
    assert_eq!(of_leo[0]["attendanceMinutes"], 0);
    assert_eq!(of_leo[0]["isReported"], true);
    assert_eq!(of_leo[0]["reportedTimestamp"], "2026-11-24T10:00:00+01:00");
    let larare = text_of(
        &app,
        "SELECT p.external_id FROM person p JOIN user_account a ON a.person_id = p.id \
         WHERE a.username = 'larare'",
        None,
    )
    .await;
    assert_eq!(of_leo[0]["reporter"]["id"], larare);
    // The whole roster's lesson on its day is one calendar event.
    let event = &of_leo[0]["calendarEvent"]["id"];
    assert!(attendances
        .iter()
        .all(|a| &a["calendarEvent"]["id"] == event));
    let present = attendances
        .iter()
        .filter(|a| a["attendanceMinutes"] == length)
        .count();
    assert_eq!(present, roster_size - 1);

    // Running again sends nothing more.
    let posted = source.posts_to("absences");
    run_jobs(&app).await;
    assert_eq!(source.posts_to("absences"), posted);
    assert_eq!(source.absences().len(), 1);
    assert_eq!(source.attendances().len(), roster_size);

    // A second send of the same report (an attempt whose commit was lost) reaches the source
    // with the same id, and the source keeps one.
    let now = app.clock.now();
    skolportal_backend::jobs::enqueue(
        &app.db,
        &skolportal_backend::jobs::kinds::AbsenceToSource {
            report_id: report.parse().unwrap(),
        },
        now,
        now,
    )
    .await
    .unwrap();
    run_jobs(&app).await;
    assert_eq!(source.posts_to("absences"), posted + 1);
    assert_eq!(source.absences().len(), 1);

    // A later correction of a mark is the portal's: nothing new is enqueued for it.
    let before = write_back_jobs(&app, "1 = 1").await;
    let response = app
        .login("larare")
        .await
        .put(
            &roster_path(&held, TODAY),
            &json!({ "marks": [{ "pupil_id": leo, "mark": "valid_absence" }] }),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(write_back_jobs(&app, "1 = 1").await, before);
}

#[tokio::test]
async fn a_municipality_without_a_source_enqueues_nothing_to_write_back() {
    // This instance's source is another municipality's.
    let source = Ss12000Source::start().await;
    let app = app_for(&source, "0180").await;
    report_nils_sick_tomorrow(&app).await;
    take_attendance_with_leo_away(&app).await;
    assert_eq!(write_back_jobs(&app, "1 = 1").await, 0);
    run_jobs(&app).await;
    assert_eq!(source.posts_to("absences"), 0);
    assert_eq!(source.posts_to("attendances"), 0);

    // No source at all.
    let app = TestApp::spawn_with(TestOptions {
        jobs: Some(JobSettings {
            enabled: false,
            ..JobSettings::default()
        }),
        ..Default::default()
    })
    .await;
    report_nils_sick_tomorrow(&app).await;
    take_attendance_with_leo_away(&app).await;
    assert_eq!(write_back_jobs(&app, "1 = 1").await, 0);
}
