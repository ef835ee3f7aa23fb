//! Absence reports through the API (`/api/absence-reports`): several children and days in one
//! submit, part of a day, reason codes only, one report per child however often a submit is
//! sent, changes and withdrawal until the absence starts, who may report, and the register
//! extract. The test clock stands at 10:00 on Tuesday 24 November 2026.

use serde_json::{json, Value};
use skolportal_tests::app::{child, unit};
use skolportal_tests::TestApp;
use uuid::Uuid;

fn report(children: &[&str], first: &str, last: &str) -> Value {
    json!({
        "submission_id": Uuid::new_v4(),
        "child_ids": children,
        "absence": {"first_day": first, "last_day": last, "reason": "sick"},
    })
}

#[tokio::test]
async fn a_guardian_reports_two_children_sick_for_tomorrow_in_one_go() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let (nils, saga) = (child(&app, "Nils").await, child(&app, "Saga").await);
    let submit = report(&[&nils, &saga], "2026-11-25", "2026-11-25");
    let response = anna.post("/api/absence-reports", &submit).await;
    assert_eq!(response.status(), 201);
    let reports: Value = response.json().await.unwrap();
    let reports = reports.as_array().unwrap().clone();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["child_id"], nils.as_str());
    assert_eq!(reports[0]["child_name"], "Nils");
    assert_eq!(reports[1]["child_id"], saga.as_str());
    for r in &reports {
        assert_eq!(r["reason"], "sick");
        assert_eq!(r["status"], "active");
        assert_eq!(r["first_day"], "2026-11-25");
        assert_eq!(r["permitted_actions"], json!(["change", "withdraw"]));
        assert!(
            r["reported_by"].as_str().unwrap().starts_with("Anna "),
            "{r}"
        );
    }

    // The app sends the same submit again (its answer was lost): still one report per child.
    let again = anna.post("/api/absence-reports", &submit).await;
    assert_eq!(again.status(), 201);
    let again: Value = again.json().await.unwrap();
    let ids = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(again.as_array().unwrap()), ids(&reports));
    assert_eq!(app.count("SELECT COUNT(*) FROM absence_report").await, 2);

    // Both are on her list.
    let (status, listed) = anna.get_json("/api/absence-reports").await;
    assert_eq!(status, 200);
    assert_eq!(ids(listed.as_array().unwrap()).len(), 2);

    // She changes Saga's to two days, with the other reason, and withdraws Nils's.
    let saga_report = reports[1]["id"].as_str().unwrap();
    let response = anna
        .put(
            &format!("/api/absence-reports/{saga_report}"),
            &json!({"first_day": "2026-11-25", "last_day": "2026-11-26", "reason": "other"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["last_day"], "2026-11-26");
    assert_eq!(changed["reason"], "other");
    let nils_report = reports[0]["id"].as_str().unwrap();
    let path = format!("/api/absence-reports/{nils_report}");
    let response = anna
        .request(reqwest::Method::DELETE, &path)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let (_, listed) = anna.get_json("/api/absence-reports").await;
    assert_eq!(
        ids(listed.as_array().unwrap()),
        vec![saga_report.to_owned()]
    );
    // A withdrawn report cannot be changed, and the re-sent submit does not bring it back.
    let response = anna
        .put(
            &path,
            &json!({"first_day": "2026-11-25", "last_day": "2026-11-25", "reason": "sick"}),
        )
        .await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "absence_started");
    let resent: Value = anna
        .post("/api/absence-reports", &submit)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resent[0]["status"], "withdrawn");
    assert_eq!(app.count("SELECT COUNT(*) FROM absence_report").await, 2);

    // The child's register extract shows the reports, the withdrawn one too. It holds absence
    // and grades too, so it asks for a one-time code (rule 11).
    app.turn_on_codes("anna").await;
    app.step_up(&anna, "anna").await;
    let (_, extract) = anna.get_json("/api/me/extract").await;
    let nils_part = extract["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == nils.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        nils_part["absence_reports"][0]["status"], "withdrawn",
        "{nils_part}"
    );
    assert_eq!(nils_part["absence_reports"][0]["reason"], "sick");
}

#[tokio::test]
async fn part_of_a_day_can_be_changed_until_it_starts() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let nils = child(&app, "Nils").await;
    let mut submit = report(&[&nils], "2026-11-24", "2026-11-24");
    submit["absence"]["starts_at"] = json!("13:00");
    submit["absence"]["ends_at"] = json!("15:00");
    let response = anna.post("/api/absence-reports", &submit).await;
    assert_eq!(response.status(), 201);
    let reports: Value = response.json().await.unwrap();
    assert_eq!(reports[0]["starts_at"], "13:00");
    assert_eq!(reports[0]["ends_at"], "15:00");
    let path = format!(
        "/api/absence-reports/{}",
        reports[0]["id"].as_str().unwrap()
    );
    // At 13:30 the absence has started: it is the school's record now.
    app.advance(chrono::Duration::minutes(210));
    let anna = app.login("anna").await;
    let (_, listed) = anna.get_json("/api/absence-reports").await;
    assert_eq!(listed[0]["permitted_actions"], json!([]));
    let response = anna
        .request(reqwest::Method::DELETE, &path)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM absence_report WHERE status = 'active'")
            .await,
        1
    );
}

#[tokio::test]
async fn what_is_not_a_report_is_refused_with_its_reason_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let nils = child(&app, "Nils").await;
    let with = |absence: Value| json!({"submission_id": Uuid::new_v4(), "child_ids": [nils], "absence": absence});
    for (body, status, code) in [
        (
            with(json!({"first_day": "2026-11-26", "last_day": "2026-11-25", "reason": "sick"})),
            422,
            "absence_days_reversed",
        ),
        (
            with(json!({"first_day": "2026-11-23", "last_day": "2026-11-24", "reason": "sick"})),
            422,
            "absence_day_passed",
        ),
        (
            with(json!({"first_day": "2026-11-24", "last_day": "2027-02-24", "reason": "sick"})),
            422,
            "absence_too_long",
        ),
        (
            with(
                json!({"first_day": "2026-11-24", "last_day": "2026-11-24", "starts_at": "9.00", "ends_at": "10:00", "reason": "sick"}),
            ),
            400,
            "invalid_time",
        ),
        (
            with(
                json!({"first_day": "2026-11-24", "last_day": "2026-11-24", "starts_at": "13:00", "reason": "sick"}),
            ),
            422,
            "invalid_times",
        ),
        (
            with(
                json!({"first_day": "2026-11-25", "last_day": "2026-11-26", "starts_at": "08:00", "ends_at": "10:00", "reason": "sick"}),
            ),
            422,
            "absence_part_of_several_days",
        ),
        (
            json!({"submission_id": Uuid::new_v4(), "child_ids": [], "absence": {"first_day": "2026-11-25", "last_day": "2026-11-25", "reason": "sick"}}),
            422,
            "absence_no_children",
        ),
        (
            json!({"submission_id": Uuid::new_v4(), "child_ids": [nils, nils], "absence": {"first_day": "2026-11-25", "last_day": "2026-11-25", "reason": "sick"}}),
            422,
            "absence_no_children",
        ),
    ] {
        let response = anna.post("/api/absence-reports", &body).await;
        assert_eq!(response.status(), status, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"], code, "{body}");
    }
    // A reason is a code: a text is not one, and no field takes one.
    let response = anna
        .post(
            "/api/absence-reports",
            &with(
                json!({"first_day": "2026-11-25", "last_day": "2026-11-25", "reason": "hög feber"}),
            ),
        )
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(app.count("SELECT COUNT(*) FROM absence_report").await, 0);
}

#[tokio::test]
async fn only_the_adults_who_care_for_a_child_report_it_absent() {
    let app = TestApp::spawn().await;
    let nils = child(&app, "Nils").await;
    // A child of another family in one submit with her own: the whole submit is refused.
    let (_, maria) = app.login("maria").await.get_json("/api/children").await;
    let marias = maria[0]["id"].as_str().unwrap().to_owned();
    let anna = app.login("anna").await;
    let response = anna
        .post(
            "/api/absence-reports",
            &report(&[&nils, &marias], "2026-11-25", "2026-11-25"),
        )
        .await;
    assert_eq!(response.status(), 404);
    // The pupil, the teacher and the officer do not report a pupil's absence.
    let (_, me) = app.login("elev").await.get_json("/api/me").await;
    let leo = me["person_id"].as_str().unwrap().to_owned();
    for role in ["elev", "larare", "handlaggare"] {
        let response = app
            .login(role)
            .await
            .post(
                "/api/absence-reports",
                &report(&[&leo], "2026-11-25", "2026-11-25"),
            )
            .await;
        assert_eq!(response.status(), 404, "{role}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM absence_report").await, 0);
    // A foster parent cares for the child day to day, and reports.
    let karin = app.login("karin").await;
    let (_, fostered) = karin.get_json("/api/children").await;
    let child_id = fostered[0]["id"].as_str().unwrap().to_owned();
    assert!(fostered[0]["permitted_actions"]
        .as_array()
        .unwrap()
        .contains(&json!("report_absence")));
    let response = karin
        .post(
            "/api/absence-reports",
            &report(&[&child_id], "2026-11-25", "2026-11-25"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let made: Value = response.json().await.unwrap();
    // Another family cannot change or withdraw it.
    let path = format!("/api/absence-reports/{}", made[0]["id"].as_str().unwrap());
    let response = anna
        .request(reqwest::Method::DELETE, &path)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let (_, theirs) = anna.get_json("/api/absence-reports").await;
    assert_eq!(theirs, json!([]));
}

/// The day's reported absence of `child` on the start page's `date`, from each of its entries
/// naming the child (school and fritids alike), which all say the same.
fn start_absence(start: &Value, date: &str, child: &str) -> Value {
    let day = start["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("no {date} in {start}"));
    day["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["child_ids"].as_array().unwrap().contains(&json!(child)))
        .map(|e| e.get("absence").cloned().unwrap_or(Value::Null))
        .reduce(|one, other| {
            assert_eq!(one, other, "two entries of a day differ: {day}");
            one
        })
        .unwrap_or_else(|| panic!("{child} has no entry on {date}: {day}"))
}

#[tokio::test]
async fn a_report_shows_on_the_family_start_page_and_the_preschool_day_sheet() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let (ella, nils, saga) = (
        child(&app, "Ella").await,
        child(&app, "Nils").await,
        child(&app, "Saga").await,
    );
    // Nils and Saga are sick tomorrow; Ella (preschool) leaves early today for another reason.
    let response = anna
        .post(
            "/api/absence-reports",
            &report(&[&nils, &saga], "2026-11-25", "2026-11-25"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let reports: Value = response.json().await.unwrap();
    let nils_report = reports[0]["id"].as_str().unwrap().to_owned();
    let mut early = report(&[&ella], "2026-11-24", "2026-11-24");
    early["absence"]["starts_at"] = json!("13:00");
    early["absence"]["ends_at"] = json!("17:00");
    early["absence"]["reason"] = json!("other");
    assert_eq!(
        anna.post("/api/absence-reports", &early).await.status(),
        201
    );

    let (status, start) = anna.get_json("/api/start").await;
    assert_eq!(status, 200, "{start}");
    for pupil in [&nils, &saga] {
        assert_eq!(
            start_absence(&start, "2026-11-25", pupil),
            json!({"reason": "sick"})
        );
        assert_eq!(
            start_absence(&start, "2026-11-26", pupil),
            Value::Null,
            "only the reported day"
        );
    }
    assert_eq!(
        start_absence(&start, "2026-11-24", &ella),
        json!({"reason": "other", "starts_at": "13:00", "ends_at": "17:00"})
    );
    // The server's page says it where the guardian looks first, and links to the form.
    let page = anna.get("/").await.text().await.unwrap();
    assert!(page.contains("Sjukanmäld"), "{page}");
    assert!(page.contains("Frånvaroanmäld"), "{page}");
    assert!(page.contains("13:00–17:00"), "{page}");
    assert!(page.contains("href=\"/franvaro\""), "{page}");

    // The preschool's staff see it on today's day sheet, with the hours.
    let larkan = unit(&app, "Förskolan Lärkan").await;
    let forskola = app.login("forskola").await;
    let (status, sheet) = forskola
        .get_json(&format!(
            "/api/childcare/units/{larkan}/day?date=2026-11-24"
        ))
        .await;
    assert_eq!(status, 200, "{sheet}");
    let listed = sheet["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["child_id"] == ella.as_str())
        .unwrap_or_else(|| panic!("Ella is not on the sheet: {sheet}"));
    assert_eq!(
        listed["absence"],
        json!({"reason": "other", "starts_at": "13:00", "ends_at": "17:00"})
    );

    // A withdrawn report is gone from the page.
    let withdrawn = anna
        .request(
            reqwest::Method::DELETE,
            &format!("/api/absence-reports/{nils_report}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(withdrawn.status(), 204);
    let (_, start) = anna.get_json("/api/start").await;
    assert_eq!(start_absence(&start, "2026-11-25", &nils), Value::Null);
    assert_eq!(
        start_absence(&start, "2026-11-25", &saga),
        json!({"reason": "sick"})
    );
}

#[tokio::test]
async fn the_preschool_staff_mark_a_child_absent_on_the_day_sheet_and_it_is_logged() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella").await;
    let nils = child(&app, "Nils").await;
    let larkan = unit(&app, "Förskolan Lärkan").await;
    let forskola = app.login("forskola").await;

    // Ella has not been called in: the staff mark her sick for today.
    let response = forskola
        .post(
            "/api/absence-reports/by-staff",
            &report(&[&ella], "2026-11-24", "2026-11-24"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let marked: Value = response.json().await.unwrap();
    assert_eq!(marked[0]["reported_by"], "Sofia Nyström", "{marked}");
    let (_, sheet) = forskola
        .get_json(&format!(
            "/api/childcare/units/{larkan}/day?date=2026-11-24"
        ))
        .await;
    let listed = sheet["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["child_id"] == ella.as_str())
        .expect("Ella on the sheet")
        .clone();
    assert_eq!(listed["absence"], json!({"reason": "sick"}));
    // Staff reading and marking a child is logged: Ella's family sees it in her extract.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'mark_absence'")
            .await,
        1
    );
    // The guardian sees it on her start page too.
    let anna = app.login("anna").await;
    let (_, start) = anna.get_json("/api/start").await;
    assert_eq!(
        start_absence(&start, "2026-11-24", &ella),
        json!({"reason": "sick"})
    );

    // Not a child of her unit; not by a guardian through the staff's door.
    let response = forskola
        .post(
            "/api/absence-reports/by-staff",
            &report(&[&nils], "2026-11-24", "2026-11-24"),
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = anna
        .post(
            "/api/absence-reports/by-staff",
            &report(&[&ella], "2026-11-25", "2026-11-25"),
        )
        .await;
    assert_eq!(response.status(), 404);
}
