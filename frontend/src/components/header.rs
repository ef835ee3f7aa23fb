use skolportal_shared::api::MunicipalityInfo;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::{language_switch, link, main_nav};
use crate::dom;
use crate::hooks::{LangContext, SessionAction, SessionContext};
use crate::i18n::I18n;

/// The municipality's name and logo, the language switch, and for a logged-in person the
/// navigation and the logout button. On a phone a logged-in person's menu (navigation, language,
/// logout) folds behind one "Meny" button, so that the header takes one row; from 40em it is
/// always shown. A function called by the shell (which holds the hooks, `menu` among them), not
/// a component: every component costs the wasm its own generic code. `current` is the route
/// shown.
#[allow(clippy::too_many_arguments)]
pub fn header(
    i18n: &I18n,
    municipality: Option<&MunicipalityInfo>,
    session: Option<SessionContext>,
    navigator: Option<Navigator>,
    switch: Option<LangContext>,
    current: Option<&Route>,
    follow: Callback<MouseEvent>,
    menu: UseStateHandle<bool>,
) -> Html {
    let me = session.as_ref().and_then(|session| session.me.clone());

    let name = municipality
        .map(|m| m.name.clone())
        .unwrap_or_else(|| i18n.t("app.name").to_owned());
    let logo = municipality.and_then(|m| m.logo_url.clone());

    let logout = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let session = session.clone();
            // What was kept offline goes with the person (the service worker also drops it).
            dom::set_keeps_offline(false);
            spawn_local(async move {
                // Whatever the answer, the tab leaves for the login page, a page load that
                // forgets the person. Clearing the session here first would make the page ask
                // who is logged in, and its answer (401) would race this page load to the
                // login page without the message.
                let result = api::logout().await;
                let already_sent = result
                    .as_ref()
                    .err()
                    .is_some_and(|e| e.is_unauthenticated());
                if !already_sent {
                    api::go_to_path(api::LOGGED_OUT);
                } else if let Some(session) = session {
                    session.dispatch(SessionAction::Clear);
                }
            });
        })
    };

    let open = *menu;
    // Tabbing out of the open menu closes it: the focus would otherwise go to controls that
    // the menu covers.
    let close_on_leave = {
        let menu = menu.clone();
        Callback::from(move |e: FocusEvent| {
            if !open {
                return;
            }
            // Yew delegates events to the app's root, so the header is found from the target.
            let header = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest(".site-header").ok().flatten());
            let next = e.related_target().and_then(|t| t.dyn_into::<Node>().ok());
            let inside = matches!((header, next), (Some(h), Some(n)) if h.contains(Some(&n)));
            if !inside {
                menu.set(false);
            }
        })
    };
    let toggle = Callback::from(move |_: MouseEvent| menu.set(!open));
    // A logged-in person's page has the folded header from its first render, before the
    // session's answer arrives: the page does not jump when it does.
    let collapsible = me.is_some() || current.is_some_and(|route| !route.is_public());
    html! {
        <header class="site-header" onclick={follow} onfocusout={close_on_leave}>
            <div class="site-header__bar">
                { link(Route::Start, "brand", html! { <>if let Some(logo) = logo {
                        <img class="brand__logo" src={logo} alt="" />
                    }
                    <span class="brand__text">
                        <span class="brand__name">{ name }</span>
                        <span class="brand__service">{ i18n.t("app.name") }</span>
                    </span></> }) }
                if collapsible {
                    <button type="button" class="button button--on-primary menu-button"
                        aria-expanded={if open { "true" } else { "false" }} aria-controls="site-menu" onclick={toggle}>
                        { i18n.t("header.menu") }
                    </button>
                }
                <div id="site-menu" class={classes!("site-menu", collapsible.then_some("site-menu--collapsible"), open.then_some("site-menu--open"))}>
                    <div class="site-header__tools">
                        { language_switch(i18n, switch, municipality) }
                        if me.is_some() {
                            <button type="button" class="button button--on-primary" onclick={logout}>
                                { i18n.t("header.logout") }
                            </button>
                        }
                    </div>
                    if let Some(me) = me.filter(|me| !me.must_change_password) {
                        { main_nav(i18n, &me, current, navigator.as_ref()) }
                    }
                </div>
            </div>
        </header>
    }
}
