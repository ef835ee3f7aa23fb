//! Talk material (samtalsunderlag) before a development talk: each author's part, written by the
//! pupil, each guardian, each of the pupil's teachers and the mentor, and published when ready.
//! The form asks about knowledge and learning, never about the person or their health.

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;
use super::ConsentState;

stored_codes! {
    /// Who wrote a part, as the talk sees them.
    TalkRole {
        Pupil = "pupil",
        Guardian = "guardian",
        Teacher = "teacher",
        Mentor = "mentor",
    }
}

stored_codes! {
    /// A part is its author's alone until published.
    TalkPartStatus {
        Draft = "draft",
        Published = "published",
    }
}

/// The questions of the form, each a text of at most `talks::MAX_ANSWER` characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkAnswers {
    /// What goes well in the school work: knowledge and ways of learning shown.
    pub going_well: String,
    /// What to develop next, in a subject or in how to learn.
    pub to_develop: String,
    /// What would help: in teaching, at home, from the pupil.
    pub support: String,
    /// Questions to bring up at the talk.
    pub questions: String,
}

/// `PUT /api/pupils/{id}/talk-material`: the asker's own part, kept as a draft or published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkPartInput {
    pub answers: TalkAnswers,
    pub publish: bool,
}

/// One author's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkPart {
    pub id: uuid::Uuid,
    pub author_id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    pub role: TalkRole,
    pub status: TalkPartStatus,
    pub answers: TalkAnswers,
    /// Whether the asker wrote it.
    pub own: bool,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// `GET /api/pupils/{id}/talk-material`: the term's talk material as the asker may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkMaterial {
    pub pupil_id: uuid::Uuid,
    pub pupil_given_name: String,
    /// The talk consent: the material is open only while it is in force.
    pub consent: ConsentState,
    /// The term the material is for.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_starts_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_ends_on: chrono::NaiveDate,
    /// The published parts the asker may read, and their own in any state; none while closed.
    pub parts: Vec<TalkPart>,
    /// Whether the asker writes a part of their own.
    pub can_write: bool,
    /// Whether the asker may give the consent that opens it (a guardian with custody).
    pub can_consent: bool,
}
