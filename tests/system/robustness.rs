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

pub async fn operations(client: &UserClient) -> Vec<(Method, String)> {
    let (_, spec) = client.get_json("/api/openapi.json").await;
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            if let Ok(m) = method.to_uppercase().parse::<Method>() {
                ops.push((m, path.clone()));
            }
        }
    }
    ops
}

async fn hammer(app: &TestApp, client: &UserClient) {
    for (method, template) in operations(client).await {
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
                let text = response.text().await.unwrap_or_default();
                assert!(
                    status.as_u16() < 500 || (path == "/health" && status == 503),
                    "{method} {path} ({content_type}) gave {status}: {text}"
                );
                if status.is_client_error() {
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
