//! Who enters the portal. Everything about people arrives as a `Snapshot` (from the demo generator
//! today, from the SS 12000 import later) and goes through `admission` (protected identity is
//! refused at the door) and `import` (one transaction, all or nothing).
//! `keys` holds the per-person keys for the append-only tables (crypto-shredding).

pub mod admission;
pub mod import;
pub mod keys;
pub mod reconcile;
pub mod snapshot;
