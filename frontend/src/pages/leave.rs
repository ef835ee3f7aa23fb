//! Leave (ledighet). `/ledighet`: a guardian applies for a child's leave (days ahead and a reason
//! code, no text), sees the applications, agrees to the other guardian's, and withdraws before
//! the decision. `/personal/ledighet`: the mentor or the principal grants or refuses what waits
//! for them. The rules are `shared::leave`'s and the server's (`school::leave`); the page checks
//! the days as the server does before sending.

use skolportal_shared::api::{
    ChildCard, LeaveAction, LeaveApplication, LeaveDecision, LeaveReason, NewLeaveApplication,
    PersonAction,
};
use skolportal_shared::leave::check_days;
use skolportal_shared::wire_date::parse_date;
use uuid::Uuid;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{
    error_alert, loading, radio_group, select_field, status_message, RadioGroupProps, RadioOption,
    TextField,
};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

const ERROR_ID: &str = "leave-error";

/// What a button on an application's card asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Agree,
    Withdraw,
    Grant,
    Refuse,
}
const STATUS_ID: &str = "leave-status";

/// The children this guardian may apply for.
fn applicable(children: &[ChildCard]) -> Vec<&ChildCard> {
    children
        .iter()
        .filter(|c| c.permitted_actions.contains(&PersonAction::ApplyForLeave))
        .collect()
}

#[function_component]
pub fn LeavePage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("leave.title"));
    let children = use_state(|| None::<Result<Vec<ChildCard>, ClientError>>);
    let list = use_state(|| None::<Result<Vec<LeaveApplication>, ClientError>>);
    let reload = use_state(|| 0u32);
    let child = use_state(String::new);
    let first = use_state(String::new);
    let last = use_state(String::new);
    let reason = use_state(|| None::<LeaveReason>);
    let problem = use_state(|| None::<String>);
    let failed = use_state(|| None::<ClientError>);
    let told = use_state(|| None::<&'static str>);
    // One submit is one application, however often it is sent: the id is kept until it lands.
    let submission = use_state(|| None::<Uuid>);
    {
        let children = children.clone();
        use_effect_with((), move |()| {
            spawn_local(async move { children.set(Some(api::children().await)) });
        });
    }
    {
        let list = list.clone();
        use_effect_with(*reload, move |_| {
            spawn_local(async move { list.set(Some(api::leave_applications().await)) });
        });
    }
    let field = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |value: String| state.set(value))
    };
    let choices: Vec<(String, String)> = match &*children {
        Some(Ok(loaded)) => applicable(loaded)
            .into_iter()
            .map(|c| {
                (
                    c.id.to_string(),
                    format!("{} {}", c.given_name, c.family_name),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let chosen_child = if child.is_empty() {
        choices
            .first()
            .map(|(id, _)| id.clone())
            .unwrap_or_default()
    } else {
        (*child).clone()
    };
    let onsubmit = {
        let (first, last, reason, problem, failed, told, submission, reload) = (
            first.clone(),
            last.clone(),
            reason.clone(),
            problem.clone(),
            failed.clone(),
            told.clone(),
            submission.clone(),
            reload.clone(),
        );
        let chosen_child = chosen_child.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            told.set(None);
            failed.set(None);
            let days = (parse_date(first.trim()), parse_date(last.trim()));
            let (Some(first_day), Some(last_day)) = days else {
                problem.set(Some("day_sheet.date_invalid".into()));
                return;
            };
            let Some(reason) = *reason else {
                problem.set(Some("error.absence_choose_reason".into()));
                return;
            };
            if let Some(today) = crate::dom::today_in_sweden() {
                if let Err(rule) = check_days(first_day, last_day, today) {
                    problem.set(Some(format!("error.{}", rule.code())));
                    return;
                }
            }
            let Ok(child_id) = Uuid::parse_str(&chosen_child) else {
                return;
            };
            problem.set(None);
            // Where the browser has no `crypto.randomUUID` (not a secure context), the moment
            // of the submit names it: a retry of this submit still sends the same id.
            let submission_id = (*submission)
                .or_else(crate::dom::random_uuid)
                .or_else(|| {
                    crate::dom::now()
                        .and_then(|t| t.timestamp_nanos_opt())
                        .map(|n| Uuid::from_u128(n.unsigned_abs().into()))
                })
                .unwrap_or_default();
            submission.set(Some(submission_id));
            let body = NewLeaveApplication {
                submission_id,
                child_id,
                first_day,
                last_day,
                reason,
            };
            let (failed, told, submission, reload) = (
                failed.clone(),
                told.clone(),
                submission.clone(),
                reload.clone(),
            );
            spawn_local(async move {
                match api::apply_for_leave(&body).await {
                    Ok(_) => {
                        submission.set(None);
                        told.set(Some("leave.sent"));
                        reload.set(*reload + 1);
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let act = {
        let (reload, told, failed) = (reload.clone(), told.clone(), failed.clone());
        Callback::from(move |(id, answer): (Uuid, Answer)| {
            let (reload, told, failed) = (reload.clone(), told.clone(), failed.clone());
            spawn_local(async move {
                let result = match answer {
                    Answer::Agree => api::agree_to_leave(id).await,
                    _ => api::withdraw_leave(id).await,
                };
                match result {
                    Ok(_) => {
                        told.set(Some(if answer == Answer::Agree {
                            "leave.agreed"
                        } else {
                            "leave.withdrawn"
                        }));
                        reload.set(*reload + 1);
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let reason_group = radio_group(&RadioGroupProps {
        id: "leave-reason".into(),
        legend: i18n.t("leave.reason").to_owned().into(),
        name: "reason".into(),
        options: LeaveReason::ALL
            .iter()
            .map(|r| RadioOption {
                id: format!("leave-reason-{}", r.code()).into(),
                value: r.code().into(),
                label: i18n
                    .t(&format!("leave.reason.{}", r.code()))
                    .to_owned()
                    .into(),
            })
            .collect(),
        selected: reason.map(|r| r.code().into()),
        onchange: {
            let reason = reason.clone();
            Callback::from(move |value: AttrValue| {
                reason.set(
                    LeaveReason::ALL
                        .iter()
                        .copied()
                        .find(|r| r.code() == value.as_str()),
                );
            })
        },
        hint: None,
        error: None,
    });
    let form = match &*children {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "leave-children-error", Some(err), None),
        Some(Ok(_)) if choices.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("leave.none") }</p> }
        }
        Some(Ok(_)) => html! {
            <form class="form" novalidate=true {onsubmit}>
                { select_field("leave-child", i18n.t("leave.child"), &choices, &chosen_child, field(&child), None) }
                { TextField::new("leave-first-day", i18n.t("leave.first_day"), (*first).clone(), field(&first), "off").input_type("date") }
                { TextField::new("leave-last-day", i18n.t("leave.last_day"), (*last).clone(), field(&last), "off").input_type("date") }
                { reason_group }
                <div class="actions">
                    <button type="submit" id="leave-submit" class="button button--primary">{ i18n.t("leave.submit") }</button>
                </div>
            </form>
        },
    };
    let applications = match &*list {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "leave-list-error", Some(err), None),
        Some(Ok(items)) if items.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("leave.none") }</p> }
        }
        Some(Ok(items)) => html! {
            <ul class="card-list leave-applications">
                { for items.iter().map(|a| application_html(&i18n, a, &act)) }
            </ul>
        },
    };
    let problem_text = (*problem).as_ref().map(|key| i18n.t(key).to_owned());
    html! {
        <>
            <h1>{ i18n.t("leave.title") }</h1>
            <p class="lead">{ i18n.t("leave.intro") }</p>
            <section class="section" aria-labelledby="leave-form-heading">
                <h2 id="leave-form-heading">{ i18n.t("leave.form_heading") }</h2>
                { error_alert(&i18n, ERROR_ID, (*failed).as_ref(), problem_text.as_deref()) }
                { status_message(STATUS_ID, (*told).map(|key| i18n.t(key))) }
                { form }
            </section>
            <section class="section" aria-labelledby="leave-list-heading">
                <h2 id="leave-list-heading">{ i18n.t("leave.list_heading") }</h2>
                { applications }
            </section>
        </>
    }
}

/// One application as a card, with the buttons `act` answers (agree, withdraw; or grant and
/// refuse on the staff's page).
fn application_html(
    i18n: &I18n,
    application: &LeaveApplication,
    act: &Callback<(Uuid, Answer)>,
) -> Html {
    let id = application.id;
    let may = |action| application.permitted_actions.contains(&action);
    let days = if application.first_day == application.last_day {
        i18n.weekday_date(application.first_day)
    } else {
        format!(
            "{} – {}",
            i18n.weekday_date(application.first_day),
            i18n.weekday_date(application.last_day)
        )
    };
    let button = |answer: Answer, key: &'static str, class: &'static str| {
        let act = act.clone();
        let onclick = Callback::from(move |_: MouseEvent| act.emit((id, answer)));
        let label = format!("{}: {}, {days}", i18n.t(key), application.child_name);
        html! {
            <button type="button" class={classes!("button", class)} aria-label={label} {onclick}>{ i18n.t(key) }</button>
        }
    };
    html! {
        <li class="card leave-application" key={id.to_string()}>
            <h3 class="card__title">{ application.child_name.clone() }</h3>
            <p>{ days.clone() }</p>
            <p class="hint">
                { i18n.tf("leave.school_days", &[("count", &application.school_days.to_string())]) }
                { " · " }
                { i18n.t(&format!("leave.reason.{}", application.reason.code())) }
                { " · " }
                { i18n.t(&format!("leave.decider.{}", application.decider.code())) }
            </p>
            <p><strong>{ i18n.t(&format!("leave.status.{}", application.status.code())) }</strong></p>
            if !application.awaiting.is_empty() {
                <p class="hint">{ i18n.tf("leave.awaiting", &[("names", &application.awaiting.join(", "))]) }</p>
            }
            if !application.applied_by.is_empty() {
                <p class="hint">{ i18n.tf("leave.applied_by", &[("name", &application.applied_by)]) }</p>
            }
            if let Some(name) = &application.decided_by {
                <p class="hint">{ i18n.tf("leave.decided_by", &[("name", name)]) }</p>
            }
            if may(LeaveAction::Agree) || may(LeaveAction::Withdraw) || may(LeaveAction::Decide) {
                <div class="actions">
                    if may(LeaveAction::Agree) { { button(Answer::Agree, "leave.agree", "button--primary") } }
                    if may(LeaveAction::Decide) {
                        { button(Answer::Grant, "leave.grant", "button--primary") }
                        { button(Answer::Refuse, "leave.refuse", "button--secondary") }
                    }
                    if may(LeaveAction::Withdraw) { { button(Answer::Withdraw, "leave.withdraw", "button--secondary") } }
                </div>
            }
        </li>
    }
}

#[function_component]
pub fn LeaveDecisionsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("leave.staff_title"));
    let list = use_state(|| None::<Result<Vec<LeaveApplication>, ClientError>>);
    let reload = use_state(|| 0u32);
    let told = use_state(|| None::<&'static str>);
    let failed = use_state(|| None::<ClientError>);
    {
        let list = list.clone();
        use_effect_with(*reload, move |_| {
            spawn_local(async move { list.set(Some(api::leave_to_decide().await)) });
        });
    }
    let act = {
        let (reload, told, failed) = (reload.clone(), told.clone(), failed.clone());
        Callback::from(move |(id, answer): (Uuid, Answer)| {
            let decision = LeaveDecision {
                grant: answer == Answer::Grant,
            };
            let (reload, told, failed) = (reload.clone(), told.clone(), failed.clone());
            spawn_local(async move {
                match api::decide_leave(id, &decision).await {
                    Ok(_) => {
                        told.set(Some("leave.decided"));
                        reload.set(*reload + 1);
                    }
                    Err(err) => failed.set(Some(err)),
                }
            });
        })
    };
    let body = match &*list {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "leave-list-error", Some(err), None),
        Some(Ok(items)) if items.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("leave.staff_none") }</p> }
        }
        Some(Ok(items)) => html! {
            <ul class="card-list leave-applications">
                { for items.iter().map(|a| application_html(&i18n, &deciding(a), &act)) }
            </ul>
        },
    };
    html! {
        <>
            <h1>{ i18n.t("leave.staff_title") }</h1>
            <p class="lead">{ i18n.t("leave.staff_intro") }</p>
            { error_alert(&i18n, ERROR_ID, (*failed).as_ref(), None) }
            { status_message(STATUS_ID, (*told).map(|key| i18n.t(key))) }
            { body }
        </>
    }
}

/// On the deciding page only the decision is offered, whatever else the policy allows.
fn deciding(application: &LeaveApplication) -> LeaveApplication {
    let mut shown = application.clone();
    shown
        .permitted_actions
        .retain(|a| *a == LeaveAction::Decide);
    shown
}
