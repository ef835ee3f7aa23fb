//! Relations that begin and end: guardianships and group memberships get start and end dates
//! (duties, enrolments and placements have them already), and the municipality's school terms
//! become data. Access follows the dates (`policy`), so a teacher who leaves a group on
//! 30 June no longer sees its pupils on 1 July, while what was recorded in a past term stays
//! attached to that term.

use sea_orm_migration::prelude::*;

use crate::m20261124_000001_municipality_and_units::Municipality;
use crate::m20261124_000002_persons::Guardianship;
use crate::m20261124_000003_groups_enrolments_placements::GroupMembership;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000500_dated_relations"
    }
}

/// A term of the school year (hösttermin, vårtermin), as the municipality decides it.
#[derive(DeriveIden)]
pub enum SchoolTerm {
    Table,
    Id,
    MunicipalityId,
    Kind,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden)]
enum Dated {
    StartDate,
    EndDate,
}

/// Rows stored before relations had dates hold from the start of the records.
const SINCE_RECORDS_BEGAN: &str = "1900-01-01";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column a statement.
        for table in [
            Guardianship::Table.into_iden(),
            GroupMembership::Table.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table.clone())
                        .add_column(
                            ColumnDef::new(Dated::StartDate)
                                .date()
                                .not_null()
                                .default(SINCE_RECORDS_BEGAN),
                        )
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(ColumnDef::new(Dated::EndDate).date().null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(SchoolTerm::Table)
                    .col(id_col(SchoolTerm::Id))
                    .col(ColumnDef::new(SchoolTerm::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(SchoolTerm::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(SchoolTerm::StartsOn).date().not_null())
                    .col(ColumnDef::new(SchoolTerm::EndsOn).date().not_null())
                    .foreign_key(&mut fk_cascade(
                        "fk_school_term_municipality",
                        (SchoolTerm::Table, SchoolTerm::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_school_term_start")
                    .table(SchoolTerm::Table)
                    .col(SchoolTerm::MunicipalityId)
                    .col(SchoolTerm::StartsOn)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SchoolTerm::Table).to_owned())
            .await?;
        for table in [
            Guardianship::Table.into_iden(),
            GroupMembership::Table.into_iden(),
        ] {
            for column in [Dated::EndDate, Dated::StartDate] {
                manager
                    .alter_table(
                        Table::alter()
                            .table(table.clone())
                            .drop_column(column)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
