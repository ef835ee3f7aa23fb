use sea_orm::entity::prelude::*;

/// One retention run of a municipality on a day (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_run")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    /// The day the periods count back from, whatever day the run is resumed on.
    pub run_on: Date,
    /// `shared::retention::RetentionPeriods` as the run was started.
    pub periods: Json,
    pub started_by_person_id: Option<Uuid>,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
