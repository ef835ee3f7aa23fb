use serde::{Deserialize, Serialize};

/// The body of every error answer: a stable machine code and a message a person can read.
/// The UI shows its own translated text for known codes and falls back to `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ErrorBody {
    /// Stable machine-readable code, for example `not_found` or `invalid_credentials`.
    pub error: String,
    /// Human-readable explanation.
    pub message: String,
    /// Seconds until the request may be retried (throttling only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub retry_after_seconds: Option<u64>,
    /// The day the error is about, for refusals of one day of a form (a locked or closed day,
    /// times outside opening hours), so the UI can point at that day without reading `message`.
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub date: Option<chrono::NaiveDate>,
    /// The login strength the action needs (`step_up_required` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub required_strength: Option<super::LoginStrength>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum HealthStatus {
    Ok,
    Unavailable,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Health {
    pub status: HealthStatus,
    pub database: HealthStatus,
    pub version: String,
}

/// A postal address as the population register (folkbokföringen) has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Address {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}
