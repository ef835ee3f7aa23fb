//! A school's or preschool's lunch menu (skolmaten), a week at a time: entered by the unit's
//! staff, shown to families on the start page.

use serde::{Deserialize, Serialize};

/// One weekday's lunch. Both dishes absent: nothing entered for the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LunchDay {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub main_dish: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub vegetarian_dish: Option<String>,
}

/// `GET /api/units/{id}/lunch?week=`: a unit's menu for Monday to Friday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LunchMenuWeek {
    pub unit_id: uuid::Uuid,
    pub unit_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub week_start: chrono::NaiveDate,
    /// Monday to Friday, each day whether entered or not.
    pub days: Vec<LunchDay>,
}

/// `PUT /api/units/{id}/lunch/{week}`: the week's menu as the staff enter it. A day left out is
/// left as it was; a day with both dishes empty is cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LunchMenuUpdate {
    pub days: Vec<LunchDay>,
}

/// The lunch of a child's unit on a day, as a family's start page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UnitLunch {
    pub unit_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub main_dish: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub vegetarian_dish: Option<String>,
}
