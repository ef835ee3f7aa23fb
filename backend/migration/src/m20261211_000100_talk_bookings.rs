//! Booking development talks. A mentor's round of talk times for a group (`talk_round`), its
//! times (`talk_slot`), and the bookings: at most one per slot (unique `slot_id`, so two
//! guardians clicking at once cannot both take it), and one per pupil, round and party (`party`
//! is the nil uuid for the pupil's shared talk, or the guardian's id for a separate one). Who
//! comes to a booked talk is `talk_booking_attendee`. A notice of a talk carries the time and
//! place it was about (`notice.talk`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TalkRound {
    Table,
    Id,
    MunicipalityId,
    GroupId,
    MentorId,
    Place,
    VideoLink,
    SeparateTalks,
    BookBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TalkSlot {
    Table,
    Id,
    RoundId,
    OnDate,
    StartsAt,
    EndsAt,
}

#[derive(DeriveIden)]
enum TalkBooking {
    Table,
    Id,
    RoundId,
    SlotId,
    PupilId,
    Party,
    BookedById,
    CreatedAt,
    UpdatedAt,
    RemindedAt,
}

#[derive(DeriveIden)]
enum TalkBookingAttendee {
    Table,
    BookingId,
    PersonId,
    JoinedAt,
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Talk,
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

#[derive(DeriveIden)]
enum SchoolGroup {
    Table,
    Id,
}

fn to(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    table: impl IntoIden + 'static,
    column: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(table, column)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        use TalkRound as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(R::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(R::GroupId).uuid().not_null())
                    .col(ColumnDef::new(R::MentorId).uuid())
                    .col(ColumnDef::new(R::Place).string_len(200).not_null())
                    .col(ColumnDef::new(R::VideoLink).string_len(500))
                    .col(ColumnDef::new(R::SeparateTalks).boolean().not_null())
                    .col(ColumnDef::new(R::BookBy).date().not_null())
                    .col(
                        ColumnDef::new(R::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut to(
                        "fk_talk_round_municipality",
                        (R::Table, R::MunicipalityId),
                        Municipality::Table,
                        Municipality::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_talk_round_group",
                        (R::Table, R::GroupId),
                        SchoolGroup::Table,
                        SchoolGroup::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_talk_round_mentor",
                        (R::Table, R::MentorId),
                        Person::Table,
                        Person::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_talk_round_group")
                    .table(R::Table)
                    .col(R::GroupId)
                    .to_owned(),
            )
            .await?;

        use TalkSlot as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(ColumnDef::new(S::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(S::RoundId).uuid().not_null())
                    .col(ColumnDef::new(S::OnDate).date().not_null())
                    .col(ColumnDef::new(S::StartsAt).time().not_null())
                    .col(ColumnDef::new(S::EndsAt).time().not_null())
                    .foreign_key(&mut to(
                        "fk_talk_slot_round",
                        (S::Table, S::RoundId),
                        R::Table,
                        R::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_talk_slot_round")
                    .table(S::Table)
                    .col(S::RoundId)
                    .to_owned(),
            )
            .await?;

        use TalkBooking as B;
        manager
            .create_table(
                Table::create()
                    .table(B::Table)
                    .col(ColumnDef::new(B::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(B::RoundId).uuid().not_null())
                    .col(ColumnDef::new(B::SlotId).uuid().not_null())
                    .col(ColumnDef::new(B::PupilId).uuid().not_null())
                    .col(ColumnDef::new(B::Party).uuid().not_null())
                    .col(ColumnDef::new(B::BookedById).uuid())
                    .col(
                        ColumnDef::new(B::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(B::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(B::RemindedAt).timestamp_with_time_zone())
                    .foreign_key(&mut to(
                        "fk_talk_booking_round",
                        (B::Table, B::RoundId),
                        R::Table,
                        R::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_talk_booking_slot",
                        (B::Table, B::SlotId),
                        S::Table,
                        S::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_talk_booking_pupil",
                        (B::Table, B::PupilId),
                        Person::Table,
                        Person::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_talk_booking_booker",
                        (B::Table, B::BookedById),
                        Person::Table,
                        Person::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_talk_booking_slot")
                    .table(B::Table)
                    .col(B::SlotId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_talk_booking_pupil_party")
                    .table(B::Table)
                    .col(B::RoundId)
                    .col(B::PupilId)
                    .col(B::Party)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_talk_booking_pupil")
                    .table(B::Table)
                    .col(B::PupilId)
                    .to_owned(),
            )
            .await?;

        use TalkBookingAttendee as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::BookingId).uuid().not_null())
                    .col(ColumnDef::new(A::PersonId).uuid().not_null())
                    .col(
                        ColumnDef::new(A::JoinedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(A::BookingId).col(A::PersonId))
                    .foreign_key(&mut to(
                        "fk_talk_attendee_booking",
                        (A::Table, A::BookingId),
                        B::Table,
                        B::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut to(
                        "fk_talk_attendee_person",
                        (A::Table, A::PersonId),
                        Person::Table,
                        Person::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notice::Table)
                    .add_column(ColumnDef::new(Notice::Talk).json())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Notice::Table)
                    .drop_column(Notice::Talk)
                    .to_owned(),
            )
            .await?;
        for table in [
            TalkBookingAttendee::Table.into_iden(),
            TalkBooking::Table.into_iden(),
            TalkSlot::Table.into_iden(),
            TalkRound::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
