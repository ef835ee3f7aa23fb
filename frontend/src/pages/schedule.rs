use std::rc::Rc;

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use skolportal_shared::api::{
    CopyOutcome, CopyWeek, FeeBasis, FeeChild, PersonAction, ScheduleDay, ScheduleDayUpdate,
    SkipReason, WeekSchedule, WeekScheduleUpdate,
};
use skolportal_shared::calendar::{self, format_time_of_day, parse_time_of_day, Holiday};
use uuid::Uuid;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ClientError, Pending};
use crate::app::Route;
use crate::components::{
    back_link, cell, data_table, error_alert, error_text, loading, status_message,
};
use crate::dom;
use crate::hooks::{
    use_fee_basis, use_i18n, use_model, use_title, FeeBasisState, Model, ModelHandle,
};
use crate::i18n::I18n;

const ERROR_ID: &str = "schedule-error";
const LOCK_RULE_ID: &str = "lock-rule";
const COPY_ERROR_ID: &str = "copy-error";
/// The most following weeks one copy may fill (`CopyWeek.weeks`).
pub const MAX_COPY_WEEKS: u32 = 12;

/// What is wrong with one day's times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayProblem {
    /// Only one of the two times is given.
    Incomplete,
    /// Not a time of day (browsers without a time picker show a text box).
    InvalidTime,
    PickUpBeforeDropOff,
    OutsideOpeningHours,
}

impl DayProblem {
    /// Whether the problem shows while typing; the others wait until the week is sent, as the
    /// person may be about to fill in the other field.
    fn shows_at_once(self) -> bool {
        matches!(self, Self::PickUpBeforeDropOff | Self::OutsideOpeningHours)
    }
}

/// A time from a time input, `"07:30"` (or `"07:30:00"`, which some browsers give).
fn parse_input_time(value: &str) -> Option<NaiveTime> {
    let value = value
        .strip_suffix(":00")
        .filter(|v| v.len() == 5)
        .unwrap_or(value);
    parse_time_of_day(value)
}

/// One day's times as typed, with the server's rules: both or neither, the pick-up after the
/// drop-off, both within the unit's opening hours. `Ok(None)` is a day without care.
pub fn check_day(
    day: &ScheduleDay,
    drop_off: &str,
    pick_up: &str,
) -> Result<Option<(NaiveTime, NaiveTime)>, DayProblem> {
    let (drop_off, pick_up) = (drop_off.trim(), pick_up.trim());
    match (drop_off.is_empty(), pick_up.is_empty()) {
        (true, true) => return Ok(None),
        (false, false) => {}
        _ => return Err(DayProblem::Incomplete),
    }
    let (Some(drop_off), Some(pick_up)) = (parse_input_time(drop_off), parse_input_time(pick_up))
    else {
        return Err(DayProblem::InvalidTime);
    };
    if pick_up <= drop_off {
        return Err(DayProblem::PickUpBeforeDropOff);
    }
    let opens = parse_time_of_day(&day.opens_at);
    let closes = parse_time_of_day(&day.closes_at);
    if opens.is_some_and(|opens| drop_off < opens) || closes.is_some_and(|closes| pick_up > closes)
    {
        return Err(DayProblem::OutsideOpeningHours);
    }
    Ok(Some((drop_off, pick_up)))
}

/// The holiday or non-working eve on `date`: the same answer as `calendar::holiday` (a test
/// compares every day of two centuries), computed directly rather than from the year's sorted
/// list, whose sort alone cost the wasm some 5 KB. On a date with two, the first in `Holiday`'s
/// order, as there.
pub fn holiday(date: NaiveDate) -> Option<Holiday> {
    use Holiday::*;
    let (month, day, weekday) = (date.month(), date.day(), date.weekday());
    let fixed = match (month, day) {
        (1, 1) => Some(Nyarsdagen),
        (1, 6) => Some(TrettondedagJul),
        (5, 1) => Some(ForstaMaj),
        (6, 6) => Some(Nationaldagen),
        (12, 24) => Some(Julafton),
        (12, 25) => Some(Juldagen),
        (12, 26) => Some(AnnandagJul),
        (12, 31) => Some(Nyarsafton),
        _ => None,
    };
    let moving = match (month, weekday) {
        (6, Weekday::Fri) if (19..=25).contains(&day) => Some(Midsommarafton),
        (6, Weekday::Sat) if (20..=26).contains(&day) => Some(Midsommardagen),
        (10, Weekday::Sat) if day == 31 => Some(AllaHelgonsDag),
        (11, Weekday::Sat) if day <= 6 => Some(AllaHelgonsDag),
        _ => None,
    };
    let easter = calendar::easter_sunday(date.year()).and_then(|easter| {
        match date.signed_duration_since(easter).num_days() {
            -2 => Some(Langfredagen),
            0 => Some(Paskdagen),
            1 => Some(AnnandagPask),
            39 => Some(KristiHimmelsfardsdag),
            49 => Some(Pingstdagen),
            _ => None,
        }
    });
    [fixed, moving, easter].into_iter().flatten().min()
}

/// Monday to Friday and not a holiday: `calendar::is_working_day`, through [`holiday`].
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && holiday(date).is_none()
}

/// How many working days before a day its schedule locks, read back from the last date it may
/// be changed (the server sends that date): the working days strictly between the two.
pub fn lock_working_days(day: &ScheduleDay) -> u32 {
    let mut count = 0;
    let mut date = day.changeable_until;
    // Bounded, in case of a strange date: no unit locks schedules months ahead.
    for _ in 0..60 {
        match date.succ_opt() {
            Some(next) if next < day.date => date = next,
            _ => break,
        }
        if is_working_day(date) {
            count += 1;
        }
    }
    count
}

/// The week to show first: this week, and from Saturday on the next one.
pub fn first_week(today: NaiveDate) -> NaiveDate {
    calendar::week_start(today.checked_add_days(Days::new(2)).unwrap_or(today))
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days < 0 {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(date)
}

/// The date a server refusal is about: the server names it in a field of its own.
pub fn error_date(error: &ClientError) -> Option<NaiveDate> {
    match error {
        ClientError::Api(api) => api.date,
        _ => None,
    }
}

/// `text` with its first letter in upper case (the texts here begin in ASCII or with a digit).
fn capitalized(mut text: String) -> String {
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// One weekday of the form, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayInput {
    pub drop_off: String,
    pub pick_up: String,
    /// "Ingen omsorg" is ticked: the times are kept (for unticking) but not sent.
    pub no_care: bool,
}

impl DayInput {
    fn times(&self) -> (&str, &str) {
        if self.no_care {
            ("", "")
        } else {
            (&self.drop_off, &self.pick_up)
        }
    }
}

/// The week being edited: the server's week and the times as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeekForm {
    pub week: Option<WeekSchedule>,
    pub days: Vec<DayInput>,
    /// Save was pressed: every problem shows.
    pub sent: bool,
}

impl WeekForm {
    /// The week as the server sent it. A week not filled in yet starts with every "Ingen omsorg"
    /// unticked, to be filled in; a filled-in one shows its days without care ticked.
    pub fn load(&mut self, week: WeekSchedule) {
        let filled = week.days.iter().any(|day| day.drop_off.is_some());
        self.days = week
            .days
            .iter()
            .map(|day| DayInput {
                drop_off: day.drop_off.clone().unwrap_or_default(),
                pick_up: day.pick_up.clone().unwrap_or_default(),
                no_care: filled && day.drop_off.is_none(),
            })
            .collect();
        self.week = Some(week);
        self.sent = false;
    }

    fn can_edit(&self) -> bool {
        self.week.as_ref().is_some_and(|week| {
            week.permitted_actions
                .contains(&PersonAction::EditChildcareSchedule)
        })
    }

    /// The days this person may change: editable, not locked, not closed.
    fn editable(&self, day: &ScheduleDay) -> bool {
        self.can_edit() && !day.locked && !day.closed
    }

    /// Whether any day of the week can still be changed: when none can, there is nothing to save.
    pub fn any_editable(&self) -> bool {
        self.pairs().any(|(day, _)| self.editable(day))
    }

    /// The pairs of server day and typed times.
    fn pairs(&self) -> impl Iterator<Item = (&ScheduleDay, &DayInput)> {
        let days = self.week.as_ref().map_or(&[][..], |week| &week.days[..]);
        days.iter().zip(self.days.iter())
    }

    /// The problem to show at a day.
    pub fn problem(&self, index: usize) -> Option<DayProblem> {
        let (day, input) = self.pairs().nth(index)?;
        if !self.editable(day) {
            return None;
        }
        let (drop_off, pick_up) = input.times();
        let problem = check_day(day, drop_off, pick_up).err()?;
        (self.sent || problem.shows_at_once()).then_some(problem)
    }

    /// What to send, when every day that may be changed is valid. Locked and closed days are
    /// left out: the server keeps them as they are.
    pub fn update(&self) -> Option<WeekScheduleUpdate> {
        let mut days = Vec::new();
        for (day, input) in self.pairs() {
            if !self.editable(day) {
                continue;
            }
            let (drop_off, pick_up) = input.times();
            let times = check_day(day, drop_off, pick_up).ok()?;
            days.push(ScheduleDayUpdate {
                date: day.date,
                drop_off: times.map(|t| format_time_of_day(t.0)),
                pick_up: times.map(|t| format_time_of_day(t.1)),
            });
        }
        Some(WeekScheduleUpdate { days })
    }

    /// Whether a day differs from what the server has.
    pub fn changed(&self) -> bool {
        self.pairs().any(|(day, input)| {
            let (drop_off, pick_up) = input.times();
            drop_off != day.drop_off.as_deref().unwrap_or_default()
                || pick_up != day.pick_up.as_deref().unwrap_or_default()
        })
    }
}

/// Everything the schedule page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub child: Uuid,
    /// The Monday of the week shown.
    pub monday: NaiveDate,
    pub form: WeekForm,
    pub load_error: Option<ClientError>,
    pub error: Option<ClientError>,
    pub saved: bool,
    pub saving: bool,
    /// How many following weeks to copy to.
    pub copy_weeks: u32,
    pub siblings: Vec<Uuid>,
    pub copying: bool,
    pub outcome: Option<CopyOutcome>,
    pub copy_error: Option<ClientError>,
}

pub enum Msg {
    /// Show the week this many days from the one shown (0: load the week shown).
    Go(i64),
    Loaded(NaiveDate, Result<WeekSchedule, ClientError>),
    /// A day's drop-off (`false`) or pick-up (`true`) time.
    Time(usize, bool, String),
    NoCare(usize, bool),
    Save,
    Saved(Result<WeekSchedule, ClientError>),
    CopyWeeks(String),
    Sibling(Uuid, bool),
    Copy,
    Copied(Result<CopyOutcome, ClientError>),
}

/// The requests the page makes: (child, Monday of the week, …).
pub enum Task {
    Load(Uuid, NaiveDate),
    Save(Uuid, NaiveDate, WeekScheduleUpdate),
    Copy(Uuid, NaiveDate, CopyWeek),
}

impl Schedule {
    pub fn new(child: Uuid, today: NaiveDate) -> Self {
        Self {
            child,
            monday: first_week(today),
            form: WeekForm::default(),
            load_error: None,
            error: None,
            saved: false,
            saving: false,
            copy_weeks: 1,
            siblings: Vec::new(),
            copying: false,
            outcome: None,
            copy_error: None,
        }
    }
}

impl Model for Schedule {
    type Msg = Msg;
    type Task = Task;

    fn update(&mut self, msg: Msg) -> Option<Task> {
        match msg {
            Msg::Go(days) => {
                // A new week starts afresh, keeping only what was chosen for copying.
                let mut fresh = Schedule::new(self.child, add_days(self.monday, days));
                fresh.copy_weeks = self.copy_weeks;
                fresh.siblings = std::mem::take(&mut self.siblings);
                *self = fresh;
                return Some(Task::Load(self.child, self.monday));
            }
            // An answer for a week no longer shown is dropped.
            Msg::Loaded(monday, _) if monday != self.monday => {}
            Msg::Loaded(_, Ok(week)) => self.form.load(week),
            Msg::Loaded(_, Err(err)) => self.load_error = Some(err),
            Msg::Time(index, pick_up, value) => {
                if let Some(day) = self.form.days.get_mut(index) {
                    *(if pick_up {
                        &mut day.pick_up
                    } else {
                        &mut day.drop_off
                    }) = value;
                }
                self.saved = false;
            }
            Msg::NoCare(index, no_care) => {
                if let Some(day) = self.form.days.get_mut(index) {
                    day.no_care = no_care;
                }
                self.saved = false;
            }
            Msg::Save if self.saving => {}
            // Every day locked or closed: nothing could change, so nothing is sent (and no
            // "saved" shown for a week nobody could save).
            Msg::Save if !self.form.any_editable() => {}
            Msg::Save => {
                self.form.sent = true;
                self.error = None;
                self.saved = false;
                let body = self.form.update()?;
                self.saving = true;
                return Some(Task::Save(self.child, self.monday, body));
            }
            Msg::Saved(result) => {
                self.saving = false;
                match result {
                    Ok(week) if week.week_start == self.monday => {
                        self.form.load(week);
                        self.saved = true;
                    }
                    Ok(_) => {}
                    Err(err) => self.error = Some(err),
                }
            }
            Msg::CopyWeeks(value) => {
                if let Ok(weeks) = value.parse::<u32>() {
                    self.copy_weeks = weeks.clamp(1, MAX_COPY_WEEKS);
                }
            }
            Msg::Sibling(child, on) => {
                self.siblings.retain(|id| *id != child);
                if on {
                    self.siblings.push(child);
                }
            }
            Msg::Copy if self.copying => {}
            Msg::Copy => {
                self.copying = true;
                self.outcome = None;
                self.copy_error = None;
                let body = CopyWeek {
                    weeks: self.copy_weeks,
                    sibling_ids: self.siblings.clone(),
                };
                return Some(Task::Copy(self.child, self.monday, body));
            }
            Msg::Copied(result) => {
                self.copying = false;
                match result {
                    Ok(outcome) => self.outcome = Some(outcome),
                    Err(err) => self.copy_error = Some(err),
                }
            }
        }
        None
    }

    fn run(task: Task) -> Pending<Msg> {
        match task {
            Task::Load(child, monday) => {
                api::week_schedule(child, monday).then(move |week| Msg::Loaded(monday, week))
            }
            Task::Save(child, monday, body) => {
                api::save_week(child, monday, &body).then(Msg::Saved)
            }
            Task::Copy(child, monday, body) => {
                api::copy_week(child, monday, &body).then(Msg::Copied)
            }
        }
    }
}

fn problem_text(i18n: &I18n, problem: DayProblem, day: &ScheduleDay) -> String {
    match problem {
        DayProblem::Incomplete => i18n.t("error.incomplete_day").to_owned(),
        DayProblem::InvalidTime => i18n.t("error.invalid_time").to_owned(),
        DayProblem::PickUpBeforeDropOff => i18n.t("error.pick_up_before_drop_off").to_owned(),
        DayProblem::OutsideOpeningHours => i18n.tf(
            "schedule.outside_hours",
            &[("opens", &day.opens_at), ("closes", &day.closes_at)],
        ),
    }
}

fn skip_text(i18n: &I18n, reason: SkipReason) -> &'static str {
    match reason {
        SkipReason::Locked => i18n.t("schedule.skip_locked"),
        SkipReason::Closed => i18n.t("schedule.skip_closed"),
        SkipReason::NoPlacement => i18n.t("schedule.skip_no_placement"),
        SkipReason::OutsideOpeningHours => i18n.t("schedule.skip_outside_hours"),
    }
}

/// The value of the input (or select) an event came from.
fn value_of(event: &Event) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// A checkbox with its label; `name` is the accessible name when the label alone is not enough.
fn checkbox(
    id: String,
    label: &str,
    name: String,
    checked: bool,
    enabled: bool,
    onchange: Callback<bool>,
) -> Html {
    html! {
        <div class="checkbox">
            <input
                class="checkbox__input"
                type="checkbox"
                id={id.clone()}
                aria-label={name}
                {checked}
                disabled={!enabled}
                onchange={onchange.reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked())}
            />
            <label class="checkbox__label" for={id}>{ label }</label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SchedulePageProps {
    pub id: Uuid,
}

/// `/barnomsorg/schema/:id` ("Schema"): a child's week of drop-off and pick-up times, made to be
/// filled in quickly on a phone: one card per weekday with two time pickers and "Ingen omsorg",
/// locked and closed days shown as such, the server's rules checked while typing, one save for
/// the week; then the saved week copied to following weeks and to siblings.
///
/// State lives in one [`Schedule`] model (see `hooks::use_model`), and the markup is kept lean
/// (repeated shapes come from one loop or function), as the SPA has a size budget.
#[function_component]
pub fn SchedulePage(props: &SchedulePageProps) -> Html {
    let i18n = use_i18n();
    let id = props.id;
    let basis = use_fee_basis();
    let basis: Option<Rc<FeeBasis>> = match &*basis {
        FeeBasisState::Ready(basis) => Some(basis.clone()),
        _ => None,
    };
    let title = match basis
        .as_ref()
        .and_then(|basis| basis.children.iter().find(|c| c.child_id == id))
    {
        Some(child) => i18n.tf("schedule.title_child", &[("name", &child.given_name)]),
        None => i18n.t("childcare.schedule_link").to_owned(),
    };
    use_title(&title);
    let model = use_model(
        || Schedule::new(id, dom::today_in_sweden().unwrap_or_default()),
        Msg::Go(0),
    );
    let page = model.get();
    let form = &page.form;

    let server_date = page.error.as_ref().and_then(error_date);
    let summary = if form.sent && form.update().is_none() {
        Some(i18n.t("form.check_fields").to_owned())
    } else {
        match (&page.error, server_date) {
            (Some(err), Some(date)) => Some(capitalized(i18n.tf(
                "schedule.day_error",
                &[
                    ("day", &i18n.weekday_date(date)),
                    ("error", &error_text(&i18n, err)),
                ],
            ))),
            _ => None,
        }
    };

    let body = match (&form.week, &page.load_error) {
        (_, Some(err)) if err.is_unauthenticated() => loading(&i18n),
        (_, Some(err)) => error_alert(&i18n, "week-error", Some(err), None),
        (None, None) => loading(&i18n),
        (Some(week), None) => {
            let can_edit = form.can_edit();
            // Opening hours, the lock rule, who changed the week last; read-only if so.
            let mut facts = Vec::new();
            let first_open = week.days.iter().find(|day| !day.closed);
            if let Some(day) = first_open {
                facts.push(i18n.tf(
                    "schedule.opening_hours",
                    &[("opens", &day.opens_at), ("closes", &day.closes_at)],
                ));
            }
            facts.push(match first_open.map_or(0, lock_working_days) {
                0 => i18n.t("schedule.lock_rule_zero").to_owned(),
                n => i18n.tn("schedule.lock_rule", n as u64, &[]),
            });
            if let (Some(by), Some(at)) = (&week.last_changed_by, week.last_changed_at) {
                facts.push(i18n.tf(
                    "schedule.last_changed",
                    &[("name", by), ("time", &i18n.date_time(at))],
                ));
            }
            if !can_edit {
                facts.push(i18n.t("schedule.read_only").to_owned());
            }
            html! {
                <>
                    <ul class="hint schedule-facts" id={LOCK_RULE_ID}>
                        { for facts.into_iter().map(|fact| html! { <li>{ fact }</li> }) }
                    </ul>
                    <form class="form schedule" id="schedule-form" novalidate=true onsubmit={model.callback(|e: SubmitEvent| {
                        e.prevent_default();
                        Msg::Save
                    })}>
                        { for week.days.iter().enumerate().map(|(index, day)| day_html(&i18n, &model, &page, index, day, server_date)) }
                        if can_edit {
                            if !page.form.any_editable() {
                                <p class="hint" id="save-week-hint">{ i18n.t("schedule.all_locked") }</p>
                            }
                            <button
                                type="submit"
                                id="save-week"
                                class="button button--primary button--block"
                                disabled={!page.form.any_editable()}
                                aria-describedby={(!page.form.any_editable()).then_some("save-week-hint")}
                                aria-busy={page.saving.then_some("true")}
                            >
                                { if page.saving { i18n.t("schedule.saving") } else { i18n.t("schedule.save") } }
                            </button>
                        }
                    </form>
                    if can_edit {
                        { copy_html(&i18n, &model, &page, basis.as_deref()) }
                    }
                </>
            }
        }
    };

    html! {
        <div class="page schedule-page">
            { back_link(Route::Childcare, i18n.t("childcare.back")) }
            <h1>{ title.clone() }</h1>
            <p class="lead">{ i18n.t("schedule.intro") }</p>
            <h2 id="week-heading" aria-live="polite">{ i18n.week(page.monday) }</h2>
            <div class="week-nav">
                { for [
                    ("previous-week", i18n.t("schedule.previous_week"), -7),
                    ("next-week", i18n.t("schedule.next_week"), 7),
                ].map(|(id, text, days)| html! {
                    <button type="button" {id} class="button button--secondary" onclick={model.callback(move |_: MouseEvent| Msg::Go(days))}>
                        { text }
                    </button>
                }) }
            </div>
            { status_message("schedule-status", page.saved.then(|| i18n.t("schedule.saved"))) }
            { error_alert(&i18n, ERROR_ID, page.error.as_ref(), summary.as_deref()) }
            { body }
            <Presence child={id} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PresenceProps {
    child: Uuid,
}

/// The actual times the preschool's tablet recorded, beside the schedule the guardians set
/// (Tempus Hemma's history), the last four weeks.
#[function_component]
fn Presence(props: &PresenceProps) -> Html {
    let i18n = use_i18n();
    let loaded = use_state(|| None::<Result<skolportal_shared::api::ChildPresence, ClientError>>);
    {
        let loaded = loaded.clone();
        use_effect_with(props.child, move |child| {
            let child = *child;
            yew::platform::spawn_local(async move {
                loaded.set(Some(api::child_presence(child).await))
            });
        });
    }
    let clock = |at: chrono::DateTime<chrono::Utc>| crate::i18n::clock_time(at);
    let body = match &*loaded {
        None => loading(&i18n),
        Some(Err(err)) => error_alert(&i18n, "presence-error", Some(err), None),
        Some(Ok(presence)) if !presence.days.iter().any(|d| d.checked_in_at.is_some()) => {
            html! { <p class="empty-state">{ i18n.t("childcare.presence_none") }</p> }
        }
        Some(Ok(presence)) => {
            let headers = [
                i18n.t("childcare.presence_date"),
                i18n.t("childcare.presence_planned"),
                i18n.t("childcare.presence_actual"),
                i18n.t("childcare.presence_collected"),
            ];
            let rows = html! {
                { for presence.days.iter().map(|d| html! {
                    <tr class="data-table__row presence-day" role="row" key={d.date.to_string()}>
                        { cell(headers[0], html! { { i18n.weekday_date(d.date) } }) }
                        { cell(headers[1], html! { { match (&d.planned_drop_off, &d.planned_pick_up) {
                            (Some(from), Some(to)) => format!("{from}–{to}"),
                            _ => "–".to_owned(),
                        } } }) }
                        { cell(headers[2], html! { { match (d.checked_in_at, d.checked_out_at) {
                            (Some(came), Some(left)) => format!("{}–{}", clock(came), clock(left)),
                            (Some(came), None) => format!("{}–", clock(came)),
                            _ => "–".to_owned(),
                        } } }) }
                        { cell(headers[3], html! { { d.collected_by.clone().unwrap_or_default() } }) }
                    </tr>
                }) }
            };
            data_table("presence-heading", "presence", &headers, rows)
        }
    };
    html! {
        <section class="section" aria-labelledby="presence-heading">
            <h2 id="presence-heading">{ i18n.t("childcare.presence_heading") }</h2>
            <p>{ i18n.t("childcare.presence_intro") }</p>
            { body }
        </section>
    }
}

/// One weekday as a card: a fieldset whose legend is the day, with the two times and "Ingen
/// omsorg"; read-only (and "Låst") when the day can no longer be changed, and without times when
/// the unit is closed or the child has no place that day. The inputs' accessible names include
/// the day ("Lämning måndag 30 november"), as a screen reader may not read the legend.
fn day_html(
    i18n: &I18n,
    model: &ModelHandle<Schedule>,
    page: &Schedule,
    index: usize,
    day: &ScheduleDay,
    server_date: Option<NaiveDate>,
) -> Html {
    let form = &page.form;
    let Some(input) = form.days.get(index) else {
        return Html::default();
    };
    let editable = form.editable(day);
    let date = day.date.to_string();
    let day_text = i18n.weekday_date(day.date);
    let note_id = format!("day-{date}-note");
    // The one note a day may have: why it is closed, its problem, or that it is locked.
    let error = match form.problem(index) {
        Some(problem) => Some(problem_text(i18n, problem, day)),
        None if server_date == Some(day.date) => {
            page.error.as_ref().map(|err| error_text(i18n, err))
        }
        None => None,
    };
    let note = if day.closed {
        Some((
            "schedule-day__note",
            match holiday(day.date) {
                Some(holiday) => i18n.tf("schedule.closed_holiday", &[("name", holiday.name_sv())]),
                None => i18n.t("schedule.closed_no_place").to_owned(),
            },
        ))
    } else if let Some(error) = error.clone() {
        Some(("field__error", error))
    } else if day.locked {
        Some((
            "schedule-day__note lock-note",
            i18n.tf(
                "schedule.locked_since",
                &[("date", &i18n.weekday_date(day.changeable_until))],
            ),
        ))
    } else {
        None
    };
    let describedby = (!day.closed && note.is_some()).then(|| note_id.clone());
    let time_field = |pick_up: bool| {
        let (label, name, value) = if pick_up {
            (i18n.t("schedule.pick_up"), "pick_up", &input.pick_up)
        } else {
            (i18n.t("schedule.drop_off"), "drop_off", &input.drop_off)
        };
        let field_id = format!("{name}-{date}");
        let onchange = model.callback(move |e: Event| Msg::Time(index, pick_up, value_of(&e)));
        html! {
            <div class="field schedule-day__time">
                <label class="field__label" for={field_id.clone()}>{ label }</label>
                <input
                    class="field__input"
                    type="time"
                    id={field_id}
                    {name}
                    aria-label={format!("{label} {day_text}")}
                    value={if input.no_care { String::new() } else { value.clone() }}
                    min={day.opens_at.clone()}
                    max={day.closes_at.clone()}
                    step="300"
                    readonly={!editable}
                    disabled={input.no_care && editable}
                    aria-invalid={error.as_ref().map(|_| "true")}
                    aria-describedby={describedby.clone()}
                    oninput={onchange.reform(Event::from)}
                    {onchange}
                />
            </div>
        }
    };
    let no_care = i18n.t("schedule.no_care");
    html! {
        <fieldset
            class={classes!("schedule-day", day.closed.then_some("schedule-day--closed"), day.locked.then_some("schedule-day--locked"))}
            data-date={date.clone()}
        >
            <legend class="schedule-day__legend">{ capitalized(day_text.clone()) }</legend>
            if let Some((class, text)) = note {
                <p {class} id={note_id}>{ text }</p>
            }
            if !day.closed {
                <div class="schedule-day__times">
                    { time_field(false) }
                    { time_field(true) }
                </div>
                { checkbox(
                    format!("no-care-{date}"),
                    no_care,
                    format!("{no_care} {day_text}"),
                    input.no_care || (!editable && input.drop_off.is_empty()),
                    editable,
                    model.callback(move |on| Msg::NoCare(index, on)),
                ) }
            }
        </fieldset>
    }
}

/// "Kopiera veckan": the saved week to 1–12 following weeks, and to siblings with the same kind
/// of care, with what was written and what was skipped and why.
fn copy_html(
    i18n: &I18n,
    model: &ModelHandle<Schedule>,
    page: &Schedule,
    basis: Option<&FeeBasis>,
) -> Html {
    let children: &[FeeChild] = basis.map_or(&[], |basis| &basis.children);
    let care = children
        .iter()
        .find(|c| c.child_id == page.child)
        .map(|c| c.care);
    let name_of = |child_id: Uuid| {
        children
            .iter()
            .find(|c| c.child_id == child_id)
            .map_or("", |c| c.given_name.as_str())
    };
    let siblings: Vec<&FeeChild> = children
        .iter()
        .filter(|c| c.child_id != page.child && Some(c.care) == care)
        .collect();
    let result = page.outcome.as_ref().map(|outcome| {
        let mut summary = match outcome.written_days {
            0 => i18n.t("schedule.copy_written_none").to_owned(),
            n => i18n.tn("schedule.copy_written", n as u64, &[]),
        };
        if !outcome.skipped.is_empty() {
            summary.push(' ');
            summary.push_str(&i18n.tf(
                "schedule.copy_skipped",
                &[("count", &outcome.skipped.len().to_string())],
            ));
        }
        html! {
            <>
                <p class="alert alert--success">{ summary }</p>
                <ul class="copy-skipped">
                    { for outcome.skipped.iter().map(|skipped| html! {
                        <li>
                            { capitalized(i18n.tf("schedule.copy_skipped_day", &[
                                ("day", &i18n.weekday_date(skipped.date)),
                                ("name", name_of(skipped.child_id)),
                                ("reason", skip_text(i18n, skipped.reason)),
                            ])) }
                        </li>
                    }) }
                </ul>
            </>
        }
    });
    html! {
        <section class="section copy-week">
            <h2>{ i18n.t("schedule.copy_heading") }</h2>
            <p id="copy-intro">{ i18n.t("schedule.copy_intro") }</p>
            if page.form.changed() {
                <p class="notice">{ i18n.t("schedule.copy_unsaved") }</p>
            }
            <div class="field">
                <label class="field__label" for="copy-weeks">{ i18n.t("schedule.copy_weeks") }</label>
                // A <select>; its `value` is read the same way as an input's.
                <select class="field__input" id="copy-weeks" onchange={model.callback(|e: Event| Msg::CopyWeeks(value_of(&e)))}>
                    { for (1..=MAX_COPY_WEEKS).map(|n| html! {
                        <option value={n.to_string()} selected={n == page.copy_weeks}>{ n }</option>
                    }) }
                </select>
            </div>
            if !siblings.is_empty() {
                <fieldset class="field checkbox-group">
                    <legend class="field__label">{ i18n.t("schedule.copy_siblings") }</legend>
                    { for siblings.iter().map(|child| {
                        let child_id = child.child_id;
                        checkbox(
                            format!("sibling-{child_id}"),
                            &child.given_name,
                            child.given_name.clone(),
                            page.siblings.contains(&child_id),
                            true,
                            model.callback(move |on| Msg::Sibling(child_id, on)),
                        )
                    }) }
                </fieldset>
            }
            <button
                type="button"
                id="copy-week"
                class="button button--secondary button--block"
                aria-busy={page.copying.then_some("true")}
                aria-describedby="copy-intro"
                onclick={model.callback(|_: MouseEvent| Msg::Copy)}
            >
                { if page.copying { i18n.t("schedule.copying") } else { i18n.t("schedule.copy_heading") } }
            </button>
            <div id="copy-status" class="live-region" role="status" aria-live="polite">
                { for result }
            </div>
            { error_alert(i18n, COPY_ERROR_ID, page.copy_error.as_ref(), None) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::api_error;
    use crate::i18n::Lang;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
    }

    fn day(on: NaiveDate, until: NaiveDate) -> ScheduleDay {
        ScheduleDay {
            date: on,
            drop_off: None,
            pick_up: None,
            locked: false,
            changeable_until: until,
            closed: false,
            opens_at: "06:30".into(),
            closes_at: "18:00".into(),
        }
    }

    fn week(days: Vec<ScheduleDay>) -> WeekSchedule {
        WeekSchedule {
            child_id: Uuid::nil(),
            week_start: days.first().map(|d| d.date).unwrap_or_default(),
            days,
            last_changed_at: None,
            last_changed_by: None,
            permitted_actions: vec![PersonAction::EditChildcareSchedule],
        }
    }

    fn page(days: Vec<ScheduleDay>) -> Schedule {
        let monday = days.first().map(|d| d.date).unwrap_or_default();
        let mut page = Schedule::new(Uuid::nil(), monday);
        send(&mut page, vec![Msg::Loaded(monday, Ok(week(days)))]);
        page
    }

    fn send(page: &mut Schedule, msgs: Vec<Msg>) -> Option<Task> {
        let mut task = None;
        for msg in msgs {
            task = page.update(msg);
        }
        task
    }

    #[test]
    fn a_day_follows_the_servers_rules() {
        let monday = day(date(2026, 11, 30), date(2026, 11, 25));
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(check_day(&monday, "", " "), Ok(None));
        assert_eq!(
            check_day(&monday, "07:30", "16:00"),
            Ok(t(7, 30).zip(t(16, 0)))
        );
        assert_eq!(
            check_day(&monday, "07:30:00", "16:00"),
            Ok(t(7, 30).zip(t(16, 0)))
        );
        assert_eq!(
            check_day(&monday, "06:30", "18:00"),
            Ok(t(6, 30).zip(t(18, 0)))
        );
        assert_eq!(check_day(&monday, "07:30", ""), Err(DayProblem::Incomplete));
        assert_eq!(check_day(&monday, "", "16:00"), Err(DayProblem::Incomplete));
        assert_eq!(
            check_day(&monday, "7.30", "16:00"),
            Err(DayProblem::InvalidTime)
        );
        assert_eq!(
            check_day(&monday, "16:00", "16:00"),
            Err(DayProblem::PickUpBeforeDropOff)
        );
        assert_eq!(
            check_day(&monday, "16:00", "08:00"),
            Err(DayProblem::PickUpBeforeDropOff)
        );
        assert_eq!(
            check_day(&monday, "06:00", "16:00"),
            Err(DayProblem::OutsideOpeningHours)
        );
        assert_eq!(
            check_day(&monday, "07:00", "18:15"),
            Err(DayProblem::OutsideOpeningHours)
        );
    }

    #[test]
    fn holidays_are_the_shared_calendars() {
        let mut date = date(1900, 1, 1);
        while date.year() <= 2100 {
            assert_eq!(holiday(date), calendar::holiday(date), "{date}");
            assert_eq!(
                is_working_day(date),
                calendar::is_working_day(date),
                "{date}"
            );
            date = add_days(date, 1);
        }
    }

    #[test]
    fn the_lock_is_read_back_in_working_days() {
        // Monday 30 November 2026 with a two-day lock: changeable until Wednesday 25 November.
        assert_eq!(
            lock_working_days(&day(date(2026, 11, 30), date(2026, 11, 25))),
            2
        );
        // Tuesday 7 April 2026, two days over Easter: until 31 March.
        assert_eq!(
            lock_working_days(&day(date(2026, 4, 7), date(2026, 3, 31))),
            2
        );
        assert_eq!(
            lock_working_days(&day(date(2026, 11, 25), date(2026, 11, 24))),
            0
        );
        assert_eq!(
            lock_working_days(&day(date(2026, 11, 27), date(2026, 11, 25))),
            1
        );
    }

    #[test]
    fn the_first_week_is_the_next_one_at_the_weekend() {
        assert_eq!(first_week(date(2026, 11, 24)), date(2026, 11, 23));
        assert_eq!(first_week(date(2026, 11, 27)), date(2026, 11, 23));
        assert_eq!(first_week(date(2026, 11, 28)), date(2026, 11, 30));
        assert_eq!(first_week(date(2026, 11, 29)), date(2026, 11, 30));
        assert_eq!(add_days(date(2026, 11, 30), -7), date(2026, 11, 23));
    }

    #[test]
    fn the_form_sends_only_the_days_it_may_change() {
        let monday = date(2026, 11, 30);
        let mut days: Vec<ScheduleDay> = (0..5)
            .map(|n| day(add_days(monday, n), date(2026, 11, 25)))
            .collect();
        days[0].locked = true;
        days[0].drop_off = Some("08:00".into());
        days[0].pick_up = Some("15:00".into());
        days[3].closed = true;
        let mut page = page(days);
        // A filled-in week: the empty days are days without care.
        assert!(page.form.days[1].no_care);
        assert!(!page.form.changed());
        send(
            &mut page,
            vec![Msg::NoCare(1, false), Msg::Time(1, false, "07:30".into())],
        );
        // Only one time: not blamed until sent, and nothing is sent.
        assert_eq!(page.form.problem(1), None);
        assert!(send(&mut page, vec![Msg::Save]).is_none());
        assert_eq!(page.form.problem(1), Some(DayProblem::Incomplete));
        send(&mut page, vec![Msg::Time(1, true, "16:00".into())]);
        assert!(page.form.changed());
        let Some(Task::Save(_, week, update)) = send(&mut page, vec![Msg::Save]) else {
            panic!("a valid week is saved");
        };
        assert_eq!(week, monday);
        assert!(page.saving);
        let dates: Vec<NaiveDate> = update.days.iter().map(|d| d.date).collect();
        assert_eq!(
            dates,
            vec![
                add_days(monday, 1),
                add_days(monday, 2),
                add_days(monday, 4)
            ]
        );
        assert_eq!(update.days[0].drop_off.as_deref(), Some("07:30"));
        assert_eq!(update.days[1].drop_off, None);
        // Pressing again while saving sends nothing more.
        assert!(send(&mut page, vec![Msg::Save]).is_none());
        send(&mut page, vec![Msg::Saved(Err(ClientError::Network))]);
        assert!(!page.saving);
        // Ticking "Ingen omsorg" keeps the times for unticking but sends none.
        send(&mut page, vec![Msg::NoCare(1, true)]);
        assert_eq!(page.form.days[1].drop_off, "07:30");
        assert_eq!(
            page.form.update().map(|u| u.days[0].pick_up.clone()),
            Some(None)
        );
        // Clearly wrong times show at once.
        send(
            &mut page,
            vec![
                Msg::NoCare(2, false),
                Msg::Time(2, false, "17:00".into()),
                Msg::Time(2, true, "09:00".into()),
            ],
        );
        assert_eq!(page.form.problem(2), Some(DayProblem::PickUpBeforeDropOff));
    }

    #[test]
    fn an_empty_week_starts_to_be_filled_in_and_late_answers_are_dropped() {
        let monday = date(2026, 11, 30);
        let days: Vec<ScheduleDay> = (0..5)
            .map(|n| day(add_days(monday, n), date(2026, 11, 25)))
            .collect();
        let mut page = page(days.clone());
        assert!(page.form.days.iter().all(|d| !d.no_care));
        let Some(Task::Load(_, next)) = send(&mut page, vec![Msg::Go(7)]) else {
            panic!("going to the next week loads it");
        };
        assert_eq!(next, add_days(monday, 7));
        assert!(page.form.week.is_none());
        // The answer for the week before arrives late: dropped.
        send(&mut page, vec![Msg::Loaded(monday, Ok(week(days)))]);
        assert!(page.form.week.is_none());
    }

    #[test]
    fn copying_takes_the_chosen_weeks_and_siblings() {
        let mut page = Schedule::new(Uuid::nil(), date(2026, 11, 24));
        let sibling = Uuid::from_u128(7);
        let task = send(
            &mut page,
            vec![
                Msg::CopyWeeks("4".into()),
                Msg::CopyWeeks("99".into()),
                Msg::CopyWeeks("x".into()),
                Msg::Sibling(sibling, true),
                Msg::Sibling(sibling, true),
                Msg::Copy,
            ],
        );
        let Some(Task::Copy(_, monday, body)) = task else {
            panic!("copy asks the server");
        };
        assert_eq!(monday, date(2026, 11, 23));
        assert_eq!(body.weeks, MAX_COPY_WEEKS);
        assert_eq!(body.sibling_ids, vec![sibling]);
        assert!(send(&mut page, vec![Msg::Copy]).is_none());
    }

    #[test]
    fn day_errors_name_their_day() {
        let err = ClientError::Api(api_error(
            422,
            r#"{"error":"day_locked","message":"2026-11-24: the schedule is locked","date":"2026-11-25"}"#,
            None,
        ));
        // The day comes from its own field, never from the English message.
        assert_eq!(error_date(&err), Some(date(2026, 11, 25)));
        let without = ClientError::Api(api_error(
            422,
            r#"{"error":"day_locked","message":"2026-11-25: the schedule is locked"}"#,
            None,
        ));
        assert_eq!(error_date(&without), None);
        let sv = I18n::new(Lang::Sv);
        assert!(error_text(&sv, &err).contains("låst"));
        assert_eq!(error_date(&ClientError::Network), None);
        assert_eq!(capitalized("måndag".into()), "Måndag");
    }

    #[test]
    fn the_schedules_error_codes_have_swedish_texts() {
        let sv = I18n::new(Lang::Sv);
        for code in [
            "not_a_monday",
            "week_required",
            "duplicate_day",
            "invalid_time",
            "incomplete_day",
            "invalid_body",
            "day_outside_week",
            "pick_up_before_drop_off",
            "outside_opening_hours",
            "closed_day",
            "day_locked",
            "no_placement",
            "invalid_sibling",
            "different_kind_of_care",
            "invalid_name",
            "too_many_pickup_persons",
        ] {
            let body = format!(r#"{{"error":"{code}","message":"English server text"}}"#);
            let shown = error_text(&sv, &ClientError::Api(api_error(422, &body, None)));
            assert!(!shown.contains("English"), "{code}: {shown}");
        }
    }
}
