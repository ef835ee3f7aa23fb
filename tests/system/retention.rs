//! Retention (gallring), its first part: the periods are the municipality administrator's
//! setting with the Luleå plan's defaults, and the dry run counts what the next run would remove
//! and export, each kind at its time and not a day before, with the clock moved forward.

use serde_json::{json, Value};
use skolportal_tests::app::{child, TestOptions};
use skolportal_tests::TestApp;
use uuid::Uuid;

use crate::administration::administrator;

const PLAN: &str = "/api/admin/retention/plan";
const PERIODS: &str = "/api/admin/settings/retention";
const RUNS: &str = "/api/admin/retention/runs";

/// The dry run's count of `kind` to remove, and to export.
async fn planned(admin: &skolportal_tests::UserClient, kind: &str) -> (u64, u64) {
    let (status, plan) = admin.get_json(PLAN).await;
    assert_eq!(status, 200, "{plan}");
    let item = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("{kind} in {plan}"))
        .clone();
    (
        item["remove"].as_u64().unwrap(),
        item["export"].as_u64().unwrap(),
    )
}

/// Absence reports whose last day is `day`, counted in the database (the oracle the dry run is
/// held to).
async fn reports_ending(app: &TestApp, day: &str) -> u64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one(Statement::from_sql_and_values(
            backend,
            skolportal_backend::db::numbered_params(
                backend,
                "SELECT COUNT(*) FROM absence_report WHERE last_day = $1",
            ),
            [chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .unwrap()
                .into()],
        ))
        .await
        .unwrap()
        .unwrap();
    let count: i64 = row.try_get_by_index(0).unwrap();
    count as u64
}

/// Moves the portal's clock to 10:00 on `day`.
pub(crate) fn set_day(app: &TestApp, day: &str) {
    let at = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        .and_utc();
    app.advance(at - app.clock.now());
}

#[tokio::test]
async fn the_dry_run_counts_each_kind_at_its_time_and_the_periods_are_the_administrators() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    let admin = administrator(&app).await;
    let (_, view) = admin.get_json("/api/admin/settings").await;
    assert_eq!(
        view["retention"],
        json!({"absence_months": 36, "talk_material_months": 18, "grading_months": 42,
               "inactive_grace_days": 90, "access_log_months": 24})
    );

    // A sick day on Friday 27 November 2026.
    let anna = app.login("anna").await;
    let nils = child(&app, "Nils").await;
    let submit = json!({
        "submission_id": Uuid::new_v4(),
        "child_ids": [nils],
        "absence": {"first_day": "2026-11-27", "last_day": "2026-11-27", "reason": "sick"},
    });
    assert_eq!(
        anna.post("/api/absence-reports", &submit).await.status(),
        201
    );
    let that_day = reports_ending(&app, "2026-11-27").await;
    assert!(that_day >= 1);

    // Kept three whole years: on 27 November 2029 it stays, on the 28th it is due.
    set_day(&app, "2029-11-27");
    let admin = administrator(&app).await;
    let (kept, _) = planned(&admin, "absence_reports").await;
    set_day(&app, "2029-11-28");
    let admin = administrator(&app).await;
    let (due, exported) = planned(&admin, "absence_reports").await;
    assert_eq!(due, kept + that_day, "the day after three years");
    assert_eq!(exported, 0, "absence reports are not preserved");
    // Grades are exported before they go; nothing is due of them a year in.
    let (grades, grades_exported) = planned(&admin, "grades").await;
    assert_eq!(grades, grades_exported);

    // A period outside what it can mean is refused and nothing is stored.
    let mut periods = view["retention"].clone();
    periods["absence_months"] = json!(6);
    let response = admin.put(PERIODS, &periods).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "setting_invalid");
    assert!(
        body["message"].as_str().unwrap().contains("absence_months"),
        "{body}"
    );
    let (_, after) = admin.get_json("/api/admin/settings").await;
    assert_eq!(after["retention"], view["retention"]);

    // Two years instead: the report is due the day after two years, and the change is logged.
    periods["absence_months"] = json!(24);
    assert_eq!(admin.put(PERIODS, &periods).await.status(), 204);
    set_day(&app, "2028-11-27");
    let admin = administrator(&app).await;
    let (kept, _) = planned(&admin, "absence_reports").await;
    set_day(&app, "2028-11-28");
    let admin = administrator(&app).await;
    let (due, _) = planned(&admin, "absence_reports").await;
    assert_eq!(due, kept + that_day);
    let (_, history) = admin.get_json("/api/admin/settings/history").await;
    assert_eq!(history[0]["setting"], "retention", "{history}");

    // Only the administrator, with BankID.
    let officer = app.login("handlaggare").await;
    assert_eq!(officer.get_json(PLAN).await.0, 404);
    assert_eq!(officer.put(PERIODS, &periods).await.status(), 404);
    let weak = app.login("admin").await;
    assert_eq!(weak.get_json(PLAN).await.0, 403);
}

/// Runs today's retention as the administrator starts it, driving the job runner until the run
/// is finished; returns its report.
pub(crate) async fn run_today(app: &TestApp) -> Value {
    let admin = administrator(app).await;
    let response = admin.post(RUNS, &json!({})).await;
    assert_eq!(response.status(), 202);
    let runner = app.job_runner("retention");
    for _ in 0..500 {
        runner.run_once().await.unwrap();
        let (status, runs) = admin.get_json(RUNS).await;
        assert_eq!(status, 200, "{runs}");
        let latest = runs["runs"][0].clone();
        if !latest["finished_at"].is_null() {
            return latest;
        }
    }
    panic!("the run did not finish");
}

/// What a run's report says of `kind`: (removed, exported).
pub(crate) fn counted(report: &Value, kind: &str) -> (u64, u64) {
    let count = report["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind)
        .unwrap_or_else(|| panic!("{kind} in {report}"));
    (
        count["removed"].as_u64().unwrap(),
        count["exported"].as_u64().unwrap(),
    )
}

/// An element of an XML document: its name, attributes and the text directly in it.
#[derive(Debug, Clone)]
struct Element {
    name: String,
    attributes: std::collections::BTreeMap<String, String>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attributes
            .get(name)
            .unwrap_or_else(|| panic!("{name} on {self:?}"))
    }
}

/// Every element of `xml`, in document order; panics on anything that is not well-formed.
fn elements(xml: &str) -> Vec<Element> {
    use quick_xml::events::{BytesStart, Event};
    fn element(e: &BytesStart) -> Element {
        Element {
            name: String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
            attributes: e
                .attributes()
                .map(|a| {
                    let a = a.expect("an attribute");
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().expect("an attribute value").into_owned(),
                    )
                })
                .collect(),
            text: String::new(),
        }
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                out.push(element(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(element(&e)),
            Event::End(_) => {
                open.pop().expect("an end tag that was opened");
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].text.push_str(&t.unescape().expect("text"));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "every element is closed");
    out
}

/// A run's archive package read back: every file of the tar by its path inside the package,
/// checked against `sip.xml`'s size and SHA-256, every content file listed there and parsed.
/// Returns the content files' elements by path.
async fn read_package(
    admin: &skolportal_tests::UserClient,
    run: &str,
) -> std::collections::BTreeMap<String, Vec<Element>> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let response = admin.get(&format!("{RUNS}/{run}/package")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/x-tar"
    );
    let bytes = response.bytes().await.unwrap();
    let mut archive = tar::Archive::new(bytes.as_ref());
    let mut files = std::collections::BTreeMap::new();
    let mut root = None;
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let (top, inside) = path.split_once('/').expect("under the package's folder");
        assert_eq!(*root.get_or_insert(top.to_owned()), top, "one folder");
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        files.insert(inside.to_owned(), content);
    }
    let sip = String::from_utf8(files.remove("sip.xml").expect("sip.xml")).unwrap();
    let mets = elements(&sip);
    assert_eq!(mets[0].name, "mets:mets");
    assert_eq!(
        mets[0].attr("PROFILE"),
        "http://xml.ra.se/e-arkiv/METS/CommonSpecificationSwedenPackageProfile.xml"
    );
    assert_eq!(mets[0].attr("OBJID"), format!("UUID:{}", root.unwrap()));
    let archivist = mets
        .iter()
        .position(|e| e.name == "mets:agent" && e.attr("ROLE") == "ARCHIVIST")
        .expect("the archivist");
    assert_eq!(mets[archivist + 1].text, "Solviks kommun");
    let listed: Vec<&Element> = mets.iter().filter(|e| e.name == "mets:file").collect();
    let locations: Vec<&Element> = mets.iter().filter(|e| e.name == "mets:FLocat").collect();
    assert_eq!(listed.len(), locations.len());
    assert_eq!(listed.len(), files.len(), "sip.xml lists every file");
    let pointers = mets.iter().filter(|e| e.name == "mets:fptr").count();
    assert_eq!(pointers, files.len(), "the structure map points at each");
    let mut out = std::collections::BTreeMap::new();
    for (file, location) in listed.iter().zip(locations) {
        let path = location
            .attr("xlink:href")
            .strip_prefix("file:///")
            .unwrap()
            .to_owned();
        let content = files
            .get(&path)
            .unwrap_or_else(|| panic!("{path} in the tar"));
        assert_eq!(file.attr("SIZE"), content.len().to_string());
        assert_eq!(file.attr("CHECKSUMTYPE"), "SHA-256");
        assert_eq!(
            file.attr("CHECKSUM"),
            format!("{:x}", Sha256::digest(content))
        );
        let parsed = elements(std::str::from_utf8(content).unwrap());
        assert_eq!(parsed[0].attr("xmlns"), "urn:skolportal:archive:1");
        assert_eq!(parsed[0].attr("municipality"), "9999");
        out.insert(path, parsed);
    }
    out
}

fn day(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Rows of `table` whose `column` is `id`.
async fn rows_of(app: &TestApp, table: &str, column: &str, id: Uuid) -> i64 {
    crate::administration::one::<i64>(
        app,
        &format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"),
        id,
    )
    .await
}

/// Whether a statement is refused by the database (the append-only triggers).
async fn refused(app: &TestApp, sql: &str) -> bool {
    use sea_orm::{ConnectionTrait, Statement};
    app.db
        .execute(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .is_err()
}

const STATISTICS: &str = "/api/admin/statistics/attendance";

#[tokio::test]
async fn a_run_removes_each_kind_at_its_time_keeps_the_statistics_and_archives_what_is_preserved() {
    use skolportal_backend::settings::JobSettings;
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        demo_schedules: true,
        jobs: Some(JobSettings {
            enabled: false,
            retention_batch_size: 4,
            ..JobSettings::default()
        }),
        ..Default::default()
    })
    .await;

    // On Tuesday 24 November 2026: Leo's talk material and an IUP goal, his grade, a lesson's
    // attendance, Nils's sick day on Friday, Ella's pick-up person; Ella's place ends on 30
    // November and Leo leaves school on 15 June 2027.
    let leo = crate::talks::leo(&app).await;
    for guardian in &leo.guardians {
        crate::talks::consent(guardian, &leo.id, "given").await;
    }
    crate::talks::write(&leo.mentor, &leo.id, "Läser mycket & gärna", true).await;
    let goal = json!({
        "activity": "mathematics", "goal": "Lösa ekvationer <snabbt>",
        "measures": "Extra genomgång", "agreements": "Läxa varje vecka",
    });
    let goals = format!("/api/pupils/{}/development-plan/goals", leo.id);
    assert!(leo.mentor.post(&goals, &goal).await.status().is_success());
    let (class, subject, teacher) = crate::grades::class_and_teacher(&app, "Leo", "Sjöberg").await;
    let grade = json!({"activity": subject, "grades": [{"pupil_id": leo.id, "value": "c"}]});
    let response = teacher
        .put(&format!("/api/groups/{class}/grades"), &grade)
        .await;
    assert_eq!(response.status(), 200);
    let (_, held, _) = crate::attendance::leo_and_lessons(&app).await;
    let marks = json!({"marks": [{"pupil_id": leo.id, "mark": "late", "late_minutes": 5}]});
    let response = leo
        .mentor
        .put(&crate::attendance::roster_path(&held, "2026-11-24"), &marks)
        .await;
    assert_eq!(response.status(), 200);
    let anna = app.login("anna").await;
    let nils = child(&app, "Nils").await;
    let sick = json!({
        "submission_id": Uuid::new_v4(), "child_ids": [nils],
        "absence": {"first_day": "2026-11-27", "last_day": "2026-11-27", "reason": "sick"},
    });
    assert_eq!(anna.post("/api/absence-reports", &sick).await.status(), 201);
    let ella: Uuid = child(&app, "Ella").await.parse().unwrap();
    let pickup = json!({"name": "Birgit Lindqvist", "phone": "070-123 45 67"});
    let response = anna
        .post(
            &format!("/api/childcare/children/{ella}/pickup-persons"),
            &pickup,
        )
        .await;
    assert_eq!(response.status(), 201);
    app.execute(
        "UPDATE placement SET end_date = $1 WHERE child_id = $2",
        [day("2026-11-30").into(), ella.into()],
    )
    .await;
    let leo_id: Uuid = leo.id.parse().unwrap();
    app.execute(
        "UPDATE enrolment SET end_date = $1 WHERE pupil_id = $2",
        [day("2027-06-15").into(), leo_id.into()],
    )
    .await;

    let grades = app.count("SELECT COUNT(*) FROM grade").await;
    let talk = app.count("SELECT COUNT(*) FROM talk_part").await
        + app.count("SELECT COUNT(*) FROM iup_goal").await
        + app.count("SELECT COUNT(*) FROM iup_assessment").await;
    let marks = app.count("SELECT COUNT(*) FROM attendance_mark").await;
    let reports = app.count("SELECT COUNT(*) FROM absence_report").await;
    let ellas_days = rows_of(&app, "schedule_day", "child_id", ella).await;
    let others_days = app.count("SELECT COUNT(*) FROM schedule_day").await - ellas_days;
    let logged_that_day = app.count("SELECT COUNT(*) FROM access_log").await;
    assert_eq!((grades, talk.min(2)), (1, 2));
    assert!(marks >= 5 && reports >= 1 && ellas_days > 0 && others_days > 0);
    assert_eq!(rows_of(&app, "pickup_person", "child_id", ella).await, 1);
    assert!(logged_that_day > 0);
    assert_eq!(rows_of(&app, "user_account", "person_id", leo_id).await, 1);

    let admin = administrator(&app).await;
    let (status, statistics) = admin.get_json(STATISTICS).await;
    assert_eq!(status, 200, "{statistics}");
    let measures: Vec<&str> = statistics["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["measure"].as_str().unwrap())
        .collect();
    for measure in [
        "lessons_present",
        "lessons_late",
        "absence_reports",
        "absence_report_days",
    ] {
        assert!(measures.contains(&measure), "{measure} in {statistics}");
    }

    // Each run on the day before a kind is due removes none of it; the run on the day removes
    // all of it. A run that removes nothing has nothing to deliver to the archive.
    let none = |report: &Value| {
        for kind in [
            "grades",
            "talk_material",
            "attendance",
            "absence_reports",
            "schedules",
            "pickup_persons",
            "access_log",
        ] {
            assert_eq!(counted(report, kind), (0, 0), "{kind}: {report}");
        }
    };
    set_day(&app, "2027-02-28");
    let report = run_today(&app).await;
    none(&report);
    assert_eq!(report["archive_files"], 0);
    let admin = administrator(&app).await;
    let id = report["id"].as_str().unwrap();
    assert_eq!(
        admin.get(&format!("{RUNS}/{id}/package")).await.status(),
        404
    );

    // Ninety days after Ella's place ended: her schedule and pick-up person, no one else's.
    set_day(&app, "2027-03-01");
    let report = run_today(&app).await;
    assert_eq!(counted(&report, "schedules"), (ellas_days as u64, 0));
    assert_eq!(counted(&report, "pickup_persons"), (1, 0));
    assert_eq!(rows_of(&app, "schedule_day", "child_id", ella).await, 0);
    assert_eq!(rows_of(&app, "pickup_person", "child_id", ella).await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM schedule_day").await,
        others_days
    );

    // Ninety days after Leo left school, his login account, unused since; not a day before.
    set_day(&app, "2027-09-13");
    run_today(&app).await;
    assert_eq!(rows_of(&app, "user_account", "person_id", leo_id).await, 1);
    set_day(&app, "2027-09-14");
    let report = run_today(&app).await;
    assert!(counted(&report, "accounts").0 >= 1, "{report}");
    assert_eq!(rows_of(&app, "user_account", "person_id", leo_id).await, 0);

    // Two years after the access, the day's log lines go, through the one delete the table
    // allows; nothing else can delete or change the log, or its releases.
    set_day(&app, "2028-11-24");
    assert_eq!(counted(&run_today(&app).await, "access_log"), (0, 0));
    set_day(&app, "2028-11-25");
    let logged_before = app.count("SELECT COUNT(*) FROM access_log").await;
    let report = run_today(&app).await;
    assert_eq!(counted(&report, "access_log"), (logged_that_day as u64, 0));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log").await,
        logged_before - logged_that_day
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM retention_release").await, 1);
    // A line of today, which the release does not cover and no statement can delete.
    let municipality: Uuid = skolportal_tests::app::uuid_of(&app, "SELECT id FROM municipality")
        .await
        .parse()
        .unwrap();
    app.execute(
        "INSERT INTO access_log (id, municipality_id, occurred_at, actor_pseudonym, \
         subject_pseudonym, action) VALUES ($1, $2, $3, $4, $5, $6)",
        [
            Uuid::new_v4().into(),
            municipality.into(),
            app.clock.now().into(),
            Uuid::new_v4().into(),
            Uuid::new_v4().into(),
            "change_settings".into(),
        ],
    )
    .await;
    assert!(refused(&app, "DELETE FROM access_log").await);
    assert!(refused(&app, "UPDATE access_log SET session_id = NULL").await);
    assert!(refused(&app, "DELETE FROM retention_release").await);
    assert!(refused(&app, "UPDATE retention_release SET table_name = 'x'").await);

    // A year and a half after Leo left school: his talk material and plan, exported first.
    set_day(&app, "2028-12-15");
    assert_eq!(counted(&run_today(&app).await, "talk_material"), (0, 0));
    set_day(&app, "2028-12-16");
    let report = run_today(&app).await;
    assert_eq!(
        counted(&report, "talk_material"),
        (talk as u64, talk as u64)
    );
    assert_eq!(report["archive_sealed"], true);
    assert_eq!(app.count("SELECT COUNT(*) FROM talk_part").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM iup_goal").await, 0);
    let admin = administrator(&app).await;
    let package = read_package(&admin, report["id"].as_str().unwrap()).await;
    let leos_pnr = app.personnummer_of("Leo", "Sjöberg").await;
    let content = &package["content/talk_material/000001.xml"];
    assert_eq!(content[0].name, "talk_material");
    assert_eq!(package.len(), 1);
    let pupil = content.iter().find(|e| e.name == "pupil").unwrap();
    assert_eq!(pupil.attr("personnummer"), leos_pnr);
    let going_well = content.iter().find(|e| e.name == "going_well").unwrap();
    assert_eq!(going_well.text, "Läser mycket & gärna");
    let goal = content.iter().find(|e| e.name == "goal").unwrap();
    assert_eq!(goal.text, "Lösa ekvationer <snabbt>");

    // Three years after the lesson, its attendance; the statistics stay as they were.
    set_day(&app, "2029-11-24");
    assert_eq!(counted(&run_today(&app).await, "attendance"), (0, 0));
    set_day(&app, "2029-11-25");
    let report = run_today(&app).await;
    assert_eq!(counted(&report, "attendance"), (marks as u64, 0));
    assert_eq!(counted(&report, "absence_reports"), (0, 0));
    assert_eq!(app.count("SELECT COUNT(*) FROM attendance_mark").await, 0);
    let admin = administrator(&app).await;
    assert_eq!(admin.get_json(STATISTICS).await.1, statistics);

    // Three years after Nils's sick day, the report.
    set_day(&app, "2029-11-27");
    assert_eq!(counted(&run_today(&app).await, "absence_reports"), (0, 0));
    set_day(&app, "2029-11-28");
    let report = run_today(&app).await;
    assert_eq!(counted(&report, "absence_reports"), (reports as u64, 0));
    assert_eq!(app.count("SELECT COUNT(*) FROM absence_report").await, 0);
    let admin = administrator(&app).await;
    assert_eq!(admin.get_json(STATISTICS).await.1, statistics);
    assert!(app.count("SELECT COUNT(*) FROM attendance_statistic").await > 0);

    // Three and a half years after it was set, the grade: exported, then removed.
    set_day(&app, "2030-05-24");
    assert_eq!(counted(&run_today(&app).await, "grades"), (0, 0));
    set_day(&app, "2030-05-25");
    let report = run_today(&app).await;
    assert_eq!(counted(&report, "grades"), (1, 1));
    assert_eq!(app.count("SELECT COUNT(*) FROM grade").await, 0);
    let admin = administrator(&app).await;
    let package = read_package(&admin, report["id"].as_str().unwrap()).await;
    let content = &package["content/grades/000001.xml"];
    let grade = content.iter().find(|e| e.name == "grade").unwrap();
    assert_eq!(
        (grade.attr("subject"), grade.attr("value")),
        (subject.as_str(), "c")
    );
    let pupil = content.iter().find(|e| e.name == "pupil").unwrap();
    assert_eq!(pupil.attr("personnummer"), leos_pnr);

    // The reports count, and never name.
    let (_, runs) = admin.get_json(RUNS).await;
    assert_eq!(runs["runs"].as_array().unwrap().len(), 14);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM user_account WHERE username IN ('anna', 'larare', 'admin')"
        )
        .await,
        3,
        "accounts in use stay"
    );
    let text = runs.to_string();
    assert!(
        !text.contains("Sjöberg") && !text.contains(&leos_pnr),
        "{text}"
    );
    assert_eq!(admin.get_json(STATISTICS).await.1, statistics);
}

/// A portal with BankID whose job runners are the test's own (none runs in the background),
/// with `jobs` as their settings.
async fn app_whose_jobs_the_test_runs(jobs: skolportal_backend::settings::JobSettings) -> TestApp {
    TestApp::spawn_with(TestOptions {
        bankid: true,
        jobs: Some(skolportal_backend::settings::JobSettings {
            enabled: false,
            ..jobs
        }),
        ..Default::default()
    })
    .await
}

/// Leo's class's teacher grades every graded pupil of the class B in her subject, today.
async fn grade_leos_class(app: &TestApp) {
    let (class, subject, teacher) = crate::grades::class_and_teacher(app, "Leo", "Sjöberg").await;
    let sheet_path = format!("/api/groups/{class}/grades");
    let (_, sheet) = teacher.get_json(&sheet_path).await;
    let pupils: Vec<Value> = sheet["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["graded"] == true)
        .map(|p| json!({"pupil_id": p["pupil_id"], "value": "b"}))
        .collect();
    let body = json!({"activity": subject, "grades": pupils});
    assert_eq!(teacher.put(&sheet_path, &body).await.status(), 200);
}

#[tokio::test]
async fn a_run_killed_half_way_removes_everything_once_and_exports_nothing_twice() {
    use skolportal_backend::settings::JobSettings;
    let app = app_whose_jobs_the_test_runs(JobSettings {
        retention_batch_size: 2,
        lease_seconds: 300,
        ..JobSettings::default()
    })
    .await;
    // The class's grades in one subject.
    grade_leos_class(&app).await;
    let grades = app.count("SELECT COUNT(*) FROM grade").await;
    assert!(grades >= 6, "{grades} grades");

    set_day(&app, "2030-05-25");
    let admin = administrator(&app).await;
    assert_eq!(admin.post(RUNS, &json!({})).await.status(), 202);
    // The first step dies for certain half way: another transaction holds the lock its first
    // write needs (on PostgreSQL the archive's, after the step has read its batch; SQLite has one
    // lock for the file), and the process is killed while it waits.
    {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let dying = app.job_runner("dying");
        let claimed = dying.claim().await.unwrap();
        assert_eq!(claimed.len(), 1);
        let job = claimed.into_iter().next().unwrap();
        let blocker = app.db.begin().await.unwrap();
        blocker
            .execute_unprepared(match app.backend {
                skolportal_tests::app::Backend::Postgres => {
                    "LOCK TABLE archive_package IN EXCLUSIVE MODE"
                }
                skolportal_tests::app::Backend::Sqlite => "UPDATE municipality SET name = name",
            })
            .await
            .unwrap();
        let task = tokio::spawn(async move { dying.run(job).await });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!task.is_finished(), "the step waits for the lock");
        task.abort();
        let _ = task.await;
        blocker.rollback().await.unwrap();
        app.advance(chrono::Duration::seconds(301));
    }
    // Then steps killed at different points, each taken over after its lease.
    for attempt in 0..12u64 {
        let dying = app.job_runner(&format!("dying-{attempt}"));
        let claimed = dying.claim().await.unwrap();
        for job in claimed {
            let runner = app.job_runner(&format!("dying-{attempt}"));
            let task = tokio::spawn(async move { runner.run(job).await });
            tokio::time::sleep(std::time::Duration::from_millis(attempt * 4)).await;
            task.abort();
            let _ = task.await;
        }
        app.advance(chrono::Duration::seconds(301));
    }
    assert!(
        app.count("SELECT CAST(MAX(attempts) AS BIGINT) FROM job WHERE kind = 'retention_step'")
            .await
            > 1,
        "a step was killed and taken over"
    );
    let report = run_today(&app).await;
    assert_eq!(report["run_on"], "2030-05-25");
    assert_eq!(counted(&report, "grades"), (grades as u64, grades as u64));
    assert_eq!(app.count("SELECT COUNT(*) FROM grade").await, 0);

    // Every grade once in the package, in files of at most a batch each.
    let admin = administrator(&app).await;
    let package = read_package(&admin, report["id"].as_str().unwrap()).await;
    let mut ids = Vec::new();
    for (path, content) in &package {
        assert!(path.starts_with("content/grades/"), "{path}");
        let in_file: Vec<&str> = content
            .iter()
            .filter(|e| e.name == "grade")
            .map(|e| e.attr("id"))
            .collect();
        assert!(!in_file.is_empty() && in_file.len() <= 2, "{path}");
        ids.extend(in_file.into_iter().map(str::to_owned));
    }
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), grades as usize, "exported once each");
    assert_eq!(distinct.len(), ids.len());
}

/// The administrator's retention page in Chromium at 360 px and desktop, with axe-core and a
/// focus walk: the periods refuse what they cannot be and say why, the dry run counts Nils's
/// sick day three years on, and a run started after the question removes it and reports it.
/// The SHA-256 of the `sip.xml` in the run's package as downloaded: what the city archive
/// computes and quotes on its receipt.
async fn sip_checksum_of_download(admin: &skolportal_tests::UserClient, run: &str) -> String {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let response = admin.get(&format!("{RUNS}/{run}/package")).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut archive = tar::Archive::new(bytes.as_ref());
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().ends_with("sip.xml") {
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            return format!("{:x}", Sha256::digest(&content));
        }
    }
    panic!("no sip.xml in the package");
}

/// Once the city archive's receipt quotes the package's checksum, the administrator confirms
/// the delivery: the files with the pupils' grades leave the portal, and the run's report keeps
/// that they went, when, and how many. A checksum that is not the package's changes nothing.
#[tokio::test]
async fn a_package_the_archive_received_leaves_the_portal_when_the_receipt_matches() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    grade_leos_class(&app).await;

    set_day(&app, "2030-05-25");
    let report = run_today(&app).await;
    let run = report["id"].as_str().unwrap().to_owned();
    let (removed, exported) = counted(&report, "grades");
    assert!(removed > 0 && exported == removed, "{report}");
    let files = report["archive_files"].as_u64().unwrap();
    assert!(files >= 2, "{report}");
    assert!(report["archive_delivered_at"].is_null(), "{report}");
    let admin = administrator(&app).await;
    let sip = sip_checksum_of_download(&admin, &run).await;
    assert_eq!(report["archive_sip_sha256"], json!(sip), "{report}");
    let stored = "SELECT COUNT(*) FROM archive_file";
    assert_eq!(app.count(stored).await as u64, files);
    let delivery = format!("{RUNS}/{run}/package/delivery");

    // Not the package's checksum, or not a checksum: refused, said why, and nothing changes.
    let mut other = sip.clone().into_bytes();
    other[0] = if other[0] == b'0' { b'1' } else { b'0' };
    let other = String::from_utf8(other).unwrap();
    for (wrong, code) in [
        (other.as_str(), "archive_checksum_mismatch"),
        ("kvittens nr 12", "archive_checksum_malformed"),
        ("", "archive_checksum_malformed"),
    ] {
        let response = admin.post(&delivery, &json!({ "sip_sha256": wrong })).await;
        assert_eq!(response.status(), 422, "{wrong}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], code, "{body}");
    }
    assert_eq!(app.count(stored).await as u64, files);
    assert_eq!(sip_checksum_of_download(&admin, &run).await, sip);
    // Only the administrator confirms; an unknown run is not found.
    let officer = app.login("handlaggare").await;
    let right = json!({ "sip_sha256": sip });
    assert_eq!(officer.post(&delivery, &right).await.status(), 404);
    let unknown = format!("{RUNS}/{}/package/delivery", Uuid::new_v4());
    assert_eq!(admin.post(&unknown, &right).await.status(), 404);
    assert_eq!(app.count(stored).await as u64, files);

    // The receipt's checksum as it was printed: upper case, in groups.
    let printed = sip
        .to_uppercase()
        .as_bytes()
        .chunks(8)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    let response = admin
        .post(&delivery, &json!({ "sip_sha256": printed }))
        .await;
    assert_eq!(response.status(), 200);
    let runs: Value = response.json().await.unwrap();
    let delivered = &runs["runs"][0];
    assert!(delivered["archive_delivered_at"].is_string(), "{runs}");
    assert_eq!(delivered["archive_files"].as_u64(), Some(files));
    assert_eq!(delivered["archive_sip_sha256"], json!(sip));
    assert_eq!(delivered["counts"], report["counts"]);
    assert_eq!(app.count(stored).await, 0, "the files left the portal");

    // Delivered once: no second delivery, and nothing left to download.
    let again = admin.post(&delivery, &right).await;
    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"], "archive_delivered");
    let download = admin.get(&format!("{RUNS}/{run}/package")).await;
    assert_eq!(download.status(), 409);
    let (_, after) = admin.get_json(RUNS).await;
    assert_eq!(after["runs"][0], *delivered);
}

/// The night's tick, the administrator and another instance may start one day's run at the
/// same moment: every start answers with that one run, which has one first step.
#[tokio::test]
async fn starts_of_one_day_at_the_same_moment_make_one_run() {
    use skolportal_backend::retention::{start, Starter};
    use skolportal_backend::settings::JobSettings;
    let app = app_whose_jobs_the_test_runs(JobSettings::default()).await;
    set_day(&app, "2030-05-25");
    let admin = administrator(&app).await;
    let municipality = {
        use sea_orm::EntityTrait;
        skolportal_backend::entity::municipality::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let body = json!({});
    let (a, b, c, d, tick, other_tick) = tokio::join!(
        admin.post(RUNS, &body),
        admin.post(RUNS, &body),
        admin.post(RUNS, &body),
        admin.post(RUNS, &body),
        start(
            &app.db,
            municipality,
            Starter::Schedule,
            app.clock.today(),
            app.clock.now()
        ),
        start(
            &app.db,
            municipality,
            Starter::Schedule,
            app.clock.today(),
            app.clock.now()
        ),
    );
    let mut answered = Vec::new();
    for response in [a, b, c, d] {
        assert_eq!(response.status(), 202);
        let runs: Value = response.json().await.unwrap();
        assert_eq!(runs["runs"].as_array().unwrap().len(), 1, "{runs}");
        answered.push(runs["runs"][0]["id"].as_str().unwrap().to_owned());
    }
    for started in [tick, other_tick] {
        answered.push(started.unwrap().to_string());
    }
    answered.dedup();
    assert_eq!(answered.len(), 1, "{answered:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM retention_run").await, 1);
    let steps = "SELECT COUNT(*) FROM job WHERE kind = 'retention_step'";
    assert_eq!(app.count(steps).await, 1);
}

#[tokio::test]
async fn the_administrator_reads_the_dry_run_and_starts_a_run_on_her_page() {
    use crate::ui::{check_fits, wait_for_text};
    let app = crate::ui::app_with_spa(true).await;
    let anna = app.login("anna").await;
    let nils = child(&app, "Nils").await;
    let sick = json!({
        "submission_id": Uuid::new_v4(), "child_ids": [nils],
        "absence": {"first_day": "2026-11-27", "last_day": "2026-11-27", "reason": "sick"},
    });
    assert_eq!(anna.post("/api/absence-reports", &sick).await.status(), 201);
    let reports = app.count("SELECT COUNT(*) FROM absence_report").await;

    set_day(&app, "2029-11-28");
    let pnr = app.personnummer_of("Agneta", "Sundin").await;
    let browser = crate::grades_ui::bankid_in_browser(&app, &pnr).await;
    wait_for_text(&browser, "#settings-rules-heading", "Regler").await;
    browser
        .click("a[href='/administration/gallring']")
        .await
        .unwrap();
    let plan = wait_for_text(&browser, "table.retention-plan", "Frånvaroanmälningar").await;
    assert!(
        plan.contains("28 november 2026") || plan.contains("2026-11-28"),
        "{plan}"
    );
    check_fits(&browser, "retention").await;
    let walk = browser.focus_walk(None, 40).await.unwrap();
    assert!(walk.visited > 8, "only {} controls reached", walk.visited);
    assert!(walk.problems.is_empty(), "{:?}", walk.problems);

    // Six months is not a period absence can be kept for: said at the field, nothing saved.
    browser
        .fill("#retention-absence_months", "6")
        .await
        .unwrap();
    browser
        .click("#retention-periods-heading ~ form button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "main", "Skriv ett heltal från 12 till 120.").await;
    check_fits(&browser, "retention-invalid").await;
    let admin = administrator(&app).await;
    let (_, settings) = admin.get_json("/api/admin/settings").await;
    assert_eq!(settings["retention"]["absence_months"], 36);

    // Starting asks first, then the run goes in the background and its report shows.
    browser.click("#retention-start").await.unwrap();
    wait_for_text(&browser, "main", "Starta gallringen?").await;
    check_fits(&browser, "retention-confirm").await;
    browser.click("#retention-confirm-start").await.unwrap();
    wait_for_text(&browser, "#retention-status", "Gallringen är startad").await;
    let mut report = String::new();
    for _ in 0..30 {
        browser
            .goto(&app.url("/administration/gallring"))
            .await
            .unwrap();
        report = wait_for_text(&browser, "main", "Körningar").await;
        if report.contains("Klar") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let runs = browser.text("table.retention-runs").await.unwrap();
    assert!(runs.contains("Klar"), "{report}");
    assert!(
        runs.contains(&format!("Frånvaroanmälningar: {reports} borttagna")),
        "{runs}"
    );
    assert!(runs.contains("Administratören"), "{runs}");
    assert_eq!(app.count("SELECT COUNT(*) FROM absence_report").await, 0);
    check_fits(&browser, "retention-done").await;
}

/// The administrator delivers a package on her page: the checksum to compare is shown, a
/// receipt's checksum that is not the package's is refused where she typed it, and the right
/// one, as the receipt prints it, takes the files out of the portal.
#[tokio::test]
async fn the_administrator_confirms_the_archives_receipt_on_her_page() {
    use crate::ui::{check_fits, wait_for_text};
    let app = crate::ui::app_with_spa(true).await;
    grade_leos_class(&app).await;
    set_day(&app, "2030-05-25");
    let report = run_today(&app).await;
    let run = report["id"].as_str().unwrap().to_owned();
    let sip = report["archive_sip_sha256"].as_str().unwrap().to_owned();

    let pnr = app.personnummer_of("Agneta", "Sundin").await;
    let browser = crate::grades_ui::bankid_in_browser(&app, &pnr).await;
    wait_for_text(&browser, "#settings-rules-heading", "Regler").await;
    browser
        .goto(&app.url("/administration/gallring"))
        .await
        .unwrap();
    let section = wait_for_text(&browser, "main", "Leverans till arkivet").await;
    assert!(section.contains(&sip), "the checksum to compare: {section}");
    check_fits(&browser, "retention-delivery").await;
    let walk = browser.focus_walk(None, 60).await.unwrap();
    assert!(walk.problems.is_empty(), "{:?}", walk.problems);

    let field = format!("#retention-receipt-{run}");
    // Not a checksum: said at the field, nothing sent.
    browser.fill(&field, "kvittens 12").await.unwrap();
    browser
        .click(".retention-delivery button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "main", "Skriv kontrollsumman som 64 tecken").await;
    // Another package's checksum: the server refuses it and nothing changes.
    let other: String = sip
        .chars()
        .map(|c| {
            if c == 'a' {
                'b'
            } else if c == 'b' {
                'a'
            } else {
                c
            }
        })
        .collect();
    let other = if other == sip { "0".repeat(64) } else { other };
    browser.fill(&field, &other).await.unwrap();
    browser
        .click(".retention-delivery button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "main", "Kontrollsumman stämmer inte med paketets").await;
    show(&browser, ".retention-delivery").await;
    check_fits(&browser, "retention-delivery-mismatch").await;
    assert!(app.count("SELECT COUNT(*) FROM archive_file").await > 0);

    // The receipt's, in capitals and groups of eight.
    let printed = sip
        .to_uppercase()
        .as_bytes()
        .chunks(8)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    browser.fill(&field, &printed).await.unwrap();
    browser
        .click(".retention-delivery button[type=submit]")
        .await
        .unwrap();
    wait_for_text(
        &browser,
        "#retention-status",
        "Paketet är levererat till arkivet",
    )
    .await;
    let runs = wait_for_text(&browser, "table.retention-runs", "Levererat till arkivet").await;
    assert!(!runs.contains("Hämta arkivpaketet"), "{runs}");
    assert_eq!(app.count("SELECT COUNT(*) FROM archive_file").await, 0);
    let page = browser.text("main").await.unwrap();
    assert!(!page.contains("Bekräfta leveransen"), "{page}");
    show(&browser, "table.retention-runs").await;
    check_fits(&browser, "retention-delivered").await;
}

/// Scrolls the page to `css`, for the screenshots to show it.
async fn show(browser: &skolportal_tests::browser::Browser, css: &str) {
    let expression = format!("document.querySelector({css:?}).scrollIntoView()");
    browser
        .cdp("Runtime.evaluate", json!({ "expression": expression }))
        .await
        .unwrap();
}

/// Files and signs (BankID) an income statement; returns the document's id.
async fn signed_income_statement(app: &TestApp, username: &str) -> (Uuid, String) {
    let (client, pnr) = crate::applications::bankid(app, username).await;
    let body = json!({"valid_from": "2026-12-01", "max_fee_accepted": false, "gross_monthly_income": 41_000});
    let response = client.post("/api/childcare/income-statements", &body).await;
    assert_eq!(response.status(), 201);
    let draft: Value = response.json().await.unwrap();
    let id = draft["id"].as_str().unwrap().to_owned();
    client.sign_document(&id, &pnr).await;
    (id.parse().unwrap(), pnr)
}

/// Signed childcare documents are kept while the family has a place and for the talk material's
/// period after the last one ended (a family never placed: after the document was made), then
/// exported with the evidence of their signatures and removed, the evidence through a release
/// that names the document. No statement deletes evidence no release names.
#[tokio::test]
async fn signed_documents_go_with_their_evidence_after_the_familys_last_placement() {
    use sha2::{Digest, Sha256};
    use skolportal_backend::settings::JobSettings;
    let app = app_whose_jobs_the_test_runs(JobSettings::default()).await;
    // Anna's family has places (Ella, Saga); Erik's never had one.
    let (annas, annas_pnr) = signed_income_statement(&app, "anna").await;
    let (eriks, _) = signed_income_statement(&app, "erik").await;
    let evidence = |document: Uuid| rows_of(&app, "signature_evidence", "document_id", document);
    let document = |id: Uuid| rows_of(&app, "childcare_document", "id", id);
    assert_eq!((evidence(annas).await, evidence(eriks).await), (1, 1));
    let bytes: String = crate::administration::one(
        &app,
        "SELECT document_bytes FROM childcare_document WHERE id = $1",
        annas,
    )
    .await;
    let sha256 = format!("{:x}", Sha256::digest(bytes.as_bytes()));
    assert!(refused(&app, "DELETE FROM signature_evidence").await);
    assert!(refused(&app, "UPDATE signature_evidence SET acr = 'x'").await);

    // Anna's children leave childcare on 30 November.
    let anna_id: Uuid = crate::administration::one(
        &app,
        "SELECT owner_person_id FROM childcare_document WHERE id = $1",
        annas,
    )
    .await;
    app.execute(
        "UPDATE placement SET end_date = $1 WHERE child_id IN \
         (SELECT child_id FROM guardianship WHERE adult_id = $2)",
        [day("2026-11-30").into(), anna_id.into()],
    )
    .await;

    // Erik's, a year and a half after it was made, and not a day before.
    set_day(&app, "2028-05-24");
    let admin = administrator(&app).await;
    assert_eq!(planned(&admin, "childcare_documents").await, (0, 0));
    let report = run_today(&app).await;
    assert_eq!(counted(&report, "childcare_documents"), (0, 0));
    set_day(&app, "2028-05-25");
    let admin = administrator(&app).await;
    assert_eq!(planned(&admin, "childcare_documents").await, (1, 1));
    let report = run_today(&app).await;
    assert_eq!(counted(&report, "childcare_documents"), (1, 1));
    assert_eq!((document(eriks).await, evidence(eriks).await), (0, 0));
    assert_eq!(
        rows_of(&app, "retention_release", "record_id", eriks).await,
        1
    );
    // Anna's stays, and the release of Erik's opens no way to it.
    assert_eq!((document(annas).await, evidence(annas).await), (1, 1));
    assert!(refused(&app, "DELETE FROM signature_evidence").await);
    assert!(refused(&app, "DELETE FROM retention_release").await);

    // Anna's, a year and a half after her children's places ended, and not a day before.
    set_day(&app, "2028-05-30");
    assert_eq!(
        counted(&run_today(&app).await, "childcare_documents"),
        (0, 0)
    );
    assert_eq!(evidence(annas).await, 1);
    set_day(&app, "2028-05-31");
    let report = run_today(&app).await;
    assert_eq!(counted(&report, "childcare_documents"), (1, 1));
    assert_eq!((document(annas).await, evidence(annas).await), (0, 0));

    // The package holds the document and everything its signature's evidence held.
    let admin = administrator(&app).await;
    let package = read_package(&admin, report["id"].as_str().unwrap()).await;
    let content = &package["content/childcare_documents/000001.xml"];
    assert_eq!(content[0].name, "childcare_documents");
    let found = content.iter().find(|e| e.name == "document").unwrap();
    assert_eq!(found.attr("id"), annas.to_string());
    assert_eq!(found.attr("kind"), "income_statement");
    assert_eq!(found.attr("status"), "signed");
    let owner = content.iter().find(|e| e.name == "owner").unwrap();
    assert_eq!(owner.attr("personnummer"), annas_pnr);
    let signature = content.iter().find(|e| e.name == "signature").unwrap();
    assert_eq!(signature.attr("personnummer"), annas_pnr);
    assert_eq!(signature.attr("document_sha256"), sha256);
    let id_token = content.iter().find(|e| e.name == "id_token").unwrap();
    assert_eq!(id_token.text.split('.').count(), 3, "a JWS as received");
    let kept = content.iter().find(|e| e.name == "document_bytes").unwrap();
    assert_eq!(kept.text, bytes);
}
