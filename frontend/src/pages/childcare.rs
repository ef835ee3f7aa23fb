use skolportal_shared::api::ChildcareDocumentView;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{document_kind_text, ErrorAlert, Loading, StatusBadge};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

enum State {
    Loading,
    Loaded(Vec<ChildcareDocumentView>),
    Failed(ClientError),
}

/// `/barnomsorg` ("Barnomsorg"): the way to a new income statement and the guardian's childcare
/// documents ("Mina dokument") in the server's order, each with its status in words. (Not sorted
/// here: a sort instantiation costs the wasm several kilobytes, and the server already orders.)
#[function_component]
pub fn ChildcarePage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("childcare.title"));
    let state = use_state(|| State::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match api::childcare_documents().await {
                    Ok(documents) => state.set(State::Loaded(documents)),
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    let documents = match &*state {
        State::Loading => html! { <Loading /> },
        State::Failed(error) if error.is_unauthenticated() => html! { <Loading /> },
        State::Failed(error) => html! {
            <ErrorAlert id="documents-error" error={Some(error.clone())} />
        },
        State::Loaded(documents) if documents.is_empty() => html! {
            <p class="empty-state" id="documents-empty">{ i18n.t("childcare.documents_empty") }</p>
        },
        State::Loaded(documents) => html! {
            <ul class="document-list" aria-labelledby="documents-heading">
                { for documents.iter().map(|document| document_item(&i18n, document)) }
            </ul>
        },
    };
    html! {
        <div class="page childcare">
            <h1>{ i18n.t("childcare.title") }</h1>
            <p class="lead">{ i18n.t("childcare.intro") }</p>
            <section class="section childcare__actions" aria-labelledby="income-heading">
                <h2 id="income-heading">{ i18n.t("childcare.income_heading") }</h2>
                <p>{ i18n.t("childcare.income_intro") }</p>
                <Link<Route> to={Route::IncomeStatement} classes="button button--primary button--block">
                    { i18n.t("childcare.income_start") }
                </Link<Route>>
            </section>
            <section class="section" aria-labelledby="documents-heading">
                <h2 id="documents-heading">{ i18n.t("childcare.documents_heading") }</h2>
                { documents }
            </section>
        </div>
    }
}

/// One document: its kind as a link to it, then the status and when it was created.
fn document_item(i18n: &I18n, document: &ChildcareDocumentView) -> Html {
    let id = document.id;
    html! {
        <li class="document-list__item" key={id.to_string()}>
            <h3 class="document-list__title">
                <Link<Route> to={Route::ChildcareDocument { id }} classes="document-list__link">
                    { document_kind_text(i18n, document.kind) }
                </Link<Route>>
            </h3>
            <p class="document-list__meta">
                <StatusBadge status={document.status} />
                <span class="document-list__date">
                    { i18n.tf("document.created_on", &[("date", &i18n.day(document.created_at))]) }
                </span>
            </p>
        </li>
    }
}
