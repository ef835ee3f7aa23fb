//! Grades (betyg, DOMAIN.md rule 8).
//!
//! The policy decides who reads a pupil's grades (`PersonAction::ReadGrades`: the pupil, the
//! guardians, the mentor, with a one-time code or BankID), who keeps a group's sheet
//! (`GroupAction::SetGrades`: its teachers) and who locks a school's term
//! (`UnitAction::LockGrades`: the principal). This module keeps the rest:
//! - nobody sees a grade of a school year that gets none (`first_graded_school_year`), nor
//!   can one be set for a pupil in such a year;
//! - a teacher sets grades only in the subjects they teach the group, for its pupils, in the
//!   current term, where the municipality sets grades in the portal (`grades_in_portal`);
//! - one grade per pupil, term and subject; a locked term changes no more.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use skolportal_shared::api::{
    Activity, GradeSheet, GradeSheetPupil, GradeSheetUpdate, PupilGrades, SubjectGrade, TermGrades,
};
use uuid::Uuid;

use crate::childcare::signatures;
use crate::clock::day_of;
use crate::entity::{enrolment, grade, grade_lock, lesson, person, school_group, school_term};
use crate::policy::{GroupAction, Permit, PersonAction, UnitAction};

#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    #[error("no such group or school")]
    NotFound,
    /// The municipality takes grades from its school administration system.
    #[error("grades are not set in the portal here")]
    NotInPortal,
    #[error("you do not teach that subject in the group")]
    NotYourSubject,
    #[error("the pupil is not in the group")]
    NotInGroup,
    #[error("the pupil's school year gets no grades")]
    UngradedYear,
    #[error("the term's grades are locked")]
    Locked,
    #[error("no school term holds today")]
    NoTerm,
    #[error(transparent)]
    Database(#[from] DbErr),
}

async fn current_term(
    db: &impl ConnectionTrait,
    municipality: Uuid,
    today: NaiveDate,
) -> Result<school_term::Model, GradeError> {
    crate::school::timetable::current_term(db, municipality, today)
        .await?
        .ok_or(GradeError::NoTerm)
}

/// The enrolments of `pupils` that hold `day`.
async fn enrolments_on(
    db: &impl ConnectionTrait,
    pupils: impl IntoIterator<Item = Uuid>,
    day: NaiveDate,
) -> Result<HashMap<Uuid, enrolment::Model>, DbErr> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::PupilId.is_in(pupils))
        .filter(enrolment::Column::StartDate.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(enrolment::Column::EndDate.is_null())
                .add(enrolment::Column::EndDate.gte(day)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.pupil_id, e))
        .collect())
}

/// The pupil's grades, the latest term first, without those of years that get none.
pub async fn of_pupil(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    now: DateTime<Utc>,
) -> Result<PupilGrades, GradeError> {
    let pupil = permit.target().0;
    let settings = signatures::settings(db, permit.actor().municipality_id).await?;
    let first = settings.first_graded_school_year;
    let today = day_of(now);
    let enrolment = enrolments_on(db, [pupil], today).await?.remove(&pupil);
    let pupil_given_name = person::Entity::find_by_id(pupil)
        .one(db)
        .await?
        .map(|p| p.given_name)
        .unwrap_or_default();
    let grades = grade::Entity::find()
        .filter(grade::Column::PupilId.eq(pupil))
        .filter(grade::Column::SchoolYear.gte(first))
        .all(db)
        .await?;
    let term_ids: BTreeSet<Uuid> = grades.iter().map(|g| g.term_id).collect();
    let terms = school_term::Entity::find()
        .filter(school_term::Column::Id.is_in(term_ids.iter().copied()))
        .order_by_desc(school_term::Column::StartsOn)
        .all(db)
        .await?;
    let units: Vec<Uuid> = enrolment::Entity::find()
        .filter(enrolment::Column::PupilId.eq(pupil))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.unit_id)
        .collect();
    let locks = grade_lock::Entity::find()
        .filter(grade_lock::Column::UnitId.is_in(units))
        .filter(grade_lock::Column::TermId.is_in(term_ids))
        .all(db)
        .await?;
    let terms = terms
        .into_iter()
        .map(|term| {
            let mut of_term: Vec<&grade::Model> =
                grades.iter().filter(|g| g.term_id == term.id).collect();
            of_term.sort_by_key(|g| Activity::ALL.iter().position(|a| *a == g.activity));
            TermGrades {
                term_starts_on: term.starts_on,
                term_ends_on: term.ends_on,
                school_year: of_term.first().map_or(0, |g| g.school_year),
                locked: locks.iter().any(|l| l.term_id == term.id),
                grades: of_term
                    .iter()
                    .map(|g| SubjectGrade {
                        activity: g.activity,
                        value: g.value,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(PupilGrades {
        pupil_id: pupil,
        pupil_given_name,
        school_year: enrolment.map(|e| e.school_year),
        first_graded_year: first,
        terms,
    })
}

/// What a teacher's sheet rests on: the group, the term, the subjects the asker teaches there,
/// and whether the term is locked at the group's school.
struct SheetBasis {
    group: school_group::Model,
    term: school_term::Model,
    activities: Vec<Activity>,
    locked: bool,
    first_graded: i32,
    in_portal: bool,
}

async fn basis(
    db: &impl ConnectionTrait,
    permit: &Permit<GroupAction>,
    today: NaiveDate,
) -> Result<SheetBasis, GradeError> {
    let actor = permit.actor();
    let group = school_group::Entity::find_by_id(permit.target().0)
        .one(db)
        .await?
        .ok_or(GradeError::NotFound)?;
    let term = current_term(db, actor.municipality_id, today).await?;
    let taught: BTreeSet<Activity> = lesson::Entity::find()
        .filter(lesson::Column::GroupId.eq(group.id))
        .filter(lesson::Column::TeacherId.eq(actor.person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.activity)
        .filter(|a| !matches!(a, Activity::Lunch | Activity::Mentoring))
        .collect();
    let locked = grade_lock::Entity::find_by_id((group.unit_id, term.id))
        .one(db)
        .await?
        .is_some();
    let settings = signatures::settings(db, actor.municipality_id).await?;
    Ok(SheetBasis {
        group,
        term,
        activities: Activity::ALL
            .iter()
            .copied()
            .filter(|a| taught.contains(a))
            .collect(),
        locked,
        first_graded: settings.first_graded_school_year,
        in_portal: settings.grades_in_portal,
    })
}

/// The subject teacher's sheet: the group's pupils and this term's grades in the asker's
/// subjects. The pupils shown are logged.
pub async fn sheet(
    db: &impl ConnectionTrait,
    permit: &Permit<GroupAction>,
    now: DateTime<Utc>,
) -> Result<GradeSheet, GradeError> {
    let today = day_of(now);
    let basis = basis(db, permit, today).await?;
    let pupils = super::pupils_of(db, basis.group.id, today).await?;
    let enrolments = enrolments_on(db, pupils.iter().map(|p| p.id), today).await?;
    let grades = grade::Entity::find()
        .filter(grade::Column::PupilId.is_in(pupils.iter().map(|p| p.id)))
        .filter(grade::Column::TermId.eq(basis.term.id))
        .filter(grade::Column::Activity.is_in(basis.activities.iter().copied()))
        .all(db)
        .await?;
    let rows: Vec<GradeSheetPupil> = pupils
        .into_iter()
        .map(|p| {
            let school_year = enrolments.get(&p.id).map_or(0, |e| e.school_year);
            let graded = school_year >= basis.first_graded;
            GradeSheetPupil {
                pupil_id: p.id,
                school_year,
                graded,
                grades: if graded {
                    basis
                        .activities
                        .iter()
                        .filter_map(|a| {
                            grades
                                .iter()
                                .find(|g| g.pupil_id == p.id && g.activity == *a)
                                .map(|g| SubjectGrade {
                                    activity: g.activity,
                                    value: g.value,
                                })
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                given_name: p.given_name,
                family_name: p.family_name,
            }
        })
        .collect();
    permit
        .record_shown(db, rows.iter().map(|p| p.pupil_id), now)
        .await?;
    Ok(GradeSheet {
        group_id: basis.group.id,
        group_name: basis.group.name,
        term_starts_on: basis.term.starts_on,
        term_ends_on: basis.term.ends_on,
        activities: basis.activities,
        locked: basis.locked,
        set_in_portal: basis.in_portal,
        pupils: rows,
    })
}

/// Sets (or takes away) this term's grades in one of the asker's subjects for pupils of the
/// group, all or none.
pub async fn set(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<GroupAction>,
    update: &GradeSheetUpdate,
    now: DateTime<Utc>,
) -> Result<(), GradeError> {
    let today = day_of(now);
    let basis = basis(db, permit, today).await?;
    if !basis.in_portal {
        return Err(GradeError::NotInPortal);
    }
    if !basis.activities.contains(&update.activity) {
        return Err(GradeError::NotYourSubject);
    }
    if basis.locked {
        return Err(GradeError::Locked);
    }
    let pupils = super::pupils_of(db, basis.group.id, today).await?;
    let enrolments = enrolments_on(db, pupils.iter().map(|p| p.id), today).await?;
    for entry in &update.grades {
        if !pupils.iter().any(|p| p.id == entry.pupil_id) {
            return Err(GradeError::NotInGroup);
        }
        let year = enrolments.get(&entry.pupil_id).map_or(0, |e| e.school_year);
        if year < basis.first_graded {
            return Err(GradeError::UngradedYear);
        }
    }
    let actor = permit.actor();
    let txn = db.begin().await?;
    for entry in &update.grades {
        let of_pupil = grade::Entity::delete_many()
            .filter(grade::Column::PupilId.eq(entry.pupil_id))
            .filter(grade::Column::TermId.eq(basis.term.id))
            .filter(grade::Column::Activity.eq(update.activity));
        let Some(value) = entry.value else {
            of_pupil.exec(&txn).await?;
            continue;
        };
        grade::Entity::insert(grade::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(actor.municipality_id),
            pupil_id: Set(entry.pupil_id),
            term_id: Set(basis.term.id),
            activity: Set(update.activity),
            value: Set(value),
            school_year: Set(enrolments.get(&entry.pupil_id).map_or(0, |e| e.school_year)),
            set_by_person_id: Set(Some(actor.person_id)),
            set_at: Set(now),
            source_id: Set(None),
        })
        .on_conflict(
            OnConflict::columns([
                grade::Column::PupilId,
                grade::Column::TermId,
                grade::Column::Activity,
            ])
            .update_columns([
                grade::Column::Value,
                grade::Column::SchoolYear,
                grade::Column::SetByPersonId,
                grade::Column::SetAt,
                grade::Column::SourceId,
            ])
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Locks the school's grades of the current term (once; locking again changes nothing).
pub async fn lock(
    db: &impl ConnectionTrait,
    permit: &Permit<UnitAction>,
    now: DateTime<Utc>,
) -> Result<(), GradeError> {
    let actor = permit.actor();
    let term = current_term(db, actor.municipality_id, day_of(now)).await?;
    grade_lock::Entity::insert(grade_lock::ActiveModel {
        unit_id: Set(permit.target().0),
        term_id: Set(term.id),
        locked_by_person_id: Set(Some(actor.person_id)),
        locked_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([grade_lock::Column::UnitId, grade_lock::Column::TermId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// For the register extract: every grade of the pupil, of every year (the extract holds all that
/// is stored), the latest term first, with who set it.
pub async fn for_extract(
    db: &impl ConnectionTrait,
    pupil: Uuid,
) -> Result<Vec<skolportal_shared::api::ExtractGrade>, DbErr> {
    let grades = grade::Entity::find()
        .filter(grade::Column::PupilId.eq(pupil))
        .all(db)
        .await?;
    if grades.is_empty() {
        return Ok(Vec::new());
    }
    let terms: HashMap<Uuid, NaiveDate> = school_term::Entity::find()
        .filter(school_term::Column::Id.is_in(grades.iter().map(|g| g.term_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.starts_on))
        .collect();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(grades.iter().filter_map(|g| g.set_by_person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect();
    let mut out: Vec<skolportal_shared::api::ExtractGrade> = grades
        .into_iter()
        .map(|g| skolportal_shared::api::ExtractGrade {
            term_starts_on: terms.get(&g.term_id).copied().unwrap_or_default(),
            activity: g.activity,
            value: g.value,
            school_year: g.school_year,
            set_by: g
                .set_by_person_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
        })
        .collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.term_starts_on));
    Ok(out)
}
