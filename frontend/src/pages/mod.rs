//! One component per route.

pub mod children;
pub mod contact;
pub mod login;
pub mod not_found;
pub mod password;
pub mod pupil_card;
pub mod staff;
pub mod start;
