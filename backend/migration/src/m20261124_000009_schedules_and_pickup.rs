use sea_orm_migration::prelude::*;

use crate::m20261124_000001_municipality_and_units::Municipality;
use crate::m20261124_000002_persons::Person;
use crate::m20261124_000003_groups_enrolments_placements::Placement;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000009_schedules_and_pickup"
    }
}

/// A child's planned day in childcare (vistelsetid): drop-off and pick-up, or neither for a day
/// without care. One row per child and date; who changed it last and when.
#[derive(DeriveIden)]
pub enum ScheduleDay {
    Table,
    Id,
    MunicipalityId,
    ChildId,
    PlacementId,
    Date,
    DropOff,
    PickUp,
    UpdatedAt,
    UpdatedByPersonId,
}

/// Someone a guardian allows to collect the child (hämtare).
#[derive(DeriveIden)]
pub enum PickupPerson {
    Table,
    Id,
    MunicipalityId,
    ChildId,
    Name,
    Phone,
    CreatedAt,
    CreatedByPersonId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ScheduleDay::Table)
                    .col(id_col(ScheduleDay::Id))
                    .col(
                        ColumnDef::new(ScheduleDay::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ScheduleDay::ChildId).uuid().not_null())
                    .col(ColumnDef::new(ScheduleDay::PlacementId).uuid().not_null())
                    .col(ColumnDef::new(ScheduleDay::Date).date().not_null())
                    // Both or neither: neither is a day without care.
                    .col(ColumnDef::new(ScheduleDay::DropOff).time())
                    .col(ColumnDef::new(ScheduleDay::PickUp).time())
                    .col(
                        ColumnDef::new(ScheduleDay::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // No foreign key: the change stays attributed if the person leaves.
                    .col(
                        ColumnDef::new(ScheduleDay::UpdatedByPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_schedule_day_municipality",
                        (ScheduleDay::Table, ScheduleDay::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_schedule_day_child",
                        (ScheduleDay::Table, ScheduleDay::ChildId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_schedule_day_placement",
                        (ScheduleDay::Table, ScheduleDay::PlacementId),
                        (Placement::Table, Placement::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    // Also serves the day sheet (the unit's children on one date).
                    .name("ux_schedule_day_child_date")
                    .table(ScheduleDay::Table)
                    .col(ScheduleDay::ChildId)
                    .col(ScheduleDay::Date)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PickupPerson::Table)
                    .col(id_col(PickupPerson::Id))
                    .col(
                        ColumnDef::new(PickupPerson::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(PickupPerson::ChildId).uuid().not_null())
                    .col(
                        ColumnDef::new(PickupPerson::Name)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PickupPerson::Phone)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PickupPerson::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PickupPerson::CreatedByPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_pickup_person_municipality",
                        (PickupPerson::Table, PickupPerson::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_pickup_person_child",
                        (PickupPerson::Table, PickupPerson::ChildId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_pickup_person_child")
                    .table(PickupPerson::Table)
                    .col(PickupPerson::ChildId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PickupPerson::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ScheduleDay::Table).to_owned())
            .await
    }
}
