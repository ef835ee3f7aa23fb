use yew::prelude::*;

use crate::hooks::use_i18n;

/// Shown while a page waits for the server.
#[function_component]
pub fn Loading() -> Html {
    let i18n = use_i18n();
    html! {
        <p class="loading" role="status">{ i18n.t("common.loading") }</p>
    }
}
