//! School timetables through the API: the demo's week of class 8A (the demo pupil Leo, mentor
//! Lena Strand "larare") with the changes seeded for the week of Tuesday 2026-11-24, the school
//! calendar's days off, a teacher recording a change, and the calendar feed read by Python's
//! `icalendar`.

use reqwest::Method;
use serde_json::{json, Value};
use skolportal_tests::{TestApp, UserClient};

async fn my_id(client: &UserClient) -> String {
    let (status, me) = client.get_json("/api/me").await;
    assert_eq!(status, 200);
    me["person_id"].as_str().unwrap().to_owned()
}

async fn person(app: &TestApp, given: &str, family: &str) -> String {
    skolportal_tests::app::uuid_of(
        app,
        &format!("SELECT id FROM person WHERE given_name = '{given}' AND family_name = '{family}'"),
    )
    .await
}

fn day<'a>(week: &'a Value, date: &str) -> &'a Value {
    week["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("no {date} in {week}"))
}

fn lessons(day: &Value) -> &Vec<Value> {
    day["lessons"].as_array().unwrap()
}

fn has_change(lesson: &Value, kind: &str) -> bool {
    lesson["change"]["kinds"]
        .as_array()
        .is_some_and(|k| k.contains(&json!(kind)))
}

#[tokio::test]
async fn a_pupil_sees_the_week_with_todays_changes_and_the_school_calendar() {
    let app = TestApp::spawn().await;
    let elev = app.login("elev").await;
    let leo = my_id(&elev).await;
    let (status, week) = elev.get_json(&format!("/api/timetable/pupils/{leo}")).await;
    assert_eq!(status, 200, "{week}");
    assert_eq!(week["week_start"], "2026-11-23");
    assert_eq!(week["owner"], "pupil");
    assert_eq!(week["days"].as_array().unwrap().len(), 5);
    let tuesday = day(&week, "2026-11-24");
    assert_eq!(tuesday["kind"], "school_day");
    let today = lessons(tuesday);
    assert!(today.len() >= 6, "{tuesday}");
    assert!(today.iter().any(|l| l["activity"] == "lunch"));
    assert!(today.iter().all(|l| l["group_name"] == "8A"));
    // Times in order, each lesson with its subject, teacher and room.
    let starts: Vec<&str> = today
        .iter()
        .map(|l| l["starts_at"].as_str().unwrap())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    // Tuesday: the first lesson has moved to the hall, and the page can show where it was.
    let moved = &today[0];
    assert!(has_change(moved, "room_changed"), "{moved}");
    assert_eq!(moved["room"], "Aulan");
    assert_ne!(moved["change"]["planned_room"], "Aulan");
    // And the second is cancelled, with the teacher's message.
    let cancelled: Vec<&Value> = today
        .iter()
        .filter(|l| has_change(l, "cancelled"))
        .collect();
    assert_eq!(cancelled.len(), 1, "{today:?}");
    assert!(cancelled[0]["change"]["note"]
        .as_str()
        .unwrap()
        .contains("sjuk"));
    // Wednesday: a substitute, named in place of the planned teacher.
    let wednesday = lessons(day(&week, "2026-11-25"));
    let sub = wednesday
        .iter()
        .find(|l| has_change(l, "substitute"))
        .unwrap();
    assert_ne!(sub["teacher_name"], sub["change"]["planned_teacher_name"]);
    // A pupil may record no change.
    assert!(today.iter().all(|l| l["permitted_actions"] == json!([])));

    // Höstlov (week 44), Christmas, and the summer are days off without lessons.
    let (_, autumn) = elev
        .get_json(&format!("/api/timetable/pupils/{leo}?week=2026-10-26"))
        .await;
    assert!(autumn["days"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["kind"] == "autumn_break" && d["lessons"] == json!([])));
    let (_, christmas) = elev
        .get_json(&format!("/api/timetable/pupils/{leo}?week=2026-12-21"))
        .await;
    assert_eq!(day(&christmas, "2026-12-21")["kind"], "outside_term");
    assert_eq!(day(&christmas, "2026-12-24")["kind"], "public_holiday");
    let (status, body) = elev
        .get_json(&format!("/api/timetable/pupils/{leo}?week=2026-11-24"))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("not_a_monday"))
    );
}

#[tokio::test]
async fn who_may_read_a_timetable_and_staff_reads_are_logged() {
    let app = TestApp::spawn().await;
    let leo = my_id(&app.login("elev").await).await;
    let nils = person(&app, "Nils", "Lindqvist").await;
    let lena = person(&app, "Lena", "Strand").await;
    let anna = app.login("anna").await;
    // A guardian reads her own child's timetable, and no one else's.
    let (status, week) = anna
        .get_json(&format!("/api/timetable/pupils/{nils}"))
        .await;
    assert_eq!(status, 200);
    assert!(!lessons(day(&week, "2026-11-24")).is_empty());
    let (status, _) = anna.get_json(&format!("/api/timetable/pupils/{leo}")).await;
    assert_eq!(status, 404);
    // Teachers' timetables: the teacher, the school's pupils and families; not another school's.
    let (status, _) = app
        .login("elev")
        .await
        .get_json(&format!("/api/timetable/teachers/{lena}"))
        .await;
    assert_eq!(status, 200);
    let (status, _) = anna
        .get_json(&format!("/api/timetable/teachers/{lena}"))
        .await;
    assert_eq!(status, 200, "Nils goes to Lena's school");
    let (status, _) = app
        .login("karin")
        .await
        .get_json(&format!("/api/timetable/teachers/{lena}"))
        .await;
    assert_eq!(status, 404, "Amira goes to the other school");
    // A pupil's id is no teacher's timetable.
    let (status, _) = anna
        .get_json(&format!("/api/timetable/teachers/{nils}"))
        .await;
    assert_eq!(status, 404);

    // The mentor reads her pupil's timetable, and the read is in the access log.
    let larare = app.login("larare").await;
    let before = app
        .count("SELECT COUNT(*) FROM access_log WHERE action = 'read_timetable'")
        .await;
    let (status, week) = larare
        .get_json(&format!("/api/timetable/pupils/{leo}"))
        .await;
    assert_eq!(status, 200);
    let after = app
        .count("SELECT COUNT(*) FROM access_log WHERE action = 'read_timetable'")
        .await;
    assert_eq!(after, before + 1);
    // As 8A's mentor she may change any of its lessons and take their attendance.
    assert!(lessons(day(&week, "2026-11-24"))
        .iter()
        .filter(|l| l["activity"] != "lunch")
        .all(|l| l["permitted_actions"] == json!(["record_change", "take_attendance"])));
}

#[tokio::test]
async fn a_teacher_records_a_substitute_and_the_pupil_sees_it_at_once() {
    let app = TestApp::spawn().await;
    let elev = app.login("elev").await;
    let leo = my_id(&elev).await;
    let larare = app.login("larare").await;
    let (_, week) = larare
        .get_json(&format!("/api/timetable/pupils/{leo}?week=2026-11-30"))
        .await;
    let thursday = lessons(day(&week, "2026-12-03"));
    let lesson = thursday
        .iter()
        .find(|l| l["activity"] != "lunch" && l["change"].is_null())
        .unwrap();
    let id = lesson["lesson_id"].as_str().unwrap();
    let (status, substitutes) = larare
        .get_json(&format!("/api/timetable/lessons/{id}/substitutes"))
        .await;
    assert_eq!(status, 200);
    let substitute = substitutes[0].clone();
    let path = format!("/api/timetable/lessons/{id}/changes/2026-12-03");
    let response = larare
        .put(
            &path,
            &json!({"substitute_teacher_id": substitute["person_id"], "note": "Ta med boken."}),
        )
        .await;
    assert_eq!(response.status(), 204);
    let (_, week) = elev
        .get_json(&format!("/api/timetable/pupils/{leo}?week=2026-11-30"))
        .await;
    let changed = lessons(day(&week, "2026-12-03"))
        .iter()
        .find(|l| l["lesson_id"] == id)
        .unwrap()
        .clone();
    assert_eq!(changed["teacher_name"], substitute["name"]);
    assert_eq!(changed["change"]["kinds"], json!(["substitute"]));
    assert_eq!(changed["change"]["note"], "Ta med boken.");
    // The substitute finds the lesson on their own timetable.
    let sub_id = substitute["person_id"].as_str().unwrap();
    let (_, theirs) = larare
        .get_json(&format!("/api/timetable/teachers/{sub_id}?week=2026-11-30"))
        .await;
    assert!(lessons(day(&theirs, "2026-12-03"))
        .iter()
        .any(|l| l["lesson_id"] == id));

    // What cannot be recorded is refused with a reason, and what is stored stays.
    for (body, date, status, code) in [
        (
            json!({"starts_at": "9.15"}),
            "2026-12-03",
            400,
            "invalid_time",
        ),
        (
            json!({"starts_at": "15:00", "ends_at": "14:00"}),
            "2026-12-03",
            422,
            "invalid_times",
        ),
        (
            json!({"cancelled": true, "room": "A1"}),
            "2026-12-03",
            422,
            "cancelled_with_details",
        ),
        (json!({}), "2026-12-03", 422, "nothing_changed"),
        (
            json!({"room": "x".repeat(41)}),
            "2026-12-03",
            400,
            "room_too_long",
        ),
        (json!({"cancelled": true}), "2026-11-19", 422, "day_passed"),
        (
            json!({"cancelled": true}),
            "2026-12-05",
            422,
            "not_a_lesson_day",
        ),
        (
            json!({"cancelled": true}),
            "2026-12-24",
            422,
            "not_a_lesson_day",
        ),
        (
            json!({"substitute_teacher_id": leo}),
            "2026-12-03",
            422,
            "not_a_substitute",
        ),
    ] {
        let response = larare
            .put(
                &format!("/api/timetable/lessons/{id}/changes/{date}"),
                &body,
            )
            .await;
        assert_eq!(response.status(), status, "{body} {date}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], code);
    }
    let (_, week) = elev
        .get_json(&format!("/api/timetable/pupils/{leo}?week=2026-11-30"))
        .await;
    assert!(lessons(day(&week, "2026-12-03"))
        .iter()
        .any(|l| l["lesson_id"] == id && l["teacher_name"] == substitute["name"]));

    // Pupils and guardians cannot change lessons: the lesson is not theirs to find.
    let response = elev.put(&path, &json!({"cancelled": true})).await;
    assert_eq!(response.status(), 404);

    // Undone, the lesson is as planned again.
    let response = larare.request(Method::DELETE, &path).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let (_, week) = elev
        .get_json(&format!("/api/timetable/pupils/{leo}?week=2026-11-30"))
        .await;
    assert!(lessons(day(&week, "2026-12-03"))
        .iter()
        .any(|l| l["lesson_id"] == id && l["change"].is_null()));
}

/// Parses an iCalendar text with Python's `icalendar` (installed by `cargo xtask setup`) and
/// returns its events as `[summary, start in UTC, end in UTC, status, location]`.
pub(crate) fn parse_ical(text: &str) -> Vec<Value> {
    let python =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/python/venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask setup`",
        python.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.ics");
    std::fs::write(&file, text).unwrap();
    let script = r#"
import json, sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for e in cal.walk('VEVENT'):
    s = e.decoded('DTSTART'); f = e.decoded('DTEND')
    assert s.tzinfo is not None, 'a floating time'
    utc = datetime.timezone.utc
    out.append([str(e['SUMMARY']), s.astimezone(utc).strftime('%Y-%m-%dT%H:%M'),
                f.astimezone(utc).strftime('%Y-%m-%dT%H:%M'), str(e.get('STATUS')), str(e.get('LOCATION'))])
print(json.dumps(out))
"#;
    let output = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "icalendar refused the feed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice::<Value>(&output.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn feed_path(url: &str) -> String {
    url[url.find("/api/calendar/").unwrap()..].to_owned()
}

#[tokio::test]
async fn the_calendar_feed_parses_in_a_real_parser_across_summer_time_and_stops_when_revoked() {
    let app = TestApp::spawn().await;
    let elev = app.login("elev").await;
    let leo = my_id(&elev).await;
    let response = elev
        .post("/api/timetable/feeds", &json!({"person_id": leo}))
        .await;
    assert_eq!(response.status(), 201);
    let feed: Value = response.json().await.unwrap();
    let path = feed_path(feed["url"].as_str().unwrap());
    let anonymous = app.anonymous();
    let response = anonymous.get(&path).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = response.text().await.unwrap();
    assert!(text.contains("BEGIN:VTIMEZONE"));
    // No more than the timetable shows: no personnummer, no classmates.
    let pnr = app.personnummer_of("Leo", "Sjöberg").await;
    assert!(!text.contains(&pnr) && !text.contains(&pnr[2..]));
    let events = parse_ical(&text);
    assert!(events.len() > 100, "{} events", events.len());
    // Tuesday's moved lesson, at 08:10 Swedish winter time = 07:10 UTC.
    assert!(
        events
            .iter()
            .any(|e| e[1] == "2026-11-24T07:10" && e[4] == "Aulan"),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| e[1].as_str().unwrap().starts_with("2026-11-24") && e[3] == "CANCELLED"));
    // The list of my feeds names it, without the address.
    let (_, mine) = elev.get_json("/api/timetable/feeds").await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert!(mine[0]["url"].is_null());

    // Across the change to summer time (28 March 2027) and back (25 October 2026): the first
    // lesson stays at 08:10 local time, which is 07:10 UTC in winter and 06:10 UTC in summer.
    let first_lessons_in = |events: &[Value], dates: &[&str]| -> Vec<String> {
        dates
            .iter()
            .map(|d| {
                events
                    .iter()
                    .filter(|e| e[1].as_str().unwrap().starts_with(d) && e[0] != "Lunch")
                    .map(|e| e[1].as_str().unwrap().to_owned())
                    .min()
                    .unwrap_or_default()
            })
            .collect()
    };
    app.advance(chrono::Duration::days(119)); // Tuesday 2027-03-23
    let events = parse_ical(&anonymous.get(&path).await.text().await.unwrap());
    assert_eq!(
        // The week of Easter Monday is påsklov.
        first_lessons_in(&events, &["2027-03-22", "2027-04-05"]),
        ["2027-03-22T07:10", "2027-04-05T06:10"]
    );
    app.advance(chrono::Duration::days(-154)); // Tuesday 2026-10-20
    let events = parse_ical(&anonymous.get(&path).await.text().await.unwrap());
    assert_eq!(
        first_lessons_in(&events, &["2026-10-19", "2026-11-02"]),
        ["2026-10-19T06:10", "2026-11-02T07:10"]
    );
    app.advance(chrono::Duration::days(35)); // back to 2026-11-24

    // Renewing ends the old address; revoking ends the new one.
    let renewed: Value = elev
        .post("/api/timetable/feeds", &json!({"person_id": leo}))
        .await
        .json()
        .await
        .unwrap();
    let new_path = feed_path(renewed["url"].as_str().unwrap());
    assert_ne!(new_path, path);
    assert_eq!(anonymous.get(&path).await.status(), 404);
    assert_eq!(anonymous.get(&new_path).await.status(), 200);
    let response = elev
        .request(Method::DELETE, &format!("/api/timetable/feeds/{leo}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(anonymous.get(&new_path).await.status(), 404);
    assert_eq!(
        anonymous
            .get("/api/calendar/not-a-token.ics")
            .await
            .status(),
        404
    );

    // Only the family subscribes: a guardian to her child's, staff never to a pupil's.
    let nils = person(&app, "Nils", "Lindqvist").await;
    let anna = app.login("anna").await;
    let status = |r: reqwest::Response| r.status();
    assert_eq!(
        status(
            anna.post("/api/timetable/feeds", &json!({"person_id": nils}))
                .await
        ),
        201
    );
    assert_eq!(
        status(
            anna.post("/api/timetable/feeds", &json!({"person_id": leo}))
                .await
        ),
        404
    );
    let larare = app.login("larare").await;
    assert_eq!(
        status(
            larare
                .post("/api/timetable/feeds", &json!({"person_id": leo}))
                .await
        ),
        404
    );
    // A teacher subscribes to her own timetable.
    let lena = my_id(&larare).await;
    let response = larare
        .post("/api/timetable/feeds", &json!({"person_id": lena}))
        .await;
    assert_eq!(response.status(), 201);
    let own: Value = response.json().await.unwrap();
    let events = parse_ical(
        &anonymous
            .get(&feed_path(own["url"].as_str().unwrap()))
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(!events.is_empty());

    // Both are stored personal data, and the register extract shows them.
    let (status, extract) = larare.get_json("/api/me/extract").await;
    assert_eq!(status, 200);
    assert!(!extract["timetable"]["lessons_taught"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        extract["timetable"]["calendar_feeds"][0]["person_name"],
        "Lena Strand"
    );
    app.turn_on_codes("anna").await;
    app.step_up(&anna, "anna").await;
    let (_, extract) = anna.get_json("/api/me/extract").await;
    assert_eq!(
        extract["timetable"]["calendar_feeds"][0]["person_name"],
        "Nils Lindqvist"
    );
}
