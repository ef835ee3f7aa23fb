use sea_orm::entity::prelude::*;

/// What a job does. Each kind has one payload type and one handler in `crate::jobs::kinds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum JobKind {
    /// Recurring: open placement offers past their answer deadline lapse.
    #[sea_orm(string_value = "offers_lapse")]
    OffersLapse,
    /// Recurring: finished jobs (and their runs) past the keeping time are deleted.
    #[sea_orm(string_value = "jobs_cleanup")]
    JobsCleanup,
    /// An operator's check that the instances take and finish jobs (`skolportal jobs check`);
    /// its only effect is its run row, which is what makes "exactly once" countable.
    #[sea_orm(string_value = "queue_check")]
    QueueCheck,
    /// A pupil's batch of unexcused absence on a day becomes the guardians' notices.
    #[sea_orm(string_value = "compose_absence_notice")]
    ComposeAbsenceNotice,
    /// One notice to one guardian by e-mail.
    #[sea_orm(string_value = "notice_email")]
    DeliverNoticeByEmail,
    /// One notice to one browser by Web Push.
    #[sea_orm(string_value = "notice_push")]
    DeliverNoticeByPush,
    /// Recurring: before a school year, each guardian of a pupil is reminded of their
    /// consents, once.
    #[sea_orm(string_value = "consent_reminders")]
    ConsentReminders,
    /// A withdrawn talk consent's grace period is over: the pupil's talk material goes.
    #[sea_orm(string_value = "purge_talk_material")]
    PurgeTalkMaterial,
    /// Recurring: everyone coming to a development talk tomorrow is reminded, once.
    #[sea_orm(string_value = "talk_reminders")]
    TalkReminders,
    /// Recurring: the SS 12000 sync that is due, if any (`sync::due`).
    #[sea_orm(string_value = "source_sync_tick")]
    SourceSyncTick,
    /// An officer started a sync, or confirmed a refused one.
    #[sea_orm(string_value = "source_sync_requested")]
    SourceSyncRequested,
    /// A guardian's absence report goes to the source system (`ss12000::write_back`).
    #[sea_orm(string_value = "absence_to_source")]
    AbsenceToSource,
    /// A pupil's attendance at a lesson goes to the source system (`ss12000::write_back`).
    #[sea_orm(string_value = "attendance_to_source")]
    AttendanceToSource,
    /// Recurring: at night, each municipality's retention run of the day is started, once.
    #[sea_orm(string_value = "retention_tick")]
    RetentionTick,
    /// One batch of a retention run (`retention::run::step`); enqueues the next until done.
    #[sea_orm(string_value = "retention_step")]
    RetentionStep,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: JobKind,
    /// The kind's payload type, serialised; ids and times only, never personal data.
    pub payload: Json,
    pub run_at: DateTimeUtc,
    /// Claims so far (each claim is an attempt, also one whose process died).
    pub attempts: i32,
    pub claimed_by: Option<String>,
    pub claimed_at: Option<DateTimeUtc>,
    pub claim_id: Option<Uuid>,
    pub done_at: Option<DateTimeUtc>,
    pub parked_at: Option<DateTimeUtc>,
    /// Why the last attempt failed, in words without personal data.
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
