//! Grades (betyg): one per pupil, term and subject (unique), with the school year the pupil was
//! in and who set it (none when imported). A term's grades at a school are locked by a row of
//! `grade_lock`, one per unit and term.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Grade {
    Table,
    Id,
    MunicipalityId,
    PupilId,
    TermId,
    Activity,
    Value,
    SchoolYear,
    SetByPersonId,
    SetAt,
}

#[derive(DeriveIden)]
enum GradeLock {
    Table,
    UnitId,
    TermId,
    LockedByPersonId,
    LockedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Grade as G;
        manager
            .create_table(
                Table::create()
                    .table(G::Table)
                    .col(ColumnDef::new(G::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(G::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(G::PupilId).uuid().not_null())
                    .col(ColumnDef::new(G::TermId).uuid().not_null())
                    .col(ColumnDef::new(G::Activity).string_len(32).not_null())
                    .col(ColumnDef::new(G::Value).string_len(32).not_null())
                    .col(ColumnDef::new(G::SchoolYear).integer().not_null())
                    .col(ColumnDef::new(G::SetByPersonId).uuid())
                    .col(
                        ColumnDef::new(G::SetAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_grade_municipality")
                            .from(G::Table, G::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_grade_pupil")
                            .from(G::Table, G::PupilId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_grade_term")
                            .from(G::Table, G::TermId)
                            .to(SchoolTerm::Table, SchoolTerm::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_grade_setter")
                            .from(G::Table, G::SetByPersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_grade_pupil_term_subject")
                    .table(G::Table)
                    .col(G::PupilId)
                    .col(G::TermId)
                    .col(G::Activity)
                    .unique()
                    .to_owned(),
            )
            .await?;

        use GradeLock as L;
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(ColumnDef::new(L::UnitId).uuid().not_null())
                    .col(ColumnDef::new(L::TermId).uuid().not_null())
                    .col(ColumnDef::new(L::LockedByPersonId).uuid())
                    .col(
                        ColumnDef::new(L::LockedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(L::UnitId).col(L::TermId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_grade_lock_unit")
                            .from(L::Table, L::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_grade_lock_term")
                            .from(L::Table, L::TermId)
                            .to(SchoolTerm::Table, SchoolTerm::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_grade_lock_person")
                            .from(L::Table, L::LockedByPersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(GradeLock::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Grade::Table).to_owned())
            .await
    }
}
