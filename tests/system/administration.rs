//! The municipality administrator's settings through the API: a unit's lock days change what a
//! guardian may still change, what the portal's own rules forbid is refused with nothing stored,
//! every change is in the history with who, when, old and new, and only the municipality's own
//! administrator with BankID may change anything.

use serde_json::{json, Value};
use skolportal_shared::calendar::is_locked;
use skolportal_tests::app::{demo_today, TestOptions};
use skolportal_tests::{TestApp, UserClient};

const SETTINGS: &str = "/api/admin/settings";
const HISTORY: &str = "/api/admin/settings/history";

async fn app() -> TestApp {
    TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await
}

/// The demo's administrator, logged in with BankID.
pub(crate) async fn administrator(app: &TestApp) -> UserClient {
    let client = app.anonymous();
    let pnr = app.personnummer_of("Agneta", "Sundin").await;
    assert_eq!(client.bankid_login(&pnr, "loa3").await.status(), 302);
    client
}

/// The first column of the first row of `sql` with `value` bound as `$1` (ids are bound, not
/// written into the SQL: SQLite keeps them as bytes).
pub(crate) async fn one<T: sea_orm::TryGetable>(app: &TestApp, sql: &str, value: uuid::Uuid) -> T {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    app.db
        .query_one(Statement::from_sql_and_values(
            backend,
            skolportal_backend::db::numbered_params(backend, sql),
            [value.into()],
        ))
        .await
        .expect("the query")
        .unwrap_or_else(|| panic!("no row for {sql}"))
        .try_get_by_index(0)
        .expect("a value")
}

/// The unit of the child's first placement.
async fn unit_of(app: &TestApp, child: uuid::Uuid) -> uuid::Uuid {
    one(
        app,
        "SELECT unit_id FROM placement WHERE child_id = $1",
        child,
    )
    .await
}

/// A unit's lock days as stored.
async fn lock_days_of(app: &TestApp, unit: uuid::Uuid) -> i32 {
    one(
        app,
        "SELECT schedule_lock_working_days FROM unit WHERE id = $1",
        unit,
    )
    .await
}

async fn history(admin: &UserClient) -> Vec<Value> {
    let (status, changes) = admin.get_json(HISTORY).await;
    assert_eq!(status, 200, "{changes}");
    changes.as_array().expect("a list").clone()
}

#[tokio::test]
async fn an_administrator_changes_a_units_lock_days_and_the_guardians_schedule_follows() {
    let app = app().await;
    let admin = administrator(&app).await;
    let ella = crate::schedule::child(&app, "Ella", "Lindqvist").await;
    let unit = unit_of(&app, ella).await.to_string();
    let (status, view) = admin.get_json(SETTINGS).await;
    assert_eq!(status, 200, "{view}");
    let settings = view["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["unit_id"] == unit.as_str())
        .expect("Ella's unit")["settings"]
        .clone();
    assert_eq!(settings["schedule_lock_working_days"], 2);

    let mut changed = settings.clone();
    changed["schedule_lock_working_days"] = json!(0);
    let response = admin
        .put(&format!("/api/admin/units/{unit}/settings"), &changed)
        .await;
    assert_eq!(response.status(), 204);

    // The guardian's week now locks by the new setting.
    let anna = app.login("anna").await;
    let (status, week) = anna
        .get_json(&format!("/api/childcare/children/{ella}/schedule"))
        .await;
    assert_eq!(status, 200, "{week}");
    let today = demo_today();
    for day in week["days"].as_array().expect("days") {
        let date: chrono::NaiveDate = day["date"]
            .as_str()
            .and_then(|d| d.parse().ok())
            .expect("a date");
        assert_eq!(
            day["locked"].as_bool(),
            Some(is_locked(date, 0, today)),
            "{date}"
        );
    }
    assert!(
        week["days"][2]["locked"] == false,
        "Wednesday opened: {week}"
    );

    let changes = history(&admin).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    let change = &changes[0];
    assert_eq!(change["setting"], "unit_schedule_lock_days");
    assert_eq!(
        (change["old_value"].as_str(), change["new_value"].as_str()),
        (Some("2"), Some("0"))
    );
    assert_eq!(change["changed_by"], "Agneta Sundin");
    assert!(change["unit_name"].as_str().is_some_and(|n| !n.is_empty()));

    // The same settings again change and log nothing.
    let response = admin
        .put(&format!("/api/admin/units/{unit}/settings"), &changed)
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(history(&admin).await.len(), 1);
}

#[tokio::test]
async fn what_the_rules_do_not_allow_is_refused_and_nothing_is_stored() {
    let app = app().await;
    let admin = administrator(&app).await;
    let (_, before) = admin.get_json(SETTINGS).await;
    let rules = before["rules"].clone();
    let look = before["look"].clone();

    // A principal hands over at most ten days of leave.
    let mut bad = rules.clone();
    bad["leave_mentor_days"] = json!(11);
    let response = admin.put("/api/admin/settings/rules", &bad).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "setting_invalid");
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.contains("leave_mentor_days")));

    // A pale theme is refused with the failing pairs named.
    let mut pale = look.clone();
    pale["theme"]["text"] = json!("#b0b0b0");
    pale["theme"]["primary"] = json!("#9fb7d9");
    let response = admin.put("/api/admin/settings/look", &pale).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "theme_contrast");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("Text on Background")
            && message.contains("OnPrimary on Primary")
            && message.contains("Primary on Background"),
        "{message}"
    );
    let mut not_a_colour = look.clone();
    not_a_colour["theme"]["accent"] = json!("blue;}body{display:none");
    let response = admin.put("/api/admin/settings/look", &not_a_colour).await;
    assert_eq!(response.status(), 422);
    let mut nameless = look.clone();
    nameless["name"] = json!(" S ");
    assert_eq!(
        admin
            .put("/api/admin/settings/look", &nameless)
            .await
            .status(),
        422
    );
    let mut without_swedish = look.clone();
    without_swedish["languages"] = json!(["en"]);
    assert_eq!(
        admin
            .put("/api/admin/settings/look", &without_swedish)
            .await
            .status(),
        422
    );

    // A unit closes after it opens; a school has no childcare places; an unknown unit is 404.
    let units = before["units"].as_array().expect("units");
    let school = units
        .iter()
        .find(|u| u["kind"] == "school")
        .expect("a school");
    let school_id = school["unit_id"].as_str().expect("an id");
    let mut backwards = school["settings"].clone();
    backwards["opens_at"] = json!("17:00");
    backwards["closes_at"] = json!("08:00");
    let path = format!("/api/admin/units/{school_id}/settings");
    assert_eq!(admin.put(&path, &backwards).await.status(), 422);
    let mut places = school["settings"].clone();
    places["capacity"] = json!(40);
    assert_eq!(admin.put(&path, &places).await.status(), 422);
    let unknown = format!("/api/admin/units/{}/settings", uuid::Uuid::new_v4());
    assert_eq!(admin.put(&unknown, &school["settings"]).await.status(), 404);
    let malformed = admin
        .request(reqwest::Method::PUT, "/api/admin/settings/rules")
        .header("content-type", "application/json")
        .body("{\"offer_answer_days\": \"many\"")
        .send()
        .await
        .expect("a response");
    assert_eq!(malformed.status(), 400);

    let (_, after) = admin.get_json(SETTINGS).await;
    assert_eq!(after, before, "nothing refused was stored");
    assert!(history(&admin).await.is_empty());

    // What the rules allow is stored and logged, one row per setting that changed.
    let mut good = rules.clone();
    good["offer_answer_days"] = json!(21);
    good["two_guardian_signing"] = json!(false);
    assert_eq!(
        admin.put("/api/admin/settings/rules", &good).await.status(),
        204
    );
    let mut purple = look.clone();
    purple["theme"]["primary"] = json!("#5B2A86");
    purple["name"] = json!(" Solviks kommun – förskola och skola ");
    assert_eq!(
        admin
            .put("/api/admin/settings/look", &purple)
            .await
            .status(),
        204
    );
    let (_, after) = admin.get_json(SETTINGS).await;
    assert_eq!(after["rules"], good);
    assert_eq!(after["look"]["theme"]["primary"], "#5b2a86");
    let changes = history(&admin).await;
    let settings: Vec<&str> = changes
        .iter()
        .filter_map(|c| c["setting"].as_str())
        .collect();
    assert_eq!(settings.len(), 4, "{changes:?}");
    for key in ["offer_answer_days", "two_guardian_signing", "theme", "name"] {
        assert!(settings.contains(&key), "{settings:?}");
    }
    let offer = changes
        .iter()
        .find(|c| c["setting"] == "offer_answer_days")
        .expect("the offer days");
    assert_eq!(offer["old_value"], "14");
    assert_eq!(offer["new_value"], "21");
    // The theme is served at once.
    let css = app
        .anonymous()
        .get("/theme.css")
        .await
        .text()
        .await
        .expect("css");
    assert!(css.contains("#5b2a86"), "{css}");
    // So is the name, in the public info and the shell.
    let (_, info) = app.anonymous().get_json("/api/municipality").await;
    assert_eq!(info["name"], "Solviks kommun – förskola och skola");
}

#[tokio::test]
async fn only_the_municipalitys_administrator_with_bankid_changes_settings() {
    let app = app().await;
    let rules_path = "/api/admin/settings/rules";
    let (_, view) = administrator(&app).await.get_json(SETTINGS).await;
    let rules = view["rules"].clone();

    // The case officer, a teacher, a guardian: no such page for them.
    for who in ["handlaggare", "larare", "anna", "rektor"] {
        let client = app.login(who).await;
        let (status, _) = client.get_json(SETTINGS).await;
        assert_eq!(status, 404, "{who}");
        assert_eq!(client.put(rules_path, &rules).await.status(), 404, "{who}");
        let (status, _) = client.get_json(HISTORY).await;
        assert_eq!(status, 404, "{who}");
    }
    // The administrator with a password and a one-time code is asked for BankID.
    let weak = app.login("admin").await;
    let (status, body) = weak.get_json(SETTINGS).await;
    assert_eq!(
        (
            status,
            body["error"].as_str(),
            body["required_strength"].as_str()
        ),
        (403, Some("step_up_required"), Some("bankid")),
        "{body}"
    );

    // Another municipality's unit is not hers to change.
    let other = uuid::Uuid::new_v4();
    let other_unit = uuid::Uuid::new_v4();
    app.execute(
        "INSERT INTO municipality (id, code, name, settings, created_at) \
         VALUES ($1, '8888', 'Annanstad', $2, $3)",
        [
            other.into(),
            sea_orm::Value::Json(Some(Box::new(json!({})))),
            chrono::Utc::now().into(),
        ],
    )
    .await;
    app.execute(
        "INSERT INTO unit (id, municipality_id, name, kind, opens_at, closes_at, \
         schedule_lock_working_days, created_at) \
         VALUES ($1, $2, 'Annanstads förskola', 'preschool', '06:30:00', '18:00:00', 2, $3)",
        [other_unit.into(), other.into(), chrono::Utc::now().into()],
    )
    .await;
    let admin = administrator(&app).await;
    let response = admin
        .put(
            &format!("/api/admin/units/{other_unit}/settings"),
            &json!({"opens_at": "07:00", "closes_at": "17:00", "schedule_lock_working_days": 0}),
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(lock_days_of(&app, other_unit).await, 2);

    // An administrator of the other municipality only is nobody's here.
    app.execute(
        "UPDATE municipality_administrator SET municipality_id = $1",
        [other.into()],
    )
    .await;
    let (status, _) = admin.get_json(SETTINGS).await;
    assert_eq!(status, 404);
}

/// The settings page in Chromium at 360 px and desktop, with axe-core and a focus walk: the
/// administrator lands on the officers' app with her cards, a pale theme is named pair by pair
/// before saving, a unit's lock days are changed, the history lists it, and the guardian's
/// schedule page opens the days that the new setting no longer locks.
#[tokio::test]
async fn the_administrator_changes_a_units_lock_days_on_the_page() {
    use crate::ui::{check_fits, password_login, wait_for_text};
    use chrono::Datelike;
    let app = crate::ui::app_with_spa(true).await;
    let pnr = app.personnummer_of("Agneta", "Sundin").await;
    let browser = crate::grades_ui::bankid_in_browser(&app, &pnr).await;
    // She lands in her own app, on the settings; the case officer's pages are not hers.
    wait_for_text(&browser, "#settings-rules-heading", "Regler").await;
    assert!(browser
        .current_url()
        .await
        .unwrap()
        .ends_with("/administration"));
    let menu = browser.text(".site-header").await.unwrap();
    assert!(!menu.contains("Handläggning"), "{menu}");
    check_fits(&browser, "admin-settings").await;
    let walk = browser.focus_walk(None, 60).await.unwrap();
    assert!(walk.visited > 15, "only {} controls reached", walk.visited);
    assert!(walk.problems.is_empty(), "{:?}", walk.problems);

    // The fee periods, as the page shows them.
    browser
        .cdp(
            "Runtime.evaluate",
            json!({"expression": "document.getElementById('settings-fees-heading').scrollIntoView()"}),
        )
        .await
        .expect("scroll");
    wait_for_text(&browser, "table.settings-fees", "2026").await;
    check_fits(&browser, "admin-settings-fees").await;

    // A pale text colour is named before anything is sent.
    browser.fill("#look-text", "#bbbbbb").await.unwrap();
    let contrast = wait_for_text(&browser, "#look-contrast", "Brödtext mot").await;
    assert!(contrast.contains("behöver 4,5:1"), "{contrast}");
    check_fits(&browser, "admin-settings-contrast").await;
    browser.fill("#look-text", "#1a1a1a").await.unwrap();
    wait_for_text(&browser, "#look-contrast", "klarar kontrastkraven").await;

    // Ella's preschool locks no days ahead from now on.
    let ella = crate::schedule::child(&app, "Ella", "Lindqvist").await;
    let unit = unit_of(&app, ella).await;
    browser
        .set_value("#settings-unit", &unit.to_string())
        .await
        .unwrap();
    browser.wait_for("#unit-lock-days").await.unwrap();
    browser.set_value("#unit-lock-days", "0").await.unwrap();
    browser
        .click("section[aria-labelledby='settings-units-heading'] button[type=submit]")
        .await
        .unwrap();
    wait_for_text(&browser, "#settings-unit-status", "sparade").await;
    assert_eq!(lock_days_of(&app, unit).await, 0);
    // Chosen again, the unit shows what was saved, not what the page loaded.
    browser.set_value("#settings-unit", "").await.unwrap();
    browser
        .set_value("#settings-unit", &unit.to_string())
        .await
        .unwrap();
    let shown = browser
        .wait_for("#unit-lock-days")
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(shown.as_deref(), Some("0"));

    browser
        .goto(&app.url("/administration/historik"))
        .await
        .unwrap();
    let history = wait_for_text(&browser, "table.settings-history", "Låsdagar").await;
    assert!(history.contains("Agneta Sundin"), "{history}");
    check_fits(&browser, "admin-settings-history").await;
    browser.close().await.unwrap();

    // The guardian's week: Wednesday to Friday are open now (two days ahead locked them).
    let browser = crate::ui::browser().await;
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    crate::ui::landed(&browser, &app).await;
    browser
        .goto(&app.url(&format!("/barnomsorg/schema/{ella}")))
        .await
        .unwrap();
    // The page opens on the browser's own week; the portal's clock is the demo's.
    let today = demo_today();
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    crate::schedule_ui::show_week(&browser, &monday.to_string()).await;
    let wednesday = (demo_today() + chrono::Duration::days(1)).to_string();
    let class = browser
        .wait_for(&format!("fieldset[data-date='{wednesday}']"))
        .await
        .unwrap()
        .attr("class")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(!class.contains("schedule-day--locked"), "{class}");
    browser.close().await.unwrap();
}

/// Fee periods are effective-dated: one starts in a coming month, never charges more than the
/// state's maxtaxa, and once begun is history; a saved one is what the guardians' fee preview
/// computes with.
#[tokio::test]
async fn a_fee_period_starts_in_a_coming_month_within_the_maxtaxa() {
    let app = app().await;
    let admin = administrator(&app).await;
    let (_, view) = admin.get_json(SETTINGS).await;
    let periods = view["fee_periods"].as_array().expect("periods").clone();
    let latest = periods.last().expect("a period").clone();
    let path = "/api/admin/settings/fee-periods";
    let with = |valid_from: &str, change: &dyn Fn(&mut Value)| {
        let mut p = latest.clone();
        p["valid_from"] = json!(valid_from);
        change(&mut p);
        p
    };
    let refused = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.expect("json");
        body["error"].as_str().unwrap_or_default().to_owned()
    };

    // The demo's today is in November 2026: November has begun, December is the earliest.
    let started = admin.put(path, &with("2026-11-01", &|_| {})).await;
    assert_eq!(refused(started).await, "fee_period_started");
    let dearer = admin
        .put(
            path,
            &with("2027-01-01", &|p| {
                p["preschool_rates_bp"] = json!([350, 200, 100])
            }),
        )
        .await;
    assert_eq!(refused(dearer).await, "fee_above_maxtaxa");
    let ceiling = admin
        .put(
            path,
            &with("2027-01-01", &|p| p["max_fee_base"] = json!(99_000)),
        )
        .await;
    assert_eq!(refused(ceiling).await, "fee_above_maxtaxa");
    let mid_month = admin.put(path, &with("2027-01-15", &|_| {})).await;
    assert_eq!(refused(mid_month).await, "fee_settings_invalid");
    let (_, after) = admin.get_json(SETTINGS).await;
    assert_eq!(
        after["fee_periods"],
        json!(periods),
        "nothing refused was stored"
    );
    assert!(history(&admin).await.is_empty());

    // A cheaper period from January is stored, logged, and the guardians' preview has it.
    let cheaper = with("2027-01-01", &|p| {
        p["preschool_rates_bp"] = json!([250, 150, 50])
    });
    assert_eq!(admin.put(path, &cheaper).await.status(), 204);
    let changes = history(&admin).await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["setting"], "fee_periods");
    assert!(changes[0]["new_value"]
        .as_str()
        .is_some_and(|v| v.contains("2027-01-01")));
    let anna = app.login("anna").await;
    let (status, basis) = anna.get_json("/api/childcare/fee-basis").await;
    assert_eq!(status, 200, "{basis}");
    assert!(
        basis["periods"]
            .as_array()
            .expect("periods")
            .iter()
            .any(|p| p["valid_from"] == "2027-01-01"
                && p["preschool_rates_bp"] == json!([250, 150, 50])),
        "{basis}"
    );

    // It may be taken back before it starts; a begun one may not; one that is not there is 404.
    let remove = |date: &str| {
        admin
            .request(reqwest::Method::DELETE, &format!("{path}/{date}"))
            .send()
    };
    assert_eq!(
        remove("2027-01-01").await.expect("a response").status(),
        204
    );
    assert_eq!(
        remove("2027-01-01").await.expect("a response").status(),
        404
    );
    assert_eq!(
        remove("2026-07-01").await.expect("a response").status(),
        422
    );
    assert_eq!(
        remove("not-a-date").await.expect("a response").status(),
        404
    );
    let (_, after) = admin.get_json(SETTINGS).await;
    assert_eq!(after["fee_periods"], json!(periods));
}

/// The consents guardians are asked for are the administrator's to word: each purpose once, a
/// title and a text, nothing stored when refused; a kind keeps its key when reworded, and one
/// that guardians have answered cannot be taken away.
#[tokio::test]
async fn the_administrator_words_the_consents_and_keeps_those_answered() {
    let app = app().await;
    let admin = administrator(&app).await;
    let path = "/api/admin/settings/consent-kinds";
    let (_, view) = admin.get_json(SETTINGS).await;
    let before = view["consent_kinds"].clone();
    assert_eq!(before.as_array().unwrap().len(), 3, "{before}");
    let kind = |purpose: &str, title: &str, grace: u32| {
        json!({"purpose": purpose, "title": title, "text": format!("{title}: vi frågar om ditt samtycke."),
               "requirement": "every_guardian", "grace_days": grace})
    };
    for (wrong, why) in [
        (
            json!({"kinds": [kind("talk_documentation", "A", 30), kind("talk_documentation", "B", 30)]}),
            "a purpose twice",
        ),
        (
            json!({"kinds": [kind("talk_documentation", "  ", 30)]}),
            "no title",
        ),
        (
            json!({"kinds": [kind("talk_documentation", "A", 400)]}),
            "over a year",
        ),
    ] {
        let response = admin.put(path, &wrong).await;
        assert_eq!(response.status(), 422, "{why}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "setting_invalid", "{why}: {body}");
    }
    let (_, view) = admin.get_json(SETTINGS).await;
    assert_eq!(view["consent_kinds"], before, "nothing stored");

    // Erik answers the website consent; it can then be reworded but not taken away.
    let erik = app.login("erik").await;
    let child = crate::consent::alva(&erik).await;
    let answered = erik
        .put(
            &format!("/api/children/{child}/consents/publicering"),
            &json!({"decision": "given"}),
        )
        .await;
    assert_eq!(answered.status(), 200);
    let without_website = json!({"kinds": [
        kind("talk_documentation", "Samtalsunderlag i portalen", 30),
        kind("school_transfer", "Planen till nästa skola", 0),
    ]});
    let response = admin.put(path, &without_website).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "consent_kind_in_use", "{body}");
    let (_, view) = admin.get_json(SETTINGS).await;
    assert_eq!(view["consent_kinds"], before, "nothing stored");

    // Reworded (and the transfer consent no longer asked, nobody had answered it): the keys stay,
    // the guardian reads the new words, and the history has the change.
    let reworded = json!({"kinds": [
        kind("talk_documentation", "Samtalsunderlag i portalen", 30),
        kind("website_publication", "Bild på webbplatsen", 0),
    ]});
    assert_eq!(admin.put(path, &reworded).await.status(), 204);
    let (_, view) = admin.get_json(SETTINGS).await;
    let keys: Vec<&str> = view["consent_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["utvecklingssamtal", "publicering"]);
    let (_, consents) = erik
        .get_json(&format!("/api/children/{child}/consents"))
        .await;
    let titles: Vec<&str> = consents["consents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Samtalsunderlag i portalen", "Bild på webbplatsen"]
    );
    let history = history(&admin).await;
    assert_eq!(history[0]["setting"], "consent_kinds", "{history:?}");
    // Asked again, a purpose gets its own code as the key.
    let again = json!({"kinds": [
        kind("talk_documentation", "Samtalsunderlag i portalen", 30),
        kind("website_publication", "Bild på webbplatsen", 0),
        kind("school_transfer", "Planen till nästa skola", 0),
    ]});
    assert_eq!(admin.put(path, &again).await.status(), 204);
    let (_, view) = admin.get_json(SETTINGS).await;
    assert_eq!(view["consent_kinds"][2]["key"], "school_transfer");
    // Nobody else words them.
    let officer = app.login("handlaggare").await;
    assert_eq!(officer.put(path, &again).await.status(), 404);
}

/// Every administration operation in the served spec (`/admin/…`), so that a new one is covered
/// the day it is added: the case officer, a teacher, a preschool teacher, a guardian and the
/// principal get the same 404 as for a page that does not exist, and so does an administrator
/// of another municipality; nothing is changed or logged.
#[tokio::test]
async fn no_one_but_the_municipalitys_administrator_reaches_any_administration_operation() {
    let app = app().await;
    let (_, spec) = app.anonymous().get_json("/api/openapi.json").await;
    let unit = crate::schedule::unit(&app, "Förskolan Lärkan").await;
    let mut operations: Vec<(reqwest::Method, String)> = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/admin/") {
            continue;
        }
        let path = path
            .replace("/units/{id}", &format!("/units/{unit}"))
            .replace("{id}", &uuid::Uuid::new_v4().to_string())
            .replace("{valid_from}", "2027-02-01");
        assert!(!path.contains('{'), "{path}: an unknown parameter");
        for method in item.as_object().unwrap().keys() {
            operations.push((
                method.to_uppercase().parse().unwrap(),
                format!("/api{path}"),
            ));
        }
    }
    let paths: Vec<&str> = operations.iter().map(|(_, p)| p.as_str()).collect();
    for expected in [
        "/look",
        "/fee-periods",
        "/rules",
        "/consent-kinds",
        "/embedding",
    ] {
        assert!(
            paths
                .iter()
                .any(|p| p.ends_with(&format!("/admin/settings{expected}"))),
            "{expected} in {paths:?}"
        );
    }
    assert!(operations.len() >= 15, "{paths:?}");

    let admin = administrator(&app).await;
    let (_, before) = admin.get_json(SETTINGS).await;
    let changes = app.count("SELECT COUNT(*) FROM setting_change").await;
    let refused_all = |client: UserClient, who: &'static str| {
        let operations = operations.clone();
        async move {
            for (method, path) in &operations {
                let response = client
                    .request(method.clone(), path)
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 404, "{who}: {method} {path}");
            }
        }
    };
    for who in ["handlaggare", "larare", "forskola", "anna", "rektor"] {
        refused_all(app.login(who).await, who).await;
    }

    // Agneta becomes the administrator of another municipality only.
    let other = uuid::Uuid::new_v4();
    app.execute(
        "INSERT INTO municipality (id, code, name, settings, created_at) \
         VALUES ($1, '8888', 'Annanstad', $2, $3)",
        [
            other.into(),
            sea_orm::Value::Json(Some(Box::new(json!({})))),
            chrono::Utc::now().into(),
        ],
    )
    .await;
    app.execute(
        "UPDATE municipality_administrator SET municipality_id = $1",
        [other.into()],
    )
    .await;
    refused_all(admin, "another municipality's administrator").await;

    assert_eq!(
        app.count("SELECT COUNT(*) FROM setting_change").await,
        changes
    );
    app.execute(
        "UPDATE municipality_administrator SET municipality_id = \
         (SELECT id FROM municipality WHERE code = '9999')",
        [],
    )
    .await;
    let (_, after) = administrator(&app).await.get_json(SETTINGS).await;
    assert_eq!(after, before);
}
