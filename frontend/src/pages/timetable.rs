//! `/schema` (families: a pupil's own timetable, or a guardian's children's, one at a time) and
//! `/personal/schema` (a teacher's own, where they record changes), each with the calendar link
//! for the phone's calendar.

use skolportal_shared::api::{CalendarFeed, ChildCard, Role, TimetableOwner};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::timetable::{change_form, Timetable};
use crate::components::{error_alert, loading, status_message};
use crate::hooks::{use_i18n, use_me, use_title, MeState};

/// The families' timetable page.
#[function_component]
pub fn TimetablePage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("timetable.heading"));
    let me = use_me();
    let children = use_state(|| None::<Result<Vec<ChildCard>, ClientError>>);
    let chosen = use_state(|| None::<Uuid>);
    let is_guardian = matches!(&me, MeState::Ready(me) if me.roles.contains(&Role::Guardian));
    {
        let children = children.clone();
        use_effect_with(is_guardian, move |guardian| {
            if *guardian {
                spawn_local(async move {
                    let pupils = api::children().await.map(|list| {
                        list.into_iter()
                            .filter(|c| c.class_name.is_some())
                            .collect::<Vec<_>>()
                    });
                    children.set(Some(pupils));
                });
            }
        });
    }
    let MeState::Ready(me) = me else {
        return loading(&i18n);
    };
    let (person, picker) = if is_guardian {
        let list = match &*children {
            None => return loading(&i18n),
            Some(Err(err)) => return error_alert(&i18n, "timetable-error", Some(err), None),
            Some(Ok(list)) => list,
        };
        let person = chosen.or_else(|| list.first().map(|c| c.id));
        let on_change = {
            let chosen = chosen.clone();
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                chosen.set(Uuid::parse_str(&select.value()).ok());
            })
        };
        let picker = if list.len() > 1 {
            html! {
                <div class="field timetable__whose">
                    <label class="field__label" for="timetable-child">{ i18n.t("timetable.whose") }</label>
                    <select class="field__input" id="timetable-child" onchange={on_change}>
                        { for list.iter().map(|c| html! {
                            <option value={c.id.to_string()} selected={person == Some(c.id)}>
                                { format!("{} {} ({})", c.given_name, c.family_name, c.class_name.clone().unwrap_or_default()) }
                            </option>
                        }) }
                    </select>
                </div>
            }
        } else {
            Html::default()
        };
        (person, picker)
    } else {
        (Some(me.person_id), Html::default())
    };
    html! {
        <div class="page page--wide timetable-page">
            <h1>{ i18n.t("timetable.heading") }</h1>
            { picker }
            if let Some(person) = person {
                <Timetable key={person.to_string()} {person} owner={TimetableOwner::Pupil} />
                <crate::pages::attendance_stats::AttendanceTerm key={format!("attendance-{person}")} pupil={person} />
                <CalendarFeedSection key={format!("feed-{person}")} {person} />
            } else {
                <p class="empty-state">{ i18n.t("timetable.no_timetable") }</p>
            }
        </div>
    }
}

/// The staff's own timetable.
#[function_component]
pub fn StaffTimetablePage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("timetable.heading"));
    let editor = use_memo((), |_| Some(change_form()));
    let MeState::Ready(me) = use_me() else {
        return loading(&i18n);
    };
    let person = me.person_id;
    html! {
        <div class="page page--wide timetable-page">
            <h1>{ i18n.t("timetable.heading") }</h1>
            <Timetable {person} owner={TimetableOwner::Teacher} editor={(*editor).clone()} />
            <CalendarFeedSection {person} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FeedProps {
    person: Uuid,
}

/// Whether a calendar link exists, making or renewing one (its address shown once), and
/// removing it.
#[function_component]
fn CalendarFeedSection(props: &FeedProps) -> Html {
    let i18n = use_i18n();
    let existing = use_state(|| None::<Option<CalendarFeed>>);
    let created = use_state(|| None::<CalendarFeed>);
    let error = use_state(|| None::<ClientError>);
    let message = use_state(|| None::<String>);
    let reload = use_state(|| 0u32);
    {
        let existing = existing.clone();
        let error = error.clone();
        use_effect_with((props.person, *reload), move |(person, _)| {
            let person = *person;
            spawn_local(async move {
                match api::calendar_feeds().await {
                    Ok(feeds) => {
                        existing.set(Some(feeds.into_iter().find(|f| f.person_id == person)))
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        });
    }
    let on_create = {
        let created = created.clone();
        let error = error.clone();
        let message = message.clone();
        let reload = reload.clone();
        let person = props.person;
        Callback::from(move |_: MouseEvent| {
            let created = created.clone();
            let error = error.clone();
            let reload = reload.clone();
            message.set(None);
            spawn_local(async move {
                match api::create_calendar_feed(person).await {
                    Ok(feed) => {
                        created.set(Some(feed));
                        reload.set(*reload + 1);
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };
    let on_revoke = {
        let created = created.clone();
        let error = error.clone();
        let message = message.clone();
        let reload = reload.clone();
        let person = props.person;
        Callback::from(move |_: MouseEvent| {
            let created = created.clone();
            let error = error.clone();
            let message = message.clone();
            let reload = reload.clone();
            spawn_local(async move {
                match api::revoke_calendar_feed(person).await {
                    Ok(()) => {
                        created.set(None);
                        message.set(Some(i18n.t("timetable.feed_revoked").to_owned()));
                        reload.set(*reload + 1);
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };
    let Some(existing) = &*existing else {
        return Html::default();
    };
    let url = created.as_ref().and_then(|f| f.url.clone());
    html! {
        <section class="section calendar-feed" aria-labelledby="calendar-feed-heading">
            <h2 id="calendar-feed-heading">{ i18n.t("timetable.feeds_heading") }</h2>
            <p>{ i18n.t("timetable.feeds_intro") }</p>
            { error_alert(&i18n, "calendar-feed-error", error.as_ref(), None) }
            { status_message("calendar-feed-status", message.as_deref()) }
            if let Some(feed) = existing {
                <p id="calendar-feed-state">{ i18n.tf("timetable.feed_active", &[("date", &i18n.day(feed.created_at))]) }</p>
            } else {
                <p id="calendar-feed-state">{ i18n.t("timetable.feed_none") }</p>
            }
            if let Some(url) = url {
                <div class="field">
                    <label class="field__label" for="calendar-feed-url">{ i18n.t("timetable.feed_url") }</label>
                    <input id="calendar-feed-url" class="field__input" type="text" readonly=true value={url.clone()} />
                </div>
                <p><a id="calendar-feed-open" href={url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1)}>{ i18n.t("timetable.feed_open") }</a></p>
            }
            <div class="actions">
                <button type="button" class="button" id="calendar-feed-create" onclick={on_create}>
                    { if existing.is_some() { i18n.t("timetable.feed_renew") } else { i18n.t("timetable.feed_create") } }
                </button>
                if existing.is_some() {
                    <button type="button" class="button button--secondary" id="calendar-feed-revoke" onclick={on_revoke}>
                        { i18n.t("timetable.feed_revoke") }
                    </button>
                }
            </div>
        </section>
    }
}
