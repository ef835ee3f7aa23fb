//! The rules of an absence report, shared by the guardian's form and the server: which days and
//! times make a report, and until when it can be changed or withdrawn.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::api::AbsenceInput;
use crate::calendar::parse_time_of_day;

/// The longest report: a term's sick leave is reported again when it goes on.
pub const MAX_DAYS: i64 = 60;

/// Why an absence cannot be reported as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbsenceError {
    /// The last day is before the first.
    DaysReversed,
    /// A report starts today or later: what has passed is the teacher's attendance.
    DayPassed,
    /// More than [`MAX_DAYS`] days in one report.
    TooLong,
    /// A time that is not `"HH:MM"`.
    InvalidTime,
    /// One time without the other, or the end not after the start.
    InvalidTimes,
    /// Part of a day is one day only.
    PartOfSeveralDays,
    /// No child named, or the same child twice.
    NoChildren,
}

impl AbsenceError {
    /// The code the API answers with (`error.<code>` in the catalogues).
    pub fn code(self) -> &'static str {
        match self {
            AbsenceError::DaysReversed => "absence_days_reversed",
            AbsenceError::DayPassed => "absence_day_passed",
            AbsenceError::TooLong => "absence_too_long",
            AbsenceError::InvalidTime => "invalid_time",
            AbsenceError::InvalidTimes => "invalid_times",
            AbsenceError::PartOfSeveralDays => "absence_part_of_several_days",
            AbsenceError::NoChildren => "absence_no_children",
        }
    }

    /// What went wrong, for the API's `message` (the UI shows `error.<code>` from its
    /// catalogue).
    pub fn message(self) -> &'static str {
        match self {
            AbsenceError::DaysReversed => "the last day is before the first",
            AbsenceError::DayPassed => "an absence is reported from today on",
            AbsenceError::TooLong => "one report covers at most 60 days",
            AbsenceError::InvalidTime => "a time is written HH:MM",
            AbsenceError::InvalidTimes => "part of a day needs a start and a later end",
            AbsenceError::PartOfSeveralDays => "part of a day is one day only",
            AbsenceError::NoChildren => "name each child once, at most twelve",
        }
    }
}

/// An absence as checked: its days, and its hours when it is part of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absence {
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub hours: Option<(NaiveTime, NaiveTime)>,
}

impl Absence {
    /// When the absence starts: the first day's start, or its first hour.
    pub fn starts(&self) -> NaiveDateTime {
        self.first_day
            .and_time(self.hours.map_or(NaiveTime::MIN, |(from, _)| from))
    }

    /// Whether it can still be changed or withdrawn at `now` (local time): until it starts.
    pub fn is_open_at(&self, now: NaiveDateTime) -> bool {
        now < self.starts()
    }
}

/// Checks `input` as reported at `now` (local time): from today on, the first day not after the
/// last, at most [`MAX_DAYS`] days, and either whole days or a part of one day with both times.
pub fn check(input: &AbsenceInput, now: NaiveDateTime) -> Result<Absence, AbsenceError> {
    if input.last_day < input.first_day {
        return Err(AbsenceError::DaysReversed);
    }
    if input.first_day < now.date() {
        return Err(AbsenceError::DayPassed);
    }
    if (input.last_day - input.first_day).num_days() >= MAX_DAYS {
        return Err(AbsenceError::TooLong);
    }
    let time = |value: &Option<String>| -> Result<Option<NaiveTime>, AbsenceError> {
        value
            .as_deref()
            .map(|v| parse_time_of_day(v).ok_or(AbsenceError::InvalidTime))
            .transpose()
    };
    let hours = match (time(&input.starts_at)?, time(&input.ends_at)?) {
        (None, None) => None,
        (Some(from), Some(to)) if from < to => {
            if input.first_day != input.last_day {
                return Err(AbsenceError::PartOfSeveralDays);
            }
            Some((from, to))
        }
        _ => return Err(AbsenceError::InvalidTimes),
    };
    Ok(Absence {
        first_day: input.first_day,
        last_day: input.last_day,
        hours,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::AbsenceReason;

    fn input(first: &str, last: &str, from: Option<&str>, to: Option<&str>) -> AbsenceInput {
        AbsenceInput {
            first_day: first.parse().unwrap(),
            last_day: last.parse().unwrap(),
            starts_at: from.map(str::to_owned),
            ends_at: to.map(str::to_owned),
            reason: AbsenceReason::Sick,
        }
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn whole_days_from_today_and_part_of_one_day_are_reports() {
        let now = at("2026-11-24 07:30");
        let today = check(&input("2026-11-24", "2026-11-24", None, None), now).unwrap();
        assert_eq!(today.hours, None);
        let days = check(&input("2026-11-25", "2026-11-27", None, None), now).unwrap();
        assert_eq!(days.last_day, "2026-11-27".parse().unwrap());
        let part = check(
            &input("2026-11-24", "2026-11-24", Some("10:00"), Some("12:30")),
            now,
        )
        .unwrap();
        assert_eq!(part.starts(), at("2026-11-24 10:00"));
    }

    #[test]
    fn what_does_not_make_a_report_is_refused_with_its_reason() {
        let now = at("2026-11-24 07:30");
        for (given, error) in [
            (
                input("2026-11-26", "2026-11-25", None, None),
                AbsenceError::DaysReversed,
            ),
            (
                input("2026-11-23", "2026-11-24", None, None),
                AbsenceError::DayPassed,
            ),
            (
                input("2026-11-24", "2027-01-23", None, None),
                AbsenceError::TooLong,
            ),
            (
                input("2026-11-24", "2026-11-24", Some("9.00"), Some("10:00")),
                AbsenceError::InvalidTime,
            ),
            (
                input("2026-11-24", "2026-11-24", Some("10:00"), None),
                AbsenceError::InvalidTimes,
            ),
            (
                input("2026-11-24", "2026-11-24", Some("10:00"), Some("10:00")),
                AbsenceError::InvalidTimes,
            ),
            (
                input("2026-11-24", "2026-11-25", Some("10:00"), Some("11:00")),
                AbsenceError::PartOfSeveralDays,
            ),
        ] {
            assert_eq!(check(&given, now), Err(error), "{given:?}");
        }
        // Sixty days is the longest report.
        assert!(check(&input("2026-11-24", "2027-01-22", None, None), now).is_ok());
    }

    #[test]
    fn a_report_is_open_until_it_starts() {
        let part = check(
            &input("2026-11-24", "2026-11-24", Some("10:00"), Some("12:00")),
            at("2026-11-24 07:00"),
        )
        .unwrap();
        assert!(part.is_open_at(at("2026-11-24 09:59")));
        assert!(!part.is_open_at(at("2026-11-24 10:00")));
        let day = check(
            &input("2026-11-25", "2026-11-25", None, None),
            at("2026-11-24 07:00"),
        )
        .unwrap();
        assert!(day.is_open_at(at("2026-11-24 23:59")));
        assert!(!day.is_open_at(at("2026-11-25 00:00")));
    }
}
