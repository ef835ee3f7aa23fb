use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum UnitKind {
    #[sea_orm(string_value = "school")]
    School,
    #[sea_orm(string_value = "preschool")]
    Preschool,
    #[sea_orm(string_value = "fritidshem")]
    Fritidshem,
    #[sea_orm(string_value = "family_daycare")]
    FamilyDaycare,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub external_id: Option<String>,
    pub name: String,
    pub kind: UnitKind,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub phone: Option<String>,
    pub opens_at: Time,
    pub closes_at: Time,
    pub schedule_lock_working_days: i32,
    pub created_at: DateTimeUtc,
    /// Places at a childcare unit (none for a school, or when the source does not say).
    pub capacity: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
