//! Retention (gallring) runs and what they leave behind:
//! - `retention_run`: one per municipality and day, with the periods it was started with, so
//!   that a run resumed on a later day removes exactly what it planned;
//! - `retention_count`: the run's report, removed and exported records per kind, never names;
//! - `retention_release`: append-only; the one way rows leave an append-only table. A row of
//!   `access_log` may be deleted only while a release of its municipality covers its time, and
//!   the trigger that refuses every other delete says so (below). A release is never changed or
//!   removed, so every deletion the log ever allowed stays on record;
//! - `attendance_statistic`: the anonymous aggregates kept when attendance and absence go: per
//!   unit, term and subject, a measure and a count; nothing in it names or leads to a pupil;
//! - `archive_package`, `archive_file`: the FGS package (a METS `sip.xml` and content files)
//!   of what the municipality preserves, written in the same transaction as the removal.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::{fk_cascade, id_col, timestamp_col};

#[derive(DeriveIden)]
enum RetentionRun {
    Table,
    Id,
    MunicipalityId,
    RunOn,
    Periods,
    StartedByPersonId,
    StartedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum RetentionCount {
    Table,
    RunId,
    Kind,
    Removed,
    Exported,
}

#[derive(DeriveIden)]
enum RetentionRelease {
    Table,
    Id,
    RunId,
    MunicipalityId,
    TableName,
    RemoveBefore,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AttendanceStatistic {
    Table,
    Id,
    MunicipalityId,
    RunId,
    UnitId,
    Term,
    Activity,
    Measure,
    Value,
}

#[derive(DeriveIden)]
enum ArchivePackage {
    Table,
    Id,
    MunicipalityId,
    RunId,
    CreatedAt,
    SealedAt,
}

#[derive(DeriveIden)]
enum ArchiveFile {
    Table,
    Id,
    PackageId,
    Path,
    Content,
    Sha256,
    Size,
    Records,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AccessLog {
    Table,
    MunicipalityId,
    OccurredAt,
}

/// The delete `access_log` allows: rows older than a release of their municipality.
const RELEASED: &str = "EXISTS (SELECT 1 FROM retention_release r \
     WHERE r.table_name = 'access_log' AND r.municipality_id = OLD.municipality_id \
     AND OLD.occurred_at < r.remove_before)";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use RetentionRun as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(id_col(R::Id))
                    .col(ColumnDef::new(R::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(R::RunOn).date().not_null())
                    .col(ColumnDef::new(R::Periods).json_binary().not_null())
                    // No foreign key: the report keeps who started it after they leave.
                    .col(ColumnDef::new(R::StartedByPersonId).uuid().null())
                    .col(timestamp_col(R::StartedAt))
                    .col(
                        ColumnDef::new(R::FinishedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_retention_run_municipality",
                        (R::Table, R::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_retention_run_day")
                    .table(R::Table)
                    .col(R::MunicipalityId)
                    .col(R::RunOn)
                    .unique()
                    .to_owned(),
            )
            .await?;

        use RetentionCount as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(ColumnDef::new(C::RunId).uuid().not_null())
                    .col(ColumnDef::new(C::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(C::Removed).big_integer().not_null())
                    .col(ColumnDef::new(C::Exported).big_integer().not_null())
                    .primary_key(Index::create().col(C::RunId).col(C::Kind))
                    .foreign_key(&mut fk_cascade(
                        "fk_retention_count_run",
                        (C::Table, C::RunId),
                        (R::Table, R::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        use RetentionRelease as L;
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(id_col(L::Id))
                    // Plain foreign keys (no cascade): a release outlives nothing it names.
                    .col(ColumnDef::new(L::RunId).uuid().not_null())
                    .col(ColumnDef::new(L::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(L::TableName).string_len(32).not_null())
                    .col(timestamp_col(L::RemoveBefore))
                    .col(timestamp_col(L::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_retention_release_run")
                            .from(L::Table, L::RunId)
                            .to(R::Table, R::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_retention_release_municipality")
                            .from(L::Table, L::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_retention_release_table")
                    .table(L::Table)
                    .col(L::TableName)
                    .col(L::MunicipalityId)
                    .to_owned(),
            )
            .await?;
        crate::make_append_only(manager, "retention_release", "retention_release_no_update")
            .await?;

        use AttendanceStatistic as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(id_col(S::Id))
                    .col(ColumnDef::new(S::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(S::RunId).uuid().not_null())
                    // No foreign key: the statistics outlive a unit the sync ends.
                    .col(ColumnDef::new(S::UnitId).uuid().null())
                    .col(ColumnDef::new(S::Term).string_len(8).not_null())
                    .col(ColumnDef::new(S::Activity).string_len(32).null())
                    .col(ColumnDef::new(S::Measure).string_len(32).not_null())
                    .col(ColumnDef::new(S::Value).big_integer().not_null())
                    .foreign_key(&mut fk_cascade(
                        "fk_attendance_statistic_municipality",
                        (S::Table, S::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_attendance_statistic_run",
                        (S::Table, S::RunId),
                        (R::Table, R::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attendance_statistic_term")
                    .table(S::Table)
                    .col(S::MunicipalityId)
                    .col(S::Term)
                    .to_owned(),
            )
            .await?;

        use ArchivePackage as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(id_col(P::Id))
                    .col(ColumnDef::new(P::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(P::RunId).uuid().not_null().unique_key())
                    .col(timestamp_col(P::CreatedAt))
                    .col(
                        ColumnDef::new(P::SealedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_archive_package_municipality",
                        (P::Table, P::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_archive_package_run",
                        (P::Table, P::RunId),
                        (R::Table, R::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        use ArchiveFile as F;
        manager
            .create_table(
                Table::create()
                    .table(F::Table)
                    .col(id_col(F::Id))
                    .col(ColumnDef::new(F::PackageId).uuid().not_null())
                    .col(ColumnDef::new(F::Path).string_len(200).not_null())
                    .col(ColumnDef::new(F::Content).binary().not_null())
                    .col(ColumnDef::new(F::Sha256).string_len(64).not_null())
                    .col(ColumnDef::new(F::Size).big_integer().not_null())
                    .col(ColumnDef::new(F::Records).integer().not_null())
                    .col(timestamp_col(F::CreatedAt))
                    .foreign_key(&mut fk_cascade(
                        "fk_archive_file_package",
                        (F::Table, F::PackageId),
                        (P::Table, P::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_archive_file_path")
                    .table(F::Table)
                    .col(F::PackageId)
                    .col(F::Path)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_index(
                Index::create()
                    .name("ix_access_log_municipality_time")
                    .table(AccessLog::Table)
                    .col(AccessLog::MunicipalityId)
                    .col(AccessLog::OccurredAt)
                    .to_owned(),
            )
            .await?;
        // The row trigger (UPDATE OR DELETE) and the TRUNCATE trigger call the function: only
        // a released DELETE passes.
        let db = manager.get_connection();
        let sql =
            crate::released_delete_sql(db.get_database_backend(), "access_log", Some(RELEASED));
        db.execute_unprepared(&sql).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let sql = crate::released_delete_sql(db.get_database_backend(), "access_log", None);
        db.execute_unprepared(&sql).await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_access_log_municipality_time")
                    .table(AccessLog::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            ArchiveFile::Table.into_iden(),
            ArchivePackage::Table.into_iden(),
            AttendanceStatistic::Table.into_iden(),
            RetentionRelease::Table.into_iden(),
            RetentionCount::Table.into_iden(),
            RetentionRun::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
