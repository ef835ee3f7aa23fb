//! Rättelse (docs/rules.md rule 12, GDPR art. 16): a person asks for an item of their register
//! extract to be corrected, the municipality's officer answers in the portal and says what was
//! changed, and the person reads the answer in the extract. Items copied from the population
//! register are corrected at Skatteverket and refused here with that explanation.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use skolportal_shared::api::{
    check_correction_text, CorrectionAnswer, CorrectionRequestView, CorrectionStatus,
    CorrectionTextError, NewCorrectionRequest,
};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::entity::{correction_request, person};
use crate::policy::{GlobalAction, Permit, PersonAction};

/// The most open requests the officer's list shows at once, oldest first: answering removes
/// them from it, so the list does not grow with time.
pub const OPEN_LIST_LIMIT: u64 = 200;

#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    #[error("no such correction request")]
    NotFound,
    #[error("names, personnummer, addresses and guardianships come from the population register: Skatteverket corrects them")]
    PopulationRegister,
    #[error("the message: {0}")]
    Message(CorrectionTextError),
    #[error("the answer: {0}")]
    Answer(CorrectionTextError),
    #[error("what was changed: {0}")]
    Changed(CorrectionTextError),
    #[error("the request has already been answered")]
    AlreadyAnswered,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// Files a request about `permit.subject()` (the person or their child; the policy said yes).
pub async fn request(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    new: &NewCorrectionRequest,
    now: DateTime<Utc>,
) -> Result<CorrectionRequestView, CorrectionError> {
    let user = permit.actor();
    if new.item.from_population_register() {
        return Err(CorrectionError::PopulationRegister);
    }
    let message = check_correction_text(&new.message).map_err(CorrectionError::Message)?;
    let model = correction_request::Model {
        id: Uuid::new_v4(),
        municipality_id: user.municipality_id,
        subject_person_id: permit.subject(),
        requested_by_person_id: user.person_id,
        item: new.item,
        message,
        status: CorrectionStatus::Open,
        created_at: now,
        answer: None,
        changed: None,
        answered_at: None,
        answered_by_person_id: None,
    };
    correction_request::Entity::insert(model.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    let mut views = views(db, vec![model]).await?;
    views.pop().ok_or(CorrectionError::NotFound)
}

/// The requests a person made, or that are about them, newest first.
pub async fn of_person(
    db: &impl ConnectionTrait,
    user: &SessionUser,
) -> Result<Vec<CorrectionRequestView>, CorrectionError> {
    let rows = correction_request::Entity::find()
        .filter(correction_request::Column::MunicipalityId.eq(user.municipality_id))
        .filter(
            Condition::any()
                .add(correction_request::Column::RequestedByPersonId.eq(user.person_id))
                .add(correction_request::Column::SubjectPersonId.eq(user.person_id)),
        )
        .order_by_desc(correction_request::Column::CreatedAt)
        .all(db)
        .await?;
    views(db, rows).await
}

/// The officer's list: the open requests of the municipality, oldest first. Whom they are
/// about goes to the access log through the permit.
pub async fn open(
    db: &impl ConnectionTrait,
    permit: &Permit<GlobalAction>,
    now: DateTime<Utc>,
) -> Result<Vec<CorrectionRequestView>, CorrectionError> {
    let rows = correction_request::Entity::find()
        .filter(correction_request::Column::MunicipalityId.eq(permit.actor().municipality_id))
        .filter(correction_request::Column::Status.eq(CorrectionStatus::Open))
        .order_by_asc(correction_request::Column::CreatedAt)
        .order_by_asc(correction_request::Column::Id)
        .limit(OPEN_LIST_LIMIT)
        .all(db)
        .await?;
    permit
        .record_shown(db, rows.iter().map(|r| r.subject_person_id), now)
        .await?;
    views(db, rows).await
}

/// Request `id` of the permit holder's municipality, for the officer to answer; reading it is
/// written to the access log.
pub async fn find(
    db: &impl ConnectionTrait,
    permit: &Permit<GlobalAction>,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<correction_request::Model, CorrectionError> {
    let request = correction_request::Entity::find_by_id(id)
        .filter(correction_request::Column::MunicipalityId.eq(permit.actor().municipality_id))
        .one(db)
        .await?
        .ok_or(CorrectionError::NotFound)?;
    permit
        .record_shown(db, [request.subject_person_id], now)
        .await?;
    Ok(request)
}

/// The officer's answer to `request` (from `find`). Answered once: a second answer is a
/// conflict, so that what the person read is not silently replaced.
pub async fn answer(
    db: &impl ConnectionTrait,
    permit: &Permit<GlobalAction>,
    request: &correction_request::Model,
    answer: &CorrectionAnswer,
    now: DateTime<Utc>,
) -> Result<CorrectionRequestView, CorrectionError> {
    let user = permit.actor();
    let id = request.id;
    let text = check_correction_text(&answer.answer).map_err(CorrectionError::Answer)?;
    let changed = match answer.changed.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(check_correction_text(c).map_err(CorrectionError::Changed)?),
    };
    // Only an open request is updated: the condition makes two officers answering at once safe.
    let updated = correction_request::Entity::update_many()
        .col_expr(
            correction_request::Column::Status,
            sea_orm::sea_query::Expr::value(CorrectionStatus::Answered),
        )
        .col_expr(correction_request::Column::Answer, Some(text).into())
        .col_expr(correction_request::Column::Changed, changed.into())
        .col_expr(correction_request::Column::AnsweredAt, Some(now).into())
        .col_expr(
            correction_request::Column::AnsweredByPersonId,
            Some(user.person_id).into(),
        )
        .filter(correction_request::Column::Id.eq(id))
        .filter(correction_request::Column::MunicipalityId.eq(user.municipality_id))
        .filter(correction_request::Column::Status.eq(CorrectionStatus::Open))
        .exec(db)
        .await?;
    let row = correction_request::Entity::find_by_id(id)
        .filter(correction_request::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(CorrectionError::NotFound)?;
    if updated.rows_affected == 0 {
        return Err(CorrectionError::AlreadyAnswered);
    }
    let mut views = views(db, vec![row]).await?;
    views.pop().ok_or(CorrectionError::NotFound)
}

/// Rows with the names of the people they mention.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<correction_request::Model>,
) -> Result<Vec<CorrectionRequestView>, CorrectionError> {
    let ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|r| {
            [
                Some(r.subject_person_id),
                Some(r.requested_by_person_id),
                r.answered_by_person_id,
            ]
        })
        .flatten()
        .collect();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect();
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_default();
    rows.into_iter()
        .map(|r| {
            Ok(CorrectionRequestView {
                id: r.id,
                subject_id: r.subject_person_id,
                subject_name: name(r.subject_person_id),
                requested_by_name: name(r.requested_by_person_id),
                item: r.item,
                message: r.message,
                created_at: r.created_at,
                status: r.status,
                answer: r.answer,
                changed: r.changed,
                answered_at: r.answered_at,
                answered_by_name: r.answered_by_person_id.map(name),
            })
        })
        .collect()
}
