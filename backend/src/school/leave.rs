//! Leave applications (ledighetsansökan, skollagen 7 kap. 18 §).
//!
//! The policy decides who acts (`PersonAction::ApplyForLeave` and `LeaveAction::Agree`,
//! `Withdraw`: the guardians; `LeaveAction::Decide`: the mentor for the applications the
//! municipality lets mentors decide, the principal for any of the school's pupils). This module
//! decides what an application is:
//! - its days are ahead and in order (`shared::leave::check_days`), and hold school days, which
//!   it counts by the school calendar; that count fixes who decides (`shared::leave::decider`,
//!   the municipality's `leave_mentor_days`, never above ten);
//! - under joint custody with the guardians apart, and where the municipality asks for it
//!   (`leave_both_guardians`), it waits until every guardian has agreed (the childcare side's
//!   two-guardian rule, `childcare::signatures::guardians_apart`);
//! - one submit makes one application (`submission_id`);
//! - a decision is made once, on a pending application; the guardians are told it in the app
//!   and by their channels (`crate::notices`);
//! - a granted leave is valid absence on the attendance roster of its days ([`granted_covering`]).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use skolportal_shared::api::{
    LeaveAction, LeaveApplication, LeaveStatus, NewLeaveApplication, SchoolDayKind,
};
use skolportal_shared::leave::{self, LeaveError as Rule};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::childcare::signatures;
use crate::clock::day_of;
use crate::entity::{leave_agreement, leave_application, person};
use crate::policy::{self, ListPermit, Permit, PersonAction};
use crate::school::timetable::SchoolCalendar;

#[derive(Debug, thiserror::Error)]
pub enum LeaveError {
    #[error("no such leave application")]
    NotFound,
    #[error("{}", .0.message())]
    Input(Rule),
    /// Agreed, withdrawn or decided already, or not in the state the step needs.
    #[error("the application is no longer open for that")]
    NotOpen,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// School days from `first` to `last`: weekdays the municipality's calendar holds school on.
fn school_days(calendar: &SchoolCalendar, first: NaiveDate, last: NaiveDate) -> u32 {
    let mut days = 0;
    let mut day = first;
    while day <= last {
        let weekday = day.weekday().number_from_monday() <= 5;
        if weekday && calendar.day_kind(day) == SchoolDayKind::SchoolDay {
            days += 1;
        }
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    days
}

/// Makes the application of `permit`'s child (or finds the one this submit made).
pub async fn apply(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<PersonAction>,
    input: &NewLeaveApplication,
    now: DateTime<Utc>,
) -> Result<LeaveApplication, LeaveError> {
    let actor = permit.actor();
    let child = permit.target().0;
    if let Some(existing) = leave_application::Entity::find()
        .filter(leave_application::Column::SubmissionId.eq(input.submission_id))
        .filter(leave_application::Column::ChildId.eq(child))
        .one(db)
        .await?
    {
        return view_one(db, actor, existing, now).await;
    }
    let today = day_of(now);
    leave::check_days(input.first_day, input.last_day, today).map_err(LeaveError::Input)?;
    let calendar = SchoolCalendar::load(db, actor.municipality_id).await?;
    let days = school_days(&calendar, input.first_day, input.last_day);
    if days == 0 {
        return Err(LeaveError::Input(Rule::NoSchoolDays));
    }
    let settings = signatures::settings(db, actor.municipality_id).await?;
    let apart = if settings.leave_both_guardians {
        signatures::guardians_apart(db, child, today).await?
    } else {
        Vec::new()
    };
    let status = if apart.iter().any(|g| *g != actor.person_id) {
        LeaveStatus::AwaitingGuardians
    } else {
        LeaveStatus::Pending
    };
    let id = Uuid::new_v4();
    let txn = db.begin().await?;
    let inserted = leave_application::Entity::insert(leave_application::ActiveModel {
        id: Set(id),
        municipality_id: Set(actor.municipality_id),
        child_id: Set(child),
        submission_id: Set(input.submission_id),
        first_day: Set(input.first_day),
        last_day: Set(input.last_day),
        school_days: Set(i32::try_from(days).unwrap_or(i32::MAX)),
        reason: Set(input.reason),
        status: Set(status),
        decider: Set(leave::decider(days, settings.leave_mentor_days)),
        applied_by_person_id: Set(Some(actor.person_id)),
        applied_at: Set(now),
        decided_by_person_id: Set(None),
        decided_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([
            leave_application::Column::SubmissionId,
            leave_application::Column::ChildId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 1 {
        agree_as(&txn, id, actor.person_id, now).await?;
    }
    txn.commit().await?;
    let stored = leave_application::Entity::find()
        .filter(leave_application::Column::SubmissionId.eq(input.submission_id))
        .filter(leave_application::Column::ChildId.eq(child))
        .one(db)
        .await?
        .ok_or(LeaveError::NotFound)?;
    view_one(db, actor, stored, now).await
}

async fn agree_as(
    db: &impl ConnectionTrait,
    application: Uuid,
    guardian: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    leave_agreement::Entity::insert(leave_agreement::ActiveModel {
        id: Set(Uuid::new_v4()),
        application_id: Set(application),
        guardian_id: Set(guardian),
        agreed_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            leave_agreement::Column::ApplicationId,
            leave_agreement::Column::GuardianId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The other guardian agrees; when every guardian apart has, it waits for the decision.
pub async fn agree(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<LeaveAction>,
    now: DateTime<Utc>,
) -> Result<LeaveApplication, LeaveError> {
    let actor = permit.actor();
    let txn = db.begin().await?;
    let application = find(&txn, permit.target().0).await?;
    if application.status != LeaveStatus::AwaitingGuardians {
        return Err(LeaveError::NotOpen);
    }
    agree_as(&txn, application.id, actor.person_id, now).await?;
    let needed = signatures::guardians_apart(&txn, application.child_id, day_of(now)).await?;
    let agreed: Vec<Uuid> = leave_agreement::Entity::find()
        .filter(leave_agreement::Column::ApplicationId.eq(application.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| a.guardian_id)
        .collect();
    if needed.iter().all(|g| agreed.contains(g)) {
        leave_application::Entity::update_many()
            .col_expr(
                leave_application::Column::Status,
                Expr::value(LeaveStatus::Pending),
            )
            .filter(leave_application::Column::Id.eq(application.id))
            .filter(leave_application::Column::Status.eq(LeaveStatus::AwaitingGuardians))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    let stored = find(db, application.id).await?;
    view_one(db, actor, stored, now).await
}

/// A guardian withdraws it before the decision.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    permit: &Permit<LeaveAction>,
    now: DateTime<Utc>,
) -> Result<LeaveApplication, LeaveError> {
    let id = permit.target().0;
    let changed = leave_application::Entity::update_many()
        .col_expr(
            leave_application::Column::Status,
            Expr::value(LeaveStatus::Withdrawn),
        )
        .filter(leave_application::Column::Id.eq(id))
        .filter(
            leave_application::Column::Status
                .is_in([LeaveStatus::AwaitingGuardians, LeaveStatus::Pending]),
        )
        .exec(db)
        .await?
        .rows_affected;
    if changed == 0 {
        return Err(LeaveError::NotOpen);
    }
    let stored = find(db, id).await?;
    view_one(db, permit.actor(), stored, now).await
}

/// The mentor or the principal grants or refuses it, once; the guardians are told.
pub async fn decide(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<LeaveAction>,
    grant: bool,
    now: DateTime<Utc>,
) -> Result<LeaveApplication, LeaveError> {
    let id = permit.target().0;
    let status = if grant {
        LeaveStatus::Granted
    } else {
        LeaveStatus::Refused
    };
    let txn = db.begin().await?;
    let changed = leave_application::Entity::update_many()
        .col_expr(leave_application::Column::Status, Expr::value(status))
        .col_expr(
            leave_application::Column::DecidedByPersonId,
            Expr::value(permit.actor().person_id),
        )
        .col_expr(leave_application::Column::DecidedAt, Expr::value(now))
        .filter(leave_application::Column::Id.eq(id))
        .filter(leave_application::Column::Status.eq(LeaveStatus::Pending))
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 0 {
        return Err(LeaveError::NotOpen);
    }
    let application = find(&txn, id).await?;
    crate::notices::leave_decided(&txn, &application, now).await?;
    txn.commit().await?;
    view_one(db, permit.actor(), application, now).await
}

async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<leave_application::Model, LeaveError> {
    leave_application::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(LeaveError::NotFound)
}

/// The applications about `children` (those `user` may apply for) that end today or later, or
/// were decided within the last month, the earliest first.
pub async fn of_children(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    children: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Vec<LeaveApplication>, LeaveError> {
    if children.is_empty() {
        return Ok(Vec::new());
    }
    let rows = leave_application::Entity::find()
        .filter(leave_application::Column::ChildId.is_in(children.iter().copied()))
        .filter(leave_application::Column::LastDay.gte(day_of(now)))
        .order_by_asc(leave_application::Column::FirstDay)
        .all(db)
        .await?;
    views(db, user, rows, now).await
}

/// The pending applications the list permit's actor may decide, the earliest first; the access
/// log gets the pupils shown.
pub async fn to_decide(
    db: &impl ConnectionTrait,
    permit: &ListPermit<LeaveAction>,
    now: DateTime<Utc>,
) -> Result<Vec<LeaveApplication>, LeaveError> {
    let ids = permit.targets(db).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = leave_application::Entity::find()
        .filter(leave_application::Column::Id.is_in(ids))
        .filter(leave_application::Column::Status.eq(LeaveStatus::Pending))
        .order_by_asc(leave_application::Column::FirstDay)
        .all(db)
        .await?;
    permit
        .record_shown(db, rows.iter().map(|r| r.child_id), now)
        .await?;
    views(db, permit.actor(), rows, now).await
}

/// Granted leave of `pupils` that covers `date`: valid absence on that day's rosters.
pub async fn granted_covering(
    db: &impl ConnectionTrait,
    pupils: impl IntoIterator<Item = Uuid>,
    date: NaiveDate,
) -> Result<Vec<Uuid>, DbErr> {
    let pupils: Vec<Uuid> = pupils.into_iter().collect();
    if pupils.is_empty() {
        return Ok(Vec::new());
    }
    Ok(leave_application::Entity::find()
        .filter(crate::db::is_in(
            db.get_database_backend(),
            leave_application::Column::ChildId,
            pupils,
        ))
        .filter(leave_application::Column::Status.eq(LeaveStatus::Granted))
        .filter(leave_application::Column::FirstDay.lte(date))
        .filter(leave_application::Column::LastDay.gte(date))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.child_id)
        .collect())
}

async fn view_one(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    row: leave_application::Model,
    now: DateTime<Utc>,
) -> Result<LeaveApplication, LeaveError> {
    views(db, user, vec![row], now)
        .await?
        .pop()
        .ok_or(LeaveError::NotFound)
}

/// The applications as `user` sees them, with what the policy lets `user` do with each now.
async fn views(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    rows: Vec<leave_application::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<LeaveApplication>, LeaveError> {
    let today = day_of(now);
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let permitted = policy::permitted_actions::<LeaveAction>(db, user, &ids, today).await?;
    let agreements = leave_agreement::Entity::find()
        .filter(leave_agreement::Column::ApplicationId.is_in(ids.iter().copied()))
        .order_by_asc(leave_agreement::Column::AgreedAt)
        .all(db)
        .await?;
    let mut needed: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in rows
        .iter()
        .filter(|r| r.status == LeaveStatus::AwaitingGuardians)
    {
        needed.insert(
            row.id,
            signatures::guardians_apart(db, row.child_id, today).await?,
        );
    }
    let mut people_ids: Vec<Uuid> = rows
        .iter()
        .flat_map(|r| {
            [
                Some(r.child_id),
                r.applied_by_person_id,
                r.decided_by_person_id,
            ]
        })
        .flatten()
        .chain(agreements.iter().map(|a| a.guardian_id))
        .chain(needed.values().flatten().copied())
        .collect();
    people_ids.sort();
    people_ids.dedup();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(people_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect();
    let name = |id: Option<Uuid>| {
        id.and_then(|id| names.get(&id).cloned())
            .unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let agreed: Vec<Uuid> = agreements
                .iter()
                .filter(|a| a.application_id == r.id)
                .map(|a| a.guardian_id)
                .collect();
            let awaiting = needed
                .get(&r.id)
                .map(|n| {
                    n.iter()
                        .filter(|g| !agreed.contains(g))
                        .map(|g| name(Some(*g)))
                        .collect()
                })
                .unwrap_or_default();
            let open = matches!(
                r.status,
                LeaveStatus::AwaitingGuardians | LeaveStatus::Pending
            );
            let mine_agreed = agreed.contains(&user.person_id);
            let permitted_actions = permitted
                .get(&r.id)
                .map(|actions| {
                    actions
                        .iter()
                        .copied()
                        .filter(|a| match a {
                            LeaveAction::Agree => {
                                r.status == LeaveStatus::AwaitingGuardians && !mine_agreed
                            }
                            LeaveAction::Withdraw => open,
                            LeaveAction::Decide => r.status == LeaveStatus::Pending,
                        })
                        .collect()
                })
                .unwrap_or_default();
            LeaveApplication {
                id: r.id,
                child_id: r.child_id,
                child_name: name(Some(r.child_id)),
                first_day: r.first_day,
                last_day: r.last_day,
                school_days: u32::try_from(r.school_days).unwrap_or(0),
                reason: r.reason,
                status: r.status,
                decider: r.decider,
                applied_by: name(r.applied_by_person_id),
                agreed_by: agreed.iter().map(|g| name(Some(*g))).collect(),
                awaiting,
                decided_by: r.decided_by_person_id.map(|id| name(Some(id))),
                decided_at: r.decided_at,
                permitted_actions,
            }
        })
        .collect())
}
