use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "municipality")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub name: String,
    /// `crate::municipality::MunicipalitySettings` as JSON.
    pub settings: Json,
    /// Pupils in a class below this school year read their own grades, absence, talk material
    /// and plan with a password alone (the policy's `Rule::OwnInEarlyYears`); `None` relaxes
    /// nothing.
    pub pupil_password_below_year: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
