//! Childcare schedules (vistelsetid) and pick-up persons (hämtare). Times of day are `"HH:MM"`
//! strings; a day with neither time is a day without care.

use serde::{Deserialize, Serialize};

/// One weekday of a child's week as the guardian (or staff) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ScheduleDay {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    /// Drop-off time, `"HH:MM"`; absent on a day without care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub drop_off: Option<String>,
    /// Pick-up time, `"HH:MM"`; absent on a day without care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub pick_up: Option<String>,
    /// The guardian can no longer change this day (the unit's lock has passed).
    pub locked: bool,
    /// The last date on which the guardian may change this day.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub changeable_until: chrono::NaiveDate,
    /// No care this day: a public holiday or non-working eve, or no place on this date.
    pub closed: bool,
    /// The unit's opening time, `"HH:MM"`.
    pub opens_at: String,
    /// The unit's closing time, `"HH:MM"`.
    pub closes_at: String,
}

/// `GET /api/childcare/children/{id}/schedule?week=`: one child's week, Monday to Friday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct WeekSchedule {
    pub child_id: uuid::Uuid,
    /// The Monday of the week.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub week_start: chrono::NaiveDate,
    pub days: Vec<ScheduleDay>,
    /// When a day of this week was last changed.
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub last_changed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The name of who made that change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub last_changed_by: Option<String>,
    /// What this session may do with the child, as the policy answers it:
    /// `edit_childcare_schedule` shows the save and copy controls.
    pub permitted_actions: Vec<crate::api::PersonAction>,
}

/// One day of `WeekScheduleUpdate`: both times, or neither for a day without care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ScheduleDayUpdate {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        oai(skip_serializing_if_is_none, validator(max_length = 5))
    )]
    pub drop_off: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        oai(skip_serializing_if_is_none, validator(max_length = 5))
    )]
    pub pick_up: Option<String>,
}

/// `PUT /api/childcare/children/{id}/schedule?week=`: the days of that week to set. Days not
/// listed are left as they are; a locked day may be listed only unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct WeekScheduleUpdate {
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 7)))]
    pub days: Vec<ScheduleDayUpdate>,
}

/// `POST /api/childcare/children/{id}/schedule/copy?week=`: copy that week to the following
/// `weeks` weeks, and to the listed siblings for the same week and the following weeks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CopyWeek {
    #[cfg_attr(
        feature = "openapi",
        oai(validator(minimum(value = "1"), maximum(value = "12")))
    )]
    pub weeks: u32,
    /// Siblings with a place of the same kind (förskola, fritidshem, pedagogisk omsorg).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default, validator(max_items = 10)))]
    pub sibling_ids: Vec<uuid::Uuid>,
}

super::codes::wire_enum! {
/// Why a day was not copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum SkipReason {
    /// The day is locked.
    Locked,
    /// A holiday or non-working eve.
    Closed,
    /// The child has no place on that date.
    NoPlacement,
    /// The times are outside the target unit's opening hours.
    OutsideOpeningHours,
}
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SkippedDay {
    pub child_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub reason: SkipReason,
}

/// What a copy wrote and what it left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CopyOutcome {
    /// Days set (with times or as days without care).
    pub written_days: u32,
    /// Days of the source week that had care but could not be copied.
    pub skipped: Vec<SkippedDay>,
}

/// Someone the guardian allows to collect the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PickupPerson {
    pub id: uuid::Uuid,
    pub name: String,
    pub phone: String,
}

/// `POST /api/childcare/children/{id}/pickup-persons`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NewPickupPerson {
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 100)))]
    pub name: String,
    /// 7 to 15 digits, with optional spaces, hyphens and a leading `+`.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub phone: String,
}

super::codes::wire_enum! {
/// Where a placed child stands on the day sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum DaySheetStatus {
    /// The guardian planned drop-off and pick-up that day.
    Expected,
    /// The child has a place that working day but no schedule at all ("schema saknas"): the
    /// unit should call, as nobody knows whether the child comes. (A day the guardian marked
    /// without care is not listed.)
    MissingSchedule,
}
}

/// One child on the staff's day sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DaySheetChild {
    pub child_id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    pub status: DaySheetStatus,
    /// `"HH:MM"`; absent when the schedule is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub drop_off: Option<String>,
    /// `"HH:MM"`; absent when the schedule is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub pick_up: Option<String>,
    /// The department (avdelning) of the child's place, one of `DaySheet::departments`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub department_id: Option<uuid::Uuid>,
    pub pickup_persons: Vec<PickupPerson>,
    /// The absence a guardian reported for the day: the staff need not wait or call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub absence: Option<crate::api::DayAbsence>,
    /// When the child was checked in at the entrance's tablet that day (the latest stay).
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub checked_in_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the child was checked out, if they have left.
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub checked_out_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A department (avdelning) of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Department {
    pub id: uuid::Uuid,
    pub name: String,
}

/// `GET /api/childcare/units/{id}/day?date=`: the children with a place at a unit on a day:
/// the expected ones in drop-off order, then those whose schedule is missing, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DaySheet {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub unit: String,
    /// The unit's departments by name; empty for a unit without any.
    pub departments: Vec<Department>,
    pub children: Vec<DaySheetChild>,
}
