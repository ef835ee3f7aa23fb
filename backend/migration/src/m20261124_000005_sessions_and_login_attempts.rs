use sea_orm_migration::prelude::*;

use crate::m20261124_000002_persons::Person;
use crate::{fk_cascade, id_col};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000005_sessions_and_login_attempts"
    }
}

/// Server-side sessions, so that any instance can answer any request. The id is the SHA-256 of
/// the cookie's token: a copy of this table does not let anyone in.
#[derive(DeriveIden)]
pub enum Session {
    Table,
    Id,
    MunicipalityId,
    PersonId,
    AuthMethod,
    MustChangePassword,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    EndedAt,
}

/// Failed and successful password logins, keyed by a hash of the account name or the client
/// address (never the raw value: a mistyped username may be a personnummer).
#[derive(DeriveIden)]
pub enum LoginAttempt {
    Table,
    Id,
    KeyHash,
    AttemptedAt,
    Succeeded,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(
                        ColumnDef::new(Session::Id)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Session::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(Session::PersonId).uuid().not_null())
                    // password | bankid
                    .col(
                        ColumnDef::new(Session::AuthMethod)
                            .string_len(16)
                            .not_null(),
                    )
                    // Copied from the account at login and cleared by a password change, so that
                    // checking a session is one read.
                    .col(
                        ColumnDef::new(Session::MustChangePassword)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Session::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Session::LastSeenAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Session::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Session::EndedAt).timestamp_with_time_zone())
                    .foreign_key(&mut fk_cascade(
                        "fk_session_person",
                        (Session::Table, Session::PersonId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_session_person")
                    .table(Session::Table)
                    .col(Session::PersonId)
                    .to_owned(),
            )
            .await?;
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

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginAttempt::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Session::Table).to_owned())
            .await
    }
}
