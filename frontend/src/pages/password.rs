use std::rc::Rc;

use skolportal_shared::api::{Me, PasswordChange};
use skolportal_shared::password::check;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode};
use crate::app::Route;
use crate::components::{error_alert, landing_route, TextField};
use crate::hooks::{use_i18n, use_me, use_session, use_title, MeState, SessionAction};
use crate::pages::password_rules::password_rules;

const ERROR_ID: &str = "password-error";
const RULES_ID: &str = "password-rules";

/// Which field a client-side check or the server blamed.
#[derive(Clone, Copy, PartialEq, Default)]
struct FieldErrors {
    current_missing: bool,
    current_wrong: bool,
    new_weak: bool,
    new_same: bool,
    repeat_mismatch: bool,
}

/// `/password`: replace the password. Forced (before anything else) while
/// `Me.must_change_password` is set; otherwise reachable from the menu.
#[function_component]
pub fn PasswordPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("password.title"));
    let me = match use_me() {
        MeState::Ready(me) => Some(me),
        _ => None,
    };
    let session = use_session();
    // The units whose entrance can have a tablet: those that are not schools, as pairing allows.
    let preschools: Vec<skolportal_shared::api::UnitRef> = me
        .as_ref()
        .map(|me| {
            me.units
                .iter()
                .filter(|unit| unit.kind != skolportal_shared::api::UnitKind::School)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let current = use_state(String::new);
    let new = use_state(String::new);
    let repeat = use_state(String::new);
    let fields = use_state(FieldErrors::default);
    let error = use_state(|| None::<ClientError>);
    let busy = use_state(|| false);

    let onsubmit = {
        let (current, new, repeat) = (current.clone(), new.clone(), repeat.clone());
        let (fields, error, busy) = (fields.clone(), error.clone(), busy.clone());
        let me = me.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let checked = FieldErrors {
                current_missing: current.is_empty(),
                current_wrong: false,
                new_weak: !check(&new).is_empty(),
                new_same: false,
                repeat_mismatch: *new != *repeat,
            };
            fields.set(checked);
            error.set(None);
            if checked != FieldErrors::default() {
                return;
            }
            busy.set(true);
            let body = PasswordChange {
                current_password: (*current).clone(),
                new_password: (*new).clone(),
            };
            let (current, new, repeat) = (current.clone(), new.clone(), repeat.clone());
            let (fields, error, busy) = (fields.clone(), error.clone(), busy.clone());
            let (session, me) = (session.clone(), me.clone());
            spawn_local(async move {
                match api::change_password(&body).await {
                    Ok(()) => {
                        let updated = me.map(|me| Me {
                            must_change_password: false,
                            ..Rc::unwrap_or_clone(me)
                        });
                        let route = updated
                            .as_ref()
                            .and_then(landing_route)
                            .unwrap_or(Route::Start);
                        if let (Some(session), Some(updated)) = (session, updated) {
                            session.dispatch(SessionAction::set(updated));
                        }
                        api::go_to(&route);
                    }
                    Err(err) => {
                        let code = err.code().cloned();
                        fields.set(FieldErrors {
                            current_wrong: code == Some(ErrorCode::WrongPassword),
                            new_weak: code == Some(ErrorCode::WeakPassword),
                            new_same: code == Some(ErrorCode::SamePassword),
                            ..FieldErrors::default()
                        });
                        current.set(String::new());
                        if matches!(
                            code,
                            Some(ErrorCode::WeakPassword | ErrorCode::SamePassword)
                        ) {
                            new.set(String::new());
                            repeat.set(String::new());
                        }
                        error.set(Some(err));
                        busy.set(false);
                    }
                }
            });
        })
    };

    let setter = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |value: String| state.set(value))
    };
    let forced = me.as_ref().is_some_and(|me| me.must_change_password);
    let invalid_fields = *fields != FieldErrors::default();
    let summary = invalid_fields.then(|| i18n.t("form.check_fields"));
    let form_error = (error.is_some() || invalid_fields).then_some(AttrValue::Static(ERROR_ID));
    let new_describedby = match &form_error {
        Some(id) => format!("{RULES_ID} {id}"),
        None => RULES_ID.to_owned(),
    };
    let new_error = if fields.new_weak {
        Some(i18n.t("password.new_weak"))
    } else if fields.new_same {
        Some(i18n.t("error.same_password"))
    } else {
        None
    };
    let current_error = if fields.current_missing {
        Some(i18n.t("password.current_missing"))
    } else if fields.current_wrong {
        Some(i18n.t("error.wrong_password"))
    } else {
        None
    };
    html! {
        <div class="page page--narrow">
            <h1>{ i18n.t("password.title") }</h1>
            <p class="lead">
                { if forced { i18n.t("password.intro_forced") } else { i18n.t("password.intro") } }
            </p>
            { error_alert(&i18n, ERROR_ID, (*error).as_ref(), summary) }
            <form class="form" novalidate=true {onsubmit}>
                { TextField::new(
                    "current-password",
                    i18n.t("password.current"),
                    (*current).clone(),
                    setter(&current),
                    "current-password",
                )
                .input_type("password")
                .error(current_error.map(|text| AttrValue::from(text.to_owned())))
                .describedby(form_error.clone())
                .required() }
                { TextField::new(
                    "new-password",
                    i18n.t("password.new"),
                    (*new).clone(),
                    setter(&new),
                    "new-password",
                )
                .input_type("password")
                .error(new_error.map(|text| AttrValue::from(text.to_owned())))
                .describedby(Some(new_describedby))
                .required() }
                { password_rules(&i18n, RULES_ID, &new) }
                { TextField::new(
                    "repeat-password",
                    i18n.t("password.repeat"),
                    (*repeat).clone(),
                    setter(&repeat),
                    "new-password",
                )
                .input_type("password")
                .error(fields.repeat_mismatch.then(|| i18n.t("password.repeat_mismatch")))
                .required() }
                <button type="submit" class="button button--primary button--block" aria-busy={busy.then_some("true")}>
                    { if *busy { i18n.t("password.submitting") } else { i18n.t("password.submit") } }
                </button>
            </form>
            if me.as_ref().is_some_and(|me| me.roles.contains(&skolportal_shared::api::Role::PreschoolStaff)) {
                <KioskPinForm />
                <crate::pages::unit_tablets::UnitTablets units={preschools} />
            }
        </div>
    }
}

/// Preschool staff: the PIN they sign in on their unit's entrance tablet with.
#[function_component]
fn KioskPinForm() -> Html {
    let i18n = use_i18n();
    let pin = use_state(String::new);
    let saved = use_state(|| false);
    let failed = use_state(|| None::<crate::api::ClientError>);
    let onsubmit = {
        let (pin, saved, failed) = (pin.clone(), saved.clone(), failed.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = skolportal_shared::api::KioskPinChange {
                pin: (*pin).clone(),
            };
            let (pin, saved, failed) = (pin.clone(), saved.clone(), failed.clone());
            yew::platform::spawn_local(async move {
                match crate::api::set_kiosk_pin(&body).await {
                    Ok(()) => {
                        pin.set(String::new());
                        failed.set(None);
                        saved.set(true);
                    }
                    Err(err) => {
                        saved.set(false);
                        failed.set(Some(err));
                    }
                }
            });
        })
    };
    let oninput = {
        let pin = pin.clone();
        Callback::from(move |value: String| pin.set(value))
    };
    html! {
        <section class="section" aria-labelledby="kiosk-pin-heading">
            <h2 id="kiosk-pin-heading">{ i18n.t("password.kiosk_pin_heading") }</h2>
            <p>{ i18n.t("password.kiosk_pin_intro") }</p>
            <form class="form" novalidate=true {onsubmit}>
                { TextField::new("kiosk-pin-new", i18n.t("password.kiosk_pin"), (*pin).clone(), oninput, "off")
                    .input_type("password")
                    .inputmode("numeric") }
                { crate::components::error_alert(&i18n, "kiosk-pin-error", failed.as_ref(), None) }
                { crate::components::status_message("kiosk-pin-status", saved.then(|| i18n.t("password.kiosk_pin_saved"))) }
                <button type="submit" class="button button--secondary">{ i18n.t("password.kiosk_pin_save") }</button>
            </form>
        </section>
    }
}
