//! The Skolportal server: the HTTP API (poem + poem-openapi), the SPA's static files, the database
//! (sea-orm; SQLite embedded, PostgreSQL in production) and the domain services behind them.
//!
//! Map: `startup` assembles the application, `http` is the edge (errors, middleware, static files),
//! `api` holds the thin handlers, `entity` the tables, and each domain rule has one module of its
//! own (`population::admission` for protected identity, `municipality` for settings). See
//! ARCHITECTURE.md at the repository root.

pub mod administration;
pub mod api;
pub mod auth;
pub mod bankid;
pub mod childcare;
pub mod clock;
pub mod coalesce;
pub mod corrections;
pub mod db;
pub mod demo;
pub mod entity;
pub mod family_start;
pub mod http;
pub mod jobs;
pub mod municipality;
pub mod notices;
pub mod people;
pub mod policy;
pub mod population;
pub mod public_units;
pub mod register_extract;
pub mod retention;
pub mod school;
pub mod settings;
pub mod ss12000;
pub mod startup;
pub mod state;
pub mod sync;
pub mod telemetry;
