use skolportal_shared::api::{
    ChildcareDocumentView, DocumentAction, DocumentStatus, OfferStatus, OfferView,
};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError, Pending};
use crate::app::Route;
use crate::components::{back_link, badge, error_alert, facts_list, link, loading, status_badge};
use crate::hooks::{use_go_to, use_i18n, use_model, use_title, Model};
use crate::i18n::I18n;
use crate::pages::childcare_apply::unit_text;

/// The placement offers to the guardian's children, with the answers already started.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Offers {
    /// `None` while loading.
    pub offers: Option<Result<Vec<OfferView>, ClientError>>,
    /// The guardian's documents, for the state of each answer; `None` until they are back (a
    /// list that fails to load counts as empty: the document page still tells).
    pub documents: Option<Vec<ChildcareDocumentView>>,
    /// The offer whose answer is being created.
    pub busy: Option<Uuid>,
    pub error: Option<ClientError>,
    /// The answer just created: the page goes there to sign it.
    pub open: Option<Uuid>,
}

pub enum Msg {
    Load,
    Loaded(Result<Vec<OfferView>, ClientError>),
    Documents(Result<Vec<ChildcareDocumentView>, ClientError>),
    Answer(Uuid, bool),
    Answered(Result<ChildcareDocumentView, ClientError>),
}

pub enum Task {
    Offers,
    Documents,
    Answer(Uuid, bool),
}

/// Where an offer's answer stands, as this guardian sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer<'a> {
    /// No answer yet, or only an unsigned draft: the buttons show (a new answer replaces a
    /// draft, and the draft is also in "Mina dokument").
    Open,
    /// Signed by one guardian, waiting for the other (who may be this one).
    Waiting(&'a ChildcareDocumentView),
    /// Accepted, declined or lapsed: nothing more to do.
    Closed,
}

impl Offers {
    pub fn answer<'a>(&'a self, offer: &OfferView) -> Answer<'a> {
        if offer.status != OfferStatus::Open {
            return Answer::Closed;
        }
        let Some(id) = offer.answer_document_id else {
            return Answer::Open;
        };
        // Until the documents are back, no buttons that may turn out to be too late.
        let Some(documents) = &self.documents else {
            return Answer::Closed;
        };
        match documents.iter().find(|d| d.id == id) {
            Some(d) if d.status == DocumentStatus::AwaitingOtherGuardian => Answer::Waiting(d),
            Some(d) if d.status != DocumentStatus::Draft => Answer::Closed,
            _ => Answer::Open,
        }
    }
}

impl Model for Offers {
    type Msg = Msg;
    type Task = Task;

    fn update(&mut self, msg: Msg) -> Option<Task> {
        match msg {
            Msg::Load => return Some(Task::Offers),
            Msg::Loaded(result) => {
                let answered = matches!(&result, Ok(offers) if offers.iter().any(|o| o.answer_document_id.is_some()));
                self.offers = Some(result);
                if answered {
                    return Some(Task::Documents);
                }
            }
            Msg::Documents(result) => self.documents = Some(result.unwrap_or_default()),
            Msg::Answer(..) if self.busy.is_some() => {}
            Msg::Answer(id, accept) => {
                self.busy = Some(id);
                self.error = None;
                return Some(Task::Answer(id, accept));
            }
            Msg::Answered(result) => {
                self.busy = None;
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
            Task::Offers => api::offers().then(Msg::Loaded),
            Task::Documents => api::childcare_documents().then(Msg::Documents),
            Task::Answer(id, accept) => api::answer_offer(id, accept).then(Msg::Answered),
        }
    }
}

/// The offer's status in words, with the look of the matching document status.
fn offer_badge(i18n: &I18n, status: OfferStatus) -> Html {
    let (modifier, key) = match status {
        OfferStatus::Open => ("status-badge--draft", "offers.status_open"),
        OfferStatus::Accepted => ("status-badge--signed", "offers.status_accepted"),
        OfferStatus::Declined => ("status-badge--lapsed", "offers.status_declined"),
        OfferStatus::Lapsed => ("status-badge--lapsed", "offers.status_lapsed"),
    };
    badge(modifier, i18n.t(key))
}

/// `/barnomsorg/erbjudanden` ("Platserbjudanden"): each offer of a place with unit, start date,
/// hours, answer deadline and status. "Tacka ja" and "Tacka nej" create the answer and go to it,
/// to be signed with BankID on the document page; an answer waiting for the other guardian shows
/// so, with the way to it.
#[function_component]
pub fn OffersPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("offers.title"));
    let model = use_model(Offers::default, Msg::Load);
    use_go_to(&model, |page| {
        page.open.take().map(|id| Route::ChildcareDocument { id })
    });
    let page = model.get();
    let on_answer = model.callback(|(id, accept): (Uuid, bool)| Msg::Answer(id, accept));
    let list = match &page.offers {
        None => loading(&i18n),
        Some(Err(error)) if error.is_unauthenticated() => loading(&i18n),
        Some(Err(error)) => error_alert(&i18n, "offers-load-error", Some(error), None),
        Some(Ok(offers)) if offers.is_empty() => html! {
            <p class="empty-state" id="offers-empty">{ i18n.t("offers.empty") }</p>
        },
        Some(Ok(offers)) => html! {
            <ul class="card-list offer-list">
                { for offers.iter().map(|offer| offer_item(&i18n, &page, offer, &on_answer)) }
            </ul>
        },
    };
    html! {
        <div class="page offers-page">
            { back_link(Route::Childcare, i18n.t("childcare.back")) }
            <h1>{ i18n.t("offers.title") }</h1>
            <p class="lead">{ i18n.t("offers.intro") }</p>
            { error_alert(&i18n, "offers-error", page.error.as_ref(), None) }
            { list }
        </div>
    }
}

fn offer_item(
    i18n: &I18n,
    page: &Offers,
    offer: &OfferView,
    on_answer: &Callback<(Uuid, bool)>,
) -> Html {
    let id = offer.id;
    let title_id = format!("offer-{id}-title");
    let action = match page.answer(offer) {
        Answer::Open => {
            let accept = on_answer.reform(move |_: MouseEvent| (id, true));
            let decline = on_answer.reform(move |_: MouseEvent| (id, false));
            html! {
                <>
                    <div class="confirm__actions">
                        <button type="button" id={format!("accept-{id}")} class="button button--primary" aria-busy={(page.busy == Some(id)).then_some("true")} aria-describedby={title_id.clone()} onclick={accept}>
                            { i18n.t("offers.accept") }
                        </button>
                        <button type="button" id={format!("decline-{id}")} class="button button--secondary" aria-describedby={title_id.clone()} onclick={decline}>
                            { i18n.t("offers.decline") }
                        </button>
                    </div>
                    <p class="hint">{ i18n.t("offers.answer_hint") }</p>
                </>
            }
        }
        Answer::Waiting(document) => {
            let (note, text) = if document.permitted_actions.contains(&DocumentAction::Sign) {
                ("offers.waiting_you", "offers.sign_link")
            } else {
                ("offers.waiting_other", "offers.view_link")
            };
            html! {
                <>
                    <p class="notice offer__waiting">{ status_badge(i18n, document.status) }{ " " }{ i18n.t(note) }</p>
                    { link(Route::ChildcareDocument { id: document.id }, "button button--primary", html! { { i18n.t(text) } }) }
                </>
            }
        }
        Answer::Closed => Html::default(),
    };
    let rows = [
        (i18n.t("offers.unit"), unit_text(i18n, &offer.unit)),
        (i18n.t("offers.start"), i18n.date(offer.start_date)),
        (i18n.t("offers.hours"), offer.hours_per_week.to_string()),
        (
            i18n.t("offers.deadline"),
            i18n.deadline(offer.answer_deadline),
        ),
    ];
    html! {
        <li class="card offer" key={id.to_string()} id={format!("offer-{id}")}>
            <h2 class="card__title" id={title_id.clone()}>
                { i18n.tf("offers.item_title", &[("name", &offer.child_name), ("unit", &offer.unit.name)]) }
            </h2>
            <p>{ offer_badge(i18n, offer.status) }</p>
            { facts_list(&rows) }
            { action }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use skolportal_shared::api::{ChildcareUnit, ChildcareUnitKind, DocumentKind};

    fn offer(status: OfferStatus, document: Option<Uuid>) -> OfferView {
        OfferView {
            id: Uuid::from_u128(1),
            application_id: Uuid::from_u128(2),
            child_id: Uuid::from_u128(3),
            child_name: "Alva".into(),
            unit: ChildcareUnit {
                id: Uuid::from_u128(4),
                name: "Fritidshemmet Solstrålen".into(),
                kind: ChildcareUnitKind::Fritidshem,
            },
            start_date: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            hours_per_week: 30,
            answer_deadline: Utc.with_ymd_and_hms(2026, 12, 8, 9, 0, 0).unwrap(),
            status,
            answer_document_id: document,
        }
    }

    fn document(status: DocumentStatus) -> ChildcareDocumentView {
        ChildcareDocumentView {
            id: Uuid::from_u128(5),
            kind: DocumentKind::PlacementOfferAnswer,
            status,
            text: String::new(),
            created_at: Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap(),
            signed_at: None,
            signatures: Vec::new(),
            permitted_actions: Vec::new(),
            sign_blocked_reason: None,
        }
    }

    #[test]
    fn an_answer_waiting_for_the_other_guardian_hides_the_buttons() {
        let mut page = Offers::default();
        let doc = Some(Uuid::from_u128(5));
        assert_eq!(page.answer(&offer(OfferStatus::Open, None)), Answer::Open);
        assert_eq!(
            page.answer(&offer(OfferStatus::Lapsed, doc)),
            Answer::Closed
        );
        // The documents are fetched only when an offer has an answer.
        assert!(matches!(
            page.update(Msg::Loaded(Ok(vec![offer(OfferStatus::Open, doc)]))),
            Some(Task::Documents)
        ));
        assert_eq!(
            page.answer(&offer(OfferStatus::Open, doc)),
            Answer::Closed,
            "not yet known"
        );
        page.update(Msg::Documents(Ok(vec![document(
            DocumentStatus::AwaitingOtherGuardian,
        )])));
        let open = offer(OfferStatus::Open, doc);
        assert!(matches!(page.answer(&open), Answer::Waiting(_)));
        if let Some(documents) = &mut page.documents {
            documents[0].status = DocumentStatus::Draft;
        }
        assert!(matches!(page.answer(&open), Answer::Open));
    }

    #[test]
    fn answering_goes_to_the_document_once() {
        let mut page = Offers::default();
        assert!(matches!(
            page.update(Msg::Answer(Uuid::from_u128(1), true)),
            Some(Task::Answer(_, true))
        ));
        assert!(page
            .update(Msg::Answer(Uuid::from_u128(1), false))
            .is_none());
        page.update(Msg::Answered(Ok(document(DocumentStatus::Draft))));
        assert_eq!(page.open, Some(Uuid::from_u128(5)));
        assert_eq!(page.busy, None);
    }
}
