//! Attendance statistics. [`AttendanceTerm`]: a pupil's term in all and per subject, an earlier
//! term to choose, on the pupil's own page, a guardian's timetable and the staff's pupil page
//! (the step-up where the session logged in too weakly, nothing where the server refuses). `/personal/narvaro/klass/:id`: the mentor's overview of the class, with the
//! pupils whose absence needs follow-up. `/personal/franvaro-utredning/:id`: the principal's list
//! of those pupils (skollagen 7 kap. 19 a §).

use chrono::Datelike;
use skolportal_shared::api::{
    AttendanceCounts, AttendanceOverview, AttendanceSummary, TermChoice, TermKind,
};
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode};
use crate::components::{badge, cell, data_table, error_alert, loading};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

/// "90 % närvaro av 40 lektioner", then the counts that are not zero.
fn counts_text(i18n: &I18n, counts: &AttendanceCounts) -> String {
    let mut text = i18n.tf(
        "attendance_stats.present_of",
        &[
            ("percent", &counts.present_percent().to_string()),
            ("lessons", &counts.lessons.to_string()),
        ],
    );
    for (n, key) in [
        (counts.late, "attendance_stats.late"),
        (counts.valid_absence, "attendance_stats.valid"),
        (counts.unexcused_absence, "attendance_stats.unexcused"),
    ] {
        if n > 0 {
            text.push_str(", ");
            text.push_str(&i18n.tf(key, &[("count", &n.to_string())]));
        }
    }
    text
}

/// "Hösttermin 2026".
fn term_name(i18n: &I18n, term: &TermChoice) -> String {
    let key = match term.kind {
        TermKind::Autumn => "attendance_stats.term_autumn",
        TermKind::Spring => "attendance_stats.term_spring",
    };
    i18n.tf(key, &[("year", &term.starts_on.year().to_string())])
}

#[derive(Properties, PartialEq)]
pub struct AttendanceTermProps {
    pub pupil: Uuid,
}

/// A pupil's attendance in the current term, or in an earlier one chosen; the step-up where the
/// session logged in too weakly; nothing where the reader may not see it.
#[function_component]
pub fn AttendanceTerm(props: &AttendanceTermProps) -> Html {
    let i18n = use_i18n();
    let term = use_state(|| None::<Uuid>);
    let state = use_state(|| None::<Result<AttendanceSummary, ClientError>>);
    {
        let state = state.clone();
        use_effect_with((props.pupil, *term), move |(pupil, term)| {
            let (pupil, term) = (*pupil, *term);
            spawn_local(async move {
                state.set(Some(api::attendance_summary(pupil, term).await));
            });
        });
    }
    let heading = format!("attendance-term-{}", props.pupil);
    let summary = match &*state {
        None => return Html::default(),
        Some(Err(error)) if matches!(error, ClientError::Api(api) if api.code == ErrorCode::StepUpRequired) =>
        {
            return html! {
                <section class="section attendance-term" aria-labelledby={heading.clone()}>
                    <h2 id={heading}>{ i18n.t("attendance_stats.step_up_heading") }</h2>
                    { error_alert(&i18n, "attendance-term-error", Some(error), None) }
                </section>
            };
        }
        Some(Err(_)) => return Html::default(),
        Some(Ok(summary)) => summary,
    };
    let current = summary.terms.first().map(|t| t.id) == Some(summary.term_id);
    let title = match summary.terms.iter().find(|t| t.id == summary.term_id) {
        Some(chosen) if !current => i18n.tf(
            "attendance_stats.heading_of",
            &[("term", &term_name(&i18n, chosen))],
        ),
        _ => i18n.t("attendance_stats.term_heading").to_owned(),
    };
    let picker_id = format!("attendance-term-choice-{}", props.pupil);
    let on_term = {
        let term = term.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            term.set(value.parse::<Uuid>().ok());
        })
    };
    html! {
        <section class="section attendance-term" aria-labelledby={heading.clone()}>
            <h2 id={heading.clone()}>{ title }</h2>
            if summary.terms.len() > 1 {
                <div class="field">
                    <label class="field__label" for={picker_id.clone()}>{ i18n.t("attendance_stats.term_choice") }</label>
                    <select class="field__input" id={picker_id} onchange={on_term}>
                        { for summary.terms.iter().map(|t| html! {
                            <option value={t.id.to_string()} selected={t.id == summary.term_id}>{ term_name(&i18n, t) }</option>
                        }) }
                    </select>
                </div>
            }
            if summary.total.lessons == 0 {
                <p class="empty-state">{ i18n.t("attendance_stats.none") }</p>
            } else {
                <p>{ counts_text(&i18n, &summary.total) }</p>
                { data_table(&heading, "attendance-subjects", &[i18n.t("attendance_stats.subject"), i18n.t("attendance_stats.figures")], html! {
                    { for summary.by_subject.iter().map(|s| html! {
                        <tr role="row">
                            { cell(i18n.t("attendance_stats.subject"), html! { { i18n.t(&format!("timetable.activity.{}", s.activity.code())) } }) }
                            { cell(i18n.t("attendance_stats.figures"), html! { { counts_text(&i18n, &s.counts) } }) }
                        </tr>
                    }) }
                }) }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct OverviewPageProps {
    pub id: Uuid,
}

/// The mentor's class.
#[function_component]
pub fn ClassAttendancePage(props: &OverviewPageProps) -> Html {
    use_overview_page(props.id, false)
}

/// The principal's list.
#[function_component]
pub fn AbsenceFollowUpPage(props: &OverviewPageProps) -> Html {
    use_overview_page(props.id, true)
}

#[hook]
fn use_overview_page(id: Uuid, principal: bool) -> Html {
    let i18n = use_i18n();
    let title = if principal {
        "attendance_stats.follow_up_title"
    } else {
        "attendance_stats.class_title"
    };
    use_title(i18n.t(title));
    let state = use_state(|| None::<Result<AttendanceOverview, ClientError>>);
    {
        let state = state.clone();
        use_effect_with((id, principal), move |(id, principal)| {
            let (id, principal) = (*id, *principal);
            spawn_local(async move {
                state.set(Some(if principal {
                    api::absence_follow_up(id).await
                } else {
                    api::class_attendance(id).await
                }));
            });
        });
    }
    let body = match &*state {
        None => loading(&i18n),
        Some(Err(err)) if err.code() == Some(&ErrorCode::NotFound) => html! {
            <p id="overview-not-found" class="alert alert--error" role="alert">
                { i18n.t(if principal { "attendance_stats.follow_up_not_found" } else { "attendance_stats.class_not_found" }) }
            </p>
        },
        Some(Err(err)) => error_alert(&i18n, "overview-error", Some(err), None),
        Some(Ok(overview)) => overview_html(&i18n, overview, principal),
    };
    html! {
        <div class="page page--wide attendance-overview">
            <h1>{ i18n.t(title) }</h1>
            { body }
        </div>
    }
}

fn overview_html(i18n: &I18n, overview: &AttendanceOverview, principal: bool) -> Html {
    let rule = i18n.tf(
        "attendance_stats.rule",
        &[
            ("percent", &overview.follow_up_percent.to_string()),
            ("unexcused", &overview.follow_up_unexcused.to_string()),
        ],
    );
    let name = i18n.t("attendance_stats.pupil");
    let figures = i18n.t("attendance_stats.figures");
    let follow = i18n.t("attendance_stats.follow_up");
    let mut headers = vec![name, figures, follow];
    if principal {
        headers.insert(1, i18n.t("child.class"));
    }
    html! {
        <>
            <p class="lead">{ overview.name.clone() }</p>
            <p class="hint logged-note">{ i18n.t("lists.logged") }</p>
            <p>{ rule }</p>
            <h2 id="overview-heading">{ i18n.tf("attendance_stats.since", &[("date", &i18n.date(overview.term_starts_on))]) }</h2>
            if overview.pupils.is_empty() {
                <p class="empty-state">{ i18n.t(if principal { "attendance_stats.follow_up_none" } else { "attendance_stats.none" }) }</p>
            } else {
                { data_table("overview-heading", "attendance-overview-table", &headers, html! {
                    { for overview.pupils.iter().map(|p| html! {
                        <tr role="row" class={classes!(p.needs_follow_up.then_some("attendance-overview__flagged"))}>
                            { cell(name, html! { { format!("{} {}", p.given_name, p.family_name) } }) }
                            if principal {
                                { cell(i18n.t("child.class"), html! { { p.group_name.clone().unwrap_or_default() } }) }
                            }
                            { cell(figures, html! { { counts_text(i18n, &p.counts) } }) }
                            { cell(follow, if p.needs_follow_up {
                                badge("status-badge--awaiting", i18n.t("attendance_stats.follow_up_yes"))
                            } else {
                                html! { { i18n.t("common.no") } }
                            }) }
                        </tr>
                    }) }
                }) }
            }
        </>
    }
}
