//! The second factor for password accounts: a time-based one-time code (TOTP, RFC 6238: HMAC-SHA1,
//! six digits, 30-second steps, one step of clock drift either way) and ten single-use recovery
//! codes.
//!
//! Set-up is two steps: `begin_setup` keeps a new secret aside (the QR code shows it), and
//! `confirm_setup` makes it the account's once a code from it is right, which also hands out the
//! recovery codes, shown once and stored hashed. A code is accepted once: the account remembers the
//! last time step it accepted, and the conditional update that records a step refuses an equal or
//! older one, whichever instance answers. Wrong codes are throttled per account like passwords.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use totp_rs::{Algorithm, Secret, TOTP};
use uuid::Uuid;

use super::session::hash_token;
use super::throttle;
use crate::entity::{recovery_code, user_account};
use crate::settings::LoginSettings;

/// Seconds per time step (RFC 6238's default, what every authenticator app assumes).
const STEP_SECONDS: u64 = 30;
const DIGITS: usize = 6;
/// Recovery codes handed out at set-up.
pub const RECOVERY_CODES: usize = 10;
/// Letters and digits a person cannot confuse (no 0/O, 1/I/L).
const RECOVERY_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const RECOVERY_LENGTH: usize = 10;
/// The name an authenticator app shows for the entry.
const ISSUER: &str = "Skolportal";

#[derive(Debug, thiserror::Error)]
pub enum TotpError {
    #[error("the account logs in with BankID only")]
    NoPasswordAccount,
    #[error("one-time codes are already set up")]
    AlreadyEnabled,
    #[error("one-time codes are not set up")]
    NotEnabled,
    #[error("no set-up is in progress")]
    NoSetupPending,
    #[error("wrong code")]
    WrongCode,
    #[error("the code has been used already")]
    CodeUsed,
    #[error("too many wrong codes")]
    Throttled { retry_after_seconds: u64 },
    #[error("the QR code could not be drawn")]
    Qr,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// What the set-up page shows: the secret as text to type in, and the URI its QR code holds.
pub struct SetupKey {
    pub secret: String,
    pub otpauth_uri: String,
}

/// The password account of a person.
pub async fn account_of(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<user_account::Model, TotpError> {
    user_account::Entity::find()
        .filter(user_account::Column::PersonId.eq(person_id))
        .one(db)
        .await?
        .filter(|a| a.password_hash.is_some())
        .ok_or(TotpError::NoPasswordAccount)
}

fn totp(secret_base32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECONDS, bytes).ok()
}

/// The code for `secret_base32` at `now` (for the demo and the tests' authenticator).
pub fn code_at(secret_base32: &str, now: DateTime<Utc>) -> Option<String> {
    let seconds = u64::try_from(now.timestamp()).ok()?;
    Some(totp(secret_base32)?.generate(seconds))
}

/// The time step within one step of `now` whose code is `code`, if any.
fn matching_step(secret_base32: &str, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let totp = totp(secret_base32)?;
    let current = now.timestamp().div_euclid(STEP_SECONDS as i64);
    (current - 1..=current + 1).find(|step| {
        u64::try_from(*step)
            .map(|s| constant_time_eq(totp.generate(s * STEP_SECONDS).as_bytes(), code.as_bytes()))
            .unwrap_or(false)
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A code as typed: digits with spaces left out.
fn six_digits(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// A recovery code as typed: upper case, dashes and spaces left out.
fn recovery_form(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == RECOVERY_LENGTH && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then_some(code)
}

/// Starts (or restarts) set-up: a new secret, kept aside until a code confirms it.
pub async fn begin_setup(
    db: &impl ConnectionTrait,
    account: &user_account::Model,
) -> Result<SetupKey, TotpError> {
    if account.totp_secret.is_some() {
        return Err(TotpError::AlreadyEnabled);
    }
    let mut bytes = vec![0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    let secret = Secret::Raw(bytes).to_encoded().to_string();
    user_account::Entity::update_many()
        .col_expr(
            user_account::Column::TotpPendingSecret,
            Expr::value(secret.clone()),
        )
        .filter(user_account::Column::Id.eq(account.id))
        .exec(db)
        .await?;
    Ok(SetupKey {
        otpauth_uri: otpauth_uri(&secret, &account.username),
        secret,
    })
}

/// The `otpauth://` URI authenticator apps read from the QR code.
pub fn otpauth_uri(secret: &str, username: &str) -> String {
    let label: String = format!("{ISSUER}:{username}")
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}"
    )
}

/// The QR code for `uri` as SVG, drawn on the server so that the SPA carries no QR library.
pub fn qr_svg(uri: &str) -> Result<String, TotpError> {
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| TotpError::Qr)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The set-up in progress, as the URI for its QR code.
pub fn pending_uri(account: &user_account::Model) -> Result<String, TotpError> {
    account
        .totp_pending_secret
        .as_deref()
        .map(|secret| otpauth_uri(secret, &account.username))
        .ok_or(TotpError::NoSetupPending)
}

/// Confirms set-up with a code from the new secret; returns the recovery codes, which are shown
/// this once.
pub async fn confirm_setup(
    db: &(impl ConnectionTrait + TransactionTrait),
    settings: &LoginSettings,
    account: &user_account::Model,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, TotpError> {
    if account.totp_secret.is_some() {
        return Err(TotpError::AlreadyEnabled);
    }
    let pending = account
        .totp_pending_secret
        .clone()
        .ok_or(TotpError::NoSetupPending)?;
    let attempt = throttle::Attempt::second_factor(account.id);
    refuse_if_throttled(db, settings, &attempt, now).await?;
    let step = match six_digits(typed).and_then(|code| matching_step(&pending, &code, now)) {
        Some(step) => step,
        None => {
            throttle::record(db, &attempt, false, now).await?;
            return Err(TotpError::WrongCode);
        }
    };
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let txn = db.begin().await?;
    let enabled = user_account::Entity::update_many()
        .col_expr(
            user_account::Column::TotpSecret,
            Expr::value(pending.clone()),
        )
        .col_expr(
            user_account::Column::TotpPendingSecret,
            Expr::value(Option::<String>::None),
        )
        .col_expr(user_account::Column::TotpLastStep, Expr::value(step))
        .filter(user_account::Column::Id.eq(account.id))
        .filter(user_account::Column::TotpSecret.is_null())
        .filter(user_account::Column::TotpPendingSecret.eq(pending))
        .exec(&txn)
        .await?;
    if enabled.rows_affected != 1 {
        // Another request confirmed or restarted the set-up meanwhile.
        return Err(TotpError::NoSetupPending);
    }
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::AccountId.eq(account.id))
        .exec(&txn)
        .await?;
    recovery_code::Entity::insert_many(codes.iter().map(|code| recovery_code::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(account.municipality_id),
        account_id: Set(account.id),
        code_hash: Set(hash_token(code)),
        created_at: Set(now),
        used_at: Set(None),
    }))
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    throttle::record(db, &attempt, true, now).await?;
    Ok(codes.iter().map(|c| display_recovery_code(c)).collect())
}

fn new_recovery_code() -> String {
    let mut bytes = [0u8; RECOVERY_LENGTH];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(RECOVERY_ALPHABET[usize::from(*b) % RECOVERY_ALPHABET.len()]))
        .collect()
}

/// `ABCDE-FGHJK`: easier to copy by hand.
fn display_recovery_code(code: &str) -> String {
    let (a, b) = code.split_at(RECOVERY_LENGTH / 2);
    format!("{a}-{b}")
}

/// Checks a one-time code, or a recovery code, for an account with TOTP set up. Each is accepted
/// once.
pub async fn verify(
    db: &impl ConnectionTrait,
    settings: &LoginSettings,
    account: &user_account::Model,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<(), TotpError> {
    let secret = account.totp_secret.clone().ok_or(TotpError::NotEnabled)?;
    let attempt = throttle::Attempt::second_factor(account.id);
    refuse_if_throttled(db, settings, &attempt, now).await?;
    let outcome = if let Some(code) = six_digits(typed) {
        match matching_step(&secret, &code, now) {
            Some(step) => use_step(db, account.id, step).await?,
            None => Err(TotpError::WrongCode),
        }
    } else if let Some(code) = recovery_form(typed) {
        use_recovery_code(db, account.id, &code, now).await?
    } else {
        Err(TotpError::WrongCode)
    };
    throttle::record(db, &attempt, outcome.is_ok(), now).await?;
    outcome
}

/// Records `step` as used unless it (or a later one) already was.
async fn use_step(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    step: i64,
) -> Result<Result<(), TotpError>, DbErr> {
    let recorded = user_account::Entity::update_many()
        .col_expr(user_account::Column::TotpLastStep, Expr::value(step))
        .filter(user_account::Column::Id.eq(account_id))
        .filter(
            sea_orm::Condition::any()
                .add(user_account::Column::TotpLastStep.is_null())
                .add(user_account::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(if recorded.rows_affected == 1 {
        Ok(())
    } else {
        Err(TotpError::CodeUsed)
    })
}

async fn use_recovery_code(
    db: &impl ConnectionTrait,
    account_id: Uuid,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), TotpError>, DbErr> {
    let hash = hash_token(code);
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::CodeHash.eq(hash.clone()))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected >= 1 {
        return Ok(Ok(()));
    }
    let known = recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account_id))
        .filter(recovery_code::Column::CodeHash.eq(hash))
        .one(db)
        .await?;
    Ok(Err(if known.is_some() {
        TotpError::CodeUsed
    } else {
        TotpError::WrongCode
    }))
}

async fn refuse_if_throttled(
    db: &impl ConnectionTrait,
    settings: &LoginSettings,
    attempt: &throttle::Attempt,
    now: DateTime<Utc>,
) -> Result<(), TotpError> {
    match throttle::retry_after(db, settings, attempt, now).await? {
        Some(retry_after_seconds) => Err(TotpError::Throttled {
            retry_after_seconds,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn rfc_6238_sha1_test_vectors() {
        // RFC 6238 appendix B, SHA-1, truncated to six digits; the secret is "12345678901234567890".
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        for (seconds, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (2_000_000_000, "279037"),
        ] {
            let at = Utc.timestamp_opt(seconds, 0).single().expect("time");
            assert_eq!(code_at(&secret, at).as_deref(), Some(code), "{seconds}");
        }
    }

    #[test]
    fn a_code_matches_its_own_step_and_its_neighbours_only() {
        let secret = Secret::Raw(vec![7; 20]).to_encoded().to_string();
        let now = Utc.timestamp_opt(1_800_000_000, 0).single().expect("time");
        let code = code_at(&secret, now).expect("code");
        let step = now.timestamp() / 30;
        assert_eq!(matching_step(&secret, &code, now), Some(step));
        let later = now + chrono::Duration::seconds(30);
        assert_eq!(matching_step(&secret, &code, later), Some(step));
        let much_later = now + chrono::Duration::seconds(90);
        assert_eq!(matching_step(&secret, &code, much_later), None);
    }

    #[test]
    fn typed_codes_are_read_leniently() {
        assert_eq!(six_digits(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(six_digits("12345"), None);
        assert_eq!(recovery_form("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(recovery_form("abcde-fghj1"), None);
        let code = new_recovery_code();
        assert_eq!(recovery_form(&display_recovery_code(&code)), Some(code));
    }

    #[test]
    fn the_uri_names_the_portal_and_the_account() {
        assert_eq!(
            otpauth_uri("JBSWY3DPEHPK3PXP", "anna lind"),
            "otpauth://totp/Skolportal:anna%20lind?secret=JBSWY3DPEHPK3PXP&issuer=Skolportal&algorithm=SHA1&digits=6&period=30"
        );
    }
}
