//! Attendance per lesson (närvaro): the roster of a lesson on a day, and the teacher's marks.
//!
//! The policy decides who takes it (`LessonAction::TakeAttendance`: the lesson's teacher, a
//! teacher or mentor of its group); this module decides what a roster is and what a save does:
//! - the pupils are the group's members that day; everyone is present until marked, and a
//!   guardian's report that covers the lesson's time (`school::absence`) or granted leave
//!   (`school::leave`) makes it valid absence before anything is saved;
//! - a lesson is taken on the days it is held (its weekday, a school day, not cancelled), that
//!   day or later, never ahead;
//! - every save appends a row per pupil whose mark it changes (`attendance_mark`, never updated),
//!   so a correction keeps who marked what before, and when;
//! - a pupil newly marked unexcused absent opens the day's notice to the guardians
//!   (`crate::notices`), in the same transaction;
//! - a pupil's first mark at a lesson on a day goes back to the source system
//!   (`crate::ss12000::write_back`), enqueued in the same transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use skolportal_shared::api::{
    AttendanceChange, AttendanceMark, AttendanceUpdate, LessonAction, LessonRoster, RosterPupil,
    SchoolDayKind,
};
use skolportal_shared::calendar::format_time_of_day;
use uuid::Uuid;

use crate::clock::day_of;
use crate::entity::group_membership::MembershipRole;
use crate::entity::{
    absence_report, attendance_mark, group_membership, lesson, lesson_change, person, school_group,
};
use crate::policy::Permit;
use crate::school::absence;
use crate::school::timetable::{lesson_on, SchoolCalendar};
use crate::settings::SourceSettings;
use crate::ss12000::write_back;

#[derive(Debug, thiserror::Error)]
pub enum AttendanceError {
    #[error("no such lesson")]
    NotFound,
    /// Not the lesson's weekday, not a school day, or cancelled that day.
    #[error("the lesson is not held that day")]
    NotHeld,
    #[error("attendance is taken on the lesson's day, not before")]
    NotYet,
    #[error("a mark names a pupil who is not in the lesson's group that day, or one twice")]
    UnknownPupil,
    #[error("late is given in minutes, from 1 to the lesson's length, and only for late")]
    InvalidLateMinutes,
    /// Someone else saved the lesson's attendance at the same moment: read it again.
    #[error("the attendance was saved by someone else meanwhile")]
    SavedMeanwhile,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The lesson of the permit as held on `date`: its row, its group, and its hours that day.
struct HeldLesson {
    lesson: lesson::Model,
    group: school_group::Model,
    starts_at: NaiveTime,
    ends_at: NaiveTime,
}

impl HeldLesson {
    fn minutes(&self) -> i64 {
        (self.ends_at - self.starts_at).num_minutes()
    }
}

async fn held(
    db: &impl ConnectionTrait,
    permit: &Permit<LessonAction>,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<HeldLesson, AttendanceError> {
    let lesson = lesson::Entity::find_by_id(permit.target().0)
        .filter(lesson::Column::MunicipalityId.eq(permit.actor().municipality_id))
        .one(db)
        .await?
        .ok_or(AttendanceError::NotFound)?;
    let group = school_group::Entity::find_by_id(lesson.group_id)
        .one(db)
        .await?
        .ok_or(AttendanceError::NotFound)?;
    if date > day_of(now) {
        return Err(AttendanceError::NotYet);
    }
    let calendar = SchoolCalendar::load(db, lesson.municipality_id).await?;
    if !lesson_on(&lesson, date) || calendar.day_kind(date) != SchoolDayKind::SchoolDay {
        return Err(AttendanceError::NotHeld);
    }
    let change = lesson_change::Entity::find()
        .filter(lesson_change::Column::LessonId.eq(lesson.id))
        .filter(lesson_change::Column::OnDate.eq(date))
        .one(db)
        .await?;
    if change.as_ref().is_some_and(|c| c.cancelled) {
        return Err(AttendanceError::NotHeld);
    }
    let starts_at = change
        .as_ref()
        .and_then(|c| c.starts_at)
        .unwrap_or(lesson.starts_at);
    let ends_at = change
        .as_ref()
        .and_then(|c| c.ends_at)
        .unwrap_or(lesson.ends_at);
    Ok(HeldLesson {
        lesson,
        group,
        starts_at,
        ends_at,
    })
}

/// The pupils of the group on `date`, by family name, then given name.
pub(crate) async fn pupils_of(
    db: &impl ConnectionTrait,
    group: Uuid,
    date: NaiveDate,
) -> Result<Vec<person::Model>, DbErr> {
    let ids: Vec<Uuid> = group_membership::Entity::find()
        .filter(group_membership::Column::GroupId.eq(group))
        .filter(group_membership::Column::Role.eq(MembershipRole::Pupil))
        .filter(group_membership::Column::StartDate.lte(date))
        .filter(
            group_membership::Column::EndDate
                .is_null()
                .or(group_membership::Column::EndDate.gte(date)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.person_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .order_by_asc(person::Column::FamilyName)
        .order_by_asc(person::Column::GivenName)
        .all(db)
        .await
}

/// Whether a guardian's report covers the lesson's time: a whole day, or hours that overlap it.
fn reported_during(
    reports: &[absence_report::Model],
    pupil: Uuid,
    held: &HeldLesson,
    date: NaiveDate,
) -> Option<skolportal_shared::api::DayAbsence> {
    reports
        .iter()
        .filter(|r| r.child_id == pupil && r.first_day <= date && date <= r.last_day)
        .find(|r| match (r.starts_at, r.ends_at) {
            (Some(from), Some(to)) => from < held.ends_at && to > held.starts_at,
            _ => true,
        })
        .and_then(|r| absence::on_day(std::slice::from_ref(r), pupil, date))
}

/// The saved marks of the lesson on `date`, each pupil's in the order they were saved.
async fn marks_of(
    db: &impl ConnectionTrait,
    lesson: Uuid,
    date: NaiveDate,
) -> Result<Vec<attendance_mark::Model>, DbErr> {
    attendance_mark::Entity::find()
        .filter(attendance_mark::Column::LessonId.eq(lesson))
        .filter(attendance_mark::Column::OnDate.eq(date))
        .order_by_asc(attendance_mark::Column::Revision)
        .all(db)
        .await
}

/// The roster as it stands: saved marks where there are any, else present or a reported
/// absence.
async fn roster_of(
    db: &impl ConnectionTrait,
    held: &HeldLesson,
    date: NaiveDate,
) -> Result<LessonRoster, DbErr> {
    let pupils = pupils_of(db, held.group.id, date).await?;
    let reports = absence::covering(db, pupils.iter().map(|p| p.id), date, date).await?;
    let on_leave =
        crate::school::leave::granted_covering(db, pupils.iter().map(|p| p.id), date).await?;
    let marks = marks_of(db, held.lesson.id, date).await?;
    let recorders: HashSet<Uuid> = marks
        .iter()
        .filter_map(|m| m.recorded_by_person_id)
        .collect();
    let names: HashMap<Uuid, String> = if recorders.is_empty() {
        HashMap::new()
    } else {
        person::Entity::find()
            .filter(person::Column::Id.is_in(recorders))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
            .collect()
    };
    let pupils = pupils
        .into_iter()
        .map(|pupil| {
            let reported_absence = reported_during(&reports, pupil.id, held, date);
            let leave = on_leave.contains(&pupil.id);
            let mut history: Vec<AttendanceChange> = marks
                .iter()
                .filter(|m| m.pupil_id == pupil.id)
                .map(|m| AttendanceChange {
                    mark: m.mark,
                    late_minutes: m.late_minutes.and_then(|n| u16::try_from(n).ok()),
                    recorded_by: m
                        .recorded_by_person_id
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_default(),
                    recorded_at: m.recorded_at,
                })
                .collect();
            history.reverse();
            let (mark, late_minutes) = match history.first() {
                Some(latest) => (latest.mark, latest.late_minutes),
                None if reported_absence.is_some() || leave => (AttendanceMark::ValidAbsence, None),
                None => (AttendanceMark::Present, None),
            };
            RosterPupil {
                pupil_id: pupil.id,
                given_name: pupil.given_name,
                family_name: pupil.family_name,
                mark,
                late_minutes,
                reported_absence,
                on_leave: leave,
                history,
            }
        })
        .collect();
    Ok(LessonRoster {
        lesson_id: held.lesson.id,
        date,
        activity: held.lesson.activity,
        group_name: held.group.name.clone(),
        starts_at: format_time_of_day(held.starts_at),
        ends_at: format_time_of_day(held.ends_at),
        taken: !marks.is_empty(),
        pupils,
    })
}

/// The lesson's roster on `date`; the pupils shown are written to the access log.
pub async fn roster(
    db: &impl ConnectionTrait,
    permit: &Permit<LessonAction>,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<LessonRoster, AttendanceError> {
    let held = held(db, permit, date, now).await?;
    let roster = roster_of(db, &held, date).await?;
    permit
        .record_shown(db, roster.pupils.iter().map(|p| p.pupil_id), now)
        .await?;
    Ok(roster)
}

/// Saves the lesson's attendance on `date`: the pupils in `update` get its marks, the others
/// keep the roster's. The first save records every pupil (the lesson is then taken); a later
/// one only the marks it changes.
pub async fn save(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<LessonAction>,
    date: NaiveDate,
    update: &AttendanceUpdate,
    now: DateTime<Utc>,
    notice_gather: chrono::Duration,
    source: Option<&SourceSettings>,
) -> Result<LessonRoster, AttendanceError> {
    let held = held(db, permit, date, now).await?;
    let txn = db.begin().await?;
    let before = roster_of(&txn, &held, date).await?;
    let mut given: HashMap<Uuid, (AttendanceMark, Option<u16>)> = HashMap::new();
    for mark in &update.marks {
        if !before.pupils.iter().any(|p| p.pupil_id == mark.pupil_id)
            || given
                .insert(mark.pupil_id, (mark.mark, mark.late_minutes))
                .is_some()
        {
            return Err(AttendanceError::UnknownPupil);
        }
        let minutes_fit = match (mark.mark, mark.late_minutes) {
            (AttendanceMark::Late, Some(n)) => n >= 1 && i64::from(n) <= held.minutes(),
            (AttendanceMark::Late, None) => false,
            (_, late) => late.is_none(),
        };
        if !minutes_fit {
            return Err(AttendanceError::InvalidLateMinutes);
        }
    }
    let mut rows = Vec::new();
    let mut newly_unexcused = Vec::new();
    let mut written: HashMap<Uuid, (AttendanceMark, Option<u16>)> = HashMap::new();
    let mut saved = Vec::new();
    for pupil in &before.pupils {
        let revision = i32::try_from(pupil.history.len()).unwrap_or(i32::MAX - 1) + 1;
        let now_marked = given
            .get(&pupil.pupil_id)
            .copied()
            .unwrap_or((pupil.mark, pupil.late_minutes));
        if before.taken && now_marked == (pupil.mark, pupil.late_minutes) {
            continue;
        }
        if now_marked.0 == AttendanceMark::UnexcusedAbsence
            && (pupil.mark != AttendanceMark::UnexcusedAbsence || !before.taken)
        {
            newly_unexcused.push(pupil.pupil_id);
        }
        written.insert(pupil.pupil_id, now_marked);
        let mark_id = Uuid::new_v4();
        saved.push(write_back::SavedMark {
            mark_id,
            pupil_id: pupil.pupil_id,
            revision,
        });
        rows.push(attendance_mark::ActiveModel {
            id: Set(mark_id),
            municipality_id: Set(held.lesson.municipality_id),
            lesson_id: Set(held.lesson.id),
            on_date: Set(date),
            pupil_id: Set(pupil.pupil_id),
            revision: Set(revision),
            mark: Set(now_marked.0),
            late_minutes: Set(now_marked.1.map(i32::from)),
            recorded_by_person_id: Set(Some(permit.actor().person_id)),
            recorded_at: Set(now),
        });
    }
    if !rows.is_empty() {
        attendance_mark::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .map_err(|err| match err.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                    AttendanceError::SavedMeanwhile
                }
                _ => AttendanceError::Database(err),
            })?;
    }
    // The guardians are told the same day (skollagen 7 kap. 17 §); the batch and its job are
    // written with the marks, so neither exists without the other.
    crate::notices::unexcused_marked(
        &txn,
        held.lesson.municipality_id,
        &newly_unexcused,
        date,
        now,
        notice_gather,
    )
    .await?;
    // What goes back to the source system is enqueued with the marks too (an outbox).
    write_back::attendance_saved(&txn, source, held.lesson.municipality_id, &saved, now).await?;
    let after = with_marks(&txn, before, &written, permit.actor().person_id, now).await?;
    permit
        .record_shown(&txn, after.pupils.iter().map(|p| p.pupil_id), now)
        .await?;
    txn.commit().await?;
    Ok(after)
}

/// The roster after a save: `before` with the marks the save wrote on top of each pupil's
/// history. The transaction holds the lesson's rows, so reading them again would only repeat
/// what the save already knows.
async fn with_marks(
    db: &impl ConnectionTrait,
    mut roster: LessonRoster,
    written: &HashMap<Uuid, (AttendanceMark, Option<u16>)>,
    recorder: Uuid,
    now: DateTime<Utc>,
) -> Result<LessonRoster, DbErr> {
    if written.is_empty() {
        return Ok(roster);
    }
    let recorded_by = person::Entity::find_by_id(recorder)
        .one(db)
        .await?
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .unwrap_or_default();
    for pupil in &mut roster.pupils {
        if let Some(&(mark, late_minutes)) = written.get(&pupil.pupil_id) {
            pupil.mark = mark;
            pupil.late_minutes = late_minutes;
            pupil.history.insert(
                0,
                AttendanceChange {
                    mark,
                    late_minutes,
                    recorded_by: recorded_by.clone(),
                    recorded_at: now,
                },
            );
        }
    }
    roster.taken = true;
    Ok(roster)
}
