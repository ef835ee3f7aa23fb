use yew::prelude::*;

use crate::dom;
use crate::hooks::AppContext;
use crate::i18n::{I18n, Lang};

/// The chosen language, provided by the app root.
#[derive(Clone, PartialEq)]
pub struct LangContext(pub UseStateHandle<Lang>);

impl LangContext {
    pub fn lang(&self) -> Lang {
        *self.0
    }

    /// Switches the language, remembers it on this device and updates `<html lang>`.
    pub fn set(&self, lang: Lang) {
        dom::store_lang(lang);
        dom::set_html_lang(lang);
        self.0.set(lang);
    }
}

/// Texts in the current language (Swedish outside a provider).
#[hook]
pub fn use_i18n() -> I18n {
    let context = use_context::<AppContext>();
    I18n::new(context.map(|c| c.lang.lang()).unwrap_or_default())
}

/// The language handle, for the language switch.
#[hook]
pub fn use_lang_switch() -> Option<LangContext> {
    use_context::<AppContext>().map(|c| c.lang)
}
