//! The check-in kiosk (Tempus Nu): a tablet at a preschool's entrance, paired to its unit with
//! a one-time code, where staff sign in with a short PIN and check children in and out; and
//! what guardians see of it (actual times beside the schedule, as in Tempus Hemma).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::timetable::stored_codes;

stored_codes! {
    /// Who collected a child at check-out.
    CollectorKind {
        /// One of the child's guardians (or other responsible adults).
        Guardian = "guardian",
        /// One of the pick-up persons the guardians listed.
        PickupPerson = "pickup_person",
    }
}

/// `POST /api/admin/kiosk/pairings`: a one-time code for pairing a tablet to a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskPairingRequest {
    pub unit_id: Uuid,
}

/// The code to type on the tablet, once, before `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskPairingCode {
    pub code: String,
    pub unit_name: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/kiosk/pair`: the tablet pairs itself with the code and names itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskPair {
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20)))]
    pub code: String,
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 60)))]
    pub name: String,
}

/// A paired tablet, as the administrator and the unit's staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskDevice {
    pub id: Uuid,
    pub name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub paired_at: chrono::DateTime<chrono::Utc>,
}

/// One of the unit's staff, as the tablet's sign-in lists them: first name and initial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskStaffMember {
    pub person_id: Uuid,
    pub label: String,
}

/// `GET /api/kiosk`: what the tablet is, and who is signed in on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskState {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub device_name: String,
    /// The staff member signed in, by first name; `None` shows the sign-in.
    #[serde(default)]
    pub signed_in: Option<String>,
    pub staff: Vec<KioskStaffMember>,
    /// Idle time after which the tablet signs its staff member out.
    pub idle_seconds: u32,
    /// The server's time: the tablet stamps its taps by it (its own clock may be off), also
    /// those it keeps while offline.
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub now: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/kiosk/sign-in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskSignIn {
    pub person_id: Uuid,
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 12)))]
    pub pin: String,
}

/// `PUT /api/me/kiosk-pin`: staff set the PIN they sign in on the unit's tablet with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskPinChange {
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 12)))]
    pub pin: String,
}

/// Someone who may collect a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskCollector {
    pub kind: CollectorKind,
    pub id: Uuid,
    pub name: String,
}

/// One child expected today, as the entrance's screen shows it: first name and initial only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskChild {
    pub child_id: Uuid,
    pub label: String,
    /// The schedule's times ("HH:MM"), when the guardians set them.
    #[serde(default)]
    pub planned_drop_off: Option<String>,
    #[serde(default)]
    pub planned_pick_up: Option<String>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub checked_in_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub checked_out_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub collected_by: Option<String>,
    /// Who may collect the child: guardians and pick-up persons.
    pub collectors: Vec<KioskCollector>,
}

/// `GET /api/kiosk/units/{unit}/day`: the unit's children expected today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskDay {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub children: Vec<KioskChild>,
}

/// `POST /api/kiosk/units/{unit}/check-ins`. `event_id` is made once per tap and sent again
/// with every retry; `at` is when the tap was made, also when it is sent later (offline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskCheckIn {
    pub event_id: Uuid,
    pub child_id: Uuid,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/kiosk/units/{unit}/check-outs`: as a check-in, with who collected the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct KioskCheckOut {
    pub event_id: Uuid,
    pub child_id: Uuid,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub at: chrono::DateTime<chrono::Utc>,
    pub collector_kind: CollectorKind,
    pub collector_id: Uuid,
}

/// One day of a child's attendance at the unit beside the schedule, for the guardians.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PresenceDay {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    #[serde(default)]
    pub planned_drop_off: Option<String>,
    #[serde(default)]
    pub planned_pick_up: Option<String>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub checked_in_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    pub checked_out_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub collected_by: Option<String>,
}

/// `GET /api/childcare/children/{id}/presence`: the last weeks, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildPresence {
    pub days: Vec<PresenceDay>,
}
