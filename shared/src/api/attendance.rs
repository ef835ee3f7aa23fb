//! Attendance per lesson (närvaro): the teacher's roster of a lesson on a day, where everyone is
//! present until marked, and what the teacher saves. Guardians' reports of absence are filled in
//! as valid absence before the teacher starts.

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;
use super::{Activity, DayAbsence};

stored_codes! {
    /// How a pupil attended a lesson.
    AttendanceMark {
        Present = "present",
        /// Came late, by `late_minutes`.
        Late = "late",
        /// Away with a valid reason: reported by a guardian, granted leave, or as the school
        /// judges it.
        ValidAbsence = "valid_absence",
        /// Away without one: the guardians are told the same day (skollagen 7 kap. 17 §).
        UnexcusedAbsence = "unexcused_absence",
    }
}

/// One pupil on a lesson's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RosterPupil {
    pub pupil_id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    /// The mark as saved, or as it stands before anything is saved: present, or valid absence
    /// where a guardian reported the pupil away during the lesson.
    pub mark: AttendanceMark,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub late_minutes: Option<u16>,
    /// What a guardian reported for the lesson's time, whatever the mark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub reported_absence: Option<DayAbsence>,
    /// Granted leave covers the day.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub on_leave: bool,
    /// Each saved change of this pupil's mark, the latest first: who, when, what.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub history: Vec<AttendanceChange>,
}

/// One saved mark, as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttendanceChange {
    pub mark: AttendanceMark,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub late_minutes: Option<u16>,
    pub recorded_by: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// `GET /api/lessons/{id}/attendance?date=`: a lesson on a day and its pupils.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LessonRoster {
    pub lesson_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub activity: Activity,
    pub group_name: String,
    /// "HH:MM", with the day's change of time applied.
    pub starts_at: String,
    pub ends_at: String,
    /// Whether attendance has been saved for the lesson that day.
    pub taken: bool,
    /// By family name, then given name.
    pub pupils: Vec<RosterPupil>,
}

/// A pupil's mark as the teacher sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PupilMark {
    pub pupil_id: uuid::Uuid,
    pub mark: AttendanceMark,
    /// Minutes late: for `late` only, from 1 to the lesson's length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub late_minutes: Option<u16>,
}

/// `PUT /api/lessons/{id}/attendance?date=`: the marks of the pupils who were not simply
/// present; every pupil of the roster left out is present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttendanceUpdate {
    pub marks: Vec<PupilMark>,
}

/// Counts of a pupil's marked lessons: each lesson and day once, by its latest mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttendanceCounts {
    /// Lessons whose attendance was taken.
    pub lessons: u32,
    pub present: u32,
    pub late: u32,
    pub valid_absence: u32,
    pub unexcused_absence: u32,
}

/// One subject's share of a pupil's attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SubjectAttendance {
    pub activity: Activity,
    pub counts: AttendanceCounts,
}

stored_codes! {
    /// Which half of the school year a term is.
    TermKind {
        /// Hösttermin.
        Autumn = "autumn",
        /// Vårtermin.
        Spring = "spring",
    }
}

/// A term of the municipality's school calendar that has begun, to pick the figures of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TermChoice {
    pub id: uuid::Uuid,
    pub kind: TermKind,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub starts_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub ends_on: chrono::NaiveDate,
}

/// `GET /api/pupils/{id}/attendance[?term=]`: a pupil's attendance in a term (the current one
/// unless another is asked for), in all and per subject. Earlier terms stay the pupil's: the
/// marks keep their days, and the days keep their term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttendanceSummary {
    pub pupil_id: uuid::Uuid,
    /// The term the figures are for.
    pub term_id: uuid::Uuid,
    /// The terms that have begun, the latest first, to choose another from.
    pub terms: Vec<TermChoice>,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_starts_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_ends_on: chrono::NaiveDate,
    pub total: AttendanceCounts,
    pub by_subject: Vec<SubjectAttendance>,
}

/// One pupil's line of a mentor's overview or a principal's follow-up list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PupilAttendanceLine {
    pub pupil_id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    /// The pupil's class, on the principal's list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub group_name: Option<String>,
    pub counts: AttendanceCounts,
    /// Absence repeated or long enough that the principal must investigate (7 kap. 19 a §).
    pub needs_follow_up: bool,
}

/// `GET /api/groups/{id}/attendance` (the mentor's class) and
/// `GET /api/units/{id}/absence-follow-up` (the principal's list of the pupils to investigate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AttendanceOverview {
    pub name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_starts_on: chrono::NaiveDate,
    /// The municipality's thresholds: absence of this share of the lessons, or this many
    /// unexcused lessons, needs follow-up.
    pub follow_up_percent: u32,
    pub follow_up_unexcused: u32,
    pub pupils: Vec<PupilAttendanceLine>,
}
