//! Leave applications through the API (`/api/leave-applications`): a guardian of a pupil in 8A
//! applies for two school days and the mentor ("larare") grants them; the guardians are told, and
//! on those days the pupil is valid absence on the roster before anything is marked. Erik and
//! Maria (separated, joint custody) both agree to Alva's longer leave before the principal
//! ("rektor") may decide it, which the mentor may not. What is not an application is refused.

use serde_json::{json, Value};
use skolportal_tests::{TestApp, UserClient};
use uuid::Uuid;

use crate::attendance::{leo_and_lessons, pupil_with_guardian, roster_path};

/// The personnummer of every guardian of `child`.
async fn guardian_pnrs(app: &TestApp, child: &str) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = app
        .db
        .query_all(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT g.child_id, p.personnummer FROM guardianship g JOIN person p ON p.id = g.adult_id \
             WHERE g.relation = 'guardian' AND p.personnummer IS NOT NULL"
                .to_owned(),
        ))
        .await
        .unwrap();
    rows.into_iter()
        .filter(|r| r.try_get_by_index::<Uuid>(0).unwrap().to_string() == child)
        .map(|r| r.try_get_by_index::<String>(1).unwrap())
        .collect()
}

async fn apply(client: &UserClient, child: &str, first: &str, last: &str) -> (u16, Value) {
    let body = json!({
        "submission_id": Uuid::new_v4(), "child_id": child,
        "first_day": first, "last_day": last, "reason": "family_event",
    });
    let response = client.post("/api/leave-applications", &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn may(application: &Value, action: &str) -> bool {
    application["permitted_actions"]
        .as_array()
        .unwrap()
        .contains(&json!(action))
}

#[tokio::test]
async fn the_mentor_grants_two_days_and_the_pupil_is_on_leave_on_the_roster() {
    let app = crate::applications::app().await;
    let (kid, guardian) = pupil_with_guardian(&app).await;

    // What is not an application is refused, and nothing is stored.
    for (first, last, code) in [
        ("2026-11-24", "2026-11-24", "leave_not_ahead"),
        ("2026-12-02", "2026-12-01", "leave_days_reversed"),
        ("2026-11-28", "2026-11-29", "leave_no_school_days"),
    ] {
        let (status, refused) = apply(&guardian, &kid, first, last).await;
        assert_eq!(
            (status, refused["error"].as_str()),
            (422, Some(code)),
            "{refused}"
        );
    }
    let elev = app.login("elev").await;
    let (status, _) = apply(&elev, &kid, "2026-11-30", "2026-12-01").await;
    assert_eq!(status, 404, "a pupil does not apply for anyone's leave");
    assert_eq!(app.count("SELECT COUNT(*) FROM leave_application").await, 0);

    // Monday and Tuesday next week; one submit sent twice is one application.
    let body = json!({
        "submission_id": Uuid::new_v4(), "child_id": kid,
        "first_day": "2026-11-30", "last_day": "2026-12-01", "reason": "family_event",
    });
    let first = guardian.post("/api/leave-applications", &body).await;
    assert_eq!(first.status(), 201);
    let mut application: Value = first.json().await.unwrap();
    let again: Value = guardian
        .post("/api/leave-applications", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["id"], application["id"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM leave_application").await, 1);
    assert_eq!(application["school_days"], 2);
    assert_eq!(application["decider"], "mentor");
    let id = application["id"].as_str().unwrap().to_owned();

    // Under joint custody apart, every other guardian agrees first.
    if application["status"] == "awaiting_guardians" {
        for pnr in guardian_pnrs(&app, &kid).await {
            let other = app.anonymous();
            assert_eq!(other.bankid_login(&pnr, "loa3").await.status(), 302);
            let response = other
                .post(&format!("/api/leave-applications/{id}/agree"), &json!({}))
                .await;
            if response.status() == 200 {
                application = response.json().await.unwrap();
            }
        }
    }
    assert_eq!(application["status"], "pending", "{application}");

    // The mentor has it to decide; a teacher of no group of the pupil does not.
    let larare = app.login("larare").await;
    let (status, to_decide) = larare.get_json("/api/leave-applications/to-decide").await;
    assert_eq!(status, 200, "{to_decide}");
    let listed = to_decide
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .expect("on the mentor's list")
        .clone();
    assert!(may(&listed, "decide"));
    let response = larare
        .post(
            &format!("/api/leave-applications/{id}/decision"),
            &json!({ "grant": true }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let decided: Value = response.json().await.unwrap();
    assert_eq!(decided["status"], "granted");
    assert_eq!(decided["decided_by"], "Lena Strand");
    let response = larare
        .post(
            &format!("/api/leave-applications/{id}/decision"),
            &json!({ "grant": false }),
        )
        .await;
    assert_eq!(response.status(), 409, "decided once");
    let response = guardian
        .post(
            &format!("/api/leave-applications/{id}/withdraw"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 409, "not withdrawn after the decision");

    // The guardians are told, in the app.
    let (_, notices) = guardian.get_json("/api/notices").await;
    let told = &notices["notices"][0];
    assert_eq!(told["kind"], "leave_granted", "{notices}");
    assert_eq!(
        (told["date"].as_str(), told["until"].as_str()),
        (Some("2026-11-30"), Some("2026-12-01"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notice WHERE kind = 'leave_granted'")
            .await,
        guardian_pnrs(&app, &kid).await.len() as i64
    );

    // On Tuesday 1 December the pupil is valid absence before anything is marked.
    let (_, held, _) = leo_and_lessons(&app).await;
    app.advance(chrono::Duration::days(7));
    let larare = app.login("larare").await;
    let (status, roster) = larare.get_json(&roster_path(&held, "2026-12-01")).await;
    assert_eq!(status, 200, "{roster}");
    let pupil = roster["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pupil_id"] == kid.as_str())
        .expect("on the roster")
        .clone();
    assert_eq!(
        (pupil["mark"].as_str(), pupil["on_leave"].as_bool()),
        (Some("valid_absence"), Some(true))
    );
}

#[tokio::test]
async fn both_separated_guardians_agree_before_the_principal_decides_longer_leave() {
    let app = TestApp::spawn().await;
    let erik = app.login("erik").await;
    let maria = app.login("maria").await;
    let alva = crate::consent::alva(&erik).await;

    // Eight school days: more than the mentor's five.
    let (status, application) = apply(&erik, &alva, "2026-12-07", "2026-12-16").await;
    assert_eq!(status, 201, "{application}");
    assert_eq!(application["school_days"], 8);
    assert_eq!(application["decider"], "principal");
    assert_eq!(application["status"], "awaiting_guardians");
    assert_eq!(
        application["awaiting"].as_array().unwrap().len(),
        1,
        "{application}"
    );
    let id = application["id"].as_str().unwrap().to_owned();
    assert!(!may(&application, "agree"), "Erik agreed by applying");

    // Not the principal's to decide before Maria agrees; never the mentor's.
    let rektor = app.login("rektor").await;
    let (_, to_decide) = rektor.get_json("/api/leave-applications/to-decide").await;
    assert!(to_decide.as_array().unwrap().is_empty(), "{to_decide}");
    let response = rektor
        .post(
            &format!("/api/leave-applications/{id}/decision"),
            &json!({ "grant": true }),
        )
        .await;
    assert_eq!(response.status(), 409);

    let (_, listed) = maria.get_json("/api/leave-applications").await;
    let listed = &listed[0];
    assert!(may(listed, "agree"), "{listed}");
    let response = maria
        .post(&format!("/api/leave-applications/{id}/agree"), &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    let agreed: Value = response.json().await.unwrap();
    assert_eq!(agreed["status"], "pending");
    assert_eq!(agreed["agreed_by"].as_array().unwrap().len(), 2);

    let larare = app.login("larare").await;
    let response = larare
        .post(
            &format!("/api/leave-applications/{id}/decision"),
            &json!({ "grant": true }),
        )
        .await;
    assert_eq!(response.status(), 404, "above the mentor's days");
    let (_, to_decide) = rektor.get_json("/api/leave-applications/to-decide").await;
    assert_eq!(to_decide[0]["id"], id.as_str());
    let response = rektor
        .post(
            &format!("/api/leave-applications/{id}/decision"),
            &json!({ "grant": false }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let (_, notices) = maria.get_json("/api/notices").await;
    assert_eq!(notices["notices"][0]["kind"], "leave_refused", "{notices}");
    let response = rektor
        .post(
            &format!("/api/leave-applications/{id}/decision"),
            &json!({ "maybe": 1 }),
        )
        .await;
    assert_eq!(response.status(), 400);
}
