//! Retention (gallring): how long each kind of record is kept, and the one rule for when a record
//! is due. The periods are the municipality's setting; the defaults are the Luleå plan's
//! (absence reports and check-in/out data three years, talk material, IUP and plans one and a
//! half years after the placement ends, grading material and support measures three and a half
//! years), with a grace period for what goes "when no longer current" and the access log's own
//! period.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The periods a municipality keeps records for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[serde(default)]
pub struct RetentionPeriods {
    /// Absence reports and attendance (check-in/out): months after the day they are about,
    /// 12–120.
    pub absence_months: u32,
    /// Talk material, IUP goals and assessments: months after the pupil's last enrolment
    /// ended, 0–120.
    pub talk_material_months: u32,
    /// Grading material and support measures: months after they were set, 12–120.
    pub grading_months: u32,
    /// Accounts, schedules and pick-up persons: days after the placement or enrolment ended,
    /// 0–365.
    pub inactive_grace_days: u32,
    /// The access log: months after the access, 6–120.
    pub access_log_months: u32,
}

impl Default for RetentionPeriods {
    fn default() -> Self {
        Self {
            absence_months: 36,
            talk_material_months: 18,
            grading_months: 42,
            inactive_grace_days: 90,
            // Long enough for a guardian to ask who read the child's data over two school years.
            access_log_months: 24,
        }
    }
}

/// A period outside what retention can mean, by its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field}: between {low} and {high}")]
pub struct PeriodOutOfRange {
    pub field: &'static str,
    pub low: u32,
    pub high: u32,
}

impl RetentionPeriods {
    /// Whether every period is within its bounds.
    pub fn check(&self) -> Result<(), PeriodOutOfRange> {
        let bounds = [
            ("absence_months", self.absence_months, 12, 120),
            ("talk_material_months", self.talk_material_months, 0, 120),
            ("grading_months", self.grading_months, 12, 120),
            ("inactive_grace_days", self.inactive_grace_days, 0, 365),
            ("access_log_months", self.access_log_months, 6, 120),
        ];
        for (field, value, low, high) in bounds {
            if !(low..=high).contains(&value) {
                return Err(PeriodOutOfRange { field, low, high });
            }
        }
        Ok(())
    }
}

/// The first day still kept on `today` for records kept `months`: a record about an earlier
/// day is due. A record about day D is kept through D + `months` (the end of a shorter month
/// when D's day is not in it) and due from the day after, so that "three years" keeps it three
/// whole years and not a day less. Found from `today − months`, then moved over the few days
/// that month ends make uneven.
pub fn kept_from(today: NaiveDate, months: u32) -> NaiveDate {
    let kept_until = |day: NaiveDate| {
        day.checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX)
    };
    let mut first = today
        .checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN);
    while kept_until(first) < today {
        match first.succ_opt() {
            Some(next) => first = next,
            None => break,
        }
    }
    while let Some(before) = first.pred_opt().filter(|d| kept_until(*d) >= today) {
        first = before;
    }
    first
}

/// Whether a record about `day`, kept `months`, is due on `today`.
pub fn is_due(day: NaiveDate, months: u32, today: NaiveDate) -> bool {
    day < kept_from(today, months)
}

/// The first day still current for what goes "when no longer current": a placement or
/// enrolment that ended before it is past its grace period.
pub fn current_from(today: NaiveDate, grace_days: u32) -> NaiveDate {
    today
        .checked_sub_days(chrono::Days::new(u64::from(grace_days)))
        .unwrap_or(NaiveDate::MIN)
}

/// The term a day belongs to for the statistics: the autumn term (`HT`) from August, the spring
/// term (`VT`) to July, so that every day of the year falls in exactly one.
pub fn term_of(day: NaiveDate) -> String {
    use chrono::Datelike;
    let half = if day.month() >= 8 { "HT" } else { "VT" };
    format!("{half}{}", day.year())
}

/// The SHA-256 a city archive's receipt quotes for a package's `sip.xml`, as lower-case hex,
/// read the way a receipt may print it: any case, with spaces or colons between groups. `None`
/// when it is not 64 hexadecimal digits.
pub fn receipt_checksum(text: &str) -> Option<String> {
    let hex: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(hex)
}

/// The same rule stated directly, for the tests: due once `today` is past `day + months`.
#[cfg(test)]
fn is_due_directly(day: NaiveDate, months: u32, today: NaiveDate) -> bool {
    day.checked_add_months(Months::new(months))
        .is_some_and(|kept_until| kept_until < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_record_goes_the_day_after_its_period_and_not_a_day_before() {
        assert!(!is_due(d("2026-11-25"), 36, d("2029-11-25")));
        assert!(is_due(d("2026-11-25"), 36, d("2029-11-26")));
        // One and a half years.
        assert!(!is_due(d("2027-06-30"), 18, d("2028-12-30")));
        assert!(is_due(d("2027-06-30"), 18, d("2028-12-31")));
        // The end of a month: 31 August plus six months is the end of February.
        assert!(!is_due(d("2026-08-31"), 6, d("2027-02-28")));
        assert!(is_due(d("2026-08-31"), 6, d("2027-03-01")));
    }

    #[test]
    fn the_boundary_agrees_with_the_rule_on_every_day_of_two_years() {
        for months in [1, 6, 18, 36, 42] {
            let mut today = d("2027-01-01");
            while today < d("2029-01-01") {
                let mut day = today - chrono::Days::new(40 + 31 * u64::from(months));
                while day < today {
                    assert_eq!(
                        is_due(day, months, today),
                        is_due_directly(day, months, today),
                        "{day} kept {months} months, on {today}"
                    );
                    day = day + chrono::Days::new(1);
                }
                today = today + chrono::Days::new(1);
            }
        }
    }

    #[test]
    fn the_lulea_periods_are_the_defaults_and_within_bounds() {
        let p = RetentionPeriods::default();
        assert_eq!(
            (p.absence_months, p.talk_material_months, p.grading_months),
            (36, 18, 42)
        );
        assert_eq!(p.check(), Ok(()));
        let short = RetentionPeriods {
            absence_months: 6,
            ..p
        };
        assert_eq!(short.check().map_err(|e| e.field), Err("absence_months"));
    }

    #[test]
    fn every_day_falls_in_one_term() {
        assert_eq!(term_of(d("2026-07-31")), "VT2026");
        assert_eq!(term_of(d("2026-08-01")), "HT2026");
        assert_eq!(term_of(d("2026-12-31")), "HT2026");
        assert_eq!(term_of(d("2027-01-01")), "VT2027");
    }

    #[test]
    fn the_grace_period_counts_whole_days() {
        assert_eq!(current_from(d("2026-12-06"), 90), d("2026-09-07"));
        assert_eq!(current_from(d("2026-12-06"), 0), d("2026-12-06"));
    }

    #[test]
    fn a_receipts_checksum_is_read_in_any_case_and_grouping() {
        let hex = "ab".repeat(32);
        assert_eq!(receipt_checksum(&hex).as_deref(), Some(hex.as_str()));
        let grouped = "AB AB:ab\tab ".to_owned() + &"ab".repeat(28);
        assert_eq!(receipt_checksum(&grouped).as_deref(), Some(hex.as_str()));
        assert_eq!(receipt_checksum(&"ab".repeat(31)), None);
        assert_eq!(receipt_checksum(&("ab".repeat(31) + "zz")), None);
        assert_eq!(receipt_checksum(&("ab".repeat(32) + "a")), None);
        assert_eq!(receipt_checksum(""), None);
    }
}
