//! The SS 12000 sync's own rows:
//! - `source_record`: the source's last complete answer, one row per record it lists, by kind
//!   and source id, as the client read it (only the fields the portal uses). An incremental sync
//!   applies the source's changes to it and reconciles the whole, so the portal is always what
//!   one complete answer says. A person with a security marking is kept as their id and marking
//!   only.
//! - `source_sync_state`: per municipality, the latest `meta.modified` of a complete sync (where
//!   the next incremental one asks from) and when each kind of sync last completed.
//! - `source_sync_run`: one row per attempt, what the officer sees: when, what it changed (counts
//!   per kind), what it refused and why, the error; and who asked for it or confirmed it.
//! - `person.unlisted_since`: the day the source stopped listing a person, so that a sync
//!   counts them once, and retention knows since when they have had no relations.

use sea_orm_migration::prelude::*;

use crate::fk_cascade;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SourceRecord {
    Table,
    MunicipalityId,
    Resource,
    SourceId,
    ModifiedAt,
    Body,
}

#[derive(DeriveIden)]
enum SourceSyncState {
    Table,
    MunicipalityId,
    ModifiedHighWater,
    LastIncrementalAt,
    LastFullAt,
}

#[derive(DeriveIden)]
enum SourceSyncRun {
    Table,
    Id,
    MunicipalityId,
    Scope,
    Trigger,
    Outcome,
    StartedAt,
    FinishedAt,
    Report,
    RefusedKind,
    RefusedRemoved,
    RefusedExisting,
    Error,
    RequestedBy,
    Confirms,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    UnlistedSince,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SourceRecord::Table)
                    .col(
                        ColumnDef::new(SourceRecord::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SourceRecord::Resource)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SourceRecord::SourceId).uuid().not_null())
                    .col(
                        ColumnDef::new(SourceRecord::ModifiedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SourceRecord::Body).json_binary().not_null())
                    .primary_key(
                        Index::create()
                            .col(SourceRecord::MunicipalityId)
                            .col(SourceRecord::Resource)
                            .col(SourceRecord::SourceId),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_source_record_municipality",
                        (SourceRecord::Table, SourceRecord::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SourceSyncState::Table)
                    .col(
                        ColumnDef::new(SourceSyncState::MunicipalityId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncState::ModifiedHighWater)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncState::LastIncrementalAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncState::LastFullAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_source_sync_state_municipality",
                        (SourceSyncState::Table, SourceSyncState::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SourceSyncRun::Table)
                    .col(crate::id_col(SourceSyncRun::Id))
                    .col(
                        ColumnDef::new(SourceSyncRun::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncRun::Scope)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncRun::Trigger)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncRun::Outcome)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncRun::StartedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncRun::FinishedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SourceSyncRun::Report).json_binary().null())
                    .col(
                        ColumnDef::new(SourceSyncRun::RefusedKind)
                            .string_len(32)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncRun::RefusedRemoved)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(SourceSyncRun::RefusedExisting)
                            .integer()
                            .null(),
                    )
                    .col(ColumnDef::new(SourceSyncRun::Error).text().null())
                    .col(ColumnDef::new(SourceSyncRun::RequestedBy).uuid().null())
                    .col(ColumnDef::new(SourceSyncRun::Confirms).uuid().null())
                    .foreign_key(&mut fk_cascade(
                        "fk_source_sync_run_municipality",
                        (SourceSyncRun::Table, SourceSyncRun::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_source_sync_run_latest")
                    .table(SourceSyncRun::Table)
                    .col(SourceSyncRun::MunicipalityId)
                    .col(SourceSyncRun::StartedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Person::Table)
                    .add_column(ColumnDef::new(Person::UnlistedSince).date().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Person::Table)
                    .drop_column(Person::UnlistedSince)
                    .to_owned(),
            )
            .await?;
        for table in [
            SourceSyncRun::Table.into_iden(),
            SourceSyncState::Table.into_iden(),
            SourceRecord::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
