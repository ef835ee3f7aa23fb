use sea_orm::entity::prelude::*;

/// A unit's lunch on one day (skolmaten). Both dishes absent is not stored: the row is deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lunch_menu_day")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub unit_id: Uuid,
    pub date: Date,
    pub main_dish: Option<String>,
    pub vegetarian_dish: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
