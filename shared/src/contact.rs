//! Contact details a guardian edits: e-mail and phone. The same checks run in the form and on the
//! server. Empty means "remove".

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("not a valid e-mail address")]
    InvalidEmail,
    #[error("not a valid phone number")]
    InvalidPhone,
}

/// An e-mail address of the plain `local@domain.tld` shape (no comments, no quoted parts).
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Self, ContactError> {
        let value = value.trim();
        let (local, domain) = value.split_once('@').ok_or(ContactError::InvalidEmail)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if value.len() > 254 || !local_ok || !domain_ok {
            return Err(ContactError::InvalidEmail);
        }
        Ok(Self(value.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(***)")
    }
}

/// A phone number: digits with optional spaces, hyphens and a leading `+`; 7 to 15 digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(value: &str) -> Result<Self, ContactError> {
        let value = value.trim();
        let rest = value.strip_prefix('+').unwrap_or(value);
        let allowed = rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-');
        let digits = rest.chars().filter(char::is_ascii_digit).count();
        if value.len() > 32 || !allowed || !(7..=15).contains(&digits) {
            return Err(ContactError::InvalidPhone);
        }
        Ok(Self(value.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phone(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_pass() {
        for ok in [
            "anna@example.com",
            "a.b+c@skola.solvik.se",
            "åsa@exempel.se",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn broken_addresses_fail() {
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "an na@example.com",
            "a@-x.se",
            "a@x..se",
        ] {
            assert_eq!(Email::parse(bad), Err(ContactError::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn phones() {
        for ok in ["070-174 06 05", "+46 70 174 06 05", "08123456"] {
            assert!(Phone::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "12345",
            "070-abc",
            "+46 70 174 06 05 12 34 56",
            "++4670",
        ] {
            assert_eq!(Phone::parse(bad), Err(ContactError::InvalidPhone), "{bad}");
        }
    }
}
