//! Static serving of the SPA, on a small built-by-hand `dist/` so the rules are tested exactly.

use std::io::Read;

use skolportal_tests::app::TestOptions;
use skolportal_tests::TestApp;

const INLINE: &str =
    "import init from '/app-0123456789abcdef.js';init('/app-0123456789abcdef_bg.wasm');";

fn fake_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let index = format!(
        "<!doctype html><html lang=\"sv\"><head><script type=\"module\">{INLINE}</script></head><body></body></html>"
    );
    std::fs::write(dir.path().join("index.html"), index).unwrap();
    let js = "export default function init(){}\n".repeat(200);
    std::fs::write(dir.path().join("app-0123456789abcdef.js"), js).unwrap();
    std::fs::write(dir.path().join("robots.txt"), "User-agent: *\n").unwrap();
    dir
}

async fn app_with_dist(dist: &tempfile::TempDir) -> TestApp {
    TestApp::spawn_with(TestOptions {
        static_dir: Some(dist.path().to_path_buf()),
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn deep_links_serve_index_html_uncached() {
    let dist = fake_dist();
    let app = app_with_dist(&dist).await;
    // (`/` itself sends someone without a session to `/login`: `pwa::the_shell_carries_…`.)
    for path in [
        "/?embed=1",
        "/children",
        "/children/3f7c/schedule",
        "/login?next=%2Fcontact",
    ] {
        let response = app.anonymous().get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<html lang=\"sv\" dir=\"ltr\">"),
            "{path}"
        );
    }
}

/// Issue #14.1: each audience's app is served under its own paths, deep links and reloads
/// included, and each shell loads only its own bundle.
#[tokio::test]
async fn each_app_serves_its_own_shell_under_its_own_paths() {
    let dist = fake_dist();
    for (shell, bundle) in [
        ("personal.html", "staff"),
        ("handlaggare.html", "officers"),
        ("konto.html", "account"),
        ("samtal.html", "talks"),
    ] {
        std::fs::write(
            dist.path().join(shell),
            format!("<!doctype html><html lang=\"sv\"><head><script type=\"module\" src=\"/{bundle}-0123456789abcdef.js\"></script></head></html>"),
        )
        .unwrap();
    }
    let app = app_with_dist(&dist).await;
    for (path, bundle) in [
        ("/personal", "staff"),
        ("/personal/elev/3f7c", "staff"),
        ("/personal/dag/3f7c?date=2026-12-02", "staff"),
        ("/handlaggare", "officers"),
        ("/handlaggare/dokument/3f7c", "officers"),
        ("/uppgifter", "account"),
        ("/engangskod", "account"),
        ("/password", "account"),
        ("/samtal/3f7c/plan", "talks"),
        ("/betyg/3f7c", "talks"),
        ("/children", "app"),
        ("/personalen", "app"),
    ] {
        let response = app.anonymous().get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("/{bundle}-0123456789abcdef.js")),
            "{path}: {html}"
        );
    }
}

#[tokio::test]
async fn hashed_assets_are_compressed_and_immutable() {
    let dist = fake_dist();
    let app = app_with_dist(&dist).await;
    let raw_len = std::fs::metadata(dist.path().join("app-0123456789abcdef.js"))
        .unwrap()
        .len();
    // reqwest here decodes nothing, so the bytes on the wire are what we measure.
    let response = app
        .anonymous()
        .http
        .get(app.url("/app-0123456789abcdef.js"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["content-type"], "application/javascript");
    // Not `Cookie`: a login must not make the browser fetch the app again.
    assert_eq!(response.headers()["vary"], "Accept-Encoding");
    let body = response.bytes().await.unwrap();
    assert!(
        (body.len() as u64) < raw_len / 4,
        "gzip did not shrink the file"
    );
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_string(&mut decoded)
        .unwrap();
    assert!(decoded.starts_with("export default function init"));

    let br = app
        .anonymous()
        .http
        .get(app.url("/app-0123456789abcdef.js"))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
}

#[tokio::test]
async fn an_unchanged_asset_answers_304() {
    let dist = fake_dist();
    let app = app_with_dist(&dist).await;
    let first = app.anonymous().get("/app-0123456789abcdef.js").await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .anonymous()
        .http
        .get(app.url("/app-0123456789abcdef.js"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn a_missing_asset_is_404_not_the_app() {
    let dist = fake_dist();
    let app = app_with_dist(&dist).await;
    let response = app.anonymous().get("/app-ffffffffffffffff.js").await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn only_the_apps_own_inline_script_may_run() {
    use base64::Engine;
    use sha2::Digest;
    let dist = fake_dist();
    let app = app_with_dist(&dist).await;
    let response = app.anonymous().get("/").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(INLINE.as_bytes()));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(!csp.contains("'unsafe-inline'"));
}
