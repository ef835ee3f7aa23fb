use serde::{Deserialize, Serialize};

use super::Address;

/// `POST /api/auth/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PasswordLogin {
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 128)))]
    pub username: String,
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 256)))]
    pub password: String,
}

/// `POST /api/me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PasswordChange {
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 256)))]
    pub current_password: String,
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 256)))]
    pub new_password: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum AuthMethod {
    Password,
    Bankid,
}

/// What a logged-in person is to the portal. One person may hold several (a teacher who is also a
/// guardian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum Role {
    /// Vårdnadshavare, or another responsible adult (foster parent, legal representative).
    Guardian,
    /// Elev.
    Pupil,
    /// Lärare or mentor.
    Teacher,
    /// Förskolepersonal.
    PreschoolStaff,
    /// Handläggare at the municipality.
    Officer,
}

/// A unit a staff member works at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UnitRef {
    pub id: uuid::Uuid,
    pub name: String,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum UnitKind {
    School,
    Preschool,
    Fritidshem,
    FamilyDaycare,
}

/// `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Me {
    pub person_id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub birth_date: chrono::NaiveDate,
    pub roles: Vec<Role>,
    pub auth_method: AuthMethod,
    /// A handed-out password must be replaced before anything else is reachable.
    pub must_change_password: bool,
    /// Population-register address, read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub phone: Option<String>,
    /// Units where the person has a staff duty.
    pub units: Vec<UnitRef>,
    /// For a pupil: the own pupil card's school fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub pupil: Option<PupilInfo>,
}

/// A pupil's school e-mail, class and school, shown on the own pupil card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PupilInfo {
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
}

/// `POST /api/auth/logout-others`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SessionsEnded {
    pub ended: u64,
}

/// `PUT /api/me/contact`: the guardian's own e-mail and phone. Empty clears the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ContactUpdate {
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 254)))]
    pub email: String,
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 32)))]
    pub phone: String,
}
