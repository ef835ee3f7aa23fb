//! Password login, sessions and the first pages' API (issue: password login and sessions).

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::{json, Value};
use skolportal_tests::app::TestOptions;
use skolportal_tests::{TestApp, UserClient};

fn session_token(response: &reqwest::Response) -> String {
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("skolportal_session="))
        .expect("a session cookie");
    cookie["skolportal_session=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

fn set_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_guardian_logs_in_and_sees_exactly_her_children() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let (status, children) = anna.get_json("/api/children").await;
    assert_eq!(status, 200);
    let names: BTreeSet<&str> = children
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["given_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, BTreeSet::from(["Ella", "Nils", "Saga"]));
    let saga = children
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["given_name"] == "Saga")
        .unwrap();
    assert_eq!(saga["relation"], "guardian");
    assert_eq!(saga["class_name"], "1A");
    let units: Vec<&str> = saga["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(
        units.contains(&"Solviksskolan") && units.contains(&"Fritidshemmet Solstrålen"),
        "{units:?}"
    );
    let ella = children
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["given_name"] == "Ella")
        .unwrap();
    assert_eq!(ella["units"][0], "Förskolan Lärkan");
}

#[tokio::test]
async fn a_foster_parent_sees_the_child_as_other_responsible_adult() {
    let app = TestApp::spawn().await;
    let (_, children) = app.login("karin").await.get_json("/api/children").await;
    assert_eq!(children.as_array().unwrap().len(), 1);
    assert_eq!(children[0]["relation"], "other_responsible_adult");
}

/// Issue #12.1: the children list carries the policy's answer for each child, in one query, and
/// it tells the legal representative from the day-to-day carer.
#[tokio::test]
async fn each_child_carries_what_the_session_may_do_with_it() {
    let app = TestApp::spawn().await;
    let actions = |child: &Value| -> Vec<String> {
        child["permitted_actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect()
    };
    let (_, fostered) = app.login("karin").await.get_json("/api/children").await;
    let karin = actions(&fostered[0]);
    assert!(
        karin.contains(&"edit_childcare_schedule".to_owned()),
        "{karin:?}"
    );
    assert!(
        karin.contains(&"manage_pickup_persons".to_owned()),
        "{karin:?}"
    );
    for legal in [
        "manage_childcare_place",
        "read_register_extract",
        "request_correction",
    ] {
        assert!(!karin.contains(&legal.to_owned()), "{legal}: {karin:?}");
    }
    // With a password alone the register extract is not among them: it asks for a one-time
    // code (rule 11). With one it is.
    let (_, weak) = app.login("anna").await.get_json("/api/children").await;
    for child in weak.as_array().unwrap() {
        let anna = actions(child);
        assert!(anna.contains(&"read_pupil_card".to_owned()), "{anna:?}");
        assert!(
            !anna.contains(&"read_register_extract".to_owned()),
            "{anna:?}"
        );
    }
    app.turn_on_codes("anna").await;
    let (_, own) = app.login("anna").await.get_json("/api/children").await;
    for child in own.as_array().unwrap() {
        let anna = actions(child);
        for expected in [
            "read_pupil_card",
            "edit_childcare_schedule",
            "manage_childcare_place",
            "read_register_extract",
            "request_correction",
        ] {
            assert!(anna.contains(&expected.to_owned()), "{expected}: {anna:?}");
        }
        // Staff's actions are not a guardian's, however they are asked.
        assert!(!anna.contains(&"list_pupils".to_owned()), "{anna:?}");
    }
}

#[tokio::test]
async fn me_says_who_is_logged_in_and_how() {
    let app = TestApp::spawn().await;
    let (status, me) = app.login("anna").await.get_json("/api/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["given_name"], "Anna");
    assert_eq!(me["auth_method"], "password");
    assert_eq!(me["roles"], json!(["guardian"]));
    assert_eq!(me["must_change_password"], false);
    assert!(me["address"]["street"].is_string());

    let (_, pupil) = app.login("elev").await.get_json("/api/me").await;
    assert_eq!(pupil["roles"], json!(["pupil"]));
    assert_eq!(pupil["pupil"]["class_name"], "8A");
    assert_eq!(pupil["pupil"]["units"], json!(["Solviksskolan"]));

    let (_, teacher) = app.login("larare").await.get_json("/api/me").await;
    assert_eq!(teacher["roles"], json!(["teacher"]));
    assert_eq!(teacher["units"][0]["name"], "Solviksskolan");

    let (_, officer) = app.login("handlaggare").await.get_json("/api/me").await;
    assert_eq!(officer["roles"], json!(["officer"]));
}

#[tokio::test]
async fn without_a_session_private_operations_answer_401_in_the_error_shape() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    for (method, path) in [
        ("GET", "/api/me"),
        ("GET", "/api/children"),
        ("PUT", "/api/me/contact"),
        ("POST", "/api/me/password"),
        ("POST", "/api/auth/logout-others"),
    ] {
        let response = client
            .request(method.parse().unwrap(), path)
            .json(&json!({"email": "", "phone": "", "current_password": "x", "new_password": "y"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{method} {path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "unauthenticated", "{method} {path}");
    }
    // A made-up token is no better than none.
    let forged = UserClient::with_session_token(&app.address, "forged-token");
    assert_eq!(forged.get("/api/me").await.status(), 401);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let wrong = app.anonymous().login("anna", "Fel1lösenord").await;
    let unknown = app.anonymous().login("ingen.alls", "Fel1lösenord").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let a: Value = wrong.json().await.unwrap();
    let b: Value = unknown.json().await.unwrap();
    assert_eq!(a, b);
    assert_eq!(a["error"], "invalid_credentials");
}

#[tokio::test]
async fn after_five_failures_the_account_is_throttled_and_told_how_long_to_wait() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    for _ in 0..5 {
        assert_eq!(client.login("anna", "Fel1lösenord").await.status(), 401);
    }
    // Even the right password is refused now, without being checked.
    let throttled = client.login("anna", app.password_of("anna")).await;
    assert_eq!(throttled.status(), 429);
    let retry_header: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body: Value = throttled.json().await.unwrap();
    assert_eq!(body["error"], "throttled");
    let seconds = body["retry_after_seconds"].as_u64().unwrap();
    assert!(seconds > 0 && seconds <= 15 * 60, "{seconds}");
    assert_eq!(seconds, retry_header);
    // Another account from another address is not affected.
    assert_eq!(
        app.anonymous()
            .login("erik", app.password_of("erik"))
            .await
            .status(),
        200
    );
    // Once the window has passed, the right password works.
    app.advance(Duration::minutes(15));
    assert_eq!(
        client.login("anna", app.password_of("anna")).await.status(),
        200
    );
}

#[tokio::test]
async fn a_handed_out_password_must_be_changed_before_anything_else() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    let handed_out = app.password_of("nyforalder");
    assert_eq!(client.login("nyforalder", handed_out).await.status(), 200);
    let (_, me) = client.get_json("/api/me").await;
    assert_eq!(me["must_change_password"], true);
    let blocked = client.get("/api/children").await;
    assert_eq!(blocked.status(), 403);
    assert_eq!(
        blocked.json::<Value>().await.unwrap()["error"],
        "password_change_required"
    );

    let change = |current: &'static str, new: &'static str| {
        let client = &client;
        async move {
            let r = client
                .post(
                    "/api/me/password",
                    &json!({"current_password": current, "new_password": new}),
                )
                .await;
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, body) = change(handed_out, "kortare").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("weak_password"))
    );
    let (status, body) = change("Fel1lösenord", "Mitt1Nyalosen").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("wrong_password"))
    );
    let (status, body) = change(handed_out, handed_out).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("same_password"))
    );
    let (status, _) = change(handed_out, "Mitt1Nyalosen").await;
    assert_eq!(status, 204);

    assert_eq!(client.get("/api/children").await.status(), 200);
    assert_eq!(
        app.anonymous()
            .login("nyforalder", handed_out)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.anonymous()
            .login("nyforalder", "Mitt1Nyalosen")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_session_cookie_is_httponly_and_samesite_lax() {
    let app = TestApp::spawn().await;
    let response = app.anonymous().login("anna", app.password_of("anna")).await;
    let cookie = set_cookie(&response);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain-HTTP localhost cannot use Secure cookies: {cookie}"
    );

    let https = TestApp::spawn_with(TestOptions {
        public_base_url: Some("https://skolportal.solvik.example.com".into()),
        ..Default::default()
    })
    .await;
    let cookie = set_cookie(
        &https
            .anonymous()
            .login("anna", https.password_of("anna"))
            .await,
    );
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn an_adult_without_children_gets_an_empty_list() {
    let app = TestApp::spawn().await;
    let (status, children) = app.login("larare").await.get_json("/api/children").await;
    assert_eq!(status, 200);
    assert_eq!(children, json!([]));
}

/// Concurrent "Mina barn" requests share database statements (request coalescing); each must
/// still get exactly its own session's answer, whoever else's request is in the same batch.
#[tokio::test]
async fn concurrent_readers_each_get_exactly_their_own_children() {
    let app = TestApp::spawn().await;
    let mut readers = Vec::new();
    for user in ["anna", "erik", "maria", "karin", "larare"] {
        let client = app.login(user).await;
        let (status, alone) = client.get_json("/api/children").await;
        assert_eq!(status, 200, "{user}");
        readers.push((user, std::sync::Arc::new(client), status, alone));
    }
    // A session that has ended and one whose handed-out password is unchanged, in the same
    // batches: they must not get anyone's children.
    let ended = app.anonymous();
    let ended_token = session_token(&ended.login("anna", app.password_of("anna")).await);
    ended.post("/api/auth/logout", &json!({})).await;
    let ended = UserClient::with_session_token(&app.address, &ended_token);
    readers.push(("ended", std::sync::Arc::new(ended), 401, Value::Null));
    let unchanged = app.anonymous();
    unchanged
        .login("nyforalder", app.password_of("nyforalder"))
        .await;
    let (status, _) = unchanged.get_json("/api/children").await;
    assert_eq!(status, 403);
    readers.push((
        "nyforalder",
        std::sync::Arc::new(unchanged),
        403,
        Value::Null,
    ));

    let mut requests = tokio::task::JoinSet::new();
    for round in 0..30 {
        for (user, client, _, _) in &readers {
            let (user, client) = (*user, client.clone());
            requests.spawn(async move { (round, user, client.get_json("/api/children").await) });
        }
    }
    while let Some(done) = requests.join_next().await {
        let (round, user, (status, body)) = done.expect("the request task");
        let (_, _, expected_status, expected) =
            readers.iter().find(|(u, ..)| *u == user).expect("a reader");
        assert_eq!(status, *expected_status, "{user} in round {round}: {body}");
        if status == 200 {
            assert_eq!(&body, expected, "{user} in round {round}");
        } else {
            assert!(
                body.get("children").is_none() && !body.is_array(),
                "{user}: {body}"
            );
        }
    }
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    let token = session_token(&client.login("anna", app.password_of("anna")).await);
    let replay = UserClient::with_session_token(&app.address, &token);
    assert_eq!(replay.get("/api/me").await.status(), 200);
    let out = client.post("/api/auth/logout", &json!({})).await;
    assert_eq!(out.status(), 204);
    assert!(set_cookie(&out).contains("Max-Age=0"));
    // The old cookie value is worthless now, even if someone kept a copy.
    assert_eq!(replay.get("/api/me").await.status(), 401);
    // "Mina barn" checks the session in its own statement; it must agree.
    assert_eq!(replay.get("/api/children").await.status(), 401);
}

#[tokio::test]
async fn logging_in_again_replaces_the_old_session() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    let first = session_token(&client.login("anna", app.password_of("anna")).await);
    let second = session_token(&client.login("anna", app.password_of("anna")).await);
    assert_ne!(first, second);
    assert_eq!(
        UserClient::with_session_token(&app.address, &first)
            .get("/api/me")
            .await
            .status(),
        401
    );
    assert_eq!(
        UserClient::with_session_token(&app.address, &second)
            .get("/api/me")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn an_idle_session_ends_and_so_does_an_old_one() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    app.advance(Duration::minutes(29));
    assert_eq!(
        anna.get("/api/children").await.status(),
        200,
        "still within the idle timeout"
    );
    app.advance(Duration::minutes(29));
    assert_eq!(
        anna.get("/api/me").await.status(),
        200,
        "reading the children counts as activity"
    );
    app.advance(Duration::minutes(31));
    assert_eq!(
        anna.get("/api/children").await.status(),
        401,
        "idle too long"
    );
    assert_eq!(anna.get("/api/me").await.status(), 401, "idle too long");

    let erik = app.login("erik").await;
    for _ in 0..(12 * 60 / 20) {
        app.advance(Duration::minutes(20));
        if erik.get("/api/me").await.status() == 401 {
            return;
        }
    }
    panic!("a session used every 20 minutes outlived the 12-hour absolute timeout");
}

#[tokio::test]
async fn log_out_my_other_sessions() {
    let app = TestApp::spawn().await;
    let phone = app.login("anna").await;
    let laptop = app.login("anna").await;
    let response = laptop.post("/api/auth/logout-others", &json!({})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["ended"], 1);
    assert_eq!(phone.get("/api/me").await.status(), 401);
    assert_eq!(laptop.get("/api/me").await.status(), 200);
}

#[tokio::test]
async fn a_session_made_on_one_instance_works_on_another() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let (other, _handle) = app.second_instance().await;
    let (status, children) = anna.with_base(&other).get_json("/api/children").await;
    assert_eq!(status, 200);
    assert_eq!(children.as_array().unwrap().len(), 3);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM session WHERE ended_at IS NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    for (header, value) in [
        ("Origin", "https://evil.example.com"),
        ("Sec-Fetch-Site", "cross-site"),
        ("Origin", "null"),
    ] {
        let response = anna
            .http
            .put(app.url("/api/me/contact"))
            .header(header, value)
            .json(&json!({"email": "evil@example.com", "phone": ""}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
        assert_eq!(
            response.json::<Value>().await.unwrap()["error"],
            "cross_site_request"
        );
    }
    let (_, me) = anna.get_json("/api/me").await;
    assert_ne!(me["email"], "evil@example.com");
    // A form post (not JSON) is refused too.
    let form = anna
        .request(reqwest::Method::PUT, "/api/me/contact")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("email=a%40b.se")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16() / 100, 4);
}

#[tokio::test]
async fn a_guardian_edits_her_contact_details_but_not_her_address() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    let (_, before) = anna.get_json("/api/me").await;
    let response = anna
        .put(
            "/api/me/contact",
            &json!({"email": "anna.ny@example.com", "phone": "070-174 06 99"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["email"], "anna.ny@example.com");
    assert_eq!(me["phone"], "070-174 06 99");
    assert_eq!(me["address"], before["address"]);

    for (body, code) in [
        (
            json!({"email": "inte en adress", "phone": ""}),
            "invalid_email",
        ),
        (json!({"email": "", "phone": "ring mig"}), "invalid_phone"),
    ] {
        let bad = anna.put("/api/me/contact", &body).await;
        assert_eq!(bad.status(), 400);
        assert_eq!(bad.json::<Value>().await.unwrap()["error"], code);
    }
    let (_, after) = anna.get_json("/api/me").await;
    assert_eq!(
        after["email"], "anna.ny@example.com",
        "a refused change must not touch what is stored"
    );

    let cleared: Value = anna
        .put("/api/me/contact", &json!({"email": "", "phone": ""}))
        .await
        .json()
        .await
        .unwrap();
    assert!(cleared.get("email").is_none() && cleared.get("phone").is_none());
}
