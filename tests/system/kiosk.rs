//! The check-in kiosk through the API: the administrator pairs a tablet to Förskolan Lärkan
//! with a one-time code; the preschool's staff set a PIN and sign in on it; the tablet lists
//! the children expected today by first name and initial, checks Ella in and out to her
//! pick-up person, takes a check-in made offline with its own time, and signs its staff out
//! when idle; Ella's guardian sees the actual times beside the schedule and the day sheet shows
//! them; and the tablet reaches its own unit and nothing else, until the staff unpair it.

use serde_json::{json, Value};
use skolportal_tests::app::TestOptions;
use skolportal_tests::{TestApp, UserClient};
use uuid::Uuid;

use crate::administration::administrator;

/// The error code of a refused request.
async fn refused(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or_default();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A tablet paired to `unit` with a fresh code; its cookie is in the client.
pub(crate) async fn paired_tablet(app: &TestApp, unit: Uuid) -> (UserClient, Value) {
    let admin = administrator(app).await;
    let response = admin
        .post("/api/admin/kiosk/pairings", &json!({"unit_id": unit}))
        .await;
    assert_eq!(response.status(), 201);
    let code: Value = response.json().await.unwrap();
    let tablet = app.anonymous();
    let response = tablet
        .post(
            "/api/kiosk/pair",
            &json!({"code": code["code"].as_str().unwrap().to_lowercase(), "name": "Entrén"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    (tablet, code)
}

#[tokio::test]
async fn a_paired_tablet_checks_children_in_and_out_for_its_own_unit_only() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        demo_schedules: true,
        ..Default::default()
    })
    .await;
    let larkan = crate::schedule::unit(&app, "Förskolan Lärkan").await;
    let ekorren = crate::schedule::unit(&app, "Förskolan Ekorren").await;
    let school = crate::schedule::unit(&app, "Solviksskolan").await;
    let ella = crate::schedule::child(&app, "Ella", "Lindqvist").await;

    // A school has no entrance tablet; a code pairs one tablet, once.
    let admin = administrator(&app).await;
    let response = admin
        .post("/api/admin/kiosk/pairings", &json!({"unit_id": school}))
        .await;
    assert_eq!(
        refused(response).await,
        (422, "kiosk_not_childcare".to_owned())
    );
    let (tablet, code) = paired_tablet(&app, larkan).await;
    let again = app
        .anonymous()
        .post(
            "/api/kiosk/pair",
            &json!({"code": code["code"], "name": "Andra"}),
        )
        .await;
    assert_eq!(
        refused(again).await,
        (422, "pairing_code_invalid".to_owned())
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM kiosk_device").await, 1);
    // Wrong codes count against the address, as failed logins do: after five, even a good code
    // waits, so the codes of the moment cannot be guessed.
    for _ in 0..4 {
        let guess = app
            .anonymous()
            .post(
                "/api/kiosk/pair",
                &json!({"code": "ZZZZ-ZZZZ", "name": "Gissning"}),
            )
            .await;
        assert_eq!(
            refused(guess).await,
            (422, "pairing_code_invalid".to_owned())
        );
    }
    let response = admin
        .post("/api/admin/kiosk/pairings", &json!({"unit_id": larkan}))
        .await;
    let fresh: Value = response.json().await.unwrap();
    let response = app
        .anonymous()
        .post(
            "/api/kiosk/pair",
            &json!({"code": fresh["code"], "name": "Femte"}),
        )
        .await;
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(refused(response).await, (429, "throttled".to_owned()));
    assert_eq!(app.count("SELECT COUNT(*) FROM kiosk_device").await, 1);

    // The preschool's staff member sets a PIN in the portal; the tablet lists her.
    let forskola = app.login("forskola").await;
    let (_, me) = forskola.get_json("/api/me").await;
    let staff_id = me["person_id"].as_str().unwrap().to_owned();
    let response = forskola
        .put("/api/me/kiosk-pin", &json!({"pin": "12a"}))
        .await;
    assert_eq!(refused(response).await, (422, "pin_invalid".to_owned()));
    let response = forskola
        .put("/api/me/kiosk-pin", &json!({"pin": "4711"}))
        .await;
    assert_eq!(response.status(), 204);
    let (status, state) = tablet.get_json("/api/kiosk").await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["unit_name"], "Förskolan Lärkan");
    assert!(state["signed_in"].is_null());
    assert!(state["staff"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["person_id"] == staff_id.as_str()));

    // Nothing of the day before someone signs in; a wrong PIN is refused.
    let day = format!("/api/kiosk/units/{larkan}/day");
    assert_eq!(
        refused(tablet.get(&day).await).await,
        (401, "kiosk_signed_out".to_owned())
    );
    let sign_in = |pin: &str| json!({"person_id": staff_id, "pin": pin});
    let response = tablet.post("/api/kiosk/sign-in", &sign_in("0000")).await;
    assert_eq!(refused(response).await, (401, "wrong_pin".to_owned()));
    let response = tablet.post("/api/kiosk/sign-in", &sign_in("4711")).await;
    assert_eq!(response.status(), 204);

    // Today's children by first name and initial, Ella with her planned times.
    let (status, today) = tablet.get_json(&day).await;
    assert_eq!(status, 200, "{today}");
    let children = today["children"].as_array().unwrap();
    assert!(children.len() >= 2, "{today}");
    for child in children {
        let label = child["label"].as_str().unwrap();
        assert!(
            label.ends_with('.') && label.split(' ').count() == 2,
            "{label}"
        );
        assert!(child.get("family_name").is_none());
    }
    let ella_row = children
        .iter()
        .find(|c| c["child_id"] == ella.to_string().as_str())
        .unwrap()
        .clone();
    assert_eq!(ella_row["label"], "Ella L.");
    assert!(ella_row["planned_drop_off"].is_string(), "{ella_row}");
    let other = children
        .iter()
        .find(|c| c["child_id"] != ella.to_string().as_str())
        .unwrap()["child_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Ella is checked in; the same tap again changes nothing, a second one is refused.
    let now = app.clock.now();
    let check_ins = format!("/api/kiosk/units/{larkan}/check-ins");
    let tap = json!({"event_id": Uuid::new_v4(), "child_id": ella, "at": now});
    assert_eq!(tablet.post(&check_ins, &tap).await.status(), 204);
    assert_eq!(tablet.post(&check_ins, &tap).await.status(), 204);
    let second = json!({"event_id": Uuid::new_v4(), "child_id": ella, "at": now});
    assert_eq!(
        refused(tablet.post(&check_ins, &second).await).await,
        (409, "already_checked_in".to_owned())
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_presence").await,
        1
    );

    // A check-in made offline two hours ago arrives now with its own time; thirteen hours is
    // not a time a tap of today can have.
    let earlier = now - chrono::Duration::hours(2);
    let offline = json!({"event_id": Uuid::new_v4(), "child_id": other, "at": earlier});
    assert_eq!(tablet.post(&check_ins, &offline).await.status(), 204);
    let stale = json!({"event_id": Uuid::new_v4(), "child_id": other,
                       "at": now - chrono::Duration::hours(13)});
    assert_eq!(
        refused(tablet.post(&check_ins, &stale).await).await,
        (422, "kiosk_time_invalid".to_owned())
    );
    let (_, today) = tablet.get_json(&day).await;
    let other_row = today["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["child_id"] == other.as_str())
        .unwrap()
        .clone();
    let stored =
        chrono::DateTime::parse_from_rfc3339(other_row["checked_in_at"].as_str().unwrap()).unwrap();
    assert_eq!(stored, earlier, "the offline tap keeps its time");

    // Anna lists her mother as a pick-up person; Ella is collected by her.
    let anna = app.login("anna").await;
    let response = anna
        .post(
            &format!("/api/childcare/children/{ella}/pickup-persons"),
            &json!({"name": "Birgit Lindqvist", "phone": "070-123 45 67"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let (_, today) = tablet.get_json(&day).await;
    let ella_row = today["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["child_id"] == ella.to_string().as_str())
        .unwrap()
        .clone();
    let collectors = ella_row["collectors"].as_array().unwrap();
    assert!(collectors.iter().any(|c| c["kind"] == "guardian"));
    let birgit = collectors
        .iter()
        .find(|c| c["name"] == "Birgit Lindqvist")
        .unwrap()
        .clone();
    app.advance(chrono::Duration::hours(7));
    let check_outs = format!("/api/kiosk/units/{larkan}/check-outs");
    let out = |collector: &Value| {
        json!({"event_id": Uuid::new_v4(), "child_id": ella, "at": app.clock.now(),
               "collector_kind": collector["kind"], "collector_id": collector["id"]})
    };
    // Seven hours is longer than the tablet stays signed in untouched.
    assert_eq!(
        refused(tablet.post(&check_outs, &out(&birgit)).await).await,
        (401, "kiosk_signed_out".to_owned())
    );
    let response = tablet.post("/api/kiosk/sign-in", &sign_in("4711")).await;
    assert_eq!(response.status(), 204);
    let stranger = json!({"kind": "pickup_person", "id": Uuid::new_v4()});
    assert_eq!(
        refused(tablet.post(&check_outs, &out(&stranger)).await).await,
        (422, "unknown_collector".to_owned())
    );
    assert_eq!(tablet.post(&check_outs, &out(&birgit)).await.status(), 204);
    let (_, today) = tablet.get_json(&day).await;
    let ella_row = today["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["child_id"] == ella.to_string().as_str())
        .unwrap()
        .clone();
    assert_eq!(ella_row["collected_by"], "Birgit Lindqvist");
    assert!(ella_row["checked_out_at"].is_string());

    // Anna sees the day's actual times beside her schedule; the staff's day sheet has them.
    // (Seven hours on, their portal sessions have timed out too.)
    let anna = app.login("anna").await;
    let forskola = app.login("forskola").await;
    let (status, presence) = anna
        .get_json(&format!("/api/childcare/children/{ella}/presence"))
        .await;
    assert_eq!(status, 200, "{presence}");
    let first = &presence["days"][0];
    assert_eq!(first["date"], "2026-11-24");
    assert!(first["planned_drop_off"].is_string(), "{first}");
    assert!(first["checked_in_at"].is_string() && first["checked_out_at"].is_string());
    assert_eq!(first["collected_by"], "Birgit Lindqvist");
    let (status, sheet) = forskola
        .get_json(&format!(
            "/api/childcare/units/{larkan}/day?date=2026-11-24"
        ))
        .await;
    assert_eq!(status, 200, "{sheet}");
    let on_sheet = sheet["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["child_id"] == ella.to_string().as_str())
        .unwrap()
        .clone();
    assert!(on_sheet["checked_in_at"].is_string() && on_sheet["checked_out_at"].is_string());

    // The checks are the staff member's, in the access log, and in Ella's register extract.
    assert!(
        app.count("SELECT COUNT(*) FROM access_log WHERE action = 'check_children_in_and_out'")
            .await
            >= 2
    );
    let anna_bankid =
        crate::talks::bankid(&app, &app.personnummer_of("Anna", "Lindqvist").await).await;
    let (status, extract) = anna_bankid.get_json("/api/me/extract").await;
    assert_eq!(status, 200, "{extract}");
    let ella_extract = extract["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == ella.to_string().as_str())
        .unwrap()
        .clone();
    assert_eq!(
        ella_extract["presence"][0]["collected_by"],
        "Birgit Lindqvist"
    );

    // The tablet reaches its own unit's day and nothing else: not another preschool's, not a
    // pupil card, not a guardian's page.
    assert_eq!(
        refused(tablet.get(&format!("/api/kiosk/units/{ekorren}/day")).await).await,
        (404, "not_found".to_owned())
    );
    let other_in = json!({"event_id": Uuid::new_v4(), "child_id": ella, "at": app.clock.now()});
    assert_eq!(
        tablet
            .post(&format!("/api/kiosk/units/{ekorren}/check-ins"), &other_in)
            .await
            .status(),
        404
    );
    assert_eq!(
        tablet.get(&format!("/api/pupils/{ella}")).await.status(),
        401
    );
    assert_eq!(tablet.get("/api/children").await.status(), 401);
    assert_eq!(
        tablet
            .get(&format!("/api/childcare/children/{ella}/presence"))
            .await
            .status(),
        401
    );

    // Five wrong PINs lock it for a while.
    for _ in 0..5 {
        tablet.post("/api/kiosk/sign-in", &sign_in("0000")).await;
    }
    assert_eq!(
        refused(tablet.post("/api/kiosk/sign-in", &sign_in("4711")).await).await,
        (429, "throttled".to_owned())
    );

    // A guardian does not manage the unit's tablets; its staff unpair it, and it stops.
    let devices = format!("/api/units/{larkan}/kiosk-devices");
    assert_eq!(anna.get_json(&devices).await.0, 404);
    let (status, list) = forskola.get_json(&devices).await;
    assert_eq!(status, 200, "{list}");
    let device = list[0]["id"].as_str().unwrap().to_owned();
    let response = forskola
        .request(reqwest::Method::DELETE, &format!("{devices}/{device}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        refused(tablet.get("/api/kiosk").await).await,
        (401, "kiosk_not_paired".to_owned())
    );
    assert_eq!(tablet.get(&day).await.status(), 401);

    // Three years on, retention removes the check-ins and keeps them only as a count per unit
    // and term.
    let stays = app.count("SELECT COUNT(*) FROM childcare_presence").await;
    assert_eq!(stays, 2);
    crate::retention::set_day(&app, "2029-11-25");
    let report = crate::retention::run_today(&app).await;
    assert_eq!(crate::retention::counted(&report, "presence"), (2, 0));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM childcare_presence").await,
        0
    );
    let admin = administrator(&app).await;
    let (_, statistics) = admin.get_json("/api/admin/statistics/attendance").await;
    let kept: u64 = statistics["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["measure"] == "childcare_stays" && r["unit_id"] == larkan.to_string().as_str()
        })
        .map(|r| r["value"].as_u64().unwrap())
        .sum();
    assert_eq!(kept, 2, "{statistics}");
}

/// The tablet's page as it stands, at 1024×768: axe-core finds nothing, the focus is visible on
/// every control, and a screenshot is kept.
async fn check_tablet(browser: &skolportal_tests::browser::Browser, name: &str) {
    browser
        .assert_accessible(&format!("{name} (1024 px)"))
        .await;
    let walk = browser.focus_walk(None, 40).await.unwrap();
    assert!(walk.problems.is_empty(), "{name}: {:?}", walk.problems);
    let _ = browser
        .screenshot(crate::ui::screenshot_dir().join(format!("{name}-1024.png")))
        .await;
}

/// The text of a child's tile.
async fn tile(browser: &skolportal_tests::browser::Browser, child: &str) -> String {
    browser
        .text(&format!("#kiosk-child-{child}"))
        .await
        .unwrap_or_default()
}

/// Waits until the child's tile says `needle`.
async fn tile_says(browser: &skolportal_tests::browser::Browser, child: &str, needle: &str) {
    crate::ui::wait_for_text(browser, &format!("#kiosk-child-{child}"), needle).await;
}

/// The tablet in Chromium at 1024×768, by touch-sized buttons: paired with the code, the
/// preschool's staff member signs in with her PIN, Ella is checked in and then out to her
/// grandmother on the pick-up list, and a check-in made with the network down is kept and sent
/// when it returns, with the time it was made. Ella's mother sees the times beside her
/// schedule.
#[tokio::test]
async fn the_tablet_checks_ella_in_and_out_and_keeps_a_tap_made_offline() {
    use crate::ui::{browser, wait_for_text};
    use skolportal_tests::browser::Viewport;
    let app = TestApp::spawn_with(TestOptions {
        static_dir: Some(crate::ui::dist()),
        bankid: true,
        demo_schedules: true,
        ..Default::default()
    })
    .await;
    let larkan = crate::schedule::unit(&app, "Förskolan Lärkan").await;
    let ella = crate::schedule::child(&app, "Ella", "Lindqvist")
        .await
        .to_string();
    // The administrator makes the code on her settings page.
    let pnr = app.personnummer_of("Agneta", "Sundin").await;
    let admin_page = crate::grades_ui::bankid_in_browser(&app, &pnr).await;
    wait_for_text(
        &admin_page,
        "#settings-kiosk-heading",
        "Incheckningsplattor",
    )
    .await;
    admin_page
        .set_value("#settings-kiosk-unit", &larkan.to_string())
        .await
        .unwrap();
    admin_page.click("#settings-kiosk-code").await.unwrap();
    wait_for_text(&admin_page, ".kiosk-code", "Förskolan Lärkan").await;
    let code = admin_page.text(".kiosk-code__value").await.unwrap();
    assert_eq!(code.len(), 9, "{code}");
    let forskola = app.login("forskola").await;
    let (_, me) = forskola.get_json("/api/me").await;
    let staff_id = me["person_id"].as_str().unwrap().to_owned();
    assert_eq!(
        forskola
            .put("/api/me/kiosk-pin", &json!({"pin": "4711"}))
            .await
            .status(),
        204
    );
    let anna = app.login("anna").await;
    let response = anna
        .post(
            &format!("/api/childcare/children/{ella}/pickup-persons"),
            &json!({"name": "Birgit Lindqvist", "phone": "070-123 45 67"}),
        )
        .await;
    let birgit: Value = response.json().await.unwrap();

    let browser = browser().await;
    browser
        .resize(Viewport {
            width: 1024,
            height: 768,
        })
        .await
        .unwrap();
    browser.goto(&app.url("/kiosk")).await.unwrap();
    wait_for_text(&browser, "h1", "Koppla plattan").await;
    check_tablet(&browser, "kiosk-pair").await;
    browser.fill("#kiosk-code", &code).await.unwrap();
    browser.click("form button[type=submit]").await.unwrap();
    wait_for_text(&browser, "h1", "Vem arbetar på plattan?").await;
    check_tablet(&browser, "kiosk-staff").await;
    browser
        .click(&format!("#kiosk-staff-{staff_id}"))
        .await
        .unwrap();
    wait_for_text(&browser, "h1", "Skriv din pinkod").await;
    browser.fill("#kiosk-pin", "4711").await.unwrap();
    browser.click("form button[type=submit]").await.unwrap();
    wait_for_text(&browser, ".kiosk__children", "Ella L.").await;
    let children = browser.text(".kiosk__children").await.unwrap();
    assert!(!children.contains("Lindqvist"), "{children}");
    check_tablet(&browser, "kiosk-day").await;

    // A tap checks Ella in; a tap on her again asks who collects her.
    browser
        .click(&format!("#kiosk-child-{ella}"))
        .await
        .unwrap();
    tile_says(&browser, &ella, "Här sedan 10:0").await;
    browser
        .click(&format!("#kiosk-child-{ella}"))
        .await
        .unwrap();
    wait_for_text(&browser, ".kiosk__dialog", "Vem hämtar Ella L.?").await;
    check_tablet(&browser, "kiosk-collect").await;
    browser
        .click(&format!(
            "#kiosk-collector-{}",
            birgit["id"].as_str().unwrap()
        ))
        .await
        .unwrap();
    tile_says(&browser, &ella, "av Birgit Lindqvist").await;
    // The administrator sees the paired tablet.
    admin_page.goto(&app.url("/administration")).await.unwrap();
    wait_for_text(
        &admin_page,
        "#settings-kiosk-heading ~ ul",
        "Entrén · Förskolan Lärkan",
    )
    .await;

    // With the network down a tap is kept on the tablet, said so, and sent when it is back
    // with the time it was made.
    let other = {
        let tiles = browser
            .cdp(
                "Runtime.evaluate",
                json!({"expression": "Array.from(document.querySelectorAll('.kiosk-child--expected')).map(b => b.id).join(' ')",
                       "returnByValue": true}),
            )
            .await
            .unwrap();
        let ids = tiles["result"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let first = ids.split(' ').next().unwrap_or_default().to_owned();
        assert!(first.starts_with("kiosk-child-"), "{tiles}");
        first.trim_start_matches("kiosk-child-").to_owned()
    };
    let offline = crate::pwa::Offline::begin(&browser).await;
    browser
        .click(&format!("#kiosk-child-{other}"))
        .await
        .unwrap();
    wait_for_text(&browser, "#kiosk-status", "Nätet är nere").await;
    tile_says(&browser, &other, "Sparad på plattan").await;
    let other_id: Uuid = other.parse().unwrap();
    let stays = |app: &TestApp| {
        let app_db = app.db.clone();
        async move {
            use sea_orm::{ConnectionTrait, Statement};
            let backend = app_db.get_database_backend();
            app_db
                .query_one(Statement::from_sql_and_values(
                    backend,
                    skolportal_backend::db::numbered_params(
                        backend,
                        "SELECT COUNT(*) FROM childcare_presence WHERE child_id = $1",
                    ),
                    [other_id.into()],
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<i64>(0)
                .unwrap()
        }
    };
    assert_eq!(stays(&app).await, 0, "nothing reached the server");
    check_tablet(&browser, "kiosk-offline").await;
    // The portal's clock moves on while the tablet is offline; the tap keeps its own time.
    app.advance(chrono::Duration::minutes(3));
    offline.end(&browser).await;
    tile_says(&browser, &other, "Här sedan 10:0").await;
    assert_eq!(stays(&app).await, 1);
    let kept: chrono::DateTime<chrono::Utc> = crate::administration::one(
        &app,
        "SELECT checked_in_at FROM childcare_presence WHERE child_id = $1",
        other_id,
    )
    .await;
    assert!(
        app.clock.now() - kept >= chrono::Duration::minutes(2),
        "the tap's own time ({kept}), not when it arrived"
    );
    assert!(!tile(&browser, &other).await.contains("Sparad"));

    // Anna sees the day's times beside the schedule she set.
    let guardian = crate::ui::browser().await;
    crate::ui::password_login(&guardian, &app, "anna", app.password_of("anna")).await;
    crate::ui::landed(&guardian, &app).await;
    guardian
        .goto(&app.url(&format!("/barnomsorg/schema/{ella}")))
        .await
        .unwrap();
    let presence = wait_for_text(&guardian, "table.presence", "Birgit Lindqvist").await;
    assert!(presence.contains("10:0"), "{presence}");
    crate::ui::check_fits(&guardian, "childcare-presence").await;
}

/// A tablet that went missing: the preschool's staff member finds it on her account page, beside
/// her PIN, and unpairs it after a question; its cookie stops working at once. At 360 px and
/// desktop with axe-core, the focus visible on every control and moved to the question's answer.
#[tokio::test]
async fn the_staff_unpair_a_missing_tablet_on_their_account_page() {
    use crate::ui::{browser, wait_for_text};
    let app = crate::ui::app_with_spa(true).await;
    let larkan = crate::schedule::unit(&app, "Förskolan Lärkan").await;
    let (tablet, _) = paired_tablet(&app, larkan).await;
    assert_eq!(tablet.get("/api/kiosk").await.status(), 200);

    let browser = browser().await;
    crate::ui::password_login(&browser, &app, "forskola", app.password_of("forskola")).await;
    crate::ui::landed(&browser, &app).await;
    browser.goto(&app.url("/password")).await.unwrap();
    wait_for_text(&browser, "#tablets-heading", "Incheckningsplattor").await;
    // The unit's tablets are behind the second factor, asked for in place.
    wait_for_text(&browser, "#tablets-list-error", "bekräfta att det är du").await;
    crate::ui::step_up(&browser, &app, "forskola").await;
    let list = wait_for_text(&browser, "#tablets-heading ~ ul", "Entrén").await;
    assert!(list.contains("Kopplad"), "{list}");
    crate::ui::check_fits(&browser, "account-tablets").await;
    let walk = browser.focus_walk(None, 40).await.unwrap();
    assert!(walk.problems.is_empty(), "{:?}", walk.problems);

    // Asked first: the answer takes the focus; "Avbryt" leaves the tablet paired.
    browser
        .click("button[aria-label='Koppla bort Entrén']")
        .await
        .unwrap();
    wait_for_text(&browser, "#tablets-question", "Koppla bort Entrén?").await;
    let focused = browser
        .client()
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!("tablets-confirm"));
    crate::ui::check_page(&browser, "account-tablets-question").await;
    browser
        .click("#tablets-question ~ .confirm__actions .button--secondary")
        .await
        .unwrap();
    wait_for_text(&browser, "#tablets-heading ~ ul", "Koppla bort").await;
    assert_eq!(tablet.get("/api/kiosk").await.status(), 200);

    browser
        .click("button[aria-label='Koppla bort Entrén']")
        .await
        .unwrap();
    wait_for_text(&browser, "#tablets-question", "Entrén").await;
    browser.click("#tablets-confirm").await.unwrap();
    wait_for_text(&browser, "#tablets-status", "Entrén är bortkopplad").await;
    wait_for_text(&browser, "#tablets-heading ~ .empty-state", "Inga plattor").await;
    assert_eq!(
        refused(tablet.get("/api/kiosk").await).await,
        (401, "kiosk_not_paired".to_owned())
    );
    crate::ui::check_page(&browser, "account-tablets-unpaired").await;
}
