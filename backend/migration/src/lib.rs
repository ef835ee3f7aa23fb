//! The database schema as sea-orm migrations, one file per change, each with `up` and `down`.
//! The same migrations run on SQLite (the embedded default) and PostgreSQL (production).
//!
//! Every table that belongs to a municipality carries `municipality_id`, so that one database can
//! later be partitioned by municipality without a rewrite.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_municipality_and_units;
mod m20261124_000002_persons;
mod m20261124_000003_groups_enrolments_placements;
mod m20261124_000004_user_accounts;
mod m20261124_000005_sessions_and_login_attempts;
mod m20261124_000006_access_log;
mod m20261124_000007_pending_logins;
mod m20261124_000008_signed_documents;
mod m20261124_000009_schedules_and_pickup;
mod m20261124_000010_applications_offers;
mod m20261202_000100_job_queue;
mod m20261202_000200_login_devices;
mod m20261202_000200_second_factor;
mod m20261202_000400_unit_capacity;
mod m20261202_000500_dated_relations;
mod m20261202_000600_correction_requests;
mod m20261202_000700_list_page_indexes;
mod m20261204_000100_timetables;
mod m20261205_000100_relation_indexes;
mod m20261205_000200_lunch_menus;
mod m20261206_000100_duty_work_contact;
mod m20261207_000100_group_timetable_version;
mod m20261207_000200_absence_reports;
mod m20261208_000100_attendance_marks;
mod m20261209_000100_notices;
mod m20261209_000200_leave_applications;
mod m20261210_000100_consents;
mod m20261210_000200_talk_parts;
mod m20261210_000300_grades;
mod m20261211_000100_talk_bookings;
mod m20261211_000200_development_plan;
mod m20261212_000100_pupil_second_factor;
mod m20261212_000200_notice_language;
mod m20261213_000100_person_keys;
mod m20261213_000200_source_sync;
mod m20261214_000100_source_school_records;
mod m20261214_000200_administration;
mod m20261215_000100_retention;
mod m20261216_000100_kiosk;
mod m20261217_000100_document_retention;
mod m20261218_000100_archive_delivery;
pub mod sealing;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_municipality_and_units::Migration),
            Box::new(m20261124_000002_persons::Migration),
            Box::new(m20261124_000003_groups_enrolments_placements::Migration),
            Box::new(m20261124_000004_user_accounts::Migration),
            Box::new(m20261124_000005_sessions_and_login_attempts::Migration),
            Box::new(m20261124_000006_access_log::Migration),
            Box::new(m20261124_000007_pending_logins::Migration),
            Box::new(m20261124_000008_signed_documents::Migration),
            Box::new(m20261124_000009_schedules_and_pickup::Migration),
            Box::new(m20261124_000010_applications_offers::Migration),
            Box::new(m20261202_000100_job_queue::Migration),
            Box::new(m20261202_000500_dated_relations::Migration),
            Box::new(m20261202_000200_login_devices::Migration),
            Box::new(m20261202_000200_second_factor::Migration),
            Box::new(m20261202_000400_unit_capacity::Migration),
            Box::new(m20261202_000600_correction_requests::Migration),
            Box::new(m20261202_000700_list_page_indexes::Migration),
            Box::new(m20261204_000100_timetables::Migration),
            Box::new(m20261205_000100_relation_indexes::Migration),
            Box::new(m20261205_000200_lunch_menus::Migration),
            Box::new(m20261206_000100_duty_work_contact::Migration),
            Box::new(m20261207_000100_group_timetable_version::Migration),
            Box::new(m20261207_000200_absence_reports::Migration),
            Box::new(m20261208_000100_attendance_marks::Migration),
            Box::new(m20261209_000100_notices::Migration),
            Box::new(m20261209_000200_leave_applications::Migration),
            Box::new(m20261210_000100_consents::Migration),
            Box::new(m20261210_000200_talk_parts::Migration),
            Box::new(m20261210_000300_grades::Migration),
            Box::new(m20261211_000100_talk_bookings::Migration),
            Box::new(m20261211_000200_development_plan::Migration),
            Box::new(m20261212_000100_pupil_second_factor::Migration),
            Box::new(m20261212_000200_notice_language::Migration),
            Box::new(m20261213_000100_person_keys::Migration),
            Box::new(m20261213_000200_source_sync::Migration),
            Box::new(m20261214_000100_source_school_records::Migration),
            Box::new(m20261214_000200_administration::Migration),
            Box::new(m20261215_000100_retention::Migration),
            Box::new(m20261216_000100_kiosk::Migration),
            Box::new(m20261217_000100_document_retention::Migration),
            Box::new(m20261218_000100_archive_delivery::Migration),
        ]
    }
}

/// Columns every municipality-owned table starts with.
pub(crate) fn id_col<T: Iden + 'static>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .uuid()
        .not_null()
        .primary_key()
        .to_owned()
}

/// A timestamp with time zone that every row has.
pub(crate) fn timestamp_col(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

/// A timestamp with time zone that a row may lack.
pub(crate) fn timestamp_or_null_col(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

pub(crate) fn fk_cascade(
    name: &str,
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// Makes `table` append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)
/// whatever the database role, so that no code path and no hand-typed statement can rewrite it.
pub(crate) async fn make_append_only(
    manager: &SchemaManager<'_>,
    table: &str,
    pg_row_trigger: &str,
) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::ConnectionTrait;
    let db = manager.get_connection();
    let sql = append_only_sql(db.get_database_backend(), table, pg_row_trigger);
    db.execute_unprepared(&sql).await.map(|_| ())
}

/// The statements that let an append-only `table` (made by [`make_append_only`]) accept a
/// DELETE while `released` holds for the row (`OLD`), or, with `None`, accept none again. The
/// PostgreSQL function is the one its row and TRUNCATE triggers already call; SQLite gets its
/// delete trigger again with the condition.
pub(crate) fn released_delete_sql(
    backend: sea_orm_migration::sea_orm::DbBackend,
    table: &str,
    released: Option<&str>,
) -> String {
    use sea_orm_migration::sea_orm::DbBackend;
    match (backend, released) {
        (DbBackend::Postgres, Some(released)) => format!(
            "CREATE OR REPLACE FUNCTION {table}_is_append_only() RETURNS trigger \
             LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP = 'DELETE' AND {released} THEN RETURN OLD; END IF; \
             RAISE EXCEPTION '{table} is append-only'; END $$;"
        ),
        (DbBackend::Postgres, None) => format!(
            "CREATE OR REPLACE FUNCTION {table}_is_append_only() \
             RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION '{table} is append-only'; END $$;"
        ),
        (_, released) => format!(
            "DROP TRIGGER IF EXISTS {table}_no_delete; \
             CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {}\
             BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;",
            released
                .map(|r| format!("WHEN NOT {r} "))
                .unwrap_or_default()
        ),
    }
}

/// The statements `make_append_only` runs, for a migration that must run them in one batch
/// with others (`m20261213_000100_person_keys`).
pub(crate) fn append_only_sql(
    backend: sea_orm_migration::sea_orm::DbBackend,
    table: &str,
    pg_row_trigger: &str,
) -> String {
    use sea_orm_migration::sea_orm::DbBackend;
    match backend {
        DbBackend::Postgres => format!(
            "CREATE FUNCTION {table}_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION '{table} is append-only'; END $$; \
             CREATE TRIGGER {pg_row_trigger} BEFORE UPDATE OR DELETE ON {table} \
             FOR EACH ROW EXECUTE FUNCTION {table}_is_append_only(); \
             CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
             FOR EACH STATEMENT EXECUTE FUNCTION {table}_is_append_only();"
        ),
        _ => format!(
            "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} \
             BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END; \
             CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} \
             BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
        ),
    }
}
