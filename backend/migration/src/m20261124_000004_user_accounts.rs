use sea_orm_migration::prelude::*;

use crate::m20261124_000002_persons::Person;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000004_user_accounts"
    }
}

/// A password login for a person. BankID logins need no account row: the person is found by
/// personnummer.
#[derive(DeriveIden)]
pub enum UserAccount {
    Table,
    Id,
    MunicipalityId,
    PersonId,
    Username,
    PasswordHash,
    MustChangePassword,
    CreatedAt,
    PasswordChangedAt,
    LastLoginAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UserAccount::Table)
                    .col(id_col(UserAccount::Id))
                    .col(
                        ColumnDef::new(UserAccount::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UserAccount::PersonId)
                            .uuid()
                            .not_null()
                            .unique_key(),
                    )
                    // Lower-case; unique across the deployment because the login form asks for
                    // no municipality.
                    .col(
                        ColumnDef::new(UserAccount::Username)
                            .string_len(128)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(UserAccount::PasswordHash).string())
                    .col(
                        ColumnDef::new(UserAccount::MustChangePassword)
                            .boolean()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(UserAccount::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(UserAccount::PasswordChangedAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(UserAccount::LastLoginAt).timestamp_with_time_zone())
                    .foreign_key(&mut fk_cascade(
                        "fk_user_account_person",
                        (UserAccount::Table, UserAccount::PersonId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UserAccount::Table).to_owned())
            .await
    }
}
