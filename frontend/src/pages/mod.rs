//! One component per route.

pub mod absence;
pub mod bankid_error;
pub mod childcare;
pub mod childcare_apply;
pub mod childcare_document;
pub mod childcare_offers;
pub mod childcare_termination;
pub mod children;
pub mod contact;
pub mod corrections;
pub mod day_sheet;
pub mod income_statement;
pub mod lists;
pub mod lunch;
pub mod not_found;
pub mod officer;
pub mod password;
pub mod pickup_persons;
pub mod pupil;
pub mod pupil_card;
pub mod register_extract;
pub mod schedule;
pub mod staff;
pub mod start;
pub mod timetable;
pub mod totp;
