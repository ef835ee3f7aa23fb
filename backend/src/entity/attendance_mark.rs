use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::AttendanceMark as Mark;

/// One saved attendance mark of a pupil for a lesson on a day (see the migration): the highest
/// revision is the mark, the earlier ones its history.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_mark")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub lesson_id: Uuid,
    pub on_date: Date,
    pub pupil_id: Uuid,
    /// 1, 2, … per pupil, lesson and day: the highest is the mark.
    pub revision: i32,
    pub mark: Mark,
    pub late_minutes: Option<i32>,
    pub recorded_by_person_id: Option<Uuid>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
