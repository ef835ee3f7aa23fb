//! Connecting to the database and migrating it. SQLite (a file) is the embedded default;
//! PostgreSQL is the production database. Both run the same migrations and the same tests.

use std::time::Duration;

use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr};
use skolportal_migration::{Migrator, MigratorTrait};

use crate::settings::DatabaseSettings;

pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbErr> {
    let url = settings.url.expose();
    if let Some(path) = url.strip_prefix("sqlite://") {
        // `sqlite://data/x.db` needs `data/` to exist before SQLite can create the file.
        let file = path.split('?').next().unwrap_or(path);
        if let Some(parent) = std::path::Path::new(file).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    DbErr::Custom(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
        }
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        // Bounded at about a second: when the database is away, a request is better answered
        // 503 at once (the client retries) than held while more requests pile up behind it.
        .connect_timeout(Duration::from_millis(settings.acquire_timeout_ms))
        .acquire_timeout(Duration::from_millis(settings.acquire_timeout_ms))
        // A ping on every checkout doubles the round trips of a typical request. A connection
        // that died (a database restart) fails its next query instead, and the pool drops it.
        .test_before_acquire(false)
        // Recycled now and then, so that a failover or a restarted database is picked up.
        .max_lifetime(Duration::from_secs(30 * 60))
        .sqlx_logging(false)
        // Per connection, not once: WAL lets readers proceed while a writer commits, foreign
        // keys are off by default in SQLite, and a writer waits for another rather than failing.
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    Database::connect(options).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Hand-written SQL is written with PostgreSQL's `$1` parameters; SQLite takes the same numbered
/// parameters as `?1`.
pub fn numbered_params(backend: DbBackend, sql: &str) -> String {
    match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => sql.replace('$', "?"),
    }
}

/// One keyset page from `rows` asked for with one row beyond `limit`: the page, and the cursor
/// after its last row when that extra row shows there is a next page.
pub fn page<T, C>(mut rows: Vec<T>, limit: u32, cursor: impl Fn(&T) -> C) -> (Vec<T>, Option<C>) {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if rows.len() <= limit {
        return (rows, None);
    }
    rows.truncate(limit);
    let next = rows.last().map(cursor);
    (rows, next)
}

/// Whether the error means the database could not be reached or went away under the query
/// (a restart, a failover, a full pool, a locked SQLite file), as opposed to a fault in what
/// we asked. Those answer 503 with `Retry-After`: the request was fine and may be repeated.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            sqlx_is_unavailable(e)
        }
        _ => false,
    }
}

fn sqlx_is_unavailable(err: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match err {
        Error::Io(_)
        | Error::Tls(_)
        | Error::Protocol(_)
        | Error::PoolTimedOut
        | Error::PoolClosed
        | Error::WorkerCrashed => true,
        Error::Database(db) => db.code().is_some_and(|code| {
            // PostgreSQL: class 08 connection exception; 57P01-03 the server shutting down,
            // crashed or starting; 53300 too many connections. SQLite: 5 busy, 6 locked.
            code.starts_with("08")
                || matches!(
                    code.as_ref(),
                    "57P01" | "57P02" | "57P03" | "53300" | "5" | "6"
                )
        }),
        _ => false,
    }
}

/// A copy of an error (`DbErr` is not `Clone`), for each request of a batch that shared one
/// statement, that keeps what the HTTP mapping looks at: an unreachable database stays one.
pub fn copy_err(err: &DbErr) -> DbErr {
    use sea_orm::{ConnAcquireErr, RuntimeErr};
    match err {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => {
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)
        }
        DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed) => {
            DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)
        }
        DbErr::Conn(e) => DbErr::Conn(RuntimeErr::Internal(e.to_string())),
        other if is_unavailable(other) => DbErr::Conn(RuntimeErr::Internal(other.to_string())),
        other => DbErr::Custom(other.to_string()),
    }
}
