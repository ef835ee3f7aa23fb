//! Every job kind: its payload type, its handler, and for recurring kinds how often they are due.
//! A new kind is a `JobKind` variant, a payload struct implementing [`Handler`], and one line in
//! [`run`] (and in [`recurrence`] and [`enqueue_recurring`] when it recurs).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{enqueue, Handler, JobContext, JobError, JobKind};
use crate::childcare::offers;
use crate::entity::source_sync_run::{SyncScope, SyncTrigger};
use crate::entity::{job, municipality};
use crate::municipality::MunicipalitySettings;
use crate::notices;
use crate::school::{consent, talk_booking, talks};
use crate::ss12000::write_back::{self, WriteBackError};

/// How often a recurring kind is due; `None` for kinds enqueued by a change.
pub fn recurrence(kind: JobKind) -> Option<Duration> {
    match kind {
        // An offer cannot be answered after its deadline anyway (`offers::is_open`); the lapse
        // makes that show in the lists and closes the application.
        JobKind::OffersLapse => Some(Duration::minutes(5)),
        JobKind::JobsCleanup => Some(Duration::hours(24)),
        JobKind::ConsentReminders => Some(Duration::hours(6)),
        // A talk booked late on the day before is still reminded of within the hour.
        JobKind::TalkReminders => Some(Duration::hours(1)),
        // Each tick asks `sync::due`; the pace of the syncs themselves is the settings'.
        JobKind::SourceSyncTick => Some(Duration::minutes(1)),
        // Hourly, so that the night's window is met whenever the instances started.
        JobKind::RetentionTick => Some(Duration::hours(1)),
        JobKind::RetentionStep
        | JobKind::QueueCheck
        | JobKind::ComposeAbsenceNotice
        | JobKind::DeliverNoticeByEmail
        | JobKind::DeliverNoticeByPush
        | JobKind::PurgeTalkMaterial
        | JobKind::SourceSyncRequested
        | JobKind::AbsenceToSource
        | JobKind::AttendanceToSource => None,
    }
}

/// Whether a recurring kind follows the SS 12000 source, and so is only scheduled by a runner
/// that has one.
pub fn needs_source(kind: JobKind) -> bool {
    matches!(kind, JobKind::SourceSyncTick)
}

/// Enqueues the job of a recurring kind for the due time `due`.
pub(super) async fn enqueue_recurring(
    txn: &DatabaseTransaction,
    kind: JobKind,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    match kind {
        JobKind::OffersLapse => enqueue(txn, &OffersLapse { due }, now, now).await?,
        JobKind::JobsCleanup => enqueue(txn, &JobsCleanup { due }, now, now).await?,
        JobKind::ConsentReminders => enqueue(txn, &ConsentReminders { due }, now, now).await?,
        JobKind::TalkReminders => enqueue(txn, &TalkReminders { due }, now, now).await?,
        JobKind::SourceSyncTick => enqueue(txn, &SourceSyncTick { due }, now, now).await?,
        JobKind::RetentionTick => enqueue(txn, &RetentionTick { due }, now, now).await?,
        JobKind::RetentionStep
        | JobKind::QueueCheck
        | JobKind::ComposeAbsenceNotice
        | JobKind::DeliverNoticeByEmail
        | JobKind::DeliverNoticeByPush
        | JobKind::PurgeTalkMaterial
        | JobKind::SourceSyncRequested
        | JobKind::AbsenceToSource
        | JobKind::AttendanceToSource => return Ok(()),
    };
    Ok(())
}

/// Reads the stored payload as its kind's type and runs its handler.
pub(super) async fn run(
    kind: JobKind,
    payload: serde_json::Value,
    txn: &DatabaseTransaction,
    ctx: &JobContext,
) -> Result<(), JobError> {
    match kind {
        JobKind::OffersLapse => parse::<OffersLapse>(payload)?.run(txn, ctx).await,
        JobKind::JobsCleanup => parse::<JobsCleanup>(payload)?.run(txn, ctx).await,
        JobKind::QueueCheck => parse::<QueueCheck>(payload)?.run(txn, ctx).await,
        JobKind::ComposeAbsenceNotice => {
            parse::<ComposeAbsenceNotice>(payload)?.run(txn, ctx).await
        }
        JobKind::DeliverNoticeByEmail => {
            parse::<DeliverNoticeByEmail>(payload)?.run(txn, ctx).await
        }
        JobKind::DeliverNoticeByPush => parse::<DeliverNoticeByPush>(payload)?.run(txn, ctx).await,
        JobKind::ConsentReminders => parse::<ConsentReminders>(payload)?.run(txn, ctx).await,
        JobKind::PurgeTalkMaterial => parse::<PurgeTalkMaterial>(payload)?.run(txn, ctx).await,
        JobKind::TalkReminders => parse::<TalkReminders>(payload)?.run(txn, ctx).await,
        JobKind::SourceSyncTick => parse::<SourceSyncTick>(payload)?.run(txn, ctx).await,
        JobKind::SourceSyncRequested => parse::<SourceSyncRequested>(payload)?.run(txn, ctx).await,
        JobKind::AbsenceToSource => parse::<AbsenceToSource>(payload)?.run(txn, ctx).await,
        JobKind::AttendanceToSource => parse::<AttendanceToSource>(payload)?.run(txn, ctx).await,
        JobKind::RetentionTick => parse::<RetentionTick>(payload)?.run(txn, ctx).await,
        JobKind::RetentionStep => parse::<RetentionStep>(payload)?.run(txn, ctx).await,
    }
}

fn parse<J: Handler>(payload: serde_json::Value) -> Result<J, JobError> {
    serde_json::from_value(payload).map_err(JobError::Payload)
}

/// Placement offers past their answer deadline lapse (`offers::lapse_due`), as of the run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffersLapse {
    /// The schedule's due time this run is for.
    pub due: DateTime<Utc>,
}

impl Handler for OffersLapse {
    const KIND: JobKind = JobKind::OffersLapse;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        // Conditional updates: a second run finds nothing left to lapse.
        offers::lapse_due(txn, ctx.now).await?;
        Ok(())
    }
}

/// Before a school year each guardian of a pupil is reminded of their consents, once
/// (`school::consent::remind`); a run that leaves guardians for later enqueues the next at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentReminders {
    pub due: DateTime<Utc>,
}

impl Handler for ConsentReminders {
    const KIND: JobKind = JobKind::ConsentReminders;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        let mut more = false;
        for m in municipality::Entity::find().all(txn).await? {
            let Ok(settings) = MunicipalitySettings::of(&m) else {
                // Start-up refuses unreadable settings; a row changed since waits for its fix.
                tracing::warn!(municipality = %m.code, "unreadable settings: no consent reminders");
                continue;
            };
            more |= consent::remind(txn, m.id, &settings, ctx.now).await?;
        }
        if more {
            enqueue(txn, &ConsentReminders { due: self.due }, ctx.now, ctx.now).await?;
        }
        Ok(())
    }
}

/// Everyone coming to a development talk tomorrow is reminded, once per booking
/// (`school::talk_booking::remind_due`); a run that leaves some enqueues the next at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalkReminders {
    pub due: DateTime<Utc>,
}

impl Handler for TalkReminders {
    const KIND: JobKind = JobKind::TalkReminders;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        if talk_booking::remind_due(txn, ctx.now).await? {
            enqueue(txn, &TalkReminders { due: self.due }, ctx.now, ctx.now).await?;
        }
        Ok(())
    }
}

/// The grace period after a withdrawal of the talk consent is over: the pupil's talk material is
/// deleted unless the consent is in force again (`school::talks::purge_after_withdrawal`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurgeTalkMaterial {
    pub pupil_id: Uuid,
    /// The withdrawal's number among the child's consent decisions.
    pub withdrawal_seq: i32,
}

impl Handler for PurgeTalkMaterial {
    const KIND: JobKind = JobKind::PurgeTalkMaterial;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        let deleted =
            talks::purge_after_withdrawal(txn, self.pupil_id, self.withdrawal_seq, ctx.now).await?;
        if deleted > 0 {
            tracing::info!(deleted, "talk material deleted after a withdrawn consent");
        }
        Ok(())
    }
}

/// Done jobs (with their runs) older than `jobs.keep_done_days` are deleted; parked and waiting
/// ones are kept whatever their age.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsCleanup {
    pub due: DateTime<Utc>,
}

impl Handler for JobsCleanup {
    const KIND: JobKind = JobKind::JobsCleanup;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        let before = ctx.now - Duration::days(ctx.settings.keep_done_days.max(1));
        let deleted = job::Entity::delete_many()
            .filter(job::Column::DoneAt.lt(before))
            .exec(txn)
            .await?
            .rows_affected;
        if deleted > 0 {
            tracing::info!(deleted, "old finished jobs deleted");
        }
        // Login attempts and trusted browsers that no longer count.
        crate::auth::throttle::forget_before(txn, ctx.now - Duration::days(1)).await?;
        crate::auth::device::forget_expired(txn, ctx.now).await?;
        Ok(())
    }
}

/// An operator's check that the instances take and finish jobs (`skolportal jobs check N`), and
/// the benchmark's unit of work. It has no effect of its own: its `job_run` row, written in the
/// transaction that marks it done, is the countable trace that shows each check done once.
/// A kind with a domain effect could not show that: every real effect here is a conditional
/// update that a second run leaves unchanged, which is what makes it safe but also invisible.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueCheck {
    /// The checks enqueued together share this id.
    pub batch: Uuid,
    pub number: u32,
}

impl Handler for QueueCheck {
    const KIND: JobKind = JobKind::QueueCheck;

    async fn run(self, _txn: &DatabaseTransaction, _ctx: &JobContext) -> Result<(), JobError> {
        Ok(())
    }
}

/// A pupil's batch of unexcused absence becomes the guardians' notices (`notices::compose`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComposeAbsenceNotice {
    pub batch_id: Uuid,
}

impl Handler for ComposeAbsenceNotice {
    const KIND: JobKind = JobKind::ComposeAbsenceNotice;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        notices::compose(txn, self.batch_id, ctx.now).await?;
        Ok(())
    }
}

/// One notice to one guardian by e-mail (`notices::deliver_by_email`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverNoticeByEmail {
    pub notice_id: Uuid,
}

impl Handler for DeliverNoticeByEmail {
    const KIND: JobKind = JobKind::DeliverNoticeByEmail;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        let Some(delivery) = &ctx.delivery else {
            return Err(JobError::NoDelivery);
        };
        match notices::deliver_by_email(txn, delivery, self.notice_id, ctx.now).await {
            Ok(_) => Ok(()),
            Err(err) if err.is_transient() => Err(JobError::Delivery(err.to_string())),
            Err(err) => {
                // Retrying cannot help (an address that does not parse): the notice stays in the
                // app, which is where the guardian finds it.
                tracing::warn!(job = %ctx.job_id, %err, "a notice could not be e-mailed");
                Ok(())
            }
        }
    }
}

/// One notice to one browser by Web Push (`notices::deliver_by_push`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverNoticeByPush {
    pub notice_id: Uuid,
    pub subscription_id: Uuid,
}

impl Handler for DeliverNoticeByPush {
    const KIND: JobKind = JobKind::DeliverNoticeByPush;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        let Some(delivery) = &ctx.delivery else {
            return Err(JobError::NoDelivery);
        };
        match notices::deliver_by_push(txn, delivery, self.notice_id, self.subscription_id, ctx.now)
            .await
        {
            Ok(Some(notices::push::Sent::Refused(status))) => {
                tracing::warn!(job = %ctx.job_id, status, "a push service refused a notice");
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(err) if err.is_transient() => Err(JobError::Delivery(err.to_string())),
            Err(err) => {
                tracing::warn!(job = %ctx.job_id, %err, "a notice could not be pushed");
                Ok(())
            }
        }
    }
}

/// The SS 12000 sync that is due, if any (`sync::scheduled`). The sync is idempotent, so a
/// second run after a crash only records another run that changed nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSyncTick {
    pub due: DateTime<Utc>,
}

impl Handler for SourceSyncTick {
    const KIND: JobKind = JobKind::SourceSyncTick;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        // An instance without a source configured has nothing to follow.
        let Some(source) = &ctx.source else {
            return Ok(());
        };
        crate::sync::scheduled(txn, source, ctx.now).await?;
        Ok(())
    }
}

impl From<WriteBackError> for JobError {
    fn from(err: WriteBackError) -> Self {
        match err {
            WriteBackError::Database(e) => Self::Database(e),
            // The client's errors name the resource and the status only: fit for the operator.
            WriteBackError::Source(e) => Self::Source(e.to_string()),
        }
    }
}

/// A guardian's absence report goes to the source system as an `Absence`
/// (`ss12000::write_back::send_absence`). The record's id is derived from the report, so a
/// repeat after a lost commit is dropped by the receiver: that id, not the job's, is the
/// idempotency key, since it holds across jobs too.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenceToSource {
    pub report_id: Uuid,
}

impl Handler for AbsenceToSource {
    const KIND: JobKind = JobKind::AbsenceToSource;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        let Some(source) = &ctx.source else {
            return Err(JobError::NoSource);
        };
        if write_back::send_absence(txn, &source.client, self.report_id).await?
            == write_back::Sent::Nothing
        {
            tracing::info!(job = %ctx.job_id, "an absence report had nothing left to send");
        }
        Ok(())
    }
}

/// A sync an officer asked for: a full one, or the confirmation of a refused one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSyncRequested {
    pub municipality_id: Uuid,
    pub requested_by: Uuid,
    /// The refused run this confirms.
    pub confirms: Option<Uuid>,
}

impl Handler for SourceSyncRequested {
    const KIND: JobKind = JobKind::SourceSyncRequested;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        let source = ctx.source.as_ref().ok_or(JobError::NoSource)?;
        let request = crate::sync::SyncRequest {
            scope: SyncScope::Full,
            trigger: match self.confirms {
                Some(_) => SyncTrigger::Confirmation,
                None => SyncTrigger::Officer,
            },
            requested_by: Some(self.requested_by),
            confirms: self.confirms,
        };
        let share = source.settings.max_removed_share;
        crate::sync::run(
            txn,
            &source.client,
            self.municipality_id,
            request,
            share,
            ctx.now,
        )
        .await?;
        Ok(())
    }
}

/// A pupil's attendance at a lesson goes to the source system as an `Attendance`
/// (`ss12000::write_back::send_attendance`); the record's id is derived from the pupil's first
/// mark, as for [`AbsenceToSource`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceToSource {
    pub mark_id: Uuid,
}

impl Handler for AttendanceToSource {
    const KIND: JobKind = JobKind::AttendanceToSource;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        let Some(source) = &ctx.source else {
            return Err(JobError::NoSource);
        };
        if write_back::send_attendance(txn, &source.client, self.mark_id).await?
            == write_back::Sent::Nothing
        {
            tracing::info!(job = %ctx.job_id, "an attendance mark had nothing left to send");
        }
        Ok(())
    }
}

/// At night (01:00–05:00 Swedish time, when nobody is in the middle of a school day), each
/// municipality's retention run of the day is started, once (`retention::start`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionTick {
    pub due: DateTime<Utc>,
}

impl Handler for RetentionTick {
    const KIND: JobKind = JobKind::RetentionTick;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        use chrono::Timelike;
        let hour = crate::clock::local_time_of(ctx.now).hour();
        if !(1..5).contains(&hour) {
            return Ok(());
        }
        let today = crate::clock::day_of(ctx.now);
        for m in municipality::Entity::find().all(txn).await? {
            // Within the job's transaction: the run and its first step commit with the tick.
            crate::retention::start(
                txn,
                m.id,
                crate::retention::Starter::Schedule,
                today,
                ctx.now,
            )
            .await?;
        }
        Ok(())
    }
}

/// One batch of a retention run; the next is enqueued in the same transaction while there is
/// more, so a run is always either finished or has exactly one step waiting.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionStep {
    pub run_id: Uuid,
    /// The kind the previous step removed: the ones before it are done (`retention::run::step`).
    /// A step enqueued before this field existed starts from the first kind.
    #[serde(default)]
    pub from: Option<skolportal_shared::api::RetentionKind>,
}

impl Handler for RetentionStep {
    const KIND: JobKind = JobKind::RetentionStep;

    async fn run(self, txn: &DatabaseTransaction, ctx: &JobContext) -> Result<(), JobError> {
        use crate::retention::run::{step, StepOutcome};
        let batch = u64::from(ctx.settings.retention_batch_size);
        match step(txn, self.run_id, self.from, batch, ctx.now).await? {
            StepOutcome::Removed { kind, rows } => {
                tracing::info!(kind = kind.code(), rows, "retention batch removed");
                let next = Self {
                    run_id: self.run_id,
                    from: Some(kind),
                };
                enqueue(txn, &next, ctx.now, ctx.now).await?;
            }
            StepOutcome::Finished => tracing::info!("retention run finished"),
        }
        Ok(())
    }
}
