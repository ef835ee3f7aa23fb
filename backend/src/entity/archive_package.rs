use sea_orm::entity::prelude::*;

/// The archive package of one retention run: its files are `archive_file` rows; `sealed_at` is
/// set when its `sip.xml` lists them all.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "archive_package")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub run_id: Uuid,
    pub created_at: DateTimeUtc,
    pub sealed_at: Option<DateTimeUtc>,
    /// The SHA-256 of the package's `sip.xml` (lower-case hex), set at sealing: the checksum
    /// the city archive's receipt quotes.
    pub sip_sha256: Option<String>,
    /// Set when the administrator confirmed the archive's receipt; the files are gone then.
    pub delivered_at: Option<DateTimeUtc>,
    pub delivered_by_person_id: Option<Uuid>,
    /// How many files the package had when it was delivered.
    pub delivered_files: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
