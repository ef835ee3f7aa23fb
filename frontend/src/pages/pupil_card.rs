use yew::prelude::*;

use crate::components::timetable::PupilToday;
use crate::components::{address_lines, fact, loading, school_year_text};
use crate::hooks::{use_i18n, use_me, use_title, MeState};

/// `/me`, a pupil's start page: today's next lesson and the rest of the day first, then the
/// pupil's own card, from `Me` (with its `pupil` school fields when present).
#[function_component]
pub fn PupilCardPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("pupil.title"));
    let MeState::Ready(me) = use_me() else {
        return loading(&i18n);
    };
    let not_registered = i18n.t("common.not_registered");
    let pupil = me.pupil.as_ref();
    html! {
        <div class="page page--narrow">
            <h1>{ i18n.t("pupil.title") }</h1>
            if pupil.is_some() {
                <PupilToday pupil={me.person_id} />
                <crate::pages::attendance_stats::AttendanceTerm pupil={me.person_id} />
                <p class="consent__links">
                    <a href={format!("/samtal/{}", me.person_id)}>{ i18n.t("talks.title") }</a>
                    <a href={format!("/betyg/{}", me.person_id)}>{ i18n.t("grades.title") }</a>
                </p>
            }
            <article class="card" aria-labelledby="pupil-name">
                <h2 class="card__title" id="pupil-name">
                    { format!("{} {}", me.given_name, me.family_name) }
                </h2>
                <dl class="facts">
                    { fact(i18n.t("child.birth_date"), html! { { me.birth_date.to_string() } }) }
                    if let Some(class_name) = pupil.and_then(|p| p.class_name.clone()) {
                        { fact(i18n.t("child.class"), html! { { class_name } }) }
                    }
                    if let Some(year) = pupil.and_then(|p| p.school_year) {
                        { fact(i18n.t("child.school_year"), html! { { school_year_text(&i18n, year) } }) }
                    }
                    if let Some(units) = pupil.map(|p| &p.units).filter(|units| !units.is_empty()) {
                        { fact(i18n.t("pupil.units"), html! { <ul class="plain-list">
                                { for units.iter().map(|unit| html! { <li>{ unit.clone() }</li> }) }
                            </ul> }) }
                    }
                    { fact(i18n.t("pupil.address"), html! { { match &me.address {
                            Some(address) => address_lines(address),
                            None => html! { <>{ not_registered }</> },
                        } } }) }
                    { fact(i18n.t("pupil.phone"), html! { { match &me.phone {
                            Some(phone) => html! {
                                <a href={format!("tel:{}", phone.replace(' ', ""))}>{ phone.clone() }</a>
                            },
                            None => html! { <>{ not_registered }</> },
                        } } }) }
                    if let Some(email) = pupil.and_then(|p| p.school_email.clone()) {
                        { fact(i18n.t("child.school_email"), html! { <a class="break" href={format!("mailto:{email}")}>{ email.clone() }</a> }) }
                    }
                    { fact(i18n.t("pupil.email"), html! { { match &me.email {
                            Some(email) => html! {
                                <a class="break" href={format!("mailto:{email}")}>{ email.clone() }</a>
                            },
                            None => html! { <>{ not_registered }</> },
                        } } }) }
                </dl>
            </article>
            <p class="hint">{ i18n.t("pupil.hint") }</p>
        </div>
    }
}
