//! Lunch menus (skolmaten): a unit's week as its staff enter it (`shared::lunch` checks it), and
//! the days families see on the start page. A menu is the unit's, not anyone's personal data:
//! reading it needs no login, entering it is the policy's `UnitAction::EditLunchMenu`.

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use skolportal_shared::api::{LunchDay, LunchMenuUpdate, LunchMenuWeek};
use skolportal_shared::lunch::{self, LunchError};
use uuid::Uuid;

use crate::entity::{lunch_menu_day, unit};
use crate::policy::{Permit, UnitAction};

#[derive(Debug, thiserror::Error)]
pub enum LunchMenuError {
    #[error("no such unit")]
    NotFound,
    #[error("the week is given by its Monday")]
    NotAMonday,
    #[error("{}", .0.code())]
    Invalid(LunchError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

fn weekdays(monday: NaiveDate) -> Vec<NaiveDate> {
    (0..5)
        .filter_map(|d| monday.checked_add_days(Days::new(d)))
        .collect()
}

fn check_monday(monday: NaiveDate) -> Result<(), LunchMenuError> {
    if monday != skolportal_shared::calendar::week_start(monday) {
        return Err(LunchMenuError::NotAMonday);
    }
    Ok(())
}

/// The unit's menu for the week starting `monday`; 404 for a unit that is not the
/// municipality's.
pub async fn week(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    unit_id: Uuid,
    monday: NaiveDate,
) -> Result<LunchMenuWeek, LunchMenuError> {
    check_monday(monday)?;
    let unit = unit::Entity::find_by_id(unit_id)
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .one(db)
        .await?
        .ok_or(LunchMenuError::NotFound)?;
    let days = weekdays(monday);
    let stored = lunch_menu_day::Entity::find()
        .filter(lunch_menu_day::Column::UnitId.eq(unit_id))
        .filter(
            lunch_menu_day::Column::Date.between(monday, days.last().copied().unwrap_or(monday)),
        )
        .all(db)
        .await?;
    Ok(LunchMenuWeek {
        unit_id,
        unit_name: unit.name,
        week_start: monday,
        days: days
            .into_iter()
            .map(|date| {
                let row = stored.iter().find(|r| r.date == date);
                LunchDay {
                    date,
                    main_dish: row.and_then(|r| r.main_dish.clone()),
                    vegetarian_dish: row.and_then(|r| r.vegetarian_dish.clone()),
                }
            })
            .collect(),
    })
}

/// Enters the week's menu: each day given replaces that day (both dishes empty clears it), in
/// one transaction, so a refused week changes nothing.
pub async fn save_week(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<UnitAction>,
    monday: NaiveDate,
    update: &LunchMenuUpdate,
    now: DateTime<Utc>,
) -> Result<LunchMenuWeek, LunchMenuError> {
    check_monday(monday)?;
    let days = lunch::check_week(monday, &update.days).map_err(LunchMenuError::Invalid)?;
    let unit_id = permit.target().0;
    let municipality_id = permit.actor().municipality_id;
    let txn = db.begin().await?;
    for day in days {
        lunch_menu_day::Entity::delete_many()
            .filter(lunch_menu_day::Column::UnitId.eq(unit_id))
            .filter(lunch_menu_day::Column::Date.eq(day.date))
            .exec(&txn)
            .await?;
        if day.main_dish.is_some() || day.vegetarian_dish.is_some() {
            lunch_menu_day::Entity::insert(lunch_menu_day::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                unit_id: Set(unit_id),
                date: Set(day.date),
                main_dish: Set(day.main_dish),
                vegetarian_dish: Set(day.vegetarian_dish),
                updated_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    week(db, municipality_id, unit_id, monday).await
}
