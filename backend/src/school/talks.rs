//! Talk material (samtalsunderlag) before a development talk.
//!
//! The policy decides who may read the published parts (`PersonAction::ReadTalkMaterial`: the
//! pupil, the guardians, the mentor) and who writes a part (`WriteTalkMaterial`: those and each
//! of the pupil's teachers). This module keeps the rest:
//! - the material is open only while the talk consent is in force (`consent::in_force`,
//!   `ConsentPurpose::TalkDocumentation`); closed, nothing is shown or written;
//! - one part per author, pupil and term; a draft is its author's alone, a published part is
//!   read by the holders of `ReadTalkMaterial`; a teacher without it sees only their own;
//! - the answers are checked by `shared::talks::check`;
//! - a withdrawal deletes the pupil's parts after the kind's grace period, unless the consent
//!   is given again first ([`purge_after_withdrawal`]).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use skolportal_shared::api::{
    ConsentDecision, ConsentPurpose, ConsentState, TalkAnswers, TalkMaterial, TalkPart,
    TalkPartInput, TalkPartStatus, TalkRole,
};
use skolportal_shared::talks::{self, TalkError as Rule};
use uuid::Uuid;

use crate::childcare::signatures;
use crate::clock::day_of;
use crate::entity::{consent_decision, person, school_term, talk_part};
use crate::policy::{Permit, PersonAction};
use crate::school::consent;

#[derive(Debug, thiserror::Error)]
pub enum TalkError {
    #[error("{}", .0.message())]
    Input(Rule),
    /// The talk consent is not in force: the material is closed.
    #[error("the guardians have not consented to talk material in the portal")]
    NoConsent,
    /// The municipality has no term that the material could be for.
    #[error("no school term holds today")]
    NoTerm,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The term the material is for: the one that holds `today`, else the last one that began.
async fn current_term(
    db: &impl ConnectionTrait,
    municipality: Uuid,
    today: NaiveDate,
) -> Result<school_term::Model, TalkError> {
    crate::school::timetable::current_term(db, municipality, today)
        .await?
        .ok_or(TalkError::NoTerm)
}

/// The state of the talk consent: the strongest of the kinds that open the talks.
pub(crate) async fn consent_state(
    db: &impl ConnectionTrait,
    municipality: Uuid,
    pupil: Uuid,
    today: NaiveDate,
) -> Result<ConsentState, DbErr> {
    let settings = signatures::settings(db, municipality).await?;
    if consent::in_force(
        db,
        &settings,
        pupil,
        ConsentPurpose::TalkDocumentation,
        today,
    )
    .await?
    {
        return Ok(ConsentState::InForce);
    }
    consent::state_of_purpose(
        db,
        &settings,
        pupil,
        ConsentPurpose::TalkDocumentation,
        today,
    )
    .await
}

/// What the asker sees: with `read`, every published part and their own; with `write` alone
/// (a teacher), their own.
pub async fn material(
    db: &impl ConnectionTrait,
    read: Option<&Permit<PersonAction>>,
    write: Option<&Permit<PersonAction>>,
    can_consent: bool,
    now: DateTime<Utc>,
) -> Result<TalkMaterial, TalkError> {
    let Some(permit) = read.or(write) else {
        return Err(TalkError::NoConsent);
    };
    let actor = permit.actor();
    let pupil = permit.target().0;
    let today = day_of(now);
    let term = current_term(db, actor.municipality_id, today).await?;
    let state = consent_state(db, actor.municipality_id, pupil, today).await?;
    let pupil_given_name = person::Entity::find_by_id(pupil)
        .one(db)
        .await?
        .map(|p| p.given_name)
        .unwrap_or_default();
    let mut parts = Vec::new();
    if state == ConsentState::InForce {
        let rows = talk_part::Entity::find()
            .filter(talk_part::Column::PupilId.eq(pupil))
            .filter(talk_part::Column::TermId.eq(term.id))
            .order_by_asc(talk_part::Column::CreatedAt)
            .all(db)
            .await?
            .into_iter()
            .filter(|p| {
                p.author_id == actor.person_id
                    || (read.is_some() && p.status == TalkPartStatus::Published)
            })
            .collect::<Vec<_>>();
        parts = view(db, rows, actor.person_id).await?;
    }
    Ok(TalkMaterial {
        pupil_id: pupil,
        pupil_given_name,
        consent: state,
        term_starts_on: term.starts_on,
        term_ends_on: term.ends_on,
        parts,
        can_write: write.is_some() && state == ConsentState::InForce,
        can_consent,
    })
}

async fn view(
    db: &impl ConnectionTrait,
    rows: Vec<talk_part::Model>,
    asker: Uuid,
) -> Result<Vec<TalkPart>, DbErr> {
    let names: HashMap<Uuid, (String, String)> = person::Entity::find()
        .filter(person::Column::Id.is_in(rows.iter().map(|r| r.author_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.given_name, p.family_name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (given_name, family_name) = names.get(&r.author_id).cloned().unwrap_or_default();
            TalkPart {
                id: r.id,
                author_id: r.author_id,
                given_name,
                family_name,
                role: r.role,
                status: r.status,
                answers: TalkAnswers {
                    going_well: r.going_well,
                    to_develop: r.to_develop,
                    support: r.support,
                    questions: r.questions,
                },
                own: r.author_id == asker,
                updated_at: r.updated_at,
            }
        })
        .collect())
}

/// Keeps the asker's own part (`write`), as a draft or published. `reads` says whether the asker
/// also holds `ReadTalkMaterial`, which with neither the pupil's nor a guardian's relation makes
/// them the mentor.
pub async fn save(
    db: &impl ConnectionTrait,
    write: &Permit<PersonAction>,
    reads: bool,
    input: &TalkPartInput,
    now: DateTime<Utc>,
) -> Result<(), TalkError> {
    talks::check(&input.answers, input.publish).map_err(TalkError::Input)?;
    let actor = write.actor();
    let pupil = write.target().0;
    let today = day_of(now);
    if consent_state(db, actor.municipality_id, pupil, today).await? != ConsentState::InForce {
        return Err(TalkError::NoConsent);
    }
    let term = current_term(db, actor.municipality_id, today).await?;
    let role = if actor.person_id == pupil {
        TalkRole::Pupil
    } else if signatures::guardians_of(db, pupil, today)
        .await?
        .contains(&actor.person_id)
    {
        TalkRole::Guardian
    } else if reads {
        TalkRole::Mentor
    } else {
        TalkRole::Teacher
    };
    let status = if input.publish {
        TalkPartStatus::Published
    } else {
        TalkPartStatus::Draft
    };
    let answers = &input.answers;
    talk_part::Entity::insert(talk_part::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(actor.municipality_id),
        pupil_id: Set(pupil),
        term_id: Set(term.id),
        author_id: Set(actor.person_id),
        role: Set(role),
        status: Set(status),
        going_well: Set(answers.going_well.trim().to_owned()),
        to_develop: Set(answers.to_develop.trim().to_owned()),
        support: Set(answers.support.trim().to_owned()),
        questions: Set(answers.questions.trim().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(input.publish.then_some(now)),
    })
    .on_conflict(
        OnConflict::columns([
            talk_part::Column::PupilId,
            talk_part::Column::TermId,
            talk_part::Column::AuthorId,
        ])
        .update_columns([
            talk_part::Column::Role,
            talk_part::Column::Status,
            talk_part::Column::GoingWell,
            talk_part::Column::ToDevelop,
            talk_part::Column::Support,
            talk_part::Column::Questions,
            talk_part::Column::UpdatedAt,
            talk_part::Column::PublishedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// After the grace period of a withdrawal (decision number `withdrawal_seq`): deletes the pupil's
/// talk material and development plan unless the talk consent is in force again. A later withdrawal has its own grace
/// period, counted from it, so this one then leaves the deletion to it. Answers the parts
/// deleted.
pub async fn purge_after_withdrawal(
    db: &impl ConnectionTrait,
    pupil: Uuid,
    withdrawal_seq: i32,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let Some(child) = person::Entity::find_by_id(pupil).one(db).await? else {
        return Ok(0);
    };
    let settings = signatures::settings(db, child.municipality_id).await?;
    let today = day_of(now);
    if consent::in_force(
        db,
        &settings,
        pupil,
        ConsentPurpose::TalkDocumentation,
        today,
    )
    .await?
    {
        return Ok(0);
    }
    let talk_keys: Vec<String> = settings
        .consent_kinds
        .iter()
        .filter(|k| k.purpose == ConsentPurpose::TalkDocumentation)
        .map(|k| k.key.clone())
        .collect();
    let withdrawn_since = consent_decision::Entity::find()
        .filter(consent_decision::Column::ChildId.eq(pupil))
        .filter(consent_decision::Column::KindKey.is_in(talk_keys))
        .filter(consent_decision::Column::Seq.gt(withdrawal_seq))
        .filter(consent_decision::Column::Decision.eq(ConsentDecision::Withdrawn))
        .one(db)
        .await?;
    if withdrawn_since.is_some() {
        return Ok(0);
    }
    // The development plan's goals and omdömen were kept under the same consent.
    crate::entity::iup_goal::Entity::delete_many()
        .filter(crate::entity::iup_goal::Column::PupilId.eq(pupil))
        .exec(db)
        .await?;
    crate::entity::iup_assessment::Entity::delete_many()
        .filter(crate::entity::iup_assessment::Column::PupilId.eq(pupil))
        .exec(db)
        .await?;
    Ok(talk_part::Entity::delete_many()
        .filter(talk_part::Column::PupilId.eq(pupil))
        .exec(db)
        .await?
        .rows_affected)
}

/// For the register extract: the pupil's published parts of every term and `reader`'s own
/// drafts, the latest first.
pub async fn for_extract(
    db: &impl ConnectionTrait,
    pupil: Uuid,
    reader: Uuid,
) -> Result<Vec<TalkPart>, DbErr> {
    let rows = talk_part::Entity::find()
        .filter(talk_part::Column::PupilId.eq(pupil))
        .order_by_desc(talk_part::Column::UpdatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|p| p.status == TalkPartStatus::Published || p.author_id == reader)
        .collect();
    view(db, rows, reader).await
}
