//! Crypto-shredding for the append-only tables (`sealing` describes the format).
//!
//! - `person_key`: one row per person who appears in `access_log` or `signature_evidence`
//!   (created on first need): a random pseudonym and a random secret. Deleted with the person.
//! - `access_log`: `actor_person_id`/`subject_person_id` become `actor_pseudonym` and
//!   `subject_pseudonym`; the log is read by joining `person_key`.
//! - `signature_evidence`: `signer_person_id` becomes `signer_pseudonym`, and the personal
//!   fields (personnummer, text shown, document bytes and their SHA-256, the ID token, the
//!   userSignature) one `sealed` value under the secrets of the signer, the document's owner,
//!   its child and the persons its bytes name by id (`key_refs` names their pseudonyms in
//!   order; `sealing::concerned`).
//!
//! Both tables are append-only, so this migration drops their triggers, rebuilds each table
//! with its existing rows converted, and creates the triggers again (`make_append_only`), all
//! inside the migration. A person already deleted before this migration gets a pseudonym that
//! is stored nowhere, and their sealed fields a throwaway secret: unreadable from the start.
//!
//! `down` refuses: going back would mean writing every readable signature in clear again, and
//! a forgotten person's rows cannot be restored at all.

use std::collections::HashMap;

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::sealing;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum PersonKey {
    Table,
    PersonId,
    Pseudonym,
    Secret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}

/// Every person id either table names (signers, actors, subjects, documents' owners and
/// children).
const REFERENCED: &str = "SELECT actor_person_id AS id FROM access_log \
     UNION SELECT subject_person_id FROM access_log \
     UNION SELECT signer_person_id FROM signature_evidence \
     UNION SELECT d.owner_person_id FROM signature_evidence e \
       JOIN childcare_document d ON d.id = e.document_id \
     UNION SELECT d.child_id FROM signature_evidence e \
       JOIN childcare_document d ON d.id = e.document_id WHERE d.child_id IS NOT NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PersonKey::Table)
                    .col(
                        ColumnDef::new(PersonKey::PersonId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PersonKey::Pseudonym).uuid().not_null())
                    .col(ColumnDef::new(PersonKey::Secret).string_len(64).not_null())
                    .col(
                        ColumnDef::new(PersonKey::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // Deleting a person in any way destroys their key with them.
                    .foreign_key(&mut crate::fk_cascade(
                        "fk_person_key_person",
                        (PersonKey::Table, PersonKey::PersonId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_person_key_pseudonym")
                    .table(PersonKey::Table)
                    .col(PersonKey::Pseudonym)
                    .unique()
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let ids = |sql: String| async move {
            db.query_all(Statement::from_string(backend, sql))
                .await?
                .iter()
                .map(|row| row.try_get::<Uuid>("", "id"))
                .collect::<Result<Vec<_>, _>>()
        };
        let evidence = db
            .query_all(Statement::from_string(
                backend,
                "SELECT e.id, e.municipality_id, e.document_id, e.signer_person_id, \
                 e.personnummer, e.text_shown, e.document_bytes, e.document_sha256, e.id_token, \
                 e.user_signature, e.acr, e.auth_time, e.signed_at, d.owner_person_id, d.child_id \
                 FROM signature_evidence e LEFT JOIN childcare_document d ON d.id = e.document_id",
            ))
            .await?;
        let mut referenced = ids(REFERENCED.to_owned()).await?;
        // Ids in the signed bytes may be persons (an income statement's children): those
        // that are persons seal the evidence too, as `population::keys` does.
        let mut candidates = Vec::new();
        for row in &evidence {
            sealing::uuids_in_json(
                &row.try_get::<String>("", "document_bytes")?,
                &mut candidates,
            );
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut living: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
        for chunk in referenced.chunks(500).chain(candidates.chunks(500)) {
            let list = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT id FROM person WHERE id IN ({list})");
            let sql = match backend {
                DbBackend::Postgres => sql,
                _ => sql.replace('$', "?"),
            };
            for row in db
                .query_all(Statement::from_sql_and_values(
                    backend,
                    sql,
                    chunk.iter().map(|id| Value::from(*id)),
                ))
                .await?
            {
                living.insert(row.try_get::<Uuid>("", "id")?);
            }
        }
        referenced.extend(candidates.into_iter().filter(|c| living.contains(c)));
        referenced.sort_unstable();
        referenced.dedup();
        // pseudonym and secret of every id; only the living get a stored key.
        let mut keys: HashMap<Uuid, (Uuid, String)> = HashMap::new();
        let now = chrono_now(backend);
        for chunk in referenced.chunks(500) {
            let mut insert = Query::insert();
            insert.into_table(PersonKey::Table).columns([
                PersonKey::PersonId,
                PersonKey::Pseudonym,
                PersonKey::Secret,
                PersonKey::CreatedAt,
            ]);
            let mut any = false;
            for id in chunk {
                let key = (Uuid::new_v4(), sealing::new_secret());
                if living.contains(id) {
                    insert
                        .values([
                            (*id).into(),
                            key.0.into(),
                            key.1.clone().into(),
                            Expr::cust(now),
                        ])
                        .map_err(query_err)?;
                    any = true;
                }
                keys.insert(*id, key);
            }
            if any {
                manager.exec_stmt(insert).await?;
            }
        }

        convert_access_log(manager, &keys).await?;
        convert_signature_evidence(manager, &keys, evidence).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "m20261213_000100_person_keys cannot be undone: it would write sealed personal data \
             in clear again"
                .to_owned(),
        ))
    }
}

fn chrono_now(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "CURRENT_TIMESTAMP",
        // The text form sea-orm writes and reads for a timestamp with time zone on SQLite.
        _ => "strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')",
    }
}

async fn drop_append_only(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => format!(
            "DROP TRIGGER IF EXISTS {table}_no_update ON {table}; \
             DROP TRIGGER IF EXISTS {table}_no_change ON {table}; \
             DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}; \
             DROP FUNCTION IF EXISTS {table}_is_append_only();"
        ),
        _ => format!(
            "DROP TRIGGER IF EXISTS {table}_no_update; DROP TRIGGER IF EXISTS {table}_no_delete;"
        ),
    };
    db.execute_unprepared(&sql).await.map(|_| ())
}

#[derive(DeriveIden)]
enum AccessLogV2 {
    Table,
    Id,
    MunicipalityId,
    OccurredAt,
    ActorPseudonym,
    SubjectPseudonym,
    Action,
    SessionId,
}

async fn convert_access_log(
    manager: &SchemaManager<'_>,
    keys: &HashMap<Uuid, (Uuid, String)>,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    drop_append_only(manager, "access_log").await?;
    manager
        .create_table(
            Table::create()
                .table(AccessLogV2::Table)
                .col(crate::id_col(AccessLogV2::Id))
                .col(
                    ColumnDef::new(AccessLogV2::MunicipalityId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AccessLogV2::OccurredAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                // No foreign keys: a pseudonym outlives its key (that is the point).
                .col(
                    ColumnDef::new(AccessLogV2::ActorPseudonym)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AccessLogV2::SubjectPseudonym)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(AccessLogV2::Action)
                        .string_len(64)
                        .not_null(),
                )
                .col(ColumnDef::new(AccessLogV2::SessionId).string_len(64))
                .to_owned(),
        )
        .await?;
    // The map from person to pseudonym, for one INSERT … SELECT whatever the log's size (a
    // plain table, dropped below: a temporary one lives on one pooled connection only).
    db.execute_unprepared(
        "CREATE TABLE access_log_pseudonym_map (person_id uuid PRIMARY KEY, pseudonym uuid NOT NULL)",
    )
    .await?;
    let backend = db.get_database_backend();
    let entries: Vec<(&Uuid, &(Uuid, String))> = keys.iter().collect();
    for chunk in entries.chunks(500) {
        let mut values = Vec::new();
        let mut rows = Vec::new();
        for (i, (id, (pseudonym, _))) in chunk.iter().enumerate() {
            rows.push(format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
            values.push(Value::from(**id));
            values.push(Value::from(*pseudonym));
        }
        let sql = format!(
            "INSERT INTO access_log_pseudonym_map (person_id, pseudonym) VALUES {}",
            rows.join(", ")
        );
        let sql = match backend {
            DbBackend::Postgres => sql,
            _ => sql.replace('$', "?"),
        };
        db.execute(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    db.execute_unprepared(
        "INSERT INTO access_log_v2 (id, municipality_id, occurred_at, actor_pseudonym, \
         subject_pseudonym, action, session_id) \
         SELECT a.id, a.municipality_id, a.occurred_at, ma.pseudonym, ms.pseudonym, a.action, \
         a.session_id FROM access_log a \
         JOIN access_log_pseudonym_map ma ON ma.person_id = a.actor_person_id \
         JOIN access_log_pseudonym_map ms ON ms.person_id = a.subject_person_id",
    )
    .await?;
    // One batch, so one connection: a pooled SQLite connection whose schema is older than the
    // DROP would refuse the RENAME, the index and the triggers ("already exists").
    db.execute_unprepared(&format!(
        "DROP TABLE access_log_pseudonym_map; DROP TABLE access_log; \
         ALTER TABLE access_log_v2 RENAME TO access_log; \
         CREATE INDEX ix_access_log_subject ON access_log (subject_pseudonym, occurred_at); {}",
        crate::append_only_sql(backend, "access_log", "access_log_no_update")
    ))
    .await
    .map(|_| ())
}

#[derive(DeriveIden)]
enum SignatureEvidenceV2 {
    Table,
    Id,
    MunicipalityId,
    DocumentId,
    SignerPseudonym,
    KeyRefs,
    Sealed,
    Acr,
    AuthTime,
    SignedAt,
}

async fn convert_signature_evidence(
    manager: &SchemaManager<'_>,
    keys: &HashMap<Uuid, (Uuid, String)>,
    rows: Vec<sea_orm_migration::sea_orm::QueryResult>,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    drop_append_only(manager, "signature_evidence").await?;
    manager
        .create_table(
            Table::create()
                .table(SignatureEvidenceV2::Table)
                .col(crate::id_col(SignatureEvidenceV2::Id))
                .col(
                    ColumnDef::new(SignatureEvidenceV2::MunicipalityId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SignatureEvidenceV2::DocumentId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SignatureEvidenceV2::SignerPseudonym)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SignatureEvidenceV2::KeyRefs)
                        .text()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SignatureEvidenceV2::Sealed)
                        .text()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SignatureEvidenceV2::Acr)
                        .string_len(128)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SignatureEvidenceV2::AuthTime)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SignatureEvidenceV2::SignedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
    for row in rows {
        let id: Uuid = row.try_get("", "id")?;
        let document_id: Uuid = row.try_get("", "document_id")?;
        let signer: Uuid = row.try_get("", "signer_person_id")?;
        let owner: Option<Uuid> = row.try_get("", "owner_person_id")?;
        let child: Option<Uuid> = row.try_get("", "child_id")?;
        let mut named = Vec::new();
        sealing::uuids_in_json(&row.try_get::<String>("", "document_bytes")?, &mut named);
        // Persons named in the bytes: those with a key (the living, found above).
        named.retain(|id| keys.contains_key(id));
        let persons = sealing::concerned(signer, owner, child, named);
        let mut refs = Vec::new();
        let mut secrets = Vec::new();
        for p in &persons {
            let (pseudonym, secret) = keys
                .get(p)
                .cloned()
                .unwrap_or_else(|| (Uuid::new_v4(), sealing::new_secret()));
            refs.push(pseudonym);
            secrets.push(sealing::decode_secret(&secret).map_err(seal_err)?);
        }
        let field = |name: &str| row.try_get::<String>("", name);
        let plain = serde_json::json!({
            "personnummer": field("personnummer")?,
            "text_shown": field("text_shown")?,
            "document_bytes": field("document_bytes")?,
            "document_sha256": field("document_sha256")?,
            "id_token": field("id_token")?,
            "user_signature": field("user_signature")?,
        });
        let sealed = sealing::seal(&secrets, id, document_id, plain.to_string().as_bytes())
            .map_err(seal_err)?;
        let auth_time: Value = timestamp_value(&row, "auth_time")?;
        let signed_at: Value = timestamp_value(&row, "signed_at")?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(SignatureEvidenceV2::Table)
                    .columns([
                        SignatureEvidenceV2::Id,
                        SignatureEvidenceV2::MunicipalityId,
                        SignatureEvidenceV2::DocumentId,
                        SignatureEvidenceV2::SignerPseudonym,
                        SignatureEvidenceV2::KeyRefs,
                        SignatureEvidenceV2::Sealed,
                        SignatureEvidenceV2::Acr,
                        SignatureEvidenceV2::AuthTime,
                        SignatureEvidenceV2::SignedAt,
                    ])
                    .values([
                        id.into(),
                        row.try_get::<Uuid>("", "municipality_id")?.into(),
                        document_id.into(),
                        refs[0].into(),
                        sealing::join_refs(&refs).into(),
                        sealed.into(),
                        field("acr")?.into(),
                        auth_time.into(),
                        signed_at.into(),
                    ])
                    .map_err(query_err)?
                    .to_owned(),
            )
            .await?;
    }
    // One batch, for the reason given for the access log. One signature per signer and
    // document, as before.
    let backend = db.get_database_backend();
    db.execute_unprepared(&format!(
        "DROP TABLE signature_evidence; \
         ALTER TABLE signature_evidence_v2 RENAME TO signature_evidence; \
         CREATE UNIQUE INDEX ux_signature_evidence_document_signer \
         ON signature_evidence (document_id, signer_pseudonym); {}",
        crate::append_only_sql(
            backend,
            "signature_evidence",
            "signature_evidence_no_change"
        )
    ))
    .await
    .map(|_| ())
}

/// A timestamp column copied as it is stored.
fn timestamp_value(
    row: &sea_orm_migration::sea_orm::QueryResult,
    column: &str,
) -> Result<Value, DbErr> {
    Ok(Value::from(
        row.try_get::<sea_orm_migration::sea_orm::prelude::DateTimeUtc>("", column)?,
    ))
}

fn query_err(e: sea_orm_migration::sea_query::error::Error) -> DbErr {
    DbErr::Migration(format!("building an insert: {e}"))
}

fn seal_err(e: sealing::SealError) -> DbErr {
    DbErr::Migration(format!("sealing a signature: {e}"))
}
