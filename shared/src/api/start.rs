//! `GET /api/start`: a family's start page. "Idag" and "Den här veckan" for all of a guardian's
//! children together, and what waits for the guardian (a signature, an answer to an offer).

use serde::{Deserialize, Serialize};

use super::{ChildCard, DocumentKind, LessonChangeKind, SchoolDayKind, TimetableLesson, UnitLunch};

super::codes::wire_enum! {
/// What a day entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum FamilyDayEntryKind {
    /// The lessons of a school child.
    School,
    /// Drop-off and pick-up at a preschool, pedagogical care or fritidshem.
    Childcare,
}
}

/// One child's day, or the day of siblings who have exactly the same one (twins in one class):
/// then the entry names them all, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FamilyDayEntry {
    pub kind: FamilyDayEntryKind,
    /// The children the entry is about, in the order of `FamilyStart::children`.
    pub child_ids: Vec<uuid::Uuid>,
    /// For school: a school day, a break (lov, studiedag) or a holiday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_day: Option<SchoolDayKind>,
    /// For school, today only: the lessons in time order with the day's changes applied
    /// (`change` says what changed). The other days of the week carry only their hours and
    /// kinds of change: that is all the week shows, and a week of lessons would make the page
    /// several times larger on a phone.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub lessons: Vec<TimetableLesson>,
    /// For school: "HH:MM" from the first held lesson's start to the last one's end (cancelled
    /// lessons left out); neither on a day without lessons held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ends_at: Option<String>,
    /// For school: the kinds of change among the day's lessons, each once, in the order they
    /// first occur.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub changes: Vec<LessonChangeKind>,
    /// For childcare: the preschool or fritidshem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub unit_name: Option<String>,
    /// For childcare: whether the guardians have planned the day (with times, or as a day
    /// without care). A day not planned yet is one to plan on the schedule page.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub care_planned: bool,
    /// "HH:MM", when the child is left; with `pick_up`, or neither on a day without care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub drop_off: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub pick_up: Option<String>,
    /// The absence a guardian reported for the day, school and childcare alike.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub absence: Option<crate::api::DayAbsence>,
}

/// A weekday of the family's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FamilyDay {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    /// Each child's day once; school before childcare, children in their order.
    pub entries: Vec<FamilyDayEntry>,
    /// The day's lunch at each of the children's schools and preschools that has entered one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub lunch: Vec<UnitLunch>,
}

super::codes::wire_enum! {
/// What waits for the guardian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum FamilyTaskKind {
    /// A placement offer to accept or decline before its deadline.
    AnswerOffer,
    /// A document this guardian is to sign.
    SignDocument,
    /// A document this guardian has signed that waits for the other guardian.
    AwaitingOtherGuardian,
}
}

/// One thing that waits, once however many guardians or children it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FamilyTask {
    pub kind: FamilyTaskKind,
    /// The offer's or the document's id.
    pub id: uuid::Uuid,
    /// The child it is about; none for the household's income statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub child_id: Option<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub document_kind: Option<DocumentKind>,
    /// For an offer: the last day to answer (Swedish time; the offer lapses after it).
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub answer_by: Option<chrono::NaiveDate>,
}

/// `GET /api/start`: the family's start page ("Mina barn").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FamilyStart {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub today: chrono::NaiveDate,
    /// The Monday of "Den här veckan": this week's, or on a Saturday or Sunday the coming one.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub week_start: chrono::NaiveDate,
    /// The children, as "Mina barn" lists them.
    pub children: Vec<ChildCard>,
    /// Monday to Friday.
    pub days: Vec<FamilyDay>,
    /// Offers first, then documents, oldest first.
    pub tasks: Vec<FamilyTask>,
    /// The children's development talks from today on: the booked ones by time, then those
    /// still to book by their last day.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub talks: Vec<crate::api::UpcomingTalk>,
}

impl FamilyStart {
    /// Today's entries, when today is a weekday of the week shown.
    pub fn today_entries(&self) -> Option<&FamilyDay> {
        self.days.iter().find(|d| d.date == self.today)
    }

    /// The first names of the children an entry is about.
    pub fn names_of(&self, entry: &FamilyDayEntry) -> Vec<&str> {
        entry
            .child_ids
            .iter()
            .filter_map(|id| self.child_name(*id))
            .collect()
    }

    /// The first name of a child of the family.
    pub fn child_name(&self, id: uuid::Uuid) -> Option<&str> {
        self.children
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.given_name.as_str())
    }
}

impl FamilyDayEntry {
    /// For school: the day's hours, as `starts_at`–`ends_at`.
    pub fn school_hours(&self) -> Option<(&str, &str)> {
        Some((self.starts_at.as_deref()?, self.ends_at.as_deref()?))
    }

    /// Fills in `starts_at`, `ends_at` and `changes` from `lessons`: from the first held
    /// lesson's start to the last one's end, and each kind of change once.
    pub fn summarise_lessons(&mut self) {
        let held = self.lessons.iter().filter(|l| {
            !l.change
                .as_ref()
                .is_some_and(|c| c.kinds.contains(&LessonChangeKind::Cancelled))
        });
        self.starts_at = held
            .clone()
            .map(|l| l.starts_at.as_str())
            .min()
            .map(str::to_owned);
        self.ends_at = held.map(|l| l.ends_at.as_str()).max().map(str::to_owned);
        self.changes.clear();
        for kind in self
            .lessons
            .iter()
            .filter_map(|l| l.change.as_ref())
            .flat_map(|c| c.kinds.iter().copied())
        {
            if !self.changes.contains(&kind) {
                self.changes.push(kind);
            }
        }
    }
}
