use sea_orm_migration::prelude::*;

use crate::m20261124_000001_municipality_and_units::{Municipality, Unit};
use crate::m20261124_000002_persons::Person;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000010_applications_offers"
    }
}

/// A guardian's application for a childcare place (ansökan): up to three units in ranked order.
#[derive(DeriveIden)]
pub enum ChildcareApplication {
    Table,
    Id,
    MunicipalityId,
    ChildId,
    ApplicantPersonId,
    WishedStart,
    FirstUnitId,
    SecondUnitId,
    ThirdUnitId,
    HoursPerWeek,
    AppliedOn,
    Status,
    CreatedAt,
}

/// An officer's offer of a place (platserbjudande), answered by a signed document.
#[derive(DeriveIden)]
pub enum PlacementOffer {
    Table,
    Id,
    MunicipalityId,
    ApplicationId,
    ChildId,
    UnitId,
    StartDate,
    HoursPerWeek,
    AnswerDeadline,
    Status,
    AnswerDocumentId,
    PlacementId,
    OfferedByPersonId,
    CreatedAt,
    AnsweredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ChildcareApplication as A;
        use PlacementOffer as O;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(id_col(A::Id))
                    .col(ColumnDef::new(A::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(A::ChildId).uuid().not_null())
                    .col(ColumnDef::new(A::ApplicantPersonId).uuid().not_null())
                    .col(ColumnDef::new(A::WishedStart).date().not_null())
                    .col(ColumnDef::new(A::FirstUnitId).uuid().not_null())
                    .col(ColumnDef::new(A::SecondUnitId).uuid())
                    .col(ColumnDef::new(A::ThirdUnitId).uuid())
                    .col(ColumnDef::new(A::HoursPerWeek).integer().not_null())
                    .col(ColumnDef::new(A::AppliedOn).date().not_null())
                    // queued | offered | placed | declined
                    .col(ColumnDef::new(A::Status).string_len(16).not_null())
                    .col(
                        ColumnDef::new(A::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_childcare_application_municipality",
                        (A::Table, A::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_childcare_application_child",
                        (A::Table, A::ChildId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_childcare_application_first_unit",
                        (A::Table, A::FirstUnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_childcare_application_queue")
                    .table(A::Table)
                    .col(A::FirstUnitId)
                    .col(A::Status)
                    .col(A::AppliedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_childcare_application_child")
                    .table(A::Table)
                    .col(A::ChildId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(O::Table)
                    .col(id_col(O::Id))
                    .col(ColumnDef::new(O::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(O::ApplicationId).uuid().not_null())
                    .col(ColumnDef::new(O::ChildId).uuid().not_null())
                    .col(ColumnDef::new(O::UnitId).uuid().not_null())
                    .col(ColumnDef::new(O::StartDate).date().not_null())
                    .col(ColumnDef::new(O::HoursPerWeek).integer().not_null())
                    .col(
                        ColumnDef::new(O::AnswerDeadline)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    // open | accepted | declined | lapsed
                    .col(ColumnDef::new(O::Status).string_len(16).not_null())
                    .col(ColumnDef::new(O::AnswerDocumentId).uuid())
                    .col(ColumnDef::new(O::PlacementId).uuid())
                    .col(ColumnDef::new(O::OfferedByPersonId).uuid().not_null())
                    .col(
                        ColumnDef::new(O::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(O::AnsweredAt).timestamp_with_time_zone())
                    .foreign_key(&mut fk_cascade(
                        "fk_placement_offer_municipality",
                        (O::Table, O::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_placement_offer_application",
                        (O::Table, O::ApplicationId),
                        (A::Table, A::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_placement_offer_child",
                        (O::Table, O::ChildId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_placement_offer_unit",
                        (O::Table, O::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // The lapse job's query: open offers past their deadline.
        manager
            .create_index(
                Index::create()
                    .name("ix_placement_offer_status_deadline")
                    .table(O::Table)
                    .col(O::Status)
                    .col(O::AnswerDeadline)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_placement_offer_child")
                    .table(O::Table)
                    .col(O::ChildId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlacementOffer::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ChildcareApplication::Table).to_owned())
            .await
    }
}
