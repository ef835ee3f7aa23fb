//! Leave applications (ledighetsansökan, skollagen 7 kap. 18 §). An application names its
//! decider when it is made (the mentor up to the municipality's school days, the principal above
//! them), so that the access policy can tell who may decide it from the row alone. The
//! guardians' agreements are rows of their own, one per guardian (unique).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LeaveApplication {
    Table,
    Id,
    MunicipalityId,
    ChildId,
    SubmissionId,
    FirstDay,
    LastDay,
    SchoolDays,
    Reason,
    Status,
    Decider,
    AppliedByPersonId,
    AppliedAt,
    DecidedByPersonId,
    DecidedAt,
}

#[derive(DeriveIden)]
enum LeaveAgreement {
    Table,
    Id,
    ApplicationId,
    GuardianId,
    AgreedAt,
}

/// A notice about several days (a leave decision) names its last day and its application.
#[derive(DeriveIden)]
enum Notice {
    Table,
    UntilDate,
    LeaveApplicationId,
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
        use LeaveApplication as L;
        let at = |c: L| ColumnDef::new(c).timestamp_with_time_zone().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(L::Table)
                    .col(ColumnDef::new(L::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(L::MunicipalityId).uuid().not_null())
                    .col(ColumnDef::new(L::ChildId).uuid().not_null())
                    .col(ColumnDef::new(L::SubmissionId).uuid().not_null())
                    .col(ColumnDef::new(L::FirstDay).date().not_null())
                    .col(ColumnDef::new(L::LastDay).date().not_null())
                    .col(ColumnDef::new(L::SchoolDays).integer().not_null())
                    .col(ColumnDef::new(L::Reason).string_len(32).not_null())
                    .col(ColumnDef::new(L::Status).string_len(32).not_null())
                    .col(ColumnDef::new(L::Decider).string_len(32).not_null())
                    .col(ColumnDef::new(L::AppliedByPersonId).uuid())
                    .col(at(L::AppliedAt).not_null())
                    .col(ColumnDef::new(L::DecidedByPersonId).uuid())
                    .col(at(L::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_leave_application_municipality")
                            .from(L::Table, L::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_leave_application_child")
                            .from(L::Table, L::ChildId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_leave_application_applicant")
                            .from(L::Table, L::AppliedByPersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_leave_application_decider")
                            .from(L::Table, L::DecidedByPersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_leave_application_submission")
                    .table(L::Table)
                    .col(L::SubmissionId)
                    .col(L::ChildId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_leave_application_child_days")
                    .table(L::Table)
                    .col(L::ChildId)
                    .col(L::LastDay)
                    .to_owned(),
            )
            .await?;

        use LeaveAgreement as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(ColumnDef::new(A::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(A::ApplicationId).uuid().not_null())
                    .col(ColumnDef::new(A::GuardianId).uuid().not_null())
                    .col(
                        ColumnDef::new(A::AgreedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_leave_agreement_application")
                            .from(A::Table, A::ApplicationId)
                            .to(L::Table, L::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_leave_agreement_guardian")
                            .from(A::Table, A::GuardianId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_leave_agreement_guardian")
                    .table(A::Table)
                    .col(A::ApplicationId)
                    .col(A::GuardianId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(Notice::Table)
                    .add_column(ColumnDef::new(Notice::UntilDate).date())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notice::Table)
                    .add_column(ColumnDef::new(Notice::LeaveApplicationId).uuid())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Notice::LeaveApplicationId, Notice::UntilDate] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Notice::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(LeaveAgreement::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LeaveApplication::Table).to_owned())
            .await
    }
}
