//! The childcare schedule (vistelsetid): per child and weekday, when the child is left and
//! collected, within the opening hours of the unit of the child's place. A day locks
//! `unit.schedule_lock_working_days` working days before it applies (`shared::calendar`); after
//! that a guardian cannot change it. Everything a request would write is validated first and
//! written in one transaction, so a refused request changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use skolportal_shared::api::{
    CopyOutcome, DaySheet, DaySheetChild, DaySheetStatus, Department, ScheduleDay, SkipReason,
    SkippedDay, WeekSchedule, WeekScheduleUpdate,
};
use skolportal_shared::calendar::{self, format_time_of_day, parse_time_of_day};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::entity::placement::PlacementKind;
use crate::entity::school_group::{self, GroupType};
use crate::entity::{person, pickup_person, placement, schedule_day, unit};
use crate::policy::{Permit, PersonAction, UnitAction};
use crate::school::absence;

/// Monday to Friday: the days a unit can be open.
const WEEKDAYS: u64 = 5;

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("the week must be given by its Monday")]
    NotAMonday,
    #[error("give the week (its Monday) to copy")]
    WeekRequired,
    #[error("the child has no place in förskola, fritidshem or pedagogisk omsorg that week")]
    NoPlacement,
    #[error("{0} is listed twice")]
    DuplicateDay(NaiveDate),
    #[error("{0} is not in the week")]
    DayOutsideWeek(NaiveDate),
    #[error("{0}: a time is written HH:MM, for example 07:30")]
    InvalidTime(NaiveDate),
    #[error("{0}: give both drop-off and pick-up, or neither for a day without care")]
    IncompleteDay(NaiveDate),
    #[error("{0}: the pick-up must be after the drop-off")]
    PickUpBeforeDropOff(NaiveDate),
    #[error("{date}: the unit is open {opens_at}–{closes_at}")]
    OutsideOpeningHours {
        date: NaiveDate,
        opens_at: String,
        closes_at: String,
    },
    #[error("{0}: the unit is closed that day")]
    ClosedDay(NaiveDate),
    #[error("{date}: the schedule is locked; it could be changed until {until}")]
    DayLocked { date: NaiveDate, until: NaiveDate },
    #[error("a sibling must be your child, other than this one")]
    InvalidSibling,
    #[error(
        "a sibling must have a place of the same kind (förskola, fritidshem, pedagogisk omsorg)"
    )]
    DifferentKindOfCare,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// A planned day: drop-off and pick-up, or `None` for a day without care.
type Times = Option<(NaiveTime, NaiveTime)>;

/// What governs one weekday of a child: the place that day (if any) and its unit.
struct DayRule {
    date: NaiveDate,
    /// The place on this date; `None` when the child has no place that day.
    placement: Option<Uuid>,
    /// The unit of that place, or of another place in the same week for the opening hours.
    unit: unit::Model,
    /// A holiday, a non-working eve, or no place that day.
    closed: bool,
    closed_reason: Option<SkipReason>,
    changeable_until: NaiveDate,
    locked: bool,
}

impl DayRule {
    fn check_hours(
        &self,
        (drop_off, pick_up): (NaiveTime, NaiveTime),
    ) -> Result<(), ScheduleError> {
        if drop_off < self.unit.opens_at || pick_up > self.unit.closes_at {
            return Err(ScheduleError::OutsideOpeningHours {
                date: self.date,
                opens_at: format_time_of_day(self.unit.opens_at),
                closes_at: format_time_of_day(self.unit.closes_at),
            });
        }
        Ok(())
    }
}

/// A child's week: the rule of each weekday and the kind of care.
struct Week {
    start: NaiveDate,
    days: Vec<DayRule>,
    kinds: Vec<PlacementKind>,
}

fn day(start: NaiveDate, offset: u64) -> NaiveDate {
    start.checked_add_days(Days::new(offset)).unwrap_or(start)
}

fn lock_days(unit: &unit::Model) -> u32 {
    u32::try_from(unit.schedule_lock_working_days.max(0)).unwrap_or(0)
}

fn require_monday(week: NaiveDate) -> Result<(), ScheduleError> {
    if week.weekday() == Weekday::Mon {
        Ok(())
    } else {
        Err(ScheduleError::NotAMonday)
    }
}

/// The places of `child` from `from` to `to`, with their units, within the municipality.
async fn places(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    child: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(placement::Model, unit::Model)>, DbErr> {
    let places = placement::Entity::find()
        .filter(placement::Column::MunicipalityId.eq(municipality_id))
        .filter(placement::Column::ChildId.eq(child))
        .filter(placement::Column::StartDate.lte(to))
        .filter(
            placement::Column::EndDate
                .is_null()
                .or(placement::Column::EndDate.gte(from)),
        )
        .order_by_desc(placement::Column::StartDate)
        .all(db)
        .await?;
    let unit_ids: Vec<Uuid> = places.iter().map(|p| p.unit_id).collect();
    let units = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?;
    Ok(places
        .into_iter()
        .filter_map(|p| {
            let u = units.iter().find(|u| u.id == p.unit_id)?.clone();
            Some((p, u))
        })
        .collect())
}

/// The rules of the weekdays of the week starting `start`, for `child`, seen on `today`.
async fn week_rules(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    child: Uuid,
    start: NaiveDate,
    today: NaiveDate,
) -> Result<Week, ScheduleError> {
    let friday = day(start, WEEKDAYS - 1);
    let places = places(db, municipality_id, child, start, friday).await?;
    let Some((_, fallback)) = places.first() else {
        return Err(ScheduleError::NoPlacement);
    };
    let mut days = Vec::new();
    for offset in 0..WEEKDAYS {
        let date = day(start, offset);
        let place = places
            .iter()
            .find(|(p, _)| p.start_date <= date && p.end_date.is_none_or(|end| end >= date));
        let unit = place.map(|(_, u)| u).unwrap_or(fallback).clone();
        let closed_reason = match place {
            None => Some(SkipReason::NoPlacement),
            Some(_) if !calendar::is_working_day(date) => Some(SkipReason::Closed),
            Some(_) => None,
        };
        let lock = lock_days(&unit);
        days.push(DayRule {
            date,
            placement: place.map(|(p, _)| p.id),
            closed: closed_reason.is_some(),
            closed_reason,
            changeable_until: calendar::lock_date(date, lock),
            locked: calendar::is_locked(date, lock, today),
            unit,
        });
    }
    Ok(Week {
        start,
        days,
        kinds: places.iter().map(|(p, _)| p.kind).collect(),
    })
}

/// The stored days of `child` from `from` to `to`, by date.
async fn stored_days(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    child: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<NaiveDate, schedule_day::Model>, DbErr> {
    Ok(schedule_day::Entity::find()
        .filter(schedule_day::Column::MunicipalityId.eq(municipality_id))
        .filter(schedule_day::Column::ChildId.eq(child))
        .filter(schedule_day::Column::Date.gte(from))
        .filter(schedule_day::Column::Date.lte(to))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.date, d))
        .collect())
}

fn times_of(row: Option<&schedule_day::Model>) -> Times {
    row.and_then(|r| Some((r.drop_off?, r.pick_up?)))
}

/// One change to write: the day of a child, its place, and the new times.
struct Change {
    child: Uuid,
    date: NaiveDate,
    placement: Uuid,
    times: Times,
    existing: Option<Uuid>,
}

async fn write(
    db: &DatabaseConnection,
    user: &SessionUser,
    changes: &[Change],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    for c in changes {
        let drop_off = c.times.map(|t| t.0);
        let pick_up = c.times.map(|t| t.1);
        match c.existing {
            Some(id) => {
                schedule_day::Entity::update(schedule_day::ActiveModel {
                    id: Set(id),
                    placement_id: Set(c.placement),
                    drop_off: Set(drop_off),
                    pick_up: Set(pick_up),
                    updated_at: Set(now),
                    updated_by_person_id: Set(user.person_id),
                    ..Default::default()
                })
                .filter(schedule_day::Column::MunicipalityId.eq(user.municipality_id))
                .exec(&txn)
                .await?;
            }
            None => {
                schedule_day::Entity::insert(schedule_day::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    municipality_id: Set(user.municipality_id),
                    child_id: Set(c.child),
                    placement_id: Set(c.placement),
                    date: Set(c.date),
                    drop_off: Set(drop_off),
                    pick_up: Set(pick_up),
                    updated_at: Set(now),
                    updated_by_person_id: Set(user.person_id),
                })
                .exec_without_returning(&txn)
                .await?;
            }
        }
    }
    txn.commit().await
}

/// `permit` (any action on the child) allows reading the week; `can_edit` is whether this
/// session may also change it.
pub async fn week(
    db: &DatabaseConnection,
    user: &SessionUser,
    permit: &Permit<PersonAction>,
    start: NaiveDate,
    today: NaiveDate,
    permitted_actions: Vec<PersonAction>,
) -> Result<WeekSchedule, ScheduleError> {
    require_monday(start)?;
    let child = permit.target().0;
    let rules = week_rules(db, user.municipality_id, child, start, today).await?;
    let sunday = day(start, 6);
    let stored = stored_days(db, user.municipality_id, child, start, sunday).await?;
    let last = stored.values().max_by_key(|d| d.updated_at);
    let last_changed_by = match last {
        Some(d) => person::Entity::find_by_id(d.updated_by_person_id)
            .filter(person::Column::MunicipalityId.eq(user.municipality_id))
            .one(db)
            .await?
            .map(|p| format!("{} {}", p.given_name, p.family_name)),
        None => None,
    };
    let days = rules
        .days
        .iter()
        .map(|r| {
            let times = times_of(stored.get(&r.date));
            ScheduleDay {
                date: r.date,
                drop_off: times.map(|t| format_time_of_day(t.0)),
                pick_up: times.map(|t| format_time_of_day(t.1)),
                locked: r.locked,
                changeable_until: r.changeable_until,
                closed: r.closed,
                opens_at: format_time_of_day(r.unit.opens_at),
                closes_at: format_time_of_day(r.unit.closes_at),
            }
        })
        .collect();
    Ok(WeekSchedule {
        child_id: child,
        week_start: rules.start,
        days,
        last_changed_at: last.map(|d| d.updated_at),
        last_changed_by,
        permitted_actions,
    })
}

/// Parses one day of an update: both times, or neither.
fn parse_times(
    date: NaiveDate,
    drop_off: Option<&str>,
    pick_up: Option<&str>,
) -> Result<Times, ScheduleError> {
    let parse = |s: &str| parse_time_of_day(s.trim()).ok_or(ScheduleError::InvalidTime(date));
    let blank = |s: Option<&str>| s.is_none_or(|s| s.trim().is_empty());
    match (blank(drop_off), blank(pick_up)) {
        (true, true) => Ok(None),
        (false, false) => {
            let d = parse(drop_off.unwrap_or_default())?;
            let p = parse(pick_up.unwrap_or_default())?;
            if p <= d {
                return Err(ScheduleError::PickUpBeforeDropOff(date));
            }
            Ok(Some((d, p)))
        }
        _ => Err(ScheduleError::IncompleteDay(date)),
    }
}

/// Sets the listed days of the week starting `start`. Days not listed are left as they are; a
/// locked day may be listed unchanged (the form sends the whole week back). All or nothing.
pub async fn save_week(
    db: &DatabaseConnection,
    user: &SessionUser,
    permit: &Permit<PersonAction>,
    start: NaiveDate,
    update: &WeekScheduleUpdate,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ScheduleError> {
    require_monday(start)?;
    let child = permit.subject();
    let sunday = day(start, 6);
    let mut seen = HashSet::new();
    let mut wanted = Vec::new();
    for d in &update.days {
        if d.date < start || d.date > sunday {
            return Err(ScheduleError::DayOutsideWeek(d.date));
        }
        if !seen.insert(d.date) {
            return Err(ScheduleError::DuplicateDay(d.date));
        }
        wanted.push((
            d.date,
            parse_times(d.date, d.drop_off.as_deref(), d.pick_up.as_deref())?,
        ));
    }
    let rules = week_rules(db, user.municipality_id, child, start, today).await?;
    let stored = stored_days(db, user.municipality_id, child, start, sunday).await?;
    let mut changes = Vec::new();
    for (date, times) in wanted {
        let row = stored.get(&date);
        // "No care" is stored as a day without times, so that a day with no row at all is a
        // missing schedule the unit must ask about, not a day off.
        let unchanged = times == times_of(row);
        if unchanged && row.is_some() {
            continue;
        }
        // Saturday and Sunday: only "no care" is accepted, and it changes nothing.
        let Some(rule) = rules.days.iter().find(|r| r.date == date) else {
            if unchanged {
                continue;
            }
            return Err(ScheduleError::ClosedDay(date));
        };
        if rule.closed && times.is_some() {
            return Err(ScheduleError::ClosedDay(date));
        }
        if unchanged && (rule.closed || rule.locked || rule.placement.is_none()) {
            continue;
        }
        if rule.locked {
            return Err(ScheduleError::DayLocked {
                date,
                until: rule.changeable_until,
            });
        }
        if let Some(t) = times {
            rule.check_hours(t)?;
        }
        let placement = match (rule.placement, row) {
            (Some(p), _) => p,
            (None, Some(r)) => r.placement_id,
            (None, None) => return Err(ScheduleError::ClosedDay(date)),
        };
        changes.push(Change {
            child,
            date,
            placement,
            times,
            existing: row.map(|r| r.id),
        });
    }
    write(db, user, &changes, now).await?;
    Ok(())
}

/// Whether a sibling has a place of a kind (förskola, fritidshem, pedagogisk omsorg) that the
/// child has in the copied week.
fn same_kind(child: &[PlacementKind], sibling: &[PlacementKind]) -> bool {
    child.iter().any(|k| sibling.contains(k))
}

/// Copies the week starting `start` to the following `weeks` weeks of the child, and to the
/// same week and the following weeks of each sibling (each already authorized by the caller).
/// Days that are locked, closed, without a place or outside the target unit's hours are skipped
/// and reported; everything else is written in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn copy_week(
    db: &DatabaseConnection,
    user: &SessionUser,
    permit: &Permit<PersonAction>,
    siblings: &[Permit<PersonAction>],
    start: NaiveDate,
    weeks: u32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CopyOutcome, ScheduleError> {
    require_monday(start)?;
    let child = permit.subject();
    let source = week_rules(db, user.municipality_id, child, start, today).await?;
    let stored = stored_days(db, user.municipality_id, child, start, day(start, 6)).await?;
    // A day the source week is closed (a holiday) says nothing about the other weeks: `None`.
    let pattern: Vec<Option<Times>> = source
        .days
        .iter()
        .map(|r| (!r.closed).then(|| times_of(stored.get(&r.date))))
        .collect();

    let mut targets: Vec<(Uuid, u32)> = (1..=weeks).map(|w| (child, w)).collect();
    let mut seen = HashSet::from([child]);
    for sibling in siblings {
        if !seen.insert(sibling.subject()) {
            return Err(ScheduleError::InvalidSibling);
        }
        let last = day(start, u64::from(weeks) * 7 + WEEKDAYS - 1);
        let kinds: Vec<PlacementKind> =
            places(db, user.municipality_id, sibling.subject(), start, last)
                .await?
                .into_iter()
                .map(|(p, _)| p.kind)
                .collect();
        if !same_kind(&source.kinds, &kinds) {
            return Err(ScheduleError::DifferentKindOfCare);
        }
        targets.extend((0..=weeks).map(|w| (sibling.subject(), w)));
    }

    let mut changes = Vec::new();
    let mut skipped = Vec::new();
    for (target, week) in targets {
        let week_start = day(start, u64::from(week) * 7);
        let rules = match week_rules(db, user.municipality_id, target, week_start, today).await {
            Ok(rules) => rules,
            Err(ScheduleError::NoPlacement) => {
                for (offset, times) in pattern.iter().enumerate() {
                    if matches!(times, Some(Some(_))) {
                        skipped.push(SkippedDay {
                            child_id: target,
                            date: day(week_start, offset as u64),
                            reason: SkipReason::NoPlacement,
                        });
                    }
                }
                continue;
            }
            Err(e) => return Err(e),
        };
        let existing = stored_days(
            db,
            user.municipality_id,
            target,
            week_start,
            day(week_start, 6),
        )
        .await?;
        for (rule, times) in rules.days.iter().zip(pattern.iter().copied()) {
            let Some(times) = times else {
                continue;
            };
            let row = existing.get(&rule.date);
            let skip = |reason| SkippedDay {
                child_id: target,
                date: rule.date,
                reason,
            };
            if let Some(reason) = rule.closed_reason {
                if times.is_some() {
                    skipped.push(skip(reason));
                }
                continue;
            }
            if times == times_of(row) && (row.is_some() || rule.locked) {
                continue;
            }
            if rule.locked {
                skipped.push(skip(SkipReason::Locked));
                continue;
            }
            if let Some(t) = times {
                if rule.check_hours(t).is_err() {
                    skipped.push(skip(SkipReason::OutsideOpeningHours));
                    continue;
                }
            }
            let Some(placement) = rule.placement else {
                continue;
            };
            changes.push(Change {
                child: target,
                date: rule.date,
                placement,
                times,
                existing: row.map(|r| r.id),
            });
        }
    }
    write(db, user, &changes, now).await?;
    Ok(CopyOutcome {
        written_days: u32::try_from(changes.len()).unwrap_or(u32::MAX),
        skipped,
    })
}

/// The staff's day sheet of the permit's unit on `date`: the children with a place there that
/// day and planned times, and on a working day those with no schedule at all, with their pick-up
/// persons and departments. The permit (a current duty at the unit) is the whole check; the
/// children shown are written to the access log through it.
pub async fn day_sheet(
    db: &DatabaseConnection,
    permit: &Permit<UnitAction>,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<DaySheet, ScheduleError> {
    let user = permit.actor();
    let unit = unit::Entity::find_by_id(permit.target().0)
        .filter(unit::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(ScheduleError::NotFound)?;
    let places = placement::Entity::find()
        .filter(placement::Column::MunicipalityId.eq(user.municipality_id))
        .filter(placement::Column::UnitId.eq(unit.id))
        .filter(placement::Column::StartDate.lte(date))
        .filter(
            placement::Column::EndDate
                .is_null()
                .or(placement::Column::EndDate.gte(date)),
        )
        .all(db)
        .await?;
    let placed: Vec<Uuid> = places.iter().map(|p| p.child_id).collect();
    let departments: Vec<Department> = school_group::Entity::find()
        .filter(school_group::Column::MunicipalityId.eq(user.municipality_id))
        .filter(school_group::Column::UnitId.eq(unit.id))
        .filter(school_group::Column::GroupType.eq(GroupType::Department))
        .order_by_asc(school_group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| Department {
            id: g.id,
            name: g.name,
        })
        .collect();
    let department_of: HashMap<Uuid, Option<Uuid>> =
        places.iter().map(|p| (p.child_id, p.group_id)).collect();
    let mut children = placed;
    children.sort();
    children.dedup();

    let rows: HashMap<Uuid, schedule_day::Model> = schedule_day::Entity::find()
        .filter(schedule_day::Column::MunicipalityId.eq(user.municipality_id))
        .filter(schedule_day::Column::ChildId.is_in(children.clone()))
        .filter(schedule_day::Column::Date.eq(date))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.child_id, d))
        .collect();
    // A saved "no care" is a row without times; a working day with no row at all has no
    // schedule and is listed as missing, so the unit can call. A child reported absent is
    // listed with the report: the staff need neither wait nor call.
    let open = calendar::is_working_day(date);
    let reported = absence::covering(db, children.iter().copied(), date, date).await?;
    let listed: Vec<(Uuid, Times)> = children
        .iter()
        .filter_map(|child| match rows.get(child) {
            Some(row) => times_of(Some(row)).map(|t| (*child, Some(t))),
            None if open || absence::on_day(&reported, *child, date).is_some() => {
                Some((*child, None))
            }
            None => None,
        })
        .collect();
    let ids: Vec<Uuid> = listed.iter().map(|(c, _)| *c).collect();
    permit.record_shown(db, ids.iter().copied(), now).await?;
    let people = person::Entity::find()
        .filter(person::Column::MunicipalityId.eq(user.municipality_id))
        .filter(person::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let pickups = pickup_person::Entity::find()
        .filter(pickup_person::Column::MunicipalityId.eq(user.municipality_id))
        .filter(pickup_person::Column::ChildId.is_in(ids))
        .order_by_asc(pickup_person::Column::CreatedAt)
        .all(db)
        .await?;
    // The entrance tablet's check-ins of the day, the latest stay of each child last.
    let stays = crate::entity::childcare_presence::Entity::find()
        .filter(crate::entity::childcare_presence::Column::UnitId.eq(unit.id))
        .filter(crate::entity::childcare_presence::Column::OnDate.eq(date))
        .order_by_asc(crate::entity::childcare_presence::Column::CheckedInAt)
        .all(db)
        .await?;

    let mut out: Vec<(Option<NaiveTime>, DaySheetChild)> = listed
        .into_iter()
        .filter_map(|(child_id, times)| {
            let child = people.iter().find(|p| p.id == child_id)?;
            Some((
                times.map(|t| t.0),
                DaySheetChild {
                    child_id: child.id,
                    given_name: child.given_name.clone(),
                    family_name: child.family_name.clone(),
                    status: if times.is_some() {
                        DaySheetStatus::Expected
                    } else {
                        DaySheetStatus::MissingSchedule
                    },
                    drop_off: times.map(|t| format_time_of_day(t.0)),
                    pick_up: times.map(|t| format_time_of_day(t.1)),
                    department_id: department_of.get(&child.id).copied().flatten(),
                    pickup_persons: pickups
                        .iter()
                        .filter(|p| p.child_id == child.id)
                        .map(super::pickup::view)
                        .collect(),
                    absence: absence::on_day(&reported, child.id, date),
                    checked_in_at: stays
                        .iter()
                        .rev()
                        .find(|s| s.child_id == child.id)
                        .map(|s| s.checked_in_at),
                    checked_out_at: stays
                        .iter()
                        .rev()
                        .find(|s| s.child_id == child.id)
                        .and_then(|s| s.checked_out_at),
                },
            ))
        })
        .collect();
    // Expected first, in drop-off order; the missing schedules after them (`None` sorts first,
    // hence the flag).
    out.sort_by(|(a, x), (b, y)| {
        (a.is_none(), a, &x.family_name, &x.given_name).cmp(&(
            b.is_none(),
            b,
            &y.family_name,
            &y.given_name,
        ))
    });
    Ok(DaySheet {
        date,
        unit: unit.name,
        departments,
        children: out.into_iter().map(|(_, c)| c).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_day_has_both_times_or_neither() {
        let date = d("2026-11-30");
        assert_eq!(parse_times(date, None, None).ok(), Some(None));
        assert_eq!(parse_times(date, Some(""), Some(" ")).ok(), Some(None));
        assert!(matches!(
            parse_times(date, Some("07:30"), None),
            Err(ScheduleError::IncompleteDay(_))
        ));
        assert!(matches!(
            parse_times(date, Some("7.30"), Some("16:00")),
            Err(ScheduleError::InvalidTime(_))
        ));
        assert!(matches!(
            parse_times(date, Some("16:00"), Some("07:30")),
            Err(ScheduleError::PickUpBeforeDropOff(_))
        ));
        assert!(matches!(
            parse_times(date, Some("08:00"), Some("08:00")),
            Err(ScheduleError::PickUpBeforeDropOff(_))
        ));
        assert!(parse_times(date, Some("07:30"), Some("16:00"))
            .ok()
            .flatten()
            .is_some());
    }

    #[test]
    fn a_sibling_needs_a_place_of_the_same_kind() {
        use PlacementKind::*;
        assert!(same_kind(&[Preschool], &[Preschool]));
        assert!(same_kind(&[Fritidshem], &[Preschool, Fritidshem]));
        assert!(!same_kind(&[Preschool], &[FamilyDaycare]));
        assert!(!same_kind(&[Preschool], &[Fritidshem]));
        assert!(!same_kind(&[Fritidshem], &[]));
    }
}
