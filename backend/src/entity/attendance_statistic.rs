use sea_orm::entity::prelude::*;

pub use skolportal_shared::api::{Activity, AttendanceMeasure as Measure};

/// An anonymous count retention kept of records it removed: no pupil, no day, only a unit, a
/// term and a subject (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_statistic")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub run_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub term: String,
    pub activity: Option<Activity>,
    pub measure: Measure,
    pub value: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
