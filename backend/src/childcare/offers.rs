//! Placement offers (platserbjudande): an officer offers a unit and a start date from the queue;
//! a guardian accepts or declines by signing a `placement_offer_answer` document; an offer not
//! answered by its deadline (the end of the Swedish day `offer_answer_days` after it was made)
//! lapses.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Statement, TransactionTrait,
};
use skolportal_shared::api::{
    ApplicationStatus, ChildcareUnitKind, DocumentKind, DocumentStatus, NewestFirstCursor,
    OfferPage, OfferRequest, OfferStatus, OfferView,
};
use skolportal_shared::eligibility::{self, Ineligible};
use uuid::Uuid;

use super::applications::{self, childcare_unit, person_name, person_names, swedish_day};
use super::documents;
use super::effects::EffectError;
use super::payload::{DocumentPayload, OfferAnswer};
use super::signatures;
use crate::db::numbered_params;
use crate::entity::placement::PlacementKind;
use crate::entity::{
    childcare_application, childcare_document, person, placement, placement_offer,
};
use crate::policy::{self, GlobalAction, ListPermit, OfferAction, Permit, PersonAction};

/// The last moment to answer an offer made at `now`: the end of the Swedish day `days` days later.
/// A deadline is a day to a guardian ("svara senast 8 december"), not the minute the officer
/// happened to press the button.
pub fn answer_deadline(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let last_day = crate::clock::day_of(now) + Duration::days(i64::from(days));
    crate::clock::start_of_day(last_day + Duration::days(1)) - Duration::seconds(1)
}

#[derive(Debug, thiserror::Error)]
pub enum OfferError {
    #[error("not found")]
    NotFound,
    #[error("the start date has passed")]
    StartInPast,
    #[error("no such preschool, family daycare or fritidshem unit in the municipality")]
    UnknownUnit,
    #[error("the application is not in the queue (it has an offer or a place already)")]
    NotInQueue,
    #[error("the offer was not answered in time and has lapsed")]
    OfferLapsed,
    #[error("the offer is already answered")]
    AlreadyAnswered,
    #[error("a stronger login is needed")]
    StepUpRequired(policy::LoginStrength),
    /// The child's age does not fit the unit's kind of care on the start date.
    #[error(transparent)]
    Ineligible(#[from] Ineligible),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl From<policy::PolicyError> for OfferError {
    fn from(err: policy::PolicyError) -> Self {
        match err {
            policy::PolicyError::NotFound => Self::NotFound,
            policy::PolicyError::StepUpRequired { required } => Self::StepUpRequired(required),
            policy::PolicyError::Database(e) => Self::Database(e),
        }
    }
}

/// Which offers the officer's list shows: all, or those at one unit and/or with one status;
/// one page of them.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfferFilter {
    pub unit_id: Option<Uuid>,
    pub status: Option<OfferStatus>,
    /// The page starts after this offer (the first page: none).
    pub after: Option<NewestFirstCursor>,
    /// At most this many.
    pub limit: u32,
}

/// Whether the offer can still be answered at `now`.
fn is_open(offer: &placement_offer::Model, now: DateTime<Utc>) -> bool {
    offer.status == OfferStatus::Open && now <= offer.answer_deadline
}

async fn view(
    db: &impl ConnectionTrait,
    offer: placement_offer::Model,
) -> Result<OfferView, DbErr> {
    let unit = childcare_unit(db, offer.municipality_id, offer.unit_id)
        .await?
        .unwrap_or(skolportal_shared::api::ChildcareUnit {
            id: offer.unit_id,
            name: String::new(),
            kind: ChildcareUnitKind::Preschool,
        });
    Ok(OfferView {
        id: offer.id,
        application_id: offer.application_id,
        child_id: offer.child_id,
        child_name: person_name(db, offer.child_id).await?,
        unit,
        start_date: offer.start_date,
        hours_per_week: offer.hours_per_week,
        answer_deadline: offer.answer_deadline,
        status: offer.status,
        answer_document_id: offer.answer_document_id,
    })
}

/// Views of many offers, with the municipality's units and the children's names read once.
async fn views(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    offers: Vec<placement_offer::Model>,
) -> Result<Vec<OfferView>, DbErr> {
    let units = applications::units(db, municipality_id).await?;
    let names = person_names(db, offers.iter().map(|o| o.child_id)).await?;
    Ok(offers
        .into_iter()
        .map(|offer| OfferView {
            id: offer.id,
            application_id: offer.application_id,
            child_id: offer.child_id,
            child_name: names.get(&offer.child_id).cloned().unwrap_or_default(),
            unit: units
                .iter()
                .find(|u| u.id == offer.unit_id)
                .cloned()
                .unwrap_or(skolportal_shared::api::ChildcareUnit {
                    id: offer.unit_id,
                    name: String::new(),
                    kind: ChildcareUnitKind::Preschool,
                }),
            start_date: offer.start_date,
            hours_per_week: offer.hours_per_week,
            answer_deadline: offer.answer_deadline,
            status: offer.status,
            answer_document_id: offer.answer_document_id,
        })
        .collect())
}

/// An officer offers a place from the queue.
pub async fn create(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    request: &OfferRequest,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<OfferView, OfferError> {
    let user = permit.actor();
    let application = childcare_application::Entity::find_by_id(request.application_id)
        .filter(childcare_application::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(OfferError::NotFound)?;
    let unit = childcare_unit(db, user.municipality_id, request.unit_id)
        .await?
        .ok_or(OfferError::UnknownUnit)?;
    if request.start_date < today {
        return Err(OfferError::StartInPast);
    }
    let birth = applications::child_birth_date(db, application.child_id)
        .await?
        .ok_or(OfferError::NotFound)?;
    eligibility::check(birth, unit.kind, request.start_date)?;
    if application.status != ApplicationStatus::Queued {
        return Err(OfferError::NotInQueue);
    }
    let days = signatures::settings(db, user.municipality_id)
        .await?
        .offer_answer_days;
    let offer = placement_offer::Model {
        id: Uuid::new_v4(),
        municipality_id: user.municipality_id,
        application_id: application.id,
        child_id: application.child_id,
        unit_id: request.unit_id,
        start_date: request.start_date,
        hours_per_week: application.hours_per_week,
        answer_deadline: answer_deadline(now, days),
        status: OfferStatus::Open,
        answer_document_id: None,
        placement_id: None,
        offered_by_person_id: user.person_id,
        created_at: now,
        answered_at: None,
    };
    let txn = db.begin().await?;
    // Only a queued application gets an offer, even when two officers press at once.
    let taken = childcare_application::Entity::update_many()
        .col_expr(
            childcare_application::Column::Status,
            Expr::value(ApplicationStatus::Offered),
        )
        .filter(childcare_application::Column::Id.eq(application.id))
        .filter(childcare_application::Column::Status.eq(ApplicationStatus::Queued))
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        txn.rollback().await?;
        return Err(OfferError::NotInQueue);
    }
    placement_offer::Entity::insert(placement_offer::ActiveModel {
        id: Set(offer.id),
        municipality_id: Set(offer.municipality_id),
        application_id: Set(offer.application_id),
        child_id: Set(offer.child_id),
        unit_id: Set(offer.unit_id),
        start_date: Set(offer.start_date),
        hours_per_week: Set(offer.hours_per_week),
        answer_deadline: Set(offer.answer_deadline),
        status: Set(offer.status),
        answer_document_id: Set(None),
        placement_id: Set(None),
        offered_by_person_id: Set(offer.offered_by_person_id),
        created_at: Set(now),
        answered_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(view(db, offer).await?)
}

/// The offers for the children the permit's holder is guardian of, newest first.
pub async fn list_for_guardian(
    db: &DatabaseConnection,
    permit: &ListPermit<PersonAction>,
) -> Result<Vec<OfferView>, OfferError> {
    let user = permit.actor();
    let children = permit.targets(db).await?;
    let mut offers = placement_offer::Entity::find()
        .filter(placement_offer::Column::MunicipalityId.eq(user.municipality_id))
        .filter(placement_offer::Column::ChildId.is_in(children))
        .all(db)
        .await?;
    offers.sort_by_key(|o| std::cmp::Reverse(o.created_at));
    Ok(views(db, user.municipality_id, offers).await?)
}

/// The officer's list: the offers made in their municipality, newest first, narrowed by
/// `filter` and at most `filter.limit`; the children on the page go to the access log through
/// the permit. `UnknownUnit` for a unit filter that names no childcare unit of the
/// municipality.
pub async fn list_for_officer(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    filter: OfferFilter,
    now: DateTime<Utc>,
) -> Result<OfferPage, OfferError> {
    let user = permit.actor();
    let mut sql = "SELECT o.* FROM placement_offer o WHERE o.municipality_id = $1".to_owned();
    let mut values: Vec<sea_orm::Value> = vec![user.municipality_id.into()];
    if let Some(unit_id) = filter.unit_id {
        if childcare_unit(db, user.municipality_id, unit_id)
            .await?
            .is_none()
        {
            return Err(OfferError::UnknownUnit);
        }
        values.push(unit_id.into());
        sql.push_str(&format!(" AND o.unit_id = ${}", values.len()));
    }
    if let Some(wanted) = filter.status {
        values.push(wanted.into());
        sql.push_str(&format!(" AND o.status = ${}", values.len()));
    }
    if let Some(after) = filter.after {
        values.push(after.at.into());
        values.push(after.id.into());
        sql.push_str(&format!(
            " AND (o.created_at, o.id) < (${}, ${})",
            values.len() - 1,
            values.len()
        ));
    }
    // One row beyond the page says whether there is a next one.
    values.push((i64::from(filter.limit) + 1).into());
    sql.push_str(&format!(
        " ORDER BY o.created_at DESC, o.id DESC LIMIT ${}",
        values.len()
    ));
    let backend = db.get_database_backend();
    let offers = placement_offer::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            backend,
            numbered_params(backend, &sql),
            values,
        ))
        .all(db)
        .await?;
    let (offers, next) = crate::db::page(offers, filter.limit, |o| NewestFirstCursor {
        at: o.created_at,
        id: o.id,
    });
    // The page's rows only: each page is logged once, when it is read.
    permit
        .record_shown(db, offers.iter().map(|o| o.child_id), now)
        .await?;
    Ok(OfferPage {
        items: views(db, user.municipality_id, offers).await?,
        next_cursor: next.map(|c| c.encode()),
    })
}

fn care_name(kind: ChildcareUnitKind) -> &'static str {
    match kind {
        ChildcareUnitKind::Preschool => "förskola",
        ChildcareUnitKind::FamilyDaycare => "pedagogisk omsorg",
        ChildcareUnitKind::Fritidshem => "fritidshem",
    }
}

pub(crate) fn placement_kind(kind: ChildcareUnitKind) -> PlacementKind {
    match kind {
        ChildcareUnitKind::Preschool => PlacementKind::Preschool,
        ChildcareUnitKind::FamilyDaycare => PlacementKind::FamilyDaycare,
        ChildcareUnitKind::Fritidshem => PlacementKind::Fritidshem,
    }
}

pub(crate) fn personnummer_display(pnr: &str) -> String {
    match (pnr.get(..8), pnr.get(8..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => pnr.to_owned(),
    }
}

/// A guardian answers an offer: creates the answer document to be signed with BankID. A draft
/// answer nobody has signed yet is replaced; one a guardian has signed must be signed by the
/// other, not replaced.
pub async fn answer(
    db: &DatabaseConnection,
    permit: &Permit<OfferAction>,
    accept: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<childcare_document::Model, OfferError> {
    let user = permit.actor();
    let offer = placement_offer::Entity::find_by_id(permit.target().0)
        .filter(placement_offer::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(OfferError::NotFound)?;
    match offer.status {
        OfferStatus::Accepted | OfferStatus::Declined => return Err(OfferError::AlreadyAnswered),
        _ if !is_open(&offer, now) => return Err(OfferError::OfferLapsed),
        _ => {}
    }
    let previous = match offer.answer_document_id {
        Some(id) => childcare_document::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if previous.as_ref().is_some_and(|d| {
        matches!(
            d.status,
            DocumentStatus::AwaitingOtherGuardian | DocumentStatus::Signed
        )
    }) {
        return Err(OfferError::AlreadyAnswered);
    }
    let unit = childcare_unit(db, offer.municipality_id, offer.unit_id)
        .await?
        .ok_or(OfferError::UnknownUnit)?;
    let child = person::Entity::find_by_id(offer.child_id)
        .one(db)
        .await?
        .ok_or(OfferError::NotFound)?;
    let (guardian, municipality_name) = super::documents::author(db, user)
        .await?
        .ok_or(OfferError::NotFound)?;
    let id = Uuid::new_v4();
    let mut text = format!(
        "Svar på erbjudande om plats i {care}\n{municipality_name}\n\nBarn: {} {} ({})\nEnhet: {}\nStartdatum: {}\nOmfattning: {} timmar per vecka\n\n{}\n\nVårdnadshavare som svarar: {} {} ({})\nSvara senast: {}\n",
        child.given_name,
        child.family_name,
        personnummer_display(&child.personnummer),
        unit.name,
        offer.start_date.format("%Y-%m-%d"),
        offer.hours_per_week,
        if accept {
            "Jag tackar ja till platsen."
        } else {
            "Jag tackar nej till platsen."
        },
        guardian.given_name,
        guardian.family_name,
        personnummer_display(&guardian.personnummer),
        swedish_day(offer.answer_deadline).format("%Y-%m-%d"),
        care = care_name(unit.kind),
    );
    let payload = DocumentPayload::PlacementOfferAnswer(OfferAnswer {
        document_id: id,
        municipality_id: user.municipality_id,
        offer_id: offer.id,
        accept,
        child_personnummer: child.personnummer,
        unit_id: unit.id,
        unit_name: unit.name,
        start_date: offer.start_date,
        hours_per_week: offer.hours_per_week,
        guardian_personnummer: guardian.personnummer,
        created_at: now,
    });
    let (payload, document_bytes) = payload.encode().map_err(DbErr::from)?;
    let mut doc = childcare_document::Model {
        id,
        municipality_id: user.municipality_id,
        owner_person_id: user.person_id,
        child_id: Some(offer.child_id),
        kind: DocumentKind::PlacementOfferAnswer,
        status: DocumentStatus::Draft,
        document_bytes,
        payload,
        sign_text: String::new(),
        created_at: now,
        signed_at: None,
    };
    if signatures::required_signers(db, &doc, today).await?.len() > 1 {
        text.push_str("\nBarnet har två vårdnadshavare som bor på olika adresser: båda ska skriva under svaret.\n");
    }
    text.push_str(&format!("Dokument-id: {id}\n"));
    doc.sign_text = text;
    let txn = db.begin().await?;
    if let Some(previous) = previous.filter(|d| d.status == DocumentStatus::Draft) {
        childcare_document::Entity::update_many()
            .col_expr(
                childcare_document::Column::Status,
                Expr::value(DocumentStatus::Lapsed),
            )
            .filter(childcare_document::Column::Id.eq(previous.id))
            .filter(childcare_document::Column::Status.eq(DocumentStatus::Draft))
            .exec(&txn)
            .await?;
    }
    documents::insert(&txn, &doc).await?;
    placement_offer::Entity::update_many()
        .col_expr(
            placement_offer::Column::AnswerDocumentId,
            Expr::value(doc.id),
        )
        .filter(placement_offer::Column::Id.eq(offer.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(doc)
}

async fn offer_of(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
) -> Result<(placement_offer::Model, bool), EffectError> {
    let answer = OfferAnswer::of(doc).map_err(DbErr::from)?;
    let (offer_id, accept) = (answer.offer_id, answer.accept);
    let offer = placement_offer::Entity::find_by_id(offer_id)
        .one(db)
        .await?
        .ok_or_else(|| EffectError::refused("invalid_document", "The offer is gone."))?;
    Ok((offer, accept))
}

/// Whether the answer may still be signed: the offer is open and before its deadline, and this
/// document is its current answer.
pub async fn check_answer(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
    now: DateTime<Utc>,
) -> Result<(), EffectError> {
    let (offer, _) = offer_of(db, doc).await?;
    match offer.status {
        OfferStatus::Accepted | OfferStatus::Declined => Err(EffectError::refused(
            "already_answered",
            "The offer is already answered.",
        )),
        _ if !is_open(&offer, now) => Err(EffectError::refused(
            "offer_lapsed",
            "The offer was not answered in time and has lapsed.",
        )),
        _ if offer.answer_document_id != Some(doc.id) => Err(EffectError::refused(
            "document_lapsed",
            "A newer answer to this offer replaces this one.",
        )),
        _ => Ok(()),
    }
}

/// The answer is signed by everyone who must: accept creates the placement; decline closes the
/// application.
pub async fn apply_answer(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
    now: DateTime<Utc>,
) -> Result<(), EffectError> {
    check_answer(db, doc, now).await?;
    let (offer, accept) = offer_of(db, doc).await?;
    let (offer_status, application_status, placement_id) = if accept {
        // The kind of care follows the unit; with the unit gone there is nothing to place the
        // child in, and guessing a kind would create a wrong placement (and a wrong fee).
        let kind = childcare_unit(db, offer.municipality_id, offer.unit_id)
            .await?
            .map(|u| placement_kind(u.kind))
            .ok_or_else(|| {
                EffectError::refused(
                    "unit_gone",
                    "The offered unit no longer exists. Contact the municipality for a new offer.",
                )
            })?;
        let id = Uuid::new_v4();
        placement::Entity::insert(placement::ActiveModel {
            id: Set(id),
            municipality_id: Set(offer.municipality_id),
            child_id: Set(offer.child_id),
            unit_id: Set(offer.unit_id),
            group_id: Set(None),
            kind: Set(kind),
            start_date: Set(offer.start_date),
            end_date: Set(None),
            hours_per_week: Set(Some(offer.hours_per_week)),
        })
        .exec_without_returning(db)
        .await?;
        (OfferStatus::Accepted, ApplicationStatus::Placed, Some(id))
    } else {
        (OfferStatus::Declined, ApplicationStatus::Closed, None)
    };
    let updated = placement_offer::Entity::update_many()
        .col_expr(placement_offer::Column::Status, Expr::value(offer_status))
        .col_expr(
            placement_offer::Column::PlacementId,
            Expr::value(placement_id),
        )
        .col_expr(placement_offer::Column::AnsweredAt, Expr::value(now))
        .filter(placement_offer::Column::Id.eq(offer.id))
        .filter(placement_offer::Column::Status.eq(OfferStatus::Open))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(EffectError::refused(
            "already_answered",
            "The offer is already answered.",
        ));
    }
    childcare_application::Entity::update_many()
        .col_expr(
            childcare_application::Column::Status,
            Expr::value(application_status),
        )
        .filter(childcare_application::Column::Id.eq(offer.application_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The recurring job (`jobs::kinds::OffersLapse`): every open offer past its deadline lapses,
/// with its unsigned or half-signed answer and its application. Idempotent, and safe to run on
/// several instances at once: each step is one conditional UPDATE. Inside the job's transaction
/// (`db` is then a transaction) its steps commit with the job's "done". Returns how many offers
/// lapsed now.
pub async fn lapse_due<C>(db: &C, now: DateTime<Utc>) -> Result<u64, DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = db.begin().await?;
    let lapsed = placement_offer::Entity::update_many()
        .col_expr(
            placement_offer::Column::Status,
            Expr::value(OfferStatus::Lapsed),
        )
        .filter(placement_offer::Column::Status.eq(OfferStatus::Open))
        .filter(placement_offer::Column::AnswerDeadline.lt(now))
        .exec(&txn)
        .await?
        .rows_affected;
    childcare_document::Entity::update_many()
        .col_expr(
            childcare_document::Column::Status,
            Expr::value(DocumentStatus::Lapsed),
        )
        .filter(childcare_document::Column::Kind.eq(DocumentKind::PlacementOfferAnswer))
        .filter(
            childcare_document::Column::Status
                .is_in([DocumentStatus::Draft, DocumentStatus::AwaitingOtherGuardian]),
        )
        .filter(
            childcare_document::Column::Id.in_subquery(
                Query::select()
                    .column(placement_offer::Column::AnswerDocumentId)
                    .from(placement_offer::Entity)
                    .and_where(placement_offer::Column::Status.eq(OfferStatus::Lapsed))
                    .and_where(placement_offer::Column::AnswerDocumentId.is_not_null())
                    .to_owned(),
            ),
        )
        .exec(&txn)
        .await?;
    childcare_application::Entity::update_many()
        .col_expr(
            childcare_application::Column::Status,
            Expr::value(ApplicationStatus::Closed),
        )
        .filter(childcare_application::Column::Status.eq(ApplicationStatus::Offered))
        .filter(
            childcare_application::Column::Id.in_subquery(
                Query::select()
                    .column(placement_offer::Column::ApplicationId)
                    .from(placement_offer::Entity)
                    .and_where(placement_offer::Column::Status.eq(OfferStatus::Lapsed))
                    .to_owned(),
            ),
        )
        .exec(&txn)
        .await?;
    txn.commit().await?;
    if lapsed > 0 {
        tracing::info!(lapsed, "placement offers lapsed");
    }
    Ok(lapsed)
}
