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

super::codes::wire_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum AuthMethod {
    Password,
    Bankid,
}
}

super::codes::wire_enum! {
/// How strongly a session logged in, weakest first. Actions on sensitive data need more than a
/// password (DOMAIN.md rule 11); a weaker session is told to step up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum LoginStrength {
    #[default]
    Password,
    /// A password and a one-time code (or a recovery code).
    PasswordAndTotp,
    Bankid,
}
}

/// `POST /api/auth/totp` and `POST /api/me/totp/confirm`: a one-time code (six digits) or a
/// recovery code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CodeEntry {
    #[cfg_attr(feature = "openapi", oai(validator(min_length = 1, max_length = 32)))]
    pub code: String,
}

/// `POST /api/me/totp`: the key being set up, to type into an authenticator app (or scan:
/// `GET /api/me/totp/qr`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TotpSetup {
    /// The secret in base32.
    pub secret: String,
    /// The `otpauth://` URI the QR code holds.
    pub otpauth_uri: String,
}

/// `POST /api/me/totp/confirm`: one-time codes are on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TotpConfirmed {
    /// Ten single-use codes for when the phone is not at hand; shown this once.
    pub recovery_codes: Vec<String>,
    /// The session's strength now (confirming proved the code).
    pub login_strength: LoginStrength,
}

super::codes::wire_enum! {
/// What a logged-in person is to the portal. One person may hold several (a teacher who is also a
/// guardian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// Kommunadministratör: changes the municipality's settings.
    Administrator,
}
}

/// A unit a staff member works at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UnitRef {
    pub id: uuid::Uuid,
    pub name: String,
    pub kind: UnitKind,
}

super::codes::wire_enum! {
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum UnitKind {
    School,
    Preschool,
    Fritidshem,
    FamilyDaycare,
}
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
    /// How strongly this session logged in.
    #[serde(default)]
    pub login_strength: LoginStrength,
    /// Whether the account has one-time codes set up (a password session can step up).
    #[serde(default)]
    pub totp_enabled: bool,
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
