//! Booking development talks, in the talks' app. `/samtal/{pupil}/boka` is a guardian's: the
//! times the mentor published for the pupil's class, the pupil's booking and who comes, and
//! booking, moving, joining or cancelling it until the last day. `/samtal/grupp/{group}` is the
//! mentor's: publishing a series of times (checked by `shared::talk_booking` before it is sent)
//! and seeing who booked which, and who has not yet.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use skolportal_shared::api::{
    FamilyTalkBooking, FamilyTalkRound, FamilyTalkSlot, GroupTalkTimes, PupilTalkTimes,
    TalkBookingInput, TalkRoundInput, TalkSlotState,
};
use skolportal_shared::calendar::parse_time_of_day;
use skolportal_shared::talk_booking::{check_round, series};
use uuid::Uuid;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{error_alert, loading, status_message};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

fn when(i18n: &I18n, date: NaiveDate, from: &str, to: &str) -> String {
    format!("{} {from}–{to}", i18n.weekday_date(date))
}

fn names(people: &[skolportal_shared::api::TalkPerson]) -> String {
    people
        .iter()
        .map(|p| format!("{} {}", p.given_name, p.family_name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the talks are: the place, the video link, or both.
fn place_html(i18n: &I18n, place: &str, link: Option<&str>) -> Html {
    html! {
        <p>
            if !place.is_empty() {
                { i18n.tf("talk_booking.place", &[("place", place)]) }
            }
            if let Some(link) = link {
                { " " }
                <a href={link.to_owned()} rel="noopener noreferrer">{ i18n.t("talk_booking.video_link") }</a>
            }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct TalkBookingProps {
    pub pupil: Uuid,
}

/// What a guardian's button does. Booking and moving carry the time chosen in that round, if
/// any, so that a choice in one round never books another.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Book { slot: Option<Uuid>, separate: bool },
    Move { booking: Uuid, slot: Option<Uuid> },
    Join(Uuid),
    Cancel(Uuid),
}

/// Whether the talks may be booked one per guardian.
fn separate_html(i18n: &I18n, separate: bool) -> Html {
    html! {
        <p>{ i18n.t(if separate { "talk_booking.separate_allowed" } else { "talk_booking.separate_not_allowed" }) }</p>
    }
}

#[function_component]
pub fn TalkBookingPage(props: &TalkBookingProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("talk_booking.title"));
    let loaded = use_state(|| None::<Result<PupilTalkTimes, ClientError>>);
    let failed = use_state(|| None::<ClientError>);
    let told = use_state(|| None::<&'static str>);
    let chosen = use_state(|| None::<Uuid>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.pupil, move |pupil| {
            let pupil = *pupil;
            spawn_local(async move { loaded.set(Some(api::talk_times(pupil).await)) });
        });
    }
    let act = {
        let (loaded, failed, told, chosen, pupil) = (
            loaded.clone(),
            failed.clone(),
            told.clone(),
            chosen.clone(),
            props.pupil,
        );
        Callback::from(move |action: Action| {
            let (loaded, failed, told, chosen) =
                (loaded.clone(), failed.clone(), told.clone(), chosen.clone());
            spawn_local(async move {
                let (result, key) = match action {
                    Action::Book { slot, separate } => {
                        let Some(slot_id) = slot else {
                            told.set(Some("talk_booking.choose_first"));
                            return;
                        };
                        let input = TalkBookingInput { slot_id, separate };
                        (api::book_talk(pupil, &input).await, "talk_booking.booked")
                    }
                    Action::Move { booking, slot } => {
                        let Some(slot_id) = slot else {
                            told.set(Some("talk_booking.choose_first"));
                            return;
                        };
                        (
                            api::move_talk(pupil, booking, slot_id).await,
                            "talk_booking.moved",
                        )
                    }
                    Action::Join(booking) => {
                        (api::join_talk(pupil, booking).await, "talk_booking.joined")
                    }
                    Action::Cancel(booking) => (
                        api::cancel_talk(pupil, booking).await,
                        "talk_booking.cancelled",
                    ),
                };
                match result {
                    Ok(now) => {
                        failed.set(None);
                        told.set(Some(key));
                        chosen.set(None);
                        loaded.set(Some(Ok(now)));
                    }
                    Err(err) => {
                        told.set(None);
                        failed.set(Some(err));
                        // Someone may have been first: show the times as they are now.
                        if let Ok(now) = api::talk_times(pupil).await {
                            loaded.set(Some(Ok(now)));
                        }
                    }
                }
            });
        })
    };
    let times = match &*loaded {
        None => return html! { <><h1>{ i18n.t("talk_booking.title") }</h1>{ loading(&i18n) }</> },
        Some(Err(err)) => {
            return html! {
                <>
                    <h1>{ i18n.t("talk_booking.title") }</h1>
                    { error_alert(&i18n, "talk-load-error", Some(err), None) }
                </>
            }
        }
        Some(Ok(times)) => times,
    };
    // The buttons' ids are the first open round's; every round's have their classes.
    let first_open = times.rounds.iter().position(|r| r.open);
    html! {
        <>
            <h1>{ i18n.tf("talk_booking.heading", &[("name", &times.pupil_given_name)]) }</h1>
            { status_message("talk-status", told.map(|k| i18n.t(k))) }
            if let Some(err) = &*failed {
                { error_alert(&i18n, "talk-error", Some(err), None) }
            }
            if times.rounds.is_empty() {
                <p class="empty-state">{ i18n.t("talk_booking.none") }</p>
            }
            { for times.rounds.iter().enumerate().map(|(i, round)| {
                round_html(&i18n, round, first_open == Some(i), &chosen, &act)
            }) }
        </>
    }
}

/// A round's times by day, in the order the server sends them (by day and time).
fn by_day(slots: &[FamilyTalkSlot]) -> Vec<(NaiveDate, Vec<&FamilyTalkSlot>)> {
    let mut days: Vec<(NaiveDate, Vec<&FamilyTalkSlot>)> = Vec::new();
    for slot in slots {
        match days.last_mut() {
            Some((day, list)) if *day == slot.date => list.push(slot),
            _ => days.push((slot.date, vec![slot])),
        }
    }
    days
}

fn round_html(
    i18n: &I18n,
    round: &FamilyTalkRound,
    ids: bool,
    chosen: &UseStateHandle<Option<Uuid>>,
    act: &Callback<Action>,
) -> Html {
    let heading_id = format!("round-{}", round.round_id);
    let mine = round.bookings.iter().find(|b| b.attending);
    let shared = round.bookings.iter().find(|b| !b.separate);
    let free = round.slots.iter().any(|s| s.state == TalkSlotState::Free);
    // The times are offered only with a button to act on them: moving one's own booking,
    // booking when the pupil has none shared, or booking a talk of one's own where allowed. The
    // other guardian of a shared booking is offered to join it instead (in its card).
    let can_choose = mine.is_some() || shared.is_none() || round.separate_talks;
    // The time chosen, if it is one of this round's.
    let slot = (**chosen).filter(|id| round.slots.iter().any(|s| s.slot_id == *id));
    let on = |action: Action| {
        let act = act.clone();
        Callback::from(move |_: MouseEvent| act.emit(action))
    };
    let id = |id: &'static str| ids.then_some(id);
    html! {
        <section class="section talk-round" aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id}>{ i18n.tf("talk_booking.round", &[("group", &round.group_name), ("mentor", &round.mentor_name)]) }</h2>
            { place_html(i18n, &round.place, round.video_link.as_deref()) }
            <p>{ i18n.tf("talk_booking.book_by", &[("date", &i18n.date(round.book_by))]) }</p>
            { separate_html(i18n, round.separate_talks) }
            if !round.open {
                <p class="notice">{ i18n.t("talk_booking.closed") }</p>
            }
            { for round.bookings.iter().map(|b| booking_html(i18n, b, round.open, &on)) }
            if round.open && free && can_choose {
                <fieldset class="radio-group talk-slots">
                    <legend class="radio-group__legend">{ i18n.t("talk_booking.choose") }</legend>
                    { for by_day(&round.slots).into_iter().map(|(day, slots)| html! {
                        <fieldset class="radio-group talk-day">
                            <legend class="talk-day__legend">{ i18n.weekday_date(day) }</legend>
                            { for slots.into_iter().map(|s| slot_html(i18n, round, s, chosen)) }
                        </fieldset>
                    }) }
                </fieldset>
                <div class="consent__actions">
                    if let Some(mine) = mine {
                        <button type="button" id={id("talk-move")} class="button button--primary talk-move"
                            onclick={on(Action::Move { booking: mine.booking_id, slot })}>
                            { i18n.t("talk_booking.move") }
                        </button>
                    } else {
                        if shared.is_none() {
                            <button type="button" id={id("talk-book")} class="button button--primary talk-book"
                                onclick={on(Action::Book { slot, separate: false })}>
                                { i18n.t("talk_booking.book") }
                            </button>
                        }
                        if round.separate_talks {
                            <button type="button" id={id("talk-book-separate")} class="button button--secondary talk-book-separate"
                                onclick={on(Action::Book { slot, separate: true })}>
                                { i18n.t("talk_booking.book_separate") }
                            </button>
                        }
                    }
                </div>
            }
        </section>
    }
}

/// One time as a radio button: its hours, and in words when it cannot be chosen.
fn slot_html(
    i18n: &I18n,
    round: &FamilyTalkRound,
    slot: &FamilyTalkSlot,
    chosen: &UseStateHandle<Option<Uuid>>,
) -> Html {
    let id = format!("slot-{}", slot.slot_id);
    let slot_id = slot.slot_id;
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |_: Event| chosen.set(Some(slot_id)))
    };
    let state = match slot.state {
        TalkSlotState::Free => None,
        TalkSlotState::Taken => Some(i18n.t("talk_booking.taken")),
        TalkSlotState::Ours => Some(i18n.t("talk_booking.ours")),
    };
    html! {
        <div class="radio">
            <input class="radio__input talk-slot" type="radio" name={format!("slots-{}", round.round_id)}
                id={id.clone()} value={slot_id.to_string()} data-slot={slot_id.to_string()}
                disabled={state.is_some()} checked={**chosen == Some(slot_id)} {onchange} />
            <label class="radio__label" for={id}>
                { format!("{}–{}", slot.starts_at, slot.ends_at) }
                if let Some(state) = state {
                    { format!(" ({state})") }
                }
            </label>
        </div>
    }
}

fn booking_html(
    i18n: &I18n,
    booking: &FamilyTalkBooking,
    open: bool,
    on: &dyn Fn(Action) -> Callback<MouseEvent>,
) -> Html {
    html! {
        <div class="card talk-booking">
            <h3 class="card__title">
                { if booking.separate { i18n.t("talk_booking.separate_talk") } else { i18n.t("talk_booking.your_talk") } }
            </h3>
            <p class="talk-booking__when">{ when(i18n, booking.date, &booking.starts_at, &booking.ends_at) }</p>
            <p>{ i18n.tf("talk_booking.coming", &[("names", &names(&booking.attendees))]) }</p>
            if open {
                <div class="consent__actions">
                    if booking.attending {
                        <button type="button" class="button button--secondary talk-cancel" onclick={on(Action::Cancel(booking.booking_id))}>
                            { i18n.t("talk_booking.cancel") }
                        </button>
                    } else if !booking.separate {
                        <button type="button" class="button button--primary talk-join" onclick={on(Action::Join(booking.booking_id))}>
                            { i18n.t("talk_booking.join") }
                        </button>
                    }
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TalkTimesProps {
    pub group: Uuid,
}

/// The mentor's form, as typed.
#[derive(Clone, PartialEq)]
struct Form {
    date: String,
    first: String,
    minutes: String,
    pause: String,
    count: String,
    place: String,
    link: String,
    separate: bool,
    book_by: String,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            date: String::new(),
            first: "14:00".into(),
            minutes: "20".into(),
            pause: "5".into(),
            count: "8".into(),
            place: String::new(),
            link: String::new(),
            separate: false,
            book_by: String::new(),
        }
    }
}

/// The day before a typed date, as the date input writes it.
fn day_before(date: &str) -> Option<String> {
    skolportal_shared::wire_date::parse_date(date)
        .and_then(|d| d.pred_opt())
        .map(|d| d.to_string())
}

/// A new day moves the last day to book along with it, unless the mentor chose another one.
fn set_date(form: &mut Form, date: String) {
    if form.book_by.is_empty() || day_before(&form.date).as_deref() == Some(form.book_by.as_str()) {
        form.book_by = day_before(&date).unwrap_or_default();
    }
    form.date = date;
}

impl Form {
    fn round(&self) -> Option<TalkRoundInput> {
        let date = skolportal_shared::wire_date::parse_date(&self.date)?;
        let first: NaiveTime = parse_time_of_day(&self.first)?;
        let number = |s: &str| s.trim().parse::<u32>().ok();
        let book_by =
            skolportal_shared::wire_date::parse_date(&self.book_by).or_else(|| date.pred_opt())?;
        let link = self.link.trim();
        Some(TalkRoundInput {
            place: self.place.trim().to_owned(),
            video_link: (!link.is_empty()).then(|| link.to_owned()),
            separate_talks: self.separate,
            book_by,
            slots: series(
                date,
                first,
                number(&self.minutes)?,
                number(&self.pause)?,
                number(&self.count)?,
            ),
        })
    }
}

#[function_component]
pub fn TalkTimesPage(props: &TalkTimesProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("talk_booking.times_title"));
    let loaded = use_state(|| None::<Result<GroupTalkTimes, ClientError>>);
    let form = use_state(Form::default);
    let problem = use_state(|| None::<String>);
    let failed = use_state(|| None::<ClientError>);
    let told = use_state(|| None::<&'static str>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.group, move |group| {
            let group = *group;
            spawn_local(async move { loaded.set(Some(api::group_talk_times(group).await)) });
        });
    }
    // Every keystroke, so that the preview follows and a click on "publish" sees the last one.
    let field = |set: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*form).clone();
            set(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>().value(),
            );
            form.set(next);
        })
    };
    let on_separate = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let mut next = (*form).clone();
            next.separate = e.target_unchecked_into::<HtmlInputElement>().checked();
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, problem, failed, told, loaded, group) = (
            form.clone(),
            problem.clone(),
            failed.clone(),
            told.clone(),
            loaded.clone(),
            props.group,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = form.round() else {
                problem.set(Some(i18n.t("talk_booking.form_incomplete").to_owned()));
                return;
            };
            // The shape of the round is checked here; what has begun the server decides, by its
            // clock rather than the device's.
            if let Err(err) = check_round(&input, NaiveDateTime::MIN) {
                problem.set(Some(i18n.t(&format!("error.{}", err.code())).to_owned()));
                return;
            }
            problem.set(None);
            let (failed, told, loaded, form) =
                (failed.clone(), told.clone(), loaded.clone(), form.clone());
            spawn_local(async move {
                match api::publish_talk_times(group, &input).await {
                    Ok(now) => {
                        failed.set(None);
                        told.set(Some("talk_booking.published"));
                        form.set(Form::default());
                        loaded.set(Some(Ok(now)));
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let times = match &*loaded {
        None => {
            return html! { <><h1>{ i18n.t("talk_booking.times_title") }</h1>{ loading(&i18n) }</> }
        }
        Some(Err(err)) => {
            return html! {
                <>
                    <h1>{ i18n.t("talk_booking.times_title") }</h1>
                    { error_alert(&i18n, "talk-load-error", Some(err), None) }
                </>
            }
        }
        Some(Ok(times)) => times,
    };
    let preview = form.round().map(|r| r.slots).unwrap_or_default();
    let input = |id: &'static str,
                 label: &str,
                 kind: &'static str,
                 value: &str,
                 set: fn(&mut Form, String)| {
        html! {
            <div class="field">
                <label class="field__label" for={id}>{ label.to_owned() }</label>
                <input class="field__input" {id} name={id} type={kind} value={value.to_owned()} oninput={field(set)} />
            </div>
        }
    };
    html! {
        <>
            <h1>{ i18n.tf("talk_booking.times_heading", &[("group", &times.group_name)]) }</h1>
            { status_message("talk-status", told.map(|k| i18n.t(k))) }
            <section class="section" aria-labelledby="talk-publish-heading">
                <h2 id="talk-publish-heading">{ i18n.t("talk_booking.publish_heading") }</h2>
                if let Some(text) = &*problem {
                    { error_alert(&i18n, "talk-problem", None, Some(text.as_str())) }
                }
                if let Some(err) = &*failed {
                    { error_alert(&i18n, "talk-error", Some(err), None) }
                }
                <form class="form" {onsubmit} novalidate=true>
                    { input("talk-date", i18n.t("talk_booking.date"), "date", &form.date, set_date) }
                    { input("talk-first", i18n.t("talk_booking.first"), "time", &form.first, |f, v| f.first = v) }
                    { input("talk-minutes", i18n.t("talk_booking.minutes"), "number", &form.minutes, |f, v| f.minutes = v) }
                    { input("talk-pause", i18n.t("talk_booking.pause"), "number", &form.pause, |f, v| f.pause = v) }
                    { input("talk-count", i18n.t("talk_booking.count"), "number", &form.count, |f, v| f.count = v) }
                    { input("talk-place", i18n.t("talk_booking.place_label"), "text", &form.place, |f, v| f.place = v) }
                    { input("talk-link", i18n.t("talk_booking.link_label"), "url", &form.link, |f, v| f.link = v) }
                    { input("talk-book-by", i18n.t("talk_booking.book_by_label"), "date", &form.book_by, |f, v| f.book_by = v) }
                    <div class="checkbox">
                        <input class="checkbox__input" type="checkbox" id="talk-separate" checked={form.separate} onchange={on_separate} />
                        <label class="checkbox__label" for="talk-separate">{ i18n.t("talk_booking.separate_label") }</label>
                    </div>
                    if !preview.is_empty() {
                        <div>
                            <p>{ i18n.t("talk_booking.preview") }</p>
                            <ul class="plain-list talk-preview">
                                { for preview.iter().map(|s| html! { <li>{ when(&i18n, s.date, &s.starts_at, &s.ends_at) }</li> }) }
                            </ul>
                        </div>
                    }
                    <button type="submit" id="talk-publish" class="button button--primary">{ i18n.t("talk_booking.publish") }</button>
                </form>
            </section>
            if times.rounds.is_empty() {
                <p class="empty-state">{ i18n.t("talk_booking.none_published") }</p>
            }
            { for times.rounds.iter().map(|round| {
                let heading_id = format!("round-{}", round.round_id);
                let mut days: Vec<NaiveDate> = round.slots.iter().map(|s| s.date).collect();
                days.dedup();
                let days = days.into_iter().map(|d| i18n.weekday_date(d)).collect::<Vec<_>>().join(", ");
                html! {
                    <section class="section talk-round" aria-labelledby={heading_id.clone()}>
                        <h2 id={heading_id}>{ i18n.tf("talk_booking.round_days", &[("days", &days)]) }</h2>
                        { place_html(&i18n, &round.place, round.video_link.as_deref()) }
                        <p>{ i18n.tf("talk_booking.book_by", &[("date", &i18n.date(round.book_by))]) }</p>
                        { separate_html(&i18n, round.separate_talks) }
                        <ul class="card-list talk-slots-booked">
                            { for round.slots.iter().map(|slot| html! {
                                <li class="card">
                                    <p class="talk-booking__when">{ when(&i18n, slot.date, &slot.starts_at, &slot.ends_at) }</p>
                                    <p>{ match &slot.booking {
                                        Some(b) => i18n.tf("talk_booking.booked_by", &[
                                            ("pupil", &format!("{} {}", b.pupil.given_name, b.pupil.family_name)),
                                            ("names", &names(&b.attendees)),
                                        ]),
                                        None => i18n.t("talk_booking.free").to_owned(),
                                    } }</p>
                                </li>
                            }) }
                        </ul>
                        if !round.unbooked.is_empty() {
                            <p>{ i18n.tf("talk_booking.unbooked", &[("names", &names(&round.unbooked))]) }</p>
                        }
                    </section>
                }
            }) }
        </>
    }
}
