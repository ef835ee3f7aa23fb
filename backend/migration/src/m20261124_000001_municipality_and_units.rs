use sea_orm_migration::prelude::*;

use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000001_municipality_and_units"
    }
}

#[derive(DeriveIden)]
pub enum Municipality {
    Table,
    Id,
    Code,
    Name,
    Settings,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Unit {
    Table,
    Id,
    MunicipalityId,
    ExternalId,
    Name,
    Kind,
    Street,
    PostalCode,
    City,
    Phone,
    OpensAt,
    ClosesAt,
    ScheduleLockWorkingDays,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Municipality::Table)
                    .col(id_col(Municipality::Id))
                    .col(
                        ColumnDef::new(Municipality::Code)
                            .string_len(4)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Municipality::Name).string().not_null())
                    // Typed in the backend (`MunicipalitySettings`); JSON so that a new setting
                    // needs no migration.
                    .col(ColumnDef::new(Municipality::Settings).json().not_null())
                    .col(
                        ColumnDef::new(Municipality::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Unit::Table)
                    .col(id_col(Unit::Id))
                    .col(ColumnDef::new(Unit::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(Unit::ExternalId).string())
                    .col(ColumnDef::new(Unit::Name).string().not_null())
                    // school | preschool | fritidshem | family_daycare
                    .col(ColumnDef::new(Unit::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Unit::Street).string())
                    .col(ColumnDef::new(Unit::PostalCode).string_len(8))
                    .col(ColumnDef::new(Unit::City).string())
                    .col(ColumnDef::new(Unit::Phone).string_len(32))
                    .col(ColumnDef::new(Unit::OpensAt).time().not_null())
                    .col(ColumnDef::new(Unit::ClosesAt).time().not_null())
                    .col(
                        ColumnDef::new(Unit::ScheduleLockWorkingDays)
                            .integer()
                            .not_null()
                            .default(2),
                    )
                    .col(
                        ColumnDef::new(Unit::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_unit_municipality",
                        (Unit::Table, Unit::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_unit_municipality_name")
                    .table(Unit::Table)
                    .col(Unit::MunicipalityId)
                    .col(Unit::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Unit::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Municipality::Table).to_owned())
            .await
    }
}
