//! Indexes for reads that go from a unit or a child to the people around them: the policy's
//! `Colleague` and `SchoolFamily` rules go from a unit to its staff (`duty.unit_id`), and a
//! family's start page finds the documents about the children (`childcare_document.child_id`).
//! Without them each such read scans the whole table, which at a large municipality's size is
//! most of a request's time.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Duty {
    Table,
    UnitId,
}

#[derive(DeriveIden)]
enum ChildcareDocument {
    Table,
    ChildId,
}

const DUTY_UNIT: &str = "ix_duty_unit";
const DOCUMENT_CHILD: &str = "ix_childcare_document_child";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(DUTY_UNIT)
                    .table(Duty::Table)
                    .col(Duty::UnitId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(DOCUMENT_CHILD)
                    .table(ChildcareDocument::Table)
                    .col(ChildcareDocument::ChildId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(DOCUMENT_CHILD)
                    .table(ChildcareDocument::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name(DUTY_UNIT).table(Duty::Table).to_owned())
            .await
    }
}
