//! Class and group lists and a school's staff list (the seed's klasslistor, grupplistor and
//! personallistor). A class list carries names and classes only; a staff list names, roles and
//! how to reach each at work. Who may open which is the server's policy.

use serde::{Deserialize, Serialize};

use super::UnitRef;

/// The lists the logged-in person may open: `GET /api/lists`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SchoolLists {
    /// Groups the person is in (as a pupil, teacher or mentor) or their children are in.
    pub groups: Vec<GroupRef>,
    /// Schools whose staff list the person may see: their own, their children's.
    pub schools: Vec<UnitRef>,
}

super::codes::wire_enum! {
/// What kind of group a list is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum GroupKind {
    /// A class (klass), e.g. 8A.
    Class,
    /// A teaching group (undervisningsgrupp), e.g. a modern language across classes.
    Teaching,
    /// A mentor group.
    Mentor,
}
}

/// A group whose list the person may open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupRef {
    pub id: uuid::Uuid,
    pub name: String,
    pub kind: GroupKind,
    pub unit_name: String,
    /// For a guardian: the given names of their children in the group, so that a family with
    /// several pupils knows whose group it is. Empty for the pupil and for staff.
    pub children: Vec<String>,
}

/// A class or group list: `GET /api/groups/{id}/list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupList {
    pub id: uuid::Uuid,
    pub name: String,
    pub kind: GroupKind,
    pub unit_name: String,
    /// The group's pupils today, by family name: names and class only.
    pub pupils: Vec<GroupListPupil>,
    /// The group's mentors and teachers today.
    pub staff: Vec<GroupListStaff>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupListPupil {
    pub given_name: String,
    pub family_name: String,
    /// The pupil's class at the group's school, when the list is of another kind of group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub class_name: Option<String>,
}

super::codes::wire_enum! {
/// A mentor's or teacher's part in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum GroupStaffRole {
    Mentor,
    Teacher,
}
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GroupListStaff {
    pub given_name: String,
    pub family_name: String,
    pub role: GroupStaffRole,
}

/// A school's (or preschool's) staff list: `GET /api/units/{id}/staff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StaffList {
    pub unit: UnitRef,
    /// Everyone with a duty at the unit today, by family name.
    pub staff: Vec<StaffListEntry>,
}

super::codes::wire_enum! {
/// A staff member's role at a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum StaffRole {
    Principal,
    Teacher,
    PreschoolStaff,
}
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct StaffListEntry {
    pub given_name: String,
    pub family_name: String,
    pub role: StaffRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub work_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub work_email: Option<String>,
}
