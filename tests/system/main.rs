//! All black-box tests, one binary (every extra test binary costs a link on 2 cores). Each test
//! starts the real backend on a free port with a fresh database; `cargo xtask test` runs this
//! binary once on SQLite and once on PostgreSQL.

// A test that cannot unwrap has failed; the panic message is the report.
#![allow(clippy::unwrap_used)]

mod absence;
mod absence_ui;
mod access;
mod administration;
mod applications;
mod attendance;
mod attendance_stats;
mod auth;
mod bankid;
mod childcare;
mod childcare_flows;
mod consent;
mod consent_ui;
mod database_outage;
mod demo_data;
mod embedding;
mod extract;
mod forget;
mod grades;
mod grades_ui;
mod http_surface;
mod iup;
mod iup_ui;
mod jobs;
mod kiosk;
mod languages;
mod leave;
mod leave_ui;
mod limits;
mod lists;
mod login_throttle;
mod lunch;
mod notices;
mod notices_ui;
mod officer;
mod pages;
mod paging;
mod pwa;
mod restart;
mod retention;
mod robustness;
mod schedule;
mod schedule_ui;
mod second_factor;
mod source_sync;
mod spa;
mod start;
mod sync;
mod talk_booking;
mod talk_booking_ui;
mod talks;
mod talks_ui;
mod timetable;
mod timetable_ui;
mod ui;
mod write_back;
