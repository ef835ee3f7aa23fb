use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::{DocumentKind, DocumentStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "childcare_document")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub owner_person_id: Uuid,
    pub child_id: Option<Uuid>,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    /// What the document says, as `childcare::payload::DocumentPayload` of its kind.
    pub payload: Json,
    /// The exact bytes that are signed (canonical JSON of the payload).
    pub document_bytes: String,
    /// The Swedish text the signer is shown.
    pub sign_text: String,
    pub created_at: DateTimeUtc,
    pub signed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
