//! A group's timetable version: raised in the same transaction as every write of one of its
//! lessons or lesson changes, so that a server may keep a group's week in memory and know, by
//! reading one number with the group, whether what it keeps is still the group's week.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SchoolGroup {
    Table,
    TimetableVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SchoolGroup::Table)
                    .add_column(
                        ColumnDef::new(SchoolGroup::TimetableVersion)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SchoolGroup::Table)
                    .drop_column(SchoolGroup::TimetableVersion)
                    .to_owned(),
            )
            .await
    }
}
