//! Serves the built SPA (Trunk's `dist/`): one app per audience, each with its own HTML shell and
//! bundle (`index.html` for families, `personal.html` for staff under `/personal`,
//! `handlaggare.html` for officers under `/handlaggare`, `administration.html` for the
//! municipality administrator under `/administration`, `konto.html` for everyone's own account
//! at `/uppgifter`, `/samtycken`, `/engangskod` and `/password`, `samtal.html` for the
//! development talks at `/samtal` and `/betyg`). Files are read and compressed once at
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
use skolportal_shared::lang::{Lang, LANG_COOKIE};
use skolportal_shared::pages::{main_nav, start_page, StartPage};

use super::middleware::FramePolicy;
use super::prerender::{self, ChildrenPage, LoginPage, ServerPage, ShellInputs, Texts};
use super::pwa::{self, Colours};
use crate::auth::session;
use crate::family_start::StartError;
use crate::people;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum SpaError {
    #[error("could not read the SPA directory {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

pub(super) struct Asset {
    content_type: &'static str,
    cache_control: &'static str,
    etag: String,
    pub(super) raw: Vec<u8>,
    brotli: Option<Vec<u8>>,
    gzip: Option<Vec<u8>>,
}

/// The SPA's files, ready to serve.
pub struct SpaAssets {
    files: HashMap<String, Asset>,
    /// CSP `'sha256-…'` sources for the inline scripts Trunk writes into the shells.
    inline_script_hashes: Vec<String>,
    /// The catalogues Trunk copies to `i18n/`, for the texts the server writes (the prerendered
    /// login page, the manifest).
    catalogues: HashMap<Lang, HashMap<String, String>>,
}

/// The families' app: everything that is not another app's.
const INDEX: &str = "index.html";

/// The other apps: the first segment of their paths and the shell that serves them.
const APP_SHELLS: &[(&str, &str)] = &[
    ("personal", "personal.html"),
    ("handlaggare", "handlaggare.html"),
    ("administration", "administration.html"),
    ("uppgifter", "konto.html"),
    ("engangskod", "konto.html"),
    ("password", "konto.html"),
    ("samtycken", "konto.html"),
    ("samtal", "samtal.html"),
    ("betyg", "samtal.html"),
    ("barnomsorg", "barnomsorg.html"),
    ("kiosk", "kiosk.html"),
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
            catalogues: HashMap::new(),
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
        let catalogues = Lang::ALL
            .into_iter()
            .filter_map(|lang| {
                let asset = files.get(&format!("i18n/{}.json", lang.code()))?;
                let texts = serde_json::from_slice(&asset.raw).ok()?;
                Some((lang, texts))
            })
            .collect();
        // The server pages' own script, which the server writes into them (`prerender`).
        let page_scripts = format!(
            "<script>{}</script><script>{}</script>",
            prerender::PAGE_SCRIPT,
            prerender::FRAMED_SCRIPT
        );
        inline_script_hashes.extend(inline_script_hashes_of(&page_scripts));
        Ok(Self {
            files,
            inline_script_hashes,
            catalogues,
        })
    }

    /// A file's bytes as built.
    pub fn raw(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(|asset| asset.raw.as_slice())
    }

    /// A catalogue text, Swedish when `lang` lacks it.
    pub fn text(&self, lang: &str, key: &str) -> Option<&str> {
        let lookup = |lang: Lang| self.catalogues.get(&lang)?.get(key).map(String::as_str);
        Lang::from_code(lang)
            .and_then(lookup)
            .or_else(|| lookup(Lang::Sv))
    }

    /// Names this build: it changes whenever a file does.
    pub fn build_id(&self) -> String {
        let mut etags: Vec<(&String, &String)> = self
            .files
            .iter()
            .map(|(name, asset)| (name, &asset.etag))
            .collect();
        etags.sort();
        let mut digest = Sha256::new();
        for (name, etag) in etags {
            digest.update(name.as_bytes());
            digest.update(etag.as_bytes());
        }
        hex_prefix(&digest.finalize())
    }

    /// What the service worker needs to keep an app for offline starts: which shell serves which
    /// first path segment, and the files each shell loads.
    pub fn app_files(&self) -> serde_json::Value {
        let shells = std::iter::once(INDEX).chain(APP_SHELLS.iter().map(|(_, shell)| *shell));
        let mut files = serde_json::Map::new();
        for shell in shells {
            let Some(html) = self.files.get(shell) else {
                continue;
            };
            let html = String::from_utf8_lossy(&html.raw);
            let mut used: Vec<String> = self
                .files
                .keys()
                .filter(|name| !is_shell(name) && html.contains(&format!("/{name}")))
                .map(|name| format!("/{name}"))
                .collect();
            used.sort();
            files.insert(shell.to_owned(), serde_json::json!(used));
        }
        let prefixes: serde_json::Map<String, serde_json::Value> = APP_SHELLS
            .iter()
            .map(|(prefix, shell)| ((*prefix).to_owned(), serde_json::json!(shell)))
            .collect();
        serde_json::json!({"default": INDEX, "prefixes": prefixes, "files": files})
    }

    pub fn inline_script_hashes(&self) -> &[String] {
        &self.inline_script_hashes
    }

    /// The families' shell, which the widgets are written into.
    pub(super) fn shell_asset(&self) -> Option<&Asset> {
        self.files.get(INDEX)
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

pub(super) fn hex_prefix(digest: &[u8]) -> String {
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

fn compress_brotli(raw: &[u8]) -> Option<Vec<u8>> {
    // Quality 9 is within a few percent of 11 at a fraction of the start-up time.
    compress_brotli_at(raw, 9)
}

fn compress_brotli_at(raw: &[u8], quality: u32) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 16 * 1024, quality, 22);
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

impl Texts for SpaAssets {
    fn text(&self, lang: Lang, key: &str) -> String {
        SpaAssets::text(self, lang.code(), key)
            .unwrap_or(key)
            .to_owned()
    }
}

#[derive(Clone)]
pub struct SpaEndpoint {
    assets: Arc<SpaAssets>,
    /// For the municipality the shells are written with; `None` serves the shells as built.
    state: Option<AppState>,
}

/// The families' login page, the server's own (see `prerender`).
const LOGIN_PATH: &str = "login";
/// Where a guardian starts: "Mina barn", the server's own page for a guardian with a session.
const FAMILIES_START: [&str; 2] = ["", "children"];

impl SpaEndpoint {
    pub fn new(assets: Arc<SpaAssets>, state: Option<AppState>) -> Self {
        Self { assets, state }
    }

    /// `shell` written for this request: the chosen language, the municipality, and on the
    /// server's own pages (login, a guardian's "Mina barn") the page itself. `?lang=` on those
    /// pages chooses the language and remembers it.
    async fn shell(&self, req: &Request, shell: &str, asset: &Asset) -> Response {
        let Some(state) = &self.state else {
            return respond(req, asset, asset.raw.clone(), asset.etag.clone(), None);
        };
        let path = req.uri().path().trim_start_matches('/');
        let query = |key: &str| query_value(req, key);
        let page = if shell == INDEX && path == LOGIN_PATH {
            Some(ServerPage::Login(LoginPage {
                logged_out: query("utloggad").is_some(),
                return_to: query("return_to").and_then(|path| checked_return_to(&path)),
                ..LoginPage::default()
            }))
        } else if shell == INDEX && FAMILIES_START.contains(&path) {
            children_page(state, req, path)
                .await
                .map(ServerPage::Children)
        } else {
            None
        };
        let chosen = query("lang")
            .filter(|_| page.is_some())
            .and_then(|code| Lang::from_code(&code));
        // Nobody but the person it is about may keep "Mina barn": not a shared cache, not the
        // service worker (which keeps no page that says `no-store`).
        let personal = matches!(page, Some(ServerPage::Children(_)));
        let preload: &[&str] = if req.cookie().get(session::COOKIE).is_none() || page.is_some() {
            &[]
        } else {
            &["/api/me"]
        };
        let (html, framing) =
            write_shell(&self.assets, state, req, &asset.raw, chosen, page, preload).await;
        let raw = html.into_bytes();
        let etag = format!("\"{}\"", hex_prefix(&Sha256::digest(&raw)));
        let mut response = respond(req, asset, raw, etag, Some(4));
        response.extensions_mut().insert(framing);
        if personal {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
        }
        if let Some(lang) = chosen {
            if let Ok(cookie) = HeaderValue::from_str(&lang_cookie(lang, state)) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
        }
        response
    }
}

/// "Mina barn" for the person whose session `req` carries, if it is their start page
/// (`pages::start_page`); otherwise, or when the session is over or the database does not
/// answer, `None`, and the families' app takes the request and says what is wrong. The page is
/// read as `GET /api/start` reads it, together with concurrent requests.
async fn children_page(state: &AppState, req: &Request, path: &str) -> Option<ChildrenPage> {
    let token = req.cookie().get(session::COOKIE)?;
    let read = state
        .start
        .call(token.value_str().to_owned())
        .await
        .map_err(StartError::from)
        .and_then(|read| read);
    let (user, start) = match read {
        Ok(read) => read,
        // The session is over: the app sends the person to the login page.
        Err(StartError::People(people::PeopleError::Session(_))) => return None,
        Err(err) => {
            tracing::warn!(error = %err, "Mina barn not written by the server");
            return None;
        }
    };
    let me = match people::me(&state.db, &user, state.clock.today()).await {
        Ok(me) => me,
        Err(err) => {
            tracing::warn!(error = %err, "Mina barn not written by the server");
            return None;
        }
    };
    (start_page(&me) == Some(StartPage::Children)).then(|| ChildrenPage {
        path: format!("/{path}"),
        nav: main_nav(&me),
        start,
    })
}

/// The first value of `key` in the request's query, decoded.
fn query_value(req: &Request, key: &str) -> Option<String> {
    url::form_urlencoded::parse(req.uri().query()?.as_bytes())
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.into_owned())
}

/// A page of this site to go on to after login (`paths::safe_return_to`); the start page is
/// where a login leads anyway.
pub fn checked_return_to(path: &str) -> Option<String> {
    skolportal_shared::paths::safe_return_to(path)
        .filter(|path| *path != "/")
        .map(str::to_owned)
}

/// Remembers a language chosen on the login page, as the app does (`dom::store_lang`).
fn lang_cookie(lang: Lang, state: &AppState) -> String {
    let cookie = skolportal_shared::lang::lang_cookie(lang);
    if state.settings.is_https() {
        format!("{cookie}; Secure")
    } else {
        cookie
    }
}

/// The families' shell written for `req`: its language (`chosen`, else the cookie's), the
/// municipality, and the login page when `login` is given.
async fn write_shell(
    assets: &SpaAssets,
    state: &AppState,
    req: &Request,
    shell: &[u8],
    chosen: Option<Lang>,
    page: Option<ServerPage>,
    preload: &[&str],
) -> (String, FramePolicy) {
    let info = pwa::municipality_info(state).await;
    let colours = Colours::of(info.as_ref().map(|i| &i.theme));
    let lang = chosen
        .or_else(|| {
            req.cookie()
                .get(LANG_COOKIE)
                .and_then(|cookie| Lang::from_code(cookie.value_str()))
        })
        .unwrap_or_default();
    // The configured origins and the municipality's own: those the edge lets frame the page.
    let stored = info
        .as_ref()
        .map(|i| i.frame_origins.clone())
        .unwrap_or_default();
    let frame_origins: Vec<String> = state
        .settings
        .embed
        .frame_ancestors
        .iter()
        .chain(&stored)
        .cloned()
        .collect();
    let html = prerender::render(
        &String::from_utf8_lossy(shell),
        &ShellInputs {
            lang,
            municipality: info.as_ref(),
            theme_colour: &colours.primary,
            page,
            preload,
            frame_origins: &frame_origins,
        },
        assets,
    );
    (html, FramePolicy::Origins(stored))
}

/// The login page for `req` in the state `page` describes: the answer to a refused login form.
pub async fn login_page(
    assets: &SpaAssets,
    state: &AppState,
    req: &Request,
    page: LoginPage,
) -> String {
    // Without a built SPA (the API on its own) the page still has the form, unstyled.
    const BARE: &[u8] = b"<!doctype html><html lang=sv><head><meta charset=utf-8><title></title></head><body></body></html>";
    let shell = assets.raw(INDEX).unwrap_or(BARE);
    write_shell(
        assets,
        state,
        req,
        shell,
        None,
        Some(ServerPage::Login(page)),
        &[],
    )
    .await
    .0
}

/// `raw` as `asset`'s type and caching, compressed as the client accepts: from the compressed
/// copies made at start-up, or now at `quality` for a shell written per request.
pub(super) fn respond(
    req: &Request,
    asset: &Asset,
    raw: Vec<u8>,
    etag: String,
    quality: Option<u32>,
) -> Response {
    let builder = Response::builder()
        .header(header::CACHE_CONTROL, asset.cache_control)
        .header(header::ETAG, etag.as_str())
        // A shell written per request depends on the cookies (language, session); a file does
        // not, and must stay cached across a login.
        .header(
            header::VARY,
            if quality.is_some() {
                "Accept-Encoding, Cookie"
            } else {
                "Accept-Encoding"
            },
        );
    let not_modified = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if not_modified {
        return builder.status(StatusCode::NOT_MODIFIED).finish();
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
    let (body, encoding) = match quality {
        Some(quality) if accepts("br") => match compress_brotli_at(&raw, quality) {
            Some(br) => (br, Some("br")),
            None => (raw, None),
        },
        Some(_) => (raw, None),
        None => match (&asset.brotli, &asset.gzip) {
            (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
            _ => (raw, None),
        },
    };
    let mut builder = builder.content_type(asset.content_type);
    if let Some(encoding) = encoding {
        builder = builder.header(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    builder.body(Body::from(body))
}

/// A redirect to `location` on this site.
fn see_other(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .header(header::CACHE_CONTROL, "no-store")
        .finish()
}

impl Endpoint for SpaEndpoint {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        let path = req.uri().path().trim_start_matches('/').to_owned();
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Err(poem::Error::from_status(StatusCode::METHOD_NOT_ALLOWED));
        }
        // Someone who has never logged in on this device goes straight to the login page, which
        // the server paints itself, instead of waiting for the app to find out.
        let no_session = req.cookie().get(session::COOKIE).is_none();
        if path.is_empty() && req.uri().query().is_none() && no_session && self.assets.is_built() {
            return Ok(see_other("/login"));
        }
        let asset = match self.assets.files.get(&path) {
            Some(asset) if !path.is_empty() => asset,
            _ if looks_like_asset(&path) => {
                return Err(poem::Error::from_status(StatusCode::NOT_FOUND))
            }
            // An app that is not built falls back to the families' shell, which links to it.
            _ => {
                let shell = if self.assets.files.contains_key(shell_for(&path)) {
                    shell_for(&path)
                } else {
                    INDEX
                };
                match self.assets.files.get(shell) {
                    Some(asset) => return Ok(self.shell(&req, shell, asset).await),
                    None => {
                        return Ok(Response::builder()
                            .status(StatusCode::SERVICE_UNAVAILABLE)
                            .content_type("text/plain; charset=utf-8")
                            .body("Webbappen är inte byggd. Kör `cargo xtask spa`. / The web app is not built; run `cargo xtask spa`."))
                    }
                }
            }
        };
        Ok(respond(
            &req,
            asset,
            asset.raw.clone(),
            asset.etag.clone(),
            None,
        ))
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
        assert_eq!(
            super::shell_for("administration/historik"),
            "administration.html"
        );
        assert_eq!(super::shell_for("personalen"), "index.html");
        assert_eq!(super::shell_for("uppgifter"), "konto.html");
        assert_eq!(super::shell_for(""), "index.html");
        assert_eq!(super::shell_for("barnomsorg/schema/x"), "barnomsorg.html");
    }

    /// A new deploy is a new service worker: the browser installs one when `/sw.js` changes, and
    /// the build id written into it changes with any file.
    #[test]
    fn the_build_id_changes_with_any_file() {
        let build = |css: &str| {
            let dir = tempfile::tempdir().expect("temp dir");
            std::fs::write(dir.path().join("index.html"), "<html><body></body></html>")
                .expect("write");
            std::fs::write(dir.path().join("main-0123456789abcdef.css"), css).expect("write");
            SpaAssets::load(dir.path()).expect("load").build_id()
        };
        assert_eq!(build("a{}"), build("a{}"));
        assert_ne!(build("a{}"), build("b{}"));
    }

    #[test]
    fn deep_links_are_not_assets() {
        assert!(!looks_like_asset("children/123"));
        assert!(looks_like_asset("missing-0123456789abcdef.wasm"));
    }
}
