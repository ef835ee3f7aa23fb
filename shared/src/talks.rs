//! What a part of the talk material may hold, for the form as the author types and for the
//! server: short answers to the form's questions, and something written before it is published.

use crate::api::TalkAnswers;

/// The longest answer to one question, in characters: a talk's material, not a report.
pub const MAX_ANSWER: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TalkError {
    /// An answer over [`MAX_ANSWER`] characters.
    TooLong,
    /// Publishing a part with nothing written.
    Empty,
}

impl TalkError {
    /// The code the API answers with (`error.<code>` in the catalogues).
    pub fn code(self) -> &'static str {
        match self {
            TalkError::TooLong => "talk_answer_too_long",
            TalkError::Empty => "talk_part_empty",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            TalkError::TooLong => "an answer is longer than 2000 characters",
            TalkError::Empty => "a part with nothing written cannot be published",
        }
    }
}

fn each(answers: &TalkAnswers) -> [&str; 4] {
    [
        &answers.going_well,
        &answers.to_develop,
        &answers.support,
        &answers.questions,
    ]
}

/// Checks a part before it is kept (`publish`: before it is shown to the others).
pub fn check(answers: &TalkAnswers, publish: bool) -> Result<(), TalkError> {
    if each(answers).iter().any(|a| a.chars().count() > MAX_ANSWER) {
        return Err(TalkError::TooLong);
    }
    if publish && each(answers).iter().all(|a| a.trim().is_empty()) {
        return Err(TalkError::Empty);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(text: &str) -> TalkAnswers {
        TalkAnswers {
            going_well: text.to_owned(),
            ..TalkAnswers::default()
        }
    }

    #[test]
    fn a_draft_may_be_empty_but_a_published_part_says_something() {
        assert_eq!(check(&answers(""), false), Ok(()));
        assert_eq!(check(&answers("  "), true), Err(TalkError::Empty));
        assert_eq!(check(&answers("Läser mer"), true), Ok(()));
    }

    #[test]
    fn answers_are_counted_in_characters_not_bytes() {
        assert_eq!(check(&answers(&"å".repeat(MAX_ANSWER)), true), Ok(()));
        assert_eq!(
            check(&answers(&"å".repeat(MAX_ANSWER + 1)), true),
            Err(TalkError::TooLong)
        );
    }
}
