//! Writing back: what the portal records that goes to the municipality's source system, and when.
//!
//! Two things the portal is where they are first recorded go back to the school administration
//! system, which keeps the pupil's record:
//! - a guardian's **absence report** (`school::absence`) as an `Absence` (`POST /absences`, type
//!   "Anmäld frånvaro", the resource the standard has for absence reported by a pupil or a
//!   guardian); the staff's marks on a preschool day sheet are the unit's own record and stay;
//! - a lesson's **attendance** (`school::attendance`) as one `Attendance` per pupil
//!   (`POST /attendances`). The standard has three attendance resources: `attendanceEvents` are
//!   check-ins and check-outs (`In`/`Ut`) at a preschool or fritidshem department,
//!   `aggregatedAttendance` is read-only sums, and `attendances` is a pupil's attendance at one
//!   calendar event (a lesson on its day) in minutes present, validly and invalidly absent. A
//!   lesson's roster is the last of these.
//!
//! **When.** In the transaction that stores the report or the marks, one job per record
//! ([`absences_reported`], [`attendance_saved`]: an outbox), and only when a source is configured
//! for that municipality with `write_back` on and the pupil has a source id (`person.external_id`,
//! a UUID): a pupil the source does not know is the portal's own, and a record about them would
//! be refused. Nothing about another municipality goes to this source.
//!
//! **Exactly once.** The job's "done" and the rest of its transaction commit together
//! (`jobs::runner`), so the job is sent until one attempt succeeds and then never again. The one
//! gap is an attempt whose POST arrived but whose commit did not (the process died, the source
//! answered after the lease): the next attempt sends the same record again. Its `id` is a stable
//! UUID derived from the portal's row ([`record_id`]), the same on every attempt, so the receiver
//! drops the repeat (and a 409 counts as delivered). A source that is down fails the attempt
//! (`JobError::Source`) and the queue tries again with its backoff, and parks the job for an
//! operator after its last attempt.
//!
//! **What is sent** is the row as it stands when the job runs: a report changed before it went
//! goes as changed, one withdrawn before it went does not go, and a lesson's mark corrected before
//! it went goes corrected. **Out of scope for now:** a change or withdrawal of a report, or a
//! correction of a mark, *after* the record went. The standard has no update of either resource;
//! it would be a `DELETE` of the record sent and a new record, which needs a row per record sent.
//! Only the first mark of each pupil at a lesson on a day (revision 1) enqueues a job.
//!
//! **The calendar event.** The portal's timetable is its own (lessons are not read from the
//! source), so no lesson has a source `calendarEvent` id. The record names the lesson on its day
//! by a stable UUID derived from the lesson and the date ([`calendar_event_id`]); a receiver that
//! keeps the portal's lessons can resolve it. When the sync reads calendar events, this is where
//! the source's own id takes its place.
//!
//! Times are Swedish local time with its offset (CET or CEST), as the specification writes
//! instants: the receiver's clock and ours agree on what "08:10" was.

use std::collections::HashMap;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, Utc,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::client::{Ss12000Client, Ss12000Error};
use super::model::{AbsenceRecord, AbsenceType, AttendanceRecord, ObjectRef, PersonRef};
use crate::entity::attendance_mark::Mark;
use crate::entity::{
    absence_report, attendance_mark, enrolment, lesson, lesson_change, municipality, person,
    placement, unit,
};
use crate::jobs::enqueue_many;
use crate::jobs::kinds::{AbsenceToSource, AttendanceToSource};
use crate::settings::SourceSettings;
use skolportal_shared::api::AbsenceReportStatus;

#[derive(Debug, thiserror::Error)]
pub enum WriteBackError {
    #[error(transparent)]
    Database(#[from] DbErr),
    /// The source did not take the record (down, refused, unreachable); the text names the
    /// resource and the status, never the record.
    #[error(transparent)]
    Source(#[from] Ss12000Error),
}

/// What a sent job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// The source took the record (or had it already).
    Delivered,
    /// Nothing to send: the report was withdrawn, the row is gone, or the pupil has no source id
    /// any more.
    Nothing,
}

/// Whether records of `municipality_id` go back to the configured source.
async fn writes_back(
    db: &impl ConnectionTrait,
    source: Option<&SourceSettings>,
    municipality_id: Uuid,
) -> Result<bool, DbErr> {
    let Some(source) = source.filter(|s| s.write_back) else {
        return Ok(false);
    };
    let code = municipality::Entity::find_by_id(municipality_id)
        .one(db)
        .await?
        .map(|m| m.code);
    Ok(code.as_deref() == Some(source.municipality_code.as_str()))
}

/// A source id as the portal keeps it (`external_id`): the standard's ids are UUIDs, and
/// anything else (an id from an older import) is not one the source would know.
fn source_id(external_id: Option<&str>) -> Option<Uuid> {
    external_id.and_then(|id| id.parse().ok())
}

/// The source ids of those of `people` that have one.
async fn source_ids(
    db: &impl ConnectionTrait,
    people: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Uuid>, DbErr> {
    let mut ids: Vec<Uuid> = people.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .filter(person::Column::ExternalId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| source_id(p.external_id.as_deref()).map(|s| (p.id, s)))
        .collect())
}

async fn source_id_of(
    db: &impl ConnectionTrait,
    person_id: Option<Uuid>,
) -> Result<Option<Uuid>, DbErr> {
    let Some(id) = person_id else {
        return Ok(None);
    };
    Ok(person::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|p| source_id(p.external_id.as_deref())))
}

/// Call in the transaction that stored new absence reports, given as (report id, child id):
/// enqueues one write-back job per report of a child the source knows.
pub async fn absences_reported(
    txn: &impl ConnectionTrait,
    source: Option<&SourceSettings>,
    municipality_id: Uuid,
    reports: &[(Uuid, Uuid)],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if reports.is_empty() || !writes_back(txn, source, municipality_id).await? {
        return Ok(());
    }
    let known = source_ids(txn, reports.iter().map(|(_, child)| *child)).await?;
    let jobs = reports
        .iter()
        .filter(|(_, child)| known.contains_key(child))
        .map(|(report_id, _)| AbsenceToSource {
            report_id: *report_id,
        });
    enqueue_many(txn, jobs, now, now).await?;
    Ok(())
}

/// A mark a save wrote: its row, its pupil and its revision.
#[derive(Debug, Clone, Copy)]
pub struct SavedMark {
    pub mark_id: Uuid,
    pub pupil_id: Uuid,
    pub revision: i32,
}

/// Call in the transaction that saved a lesson's marks: enqueues one write-back job per pupil
/// marked at this lesson on this day for the first time, when the source knows the pupil.
pub async fn attendance_saved(
    txn: &impl ConnectionTrait,
    source: Option<&SourceSettings>,
    municipality_id: Uuid,
    marks: &[SavedMark],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let first: Vec<&SavedMark> = marks.iter().filter(|m| m.revision == 1).collect();
    if first.is_empty() || !writes_back(txn, source, municipality_id).await? {
        return Ok(());
    }
    let known = source_ids(txn, first.iter().map(|m| m.pupil_id)).await?;
    let jobs = first
        .into_iter()
        .filter(|m| known.contains_key(&m.pupil_id))
        .map(|m| AttendanceToSource { mark_id: m.mark_id });
    enqueue_many(txn, jobs, now, now).await?;
    Ok(())
}

/// The id a record about the portal's row `row_id` has at the source: the same on every attempt
/// and every instance, different per kind of record (SHA-256 of both, as a version 8 UUID).
pub fn record_id(kind: &str, row_id: Uuid) -> Uuid {
    derived(&["skolportal", "ss12000", kind, &row_id.to_string()])
}

/// The portal's stable id of `lesson_id` held on `date`, standing for a calendar event.
pub fn calendar_event_id(lesson_id: Uuid, date: NaiveDate) -> Uuid {
    derived(&[
        "skolportal",
        "calendarEvent",
        &lesson_id.to_string(),
        &date.to_string(),
    ])
}

fn derived(parts: &[&str]) -> Uuid {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(parts.join("|").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// Swedish local time `at` with its offset: CEST from 02:00 on the last Sunday of March to 03:00
/// on the last Sunday of October (EU rule), CET otherwise. (The portal's days count in CET
/// throughout, `crate::clock`; an instant sent to another system must be right in summer too.)
pub fn swedish(at: NaiveDateTime) -> DateTime<FixedOffset> {
    let year = at.year();
    let summer_from = last_sunday(year, 3).and_hms_opt(2, 0, 0);
    let summer_to = last_sunday(year, 10).and_hms_opt(3, 0, 0);
    let summer =
        matches!((summer_from, summer_to), (Some(from), Some(to)) if from <= at && at < to);
    let hours = if summer { 2 } else { 1 };
    let offset = FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| Utc.fix());
    DateTime::from_naive_utc_and_offset(at - Duration::hours(i64::from(hours)), offset)
}

/// The instant `at` on Swedish clocks, with its offset: summer time runs from 01:00 UTC on the
/// last Sunday of March to 01:00 UTC on the last Sunday of October.
pub fn swedish_at(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    let year = at.year();
    let switch = |month| {
        last_sunday(year, month)
            .and_hms_opt(1, 0, 0)
            .map(|t| t.and_utc())
    };
    let summer = matches!((switch(3), switch(10)), (Some(from), Some(to)) if from <= at && at < to);
    let offset =
        FixedOffset::east_opt(if summer { 7200 } else { 3600 }).unwrap_or_else(|| Utc.fix());
    at.with_timezone(&offset)
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let last = next_month
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MIN);
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

/// The school unit `child_id` belongs to on `day`: their school's (enrolment), else their
/// childcare place's.
async fn unit_of(
    db: &impl ConnectionTrait,
    child_id: Uuid,
    day: NaiveDate,
) -> Result<Option<unit::Model>, DbErr> {
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::PupilId.eq(child_id))
        .filter(enrolment::Column::StartDate.lte(day))
        .filter(
            Condition::any()
                .add(enrolment::Column::EndDate.is_null())
                .add(enrolment::Column::EndDate.gte(day)),
        )
        .order_by_desc(enrolment::Column::StartDate)
        .one(db)
        .await?
        .map(|e| e.unit_id);
    let unit_id = match enrolled {
        Some(id) => Some(id),
        None => placement::Entity::find()
            .filter(placement::Column::ChildId.eq(child_id))
            .filter(placement::Column::StartDate.lte(day))
            .filter(
                Condition::any()
                    .add(placement::Column::EndDate.is_null())
                    .add(placement::Column::EndDate.gte(day)),
            )
            .order_by_desc(placement::Column::StartDate)
            .one(db)
            .await?
            .map(|p| p.unit_id),
    };
    match unit_id {
        Some(id) => unit::Entity::find_by_id(id).one(db).await,
        None => Ok(None),
    }
}

/// The `Absence` for report `report_id` as it stands, or `None` when nothing is to be sent.
pub async fn absence_record(
    db: &impl ConnectionTrait,
    report_id: Uuid,
) -> Result<Option<AbsenceRecord>, DbErr> {
    let Some(report) = absence_report::Entity::find_by_id(report_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if report.status != AbsenceReportStatus::Active {
        return Ok(None);
    }
    let Some(student) = source_id_of(db, Some(report.child_id)).await? else {
        return Ok(None);
    };
    let organisation = unit_of(db, report.child_id, report.first_day)
        .await?
        .and_then(|u| source_id(u.external_id.as_deref()));
    let registered_by = source_id_of(db, report.reported_by_person_id).await?;
    // Whole days run from midnight to the last second of the last day: an end at the next
    // midnight would read as one more day to a receiver that looks at dates.
    let (start, end) = match (report.starts_at, report.ends_at) {
        (Some(from), Some(to)) => (
            report.first_day.and_time(from),
            report.first_day.and_time(to),
        ),
        _ => (
            report.first_day.and_time(NaiveTime::MIN),
            report
                .last_day
                .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)),
        ),
    };
    Ok(Some(AbsenceRecord {
        id: record_id("absence", report.id),
        start_time: swedish(start),
        end_time: swedish(end),
        kind: AbsenceType::Reported,
        student: PersonRef::to(student),
        organisation: organisation.map(ObjectRef::to),
        registered_by: registered_by.map(PersonRef::to),
    }))
}

/// The minutes of a lesson of `length` minutes a mark comes to: (present, validly absent,
/// invalidly absent). A late pupil missed the minutes they were late without a reason the school
/// accepted, and the standard counts in minutes, so those go as invalid absence (the portal's
/// own statistics count a late lesson as attended, `shared::attendance`).
pub fn minutes_of(mark: Mark, late_minutes: Option<i32>, length: i64) -> (i64, i64, i64) {
    match mark {
        Mark::Present => (length, 0, 0),
        Mark::Late => {
            let late = i64::from(late_minutes.unwrap_or(0)).clamp(0, length);
            (length - late, 0, late)
        }
        Mark::ValidAbsence => (0, length, 0),
        Mark::UnexcusedAbsence => (0, 0, length),
    }
}

/// The `Attendance` for the pupil and lesson day of mark `mark_id`, with the pupil's mark as it
/// stands (the latest revision), or `None` when nothing is to be sent.
pub async fn attendance_record(
    db: &impl ConnectionTrait,
    mark_id: Uuid,
) -> Result<Option<AttendanceRecord>, DbErr> {
    let Some(first) = attendance_mark::Entity::find_by_id(mark_id).one(db).await? else {
        return Ok(None);
    };
    let Some(student) = source_id_of(db, Some(first.pupil_id)).await? else {
        return Ok(None);
    };
    let Some(latest) = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::LessonId.eq(first.lesson_id))
        .filter(attendance_mark::Column::OnDate.eq(first.on_date))
        .filter(attendance_mark::Column::PupilId.eq(first.pupil_id))
        .order_by_desc(attendance_mark::Column::Revision)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(lesson) = lesson::Entity::find_by_id(first.lesson_id).one(db).await? else {
        return Ok(None);
    };
    let change = lesson_change::Entity::find()
        .filter(lesson_change::Column::LessonId.eq(lesson.id))
        .filter(lesson_change::Column::OnDate.eq(first.on_date))
        .one(db)
        .await?;
    let starts_at = change
        .as_ref()
        .and_then(|c| c.starts_at)
        .unwrap_or(lesson.starts_at);
    let ends_at = change
        .as_ref()
        .and_then(|c| c.ends_at)
        .unwrap_or(lesson.ends_at);
    let length = (ends_at - starts_at).num_minutes().max(0);
    let (present, valid, invalid) = minutes_of(latest.mark, latest.late_minutes, length);
    let reporter = source_id_of(db, latest.recorded_by_person_id).await?;
    Ok(Some(AttendanceRecord {
        id: record_id("attendance", first.id),
        calendar_event: ObjectRef::to(calendar_event_id(lesson.id, first.on_date)),
        student: PersonRef::to(student),
        reporter: reporter.map(PersonRef::to),
        is_reported: true,
        attendance_minutes: Some(present),
        valid_absence_minutes: Some(valid),
        invalid_absence_minutes: Some(invalid),
        reported_timestamp: Some(swedish_at(latest.recorded_at)),
    }))
}

/// Sends report `report_id` to the source (the job `AbsenceToSource`).
pub async fn send_absence(
    db: &impl ConnectionTrait,
    source: &Ss12000Client,
    report_id: Uuid,
) -> Result<Sent, WriteBackError> {
    match absence_record(db, report_id).await? {
        Some(record) => {
            source.post_absence(&record).await?;
            Ok(Sent::Delivered)
        }
        None => Ok(Sent::Nothing),
    }
}

/// Sends the attendance of mark `mark_id` to the source (the job `AttendanceToSource`).
pub async fn send_attendance(
    db: &impl ConnectionTrait,
    source: &Ss12000Client,
    mark_id: Uuid,
) -> Result<Sent, WriteBackError> {
    match attendance_record(db, mark_id).await? {
        Some(record) => {
            source.post_attendance(&record).await?;
            Ok(Sent::Delivered)
        }
        None => Ok(Sent::Nothing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn swedish_time_is_cet_in_winter_and_cest_in_summer() {
        assert_eq!(
            swedish(local(2026, 11, 24, 8, 10)).to_rfc3339(),
            "2026-11-24T08:10:00+01:00"
        );
        assert_eq!(
            swedish(local(2026, 6, 1, 8, 10)).to_rfc3339(),
            "2026-06-01T08:10:00+02:00"
        );
        // 2026: summer time from 29 March 02:00 to 25 October 03:00.
        assert_eq!(
            swedish(local(2026, 3, 29, 1, 59))
                .offset()
                .local_minus_utc(),
            3600
        );
        assert_eq!(
            swedish(local(2026, 3, 29, 3, 0)).offset().local_minus_utc(),
            7200
        );
        assert_eq!(
            swedish(local(2026, 10, 25, 2, 30))
                .offset()
                .local_minus_utc(),
            7200
        );
        assert_eq!(
            swedish(local(2026, 10, 25, 3, 0))
                .offset()
                .local_minus_utc(),
            3600
        );
    }

    #[test]
    fn an_instant_reads_on_swedish_clocks() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            swedish_at(at("2026-11-24T09:00:00Z")).to_rfc3339(),
            "2026-11-24T10:00:00+01:00"
        );
        assert_eq!(
            swedish_at(at("2026-06-01T09:00:00Z")).to_rfc3339(),
            "2026-06-01T11:00:00+02:00"
        );
        assert_eq!(
            swedish_at(at("2026-03-29T00:59:59Z"))
                .offset()
                .local_minus_utc(),
            3600
        );
        assert_eq!(
            swedish_at(at("2026-03-29T01:00:00Z"))
                .offset()
                .local_minus_utc(),
            7200
        );
        assert_eq!(
            swedish_at(at("2026-10-25T01:00:00Z"))
                .offset()
                .local_minus_utc(),
            3600
        );
    }

    #[test]
    fn record_ids_are_stable_per_row_and_kind() {
        let row = Uuid::new_v4();
        assert_eq!(record_id("absence", row), record_id("absence", row));
        assert_ne!(record_id("absence", row), record_id("attendance", row));
        assert_ne!(
            record_id("absence", row),
            record_id("absence", Uuid::new_v4())
        );
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(calendar_event_id(row, day), calendar_event_id(row, day));
        assert_ne!(
            calendar_event_id(row, day),
            calendar_event_id(row, day.succ_opt().unwrap())
        );
    }

    #[test]
    fn a_mark_comes_to_minutes_of_the_lesson() {
        assert_eq!(minutes_of(Mark::Present, None, 40), (40, 0, 0));
        assert_eq!(minutes_of(Mark::Late, Some(10), 40), (30, 0, 10));
        assert_eq!(minutes_of(Mark::Late, Some(90), 40), (0, 0, 40));
        assert_eq!(minutes_of(Mark::ValidAbsence, None, 40), (0, 40, 0));
        assert_eq!(minutes_of(Mark::UnexcusedAbsence, None, 40), (0, 0, 40));
    }

    #[test]
    fn only_uuids_are_source_ids() {
        let id = Uuid::new_v4();
        assert_eq!(source_id(Some(&id.to_string())), Some(id));
        assert_eq!(source_id(Some("E12345")), None);
        assert_eq!(source_id(None), None);
    }
}
