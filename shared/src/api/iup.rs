//! The individual development plan (IUP): the mentor's forward-looking goals from each
//! development talk, each followed up at the next, and in the years without grades each subject
//! teacher's knowledge assessment (omdöme) once a school year. Closed, like the talk material,
//! while the talk consent is not in force; entries written at an earlier school are shown to the
//! new school's staff only while the transfer consent is.

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;
use super::{Activity, ConsentState};

stored_codes! {
    /// How a goal went, at the next talk.
    GoalOutcome {
        Reached = "reached",
        PartlyReached = "partly_reached",
        NotReached = "not_reached",
    }
}

stored_codes! {
    /// A knowledge assessment (omdöme) in a subject, on the scale Swedish schools use for the
    /// years without grades.
    AssessmentLevel {
        /// Mer än godtagbara kunskaper.
        AboveAdequate = "above_adequate",
        /// Godtagbara kunskaper.
        Adequate = "adequate",
        /// Ännu inte godtagbara kunskaper.
        NotYetAdequate = "not_yet_adequate",
    }
}

/// `POST /api/pupils/{id}/development-plan/goals`: a goal the mentor writes at the talk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct IupGoalInput {
    /// The subject the goal is in; none for a goal about learning in general.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub activity: Option<Activity>,
    /// What the pupil is to reach, towards the knowledge requirements.
    pub goal: String,
    /// What is needed to get there: in teaching, support, the pupil's own work.
    pub measures: String,
    /// What the teacher, the pupil and the guardians agreed on.
    pub agreements: String,
}

/// `PUT /api/pupils/{id}/development-plan/goals/{goal}/follow-up`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct IupFollowUpInput {
    pub outcome: GoalOutcome,
    pub comment: String,
}

/// `PUT /api/pupils/{id}/development-plan/assessments`: the asker's omdöme in one of their
/// subjects for this school year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct IupAssessmentInput {
    pub activity: Activity,
    pub level: AssessmentLevel,
    pub comment: String,
}

/// A goal of the plan, with its follow-up once made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct IupGoal {
    pub id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_starts_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_ends_on: chrono::NaiveDate,
    /// The school where it was written.
    pub unit_name: String,
    pub author_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub activity: Option<Activity>,
    pub goal: String,
    pub measures: String,
    pub agreements: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub written_at: chrono::DateTime<chrono::Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub outcome: Option<GoalOutcome>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub follow_up: String,
}

/// A subject teacher's omdöme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct IupAssessment {
    pub id: uuid::Uuid,
    /// The year the school year began (2026 for 2026/27).
    pub school_year_start: i32,
    /// The pupil's school year then (årskurs).
    pub school_year: i32,
    pub activity: Activity,
    pub level: AssessmentLevel,
    pub comment: String,
    pub teacher_name: String,
    pub unit_name: String,
    /// Whether the asker wrote it.
    pub own: bool,
}

/// `GET /api/pupils/{id}/development-plan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct DevelopmentPlan {
    pub pupil_id: uuid::Uuid,
    pub pupil_given_name: String,
    /// The talk consent: the plan is open only while it is in force.
    pub consent: ConsentState,
    /// The latest term first; none while closed.
    pub goals: Vec<IupGoal>,
    /// The latest school year first; a subject teacher without the plan's read sees their own.
    pub assessments: Vec<IupAssessment>,
    /// Entries from an earlier school left out: the transfer consent is not in force.
    pub earlier_school_withheld: bool,
    /// Whether the asker writes goals and follow-ups (the mentor).
    pub can_write_goals: bool,
    /// The subjects the asker writes an omdöme in this school year; empty in a graded year.
    pub assessment_subjects: Vec<Activity>,
    /// Whether the asker may give the consent that opens it (a guardian with custody).
    pub can_consent: bool,
}
