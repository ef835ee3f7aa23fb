use skolportal_shared::api::ContactUpdate;
use skolportal_shared::contact::{Email, Phone};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode};
use crate::components::{address_lines, error_alert, fact, status_message, TextField};
use crate::hooks::{use_i18n, use_me, use_session, use_title, MeState, SessionAction};

const ERROR_ID: &str = "contact-error";
const STATUS_ID: &str = "contact-status";

/// `/contact` ("Mina kontaktuppgifter"): the population-register address (read only) and the
/// person's own e-mail and phone, which they may change.
#[function_component]
pub fn ContactPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("contact.title"));
    let me = match use_me() {
        MeState::Ready(me) => Some(me),
        _ => None,
    };
    let session = use_session();
    let email = {
        let initial = me
            .as_ref()
            .and_then(|me| me.email.clone())
            .unwrap_or_default();
        use_state(move || initial)
    };
    let phone = {
        let initial = me
            .as_ref()
            .and_then(|me| me.phone.clone())
            .unwrap_or_default();
        use_state(move || initial)
    };
    let error = use_state(|| None::<ClientError>);
    // The server's own checks, run before sending (empty means "remove" and is fine).
    let local_invalid = use_state(|| (false, false));
    let saved = use_state(|| false);
    let busy = use_state(|| false);

    let onsubmit = {
        let (email, phone) = (email.clone(), phone.clone());
        let (error, saved, busy) = (error.clone(), saved.clone(), busy.clone());
        let local_invalid = local_invalid.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let email_bad = !email.trim().is_empty() && Email::parse(&email).is_err();
            let phone_bad = !phone.trim().is_empty() && Phone::parse(&phone).is_err();
            local_invalid.set((email_bad, phone_bad));
            if email_bad || phone_bad {
                saved.set(false);
                error.set(None);
                return;
            }
            busy.set(true);
            saved.set(false);
            error.set(None);
            let body = ContactUpdate {
                email: email.trim().to_owned(),
                phone: phone.trim().to_owned(),
            };
            let (email, phone) = (email.clone(), phone.clone());
            let (error, saved, busy) = (error.clone(), saved.clone(), busy.clone());
            let session = session.clone();
            spawn_local(async move {
                match api::update_contact(&body).await {
                    Ok(me) => {
                        email.set(me.email.clone().unwrap_or_default());
                        phone.set(me.phone.clone().unwrap_or_default());
                        if let Some(session) = session {
                            session.dispatch(SessionAction::set(me));
                        }
                        saved.set(true);
                    }
                    Err(err) => error.set(Some(err)),
                }
                busy.set(false);
            });
        })
    };

    let setter = |state: &UseStateHandle<String>| {
        let (state, saved) = (state.clone(), saved.clone());
        Callback::from(move |value: String| {
            saved.set(false);
            state.set(value);
        })
    };
    let code = error.as_ref().and_then(|err| err.code().cloned());
    let email_invalid = local_invalid.0 || code == Some(ErrorCode::InvalidEmail);
    let phone_invalid = local_invalid.1 || code == Some(ErrorCode::InvalidPhone);
    let summary = (email_invalid || phone_invalid).then(|| i18n.t("form.check_fields"));
    let form_error =
        (error.is_some() || email_invalid || phone_invalid).then_some(AttrValue::Static(ERROR_ID));
    let address = me.as_ref().and_then(|me| me.address.clone());

    html! {
        <div class="page page--narrow">
            <h1>{ i18n.t("contact.title") }</h1>
            <section class="section" aria-labelledby="address-heading">
                <h2 id="address-heading">{ i18n.t("contact.address_heading") }</h2>
                <dl class="facts">
                    { fact(i18n.t("contact.address"), html! { { match &address {
                            Some(address) => address_lines(address),
                            None => html! { <>{ i18n.t("common.not_registered") }</> },
                        } } }) }
                </dl>
                <p class="hint">{ i18n.t("contact.address_hint") }</p>
            </section>
            <section class="section" aria-labelledby="contact-heading">
                <h2 id="contact-heading">{ i18n.t("contact.form_heading") }</h2>
                <p>{ i18n.t("contact.form_intro") }</p>
                { error_alert(&i18n, ERROR_ID, (*error).as_ref(), summary) }
                { status_message(STATUS_ID, saved.then(|| i18n.t("contact.saved"))) }
                <form class="form" novalidate=true {onsubmit}>
                    { TextField::new(
                        "email",
                        i18n.t("contact.email"),
                        (*email).clone(),
                        setter(&email),
                        "email",
                    )
                    .input_type("email")
                    .error(email_invalid.then(|| i18n.t("error.invalid_email")))
                    .describedby(form_error.clone()) }
                    { TextField::new(
                        "phone",
                        i18n.t("contact.phone"),
                        (*phone).clone(),
                        setter(&phone),
                        "tel",
                    )
                    .input_type("tel")
                    .hint(i18n.t("contact.phone_hint"))
                    .error(phone_invalid.then(|| i18n.t("error.invalid_phone")))
                    .describedby(form_error) }
                    <button type="submit" class="button button--primary" aria-busy={busy.then_some("true")}>
                        { if *busy { i18n.t("contact.saving") } else { i18n.t("contact.save") } }
                    </button>
                </form>
            </section>
        </div>
    }
}
