//! Booking development talks through the API: the mentor of 8A publishes talk times; Leo's two
//! guardians (with BankID) book one shared talk, join, move and cancel it; the other guardian
//! sees the booking; nobody else reads or books; two clicks on one time at once give one
//! booking; booking closes after the last day; everyone coming is reminded the day before, once;
//! and the talk is in the pupil's calendar feed and on the family's start page.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use skolportal_backend::settings::{JobSettings, NoticeSettings, Secret};
use skolportal_tests::app::{uuid_of, TestOptions};
use skolportal_tests::mail::MailSink;
use skolportal_tests::{TestApp, UserClient};

use crate::talks::{leo, Leo};

/// 8A: the class Leo is in and the demo teacher `larare` is mentor of.
async fn class_8a(app: &TestApp) -> String {
    uuid_of(
        app,
        "SELECT m.group_id FROM group_membership m \
         JOIN user_account u ON u.person_id = m.person_id AND u.username = 'larare' \
         JOIN group_membership l ON l.group_id = m.group_id AND l.role = 'pupil' \
         JOIN person leo ON leo.id = l.person_id \
         WHERE m.role = 'mentor' AND leo.given_name = 'Leo' AND leo.family_name = 'Sjöberg'",
    )
    .await
}

/// Leo's first guardian, logged in with BankID once more.
async fn first_guardian_again(app: &TestApp) -> UserClient {
    let pnr = crate::talks::personnummer(
        app,
        "SELECT p.personnummer FROM guardianship g JOIN person p ON p.id = g.adult_id \
         JOIN person c ON c.id = g.child_id WHERE c.given_name = 'Leo' \
         AND c.family_name = 'Sjöberg' AND g.relation = 'guardian' \
         ORDER BY p.personnummer LIMIT 1",
    )
    .await;
    crate::talks::bankid(app, &pnr).await
}

/// Four talks of 20 minutes from 14:00 on Tuesday 1 December, to book by 30 November.
fn round(separate: bool) -> Value {
    json!({
        "place": "Sal B12",
        "separate_talks": separate,
        "book_by": "2026-11-30",
        "slots": [
            {"date": "2026-12-01", "starts_at": "14:00", "ends_at": "14:20"},
            {"date": "2026-12-01", "starts_at": "14:25", "ends_at": "14:45"},
            {"date": "2026-12-01", "starts_at": "14:50", "ends_at": "15:10"},
            {"date": "2026-12-01", "starts_at": "15:15", "ends_at": "15:35"},
        ],
    })
}

async fn publish(leo: &Leo, group: &str, separate: bool) -> Value {
    let response = leo
        .mentor
        .post(
            &format!("/api/groups/{group}/talk-rounds"),
            &round(separate),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn times(client: &UserClient, pupil: &str) -> Value {
    let (status, body) = client
        .get_json(&format!("/api/pupils/{pupil}/talk-times"))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn slot_ids(times: &Value) -> Vec<String> {
    times["rounds"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slot_id"].as_str().unwrap().to_owned())
        .collect()
}

fn states(times: &Value) -> Vec<String> {
    times["rounds"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap().to_owned())
        .collect()
}

async fn error_of(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or_default();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn book(client: &UserClient, pupil: &str, slot: &str, separate: bool) -> reqwest::Response {
    client
        .post(
            &format!("/api/pupils/{pupil}/talk-bookings"),
            &json!({ "slot_id": slot, "separate": separate }),
        )
        .await
}

#[tokio::test]
async fn the_mentor_publishes_times_and_both_guardians_share_one_talk() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    let leo = leo(&app).await;
    let group = class_8a(&app).await;
    let rounds = format!("/api/groups/{group}/talk-rounds");

    // Only the mentor publishes and sees the bookings.
    for other in [&leo.teacher, &leo.guardians[0], &leo.pupil] {
        let (status, _) = other.get_json(&rounds).await;
        assert_eq!(status, 404);
        let (status, _) = error_of(other.post(&rounds, &round(false)).await).await;
        assert_eq!(status, 404);
    }
    // What is not a round is refused and nothing is stored.
    let mut overlapping = round(false);
    overlapping["slots"][1]["starts_at"] = json!("14:10");
    assert_eq!(
        error_of(leo.mentor.post(&rounds, &overlapping).await).await,
        (422, "talk_round_slots_overlap".to_owned())
    );
    let mut late = round(false);
    late["book_by"] = json!("2026-12-02");
    assert_eq!(
        error_of(leo.mentor.post(&rounds, &late).await).await,
        (422, "talk_round_deadline_after_talks".to_owned())
    );
    let mut nowhere = round(false);
    nowhere["place"] = json!(" ");
    assert_eq!(
        error_of(leo.mentor.post(&rounds, &nowhere).await).await,
        (422, "talk_round_no_place".to_owned())
    );
    nowhere["video_link"] = json!("javascript:alert(1)");
    assert_eq!(
        error_of(leo.mentor.post(&rounds, &nowhere).await).await,
        (422, "talk_round_video_link_invalid".to_owned())
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM talk_round").await, 0);

    let published = publish(&leo, &group, false).await;
    assert_eq!(published["rounds"][0]["slots"].as_array().unwrap().len(), 4);
    let unbooked = published["rounds"][0]["unbooked"].as_array().unwrap();
    assert!(unbooked.iter().any(|p| p["given_name"] == "Leo"));
    assert!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'publish_talk_times'")
            .await
            >= 1,
        "the mentor's read of the bookings is logged"
    );

    // The pupil and a teacher do not book; the guardians see the free times.
    for other in [&leo.pupil, &leo.teacher] {
        let (status, _) = other
            .get_json(&format!("/api/pupils/{}/talk-times", leo.id))
            .await;
        assert_eq!(status, 404);
    }
    let seen = times(&leo.guardians[0], &leo.id).await;
    assert_eq!(seen["rounds"][0]["open"], true);
    assert_eq!(seen["rounds"][0]["place"], "Sal B12");
    assert_eq!(states(&seen), ["free", "free", "free", "free"]);
    let slots = slot_ids(&seen);

    // The first guardian books; the second sees it, with who comes.
    let response = book(&leo.guardians[0], &leo.id, &slots[1], false).await;
    assert_eq!(response.status(), 200);
    let seen = times(&leo.guardians[1], &leo.id).await;
    assert_eq!(states(&seen), ["free", "ours", "free", "free"]);
    let booking = &seen["rounds"][0]["bookings"][0];
    assert_eq!(booking["attending"], false);
    assert_eq!(booking["attendees"].as_array().unwrap().len(), 1);
    let booking_id = booking["booking_id"].as_str().unwrap().to_owned();

    // One shared talk per pupil: the second guardian joins it instead, and cannot book a
    // separate one in a round without separate talks.
    assert_eq!(
        error_of(book(&leo.guardians[1], &leo.id, &slots[2], false).await).await,
        (409, "talk_already_booked".to_owned())
    );
    assert_eq!(
        error_of(book(&leo.guardians[1], &leo.id, &slots[2], true).await).await,
        (422, "talk_separate_not_allowed".to_owned())
    );
    let join = format!(
        "/api/pupils/{}/talk-bookings/{booking_id}/attendees",
        leo.id
    );
    let response = leo.guardians[1].post(&join, &json!({})).await;
    assert_eq!(response.status(), 200);
    let seen: Value = response.json().await.unwrap();
    assert_eq!(seen["rounds"][0]["bookings"][0]["attending"], true);
    assert_eq!(
        seen["rounds"][0]["bookings"][0]["attendees"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Moved to the last time; the first is free again.
    let one = format!("/api/pupils/{}/talk-bookings/{booking_id}", leo.id);
    let response = leo.guardians[0]
        .put(&one, &json!({ "slot_id": slots[3] }))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        states(&response.json().await.unwrap()),
        ["free", "free", "free", "ours"]
    );

    // The mentor sees who comes, and Leo no longer among those without a time.
    let (_, mentor_view) = leo.mentor.get_json(&rounds).await;
    let slot = &mentor_view["rounds"][0]["slots"][3];
    assert_eq!(slot["booking"]["pupil"]["given_name"], "Leo");
    assert_eq!(slot["booking"]["attendees"].as_array().unwrap().len(), 2);
    assert!(!mentor_view["rounds"][0]["unbooked"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["given_name"] == "Leo"));

    // The talk is on each guardian's start page.
    let (status, start) = leo.guardians[1].get_json("/api/start").await;
    assert_eq!(status, 200);
    let talks = start["talks"].as_array().unwrap();
    assert!(
        talks
            .iter()
            .any(|t| t["date"] == "2026-12-01" && t["starts_at"] == "15:15"),
        "{start}"
    );
    // And on the page the server writes for "Mina barn", which links to the booking.
    let page = leo.guardians[1]
        .get("/children")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"start-talks\""), "{page}");
    assert!(
        page.contains(&format!("href=\"/samtal/{}/boka\"", leo.id)),
        "{page}"
    );

    // Cancelling: the first guardian leaves, the talk stays the second's; then it is gone.
    let response = leo.guardians[0]
        .request(reqwest::Method::DELETE, &one)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM talk_booking").await, 1);
    let response = leo.guardians[0]
        .request(reqwest::Method::DELETE, &one)
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(response).await,
        (409, "talk_not_attending".to_owned())
    );
    let response = leo.guardians[1]
        .request(reqwest::Method::DELETE, &one)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM talk_booking").await, 0);

    // Unknown times are not found; after the last day nothing is booked, and the page says so.
    assert_eq!(
        error_of(
            book(
                &leo.guardians[0],
                &leo.id,
                &uuid::Uuid::new_v4().to_string(),
                false
            )
            .await
        )
        .await
        .0,
        404
    );
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 1, 7, 0, 0).unwrap());
    // A week on, the session has ended: she logs in again.
    let guardian = first_guardian_again(&app).await;
    let seen = times(&guardian, &leo.id).await;
    assert_eq!(seen["rounds"][0]["open"], false);
    assert_eq!(
        error_of(book(&guardian, &leo.id, &slots[0], false).await).await,
        (409, "talk_booking_closed".to_owned())
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM talk_booking").await, 0);
}

#[tokio::test]
async fn two_guardians_clicking_one_time_at_once_get_one_booking() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    let leo = leo(&app).await;
    let group = class_8a(&app).await;
    // Separate talks, so that each guardian may book a time of their own: both ask for the
    // same one at the same moment, four times over.
    publish(&leo, &group, true).await;
    let slots = slot_ids(&times(&leo.guardians[0], &leo.id).await);
    for slot in &slots {
        let (a, b) = tokio::join!(
            book(&leo.guardians[0], &leo.id, slot, true),
            book(&leo.guardians[1], &leo.id, slot, true),
        );
        let mut outcomes = vec![error_of(a).await, error_of(b).await];
        outcomes.sort();
        assert_eq!(
            outcomes,
            [(200, String::new()), (409, "talk_slot_taken".to_owned())],
            "{slot}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM talk_booking").await, 1);
        // Each guardian holds one separate talk at most: cancel to race again.
        let seen = times(&leo.guardians[0], &leo.id).await;
        for booking in seen["rounds"][0]["bookings"].as_array().unwrap() {
            let path = format!(
                "/api/pupils/{}/talk-bookings/{}",
                leo.id,
                booking["booking_id"].as_str().unwrap()
            );
            for guardian in &leo.guardians {
                let _ = guardian
                    .request(reqwest::Method::DELETE, &path)
                    .send()
                    .await
                    .unwrap();
            }
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM talk_booking").await, 0);
    }
}

#[tokio::test]
async fn everyone_coming_is_reminded_the_day_before_once_and_the_talk_is_in_the_pupils_feed() {
    let sink = MailSink::start();
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        jobs: Some(JobSettings {
            enabled: false,
            ..JobSettings::default()
        }),
        notices: Some(NoticeSettings {
            smtp_url: Some(Secret::new(sink.url())),
            ..NoticeSettings::default()
        }),
        ..Default::default()
    })
    .await;
    let leo = leo(&app).await;
    let group = class_8a(&app).await;
    publish(&leo, &group, false).await;
    let slots = slot_ids(&times(&leo.guardians[0], &leo.id).await);
    let response = book(&leo.guardians[0], &leo.id, &slots[0], false).await;
    let seen: Value = response.json().await.unwrap();
    let booking = seen["rounds"][0]["bookings"][0]["booking_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = leo.guardians[1]
        .post(
            &format!("/api/pupils/{}/talk-bookings/{booking}/attendees", leo.id),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);

    let runner = app.job_runner("instance-a");
    let run = || async {
        for _ in 0..50 {
            if runner.run_once().await.unwrap().claimed == 0 {
                return;
            }
        }
        panic!("the jobs did not settle");
    };
    let reminders = "SELECT COUNT(*) FROM notice WHERE kind = 'talk_reminder'";
    // A week before: nothing yet.
    run().await;
    assert_eq!(app.count(reminders).await, 0);
    // The day before, at ten: both guardians, once, however often the job runs.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap());
    run().await;
    assert_eq!(app.count(reminders).await, 2);
    app.advance(chrono::Duration::hours(2));
    run().await;
    assert_eq!(app.count(reminders).await, 2, "once");
    let with_email = app
        .count(
            "SELECT COUNT(*) FROM talk_booking_attendee a JOIN person p ON p.id = a.person_id \
             WHERE p.email IS NOT NULL AND p.email <> ''",
        )
        .await;
    let mails = sink
        .wait_for(with_email as usize, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(mails.len() as i64, with_email);
    for mail in &mails {
        assert!(
            mail.subject.contains("utvecklingssamtal om Leo i morgon"),
            "{mail:?}"
        );
        assert!(mail.body.contains("14:00–14:20, Sal B12"), "{mail:?}");
    }
    // Leo's calendar feed holds the talk at 14:00 Swedish time (13:00 UTC), at its place.
    let elev = app.login("elev").await;
    let response = elev
        .post("/api/timetable/feeds", &json!({ "person_id": leo.id }))
        .await;
    assert_eq!(response.status(), 201);
    let feed: Value = response.json().await.unwrap();
    let url = feed["url"].as_str().unwrap();
    let path = &url[url.find("/api/calendar/").unwrap()..];
    let text = app.anonymous().get(path).await.text().await.unwrap();
    let talks: Vec<serde_json::Value> = crate::timetable::parse_ical(&text)
        .into_iter()
        .filter(|e| e[4] == "Sal B12")
        .collect();
    assert_eq!(
        talks,
        [json!([
            "Utvecklingssamtal",
            "2026-12-01T13:00",
            "2026-12-01T13:20",
            "CONFIRMED",
            "Sal B12"
        ])]
    );
}
