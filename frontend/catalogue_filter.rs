// Which keys of the Swedish catalogue an app carries in its binary (`build.rs` writes the lean
// copy; `i18n`'s tests check that every key a page uses is kept in its app). The catalogue is
// embedded whole in every app, so the texts only the server writes (the e-mails and pushes, the
// pages it renders) and those only one app shows stay out of the other apps' downloads.
// Included by both, so it has no module doc of its own.

/// Texts only the server writes (the e-mails and pushes, the login page, the family's start page,
/// the calendar feed and the public widgets): never in an app. By prefix; the tests below fail if an app uses one.
const SERVER_ONLY: &[&str] = &[
    "notice.",
    "talk_booking.feed_summary",
    "login.intro",
    "login.username",
    "login.password",
    "login.submit",
    "login.bankid_hint",
    "login.logged_out",
    "start.talk",
    "start.tasks",
    "start.this_week",
    "start.next_week",
    "start.nothing_today",
    "start.weekend",
    "start.task.",
    "start.care",
    "start.substitute",
    "start.and",
    "start.lessons_of",
    "start.today_mark",
    "start.lunch",
    "start.report_absence",
    "timetable.feed_title",
    "timetable.changes_today",
    "timetable.teacher",
    "widget.",
];

/// Texts only one app shows, by prefix, with the Cargo feature that app is built with: the
/// talks' app (`talks`), everyone's own account (`account`: the register extract and its
/// access log), the officers' app (`officers`: the sync's pages) and the administrator's
/// (`administration`: the settings).
const APP_ONLY: &[(&str, &[&str])] = &[
    ("talks", &["talks.", "iup.", "grades.", "talk_booking."]),
    ("account", &["extract.", "action.", "tablets.", "password."]),
    ("officers", &["sync."]),
    ("administration", &["settings.", "retention."]),
    ("kiosk", &["kiosk."]),
];

/// Texts of the families' and the staff's pages that the officers' app never shows (its pages
/// and the components they use are scanned by `the_officers_app_keeps_every_text_it_shows`).
const NOT_OFFICERS: &[&str] = &[
    "income.",
    "absence.",
    "notices.",
    "leave.",
    "consent.",
    "terminate.",
    "attendance_stats.",
    "lists.",
    "offers.",
    "pickup.",
    "children.",
    "lunch.",
];

/// Keys of those the other apps use too: their links to the talks' pages.
const SHARED: &[&str] = &[
    "talks.title",
    "grades.title",
    "iup.title",
    "talk_booking.title",
    "talk_booking.times_title",
    "grades.sheet_title",
    "grades.lock_title",
    "extract.notice_channels",
];

/// Whether an app built with `features` keeps `key` in its embedded catalogue.
pub fn keep(key: &str, features: &[&str]) -> bool {
    if SERVER_ONLY.iter().any(|p| key.starts_with(p)) {
        return false;
    }
    if SHARED.contains(&key) {
        return true;
    }
    if features.contains(&"officers") && NOT_OFFICERS.iter().any(|p| key.starts_with(p)) {
        return false;
    }
    APP_ONLY
        .iter()
        .find(|(_, prefixes)| prefixes.iter().any(|p| key.starts_with(p)))
        .is_none_or(|(feature, _)| features.contains(feature))
}
