//! Which pages a logged-in person has: where they start and what their menu lists. One rule for
//! the apps and for the server, which writes a guardian's start page ("Mina barn") itself
//! (backend `http::prerender`), so that the menu and the first page never differ between the two.

use crate::api::{AuthMethod, Me, Role, UnitKind};

/// The login page as it greets someone who has just logged out.
pub const LOGGED_OUT: &str = "/login?utloggad=1";

/// Where a person lands after login or on `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartPage {
    /// A handed-out password is changed before anything else.
    Password,
    /// "Mina barn", for guardians and other responsible adults.
    Children,
    /// A pupil's own card.
    PupilCard,
    /// The officer's start: the municipality's queue, offers, documents and sync.
    Officer,
    /// The municipality administrator's settings, for an administrator who is not an officer.
    Administration,
    /// Preschool staff only: "Dagens barn" of their first preschool or fritidshem.
    DaySheet(uuid::Uuid),
    /// "Mina elever".
    Staff,
}

/// The page `me` starts on; `None` when the portal serves none of their roles. Being a guardian
/// comes first: a teacher who is also a parent sees her children first, and her pupils a link
/// away.
pub fn start_page(me: &Me) -> Option<StartPage> {
    let has = |role: Role| me.roles.contains(&role);
    let childcare_unit = me.units.iter().find(|unit| unit.kind != UnitKind::School);
    if me.must_change_password {
        Some(StartPage::Password)
    } else if has(Role::Guardian) {
        Some(StartPage::Children)
    } else if has(Role::Pupil) {
        Some(StartPage::PupilCard)
    } else if has(Role::Officer) {
        Some(StartPage::Officer)
    } else if has(Role::Administrator) {
        Some(StartPage::Administration)
    } else if let (true, Some(unit)) = (me.roles == [Role::PreschoolStaff], childcare_unit) {
        Some(StartPage::DaySheet(unit.id))
    } else if has(Role::Teacher) || has(Role::PreschoolStaff) {
        Some(StartPage::Staff)
    } else {
        None
    }
}

/// One entry of the logged-in person's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavEntry {
    /// The page's address (each app's router knows it).
    pub path: &'static str,
    /// Its catalogue key.
    pub label: &'static str,
}

/// The paths of the pages a menu can list, as the apps' routers spell them.
pub mod path {
    pub const CHILDREN: &str = "/children";
    pub const CHILDCARE: &str = "/barnomsorg";
    /// Reporting a child's absence, and the reports that stand.
    pub const ABSENCE: &str = "/franvaro";
    /// The guardian's notices (unexcused absence) and the channels they come by.
    pub const NOTICES: &str = "/notiser";
    /// Leave applications, for guardians and for those who decide them.
    pub const LEAVE: &str = "/ledighet";
    pub const STAFF_LEAVE: &str = "/personal/ledighet";
    pub const CONTACT: &str = "/contact";
    pub const PUPIL_CARD: &str = "/me";
    pub const STAFF: &str = "/personal";
    pub const OFFICER: &str = "/handlaggare";
    /// The municipality administrator's settings (its own app).
    pub const ADMINISTRATION: &str = "/administration";
    pub const EXTRACT: &str = "/uppgifter";
    /// The children's consents, and a pupil's own.
    pub const CONSENTS: &str = "/samtycken";
    pub const PASSWORD: &str = "/password";
    pub const TOTP: &str = "/engangskod";
    pub const TIMETABLE: &str = "/schema";
    pub const STAFF_TIMETABLE: &str = "/personal/schema";
    pub const CHILDCARE_OFFERS: &str = "/barnomsorg/erbjudanden";
    pub const STAFF_LUNCH: &str = "/personal/matsedel";
    pub const LISTS: &str = "/listor";
    pub const STAFF_LISTS: &str = "/personal/listor";

    /// A childcare document, to read and sign.
    pub fn childcare_document(id: uuid::Uuid) -> String {
        format!("/barnomsorg/dokument/{id}")
    }

    /// A child's childcare schedule.
    pub fn childcare_schedule(child: uuid::Uuid) -> String {
        format!("/barnomsorg/schema/{child}")
    }

    /// Booking a pupil's development talk.
    pub fn talk_booking(pupil: uuid::Uuid) -> String {
        format!("/samtal/{pupil}/boka")
    }
}

/// The menu of `me`, in order: their own pages by role, then their account's.
pub fn main_nav(me: &Me) -> Vec<NavEntry> {
    let entry = |path, label| NavEntry { path, label };
    let has = |role: Role| me.roles.contains(&role);
    let mut entries = Vec::new();
    if has(Role::Guardian) {
        entries.push(entry(path::CHILDREN, "nav.children"));
        entries.push(entry(path::ABSENCE, "nav.absence"));
        entries.push(entry(path::NOTICES, "nav.notices"));
        entries.push(entry(path::LEAVE, "nav.leave"));
        entries.push(entry(path::TIMETABLE, "nav.timetable"));
        entries.push(entry(path::LISTS, "nav.lists"));
        entries.push(entry(path::CHILDCARE, "nav.childcare"));
        entries.push(entry(path::CONSENTS, "nav.consents"));
        entries.push(entry(path::CONTACT, "nav.contact"));
    }
    if has(Role::Pupil) {
        entries.push(entry(path::PUPIL_CARD, "nav.pupil_card"));
        if !has(Role::Guardian) {
            entries.push(entry(path::TIMETABLE, "nav.timetable"));
            entries.push(entry(path::LISTS, "nav.lists"));
        }
    }
    // "Mina elever" is for those who work with children; an officer has the officer's pages.
    if has(Role::Teacher) || has(Role::PreschoolStaff) {
        entries.push(entry(path::STAFF, "nav.staff"));
    }
    if has(Role::Teacher) {
        entries.push(entry(path::STAFF_TIMETABLE, "nav.timetable"));
        entries.push(entry(path::STAFF_LISTS, "nav.staff_lists"));
        entries.push(entry(path::STAFF_LEAVE, "nav.staff_leave"));
    }
    if has(Role::Officer) {
        entries.push(entry(path::OFFICER, "nav.officer"));
    }
    if has(Role::Administrator) {
        entries.push(entry(path::ADMINISTRATION, "nav.administration"));
    }
    entries.push(entry(path::EXTRACT, "nav.extract"));
    if me.auth_method == AuthMethod::Password {
        entries.push(entry(path::PASSWORD, "nav.password"));
        entries.push(entry(path::TOTP, "nav.totp"));
    }
    entries
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn me(roles: &str, method: &str) -> Me {
        let json = format!(
            r#"{{"person_id":"00000000-0000-0000-0000-000000000001","given_name":"Ada",
                "family_name":"Ek","birth_date":"1985-02-03","roles":{roles},"auth_method":"{method}",
                "must_change_password":false,"units":[]}}"#
        );
        serde_json::from_str(&json).expect("a test Me")
    }

    fn paths(me: &Me) -> Vec<&'static str> {
        main_nav(me).into_iter().map(|entry| entry.path).collect()
    }

    #[test]
    fn a_teacher_who_is_a_parent_starts_with_her_children_and_has_both_menus() {
        let me = me(r#"["teacher","guardian"]"#, "password");
        assert_eq!(start_page(&me), Some(StartPage::Children));
        assert_eq!(
            paths(&me),
            [
                path::CHILDREN,
                path::ABSENCE,
                path::NOTICES,
                path::LEAVE,
                path::TIMETABLE,
                path::LISTS,
                path::CHILDCARE,
                path::CONSENTS,
                path::CONTACT,
                path::STAFF,
                path::STAFF_TIMETABLE,
                path::STAFF_LISTS,
                path::STAFF_LEAVE,
                path::EXTRACT,
                path::PASSWORD,
                path::TOTP
            ]
        );
    }

    #[test]
    fn the_administrator_starts_in_her_own_app_and_an_officer_in_his() {
        let admin = me(r#"["administrator"]"#, "bankid");
        assert_eq!(start_page(&admin), Some(StartPage::Administration));
        assert_eq!(paths(&admin), [path::ADMINISTRATION, path::EXTRACT]);
        let both = me(r#"["officer","administrator"]"#, "bankid");
        assert_eq!(start_page(&both), Some(StartPage::Officer));
        assert_eq!(
            paths(&both),
            [path::OFFICER, path::ADMINISTRATION, path::EXTRACT]
        );
    }

    #[test]
    fn a_bankid_login_has_no_password_pages() {
        let me = me(r#"["pupil"]"#, "bankid");
        assert_eq!(start_page(&me), Some(StartPage::PupilCard));
        assert_eq!(
            paths(&me),
            [
                path::PUPIL_CARD,
                path::TIMETABLE,
                path::LISTS,
                path::EXTRACT
            ]
        );
        let officer = self::me(r#"["officer"]"#, "bankid");
        assert_eq!(paths(&officer), [path::OFFICER, path::EXTRACT]);
        assert_eq!(start_page(&self::me("[]", "bankid")), None);
    }
}
