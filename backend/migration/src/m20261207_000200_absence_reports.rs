//! Absence reports (frånvaroanmälan): one row per child of a guardian's submit, with the days,
//! the hours when it is part of a day, and a reason code — never a text (docs/rules.md rule 5).
//! `(submission_id, child_id)` is unique: the app sends a submit again until it is answered,
//! and a repeat finds the rows the first one made.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AbsenceReport {
    Table,
    Id,
    MunicipalityId,
    SubmissionId,
    ChildId,
    ReportedByPersonId,
    FirstDay,
    LastDay,
    StartsAt,
    EndsAt,
    Reason,
    Status,
    ReportedAt,
    UpdatedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AbsenceReport::Table)
                    .col(
                        ColumnDef::new(AbsenceReport::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AbsenceReport::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AbsenceReport::SubmissionId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AbsenceReport::ChildId).uuid().not_null())
                    .col(ColumnDef::new(AbsenceReport::ReportedByPersonId).uuid())
                    .col(ColumnDef::new(AbsenceReport::FirstDay).date().not_null())
                    .col(ColumnDef::new(AbsenceReport::LastDay).date().not_null())
                    .col(ColumnDef::new(AbsenceReport::StartsAt).time())
                    .col(ColumnDef::new(AbsenceReport::EndsAt).time())
                    .col(
                        ColumnDef::new(AbsenceReport::Reason)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AbsenceReport::Status)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AbsenceReport::ReportedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AbsenceReport::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_absence_report_municipality")
                            .from(AbsenceReport::Table, AbsenceReport::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_absence_report_child")
                            .from(AbsenceReport::Table, AbsenceReport::ChildId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    // The report stays the child's when the adult who made it leaves the portal.
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_absence_report_reporter")
                            .from(AbsenceReport::Table, AbsenceReport::ReportedByPersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_absence_report_submission_child")
                    .table(AbsenceReport::Table)
                    .col(AbsenceReport::SubmissionId)
                    .col(AbsenceReport::ChildId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_absence_report_child_days")
                    .table(AbsenceReport::Table)
                    .col(AbsenceReport::ChildId)
                    .col(AbsenceReport::LastDay)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_absence_report_reporter")
                    .table(AbsenceReport::Table)
                    .col(AbsenceReport::ReportedByPersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AbsenceReport::Table).to_owned())
            .await
    }
}
