//! What the SS 12000 source says about grades and single lessons:
//! - `grade.source_id`: the source's id of a grade it registered (NULL for a grade set in the
//!   portal), so that a second sync updates it and a deletion at the source removes it;
//! - `lesson_change.source_id`: the source's calendar event a change was read from (NULL for
//!   a change recorded in the portal), so that the change follows the event.
//!
//! A grade's id is unique per municipality (the ids are the source's, which a municipality has
//! one of); an event of an activity with two groups changes a lesson of each, so an event's id
//! is only indexed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Grade {
    Table,
    MunicipalityId,
    SourceId,
}

#[derive(DeriveIden)]
enum LessonChange {
    Table,
    MunicipalityId,
    SourceId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Grade::Table)
                    .add_column(ColumnDef::new(Grade::SourceId).uuid().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(LessonChange::Table)
                    .add_column(ColumnDef::new(LessonChange::SourceId).uuid().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_grade_source")
                    .table(Grade::Table)
                    .col(Grade::MunicipalityId)
                    .col(Grade::SourceId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_lesson_change_source")
                    .table(LessonChange::Table)
                    .col(LessonChange::MunicipalityId)
                    .col(LessonChange::SourceId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ux_grade_source", Grade::Table.into_iden()),
            ("ix_lesson_change_source", LessonChange::Table.into_iden()),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Grade::Table)
                    .drop_column(Grade::SourceId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(LessonChange::Table)
                    .drop_column(LessonChange::SourceId)
                    .to_owned(),
            )
            .await
    }
}
