//! Same-day notices of unexcused absence (skollagen 7 kap. 17 §), and what they are sent through.
//!
//! - `absence_notice_batch`: a pupil's unexcused absence on a day, gathered for a while before
//!   the guardians are told (a morning of missed lessons is one notice, not five). The first mark
//!   opens one; it closes when it is composed, and a later mark that day opens the next
//!   (`sequence` 1, 2, …, unique per pupil and day).
//! - `notice`: what one guardian was told, in the app and through the channels they chose. One
//!   per guardian and batch (unique), which is what makes a retried or doubled job harmless.
//! - `notice_preference`: the channels a person chose; without a row, every channel is on.
//! - `push_subscription`: a browser where the person allowed notices (Web Push, RFC 8030).
//! - `server_key`: keys every instance must share, made once (the VAPID key pair).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AbsenceNoticeBatch {
    Table,
    Id,
    MunicipalityId,
    PupilId,
    OnDate,
    Sequence,
    DueAt,
    ComposedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    MunicipalityId,
    RecipientId,
    ChildId,
    Kind,
    OnDate,
    Lessons,
    BatchId,
    CreatedAt,
    ReadAt,
    EmailSentAt,
}

#[derive(DeriveIden)]
enum NoticePreference {
    Table,
    PersonId,
    ByEmail,
    ByPush,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PushSubscription {
    Table,
    Id,
    PersonId,
    Endpoint,
    P256dh,
    Auth,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ServerKey {
    Table,
    Name,
    Secret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}

fn to_person(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(Person::Table, Person::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn to_municipality(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(Municipality::Table, Municipality::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use AbsenceNoticeBatch as B;
        manager
            .create_table(
                Table::create()
                    .table(B::Table)
                    .col(ColumnDef::new(B::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(B::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(B::PupilId).uuid().not_null())
                    .col(ColumnDef::new(B::OnDate).date().not_null())
                    .col(ColumnDef::new(B::Sequence).integer().not_null())
                    .col(
                        ColumnDef::new(B::DueAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(B::ComposedAt).timestamp_with_time_zone())
                    .col(
                        ColumnDef::new(B::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut to_municipality(
                        "fk_absence_notice_batch_municipality",
                        (B::Table, B::MunicipalityId),
                    ))
                    .foreign_key(&mut to_person(
                        "fk_absence_notice_batch_pupil",
                        (B::Table, B::PupilId),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_absence_notice_batch_sequence")
                    .table(B::Table)
                    .col(B::PupilId)
                    .col(B::OnDate)
                    .col(B::Sequence)
                    .unique()
                    .to_owned(),
            )
            .await?;

        use Notice as N;
        manager
            .create_table(
                Table::create()
                    .table(N::Table)
                    .col(ColumnDef::new(N::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(N::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(N::RecipientId).uuid().not_null())
                    .col(ColumnDef::new(N::ChildId).uuid().not_null())
                    .col(ColumnDef::new(N::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(N::OnDate).date().not_null())
                    .col(ColumnDef::new(N::Lessons).json_binary().not_null())
                    .col(ColumnDef::new(N::BatchId).uuid())
                    .col(
                        ColumnDef::new(N::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(N::ReadAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(N::EmailSentAt).timestamp_with_time_zone())
                    .foreign_key(&mut to_municipality(
                        "fk_notice_municipality",
                        (N::Table, N::MunicipalityId),
                    ))
                    .foreign_key(&mut to_person(
                        "fk_notice_recipient",
                        (N::Table, N::RecipientId),
                    ))
                    .foreign_key(&mut to_person("fk_notice_child", (N::Table, N::ChildId)))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notice_batch")
                            .from(N::Table, N::BatchId)
                            .to(B::Table, B::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_notice_batch_recipient")
                    .table(N::Table)
                    .col(N::BatchId)
                    .col(N::RecipientId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_notice_recipient_created")
                    .table(N::Table)
                    .col(N::RecipientId)
                    .col(N::CreatedAt)
                    .to_owned(),
            )
            .await?;

        use NoticePreference as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(ColumnDef::new(P::PersonId).uuid().not_null().primary_key())
                    .col(ColumnDef::new(P::ByEmail).boolean().not_null())
                    .col(ColumnDef::new(P::ByPush).boolean().not_null())
                    .col(
                        ColumnDef::new(P::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut to_person(
                        "fk_notice_preference_person",
                        (P::Table, P::PersonId),
                    ))
                    .to_owned(),
            )
            .await?;

        use PushSubscription as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(ColumnDef::new(S::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(S::PersonId).uuid().not_null())
                    .col(ColumnDef::new(S::Endpoint).string_len(2048).not_null())
                    .col(ColumnDef::new(S::P256dh).string_len(128).not_null())
                    .col(ColumnDef::new(S::Auth).string_len(64).not_null())
                    .col(
                        ColumnDef::new(S::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut to_person(
                        "fk_push_subscription_person",
                        (S::Table, S::PersonId),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_push_subscription_endpoint")
                    .table(S::Table)
                    .col(S::Endpoint)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_push_subscription_person")
                    .table(S::Table)
                    .col(S::PersonId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ServerKey::Table)
                    .col(
                        ColumnDef::new(ServerKey::Name)
                            .string_len(32)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ServerKey::Secret).text().not_null())
                    .col(
                        ColumnDef::new(ServerKey::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ServerKey::Table.into_iden(),
            PushSubscription::Table.into_iden(),
            NoticePreference::Table.into_iden(),
            Notice::Table.into_iden(),
            AbsenceNoticeBatch::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
