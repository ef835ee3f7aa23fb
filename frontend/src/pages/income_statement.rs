use std::rc::Rc;

use chrono::{Datelike, Months, NaiveDate};
use skolportal_shared::api::IncomeStatementRequest;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError, ErrorCode};
use crate::app::Route;
use crate::components::{
    back_link, error_alert, error_text, fee_preview, loading, radio_group, PreviewIncome,
    RadioGroupProps, RadioOption, TextField,
};
use crate::dom;
use crate::hooks::{use_fee_basis, use_i18n, use_title, FeeBasisState};
use crate::i18n::I18n;

const ERROR_ID: &str = "income-form-error";
const MONTH_ID: &str = "valid-from";
const MODE_ID: &str = "income-mode";
const INCOME_ID: &str = "income";
const PREVIEW_HEADING_ID: &str = "fee-preview-heading";

/// The highest monthly income the form takes, kr; more is almost certainly a typing mistake.
pub const MAX_INCOME: u32 = 10_000_000;

/// How the guardian answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// "Jag lämnar hushållets inkomst".
    Income,
    /// "Jag godkänner högsta avgift (maxtaxa)".
    MaxFee,
}

impl Mode {
    fn value(self) -> &'static str {
        match self {
            Mode::Income => "income",
            Mode::MaxFee => "max_fee",
        }
    }

    fn from_value(value: &str) -> Option<Self> {
        match value {
            "income" => Some(Mode::Income),
            "max_fee" => Some(Mode::MaxFee),
            _ => None,
        }
    }
}

/// What is wrong with "Gäller från".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthProblem {
    Empty,
    /// Not a year and month (browsers without a month picker show a text box).
    Invalid,
    /// Before the current month.
    InPast,
}

/// What is wrong with the income.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncomeProblem {
    Empty,
    NotWholeNumber,
    Negative,
    /// Above [`MAX_INCOME`].
    TooLarge,
}

/// The first day of `date`'s month.
pub fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// The first day of the month after `date`'s.
pub fn next_month(date: NaiveDate) -> NaiveDate {
    let first = first_of_month(date);
    first.checked_add_months(Months::new(1)).unwrap_or(first)
}

/// `2026-12` for a date in December 2026: the value of an `<input type="month">`.
pub fn month_value(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// The first day of the month in `YYYY-MM` (the month input's value; a one-digit month is also
/// taken from people typing into the text box some browsers show instead).
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    let (year, month) = text.trim().split_once('-')?;
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || month.len() > 2 || !all_digits(year) || !all_digits(month) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// "Gäller från" as the first of a month that has not passed.
pub fn check_month(text: &str, today: NaiveDate) -> Result<NaiveDate, MonthProblem> {
    if text.trim().is_empty() {
        return Err(MonthProblem::Empty);
    }
    let month = parse_month(text).ok_or(MonthProblem::Invalid)?;
    if month < first_of_month(today) {
        return Err(MonthProblem::InPast);
    }
    Ok(month)
}

/// The income in whole kronor. Spaces between the digits are fine ("42 000"), as Swedes group
/// them; a sign, decimals or other characters are not.
pub fn parse_income(text: &str) -> Result<u32, IncomeProblem> {
    let cleaned: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\t'))
        .collect();
    if cleaned.is_empty() {
        return Err(IncomeProblem::Empty);
    }
    let (negative, digits) = match cleaned.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let all_digits = digits.bytes().all(|b| b.is_ascii_digit());
    if negative && all_digits {
        return Err(IncomeProblem::Negative);
    }
    if !all_digits {
        return Err(IncomeProblem::NotWholeNumber);
    }
    // Only digits here, so a failed parse means a number too long for u64.
    let value = digits.parse::<u64>().unwrap_or(u64::MAX);
    match u32::try_from(value) {
        Ok(value) if value <= MAX_INCOME => Ok(value),
        _ => Err(IncomeProblem::TooLarge),
    }
}

/// The form's fields and which ones the person has left (or tried to send). A problem is shown
/// once its field has been left; a value that is clearly wrong (a month passed, a minus sign, a
/// letter, too many digits) is shown while typing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomeForm {
    pub today: NaiveDate,
    pub month: String,
    pub mode: Mode,
    pub income: String,
    pub month_touched: bool,
    pub income_touched: bool,
}

pub enum FormAction {
    Month(String),
    LeaveMonth,
    Mode(Mode),
    Income(String),
    LeaveIncome,
    /// Send was pressed: every problem shows.
    Submit,
}

impl Reducible for IncomeForm {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        match action {
            FormAction::Month(value) => next.month = value,
            FormAction::LeaveMonth => next.month_touched = true,
            FormAction::Mode(mode) => next.mode = mode,
            FormAction::Income(value) => next.income = value,
            FormAction::LeaveIncome => next.income_touched = true,
            FormAction::Submit => {
                next.month_touched = true;
                next.income_touched = true;
            }
        }
        Rc::new(next)
    }
}

impl IncomeForm {
    /// An empty form that applies from next month.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            month: month_value(next_month(today)),
            mode: Mode::Income,
            income: String::new(),
            month_touched: false,
            income_touched: false,
        }
    }

    /// The problem to show at "Gäller från".
    pub fn month_problem(&self) -> Option<MonthProblem> {
        let problem = check_month(&self.month, self.today).err()?;
        (self.month_touched || problem == MonthProblem::InPast).then_some(problem)
    }

    /// The problem to show at the income; none when the maximum fee is accepted.
    pub fn income_problem(&self) -> Option<IncomeProblem> {
        if self.mode == Mode::MaxFee {
            return None;
        }
        let problem = parse_income(&self.income).err()?;
        (self.income_touched || problem != IncomeProblem::Empty).then_some(problem)
    }

    /// The month to preview, when it is a valid one.
    pub fn preview_month(&self) -> Option<NaiveDate> {
        check_month(&self.month, self.today).ok()
    }

    pub fn preview_income(&self) -> PreviewIncome {
        match self.mode {
            Mode::MaxFee => PreviewIncome::MaxFee,
            Mode::Income => parse_income(&self.income).map_or(PreviewIncome::Missing, |income| {
                PreviewIncome::Income(income)
            }),
        }
    }

    /// What to send, when every field is valid.
    pub fn request(&self) -> Option<IncomeStatementRequest> {
        let valid_from = check_month(&self.month, self.today).ok()?;
        let gross_monthly_income = match self.mode {
            Mode::MaxFee => None,
            Mode::Income => Some(i64::from(parse_income(&self.income).ok()?)),
        };
        Some(IncomeStatementRequest {
            valid_from,
            max_fee_accepted: self.mode == Mode::MaxFee,
            gross_monthly_income,
        })
    }
}

fn month_problem_text(i18n: &I18n, problem: MonthProblem) -> &'static str {
    match problem {
        MonthProblem::Empty => i18n.t("income.month_empty"),
        MonthProblem::Invalid => i18n.t("income.month_invalid"),
        MonthProblem::InPast => i18n.t("income.month_in_past"),
    }
}

fn income_problem_text(i18n: &I18n, problem: IncomeProblem) -> &'static str {
    match problem {
        IncomeProblem::Empty => i18n.t("income.income_empty"),
        IncomeProblem::NotWholeNumber => i18n.t("income.income_not_whole"),
        IncomeProblem::Negative => i18n.t("income.income_negative"),
        IncomeProblem::TooLarge => i18n.t("income.income_too_large"),
    }
}

/// `/barnomsorg/inkomst`: the household's income statement (or acceptance of the maximum fee)
/// from a month on, with the fee it gives previewed by the server's own function. Sending it
/// creates a draft, which the next page shows for signing with BankID.
#[function_component]
pub fn IncomeStatementPage() -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("income.title"));
    let navigator = use_navigator();
    let form = use_reducer(|| IncomeForm::new(dom::today_in_sweden().unwrap_or_default()));
    let basis = use_fee_basis();
    let error = use_state(|| None::<ClientError>);
    let summary = use_state(|| false);
    let busy = use_state(|| false);

    let onsubmit = {
        let (form, error, summary, busy) =
            (form.clone(), error.clone(), summary.clone(), busy.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            form.dispatch(FormAction::Submit);
            error.set(None);
            let Some(body) = form.request() else {
                summary.set(true);
                return;
            };
            summary.set(false);
            busy.set(true);
            let (error, busy, navigator) = (error.clone(), busy.clone(), navigator.clone());
            spawn_local(async move {
                match api::submit_income_statement(&body).await {
                    Ok(document) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::ChildcareDocument { id: document.id });
                        }
                    }
                    Err(err) => {
                        error.set(Some(err));
                        busy.set(false);
                    }
                }
            });
        })
    };
    // Every change clears the server's last answer: it was about the values before.
    let on = |make: fn(String) -> FormAction| {
        let (form, error) = (form.clone(), error.clone());
        Callback::from(move |value: String| {
            error.set(None);
            form.dispatch(make(value));
        })
    };
    let leave = |action: fn() -> FormAction| {
        let form = form.clone();
        Callback::from(move |()| form.dispatch(action()))
    };
    let on_mode = {
        let (form, error) = (form.clone(), error.clone());
        Callback::from(move |value: AttrValue| {
            if let Some(mode) = Mode::from_value(&value) {
                error.set(None);
                form.dispatch(FormAction::Mode(mode));
            }
        })
    };

    // The server's refusals, at the field they concern (the alert says the same).
    let code = error.as_ref().and_then(|err| err.code().cloned());
    let server_text = || error.as_ref().map(|err| error_text(&i18n, err));
    let month_error = match form.month_problem() {
        Some(problem) => Some(month_problem_text(&i18n, problem).to_owned()),
        None if matches!(
            code,
            Some(ErrorCode::ValidFromInPast | ErrorCode::NotFirstOfMonth)
        ) =>
        {
            server_text()
        }
        None => None,
    };
    let income_error = match form.income_problem() {
        Some(problem) => Some(income_problem_text(&i18n, problem).to_owned()),
        None if form.mode == Mode::Income
            && matches!(
                code,
                Some(ErrorCode::InvalidIncome | ErrorCode::IncomeRequired)
            ) =>
        {
            server_text()
        }
        None => None,
    };
    let summary_text = (*summary && form.request().is_none()).then(|| i18n.t("form.check_fields"));
    let form_error =
        (error.is_some() || summary_text.is_some()).then_some(AttrValue::Static(ERROR_ID));
    let options = vec![
        RadioOption {
            id: AttrValue::Static("mode-income"),
            value: AttrValue::Static(Mode::Income.value()),
            label: AttrValue::from(i18n.t("income.mode_income").to_owned()),
        },
        RadioOption {
            id: AttrValue::Static("mode-max-fee"),
            value: AttrValue::Static(Mode::MaxFee.value()),
            label: AttrValue::from(i18n.t("income.mode_max_fee").to_owned()),
        },
    ];
    let preview_month = form.preview_month();
    let preview_heading = match preview_month {
        Some(month) => i18n.tf("fee.heading_month", &[("month", &i18n.month_year(month))]),
        None => i18n.t("fee.heading").to_owned(),
    };
    let preview = match &*basis {
        FeeBasisState::Loading => loading(&i18n),
        FeeBasisState::Failed(error) if error.is_unauthenticated() => loading(&i18n),
        FeeBasisState::Failed(error) => html! {
            <>
                { error_alert(&i18n, "fee-basis-error", Some(error), None) }
                <p class="hint">{ i18n.t("fee.basis_failed") }</p>
            </>
        },
        FeeBasisState::Ready(basis) => fee_preview(
            &i18n,
            PREVIEW_HEADING_ID,
            basis,
            preview_month,
            form.preview_income(),
        ),
    };

    // A foster parent does not pay the child's fee: no form, and why.
    if matches!(&*basis, FeeBasisState::Ready(b) if !b.pays_fee) {
        return html! {
            <div class="page income-statement">
                { back_link(Route::Childcare, i18n.t("childcare.back")) }
                <h1>{ i18n.t("income.title") }</h1>
                <p class="notice" id="not-fee-payer">{ i18n.t("error.not_fee_payer") }</p>
            </div>
        };
    }

    html! {
        <div class="page income-statement">
            { back_link(Route::Childcare, i18n.t("childcare.back")) }
            <h1>{ i18n.t("income.title") }</h1>
            <p class="lead">{ i18n.t("income.intro") }</p>
            { error_alert(&i18n, ERROR_ID, (*error).as_ref(), summary_text) }
            <form class="form" novalidate=true {onsubmit}>
                { TextField::new(
                    MONTH_ID,
                    i18n.t("income.valid_from"),
                    form.month.clone(),
                    on(FormAction::Month),
                    "off",
                )
                .input_type("month")
                .hint(i18n.t("income.valid_from_hint"))
                .min(month_value(form.today))
                .onblur(leave(|| FormAction::LeaveMonth))
                .error(month_error.map(AttrValue::from))
                .describedby(form_error.clone())
                .required() }
                { radio_group(&RadioGroupProps {
                    id: AttrValue::Static(MODE_ID),
                    name: AttrValue::Static(MODE_ID),
                    legend: AttrValue::Static(i18n.t("income.mode_legend")),
                    options,
                    selected: Some(AttrValue::Static(form.mode.value())),
                    onchange: on_mode,
                    hint: None,
                    error: None,
                }) }
                if form.mode == Mode::Income {
                    { TextField::new(
                        INCOME_ID,
                        i18n.t("income.income"),
                        form.income.clone(),
                        on(FormAction::Income),
                        "off",
                    )
                    .inputmode("numeric")
                    .hint(i18n.t("income.income_hint"))
                    .onblur(leave(|| FormAction::LeaveIncome))
                    .error(income_error.map(AttrValue::from))
                    .describedby(form_error.clone())
                    .required() }
                } else {
                    <p class="notice" id="max-fee-note">{ i18n.t("income.max_fee_note") }</p>
                }
                <section class="fee-preview" id="fee-preview" aria-labelledby={PREVIEW_HEADING_ID}>
                    <h2 id={PREVIEW_HEADING_ID}>{ preview_heading }</h2>
                    { preview }
                </section>
                <div class="form__submit">
                    <button
                        type="submit"
                        id="income-submit"
                        class="button button--primary button--block"
                        aria-busy={busy.then_some("true")}
                        aria-describedby="income-submit-hint"
                    >
                        { if *busy { i18n.t("income.submitting") } else { i18n.t("income.submit") } }
                    </button>
                    <p class="hint" id="income-submit-hint">{ i18n.t("income.submit_hint") }</p>
                </div>
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
    }

    fn reduce(form: IncomeForm, actions: Vec<FormAction>) -> IncomeForm {
        let mut form = Rc::new(form);
        for action in actions {
            form = form.reduce(action);
        }
        Rc::unwrap_or_clone(form)
    }

    #[test]
    fn months() {
        assert_eq!(next_month(date(2026, 11, 24)), date(2026, 12, 1));
        assert_eq!(next_month(date(2026, 12, 31)), date(2027, 1, 1));
        assert_eq!(month_value(date(2027, 1, 1)), "2027-01");
        assert_eq!(parse_month("2026-12"), Some(date(2026, 12, 1)));
        assert_eq!(parse_month(" 2026-3 "), Some(date(2026, 3, 1)));
        for bad in [
            "",
            "2026",
            "2026-13",
            "2026-00",
            "26-12",
            "2026-12-01",
            "december",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        let today = date(2026, 11, 24);
        assert_eq!(check_month("2026-11", today), Ok(date(2026, 11, 1)));
        assert_eq!(check_month("2026-10", today), Err(MonthProblem::InPast));
        assert_eq!(check_month("", today), Err(MonthProblem::Empty));
        assert_eq!(check_month("nov", today), Err(MonthProblem::Invalid));
    }

    #[test]
    fn incomes() {
        assert_eq!(parse_income("42000"), Ok(42_000));
        assert_eq!(parse_income(" 42 000 "), Ok(42_000));
        assert_eq!(parse_income("42\u{a0}000"), Ok(42_000));
        assert_eq!(parse_income("0"), Ok(0));
        assert_eq!(parse_income("10000000"), Ok(MAX_INCOME));
        assert_eq!(parse_income(""), Err(IncomeProblem::Empty));
        assert_eq!(parse_income("   "), Err(IncomeProblem::Empty));
        assert_eq!(parse_income("-5000"), Err(IncomeProblem::Negative));
        assert_eq!(parse_income("\u{2212}5000"), Err(IncomeProblem::Negative));
        assert_eq!(parse_income("-"), Err(IncomeProblem::Negative));
        for bad in ["42000,50", "42.000", "4e4", "42 000 kr", "+5", "-4,5"] {
            assert_eq!(
                parse_income(bad),
                Err(IncomeProblem::NotWholeNumber),
                "{bad}"
            );
        }
        assert_eq!(parse_income("10000001"), Err(IncomeProblem::TooLarge));
        assert_eq!(
            parse_income("99999999999999999999999"),
            Err(IncomeProblem::TooLarge)
        );
    }

    #[test]
    fn the_form_starts_next_month_and_waits_before_blaming_an_empty_field() {
        let form = IncomeForm::new(date(2026, 11, 24));
        assert_eq!(form.month, "2026-12");
        assert_eq!(form.income_problem(), None);
        assert_eq!(form.request(), None);
        let left = reduce(form, vec![FormAction::LeaveIncome]);
        assert_eq!(left.income_problem(), Some(IncomeProblem::Empty));
    }

    #[test]
    fn clearly_wrong_values_show_while_typing() {
        let form = IncomeForm::new(date(2026, 11, 24));
        let typed = reduce(
            form,
            vec![
                FormAction::Income("-12".into()),
                FormAction::Month("2026-10".into()),
            ],
        );
        assert_eq!(typed.income_problem(), Some(IncomeProblem::Negative));
        assert_eq!(typed.month_problem(), Some(MonthProblem::InPast));
        let cleared = reduce(typed, vec![FormAction::Month(String::new())]);
        assert_eq!(cleared.month_problem(), None);
        let submitted = reduce(cleared, vec![FormAction::Submit]);
        assert_eq!(submitted.month_problem(), Some(MonthProblem::Empty));
    }

    #[test]
    fn requests() {
        let form = IncomeForm::new(date(2026, 11, 24));
        let income = reduce(form.clone(), vec![FormAction::Income("38 500".into())]);
        assert_eq!(
            income.request(),
            Some(IncomeStatementRequest {
                valid_from: date(2026, 12, 1),
                max_fee_accepted: false,
                gross_monthly_income: Some(38_500),
            })
        );
        assert_eq!(income.preview_income(), PreviewIncome::Income(38_500));
        // The maximum fee needs no income, and a bad one left in the hidden field does not count.
        let max_fee = reduce(
            form,
            vec![
                FormAction::Income("abc".into()),
                FormAction::Mode(Mode::MaxFee),
            ],
        );
        assert_eq!(max_fee.income_problem(), None);
        assert_eq!(max_fee.preview_income(), PreviewIncome::MaxFee);
        assert_eq!(
            max_fee.request(),
            Some(IncomeStatementRequest {
                valid_from: date(2026, 12, 1),
                max_fee_accepted: true,
                gross_monthly_income: None,
            })
        );
    }

    #[test]
    fn the_mode_values_round_trip() {
        for mode in [Mode::Income, Mode::MaxFee] {
            assert_eq!(Mode::from_value(mode.value()), Some(mode));
        }
        assert_eq!(Mode::from_value("other"), None);
    }
}
