//! Attendance statistics (närvarostatistik) and the follow-up of absence (7 kap. 19 a §).
//!
//! The policy decides who reads: a pupil's own figures (`PersonAction::ReadAttendance`: the
//! pupil, the guardians, the mentor, the pupil's teachers, the principal), a mentor's class
//! (`GroupAction::ReadAttendanceOverview`), a principal's school
//! (`UnitAction::ReadAbsenceFollowUp`); every staff read goes to the access log with the pupils
//! shown. This module decides what the figures are: the current term (the one that holds today,
//! else the last that began) or an earlier one asked for — a mark belongs to the term of its day,
//! so earlier terms stay the pupil's while only today's relations decide who reads them —, each
//! lesson and day counted once by its latest mark
//! (`shared::attendance`), and whether a pupil needs follow-up by the municipality's thresholds
//! (`absence_follow_up_percent`, `absence_follow_up_unexcused`).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use skolportal_shared::api::{
    Activity, AttendanceCounts, AttendanceOverview, AttendanceSummary, GroupAction,
    PupilAttendanceLine, SubjectAttendance, TermChoice, UnitAction,
};
use skolportal_shared::attendance::needs_follow_up;
use uuid::Uuid;

use crate::childcare::signatures;
use crate::clock::day_of;
use crate::entity::group_membership::MembershipRole;
use crate::entity::{
    attendance_mark, enrolment, group_membership, lesson, person, school_group, school_term,
};
use crate::policy::{Permit, PersonAction};

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("not found")]
    NotFound,
    /// The term asked for is not one of the municipality's that has begun.
    #[error("no such term")]
    UnknownTerm,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The term the figures are for (`asked`, else the one that holds `today`, else the last one
/// that began), with every term that has begun, the latest first.
async fn chosen_term(
    db: &impl ConnectionTrait,
    municipality: Uuid,
    today: NaiveDate,
    asked: Option<Uuid>,
) -> Result<(school_term::Model, Vec<TermChoice>), StatsError> {
    let begun = school_term::Entity::find()
        .filter(school_term::Column::MunicipalityId.eq(municipality))
        .filter(school_term::Column::StartsOn.lte(today))
        .order_by_desc(school_term::Column::StartsOn)
        .all(db)
        .await?;
    let term = match asked {
        Some(id) => begun
            .iter()
            .find(|t| t.id == id)
            .ok_or(StatsError::UnknownTerm)?,
        None => begun.first().ok_or(StatsError::NotFound)?,
    }
    .clone();
    let choices = begun
        .into_iter()
        .map(|t| TermChoice {
            id: t.id,
            kind: t.kind,
            starts_on: t.starts_on,
            ends_on: t.ends_on,
        })
        .collect();
    Ok((term, choices))
}

/// Each pupil's marks in the days, one per lesson and day (the latest revision), with the
/// lesson's activity.
async fn latest_marks(
    db: &impl ConnectionTrait,
    pupils: &[Uuid],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(Uuid, Activity, skolportal_shared::api::AttendanceMark)>, DbErr> {
    if pupils.is_empty() {
        return Ok(Vec::new());
    }
    let marks = attendance_mark::Entity::find()
        .filter(crate::db::is_in(
            db.get_database_backend(),
            attendance_mark::Column::PupilId,
            pupils.to_vec(),
        ))
        .filter(attendance_mark::Column::OnDate.gte(first))
        .filter(attendance_mark::Column::OnDate.lte(last))
        .all(db)
        .await?;
    let mut latest: HashMap<(Uuid, Uuid, NaiveDate), &attendance_mark::Model> = HashMap::new();
    for m in &marks {
        let key = (m.pupil_id, m.lesson_id, m.on_date);
        if latest
            .get(&key)
            .is_none_or(|kept| kept.revision < m.revision)
        {
            latest.insert(key, m);
        }
    }
    let mut lesson_ids: Vec<Uuid> = latest.keys().map(|(_, l, _)| *l).collect();
    lesson_ids.sort();
    lesson_ids.dedup();
    let activities: HashMap<Uuid, Activity> = if lesson_ids.is_empty() {
        HashMap::new()
    } else {
        lesson::Entity::find()
            .filter(crate::db::is_in(
                db.get_database_backend(),
                lesson::Column::Id,
                lesson_ids,
            ))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.id, l.activity))
            .collect()
    };
    Ok(latest
        .into_values()
        .filter_map(|m| {
            activities
                .get(&m.lesson_id)
                .map(|a| (m.pupil_id, *a, m.mark))
        })
        .collect())
}

/// A pupil's term: in all and per subject, the subjects in the timetable's order.
pub async fn summary(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    term: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<AttendanceSummary, StatsError> {
    let pupil = permit.target().0;
    let today = day_of(now);
    let (term, terms) = chosen_term(db, permit.actor().municipality_id, today, term).await?;
    let (starts, ends) = (term.starts_on, term.ends_on);
    let marks = latest_marks(db, &[pupil], starts, today.min(ends)).await?;
    let mut total = AttendanceCounts::default();
    let mut by: HashMap<Activity, AttendanceCounts> = HashMap::new();
    for (_, activity, mark) in marks {
        total.add(mark);
        by.entry(activity).or_default().add(mark);
    }
    let mut by_subject: Vec<SubjectAttendance> = by
        .into_iter()
        .map(|(activity, counts)| SubjectAttendance { activity, counts })
        .collect();
    by_subject.sort_by_key(|s| s.activity);
    Ok(AttendanceSummary {
        pupil_id: pupil,
        term_id: term.id,
        terms,
        term_starts_on: starts,
        term_ends_on: ends,
        total,
        by_subject,
    })
}

/// Lines of `pupils` (with their class names where given), flagged by the thresholds.
async fn lines(
    db: &impl ConnectionTrait,
    municipality: Uuid,
    pupils: Vec<person::Model>,
    classes: &HashMap<Uuid, String>,
    starts: NaiveDate,
    until: NaiveDate,
) -> Result<(Vec<PupilAttendanceLine>, u32, u32), DbErr> {
    let settings = signatures::settings(db, municipality).await?;
    let (percent, unexcused) = (
        settings.absence_follow_up_percent,
        settings.absence_follow_up_unexcused,
    );
    let ids: Vec<Uuid> = pupils.iter().map(|p| p.id).collect();
    let mut counts: HashMap<Uuid, AttendanceCounts> = HashMap::new();
    for (pupil, _, mark) in latest_marks(db, &ids, starts, until).await? {
        counts.entry(pupil).or_default().add(mark);
    }
    let lines = pupils
        .into_iter()
        .map(|p| {
            let c = counts.get(&p.id).copied().unwrap_or_default();
            PupilAttendanceLine {
                pupil_id: p.id,
                group_name: classes.get(&p.id).cloned(),
                given_name: p.given_name,
                family_name: p.family_name,
                needs_follow_up: needs_follow_up(&c, percent, unexcused),
                counts: c,
            }
        })
        .collect();
    Ok((lines, percent, unexcused))
}

/// The mentor's overview of a group: every pupil of it today, flagged where follow-up is due.
pub async fn group_overview(
    db: &impl ConnectionTrait,
    permit: &Permit<GroupAction>,
    now: DateTime<Utc>,
) -> Result<AttendanceOverview, StatsError> {
    let today = day_of(now);
    let group = school_group::Entity::find_by_id(permit.target().0)
        .one(db)
        .await?
        .ok_or(StatsError::NotFound)?;
    let municipality = permit.actor().municipality_id;
    let term = crate::school::timetable::current_term(db, municipality, today)
        .await?
        .ok_or(StatsError::NotFound)?;
    let (starts, ends) = (term.starts_on, term.ends_on);
    let pupils = crate::school::attendance::pupils_of(db, group.id, today).await?;
    let (lines, percent, unexcused) = lines(
        db,
        municipality,
        pupils,
        &HashMap::new(),
        starts,
        today.min(ends),
    )
    .await?;
    permit
        .record_shown(db, lines.iter().map(|l| l.pupil_id), now)
        .await?;
    Ok(AttendanceOverview {
        name: group.name,
        term_starts_on: starts,
        follow_up_percent: percent,
        follow_up_unexcused: unexcused,
        pupils: lines,
    })
}

/// The principal's list: the school's pupils whose absence needs follow-up, with their class.
pub async fn follow_up(
    db: &impl ConnectionTrait,
    permit: &Permit<UnitAction>,
    now: DateTime<Utc>,
) -> Result<AttendanceOverview, StatsError> {
    let today = day_of(now);
    let unit = crate::entity::unit::Entity::find_by_id(permit.target().0)
        .one(db)
        .await?
        .ok_or(StatsError::NotFound)?;
    let municipality = permit.actor().municipality_id;
    let term = crate::school::timetable::current_term(db, municipality, today)
        .await?
        .ok_or(StatsError::NotFound)?;
    let (starts, ends) = (term.starts_on, term.ends_on);
    let enrolled: Vec<Uuid> = enrolment::Entity::find()
        .filter(enrolment::Column::UnitId.eq(unit.id))
        .filter(enrolment::Column::StartDate.lte(today))
        .filter(
            enrolment::Column::EndDate
                .is_null()
                .or(enrolment::Column::EndDate.gte(today)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.pupil_id)
        .collect();
    // Each pupil's class: the group of the school they are a pupil of today.
    let groups: HashMap<Uuid, String> = school_group::Entity::find()
        .filter(school_group::Column::UnitId.eq(unit.id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut classes: HashMap<Uuid, String> = HashMap::new();
    if !groups.is_empty() {
        for m in group_membership::Entity::find()
            .filter(crate::db::is_in(
                db.get_database_backend(),
                group_membership::Column::GroupId,
                groups.keys().copied().collect::<Vec<Uuid>>(),
            ))
            .filter(group_membership::Column::Role.eq(MembershipRole::Pupil))
            .filter(group_membership::Column::StartDate.lte(today))
            .filter(
                group_membership::Column::EndDate
                    .is_null()
                    .or(group_membership::Column::EndDate.gte(today)),
            )
            .all(db)
            .await?
        {
            if let Some(name) = groups.get(&m.group_id) {
                classes.entry(m.person_id).or_insert_with(|| name.clone());
            }
        }
    }
    let pupils = if enrolled.is_empty() {
        Vec::new()
    } else {
        person::Entity::find()
            .filter(crate::db::is_in(
                db.get_database_backend(),
                person::Column::Id,
                enrolled,
            ))
            .order_by_asc(person::Column::FamilyName)
            .order_by_asc(person::Column::GivenName)
            .all(db)
            .await?
    };
    let (lines, percent, unexcused) =
        lines(db, municipality, pupils, &classes, starts, today.min(ends)).await?;
    let flagged: Vec<PupilAttendanceLine> =
        lines.into_iter().filter(|l| l.needs_follow_up).collect();
    permit
        .record_shown(db, flagged.iter().map(|l| l.pupil_id), now)
        .await?;
    Ok(AttendanceOverview {
        name: unit.name,
        term_starts_on: starts,
        follow_up_percent: percent,
        follow_up_unexcused: unexcused,
        pupils: flagged,
    })
}
