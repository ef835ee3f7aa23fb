use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::link;
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

/// Why the server refused a BankID login: the `orsak` of `/bankid-fel?orsak=<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankIdFailure {
    /// The broker or our database could not be reached.
    Unavailable,
    /// The login took too long, or its link was already used (`wrong_state`, `expired`).
    Expired,
    Cancelled,
    /// The answer from BankID could not be verified.
    InvalidToken,
    /// Not BankID at assurance level 3.
    LowAssurance,
    /// Not in the municipality's register.
    UnknownPerson,
    /// No code, or one this client does not know.
    Other,
}

impl BankIdFailure {
    pub fn from_code(code: &str) -> Self {
        match code {
            "unavailable" => Self::Unavailable,
            "wrong_state" | "expired" => Self::Expired,
            "cancelled" => Self::Cancelled,
            "invalid_token" => Self::InvalidToken,
            "low_assurance" => Self::LowAssurance,
            "unknown_person" => Self::UnknownPerson,
            _ => Self::Other,
        }
    }

    /// The code in a query string such as `?orsak=expired&x=1`.
    pub fn from_query(search: &str) -> Self {
        let code = search
            .trim_start_matches('?')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "orsak")
            .map(|(_, value)| value)
            .unwrap_or_default();
        Self::from_code(code)
    }

    /// What happened and what to do about it.
    pub fn text(self, i18n: &I18n) -> &'static str {
        match self {
            Self::Unavailable => i18n.t("bankid_error.unavailable"),
            Self::Expired => i18n.t("bankid_error.expired"),
            Self::Cancelled => i18n.t("bankid_error.cancelled"),
            Self::InvalidToken => i18n.t("bankid_error.invalid_token"),
            Self::LowAssurance => i18n.t("bankid_error.low_assurance"),
            Self::UnknownPerson => i18n.t("bankid_error.unknown_person"),
            Self::Other => i18n.t("bankid_error.other"),
        }
    }
}

/// `/bankid-fel`: where the server sends a refused BankID login. Says why in plain words and what
/// to do, with a new BankID attempt (a full page load) and the password login.
#[function_component]
pub fn BankIdErrorPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("bankid_error.title"));
    let failure = use_location()
        .map(|location| BankIdFailure::from_query(location.query_str()))
        .unwrap_or(BankIdFailure::Other);
    html! {
        <div class="page page--narrow bankid-error">
            <h1>{ i18n.t("bankid_error.title") }</h1>
            <p id="bankid-error-reason" class="alert alert--error">{ failure.text(&i18n) }</p>
            <div class="actions">
                <a class="button button--primary button--block" href={api::BANKID_START}>
                    { i18n.t("bankid_error.retry") }
                </a>
                { link(Route::Login, "actions__link", html! { <>{ i18n.t("bankid_error.password_login") }</> }) }
            </div>
            <p class="hint">{ i18n.t("bankid_error.help") }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_server_code_has_its_own_text() {
        let sv = I18n::new(Lang::Sv);
        let codes = [
            "unavailable",
            "wrong_state",
            "expired",
            "cancelled",
            "invalid_token",
            "low_assurance",
            "unknown_person",
        ];
        for code in codes {
            assert_ne!(
                BankIdFailure::from_code(code),
                BankIdFailure::Other,
                "{code}"
            );
        }
        assert_eq!(
            BankIdFailure::from_code("wrong_state"),
            BankIdFailure::from_code("expired")
        );
        assert!(BankIdFailure::LowAssurance
            .text(&sv)
            .contains("säkerhetsnivå 3"));
        assert!(BankIdFailure::UnknownPerson
            .text(&sv)
            .contains("Vi hittar dig inte"));
    }

    #[test]
    fn the_code_is_read_from_the_query() {
        assert_eq!(
            BankIdFailure::from_query("?orsak=low_assurance"),
            BankIdFailure::LowAssurance
        );
        assert_eq!(
            BankIdFailure::from_query("?a=b&orsak=cancelled"),
            BankIdFailure::Cancelled
        );
        assert_eq!(BankIdFailure::from_query(""), BankIdFailure::Other);
        assert_eq!(
            BankIdFailure::from_query("?orsak=<script>"),
            BankIdFailure::Other
        );
    }
}
