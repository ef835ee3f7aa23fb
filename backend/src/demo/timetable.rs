//! The demo municipality's school timetables: every class F–9 gets a week close to the national
//! timetable (timplan) — Swedish, mathematics, English, the SO and NO subjects, physical
//! education, crafts, music, art, home economics, a modern language from year 6 — taught by
//! the class's mentor and teachers in its home room and the special rooms, with a lunch break.
//! The school calendar gets höstlov, sportlov, påsklov and a study day, and the week people look
//! at gets a few changes (a cancelled lesson, a new room, a substitute), some in class 8A where
//! the demo pupil is. Deterministic: classes are taken in name order within each school.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};
use skolportal_shared::api::{Activity, SchoolBreakKind};
use skolportal_shared::calendar;
use uuid::Uuid;

use super::rng::Rng;
use crate::entity::duty::DutyRole;
use crate::entity::group_membership::MembershipRole;
use crate::entity::school_group::GroupType;
use crate::entity::{
    duty, group_membership, lesson, lesson_change, school_break, school_group, unit,
};

/// Rows per insert statement (SQLite's parameter limit is the tighter one).
const BATCH: usize = 400;

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// The day's periods: 50 minutes with breaks between, lunch after the third.
const PERIODS: [((u32, u32), (u32, u32)); 7] = [
    ((8, 10), (9, 0)),
    ((9, 10), (10, 0)),
    ((10, 20), (11, 10)),
    ((12, 0), (12, 50)),
    ((13, 0), (13, 50)),
    ((14, 0), (14, 50)),
    ((15, 0), (15, 50)),
];
const LUNCH: ((u32, u32), (u32, u32)) = ((11, 10), (11, 50));

/// Lessons a week per subject, by stage: close to the timplan's hours spread over the years.
fn week_plan(year: i32) -> Vec<(Activity, usize)> {
    use Activity::*;
    match year {
        0 => vec![
            (Swedish, 5),
            (Mathematics, 4),
            (Art, 2),
            (Music, 2),
            (PhysicalEducation, 2),
            (Mentoring, 1),
        ],
        1..=3 => vec![
            (Swedish, 7),
            (Mathematics, 5),
            (English, 1),
            (Geography, 1),
            (History, 1),
            (Biology, 1),
            (Technology, 1),
            (PhysicalEducation, 2),
            (Crafts, 1),
            (Music, 1),
            (Art, 1),
        ],
        4..=6 => {
            let mut plan = vec![
                (Swedish, 5),
                (Mathematics, 5),
                (English, 2),
                (Geography, 1),
                (History, 1),
                (Religion, 1),
                (CivicStudies, 1),
                (Biology, 1),
                (Physics, 1),
                (Chemistry, 1),
                (Technology, 1),
                (PhysicalEducation, 2),
                (Crafts, 2),
                (Music, 1),
                (Art, 1),
                (HomeEconomics, 1),
            ];
            if year == 6 {
                plan.push((ModernLanguage, 2));
            }
            plan
        }
        _ => vec![
            (Swedish, 4),
            (Mathematics, 4),
            (English, 3),
            (Geography, 1),
            (History, 1),
            (Religion, 1),
            (CivicStudies, 1),
            (Biology, 1),
            (Physics, 1),
            (Chemistry, 1),
            (Technology, 1),
            (PhysicalEducation, 2),
            (Crafts, 1),
            (Music, 1),
            (Art, 1),
            (HomeEconomics, 1),
            (ModernLanguage, 2),
            (Mentoring, 1),
        ],
    }
}

/// Special rooms; everything else is taught in the class's home room.
fn special_room(activity: Activity) -> Option<&'static str> {
    Some(match activity {
        Activity::PhysicalEducation => "Idrottshallen",
        Activity::Crafts => "Slöjdsalen",
        Activity::Music => "Musiksalen",
        Activity::Art => "Bildsalen",
        Activity::HomeEconomics => "Hemkunskapen",
        Activity::Biology | Activity::Physics | Activity::Chemistry => "NO-salen",
        Activity::Lunch => "Matsalen",
        _ => return None,
    })
}

struct Class {
    id: Uuid,
    name: String,
    unit: Uuid,
    year: i32,
    mentor: Option<Uuid>,
    teachers: Vec<Uuid>,
}

/// The week people look at: this one on a weekday, the next one at the weekend.
fn shown_week(today: NaiveDate) -> NaiveDate {
    let monday = calendar::week_start(today);
    if matches!(today.weekday(), Weekday::Sat | Weekday::Sun) {
        monday.checked_add_days(Days::new(7)).unwrap_or(monday)
    } else {
        monday
    }
}

/// Writes the breaks, the lessons and this week's changes; returns how many lessons.
pub async fn seed(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    seed: u64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let start_year = if today.month() >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    write_breaks(db, municipality_id, start_year).await?;

    let units: HashMap<Uuid, unit::Model> = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut classes: Vec<Class> = school_group::Entity::find()
        .filter(school_group::Column::MunicipalityId.eq(municipality_id))
        .filter(school_group::Column::GroupType.eq(GroupType::Class))
        .order_by_asc(school_group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| Class {
            id: g.id,
            name: g.name,
            unit: g.unit_id,
            year: g.school_year.unwrap_or(0),
            mentor: None,
            teachers: Vec::new(),
        })
        .collect();
    classes.sort_by(|a, b| {
        let unit_name = |c: &Class| units.get(&c.unit).map(|u| u.name.clone());
        (unit_name(a), a.year, &a.name).cmp(&(unit_name(b), b.year, &b.name))
    });
    let index: HashMap<Uuid, usize> = classes.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut memberships = group_membership::Entity::find()
        .filter(group_membership::Column::MunicipalityId.eq(municipality_id))
        .filter(group_membership::Column::Role.ne(MembershipRole::Pupil))
        .all(db)
        .await?;
    memberships.sort_by_key(|m| (m.group_id, m.person_id));
    for m in memberships {
        let Some(class) = index.get(&m.group_id).and_then(|i| classes.get_mut(*i)) else {
            continue;
        };
        match m.role {
            MembershipRole::Mentor => class.mentor = Some(m.person_id),
            _ => class.teachers.push(m.person_id),
        }
    }
    let mut school_teachers: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for d in duty::Entity::find()
        .filter(duty::Column::MunicipalityId.eq(municipality_id))
        .filter(duty::Column::Role.eq(DutyRole::Teacher))
        .all(db)
        .await?
    {
        if let Some(unit) = d.unit_id {
            school_teachers.entry(unit).or_default().push(d.person_id);
        }
    }
    for list in school_teachers.values_mut() {
        list.sort();
    }

    let valid_from = NaiveDate::from_ymd_opt(start_year, 8, 15).unwrap_or(today);
    let valid_to = NaiveDate::from_ymd_opt(start_year + 1, 6, 30);
    let mut rng = Rng::new(seed ^ 0x7133_7ab1);
    let mut rows = Vec::new();
    // A teacher teaches one class at a time: (teacher, weekday, period) already taken.
    let mut busy: HashSet<(Uuid, usize, usize)> = HashSet::new();
    for (c, class) in classes.iter().enumerate() {
        let colleagues = school_teachers
            .get(&class.unit)
            .cloned()
            .unwrap_or_default();
        let mentor = class.mentor.or_else(|| colleagues.first().copied());
        let first = class.teachers.first().copied().or(mentor);
        let second = class.teachers.get(1).copied().or(first);
        // Practical subjects go to a teacher of the school who may not teach the class
        // otherwise, as at a real school.
        let specialist = if colleagues.is_empty() {
            mentor
        } else {
            Some(colleagues[(c * 7 + 3) % colleagues.len()])
        };
        let teacher_for = |activity: Activity| match activity {
            Activity::Swedish
            | Activity::Mentoring
            | Activity::Geography
            | Activity::History
            | Activity::Religion
            | Activity::CivicStudies => mentor,
            Activity::Mathematics
            | Activity::Biology
            | Activity::Physics
            | Activity::Chemistry
            | Activity::Technology => first,
            Activity::English | Activity::ModernLanguage | Activity::Music | Activity::Art => {
                second
            }
            Activity::PhysicalEducation | Activity::Crafts | Activity::HomeEconomics => specialist,
            Activity::Lunch => None,
        };
        let home_room = format!(
            "{}{}",
            ["A", "B", "C"][usize::try_from(class.year).unwrap_or(0) / 4 % 3],
            10 + c % 40
        );
        // Spread the week's lessons over the days, each subject's lessons on different days.
        let mut slots: Vec<Vec<Activity>> = vec![Vec::new(); 5];
        let mut day = rng.below(5);
        for (activity, count) in week_plan(class.year) {
            for _ in 0..count {
                slots[day % 5].push(activity);
                day += 1;
            }
        }
        for (weekday, activities) in slots.into_iter().enumerate() {
            for (period, activity) in activities.into_iter().take(PERIODS.len()).enumerate() {
                let ((sh, sm), (eh, em)) = PERIODS[period];
                // The planned teacher, or else the first free colleague, as a scheduler would.
                let free = |t: &Uuid| !busy.contains(&(*t, weekday, period));
                let teacher = teacher_for(activity).and_then(|planned| {
                    std::iter::once(planned)
                        .chain(colleagues.iter().copied())
                        .find(free)
                        .or(Some(planned))
                });
                if let Some(t) = teacher {
                    busy.insert((t, weekday, period));
                }
                rows.push(lesson::Model {
                    id: Uuid::new_v4(),
                    municipality_id,
                    group_id: class.id,
                    activity,
                    teacher_id: teacher,
                    room: Some(
                        special_room(activity)
                            .map(str::to_owned)
                            .unwrap_or_else(|| home_room.clone()),
                    ),
                    weekday: i32::try_from(weekday).unwrap_or(0) + 1,
                    starts_at: at(sh, sm),
                    ends_at: at(eh, em),
                    valid_from,
                    valid_to,
                });
            }
            let ((sh, sm), (eh, em)) = LUNCH;
            rows.push(lesson::Model {
                id: Uuid::new_v4(),
                municipality_id,
                group_id: class.id,
                activity: Activity::Lunch,
                teacher_id: None,
                room: special_room(Activity::Lunch).map(str::to_owned),
                weekday: i32::try_from(weekday).unwrap_or(0) + 1,
                starts_at: at(sh, sm),
                ends_at: at(eh, em),
                valid_from,
                valid_to,
            });
        }
    }
    let written = rows.len();
    // Every 8A: the demo pupil's class is one of them.
    let demo_classes: Vec<(Uuid, Uuid)> = classes
        .iter()
        .filter(|c| c.name == "8A")
        .map(|c| (c.id, c.unit))
        .collect();
    for chunk in rows.chunks(BATCH) {
        let models: Vec<lesson::ActiveModel> = chunk
            .iter()
            .map(|m| lesson::ActiveModel::from(m.clone()).reset_all())
            .collect();
        lesson::Entity::insert_many(models)
            .exec_without_returning(db)
            .await?;
    }
    let lessons: Vec<lesson::Model> = rows
        .into_iter()
        .filter(|l| l.activity != Activity::Lunch)
        .collect();
    write_changes(
        db,
        &lessons,
        &demo_classes,
        &school_teachers,
        today,
        &mut rng,
        now,
    )
    .await?;
    Ok(written)
}

/// Höstlov (week 44), sportlov (week 9, as in Stockholm), påsklov (the week after Easter) and a
/// study day, for last, this and next school year.
async fn write_breaks(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    start_year: i32,
) -> Result<(), DbErr> {
    let week = |year: i32, week: u32| NaiveDate::from_isoywd_opt(year, week, Weekday::Mon);
    let mut rows = Vec::new();
    for year in start_year - 1..=start_year + 1 {
        let easter_monday = calendar::easter_sunday(year + 1).and_then(|d| d.succ_opt());
        let breaks = [
            (SchoolBreakKind::AutumnBreak, week(year, 44), 4),
            (SchoolBreakKind::WinterBreak, week(year + 1, 9), 4),
            // Easter Monday is a holiday already; the rest of that week is lov.
            (SchoolBreakKind::EasterBreak, easter_monday, 4),
            // A Friday in late September for the staff's planning.
            (
                SchoolBreakKind::StudyDay,
                week(year, 39).and_then(|m| m.checked_add_days(Days::new(4))),
                0,
            ),
        ];
        for (kind, first, length) in breaks {
            let Some(first) = first else { continue };
            let last = first.checked_add_days(Days::new(length)).unwrap_or(first);
            rows.push(school_break::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                kind: Set(kind),
                first_day: Set(first),
                last_day: Set(last),
            });
        }
    }
    school_break::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

enum DemoChange {
    CancelSecond,
    MoveFirst,
    SubstituteThird,
}

/// A few changes in the shown week: in 8A a cancelled and a moved lesson today, and a
/// substitute or a cancellation on the other days; in about one class in ten elsewhere.
async fn write_changes(
    db: &impl ConnectionTrait,
    lessons: &[lesson::Model],
    demo_classes: &[(Uuid, Uuid)],
    school_teachers: &HashMap<Uuid, Vec<Uuid>>,
    today: NaiveDate,
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let monday = shown_week(today);
    // Today, or the Monday of the shown week when today is a weekend.
    let focus = if today >= monday { today } else { monday };
    let mut by_group: HashMap<Uuid, Vec<&lesson::Model>> = HashMap::new();
    for l in lessons {
        by_group.entry(l.group_id).or_default().push(l);
    }
    let mut groups: Vec<Uuid> = by_group.keys().copied().collect();
    groups.sort();
    let mut rows = Vec::new();
    let mut change = |l: &lesson::Model,
                      date: NaiveDate,
                      cancelled: bool,
                      substitute: Option<Uuid>,
                      room: Option<&str>,
                      note: Option<&str>| {
        rows.push(lesson_change::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(l.municipality_id),
            lesson_id: Set(l.id),
            on_date: Set(date),
            cancelled: Set(cancelled),
            substitute_teacher_id: Set(substitute),
            room: Set(room.map(str::to_owned)),
            starts_at: Set(None),
            ends_at: Set(None),
            note: Set(note.map(str::to_owned)),
            recorded_by_person_id: Set(l.teacher_id.unwrap_or(Uuid::nil())),
            recorded_at: Set(now),
            source_id: Set(None),
        });
    };
    let on = |l: &lesson::Model| {
        monday.checked_add_days(Days::new(u64::try_from(l.weekday - 1).unwrap_or(0)))
    };
    let substitute_for = |l: &lesson::Model, unit: Option<Uuid>, pick: usize| {
        unit.and_then(|u| school_teachers.get(&u))
            .map(|list| {
                list.iter()
                    .filter(|t| Some(**t) != l.teacher_id)
                    .copied()
                    .collect::<Vec<_>>()
            })
            .filter(|list| !list.is_empty())
            .map(|list| list[pick % list.len()])
    };
    for &(class, unit) in demo_classes {
        let mut week: Vec<&lesson::Model> = by_group.get(&class).cloned().unwrap_or_default();
        week.sort_by_key(|l| (l.weekday, l.starts_at));
        for weekday in 1..=5 {
            let day: Vec<&lesson::Model> = week
                .iter()
                .copied()
                .filter(|l| l.weekday == weekday)
                .collect();
            let Some(date) = day.first().and_then(|l| on(l)) else {
                continue;
            };
            if !calendar::is_working_day(date) {
                continue;
            }
            // The day people open the demo on gets a cancelled lesson and a moved one.
            let plan: &[DemoChange] = if date == focus {
                &[DemoChange::CancelSecond, DemoChange::MoveFirst]
            } else if weekday % 2 == 1 {
                &[DemoChange::SubstituteThird]
            } else {
                &[DemoChange::CancelSecond]
            };
            for planned in plan {
                match planned {
                    DemoChange::CancelSecond => {
                        if let Some(l) = day.get(1) {
                            let note = Some("Läraren är sjuk. Eget arbete hemma.");
                            change(l, date, true, None, None, note);
                        }
                    }
                    DemoChange::MoveFirst => {
                        if let Some(l) = day.first() {
                            change(l, date, false, None, Some("Aulan"), None);
                        }
                    }
                    DemoChange::SubstituteThird => {
                        if let Some(l) = day.get(2) {
                            let sub = substitute_for(l, Some(unit), weekday as usize);
                            change(l, date, false, sub, None, Some("Vikarie i dag."));
                        }
                    }
                }
            }
        }
    }
    for group in groups {
        if demo_classes.iter().any(|(c, _)| *c == group) || !rng.chance(10) {
            continue;
        }
        let Some(list) = by_group.get(&group) else {
            continue;
        };
        let l = list[rng.below(list.len())];
        let Some(date) = on(l).filter(|d| calendar::is_working_day(*d)) else {
            continue;
        };
        if rng.chance(50) {
            change(l, date, true, None, None, None);
        } else {
            change(l, date, false, None, Some("Biblioteket"), None);
        }
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<lesson_change::ActiveModel> = rows.by_ref().take(BATCH).collect();
        lesson_change::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
