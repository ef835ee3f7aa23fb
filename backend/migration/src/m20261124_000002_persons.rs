use sea_orm_migration::prelude::*;

use crate::m20261124_000001_municipality_and_units::Municipality;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000002_persons"
    }
}

/// A person the portal may know. There is deliberately no protected-identity column: a person with
/// a security marking is refused before anything about them is written (see the backend's
/// `population::admission`), so no stored row can carry one.
#[derive(DeriveIden)]
pub enum Person {
    Table,
    Id,
    MunicipalityId,
    ExternalId,
    Personnummer,
    GivenName,
    FamilyName,
    BirthDate,
    Street,
    PostalCode,
    City,
    Email,
    Phone,
    SchoolEmail,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum Guardianship {
    Table,
    Id,
    MunicipalityId,
    ChildId,
    AdultId,
    Relation,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Person::Table)
                    .col(id_col(Person::Id))
                    .col(ColumnDef::new(Person::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(Person::ExternalId).string())
                    .col(
                        ColumnDef::new(Person::Personnummer)
                            .string_len(12)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Person::GivenName).string().not_null())
                    .col(ColumnDef::new(Person::FamilyName).string().not_null())
                    .col(ColumnDef::new(Person::BirthDate).date().not_null())
                    .col(ColumnDef::new(Person::Street).string())
                    .col(ColumnDef::new(Person::PostalCode).string_len(8))
                    .col(ColumnDef::new(Person::City).string())
                    .col(ColumnDef::new(Person::Email).string())
                    .col(ColumnDef::new(Person::Phone).string_len(32))
                    .col(ColumnDef::new(Person::SchoolEmail).string())
                    .col(
                        ColumnDef::new(Person::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Person::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_person_municipality",
                        (Person::Table, Person::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_person_municipality_personnummer")
                    .table(Person::Table)
                    .col(Person::MunicipalityId)
                    .col(Person::Personnummer)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Guardianship::Table)
                    .col(id_col(Guardianship::Id))
                    .col(
                        ColumnDef::new(Guardianship::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Guardianship::ChildId).uuid().not_null())
                    .col(ColumnDef::new(Guardianship::AdultId).uuid().not_null())
                    // guardian | other_responsible_adult. Joint custody is two guardian rows.
                    .col(
                        ColumnDef::new(Guardianship::Relation)
                            .string_len(32)
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_guardianship_child",
                        (Guardianship::Table, Guardianship::ChildId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_guardianship_adult",
                        (Guardianship::Table, Guardianship::AdultId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_guardianship_child_adult")
                    .table(Guardianship::Table)
                    .col(Guardianship::ChildId)
                    .col(Guardianship::AdultId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_guardianship_adult")
                    .table(Guardianship::Table)
                    .col(Guardianship::AdultId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Guardianship::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Person::Table).to_owned())
            .await
    }
}
