//! Keyset pages of the officer's growing lists (issue #12.7): offers, received documents and the
//! queue. Walking a list by its `next_cursor` visits every row once, in the list's order, with the
//! filters applied, however deep the page; each page logs only its own rows; a cursor the server
//! did not write is a 400 `invalid_cursor`, never a 5xx.
//!
//! The rows are copies of one real row made through the API, written with SQL at chosen instants
//! (several share an instant, so the id must break the tie).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};
use skolportal_tests::app::{child, unit, TestOptions};
use skolportal_tests::{TestApp, UserClient};
use uuid::Uuid;

async fn post(client: &UserClient, path: &str, body: &Value) -> Value {
    let r = client.post(path, body).await;
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

fn id(value: &Value) -> Uuid {
    Uuid::parse_str(value.as_str().unwrap_or_else(|| panic!("no id: {value}"))).unwrap()
}

/// The instant the stored row `id` of `table` was made at.
async fn created_at(app: &TestApp, table: &str, id: Uuid) -> DateTime<Utc> {
    use sea_orm::ConnectionTrait;
    let backend = app.db.get_database_backend();
    let sql = format!("SELECT created_at FROM {table} WHERE id = $1");
    app.db
        .query_one(sea_orm::Statement::from_sql_and_values(
            backend,
            skolportal_backend::db::numbered_params(backend, &sql),
            [id.into()],
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {table} {id}"))
        .try_get_by_index(0)
        .unwrap()
}

/// The instants the copies are made at, a few minutes apart: copies 0 and 1 share one, as do
/// 3 and 4, and so on.
fn instant(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap()
        + Duration::minutes(n - n % 3)
        + Duration::milliseconds(n % 3 / 2 * 250)
}

/// Walks `path` (with its filters) from the first page to the last, `limit` rows a page, and
/// checks that each page logs exactly its rows under `action`. Returns the ids in the order
/// seen and the number of pages.
async fn walk(
    app: &TestApp,
    officer: &UserClient,
    path: &str,
    limit: usize,
    action: &str,
    row_id: impl Fn(&Value) -> Uuid,
) -> (Vec<Uuid>, usize) {
    let log = format!("SELECT COUNT(*) FROM access_log WHERE action = '{action}'");
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut url = format!("{path}{separator}limit={limit}");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("&cursor={cursor}"));
        }
        let logged = app.count(&log).await;
        let (status, page) = officer.get_json(&url).await;
        assert_eq!(status, 200, "{url}: {page}");
        pages += 1;
        let items = page["items"].as_array().unwrap();
        assert_eq!(
            app.count(&log).await - logged,
            items.len() as i64,
            "page {pages} of {path} logs its own rows only"
        );
        seen.extend(items.iter().map(&row_id));
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(next) => {
                assert_eq!(items.len(), limit, "only the last page is short: {url}");
                cursor = Some(next.to_owned());
            }
            None => {
                assert!(items.len() <= limit);
                return (seen, pages);
            }
        }
        assert!(pages < 200, "the walk does not end: {path}");
    }
}

async fn app() -> TestApp {
    TestApp::spawn_with(TestOptions::default()).await
}

/// Ella's application at Ekorren, made through the API as Anna; its id.
async fn ella_applies(app: &TestApp) -> (Uuid, String) {
    let anna = app.login("anna").await;
    let ella = child(app, "Ella").await;
    let ekorren = unit(app, "Förskolan Ekorren").await;
    let application = post(
        &anna,
        "/api/childcare/applications",
        &json!({"child_id": ella, "wished_start": "2027-01-11", "unit_ids": [ekorren], "hours_per_week": 30}),
    )
    .await;
    (id(&application["id"]), ekorren)
}

#[tokio::test]
async fn walking_the_offers_by_cursor_visits_every_offer_once_newest_first_with_filters() {
    let app = app().await;
    let officer = app.login("handlaggare").await;
    let (application, ekorren) = ella_applies(&app).await;
    let fritids = unit(&app, "Fritidshemmet Solstrålen").await;
    let offer = post(
        &officer,
        "/api/childcare/offers",
        &json!({"application_id": application, "unit_id": ekorren, "start_date": "2027-01-11"}),
    )
    .await;
    // The real offer was made today (24 November), after every copy.
    let offer_id = id(&offer["id"]);
    let mut rows: Vec<(DateTime<Utc>, Uuid, &str, &str)> = vec![(
        created_at(&app, "placement_offer", offer_id).await,
        offer_id,
        "open",
        ekorren.as_str(),
    )];
    for n in 0..30 {
        let copy = Uuid::new_v4();
        let status = ["open", "declined", "lapsed"][(n % 3) as usize];
        let at_unit = if n % 4 == 0 { &fritids } else { &ekorren };
        app.execute(
            "INSERT INTO placement_offer (id, municipality_id, application_id, child_id, unit_id, \
             start_date, hours_per_week, answer_deadline, status, offered_by_person_id, created_at) \
             SELECT $1, municipality_id, application_id, child_id, $2, start_date, hours_per_week, \
             answer_deadline, $3, offered_by_person_id, $4 FROM placement_offer WHERE id = $5",
            [
                copy.into(),
                Uuid::parse_str(at_unit).unwrap().into(),
                status.into(),
                instant(n).into(),
                offer_id.into(),
            ],
        )
        .await;
        rows.push((instant(n), copy, status, at_unit.as_str()));
    }
    // Newest first; the id breaks ties, the greater first.
    rows.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    let row_id = |o: &Value| id(&o["id"]);
    let path = "/api/childcare/officer/offers";
    type Keep<'a> = Box<dyn Fn(&str, &str) -> bool + 'a>;
    let filters: Vec<(String, Keep)> = vec![
        (String::new(), Box::new(|_, _| true)),
        ("?status=open".to_owned(), Box::new(|s, _| s == "open")),
        (format!("?unit_id={ekorren}"), Box::new(|_, u| u == ekorren)),
        (
            format!("?unit_id={ekorren}&status=declined"),
            Box::new(|s, u| s == "declined" && u == ekorren),
        ),
    ];
    for (query, keep) in filters {
        let expected: Vec<Uuid> = rows
            .iter()
            .filter(|r| keep(r.2, r.3))
            .map(|r| r.1)
            .collect();
        for limit in [2, 7] {
            let (seen, pages) = walk(
                &app,
                &officer,
                &format!("{path}{query}"),
                limit,
                "read_placement_offers",
                row_id,
            )
            .await;
            assert_eq!(seen, expected, "{query}, {limit} a page");
            assert_eq!(pages, expected.len().div_ceil(limit).max(1), "{query}");
        }
    }
    // 31 offers two a page: the walk above went to page 16, where an offset of 500 used to stop.
    let (_, pages) = walk(&app, &officer, path, 2, "read_placement_offers", row_id).await;
    assert!(pages > 10);
    // A page of the most a client may ask for, and the default page.
    let (status, page) = officer.get_json(&format!("{path}?limit=100")).await;
    assert_eq!((status, page["items"].as_array().unwrap().len()), (200, 31));
    assert!(page.get("next_cursor").is_none(), "one page: {page}");
    let (_, page) = officer.get_json(path).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 31);
}

#[tokio::test]
async fn walking_the_received_documents_by_cursor_visits_every_document_once_with_filters() {
    let app = app().await;
    let anna = app.login("anna").await;
    let officer = app.login("handlaggare").await;
    // A draft income statement through the API; its signed copies are what was received.
    let draft = post(
        &anna,
        "/api/childcare/income-statements",
        &json!({"valid_from": "2026-12-01", "max_fee_accepted": false, "gross_monthly_income": 42_000}),
    )
    .await;
    let mut rows: Vec<(DateTime<Utc>, Uuid, &str)> = Vec::new();
    for n in 0..27 {
        let copy = Uuid::new_v4();
        let kind = if n % 2 == 0 {
            "income_statement"
        } else {
            "termination"
        };
        app.execute(
            "INSERT INTO childcare_document (id, municipality_id, owner_person_id, child_id, kind, \
             status, payload, document_bytes, sign_text, created_at, signed_at) \
             SELECT $1, municipality_id, owner_person_id, child_id, $2, 'signed', payload, \
             document_bytes, sign_text, created_at, $3 FROM childcare_document WHERE id = $4",
            [
                copy.into(),
                kind.into(),
                // A day apart in threes: 2, 2, 2, 3, 3, 3 … November.
                (instant(n) + Duration::days(n / 3)).into(),
                id(&draft["id"]).into(),
            ],
        )
        .await;
        rows.push((instant(n) + Duration::days(n / 3), copy, kind));
    }
    rows.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let path = "/api/childcare/officer/documents";
    for (query, from, to, kind) in [
        ("", None, None, None),
        ("?kind=termination", None, None, Some("termination")),
        ("?signed_from=2026-11-04", Some(day(4)), None, None),
        (
            "?signed_from=2026-11-03&signed_to=2026-11-08&kind=income_statement",
            Some(day(3)),
            Some(day(8)),
            Some("income_statement"),
        ),
    ] {
        let expected: Vec<Uuid> = rows
            .iter()
            .filter(|r| kind.is_none_or(|k| k == r.2))
            .filter(|r| from.is_none_or(|f| r.0.date_naive() >= f))
            .filter(|r| to.is_none_or(|t| r.0.date_naive() <= t))
            .map(|r| r.1)
            .collect();
        assert!(!expected.is_empty(), "{query}");
        let (seen, _) = walk(
            &app,
            &officer,
            &format!("{path}{query}"),
            2,
            "read_received_documents",
            |d| id(&d["id"]),
        )
        .await;
        assert_eq!(seen, expected, "{query}");
    }
    let (_, pages) = walk(&app, &officer, path, 2, "read_received_documents", |d| {
        id(&d["id"])
    })
    .await;
    assert_eq!(pages, 14, "27 documents two a page");
}

#[tokio::test]
async fn walking_the_queue_by_cursor_visits_every_application_once_in_queue_order() {
    let app = app().await;
    let officer = app.login("handlaggare").await;
    let (application, ekorren) = ella_applies(&app).await;
    let larkan = unit(&app, "Förskolan Lärkan").await;
    // The real application is queued at Ekorren today (24 November).
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut rows: Vec<(Uuid, bool, NaiveDate, DateTime<Utc>, Uuid)> = Vec::new();
    for n in 0..24 {
        let copy = Uuid::new_v4();
        let first = if n % 3 == 0 { &larkan } else { &ekorren };
        let offered = n % 5 == 0;
        let applied_on = today - Duration::days(n % 4);
        app.execute(
            "INSERT INTO childcare_application (id, municipality_id, child_id, applicant_person_id, \
             wished_start, first_unit_id, second_unit_id, third_unit_id, hours_per_week, applied_on, \
             status, created_at) SELECT $1, municipality_id, child_id, applicant_person_id, \
             wished_start, $2, NULL, NULL, hours_per_week, $3, $4, $5 \
             FROM childcare_application WHERE id = $6",
            [
                copy.into(),
                Uuid::parse_str(first).unwrap().into(),
                applied_on.into(),
                (if offered { "offered" } else { "queued" }).into(),
                instant(n % 6).into(),
                application.into(),
            ],
        )
        .await;
        rows.push((
            Uuid::parse_str(first).unwrap(),
            offered,
            applied_on,
            instant(n % 6),
            copy,
        ));
    }
    // A withdrawn application is not in the queue at all.
    app.execute(
        "INSERT INTO childcare_application (id, municipality_id, child_id, applicant_person_id, \
         wished_start, first_unit_id, hours_per_week, applied_on, status, created_at) \
         SELECT $1, municipality_id, child_id, applicant_person_id, wished_start, first_unit_id, \
         hours_per_week, applied_on, 'withdrawn', created_at FROM childcare_application WHERE id = $2",
        [Uuid::new_v4().into(), application.into()],
    )
    .await;
    let real_created = created_at(&app, "childcare_application", application).await;
    rows.push((
        Uuid::parse_str(&ekorren).unwrap(),
        false,
        today,
        real_created,
        application,
    ));
    rows.sort();
    let entry_id = |e: &Value| id(&e["application"]["id"]);
    for (query, unit) in [
        (format!("?unit_id={ekorren}"), Some(&ekorren)),
        (format!("?unit_id={larkan}"), Some(&larkan)),
        (String::new(), None),
    ] {
        let expected: Vec<Uuid> = rows
            .iter()
            .filter(|r| unit.is_none_or(|u| r.0.to_string() == *u))
            .map(|r| r.4)
            .collect();
        let (seen, pages) = walk(
            &app,
            &officer,
            &format!("/api/childcare/queue{query}"),
            2,
            "handle_childcare_queue",
            entry_id,
        )
        .await;
        assert_eq!(seen, expected, "{query}");
        assert_eq!(pages, expected.len().div_ceil(2), "{query}");
    }
}

#[tokio::test]
async fn a_cursor_the_server_did_not_write_is_refused_with_invalid_cursor() {
    let app = app().await;
    let officer = app.login("handlaggare").await;
    let (application, ekorren) = ella_applies(&app).await;
    post(
        &officer,
        "/api/childcare/offers",
        &json!({"application_id": application, "unit_id": ekorren, "start_date": "2027-01-11"}),
    )
    .await;
    let (_, page) = officer
        .get_json(&format!("/api/childcare/queue?unit_id={ekorren}&limit=1"))
        .await;
    assert!(page.get("next_cursor").is_none(), "{page}");
    // A well-formed cursor of the queue, written by hand the way the server writes one.
    let queue_cursor = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("q|{ekorren}|1|800000|1795000000.0|{}", Uuid::nil()))
    };
    let (status, page) = officer
        .get_json(&format!(
            "/api/childcare/queue?unit_id={ekorren}&cursor={queue_cursor}"
        ))
        .await;
    assert_eq!(status, 200, "a cursor past every row: {page}");
    assert_eq!(page["items"], json!([]));
    let logged = app.count("SELECT COUNT(*) FROM access_log").await;
    for list in [
        "/api/childcare/officer/offers",
        "/api/childcare/officer/documents",
        "/api/childcare/queue",
    ] {
        for cursor in [
            "garbage",
            "",
            "%00%27%3B--",
            "bnwxLjJ8bm90LWEtdXVpZA", // "n|1.2|not-a-uuid"
            "_w",                     // not UTF-8
            &"A".repeat(400),
        ] {
            let (status, body) = officer.get_json(&format!("{list}?cursor={cursor}")).await;
            assert_eq!(
                (status, body["error"].as_str()),
                (400, Some("invalid_cursor")),
                "{list}?cursor={cursor}: {body}"
            );
            assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        for limit in ["0", "101", "-1", "many"] {
            let (status, _) = officer.get_json(&format!("{list}?limit={limit}")).await;
            assert_eq!(status, 400, "{list}?limit={limit}");
        }
    }
    // The queue's cursor is not the offers' and the documents' (and the other way round).
    for list in [
        "/api/childcare/officer/offers",
        "/api/childcare/officer/documents",
    ] {
        let (status, body) = officer
            .get_json(&format!("{list}?cursor={queue_cursor}"))
            .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_cursor"))
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log").await,
        logged,
        "a refused page is not a read"
    );
}

#[tokio::test]
async fn the_spec_shows_the_cursor_the_page_size_and_the_page() {
    let app = app().await;
    let (status, spec) = app.anonymous().get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    for (path, page) in [
        ("/childcare/officer/offers", "OfferPage"),
        ("/childcare/officer/documents", "ReceivedDocumentPage"),
        ("/childcare/queue", "QueuePage"),
    ] {
        let operation = &spec["paths"][path]["get"];
        let parameter = |name: &str| {
            operation["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == name)
                .unwrap_or_else(|| panic!("{path} has no {name}: {operation}"))
                .clone()
        };
        assert_eq!(parameter("cursor")["in"], "query", "{path}");
        assert_eq!(parameter("limit")["schema"]["maximum"], 100.0, "{path}");
        assert_eq!(parameter("limit")["schema"]["minimum"], 1.0, "{path}");
        let answer = operation["responses"]["200"]["content"]["application/json; charset=utf-8"]
            ["schema"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: {operation}"));
        assert!(answer.ends_with(&format!("/{page}")), "{path}: {answer}");
        let properties = &spec["components"]["schemas"][page]["properties"];
        assert!(properties["items"].is_object(), "{page}: {properties}");
        assert!(
            properties["next_cursor"].is_object(),
            "{page}: {properties}"
        );
    }
}
