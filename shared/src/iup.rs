//! What the development plan's entries may hold, for the forms and the server, and which
//! school year a day belongs to (an omdöme is written once a school year).

use chrono::{Datelike, NaiveDate};

use crate::api::{IupAssessmentInput, IupFollowUpInput, IupGoalInput};

/// The longest text of a goal, a follow-up or an omdöme, in characters.
pub const MAX_TEXT: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IupError {
    /// A goal without what is to be reached.
    GoalEmpty,
    TooLong,
    /// A follow-up or an omdöme without a comment.
    CommentEmpty,
}

impl IupError {
    /// The code the API answers with (`error.<code>` in the catalogues).
    pub fn code(self) -> &'static str {
        match self {
            IupError::GoalEmpty => "iup_goal_empty",
            IupError::TooLong => "iup_text_too_long",
            IupError::CommentEmpty => "iup_comment_empty",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            IupError::GoalEmpty => "write what the pupil is to reach",
            IupError::TooLong => "a text is longer than 2000 characters",
            IupError::CommentEmpty => "write a comment",
        }
    }
}

fn too_long(texts: &[&str]) -> bool {
    texts.iter().any(|t| t.chars().count() > MAX_TEXT)
}

pub fn check_goal(input: &IupGoalInput) -> Result<(), IupError> {
    if too_long(&[&input.goal, &input.measures, &input.agreements]) {
        return Err(IupError::TooLong);
    }
    if input.goal.trim().is_empty() {
        return Err(IupError::GoalEmpty);
    }
    Ok(())
}

pub fn check_follow_up(input: &IupFollowUpInput) -> Result<(), IupError> {
    if too_long(&[&input.comment]) {
        return Err(IupError::TooLong);
    }
    if input.comment.trim().is_empty() {
        return Err(IupError::CommentEmpty);
    }
    Ok(())
}

pub fn check_assessment(input: &IupAssessmentInput) -> Result<(), IupError> {
    if too_long(&[&input.comment]) {
        return Err(IupError::TooLong);
    }
    if input.comment.trim().is_empty() {
        return Err(IupError::CommentEmpty);
    }
    Ok(())
}

/// The year the school year holding `day` began: a school year runs from July to June.
pub fn school_year_start(day: NaiveDate) -> i32 {
    if day.month() >= 7 {
        day.year()
    } else {
        day.year() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Activity, AssessmentLevel, GoalOutcome};

    #[test]
    fn a_school_year_runs_from_july_to_june() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(school_year_start(day(2026, 12, 5)), 2026);
        assert_eq!(school_year_start(day(2027, 6, 30)), 2026);
        assert_eq!(school_year_start(day(2027, 7, 1)), 2027);
    }

    #[test]
    fn entries_say_something_and_not_too_much() {
        let goal = IupGoalInput {
            goal: "Läsa längre texter".into(),
            ..IupGoalInput::default()
        };
        assert_eq!(check_goal(&goal), Ok(()));
        assert_eq!(
            check_goal(&IupGoalInput::default()),
            Err(IupError::GoalEmpty)
        );
        let follow = IupFollowUpInput {
            outcome: GoalOutcome::Reached,
            comment: "å".repeat(MAX_TEXT + 1),
        };
        assert_eq!(check_follow_up(&follow), Err(IupError::TooLong));
        let assessment = IupAssessmentInput {
            activity: Activity::Swedish,
            level: AssessmentLevel::Adequate,
            comment: " ".into(),
        };
        assert_eq!(check_assessment(&assessment), Err(IupError::CommentEmpty));
    }
}
