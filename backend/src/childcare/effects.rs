//! What a signed childcare document does. `bankid::signing::finish` calls `check` before storing
//! any signature and `apply_signed` when the last required signature lands, both inside the
//! transaction that stores the evidence: the effect happens exactly once, or not at all.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use skolportal_shared::api::{DocumentKind, DocumentStatus};

use super::{offers, termination};
use crate::entity::childcare_document;

#[derive(Debug, thiserror::Error)]
pub enum EffectError {
    /// The document can no longer take effect (the offer lapsed, the place already ended).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl EffectError {
    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        Self::Refused {
            code,
            message: message.into(),
        }
    }
}

/// Whether a signature on `doc` may still be stored now.
pub async fn check(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
    now: DateTime<Utc>,
) -> Result<(), EffectError> {
    if doc.status == DocumentStatus::Lapsed {
        return Err(EffectError::refused(
            "document_lapsed",
            "The document has lapsed and can no longer be signed.",
        ));
    }
    match doc.kind {
        DocumentKind::PlacementOfferAnswer => offers::check_answer(db, doc, now).await,
        DocumentKind::Termination => termination::check(db, doc).await,
        DocumentKind::IncomeStatement => Ok(()),
    }
}

/// Runs the effect of a document whose last required signature has just been stored.
pub async fn apply_signed(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
    now: DateTime<Utc>,
) -> Result<(), EffectError> {
    match doc.kind {
        DocumentKind::PlacementOfferAnswer => offers::apply_answer(db, doc, now).await,
        DocumentKind::Termination => termination::apply(db, doc, now).await,
        // An income statement is its own effect: the signed statement is the record.
        DocumentKind::IncomeStatement => Ok(()),
    }
}
