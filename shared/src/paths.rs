//! The addresses a login returns to, and the query values that carry them: one rule for the
//! server's login page, the BankID flow and the apps, because a return address that any one of
//! them let through would be an open redirect.

/// `path` if it is a page of this site to return to after login: a path (`/…`, not `//host`),
/// no backslash, whitespace or control character anywhere (browsers read `/\evil` as `//evil`,
/// and drop tabs and line breaks from a URL, so `/\t/evil` would become `//evil` too), at most
/// 512 bytes, not the API and not the login page itself.
pub fn safe_return_to(path: &str) -> Option<&str> {
    let page = path.split(['?', '#']).next().unwrap_or_default();
    let plain = path
        .chars()
        .all(|c| c != '\\' && !c.is_whitespace() && !c.is_control());
    let on_this_site = path.starts_with('/') && !path.starts_with("//");
    (on_this_site && plain && path.len() <= 512 && !page.starts_with("/api/") && page != "/login")
        .then_some(path)
}

/// `value` for a query string: every byte but letters, digits and `-._~/` as `%XX`.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The value of a query string's `%XX` escapes (`+` as a space); `None` if they are not UTF-8.
pub fn decode_query_value(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = value.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_of_this_site_are_returned_to() {
        for good in [
            "/barnomsorg/erbjudanden",
            "/handlaggare/dokument?typ=income_statement",
            "/personal/elev/00000000-0000-0000-0000-000000000001",
            "/barnomsorg?från=2026-01-01",
        ] {
            assert_eq!(safe_return_to(good), Some(good));
        }
        for bad in [
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "http://evil.example/",
            "https:evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/api/auth/logout",
            "/login",
            "/login?return_to=/x",
        ] {
            assert_eq!(safe_return_to(bad), None, "{bad:?}");
        }
        assert_eq!(safe_return_to(&format!("/{}", "a".repeat(600))), None);
    }

    #[test]
    fn query_values_round_trip() {
        let path = "/handlaggare/dokument?typ=income&från=2026-01-01";
        let encoded = encode_query_value(path);
        assert!(!encoded.contains(['?', '&', '=']), "{encoded}");
        assert_eq!(decode_query_value(&encoded).as_deref(), Some(path));
        assert_eq!(decode_query_value("a+b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(decode_query_value("%zz"), None);
        assert_eq!(decode_query_value("%"), None);
        assert_eq!(decode_query_value("%FF"), None);
    }
}
