//! A week's timetable (schema): on a phone one day at a time, stepped with buttons and opening
//! on today; from tablet width the whole week side by side. Today's changes are marked with a
//! word and a colour (never colour alone): cancelled lessons struck through, the planned room,
//! time or teacher shown next to the new one. Where the server says the asker may change a
//! lesson, a form records the change. A pupil's start page shows today from the same parts
//! (`PupilToday`).

use chrono::{Datelike, Days, NaiveDate, Timelike};
use skolportal_shared::api::{
    LessonAction, LessonChangeInput, LessonChangeKind, SchoolDayKind, SubstituteCandidate,
    TimetableDay, TimetableLesson, TimetableOwner, TimetableWeek,
};
use skolportal_shared::timetable::{self, parse_change, PlannedLesson};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::Routable;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{error_alert, loading, status_message};
use crate::hooks::use_i18n;
use crate::i18n::I18n;

#[derive(Properties, PartialEq)]
pub struct TimetableProps {
    pub person: Uuid,
    pub owner: TimetableOwner,
    /// Draws the form that records a change (`change_form`), where the page offers one: only
    /// the staff's app passes it, so the families' app never downloads the form.
    #[prop_or_default]
    pub editor: Option<Callback<ChangeFormProps, Html>>,
}

enum State {
    Loading,
    Loaded(Box<TimetableWeek>),
    Failed(ClientError),
}

/// The ISO week number, as Swedish calendars name weeks.
fn week_number(monday: NaiveDate) -> String {
    monday.iso_week().week().to_string()
}

#[function_component]
pub fn Timetable(props: &TimetableProps) -> Html {
    let i18n = use_i18n();
    let state = use_state(|| State::Loading);
    // The week asked for; `None` is the server's this week.
    let week = use_state(|| None::<NaiveDate>);
    // The day shown on a phone, as an index 0–4 into the week.
    let selected = use_state(|| None::<usize>);
    let reload = use_state(|| 0u32);
    let editing = use_state(|| None::<(Uuid, NaiveDate)>);
    let message = use_state(|| None::<String>);
    {
        let state = state.clone();
        let selected = selected.clone();
        use_effect_with(
            (props.person, props.owner, *week, *reload),
            move |(person, owner, week, _)| {
                let (person, owner, week) = (*person, *owner, *week);
                spawn_local(async move {
                    match api::timetable(owner, person, week).await {
                        Ok(loaded) => {
                            // Today first: the phone opens on today when it is in the week.
                            if selected.is_none() {
                                let today = loaded.days.iter().position(|d| d.date == loaded.today);
                                selected.set(Some(today.unwrap_or(0)));
                            }
                            state.set(State::Loaded(Box::new(loaded)));
                        }
                        Err(err) => state.set(State::Failed(err)),
                    }
                });
            },
        );
    }
    let loaded = match &*state {
        State::Loading => return loading(&i18n),
        State::Failed(err) if err.is_unauthenticated() => return loading(&i18n),
        State::Failed(err) => return error_alert(&i18n, "timetable-error", Some(err), None),
        State::Loaded(week) => week,
    };
    let shown = selected
        .unwrap_or(0)
        .min(loaded.days.len().saturating_sub(1));
    let step_week = |days: i64| {
        let week = week.clone();
        let selected = selected.clone();
        let monday = loaded.week_start;
        Callback::from(move |_: MouseEvent| {
            let next = if days < 0 {
                monday.checked_sub_days(Days::new(days.unsigned_abs()))
            } else {
                monday.checked_add_days(Days::new(days.unsigned_abs()))
            };
            selected.set(Some(0));
            week.set(next);
        })
    };
    let step_day = |by: isize| {
        let selected = selected.clone();
        let len = loaded.days.len();
        Callback::from(move |_: MouseEvent| {
            let next = shown.saturating_add_signed(by).min(len.saturating_sub(1));
            selected.set(Some(next));
        })
    };
    let on_saved = {
        let reload = reload.clone();
        let editing = editing.clone();
        let message = message.clone();
        Callback::from(move |text: String| {
            editing.set(None);
            message.set(Some(text));
            reload.set(*reload + 1);
        })
    };
    let on_edit = {
        let editing = editing.clone();
        let message = message.clone();
        Callback::from(move |target: Option<(Uuid, NaiveDate)>| {
            message.set(None);
            editing.set(target);
        })
    };
    html! {
        <section class="timetable" aria-labelledby="timetable-week">
            <div class="timetable__weeknav">
                <button type="button" class="button button--secondary" id="timetable-previous-week"
                    onclick={step_week(-7)}>{ i18n.t("timetable.previous_week") }</button>
                <h2 id="timetable-week" class="timetable__week">
                    { i18n.tf("timetable.week", &[("week", &week_number(loaded.week_start))]) }
                </h2>
                <button type="button" class="button button--secondary" id="timetable-next-week"
                    onclick={step_week(7)}>{ i18n.t("timetable.next_week") }</button>
            </div>
            <div class="timetable__daynav">
                <button type="button" class="button button--secondary" id="timetable-previous-day"
                    disabled={shown == 0} onclick={step_day(-1)}
                    aria-label={i18n.t("timetable.previous_day")}>{ "‹" }</button>
                <p class="timetable__shown" aria-live="polite">
                    { day_title(&i18n, &loaded.days[shown], loaded.today) }
                </p>
                <button type="button" class="button button--secondary" id="timetable-next-day"
                    disabled={shown + 1 >= loaded.days.len()} onclick={step_day(1)}
                    aria-label={i18n.t("timetable.next_day")}>{ "›" }</button>
            </div>
            { status_message("timetable-status", message.as_deref()) }
            <div class="timetable__days">
                { for loaded.days.iter().enumerate().map(|(i, day)| html! {
                    <Day
                        key={day.date.to_string()}
                        day={day.clone()}
                        today={loaded.today}
                        selected={i == shown}
                        owner={props.owner}
                        editing={*editing}
                        on_edit={on_edit.clone()}
                        on_saved={on_saved.clone()}
                        editor={props.editor.clone()}
                    />
                }) }
            </div>
        </section>
    }
}

fn day_title(i18n: &I18n, day: &TimetableDay, today: NaiveDate) -> String {
    let date = i18n.weekday_date(day.date);
    if day.date == today {
        format!("{} – {date}", i18n.t("timetable.today"))
    } else {
        date
    }
}

#[derive(Properties, PartialEq)]
struct DayProps {
    day: TimetableDay,
    today: NaiveDate,
    selected: bool,
    owner: TimetableOwner,
    editing: Option<(Uuid, NaiveDate)>,
    on_edit: Callback<Option<(Uuid, NaiveDate)>>,
    on_saved: Callback<String>,
    editor: Option<Callback<ChangeFormProps, Html>>,
}

#[function_component]
fn Day(props: &DayProps) -> Html {
    let i18n = use_i18n();
    let day = &props.day;
    let heading_id = format!("timetable-day-{}", day.date);
    let class = classes!(
        "timetable__day",
        props.selected.then_some("timetable__day--selected"),
        (day.date == props.today).then_some("timetable__day--today"),
    );
    let body = if day.kind != SchoolDayKind::SchoolDay {
        html! { <p class="timetable__off">{ i18n.t(&format!("timetable.day.{}", day.kind.code())).to_owned() }</p> }
    } else if day.lessons.is_empty() {
        html! { <p class="timetable__off">{ i18n.t("timetable.no_lessons") }</p> }
    } else {
        html! {
            <ol class="timetable__lessons" aria-labelledby={heading_id.clone()}>
                { for day.lessons.iter().map(|lesson| {
                    let editable = props.editor.is_some()
                        && day.date >= props.today
                        && lesson.permitted_actions.contains(&LessonAction::RecordChange);
                    let open = props.editing == Some((lesson.lesson_id, day.date));
                    let cancelled = lesson.change.as_ref().is_some_and(|c| c.kinds.contains(&LessonChangeKind::Cancelled));
                    let takes_attendance = props.editor.is_some()
                        && day.date <= props.today
                        && !cancelled
                        && lesson.permitted_actions.contains(&LessonAction::TakeAttendance);
                    html! {
                        <li key={lesson.lesson_id.to_string()}>
                            { lesson_html(&i18n, lesson, props.owner) }
                            if takes_attendance {
                                <a class="button button--secondary timetable__attendance"
                                    href={Route::Attendance { lesson_id: lesson.lesson_id, date: day.date }.to_path()}>
                                    { i18n.t("attendance.take") }
                                    <span class="visually-hidden">{ format!(": {} {}", activity_text(&i18n, lesson), lesson.starts_at) }</span>
                                </a>
                            }
                            if editable && !open {
                                <button type="button" class="button button--secondary timetable__edit"
                                    onclick={{
                                        let on_edit = props.on_edit.clone();
                                        let target = (lesson.lesson_id, day.date);
                                        Callback::from(move |_: MouseEvent| on_edit.emit(Some(target)))
                                    }}>
                                    { i18n.t("timetable.record_change") }
                                    <span class="visually-hidden">{ format!(": {} {}", activity_text(&i18n, lesson), lesson.starts_at) }</span>
                                </button>
                            }
                            if let (true, Some(editor)) = (open, &props.editor) {
                                { editor.emit(ChangeFormProps {
                                    lesson: lesson.clone(),
                                    date: day.date,
                                    on_cancel: props.on_edit.reform(|_: ()| None),
                                    on_saved: props.on_saved.clone(),
                                }) }
                            }
                        </li>
                    }
                }) }
            </ol>
        }
    };
    html! {
        <section {class} aria-labelledby={heading_id.clone()}>
            <h3 id={heading_id} class="timetable__dayname">{ day_title(&i18n, day, props.today) }</h3>
            { body }
        </section>
    }
}

fn activity_text(i18n: &I18n, lesson: &TimetableLesson) -> String {
    i18n.t(&format!("timetable.activity.{}", lesson.activity.code()))
        .to_owned()
}

// Out of line: the week and a pupil's today both draw lessons, and one copy is enough.
#[inline(never)]
fn lesson_html(i18n: &I18n, lesson: &TimetableLesson, owner: TimetableOwner) -> Html {
    let change = lesson.change.as_ref();
    let has = |kind| change.is_some_and(|c| c.kinds.contains(&kind));
    let cancelled = has(LessonChangeKind::Cancelled);
    let class = classes!(
        "lesson",
        (lesson.activity == skolportal_shared::api::Activity::Lunch).then_some("lesson--lunch"),
        change.is_some().then_some("lesson--changed"),
        cancelled.then_some("lesson--cancelled"),
    );
    let was = |value: &str| i18n.tf("timetable.was", &[("value", value)]);
    html! {
        <article {class}>
            <p class="lesson__time">
                // Times read left to right in every language.
                <span dir="ltr">{ format!("{}–{}", lesson.starts_at, lesson.ends_at) }</span>
                if has(LessonChangeKind::TimeChanged) {
                    if let Some(c) = change {
                        { " " }<span class="lesson__was">{ was(&format!("\u{2066}{}–{}\u{2069}", c.planned_starts_at, c.planned_ends_at)) }</span>
                    }
                }
            </p>
            <p class="lesson__activity">{ activity_text(i18n, lesson) }</p>
            if let Some(dish) = &lesson.dish {
                <p class="lesson__dish">{ dish.clone() }</p>
            }
            if let Some(dish) = &lesson.vegetarian_dish {
                <p class="lesson__dish lesson__dish--vegetarian">{ i18n.tf("start.vegetarian", &[("dish", dish)]) }</p>
            }
            if let Some(c) = change {
                <ul class="lesson__changes">
                    { for c.kinds.iter().map(|kind| html! {
                        <li class={classes!("change-badge", format!("change-badge--{}", kind.code()))}>
                            { i18n.t(&format!("timetable.change.{}", kind.code())).to_owned() }
                        </li>
                    }) }
                </ul>
            }
            <p class="lesson__details">
                if owner == TimetableOwner::Teacher {
                    <span>{ format!("{} {}", i18n.t("timetable.group"), lesson.group_name) }</span>
                }
                if let Some(room) = &lesson.room {
                    <span>
                        // Rooms have names ("Aulan", "B12"): the word is for screen readers.
                        <span class="visually-hidden">{ format!("{} ", i18n.t("timetable.room")) }</span>
                        { room.clone() }
                        if has(LessonChangeKind::RoomChanged) {
                            if let Some(planned) = change.and_then(|c| c.planned_room.as_deref()) {
                                { " " }<span class="lesson__was">{ was(planned) }</span>
                            }
                        }
                    </span>
                }
                if let Some(teacher) = &lesson.teacher_name {
                    <span>
                        { teacher.clone() }
                        if has(LessonChangeKind::Substitute) {
                            if let Some(planned) = change.and_then(|c| c.planned_teacher_name.as_deref()) {
                                { " " }<span class="lesson__was">{ was(planned) }</span>
                            }
                        }
                    </span>
                }
            </p>
            if let Some(note) = change.and_then(|c| c.note.as_deref()) {
                <p class="lesson__note">{ note.to_owned() }</p>
            }
        </article>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ChangeFormProps {
    lesson: TimetableLesson,
    date: NaiveDate,
    on_cancel: Callback<()>,
    on_saved: Callback<String>,
}

/// The `editor` a page passes to [`Timetable`] to let the asker record changes.
pub fn change_form() -> Callback<ChangeFormProps, Html> {
    Callback::from(|props: ChangeFormProps| html! { <ChangeForm ..props /> })
}

/// Records a change for one lesson on one day. Checked as the teacher submits with the same
/// rule the server decides with (`shared::timetable::parse_change`).
#[function_component]
fn ChangeForm(props: &ChangeFormProps) -> Html {
    let i18n = use_i18n();
    let lesson = &props.lesson;
    let change = lesson.change.as_ref();
    let input = use_state(|| LessonChangeInput {
        cancelled: change.is_some_and(|c| c.kinds.contains(&LessonChangeKind::Cancelled)),
        note: change.and_then(|c| c.note.clone()),
        ..LessonChangeInput::default()
    });
    let substitutes = use_state(Vec::<SubstituteCandidate>::new);
    let error = use_state(|| None::<String>);
    {
        let substitutes = substitutes.clone();
        use_effect_with(lesson.lesson_id, move |id| {
            let id = *id;
            spawn_local(async move {
                if let Ok(list) = api::substitutes(id).await {
                    substitutes.set(list);
                }
            });
        });
    }
    let prefix = format!("change-{}", lesson.lesson_id);
    let id = |field: &str| format!("{prefix}-{field}");
    let text_input = |set: fn(&mut LessonChangeInput, Option<String>)| {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            let value: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut next = (*input).clone();
            let text = value.value();
            set(&mut next, (!text.trim().is_empty()).then_some(text));
            input.set(next);
        })
    };
    let on_cancelled = {
        let input = input.clone();
        Callback::from(move |e: Event| {
            let value: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut next = (*input).clone();
            next.cancelled = value.checked();
            if next.cancelled {
                next.substitute_teacher_id = None;
                next.room = None;
                next.starts_at = None;
                next.ends_at = None;
            }
            input.set(next);
        })
    };
    let on_substitute = {
        let input = input.clone();
        Callback::from(move |e: Event| {
            let value: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*input).clone();
            next.substitute_teacher_id = Uuid::parse_str(&value.value()).ok();
            input.set(next);
        })
    };
    let planned = PlannedLesson {
        starts_at: skolportal_shared::calendar::parse_time_of_day(
            change.map_or(&lesson.starts_at, |c| &c.planned_starts_at),
        )
        .unwrap_or_default(),
        ends_at: skolportal_shared::calendar::parse_time_of_day(
            change.map_or(&lesson.ends_at, |c| &c.planned_ends_at),
        )
        .unwrap_or_default(),
        // Which teacher and room were planned only matters on the server; here the check is
        // of what was typed.
        teacher_id: None,
        room: None,
    };
    let on_submit = {
        let input = input.clone();
        let error = error.clone();
        let on_saved = props.on_saved.clone();
        let (lesson_id, date) = (lesson.lesson_id, props.date);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(refused) = parse_change(&input, &planned) {
                error.set(Some(
                    i18n.t(&format!("timetable.change_error.{}", refused.code()))
                        .to_owned(),
                ));
                return;
            }
            let body = (*input).clone();
            let error = error.clone();
            let on_saved = on_saved.clone();
            spawn_local(async move {
                match api::record_lesson_change(lesson_id, date, &body).await {
                    Ok(()) => on_saved.emit(i18n.t("timetable.change_saved").to_owned()),
                    Err(err) => error.set(Some(change_error_text(&i18n, &err))),
                }
            });
        })
    };
    let on_clear = {
        let error = error.clone();
        let on_saved = props.on_saved.clone();
        let (lesson_id, date) = (lesson.lesson_id, props.date);
        Callback::from(move |_: MouseEvent| {
            let error = error.clone();
            let on_saved = on_saved.clone();
            spawn_local(async move {
                match api::clear_lesson_change(lesson_id, date).await {
                    Ok(()) => on_saved.emit(i18n.t("timetable.change_cleared").to_owned()),
                    Err(err) => error.set(Some(change_error_text(&i18n, &err))),
                }
            });
        })
    };
    let heading = i18n.tf(
        "timetable.change_heading",
        &[
            ("activity", &activity_text(&i18n, lesson)),
            ("date", &i18n.weekday_date(props.date)),
        ],
    );
    let error_id = id("error");
    html! {
        <form class="change-form" onsubmit={on_submit} aria-labelledby={id("heading")} novalidate=true>
            <h4 id={id("heading")}>{ heading }</h4>
            <div class="checkbox">
                <input type="checkbox" class="checkbox__input" id={id("cancelled")} checked={input.cancelled} onchange={on_cancelled} />
                <label class="checkbox__label" for={id("cancelled")}>{ i18n.t("timetable.change_cancelled") }</label>
            </div>
            if !input.cancelled {
                <div class="field">
                    <label class="field__label" for={id("substitute")}>{ i18n.t("timetable.change_substitute") }</label>
                    <select class="field__input" id={id("substitute")} onchange={on_substitute}>
                        <option value="" selected={input.substitute_teacher_id.is_none()}>{ i18n.t("timetable.no_substitute") }</option>
                        { for substitutes.iter().map(|s| html! {
                            <option value={s.person_id.to_string()} selected={input.substitute_teacher_id == Some(s.person_id)}>{ s.name.clone() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for={id("room")}>{ i18n.t("timetable.change_room") }</label>
                    <input type="text" class="field__input" id={id("room")} maxlength="40" autocomplete="off"
                        value={input.room.clone().unwrap_or_default()}
                        oninput={text_input(|i, v| i.room = v)} />
                </div>
                <div class="timetable__times">
                    <div class="field">
                        <label class="field__label" for={id("starts")}>{ i18n.t("timetable.change_starts_at") }</label>
                        <input type="text" class="field__input" inputmode="numeric" id={id("starts")} placeholder={lesson.starts_at.clone()} autocomplete="off"
                            value={input.starts_at.clone().unwrap_or_default()}
                            oninput={text_input(|i, v| i.starts_at = v)} />
                    </div>
                    <div class="field">
                        <label class="field__label" for={id("ends")}>{ i18n.t("timetable.change_ends_at") }</label>
                        <input type="text" class="field__input" inputmode="numeric" id={id("ends")} placeholder={lesson.ends_at.clone()} autocomplete="off"
                            value={input.ends_at.clone().unwrap_or_default()}
                            oninput={text_input(|i, v| i.ends_at = v)} />
                    </div>
                </div>
            }
            <div class="field">
                <label class="field__label" for={id("note")}>{ i18n.t("timetable.change_note") }</label>
                <input type="text" class="field__input" id={id("note")} maxlength="300" autocomplete="off"
                    value={input.note.clone().unwrap_or_default()}
                    oninput={text_input(|i, v| i.note = v)} />
            </div>
            <div id={error_id} class="live-region" role="alert" aria-live="assertive">
                if let Some(text) = &*error {
                    <p class="alert alert--error">{ text.clone() }</p>
                }
            </div>
            <div class="actions">
                <button type="submit" class="button" id={id("save")}>{ i18n.t("timetable.save_change") }</button>
                if lesson.change.is_some() {
                    <button type="button" class="button button--secondary" id={id("clear")} onclick={on_clear}>{ i18n.t("timetable.clear_change") }</button>
                }
                <button type="button" class="button button--secondary" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ i18n.t("timetable.cancel_edit") }</button>
            </div>
        </form>
    }
}

fn change_error_text(i18n: &I18n, err: &ClientError) -> String {
    let key = match err {
        ClientError::Api(api) => match &api.code {
            crate::api::ErrorCode::Other(code) => format!("timetable.change_error.{code}"),
            _ => String::new(),
        },
        _ => String::new(),
    };
    let text = i18n.t(&key);
    if key.is_empty() || text == key {
        crate::components::error_text(i18n, err)
    } else {
        text.to_owned()
    }
}

#[derive(Properties, PartialEq)]
pub struct PupilTodayProps {
    /// The pupil (the logged-in one: this is their start page).
    pub pupil: Uuid,
}

/// A pupil's start: today's next lesson first (the one going on or next by the phone's clock,
/// `timetable::next_lesson`), then the rest of the day, with today's changes marked as on the
/// schedule. A phone whose date is not the school's day shows the day from its first lesson.
#[function_component]
pub fn PupilToday(props: &PupilTodayProps) -> Html {
    let i18n = use_i18n();
    let state = use_state(|| State::Loading);
    {
        let state = state.clone();
        use_effect_with(props.pupil, move |pupil| {
            let pupil = *pupil;
            spawn_local(async move {
                match api::timetable(TimetableOwner::Pupil, pupil, None).await {
                    Ok(week) => state.set(State::Loaded(Box::new(week))),
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    let body = match &*state {
        State::Loading => loading(&i18n),
        State::Failed(err) => error_alert(&i18n, "pupil-today-error", Some(err), None),
        State::Loaded(week) => {
            let today = week.days.iter().find(|d| d.date == week.today);
            let now = crate::dom::now().map(crate::i18n::swedish_time);
            let clock = now
                .filter(|now| now.date() == week.today)
                .map(|now| format!("{:02}:{:02}", now.hour(), now.minute()));
            match today {
                Some(day) if day.kind != SchoolDayKind::SchoolDay => html! {
                    <p class="empty-state">{ i18n.t(&format!("timetable.day.{}", day.kind.code())).to_owned() }</p>
                },
                Some(day) => match timetable::next_lesson(&day.lessons, clock.as_deref()) {
                    Some(next) => html! {
                        <>
                            <h3 class="pupil-today__heading">{ i18n.t("pupil.next_lesson") }</h3>
                            <div class="pupil-today__next">{ lesson_html(&i18n, &day.lessons[next], week.owner) }</div>
                            if day.lessons.len() > next + 1 {
                                <h3 class="pupil-today__heading">{ i18n.t("pupil.rest_of_day") }</h3>
                                <ol class="timetable__lessons">
                                    { for day.lessons[next + 1..].iter().map(|lesson| html! {
                                        <li key={lesson.lesson_id.to_string()}>{ lesson_html(&i18n, lesson, week.owner) }</li>
                                    }) }
                                </ol>
                            }
                        </>
                    },
                    None => {
                        html! { <p class="empty-state">{ i18n.t("pupil.no_more_lessons") }</p> }
                    }
                },
                None => html! { <p class="empty-state">{ i18n.t("pupil.weekend") }</p> },
            }
        }
    };
    html! {
        <section class="pupil-today" aria-labelledby="pupil-today">
            <h2 id="pupil-today">{ i18n.t("start.today") }</h2>
            { body }
            <p>{ crate::components::link(crate::app::Route::Timetable, "", html! { { i18n.t("pupil.whole_timetable") } }) }</p>
        </section>
    }
}
