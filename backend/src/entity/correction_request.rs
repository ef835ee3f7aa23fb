use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::{CorrectionStatus, ExtractItem};

/// A request to correct an item of the register extract (rättelse), and the officer's answer.
/// Personal data: never log anything but the ids and the status.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "correction_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub subject_person_id: Uuid,
    pub requested_by_person_id: Uuid,
    pub item: ExtractItem,
    pub message: String,
    pub status: CorrectionStatus,
    pub created_at: DateTimeUtc,
    pub answer: Option<String>,
    pub changed: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by_person_id: Option<Uuid>,
}

// Deliberately not derived: a `{:?}` must not print the message into a log.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorrectionRequest")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
