use sea_orm::entity::prelude::*;

pub use skolportal_shared::api::{Activity, GradeValue as Value};

/// A pupil's grade in a subject for a term.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grade")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub pupil_id: Uuid,
    pub term_id: Uuid,
    pub activity: Activity,
    pub value: Value,
    /// The school year the pupil was in.
    pub school_year: i32,
    /// The subject teacher who set it; none when imported.
    pub set_by_person_id: Option<Uuid>,
    pub set_at: DateTimeUtc,
    /// The source system's id of a grade registered there; `None` for one set in the portal.
    pub source_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
