use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261124_000004_user_accounts::UserAccount;
use crate::m20261124_000005_sessions_and_login_attempts::Session;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000200_second_factor"
    }
}

/// A one-time code (TOTP, RFC 6238) as a second factor for password accounts, and how strongly
/// each session logged in.
#[derive(DeriveIden)]
enum SecondFactor {
    /// On `session`: `password`, `password_and_totp` or `bankid`; a step-up raises it.
    LoginStrength,
    /// On `user_account`: the confirmed TOTP secret (base32); none until set up.
    TotpSecret,
    /// On `user_account`: a secret shown in set-up and not yet confirmed with a code.
    TotpPendingSecret,
    /// On `user_account`: the last time step a code was accepted for; older and equal steps are
    /// refused, so a code cannot be used twice.
    TotpLastStep,
}

/// Single-use codes for when the phone is lost; SHA-256 of each (they are random, long enough
/// not to need a slow hash).
#[derive(DeriveIden)]
enum RecoveryCode {
    Table,
    Id,
    MunicipalityId,
    AccountId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one change per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .add_column(
                        ColumnDef::new(SecondFactor::LoginStrength)
                            .string_len(24)
                            .not_null()
                            .default("password"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE session SET login_strength = 'bankid' WHERE auth_method = 'bankid'",
            )
            .await?;
        for column in [SecondFactor::TotpSecret, SecondFactor::TotpPendingSecret] {
            manager
                .alter_table(
                    Table::alter()
                        .table(UserAccount::Table)
                        .add_column(ColumnDef::new(column).string_len(64))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(UserAccount::Table)
                    .add_column(ColumnDef::new(SecondFactor::TotpLastStep).big_integer())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCode::Table)
                    .col(id_col(RecoveryCode::Id))
                    .col(
                        ColumnDef::new(RecoveryCode::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RecoveryCode::AccountId).uuid().not_null())
                    .col(
                        ColumnDef::new(RecoveryCode::CodeHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RecoveryCode::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RecoveryCode::UsedAt).timestamp_with_time_zone())
                    .foreign_key(&mut fk_cascade(
                        "fk_recovery_code_account",
                        (RecoveryCode::Table, RecoveryCode::AccountId),
                        (UserAccount::Table, UserAccount::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recovery_code_account")
                    .table(RecoveryCode::Table)
                    .col(RecoveryCode::AccountId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RecoveryCode::Table).to_owned())
            .await?;
        for column in [
            SecondFactor::TotpLastStep,
            SecondFactor::TotpPendingSecret,
            SecondFactor::TotpSecret,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(UserAccount::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .drop_column(SecondFactor::LoginStrength)
                    .to_owned(),
            )
            .await
    }
}
