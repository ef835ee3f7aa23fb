use chrono::NaiveDate;
use skolportal_shared::api::FeeBasis;
use skolportal_shared::fee::{
    monthly_fees, CareType, ChildPlacement, FeeBreakdown, FeePeriod, FeeSettings, Household,
};
use yew::prelude::*;

use crate::components::{cell, data_table};
use crate::i18n::I18n;

/// What the form knows about the household's income so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewIncome {
    /// Income chosen but not (yet) a valid amount.
    Missing,
    Income(u32),
    /// "Jag godkänner högsta avgift": computed as no income statement, which is the maximum fee.
    MaxFee,
}

/// What the preview can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// No child of the household has a place, so there is no fee.
    NoChildren,
    NeedMonth,
    NeedIncome,
    /// The settings were refused or none is in force for the month.
    Unavailable,
    Ready {
        breakdown: FeeBreakdown,
        period: FeePeriod,
    },
}

/// The household's fees for `month` with the same function the server decides with.
pub fn preview(basis: &FeeBasis, month: Option<NaiveDate>, income: PreviewIncome) -> Preview {
    if basis.children.is_empty() {
        return Preview::NoChildren;
    }
    let Some(month) = month else {
        return Preview::NeedMonth;
    };
    let monthly_income = match income {
        PreviewIncome::Missing => return Preview::NeedIncome,
        PreviewIncome::Income(income) => Some(income),
        PreviewIncome::MaxFee => None,
    };
    let Ok(settings) = FeeSettings::new(basis.periods.clone()) else {
        return Preview::Unavailable;
    };
    let household = Household {
        monthly_income,
        children: basis
            .children
            .iter()
            .map(|child| ChildPlacement {
                child_id: child.child_id,
                birth_date: child.birth_date,
                care: child.care,
                hours_per_week: child.hours_per_week,
            })
            .collect(),
    };
    let breakdown = monthly_fees(&settings, month, &household).ok();
    let period = settings.in_force(month).cloned();
    match (breakdown, period) {
        (Some(breakdown), Some(period)) => Preview::Ready { breakdown, period },
        _ => Preview::Unavailable,
    }
}

/// "Förskola", "Pedagogisk omsorg", "Fritidshem".
pub fn care_text(i18n: &I18n, care: CareType) -> &'static str {
    match care {
        CareType::Preschool => i18n.t("unit.preschool"),
        CareType::FamilyDaycare => i18n.t("unit.family_daycare"),
        CareType::Fritidshem => i18n.t("unit.fritidshem"),
    }
}

/// The fee per child and in total for the chosen month, following what the person types, with the
/// settings period it uses; `labelledby` is the id of the heading that names the table. Not a live
/// region: it changes on every keystroke and is read in its place, right after the fields. (A
/// function, not a component: every component costs the wasm its own generic code.)
pub fn fee_preview(
    i18n: &I18n,
    labelledby: &str,
    basis: &FeeBasis,
    month: Option<NaiveDate>,
    income: PreviewIncome,
) -> Html {
    let message = |text: &'static str| html! { <p class="fee-preview__message">{ text }</p> };
    match preview(basis, month, income) {
        Preview::NoChildren => message(i18n.t("fee.no_children")),
        Preview::NeedMonth => message(i18n.t("fee.need_month")),
        Preview::NeedIncome => message(i18n.t("fee.need_income")),
        Preview::Unavailable => message(i18n.t("fee.unavailable")),
        Preview::Ready { breakdown, period } => {
            ready_html(i18n, labelledby, basis, &breakdown, &period, income)
        }
    }
}

fn ready_html(
    i18n: &I18n,
    labelledby: &str,
    basis: &FeeBasis,
    breakdown: &FeeBreakdown,
    period: &FeePeriod,
    income: PreviewIncome,
) -> Html {
    let (child, care, order, fee) = (
        i18n.t("fee.col_child"),
        i18n.t("fee.col_care"),
        i18n.t("fee.col_order"),
        i18n.t("fee.col_fee"),
    );
    let rows = html! {
        { for breakdown.children.iter().map(|child_fee| {
            let name = basis
                .children
                .iter()
                .find(|c| c.child_id == child_fee.child_id)
                .map_or_else(|| i18n.t("common.none").to_owned(), |c| c.given_name.clone());
            html! {
                <tr class="data-table__row fee-row" role="row" key={child_fee.child_id.to_string()}>
                    { cell(child, html! { { name } }) }
                    { cell(care, html! { { care_text(i18n, child_fee.care) } }) }
                    { cell(order, html! {
                        <>
                            { i18n.tf("fee.order", &[("order", &child_fee.order.to_string())]) }
                            <span class="fee-row__detail">
                                { i18n.tf("fee.rate", &[("rate", &i18n.percent(child_fee.rate_bp))]) }
                            </span>
                        </>
                    }) }
                    { cell(fee, html! {
                        <>
                            <span class="fee-row__amount">{ i18n.kronor(child_fee.fee) }</span>
                            if child_fee.reduction > 0 {
                                <span class="fee-row__detail">
                                    { i18n.tf("fee.reduction", &[("amount", &i18n.kronor(child_fee.reduction))]) }
                                </span>
                            }
                        </>
                    }) }
                </tr>
            }
        }) }
    };
    let period_note = i18n.tf(
        "fee.period_note",
        &[
            ("date", &i18n.date(breakdown.period_valid_from)),
            ("max", &i18n.kronor(period.max_fee_base)),
        ],
    );
    html! {
        <>
            <p class="fee-preview__note">{ i18n.t("fee.maxtaxa_note") }</p>
            <p class="fee-preview__note" id="fee-period">
                { period_note }
                if period.disregarded_income > 0 {
                    { " " }
                    { i18n.tf("fee.disregarded_note", &[("amount", &i18n.kronor(period.disregarded_income))]) }
                }
            </p>
            if income == PreviewIncome::MaxFee {
                <p class="fee-preview__note">{ i18n.t("fee.max_fee_note") }</p>
            }
            { data_table(labelledby, "fee-table", &[child, care, order, fee], rows) }
            <p class="fee-total" id="fee-total">
                <span class="fee-total__label">{ i18n.t("fee.total") }</span>
                { " " }
                <strong class="fee-total__amount">
                    { i18n.tf("fee.per_month", &[("amount", &i18n.kronor(breakdown.total))]) }
                </strong>
            </p>
            <p class="hint">
                { i18n.tf("fee.base", &[("amount", &i18n.kronor(breakdown.fee_base))]) }
                { " " }
                { i18n.t("fee.preliminary") }
            </p>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skolportal_shared::api::FeeChild;
    use uuid::Uuid;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
    }

    fn basis(children: Vec<FeeChild>) -> FeeBasis {
        FeeBasis {
            periods: FeeSettings::swedish_defaults().periods().to_vec(),
            children,
            cared_for: Vec::new(),
            pays_fee: true,
        }
    }

    fn child(n: u128, birth_date: NaiveDate, care: CareType) -> FeeChild {
        FeeChild {
            child_id: Uuid::from_u128(n),
            given_name: format!("Barn {n}"),
            birth_date,
            care,
            hours_per_week: 40,
        }
    }

    fn fees(preview: &Preview) -> Vec<u32> {
        match preview {
            Preview::Ready { breakdown, .. } => breakdown.children.iter().map(|c| c.fee).collect(),
            other => panic!("expected fees, got {other:?}"),
        }
    }

    #[test]
    fn a_preschool_child_and_a_fritids_sibling_at_the_2024_ceiling() {
        let basis = basis(vec![
            child(1, date(2015, 3, 1), CareType::Fritidshem),
            child(2, date(2020, 2, 1), CareType::Preschool),
        ]);
        let month = Some(date(2024, 6, 1));
        // June: no allmän förskola reduction under the September–May rule.
        let shown = preview(&basis, month, PreviewIncome::Income(60_000));
        assert_eq!(fees(&shown), vec![1_688, 563]);
        assert_eq!(
            fees(&preview(&basis, month, PreviewIncome::MaxFee)),
            vec![1_688, 563]
        );
        assert_eq!(
            fees(&preview(&basis, month, PreviewIncome::Income(20_000))),
            vec![600, 200]
        );
    }

    #[test]
    fn the_period_in_force_on_the_first_of_the_month_is_used() {
        let basis = basis(vec![child(1, date(2015, 3, 1), CareType::Fritidshem)]);
        let Preview::Ready { breakdown, period } = preview(
            &basis,
            Some(date(2026, 7, 1)),
            PreviewIncome::Income(20_000),
        ) else {
            panic!("expected a fee");
        };
        assert_eq!(breakdown.period_valid_from, date(2026, 7, 1));
        assert_eq!(period.disregarded_income, 10_000);
        // 2 % of (20 000 − 10 000).
        assert_eq!(breakdown.total, 200);
    }

    #[test]
    fn what_is_missing_is_said() {
        let none = basis(Vec::new());
        assert_eq!(
            preview(&none, Some(date(2026, 1, 1)), PreviewIncome::MaxFee),
            Preview::NoChildren
        );
        let one = basis(vec![child(1, date(2015, 3, 1), CareType::Fritidshem)]);
        assert_eq!(
            preview(&one, None, PreviewIncome::MaxFee),
            Preview::NeedMonth
        );
        assert_eq!(
            preview(&one, Some(date(2026, 1, 1)), PreviewIncome::Missing),
            Preview::NeedIncome
        );
        // Before the first settings period.
        assert_eq!(
            preview(&one, Some(date(2020, 1, 1)), PreviewIncome::MaxFee),
            Preview::Unavailable
        );
        let no_periods = FeeBasis {
            periods: Vec::new(),
            children: one.children.clone(),
            cared_for: Vec::new(),
            pays_fee: true,
        };
        assert_eq!(
            preview(&no_periods, Some(date(2026, 1, 1)), PreviewIncome::MaxFee),
            Preview::Unavailable
        );
    }
}
