//! The job queue: background work as rows that any instance runs exactly once.
//!
//! - A job is a `job` row: a [`JobKind`], that kind's typed payload, when to run it, its
//!   attempts, its current claim, and when it was done or parked. [`enqueue`] writes it on the
//!   caller's connection, so inside the caller's transaction (an outbox): the job exists exactly
//!   when the change that causes it is committed, and a process that dies in between loses
//!   neither.
//! - [`runner::Runner`] claims due jobs in batches with one conditional statement (`FOR UPDATE
//!   SKIP LOCKED` on PostgreSQL) and runs each in a transaction that also marks it done and
//!   writes its `job_run` row: a job's effect and its "done" are committed together. A claim not
//!   finished within the lease is taken over; a failure is retried with exponential backoff; the
//!   last failed attempt parks the job for an operator ([`operator`], `skolportal jobs …`).
//! - Recurring kinds have a `job_schedule` row. [`schedule`] advances it conditionally and
//!   enqueues that due time's job in the same transaction, so each due time runs once whichever
//!   instances race for it.
//! - SQLite has no `SKIP LOCKED` and one writer at a time: there one instance runs the jobs
//!   (README). The claim is still one conditional statement, so a second runner would wait, not
//!   double a job.

pub mod kinds;
pub mod operator;
pub mod runner;
pub mod schedule;

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use crate::entity::job;
pub use crate::entity::job::JobKind;
use crate::settings::JobSettings;
use crate::state::AppState;

/// A job kind's payload and what running it does.
///
/// **The idempotency contract.** A handler may be started more than once for one job: the
/// process can die after the handler's work and before the commit, or lose its claim while it is
/// still working. Everything a handler writes to the database goes through `txn`, the
/// transaction that also marks the job done, so the effect and "done" are committed together or
/// not at all: a second run after a crash finds nothing of the first. A handler must still not
/// assume it runs alone (a condition in its `UPDATE`, not a read followed by a write).
///
/// Effects outside the database (an e-mail, a push message, a call to another system) cannot be
/// rolled back. They must carry [`JobContext::idempotency_key`], which is the same for every
/// attempt of one job, so that the receiver drops a repeat; and they come last in the handler.
pub trait Handler: Serialize + DeserializeOwned + Send + Sync {
    const KIND: JobKind;

    fn run(
        self,
        txn: &DatabaseTransaction,
        ctx: &JobContext,
    ) -> impl Future<Output = Result<(), JobError>> + Send;
}

/// What a handler knows about the attempt it is running.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub job_id: Uuid,
    /// 1 for the first attempt.
    pub attempt: i32,
    /// The time as the runner's clock reads it (the settable clock in tests).
    pub now: DateTime<Utc>,
    pub settings: JobSettings,
    /// The SMTP pool and push client of this instance; `None` in a runner made without them
    /// (a delivery job then waits for one that has them).
    pub delivery: Option<crate::notices::Delivery>,
    /// The SS 12000 source this instance follows, if configured.
    pub source: Option<std::sync::Arc<crate::sync::Source>>,
}

impl JobContext {
    /// The key an outside side effect carries so that its receiver can drop a repeat: the same
    /// for every attempt of this job, different for every job.
    pub fn idempotency_key(&self) -> String {
        format!("skolportal-job-{}", self.job_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// A stored payload that its kind cannot read (written by another version, or by hand).
    #[error("the payload does not fit the job kind: {0}")]
    Payload(#[source] serde_json::Error),
    #[error(transparent)]
    Database(#[from] DbErr),
    /// An outside server (SMTP, a push service) did not take a message; the text says which
    /// and why, without the message or its recipient.
    #[error("delivery failed: {0}")]
    Delivery(String),
    #[error("this runner has no delivery channels")]
    NoDelivery,
    #[error("this runner has no SS 12000 source")]
    NoSource,
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    /// The source system did not take a record written back (down, unreachable, refused); the
    /// text names the resource and the answer's status, never the record.
    #[error("the source system did not take the record: {0}")]
    Source(String),
    #[error(transparent)]
    Retention(#[from] crate::retention::RetentionError),
}

impl JobError {
    /// The text kept in `job.last_error` for the operator. A database error's own message can
    /// quote stored values (a unique violation names the key), so only its kind is kept there;
    /// the log line with the job id has the rest.
    pub fn operator_text(&self) -> String {
        match self {
            Self::Payload(e) => {
                format!(
                    "the payload does not fit the kind ({:?} error)",
                    e.classify()
                )
            }
            Self::Database(e)
            | Self::Sync(crate::sync::SyncError::Database(e))
            | Self::Sync(crate::sync::SyncError::Retention(
                crate::retention::RetentionError::Database(e),
            ))
            | Self::Retention(crate::retention::RetentionError::Database(e)) => {
                database_text(e).into()
            }
            Self::Retention(e) => e.to_string(),
            Self::Delivery(text) => format!("delivery failed: {text}"),
            Self::NoDelivery => "this runner has no delivery channels".into(),
            Self::NoSource => "this runner has no SS 12000 source".into(),
            Self::Sync(e) => e.to_string(),
            Self::Source(text) => format!("the source system did not take the record: {text}"),
        }
    }
}

fn database_text(e: &DbErr) -> &'static str {
    match e {
        DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => "the database could not be reached",
        DbErr::Exec(_) | DbErr::Query(_) => {
            "a database statement failed (see the log for this job id)"
        }
        _ => "a database error (see the log for this job id)",
    }
}

/// Adds a job on `db`: pass the transaction of the change that causes the job, and the job is
/// written if and only if that change is. `run_at` is when it becomes due.
pub async fn enqueue<J: Handler>(
    db: &impl ConnectionTrait,
    payload: &J,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let id = Uuid::new_v4();
    job::Entity::insert(new_row(id, payload, run_at, now)?)
        .exec_without_returning(db)
        .await?;
    Ok(id)
}

/// Many jobs of one kind in few statements (an operator's check enqueues thousands).
pub async fn enqueue_many<J: Handler>(
    db: &impl ConnectionTrait,
    payloads: impl IntoIterator<Item = J>,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    // Well below SQLite's and PostgreSQL's limits on bound parameters per statement.
    const ROWS_PER_STATEMENT: usize = 500;
    let rows = payloads
        .into_iter()
        .map(|p| new_row(Uuid::new_v4(), &p, run_at, now))
        .collect::<Result<Vec<_>, _>>()?;
    let mut written = 0;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        written += job::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(written)
}

fn new_row<J: Handler>(
    id: Uuid,
    payload: &J,
    run_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<job::ActiveModel, DbErr> {
    let payload = serde_json::to_value(payload).map_err(|e| DbErr::Json(e.to_string()))?;
    Ok(job::ActiveModel {
        id: Set(id),
        kind: Set(J::KIND),
        payload: Set(payload),
        run_at: Set(run_at),
        attempts: Set(0),
        claimed_by: Set(None),
        claimed_at: Set(None),
        claim_id: Set(None),
        done_at: Set(None),
        parked_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
    })
}

/// Stops the runner's workers when dropped (when the server stops, or its task is aborted).
pub struct Jobs(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Jobs {
    fn drop(&mut self) {
        for worker in &self.0 {
            worker.abort();
        }
    }
}

/// This process's name in `claimed_by` and `job_run.instance`: host and process id.
pub fn instance_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    format!("{host}:{}", std::process::id())
}

/// Starts this instance's workers (none when `jobs.enabled` is off; one on SQLite).
pub fn spawn(
    state: AppState,
    delivery: crate::notices::Delivery,
    source: Option<std::sync::Arc<crate::sync::Source>>,
) -> Jobs {
    let settings = state.settings.jobs.clone();
    if !settings.enabled {
        return Jobs(Vec::new());
    }
    let workers = match state.db.get_database_backend() {
        DbBackend::Postgres => settings.workers.max(1),
        _ => 1,
    };
    let instance = instance_name();
    let handles = (0..workers)
        .map(|n| {
            let runner = runner::Runner::new(
                state.db.clone(),
                state.clock.clone(),
                settings.clone(),
                format!("{instance}/{n}"),
            )
            .with_delivery(delivery.clone())
            .with_source(source.clone());
            // One worker per instance advances the schedules; any could, the others need not.
            tokio::spawn(worker(runner, n == 0))
        })
        .collect();
    Jobs(handles)
}

async fn worker(runner: runner::Runner, schedules: bool) {
    let poll = Duration::from_millis(runner.settings().poll_interval_ms.max(10));
    let mut last_schedule: Option<std::time::Instant> = None;
    loop {
        if schedules && last_schedule.is_none_or(|at| at.elapsed() >= poll) {
            last_schedule = Some(std::time::Instant::now());
            if let Err(err) = runner.enqueue_recurring().await {
                tracing::warn!(%err, "the job schedules could not be advanced; trying again");
            }
        }
        match runner.work_batch().await {
            // A full batch: more are likely waiting.
            Ok(report) if report.claimed >= runner.settings().batch_size.max(1) => {}
            Ok(_) => tokio::time::sleep(poll).await,
            Err(err) => {
                tracing::warn!(%err, "claiming jobs failed; trying again");
                tokio::time::sleep(poll).await;
            }
        }
    }
}
