use skolportal_shared::api::ChildCard;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{child_card, error_alert, loading};
use crate::dom;
use crate::hooks::{use_i18n, use_title};

enum State {
    Loading,
    Loaded(Vec<ChildCard>),
    Failed(ClientError),
}

/// `/children` ("Mina barn") as the app draws it: one card per child the guardian is responsible
/// for. With a network the page is the server's own, with the children's day and week above the
/// cards (backend `http::prerender::start`); the app draws it only where that page cannot come:
/// without a network, from what the guardian chose to keep on the phone.
#[function_component]
pub fn ChildrenPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("children.title"));
    let state = use_state(|| State::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                match api::children().await {
                    Ok(children) => state.set(State::Loaded(children)),
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        });
    }
    let body = match &*state {
        State::Loading => loading(&i18n),
        State::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        State::Failed(error) => error_alert(&i18n, "children-error", Some(error), None),
        State::Loaded(children) if children.is_empty() => html! {
            <p class="empty-state">{ i18n.t("children.empty") }</p>
        },
        State::Loaded(children) => html! {
            <ul class="card-list">
                { for children.iter().map(|child| html! {
                    <li key={child.id.to_string()}>{ child_card(&i18n, child) }</li>
                }) }
            </ul>
        },
    };
    let keep = use_state(dom::keeps_offline);
    let on_keep = {
        let keep = keep.clone();
        Callback::from(move |event: Event| {
            let checked = event.target_unchecked_into::<HtmlInputElement>().checked();
            dom::set_keeps_offline(checked);
            keep.set(checked);
            if checked {
                // Fetched again now, so that the copy is there before the network goes.
                spawn_local(async {
                    let _ = api::me().await;
                    let _ = api::children().await;
                });
            }
        })
    };
    let loaded = matches!(&*state, State::Loaded(children) if !children.is_empty());
    html! {
        <div class="page page--wide">
            <h1>{ i18n.t("children.title") }</h1>
            <p class="lead">{ i18n.t("children.intro") }</p>
            { body }
            // Kept only when the person asks for it, on their own device (see `dom::keeps_offline`).
            if loaded {
                <div class="checkbox keep-offline">
                    <input class="checkbox__input" type="checkbox" id="keep-offline"
                        checked={*keep} onchange={on_keep} aria-describedby="keep-offline-hint" />
                    <label class="checkbox__label" for="keep-offline">{ i18n.t("children.keep_offline") }</label>
                    <p id="keep-offline-hint" class="field__hint keep-offline__hint">{ i18n.t("children.keep_offline_hint") }</p>
                </div>
            }
        </div>
    }
}
