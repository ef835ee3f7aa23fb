//! Booking a development talk: the mentor publishes a round of talk times for a class (slots, a
//! place or a video link, the last day to book), and a guardian books, moves or cancels a time,
//! joins the other guardian's booking, or books a separate talk where the round allows it.
//! Dates and "HH:MM" times are Swedish time.

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;

stored_codes! {
    /// A slot as a family sees it: another family's booking shows only as taken.
    TalkSlotState {
        Free = "free",
        Taken = "taken",
        /// Booked for this pupil.
        Ours = "ours",
    }
}

/// One time of a round, as the mentor publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkSlotInput {
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    /// "HH:MM".
    pub starts_at: String,
    pub ends_at: String,
}

/// `POST /api/groups/{id}/talk-rounds`: the mentor publishes talk times for the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkRoundInput {
    /// Where the talks are held (a room); may be empty when every talk is by video.
    pub place: String,
    /// An https link to the video meeting, when the talks are held by video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub video_link: Option<String>,
    /// Whether guardians may each book a talk of their own, or share one.
    pub separate_talks: bool,
    /// The last day a time is booked, moved or cancelled, at the latest the first talk's day.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub book_by: chrono::NaiveDate,
    pub slots: Vec<TalkSlotInput>,
}

/// A person named in a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkPerson {
    pub person_id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
}

/// A booking as the mentor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MentorTalkBooking {
    pub booking_id: uuid::Uuid,
    pub pupil: TalkPerson,
    /// The guardians coming, the one who booked first.
    pub attendees: Vec<TalkPerson>,
    /// A separate talk with one guardian, where the round allows it.
    pub separate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MentorTalkSlot {
    pub slot_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub booking: Option<MentorTalkBooking>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MentorTalkRound {
    pub round_id: uuid::Uuid,
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub video_link: Option<String>,
    pub separate_talks: bool,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub book_by: chrono::NaiveDate,
    /// In time order.
    pub slots: Vec<MentorTalkSlot>,
    /// The group's pupils with no booking in the round yet.
    pub unbooked: Vec<TalkPerson>,
}

/// `GET /api/groups/{id}/talk-rounds`: the group's talk times and bookings, for its mentor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupTalkTimes {
    pub group_id: uuid::Uuid,
    pub group_name: String,
    /// Rounds with a talk from two weeks ago on, the latest published first.
    pub rounds: Vec<MentorTalkRound>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FamilyTalkSlot {
    pub slot_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub state: TalkSlotState,
}

/// One of the pupil's bookings in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FamilyTalkBooking {
    pub booking_id: uuid::Uuid,
    pub slot_id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub separate: bool,
    pub attendees: Vec<TalkPerson>,
    /// Whether the asker is one of them.
    pub attending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FamilyTalkRound {
    pub round_id: uuid::Uuid,
    pub group_name: String,
    /// The mentor who published it.
    pub mentor_name: String,
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub video_link: Option<String>,
    pub separate_talks: bool,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub book_by: chrono::NaiveDate,
    /// Whether times may still be booked, moved and cancelled.
    pub open: bool,
    pub slots: Vec<FamilyTalkSlot>,
    pub bookings: Vec<FamilyTalkBooking>,
}

/// `GET /api/pupils/{id}/talk-times`: the talk times published for the pupil's groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PupilTalkTimes {
    pub pupil_id: uuid::Uuid,
    pub pupil_given_name: String,
    /// Rounds with a talk from today on.
    pub rounds: Vec<FamilyTalkRound>,
}

/// `POST /api/pupils/{id}/talk-bookings`: books a free time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkBookingInput {
    pub slot_id: uuid::Uuid,
    /// A talk of the asker's own, where the round allows separate talks; otherwise the pupil's
    /// one talk, which the other guardian may join.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub separate: bool,
}

/// `PUT /api/pupils/{id}/talk-bookings/{booking}`: moves a booking to another free time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct TalkMoveInput {
    pub slot_id: uuid::Uuid,
}

/// A talk on the family's start page: booked, or still to book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UpcomingTalk {
    pub child_id: uuid::Uuid,
    /// The booked time; none while the talk is still to book.
    #[serde(
        default,
        deserialize_with = "crate::wire_date::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub date: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub starts_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub ends_at: Option<String>,
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub video_link: Option<String>,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub book_by: chrono::NaiveDate,
}
