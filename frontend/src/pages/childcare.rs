use skolportal_shared::api::{ChildcareDocumentView, FeeChild};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{care_text, document_kind_text, error_alert, link, loading, status_badge};
use crate::hooks::{use_fee_basis, use_i18n, use_title, FeeBasisState};
use crate::i18n::I18n;

enum State {
    Loading,
    Loaded(Vec<ChildcareDocumentView>),
    Failed(ClientError),
}

/// `/barnomsorg` ("Barnomsorg"): the way to a new income statement, each child's schedule and
/// pick-up persons ("Vistelsetider", for the children with a place) and the guardian's childcare
/// documents ("Mina dokument") in the server's order, each with its status in words. (Not sorted
/// here: a sort instantiation costs the wasm several kilobytes, and the server already orders.)
#[function_component]
pub fn ChildcarePage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("childcare.title"));
    let state = use_state(|| State::Loading);
    let basis = use_fee_basis();
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
        State::Loading => loading(&i18n),
        State::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        State::Failed(error) => error_alert(&i18n, "documents-error", Some(error), None),
        State::Loaded(documents) if documents.is_empty() => html! {
            <p class="empty-state" id="documents-empty">{ i18n.t("childcare.documents_empty") }</p>
        },
        State::Loaded(documents) => html! {
            <ul class="document-list" aria-labelledby="documents-heading">
                { for documents.iter().map(|document| document_item(&i18n, document)) }
            </ul>
        },
    };
    let schedules = match &*basis {
        FeeBasisState::Loading => loading(&i18n),
        FeeBasisState::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        FeeBasisState::Failed(error) => error_alert(&i18n, "schedules-error", Some(error), None),
        FeeBasisState::Ready(basis) if basis.children.is_empty() && basis.cared_for.is_empty() => {
            html! {
                <p class="empty-state">{ i18n.t("childcare.schedules_empty") }</p>
            }
        }
        FeeBasisState::Ready(basis) => html! {
            <ul class="item-list schedule-children" aria-labelledby="schedules-heading">
                { for basis.children.iter().chain(basis.cared_for.iter()).map(|child| schedule_item(&i18n, child)) }
            </ul>
        },
    };
    // Only a vårdnadshavare pays the fee: a foster parent is not offered an income statement.
    let pays_fee = matches!(&*basis, FeeBasisState::Ready(basis) if basis.pays_fee);
    html! {
        <div class="page childcare">
            <h1>{ i18n.t("childcare.title") }</h1>
            <p class="lead">{ i18n.t("childcare.intro") }</p>
            if pays_fee {
                <section class="section childcare__actions" aria-labelledby="income-heading">
                    <h2 id="income-heading">{ i18n.t("childcare.income_heading") }</h2>
                    <p>{ i18n.t("childcare.income_intro") }</p>
                    { link(Route::IncomeStatement, "button button--primary button--block", html! { <>{ i18n.t("childcare.income_start") }</> }) }
                </section>
            }
            <section class="section" aria-labelledby="place-heading">
                <h2 id="place-heading">{ i18n.t("childcare.place_heading") }</h2>
                <p>{ i18n.t("childcare.place_intro") }</p>
                <ul class="place-links">
                    <li>{ link(Route::ChildcareApply, "button button--primary", html! { <>{ i18n.t("apply.title") }</> }) }</li>
                    <li>{ link(Route::ChildcareOffers, "button button--secondary", html! { <>{ i18n.t("offers.title") }</> }) }</li>
                    <li>{ link(Route::ChildcareTermination, "button button--secondary", html! { <>{ i18n.t("terminate.title") }</> }) }</li>
                </ul>
            </section>
            <section class="section" aria-labelledby="schedules-heading">
                <h2 id="schedules-heading">{ i18n.t("childcare.schedules_heading") }</h2>
                <p>{ i18n.t("childcare.schedules_intro") }</p>
                { schedules }
            </section>
            <section class="section" aria-labelledby="documents-heading">
                <h2 id="documents-heading">{ i18n.t("childcare.documents_heading") }</h2>
                { documents }
            </section>
        </div>
    }
}

/// One child with a place: name and kind of care, with links to the schedule and the pick-up
/// persons (the child's name follows each link text for screen readers).
fn schedule_item(i18n: &I18n, child: &FeeChild) -> Html {
    let id = child.child_id;
    let name =
        html! { <span class="visually-hidden">{ format!(" – {}", child.given_name) }</span> };
    html! {
        <li class="item-list__item schedule-child" key={id.to_string()}>
            <span class="item-list__name">{ child.given_name.clone() }</span>
            <span class="item-list__detail">{ care_text(i18n, child.care) }</span>
            <span class="schedule-child__links">
                { link(Route::ChildcareSchedule { id }, "button button--secondary", html! { <>{ i18n.t("childcare.schedule_link") }{ name.clone() }</> }) }
                { link(Route::PickupPersons { id }, "button button--secondary", html! { <>{ i18n.t("childcare.pickup_link") }{ name }</> }) }
            </span>
        </li>
    }
}

/// One document: its kind as a link to it, then the status and when it was created.
fn document_item(i18n: &I18n, document: &ChildcareDocumentView) -> Html {
    let id = document.id;
    html! {
        <li class="document-list__item" key={id.to_string()}>
            <h3 class="document-list__title">
                { link(Route::ChildcareDocument { id }, "document-list__link", html! { <>{ document_kind_text(i18n, document.kind) }</> }) }
            </h3>
            <p class="document-list__meta">
                { status_badge(i18n, document.status) }
                <span class="document-list__date">
                    { i18n.tf("document.created_on", &[("date", &i18n.day(document.created_at))]) }
                </span>
            </p>
        </li>
    }
}
