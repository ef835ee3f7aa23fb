use sea_orm::entity::prelude::*;

/// How one lesson differs from its plan on one day; fields left `None` keep the plan.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lesson_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub lesson_id: Uuid,
    pub on_date: Date,
    pub cancelled: bool,
    pub substitute_teacher_id: Option<Uuid>,
    pub room: Option<String>,
    pub starts_at: Option<Time>,
    pub ends_at: Option<Time>,
    pub note: Option<String>,
    pub recorded_by_person_id: Uuid,
    pub recorded_at: DateTimeUtc,
    /// The source system's calendar event this change was read from; `None` for one recorded
    /// in the portal. A change read from the source is recorded by `Uuid::nil()`, nobody in the
    /// portal.
    pub source_id: Option<Uuid>,
}

// Deliberately not derived: the note is free text and must not reach a log.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LessonChange")
            .field("id", &self.id)
            .field("lesson_id", &self.lesson_id)
            .field("on_date", &self.on_date)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
