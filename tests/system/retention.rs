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
fn set_day(app: &TestApp, day: &str) {
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
