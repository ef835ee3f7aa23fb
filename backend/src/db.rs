//! Connecting to the database and migrating it. SQLite (a file) is the embedded default;
//! PostgreSQL is the production database. Both run the same migrations and the same tests.

use std::time::Duration;

use sea_orm::sea_query::extension::postgres::PgFunc;
use sea_orm::sea_query::{Expr, SimpleExpr, ValueType};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ColumnTrait, ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr, Value};
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
        // Statements stay prepared per connection, and every statement here looks rows up by
        // key, so one generic plan per statement serves all parameters. Left to choose, the
        // planner re-planned a batch statement with an array of ids on every run (`in_set`), at
        // several times the cost of running it.
        .map_sqlx_postgres_opts(|postgres| {
            postgres.options([("plan_cache_mode", "force_generic_plan")])
        })
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

/// `column` compared with a set, as a fragment of hand-written SQL whose parameters are numbered
/// after those already in `values` (to which the set's are added).
///
/// On PostgreSQL the set is one array parameter, `= ANY($n)`, so a batch's statement has one text
/// whatever the batch's size: it stays prepared on its connection and is planned once, where a
/// text per size was planned anew and the planning cost more than the query (measured on the
/// start page). SQLite has no arrays and takes `IN ($n, …)`; its planning is cheap.
pub fn in_set<T>(
    backend: DbBackend,
    column: &str,
    values: &mut Vec<Value>,
    set: impl IntoIterator<Item = T>,
) -> String
where
    T: Into<Value> + ValueType,
{
    let first = values.len() + 1;
    if backend == DbBackend::Postgres {
        let items: Vec<Value> = set.into_iter().map(Into::into).collect();
        values.push(Value::Array(T::array_type(), Some(Box::new(items))));
        return format!("{column} = ANY(${first})");
    }
    values.extend(set.into_iter().map(Into::into));
    let params: Vec<String> = (first..values.len() + 1).map(|n| format!("${n}")).collect();
    format!("{column} IN ({})", params.join(", "))
}

/// [`in_set`] for the query builder: `column` is one of `set`, with one statement text per
/// query on PostgreSQL whatever the set's size.
pub fn is_in<C, T>(backend: DbBackend, column: C, set: impl IntoIterator<Item = T>) -> SimpleExpr
where
    C: ColumnTrait,
    T: Into<Value> + ValueType,
{
    if backend == DbBackend::Postgres {
        let items: Vec<Value> = set.into_iter().map(Into::into).collect();
        let array = Value::Array(T::array_type(), Some(Box::new(items)));
        return Expr::col(column.as_column_ref()).eq(PgFunc::any(Expr::val(array)));
    }
    column.is_in(set)
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
        Error::Database(db) => {
            let sqlite = db
                .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
                .is_some();
            db.code().is_some_and(|code| {
                if sqlite {
                    // Extended codes: 5 busy and 6 locked in the low byte, their kind above it
                    // (517: a transaction's snapshot went stale under another writer).
                    code.parse::<i32>()
                        .is_ok_and(|code| matches!(code & 0xff, 5 | 6))
                } else {
                    // PostgreSQL: class 08 connection exception; 57P01-03 the server shutting
                    // down, crashed or starting; 53300 too many connections.
                    code.starts_with("08")
                        || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
                }
            })
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    /// A transaction that read, then writes after another connection committed, gets SQLite's
    /// 517 at once (no waiting helps it): the request may be repeated, so it answers 503.
    #[tokio::test]
    async fn a_stale_sqlite_snapshot_is_a_retryable_unavailability() {
        use sea_orm::{ConnectionTrait, TransactionTrait};
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let db = connect(&DatabaseSettings {
            url: crate::settings::Secret::new(url),
            max_connections: 2,
            acquire_timeout_ms: 5_000,
        })
        .await
        .unwrap();
        db.execute_unprepared("CREATE TABLE t (n INTEGER)")
            .await
            .unwrap();
        let reader = db.begin().await.unwrap();
        reader
            .execute_unprepared("SELECT COUNT(*) FROM t")
            .await
            .unwrap();
        db.execute_unprepared("INSERT INTO t VALUES (1)")
            .await
            .unwrap();
        let err = reader
            .execute_unprepared("INSERT INTO t VALUES (2)")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("517"), "{err}");
        assert!(is_unavailable(&err), "{err}");
    }

    #[test]
    fn a_set_is_one_array_on_postgres_and_a_list_on_sqlite() {
        let ids = [Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3)];
        let mut values: Vec<Value> = vec![1.into()];
        let sql = in_set(DbBackend::Postgres, "p.id", &mut values, ids);
        assert_eq!(sql, "p.id = ANY($2)");
        assert_eq!(values.len(), 2);
        assert!(matches!(&values[1], Value::Array(_, Some(items)) if items.len() == 3));

        let mut values: Vec<Value> = vec![1.into()];
        let sql = in_set(DbBackend::Sqlite, "p.id", &mut values, ids);
        assert_eq!(sql, "p.id IN ($2, $3, $4)");
        assert_eq!(values.len(), 4);
    }
}
