use serde::{Deserialize, Serialize};

use super::{Address, Relation};

/// A pupil card as staff (and the pupil) see it: `GET /api/pupils/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PupilCard {
    pub id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub birth_date: chrono::NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_year: Option<i32>,
    pub units: Vec<String>,
    /// The guardians and other responsible adults with their phone and e-mail, so that staff can
    /// call home. Only staff with a connection to the pupil (mentor, teacher of a group, staff of
    /// the unit) get them; for anyone else the list is empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", oai(default, skip_serializing_if_is_empty))]
    pub guardians: Vec<GuardianContact>,
}

/// A pupil's guardian as staff see them on the pupil card: who, and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GuardianContact {
    pub given_name: String,
    pub family_name: String,
    pub relation: Relation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub email: Option<String>,
}

/// One line of a staff member's pupil list: `GET /api/pupils`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PupilSummary {
    pub id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub class_name: Option<String>,
    /// School year, 0 for förskoleklass: the list's order of classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_year: Option<i32>,
    /// The staff member is the mentor of one of the pupil's groups: their own class comes first.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub mentor: bool,
    pub units: Vec<String>,
}
