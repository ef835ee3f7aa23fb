use sea_orm::entity::prelude::*;

/// A tablet paired to a unit: an actor of its own (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kiosk_device")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub unit_id: Uuid,
    pub name: String,
    /// SHA-256 of the device cookie's token, lower-case hex.
    pub token_hash: String,
    pub paired_by_person_id: Uuid,
    pub paired_at: DateTimeUtc,
    pub unpaired_at: Option<DateTimeUtc>,
    pub unpaired_by_person_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
