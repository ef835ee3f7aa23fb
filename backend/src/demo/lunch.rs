//! The demo municipality's lunch menus: every school and preschool has this week's and next
//! week's, from a rotation of the dishes Swedish school kitchens serve, each with a vegetarian
//! one. Kitchens differ a little: a unit starts the rotation at its own place.

use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use skolportal_shared::calendar;
use uuid::Uuid;

use crate::entity::{lunch_menu_day, unit};

/// (dish, vegetarian dish).
const DISHES: &[(&str, &str)] = &[
    (
        "Köttbullar med potatismos och lingon",
        "Vegetariska bullar med potatismos",
    ),
    ("Fiskgratäng med dillpotatis", "Linsgryta med ris"),
    ("Kycklinggryta med ris", "Kikärtsgryta med ris"),
    ("Spaghetti och köttfärssås", "Spaghetti med sojafärssås"),
    (
        "Pannkakor med sylt, ärtsoppa",
        "Pannkakor med sylt, ärtsoppa",
    ),
    ("Korv stroganoff med ris", "Bönstroganoff med ris"),
    (
        "Laxbiffar med kokt potatis och remoulad",
        "Grönsaksbiffar med kokt potatis",
    ),
    ("Chili con carne med ris", "Chili sin carne med ris"),
    ("Tacos med nötfärs", "Tacos med bönröra"),
    ("Kålpudding med gräddsås", "Halloumi med ugnsrotfrukter"),
    ("Pasta carbonara", "Pasta med tomat och mozzarella"),
    (
        "Fisk i panko med potatismos",
        "Falafel med bulgur och tzatziki",
    ),
];

/// Writes the menus; returns how many days.
pub async fn seed(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut units: Vec<unit::Model> = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?;
    units.sort_by(|a, b| a.name.cmp(&b.name));
    let monday = calendar::shown_week_start(today);
    let mut rows = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for d in 0..14u64 {
            let Some(date) = monday.checked_add_days(Days::new(d)) else {
                continue;
            };
            if !calendar::is_working_day(date) {
                continue;
            }
            let (main, vegetarian) =
                DISHES[(usize::try_from(d).unwrap_or(0) + u % 4) % DISHES.len()];
            rows.push(lunch_menu_day::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                unit_id: Set(unit.id),
                date: Set(date),
                main_dish: Set(Some(main.to_owned())),
                vegetarian_dish: Set(Some(vegetarian.to_owned())),
                updated_at: Set(now),
            });
        }
    }
    let written = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<lunch_menu_day::ActiveModel> = rows.by_ref().take(500).collect();
        lunch_menu_day::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(written)
}
