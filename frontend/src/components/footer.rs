use yew::prelude::*;

use crate::hooks::{use_i18n, use_municipality};

#[function_component]
pub fn Footer() -> Html {
    let i18n = use_i18n();
    let municipality = use_municipality();
    let name = municipality
        .map(|m| m.name.clone())
        .unwrap_or_else(|| i18n.t("app.name").to_owned());
    html! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p class="site-footer__name">{ name }</p>
                <p class="site-footer__text">{ i18n.t("footer.service") }</p>
            </div>
        </footer>
    }
}
