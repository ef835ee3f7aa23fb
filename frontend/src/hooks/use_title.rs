use yew::prelude::*;

use crate::dom;
use crate::hooks::use_i18n;

/// Sets `document.title` to "`page` – Skolportal" while the calling page is shown, following the
/// language.
#[hook]
pub fn use_title(page: &str) {
    let i18n = use_i18n();
    let title = i18n.tf("app.title_format", &[("page", page)]);
    use_effect_with(title, |title| dom::set_title(title));
}
