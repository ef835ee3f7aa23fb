use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000007_pending_logins"
    }
}

/// An OpenID Connect authorization in progress: its state, nonce and PKCE verifier live here,
/// not in memory, so the callback may reach any instance and survive a restart. Single use.
#[derive(DeriveIden)]
pub enum PendingLogin {
    Table,
    /// The `state` parameter.
    Id,
    Nonce,
    PkceVerifier,
    /// `login` or `sign`.
    Purpose,
    ReturnTo,
    CreatedAt,
    ExpiresAt,
    ConsumedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PendingLogin::Table)
                    .col(
                        ColumnDef::new(PendingLogin::Id)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(PendingLogin::Nonce)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PendingLogin::PkceVerifier)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PendingLogin::Purpose)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PendingLogin::ReturnTo)
                            .string_len(512)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PendingLogin::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PendingLogin::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(PendingLogin::ConsumedAt).timestamp_with_time_zone())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PendingLogin::Table).to_owned())
            .await
    }
}
