use skolportal_shared::api::MunicipalityInfo;
use yew::prelude::*;

use crate::hooks::LangContext;
use crate::i18n::{I18n, Lang};

/// Svenska / English / Suomi / العربية / Soomaali / Українська. Each button is labelled in its own
/// language (the names are in the embedded Swedish catalogue, so the switch needs no fetch) and
/// marked with `lang` and `dir`; the current one is `aria-pressed`. Only languages the
/// municipality offers are shown. The header shows it on the login page too, so the language can
/// be chosen before logging in.
/// A function rather than a component: every component costs the wasm its own generic code.
pub fn language_switch(
    i18n: &I18n,
    switch: Option<LangContext>,
    municipality: Option<&MunicipalityInfo>,
) -> Html {
    let Some(switch) = switch else {
        return Html::default();
    };
    let current = switch.lang();
    let offered = municipality.map_or(&[][..], |m| m.languages.as_slice());
    let shown = skolportal_shared::lang::shown_languages(current, offered);
    if shown.is_empty() {
        return Html::default();
    }
    html! {
        <div class="lang-switch" role="group" aria-label={i18n.t("lang.switch_label").to_owned()}>
            { for shown.into_iter().map(|lang| {
                let switch = switch.clone();
                let onclick = Callback::from(move |_: MouseEvent| switch.set(lang));
                let name = native_name(lang);
                html! {
                    <button
                        type="button"
                        class="lang-switch__option"
                        lang={lang.code()}
                        dir={lang.dir()}
                        aria-pressed={if lang == current { "true" } else { "false" }}
                        {onclick}
                    >
                        { name }
                    </button>
                }
            }) }
        </div>
    }
}

/// A language's name in itself ("Suomi", "العربية"), so that a reader finds their own whatever
/// language the page is in; the Swedish catalogue, which is always there, holds them.
pub fn native_name(lang: Lang) -> &'static str {
    let sv = I18n::new(Lang::Sv);
    match lang {
        Lang::Sv => sv.t("lang.sv"),
        Lang::En => sv.t("lang.en"),
        Lang::Fi => sv.t("lang.fi"),
        Lang::Ar => sv.t("lang.ar"),
        Lang::So => sv.t("lang.so"),
        Lang::Uk => sv.t("lang.uk"),
    }
}
