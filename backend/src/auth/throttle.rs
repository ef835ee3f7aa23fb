//! Login throttling that an attacker cannot turn against the account's owner or against a school
//! (OWASP, "Slow Down Online Guessing Attacks with Device Cookies").
//!
//! A browser that has logged into an account before (it presents a valid device cookie for it,
//! `auth::device`) is judged only by its own failures: nobody else's guessing locks it out. Every
//! other attempt is *untrusted* and counts against the account asked for and against the client
//! address. A school's pupils share one address, so the address's limit grows with the distinct
//! accounts that logged in from it: pupils who mistype now and then never reach it, a password
//! sprayer (who mostly fails) does. BankID logins are never throttled here.
//!
//! Refused attempts are answered without checking the password, with the seconds to wait. Unknown
//! usernames count like known ones, so the answer does not reveal which accounts exist. Every
//! attempt is a row: any instance judges the same.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::login_attempt::{self, Column};
use crate::settings::LoginSettings;

/// What an attempt is counted against.
pub struct Attempt {
    account: String,
    address: String,
    /// The trusted browser it came from, if any.
    device: Option<Uuid>,
}

fn hash(kind: &str, value: &str) -> String {
    Sha256::digest(format!("{kind}:{value}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The keys the attempts on an account are stored under (password logins by username, one-time
/// codes by account id), for the register extract to find them.
pub fn account_keys(username: &str, account_id: Uuid) -> Vec<String> {
    vec![
        hash("account", &username.trim().to_lowercase()),
        hash("second_factor", &account_id.to_string()),
    ]
}

impl Attempt {
    /// A one-time code typed for `account_id` (a step-up or a set-up): counted against the
    /// account alone, apart from password logins.
    pub fn second_factor(account_id: Uuid) -> Self {
        let key = hash("second_factor", &account_id.to_string());
        Self {
            account: key.clone(),
            address: key,
            device: None,
        }
    }

    /// A pairing code typed on an entrance tablet (`childcare::kiosk::pair`): counted against
    /// the address it came from alone, apart from logins.
    pub fn kiosk_pairing(client_address: &str) -> Self {
        let key = hash("kiosk_pairing", client_address);
        Self {
            account: key.clone(),
            address: key,
            device: None,
        }
    }

    pub fn new(username: &str, client_address: &str, trusted_device: Option<Uuid>) -> Self {
        Self {
            account: hash("account", &username.trim().to_lowercase()),
            address: hash("address", client_address),
            device: trusted_device,
        }
    }
}

/// Seconds until a new attempt is allowed, if it is not allowed now.
pub async fn retry_after(
    db: &impl ConnectionTrait,
    settings: &LoginSettings,
    attempt: &Attempt,
    now: DateTime<Utc>,
) -> Result<Option<u64>, sea_orm::DbErr> {
    let window = Duration::minutes(settings.window_minutes);
    let since = now - window;
    let failures = || {
        login_attempt::Entity::find()
            .filter(Column::Succeeded.eq(false))
            .filter(Column::AttemptedAt.gt(since))
    };
    if let Some(device) = attempt.device {
        let own = failures().filter(Column::DeviceId.eq(device));
        return wait_for(db, own, settings.max_failures_per_account, window, now).await;
    }
    let untrusted = || failures().filter(Column::DeviceId.is_null());
    let account = untrusted().filter(Column::AccountHash.eq(attempt.account.as_str()));
    let account_wait =
        wait_for(db, account, settings.max_failures_per_account, window, now).await?;
    let logged_in: i64 = login_attempt::Entity::find()
        .select_only()
        .column_as(Expr::cust("COUNT(DISTINCT account_hash)"), "accounts")
        .filter(Column::AddressHash.eq(attempt.address.as_str()))
        .filter(Column::Succeeded.eq(true))
        .filter(Column::AttemptedAt.gt(since))
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or(0);
    let earned = u64::try_from(logged_in).unwrap_or(0)
        * u64::from(settings.address_failures_per_hundred_logins)
        / 100;
    let address_limit =
        u32::try_from(u64::from(settings.max_failures_per_address) + earned).unwrap_or(u32::MAX);
    let address = untrusted().filter(Column::AddressHash.eq(attempt.address.as_str()));
    let address_wait = wait_for(db, address, address_limit, window, now).await?;
    Ok(account_wait.max(address_wait))
}

/// Seconds to wait when `failures` holds `limit` or more attempts: until the oldest of the last
/// `limit` leaves the window. A limit of 0 means no limit.
async fn wait_for(
    db: &impl ConnectionTrait,
    failures: Select<login_attempt::Entity>,
    limit: u32,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<Option<u64>, sea_orm::DbErr> {
    if limit == 0 {
        return Ok(None);
    }
    let times: Vec<DateTime<Utc>> = failures
        .select_only()
        .column(Column::AttemptedAt)
        .order_by_desc(Column::AttemptedAt)
        .limit(u64::from(limit))
        .into_tuple()
        .all(db)
        .await?;
    if times.len() < limit as usize {
        return Ok(None);
    }
    Ok(times
        .last()
        .map(|oldest| (*oldest + window - now).num_seconds().max(1) as u64))
}

pub async fn record(
    db: &impl ConnectionTrait,
    attempt: &Attempt,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    login_attempt::Entity::insert(login_attempt::ActiveModel {
        id: Set(Uuid::new_v4()),
        account_hash: Set(attempt.account.clone()),
        address_hash: Set(attempt.address.clone()),
        device_id: Set(attempt.device),
        attempted_at: Set(now),
        succeeded: Set(succeeded),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Forgets attempts made before `before`, so the table stays small. Run daily by the jobs'
/// cleanup with a day's margin: no window counts attempts older than that.
pub async fn forget_before(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    let result = login_attempt::Entity::delete_many()
        .filter(Column::AttemptedAt.lt(before))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}
