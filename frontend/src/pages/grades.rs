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

/// `/betyg/grupp/{group}` ("Betygsättning"): the subject teacher's sheet for a group this
/// term, one subject at a time: a grade (A–F, or a dash) or none for each pupil, saved all or
/// none. Read-only once the principal has locked the term, and where grades are imported.
#[derive(Properties, PartialEq)]
pub struct GradeSheetProps {
    pub group: Uuid,
}

#[function_component]
pub fn GradeSheetPage(props: &GradeSheetProps) -> Html {
    use skolportal_shared::api::{Activity, GradeEntry, GradeSheet, GradeSheetUpdate, GradeValue};
    use std::collections::HashMap;
    let i18n = use_i18n();
    use_title(i18n.t("grades.sheet_title"));
    let loaded = use_state(|| None::<Result<GradeSheet, ClientError>>);
    let subject = use_state(|| None::<Activity>);
    let chosen = use_state(HashMap::<Uuid, Option<GradeValue>>::new);
    let failed = use_state(|| None::<ClientError>);
    let told = use_state(|| None::<&'static str>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.group, move |group| {
            let group = *group;
            spawn_local(async move { loaded.set(Some(api::grade_sheet(group).await)) });
        });
    }
    let sheet = match &*loaded {
        None => return html! { <><h1>{ i18n.t("grades.sheet_title") }</h1>{ loading(&i18n) }</> },
        Some(Err(err)) => {
            return html! {
                <>
                    <h1>{ i18n.t("grades.sheet_title") }</h1>
                    { error_alert(&i18n, "grades-error", Some(err), None) }
                </>
            }
        }
        Some(Ok(sheet)) => sheet,
    };
    let Some(activity) = (*subject).or(sheet.activities.first().copied()) else {
        return html! {
            <>
                <h1>{ i18n.tf("grades.sheet_heading", &[("group", &sheet.group_name)]) }</h1>
                <p class="empty-state">{ i18n.t("grades.no_subjects") }</p>
            </>
        };
    };
    let editable = sheet.set_in_portal && !sheet.locked;
    let current = |pupil: Uuid| -> Option<GradeValue> {
        chosen.get(&pupil).copied().unwrap_or_else(|| {
            sheet
                .pupils
                .iter()
                .find(|p| p.pupil_id == pupil)
                .and_then(|p| p.grades.iter().find(|g| g.activity == activity))
                .map(|g| g.value)
        })
    };
    let on_subject = {
        let (subject, chosen) = (subject.clone(), chosen.clone());
        Callback::from(move |e: Event| {
            let code = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            subject.set(Activity::ALL.iter().copied().find(|a| a.code() == code));
            chosen.set(HashMap::new());
        })
    };
    let on_save = {
        let (loaded, chosen, failed, told, group) = (
            loaded.clone(),
            chosen.clone(),
            failed.clone(),
            told.clone(),
            props.group,
        );
        let grades: Vec<GradeEntry> = sheet
            .pupils
            .iter()
            .filter(|p| p.graded)
            .map(|p| GradeEntry {
                pupil_id: p.pupil_id,
                value: current(p.pupil_id),
            })
            .collect();
        Callback::from(move |_: MouseEvent| {
            let update = GradeSheetUpdate {
                activity,
                grades: grades.clone(),
            };
            let (loaded, chosen, failed, told) =
                (loaded.clone(), chosen.clone(), failed.clone(), told.clone());
            spawn_local(async move {
                match api::set_grades(group, &update).await {
                    Ok(now) => {
                        failed.set(None);
                        told.set(Some("grades.saved"));
                        chosen.set(HashMap::new());
                        loaded.set(Some(Ok(now)));
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let term = format!(
        "{} – {}",
        i18n.date(sheet.term_starts_on),
        i18n.date(sheet.term_ends_on)
    );
    let subject_name = |a: Activity| {
        i18n.t(&format!("timetable.activity.{}", a.code()))
            .to_owned()
    };
    html! {
        <>
            <h1>{ i18n.tf("grades.sheet_heading", &[("group", &sheet.group_name)]) }</h1>
            <p class="lead">{ i18n.tf("grades.sheet_term", &[("term", &term)]) }</p>
            { crate::components::status_message("grades-status", told.map(|k| i18n.t(k))) }
            if let Some(err) = &*failed {
                { error_alert(&i18n, "grades-save-error", Some(err), None) }
            }
            if !sheet.set_in_portal {
                <p class="hint">{ i18n.t("grades.imported") }</p>
            } else if sheet.locked {
                <p class="hint">{ i18n.t("grades.locked_note") }</p>
            }
            <div class="field">
                <label class="field__label" for="grades-subject">{ i18n.t("grades.subject") }</label>
                <select class="field__input" id="grades-subject" onchange={on_subject}>
                    { for sheet.activities.iter().map(|a| html! {
                        <option value={a.code()} selected={*a == activity}>{ subject_name(*a) }</option>
                    }) }
                </select>
            </div>
            <div>
                <table class="grades-table grades-sheet">
                    <caption>{ subject_name(activity) }</caption>
                    <thead><tr>
                        <th scope="col">{ i18n.t("grades.pupil") }</th>
                        <th scope="col">{ i18n.t("grades.grade") }</th>
                    </tr></thead>
                    <tbody>
                        { for sheet.pupils.iter().map(|p| {
                            let id = format!("grade-{}", p.pupil_id);
                            let pupil = p.pupil_id;
                            let name = format!("{} {}", p.given_name, p.family_name);
                            let onchange = {
                                let chosen = chosen.clone();
                                Callback::from(move |e: Event| {
                                    let code = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                                    let mut next = (*chosen).clone();
                                    next.insert(pupil, GradeValue::ALL.iter().copied().find(|g| g.code() == code));
                                    chosen.set(next);
                                })
                            };
                            let value = current(pupil);
                            html! {
                                <tr>
                                    <th scope="row"><label for={id.clone()}>{ name }</label></th>
                                    <td>
                                        if p.graded {
                                            <select class="field__input grade-select" {id} disabled={!editable} {onchange}>
                                                <option value="" selected={value.is_none()}>{ i18n.t("grades.no_grade") }</option>
                                                { for GradeValue::ALL.iter().map(|g| html! {
                                                    <option value={g.code()} selected={value == Some(*g)}>{ g.mark() }</option>
                                                }) }
                                            </select>
                                        } else {
                                            <span {id}>{ i18n.t("grades.ungraded_year") }</span>
                                        }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            if editable {
                <p><button type="button" id="grades-save" class="button button--primary" onclick={on_save}>{ i18n.t("grades.save") }</button></p>
            }
        </>
    }
}

/// `/betyg/skola/{unit}` ("Fastställ betyg"): the principal locks the school's grades of the
/// current term, after which no teacher changes them.
#[derive(Properties, PartialEq)]
pub struct GradeLockProps {
    pub unit: Uuid,
}

#[function_component]
pub fn GradeLockPage(props: &GradeLockProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("grades.lock_title"));
    let failed = use_state(|| None::<ClientError>);
    let done = use_state(|| false);
    let onclick = {
        let (failed, done, unit) = (failed.clone(), done.clone(), props.unit);
        Callback::from(move |_: MouseEvent| {
            let (failed, done) = (failed.clone(), done.clone());
            spawn_local(async move {
                match api::lock_grades(unit).await {
                    Ok(()) => {
                        failed.set(None);
                        done.set(true);
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    html! {
        <>
            <h1>{ i18n.t("grades.lock_title") }</h1>
            <p class="lead">{ i18n.t("grades.lock_lead") }</p>
            { crate::components::status_message("grades-lock-status", done.then(|| i18n.t("grades.locked_told"))) }
            if let Some(err) = &*failed {
                { error_alert(&i18n, "grades-lock-error", Some(err), None) }
            }
            if !*done {
                <p><button type="button" id="grades-lock" class="button button--primary" {onclick}>{ i18n.t("grades.lock") }</button></p>
            }
        </>
    }
}
