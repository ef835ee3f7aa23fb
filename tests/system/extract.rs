//! The register extract is complete (issue #13 point 1): one record of every kind is found in
//! it, a table that refers to a person cannot be left out of it, the access log lists reads by
//! others in an official capacity only, and a correction request is asked for, answered by the
//! officer and read back.

use serde_json::{json, Value};
use skolportal_backend::auth::totp::code_at;
use skolportal_backend::register_extract::COVERAGE;
use skolportal_tests::app::{child, unit};
use skolportal_tests::TestApp;

use crate::applications::{app, apply, bankid, offer, post, sign};

fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|v| v[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn one_record_of_every_kind_is_in_the_extract_and_its_download() {
    let app = app().await;
    // A failed login, and a browser trusted by a password login.
    assert_eq!(
        app.anonymous().login("anna", "fel-lösenord").await.status(),
        401
    );
    let _password = app.login("anna").await;
    let (anna, pnr) = bankid(&app, "anna").await;
    let officer = app.login("handlaggare").await;
    let ella = child(&app, "Ella").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;

    // An application, an offer, and the answer signed with BankID.
    let application = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let made = offer(&officer, &application, &ekorren, "2027-01-11").await;
    let (status, answer) = post(
        &anna,
        &format!(
            "/api/childcare/offers/{}/accept",
            made["id"].as_str().unwrap()
        ),
        &json!({}),
    )
    .await;
    assert_eq!(status, 201, "{answer}");
    sign(&anna, answer["id"].as_str().unwrap(), &pnr).await;
    // An income statement with its figures.
    let (status, statement) = post(
        &anna,
        "/api/childcare/income-statements",
        &json!({"valid_from": "2027-01-01", "max_fee_accepted": false, "gross_monthly_income": 41500}),
    )
    .await;
    assert_eq!(status, 201, "{statement}");
    // A schedule day and a pick-up person.
    let r = anna
        .put(
            &format!("/api/childcare/children/{ella}/schedule?week=2027-01-11"),
            &json!({"days": [{"date": "2027-01-12", "drop_off": "07:45", "pick_up": "16:15"}]}),
        )
        .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let (status, _) = post(
        &anna,
        &format!("/api/childcare/children/{ella}/pickup-persons"),
        &json!({"name": "Birgit Lindqvist", "phone": "070-123 45 67"}),
    )
    .await;
    assert_eq!(status, 201);
    // An absence report (Ella is in preschool: it covers her too).
    let (status, _) = post(
        &anna,
        "/api/absence-reports",
        &json!({"submission_id": uuid::Uuid::new_v4(), "child_ids": [ella],
                "absence": {"first_day": "2026-11-26", "last_day": "2026-11-27", "reason": "sick"}}),
    )
    .await;
    assert_eq!(status, 201);
    // A correction request, and one-time codes.
    let (status, _) = post(
        &anna,
        "/api/me/corrections",
        &json!({"subject_id": ella, "item": "schedule", "message": "Fel tid den 12 januari."}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, key) = post(&anna, "/api/me/totp", &json!({})).await;
    assert_eq!(status, 200, "{key}");
    let code = code_at(key["secret"].as_str().unwrap(), app.clock.now()).unwrap();
    let (status, _) = post(&anna, "/api/me/totp/confirm", &json!({ "code": code })).await;
    assert_eq!(status, 200);

    for path in ["/api/me/extract", "/api/me/extract?download=true"] {
        let (status, extract) = anna.get_json(path).await;
        assert_eq!(status, 200, "{path}: {extract}");
        let account = &extract["account"];
        assert_eq!(account["one_time_codes"], true, "{path}");
        assert_eq!(account["unused_recovery_codes"], 10, "{path}");
        assert!(
            !account["trusted_browsers"].as_array().unwrap().is_empty(),
            "{path}: the password login's trusted browser"
        );
        assert_eq!(
            extract["failed_logins"].as_array().unwrap().len(),
            1,
            "{path}"
        );
        let income = extract["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "income_statement")
            .unwrap_or_else(|| panic!("{path}: the income statement"));
        assert_eq!(income["income"]["gross_monthly_income"], 41500, "{path}");
        assert!(
            income["text"].as_str().unwrap().contains("41 500"),
            "{path}"
        );
        assert_eq!(
            names(&extract["corrections"], "item"),
            ["schedule"],
            "{path}"
        );

        let ella_part = extract["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == ella.as_str())
            .unwrap_or_else(|| panic!("{path}: Ella"));
        let applications = &ella_part["applications"];
        assert_eq!(names(applications, "status"), ["placed"], "{path}");
        assert_eq!(applications[0]["units"], json!(["Förskolan Ekorren"]));
        assert_eq!(
            names(&ella_part["offers"], "status"),
            ["accepted"],
            "{path}"
        );
        let answer_doc = &ella_part["documents"][0];
        assert_eq!(answer_doc["kind"], "placement_offer_answer", "{path}");
        assert_eq!(answer_doc["status"], "signed", "{path}");
        assert_eq!(
            names(&answer_doc["signatures"], "signer_name"),
            ["Anna Lindqvist"],
            "{path}"
        );
        let day = ella_part["schedule"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["date"] == "2027-01-12")
            .unwrap_or_else(|| panic!("{path}: the schedule day"));
        assert_eq!(
            (&day["drop_off"], &day["pick_up"]),
            (&json!("07:45"), &json!("16:15"))
        );
        assert_eq!(day["changed_by"], "Anna Lindqvist");
        assert_eq!(
            names(&ella_part["pickup_persons"], "name"),
            ["Birgit Lindqvist"],
            "{path}"
        );
        assert!(names(&ella_part["placements"], "unit").contains(&"Förskolan Ekorren".to_owned()));
        let absence = &ella_part["absence_reports"][0];
        assert_eq!(
            (
                &absence["first_day"],
                &absence["last_day"],
                &absence["reason"]
            ),
            (&json!("2026-11-26"), &json!("2026-11-27"), &json!("sick")),
            "{path}"
        );
        assert_eq!(absence["reported_by"], "Anna Lindqvist", "{path}");
    }
}

/// Every table with a column that refers to a person (an id of a person or an account, or a
/// personnummer) must be named in `register_extract::COVERAGE`: a new table cannot be
/// forgotten by the extract. The schema is read from the migrated database under test.
#[tokio::test]
async fn every_table_that_refers_to_a_person_is_covered_by_the_extract() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = TestApp::spawn().await;
    let backend = app.db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns \
             WHERE table_schema = current_schema()"
        }
        _ => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
    };
    let rows = app
        .db
        .query_all(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap();
    let refers_to_person = |column: &str| {
        column == "person_id"
            || column.ends_with("_person_id")
            // the append-only tables name people by pseudonym (`population::keys`)
            || column.ends_with("_pseudonym")
            || [
                "child_id",
                "adult_id",
                "pupil_id",
                "account_id",
                "account_hash",
                "personnummer",
            ]
            .contains(&column)
    };
    let mut tables: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            let table: String = row.try_get("", "t").unwrap();
            let column: String = row.try_get("", "c").unwrap();
            (refers_to_person(&column) || table == "person").then_some(table)
        })
        .collect();
    tables.sort();
    tables.dedup();
    assert!(tables.len() > 15, "the schema was read: {tables:?}");
    let covered: Vec<&str> = COVERAGE.iter().map(|(t, _)| *t).collect();
    let missing: Vec<&String> = tables
        .iter()
        .filter(|t| !covered.contains(&t.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "tables that refer to a person but are not in register_extract::COVERAGE: {missing:?}"
    );
    let all_tables: Vec<String> = rows
        .iter()
        .map(|row| row.try_get::<String>("", "t").unwrap())
        .collect();
    let stale: Vec<&&str> = covered
        .iter()
        .filter(|t| !all_tables.iter().any(|s| s == *t))
        .collect();
    assert!(
        stale.is_empty(),
        "COVERAGE names tables that are not there: {stale:?}"
    );
}

/// "Vem har läst uppgifterna" is for reads by others in an official capacity: the staff's read
/// is there, the guardians' own reads of the schedule are not.
#[tokio::test]
async fn the_access_log_shows_reads_by_officials_and_not_the_familys_own() {
    let app = TestApp::spawn().await;
    app.turn_on_codes("erik").await;
    let erik = app.login("erik").await;
    let maria = app.login("maria").await;
    let (_, children) = erik.get_json("/api/children").await;
    let child = children[0]["id"].as_str().unwrap().to_owned();
    // Both guardians read the child's card (a read staff can make too, but not logged when the
    // family makes it: the policy tells the family's relation apart).
    for client in [&erik, &maria] {
        assert_eq!(
            client.get(&format!("/api/pupils/{child}")).await.status(),
            200
        );
    }
    let officer = app.login("handlaggare").await;
    assert_eq!(
        officer.get(&format!("/api/pupils/{child}")).await.status(),
        200
    );
    let logged = app
        .count(
            "SELECT COUNT(*) FROM access_log a JOIN person_key k ON k.pseudonym = a.actor_pseudonym \
             JOIN person p ON p.id = k.person_id WHERE p.given_name IN ('Erik', 'Maria')",
        )
        .await;
    assert_eq!(logged, 0, "the guardians' own reads are not logged");

    let (_, extract) = erik.get_json("/api/me/extract").await;
    let part = extract["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == child.as_str())
        .unwrap();
    let actors = names(&part["access_log"], "actor_name");
    assert_eq!(
        actors,
        ["Ingrid Wallin"],
        "only the officer's read is listed"
    );
}

#[tokio::test]
async fn a_correction_is_asked_for_answered_by_the_officer_and_read_back() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let ella = child(&app, "Ella").await;
    let (_, me) = anna.get_json("/api/me").await;
    let anna_id = me["person_id"]
        .as_str()
        .or(me["id"].as_str())
        .unwrap()
        .to_owned();
    let ask = |subject: &str, item: &str, message: &str| json!({"subject_id": subject, "item": item, "message": message});

    // Population-register items are Skatteverket's; bad texts are refused; nothing is stored.
    for (body, status, code) in [
        (
            ask(&anna_id, "address", "Fel gata"),
            422,
            "population_register_item",
        ),
        (
            ask(&ella, "name", "Fel stavning"),
            422,
            "population_register_item",
        ),
        (ask(&ella, "schedule", "   "), 400, "message_empty"),
        (
            ask(&ella, "schedule", &"x".repeat(2001)),
            400,
            "message_too_long",
        ),
        (ask(&ella, "nonsense", "x"), 400, "invalid_body"),
    ] {
        let (got, answer) = post(&anna, "/api/me/corrections", &body).await;
        assert_eq!(
            (got, answer["error"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
    // Someone else's child is not found; a foster parent does not act in the child's name.
    let nils = child(&app, "Nils").await;
    for (client, subject) in [
        (app.login("maria").await, ella.clone()),
        (app.login("karin").await, nils),
    ] {
        let (got, _) = post(
            &client,
            "/api/me/corrections",
            &ask(&subject, "schedule", "x"),
        )
        .await;
        assert_eq!(got, 404);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM correction_request").await,
        0
    );

    let (status, asked) = post(
        &anna,
        "/api/me/corrections",
        &ask(&ella, "pickup_persons", "Birgit ska inte längre få hämta."),
    )
    .await;
    assert_eq!(status, 201, "{asked}");
    assert_eq!(asked["status"], "open");
    let id = asked["id"].as_str().unwrap();

    // Only an officer with a second factor reads and answers.
    let (status, list) = anna.get_json("/api/officer/corrections").await;
    assert_eq!(
        (status, list["error"].clone()),
        (404, json!("not_found")),
        "the officer's list is not a guardian's to read"
    );
    let answer = json!({"answer": "Birgit är borttagen.", "changed": "Birgit Lindqvist togs bort ur listan över hämtare."});
    let (status, _) = post(
        &anna,
        &format!("/api/officer/corrections/{id}/answer"),
        &answer,
    )
    .await;
    assert_eq!(status, 404);
    let weak = app.login_password_only("handlaggare").await;
    let (status, body) = weak.get_json("/api/officer/corrections").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("step_up_required"))
    );

    let officer = app.login("handlaggare").await;
    let (status, list) = officer.get_json("/api/officer/corrections").await;
    assert_eq!(status, 200);
    assert_eq!(
        names(&list, "message"),
        ["Birgit ska inte längre få hämta."]
    );
    assert_eq!(list[0]["subject_name"], "Ella Lindqvist");
    assert_eq!(list[0]["requested_by_name"], "Anna Lindqvist");
    let (status, body) = post(
        &officer,
        &format!("/api/officer/corrections/{id}/answer"),
        &json!({"answer": " "}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("answer_empty"))
    );
    let (status, answered) = post(
        &officer,
        &format!("/api/officer/corrections/{id}/answer"),
        &answer,
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["status"], "answered");
    let (status, body) = post(
        &officer,
        &format!("/api/officer/corrections/{id}/answer"),
        &answer,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("correction_already_answered"))
    );
    let (_, list) = officer.get_json("/api/officer/corrections").await;
    assert_eq!(list, json!([]), "answered requests leave the list");
    let (status, _) = post(
        &officer,
        &format!("/api/officer/corrections/{}/answer", uuid::Uuid::new_v4()),
        &answer,
    )
    .await;
    assert_eq!(status, 404);

    // Anna reads the answer and what was changed, in the extract (after a one-time code, rule
    // 11) and in her list.
    app.turn_on_codes("anna").await;
    app.step_up(&anna, "anna").await;
    let (_, extract) = anna.get_json("/api/me/extract").await;
    let mine = &extract["corrections"][0];
    assert_eq!(mine["answer"], "Birgit är borttagen.");
    assert_eq!(
        mine["changed"],
        "Birgit Lindqvist togs bort ur listan över hämtare."
    );
    assert_eq!(mine["answered_by_name"], "Ingrid Wallin");
    let (_, listed) = anna.get_json("/api/me/corrections").await;
    assert_eq!(listed[0]["status"], "answered");
}

/// The extract page with its new parts, and a correction asked for and answered through the
/// pages, at 360 px and desktop with axe-core (`check_page` saves the screenshots).
#[tokio::test]
async fn a_correction_goes_through_the_pages_of_the_guardian_and_the_officer() {
    use crate::ui::{app_with_spa, browser, check_page, password_login, step_up, wait_for_text};
    let app = app_with_spa(false).await;
    let ella = child(&app, "Ella").await;
    let anna = app.login("anna").await;
    let (status, _) = post(
        &anna,
        &format!("/api/childcare/children/{ella}/pickup-persons"),
        &json!({"name": "Birgit Lindqvist", "phone": "070-123 45 67"}),
    )
    .await;
    assert_eq!(status, 201);

    // The extract holds absence and grades: it asks for a one-time code where it stands.
    app.turn_on_codes("anna").await;
    let browser = browser().await;
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".site-header .menu-button").await.unwrap();
    browser.goto(&app.url("/uppgifter")).await.unwrap();
    browser.wait_for("#totp-code").await.unwrap();
    check_page(&browser, "extract-step-up").await;
    step_up(&browser, &app, "anna").await;
    wait_for_text(&browser, ".extract-pickup", "Birgit Lindqvist").await;
    check_page(&browser, "extract").await;
    let select = |css: &'static str, value: String| {
        let browser = &browser;
        async move {
            browser
                .wait_for(css)
                .await
                .unwrap()
                .select_by_value(&value)
                .await
                .unwrap();
        }
    };
    select("#correction-subject", ella.clone()).await;
    select("#correction-item", "address".into()).await;
    wait_for_text(&browser, "#correction-skatteverket", "Skatteverket").await;
    check_page(&browser, "extract-correction-skatteverket").await;
    select("#correction-item", "pickup_persons".into()).await;
    browser
        .click(".corrections button[type=submit]")
        .await
        .unwrap();
    wait_for_text(
        &browser,
        "#correction-message-error",
        "Skriv vad som är fel.",
    )
    .await;
    browser
        .fill("#correction-message", "Birgit ska inte längre få hämta.")
        .await
        .unwrap();
    browser
        .click(".corrections button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "#correction-status", "Din begäran är skickad").await;
    wait_for_text(&browser, ".correction-list", "Väntar på svar").await;
    check_page(&browser, "extract-correction-sent").await;
    browser.close().await.unwrap();

    let browser = crate::ui::browser().await;
    password_login(
        &browser,
        &app,
        "handlaggare",
        app.password_of("handlaggare"),
    )
    .await;
    browser.wait_for(".site-header .menu-button").await.unwrap();
    browser
        .goto(&app.url("/handlaggare/rattelser"))
        .await
        .unwrap();
    step_up(&browser, &app, "handlaggare").await;
    wait_for_text(&browser, ".correction", "Birgit ska inte längre få hämta.").await;
    check_page(&browser, "officer-corrections").await;
    browser
        .fill("textarea[id^='answer-']", "Birgit är borttagen.")
        .await
        .unwrap();
    browser
        .fill(
            "textarea[id^='changed-']",
            "Birgit Lindqvist togs bort ur listan.",
        )
        .await
        .unwrap();
    browser
        .click(".correction button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "#answer-status", "Svaret är skickat.").await;
    wait_for_text(
        &browser,
        ".empty-state",
        "Det finns inga obesvarade begäranden.",
    )
    .await;
    check_page(&browser, "officer-corrections-answered").await;
    browser.close().await.unwrap();

    app.turn_on_codes("anna").await;
    let browser = crate::ui::browser().await;
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".site-header .menu-button").await.unwrap();
    browser.goto(&app.url("/uppgifter")).await.unwrap();
    crate::ui::step_up(&browser, &app, "anna").await;
    let answer = wait_for_text(&browser, ".correction__answer", "Birgit är borttagen.").await;
    assert!(answer.contains("togs bort ur listan"), "{answer}");
    check_page(&browser, "extract-correction-answered").await;
    browser.close().await.unwrap();
}

/// Preschool staff opening the day sheet shows in the family's extract as a read of the day
/// sheet, not of a pupil list.
#[tokio::test]
async fn the_day_sheet_read_by_preschool_staff_is_named_as_such() {
    let app = TestApp::spawn().await;
    let ella = child(&app, "Ella").await;
    let larkan = unit(&app, "Förskolan Lärkan").await;
    let staff = app.login("forskola").await;
    let (status, sheet) = staff
        .get_json(&format!("/api/childcare/units/{larkan}/day"))
        .await;
    assert_eq!(status, 200, "{sheet}");
    assert!(names(&sheet["children"], "child_id").contains(&ella));

    app.turn_on_codes("anna").await;
    let (_, extract) = app.login("anna").await.get_json("/api/me/extract").await;
    let part = extract["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == ella.as_str())
        .unwrap();
    assert_eq!(
        names(&part["access_log"], "action"),
        ["read_childcare_day_sheet"]
    );
}

/// Issue #12.4: statuses, kinds and access-log actions are enums, read strictly. A value this
/// version does not know (written behind the backend's back: by a newer version, or by hand) is
/// an error, never a default (an application's unknown status used to read as "queued") and
/// never passed on as raw text (an access-log action's used to be).
#[tokio::test]
async fn an_unknown_stored_status_or_action_is_an_error_not_a_default() {
    let app = TestApp::spawn().await;
    app.turn_on_codes("anna").await;
    let anna = app.login("anna").await;
    let ella = child(&app, "Ella").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let application = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let id = uuid::Uuid::parse_str(application["id"].as_str().unwrap()).unwrap();
    let set_status = "UPDATE childcare_application SET status = $2 WHERE id = $1";

    app.execute(set_status, [id.into(), "on_hold".into()]).await;
    for path in ["/api/childcare/applications", "/api/me/extract"] {
        let (status, body) = anna.get_json(path).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (500, Some("internal")),
            "{path}: {body}"
        );
    }
    app.execute(set_status, [id.into(), "queued".into()]).await;
    let (status, mine) = anna.get_json("/api/childcare/applications").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine[0]["status"], "queued");

    // An access-log line with an action this version does not know.
    let officer = app.login("handlaggare").await;
    assert_eq!(
        officer.get(&format!("/api/pupils/{ella}")).await.status(),
        200
    );
    let (status, _) = anna.get_json("/api/me/extract").await;
    assert_eq!(status, 200);
    app.execute(
        "INSERT INTO access_log (id, municipality_id, occurred_at, actor_pseudonym, \
         subject_pseudonym, action, session_id) SELECT $1, a.municipality_id, a.occurred_at, \
         a.actor_pseudonym, a.subject_pseudonym, 'export_everything', a.session_id \
         FROM access_log a JOIN person_key k ON k.pseudonym = a.subject_pseudonym \
         WHERE k.person_id = $2",
        [
            uuid::Uuid::new_v4().into(),
            uuid::Uuid::parse_str(&ella).unwrap().into(),
        ],
    )
    .await;
    let (status, body) = anna.get_json("/api/me/extract").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (500, Some("internal")),
        "{body}"
    );
}
