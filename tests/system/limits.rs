//! Request bodies are limited per operation: above the limit the answer is 413 and the body is
//! not read further, so large or endless bodies cost the server no memory.

use std::time::Duration;

use skolportal_tests::process::Installation;
use skolportal_tests::TestApp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends a request head, then up to `body_bytes` of body (as declared, or chunked when
/// `content_length` is false) until the server stops reading, and returns the status it
/// answered, if any.
async fn send_large(
    address: &str,
    path: &str,
    body_bytes: usize,
    content_length: bool,
) -> Option<u16> {
    let host = address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).await.ok()?;
    let length = if content_length {
        format!("Content-Length: {body_bytes}\r\n")
    } else {
        "Transfer-Encoding: chunked\r\n".to_owned()
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{length}\r\n"
    );
    stream.write_all(head.as_bytes()).await.ok()?;
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < body_bytes {
        let wrote = if content_length {
            stream.write_all(&chunk).await
        } else {
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            stream.write_all(&framed).await
        };
        if wrote.is_err() {
            break; // the server answered and closed: it does not want the rest
        }
        sent += chunk.len();
    }
    let mut answer = vec![0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer))
        .await
        .ok()?
        .ok()?;
    let text = String::from_utf8_lossy(&answer[..read]);
    text.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn a_body_over_the_operations_limit_answers_413_and_a_normal_one_passes() {
    let app = TestApp::spawn().await;
    // Declared too large: refused from the header alone.
    assert_eq!(
        send_large(&app.address, "/api/auth/password", 2_000_000, true).await,
        Some(413)
    );
    // Chunked, no length: read only up to the limit.
    assert_eq!(
        send_large(&app.address, "/api/auth/password", 2_000_000, false).await,
        Some(413)
    );
    let response = app
        .anonymous()
        .post(
            "/api/childcare/income-statements",
            &serde_json::json!({"padding": "x".repeat(20_000)}),
        )
        .await;
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "payload_too_large");
    // A login of a normal size still works.
    let anna = app.login("anna").await;
    assert_eq!(anna.get_json("/api/children").await.0, 200);
}

fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

/// Measured before the limit: 32 concurrent anonymous logins with 30 MB bodies took the server
/// from 270 MB to 1.1 GB. Now the server's memory stays where it was.
#[tokio::test]
async fn memory_stays_flat_under_many_large_bodies() {
    let mut installation = Installation::new().await;
    let server = installation.start().await;
    let before = resident_kib(server.id());
    let mut requests = Vec::new();
    for i in 0..32 {
        let address = installation.address.clone();
        requests.push(tokio::spawn(async move {
            send_large(&address, "/api/auth/password", 30_000_000, i % 2 == 0).await
        }));
    }
    for request in requests {
        let status = request.await.unwrap();
        assert!(matches!(status, Some(413) | None), "{status:?}");
    }
    let after = resident_kib(server.id());
    assert!(
        after < before + 64 * 1024,
        "resident memory grew from {before} KiB to {after} KiB"
    );
    // And the server still serves.
    let health = installation.anonymous().get_json("/api/health").await;
    assert_eq!(health.0, 200, "{}", server.log());
}
