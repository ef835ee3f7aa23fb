//! `/betyg/{pupil}` ("Betyg"): a pupil's grades per subject and term, for the pupil, the
//! guardians and the mentor. A year that gets no grades says so and shows none.

use skolportal_shared::api::PupilGrades;
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{error_alert, loading};
use crate::hooks::{use_i18n, use_title};

#[derive(Properties, PartialEq)]
pub struct GradesProps {
    pub pupil: Uuid,
}

#[function_component]
pub fn GradesPage(props: &GradesProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("grades.title"));
    let loaded = use_state(|| None::<Result<PupilGrades, ClientError>>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.pupil, move |pupil| {
            let pupil = *pupil;
            spawn_local(async move { loaded.set(Some(api::pupil_grades(pupil).await)) });
        });
    }
    let grades = match &*loaded {
        None => return html! { <><h1>{ i18n.t("grades.title") }</h1>{ loading(&i18n) }</> },
        Some(Err(err)) => {
            return html! {
                <>
                    <h1>{ i18n.t("grades.title") }</h1>
                    { error_alert(&i18n, "grades-error", Some(err), None) }
                </>
            }
        }
        Some(Ok(grades)) => grades,
    };
    let first = grades.first_graded_year.to_string();
    let ungraded = grades
        .school_year
        .is_some_and(|year| year < grades.first_graded_year);
    html! {
        <>
            <h1>{ i18n.tf("grades.heading", &[("name", &grades.pupil_given_name)]) }</h1>
            if ungraded {
                <p class="lead">{ i18n.tf("grades.not_yet", &[("year", &first)]) }</p>
            } else if grades.terms.is_empty() {
                <p class="empty-state">{ i18n.t("grades.none") }</p>
            }
            { for grades.terms.iter().enumerate().map(|(i, term)| {
                let heading = format!("grades-term-{i}");
                let title = i18n.tf("grades.term", &[
                    ("from", &i18n.date(term.term_starts_on)),
                    ("to", &i18n.date(term.term_ends_on)),
                    ("year", &term.school_year.to_string()),
                ]);
                html! {
                    <section class="section" aria-labelledby={heading.clone()}>
                        <h2 id={heading.clone()}>{ title }</h2>
                        <p class="hint">{ i18n.t(if term.locked { "grades.locked" } else { "grades.preliminary" }) }</p>
                        <table class="grades-table" aria-labelledby={heading}>
                            <thead>
                                <tr>
                                    <th scope="col">{ i18n.t("grades.subject") }</th>
                                    <th scope="col">{ i18n.t("grades.grade") }</th>
                                </tr>
                            </thead>
                            <tbody>
                                { for term.grades.iter().map(|g| html! {
                                    <tr>
                                        <th scope="row">{ i18n.t(&format!("timetable.activity.{}", g.activity.code())) }</th>
                                        <td class="grades-table__grade">{ g.value.mark() }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </section>
                }
            }) }
        </>
    }
}
