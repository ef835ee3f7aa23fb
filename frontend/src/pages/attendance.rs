//! `/personal/narvaro/:lesson_id/:date` ("Närvaro"): a teacher takes a lesson's attendance on a
//! phone in seconds. Everyone is present until marked; a guardian's report shows as valid
//! absence before the teacher starts. One tap per pupil who is not simply present, then save.
//! A correction later shows what it replaced, by whom and when.

use chrono::NaiveDate;
use skolportal_shared::api::{AttendanceMark, AttendanceUpdate, LessonRoster, PupilMark};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError, Pending};
use crate::app::Route;
use crate::components::{back_link, error_alert, loading, status_message};
use crate::hooks::{use_i18n, use_model, use_title, Model, ModelHandle};
use crate::i18n::I18n;

const ERROR_ID: &str = "attendance-error";
const STATUS_ID: &str = "attendance-status";

/// The roster as loaded, and the marks as the teacher has set them since.
pub struct Taking {
    pub lesson: Uuid,
    pub date: NaiveDate,
    pub roster: Option<Result<LessonRoster, ClientError>>,
    /// Each pupil's mark and minutes late (as typed) on the page.
    pub marks: Vec<(Uuid, AttendanceMark, String)>,
    pub busy: bool,
    pub saved: bool,
    pub error: Option<ClientError>,
    /// A late mark without whole minutes from 1 to the lesson's length.
    pub bad_minutes: Option<Uuid>,
}

pub enum Msg {
    Load,
    Loaded(Result<LessonRoster, ClientError>),
    Mark(Uuid, AttendanceMark),
    Minutes(Uuid, String),
    Save,
    Saved(Result<LessonRoster, ClientError>),
}

impl Taking {
    fn take(&mut self, roster: &LessonRoster) {
        self.marks = roster
            .pupils
            .iter()
            .map(|p| {
                let minutes = p.late_minutes.map(|m| m.to_string()).unwrap_or_default();
                (p.pupil_id, p.mark, minutes)
            })
            .collect();
    }

    /// What the save sends: every pupil's mark as set on the page.
    fn to_send(&self) -> Result<AttendanceUpdate, Uuid> {
        let marks = self
            .marks
            .iter()
            .map(|(pupil, mark, minutes)| {
                let late_minutes = if *mark == AttendanceMark::Late {
                    Some(
                        minutes
                            .trim()
                            .parse::<u16>()
                            .ok()
                            .filter(|m| *m >= 1)
                            .ok_or(*pupil)?,
                    )
                } else {
                    None
                };
                Ok(PupilMark {
                    pupil_id: *pupil,
                    mark: *mark,
                    late_minutes,
                })
            })
            .collect::<Result<Vec<_>, Uuid>>()?;
        Ok(AttendanceUpdate { marks })
    }
}

impl Model for Taking {
    type Msg = Msg;
    /// The lesson and day, and `None` to load the roster or `Some` to save.
    type Task = (Uuid, NaiveDate, Option<AttendanceUpdate>);

    fn update(&mut self, msg: Msg) -> Option<Self::Task> {
        match msg {
            Msg::Load => return Some((self.lesson, self.date, None)),
            Msg::Loaded(roster) => {
                if let Ok(roster) = &roster {
                    self.take(roster);
                }
                self.roster = Some(roster);
            }
            Msg::Mark(pupil, mark) => {
                if let Some(entry) = self.marks.iter_mut().find(|(p, ..)| *p == pupil) {
                    entry.1 = mark;
                }
                self.saved = false;
                self.bad_minutes = None;
            }
            Msg::Minutes(pupil, text) => {
                if let Some(entry) = self.marks.iter_mut().find(|(p, ..)| *p == pupil) {
                    entry.2 = text;
                }
                self.saved = false;
                self.bad_minutes = None;
            }
            Msg::Save => {
                if self.busy {
                    return None;
                }
                self.error = None;
                match self.to_send() {
                    Ok(update) => {
                        self.busy = true;
                        return Some((self.lesson, self.date, Some(update)));
                    }
                    Err(pupil) => self.bad_minutes = Some(pupil),
                }
            }
            Msg::Saved(result) => {
                self.busy = false;
                match result {
                    Ok(roster) => {
                        self.take(&roster);
                        self.roster = Some(Ok(roster));
                        self.saved = true;
                    }
                    Err(error) => self.error = Some(error),
                }
            }
        }
        None
    }

    fn run((lesson, date, update): Self::Task) -> Pending<Msg> {
        match update {
            None => api::lesson_roster(lesson, date).then(Msg::Loaded),
            Some(update) => api::save_attendance(lesson, date, &update).then(Msg::Saved),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct AttendancePageProps {
    pub lesson_id: Uuid,
    pub date: NaiveDate,
}

#[function_component]
pub fn AttendancePage(props: &AttendancePageProps) -> Html {
    let i18n = use_i18n();
    use_title(i18n.t("attendance.title"));
    let (lesson, date) = (props.lesson_id, props.date);
    let model = use_model(
        move || Taking {
            lesson,
            date,
            roster: None,
            marks: Vec::new(),
            busy: false,
            saved: false,
            error: None,
            bad_minutes: None,
        },
        Msg::Load,
    );
    let page = model.get();
    let body = match &page.roster {
        None => loading(&i18n),
        Some(Err(error)) if error.is_unauthenticated() => loading(&i18n),
        Some(Err(error)) => error_alert(&i18n, ERROR_ID, Some(error), None),
        Some(Ok(roster)) => roster_html(&i18n, &model, &page, roster),
    };
    html! {
        <div class="page page--narrow attendance-page">
            { back_link(Route::StaffTimetable, i18n.t("attendance.back")) }
            <h1>{ i18n.t("attendance.title") }</h1>
            { body }
        </div>
    }
}

const MARKS: [AttendanceMark; 4] = [
    AttendanceMark::Present,
    AttendanceMark::Late,
    AttendanceMark::ValidAbsence,
    AttendanceMark::UnexcusedAbsence,
];

fn roster_html(
    i18n: &I18n,
    model: &ModelHandle<Taking>,
    page: &Taking,
    roster: &LessonRoster,
) -> Html {
    let heading = format!(
        "{} · {} · {}",
        i18n.t(&format!("timetable.activity.{}", roster.activity.code())),
        roster.group_name,
        skolportal_shared::lang::time_range(&roster.starts_at, &roster.ends_at),
    );
    let onsubmit = model.callback(|event: SubmitEvent| {
        event.prevent_default();
        Msg::Save
    });
    let away = page
        .marks
        .iter()
        .filter(|(_, mark, _)| *mark != AttendanceMark::Present)
        .count();
    let minutes_error = page
        .bad_minutes
        .map(|_| i18n.t("error.invalid_late_minutes").to_owned());
    html! {
        <>
            <p class="lead">{ heading }</p>
            <p>{ i18n.weekday_date(roster.date) }</p>
            <p class="hint">{ i18n.t("attendance.intro") }</p>
            { error_alert(i18n, ERROR_ID, page.error.as_ref(), minutes_error.as_deref()) }
            { status_message(STATUS_ID, page.saved.then(|| i18n.t("attendance.saved"))) }
            <form class="form attendance-form" novalidate=true {onsubmit}>
                <ul class="card-list attendance-list">
                    { for roster.pupils.iter().map(|pupil| {
                        let (mark, minutes) = page
                            .marks
                            .iter()
                            .find(|(p, ..)| *p == pupil.pupil_id)
                            .map(|(_, m, t)| (*m, t.clone()))
                            .unwrap_or((pupil.mark, String::new()));
                        pupil_html(i18n, model, pupil, mark, minutes, page.bad_minutes == Some(pupil.pupil_id))
                    }) }
                </ul>
                <p id="attendance-count" role="status">{ i18n.tn("attendance.away_count", away as u64, &[]) }</p>
                <div class="actions">
                    <button type="submit" id="attendance-save" class="button button--primary" aria-busy={page.busy.then_some("true")}>
                        { i18n.t("attendance.save") }
                    </button>
                </div>
            </form>
        </>
    }
}

fn pupil_html(
    i18n: &I18n,
    model: &ModelHandle<Taking>,
    pupil: &skolportal_shared::api::RosterPupil,
    mark: AttendanceMark,
    minutes: String,
    bad_minutes: bool,
) -> Html {
    let id = pupil.pupil_id;
    let name = format!("{} {}", pupil.given_name, pupil.family_name);
    let group = format!("attendance-{id}");
    let changed = pupil.history.len() > 1;
    html! {
        <li class="card attendance-pupil" key={id.to_string()}>
            <fieldset class="attendance-pupil__marks">
                <legend class="card__title">{ name.clone() }</legend>
                if let Some(reported) = &pupil.reported_absence {
                    <p><span class="absence-mark">{ i18n.t(&format!("start.absence.{}", reported.reason.code())) }</span></p>
                }
                if pupil.on_leave {
                    <p><span class="absence-mark">{ i18n.t("leave.on_leave") }</span></p>
                }
                <div class="segmented">
                    { for MARKS.iter().map(|option| {
                        let input_id = format!("{group}-{}", option.code());
                        let option = *option;
                        html! {
                            <span class="segmented__option">
                                <input type="radio" class="segmented__input" id={input_id.clone()} name={group.clone()}
                                    value={option.code()} checked={mark == option}
                                    onchange={model.callback(move |_: Event| Msg::Mark(id, option))} />
                                <label class="segmented__label" for={input_id}>
                                    { i18n.t(&format!("attendance.mark.{}", option.code())) }
                                </label>
                            </span>
                        }
                    }) }
                </div>
                if mark == AttendanceMark::Late {
                    { crate::components::TextField::new(
                        format!("{group}-minutes"),
                        i18n.tf("attendance.minutes_of", &[("name", &name)]),
                        minutes,
                        model.callback(move |text: String| Msg::Minutes(id, text)),
                        "off",
                    )
                    .input_type("number")
                    .inputmode("numeric")
                    .error(bad_minutes.then(|| i18n.t("error.invalid_late_minutes"))) }
                }
                if changed {
                    if let Some(previous) = pupil.history.get(1) {
                        <p class="hint">{ i18n.tf("attendance.changed_from", &[
                            ("mark", i18n.t(&format!("attendance.mark.{}", previous.mark.code()))),
                            ("name", &pupil.history[0].recorded_by),
                            ("time", &i18n.date_time(pupil.history[0].recorded_at)),
                        ]) }</p>
                    }
                }
            </fieldset>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skolportal_shared::api::{Activity, RosterPupil};

    fn roster(marks: &[AttendanceMark]) -> LessonRoster {
        LessonRoster {
            lesson_id: Uuid::from_u128(1),
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
            activity: Activity::Swedish,
            group_name: "8A".into(),
            starts_at: "08:10".into(),
            ends_at: "09:00".into(),
            taken: false,
            pupils: marks
                .iter()
                .enumerate()
                .map(|(n, mark)| RosterPupil {
                    pupil_id: Uuid::from_u128(10 + n as u128),
                    given_name: format!("Elev {n}"),
                    family_name: "Test".into(),
                    mark: *mark,
                    late_minutes: None,
                    reported_absence: None,
                    on_leave: false,
                    history: Vec::new(),
                })
                .collect(),
        }
    }

    fn page() -> Taking {
        let mut page = Taking {
            lesson: Uuid::from_u128(1),
            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
            roster: None,
            marks: Vec::new(),
            busy: false,
            saved: false,
            error: None,
            bad_minutes: None,
        };
        page.update(Msg::Loaded(Ok(roster(&[
            AttendanceMark::Present,
            AttendanceMark::ValidAbsence,
            AttendanceMark::Present,
        ]))));
        page
    }

    #[test]
    fn the_save_sends_every_pupils_mark_as_set_with_a_reported_absence_kept() {
        let mut page = page();
        let (first, third) = (Uuid::from_u128(10), Uuid::from_u128(12));
        page.update(Msg::Mark(first, AttendanceMark::UnexcusedAbsence));
        page.update(Msg::Mark(third, AttendanceMark::Late));
        page.update(Msg::Minutes(third, " 5 ".into()));
        let Some((_, _, Some(update))) = page.update(Msg::Save) else {
            panic!("nothing sent");
        };
        let sent: Vec<(AttendanceMark, Option<u16>)> = update
            .marks
            .iter()
            .map(|m| (m.mark, m.late_minutes))
            .collect();
        assert_eq!(
            sent,
            [
                (AttendanceMark::UnexcusedAbsence, None),
                (AttendanceMark::ValidAbsence, None),
                (AttendanceMark::Late, Some(5)),
            ]
        );
        assert!(page.busy);
        assert!(page.update(Msg::Save).is_none(), "one save at a time");
    }

    #[test]
    fn late_without_minutes_is_said_and_not_sent() {
        let mut page = page();
        let third = Uuid::from_u128(12);
        page.update(Msg::Mark(third, AttendanceMark::Late));
        for typed in ["", "0", "fem", "-3"] {
            page.update(Msg::Minutes(third, typed.into()));
            assert!(page.update(Msg::Save).is_none(), "{typed:?}");
            assert_eq!(page.bad_minutes, Some(third));
        }
        page.update(Msg::Minutes(third, "12".into()));
        assert!(page.update(Msg::Save).is_some());
        assert_eq!(page.bad_minutes, None);
    }
}
