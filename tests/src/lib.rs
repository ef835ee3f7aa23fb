//! Black-box test support: the real backend on a free port with a fresh database per test (a new
//! SQLite file, or a new database in the throwaway PostgreSQL cluster that `cargo xtask test`
//! starts), typed HTTP helpers, and a headless-Chromium harness.

pub mod app;
pub mod bankid;
pub mod browser;
pub mod fake_op;
pub mod mail;
pub mod pg;
pub mod process;
pub mod push;
pub mod ss12000_fixture;
pub mod ss12000_source;

pub use app::{Backend, TestApp, UserClient};
