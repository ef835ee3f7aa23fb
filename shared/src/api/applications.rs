//! Applications for a childcare place, placement offers and terminations (docs/rules.md rules 13–22).

use serde::{Deserialize, Serialize};

super::codes::wire_enum! {
/// The kinds of unit a guardian can apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum ChildcareUnitKind {
    Preschool,
    /// Pedagogisk omsorg / familjedaghem.
    FamilyDaycare,
    Fritidshem,
}
}

/// `GET /api/childcare/units`: a unit one can apply to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildcareUnit {
    pub id: uuid::Uuid,
    pub name: String,
    pub kind: ChildcareUnitKind,
}

/// `POST /api/childcare/applications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ApplicationRequest {
    pub child_id: uuid::Uuid,
    /// Not in the past.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub wished_start: chrono::NaiveDate,
    /// One to three units, first choice first.
    pub unit_ids: Vec<uuid::Uuid>,
    /// 1 to 60.
    pub hours_per_week: i32,
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
pub enum ApplicationStatus {
    /// In the queue.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "queued"))]
    Queued,
    /// A place is offered; waiting for the answer.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "offered"))]
    Offered,
    /// The offer was accepted: the child has a place.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "placed"))]
    Placed,
    /// The offer was declined or lapsed; the application has left the queue.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "closed"))]
    Closed,
    /// The guardian withdrew it before a place was offered.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "withdrawn"))]
    Withdrawn,
}

/// An application as the guardian and the officer see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ApplicationView {
    pub id: uuid::Uuid,
    pub child_id: uuid::Uuid,
    pub child_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub applied_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub wished_start: chrono::NaiveDate,
    /// First choice first.
    pub units: Vec<ChildcareUnit>,
    pub hours_per_week: i32,
    pub status: ApplicationStatus,
    /// Place in the queue of the first-choice unit (by application date); none once out of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub queue_position: Option<u32>,
    /// The date by which the municipality must offer a place (four months after applying).
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub offer_by: chrono::NaiveDate,
    /// What this session may do with it: `withdraw` while it is in the queue.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub permitted_actions: Vec<crate::api::ApplicationAction>,
}

/// A brother or sister of the applicant with a place at one of the wished units today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PlacedSibling {
    pub name: String,
    pub unit_id: uuid::Uuid,
}

/// How many places a wished unit has free today: its places less the children placed there
/// and the open offers. `None` when the unit's number of places is not known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FreePlaces {
    pub unit_id: uuid::Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub free: Option<i32>,
}

/// `GET /api/childcare/queue`: an application as the officer decides on it, with what the
/// decision needs beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct QueueEntry {
    pub application: ApplicationView,
    /// From the personnummer; the age is counted from it (`eligibility::age_on`).
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub birth_date: chrono::NaiveDate,
    /// The child's vårdnadshavare, "Given Family".
    pub guardians: Vec<String>,
    /// Siblings (children of the same guardians) placed at one of the wished units.
    pub siblings: Vec<PlacedSibling>,
    /// One per wished unit, first choice first.
    pub free_places: Vec<FreePlaces>,
}

/// `POST /api/childcare/offers` (officer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct OfferRequest {
    pub application_id: uuid::Uuid,
    pub unit_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub start_date: chrono::NaiveDate,
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
pub enum OfferStatus {
    #[cfg_attr(feature = "orm", sea_orm(string_value = "open"))]
    Open,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "accepted"))]
    Accepted,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "declined"))]
    Declined,
    /// Not answered by the deadline.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "lapsed"))]
    Lapsed,
}

impl OfferStatus {
    pub const ALL: &'static [OfferStatus] = &[
        OfferStatus::Open,
        OfferStatus::Accepted,
        OfferStatus::Declined,
        OfferStatus::Lapsed,
    ];

    /// The snake_case code, as stored and sent (a list's `status` filter).
    pub const fn code(self) -> &'static str {
        match self {
            OfferStatus::Open => "open",
            OfferStatus::Accepted => "accepted",
            OfferStatus::Declined => "declined",
            OfferStatus::Lapsed => "lapsed",
        }
    }
}

/// A placement offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct OfferView {
    pub id: uuid::Uuid,
    pub application_id: uuid::Uuid,
    pub child_id: uuid::Uuid,
    pub child_name: String,
    pub unit: ChildcareUnit,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub start_date: chrono::NaiveDate,
    pub hours_per_week: i32,
    /// Answer (sign) before this instant, or the offer lapses.
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub answer_deadline: chrono::DateTime<chrono::Utc>,
    pub status: OfferStatus,
    /// The answer document waiting for signatures, if one was started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub answer_document_id: Option<uuid::Uuid>,
}

/// A child's current childcare place, as the termination form needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildcarePlacementView {
    pub id: uuid::Uuid,
    pub child_id: uuid::Uuid,
    pub child_name: String,
    pub unit: ChildcareUnit,
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
    pub hours_per_week: Option<i32>,
    /// The earliest last day a termination signed today may have (the notice period).
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub earliest_last_day: chrono::NaiveDate,
    /// A termination one guardian has signed that waits for the other's signature; the place
    /// cannot be terminated again meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub pending_termination: Option<PendingTermination>,
}

/// A termination waiting for the other guardian (see [`ChildcarePlacementView`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PendingTermination {
    pub document_id: uuid::Uuid,
    /// The last day asked for; it moves later if the notice period, counted from the last
    /// signature, requires it.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub last_day: chrono::NaiveDate,
}

/// `POST /api/childcare/terminations`: terminate a place from `last_day` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TerminationRequest {
    pub placement_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub last_day: chrono::NaiveDate,
}
