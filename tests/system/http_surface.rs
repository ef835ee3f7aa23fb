use skolportal_tests::TestApp;

#[tokio::test]
async fn health_is_ok_while_the_database_answers() {
    let app = TestApp::spawn().await;
    let (status, body) = app.anonymous().get_json("/api/health").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn health_is_503_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    let anna = app.login("anna").await;
    // The pool is shared with the server: closing it takes the database away from the backend.
    app.db.clone().close().await.expect("close pool");
    let (status, body) = app.anonymous().get_json("/api/health").await;
    assert_eq!(status, 503);
    assert_eq!(body["database"], "unavailable");
    // "Mina barn" is read in batches shared by concurrent requests; their error stays a 503.
    let response = anna.get("/api/children").await;
    assert_eq!(response.status(), 503);
    // The client is told when to come back, in the header and in the body.
    assert_eq!(response.headers()["retry-after"], "2");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unavailable", "{body}");
    assert_eq!(body["retry_after_seconds"], 2, "{body}");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = TestApp::spawn().await;
    for path in ["/api/nothing-here", "/api", "/api/children/%2e%2e/x"] {
        let response = app.anonymous().get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "not_found", "{path}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let app = TestApp::spawn().await;
    let response = app
        .anonymous()
        .post("/api/health", &serde_json::json!({}))
        .await;
    assert_eq!(response.status(), 405);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "method_not_allowed");
}

#[tokio::test]
async fn the_municipality_is_public_and_themed() {
    let app = TestApp::spawn().await;
    let (status, body) = app.anonymous().get_json("/api/municipality").await;
    assert_eq!(status, 200);
    assert_eq!(body["name"], "Solviks kommun");
    assert_eq!(body["languages"][0], "sv");
    assert!(body["theme"]["primary"].as_str().unwrap().starts_with('#'));
}

#[tokio::test]
async fn the_spec_is_served_and_lists_every_operation() {
    let app = TestApp::spawn().await;
    let (status, spec) = app.anonymous().get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    let paths = spec["paths"].as_object().expect("paths");
    for path in ["/health", "/municipality"] {
        assert!(paths.contains_key(path), "{path} missing from the spec");
    }
    let explorer = app.anonymous().get("/api/docs").await;
    assert_eq!(explorer.status(), 200);
    assert!(explorer
        .text()
        .await
        .unwrap()
        .to_lowercase()
        .contains("swagger"));
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_a_request_id() {
    let app = TestApp::spawn_with(skolportal_tests::app::TestOptions {
        frame_ancestors: vec!["https://www.solvik.example.com".into()],
        ..Default::default()
    })
    .await;
    for path in ["/api/health", "/api/nope", "/", "/children"] {
        let response = app.anonymous().get(path).await;
        let h = response.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        assert!(h["x-request-id"].to_str().unwrap().len() >= 8, "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'self' https://www.solvik.example.com"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn api_answers_are_not_cached() {
    let app = TestApp::spawn().await;
    let response = app.anonymous().get("/api/municipality").await;
    assert_eq!(response.headers()["cache-control"], "no-store");
}
