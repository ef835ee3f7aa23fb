use sea_orm::entity::prelude::*;

/// A pupil's booked talk: one per slot, and one per pupil, round and party.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "talk_booking")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub round_id: Uuid,
    pub slot_id: Uuid,
    pub pupil_id: Uuid,
    /// `Uuid::nil()` for the pupil's shared talk; the guardian's id for a separate one.
    pub party: Uuid,
    pub booked_by_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the day-before reminder went out; cleared when the talk moves.
    pub reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
