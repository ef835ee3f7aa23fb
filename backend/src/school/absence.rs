//! Absence reports (frånvaroanmälan) by the adults who care for a child: one submit for one or
//! several children, whole days or part of one day, a reason code and no text (rule 5).
//!
//! The policy decides who reports (`PersonAction::ReportAbsence`: guardians and other
//! responsible adults; `PersonAction::MarkAbsence`: the unit's staff on the day sheet, logged);
//! this module decides what a report is (`shared::absence::check`) and
//! keeps the submit idempotent: `(submission_id, child_id)` is unique, so a submit the app
//! sends again after a lost answer finds the rows it made instead of making new ones.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait, TryInsertResult,
};
use skolportal_shared::absence::{self, Absence};
use skolportal_shared::api::{
    AbsenceInput, AbsenceReport, AbsenceReportAction, AbsenceReportStatus, DayAbsence,
    NewAbsenceReport,
};
use skolportal_shared::calendar::format_time_of_day;
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::clock::{day_of, local_time_of};
use crate::db;
use crate::entity::{absence_report, person};
use crate::policy::{self, Permit, PersonAction};
use crate::settings::SourceSettings;
use crate::ss12000::write_back;

/// The most children in one submit: a large family's, with room to spare.
pub const MAX_CHILDREN: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum AbsenceError {
    #[error("{}", .0.code())]
    Input(absence::AbsenceError),
    /// No report the asker may see has this id.
    #[error("no such absence report")]
    NotFound,
    /// The report has started (or was withdrawn): it is the school's record now.
    #[error("the absence has started and can no longer be changed")]
    Started,
    #[error(transparent)]
    Policy(#[from] policy::PolicyError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The children of a submit, checked before the policy is asked: at least one, none twice.
pub fn children_of(input: &NewAbsenceReport) -> Result<Vec<Uuid>, AbsenceError> {
    let mut seen = HashSet::new();
    let ok = !input.child_ids.is_empty()
        && input.child_ids.len() <= MAX_CHILDREN
        && input.child_ids.iter().all(|c| seen.insert(*c));
    if ok {
        Ok(input.child_ids.clone())
    } else {
        Err(AbsenceError::Input(absence::AbsenceError::NoChildren))
    }
}

/// Stores one report per child of `permits` (each `ReportAbsence` on one child, or the staff's
/// `MarkAbsence` from the day sheet), or finds the
/// ones an earlier send of the same submit stored. Answers the reports, in the children's order.
/// A family's new reports go back to the `source` system, enqueued with them
/// (`ss12000::write_back`); the staff's marks on a day sheet are the unit's own record.
pub async fn report(
    db: &(impl ConnectionTrait + TransactionTrait),
    permits: &[Permit<PersonAction>],
    input: &NewAbsenceReport,
    source: Option<&SourceSettings>,
    now: DateTime<Utc>,
) -> Result<Vec<AbsenceReport>, AbsenceError> {
    let checked =
        absence::check(&input.absence, local_time_of(now)).map_err(AbsenceError::Input)?;
    let Some(first) = permits.first() else {
        return Err(AbsenceError::Input(absence::AbsenceError::NoChildren));
    };
    let actor = first.actor();
    let txn = db.begin().await?;
    let mut stored = Vec::new();
    for permit in permits {
        let id = Uuid::new_v4();
        let row = absence_report::ActiveModel {
            id: Set(id),
            municipality_id: Set(actor.municipality_id),
            submission_id: Set(input.submission_id),
            child_id: Set(permit.target().0),
            reported_by_person_id: Set(Some(actor.person_id)),
            first_day: Set(checked.first_day),
            last_day: Set(checked.last_day),
            starts_at: Set(checked.hours.map(|(from, _)| from)),
            ends_at: Set(checked.hours.map(|(_, to)| to)),
            reason: Set(input.absence.reason),
            status: Set(AbsenceReportStatus::Active),
            reported_at: Set(now),
            updated_at: Set(now),
        };
        // A repeat of the submit (or a race with it) leaves the first send's row as it is.
        let inserted = absence_report::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    absence_report::Column::SubmissionId,
                    absence_report::Column::ChildId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .do_nothing()
            .exec_without_returning(&txn)
            .await?;
        // Only a row this send made goes back: a repeat's was enqueued by the first send.
        let made = matches!(inserted, TryInsertResult::Inserted(n) if n > 0);
        if made && permit.action() == PersonAction::ReportAbsence {
            stored.push((id, permit.target().0));
        }
    }
    write_back::absences_reported(&txn, source, actor.municipality_id, &stored, now).await?;
    txn.commit().await?;
    let children: Vec<Uuid> = permits.iter().map(|p| p.target().0).collect();
    let rows = absence_report::Entity::find()
        .filter(absence_report::Column::SubmissionId.eq(input.submission_id))
        .filter(absence_report::Column::ChildId.is_in(children.clone()))
        .all(db)
        .await?;
    let mut views = views(db, actor, rows, now).await?;
    views.sort_by_key(|v| children.iter().position(|c| *c == v.child_id));
    Ok(views)
}

/// The reports about `children` (those `user` may report absent) that end today or later, the
/// earliest first.
pub async fn current_of(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    children: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Vec<AbsenceReport>, AbsenceError> {
    if children.is_empty() {
        return Ok(Vec::new());
    }
    let today = local_time_of(now).date();
    let rows = absence_report::Entity::find()
        .filter(absence_report::Column::ChildId.is_in(children.iter().copied()))
        .filter(absence_report::Column::LastDay.gte(today))
        .filter(absence_report::Column::Status.eq(AbsenceReportStatus::Active))
        .order_by_asc(absence_report::Column::FirstDay)
        .order_by_asc(absence_report::Column::StartsAt)
        .all(db)
        .await?;
    views(db, user, rows, now).await
}

/// The standing reports about `children` that cover any day from `first` to `last`: what the
/// family's start page and the staff's day sheet show. The caller's permit or policy answer
/// decides that these children's days may be read; a report is part of the day.
pub async fn covering(
    db: &impl ConnectionTrait,
    children: impl IntoIterator<Item = Uuid>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<absence_report::Model>, DbErr> {
    let children: Vec<Uuid> = children.into_iter().collect();
    if children.is_empty() {
        return Ok(Vec::new());
    }
    absence_report::Entity::find()
        .filter(db::is_in(
            db.get_database_backend(),
            absence_report::Column::ChildId,
            children,
        ))
        .filter(absence_report::Column::LastDay.gte(first))
        .filter(absence_report::Column::FirstDay.lte(last))
        .filter(absence_report::Column::Status.eq(AbsenceReportStatus::Active))
        .all(db)
        .await
}

/// `child`'s reported absence on `day` among `reports`: a whole day before part of one, and of
/// two parts the earlier (a day shows one absence; the family's list has them all).
pub fn on_day(
    reports: &[absence_report::Model],
    child: Uuid,
    day: NaiveDate,
) -> Option<DayAbsence> {
    reports
        .iter()
        .filter(|r| r.child_id == child && r.first_day <= day && day <= r.last_day)
        .min_by_key(|r| (r.starts_at.is_some(), r.starts_at))
        .map(|r| DayAbsence {
            reason: r.reason,
            starts_at: r.starts_at.map(format_time_of_day),
            ends_at: r.ends_at.map(format_time_of_day),
        })
}

/// The report the permit is for.
async fn report_of(
    db: &impl ConnectionTrait,
    permit: &Permit<AbsenceReportAction>,
) -> Result<absence_report::Model, AbsenceError> {
    absence_report::Entity::find_by_id(permit.target().0)
        .one(db)
        .await?
        .ok_or(AbsenceError::NotFound)
}

/// Replaces the report's days, hours and reason, until it starts.
pub async fn change(
    db: &impl ConnectionTrait,
    permit: &Permit<AbsenceReportAction>,
    input: &AbsenceInput,
    now: DateTime<Utc>,
) -> Result<AbsenceReport, AbsenceError> {
    let report = report_of(db, permit).await?;
    ensure_open(&report, now)?;
    let checked = absence::check(input, local_time_of(now)).map_err(AbsenceError::Input)?;
    let mut row = report.into_active_model();
    row.first_day = Set(checked.first_day);
    row.last_day = Set(checked.last_day);
    row.starts_at = Set(checked.hours.map(|(from, _)| from));
    row.ends_at = Set(checked.hours.map(|(_, to)| to));
    row.reason = Set(input.reason);
    row.updated_at = Set(now);
    let stored = row.update(db).await?;
    let mut views = views(db, permit.actor(), vec![stored], now).await?;
    views.pop().ok_or(AbsenceError::NotFound)
}

/// Withdraws the report, until it starts. It is kept as withdrawn: a re-sent submit must find
/// it rather than report the absence again.
pub async fn withdraw(
    db: &impl ConnectionTrait,
    permit: &Permit<AbsenceReportAction>,
    now: DateTime<Utc>,
) -> Result<(), AbsenceError> {
    let report = report_of(db, permit).await?;
    ensure_open(&report, now)?;
    let mut row = report.into_active_model();
    row.status = Set(AbsenceReportStatus::Withdrawn);
    row.updated_at = Set(now);
    row.update(db).await?;
    Ok(())
}

fn absence_of(report: &absence_report::Model) -> Absence {
    Absence {
        first_day: report.first_day,
        last_day: report.last_day,
        hours: report.starts_at.zip(report.ends_at),
    }
}

fn ensure_open(report: &absence_report::Model, now: DateTime<Utc>) -> Result<(), AbsenceError> {
    if report.status != AbsenceReportStatus::Active
        || !absence_of(report).is_open_at(local_time_of(now))
    {
        return Err(AbsenceError::Started);
    }
    Ok(())
}

/// The reports as `user` sees them, with the children's and reporters' names, and what the
/// policy lets `user` do with each while it is open.
async fn views(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    rows: Vec<absence_report::Model>,
    now: DateTime<Utc>,
) -> Result<Vec<AbsenceReport>, AbsenceError> {
    let report_ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut permitted =
        policy::permitted_actions::<AbsenceReportAction>(db, user, &report_ids, day_of(now))
            .await?;
    let ids: HashSet<Uuid> = rows
        .iter()
        .flat_map(|r| std::iter::once(r.child_id).chain(r.reported_by_person_id))
        .collect();
    let names: HashMap<Uuid, (String, String)> = if ids.is_empty() {
        HashMap::new()
    } else {
        person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, (p.given_name, p.family_name)))
            .collect()
    };
    let local = local_time_of(now);
    Ok(rows
        .into_iter()
        .map(|r| {
            let open = r.status == AbsenceReportStatus::Active && absence_of(&r).is_open_at(local);
            let child_name = names
                .get(&r.child_id)
                .map(|(given, _)| given.clone())
                .unwrap_or_default();
            let reported_by = r
                .reported_by_person_id
                .and_then(|id| names.get(&id))
                .map(|(given, family)| format!("{given} {family}"))
                .unwrap_or_default();
            AbsenceReport {
                id: r.id,
                child_id: r.child_id,
                child_name,
                first_day: r.first_day,
                last_day: r.last_day,
                starts_at: r.starts_at.map(format_time_of_day),
                ends_at: r.ends_at.map(format_time_of_day),
                reason: r.reason,
                status: r.status,
                reported_by,
                reported_at: r.reported_at,
                permitted_actions: if open {
                    permitted.remove(&r.id).unwrap_or_default()
                } else {
                    Vec::new()
                },
            }
        })
        .collect())
}
