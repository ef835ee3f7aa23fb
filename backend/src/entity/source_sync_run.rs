use sea_orm::entity::prelude::*;

/// Whether a sync read everything or only what changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SyncScope {
    #[sea_orm(string_value = "full")]
    Full,
    #[sea_orm(string_value = "incremental")]
    Incremental,
}

/// Who or what started a sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SyncTrigger {
    #[sea_orm(string_value = "schedule")]
    Schedule,
    #[sea_orm(string_value = "officer")]
    Officer,
    /// An officer confirmed a refused sync.
    #[sea_orm(string_value = "confirmation")]
    Confirmation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SyncOutcome {
    /// Reconciled: the portal is what the source says (possibly with nothing to change).
    #[sea_orm(string_value = "completed")]
    Completed,
    /// It would have removed too much; nothing changed, and it waits for an officer.
    #[sea_orm(string_value = "refused")]
    Refused,
    /// The source could not be read completely, or its answer did not hold together; nothing
    /// changed.
    #[sea_orm(string_value = "failed")]
    Failed,
}

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

/// The kinds of relation a sync may refuse to end too many of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum RelationKind {
    #[sea_orm(string_value = "guardianships")]
    Guardianships,
    #[sea_orm(string_value = "memberships")]
    Memberships,
    #[sea_orm(string_value = "enrolments")]
    Enrolments,
    #[sea_orm(string_value = "placements")]
    Placements,
    #[sea_orm(string_value = "duties")]
    Duties,
}
