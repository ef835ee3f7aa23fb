use sea_orm::entity::prelude::*;

/// Where a municipality's sync stands (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source_sync_state")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_id: Uuid,
    /// The latest `meta.modified` a complete sync saw: the next incremental sync asks for what
    /// changed after it (the source's clock, not ours).
    pub modified_high_water: Option<DateTimeUtc>,
    pub last_incremental_at: Option<DateTimeUtc>,
    pub last_full_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
