//! The individual development plan (IUP): the mentor's goals (`iup_goal`), each written in a
//! term at a school and followed up once, and the subject teachers' omdömen (`iup_assessment`),
//! one per pupil, school year and subject (unique). Each row keeps the school it was written at:
//! the new school's staff see an earlier school's rows only under the transfer consent.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IupGoal {
    Table,
    Id,
    MunicipalityId,
    PupilId,
    TermId,
    UnitId,
    AuthorId,
    Activity,
    Goal,
    Measures,
    Agreements,
    CreatedAt,
    Outcome,
    FollowUp,
    FollowedUpAt,
    FollowedUpById,
}

#[derive(DeriveIden)]
enum IupAssessment {
    Table,
    Id,
    MunicipalityId,
    PupilId,
    SchoolYearStart,
    SchoolYear,
    UnitId,
    Activity,
    Level,
    Comment,
    TeacherId,
    WrittenAt,
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
enum SchoolTerm {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

fn to(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(table, column)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        use IupGoal as G;
        manager
            .create_table(
                Table::create()
                    .table(G::Table)
                    .col(ColumnDef::new(G::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(G::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(G::PupilId).uuid().not_null())
                    .col(ColumnDef::new(G::TermId).uuid().not_null())
                    .col(ColumnDef::new(G::UnitId).uuid().not_null())
                    .col(ColumnDef::new(G::AuthorId).uuid())
                    .col(ColumnDef::new(G::Activity).string_len(32))
                    .col(ColumnDef::new(G::Goal).text().not_null())
                    .col(ColumnDef::new(G::Measures).text().not_null())
                    .col(ColumnDef::new(G::Agreements).text().not_null())
                    .col(
                        ColumnDef::new(G::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(G::Outcome).string_len(32))
                    .col(ColumnDef::new(G::FollowUp).text())
                    .col(ColumnDef::new(G::FollowedUpAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(G::FollowedUpById).uuid())
                    .foreign_key(&mut to(
                        "fk_iup_goal_municipality",
                        (G::Table, G::MunicipalityId),
                        Municipality::Table,
                        Municipality::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_iup_goal_pupil",
                        (G::Table, G::PupilId),
                        Person::Table,
                        Person::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_iup_goal_term",
                        (G::Table, G::TermId),
                        SchoolTerm::Table,
                        SchoolTerm::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_iup_goal_unit",
                        (G::Table, G::UnitId),
                        Unit::Table,
                        Unit::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_iup_goal_author",
                        (G::Table, G::AuthorId),
                        Person::Table,
                        Person::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut to(
                        "fk_iup_goal_follower",
                        (G::Table, G::FollowedUpById),
                        Person::Table,
                        Person::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_iup_goal_pupil")
                    .table(G::Table)
                    .col(G::PupilId)
                    .to_owned(),
            )
            .await?;

        use IupAssessment as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(A::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(A::PupilId).uuid().not_null())
                    .col(ColumnDef::new(A::SchoolYearStart).integer().not_null())
                    .col(ColumnDef::new(A::SchoolYear).integer().not_null())
                    .col(ColumnDef::new(A::UnitId).uuid().not_null())
                    .col(ColumnDef::new(A::Activity).string_len(32).not_null())
                    .col(ColumnDef::new(A::Level).string_len(32).not_null())
                    .col(ColumnDef::new(A::Comment).text().not_null())
                    .col(ColumnDef::new(A::TeacherId).uuid())
                    .col(
                        ColumnDef::new(A::WrittenAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut to(
                        "fk_iup_assessment_municipality",
                        (A::Table, A::MunicipalityId),
                        Municipality::Table,
                        Municipality::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_iup_assessment_pupil",
                        (A::Table, A::PupilId),
                        Person::Table,
                        Person::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_iup_assessment_unit",
                        (A::Table, A::UnitId),
                        Unit::Table,
                        Unit::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_iup_assessment_teacher",
                        (A::Table, A::TeacherId),
                        Person::Table,
                        Person::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_iup_assessment_pupil_year_subject")
                    .table(A::Table)
                    .col(A::PupilId)
                    .col(A::SchoolYearStart)
                    .col(A::Activity)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IupAssessment::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(IupGoal::Table).to_owned())
            .await
    }
}
