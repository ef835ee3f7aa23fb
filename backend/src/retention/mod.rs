//! Retention (gallring): what is due when, the dry run, and the runs that remove it.
//!
//! Each kind's due records are one condition ([`due`]), read by the dry run's counts and by the
//! run's batches alike, over the cut-offs of one day ([`Cutoffs`], from
//! `shared::retention` and the municipality's periods):
//! - grades, after they were set: exported to the archive first (the Luleå plan preserves
//!   grading material);
//! - talk material, IUP goals and omdömen, after the pupil's last enrolment ended (none while
//!   one is current): exported first too;
//! - signed childcare documents of families with no placement since the talk material's
//!   period began, with the evidence of their signatures: exported first, the evidence through
//!   a `retention_release` naming its document;
//! - attendance marks and absence reports, after their day: counted into the anonymous
//!   statistics first ([`statistics`]);
//! - schedules and pick-up persons of children with no placement current after the grace
//!   period;
//! - the access log, after the access: through the one delete its trigger allows, a
//!   `retention_release` of the run ([`run`]).
//!
//! A run is a `retention_run` row per municipality and day, started by the nightly tick or by
//! the administrator, and worked off by `RetentionStep` jobs, one batch per job ([`run::step`]).

pub mod archive;
pub mod documents;
pub mod run;
pub mod statistics;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Statement, TransactionTrait,
};
use skolportal_shared::api::{
    RetentionCount, RetentionKind, RetentionPlan, RetentionPlanItem, RetentionRunReport,
    RetentionRuns,
};
use skolportal_shared::retention::{current_from, kept_from, RetentionPeriods};
use uuid::Uuid;

use crate::entity::{archive_file, archive_package, municipality, retention_count, retention_run};
use crate::municipality::{MunicipalitySettings, UnreadableSettings};
use crate::policy::{GlobalAction, Permit};

/// What retention can fail with.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("no such retention run in the municipality")]
    NotFound,
    #[error(transparent)]
    Unreadable(#[from] UnreadableSettings),
    /// A run's stored periods that this version cannot read.
    #[error("a retention run's periods: {0}")]
    Periods(#[from] serde_json::Error),
    /// Writing the archive package's tar (in memory).
    #[error("writing the archive package: {0}")]
    Package(#[from] std::io::Error),
    /// The package went to the city archive; the portal holds its files no more.
    #[error("the archive package is delivered")]
    Delivered,
    #[error(transparent)]
    Delivery(#[from] archive::DeliveryError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The first day each kind keeps on one day, with one municipality's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    pub grading: NaiveDate,
    pub talk_material: NaiveDate,
    pub absence: NaiveDate,
    /// A placement that ended before this day is no longer current.
    pub current: NaiveDate,
    pub access_log: NaiveDate,
}

impl Cutoffs {
    pub fn of(periods: &RetentionPeriods, today: NaiveDate) -> Self {
        Self {
            grading: kept_from(today, periods.grading_months),
            talk_material: kept_from(today, periods.talk_material_months),
            absence: kept_from(today, periods.absence_months),
            current: current_from(today, periods.inactive_grace_days),
            access_log: kept_from(today, periods.access_log_months),
        }
    }

    /// The cut-off `kind` is due by.
    pub fn of_kind(&self, kind: RetentionKind) -> NaiveDate {
        match kind {
            RetentionKind::Grades => self.grading,
            RetentionKind::TalkMaterial | RetentionKind::ChildcareDocuments => self.talk_material,
            RetentionKind::Attendance | RetentionKind::AbsenceReports | RetentionKind::Presence => {
                self.absence
            }
            RetentionKind::Schedules | RetentionKind::PickupPersons | RetentionKind::Accounts => {
                self.current
            }
            RetentionKind::AccessLog => self.access_log,
        }
    }
}

/// Pupils whose every enrolment in the municipality has ended, the last before `$2`.
const ENDED_PUPILS: &str = "SELECT pupil_id FROM enrolment WHERE municipality_id = $1 \
     GROUP BY pupil_id HAVING COUNT(*) = COUNT(end_date) AND MAX(end_date) < $2";

/// Children with a placement current on `$2` or later.
const PLACED_CHILDREN: &str =
    "SELECT child_id FROM placement WHERE end_date IS NULL OR end_date >= $2";

/// Guardians of a child with a placement current on `$2` or later: their income statements
/// and other documents are still in use.
const PLACED_FAMILIES: &str = "SELECT adult_id FROM guardianship WHERE child_id IN \
     (SELECT child_id FROM placement WHERE end_date IS NULL OR end_date >= $2)";

/// People with a relation current on `$2` or later: a guardian (or other responsible adult) of
/// a child with a place or an enrolment, the child or pupil, staff with a duty, and the
/// municipality's administrators.
const CURRENT_PEOPLE: &str = "SELECT g.adult_id FROM guardianship g \
     WHERE (g.end_date IS NULL OR g.end_date >= $2) AND (g.child_id IN \
     (SELECT child_id FROM placement WHERE end_date IS NULL OR end_date >= $2) OR g.child_id IN \
     (SELECT pupil_id FROM enrolment WHERE end_date IS NULL OR end_date >= $2)) \
     UNION SELECT child_id FROM placement WHERE end_date IS NULL OR end_date >= $2 \
     UNION SELECT pupil_id FROM enrolment WHERE end_date IS NULL OR end_date >= $2 \
     UNION SELECT person_id FROM duty WHERE end_date IS NULL OR end_date >= $2 \
     UNION SELECT person_id FROM municipality_administrator";

/// Which rows of which tables are due for a kind: a condition over `$1`, the municipality, and
/// `$2`, the kind's cut-off (its day, or the instant that Swedish day begins when `timestamp`).
pub struct Due {
    pub tables: &'static [&'static str],
    pub condition: String,
    pub timestamp: bool,
    /// The order a batch is taken in, the same for every attempt of a step: the access log's
    /// by its index on (municipality, time), so that a batch reads its rows and stops (by id
    /// alone the database sorted every due row of the log at each batch).
    pub order: &'static str,
}

impl Due {
    /// The cut-off as the condition's `$2`.
    pub fn cutoff(&self, day: NaiveDate) -> sea_orm::Value {
        if self.timestamp {
            crate::clock::start_of_day(day).into()
        } else {
            day.into()
        }
    }
}

/// The one statement of what is due of `kind`.
pub fn due(kind: RetentionKind) -> Due {
    let (tables, condition, timestamp): (&'static [&'static str], String, bool) = match kind {
        RetentionKind::Grades => (&["grade"], "set_at < $2".to_owned(), true),
        RetentionKind::TalkMaterial => (
            &["talk_part", "iup_goal", "iup_assessment"],
            format!("pupil_id IN ({ENDED_PUPILS})"),
            false,
        ),
        // Made before the cut-off, about a child (if any) and by a family with no placement
        // since: an application still in the queue is recent, so it stays.
        RetentionKind::ChildcareDocuments => (
            // Counted by document; the evidence of its signatures goes with it.
            &["childcare_document"],
            format!(
                "created_at < $2 AND (child_id IS NULL OR child_id NOT IN ({PLACED_CHILDREN})) \
                 AND owner_person_id NOT IN ({PLACED_FAMILIES})"
            ),
            false,
        ),
        RetentionKind::Attendance => (&["attendance_mark"], "on_date < $2".to_owned(), false),
        RetentionKind::AbsenceReports => (&["absence_report"], "last_day < $2".to_owned(), false),
        RetentionKind::Presence => (&["childcare_presence"], "on_date < $2".to_owned(), false),
        RetentionKind::Schedules => (
            &["schedule_day"],
            format!("child_id NOT IN ({PLACED_CHILDREN})"),
            false,
        ),
        RetentionKind::PickupPersons => (
            &["pickup_person"],
            format!("child_id NOT IN ({PLACED_CHILDREN})"),
            false,
        ),
        // Made and last used before the grace period began: a new family's account (an
        // application in the queue, no place yet) is in use, so it stays.
        RetentionKind::Accounts => (
            &["user_account"],
            format!(
                "created_at < $2 AND (last_login_at IS NULL OR last_login_at < $2) \
                 AND person_id NOT IN ({CURRENT_PEOPLE})"
            ),
            // The day, as the relations' dates are compared with it.
            false,
        ),
        RetentionKind::AccessLog => (&["access_log"], "occurred_at < $2".to_owned(), true),
    };
    Due {
        tables,
        condition: format!("municipality_id = $1 AND {condition}"),
        timestamp,
        order: match kind {
            RetentionKind::AccessLog => "occurred_at, id",
            _ => "id",
        },
    }
}

/// The administrator's dry run: what retention would do today in her municipality, with its
/// periods.
pub async fn dry_run(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    today: NaiveDate,
) -> Result<RetentionPlan, RetentionError> {
    let municipality_id = permit.actor().municipality_id;
    let periods = periods_of(db, municipality_id).await?;
    Ok(plan(db, municipality_id, &periods, today).await?)
}

/// The cut-offs of `municipality_id`'s periods on `today`.
pub async fn cutoffs_of(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    today: NaiveDate,
) -> Result<Cutoffs, RetentionError> {
    Ok(Cutoffs::of(&periods_of(db, municipality_id).await?, today))
}

/// The municipality's retention periods.
async fn periods_of(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
) -> Result<RetentionPeriods, RetentionError> {
    let model = municipality::Entity::find_by_id(municipality_id)
        .one(db)
        .await?
        .ok_or(RetentionError::NotFound)?;
    Ok(MunicipalitySettings::of(&model)?.retention)
}

/// What retention would remove and export on `today` in `municipality_id`.
pub async fn plan(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    periods: &RetentionPeriods,
    today: NaiveDate,
) -> Result<RetentionPlan, DbErr> {
    let cutoffs = Cutoffs::of(periods, today);
    let mut items = Vec::new();
    for &kind in RetentionKind::ALL {
        let kept_from = cutoffs.of_kind(kind);
        let remove = count_due(db, kind, municipality_id, kept_from).await?;
        items.push(RetentionPlanItem {
            kind,
            kept_from,
            remove,
            export: if kind.is_preserved() { remove } else { 0 },
        });
    }
    Ok(RetentionPlan { today, items })
}

/// The rows of `kind` due by `cutoff`, over all its tables.
async fn count_due(
    db: &impl ConnectionTrait,
    kind: RetentionKind,
    municipality_id: Uuid,
    cutoff: NaiveDate,
) -> Result<u64, DbErr> {
    let due = due(kind);
    let backend = db.get_database_backend();
    let mut total = 0;
    for table in due.tables {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {}", due.condition);
        let row = db
            .query_one(Statement::from_sql_and_values(
                backend,
                crate::db::numbered_params(backend, &sql),
                [municipality_id.into(), due.cutoff(cutoff)],
            ))
            .await?;
        let count: i64 = match row {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        };
        total += u64::try_from(count).unwrap_or(0);
    }
    Ok(total)
}

/// Who or what starts a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Starter {
    /// The nightly tick (`jobs::kinds::RetentionTick`).
    Schedule,
    /// The administrator, from her page.
    Administrator(Uuid),
}

/// Starts the municipality's run for `today`, or returns the one already started that day:
/// its row and first step job in one transaction, so a run exists exactly when its work does.
pub async fn start<C>(
    db: &C,
    municipality_id: Uuid,
    starter: Starter,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Uuid, RetentionError>
where
    C: ConnectionTrait + TransactionTrait,
{
    // Read before the transaction: on SQLite a transaction that reads first and writes after
    // another connection's commit fails at once (a stale snapshot) instead of waiting its turn.
    let periods = serde_json::to_value(periods_of(db, municipality_id).await?)?;
    let txn = db.begin().await?;
    let id = Uuid::new_v4();
    // Two starts of one day (the night's tick, an administrator, another instance) meet on the
    // unique (municipality, day): the later one waits for the first to commit, then inserts
    // nothing and returns the first one's run.
    let inserted = retention_run::Entity::insert(retention_run::ActiveModel {
        id: Set(id),
        municipality_id: Set(municipality_id),
        run_on: Set(today),
        periods: Set(periods),
        started_by_person_id: Set(match starter {
            Starter::Schedule => None,
            Starter::Administrator(person) => Some(person),
        }),
        started_at: Set(now),
        finished_at: Set(None),
    })
    .on_conflict(
        OnConflict::columns([
            retention_run::Column::MunicipalityId,
            retention_run::Column::RunOn,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 0 {
        let existing = retention_run::Entity::find()
            .filter(retention_run::Column::MunicipalityId.eq(municipality_id))
            .filter(retention_run::Column::RunOn.eq(today))
            .one(&txn)
            .await?
            .ok_or(RetentionError::NotFound)?;
        txn.commit().await?;
        return Ok(existing.id);
    }
    for &kind in RetentionKind::ALL {
        retention_count::ActiveModel {
            run_id: Set(id),
            kind: Set(kind),
            removed: Set(0),
            exported: Set(0),
        }
        .insert(&txn)
        .await?;
    }
    crate::jobs::enqueue(
        &txn,
        &crate::jobs::kinds::RetentionStep {
            run_id: id,
            from: None,
        },
        now,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The administrator starts today's run.
pub async fn start_now(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Uuid, RetentionError> {
    let actor = permit.actor();
    start(
        db,
        actor.municipality_id,
        Starter::Administrator(actor.person_id),
        today,
        now,
    )
    .await
}

/// The municipality's runs and their reports, newest first.
pub async fn reports(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
) -> Result<RetentionRuns, RetentionError> {
    let municipality_id = permit.actor().municipality_id;
    let runs = retention_run::Entity::find()
        .filter(retention_run::Column::MunicipalityId.eq(municipality_id))
        .order_by_desc(retention_run::Column::RunOn)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = runs.iter().map(|r| r.id).collect();
    let backend = db.get_database_backend();
    let counts = retention_count::Entity::find()
        .filter(crate::db::is_in(
            backend,
            retention_count::Column::RunId,
            ids.clone(),
        ))
        .all(db)
        .await?;
    let packages = archive_package::Entity::find()
        .filter(crate::db::is_in(
            backend,
            archive_package::Column::RunId,
            ids,
        ))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        let package = packages.iter().find(|p| p.run_id == run.id);
        let files = match package {
            Some(p) if p.delivered_at.is_some() => {
                u64::try_from(p.delivered_files.unwrap_or(0)).unwrap_or(0)
            }
            Some(p) => {
                use sea_orm::PaginatorTrait;
                archive_file::Entity::find()
                    .filter(archive_file::Column::PackageId.eq(p.id))
                    .count(db)
                    .await?
            }
            None => 0,
        };
        let mut run_counts: Vec<RetentionCount> = counts
            .iter()
            .filter(|c| c.run_id == run.id)
            .map(|c| RetentionCount {
                kind: c.kind,
                removed: u64::try_from(c.removed).unwrap_or(0),
                exported: u64::try_from(c.exported).unwrap_or(0),
            })
            .collect();
        run_counts.sort_by_key(|c| RetentionKind::ALL.iter().position(|k| *k == c.kind));
        out.push(RetentionRunReport {
            id: run.id,
            run_on: run.run_on,
            started_at: run.started_at,
            finished_at: run.finished_at,
            started_by_administrator: run.started_by_person_id.is_some(),
            counts: run_counts,
            archive_files: u32::try_from(files).unwrap_or(u32::MAX),
            archive_sealed: package.is_some_and(|p| p.sealed_at.is_some()),
            archive_sip_sha256: package.and_then(|p| p.sip_sha256.clone()),
            archive_delivered_at: package.and_then(|p| p.delivered_at),
        });
    }
    Ok(RetentionRuns { runs: out })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_cutoff_and_its_condition() {
        let today = NaiveDate::from_ymd_opt(2029, 11, 25).unwrap_or_default();
        let cutoffs = Cutoffs::of(&RetentionPeriods::default(), today);
        assert_eq!(
            cutoffs.absence,
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
        );
        for &kind in RetentionKind::ALL {
            let due = due(kind);
            assert!(due.condition.starts_with("municipality_id = $1 AND "));
            assert!(due.condition.contains("$2"), "{kind:?}");
            assert!(!due.tables.is_empty());
        }
    }
}
