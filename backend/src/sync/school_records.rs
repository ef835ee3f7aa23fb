//! What the source says about grades and the coming days' lessons, made the portal's, inside
//! the sync's savepoint and after the reconciliation (the pupils, teachers and groups they name
//! are then the portal's).
//!
//! Who owns what, where the portal and the source could both say something:
//! - **Grades.** The source is the register (betygskatalogen). A grade it registers is the
//!   pupil's grade in that subject and term: it replaces one set in the portal, it is updated
//!   when the source changes it, and removed when the source no longer lists it (only then: a
//!   grade the sync cannot place, such as one of a pupil who has left, stays as it was). A grade a
//!   teacher sets in the portal afterwards stands until the source's grade changes again or the
//!   nightly full sync writes it back. Grades are not written back (the standard's `/grades`
//!   is read-only). A grade is set on the day the source registered it, and one registered
//!   before the grading material's retention period is the archive's, not the portal's: one
//!   the portal still holds stays for retention to export, and one retention has taken does
//!   not come back (the register keeps it; the portal would export it again).
//! - **Lessons.** The portal's timetable is weekly plans; a calendar event says how a planned
//!   lesson differs on its day. Where an event differs, its change replaces one recorded in the
//!   portal for that lesson and day; where it is as planned, a change recorded in the portal
//!   stays (a teacher's substitute known before the schedule system has it). A change read from
//!   the source follows its event and goes when the event does or becomes as planned. Days
//!   before today are left as they were: they are what attendance was taken against.
//!
//! An event is paired with its group's planned lesson that day that starts at the same time,
//! or, for a moved lesson, with the one left over in the order of the day. Events without a
//! planned lesson to pair with (an extra lesson) are counted, not placed: the portal's
//! timetable has no one-off lessons.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::entity::{grade, lesson, lesson_change, person, school_group, school_term};
use crate::population::import::{insert_batched, BATCH};
use crate::population::reconcile::Changes;

use super::mapping::{calendar_window, SchoolRecords, SourceGrade, SourceLesson};

/// What a sync did to grades and lesson changes, for the officer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SchoolRecordCounts {
    pub grades: Changes,
    pub lesson_changes: Changes,
    /// Grades the portal cannot show: another scale, a subject it has no code for, a pupil or
    /// term it does not have.
    pub grades_left_out: usize,
    /// Calendar events with no planned lesson to pair with.
    pub lessons_not_placed: usize,
}

/// Makes the portal's grades and coming lesson changes what `records` says (module doc).
pub async fn apply(
    txn: &impl ConnectionTrait,
    municipality_id: Uuid,
    records: &SchoolRecords,
    grades_kept_from: NaiveDate,
    now: DateTime<Utc>,
) -> Result<SchoolRecordCounts, DbErr> {
    let mut counts = SchoolRecordCounts {
        grades_left_out: records.grades_left_out,
        ..SchoolRecordCounts::default()
    };
    apply_grades(txn, municipality_id, records, grades_kept_from, &mut counts).await?;
    apply_lessons(txn, municipality_id, &records.lessons, now, &mut counts).await?;
    Ok(counts)
}

/// The portal's ids of the persons with these source ids.
async fn persons_by_source(
    txn: &impl ConnectionTrait,
    municipality_id: Uuid,
    source_ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Uuid>, DbErr> {
    let wanted: Vec<String> = source_ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .map(|id| id.to_string())
        .collect();
    let mut found = HashMap::new();
    for chunk in wanted.chunks(BATCH) {
        let rows: Vec<(Uuid, Option<String>)> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::ExternalId)
            .filter(person::Column::MunicipalityId.eq(municipality_id))
            .filter(person::Column::ExternalId.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await?;
        for (id, external) in rows {
            if let Some(source) = external.and_then(|e| e.parse::<Uuid>().ok()) {
                found.insert(source, id);
            }
        }
    }
    Ok(found)
}

async fn apply_grades(
    txn: &impl ConnectionTrait,
    municipality_id: Uuid,
    records: &SchoolRecords,
    kept_from: NaiveDate,
    counts: &mut SchoolRecordCounts,
) -> Result<(), DbErr> {
    let wanted: &[SourceGrade] = &records.grades;
    let pupils = persons_by_source(txn, municipality_id, wanted.iter().map(|g| g.pupil)).await?;
    let terms: HashMap<(school_term::TermKind, i32), Uuid> = school_term::Entity::find()
        .filter(school_term::Column::MunicipalityId.eq(municipality_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|t| ((t.kind, t.starts_on.year()), t.id))
        .collect();
    let existing: HashMap<Uuid, grade::Model> = grade::Entity::find()
        .filter(grade::Column::MunicipalityId.eq(municipality_id))
        .filter(grade::Column::SourceId.is_not_null())
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|g| Some((g.source_id?, g)))
        .collect();

    for g in wanted {
        // Past the grading material's period (module doc): not a fault to count for the officer;
        // a copy the portal holds stays, as the source still lists it.
        if g.registered < kept_from {
            continue;
        }
        let (Some(pupil), Some(term)) = (
            pupils.get(&g.pupil).copied(),
            terms.get(&(g.term, g.term_year)).copied(),
        ) else {
            counts.grades_left_out += 1;
            continue;
        };
        let row = |id: Uuid| grade::ActiveModel {
            id: Set(id),
            municipality_id: Set(municipality_id),
            pupil_id: Set(pupil),
            term_id: Set(term),
            activity: Set(g.subject),
            value: Set(g.value),
            school_year: Set(g.school_year),
            set_by_person_id: Set(None),
            set_at: Set(crate::clock::start_of_day(g.registered)),
            source_id: Set(Some(g.source_id)),
        };
        if let Some(have) = existing.get(&g.source_id) {
            if have.pupil_id == pupil
                && have.term_id == term
                && have.activity == g.subject
                && have.value == g.value
                && have.school_year == g.school_year
            {
                continue;
            }
            grade::Entity::delete_by_id(have.id).exec(txn).await?;
            counts.grades.changed += 1;
        }
        // The pupil's grade in the subject that term is the register's: one set in the portal
        // gives way (the unique index allows one).
        let replaced = grade::Entity::delete_many()
            .filter(grade::Column::PupilId.eq(pupil))
            .filter(grade::Column::TermId.eq(term))
            .filter(grade::Column::Activity.eq(g.subject))
            .exec(txn)
            .await?;
        if !existing.contains_key(&g.source_id) {
            if replaced.rows_affected > 0 {
                counts.grades.changed += 1;
            } else {
                counts.grades.added += 1;
            }
        }
        grade::Entity::insert(row(Uuid::new_v4()))
            .exec_without_returning(txn)
            .await?;
    }
    let gone: Vec<Uuid> = existing
        .iter()
        .filter(|(source, _)| !records.grades_listed.contains(source))
        .map(|(_, g)| g.id)
        .collect();
    for chunk in gone.chunks(BATCH) {
        grade::Entity::delete_many()
            .filter(grade::Column::Id.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    counts.grades.removed += gone.len();
    Ok(())
}

/// What a change says, to compare a wanted one with a stored one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ChangeFacts {
    cancelled: bool,
    substitute_teacher_id: Option<Uuid>,
    room: Option<String>,
    starts_at: Option<chrono::NaiveTime>,
    ends_at: Option<chrono::NaiveTime>,
    note: Option<String>,
}

impl ChangeFacts {
    fn of(change: &lesson_change::Model) -> Self {
        Self {
            cancelled: change.cancelled,
            substitute_teacher_id: change.substitute_teacher_id,
            room: change.room.clone(),
            starts_at: change.starts_at,
            ends_at: change.ends_at,
            note: change.note.clone(),
        }
    }

    /// How `event` differs from `planned`; `None` when it is as planned.
    fn between(
        planned: &lesson::Model,
        event: &SourceLesson,
        teachers: &HashMap<Uuid, Uuid>,
    ) -> Option<Self> {
        let substitute = event
            .substitutes
            .iter()
            .filter_map(|s| teachers.get(s).copied())
            .find(|t| Some(*t) != planned.teacher_id);
        let facts = Self {
            cancelled: event.cancelled,
            substitute_teacher_id: substitute,
            // The column's width; a longer name is the source's to shorten.
            room: event
                .room
                .as_ref()
                .filter(|r| Some(*r) != planned.room.as_ref())
                .map(|r| r.chars().take(40).collect()),
            starts_at: (event.starts_at != planned.starts_at).then_some(event.starts_at),
            ends_at: (event.ends_at != planned.ends_at).then_some(event.ends_at),
            note: event.comment.clone(),
        };
        let as_planned = !facts.cancelled
            && facts.substitute_teacher_id.is_none()
            && facts.room.is_none()
            && facts.starts_at.is_none()
            && facts.ends_at.is_none()
            && facts.note.is_none();
        (!as_planned).then_some(facts)
    }
}

/// Pairs a group's events on a day with its planned lessons then: the same start first, then
/// what is left in the order of the day. Returns (event, lesson) pairs and the unpaired events.
fn pair<'a>(
    events: &[&'a SourceLesson],
    planned: &[&'a lesson::Model],
) -> (Vec<(&'a SourceLesson, &'a lesson::Model)>, usize) {
    let mut pairs = Vec::new();
    let mut free_lessons: Vec<&lesson::Model> = planned.to_vec();
    let mut free_events = Vec::new();
    for e in events {
        match free_lessons.iter().position(|l| l.starts_at == e.starts_at) {
            Some(at) => pairs.push((*e, free_lessons.remove(at))),
            None => free_events.push(*e),
        }
    }
    let unplaced = free_events.len().saturating_sub(free_lessons.len());
    pairs.extend(free_events.into_iter().zip(free_lessons));
    (pairs, unplaced)
}

async fn apply_lessons(
    txn: &impl ConnectionTrait,
    municipality_id: Uuid,
    events: &[SourceLesson],
    now: DateTime<Utc>,
    counts: &mut SchoolRecordCounts,
) -> Result<(), DbErr> {
    let (first, last) = calendar_window(crate::clock::day_of(now));
    let group_sources: HashSet<String> = events
        .iter()
        .flat_map(|e| e.groups.iter().map(Uuid::to_string))
        .collect();
    let mut groups: HashMap<Uuid, Uuid> = HashMap::new();
    let group_sources: Vec<String> = group_sources.into_iter().collect();
    for chunk in group_sources.chunks(BATCH) {
        let rows: Vec<(Uuid, Option<String>)> = school_group::Entity::find()
            .select_only()
            .column(school_group::Column::Id)
            .column(school_group::Column::ExternalId)
            .filter(school_group::Column::MunicipalityId.eq(municipality_id))
            .filter(school_group::Column::ExternalId.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(txn)
            .await?;
        for (id, external) in rows {
            if let Some(source) = external.and_then(|e| e.parse::<Uuid>().ok()) {
                groups.insert(source, id);
            }
        }
    }
    let teachers = persons_by_source(
        txn,
        municipality_id,
        events.iter().flat_map(|e| e.substitutes.iter().copied()),
    )
    .await?;
    let group_ids: Vec<Uuid> = groups.values().copied().collect();
    let mut lessons: Vec<lesson::Model> = Vec::new();
    for chunk in group_ids.chunks(BATCH) {
        lessons.extend(
            lesson::Entity::find()
                .filter(lesson::Column::GroupId.is_in(chunk.iter().copied()))
                .filter(lesson::Column::ValidFrom.lte(last))
                .all(txn)
                .await?,
        );
    }
    let mut by_group: HashMap<Uuid, Vec<&lesson::Model>> = HashMap::new();
    for l in &lessons {
        by_group.entry(l.group_id).or_default().push(l);
    }

    // Each (portal group, day)'s events.
    let mut days: BTreeMap<(Uuid, NaiveDate), Vec<&SourceLesson>> = BTreeMap::new();
    for e in events
        .iter()
        .filter(|e| e.on_date >= first && e.on_date <= last)
    {
        let mut placed_somewhere = false;
        for g in &e.groups {
            if let Some(group) = groups.get(g) {
                days.entry((*group, e.on_date)).or_default().push(e);
                placed_somewhere = true;
            }
        }
        if !placed_somewhere {
            counts.lessons_not_placed += 1;
        }
    }
    let mut wanted: HashMap<(Uuid, NaiveDate), (Uuid, ChangeFacts)> = HashMap::new();
    for ((group, date), day_events) in &days {
        let weekday = i32::try_from(date.weekday().number_from_monday()).unwrap_or(0);
        let mut planned: Vec<&lesson::Model> = by_group
            .get(group)
            .map(|ls| {
                ls.iter()
                    .copied()
                    .filter(|l| {
                        l.weekday == weekday
                            && l.valid_from <= *date
                            && l.valid_to.is_none_or(|to| to >= *date)
                    })
                    .collect()
            })
            .unwrap_or_default();
        planned.sort_by_key(|l| (l.starts_at, l.id));
        let (pairs, unplaced) = pair(day_events, &planned);
        counts.lessons_not_placed += unplaced;
        for (event, planned) in pairs {
            if let Some(facts) = ChangeFacts::between(planned, event, &teachers) {
                wanted.insert((planned.id, *date), (event.source_id, facts));
            }
        }
    }

    // The stored changes in the window: the source's (which follow the events) and the
    // portal's on lessons and days an event now changes.
    let lesson_ids: Vec<Uuid> = lessons.iter().map(|l| l.id).collect();
    let mut stored: HashMap<(Uuid, NaiveDate), lesson_change::Model> = HashMap::new();
    for change in lesson_change::Entity::find()
        .filter(lesson_change::Column::MunicipalityId.eq(municipality_id))
        .filter(lesson_change::Column::SourceId.is_not_null())
        .filter(lesson_change::Column::OnDate.gte(first))
        .filter(lesson_change::Column::OnDate.lte(last))
        .all(txn)
        .await?
    {
        stored.insert((change.lesson_id, change.on_date), change);
    }
    for chunk in lesson_ids.chunks(BATCH) {
        for change in lesson_change::Entity::find()
            .filter(lesson_change::Column::LessonId.is_in(chunk.iter().copied()))
            .filter(lesson_change::Column::SourceId.is_null())
            .filter(lesson_change::Column::OnDate.gte(first))
            .filter(lesson_change::Column::OnDate.lte(last))
            .all(txn)
            .await?
        {
            let key = (change.lesson_id, change.on_date);
            if wanted.contains_key(&key) {
                stored.insert(key, change);
            }
        }
    }

    let mut stale: Vec<Uuid> = Vec::new();
    let mut touched: HashSet<Uuid> = HashSet::new();
    let mut inserts = Vec::new();
    for (key, change) in &stored {
        match wanted.get(key) {
            Some((source, facts))
                if change.source_id == Some(*source) && ChangeFacts::of(change) == *facts => {}
            Some(_) => {
                stale.push(change.id);
                counts.lesson_changes.changed += 1;
            }
            None => {
                stale.push(change.id);
                touched.insert(change.lesson_id);
                counts.lesson_changes.removed += 1;
            }
        }
    }
    for (key @ (lesson_id, on_date), (source, facts)) in wanted {
        let unchanged = stored
            .get(&key)
            .is_some_and(|c| c.source_id == Some(source) && ChangeFacts::of(c) == facts);
        if unchanged {
            continue;
        }
        if !stored.contains_key(&key) {
            counts.lesson_changes.added += 1;
        }
        touched.insert(lesson_id);
        inserts.push(lesson_change::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(municipality_id),
            lesson_id: Set(lesson_id),
            on_date: Set(on_date),
            cancelled: Set(facts.cancelled),
            substitute_teacher_id: Set(facts.substitute_teacher_id),
            room: Set(facts.room),
            starts_at: Set(facts.starts_at),
            ends_at: Set(facts.ends_at),
            note: Set(facts.note),
            // Nobody in the portal: the source's schedule.
            recorded_by_person_id: Set(Uuid::nil()),
            recorded_at: Set(now),
            source_id: Set(Some(source)),
        });
    }
    for chunk in stale.chunks(BATCH) {
        lesson_change::Entity::delete_many()
            .filter(lesson_change::Column::Id.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    insert_batched(txn, inserts).await?;
    for lesson in touched {
        crate::school::timetable::touch_group_of(txn, lesson).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn planned(starts: NaiveTime, ends: NaiveTime) -> lesson::Model {
        lesson::Model {
            id: Uuid::new_v4(),
            municipality_id: Uuid::nil(),
            group_id: Uuid::nil(),
            activity: crate::entity::lesson::Activity::Mathematics,
            teacher_id: Some(Uuid::from_u128(7)),
            room: Some("B12".into()),
            weekday: 1,
            starts_at: starts,
            ends_at: ends,
            valid_from: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
            valid_to: None,
        }
    }

    fn event(starts: NaiveTime, ends: NaiveTime) -> SourceLesson {
        SourceLesson {
            source_id: Uuid::new_v4(),
            groups: Vec::new(),
            on_date: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            starts_at: starts,
            ends_at: ends,
            cancelled: false,
            room: Some("B12".into()),
            substitutes: Vec::new(),
            comment: None,
        }
    }

    #[test]
    fn an_event_as_planned_changes_nothing_and_one_that_differs_says_how() {
        let plan = planned(at(8, 0), at(9, 0));
        let teachers = HashMap::from([(Uuid::from_u128(1), Uuid::from_u128(8))]);
        assert_eq!(
            ChangeFacts::between(&plan, &event(at(8, 0), at(9, 0)), &teachers),
            None
        );
        let mut moved = event(at(8, 30), at(9, 30));
        moved.room = Some("Aulan".into());
        moved.substitutes = vec![Uuid::from_u128(1)];
        let facts = ChangeFacts::between(&plan, &moved, &teachers).unwrap();
        assert_eq!(facts.starts_at, Some(at(8, 30)));
        assert_eq!(facts.ends_at, Some(at(9, 30)));
        assert_eq!(facts.room.as_deref(), Some("Aulan"));
        assert_eq!(facts.substitute_teacher_id, Some(Uuid::from_u128(8)));
        assert!(!facts.cancelled);
    }

    #[test]
    fn events_pair_by_start_then_in_the_order_of_the_day() {
        let first = planned(at(8, 0), at(9, 0));
        let second = planned(at(10, 0), at(11, 0));
        let moved = event(at(13, 0), at(14, 0));
        let same = event(at(8, 0), at(9, 0));
        let extra = event(at(15, 0), at(16, 0));
        let (pairs, unplaced) = pair(&[&moved, &same, &extra], &[&first, &second]);
        let ids: Vec<(Uuid, Uuid)> = pairs.iter().map(|(e, l)| (e.source_id, l.id)).collect();
        assert!(ids.contains(&(same.source_id, first.id)));
        assert!(ids.contains(&(moved.source_id, second.id)));
        assert_eq!(pairs.len(), 2);
        assert_eq!(unplaced, 1);
    }
}
