//! Leave applications (ledighetsansökan): a guardian applies for a pupil's leave, the other
//! guardian agrees where the municipality asks for both, and the mentor or the principal
//! decides (`crate::leave`).

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;
use super::LeaveAction;

stored_codes! {
    /// Why the leave is asked for: a code, never a text (nothing sensitive can be written).
    LeaveReason {
        Travel = "travel",
        FamilyEvent = "family_event",
        ReligiousHoliday = "religious_holiday",
        Other = "other",
    }
}

stored_codes! {
    /// Where an application stands.
    LeaveStatus {
        /// Under joint custody, waiting for the other guardian to agree.
        AwaitingGuardians = "awaiting_guardians",
        /// Waiting for the decision.
        Pending = "pending",
        Granted = "granted",
        Refused = "refused",
        /// Withdrawn by a guardian before the decision.
        Withdrawn = "withdrawn",
    }
}

stored_codes! {
    /// Who decides an application: the mentor up to the municipality's number of school days
    /// (at most ten), the principal above it.
    LeaveDecider {
        Mentor = "mentor",
        Principal = "principal",
    }
}

/// `POST /api/leave-applications`. `submission_id` makes a retried submit find its application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NewLeaveApplication {
    pub submission_id: uuid::Uuid,
    pub child_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub first_day: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub last_day: chrono::NaiveDate,
    pub reason: LeaveReason,
}

/// An application as the guardians and the staff who decide see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LeaveApplication {
    pub id: uuid::Uuid,
    pub child_id: uuid::Uuid,
    pub child_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub first_day: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub last_day: chrono::NaiveDate,
    /// The school days it covers (not weekends, holidays or breaks).
    pub school_days: u32,
    pub reason: LeaveReason,
    pub status: LeaveStatus,
    pub decider: LeaveDecider,
    pub applied_by: String,
    /// The guardians who have agreed, the applicant first.
    pub agreed_by: Vec<String>,
    /// The guardians whose agreement is still needed.
    pub awaiting: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub decided_by: Option<String>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What the reader may do with it now.
    pub permitted_actions: Vec<LeaveAction>,
}

/// `POST /api/leave-applications/{id}/decision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
#[serde(deny_unknown_fields)]
pub struct LeaveDecision {
    pub grant: bool,
}
