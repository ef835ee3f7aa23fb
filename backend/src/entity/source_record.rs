use sea_orm::entity::prelude::*;

/// The kinds of SS 12000 record the sync mirrors.
pub use skolportal_shared::api::SourceRecordKind as SourceResource;

/// One record of the source's last complete answer (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source_record")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub resource: SourceResource,
    #[sea_orm(primary_key, auto_increment = false)]
    pub source_id: Uuid,
    pub modified_at: DateTimeUtc,
    /// The record as the client's model serialises it.
    pub body: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
