//! The job queue: `job` (one row per piece of background work, written in the transaction of the
//! change that causes it), `job_run` (one row per finished or failed attempt, for the operator and
//! for proving that each job took effect once), and `job_schedule` (the next due time of each
//! recurring kind). Jobs serve every municipality of the installation, so they carry no
//! municipality id of their own; a payload names what it acts on.

use sea_orm_migration::prelude::*;

use crate::id_col;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000100_job_queue"
    }
}

#[derive(DeriveIden)]
pub enum Job {
    Table,
    Id,
    Kind,
    Payload,
    RunAt,
    Attempts,
    ClaimedBy,
    ClaimedAt,
    ClaimId,
    DoneAt,
    ParkedAt,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum JobRun {
    Table,
    Id,
    JobId,
    Kind,
    Attempt,
    Instance,
    Outcome,
    Error,
    FinishedAt,
}

#[derive(DeriveIden)]
pub enum JobSchedule {
    Table,
    Kind,
    NextRunAt,
    Round,
}

fn timestamp<T: Iden + 'static>(col: T) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Job::Table)
                    .col(id_col(Job::Id))
                    .col(ColumnDef::new(Job::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Job::Payload).json().not_null())
                    .col(timestamp(Job::RunAt).not_null())
                    .col(
                        ColumnDef::new(Job::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(Job::ClaimedBy).string_len(128))
                    .col(timestamp(Job::ClaimedAt))
                    // Each claim's own id: finishing checks it, so a claim that was taken over
                    // cannot also finish.
                    .col(ColumnDef::new(Job::ClaimId).uuid())
                    .col(timestamp(Job::DoneAt))
                    .col(timestamp(Job::ParkedAt))
                    .col(ColumnDef::new(Job::LastError).string_len(500))
                    .col(timestamp(Job::CreatedAt).not_null())
                    .to_owned(),
            )
            .await?;
        // The claim's query: due jobs that are neither done nor parked. Partial, so the index
        // stays as small as the queue of work, not as large as its history (SQLite and
        // PostgreSQL both take this syntax).
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX ix_job_due ON job (run_at) WHERE done_at IS NULL AND parked_at IS NULL",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX ix_job_claim ON job (claim_id)")
            .await?;
        db.execute_unprepared(
            "CREATE INDEX ix_job_parked ON job (parked_at) WHERE parked_at IS NOT NULL",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobRun::Table)
                    .col(id_col(JobRun::Id))
                    .col(ColumnDef::new(JobRun::JobId).uuid().not_null())
                    .col(ColumnDef::new(JobRun::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(JobRun::Attempt).integer().not_null())
                    .col(ColumnDef::new(JobRun::Instance).string_len(128).not_null())
                    .col(ColumnDef::new(JobRun::Outcome).string_len(16).not_null())
                    .col(ColumnDef::new(JobRun::Error).string_len(500))
                    .col(timestamp(JobRun::FinishedAt).not_null())
                    .foreign_key(&mut crate::fk_cascade(
                        "fk_job_run_job",
                        (JobRun::Table, JobRun::JobId),
                        (Job::Table, Job::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_job_run_job")
                    .table(JobRun::Table)
                    .col(JobRun::JobId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobSchedule::Table)
                    .col(
                        ColumnDef::new(JobSchedule::Kind)
                            .string_len(32)
                            .not_null()
                            .primary_key(),
                    )
                    .col(timestamp(JobSchedule::NextRunAt).not_null())
                    // How many due times have been handed to the queue: advancing the schedule
                    // is conditional on it, so each due time is enqueued by one instance.
                    .col(
                        ColumnDef::new(JobSchedule::Round)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobSchedule::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(JobRun::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Job::Table).to_owned())
            .await
    }
}
