//! Childcare places: applications and the queue, placement offers answered by signing with
//! BankID (through the real test provider), offers lapsing, terminations with the notice period,
//! and two guardians at different addresses who must both sign.

use chrono::Duration;
use serde_json::{json, Value};
use skolportal_tests::app::{child, other_preschool_child, unit, TestOptions};
use skolportal_tests::{TestApp, UserClient};

pub(crate) async fn app() -> TestApp {
    TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await
}

async fn text_of(app: &TestApp, sql: &str) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let row = app
        .db
        .query_one(Statement::from_string(
            app.db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no row for {sql}"));
    row.try_get_by_index::<String>(0).unwrap()
}

async fn personnummer_of(app: &TestApp, username: &str) -> String {
    text_of(
        app,
        &format!("SELECT p.personnummer FROM person p JOIN user_account a ON a.person_id = p.id WHERE a.username = '{username}'"),
    )
    .await
}

/// A BankID session for a demo account.
pub(crate) async fn bankid(app: &TestApp, username: &str) -> (UserClient, String) {
    let pnr = personnummer_of(app, username).await;
    let client = app.anonymous();
    assert_eq!(client.bankid_login(&pnr, "loa3").await.status(), 302);
    (client, pnr)
}

/// Signs document `id` through the provider; returns where the portal sends the browser.
pub(crate) async fn sign(client: &UserClient, id: &str, pnr: &str) -> String {
    let r = client
        .post(&format!("/api/childcare/documents/{id}/sign"), &json!({}))
        .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let start: Value = r.json().await.unwrap();
    let url = start["redirect_url"].as_str().unwrap().to_owned();
    let callback = client
        .walk_provider(&url, pnr, "loa3", "/api/sign/callback")
        .await;
    let done = client.http.get(&callback).send().await.unwrap();
    done.headers()["location"].to_str().unwrap().to_owned()
}

pub(crate) async fn post(client: &UserClient, path: &str, body: &Value) -> (u16, Value) {
    let r = client.post(path, body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn apply(
    client: &UserClient,
    child_id: &str,
    units: &[&str],
    start: &str,
) -> Value {
    let (status, view) = post(
        client,
        "/api/childcare/applications",
        &json!({"child_id": child_id, "wished_start": start, "unit_ids": units, "hours_per_week": 30}),
    )
    .await;
    assert_eq!(status, 201, "{view}");
    view
}

pub(crate) async fn offer(
    officer: &UserClient,
    application: &Value,
    unit_id: &str,
    start: &str,
) -> Value {
    let (status, view) = post(
        officer,
        "/api/childcare/offers",
        &json!({"application_id": application["id"], "unit_id": unit_id, "start_date": start}),
    )
    .await;
    assert_eq!(status, 201, "{view}");
    view
}

#[tokio::test]
async fn a_guardian_applies_sees_the_queue_position_and_an_officer_offers_a_place() {
    let app = app().await;
    let anna = app.login("anna").await;
    // A second family with a child of preschool age (Alva Berg is in year 3).
    let (alva, _, pnr) = other_preschool_child(&app).await;
    let erik = app.anonymous();
    assert_eq!(erik.bankid_login(&pnr, "loa3").await.status(), 302);
    let officer = app.login("handlaggare").await;
    let ella = child(&app, "Ella").await;
    let (ekorren, larkan) = (
        unit(&app, "Förskolan Ekorren").await,
        unit(&app, "Förskolan Lärkan").await,
    );

    let (status, units) = anna.get_json("/api/childcare/units").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Förskolan Ekorren") && names.contains(&"Fritidshemmet Solstrålen"));
    assert!(
        !names.contains(&"Solviksskolan"),
        "a school is not a childcare unit"
    );

    let first = apply(&anna, &ella, &[&ekorren, &larkan], "2027-01-11").await;
    assert_eq!(first["status"], "queued");
    assert_eq!(first["queue_position"], 1);
    assert_eq!(first["applied_on"], "2026-11-24");
    assert_eq!(
        first["offer_by"], "2027-03-24",
        "four months after applying"
    );
    assert_eq!(first["units"][0]["name"], "Förskolan Ekorren");
    assert_eq!(first["units"][1]["name"], "Förskolan Lärkan");
    // Same day: the earlier application goes first (the test clock stands still, so move it).
    app.advance(Duration::seconds(1));
    let second = apply(&erik, &alva, &[&ekorren], "2027-02-01").await;
    assert_eq!(second["queue_position"], 2);

    // Each guardian sees their own child's application only.
    let (_, mine) = anna.get_json("/api/childcare/applications").await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["child_id"], ella.as_str());
    // One application per child in the queue.
    let (status, again) = post(
        &anna,
        "/api/childcare/applications",
        &json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [larkan], "hours_per_week": 30}),
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (409, Some("already_applied"))
    );

    // Only an officer sees the queue and makes offers.
    assert_eq!(
        anna.get(&format!("/api/childcare/queue?unit_id={ekorren}"))
            .await
            .status(),
        404
    );
    let (status, queue) = officer
        .get_json(&format!("/api/childcare/queue?unit_id={ekorren}"))
        .await;
    assert_eq!(status, 200);
    let order: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["application"]["child_id"].as_str().unwrap())
        .collect();
    assert_eq!(order, vec![ella.as_str(), alva.as_str()]);
    let (_, lärkan_queue) = officer
        .get_json(&format!("/api/childcare/queue?unit_id={larkan}"))
        .await;
    assert_eq!(
        lärkan_queue["items"],
        json!([]),
        "the queue is per first-choice unit"
    );

    let (status, refused) = post(
        &anna,
        "/api/childcare/offers",
        &json!({"application_id": first["id"], "unit_id": ekorren, "start_date": "2027-01-11"}),
    )
    .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (404, Some("not_found"))
    );
    let made = offer(&officer, &first, &ekorren, "2027-01-11").await;
    assert_eq!(made["status"], "open");
    assert_eq!(made["hours_per_week"], 30);
    assert_eq!(
        made["answer_deadline"].as_str().unwrap()[..10].to_owned(),
        "2026-12-08",
        "offer_answer_days (14) after the offer"
    );
    let deadline = chrono::DateTime::parse_from_rfc3339(made["answer_deadline"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!(
        deadline,
        "2026-12-08T22:59:59Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap(),
        "the deadline is the end of the Swedish day, not the minute the offer was made"
    );
    let (status, twice) = post(
        &officer,
        "/api/childcare/offers",
        &json!({"application_id": first["id"], "unit_id": ekorren, "start_date": "2027-01-11"}),
    )
    .await;
    assert_eq!(
        (status, twice["error"].as_str()),
        (409, Some("not_in_queue"))
    );

    let (_, mine) = anna.get_json("/api/childcare/applications").await;
    assert_eq!(mine[0]["status"], "offered");
    assert!(mine[0].get("queue_position").is_none());
    let (_, eriks) = erik.get_json("/api/childcare/applications").await;
    assert_eq!(eriks[0]["queue_position"], 1, "Alva moved up");
    let (_, offers) = anna.get_json("/api/childcare/offers").await;
    assert_eq!(offers.as_array().unwrap().len(), 1);
    assert_eq!(offers[0]["unit"]["name"], "Förskolan Ekorren");
    let (_, none) = erik.get_json("/api/childcare/offers").await;
    assert_eq!(none, json!([]));
    // The officer's reads of the queue are in the access log.
    assert!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'handle_childcare_queue'")
            .await
            >= 2
    );
}

#[tokio::test]
async fn bad_applications_are_refused_and_nothing_is_stored() {
    let app = app().await;
    let anna = app.login("anna").await;
    let ella = child(&app, "Ella").await;
    let alva = child(&app, "Alva").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let larkan = unit(&app, "Förskolan Lärkan").await;
    let fritids = unit(&app, "Fritidshemmet Solstrålen").await;
    let school = unit(&app, "Solviksskolan").await;
    let stranger = uuid::Uuid::new_v4().to_string();
    for (body, status, code) in [
        (
            json!({"child_id": ella, "wished_start": "2026-11-23", "unit_ids": [ekorren], "hours_per_week": 30}),
            422,
            "start_in_past",
        ),
        (
            json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [ekorren, larkan, fritids, stranger], "hours_per_week": 30}),
            400,
            "too_many_units",
        ),
        (
            json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [], "hours_per_week": 30}),
            400,
            "no_units",
        ),
        (
            json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [ekorren, ekorren], "hours_per_week": 30}),
            400,
            "duplicate_units",
        ),
        (
            json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [school], "hours_per_week": 30}),
            422,
            "unknown_unit",
        ),
        (
            json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [stranger], "hours_per_week": 30}),
            422,
            "unknown_unit",
        ),
        (
            json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [ekorren], "hours_per_week": 0}),
            400,
            "invalid_hours",
        ),
        (
            json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [ekorren], "hours_per_week": 61}),
            400,
            "invalid_hours",
        ),
        // Not her child: as if it did not exist.
        (
            json!({"child_id": alva, "wished_start": "2027-01-11", "unit_ids": [ekorren], "hours_per_week": 30}),
            404,
            "not_found",
        ),
    ] {
        let (got, answer) = post(&anna, "/api/childcare/applications", &body).await;
        assert_eq!(
            (got, answer["error"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
    let (got, _) = post(
        &anna,
        "/api/childcare/applications",
        &json!({"child_id": ella, "wished_start": "snart", "unit_ids": [ekorren], "hours_per_week": 30}),
    )
    .await;
    assert_eq!(got, 400);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_application")
            .await,
        0
    );
}

/// Issue #13.2: an 11-year-old in year 5 applied to a preschool, was queued and offered the
/// place. The rule (`shared::eligibility`) now refuses both, in Swedish, at the exact boundary.
#[tokio::test]
async fn only_children_of_the_right_age_can_apply_or_be_offered_a_place() {
    let app = app().await;
    let anna = app.login("anna").await;
    let officer = app.login("handlaggare").await;
    let (ella, nils) = (child(&app, "Ella").await, child(&app, "Nils").await);
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let fritids = unit(&app, "Fritidshemmet Solstrålen").await;
    let ella_born = text_of(
        &app,
        "SELECT CAST(birth_date AS TEXT) FROM person WHERE given_name = 'Ella' AND family_name = 'Lindqvist'",
    )
    .await;
    let year: i32 = ella_born[..4].parse().unwrap();
    // Förskoleklass: the autumn term of the year she turns 6.
    let school_starts = format!("{}-08-01", year + 6);
    let last_preschool_day = format!("{}-07-31", year + 6);

    let body = |child: &str, units: &[&str], start: &str| json!({"child_id": child, "wished_start": start, "unit_ids": units, "hours_per_week": 30});
    let refusals = [
        (
            body(&nils, &[&ekorren], "2027-01-11"),
            "not_eligible_school_started",
        ),
        (
            body(&ella, &[&ekorren], &school_starts),
            "not_eligible_school_started",
        ),
        (
            body(&ella, &[&fritids], &last_preschool_day),
            "not_eligible_before_school",
        ),
        // Every wished unit must fit: the officer may offer any of them.
        (
            body(&nils, &[&fritids, &ekorren], "2027-01-11"),
            "not_eligible_school_started",
        ),
    ];
    for (request, code) in refusals {
        let (status, answer) = post(&anna, "/api/childcare/applications", &request).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (422, Some(code)),
            "{request}"
        );
        let message = answer["message"].as_str().unwrap();
        assert!(
            message.contains("förskoleklass"),
            "a Swedish explanation: {message}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_application")
            .await,
        0
    );

    // The day before förskoleklass is still a preschool start; fritidshem fits Nils.
    let ellas = apply(&anna, &ella, &[&ekorren], &last_preschool_day).await;
    assert_eq!(ellas["status"], "queued");
    let nils_app = apply(&anna, &nils, &[&fritids], "2027-01-11").await;

    // The officer cannot offer Nils a preschool place, nor Ella one from förskoleklass on.
    let (status, refused) = post(
        &officer,
        "/api/childcare/offers",
        &json!({"application_id": nils_app["id"], "unit_id": ekorren, "start_date": "2027-01-11"}),
    )
    .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("not_eligible_school_started"))
    );
    let (status, refused) = post(
        &officer,
        "/api/childcare/offers",
        &json!({"application_id": ellas["id"], "unit_id": ekorren, "start_date": school_starts}),
    )
    .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("not_eligible_school_started"))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM placement_offer").await, 0);
    offer(&officer, &nils_app, &fritids, "2027-01-11").await;
    offer(&officer, &ellas, &ekorren, &last_preschool_day).await;
}

#[tokio::test]
async fn accepting_an_offer_signed_with_bankid_creates_the_placement() {
    let app = app().await;
    let (anna, pnr) = bankid(&app, "anna").await;
    let officer = app.login("handlaggare").await;
    let ella = child(&app, "Ella").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let application = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let made = offer(&officer, &application, &ekorren, "2027-01-11").await;
    let id = made["id"].as_str().unwrap();

    let (status, doc) = post(
        &anna,
        &format!("/api/childcare/offers/{id}/accept"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 201, "{doc}");
    assert_eq!(doc["kind"], "placement_offer_answer");
    assert_eq!(doc["status"], "draft");
    assert_eq!(doc["permitted_actions"], json!(["sign"]));
    let text = doc["text"].as_str().unwrap();
    assert!(text.contains("Jag tackar ja till platsen."), "{text}");
    assert!(
        text.contains("Förskolan Ekorren") && text.contains("2027-01-11"),
        "{text}"
    );
    assert!(
        !text.contains("båda ska skriva under"),
        "Anna and Johan live together"
    );
    let doc_id = doc["id"].as_str().unwrap();
    assert_eq!(
        sign(&anna, doc_id, &pnr).await,
        format!("/barnomsorg/dokument/{doc_id}?signerat=1")
    );
    let (_, signed) = anna
        .get_json(&format!("/api/childcare/documents/{doc_id}"))
        .await;
    assert_eq!(signed["status"], "signed");

    let (_, places) = anna.get_json("/api/childcare/placements").await;
    let new_place = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["unit"]["name"] == "Förskolan Ekorren")
        .expect("the accepted offer created a place");
    assert_eq!(new_place["child_id"], ella.as_str());
    assert_eq!(new_place["start_date"], "2027-01-11");
    assert_eq!(new_place["hours_per_week"], 30);
    assert_eq!(new_place["unit"]["kind"], "preschool");
    let (_, offers) = anna.get_json("/api/childcare/offers").await;
    assert_eq!(offers[0]["status"], "accepted");
    let (_, apps) = anna.get_json("/api/childcare/applications").await;
    assert_eq!(apps[0]["status"], "placed");

    let (status, again) = post(
        &anna,
        &format!("/api/childcare/offers/{id}/decline"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (409, Some("already_answered"))
    );
}

#[tokio::test]
async fn declining_an_offer_closes_the_application_without_a_place() {
    let app = app().await;
    let (anna, pnr) = bankid(&app, "anna").await;
    let officer = app.login("handlaggare").await;
    let ella = child(&app, "Ella").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let application = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let made = offer(&officer, &application, &ekorren, "2027-01-11").await;
    let places_before = app.count("SELECT COUNT(*) FROM placement").await;
    let (status, doc) = post(
        &anna,
        &format!(
            "/api/childcare/offers/{}/decline",
            made["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await;
    assert_eq!(status, 201);
    assert!(doc["text"]
        .as_str()
        .unwrap()
        .contains("Jag tackar nej till platsen."));
    sign(&anna, doc["id"].as_str().unwrap(), &pnr).await;
    let (_, offers) = anna.get_json("/api/childcare/offers").await;
    assert_eq!(offers[0]["status"], "declined");
    let (_, apps) = anna.get_json("/api/childcare/applications").await;
    assert_eq!(apps[0]["status"], "closed");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM placement").await,
        places_before
    );
}

#[tokio::test]
async fn an_unanswered_offer_lapses_after_the_deadline() {
    let app = app().await;
    let anna = app.login("anna").await;
    let officer = app.login("handlaggare").await;
    let ella = child(&app, "Ella").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let application = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let made = offer(&officer, &application, &ekorren, "2027-01-11").await;
    let id = made["id"].as_str().unwrap();
    // An answer started but never signed lapses with the offer.
    let (status, draft) = post(
        &anna,
        &format!("/api/childcare/offers/{id}/accept"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 201);

    let db = app.db.clone();
    use skolportal_backend::childcare::offers::lapse_due;
    assert_eq!(
        lapse_due(&db, app.clock.now()).await.unwrap(),
        0,
        "not yet due"
    );
    app.advance(Duration::days(15));
    // The server's own periodic run may get there first; either way it lapses exactly once.
    assert!(lapse_due(&db, app.clock.now()).await.unwrap() <= 1);
    assert_eq!(
        lapse_due(&db, app.clock.now()).await.unwrap(),
        0,
        "idempotent"
    );

    // A fresh session (the old one idled out while the clock moved).
    let anna = app.login("anna").await;
    let (_, offers) = anna.get_json("/api/childcare/offers").await;
    assert_eq!(offers[0]["status"], "lapsed");
    let (_, apps) = anna.get_json("/api/childcare/applications").await;
    assert_eq!(apps[0]["status"], "closed");
    let (_, doc) = anna
        .get_json(&format!(
            "/api/childcare/documents/{}",
            draft["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(doc["status"], "lapsed");
    assert_eq!(doc["permitted_actions"], json!([]));
    let (status, refused) = post(
        &anna,
        &format!("/api/childcare/offers/{id}/accept"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (409, Some("offer_lapsed"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_document").await,
        1,
        "a refused answer stores nothing"
    );
}

#[tokio::test]
async fn a_termination_respects_the_notice_period_and_sets_the_end_date_when_signed() {
    let app = app().await;
    let (anna, pnr) = bankid(&app, "anna").await;
    let ella = child(&app, "Ella").await;
    let (_, places) = anna.get_json("/api/childcare/placements").await;
    let place = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["child_id"] == ella.as_str())
        .expect("Ella has a place")
        .clone();
    assert_eq!(place["unit"]["name"], "Förskolan Lärkan");
    assert_eq!(
        place["earliest_last_day"], "2027-01-24",
        "two months' notice"
    );

    let (status, refused) = post(
        &anna,
        "/api/childcare/terminations",
        &json!({"placement_id": place["id"], "last_day": "2027-01-23"}),
    )
    .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("notice_period"))
    );
    assert!(
        refused["message"].as_str().unwrap().contains("2027-01-24"),
        "{refused}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_document").await,
        0
    );
    // Someone else's place does not exist.
    let erik = app.login("erik").await;
    let (status, _) = post(
        &erik,
        "/api/childcare/terminations",
        &json!({"placement_id": place["id"], "last_day": "2027-02-28"}),
    )
    .await;
    assert_eq!(status, 404);

    let (status, doc) = post(
        &anna,
        "/api/childcare/terminations",
        &json!({"placement_id": place["id"], "last_day": "2027-01-31"}),
    )
    .await;
    assert_eq!(status, 201, "{doc}");
    assert_eq!(doc["kind"], "termination");
    let text = doc["text"].as_str().unwrap();
    assert!(text.contains("Sista dag: 2027-01-31"), "{text}");
    sign(&anna, doc["id"].as_str().unwrap(), &pnr).await;
    let (_, places) = anna.get_json("/api/childcare/placements").await;
    let ended = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == place["id"])
        .unwrap();
    assert_eq!(ended["end_date"], "2027-01-31");
    let (status, again) = post(
        &anna,
        "/api/childcare/terminations",
        &json!({"placement_id": place["id"], "last_day": "2027-03-31"}),
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (409, Some("already_terminated"))
    );
}

#[tokio::test]
async fn separated_guardians_must_both_sign_and_the_effect_waits_for_the_last_signature() {
    let app = app().await;
    let (erik, erik_pnr) = bankid(&app, "erik").await;
    let (maria, maria_pnr) = bankid(&app, "maria").await;
    let officer = app.login("handlaggare").await;
    let alva = child(&app, "Alva").await;
    let fritids = unit(&app, "Fritidshemmet Solstrålen").await;

    let application = apply(&erik, &alva, &[&fritids], "2027-01-04").await;
    let made = offer(&officer, &application, &fritids, "2027-01-04").await;
    let (status, doc) = post(
        &erik,
        &format!(
            "/api/childcare/offers/{}/accept",
            made["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await;
    assert_eq!(status, 201);
    assert!(doc["text"]
        .as_str()
        .unwrap()
        .contains("båda ska skriva under"));
    let doc_id = doc["id"].as_str().unwrap().to_owned();
    let places = app.count("SELECT COUNT(*) FROM placement").await;

    sign(&erik, &doc_id, &erik_pnr).await;
    let (_, after_erik) = erik
        .get_json(&format!("/api/childcare/documents/{doc_id}"))
        .await;
    assert_eq!(after_erik["status"], "awaiting_other_guardian");
    assert_eq!(after_erik["signatures"].as_array().unwrap().len(), 1);
    assert_eq!(
        after_erik["permitted_actions"],
        json!([]),
        "Erik has signed his part"
    );
    assert!(after_erik.get("signed_at").is_none());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM placement").await,
        places,
        "not yet"
    );
    let (_, offers) = maria.get_json("/api/childcare/offers").await;
    assert_eq!(offers[0]["status"], "open");

    // Maria sees it in her list and by id, and may sign it; a password session of hers may not.
    let (_, list) = maria.get_json("/api/childcare/documents").await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == doc_id.as_str())
        .expect("the other guardian sees the document");
    assert_eq!(listed["status"], "awaiting_other_guardian");
    assert_eq!(listed["permitted_actions"], json!(["sign"]));
    let maria_password = app.login("maria").await;
    let (_, seen) = maria_password
        .get_json(&format!("/api/childcare/documents/{doc_id}"))
        .await;
    assert_eq!(seen["sign_blocked_reason"], "bankid_required");
    let refused = maria_password
        .post(
            &format!("/api/childcare/documents/{doc_id}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "bankid_required"
    );
    // Erik cannot sign twice; a stranger cannot see it at all.
    let twice = erik
        .post(
            &format!("/api/childcare/documents/{doc_id}/sign"),
            &json!({}),
        )
        .await;
    assert_eq!(twice.status(), 409);
    let anna = app.login("anna").await;
    assert_eq!(
        anna.get(&format!("/api/childcare/documents/{doc_id}"))
            .await
            .status(),
        404
    );

    assert_eq!(
        sign(&maria, &doc_id, &maria_pnr).await,
        format!("/barnomsorg/dokument/{doc_id}?signerat=1")
    );
    let (_, done) = maria
        .get_json(&format!("/api/childcare/documents/{doc_id}"))
        .await;
    assert_eq!(done["status"], "signed");
    assert_eq!(done["signatures"].as_array().unwrap().len(), 2);
    let (_, alva_places) = erik.get_json("/api/childcare/placements").await;
    let place = alva_places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["child_id"] == alva.as_str())
        .expect("the place exists once both have signed")
        .clone();
    assert_eq!(place["unit"]["kind"], "fritidshem");

    // Termination: Maria chooses the earliest last day five days ago; Erik signs today, so the
    // notice runs from his signature and the place ends two months from today.
    let real_now = app.clock.now();
    app.clock.set(real_now - Duration::days(5));
    let (status, termination) = post(
        &maria,
        "/api/childcare/terminations",
        &json!({"placement_id": place["id"], "last_day": "2027-01-19"}),
    )
    .await;
    assert_eq!(status, 201, "{termination}");
    app.clock.set(real_now);
    let tid = termination["id"].as_str().unwrap().to_owned();
    sign(&maria, &tid, &maria_pnr).await;
    let (_, waiting) = erik
        .get_json(&format!("/api/childcare/documents/{tid}"))
        .await;
    assert_eq!(waiting["status"], "awaiting_other_guardian");
    // Both see the place as still open, with the termination waiting for Erik.
    for guardian in [&erik, &maria] {
        let (_, still_open) = guardian.get_json("/api/childcare/placements").await;
        let open = still_open
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == place["id"])
            .expect("the place is still listed");
        assert!(open.get("end_date").is_none());
        assert_eq!(
            open["pending_termination"],
            json!({"document_id": tid, "last_day": "2027-01-19"})
        );
    }
    sign(&erik, &tid, &erik_pnr).await;
    let (_, ended) = erik.get_json("/api/childcare/placements").await;
    let ended = ended
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == place["id"])
        .unwrap()
        .clone();
    assert_eq!(
        ended["end_date"], "2027-01-24",
        "notice runs from the last signature"
    );
    assert!(ended.get("pending_termination").is_none(), "{ended}");
}

#[tokio::test]
async fn a_password_session_cannot_sign_an_answer() {
    let app = app().await;
    let anna = app.login("anna").await;
    let officer = app.login("handlaggare").await;
    let ella = child(&app, "Ella").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let application = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let made = offer(&officer, &application, &ekorren, "2027-01-11").await;
    let (_, doc) = post(
        &anna,
        &format!(
            "/api/childcare/offers/{}/accept",
            made["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await;
    assert_eq!(doc["permitted_actions"], json!([]));
    assert_eq!(doc["sign_blocked_reason"], "bankid_required");
    let refused = anna
        .post(
            &format!(
                "/api/childcare/documents/{}/sign",
                doc["id"].as_str().unwrap()
            ),
            &json!({}),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "bankid_required"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM pending_login").await, 0);
}

#[tokio::test]
async fn an_income_statement_is_still_signed_by_its_owner_alone() {
    let app = app().await;
    let (anna, pnr) = bankid(&app, "anna").await;
    let (status, draft) = post(
        &anna,
        "/api/childcare/income-statements",
        &json!({"valid_from": "2026-12-01", "max_fee_accepted": true}),
    )
    .await;
    assert_eq!(status, 201);
    let id = draft["id"].as_str().unwrap();
    sign(&anna, id, &pnr).await;
    let (_, signed) = anna
        .get_json(&format!("/api/childcare/documents/{id}"))
        .await;
    assert_eq!(signed["status"], "signed");
    assert_eq!(signed["signatures"].as_array().unwrap().len(), 1);
    // The household's statement is not shown to the child's other guardians.
    let (_, list) = app
        .login("erik")
        .await
        .get_json("/api/childcare/documents")
        .await;
    assert_eq!(list, json!([]));
}

/// Before, an accepted offer whose unit was no longer a childcare unit of the municipality
/// created a preschool place anyway (the kind was guessed).
#[tokio::test]
async fn an_offer_whose_unit_is_gone_creates_no_place_of_a_guessed_kind() {
    let app = app().await;
    let (anna, pnr) = bankid(&app, "anna").await;
    let officer = app.login("handlaggare").await;
    let ella = child(&app, "Ella").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let application = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let made = offer(&officer, &application, &ekorren, "2027-01-11").await;
    let id = made["id"].as_str().unwrap();
    let (status, doc) = post(
        &anna,
        &format!("/api/childcare/offers/{id}/accept"),
        &json!({}),
    )
    .await;
    assert_eq!(status, 201, "{doc}");
    app.execute(
        "UPDATE unit SET kind = 'school' WHERE id = $1",
        [uuid::Uuid::parse_str(&ekorren).unwrap().into()],
    )
    .await;
    sign(&anna, doc["id"].as_str().unwrap(), &pnr).await;

    let (_, places) = anna.get_json("/api/childcare/placements").await;
    assert!(
        !places
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["unit"]["name"] == "Förskolan Ekorren"),
        "{places}"
    );
    let (_, offers) = anna.get_json("/api/childcare/offers").await;
    assert_ne!(offers[0]["status"], "accepted", "{offers}");
}

/// Issue #13.4: a guardian can withdraw an application before a place is offered; it leaves
/// the queue. Once offered, it cannot be withdrawn (the offer is declined instead).
#[tokio::test]
async fn a_guardian_withdraws_an_application_before_it_is_offered() {
    let app = app().await;
    let anna = app.login("anna").await;
    let officer = app.login("handlaggare").await;
    let (ella, nils) = (child(&app, "Ella").await, child(&app, "Nils").await);
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let fritids = unit(&app, "Fritidshemmet Solstrålen").await;
    let ellas = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let nils_app = apply(&anna, &nils, &[&fritids], "2027-01-11").await;
    let (_, mine) = anna.get_json("/api/childcare/applications").await;
    assert!(mine
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["permitted_actions"] == json!(["withdraw"])));

    // Someone else cannot: as if it did not exist.
    let erik = app.login("erik").await;
    let path = format!(
        "/api/childcare/applications/{}/withdraw",
        ellas["id"].as_str().unwrap()
    );
    let (status, _) = post(&erik, &path, &json!({})).await;
    assert_eq!(status, 404);

    let (status, withdrawn) = post(&anna, &path, &json!({})).await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["permitted_actions"], json!([]));
    let (_, queue) = officer
        .get_json(&format!("/api/childcare/queue?unit_id={ekorren}"))
        .await;
    assert_eq!(queue["items"], json!([]), "out of the queue");
    let (status, again) = post(&anna, &path, &json!({})).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (409, Some("not_in_queue"))
    );
    // A new application for the child is possible again.
    apply(&anna, &ella, &[&ekorren], "2027-02-01").await;

    // Offered: too late to withdraw.
    offer(&officer, &nils_app, &fritids, "2027-01-11").await;
    let (status, late) = post(
        &anna,
        &format!(
            "/api/childcare/applications/{}/withdraw",
            nils_app["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, late["error"].as_str()),
        (409, Some("not_in_queue"))
    );
}

/// Issue #12.3: guardianships are dated. Once Maria's guardianship of Alva has ended, she no
/// longer sees the answer about Alva, and Erik's signature alone makes it take effect.
#[tokio::test]
async fn a_guardianship_that_has_ended_neither_sees_nor_must_sign() {
    let app = app().await;
    let (erik, erik_pnr) = bankid(&app, "erik").await;
    let (maria, _) = bankid(&app, "maria").await;
    let officer = app.login("handlaggare").await;
    let alva = child(&app, "Alva").await;
    let fritids = unit(&app, "Fritidshemmet Solstrålen").await;
    let application = apply(&erik, &alva, &[&fritids], "2027-01-04").await;
    let made = offer(&officer, &application, &fritids, "2027-01-04").await;

    // Maria's guardianship ended yesterday (by the settable clock's today).
    let yesterday = app.clock.today() - Duration::days(1);
    app.execute(
        "UPDATE guardianship SET end_date = $1 WHERE adult_id = (SELECT id FROM person \
         WHERE given_name = 'Maria' AND id IN (SELECT adult_id FROM guardianship)) ",
        [yesterday.into()],
    )
    .await;
    let (status, doc) = post(
        &erik,
        &format!(
            "/api/childcare/offers/{}/accept",
            made["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await;
    assert_eq!(status, 201, "{doc}");
    assert!(
        !doc["text"]
            .as_str()
            .unwrap()
            .contains("båda ska skriva under"),
        "one guardian today"
    );
    let doc_id = doc["id"].as_str().unwrap().to_owned();
    assert_eq!(
        maria
            .get(&format!("/api/childcare/documents/{doc_id}"))
            .await
            .status(),
        404
    );
    sign(&erik, &doc_id, &erik_pnr).await;
    let (_, signed) = erik
        .get_json(&format!("/api/childcare/documents/{doc_id}"))
        .await;
    assert_eq!(signed["status"], "signed");
}
