use skolportal_shared::api::{ChildcareDocumentView, ChildcarePlacementView, TerminationRequest};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode, Pending};
use crate::app::Route;
use crate::components::{
    back_link, check_date, error_alert, link, loading, radio_group, DateProblem, RadioGroupProps,
    RadioOption, TextField,
};
use crate::hooks::{use_go_to, use_i18n, use_model, use_title, Model};
use crate::i18n::I18n;
use crate::pages::childcare_apply::unit_text;

const ERROR_ID: &str = "termination-error";

/// The termination form: which place, and its last day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Termination {
    /// `None` while loading.
    pub placements: Option<Result<Vec<ChildcarePlacementView>, ClientError>>,
    /// The chosen place's id, or empty.
    pub placement: String,
    pub last_day: String,
    pub sent: bool,
    pub busy: bool,
    pub error: Option<ClientError>,
    /// The termination just created: the page goes there to sign it.
    pub open: Option<Uuid>,
}

pub enum Msg {
    Load,
    Loaded(Result<Vec<ChildcarePlacementView>, ClientError>),
    Placement(AttrValue),
    LastDay(String),
    Submit,
    Submitted(Result<ChildcareDocumentView, ClientError>),
}

pub enum Task {
    Load,
    Terminate(TerminationRequest),
}

impl Termination {
    fn places(&self) -> &[ChildcarePlacementView] {
        match &self.placements {
            Some(Ok(places)) => places.as_slice(),
            _ => &[],
        }
    }

    /// The places that can still be terminated: no end date, and no termination already
    /// waiting for the other guardian's signature.
    pub fn open_places(&self) -> impl Iterator<Item = &ChildcarePlacementView> {
        self.places()
            .iter()
            .filter(|p| p.end_date.is_none() && p.pending_termination.is_none())
    }

    pub fn chosen(&self) -> Option<&ChildcarePlacementView> {
        self.open_places()
            .find(|p| p.id.to_string() == self.placement)
    }

    /// The request, when a place is chosen and its last day respects the notice period.
    pub fn request(&self) -> Option<TerminationRequest> {
        let place = self.chosen()?;
        Some(TerminationRequest {
            placement_id: place.id,
            last_day: check_date(&self.last_day, place.earliest_last_day).ok()?,
        })
    }
}

impl Model for Termination {
    type Msg = Msg;
    type Task = Task;

    fn update(&mut self, msg: Msg) -> Option<Task> {
        match msg {
            Msg::Load => return Some(Task::Load),
            Msg::Loaded(result) => {
                self.placements = Some(result);
                let only = {
                    let mut open = self.open_places().map(|p| p.id);
                    match (open.next(), open.next()) {
                        (Some(only), None) => Some(only),
                        _ => None,
                    }
                };
                // One place: nothing to choose.
                if let Some(only) = only {
                    self.placement = only.to_string();
                }
            }
            Msg::Placement(id) => {
                self.placement = id.to_string();
                self.error = None;
            }
            Msg::LastDay(value) => {
                self.last_day = value;
                self.error = None;
            }
            Msg::Submit if self.busy => {}
            Msg::Submit => {
                self.sent = true;
                self.error = None;
                let request = self.request()?;
                self.busy = true;
                return Some(Task::Terminate(request));
            }
            Msg::Submitted(result) => {
                self.busy = false;
                match result {
                    Ok(document) => self.open = Some(document.id),
                    Err(err) => self.error = Some(err),
                }
            }
        }
        None
    }

    fn run(task: Task) -> Pending<Msg> {
        match task {
            Task::Load => api::placements().then(Msg::Loaded),
            Task::Terminate(request) => api::terminate(&request).then(Msg::Submitted),
        }
    }
}

/// "Ella – Förskolan Lärkan (Förskola)".
fn place_text(i18n: &I18n, place: &ChildcarePlacementView) -> String {
    format!("{} – {}", place.child_name, unit_text(i18n, &place.unit))
}

/// `/barnomsorg/uppsagning` ("Säg upp plats"): the children's current places, each with the
/// earliest last day the notice period allows; a date picker starting there, with a clear message
/// when an earlier day is typed. Sending creates the termination and goes to it, to be signed
/// with BankID on the document page.
#[function_component]
pub fn TerminationPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("terminate.title"));
    let model = use_model(Termination::default, Msg::Load);
    use_go_to(&model, |page| {
        page.open.take().map(|id| Route::ChildcareDocument { id })
    });
    let page = model.get();
    let code = match page.error.as_ref().and_then(ClientError::code) {
        Some(ErrorCode::Other(code)) => Some(code.as_str()),
        _ => None,
    };
    let chosen = page.chosen();
    let earliest = chosen
        .map(|p| i18n.date(p.earliest_last_day))
        .unwrap_or_default();
    let place_error =
        (page.sent && chosen.is_none()).then(|| i18n.t("terminate.place_empty").to_owned());
    let day_error = match chosen.map(|p| check_date(&page.last_day, p.earliest_last_day)) {
        Some(Err(DateProblem::Empty)) if page.sent => {
            Some(i18n.t("terminate.day_empty").to_owned())
        }
        Some(Err(DateProblem::Invalid)) => Some(i18n.t("apply.start_invalid").to_owned()),
        Some(Err(DateProblem::TooEarly)) => {
            Some(i18n.tf("terminate.too_early", &[("date", &earliest)]))
        }
        _ if code == Some("notice_period") => {
            Some(i18n.tf("terminate.too_early", &[("date", &earliest)]))
        }
        _ => None,
    };
    let summary = (page.sent && (place_error.is_some() || day_error.is_some()))
        .then(|| i18n.t("form.check_fields"));

    let ended: Vec<String> = match &page.placements {
        Some(Ok(places)) => places
            .iter()
            .filter_map(|place| {
                let end = i18n.date(place.end_date?);
                Some(i18n.tf(
                    "terminate.ended",
                    &[("place", &place_text(&i18n, place)), ("date", &end)],
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    let pending: Vec<Html> = page
        .places()
        .iter()
        .filter_map(|place| {
            let pending = place.pending_termination.as_ref()?;
            let text = i18n.tf(
                "terminate.pending",
                &[
                    ("place", &place_text(&i18n, place)),
                    ("date", &i18n.date(pending.last_day)),
                ],
            );
            let document = Route::ChildcareDocument {
                id: pending.document_id,
            };
            Some(html! {
                <li>{ text }{ " " }{ link(document, "", html! { { i18n.t("terminate.pending_link") } }) }</li>
            })
        })
        .collect();
    let options: Vec<RadioOption> = page
        .open_places()
        .map(|place| RadioOption {
            id: format!("place-{}", place.id).into(),
            value: place.id.to_string().into(),
            label: place_text(&i18n, place).into(),
        })
        .collect();
    let body = match &page.placements {
        None => loading(&i18n),
        Some(Err(error)) if error.is_unauthenticated() => loading(&i18n),
        Some(Err(error)) => error_alert(&i18n, "placements-error", Some(error), None),
        Some(Ok(_)) if options.is_empty() && pending.is_empty() => html! {
            <p class="empty-state" id="placements-empty">{ i18n.t("terminate.empty") }</p>
        },
        // Every place is already being terminated: the list below says so.
        Some(Ok(_)) if options.is_empty() => Html::default(),
        Some(Ok(_)) => html! {
            <form class="form" id="terminate-form" novalidate=true onsubmit={model.callback(|e: SubmitEvent| {
                e.prevent_default();
                Msg::Submit
            })}>
                { radio_group(&RadioGroupProps {
                    id: "terminate-place".into(),
                    legend: i18n.t("terminate.place").into(),
                    name: "placement".into(),
                    options,
                    selected: (!page.placement.is_empty()).then(|| page.placement.clone().into()),
                    onchange: model.callback(Msg::Placement),
                    hint: None,
                    error: place_error.map(Into::into),
                }) }
                { TextField::new("last-day", i18n.t("terminate.last_day"), page.last_day.clone(), model.callback(Msg::LastDay), "off")
                    .input_type("date")
                    .min(chosen.map(|p| p.earliest_last_day.to_string()).unwrap_or_default())
                    .hint(if chosen.is_some() { i18n.tf("terminate.last_day_hint", &[("date", &earliest)]) } else { i18n.t("terminate.choose_first").to_owned() })
                    .error(day_error)
                    .required() }
                <div class="form__submit">
                    <button type="submit" id="terminate-submit" class="button button--primary button--block" aria-busy={page.busy.then_some("true")} aria-describedby="terminate-submit-hint">
                        { if page.busy { i18n.t("terminate.sending") } else { i18n.t("terminate.submit") } }
                    </button>
                    <p class="hint" id="terminate-submit-hint">{ i18n.t("terminate.sign_hint") }</p>
                </div>
            </form>
        },
    };
    html! {
        <div class="page termination-page">
            { back_link(Route::Childcare, i18n.t("childcare.back")) }
            <h1>{ i18n.t("terminate.title") }</h1>
            <p class="lead">{ i18n.t("terminate.intro") }</p>
            { error_alert(&i18n, ERROR_ID, page.error.as_ref(), summary) }
            { body }
            if !pending.is_empty() {
                <h2>{ i18n.t("terminate.pending_heading") }</h2>
                <ul class="plain-list" id="pending-terminations">{ for pending }</ul>
            }
            if !ended.is_empty() {
                <h2>{ i18n.t("terminate.ended_heading") }</h2>
                <ul class="plain-list" id="ended-places">
                    { for ended.into_iter().map(|text| html! { <li>{ text }</li> }) }
                </ul>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use skolportal_shared::api::{ChildcareUnit, ChildcareUnitKind, PendingTermination};

    fn place(n: u128, end: Option<NaiveDate>) -> ChildcarePlacementView {
        ChildcarePlacementView {
            id: Uuid::from_u128(n),
            child_id: Uuid::from_u128(10 + n),
            child_name: "Ella".into(),
            unit: ChildcareUnit {
                id: Uuid::from_u128(20),
                name: "Förskolan Lärkan".into(),
                kind: ChildcareUnitKind::Preschool,
            },
            start_date: NaiveDate::from_ymd_opt(2024, 8, 12).unwrap(),
            end_date: end,
            hours_per_week: Some(40),
            earliest_last_day: NaiveDate::from_ymd_opt(2027, 1, 24).unwrap(),
            pending_termination: None,
        }
    }

    #[test]
    fn a_place_whose_termination_waits_for_the_other_guardian_cannot_be_chosen() {
        let mut page = Termination::default();
        let mut waiting = place(1, None);
        waiting.pending_termination = Some(PendingTermination {
            document_id: Uuid::from_u128(99),
            last_day: NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
        });
        page.update(Msg::Loaded(Ok(vec![waiting, place(2, None)])));
        assert_eq!(page.placement, Uuid::from_u128(2).to_string());
        page.update(Msg::Placement(Uuid::from_u128(1).to_string().into()));
        assert!(page.chosen().is_none());
    }

    #[test]
    fn a_last_day_inside_the_notice_period_is_not_sent() {
        let mut page = Termination::default();
        let ended = NaiveDate::from_ymd_opt(2026, 12, 31);
        page.update(Msg::Loaded(Ok(vec![place(1, None), place(2, ended)])));
        assert_eq!(
            page.placement,
            Uuid::from_u128(1).to_string(),
            "the only open place"
        );
        page.update(Msg::LastDay("2027-01-23".into()));
        assert!(page.update(Msg::Submit).is_none());
        assert!(page.sent);
        page.update(Msg::LastDay("2027-01-24".into()));
        let Some(Task::Terminate(request)) = page.update(Msg::Submit) else {
            panic!("the earliest day is allowed");
        };
        assert_eq!(request.placement_id, Uuid::from_u128(1));
        // An ended place cannot be chosen.
        page.busy = false;
        page.update(Msg::Placement(Uuid::from_u128(2).to_string().into()));
        assert!(page.request().is_none());
    }
}
