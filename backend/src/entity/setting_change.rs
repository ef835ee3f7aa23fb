use sea_orm::entity::prelude::*;

pub use skolportal_shared::api::SettingKey;

/// One change of a setting: who, when, the old value and the new (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "setting_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    /// For a unit's setting.
    pub unit_id: Option<Uuid>,
    pub setting: SettingKey,
    pub old_value: Json,
    pub new_value: Json,
    pub changed_by_person_id: Uuid,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
