use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::{LeaveDecider, LeaveReason, LeaveStatus};

/// A pupil's leave application (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leave_application")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub child_id: Uuid,
    pub submission_id: Uuid,
    pub first_day: Date,
    pub last_day: Date,
    pub school_days: i32,
    pub reason: LeaveReason,
    pub status: LeaveStatus,
    /// Who decides it, fixed when it was made.
    pub decider: LeaveDecider,
    pub applied_by_person_id: Option<Uuid>,
    pub applied_at: DateTimeUtc,
    pub decided_by_person_id: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
