use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::{Activity, GoalOutcome};

/// A goal of a pupil's development plan, written by the mentor in a term at a school.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "iup_goal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub pupil_id: Uuid,
    pub term_id: Uuid,
    /// The school the pupil was at when it was written.
    pub unit_id: Uuid,
    pub author_id: Option<Uuid>,
    pub activity: Option<Activity>,
    pub goal: String,
    pub measures: String,
    pub agreements: String,
    pub created_at: DateTimeUtc,
    pub outcome: Option<GoalOutcome>,
    pub follow_up: Option<String>,
    pub followed_up_at: Option<DateTimeUtc>,
    pub followed_up_by_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
