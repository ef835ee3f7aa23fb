//! What happens to every request at the edge: a request id, one structured log line (ids only,
//! never personal data), baseline security headers, and errors turned into the JSON error shape.

use std::sync::Arc;
use std::time::Instant;

use poem::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};
use tracing::Instrument;

use super::body_limit::{self, BodyError};
use super::error::into_json_response;
use crate::policy;
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Who may frame a page, when a page says so itself (in its response's extensions); other
/// responses may be framed by the configured origins only.
#[derive(Debug, Clone)]
pub enum FramePolicy {
    /// The configured origins and these (the municipality's stored `frame_origins`).
    Origins(Vec<String>),
    /// Anyone: the public widgets, which carry no session and no personal data.
    Anyone,
}

/// Header values computed once at start-up.
pub struct EdgeHeaders {
    /// The app's policy up to `frame-ancestors`, which is written per response.
    csp_app_base: String,
    /// `frame-ancestors` of the configured origins.
    ancestors: String,
    csp_app: HeaderValue,
    csp_docs: HeaderValue,
    hsts: Option<HeaderValue>,
    expose_policy_decisions: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("a configured frame ancestor is not a valid origin: {0}")]
pub struct InvalidFrameAncestor(String);

impl EdgeHeaders {
    /// `frame_ancestors`: origins allowed to embed the portal. `inline_script_hashes`: the SPA's
    /// inline scripts, the only ones allowed to run.
    pub fn new(
        frame_ancestors: &[String],
        inline_script_hashes: &[String],
        https: bool,
        expose_policy_decisions: bool,
    ) -> Result<Self, InvalidFrameAncestor> {
        for origin in frame_ancestors {
            let valid = (origin.starts_with("https://") || origin.starts_with("http://"))
                && origin
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ":/.-*".contains(c));
            if !valid {
                return Err(InvalidFrameAncestor(origin.clone()));
            }
        }
        let ancestors = std::iter::once("'self'".to_owned())
            .chain(frame_ancestors.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        let scripts = std::iter::once("'self' 'wasm-unsafe-eval'".to_owned())
            .chain(inline_script_hashes.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        let csp_app_base = format!(
            "default-src 'self'; script-src {scripts}; \
             style-src 'self'; img-src 'self' data: https:; connect-src 'self'; \
             font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
        );
        let csp_app = format!("{csp_app_base}; frame-ancestors {ancestors}");
        // The API explorer is a third-party page with inline code; it gets its own, looser policy
        // and may not be framed.
        let csp_docs = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
             object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
            .to_owned();
        let value = |s: String| HeaderValue::from_str(&s).map_err(|_| InvalidFrameAncestor(s));
        Ok(Self {
            csp_app_base,
            ancestors,
            csp_app: value(csp_app)?,
            csp_docs: value(csp_docs)?,
            hsts: https.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
            expose_policy_decisions,
        })
    }

    /// The app's policy for a response that says who may frame it. Stored origins were checked
    /// when they were saved (`shared::embed::parse_origin`), and are checked again here, so
    /// that nothing but an origin can reach the header.
    fn csp_framed_by(&self, policy: &FramePolicy) -> HeaderValue {
        let ancestors = match policy {
            FramePolicy::Anyone => "*".to_owned(),
            FramePolicy::Origins(origins) => std::iter::once(self.ancestors.clone())
                .chain(
                    origins
                        .iter()
                        .filter_map(|o| skolportal_shared::embed::parse_origin(o).ok()),
                )
                .collect::<Vec<_>>()
                .join(" "),
        };
        HeaderValue::from_str(&format!(
            "{}; frame-ancestors {ancestors}",
            self.csp_app_base
        ))
        .unwrap_or_else(|_| self.csp_app.clone())
    }
}

/// Where calendar feeds are served (`api::timetable`); the rest of the path is a secret.
const CALENDAR_FEED_PREFIX: &str = "/api/calendar/";

/// Masks anything in a path that could be a personnummer, so that one typed into a URL never
/// reaches a log, and a calendar feed's secret. `Personnummer::parse_with_today` accepts 10 or
/// 12 digits with at most one `-` or `+` anywhere among them, and a `+` may arrive
/// percent-encoded; so a run of digits joined by such separators is masked whole when it holds
/// 10 or more digits. Masking a little more than strictly needed (a long all-digit id) is the
/// safe side.
fn loggable_path(path: &str) -> String {
    // A calendar feed's address is its credential: the secret never reaches a log.
    if let Some(rest) = path.strip_prefix(CALENDAR_FEED_PREFIX) {
        let suffix = if rest.ends_with(".ics") { ".ics" } else { "" };
        return format!("{CALENDAR_FEED_PREFIX}***{suffix}");
    }
    let bytes: Vec<char> = path.chars().take(200).collect();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        // A span: digits, then any number of (separator, digits).
        let start = i;
        let mut digits = 0;
        let mut end = i;
        loop {
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
                digits += 1;
            }
            let sep = separator_len(&bytes[end..]);
            if sep > 0 && bytes.get(end + sep).is_some_and(char::is_ascii_digit) {
                end += sep;
            } else {
                break;
            }
        }
        if digits >= 10 {
            out.push_str("***");
        } else {
            out.extend(&bytes[start..end]);
        }
        i = end;
    }
    out
}

/// The length of a personnummer separator at the start of `rest`: `-`, `+`, or either
/// percent-encoded.
fn separator_len(rest: &[char]) -> usize {
    match rest {
        ['-' | '+', ..] => 1,
        ['%', '2', 'B' | 'b' | 'D' | 'd', ..] => 3,
        _ => 0,
    }
}

/// An answer the edge gives itself, in the API's error shape.
fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let mut r = poem::web::Json(skolportal_shared::api::ErrorBody {
        error: code.into(),
        message: message.into(),
        retry_after_seconds: None,
        date: None,
        required_strength: None,
    })
    .into_response();
    r.set_status(status);
    r
}

fn request_id(req: &Request) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Browsers say where a request comes from; a state-changing API request from another site is
/// refused (cross-site request forgery). Non-browser clients send neither header and pass; they
/// carry no ambient cookies to abuse.
fn is_cross_site(req: &Request) -> bool {
    let headers = req.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    origin == "null" || origin_host != host
}

pub async fn edge<E: Endpoint>(
    next: Arc<E>,
    mut req: Request,
    headers: Arc<EdgeHeaders>,
    state: AppState,
) -> poem::Result<Response> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let is_api = path == "/api" || path.starts_with("/api/");
    let is_docs = path.starts_with("/api/docs");
    let span = tracing::info_span!("request", request_id = %id);
    let safe_method = matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let limit = body_limit::limit_for(&method, &path);
    let mut response = if is_api && !safe_method && is_cross_site(&req) {
        refusal(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "Requests from other sites are not accepted.",
        )
    } else {
        let checked = match limit {
            Some(limit) => body_limit::enforce(&mut req, limit).await,
            None => Ok(()),
        };
        match checked {
            Err(BodyError::TooLarge { limit }) => refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                &format!("The request is too large (at most {limit} bytes)."),
            ),
            Err(BodyError::Unreadable(_)) => refusal(
                StatusCode::BAD_REQUEST,
                "unreadable_body",
                "The request body could not be read.",
            ),
            Ok(()) => {
                let (answer, decisions) =
                    policy::counting_decisions(next.call(req).instrument(span.clone())).await;
                let mut response = match answer {
                    Ok(output) => output.into_response(),
                    Err(err) => into_json_response(err),
                };
                if headers.expose_policy_decisions && is_api {
                    response.headers_mut().insert(
                        HeaderName::from_static("x-policy-decisions"),
                        HeaderValue::from(decisions),
                    );
                }
                response
            }
        }
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert(REQUEST_ID, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let csp = if is_docs {
        headers.csp_docs.clone()
    } else if let Some(policy) = response.extensions().get::<FramePolicy>() {
        headers.csp_framed_by(policy)
    } else if is_html {
        // A page that did not say (the refused login form): the municipality's origins too, so
        // that it stays in the frame it was asked from.
        let stored = super::pwa::municipality_info(&state)
            .await
            .map(|info| info.frame_origins)
            .unwrap_or_default();
        headers.csp_framed_by(&FramePolicy::Origins(stored))
    } else {
        headers.csp_app.clone()
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    if let Some(hsts) = &headers.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    // API answers carry personal data: no shared or browser caches unless the handler said so.
    if is_api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        tracing::info!(
            target: "http",
            method = %method,
            path = %loggable_path(&path),
            status,
            duration_ms = format_args!("{duration_ms:.1}"),
            "request"
        );
    });
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personnummer_in_a_path_is_masked() {
        assert_eq!(loggable_path("/api/x/199001011234"), "/api/x/***");
        assert_eq!(loggable_path("/api/x/2024"), "/api/x/2024");
        assert_eq!(loggable_path("/api/x/2024-11-24"), "/api/x/2024-11-24");
    }

    #[test]
    fn a_calendar_feeds_secret_is_masked() {
        assert_eq!(
            loggable_path("/api/calendar/AbC-123_xyz.ics"),
            "/api/calendar/***.ics"
        );
    }

    /// Every form `Personnummer::parse_with_today` accepts is masked, whatever surrounds it.
    #[test]
    fn every_accepted_form_of_a_personnummer_is_masked() {
        use skolportal_shared::personnummer::Personnummer;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let forms = [
            "199003142388",
            "19900314-2388",
            "9003142388",
            "900314-2388",
            "900314+2388",
            "900314%2B2388",
            "900314%2b2388",
            " 900314-2388",
        ];
        for form in forms {
            let decoded = form.replace("%2B", "+").replace("%2b", "+");
            assert!(
                Personnummer::parse_with_today(&decoded, today).is_ok(),
                "{form} should be a personnummer form"
            );
            for path in [
                format!("/api/x/{form}"),
                format!("/api/x/{form}/y"),
                format!("/api/x?{form}"),
                format!("/{form}"),
            ] {
                let logged = loggable_path(&path);
                assert!(
                    !logged.contains("2388") && !logged.contains("900314"),
                    "{path} logged as {logged}"
                );
            }
        }
    }

    #[test]
    fn frame_ancestors_must_be_origins() {
        assert!(EdgeHeaders::new(&["https://www.kommun.se".into()], &[], false, false).is_ok());
        assert!(EdgeHeaders::new(&["https://x; script-src *".into()], &[], false, false).is_err());
    }
}
