use sea_orm::entity::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MembershipRole {
    #[sea_orm(string_value = "pupil")]
    Pupil,
    #[sea_orm(string_value = "teacher")]
    Teacher,
    #[sea_orm(string_value = "mentor")]
    Mentor,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "group_membership")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub group_id: Uuid,
    pub person_id: Uuid,
    pub role: MembershipRole,
    /// The first day the relation holds.
    pub start_date: Date,
    /// The last day it holds; `None` while it runs on.
    pub end_date: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
