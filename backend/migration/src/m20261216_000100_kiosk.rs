//! The check-in kiosk:
//! - `kiosk_pairing`: one-time codes an administrator makes to pair a tablet to a unit (the
//!   code's SHA-256 only; used once, before it expires);
//! - `kiosk_device`: a paired tablet, an actor of its own: its cookie's token (SHA-256) and its
//!   unit; unpairing keeps the row (who checked a child in through it) and ends its use;
//! - `staff_pin`: the PIN a staff member signs in on the tablet with (Argon2id), with its
//!   failed attempts;
//! - `kiosk_session`: a staff member signed in on a tablet, until signed out or idle;
//! - `childcare_presence`: a child's day at the unit: when checked in and out, by whom, and
//!   who collected the child. `in_event_id` and `out_event_id` are the tablet's ids of the
//!   taps, so a tap sent again after a lost answer (or from the offline queue) changes nothing.

use sea_orm_migration::prelude::*;

use crate::{fk_cascade, id_col, timestamp_col, timestamp_or_null_col};

#[derive(DeriveIden)]
enum KioskPairing {
    Table,
    Id,
    MunicipalityId,
    UnitId,
    CodeHash,
    CreatedByPersonId,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum KioskDevice {
    Table,
    Id,
    MunicipalityId,
    UnitId,
    Name,
    TokenHash,
    PairedByPersonId,
    PairedAt,
    UnpairedAt,
    UnpairedByPersonId,
}

#[derive(DeriveIden)]
enum StaffPin {
    Table,
    PersonId,
    MunicipalityId,
    PinHash,
    SetAt,
    FailedAttempts,
    LockedUntil,
}

#[derive(DeriveIden)]
enum KioskSession {
    Table,
    Id,
    DeviceId,
    PersonId,
    StartedAt,
    LastActiveAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum ChildcarePresence {
    Table,
    Id,
    MunicipalityId,
    UnitId,
    ChildId,
    OnDate,
    CheckedInAt,
    CheckedInByPersonId,
    InEventId,
    CheckedOutAt,
    CheckedOutByPersonId,
    OutEventId,
    CollectorKind,
    CollectedByName,
    DeviceId,
}

#[derive(DeriveIden)]
enum Municipality {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use KioskPairing as K;
        manager
            .create_table(
                Table::create()
                    .table(K::Table)
                    .col(id_col(K::Id))
                    .col(ColumnDef::new(K::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(K::UnitId).uuid().not_null())
                    .col(
                        ColumnDef::new(K::CodeHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    // No foreign key: the record of who paired a tablet outlives them.
                    .col(ColumnDef::new(K::CreatedByPersonId).uuid().not_null())
                    .col(timestamp_col(K::CreatedAt))
                    .col(timestamp_col(K::ExpiresAt))
                    .col(timestamp_or_null_col(K::UsedAt))
                    .foreign_key(&mut fk_cascade(
                        "fk_kiosk_pairing_municipality",
                        (K::Table, K::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_kiosk_pairing_unit",
                        (K::Table, K::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        use KioskDevice as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(id_col(D::Id))
                    .col(ColumnDef::new(D::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(D::UnitId).uuid().not_null())
                    .col(ColumnDef::new(D::Name).string_len(60).not_null())
                    .col(
                        ColumnDef::new(D::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(D::PairedByPersonId).uuid().not_null())
                    .col(timestamp_col(D::PairedAt))
                    .col(timestamp_or_null_col(D::UnpairedAt))
                    .col(ColumnDef::new(D::UnpairedByPersonId).uuid().null())
                    .foreign_key(&mut fk_cascade(
                        "fk_kiosk_device_municipality",
                        (D::Table, D::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_kiosk_device_unit",
                        (D::Table, D::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        use StaffPin as P;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(ColumnDef::new(P::PersonId).uuid().not_null().primary_key())
                    .col(ColumnDef::new(P::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(P::PinHash).string_len(200).not_null())
                    .col(timestamp_col(P::SetAt))
                    .col(
                        ColumnDef::new(P::FailedAttempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(timestamp_or_null_col(P::LockedUntil))
                    .foreign_key(&mut fk_cascade(
                        "fk_staff_pin_person",
                        (P::Table, P::PersonId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        use KioskSession as S;
        manager
            .create_table(
                Table::create()
                    .table(S::Table)
                    .col(id_col(S::Id))
                    .col(ColumnDef::new(S::DeviceId).uuid().not_null())
                    .col(ColumnDef::new(S::PersonId).uuid().not_null())
                    .col(timestamp_col(S::StartedAt))
                    .col(timestamp_col(S::LastActiveAt))
                    .col(timestamp_or_null_col(S::EndedAt))
                    .foreign_key(&mut fk_cascade(
                        "fk_kiosk_session_device",
                        (S::Table, S::DeviceId),
                        (D::Table, D::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_kiosk_session_person",
                        (S::Table, S::PersonId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_kiosk_session_device")
                    .table(S::Table)
                    .col(S::DeviceId)
                    .col(S::EndedAt)
                    .to_owned(),
            )
            .await?;

        use ChildcarePresence as C;
        manager
            .create_table(
                Table::create()
                    .table(C::Table)
                    .col(id_col(C::Id))
                    .col(ColumnDef::new(C::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(C::UnitId).uuid().not_null())
                    .col(ColumnDef::new(C::ChildId).uuid().not_null())
                    .col(ColumnDef::new(C::OnDate).date().not_null())
                    .col(timestamp_col(C::CheckedInAt))
                    .col(ColumnDef::new(C::CheckedInByPersonId).uuid().null())
                    .col(ColumnDef::new(C::InEventId).uuid().not_null().unique_key())
                    .col(timestamp_or_null_col(C::CheckedOutAt))
                    .col(ColumnDef::new(C::CheckedOutByPersonId).uuid().null())
                    .col(ColumnDef::new(C::OutEventId).uuid().null().unique_key())
                    .col(ColumnDef::new(C::CollectorKind).string_len(32).null())
                    // A snapshot: the pick-up person may be removed from the list later.
                    .col(ColumnDef::new(C::CollectedByName).string_len(200).null())
                    .col(ColumnDef::new(C::DeviceId).uuid().null())
                    .foreign_key(&mut fk_cascade(
                        "fk_childcare_presence_municipality",
                        (C::Table, C::MunicipalityId),
                        (Municipality::Table, Municipality::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_childcare_presence_unit",
                        (C::Table, C::UnitId),
                        (Unit::Table, Unit::Id),
                    ))
                    .foreign_key(&mut fk_cascade(
                        "fk_childcare_presence_child",
                        (C::Table, C::ChildId),
                        (Person::Table, Person::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_childcare_presence_unit_day")
                    .table(C::Table)
                    .col(C::UnitId)
                    .col(C::OnDate)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_childcare_presence_child_day")
                    .table(C::Table)
                    .col(C::ChildId)
                    .col(C::OnDate)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ChildcarePresence::Table.into_iden(),
            KioskSession::Table.into_iden(),
            StaffPin::Table.into_iden(),
            KioskDevice::Table.into_iden(),
            KioskPairing::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
