use std::rc::Rc;

use skolportal_shared::api::{CodeEntry, Me};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{error_alert, TextField};
use crate::dom;
use crate::hooks::{use_i18n, use_session, SessionAction};

const ERROR_ID: &str = "step-up-error";

#[derive(Properties, PartialEq)]
pub struct StepUpProps {
    /// Only BankID is strong enough (nothing a code can give).
    #[prop_or_default]
    pub bankid_only: bool,
    /// Called with the stronger session's `Me` (the login page's second step). Without it the
    /// session is raised in place: the shell shows the same page again and it reloads its data.
    #[prop_or_default]
    pub on_done: Option<Callback<Me>>,
}

/// "Verify it is you": a one-time code (or a recovery code), or BankID, raising the session's
/// login strength where it stands. Shown by the login page after a password when the account
/// has a code, and by `error_alert` in place of a `step_up_required` refusal.
#[function_component]
pub fn StepUp(props: &StepUpProps) -> Html {
    let i18n = use_i18n();
    let session = use_session();
    let code = use_state(String::new);
    let error = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);
    let has_code = session
        .as_ref()
        .and_then(|s| s.me.as_ref())
        .is_none_or(|me| me.totp_enabled);

    let onsubmit = {
        let (code, error, busy) = (code.clone(), error.clone(), busy.clone());
        let on_done = props.on_done.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy || code.trim().is_empty() {
                return;
            }
            busy.set(true);
            let body = CodeEntry {
                code: code.trim().to_owned(),
            };
            let (code, error, busy) = (code.clone(), error.clone(), busy.clone());
            let (on_done, session) = (on_done.clone(), session.clone());
            spawn_local(async move {
                match api::step_up(&body).await {
                    Ok(me) => match (on_done, session) {
                        (Some(on_done), _) => on_done.emit(me),
                        (None, Some(session)) => {
                            session.dispatch(SessionAction::SteppedUp(Rc::new(me)))
                        }
                        (None, None) => {}
                    },
                    Err(err) => {
                        code.set(String::new());
                        error.set(Some(err));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let on_code = {
        let code = code.clone();
        Callback::from(move |value: String| code.set(value))
    };
    let on_bankid = Callback::from(|_: MouseEvent| {
        let here = web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_else(|| "/".to_owned());
        dom::navigate_away(&format!("{}?return_to={here}", api::BANKID_START));
    });
    html! {
        <section class="step-up" aria-labelledby="step-up-title">
            <h2 id="step-up-title">{ i18n.t("step_up.title") }</h2>
            if props.bankid_only || !has_code {
                <p>{ i18n.t(if props.bankid_only { "step_up.bankid_only" } else { "step_up.no_code" }) }</p>
            } else {
                <p>{ i18n.t("step_up.intro") }</p>
                { error_alert(&i18n, ERROR_ID, (*error).as_ref(), None) }
                <form class="form" novalidate=true {onsubmit}>
                    { TextField::new("totp-code", i18n.t("step_up.code"), (*code).clone(), on_code, "one-time-code")
                        .inputmode("numeric")
                        .hint(i18n.t("step_up.code_hint"))
                        .describedby(error.is_some().then_some(ERROR_ID))
                        .required() }
                    <button type="submit" class="button button--primary button--block" aria-busy={busy.then_some("true")}>
                        { i18n.t("step_up.submit") }
                    </button>
                </form>
                <p class="divider"><span>{ i18n.t("login.or") }</span></p>
            }
            <button type="button" class="button button--secondary button--block" onclick={on_bankid}>
                { i18n.t("login.bankid") }
            </button>
        </section>
    }
}
