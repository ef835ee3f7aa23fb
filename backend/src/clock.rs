//! The time as the domain sees it. Production reads the system clock; tests set it, so that rules
//! that depend on time (locks, deadlines, retention) are tested without waiting.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};

/// The portal's days are Swedish days. UTC+1 is within the hour that matters here and the tz
/// database is not worth its size for that.
const SWEDISH_OFFSET: chrono::Duration = chrono::Duration::hours(1);

/// The Swedish day `at` falls on.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    (at + SWEDISH_OFFSET).date_naive()
}

/// The Swedish wall-clock time at `at` (by the same rule as [`day_of`]).
pub fn local_time_of(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    (at + SWEDISH_OFFSET).naive_utc()
}

/// The instant a Swedish day begins (by the same rule as [`day_of`]).
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - SWEDISH_OFFSET
}

#[derive(Clone, Default)]
pub struct Clock {
    fixed: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            fixed: Arc::new(RwLock::new(Some(at))),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.fixed.read() {
            Ok(guard) => guard.unwrap_or_else(Utc::now),
            Err(poisoned) => poisoned.into_inner().unwrap_or_else(Utc::now),
        }
    }

    /// Today in the portal: its days are Swedish days.
    pub fn today(&self) -> NaiveDate {
        day_of(self.now())
    }

    /// Moves a fixed clock; a system clock becomes fixed at `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        match self.fixed.write() {
            Ok(mut guard) => *guard = Some(at),
            Err(poisoned) => *poisoned.into_inner() = Some(at),
        }
    }
}
