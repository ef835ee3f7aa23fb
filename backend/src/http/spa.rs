//! Serves the built SPA (Trunk's `dist/`): one app per audience, each with its own HTML shell and
//! bundle (`index.html` for families, `personal.html` for staff under `/personal`,
//! `handlaggare.html` for officers under `/handlaggare`, `konto.html` for everyone's own account
//! at `/uppgifter`, `/engangskod` and `/password`). Files are read and compressed once at
//! start-up, so a request costs a map lookup: hashed assets get immutable caching, shells are
//! never cached, and any path that is not a file serves its app's shell so that deep links and
//! reloads work.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use poem::http::{header, HeaderValue, Method, StatusCode};
use poem::{Body, Endpoint, Request, Response};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum SpaError {
    #[error("could not read the SPA directory {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

struct Asset {
    content_type: &'static str,
    cache_control: &'static str,
    etag: String,
    raw: Vec<u8>,
    brotli: Option<Vec<u8>>,
    gzip: Option<Vec<u8>>,
}

/// The SPA's files, ready to serve.
pub struct SpaAssets {
    files: HashMap<String, Asset>,
    /// CSP `'sha256-…'` sources for the inline scripts Trunk writes into the shells.
    inline_script_hashes: Vec<String>,
}

/// The families' app: everything that is not another app's.
const INDEX: &str = "index.html";

/// The other apps: the first segment of their paths and the shell that serves them.
const APP_SHELLS: &[(&str, &str)] = &[
    ("personal", "personal.html"),
    ("handlaggare", "handlaggare.html"),
    ("uppgifter", "konto.html"),
    ("engangskod", "konto.html"),
    ("password", "konto.html"),
];

/// Whether `name` is one of the apps' HTML shells.
fn is_shell(name: &str) -> bool {
    name == INDEX || APP_SHELLS.iter().any(|(_, shell)| *shell == name)
}

/// The shell of the app that owns `path` (without its leading `/`).
fn shell_for(path: &str) -> &'static str {
    let first = path.split('/').next().unwrap_or_default();
    APP_SHELLS
        .iter()
        .find(|(prefix, _)| *prefix == first)
        .map_or(INDEX, |(_, shell)| shell)
}

impl SpaAssets {
    /// An empty set: every page answers that the SPA is not built.
    pub fn empty() -> Self {
        Self {
            files: HashMap::new(),
            inline_script_hashes: Vec::new(),
        }
    }

    /// Loads `dir`; a missing directory gives an empty set (API-only use), any other read error
    /// fails start-up.
    pub fn load(dir: &Path) -> Result<Self, SpaError> {
        if !dir.is_dir() {
            tracing::warn!(dir = %dir.display(), "SPA directory missing; run `cargo xtask spa`");
            return Ok(Self::empty());
        }
        let mut files = HashMap::new();
        let mut inline_script_hashes = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(current) = stack.pop() {
            let entries = std::fs::read_dir(&current).map_err(|source| SpaError::Read {
                path: current.display().to_string(),
                source,
            })?;
            for entry in entries {
                let entry = entry.map_err(|source| SpaError::Read {
                    path: current.display().to_string(),
                    source,
                })?;
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let raw = std::fs::read(&path).map_err(|source| SpaError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                let Ok(relative) = path.strip_prefix(dir) else {
                    continue;
                };
                let key = relative.to_string_lossy().replace('\\', "/");
                if is_shell(&key) {
                    for hash in inline_script_hashes_of(&String::from_utf8_lossy(&raw)) {
                        if !inline_script_hashes.contains(&hash) {
                            inline_script_hashes.push(hash);
                        }
                    }
                }
                files.insert(key.clone(), Asset::new(&key, raw));
            }
        }
        Ok(Self {
            files,
            inline_script_hashes,
        })
    }

    pub fn inline_script_hashes(&self) -> &[String] {
        &self.inline_script_hashes
    }

    pub fn is_built(&self) -> bool {
        self.files.contains_key(INDEX)
    }
}

impl Asset {
    fn new(name: &str, raw: Vec<u8>) -> Self {
        let content_type = content_type(name);
        let cache_control = if is_shell(name) {
            "no-cache"
        } else if has_content_hash(name) {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        };
        let etag = format!("\"{}\"", hex_prefix(&Sha256::digest(&raw)));
        let compressible = content_type.starts_with("text/")
            || matches!(
                content_type,
                "application/javascript"
                    | "application/wasm"
                    | "application/json"
                    | "image/svg+xml"
            );
        let (brotli, gzip) = if compressible && raw.len() > 256 {
            (compress_brotli(&raw), compress_gzip(&raw))
        } else {
            (None, None)
        };
        Self {
            content_type,
            cache_control,
            etag,
            raw,
            brotli,
            gzip,
        }
    }
}

fn hex_prefix(digest: &[u8]) -> String {
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

fn compress_brotli(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    {
        // Quality 9 is within a few percent of 11 at a fraction of the start-up time.
        let mut writer = brotli::CompressorWriter::new(&mut out, 16 * 1024, 9, 22);
        writer.write_all(raw).ok()?;
    }
    (out.len() < raw.len()).then_some(out)
}

fn compress_gzip(raw: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw).ok()?;
    let out = encoder.finish().ok()?;
    (out.len() < raw.len()).then_some(out)
}

/// Trunk names hashed files `name-<16 hex>.ext`.
fn has_content_hash(name: &str) -> bool {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.split('.').next().unwrap_or(stem);
    // wasm-bindgen's module is `name-<hash>_bg.wasm`.
    let stem = stem.trim_end_matches("_bg");
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "application/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Paths that look like files are answered 404 when missing, rather than with the SPA's HTML.
fn looks_like_asset(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    matches!(
        last.rsplit_once('.').map(|(_, ext)| ext),
        Some(
            "js" | "mjs"
                | "wasm"
                | "css"
                | "map"
                | "png"
                | "svg"
                | "ico"
                | "woff2"
                | "json"
                | "txt"
        )
    )
}

/// SHA-256 CSP sources of every `<script>` without `src` in `html`.
fn inline_script_hashes_of(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let after = &rest[tag_end + 1..];
        let Some(close) = after.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&after.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[close..];
    }
    hashes
}

#[derive(Clone)]
pub struct SpaEndpoint {
    assets: Arc<SpaAssets>,
}

impl SpaEndpoint {
    pub fn new(assets: Arc<SpaAssets>) -> Self {
        Self { assets }
    }
}

impl Endpoint for SpaEndpoint {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Err(poem::Error::from_status(StatusCode::METHOD_NOT_ALLOWED));
        }
        let path = req.uri().path().trim_start_matches('/');
        let asset = match self.assets.files.get(path) {
            Some(asset) if !path.is_empty() => asset,
            _ if looks_like_asset(path) => {
                return Err(poem::Error::from_status(StatusCode::NOT_FOUND))
            }
            // An app that is not built falls back to the families' shell, which links to it.
            _ => match self
                .assets
                .files
                .get(shell_for(path))
                .or_else(|| self.assets.files.get(INDEX))
            {
                Some(index) => index,
                None => {
                    return Ok(Response::builder()
                        .status(StatusCode::SERVICE_UNAVAILABLE)
                        .content_type("text/plain; charset=utf-8")
                        .body("Webbappen är inte byggd. Kör `cargo xtask spa`. / The web app is not built; run `cargo xtask spa`."))
                }
            },
        };
        let builder = Response::builder()
            .header(header::CACHE_CONTROL, asset.cache_control)
            .header(header::ETAG, asset.etag.as_str())
            .header(header::VARY, "Accept-Encoding");
        let not_modified = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == asset.etag));
        if not_modified {
            return Ok(builder.status(StatusCode::NOT_MODIFIED).finish());
        }
        let accepts = req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let accepts = |coding: &str| {
            accepts
                .split(',')
                .any(|part| part.split(';').next().is_some_and(|c| c.trim() == coding))
        };
        let (body, encoding) = match (&asset.brotli, &asset.gzip) {
            (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
            _ => (asset.raw.clone(), None),
        };
        let mut builder = builder.content_type(asset.content_type);
        if let Some(encoding) = encoding {
            builder = builder.header(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        Ok(builder.body(Body::from(body)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(has_content_hash(
            "skolportal-frontend-3f2a9c0b1d2e4f56_bg.wasm"
        ));
        assert!(has_content_hash("main-3f2a9c0b1d2e4f56.css"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("favicon.ico"));
    }

    #[test]
    fn inline_scripts_are_hashed_external_ones_are_not() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        let hashes = inline_script_hashes_of(html);
        assert_eq!(hashes.len(), 1);
        assert!(hashes[0].starts_with("'sha256-"));
    }

    #[test]
    fn each_app_serves_its_own_prefix() {
        assert_eq!(super::shell_for("personal"), "personal.html");
        assert_eq!(super::shell_for("personal/dag/x"), "personal.html");
        assert_eq!(super::shell_for("handlaggare/ko"), "handlaggare.html");
        assert_eq!(super::shell_for("personalen"), "index.html");
        assert_eq!(super::shell_for("uppgifter"), "konto.html");
        assert_eq!(super::shell_for(""), "index.html");
        assert_eq!(super::shell_for("barnomsorg/schema/x"), "index.html");
    }

    #[test]
    fn deep_links_are_not_assets() {
        assert!(!looks_like_asset("children/123"));
        assert!(looks_like_asset("missing-0123456789abcdef.wasm"));
    }
}
