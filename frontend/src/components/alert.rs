use yew::prelude::*;

use skolportal_shared::api::LoginStrength;

use crate::api::{ClientError, ErrorCode};
use crate::components::StepUp;
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
        ErrorCode::StepUpRequired => Some(i18n.t("error.step_up_required")),
        ErrorCode::Unauthorized => Some(i18n.t("error.unauthorized")),
        ErrorCode::Forbidden => Some(i18n.t("error.forbidden")),
        ErrorCode::NotFound => Some(i18n.t("error.not_found")),
        ErrorCode::Internal => Some(i18n.t("error.internal")),
        // The texts of the rarer codes (the schedule's, the pick-up persons') are looked up by
        // name, `error.<code>`, instead of each having a variant and an arm here.
        ErrorCode::Other(code) => i18n.get(&format!("error.{code}")),
        ErrorCode::Validation => None,
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
        Some(seconds) => i18n.tn("error.throttled_minutes", seconds.div_ceil(60).max(1), &[]),
    }
}

/// An error region that is always in the page, so screen readers announce text put into it: our
/// own `message` (a client-side check) if there is one, else the text for `error`. `id` is for
/// `aria-describedby` on the fields the error concerns.
///
/// This and [`status_message`] are functions rather than components: they are used in many
/// places, and every component costs the wasm its own generic code.
pub fn error_alert(
    i18n: &I18n,
    id: impl Into<AttrValue>,
    error: Option<&ClientError>,
    message: Option<&str>,
) -> Html {
    let text = message
        .map(str::to_owned)
        .or_else(|| error.map(|error| error_text(i18n, error)));
    // A refusal for want of a stronger login is answered where it stands: the step-up form
    // follows the message, and the page reloads its data once it is done.
    let step_up = match error {
        Some(ClientError::Api(api)) if api.code == ErrorCode::StepUpRequired => {
            let bankid_only = api.required_strength == Some(LoginStrength::Bankid);
            html! { <StepUp {bankid_only} /> }
        }
        _ => Html::default(),
    };
    html! {
        <>
            <div id={id.into()} class="live-region" role="alert" aria-live="assertive">
                if let Some(text) = text {
                    <p class="alert alert--error">{ text }</p>
                }
            </div>
            { step_up }
        </>
    }
}

/// A polite status region for confirmations ("Saved").
pub fn status_message(id: &'static str, message: Option<&str>) -> Html {
    html! {
        <div {id} class="live-region" role="status" aria-live="polite">
            if let Some(message) = message {
                <p class="alert alert--success">{ message }</p>
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
