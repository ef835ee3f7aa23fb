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
const STAFF_USERNAMES: &[&str] = &["larare", "forskola", "handlaggare", "rektor", "admin"];
/// The demo account that is the municipality's administrator.
pub const ADMINISTRATOR_USERNAME: &str = "admin";

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
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    /// The sync from the source did not complete; its error or outcome.
    #[error("the demo could not be read from the SS 12000 source: {0}")]
    Source(String),
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
    finish(db, &demo.accounts, report.municipality_id, options, now).await?;
    Ok(SeedOutcome::Seeded {
        report,
        accounts: demo.accounts,
    })
}

/// What the demo has besides the source's data: the staff's one-time-code secret, timetables,
/// lunch menus and (at the demo scale) childcare schedules.
async fn finish(
    db: &DatabaseConnection,
    accounts: &[DemoAccount],
    municipality_id: uuid::Uuid,
    options: DemoOptions,
    now: DateTime<Utc>,
) -> Result<(), DemoError> {
    let staff: Vec<&str> = accounts
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
    // The administrator's role is the portal's own, so it is granted here, not by the source.
    {
        use sea_orm::{ColumnTrait, QueryFilter};
        let admin = crate::entity::user_account::Entity::find()
            .filter(crate::entity::user_account::Column::Username.eq(ADMINISTRATOR_USERNAME))
            .one(db)
            .await?;
        if let Some(admin) = admin {
            crate::entity::municipality_administrator::Entity::insert(
                crate::entity::municipality_administrator::ActiveModel {
                    municipality_id: sea_orm::ActiveValue::Set(municipality_id),
                    person_id: sea_orm::ActiveValue::Set(admin.person_id),
                    granted_at: sea_orm::ActiveValue::Set(now),
                },
            )
            .exec_without_returning(db)
            .await?;
        }
    }
    timetable::seed(db, municipality_id, options.seed, options.today, now).await?;
    lunch::seed(db, municipality_id, options.today, now).await?;
    if options.schedules {
        schedules::seed(db, municipality_id, options.seed, options.today, now).await?;
    }
    Ok(())
}

/// Loads the demo municipality through the real sync path: the municipality and its terms
/// first, then a full SS 12000 sync from `client` (a source serving the same demo, the local
/// one of `cargo xtask run`), then what the source does not carry: the units' hours and places
/// as the administrator sets them, the demo's accounts, and [`finish`]'s additions. Unless the
/// database already has a municipality.
pub async fn seed_through_source(
    db: &DatabaseConnection,
    options: DemoOptions,
    client: &crate::ss12000::Ss12000Client,
    now: DateTime<Utc>,
) -> Result<SeedOutcome, DemoError> {
    use sea_orm::{ColumnTrait, QueryFilter, TransactionTrait};
    if municipality::Entity::find().count(db).await? > 0 {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let demo = generate(options)?;
    let only_municipality = crate::population::snapshot::Snapshot {
        municipality: demo.snapshot.municipality.clone(),
        ..Default::default()
    };
    let municipality_id = import_snapshot(db, only_municipality, None, now)
        .await?
        .municipality_id;
    let txn = db.begin().await?;
    let request =
        crate::sync::SyncRequest::scheduled(crate::entity::source_sync_run::SyncScope::Full);
    // Everything is new: nothing to hold a removal against.
    let run = crate::sync::run(&txn, client, municipality_id, request, 1.0, now).await?;
    txn.commit().await?;
    if run.outcome != crate::entity::source_sync_run::SyncOutcome::Completed {
        return Err(DemoError::Source(
            run.error.unwrap_or_else(|| format!("{:?}", run.outcome)),
        ));
    }
    for u in &demo.snapshot.units {
        crate::entity::unit::Entity::update_many()
            .col_expr(
                crate::entity::unit::Column::OpensAt,
                sea_orm::sea_query::Expr::value(u.opens_at),
            )
            .col_expr(
                crate::entity::unit::Column::ClosesAt,
                sea_orm::sea_query::Expr::value(u.closes_at),
            )
            .col_expr(
                crate::entity::unit::Column::ScheduleLockWorkingDays,
                sea_orm::sea_query::Expr::value(u.schedule_lock_working_days),
            )
            .col_expr(
                crate::entity::unit::Column::Capacity,
                sea_orm::sea_query::Expr::value(u.capacity),
            )
            .filter(crate::entity::unit::Column::MunicipalityId.eq(municipality_id))
            .filter(crate::entity::unit::Column::ExternalId.eq(u.source_id.as_str()))
            .exec(db)
            .await?;
    }
    let (accounts, _) = crate::population::import::add_accounts(
        db,
        municipality_id,
        demo.snapshot.accounts.clone(),
        now,
    )
    .await?;
    finish(db, &demo.accounts, municipality_id, options, now).await?;
    let counts: crate::sync::SyncCounts = run
        .report
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    let r = &counts.reconciled;
    let report = ImportReport {
        municipality_id,
        persons: r.persons.added,
        refused_protected: r.refused_protected,
        refused_invalid: r.refused_invalid,
        guardianships: r.guardianships.added,
        units: r.units.added,
        groups: r.groups.added,
        placements: r.placements.added,
        enrolments: r.enrolments.added,
        duties: r.duties.added,
        accounts,
        ..Default::default()
    };
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
