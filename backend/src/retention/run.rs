//! A retention run, one batch at a time. Each [`step`] runs in its job's transaction: it takes
//! the first kind (in `RetentionKind::ALL`'s order, from the kind the previous step removed)
//! that still has due rows, keeps what must be kept of one batch (the archive file, the
//! statistics), deletes the batch and adds to the run's counts, all committed together with
//! the job's "done". A process killed half way commits nothing of its batch, and the job's next
//! attempt picks the same rows again: every record is removed once, exported once and counted
//! once. When nothing is due any more, the archive package is sealed and the run finished.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, Statement,
};
use skolportal_shared::api::RetentionKind;
use skolportal_shared::retention::RetentionPeriods;
use uuid::Uuid;

use super::{archive, documents, due, statistics, Cutoffs, RetentionError};
use crate::entity::retention_release::AppendOnlyTable;
use crate::entity::{retention_count, retention_release, retention_run};

/// What a step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// A batch of `kind` went; there may be more.
    Removed { kind: RetentionKind, rows: u64 },
    /// Nothing was left: the run is finished.
    Finished,
}

/// One batch of at most `batch` records of the run, from the kind `from` on, or its end.
///
/// The kinds before `from` had nothing due when the run passed them, and a run's cut-offs are
/// fixed, so they are not asked again: at the Stockholm scale asking each of them at every
/// batch took longer than the batch (`cargo xtask bench http`). What becomes due during a run
/// all the same (a placement ended back in time by the sync) waits for the next night's.
pub async fn step(
    txn: &DatabaseTransaction,
    run_id: Uuid,
    from: Option<RetentionKind>,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<StepOutcome, RetentionError> {
    let Some(run) = retention_run::Entity::find_by_id(run_id).one(txn).await? else {
        return Ok(StepOutcome::Finished);
    };
    if run.finished_at.is_some() {
        return Ok(StepOutcome::Finished);
    }
    let periods: RetentionPeriods = serde_json::from_value(run.periods.clone())?;
    let cutoffs = Cutoffs::of(&periods, run.run_on);
    let batch = batch.max(1);
    let kinds = RetentionKind::ALL
        .iter()
        .copied()
        .skip_while(|&kind| from.is_some_and(|from| kind != from));
    for kind in kinds {
        let cutoff = cutoffs.of_kind(kind);
        let (removed, exported) = match kind {
            RetentionKind::Grades => archive::grades(txn, &run, cutoff, batch, now).await?,
            RetentionKind::TalkMaterial => {
                archive::talk_material(txn, &run, cutoff, batch, now).await?
            }
            RetentionKind::ChildcareDocuments => {
                documents::childcare_documents(txn, &run, cutoff, batch, now).await?
            }
            RetentionKind::Attendance => (statistics::attendance_day(txn, &run, cutoff).await?, 0),
            RetentionKind::AbsenceReports | RetentionKind::Presence => (
                statistics::counted_batch(txn, &run, kind, cutoff, batch).await?,
                0,
            ),
            RetentionKind::Schedules | RetentionKind::PickupPersons | RetentionKind::Accounts => {
                (delete_batch(txn, kind, &run, cutoff, batch).await?, 0)
            }
            RetentionKind::AccessLog => (access_log(txn, &run, cutoff, batch, now).await?, 0),
        };
        if removed > 0 {
            add_to_counts(txn, run.id, kind, removed, exported).await?;
            return Ok(StepOutcome::Removed {
                kind,
                rows: removed,
            });
        }
    }
    archive::seal(txn, &run, now).await?;
    let mut finished: retention_run::ActiveModel = run.into();
    finished.finished_at = Set(Some(now));
    finished.update(txn).await?;
    Ok(StepOutcome::Finished)
}

async fn add_to_counts(
    txn: &DatabaseTransaction,
    run_id: Uuid,
    kind: RetentionKind,
    removed: u64,
    exported: u64,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    retention_count::Entity::update_many()
        .col_expr(
            retention_count::Column::Removed,
            Expr::col(retention_count::Column::Removed).add(as_i64(removed)),
        )
        .col_expr(
            retention_count::Column::Exported,
            Expr::col(retention_count::Column::Exported).add(as_i64(exported)),
        )
        .filter(retention_count::Column::RunId.eq(run_id))
        .filter(retention_count::Column::Kind.eq(kind))
        .exec(txn)
        .await?;
    Ok(())
}

/// The ids of the first `batch` due rows of `table` for `kind`, in the kind's order (the same
/// rows for every attempt of a step).
pub(super) async fn due_ids(
    txn: &DatabaseTransaction,
    kind: RetentionKind,
    table: &str,
    municipality_id: Uuid,
    cutoff: NaiveDate,
    batch: u64,
) -> Result<Vec<Uuid>, DbErr> {
    let due = due(kind);
    let backend = txn.get_database_backend();
    let sql = format!(
        "SELECT id FROM {table} WHERE {} ORDER BY {} LIMIT {batch}",
        due.condition, due.order
    );
    let rows = txn
        .query_all(Statement::from_sql_and_values(
            backend,
            crate::db::numbered_params(backend, &sql),
            [municipality_id.into(), due.cutoff(cutoff)],
        ))
        .await?;
    rows.iter().map(|r| r.try_get_by_index::<Uuid>(0)).collect()
}

/// Deletes the rows of `table` with these ids; how many went.
pub(super) async fn delete_ids(
    txn: &DatabaseTransaction,
    table: &str,
    ids: &[Uuid],
) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    let backend = txn.get_database_backend();
    let mut values = Vec::new();
    let set = crate::db::in_set(backend, "id", &mut values, ids.iter().copied());
    let sql = format!("DELETE FROM {table} WHERE {set}");
    let result = txn
        .execute(Statement::from_sql_and_values(
            backend,
            crate::db::numbered_params(backend, &sql),
            values,
        ))
        .await?;
    Ok(result.rows_affected())
}

/// Schedules, pick-up persons and accounts: nothing of them is kept (an account's devices and
/// recovery codes go with it by their foreign keys).
async fn delete_batch(
    txn: &DatabaseTransaction,
    kind: RetentionKind,
    run: &retention_run::Model,
    cutoff: NaiveDate,
    batch: u64,
) -> Result<u64, DbErr> {
    let table = due(kind).tables[0];
    let ids = due_ids(txn, kind, table, run.municipality_id, cutoff, batch).await?;
    delete_ids(txn, table, &ids).await
}

/// The access log: the run's release first (once per run), then the batch, which the table's
/// trigger lets through only because the release covers it.
async fn access_log(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    cutoff: NaiveDate,
    batch: u64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let kind = RetentionKind::AccessLog;
    let ids = due_ids(txn, kind, "access_log", run.municipality_id, cutoff, batch).await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let released = retention_release::Entity::find()
        .filter(retention_release::Column::RunId.eq(run.id))
        .filter(retention_release::Column::TableName.eq(AppendOnlyTable::AccessLog))
        .one(txn)
        .await?;
    if released.is_none() {
        retention_release::ActiveModel {
            id: Set(Uuid::new_v4()),
            run_id: Set(run.id),
            municipality_id: Set(run.municipality_id),
            table_name: Set(AppendOnlyTable::AccessLog),
            remove_before: Set(crate::clock::start_of_day(cutoff)),
            record_id: Set(None),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
    }
    delete_ids(txn, "access_log", &ids).await
}
