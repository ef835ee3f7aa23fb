//! The demo municipality "Solviks kommun", generated deterministically from a seed: schools
//! (F–9), preschools, a fritidshem, children with their guardians, staff and demo accounts —
//! including the cases the product must get right (separated guardians with joint custody, a
//! family with children in preschool, school and fritids, a foster child, and a child with
//! protected identity who must never appear). The same generator makes the benchmark scale.

mod generator;
mod lunch;
mod names;
mod pool;
mod rng;
mod schedules;
mod timetable;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

pub use generator::{generate, DemoAccount, DemoMunicipality};

use crate::entity::municipality;
use crate::population::import::{import_snapshot, ImportError, ImportReport};

/// How big a municipality to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// 2 schools, 2 preschools, 1 fritidshem, 300 children: for people to click through.
    Demo,
    /// About Stockholm: 100 000 pupils, 50 000 preschool children, ~250 000 guardians.
    Stockholm,
}

impl std::str::FromStr for Scale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "demo" => Ok(Self::Demo),
            "stockholm" => Ok(Self::Stockholm),
            other => Err(format!("unknown scale {other:?}; use demo or stockholm")),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct DemoOptions {
    pub seed: u64,
    pub scale: Scale,
    /// Decides the school year, and so which birth years go in which class, and the weeks that
    /// get schedules.
    pub today: NaiveDate,
    /// Write childcare schedules for the previous, current and next week of every placed child
    /// (`schedules`). The demo has them; most tests start without, so that what a test writes
    /// is all there is.
    pub schedules: bool,
}

/// The password every demo account gets (handed-out ones must be changed at first login).
pub const DEMO_PASSWORD: &str = "Solvik2026";
/// The TOTP secret of the demo staff accounts (base32), so that people trying the portal and
/// the tests can make their one-time codes. Staff reading pupils' data need one (DOMAIN.md 11).
pub const DEMO_TOTP_SECRET: &str = "SOLVIKDEMOSTAFFSECRETKEYFORTOTPS";
/// The demo accounts that are staff.
const STAFF_USERNAMES: &[&str] = &["larare", "forskola", "handlaggare", "rektor"];

/// The handed-out password of the account that must choose its own at first login.
pub const HANDED_OUT_PASSWORD: &str = "Byt1Direkt";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Pool(#[from] pool::PoolExhausted),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

pub enum SeedOutcome {
    Seeded {
        report: ImportReport,
        accounts: Vec<DemoAccount>,
    },
    AlreadySeeded,
}

/// Loads the demo municipality unless the database already has one.
pub async fn seed(
    db: &DatabaseConnection,
    options: DemoOptions,
    now: DateTime<Utc>,
) -> Result<SeedOutcome, DemoError> {
    if municipality::Entity::find().count(db).await? > 0 {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let demo = generate(options)?;
    let report = import_snapshot(db, demo.snapshot, None, now).await?;
    let staff: Vec<&str> = demo
        .accounts
        .iter()
        .filter(|a| a.totp_secret.is_some())
        .map(|a| a.username.as_str())
        .collect();
    if !staff.is_empty() {
        use sea_orm::{ColumnTrait, QueryFilter};
        crate::entity::user_account::Entity::update_many()
            .col_expr(
                crate::entity::user_account::Column::TotpSecret,
                sea_orm::sea_query::Expr::value(DEMO_TOTP_SECRET),
            )
            .filter(crate::entity::user_account::Column::Username.is_in(staff))
            .exec(db)
            .await?;
    }
    timetable::seed(db, report.municipality_id, options.seed, options.today, now).await?;
    lunch::seed(db, report.municipality_id, options.today, now).await?;
    if options.schedules {
        schedules::seed(db, report.municipality_id, options.seed, options.today, now).await?;
    }
    Ok(SeedOutcome::Seeded {
        report,
        accounts: demo.accounts,
    })
}

/// Demo accounts share two hashes, computed once per process: Argon2 is slow on purpose and the
/// tests seed many databases.
fn hashes() -> Result<(String, String), DemoError> {
    static HASHES: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    if let Some(h) = HASHES.get() {
        return Ok(h.clone());
    }
    let make = |pw: &str| -> Result<String, DemoError> {
        let pw =
            skolportal_shared::Password::parse(pw).map_err(|e| DemoError::Hash(e.to_string()))?;
        crate::auth::password::hash(&pw).map_err(|e| DemoError::Hash(e.to_string()))
    };
    let pair = (make(DEMO_PASSWORD)?, make(HANDED_OUT_PASSWORD)?);
    Ok(HASHES.get_or_init(|| pair).clone())
}
