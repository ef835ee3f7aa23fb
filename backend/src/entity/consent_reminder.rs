use sea_orm::entity::prelude::*;

/// That a guardian was reminded of their consents before a school year (the autumn's year).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent_reminder")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub guardian_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub school_year: i32,
    pub sent_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
