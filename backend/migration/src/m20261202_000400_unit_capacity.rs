//! The number of places a childcare unit has, so that the officer's queue can show how many are
//! free. Optional: a unit whose capacity the source does not send shows none.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Unit {
    Table,
    Capacity,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Unit::Table)
                    .add_column(ColumnDef::new(Unit::Capacity).integer())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Unit::Table)
                    .drop_column(Unit::Capacity)
                    .to_owned(),
            )
            .await
    }
}
