use chrono::NaiveDate;
use skolportal_shared::api::{
    ApplicationAction, ApplicationRequest, ApplicationStatus, ApplicationView, ChildCard,
    ChildcareUnit, ChildcareUnitKind, PersonAction,
};
use skolportal_shared::eligibility::{self, Ineligible};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode, Pending};
use crate::app::Route;
use crate::components::{
    back_link, badge, check_date, error_alert, facts_list, link, loading, radio_group,
    select_field, status_message, DateProblem, RadioGroupProps, RadioOption, TextField,
};
use crate::dom;
use crate::hooks::{use_i18n, use_model, use_title, Model, ModelHandle};
use crate::i18n::I18n;

const ERROR_ID: &str = "apply-error";
const LIST_HEADING_ID: &str = "applications-heading";
/// The most units an application may rank, and the `id`s of their selects.
const CHOICE_IDS: [&str; 3] = ["unit-1", "unit-2", "unit-3"];
/// The hours per week the server takes.
pub const HOURS: std::ops::RangeInclusive<i32> = 1..=60;

/// What is wrong with the ranked units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitsProblem {
    /// No first choice.
    None,
    /// The same unit twice.
    Duplicate,
}

/// What is wrong with the hours per week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursProblem {
    Empty,
    /// Not a whole number from 1 to 60.
    Invalid,
}

/// The chosen units in ranked order: the filled selects, first to third (an empty one in between
/// is skipped), each unit once.
pub fn check_units(choices: &[String; 3]) -> Result<Vec<Uuid>, UnitsProblem> {
    let mut units: Vec<Uuid> = Vec::with_capacity(3);
    for choice in choices.iter().filter(|c| !c.is_empty()) {
        let unit = Uuid::parse_str(choice).map_err(|_| UnitsProblem::None)?;
        if units.contains(&unit) {
            return Err(UnitsProblem::Duplicate);
        }
        units.push(unit);
    }
    if units.is_empty() {
        return Err(UnitsProblem::None);
    }
    Ok(units)
}

/// Hours per week as a whole number from 1 to 60.
pub fn check_hours(text: &str) -> Result<i32, HoursProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(HoursProblem::Empty);
    }
    match text.parse::<i32>() {
        Ok(hours) if HOURS.contains(&hours) => Ok(hours),
        _ => Err(HoursProblem::Invalid),
    }
}

/// The application form ("Ansök om plats") and the guardian's applications ("Mina ansökningar").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Apply {
    /// By the device's clock: the wished start may not be before it (the server checks too).
    pub today: NaiveDate,
    /// `None` while loading (children, then units, then applications, one after the other).
    pub children: Option<Result<Vec<ChildCard>, ClientError>>,
    pub units: Option<Result<Vec<ChildcareUnit>, ClientError>>,
    pub applications: Option<Result<Vec<ApplicationView>, ClientError>>,
    /// The chosen child's id, or empty.
    pub child: String,
    pub start: String,
    /// The units' ids (or empty), first choice first.
    pub choices: [String; 3],
    pub hours: String,
    /// Send was pressed: missing answers show too.
    pub sent: bool,
    pub busy: bool,
    pub error: Option<ClientError>,
    /// The application just sent, for the confirmation.
    pub done: Option<ApplicationView>,
    /// "Återkalla" was pressed on this application: asking to confirm.
    pub withdrawing: Option<Uuid>,
    /// The application just withdrawn, for the confirmation.
    pub withdrawn: Option<ApplicationView>,
    pub withdraw_error: Option<ClientError>,
}

pub enum Msg {
    Load,
    Children(Result<Vec<ChildCard>, ClientError>),
    Units(Result<Vec<ChildcareUnit>, ClientError>),
    Applications(Result<Vec<ApplicationView>, ClientError>),
    Child(AttrValue),
    Start(String),
    Choice(usize, String),
    Hours(String),
    Submit,
    Submitted(Result<ApplicationView, ClientError>),
    /// "Återkalla ansökan" on an application, then "Ja, återkalla" or "Avbryt".
    Withdraw(Uuid),
    ConfirmWithdraw,
    CancelWithdraw,
    Withdrawn(Result<ApplicationView, ClientError>),
}

pub enum Task {
    Children,
    Units,
    Applications,
    Apply(ApplicationRequest),
    Withdraw(Uuid),
}

impl Apply {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            ..Self::default()
        }
    }

    /// Why the chosen child cannot start at a chosen unit on the wished day, by the rule the
    /// server applies (`shared::eligibility`); `None` until child, start and units are valid.
    pub fn ineligible(&self) -> Option<Ineligible> {
        let children = self.children.as_ref()?.as_ref().ok()?;
        let child = children.iter().find(|c| c.id.to_string() == self.child)?;
        let start = check_date(&self.start, self.today).ok()?;
        let units = self.units.as_ref()?.as_ref().ok()?;
        check_units(&self.choices)
            .ok()?
            .iter()
            .filter_map(|id| units.iter().find(|u| u.id == *id))
            .find_map(|unit| eligibility::check(child.birth_date, unit.kind, start).err())
    }

    /// The request, when every answer is valid.
    pub fn request(&self) -> Option<ApplicationRequest> {
        if self.ineligible().is_some() {
            return None;
        }
        Some(ApplicationRequest {
            child_id: Uuid::parse_str(&self.child).ok()?,
            wished_start: check_date(&self.start, self.today).ok()?,
            unit_ids: check_units(&self.choices).ok()?,
            hours_per_week: check_hours(&self.hours).ok()?,
        })
    }

    /// The server's error code, if it refused the application.
    fn code(&self) -> Option<&str> {
        match self.error.as_ref()?.code()? {
            ErrorCode::Other(code) => Some(code),
            _ => None,
        }
    }

    fn edited(&mut self) {
        self.error = None;
        self.done = None;
    }
}

impl Model for Apply {
    type Msg = Msg;
    type Task = Task;

    fn update(&mut self, msg: Msg) -> Option<Task> {
        match msg {
            Msg::Load => return Some(Task::Children),
            Msg::Children(result) => {
                // One child: nothing to choose.
                if let Ok([only]) = result.as_deref() {
                    self.child = only.id.to_string();
                }
                self.children = Some(result);
                return Some(Task::Units);
            }
            Msg::Units(result) => {
                self.units = Some(result);
                return Some(Task::Applications);
            }
            Msg::Applications(result) => self.applications = Some(result),
            Msg::Child(id) => {
                self.child = id.to_string();
                self.edited();
            }
            Msg::Start(value) => {
                self.start = value;
                self.edited();
            }
            Msg::Choice(index, value) => {
                if let Some(choice) = self.choices.get_mut(index) {
                    *choice = value;
                }
                self.edited();
            }
            Msg::Hours(value) => {
                self.hours = value;
                self.edited();
            }
            Msg::Submit if self.busy => {}
            Msg::Submit => {
                self.sent = true;
                self.edited();
                let request = self.request()?;
                self.busy = true;
                return Some(Task::Apply(request));
            }
            Msg::Submitted(result) => {
                self.busy = false;
                match result {
                    Ok(view) => {
                        self.done = Some(view);
                        self.start.clear();
                        self.choices = Default::default();
                        self.hours.clear();
                        self.sent = false;
                        return Some(Task::Applications);
                    }
                    Err(err) => self.error = Some(err),
                }
            }
            Msg::Withdraw(id) => {
                self.withdrawing = Some(id);
                self.withdraw_error = None;
                self.withdrawn = None;
            }
            Msg::CancelWithdraw => self.withdrawing = None,
            Msg::ConfirmWithdraw if self.busy => {}
            Msg::ConfirmWithdraw => {
                let id = self.withdrawing?;
                self.busy = true;
                return Some(Task::Withdraw(id));
            }
            Msg::Withdrawn(result) => {
                self.busy = false;
                self.withdrawing = None;
                match result {
                    Ok(view) => self.withdrawn = Some(view),
                    Err(err) => self.withdraw_error = Some(err),
                }
                return Some(Task::Applications);
            }
        }
        None
    }

    fn run(task: Task) -> Pending<Msg> {
        match task {
            Task::Children => api::children().then(Msg::Children),
            Task::Units => api::childcare_units().then(Msg::Units),
            Task::Applications => api::applications().then(Msg::Applications),
            Task::Apply(request) => api::apply(&request).then(Msg::Submitted),
            Task::Withdraw(id) => api::withdraw_application(id).then(Msg::Withdrawn),
        }
    }
}

/// "Förskolan Lärkan (Förskola)": a unit's name and its kind of care.
pub fn unit_text(i18n: &I18n, unit: &ChildcareUnit) -> String {
    let kind = match unit.kind {
        ChildcareUnitKind::Preschool => i18n.t("unit.preschool"),
        ChildcareUnitKind::FamilyDaycare => i18n.t("unit.family_daycare"),
        ChildcareUnitKind::Fritidshem => i18n.t("unit.fritidshem"),
    };
    format!("{} ({kind})", unit.name)
}

/// The status of an application in words, with the look of the matching document status.
pub(crate) fn status_badge(i18n: &I18n, status: ApplicationStatus) -> Html {
    let (modifier, key) = match status {
        ApplicationStatus::Queued => ("status-badge--draft", "apply.status_queued"),
        ApplicationStatus::Offered => ("status-badge--awaiting", "apply.status_offered"),
        ApplicationStatus::Placed => ("status-badge--signed", "apply.status_placed"),
        ApplicationStatus::Closed => ("status-badge--lapsed", "apply.status_closed"),
        ApplicationStatus::Withdrawn => ("status-badge--lapsed", "apply.status_withdrawn"),
    };
    badge(modifier, i18n.t(key))
}

/// `/barnomsorg/ansokan` ("Ansök om plats"): the child, the wished start (not in the past), one
/// to three units in ranked order and the hours per week, checked as the guardian types with the
/// server's own limits; then "Mina ansökningar" with each application's status, place in the
/// queue and the date a place must be offered by.
#[function_component]
pub fn ApplyPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("apply.title"));
    let model = use_model(
        || Apply::new(dom::today_in_sweden().unwrap_or_default()),
        Msg::Load,
    );
    let page = model.get();
    let code = page.code();

    let child_error = (page.sent && page.child.is_empty()).then(|| i18n.t("apply.child_empty"));
    let start_error = match check_date(&page.start, page.today) {
        Err(DateProblem::Empty) if page.sent => Some(i18n.t("apply.start_empty")),
        Err(DateProblem::Invalid) => Some(i18n.t("apply.start_invalid")),
        Err(DateProblem::TooEarly) => Some(i18n.t("error.start_in_past")),
        _ if code == Some("start_in_past") => Some(i18n.t("error.start_in_past")),
        _ => None,
    };
    let units_error = match check_units(&page.choices) {
        Err(UnitsProblem::None) if page.sent => Some(i18n.t("error.no_units").to_owned()),
        Err(UnitsProblem::Duplicate) => Some(i18n.t("error.duplicate_units").to_owned()),
        _ => match (page.ineligible(), code) {
            // The same rule as the server's, before sending: the text names the day it turns.
            (Some(reason), _) => Some(i18n.tf(
                &format!("apply.{}", reason.code()),
                &[("date", &i18n.date(reason.date()))],
            )),
            (
                None,
                Some(code @ ("no_units" | "duplicate_units" | "unknown_unit" | "too_many_units")),
            ) => i18n.get(&format!("error.{code}")).map(str::to_owned),
            _ => None,
        },
    };
    let hours_error = match check_hours(&page.hours) {
        Err(HoursProblem::Empty) if page.sent => Some(i18n.t("apply.hours_empty")),
        Err(HoursProblem::Invalid) => Some(i18n.t("error.invalid_hours")),
        _ if code == Some("invalid_hours") => Some(i18n.t("error.invalid_hours")),
        _ => None,
    };
    let invalid = child_error.is_some()
        || start_error.is_some()
        || units_error.is_some()
        || hours_error.is_some();
    let summary = (invalid && page.sent).then(|| i18n.t("form.check_fields"));
    let status = page.done.as_ref().map(|done| confirmation(&i18n, done));
    let withdrawn = page
        .withdrawn
        .as_ref()
        .map(|w| i18n.tf("apply.withdrawn", &[("name", &w.child_name)]));

    let form = match (&page.children, &page.units) {
        (Some(Err(error)), _) | (_, Some(Err(error))) => {
            error_alert(&i18n, "apply-load-error", Some(error), None)
        }
        (Some(Ok(children)), _)
            if !children.iter().any(|c| {
                c.permitted_actions
                    .contains(&PersonAction::ManageChildcarePlace)
            }) =>
        {
            html! { <p class="empty-state" id="apply-no-children">{ i18n.t("apply.no_children") }</p> }
        }
        (Some(Ok(children)), Some(Ok(units))) => {
            // Only the children the policy lets this person apply for: a guardian acts in the
            // child's name, a foster parent does not.
            let children: Vec<RadioOption> = children
                .iter()
                .filter(|c| {
                    c.permitted_actions
                        .contains(&PersonAction::ManageChildcarePlace)
                })
                .map(|child| RadioOption {
                    id: format!("child-{}", child.id).into(),
                    value: child.id.to_string().into(),
                    label: child.given_name.clone().into(),
                })
                .collect();
            let mut options = vec![(String::new(), i18n.t("apply.unit_none").to_owned())];
            options.extend(
                units
                    .iter()
                    .map(|unit| (unit.id.to_string(), unit_text(&i18n, unit))),
            );
            let choice_labels = ["apply.unit_1", "apply.unit_2", "apply.unit_3"];
            html! {
                <form class="form" id="apply-form" novalidate=true onsubmit={model.callback(|e: SubmitEvent| {
                    e.prevent_default();
                    Msg::Submit
                })}>
                    { radio_group(&RadioGroupProps {
                        id: "apply-child".into(),
                        legend: i18n.t("apply.child").into(),
                        name: "child".into(),
                        options: children,
                        selected: (!page.child.is_empty()).then(|| page.child.clone().into()),
                        onchange: model.callback(Msg::Child),
                        hint: None,
                        error: child_error.map(Into::into),
                    }) }
                    { TextField::new("wished-start", i18n.t("apply.start"), page.start.clone(), model.callback(Msg::Start), "off")
                        .input_type("date")
                        .min(page.today.to_string())
                        .hint(i18n.t("apply.start_hint"))
                        .error(start_error)
                        .required() }
                    <fieldset class="field radio-group unit-choices" aria-describedby={units_error.as_ref().map(|_| "unit-choices-error")}>
                        <legend class="field__label radio-group__legend">{ i18n.t("apply.units") }</legend>
                        <p class="field__hint">{ i18n.t("apply.units_hint") }</p>
                        if let Some(error) = units_error.clone() {
                            <p id="unit-choices-error" class="field__error">{ error }</p>
                        }
                        { for CHOICE_IDS.iter().enumerate().map(|(index, id)| select_field(
                            id,
                            i18n.t(choice_labels[index]),
                            &options,
                            &page.choices[index],
                            model.callback(move |value| Msg::Choice(index, value)),
                            None,
                        )) }
                    </fieldset>
                    { TextField::new("hours", i18n.t("apply.hours"), page.hours.clone(), model.callback(Msg::Hours), "off")
                        .inputmode("numeric")
                        .hint(i18n.t("apply.hours_hint"))
                        .error(hours_error)
                        .required() }
                    <button type="submit" id="apply-submit" class="button button--primary button--block" aria-busy={page.busy.then_some("true")}>
                        { if page.busy { i18n.t("apply.sending") } else { i18n.t("apply.submit") } }
                    </button>
                </form>
            }
        }
        _ => loading(&i18n),
    };

    let list = match &page.applications {
        None => loading(&i18n),
        Some(Err(error)) if error.is_unauthenticated() => loading(&i18n),
        Some(Err(error)) => error_alert(&i18n, "applications-error", Some(error), None),
        Some(Ok(applications)) if applications.is_empty() => html! {
            <p class="empty-state" id="applications-empty">{ i18n.t("apply.list_empty") }</p>
        },
        Some(Ok(applications)) => html! {
            <ul class="card-list application-list" aria-labelledby={LIST_HEADING_ID}>
                { for applications.iter().map(|application| application_item(&i18n, &page, &model, application)) }
            </ul>
        },
    };

    html! {
        <div class="page apply-page">
            { back_link(Route::Childcare, i18n.t("childcare.back")) }
            <h1>{ i18n.t("apply.title") }</h1>
            <p class="lead">{ i18n.t("apply.intro") }</p>
            { error_alert(&i18n, ERROR_ID, page.error.as_ref(), summary) }
            { form }
            // Below the button, where the person is when the answer comes.
            { status_message("apply-status", status.as_deref()) }
            <section class="section" aria-labelledby={LIST_HEADING_ID}>
                <h2 id={LIST_HEADING_ID}>{ i18n.t("apply.list_heading") }</h2>
                { status_message("withdraw-status", withdrawn.as_deref()) }
                { error_alert(&i18n, "withdraw-error", page.withdraw_error.as_ref(), None) }
                { list }
            </section>
        </div>
    }
}

/// "Ansökan för Ella är skickad. Plats i kön: 1. …"
fn confirmation(i18n: &I18n, done: &ApplicationView) -> String {
    let queue = done
        .queue_position
        .map(|position| position.to_string())
        .unwrap_or_default();
    i18n.tf(
        "apply.sent",
        &[
            ("name", &done.child_name),
            ("position", &queue),
            ("date", &i18n.date(done.offer_by)),
        ],
    )
}

/// One application as a card: the child, the status, and the facts of it; while it is in the
/// queue, "Återkalla ansökan", which asks once more before it acts.
fn application_item(
    i18n: &I18n,
    page: &Apply,
    model: &ModelHandle<Apply>,
    application: &ApplicationView,
) -> Html {
    let id = application.id;
    let units: Vec<&str> = application.units.iter().map(|u| u.name.as_str()).collect();
    let mut rows = Vec::with_capacity(6);
    if let Some(position) = application.queue_position {
        rows.push((i18n.t("apply.queue_position"), position.to_string()));
    }
    rows.extend([
        (i18n.t("apply.offer_by"), i18n.date(application.offer_by)),
        (i18n.t("apply.start"), i18n.date(application.wished_start)),
        (i18n.t("apply.units"), units.join(", ")),
        (
            i18n.t("apply.hours"),
            application.hours_per_week.to_string(),
        ),
        (
            i18n.t("apply.applied_on"),
            i18n.date(application.applied_on),
        ),
    ]);
    let may_withdraw = application
        .permitted_actions
        .contains(&ApplicationAction::Withdraw);
    let asking = page.withdrawing == Some(id);
    html! {
        <li class="card application" key={id.to_string()} id={format!("application-{id}")}>
            <h3 class="card__title">{ application.child_name.clone() }</h3>
            <p>{ status_badge(i18n, application.status) }</p>
            { facts_list(&rows) }
            if application.status == ApplicationStatus::Offered {
                { link(Route::ChildcareOffers, "button button--secondary", html! { { i18n.t("apply.see_offer") } }) }
            }
            if may_withdraw && asking {
                <div class="withdraw-confirm" role="group" aria-labelledby={format!("withdraw-question-{id}")}>
                    <p id={format!("withdraw-question-{id}")}>
                        { i18n.tf("apply.withdraw_question", &[("name", &application.child_name)]) }
                    </p>
                    <div class="offer-form__actions">
                        <button type="button" id={format!("withdraw-confirm-{id}")} class="button button--primary"
                            aria-busy={page.busy.then_some("true")}
                            onclick={model.callback(|_: MouseEvent| Msg::ConfirmWithdraw)}>
                            { i18n.t("apply.withdraw_confirm") }
                        </button>
                        <button type="button" class="button button--secondary" onclick={model.callback(|_: MouseEvent| Msg::CancelWithdraw)}>
                            { i18n.t("apply.withdraw_cancel") }
                        </button>
                    </div>
                </div>
            } else if may_withdraw {
                <button type="button" id={format!("withdraw-{id}")} class="button button--secondary"
                    onclick={model.callback(move |_: MouseEvent| Msg::Withdraw(id))}>
                    { i18n.t("apply.withdraw") }
                    <span class="visually-hidden">{ format!(" – {}", application.child_name) }</span>
                </button>
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn units_are_ranked_once_each() {
        let a = Uuid::from_u128(1).to_string();
        let b = Uuid::from_u128(2).to_string();
        let none = String::new();
        assert_eq!(
            check_units(&[none.clone(), none.clone(), none.clone()]),
            Err(UnitsProblem::None)
        );
        assert_eq!(
            check_units(&[a.clone(), none.clone(), b.clone()]),
            Ok(vec![Uuid::from_u128(1), Uuid::from_u128(2)])
        );
        assert_eq!(
            check_units(&[a.clone(), b, a]),
            Err(UnitsProblem::Duplicate)
        );
    }

    #[test]
    fn hours_are_whole_numbers_from_1_to_60() {
        assert_eq!(check_hours(" 30 "), Ok(30));
        assert_eq!(check_hours("60"), Ok(60));
        assert_eq!(check_hours(""), Err(HoursProblem::Empty));
        for bad in ["0", "61", "12,5", "-3", "tjugo"] {
            assert_eq!(check_hours(bad), Err(HoursProblem::Invalid), "{bad}");
        }
    }

    #[test]
    fn the_form_refuses_a_unit_the_child_is_too_old_for_before_sending() {
        use skolportal_shared::api::Relation;
        let mut page = Apply::new(date(2026, 11, 24));
        let child = Uuid::from_u128(7);
        page.children = Some(Ok(vec![ChildCard {
            id: child,
            given_name: "Nils".into(),
            family_name: "Lindqvist".into(),
            birth_date: date(2015, 5, 20),
            relation: Relation::Guardian,
            address: None,
            phone: None,
            school_email: None,
            class_name: Some("5A".into()),
            school_year: Some(5),
            units: Vec::new(),
            permitted_actions: vec![PersonAction::ManageChildcarePlace],
        }]));
        let unit = |n, kind| ChildcareUnit {
            id: Uuid::from_u128(n),
            name: String::new(),
            kind,
        };
        page.units = Some(Ok(vec![
            unit(1, ChildcareUnitKind::Preschool),
            unit(2, ChildcareUnitKind::Fritidshem),
        ]));
        page.update(Msg::Child(child.to_string().into()));
        page.update(Msg::Start("2027-01-11".into()));
        page.update(Msg::Choice(0, Uuid::from_u128(1).to_string()));
        page.update(Msg::Hours("15".into()));
        assert!(matches!(
            page.ineligible(),
            Some(Ineligible::SchoolStarted { .. })
        ));
        assert!(page.update(Msg::Submit).is_none(), "nothing is sent");
        page.update(Msg::Choice(0, Uuid::from_u128(2).to_string()));
        assert_eq!(page.ineligible(), None);
        assert!(matches!(page.update(Msg::Submit), Some(Task::Apply(_))));
    }

    #[test]
    fn the_form_sends_only_valid_answers_and_starts_over_when_done() {
        let today = date(2026, 11, 24);
        let mut page = Apply::new(today);
        assert!(page.update(Msg::Submit).is_none(), "nothing chosen");
        assert!(page.sent);
        page.update(Msg::Child(Uuid::from_u128(7).to_string().into()));
        page.update(Msg::Start("2026-11-23".into()));
        page.update(Msg::Choice(0, Uuid::from_u128(1).to_string()));
        page.update(Msg::Hours("30".into()));
        assert!(page.update(Msg::Submit).is_none(), "a start in the past");
        page.update(Msg::Start("2026-11-24".into()));
        let Some(Task::Apply(request)) = page.update(Msg::Submit) else {
            panic!("a valid application is sent");
        };
        assert_eq!(request.wished_start, today);
        assert_eq!(request.hours_per_week, 30);
        assert!(page.busy);
        assert!(page.update(Msg::Submit).is_none(), "once");
        let view = ApplicationView {
            id: Uuid::from_u128(9),
            child_id: Uuid::from_u128(7),
            child_name: "Ella".into(),
            applied_on: today,
            wished_start: today,
            units: Vec::new(),
            hours_per_week: 30,
            status: ApplicationStatus::Queued,
            queue_position: Some(1),
            offer_by: date(2027, 3, 24),
            permitted_actions: Vec::new(),
        };
        assert!(matches!(
            page.update(Msg::Submitted(Ok(view))),
            Some(Task::Applications)
        ));
        assert!(page.start.is_empty() && page.hours.is_empty() && !page.sent);
        let sv = I18n::new(crate::i18n::Lang::Sv);
        let text = confirmation(&sv, page.done.as_ref().unwrap());
        assert!(
            text.contains("Ella") && text.contains("2027-03-24") && text.contains('1'),
            "{text}"
        );
    }
}
