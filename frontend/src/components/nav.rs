use skolportal_shared::api::Me;
use skolportal_shared::pages::main_nav as main_nav_entries;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::{current_app, Route};
use crate::i18n::I18n;

/// The logged-in person's pages, by role. The current page (`current`, the route now shown) is
/// marked `aria-current="page"`. A function rather than a component, like its links: every
/// component costs the wasm its own generic code.
pub fn main_nav(
    i18n: &I18n,
    me: &Me,
    current: Option<&Route>,
    navigator: Option<&Navigator>,
) -> Html {
    // The same menu as the server's own pages (`pages::main_nav`); every entry is a route here.
    let links = main_nav_entries(me)
        .into_iter()
        .filter_map(|entry| Some((Route::recognize(entry.path)?, i18n.t(entry.label))));
    html! {
        <nav class="main-nav" aria-label={i18n.t("nav.label").to_owned()}>
            <ul class="main-nav__list">
                { for links.map(|(route, label)| html! {
                    <li>{ nav_link(route, label, current, navigator) }</li>
                }) }
            </ul>
        </nav>
    }
}

/// A link to a page of the app: a plain `<a href>`, which the shell's one click handler
/// ([`crate::dom::in_app_link`]) turns into a navigation inside the app. Used instead of
/// yew-router's `Link` component, whose code at every link cost the wasm kilobytes.
pub fn link(to: Route, class: &'static str, content: Html) -> Html {
    html! {
        <a href={to.to_path()} class={(!class.is_empty()).then_some(class)}>{ content }</a>
    }
}

/// "← Tillbaka till …": the way up from a page to the one it belongs to. One function for every
/// page that has it, so its markup is in the wasm once.
pub fn back_link(to: Route, text: &'static str) -> Html {
    html! {
        <p class="back-link">
            { link(to, "", html! { { text } }) }
        </p>
    }
}

/// The menu entry a page belongs to: the pages under "Barnomsorg" mark it as where the person is.
fn section_of(route: &Route) -> Route {
    match route {
        Route::IncomeStatement
        | Route::ChildcareApply
        | Route::ChildcareOffers
        | Route::ChildcareTermination
        | Route::ChildcareDocument { .. }
        | Route::ChildcareSchedule { .. }
        | Route::PickupPersons { .. } => Route::Childcare,
        Route::DaySheet { .. } => Route::Staff,
        Route::GroupList { .. } | Route::StaffList { .. } => Route::Lists,
        Route::TeacherGroupList { .. } | Route::TeacherStaffList { .. } => Route::TeacherLists,
        Route::OfficerQueue
        | Route::OfficerOffers
        | Route::OfficerDocuments
        | Route::OfficerDocument { .. }
        | Route::OfficerCorrections
        | Route::OfficerSourceSync => Route::Officer,
        Route::AdministrationHistory | Route::AdministrationRetention => Route::Administration,
        other => other.clone(),
    }
}

/// A router link that says when it is the current page (`aria-current="page"`), or the section
/// the current page lies in (`aria-current="true"`).
fn nav_link(
    route: Route,
    label: &str,
    current: Option<&Route>,
    navigator: Option<&Navigator>,
) -> Html {
    let is_page = current == Some(&route);
    let in_section = !is_page && current.map(section_of).as_ref() == Some(&route);
    let is_current = is_page || in_section;
    let aria_current = if is_page {
        Some("page")
    } else {
        in_section.then_some("true")
    };
    let href = route.to_path();
    let navigator = navigator.cloned();
    let onclick = Callback::from(move |event: MouseEvent| {
        // Let the browser handle new-tab clicks.
        if event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0 {
            return;
        }
        // Another app's page is loaded by the browser.
        if let Some(navigator) = navigator.as_ref().filter(|_| route.app() == current_app()) {
            event.prevent_default();
            navigator.push(&route);
        }
    });
    html! {
        <a
            class={classes!("main-nav__link", is_current.then_some("main-nav__link--current"))}
            {href}
            aria-current={aria_current}
            {onclick}
        >
            { label }
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn childcare_pages_belong_to_the_childcare_entry() {
        assert_eq!(section_of(&Route::IncomeStatement), Route::Childcare);
        let id = uuid::Uuid::nil();
        assert_eq!(
            section_of(&Route::ChildcareDocument { id }),
            Route::Childcare
        );
        assert_eq!(
            section_of(&Route::ChildcareSchedule { id }),
            Route::Childcare
        );
        assert_eq!(section_of(&Route::PickupPersons { id }), Route::Childcare);
        assert_eq!(section_of(&Route::ChildcareOffers), Route::Childcare);
        assert_eq!(section_of(&Route::DaySheet { unit_id: id }), Route::Staff);
        assert_eq!(section_of(&Route::Children), Route::Children);
        assert_eq!(section_of(&Route::OfficerDocument { id }), Route::Officer);
        assert_eq!(section_of(&Route::OfficerQueue), Route::Officer);
    }
}
