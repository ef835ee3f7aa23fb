use chrono::{Days, NaiveDate};
use skolportal_shared::api::{
    AbsenceInput, AbsenceReason, DaySheet, DaySheetChild, DaySheetStatus, NewAbsenceReport,
};
use skolportal_shared::lang::time_range;
use skolportal_shared::wire_date::parse_date;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError, ErrorCode, Pending};
use crate::app::Route;
use crate::components::{back_link, badge, error_alert, fact, loading, select_field, TextField};
use crate::dom;
use crate::hooks::{use_i18n, use_model, use_title, Model, ModelHandle};
use crate::i18n::I18n;
use crate::pages::pickup_persons::tel_href;

/// The day sheet page: the date as typed and the server's answer for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub unit: Uuid,
    /// The date field's text (`YYYY-MM-DD` from the date picker).
    pub text: String,
    /// `None` while loading.
    pub sheet: Option<Result<DaySheet, ClientError>>,
    /// The department (avdelning) shown, as its id; empty for all.
    pub department: String,
    /// Why marking a child absent failed, until the next try.
    pub mark_error: Option<ClientError>,
}

pub enum Msg {
    Date(String),
    /// The previous (-1) or next (+1) day.
    Step(i64),
    Department(String),
    Loaded(NaiveDate, Result<DaySheet, ClientError>),
    /// Mark a child absent for the whole of the shown day.
    MarkAbsent(Uuid, AbsenceReason),
    Marked(Result<(), ClientError>),
}

/// What the page asks of the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    Load(Uuid, NaiveDate),
    MarkAbsent(NewAbsenceReport),
}

impl Day {
    pub fn date(&self) -> Option<NaiveDate> {
        parse_date(self.text.trim())
    }
}

impl Model for Day {
    type Msg = Msg;
    type Task = Task;

    fn update(&mut self, msg: Msg) -> Option<Task> {
        match msg {
            Msg::Date(text) => {
                self.text = text;
                self.sheet = None;
                self.mark_error = None;
                return self.date().map(|date| Task::Load(self.unit, date));
            }
            Msg::Step(days) => {
                let date = self.date()?;
                let moved = if days < 0 {
                    date.checked_sub_days(Days::new(days.unsigned_abs()))
                } else {
                    date.checked_add_days(Days::new(days.unsigned_abs()))
                }?;
                return self.update(Msg::Date(moved.to_string()));
            }
            Msg::Department(id) => self.department = id,
            // An answer for a date no longer picked is dropped.
            Msg::Loaded(date, result) if Some(date) == self.date() => self.sheet = Some(result),
            Msg::Loaded(..) => {}
            Msg::MarkAbsent(child, reason) => {
                let date = self.date()?;
                // One id per press: a retry after a lost answer is a new press, and the server
                // keeps one report per child and day either way (the sheet shows it).
                let submission_id = dom::random_uuid()?;
                self.mark_error = None;
                return Some(Task::MarkAbsent(NewAbsenceReport {
                    submission_id,
                    child_ids: vec![child],
                    absence: AbsenceInput {
                        first_day: date,
                        last_day: date,
                        starts_at: None,
                        ends_at: None,
                        reason,
                    },
                }));
            }
            Msg::Marked(result) => {
                self.mark_error = result.err();
                return self.date().map(|date| Task::Load(self.unit, date));
            }
        }
        None
    }

    fn run(task: Task) -> Pending<Msg> {
        match task {
            Task::Load(unit, date) => {
                api::day_sheet(unit, date).then(move |sheet| Msg::Loaded(date, sheet))
            }
            Task::MarkAbsent(body) => {
                api::mark_absence(&body).then(|result| Msg::Marked(result.map(|_| ())))
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct DaySheetPageProps {
    pub unit_id: Uuid,
}

/// `/personal/dag/:unit_id` ("Dagens barn"): for the staff of a preschool or fritidshem, the
/// children expected on a day (today unless another date is picked), in drop-off order as the
/// server sends them, each with times and who may collect them. One card per child, so it reads
/// the same on a phone.
#[function_component]
pub fn DaySheetPage(props: &DaySheetPageProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("staff.day_sheet"));
    let unit = props.unit_id;
    let model = use_model(
        || Day {
            unit,
            text: String::new(),
            sheet: None,
            department: String::new(),
            mark_error: None,
        },
        Msg::Date(dom::today_in_sweden().unwrap_or_default().to_string()),
    );
    let page = model.get();
    let date = page.date();

    let body = match (&page.sheet, date) {
        (_, None) => Html::default(),
        (None, _) => loading(&i18n),
        (Some(Err(error)), _) if error.is_unauthenticated() => loading(&i18n),
        (Some(Err(error)), _) if error.code() == Some(&ErrorCode::NotFound) => html! {
            <p id="day-sheet-not-found" class="alert alert--error" role="alert">
                { i18n.t("day_sheet.not_found") }
            </p>
        },
        (Some(Err(error)), _) => error_alert(&i18n, "day-sheet-error", Some(error), None),
        (Some(Ok(sheet)), _) => sheet_html(&i18n, &model, sheet, &page.department),
    };
    let unit_name = match &page.sheet {
        Some(Ok(sheet)) => Some(sheet.unit.clone()),
        _ => None,
    };

    html! {
        <div class="page day-sheet-page">
            { back_link(Route::Staff, i18n.t("day_sheet.back")) }
            <h1>{ i18n.t("staff.day_sheet") }</h1>
            if let Some(name) = unit_name {
                <p class="lead">{ name }</p>
            }
            { TextField::new(
                "day-sheet-date",
                i18n.t("day_sheet.date"),
                page.text.clone(),
                model.callback(Msg::Date),
                "off",
            )
            .input_type("date")
            .error(date.is_none().then(|| i18n.t("day_sheet.date_invalid"))) }
            <div class="week-nav">
                { for [
                    ("previous-day", i18n.t("day_sheet.previous_day"), -1),
                    ("next-day", i18n.t("day_sheet.next_day"), 1),
                ].map(|(id, text, days)| html! {
                    <button type="button" {id} class="button button--secondary" disabled={date.is_none()} onclick={model.callback(move |_: MouseEvent| Msg::Step(days))}>
                        { text }
                    </button>
                }) }
            </div>
            { error_alert(&i18n, "day-sheet-mark-error", page.mark_error.as_ref(), None) }
            { body }
        </div>
    }
}

/// The day's heading (always "Tisdag 24 november"), a count line, the department filter and the
/// children: the expected ones, then those whose schedule is missing, flagged so the unit calls.
fn sheet_html(i18n: &I18n, model: &ModelHandle<Day>, sheet: &DaySheet, department: &str) -> Html {
    let mut heading = i18n.weekday_date(sheet.date);
    if let Some(first) = heading.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let shown: Vec<&DaySheetChild> = sheet
        .children
        .iter()
        .filter(|c| {
            department.is_empty()
                || c.department_id.map(|d| d.to_string()).as_deref() == Some(department)
        })
        .collect();
    // A child reported absent for the whole day is neither expected nor one to call about.
    let away = shown.iter().filter(|c| is_away_all_day(c)).count();
    let missing = shown
        .iter()
        .filter(|c| c.status == DaySheetStatus::MissingSchedule && c.absence.is_none())
        .count();
    let expected = shown.len() - missing - away;
    let mut count = match expected {
        0 => i18n.t("day_sheet.empty").to_owned(),
        n => i18n.tn("day_sheet.count", n as u64, &[]),
    };
    for (n, key) in [
        (missing, "day_sheet.missing_count"),
        (away, "day_sheet.absent_count"),
    ] {
        if n > 0 {
            count.push(' ');
            count.push_str(&i18n.tn(key, n as u64, &[]));
        }
    }
    let mut options = vec![(
        String::new(),
        i18n.t("day_sheet.all_departments").to_owned(),
    )];
    options.extend(
        sheet
            .departments
            .iter()
            .map(|d| (d.id.to_string(), d.name.clone())),
    );
    html! {
        <>
            if !sheet.departments.is_empty() {
                { select_field(
                    "day-sheet-department",
                    i18n.t("day_sheet.department"),
                    &options,
                    department,
                    model.callback(Msg::Department),
                    None,
                ) }
            }
            <h2 id="day-sheet-heading">{ heading }</h2>
            <p id="day-sheet-count" role="status">{ count }</p>
            if !shown.is_empty() {
                <ul class="card-list day-sheet" aria-labelledby="day-sheet-heading">
                    { for shown.iter().map(|child| child_html(i18n, model, sheet.date, child)) }
                </ul>
            }
        </>
    }
}

/// One expected child as a card: name, times and who may collect them.
fn child_html(
    i18n: &I18n,
    model: &ModelHandle<Day>,
    date: NaiveDate,
    child: &DaySheetChild,
) -> Html {
    let persons = if child.pickup_persons.is_empty() {
        html! { { i18n.t("day_sheet.no_pickup_persons") } }
    } else {
        html! {
            <ul class="plain-list">
                { for child.pickup_persons.iter().map(|person| html! {
                    <li>
                        { person.name.clone() }{ " " }
                        <a href={tel_href(&person.phone)}>{ person.phone.clone() }</a>
                    </li>
                }) }
            </ul>
        }
    };
    let time = |t: &Option<String>| match t {
        Some(t) => html! { { t.clone() } },
        None => html! { { "–" } },
    };
    // The entrance tablet's times beside the planned ones.
    let actual = |at: Option<chrono::DateTime<chrono::Utc>>| match at {
        Some(at) => html! { { crate::i18n::clock_time(at) } },
        None => html! { { "–" } },
    };
    let facts = [
        (i18n.t("schedule.drop_off"), time(&child.drop_off)),
        (i18n.t("schedule.pick_up"), time(&child.pick_up)),
        (i18n.t("day_sheet.checked_in"), actual(child.checked_in_at)),
        (
            i18n.t("day_sheet.checked_out"),
            actual(child.checked_out_at),
        ),
        (i18n.t("childcare.pickup_link"), persons),
    ];
    let missing = child.status == DaySheetStatus::MissingSchedule && child.absence.is_none();
    let absence = child.absence.as_ref().map(|absence| {
        let mut text = i18n
            .t(&format!("start.absence.{}", absence.reason.code()))
            .to_owned();
        if let (Some(from), Some(to)) = (&absence.starts_at, &absence.ends_at) {
            text.push(' ');
            text.push_str(&time_range(from, to));
        }
        text
    });
    html! {
        <li class={classes!("card", "day-sheet-child", missing.then_some("day-sheet-child--missing"))} key={child.child_id.to_string()}>
            <h3 class="card__title">{ format!("{} {}", child.given_name, child.family_name) }</h3>
            if missing {
                <p>{ badge("status-badge--awaiting", i18n.t("day_sheet.missing")) }</p>
            }
            if let Some(text) = absence {
                <p><span class="absence-mark">{ text }</span></p>
            }
            <dl class="facts">
                { for facts.into_iter().map(|(label, value)| fact(label, value)) }
            </dl>
            // A day from today on, for a child the family has not reported: the staff mark the
            // whole day (a call in the morning), sick or away for another reason.
            if child.absence.is_none() && dom::today_in_sweden().is_none_or(|today| date >= today) {
                <div class="actions">
                    { for [AbsenceReason::Sick, AbsenceReason::Other].map(|reason| {
                        let child_id = child.child_id;
                        // The visible words first, so that a voice command naming them works.
                        let label = format!("{}: {} {}", i18n.t(&format!("day_sheet.mark_short.{}", reason.code())), child.given_name, child.family_name);
                        html! {
                            <button type="button" class="button button--secondary" aria-label={label}
                                onclick={model.callback(move |_: MouseEvent| Msg::MarkAbsent(child_id, reason))}>
                                { i18n.t(&format!("day_sheet.mark_short.{}", reason.code())) }
                            </button>
                        }
                    }) }
                </div>
            }
        </li>
    }
}

/// Reported absent for the whole day (not only some hours of it).
fn is_away_all_day(child: &DaySheetChild) -> bool {
    child
        .absence
        .as_ref()
        .is_some_and(|a| a.starts_at.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picked_date_loads_and_late_answers_are_dropped() {
        let mut page = Day {
            unit: Uuid::nil(),
            text: String::new(),
            sheet: None,
            department: String::new(),
            mark_error: None,
        };
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        assert_eq!(
            page.update(Msg::Date("2026-11-24".into())),
            Some(Task::Load(Uuid::nil(), day(24)))
        );
        assert_eq!(page.update(Msg::Date("2026-11-".into())), None);
        assert_eq!(
            page.update(Msg::Date("2026-11-25".into())),
            Some(Task::Load(Uuid::nil(), day(25)))
        );
        page.update(Msg::Loaded(day(24), Err(ClientError::Network)));
        assert_eq!(page.sheet, None);
        page.update(Msg::Loaded(day(25), Err(ClientError::Network)));
        assert_eq!(page.sheet, Some(Err(ClientError::Network)));
        assert_eq!(
            page.update(Msg::Step(-1)),
            Some(Task::Load(Uuid::nil(), day(24)))
        );
        assert_eq!(page.text, "2026-11-24");
        assert_eq!(
            page.update(Msg::Step(1)),
            Some(Task::Load(Uuid::nil(), day(25)))
        );
    }
}
