use skolportal_shared::api::MunicipalityInfo;
use yew::prelude::*;

use crate::i18n::I18n;

/// A function rather than a component: every component costs the wasm its own generic code.
pub fn footer(i18n: &I18n, municipality: Option<&MunicipalityInfo>) -> Html {
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
