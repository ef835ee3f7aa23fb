//! The individual development plan (IUP).
//!
//! The policy decides who reads the plan (`PersonAction::ReadDevelopmentPlan`: the pupil, the
//! guardians, the mentor, with a one-time code or BankID), who writes goals and follow-ups
//! (`WriteDevelopmentGoals`: the mentor) and who writes an omdöme (`WriteAssessment`: the
//! pupil's teachers and mentor). This module keeps the rest:
//! - the plan is open only while the talk consent is in force, as the talk material is;
//! - every goal and omdöme keeps the school the pupil was at when it was written; the staff of
//!   the pupil's school today see an earlier school's entries only while the transfer consent
//!   (`ConsentPurpose::SchoolTransfer`) is in force — the family always sees them all;
//! - a teacher without the plan's read sees only their own omdömen, and writes one only in a
//!   subject they teach a group the pupil is in, in a year without grades, once a school year
//!   (writing again replaces it);
//! - entries are checked by `shared::iup`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use skolportal_shared::api::{
    Activity, ConsentPurpose, ConsentState, DevelopmentPlan, IupAssessment, IupAssessmentInput,
    IupFollowUpInput, IupGoal, IupGoalInput,
};
use skolportal_shared::iup::{self, IupError as Rule};
use uuid::Uuid;

use crate::childcare::signatures;
use crate::clock::day_of;
use crate::entity::{enrolment, iup_assessment, iup_goal, lesson, person, school_term, unit};
use crate::policy::{Permit, PersonAction};
use crate::school::{consent, talks};

#[derive(Debug, thiserror::Error)]
pub enum IupError {
    #[error("{}", .0.message())]
    Input(Rule),
    /// The talk consent is not in force: the plan is closed.
    #[error("the guardians have not consented to development plans in the portal")]
    NoConsent,
    #[error("no school term holds today")]
    NoTerm,
    /// The pupil is enrolled at no school today.
    #[error("the pupil is not enrolled at a school")]
    NotEnrolled,
    #[error("no such goal")]
    NotFound,
    #[error("you do not teach the pupil that subject")]
    NotYourSubject,
    /// Omdömen are for the years without grades.
    #[error("the pupil's school year gets grades, not omdömen")]
    GradedYear,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The permits the asker holds on the pupil's plan, at least one of them.
pub struct PlanPermits {
    pub read: Option<Permit<PersonAction>>,
    pub goals: Option<Permit<PersonAction>>,
    pub assess: Option<Permit<PersonAction>>,
}

impl PlanPermits {
    fn any(&self) -> Option<&Permit<PersonAction>> {
        self.read
            .as_ref()
            .or(self.goals.as_ref())
            .or(self.assess.as_ref())
    }
}

/// The pupil's enrolment today.
async fn enrolment_of(
    db: &impl ConnectionTrait,
    pupil: Uuid,
    day: NaiveDate,
) -> Result<Option<enrolment::Model>, DbErr> {
    enrolment::Entity::find()
        .filter(enrolment::Column::PupilId.eq(pupil))
        .filter(enrolment::Column::StartDate.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(enrolment::Column::EndDate.is_null())
                .add(enrolment::Column::EndDate.gte(day)),
        )
        .one(db)
        .await
}

/// Which schools' entries the asker sees: all for the family and under the transfer consent,
/// else those of the pupil's school today.
enum Seen {
    All,
    Only(Option<Uuid>),
}

impl Seen {
    fn shows(&self, unit: Uuid) -> bool {
        match self {
            Seen::All => true,
            Seen::Only(school) => *school == Some(unit),
        }
    }
}

async fn seen_by(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    school: Option<Uuid>,
    today: NaiveDate,
) -> Result<Seen, DbErr> {
    if permit.by_family() {
        return Ok(Seen::All);
    }
    let settings = signatures::settings(db, permit.actor().municipality_id).await?;
    let pupil = permit.target().0;
    if consent::in_force(db, &settings, pupil, ConsentPurpose::SchoolTransfer, today).await? {
        return Ok(Seen::All);
    }
    Ok(Seen::Only(school))
}

/// The subjects `teacher` teaches a group the pupil is in today, for an omdöme.
async fn subjects_taught(
    db: &impl ConnectionTrait,
    teacher: Uuid,
    pupil: Uuid,
    today: NaiveDate,
) -> Result<Vec<Activity>, DbErr> {
    let groups = super::groups_of_pupil(db, pupil, today).await?;
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let taught: HashSet<Activity> = lesson::Entity::find()
        .filter(lesson::Column::GroupId.is_in(groups))
        .filter(lesson::Column::TeacherId.eq(teacher))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.activity)
        .filter(|a| !matches!(a, Activity::Lunch | Activity::Mentoring))
        .collect();
    Ok(Activity::ALL
        .iter()
        .copied()
        .filter(|a| taught.contains(a))
        .collect())
}

async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect())
}

async fn unit_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

/// Goals and omdömen as the wire shows them, the latest first.
async fn view(
    db: &impl ConnectionTrait,
    goals: Vec<iup_goal::Model>,
    assessments: Vec<iup_assessment::Model>,
    asker: Uuid,
) -> Result<(Vec<IupGoal>, Vec<IupAssessment>), DbErr> {
    let people = names(
        db,
        goals
            .iter()
            .filter_map(|g| g.author_id)
            .chain(assessments.iter().filter_map(|a| a.teacher_id)),
    )
    .await?;
    let units = unit_names(
        db,
        goals
            .iter()
            .map(|g| g.unit_id)
            .chain(assessments.iter().map(|a| a.unit_id)),
    )
    .await?;
    let term_ids: HashSet<Uuid> = goals.iter().map(|g| g.term_id).collect();
    let terms: HashMap<Uuid, school_term::Model> = if term_ids.is_empty() {
        HashMap::new()
    } else {
        school_term::Entity::find()
            .filter(school_term::Column::Id.is_in(term_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect()
    };
    let mut goals: Vec<IupGoal> = goals
        .into_iter()
        .filter_map(|g| {
            let term = terms.get(&g.term_id)?;
            Some(IupGoal {
                id: g.id,
                term_starts_on: term.starts_on,
                term_ends_on: term.ends_on,
                unit_name: units.get(&g.unit_id).cloned().unwrap_or_default(),
                author_name: g
                    .author_id
                    .and_then(|a| people.get(&a).cloned())
                    .unwrap_or_default(),
                activity: g.activity,
                goal: g.goal,
                measures: g.measures,
                agreements: g.agreements,
                written_at: g.created_at,
                outcome: g.outcome,
                follow_up: g.follow_up.unwrap_or_default(),
            })
        })
        .collect();
    goals.sort_by(|a, b| {
        (b.term_starts_on, b.written_at, b.id).cmp(&(a.term_starts_on, a.written_at, a.id))
    });
    let mut assessments: Vec<IupAssessment> = assessments
        .into_iter()
        .map(|a| IupAssessment {
            id: a.id,
            school_year_start: a.school_year_start,
            school_year: a.school_year,
            activity: a.activity,
            level: a.level,
            comment: a.comment,
            teacher_name: a
                .teacher_id
                .and_then(|t| people.get(&t).cloned())
                .unwrap_or_default(),
            unit_name: units.get(&a.unit_id).cloned().unwrap_or_default(),
            own: a.teacher_id == Some(asker),
        })
        .collect();
    assessments
        .sort_by(|a, b| (b.school_year_start, a.activity).cmp(&(a.school_year_start, b.activity)));
    Ok((goals, assessments))
}

/// The plan as the asker may see it.
pub async fn plan(
    db: &impl ConnectionTrait,
    permits: &PlanPermits,
    can_consent: bool,
    now: DateTime<Utc>,
) -> Result<DevelopmentPlan, IupError> {
    let Some(any) = permits.any() else {
        return Err(IupError::NotFound);
    };
    let actor = any.actor();
    let pupil = any.target().0;
    let today = day_of(now);
    let state = talks::consent_state(db, actor.municipality_id, pupil, today).await?;
    let pupil_given_name = person::Entity::find_by_id(pupil)
        .one(db)
        .await?
        .map(|p| p.given_name)
        .unwrap_or_default();
    let mut plan = DevelopmentPlan {
        pupil_id: pupil,
        pupil_given_name,
        consent: state,
        goals: Vec::new(),
        assessments: Vec::new(),
        earlier_school_withheld: false,
        can_write_goals: false,
        assessment_subjects: Vec::new(),
        can_consent,
    };
    if state != ConsentState::InForce {
        return Ok(plan);
    }
    let enrolled = enrolment_of(db, pupil, today).await?;
    let school = enrolled.as_ref().map(|e| e.unit_id);
    let seen = seen_by(db, any, school, today).await?;
    let goals: Vec<iup_goal::Model> = if permits.read.is_some() {
        iup_goal::Entity::find()
            .filter(iup_goal::Column::PupilId.eq(pupil))
            .all(db)
            .await?
    } else {
        Vec::new()
    };
    let assessments = iup_assessment::Entity::find()
        .filter(iup_assessment::Column::PupilId.eq(pupil))
        .order_by_desc(iup_assessment::Column::SchoolYearStart)
        .all(db)
        .await?;
    plan.earlier_school_withheld = goals
        .iter()
        .map(|g| g.unit_id)
        .chain(assessments.iter().map(|a| a.unit_id))
        .any(|unit| !seen.shows(unit));
    let goals = goals
        .into_iter()
        .filter(|g| seen.shows(g.unit_id))
        .collect();
    let assessments = assessments
        .into_iter()
        .filter(|a| seen.shows(a.unit_id))
        .filter(|a| permits.read.is_some() || a.teacher_id == Some(actor.person_id))
        .collect();
    (plan.goals, plan.assessments) = view(db, goals, assessments, actor.person_id).await?;
    plan.can_write_goals = permits.goals.is_some() && enrolled.is_some();
    if permits.assess.is_some() {
        let settings = signatures::settings(db, actor.municipality_id).await?;
        let ungraded = enrolled
            .as_ref()
            .is_some_and(|e| e.school_year < settings.first_graded_school_year);
        if ungraded {
            plan.assessment_subjects = subjects_taught(db, actor.person_id, pupil, today).await?;
        }
    }
    Ok(plan)
}

async fn open(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    today: NaiveDate,
) -> Result<enrolment::Model, IupError> {
    let actor = permit.actor();
    let pupil = permit.target().0;
    if talks::consent_state(db, actor.municipality_id, pupil, today).await? != ConsentState::InForce
    {
        return Err(IupError::NoConsent);
    }
    enrolment_of(db, pupil, today)
        .await?
        .ok_or(IupError::NotEnrolled)
}

/// The mentor writes a goal for this term at the pupil's school.
pub async fn add_goal(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    input: &IupGoalInput,
    now: DateTime<Utc>,
) -> Result<(), IupError> {
    iup::check_goal(input).map_err(IupError::Input)?;
    let today = day_of(now);
    let enrolled = open(db, permit, today).await?;
    let actor = permit.actor();
    let term = crate::school::timetable::current_term(db, actor.municipality_id, today)
        .await?
        .ok_or(IupError::NoTerm)?;
    iup_goal::Entity::insert(iup_goal::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(actor.municipality_id),
        pupil_id: Set(permit.target().0),
        term_id: Set(term.id),
        unit_id: Set(enrolled.unit_id),
        author_id: Set(Some(actor.person_id)),
        activity: Set(input.activity),
        goal: Set(input.goal.trim().to_owned()),
        measures: Set(input.measures.trim().to_owned()),
        agreements: Set(input.agreements.trim().to_owned()),
        created_at: Set(now),
        outcome: Set(None),
        follow_up: Set(None),
        followed_up_at: Set(None),
        followed_up_by_id: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The mentor follows a goal up: how it went, with a comment. A goal the mentor may not see (an
/// earlier school's, without the transfer consent) is not found.
pub async fn follow_up(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    goal: Uuid,
    input: &IupFollowUpInput,
    now: DateTime<Utc>,
) -> Result<(), IupError> {
    iup::check_follow_up(input).map_err(IupError::Input)?;
    let today = day_of(now);
    let enrolled = open(db, permit, today).await?;
    let found = iup_goal::Entity::find_by_id(goal)
        .one(db)
        .await?
        .filter(|g| g.pupil_id == permit.target().0)
        .ok_or(IupError::NotFound)?;
    if !seen_by(db, permit, Some(enrolled.unit_id), today)
        .await?
        .shows(found.unit_id)
    {
        return Err(IupError::NotFound);
    }
    iup_goal::Entity::update(iup_goal::ActiveModel {
        id: Set(found.id),
        outcome: Set(Some(input.outcome)),
        follow_up: Set(Some(input.comment.trim().to_owned())),
        followed_up_at: Set(Some(now)),
        followed_up_by_id: Set(Some(permit.actor().person_id)),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// A subject teacher's omdöme for this school year, replacing their earlier one of the year.
pub async fn assess(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    input: &IupAssessmentInput,
    now: DateTime<Utc>,
) -> Result<(), IupError> {
    iup::check_assessment(input).map_err(IupError::Input)?;
    let today = day_of(now);
    let enrolled = open(db, permit, today).await?;
    let actor = permit.actor();
    let settings = signatures::settings(db, actor.municipality_id).await?;
    if enrolled.school_year >= settings.first_graded_school_year {
        return Err(IupError::GradedYear);
    }
    let pupil = permit.target().0;
    if !subjects_taught(db, actor.person_id, pupil, today)
        .await?
        .contains(&input.activity)
    {
        return Err(IupError::NotYourSubject);
    }
    iup_assessment::Entity::insert(iup_assessment::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(actor.municipality_id),
        pupil_id: Set(pupil),
        school_year_start: Set(iup::school_year_start(today)),
        school_year: Set(enrolled.school_year),
        unit_id: Set(enrolled.unit_id),
        activity: Set(input.activity),
        level: Set(input.level),
        comment: Set(input.comment.trim().to_owned()),
        teacher_id: Set(Some(actor.person_id)),
        written_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            iup_assessment::Column::PupilId,
            iup_assessment::Column::SchoolYearStart,
            iup_assessment::Column::Activity,
        ])
        .update_columns([
            iup_assessment::Column::SchoolYear,
            iup_assessment::Column::UnitId,
            iup_assessment::Column::Level,
            iup_assessment::Column::Comment,
            iup_assessment::Column::TeacherId,
            iup_assessment::Column::WrittenAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// For the register extract: the pupil's whole plan, every school's.
pub async fn for_extract(
    db: &impl ConnectionTrait,
    pupil: Uuid,
    reader: Uuid,
) -> Result<(Vec<IupGoal>, Vec<IupAssessment>), DbErr> {
    let goals = iup_goal::Entity::find()
        .filter(iup_goal::Column::PupilId.eq(pupil))
        .all(db)
        .await?;
    let assessments = iup_assessment::Entity::find()
        .filter(iup_assessment::Column::PupilId.eq(pupil))
        .all(db)
        .await?;
    view(db, goals, assessments, reader).await
}
