//! `notice_preference.language`: the language a person's e-mail and push notices are written
//! in (a catalogue code such as `sv` or `ar`); NULL is the municipality's first language.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum NoticePreference {
    Table,
    Language,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(NoticePreference::Table)
                    .add_column(
                        ColumnDef::new(NoticePreference::Language)
                            .string_len(8)
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
                    .table(NoticePreference::Table)
                    .drop_column(NoticePreference::Language)
                    .to_owned(),
            )
            .await
    }
}
