//! Talk material (samtalsunderlag): one part per author, pupil and term (unique), kept as its
//! author's draft until published. The answers are columns of their own: the form has no place
//! for anything else.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TalkPart {
    Table,
    Id,
    MunicipalityId,
    PupilId,
    TermId,
    AuthorId,
    Role,
    Status,
    GoingWell,
    ToDevelop,
    Support,
    Questions,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use TalkPart as T;
        let at = |c: T| ColumnDef::new(c).timestamp_with_time_zone().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(T::Table)
                    .col(ColumnDef::new(T::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(T::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(T::PupilId).uuid().not_null())
                    .col(ColumnDef::new(T::TermId).uuid().not_null())
                    .col(ColumnDef::new(T::AuthorId).uuid().not_null())
                    .col(ColumnDef::new(T::Role).string_len(32).not_null())
                    .col(ColumnDef::new(T::Status).string_len(32).not_null())
                    .col(ColumnDef::new(T::GoingWell).text().not_null())
                    .col(ColumnDef::new(T::ToDevelop).text().not_null())
                    .col(ColumnDef::new(T::Support).text().not_null())
                    .col(ColumnDef::new(T::Questions).text().not_null())
                    .col(at(T::CreatedAt).not_null())
                    .col(at(T::UpdatedAt).not_null())
                    .col(at(T::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_talk_part_municipality")
                            .from(T::Table, T::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_talk_part_pupil")
                            .from(T::Table, T::PupilId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_talk_part_author")
                            .from(T::Table, T::AuthorId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_talk_part_term")
                            .from(T::Table, T::TermId)
                            .to(SchoolTerm::Table, SchoolTerm::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_talk_part_author")
                    .table(T::Table)
                    .col(T::PupilId)
                    .col(T::TermId)
                    .col(T::AuthorId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_talk_part_author")
                    .table(T::Table)
                    .col(T::AuthorId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TalkPart::Table).to_owned())
            .await
    }
}
