//! `/personal/matsedel` ("Matsedel"): the staff of a school or preschool enter the week's lunch,
//! a dish and a vegetarian one per weekday, which families then see on their start page. The
//! rules (weekdays of the week, at most 200 characters) are `shared::lunch`'s; the server
//! decides with the same.

use chrono::{Days, NaiveDate};
use skolportal_shared::api::{LunchDay, LunchMenuUpdate, LunchMenuWeek};
use skolportal_shared::lunch::check_week;
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{back_link, error_alert, loading, status_message, TextField};
use crate::hooks::{use_i18n, use_me, use_title, MeState};

const ERROR_ID: &str = "lunch-error";
const STATUS_ID: &str = "lunch-status";

enum State {
    Loading,
    Loaded(LunchMenuWeek),
    Failed(ClientError),
}

#[function_component]
pub fn LunchMenuPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("lunch.title"));
    let units = match use_me() {
        MeState::Ready(me) => me.units.clone(),
        _ => Vec::new(),
    };
    let unit = use_state(|| None::<Uuid>);
    let chosen = (*unit).or_else(|| units.first().map(|u| u.id));
    let week = use_state(|| None::<NaiveDate>);
    let state = use_state(|| State::Loading);
    // What is typed, per weekday: (dish, vegetarian dish).
    let typed = use_state(Vec::<(String, String)>::new);
    let error = use_state(|| None::<String>);
    let saved = use_state(|| false);
    {
        let (state, typed) = (state.clone(), typed.clone());
        use_effect_with((chosen, *week), move |(chosen, week)| {
            let (chosen, week) = (*chosen, *week);
            if let Some(unit) = chosen {
                state.set(State::Loading);
                spawn_local(async move {
                    match api::lunch_week(unit, week).await {
                        Ok(loaded) => {
                            typed.set(fields_of(&loaded));
                            state.set(State::Loaded(loaded));
                        }
                        Err(err) => state.set(State::Failed(err)),
                    }
                });
            }
        });
    }
    let body = match (&*state, chosen) {
        (_, None) => html! { <p class="empty-state">{ i18n.t("lunch.no_unit") }</p> },
        (State::Loading, _) => loading(&i18n),
        (State::Failed(err), _) => error_alert(&i18n, ERROR_ID, Some(err), None),
        (State::Loaded(loaded), Some(unit_id)) => {
            let monday = loaded.week_start;
            let step = |days: i64| {
                let week = week.clone();
                Callback::from(move |_: MouseEvent| {
                    let moved = if days < 0 {
                        monday.checked_sub_days(Days::new(days.unsigned_abs()))
                    } else {
                        monday.checked_add_days(Days::new(days.unsigned_abs()))
                    };
                    week.set(moved);
                })
            };
            let onsubmit = {
                let (typed, error, saved, state) =
                    (typed.clone(), error.clone(), saved.clone(), state.clone());
                let days: Vec<NaiveDate> = loaded.days.iter().map(|d| d.date).collect();
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    let update = LunchMenuUpdate {
                        days: days
                            .iter()
                            .zip(typed.iter())
                            .map(|(date, (main, vegetarian))| LunchDay {
                                date: *date,
                                main_dish: Some(main.clone()),
                                vegetarian_dish: Some(vegetarian.clone()),
                            })
                            .collect(),
                    };
                    saved.set(false);
                    if let Err(refused) = check_week(monday, &update.days) {
                        error.set(Some(
                            i18n.t(&format!("error.{}", refused.code())).to_owned(),
                        ));
                        return;
                    }
                    error.set(None);
                    let (typed, error, saved, state) =
                        (typed.clone(), error.clone(), saved.clone(), state.clone());
                    spawn_local(async move {
                        match api::save_lunch_week(unit_id, monday, &update).await {
                            Ok(stored) => {
                                typed.set(fields_of(&stored));
                                state.set(State::Loaded(stored));
                                saved.set(true);
                            }
                            Err(err) => error.set(Some(crate::components::error_text(&i18n, &err))),
                        }
                    });
                })
            };
            let field = |index: usize, vegetarian: bool, date: NaiveDate| {
                let value = typed
                    .get(index)
                    .map(|(main, veg)| {
                        if vegetarian {
                            veg.clone()
                        } else {
                            main.clone()
                        }
                    })
                    .unwrap_or_default();
                let (typed, saved) = (typed.clone(), saved.clone());
                let on_input = Callback::from(move |value: String| {
                    let mut fields = (*typed).clone();
                    if let Some((main, veg)) = fields.get_mut(index) {
                        if vegetarian {
                            *veg = value;
                        } else {
                            *main = value;
                        }
                    }
                    saved.set(false);
                    typed.set(fields);
                });
                let (id, label) = if vegetarian {
                    (
                        format!("lunch-vegetarian-{date}"),
                        i18n.t("lunch.vegetarian_dish"),
                    )
                } else {
                    (format!("lunch-main-{date}"), i18n.t("lunch.main_dish"))
                };
                TextField::new(id, label, value, on_input, "off")
            };
            html! {
                <>
                    <div class="timetable__weeknav">
                        <button type="button" class="button button--secondary" id="lunch-previous-week"
                            onclick={step(-7)}>{ i18n.t("timetable.previous_week") }</button>
                        <h2 id="lunch-week" class="timetable__week">{ i18n.week(monday) }</h2>
                        <button type="button" class="button button--secondary" id="lunch-next-week"
                            onclick={step(7)}>{ i18n.t("timetable.next_week") }</button>
                    </div>
                    <div id={ERROR_ID} class="live-region" role="alert" aria-live="assertive">
                        if let Some(text) = &*error {
                            <p class="alert alert--error">{ text.clone() }</p>
                        }
                    </div>
                    { status_message(STATUS_ID, saved.then(|| i18n.t("lunch.saved"))) }
                    <form class="form lunch-form" novalidate=true {onsubmit} aria-labelledby="lunch-week">
                        { for loaded.days.iter().enumerate().map(|(index, day)| html! {
                            <fieldset class="lunch-form__day" key={day.date.to_string()}>
                                <legend>{ i18n.weekday_date(day.date) }</legend>
                                { field(index, false, day.date) }
                                { field(index, true, day.date) }
                            </fieldset>
                        }) }
                        <button type="submit" class="button button--primary" id="lunch-save">{ i18n.t("lunch.save") }</button>
                    </form>
                </>
            }
        }
    };
    let on_unit = {
        let unit = unit.clone();
        Callback::from(move |event: Event| {
            let value = event
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            unit.set(value.parse().ok());
        })
    };
    html! {
        <div class="page">
            { back_link(crate::app::Route::Staff, i18n.t("day_sheet.back")) }
            <h1>{ i18n.t("lunch.title") }</h1>
            <p class="lead">{ i18n.t("lunch.intro") }</p>
            if units.len() > 1 {
                <div class="field">
                    <label class="field__label" for="lunch-unit">{ i18n.t("lunch.unit") }</label>
                    <select class="field__input" id="lunch-unit" onchange={on_unit}>
                        { for units.iter().map(|u| html! {
                            <option value={u.id.to_string()} selected={Some(u.id) == chosen}>{ u.name.clone() }</option>
                        }) }
                    </select>
                </div>
            }
            { body }
        </div>
    }
}

/// The form's fields from a stored week: empty where nothing is entered.
fn fields_of(week: &LunchMenuWeek) -> Vec<(String, String)> {
    week.days
        .iter()
        .map(|d| {
            (
                d.main_dish.clone().unwrap_or_default(),
                d.vegetarian_dish.clone().unwrap_or_default(),
            )
        })
        .collect()
}
