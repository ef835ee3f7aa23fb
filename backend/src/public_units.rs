//! The units as the public sees them, for the municipality's website (the units' widget and
//! `GET /api/public/units`): address, opening hours, free places today and the queue time. No
//! login and no person: the counts are over many families, and a queue time made of fewer than
//! [`MIN_OFFERS`] offers is not told, since it could point at one family.
//!
//! **Queue time** is how long applicants recently waited for an offer: the median, over the
//! offers the unit made in the last 365 days, of the days from the application to the offer.
//! The wait counts from the later of the application day and four months before the wished
//! start, because the municipality has four months to offer a place (skollagen 8 kap. 14 §):
//! a family that applies a year ahead has not been waiting for eight of those months.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, JoinType, QueryFilter,
    QuerySelect,
};
use skolportal_shared::api::PublicUnit;
use skolportal_shared::calendar::format_time_of_day;
use uuid::Uuid;

use crate::entity::unit::UnitKind;
use crate::entity::{childcare_application, placement, placement_offer, unit};

/// Fewer offers than this in a year give no queue time.
pub const MIN_OFFERS: usize = 3;

/// The municipality's units, by name; preschools, fritidshem and pedagogisk omsorg with their
/// free places today and queue time, schools with their address and hours.
pub async fn list(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<PublicUnit>, DbErr> {
    let mut units = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?;
    units.sort_by(|a, b| a.name.cmp(&b.name));
    let taken = places_taken(db, municipality_id, today).await?;
    let waits = recent_waits(db, municipality_id, today).await?;
    Ok(units
        .into_iter()
        .map(|u| {
            let free_places = match u.kind {
                UnitKind::School => None,
                _ => u
                    .capacity
                    .map(|c| (c - taken.get(&u.id).copied().unwrap_or(0)).max(0)),
            };
            let queue_days = match u.kind {
                UnitKind::School => None,
                _ => median_wait(waits.get(&u.id).map(Vec::as_slice).unwrap_or_default()),
            };
            PublicUnit {
                unit_id: u.id,
                kind: crate::people::wire_unit_kind(&u.kind),
                name: u.name,
                street: u.street,
                postal_code: u.postal_code,
                city: u.city,
                phone: u.phone,
                opens_at: format_time_of_day(u.opens_at),
                closes_at: format_time_of_day(u.closes_at),
                free_places,
                queue_days,
            }
        })
        .collect())
}

/// Childcare placements current on `today`, per unit.
async fn places_taken(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    today: NaiveDate,
) -> Result<HashMap<Uuid, i32>, DbErr> {
    let current = placement::Entity::find()
        .filter(placement::Column::MunicipalityId.eq(municipality_id))
        .filter(placement::Column::StartDate.lte(today))
        .filter(
            Condition::any()
                .add(placement::Column::EndDate.is_null())
                .add(placement::Column::EndDate.gte(today)),
        )
        .all(db)
        .await?;
    let mut taken = HashMap::new();
    for p in current {
        *taken.entry(p.unit_id).or_insert(0) += 1;
    }
    Ok(taken)
}

/// The days each applicant waited for the offers made in the year up to `today`, per unit.
async fn recent_waits(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    today: NaiveDate,
) -> Result<HashMap<Uuid, Vec<u32>>, DbErr> {
    let since = today
        .checked_sub_days(chrono::Days::new(365))
        .unwrap_or(today);
    // Joined in the database: a year of a large city's offers is too many ids to send back.
    let to_application = placement_offer::Entity::belongs_to(childcare_application::Entity)
        .from(placement_offer::Column::ApplicationId)
        .to(childcare_application::Column::Id)
        .into();
    let offers: Vec<(Uuid, chrono::DateTime<chrono::Utc>, NaiveDate, NaiveDate)> =
        placement_offer::Entity::find()
            .select_only()
            .column(placement_offer::Column::UnitId)
            .column(placement_offer::Column::CreatedAt)
            .column(childcare_application::Column::AppliedOn)
            .column(childcare_application::Column::WishedStart)
            .join(JoinType::InnerJoin, to_application)
            .filter(placement_offer::Column::MunicipalityId.eq(municipality_id))
            .filter(
                placement_offer::Column::CreatedAt
                    .gte(since.and_time(chrono::NaiveTime::MIN).and_utc()),
            )
            .into_tuple()
            .all(db)
            .await?;
    let mut waits: HashMap<Uuid, Vec<u32>> = HashMap::new();
    for (unit_id, offered_at, applied_on, wished_start) in offers {
        waits.entry(unit_id).or_default().push(wait_days(
            applied_on,
            wished_start,
            crate::clock::day_of(offered_at),
        ));
    }
    Ok(waits)
}

/// Days from when the wait began (the application, or four months before the wished start if
/// that is later) to the offer; 0 when the offer came before.
pub fn wait_days(applied_on: NaiveDate, wished_start: NaiveDate, offered_on: NaiveDate) -> u32 {
    let window_opens = wished_start
        .checked_sub_months(Months::new(4))
        .unwrap_or(wished_start);
    let began = applied_on.max(window_opens);
    u32::try_from((offered_on - began).num_days()).unwrap_or(0)
}

/// The median of `waits` (the lower middle of an even count, a day the families did wait), or
/// none for fewer than [`MIN_OFFERS`].
pub fn median_wait(waits: &[u32]) -> Option<u32> {
    if waits.len() < MIN_OFFERS {
        return None;
    }
    let mut sorted = waits.to_vec();
    sorted.sort_unstable();
    sorted.get((sorted.len() - 1) / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_wait_begins_four_months_before_the_wished_start() {
        // Applied a year ahead: the wait begins 2026-04-01.
        assert_eq!(
            wait_days(day("2025-08-01"), day("2026-08-01"), day("2026-05-01")),
            30
        );
        // Applied late: the wait begins at the application.
        assert_eq!(
            wait_days(day("2026-06-01"), day("2026-07-01"), day("2026-07-11")),
            40
        );
        // Offered before the window opened: no wait.
        assert_eq!(
            wait_days(day("2025-08-01"), day("2026-08-01"), day("2026-01-01")),
            0
        );
    }

    #[test]
    fn the_median_needs_three_offers() {
        assert_eq!(median_wait(&[10, 20]), None);
        assert_eq!(median_wait(&[30, 10, 20]), Some(20));
        assert_eq!(median_wait(&[40, 10, 30, 20]), Some(20));
    }
}
