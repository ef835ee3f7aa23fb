//! Applications for a childcare place (ansökan): wished start, up to three units in ranked order,
//! hours. The queue is per first-choice unit, by application date; the municipality must offer a
//! place within four months of the application (skollagen 8 kap. 14 §).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement,
};
use skolportal_shared::api::{
    ApplicationRequest, ApplicationStatus, ApplicationView, ChildcareUnit, ChildcareUnitKind,
    FreePlaces, OfferStatus, PlacedSibling, QueueCursor, QueueEntry, QueuePage,
};
use uuid::Uuid;

use skolportal_shared::eligibility::{self, Ineligible};

use crate::auth::session::SessionUser;
use crate::clock::day_of;
use crate::db::numbered_params;
use crate::entity::guardianship::{self, GuardianRelation};
use crate::entity::unit::UnitKind;
use crate::entity::{childcare_application, person, placement, placement_offer, unit};
use crate::policy::{self, ApplicationAction, GlobalAction, ListPermit, Permit, PersonAction};

/// At most this many wished units.
pub const MAX_UNITS: usize = 3;
/// Weekly hours a guardian may apply for.
pub const HOURS: std::ops::RangeInclusive<i32> = 1..=60;
/// The municipality must offer a place within this many months of the application.
pub const OFFER_WITHIN_MONTHS: u32 = 4;

#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("not found")]
    NotFound,
    #[error("the wished start date has passed")]
    StartInPast,
    #[error("choose at least one unit")]
    NoUnits,
    #[error("choose at most three units")]
    TooManyUnits,
    #[error("the same unit is chosen twice")]
    DuplicateUnits,
    #[error("no such preschool, family daycare or fritidshem unit in the municipality")]
    UnknownUnit,
    #[error("hours per week must be between 1 and 60")]
    InvalidHours,
    #[error("the child already has an application in the queue")]
    AlreadyApplied,
    #[error("a stronger login is needed")]
    StepUpRequired(policy::LoginStrength),
    /// The child's age does not fit a wished unit's kind of care on the wished start.
    #[error(transparent)]
    Ineligible(#[from] Ineligible),
    #[error(
        "the application is no longer in the queue: a place has been offered, or it was withdrawn"
    )]
    NotInQueue,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl From<policy::PolicyError> for ApplicationError {
    fn from(err: policy::PolicyError) -> Self {
        match err {
            policy::PolicyError::NotFound => Self::NotFound,
            policy::PolicyError::StepUpRequired { required } => Self::StepUpRequired(required),
            policy::PolicyError::Database(e) => Self::Database(e),
        }
    }
}

/// The portal's day for an instant (Swedish days; see `AppState::today`).
pub fn swedish_day(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(1)).date_naive()
}

/// `date` plus whole months, clamped to the month's last day (31 Dec + 2 months = 28/29 Feb).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The date by which a place must be offered.
pub fn offer_by(applied_on: NaiveDate) -> NaiveDate {
    add_months(applied_on, OFFER_WITHIN_MONTHS)
}

fn unit_kind(kind: &UnitKind) -> Option<ChildcareUnitKind> {
    match kind {
        UnitKind::Preschool => Some(ChildcareUnitKind::Preschool),
        UnitKind::FamilyDaycare => Some(ChildcareUnitKind::FamilyDaycare),
        UnitKind::Fritidshem => Some(ChildcareUnitKind::Fritidshem),
        UnitKind::School => None,
    }
}

/// The municipality's units one can apply to, by name.
pub async fn units(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
) -> Result<Vec<ChildcareUnit>, sea_orm::DbErr> {
    let mut out: Vec<ChildcareUnit> = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| {
            unit_kind(&u.kind).map(|kind| ChildcareUnit {
                id: u.id,
                name: u.name,
                kind,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// A childcare unit of the municipality, or `None` (a school, another municipality's, no unit).
pub async fn childcare_unit(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    unit_id: Uuid,
) -> Result<Option<ChildcareUnit>, sea_orm::DbErr> {
    Ok(unit::Entity::find_by_id(unit_id)
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .one(db)
        .await?
        .and_then(|u| {
            unit_kind(&u.kind).map(|kind| ChildcareUnit {
                id: u.id,
                name: u.name,
                kind,
            })
        }))
}

pub async fn person_name(db: &impl ConnectionTrait, id: Uuid) -> Result<String, sea_orm::DbErr> {
    Ok(person::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .unwrap_or_default())
}

/// The child's birth date (from the personnummer), if the person exists.
pub async fn child_birth_date(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<NaiveDate>, sea_orm::DbErr> {
    Ok(person::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|p| p.birth_date))
}

/// "Given Family" of each of these people that exists, by id: one query per thousand ids, for
/// lists that name many children.
pub async fn person_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, sea_orm::DbErr> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort();
    ids.dedup();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        for p in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.insert(p.id, format!("{} {}", p.given_name, p.family_name));
        }
    }
    Ok(out)
}

/// Queue positions of the queued applications for these first-choice units: by application
/// date, then by the moment the application was made.
async fn positions(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    first_units: Vec<Uuid>,
) -> Result<HashMap<Uuid, u32>, sea_orm::DbErr> {
    let mut queued = childcare_application::Entity::find()
        .filter(childcare_application::Column::MunicipalityId.eq(municipality_id))
        .filter(childcare_application::Column::Status.eq(ApplicationStatus::Queued))
        .filter(childcare_application::Column::FirstUnitId.is_in(first_units))
        .all(db)
        .await?;
    queued.sort_by_key(|a| (a.first_unit_id, a.applied_on, a.created_at, a.id));
    let mut out = HashMap::new();
    let mut counters: HashMap<Uuid, u32> = HashMap::new();
    for a in queued {
        let n = counters.entry(a.first_unit_id).or_insert(0);
        *n += 1;
        out.insert(a.id, *n);
    }
    Ok(out)
}

async fn views(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    apps: Vec<childcare_application::Model>,
) -> Result<Vec<ApplicationView>, sea_orm::DbErr> {
    let first_units: Vec<Uuid> = apps.iter().map(|a| a.first_unit_id).collect();
    let positions = positions(db, municipality_id, first_units).await?;
    let all_units = units(db, municipality_id).await?;
    let mut out = Vec::with_capacity(apps.len());
    for a in apps {
        out.push(ApplicationView {
            id: a.id,
            child_id: a.child_id,
            child_name: person_name(db, a.child_id).await?,
            applied_on: a.applied_on,
            wished_start: a.wished_start,
            units: a
                .unit_ids()
                .iter()
                .filter_map(|id| all_units.iter().find(|u| u.id == *id).cloned())
                .collect(),
            hours_per_week: a.hours_per_week,
            status: a.status,
            queue_position: positions.get(&a.id).copied(),
            offer_by: offer_by(a.applied_on),
            permitted_actions: Vec::new(),
        });
    }
    Ok(out)
}

/// Files an application for the permit's child (`request.child_id`), which the permit's holder
/// acts for as guardian.
pub async fn create(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    request: &ApplicationRequest,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    let user = permit.actor();
    if permit.subject() != request.child_id {
        return Err(ApplicationError::NotFound);
    }
    if request.unit_ids.is_empty() {
        return Err(ApplicationError::NoUnits);
    }
    if request.unit_ids.len() > MAX_UNITS {
        return Err(ApplicationError::TooManyUnits);
    }
    if !HOURS.contains(&request.hours_per_week) {
        return Err(ApplicationError::InvalidHours);
    }
    let mut seen = request.unit_ids.clone();
    seen.sort();
    seen.dedup();
    if seen.len() != request.unit_ids.len() {
        return Err(ApplicationError::DuplicateUnits);
    }
    if request.wished_start < today {
        return Err(ApplicationError::StartInPast);
    }
    let mut kinds = Vec::with_capacity(request.unit_ids.len());
    for id in &request.unit_ids {
        match childcare_unit(db, user.municipality_id, *id).await? {
            Some(unit) => kinds.push(unit.kind),
            None => return Err(ApplicationError::UnknownUnit),
        }
    }
    let birth = child_birth_date(db, request.child_id)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    // Every wished unit must be one the child may start at: the officer offers from any of them.
    for kind in kinds {
        eligibility::check(birth, kind, request.wished_start)?;
    }
    let active = childcare_application::Entity::find()
        .filter(childcare_application::Column::ChildId.eq(request.child_id))
        .filter(
            childcare_application::Column::Status
                .is_in([ApplicationStatus::Queued, ApplicationStatus::Offered]),
        )
        .one(db)
        .await?;
    if active.is_some() {
        return Err(ApplicationError::AlreadyApplied);
    }
    let model = childcare_application::Model {
        id: Uuid::new_v4(),
        municipality_id: user.municipality_id,
        child_id: request.child_id,
        applicant_person_id: user.person_id,
        wished_start: request.wished_start,
        first_unit_id: request.unit_ids[0],
        second_unit_id: request.unit_ids.get(1).copied(),
        third_unit_id: request.unit_ids.get(2).copied(),
        hours_per_week: request.hours_per_week,
        applied_on: today,
        status: ApplicationStatus::Queued,
        created_at: now,
    };
    childcare_application::Entity::insert(childcare_application::ActiveModel {
        id: Set(model.id),
        municipality_id: Set(model.municipality_id),
        child_id: Set(model.child_id),
        applicant_person_id: Set(model.applicant_person_id),
        wished_start: Set(model.wished_start),
        first_unit_id: Set(model.first_unit_id),
        second_unit_id: Set(model.second_unit_id),
        third_unit_id: Set(model.third_unit_id),
        hours_per_week: Set(model.hours_per_week),
        applied_on: Set(model.applied_on),
        status: Set(model.status),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    let mut out = views(db, user.municipality_id, vec![model]).await?;
    with_permitted_actions(db, user, &mut out, today).await?;
    out.pop().ok_or(ApplicationError::NotFound)
}

/// Sets each application's `permitted_actions`: what the policy allows on it, where its state
/// allows that too (only a queued application can be withdrawn).
async fn with_permitted_actions(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    views: &mut [ApplicationView],
    today: NaiveDate,
) -> Result<(), sea_orm::DbErr> {
    let ids: Vec<Uuid> = views.iter().map(|v| v.id).collect();
    let mut permitted =
        policy::permitted_actions::<ApplicationAction>(db, user, &ids, today).await?;
    for view in views {
        view.permitted_actions = permitted
            .remove(&view.id)
            .unwrap_or_default()
            .into_iter()
            .filter(|action| match action {
                ApplicationAction::Withdraw => view.status == ApplicationStatus::Queued,
            })
            .collect();
    }
    Ok(())
}

/// The applications for the children the permit's holder is guardian of, newest first.
pub async fn list_for_guardian(
    db: &impl ConnectionTrait,
    permit: &ListPermit<PersonAction>,
    today: NaiveDate,
) -> Result<Vec<ApplicationView>, ApplicationError> {
    let user = permit.actor();
    let children = permit.targets(db).await?;
    let mut apps = childcare_application::Entity::find()
        .filter(childcare_application::Column::MunicipalityId.eq(user.municipality_id))
        .filter(childcare_application::Column::ChildId.is_in(children))
        .all(db)
        .await?;
    apps.sort_by_key(|a| std::cmp::Reverse(a.created_at));
    let mut out = views(db, user.municipality_id, apps).await?;
    with_permitted_actions(db, user, &mut out, today).await?;
    Ok(out)
}

/// A guardian withdraws an application that is still in the queue: it leaves the queue, and
/// the applications behind it move up. Once a place is offered the offer is declined instead.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    permit: &Permit<ApplicationAction>,
) -> Result<ApplicationView, ApplicationError> {
    let user = permit.actor();
    let id = permit.target().0;
    let application = childcare_application::Entity::find_by_id(id)
        .filter(childcare_application::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    // Conditional: an officer's offer made meanwhile wins, and the guardian is told.
    let done = childcare_application::Entity::update_many()
        .col_expr(
            childcare_application::Column::Status,
            sea_orm::sea_query::Expr::value(ApplicationStatus::Withdrawn),
        )
        .filter(childcare_application::Column::Id.eq(id))
        .filter(childcare_application::Column::Status.eq(ApplicationStatus::Queued))
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Err(ApplicationError::NotInQueue);
    }
    let model = childcare_application::Model {
        status: ApplicationStatus::Withdrawn,
        ..application
    };
    let mut out = views(db, user.municipality_id, vec![model]).await?;
    out.pop().ok_or(ApplicationError::NotFound)
}

/// Which part of the queue the officer asks for: one first-choice unit or all, one page.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueueFilter {
    pub unit_id: Option<Uuid>,
    /// The page starts after this application (the first page: none).
    pub after: Option<QueueCursor>,
    /// At most this many.
    pub limit: u32,
}

/// The queue's order in SQL: first-choice unit, queued before offered, application day, the
/// moment it was made, id (a total order, so that a cursor names one place in it).
const QUEUE_ORDER: &str = "a.first_unit_id, CASE WHEN a.status = 'queued' THEN 0 ELSE 1 END, \
                           a.applied_on, a.created_at, a.id";

/// One page of the officer's queue: queued and offered applications (for one first-choice unit,
/// or all), in queue order, each with the child's birth date, guardians, siblings placed at a
/// wished unit and the wished units' free places. The children and siblings shown are written
/// to the access log through the permit.
pub async fn queue(
    db: &impl ConnectionTrait,
    permit: &Permit<GlobalAction>,
    filter: QueueFilter,
    now: DateTime<Utc>,
) -> Result<QueuePage, ApplicationError> {
    let user = permit.actor();
    let today = day_of(now);
    let mut sql = "SELECT a.* FROM childcare_application a WHERE a.municipality_id = $1 \
         AND a.status IN ($2, $3)"
        .to_owned();
    let mut values: Vec<sea_orm::Value> = vec![
        user.municipality_id.into(),
        ApplicationStatus::Queued.into(),
        ApplicationStatus::Offered.into(),
    ];
    if let Some(unit_id) = filter.unit_id {
        if childcare_unit(db, user.municipality_id, unit_id)
            .await?
            .is_none()
        {
            return Err(ApplicationError::NotFound);
        }
        values.push(unit_id.into());
        sql.push_str(&format!(" AND a.first_unit_id = ${}", values.len()));
    }
    if let Some(after) = filter.after {
        let first = values.len() + 1;
        values.push(after.first_unit_id.into());
        values.push(i32::from(after.offered).into());
        values.push(after.applied_on.into());
        values.push(after.created_at.into());
        values.push(after.id.into());
        sql.push_str(&format!(
            " AND ({QUEUE_ORDER}) > (${first}, ${}, ${}, ${}, ${})",
            first + 1,
            first + 2,
            first + 3,
            first + 4
        ));
    }
    // One row beyond the page says whether there is a next one.
    values.push((i64::from(filter.limit) + 1).into());
    sql.push_str(&format!(" ORDER BY {QUEUE_ORDER} LIMIT ${}", values.len()));
    let backend = db.get_database_backend();
    let apps = childcare_application::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            backend,
            numbered_params(backend, &sql),
            values,
        ))
        .all(db)
        .await?;
    let (apps, next) = crate::db::page(apps, filter.limit, |a| QueueCursor {
        first_unit_id: a.first_unit_id,
        offered: a.status != ApplicationStatus::Queued,
        applied_on: a.applied_on,
        created_at: a.created_at,
        id: a.id,
    });
    let children: Vec<Uuid> = apps.iter().map(|a| a.child_id).collect();
    let wished: HashSet<Uuid> = apps.iter().flat_map(|a| a.unit_ids()).collect();
    let views = views(db, user.municipality_id, apps).await?;

    let births: HashMap<Uuid, NaiveDate> = person::Entity::find()
        .filter(person::Column::MunicipalityId.eq(user.municipality_id))
        .filter(person::Column::Id.is_in(children.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.birth_date))
        .collect();
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::MunicipalityId.eq(user.municipality_id))
        .filter(guardianship::Column::ChildId.is_in(children))
        .filter(guardianship::Column::Relation.eq(GuardianRelation::Guardian))
        .all(db)
        .await?;
    let adults: Vec<Uuid> = links.iter().map(|l| l.adult_id).collect();
    // The guardians' other children: the siblings, within what the policy allows.
    let family = guardianship::Entity::find()
        .filter(guardianship::Column::MunicipalityId.eq(user.municipality_id))
        .filter(guardianship::Column::AdultId.is_in(adults.clone()))
        .filter(guardianship::Column::Relation.eq(GuardianRelation::Guardian))
        .all(db)
        .await?;
    let sibling_ids: Vec<Uuid> = family.iter().map(|l| l.child_id).collect();
    let active = |q: sea_orm::Select<placement::Entity>| {
        q.filter(placement::Column::MunicipalityId.eq(user.municipality_id))
            .filter(placement::Column::StartDate.lte(today))
            .filter(
                placement::Column::EndDate
                    .is_null()
                    .or(placement::Column::EndDate.gte(today)),
            )
    };
    let sibling_places = active(placement::Entity::find())
        .filter(placement::Column::ChildId.is_in(sibling_ids))
        .filter(placement::Column::UnitId.is_in(wished.iter().copied()))
        .all(db)
        .await?;
    let names = person_names(
        db,
        adults
            .iter()
            .copied()
            .chain(sibling_places.iter().map(|p| p.child_id)),
    )
    .await?;

    // Free places today: the unit's places less the children placed and the open offers.
    let capacities: HashMap<Uuid, Option<i32>> = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(user.municipality_id))
        .filter(unit::Column::Id.is_in(wished.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.capacity))
        .collect();
    let mut taken: HashMap<Uuid, i32> = HashMap::new();
    for p in active(placement::Entity::find())
        .filter(placement::Column::UnitId.is_in(wished.iter().copied()))
        .all(db)
        .await?
    {
        *taken.entry(p.unit_id).or_default() += 1;
    }
    for o in placement_offer::Entity::find()
        .filter(placement_offer::Column::MunicipalityId.eq(user.municipality_id))
        .filter(placement_offer::Column::UnitId.is_in(wished.iter().copied()))
        .filter(placement_offer::Column::Status.eq(OfferStatus::Open))
        .all(db)
        .await?
    {
        *taken.entry(o.unit_id).or_default() += 1;
    }

    let mut read_siblings = Vec::new();
    let mut out = Vec::with_capacity(views.len());
    for view in views {
        let child = view.child_id;
        let own: Vec<Uuid> = links
            .iter()
            .filter(|l| l.child_id == child)
            .map(|l| l.adult_id)
            .collect();
        let mut guardians: Vec<String> = own.iter().filter_map(|a| names.get(a).cloned()).collect();
        guardians.sort();
        let brothers_and_sisters: HashSet<Uuid> = family
            .iter()
            .filter(|l| own.contains(&l.adult_id) && l.child_id != child)
            .map(|l| l.child_id)
            .collect();
        let wished_here: Vec<Uuid> = view.units.iter().map(|u| u.id).collect();
        let mut siblings: Vec<PlacedSibling> = sibling_places
            .iter()
            .filter(|p| brothers_and_sisters.contains(&p.child_id))
            .filter(|p| wished_here.contains(&p.unit_id))
            .map(|p| {
                read_siblings.push(p.child_id);
                PlacedSibling {
                    name: names.get(&p.child_id).cloned().unwrap_or_default(),
                    unit_id: p.unit_id,
                }
            })
            .collect();
        siblings.sort_by(|a, b| a.name.cmp(&b.name));
        let free_places = wished_here
            .iter()
            .map(|unit_id| FreePlaces {
                unit_id: *unit_id,
                free: capacities
                    .get(unit_id)
                    .copied()
                    .flatten()
                    .map(|places| places - taken.get(unit_id).copied().unwrap_or(0)),
            })
            .collect();
        out.push(QueueEntry {
            birth_date: births.get(&child).copied().unwrap_or_default(),
            guardians,
            siblings,
            free_places,
            application: view,
        });
    }
    read_siblings.sort();
    read_siblings.dedup();
    // The page's children, and the siblings' names and places: children's data too.
    permit
        .record_shown(
            db,
            out.iter()
                .map(|e| e.application.child_id)
                .chain(read_siblings),
            now,
        )
        .await?;
    Ok(QueuePage {
        items: out,
        next_cursor: next.map(|c| c.encode()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn a_place_must_be_offered_within_four_months() {
        assert_eq!(offer_by(d(2026, 11, 24)), d(2027, 3, 24));
        assert_eq!(offer_by(d(2026, 10, 31)), d(2027, 2, 28));
    }

    #[test]
    fn months_are_clamped_to_the_end_of_the_month() {
        assert_eq!(add_months(d(2026, 12, 31), 2), d(2027, 2, 28));
        assert_eq!(add_months(d(2026, 11, 24), 2), d(2027, 1, 24));
    }
}
