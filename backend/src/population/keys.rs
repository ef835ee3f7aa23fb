//! Per-person keys for the append-only tables (crypto-shredding; ARCHITECTURE.md "Forgetting a
//! person"). The access log names people by pseudonym and a signature's personal fields are
//! sealed under the secrets of the people its document concerns; both live in `person_key`,
//! made here on first need. `population::forget` deletes a person's row, after which their
//! log lines point at no one and their signatures no longer open. The format is
//! `skolportal_migration::sealing`, shared with the migration that converted the old rows.
//!
//! Invariants: nothing but this module reads `person_key.secret`; a row that does not open is
//! left out of every answer, never shown half; errors carry no personal data.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use skolportal_migration::sealing::{self, SealError, SECRET_LEN};
use uuid::Uuid;

use crate::entity::{childcare_document, person, person_key, signature_evidence};

/// At most this many ids per statement (well under both databases' parameter limits).
const CHUNK: usize = 500;

async fn keys_of(
    db: &impl ConnectionTrait,
    persons: &[Uuid],
) -> Result<Vec<person_key::Model>, DbErr> {
    // Every logged read asks this: one statement text whatever the count (`db::is_in`).
    let backend = db.get_database_backend();
    let mut out = Vec::new();
    for chunk in persons.chunks(CHUNK) {
        out.extend(
            person_key::Entity::find()
                .filter(crate::db::is_in(
                    backend,
                    person_key::Column::PersonId,
                    chunk.iter().copied(),
                ))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// The rows of `persons`, made for those who have none yet.
async fn ensure_keys(
    db: &impl ConnectionTrait,
    persons: &[Uuid],
    now: DateTime<Utc>,
) -> Result<HashMap<Uuid, person_key::Model>, DbErr> {
    let mut persons = persons.to_vec();
    persons.sort_unstable();
    persons.dedup();
    let mut found: HashMap<Uuid, person_key::Model> = keys_of(db, &persons)
        .await?
        .into_iter()
        .map(|k| (k.person_id, k))
        .collect();
    let missing: Vec<Uuid> = persons
        .into_iter()
        .filter(|p| !found.contains_key(p))
        .collect();
    if missing.is_empty() {
        return Ok(found);
    }
    for chunk in missing.chunks(CHUNK) {
        let rows = chunk.iter().map(|p| person_key::ActiveModel {
            person_id: Set(*p),
            pseudonym: Set(Uuid::new_v4()),
            secret: Set(sealing::new_secret()),
            created_at: Set(now),
        });
        // Another request may make the same person's key at the same moment: theirs stands.
        person_key::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(person_key::Column::PersonId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    found.extend(
        keys_of(db, &missing)
            .await?
            .into_iter()
            .map(|k| (k.person_id, k)),
    );
    Ok(found)
}

/// The pseudonym of each of `persons`, made on first need (the access log writes these).
pub async fn pseudonyms(
    db: &impl ConnectionTrait,
    persons: &[Uuid],
    now: DateTime<Utc>,
) -> Result<HashMap<Uuid, Uuid>, DbErr> {
    Ok(ensure_keys(db, persons, now)
        .await?
        .into_iter()
        .map(|(p, k)| (p, k.pseudonym))
        .collect())
}

/// A person's pseudonym if they have one (none: nothing about them is in the log).
pub async fn pseudonym_of(db: &impl ConnectionTrait, person: Uuid) -> Result<Option<Uuid>, DbErr> {
    Ok(person_key::Entity::find_by_id(person)
        .one(db)
        .await?
        .map(|k| k.pseudonym))
}

/// A stored secret that does not decode is a damaged database, and reported as one (without
/// the value).
fn secret_of(key: &person_key::Model) -> Result<[u8; SECRET_LEN], DbErr> {
    sealing::decode_secret(&key.secret).map_err(seal_err)
}

fn seal_err(e: SealError) -> DbErr {
    DbErr::Custom(format!("sealed evidence: {e}"))
}

/// The evidence of one signature, as the signing flow has it (`bankid::signing`).
pub struct NewEvidence<'a> {
    pub document: &'a childcare_document::Model,
    pub signer_person_id: Uuid,
    pub personnummer: String,
    pub document_sha256: String,
    /// The ID token as received (the JWS).
    pub id_token: String,
    pub user_signature: String,
    pub acr: String,
    pub auth_time: DateTime<Utc>,
    pub signed_at: DateTime<Utc>,
}

/// The evidence of one signature, opened. Only for persons whose keys all exist.
#[derive(Clone)]
pub struct Evidence {
    pub id: Uuid,
    pub document_id: Uuid,
    pub signer_person_id: Uuid,
    pub personnummer: String,
    pub text_shown: String,
    pub document_bytes: String,
    pub document_sha256: String,
    pub id_token: String,
    pub user_signature: String,
    pub acr: String,
    pub auth_time: DateTime<Utc>,
    pub signed_at: DateTime<Utc>,
}

// Deliberately not derived: the evidence is personal data.
impl std::fmt::Debug for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evidence")
            .field("id", &self.id)
            .field("document_id", &self.document_id)
            .finish_non_exhaustive()
    }
}

/// The persons a document's signature concerns, whose keys seal it
/// (`skolportal_migration::sealing::concerned`): the signer, the owner, the child, and the
/// persons the signed bytes name by id (an income statement's children).
async fn concerned(
    db: &impl ConnectionTrait,
    signer: Uuid,
    document: &childcare_document::Model,
) -> Result<Vec<Uuid>, DbErr> {
    let mut candidates = Vec::new();
    sealing::uuids_in_json(&document.document_bytes, &mut candidates);
    candidates.sort_unstable();
    candidates.dedup();
    let mut named: Vec<Uuid> = Vec::new();
    for chunk in candidates.chunks(CHUNK) {
        named.extend(
            person::Entity::find()
                .select_only()
                .column(person::Column::Id)
                .filter(person::Column::Id.is_in(chunk.to_vec()))
                .into_tuple::<Uuid>()
                .all(db)
                .await?,
        );
    }
    Ok(sealing::concerned(
        signer,
        Some(document.owner_person_id),
        document.child_id,
        named,
    ))
}

/// Appends the evidence of a signature, sealed. A second signature by the same signer on the
/// same document is the unique index's violation, for the caller to recognise.
pub async fn insert_evidence(
    db: &impl ConnectionTrait,
    evidence: NewEvidence<'_>,
) -> Result<(), DbErr> {
    let document = evidence.document;
    let persons = concerned(db, evidence.signer_person_id, document).await?;
    let keys = ensure_keys(db, &persons, evidence.signed_at).await?;
    let mut refs = Vec::with_capacity(persons.len());
    let mut secrets = Vec::with_capacity(persons.len());
    for p in &persons {
        let key = keys
            .get(p)
            .ok_or_else(|| DbErr::Custom("person key missing after insert".to_owned()))?;
        refs.push(key.pseudonym);
        secrets.push(secret_of(key)?);
    }
    let id = Uuid::new_v4();
    let plain = serde_json::json!({
        "personnummer": evidence.personnummer,
        "text_shown": document.sign_text,
        "document_bytes": document.document_bytes,
        "document_sha256": evidence.document_sha256,
        "id_token": evidence.id_token,
        "user_signature": evidence.user_signature,
    });
    let sealed =
        sealing::seal(&secrets, id, document.id, plain.to_string().as_bytes()).map_err(seal_err)?;
    signature_evidence::Entity::insert(signature_evidence::ActiveModel {
        id: Set(id),
        municipality_id: Set(document.municipality_id),
        document_id: Set(document.id),
        signer_pseudonym: Set(refs[0]),
        key_refs: Set(sealing::join_refs(&refs)),
        sealed: Set(sealed),
        acr: Set(evidence.acr),
        auth_time: Set(evidence.auth_time),
        signed_at: Set(evidence.signed_at),
    })
    .exec_without_returning(db)
    .await
    .map(|_| ())
}

/// The sealed fields, as `insert_evidence` writes them.
#[derive(serde::Deserialize)]
struct Sealed {
    personnummer: String,
    text_shown: String,
    document_bytes: String,
    document_sha256: String,
    id_token: String,
    user_signature: String,
}

/// The signatures on `documents` that still open, oldest first. A signature some of whose
/// persons were forgotten is left out: nothing of it is readable any more. One whose keys all
/// exist but that does not open is a damaged database, and an error.
pub async fn evidence_of(
    db: &impl ConnectionTrait,
    documents: &[Uuid],
) -> Result<Vec<Evidence>, DbErr> {
    let mut rows = Vec::new();
    for chunk in documents.chunks(CHUNK) {
        rows.extend(
            signature_evidence::Entity::find()
                .filter(signature_evidence::Column::DocumentId.is_in(chunk.to_vec()))
                .order_by_asc(signature_evidence::Column::SignedAt)
                .all(db)
                .await?,
        );
    }
    rows.sort_by_key(|r| r.signed_at);
    let mut pseudonyms = Vec::new();
    let mut refs_of = Vec::with_capacity(rows.len());
    for row in &rows {
        let refs = sealing::split_refs(&row.key_refs).map_err(seal_err)?;
        pseudonyms.extend(refs.iter().copied());
        refs_of.push(refs);
    }
    pseudonyms.sort_unstable();
    pseudonyms.dedup();
    let mut keys: HashMap<Uuid, person_key::Model> = HashMap::new();
    for chunk in pseudonyms.chunks(CHUNK) {
        for key in person_key::Entity::find()
            .filter(person_key::Column::Pseudonym.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            keys.insert(key.pseudonym, key);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for (row, refs) in rows.into_iter().zip(refs_of) {
        // A key gone is a person forgotten: the row is shredded, and left out.
        let Some(found) = refs
            .iter()
            .map(|r| keys.get(r))
            .collect::<Option<Vec<&person_key::Model>>>()
        else {
            continue;
        };
        let Some(signer) = found.first().map(|k| k.person_id) else {
            continue;
        };
        let secrets = found
            .iter()
            .map(|k| secret_of(k))
            .collect::<Result<Vec<_>, _>>()?;
        // Every key there and still no opening is a damaged row: an error, never a guess.
        let plain =
            sealing::open(&secrets, row.id, row.document_id, &row.sealed).map_err(seal_err)?;
        let fields: Sealed = serde_json::from_slice(&plain)
            .map_err(|_| DbErr::Custom("a sealed signature is not readable".to_owned()))?;
        out.push(Evidence {
            id: row.id,
            document_id: row.document_id,
            signer_person_id: signer,
            personnummer: fields.personnummer,
            text_shown: fields.text_shown,
            document_bytes: fields.document_bytes,
            document_sha256: fields.document_sha256,
            id_token: fields.id_token,
            user_signature: fields.user_signature,
            acr: row.acr,
            auth_time: row.auth_time,
            signed_at: row.signed_at,
        });
    }
    Ok(out)
}

/// Whether `person` has signed `document` (no key: they have signed nothing).
pub async fn has_signed(
    db: &impl ConnectionTrait,
    document: Uuid,
    person: Uuid,
) -> Result<bool, DbErr> {
    let Some(pseudonym) = pseudonym_of(db, person).await? else {
        return Ok(false);
    };
    Ok(signature_evidence::Entity::find()
        .filter(signature_evidence::Column::DocumentId.eq(document))
        .filter(signature_evidence::Column::SignerPseudonym.eq(pseudonym))
        .one(db)
        .await?
        .is_some())
}
