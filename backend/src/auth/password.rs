//! Argon2id with the crate's defaults (OWASP's recommended minimum: 19 MiB, 2 passes). The policy a
//! new password must meet is `skolportal_shared::password`, shared with the form.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use skolportal_shared::Password;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(pub String);

pub fn hash(password: &Password) -> Result<String, HashError> {
    hash_secret(password.as_str())
}

/// Argon2id of any secret a person types (a password, the kiosk's PIN).
pub fn hash_secret(secret: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// False for a wrong password and for a stored hash that does not parse.
pub fn verify(candidate: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let pw = Password::parse("Solvik2026").expect("valid");
        let h = hash(&pw).expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Solvik2026", &h));
        assert!(!verify("solvik2026", &h));
        assert!(!verify("Solvik2026", "not a hash"));
    }
}
