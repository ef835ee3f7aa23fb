use serde::{Deserialize, Serialize};

use crate::fee::{CareType, FeePeriod};

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
pub enum DocumentKind {
    #[cfg_attr(feature = "orm", sea_orm(string_value = "income_statement"))]
    IncomeStatement,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "placement_offer_answer"))]
    PlacementOfferAnswer,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "termination"))]
    Termination,
}

impl DocumentKind {
    pub const ALL: &'static [DocumentKind] = &[
        DocumentKind::IncomeStatement,
        DocumentKind::PlacementOfferAnswer,
        DocumentKind::Termination,
    ];

    /// The snake_case code, as stored and sent (a list's `kind` filter).
    pub const fn code(self) -> &'static str {
        match self {
            DocumentKind::IncomeStatement => "income_statement",
            DocumentKind::PlacementOfferAnswer => "placement_offer_answer",
            DocumentKind::Termination => "termination",
        }
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
        db_type = "String(sea_orm::sea_query::StringLen::N(32))"
    )
)]
pub enum DocumentStatus {
    /// Created, not yet signed.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "draft"))]
    Draft,
    /// Signed by one guardian; the other must sign too.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "awaiting_other_guardian"))]
    AwaitingOtherGuardian,
    #[cfg_attr(feature = "orm", sea_orm(string_value = "signed"))]
    Signed,
    /// Not answered in time.
    #[cfg_attr(feature = "orm", sea_orm(string_value = "lapsed"))]
    Lapsed,
}

/// `POST /api/childcare/income-statements`: the household's gross monthly income from a date, or
/// acceptance of the maximum fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct IncomeStatementRequest {
    /// The first day of the month the income applies from.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub valid_from: chrono::NaiveDate,
    /// "Jag godkänner högsta avgift": no income needs to be given.
    pub max_fee_accepted: bool,
    /// The household's gross monthly income in whole kronor (guardian and partner together).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub gross_monthly_income: Option<i64>,
}

/// What a signature left behind, as the receipt shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SignatureSummary {
    pub signer_name: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub signed_at: chrono::DateTime<chrono::Utc>,
    pub acr: String,
    /// SHA-256 (hex) of the exact document bytes that were signed.
    pub document_sha256: String,
}

/// A childcare document as its owner sees it. `permitted_actions` says what this session may do
/// with it (e.g. `sign`), so the page shows the right buttons without knowing the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildcareDocumentView {
    pub id: uuid::Uuid,
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    /// The exact Swedish text shown to the signer.
    pub text: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_utc",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub signed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub signatures: Vec<SignatureSummary>,
    /// What this session may do with the document now: the policy's answer, where the
    /// document's state allows it (a signed document is not signed again).
    pub permitted_actions: Vec<crate::api::DocumentAction>,
    /// Why `sign` is missing when this person must sign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub sign_blocked_reason: Option<SignBlockedReason>,
}

super::codes::wire_enum! {
/// Why someone who must sign a document cannot sign it in this session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum SignBlockedReason {
    /// The session logged in with a password; signing needs BankID.
    BankidRequired,
}
}

/// `GET /api/childcare/officer/documents`: a document guardians have signed, as the officer
/// (handläggare) receives it. The full text and signatures are behind
/// `GET /api/childcare/officer/documents/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ReceivedDocument {
    pub id: uuid::Uuid,
    pub kind: DocumentKind,
    /// The child the document is about; none for an income statement (the household's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub child_name: Option<String>,
    /// The guardian who filed it.
    pub submitted_by: String,
    /// When the last required signature made it complete.
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub signed_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/childcare/documents/{id}/sign`: where to send the browser to sign with BankID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SignStart {
    pub redirect_url: String,
}

/// A child with a place that counts for the fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FeeChild {
    pub child_id: uuid::Uuid,
    pub given_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub birth_date: chrono::NaiveDate,
    pub care: CareType,
    pub hours_per_week: u32,
}

/// `GET /api/childcare/fee-basis`: what the income-statement form needs to preview the fee with
/// the same function the server decides with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FeeBasis {
    pub periods: Vec<FeePeriod>,
    /// The children whose fee this person pays: their vårdnadshavare's children with a place.
    pub children: Vec<FeeChild>,
    /// Children with a place this person is responsible for without paying their fee (a foster
    /// parent's): their schedules, not their fee.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub cared_for: Vec<FeeChild>,
    /// Whether this person is vårdnadshavare of any child, and so files income statements. A
    /// foster parent (annan ansvarig vuxen) is not: the child's guardians pay.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub pays_fee: bool,
}
