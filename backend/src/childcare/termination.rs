//! Termination of a childcare place (uppsägning): the guardian picks the last day; it must be at
//! least the notice period (`notice_period_months`) after the day the termination is signed, and
//! the fee runs to it. With two guardians who must both sign, the notice runs from the last
//! signature: a last day that is then too early becomes the earliest allowed one.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use skolportal_shared::api::{
    ChildcarePlacementView, ChildcareUnit, ChildcareUnitKind, DocumentKind, DocumentStatus,
    PendingTermination, TerminationRequest,
};
use uuid::Uuid;

use super::applications::{add_months, childcare_unit, person_name, swedish_day};
use super::documents;
use super::effects::EffectError;
use super::offers::personnummer_display;
use super::payload::{DocumentPayload, Termination};
use super::signatures;
use crate::entity::{childcare_document, person, placement};
use crate::policy::{self, ListPermit, Permit, PersonAction, PlacementAction};

#[derive(Debug, thiserror::Error)]
pub enum TerminationError {
    #[error("not found")]
    NotFound,
    #[error("the last day can be {earliest} at the earliest (notice period {months} months)")]
    NoticePeriod { earliest: NaiveDate, months: u32 },
    #[error("the place is already terminated")]
    AlreadyTerminated,
    #[error("a termination of this place is waiting for the other guardian's signature")]
    Pending,
    #[error("a stronger login is needed")]
    StepUpRequired(policy::LoginStrength),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl From<policy::PolicyError> for TerminationError {
    fn from(err: policy::PolicyError) -> Self {
        match err {
            policy::PolicyError::NotFound => Self::NotFound,
            policy::PolicyError::StepUpRequired { required } => Self::StepUpRequired(required),
            policy::PolicyError::Database(e) => Self::Database(e),
        }
    }
}

/// The earliest last day for a termination signed on `signed_on`.
pub fn earliest_last_day(signed_on: NaiveDate, notice_period_months: u32) -> NaiveDate {
    add_months(signed_on, notice_period_months)
}

fn care_name(kind: ChildcareUnitKind) -> &'static str {
    match kind {
        ChildcareUnitKind::Preschool => "förskola",
        ChildcareUnitKind::FamilyDaycare => "pedagogisk omsorg",
        ChildcareUnitKind::Fritidshem => "fritidshem",
    }
}

/// The current childcare places of the children the permit's holder is guardian of.
pub async fn placements(
    db: &DatabaseConnection,
    permit: &ListPermit<PersonAction>,
    today: NaiveDate,
) -> Result<Vec<ChildcarePlacementView>, TerminationError> {
    let user = permit.actor();
    let children = permit.targets(db).await?;
    let months = signatures::settings(db, user.municipality_id)
        .await?
        .notice_period_months;
    let places = placement::Entity::find()
        .filter(placement::Column::MunicipalityId.eq(user.municipality_id))
        .filter(placement::Column::ChildId.is_in(children))
        .filter(
            placement::Column::EndDate
                .is_null()
                .or(placement::Column::EndDate.gte(today)),
        )
        .all(db)
        .await?;
    let pending = pending_terminations(db, user.municipality_id, &places).await?;
    let mut out = Vec::with_capacity(places.len());
    for p in places {
        let unit = childcare_unit(db, p.municipality_id, p.unit_id)
            .await?
            .unwrap_or(ChildcareUnit {
                id: p.unit_id,
                name: String::new(),
                kind: ChildcareUnitKind::Preschool,
            });
        out.push(ChildcarePlacementView {
            id: p.id,
            child_id: p.child_id,
            child_name: person_name(db, p.child_id).await?,
            unit,
            start_date: p.start_date,
            end_date: p.end_date,
            hours_per_week: p.hours_per_week,
            earliest_last_day: earliest_last_day(today, months),
            pending_termination: pending.get(&p.id).cloned(),
        });
    }
    out.sort_by(|a, b| (&a.child_name, a.start_date).cmp(&(&b.child_name, b.start_date)));
    Ok(out)
}

/// The terminations of `places` that one guardian has signed and the other has not yet, by place.
async fn pending_terminations(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    places: &[placement::Model],
) -> Result<HashMap<Uuid, PendingTermination>, DbErr> {
    if places.is_empty() {
        return Ok(HashMap::new());
    }
    let waiting = childcare_document::Entity::find()
        .filter(childcare_document::Column::MunicipalityId.eq(municipality_id))
        .filter(childcare_document::Column::Kind.eq(DocumentKind::Termination))
        .filter(childcare_document::Column::Status.eq(DocumentStatus::AwaitingOtherGuardian))
        .filter(childcare_document::Column::ChildId.is_in(places.iter().map(|p| p.child_id)))
        .all(db)
        .await?;
    waiting
        .iter()
        .map(|doc| {
            let termination = Termination::of(doc).map_err(DbErr::from)?;
            let pending = PendingTermination {
                document_id: doc.id,
                last_day: termination.last_day,
            };
            Ok((termination.placement_id, pending))
        })
        .collect()
}

/// A guardian terminates a place: creates the termination document to be signed with BankID.
pub async fn create(
    db: &DatabaseConnection,
    permit: &Permit<PlacementAction>,
    request: &TerminationRequest,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<childcare_document::Model, TerminationError> {
    let user = permit.actor();
    let place = placement::Entity::find_by_id(permit.target().0)
        .filter(placement::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(TerminationError::NotFound)?;
    if place.end_date.is_some() {
        return Err(TerminationError::AlreadyTerminated);
    }
    let months = signatures::settings(db, user.municipality_id)
        .await?
        .notice_period_months;
    let earliest = earliest_last_day(today, months);
    if request.last_day < earliest {
        return Err(TerminationError::NoticePeriod { earliest, months });
    }
    let others = childcare_document::Entity::find()
        .filter(childcare_document::Column::ChildId.eq(place.child_id))
        .filter(childcare_document::Column::Kind.eq(DocumentKind::Termination))
        .filter(
            childcare_document::Column::Status
                .is_in([DocumentStatus::Draft, DocumentStatus::AwaitingOtherGuardian]),
        )
        .all(db)
        .await?;
    let mut for_this = Vec::new();
    for other in others {
        if Termination::of(&other).map_err(DbErr::from)?.placement_id == place.id {
            for_this.push(other);
        }
    }
    if for_this
        .iter()
        .any(|d| d.status == DocumentStatus::AwaitingOtherGuardian)
    {
        return Err(TerminationError::Pending);
    }
    let unit = childcare_unit(db, place.municipality_id, place.unit_id)
        .await?
        .ok_or(TerminationError::NotFound)?;
    let child = person::Entity::find_by_id(place.child_id)
        .one(db)
        .await?
        .ok_or(TerminationError::NotFound)?;
    let (guardian, municipality_name) = super::documents::author(db, user)
        .await?
        .ok_or(TerminationError::NotFound)?;
    let id = Uuid::new_v4();
    let payload = DocumentPayload::Termination(Termination {
        document_id: id,
        municipality_id: user.municipality_id,
        placement_id: place.id,
        child_personnummer: child.personnummer.clone(),
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        last_day: request.last_day,
        notice_period_months: months,
        guardian_personnummer: guardian.personnummer.clone(),
        created_at: now,
    });
    let (payload, document_bytes) = payload.encode().map_err(DbErr::from)?;
    let mut doc = childcare_document::Model {
        id,
        municipality_id: user.municipality_id,
        owner_person_id: user.person_id,
        child_id: Some(place.child_id),
        kind: DocumentKind::Termination,
        status: DocumentStatus::Draft,
        document_bytes,
        payload,
        sign_text: String::new(),
        created_at: now,
        signed_at: None,
    };
    let mut text = format!(
        "Uppsägning av plats i {care}\n{municipality_name}\n\nBarn: {} {} ({})\nEnhet: {}\nSista dag: {}\n\nUppsägningstiden är {months} månader och räknas från den dag uppsägningen skrivs under. Avgiften betalas till och med sista dagen.\n\nVårdnadshavare som säger upp: {} {} ({})\n",
        child.given_name,
        child.family_name,
        personnummer_display(&child.personnummer),
        unit.name,
        request.last_day.format("%Y-%m-%d"),
        guardian.given_name,
        guardian.family_name,
        personnummer_display(&guardian.personnummer),
        care = care_name(unit.kind),
    );
    if signatures::required_signers(db, &doc, today).await?.len() > 1 {
        text.push_str("\nBarnet har två vårdnadshavare som bor på olika adresser: båda ska skriva under. Uppsägningstiden räknas från den sista underskriften; är sista dagen då för tidig blir den första tillåtna dagen sista dag.\n");
    }
    text.push_str(&format!("Dokument-id: {id}\n"));
    doc.sign_text = text;
    let txn = db.begin().await?;
    // An unsigned earlier termination of the same place is replaced by this one.
    for old in for_this {
        childcare_document::Entity::update_many()
            .col_expr(
                childcare_document::Column::Status,
                Expr::value(DocumentStatus::Lapsed),
            )
            .filter(childcare_document::Column::Id.eq(old.id))
            .filter(childcare_document::Column::Status.eq(DocumentStatus::Draft))
            .exec(&txn)
            .await?;
    }
    documents::insert(&txn, &doc).await?;
    txn.commit().await?;
    Ok(doc)
}

async fn placement_of(
    db: &impl ConnectionTrait,
    termination: &Termination,
) -> Result<placement::Model, EffectError> {
    placement::Entity::find_by_id(termination.placement_id)
        .one(db)
        .await?
        .ok_or_else(|| EffectError::refused("invalid_document", "The place is gone."))
}

/// Whether the termination may still be signed: the place has not ended or been terminated.
pub async fn check(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
) -> Result<(), EffectError> {
    let termination = Termination::of(doc).map_err(DbErr::from)?;
    let place = placement_of(db, &termination).await?;
    if place.end_date.is_some() {
        return Err(EffectError::refused(
            "already_terminated",
            "The place is already terminated.",
        ));
    }
    Ok(())
}

/// The last signature has landed: the notice runs from today, the place ends on the chosen last
/// day or, if that is now too early, on the earliest allowed day.
pub async fn apply(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
    now: DateTime<Utc>,
) -> Result<(), EffectError> {
    let termination = Termination::of(doc).map_err(DbErr::from)?;
    let place = placement_of(db, &termination).await?;
    let chosen = termination.last_day;
    let months = signatures::settings(db, doc.municipality_id)
        .await?
        .notice_period_months;
    let end = chosen.max(earliest_last_day(swedish_day(now), months));
    let updated = placement::Entity::update_many()
        .col_expr(placement::Column::EndDate, Expr::value(end))
        .filter(placement::Column::Id.eq(place.id))
        .filter(placement::Column::EndDate.is_null())
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(EffectError::refused(
            "already_terminated",
            "The place is already terminated.",
        ));
    }
    Ok(())
}
