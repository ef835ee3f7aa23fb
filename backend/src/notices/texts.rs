//! The words of an e-mail or a push message, from the UI's catalogues, in the language the
//! recipient chose for them (`notice_preference.language`, else the municipality's first). The
//! app shows the same notice in the reader's language of the moment.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use skolportal_shared::api::{NoticeKind, NoticeLesson, NoticeTalk};
use skolportal_shared::lang::{fill, month_after_day_key, weekday_key, Lang};

/// The catalogues built into the binary, by language; they are checked by the frontend's tests
/// (every key in every language), so a text missing here is a text missing there.
fn catalogue(lang: Lang) -> &'static HashMap<String, String> {
    static CATALOGUES: OnceLock<HashMap<Lang, HashMap<String, String>>> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| {
        [
            (Lang::Sv, include_str!("../../../frontend/i18n/sv.json")),
            (Lang::En, include_str!("../../../frontend/i18n/en.json")),
            (Lang::Fi, include_str!("../../../frontend/i18n/fi.json")),
            (Lang::Ar, include_str!("../../../frontend/i18n/ar.json")),
            (Lang::So, include_str!("../../../frontend/i18n/so.json")),
            (Lang::Uk, include_str!("../../../frontend/i18n/uk.json")),
        ]
        .into_iter()
        // A catalogue that does not parse leaves every text as its key, which the tests see.
        .map(|(lang, json)| (lang, serde_json::from_str(json).unwrap_or_default()))
        .collect()
    });
    static EMPTY: OnceLock<HashMap<String, String>> = OnceLock::new();
    all.get(&lang)
        .unwrap_or_else(|| EMPTY.get_or_init(HashMap::new))
}

/// Texts in one language.
#[derive(Clone, Copy, Debug)]
pub struct Texts(pub Lang);

impl Texts {
    /// The catalogue's text for `key` with its `{name}`s filled; Swedish where the language
    /// lacks it.
    pub fn text(self, key: &str, args: &[(&str, &str)]) -> String {
        let template = catalogue(self.0)
            .get(key)
            .or_else(|| catalogue(Lang::Sv).get(key))
            .map_or(key, String::as_str);
        fill(self.0, template, args, false)
    }

    /// "fredag 4 december".
    pub fn weekday_date(self, date: NaiveDate) -> String {
        self.text(
            "format.weekday_date",
            &[
                ("weekday", &self.text(weekday_key(date), &[])),
                ("day", &date.day().to_string()),
                ("month", &self.text(month_after_day_key(date), &[])),
            ],
        )
    }

    /// "Matematik 08:00–08:50".
    pub fn lesson_line(self, lesson: &NoticeLesson) -> String {
        self.text(
            "notice.lesson",
            &[
                (
                    "activity",
                    &self.text(
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
    fn talk_line(self, notice: &crate::entity::notice::Model, date: &str) -> String {
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
        self.text(
            "notice.talk_reminder.body",
            &[
                ("date", date),
                ("from", &talk.starts_at),
                ("to", &talk.ends_at),
                ("place", &place),
            ],
        )
    }

    pub fn wording(
        self,
        notice: &crate::entity::notice::Model,
        child: &str,
        lessons: &[NoticeLesson],
    ) -> Wording {
        let date = self.weekday_date(notice.on_date);
        let days = match notice.until_date.filter(|until| *until != notice.on_date) {
            Some(until) => self.text(
                "notice.days",
                &[("from", &date), ("to", &self.weekday_date(until))],
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
            .map(|l| self.lesson_line(l))
            .collect::<Vec<_>>()
            .join(", ");
        Wording {
            subject: self.text(&format!("notice.{kind}.subject"), &args),
            intro: match notice.kind {
                // The time and place follow the opening, as the lessons follow an absence's.
                NoticeKind::TalkReminder => format!(
                    "{} {}",
                    self.text("notice.talk_reminder.intro", &args),
                    self.talk_line(notice, &date)
                ),
                _ => self.text(&format!("notice.{kind}.intro"), &args),
            },
            push_title: self.text(&format!("notice.{kind}.title"), &args),
            push_body: match notice.kind {
                NoticeKind::UnexcusedAbsence => {
                    self.text("notice.push.body", &[("date", &date), ("lessons", &lines)])
                }
                NoticeKind::LeaveGranted | NoticeKind::LeaveRefused => days,
                NoticeKind::ConsentReminder => self.text("notice.consent_reminder.body", &args),
                NoticeKind::TalkReminder => self.talk_line(notice, &date),
            },
        }
    }
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
