use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::AccessAction;

/// Append-only; see the migration. There is deliberately no update or delete anywhere in the code.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_person_id: Uuid,
    pub subject_person_id: Uuid,
    pub action: AccessAction,
    pub session_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
