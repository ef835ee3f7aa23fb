use sea_orm_migration::prelude::*;

use crate::m20261124_000004_user_accounts::UserAccount;
use crate::m20261124_000005_sessions_and_login_attempts::LoginAttempt;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000200_login_devices"
    }
}

/// A browser that has logged into an account with its password (OWASP's device cookie): its
/// logins are judged by its own failures only, so others' failures cannot lock the owner out.
/// The cookie holds a random token; this row holds its SHA-256.
#[derive(DeriveIden)]
pub enum LoginDevice {
    Table,
    Id,
    MunicipalityId,
    TokenHash,
    AccountId,
    CreatedAt,
    LastUsedAt,
    ExpiresAt,
}

/// The attempts, one row each, keyed three ways: the account asked for and the client address
/// (both hashed: a mistyped username may be a personnummer) and, from a trusted browser, its
/// device. Throttling state only: nothing is lost by starting the table afresh.
#[derive(DeriveIden)]
enum LoginAttemptV2 {
    #[sea_orm(iden = "login_attempt")]
    Table,
    Id,
    AccountHash,
    AddressHash,
    DeviceId,
    AttemptedAt,
    Succeeded,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginDevice::Table)
                    .col(id_col(LoginDevice::Id))
                    .col(
                        ColumnDef::new(LoginDevice::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginDevice::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(LoginDevice::AccountId).uuid().not_null())
                    .col(
                        ColumnDef::new(LoginDevice::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginDevice::LastUsedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginDevice::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_login_device_account",
                        (LoginDevice::Table, LoginDevice::AccountId),
                        (UserAccount::Table, UserAccount::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_device_account")
                    .table(LoginDevice::Table)
                    .col(LoginDevice::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(LoginAttempt::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginAttemptV2::Table)
                    .col(id_col(LoginAttemptV2::Id))
                    .col(
                        ColumnDef::new(LoginAttemptV2::AccountHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginAttemptV2::AddressHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(LoginAttemptV2::DeviceId).uuid())
                    .col(
                        ColumnDef::new(LoginAttemptV2::AttemptedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginAttemptV2::Succeeded)
                            .boolean()
                            .not_null(),
                    )
                    .foreign_key(&mut fk_cascade(
                        "fk_login_attempt_device",
                        (LoginAttemptV2::Table, LoginAttemptV2::DeviceId),
                        (LoginDevice::Table, LoginDevice::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_login_attempt_account_time", LoginAttemptV2::AccountHash),
            ("ix_login_attempt_address_time", LoginAttemptV2::AddressHash),
            ("ix_login_attempt_device_time", LoginAttemptV2::DeviceId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginAttemptV2::Table)
                        .col(col)
                        .col(LoginAttemptV2::AttemptedAt)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginAttemptV2::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LoginDevice::Table).to_owned())
            .await?;
        // The table as migration …000005 made it.
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(id_col(LoginAttempt::Id))
                    .col(
                        ColumnDef::new(LoginAttempt::KeyHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginAttempt::AttemptedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(LoginAttempt::Succeeded).boolean().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_attempt_key_time")
                    .table(LoginAttempt::Table)
                    .col(LoginAttempt::KeyHash)
                    .col(LoginAttempt::AttemptedAt)
                    .to_owned(),
            )
            .await
    }
}
