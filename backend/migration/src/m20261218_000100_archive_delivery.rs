//! An archive package's delivery to the city archive. Once the archive's receipt quotes the
//! package's `sip.xml` checksum, the administrator confirms it: the package's files (personal
//! data the portal no longer needs) are deleted, and the package row keeps what was delivered,
//! when and by whom. `sip_sha256` is kept on the row at sealing, so it outlives the files.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveIden)]
enum ArchivePackage {
    Table,
    SipSha256,
    DeliveredAt,
    DeliveredByPersonId,
    DeliveredFiles,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ArchivePackage as P;
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        let columns = [
            ColumnDef::new(P::SipSha256)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(P::DeliveredAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            // No foreign key: the record of a delivery outlives the administrator's account.
            ColumnDef::new(P::DeliveredByPersonId)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(P::DeliveredFiles)
                .integer()
                .null()
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(P::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Packages sealed before this: their checksum from their own `sip.xml`.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE archive_package SET sip_sha256 = (SELECT f.sha256 FROM archive_file f \
                 WHERE f.package_id = archive_package.id AND f.path = 'sip.xml') \
                 WHERE sealed_at IS NOT NULL",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ArchivePackage as P;
        for column in [
            P::DeliveredFiles,
            P::DeliveredByPersonId,
            P::DeliveredAt,
            P::SipSha256,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(P::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
