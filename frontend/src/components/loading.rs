use yew::prelude::*;

use crate::i18n::I18n;

/// Shown while a page waits for the server. A function rather than a component: it is used in
/// many places, and every component costs the wasm its own generic code.
pub fn loading(i18n: &I18n) -> Html {
    html! {
        <p class="loading" role="status">{ i18n.t("common.loading") }</p>
    }
}
