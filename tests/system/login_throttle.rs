//! Login throttling an attacker cannot turn against a school or an account's owner (issue #12,
//! point 5): device cookies, and an address limit that grows with the address's logins.

use std::sync::Arc;

use serde_json::Value;
use skolportal_tests::app::{TestOptions, BULK_PASSWORD};
use skolportal_tests::{TestApp, UserClient};

const WRONG: &str = "Fel1lösenord";

fn device_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("skolportal_device="))
        .map(str::to_owned)
}

/// The morning the school opens: 500 pupils behind the school's one address (TRUST_FORWARDED_FOR
/// off: every request comes from 127.0.0.1), one in ten mistyping once. Then someone there sprays
/// a common password over their accounts.
#[tokio::test]
async fn five_hundred_pupils_behind_one_address_get_in_and_a_password_sprayer_there_is_slowed() {
    let app = TestApp::spawn().await;
    let pupils = app.add_pupil_accounts(500).await;

    let limit = Arc::new(tokio::sync::Semaphore::new(16));
    let mut logins = tokio::task::JoinSet::new();
    for (n, username) in pupils.iter().cloned().enumerate() {
        let (limit, base) = (limit.clone(), app.address.clone());
        logins.spawn(async move {
            let _turn = limit.acquire_owned().await.expect("semaphore");
            let browser = UserClient::new(&base);
            let mistyped = n % 10 == 3;
            if mistyped {
                let wrong = browser.login(&username, WRONG).await.status().as_u16();
                assert_eq!(wrong, 401, "{username}'s typo");
            }
            let status = browser.login(&username, BULK_PASSWORD).await.status();
            (username, status.as_u16(), browser)
        });
    }
    let mut browsers = Vec::new();
    let mut refused = Vec::new();
    while let Some(done) = logins.join_next().await {
        let (username, status, browser) = done.expect("a login task");
        if status != 200 {
            refused.push(format!("{username}: {status}"));
        }
        browsers.push((username, browser));
    }
    assert!(refused.is_empty(), "refused pupils: {refused:?}");

    // The sprayer, from the same address in a browser that never logged in.
    let sprayer = app.anonymous();
    let mut tried = 0;
    let mut throttled = None;
    for username in &pupils {
        let response = sprayer.login(username, "Sommar2026").await;
        match response.status().as_u16() {
            401 => tried += 1,
            429 => {
                throttled = Some(response.json::<Value>().await.unwrap());
                break;
            }
            other => panic!("the sprayer got {other}"),
        }
    }
    let throttled = throttled.expect("the sprayer was never slowed down");
    assert_eq!(throttled["error"], "throttled");
    assert!(throttled["retry_after_seconds"].as_u64().unwrap() > 0);
    // 30 + 25 per hundred accounts that logged in, less the pupils' 50 typos.
    assert_eq!(tried, 30 + 125 - 50, "guesses allowed before the first 429");
    // Every further guess is refused unchecked, even a right one from a browser never seen.
    let stranger = app.anonymous();
    assert_eq!(
        stranger
            .login(&pupils[0], BULK_PASSWORD)
            .await
            .status()
            .as_u16(),
        429
    );
    // The pupils' own browsers are not held back by the sprayer's failures.
    for (username, browser) in browsers.iter().step_by(25) {
        assert_eq!(
            browser.login(username, BULK_PASSWORD).await.status(),
            200,
            "{username}'s own browser"
        );
    }
}

#[tokio::test]
async fn guessing_at_an_account_locks_out_strangers_but_not_the_owners_browser_nor_bankid() {
    let app = TestApp::spawn_with(TestOptions {
        trust_forwarded_for: true,
        bankid: true,
        ..Default::default()
    })
    .await;
    let password = app.password_of("anna");
    let owner = app.anonymous_at("10.20.30.40");
    let first = owner.login("anna", password).await;
    assert_eq!(first.status(), 200);
    let cookie = device_cookie(&first).expect("a device cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/auth", "Max-Age="] {
        assert!(cookie.contains(attribute), "{cookie}");
    }

    // Guesses from two addresses: the account is closed to browsers it does not know.
    for (address, guesses) in [("203.0.113.7", 3), ("198.51.100.23", 2)] {
        let attacker = app.anonymous_at(address);
        for _ in 0..guesses {
            assert_eq!(attacker.login("anna", WRONG).await.status(), 401);
        }
    }
    let stranger = app.anonymous_at("192.0.2.99");
    assert_eq!(stranger.login("anna", password).await.status(), 429);

    // Anna's own browser is judged by its own failures only.
    assert_eq!(owner.login("anna", password).await.status(), 200);
    // BankID is never locked out by failed passwords.
    let pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let phone = app.anonymous_at("192.0.2.99");
    assert_eq!(phone.bankid_login(&pnr, "loa3").await.status(), 302);
    let (status, me) = phone.get_json("/api/me").await;
    assert_eq!((status, me["auth_method"].as_str()), (200, Some("bankid")));

    // A stolen device cookie is worth five guesses, no more.
    for _ in 0..5 {
        assert_eq!(owner.login("anna", WRONG).await.status(), 401);
    }
    assert_eq!(owner.login("anna", password).await.status(), 429);
}

#[tokio::test]
async fn a_shared_browser_stays_trusted_for_each_account_that_logged_in_on_it() {
    let app = TestApp::spawn().await;
    let family_computer = app.anonymous();
    for user in ["anna", "elev"] {
        assert_eq!(
            family_computer
                .login(user, app.password_of(user))
                .await
                .status(),
            200
        );
    }
    // Someone else locks Anna's account for browsers it does not know.
    let attacker = app.anonymous();
    for _ in 0..5 {
        attacker.login("anna", WRONG).await;
    }
    assert_eq!(
        attacker
            .login("anna", app.password_of("anna"))
            .await
            .status(),
        429
    );
    // The family computer still knows Anna, though the pupil logged in after her.
    assert_eq!(
        family_computer
            .login("anna", app.password_of("anna"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM login_device").await,
        2,
        "one trusted browser per account, refreshed rather than added again"
    );
}
