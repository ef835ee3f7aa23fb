//! Consents (samtycken) through the API: each guardian's decision, the rule of the kind (every
//! guardian, or one), any withdrawal closing it until the one who withdrew gives it again, the
//! history, who reads and who decides, and the reminder before each school year — once per
//! guardian and year, by the job queue on the backend's clock.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use skolportal_backend::settings::JobSettings;
use skolportal_tests::app::TestOptions;
use skolportal_tests::{TestApp, UserClient};

pub(crate) async fn alva(client: &UserClient) -> String {
    let (_, children) = client.get_json("/api/children").await;
    children
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["given_name"] == "Alva")
        .unwrap_or_else(|| panic!("Alva among {children}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn consent<'a>(view: &'a Value, key: &str) -> &'a Value {
    view["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"]["key"] == key)
        .unwrap_or_else(|| panic!("{key} in {view}"))
}

async fn decide(client: &UserClient, child: &str, key: &str, decision: &str) -> Value {
    let response = client
        .put(
            &format!("/api/children/{child}/consents/{key}"),
            &json!({ "decision": decision }),
        )
        .await;
    assert_eq!(response.status(), 200, "{key} {decision}");
    response.json().await.unwrap()
}

const TALKS: &str = "utvecklingssamtal";
const WEBSITE: &str = "publicering";

#[tokio::test]
async fn every_guardian_consents_and_any_withdrawal_closes_it_with_the_history_kept() {
    let app = TestApp::spawn().await;
    let erik = app.login("erik").await;
    let maria = app.login("maria").await;
    let child = alva(&erik).await;

    let (status, view) = erik
        .get_json(&format!("/api/children/{child}/consents"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["can_decide"], true);
    assert_eq!(view["consents"].as_array().unwrap().len(), 3, "{view}");
    let talks = consent(&view, TALKS);
    assert_eq!(talks["state"], "not_given");
    assert_eq!(talks["kind"]["purpose"], "talk_documentation");
    assert_eq!(talks["kind"]["requirement"], "every_guardian");
    assert_eq!(talks["guardians"].as_array().unwrap().len(), 2);

    // Talks need both guardians; the website one guardian.
    let view = decide(&erik, &child, TALKS, "given").await;
    assert_eq!(consent(&view, TALKS)["state"], "waiting");
    assert_eq!(consent(&view, TALKS)["mine"], "given");
    let view = decide(&erik, &child, WEBSITE, "given").await;
    assert_eq!(consent(&view, WEBSITE)["state"], "in_force");
    let view = decide(&maria, &child, TALKS, "given").await;
    assert_eq!(consent(&view, TALKS)["state"], "in_force");
    assert_eq!(consent(&view, TALKS)["mine"], "given");

    // Maria withdraws: closed, and Erik's consent does not reopen it.
    let view = decide(&maria, &child, TALKS, "withdrawn").await;
    assert_eq!(consent(&view, TALKS)["state"], "withdrawn");
    let view = decide(&erik, &child, TALKS, "given").await;
    assert_eq!(consent(&view, TALKS)["state"], "withdrawn");
    let history = consent(&view, TALKS)["history"].as_array().unwrap().clone();
    assert_eq!(history.len(), 3, "giving again what one gave adds nothing");
    assert_eq!(history[0]["decision"], "withdrawn");
    assert_eq!(history[0]["given_name"], "Maria");
    assert_eq!(history[2]["given_name"], "Erik");
    // The website consent: one withdrawal ends it too.
    let view = decide(&maria, &child, WEBSITE, "withdrawn").await;
    assert_eq!(consent(&view, WEBSITE)["state"], "withdrawn");
    // Only Maria reopens what she closed.
    let view = decide(&maria, &child, TALKS, "given").await;
    assert_eq!(consent(&view, TALKS)["state"], "in_force");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM consent_decision").await,
        6,
        "one row per change of mind, never an update"
    );

    // The register extract holds every decision (after a one-time code, rule 11).
    app.turn_on_codes("erik").await;
    app.step_up(&erik, "erik").await;
    let (_, extract) = erik.get_json("/api/me/extract").await;
    let alva = extract["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == child.as_str())
        .unwrap();
    assert_eq!(alva["consents"].as_array().unwrap().len(), 6, "{alva}");
    assert!(
        alva["consents"][0]["decided_by"]
            .as_str()
            .unwrap()
            .starts_with("Maria "),
        "{alva}"
    );
}

#[tokio::test]
async fn what_is_not_a_decision_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let erik = app.login("erik").await;
    let child = alva(&erik).await;
    let path = format!("/api/children/{child}/consents/{TALKS}");
    for body in [json!({}), json!({ "decision": "maybe" }), json!("given")] {
        let response = erik.put(&path, &body).await;
        assert_eq!(response.status(), 400, "{body}");
    }
    let response = erik
        .put(
            &format!("/api/children/{child}/consents/no-such-consent"),
            &json!({ "decision": "given" }),
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM consent_decision").await, 0);
}

#[tokio::test]
async fn the_pupil_and_the_mentor_read_but_only_guardians_decide_and_staff_reads_are_logged() {
    let app = TestApp::spawn().await;
    let elev = app.login("elev").await;
    let (_, me) = elev.get_json("/api/me").await;
    let leo = me["person_id"].as_str().unwrap().to_owned();
    let path = format!("/api/children/{leo}/consents");

    let (status, view) = elev.get_json(&path).await;
    assert_eq!(status, 200);
    assert_eq!(view["can_decide"], false);
    let response = elev
        .put(&format!("{path}/{TALKS}"), &json!({ "decision": "given" }))
        .await;
    assert_eq!(response.status(), 404, "a pupil does not decide");

    let logged = "SELECT COUNT(*) FROM access_log WHERE action = 'read_consents'";
    let larare = app.login("larare").await;
    let (status, view) = larare.get_json(&path).await;
    assert_eq!(status, 200, "the mentor of 8A");
    assert_eq!(view["can_decide"], false);
    assert_eq!(app.count(logged).await, 1);
    let response = larare
        .put(&format!("{path}/{TALKS}"), &json!({ "decision": "given" }))
        .await;
    assert_eq!(response.status(), 404, "staff do not decide");

    // A guardian of another family reads nothing of Leo's.
    let (status, _) = app.login("erik").await.get_json(&path).await;
    assert_eq!(status, 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM consent_decision").await, 0);
}

#[tokio::test]
async fn every_guardian_of_a_pupil_is_reminded_once_before_each_school_year() {
    let app = TestApp::spawn_with(TestOptions {
        jobs: Some(JobSettings {
            enabled: false,
            ..JobSettings::default()
        }),
        ..Default::default()
    })
    .await;
    let runner = app.job_runner("instance-a");
    let run = || async {
        for _ in 0..50 {
            if runner.run_once().await.unwrap().claimed == 0 {
                return;
            }
        }
        panic!("the jobs did not settle");
    };
    let reminders = "SELECT COUNT(*) FROM notice WHERE kind = 'consent_reminder'";
    let guardians = "SELECT COUNT(DISTINCT g.adult_id) FROM guardianship g \
                     JOIN enrolment e ON e.pupil_id = g.child_id WHERE g.relation = 'guardian'";
    let expected = app.count(guardians).await;
    assert!(expected > 10, "the demo has families at school");

    // In the autumn term nothing is due: the next school year is months away.
    run().await;
    assert_eq!(app.count(reminders).await, 0);

    // Ten days before the next autumn term (15 August 2027): every guardian, once.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 8, 5, 6, 0, 0).unwrap());
    run().await;
    assert_eq!(app.count(reminders).await, expected);
    app.advance(chrono::Duration::hours(7));
    run().await;
    assert_eq!(app.count(reminders).await, expected, "once per year");

    let erik = app.login("erik").await;
    let (_, notices) = erik.get_json("/api/notices").await;
    let kinds: Vec<&Value> = notices["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["kind"])
        .collect();
    assert_eq!(kinds, vec!["consent_reminder"], "{notices}");

    // And again the next year, when the municipality has entered its terms.
    app.execute(
        "INSERT INTO school_term (id, municipality_id, kind, starts_on, ends_on) \
         SELECT $1, id, 'autumn', $2, $3 FROM municipality",
        [
            uuid::Uuid::new_v4().into(),
            chrono::NaiveDate::from_ymd_opt(2028, 8, 16).unwrap().into(),
            chrono::NaiveDate::from_ymd_opt(2028, 12, 20)
                .unwrap()
                .into(),
        ],
    )
    .await;
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 8, 6, 6, 0, 0).unwrap());
    run().await;
    assert_eq!(app.count(reminders).await, 2 * expected);
}
