use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::Activity;

/// A weekly lesson of a group: the same weekday and times every school day of its validity.
/// What differs on one day is a `lesson_change`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub group_id: Uuid,
    pub activity: Activity,
    pub teacher_id: Option<Uuid>,
    pub room: Option<String>,
    /// ISO weekday, 1 = Monday … 5 = Friday.
    pub weekday: i32,
    pub starts_at: Time,
    pub ends_at: Time,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
