//! The demo municipality's childcare schedules: every placed child has a planned week for the
//! previous, the current and the next week, written as a guardian would, so that the locked days
//! guardians and staff see are real. Deterministic: the same seed and day give the same times
//! (children are taken in personnummer order, which does not depend on the generated ids).
//! The week after next is left for people to fill in.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use skolportal_shared::calendar;
use uuid::Uuid;

use super::rng::Rng;
use crate::entity::guardianship::GuardianRelation;
use crate::entity::{guardianship, person, placement, schedule_day, unit};

/// Weeks before and after the current one that get a schedule.
const WEEKS_BEFORE: u64 = 1;
const WEEKS_AFTER: u64 = 1;
/// Rows per insert statement (SQLite's parameter limit is the tighter one).
const BATCH: usize = 500;

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// Writes the schedules; returns how many days were written.
pub async fn seed(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    seed: u64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let monday = calendar::week_start(today);
    let first = monday
        .checked_sub_days(Days::new(7 * WEEKS_BEFORE))
        .unwrap_or(monday);
    let days: Vec<NaiveDate> = (0..7 * (WEEKS_BEFORE + 1 + WEEKS_AFTER))
        .filter_map(|offset| first.checked_add_days(Days::new(offset)))
        .filter(|d| calendar::is_working_day(*d))
        .collect();

    let units: HashMap<Uuid, unit::Model> = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let children: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.personnummer))
        .collect();
    // The schedule is entered by a guardian: the first by personnummer.
    let mut guardians: HashMap<Uuid, Vec<String>> = HashMap::new();
    let mut person_by_pnr: HashMap<&str, Uuid> = HashMap::new();
    for (id, pnr) in &children {
        person_by_pnr.insert(pnr.as_str(), *id);
    }
    for g in guardianship::Entity::find()
        .filter(guardianship::Column::Relation.eq(GuardianRelation::Guardian))
        .all(db)
        .await?
    {
        if let Some(pnr) = children.get(&g.adult_id) {
            guardians.entry(g.child_id).or_default().push(pnr.clone());
        }
    }
    let mut places = placement::Entity::find()
        .filter(placement::Column::MunicipalityId.eq(municipality_id))
        .order_by_asc(placement::Column::StartDate)
        .all(db)
        .await?;
    places.sort_by_key(|p| (children.get(&p.child_id).cloned(), p.start_date));

    let mut rng = Rng::new(seed ^ 0x5c4e_d01e);
    let drop_offs = [
        at(7, 0),
        at(7, 15),
        at(7, 30),
        at(7, 45),
        at(8, 0),
        at(8, 15),
    ];
    let pick_ups = [at(15, 0), at(15, 30), at(16, 0), at(16, 30), at(17, 0)];
    let mut rows = Vec::new();
    let mut taken = HashSet::new();
    for place in &places {
        let Some(unit) = units.get(&place.unit_id) else {
            continue;
        };
        let Some(by) = guardians
            .get_mut(&place.child_id)
            .and_then(|list| {
                list.sort();
                list.first()
            })
            .and_then(|pnr| person_by_pnr.get(pnr.as_str()))
            .copied()
        else {
            continue;
        };
        // One pattern per child, as families have: the same times most days, and for some a
        // free Friday.
        let drop_off = (*rng.pick(&drop_offs)).max(unit.opens_at);
        let pick_up = (*rng.pick(&pick_ups)).min(unit.closes_at);
        let free_friday = rng.chance(15);
        for date in &days {
            let placed = place.start_date <= *date && place.end_date.is_none_or(|e| e >= *date);
            if !placed {
                continue;
            }
            // Two places on one day (a move between units): the first one's times stand.
            if !taken.insert((place.child_id, *date)) {
                continue;
            }
            let off = free_friday && date.weekday() == Weekday::Fri;
            rows.push(schedule_day::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                child_id: Set(place.child_id),
                placement_id: Set(place.id),
                date: Set(*date),
                drop_off: Set((!off).then_some(drop_off)),
                pick_up: Set((!off).then_some(pick_up)),
                updated_at: Set(now),
                updated_by_person_id: Set(by),
            });
        }
    }
    let written = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<schedule_day::ActiveModel> = rows.by_ref().take(BATCH).collect();
        schedule_day::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(written)
}
