//! Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): after a
//! successful password login the browser gets a random token naming that account, so that its
//! later logins are judged by its own failures only (`auth::throttle`).
//!
//! One cookie holds the tokens of the last few accounts that logged in on the browser (a family
//! computer is shared), separated by dots. The database holds each token's SHA-256, so a copy of
//! the table proves nothing. The cookie is only sent to `/api/auth`, never readable by scripts.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use poem::web::cookie::{Cookie, SameSite};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::session::hash_token;
use crate::entity::{login_device, user_account};
use crate::settings::LoginSettings;

pub const COOKIE: &str = "skolportal_device";

/// Accounts remembered per browser.
const MAX_TOKENS: usize = 5;

/// The tokens in a device cookie's value; anything malformed is ignored.
pub fn tokens(cookie_value: &str) -> Vec<String> {
    cookie_value
        .split('.')
        .filter(|t| {
            (20..=64).contains(&t.len())
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .take(MAX_TOKENS)
        .map(str::to_owned)
        .collect()
}

/// The trusted browser among `tokens` for `account`, if one has not expired.
pub async fn find(
    db: &impl ConnectionTrait,
    tokens: &[String],
    account_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<login_device::Model>, DbErr> {
    if tokens.is_empty() {
        return Ok(None);
    }
    login_device::Entity::find()
        .filter(login_device::Column::TokenHash.is_in(tokens.iter().map(|t| hash_token(t))))
        .filter(login_device::Column::AccountId.eq(account_id))
        .filter(login_device::Column::ExpiresAt.gt(now))
        .one(db)
        .await
}

/// After a successful login: keeps (or makes) the browser trusted for `account` and returns the
/// cookie's new value, this account's token first.
pub async fn remember(
    db: &impl ConnectionTrait,
    settings: &LoginSettings,
    account: &user_account::Model,
    known: Option<&login_device::Model>,
    presented: &[String],
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let expires_at = now + Duration::days(settings.device_cookie_days);
    let own = match known {
        Some(device) => {
            login_device::Entity::update_many()
                .col_expr(login_device::Column::LastUsedAt, Expr::value(now))
                .col_expr(login_device::Column::ExpiresAt, Expr::value(expires_at))
                .filter(login_device::Column::Id.eq(device.id))
                .exec(db)
                .await?;
            presented
                .iter()
                .find(|t| hash_token(t) == device.token_hash)
                .cloned()
        }
        None => None,
    };
    let own = match own {
        Some(token) => token,
        None => {
            let mut bytes = [0u8; 32];
            OsRng.fill_bytes(&mut bytes);
            let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
            login_device::Entity::insert(login_device::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(account.municipality_id),
                token_hash: Set(hash_token(&token)),
                account_id: Set(account.id),
                created_at: Set(now),
                last_used_at: Set(now),
                expires_at: Set(expires_at),
            })
            .exec_without_returning(db)
            .await?;
            token
        }
    };
    let mut value = vec![own.clone()];
    value.extend(
        presented
            .iter()
            .filter(|t| **t != own)
            .take(MAX_TOKENS - 1)
            .cloned(),
    );
    Ok(value.join("."))
}

/// Forgets browsers whose trust has expired.
pub async fn forget_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let result = login_device::Entity::delete_many()
        .filter(login_device::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The device cookie: only sent to the login operations, never readable by scripts.
pub fn cookie(value: &str, settings: &LoginSettings, secure: bool) -> Cookie {
    let mut cookie = Cookie::new_with_str(COOKIE, value);
    cookie.set_path("/api/auth");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Strict);
    cookie.set_max_age(std::time::Duration::from_secs(
        u64::try_from(settings.device_cookie_days.max(0)).unwrap_or(0) * 86_400,
    ));
    cookie.set_secure(secure);
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_value_yields_its_well_formed_tokens_only() {
        let good = "a".repeat(43);
        let other = "B-_9".repeat(10);
        let value = format!("{good}.x.{other}.{}.;drop", "c".repeat(80));
        assert_eq!(tokens(&value), vec![good, other]);
        assert!(tokens("").is_empty());
    }
}
