//! What an operator sees of the queue and may do with it, through the `skolportal jobs …`
//! subcommands on a machine with the database's settings (no HTTP endpoint, so no new action in
//! the access policy): the state per kind, the parked jobs with their last error, putting a parked
//! job back, and a check that the running instances take and finish jobs.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Iterable, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::kinds::QueueCheck;
use super::JobKind;
use crate::entity::{job, job_run, job_schedule};

/// The queue per kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindStatus {
    pub kind: JobKind,
    /// Not done, not parked, not claimed (due or later).
    pub waiting: u64,
    pub claimed: u64,
    pub done: u64,
    pub parked: u64,
    /// For recurring kinds, the next due time.
    pub next_due: Option<DateTime<Utc>>,
}

pub async fn status(db: &impl ConnectionTrait) -> Result<Vec<KindStatus>, DbErr> {
    let schedules = job_schedule::Entity::find().all(db).await?;
    let mut out = Vec::new();
    for kind in JobKind::iter() {
        let of_kind = || job::Entity::find().filter(job::Column::Kind.eq(kind));
        let open = || {
            of_kind()
                .filter(job::Column::DoneAt.is_null())
                .filter(job::Column::ParkedAt.is_null())
        };
        out.push(KindStatus {
            kind,
            waiting: open()
                .filter(job::Column::ClaimId.is_null())
                .count(db)
                .await?,
            claimed: open()
                .filter(job::Column::ClaimId.is_not_null())
                .count(db)
                .await?,
            done: of_kind()
                .filter(job::Column::DoneAt.is_not_null())
                .count(db)
                .await?,
            parked: of_kind()
                .filter(job::Column::ParkedAt.is_not_null())
                .count(db)
                .await?,
            next_due: schedules
                .iter()
                .find(|s| s.kind == kind)
                .map(|s| s.next_run_at),
        });
    }
    Ok(out)
}

/// Parked jobs, the most recently parked first.
pub async fn parked(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<job::Model>, DbErr> {
    job::Entity::find()
        .filter(job::Column::ParkedAt.is_not_null())
        .filter(job::Column::DoneAt.is_null())
        .order_by_desc(job::Column::ParkedAt)
        .limit(limit)
        .all(db)
        .await
}

/// Puts a parked job back in the queue, due now, with its attempts counted from zero again
/// (its runs keep the history). False when no parked job has that id.
pub async fn retry(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let updated = job::Entity::update_many()
        .col_expr(
            job::Column::ParkedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::ParkedAt.is_not_null())
        .filter(job::Column::DoneAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    Ok(updated == 1)
}

/// Enqueues `count` queue checks due now; returns their batch id.
pub async fn enqueue_checks(
    db: &impl ConnectionTrait,
    count: u32,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let batch = Uuid::new_v4();
    super::enqueue_many(
        db,
        (1..=count).map(|number| QueueCheck { batch, number }),
        now,
        now,
    )
    .await?;
    Ok(batch)
}

/// How far the queue checks are: how many are still open, and for the done ones how many
/// finished runs each instance wrote (more runs than checks would mean one ran twice).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckProgress {
    pub open: u64,
    pub done: u64,
    pub runs_done: u64,
    pub by_instance: Vec<(String, u64)>,
}

pub async fn check_progress(db: &impl ConnectionTrait) -> Result<CheckProgress, DbErr> {
    let checks = || job::Entity::find().filter(job::Column::Kind.eq(JobKind::QueueCheck));
    let open = checks()
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::ParkedAt.is_null())
        .count(db)
        .await?;
    let done = checks()
        .filter(job::Column::DoneAt.is_not_null())
        .count(db)
        .await?;
    let runs = || {
        job_run::Entity::find()
            .filter(job_run::Column::Kind.eq(JobKind::QueueCheck))
            .filter(job_run::Column::Outcome.eq(job_run::RunOutcome::Done))
    };
    let runs_done = runs().count(db).await?;
    let by_instance: Vec<(String, i64)> = runs()
        .select_only()
        .column(job_run::Column::Instance)
        .column_as(job_run::Column::Id.count(), "runs")
        .group_by(job_run::Column::Instance)
        .order_by_asc(job_run::Column::Instance)
        .into_tuple()
        .all(db)
        .await?;
    // Per process: a runner is named `<host>:<pid>/<worker>`.
    let mut per_process: Vec<(String, u64)> = Vec::new();
    for (runner, n) in by_instance {
        let process = runner.split('/').next().unwrap_or(&runner).to_owned();
        match per_process.iter_mut().find(|(p, _)| *p == process) {
            Some((_, total)) => *total += n.max(0) as u64,
            None => per_process.push((process, n.max(0) as u64)),
        }
    }
    Ok(CheckProgress {
        open,
        done,
        runs_done,
        by_instance: per_process,
    })
}
