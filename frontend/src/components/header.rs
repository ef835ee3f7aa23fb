use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::{LanguageSwitch, MainNav};
use crate::hooks::{use_i18n, use_municipality, use_session, SessionAction};

/// The municipality's name and logo, the language switch, and for a logged-in person the
/// navigation and the logout button.
#[function_component]
pub fn Header() -> Html {
    let i18n = use_i18n();
    let municipality = use_municipality();
    let session = use_session();
    let navigator = use_navigator();
    let me = session.as_ref().and_then(|session| session.me.clone());

    let name = municipality
        .as_ref()
        .map(|m| m.name.clone())
        .unwrap_or_else(|| i18n.t("app.name").to_owned());
    let logo = municipality.as_ref().and_then(|m| m.logo_url.clone());

    let logout = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let session = session.clone();
            let navigator = navigator.clone();
            spawn_local(async move {
                // Whatever the answer, this tab forgets the person; a 401 already went to login.
                let result = api::logout().await;
                if let Some(session) = session {
                    session.dispatch(SessionAction::Clear);
                }
                let already_sent = result
                    .as_ref()
                    .err()
                    .is_some_and(|e| e.is_unauthenticated());
                if let (false, Some(navigator)) = (already_sent, navigator) {
                    navigator.push(&Route::Login);
                }
            });
        })
    };

    html! {
        <header class="site-header">
            <div class="site-header__bar">
                <Link<Route> to={Route::Start} classes="brand">
                    if let Some(logo) = logo {
                        <img class="brand__logo" src={logo} alt="" />
                    }
                    <span class="brand__text">
                        <span class="brand__name">{ name }</span>
                        <span class="brand__service">{ i18n.t("app.name") }</span>
                    </span>
                </Link<Route>>
                <div class="site-header__tools">
                    <LanguageSwitch />
                    if me.is_some() {
                        <button type="button" class="button button--on-primary" onclick={logout}>
                            { i18n.t("header.logout") }
                        </button>
                    }
                </div>
            </div>
            if let Some(me) = me.filter(|me| !me.must_change_password) {
                <MainNav {me} />
            }
        </header>
    }
}
