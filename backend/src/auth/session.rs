//! Server-side sessions. The browser holds an opaque random token in an HttpOnly, SameSite=Lax
//! cookie; the database holds its SHA-256 with the person, how they logged in, and when the
//! session ends (idle and absolute timeouts). Nothing is kept in memory, so any instance can
//! answer any request.

use std::collections::HashMap;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryResult, Statement,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::{self, numbered_params};
use crate::entity::session::{self, AuthMethod, LoginStrength};
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
    pub login_strength: LoginStrength,
    pub must_change_password: bool,
}

/// A new session's token (for the cookie) and its stored row.
pub struct NewSession {
    pub token: String,
    pub max_age_seconds: i64,
}

/// A new cookie token: 32 random bytes, base64url.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a cookie token as lower-case hex: what the database keeps instead of the token.
pub(crate) fn hash_token(token: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(token.as_bytes());
    let mut hex = String::with_capacity(digest.len() * 2);
    for b in digest {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    hex
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
    let token = new_token();
    let expires_at = now + Duration::hours(settings.absolute_timeout_hours);
    session::Entity::insert(session::ActiveModel {
        id: Set(hash_token(&token)),
        municipality_id: Set(municipality_id),
        person_id: Set(person_id),
        auth_method: Set(auth_method),
        // A second factor is asked for after the password, on this session (`raise_strength`).
        login_strength: Set(match auth_method {
            AuthMethod::Password => LoginStrength::Password,
            AuthMethod::Bankid => LoginStrength::Bankid,
        }),
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

/// What [`authenticate_many_joined`] reads with each session. `joins` continues
/// `FROM session s` and should use LEFT JOINs (a session whose read finds nothing must still
/// come back as one row); it may use `s.person_id` and `s.municipality_id`, and `$1…` are
/// `values`.
pub struct JoinedRead<'a> {
    pub columns: &'a str,
    pub joins: &'a str,
    pub values: Vec<sea_orm::Value>,
}

/// Authenticates each of `tokens` and reads `joined` for all of them in one statement, for the
/// hottest reads, where a second round trip to the database would cost as much as the read
/// itself (and a statement per request more than a statement per batch: see
/// [`crate::coalesce`]). Answers per token, in order, with what `read` makes of the session's
/// rows (they have the session's own columns too; when the joins found nothing there is a
/// single row whose joined columns are NULL). Rows are told apart by the session's stored id,
/// so a session only ever gets rows joined to itself.
pub async fn authenticate_many_joined<T>(
    db: &impl ConnectionTrait,
    settings: &SessionSettings,
    tokens: &[&str],
    now: DateTime<Utc>,
    joined: JoinedRead<'_>,
    read: impl Fn(&[QueryResult]) -> Result<T, DbErr>,
) -> Result<Vec<Result<(SessionUser, T), SessionError>>, DbErr> {
    let JoinedRead {
        columns,
        joins,
        values,
    } = joined;
    let ids: Vec<Option<String>> = tokens.iter().map(|t| stored_id(t).ok()).collect();
    let mut unique: Vec<&String> = ids.iter().flatten().collect();
    unique.sort();
    unique.dedup();
    let mut rows_by_id: HashMap<String, Vec<QueryResult>> = HashMap::new();
    if !unique.is_empty() {
        let backend = db.get_database_backend();
        let mut params = values;
        let ids = db::in_set(
            backend,
            "s.id",
            &mut params,
            unique.iter().map(|id| (*id).clone()),
        );
        let sql = format!("SELECT {SESSION_COLUMNS}, {columns} FROM session s {joins} WHERE {ids}");
        let rows = db
            .query_all(Statement::from_sql_and_values(
                backend,
                numbered_params(backend, &sql),
                params,
            ))
            .await?;
        for row in rows {
            let id: String = row.try_get(SESSION_PREFIX, "id")?;
            rows_by_id.entry(id).or_default().push(row);
        }
    }
    let mut answers = Vec::with_capacity(ids.len());
    let mut to_touch = Vec::new();
    for id in &ids {
        let Some(rows) = id.as_ref().and_then(|id| rows_by_id.get(id)) else {
            answers.push(Err(SessionError::Invalid));
            continue;
        };
        let Some(first) = rows.first() else {
            answers.push(Err(SessionError::Invalid));
            continue;
        };
        let row = session::Model::from_query_result(first, SESSION_PREFIX)?;
        match check(settings, row, now) {
            Ok((user, touch)) => {
                if touch {
                    to_touch.push(user.session_id.clone());
                }
                answers.push(Ok((user, read(rows)?)));
            }
            Err(e) => answers.push(Err(e)),
        }
    }
    to_touch.sort();
    to_touch.dedup();
    if !to_touch.is_empty() {
        touch(db, to_touch, now).await?;
    }
    Ok(answers)
}

/// The session row's columns under the prefix `s_`, for [`authenticate_many_joined`].
const SESSION_COLUMNS: &str = "s.id AS s_id, s.municipality_id AS s_municipality_id, \
    s.person_id AS s_person_id, s.auth_method AS s_auth_method, \
    s.must_change_password AS s_must_change_password, s.created_at AS s_created_at, \
    s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, s.ended_at AS s_ended_at, \
    s.login_strength AS s_login_strength";
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
    let (user, needs_touch) = check(settings, row, now)?;
    if needs_touch {
        touch(db, vec![user.session_id.clone()], now).await?;
    }
    Ok(user)
}

/// The person behind a stored session that has neither ended nor timed out, and whether its
/// `last_seen_at` is old enough to be touched.
fn check(
    settings: &SessionSettings,
    row: session::Model,
    now: DateTime<Utc>,
) -> Result<(SessionUser, bool), SessionError> {
    let idle_limit = row.last_seen_at + Duration::minutes(settings.idle_timeout_minutes);
    if row.ended_at.is_some() || row.expires_at <= now || idle_limit <= now {
        return Err(SessionError::Invalid);
    }
    let needs_touch = (now - row.last_seen_at).num_seconds() >= TOUCH_AFTER_SECONDS;
    // BankID proves who the person is; a handed-out password does not matter then.
    let must_change_password = row.must_change_password && row.auth_method == AuthMethod::Password;
    let user = SessionUser {
        session_id: row.id,
        person_id: row.person_id,
        municipality_id: row.municipality_id,
        auth_method: row.auth_method,
        login_strength: row.login_strength,
        must_change_password,
    };
    Ok((user, needs_touch))
}

async fn touch(
    db: &impl ConnectionTrait,
    ids: Vec<String>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(())
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

/// Raises `user`'s session to `strength` (never lowers it); returns the session's strength now.
pub async fn raise_strength(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    strength: LoginStrength,
) -> Result<LoginStrength, SessionError> {
    if user.login_strength >= strength {
        return Ok(user.login_strength);
    }
    session::Entity::update_many()
        .col_expr(session::Column::LoginStrength, Expr::value(strength))
        .filter(session::Column::Id.eq(user.session_id.as_str()))
        .filter(session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(strength)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_ids_are_lowercase_hex_sha256_as_always() {
        // Stored sessions are found by this; a change of format would log everyone out.
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
