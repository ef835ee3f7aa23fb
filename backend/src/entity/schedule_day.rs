use sea_orm::entity::prelude::*;

/// A child's planned day in childcare. Both times, or neither for a day without care.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schedule_day")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub child_id: Uuid,
    pub placement_id: Uuid,
    pub date: Date,
    pub drop_off: Option<Time>,
    pub pick_up: Option<Time>,
    pub updated_at: DateTimeUtc,
    pub updated_by_person_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
