//! Consents (samtycken, DOMAIN.md rule 4).
//!
//! The policy decides who reads them (`PersonAction::ReadConsents`) and who decides
//! (`DecideConsent`: a guardian with custody). This module keeps what was decided:
//! - the kinds are the municipality's settings (`consent_kinds`: text, what each opens, whether
//!   one guardian is enough, the grace period after a withdrawal);
//! - every decision is a new row, so the history is complete and nothing is overwritten; a
//!   decision equal to the guardian's latest adds nothing;
//! - whether a consent is in force is `shared::consent::state` over the latest decision of each
//!   guardian with custody today: [`in_force`] is what every page that a consent opens asks;
//! - a withdrawal of the talk consent deletes the talk material after the kind's grace period,
//!   unless it is in force again by then (a job, `school::talks::purge_after_withdrawal`);
//! - before each school year every guardian of a pupil is reminded once ([`remind`]).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, Statement, TransactionTrait,
};
use skolportal_shared::api::{
    ChildConsent, ChildConsents, ConsentDecision, ConsentEvent, ConsentKind, ConsentPurpose,
    ConsentState, GuardianConsent, NoticeKind,
};
use uuid::Uuid;

use crate::childcare::signatures;
use crate::clock::day_of;
use crate::db::numbered_params;
use crate::entity::{consent_decision, consent_reminder, person, school_term};
use crate::municipality::MunicipalitySettings;
use crate::notices::{self, NoticeContent};
use crate::policy::{Permit, PersonAction};

#[derive(Debug, thiserror::Error)]
pub enum ConsentError {
    /// The municipality asks for no consent with this key.
    #[error("no such consent")]
    UnknownKind,
    /// Others decided about the child at the same moment, again and again.
    #[error("the consents are being changed just now; try again")]
    Busy,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The latest decision of each guardian on each kind, and the history, of one child.
async fn decisions_of(
    db: &impl ConnectionTrait,
    child: Uuid,
) -> Result<Vec<consent_decision::Model>, DbErr> {
    consent_decision::Entity::find()
        .filter(consent_decision::Column::ChildId.eq(child))
        .order_by_desc(consent_decision::Column::Seq)
        .all(db)
        .await
}

/// The state of `kind` from the child's decisions (newest first) and current guardians.
fn state_of(
    kind: &ConsentKind,
    decisions: &[consent_decision::Model],
    guardians: &[Uuid],
) -> ConsentState {
    let latest: Vec<Option<ConsentDecision>> = guardians
        .iter()
        .map(|g| {
            decisions
                .iter()
                .find(|d| d.guardian_id == *g && d.kind_key == kind.key)
                .map(|d| d.decision)
        })
        .collect();
    skolportal_shared::consent::state(kind.requirement, &latest)
}

/// Whether a consent with this purpose is in force for the child on `day`: what a talk page, a
/// transfer or a publication asks before it opens.
pub async fn in_force(
    db: &impl ConnectionTrait,
    settings: &MunicipalitySettings,
    child: Uuid,
    purpose: ConsentPurpose,
    day: NaiveDate,
) -> Result<bool, DbErr> {
    let kinds: Vec<&ConsentKind> = settings
        .consent_kinds
        .iter()
        .filter(|k| k.purpose == purpose)
        .collect();
    if kinds.is_empty() {
        return Ok(false);
    }
    let decisions = decisions_of(db, child).await?;
    let guardians = signatures::guardians_of(db, child, day).await?;
    Ok(kinds
        .iter()
        .any(|k| state_of(k, &decisions, &guardians) == ConsentState::InForce))
}

/// The state of the first kind with this purpose (`NotGiven` when the municipality asks for
/// none): what a closed page tells.
pub async fn state_of_purpose(
    db: &impl ConnectionTrait,
    settings: &MunicipalitySettings,
    child: Uuid,
    purpose: ConsentPurpose,
    day: NaiveDate,
) -> Result<ConsentState, DbErr> {
    let Some(kind) = settings.consent_kinds.iter().find(|k| k.purpose == purpose) else {
        return Ok(ConsentState::NotGiven);
    };
    let decisions = decisions_of(db, child).await?;
    let guardians = signatures::guardians_of(db, child, day).await?;
    Ok(state_of(kind, &decisions, &guardians))
}

/// The child's consents as the page shows them.
pub async fn of_child(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    can_decide: bool,
    now: DateTime<Utc>,
) -> Result<ChildConsents, ConsentError> {
    let child = permit.target().0;
    let settings = signatures::settings(db, permit.actor().municipality_id).await?;
    let decisions = decisions_of(db, child).await?;
    let guardians = signatures::guardians_of(db, child, day_of(now)).await?;
    let mut ids: Vec<Uuid> = guardians.clone();
    ids.extend(decisions.iter().map(|d| d.guardian_id));
    ids.sort();
    ids.dedup();
    let names: HashMap<Uuid, (String, String)> = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.given_name, p.family_name)))
        .collect();
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_default();
    let consents = settings
        .consent_kinds
        .iter()
        .map(|kind| {
            let of_kind = || decisions.iter().filter(|d| d.kind_key == kind.key);
            ChildConsent {
                kind: kind.clone(),
                state: state_of(kind, &decisions, &guardians),
                guardians: guardians
                    .iter()
                    .map(|g| {
                        let latest = of_kind().find(|d| d.guardian_id == *g);
                        let (given_name, family_name) = name(*g);
                        GuardianConsent {
                            guardian_id: *g,
                            given_name,
                            family_name,
                            decision: latest.map(|d| d.decision),
                            decided_at: latest.map(|d| d.decided_at),
                        }
                    })
                    .collect(),
                mine: of_kind()
                    .find(|d| d.guardian_id == permit.actor().person_id)
                    .map(|d| d.decision),
                history: of_kind()
                    .map(|d| {
                        let (given_name, family_name) = name(d.guardian_id);
                        ConsentEvent {
                            given_name,
                            family_name,
                            decision: d.decision,
                            decided_at: d.decided_at,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(ChildConsents {
        child_id: child,
        consents,
        can_decide,
    })
}

/// Stores the guardian's decision on the consent `key`, unless it is their latest already. A
/// withdrawal of the talk consent enqueues, in the same transaction, the deletion of the talk
/// material after the kind's grace period (`talks::purge_after_withdrawal` decides then).
pub async fn decide(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<PersonAction>,
    key: &str,
    decision: ConsentDecision,
    now: DateTime<Utc>,
) -> Result<(), ConsentError> {
    let actor = permit.actor();
    let child = permit.target().0;
    let settings = signatures::settings(db, actor.municipality_id).await?;
    let Some(kind) = settings.consent_kinds.iter().find(|k| k.key == key) else {
        return Err(ConsentError::UnknownKind);
    };
    let latest = consent_decision::Entity::find()
        .filter(consent_decision::Column::ChildId.eq(child))
        .filter(consent_decision::Column::GuardianId.eq(actor.person_id))
        .filter(consent_decision::Column::KindKey.eq(key))
        .order_by_desc(consent_decision::Column::Seq)
        .one(db)
        .await?;
    if latest.is_some_and(|d| d.decision == decision) {
        return Ok(());
    }
    // The next number among the child's decisions; a guardian deciding in the same instant
    // takes it first, and this one takes the one after.
    for _ in 0..3 {
        let txn = db.begin().await?;
        let last = consent_decision::Entity::find()
            .filter(consent_decision::Column::ChildId.eq(child))
            .order_by_desc(consent_decision::Column::Seq)
            .one(&txn)
            .await?
            .map_or(0, |d| d.seq);
        let stored = consent_decision::Entity::insert(consent_decision::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(actor.municipality_id),
            child_id: Set(child),
            seq: Set(last + 1),
            guardian_id: Set(actor.person_id),
            kind_key: Set(key.to_owned()),
            decision: Set(decision),
            decided_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                consent_decision::Column::ChildId,
                consent_decision::Column::Seq,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        if stored == 1 {
            if decision == ConsentDecision::Withdrawn
                && kind.purpose == ConsentPurpose::TalkDocumentation
            {
                let purge = crate::jobs::kinds::PurgeTalkMaterial {
                    pupil_id: child,
                    withdrawal_seq: last + 1,
                };
                let at = now + chrono::Duration::days(i64::from(kind.grace_days));
                crate::jobs::enqueue(&txn, &purge, at, now).await?;
            }
            txn.commit().await?;
            return Ok(());
        }
    }
    Err(ConsentError::Busy)
}

/// Guardians reminded per run; a run that reaches it asks for another at once.
pub const REMINDERS_PER_RUN: usize = 500;

#[derive(Debug, FromQueryResult)]
struct ToRemind {
    guardian_id: Uuid,
}

/// Reminds, once per school year, every guardian of a pupil whose school year starts within
/// the municipality's `consent_reminder_days`: a notice in the app and by the channels they
/// chose, naming one of their children (the page lists them all). Answers whether guardians
/// were left for another run.
pub async fn remind(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
    settings: &MunicipalitySettings,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let today = day_of(now);
    let Some(term) = school_term::Entity::find()
        .filter(school_term::Column::MunicipalityId.eq(municipality_id))
        .filter(school_term::Column::Kind.eq(school_term::TermKind::Autumn))
        .filter(school_term::Column::StartsOn.gt(today))
        .order_by_asc(school_term::Column::StartsOn)
        .one(txn)
        .await?
    else {
        return Ok(false);
    };
    if settings.consent_kinds.is_empty()
        || (term.starts_on - today).num_days() > i64::from(settings.consent_reminder_days)
    {
        return Ok(false);
    }
    let year = term.starts_on.year();
    let backend = txn.get_database_backend();
    // A guardian with custody today of a child enrolled when the year starts, not yet reminded.
    let sql = numbered_params(
        backend,
        &format!(
            "SELECT g.adult_id AS guardian_id FROM guardianship g \
             JOIN enrolment e ON e.pupil_id = g.child_id AND e.start_date <= $3 \
                 AND (e.end_date IS NULL OR e.end_date >= $3) \
             WHERE g.municipality_id = $1 AND g.relation = 'guardian' AND g.start_date <= $2 \
                 AND (g.end_date IS NULL OR g.end_date >= $2) \
                 AND NOT EXISTS (SELECT 1 FROM consent_reminder r \
                     WHERE r.guardian_id = g.adult_id AND r.school_year = $4) \
             GROUP BY g.adult_id ORDER BY g.adult_id LIMIT {}",
            REMINDERS_PER_RUN + 1
        ),
    );
    let mut due = ToRemind::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [
            municipality_id.into(),
            today.into(),
            term.starts_on.into(),
            year.into(),
        ],
    ))
    .all(txn)
    .await?;
    let more = due.len() > REMINDERS_PER_RUN;
    due.truncate(REMINDERS_PER_RUN);
    for row in due {
        let inserted = consent_reminder::Entity::insert(consent_reminder::ActiveModel {
            guardian_id: Set(row.guardian_id),
            school_year: Set(year),
            sent_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                consent_reminder::Column::GuardianId,
                consent_reminder::Column::SchoolYear,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        // The notice names one child; PostgreSQL has no MIN of a uuid, so it is looked up here.
        let child = crate::entity::guardianship::Entity::find()
            .filter(crate::entity::guardianship::Column::AdultId.eq(row.guardian_id))
            .order_by_asc(crate::entity::guardianship::Column::ChildId)
            .one(txn)
            .await?;
        if let (1, Some(child)) = (inserted, child) {
            let content = NoticeContent {
                municipality_id,
                kind: NoticeKind::ConsentReminder,
                child_id: child.child_id,
                on_date: term.starts_on,
                until_date: None,
                lessons: Vec::new(),
                batch_id: None,
                leave_application_id: None,
                talk: None,
            };
            notices::tell(txn, &[row.guardian_id], &content, now).await?;
        }
    }
    Ok(more)
}
