//! A second factor for password logins (issue #12, point 6): TOTP set-up with a QR code and one
//! confirmation, recovery codes, codes accepted once, and the step-up a weaker session is asked
//! for when the policy wants more than a password.

use chrono::Duration;
use serde_json::{json, Value};
use skolportal_backend::auth::totp::code_at;
use skolportal_tests::app::{child, TestOptions};
use skolportal_tests::{TestApp, UserClient};

async fn post(client: &UserClient, path: &str, body: Value) -> (u16, Value) {
    let r = client.post(path, &body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Sets up TOTP for the logged-in `client`; returns the secret and the recovery codes.
async fn set_up(app: &TestApp, client: &UserClient) -> (String, Vec<String>) {
    let (status, key) = post(client, "/api/me/totp", json!({})).await;
    assert_eq!(status, 200, "{key}");
    let secret = key["secret"].as_str().unwrap().to_owned();
    let code = code_at(&secret, app.clock.now()).unwrap();
    let (status, done) = post(client, "/api/me/totp/confirm", json!({ "code": code })).await;
    assert_eq!(status, 200, "{done}");
    let codes = done["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (secret, codes)
}

async fn strength(client: &UserClient) -> String {
    let (status, me) = client.get_json("/api/me").await;
    assert_eq!(status, 200);
    me["login_strength"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_password_account_sets_up_a_one_time_code_with_a_qr_code_and_one_confirmation() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let (_, me) = anna.get_json("/api/me").await;
    assert_eq!(me["totp_enabled"], false);
    assert_eq!(me["login_strength"], "password");

    let (status, key) = post(&anna, "/api/me/totp", json!({})).await;
    assert_eq!(status, 200);
    let secret = key["secret"].as_str().unwrap();
    assert!(secret.len() >= 32, "160 bits in base32: {secret}");
    let uri = key["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Skolportal:anna?") && uri.contains(secret),
        "{uri}"
    );
    let qr = anna.get("/api/me/totp/qr").await;
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));

    // A wrong confirmation changes nothing.
    let (status, body) = post(&anna, "/api/me/totp/confirm", json!({"code": "000000"})).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("wrong_code")));
    let (_, me) = anna.get_json("/api/me").await;
    assert_eq!(me["totp_enabled"], false);

    let code = code_at(secret, app.clock.now()).unwrap();
    let (status, done) = post(&anna, "/api/me/totp/confirm", json!({ "code": code })).await;
    assert_eq!(status, 200);
    let codes = done["recovery_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM recovery_code WHERE used_at IS NULL")
            .await,
        10
    );
    let stored: i64 = app
        .count(&format!(
            "SELECT COUNT(*) FROM recovery_code WHERE code_hash = '{}'",
            codes[0].as_str().unwrap()
        ))
        .await;
    assert_eq!(stored, 0, "recovery codes are stored hashed");
    // Confirming proved the code: this session is stronger now.
    let (_, me) = anna.get_json("/api/me").await;
    assert_eq!(me["totp_enabled"], true);
    assert_eq!(me["login_strength"], "password_and_totp");
    let (status, body) = post(&anna, "/api/me/totp", json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("totp_already_enabled"))
    );
    assert_eq!(anna.get("/api/me/totp/qr").await.status(), 404);

    // The next login asks for a code; the password alone is the weakest level.
    let next = app.login("anna").await;
    assert_eq!(strength(&next).await, "password");
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_guessing_is_throttled() {
    let app = TestApp::spawn().await;
    set_up(&app, &app.login("anna").await).await;
    let anna = app.login("anna").await;
    for code in ["123456", "12 34 5", "abcdefghij"] {
        let (status, body) = post(&anna, "/api/auth/totp", json!({ "code": code })).await;
        assert_eq!((status, body["error"].as_str()), (422, Some("wrong_code")));
    }
    for _ in 0..2 {
        post(&anna, "/api/auth/totp", json!({"code": "654321"})).await;
    }
    let (status, body) = post(&anna, "/api/auth/totp", json!({"code": "111111"})).await;
    assert_eq!((status, body["error"].as_str()), (429, Some("throttled")));
    assert_eq!(strength(&anna).await, "password");
}

#[tokio::test]
async fn a_code_is_accepted_once() {
    let app = TestApp::spawn().await;
    let (secret, _) = set_up(&app, &app.login("anna").await).await;
    // Set-up used this step's code; the next step's is the first one a login can use.
    app.advance(Duration::seconds(30));
    let code = code_at(&secret, app.clock.now()).unwrap();
    let phone = app.login("anna").await;
    let (status, me) = post(&phone, "/api/auth/totp", json!({ "code": code })).await;
    assert_eq!(status, 200);
    assert_eq!(me["login_strength"], "password_and_totp");
    // Someone who saw the code over her shoulder, at once, in another browser.
    let other = app.login("anna").await;
    let (status, body) = post(&other, "/api/auth/totp", json!({ "code": code })).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("code_used")));
    assert_eq!(strength(&other).await, "password");
    // An older code is no better.
    let old = code_at(&secret, app.clock.now() - Duration::seconds(30)).unwrap();
    let (status, _) = post(&other, "/api/auth/totp", json!({ "code": old })).await;
    assert_eq!(status, 422);
    app.advance(Duration::seconds(30));
    let fresh = code_at(&secret, app.clock.now()).unwrap();
    let (status, _) = post(&other, "/api/auth/totp", json!({ "code": fresh })).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let app = TestApp::spawn().await;
    let (_, codes) = set_up(&app, &app.login("anna").await).await;
    let lost_phone = app.login("anna").await;
    let typed = codes[3].to_lowercase();
    let (status, me) = post(&lost_phone, "/api/auth/totp", json!({ "code": typed })).await;
    assert_eq!(status, 200);
    assert_eq!(me["login_strength"], "password_and_totp");
    let again = app.login("anna").await;
    let (status, body) = post(&again, "/api/auth/totp", json!({ "code": codes[3] })).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("code_used")));
    let (status, _) = post(&again, "/api/auth/totp", json!({ "code": codes[4] })).await;
    assert_eq!(status, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM recovery_code WHERE used_at IS NULL")
            .await,
        8
    );
}

#[tokio::test]
async fn staff_with_a_password_only_are_asked_to_step_up_and_keep_their_session() {
    let app = TestApp::spawn().await;
    let nils = child(&app, "Nils").await;
    let logged_before = app.count("SELECT COUNT(*) FROM access_log").await;
    let teacher = app.login_password_only("larare").await;
    let (_, me) = teacher.get_json("/api/me").await;
    assert_eq!(me["totp_enabled"], true);
    assert_eq!(me["login_strength"], "password");

    let list = teacher.get("/api/pupils").await;
    assert_eq!(list.status(), 403);
    let body: Value = list.json().await.unwrap();
    assert_eq!(body["error"], "step_up_required");
    assert_eq!(body["required_strength"], "password_and_totp");
    let (status, body) = teacher.get_json(&format!("/api/pupils/{nils}")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("step_up_required"))
    );
    // Someone she has no connection to is still simply not there.
    let stranger = uuid::Uuid::new_v4();
    assert_eq!(
        teacher
            .get(&format!("/api/pupils/{stranger}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM access_log").await,
        logged_before,
        "nothing was read"
    );

    app.step_up(&teacher, "larare").await;
    let (status, pupils) = teacher.get_json("/api/pupils").await;
    assert_eq!(status, 200);
    assert!(!pupils.as_array().unwrap().is_empty());
    assert_eq!(
        teacher.get(&format!("/api/pupils/{nils}")).await.status(),
        200
    );

    // Officers too.
    let officer = app.login_password_only("handlaggare").await;
    let (status, body) = officer.get_json("/api/childcare/officer/offers").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("step_up_required"))
    );
    app.step_up(&officer, "handlaggare").await;
    assert_eq!(
        officer.get("/api/childcare/officer/offers").await.status(),
        200
    );

    // A guardian reading her own child's card needs no more than her password.
    let anna = app.login("anna").await;
    assert_eq!(strength(&anna).await, "password");
    assert_eq!(anna.get(&format!("/api/pupils/{nils}")).await.status(), 200);
}

#[tokio::test]
async fn a_one_time_code_does_not_make_a_session_that_can_sign() {
    let app = TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await;
    let anna = app.login("anna").await;
    set_up(&app, &anna).await;
    assert_eq!(strength(&anna).await, "password_and_totp");
    let (status, draft) = post(
        &anna,
        "/api/childcare/income-statements",
        json!({"valid_from": "2026-12-01", "max_fee_accepted": true, "gross_monthly_income": null}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(draft["sign_blocked_reason"], "bankid_required");
    let id = draft["id"].as_str().unwrap();
    let (status, body) = post(
        &anna,
        &format!("/api/childcare/documents/{id}/sign"),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("bankid_required"))
    );
}

/// The set-up page at phone and desktop width: the QR code (drawn by the server), the key as
/// text, one code, and the recovery codes.
#[tokio::test]
async fn the_set_up_page_takes_a_qr_code_and_one_code_and_shows_the_recovery_codes() {
    use crate::ui::{app_with_spa, browser, check_page, password_login};
    let app = app_with_spa(false).await;
    let browser = browser().await;
    password_login(&browser, &app, "anna", app.password_of("anna")).await;
    browser.wait_for(".card__title").await.expect("Mina barn");
    browser
        .click("a[href='/engangskod']")
        .await
        .expect("the menu's link to one-time codes");
    browser.wait_for("#totp-start").await.expect("the start");
    check_page(&browser, "totp-start").await;
    browser.click("#totp-start").await.unwrap();
    browser.wait_for(".qr-code").await.expect("the QR code");
    let drawn = browser
        .client()
        .execute(
            "const img = document.querySelector('.qr-code'); return img.complete && img.naturalWidth > 0;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(drawn, Value::Bool(true), "the QR code image loads");
    check_page(&browser, "totp-scan").await;
    let secret = browser.text(".secret-key").await.unwrap();
    let code = code_at(secret.trim(), app.clock.now()).unwrap();
    browser.fill("#totp-code", &code).await.unwrap();
    browser.click("#totp-confirm").await.unwrap();
    browser
        .wait_for(".recovery-codes")
        .await
        .expect("the recovery codes");
    check_page(&browser, "totp-done").await;
    let codes = browser.text(".recovery-codes").await.unwrap();
    assert_eq!(
        codes.lines().filter(|l| !l.trim().is_empty()).count(),
        10,
        "{codes}"
    );
    browser.close().await.unwrap();
}

/// A teacher who logged in with her password opens a pupil's card: the page asks for a code in
/// place, and shows the card once it is given, at the same address.
#[tokio::test]
async fn a_teacher_steps_up_where_she_stands_and_keeps_her_page() {
    use crate::ui::{app_with_spa, browser, check_page, password_login, step_up, wait_for_text};
    let app = app_with_spa(false).await;
    let nils = child(&app, "Nils").await;
    let browser = browser().await;
    password_login(&browser, &app, "larare", app.password_of("larare")).await;
    browser
        .wait_for("#totp-code")
        .await
        .expect("the step-up on her start page");
    let card = app.url(&format!("/personal/elev/{nils}"));
    browser.goto(&card).await.unwrap();
    browser
        .wait_for("#totp-code")
        .await
        .expect("the step-up in place");
    check_page(&browser, "step-up").await;
    // A wrong code is refused in place.
    browser.fill("#totp-code", "000000").await.unwrap();
    browser.click(".step-up button[type=submit]").await.unwrap();
    wait_for_text(&browser, "#step-up-error", "Koden stämmer inte").await;
    step_up(&browser, &app, "larare").await;
    wait_for_text(&browser, ".card", "Nils").await;
    assert_eq!(browser.current_url().await.unwrap(), card);
    browser.close().await.unwrap();
}
