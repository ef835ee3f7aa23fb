use sea_orm::entity::prelude::*;

use super::job::JobKind;

/// The next due time of a recurring job kind.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_schedule")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: JobKind,
    pub next_run_at: DateTimeUtc,
    /// Due times handed to the queue so far; advancing is conditional on it.
    pub round: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
