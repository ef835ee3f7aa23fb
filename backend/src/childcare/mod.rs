//! Childcare e-services for guardians. Every document a guardian signs (income statement, answer
//! to a placement offer, termination) is a `childcare_document` with fixed bytes and a fixed
//! Swedish text, signed through `bankid::signing`.

pub mod applications;
pub mod documents;
pub mod effects;
pub mod income;
pub mod kiosk;
pub mod offers;
pub mod payload;
pub mod pickup;
pub mod schedule;
pub mod signatures;
pub mod termination;
