use sea_orm::entity::prelude::*;

pub use skolportal_shared::api::ConsentDecision as Decision;

/// One guardian's decision on one consent about a child; never updated (the history).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent_decision")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub child_id: Uuid,
    /// The decision's number among the child's, from 1: the order of the history.
    pub seq: i32,
    pub guardian_id: Uuid,
    /// The municipality's `ConsentKind::key`.
    pub kind_key: String,
    pub decision: Decision,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
