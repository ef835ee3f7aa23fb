use gloo_net::http::Request;
use web_sys::RequestCache;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::dom;
use crate::hooks::AppContext;
use crate::i18n::{self, Catalogued, I18n, Lang};

/// The chosen language, provided by the app root.
#[derive(Clone, PartialEq)]
pub struct LangContext(pub UseStateHandle<Lang>);

impl LangContext {
    pub fn lang(&self) -> Lang {
        *self.0
    }

    /// Switches the language, remembers it on this device and updates `<html lang>`. A catalogue
    /// that is not here yet is fetched first; until it arrives (or if it cannot be had) the page
    /// stays in the language it is in.
    pub fn set(&self, lang: Lang) {
        dom::store_lang(lang);
        if lang.is_loaded() {
            dom::set_html_lang(lang);
            self.0.set(lang);
            return;
        }
        let handle = self.0.clone();
        spawn_local(async move {
            if fetch_catalog(lang).await {
                dom::set_html_lang(lang);
                handle.set(lang);
            }
        });
    }
}

/// Fetches and installs `lang`'s catalogue. Revalidated on every fetch (`no-cache`, answered by
/// a 304 when unchanged) because its name carries no content hash.
pub(crate) async fn fetch_catalog(lang: Lang) -> bool {
    let Some(path) = lang.catalog_path() else {
        return true;
    };
    let Ok(response) = Request::get(&path)
        .cache(RequestCache::NoCache)
        .send()
        .await
    else {
        return false;
    };
    if !response.ok() {
        return false;
    }
    match response.text().await {
        Ok(text) => i18n::install(lang, &text),
        Err(_) => false,
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
