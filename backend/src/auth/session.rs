//! Server-side sessions. The browser holds an opaque random token in an HttpOnly, SameSite=Lax
//! cookie; the database holds its SHA-256 with the person, how they logged in, and when the
//! session ends (idle and absolute timeouts). Nothing is kept in memory, so any instance can
//! answer any request.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryResult, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::numbered_params;
use crate::entity::session::{self, AuthMethod};
use crate::settings::SessionSettings;

pub const COOKIE: &str = "skolportal_session";

/// Touching `last_seen_at` on every request would turn every read into a write.
const TOUCH_AFTER_SECONDS: i64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("no valid session")]
    Invalid,
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// The person behind a valid session.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub session_id: String,
    pub person_id: Uuid,
    pub municipality_id: Uuid,
    pub auth_method: AuthMethod,
    pub must_change_password: bool,
}

/// A new session's token (for the cookie) and its stored row.
pub struct NewSession {
    pub token: String,
    pub max_age_seconds: i64,
}

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub async fn create(
    db: &impl ConnectionTrait,
    settings: &SessionSettings,
    person_id: Uuid,
    municipality_id: Uuid,
    auth_method: AuthMethod,
    must_change_password: bool,
    now: DateTime<Utc>,
) -> Result<NewSession, SessionError> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let expires_at = now + Duration::hours(settings.absolute_timeout_hours);
    session::Entity::insert(session::ActiveModel {
        id: Set(hash_token(&token)),
        municipality_id: Set(municipality_id),
        person_id: Set(person_id),
        auth_method: Set(auth_method),
        must_change_password: Set(must_change_password),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires_at),
        ended_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(NewSession {
        token,
        max_age_seconds: settings.absolute_timeout_hours * 3600,
    })
}

/// The session for `token` if it is still valid; touches it.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    settings: &SessionSettings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<SessionUser, SessionError> {
    let id = stored_id(token)?;
    let row = session::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(SessionError::Invalid)?;
    admit(db, settings, row, now).await
}

/// Authenticates `token` and reads the rows of `joins` in the same statement, for the hottest
/// reads, where a second round trip to the database would cost as much as the read itself.
/// `joins` continues `FROM session s` and should use LEFT JOINs (a session whose read finds
/// nothing must still come back as one row); it may use `s.person_id` and `s.municipality_id`,
/// and `$2…` are `values`. Returns the rows as they are, with the session's own columns too:
/// when the joins found nothing there is a single row whose joined columns are NULL.
pub async fn authenticate_joined(
    db: &impl ConnectionTrait,
    settings: &SessionSettings,
    token: &str,
    now: DateTime<Utc>,
    columns: &str,
    joins: &str,
    values: Vec<sea_orm::Value>,
) -> Result<(SessionUser, Vec<QueryResult>), SessionError> {
    let id = stored_id(token)?;
    let backend = db.get_database_backend();
    let sql = format!("SELECT {SESSION_COLUMNS}, {columns} FROM session s {joins} WHERE s.id = $1");
    let mut params = Vec::with_capacity(values.len() + 1);
    params.push(sea_orm::Value::from(id));
    params.extend(values);
    let rows = db
        .query_all(Statement::from_sql_and_values(
            backend,
            numbered_params(backend, &sql),
            params,
        ))
        .await?;
    let first = rows.first().ok_or(SessionError::Invalid)?;
    let row = session::Model::from_query_result(first, SESSION_PREFIX)?;
    let user = admit(db, settings, row, now).await?;
    Ok((user, rows))
}

/// The session row's columns under the prefix `s_`, for [`authenticate_joined`].
const SESSION_COLUMNS: &str = "s.id AS s_id, s.municipality_id AS s_municipality_id, \
    s.person_id AS s_person_id, s.auth_method AS s_auth_method, \
    s.must_change_password AS s_must_change_password, s.created_at AS s_created_at, \
    s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, s.ended_at AS s_ended_at";
const SESSION_PREFIX: &str = "s_";

/// The stored id (hash) of a cookie token; a token that cannot be one is simply invalid.
fn stored_id(token: &str) -> Result<String, SessionError> {
    if token.is_empty() || token.len() > 128 {
        return Err(SessionError::Invalid);
    }
    Ok(hash_token(token))
}

/// Accepts a stored session that has neither ended nor timed out, and touches it.
async fn admit(
    db: &impl ConnectionTrait,
    settings: &SessionSettings,
    row: session::Model,
    now: DateTime<Utc>,
) -> Result<SessionUser, SessionError> {
    let idle_limit = row.last_seen_at + Duration::minutes(settings.idle_timeout_minutes);
    if row.ended_at.is_some() || row.expires_at <= now || idle_limit <= now {
        return Err(SessionError::Invalid);
    }
    if (now - row.last_seen_at).num_seconds() >= TOUCH_AFTER_SECONDS {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(row.id.clone()))
            .exec(db)
            .await?;
    }
    // BankID proves who the person is; a handed-out password does not matter then.
    let must_change_password = row.must_change_password && row.auth_method == AuthMethod::Password;
    Ok(SessionUser {
        session_id: row.id,
        person_id: row.person_id,
        municipality_id: row.municipality_id,
        auth_method: row.auth_method,
        must_change_password,
    })
}

pub async fn end(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), SessionError> {
    session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(now))
        .filter(session::Column::Id.eq(hash_token(token)))
        .filter(session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of the person except `keep`; returns how many ended.
pub async fn end_others(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    keep_session_id: &str,
    now: DateTime<Utc>,
) -> Result<u64, SessionError> {
    let result = session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(now))
        .filter(session::Column::PersonId.eq(person_id))
        .filter(session::Column::Id.ne(keep_session_id))
        .filter(session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// After a password change: no session of the person needs one any more.
pub async fn clear_password_change(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<(), SessionError> {
    session::Entity::update_many()
        .col_expr(session::Column::MustChangePassword, Expr::value(false))
        .filter(session::Column::PersonId.eq(person_id))
        .exec(db)
        .await?;
    Ok(())
}

/// `Set-Cookie` for a new session. `Secure` everywhere but plain-HTTP development.
pub fn cookie(session: &NewSession, secure: bool) -> String {
    format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        session.token,
        session.max_age_seconds,
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` that removes the session cookie.
pub fn clearing_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}
