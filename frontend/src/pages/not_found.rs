use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::hooks::{use_i18n, use_title};

#[function_component]
pub fn NotFound() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("not_found.title"));
    html! {
        <div class="page">
            <h1>{ i18n.t("not_found.title") }</h1>
            <p>{ i18n.t("not_found.text") }</p>
            <p><Link<Route> to={Route::Start}>{ i18n.t("common.to_start") }</Link<Route>></p>
        </div>
    }
}
