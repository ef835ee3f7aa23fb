//! The officer's (handläggare's) views: the placement offers made in the municipality and the
//! documents guardians have signed, with their filters, the policy (officer only; everyone else
//! gets 404), the access log, and bad input refused without a change.

use chrono::Duration;
use serde_json::{json, Value};
use skolportal_tests::app::{child, unit, TestOptions};
use skolportal_tests::{TestApp, UserClient};

async fn app(bankid: bool) -> TestApp {
    TestApp::spawn_with(TestOptions {
        bankid,
        ..Default::default()
    })
    .await
}

async fn post(client: &UserClient, path: &str, body: &Value) -> Value {
    let r = client.post(path, body).await;
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

async fn bankid_anna(app: &TestApp) -> (UserClient, String) {
    let pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let client = app.anonymous();
    assert_eq!(client.bankid_login(&pnr, "loa3").await.status(), 302);
    (client, pnr)
}

/// Anna's signed income statement; returns its id.
async fn signed_income_statement(anna: &UserClient, pnr: &str) -> String {
    let doc = post(
        anna,
        "/api/childcare/income-statements",
        &json!({"valid_from": "2026-12-01", "max_fee_accepted": false, "gross_monthly_income": 42_000}),
    )
    .await;
    let id = doc["id"].as_str().unwrap().to_owned();
    assert!(anna.sign_document(&id, pnr).await.ends_with("?signerat=1"));
    id
}

/// The ids of a page's rows.
fn ids(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn an_officer_follows_the_offers_and_reads_what_guardians_signed() {
    let app = app(true).await;
    let (anna, pnr) = bankid_anna(&app).await;
    let erik = app.login("erik").await;
    let officer = app.login("handlaggare").await;
    let (ella, alva) = (child(&app, "Ella").await, child(&app, "Alva").await);
    let (ekorren, fritids) = (
        unit(&app, "Förskolan Ekorren").await,
        unit(&app, "Fritidshemmet Solstrålen").await,
    );
    let ella_app = post(
        &anna,
        "/api/childcare/applications",
        &json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [ekorren], "hours_per_week": 30}),
    )
    .await;
    let alva_app = post(
        &erik,
        "/api/childcare/applications",
        &json!({"child_id": alva, "wished_start": "2027-01-04", "unit_ids": [fritids], "hours_per_week": 15}),
    )
    .await;
    let ella_offer = post(
        &officer,
        "/api/childcare/offers",
        &json!({"application_id": ella_app["id"], "unit_id": ekorren, "start_date": "2027-01-11"}),
    )
    .await;
    app.advance(Duration::seconds(1));
    let alva_offer = post(
        &officer,
        "/api/childcare/offers",
        &json!({"application_id": alva_app["id"], "unit_id": fritids, "start_date": "2027-01-04"}),
    )
    .await;

    // Anna files and signs an income statement (before the new place: a child with two places
    // is a known problem of the fee basis), accepts Ella's offer and signs the answer, and starts
    // a termination of Ella's current place without signing it.
    let income_id = signed_income_statement(&anna, &pnr).await;
    app.advance(Duration::seconds(1));
    let answer = post(
        &anna,
        &format!(
            "/api/childcare/offers/{}/accept",
            ella_offer["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await;
    let answer_id = answer["id"].as_str().unwrap().to_owned();
    assert!(anna
        .sign_document(&answer_id, &pnr)
        .await
        .ends_with("?signerat=1"));
    let (_, places) = anna.get_json("/api/childcare/placements").await;
    let larkan_place = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["unit"]["name"] == "Förskolan Lärkan")
        .unwrap()
        .clone();
    let draft = post(
        &anna,
        "/api/childcare/terminations",
        &json!({"placement_id": larkan_place["id"], "last_day": "2027-02-28"}),
    )
    .await;
    let draft_id = draft["id"].as_str().unwrap().to_owned();

    // Offers: newest first, with status, child, unit, start and deadline; filters narrow them.
    let logged_before = app
        .count("SELECT COUNT(*) FROM access_log WHERE action = 'read_placement_offers'")
        .await;
    let (status, offers) = officer.get_json("/api/childcare/officer/offers").await;
    assert_eq!(status, 200, "{offers}");
    let (ella_id, alva_id) = (
        ella_offer["id"].as_str().unwrap(),
        alva_offer["id"].as_str().unwrap(),
    );
    assert_eq!(ids(&offers), vec![alva_id, ella_id]);
    assert_eq!(offers["items"][0]["status"], "open");
    assert_eq!(offers["items"][0]["child_name"], "Alva Berg");
    assert_eq!(
        offers["items"][0]["unit"]["name"],
        "Fritidshemmet Solstrålen"
    );
    assert_eq!(offers["items"][0]["start_date"], "2027-01-04");
    assert_eq!(offers["items"][0]["hours_per_week"], 15);
    assert!(offers["items"][0]["answer_deadline"]
        .as_str()
        .unwrap()
        .starts_with("2026-12-08"));
    assert_eq!(offers["items"][1]["status"], "accepted");
    assert_eq!(offers["items"][1]["child_name"], "Ella Lindqvist");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'read_placement_offers'")
            .await,
        logged_before + 2,
        "one access-log row per child shown"
    );
    for (query, expected) in [
        ("?status=accepted".to_owned(), vec![ella_id]),
        ("?status=open".to_owned(), vec![alva_id]),
        ("?status=declined".to_owned(), vec![]),
        ("?status=lapsed".to_owned(), vec![]),
        (format!("?unit_id={fritids}"), vec![alva_id]),
        (format!("?unit_id={ekorren}&status=accepted"), vec![ella_id]),
        (format!("?unit_id={ekorren}&status=open"), vec![]),
    ] {
        let (status, list) = officer
            .get_json(&format!("/api/childcare/officer/offers{query}"))
            .await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(ids(&list), expected, "{query}");
    }

    // Received documents: signed ones only, newest first; the kind filter narrows them.
    let (status, received) = officer.get_json("/api/childcare/officer/documents").await;
    assert_eq!(status, 200, "{received}");
    assert_eq!(ids(&received), vec![answer_id.as_str(), income_id.as_str()]);
    assert_eq!(received["items"][0]["kind"], "placement_offer_answer");
    assert_eq!(received["items"][0]["child_name"], "Ella Lindqvist");
    assert_eq!(received["items"][0]["submitted_by"], "Anna Lindqvist");
    assert!(received["items"][0]["signed_at"].as_str().is_some());
    assert_eq!(received["items"][1]["kind"], "income_statement");
    assert!(
        received["items"][1].get("child_name").is_none(),
        "the household's statement names no child"
    );
    assert_eq!(received["items"][1]["submitted_by"], "Anna Lindqvist");
    for (kind, expected) in [
        ("income_statement", vec![income_id.as_str()]),
        ("placement_offer_answer", vec![answer_id.as_str()]),
        ("termination", vec![]),
    ] {
        let (_, list) = officer
            .get_json(&format!("/api/childcare/officer/documents?kind={kind}"))
            .await;
        assert_eq!(ids(&list), expected, "{kind}");
    }

    // One document: the text the guardian signed, who signed and when; never the evidence.
    let (_, own_view) = anna
        .get_json(&format!("/api/childcare/documents/{answer_id}"))
        .await;
    let logged_before = app
        .count("SELECT COUNT(*) FROM access_log WHERE action = 'read_received_documents'")
        .await;
    let (status, doc) = officer
        .get_json(&format!("/api/childcare/officer/documents/{answer_id}"))
        .await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["text"], own_view["text"]);
    assert_eq!(doc["status"], "signed");
    assert_eq!(doc["signatures"][0]["signer_name"], "Anna Lindqvist");
    assert!(doc["signatures"][0]["signed_at"].as_str().is_some());
    assert_eq!(doc["permitted_actions"], json!([]));
    let raw = doc.to_string();
    for secret in ["id_token", "user_signature", "eyJ"] {
        assert!(!raw.contains(secret), "{secret} in {raw}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'read_received_documents'")
            .await,
        logged_before + 1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM access_log a JOIN person_key k ON k.pseudonym = a.subject_pseudonym \
             JOIN person p ON p.id = k.person_id \
             WHERE a.action = 'read_received_documents' AND p.given_name = 'Ella'"
        )
        .await,
        3,
        "the whole list, the list of answers and the document each showed Ella's data"
    );

    // Both lists come in pages; a page of one is the newest, with the way to the next.
    let (_, newest) = officer
        .get_json("/api/childcare/officer/documents?limit=1")
        .await;
    assert_eq!(ids(&newest), vec![answer_id.as_str()]);
    assert!(newest["next_cursor"].is_string(), "{newest}");
    let (_, newest_offer) = officer
        .get_json("/api/childcare/officer/offers?limit=1")
        .await;
    assert_eq!(ids(&newest_offer), vec![alva_id]);
    assert!(newest_offer["next_cursor"].is_string(), "{newest_offer}");
    let (status, income) = officer
        .get_json(&format!("/api/childcare/officer/documents/{income_id}"))
        .await;
    assert_eq!(status, 200);
    assert!(income["text"].as_str().unwrap().contains("42 000 kr"));
    // The unsigned termination has not been received; the receipt stays the guardian's.
    for path in [
        format!("/api/childcare/officer/documents/{draft_id}"),
        format!("/api/childcare/documents/{answer_id}/receipt"),
        format!("/api/childcare/documents/{answer_id}"),
    ] {
        assert_eq!(officer.get(&path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn only_the_officer_may_see_offers_and_received_documents() {
    let app = app(true).await;
    let (anna_bankid, pnr) = bankid_anna(&app).await;
    let signed = signed_income_statement(&anna_bankid, &pnr).await;
    for role in ["anna", "erik", "karin", "elev", "larare", "forskola"] {
        let client = app.login(role).await;
        for path in [
            "/api/childcare/officer/offers".to_owned(),
            "/api/childcare/officer/offers?status=open".to_owned(),
            "/api/childcare/officer/documents".to_owned(),
            format!("/api/childcare/officer/documents/{signed}"),
        ] {
            let (status, body) = client.get_json(&path).await;
            assert_eq!(
                (status, body["error"].as_str()),
                (404, Some("not_found")),
                "{role}: {path}"
            );
        }
    }
    // Anna's own signed statement is hers to read, but not through the officer's view.
    assert_eq!(
        anna_bankid
            .get(&format!("/api/childcare/documents/{signed}"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM access_log WHERE action IN ('read_placement_offers', 'read_received_documents')"
        )
        .await,
        0,
        "a refused read is not a read"
    );
    let (status, _) = app
        .login("handlaggare")
        .await
        .get_json(&format!("/api/childcare/officer/documents/{signed}"))
        .await;
    assert_eq!(status, 200);
}

/// Sets when a stored document was signed, as if it had been signed then.
async fn signed_at(app: &TestApp, id: &str, at: chrono::DateTime<chrono::Utc>) {
    app.execute(
        "UPDATE childcare_document SET signed_at = $1 WHERE id = $2",
        [at.into(), uuid::Uuid::parse_str(id).unwrap().into()],
    )
    .await;
}

#[tokio::test]
async fn received_documents_are_narrowed_by_the_swedish_day_they_were_signed() {
    use chrono::TimeZone;
    let app = app(true).await;
    let (anna, pnr) = bankid_anna(&app).await;
    let officer = app.login("handlaggare").await;
    let (early, late, after_midnight) = (
        signed_income_statement(&anna, &pnr).await,
        signed_income_statement(&anna, &pnr).await,
        signed_income_statement(&anna, &pnr).await,
    );
    let utc = |d, h, m| chrono::Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap();
    signed_at(&app, &early, utc(2, 9, 0)).await;
    signed_at(&app, &late, utc(20, 22, 30)).await;
    // 23:30 UTC is half past midnight in Sweden: the 21st there.
    signed_at(&app, &after_midnight, utc(20, 23, 30)).await;
    for (query, expected) in [
        ("", vec![&after_midnight, &late, &early]),
        ("&signed_from=2026-11-03", vec![&after_midnight, &late]),
        ("&signed_to=2026-11-20", vec![&late, &early]),
        ("&signed_from=2026-11-21", vec![&after_midnight]),
        ("&signed_from=2026-11-02&signed_to=2026-11-02", vec![&early]),
        ("&signed_from=2026-11-03&signed_to=2026-11-19", vec![]),
        (
            "&signed_from=2026-11-20&signed_to=2026-11-20&kind=income_statement",
            vec![&late],
        ),
        ("&signed_to=2026-11-20&kind=termination", vec![]),
    ] {
        let (status, list) = officer
            .get_json(&format!("/api/childcare/officer/documents?limit=10{query}"))
            .await;
        assert_eq!(status, 200, "{query}: {list}");
        let expected: Vec<&str> = expected.iter().map(|s| s.as_str()).collect();
        assert_eq!(ids(&list), expected, "{query}");
    }
}

#[tokio::test]
async fn bad_filters_and_ids_are_refused_and_change_nothing() {
    let app = app(false).await;
    let officer = app.login("handlaggare").await;
    let school = unit(&app, "Solviksskolan").await;
    let stranger = uuid::Uuid::new_v4();
    let counts = || async {
        (
            app.count("SELECT COUNT(*) FROM placement_offer").await,
            app.count("SELECT COUNT(*) FROM childcare_document").await,
            app.count("SELECT COUNT(*) FROM access_log").await,
        )
    };
    let before = counts().await;
    for (path, status, code) in [
        (
            "/api/childcare/officer/offers?status=maybe".to_owned(),
            400,
            None,
        ),
        (
            "/api/childcare/officer/offers?unit_id=ekorren".to_owned(),
            400,
            None,
        ),
        (
            format!("/api/childcare/officer/offers?unit_id={stranger}"),
            422,
            Some("unknown_unit"),
        ),
        (
            format!("/api/childcare/officer/offers?unit_id={school}"),
            422,
            Some("unknown_unit"),
        ),
        (
            "/api/childcare/officer/documents?kind=passport".to_owned(),
            400,
            None,
        ),
        (
            "/api/childcare/officer/documents?kind=".to_owned(),
            400,
            None,
        ),
        (
            "/api/childcare/officer/documents?limit=0".to_owned(),
            400,
            None,
        ),
        (
            "/api/childcare/officer/documents?signed_from=2026-11-30&signed_to=2026-11-02"
                .to_owned(),
            400,
            Some("invalid_date_range"),
        ),
        (
            "/api/childcare/officer/documents?signed_from=2026-02-30".to_owned(),
            400,
            None,
        ),
        (
            "/api/childcare/officer/documents?signed_to=yesterday".to_owned(),
            400,
            None,
        ),
        (
            "/api/childcare/officer/offers?limit=100000".to_owned(),
            400,
            None,
        ),
        (
            "/api/childcare/officer/offers?limit=-1".to_owned(),
            400,
            None,
        ),
        (
            "/api/childcare/officer/documents/not-a-uuid".to_owned(),
            400,
            None,
        ),
        (
            format!("/api/childcare/officer/documents/{stranger}"),
            404,
            Some("not_found"),
        ),
        (
            "/api/childcare/officer/documents/%00%27%3B--".to_owned(),
            400,
            None,
        ),
    ] {
        let (got, body) = officer.get_json(&path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body["error"].is_string(), "{path}: {body}");
        if let Some(code) = code {
            assert_eq!(body["error"], code, "{path}");
        }
    }
    // Writing to the officer's lists is no operation at all.
    for method in [reqwest::Method::POST, reqwest::Method::DELETE] {
        let r = officer
            .request(method.clone(), "/api/childcare/officer/documents")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 405, "{method}");
    }
    assert_eq!(counts().await, before);
}

/// Issue #13.5: each queue row has what the officer decides with: the child's birth date (the
/// age is counted from it), the guardians, siblings already placed at a wished unit, and the
/// wished units' free places (places less children placed and open offers). Reading it is
/// logged for the child and the siblings.
#[tokio::test]
async fn the_queue_shows_age_guardians_siblings_and_free_places() {
    let app = app(false).await;
    let anna = app.login("anna").await;
    let officer = app.login("handlaggare").await;
    let nils = child(&app, "Nils").await;
    let fritids = unit(&app, "Fritidshemmet Solstrålen").await;
    let application = post(
        &anna,
        "/api/childcare/applications",
        &json!({"child_id": nils, "wished_start": "2027-01-11", "unit_ids": [fritids], "hours_per_week": 15}),
    )
    .await;

    let placed = app
        .count(
            "SELECT COUNT(*) FROM placement p JOIN unit u ON u.id = p.unit_id \
             WHERE u.name = 'Fritidshemmet Solstrålen' AND p.end_date IS NULL",
        )
        .await;
    let (status, queue) = officer
        .get_json(&format!("/api/childcare/queue?unit_id={fritids}"))
        .await;
    assert_eq!(status, 200, "{queue}");
    let row = &queue["items"][0];
    assert_eq!(row["application"]["id"], application["id"]);
    let born = app
        .count(&format!(
            "SELECT COUNT(*) FROM person WHERE given_name = 'Nils' AND family_name = 'Lindqvist' AND birth_date = '{}'",
            row["birth_date"].as_str().unwrap()
        ))
        .await;
    assert_eq!(born, 1, "Nils's birth date: {row}");
    let guardians: Vec<&str> = row["guardians"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert_eq!(guardians, ["Anna Lindqvist", "Johan Lindqvist"]);
    // Saga has a place at the fritidshem; Ella's preschool is not a wished unit.
    assert_eq!(
        row["siblings"],
        json!([{"name": "Saga Lindqvist", "unit_id": fritids}])
    );
    assert_eq!(
        row["free_places"],
        json!([{"unit_id": fritids, "free": 30 - placed}])
    );
    // The officer's read of Saga is logged too.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM access_log a JOIN person_key k ON k.pseudonym = a.subject_pseudonym \
             JOIN person c ON c.id = k.person_id \
             WHERE a.action = 'handle_childcare_queue' AND c.given_name = 'Saga' AND c.family_name = 'Lindqvist'"
        )
        .await,
        1
    );

    // An open offer takes a place.
    post(
        &officer,
        "/api/childcare/offers",
        &json!({"application_id": application["id"], "unit_id": fritids, "start_date": "2027-01-11"}),
    )
    .await;
    let (_, queue) = officer
        .get_json(&format!("/api/childcare/queue?unit_id={fritids}"))
        .await;
    assert_eq!(queue["items"][0]["free_places"][0]["free"], 30 - placed - 1);
}
