//! Background jobs every instance runs. Each job is one idempotent, conditional UPDATE, so any
//! number of instances may run them at once: nothing is held in memory between runs.

use std::time::Duration;

use crate::auth::{device, throttle};
use crate::childcare::offers;
use crate::state::AppState;

/// How often the jobs run.
pub const INTERVAL: Duration = Duration::from_secs(60);

/// Stops the jobs when dropped (when the server stops, or its task is aborted).
pub struct Jobs(tokio::task::JoinHandle<()>);

impl Drop for Jobs {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the periodic jobs: placement offers past their deadline lapse; login attempts and
/// trusted browsers that no longer count are forgotten.
pub fn spawn(state: AppState) -> Jobs {
    Jobs(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(err) = offers::lapse_due(&state.db, state.clock.now()).await {
                tracing::warn!(%err, "the offer lapse job failed; it runs again shortly");
            }
            let now = state.clock.now();
            if let Err(err) = throttle::forget_old(&state.db, &state.settings.login, now).await {
                tracing::warn!(%err, "forgetting old login attempts failed; it runs again shortly");
            }
            if let Err(err) = device::forget_expired(&state.db, now).await {
                tracing::warn!(%err, "forgetting expired login devices failed; it runs again shortly");
            }
        }
    }))
}
