//! The week's lessons of school groups, with their changes, kept in each server's memory.
//!
//! Every guardian's start page shows each child's week of lessons, and the lessons of a class
//! are the same for all its pupils and all the mornings of the week. Reading them for every page
//! was half of the database's work behind `GET /api/start`. A server keeps each group's week
//! here, labelled with the group's `timetable_version`, and the reader reads that number with
//! the pupil's memberships (one row per membership, which it reads anyway): a kept week is used
//! only while its label is at least the version just read. Every write of a lesson or a lesson
//! change raises the version in the same transaction (`timetable::touch_group_of`), so a change
//! shows on the next page, whichever instance recorded it. Instances share nothing: each keeps
//! its own weeks, and a new one starts empty.
//!
//! Names are not kept: a teacher's name is read with each page, so that a renamed person, or a
//! person removed from the portal, is never shown from memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db;
use crate::entity::{lesson, lesson_change};

/// Weeks kept at most (a group's week is a few kilobytes; Stockholm has some 6 500 groups).
const KEPT_WEEKS: usize = 12_000;

/// One group's lessons valid in a week, and the changes recorded for them in that week.
#[derive(Debug)]
pub struct GroupWeek {
    /// The group's `timetable_version` when the week was read, or a later one.
    version: i64,
    pub lessons: Vec<lesson::Model>,
    pub changes: HashMap<(Uuid, NaiveDate), lesson_change::Model>,
}

/// A group's week by the group and the week's Monday.
type Kept = HashMap<(Uuid, NaiveDate), Arc<GroupWeek>>;

/// The weeks this server keeps, shared by its readers.
#[derive(Clone, Default)]
pub struct GroupWeeks {
    kept: Arc<Mutex<Kept>>,
}

impl GroupWeeks {
    /// The week from `monday` to `friday` of each group in `versions` (group → its
    /// `timetable_version`, as just read): kept ones where current, the others read in one
    /// statement and kept.
    pub async fn weeks_of(
        &self,
        db: &impl ConnectionTrait,
        versions: &HashMap<Uuid, i64>,
        monday: NaiveDate,
        friday: NaiveDate,
    ) -> Result<HashMap<Uuid, Arc<GroupWeek>>, DbErr> {
        let mut out = HashMap::with_capacity(versions.len());
        let mut missing: HashMap<Uuid, i64> = HashMap::new();
        {
            let kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
            for (&group, &version) in versions {
                match kept.get(&(group, monday)) {
                    Some(week) if week.version >= version => {
                        out.insert(group, Arc::clone(week));
                    }
                    _ => {
                        missing.insert(group, version);
                    }
                }
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let read = read_weeks(db, &missing, monday, friday).await?;
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() + read.len() > KEPT_WEEKS {
            // Last week's weeks go first; if this week's alone are too many, start over.
            kept.retain(|(_, kept_monday), _| *kept_monday == monday);
            if kept.len() + read.len() > KEPT_WEEKS {
                kept.clear();
            }
        }
        for (group, week) in read {
            let week = Arc::new(week);
            // Another batch may have read a later version meanwhile: keep the later one.
            let slot = kept
                .entry((group, monday))
                .or_insert_with(|| Arc::clone(&week));
            if slot.version < week.version {
                *slot = Arc::clone(&week);
            }
            out.insert(group, week);
        }
        Ok(out)
    }
}

/// Reads the weeks of `groups` (each labelled with its version as read before this statement,
/// so that a write between the two only makes the label older than the week, never newer).
async fn read_weeks(
    db: &impl ConnectionTrait,
    groups: &HashMap<Uuid, i64>,
    monday: NaiveDate,
    friday: NaiveDate,
) -> Result<HashMap<Uuid, GroupWeek>, DbErr> {
    let mut out: HashMap<Uuid, GroupWeek> = groups
        .iter()
        .map(|(&group, &version)| {
            (
                group,
                GroupWeek {
                    version,
                    lessons: Vec::new(),
                    changes: HashMap::new(),
                },
            )
        })
        .collect();
    // Lessons, then their changes by lesson: one statement with a join let PostgreSQL's kept
    // generic plan read the week's every change once per lesson.
    let backend = db.get_database_backend();
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::ValidFrom.lte(friday))
        .filter(
            Condition::any()
                .add(lesson::Column::ValidTo.is_null())
                .add(lesson::Column::ValidTo.gte(monday)),
        )
        .filter(db::is_in(
            backend,
            lesson::Column::GroupId,
            groups.keys().copied(),
        ))
        .all(db)
        .await?;
    if !lessons.is_empty() {
        // A lesson recurs on one weekday, so it has at most one change in a week.
        let changes = lesson_change::Entity::find()
            .filter(lesson_change::Column::OnDate.between(monday, friday))
            .filter(db::is_in(
                backend,
                lesson_change::Column::LessonId,
                lessons.iter().map(|l| l.id),
            ))
            .all(db)
            .await?;
        let group_of: HashMap<Uuid, Uuid> = lessons.iter().map(|l| (l.id, l.group_id)).collect();
        for change in changes {
            if let Some(week) = group_of
                .get(&change.lesson_id)
                .and_then(|group| out.get_mut(group))
            {
                week.changes
                    .insert((change.lesson_id, change.on_date), change);
            }
        }
    }
    for lesson in lessons {
        if let Some(week) = out.get_mut(&lesson.group_id) {
            week.lessons.push(lesson);
        }
    }
    Ok(out)
}
