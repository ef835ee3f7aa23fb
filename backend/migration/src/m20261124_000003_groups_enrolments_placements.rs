use sea_orm_migration::prelude::*;

use crate::m20261124_000001_municipality_and_units::{Municipality, Unit};
use crate::m20261124_000002_persons::Person;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_groups_enrolments_placements"
    }
}

/// Classes, teaching groups, mentor groups and preschool departments (SS 12000 `groups`).
#[derive(DeriveIden)]
pub enum SchoolGroup {
    Table,
    Id,
    MunicipalityId,
    UnitId,
    ExternalId,
    Name,
    GroupType,
    SchoolYear,
}

/// Who is in a group and as what: pupil, teacher or mentor.
#[derive(DeriveIden)]
pub enum GroupMembership {
    Table,
    Id,
    MunicipalityId,
    GroupId,
    PersonId,
    Role,
}

/// A pupil's enrolment at a school (SS 12000 `enrolments`).
#[derive(DeriveIden)]
pub enum Enrolment {
    Table,
    Id,
    MunicipalityId,
    PupilId,
    UnitId,
    SchoolYear,
    StartDate,
    EndDate,
}

/// A child's place in förskola, fritidshem or pedagogisk omsorg (SS 12000 `placements`).
#[derive(DeriveIden)]
pub enum Placement {
    Table,
    Id,
    MunicipalityId,
    ChildId,
    UnitId,
    GroupId,
    Kind,
    StartDate,
    EndDate,
    HoursPerWeek,
}

/// A staff member's role at a unit, or an officer's at the municipality (SS 12000 `duties`).
#[derive(DeriveIden)]
pub enum Duty {
    Table,
    Id,
    MunicipalityId,
    PersonId,
    UnitId,
    Role,
    StartDate,
    EndDate,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SchoolGroup::Table)
                    .col(id_col(SchoolGroup::Id))
                    .col(
                        ColumnDef::new(SchoolGroup::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SchoolGroup::UnitId).uuid().not_null())
                    .col(ColumnDef::new(SchoolGroup::ExternalId).string())
                    .col(ColumnDef::new(SchoolGroup::Name).string().not_null())
                    // class | teaching | mentor | department
                    .col(
                        ColumnDef::new(SchoolGroup::GroupType)
                            .string_len(32)
                            .not_null(),
                    )
                    // 0 = förskoleklass, 1..9 = grundskola; none for preschool departments.
                    .col(ColumnDef::new(SchoolGroup::SchoolYear).integer())
                    .foreign_key(&mut fk_cascade(
                        "fk_school_group_unit",
                        (SchoolGroup::Table, SchoolGroup::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_school_group_unit_name")
                    .table(SchoolGroup::Table)
                    .col(SchoolGroup::UnitId)
                    .col(SchoolGroup::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GroupMembership::Table)
                    .col(id_col(GroupMembership::Id))
                    .col(
                        ColumnDef::new(GroupMembership::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(GroupMembership::GroupId).uuid().not_null())
                    .col(ColumnDef::new(GroupMembership::PersonId).uuid().not_null())
                    // pupil | teacher | mentor
                    .col(
                        ColumnDef::new(GroupMembership::Role)
                            .string_len(16)
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_group_membership_group",
                        (GroupMembership::Table, GroupMembership::GroupId),
                        (SchoolGroup::Table, SchoolGroup::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_group_membership_person",
                        (GroupMembership::Table, GroupMembership::PersonId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_group_membership")
                    .table(GroupMembership::Table)
                    .col(GroupMembership::GroupId)
                    .col(GroupMembership::PersonId)
                    .col(GroupMembership::Role)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_group_membership_person")
                    .table(GroupMembership::Table)
                    .col(GroupMembership::PersonId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Enrolment::Table)
                    .col(id_col(Enrolment::Id))
                    .col(ColumnDef::new(Enrolment::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(Enrolment::PupilId).uuid().not_null())
                    .col(ColumnDef::new(Enrolment::UnitId).uuid().not_null())
                    .col(ColumnDef::new(Enrolment::SchoolYear).integer().not_null())
                    .col(ColumnDef::new(Enrolment::StartDate).date().not_null())
                    .col(ColumnDef::new(Enrolment::EndDate).date())
                    .foreign_key(&mut fk_cascade(
                        "fk_enrolment_pupil",
                        (Enrolment::Table, Enrolment::PupilId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_enrolment_unit",
                        (Enrolment::Table, Enrolment::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_enrolment_pupil")
                    .table(Enrolment::Table)
                    .col(Enrolment::PupilId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Placement::Table)
                    .col(id_col(Placement::Id))
                    .col(ColumnDef::new(Placement::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(Placement::ChildId).uuid().not_null())
                    .col(ColumnDef::new(Placement::UnitId).uuid().not_null())
                    .col(ColumnDef::new(Placement::GroupId).uuid())
                    // preschool | fritidshem | family_daycare
                    .col(ColumnDef::new(Placement::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Placement::StartDate).date().not_null())
                    .col(ColumnDef::new(Placement::EndDate).date())
                    .col(ColumnDef::new(Placement::HoursPerWeek).integer())
                    .foreign_key(&mut fk_cascade(
                        "fk_placement_child",
                        (Placement::Table, Placement::ChildId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_placement_unit",
                        (Placement::Table, Placement::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_placement_child")
                    .table(Placement::Table)
                    .col(Placement::ChildId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Duty::Table)
                    .col(id_col(Duty::Id))
                    .col(ColumnDef::new(Duty::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(Duty::PersonId).uuid().not_null())
                    // None for an officer, whose duty is to the whole municipality.
                    .col(ColumnDef::new(Duty::UnitId).uuid())
                    // teacher | preschool_staff | principal | officer
                    .col(ColumnDef::new(Duty::Role).string_len(32).not_null())
                    .col(ColumnDef::new(Duty::StartDate).date().not_null())
                    .col(ColumnDef::new(Duty::EndDate).date())
                    .foreign_key(&mut fk_cascade(
                        "fk_duty_person",
                        (Duty::Table, Duty::PersonId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_duty_municipality",
                        (Duty::Table, Duty::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_duty_person")
                    .table(Duty::Table)
                    .col(Duty::PersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Duty::Table.into_iden(),
            Placement::Table.into_iden(),
            Enrolment::Table.into_iden(),
            GroupMembership::Table.into_iden(),
            SchoolGroup::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
