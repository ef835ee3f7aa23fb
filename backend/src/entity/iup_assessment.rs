use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::{Activity, AssessmentLevel};

/// A subject teacher's omdöme: one per pupil, school year and subject.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "iup_assessment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub pupil_id: Uuid,
    /// The year the school year began.
    pub school_year_start: i32,
    /// The pupil's årskurs then.
    pub school_year: i32,
    pub unit_id: Uuid,
    pub activity: Activity,
    pub level: AssessmentLevel,
    pub comment: String,
    pub teacher_id: Option<Uuid>,
    pub written_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
