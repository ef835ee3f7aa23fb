use sea_orm::entity::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum GroupType {
    #[sea_orm(string_value = "class")]
    Class,
    #[sea_orm(string_value = "teaching")]
    Teaching,
    #[sea_orm(string_value = "mentor")]
    Mentor,
    /// Avdelning in a preschool.
    #[sea_orm(string_value = "department")]
    Department,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "school_group")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub unit_id: Uuid,
    pub external_id: Option<String>,
    pub name: String,
    pub group_type: GroupType,
    pub school_year: Option<i32>,
    /// Raised with every write of the group's lessons or lesson changes
    /// (`school::timetable::touch_group`); `school::group_weeks` keeps weeks by it.
    pub timetable_version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
