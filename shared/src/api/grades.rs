//! Grades (betyg) per subject and term, for the school years that get them.

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;
use super::Activity;

stored_codes! {
    /// A grade on the scale A–F, or a dash where the pupil lacks a basis for one (skollagen
    /// 10 kap. 17 §).
    GradeValue {
        A = "a",
        B = "b",
        C = "c",
        D = "d",
        E = "e",
        F = "f",
        Dash = "dash",
    }
}

impl GradeValue {
    /// How a grade is written: `A`…`F`, or `–`.
    pub const fn mark(self) -> &'static str {
        match self {
            GradeValue::A => "A",
            GradeValue::B => "B",
            GradeValue::C => "C",
            GradeValue::D => "D",
            GradeValue::E => "E",
            GradeValue::F => "F",
            GradeValue::Dash => "–",
        }
    }
}

/// One subject's grade in a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SubjectGrade {
    pub activity: Activity,
    pub value: GradeValue,
}

/// A term's grades.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TermGrades {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_starts_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_ends_on: chrono::NaiveDate,
    /// The school year the pupil was in.
    pub school_year: i32,
    /// Locked by the principal: final.
    pub locked: bool,
    pub grades: Vec<SubjectGrade>,
}

/// `GET /api/pupils/{id}/grades`: the pupil's grades, the latest term first; none in a year
/// that gets none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PupilGrades {
    pub pupil_id: uuid::Uuid,
    pub pupil_given_name: String,
    /// The school year the pupil is in now, if enrolled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_year: Option<i32>,
    /// The first school year that gets grades (the municipality's setting).
    pub first_graded_year: i32,
    pub terms: Vec<TermGrades>,
}

/// One pupil's grade as the subject teacher sets it; `None` takes a grade away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GradeEntry {
    pub pupil_id: uuid::Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub value: Option<GradeValue>,
}

/// `PUT /api/groups/{id}/grades`: a subject's grades for the group's pupils this term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GradeSheetUpdate {
    pub activity: Activity,
    pub grades: Vec<GradeEntry>,
}

/// A pupil on the subject teacher's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GradeSheetPupil {
    pub pupil_id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    pub school_year: i32,
    /// Whether the pupil's year gets grades.
    pub graded: bool,
    /// This term's grades in the teacher's subjects.
    pub grades: Vec<SubjectGrade>,
}

/// `GET /api/groups/{id}/grades`: the subject teacher's sheet for a group this term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GradeSheet {
    pub group_id: uuid::Uuid,
    pub group_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_starts_on: chrono::NaiveDate,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub term_ends_on: chrono::NaiveDate,
    /// The subjects the asker teaches in the group.
    pub activities: Vec<Activity>,
    pub locked: bool,
    /// Whether the municipality has grades set in the portal (else they are imported).
    pub set_in_portal: bool,
    pub pupils: Vec<GradeSheetPupil>,
}
