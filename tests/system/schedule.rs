//! Childcare schedules (vistelsetid), pick-up persons and the staff's day sheet. The demo day is
//! Tuesday 2026-11-24 and the demo units lock a schedule 2 working days before it applies, so in
//! the week of 2026-11-23 Monday to Thursday are locked and Friday is open, and from the week of
//! 2026-11-30 everything is open.

use chrono::{TimeZone, Utc};
use reqwest::Method;
use serde_json::{json, Value};
use skolportal_tests::{TestApp, UserClient};
use uuid::Uuid;

async fn id_of(app: &TestApp, sql: &str) -> Uuid {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("nothing for {sql}"));
    row.try_get_by_index::<Uuid>(0).unwrap()
}

pub(crate) async fn child(app: &TestApp, given: &str, family: &str) -> Uuid {
    id_of(
        app,
        &format!("SELECT id FROM person WHERE given_name = '{given}' AND family_name = '{family}'"),
    )
    .await
}

pub(crate) async fn unit(app: &TestApp, name: &str) -> Uuid {
    id_of(app, &format!("SELECT id FROM unit WHERE name = '{name}'")).await
}

fn schedule(child: Uuid, week: &str) -> String {
    format!("/api/childcare/children/{child}/schedule?week={week}")
}

fn day(date: &str, drop_off: &str, pick_up: &str) -> Value {
    json!({"date": date, "drop_off": drop_off, "pick_up": pick_up})
}

async fn put(client: &UserClient, path: &str, body: &Value) -> (u16, Value) {
    let r = client.put(path, body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn post(client: &UserClient, path: &str, body: &Value) -> (u16, Value) {
    let r = client.post(path, body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn stored_days(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM schedule_day").await
}

fn week_of_30_november() -> Value {
    json!({"days": [
        day("2026-11-30", "07:30", "16:00"),
        day("2026-12-01", "07:30", "16:00"),
        day("2026-12-02", "08:00", "15:00"),
        day("2026-12-03", "07:30", "16:00"),
        {"date": "2026-12-04"},
    ]})
}

#[tokio::test]
async fn a_guardian_saves_a_week_and_reads_it_back() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let anna = app.login("anna").await;

    let (status, saved) = put(&anna, &schedule(ella, "2026-11-30"), &week_of_30_november()).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        stored_days(&app).await,
        5,
        "a day without care is stored as such: a day with no row is a missing schedule"
    );

    let (status, week) = anna.get_json(&schedule(ella, "2026-11-30")).await;
    assert_eq!(status, 200);
    assert_eq!(week, saved);
    assert_eq!(week["child_id"], ella.to_string());
    assert_eq!(week["week_start"], "2026-11-30");
    let days = week["days"].as_array().unwrap();
    assert_eq!(days.len(), 5);
    assert_eq!(days[0]["drop_off"], "07:30");
    assert_eq!(days[0]["pick_up"], "16:00");
    assert_eq!(days[2]["drop_off"], "08:00");
    assert_eq!(days[2]["pick_up"], "15:00");
    assert!(days[4].get("drop_off").is_none());
    assert!(days
        .iter()
        .all(|d| d["locked"] == false && d["closed"] == false));
    assert_eq!(days[0]["opens_at"], "06:30");
    assert_eq!(days[0]["closes_at"], "18:00");
    assert_eq!(days[0]["changeable_until"], "2026-11-25");
    assert_eq!(week["last_changed_by"], "Anna Lindqvist");
    assert!(week["last_changed_at"].is_string());
    assert_eq!(
        week["permitted_actions"],
        json!(["edit_childcare_schedule"])
    );

    // Clearing a day is a change like any other.
    let (status, week) = put(
        &anna,
        &schedule(ella, "2026-11-30"),
        &json!({"days": [{"date": "2026-12-02", "drop_off": null, "pick_up": null}]}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(week["days"][2].get("drop_off").is_none());
    assert_eq!(week["days"][0]["drop_off"], "07:30");
}

#[tokio::test]
async fn this_weeks_locked_days_are_shown_and_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let anna = app.login("anna").await;

    // Without `week`, the current week.
    let (status, week) = anna
        .get_json(&format!("/api/childcare/children/{ella}/schedule"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(week["week_start"], "2026-11-23");
    let locked: Vec<bool> = week["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["locked"].as_bool().unwrap())
        .collect();
    assert_eq!(locked, [true, true, true, true, false]);

    // Wednesday is locked: the whole request is refused, Friday included.
    let (status, body) = put(
        &anna,
        &schedule(ella, "2026-11-23"),
        &json!({"days": [day("2026-11-27", "08:00", "16:00"), day("2026-11-25", "08:00", "16:00")]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "day_locked");
    assert_eq!(
        body["date"], "2026-11-25",
        "the day is a field of its own: {body}"
    );
    assert_eq!(stored_days(&app).await, 0);

    // A locked day sent back unchanged is fine (the form sends the whole week).
    let (status, week) = put(
        &anna,
        &schedule(ella, "2026-11-23"),
        &json!({"days": [{"date": "2026-11-25"}, day("2026-11-27", "08:00", "16:00")]}),
    )
    .await;
    assert_eq!(status, 200, "{week}");
    assert_eq!(week["days"][4]["drop_off"], "08:00");
    assert_eq!(stored_days(&app).await, 1);

    // Once Friday has locked, it cannot be changed either.
    app.advance(chrono::Duration::days(1));
    let anna = app.login("anna").await;
    let (status, body) = put(
        &anna,
        &schedule(ella, "2026-11-23"),
        &json!({"days": [day("2026-11-27", "09:00", "16:00")]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "day_locked");
}

#[tokio::test]
async fn bad_days_are_refused_with_a_reason_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let anna = app.login("anna").await;
    let path = schedule(ella, "2026-11-30");
    let good = day("2026-11-30", "07:30", "16:00");

    for (bad, status, code) in [
        (
            day("2026-12-01", "16:00", "08:00"),
            422,
            "pick_up_before_drop_off",
        ),
        (
            day("2026-12-01", "08:00", "08:00"),
            422,
            "pick_up_before_drop_off",
        ),
        (
            day("2026-12-01", "06:00", "16:00"),
            422,
            "outside_opening_hours",
        ),
        (
            day("2026-12-01", "08:00", "18:30"),
            422,
            "outside_opening_hours",
        ),
        (day("2026-12-07", "08:00", "16:00"), 422, "day_outside_week"),
        (day("2026-11-29", "08:00", "16:00"), 422, "day_outside_week"),
        (day("2026-12-05", "08:00", "16:00"), 422, "closed_day"),
        (day("2026-12-01", "7.30", "16:00"), 400, "invalid_time"),
        (day("2026-12-01", "25:00", "16:00"), 400, "invalid_time"),
        (
            json!({"date": "2026-12-01", "drop_off": "08:00"}),
            400,
            "incomplete_day",
        ),
        (good.clone(), 400, "duplicate_day"),
    ] {
        let (got, body) = put(&anna, &path, &json!({"days": [good, bad]})).await;
        assert_eq!(got, status, "{bad}: {body}");
        assert_eq!(body["error"], code, "{bad}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    // A time longer than HH:MM is refused by the spec's limit.
    let (got, body) = put(
        &anna,
        &path,
        &json!({"days": [day("2026-12-01", "08:00:00", "16:00")]}),
    )
    .await;
    assert_eq!(got, 400);
    assert_eq!(body["error"], "invalid_body");
    // The week is given by its Monday.
    let (got, body) = put(
        &anna,
        &schedule(ella, "2026-12-01"),
        &json!({"days": [good]}),
    )
    .await;
    assert_eq!((got, body["error"].as_str()), (400, Some("not_a_monday")));
    let (got, body) = put(
        &anna,
        &format!("/api/childcare/children/{ella}/schedule"),
        &json!({"days": [good]}),
    )
    .await;
    assert_eq!((got, body["error"].as_str()), (400, Some("week_required")));
    // Julafton and juldagen: the unit is closed.
    let (got, body) = put(
        &anna,
        &schedule(ella, "2026-12-21"),
        &json!({"days": [day("2026-12-24", "08:00", "16:00")]}),
    )
    .await;
    assert_eq!((got, body["error"].as_str()), (422, Some("closed_day")));
    let (_, week) = anna.get_json(&schedule(ella, "2026-12-21")).await;
    let closed: Vec<bool> = week["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["closed"].as_bool().unwrap())
        .collect();
    assert_eq!(closed, [false, false, false, true, true]);

    assert_eq!(stored_days(&app).await, 0);
}

#[tokio::test]
async fn a_child_without_a_place_has_no_schedule() {
    let app = TestApp::spawn().await;
    let nils = child(&app, "Nils", "Lindqvist").await;
    let anna = app.login("anna").await;
    let (status, body) = anna.get_json(&schedule(nils, "2026-11-30")).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "no_placement");
}

#[tokio::test]
async fn a_week_is_copied_to_the_following_weeks_skipping_closed_days() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let anna = app.login("anna").await;
    assert_eq!(
        put(&anna, &schedule(ella, "2026-11-30"), &week_of_30_november())
            .await
            .0,
        200
    );

    let (status, outcome) = post(
        &anna,
        &format!("/api/childcare/children/{ella}/schedule/copy?week=2026-11-30"),
        &json!({"weeks": 3}),
    )
    .await;
    assert_eq!(status, 200, "{outcome}");
    // Weeks of 7, 14 and 21 December; 24 and 25 December are julafton and juldagen, and the
    // source week had care on Thursday only of the two. Friday's "no care" is copied too.
    assert_eq!(
        outcome["skipped"],
        json!([{"child_id": ella, "date": "2026-12-24", "reason": "closed"}])
    );
    assert_eq!(outcome["written_days"], 5 + 5 + 3);
    assert_eq!(stored_days(&app).await, 5 + 13);

    let (_, original) = anna.get_json(&schedule(ella, "2026-11-30")).await;
    let (_, copy) = anna.get_json(&schedule(ella, "2026-12-14")).await;
    let times = |w: &Value| -> Vec<(Value, Value)> {
        w["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["drop_off"].clone(), d["pick_up"].clone()))
            .collect()
    };
    assert_eq!(times(&copy), times(&original));
    let (_, christmas) = anna.get_json(&schedule(ella, "2026-12-21")).await;
    assert_eq!(christmas["days"][2]["drop_off"], "08:00");
    assert!(christmas["days"][3].get("drop_off").is_none());
    // Not copied past the third week.
    let (_, after) = anna.get_json(&schedule(ella, "2026-12-28")).await;
    assert!(after["days"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d.get("drop_off").is_none()));
}

#[tokio::test]
async fn a_week_is_copied_to_a_sibling_with_the_same_kind_of_care() {
    let app = TestApp::spawn().await;
    let saga = child(&app, "Saga", "Lindqvist").await;
    let nils = child(&app, "Nils", "Lindqvist").await;
    // Saga is in fritidshem; here Nils gets a place there too.
    give_a_fritidshem_place(&app, nils).await;
    let anna = app.login("anna").await;
    let days: Vec<Value> = [
        "2026-11-30",
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
        "2026-12-04",
    ]
    .iter()
    .map(|d| day(d, "13:30", "17:00"))
    .collect();
    assert_eq!(
        put(&anna, &schedule(saga, "2026-11-30"), &json!({"days": days}))
            .await
            .0,
        200
    );

    let (status, outcome) = post(
        &anna,
        &format!("/api/childcare/children/{saga}/schedule/copy?week=2026-11-30"),
        &json!({"weeks": 1, "sibling_ids": [nils]}),
    )
    .await;
    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["skipped"], json!([]));
    assert_eq!(outcome["written_days"], 5 + 5 + 5);
    for (who, week) in [
        (saga, "2026-12-07"),
        (nils, "2026-11-30"),
        (nils, "2026-12-07"),
    ] {
        let (_, w) = anna.get_json(&schedule(who, week)).await;
        assert!(
            w["days"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["drop_off"] == "13:30" && d["pick_up"] == "17:00"),
            "{w}"
        );
    }
}

#[tokio::test]
async fn locked_days_are_skipped_by_a_copy_and_reported() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    // Two weeks earlier, the week of 16 November was open.
    let now = app.clock.now();
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 10, 9, 0, 0).unwrap());
    let anna = app.login("anna").await;
    let week: Vec<Value> = (16..=20)
        .map(|d| day(&format!("2026-11-{d}"), "08:00", "16:30"))
        .collect();
    assert_eq!(
        put(&anna, &schedule(ella, "2026-11-16"), &json!({"days": week}))
            .await
            .0,
        200
    );
    app.clock.set(now);
    let anna = app.login("anna").await;

    let (status, outcome) = post(
        &anna,
        &format!("/api/childcare/children/{ella}/schedule/copy?week=2026-11-16"),
        &json!({"weeks": 2}),
    )
    .await;
    assert_eq!(status, 200, "{outcome}");
    let skipped: Vec<(&str, &str)> = outcome["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["date"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("2026-11-23", "locked"),
            ("2026-11-24", "locked"),
            ("2026-11-25", "locked"),
            ("2026-11-26", "locked"),
        ]
    );
    assert_eq!(outcome["written_days"], 1 + 5);
    let (_, this_week) = anna.get_json(&schedule(ella, "2026-11-23")).await;
    assert!(this_week["days"][0].get("drop_off").is_none());
    assert_eq!(this_week["days"][4]["drop_off"], "08:00");
}

#[tokio::test]
async fn copying_to_someone_elses_child_or_to_another_kind_of_care_is_refused() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let saga = child(&app, "Saga", "Lindqvist").await;
    let nils = child(&app, "Nils", "Lindqvist").await;
    let alva = child(&app, "Alva", "Berg").await;
    let anna = app.login("anna").await;
    assert_eq!(
        put(&anna, &schedule(ella, "2026-11-30"), &week_of_30_november())
            .await
            .0,
        200
    );
    let copy = format!("/api/childcare/children/{ella}/schedule/copy?week=2026-11-30");
    for (siblings, code) in [
        (json!([saga]), "different_kind_of_care"),
        (json!([nils]), "different_kind_of_care"),
        (json!([alva]), "invalid_sibling"),
        (json!([Uuid::new_v4()]), "invalid_sibling"),
        (json!([ella]), "invalid_sibling"),
    ] {
        let (status, body) =
            post(&anna, &copy, &json!({"weeks": 1, "sibling_ids": siblings})).await;
        assert_eq!(status, 422, "{siblings}: {body}");
        assert_eq!(body["error"], code, "{siblings}");
    }
    for weeks in [0, 13] {
        let (status, _) = post(&anna, &copy, &json!({"weeks": weeks})).await;
        assert_eq!(status, 400, "{weeks} weeks");
    }
    let (status, body) = post(
        &anna,
        &format!("/api/childcare/children/{ella}/schedule/copy"),
        &json!({"weeks": 1}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("week_required"))
    );
    assert_eq!(stored_days(&app).await, 5, "nothing was copied");
}

async fn name_of(client: &UserClient) -> String {
    let (_, me) = client.get_json("/api/me").await;
    format!(
        "{} {}",
        me["given_name"].as_str().unwrap(),
        me["family_name"].as_str().unwrap()
    )
}

/// Alva (erik's and maria's daughter, year 3) gets a place at Fritidshemmet Solstrålen.
async fn give_a_fritidshem_place(app: &TestApp, child: Uuid) {
    use sea_orm::{ActiveValue::Set, EntityTrait};
    use skolportal_backend::entity::{person, placement};
    let unit = unit(app, "Fritidshemmet Solstrålen").await;
    let municipality_id = person::Entity::find_by_id(child)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .municipality_id;
    placement::Entity::insert(placement::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(municipality_id),
        child_id: Set(child),
        unit_id: Set(unit),
        group_id: Set(None),
        kind: Set(placement::PlacementKind::Fritidshem),
        start_date: Set(chrono::NaiveDate::from_ymd_opt(2026, 8, 15).unwrap()),
        end_date: Set(None),
        hours_per_week: Set(Some(15)),
    })
    .exec_without_returning(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn either_guardian_may_edit_and_the_last_change_shows_who() {
    let app = TestApp::spawn().await;
    let alva = child(&app, "Alva", "Berg").await;
    give_a_fritidshem_place(&app, alva).await;
    let erik = app.login("erik").await;
    let maria = app.login("maria").await;
    let path = schedule(alva, "2026-11-30");

    let (status, week) = put(
        &erik,
        &path,
        &json!({"days": [day("2026-11-30", "06:45", "08:00"), day("2026-12-01", "13:30", "17:00")]}),
    )
    .await;
    assert_eq!(status, 200, "{week}");
    let (_, seen_by_maria) = maria.get_json(&path).await;
    assert_eq!(seen_by_maria["last_changed_by"], name_of(&erik).await);
    assert_eq!(seen_by_maria["days"][1]["drop_off"], "13:30");
    assert_eq!(
        seen_by_maria["permitted_actions"],
        json!(["edit_childcare_schedule"])
    );

    app.advance(chrono::Duration::minutes(5));
    let (status, _) = put(
        &maria,
        &path,
        &json!({"days": [day("2026-12-01", "13:30", "16:00")]}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, seen_by_erik) = erik.get_json(&path).await;
    assert_eq!(seen_by_erik["last_changed_by"], name_of(&maria).await);
    assert_ne!(name_of(&maria).await, name_of(&erik).await);
    assert_eq!(seen_by_erik["days"][1]["pick_up"], "16:00");
    assert_eq!(seen_by_erik["days"][0]["drop_off"], "06:45");
}

#[tokio::test]
async fn pickup_persons_are_added_listed_and_removed() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let anna = app.login("anna").await;
    let path = format!("/api/childcare/children/{ella}/pickup-persons");

    let (status, created) = post(
        &anna,
        &path,
        &json!({"name": " Birgit Lindqvist ", "phone": "070-123 45 67"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["name"], "Birgit Lindqvist");
    assert_eq!(created["phone"], "070-123 45 67");
    let (status, list) = anna.get_json(&path).await;
    assert_eq!(status, 200);
    assert_eq!(list, json!([created]));

    for (body, code) in [
        (json!({"name": "Morfar", "phone": "12"}), "invalid_phone"),
        (
            json!({"name": "Morfar", "phone": "070-abc"}),
            "invalid_phone",
        ),
        (
            json!({"name": "   ", "phone": "070-123 45 67"}),
            "invalid_name",
        ),
        (
            json!({"name": "", "phone": "070-123 45 67"}),
            "invalid_body",
        ),
        (
            json!({"name": "x".repeat(101), "phone": "070-123 45 67"}),
            "invalid_body",
        ),
    ] {
        let (status, err) = post(&anna, &path, &body).await;
        assert_eq!(status, 400, "{body}: {err}");
        assert_eq!(err["error"], code, "{body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM pickup_person").await, 1);

    // Someone else cannot see or remove them.
    let id = created["id"].as_str().unwrap();
    let erik = app.login("erik").await;
    assert_eq!(erik.get_json(&path).await.0, 404);
    let r = erik
        .request(Method::DELETE, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    let r = anna
        .request(Method::DELETE, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = anna
        .request(Method::DELETE, &format!("{path}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(anna.get_json(&path).await.1, json!([]));
}

#[tokio::test]
async fn the_staff_day_sheet_lists_ella_with_her_times_and_pickup_persons() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let larkan = unit(&app, "Förskolan Lärkan").await;
    let anna = app.login("anna").await;
    assert_eq!(
        put(&anna, &schedule(ella, "2026-11-30"), &week_of_30_november())
            .await
            .0,
        200
    );
    let (status, _) = post(
        &anna,
        &format!("/api/childcare/children/{ella}/pickup-persons"),
        &json!({"name": "Birgit Lindqvist", "phone": "070-123 45 67"}),
    )
    .await;
    assert_eq!(status, 201);

    let forskola = app.login("forskola").await;
    let sheet_path = format!("/api/childcare/units/{larkan}/day?date=2026-12-02");
    let (status, sheet) = forskola.get_json(&sheet_path).await;
    assert_eq!(status, 200, "{sheet}");
    assert_eq!(sheet["unit"], "Förskolan Lärkan");
    assert_eq!(sheet["date"], "2026-12-02");
    let children = sheet["children"].as_array().unwrap();
    assert_eq!(children.len(), 50, "every child placed at Lärkan is listed");
    assert_eq!(children[0]["child_id"], ella.to_string());
    assert_eq!(children[0]["given_name"], "Ella");
    assert_eq!(children[0]["status"], "expected");
    // The others have no schedule at all (this test's demo has none): flagged, not left out.
    assert!(
        children[1..]
            .iter()
            .all(|c| c["status"] == "missing_schedule" && c.get("drop_off").is_none()),
        "{sheet}"
    );
    let departments: Vec<&str> = sheet["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(departments, ["Blåbär", "Lingon"]);
    assert_eq!(
        children[0]["department_id"], sheet["departments"][0]["id"],
        "Ella is in Blåbär"
    );
    assert_eq!(children[0]["drop_off"], "08:00");
    assert_eq!(children[0]["pick_up"], "15:00");
    assert_eq!(children[0]["pickup_persons"][0]["name"], "Birgit Lindqvist");
    assert_eq!(children[0]["pickup_persons"][0]["phone"], "070-123 45 67");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM access_log a JOIN person_key kt ON kt.pseudonym = a.actor_pseudonym JOIN person t ON t.id = kt.person_id \
             JOIN person_key kc ON kc.pseudonym = a.subject_pseudonym JOIN person c ON c.id = kc.person_id \
             WHERE a.action = 'read_childcare_day_sheet' AND c.given_name = 'Ella' \
             AND c.family_name = 'Lindqvist' AND t.given_name = 'Sofia' AND t.family_name = 'Nyström'"
        )
        .await,
        1,
    );

    // Friday: Ella has no care, so she is not listed; the others still have no schedule.
    let (_, friday) = forskola
        .get_json(&format!(
            "/api/childcare/units/{larkan}/day?date=2026-12-04"
        ))
        .await;
    let friday = friday["children"].as_array().unwrap();
    assert_eq!(friday.len(), 49);
    assert!(friday
        .iter()
        .all(|c| c["child_id"] != ella.to_string() && c["status"] == "missing_schedule"));
    // A Saturday: the unit is closed, nobody is missing.
    let (_, saturday) = forskola
        .get_json(&format!(
            "/api/childcare/units/{larkan}/day?date=2026-12-05"
        ))
        .await;
    assert_eq!(saturday["children"], json!([]));

    // Staff read the schedule and the pick-up persons, logged, but cannot change them.
    let (status, week) = forskola.get_json(&schedule(ella, "2026-11-30")).await;
    assert_eq!(status, 200);
    assert_eq!(week["permitted_actions"], json!([]));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM access_log a JOIN person_key kt ON kt.pseudonym = a.actor_pseudonym JOIN person t ON t.id = kt.person_id \
             JOIN person_key kc ON kc.pseudonym = a.subject_pseudonym JOIN person c ON c.id = kc.person_id \
             WHERE a.action = 'read_childcare_schedule' AND c.given_name = 'Ella' \
             AND c.family_name = 'Lindqvist' AND t.given_name = 'Sofia' AND t.family_name = 'Nyström'"
        )
        .await,
        1
    );
    let (status, _) = forskola
        .get_json(&format!("/api/childcare/children/{ella}/pickup-persons"))
        .await;
    assert_eq!(status, 200);
    let (status, _) = put(
        &forskola,
        &schedule(ella, "2026-11-30"),
        &week_of_30_november(),
    )
    .await;
    assert_eq!(status, 404);

    // Nobody else sees the unit's day: a guardian, a teacher elsewhere, or a made-up unit.
    for user in ["anna", "larare"] {
        let (status, body) = app.login(user).await.get_json(&sheet_path).await;
        assert_eq!(status, 404, "{user}");
        assert_eq!(body["error"], "not_found");
    }
    let (status, _) = forskola
        .get_json(&format!("/api/childcare/units/{}/day", Uuid::new_v4()))
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn someone_else_gets_404_for_ellas_schedule_whatever_they_send() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella", "Lindqvist").await;
    let erik = app.login("erik").await;
    let path = schedule(ella, "2026-11-30");

    let (status, body) = erik.get_json(&path).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = put(&erik, &path, &week_of_30_november()).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    // Not even a missing or broken body tells that the child exists.
    for body in ["", "{", "{}"] {
        let r = erik
            .request(Method::PUT, &path)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{body:?}");
    }
    let r = erik.request(Method::PUT, &path).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let (status, _) = post(
        &erik,
        &format!("/api/childcare/children/{ella}/schedule/copy?week=2026-11-30"),
        &json!({"weeks": 1}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &erik,
        &format!("/api/childcare/children/{ella}/pickup-persons"),
        &json!({"name": "Erik", "phone": "070-123 45 67"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(stored_days(&app).await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM pickup_person").await, 0);
}
