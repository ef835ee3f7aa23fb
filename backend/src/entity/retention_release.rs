use sea_orm::entity::prelude::*;

/// An append-only table whose rows retention may delete, through a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum AppendOnlyTable {
    #[sea_orm(string_value = "access_log")]
    AccessLog,
    #[sea_orm(string_value = "signature_evidence")]
    SignatureEvidence,
}

/// Append-only: the trigger of `table_name` lets a row of `municipality_id` be deleted: for the
/// access log one older than `remove_before`, for signature evidence one of the document
/// `record_id` (see the migrations).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_release")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub run_id: Uuid,
    pub municipality_id: Uuid,
    pub table_name: AppendOnlyTable,
    pub remove_before: DateTimeUtc,
    pub record_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
