use serde::{Deserialize, Serialize};

/// Colours of a municipality's theme, as CSS colours (`#rrggbb`). The shell applies them as CSS
/// custom properties; `crate::theme::check` is whether they keep WCAG AA contrast, and a theme
/// that does not is never served (the default is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Theme {
    /// Brand colour: header, primary buttons.
    pub primary: String,
    /// Text on the brand colour.
    pub on_primary: String,
    /// Page background.
    pub background: String,
    /// Body text.
    pub text: String,
    /// Links and focus ring.
    pub accent: String,
}

/// `GET /api/municipality`: what the shell needs before anyone logs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MunicipalityInfo {
    pub id: uuid::Uuid,
    /// Kommunkod, four digits.
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub logo_url: Option<String>,
    pub theme: Theme,
    /// Language tags the portal offers, first is the default (`sv`).
    pub languages: Vec<String>,
    /// Origins of the municipality's websites that may frame the portal (a setting).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_empty))]
    pub frame_origins: Vec<String>,
}

/// A unit as the public sees it (`GET /api/public/units` and the units' widget): nothing in it
/// is about a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PublicUnit {
    pub unit_id: uuid::Uuid,
    pub name: String,
    pub kind: super::UnitKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub phone: Option<String>,
    /// `"HH:MM"`.
    pub opens_at: String,
    /// `"HH:MM"`.
    pub closes_at: String,
    /// Places not taken today; none for a school, or a unit whose places are not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub free_places: Option<i32>,
    /// The median wait for an offer over the last year, days (`public_units`); none when fewer
    /// offers were made than can be told without pointing at a family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub queue_days: Option<u32>,
}
