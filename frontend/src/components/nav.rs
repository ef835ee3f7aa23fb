use skolportal_shared::api::{AuthMethod, Me};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::Access;
use crate::hooks::use_i18n;

#[derive(Properties, PartialEq)]
pub struct MainNavProps {
    pub me: std::rc::Rc<Me>,
}

/// The logged-in person's pages, by role. The current page is marked `aria-current="page"`.
#[function_component]
pub fn MainNav(props: &MainNavProps) -> Html {
    let i18n = use_i18n();
    let me = &props.me;
    let mut links: Vec<(Route, &str)> = Vec::new();
    if Access::Guardian.allows(&me.roles) {
        links.push((Route::Children, i18n.t("nav.children")));
        links.push((Route::Childcare, i18n.t("nav.childcare")));
        links.push((Route::Contact, i18n.t("nav.contact")));
    }
    if Access::Pupil.allows(&me.roles) {
        links.push((Route::PupilCard, i18n.t("nav.pupil_card")));
    }
    if Access::Staff.allows(&me.roles) {
        links.push((Route::Staff, i18n.t("nav.staff")));
    }
    links.push((Route::RegisterExtract, i18n.t("nav.extract")));
    if me.auth_method == AuthMethod::Password {
        links.push((Route::Password, i18n.t("nav.password")));
    }
    html! {
        <nav class="main-nav" aria-label={i18n.t("nav.label").to_owned()}>
            <ul class="main-nav__list">
                { for links.into_iter().map(|(route, label)| html! {
                    <li><NavLink {route} label={label.to_owned()} /></li>
                }) }
            </ul>
        </nav>
    }
}

#[derive(Properties, PartialEq)]
struct NavLinkProps {
    route: Route,
    label: AttrValue,
}

/// The menu entry a page belongs to: the pages under "Barnomsorg" mark it as where the person is.
fn section_of(route: &Route) -> Route {
    match route {
        Route::IncomeStatement | Route::ChildcareDocument { .. } => Route::Childcare,
        other => other.clone(),
    }
}

/// A router link that says when it is the current page (`aria-current="page"`), or the section
/// the current page lies in (`aria-current="true"`).
#[function_component]
fn NavLink(props: &NavLinkProps) -> Html {
    let current = use_route::<Route>();
    let navigator = use_navigator();
    let is_page = current.as_ref() == Some(&props.route);
    let in_section = !is_page && current.as_ref().map(section_of).as_ref() == Some(&props.route);
    let is_current = is_page || in_section;
    let aria_current = if is_page {
        Some("page")
    } else {
        in_section.then_some("true")
    };
    let onclick = {
        let route = props.route.clone();
        Callback::from(move |event: MouseEvent| {
            // Let the browser handle new-tab clicks.
            if event.ctrl_key() || event.meta_key() || event.shift_key() || event.button() != 0 {
                return;
            }
            if let Some(navigator) = &navigator {
                event.prevent_default();
                navigator.push(&route);
            }
        })
    };
    html! {
        <a
            class={classes!("main-nav__link", is_current.then_some("main-nav__link--current"))}
            href={props.route.to_path()}
            aria-current={aria_current}
            {onclick}
        >
            { props.label.clone() }
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
        assert_eq!(section_of(&Route::Children), Route::Children);
    }
}
