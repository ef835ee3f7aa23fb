//! Recurring jobs: one `job_schedule` row per recurring kind holds its next due time and a round
//! counter. When the time has come, a runner advances the row on condition that the round is
//! still the one it read, and enqueues that due time's job in the same transaction. Of several
//! instances reading the same round, one advances it; the others change nothing. The job then
//! runs through the queue like any other (claims, retries, parking).

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, Iterable, QueryFilter,
    TransactionTrait,
};

use super::kinds;
use super::JobKind;
use crate::entity::job_schedule;

/// The first due time after `now` on the grid `due + k × every`. Missed due times are not run
/// one by one: each recurring job catches up on everything due by its run.
pub fn next_after(due: DateTime<Utc>, every: Duration, now: DateTime<Utc>) -> DateTime<Utc> {
    let step = every.num_seconds().max(1);
    let behind = (now - due).num_seconds().max(0);
    due + Duration::seconds((behind / step + 1) * step)
}

/// Enqueues the job of each recurring kind whose due time has come; returns how many this call
/// enqueued. A kind without a row gets one, due now. Kinds that follow an SS 12000 source are
/// left to a runner that has one (`with_source`): an instance without a source queues no ticks.
pub async fn enqueue_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    with_source: bool,
) -> Result<u32, DbErr> {
    let mut rows = job_schedule::Entity::find().all(db).await?;
    let missing: Vec<JobKind> = JobKind::iter()
        .filter(|k| kinds::recurrence(*k).is_some())
        .filter(|k| !rows.iter().any(|r| r.kind == *k))
        .collect();
    if !missing.is_empty() {
        for kind in missing {
            job_schedule::Entity::insert(job_schedule::ActiveModel {
                kind: Set(kind),
                next_run_at: Set(now),
                round: Set(0),
            })
            .on_conflict(
                OnConflict::column(job_schedule::Column::Kind)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        }
        rows = job_schedule::Entity::find().all(db).await?;
    }
    let mut enqueued = 0;
    for row in rows {
        let Some(every) = kinds::recurrence(row.kind) else {
            continue;
        };
        if kinds::needs_source(row.kind) && !with_source {
            continue;
        }
        if row.next_run_at > now {
            continue;
        }
        let txn = db.begin().await?;
        let advanced = job_schedule::Entity::update_many()
            .col_expr(
                job_schedule::Column::NextRunAt,
                Expr::value(next_after(row.next_run_at, every, now)),
            )
            .col_expr(
                job_schedule::Column::Round,
                Expr::col(job_schedule::Column::Round).add(1),
            )
            .filter(job_schedule::Column::Kind.eq(row.kind))
            .filter(job_schedule::Column::Round.eq(row.round))
            .exec(&txn)
            .await?
            .rows_affected;
        if advanced == 1 {
            kinds::enqueue_recurring(&txn, row.kind, row.next_run_at, now).await?;
            txn.commit().await?;
            enqueued += 1;
        } else {
            // Another instance took this due time.
            txn.rollback().await?;
        }
    }
    Ok(enqueued)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_next_due_time_is_the_first_on_the_grid_after_now() {
        let due = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        let five = Duration::minutes(5);
        assert_eq!(next_after(due, five, due), due + five);
        assert_eq!(
            next_after(due, five, due + Duration::minutes(12)),
            due + Duration::minutes(15)
        );
        // Exactly on a grid point: that one has come, the next is after it.
        assert_eq!(
            next_after(due, five, due + Duration::minutes(10)),
            due + Duration::minutes(15)
        );
    }
}
