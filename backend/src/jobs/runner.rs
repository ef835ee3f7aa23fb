//! Claims due jobs and runs them. Any number of runners, in any number of instances, may work on
//! one PostgreSQL database: a claim takes rows no other claim holds (`FOR UPDATE SKIP LOCKED`),
//! and finishing a job is conditional on still holding its claim.
//!
//! A job's life: waiting (`run_at` in the future or now) → claimed (`claimed_by`, `claimed_at`,
//! a fresh `claim_id`, `attempts + 1`) → done (`done_at`, in the transaction of its effect), or
//! failed (claim cleared, `run_at` moved by the backoff) and claimed again later, or parked
//! (`parked_at`) after `max_attempts`. A claim older than the lease is claimable again: its
//! process is taken to be dead, and the `claim_id` check keeps it from finishing if it was not.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Order, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

use super::{kinds, schedule, JobContext};
use crate::clock::Clock;
use crate::entity::job_run::RunOutcome;
use crate::entity::{job, job_run};
use crate::settings::JobSettings;

/// The longest wait between attempts.
const MAX_BACKOFF_SECONDS: i64 = 6 * 3600;

/// How one claimed job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Its effect and "done" were committed.
    Done,
    /// It failed and will be tried again after the backoff.
    Failed,
    /// It failed for the last time and waits for an operator.
    Parked,
    /// The claim was no longer ours (taken over after the lease): nothing was committed.
    Lost,
}

/// What one round of a runner did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Recurring due times this round handed to the queue.
    pub scheduled: u32,
    pub claimed: u32,
    pub done: u32,
    pub failed: u32,
    pub parked: u32,
    pub lost: u32,
}

pub struct Runner {
    db: DatabaseConnection,
    clock: Clock,
    settings: JobSettings,
    instance: String,
    delivery: Option<crate::notices::Delivery>,
    source: Option<std::sync::Arc<crate::sync::Source>>,
}

/// The wait before the attempt after `attempts` failed ones: the base, doubled per further
/// failure, capped.
pub fn backoff(settings: &JobSettings, attempts: i32) -> Duration {
    let doublings = (attempts - 1).clamp(0, 30) as u32;
    let seconds = settings
        .retry_base_seconds
        .max(1)
        .saturating_mul(1_i64 << doublings)
        .min(MAX_BACKOFF_SECONDS);
    Duration::seconds(seconds)
}

impl Runner {
    /// `instance` names this runner in `claimed_by` and in the run rows.
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        settings: JobSettings,
        instance: impl Into<String>,
    ) -> Self {
        Self {
            db,
            clock,
            settings,
            instance: instance.into(),
            delivery: None,
            source: None,
        }
    }

    /// The channels notices are delivered through (without them, a delivery job fails and is
    /// retried by a runner that has them).
    pub fn with_delivery(mut self, delivery: crate::notices::Delivery) -> Self {
        self.delivery = Some(delivery);
        self
    }

    /// The SS 12000 source the sync jobs read (without it a requested sync waits for a runner
    /// that has one, and the schedule's ticks do nothing).
    pub fn with_source(mut self, source: Option<std::sync::Arc<crate::sync::Source>>) -> Self {
        self.source = source;
        self
    }

    pub fn settings(&self) -> &JobSettings {
        &self.settings
    }

    /// One full round: hand due recurring jobs to the queue, then claim a batch and run it.
    pub async fn run_once(&self) -> Result<Report, DbErr> {
        let scheduled = self.enqueue_recurring().await?;
        let mut report = self.work_batch().await?;
        report.scheduled = scheduled;
        Ok(report)
    }

    /// Enqueues the due times of the recurring kinds that have come (each once across instances).
    pub async fn enqueue_recurring(&self) -> Result<u32, DbErr> {
        schedule::enqueue_due(&self.db, self.clock.now(), self.source.is_some()).await
    }

    /// Claims a batch and runs it, one job after the other.
    pub async fn work_batch(&self) -> Result<Report, DbErr> {
        let claimed = self.claim().await?;
        let mut report = Report {
            claimed: claimed.len() as u32,
            ..Report::default()
        };
        for job in claimed {
            let id = job.id;
            match self.run(job).await {
                Ok(Outcome::Done) => report.done += 1,
                Ok(Outcome::Failed) => report.failed += 1,
                Ok(Outcome::Parked) => report.parked += 1,
                Ok(Outcome::Lost) => report.lost += 1,
                // The claim stays; after the lease another attempt is made.
                Err(err) => tracing::warn!(job = %id, %err, "a job could not be finished"),
            }
        }
        Ok(report)
    }

    /// Claims up to `batch_size` due jobs: waiting ones and those whose claim is older than the
    /// lease. One statement, so two runners never hold one job; on PostgreSQL the rows another
    /// claim is taking are skipped rather than waited for. Public so that a test can stop between
    /// claiming and running, as a process that dies would.
    pub async fn claim(&self) -> Result<Vec<job::Model>, DbErr> {
        let now = self.clock.now();
        let lease_ended = now - Duration::seconds(self.settings.lease_seconds.max(1));
        let claim_id = Uuid::new_v4();
        let due = Query::select()
            .column(job::Column::Id)
            .from(job::Entity)
            .cond_where(
                Condition::all()
                    .add(job::Column::DoneAt.is_null())
                    .add(job::Column::ParkedAt.is_null())
                    .add(job::Column::RunAt.lte(now))
                    .add(
                        Condition::any()
                            .add(job::Column::ClaimedAt.is_null())
                            .add(job::Column::ClaimedAt.lt(lease_ended)),
                    ),
            )
            .order_by(job::Column::RunAt, Order::Asc)
            .limit(u64::from(self.settings.batch_size.max(1)))
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .to_owned();
        let claimed = job::Entity::update_many()
            .col_expr(job::Column::ClaimedBy, Expr::value(self.instance.clone()))
            .col_expr(job::Column::ClaimedAt, Expr::value(now))
            .col_expr(job::Column::ClaimId, Expr::value(claim_id))
            .col_expr(
                job::Column::Attempts,
                Expr::col(job::Column::Attempts).add(1),
            )
            .filter(job::Column::Id.in_subquery(due))
            .exec(&self.db)
            .await?
            .rows_affected;
        if claimed == 0 {
            return Ok(Vec::new());
        }
        job::Entity::find()
            .filter(job::Column::ClaimId.eq(claim_id))
            .all(&self.db)
            .await
    }

    /// Runs one claimed job. Its transaction first marks it done, conditional on the claim
    /// (which on PostgreSQL also locks the row until the end), then runs the handler and writes
    /// the run row: all of it is committed, or none.
    pub async fn run(&self, job: job::Model) -> Result<Outcome, DbErr> {
        let Some(claim_id) = job.claim_id else {
            return Ok(Outcome::Lost);
        };
        let now = self.clock.now();
        if job.attempts > self.settings.max_attempts {
            // Every attempt so far ended with its claim expiring: the process running it died
            // (or the job takes longer than the lease). Do not start it once more.
            return self
                .fail(
                    &job,
                    claim_id,
                    "every attempt's claim expired: the process running it may have died",
                )
                .await;
        }
        let txn = self.db.begin().await?;
        let marked = job::Entity::update_many()
            .col_expr(job::Column::DoneAt, Expr::value(now))
            .col_expr(job::Column::LastError, Expr::value(Option::<String>::None))
            .filter(job::Column::Id.eq(job.id))
            .filter(job::Column::ClaimId.eq(claim_id))
            .filter(job::Column::DoneAt.is_null())
            .filter(job::Column::ParkedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if marked == 0 {
            txn.rollback().await?;
            return Ok(Outcome::Lost);
        }
        let ctx = JobContext {
            job_id: job.id,
            attempt: job.attempts,
            now,
            settings: self.settings.clone(),
            delivery: self.delivery.clone(),
            source: self.source.clone(),
        };
        match kinds::run(job.kind, job.payload.clone(), &txn, &ctx).await {
            Ok(()) => {
                self.record(&txn, &job, RunOutcome::Done, None, now).await?;
                txn.commit().await?;
                Ok(Outcome::Done)
            }
            Err(err) => {
                txn.rollback().await?;
                tracing::warn!(job = %job.id, kind = ?job.kind, attempt = job.attempts, %err, "a job failed");
                self.fail(&job, claim_id, &err.operator_text()).await
            }
        }
    }

    /// Releases a failed attempt: back to waiting after the backoff, or parked after the last.
    async fn fail(&self, job: &job::Model, claim_id: Uuid, error: &str) -> Result<Outcome, DbErr> {
        let now = self.clock.now();
        let park = job.attempts >= self.settings.max_attempts;
        let txn = self.db.begin().await?;
        let mut release = job::Entity::update_many()
            .col_expr(job::Column::ClaimedBy, Expr::value(Option::<String>::None))
            .col_expr(
                job::Column::ClaimedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(job::Column::ClaimId, Expr::value(Option::<Uuid>::None))
            .col_expr(job::Column::LastError, Expr::value(error.to_owned()));
        release = if park {
            release.col_expr(job::Column::ParkedAt, Expr::value(now))
        } else {
            release.col_expr(
                job::Column::RunAt,
                Expr::value(now + backoff(&self.settings, job.attempts)),
            )
        };
        let released = release
            .filter(job::Column::Id.eq(job.id))
            .filter(job::Column::ClaimId.eq(claim_id))
            .filter(job::Column::DoneAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if released == 0 {
            txn.rollback().await?;
            return Ok(Outcome::Lost);
        }
        let outcome = if park {
            RunOutcome::Parked
        } else {
            RunOutcome::Failed
        };
        self.record(&txn, job, outcome, Some(error), now).await?;
        txn.commit().await?;
        if park {
            tracing::error!(job = %job.id, kind = ?job.kind, attempts = job.attempts, "a job is parked: `skolportal jobs parked` lists it");
            Ok(Outcome::Parked)
        } else {
            Ok(Outcome::Failed)
        }
    }

    async fn record(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        job: &job::Model,
        outcome: RunOutcome,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        job_run::Entity::insert(job_run::ActiveModel {
            id: Set(Uuid::new_v4()),
            job_id: Set(job.id),
            kind: Set(job.kind),
            attempt: Set(job.attempts),
            instance: Set(self.instance.clone()),
            outcome: Set(outcome),
            error: Set(error.map(str::to_owned)),
            finished_at: Set(now),
        })
        .exec_without_returning(txn)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_with_each_failure_and_is_capped() {
        let settings = JobSettings {
            retry_base_seconds: 30,
            ..JobSettings::default()
        };
        assert_eq!(backoff(&settings, 1), Duration::seconds(30));
        assert_eq!(backoff(&settings, 2), Duration::seconds(60));
        assert_eq!(backoff(&settings, 4), Duration::seconds(240));
        assert_eq!(
            backoff(&settings, 40),
            Duration::seconds(MAX_BACKOFF_SECONDS)
        );
    }

    #[test]
    fn the_claim_skips_rows_other_claims_hold_on_postgresql() {
        // The statement as built for each backend (no database needed to build it).
        let due = Query::select()
            .column(job::Column::Id)
            .from(job::Entity)
            .limit(3)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .to_owned();
        let update = job::Entity::update_many()
            .col_expr(
                job::Column::Attempts,
                Expr::col(job::Column::Attempts).add(1),
            )
            .filter(job::Column::Id.in_subquery(due));
        let pg = sea_orm::QueryTrait::build(&update, sea_orm::DbBackend::Postgres).to_string();
        assert!(pg.contains("FOR UPDATE SKIP LOCKED"), "{pg}");
        let sqlite = sea_orm::QueryTrait::build(&update, sea_orm::DbBackend::Sqlite).to_string();
        assert!(!sqlite.contains("FOR UPDATE"), "{sqlite}");
    }
}
