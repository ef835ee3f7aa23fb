use sea_orm::entity::prelude::*;

/// The kinds of SS 12000 record the sync mirrors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SourceResource {
    #[sea_orm(string_value = "organisation")]
    Organisation,
    #[sea_orm(string_value = "person")]
    Person,
    #[sea_orm(string_value = "placement")]
    Placement,
    #[sea_orm(string_value = "duty")]
    Duty,
    #[sea_orm(string_value = "group")]
    Group,
    #[sea_orm(string_value = "activity")]
    Activity,
}

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
