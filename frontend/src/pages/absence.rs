//! `/franvaro` ("Frånvaro"): a guardian reports absence for one or several children in one
//! submit (whole days, or part of one day, with a reason code and no text), and changes or
//! withdraws the reports that stand until they start. The rules are `shared::absence`'s: the
//! form checks with them as the guardian submits, the server decides with the same.
//!
//! Each submit has its own `submission_id`, kept while the form is unchanged, so a retry after
//! a lost answer makes no second report. Without a network the service worker keeps the submit
//! and answers `queued` (`assets/sw.js`, outbox); the page says so, and says again when the
//! worker has sent it.

use chrono::{NaiveDate, NaiveDateTime};
use skolportal_shared::absence::{check, AbsenceError};
use skolportal_shared::api::{
    AbsenceInput, AbsenceReason, AbsenceReport, AbsenceReportAction, ChildCard, NewAbsenceReport,
    PersonAction,
};
use skolportal_shared::lang::time_range;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError, Pending, Reported};
use crate::components::{
    error_alert, loading, radio_group, status_message, RadioGroupProps, RadioOption, TextField,
};
use crate::dom;
use crate::hooks::{use_i18n, use_model, use_title, Model, ModelHandle};
use crate::i18n::{swedish_time, I18n};

const ERROR_ID: &str = "absence-error";
const STATUS_ID: &str = "absence-status";
const FORM_HEADING_ID: &str = "absence-form-heading";

/// What the guardian has filled in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Form {
    pub chosen: Vec<Uuid>,
    pub first_day: String,
    pub last_day: String,
    pub part_of_day: bool,
    pub from: String,
    pub to: String,
    pub reason: Option<AbsenceReason>,
}

/// What the page last told the guardian.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    Sent,
    /// Kept on the phone by the service worker, to be sent when the network returns.
    Queued,
    QueuedSent,
    QueuedRefused,
    Changed,
    Withdrawn,
}

/// A problem the form finds before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Rule(AbsenceError),
    NoReason,
    /// A date field that is not a date.
    InvalidDate,
}

impl Problem {
    fn key(self) -> String {
        match self {
            Problem::Rule(rule) => format!("error.{}", rule.code()),
            Problem::NoReason => "error.absence_choose_reason".to_owned(),
            Problem::InvalidDate => "day_sheet.date_invalid".to_owned(),
        }
    }
}

pub struct Absences {
    pub children: Option<Result<Vec<ChildCard>, ClientError>>,
    pub reports: Option<Result<Vec<AbsenceReport>, ClientError>>,
    pub form: Form,
    /// The report being changed, instead of a new one.
    pub editing: Option<Uuid>,
    /// The id of the submit in the form, made at its first send and kept for its retries.
    pub submission: Option<Uuid>,
    pub busy: bool,
    pub error: Option<ClientError>,
    pub problem: Option<Problem>,
    pub told: Option<Told>,
    /// Where focus goes after the next render.
    pub focus: Option<&'static str>,
}

pub enum Msg {
    Load,
    Children(Result<Vec<ChildCard>, ClientError>),
    Reports(Result<Vec<AbsenceReport>, ClientError>),
    Toggle(Uuid),
    FirstDay(String),
    LastDay(String),
    PartOfDay(bool),
    From(String),
    To(String),
    Reason(AbsenceReason),
    /// Send, as of `now` (Swedish time); `fresh` is the id a new submit gets.
    Submit {
        now: NaiveDateTime,
        fresh: Option<Uuid>,
    },
    Reported(Result<Reported, ClientError>),
    Change(Uuid),
    CancelChange,
    Changed(Result<AbsenceReport, ClientError>),
    Withdraw(Uuid),
    Withdrawn(Result<(), ClientError>),
    /// The service worker sent what it kept; `true` when the server refused some of it.
    OutboxSent(bool),
}

pub enum Task {
    Children,
    Reports,
    Report(NewAbsenceReport),
    Change(Uuid, AbsenceInput),
    Withdraw(Uuid),
}

impl Absences {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            children: None,
            reports: None,
            form: Form {
                first_day: today.to_string(),
                last_day: today.to_string(),
                ..Form::default()
            },
            editing: None,
            submission: None,
            busy: false,
            error: None,
            problem: None,
            told: None,
            focus: None,
        }
    }

    /// The children this adult may report absent.
    pub fn reportable(&self) -> Vec<&ChildCard> {
        match &self.children {
            Some(Ok(children)) => children
                .iter()
                .filter(|c| c.permitted_actions.contains(&PersonAction::ReportAbsence))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The form as the API's input, checked by the shared rules at `now`.
    fn input(&self, now: NaiveDateTime) -> Result<AbsenceInput, Problem> {
        let date = |text: &str| {
            skolportal_shared::wire_date::parse_date(text.trim()).ok_or(Problem::InvalidDate)
        };
        let first_day = date(&self.form.first_day)?;
        // Part of a day is one day: the last day is the first.
        let last_day = if self.form.part_of_day {
            first_day
        } else {
            date(&self.form.last_day)?
        };
        let time = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let (starts_at, ends_at) = if self.form.part_of_day {
            let times = (time(&self.form.from), time(&self.form.to));
            // Neither time would read as the whole day, which is not what was chosen.
            if times == (None, None) {
                return Err(Problem::Rule(AbsenceError::InvalidTimes));
            }
            times
        } else {
            (None, None)
        };
        let input = AbsenceInput {
            first_day,
            last_day,
            starts_at,
            ends_at,
            // A stand-in while the days and hours are checked: a missing reason is said after
            // them, as the form reads from the top.
            reason: self.form.reason.unwrap_or(AbsenceReason::Sick),
        };
        check(&input, now).map_err(Problem::Rule)?;
        if self.form.reason.is_none() {
            return Err(Problem::NoReason);
        }
        Ok(input)
    }

    /// An edit of the form: a new submit from now on, and nothing told of the last one.
    fn edited(&mut self) {
        self.submission = None;
        self.problem = None;
        self.told = None;
    }

    fn reset_form(&mut self, today: Option<NaiveDate>) {
        let day = today.map(|d| d.to_string()).unwrap_or_default();
        self.form = Form {
            first_day: day.clone(),
            last_day: day,
            ..Form::default()
        };
        self.editing = None;
        self.submission = None;
    }
}

impl Model for Absences {
    type Msg = Msg;
    type Task = Task;

    fn update(&mut self, msg: Msg) -> Option<Task> {
        match msg {
            Msg::Load => return Some(Task::Children),
            Msg::Children(children) => {
                self.children = Some(children);
                // One child is chosen from the start: there is nothing else to choose.
                if let [only] = self.reportable().as_slice() {
                    self.form.chosen = vec![only.id];
                }
            }
            Msg::Reports(reports) => self.reports = Some(reports),
            Msg::Toggle(child) => {
                match self.form.chosen.iter().position(|c| *c == child) {
                    Some(at) => {
                        self.form.chosen.remove(at);
                    }
                    None => self.form.chosen.push(child),
                }
                self.edited();
            }
            Msg::FirstDay(text) => {
                // A later first day carries the last day with it: the usual case is one day.
                if self.form.last_day.trim() < text.trim() || self.form.last_day.is_empty() {
                    self.form.last_day = text.clone();
                }
                self.form.first_day = text;
                self.edited();
            }
            Msg::LastDay(text) => {
                self.form.last_day = text;
                self.edited();
            }
            Msg::PartOfDay(part) => {
                self.form.part_of_day = part;
                self.edited();
            }
            Msg::From(text) => {
                self.form.from = text;
                self.edited();
            }
            Msg::To(text) => {
                self.form.to = text;
                self.edited();
            }
            Msg::Reason(reason) => {
                self.form.reason = Some(reason);
                self.edited();
            }
            Msg::Submit { now, fresh } => {
                if self.busy {
                    return None;
                }
                self.error = None;
                self.told = None;
                let input = match self.input(now) {
                    Ok(input) => input,
                    Err(problem) => {
                        self.problem = Some(problem);
                        self.focus = Some(ERROR_ID);
                        return None;
                    }
                };
                self.problem = None;
                if let Some(report) = self.editing {
                    self.busy = true;
                    return Some(Task::Change(report, input));
                }
                let children: Vec<Uuid> = self
                    .reportable()
                    .iter()
                    .map(|c| c.id)
                    .filter(|id| self.form.chosen.contains(id))
                    .collect();
                if children.is_empty() {
                    self.problem = Some(Problem::Rule(AbsenceError::NoChildren));
                    self.focus = Some(ERROR_ID);
                    return None;
                }
                let Some(submission_id) = self.submission.or(fresh) else {
                    self.error = Some(ClientError::InvalidResponse);
                    return None;
                };
                self.submission = Some(submission_id);
                self.busy = true;
                return Some(Task::Report(NewAbsenceReport {
                    submission_id,
                    child_ids: children,
                    absence: input,
                }));
            }
            Msg::Reported(result) => {
                self.busy = false;
                match result {
                    Ok(Reported::Sent(_)) => {
                        self.told = Some(Told::Sent);
                        self.reset_form(self.today());
                        self.focus = Some(STATUS_ID);
                        return Some(Task::Reports);
                    }
                    Ok(Reported::Kept { queued }) => {
                        self.told = Some(if queued { Told::Queued } else { Told::Sent });
                        self.reset_form(self.today());
                        self.focus = Some(STATUS_ID);
                    }
                    Err(error) => {
                        self.error = Some(error);
                        self.focus = Some(ERROR_ID);
                    }
                }
            }
            Msg::Change(report) => {
                let found = match &self.reports {
                    Some(Ok(reports)) => reports.iter().find(|r| r.id == report).cloned(),
                    _ => None,
                };
                let found = found?;
                self.form = Form {
                    chosen: vec![found.child_id],
                    first_day: found.first_day.to_string(),
                    last_day: found.last_day.to_string(),
                    part_of_day: found.starts_at.is_some(),
                    from: found.starts_at.clone().unwrap_or_default(),
                    to: found.ends_at.clone().unwrap_or_default(),
                    reason: Some(found.reason),
                };
                self.editing = Some(report);
                self.edited();
                self.error = None;
                self.focus = Some(FORM_HEADING_ID);
            }
            Msg::CancelChange => {
                self.reset_form(self.today());
                self.edited();
                self.error = None;
                self.focus = Some(FORM_HEADING_ID);
            }
            Msg::Changed(result) => {
                self.busy = false;
                match result {
                    Ok(_) => {
                        self.told = Some(Told::Changed);
                        self.reset_form(self.today());
                        self.focus = Some(STATUS_ID);
                        return Some(Task::Reports);
                    }
                    Err(error) => {
                        self.error = Some(error);
                        self.focus = Some(ERROR_ID);
                    }
                }
            }
            Msg::Withdraw(report) => {
                if self.busy {
                    return None;
                }
                self.busy = true;
                self.error = None;
                self.told = None;
                return Some(Task::Withdraw(report));
            }
            Msg::Withdrawn(result) => {
                self.busy = false;
                match result {
                    Ok(()) => {
                        self.told = Some(Told::Withdrawn);
                        self.focus = Some(STATUS_ID);
                        return Some(Task::Reports);
                    }
                    Err(error) => {
                        self.error = Some(error);
                        self.focus = Some(ERROR_ID);
                    }
                }
            }
            Msg::OutboxSent(refused) => {
                self.told = Some(if refused {
                    Told::QueuedRefused
                } else {
                    Told::QueuedSent
                });
                return Some(Task::Reports);
            }
        }
        None
    }

    fn run(task: Task) -> Pending<Msg> {
        match task {
            Task::Children => api::children().then(Msg::Children),
            Task::Reports => api::absence_reports().then(Msg::Reports),
            Task::Report(body) => api::report_absence(&body).then(Msg::Reported),
            Task::Change(id, body) => api::change_absence_report(id, &body).then(Msg::Changed),
            Task::Withdraw(id) => api::withdraw_absence_report(id).then(Msg::Withdrawn),
        }
    }
}

impl Absences {
    fn today(&self) -> Option<NaiveDate> {
        dom_today()
    }
}

/// Today by the device's clock; never in native tests (no JavaScript), where the form is left
/// without dates after a send.
#[cfg(target_arch = "wasm32")]
fn dom_today() -> Option<NaiveDate> {
    dom::today_in_sweden()
}

#[cfg(not(target_arch = "wasm32"))]
fn dom_today() -> Option<NaiveDate> {
    None
}

#[function_component]
pub fn AbsencePage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("absence.title"));
    let model = use_model(
        || Absences::new(dom::today_in_sweden().unwrap_or_default()),
        Msg::Load,
    );
    {
        let model = model.clone();
        use_effect_with((), move |_| {
            // The children come with `Msg::Load`; the reports at the same time.
            model.start(Task::Reports);
            dom::watch_outbox(move |refused| model.send(Msg::OutboxSent(refused)));
            dom::unwatch_outbox
        });
    }
    {
        let model = model.clone();
        use_effect(move || {
            let focus = model.peek_mut().focus.take();
            if let Some(id) = focus {
                dom::focus(id);
            }
        });
    }
    let page = model.get();
    let body = match &page.children {
        None => loading(&i18n),
        Some(Err(error)) if error.is_unauthenticated() => loading(&i18n),
        Some(Err(error)) => error_alert(&i18n, ERROR_ID, Some(error), None),
        Some(Ok(_)) if page.reportable().is_empty() => html! {
            <p class="empty-state">{ i18n.t("absence.no_children") }</p>
        },
        Some(Ok(_)) => html! {
            <>
                { form_html(&i18n, &model, &page) }
                { reports_html(&i18n, &model, &page) }
            </>
        },
    };
    html! {
        <div class="page page--narrow absence-page">
            <h1>{ i18n.t("absence.title") }</h1>
            <p class="lead">{ i18n.t("absence.intro") }</p>
            { body }
        </div>
    }
}

fn told_text(i18n: &I18n, told: Option<Told>) -> Option<&str> {
    told.map(|told| match told {
        Told::Sent => i18n.t("absence.sent"),
        Told::Queued => i18n.t("absence.queued"),
        Told::QueuedSent => i18n.t("absence.queued_sent"),
        Told::QueuedRefused => i18n.t("absence.queued_refused"),
        Told::Changed => i18n.t("absence.changed"),
        Told::Withdrawn => i18n.t("absence.withdrawn_done"),
    })
}

fn form_html(i18n: &I18n, model: &ModelHandle<Absences>, page: &Absences) -> Html {
    let form = &page.form;
    let problem = page.problem;
    let problem_text = problem.map(|p| i18n.t(&p.key()).to_owned());
    let rule = |wanted: &[AbsenceError]| {
        problem.and_then(|p| match p {
            Problem::Rule(rule) if wanted.contains(&rule) => Some(i18n.t(&p.key()).to_owned()),
            _ => None,
        })
    };
    let editing_child = page.editing.and_then(|id| match &page.reports {
        Some(Ok(reports)) => reports
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.child_name.clone()),
        _ => None,
    });
    let heading = match &editing_child {
        Some(child) => i18n.tf("absence.change_of", &[("child", child)]),
        None => i18n.t("absence.form_heading").to_owned(),
    };
    let onsubmit = {
        let model = model.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let now = dom::now().map(swedish_time).unwrap_or_default();
            model.send(Msg::Submit {
                now,
                fresh: dom::random_uuid(),
            });
        })
    };
    let text = |make: fn(String) -> Msg| {
        let model = model.clone();
        Callback::from(move |value: String| model.send(make(value)))
    };
    let children_error = rule(&[AbsenceError::NoChildren]);
    let children_html = if page.editing.is_some() {
        Html::default()
    } else {
        let error_id = "absence-children-error";
        html! {
            <fieldset class={classes!("field", "checkbox-group", children_error.as_ref().map(|_| "field--error"))} aria-describedby={children_error.as_ref().map(|_| error_id)}>
                <legend class="field__label">{ i18n.t("absence.children") }</legend>
                if let Some(error) = &children_error {
                    <p id={error_id} class="field__error">{ error.clone() }</p>
                }
                { for page.reportable().into_iter().map(|child| {
                    let id = format!("absence-child-{}", child.id);
                    let checked = form.chosen.contains(&child.id);
                    let child_id = child.id;
                    let model = model.clone();
                    let onchange = Callback::from(move |_: Event| model.send(Msg::Toggle(child_id)));
                    html! {
                        <div class="checkbox">
                            <input class="checkbox__input" type="checkbox" id={id.clone()} name="child" value={child.id.to_string()} {checked} {onchange} />
                            <label class="checkbox__label" for={id}>{ format!("{} {}", child.given_name, child.family_name) }</label>
                        </div>
                    }
                }) }
            </fieldset>
        }
    };
    let extent = radio_group(&RadioGroupProps {
        id: "absence-extent".into(),
        legend: i18n.t("absence.extent").to_owned().into(),
        name: "extent".into(),
        options: vec![
            RadioOption {
                id: "absence-whole".into(),
                value: "whole".into(),
                label: i18n.t("absence.whole_days").to_owned().into(),
            },
            RadioOption {
                id: "absence-part".into(),
                value: "part".into(),
                label: i18n.t("absence.part_of_day").to_owned().into(),
            },
        ],
        selected: Some(if form.part_of_day { "part" } else { "whole" }.into()),
        onchange: {
            let model = model.clone();
            Callback::from(move |value: AttrValue| model.send(Msg::PartOfDay(value == "part")))
        },
        hint: None,
        error: rule(&[AbsenceError::PartOfSeveralDays]).map(Into::into),
    });
    let reason = radio_group(&RadioGroupProps {
        id: "absence-reason".into(),
        legend: i18n.t("absence.reason").to_owned().into(),
        name: "reason".into(),
        options: [AbsenceReason::Sick, AbsenceReason::Other]
            .into_iter()
            .map(|reason| RadioOption {
                id: format!("absence-reason-{}", reason.code()).into(),
                value: reason.code().into(),
                label: i18n
                    .t(&format!("absence.reason.{}", reason.code()))
                    .to_owned()
                    .into(),
            })
            .collect(),
        selected: form.reason.map(|r| r.code().into()),
        onchange: {
            let model = model.clone();
            Callback::from(move |value: AttrValue| {
                let chosen = AbsenceReason::ALL
                    .iter()
                    .find(|r| r.code() == value.as_str());
                if let Some(reason) = chosen {
                    model.send(Msg::Reason(*reason));
                }
            })
        },
        hint: None,
        error: (problem == Some(Problem::NoReason))
            .then(|| i18n.t("error.absence_choose_reason").to_owned().into()),
    });
    let day_error = rule(&[AbsenceError::DayPassed, AbsenceError::TooLong]).or_else(|| {
        (problem == Some(Problem::InvalidDate)).then(|| i18n.t("day_sheet.date_invalid").to_owned())
    });
    let last_error = rule(&[AbsenceError::DaysReversed]);
    let time_error = rule(&[AbsenceError::InvalidTime, AbsenceError::InvalidTimes]);
    let busy = page.busy;
    let submit_text = match (busy, page.editing.is_some()) {
        (true, _) => i18n.t("absence.sending"),
        (false, true) => i18n.t("absence.save_change"),
        (false, false) => i18n.t("absence.submit"),
    };
    html! {
        <section class="section" aria-labelledby={FORM_HEADING_ID}>
            <h2 id={FORM_HEADING_ID} tabindex="-1">{ heading }</h2>
            { error_alert(i18n, ERROR_ID, page.error.as_ref(), problem_text.as_deref()) }
            { status_message(STATUS_ID, told_text(i18n, page.told)) }
            <form class="form absence-form" novalidate=true {onsubmit}>
                { children_html }
                { extent }
                <div class="absence-form__days">
                    { TextField::new("absence-first-day", if form.part_of_day { i18n.t("absence.day") } else { i18n.t("absence.first_day") }, form.first_day.clone(), text(Msg::FirstDay), "off")
                        .input_type("date")
                        .error(day_error) }
                    if !form.part_of_day {
                        { TextField::new("absence-last-day", i18n.t("absence.last_day"), form.last_day.clone(), text(Msg::LastDay), "off")
                            .input_type("date")
                            .error(last_error) }
                    }
                </div>
                if form.part_of_day {
                    <div class="absence-form__times">
                        { TextField::new("absence-from", i18n.t("absence.from"), form.from.clone(), text(Msg::From), "off")
                            .input_type("time")
                            .error(time_error.clone()) }
                        { TextField::new("absence-to", i18n.t("absence.to"), form.to.clone(), text(Msg::To), "off")
                            .input_type("time")
                            .error(time_error) }
                    </div>
                }
                { reason }
                <div class="actions">
                    <button type="submit" id="absence-submit" class="button button--primary" aria-busy={busy.then_some("true")}>
                        { submit_text }
                    </button>
                    if page.editing.is_some() {
                        <button type="button" class="button button--secondary" onclick={model_callback(model, |_| Msg::CancelChange)}>
                            { i18n.t("absence.cancel_change") }
                        </button>
                    }
                </div>
            </form>
        </section>
    }
}

fn model_callback(
    model: &ModelHandle<Absences>,
    make: impl Fn(MouseEvent) -> Msg + 'static,
) -> Callback<MouseEvent> {
    let model = model.clone();
    Callback::from(move |event: MouseEvent| model.send(make(event)))
}

/// The reports that stand, the earliest first, each with what may still be done with it.
fn reports_html(i18n: &I18n, model: &ModelHandle<Absences>, page: &Absences) -> Html {
    let list = match &page.reports {
        None => loading(i18n),
        Some(Err(error)) => error_alert(i18n, "absence-list-error", Some(error), None),
        Some(Ok(reports)) if reports.is_empty() => html! {
            <p class="empty-state">{ i18n.t("absence.none") }</p>
        },
        Some(Ok(reports)) => html! {
            <ul class="card-list absence-reports">
                { for reports.iter().map(|report| report_html(i18n, model, report, page.busy)) }
            </ul>
        },
    };
    html! {
        <section class="section" aria-labelledby="absence-list-heading">
            <h2 id="absence-list-heading">{ i18n.t("absence.list_heading") }</h2>
            { list }
        </section>
    }
}

fn report_html(
    i18n: &I18n,
    model: &ModelHandle<Absences>,
    report: &AbsenceReport,
    busy: bool,
) -> Html {
    let days = if report.first_day == report.last_day {
        i18n.weekday_date(report.first_day)
    } else {
        format!(
            "{} – {}",
            i18n.weekday_date(report.first_day),
            i18n.weekday_date(report.last_day)
        )
    };
    let hours = match (&report.starts_at, &report.ends_at) {
        (Some(from), Some(to)) => time_range(from, to),
        _ => i18n.t("absence.whole_day").to_owned(),
    };
    let may = |action| report.permitted_actions.contains(&action);
    let id = report.id;
    let child = report.child_name.as_str();
    html! {
        <li class="card absence-report" key={report.id.to_string()}>
            <h3 class="card__title">{ child }</h3>
            <p class="absence-report__when">{ format!("{days}, {hours}") }</p>
            <p>
                <span class="absence-mark">{ i18n.t(&format!("start.absence.{}", report.reason.code())) }</span>
            </p>
            if !report.reported_by.is_empty() {
                <p class="hint">{ i18n.tf("absence.reported_by", &[("name", &report.reported_by)]) }</p>
            }
            if may(AbsenceReportAction::Change) || may(AbsenceReportAction::Withdraw) {
                <div class="actions">
                    if may(AbsenceReportAction::Change) {
                        <button type="button" class="button button--secondary"
                            aria-label={i18n.tf("absence.change_of", &[("child", child)])}
                            disabled={busy}
                            onclick={model_callback(model, move |_| Msg::Change(id))}>
                            { i18n.t("absence.change") }
                        </button>
                    }
                    if may(AbsenceReportAction::Withdraw) {
                        <button type="button" class="button button--secondary"
                            aria-label={i18n.tf("absence.withdraw_of", &[("child", child)])}
                            disabled={busy}
                            onclick={model_callback(model, move |_| Msg::Withdraw(id))}>
                            { i18n.t("absence.withdraw") }
                        </button>
                    }
                </div>
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn card(n: u128, name: &str) -> ChildCard {
        ChildCard {
            id: Uuid::from_u128(n),
            given_name: name.into(),
            family_name: "Andersson".into(),
            birth_date: NaiveDate::from_ymd_opt(2015, 3, 1).unwrap_or_default(),
            relation: skolportal_shared::api::Relation::Guardian,
            address: None,
            phone: None,
            school_email: None,
            class_name: None,
            school_year: None,
            units: Vec::new(),
            permitted_actions: vec![PersonAction::ReportAbsence],
        }
    }

    fn page() -> Absences {
        let mut page = Absences::new(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default());
        page.update(Msg::Children(Ok(vec![card(1, "Nils"), card(2, "Saga")])));
        page
    }

    fn submitted(task: Option<Task>) -> Option<NewAbsenceReport> {
        match task? {
            Task::Report(body) => Some(body),
            _ => None,
        }
    }

    #[test]
    fn two_children_tomorrow_is_one_submit_and_a_retry_keeps_its_id() {
        let mut page = page();
        page.update(Msg::Toggle(Uuid::from_u128(1)));
        page.update(Msg::Toggle(Uuid::from_u128(2)));
        page.update(Msg::FirstDay("2026-11-25".into()));
        assert_eq!(page.form.last_day, "2026-11-25", "the last day follows");
        page.update(Msg::Reason(AbsenceReason::Sick));
        let now = at("2026-11-24 07:10");
        let first = Uuid::from_u128(77);
        let body = submitted(page.update(Msg::Submit {
            now,
            fresh: Some(first),
        }));
        let body = body.unwrap_or_else(|| panic!("no submit"));
        assert_eq!(body.child_ids, vec![Uuid::from_u128(1), Uuid::from_u128(2)]);
        assert_eq!(body.submission_id, first);
        assert_eq!(body.absence.starts_at, None);
        // The answer is lost; the guardian presses again: the same submit.
        page.update(Msg::Reported(Err(ClientError::Network)));
        let again = submitted(page.update(Msg::Submit {
            now,
            fresh: Some(Uuid::from_u128(78)),
        }));
        assert_eq!(again.map(|b| b.submission_id), Some(first));
        // A changed form is a new submit.
        page.update(Msg::Reported(Err(ClientError::Network)));
        page.update(Msg::Reason(AbsenceReason::Other));
        let changed = submitted(page.update(Msg::Submit {
            now,
            fresh: Some(Uuid::from_u128(79)),
        }));
        assert_eq!(changed.map(|b| b.submission_id), Some(Uuid::from_u128(79)));
    }

    #[test]
    fn what_the_rules_refuse_is_said_before_anything_is_sent() {
        let now = at("2026-11-24 07:10");
        let mut page = page();
        page.update(Msg::Reason(AbsenceReason::Sick));
        let fresh = Some(Uuid::from_u128(5));
        assert!(page.update(Msg::Submit { now, fresh }).is_none());
        assert_eq!(page.problem, Some(Problem::Rule(AbsenceError::NoChildren)));
        page.update(Msg::Toggle(Uuid::from_u128(1)));
        page.update(Msg::FirstDay("2026-11-23".into()));
        assert!(page.update(Msg::Submit { now, fresh }).is_none());
        assert_eq!(page.problem, Some(Problem::Rule(AbsenceError::DayPassed)));
        page.update(Msg::FirstDay("2026-11-24".into()));
        page.update(Msg::PartOfDay(true));
        page.update(Msg::From("10:00".into()));
        assert!(page.update(Msg::Submit { now, fresh }).is_none());
        assert_eq!(
            page.problem,
            Some(Problem::Rule(AbsenceError::InvalidTimes))
        );
        page.update(Msg::To("12:00".into()));
        let body = submitted(page.update(Msg::Submit { now, fresh }));
        let absence = body.map(|b| b.absence);
        assert_eq!(
            absence.and_then(|a| a.starts_at.zip(a.ends_at)),
            Some(("10:00".into(), "12:00".into()))
        );
    }

    #[test]
    fn a_report_kept_offline_is_told_and_told_again_when_sent() {
        let mut page = page();
        page.update(Msg::Toggle(Uuid::from_u128(1)));
        page.update(Msg::Reason(AbsenceReason::Sick));
        page.update(Msg::Submit {
            now: at("2026-11-24 07:10"),
            fresh: Some(Uuid::from_u128(9)),
        });
        assert!(page
            .update(Msg::Reported(Ok(Reported::Kept { queued: true })))
            .is_none());
        assert_eq!(page.told, Some(Told::Queued));
        assert_eq!(page.submission, None, "the next submit is a new one");
        let task = page.update(Msg::OutboxSent(false));
        assert!(matches!(task, Some(Task::Reports)));
        assert_eq!(page.told, Some(Told::QueuedSent));
    }
}
