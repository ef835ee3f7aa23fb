//! Absence reports (frånvaroanmälan): a guardian reports one or several children absent for a
//! day, several days, or part of a day, with a reason code and nothing else (docs/rules.md rule
//! 5: no free text, so nothing sensitive can be written).

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;
use super::AbsenceReportAction;

stored_codes! {
    /// Why a child is away: a code, never a text.
    AbsenceReason {
        Sick = "sick",
        Other = "other",
    }
}

stored_codes! {
    /// Whether a report stands or was withdrawn before it started (kept either way: a withdrawn
    /// report is part of what the guardian did, and a re-sent submit must find it).
    AbsenceReportStatus {
        Active = "active",
        Withdrawn = "withdrawn",
    }
}

/// `POST /api/absence-reports`: one report for one or several children. `submission_id` is made
/// by the app once per submit and sent again with every retry, so that one submit never makes
/// two reports, however often a poor connection makes the app send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NewAbsenceReport {
    pub submission_id: uuid::Uuid,
    pub child_ids: Vec<uuid::Uuid>,
    pub absence: AbsenceInput,
}

/// The days, the part of the day (both times, or neither for whole days) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AbsenceInput {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub first_day: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub last_day: chrono::NaiveDate,
    /// `"HH:MM"`: away from this time (part of a day, one day only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub starts_at: Option<String>,
    /// `"HH:MM"`: away until this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ends_at: Option<String>,
    pub reason: AbsenceReason,
}

/// A reported absence as a day's page shows it: the family's start page and the staff's day
/// sheet. `starts_at` and `ends_at` ("HH:MM") are there when it is part of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DayAbsence {
    pub reason: AbsenceReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ends_at: Option<String>,
}

/// A report as the family sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AbsenceReport {
    pub id: uuid::Uuid,
    pub child_id: uuid::Uuid,
    pub child_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub first_day: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub last_day: chrono::NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ends_at: Option<String>,
    pub reason: AbsenceReason,
    pub status: AbsenceReportStatus,
    /// The name of the adult who reported it.
    pub reported_by: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub reported_at: chrono::DateTime<chrono::Utc>,
    pub permitted_actions: Vec<AbsenceReportAction>,
}
