use serde::{Deserialize, Serialize};

use super::{
    Address, ApplicationStatus, AuthMethod, CorrectionRequestView, DocumentKind, DocumentStatus,
    OfferStatus, Relation,
};

/// Registerutdrag: everything stored about the logged-in person and their children, with who has
/// read it. `GET /api/me/extract`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RegisterExtract {
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub generated_at: chrono::DateTime<chrono::Utc>,
    /// The person's id, to name them in a correction request.
    pub person_id: uuid::Uuid,
    pub person: ExtractPerson,
    /// The check-in tablets: a staff member's PIN and sign-ins.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub kiosk: ExtractKiosk,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub account: Option<ExtractAccount>,
    pub sessions: Vec<ExtractSession>,
    pub roles: Vec<String>,
    pub children: Vec<ExtractChild>,
    /// Documents the person filed that are about no one child (the household's income
    /// statements); documents about a child are under the child.
    pub documents: Vec<ExtractDocument>,
    /// Failed password logins to this person's account that are still kept for throttling.
    pub failed_logins: Vec<ExtractFailedLogin>,
    /// The person's requests for correction (rättelse) and the answers.
    pub corrections: Vec<CorrectionRequestView>,
    /// Who has read or changed this person's data in an official capacity (staff, officers):
    /// the person's own and their family's reads are not listed.
    pub access_log: Vec<AccessEntry>,
    /// The timetable data about the person as staff, and their calendar feeds.
    #[serde(default)]
    pub timetable: ExtractTimetable,
    /// The person's duties (tjänster) at the municipality's units, with the work phone and
    /// e-mail the school's staff list shows.
    #[serde(default)]
    pub duties: Vec<ExtractDuty>,
    /// The notices the person was sent, the channels they chose, and the browsers that take
    /// them by push.
    #[serde(default)]
    pub notices: ExtractNotices,
    /// A pupil's own talk material: every published part and their own drafts.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub talk_material: Vec<crate::api::TalkPart>,
    /// A pupil's own grades, of every year.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub grades: Vec<ExtractGrade>,
    /// A pupil's own booked development talks, with who comes.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub talk_bookings: Vec<crate::api::FamilyTalkBooking>,
    /// A pupil's own development plan: goals with follow-ups, and omdömen, of every school.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub development_goals: Vec<crate::api::IupGoal>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub assessments: Vec<crate::api::IupAssessment>,
    /// What the school administration system sent about the person.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub source_records: Vec<ExtractSourceRecord>,
}

/// Notices to the person and how they come.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractNotices {
    pub received: Vec<ExtractNotice>,
    /// The stored choice; `None` when the person never chose (every channel is on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub by_email: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub by_push: Option<bool>,
    /// The language chosen for e-mail and push (a code such as `sv`); `None` when never chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub language: Option<String>,
    pub push_devices: Vec<ExtractPushDevice>,
}

/// A notice as sent: about whom, which day and lessons, and when it was read or e-mailed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractNotice {
    pub kind: super::NoticeKind,
    pub child_given_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub lessons: Vec<super::NoticeLesson>,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub email_sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A browser that takes the person's notices by push: its push service and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractPushDevice {
    /// The push service's host (the endpoint's path identifies the browser to that service).
    pub push_service: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A record about the person as the municipality's school administration system (SS 12000)
/// last sent it, and as the portal keeps it to follow that system: their own person record,
/// and their placements and duties and grades there. Shown as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractSourceRecord {
    pub kind: crate::api::SourceRecordKind,
    /// The record's id in the source system.
    pub source_id: uuid::Uuid,
    /// When the source last changed it.
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub modified_at: chrono::DateTime<chrono::Utc>,
    /// The record as JSON, indented to be read.
    pub content: String,
}

/// A duty as staff: where, as what, from when, and how one is reached there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractDuty {
    /// None for an officer's duty at the municipality as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub unit_name: Option<String>,
    /// `teacher`, `principal`, `preschool_staff` or `officer`, as `roles` names them.
    pub role: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub start_date: chrono::NaiveDate,
    #[serde(default, deserialize_with = "crate::wire_date::opt_date")]
    pub end_date: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub work_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub work_email: Option<String>,
}

/// A teacher's lessons, the lesson changes the person recorded or stands in for, and the
/// calendar feeds the person subscribes to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractTimetable {
    pub lessons_taught: Vec<ExtractLesson>,
    pub lesson_changes: Vec<ExtractLessonChange>,
    pub calendar_feeds: Vec<ExtractCalendarFeed>,
    /// The person's own attendance as a pupil, every saved mark, the latest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub attendance: Vec<ExtractAttendance>,
    /// The lessons whose attendance the person saved as a teacher: when, and how many marks
    /// (the pupils' marks are each pupil's own data, in their extracts).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub attendance_taken: Vec<ExtractAttendanceTaken>,
}

/// One saved attendance mark of a pupil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractAttendance {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub on_date: chrono::NaiveDate,
    pub activity: super::Activity,
    pub group_name: String,
    pub mark: super::AttendanceMark,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub late_minutes: Option<u16>,
    pub recorded_by: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// A lesson on a day whose attendance the person saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractAttendanceTaken {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub on_date: chrono::NaiveDate,
    pub activity: super::Activity,
    pub group_name: String,
    pub marks: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractLesson {
    pub activity: super::Activity,
    pub group_name: String,
    /// ISO weekday, 1 = Monday.
    pub weekday: i32,
    pub starts_at: String,
    pub ends_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractLessonChange {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub on_date: chrono::NaiveDate,
    pub activity: super::Activity,
    pub group_name: String,
    /// The person recorded the change.
    pub recorded: bool,
    /// The person is the substitute.
    pub substitute: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractCalendarFeed {
    /// Whose timetable the feed carries.
    pub person_name: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A failed login: when, and whether it came from a browser the account had trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractFailedLogin {
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub attempted_at: chrono::DateTime<chrono::Utc>,
    pub from_trusted_browser: bool,
}

/// A browser the account has logged in from, trusted so that others' failed logins do not
/// block it (a device cookie).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractTrustedBrowser {
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub last_used_at: chrono::DateTime<chrono::Utc>,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A childcare application for a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractApplication {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub applied_on: chrono::NaiveDate,
    pub applicant_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub wished_start: chrono::NaiveDate,
    /// The units wished for, first choice first.
    pub units: Vec<String>,
    pub hours_per_week: i32,
    pub status: ApplicationStatus,
}

/// A placement offer made to a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractOffer {
    pub unit: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub start_date: chrono::NaiveDate,
    pub hours_per_week: i32,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub answer_deadline: chrono::DateTime<chrono::Utc>,
    pub status: OfferStatus,
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The figures of an income statement, as filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractIncome {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub valid_from: chrono::NaiveDate,
    pub max_fee_accepted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub gross_monthly_income: Option<i64>,
}

/// Who signed a document, when, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractSignature {
    pub signer_name: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub signed_at: chrono::DateTime<chrono::Utc>,
}

/// A childcare document (income statement, answer to an offer, termination): its text as
/// shown for signing, and its signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractDocument {
    pub id: uuid::Uuid,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    pub owner_name: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub signed_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub income: Option<ExtractIncome>,
    pub text: String,
    pub signatures: Vec<ExtractSignature>,
}

/// A day of a child's childcare schedule: the times, or no care (both absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractScheduleDay {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    /// `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub drop_off: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub pick_up: Option<String>,
    pub changed_by: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

/// An absence report about a child: its days, hours, reason code and who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractAbsenceReport {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub first_day: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub last_day: chrono::NaiveDate,
    /// `HH:MM`, when part of a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ends_at: Option<String>,
    pub reason: crate::api::AbsenceReason,
    pub status: crate::api::AbsenceReportStatus,
    pub reported_by: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub reported_at: chrono::DateTime<chrono::Utc>,
}

/// A child's stay at the unit, as the check-in tablet recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractPresence {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub checked_in_at: chrono::DateTime<chrono::Utc>,
    pub checked_in_by: String,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub checked_out_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub checked_out_by: Option<String>,
    #[serde(default)]
    pub collected_by: Option<String>,
}

/// A staff member's own data of the check-in tablets: when the PIN was set (not the PIN), and
/// when they were signed in on which tablet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractKiosk {
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub pin_set_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub sessions: Vec<ExtractKioskSession>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractKioskSession {
    pub device: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub started_at: chrono::DateTime<chrono::Utc>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Someone allowed to collect a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractPickupPerson {
    pub name: String,
    pub phone: String,
    pub added_by: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub added_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractPerson {
    pub personnummer: String,
    pub given_name: String,
    pub family_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub birth_date: chrono::NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractAccount {
    pub username: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub password_changed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// One-time codes (TOTP) are set up for the account.
    pub one_time_codes: bool,
    /// Recovery codes not yet used (the codes themselves are stored only as hashes).
    pub unused_recovery_codes: u32,
    pub trusted_browsers: Vec<ExtractTrustedBrowser>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractSession {
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why it ended: logged out, or timed out (then `ended_at` is when it timed out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub end: Option<SessionEnd>,
    pub auth_method: AuthMethod,
}

super::codes::wire_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum SessionEnd {
    LoggedOut,
    TimedOut,
}
}

/// A placement in förskola/fritidshem or an enrolment at a school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractPlacement {
    pub unit: String,
    /// `school`, `preschool`, `fritidshem` or `family_daycare`.
    pub kind: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub start_date: chrono::NaiveDate,
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub end_date: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub hours_per_week: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ResponsibleAdult {
    pub given_name: String,
    pub family_name: String,
    pub relation: Relation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractChild {
    pub id: uuid::Uuid,
    pub person: ExtractPerson,
    pub relation: Relation,
    pub responsible_adults: Vec<ResponsibleAdult>,
    pub placements: Vec<ExtractPlacement>,
    pub groups: Vec<String>,
    pub applications: Vec<ExtractApplication>,
    pub offers: Vec<ExtractOffer>,
    pub documents: Vec<ExtractDocument>,
    /// The childcare schedule, newest day first.
    pub schedule: Vec<ExtractScheduleDay>,
    pub pickup_persons: Vec<ExtractPickupPerson>,
    /// Check-ins and check-outs at the unit, the latest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub presence: Vec<ExtractPresence>,
    /// Absence reports, withdrawn ones too, the latest first.
    pub absence_reports: Vec<ExtractAbsenceReport>,
    /// Attendance per lesson, every saved mark, the latest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub attendance: Vec<ExtractAttendance>,
    /// Leave applications, the latest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub leave_applications: Vec<ExtractLeaveApplication>,
    /// Every consent decision about the child, by any guardian, the latest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub consents: Vec<ExtractConsentDecision>,
    /// The talk material: every published part, and the asker's own drafts, the latest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub talk_material: Vec<crate::api::TalkPart>,
    /// Every grade, of every year, the latest term first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub grades: Vec<ExtractGrade>,
    /// The child's booked development talks, with who comes, the latest first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub talk_bookings: Vec<crate::api::FamilyTalkBooking>,
    /// The child's development plan: goals with follow-ups, and omdömen, of every school.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub development_goals: Vec<crate::api::IupGoal>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub assessments: Vec<crate::api::IupAssessment>,
    /// Reads and changes by staff and officers.
    pub access_log: Vec<AccessEntry>,
    /// What the school administration system sent about the child.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub source_records: Vec<ExtractSourceRecord>,
}

/// A grade as stored: the term, the subject, the grade, the year, and who set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractGrade {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_starts_on: chrono::NaiveDate,
    pub activity: crate::api::Activity,
    pub value: crate::api::GradeValue,
    pub school_year: i32,
    /// The subject teacher; empty when the grade was imported.
    pub set_by: String,
}

/// A consent given or withdrawn: which, by whom, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractConsentDecision {
    /// The consent's title as the municipality words it (its key if it no longer asks for it).
    pub consent: String,
    pub decision: crate::api::ConsentDecision,
    pub decided_by: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub decided_at: chrono::DateTime<chrono::Utc>,
}

/// A leave application as stored: its days, reason and outcome, who applied, agreed and decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ExtractLeaveApplication {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub first_day: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub last_day: chrono::NaiveDate,
    pub reason: crate::api::LeaveReason,
    pub status: crate::api::LeaveStatus,
    pub applied_by: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub applied_at: chrono::DateTime<chrono::Utc>,
    pub agreed_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub decided_by: Option<String>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One access-log line: who did what with the data, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AccessEntry {
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub actor_name: String,
    /// The actor's roles at the time of the extract, e.g. `teacher`.
    pub actor_roles: Vec<String>,
    /// What they did, e.g. `read_pupil_card`; the UI translates it.
    pub action: AccessAction,
}

/// What an access-log line records someone did with a person's data: the access policy's
/// action (`policy::PolicyAction::log_name` in the backend), stored in `access_log.action` by its
/// code. The register extract shows it by its text, `action.<code>` in the catalogues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[cfg_attr(feature = "orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "orm",
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(64))"
    )
)]
pub enum AccessAction {
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_pupil_card"))]
    ReadPupilCard,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "list_own_children"))]
    ListOwnChildren,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "list_pupils"))]
    ListPupils,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_register_extract"))]
    ReadRegisterExtract,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_childcare_schedule"))]
    ReadChildcareSchedule,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "edit_childcare_schedule"))]
    EditChildcareSchedule,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_pickup_persons"))]
    ReadPickupPersons,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "manage_pickup_persons"))]
    ManagePickupPersons,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_childcare_day_sheet"))]
    ReadChildcareDaySheet,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "edit_lunch_menu"))]
    EditLunchMenu,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "manage_childcare_place"))]
    ManageChildcarePlace,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "handle_childcare_queue"))]
    HandleChildcareQueue,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_placement_offers"))]
    ReadPlacementOffers,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_received_documents"))]
    ReadReceivedDocuments,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "sign_childcare_document"))]
    SignChildcareDocument,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "request_correction"))]
    RequestCorrection,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "handle_correction_requests"))]
    HandleCorrectionRequests,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "follow_source_sync"))]
    FollowSourceSync,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "change_settings"))]
    ChangeSettings,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "handle_retention"))]
    HandleRetention,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "check_children_in_and_out"))]
    CheckChildrenInAndOut,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "manage_kiosks"))]
    ManageKiosks,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_childcare_document"))]
    ReadChildcareDocument,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "delete_childcare_document"))]
    DeleteChildcareDocument,
    #[cfg_attr(
        feature = "orm",
        sea_orm(string_value = "withdraw_childcare_application")
    )]
    WithdrawChildcareApplication,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "answer_placement_offer"))]
    AnswerPlacementOffer,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "terminate_childcare_place"))]
    TerminateChildcarePlace,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_timetable"))]
    ReadTimetable,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_teacher_timetable"))]
    ReadTeacherTimetable,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "subscribe_to_timetable"))]
    SubscribeToTimetable,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "record_lesson_change"))]
    RecordLessonChange,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_staff_list"))]
    ReadStaffList,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_group_list"))]
    ReadGroupList,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "report_absence"))]
    ReportAbsence,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "change_absence_report"))]
    ChangeAbsenceReport,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "withdraw_absence_report"))]
    WithdrawAbsenceReport,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "manage_notices"))]
    ManageNotices,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "apply_for_leave"))]
    ApplyForLeave,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "agree_to_leave"))]
    AgreeToLeave,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "withdraw_leave"))]
    WithdrawLeave,
    /// Granted or refused a pupil's leave application.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "decide_leave"))]
    DecideLeave,
    /// Marked a child absent on the day sheet.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "mark_absence"))]
    MarkAbsence,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_attendance"))]
    ReadAttendance,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_attendance_overview"))]
    ReadAttendanceOverview,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_absence_follow_up"))]
    ReadAbsenceFollowUp,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_consents"))]
    ReadConsents,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "decide_consent"))]
    DecideConsent,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_grades"))]
    ReadGrades,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "set_grades"))]
    SetGrades,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "lock_grades"))]
    LockGrades,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_talk_material"))]
    ReadTalkMaterial,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "write_talk_material"))]
    WriteTalkMaterial,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "book_talk"))]
    BookTalk,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "publish_talk_times"))]
    PublishTalkTimes,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "read_development_plan"))]
    ReadDevelopmentPlan,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "write_development_goals"))]
    WriteDevelopmentGoals,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "write_assessment"))]
    WriteAssessment,
    /// Took or corrected a lesson's attendance (the pupils' roster was shown).
    #[cfg_attr(feature = "orm", sea_orm(string_value = "take_attendance"))]
    TakeAttendance,
}

impl AccessAction {
    pub const ALL: &'static [AccessAction] = &[
        AccessAction::ReadPupilCard,
        AccessAction::ListOwnChildren,
        AccessAction::ListPupils,
        AccessAction::ReadRegisterExtract,
        AccessAction::ReadChildcareSchedule,
        AccessAction::EditChildcareSchedule,
        AccessAction::ReadPickupPersons,
        AccessAction::ManagePickupPersons,
        AccessAction::ReadChildcareDaySheet,
        AccessAction::EditLunchMenu,
        AccessAction::ManageChildcarePlace,
        AccessAction::HandleChildcareQueue,
        AccessAction::ReadPlacementOffers,
        AccessAction::ReadReceivedDocuments,
        AccessAction::SignChildcareDocument,
        AccessAction::RequestCorrection,
        AccessAction::HandleCorrectionRequests,
        AccessAction::FollowSourceSync,
        AccessAction::ChangeSettings,
        AccessAction::HandleRetention,
        AccessAction::CheckChildrenInAndOut,
        AccessAction::ManageKiosks,
        AccessAction::ReadChildcareDocument,
        AccessAction::DeleteChildcareDocument,
        AccessAction::WithdrawChildcareApplication,
        AccessAction::AnswerPlacementOffer,
        AccessAction::TerminateChildcarePlace,
        AccessAction::ReadTimetable,
        AccessAction::ReadTeacherTimetable,
        AccessAction::SubscribeToTimetable,
        AccessAction::RecordLessonChange,
        AccessAction::ReadStaffList,
        AccessAction::ReadGroupList,
        AccessAction::ReportAbsence,
        AccessAction::TakeAttendance,
        AccessAction::ChangeAbsenceReport,
        AccessAction::WithdrawAbsenceReport,
        AccessAction::ManageNotices,
        AccessAction::ApplyForLeave,
        AccessAction::AgreeToLeave,
        AccessAction::WithdrawLeave,
        AccessAction::DecideLeave,
        AccessAction::MarkAbsence,
        AccessAction::ReadAttendance,
        AccessAction::ReadAttendanceOverview,
        AccessAction::ReadAbsenceFollowUp,
        AccessAction::ReadConsents,
        AccessAction::DecideConsent,
        AccessAction::ReadTalkMaterial,
        AccessAction::WriteTalkMaterial,
        AccessAction::ReadGrades,
        AccessAction::SetGrades,
        AccessAction::LockGrades,
        AccessAction::BookTalk,
        AccessAction::PublishTalkTimes,
        AccessAction::ReadDevelopmentPlan,
        AccessAction::WriteDevelopmentGoals,
        AccessAction::WriteAssessment,
    ];

    /// The snake_case code, as stored and sent.
    pub const fn code(self) -> &'static str {
        match self {
            AccessAction::ReadPupilCard => "read_pupil_card",
            AccessAction::ListOwnChildren => "list_own_children",
            AccessAction::ListPupils => "list_pupils",
            AccessAction::ReadRegisterExtract => "read_register_extract",
            AccessAction::ReadChildcareSchedule => "read_childcare_schedule",
            AccessAction::EditChildcareSchedule => "edit_childcare_schedule",
            AccessAction::ReadPickupPersons => "read_pickup_persons",
            AccessAction::ManagePickupPersons => "manage_pickup_persons",
            AccessAction::ReadChildcareDaySheet => "read_childcare_day_sheet",
            AccessAction::EditLunchMenu => "edit_lunch_menu",
            AccessAction::ManageChildcarePlace => "manage_childcare_place",
            AccessAction::HandleChildcareQueue => "handle_childcare_queue",
            AccessAction::ReadPlacementOffers => "read_placement_offers",
            AccessAction::ReadReceivedDocuments => "read_received_documents",
            AccessAction::SignChildcareDocument => "sign_childcare_document",
            AccessAction::RequestCorrection => "request_correction",
            AccessAction::HandleCorrectionRequests => "handle_correction_requests",
            AccessAction::FollowSourceSync => "follow_source_sync",
            AccessAction::ChangeSettings => "change_settings",
            AccessAction::HandleRetention => "handle_retention",
            AccessAction::CheckChildrenInAndOut => "check_children_in_and_out",
            AccessAction::ManageKiosks => "manage_kiosks",
            AccessAction::ReadChildcareDocument => "read_childcare_document",
            AccessAction::DeleteChildcareDocument => "delete_childcare_document",
            AccessAction::WithdrawChildcareApplication => "withdraw_childcare_application",
            AccessAction::AnswerPlacementOffer => "answer_placement_offer",
            AccessAction::TerminateChildcarePlace => "terminate_childcare_place",
            AccessAction::ReadTimetable => "read_timetable",
            AccessAction::ReadTeacherTimetable => "read_teacher_timetable",
            AccessAction::SubscribeToTimetable => "subscribe_to_timetable",
            AccessAction::RecordLessonChange => "record_lesson_change",
            AccessAction::ReadStaffList => "read_staff_list",
            AccessAction::ReadGroupList => "read_group_list",
            AccessAction::ReportAbsence => "report_absence",
            AccessAction::TakeAttendance => "take_attendance",
            AccessAction::ChangeAbsenceReport => "change_absence_report",
            AccessAction::WithdrawAbsenceReport => "withdraw_absence_report",
            AccessAction::ManageNotices => "manage_notices",
            AccessAction::ApplyForLeave => "apply_for_leave",
            AccessAction::AgreeToLeave => "agree_to_leave",
            AccessAction::WithdrawLeave => "withdraw_leave",
            AccessAction::DecideLeave => "decide_leave",
            AccessAction::MarkAbsence => "mark_absence",
            AccessAction::ReadAttendance => "read_attendance",
            AccessAction::ReadAttendanceOverview => "read_attendance_overview",
            AccessAction::ReadAbsenceFollowUp => "read_absence_follow_up",
            AccessAction::ReadConsents => "read_consents",
            AccessAction::DecideConsent => "decide_consent",
            AccessAction::ReadTalkMaterial => "read_talk_material",
            AccessAction::WriteTalkMaterial => "write_talk_material",
            AccessAction::ReadGrades => "read_grades",
            AccessAction::SetGrades => "set_grades",
            AccessAction::LockGrades => "lock_grades",
            AccessAction::BookTalk => "book_talk",
            AccessAction::PublishTalkTimes => "publish_talk_times",
            AccessAction::ReadDevelopmentPlan => "read_development_plan",
            AccessAction::WriteDevelopmentGoals => "write_development_goals",
            AccessAction::WriteAssessment => "write_assessment",
        }
    }
}
