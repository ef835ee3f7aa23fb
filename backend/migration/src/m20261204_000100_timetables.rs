//! School timetables: weekly lessons of a group, the changes recorded for a lesson on a day, the
//! municipality's days off inside terms (lov, studiedagar), and the calendar feeds people
//! subscribe to with a secret address.

use sea_orm_migration::prelude::*;

use crate::m20261124_000001_municipality_and_units::Municipality;
use crate::m20261124_000002_persons::Person;
use crate::m20261124_000003_groups_enrolments_placements::SchoolGroup;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000100_timetables"
    }
}

#[derive(DeriveIden)]
pub enum Lesson {
    Table,
    Id,
    MunicipalityId,
    GroupId,
    Activity,
    TeacherId,
    Room,
    /// ISO weekday, 1 = Monday … 5 = Friday.
    Weekday,
    StartsAt,
    EndsAt,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
pub enum LessonChange {
    Table,
    Id,
    MunicipalityId,
    LessonId,
    OnDate,
    Cancelled,
    SubstituteTeacherId,
    Room,
    StartsAt,
    EndsAt,
    Note,
    RecordedByPersonId,
    RecordedAt,
}

#[derive(DeriveIden)]
pub enum SchoolBreak {
    Table,
    Id,
    MunicipalityId,
    Kind,
    FirstDay,
    LastDay,
}

#[derive(DeriveIden)]
pub enum CalendarFeed {
    Table,
    Id,
    MunicipalityId,
    PersonId,
    OwnerPersonId,
    TokenHash,
    CreatedAt,
}

/// A teacher who leaves (or is removed by retention) leaves the lesson without a teacher, not
/// without a lesson.
fn fk_set_null(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Lesson::Table)
                    .col(id_col(Lesson::Id))
                    .col(ColumnDef::new(Lesson::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(Lesson::GroupId).uuid().not_null())
                    .col(ColumnDef::new(Lesson::Activity).string_len(32).not_null())
                    .col(ColumnDef::new(Lesson::TeacherId).uuid())
                    .col(ColumnDef::new(Lesson::Room).string_len(40))
                    .col(ColumnDef::new(Lesson::Weekday).integer().not_null())
                    .col(ColumnDef::new(Lesson::StartsAt).time().not_null())
                    .col(ColumnDef::new(Lesson::EndsAt).time().not_null())
                    .col(ColumnDef::new(Lesson::ValidFrom).date().not_null())
                    .col(ColumnDef::new(Lesson::ValidTo).date())
                    .foreign_key(&mut fk_cascade(
                        "fk_lesson_municipality",
                        (Lesson::Table, Lesson::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_lesson_group",
                        (Lesson::Table, Lesson::GroupId),
                        (SchoolGroup::Table, SchoolGroup::Id),
                    ))
                    .foreign_key(&mut fk_set_null(
                        "fk_lesson_teacher",
                        (Lesson::Table, Lesson::TeacherId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_lesson_group", Lesson::GroupId),
            ("ix_lesson_teacher", Lesson::TeacherId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Lesson::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(LessonChange::Table)
                    .col(id_col(LessonChange::Id))
                    .col(
                        ColumnDef::new(LessonChange::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(LessonChange::LessonId).uuid().not_null())
                    .col(ColumnDef::new(LessonChange::OnDate).date().not_null())
                    .col(ColumnDef::new(LessonChange::Cancelled).boolean().not_null())
                    .col(ColumnDef::new(LessonChange::SubstituteTeacherId).uuid())
                    .col(ColumnDef::new(LessonChange::Room).string_len(40))
                    .col(ColumnDef::new(LessonChange::StartsAt).time())
                    .col(ColumnDef::new(LessonChange::EndsAt).time())
                    .col(ColumnDef::new(LessonChange::Note).text())
                    // No foreign key: the change stays attributed if the teacher leaves.
                    .col(
                        ColumnDef::new(LessonChange::RecordedByPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LessonChange::RecordedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_lesson_change_municipality",
                        (LessonChange::Table, LessonChange::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_lesson_change_lesson",
                        (LessonChange::Table, LessonChange::LessonId),
                        (Lesson::Table, Lesson::Id),
                    ))
                    .foreign_key(&mut fk_set_null(
                        "fk_lesson_change_substitute",
                        (LessonChange::Table, LessonChange::SubstituteTeacherId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    // One change per lesson and day: recording again replaces it.
                    .name("ux_lesson_change_lesson_day")
                    .table(LessonChange::Table)
                    .col(LessonChange::LessonId)
                    .col(LessonChange::OnDate)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SchoolBreak::Table)
                    .col(id_col(SchoolBreak::Id))
                    .col(
                        ColumnDef::new(SchoolBreak::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SchoolBreak::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(SchoolBreak::FirstDay).date().not_null())
                    .col(ColumnDef::new(SchoolBreak::LastDay).date().not_null())
                    .foreign_key(&mut fk_cascade(
                        "fk_school_break_municipality",
                        (SchoolBreak::Table, SchoolBreak::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalendarFeed::Table)
                    .col(id_col(CalendarFeed::Id))
                    .col(
                        ColumnDef::new(CalendarFeed::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CalendarFeed::PersonId).uuid().not_null())
                    .col(
                        ColumnDef::new(CalendarFeed::OwnerPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CalendarFeed::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(CalendarFeed::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_calendar_feed_municipality",
                        (CalendarFeed::Table, CalendarFeed::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_calendar_feed_person",
                        (CalendarFeed::Table, CalendarFeed::PersonId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_calendar_feed_owner",
                        (CalendarFeed::Table, CalendarFeed::OwnerPersonId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    // One feed per subscriber and timetable: making another renews it.
                    .name("ux_calendar_feed_owner_person")
                    .table(CalendarFeed::Table)
                    .col(CalendarFeed::OwnerPersonId)
                    .col(CalendarFeed::PersonId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CalendarFeed::Table.into_iden(),
            SchoolBreak::Table.into_iden(),
            LessonChange::Table.into_iden(),
            Lesson::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
