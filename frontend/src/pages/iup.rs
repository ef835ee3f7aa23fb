//! `/samtal/{pupil}/plan` ("Utvecklingsplan"): the pupil's individual development plan. The
//! pupil and the guardians read the goals with their follow-ups and the omdömen of every term
//! and school; the mentor writes goals at the talk and follows them up at the next; a subject
//! teacher writes the year's omdöme in their subjects in the years without grades. Closed, with
//! the reason and the way to open it, while the talk consent is not in force. In the account
//! app, beside the talk material.

use skolportal_shared::api::{
    Activity, AssessmentLevel, ConsentState, DevelopmentPlan, GoalOutcome, IupAssessment,
    IupAssessmentInput, IupFollowUpInput, IupGoal, IupGoalInput,
};
use skolportal_shared::iup::{check_assessment, check_follow_up, check_goal, IupError, MAX_TEXT};
use uuid::Uuid;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{badge, error_alert, loading, status_message};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

#[derive(Properties, PartialEq)]
pub struct DevelopmentPlanProps {
    pub pupil: Uuid,
}

fn rule_text(i18n: &I18n, err: IupError) -> String {
    i18n.t(&format!("error.{}", err.code())).to_owned()
}

fn activity_text(i18n: &I18n, activity: Activity) -> String {
    i18n.t(&format!("timetable.activity.{}", activity.code()))
        .to_owned()
}

#[function_component]
pub fn DevelopmentPlanPage(props: &DevelopmentPlanProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("iup.title"));
    let loaded = use_state(|| None::<Result<DevelopmentPlan, ClientError>>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.pupil, move |pupil| {
            let pupil = *pupil;
            spawn_local(async move { loaded.set(Some(api::development_plan(pupil).await)) });
        });
    }
    let told = use_state(|| None::<&'static str>);
    let on_saved = {
        let (loaded, told) = (loaded.clone(), told.clone());
        Callback::from(move |(now, key): (DevelopmentPlan, &'static str)| {
            told.set(Some(key));
            loaded.set(Some(Ok(now)));
        })
    };
    let plan = match &*loaded {
        None => return html! { <><h1>{ i18n.t("iup.title") }</h1>{ loading(&i18n) }</> },
        Some(Err(err)) => {
            return html! {
                <>
                    <h1>{ i18n.t("iup.title") }</h1>
                    { error_alert(&i18n, "iup-load-error", Some(err), None) }
                </>
            }
        }
        Some(Ok(plan)) => plan,
    };
    let heading = i18n.tf("iup.heading", &[("name", &plan.pupil_given_name)]);
    if plan.consent != ConsentState::InForce {
        return html! {
            <>
                <h1>{ heading }</h1>
                <section class="section talk-closed" aria-labelledby="iup-closed-heading">
                    <h2 id="iup-closed-heading">{ i18n.t("iup.closed_heading") }</h2>
                    <p>{ i18n.t(&format!("talks.closed.{}", plan.consent.code())) }</p>
                    if plan.can_consent {
                        <p><a class="button button--primary" href="/samtycken">{ i18n.t("talks.to_consents") }</a></p>
                    } else {
                        <p>{ i18n.t("talks.closed_ask") }</p>
                    }
                </section>
            </>
        };
    }
    html! {
        <>
            <h1>{ heading }</h1>
            <p class="lead">{ i18n.t("iup.lead") }</p>
            <p><a href={format!("/samtal/{}", plan.pupil_id)}>{ i18n.t("talks.title") }</a></p>
            { status_message("iup-status", told.map(|k| i18n.t(k))) }
            if plan.earlier_school_withheld {
                <div class="alert alert--info" role="note"><p>{ i18n.t("iup.withheld") }</p></div>
            }
            if plan.can_write_goals {
                <NewGoal pupil={plan.pupil_id} on_saved={on_saved.clone()} />
            }
            <section class="section" aria-labelledby="iup-goals-heading">
                <h2 id="iup-goals-heading">{ i18n.t("iup.goals_heading") }</h2>
                if plan.goals.is_empty() {
                    <p class="empty-state">{ i18n.t("iup.no_goals") }</p>
                } else {
                    <ul class="card-list iup-goals">
                        { for plan.goals.iter().map(|goal| html! {
                            <GoalCard key={goal.id.to_string()} pupil={plan.pupil_id} goal={goal.clone()}
                                can_follow_up={plan.can_write_goals} on_saved={on_saved.clone()} />
                        }) }
                    </ul>
                }
            </section>
            <section class="section" aria-labelledby="iup-assessments-heading">
                <h2 id="iup-assessments-heading">{ i18n.t("iup.assessments_heading") }</h2>
                if !plan.assessment_subjects.is_empty() {
                    <NewAssessment pupil={plan.pupil_id} subjects={plan.assessment_subjects.clone()} on_saved={on_saved.clone()} />
                }
                if plan.assessments.is_empty() {
                    <p class="empty-state">{ i18n.t("iup.no_assessments") }</p>
                } else {
                    <ul class="card-list iup-assessments">
                        { for plan.assessments.iter().map(|a| assessment_html(&i18n, a)) }
                    </ul>
                }
            </section>
        </>
    }
}

fn assessment_html(i18n: &I18n, a: &IupAssessment) -> Html {
    let year = format!(
        "{}/{}",
        a.school_year_start,
        (a.school_year_start + 1) % 100
    );
    html! {
        <li class="card iup-assessment">
            <h3 class="card__title">{ activity_text(i18n, a.activity) }</h3>
            <p>{ badge("status-badge--signed", i18n.t(&format!("iup.level.{}", a.level.code()))) }</p>
            <p class="talk-part__text">{ a.comment.clone() }</p>
            <p class="hint">{ i18n.tf("iup.assessment_by", &[
                ("year", &year),
                ("grade", &a.school_year.to_string()),
                ("teacher", &a.teacher_name),
                ("school", &a.unit_name),
            ]) }</p>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct GoalCardProps {
    pupil: Uuid,
    goal: IupGoal,
    can_follow_up: bool,
    on_saved: Callback<(DevelopmentPlan, &'static str)>,
}

#[function_component]
fn GoalCard(props: &GoalCardProps) -> Html {
    let i18n = use_i18n();
    let goal = &props.goal;
    let term = format!(
        "{} – {}",
        i18n.date(goal.term_starts_on),
        i18n.date(goal.term_ends_on)
    );
    let area = goal.activity.map_or_else(
        || i18n.t("iup.general").to_owned(),
        |a| activity_text(&i18n, a),
    );
    let id = goal.id;
    html! {
        <li class="card iup-goal">
            <h3 class="card__title">{ format!("{area}: {}", goal.goal) }</h3>
            <p class="hint">{ i18n.tf("iup.written_by", &[("term", &term), ("author", &goal.author_name), ("school", &goal.unit_name)]) }</p>
            <dl class="talk-part__answers">
                if !goal.measures.is_empty() {
                    <dt>{ i18n.t("iup.measures") }</dt>
                    <dd class="talk-part__text">{ goal.measures.clone() }</dd>
                }
                if !goal.agreements.is_empty() {
                    <dt>{ i18n.t("iup.agreements") }</dt>
                    <dd class="talk-part__text">{ goal.agreements.clone() }</dd>
                }
                if let Some(outcome) = goal.outcome {
                    <dt>{ i18n.t("iup.follow_up") }</dt>
                    <dd>
                        { badge(outcome_badge(outcome), i18n.t(&format!("iup.outcome.{}", outcome.code()))) }
                        <span class="talk-part__text">{ format!(" {}", goal.follow_up) }</span>
                    </dd>
                }
            </dl>
            if props.can_follow_up && goal.outcome.is_none() {
                <FollowUp pupil={props.pupil} goal={id} on_saved={props.on_saved.clone()} />
            }
        </li>
    }
}

fn outcome_badge(outcome: GoalOutcome) -> &'static str {
    match outcome {
        GoalOutcome::Reached => "status-badge--signed",
        GoalOutcome::PartlyReached => "status-badge--awaiting",
        GoalOutcome::NotReached => "status-badge--draft",
    }
}

fn textarea(id: &str, label: String, value: &UseStateHandle<String>, hint: Option<String>) -> Html {
    let oninput = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| {
            value.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let hint_id = format!("{id}-hint");
    let described = hint.as_ref().map(|_| hint_id.clone());
    html! {
        <div class="field">
            <label class="field__label" for={id.to_owned()}>{ label }</label>
            if let Some(hint) = hint {
                <p class="field__hint" id={hint_id.clone()}>{ hint }</p>
            }
            <textarea class="field__input field__input--area" id={id.to_owned()} name={id.to_owned()} rows="3"
                maxlength={MAX_TEXT.to_string()} value={(**value).clone()} {oninput}
                aria-describedby={described} />
        </div>
    }
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

#[derive(Properties, PartialEq)]
struct NewGoalProps {
    pupil: Uuid,
    on_saved: Callback<(DevelopmentPlan, &'static str)>,
}

/// The mentor's form for a goal of this term.
#[function_component]
fn NewGoal(props: &NewGoalProps) -> Html {
    let i18n = use_i18n();
    let activity = use_state(|| None::<Activity>);
    let goal = use_state(String::new);
    let measures = use_state(String::new);
    let agreements = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let failed = use_state(|| None::<ClientError>);
    let onchange = {
        let activity = activity.clone();
        Callback::from(move |e: Event| {
            let code = select_value(&e);
            activity.set(Activity::ALL.iter().copied().find(|a| a.code() == code));
        })
    };
    let onsubmit = {
        let (activity, goal, measures, agreements) = (
            activity.clone(),
            goal.clone(),
            measures.clone(),
            agreements.clone(),
        );
        let (problem, failed, on_saved, pupil, i18n) = (
            problem.clone(),
            failed.clone(),
            props.on_saved.clone(),
            props.pupil,
            i18n,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = IupGoalInput {
                activity: *activity,
                goal: (*goal).clone(),
                measures: (*measures).clone(),
                agreements: (*agreements).clone(),
            };
            if let Err(err) = check_goal(&input) {
                problem.set(Some(rule_text(&i18n, err)));
                return;
            }
            problem.set(None);
            let (failed, on_saved) = (failed.clone(), on_saved.clone());
            let fields = (goal.clone(), measures.clone(), agreements.clone());
            spawn_local(async move {
                match api::add_development_goal(pupil, &input).await {
                    Ok(now) => {
                        failed.set(None);
                        fields.0.set(String::new());
                        fields.1.set(String::new());
                        fields.2.set(String::new());
                        on_saved.emit((now, "iup.goal_saved"));
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    html! {
        <section class="section iup-new-goal" aria-labelledby="iup-new-goal-heading">
            <h2 id="iup-new-goal-heading">{ i18n.t("iup.new_goal_heading") }</h2>
            <p class="hint">{ i18n.t("iup.goal_guidance") }</p>
            if let Some(text) = &*problem {
                { error_alert(&i18n, "iup-goal-problem", None, Some(text.as_str())) }
            }
            if let Some(err) = &*failed {
                { error_alert(&i18n, "iup-goal-error", Some(err), None) }
            }
            <form class="form" {onsubmit} novalidate=true>
                <div class="field">
                    <label class="field__label" for="iup-activity">{ i18n.t("iup.area") }</label>
                    <select class="field__input" id="iup-activity" {onchange}>
                        <option value="" selected={activity.is_none()}>{ i18n.t("iup.general") }</option>
                        { for Activity::ALL.iter().filter(|a| !matches!(a, Activity::Lunch | Activity::Mentoring)).map(|a| html! {
                            <option value={a.code()} selected={*activity == Some(*a)}>{ activity_text(&i18n, *a) }</option>
                        }) }
                    </select>
                </div>
                { textarea("iup-goal", i18n.t("iup.goal").to_owned(), &goal, Some(i18n.t("iup.goal_hint").to_owned())) }
                { textarea("iup-measures", i18n.t("iup.measures").to_owned(), &measures, Some(i18n.t("iup.measures_hint").to_owned())) }
                { textarea("iup-agreements", i18n.t("iup.agreements").to_owned(), &agreements, Some(i18n.t("iup.agreements_hint").to_owned())) }
                <button type="submit" id="iup-save-goal" class="button button--primary">{ i18n.t("iup.save_goal") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FollowUpProps {
    pupil: Uuid,
    goal: Uuid,
    on_saved: Callback<(DevelopmentPlan, &'static str)>,
}

/// The mentor's follow-up of a goal at the next talk.
#[function_component]
fn FollowUp(props: &FollowUpProps) -> Html {
    let i18n = use_i18n();
    let outcome = use_state(|| GoalOutcome::Reached);
    let comment = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let failed = use_state(|| None::<ClientError>);
    let prefix = format!("iup-follow-{}", props.goal);
    let onchange = {
        let outcome = outcome.clone();
        Callback::from(move |e: Event| {
            let code = select_value(&e);
            if let Some(o) = GoalOutcome::ALL.iter().find(|o| o.code() == code) {
                outcome.set(*o);
            }
        })
    };
    let onsubmit = {
        let (outcome, comment, problem, failed) = (
            outcome.clone(),
            comment.clone(),
            problem.clone(),
            failed.clone(),
        );
        let (on_saved, pupil, goal, i18n) = (props.on_saved.clone(), props.pupil, props.goal, i18n);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = IupFollowUpInput {
                outcome: *outcome,
                comment: (*comment).clone(),
            };
            if let Err(err) = check_follow_up(&input) {
                problem.set(Some(rule_text(&i18n, err)));
                return;
            }
            problem.set(None);
            let (failed, on_saved) = (failed.clone(), on_saved.clone());
            spawn_local(async move {
                match api::follow_up_goal(pupil, goal, &input).await {
                    Ok(now) => on_saved.emit((now, "iup.follow_up_saved")),
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let outcome_id = format!("{prefix}-outcome");
    html! {
        <form class="form iup-follow-up" {onsubmit} novalidate=true>
            if let Some(text) = &*problem {
                { error_alert(&i18n, "iup-follow-problem", None, Some(text.as_str())) }
            }
            if let Some(err) = &*failed {
                { error_alert(&i18n, "iup-follow-error", Some(err), None) }
            }
            <div class="field">
                <label class="field__label" for={outcome_id.clone()}>{ i18n.t("iup.follow_up") }</label>
                <select class="field__input" id={outcome_id} {onchange}>
                    { for GoalOutcome::ALL.iter().map(|o| html! {
                        <option value={o.code()} selected={*outcome == *o}>{ i18n.t(&format!("iup.outcome.{}", o.code())) }</option>
                    }) }
                </select>
            </div>
            { textarea(&format!("{prefix}-comment"), i18n.t("iup.comment").to_owned(), &comment, None) }
            <button type="submit" class="button button--secondary iup-save-follow-up">{ i18n.t("iup.save_follow_up") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct NewAssessmentProps {
    pupil: Uuid,
    subjects: Vec<Activity>,
    on_saved: Callback<(DevelopmentPlan, &'static str)>,
}

/// A subject teacher's omdöme for this school year.
#[function_component]
fn NewAssessment(props: &NewAssessmentProps) -> Html {
    let i18n = use_i18n();
    let first = props.subjects.first().copied().unwrap_or(Activity::Swedish);
    let activity = use_state(|| first);
    let level = use_state(|| AssessmentLevel::Adequate);
    let comment = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let failed = use_state(|| None::<ClientError>);
    let on_activity = {
        let activity = activity.clone();
        Callback::from(move |e: Event| {
            let code = select_value(&e);
            if let Some(a) = Activity::ALL.iter().find(|a| a.code() == code) {
                activity.set(*a);
            }
        })
    };
    let on_level = {
        let level = level.clone();
        Callback::from(move |e: Event| {
            let code = select_value(&e);
            if let Some(l) = AssessmentLevel::ALL.iter().find(|l| l.code() == code) {
                level.set(*l);
            }
        })
    };
    let onsubmit = {
        let (activity, level, comment, problem, failed) = (
            activity.clone(),
            level.clone(),
            comment.clone(),
            problem.clone(),
            failed.clone(),
        );
        let (on_saved, pupil, i18n) = (props.on_saved.clone(), props.pupil, i18n);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = IupAssessmentInput {
                activity: *activity,
                level: *level,
                comment: (*comment).clone(),
            };
            if let Err(err) = check_assessment(&input) {
                problem.set(Some(rule_text(&i18n, err)));
                return;
            }
            problem.set(None);
            let (failed, on_saved, comment) = (failed.clone(), on_saved.clone(), comment.clone());
            spawn_local(async move {
                match api::save_assessment(pupil, &input).await {
                    Ok(now) => {
                        comment.set(String::new());
                        on_saved.emit((now, "iup.assessment_saved"));
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    html! {
        <form class="form iup-new-assessment" {onsubmit} novalidate=true>
            <h3>{ i18n.t("iup.new_assessment_heading") }</h3>
            if let Some(text) = &*problem {
                { error_alert(&i18n, "iup-assessment-problem", None, Some(text.as_str())) }
            }
            if let Some(err) = &*failed {
                { error_alert(&i18n, "iup-assessment-error", Some(err), None) }
            }
            <div class="field">
                <label class="field__label" for="iup-assessment-subject">{ i18n.t("iup.subject") }</label>
                <select class="field__input" id="iup-assessment-subject" onchange={on_activity}>
                    { for props.subjects.iter().map(|a| html! {
                        <option value={a.code()} selected={*activity == *a}>{ activity_text(&i18n, *a) }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="iup-assessment-level">{ i18n.t("iup.level") }</label>
                <select class="field__input" id="iup-assessment-level" onchange={on_level}>
                    { for AssessmentLevel::ALL.iter().map(|l| html! {
                        <option value={l.code()} selected={*level == *l}>{ i18n.t(&format!("iup.level.{}", l.code())) }</option>
                    }) }
                </select>
            </div>
            { textarea("iup-assessment-comment", i18n.t("iup.comment").to_owned(), &comment, Some(i18n.t("iup.assessment_hint").to_owned())) }
            <button type="submit" id="iup-save-assessment" class="button button--primary">{ i18n.t("iup.save_assessment") }</button>
        </form>
    }
}
