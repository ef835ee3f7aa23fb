use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::id_col;
use crate::m20261124_000007_pending_logins::PendingLogin;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000008_signed_documents"
    }
}

/// A childcare document a guardian signs with BankID: income statement, answer to a placement
/// offer, termination. The exact bytes and the Swedish text shown are fixed when it is created.
#[derive(DeriveIden)]
pub enum ChildcareDocument {
    Table,
    Id,
    MunicipalityId,
    OwnerPersonId,
    ChildId,
    Kind,
    Status,
    Payload,
    DocumentBytes,
    SignText,
    CreatedAt,
    SignedAt,
}

/// The evidence of one signature. Append-only, like the access log: never changed or removed.
#[derive(DeriveIden)]
pub enum SignatureEvidence {
    Table,
    Id,
    MunicipalityId,
    DocumentId,
    SignerPersonId,
    Personnummer,
    TextShown,
    DocumentBytes,
    DocumentSha256,
    IdToken,
    UserSignature,
    Acr,
    AuthTime,
    SignedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChildcareDocument::Table)
                    .col(id_col(ChildcareDocument::Id))
                    .col(
                        ColumnDef::new(ChildcareDocument::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ChildcareDocument::OwnerPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ChildcareDocument::ChildId).uuid())
                    // income_statement | placement_offer_answer | termination
                    .col(
                        ColumnDef::new(ChildcareDocument::Kind)
                            .string_len(32)
                            .not_null(),
                    )
                    // draft | awaiting_other_guardian | signed | lapsed
                    .col(
                        ColumnDef::new(ChildcareDocument::Status)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ChildcareDocument::Payload).json().not_null())
                    .col(
                        ColumnDef::new(ChildcareDocument::DocumentBytes)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ChildcareDocument::SignText)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ChildcareDocument::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ChildcareDocument::SignedAt).timestamp_with_time_zone())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_childcare_document_owner")
                    .table(ChildcareDocument::Table)
                    .col(ChildcareDocument::OwnerPersonId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignatureEvidence::Table)
                    .col(id_col(SignatureEvidence::Id))
                    .col(
                        ColumnDef::new(SignatureEvidence::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::DocumentId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::SignerPersonId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::Personnummer)
                            .string_len(12)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::TextShown)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::DocumentBytes)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::DocumentSha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SignatureEvidence::IdToken).text().not_null())
                    .col(
                        ColumnDef::new(SignatureEvidence::UserSignature)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::Acr)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::AuthTime)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SignatureEvidence::SignedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        // One signature per signer and document: a retried or doubled callback stores nothing new.
        manager
            .create_index(
                Index::create()
                    .name("ux_signature_evidence_document_signer")
                    .table(SignatureEvidence::Table)
                    .col(SignatureEvidence::DocumentId)
                    .col(SignatureEvidence::SignerPersonId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PendingLogin::Table)
                    .add_column(ColumnDef::new(Alias::new("document_id")).uuid())
                    .to_owned(),
            )
            .await?;
        crate::make_append_only(
            manager,
            "signature_evidence",
            "signature_evidence_no_change",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .drop_table(Table::drop().table(SignatureEvidence::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ChildcareDocument::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PendingLogin::Table)
                    .drop_column(Alias::new("document_id"))
                    .to_owned(),
            )
            .await?;
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS signature_evidence_is_append_only()")
                .await?;
        }
        Ok(())
    }
}
