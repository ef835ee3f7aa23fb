use skolportal_shared::api::{Me, Role};
use skolportal_shared::pages::{start_page, StartPage};
use yew::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::loading;
use crate::hooks::{use_i18n, use_me, MeState};
use crate::pages::not_found::MessagePage;

/// Who may see a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone logged in.
    Any,
    Guardian,
    Pupil,
    /// A guardian or a pupil.
    Family,
    /// Teachers, preschool staff and officers.
    Staff,
    /// Officers (handläggare) of the municipality.
    Officer,
    /// The municipality's administrators (kommunadministratör).
    Administrator,
}

impl Access {
    pub fn allows(self, roles: &[Role]) -> bool {
        match self {
            Access::Any => true,
            Access::Guardian => roles.contains(&Role::Guardian),
            Access::Pupil => roles.contains(&Role::Pupil),
            Access::Family => roles.contains(&Role::Guardian) || roles.contains(&Role::Pupil),
            Access::Staff => roles.iter().copied().any(is_staff),
            Access::Officer => roles.contains(&Role::Officer),
            Access::Administrator => roles.contains(&Role::Administrator),
        }
    }
}

pub fn is_staff(role: Role) -> bool {
    matches!(role, Role::Teacher | Role::PreschoolStaff | Role::Officer)
}

#[derive(Properties, PartialEq)]
pub struct RequireLoginProps {
    pub access: Access,
    /// Only the password page itself may be shown while a password change is due.
    #[prop_or_default]
    pub allow_password_change: bool,
    pub children: Html,
}

/// Shows its children only to a logged-in person with the right role whose password is in order.
/// The pages inside read that person with [`crate::hooks::use_me`], which is then ready.
#[function_component]
pub fn RequireLogin(props: &RequireLoginProps) -> Html {
    let i18n = use_i18n();
    let state = use_me();
    let change_password = !props.allow_password_change
        && matches!(&state, MeState::Ready(me) if me.must_change_password);
    // A handed-out password must be replaced first (an effect, as navigation is a side effect).
    use_effect_with(change_password, |change| {
        if *change {
            api::go_to(&Route::Password);
        }
    });
    match state {
        MeState::Loading => loading(&i18n),
        // The request has already sent the browser to the login page.
        MeState::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        MeState::Failed(error) => html! { <MessagePage title="error.page_title" {error} /> },
        MeState::Ready(me) => {
            if change_password {
                loading(&i18n)
            } else if !props.access.allows(&me.roles) {
                html! { <MessagePage title="forbidden.title" text="forbidden.text" /> }
            } else {
                props.children.clone()
            }
        }
    }
}

/// The route a person lands on after login or on `/` (`pages::start_page`, the rule the server
/// shares); `None` if they have no role here.
pub fn landing_route(me: &Me) -> Option<Route> {
    Some(match start_page(me)? {
        StartPage::Password => Route::Password,
        StartPage::Children => Route::Children,
        StartPage::PupilCard => Route::PupilCard,
        StartPage::Officer => Route::Officer,
        StartPage::Administration => Route::Administration,
        StartPage::DaySheet(unit_id) => Route::DaySheet { unit_id },
        StartPage::Staff => Route::Staff,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(roles: &str, must_change: bool) -> Me {
        me_at(roles, must_change, "[]")
    }

    fn me_at(roles: &str, must_change: bool, units: &str) -> Me {
        let json = format!(
            r#"{{"person_id":"00000000-0000-0000-0000-000000000001","given_name":"Ada",
                "family_name":"Ek","birth_date":"1985-02-03","roles":{roles},"auth_method":"password",
                "must_change_password":{must_change},"units":{units}}}"#
        );
        match serde_json::from_str(&json) {
            Ok(me) => me,
            Err(err) => panic!("test Me does not parse: {err}"),
        }
    }

    #[test]
    fn landing_follows_password_then_roles() {
        assert_eq!(
            landing_route(&me(r#"["guardian"]"#, true)),
            Some(Route::Password)
        );
        assert_eq!(
            landing_route(&me(r#"["teacher","guardian"]"#, false)),
            Some(Route::Children)
        );
        assert_eq!(
            landing_route(&me(r#"["pupil"]"#, false)),
            Some(Route::PupilCard)
        );
        assert_eq!(
            landing_route(&me(r#"["preschool_staff"]"#, false)),
            Some(Route::Staff)
        );
        assert_eq!(
            landing_route(&me(r#"["officer"]"#, false)),
            Some(Route::Officer)
        );
        assert_eq!(landing_route(&me("[]", false)), None);
    }

    #[test]
    fn preschool_staff_land_on_the_day_sheet_of_their_unit() {
        let units = r#"[{"id":"00000000-0000-0000-0000-000000000002","name":"Solviksskolan","kind":"school"},
            {"id":"00000000-0000-0000-0000-000000000003","name":"Ekorren","kind":"preschool"}]"#;
        assert_eq!(
            landing_route(&me_at(r#"["preschool_staff"]"#, false, units)),
            Some(Route::DaySheet {
                unit_id: uuid::Uuid::from_u128(3)
            })
        );
        // A teacher starts with the pupils, wherever else they work.
        assert_eq!(
            landing_route(&me_at(r#"["teacher","preschool_staff"]"#, false, units)),
            Some(Route::Staff)
        );
    }
}
