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
}
