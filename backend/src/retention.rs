//! Retention (gallring), first part: what the next run would remove and export, for the
//! administrator's dry run. Counts only, per kind and municipality, never names. Each kind is due
//! by `shared::retention::is_due` with the municipality's periods (`retention` in its settings):
//! - absence reports after their last day, attendance after its day;
//! - grades after they were set, exported to the archive first (the Luleå plan preserves grading
//!   material);
//! - talk material and IUP goals after the pupil's last enrolment ended (none while one is
//!   current), exported first too;
//! - the access log after the access.
//!
//! The run itself (as jobs on the settable clock, the archive package, the anonymised statistics)
//! is the rest of issue 20.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Statement,
};
use skolportal_shared::api::{RetentionKind, RetentionPlan, RetentionPlanItem};
use skolportal_shared::retention::{kept_from, RetentionPeriods};
use uuid::Uuid;

use crate::administration::SettingsError;
use crate::entity::{absence_report, access_log, attendance_mark, grade, municipality};
use crate::municipality::MunicipalitySettings;
use crate::policy::{GlobalAction, Permit};

/// The administrator's dry run: what retention would do today in her municipality, with its
/// periods.
pub async fn dry_run(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    today: NaiveDate,
) -> Result<RetentionPlan, SettingsError> {
    let municipality_id = permit.actor().municipality_id;
    let model = municipality::Entity::find_by_id(municipality_id)
        .one(db)
        .await?
        .ok_or(SettingsError::NotFound)?;
    let periods = MunicipalitySettings::of(&model)?.retention;
    Ok(plan(db, municipality_id, &periods, today).await?)
}

/// What retention would remove and export on `today` in `municipality_id`.
pub async fn plan(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    periods: &RetentionPeriods,
    today: NaiveDate,
) -> Result<RetentionPlan, DbErr> {
    let start_of = |day: NaiveDate| day.and_time(chrono::NaiveTime::MIN).and_utc();
    let absence_from = kept_from(today, periods.absence_months);
    let grading_from = kept_from(today, periods.grading_months);
    let talk_from = kept_from(today, periods.talk_material_months);
    let log_from = kept_from(today, periods.access_log_months);

    let absence = absence_report::Entity::find()
        .filter(absence_report::Column::MunicipalityId.eq(municipality_id))
        .filter(absence_report::Column::LastDay.lt(absence_from))
        .count(db)
        .await?;
    let attendance = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::MunicipalityId.eq(municipality_id))
        .filter(attendance_mark::Column::OnDate.lt(absence_from))
        .count(db)
        .await?;
    let grades = grade::Entity::find()
        .filter(grade::Column::MunicipalityId.eq(municipality_id))
        .filter(grade::Column::SetAt.lt(start_of(grading_from)))
        .count(db)
        .await?;
    let talk = talk_material_due(db, municipality_id, talk_from).await?;
    let log = access_log::Entity::find()
        .filter(access_log::Column::MunicipalityId.eq(municipality_id))
        .filter(access_log::Column::OccurredAt.lt(start_of(log_from)))
        .count(db)
        .await?;
    let item = |kind, kept_from, remove, export| RetentionPlanItem {
        kind,
        kept_from,
        remove,
        export,
    };
    Ok(RetentionPlan {
        today,
        items: vec![
            item(RetentionKind::AbsenceReports, absence_from, absence, 0),
            item(RetentionKind::Attendance, absence_from, attendance, 0),
            item(RetentionKind::Grades, grading_from, grades, grades),
            item(RetentionKind::TalkMaterial, talk_from, talk, talk),
            item(RetentionKind::AccessLog, log_from, log, 0),
        ],
    })
}

/// Talk material and IUP goals of pupils whose every enrolment has ended, the last before
/// `kept_from`.
async fn talk_material_due(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    kept_from: NaiveDate,
) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let ended = "SELECT pupil_id FROM enrolment WHERE municipality_id = $1 GROUP BY pupil_id \
                 HAVING COUNT(*) = COUNT(end_date) AND MAX(end_date) < $2";
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM talk_part WHERE municipality_id = $1 AND pupil_id IN ({ended})) \
         + (SELECT COUNT(*) FROM iup_goal WHERE municipality_id = $1 AND pupil_id IN ({ended}))"
    );
    let row = db
        .query_one(Statement::from_sql_and_values(
            backend,
            crate::db::numbered_params(backend, &sql),
            [municipality_id.into(), kept_from.into()],
        ))
        .await?;
    let count: i64 = match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(u64::try_from(count).unwrap_or(0))
}
