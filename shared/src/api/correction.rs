//! Rättelse (GDPR art. 16, docs/rules.md rule 12): a person asks for an item of their register
//! extract to be corrected; the municipality's officer answers in the portal and says what was
//! changed.

use serde::{Deserialize, Serialize};

/// The part of the register extract a correction request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[cfg_attr(feature = "orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "orm",
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(32))"
    )
)]
pub enum ExtractItem {
    #[cfg_attr(feature = "orm", sea_orm(string_value = "name"))]
    Name,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "personnummer"))]
    Personnummer,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "address"))]
    Address,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "email"))]
    Email,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "phone"))]
    Phone,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "account"))]
    Account,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "placements"))]
    Placements,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "groups"))]
    Groups,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "responsible_adults"))]
    ResponsibleAdults,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "applications"))]
    Applications,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "offers"))]
    Offers,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "documents"))]
    Documents,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "schedule"))]
    Schedule,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "pickup_persons"))]
    PickupPersons,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "access_log"))]
    AccessLog,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "other"))]
    Other,
}

impl ExtractItem {
    pub const ALL: &'static [ExtractItem] = &[
        ExtractItem::Name,
        ExtractItem::Personnummer,
        ExtractItem::Address,
        ExtractItem::Email,
        ExtractItem::Phone,
        ExtractItem::Account,
        ExtractItem::Placements,
        ExtractItem::Groups,
        ExtractItem::ResponsibleAdults,
        ExtractItem::Applications,
        ExtractItem::Offers,
        ExtractItem::Documents,
        ExtractItem::Schedule,
        ExtractItem::PickupPersons,
        ExtractItem::AccessLog,
        ExtractItem::Other,
    ];

    /// Kept in the population register (folkbokföringen) and copied from it: the municipality
    /// cannot correct it here, Skatteverket does, and the next import brings the change.
    pub const fn from_population_register(self) -> bool {
        matches!(
            self,
            ExtractItem::Name
                | ExtractItem::Personnummer
                | ExtractItem::Address
                | ExtractItem::ResponsibleAdults
        )
    }

    /// The snake_case code, as sent (the form's choice) and stored.
    pub const fn code(self) -> &'static str {
        match self {
            ExtractItem::Name => "name",
            ExtractItem::Personnummer => "personnummer",
            ExtractItem::Address => "address",
            ExtractItem::Email => "email",
            ExtractItem::Phone => "phone",
            ExtractItem::Account => "account",
            ExtractItem::Placements => "placements",
            ExtractItem::Groups => "groups",
            ExtractItem::ResponsibleAdults => "responsible_adults",
            ExtractItem::Applications => "applications",
            ExtractItem::Offers => "offers",
            ExtractItem::Documents => "documents",
            ExtractItem::Schedule => "schedule",
            ExtractItem::PickupPersons => "pickup_persons",
            ExtractItem::AccessLog => "access_log",
            ExtractItem::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<ExtractItem> {
        ExtractItem::ALL.iter().copied().find(|i| i.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[cfg_attr(feature = "orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "orm",
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum CorrectionStatus {
    /// Waiting for the officer's answer.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "open"))]
    Open,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "answered"))]
    Answered,
}

/// The longest text a request or an answer may have, in characters.
pub const CORRECTION_TEXT_MAX_CHARS: usize = 2000;

/// `POST /api/me/corrections`: what is wrong, about whom (the person or one of their children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NewCorrectionRequest {
    pub subject_id: uuid::Uuid,
    pub item: ExtractItem,
    /// What is wrong and what it should say.
    pub message: String,
}

/// `POST /api/officer/corrections/{id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CorrectionAnswer {
    /// The answer to the person.
    pub answer: String,
    /// What was changed, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub changed: Option<String>,
}

/// A correction request as the person and the officer see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CorrectionRequestView {
    pub id: uuid::Uuid,
    pub subject_id: uuid::Uuid,
    pub subject_name: String,
    pub requested_by_name: String,
    pub item: ExtractItem,
    pub message: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub status: CorrectionStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub changed: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub answered_by_name: Option<String>,
}

/// Why a request's or an answer's text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionTextError {
    #[error("the text is empty")]
    Empty,
    #[error("the text is longer than {CORRECTION_TEXT_MAX_CHARS} characters")]
    TooLong,
}

/// The text trimmed, or why it cannot be sent. Used by the form and the server alike.
pub fn check_correction_text(text: &str) -> Result<String, CorrectionTextError> {
    let text = text.trim();
    if text.is_empty() {
        Err(CorrectionTextError::Empty)
    } else if text.chars().count() > CORRECTION_TEXT_MAX_CHARS {
        Err(CorrectionTextError::TooLong)
    } else {
        Ok(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_has_a_code_that_reads_back() {
        for item in ExtractItem::ALL {
            assert_eq!(ExtractItem::from_code(item.code()), Some(*item));
        }
        assert_eq!(ExtractItem::from_code("nonsense"), None);
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(check_correction_text("  fel  "), Ok("fel".to_owned()));
        assert_eq!(
            check_correction_text(" \n "),
            Err(CorrectionTextError::Empty)
        );
        let long = "å".repeat(CORRECTION_TEXT_MAX_CHARS + 1);
        assert_eq!(
            check_correction_text(&long),
            Err(CorrectionTextError::TooLong)
        );
        assert!(check_correction_text(&"å".repeat(CORRECTION_TEXT_MAX_CHARS)).is_ok());
    }
}
