//! Request body limits. Every operation takes small JSON (a few hundred bytes to a few KB), so
//! a body is refused with 413 above the limit for its operation, before more of it is read:
//! a declared `Content-Length` over the limit is refused unread, and a body without one
//! (chunked) is read only up to the limit. Without this, 32 anonymous 30 MB login bodies took
//! the server from 270 MB to 1.1 GB.

use poem::http::{header, Method};
use poem::{Body, Request};
use tokio::io::AsyncReadExt;

/// Bodies of the write operations: the largest (a week's schedule, an income statement, an
/// application with three units) are well under 2 KB.
pub const WRITE_LIMIT: usize = 8 * 1024;
/// Login and password forms: a username and one or two passwords.
pub const CREDENTIALS_LIMIT: usize = 1024;

/// The most a request to `path` with `method` may carry; `None` for operations that take no
/// body, which never read one (a body sent with them is never buffered).
pub fn limit_for(method: &Method, path: &str) -> Option<usize> {
    if matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::DELETE
    ) {
        return None;
    }
    Some(match path {
        "/api/auth/password" | "/api/auth/password/form" | "/api/me/password" => CREDENTIALS_LIMIT,
        p if p.starts_with("/api/") => WRITE_LIMIT,
        // The SPA's paths are read, never written.
        _ => 0,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the request body could not be read: {0}")]
    Unreadable(#[from] std::io::Error),
}

/// Reads the body of `req` up to `limit` bytes and puts it back; refuses a larger one without
/// reading further.
pub async fn enforce(req: &mut Request, limit: usize) -> Result<(), BodyError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => return Err(BodyError::TooLarge { limit }),
        // A body with a length within the limit: hyper stops at that length.
        Some(_) => return Ok(()),
        None if !req.headers().contains_key(header::TRANSFER_ENCODING) => return Ok(()),
        None => {}
    }
    let mut buffer = Vec::with_capacity(limit.min(4096));
    let read = req
        .take_body()
        .into_async_read()
        .take(limit as u64 + 1)
        .read_to_end(&mut buffer)
        .await?;
    if read > limit {
        return Err(BodyError::TooLarge { limit });
    }
    req.set_body(Body::from(buffer));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_take_no_body_and_writes_a_few_kilobytes() {
        assert_eq!(limit_for(&Method::GET, "/api/children"), None);
        assert_eq!(limit_for(&Method::POST, "/api/auth/password"), Some(1024));
        assert_eq!(
            limit_for(&Method::PUT, "/api/childcare/children/x/schedule"),
            Some(8192)
        );
        assert_eq!(limit_for(&Method::POST, "/index.html"), Some(0));
    }
}
