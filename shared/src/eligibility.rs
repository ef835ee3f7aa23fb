//! Who may have a place in which kind of childcare, judged on the day the place would start.
//! The application form checks it before sending, the server refuses an application or an offer
//! that breaks it (DOMAIN.md, "School forms and ages"; skollagen 8, 14 and 25 kap.).
//!
//! - **Age** is counted in whole years from the birth date (the personnummer's). A child born on
//!   29 February has a birthday on 1 March in other years (the day after 28 February), so a
//!   child is never older on paper than in days.
//! - **Förskoleklass** starts with the autumn term of the year the child turns 6. Municipalities
//!   start the term on different days in August; the rule uses 1 August
//!   ([`AUTUMN_TERM_STARTS`]), so that the summer before förskoleklass belongs to fritidshem, as
//!   most municipalities arrange it.
//! - **Förskola** from the first birthday until förskoleklass. A guardian may apply before the
//!   child turns 1 (most do, during parental leave, and the four-month offer period runs from
//!   the application): what counts is that the wished start is on or after the first birthday.
//! - **Fritidshem** from förskoleklass until the spring term ends (30 June,
//!   [`SPRING_TERM_ENDS`]) of the year the child turns 13.
//! - **Pedagogisk omsorg** is offered *instead of* förskola or fritidshem (skollagen 25 kap.
//!   2 §), so its range is the two together: from the first birthday until the spring term ends
//!   the year the child turns 13. We do not split it by förskoleklass: a familjedaghem takes
//!   children of mixed ages, and the municipality decides the group, not the age rule.
//!
//! Only the start is judged: a place that started in time runs on until the guardian or the
//! municipality ends it (a preschool place is ended when förskoleklass begins).

use chrono::{Datelike, NaiveDate};

use crate::api::ChildcareUnitKind;

/// (month, day) the autumn term, and so förskoleklass, starts.
pub const AUTUMN_TERM_STARTS: (u32, u32) = (8, 1);
/// (month, day) the spring term ends.
pub const SPRING_TERM_ENDS: (u32, u32) = (6, 30);
/// The age förskoleklass starts (the autumn term of the year the child turns this).
pub const SCHOOL_START_AGE: i32 = 6;
/// Fritidshem runs until the spring term of the year the child turns this.
pub const FRITIDSHEM_LAST_YEAR_AGE: i32 = 13;

/// Why a child cannot have a place of this kind from that day. Each names the day the rule
/// turns, so the explanation can say what would work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    /// Förskola and pedagogisk omsorg start at the first birthday.
    #[error("Barnet fyller 1 år {first_birthday}. En plats kan börja tidigast den dagen.")]
    TooYoung { first_birthday: NaiveDate },
    /// Förskola ends when förskoleklass begins.
    #[error(
        "Förskola är för barn som inte har börjat förskoleklass. Barnet börjar förskoleklass {school_starts}; välj fritidshem från den dagen, eller ett tidigare startdatum."
    )]
    SchoolStarted { school_starts: NaiveDate },
    /// Fritidshem starts with förskoleklass.
    #[error(
        "Fritidshem är för elever från förskoleklass. Barnet börjar förskoleklass {school_starts}; en plats kan börja tidigast den dagen."
    )]
    BeforeSchool { school_starts: NaiveDate },
    /// Fritidshem and pedagogisk omsorg end with the spring term of the year the child turns 13.
    #[error(
        "Platsen är för barn till och med vårterminen det år de fyller 13 år, och den slutade {last_day}."
    )]
    TooOld { last_day: NaiveDate },
}

impl Ineligible {
    /// The stable code the server answers with and the form's texts are keyed by.
    pub const fn code(self) -> &'static str {
        match self {
            Ineligible::TooYoung { .. } => "not_eligible_too_young",
            Ineligible::SchoolStarted { .. } => "not_eligible_school_started",
            Ineligible::BeforeSchool { .. } => "not_eligible_before_school",
            Ineligible::TooOld { .. } => "not_eligible_too_old",
        }
    }

    /// The day the explanation names.
    pub const fn date(self) -> NaiveDate {
        match self {
            Ineligible::TooYoung { first_birthday } => first_birthday,
            Ineligible::SchoolStarted { school_starts } => school_starts,
            Ineligible::BeforeSchool { school_starts } => school_starts,
            Ineligible::TooOld { last_day } => last_day,
        }
    }
}

/// The child's age in whole years on `on` (0 before the first birthday, and for any day before
/// birth).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The day the child turns `years`; a 29 February birthday falls on 1 March in other years.
pub fn birthday(birth: NaiveDate, years: i32) -> NaiveDate {
    let year = birth.year().saturating_add(years);
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(NaiveDate::MAX)
}

/// The first day of förskoleklass: the autumn term of the year the child turns 6.
pub fn school_starts(birth: NaiveDate) -> NaiveDate {
    let (month, day) = AUTUMN_TERM_STARTS;
    NaiveDate::from_ymd_opt(birth.year().saturating_add(SCHOOL_START_AGE), month, day)
        .unwrap_or(NaiveDate::MAX)
}

/// The last day of the spring term of the year the child turns 13.
pub fn fritidshem_ends(birth: NaiveDate) -> NaiveDate {
    let (month, day) = SPRING_TERM_ENDS;
    NaiveDate::from_ymd_opt(
        birth.year().saturating_add(FRITIDSHEM_LAST_YEAR_AGE),
        month,
        day,
    )
    .unwrap_or(NaiveDate::MAX)
}

/// Whether a child born on `birth` may have a place of `kind` starting on `start`.
pub fn check(
    birth: NaiveDate,
    kind: ChildcareUnitKind,
    start: NaiveDate,
) -> Result<(), Ineligible> {
    let first_birthday = birthday(birth, 1);
    let school = school_starts(birth);
    let last_day = fritidshem_ends(birth);
    let from_first_birthday = || {
        if start < first_birthday {
            Err(Ineligible::TooYoung { first_birthday })
        } else {
            Ok(())
        }
    };
    match kind {
        ChildcareUnitKind::Preschool => {
            from_first_birthday()?;
            if start >= school {
                return Err(Ineligible::SchoolStarted {
                    school_starts: school,
                });
            }
        }
        ChildcareUnitKind::Fritidshem => {
            if start < school {
                return Err(Ineligible::BeforeSchool {
                    school_starts: school,
                });
            }
            if start > last_day {
                return Err(Ineligible::TooOld { last_day });
            }
        }
        ChildcareUnitKind::FamilyDaycare => {
            from_first_birthday()?;
            if start > last_day {
                return Err(Ineligible::TooOld { last_day });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ChildcareUnitKind::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn age_in_whole_years() {
        let birth = d("2020-03-15");
        assert_eq!(age_on(birth, d("2021-03-14")), 0);
        assert_eq!(age_on(birth, d("2021-03-15")), 1);
        assert_eq!(age_on(birth, d("2026-11-24")), 6);
        assert_eq!(age_on(birth, d("2019-01-01")), 0, "before birth");
        // 29 February: a year older on 1 March in other years.
        let leap = d("2024-02-29");
        assert_eq!(age_on(leap, d("2025-02-28")), 0);
        assert_eq!(age_on(leap, d("2025-03-01")), 1);
        assert_eq!(birthday(leap, 1), d("2025-03-01"));
        assert_eq!(birthday(leap, 4), d("2028-02-29"));
    }

    #[test]
    fn preschool_from_the_first_birthday() {
        let birth = d("2025-12-10");
        assert_eq!(
            check(birth, Preschool, d("2026-12-09")),
            Err(Ineligible::TooYoung {
                first_birthday: d("2026-12-10")
            })
        );
        assert_eq!(check(birth, Preschool, d("2026-12-10")), Ok(()));
        // Applying before the first birthday is fine: only the start counts.
        assert_eq!(check(birth, Preschool, d("2027-01-04")), Ok(()));
    }

    #[test]
    fn preschool_until_forskoleklass_the_autumn_the_child_turns_6() {
        // Turns 6 in December 2026: förskoleklass from 1 August 2026.
        let birth = d("2020-12-31");
        assert_eq!(check(birth, Preschool, d("2026-07-31")), Ok(()));
        assert_eq!(
            check(birth, Preschool, d("2026-08-01")),
            Err(Ineligible::SchoolStarted {
                school_starts: d("2026-08-01")
            })
        );
        // Born on New Year's day: the same autumn, though a year older in days.
        assert_eq!(school_starts(d("2020-01-01")), d("2026-08-01"));
    }

    #[test]
    fn an_eleven_year_old_in_year_5_is_not_a_preschool_child() {
        let birth = d("2015-05-20");
        assert!(matches!(
            check(birth, Preschool, d("2026-12-01")),
            Err(Ineligible::SchoolStarted { .. })
        ));
        assert_eq!(check(birth, Fritidshem, d("2026-12-01")), Ok(()));
    }

    #[test]
    fn fritidshem_from_forskoleklass_to_the_spring_term_of_the_year_of_13() {
        let birth = d("2014-09-01");
        assert_eq!(
            check(birth, Fritidshem, d("2020-07-31")),
            Err(Ineligible::BeforeSchool {
                school_starts: d("2020-08-01")
            })
        );
        assert_eq!(check(birth, Fritidshem, d("2020-08-01")), Ok(()));
        assert_eq!(check(birth, Fritidshem, d("2027-06-30")), Ok(()));
        assert_eq!(
            check(birth, Fritidshem, d("2027-07-01")),
            Err(Ineligible::TooOld {
                last_day: d("2027-06-30")
            })
        );
    }

    #[test]
    fn pedagogisk_omsorg_from_1_to_the_spring_term_of_the_year_of_13() {
        let birth = d("2014-09-01");
        assert!(matches!(
            check(birth, FamilyDaycare, d("2015-08-31")),
            Err(Ineligible::TooYoung { .. })
        ));
        assert_eq!(check(birth, FamilyDaycare, d("2015-09-01")), Ok(()));
        // Across förskoleklass: no break.
        assert_eq!(check(birth, FamilyDaycare, d("2020-08-01")), Ok(()));
        assert_eq!(check(birth, FamilyDaycare, d("2027-06-30")), Ok(()));
        assert!(matches!(
            check(birth, FamilyDaycare, d("2027-07-01")),
            Err(Ineligible::TooOld { .. })
        ));
    }

    #[test]
    fn every_refusal_has_a_code_and_a_swedish_text_naming_the_day() {
        let cases = [
            Ineligible::TooYoung {
                first_birthday: d("2027-01-02"),
            },
            Ineligible::SchoolStarted {
                school_starts: d("2027-01-02"),
            },
            Ineligible::BeforeSchool {
                school_starts: d("2027-01-02"),
            },
            Ineligible::TooOld {
                last_day: d("2027-01-02"),
            },
        ];
        for case in cases {
            assert!(case.code().starts_with("not_eligible_"));
            assert!(case.to_string().contains("2027-01-02"), "{case}");
            assert_eq!(case.date(), d("2027-01-02"));
        }
    }
}
