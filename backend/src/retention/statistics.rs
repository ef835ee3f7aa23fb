//! The anonymous statistics kept of attendance and absence: per unit, term and (for lessons)
//! subject, a measure and a count. Retention counts a batch with the same queries that count
//! what is still stored ([`tally_attendance`], [`tally_absence`]), adds the counts to
//! `attendance_statistic` and deletes the batch in one transaction, so the municipality's
//! numbers ([`statistics`]: kept plus stored) are the same before and after a run.
//!
//! Only the latest revision of a mark counts (the earlier ones are its history); a withdrawn
//! absence report counts for nothing. A record is tied to the unit of the pupil's enrolment on
//! its day, else of the child's placement, else to no unit.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, QueryFilter, QueryResult, Statement,
};
use skolportal_shared::api::{
    AbsenceReportStatus, Activity, AttendanceMark, AttendanceMeasure, AttendanceStatistic,
    AttendanceStatistics, RetentionKind,
};
use skolportal_shared::retention::term_of;
use uuid::Uuid;

use super::run::{delete_ids, due_ids};
use super::RetentionError;
use crate::entity::{attendance_statistic, retention_run};
use crate::policy::{GlobalAction, Permit};

/// (unit, term, subject, measure) → count.
type Tally = BTreeMap<(Option<Uuid>, String, Option<Activity>, AttendanceMeasure), i64>;

fn stored<T: Copy>(all: &[T], code: &str, of: impl Fn(T) -> &'static str) -> Result<T, DbErr> {
    all.iter()
        .copied()
        .find(|v| of(*v) == code)
        .ok_or_else(|| DbErr::Type(format!("unknown stored code {code:?}")))
}

fn count(row: &QueryResult, index: usize) -> Result<i64, DbErr> {
    row.try_get_by_index::<i64>(index)
}

/// The month of a date column as `YYYY-MM`, in each database's words.
fn month_of(backend: DbBackend, column: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
        _ => format!("substr({column}, 1, 7)"),
    }
}

/// The term of a `YYYY-MM` month.
fn term_of_month(month: &str) -> Result<String, DbErr> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map(term_of)
        .map_err(|_| DbErr::Type(format!("not a month: {month:?}")))
}

/// The unit a child belonged to on `day_column`: the enrolment's, else the placement's.
fn unit_on(child_column: &str, day_column: &str) -> String {
    format!(
        "COALESCE((SELECT e.unit_id FROM enrolment e WHERE e.pupil_id = {child_column} \
         AND e.start_date <= {day_column} AND (e.end_date IS NULL OR e.end_date >= {day_column}) \
         ORDER BY e.start_date DESC LIMIT 1), \
         (SELECT p.unit_id FROM placement p WHERE p.child_id = {child_column} \
         AND p.start_date <= {day_column} AND (p.end_date IS NULL OR p.end_date >= {day_column}) \
         ORDER BY p.start_date DESC LIMIT 1))"
    )
}

/// Lessons attended, late and missed, of the municipality's stored marks (only those of `day`
/// when given).
pub async fn tally_attendance(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    day: Option<NaiveDate>,
) -> Result<Tally, DbErr> {
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![municipality_id.into()];
    let only_day = match day {
        Some(day) => {
            values.push(day.into());
            " AND m.on_date = $2"
        }
        None => "",
    };
    let month = month_of(backend, "m.on_date");
    let sql = format!(
        "SELECT g.unit_id, l.activity, {month} AS month, m.mark, COUNT(*) \
         FROM attendance_mark m JOIN lesson l ON l.id = m.lesson_id \
         JOIN school_group g ON g.id = l.group_id \
         WHERE m.municipality_id = $1{only_day} AND m.revision = (SELECT MAX(x.revision) \
         FROM attendance_mark x WHERE x.pupil_id = m.pupil_id AND x.lesson_id = m.lesson_id \
         AND x.on_date = m.on_date) \
         GROUP BY g.unit_id, l.activity, {month}, m.mark"
    );
    let rows = db
        .query_all(Statement::from_sql_and_values(
            backend,
            crate::db::numbered_params(backend, &sql),
            values,
        ))
        .await?;
    let mut tally = Tally::new();
    for row in rows {
        let unit: Uuid = row.try_get_by_index(0)?;
        let activity = stored(Activity::ALL, &row.try_get_by_index::<String>(1)?, |a| {
            a.code()
        })?;
        let term = term_of_month(&row.try_get_by_index::<String>(2)?)?;
        let mark = stored(
            AttendanceMark::ALL,
            &row.try_get_by_index::<String>(3)?,
            |m| m.code(),
        )?;
        let measure = match mark {
            AttendanceMark::Present => AttendanceMeasure::LessonsPresent,
            AttendanceMark::Late => AttendanceMeasure::LessonsLate,
            AttendanceMark::ValidAbsence => AttendanceMeasure::LessonsValidAbsence,
            AttendanceMark::UnexcusedAbsence => AttendanceMeasure::LessonsUnexcusedAbsence,
        };
        *tally
            .entry((Some(unit), term, Some(activity), measure))
            .or_default() += count(&row, 4)?;
    }
    Ok(tally)
}

/// Absence reports and the days they cover, of the municipality's stored reports (only these
/// when given).
pub async fn tally_absence(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    only: Option<&[Uuid]>,
) -> Result<Tally, DbErr> {
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![
        municipality_id.into(),
        AbsenceReportStatus::Active.code().into(),
    ];
    let filter = match only {
        Some(ids) => format!(
            " AND {}",
            crate::db::in_set(backend, "r.id", &mut values, ids.iter().copied())
        ),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {unit}, r.first_day, r.last_day FROM absence_report r \
         WHERE r.municipality_id = $1 AND r.status = $2{filter}",
        unit = unit_on("r.child_id", "r.first_day"),
    );
    let rows = db
        .query_all(Statement::from_sql_and_values(
            backend,
            crate::db::numbered_params(backend, &sql),
            values,
        ))
        .await?;
    let mut tally = Tally::new();
    for row in rows {
        let unit: Option<Uuid> = row.try_get_by_index(0)?;
        let first: NaiveDate = row.try_get_by_index(1)?;
        let last: NaiveDate = row.try_get_by_index(2)?;
        let term = term_of(first);
        *tally
            .entry((unit, term.clone(), None, AttendanceMeasure::AbsenceReports))
            .or_default() += 1;
        *tally
            .entry((unit, term, None, AttendanceMeasure::AbsenceReportDays))
            .or_default() += (last - first).num_days() + 1;
    }
    Ok(tally)
}

/// Stays at the municipality's preschools, per unit and term (only these when given).
pub async fn tally_presence(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    only: Option<&[Uuid]>,
) -> Result<Tally, DbErr> {
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![municipality_id.into()];
    let filter = match only {
        Some(ids) => format!(
            " AND {}",
            crate::db::in_set(backend, "p.id", &mut values, ids.iter().copied())
        ),
        None => String::new(),
    };
    let month = month_of(backend, "p.on_date");
    let sql = format!(
        "SELECT p.unit_id, {month} AS month, COUNT(*) FROM childcare_presence p \
         WHERE p.municipality_id = $1{filter} GROUP BY p.unit_id, {month}"
    );
    let rows = db
        .query_all(Statement::from_sql_and_values(
            backend,
            crate::db::numbered_params(backend, &sql),
            values,
        ))
        .await?;
    let mut tally = Tally::new();
    for row in rows {
        let unit: Uuid = row.try_get_by_index(0)?;
        let term = term_of_month(&row.try_get_by_index::<String>(1)?)?;
        *tally
            .entry((Some(unit), term, None, AttendanceMeasure::ChildcareStays))
            .or_default() += count(&row, 2)?;
    }
    Ok(tally)
}

/// Adds a tally to the kept statistics, as the run's rows.
async fn keep(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    tally: Tally,
) -> Result<(), DbErr> {
    for ((unit_id, term, activity, measure), value) in tally {
        attendance_statistic::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(run.municipality_id),
            run_id: Set(run.id),
            unit_id: Set(unit_id),
            term: Set(term),
            activity: Set(activity),
            measure: Set(measure),
            value: Set(value),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The earliest due day of attendance marks, counted and removed whole (so that every revision
/// of a mark goes with it). Returns the rows removed.
pub(super) async fn attendance_day(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    cutoff: NaiveDate,
) -> Result<u64, DbErr> {
    use crate::entity::attendance_mark;
    use sea_orm::{QueryOrder, QuerySelect};
    let first = attendance_mark::Entity::find()
        .select_only()
        .column(attendance_mark::Column::OnDate)
        .filter(attendance_mark::Column::MunicipalityId.eq(run.municipality_id))
        .filter(attendance_mark::Column::OnDate.lt(cutoff))
        .order_by_asc(attendance_mark::Column::OnDate)
        .limit(1)
        .into_tuple::<NaiveDate>()
        .one(txn)
        .await?;
    let Some(day) = first else {
        return Ok(0);
    };
    keep(
        txn,
        run,
        tally_attendance(txn, run.municipality_id, Some(day)).await?,
    )
    .await?;
    let removed = attendance_mark::Entity::delete_many()
        .filter(attendance_mark::Column::MunicipalityId.eq(run.municipality_id))
        .filter(attendance_mark::Column::OnDate.eq(day))
        .exec(txn)
        .await?;
    Ok(removed.rows_affected)
}

/// A batch of due absence reports or check-ins: counted into the statistics, then removed.
/// Returns the rows removed.
pub(super) async fn counted_batch(
    txn: &DatabaseTransaction,
    run: &retention_run::Model,
    kind: RetentionKind,
    cutoff: NaiveDate,
    batch: u64,
) -> Result<u64, DbErr> {
    let table = super::due(kind).tables[0];
    let ids = due_ids(txn, kind, table, run.municipality_id, cutoff, batch).await?;
    if ids.is_empty() {
        return Ok(0);
    }
    let tally = match kind {
        RetentionKind::AbsenceReports => {
            tally_absence(txn, run.municipality_id, Some(&ids)).await?
        }
        RetentionKind::Presence => tally_presence(txn, run.municipality_id, Some(&ids)).await?,
        other => {
            return Err(DbErr::Custom(format!(
                "{} is not counted into the statistics by batch",
                other.code()
            )))
        }
    };
    keep(txn, run, tally).await?;
    delete_ids(txn, table, &ids).await
}

/// The municipality's statistics: what retention kept plus what is still stored, counted alike.
pub async fn statistics(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
) -> Result<AttendanceStatistics, RetentionError> {
    let municipality_id = permit.actor().municipality_id;
    let mut tally = tally_attendance(db, municipality_id, None).await?;
    for (key, value) in tally_absence(db, municipality_id, None)
        .await?
        .into_iter()
        .chain(tally_presence(db, municipality_id, None).await?)
    {
        *tally.entry(key).or_default() += value;
    }
    let kept = attendance_statistic::Entity::find()
        .filter(attendance_statistic::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?;
    for row in kept {
        *tally
            .entry((row.unit_id, row.term, row.activity, row.measure))
            .or_default() += row.value;
    }
    Ok(AttendanceStatistics {
        rows: tally
            .into_iter()
            .map(
                |((unit_id, term, activity, measure), value)| AttendanceStatistic {
                    unit_id,
                    term,
                    activity,
                    measure,
                    value: u64::try_from(value).unwrap_or(0),
                },
            )
            .collect(),
    })
}
