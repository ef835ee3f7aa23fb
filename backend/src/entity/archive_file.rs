use sea_orm::entity::prelude::*;

/// One file of an archive package, at its path inside the package.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "archive_file")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub package_id: Uuid,
    pub path: String,
    pub content: Vec<u8>,
    /// Lower-case hex, as `sip.xml` gives it.
    pub sha256: String,
    pub size: i64,
    /// The records the file holds (0 for `sip.xml`).
    pub records: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
