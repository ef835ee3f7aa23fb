//! Consents (samtycken): every guardian's decision is a row, never updated, so the history is
//! the table itself and the current state is each guardian's latest row. Latest by `seq`, the
//! decision's number among the child's (unique): two decisions in the same instant still have
//! an order. The kinds are the
//! municipality's settings; a decision names its kind's stable key. The yearly reminder is a
//! row per guardian and school year (the primary key), so it is sent once.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ConsentDecision {
    Table,
    Id,
    MunicipalityId,
    ChildId,
    GuardianId,
    KindKey,
    Decision,
    DecidedAt,
    Seq,
}

#[derive(DeriveIden)]
enum ConsentReminder {
    Table,
    GuardianId,
    SchoolYear,
    SentAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ConsentDecision as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(D::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(D::ChildId).uuid().not_null())
                    .col(ColumnDef::new(D::GuardianId).uuid().not_null())
                    .col(ColumnDef::new(D::Seq).integer().not_null())
                    .col(ColumnDef::new(D::KindKey).string_len(64).not_null())
                    .col(ColumnDef::new(D::Decision).string_len(32).not_null())
                    .col(
                        ColumnDef::new(D::DecidedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consent_decision_municipality")
                            .from(D::Table, D::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consent_decision_child")
                            .from(D::Table, D::ChildId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consent_decision_guardian")
                            .from(D::Table, D::GuardianId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_consent_decision_child_seq")
                    .table(D::Table)
                    .col(D::ChildId)
                    .col(D::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_consent_decision_guardian")
                    .table(D::Table)
                    .col(D::GuardianId)
                    .to_owned(),
            )
            .await?;

        use ConsentReminder as R;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(ColumnDef::new(R::GuardianId).uuid().not_null())
                    .col(ColumnDef::new(R::SchoolYear).integer().not_null())
                    .col(
                        ColumnDef::new(R::SentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(Index::create().col(R::GuardianId).col(R::SchoolYear))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_consent_reminder_guardian")
                            .from(R::Table, R::GuardianId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ConsentReminder::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ConsentDecision::Table).to_owned())
            .await
    }
}
