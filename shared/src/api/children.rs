use serde::{Deserialize, Serialize};

use super::Address;

super::codes::wire_enum! {
/// How an adult is linked to a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum Relation {
    /// Vårdnadshavare.
    Guardian,
    /// Annan ansvarig vuxen: foster parent, legal representative.
    OtherResponsibleAdult,
}
}

impl Relation {
    /// Its name's catalogue key ("Vårdnadshavare", "Annan ansvarig vuxen").
    pub fn text_key(self) -> &'static str {
        match self {
            Relation::Guardian => "relation.guardian",
            Relation::OtherResponsibleAdult => "relation.other_responsible_adult",
        }
    }
}

/// A child as the guardian's "Mina barn" shows it: the pupil-card fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildCard {
    pub id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub birth_date: chrono::NaiveDate,
    pub relation: Relation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_email: Option<String>,
    /// Class (for pupils), for example "7B".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub class_name: Option<String>,
    /// School year, 0 for förskoleklass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub school_year: Option<i32>,
    /// School, preschool or fritidshem names.
    pub units: Vec<String>,
    /// What this session may do with the child, as the policy answers it: a foster parent
    /// sets schedules but does not apply for a place, for instance.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", oai(default))]
    pub permitted_actions: Vec<crate::api::PersonAction>,
}
