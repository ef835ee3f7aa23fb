use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::id_col;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000006_access_log"
    }
}

/// Who read or changed whose personal data, when, and in which session. Append-only: the code has
/// no update or delete path, and triggers refuse both on SQLite and PostgreSQL, whatever the role.
#[derive(DeriveIden)]
pub enum AccessLog {
    Table,
    Id,
    MunicipalityId,
    OccurredAt,
    ActorPersonId,
    SubjectPersonId,
    Action,
    SessionId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessLog::Table)
                    .col(id_col(AccessLog::Id))
                    .col(ColumnDef::new(AccessLog::MunicipalityId).uuid().not_null())
                    .col(
                        ColumnDef::new(AccessLog::OccurredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // No foreign keys: the log outlives the rows it speaks of.
                    .col(ColumnDef::new(AccessLog::ActorPersonId).uuid().not_null())
                    .col(ColumnDef::new(AccessLog::SubjectPersonId).uuid().not_null())
                    .col(ColumnDef::new(AccessLog::Action).string_len(64).not_null())
                    .col(ColumnDef::new(AccessLog::SessionId).string_len(64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_access_log_subject")
                    .table(AccessLog::Table)
                    .col(AccessLog::SubjectPersonId)
                    .col(AccessLog::OccurredAt)
                    .to_owned(),
            )
            .await?;
        crate::make_append_only(manager, "access_log", "access_log_no_update").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .drop_table(Table::drop().table(AccessLog::Table).to_owned())
            .await?;
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS access_log_is_append_only()")
                .await?;
        }
        Ok(())
    }
}
