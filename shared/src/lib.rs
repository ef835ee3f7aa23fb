//! What the browser and the server agree on: the types that cross the wire, and the pure domain
//! rules both sides apply (personnummer, the password policy, later the fee). Nothing here does I/O,
//! so the same code runs in the wasm client, in the server and in the served OpenAPI spec (the
//! poem-openapi derives sit behind the `openapi` feature that only the backend turns on).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod absence;
pub mod api;
pub mod attendance;
pub mod calendar;
pub mod consent;
pub mod contact;
pub mod cursor;
pub mod eligibility;
pub mod embed;
pub mod fee;
pub mod iup;
pub mod lang;
pub mod leave;
pub mod lunch;
pub mod pages;
pub mod password;
pub mod paths;
pub mod personnummer;
pub mod retention;
pub mod talk_booking;
pub mod talks;
pub mod theme;
pub mod timetable;
pub mod wire_date;

pub use password::{Password, PasswordError};
pub use personnummer::{Personnummer, PersonnummerError};
