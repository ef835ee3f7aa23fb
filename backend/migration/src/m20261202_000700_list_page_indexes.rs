//! Indexes for the officer's keyset pages: the offers are read newest first by
//! `(created_at, id)` within a municipality, the received documents by signing time within a
//! municipality's signed documents. With them a page deep in the list reads about a page of rows
//! instead of sorting the whole list.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PlacementOffer {
    Table,
    MunicipalityId,
    CreatedAt,
    Id,
}

#[derive(DeriveIden)]
enum ChildcareDocument {
    Table,
    MunicipalityId,
    Status,
    SignedAt,
    Id,
}

const OFFERS: &str = "ix_placement_offer_officer_page";
const DOCUMENTS: &str = "ix_childcare_document_received_page";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(OFFERS)
                    .table(PlacementOffer::Table)
                    .col(PlacementOffer::MunicipalityId)
                    .col(PlacementOffer::CreatedAt)
                    .col(PlacementOffer::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(DOCUMENTS)
                    .table(ChildcareDocument::Table)
                    .col(ChildcareDocument::MunicipalityId)
                    .col(ChildcareDocument::Status)
                    .col(ChildcareDocument::SignedAt)
                    .col(ChildcareDocument::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(DOCUMENTS)
                    .table(ChildcareDocument::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name(OFFERS)
                    .table(PlacementOffer::Table)
                    .to_owned(),
            )
            .await
    }
}
