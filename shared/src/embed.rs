//! Embedding the portal in the municipality's website: which origins may frame it, and the
//! names the embedded page and its parent agree on. An origin is a setting the administrator
//! types, and it becomes part of the Content-Security-Policy header, so it is parsed strictly
//! here and written back in one canonical form (`https://www.kommun.se`, `http://x.localhost:8080`).

/// The query parameter that turns on embed mode (no header or footer, the height to the parent).
pub const EMBED_PARAM: &str = "embed";

/// The `type` of the message that tells the parent page the embedded page's height.
pub const HEIGHT_MESSAGE: &str = "skolportal:height";

/// The most origins a municipality lists; more would only lengthen every page's header.
pub const MAX_FRAME_ORIGINS: usize = 20;

/// Why a typed origin was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    #[error("an origin is a scheme and a host, such as https://www.kommun.se")]
    NotAnOrigin,
    /// Plain `http` is allowed only for this machine (`localhost`, `*.localhost`, `127.0.0.1`),
    /// which browsers treat as secure; anywhere else a page could be altered on the way.
    #[error("an origin must use https (http only on localhost)")]
    NotHttps,
    #[error("an origin has no path, query or fragment")]
    HasPath,
    #[error("at most {MAX_FRAME_ORIGINS} origins")]
    TooMany,
}

/// `typed` as a canonical origin: lower case, no trailing slash, the port kept unless it is the
/// scheme's default.
pub fn parse_origin(typed: &str) -> Result<String, OriginError> {
    let typed = typed.trim().trim_end_matches('/');
    let (scheme, rest) = typed.split_once("://").ok_or(OriginError::NotAnOrigin)?;
    let scheme = scheme.to_ascii_lowercase();
    if rest.contains(['/', '?', '#']) {
        return Err(OriginError::HasPath);
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => {
            let port: u16 = port.parse().map_err(|_| OriginError::NotAnOrigin)?;
            (host, Some(port))
        }
        None => (rest, None),
    };
    let host = host.to_ascii_lowercase();
    let valid_host = !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !valid_host {
        return Err(OriginError::NotAnOrigin);
    }
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" if is_loopback(&host) => 80,
        "http" => return Err(OriginError::NotHttps),
        _ => return Err(OriginError::NotAnOrigin),
    };
    Ok(match port {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// The origins typed one per line (or separated by spaces or commas), canonical and each once.
pub fn parse_origins(typed: &[String]) -> Result<Vec<String>, OriginError> {
    let mut out: Vec<String> = Vec::new();
    for one in typed
        .iter()
        .flat_map(|t| t.split([' ', ',', '\n', '\r', '\t']))
        .filter(|t| !t.trim().is_empty())
    {
        let origin = parse_origin(one)?;
        if !out.contains(&origin) {
            out.push(origin);
        }
    }
    if out.len() > MAX_FRAME_ORIGINS {
        return Err(OriginError::TooMany);
    }
    Ok(out)
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost") || host == "127.0.0.1"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_written_back_canonical() {
        assert_eq!(
            parse_origin(" HTTPS://www.Kommun.se/ "),
            Ok("https://www.kommun.se".into())
        );
        assert_eq!(
            parse_origin("https://www.kommun.se:443"),
            Ok("https://www.kommun.se".into())
        );
        assert_eq!(
            parse_origin("http://www.solvik.localhost:8080"),
            Ok("http://www.solvik.localhost:8080".into())
        );
        assert_eq!(
            parse_origin("http://127.0.0.1:3000"),
            Ok("http://127.0.0.1:3000".into())
        );
    }

    #[test]
    fn anything_but_an_origin_is_refused() {
        assert_eq!(
            parse_origin("http://www.kommun.se"),
            Err(OriginError::NotHttps)
        );
        assert_eq!(
            parse_origin("https://www.kommun.se/skola"),
            Err(OriginError::HasPath)
        );
        assert_eq!(parse_origin("www.kommun.se"), Err(OriginError::NotAnOrigin));
        assert_eq!(
            parse_origin("https://*.kommun.se"),
            Err(OriginError::NotAnOrigin)
        );
        assert_eq!(
            parse_origin("https://kommun.se;script-src"),
            Err(OriginError::NotAnOrigin)
        );
        assert_eq!(
            parse_origin("javascript://x"),
            Err(OriginError::NotAnOrigin)
        );
        assert_eq!(
            parse_origin("https://kommun.se:99999"),
            Err(OriginError::NotAnOrigin)
        );
    }

    #[test]
    fn a_list_is_split_and_deduplicated() {
        let typed = vec!["https://a.se\nhttps://b.se, https://a.se/".to_owned()];
        assert_eq!(
            parse_origins(&typed),
            Ok(vec!["https://a.se".into(), "https://b.se".into()])
        );
        let many: Vec<String> = (0..21).map(|i| format!("https://s{i}.se")).collect();
        assert_eq!(parse_origins(&many), Err(OriginError::TooMany));
    }
}
