use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::OfferStatus;

/// An offer of a place.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement_offer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub application_id: Uuid,
    pub child_id: Uuid,
    pub unit_id: Uuid,
    pub start_date: Date,
    pub hours_per_week: i32,
    pub answer_deadline: DateTimeUtc,
    pub status: OfferStatus,
    /// The latest answer document created for the offer.
    pub answer_document_id: Option<Uuid>,
    /// The placement an accepted offer created.
    pub placement_id: Option<Uuid>,
    pub offered_by_person_id: Uuid,
    pub created_at: DateTimeUtc,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
