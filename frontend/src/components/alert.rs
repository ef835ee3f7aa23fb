use yew::prelude::*;

use crate::api::{ClientError, ErrorCode};
use crate::hooks::use_i18n;
use crate::i18n::I18n;

/// What to tell a person about a failed request: our own text for codes we know, otherwise the
/// server's message, otherwise a general one.
pub fn error_text(i18n: &I18n, error: &ClientError) -> String {
    let api = match error {
        ClientError::Network => return i18n.t("error.network").to_owned(),
        ClientError::InvalidResponse => return i18n.t("error.invalid_response").to_owned(),
        ClientError::Api(api) => api,
    };
    let known = match &api.code {
        ErrorCode::InvalidCredentials => Some(i18n.t("error.invalid_credentials")),
        ErrorCode::Throttled => return throttled_text(i18n, api.retry_after_seconds),
        ErrorCode::WeakPassword => Some(i18n.t("error.weak_password")),
        ErrorCode::WrongPassword => Some(i18n.t("error.wrong_password")),
        ErrorCode::SamePassword => Some(i18n.t("error.same_password")),
        ErrorCode::NoPasswordAccount => Some(i18n.t("error.no_password_account")),
        ErrorCode::PasswordChangeRequired => Some(i18n.t("error.password_change_required")),
        ErrorCode::InvalidEmail => Some(i18n.t("error.invalid_email")),
        ErrorCode::InvalidPhone => Some(i18n.t("error.invalid_phone")),
        ErrorCode::InvalidIncome => Some(i18n.t("error.invalid_income")),
        ErrorCode::IncomeRequired => Some(i18n.t("error.income_required")),
        ErrorCode::ValidFromInPast => Some(i18n.t("error.valid_from_in_past")),
        ErrorCode::NotFirstOfMonth => Some(i18n.t("error.not_first_of_month")),
        ErrorCode::BankidRequired => Some(i18n.t("error.bankid_required")),
        ErrorCode::Unauthorized => Some(i18n.t("error.unauthorized")),
        ErrorCode::Forbidden => Some(i18n.t("error.forbidden")),
        ErrorCode::NotFound => Some(i18n.t("error.not_found")),
        ErrorCode::Internal => Some(i18n.t("error.internal")),
        ErrorCode::Validation | ErrorCode::Other(_) => None,
    };
    match known {
        Some(text) => text.to_owned(),
        None if !api.message.trim().is_empty() => api.message.clone(),
        None => i18n.t("error.unknown").to_owned(),
    }
}

fn throttled_text(i18n: &I18n, seconds: Option<u64>) -> String {
    match seconds {
        None => i18n.t("error.throttled").to_owned(),
        Some(seconds) => match seconds.div_ceil(60).max(1) {
            1 => i18n.t("error.throttled_one_minute").to_owned(),
            minutes => i18n.tf(
                "error.throttled_minutes",
                &[("minutes", &minutes.to_string())],
            ),
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorAlertProps {
    /// For `aria-describedby` on the fields the error concerns.
    pub id: AttrValue,
    #[prop_or_default]
    pub error: Option<ClientError>,
    /// A text of the page's own (a client-side check) instead of a request error.
    #[prop_or_default]
    pub message: Option<AttrValue>,
}

/// An error region that is always in the page, so screen readers announce text put into it.
#[function_component]
pub fn ErrorAlert(props: &ErrorAlertProps) -> Html {
    let i18n = use_i18n();
    let text = props
        .message
        .as_ref()
        .map(|message| message.to_string())
        .or_else(|| props.error.as_ref().map(|error| error_text(&i18n, error)));
    html! {
        <div id={props.id.clone()} class="live-region" role="alert" aria-live="assertive">
            if let Some(text) = text {
                <p class="alert alert--error">{ text }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct StatusMessageProps {
    pub id: AttrValue,
    #[prop_or_default]
    pub message: Option<AttrValue>,
}

/// A polite status region for confirmations ("Saved").
#[function_component]
pub fn StatusMessage(props: &StatusMessageProps) -> Html {
    html! {
        <div id={props.id.clone()} class="live-region" role="status" aria-live="polite">
            if let Some(message) = &props.message {
                <p class="alert alert--success">{ message.clone() }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::api_error;
    use crate::i18n::Lang;

    fn text(status: u16, body: &str) -> String {
        error_text(
            &I18n::new(Lang::Sv),
            &ClientError::Api(api_error(status, body, None)),
        )
    }

    #[test]
    fn throttling_says_minutes_left() {
        let sv = text(
            429,
            r#"{"error":"throttled","message":"x","retry_after_seconds":130}"#,
        );
        assert!(sv.contains("3 minuter"), "{sv}");
        let one = text(
            429,
            r#"{"error":"throttled","message":"x","retry_after_seconds":20}"#,
        );
        assert!(one.contains("1 minut"), "{one}");
    }

    #[test]
    fn income_statement_codes_have_swedish_texts() {
        for (code, expected) in [
            ("invalid_income", "hela kronor"),
            ("income_required", "Skriv hushållets inkomst"),
            ("valid_from_in_past", "bakåt i tiden"),
            ("not_first_of_month", "första dagen"),
            ("bankid_required", "kräver BankID"),
        ] {
            let body = format!(r#"{{"error":"{code}","message":"server text"}}"#);
            let shown = text(422, &body);
            assert!(shown.contains(expected), "{code}: {shown}");
        }
    }

    #[test]
    fn unknown_codes_show_the_server_message() {
        assert_eq!(
            text(400, r#"{"error":"odd","message":"Servern säger nej"}"#),
            "Servern säger nej"
        );
        assert_eq!(
            text(400, r#"{"error":"odd","message":""}"#),
            I18n::new(Lang::Sv).t("error.unknown")
        );
    }
}
