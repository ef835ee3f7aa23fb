//! Crypto-shredding for the append-only tables (`access_log`, `signature_evidence`): the format
//! of what they store about a person, kept beside the schema that stores it, because the
//! migration that converted the old rows must write exactly what the server reads, forever.
//!
//! Each person who appears in those tables has one `person_key` row: a random `pseudonym` (what
//! the rows name instead of the person's id) and a random 256-bit `secret`. A signature's
//! personal fields are sealed with AES-256-GCM under a key derived from the secrets of every
//! person the signed document concerns. Deleting a person's `person_key` row (which
//! `population::forget` does) leaves their pseudonym pointing nowhere and every sealed field
//! that needed their secret unopenable, while the rows themselves stay as the law and the
//! append-only triggers want.
//!
//! Format `v1`: `v1.` + base64url(nonce ‖ ciphertext ‖ tag); the data key is
//! HMAC-SHA256(secret₁ ‖ … ‖ secretₙ, `DOMAIN` ‖ row id); the associated data is the row id
//! ‖ the document id, so a sealed value cannot be moved to another row.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// Length of a person's secret in bytes.
pub const SECRET_LEN: usize = 32;
const NONCE_LEN: usize = 12;
const PREFIX: &str = "v1.";
const DOMAIN: &[u8] = b"skolportal/signature_evidence/v1";

/// Why a sealed value could not be opened. Carries no data: it is about unreadable rows.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("a person's key is malformed")]
    BadKey,
    #[error("the sealed value is malformed")]
    Malformed,
    #[error("the sealed value does not open with these keys")]
    WrongKeys,
}

/// A new random secret, base64 (the `person_key.secret` column).
pub fn new_secret() -> String {
    let key = Aes256Gcm::generate_key(OsRng);
    STANDARD.encode(key.as_slice())
}

/// A secret read back from `person_key.secret`.
pub fn decode_secret(stored: &str) -> Result<[u8; SECRET_LEN], SealError> {
    let bytes = STANDARD.decode(stored).map_err(|_| SealError::BadKey)?;
    bytes.try_into().map_err(|_| SealError::BadKey)
}

fn data_key(secrets: &[[u8; SECRET_LEN]], row_id: Uuid) -> Result<Aes256Gcm, SealError> {
    if secrets.is_empty() {
        return Err(SealError::BadKey);
    }
    let ikm: Vec<u8> = secrets.iter().flatten().copied().collect();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&ikm).map_err(|_| SealError::BadKey)?;
    mac.update(DOMAIN);
    mac.update(row_id.as_bytes());
    let key = mac.finalize().into_bytes();
    Aes256Gcm::new_from_slice(&key).map_err(|_| SealError::BadKey)
}

fn aad(row_id: Uuid, document_id: Uuid) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(row_id.as_bytes());
    out[16..].copy_from_slice(document_id.as_bytes());
    out
}

/// Seals `plaintext` for the row `row_id` (about `document_id`) under every one of `secrets`.
pub fn seal(
    secrets: &[[u8; SECRET_LEN]],
    row_id: Uuid,
    document_id: Uuid,
    plaintext: &[u8],
) -> Result<String, SealError> {
    let cipher = data_key(secrets, row_id)?;
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: &aad(row_id, document_id),
            },
        )
        .map_err(|_| SealError::BadKey)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(out)))
}

/// Opens what `seal` wrote, with the same secrets in the same order.
pub fn open(
    secrets: &[[u8; SECRET_LEN]],
    row_id: Uuid,
    document_id: Uuid,
    sealed: &str,
) -> Result<Vec<u8>, SealError> {
    let body = sealed.strip_prefix(PREFIX).ok_or(SealError::Malformed)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| SealError::Malformed)?;
    if bytes.len() < NONCE_LEN {
        return Err(SealError::Malformed);
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    data_key(secrets, row_id)?
        .decrypt(
            aes_gcm::Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: &aad(row_id, document_id),
            },
        )
        .map_err(|_| SealError::WrongKeys)
}

/// The persons whose secrets seal a signature, in order: the signer, the document's owner, its
/// child, then the other persons its signed bytes name (an income statement's children), each
/// once. Forgetting any one of them makes the evidence unreadable, as it names them all.
pub fn concerned(
    signer: Uuid,
    owner: Option<Uuid>,
    child: Option<Uuid>,
    mut named: Vec<Uuid>,
) -> Vec<Uuid> {
    named.sort_unstable();
    let mut persons = vec![signer];
    for p in [owner, child].into_iter().flatten().chain(named) {
        if !persons.contains(&p) {
            persons.push(p);
        }
    }
    persons
}

/// Every string in a JSON document that is a uuid (candidates for persons it names). Bytes that
/// are not JSON name no one by id.
pub fn uuids_in_json(bytes: &str, out: &mut Vec<Uuid>) {
    fn walk(value: &serde_json::Value, out: &mut Vec<Uuid>) {
        match value {
            serde_json::Value::String(s) => {
                if let Ok(id) = Uuid::parse_str(s) {
                    out.push(id);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(bytes) {
        walk(&value, out);
    }
}

/// `key_refs` as stored: the pseudonyms whose secrets seal a row, in order.
pub fn join_refs(pseudonyms: &[Uuid]) -> String {
    pseudonyms
        .iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `key_refs` read back.
pub fn split_refs(stored: &str) -> Result<Vec<Uuid>, SealError> {
    stored
        .split(',')
        .map(|s| Uuid::parse_str(s).map_err(|_| SealError::Malformed))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn secret() -> [u8; SECRET_LEN] {
        decode_secret(&new_secret()).unwrap()
    }

    #[test]
    fn opens_with_every_key_and_not_without_one() {
        let (a, b) = (secret(), secret());
        let (row, doc) = (Uuid::new_v4(), Uuid::new_v4());
        let sealed = seal(&[a, b], row, doc, b"evidence").unwrap();
        assert_eq!(open(&[a, b], row, doc, &sealed).unwrap(), b"evidence");
        assert_eq!(open(&[a], row, doc, &sealed), Err(SealError::WrongKeys));
        assert_eq!(open(&[b, a], row, doc, &sealed), Err(SealError::WrongKeys));
        assert_eq!(
            open(&[a, secret()], row, doc, &sealed),
            Err(SealError::WrongKeys)
        );
    }

    #[test]
    fn a_sealed_value_belongs_to_its_row() {
        let a = secret();
        let (row, doc) = (Uuid::new_v4(), Uuid::new_v4());
        let sealed = seal(&[a], row, doc, b"evidence").unwrap();
        assert!(open(&[a], Uuid::new_v4(), doc, &sealed).is_err());
        assert!(open(&[a], row, Uuid::new_v4(), &sealed).is_err());
        assert_eq!(open(&[a], row, doc, "v2.xx"), Err(SealError::Malformed));
    }

    #[test]
    fn key_refs_round_trip() {
        let ids = vec![Uuid::new_v4(), Uuid::new_v4()];
        assert_eq!(split_refs(&join_refs(&ids)).unwrap(), ids);
    }
}
