//! The words of an e-mail or a push message, from the UI's Swedish catalogue: the municipality's
//! language, which every guardian's school writes to them in. (The app shows the same notice in
//! the reader's language.)

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use skolportal_shared::api::NoticeLesson;
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
