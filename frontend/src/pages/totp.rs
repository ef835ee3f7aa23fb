use std::rc::Rc;

use skolportal_shared::api::{CodeEntry, Me, TotpSetup};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::{error_alert, TextField};
use crate::hooks::{use_i18n, use_me, use_session, use_title, MeState, SessionAction};

const ERROR_ID: &str = "totp-error";

/// Where set-up stands: nothing yet, a key shown and waiting for its first code, or done with
/// the recovery codes to show this once.
#[derive(Clone, PartialEq)]
enum Step {
    Start,
    Scan(Rc<TotpSetup>),
    Done(Rc<Vec<String>>),
}

/// `/engangskod`: set up one-time codes (TOTP) for a password account: a QR code (drawn by the
/// server) and the key as text, one code to confirm, then the recovery codes.
#[function_component]
pub fn TotpPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("totp.title"));
    let me = match use_me() {
        MeState::Ready(me) => Some(me),
        _ => None,
    };
    let session = use_session();
    let step = use_state(|| Step::Start);
    let code = use_state(String::new);
    let error = use_state(|| None::<ClientError>);

    let on_start = {
        let (step, error) = (step.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (step, error) = (step.clone(), error.clone());
            spawn_local(async move {
                match api::totp_setup().await {
                    Ok(key) => {
                        error.set(None);
                        step.set(Step::Scan(Rc::new(key)));
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };
    let onsubmit = {
        let (step, code, error) = (step.clone(), code.clone(), error.clone());
        let (session, me) = (session.clone(), me.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = CodeEntry {
                code: code.trim().to_owned(),
            };
            let (step, code, error) = (step.clone(), code.clone(), error.clone());
            let (session, me) = (session.clone(), me.clone());
            spawn_local(async move {
                match api::totp_confirm(&body).await {
                    Ok(done) => {
                        error.set(None);
                        step.set(Step::Done(Rc::new(done.recovery_codes)));
                        if let (Some(session), Some(me)) = (session, me) {
                            session.dispatch(SessionAction::set(Me {
                                totp_enabled: true,
                                login_strength: done.login_strength,
                                ..Rc::unwrap_or_clone(me)
                            }));
                        }
                    }
                    Err(err) => {
                        code.set(String::new());
                        error.set(Some(err));
                    }
                }
            });
        })
    };
    let on_code = {
        let code = code.clone();
        Callback::from(move |value: String| code.set(value))
    };
    let enabled = me.as_ref().is_some_and(|me| me.totp_enabled);
    let body = match (*step).clone() {
        Step::Done(codes) => html! {
            <>
                <p class="alert alert--success" role="status">{ i18n.t("totp.done") }</p>
                <h2>{ i18n.t("totp.recovery_title") }</h2>
                <p>{ i18n.t("totp.recovery_intro") }</p>
                <ul class="recovery-codes">
                    { for codes.iter().map(|c| html! { <li><code>{ c.clone() }</code></li> }) }
                </ul>
            </>
        },
        _ if enabled => html! { <p>{ i18n.t("totp.enabled") }</p> },
        Step::Start => html! {
            <button id="totp-start" type="button" class="button button--primary" onclick={on_start}>
                { i18n.t("totp.start") }
            </button>
        },
        Step::Scan(key) => html! {
            <ol class="steps">
                <li>
                    <p>{ i18n.t("totp.scan") }</p>
                    <img class="qr-code" src="/api/me/totp/qr" width="200" height="200"
                        alt={i18n.t("totp.qr_alt").to_owned()} />
                </li>
                <li>
                    <p>{ i18n.t("totp.manual") }</p>
                    <p><code class="secret-key">{ key.secret.clone() }</code></p>
                </li>
                <li>
                    <form class="form" novalidate=true {onsubmit}>
                        { TextField::new("totp-code", i18n.t("totp.confirm_code"), (*code).clone(), on_code, "one-time-code")
                            .inputmode("numeric")
                            .describedby(error.is_some().then_some(ERROR_ID))
                            .required() }
                        <button id="totp-confirm" type="submit" class="button button--primary">{ i18n.t("totp.confirm") }</button>
                    </form>
                </li>
            </ol>
        },
    };
    html! {
        <div class="page page--narrow">
            <h1>{ i18n.t("totp.title") }</h1>
            <p class="lead">{ i18n.t("totp.intro") }</p>
            { error_alert(&i18n, ERROR_ID, (*error).as_ref(), None) }
            { body }
        </div>
    }
}
