//! The time as the domain sees it. Production reads the system clock; tests set it, so that rules
//! that depend on time (locks, deadlines, retention) are tested without waiting.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};

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
        // UTC+1 is within the hour that matters here and the tz database is not worth its size
        // for that.
        (self.now() + chrono::Duration::hours(1)).date_naive()
    }

    /// Moves a fixed clock; a system clock becomes fixed at `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        match self.fixed.write() {
            Ok(mut guard) => *guard = Some(at),
            Err(poisoned) => *poisoned.into_inner() = Some(at),
        }
    }
}
