//! Attendance per lesson: every saved mark is a row of its own, never updated or deleted, so a
//! correction keeps who set what before it, and when. A pupil's mark for a lesson on a day is
//! the row with the highest `revision` (1, 2, … per pupil, lesson and day; unique, so two
//! saves at once cannot both write the same next revision); a lesson without rows that day has
//! not been taken (everyone present until marked).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AttendanceMark {
    Table,
    Id,
    MunicipalityId,
    LessonId,
    OnDate,
    PupilId,
    Revision,
    Mark,
    LateMinutes,
    RecordedByPersonId,
    RecordedAt,
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
enum Lesson {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttendanceMark::Table)
                    .col(
                        ColumnDef::new(AttendanceMark::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AttendanceMark::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AttendanceMark::LessonId).uuid().not_null())
                    .col(ColumnDef::new(AttendanceMark::OnDate).date().not_null())
                    .col(ColumnDef::new(AttendanceMark::PupilId).uuid().not_null())
                    .col(
                        ColumnDef::new(AttendanceMark::Revision)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AttendanceMark::Mark)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AttendanceMark::LateMinutes).integer())
                    .col(ColumnDef::new(AttendanceMark::RecordedByPersonId).uuid())
                    .col(
                        ColumnDef::new(AttendanceMark::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attendance_mark_municipality")
                            .from(AttendanceMark::Table, AttendanceMark::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attendance_mark_lesson")
                            .from(AttendanceMark::Table, AttendanceMark::LessonId)
                            .to(Lesson::Table, Lesson::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attendance_mark_pupil")
                            .from(AttendanceMark::Table, AttendanceMark::PupilId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    // The mark stays the pupil's when the teacher who set it leaves.
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attendance_mark_recorder")
                            .from(AttendanceMark::Table, AttendanceMark::RecordedByPersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_attendance_mark_revision")
                    .table(AttendanceMark::Table)
                    .col(AttendanceMark::LessonId)
                    .col(AttendanceMark::OnDate)
                    .col(AttendanceMark::PupilId)
                    .col(AttendanceMark::Revision)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attendance_mark_pupil_day")
                    .table(AttendanceMark::Table)
                    .col(AttendanceMark::PupilId)
                    .col(AttendanceMark::OnDate)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttendanceMark::Table).to_owned())
            .await
    }
}
