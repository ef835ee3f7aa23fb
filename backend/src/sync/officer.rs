//! What an officer sees of the SS 12000 sync and may do with it: the latest runs with their
//! counts, refusals and errors; starting a full sync; confirming the refused one. Both start a
//! `SourceSyncRequested` job, so the sync runs where the sources and the queue are, not in the
//! request.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use skolportal_shared::api::{
    SourceSyncOverview, SourceSyncRun, SyncCount, SyncOutcome, SyncRefusal, SyncedKind,
};
use uuid::Uuid;

use super::SyncCounts;
use crate::entity::{job, municipality, source_sync_run};
use crate::jobs::kinds::SourceSyncRequested;
use crate::jobs::JobKind;
use crate::policy::{GlobalAction, Permit};

/// Runs shown: enough to see a night and a day of incremental syncs around a problem.
const SHOWN: u64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum SyncRequestError {
    #[error("the portal follows no SS 12000 source")]
    NotConfigured,
    #[error("a sync an officer asked for has not run yet")]
    AlreadyPending,
    #[error("no refused sync to confirm")]
    NotFound,
    /// Only the latest run may be confirmed: a later one has already read the source again.
    #[error("a later sync has run since the refused one")]
    Superseded,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Whether the configured source (its municipality code) feeds this municipality.
async fn follows(
    db: &impl ConnectionTrait,
    municipality: Uuid,
    source_code: Option<&str>,
) -> Result<bool, DbErr> {
    let Some(code) = source_code else {
        return Ok(false);
    };
    Ok(municipality::Entity::find_by_id(municipality)
        .one(db)
        .await?
        .is_some_and(|m| m.code == code))
}

async fn pending(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(job::Entity::find()
        .filter(job::Column::Kind.eq(JobKind::SourceSyncRequested))
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::ParkedAt.is_null())
        .one(db)
        .await?
        .is_some())
}

fn view(run: source_sync_run::Model, confirmable: bool) -> SourceSyncRun {
    let counts: SyncCounts = run
        .report
        .clone()
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    let r = &counts.reconciled;
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    let rows = [
        (SyncedKind::Units, r.units),
        (SyncedKind::Groups, r.groups),
        (SyncedKind::Persons, r.persons),
        (SyncedKind::Guardianships, r.guardianships),
        (SyncedKind::Memberships, r.memberships),
        (SyncedKind::Enrolments, r.enrolments),
        (SyncedKind::Placements, r.placements),
        (SyncedKind::Duties, r.duties),
        (SyncedKind::Grades, counts.school.grades),
        (SyncedKind::LessonChanges, counts.school.lesson_changes),
    ];
    SourceSyncRun {
        id: run.id,
        scope: run.scope,
        trigger: run.trigger,
        outcome: run.outcome,
        started_at: run.started_at,
        finished_at: run.finished_at,
        counts: rows
            .into_iter()
            .filter(|(_, c)| c.added + c.changed + c.removed > 0)
            .map(|(kind, c)| SyncCount {
                kind,
                added: n(c.added),
                changed: n(c.changed),
                removed: n(c.removed),
            })
            .collect(),
        refused_protected: n(r.refused_protected),
        refused_invalid: n(r.refused_invalid),
        forgotten: n(counts.forgotten),
        grades_left_out: n(counts.school.grades_left_out),
        lessons_not_placed: n(counts.school.lessons_not_placed),
        refusal: match (run.refused_kind, run.refused_removed, run.refused_existing) {
            (Some(kind), Some(removed), Some(existing)) => Some(SyncRefusal {
                kind,
                removed: u32::try_from(removed).unwrap_or(0),
                existing: u32::try_from(existing).unwrap_or(0),
            }),
            _ => None,
        },
        error: run.error,
        confirmable,
    }
}

/// The latest runs of the permit's municipality, newest first.
pub async fn overview(
    db: &impl ConnectionTrait,
    permit: &Permit<GlobalAction>,
    source_code: Option<&str>,
) -> Result<SourceSyncOverview, DbErr> {
    let municipality = permit.target().0;
    let configured = follows(db, municipality, source_code).await?;
    let pending = pending(db).await?;
    let runs = source_sync_run::Entity::find()
        .filter(source_sync_run::Column::MunicipalityId.eq(municipality))
        .order_by_desc(source_sync_run::Column::StartedAt)
        .limit(SHOWN)
        .all(db)
        .await?;
    Ok(SourceSyncOverview {
        configured,
        pending,
        runs: runs
            .into_iter()
            .enumerate()
            .map(|(n, run)| {
                let confirmable = n == 0 && run.outcome == SyncOutcome::Refused && !pending;
                view(run, confirmable)
            })
            .collect(),
    })
}

/// Asks for a full sync, or (`confirms`) for the refused latest one to go ahead, allowing what
/// it was refused for.
pub async fn request(
    db: &impl ConnectionTrait,
    permit: &Permit<GlobalAction>,
    source_code: Option<&str>,
    confirms: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), SyncRequestError> {
    let municipality = permit.target().0;
    // A run that is not this municipality's refused one is unknown (404), whatever else holds.
    if let Some(id) = confirms {
        let latest = source_sync_run::Entity::find()
            .filter(source_sync_run::Column::MunicipalityId.eq(municipality))
            .order_by_desc(source_sync_run::Column::StartedAt)
            .one(db)
            .await?;
        let refused = source_sync_run::Entity::find_by_id(id)
            .filter(source_sync_run::Column::MunicipalityId.eq(municipality))
            .filter(source_sync_run::Column::Outcome.eq(SyncOutcome::Refused))
            .one(db)
            .await?
            .ok_or(SyncRequestError::NotFound)?;
        if latest.map(|l| l.id) != Some(refused.id) {
            return Err(SyncRequestError::Superseded);
        }
    }
    if !follows(db, municipality, source_code).await? {
        return Err(SyncRequestError::NotConfigured);
    }
    // One at a time: a second click while the first waits adds nothing.
    if pending(db).await? {
        return Err(SyncRequestError::AlreadyPending);
    }
    crate::jobs::enqueue(
        db,
        &SourceSyncRequested {
            municipality_id: municipality,
            requested_by: permit.actor().person_id,
            confirms,
        },
        now,
        now,
    )
    .await?;
    Ok(())
}
