//! The words of an e-mail or a push message, from the UI's Swedish catalogue: the municipality's
//! language, which every guardian's school writes to them in. (The app shows the same notice in
//! the reader's language.)

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use skolportal_shared::api::{NoticeKind, NoticeLesson, NoticeTalk};
use skolportal_shared::lang::{fill, month_after_day_key, weekday_key, Lang};

fn catalogue() -> &'static HashMap<String, String> {
    static SV: OnceLock<HashMap<String, String>> = OnceLock::new();
    SV.get_or_init(|| {
        // The catalogue is built into the binary and checked by the frontend's tests; a
        // catalogue that does not parse leaves every text as its key, which the tests see.
        serde_json::from_str(include_str!("../../../frontend/i18n/sv.json")).unwrap_or_default()
    })
}

/// The catalogue's text for `key` with its `{name}`s filled.
pub fn text(key: &str, args: &[(&str, &str)]) -> String {
    let template = catalogue().get(key).map_or(key, String::as_str);
    fill(Lang::Sv, template, args, false)
}

/// "fredag 4 december".
pub fn weekday_date(date: NaiveDate) -> String {
    text(
        "format.weekday_date",
        &[
            ("weekday", &text(weekday_key(date), &[])),
            ("day", &date.day().to_string()),
            ("month", &text(month_after_day_key(date), &[])),
        ],
    )
}

/// "Matematik 08:00–08:50".
pub fn lesson_line(lesson: &NoticeLesson) -> String {
    text(
        "notice.lesson",
        &[
            (
                "activity",
                &text(
                    &format!("timetable.activity.{}", lesson.activity.code()),
                    &[],
                ),
            ),
            ("from", &lesson.starts_at),
            ("to", &lesson.ends_at),
        ],
    )
}

/// "tisdag 8 december 14:00–14:20, Sal B12": the talk a reminder is about, as stored with it.
fn talk_line(notice: &crate::entity::notice::Model, date: &str) -> String {
    let talk: Option<NoticeTalk> = notice
        .talk
        .clone()
        .and_then(|value| serde_json::from_value(value).ok());
    let Some(talk) = talk else {
        return date.to_owned();
    };
    let place = match (&talk.video_link, talk.place.trim()) {
        (Some(link), "") => link.clone(),
        (Some(link), place) => format!("{place}, {link}"),
        (None, place) => place.to_owned(),
    };
    text(
        "notice.talk_reminder.body",
        &[
            ("date", date),
            ("from", &talk.starts_at),
            ("to", &talk.ends_at),
            ("place", &place),
        ],
    )
}

/// What a notice says outside the app: the e-mail's subject and opening, the push message's
/// title and body.
pub struct Wording {
    pub subject: String,
    /// The e-mail's first paragraph; the lessons follow it as a list.
    pub intro: String,
    pub push_title: String,
    pub push_body: String,
}

pub fn wording(
    notice: &crate::entity::notice::Model,
    child: &str,
    lessons: &[NoticeLesson],
) -> Wording {
    let date = weekday_date(notice.on_date);
    let days = match notice.until_date.filter(|until| *until != notice.on_date) {
        Some(until) => text(
            "notice.days",
            &[("from", &date), ("to", &weekday_date(until))],
        ),
        None => date.clone(),
    };
    let kind = notice.kind.code();
    let args = [
        ("name", child),
        ("date", date.as_str()),
        ("days", days.as_str()),
    ];
    let lines = lessons
        .iter()
        .map(lesson_line)
        .collect::<Vec<_>>()
        .join(", ");
    Wording {
        subject: text(&format!("notice.{kind}.subject"), &args),
        intro: match notice.kind {
            // The time and place follow the opening, as the lessons follow an absence's.
            NoticeKind::TalkReminder => format!(
                "{} {}",
                text("notice.talk_reminder.intro", &args),
                talk_line(notice, &date)
            ),
            _ => text(&format!("notice.{kind}.intro"), &args),
        },
        push_title: text(&format!("notice.{kind}.title"), &args),
        push_body: match notice.kind {
            NoticeKind::UnexcusedAbsence => {
                text("notice.push.body", &[("date", &date), ("lessons", &lines)])
            }
            NoticeKind::LeaveGranted | NoticeKind::LeaveRefused => days,
            NoticeKind::ConsentReminder => text("notice.consent_reminder.body", &args),
            NoticeKind::TalkReminder => talk_line(notice, &date),
        },
    }
}
