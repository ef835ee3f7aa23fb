//! A family's start page ("Mina barn", `GET /api/start`): "Idag" and "Den här veckan" for all of
//! a guardian's children together — lessons with their changes for school children, drop-off and
//! pick-up for children in preschool or fritidshem, the absence the family reported for each day
//! — and what waits for the guardian: offers to answer and documents to sign.
//!
//! It is the page every guardian opens every morning, so it is read like "Mina barn" is: the
//! sessions of concurrent requests are answered together (`crate::coalesce`), and each part of the
//! page is one statement for the whole batch. The children are the session's own
//! (`people::children_of_sessions` follows only its person's guardianships); what is shown of
//! each is the policy's answer (`ReadTimetable`, `ReadChildcareSchedule`, `ReportAbsence`, and
//! for offers and documents their own actions, and `BookTalk` for the development talks). These are family reads of the family's own children, never an
//! official's, so nothing here goes to the access log (rule 7; see `PolicyAction::is_logged`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, Statement,
};
use skolportal_shared::api::{
    ChildCard, DocumentAction, DocumentStatus, FamilyDay, FamilyDayEntry, FamilyDayEntryKind,
    FamilyStart, FamilyTask, FamilyTaskKind, LessonChangeKind, OfferAction, OfferStatus,
    PersonAction, SchoolDayKind, UnitLunch,
};
use skolportal_shared::calendar::{self, format_time_of_day};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::childcare::documents::{self, DocumentError};
use crate::clock::{day_of, Clock};
use crate::coalesce::Coalescer;
use crate::db::{self, numbered_params};
use crate::entity::{
    absence_report, childcare_document, lesson, lesson_change, placement_offer, schedule_day,
};
use crate::people::{self, PeopleError};
use crate::policy;
use crate::school::group_weeks::{GroupWeek, GroupWeeks};
use crate::school::timetable::{self, lesson_on, lesson_view, weekdays, SchoolCalendar};
use crate::school::{absence, talk_booking};
use crate::settings::SessionSettings;

/// The start page for one session; concurrent requests are answered together by
/// [`starts_of_sessions`].
pub type StartReader = Coalescer<String, Result<(SessionUser, FamilyStart), StartError>>;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The session is over, or the children could not be read.
    #[error(transparent)]
    People(#[from] PeopleError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Unanswered(#[from] crate::coalesce::Unanswered),
}

/// Up to twice as many sessions share a batch as "Mina barn"'s do (`people::children_reader`),
/// with half as many workers: a batch's cost is mostly its eight statements, and each batch
/// holds up to six pooled connections at once while its parts are read.
const START_BATCH: usize = 16;

/// Starts the reader behind `GET /api/start` (`people::session_reader`).
pub fn start_reader(
    db: DatabaseConnection,
    sessions: SessionSettings,
    clock: Clock,
    pooled_connections: u32,
) -> StartReader {
    let kept = GroupWeeks::default();
    people::session_reader(
        db,
        sessions,
        clock,
        // `session_reader` starts a worker per four pooled connections; this one per eight.
        pooled_connections / 2,
        START_BATCH,
        move |db, sessions, tokens, now| {
            let kept = kept.clone();
            async move {
                let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
                starts_of_sessions(&db, &sessions, &kept, &tokens, now).await
            }
        },
    )
}

/// One session's family as the batch reads it: who asks, their children, and what the policy
/// lets them see of each.
struct Family {
    user: SessionUser,
    children: Vec<ChildCard>,
    permitted: HashMap<Uuid, Vec<PersonAction>>,
}

impl Family {
    fn children_with(&self, action: PersonAction) -> impl Iterator<Item = Uuid> + '_ {
        self.children
            .iter()
            .map(|c| c.id)
            .filter(move |id| self.permitted.get(id).is_some_and(|a| a.contains(&action)))
    }
}

/// The start page of each of `tokens`' sessions, in order, as of `now`; `kept` is the server's
/// kept group weeks.
pub async fn starts_of_sessions(
    db: &DatabaseConnection,
    sessions: &SessionSettings,
    kept: &GroupWeeks,
    tokens: &[&str],
    now: DateTime<Utc>,
) -> Result<Vec<Result<(SessionUser, FamilyStart), StartError>>, DbErr> {
    let today = day_of(now);
    let read = people::children_of_sessions(db, sessions, tokens, now, today).await?;
    // Every session's policy answer in one statement.
    let asked: Vec<(usize, &SessionUser, Vec<Uuid>)> = read
        .iter()
        .enumerate()
        .filter_map(|(i, answer)| {
            let (user, children) = answer.as_ref().ok()?;
            Some((i, user, children.iter().map(|c| c.id).collect()))
        })
        .collect();
    let asks: Vec<(&SessionUser, &[Uuid])> = asked
        .iter()
        .map(|(_, user, ids)| (*user, ids.as_slice()))
        .collect();
    let answered = policy::permitted_actions_of_many::<PersonAction>(db, &asks, today).await?;
    let mut permitted_of: HashMap<usize, HashMap<Uuid, Vec<PersonAction>>> =
        asked.iter().map(|(i, _, _)| *i).zip(answered).collect();
    let mut answers: Vec<Result<Family, PeopleError>> = Vec::with_capacity(read.len());
    for (i, answer) in read.into_iter().enumerate() {
        answers.push(match answer {
            Ok((user, mut children)) => {
                let mut permitted = permitted_of.remove(&i).unwrap_or_default();
                for child in &mut children {
                    child.permitted_actions = permitted.get(&child.id).cloned().unwrap_or_default();
                }
                permitted.retain(|_, actions| !actions.is_empty());
                Ok(Family {
                    user,
                    children,
                    permitted,
                })
            }
            Err(err) => Err(err),
        });
    }
    let families: Vec<&Family> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
    let monday = calendar::shown_week_start(today);
    let days = weekdays(monday);
    let week = Week {
        monday,
        friday: days.last().copied().unwrap_or(monday),
    };
    let school: HashSet<Uuid> = families
        .iter()
        .flat_map(|f| f.children_with(PersonAction::ReadTimetable))
        .collect();
    let care: HashSet<Uuid> = families
        .iter()
        .flat_map(|f| f.children_with(PersonAction::ReadChildcareSchedule))
        .collect();
    let all_children: HashSet<Uuid> = families
        .iter()
        .flat_map(|f| f.children.iter().map(|c| c.id))
        .collect();
    let reporting: HashSet<Uuid> = families
        .iter()
        .flat_map(|f| f.children_with(PersonAction::ReportAbsence))
        .collect();
    let booking: HashSet<Uuid> = families
        .iter()
        .flat_map(|f| f.children_with(PersonAction::BookTalk))
        .collect();
    // The page's parts are independent reads: asked at once, each on its own connection.
    let (lessons, care_weeks, calendars, waiting, lunches, absences, talks) = tokio::try_join!(
        PupilLessons::load(db, kept, &school, week, today),
        CareWeeks::load(db, &care, week),
        calendars_of(db, &families),
        Waiting::load(db, &all_children, &families, now),
        Lunches::load(db, &all_children, week),
        absence::covering(db, reporting, week.monday, week.friday),
        talk_booking::upcoming(db, &booking, today),
    )?;

    let mut out = Vec::with_capacity(answers.len());
    for answer in answers {
        let family = match answer {
            Ok(family) => family,
            Err(err) => {
                out.push(Err(err.into()));
                continue;
            }
        };
        let calendar = calendars.get(&family.user.municipality_id);
        let days = days
            .iter()
            .map(|day| FamilyDay {
                date: *day,
                lunch: lunches.on(&family, *day),
                entries: merge_siblings(day_entries(
                    &family,
                    *day,
                    today,
                    calendar,
                    &lessons,
                    &care_weeks,
                    &absences,
                )),
            })
            .collect();
        let tasks = match waiting.tasks_of(db, &family, today, now).await {
            Ok(tasks) => tasks,
            Err(StartError::Database(err)) => return Err(err),
            Err(err) => {
                out.push(Err(err));
                continue;
            }
        };
        let upcoming_talks = family
            .children
            .iter()
            .filter(|c| booking.contains(&c.id))
            .flat_map(|c| talks.get(&c.id).cloned().unwrap_or_default())
            .collect();
        out.push(Ok((
            family.user,
            FamilyStart {
                today,
                week_start: monday,
                children: family.children,
                days,
                tasks,
                talks: upcoming_talks,
            },
        )));
    }
    Ok(out)
}

/// The school calendar of each municipality the batch's sessions belong to (one, as a rule).
async fn calendars_of(
    db: &impl ConnectionTrait,
    families: &[&Family],
) -> Result<HashMap<Uuid, SchoolCalendar>, DbErr> {
    let mut calendars = HashMap::new();
    for family in families {
        let municipality = family.user.municipality_id;
        if let std::collections::hash_map::Entry::Vacant(slot) = calendars.entry(municipality) {
            slot.insert(SchoolCalendar::load(db, municipality).await?);
        }
    }
    Ok(calendars)
}

#[derive(Clone, Copy)]
struct Week {
    monday: NaiveDate,
    friday: NaiveDate,
}

/// Each child's entries on `day`, school before childcare, children in their order.
fn day_entries(
    family: &Family,
    day: NaiveDate,
    today: NaiveDate,
    calendar: Option<&SchoolCalendar>,
    lessons: &PupilLessons,
    care: &CareWeeks,
    absences: &[absence_report::Model],
) -> Vec<KeyedEntry> {
    let mut entries: Vec<KeyedEntry> = Vec::new();
    for child in &family.children {
        let may = |action| {
            family
                .permitted
                .get(&child.id)
                .is_some_and(|a| a.contains(&action))
        };
        let reported = may(PersonAction::ReportAbsence)
            .then(|| absence::on_day(absences, child.id, day))
            .flatten();
        if may(PersonAction::ReadTimetable) && lessons.is_pupil(child.id) {
            let kind = calendar.map_or(SchoolDayKind::SchoolDay, |c| c.day_kind(day));
            let mut entry = FamilyDayEntry {
                kind: FamilyDayEntryKind::School,
                child_ids: vec![child.id],
                school_day: Some(kind),
                lessons: Vec::new(),
                starts_at: None,
                ends_at: None,
                changes: Vec::new(),
                unit_name: None,
                care_planned: false,
                drop_off: None,
                pick_up: None,
                absence: reported.clone(),
            };
            let mut key = Vec::new();
            if kind == SchoolDayKind::SchoolDay {
                if day == today {
                    entry.lessons = lessons.on(child.id, day);
                    entry.summarise_lessons();
                } else {
                    // The week shows another day's hours and changes only: no lesson's names
                    // and texts are made for it.
                    let summary = lessons.summary_on(child.id, day);
                    entry.starts_at = summary.starts_at;
                    entry.ends_at = summary.ends_at;
                    entry.changes = summary.changes;
                    key = summary.lesson_ids;
                }
            }
            entries.push((entry, key));
        }
        if may(PersonAction::ReadChildcareSchedule) {
            entries.extend(care.on(child.id, day).into_iter().map(|mut e| {
                e.absence = reported.clone();
                (e, Vec::new())
            }));
        }
    }
    entries
}

/// A day entry with what makes two siblings' school days the same: the lessons they have, by
/// id (a day of the week carries only its hours, which siblings in different classes can share).
type KeyedEntry = (FamilyDayEntry, Vec<Uuid>);

/// Siblings with the same day (twins in one class, or at one preschool with the same times) get
/// one entry that names them all: the guardian reads each day once.
fn merge_siblings(entries: Vec<KeyedEntry>) -> Vec<FamilyDayEntry> {
    let mut merged: Vec<KeyedEntry> = Vec::with_capacity(entries.len());
    for (entry, key) in entries {
        let same = merged.iter_mut().find(|(m, m_key)| {
            *m_key == key
                && m.kind == entry.kind
                && m.school_day == entry.school_day
                && m.lessons == entry.lessons
                && m.starts_at == entry.starts_at
                && m.ends_at == entry.ends_at
                && m.changes == entry.changes
                && m.unit_name == entry.unit_name
                && m.care_planned == entry.care_planned
                && m.drop_off == entry.drop_off
                && m.pick_up == entry.pick_up
                && m.absence == entry.absence
        });
        match same {
            Some((m, _)) => {
                for id in entry.child_ids {
                    if !m.child_ids.contains(&id) {
                        m.child_ids.push(id);
                    }
                }
            }
            None => merged.push((entry, key)),
        }
    }
    merged.into_iter().map(|(entry, _)| entry).collect()
}

/// A day of the week as its line shows it.
#[derive(Default)]
struct DaySummary {
    starts_at: Option<String>,
    ends_at: Option<String>,
    changes: Vec<LessonChangeKind>,
    lesson_ids: Vec<Uuid>,
}

/// The week's lessons of the batch's pupils, with their changes: the pupils' memberships (with
/// each group's name and timetable version) in one statement, the groups' weeks from the
/// server's kept ones (`GroupWeeks`), and the names of today's teachers in one more.
struct PupilLessons {
    /// Per pupil: each group with the days of the week the pupil is in it.
    by_pupil: HashMap<Uuid, Vec<(Uuid, NaiveDate, Option<NaiveDate>)>>,
    weeks: HashMap<Uuid, Arc<GroupWeek>>,
    group_names: HashMap<Uuid, String>,
    people: HashMap<Uuid, String>,
}

#[derive(FromQueryResult)]
struct MembershipRow {
    pupil_id: Uuid,
    group_id: Uuid,
    member_from: NaiveDate,
    member_to: Option<NaiveDate>,
    group_name: String,
    timetable_version: i64,
}

impl PupilLessons {
    async fn load(
        db: &impl ConnectionTrait,
        kept: &GroupWeeks,
        pupils: &HashSet<Uuid>,
        week: Week,
        today: NaiveDate,
    ) -> Result<Self, DbErr> {
        let mut out = PupilLessons {
            by_pupil: HashMap::new(),
            weeks: HashMap::new(),
            group_names: HashMap::new(),
            people: HashMap::new(),
        };
        if pupils.is_empty() {
            return Ok(out);
        }
        let backend = db.get_database_backend();
        let mut values: Vec<sea_orm::Value> = vec![week.monday.into(), week.friday.into()];
        let pupil_ids = db::in_set(backend, "m.person_id", &mut values, pupils.iter().copied());
        let sql = format!(
            "SELECT m.person_id AS pupil_id, m.group_id, m.start_date AS member_from, \
             m.end_date AS member_to, g.name AS group_name, g.timetable_version \
             FROM group_membership m JOIN school_group g ON g.id = m.group_id \
             WHERE m.role = 'pupil' AND m.start_date <= $2 \
             AND (m.end_date IS NULL OR m.end_date >= $1) AND {pupil_ids}"
        );
        let rows = MembershipRow::find_by_statement(Statement::from_sql_and_values(
            backend,
            numbered_params(backend, &sql),
            values,
        ))
        .all(db)
        .await?;
        let mut versions = HashMap::new();
        for r in rows {
            versions.insert(r.group_id, r.timetable_version);
            out.group_names.insert(r.group_id, r.group_name);
            out.by_pupil.entry(r.pupil_id).or_default().push((
                r.group_id,
                r.member_from,
                r.member_to,
            ));
        }
        out.weeks = kept
            .weeks_of(db, &versions, week.monday, week.friday)
            .await?;
        // A group without lessons (a preschool's department) makes no one a pupil.
        let weeks = &out.weeks;
        out.by_pupil.retain(|_, groups| {
            groups.retain(|(group, _, _)| weeks.get(group).is_some_and(|w| !w.lessons.is_empty()));
            !groups.is_empty()
        });
        // Only today's lessons are shown with their teachers' names; the other days show their
        // hours and changes.
        let named: HashSet<Uuid> = out
            .weeks
            .values()
            .flat_map(|w| {
                let teachers = w
                    .lessons
                    .iter()
                    .filter(|l| lesson_on(l, today))
                    .filter_map(|l| l.teacher_id);
                let substitutes = w
                    .changes
                    .values()
                    .filter(|c| c.on_date == today)
                    .filter_map(|c| c.substitute_teacher_id);
                teachers.chain(substitutes)
            })
            .collect();
        out.people = timetable::names(db, named).await?;
        Ok(out)
    }

    /// The change recorded for the lesson on `day`, if any.
    fn change_of(&self, l: &lesson::Model, day: NaiveDate) -> Option<&lesson_change::Model> {
        self.weeks.get(&l.group_id)?.changes.get(&(l.id, day))
    }

    /// Whether the child is in a school group this week (a preschool child is not).
    fn is_pupil(&self, child: Uuid) -> bool {
        self.by_pupil.contains_key(&child)
    }

    /// The lessons the child has on `day`, each once, before changes.
    fn planned_on(&self, child: Uuid, day: NaiveDate) -> Vec<&lesson::Model> {
        let Some(entries) = self.by_pupil.get(&child) else {
            return Vec::new();
        };
        let mut seen = HashSet::new();
        entries
            .iter()
            .filter(|(_, from, to)| *from <= day && to.is_none_or(|to| to >= day))
            .filter_map(|(group, _, _)| self.weeks.get(group))
            .flat_map(|week| week.lessons.iter())
            .filter(|l| lesson_on(l, day) && seen.insert(l.id))
            .collect()
    }

    /// The child's day as the week shows it: from the first held lesson's start to the last
    /// one's end, the kinds of change, and (to tell siblings' days apart) the lessons' ids.
    fn summary_on(&self, child: Uuid, day: NaiveDate) -> DaySummary {
        let mut summary = DaySummary::default();
        let (mut first, mut last) = (None, None);
        for l in self.planned_on(child, day) {
            summary.lesson_ids.push(l.id);
            let plan = timetable::planned(l);
            let (now, kinds) = match self.change_of(l, day) {
                Some(c) => skolportal_shared::timetable::apply(&plan, &timetable::recorded(c)),
                None => (plan, Vec::new()),
            };
            if !kinds.contains(&LessonChangeKind::Cancelled) {
                first = Some(first.map_or(now.starts_at, |f: NaiveTime| f.min(now.starts_at)));
                last = Some(last.map_or(now.ends_at, |l: NaiveTime| l.max(now.ends_at)));
            }
            for kind in kinds {
                if !summary.changes.contains(&kind) {
                    summary.changes.push(kind);
                }
            }
        }
        summary.lesson_ids.sort();
        summary.starts_at = first.map(format_time_of_day);
        summary.ends_at = last.map(format_time_of_day);
        summary
    }

    /// The child's lessons on `day`, as they now stand, in time order.
    fn on(&self, child: Uuid, day: NaiveDate) -> Vec<skolportal_shared::api::TimetableLesson> {
        let mut out: Vec<_> = self
            .planned_on(child, day)
            .into_iter()
            .map(|l| {
                lesson_view(
                    l,
                    self.change_of(l, day),
                    self.group_names
                        .get(&l.group_id)
                        .cloned()
                        .unwrap_or_default(),
                    &self.people,
                    Vec::new(),
                )
            })
            .collect();
        out.sort_by(|a, b| (&a.starts_at, &a.group_name).cmp(&(&b.starts_at, &b.group_name)));
        out
    }
}

/// The week's childcare of the batch's children: their places (with the unit's name) and their
/// planned days.
struct CareWeeks {
    places: HashMap<Uuid, Vec<PlaceRow>>,
    days: HashMap<(Uuid, NaiveDate), schedule_day::Model>,
}

#[derive(FromQueryResult)]
struct PlaceRow {
    child_id: Uuid,
    placement_id: Uuid,
    unit_name: String,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
}

impl CareWeeks {
    async fn load(
        db: &impl ConnectionTrait,
        children: &HashSet<Uuid>,
        week: Week,
    ) -> Result<Self, DbErr> {
        let mut out = CareWeeks {
            places: HashMap::new(),
            days: HashMap::new(),
        };
        if children.is_empty() {
            return Ok(out);
        }
        // The places and their planned days in one statement: a place's days come with it.
        let backend = db.get_database_backend();
        let mut values: Vec<sea_orm::Value> = vec![week.monday.into(), week.friday.into()];
        let child_ids = db::in_set(backend, "p.child_id", &mut values, children.iter().copied());
        let sql = format!(
            "SELECT p.child_id, p.id AS placement_id, u.name AS unit_name, p.start_date, p.end_date, \
             d.id AS d_id, d.municipality_id AS d_municipality_id, d.child_id AS d_child_id, \
             d.placement_id AS d_placement_id, d.date AS d_date, d.drop_off AS d_drop_off, \
             d.pick_up AS d_pick_up, d.updated_at AS d_updated_at, \
             d.updated_by_person_id AS d_updated_by_person_id \
             FROM placement p JOIN unit u ON u.id = p.unit_id \
             LEFT JOIN schedule_day d ON d.child_id = p.child_id AND d.date >= $1 AND d.date <= $2 \
             WHERE p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $1) \
             AND {child_ids}"
        );
        let rows = db
            .query_all(Statement::from_sql_and_values(
                backend,
                numbered_params(backend, &sql),
                values,
            ))
            .await?;
        let mut seen_places = HashSet::new();
        for row in rows {
            let place = PlaceRow::from_query_result(&row, "")?;
            if row.try_get::<Option<Uuid>>("d_", "id")?.is_some() {
                let day = schedule_day::Model::from_query_result(&row, "d_")?;
                out.days.insert((day.child_id, day.date), day);
            }
            if seen_places.insert(place.placement_id) {
                out.places.entry(place.child_id).or_default().push(place);
            }
        }
        Ok(out)
    }

    /// The child's care on `day`: an entry per place that runs that day.
    fn on(&self, child: Uuid, day: NaiveDate) -> Vec<FamilyDayEntry> {
        let Some(places) = self.places.get(&child) else {
            return Vec::new();
        };
        let planned = self.days.get(&(child, day));
        places
            .iter()
            .filter(|p| p.start_date <= day && p.end_date.is_none_or(|end| end >= day))
            .map(|p| {
                let planned = planned.filter(|d| d.placement_id == p.placement_id);
                let time = |t: Option<NaiveTime>| t.map(format_time_of_day);
                FamilyDayEntry {
                    kind: FamilyDayEntryKind::Childcare,
                    child_ids: vec![child],
                    school_day: None,
                    lessons: Vec::new(),
                    starts_at: None,
                    ends_at: None,
                    changes: Vec::new(),
                    unit_name: Some(p.unit_name.clone()),
                    care_planned: planned.is_some(),
                    drop_off: time(planned.and_then(|d| d.drop_off)),
                    pick_up: time(planned.and_then(|d| d.pick_up)),
                    absence: None,
                }
            })
            .collect()
    }
}

/// The week's lunch menus of the units the batch's children go to (their schools, preschools
/// and fritidshem). A menu is public, so nothing is asked of the policy.
struct Lunches {
    rows: Vec<LunchRow>,
}

#[derive(FromQueryResult)]
struct LunchRow {
    child_id: Uuid,
    unit_name: String,
    date: NaiveDate,
    main_dish: Option<String>,
    vegetarian_dish: Option<String>,
}

impl Lunches {
    async fn load(
        db: &impl ConnectionTrait,
        children: &HashSet<Uuid>,
        week: Week,
    ) -> Result<Self, DbErr> {
        if children.is_empty() {
            return Ok(Self { rows: Vec::new() });
        }
        let backend = db.get_database_backend();
        let mut values: Vec<sea_orm::Value> = vec![week.monday.into(), week.friday.into()];
        let pupils = db::in_set(backend, "e.pupil_id", &mut values, children.iter().copied());
        let placed = db::in_set(backend, "p.child_id", &mut values, children.iter().copied());
        let sql = format!(
            // The unit's name by key per menu row: as a join, the one plan kept for every batch
            // read the whole unit table.
            "SELECT x.child_id, (SELECT u.name FROM unit u WHERE u.id = x.unit_id) AS unit_name, \
             l.date, l.main_dish, l.vegetarian_dish FROM (\
             SELECT e.pupil_id AS child_id, e.unit_id FROM enrolment e \
             WHERE e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $1) AND {pupils} \
             UNION SELECT p.child_id, p.unit_id FROM placement p \
             WHERE p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $1) AND {placed}) x \
             JOIN lunch_menu_day l ON l.unit_id = x.unit_id AND l.date >= $1 AND l.date <= $2"
        );
        let rows = LunchRow::find_by_statement(Statement::from_sql_and_values(
            backend,
            numbered_params(backend, &sql),
            values,
        ))
        .all(db)
        .await?;
        Ok(Self { rows })
    }

    /// The family's units' lunch on `day`, each unit once, by name.
    fn on(&self, family: &Family, day: NaiveDate) -> Vec<UnitLunch> {
        let mut out: Vec<UnitLunch> = Vec::new();
        for row in self
            .rows
            .iter()
            .filter(|r| r.date == day && family.children.iter().any(|c| c.id == r.child_id))
        {
            if !out.iter().any(|l| l.unit_name == row.unit_name) {
                out.push(UnitLunch {
                    unit_name: row.unit_name.clone(),
                    main_dish: row.main_dish.clone(),
                    vegetarian_dish: row.vegetarian_dish.clone(),
                });
            }
        }
        out.sort_by(|a, b| a.unit_name.cmp(&b.unit_name));
        out
    }
}

/// The batch's open offers and unfinished documents; which of them wait for whom is asked of
/// the policy per session, and only where there are any (most families have none).
struct Waiting {
    offers: Vec<placement_offer::Model>,
    documents: Vec<childcare_document::Model>,
}

impl Waiting {
    async fn load(
        db: &impl ConnectionTrait,
        children: &HashSet<Uuid>,
        families: &[&Family],
        now: DateTime<Utc>,
    ) -> Result<Self, DbErr> {
        let adults: HashSet<Uuid> = families.iter().map(|f| f.user.person_id).collect();
        let backend = db.get_database_backend();
        if adults.is_empty() {
            return Ok(Self {
                offers: Vec::new(),
                documents: Vec::new(),
            });
        }
        let offers = if children.is_empty() {
            Vec::new()
        } else {
            placement_offer::Entity::find()
                .filter(db::is_in(
                    backend,
                    placement_offer::Column::ChildId,
                    children.iter().copied(),
                ))
                .filter(placement_offer::Column::Status.eq(OfferStatus::Open))
                .filter(placement_offer::Column::AnswerDeadline.gte(now))
                .all(db)
                .await?
        };
        let about = sea_orm::Condition::any()
            .add(db::is_in(
                backend,
                childcare_document::Column::OwnerPersonId,
                adults.iter().copied(),
            ))
            .add(db::is_in(
                backend,
                childcare_document::Column::ChildId,
                children.iter().copied(),
            ));
        let documents = childcare_document::Entity::find()
            .filter(
                childcare_document::Column::Status
                    .is_in([DocumentStatus::Draft, DocumentStatus::AwaitingOtherGuardian]),
            )
            .filter(about)
            .all(db)
            .await?;
        Ok(Self { offers, documents })
    }

    /// What waits for `family`'s guardian: each offer and document once.
    async fn tasks_of(
        &self,
        db: &DatabaseConnection,
        family: &Family,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Vec<FamilyTask>, StartError> {
        let user = &family.user;
        let mine: HashSet<Uuid> = family.children.iter().map(|c| c.id).collect();
        let offers: Vec<&placement_offer::Model> = self
            .offers
            .iter()
            .filter(|o| o.municipality_id == user.municipality_id && mine.contains(&o.child_id))
            .collect();
        let documents: Vec<childcare_document::Model> = self
            .documents
            .iter()
            .filter(|d| {
                d.municipality_id == user.municipality_id
                    && (d.owner_person_id == user.person_id
                        || d.child_id.is_some_and(|c| mine.contains(&c)))
            })
            .cloned()
            .collect();
        let mut tasks = Vec::new();
        let mut answered_by_document = HashSet::new();
        if !documents.is_empty() {
            let ids: Vec<Uuid> = documents.iter().map(|d| d.id).collect();
            let readable =
                policy::permitted_actions::<DocumentAction>(db, user, &ids, today).await?;
            let documents: Vec<_> = documents
                .into_iter()
                .filter(|d| {
                    readable
                        .get(&d.id)
                        .is_some_and(|a| a.contains(&DocumentAction::Read))
                })
                .collect();
            let about: HashMap<Uuid, Option<Uuid>> =
                documents.iter().map(|d| (d.id, d.child_id)).collect();
            let views = documents::views(db, user, documents, today).await?;
            for view in views {
                let to_sign = view.permitted_actions.contains(&DocumentAction::Sign)
                    || view.sign_blocked_reason.is_some();
                let kind = if to_sign {
                    FamilyTaskKind::SignDocument
                } else if view.status == DocumentStatus::AwaitingOtherGuardian {
                    FamilyTaskKind::AwaitingOtherGuardian
                } else {
                    // Another guardian's draft: theirs to sign first.
                    continue;
                };
                answered_by_document.insert(view.id);
                tasks.push((
                    view.created_at,
                    FamilyTask {
                        kind,
                        id: view.id,
                        child_id: about.get(&view.id).copied().flatten(),
                        document_kind: Some(view.kind),
                        answer_by: None,
                    },
                ));
            }
        }
        if !offers.is_empty() {
            let ids: Vec<Uuid> = offers.iter().map(|o| o.id).collect();
            let permitted = policy::permitted_actions::<OfferAction>(db, user, &ids, today).await?;
            for offer in offers {
                let answerable = permitted
                    .get(&offer.id)
                    .is_some_and(|a| a.contains(&OfferAction::Answer));
                // An answer being signed is the document's task, not a second one.
                let in_hand = offer
                    .answer_document_id
                    .is_some_and(|d| answered_by_document.contains(&d));
                if answerable && !in_hand && now <= offer.answer_deadline {
                    tasks.push((
                        offer.created_at,
                        FamilyTask {
                            kind: FamilyTaskKind::AnswerOffer,
                            id: offer.id,
                            child_id: Some(offer.child_id),
                            document_kind: None,
                            answer_by: Some(day_of(offer.answer_deadline)),
                        },
                    ));
                }
            }
        }
        tasks.sort_by_key(|(created, task)| (task.kind != FamilyTaskKind::AnswerOffer, *created));
        Ok(tasks.into_iter().map(|(_, task)| task).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(child: u128, drop_off: &str) -> FamilyDayEntry {
        FamilyDayEntry {
            kind: FamilyDayEntryKind::Childcare,
            child_ids: vec![Uuid::from_u128(child)],
            school_day: None,
            lessons: Vec::new(),
            starts_at: None,
            ends_at: None,
            changes: Vec::new(),
            unit_name: Some("Solrosen".into()),
            care_planned: true,
            drop_off: Some(drop_off.into()),
            pick_up: Some("16:00".into()),
            absence: None,
        }
    }

    #[test]
    fn siblings_with_the_same_day_share_one_entry() {
        let merged = merge_siblings(vec![
            (entry(1, "07:30"), Vec::new()),
            (entry(2, "07:30"), Vec::new()),
            (entry(3, "08:00"), Vec::new()),
        ]);
        assert_eq!(merged.len(), 2);
        assert_eq!(
            merged[0].child_ids,
            vec![Uuid::from_u128(1), Uuid::from_u128(2)]
        );
        assert_eq!(merged[1].child_ids, vec![Uuid::from_u128(3)]);
    }
}
