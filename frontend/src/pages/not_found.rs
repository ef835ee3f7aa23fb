use yew::prelude::*;

use crate::api::ClientError;
use crate::app::Route;
use crate::components::{error_alert, link};
use crate::hooks::{use_i18n, use_title};

#[derive(Properties, PartialEq)]
pub struct MessagePageProps {
    /// The translation key of the title (the `h1` and the document title).
    pub title: &'static str,
    /// The translation key of the text, followed by a link to the start page.
    #[prop_or_default]
    pub text: Option<&'static str>,
    /// A failed request to explain instead.
    #[prop_or_default]
    pub error: Option<ClientError>,
}

/// A page that only says something: "Sidan finns inte" (`/404`), "Du har inte tillgång till
/// sidan", "Något gick fel". One component for all of them, as every component costs the wasm its
/// own generic code.
#[function_component]
pub fn MessagePage(props: &MessagePageProps) -> Html {
    let i18n = use_i18n();
    let title = i18n.t(props.title);
    use_title(title);
    html! {
        <div class="page">
            <h1>{ title }</h1>
            if let Some(text) = props.text {
                <p>{ i18n.t(text) }</p>
                <p>{ link(Route::Start, "", html! { <>{ i18n.t("common.to_start") }</> }) }</p>
            }
            if let Some(error) = &props.error {
                { error_alert(&i18n, "load-error", Some(error), None) }
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{I18n, Lang};

    #[test]
    fn the_message_pages_keys_exist() {
        // Passed as props, so the scan of the translation calls in the source does not see them.
        let sv = I18n::new(Lang::Sv);
        for key in [
            "not_found.title",
            "not_found.text",
            "forbidden.title",
            "forbidden.text",
            "error.page_title",
        ] {
            assert!(sv.get(key).is_some(), "{key}");
        }
    }
}
