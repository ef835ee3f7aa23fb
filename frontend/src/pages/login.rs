use skolportal_shared::api::PasswordLogin;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::{error_alert, landing_route, status_message, TextField};
use crate::dom;
use crate::hooks::{use_i18n, use_session, use_title, SessionAction};

const ERROR_ID: &str = "login-error";

/// `/login`: username and password, or BankID (a full page load into the server's flow). After
/// login the person goes back to the page that sent them here (`?return_to=`), else to their
/// start page; `?utloggad=1` says that they have just logged out.
#[function_component]
pub fn Login() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("login.title"));
    let session = use_session();
    let search = use_location()
        .map(|location| location.query_str().to_owned())
        .unwrap_or_default();
    let return_to: Option<String> = dom::query_value(&search, "return_to")
        .and_then(dom::decode_query_value)
        .filter(|path| dom::safe_return_to(path).is_some());
    let logged_out = dom::query_value(&search, "utloggad").is_some();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let missing_username = use_state(|| false);
    let missing_password = use_state(|| false);
    let error = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);

    // Whoever this tab thought was logged in is gone once the login page shows, and so is their
    // choice to keep their start page offline: the next person did not make it.
    {
        let session = session.clone();
        use_effect_with((), move |_| {
            dom::set_keeps_offline(false);
            if let Some(session) = session.filter(|s| s.me.is_some()) {
                session.dispatch(SessionAction::Clear);
            }
        });
    }

    let onsubmit = {
        let return_to = return_to.clone();
        let (username, password) = (username.clone(), password.clone());
        let (missing_username, missing_password) =
            (missing_username.clone(), missing_password.clone());
        let (error, busy) = (error.clone(), busy.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let name = username.trim().to_owned();
            missing_username.set(name.is_empty());
            missing_password.set(password.is_empty());
            if name.is_empty() || password.is_empty() {
                error.set(None);
                return;
            }
            busy.set(true);
            error.set(None);
            let body = PasswordLogin {
                username: name,
                password: (*password).clone(),
            };
            let (password, error, busy) = (password.clone(), error.clone(), busy.clone());
            let session = session.clone();
            let return_to = return_to.clone();
            spawn_local(async move {
                match api::login(&body).await {
                    Ok(me) => {
                        let route = landing_route(&me).unwrap_or(Route::Start);
                        let change_password = me.must_change_password;
                        if let Some(session) = session {
                            session.dispatch(SessionAction::set(me));
                        }
                        match return_to {
                            Some(path) if !change_password => api::go_to_path(&path),
                            _ => api::go_to(&route),
                        }
                    }
                    Err(err) => {
                        password.set(String::new());
                        error.set(Some(err));
                        busy.set(false);
                    }
                }
            });
        })
    };

    let on_username = {
        let username = username.clone();
        Callback::from(move |value: String| username.set(value))
    };
    let on_password = {
        let password = password.clone();
        Callback::from(move |value: String| password.set(value))
    };
    let bankid = api::bankid_login(return_to.as_deref());
    let on_bankid = Callback::from(move |_: MouseEvent| dom::navigate_away(&bankid));

    let invalid_fields = *missing_username || *missing_password;
    let summary = invalid_fields.then(|| i18n.t("form.check_fields"));
    let form_error = (error.is_some() || invalid_fields).then_some(AttrValue::Static(ERROR_ID));
    html! {
        <div class="page page--narrow">
            <h1>{ i18n.t("login.title") }</h1>
            { status_message("logged-out", logged_out.then(|| i18n.t("login.logged_out"))) }
            <p class="lead">{ i18n.t("login.intro") }</p>
            { error_alert(&i18n, ERROR_ID, (*error).as_ref(), summary) }
            <form class="form" novalidate=true onsubmit={onsubmit}>
                { TextField::new(
                    "username",
                    i18n.t("login.username"),
                    (*username).clone(),
                    on_username,
                    "username",
                )
                .error(missing_username.then(|| i18n.t("login.username_missing")))
                .describedby(form_error.clone())
                .required() }
                { TextField::new(
                    "password",
                    i18n.t("login.password"),
                    (*password).clone(),
                    on_password,
                    "current-password",
                )
                .input_type("password")
                .error(missing_password.then(|| i18n.t("login.password_missing")))
                .describedby(form_error)
                .required() }
                <button type="submit" class="button button--primary button--block" aria-busy={busy.then_some("true")}>
                    { if *busy { i18n.t("login.submitting") } else { i18n.t("login.submit") } }
                </button>
            </form>
            <p class="divider"><span>{ i18n.t("login.or") }</span></p>
            <button type="button" class="button button--secondary button--block" onclick={on_bankid}>
                { i18n.t("login.bankid") }
            </button>
            <p class="hint">{ i18n.t("login.bankid_hint") }</p>
        </div>
    }
}
