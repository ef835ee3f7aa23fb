//! Retention of signed childcare documents: the evidence of their signatures leaves its
//! append-only table through the same narrow path as the access log, a `retention_release`.
//! A release for `signature_evidence` names one document (`record_id`), because which evidence
//! is due depends on the child's placements, not on a time: the trigger lets a row go only
//! while a release of its municipality names its document. Every other UPDATE or DELETE is
//! still refused, and a release is itself never changed or removed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveIden)]
enum RetentionRelease {
    Table,
    RecordId,
}

/// The delete `signature_evidence` allows: rows whose document a release of their
/// municipality names.
const RELEASED: &str = "EXISTS (SELECT 1 FROM retention_release r \
     WHERE r.table_name = 'signature_evidence' AND r.municipality_id = OLD.municipality_id \
     AND r.record_id = OLD.document_id)";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(RetentionRelease::Table)
                    .add_column(ColumnDef::new(RetentionRelease::RecordId).uuid())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_retention_release_record")
                    .table(RetentionRelease::Table)
                    .col(RetentionRelease::RecordId)
                    .to_owned(),
            )
            .await?;
        // The row trigger (UPDATE OR DELETE) and the TRUNCATE trigger call the function: only
        // a released DELETE passes.
        let db = manager.get_connection();
        let sql = crate::released_delete_sql(
            db.get_database_backend(),
            "signature_evidence",
            Some(RELEASED),
        );
        db.execute_unprepared(&sql).await.map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let sql = crate::released_delete_sql(db.get_database_backend(), "signature_evidence", None);
        db.execute_unprepared(&sql).await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_retention_release_record")
                    .table(RetentionRelease::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RetentionRelease::Table)
                    .drop_column(RetentionRelease::RecordId)
                    .to_owned(),
            )
            .await
            .map(|_| ())
    }
}
