//! What a childcare document says, one struct per kind: stored in `childcare_document.payload`
//! and, as canonical JSON, the exact bytes that are signed (`document_bytes`).
//!
//! Not wire types, so not in `shared`: the payload never leaves the server (the guardian is shown
//! the Swedish text, the receipt the stored bytes), and the wasm client has no use for it.
//!
//! The bytes must stay what they were for the same input, or a document signed before would no
//! longer match its evidence: canonical JSON is the payload as a `serde_json::Value` (whose maps
//! sort their keys: serde_json's `preserve_order` is off in this workspace) printed without
//! whitespace. The `kind` tag is a key like the others. A test below holds the bytes to those
//! the documents were first made with.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DbErr;
use serde::{Deserialize, Serialize};
use skolportal_shared::api::DocumentKind;
use uuid::Uuid;

use crate::entity::childcare_document;

/// A document's payload, tagged with its kind. Deliberately no `Debug`: it holds personnummer.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DocumentPayload {
    IncomeStatement(IncomeStatement),
    PlacementOfferAnswer(OfferAnswer),
    Termination(Termination),
}

/// The household's income from a month, or acceptance of the maximum fee, with the fees it gives.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomeStatement {
    pub document_id: Uuid,
    pub municipality_id: Uuid,
    pub guardian_personnummer: String,
    pub valid_from: NaiveDate,
    pub max_fee_accepted: bool,
    /// Whole kronor a month; none when the maximum fee is accepted.
    pub gross_monthly_income: Option<u32>,
    pub fees: Vec<FeeLine>,
    pub fee_total: u32,
    pub fee_period_valid_from: NaiveDate,
    pub created_at: DateTime<Utc>,
}

/// One child's fee in an income statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    pub child_id: Uuid,
    pub order: u32,
    pub fee: u32,
}

/// A guardian's answer to a placement offer: yes or no.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferAnswer {
    pub document_id: Uuid,
    pub municipality_id: Uuid,
    pub offer_id: Uuid,
    pub accept: bool,
    pub child_personnummer: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub start_date: NaiveDate,
    pub hours_per_week: i32,
    pub guardian_personnummer: String,
    pub created_at: DateTime<Utc>,
}

/// A guardian terminates a place from a last day.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Termination {
    pub document_id: Uuid,
    pub municipality_id: Uuid,
    pub placement_id: Uuid,
    pub child_personnummer: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub last_day: NaiveDate,
    pub notice_period_months: u32,
    pub guardian_personnummer: String,
    pub created_at: DateTime<Utc>,
}

/// A stored payload that is not one of its document's kind, or a payload that cannot be
/// written. Either is the server's fault, never the guardian's: it becomes a database type
/// error (500), never a guess at what the document said.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("the payload of document {id} is not that of a {kind:?}")]
    NotOfItsKind { id: Uuid, kind: DocumentKind },
    #[error("a payload cannot be written as JSON: {0}")]
    Encode(#[from] serde_json::Error),
}

impl From<PayloadError> for DbErr {
    fn from(err: PayloadError) -> Self {
        DbErr::Type(err.to_string())
    }
}

impl DocumentPayload {
    pub fn kind(&self) -> DocumentKind {
        match self {
            DocumentPayload::IncomeStatement(_) => DocumentKind::IncomeStatement,
            DocumentPayload::PlacementOfferAnswer(_) => DocumentKind::PlacementOfferAnswer,
            DocumentPayload::Termination(_) => DocumentKind::Termination,
        }
    }

    /// The payload as stored, and the exact bytes that are signed (canonical JSON of it).
    pub fn encode(&self) -> Result<(serde_json::Value, String), PayloadError> {
        let value = serde_json::to_value(self)?;
        let bytes = serde_json::to_string(&value)?;
        Ok((value, bytes))
    }

    /// The document's payload; an error unless it is a payload of the document's kind.
    pub fn of(doc: &childcare_document::Model) -> Result<DocumentPayload, PayloadError> {
        let mismatch = || PayloadError::NotOfItsKind {
            id: doc.id,
            kind: doc.kind,
        };
        let payload: DocumentPayload =
            serde_json::from_value(doc.payload.clone()).map_err(|_| mismatch())?;
        if payload.kind() == doc.kind {
            Ok(payload)
        } else {
            Err(mismatch())
        }
    }
}

impl IncomeStatement {
    /// The income statement `doc` is; an error if it is another kind or its payload does not read.
    pub fn of(doc: &childcare_document::Model) -> Result<IncomeStatement, PayloadError> {
        match DocumentPayload::of(doc)? {
            DocumentPayload::IncomeStatement(p) => Ok(p),
            _ => Err(PayloadError::NotOfItsKind {
                id: doc.id,
                kind: doc.kind,
            }),
        }
    }
}

impl OfferAnswer {
    /// The answer `doc` is; an error if it is another kind or its payload does not read.
    pub fn of(doc: &childcare_document::Model) -> Result<OfferAnswer, PayloadError> {
        match DocumentPayload::of(doc)? {
            DocumentPayload::PlacementOfferAnswer(p) => Ok(p),
            _ => Err(PayloadError::NotOfItsKind {
                id: doc.id,
                kind: doc.kind,
            }),
        }
    }
}

impl Termination {
    /// The termination `doc` is; an error if it is another kind or its payload does not read.
    pub fn of(doc: &childcare_document::Model) -> Result<Termination, PayloadError> {
        match DocumentPayload::of(doc)? {
            DocumentPayload::Termination(p) => Ok(p),
            _ => Err(PayloadError::NotOfItsKind {
                id: doc.id,
                kind: doc.kind,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use skolportal_shared::api::DocumentStatus;

    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-02T13:45:06.123456789Z".parse().expect("a time")
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn document(kind: DocumentKind, payload: serde_json::Value) -> childcare_document::Model {
        childcare_document::Model {
            id: id(1),
            municipality_id: id(2),
            owner_person_id: id(3),
            child_id: None,
            kind,
            status: DocumentStatus::Draft,
            payload,
            document_bytes: String::new(),
            sign_text: String::new(),
            created_at: now(),
            signed_at: None,
        }
    }

    /// The signed bytes of each kind are byte for byte those of the `json!` the documents were
    /// made with before the payloads were typed (copied here from that code).
    #[test]
    fn typed_payloads_sign_the_same_bytes_as_before() {
        let (income, fees) = (
            Some(41_250_u32),
            [(id(10), 1_u32, 1_238_u32), (id(11), 2, 825)],
        );
        let old = json!({
            "document_id": id(1),
            "kind": "income_statement",
            "municipality_id": id(2),
            "guardian_personnummer": "198001011234",
            "valid_from": day("2027-01-01"),
            "max_fee_accepted": income.is_none(),
            "gross_monthly_income": income,
            "fees": fees.iter().map(|(c, o, f)| json!({"child_id": c, "order": o, "fee": f})).collect::<Vec<_>>(),
            "fee_total": 2_063,
            "fee_period_valid_from": day("2026-07-01"),
            "created_at": now(),
        });
        let new = DocumentPayload::IncomeStatement(IncomeStatement {
            document_id: id(1),
            municipality_id: id(2),
            guardian_personnummer: "198001011234".into(),
            valid_from: day("2027-01-01"),
            max_fee_accepted: false,
            gross_monthly_income: income,
            fees: fees
                .iter()
                .map(|(child_id, order, fee)| FeeLine {
                    child_id: *child_id,
                    order: *order,
                    fee: *fee,
                })
                .collect(),
            fee_total: 2_063,
            fee_period_valid_from: day("2026-07-01"),
            created_at: now(),
        });
        let (value, bytes) = new.encode().expect("encodes");
        assert_eq!(bytes, serde_json::to_string(&old).expect("old"));
        assert_eq!(value, old);

        let max_fee = json!({
            "document_id": id(1),
            "kind": "income_statement",
            "municipality_id": id(2),
            "guardian_personnummer": "198001011234",
            "valid_from": day("2027-01-01"),
            "max_fee_accepted": true,
            "gross_monthly_income": Option::<u32>::None,
            "fees": Vec::<serde_json::Value>::new(),
            "fee_total": 0,
            "fee_period_valid_from": day("2026-07-01"),
            "created_at": now(),
        });
        let typed = DocumentPayload::IncomeStatement(IncomeStatement {
            document_id: id(1),
            municipality_id: id(2),
            guardian_personnummer: "198001011234".into(),
            valid_from: day("2027-01-01"),
            max_fee_accepted: true,
            gross_monthly_income: None,
            fees: Vec::new(),
            fee_total: 0,
            fee_period_valid_from: day("2026-07-01"),
            created_at: now(),
        });
        assert_eq!(
            typed.encode().expect("encodes").1,
            serde_json::to_string(&max_fee).expect("old")
        );

        let old = json!({
            "document_id": id(1),
            "kind": "placement_offer_answer",
            "municipality_id": id(2),
            "offer_id": id(4),
            "accept": true,
            "child_personnummer": "202201012383",
            "unit_id": id(5),
            "unit_name": "Förskolan Äppelträdet",
            "start_date": day("2027-01-11"),
            "hours_per_week": 40,
            "guardian_personnummer": "198001011234",
            "created_at": now(),
        });
        let new = DocumentPayload::PlacementOfferAnswer(OfferAnswer {
            document_id: id(1),
            municipality_id: id(2),
            offer_id: id(4),
            accept: true,
            child_personnummer: "202201012383".into(),
            unit_id: id(5),
            unit_name: "Förskolan Äppelträdet".into(),
            start_date: day("2027-01-11"),
            hours_per_week: 40,
            guardian_personnummer: "198001011234".into(),
            created_at: now(),
        });
        let bytes = new.encode().expect("encodes").1;
        assert_eq!(bytes, serde_json::to_string(&old).expect("old"));
        // Keys sorted, whatever serde_json's features: were `preserve_order` switched on in the
        // workspace, new documents would be signed over other bytes.
        assert!(
            bytes
                .starts_with(r#"{"accept":true,"child_personnummer":"202201012383","created_at":"#),
            "{bytes}"
        );

        let old = json!({
            "document_id": id(1),
            "kind": "termination",
            "municipality_id": id(2),
            "placement_id": id(6),
            "child_personnummer": "202201012383",
            "unit_id": id(5),
            "unit_name": "Förskolan Äppelträdet",
            "last_day": day("2027-03-31"),
            "notice_period_months": 2_u32,
            "guardian_personnummer": "198001011234",
            "created_at": now(),
        });
        let new = DocumentPayload::Termination(Termination {
            document_id: id(1),
            municipality_id: id(2),
            placement_id: id(6),
            child_personnummer: "202201012383".into(),
            unit_id: id(5),
            unit_name: "Förskolan Äppelträdet".into(),
            last_day: day("2027-03-31"),
            notice_period_months: 2,
            guardian_personnummer: "198001011234".into(),
            created_at: now(),
        });
        let (value, bytes) = new.encode().expect("encodes");
        assert_eq!(bytes, serde_json::to_string(&old).expect("old"));
        // And it reads back as what it was.
        let doc = document(DocumentKind::Termination, value);
        assert!(Termination::of(&doc).is_ok_and(|t| DocumentPayload::Termination(t) == new));
    }

    #[test]
    fn a_payload_of_another_kind_or_shape_is_an_error() {
        let termination = DocumentPayload::Termination(Termination {
            document_id: id(1),
            municipality_id: id(2),
            placement_id: id(6),
            child_personnummer: "202201012383".into(),
            unit_id: id(5),
            unit_name: "Enheten".into(),
            last_day: day("2027-03-31"),
            notice_period_months: 2,
            guardian_personnummer: "198001011234".into(),
            created_at: now(),
        });
        let (value, _) = termination.encode().expect("encodes");
        // Stored under another kind.
        let doc = document(DocumentKind::PlacementOfferAnswer, value.clone());
        assert!(DocumentPayload::of(&doc).is_err());
        assert!(OfferAnswer::of(&doc).is_err());
        // Its own kind, asked for as another.
        let doc = document(DocumentKind::Termination, value);
        assert!(OfferAnswer::of(&doc).is_err());
        // A field missing.
        let doc = document(
            DocumentKind::Termination,
            json!({"kind": "termination", "document_id": id(1)}),
        );
        assert!(Termination::of(&doc).is_err());
    }
}
