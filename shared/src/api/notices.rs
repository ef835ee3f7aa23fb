//! Notices to guardians: the same-day notice of unexcused absence (skollagen 7 kap. 17 §), as
//! the app lists it, and the channels each guardian chooses besides the app (e-mail, push).

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;
use super::Activity;

stored_codes! {
    /// What a notice is about.
    NoticeKind {
        /// The pupil was marked unexcused absent from one or more lessons that day.
        UnexcusedAbsence = "unexcused_absence",
        /// A leave application was granted.
        LeaveGranted = "leave_granted",
        /// A leave application was refused.
        LeaveRefused = "leave_refused",
        /// Before a school year: the guardian's consents, to look over and change.
        ConsentReminder = "consent_reminder",
        /// The day before a booked development talk.
        TalkReminder = "talk_reminder",
    }
}

/// A lesson a notice names: its activity and its hours that day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NoticeLesson {
    pub lesson_id: uuid::Uuid,
    pub activity: Activity,
    /// "08:00".
    pub starts_at: String,
    pub ends_at: String,
}

/// The talk a reminder is about, as it stood when the reminder went out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NoticeTalk {
    /// "14:00".
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub video_link: Option<String>,
}

/// One notice to the person reading it. Names the child by first name; never a personnummer or
/// a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Notice {
    pub id: uuid::Uuid,
    pub kind: NoticeKind,
    pub child_id: uuid::Uuid,
    pub child_given_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub date: chrono::NaiveDate,
    /// The last day, for a notice about several days (leave).
    #[serde(default, deserialize_with = "crate::wire_date::opt_date")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub until: Option<chrono::NaiveDate>,
    pub lessons: Vec<NoticeLesson>,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
    /// It was also sent by e-mail.
    pub emailed: bool,
}

/// `GET /api/notices`: the person's notices, the newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NoticeList {
    pub notices: Vec<Notice>,
    pub unread: u32,
}

/// `GET /api/notices/channels`: where notices reach this person besides the app, which always
/// has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct NoticeChannels {
    pub by_email: bool,
    pub by_push: bool,
    /// The address e-mail goes to, as the school administration has it; without one, e-mail
    /// cannot be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub email_address: Option<String>,
    /// Browsers and phones where the person allowed notices.
    pub push_devices: u32,
    /// The server's VAPID public key (base64url, uncompressed P-256 point), for
    /// `PushManager.subscribe`.
    pub push_public_key: String,
    /// The language e-mail and push are written in (a code such as `sv`): the person's choice,
    /// else the municipality's first.
    pub language: String,
    /// The languages the municipality offers, to choose from.
    pub languages: Vec<String>,
}

/// `PUT /api/notices/channels`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
#[serde(deny_unknown_fields)]
pub struct NoticeChannelsUpdate {
    pub by_email: bool,
    pub by_push: bool,
    /// The language for e-mail and push, one of `NoticeChannels::languages`; left out, the
    /// choice stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub language: Option<String>,
}

/// `POST /api/notices/push-subscriptions`: a browser's `PushSubscription`, as its `toJSON()`
/// gives the keys (base64url).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PushSubscriptionInput {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// `POST /api/notices/push-subscriptions/remove`: this browser no longer takes notices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct PushUnsubscribe {
    pub endpoint: String,
}

/// What a push message carries to the service worker: what the notification shows, already in
/// words, and where a tap leads. No personnummer and no reason, as in the e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushPayload {
    pub title: String,
    pub body: String,
    /// A path of the portal.
    pub url: String,
    /// One notification per notice: a repeat replaces, not adds.
    pub tag: String,
}
