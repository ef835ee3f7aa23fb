//! The password policy in one place, so the form in the browser and the server apply exactly the same rules.
//!
//! A password needs at least [`MIN_CHARS`] characters, at most [`MAX_CHARS`] (a bound for hashing),
//! at least one upper-case letter (Å, Ä and Ö count) and at least one digit 0–9. Lengths are counted
//! in characters (Unicode scalar values), not bytes.
//!
//! The policy is for choosing a new password. A login must check the password the person actually
//! has against its hash, not against today's policy.

use std::fmt;

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 8;
/// Most characters a password may have; keeps the input to the hash function bounded.
pub const MAX_CHARS: usize = 256;

/// A password that satisfies the policy. Built only by [`Password::parse`].
///
/// `Debug` prints `Password(***)`; there is no `Display`, and it is not serializable.
#[derive(Clone)]
pub struct Password(String);

/// One rule of the policy that a candidate password breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort,
    /// No upper-case letter.
    NoUppercase,
    /// No digit 0–9.
    NoDigit,
    /// More than [`MAX_CHARS`] characters.
    TooLong,
}

/// Every rule a candidate password breaks (never empty when returned by [`Password::parse`]), in
/// the order of [`PasswordProblem`]'s variants, so a form can show them all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the password does not meet the policy: {}", describe(&self.problems))]
pub struct PasswordError {
    pub problems: Vec<PasswordProblem>,
}

impl Password {
    /// Accepts `candidate` exactly as given (no trimming) if it breaks no rule of the policy.
    pub fn parse(candidate: &str) -> Result<Self, PasswordError> {
        let problems = check(candidate);
        if problems.is_empty() {
            Ok(Self(candidate.to_owned()))
        } else {
            Err(PasswordError { problems })
        }
    }

    /// The password itself, for hashing.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PasswordError {
    /// Whether `problem` is among the problems.
    pub fn has(&self, problem: PasswordProblem) -> bool {
        self.problems.contains(&problem)
    }
}

/// The rules `candidate` breaks, in the order of [`PasswordProblem`]'s variants; empty if it is
/// acceptable. Cheap enough to call on every keystroke.
pub fn check(candidate: &str) -> Vec<PasswordProblem> {
    let chars = candidate.chars().count();
    let mut problems = Vec::new();
    if chars < MIN_CHARS {
        problems.push(PasswordProblem::TooShort);
    }
    if !candidate.chars().any(char::is_uppercase) {
        problems.push(PasswordProblem::NoUppercase);
    }
    if !candidate.chars().any(|c| c.is_ascii_digit()) {
        problems.push(PasswordProblem::NoDigit);
    }
    if chars > MAX_CHARS {
        problems.push(PasswordProblem::TooLong);
    }
    problems
}

fn describe(problems: &[PasswordProblem]) -> String {
    problems
        .iter()
        .map(PasswordProblem::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl fmt::Display for PasswordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort => write!(f, "it must have at least {MIN_CHARS} characters"),
            Self::NoUppercase => f.write_str("it must contain an upper-case letter"),
            Self::NoDigit => f.write_str("it must contain a digit"),
            Self::TooLong => write!(f, "it may have at most {MAX_CHARS} characters"),
        }
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use PasswordProblem::*;

    #[test]
    fn a_good_password_passes() {
        assert_eq!(check("Hemligt1"), vec![]);
        let password = Password::parse("Hemligt1").unwrap();
        assert_eq!(password.as_str(), "Hemligt1");
    }

    #[test]
    fn swedish_upper_case_letters_count() {
        assert_eq!(check("Åsa12345"), vec![]);
        assert!(Password::parse("Åsa12345").is_ok());
        assert!(Password::parse("ärÖ12345").is_ok());
        assert_eq!(
            Password::parse("åsa12345").unwrap_err().problems,
            vec![NoUppercase]
        );
    }

    #[test]
    fn too_short() {
        assert_eq!(check("Abcdef1"), vec![TooShort]);
        assert_eq!(check("Abcdefg1"), vec![]);
    }

    #[test]
    fn no_uppercase() {
        assert_eq!(check("abcdefg1"), vec![NoUppercase]);
    }

    #[test]
    fn no_digit() {
        assert_eq!(check("Abcdefgh"), vec![NoDigit]);
        // Only 0–9 count as digits.
        assert_eq!(check("Abcdefg٣"), vec![NoDigit]);
        assert_eq!(check("Abcdefg²"), vec![NoDigit]);
    }

    #[test]
    fn too_long() {
        let longest = format!("A1{}", "x".repeat(MAX_CHARS - 2));
        assert_eq!(check(&longest), vec![]);
        let too_long = format!("A1{}", "x".repeat(MAX_CHARS - 1));
        assert_eq!(check(&too_long), vec![TooLong]);
    }

    #[test]
    fn all_problems_are_reported_together() {
        assert_eq!(check(""), vec![TooShort, NoUppercase, NoDigit]);
        assert_eq!(check("abc"), vec![TooShort, NoUppercase, NoDigit]);
        assert_eq!(
            check(&"x".repeat(MAX_CHARS + 1)),
            vec![NoUppercase, NoDigit, TooLong]
        );
        let error = Password::parse("abc").unwrap_err();
        assert!(error.has(TooShort) && error.has(NoUppercase) && error.has(NoDigit));
        assert!(!error.has(TooLong));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 8 characters, 14 bytes.
        assert_eq!("ÅÄÖåäö12".len(), 14);
        assert_eq!(check("ÅÄÖåäö12"), vec![]);
        // 7 characters, 12 bytes: still too short.
        assert_eq!("ÅÄÖåä12".len(), 12);
        assert_eq!(check("ÅÄÖåä12"), vec![TooShort]);
        // 256 characters but 511 bytes: not too long.
        let wide = format!("Ä1{}", "ö".repeat(MAX_CHARS - 2));
        assert_eq!(wide.len(), 2 * MAX_CHARS - 1);
        assert_eq!(check(&wide), vec![]);
        let wider = format!("Ä1{}", "ö".repeat(MAX_CHARS - 1));
        assert_eq!(check(&wider), vec![TooLong]);
    }

    #[test]
    fn password_is_kept_exactly_as_typed() {
        let password = Password::parse("  Mellanslag 9 ").unwrap();
        assert_eq!(password.as_str(), "  Mellanslag 9 ");
    }

    #[test]
    fn debug_does_not_show_the_password() {
        let password = Password::parse("Hemligt1").unwrap();
        assert_eq!(format!("{password:?}"), "Password(***)");
        assert!(!format!("{:#?}", Some(password)).contains("Hemligt1"));
    }

    #[test]
    fn error_message_lists_the_problems_but_not_the_password() {
        let error = Password::parse("hemlis").unwrap_err();
        let message = error.to_string();
        assert!(!message.contains("hemlis"), "{message}");
        assert!(message.contains("at least 8 characters"), "{message}");
        assert!(message.contains("upper-case"), "{message}");
        assert!(message.contains("digit"), "{message}");
        assert!(!format!("{error:?}").contains("hemlis"));
    }
}
