use sea_orm::entity::prelude::*;

pub use skolportal_shared::api::{SyncOutcome, SyncScope, SyncTrigger};

/// One sync attempt: what the officer sees (see the migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source_sync_run")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub scope: SyncScope,
    pub trigger: SyncTrigger,
    pub outcome: SyncOutcome,
    pub started_at: DateTimeUtc,
    pub finished_at: DateTimeUtc,
    /// Counts per kind (`sync::SyncCounts`), for a completed sync.
    pub report: Option<Json>,
    /// For a refused sync: which kind of relation it would have ended too many of, how many,
    /// and of how many current ones.
    pub refused_kind: Option<RelationKind>,
    pub refused_removed: Option<i32>,
    pub refused_existing: Option<i32>,
    /// For a failed sync: what went wrong, in words without personal data.
    pub error: Option<String>,
    /// The officer who started or confirmed it.
    pub requested_by: Option<Uuid>,
    /// The refused run this one was confirmed from.
    pub confirms: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub use skolportal_shared::api::RelationKind;
