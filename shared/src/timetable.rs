//! The rules of a school timetable that the server and the page share: which weekdays have
//! lessons (the school calendar), how a recorded change alters a planned lesson, and what a
//! change may say. No I/O: the server reads the rows and asks here.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

use crate::api::{LessonChangeInput, LessonChangeKind, SchoolBreakKind, SchoolDayKind};
use crate::calendar;

/// A term, first and last day included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Days off inside a term (lov, studiedag), first and last day included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchoolBreak {
    pub kind: SchoolBreakKind,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// What kind of day `date` (a weekday) is: a public holiday wins over a break, a break over the
/// term. Weekends are never asked about: the timetable is Monday to Friday.
pub fn day_kind(date: NaiveDate, terms: &[Term], breaks: &[SchoolBreak]) -> SchoolDayKind {
    if !calendar::is_working_day(date) && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return SchoolDayKind::PublicHoliday;
    }
    if !terms
        .iter()
        .any(|t| t.starts_on <= date && date <= t.ends_on)
    {
        return SchoolDayKind::OutsideTerm;
    }
    match breaks
        .iter()
        .find(|b| b.first_day <= date && date <= b.last_day)
    {
        Some(b) => b.kind.into(),
        None => SchoolDayKind::SchoolDay,
    }
}

/// A lesson as planned for a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedLesson {
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
    pub teacher_id: Option<uuid::Uuid>,
    pub room: Option<String>,
}

/// A recorded change of one lesson on one day, as stored: each field left `None` keeps the plan.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RecordedChange {
    pub cancelled: bool,
    pub substitute_teacher_id: Option<uuid::Uuid>,
    pub room: Option<String>,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
}

/// The lesson as it stands after a change, and what kinds of change that was. Fields a change
/// sets to what the plan already says are no change.
pub fn apply(
    planned: &PlannedLesson,
    change: &RecordedChange,
) -> (PlannedLesson, Vec<LessonChangeKind>) {
    if change.cancelled {
        return (planned.clone(), vec![LessonChangeKind::Cancelled]);
    }
    let mut kinds = Vec::new();
    let mut now = planned.clone();
    if let Some(teacher) = change.substitute_teacher_id {
        if Some(teacher) != planned.teacher_id {
            now.teacher_id = Some(teacher);
            kinds.push(LessonChangeKind::Substitute);
        }
    }
    if let Some(room) = &change.room {
        if Some(room) != planned.room.as_ref() {
            now.room = Some(room.clone());
            kinds.push(LessonChangeKind::RoomChanged);
        }
    }
    let starts = change.starts_at.unwrap_or(planned.starts_at);
    let ends = change.ends_at.unwrap_or(planned.ends_at);
    if (starts, ends) != (planned.starts_at, planned.ends_at) {
        now.starts_at = starts;
        now.ends_at = ends;
        kinds.push(LessonChangeKind::TimeChanged);
    }
    (now, kinds)
}

/// The longest room name and note a change may carry.
pub const MAX_ROOM_CHARS: usize = 40;
pub const MAX_NOTE_CHARS: usize = 300;
/// Lessons lie within the school day's outer bounds.
const EARLIEST: (u32, u32) = (6, 0);
const LATEST: (u32, u32) = (20, 0);

/// Why a change cannot be recorded; the UI shows `timetable.change_error.<code>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("a time of day is written HH:MM")]
    InvalidTime,
    #[error("the lesson must end after it starts, between 06:00 and 20:00")]
    InvalidTimes,
    #[error("the room name is too long")]
    RoomTooLong,
    #[error("the note is too long")]
    NoteTooLong,
    #[error("a cancelled lesson has no substitute, room or time")]
    CancelledWithDetails,
    #[error("the change changes nothing")]
    NothingChanged,
}

impl ChangeError {
    pub const fn code(self) -> &'static str {
        match self {
            ChangeError::InvalidTime => "invalid_time",
            ChangeError::InvalidTimes => "invalid_times",
            ChangeError::RoomTooLong => "room_too_long",
            ChangeError::NoteTooLong => "note_too_long",
            ChangeError::CancelledWithDetails => "cancelled_with_details",
            ChangeError::NothingChanged => "nothing_changed",
        }
    }
}

fn trimmed(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// Checks what a teacher typed against the planned lesson and gives the change to store and its
/// note. The page checks with this as the teacher types; the server decides with it.
pub fn parse_change(
    input: &LessonChangeInput,
    planned: &PlannedLesson,
) -> Result<(RecordedChange, Option<String>), ChangeError> {
    let time = |text: &Option<String>| -> Result<Option<NaiveTime>, ChangeError> {
        match trimmed(text) {
            None => Ok(None),
            Some(t) => calendar::parse_time_of_day(&t)
                .map(Some)
                .ok_or(ChangeError::InvalidTime),
        }
    };
    let change = RecordedChange {
        cancelled: input.cancelled,
        substitute_teacher_id: input.substitute_teacher_id,
        room: trimmed(&input.room),
        starts_at: time(&input.starts_at)?,
        ends_at: time(&input.ends_at)?,
    };
    let note = trimmed(&input.note);
    if change.room.as_deref().map_or(0, |r| r.chars().count()) > MAX_ROOM_CHARS {
        return Err(ChangeError::RoomTooLong);
    }
    if note.as_deref().map_or(0, |n| n.chars().count()) > MAX_NOTE_CHARS {
        return Err(ChangeError::NoteTooLong);
    }
    if change.cancelled {
        if change.substitute_teacher_id.is_some()
            || change.room.is_some()
            || change.starts_at.is_some()
            || change.ends_at.is_some()
        {
            return Err(ChangeError::CancelledWithDetails);
        }
        return Ok((change, note));
    }
    let starts = change.starts_at.unwrap_or(planned.starts_at);
    let ends = change.ends_at.unwrap_or(planned.ends_at);
    let bound = |(h, m): (u32, u32)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    if starts >= ends || starts < bound(EARLIEST) || ends > bound(LATEST) {
        return Err(ChangeError::InvalidTimes);
    }
    let (_, kinds) = apply(planned, &change);
    if kinds.is_empty() && note.is_none() {
        return Err(ChangeError::NothingChanged);
    }
    Ok((change, note))
}

/// The lesson a pupil looks for first on `lessons`' day: the one going on or next at `now`
/// ("HH:MM" on that day), leaving cancelled lessons out; with no time (the day is not today on
/// the asker's clock) the day's first. `None` when none is left.
pub fn next_lesson(lessons: &[crate::api::TimetableLesson], now: Option<&str>) -> Option<usize> {
    lessons.iter().position(|lesson| {
        let cancelled = lesson
            .change
            .as_ref()
            .is_some_and(|c| c.kinds.contains(&crate::api::LessonChangeKind::Cancelled));
        !cancelled && now.is_none_or(|now| lesson.ends_at.as_str() > now)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }
    fn planned() -> PlannedLesson {
        PlannedLesson {
            starts_at: t(8, 10),
            ends_at: t(9, 0),
            teacher_id: Some(uuid::Uuid::from_u128(1)),
            room: Some("B12".into()),
        }
    }

    #[test]
    fn holidays_beat_breaks_and_breaks_beat_the_term() {
        let terms = [Term {
            starts_on: d(2026, 8, 17),
            ends_on: d(2026, 12, 18),
        }];
        let breaks = [SchoolBreak {
            kind: SchoolBreakKind::AutumnBreak,
            first_day: d(2026, 10, 26),
            last_day: d(2026, 10, 30),
        }];
        assert_eq!(
            day_kind(d(2026, 12, 2), &terms, &breaks),
            SchoolDayKind::SchoolDay
        );
        assert_eq!(
            day_kind(d(2026, 10, 28), &terms, &breaks),
            SchoolDayKind::AutumnBreak
        );
        assert_eq!(
            day_kind(d(2026, 12, 24), &terms, &breaks),
            SchoolDayKind::PublicHoliday
        );
        assert_eq!(
            day_kind(d(2026, 12, 21), &terms, &breaks),
            SchoolDayKind::OutsideTerm
        );
    }

    #[test]
    fn a_change_reports_only_what_differs() {
        let change = RecordedChange {
            room: Some("B12".into()),
            substitute_teacher_id: Some(uuid::Uuid::from_u128(2)),
            ..RecordedChange::default()
        };
        let (now, kinds) = apply(&planned(), &change);
        assert_eq!(kinds, vec![LessonChangeKind::Substitute]);
        assert_eq!(now.teacher_id, Some(uuid::Uuid::from_u128(2)));
    }

    #[test]
    fn what_a_teacher_types_is_checked() {
        let input = |f: &dyn Fn(&mut LessonChangeInput)| {
            let mut i = LessonChangeInput::default();
            f(&mut i);
            parse_change(&i, &planned())
        };
        assert_eq!(
            input(&|i| i.starts_at = Some("9.15".into())),
            Err(ChangeError::InvalidTime)
        );
        assert_eq!(
            input(&|i| i.starts_at = Some("09:30".into())),
            Err(ChangeError::InvalidTimes)
        );
        assert_eq!(input(&|_| ()), Err(ChangeError::NothingChanged));
        assert_eq!(
            input(&|i| {
                i.cancelled = true;
                i.room = Some("A1".into());
            }),
            Err(ChangeError::CancelledWithDetails)
        );
        assert_eq!(
            input(&|i| i.room = Some("x".repeat(41))),
            Err(ChangeError::RoomTooLong)
        );
        let ok = input(&|i| {
            i.room = Some("  A3 ".into());
            i.note = Some(" ".into());
        });
        assert_eq!(
            ok.map(|(c, n)| (c.room, n)),
            Ok((Some("A3".to_owned()), None))
        );
    }

    fn lesson(starts: &str, ends: &str, cancelled: bool) -> crate::api::TimetableLesson {
        crate::api::TimetableLesson {
            lesson_id: uuid::Uuid::nil(),
            activity: crate::api::Activity::Mathematics,
            group_name: "8A".into(),
            starts_at: starts.into(),
            ends_at: ends.into(),
            teacher_name: None,
            room: None,
            change: cancelled.then(|| crate::api::LessonChangeView {
                planned_starts_at: starts.into(),
                planned_ends_at: ends.into(),
                planned_teacher_name: None,
                planned_room: None,
                kinds: vec![crate::api::LessonChangeKind::Cancelled],
                note: None,
            }),
            permitted_actions: Vec::new(),
            dish: None,
            vegetarian_dish: None,
        }
    }

    #[test]
    fn the_next_lesson_is_the_one_going_on_or_next_and_never_a_cancelled_one() {
        let day = [
            lesson("08:10", "09:00", false),
            lesson("09:10", "10:00", true),
            lesson("10:20", "11:10", false),
        ];
        assert_eq!(next_lesson(&day, None), Some(0));
        assert_eq!(next_lesson(&day, Some("07:00")), Some(0));
        assert_eq!(next_lesson(&day, Some("08:30")), Some(0));
        assert_eq!(next_lesson(&day, Some("09:00")), Some(2));
        assert_eq!(next_lesson(&day, Some("11:10")), None);
    }
}
