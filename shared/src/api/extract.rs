use serde::{Deserialize, Serialize};

use super::{Address, AuthMethod, Relation};

/// Registerutdrag: everything stored about the logged-in person and their children, with who has
/// read it. `GET /api/me/extract`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct RegisterExtract {
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub generated_at: chrono::DateTime<chrono::Utc>,
    pub person: ExtractPerson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub account: Option<ExtractAccount>,
    pub sessions: Vec<ExtractSession>,
    pub roles: Vec<String>,
    pub children: Vec<ExtractChild>,
    /// Who has read or changed this person's data.
    pub access_log: Vec<AccessEntry>,
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
    pub auth_method: AuthMethod,
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
    pub access_log: Vec<AccessEntry>,
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
    /// Machine name of the action, e.g. `read_pupil_card`; the UI translates it.
    pub action: String,
}
