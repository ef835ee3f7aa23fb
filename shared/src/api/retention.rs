//! Retention (gallring) on the wire: the dry run, the runs' reports (counts per kind, never
//! names), the archive packages they leave, and the anonymous statistics kept when attendance
//! and absence go.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::timetable::stored_codes;
use super::Activity;

stored_codes! {
    /// A kind of record retention removes, as its dry run and its reports count them.
    RetentionKind {
        /// Grades: preserved in the archive, then removed.
        Grades = "grades",
        /// Talk material, IUP goals and omdömen of pupils whose last enrolment ended long
        /// enough ago: preserved in the archive, then removed.
        TalkMaterial = "talk_material",
        /// Attendance marks: counted into the statistics, then removed.
        Attendance = "attendance",
        /// Absence reports, three years after their last day by default: counted into the
        /// statistics, then removed.
        AbsenceReports = "absence_reports",
        /// Check-ins and check-outs at a preschool's entrance, three years after the day:
        /// counted into the statistics, then removed.
        Presence = "presence",
        /// Signed childcare documents (income statements, answers to offers, terminations) of
        /// families with no placement for the talk material's period, with the evidence of
        /// their signatures: preserved in the archive, then removed.
        ChildcareDocuments = "childcare_documents",
        /// Childcare schedules of children whose every placement ended before the grace period.
        Schedules = "schedules",
        /// Pick-up persons of those children.
        PickupPersons = "pickup_persons",
        /// Login accounts neither used nor backed by a current relation (a child's place or
        /// enrolment, one's own, a duty, the administrator's role) for the grace period.
        Accounts = "accounts",
        /// Who read whose data.
        AccessLog = "access_log",
    }
}

impl RetentionKind {
    /// Whether the municipality preserves this kind (bevaras): exported to the archive first.
    pub const fn is_preserved(self) -> bool {
        matches!(
            self,
            RetentionKind::Grades | RetentionKind::TalkMaterial | RetentionKind::ChildcareDocuments
        )
    }
}

stored_codes! {
    /// What one anonymous statistic counts.
    AttendanceMeasure {
        /// Lessons a pupil attended.
        LessonsPresent = "lessons_present",
        /// Lessons a pupil came late to.
        LessonsLate = "lessons_late",
        /// Lessons missed with a valid reason.
        LessonsValidAbsence = "lessons_valid_absence",
        /// Lessons missed without one.
        LessonsUnexcusedAbsence = "lessons_unexcused_absence",
        /// Absence reports made by guardians (withdrawn ones not counted).
        AbsenceReports = "absence_reports",
        /// The days those reports cover.
        AbsenceReportDays = "absence_report_days",
        /// Stays at a preschool or fritidshem, as its entrance's tablet checked them in.
        ChildcareStays = "childcare_stays",
    }
}

/// One kind in the dry run: what the next run would remove and first export to the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RetentionPlanItem {
    pub kind: RetentionKind,
    /// Records about days before this one are due.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub kept_from: chrono::NaiveDate,
    /// Records the run would remove.
    pub remove: u64,
    /// Of those, records the municipality preserves, exported to the archive first.
    pub export: u64,
}

/// `GET /api/admin/retention/plan`: what retention would do today. Counts only, never names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RetentionPlan {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub today: chrono::NaiveDate,
    pub items: Vec<RetentionPlanItem>,
}

/// What one run removed and exported of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RetentionCount {
    pub kind: RetentionKind,
    pub removed: u64,
    pub exported: u64,
}

/// A run's report: when, by whom it was started (a name is the administrator's own, never the
/// people removed), and counts per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RetentionRunReport {
    pub id: Uuid,
    /// The day the run's periods count back from.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub run_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// `None` while it runs.
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Started by an administrator rather than the daily schedule.
    pub started_by_administrator: bool,
    pub counts: Vec<RetentionCount>,
    /// The archive package's files (content files and `sip.xml`), 0 when nothing was exported.
    pub archive_files: u32,
    /// Whether the package is complete (its `sip.xml` written) and can be delivered.
    pub archive_sealed: bool,
    /// The SHA-256 of the sealed package's `sip.xml` (lower-case hex): what the city archive's
    /// receipt quotes. `sip.xml` lists every content file's own checksum.
    #[serde(default)]
    pub archive_sip_sha256: Option<String>,
    /// When the administrator confirmed the archive's receipt; the portal holds the files no
    /// more, and `archive_files` is how many were delivered.
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub archive_delivered_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `POST /api/admin/retention/runs/{id}/package/delivery`: the city archive received the
/// package. `sip_sha256` is the checksum its receipt quotes for `sip.xml`; any case, and
/// spaces or colons between groups, are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ArchiveDelivery {
    pub sip_sha256: String,
}

/// `GET /api/admin/retention/runs`: the municipality's runs, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RetentionRuns {
    pub runs: Vec<RetentionRunReport>,
}

/// One anonymous statistic: a measure's count for a unit, a term and (for lessons) a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttendanceStatistic {
    /// `None` when the record could not be tied to a unit.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    /// The term, `HT2026` or `VT2027` (`shared::retention::term_of`).
    pub term: String,
    #[serde(default)]
    pub activity: Option<Activity>,
    pub measure: AttendanceMeasure,
    pub value: u64,
}

/// `GET /api/admin/statistics/attendance`: every statistic of the municipality, what retention
/// kept and what is still stored counted alike, so the numbers do not move when records go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttendanceStatistics {
    pub rows: Vec<AttendanceStatistic>,
}
