//! The family's start page above the children's cards in the server's "Mina barn": what waits for
//! the guardian, "Idag" and "Den här veckan", from the answer of `GET /api/start`.

use chrono::{Datelike, NaiveDate};

use super::markup::{el, Element, Markup};
use skolportal_shared::api::{
    DayAbsence, FamilyDay, FamilyDayEntry, FamilyDayEntryKind, FamilyStart, FamilyTaskKind,
    PersonAction,
};
use skolportal_shared::lang::{
    fill, format_date, join_names, month_after_day_key, time_range, weekday_key, Lang,
};
use skolportal_shared::pages::path;

/// Texts in the page's language: the catalogue text of a key (Swedish where the language lacks
/// it).
pub struct Texts<'a> {
    pub lang: Lang,
    pub text: &'a dyn Fn(&str) -> String,
}

impl Texts<'_> {
    fn t(&self, key: &str) -> String {
        (self.text)(key)
    }

    /// A text with its `{name}`s filled, each value isolated in a right-to-left language.
    fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.lang, &self.t(key), args, true)
    }

    /// "tisdag 24 november".
    pub fn weekday_date(&self, date: NaiveDate) -> String {
        fill(
            self.lang,
            &self.t("format.weekday_date"),
            &[
                ("weekday", &self.t(weekday_key(date))),
                ("day", &date.day().to_string()),
                ("month", &self.t(month_after_day_key(date))),
            ],
            false,
        )
    }

    fn names(&self, start: &FamilyStart, entry: &FamilyDayEntry) -> String {
        join_names(self.lang, &self.t("start.and"), &start.names_of(entry))
    }
}

/// The sections, in order: what waits (when anything does), today, and the week.
pub fn sections(start: &FamilyStart, texts: &Texts<'_>) -> Vec<Markup> {
    let mut out = Vec::new();
    if !start.tasks.is_empty() {
        out.push(tasks(start, texts).into());
    }
    if !start.talks.is_empty() {
        out.push(talks(start, texts).into());
    }
    out.push(today(start, texts).into());
    if start.days.iter().any(|d| !d.entries.is_empty()) {
        out.push(week(start, texts).into());
    }
    out
}

fn section(id: &str, heading: String) -> Element {
    el("section", "start-section")
        .attr("aria-labelledby", id.to_owned())
        .child(el("h2", "").attr("id", id.to_owned()).text(heading))
}

fn tasks(start: &FamilyStart, texts: &Texts<'_>) -> Element {
    let items = start.tasks.iter().map(|task| {
        let child = task
            .child_id
            .and_then(|id| start.child_name(id))
            .unwrap_or_default();
        let (href, title, state) = match task.kind {
            FamilyTaskKind::AnswerOffer => (
                path::CHILDCARE_OFFERS.to_owned(),
                texts.tf("start.task.offer", &[("child", child)]),
                texts.tf(
                    "start.task.answer_by",
                    &[(
                        "date",
                        &task
                            .answer_by
                            .map(|d| format_date(texts.lang, d))
                            .unwrap_or_default(),
                    )],
                ),
            ),
            FamilyTaskKind::SignDocument | FamilyTaskKind::AwaitingOtherGuardian => {
                let document = task
                    .document_kind
                    .map(|k| texts.t(&format!("document.kind_{}", k.code())))
                    .unwrap_or_default();
                let title = if child.is_empty() {
                    document
                } else {
                    texts.tf(
                        "start.task.document_child",
                        &[("document", &document), ("child", child)],
                    )
                };
                let state = if task.kind == FamilyTaskKind::SignDocument {
                    "start.task.sign"
                } else {
                    "start.task.awaiting_other"
                };
                (path::childcare_document(task.id), title, texts.t(state))
            }
        };
        Markup::from(
            el("li", "task")
                .child(el("a", "task__link").attr("href", href).text(title))
                .space()
                .child(el("span", "task__state").text(state)),
        )
    });
    section("start-tasks", texts.t("start.tasks"))
        .child(el("ul", "task-list").children(items.collect()))
}

/// The children's development talks: the time booked, or the last day to book one.
fn talks(start: &FamilyStart, texts: &Texts<'_>) -> Element {
    let items = start.talks.iter().map(|talk| {
        let child = start.child_name(talk.child_id).unwrap_or_default();
        let (title, state) = match (&talk.date, &talk.starts_at, &talk.ends_at) {
            (Some(date), Some(from), Some(to)) => {
                let place = match (&talk.video_link, talk.place.trim()) {
                    (Some(_), "") => texts.t("start.talk.by_video"),
                    (_, place) => place.to_owned(),
                };
                (
                    texts.tf("start.talk.booked", &[("child", child)]),
                    texts.tf(
                        "start.talk.when",
                        &[
                            ("date", &texts.weekday_date(*date)),
                            ("time", &time_range(from, to)),
                            ("place", &place),
                        ],
                    ),
                )
            }
            _ => (
                texts.tf("start.talk.to_book", &[("child", child)]),
                texts.tf(
                    "start.talk.book_by",
                    &[("date", &format_date(texts.lang, talk.book_by))],
                ),
            ),
        };
        Markup::from(
            el("li", "task")
                .child(
                    el("a", "task__link")
                        .attr("href", path::talk_booking(talk.child_id))
                        .text(title),
                )
                .space()
                .child(el("span", "task__state").text(state)),
        )
    });
    section("start-talks", texts.t("start.talks"))
        .child(el("ul", "task-list").children(items.collect()))
}

fn today(start: &FamilyStart, texts: &Texts<'_>) -> Element {
    let mut out = section("start-today", texts.t("start.today"))
        .child(el("p", "start-date").text(texts.weekday_date(start.today)));
    let reports = start
        .children
        .iter()
        .any(|c| c.permitted_actions.contains(&PersonAction::ReportAbsence));
    if reports {
        out = out.child(
            el("p", "start-report").child(
                el("a", "button button--secondary")
                    .attr("href", path::ABSENCE.to_owned())
                    .text(texts.t("start.report_absence")),
            ),
        );
    }
    match start.today_entries() {
        Some(day) if !day.entries.is_empty() => {
            let entries = day
                .entries
                .iter()
                .map(|entry| Markup::from(full_entry(start, entry, texts)));
            out = out.child(el("ul", "day-entries").children(entries.collect()));
        }
        Some(_) => out = out.child(el("p", "empty-state").text(texts.t("start.nothing_today"))),
        None => out = out.child(el("p", "empty-state").text(texts.t("start.weekend"))),
    }
    if let Some(day) = start.today_entries().filter(|d| !d.lunch.is_empty()) {
        out = out.child(
            el("div", "start-lunch")
                .child(el("h3", "start-lunch__heading").text(texts.t("start.lunch")))
                .child(lunch_list(day, texts)),
        );
    }
    out
}

/// The day's lunch at each of the family's units: the unit, the dish and the vegetarian one.
fn lunch_list(day: &FamilyDay, texts: &Texts<'_>) -> Element {
    let items = day.lunch.iter().map(|lunch| {
        let mut li = el("li", "lunch")
            .child(el("span", "lunch__unit").text(lunch.unit_name.clone()))
            .space();
        if let Some(main) = &lunch.main_dish {
            li = li.child(el("span", "lunch__dish").text(main.clone()));
        }
        if let Some(vegetarian) = &lunch.vegetarian_dish {
            li = li.space().child(
                el("span", "lunch__vegetarian")
                    .text(texts.tf("start.vegetarian", &[("dish", vegetarian)])),
            );
        }
        Markup::from(li)
    });
    el("ul", "lunch-list").children(items.collect())
}

/// An entry of today, in full: each lesson with its change, or the day's care.
fn full_entry(start: &FamilyStart, entry: &FamilyDayEntry, texts: &Texts<'_>) -> Element {
    let who = texts.names(start, entry);
    let mut item = el("li", "day-entry");
    if let Some(absence) = &entry.absence {
        // Before the lessons or the times: the first thing read about a child reported away.
        item = item.child(el("p", "day-entry__absence").child(absence_mark(absence, texts)));
    }
    match entry.kind {
        FamilyDayEntryKind::School => {
            let item = item.child(
                el("h3", "day-entry__who").text(texts.tf("start.lessons_of", &[("who", &who)])),
            );
            match off_day(entry, texts) {
                Some(off) => item.child(el("p", "day-entry__off").text(off)),
                None => item.child(
                    el("ol", "start-lessons").children(
                        entry
                            .lessons
                            .iter()
                            .map(|lesson| {
                                let cancelled = lesson.change.as_ref().is_some_and(|c| {
                                    c.kinds.contains(
                                        &skolportal_shared::api::LessonChangeKind::Cancelled,
                                    )
                                });
                                let class = if cancelled {
                                    "start-lesson start-lesson--cancelled"
                                } else {
                                    "start-lesson"
                                };
                                let mut li = el("li", class)
                                    .child(
                                        el("span", "start-lesson__time")
                                            .text(time_range(&lesson.starts_at, &lesson.ends_at)),
                                    )
                                    .space()
                                    .child(el("span", "start-lesson__activity").text(texts.t(
                                        &format!("timetable.activity.{}", lesson.activity.code()),
                                    )));
                                let kinds = lesson.change.iter().flat_map(|c| c.kinds.iter());
                                for kind in kinds {
                                    li = li.space().child(badge(texts, *kind));
                                }
                                if let Some(room) = lesson.room.as_ref().filter(|_| !cancelled) {
                                    li = li
                                        .space()
                                        .child(el("span", "start-lesson__room").text(room.clone()));
                                }
                                let substitute = lesson.change.as_ref().is_some_and(|c| {
                                    c.kinds.contains(
                                        &skolportal_shared::api::LessonChangeKind::Substitute,
                                    )
                                });
                                if let (true, Some(name)) = (substitute, &lesson.teacher_name) {
                                    li = li.space().child(
                                        el("span", "start-lesson__substitute")
                                            .text(texts.tf("start.substitute", &[("name", name)])),
                                    );
                                }
                                Markup::from(li)
                            })
                            .collect(),
                    ),
                ),
            }
        }
        FamilyDayEntryKind::Childcare => item
            .child(el("h3", "day-entry__who").text(texts.tf("start.care_of", &[("who", &who)])))
            .child(el("p", "day-entry__unit").text(entry.unit_name.clone().unwrap_or_default()))
            .child(care_line(entry, texts, Some(&who))),
    }
}

/// A school entry's day off ("Höstlov"), or "no lessons" on a school day without any.
fn off_day(entry: &FamilyDayEntry, texts: &Texts<'_>) -> Option<String> {
    match entry.school_day {
        Some(kind) if kind != skolportal_shared::api::SchoolDayKind::SchoolDay => {
            Some(texts.t(&format!("timetable.day.{}", kind.code())))
        }
        // Only today carries its lessons; another day has lessons when it has hours or changes.
        _ if entry.lessons.is_empty() && entry.starts_at.is_none() && entry.changes.is_empty() => {
            Some(texts.t("timetable.no_lessons"))
        }
        _ => None,
    }
}

/// "Sjukanmäld", or with the hours when part of the day: "Sjukanmäld 10:00–12:00".
fn absence_mark(absence: &DayAbsence, texts: &Texts<'_>) -> Element {
    let mut text = texts.t(&format!("start.absence.{}", absence.reason.code()));
    if let (Some(from), Some(to)) = (&absence.starts_at, &absence.ends_at) {
        text.push(' ');
        text.push_str(&time_range(from, to));
    }
    el("span", "absence-mark").text(text)
}

fn badge(texts: &Texts<'_>, kind: skolportal_shared::api::LessonChangeKind) -> Element {
    el(
        "span",
        &format!("change-badge change-badge--{}", kind.code()),
    )
    .text(texts.t(&format!("timetable.change.{}", kind.code())))
}

/// The day's care: the times, a day off, or not planned yet. In full (`who` given) the times are
/// spelled out and a day not planned links to the child's schedule.
fn care_line(entry: &FamilyDayEntry, texts: &Texts<'_>, who: Option<&str>) -> Element {
    let line = el("p", "day-entry__care");
    match (&entry.drop_off, &entry.pick_up) {
        (Some(drop_off), Some(pick_up)) if who.is_some() => line.text(texts.tf(
            "start.care.times",
            &[("drop_off", drop_off), ("pick_up", pick_up)],
        )),
        (Some(drop_off), Some(pick_up)) => line.text(time_range(drop_off, pick_up)),
        _ if entry.care_planned => line.text(texts.t("start.care.off")),
        _ => {
            let line = line.text(texts.t("start.care.not_planned"));
            match (entry.child_ids.first(), who) {
                (Some(child), Some(who)) => line.space().child(
                    el("a", "")
                        .attr("href", path::childcare_schedule(*child))
                        .text(texts.tf("start.care.plan", &[("child", who)])),
                ),
                _ => line,
            }
        }
    }
}

fn week(start: &FamilyStart, texts: &Texts<'_>) -> Element {
    let heading = if start.today_entries().is_some() {
        "start.this_week"
    } else {
        "start.next_week"
    };
    let days = start
        .days
        .iter()
        .map(|day| Markup::from(week_day(start, day, texts)));
    section("start-week", texts.t(heading)).child(el("ol", "week-days").children(days.collect()))
}

fn week_day(start: &FamilyStart, day: &FamilyDay, texts: &Texts<'_>) -> Element {
    let is_today = day.date == start.today;
    let mut name = el("h3", "week-day__name").text(texts.weekday_date(day.date));
    if is_today {
        name = name
            .space()
            .child(el("span", "week-day__today").text(texts.t("start.today_mark")));
    }
    let entries = day.entries.iter().map(|entry| {
        let what = match entry.kind {
            FamilyDayEntryKind::School => match (off_day(entry, texts), entry.school_hours()) {
                (Some(off), _) => el("span", "week-entry__what").text(off),
                (None, Some((first, last))) => {
                    el("span", "week-entry__what").text(time_range(first, last))
                }
                (None, None) => {
                    el("span", "week-entry__what").text(texts.t("timetable.no_lessons"))
                }
            },
            FamilyDayEntryKind::Childcare => {
                let mut care = care_line(entry, texts, None);
                care.tag = "span";
                care.attrs = vec![("class", "week-entry__what".to_owned())];
                care
            }
        };
        let mut li = el("li", "week-entry")
            .child(el("span", "week-entry__who").text(texts.names(start, entry)))
            .space()
            .child(what);
        if let Some(absence) = &entry.absence {
            li = li.space().child(absence_mark(absence, texts));
        }
        for kind in entry.changes.iter().copied() {
            li = li.space().child(badge(texts, kind));
        }
        Markup::from(li)
    });
    let class = if is_today {
        "week-day week-day--today"
    } else {
        "week-day"
    };
    let mut out = el("li", class)
        .child(name)
        .child(el("ul", "week-day__entries").children(entries.collect()));
    if !day.lunch.is_empty() {
        out = out
            .child(el("h4", "week-day__lunch").text(texts.t("start.lunch")))
            .child(lunch_list(day, texts));
    }
    out
}
