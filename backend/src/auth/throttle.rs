//! Login throttling: after too many failed password logins within a window, further attempts for
//! that account, or from that client address, are refused without checking the password, and the
//! answer says how long to wait. Unknown usernames count like known ones, so the answer does not
//! reveal which accounts exist.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::login_attempt;
use crate::settings::LoginSettings;

/// What an attempt is counted against.
pub struct ThrottleKeys {
    account: String,
    address: String,
}

fn hash(kind: &str, value: &str) -> String {
    Sha256::digest(format!("{kind}:{value}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl ThrottleKeys {
    pub fn new(username: &str, client_address: &str) -> Self {
        Self {
            account: hash("account", &username.trim().to_lowercase()),
            address: hash("address", client_address),
        }
    }
}

/// Seconds until a new attempt is allowed, if it is not allowed now.
pub async fn retry_after(
    db: &impl ConnectionTrait,
    settings: &LoginSettings,
    keys: &ThrottleKeys,
    now: DateTime<Utc>,
) -> Result<Option<u64>, sea_orm::DbErr> {
    let window = Duration::minutes(settings.window_minutes);
    let mut wait: Option<u64> = None;
    for (key, limit) in [
        (&keys.account, settings.max_failures_per_account),
        (&keys.address, settings.max_failures_per_address),
    ] {
        let failures: Vec<DateTime<Utc>> = login_attempt::Entity::find()
            .select_only()
            .column(login_attempt::Column::AttemptedAt)
            .filter(login_attempt::Column::KeyHash.eq(key.as_str()))
            .filter(login_attempt::Column::Succeeded.eq(false))
            .filter(login_attempt::Column::AttemptedAt.gt(now - window))
            .order_by_desc(login_attempt::Column::AttemptedAt)
            .limit(u64::from(limit))
            .into_tuple()
            .all(db)
            .await?;
        if limit > 0 && failures.len() >= limit as usize {
            // Allowed again when the oldest of the last `limit` failures leaves the window.
            if let Some(oldest) = failures.last() {
                let seconds = (*oldest + window - now).num_seconds().max(1) as u64;
                wait = Some(wait.map_or(seconds, |w| w.max(seconds)));
            }
        }
    }
    Ok(wait)
}

pub async fn record(
    db: &impl ConnectionTrait,
    keys: &ThrottleKeys,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    if succeeded {
        // A successful login clears the account's failures; the address keeps its count.
        login_attempt::Entity::delete_many()
            .filter(login_attempt::Column::KeyHash.eq(keys.account.as_str()))
            .exec(db)
            .await?;
        return Ok(());
    }
    let rows = [&keys.account, &keys.address].map(|key| login_attempt::ActiveModel {
        id: Set(Uuid::new_v4()),
        key_hash: Set(key.clone()),
        attempted_at: Set(now),
        succeeded: Set(false),
    });
    login_attempt::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}
