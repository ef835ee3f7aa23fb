// Which keys of the Swedish catalogue an app carries in its binary (`build.rs` writes the lean
// copy; `i18n`'s tests check that every key a page outside the talks' app uses is kept). The
// catalogue is embedded whole in every app, so the texts only the server writes (the e-mails
// and pushes, the start page it renders) and those only the talks' app shows stay out of the
// other apps' downloads. Included by both, so it has no module doc of its own.

/// Texts only the server writes: never in an app.
const SERVER_ONLY: &[&str] = &["notice.", "start.talk", "talk_booking.feed_summary"];

/// Texts of the talks' app (`--features talks`).
const TALKS_ONLY: &[&str] = &["talks.", "iup.", "grades.", "talk_booking."];

/// Keys of those the other apps use too: their links to the talks' pages.
const SHARED: &[&str] = &[
    "talks.title",
    "grades.title",
    "iup.title",
    "talk_booking.title",
    "talk_booking.times_title",
    "grades.sheet_title",
    "grades.lock_title",
];

/// Whether the app keeps `key` in its embedded catalogue.
pub fn keep(key: &str, talks_app: bool) -> bool {
    if SERVER_ONLY.iter().any(|p| key.starts_with(p)) {
        return false;
    }
    talks_app || SHARED.contains(&key) || !TALKS_ONLY.iter().any(|p| key.starts_with(p))
}
