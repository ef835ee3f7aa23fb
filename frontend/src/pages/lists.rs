//! Class, group and staff lists: `/listor` for pupils and families and `/personal/listor` for
//! teachers (the same pages in two apps), each list a page of its own. The server decides who
//! sees which list; a page only says "not found" when it refuses.

use skolportal_shared::api::{
    GroupKind, GroupList, GroupStaffRole, SchoolLists, StaffList, StaffRole,
};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode};
use crate::app::{current_app, AppKind, Route};
use crate::components::{back_link, error_alert, link, loading, role_text};
use crate::hooks::{use_i18n, use_title};
use crate::i18n::I18n;

/// The routes of the app this page is in: the staff's under `/personal`, everyone else's under
/// `/listor`.
fn in_staff_app() -> bool {
    current_app() == AppKind::Staff
}

/// The page's name as the menu of its app calls it.
fn title_key() -> &'static str {
    if in_staff_app() {
        "nav.staff_lists"
    } else {
        "lists.title"
    }
}

fn back_key() -> &'static str {
    if in_staff_app() {
        "lists.back_staff"
    } else {
        "lists.back"
    }
}

fn lists_route() -> Route {
    if in_staff_app() {
        Route::TeacherLists
    } else {
        Route::Lists
    }
}

fn group_route(id: Uuid) -> Route {
    if in_staff_app() {
        Route::TeacherGroupList { id }
    } else {
        Route::GroupList { id }
    }
}

fn staff_route(id: Uuid) -> Route {
    if in_staff_app() {
        Route::TeacherStaffList { id }
    } else {
        Route::StaffList { id }
    }
}

/// What a list page has fetched.
enum Loaded<T> {
    Loading,
    Ready(T),
    /// 404: no such list, or not one of the person's; the server does not say which.
    NotFound,
    Failed(ClientError),
}

/// Fetches once per `id` with `fetch` and keeps the answer.
#[hook]
fn use_loaded<T: 'static, F>(
    id: Option<Uuid>,
    fetch: fn(Option<Uuid>) -> F,
) -> UseStateHandle<Loaded<T>>
where
    F: std::future::Future<Output = Result<T, ClientError>> + 'static,
{
    let state = use_state(|| Loaded::Loading);
    {
        let state = state.clone();
        use_effect_with(id, move |id| {
            let id = *id;
            state.set(Loaded::Loading);
            yew::platform::spawn_local(async move {
                state.set(match fetch(id).await {
                    Ok(value) => Loaded::Ready(value),
                    Err(err)
                        if matches!(
                            err.code(),
                            Some(ErrorCode::NotFound | ErrorCode::Forbidden)
                        ) =>
                    {
                        Loaded::NotFound
                    }
                    Err(err) => Loaded::Failed(err),
                });
            });
        });
    }
    state
}

/// Loading, refused or failed: what the page shows instead of its list.
fn not_ready<T>(i18n: &I18n, state: &Loaded<T>) -> Option<Html> {
    match state {
        Loaded::Ready(_) => None,
        Loaded::Loading => Some(loading(i18n)),
        Loaded::Failed(error) if error.is_unauthenticated() => Some(loading(i18n)),
        Loaded::Failed(error) => Some(error_alert(i18n, "lists-error", Some(error), None)),
        Loaded::NotFound => Some(html! {
            <p id="list-not-found" class="alert alert--error" role="alert">{ i18n.t("lists.not_found") }</p>
        }),
    }
}

fn kind_text(i18n: &I18n, kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Class => i18n.t("lists.kind_class"),
        GroupKind::Teaching => i18n.t("lists.kind_teaching"),
        GroupKind::Mentor => i18n.t("lists.kind_mentor"),
    }
}

/// "Klasser och personal": the groups and schools whose lists the person may open.
#[function_component]
pub fn ListsPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t(title_key()));
    let state = use_loaded(None, |_| api::school_lists());
    let body = not_ready(&i18n, &*state).unwrap_or_else(|| match &*state {
        Loaded::Ready(lists) => lists_body(&i18n, lists),
        _ => Html::default(),
    });
    html! {
        <div class="page page--narrow lists">
            <h1>{ i18n.t(title_key()) }</h1>
            <p class="lead">{ i18n.t("lists.intro") }</p>
            { body }
        </div>
    }
}

fn lists_body(i18n: &I18n, lists: &SchoolLists) -> Html {
    let groups = if lists.groups.is_empty() {
        html! { <p class="empty-state">{ i18n.t("lists.groups_empty") }</p> }
    } else {
        html! {
            <ul class="item-list" aria-labelledby="groups-heading">
                { for lists.groups.iter().map(|group| {
                    let mut detail = vec![kind_text(i18n, group.kind).to_owned(), group.unit_name.clone()];
                    if !group.children.is_empty() {
                        detail.push(group.children.join(", "));
                    }
                    html! {
                        <li class="item-list__item" key={group.id.to_string()}>
                            { link(group_route(group.id), "item-list__name", html! { { group.name.clone() } }) }
                            <span class="item-list__detail">{ detail.join(" · ") }</span>
                        </li>
                    }
                }) }
            </ul>
        }
    };
    let schools = if lists.schools.is_empty() {
        html! { <p class="empty-state">{ i18n.t("lists.schools_empty") }</p> }
    } else {
        html! {
            <ul class="item-list" aria-labelledby="schools-heading">
                { for lists.schools.iter().map(|school| html! {
                    <li class="item-list__item" key={school.id.to_string()}>
                        { link(staff_route(school.id), "item-list__name", html! {
                            { i18n.tf("lists.staff_of", &[("unit", &school.name)]) }
                        }) }
                    </li>
                }) }
            </ul>
        }
    };
    html! {
        <>
            <section class="section" aria-labelledby="groups-heading">
                <h2 id="groups-heading">{ i18n.t("lists.groups_heading") }</h2>
                { groups }
            </section>
            <section class="section" aria-labelledby="schools-heading">
                <h2 id="schools-heading">{ i18n.t("lists.schools_heading") }</h2>
                { schools }
            </section>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct ListPageProps {
    pub id: Uuid,
}

/// A class or group list: the pupils' names (and classes, for a group across classes), then
/// the group's mentors and teachers.
#[function_component]
pub fn GroupListPage(props: &ListPageProps) -> Html {
    let i18n = use_i18n();
    let state = use_loaded(Some(props.id), |id| api::group_list(id.unwrap_or_default()));
    let title = match &*state {
        Loaded::Ready(list) if list.kind == GroupKind::Class => {
            i18n.tf("lists.class_title", &[("name", &list.name)])
        }
        Loaded::Ready(list) => i18n.tf("lists.group_title", &[("name", &list.name)]),
        _ => i18n.t(title_key()).to_owned(),
    };
    use_title(&title);
    let body = not_ready(&i18n, &*state).unwrap_or_else(|| match &*state {
        Loaded::Ready(list) => group_body(&i18n, list),
        _ => Html::default(),
    });
    html! {
        <div class="page page--narrow group-list">
            { back_link(lists_route(), i18n.t(back_key())) }
            <h1>{ title }</h1>
            { body }
        </div>
    }
}

fn group_body(i18n: &I18n, list: &GroupList) -> Html {
    let pupils_heading = format!("{} ({})", i18n.t("lists.pupils_heading"), list.pupils.len());
    html! {
        <>
            <p class="lead">{ format!("{} · {}", kind_text(i18n, list.kind), list.unit_name) }</p>
            if in_staff_app() {
                <p class="hint logged-note">{ i18n.t("lists.logged") }</p>
                <p><yew_router::prelude::Link<Route> to={Route::ClassAttendance { id: list.id }}>{ i18n.t("attendance_stats.class_link") }</yew_router::prelude::Link<Route>></p>
                <p class="talk-links">
                    <a href={format!("/samtal/grupp/{}", list.id)}>{ i18n.t("talk_booking.times_title") }</a>
                    { " · " }
                    <a href={format!("/betyg/grupp/{}", list.id)}>{ i18n.t("grades.sheet_title") }</a>
                </p>
            }
            <section class="section" aria-labelledby="pupils-heading">
                <h2 id="pupils-heading">{ pupils_heading }</h2>
                <ol class="name-list">
                    { for list.pupils.iter().map(|pupil| html! {
                        <li class="name-list__item">
                            <span class="name-list__name">{ format!("{} {}", pupil.given_name, pupil.family_name) }</span>
                            if let Some(class) = &pupil.class_name {
                                <span class="name-list__detail">{ class.clone() }</span>
                            }
                        </li>
                    }) }
                </ol>
            </section>
            if !list.staff.is_empty() {
                <section class="section" aria-labelledby="group-staff-heading">
                    <h2 id="group-staff-heading">{ i18n.t("lists.group_staff_heading") }</h2>
                    <ul class="name-list">
                        { for list.staff.iter().map(|member| html! {
                            <li class="name-list__item">
                                <span class="name-list__name">{ format!("{} {}", member.given_name, member.family_name) }</span>
                                <span class="name-list__detail">{ match member.role {
                                    GroupStaffRole::Mentor => i18n.t("lists.mentor"),
                                    GroupStaffRole::Teacher => i18n.t("role.teacher"),
                                } }</span>
                            </li>
                        }) }
                    </ul>
                </section>
            }
        </>
    }
}

/// A school's staff list: each staff member's name and role, and their work phone and e-mail
/// as links a phone can call or write to.
#[function_component]
pub fn StaffListPage(props: &ListPageProps) -> Html {
    let i18n = use_i18n();
    let state = use_loaded(Some(props.id), |id| api::staff_list(id.unwrap_or_default()));
    let title = match &*state {
        Loaded::Ready(list) => i18n.tf("lists.staff_of", &[("unit", &list.unit.name)]),
        _ => i18n.t("lists.schools_heading").to_owned(),
    };
    use_title(&title);
    let body = not_ready(&i18n, &*state).unwrap_or_else(|| match &*state {
        Loaded::Ready(list) => staff_body(&i18n, list),
        _ => Html::default(),
    });
    html! {
        <div class="page staff-list">
            { back_link(lists_route(), i18n.t(back_key())) }
            <h1>{ title }</h1>
            { body }
        </div>
    }
}

fn staff_body(i18n: &I18n, list: &StaffList) -> Html {
    if list.staff.is_empty() {
        return html! { <p class="empty-state">{ i18n.t("lists.staff_empty") }</p> };
    }
    html! {
        <>
        if in_staff_app() {
            <p><yew_router::prelude::Link<Route> to={Route::AbsenceFollowUp { id: list.unit.id }}>{ i18n.t("attendance_stats.follow_up_link") }</yew_router::prelude::Link<Route>></p>
            <p><a href={format!("/betyg/skola/{}", list.unit.id)}>{ i18n.t("grades.lock_title") }</a></p>
        }
        <ul class="contact-list">
            { for list.staff.iter().map(|member| {
                let role = match member.role {
                    StaffRole::Principal => "principal",
                    StaffRole::Teacher => "teacher",
                    StaffRole::PreschoolStaff => "preschool_staff",
                };
                html! {
                    <li class="contact-list__item">
                        <span class="contact-list__name">{ format!("{} {}", member.given_name, member.family_name) }</span>
                        <span class="contact-list__role">{ role_text(i18n, role) }</span>
                        if let Some(phone) = &member.work_phone {
                            <a class="contact-list__link" dir="ltr" href={format!("tel:{}", phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())}>
                                <span class="visually-hidden">{ format!("{} ", i18n.t("lists.phone")) }</span>
                                { phone.clone() }
                            </a>
                        }
                        if let Some(email) = &member.work_email {
                            <a class="contact-list__link" dir="ltr" href={format!("mailto:{email}")}>
                                <span class="visually-hidden">{ format!("{} ", i18n.t("lists.email")) }</span>
                                { email.clone() }
                            </a>
                        }
                    </li>
                }
            }) }
        </ul>
        </>
    }
}
