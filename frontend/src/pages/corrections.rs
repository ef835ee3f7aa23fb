//! Rättelse: the form and the list of requests on "Mina uppgifter", and the officer's page that
//! answers them. Items from the population register are not sent: the form says that
//! Skatteverket corrects them.

use skolportal_shared::api::{
    check_correction_text, CorrectionAnswer, CorrectionRequestView, CorrectionStatus,
    CorrectionTextError, ExtractItem, NewCorrectionRequest, RegisterExtract,
};
use uuid::Uuid;
use web_sys::HtmlTextAreaElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{
    back_link, error_alert, error_text, loading, select_field, status_message, time_html,
};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

/// An item's name in the chosen language.
pub fn item_text(i18n: &I18n, item: ExtractItem) -> &'static str {
    i18n.t(match item {
        ExtractItem::Name => "correction.item_name",
        ExtractItem::Personnummer => "correction.item_personnummer",
        ExtractItem::Address => "correction.item_address",
        ExtractItem::Email => "correction.item_email",
        ExtractItem::Phone => "correction.item_phone",
        ExtractItem::Account => "correction.item_account",
        ExtractItem::Placements => "correction.item_placements",
        ExtractItem::Groups => "correction.item_groups",
        ExtractItem::ResponsibleAdults => "correction.item_responsible_adults",
        ExtractItem::Applications => "correction.item_applications",
        ExtractItem::Offers => "correction.item_offers",
        ExtractItem::Documents => "correction.item_documents",
        ExtractItem::Schedule => "correction.item_schedule",
        ExtractItem::PickupPersons => "correction.item_pickup_persons",
        ExtractItem::AccessLog => "correction.item_access_log",
        ExtractItem::Other => "correction.item_other",
    })
}

fn text_problem(i18n: &I18n, problem: CorrectionTextError) -> &'static str {
    match problem {
        CorrectionTextError::Empty => i18n.t("correction.message_empty"),
        CorrectionTextError::TooLong => i18n.t("correction.message_too_long"),
    }
}

fn textarea_value(event: InputEvent) -> String {
    event.target_unchecked_into::<HtmlTextAreaElement>().value()
}

/// A labelled text area with its error wired as the text fields' are.
fn text_area(
    id: String,
    label: &str,
    value: &str,
    oninput: Callback<InputEvent>,
    error: Option<&str>,
) -> Html {
    let error_id = format!("{id}-error");
    html! {
        <div class={classes!("field", error.map(|_| "field--error"))}>
            <label class="field__label" for={id.clone()}>{ label }</label>
            if let Some(error) = error {
                <p id={error_id.clone()} class="field__error">{ error }</p>
            }
            <textarea class="field__input field__input--area" id={id.clone()} name={id} rows="4"
                value={value.to_owned()} {oninput}
                aria-invalid={error.map(|_| "true")} aria-describedby={error.map(|_| error_id)} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CorrectionsProps {
    pub extract: std::rc::Rc<RegisterExtract>,
}

/// "Begär rättelse" on the extract page: whom and what is wrong, and the requests so far.
#[function_component]
pub fn Corrections(props: &CorrectionsProps) -> Html {
    let i18n = use_i18n();
    let extract = &props.extract;
    let subject = use_state(|| None::<Uuid>);
    let item = use_state(|| None::<ExtractItem>);
    let message = use_state(String::new);
    let problem = use_state(|| None::<&'static str>);
    let error = use_state(|| None::<ClientError>);
    let sent = use_state(|| false);
    let busy = use_state(|| false);
    let requests = use_state(|| extract.corrections.clone());

    let mut subjects: Vec<(String, String)> =
        vec![(String::new(), i18n.t("correction.choose").to_owned())];
    subjects.push((
        extract.person_id.to_string(),
        i18n.tf(
            "correction.subject_me",
            &[(
                "name",
                &format!(
                    "{} {}",
                    extract.person.given_name, extract.person.family_name
                ),
            )],
        ),
    ));
    // The extract holds the children the policy let this person read it for: the same whose
    // data they may ask to have corrected.
    for child in &extract.children {
        subjects.push((
            child.id.to_string(),
            format!("{} {}", child.person.given_name, child.person.family_name),
        ));
    }
    let mut items = vec![(String::new(), i18n.t("correction.choose").to_owned())];
    items.extend(
        ExtractItem::ALL
            .iter()
            .map(|i| (i.code().to_owned(), item_text(&i18n, *i).to_owned())),
    );

    let from_register = item.is_some_and(|i| i.from_population_register());
    let onsubmit = {
        let (subject, item, message, problem, error, sent, busy, requests) = (
            subject.clone(),
            item.clone(),
            message.clone(),
            problem.clone(),
            error.clone(),
            sent.clone(),
            busy.clone(),
            requests.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            sent.set(false);
            error.set(None);
            let (Some(subject_id), Some(chosen)) = (*subject, *item) else {
                problem.set(Some(i18n.t("correction.choose_both")));
                return;
            };
            if chosen.from_population_register() {
                return;
            }
            let text = match check_correction_text(&message) {
                Ok(text) => text,
                Err(p) => {
                    problem.set(Some(text_problem(&i18n, p)));
                    return;
                }
            };
            problem.set(None);
            busy.set(true);
            let body = NewCorrectionRequest {
                subject_id,
                item: chosen,
                message: text,
            };
            let (message, error, sent, busy, requests) = (
                message.clone(),
                error.clone(),
                sent.clone(),
                busy.clone(),
                requests.clone(),
            );
            spawn_local(async move {
                match api::request_correction(&body).await {
                    Ok(view) => {
                        let mut list = (*requests).clone();
                        list.insert(0, view);
                        requests.set(list);
                        message.set(String::new());
                        sent.set(true);
                    }
                    Err(err) => error.set(Some(err)),
                }
                busy.set(false);
            });
        })
    };
    let on_subject = {
        let subject = subject.clone();
        Callback::from(move |value: String| subject.set(value.parse().ok()))
    };
    let on_item = {
        let item = item.clone();
        Callback::from(move |value: String| item.set(ExtractItem::from_code(&value)))
    };
    let on_message = {
        let message = message.clone();
        Callback::from(move |event: InputEvent| message.set(textarea_value(event)))
    };
    let selected_subject = subject.map(|id| id.to_string()).unwrap_or_default();
    html! {
        <section class="section corrections" aria-labelledby="correction-heading">
            <h2 id="correction-heading">{ i18n.t("correction.heading") }</h2>
            <p>{ i18n.t("correction.intro") }</p>
            { error_alert(&i18n, "correction-error", (*error).as_ref(), None) }
            { status_message("correction-status", sent.then(|| i18n.t("correction.sent"))) }
            <form class="form card" novalidate=true {onsubmit}>
                { select_field("correction-subject", i18n.t("correction.subject"), &subjects, &selected_subject, on_subject,
                    (problem.is_some() && subject.is_none()).then(|| i18n.t("correction.choose_both"))) }
                { select_field("correction-item", i18n.t("correction.item"), &items,
                    item.map(|i| i.code()).unwrap_or(""), on_item,
                    (problem.is_some() && item.is_none()).then(|| i18n.t("correction.choose_both"))) }
                if from_register {
                    <p id="correction-skatteverket" class="alert alert--info">{ i18n.t("correction.population_register") }</p>
                } else {
                    { text_area("correction-message".to_owned(), i18n.t("correction.message"), &message, on_message,
                        (*problem).filter(|_| subject.is_some() && item.is_some())) }
                    <button type="submit" class="button button--primary" aria-busy={busy.then_some("true")}>
                        { i18n.t("correction.send") }
                    </button>
                }
            </form>
            <h3 id="correction-list-heading">{ i18n.t("correction.list_heading") }</h3>
            if requests.is_empty() {
                <p class="empty-state">{ i18n.t("correction.none") }</p>
            } else {
                <ul class="item-list correction-list" aria-labelledby="correction-list-heading">
                    { for requests.iter().map(|r| request_html(&i18n, r)) }
                </ul>
            }
        </section>
    }
}

fn status_badge(i18n: &I18n, status: CorrectionStatus) -> Html {
    let (class, key) = match status {
        CorrectionStatus::Open => (
            "status-badge status-badge--awaiting",
            "correction.status_open",
        ),
        CorrectionStatus::Answered => (
            "status-badge status-badge--signed",
            "correction.status_answered",
        ),
    };
    html! { <span class={class}>{ i18n.t(key) }</span> }
}

/// One request: about whom and what, the message, and the answer when there is one.
fn request_html(i18n: &I18n, r: &CorrectionRequestView) -> Html {
    html! {
        <li class="item-list__item correction" key={r.id.to_string()}>
            <span class="item-list__name">{ format!("{} – {}", r.subject_name, item_text(i18n, r.item)) }</span>
            <span class="item-list__detail">{ status_badge(i18n, r.status) }{ " " }{ time_html(i18n, r.created_at) }</span>
            <p class="correction__message">{ r.message.clone() }</p>
            if let Some(answer) = &r.answer {
                <div class="correction__answer">
                    <p><strong>{ i18n.t("correction.answer_label") }</strong>{ " " }{ answer.clone() }</p>
                    if let Some(changed) = &r.changed {
                        <p><strong>{ i18n.t("correction.changed_label") }</strong>{ " " }{ changed.clone() }</p>
                    }
                    if let (Some(by), Some(at)) = (&r.answered_by_name, r.answered_at) {
                        <p class="hint">{ by.clone() }{ ", " }{ time_html(i18n, at) }</p>
                    }
                </div>
            }
        </li>
    }
}

enum Open {
    Loading,
    Loaded(Vec<CorrectionRequestView>),
    Failed(ClientError),
}

/// `/handlaggare/rattelser`: the open correction requests, each with an answer form.
#[function_component]
pub fn OfficerCorrectionsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("correction.officer_title"));
    let state = use_state(|| Open::Loading);
    let answered = use_state(|| None::<CorrectionRequestView>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                state.set(match api::open_corrections().await {
                    Ok(list) => Open::Loaded(list),
                    Err(err) => Open::Failed(err),
                });
            });
        });
    }
    let on_answered = {
        let (state, answered) = (state.clone(), answered.clone());
        Callback::from(move |view: CorrectionRequestView| {
            if let Open::Loaded(list) = &*state {
                state.set(Open::Loaded(
                    list.iter().filter(|r| r.id != view.id).cloned().collect(),
                ));
            }
            answered.set(Some(view));
        })
    };
    let body = match &*state {
        Open::Loading => loading(&i18n),
        Open::Failed(err) if err.is_unauthenticated() => loading(&i18n),
        Open::Failed(err) => error_alert(&i18n, "corrections-error", Some(err), None),
        Open::Loaded(list) if list.is_empty() => {
            html! { <p class="empty-state">{ i18n.t("correction.officer_none") }</p> }
        }
        Open::Loaded(list) => html! {
            <ul class="card-list">
                { for list.iter().map(|r| html! {
                    <AnswerForm key={r.id.to_string()} request={r.clone()} on_answered={on_answered.clone()} />
                }) }
            </ul>
        },
    };
    html! {
        <div class="page officer">
            { back_link(Route::Officer, i18n.t("officer.back")) }
            <h1>{ i18n.t("correction.officer_title") }</h1>
            <p class="lead">{ i18n.t("correction.officer_intro") }</p>
            { status_message("answer-status", answered.as_ref().map(|_| i18n.t("correction.answered"))) }
            { body }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AnswerFormProps {
    request: CorrectionRequestView,
    on_answered: Callback<CorrectionRequestView>,
}

#[function_component]
fn AnswerForm(props: &AnswerFormProps) -> Html {
    let i18n = use_i18n();
    let r = &props.request;
    let answer = use_state(String::new);
    let changed = use_state(String::new);
    let problem = use_state(|| None::<&'static str>);
    let error = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);
    let id = r.id;
    let onsubmit = {
        let (answer, changed, problem, error, busy) = (
            answer.clone(),
            changed.clone(),
            problem.clone(),
            error.clone(),
            busy.clone(),
        );
        let on_answered = props.on_answered.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let text = match check_correction_text(&answer) {
                Ok(text) => text,
                Err(p) => {
                    problem.set(Some(text_problem(&i18n, p)));
                    return;
                }
            };
            problem.set(None);
            error.set(None);
            busy.set(true);
            let body = CorrectionAnswer {
                answer: text,
                changed: Some(changed.trim().to_owned()).filter(|c| !c.is_empty()),
            };
            let (error, busy, on_answered) = (error.clone(), busy.clone(), on_answered.clone());
            spawn_local(async move {
                match api::answer_correction(id, &body).await {
                    Ok(view) => on_answered.emit(view),
                    Err(err) => error.set(Some(err)),
                }
                busy.set(false);
            });
        })
    };
    let heading = format!("correction-{id}");
    html! {
        <li class="card correction" aria-labelledby={heading.clone()}>
            <h2 class="card__title" id={heading}>{ format!("{} – {}", r.subject_name, item_text(&i18n, r.item)) }</h2>
            <p class="hint">{ i18n.tf("correction.requested_by", &[("name", &r.requested_by_name)]) }{ " " }{ time_html(&i18n, r.created_at) }</p>
            <p class="correction__message">{ r.message.clone() }</p>
            <div id={format!("answer-error-{id}")} class="live-region" role="alert" aria-live="assertive">
                if let Some(error) = &*error {
                    <p class="alert alert--error">{ error_text(&i18n, error) }</p>
                }
            </div>
            <form class="form" novalidate=true {onsubmit}>
                { text_area(format!("answer-{id}"), i18n.t("correction.answer"), &answer, {
                    let answer = answer.clone();
                    Callback::from(move |e: InputEvent| answer.set(textarea_value(e)))
                }, *problem) }
                { text_area(format!("changed-{id}"), i18n.t("correction.changed"), &changed, {
                    let changed = changed.clone();
                    Callback::from(move |e: InputEvent| changed.set(textarea_value(e)))
                }, None) }
                <button type="submit" class="button button--primary" aria-busy={busy.then_some("true")}>
                    { i18n.t("correction.send_answer") }
                </button>
            </form>
        </li>
    }
}
