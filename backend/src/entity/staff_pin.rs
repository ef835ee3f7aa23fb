use sea_orm::entity::prelude::*;

/// The PIN a staff member signs in on the unit's tablet with (Argon2id).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_pin")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    pub municipality_id: Uuid,
    pub pin_hash: String,
    pub set_at: DateTimeUtc,
    pub failed_attempts: i32,
    pub locked_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
