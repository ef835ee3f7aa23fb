//! Timetables (schema): a pupil's lessons come from the groups they are in on each day, a
//! teacher's from the lessons they teach or stand in for; a recorded change is applied with
//! `shared::timetable::apply`, and which weekdays have lessons is
//! `shared::timetable::day_kind` over the municipality's terms and breaks.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use sea_orm::{
    sea_query::{Expr, Query},
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Statement, TransactionTrait,
};
use skolportal_shared::api::{
    Activity, LessonAction, LessonChangeInput, LessonChangeView, SchoolBreakKind, SchoolDayKind,
    SubstituteCandidate, TimetableDay, TimetableLesson, TimetableOwner, TimetableWeek,
};
use skolportal_shared::calendar::{self, format_time_of_day};
use skolportal_shared::timetable::{self, ChangeError, PlannedLesson, RecordedChange};
use uuid::Uuid;

use crate::db::numbered_params;
use crate::entity::duty::DutyRole;
use crate::entity::group_membership::MembershipRole;
use crate::entity::{
    duty, group_membership, lesson, lesson_change, lunch_menu_day, person, school_group,
};
use crate::policy::{self, Permit, PersonAction};

#[derive(Debug, thiserror::Error)]
pub enum TimetableError {
    #[error("no such lesson")]
    NotFound,
    #[error("the week is given by its Monday")]
    NotAMonday,
    #[error("{0}")]
    Change(ChangeError),
    #[error("the lesson does not take place that day")]
    NotALessonDay,
    #[error("a change is recorded for today or a later day")]
    DayPassed,
    #[error("the substitute must be a teacher at the school")]
    NotASubstitute,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The school calendar of a municipality, read once per request.
pub struct SchoolCalendar {
    terms: Vec<timetable::Term>,
    breaks: Vec<timetable::SchoolBreak>,
}

impl SchoolCalendar {
    /// The municipality's terms and breaks, in one statement (a term is a row without a kind).
    pub async fn load(db: &impl ConnectionTrait, municipality_id: Uuid) -> Result<Self, DbErr> {
        #[derive(FromQueryResult)]
        struct Period {
            kind: Option<SchoolBreakKind>,
            first_day: NaiveDate,
            last_day: NaiveDate,
        }
        let backend = db.get_database_backend();
        let sql = "SELECT NULL AS kind, t.starts_on AS first_day, t.ends_on AS last_day \
                   FROM school_term t WHERE t.municipality_id = $1 \
                   UNION ALL SELECT b.kind, b.first_day, b.last_day \
                   FROM school_break b WHERE b.municipality_id = $1";
        let periods = Period::find_by_statement(Statement::from_sql_and_values(
            backend,
            numbered_params(backend, sql),
            [municipality_id.into()],
        ))
        .all(db)
        .await?;
        let mut calendar = Self {
            terms: Vec::new(),
            breaks: Vec::new(),
        };
        for p in periods {
            match p.kind {
                None => calendar.terms.push(timetable::Term {
                    starts_on: p.first_day,
                    ends_on: p.last_day,
                }),
                Some(kind) => calendar.breaks.push(timetable::SchoolBreak {
                    kind,
                    first_day: p.first_day,
                    last_day: p.last_day,
                }),
            }
        }
        Ok(calendar)
    }

    pub fn day_kind(&self, date: NaiveDate) -> SchoolDayKind {
        timetable::day_kind(date, &self.terms, &self.breaks)
    }
}

/// Monday to Friday of the week starting `monday`.
pub(crate) fn weekdays(monday: NaiveDate) -> Vec<NaiveDate> {
    (0..5)
        .filter_map(|d| monday.checked_add_days(Days::new(d)))
        .collect()
}

fn holds_on(start: NaiveDate, end: Option<NaiveDate>, day: NaiveDate) -> bool {
    start <= day && end.is_none_or(|e| e >= day)
}

pub(crate) fn lesson_on(l: &lesson::Model, day: NaiveDate) -> bool {
    i64::from(l.weekday) == i64::from(day.weekday().number_from_monday())
        && holds_on(l.valid_from, l.valid_to, day)
}

pub(crate) fn planned(l: &lesson::Model) -> PlannedLesson {
    PlannedLesson {
        starts_at: l.starts_at,
        ends_at: l.ends_at,
        teacher_id: l.teacher_id,
        room: l.room.clone(),
    }
}

pub(crate) fn recorded(c: &lesson_change::Model) -> RecordedChange {
    RecordedChange {
        cancelled: c.cancelled,
        substitute_teacher_id: c.substitute_teacher_id,
        room: c.room.clone(),
        starts_at: c.starts_at,
        ends_at: c.ends_at,
    }
}

/// A lesson as it stands on the day of `change`, or as planned without one. `people` names the
/// teachers (planned and substitute).
pub(crate) fn lesson_view(
    l: &lesson::Model,
    change: Option<&lesson_change::Model>,
    group_name: String,
    people: &HashMap<Uuid, String>,
    permitted_actions: Vec<LessonAction>,
) -> TimetableLesson {
    let plan = planned(l);
    let (now, kinds) = match change {
        Some(c) => timetable::apply(&plan, &recorded(c)),
        None => (plan.clone(), Vec::new()),
    };
    let name = |id: Option<Uuid>| id.and_then(|id| people.get(&id).cloned());
    let note = change.and_then(|c| c.note.clone());
    let change = (!kinds.is_empty() || note.is_some()).then(|| LessonChangeView {
        planned_starts_at: format_time_of_day(plan.starts_at),
        planned_ends_at: format_time_of_day(plan.ends_at),
        planned_teacher_name: name(plan.teacher_id),
        planned_room: plan.room.clone(),
        kinds,
        note,
    });
    TimetableLesson {
        lesson_id: l.id,
        activity: l.activity,
        group_name,
        starts_at: format_time_of_day(now.starts_at),
        ends_at: format_time_of_day(now.ends_at),
        teacher_name: name(now.teacher_id),
        room: now.room,
        change,
        permitted_actions,
        dish: None,
        vegetarian_dish: None,
    }
}

/// The full names of persons, by id.
pub(crate) async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let named: Vec<(Uuid, String, String)> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .column(person::Column::GivenName)
        .column(person::Column::FamilyName)
        .filter(crate::db::is_in(
            db.get_database_backend(),
            person::Column::Id,
            ids,
        ))
        .into_tuple()
        .all(db)
        .await?;
    Ok(named
        .into_iter()
        .map(|(id, given, family)| (id, format!("{given} {family}")))
        .collect())
}

/// The `TimetableWeek` of `days` from the candidate lessons: `on_day` says which lessons belong
/// to the person on a day (before changes), `substituting` adds the lessons they stand in for.
struct WeekInput<'a> {
    person_id: Uuid,
    owner: TimetableOwner,
    monday: NaiveDate,
    lessons: Vec<lesson::Model>,
    on_day: &'a (dyn Fn(&lesson::Model, NaiveDate) -> bool + Sync),
}

async fn build_week<A: policy::PolicyAction>(
    db: &impl ConnectionTrait,
    permit: &Permit<A>,
    calendar: &SchoolCalendar,
    input: WeekInput<'_>,
    today: NaiveDate,
) -> Result<TimetableWeek, DbErr> {
    let days = weekdays(input.monday);
    let lesson_ids: Vec<Uuid> = input.lessons.iter().map(|l| l.id).collect();
    let changes: HashMap<(Uuid, NaiveDate), lesson_change::Model> = if lesson_ids.is_empty() {
        HashMap::new()
    } else {
        lesson_change::Entity::find()
            .filter(lesson_change::Column::LessonId.is_in(lesson_ids.clone()))
            .filter(lesson_change::Column::OnDate.between(days[0], days[days.len() - 1]))
            .all(db)
            .await?
            .into_iter()
            .map(|c| ((c.lesson_id, c.on_date), c))
            .collect()
    };
    let group_models: Vec<school_group::Model> = {
        let ids: HashSet<Uuid> = input.lessons.iter().map(|l| l.group_id).collect();
        if ids.is_empty() {
            Vec::new()
        } else {
            school_group::Entity::find()
                .filter(school_group::Column::Id.is_in(ids))
                .all(db)
                .await?
        }
    };
    let groups: HashMap<Uuid, String> = group_models
        .iter()
        .map(|g| (g.id, g.name.clone()))
        .collect();
    let unit_of: HashMap<Uuid, Uuid> = group_models.iter().map(|g| (g.id, g.unit_id)).collect();
    // The lunch break shows the school kitchen's dish of the day.
    let lunches: HashMap<(Uuid, NaiveDate), lunch_menu_day::Model> =
        if input.lessons.iter().any(|l| l.activity == Activity::Lunch) {
            lunch_menu_day::Entity::find()
                .filter(lunch_menu_day::Column::UnitId.is_in(unit_of.values().copied()))
                .filter(lunch_menu_day::Column::Date.between(days[0], days[days.len() - 1]))
                .all(db)
                .await?
                .into_iter()
                .map(|d| ((d.unit_id, d.date), d))
                .collect()
        } else {
            HashMap::new()
        };
    let people = names(
        db,
        input
            .lessons
            .iter()
            .filter_map(|l| l.teacher_id)
            .chain(changes.values().filter_map(|c| c.substitute_teacher_id))
            .chain([input.person_id]),
    )
    .await?;
    let permitted =
        policy::permitted_actions::<LessonAction>(db, permit.actor(), &lesson_ids, today).await?;
    let mut out_days = Vec::with_capacity(days.len());
    for day in days {
        let kind = calendar.day_kind(day);
        let mut lessons = Vec::new();
        if kind == SchoolDayKind::SchoolDay {
            for l in input
                .lessons
                .iter()
                .filter(|l| lesson_on(l, day) && (input.on_day)(l, day))
            {
                let mut lesson = lesson_view(
                    l,
                    changes.get(&(l.id, day)),
                    groups.get(&l.group_id).cloned().unwrap_or_default(),
                    &people,
                    permitted.get(&l.id).cloned().unwrap_or_default(),
                );
                if l.activity == Activity::Lunch {
                    let menu = unit_of
                        .get(&l.group_id)
                        .and_then(|unit| lunches.get(&(*unit, day)));
                    lesson.dish = menu.and_then(|m| m.main_dish.clone());
                    lesson.vegetarian_dish = menu.and_then(|m| m.vegetarian_dish.clone());
                }
                lessons.push(lesson);
            }
            lessons
                .sort_by(|a, b| (&a.starts_at, &a.group_name).cmp(&(&b.starts_at, &b.group_name)));
        }
        out_days.push(TimetableDay {
            date: day,
            kind,
            lessons,
        });
    }
    Ok(TimetableWeek {
        person_id: input.person_id,
        person_name: people.get(&input.person_id).cloned().unwrap_or_default(),
        owner: input.owner,
        week_start: input.monday,
        today,
        days: out_days,
    })
}

fn check_monday(monday: NaiveDate) -> Result<(), TimetableError> {
    if monday.weekday().num_days_from_monday() != 0 {
        return Err(TimetableError::NotAMonday);
    }
    Ok(())
}

/// A pupil's week: the lessons of the groups they are in on each day. The permit is
/// `ReadTimetable` (or, for a calendar feed, `SubscribeToTimetable`) on the pupil.
pub async fn pupil_week(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    monday: NaiveDate,
    today: NaiveDate,
) -> Result<TimetableWeek, TimetableError> {
    check_monday(monday)?;
    let pupil = permit.subject();
    let friday = monday.checked_add_days(Days::new(4)).unwrap_or(monday);
    let memberships = group_membership::Entity::find()
        .filter(group_membership::Column::PersonId.eq(pupil))
        .filter(group_membership::Column::Role.eq(MembershipRole::Pupil))
        .filter(group_membership::Column::StartDate.lte(friday))
        .filter(
            Condition::any()
                .add(group_membership::Column::EndDate.is_null())
                .add(group_membership::Column::EndDate.gte(monday)),
        )
        .all(db)
        .await?;
    let lessons = lessons_of_groups(db, memberships.iter().map(|m| m.group_id), monday).await?;
    let calendar = SchoolCalendar::load(db, permit.actor().municipality_id).await?;
    let on_day = |l: &lesson::Model, day: NaiveDate| {
        memberships
            .iter()
            .any(|m| m.group_id == l.group_id && holds_on(m.start_date, m.end_date, day))
    };
    Ok(build_week(
        db,
        permit,
        &calendar,
        WeekInput {
            person_id: pupil,
            owner: TimetableOwner::Pupil,
            monday,
            lessons,
            on_day: &on_day,
        },
        today,
    )
    .await?)
}

async fn lessons_of_groups(
    db: &impl ConnectionTrait,
    groups: impl Iterator<Item = Uuid>,
    monday: NaiveDate,
) -> Result<Vec<lesson::Model>, DbErr> {
    let groups: HashSet<Uuid> = groups.collect();
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    lesson::Entity::find()
        .filter(lesson::Column::GroupId.is_in(groups))
        .filter(running_in_week(monday))
        .all(db)
        .await
}

fn running_in_week(monday: NaiveDate) -> Condition {
    let friday = monday.checked_add_days(Days::new(4)).unwrap_or(monday);
    Condition::all()
        .add(lesson::Column::ValidFrom.lte(friday))
        .add(
            Condition::any()
                .add(lesson::Column::ValidTo.is_null())
                .add(lesson::Column::ValidTo.gte(monday)),
        )
}

/// A teacher's week: the lessons they teach, and those they stand in for. The permit is
/// `ReadTeacherTimetable` (or `SubscribeToTimetable` for their own feed) on the teacher.
pub async fn teacher_week(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    monday: NaiveDate,
    today: NaiveDate,
) -> Result<TimetableWeek, TimetableError> {
    check_monday(monday)?;
    let teacher = permit.subject();
    let friday = monday.checked_add_days(Days::new(4)).unwrap_or(monday);
    let standing_in: Vec<lesson_change::Model> = lesson_change::Entity::find()
        .filter(lesson_change::Column::SubstituteTeacherId.eq(teacher))
        .filter(lesson_change::Column::Cancelled.eq(false))
        .filter(lesson_change::Column::OnDate.between(monday, friday))
        .all(db)
        .await?;
    let stand_in_ids: HashSet<Uuid> = standing_in.iter().map(|c| c.lesson_id).collect();
    let lessons = lesson::Entity::find()
        .filter(running_in_week(monday))
        .filter(
            Condition::any()
                .add(lesson::Column::TeacherId.eq(teacher))
                .add(lesson::Column::Id.is_in(stand_in_ids)),
        )
        .all(db)
        .await?;
    let calendar = SchoolCalendar::load(db, permit.actor().municipality_id).await?;
    let on_day = |l: &lesson::Model, day: NaiveDate| {
        l.teacher_id == Some(teacher)
            || standing_in
                .iter()
                .any(|c| c.lesson_id == l.id && c.on_date == day)
    };
    Ok(build_week(
        db,
        permit,
        &calendar,
        WeekInput {
            person_id: teacher,
            owner: TimetableOwner::Teacher,
            monday,
            lessons,
            on_day: &on_day,
        },
        today,
    )
    .await?)
}

/// A duty that holds on `day`.
fn duty_holds_on(day: NaiveDate) -> Condition {
    Condition::all().add(duty::Column::StartDate.lte(day)).add(
        Condition::any()
            .add(duty::Column::EndDate.is_null())
            .add(duty::Column::EndDate.gte(day)),
    )
}

/// Whether a person's timetable is a teacher's (they have a duty that teaches) rather than a
/// pupil's.
pub async fn is_teacher(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    today: NaiveDate,
) -> Result<bool, DbErr> {
    Ok(duty::Entity::find()
        .filter(duty::Column::PersonId.eq(person_id))
        .filter(duty::Column::Role.is_in([DutyRole::Teacher, DutyRole::Principal]))
        .filter(duty_holds_on(today))
        .one(db)
        .await?
        .is_some())
}

async fn lesson_of(
    db: &impl ConnectionTrait,
    permit: &Permit<LessonAction>,
) -> Result<(lesson::Model, Uuid), TimetableError> {
    let lesson = lesson::Entity::find_by_id(permit.target().0)
        .one(db)
        .await?
        .ok_or(TimetableError::NotFound)?;
    let unit = school_group::Entity::find_by_id(lesson.group_id)
        .one(db)
        .await?
        .map(|g| g.unit_id)
        .ok_or(TimetableError::NotFound)?;
    Ok((lesson, unit))
}

/// The teachers of the lesson's school, who may stand in for it (the lesson's own teacher left
/// out), by name.
pub async fn substitutes(
    db: &impl ConnectionTrait,
    permit: &Permit<LessonAction>,
    today: NaiveDate,
) -> Result<Vec<SubstituteCandidate>, TimetableError> {
    let (lesson, unit) = lesson_of(db, permit).await?;
    let teachers = teachers_at(db, unit, today).await?;
    let mut out: Vec<SubstituteCandidate> = names(
        db,
        teachers
            .into_iter()
            .filter(|t| Some(*t) != lesson.teacher_id),
    )
    .await?
    .into_iter()
    .map(|(person_id, name)| SubstituteCandidate { person_id, name })
    .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn teachers_at(
    db: &impl ConnectionTrait,
    unit: Uuid,
    today: NaiveDate,
) -> Result<Vec<Uuid>, DbErr> {
    Ok(duty::Entity::find()
        .filter(duty::Column::UnitId.eq(unit))
        .filter(duty::Column::Role.eq(DutyRole::Teacher))
        .filter(duty_holds_on(today))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.person_id)
        .collect())
}

/// Records how the lesson differs from its plan on `date`, replacing what was recorded for that
/// day. Only days the lesson takes place, from today on.
pub async fn record_change(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<LessonAction>,
    date: NaiveDate,
    input: &LessonChangeInput,
    now: DateTime<Utc>,
) -> Result<(), TimetableError> {
    let today = crate::clock::day_of(now);
    let (lesson, unit) = lesson_of(db, permit).await?;
    let (change, note) =
        timetable::parse_change(input, &planned(&lesson)).map_err(TimetableError::Change)?;
    check_lesson_day(db, permit, &lesson, date, today).await?;
    if let Some(substitute) = change.substitute_teacher_id {
        if !teachers_at(db, unit, today).await?.contains(&substitute) {
            return Err(TimetableError::NotASubstitute);
        }
    }
    let txn = db.begin().await?;
    lesson_change::Entity::delete_many()
        .filter(lesson_change::Column::LessonId.eq(lesson.id))
        .filter(lesson_change::Column::OnDate.eq(date))
        .exec(&txn)
        .await?;
    lesson_change::Entity::insert(lesson_change::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(lesson.municipality_id),
        lesson_id: Set(lesson.id),
        on_date: Set(date),
        cancelled: Set(change.cancelled),
        substitute_teacher_id: Set(change.substitute_teacher_id),
        room: Set(change.room),
        starts_at: Set(change.starts_at),
        ends_at: Set(change.ends_at),
        note: Set(note),
        recorded_by_person_id: Set(permit.actor().person_id),
        recorded_at: Set(now),
        source_id: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    touch_group_of(&txn, lesson.id).await?;
    txn.commit().await?;
    Ok(())
}

/// Raises the timetable version of the lesson's group. Every write of a lesson or a lesson
/// change calls it in the same transaction: a server that keeps a group's week in memory
/// (`school::group_weeks`) reads the version with the group and never serves a week older than
/// the last write, whichever instance made it.
pub(crate) async fn touch_group_of(db: &impl ConnectionTrait, lesson: Uuid) -> Result<(), DbErr> {
    school_group::Entity::update_many()
        .col_expr(
            school_group::Column::TimetableVersion,
            Expr::col(school_group::Column::TimetableVersion).add(1),
        )
        .filter(
            school_group::Column::Id.in_subquery(
                Query::select()
                    .column(lesson::Column::GroupId)
                    .from(lesson::Entity)
                    .and_where(lesson::Column::Id.eq(lesson))
                    .to_owned(),
            ),
        )
        .exec(db)
        .await?;
    Ok(())
}

async fn check_lesson_day(
    db: &impl ConnectionTrait,
    permit: &Permit<LessonAction>,
    lesson: &lesson::Model,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), TimetableError> {
    if date < today {
        return Err(TimetableError::DayPassed);
    }
    let calendar = SchoolCalendar::load(db, permit.actor().municipality_id).await?;
    if !lesson_on(lesson, date) || calendar.day_kind(date) != SchoolDayKind::SchoolDay {
        return Err(TimetableError::NotALessonDay);
    }
    Ok(())
}

/// Undoes the change recorded for `date`: the lesson is as planned again.
pub async fn clear_change(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<LessonAction>,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), TimetableError> {
    if date < today {
        return Err(TimetableError::DayPassed);
    }
    let txn = db.begin().await?;
    let cleared = lesson_change::Entity::delete_many()
        .filter(lesson_change::Column::LessonId.eq(permit.target().0))
        .filter(lesson_change::Column::OnDate.eq(date))
        .exec(&txn)
        .await?;
    if cleared.rows_affected > 0 {
        touch_group_of(&txn, permit.target().0).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The current week's Monday, for a request that names no week.
pub fn this_week(today: NaiveDate) -> NaiveDate {
    calendar::week_start(today)
}

/// The term that holds `today`, else the last one that began: what the attendance figures, the
/// talk material and the grades are for.
pub(crate) async fn current_term(
    db: &impl ConnectionTrait,
    municipality: Uuid,
    today: NaiveDate,
) -> Result<Option<crate::entity::school_term::Model>, DbErr> {
    use crate::entity::school_term;
    use sea_orm::QueryOrder;
    school_term::Entity::find()
        .filter(school_term::Column::MunicipalityId.eq(municipality))
        .filter(school_term::Column::StartsOn.lte(today))
        .order_by_desc(school_term::Column::StartsOn)
        .one(db)
        .await
}
