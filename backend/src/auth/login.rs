//! Password login: throttle, verify, open a session. The same answer for an unknown user as for
//! a wrong password, and about the same time too.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::password;
use super::session::{self, NewSession, SessionError};
use super::throttle::{self, ThrottleKeys};
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

pub struct LoginSuccess {
    pub session: NewSession,
    pub person_id: uuid::Uuid,
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
    username: &str,
    candidate: &str,
    client_address: &str,
    now: DateTime<Utc>,
) -> Result<LoginSuccess, LoginError> {
    let keys = ThrottleKeys::new(username, client_address);
    if let Some(retry_after_seconds) =
        throttle::retry_after(db, &settings.login, &keys, now).await?
    {
        return Err(LoginError::Throttled {
            retry_after_seconds,
        });
    }
    let account = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?;
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
            throttle::record(db, &keys, false, now).await?;
            return Err(LoginError::InvalidCredentials);
        }
    };
    throttle::record(db, &keys, true, now).await?;
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
    })
}
