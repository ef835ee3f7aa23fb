//! The Swedish working calendar: public holidays (and the eves that are de-facto non-working
//! days), working days, and when a childcare schedule locks. Pure; the server enforces the lock
//! and the SPA shows it with the same functions.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Timelike, Weekday};

/// A day that is not a working day although it may fall on a weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Holiday {
    /// 1 January.
    Nyarsdagen,
    /// 6 January.
    TrettondedagJul,
    /// The Friday before Easter Sunday.
    Langfredagen,
    /// Easter Sunday.
    Paskdagen,
    /// The Monday after Easter Sunday.
    AnnandagPask,
    /// 1 May.
    ForstaMaj,
    /// The Thursday 39 days after Easter Sunday.
    KristiHimmelsfardsdag,
    /// Whit Sunday, 49 days after Easter Sunday.
    Pingstdagen,
    /// 6 June.
    Nationaldagen,
    /// The Friday between 19 and 25 June. Not a public holiday by law, but a non-working day.
    Midsommarafton,
    /// The Saturday between 20 and 26 June.
    Midsommardagen,
    /// The Saturday between 31 October and 6 November.
    AllaHelgonsDag,
    /// 24 December. Not a public holiday by law, but a non-working day.
    Julafton,
    /// 25 December.
    Juldagen,
    /// 26 December.
    AnnandagJul,
    /// 31 December. Not a public holiday by law, but a non-working day.
    Nyarsafton,
}

impl Holiday {
    /// The Swedish name, as a calendar prints it.
    pub const fn name_sv(self) -> &'static str {
        match self {
            Holiday::Nyarsdagen => "Nyårsdagen",
            Holiday::TrettondedagJul => "Trettondedag jul",
            Holiday::Langfredagen => "Långfredagen",
            Holiday::Paskdagen => "Påskdagen",
            Holiday::AnnandagPask => "Annandag påsk",
            Holiday::ForstaMaj => "Första maj",
            Holiday::KristiHimmelsfardsdag => "Kristi himmelsfärdsdag",
            Holiday::Pingstdagen => "Pingstdagen",
            Holiday::Nationaldagen => "Sveriges nationaldag",
            Holiday::Midsommarafton => "Midsommarafton",
            Holiday::Midsommardagen => "Midsommardagen",
            Holiday::AllaHelgonsDag => "Alla helgons dag",
            Holiday::Julafton => "Julafton",
            Holiday::Juldagen => "Juldagen",
            Holiday::AnnandagJul => "Annandag jul",
            Holiday::Nyarsafton => "Nyårsafton",
        }
    }

    /// Whether the day is a public holiday by law (lagen om allmänna helgdagar); the eves
    /// (midsommarafton, julafton, nyårsafton) are non-working days by custom only.
    pub const fn is_public_holiday(self) -> bool {
        !matches!(
            self,
            Holiday::Midsommarafton | Holiday::Julafton | Holiday::Nyarsafton
        )
    }
}

/// Easter Sunday of `year` (the anonymous Gregorian algorithm); `None` outside chrono's range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The first `weekday` on or after `from`.
fn first_on_or_after(from: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from.checked_add_days(Days::new(u64::from(ahead)))
}

/// Every holiday and non-working eve of `year`, in date order.
pub fn holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let fixed = |month: u32, day: u32, h: Holiday| {
        NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, h))
    };
    let mut days: Vec<Option<(NaiveDate, Holiday)>> = vec![
        fixed(1, 1, Holiday::Nyarsdagen),
        fixed(1, 6, Holiday::TrettondedagJul),
        fixed(5, 1, Holiday::ForstaMaj),
        fixed(6, 6, Holiday::Nationaldagen),
        fixed(12, 24, Holiday::Julafton),
        fixed(12, 25, Holiday::Juldagen),
        fixed(12, 26, Holiday::AnnandagJul),
        fixed(12, 31, Holiday::Nyarsafton),
    ];
    if let Some(easter) = easter_sunday(year) {
        let shifted = |delta: i64, h: Holiday| {
            let moved = if delta < 0 {
                easter.checked_sub_days(Days::new(delta.unsigned_abs()))
            } else {
                easter.checked_add_days(Days::new(delta.unsigned_abs()))
            };
            moved.map(|d| (d, h))
        };
        days.push(shifted(-2, Holiday::Langfredagen));
        days.push(Some((easter, Holiday::Paskdagen)));
        days.push(shifted(1, Holiday::AnnandagPask));
        days.push(shifted(39, Holiday::KristiHimmelsfardsdag));
        days.push(shifted(49, Holiday::Pingstdagen));
    }
    let moving = |month: u32, day: u32, weekday: Weekday, h: Holiday| {
        NaiveDate::from_ymd_opt(year, month, day)
            .and_then(|d| first_on_or_after(d, weekday))
            .map(|d| (d, h))
    };
    days.push(moving(6, 19, Weekday::Fri, Holiday::Midsommarafton));
    days.push(moving(6, 20, Weekday::Sat, Holiday::Midsommardagen));
    days.push(moving(10, 31, Weekday::Sat, Holiday::AllaHelgonsDag));
    let mut days: Vec<(NaiveDate, Holiday)> = days.into_iter().flatten().collect();
    days.sort();
    days
}

/// The holiday or non-working eve on `date`, if any.
pub fn holiday(date: NaiveDate) -> Option<Holiday> {
    holidays(date.year())
        .into_iter()
        .find(|(d, _)| *d == date)
        .map(|(_, h)| h)
}

/// Monday to Friday, and neither a holiday nor a non-working eve.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && holiday(date).is_none()
}

/// The working day `n` working days before `date` (`date` itself when `n` is 0).
pub fn subtract_working_days(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        match day.pred_opt() {
            Some(previous) => day = previous,
            None => return day,
        }
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// The last date on which a guardian may still change the schedule of `day`, when schedules lock
/// `lock_working_days` working days before they apply: `lock_working_days` whole working days
/// must lie between the change and the day. With 0 the schedule can be changed until the day
/// before.
pub fn lock_date(day: NaiveDate, lock_working_days: u32) -> NaiveDate {
    let locks_on = subtract_working_days(day, lock_working_days);
    locks_on.pred_opt().unwrap_or(locks_on)
}

/// Whether the schedule of `day` can no longer be changed by a guardian on `today`.
pub fn is_locked(day: NaiveDate, lock_working_days: u32, today: NaiveDate) -> bool {
    today > lock_date(day, lock_working_days)
}

/// The Monday of the ISO week `date` is in.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
        .unwrap_or(date)
}

/// The Monday of the week a family's start page shows as "Den här veckan": this week's on a
/// weekday, the coming one on a Saturday or Sunday, when this week's school days are over.
pub fn shown_week_start(today: NaiveDate) -> NaiveDate {
    if today.weekday().num_days_from_monday() >= 5 {
        let this = week_start(today);
        this.checked_add_days(Days::new(7)).unwrap_or(this)
    } else {
        week_start(today)
    }
}

/// A time of day written `"HH:MM"` (two digits each, 00:00 to 23:59), as schedules use it.
pub fn parse_time_of_day(value: &str) -> Option<NaiveTime> {
    let bytes = value.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' {
        return None;
    }
    let digits = |a: u8, b: u8| -> Option<u32> {
        (a.is_ascii_digit() && b.is_ascii_digit())
            .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    };
    let hour = digits(bytes[0], bytes[1])?;
    let minute = digits(bytes[3], bytes[4])?;
    NaiveTime::from_hms_opt(hour, minute, 0)
}

/// `"HH:MM"`; seconds are dropped.
pub fn format_time_of_day(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_start_page_shows_this_week_until_friday_and_the_next_at_the_weekend() {
        assert_eq!(shown_week_start(d("2026-11-23")), d("2026-11-23"));
        assert_eq!(shown_week_start(d("2026-11-27")), d("2026-11-23"));
        assert_eq!(shown_week_start(d("2026-11-28")), d("2026-11-30"));
        assert_eq!(shown_week_start(d("2026-11-29")), d("2026-11-30"));
    }

    #[test]
    fn easter_sunday_matches_known_dates() {
        for (year, date) in [
            (1818, "1818-03-22"),
            (1943, "1943-04-25"),
            (2000, "2000-04-23"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(year), Some(d(date)), "{year}");
        }
    }

    #[test]
    fn the_holidays_of_2026() {
        let expected = [
            ("2026-01-01", Holiday::Nyarsdagen),
            ("2026-01-06", Holiday::TrettondedagJul),
            ("2026-04-03", Holiday::Langfredagen),
            ("2026-04-05", Holiday::Paskdagen),
            ("2026-04-06", Holiday::AnnandagPask),
            ("2026-05-01", Holiday::ForstaMaj),
            ("2026-05-14", Holiday::KristiHimmelsfardsdag),
            ("2026-05-24", Holiday::Pingstdagen),
            ("2026-06-06", Holiday::Nationaldagen),
            ("2026-06-19", Holiday::Midsommarafton),
            ("2026-06-20", Holiday::Midsommardagen),
            ("2026-10-31", Holiday::AllaHelgonsDag),
            ("2026-12-24", Holiday::Julafton),
            ("2026-12-25", Holiday::Juldagen),
            ("2026-12-26", Holiday::AnnandagJul),
            ("2026-12-31", Holiday::Nyarsafton),
        ];
        let got = holidays(2026);
        let want: Vec<(NaiveDate, Holiday)> = expected.iter().map(|(s, h)| (d(s), *h)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn moving_holidays_in_other_years() {
        // 2025: påsk 20 April, midsommar 20–21 June, alla helgons dag 1 November.
        assert_eq!(holiday(d("2025-04-18")), Some(Holiday::Langfredagen));
        assert_eq!(
            holiday(d("2025-05-29")),
            Some(Holiday::KristiHimmelsfardsdag)
        );
        assert_eq!(holiday(d("2025-06-20")), Some(Holiday::Midsommarafton));
        assert_eq!(holiday(d("2025-06-21")), Some(Holiday::Midsommardagen));
        assert_eq!(holiday(d("2025-11-01")), Some(Holiday::AllaHelgonsDag));
        // 2027: midsommarafton 25 June (the last possible), alla helgons dag 6 November.
        assert_eq!(holiday(d("2027-06-25")), Some(Holiday::Midsommarafton));
        assert_eq!(holiday(d("2027-06-26")), Some(Holiday::Midsommardagen));
        assert_eq!(holiday(d("2027-11-06")), Some(Holiday::AllaHelgonsDag));
        assert_eq!(holiday(d("2027-03-26")), Some(Holiday::Langfredagen));
        assert_eq!(holiday(d("2027-03-29")), Some(Holiday::AnnandagPask));
    }

    #[test]
    fn only_the_eves_are_not_public_holidays_by_law() {
        assert!(!Holiday::Midsommarafton.is_public_holiday());
        assert!(!Holiday::Julafton.is_public_holiday());
        assert!(!Holiday::Nyarsafton.is_public_holiday());
        assert!(Holiday::Midsommardagen.is_public_holiday());
        assert!(Holiday::KristiHimmelsfardsdag.is_public_holiday());
    }

    #[test]
    fn working_days() {
        assert!(is_working_day(d("2026-11-24"))); // Tuesday
        assert!(!is_working_day(d("2026-11-28"))); // Saturday
        assert!(!is_working_day(d("2026-11-29"))); // Sunday
        assert!(!is_working_day(d("2026-04-03"))); // långfredagen
        assert!(!is_working_day(d("2026-04-06"))); // annandag påsk
        assert!(!is_working_day(d("2026-05-14"))); // Kristi himmelsfärd, a Thursday
        assert!(is_working_day(d("2026-05-15"))); // klämdag: still a working day
        assert!(!is_working_day(d("2026-06-19"))); // midsommarafton
        assert!(!is_working_day(d("2026-12-24")));
        assert!(!is_working_day(d("2026-12-31")));
        assert!(is_working_day(d("2026-12-30")));
    }

    #[test]
    fn subtracting_working_days_skips_weekends_and_holidays() {
        assert_eq!(subtract_working_days(d("2026-11-25"), 0), d("2026-11-25"));
        assert_eq!(subtract_working_days(d("2026-11-25"), 2), d("2026-11-23"));
        assert_eq!(subtract_working_days(d("2026-11-30"), 2), d("2026-11-26"));
        // Over a weekend.
        assert_eq!(subtract_working_days(d("2026-11-24"), 2), d("2026-11-20"));
        // Over Easter: Tuesday 7 April 2026, back past annandag påsk and långfredagen.
        assert_eq!(subtract_working_days(d("2026-04-07"), 1), d("2026-04-02"));
        assert_eq!(subtract_working_days(d("2026-04-07"), 2), d("2026-04-01"));
        // Over Christmas: 28 December 2026 is a Monday; 24–26 December are not working days.
        assert_eq!(subtract_working_days(d("2026-12-28"), 1), d("2026-12-23"));
    }

    #[test]
    fn the_lock_on_the_demo_day() {
        let today = d("2026-11-24"); // Tuesday
                                     // Wednesday and Thursday of this week are locked with 2 working days; Friday can still
                                     // be changed today, and the next week is open.
        assert_eq!(lock_date(d("2026-11-25"), 2), d("2026-11-22"));
        assert!(is_locked(d("2026-11-25"), 2, today));
        assert!(is_locked(d("2026-11-26"), 2, today));
        assert_eq!(lock_date(d("2026-11-27"), 2), d("2026-11-24"));
        assert!(!is_locked(d("2026-11-27"), 2, today));
        assert_eq!(lock_date(d("2026-11-30"), 2), d("2026-11-25"));
        assert!(!is_locked(d("2026-11-30"), 2, today));
        assert!(!is_locked(d("2026-12-04"), 2, today));
        // A day in the past is locked.
        assert!(is_locked(d("2026-11-23"), 2, today));
        assert!(is_locked(d("2026-11-24"), 2, today));
    }

    #[test]
    fn with_no_lock_days_a_day_can_be_changed_until_the_day_before() {
        assert_eq!(lock_date(d("2026-11-25"), 0), d("2026-11-24"));
        assert!(!is_locked(d("2026-11-25"), 0, d("2026-11-24")));
        assert!(is_locked(d("2026-11-25"), 0, d("2026-11-25")));
    }

    #[test]
    fn holidays_move_the_lock_earlier() {
        // Tuesday 7 April 2026: two working days before are 1–2 April (Easter in between), so
        // the last day to change it is 31 March.
        assert_eq!(lock_date(d("2026-04-07"), 2), d("2026-03-31"));
    }

    #[test]
    fn times_of_day() {
        assert_eq!(
            parse_time_of_day("07:30"),
            NaiveTime::from_hms_opt(7, 30, 0)
        );
        assert_eq!(parse_time_of_day("00:00"), NaiveTime::from_hms_opt(0, 0, 0));
        assert_eq!(
            parse_time_of_day("23:59"),
            NaiveTime::from_hms_opt(23, 59, 0)
        );
        for bad in [
            "", "7:30", "07.30", "24:00", "12:60", "ab:cd", "07:30:00", "+7:30", "０7:30",
        ] {
            assert_eq!(parse_time_of_day(bad), None, "{bad}");
        }
        assert_eq!(
            format_time_of_day(NaiveTime::from_hms_opt(6, 5, 59).unwrap()),
            "06:05"
        );
    }

    #[test]
    fn week_starts_on_monday() {
        assert_eq!(week_start(d("2026-11-24")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-23")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-29")), d("2026-11-23"));
    }
}
