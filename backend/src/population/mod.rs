//! Who enters the portal. Everything about people arrives as a `Snapshot` (from the demo generator
//! today, from the SS 12000 import later) and goes through `admission` (protected identity is
//! refused at the door) and `import` (one transaction, all or nothing). Someone marked after
//! entering is removed by `forget` (the sync calls it); `keys` holds the per-person keys that
//! make their rows in the append-only tables unreadable once removed.

pub mod admission;
pub mod forget;
pub mod import;
pub mod keys;
pub mod reconcile;
pub mod snapshot;
