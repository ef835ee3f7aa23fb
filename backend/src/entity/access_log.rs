use sea_orm::entity::prelude::*;
pub use skolportal_shared::api::AccessAction;

/// Append-only; see the migrations. There is deliberately no update or delete anywhere in the
/// code. Actor and subject are pseudonyms (`person_key.pseudonym`), never person ids, so that a
/// forgotten person's lines point at no one (`population::forget`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_pseudonym: Uuid,
    pub subject_pseudonym: Uuid,
    pub action: AccessAction,
    pub session_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
