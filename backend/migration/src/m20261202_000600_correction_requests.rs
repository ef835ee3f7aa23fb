//! Rättelse: a person's request to correct an item of their register extract, and the officer's
//! answer.

use sea_orm_migration::prelude::*;

use crate::m20261124_000001_municipality_and_units::Municipality;
use crate::m20261124_000002_persons::Person;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000600_correction_requests"
    }
}

#[derive(DeriveIden)]
pub enum CorrectionRequest {
    Table,
    Id,
    MunicipalityId,
    /// Whose data: the requester or one of their children.
    SubjectPersonId,
    RequestedByPersonId,
    Item,
    Message,
    Status,
    CreatedAt,
    Answer,
    Changed,
    AnsweredAt,
    AnsweredByPersonId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CorrectionRequest::Table)
                    .col(id_col(CorrectionRequest::Id))
                    .col(
                        ColumnDef::new(CorrectionRequest::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectionRequest::SubjectPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectionRequest::RequestedByPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectionRequest::Item)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(CorrectionRequest::Message).text().not_null())
                    .col(
                        ColumnDef::new(CorrectionRequest::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectionRequest::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CorrectionRequest::Answer).text())
                    .col(ColumnDef::new(CorrectionRequest::Changed).text())
                    .col(ColumnDef::new(CorrectionRequest::AnsweredAt).timestamp_with_time_zone())
                    // No foreign key: the answer stays attributed if the officer leaves.
                    .col(ColumnDef::new(CorrectionRequest::AnsweredByPersonId).uuid())
                    .foreign_key(&mut fk_cascade(
                        "fk_correction_request_municipality",
                        (CorrectionRequest::Table, CorrectionRequest::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_correction_request_subject",
                        (CorrectionRequest::Table, CorrectionRequest::SubjectPersonId),
                        (Person::Table, Person::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_correction_request_requester",
                        (
                            CorrectionRequest::Table,
                            CorrectionRequest::RequestedByPersonId,
                        ),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    // The officer's list: open requests, oldest first.
                    .name("ix_correction_request_status")
                    .table(CorrectionRequest::Table)
                    .col(CorrectionRequest::MunicipalityId)
                    .col(CorrectionRequest::Status)
                    .col(CorrectionRequest::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_correction_request_requester")
                    .table(CorrectionRequest::Table)
                    .col(CorrectionRequest::RequestedByPersonId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CorrectionRequest::Table).to_owned())
            .await
    }
}
