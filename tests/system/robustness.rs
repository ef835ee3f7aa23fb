//! No input gives a 5xx. The operations come from the served spec, so a new endpoint is covered
//! the moment it exists.

use reqwest::Method;
use serde_json::Value;
use skolportal_tests::{TestApp, UserClient};

const JUNK_SEGMENTS: &[&str] = &[
    "x",
    "00000000-0000-0000-0000-000000000000",
    "199001011234",
    "%00",
    "..%2F..%2Fetc",
    "ÅÄÖ",
    "99999999999999999999999",
];

fn junk_bodies() -> Vec<(&'static str, String)> {
    let long = "å".repeat(100_000);
    vec![
        ("application/json", String::new()),
        ("application/json", "not json".into()),
        ("application/json", "{".into()),
        ("application/json", "[]".into()),
        ("application/json", "{}".into()),
        ("application/json", "null".into()),
        ("application/json", serde_json::json!({"username": long, "password": long, "email": long, "phone": long, "current_password": 1, "new_password": [1]}).to_string()),
        ("application/json", serde_json::json!({"username": "", "password": ""}).to_string()),
        ("text/plain", "hello".into()),
        ("application/x-www-form-urlencoded", "a=b".into()),
    ]
}

fn fill_path(template: &str, junk: &str) -> String {
    template
        .split('/')
        .map(|seg| if seg.starts_with('{') { junk } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// Each operation with its spec, for what it declares it answers.
async fn operations_with_spec(client: &UserClient) -> Vec<(Method, String, Value)> {
    let (_, spec) = client.get_json("/api/openapi.json").await;
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            if let Ok(m) = method.to_uppercase().parse::<Method>() {
                ops.push((m, path.clone(), operation.clone()));
            }
        }
    }
    ops
}

/// Whether the operation declares an HTML page as its answer with `status` (the login form
/// answers a browser's post with the login page again).
fn declares_html(operation: &Value, status: u16) -> bool {
    operation["responses"][status.to_string()]["content"]
        .as_object()
        .is_some_and(|content| content.keys().any(|kind| kind.starts_with("text/html")))
}

async fn hammer(app: &TestApp, client: &UserClient) {
    for (method, template, operation) in operations_with_spec(client).await {
        let paths: Vec<String> = if template.contains('{') {
            JUNK_SEGMENTS
                .iter()
                .map(|j| fill_path(&template, j))
                .collect()
        } else {
            vec![template.clone()]
        };
        for path in paths {
            for (content_type, body) in junk_bodies() {
                let response = client
                    .request(method.clone(), &format!("/api{path}?limit=-1&x=%ff"))
                    .header("Content-Type", content_type)
                    .body(body)
                    .send()
                    .await
                    .expect("request");
                let status = response.status();
                let html = response
                    .headers()
                    .get("content-type")
                    .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
                let text = response.text().await.unwrap_or_default();
                assert!(
                    status.as_u16() < 500 || (path == "/health" && status == 503),
                    "{method} {path} ({content_type}) gave {status}: {text}"
                );
                if status.is_client_error() && html {
                    assert!(
                        declares_html(&operation, status.as_u16()),
                        "{method} {path}: an HTML {status} its spec does not declare"
                    );
                } else if status.is_client_error() {
                    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                    assert!(
                        body["error"].is_string(),
                        "{method} {path}: error not in the JSON shape: {text}"
                    );
                }
            }
        }
    }
    let _ = app;
}

#[tokio::test]
async fn no_input_to_any_operation_gives_a_server_error() {
    let app = TestApp::spawn().await;
    hammer(&app, &app.anonymous()).await;
    for user in ["anna", "elev", "larare", "handlaggare"] {
        hammer(&app, &app.login(user).await).await;
    }
}
