//! Lunch menus (skolmaten): one row per unit and day, entered by the unit's staff. No person is
//! stored with a menu: it is the unit's, and holds no one's personal data.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LunchMenuDay {
    Table,
    Id,
    MunicipalityId,
    UnitId,
    Date,
    MainDish,
    VegetarianDish,
    UpdatedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LunchMenuDay::Table)
                    .col(
                        ColumnDef::new(LunchMenuDay::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LunchMenuDay::MunicipalityId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(LunchMenuDay::UnitId).uuid().not_null())
                    .col(ColumnDef::new(LunchMenuDay::Date).date().not_null())
                    .col(ColumnDef::new(LunchMenuDay::MainDish).string_len(800))
                    .col(ColumnDef::new(LunchMenuDay::VegetarianDish).string_len(800))
                    .col(
                        ColumnDef::new(LunchMenuDay::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lunch_menu_day_municipality")
                            .from(LunchMenuDay::Table, LunchMenuDay::MunicipalityId)
                            .to(Municipality::Table, Municipality::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_lunch_menu_day_unit")
                            .from(LunchMenuDay::Table, LunchMenuDay::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    // One menu per unit and day: entering the day again replaces it.
                    .name("ux_lunch_menu_day_unit_date")
                    .table(LunchMenuDay::Table)
                    .col(LunchMenuDay::UnitId)
                    .col(LunchMenuDay::Date)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LunchMenuDay::Table).to_owned())
            .await
    }
}
