//! A duty's work phone and work e-mail: the staff list of a school shows how to reach each of
//! its staff at work (the seed's personallista). They belong to the duty, not the person: a
//! teacher at two schools has two work numbers, and a person's own e-mail and phone (which a
//! teacher who is also a guardian gives as a parent) are never shown to a school's families.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Duty {
    Table,
    WorkPhone,
    WorkEmail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds only one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Duty::Table)
                    .add_column(ColumnDef::new(Duty::WorkPhone).string_len(40).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Duty::Table)
                    .add_column(ColumnDef::new(Duty::WorkEmail).string_len(254).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Duty::Table)
                    .drop_column(Duty::WorkEmail)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Duty::Table)
                    .drop_column(Duty::WorkPhone)
                    .to_owned(),
            )
            .await
    }
}
