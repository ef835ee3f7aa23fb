//! `municipality.pupil_password_below_year`: pupils in a class of a school year below it read
//! their own grades, absence, talk material and development plan with a password alone; from it
//! on they need a one-time code or BankID, as guardians and staff do. NULL relaxes nothing. It is
//! a column and not a field of the settings JSON because the access policy's SQL reads it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Municipality {
    Table,
    PupilPasswordBelowYear,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Municipality::Table)
                    .add_column(
                        ColumnDef::new(Municipality::PupilPasswordBelowYear)
                            .integer()
                            .null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Municipality::Table)
                    .drop_column(Municipality::PupilPasswordBelowYear)
                    .to_owned(),
            )
            .await
    }
}
