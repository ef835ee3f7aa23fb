//! The municipality administrator and the history of settings:
//! - `municipality_administrator`: who may change a municipality's settings, a role of the
//!   portal's own (the school administration system has no such duty, so the sync neither
//!   gives nor ends it), distinct from the case officer's duty;
//! - `setting_change`: every change of a setting, with who, when, the old value and the new, as
//!   JSON. Written only by `administration`; not append-only by trigger, because forgetting a
//!   person who gets protected identity clears `changed_by_person_id` (as for lesson changes).

use sea_orm_migration::prelude::*;

use crate::{fk_cascade, id_col};

#[derive(DeriveIden)]
enum MunicipalityAdministrator {
    Table,
    MunicipalityId,
    PersonId,
    GrantedAt,
}

#[derive(DeriveIden)]
enum SettingChange {
    Table,
    Id,
    MunicipalityId,
    UnitId,
    Setting,
    OldValue,
    NewValue,
    ChangedByPersonId,
    ChangedAt,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MunicipalityAdministrator::Table)
                    .col(
                        ColumnDef::new(MunicipalityAdministrator::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MunicipalityAdministrator::PersonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(MunicipalityAdministrator::GrantedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(MunicipalityAdministrator::MunicipalityId)
                            .col(MunicipalityAdministrator::PersonId),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_municipality_administrator_municipality",
                        (
                            MunicipalityAdministrator::Table,
                            MunicipalityAdministrator::MunicipalityId,
                        ),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_municipality_administrator_person",
                        (
                            MunicipalityAdministrator::Table,
                            MunicipalityAdministrator::PersonId,
                        ),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SettingChange::Table)
                    .col(id_col(SettingChange::Id))
                    .col(
                        ColumnDef::new(SettingChange::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SettingChange::UnitId).uuid().null())
                    .col(
                        ColumnDef::new(SettingChange::Setting)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SettingChange::OldValue)
                            .json_binary()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SettingChange::NewValue)
                            .json_binary()
                            .not_null(),
                    )
                    // No foreign key: the history keeps who changed it after they leave.
                    .col(
                        ColumnDef::new(SettingChange::ChangedByPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SettingChange::ChangedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_setting_change_municipality",
                        (SettingChange::Table, SettingChange::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_setting_change_unit",
                        (SettingChange::Table, SettingChange::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_setting_change_municipality_time")
                    .table(SettingChange::Table)
                    .col(SettingChange::MunicipalityId)
                    .col(SettingChange::ChangedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SettingChange::Table).to_owned())
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(MunicipalityAdministrator::Table)
                    .to_owned(),
            )
            .await
    }
}
