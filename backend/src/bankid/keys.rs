//! The portal's key pair (EC P-256, ES256). The private key signs `private_key_jwt` client
//! assertions and sign requests; the public half is served as a JWKS for the broker to verify them.

use std::path::Path;

use argon2::password_hash::rand_core::OsRng;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the portal's signing key at {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write a new signing key at {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("the portal's signing key at {0} is not an EC P-256 PKCS#8 PEM key")]
    Parse(String),
    #[error("no signing key at {0} and generating one is turned off")]
    Missing(String),
}

#[derive(Clone)]
pub struct PortalKey {
    signing: SigningKey,
    kid: String,
}

impl std::fmt::Debug for PortalKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl PortalKey {
    pub fn load_or_generate(path: &Path, generate: bool) -> Result<Self, KeyError> {
        let shown = path.display().to_string();
        if !path.exists() {
            if !generate {
                return Err(KeyError::Missing(shown));
            }
            let key = SigningKey::random(&mut OsRng);
            let pem = key
                .to_pkcs8_pem(LineEnding::LF)
                .map_err(|_| KeyError::Parse(shown.clone()))?;
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| KeyError::Write {
                    path: shown.clone(),
                    source,
                })?;
            }
            write_private(path, pem.as_bytes()).map_err(|source| KeyError::Write {
                path: shown.clone(),
                source,
            })?;
            tracing::warn!(path = %shown, "generated a development signing key for BankID");
        }
        let pem = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
            path: shown.clone(),
            source,
        })?;
        let signing = SigningKey::from_pkcs8_pem(&pem).map_err(|_| KeyError::Parse(shown))?;
        Ok(Self::from_signing_key(signing))
    }

    pub fn from_signing_key(signing: SigningKey) -> Self {
        let point = signing.verifying_key().to_encoded_point(false);
        // RFC 7638-style thumbprint over the public point: stable across restarts.
        let kid = b64(&Sha256::digest(point.as_bytes())[..16]);
        Self { signing, kid }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK set.
    pub fn jwks(&self) -> serde_json::Value {
        let point = self.signing.verifying_key().to_encoded_point(false);
        let x = point.x().map(|x| b64(x)).unwrap_or_default();
        let y = point.y().map(|y| b64(y)).unwrap_or_default();
        serde_json::json!({
            "keys": [{
                "kty": "EC", "crv": "P-256", "x": x, "y": y,
                "use": "sig", "alg": "ES256", "kid": self.kid,
            }]
        })
    }

    /// A compact JWS (ES256) over `claims`.
    pub fn sign_jwt(&self, claims: &serde_json::Value) -> String {
        let header = serde_json::json!({"alg": "ES256", "typ": "JWT", "kid": self.kid});
        let signing_input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let signature: Signature = self.signing.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", b64(&signature.to_bytes()))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::VerifyingKey;

    #[test]
    fn a_generated_key_is_reloaded_with_the_same_kid_and_signs_verifiable_jwts() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k.pem");
        let first = PortalKey::load_or_generate(&path, true).expect("generate");
        let again = PortalKey::load_or_generate(&path, false).expect("reload");
        assert_eq!(first.kid(), again.kid());
        let jwt = first.sign_jwt(&serde_json::json!({"iss": "skolportal"}));
        let (input, sig) = jwt.rsplit_once('.').expect("three parts");
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(sig)
            .expect("b64");
        let sig = Signature::from_slice(&sig).expect("signature");
        let vk: VerifyingKey = *first.signing.verifying_key();
        assert!(vk.verify(input.as_bytes(), &sig).is_ok());
        assert_eq!(first.jwks()["keys"][0]["kid"], first.kid());
    }

    #[test]
    fn a_missing_key_is_an_error_when_generation_is_off() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(matches!(
            PortalKey::load_or_generate(&dir.path().join("none.pem"), false),
            Err(KeyError::Missing(_))
        ));
    }
}
