use sea_orm::entity::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum GuardianRelation {
    #[sea_orm(string_value = "guardian")]
    Guardian,
    #[sea_orm(string_value = "other_responsible_adult")]
    OtherResponsibleAdult,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guardianship")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub child_id: Uuid,
    pub adult_id: Uuid,
    pub relation: GuardianRelation,
    /// The first day the relation holds.
    pub start_date: Date,
    /// The last day it holds; `None` while it runs on.
    pub end_date: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
