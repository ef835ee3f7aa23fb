//! BankID login through the local test provider (a real OpenID Provider), and every refusal.

use reqwest::Response;
use serde_json::Value;
use skolportal_backend::demo::{generate, DemoOptions, Scale};
use skolportal_tests::app::{demo_today, TestOptions};
use skolportal_tests::TestApp;

async fn app() -> TestApp {
    TestApp::spawn_with(TestOptions {
        bankid: true,
        ..Default::default()
    })
    .await
}

fn assert_refused(response: &Response, code: &str) {
    assert_eq!(response.status(), 303, "expected a refusal ({code})");
    let location = response.headers()["location"].to_str().unwrap();
    assert_eq!(location, format!("/bankid-fel?orsak={code}"));
    assert!(
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("skolportal_session=")),
        "a refused login must not set a session"
    );
}

#[tokio::test]
async fn a_guardian_logs_in_with_bankid_and_sees_what_a_password_login_shows() {
    let app = app().await;
    let anna_pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let client = app.anonymous();
    let callback = client.bankid_login(&anna_pnr, "loa3").await;
    assert_eq!(callback.status(), 302);
    assert_eq!(callback.headers()["location"], "/children");
    let (status, me) = client.get_json("/api/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["auth_method"], "bankid");
    assert_eq!(me["given_name"], "Anna");
    // The same children and facts; only what may be done differs where rule 11 asks a stronger
    // login (talk material, grades), so the actions are left out of the comparison.
    let strip = |mut v: serde_json::Value| {
        for child in v.as_array_mut().unwrap() {
            child.as_object_mut().unwrap().remove("permitted_actions");
        }
        v
    };
    let (_, by_bankid) = client.get_json("/api/children").await;
    let (_, by_password) = app.login("anna").await.get_json("/api/children").await;
    let (by_bankid, by_password) = (strip(by_bankid), strip(by_password));
    assert_eq!(
        by_bankid, by_password,
        "the same information whatever the login method"
    );
}

/// The page a login started from is where it ends, if it is a page of this site; anything that
/// could send the browser elsewhere after login ends on the start page instead.
#[tokio::test]
async fn a_bankid_login_returns_to_a_page_of_the_portal_and_nowhere_else() {
    let app = app().await;
    let anna_pnr = app.personnummer_of("Anna", "Lindqvist").await;
    for (return_to, lands_on) in [
        ("/barnomsorg/erbjudanden", "/barnomsorg/erbjudanden"),
        (
            "/handlaggare/dokument?typ=x&y=1",
            "/handlaggare/dokument?typ=x&y=1",
        ),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("http://evil.example/", "/"),
        ("https:evil.example", "/"),
    ] {
        let client = app.anonymous();
        let callback = client
            .bankid_callback_url_returning(&anna_pnr, "loa3", return_to)
            .await;
        let response = client.http.get(callback).send().await.unwrap();
        assert_eq!(response.status(), 302, "{return_to:?}");
        assert_eq!(
            response.headers()["location"],
            lands_on,
            "after a login started with return_to={return_to:?}"
        );
    }
}

#[tokio::test]
async fn a_person_the_portal_does_not_know_is_refused() {
    let app = app().await;
    let client = app.anonymous();
    // A valid test number that is not in the demo municipality.
    assert_refused(
        &client.bankid_login("189001019802", "loa3").await,
        "unknown_person",
    );
    assert_eq!(client.get("/api/me").await.status(), 401);
}

#[tokio::test]
async fn a_person_with_protected_identity_is_refused_like_a_stranger() {
    let app = app().await;
    let demo = generate(DemoOptions {
        seed: 2026,
        scale: Scale::Demo,
        today: demo_today(),
        schedules: false,
    })
    .unwrap();
    let protected = demo
        .snapshot
        .persons
        .iter()
        .find(|p| p.source_id == demo.protected_child_source_id)
        .unwrap();
    let client = app.anonymous();
    assert_refused(
        &client.bankid_login(&protected.personnummer, "loa3").await,
        "unknown_person",
    );
    assert_eq!(client.get("/api/me").await.status(), 401);
}

#[tokio::test]
async fn a_lower_assurance_level_is_refused() {
    let app = app().await;
    let anna_pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let client = app.anonymous();
    assert_refused(
        &client.bankid_login(&anna_pnr, "loa2").await,
        "low_assurance",
    );
    assert_eq!(client.get("/api/me").await.status(), 401);
}

#[tokio::test]
async fn a_wrong_or_replayed_state_is_refused() {
    let app = app().await;
    let anna_pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let client = app.anonymous();
    assert_refused(
        &client
            .get("/api/auth/bankid/callback?state=made-up&code=x")
            .await,
        "wrong_state",
    );
    assert_refused(
        &client.get("/api/auth/bankid/callback").await,
        "wrong_state",
    );

    let callback = client.bankid_callback_url(&anna_pnr, "loa3").await;
    assert_eq!(
        client.http.get(&callback).send().await.unwrap().status(),
        302
    );
    // The same callback again, by the user or by someone who saw the URL.
    let attacker = app.anonymous();
    assert_refused(
        &attacker.http.get(&callback).send().await.unwrap(),
        "wrong_state",
    );
    assert_eq!(attacker.get("/api/me").await.status(), 401);
}

#[tokio::test]
async fn a_code_replayed_into_another_login_is_refused() {
    let app = app().await;
    let anna_pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let victim = app.anonymous();
    let callback = url::Url::parse(&victim.bankid_callback_url(&anna_pnr, "loa3").await).unwrap();
    let code = callback
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .to_string();
    // The attacker starts a login of their own and injects the victim's code into it.
    let attacker = app.anonymous();
    let start = attacker.get("/api/auth/bankid/start").await;
    let auth = url::Url::parse(start.headers()["location"].to_str().unwrap()).unwrap();
    let state = auth
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .to_string();
    let injected = attacker
        .get(&format!(
            "/api/auth/bankid/callback?state={state}&code={code}"
        ))
        .await;
    assert_refused(&injected, "invalid_token");
    assert_eq!(attacker.get("/api/me").await.status(), 401);
}

#[tokio::test]
async fn cancelling_at_the_provider_is_explained() {
    let app = app().await;
    let client = app.anonymous();
    let start = client.get("/api/auth/bankid/start").await;
    let auth = url::Url::parse(start.headers()["location"].to_str().unwrap()).unwrap();
    let state = auth
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .to_string();
    let cancelled = client
        .get(&format!(
            "/api/auth/bankid/callback?state={state}&error=access_denied"
        ))
        .await;
    assert_refused(&cancelled, "cancelled");
}

#[tokio::test]
async fn the_portal_publishes_its_public_key() {
    let app = app().await;
    let (status, jwks) = app.anonymous().get_json("/api/auth/jwks").await;
    assert_eq!(status, 200);
    let key: &Value = &jwks["keys"][0];
    assert_eq!(key["kty"], "EC");
    assert_eq!(key["alg"], "ES256");
    assert!(
        key.get("d").is_none(),
        "the private part must never be published"
    );
}

/// Drives the portal against the fake OP: start (to get state and nonce), then the callback with
/// a code that tells the fake OP what to forge.
async fn forged_login(fault: &str) -> (Response, TestApp) {
    let op = skolportal_tests::fake_op::FakeOp::start().await;
    let app = TestApp::spawn_with(TestOptions {
        bankid_issuer: Some(op.issuer.clone()),
        ..Default::default()
    })
    .await;
    let anna_pnr = app.personnummer_of("Anna", "Lindqvist").await;
    let client = app.anonymous();
    let start = client.get("/api/auth/bankid/start").await;
    assert_eq!(start.status(), 302);
    let auth = url::Url::parse(start.headers()["location"].to_str().unwrap()).unwrap();
    let param = |name: &str| {
        auth.query_pairs()
            .find(|(k, _)| k == name)
            .unwrap()
            .1
            .to_string()
    };
    let (state, nonce) = (param("state"), param("nonce"));
    assert_eq!(param("code_challenge_method"), "S256");
    assert_eq!(param("acr_values"), "http://id.elegnamnden.se/loa/1.0/loa3");
    let code = format!("{fault}~{nonce}~{anna_pnr}");
    let response = client
        .get(&format!(
            "/api/auth/bankid/callback?state={state}&code={}",
            url::form_urlencoded::byte_serialize(code.as_bytes()).collect::<String>()
        ))
        .await;
    let status = client.get("/api/me").await.status();
    drop(op);
    if response.status() == 303 {
        assert_eq!(status, 401, "{fault}: refused but logged in");
    }
    (response, app)
}

#[tokio::test]
async fn the_fake_provider_is_honest_when_asked_to_be() {
    // Positive control: with no fault the same path logs in, so the refusals below are real.
    let (response, _app) = forged_login("none").await;
    assert_eq!(
        response.status(),
        302,
        "{:?}",
        response.headers().get("location")
    );
}

#[tokio::test]
async fn forged_id_tokens_are_refused() {
    for fault in [
        "expired",
        "wrong_key",
        "wrong_nonce",
        "wrong_audience",
        "wrong_issuer",
    ] {
        let (response, _app) = forged_login(fault).await;
        assert_refused(&response, "invalid_token");
    }
}

#[tokio::test]
async fn an_unreachable_broker_is_explained_not_shown_as_an_error() {
    // Nothing listens on this issuer.
    let app = TestApp::spawn_with(TestOptions {
        bankid_issuer: Some("http://127.0.0.1:9".into()),
        ..Default::default()
    })
    .await;
    let response = app.anonymous().get("/api/auth/bankid/start").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/bankid-fel?orsak=unavailable"
    );
}
