//! Reading childcare documents, with what the session may do with each.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Statement,
};
use skolportal_shared::api::{
    ChildcareDocumentView, DocumentKind, DocumentStatus, NewestFirstCursor, ReceivedDocument,
    ReceivedDocumentPage, SignBlockedReason, SignatureSummary,
};
use uuid::Uuid;

use super::applications::person_names;
use super::signatures;
use crate::auth::session::SessionUser;
use crate::clock::start_of_day;
use crate::db::numbered_params;
use crate::entity::{childcare_document, person, signature_evidence};
use crate::policy::{self, DocumentAction, GlobalAction, ListPermit, Permit, PolicyAction};
use crate::population::keys;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("not found")]
    NotFound,
    #[error("the first day of the range is after the last")]
    InvalidRange,
    #[error("a stronger login is needed")]
    StepUpRequired(policy::LoginStrength),
    #[error("only your own draft that nobody has signed can be deleted")]
    NotDeletable,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl From<policy::PolicyError> for DocumentError {
    fn from(err: policy::PolicyError) -> Self {
        match err {
            policy::PolicyError::NotFound => Self::NotFound,
            policy::PolicyError::StepUpRequired { required } => Self::StepUpRequired(required),
            policy::PolicyError::Database(e) => Self::Database(e),
        }
    }
}

/// The document a permit is for (to read, sign or delete it).
pub async fn find(
    db: &impl ConnectionTrait,
    permit: &Permit<DocumentAction>,
) -> Result<childcare_document::Model, DocumentError> {
    childcare_document::Entity::find_by_id(permit.target().0)
        .filter(childcare_document::Column::MunicipalityId.eq(permit.actor().municipality_id))
        .one(db)
        .await?
        .ok_or(DocumentError::NotFound)
}

/// Stores a new document exactly as given.
pub async fn insert(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
) -> Result<(), sea_orm::DbErr> {
    childcare_document::Entity::insert(childcare_document::ActiveModel {
        id: Set(doc.id),
        municipality_id: Set(doc.municipality_id),
        owner_person_id: Set(doc.owner_person_id),
        child_id: Set(doc.child_id),
        kind: Set(doc.kind),
        status: Set(doc.status),
        payload: Set(doc.payload.clone()),
        document_bytes: Set(doc.document_bytes.clone()),
        sign_text: Set(doc.sign_text.clone()),
        created_at: Set(doc.created_at),
        signed_at: Set(doc.signed_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The signatures on a document that still open (`population::keys`), oldest first.
pub async fn evidence(
    db: &DatabaseConnection,
    document_id: Uuid,
) -> Result<Vec<keys::Evidence>, DocumentError> {
    Ok(keys::evidence_of(db, &[document_id]).await?)
}

/// One document with what this session may do with it.
pub async fn view(
    db: &DatabaseConnection,
    user: &SessionUser,
    doc: childcare_document::Model,
    today: NaiveDate,
) -> Result<ChildcareDocumentView, DocumentError> {
    let mut permitted =
        policy::permitted_actions::<DocumentAction>(db, user, &[doc.id], today).await?;
    let allowed = permitted.remove(&doc.id).unwrap_or_default();
    view_with(db, user, doc, today, allowed).await
}

/// Documents with what this session may do with each: the policy's answer (one query for
/// all), narrowed to what each document's state allows.
pub async fn views(
    db: &DatabaseConnection,
    user: &SessionUser,
    docs: Vec<childcare_document::Model>,
    today: NaiveDate,
) -> Result<Vec<ChildcareDocumentView>, DocumentError> {
    let ids: Vec<Uuid> = docs.iter().map(|d| d.id).collect();
    let mut permitted = policy::permitted_actions::<DocumentAction>(db, user, &ids, today).await?;
    let mut out = Vec::with_capacity(docs.len());
    for doc in docs {
        let allowed = permitted.remove(&doc.id).unwrap_or_default();
        out.push(view_with(db, user, doc, today, allowed).await?);
    }
    Ok(out)
}

async fn view_with(
    db: &DatabaseConnection,
    user: &SessionUser,
    doc: childcare_document::Model,
    today: NaiveDate,
    allowed: Vec<DocumentAction>,
) -> Result<ChildcareDocumentView, DocumentError> {
    let mut signatures = Vec::new();
    let mut signed_by = Vec::new();
    for e in evidence(db, doc.id).await? {
        signed_by.push(e.signer_person_id);
        let name = person::Entity::find_by_id(e.signer_person_id)
            .one(db)
            .await?
            .map(|p| format!("{} {}", p.given_name, p.family_name))
            .unwrap_or_default();
        signatures.push(SignatureSummary {
            signer_name: name,
            signed_at: e.signed_at,
            acr: e.acr,
            document_sha256: e.document_sha256,
        });
    }
    // Signable by this user: still open, they must sign it, and they have not yet.
    let signable = matches!(
        doc.status,
        DocumentStatus::Draft | DocumentStatus::AwaitingOtherGuardian
    ) && signatures::required_signers(db, &doc, today)
        .await?
        .contains(&user.person_id)
        && !signed_by.contains(&user.person_id);
    let deletable = is_deletable(&doc, &signed_by);
    let permitted_actions: Vec<DocumentAction> = allowed
        .into_iter()
        .filter(|action| match action {
            DocumentAction::Sign => signable,
            DocumentAction::Delete => deletable,
            DocumentAction::Read | DocumentAction::ReadReceived => false,
        })
        .collect();
    // Seed rule 2: a password session (with a one-time code or not) sees the document but
    // cannot sign it; the policy says how strong a login signing needs.
    let sign_blocked_reason = (signable
        && user.login_strength < DocumentAction::Sign.weakest_strength())
    .then_some(SignBlockedReason::BankidRequired);
    Ok(ChildcareDocumentView {
        id: doc.id,
        kind: doc.kind,
        status: doc.status,
        text: doc.sign_text,
        created_at: doc.created_at,
        signed_at: doc.signed_at,
        signatures,
        permitted_actions,
        sign_blocked_reason,
    })
}

/// The documents the permit's holder may read (their own, and those about the children they
/// act for today; never someone else's income statement), newest first.
pub async fn list(
    db: &DatabaseConnection,
    permit: &ListPermit<DocumentAction>,
    today: NaiveDate,
) -> Result<Vec<ChildcareDocumentView>, DocumentError> {
    let user = permit.actor();
    let readable = permit.targets(db).await?;
    let docs = childcare_document::Entity::find()
        .filter(childcare_document::Column::MunicipalityId.eq(user.municipality_id))
        .filter(childcare_document::Column::Id.is_in(readable))
        .order_by_desc(childcare_document::Column::CreatedAt)
        .all(db)
        .await?;
    views(db, user, docs, today).await
}

/// An income statement draft its owner made and nobody has signed: it binds nobody, so it can
/// go. (An unsigned answer to an offer is replaced by the next answer, and lapses with the
/// offer; a termination draft waits for its signature.)
/// (Whose draft it is, is the policy's `DocumentAction::Delete`.)
fn is_deletable(doc: &childcare_document::Model, signed_by: &[Uuid]) -> bool {
    doc.kind == DocumentKind::IncomeStatement
        && doc.status == DocumentStatus::Draft
        && signed_by.is_empty()
}

/// Deletes the permit's unsigned draft; a draft someone signed, or a signed document, is
/// refused.
pub async fn delete_draft(
    db: &DatabaseConnection,
    permit: &Permit<DocumentAction>,
) -> Result<(), DocumentError> {
    let user = permit.actor();
    let doc = find(db, permit).await?;
    let id = doc.id;
    let signed_by: Vec<Uuid> = evidence(db, id)
        .await?
        .into_iter()
        .map(|e| e.signer_person_id)
        .collect();
    if !is_deletable(&doc, &signed_by) {
        return Err(DocumentError::NotDeletable);
    }
    // Conditional on the status, so a signature finishing meanwhile keeps the document.
    childcare_document::Entity::delete_many()
        .filter(childcare_document::Column::Id.eq(id))
        .filter(childcare_document::Column::OwnerPersonId.eq(user.person_id))
        .filter(childcare_document::Column::Status.eq(DocumentStatus::Draft))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes the owner's earlier unsigned drafts of `kind` but `keep`: a new statement replaces
/// them, so that an old draft does not stay beside the signed one looking the same.
pub async fn replace_drafts(
    db: &DatabaseConnection,
    user: &SessionUser,
    kind: DocumentKind,
    keep: Uuid,
) -> Result<(), sea_orm::DbErr> {
    let drafts: Vec<Uuid> = childcare_document::Entity::find()
        .filter(childcare_document::Column::MunicipalityId.eq(user.municipality_id))
        .filter(childcare_document::Column::OwnerPersonId.eq(user.person_id))
        .filter(childcare_document::Column::Kind.eq(kind))
        .filter(childcare_document::Column::Status.eq(DocumentStatus::Draft))
        .filter(childcare_document::Column::Id.ne(keep))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    if drafts.is_empty() {
        return Ok(());
    }
    let signed: Vec<Uuid> = signature_evidence::Entity::find()
        .filter(signature_evidence::Column::DocumentId.is_in(drafts.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.document_id)
        .collect();
    let unsigned: Vec<Uuid> = drafts.into_iter().filter(|d| !signed.contains(d)).collect();
    childcare_document::Entity::delete_many()
        .filter(childcare_document::Column::Id.is_in(unsigned))
        .filter(childcare_document::Column::Status.eq(DocumentStatus::Draft))
        .exec(db)
        .await?;
    Ok(())
}

/// The receipt: the document, its exact bytes and every signature's full evidence.
pub async fn receipt(
    db: &DatabaseConnection,
    permit: &Permit<DocumentAction>,
) -> Result<serde_json::Value, DocumentError> {
    let doc = find(db, permit).await?;
    let id = doc.id;
    let signatures: Vec<serde_json::Value> = evidence(db, id)
        .await?
        .into_iter()
        .map(|e| {
            serde_json::json!({
                "signer_personnummer": e.personnummer,
                "text_shown": e.text_shown,
                "document_bytes": e.document_bytes,
                "document_sha256": e.document_sha256,
                "id_token": e.id_token,
                "user_signature": e.user_signature,
                "acr": e.acr,
                "auth_time": e.auth_time,
                "signed_at": e.signed_at,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "document_id": doc.id,
        "kind": doc.kind,
        "status": doc.status,
        "created_at": doc.created_at,
        "signed_at": doc.signed_at,
        "signatures": signatures,
    }))
}

/// Who writes a document and for which municipality: the logged-in person and the municipality's
/// name, as every signable document's text opens with them. `None` if the person is gone.
pub async fn author(
    db: &DatabaseConnection,
    user: &SessionUser,
) -> Result<Option<(person::Model, String)>, sea_orm::DbErr> {
    let Some(guardian) = person::Entity::find_by_id(user.person_id).one(db).await? else {
        return Ok(None);
    };
    let municipality_name = crate::entity::municipality::Entity::find_by_id(user.municipality_id)
        .one(db)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    Ok(Some((guardian, municipality_name)))
}

/// What the officer's list needs of a document (not its bytes or text).
#[derive(FromQueryResult)]
struct ReceivedRow {
    id: Uuid,
    kind: DocumentKind,
    child_id: Option<Uuid>,
    owner_person_id: Uuid,
    created_at: DateTime<Utc>,
    signed_at: Option<DateTime<Utc>>,
}

/// Which received documents an officer asks for.
pub struct ReceivedFilter {
    pub kind: Option<DocumentKind>,
    /// Signed on or after this Swedish day.
    pub signed_from: Option<NaiveDate>,
    /// Signed on or before this Swedish day.
    pub signed_to: Option<NaiveDate>,
    /// The page starts after this document (the first page: none).
    pub after: Option<NewestFirstCursor>,
    /// At most this many.
    pub limit: u32,
}

/// One page of the documents guardians have signed (every required signature given) in the
/// officer's municipality, newest first, narrowed by `filter`: what the municipality has
/// received. Whose data each entry is goes to the access log through the permit.
/// `InvalidRange` for a last signing day before the first.
pub async fn list_received(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    filter: ReceivedFilter,
    now: DateTime<Utc>,
) -> Result<ReceivedDocumentPage, DocumentError> {
    let user = permit.actor();
    if let (Some(from), Some(to)) = (filter.signed_from, filter.signed_to) {
        if from > to {
            return Err(DocumentError::InvalidRange);
        }
    }
    let mut sql = "SELECT d.id, d.kind, d.child_id, d.owner_person_id, d.created_at, d.signed_at \
         FROM childcare_document d WHERE d.municipality_id = $1 AND d.status = $2"
        .to_owned();
    let mut values: Vec<sea_orm::Value> =
        vec![user.municipality_id.into(), DocumentStatus::Signed.into()];
    if let Some(only) = filter.kind {
        values.push(only.into());
        sql.push_str(&format!(" AND d.kind = ${}", values.len()));
    }
    if let Some(from) = filter.signed_from {
        values.push(start_of_day(from).into());
        sql.push_str(&format!(" AND d.signed_at >= ${}", values.len()));
    }
    // The last day ends where the next begins; the last date chrono knows has no end to bound.
    if let Some(after) = filter.signed_to.and_then(|to| to.succ_opt()) {
        values.push(start_of_day(after).into());
        sql.push_str(&format!(" AND d.signed_at < ${}", values.len()));
    }
    // A signed document always has `signed_at`; the fallback keeps the order total if not.
    if let Some(after) = filter.after {
        values.push(after.at.into());
        values.push(after.id.into());
        sql.push_str(&format!(
            " AND (COALESCE(d.signed_at, d.created_at), d.id) < (${}, ${})",
            values.len() - 1,
            values.len()
        ));
    }
    // One row beyond the page says whether there is a next one.
    values.push((i64::from(filter.limit) + 1).into());
    sql.push_str(&format!(
        " ORDER BY COALESCE(d.signed_at, d.created_at) DESC, d.id DESC LIMIT ${}",
        values.len()
    ));
    let backend = db.get_database_backend();
    let rows = ReceivedRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        values,
    ))
    .all(db)
    .await?;
    let (rows, next) = crate::db::page(rows, filter.limit, |r| NewestFirstCursor {
        at: r.signed_at.unwrap_or(r.created_at),
        id: r.id,
    });
    let mut people: Vec<Uuid> = rows.iter().map(|r| r.owner_person_id).collect();
    people.extend(rows.iter().filter_map(|r| r.child_id));
    let names = person_names(db, people).await?;
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    // The page's rows only: each page is logged once, when it is read.
    permit
        .record_shown(
            db,
            // Whose data each is: the child, or the filer of an income statement.
            rows.iter().map(|r| r.child_id.unwrap_or(r.owner_person_id)),
            now,
        )
        .await?;
    let list = rows
        .iter()
        .map(|r| ReceivedDocument {
            id: r.id,
            kind: r.kind,
            child_name: r.child_id.as_ref().map(name),
            submitted_by: name(&r.owner_person_id),
            signed_at: r.signed_at.unwrap_or(r.created_at),
        })
        .collect();
    Ok(ReceivedDocumentPage {
        items: list,
        next_cursor: next.map(|c| c.encode()),
    })
}
