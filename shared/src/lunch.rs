//! The rules of a lunch menu the staff enter: the page checks with them, the server decides.

use chrono::{Datelike, NaiveDate};

use crate::api::LunchDay;

/// The longest dish text: a line on a phone, with room for allergens.
pub const MAX_DISH_CHARS: usize = 200;

/// Why a week's menu cannot be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LunchError {
    /// A day that is not Monday to Friday of the week.
    DateOutsideWeek,
    /// The same day twice.
    DuplicateDay,
    DishTooLong,
}

impl LunchError {
    /// The code the API answers with (`error.<code>` in the catalogues).
    pub fn code(self) -> &'static str {
        match self {
            LunchError::DateOutsideWeek => "date_outside_week",
            LunchError::DuplicateDay => "duplicate_day",
            LunchError::DishTooLong => "dish_too_long",
        }
    }
}

/// A dish as stored: trimmed, `None` when empty.
pub fn dish(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The days of `days`, checked against the week starting `monday` and with their dishes
/// trimmed (empty is none).
pub fn check_week(monday: NaiveDate, days: &[LunchDay]) -> Result<Vec<LunchDay>, LunchError> {
    let mut out: Vec<LunchDay> = Vec::with_capacity(days.len());
    for day in days {
        let offset = (day.date - monday).num_days();
        if !(0..5).contains(&offset) || monday.weekday().num_days_from_monday() != 0 {
            return Err(LunchError::DateOutsideWeek);
        }
        if out.iter().any(|d| d.date == day.date) {
            return Err(LunchError::DuplicateDay);
        }
        let (main, vegetarian) = (
            dish(day.main_dish.as_deref()),
            dish(day.vegetarian_dish.as_deref()),
        );
        let too_long = |d: &Option<String>| {
            d.as_ref()
                .is_some_and(|d| d.chars().count() > MAX_DISH_CHARS)
        };
        if too_long(&main) || too_long(&vegetarian) {
            return Err(LunchError::DishTooLong);
        }
        out.push(LunchDay {
            date: day.date,
            main_dish: main,
            vegetarian_dish: vegetarian,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str, main: &str) -> LunchDay {
        LunchDay {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            main_dish: Some(main.to_owned()),
            vegetarian_dish: None,
        }
    }

    #[test]
    fn a_week_is_its_five_weekdays_once_each_with_dishes_trimmed() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let checked = check_week(
            monday,
            &[day("2026-11-23", "  Fiskgratäng "), day("2026-11-27", " ")],
        )
        .unwrap();
        assert_eq!(checked[0].main_dish.as_deref(), Some("Fiskgratäng"));
        assert_eq!(checked[1].main_dish, None);
        assert_eq!(
            check_week(monday, &[day("2026-11-28", "x")]),
            Err(LunchError::DateOutsideWeek)
        );
        assert_eq!(
            check_week(monday, &[day("2026-11-22", "x")]),
            Err(LunchError::DateOutsideWeek)
        );
        assert_eq!(
            check_week(monday, &[day("2026-11-24", "x"), day("2026-11-24", "y")]),
            Err(LunchError::DuplicateDay)
        );
        assert_eq!(
            check_week(monday, &[day("2026-11-24", &"x".repeat(201))]),
            Err(LunchError::DishTooLong)
        );
        let tuesday = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(
            check_week(tuesday, &[day("2026-11-24", "x")]),
            Err(LunchError::DateOutsideWeek)
        );
    }
}
