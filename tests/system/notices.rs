//! The same-day notice of unexcused absence (skollagen 7 kap. 17 §) through the real system: the
//! mentor of 8A marks a pupil unexcused absent, and every guardian is told once, in the app, by
//! e-mail through a real local SMTP server (aiosmtpd), and by Web Push to a fake push service that
//! checks the VAPID signature and decrypts the message itself. The job runners are driven round
//! by round on the backend's clock, two at a time, as two instances would.

use std::time::Duration;

use serde_json::{json, Value};
use skolportal_backend::settings::{JobSettings, NoticeSettings, Secret};
use skolportal_tests::app::TestOptions;
use skolportal_tests::mail::MailSink;
use skolportal_tests::push::FakePushService;
use skolportal_tests::TestApp;

use crate::attendance::{leo_and_lessons, pupil_with_guardian, roster_path};

const TODAY: &str = "2026-11-24";

async fn app_with(sink: &MailSink) -> TestApp {
    TestApp::spawn_with(TestOptions {
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
    .await
}

/// Two instances' runners, each taking a round, until a round finds nothing due.
async fn run_jobs(app: &TestApp) {
    let a = app.job_runner("instance-a");
    let b = app.job_runner("instance-b");
    for _ in 0..20 {
        let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
        if ra.unwrap().claimed + rb.unwrap().claimed == 0 {
            return;
        }
    }
    panic!("the jobs did not settle");
}

async fn mark(app: &TestApp, lesson: &Value, pupil: &str, mark: &str) {
    let larare = app.login("larare").await;
    let response = larare
        .put(
            &roster_path(lesson, TODAY),
            &json!({ "marks": [{ "pupil_id": pupil, "mark": mark }] }),
        )
        .await;
    assert_eq!(response.status(), 200);
}

async fn guardians_of(app: &TestApp, child: &str) -> Vec<(String, String)> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT p.email, c.given_name, c.personnummer, g.child_id FROM guardianship g \
             JOIN person p ON p.id = g.adult_id JOIN person c ON c.id = g.child_id \
             WHERE g.relation = 'guardian'"
                .to_owned(),
        ))
        .await
        .unwrap();
    rows.into_iter()
        .filter(|r| r.try_get_by_index::<uuid::Uuid>(3).unwrap().to_string() == child)
        .map(|r| {
            (
                r.try_get_by_index::<String>(0).unwrap(),
                r.try_get_by_index::<String>(1).unwrap(),
            )
        })
        .collect()
}

async fn child_personnummer(app: &TestApp, child: &str) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id, personnummer FROM person WHERE personnummer IS NOT NULL".to_owned(),
        ))
        .await
        .unwrap();
    rows.into_iter()
        .find(|r| r.try_get_by_index::<uuid::Uuid>(0).unwrap().to_string() == child)
        .map(|r| r.try_get_by_index::<String>(1).unwrap())
        .expect("the child's personnummer")
}

#[tokio::test]
async fn an_unexcused_absence_is_told_to_every_guardian_once_in_the_app_by_email_and_by_push() {
    let sink = MailSink::start();
    let push = FakePushService::start().await;
    let app = app_with(&sink).await;
    let (_, held, _) = leo_and_lessons(&app).await;
    let (kid, guardian) = pupil_with_guardian(&app).await;
    let guardians = guardians_of(&app, &kid).await;
    assert!(!guardians.is_empty());
    let given_name = guardians[0].1.clone();
    let pnr = child_personnummer(&app, &kid).await;

    // The guardian allows notices on her phone.
    let (status, channels) = guardian.get_json("/api/notices/channels").await;
    assert_eq!(status, 200, "{channels}");
    assert_eq!(channels["by_email"], true);
    assert_eq!(channels["by_push"], true);
    assert_eq!(channels["push_devices"], 0);
    let vapid = channels["push_public_key"].as_str().unwrap().to_owned();
    let phone = push.subscribe("annas-phone");
    let response = guardian
        .post(
            "/api/notices/push-subscriptions",
            &serde_json::to_value(&phone).unwrap(),
        )
        .await;
    assert_eq!(response.status(), 204);
    let bad =
        json!({ "endpoint": "ftp://example.com/x", "p256dh": phone.p256dh, "auth": phone.auth });
    let response = guardian.post("/api/notices/push-subscriptions", &bad).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        guardian.get_json("/api/notices/channels").await.1["push_devices"],
        1
    );

    // The mentor marks the child unexcused absent: nothing is sent before the gathering time.
    mark(&app, &held, &kid, "unexcused_absence").await;
    run_jobs(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM notice").await, 0);
    app.advance(chrono::Duration::minutes(10));
    run_jobs(&app).await;

    // Every guardian has it in the app, one each.
    let told = guardians.len() as i64;
    assert_eq!(app.count("SELECT COUNT(*) FROM notice").await, told);
    let (status, list) = guardian.get_json("/api/notices").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["unread"], 1, "{list}");
    let notice = &list["notices"][0];
    assert_eq!(notice["child_given_name"], given_name.as_str());
    assert_eq!(notice["date"], TODAY);
    assert_eq!(notice["lessons"][0]["lesson_id"], held["lesson_id"]);
    assert_eq!(notice["emailed"], true, "{list}");

    // By e-mail, one to each guardian: the first name, the day, the lesson, a link; no
    // personnummer.
    let mails = sink
        .wait_for(guardians.len(), Duration::from_secs(10))
        .await;
    assert_eq!(mails.len(), guardians.len(), "{mails:?}");
    for (address, _) in &guardians {
        let mail = mails
            .iter()
            .find(|m| m.to.contains(address.as_str()))
            .expect("a mail");
        assert!(mail.subject.contains(&given_name), "{mail:?}");
        assert!(mail.body.contains(&given_name), "{mail:?}");
        assert!(mail.body.contains("tisdag 24 november"), "{mail:?}");
        assert!(
            mail.body.contains(held["starts_at"].as_str().unwrap()),
            "the lesson's time: {mail:?}"
        );
        assert!(mail.body.contains("/notiser"), "{mail:?}");
        assert!(!mail.body.contains(&pnr) && !mail.subject.contains(&pnr));
        assert!(!mail.body.contains(&pnr[pnr.len() - 4..]), "{mail:?}");
        assert!(mail.message_id.starts_with("<notice-"), "{mail:?}");
    }

    // By push: signed with the key the browser subscribed with, and readable only by it.
    let pushed = push.received();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    let message = pushed[0].as_ref().expect("a valid push message");
    assert_eq!(message.vapid_key, vapid);
    assert_eq!(message.claims["aud"], "http://127.0.0.1");
    assert!(message.claims["sub"]
        .as_str()
        .unwrap()
        .starts_with("mailto:"));
    assert!(message.topic.is_some());
    let payload: Value = serde_json::from_slice(&message.plaintext).unwrap();
    assert!(
        payload["title"].as_str().unwrap().contains(&given_name),
        "{payload}"
    );
    assert_eq!(payload["url"], "/notiser");
    assert!(!String::from_utf8_lossy(&message.plaintext).contains(&pnr));

    // Exactly once: more rounds, a correction back and forth on the same lesson, and an
    // unchanged save send nothing more.
    run_jobs(&app).await;
    mark(&app, &held, &kid, "present").await;
    mark(&app, &held, &kid, "unexcused_absence").await;
    mark(&app, &held, &kid, "unexcused_absence").await;
    app.advance(chrono::Duration::minutes(30));
    run_jobs(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM notice").await, told);
    assert_eq!(sink.mails().len(), guardians.len());
    assert_eq!(push.received().len(), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM job WHERE done_at IS NULL")
            .await,
        0,
        "nothing waits or is parked"
    );

    // Read in the app; and in the guardian's register extract (a new session: the clock moved
    // past the first one's idle timeout).
    let (_, guardian) = pupil_with_guardian(&app).await;
    let id = notice["id"].as_str().unwrap();
    let response = guardian
        .post(&format!("/api/notices/{id}/read"), &json!({}))
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(guardian.get_json("/api/notices").await.1["unread"], 0);
    let (_, extract) = guardian.get_json("/api/me/extract").await;
    assert_eq!(
        extract["notices"]["received"].as_array().unwrap().len(),
        1,
        "{extract}"
    );
    assert_eq!(
        extract["notices"]["push_devices"][0]["push_service"],
        "127.0.0.1"
    );

    // Someone else's notice is not found; without a session, nothing.
    let larare = app.login("larare").await;
    let response = larare
        .post(&format!("/api/notices/{id}/read"), &json!({}))
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(app.anonymous().get_json("/api/notices").await.0, 401);
}

#[tokio::test]
async fn a_notice_outlasts_an_smtp_server_that_is_down_for_an_hour_and_follows_the_guardians_choice(
) {
    let mut sink = MailSink::start();
    let push = FakePushService::start().await;
    let app = app_with(&sink).await;
    let (_, held, _) = leo_and_lessons(&app).await;
    let (kid, guardian) = pupil_with_guardian(&app).await;
    let guardians = guardians_of(&app, &kid).await;

    // This guardian wants push only; the phone's subscription has since expired (410).
    let response = guardian
        .put(
            "/api/notices/channels",
            &json!({ "by_email": false, "by_push": true }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = guardian
        .put("/api/notices/channels", &json!({ "by_email": "ja" }))
        .await;
    assert_eq!(response.status(), 400);
    let phone = push.subscribe("old-phone");
    let response = guardian
        .post(
            "/api/notices/push-subscriptions",
            &serde_json::to_value(&phone).unwrap(),
        )
        .await;
    assert_eq!(response.status(), 204);
    push.answer_with(Some(410));

    sink.stop();
    mark(&app, &held, &kid, "unexcused_absence").await;
    app.advance(chrono::Duration::minutes(10));
    // An hour with the SMTP server down, the runners trying as the backoff lets them.
    for _ in 0..12 {
        run_jobs(&app).await;
        app.advance(chrono::Duration::minutes(5));
    }
    assert!(sink.mails().is_empty());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM job WHERE parked_at IS NOT NULL")
            .await,
        0
    );
    sink.resume();
    for _ in 0..12 {
        run_jobs(&app).await;
        app.advance(chrono::Duration::minutes(5));
    }
    let mails = sink
        .wait_for(guardians.len() - 1, Duration::from_secs(10))
        .await;
    // Every guardian but the one who chose push only, once each.
    assert_eq!(mails.len(), guardians.len() - 1, "{mails:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notice").await,
        guardians.len() as i64
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM job WHERE done_at IS NULL")
            .await,
        0
    );
    // The expired subscription was tried once and forgotten.
    assert_eq!(push.received().len(), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM push_subscription").await, 0);
    let (_, guardian) = pupil_with_guardian(&app).await;
    assert_eq!(guardian.get_json("/api/notices").await.1["unread"], 1);
}

/// A guardian reads e-mail and push in the language they chose for them, one of the
/// municipality's; the other guardian, who chose none, in the municipality's first (Swedish).
/// A language not offered is refused and changes nothing; the choice is in the register extract.
#[tokio::test]
async fn each_guardian_is_told_in_the_language_they_chose() {
    let sink = MailSink::start();
    let push = FakePushService::start().await;
    let app = app_with(&sink).await;
    let (_, held, _) = leo_and_lessons(&app).await;
    let (kid, guardian) = pupil_with_guardian(&app).await;
    let guardians = guardians_of(&app, &kid).await;
    assert!(guardians.len() >= 2, "a child with two guardians");
    let given_name = guardians[0].1.clone();
    let (status, channels) = guardian.get_json("/api/notices/channels").await;
    assert_eq!(status, 200, "{channels}");
    assert_eq!(channels["language"], "sv");
    assert_eq!(
        channels["languages"],
        json!(["sv", "en", "fi", "ar", "so", "uk"])
    );
    let address = channels["email_address"].as_str().unwrap().to_owned();

    let choose = |body: Value| {
        let guardian = &guardian;
        async move { guardian.put("/api/notices/channels", &body).await }
    };
    let response = choose(json!({ "by_email": true, "by_push": true, "language": "de" })).await;
    assert_eq!(response.status(), 422);
    let refusal: Value = response.json().await.unwrap();
    assert_eq!(refusal["error"], "unknown_language");
    assert_eq!(
        guardian.get_json("/api/notices/channels").await.1["language"],
        "sv"
    );
    let response = choose(json!({ "by_email": true, "by_push": true, "language": "en" })).await;
    assert_eq!(response.status(), 200);
    // Choosing the channels again without a language keeps it.
    let response = choose(json!({ "by_email": true, "by_push": true })).await;
    let chosen: Value = response.json().await.unwrap();
    assert_eq!(chosen["language"], "en", "{chosen}");
    let phone = push.subscribe("phone");
    let response = guardian
        .post(
            "/api/notices/push-subscriptions",
            &serde_json::to_value(&phone).unwrap(),
        )
        .await;
    assert_eq!(response.status(), 204);

    mark(&app, &held, &kid, "unexcused_absence").await;
    app.advance(chrono::Duration::minutes(10));
    run_jobs(&app).await;
    let mails = sink
        .wait_for(guardians.len(), Duration::from_secs(10))
        .await;
    assert_eq!(mails.len(), guardians.len(), "{mails:?}");
    for mail in &mails {
        if mail.to.contains(address.as_str()) {
            assert!(
                mail.subject
                    .starts_with(&format!("Unexcused absence: {given_name}")),
                "{mail:?}"
            );
            assert!(mail.body.contains("Tuesday 24 November"), "{mail:?}");
            assert!(!mail.body.contains("tisdag"), "{mail:?}");
        } else {
            assert!(mail.body.contains("tisdag 24 november"), "{mail:?}");
        }
    }
    let pushed = push.received();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    let payload: Value =
        serde_json::from_slice(&pushed[0].as_ref().expect("a push").plaintext).unwrap();
    assert_eq!(
        payload["title"],
        format!("Unexcused absence: {given_name}").as_str()
    );
    assert!(
        payload["body"]
            .as_str()
            .unwrap()
            .starts_with("Tuesday 24 November"),
        "{payload}"
    );

    let (status, extract) = guardian.get_json("/api/me/extract").await;
    assert_eq!(status, 200);
    assert_eq!(extract["notices"]["language"], "en");
}
