//! The rules of a leave application (ledighetsansökan, skollagen 7 kap. 18 §), shared by the
//! guardian's form and the server: which days make an application, and who decides it.
//!
//! The principal decides leave. The principal may let someone else (the mentor) decide leave up
//! to a number of school days the municipality sets, never more than ten; above it, the
//! principal decides.

use chrono::NaiveDate;

use crate::api::LeaveDecider;

/// The most school days the law lets the principal hand to someone else (7 kap. 18 §).
pub const MAX_DELEGATED_DAYS: u32 = 10;

/// The longest application, in calendar days: longer leave is a matter for a meeting, not a form.
pub const MAX_SPAN_DAYS: i64 = 90;

/// Why leave cannot be applied for as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveError {
    /// The last day is before the first.
    DaysReversed,
    /// Leave is applied for ahead: from tomorrow on.
    NotAhead,
    /// More than [`MAX_SPAN_DAYS`] days.
    TooLong,
    /// The days hold no school day: there is nothing to be away from.
    NoSchoolDays,
}

impl LeaveError {
    /// The code the API answers with (`error.<code>` in the catalogues).
    pub fn code(self) -> &'static str {
        match self {
            LeaveError::DaysReversed => "leave_days_reversed",
            LeaveError::NotAhead => "leave_not_ahead",
            LeaveError::TooLong => "leave_too_long",
            LeaveError::NoSchoolDays => "leave_no_school_days",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            LeaveError::DaysReversed => "the last day is before the first",
            LeaveError::NotAhead => "leave is applied for from tomorrow on",
            LeaveError::TooLong => "one application covers at most 90 days",
            LeaveError::NoSchoolDays => "the days hold no school day",
        }
    }
}

/// Checks the days of an application made on `today`.
pub fn check_days(first: NaiveDate, last: NaiveDate, today: NaiveDate) -> Result<(), LeaveError> {
    if last < first {
        return Err(LeaveError::DaysReversed);
    }
    if first <= today {
        return Err(LeaveError::NotAhead);
    }
    if (last - first).num_days() + 1 > MAX_SPAN_DAYS {
        return Err(LeaveError::TooLong);
    }
    Ok(())
}

/// Who decides leave of `school_days`, with the mentor deciding up to `mentor_days` (the
/// municipality's setting, held to the law's ten).
pub fn decider(school_days: u32, mentor_days: u32) -> LeaveDecider {
    if school_days <= mentor_days.min(MAX_DELEGATED_DAYS) {
        LeaveDecider::Mentor
    } else {
        LeaveDecider::Principal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap_or_default()
    }

    #[test]
    fn leave_is_applied_for_ahead_and_in_order() {
        assert_eq!(check_days(d(8), d(10), d(4)), Ok(()));
        assert_eq!(check_days(d(10), d(8), d(4)), Err(LeaveError::DaysReversed));
        assert_eq!(check_days(d(4), d(5), d(4)), Err(LeaveError::NotAhead));
    }

    #[test]
    fn the_mentor_decides_up_to_the_setting_and_never_above_ten_days() {
        assert_eq!(decider(3, 5), LeaveDecider::Mentor);
        assert_eq!(decider(6, 5), LeaveDecider::Principal);
        assert_eq!(decider(10, 30), LeaveDecider::Mentor);
        assert_eq!(decider(11, 30), LeaveDecider::Principal);
    }
}
