use sea_orm::entity::prelude::*;

pub use skolportal_shared::api::RetentionKind;

/// A run's report for one kind: what it removed, and of that what it exported.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_count")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub run_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: RetentionKind,
    pub removed: i64,
    pub exported: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
