use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::{AbsenceReason, AbsenceReportStatus};

/// One child's part of a guardian's absence report (see the migration): the days, the hours
/// when it is part of one day, and a reason code.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "absence_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub submission_id: Uuid,
    pub child_id: Uuid,
    pub reported_by_person_id: Option<Uuid>,
    pub first_day: Date,
    pub last_day: Date,
    pub starts_at: Option<Time>,
    pub ends_at: Option<Time>,
    pub reason: AbsenceReason,
    pub status: AbsenceReportStatus,
    pub reported_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
