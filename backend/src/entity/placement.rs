use sea_orm::entity::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum PlacementKind {
    #[sea_orm(string_value = "preschool")]
    Preschool,
    #[sea_orm(string_value = "fritidshem")]
    Fritidshem,
    /// Pedagogisk omsorg / familjedaghem.
    #[sea_orm(string_value = "family_daycare")]
    FamilyDaycare,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "placement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub child_id: Uuid,
    pub unit_id: Uuid,
    pub group_id: Option<Uuid>,
    pub kind: PlacementKind,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub hours_per_week: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
