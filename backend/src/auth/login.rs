//! Password login: throttle, verify, open a session, trust the browser. The same answer for an
//! unknown user as for a wrong password, and about the same time too.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::session::{self, NewSession, SessionError};
use super::throttle::{self, Attempt};
use super::{device, password};
use crate::entity::session::AuthMethod;
use crate::entity::user_account;
use crate::settings::Settings;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("too many failed attempts")]
    Throttled { retry_after_seconds: u64 },
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// What the browser sends to log in.
pub struct Credentials<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub client_address: &'a str,
    /// The tokens of its device cookie (`auth::device`).
    pub device_tokens: Vec<String>,
}

pub struct LoginSuccess {
    pub session: NewSession,
    pub person_id: uuid::Uuid,
    /// The device cookie's new value: this browser is now trusted for the account.
    pub device_cookie: String,
}

/// A hash to verify against when the account does not exist, so that both cases cost the same.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        skolportal_shared::Password::parse("Decoy-password-1")
            .ok()
            .and_then(|p| password::hash(&p).ok())
            .unwrap_or_default()
    })
}

pub async fn with_password(
    db: &DatabaseConnection,
    settings: &Settings,
    credentials: Credentials<'_>,
    now: DateTime<Utc>,
) -> Result<LoginSuccess, LoginError> {
    let Credentials {
        username,
        password: candidate,
        client_address,
        device_tokens,
    } = credentials;
    let account = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?;
    let trusted = match &account {
        Some(account) => device::find(db, &device_tokens, account.id, now).await?,
        None => None,
    };
    let attempt = Attempt::new(username, client_address, trusted.as_ref().map(|d| d.id));
    if let Some(retry_after_seconds) =
        throttle::retry_after(db, &settings.login, &attempt, now).await?
    {
        return Err(LoginError::Throttled {
            retry_after_seconds,
        });
    }
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let candidate = candidate.to_owned();
    let hash = stored.clone().unwrap_or_else(|| decoy_hash().to_owned());
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let verified = tokio::task::spawn_blocking(move || password::verify(&candidate, &hash))
        .await
        .unwrap_or(false);
    let account = match (account, verified && stored.is_some()) {
        (Some(account), true) => account,
        _ => {
            throttle::record(db, &attempt, false, now).await?;
            return Err(LoginError::InvalidCredentials);
        }
    };
    throttle::record(db, &attempt, true, now).await?;
    let device_cookie = device::remember(
        db,
        &settings.login,
        &account,
        trusted.as_ref(),
        &device_tokens,
        now,
    )
    .await?;
    let session = session::create(
        db,
        &settings.session,
        account.person_id,
        account.municipality_id,
        AuthMethod::Password,
        account.must_change_password,
        now,
    )
    .await?;
    user_account::Entity::update(user_account::ActiveModel {
        id: Set(account.id),
        last_login_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(LoginSuccess {
        session,
        person_id: account.person_id,
        device_cookie,
    })
}
