use sea_orm::entity::prelude::*;

use super::job::JobKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RunOutcome {
    /// The job's effect and this row were committed together.
    #[sea_orm(string_value = "done")]
    Done,
    /// The attempt failed; the job waits for its next attempt.
    #[sea_orm(string_value = "failed")]
    Failed,
    /// The attempt failed and was the last one: the job waits for an operator.
    #[sea_orm(string_value = "parked")]
    Parked,
}

/// One attempt of a job that ended (a process that died mid-attempt leaves none).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_run")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub job_id: Uuid,
    pub kind: JobKind,
    pub attempt: i32,
    /// The instance that ran it.
    pub instance: String,
    pub outcome: RunOutcome,
    pub error: Option<String>,
    pub finished_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
