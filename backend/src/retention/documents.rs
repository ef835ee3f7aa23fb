//! Retention of signed childcare documents (income statements, answers to placement offers,
//! terminations). The Luleå plan preserves agreements (överenskommelser), so each batch is
//! written to the archive package first, with everything a signature's evidence holds, opened
//! with the persons' keys. Then the evidence leaves its append-only table through the one path
//! its trigger allows: a `retention_release` of the run naming the document. References to the
//! document (an offer's answer, a BankID login waiting to sign it) are cleared, and the
//! documents go. All in the step's transaction, so a document is exported exactly when it is
//! gone.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use skolportal_shared::api::RetentionKind;
use uuid::Uuid;

use super::archive::{
    add_file, content_head, escape, municipality_of, people, person_element, time,
};
use super::run::{delete_ids, due_ids};
use crate::entity::retention_release::AppendOnlyTable;
use crate::entity::{
    childcare_document, pending_login, placement_offer, retention_release, retention_run,
    signature_evidence,
};

/// A batch of due documents: exported with their signatures, then removed with them. Returns
/// (removed, exported), counted by document.
pub(super) async fn childcare_documents(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    cutoff: NaiveDate,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<(u64, u64), DbErr> {
    let kind = RetentionKind::ChildcareDocuments;
    let table = "childcare_document";
    let ids = due_ids(txn, kind, table, run.municipality_id, cutoff, batch).await?;
    if ids.is_empty() {
        return Ok((0, 0));
    }
    let backend = txn.get_database_backend();
    let documents = childcare_document::Entity::find()
        .filter(crate::db::is_in(
            backend,
            childcare_document::Column::Id,
            ids.clone(),
        ))
        .order_by_asc(childcare_document::Column::Id)
        .all(txn)
        .await?;
    // The evidence that still opens; a signer forgotten since (protected identity) left
    // nothing readable, and the archive gets only that the document was signed.
    let signatures = crate::population::keys::evidence_of(txn, &ids).await?;
    let named_ids: Vec<Uuid> = documents
        .iter()
        .flat_map(|d| [Some(d.owner_person_id), d.child_id])
        .flatten()
        .collect();
    let named = people(txn, named_ids).await?;
    let municipality = municipality_of(txn, run).await?;
    let mut out = content_head("childcare_documents", &municipality, run);
    for d in &documents {
        let signed_at = d
            .signed_at
            .map(|at| format!(" signed_at=\"{}\"", time(at)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  <document id=\"{}\" kind=\"{}\" status=\"{}\" created_at=\"{}\"{signed_at}>",
            d.id,
            d.kind.code(),
            escape(&d.status.to_value()),
            time(d.created_at),
        );
        person_element(&mut out, "owner", named.get(&d.owner_person_id));
        if let Some(child) = d.child_id {
            person_element(&mut out, "child", named.get(&child));
        }
        let _ = writeln!(
            out,
            "    <text_shown>{}</text_shown>\n    <document_bytes>{}</document_bytes>",
            escape(&d.sign_text),
            escape(&d.document_bytes)
        );
        for e in signatures.iter().filter(|e| e.document_id == d.id) {
            let _ = writeln!(
                out,
                "    <signature personnummer=\"{}\" signed_at=\"{}\" auth_time=\"{}\" acr=\"{}\" \
                 document_sha256=\"{}\">\n      <id_token>{}</id_token>\n      \
                 <user_signature>{}</user_signature>\n    </signature>",
                escape(&e.personnummer),
                time(e.signed_at),
                time(e.auth_time),
                escape(&e.acr),
                escape(&e.document_sha256),
                escape(&e.id_token),
                escape(&e.user_signature),
            );
        }
        out.push_str("  </document>\n");
    }
    out.push_str("</childcare_documents>\n");
    add_file(txn, run, kind, out, documents.len(), now).await?;

    release_evidence(txn, run, cutoff, &ids, now).await?;
    placement_offer::Entity::update_many()
        .col_expr(
            placement_offer::Column::AnswerDocumentId,
            sea_orm::sea_query::Expr::value(Option::<Uuid>::None),
        )
        .filter(crate::db::is_in(
            backend,
            placement_offer::Column::AnswerDocumentId,
            ids.clone(),
        ))
        .exec(txn)
        .await?;
    pending_login::Entity::delete_many()
        .filter(crate::db::is_in(
            backend,
            pending_login::Column::DocumentId,
            ids.clone(),
        ))
        .exec(txn)
        .await?;
    let removed = delete_ids(txn, table, &ids).await?;
    Ok((removed, removed))
}

/// The evidence of these documents' signatures, every row (also those no longer readable):
/// a release per signed document, then the delete its trigger lets through.
async fn release_evidence(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    cutoff: NaiveDate,
    documents: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    let signed: BTreeSet<Uuid> = signature_evidence::Entity::find()
        .select_only()
        .column(signature_evidence::Column::DocumentId)
        .filter(signature_evidence::Column::MunicipalityId.eq(run.municipality_id))
        .filter(crate::db::is_in(
            backend,
            signature_evidence::Column::DocumentId,
            documents.to_vec(),
        ))
        .into_tuple::<Uuid>()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    if signed.is_empty() {
        return Ok(());
    }
    let releases = signed
        .iter()
        .map(|&document| retention_release::ActiveModel {
            id: Set(Uuid::new_v4()),
            run_id: Set(run.id),
            municipality_id: Set(run.municipality_id),
            table_name: Set(AppendOnlyTable::SignatureEvidence),
            remove_before: Set(crate::clock::start_of_day(cutoff)),
            record_id: Set(Some(document)),
            created_at: Set(now),
        });
    retention_release::Entity::insert_many(releases)
        .exec_without_returning(txn)
        .await?;
    let mut values = Vec::new();
    let set = crate::db::in_set(backend, "document_id", &mut values, signed.iter().copied());
    let sql = format!("DELETE FROM signature_evidence WHERE {set}");
    txn.execute(Statement::from_sql_and_values(
        backend,
        crate::db::numbered_params(backend, &sql),
        values,
    ))
    .await?;
    Ok(())
}
