//! School timetables (schema): a pupil's or a teacher's week of lessons with today's changes,
//! the school calendar's days off, and the calendar feeds phones subscribe to. Times of day are
//! `"HH:MM"` strings in Swedish local time, as on the childcare schedule.

use serde::{Deserialize, Serialize};

/// Declares a stored code enum: snake_case on the wire and in the database, with `ALL`.
macro_rules! stored_codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
        #[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
        #[cfg_attr(feature = "orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(
            feature = "orm",
            sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(32))")
        )]
        pub enum $name {
            $($(#[$vmeta])* #[cfg_attr(feature = "orm", sea_orm(string_value = $code))] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case code, as stored and sent; the UI's text key ends with it.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                let at = $crate::api::codes::position(
                    Self::ALL.iter().map(|v| v.code() == text),
                    &text,
                )?;
                Ok(Self::ALL[at])
            }
        }
    };
}
pub(crate) use stored_codes;

stored_codes! {
    /// What a timetable slot is: a subject of the national timetable (timplan), or the day's
    /// lunch and mentor time, which pupils look for on the same schedule.
    Activity {
        Swedish = "swedish",
        Mathematics = "mathematics",
        English = "english",
        Geography = "geography",
        History = "history",
        Religion = "religion",
        CivicStudies = "civic_studies",
        Biology = "biology",
        Physics = "physics",
        Chemistry = "chemistry",
        Technology = "technology",
        PhysicalEducation = "physical_education",
        Crafts = "crafts",
        Music = "music",
        Art = "art",
        HomeEconomics = "home_economics",
        /// Moderna språk, from year 6.
        ModernLanguage = "modern_language",
        /// Mentorstid.
        Mentoring = "mentoring",
        Lunch = "lunch",
    }
}

impl Activity {
    /// Skolverket's subject code, as SS 12000 sends it; `None` for lunch and mentor time.
    pub const fn skolverket_code(self) -> Option<&'static str> {
        Some(match self {
            Activity::Swedish => "SV",
            Activity::Mathematics => "MA",
            Activity::English => "EN",
            Activity::Geography => "GE",
            Activity::History => "HI",
            Activity::Religion => "RE",
            Activity::CivicStudies => "SH",
            Activity::Biology => "BI",
            Activity::Physics => "FY",
            Activity::Chemistry => "KE",
            Activity::Technology => "TK",
            Activity::PhysicalEducation => "IDH",
            Activity::Crafts => "SL",
            Activity::Music => "MU",
            Activity::Art => "BL",
            Activity::HomeEconomics => "HKK",
            Activity::ModernLanguage => "ML",
            Activity::Mentoring | Activity::Lunch => return None,
        })
    }
}

stored_codes! {
    /// A stretch of days off inside a term, from the municipality's school calendar.
    SchoolBreakKind {
        /// Höstlov.
        AutumnBreak = "autumn_break",
        /// Sportlov.
        WinterBreak = "winter_break",
        /// Påsklov.
        EasterBreak = "easter_break",
        /// Studiedag: no lessons, the staff work.
        StudyDay = "study_day",
        /// Any other lovdag the municipality decides.
        OtherBreak = "other_break",
    }
}

stored_codes! {
    /// What kind of day a weekday is on the school calendar.
    SchoolDayKind {
        SchoolDay = "school_day",
        /// A public holiday or a day treated as one (midsommarafton, julafton, nyårsafton).
        PublicHoliday = "public_holiday",
        AutumnBreak = "autumn_break",
        WinterBreak = "winter_break",
        EasterBreak = "easter_break",
        StudyDay = "study_day",
        OtherBreak = "other_break",
        /// Between terms: the summer and Christmas holidays.
        OutsideTerm = "outside_term",
    }
}

impl From<SchoolBreakKind> for SchoolDayKind {
    fn from(kind: SchoolBreakKind) -> Self {
        match kind {
            SchoolBreakKind::AutumnBreak => SchoolDayKind::AutumnBreak,
            SchoolBreakKind::WinterBreak => SchoolDayKind::WinterBreak,
            SchoolBreakKind::EasterBreak => SchoolDayKind::EasterBreak,
            SchoolBreakKind::StudyDay => SchoolDayKind::StudyDay,
            SchoolBreakKind::OtherBreak => SchoolDayKind::OtherBreak,
        }
    }
}

stored_codes! {
    /// What changed about one lesson on one day. A lesson can have several at once (a new room
    /// and a substitute), except that a cancelled lesson has nothing else.
    LessonChangeKind {
        Cancelled = "cancelled",
        /// Vikarie.
        Substitute = "substitute",
        RoomChanged = "room_changed",
        TimeChanged = "time_changed",
    }
}

/// What differs from the plan for a lesson on its day, with what the plan said, so that the
/// page can show both ("Sal B12 → Sal A3").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LessonChangeView {
    /// Never empty.
    pub kinds: Vec<LessonChangeKind>,
    pub planned_starts_at: String,
    pub planned_ends_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub planned_teacher_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub planned_room: Option<String>,
    /// The teacher's message to the class, e.g. "Ta med gympakläder".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub note: Option<String>,
}

/// One lesson on one day, as it now stands (the change applied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TimetableLesson {
    pub lesson_id: uuid::Uuid,
    pub activity: Activity,
    /// The class or teaching group, e.g. "8A".
    pub group_name: String,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub teacher_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub room: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub change: Option<LessonChangeView>,
    /// What the asker may do with this lesson (record a change).
    pub permitted_actions: Vec<super::LessonAction>,
    /// For the lunch break: the school kitchen's dish that day, when entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub dish: Option<String>,
    /// For the lunch break: the vegetarian dish that day, when entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub vegetarian_dish: Option<String>,
}

/// One weekday of a timetable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TimetableDay {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub kind: SchoolDayKind,
    /// Empty on a day off; in time order.
    pub lessons: Vec<TimetableLesson>,
}

super::codes::wire_enum! {
/// Whose timetable it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum TimetableOwner {
    Pupil,
    Teacher,
}
}

/// `GET /api/timetable/pupils/{id}?week=` and `/api/timetable/teachers/{id}?week=`: Monday to
/// Friday of one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TimetableWeek {
    pub person_id: uuid::Uuid,
    pub person_name: String,
    pub owner: TimetableOwner,
    /// The Monday of the week.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub week_start: chrono::NaiveDate,
    /// Today by the server's clock, so that the page opens on today.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub today: chrono::NaiveDate,
    pub days: Vec<TimetableDay>,
}

/// `PUT /api/timetable/lessons/{id}/changes/{date}`: how the lesson differs from the plan that
/// day. Leave a field out to keep the plan's value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct LessonChangeInput {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub cancelled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub substitute_teacher_id: Option<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub room: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ends_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub note: Option<String>,
}

/// A teacher who can stand in for a lesson (`GET /api/timetable/lessons/{id}/substitutes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SubstituteCandidate {
    pub person_id: uuid::Uuid,
    pub name: String,
}

/// A calendar feed: a secret address a phone's calendar subscribes to, without a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct CalendarFeed {
    pub feed_id: uuid::Uuid,
    /// Whose timetable the feed carries.
    pub person_id: uuid::Uuid,
    pub person_name: String,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The address, only in the answer that made the feed: the server keeps a hash of the
    /// secret, so a lost address is renewed, not shown again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub url: Option<String>,
}

/// `POST /api/timetable/feeds`: make (or renew) my feed of this person's timetable. Renewing
/// ends the old address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NewCalendarFeed {
    pub person_id: uuid::Uuid,
}
