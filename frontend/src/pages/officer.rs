//! The officer's (handläggare's) pages for childcare places: a start page, the queue of a unit
//! with "Erbjud plats", the offers made, and the documents guardians have signed.
//!
//! One component and one page model serve all four views (the route picks the view): every
//! component and every model costs the wasm its own generic code, and the SPA has a size budget.
//! The document itself is shown by the guardians' document page in its officer mode.

use chrono::NaiveDate;
use skolportal_shared::api::{
    ApplicationStatus, ApplicationView, ChildcareUnit, DocumentKind, OfferPage, OfferRequest,
    OfferStatus, OfferView, QueueEntry, QueuePage, ReceivedDocument, ReceivedDocumentPage, Role,
};
use skolportal_shared::eligibility::{self, Ineligible};
use skolportal_shared::wire_date::parse_date;
use uuid::Uuid;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ClientError, Pending};
use crate::app::Route;
use crate::components::{
    back_link, cell, data_table, date_html, document_kind_text, error_alert, link, loading,
    radio_group, status_message, RadioGroupProps, RadioOption, TextField,
};
use crate::dom;
use crate::hooks::{use_i18n, use_me, use_model, use_title, MeState, Model, ModelHandle};
use crate::i18n::I18n;

/// Which of the officer's pages is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Start,
    Queue,
    Offers,
    Documents,
}

const OFFER_FORM_HEADING: &str = "offer-form-heading";
const CONFIRM_HEADING: &str = "offer-confirm-heading";
const QUEUE_HEADING: &str = "queue-heading";

/// A server answer not yet arrived (`None`), or arrived.
type Loaded<T> = Option<Result<T, ClientError>>;

/// "Erbjud plats" for one application.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferForm {
    pub application: Uuid,
    pub unit: Uuid,
    /// The date field's text (`YYYY-MM-DD` from the date picker).
    pub start: String,
    /// "Skicka erbjudande" was pressed: the field's problems show.
    pub sent: bool,
    pub busy: bool,
    /// The server refused the offer.
    pub error: Option<ClientError>,
    /// "Skicka erbjudande" passed the checks: the officer is asked to confirm child, unit and
    /// start date before anything is sent.
    pub confirming: bool,
    /// The child's birth date, for the age rule the server applies too.
    pub birth_date: NaiveDate,
}

/// What is wrong with an offer's start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    Invalid,
    Past,
    /// The child is too young or too old for the unit's kind of care on that day.
    Ineligible(Ineligible),
}

impl OfferForm {
    /// The start date, if it is a date from `today` on and the child may start at a unit of
    /// `kind` that day (the server's own rule).
    pub fn check(
        &self,
        today: NaiveDate,
        kind: Option<skolportal_shared::api::ChildcareUnitKind>,
    ) -> Result<NaiveDate, DateProblem> {
        let date = self.start_date(today)?;
        if let Some(kind) = kind {
            eligibility::check(self.birth_date, kind, date).map_err(DateProblem::Ineligible)?;
        }
        Ok(date)
    }

    /// The start date, if it is a date from `today` on.
    pub fn start_date(&self, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
        match parse_date(self.start.trim()) {
            None => Err(DateProblem::Invalid),
            Some(date) if date < today => Err(DateProblem::Past),
            Some(date) => Ok(date),
        }
    }
}

/// Everything the officer's pages show; each view uses its own part.
#[derive(Debug, Default)]
pub struct Officer {
    pub view: View,
    pub today: NaiveDate,
    pub units: Loaded<Vec<ChildcareUnit>>,
    /// The unit whose queue is shown.
    pub unit: Option<Uuid>,
    pub queue: Loaded<Vec<QueueEntry>>,
    pub form: Option<OfferForm>,
    /// The offer just made, for the confirmation.
    pub offered: Option<OfferView>,
    /// The offers' status filter (a status code, empty for all) and the documents' kind filter.
    pub filter: String,
    pub offers: Loaded<Vec<OfferView>>,
    pub documents: Loaded<Vec<ReceivedDocument>>,
    /// The documents' signing days, as typed (`YYYY-MM-DD` from a date input; empty for open).
    pub signed_from: String,
    pub signed_to: String,
    /// The cursor of the page after the rows shown (the server's `next_cursor`); none on the
    /// last page, and then there is no "Visa fler".
    pub next: Option<String>,
    /// The cursor the list was last asked for with (none: the first page). Only the answer for
    /// it is taken; "Visa fler" pressed again while it loads asks for nothing.
    pub asked: Option<String>,
    /// The element to move focus to after the next render.
    pub focus: Option<String>,
    /// Rows the last "Visa fler" added, for the live region that says so.
    pub added: Option<usize>,
}

pub enum Msg {
    Start,
    Units(Result<Vec<ChildcareUnit>, ClientError>),
    /// A unit was chosen (its id as text; empty for none).
    Unit(String),
    /// A page of a unit's queue, for the cursor it was asked with.
    Queue(Uuid, Option<String>, Result<QueuePage, ClientError>),
    /// "Erbjud plats" on an application.
    Open(Uuid),
    Cancel,
    OfferUnit(AttrValue),
    OfferStart(String),
    Submit,
    /// The officer confirmed the offer as summarised.
    Confirm,
    /// Back from the confirmation to the form.
    Change,
    Offered(Result<OfferView, ClientError>),
    /// A filter was chosen: the offers' status or the documents' kind.
    Filter(String),
    /// The first or the last signing day of the documents was changed.
    SignedFrom(String),
    SignedTo(String),
    /// "Visa fler": the next page of the queue, the offers or the documents.
    More,
    /// Answers for a filter and a cursor; one for another filter or cursor is dropped.
    Offers(String, Option<String>, Result<OfferPage, ClientError>),
    Documents(DocumentQuery, Result<ReceivedDocumentPage, ClientError>),
}

/// What the received documents are asked for with.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentQuery {
    pub kind: String,
    pub signed_from: Option<NaiveDate>,
    pub signed_to: Option<NaiveDate>,
    pub cursor: Option<String>,
}

/// Why the signing days cannot be asked for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RangeProblem {
    From,
    To,
    /// The last day is before the first.
    Reversed,
}

#[cfg_attr(test, derive(Debug, PartialEq))]
pub enum Task {
    Units,
    Queue(Uuid, Option<String>),
    Offer(OfferRequest),
    Offers(String, Option<String>),
    Documents(DocumentQuery),
}

/// A list's answer taken into what is shown: the first page replaces the list; a later page
/// (`later`) is added to its end and its first row gets focus, so that focus does not fall back
/// to the top of the page when "Visa fler" goes. Returns how many rows a later page added.
fn take_page<T>(
    shown: &mut Loaded<Vec<T>>,
    next: &mut Option<String>,
    focus: &mut Option<String>,
    later: bool,
    result: Result<(Vec<T>, Option<String>), ClientError>,
    id: impl Fn(&T) -> Uuid,
) -> Option<usize> {
    match (result, shown) {
        (Ok((rows, cursor)), Some(Ok(all))) if later => {
            *focus = rows.first().map(|row| row_id(id(row)));
            let added = rows.len();
            all.extend(rows);
            *next = cursor;
            return Some(added);
        }
        (Ok((rows, cursor)), shown) => {
            *shown = Some(Ok(rows));
            *next = cursor;
        }
        (Err(error), shown) => {
            *shown = Some(Err(error));
            *next = None;
        }
    }
    None
}

impl Officer {
    fn entry(&self, id: Uuid) -> Option<&QueueEntry> {
        match &self.queue {
            Some(Ok(queue)) => queue.iter().find(|e| e.application.id == id),
            _ => None,
        }
    }

    /// The signing days typed, read; an empty field leaves that end open.
    pub fn signed_range(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), RangeProblem> {
        let read = |text: &str, problem| match text.trim() {
            "" => Ok(None),
            text => parse_date(text).map(Some).ok_or(problem),
        };
        let from = read(&self.signed_from, RangeProblem::From)?;
        let to = read(&self.signed_to, RangeProblem::To)?;
        match (from, to) {
            (Some(from), Some(to)) if to < from => Err(RangeProblem::Reversed),
            _ => Ok((from, to)),
        }
    }

    /// The documents' query now; none while the signing days cannot be read.
    fn document_query(&self) -> Option<DocumentQuery> {
        let (signed_from, signed_to) = self.signed_range().ok()?;
        Some(DocumentQuery {
            kind: self.filter.clone(),
            signed_from,
            signed_to,
            cursor: self.asked.clone(),
        })
    }

    /// A filter changed: the list starts again from its first page. While the signing days
    /// cannot be read the list shown stays, and their field says why.
    fn filter_changed(&mut self) -> Option<Task> {
        self.asked = None;
        if self.view == View::Documents && self.document_query().is_none() {
            return None;
        }
        self.reload()
    }

    /// The list the current view shows, loaded again from its first page with the current
    /// filter.
    fn reload(&mut self) -> Option<Task> {
        self.asked = None;
        self.next = None;
        self.added = None;
        match self.view {
            View::Offers => self.offers = None,
            View::Documents => self.documents = None,
            View::Start | View::Queue => {}
        }
        self.fetch()
    }

    /// The current view's list, asked for from `asked`; what is shown stays until the answer
    /// comes.
    fn fetch(&self) -> Option<Task> {
        let cursor = self.asked.clone();
        match self.view {
            View::Start => None,
            View::Queue => self.unit.map(|unit| Task::Queue(unit, cursor)),
            View::Offers => Some(Task::Offers(self.filter.clone(), cursor)),
            View::Documents => self.document_query().map(Task::Documents),
        }
    }
}

impl Model for Officer {
    type Msg = Msg;
    type Task = Task;

    fn update(&mut self, msg: Msg) -> Option<Task> {
        match msg {
            Msg::Start if self.view == View::Queue => return Some(Task::Units),
            Msg::Start => return self.reload(),
            Msg::Units(result) => self.units = Some(result),
            Msg::Unit(text) => {
                self.unit = text.parse().ok();
                self.queue = None;
                self.form = None;
                self.offered = None;
                return self.reload();
            }
            // An answer for a unit no longer chosen, or for another page, is dropped.
            Msg::Queue(unit, cursor, result) if Some(unit) == self.unit && cursor == self.asked => {
                self.added = take_page(
                    &mut self.queue,
                    &mut self.next,
                    &mut self.focus,
                    cursor.is_some(),
                    result.map(|p| (p.items, p.next_cursor)),
                    |e| e.application.id,
                );
            }
            Msg::Queue(..) => {}
            Msg::Open(id) => {
                let entry = self.entry(id)?;
                let app = &entry.application;
                self.form = Some(OfferForm {
                    application: id,
                    unit: app.units.first().map(|u| u.id).unwrap_or_default(),
                    start: app.wished_start.max(self.today).to_string(),
                    sent: false,
                    busy: false,
                    error: None,
                    confirming: false,
                    birth_date: entry.birth_date,
                });
                self.offered = None;
                self.focus = Some(OFFER_FORM_HEADING.to_owned());
            }
            Msg::Cancel => {
                let form = self.form.take()?;
                self.focus = Some(format!("offer-{}", form.application));
            }
            Msg::OfferUnit(value) => {
                let form = self.form.as_mut()?;
                form.unit = value.parse().unwrap_or(form.unit);
                form.error = None;
                form.confirming = false;
            }
            Msg::OfferStart(text) => {
                let form = self.form.as_mut()?;
                form.start = text;
                form.error = None;
                form.confirming = false;
            }
            Msg::Submit => {
                let today = self.today;
                let kind = self
                    .entry(self.form.as_ref()?.application)
                    .and_then(|e| {
                        e.application
                            .units
                            .iter()
                            .find(|u| Some(u.id) == self.form.as_ref().map(|f| f.unit))
                    })
                    .map(|u| u.kind);
                let form = self.form.as_mut()?;
                if form.busy {
                    return None;
                }
                form.sent = true;
                form.error = None;
                form.check(today, kind).ok()?;
                form.confirming = true;
                self.focus = Some(CONFIRM_HEADING.to_owned());
            }
            Msg::Change => {
                let form = self.form.as_mut()?;
                form.confirming = false;
                self.focus = Some("offer-start".to_owned());
            }
            Msg::Confirm => {
                let today = self.today;
                let form = self.form.as_mut()?;
                if form.busy || !form.confirming {
                    return None;
                }
                let start_date = form.start_date(today).ok()?;
                form.busy = true;
                return Some(Task::Offer(OfferRequest {
                    application_id: form.application,
                    unit_id: form.unit,
                    start_date,
                }));
            }
            Msg::Offered(Ok(offer)) => {
                self.form = None;
                self.offered = Some(offer);
                self.focus = Some(QUEUE_HEADING.to_owned());
                return self.reload();
            }
            Msg::Offered(Err(error)) => {
                let form = self.form.as_mut()?;
                form.busy = false;
                form.confirming = false;
                form.error = Some(error);
            }
            Msg::Filter(value) => {
                self.filter = value;
                return self.filter_changed();
            }
            Msg::SignedFrom(text) => {
                self.signed_from = text;
                return self.filter_changed();
            }
            Msg::SignedTo(text) => {
                self.signed_to = text;
                return self.filter_changed();
            }
            // The next page, once: pressed again while it loads, nothing more is asked.
            Msg::More if self.next.is_some() && self.next != self.asked => {
                self.asked = self.next.clone();
                return self.fetch();
            }
            Msg::More => {}
            Msg::Offers(filter, cursor, result)
                if filter == self.filter && cursor == self.asked =>
            {
                self.added = take_page(
                    &mut self.offers,
                    &mut self.next,
                    &mut self.focus,
                    cursor.is_some(),
                    result.map(|p| (p.items, p.next_cursor)),
                    |o| o.id,
                );
            }
            Msg::Documents(query, result) if Some(&query) == self.document_query().as_ref() => {
                self.added = take_page(
                    &mut self.documents,
                    &mut self.next,
                    &mut self.focus,
                    query.cursor.is_some(),
                    result.map(|p| (p.items, p.next_cursor)),
                    |d| d.id,
                );
            }
            Msg::Offers(..) | Msg::Documents(..) => {}
        }
        None
    }

    fn run(task: Task) -> Pending<Msg> {
        match task {
            Task::Units => api::childcare_units().then(Msg::Units),
            Task::Queue(unit, cursor) => api::childcare_queue(unit, cursor.as_deref())
                .then(move |r| Msg::Queue(unit, cursor, r)),
            Task::Offer(request) => api::make_offer(&request).then(Msg::Offered),
            Task::Offers(filter, cursor) => api::officer_offers(&filter, cursor.as_deref())
                .then(move |r| Msg::Offers(filter, cursor, r)),
            Task::Documents(query) => api::received_documents(
                &query.kind,
                query.signed_from,
                query.signed_to,
                query.cursor.as_deref(),
            )
            .then(move |r| Msg::Documents(query, r)),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct OfficerPageProps {
    pub view: View,
}

/// `/handlaggare` and the pages under it; `view` says which.
#[function_component]
pub fn OfficerPage(props: &OfficerPageProps) -> Html {
    let i18n = use_i18n();
    let view = props.view;
    let roles = match use_me() {
        MeState::Ready(me) => me.roles.clone(),
        _ => Vec::new(),
    };
    let title = match view {
        View::Start => i18n.t("officer.title"),
        View::Queue => i18n.t("officer.queue_title"),
        View::Offers => i18n.t("officer.offers_title"),
        View::Documents => i18n.t("officer.documents_title"),
    };
    use_title(title);
    let model = use_model(
        || Officer {
            view,
            today: dom::today_in_sweden().unwrap_or_default(),
            ..Officer::default()
        },
        Msg::Start,
    );
    {
        // Focus moves after the render that showed (or removed) its target.
        let model = model.clone();
        use_effect(move || {
            let target = model.peek_mut().focus.take();
            if let Some(target) = target {
                dom::focus(&target);
            }
        });
    }
    let page = model.get();
    let body = match view {
        View::Start => start_html(&i18n, &roles),
        View::Queue => queue_html(&i18n, &page, &model),
        View::Offers => offers_html(&i18n, &page, &model),
        View::Documents => documents_html(&i18n, &page, &model),
    };
    html! {
        <div class="page page--wide officer">
            if view != View::Start {
                { back_link(Route::Officer, i18n.t("officer.back")) }
            }
            <h1>{ title }</h1>
            { body }
        </div>
    }
}

/// The ways on from the start: the case officer's to the queue, the offers, the documents, the
/// corrections and the sync; an officer who is also the administrator's to the settings (the
/// administration's own app).
fn start_html(i18n: &I18n, roles: &[Role]) -> Html {
    let officer = roles.contains(&Role::Officer);
    let administrator = roles.contains(&Role::Administrator);
    let officer_entries = [
        (
            Route::OfficerQueue,
            "officer.queue_title",
            "officer.queue_intro",
        ),
        (
            Route::OfficerOffers,
            "officer.offers_title",
            "officer.offers_intro",
        ),
        (
            Route::OfficerDocuments,
            "officer.documents_title",
            "officer.documents_intro",
        ),
        (
            Route::OfficerCorrections,
            "correction.officer_title",
            "correction.officer_intro",
        ),
        (Route::OfficerSourceSync, "sync.title", "sync.card_intro"),
    ];
    let administrator_entries = [(
        Route::Administration,
        "officer.administration_title",
        "officer.administration_intro",
    )];
    let entries = officer_entries
        .into_iter()
        .filter(|_| officer)
        .chain(administrator_entries.into_iter().filter(|_| administrator));
    html! {
        <>
            <p class="lead">{ i18n.t("officer.intro") }</p>
            <ul class="card-list officer-start">
                { for entries.into_iter().map(|(route, title, intro)| html! {
                    <li class="card">
                        <h2 class="card__title">{ link(route, "", html! { { i18n.t(title) } }) }</h2>
                        <p>{ i18n.t(intro) }</p>
                    </li>
                }) }
            </ul>
        </>
    }
}

/// The value of the select an event came from.
fn value_of(event: &Event) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// A labelled `<select>`: `options` are (value, text), `selected` the chosen value.
fn select(
    id: &'static str,
    label: &str,
    options: Vec<(String, String)>,
    selected: &str,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <div class="field officer__filter">
            <label class="field__label" for={id}>{ label.to_owned() }</label>
            <select class="field__input" {id} {onchange}>
                { for options.into_iter().map(|(value, text)| {
                    let chosen = value == selected;
                    html! { <option selected={chosen} {value}>{ text }</option> }
                }) }
            </select>
        </div>
    }
}

/// A list's state: loading, an error, or `None` when it has arrived.
fn pending<T>(i18n: &I18n, loaded: &Loaded<T>) -> Option<Html> {
    match loaded {
        None => Some(loading(i18n)),
        Some(Err(error)) if error.is_unauthenticated() => Some(loading(i18n)),
        Some(Err(error)) => Some(error_alert(i18n, "officer-error", Some(error), None)),
        Some(Ok(_)) => None,
    }
}

fn queue_html(i18n: &I18n, page: &Officer, model: &ModelHandle<Officer>) -> Html {
    let units = match &page.units {
        Some(Ok(units)) => units,
        other => return pending(i18n, other).unwrap_or_default(),
    };
    let chosen = page.unit.map(|u| u.to_string()).unwrap_or_default();
    let mut options = vec![(String::new(), i18n.t("officer.choose_unit").to_owned())];
    options.extend(units.iter().map(|u| (u.id.to_string(), u.name.clone())));
    let unit_name = units
        .iter()
        .find(|u| Some(u.id) == page.unit)
        .map(|u| u.name.as_str());
    let confirmation = page.offered.as_ref().map(|offer| {
        i18n.tf(
            "officer.offered",
            &[
                ("child", &offer.child_name),
                ("unit", &offer.unit.name),
                ("date", &i18n.date(offer.start_date)),
                ("deadline", &i18n.deadline(offer.answer_deadline)),
            ],
        )
    });
    let queue = match (&page.queue, unit_name) {
        (_, None) => html! { <p class="hint">{ i18n.t("officer.choose_unit_hint") }</p> },
        (Some(Ok(queue)), Some(name)) => html! {
            <>
                <h2 id={QUEUE_HEADING} tabindex="-1">{ i18n.tf("officer.queue_heading", &[("unit", name)]) }</h2>
                if queue.is_empty() {
                    <p class="empty-state">{ i18n.t("officer.queue_empty") }</p>
                } else {
                    { queue_table(i18n, page, queue, model) }
                }
            </>
        },
        (other, Some(_)) => pending(i18n, other).unwrap_or_default(),
    };
    html! {
        <>
            <p class="lead">{ i18n.t("officer.queue_intro") }</p>
            { select("queue-unit", i18n.t("officer.unit"), options, &chosen, model.callback(|e: Event| Msg::Unit(value_of(&e)))) }
            { status_message("offer-status", confirmation.as_deref()) }
            { queue }
        </>
    }
}

fn queue_table(
    i18n: &I18n,
    page: &Officer,
    queue: &[QueueEntry],
    model: &ModelHandle<Officer>,
) -> Html {
    let headers = [
        i18n.t("officer.position"),
        i18n.t("officer.child"),
        i18n.t("officer.guardians"),
        i18n.t("officer.applied_on"),
        i18n.t("officer.wished_start"),
        i18n.t("officer.hours"),
        i18n.t("officer.choices"),
        i18n.t("officer.offer_by"),
        i18n.t("officer.action"),
    ];
    let rows = html! {
        { for queue.iter().map(|entry| {
            let app = &entry.application;
            let id = app.id;
            let open = page.form.as_ref().filter(|f| f.application == id);
            let overdue = app.status == ApplicationStatus::Queued && app.offer_by < page.today;
            let position = app.queue_position.map(|p| p.to_string()).unwrap_or_else(|| i18n.t("common.none").to_owned());
            let age = eligibility::age_on(entry.birth_date, page.today);
            let action = if app.status == ApplicationStatus::Queued {
                html! {
                    <button type="button" id={format!("offer-{id}")} class="button button--secondary"
                        aria-expanded={if open.is_some() { "true" } else { "false" }}
                        onclick={model.callback(move |_: MouseEvent| Msg::Open(id))}>
                        { i18n.t("officer.offer") }
                        <span class="visually-hidden">{ format!(" – {}", app.child_name) }</span>
                    </button>
                }
            } else {
                html! { { i18n.t("officer.offer_sent") } }
            };
            html! {
                <>
                    <tr class={classes!("data-table__row", overdue.then_some("queue-row--overdue"))} role="row" id={row_id(id)} tabindex="-1">
                        { cell(headers[0], html! { { position } }) }
                        { cell(headers[1], html! {
                            <>
                                { app.child_name.clone() }
                                <span class="queue-child__born">
                                    { i18n.tn("officer.born", age as u64, &[("date", &i18n.date(entry.birth_date))]) }
                                </span>
                            </>
                        }) }
                        { cell(headers[2], html! {
                            <ul class="plain-list">
                                { for entry.guardians.iter().map(|g| html! { <li>{ g.clone() }</li> }) }
                            </ul>
                        }) }
                        { cell(headers[3], date_html(i18n, app.applied_on)) }
                        { cell(headers[4], date_html(i18n, app.wished_start)) }
                        { cell(headers[5], html! { { app.hours_per_week } }) }
                        { cell(headers[6], html! {
                            <ol class="choice-list">
                                { for app.units.iter().map(|u| choice_html(i18n, entry, u)) }
                            </ol>
                        }) }
                        { cell(headers[7], html! {
                            <>
                                { i18n.date(app.offer_by) }
                                if overdue {
                                    { " " }<span class="overdue">{ i18n.t("officer.overdue") }</span>
                                }
                            </>
                        }) }
                        { cell(headers[8], action) }
                    </tr>
                    if let Some(form) = open {
                        <tr class="data-table__row offer-form-row" role="row">
                            <td class="data-table__cell" role="cell" colspan="9">
                                { offer_form(i18n, page.today, app, form, model) }
                            </td>
                        </tr>
                    }
                </>
            }
        }) }
    };
    html! {
        <>
            { data_table(QUEUE_HEADING, "queue-table", &headers, rows) }
            { list_end(i18n, page, queue.len(), model) }
        </>
    }
}

/// A wished unit: its name, its free places and the siblings already there.
fn choice_html(i18n: &I18n, entry: &QueueEntry, unit: &ChildcareUnit) -> Html {
    let free = entry
        .free_places
        .iter()
        .find(|f| f.unit_id == unit.id)
        .and_then(|f| f.free)
        .map(|free| match free {
            ..=0 => i18n.t("officer.no_free_places").to_owned(),
            n => i18n.tn("officer.free_places", n as u64, &[]),
        });
    let siblings: Vec<&str> = entry
        .siblings
        .iter()
        .filter(|s| s.unit_id == unit.id)
        .map(|s| s.name.as_str())
        .collect();
    html! {
        <li>
            { unit.name.clone() }
            if let Some(free) = free {
                <span class="queue-choice__note">{ free }</span>
            }
            if !siblings.is_empty() {
                <span class="queue-choice__note queue-choice__siblings">
                    { i18n.tf("officer.siblings_here", &[("names", &siblings.join(", "))]) }
                </span>
            }
        </li>
    }
}

fn offer_form(
    i18n: &I18n,
    today: NaiveDate,
    app: &ApplicationView,
    form: &OfferForm,
    model: &ModelHandle<Officer>,
) -> Html {
    let unit = app.units.iter().find(|u| u.id == form.unit);
    let date_error = match form.check(today, unit.map(|u| u.kind)) {
        Err(DateProblem::Invalid) if form.sent => Some(i18n.t("officer.start_invalid").to_owned()),
        Err(DateProblem::Past) => Some(i18n.t("officer.start_past").to_owned()),
        Err(DateProblem::Ineligible(reason)) => Some(i18n.tf(
            &format!("apply.{}", reason.code()),
            &[("date", &i18n.date(reason.date()))],
        )),
        _ => None,
    };
    let onsubmit = model.callback(|e: SubmitEvent| {
        e.prevent_default();
        Msg::Submit
    });
    let units = radio_group(&RadioGroupProps {
        id: "offer-unit".into(),
        legend: i18n.t("officer.offer_unit").into(),
        name: "offer-unit".into(),
        options: app
            .units
            .iter()
            .map(|u| RadioOption {
                id: format!("offer-unit-{}", u.id).into(),
                value: u.id.to_string().into(),
                label: u.name.clone().into(),
            })
            .collect(),
        selected: Some(form.unit.to_string().into()),
        onchange: model.callback(Msg::OfferUnit),
        hint: None,
        error: None,
    });
    let summary = i18n.tf(
        "officer.confirm_text",
        &[
            ("child", &app.child_name),
            ("unit", unit.map(|u| u.name.as_str()).unwrap_or_default()),
            ("date", form.start.trim()),
        ],
    );
    html! {
        <form class="form offer-form" aria-labelledby={OFFER_FORM_HEADING} novalidate=true {onsubmit}>
            <h3 id={OFFER_FORM_HEADING} tabindex="-1">
                { i18n.tf("officer.offer_heading", &[("child", &app.child_name)]) }
            </h3>
            { units }
            { TextField::new(
                "offer-start",
                i18n.t("officer.offer_start"),
                form.start.clone(),
                model.callback(Msg::OfferStart),
                "off",
            )
            .input_type("date")
            .min(today.to_string())
            .hint(i18n.t("officer.offer_start_hint"))
            .error(date_error)
            .required() }
            { error_alert(i18n, "offer-error", form.error.as_ref(), None) }
            if form.confirming {
                <div class="offer-confirm" role="group" aria-labelledby={CONFIRM_HEADING}>
                    <h4 id={CONFIRM_HEADING} tabindex="-1">{ i18n.t("officer.confirm_heading") }</h4>
                    <p id="offer-confirm-text">{ summary }</p>
                    <div class="offer-form__actions">
                        <button type="button" id="offer-confirm" class="button button--primary" aria-busy={form.busy.then_some("true")}
                            aria-describedby="offer-confirm-text" onclick={model.callback(|_: MouseEvent| Msg::Confirm)}>
                            { i18n.t("officer.confirm_send") }
                        </button>
                        <button type="button" id="offer-change" class="button button--secondary" onclick={model.callback(|_: MouseEvent| Msg::Change)}>
                            { i18n.t("officer.confirm_change") }
                        </button>
                    </div>
                </div>
            } else {
                <div class="offer-form__actions">
                    <button type="submit" class="button button--primary">
                        { i18n.t("officer.offer_submit") }
                    </button>
                    <button type="button" class="button button--secondary" onclick={model.callback(|_: MouseEvent| Msg::Cancel)}>
                        { i18n.t("officer.cancel") }
                    </button>
                </div>
            }
        </form>
    }
}

/// An offer's status: its text's key and its badge's look.
fn offer_status_key(status: OfferStatus) -> (&'static str, &'static str) {
    match status {
        OfferStatus::Open => ("officer.status_open", "status-badge--awaiting"),
        OfferStatus::Accepted => ("officer.status_accepted", "status-badge--signed"),
        OfferStatus::Declined => ("officer.status_declined", "status-badge--draft"),
        OfferStatus::Lapsed => ("officer.status_lapsed", "status-badge--lapsed"),
    }
}

pub(crate) fn offer_status(i18n: &I18n, status: OfferStatus) -> Html {
    let (key, modifier) = offer_status_key(status);
    html! { <span class={classes!("status-badge", modifier)}>{ i18n.t(key) }</span> }
}

/// The filter's choices: "all" first, then each code (the wire name, as the server's filter
/// reads it) with its text.
fn filter_options<'a>(
    i18n: &I18n,
    choices: impl Iterator<Item = (&'static str, &'a str)>,
) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), i18n.t("officer.all").to_owned())];
    options.extend(choices.map(|(code, text)| (code.to_owned(), text.to_owned())));
    options
}

fn offers_html(i18n: &I18n, page: &Officer, model: &ModelHandle<Officer>) -> Html {
    let options = filter_options(
        i18n,
        OfferStatus::ALL
            .iter()
            .map(|s| (s.code(), i18n.t(offer_status_key(*s).0))),
    );
    let list = match &page.offers {
        Some(Ok(offers)) if offers.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("officer.offers_empty") }</p> }
        }
        Some(Ok(offers)) => {
            let headers = [
                i18n.t("officer.child"),
                i18n.t("officer.unit"),
                i18n.t("officer.start"),
                i18n.t("officer.hours"),
                i18n.t("officer.deadline"),
                i18n.t("officer.status"),
            ];
            let rows = html! {
                { for offers.iter().map(|o| html! {
                    <tr class="data-table__row offer-row" role="row" key={o.id.to_string()} id={row_id(o.id)} tabindex="-1">
                        { cell(headers[0], html! { { o.child_name.clone() } }) }
                        { cell(headers[1], html! { { o.unit.name.clone() } }) }
                        { cell(headers[2], date_html(i18n, o.start_date)) }
                        { cell(headers[3], html! { { o.hours_per_week } }) }
                        { cell(headers[4], html! { { i18n.deadline(o.answer_deadline) } }) }
                        { cell(headers[5], offer_status(i18n, o.status)) }
                    </tr>
                }) }
            };
            html! {
                <>
                    { data_table("offers-heading", "offers-table", &headers, rows) }
                    { list_end(i18n, page, offers.len(), model) }
                </>
            }
        }
        other => pending(i18n, other).unwrap_or_default(),
    };
    html! {
        <>
            <p class="lead">{ i18n.t("officer.offers_intro") }</p>
            { select("offer-status-filter", i18n.t("officer.status"), options, &page.filter, model.callback(|e: Event| Msg::Filter(value_of(&e)))) }
            <h2 id="offers-heading" class="visually-hidden">{ i18n.t("officer.offers_title") }</h2>
            { list }
        </>
    }
}

/// The id of an offer's or document's row, focusable from script (for "Visa fler").
fn row_id(id: Uuid) -> String {
    format!("row-{id}")
}

/// Under a list of `shown` rows: "Visa fler" while it has a next page, and a live region that
/// says how many rows the last one added (always in the page, so that the news is announced).
fn list_end(i18n: &I18n, page: &Officer, shown: usize, model: &ModelHandle<Officer>) -> Html {
    let added = page.added.map(|count| {
        i18n.tn(
            "officer.rows_added",
            count as u64,
            &[("shown", &i18n.number(shown as u64))],
        )
    });
    html! {
        <>
            <div class="visually-hidden">{ status_message("list-status", added.as_deref()) }</div>
            if page.next.is_some() {
                <p class="list-more">
                    <button type="button" class="button button--secondary" onclick={model.callback(|_| Msg::More)}>
                        { i18n.t("officer.show_more") }
                    </button>
                </p>
            }
        </>
    }
}

/// "Underskrivet från" and "till": the documents' signing days, each end optional.
fn signed_range_fields(i18n: &I18n, page: &Officer, model: &ModelHandle<Officer>) -> Html {
    let problem = page.signed_range().err();
    let error = |which: RangeProblem, key: &'static str| {
        (problem == Some(which)).then(|| i18n.t(key).to_owned())
    };
    html! {
        <>
            <div class="officer__filter">
                { TextField::new(
                    "signed-from",
                    i18n.t("officer.signed_from"),
                    page.signed_from.clone(),
                    model.callback(Msg::SignedFrom),
                    "off",
                )
                .input_type("date")
                .error(error(RangeProblem::From, "officer.range_invalid")) }
            </div>
            <div class="officer__filter">
                { TextField::new(
                    "signed-to",
                    i18n.t("officer.signed_to"),
                    page.signed_to.clone(),
                    model.callback(Msg::SignedTo),
                    "off",
                )
                .input_type("date")
                .error(
                    error(RangeProblem::To, "officer.range_invalid")
                        .or_else(|| error(RangeProblem::Reversed, "officer.range_reversed")),
                ) }
            </div>
        </>
    }
}

fn documents_html(i18n: &I18n, page: &Officer, model: &ModelHandle<Officer>) -> Html {
    let options = filter_options(
        i18n,
        DocumentKind::ALL
            .iter()
            .map(|k| (k.code(), document_kind_text(i18n, *k))),
    );
    let list = match &page.documents {
        Some(Ok(documents)) if documents.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("officer.documents_empty") }</p> }
        }
        Some(Ok(documents)) => {
            let headers = [
                i18n.t("officer.document"),
                i18n.t("officer.child"),
                i18n.t("officer.submitted_by"),
                i18n.t("officer.signed_at"),
            ];
            let rows = html! {
                { for documents.iter().map(|d| html! {
                    <tr class="data-table__row received-document" role="row" key={d.id.to_string()} id={row_id(d.id)} tabindex="-1">
                        { cell(headers[0], link(Route::OfficerDocument { id: d.id }, "", html! { { document_kind_text(i18n, d.kind) } })) }
                        { cell(headers[1], html! { { d.child_name.clone().unwrap_or_else(|| i18n.t("officer.household").to_owned()) } }) }
                        { cell(headers[2], html! { { d.submitted_by.clone() } }) }
                        { cell(headers[3], html! { { i18n.date_time(d.signed_at) } }) }
                    </tr>
                }) }
            };
            html! {
                <>
                    { data_table("documents-heading", "documents-table", &headers, rows) }
                    { list_end(i18n, page, documents.len(), model) }
                </>
            }
        }
        other => pending(i18n, other).unwrap_or_default(),
    };
    html! {
        <>
            <p class="lead">{ i18n.t("officer.documents_intro") }</p>
            <div class="officer__filters">
                { select("document-kind-filter", i18n.t("officer.kind"), options, &page.filter, model.callback(|e: Event| Msg::Filter(value_of(&e)))) }
                { signed_range_fields(i18n, page, model) }
            </div>
            <h2 id="documents-heading" class="visually-hidden">{ i18n.t("officer.documents_title") }</h2>
            { list }
        </>
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use skolportal_shared::api::DocumentKind;

    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    fn form(start: &str) -> OfferForm {
        OfferForm {
            application: Uuid::nil(),
            unit: Uuid::nil(),
            start: start.into(),
            sent: false,
            busy: false,
            error: None,
            confirming: false,
            birth_date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default(),
        }
    }

    #[test]
    fn an_offer_is_sent_only_after_the_confirmation() {
        let mut page = Officer {
            view: View::Queue,
            today: day(24),
            form: Some(form("2027-01-11")),
            ..Officer::default()
        };
        assert!(page.update(Msg::Submit).is_none(), "asks first");
        assert!(page.form.as_ref().is_some_and(|f| f.confirming && !f.busy));
        assert!(page.update(Msg::Change).is_none());
        assert!(page.update(Msg::Confirm).is_none(), "not while changing");
        page.update(Msg::Submit);
        assert!(matches!(
            page.update(Msg::Confirm),
            Some(Task::Offer(OfferRequest { start_date, .. })) if start_date == NaiveDate::from_ymd_opt(2027, 1, 11).unwrap_or_default()
        ));
        assert!(page.update(Msg::Confirm).is_none(), "once");
    }

    #[test]
    fn the_age_rule_refuses_a_start_before_the_offer_is_confirmed() {
        use skolportal_shared::api::ChildcareUnitKind;
        // Born 1 March 2024: förskola from 1 March 2025, fritidshem from 1 August 2030.
        let f = form("2027-01-11");
        assert!(f.check(day(24), Some(ChildcareUnitKind::Preschool)).is_ok());
        assert!(matches!(
            f.check(day(24), Some(ChildcareUnitKind::Fritidshem)),
            Err(DateProblem::Ineligible(Ineligible::BeforeSchool { .. }))
        ));
    }

    #[test]
    fn an_offer_starts_on_a_real_date_from_today() {
        assert_eq!(form("2026-11-24").start_date(day(24)), Ok(day(24)));
        assert_eq!(
            form("2026-11-23").start_date(day(24)),
            Err(DateProblem::Past)
        );
        assert_eq!(form("").start_date(day(24)), Err(DateProblem::Invalid));
        assert_eq!(
            form("2026-02-30").start_date(day(24)),
            Err(DateProblem::Invalid)
        );
    }

    #[test]
    fn a_bad_date_sends_nothing_and_late_answers_are_dropped() {
        let mut page = Officer {
            view: View::Offers,
            today: day(24),
            form: Some(form("2026-11-01")),
            ..Officer::default()
        };
        assert!(page.update(Msg::Submit).is_none());
        assert!(page.form.as_ref().is_some_and(|f| f.sent && !f.busy));
        assert!(matches!(
            page.update(Msg::Filter(OfferStatus::Open.code().into())),
            Some(Task::Offers(f, None)) if f == OfferStatus::Open.code()
        ));
        page.update(Msg::Offers(String::new(), None, Ok(no_offers())));
        assert!(page.offers.is_none(), "an answer for the old filter");
        page.update(Msg::Offers(
            OfferStatus::Open.code().into(),
            None,
            Ok(no_offers()),
        ));
        assert!(page.offers.is_some());
    }

    fn no_offers() -> OfferPage {
        OfferPage {
            items: Vec::new(),
            next_cursor: None,
        }
    }

    fn documents(from: u128, to: u128, next: Option<&str>) -> ReceivedDocumentPage {
        ReceivedDocumentPage {
            items: (from..to)
                .map(|n| ReceivedDocument {
                    id: Uuid::from_u128(n),
                    kind: DocumentKind::Termination,
                    child_name: None,
                    submitted_by: String::new(),
                    signed_at: DateTime::<Utc>::default(),
                })
                .collect(),
            next_cursor: next.map(str::to_owned),
        }
    }

    #[test]
    fn show_more_asks_for_the_next_page_by_its_cursor_and_adds_it() {
        let mut page = Officer {
            view: View::Documents,
            today: day(24),
            ..Officer::default()
        };
        let first = query("", None, None, None);
        assert_eq!(
            page.update(Msg::Start),
            Some(Task::Documents(first.clone()))
        );
        page.update(Msg::Documents(
            first.clone(),
            Ok(documents(0, 50, Some("c1"))),
        ));
        assert_eq!(page.next.as_deref(), Some("c1"), "there is a next page");
        let second = query("", None, None, Some("c1"));
        assert_eq!(
            page.update(Msg::More),
            Some(Task::Documents(second.clone()))
        );
        assert_eq!(page.update(Msg::More), None, "asked once while it loads");
        assert!(
            matches!(&page.documents, Some(Ok(rows)) if rows.len() == 50),
            "the first page stays while the next loads"
        );
        page.update(Msg::Documents(first, Err(ClientError::Network)));
        assert!(
            matches!(page.documents, Some(Ok(_))),
            "a late answer for the first page is dropped"
        );
        // The next page is added, and focus moves to its first row.
        page.update(Msg::Documents(second, Ok(documents(50, 60, None))));
        assert!(matches!(&page.documents, Some(Ok(rows)) if rows.len() == 60));
        assert_eq!(page.focus, Some(row_id(Uuid::from_u128(50))));
        assert_eq!(
            page.added,
            Some(10),
            "the live region says how many were added"
        );
        assert_eq!(page.next, None, "the last page: no Visa fler");
        assert_eq!(page.update(Msg::More), None);
        // A new filter starts again from the first page.
        assert_eq!(
            page.update(Msg::Filter(DocumentKind::Termination.code().into())),
            Some(Task::Documents(query(
                DocumentKind::Termination.code(),
                None,
                None,
                None
            )))
        );
    }

    fn query(
        kind: &str,
        signed_from: Option<NaiveDate>,
        signed_to: Option<NaiveDate>,
        cursor: Option<&str>,
    ) -> DocumentQuery {
        DocumentQuery {
            kind: kind.into(),
            signed_from,
            signed_to,
            cursor: cursor.map(str::to_owned),
        }
    }

    #[test]
    fn the_signing_days_narrow_the_documents_and_a_bad_range_keeps_the_list() {
        let mut page = Officer {
            view: View::Documents,
            today: day(24),
            ..Officer::default()
        };
        page.update(Msg::Start);
        page.update(Msg::Documents(
            query("", None, None, None),
            Ok(documents(0, 0, None)),
        ));
        page.update(Msg::More);
        assert_eq!(
            page.update(Msg::SignedFrom("2026-11-02".into())),
            Some(Task::Documents(query("", Some(day(2)), None, None))),
            "a new range starts from the first page"
        );
        assert_eq!(
            page.update(Msg::SignedTo("2026-11-20".into())),
            Some(Task::Documents(query(
                "",
                Some(day(2)),
                Some(day(20)),
                None
            )))
        );
        page.update(Msg::Documents(
            query("", Some(day(2)), Some(day(20)), None),
            Ok(documents(0, 0, None)),
        ));
        // The last day before the first: nothing is asked for, the list stays, the field says why.
        assert_eq!(page.update(Msg::SignedTo("2026-11-01".into())), None);
        assert_eq!(page.signed_range(), Err(RangeProblem::Reversed));
        assert!(page.documents.is_some());
        // A late answer for the earlier range is dropped.
        page.update(Msg::Documents(
            query("", Some(day(2)), Some(day(20)), None),
            Err(ClientError::Network),
        ));
        assert!(matches!(page.documents, Some(Ok(_))));
        assert_eq!(page.update(Msg::SignedFrom("2026-02-30".into())), None);
        assert_eq!(page.signed_range(), Err(RangeProblem::From));
        // Emptying both opens the range again.
        page.update(Msg::SignedFrom(String::new()));
        assert_eq!(
            page.update(Msg::SignedTo(String::new())),
            Some(Task::Documents(query("", None, None, None)))
        );
    }
}
