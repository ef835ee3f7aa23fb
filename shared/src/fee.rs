//! The childcare fee (maxtaxa): what a household pays per month for each child with a place in
//! förskola, pedagogisk omsorg or fritidshem.
//!
//! The rule lives here, in `shared`, so that the guardian's form previews the fee with the very
//! function the backend decides with; a preview that disagrees with the invoice would be worse than
//! none.
//!
//! The fee for one child is a percentage of the household's gross monthly income:
//!
//! ```text
//! fee base = min(max(income − disregarded income, 0), max fee base)
//! fee      = rate(care type, child order) × fee base × allmän förskola factor
//! ```
//!
//! rounded half up to whole kronor, once, at the very end. The state changes the ceiling every year
//! and the structure of the rule from 1 July 2026 (the first 10 000 kr disregarded), so every number
//! is a dated setting ([`FeePeriod`]) and nothing here is a constant; the month's fee uses the period
//! in force on the first day of that month.
//!
//! All arithmetic is in integers (kronor, basis points and exact fractions) so that 3 % of 56 250 is
//! exactly 1 687.5 and rounds to 1 688, as the state publishes it, and so that the wasm preview and the
//! server can never disagree by a float rounding.

use std::cmp::Reverse;
use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// 100 % in basis points: rates and percentages below are hundredths of a percent, so that 3 % is
/// `300` and a municipality can still set 2.5 % (`250`) without floats.
pub const FULL_PERCENT_BP: u32 = 10_000;

/// Weeks per year and months per year: the conversion from weekly to monthly hours that
/// [`AllmanForskolaRule::HoursPerMonthDeducted`] uses (a month has 52/12 weeks).
const WEEKS_PER_YEAR: u128 = 52;
const MONTHS_PER_YEAR: u128 = 12;

/// The kind of place a child has. Pedagogisk omsorg (family daycare) is a care type of its own in the
/// registers, but the fee law treats it as förskola: same rates, and allmän förskola applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum CareType {
    /// Förskola.
    Preschool,
    /// Pedagogisk omsorg (familjedaghem): charged as förskola.
    FamilyDaycare,
    /// Fritidshem (school-age care).
    Fritidshem,
}

impl CareType {
    /// Whether the förskola rates and the allmän förskola reduction apply.
    pub fn is_preschool_like(self) -> bool {
        matches!(self, Self::Preschool | Self::FamilyDaycare)
    }
}

/// How a municipality turns allmän förskola (the fee may only cover time beyond 525 hours a year,
/// from the autumn term of the year the child turns 3) into a fee reduction. The law leaves the method
/// to the municipality, and the methods in use fall into these few kinds, so the kind is a setting an
/// officer picks rather than code per municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "AllmanForskolaRuleOnWire"
)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Union))]
#[cfg_attr(
    feature = "openapi",
    oai(discriminator_name = "kind", rename_all = "snake_case", one_of)
)]
pub enum AllmanForskolaRule {
    /// A fixed share off in the listed calendar months (for example 25 % September–May), the
    /// commonest method because it needs no hours.
    PercentOff(AllmanForskolaPercentOff),
    /// A number of hours a week free: the fee is charged only for the hours beyond them,
    /// `fee × max(0, weekly hours − free) / weekly hours`.
    FreeHoursPerWeek(AllmanForskolaFreeHours),
    /// A number of hours a month deducted from the placement's monthly hours (weekly × 52 / 12):
    /// `fee × max(0, monthly hours − deducted) / monthly hours`.
    HoursPerMonthDeducted(AllmanForskolaHoursDeducted),
}

/// An [`AllmanForskolaRule`] as it is read: the `kind` and the fields of every kind side by side.
/// The JSON is the same as the internally tagged derive's, but that derive first buffers the whole
/// object in serde's generic `Content` tree, whose code costs the wasm client 4 KB of brotli.
/// Fields of other kinds are ignored, as the tagged derive ignores unknown fields.
#[derive(Deserialize)]
struct AllmanForskolaRuleOnWire {
    kind: AllmanForskolaKind,
    percent_off_bp: Option<u32>,
    months: Option<Vec<u8>>,
    hours: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AllmanForskolaKind {
    PercentOff,
    FreeHoursPerWeek,
    HoursPerMonthDeducted,
}

impl TryFrom<AllmanForskolaRuleOnWire> for AllmanForskolaRule {
    type Error = &'static str;

    fn try_from(wire: AllmanForskolaRuleOnWire) -> Result<Self, Self::Error> {
        let hours = wire.hours.ok_or("missing field `hours`");
        Ok(match wire.kind {
            AllmanForskolaKind::PercentOff => Self::PercentOff(AllmanForskolaPercentOff {
                percent_off_bp: wire
                    .percent_off_bp
                    .ok_or("missing field `percent_off_bp`")?,
                months: wire.months.ok_or("missing field `months`")?,
            }),
            AllmanForskolaKind::FreeHoursPerWeek => {
                Self::FreeHoursPerWeek(AllmanForskolaFreeHours { hours: hours? })
            }
            AllmanForskolaKind::HoursPerMonthDeducted => {
                Self::HoursPerMonthDeducted(AllmanForskolaHoursDeducted { hours: hours? })
            }
        })
    }
}

/// Settings of [`AllmanForskolaRule::PercentOff`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AllmanForskolaPercentOff {
    /// Share off, in basis points (2 500 = 25 %).
    pub percent_off_bp: u32,
    /// Calendar months (1 = January … 12 = December) in which the reduction applies; typically the
    /// school year without the summer, September–May.
    pub months: Vec<u8>,
}

/// Settings of [`AllmanForskolaRule::FreeHoursPerWeek`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AllmanForskolaFreeHours {
    /// Free hours per week (15 = the 525 hours a year spread over the school year's weeks).
    pub hours: u32,
}

/// Settings of [`AllmanForskolaRule::HoursPerMonthDeducted`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct AllmanForskolaHoursDeducted {
    /// Hours deducted per month.
    pub hours: u32,
}

impl AllmanForskolaRule {
    /// `percent_off_bp` off in the given calendar months.
    pub fn percent_off(percent_off_bp: u32, months: impl IntoIterator<Item = u8>) -> Self {
        Self::PercentOff(AllmanForskolaPercentOff {
            percent_off_bp,
            months: months.into_iter().collect(),
        })
    }

    /// `hours` free per week.
    pub fn free_hours_per_week(hours: u32) -> Self {
        Self::FreeHoursPerWeek(AllmanForskolaFreeHours { hours })
    }

    /// `hours` deducted per month.
    pub fn hours_per_month_deducted(hours: u32) -> Self {
        Self::HoursPerMonthDeducted(AllmanForskolaHoursDeducted { hours })
    }

    /// The share of the fee still charged, as an exact fraction `≤ 1`.
    fn remaining_share(&self, month: NaiveDate, hours_per_week: u32) -> Fraction {
        match self {
            Self::PercentOff(rule) => {
                let in_months = rule
                    .months
                    .iter()
                    .any(|&listed| u32::from(listed) == month.month());
                if in_months {
                    let off = rule.percent_off_bp.min(FULL_PERCENT_BP);
                    Fraction::new(
                        u128::from(FULL_PERCENT_BP - off),
                        u128::from(FULL_PERCENT_BP),
                    )
                } else {
                    Fraction::ONE
                }
            }
            // A placement of 0 hours a week lies entirely within the free hours: nothing to charge
            // (and no division by zero).
            Self::FreeHoursPerWeek(rule) => Fraction::new(
                u128::from(hours_per_week.saturating_sub(rule.hours)),
                u128::from(hours_per_week),
            ),
            // In whole numbers: (w·52/12 − d) / (w·52/12) = (52·w − 12·d) / (52·w).
            Self::HoursPerMonthDeducted(rule) => {
                let weekly_times_52 = u128::from(hours_per_week) * WEEKS_PER_YEAR;
                let deducted_times_12 = u128::from(rule.hours) * MONTHS_PER_YEAR;
                Fraction::new(
                    weekly_times_52.saturating_sub(deducted_times_12),
                    weekly_times_52,
                )
            }
        }
    }

    fn validate(&self, valid_from: NaiveDate) -> Result<(), FeeSettingsError> {
        if let Self::PercentOff(rule) = self {
            if rule.percent_off_bp > FULL_PERCENT_BP {
                return Err(FeeSettingsError::PercentOffAbove100 { valid_from });
            }
            if let Some(&month) = rule.months.iter().find(|m| !(1..=12).contains(*m)) {
                return Err(FeeSettingsError::InvalidMonth { valid_from, month });
            }
        }
        Ok(())
    }
}

/// The fee rules in force from one date until the next period starts.
///
/// Checked only as part of a [`FeeSettings`] (see [`FeeSettings::new`]); a lone period is just the
/// form an officer fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FeePeriod {
    /// First day the period applies; must be the first of a month, because a month's fee uses the
    /// period in force on its first day.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub valid_from: NaiveDate,
    /// The highest fee base, kr/month: the income ceiling (inkomsttak) until June 2026, the highest
    /// fee base after the disregarded income (högsta avgiftsunderlag) from July 2026. The cap of each
    /// fee is its rate times this amount.
    pub max_fee_base: u32,
    /// Monthly income disregarded before the rate applies, kr (0 before July 2026, then 10 000).
    pub disregarded_income: u32,
    /// Förskola and pedagogisk omsorg rates for child 1, 2 and 3 in basis points (300 = 3 %);
    /// child 4 and later pay nothing.
    pub preschool_rates_bp: [u32; 3],
    /// Fritidshem rates for child 1, 2 and 3 in basis points; child 4 and later pay nothing.
    pub fritidshem_rates_bp: [u32; 3],
    /// How the municipality reduces the fee for allmän förskola.
    pub allman_forskola: AllmanForskolaRule,
}

impl FeePeriod {
    /// The rate for a child of the given care type at the given 1-based order; 0 from child 4.
    pub fn rate_bp(&self, care: CareType, order: u32) -> u32 {
        let rates = if care.is_preschool_like() {
            &self.preschool_rates_bp
        } else {
            &self.fritidshem_rates_bp
        };
        usize::try_from(order)
            .ok()
            .and_then(|order| order.checked_sub(1))
            .and_then(|index| rates.get(index))
            .copied()
            .unwrap_or(0)
    }

    /// The income the rates apply to: income minus the disregarded amount, at most
    /// [`max_fee_base`](Self::max_fee_base). No income statement counts as an income at or above
    /// the ceiling, which is what the law means by "the maximum fee".
    pub fn fee_base(&self, monthly_income: Option<u32>) -> u32 {
        match monthly_income {
            Some(income) => income
                .saturating_sub(self.disregarded_income)
                .min(self.max_fee_base),
            None => self.max_fee_base,
        }
    }

    /// The highest fee for a child of the given care type and order, whole kronor (for example 1 688
    /// for förskola child 1 in 2024).
    pub fn cap(&self, care: CareType, order: u32) -> u32 {
        round_half_up(
            u128::from(self.max_fee_base) * u128::from(self.rate_bp(care, order)),
            u128::from(FULL_PERCENT_BP),
        )
    }

    fn validate(&self) -> Result<(), FeeSettingsError> {
        let valid_from = self.valid_from;
        if valid_from.day() != 1 {
            return Err(FeeSettingsError::NotFirstOfMonth { valid_from });
        }
        let rates = self
            .preschool_rates_bp
            .iter()
            .chain(self.fritidshem_rates_bp.iter());
        if rates.into_iter().any(|&rate| rate > FULL_PERCENT_BP) {
            return Err(FeeSettingsError::RateAbove100 { valid_from });
        }
        self.allman_forskola.validate(valid_from)
    }
}

/// A municipality's fee rules over time: a non-empty list of [`FeePeriod`]s with distinct start
/// dates, kept sorted. Built only through [`FeeSettings::new`] (also when deserialized), so that a
/// calculation never meets a period with a rate above 100 % or two periods starting the same day.
///
/// On the wire it is the plain list of periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<FeePeriod>", into = "Vec<FeePeriod>")]
pub struct FeeSettings {
    periods: Vec<FeePeriod>,
}

/// Why a list of fee periods was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeSettingsError {
    /// Without any period no fee can be computed.
    #[error("the fee settings need at least one period")]
    Empty,
    /// Two periods start on the same day, so which one applies would be arbitrary.
    #[error("two fee periods start on {valid_from}")]
    DuplicateValidFrom { valid_from: NaiveDate },
    /// Fees are per month and use the period in force on the first day of the month.
    #[error("the fee period starting {valid_from} must start on the first day of a month")]
    NotFirstOfMonth { valid_from: NaiveDate },
    /// A rate above 100 % of the income.
    #[error("the fee period starting {valid_from} has a rate above 100 %")]
    RateAbove100 { valid_from: NaiveDate },
    /// An allmän förskola reduction above 100 % would make the fee negative.
    #[error("the fee period starting {valid_from} takes more than 100 % off for allmän förskola")]
    PercentOffAbove100 { valid_from: NaiveDate },
    /// A month number outside 1–12 in the allmän förskola months.
    #[error("the fee period starting {valid_from} lists month {month}, which is not 1–12")]
    InvalidMonth { valid_from: NaiveDate, month: u8 },
}

impl FeeSettings {
    /// Checks the periods and sorts them by start date (the order given does not matter).
    pub fn new(mut periods: Vec<FeePeriod>) -> Result<Self, FeeSettingsError> {
        if periods.is_empty() {
            return Err(FeeSettingsError::Empty);
        }
        periods.iter().try_for_each(FeePeriod::validate)?;
        periods.sort_by_key(|period| period.valid_from);
        if let Some(pair) = periods
            .windows(2)
            .find(|pair| matches!(pair, [a, b] if a.valid_from == b.valid_from))
        {
            let valid_from = pair.first().map_or(NaiveDate::MIN, |p| p.valid_from);
            return Err(FeeSettingsError::DuplicateValidFrom { valid_from });
        }
        Ok(Self { periods })
    }

    /// The state's maxtaxa as known when this was written, with 25 % off September–May for allmän
    /// förskola. A starting point for a municipality's own settings, not a source of truth: the
    /// officer confirms each year's figures.
    ///
    /// - from 2024-01-01: income ceiling 56 250 kr;
    /// - from 2025-01-01: 59 440 kr, as one municipality shows it, **not confirmed** from the state's
    ///   own figures; it also stays in force for January–June 2026 until a 2026 ceiling is added;
    /// - from 2026-07-01: the first 10 000 kr disregarded and a highest fee base of 51 560 kr
    ///   (**preliminary**).
    ///
    /// Rates throughout: förskola 3 / 2 / 1 %, fritidshem 2 / 1 / 1 %.
    pub fn swedish_defaults() -> Self {
        let allman_forskola =
            AllmanForskolaRule::percent_off(2_500, [9, 10, 11, 12, 1, 2, 3, 4, 5]);
        let period =
            |valid_from: NaiveDate, max_fee_base: u32, disregarded_income: u32| FeePeriod {
                valid_from,
                max_fee_base,
                disregarded_income,
                preschool_rates_bp: [300, 200, 100],
                fritidshem_rates_bp: [200, 100, 100],
                allman_forskola: allman_forskola.clone(),
            };
        let dates = [(2024, 1), (2025, 1), (2026, 7)]
            .map(|(year, month)| NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN));
        let [from_2024, from_2025, from_2026_07] = dates;
        Self {
            periods: vec![
                period(from_2024, 56_250, 0),
                period(from_2025, 59_440, 0),
                period(from_2026_07, 51_560, 10_000),
            ],
        }
    }

    /// The periods, sorted by start date.
    pub fn periods(&self) -> &[FeePeriod] {
        &self.periods
    }

    /// The period in force on the first day of `month` (any day of the month may be passed), or
    /// `None` when the month lies before the first period.
    pub fn in_force(&self, month: NaiveDate) -> Option<&FeePeriod> {
        let first = first_of_month(month);
        self.periods
            .iter()
            .rev()
            .find(|period| period.valid_from <= first)
    }
}

/// How a municipality's fee period would charge more than the state's maxtaxa allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MaxtaxaBreach {
    /// No maxtaxa is known for the period's start: a period before the first one.
    #[error("no maxtaxa is known for {valid_from}")]
    Unknown { valid_from: NaiveDate },
    /// A rate above the state's for that care and child (1-based).
    #[error("a rate above the maxtaxa for child {order}")]
    Rate { fritidshem: bool, order: u32 },
    /// The highest fee base above the state's.
    #[error("a highest fee base above the maxtaxa")]
    FeeBase,
    /// Less income disregarded than the state disregards.
    #[error("less income disregarded than the maxtaxa")]
    DisregardedIncome,
}

/// Whether `period` charges no family more than `state` (the maxtaxa in force when the period
/// starts) allows: each rate at most the state's, the highest fee base at most the state's, and
/// at least the income the state disregards. A municipality may always charge less.
pub fn check_within_maxtaxa(period: &FeePeriod, state: &FeeSettings) -> Result<(), MaxtaxaBreach> {
    let limit = state
        .in_force(period.valid_from)
        .ok_or(MaxtaxaBreach::Unknown {
            valid_from: period.valid_from,
        })?;
    for (fritidshem, ours, theirs) in [
        (false, &period.preschool_rates_bp, &limit.preschool_rates_bp),
        (
            true,
            &period.fritidshem_rates_bp,
            &limit.fritidshem_rates_bp,
        ),
    ] {
        for (index, (ours, theirs)) in ours.iter().zip(theirs.iter()).enumerate() {
            if ours > theirs {
                return Err(MaxtaxaBreach::Rate {
                    fritidshem,
                    order: u32::try_from(index).unwrap_or(0) + 1,
                });
            }
        }
    }
    if period.max_fee_base > limit.max_fee_base {
        return Err(MaxtaxaBreach::FeeBase);
    }
    if period.disregarded_income < limit.disregarded_income {
        return Err(MaxtaxaBreach::DisregardedIncome);
    }
    Ok(())
}

impl TryFrom<Vec<FeePeriod>> for FeeSettings {
    type Error = FeeSettingsError;

    fn try_from(periods: Vec<FeePeriod>) -> Result<Self, Self::Error> {
        Self::new(periods)
    }
}

impl From<FeeSettings> for Vec<FeePeriod> {
    fn from(settings: FeeSettings) -> Self {
        settings.periods
    }
}

/// The household the fee is computed for: the guardian and a spouse or partner at the child's
/// registered address, and every child of theirs with a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct Household {
    /// Gross monthly income of the household, kr. `None` when there is no income statement or the
    /// guardians accept the maximum fee: both mean the maximum fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub monthly_income: Option<u32>,
    /// Every child of the household with a place in förskola, pedagogisk omsorg or fritidshem
    /// during the month, in any order.
    pub children: Vec<ChildPlacement>,
}

/// One child's place, as far as the fee needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildPlacement {
    pub child_id: Uuid,
    /// Orders the siblings (youngest is child 1) and decides allmän förskola.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub birth_date: NaiveDate,
    pub care: CareType,
    /// Placement hours per week; only the hour-based allmän förskola rules use them.
    pub hours_per_week: u32,
}

/// The household's fees for one month, child by child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct FeeBreakdown {
    /// First day of the month the fees are for.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub month: NaiveDate,
    /// Start of the settings period used, so an invoice can name the ceiling it used.
    #[serde(deserialize_with = "crate::wire_date::date")]
    pub period_valid_from: NaiveDate,
    /// The income the rates were applied to, kr: after the disregarded amount and the ceiling.
    pub fee_base: u32,
    /// One entry per child, in child order (youngest first).
    pub children: Vec<ChildFee>,
    /// Sum of the children's fees, kr.
    pub total: u32,
}

/// One child's fee for the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildFee {
    pub child_id: Uuid,
    /// 1 for the youngest child with a place, 2 for the next youngest, …
    pub order: u32,
    pub care: CareType,
    /// The rate applied, basis points (300 = 3 %); 0 from child 4.
    pub rate_bp: u32,
    /// Whether the child is of allmän förskola age in förskola or pedagogisk omsorg this month (the
    /// reduction may still be 0, for example in a summer month under a September–May rule).
    pub allman_forskola: bool,
    /// The fee before the allmän förskola reduction, whole kr.
    pub base_fee: u32,
    /// The allmän förskola reduction, whole kr; `base_fee − reduction = fee`.
    pub reduction: u32,
    /// The fee charged, whole kr.
    pub fee: u32,
}

/// Why no fee could be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    /// The month lies before the first settings period.
    #[error("no fee settings are in force for {month}")]
    NoPeriodInForce { month: NaiveDate },
    /// The same child twice would count as two siblings and shift everyone's order.
    #[error("child {child_id} is listed twice in the household")]
    DuplicateChild { child_id: Uuid },
}

/// The household's fees for the month containing `month` (any day of it), with the settings in force
/// on the month's first day.
///
/// Children are ordered youngest first (latest birth date is child 1), ties broken by `child_id` so
/// the result does not depend on the order they were given in. Each child's fee is rounded half up to
/// whole kronor once, after the allmän förskola reduction.
pub fn monthly_fees(
    settings: &FeeSettings,
    month: NaiveDate,
    household: &Household,
) -> Result<FeeBreakdown, FeeError> {
    let month = first_of_month(month);
    let period = settings
        .in_force(month)
        .ok_or(FeeError::NoPeriodInForce { month })?;

    let mut seen = HashSet::with_capacity(household.children.len());
    if let Some(duplicate) = household
        .children
        .iter()
        .find(|child| !seen.insert(child.child_id))
    {
        return Err(FeeError::DuplicateChild {
            child_id: duplicate.child_id,
        });
    }

    let mut children: Vec<&ChildPlacement> = household.children.iter().collect();
    children.sort_by_key(|child| (Reverse(child.birth_date), child.child_id));

    let fee_base = period.fee_base(household.monthly_income);
    let fees: Vec<ChildFee> = children
        .into_iter()
        .zip(1u32..)
        .map(|(child, order)| child_fee(period, month, fee_base, child, order))
        .collect();
    let total = fees
        .iter()
        .fold(0u32, |sum, child| sum.saturating_add(child.fee));

    Ok(FeeBreakdown {
        month,
        period_valid_from: period.valid_from,
        fee_base,
        children: fees,
        total,
    })
}

fn child_fee(
    period: &FeePeriod,
    month: NaiveDate,
    fee_base: u32,
    child: &ChildPlacement,
    order: u32,
) -> ChildFee {
    let rate_bp = period.rate_bp(child.care, order);
    let allman_forskola =
        child.care.is_preschool_like() && is_allman_forskola_age(child.birth_date, month);
    let share = if allman_forskola {
        period
            .allman_forskola
            .remaining_share(month, child.hours_per_week)
    } else {
        Fraction::ONE
    };

    let exact = u128::from(fee_base) * u128::from(rate_bp);
    let denominator = u128::from(FULL_PERCENT_BP);
    let base_fee = round_half_up(exact, denominator);
    // `share ≤ 1` and rounding is monotone, so the fee never exceeds the base fee.
    let fee = round_half_up(exact * share.numerator, denominator * share.denominator).min(base_fee);

    ChildFee {
        child_id: child.child_id,
        order,
        care: child.care,
        rate_bp,
        allman_forskola,
        base_fee,
        reduction: base_fee - fee,
        fee,
    }
}

/// Allmän förskola runs from August (the autumn term) of the year the child turns 3 until the child
/// starts förskoleklass, in August of the year it turns 6. Compared as month numbers, so the birthday
/// within the year does not matter.
fn is_allman_forskola_age(birth_date: NaiveDate, month: NaiveDate) -> bool {
    const AUGUST0: u32 = 7;
    let month_index = |year: i32, month0: u32| i64::from(year) * 12 + i64::from(month0);
    let now = month_index(month.year(), month.month0());
    let start = month_index(birth_date.year() + 3, AUGUST0);
    let end = month_index(birth_date.year() + 6, AUGUST0);
    (start..end).contains(&now)
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// `numerator / denominator` rounded to the nearest whole number, halves up (1 687.5 → 1 688), as the
/// state rounds the published caps. A zero denominator (nothing to charge for) gives 0.
fn round_half_up(numerator: u128, denominator: u128) -> u32 {
    if denominator == 0 {
        return 0;
    }
    let rounded = (numerator * 2 + denominator) / (denominator * 2);
    u32::try_from(rounded).unwrap_or(u32::MAX)
}

/// An exact non-negative fraction at most 1: the share of a fee that is still charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fraction {
    numerator: u128,
    denominator: u128,
}

impl Fraction {
    const ONE: Self = Self {
        numerator: 1,
        denominator: 1,
    };

    /// `numerator / denominator`, with `0 / 0` read as 0 (nothing to charge) and values above 1
    /// clamped to 1.
    fn new(numerator: u128, denominator: u128) -> Self {
        if denominator == 0 {
            Self {
                numerator: 0,
                denominator: 1,
            }
        } else {
            Self {
                numerator: numerator.min(denominator),
                denominator,
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_period_may_charge_less_than_the_maxtaxa_but_not_more() {
        let state = FeeSettings::swedish_defaults();
        let in_force = |d| state.in_force(d).cloned().unwrap_or_else(|| unreachable!());
        let mut period = in_force(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default());
        period.valid_from = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default();
        assert_eq!(check_within_maxtaxa(&period, &state), Ok(()));
        let mut cheaper = period.clone();
        cheaper.preschool_rates_bp = [250, 150, 50];
        cheaper.max_fee_base -= 1_000;
        cheaper.disregarded_income += 1_000;
        assert_eq!(check_within_maxtaxa(&cheaper, &state), Ok(()));
        let mut dearer = period.clone();
        dearer.fritidshem_rates_bp[1] = 150;
        assert_eq!(
            check_within_maxtaxa(&dearer, &state),
            Err(MaxtaxaBreach::Rate {
                fritidshem: true,
                order: 2
            })
        );
        let mut ceiling = period.clone();
        ceiling.max_fee_base += 1;
        assert_eq!(
            check_within_maxtaxa(&ceiling, &state),
            Err(MaxtaxaBreach::FeeBase)
        );
        let mut counted = period;
        counted.disregarded_income = 0;
        assert_eq!(
            check_within_maxtaxa(&counted, &state),
            Err(MaxtaxaBreach::DisregardedIncome)
        );
    }

    #[test]
    fn allman_forskola_rules_read_back_as_written() {
        let rules = [
            AllmanForskolaRule::percent_off(2_500, [9, 10, 11, 12, 1, 2, 3, 4, 5]),
            AllmanForskolaRule::free_hours_per_week(15),
            AllmanForskolaRule::hours_per_month_deducted(44),
        ];
        for rule in rules {
            let json = serde_json::to_string(&rule).expect("serialises");
            assert!(json.starts_with(r#"{"kind":"#), "{json}");
            let back: AllmanForskolaRule = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, rule);
        }
        let other_kinds_fields = r#"{"hours":15,"months":[1],"kind":"free_hours_per_week"}"#;
        assert_eq!(
            serde_json::from_str::<AllmanForskolaRule>(other_kinds_fields).expect("reads"),
            AllmanForskolaRule::free_hours_per_week(15)
        );
        for bad in [
            r#"{"kind":"percent_off","months":[9]}"#,
            r#"{"kind":"percent_off","percent_off_bp":2500}"#,
            r#"{"kind":"free_hours_per_week"}"#,
            r#"{"kind":"hours_per_month_deducted","hours":"44"}"#,
            r#"{"kind":"no_such_kind","hours":44}"#,
            r#"{"hours":44}"#,
        ] {
            assert!(
                serde_json::from_str::<AllmanForskolaRule>(bad).is_err(),
                "{bad}"
            );
        }
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn child(n: u128, birth_date: NaiveDate, care: CareType) -> ChildPlacement {
        ChildPlacement {
            child_id: id(n),
            birth_date,
            care,
            hours_per_week: 40,
        }
    }

    fn household(income: Option<u32>, children: Vec<ChildPlacement>) -> Household {
        Household {
            monthly_income: income,
            children,
        }
    }

    /// Children born in 2015, 2014, 2013 and 2012, all well outside allmän förskola age in 2024.
    fn siblings(count: u128, care: CareType) -> Vec<ChildPlacement> {
        (0..count)
            .map(|n| child(n, date(2015 - n as i32, 3, 1), care))
            .collect()
    }

    fn fees(settings: &FeeSettings, month: NaiveDate, household: &Household) -> Vec<u32> {
        monthly_fees(settings, month, household)
            .unwrap()
            .children
            .iter()
            .map(|c| c.fee)
            .collect()
    }

    /// Settings with the 2024 figures and the given allmän förskola rule.
    fn settings_2024_with(rule: AllmanForskolaRule) -> FeeSettings {
        let mut period = FeeSettings::swedish_defaults().periods()[0].clone();
        period.allman_forskola = rule;
        FeeSettings::new(vec![period]).unwrap()
    }

    #[test]
    fn preschool_caps_2024_are_1688_1125_563_then_free() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(Some(60_000), siblings(4, CareType::Preschool));
        assert_eq!(
            fees(&settings, date(2024, 3, 1), &h),
            vec![1_688, 1_125, 563, 0]
        );
    }

    #[test]
    fn fritidshem_caps_2024_are_1125_563_563_then_free() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(Some(60_000), siblings(4, CareType::Fritidshem));
        let breakdown = monthly_fees(&settings, date(2024, 3, 1), &h).unwrap();
        let fees: Vec<u32> = breakdown.children.iter().map(|c| c.fee).collect();
        assert_eq!(fees, vec![1_125, 563, 563, 0]);
        assert_eq!(breakdown.total, 2_251);
        assert_eq!(breakdown.fee_base, 56_250);
    }

    #[test]
    fn caps_2024_match_the_published_figures() {
        let settings = FeeSettings::swedish_defaults();
        let period = &settings.periods()[0];
        let preschool: Vec<u32> = (1..=4)
            .map(|o| period.cap(CareType::Preschool, o))
            .collect();
        let fritids: Vec<u32> = (1..=4)
            .map(|o| period.cap(CareType::Fritidshem, o))
            .collect();
        assert_eq!(preschool, vec![1_688, 1_125, 563, 0]);
        assert_eq!(fritids, vec![1_125, 563, 563, 0]);
        assert_eq!(period.cap(CareType::FamilyDaycare, 1), 1_688);
    }

    #[test]
    fn youngest_in_preschool_is_child_one_and_older_fritids_siblings_are_two_and_three() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(
            Some(40_000),
            vec![
                child(1, date(2014, 5, 1), CareType::Fritidshem),
                child(2, date(2022, 1, 10), CareType::Preschool),
                child(3, date(2016, 8, 20), CareType::Fritidshem),
            ],
        );
        let breakdown = monthly_fees(&settings, date(2024, 3, 1), &h).unwrap();
        let summary: Vec<(Uuid, u32, u32, u32)> = breakdown
            .children
            .iter()
            .map(|c| (c.child_id, c.order, c.rate_bp, c.fee))
            .collect();
        assert_eq!(
            summary,
            vec![
                (id(2), 1, 300, 1_200),
                (id(3), 2, 100, 400),
                (id(1), 3, 100, 400),
            ]
        );
        assert_eq!(breakdown.total, 2_000);
    }

    #[test]
    fn family_daycare_is_charged_as_preschool() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(Some(60_000), siblings(3, CareType::FamilyDaycare));
        assert_eq!(
            fees(&settings, date(2024, 3, 1), &h),
            vec![1_688, 1_125, 563]
        );
    }

    #[test]
    fn income_below_the_ceiling_pays_in_proportion() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(Some(30_000), siblings(3, CareType::Preschool));
        assert_eq!(fees(&settings, date(2024, 3, 1), &h), vec![900, 600, 300]);
    }

    #[test]
    fn no_income_statement_pays_the_caps() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(None, siblings(3, CareType::Preschool));
        let breakdown = monthly_fees(&settings, date(2024, 3, 1), &h).unwrap();
        assert_eq!(breakdown.fee_base, 56_250);
        assert_eq!(breakdown.total, 1_688 + 1_125 + 563);
    }

    #[test]
    fn fees_round_half_up_to_whole_kronor() {
        let settings = FeeSettings::swedish_defaults();
        let one = |income| household(Some(income), siblings(1, CareType::Preschool));
        // 3 % of 50 050 = 1 501.5, of 50 049 = 1 501.47, of 50 051 = 1 501.53.
        assert_eq!(fees(&settings, date(2024, 3, 1), &one(50_050)), vec![1_502]);
        assert_eq!(fees(&settings, date(2024, 3, 1), &one(50_049)), vec![1_501]);
        assert_eq!(fees(&settings, date(2024, 3, 1), &one(50_051)), vec![1_502]);
        assert_eq!(round_half_up(5, 10), 1);
        assert_eq!(round_half_up(4, 10), 0);
        assert_eq!(round_half_up(15, 10), 2);
    }

    #[test]
    fn reform_from_july_2026_disregards_the_first_10000() {
        let settings = FeeSettings::swedish_defaults();
        let month = date(2026, 7, 1);
        let one = |income| household(Some(income), siblings(1, CareType::Preschool));
        assert_eq!(fees(&settings, month, &one(10_000)), vec![0]);
        assert_eq!(fees(&settings, month, &one(5_000)), vec![0]);
        assert_eq!(fees(&settings, month, &one(30_000)), vec![600]);
        assert_eq!(fees(&settings, month, &one(70_000)), vec![1_547]);
        assert_eq!(
            fees(
                &settings,
                month,
                &household(None, siblings(1, CareType::Preschool))
            ),
            vec![1_547]
        );
    }

    #[test]
    fn reform_caps_are_1547_1031_516() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(Some(100_000), siblings(3, CareType::Preschool));
        assert_eq!(
            fees(&settings, date(2026, 9, 15), &h),
            vec![1_547, 1_031, 516]
        );
    }

    #[test]
    fn the_month_before_the_reform_uses_the_previous_period() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(Some(70_000), siblings(1, CareType::Preschool));
        let june = monthly_fees(&settings, date(2026, 6, 30), &h).unwrap();
        assert_eq!(june.period_valid_from, date(2025, 1, 1));
        // 3 % of 59 440 = 1 783.2.
        assert_eq!(june.total, 1_783);
        let july = monthly_fees(&settings, date(2026, 7, 1), &h).unwrap();
        assert_eq!(july.period_valid_from, date(2026, 7, 1));
        assert_eq!(july.total, 1_547);
        // 30 000 before the reform: 3 % of the whole income.
        let h = household(Some(30_000), siblings(1, CareType::Preschool));
        assert_eq!(fees(&settings, date(2026, 6, 1), &h), vec![900]);
    }

    #[test]
    fn in_force_uses_the_first_day_of_the_month() {
        let settings = FeeSettings::swedish_defaults();
        assert_eq!(settings.in_force(date(2023, 12, 31)), None);
        assert_eq!(
            settings.in_force(date(2024, 12, 31)).map(|p| p.valid_from),
            Some(date(2024, 1, 1))
        );
        assert_eq!(
            settings.in_force(date(2025, 1, 31)).map(|p| p.valid_from),
            Some(date(2025, 1, 1))
        );
    }

    #[test]
    fn a_month_before_every_period_is_an_error() {
        let settings = FeeSettings::swedish_defaults();
        let h = household(Some(30_000), siblings(1, CareType::Preschool));
        assert_eq!(
            monthly_fees(&settings, date(2023, 12, 15), &h),
            Err(FeeError::NoPeriodInForce {
                month: date(2023, 12, 1)
            })
        );
    }

    #[test]
    fn a_child_listed_twice_is_an_error() {
        let settings = FeeSettings::swedish_defaults();
        let twice = child(7, date(2020, 1, 1), CareType::Preschool);
        let h = household(Some(30_000), vec![twice.clone(), twice]);
        assert_eq!(
            monthly_fees(&settings, date(2024, 3, 1), &h),
            Err(FeeError::DuplicateChild { child_id: id(7) })
        );
    }

    #[test]
    fn siblings_born_the_same_day_are_ordered_by_id() {
        let settings = FeeSettings::swedish_defaults();
        let twin_b = child(9, date(2016, 4, 4), CareType::Fritidshem);
        let twin_a = child(3, date(2016, 4, 4), CareType::Fritidshem);
        let h = household(Some(60_000), vec![twin_b, twin_a]);
        let breakdown = monthly_fees(&settings, date(2024, 3, 1), &h).unwrap();
        let order: Vec<(Uuid, u32)> = breakdown
            .children
            .iter()
            .map(|c| (c.child_id, c.fee))
            .collect();
        assert_eq!(order, vec![(id(3), 1_125), (id(9), 563)]);
    }

    #[test]
    fn an_empty_household_pays_nothing() {
        let settings = FeeSettings::swedish_defaults();
        let breakdown = monthly_fees(
            &settings,
            date(2024, 3, 1),
            &household(Some(50_000), vec![]),
        )
        .unwrap();
        assert!(breakdown.children.is_empty());
        assert_eq!(breakdown.total, 0);
    }

    // Allmän förskola. A child born in October 2021 turns 3 in October 2024: allmän förskola from
    // August 2024, although the birthday is later in the autumn.

    fn one_preschool_child(birth_date: NaiveDate, hours_per_week: u32) -> Household {
        household(
            None,
            vec![ChildPlacement {
                child_id: id(1),
                birth_date,
                care: CareType::Preschool,
                hours_per_week,
            }],
        )
    }

    #[test]
    fn percent_off_applies_in_the_listed_months_from_the_autumn_the_child_turns_three() {
        let settings = settings_2024_with(AllmanForskolaRule::percent_off(
            2_500,
            [9, 10, 11, 12, 1, 2, 3, 4, 5],
        ));
        let turns_three_in_october = one_preschool_child(date(2021, 10, 15), 40);
        let at = |month: NaiveDate| {
            monthly_fees(&settings, month, &turns_three_in_october)
                .unwrap()
                .children[0]
                .clone()
        };
        // July: not yet allmän förskola.
        let july = at(date(2024, 7, 1));
        assert!(!july.allman_forskola);
        assert_eq!(july.fee, 1_688);
        // August: allmän förskola, but August is not a listed month.
        let august = at(date(2024, 8, 1));
        assert!(august.allman_forskola);
        assert_eq!(
            (august.base_fee, august.reduction, august.fee),
            (1_688, 0, 1_688)
        );
        // September: 1 687.5 × 75 % = 1 265.625.
        let september = at(date(2024, 9, 1));
        assert_eq!(
            (september.base_fee, september.reduction, september.fee),
            (1_688, 422, 1_266)
        );
        // A child who turns 3 in September gets the same: the birthday month does not matter.
        let turns_three_in_september = one_preschool_child(date(2021, 9, 30), 40);
        assert_eq!(
            fees(&settings, date(2024, 9, 1), &turns_three_in_september),
            vec![1_266]
        );
    }

    #[test]
    fn free_hours_per_week_charge_only_the_hours_beyond() {
        let settings = settings_2024_with(AllmanForskolaRule::free_hours_per_week(15));
        let september = date(2024, 9, 1);
        // 1 687.5 × 25 / 40 = 1 054.6875.
        assert_eq!(
            fees(
                &settings,
                september,
                &one_preschool_child(date(2021, 10, 15), 40)
            ),
            vec![1_055]
        );
        assert_eq!(
            fees(
                &settings,
                september,
                &one_preschool_child(date(2021, 10, 15), 15)
            ),
            vec![0]
        );
        assert_eq!(
            fees(
                &settings,
                september,
                &one_preschool_child(date(2021, 10, 15), 10)
            ),
            vec![0]
        );
        assert_eq!(
            fees(
                &settings,
                september,
                &one_preschool_child(date(2021, 10, 15), 0)
            ),
            vec![0]
        );
        // Also in July, since this rule has no month list.
        assert_eq!(
            fees(
                &settings,
                date(2025, 7, 1),
                &one_preschool_child(date(2021, 10, 15), 30)
            ),
            // 1 687.5 × 15 / 30 = 843.75 (these settings hold only the 2024 period).
            vec![844]
        );
    }

    #[test]
    fn hours_per_month_deducted_use_52_over_12_weeks_a_month() {
        let settings = settings_2024_with(AllmanForskolaRule::hours_per_month_deducted(65));
        // 40 h/week = 173.33 h/month; (173.33 − 65) / 173.33 = 0.625; 1 687.5 × 0.625 = 1 054.6875.
        assert_eq!(
            fees(
                &settings,
                date(2024, 9, 1),
                &one_preschool_child(date(2021, 10, 15), 40)
            ),
            vec![1_055]
        );
        // 15 h/week = 65 h/month: nothing left.
        assert_eq!(
            fees(
                &settings,
                date(2024, 9, 1),
                &one_preschool_child(date(2021, 10, 15), 15)
            ),
            vec![0]
        );
    }

    #[test]
    fn a_two_year_old_gets_no_allman_forskola_reduction() {
        let settings = settings_2024_with(AllmanForskolaRule::free_hours_per_week(15));
        let two_year_old = one_preschool_child(date(2022, 1, 10), 40);
        let breakdown = monthly_fees(&settings, date(2024, 9, 1), &two_year_old).unwrap();
        assert!(!breakdown.children[0].allman_forskola);
        assert_eq!(breakdown.total, 1_688);
    }

    #[test]
    fn allman_forskola_ends_in_august_of_the_year_the_child_turns_six() {
        let settings = settings_2024_with(AllmanForskolaRule::free_hours_per_week(15));
        let turns_six = one_preschool_child(date(2018, 11, 2), 40);
        assert_eq!(fees(&settings, date(2024, 7, 1), &turns_six), vec![1_055]);
        assert_eq!(fees(&settings, date(2024, 8, 1), &turns_six), vec![1_688]);
    }

    #[test]
    fn a_six_year_old_in_fritidshem_is_unaffected() {
        let settings = settings_2024_with(AllmanForskolaRule::free_hours_per_week(15));
        let h = household(
            None,
            vec![ChildPlacement {
                child_id: id(1),
                birth_date: date(2018, 3, 3),
                care: CareType::Fritidshem,
                hours_per_week: 20,
            }],
        );
        let breakdown = monthly_fees(&settings, date(2024, 9, 1), &h).unwrap();
        assert!(!breakdown.children[0].allman_forskola);
        assert_eq!(breakdown.total, 1_125);
        // A four-year-old (allmän förskola age) in fritidshem is not reduced either.
        let h = household(
            None,
            vec![ChildPlacement {
                child_id: id(1),
                birth_date: date(2020, 3, 3),
                care: CareType::Fritidshem,
                hours_per_week: 20,
            }],
        );
        assert_eq!(fees(&settings, date(2024, 9, 1), &h), vec![1_125]);
    }

    #[test]
    fn family_daycare_gets_the_allman_forskola_reduction() {
        let settings = settings_2024_with(AllmanForskolaRule::free_hours_per_week(15));
        let h = household(
            None,
            vec![ChildPlacement {
                child_id: id(1),
                birth_date: date(2020, 3, 3),
                care: CareType::FamilyDaycare,
                hours_per_week: 40,
            }],
        );
        assert_eq!(fees(&settings, date(2024, 9, 1), &h), vec![1_055]);
    }

    // Settings validation.

    fn period(valid_from: NaiveDate) -> FeePeriod {
        FeePeriod {
            valid_from,
            ..FeeSettings::swedish_defaults().periods()[0].clone()
        }
    }

    #[test]
    fn settings_are_sorted_whatever_the_given_order() {
        let settings =
            FeeSettings::new(vec![period(date(2025, 1, 1)), period(date(2024, 1, 1))]).unwrap();
        let starts: Vec<NaiveDate> = settings.periods().iter().map(|p| p.valid_from).collect();
        assert_eq!(starts, vec![date(2024, 1, 1), date(2025, 1, 1)]);
    }

    #[test]
    fn invalid_settings_are_refused() {
        assert_eq!(FeeSettings::new(vec![]), Err(FeeSettingsError::Empty));
        assert_eq!(
            FeeSettings::new(vec![period(date(2024, 1, 1)), period(date(2024, 1, 1))]),
            Err(FeeSettingsError::DuplicateValidFrom {
                valid_from: date(2024, 1, 1)
            })
        );
        assert_eq!(
            FeeSettings::new(vec![period(date(2024, 1, 2))]),
            Err(FeeSettingsError::NotFirstOfMonth {
                valid_from: date(2024, 1, 2)
            })
        );
        let mut too_high = period(date(2024, 1, 1));
        too_high.fritidshem_rates_bp[2] = 10_001;
        assert_eq!(
            FeeSettings::new(vec![too_high]),
            Err(FeeSettingsError::RateAbove100 {
                valid_from: date(2024, 1, 1)
            })
        );
        let mut too_much_off = period(date(2024, 1, 1));
        too_much_off.allman_forskola = AllmanForskolaRule::percent_off(10_001, [9]);
        assert_eq!(
            FeeSettings::new(vec![too_much_off]),
            Err(FeeSettingsError::PercentOffAbove100 {
                valid_from: date(2024, 1, 1)
            })
        );
        let mut month_13 = period(date(2024, 1, 1));
        month_13.allman_forskola = AllmanForskolaRule::percent_off(2_500, [9, 13]);
        assert_eq!(
            FeeSettings::new(vec![month_13]),
            Err(FeeSettingsError::InvalidMonth {
                valid_from: date(2024, 1, 1),
                month: 13
            })
        );
    }

    #[test]
    fn swedish_defaults_pass_validation() {
        let defaults = FeeSettings::swedish_defaults();
        assert_eq!(
            FeeSettings::new(defaults.periods().to_vec()),
            Ok(defaults.clone())
        );
        let starts: Vec<NaiveDate> = defaults.periods().iter().map(|p| p.valid_from).collect();
        assert_eq!(
            starts,
            vec![date(2024, 1, 1), date(2025, 1, 1), date(2026, 7, 1)]
        );
    }

    // Property tests.

    fn care_type() -> impl Strategy<Value = CareType> {
        prop_oneof![
            Just(CareType::Preschool),
            Just(CareType::FamilyDaycare),
            Just(CareType::Fritidshem),
        ]
    }

    fn allman_rule() -> impl Strategy<Value = AllmanForskolaRule> {
        prop_oneof![
            (
                0..=FULL_PERCENT_BP,
                proptest::collection::vec(1u8..=12, 0..12)
            )
                .prop_map(|(bp, months)| AllmanForskolaRule::percent_off(bp, months)),
            (0u32..60).prop_map(AllmanForskolaRule::free_hours_per_week),
            (0u32..300).prop_map(AllmanForskolaRule::hours_per_month_deducted),
        ]
    }

    fn fee_period() -> impl Strategy<Value = FeePeriod> {
        (
            0u32..200_000,
            0u32..20_000,
            proptest::array::uniform3(0..=FULL_PERCENT_BP),
            proptest::array::uniform3(0..=FULL_PERCENT_BP),
            allman_rule(),
        )
            .prop_map(
                |(max_fee_base, disregarded_income, preschool, fritids, rule)| FeePeriod {
                    valid_from: date(2020, 1, 1),
                    max_fee_base,
                    disregarded_income,
                    preschool_rates_bp: preschool,
                    fritidshem_rates_bp: fritids,
                    allman_forskola: rule,
                },
            )
    }

    fn settings() -> impl Strategy<Value = FeeSettings> {
        prop_oneof![
            Just(FeeSettings::swedish_defaults()),
            fee_period().prop_map(|period| FeeSettings::new(vec![period]).unwrap()),
        ]
    }

    fn month() -> impl Strategy<Value = NaiveDate> {
        (2024i32..=2030, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| date(y, m, d))
    }

    fn placements() -> impl Strategy<Value = Vec<ChildPlacement>> {
        proptest::collection::vec(
            (
                any::<u128>(),
                // Birth dates from 2010 to 2030; some share a day, to exercise the tie-break.
                (2010i32..=2030, 1u32..=12, 1u32..=3),
                care_type(),
                0u32..=60,
            ),
            0..7,
        )
        .prop_map(|raw| {
            let mut seen = HashSet::new();
            raw.into_iter()
                .filter(|(n, ..)| seen.insert(*n))
                .map(|(n, (y, m, d), care, hours_per_week)| ChildPlacement {
                    child_id: id(n),
                    birth_date: date(y, m, d),
                    care,
                    hours_per_week,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn no_child_pays_more_than_its_cap(
            settings in settings(),
            month in month(),
            income in proptest::option::of(0u32..500_000),
            children in placements(),
        ) {
            let breakdown = monthly_fees(&settings, month, &household(income, children)).unwrap();
            let period = settings.in_force(month).unwrap();
            for child in &breakdown.children {
                prop_assert!(child.fee <= period.cap(child.care, child.order));
                prop_assert!(child.fee <= child.base_fee);
                prop_assert_eq!(child.base_fee - child.reduction, child.fee);
                if child.order > 3 {
                    prop_assert_eq!(child.fee, 0);
                }
            }
            let sum: u32 = breakdown.children.iter().map(|c| c.fee).sum();
            prop_assert_eq!(breakdown.total, sum);
        }

        #[test]
        fn a_higher_income_never_lowers_the_fee(
            settings in settings(),
            month in month(),
            incomes in (0u32..500_000, 0u32..500_000),
            children in placements(),
        ) {
            let (low, high) = (incomes.0.min(incomes.1), incomes.0.max(incomes.1));
            let at = |income| monthly_fees(&settings, month, &household(income, children.clone())).unwrap();
            let (low, high, none) = (at(Some(low)), at(Some(high)), at(None));
            for ((l, h), n) in low.children.iter().zip(&high.children).zip(&none.children) {
                prop_assert!(l.fee <= h.fee);
                prop_assert!(h.fee <= n.fee);
            }
            prop_assert!(low.total <= high.total);
            prop_assert!(high.total <= none.total);
        }

        #[test]
        fn the_order_children_are_given_in_does_not_matter(
            settings in settings(),
            month in month(),
            income in proptest::option::of(0u32..500_000),
            (children, shuffled) in placements()
                .prop_flat_map(|c| (Just(c.clone()), Just(c).prop_shuffle())),
        ) {
            let a = monthly_fees(&settings, month, &household(income, children)).unwrap();
            let b = monthly_fees(&settings, month, &household(income, shuffled)).unwrap();
            prop_assert_eq!(a, b);
        }
    }
}
