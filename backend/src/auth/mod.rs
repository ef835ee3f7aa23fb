//! Authentication: password hashing today; sessions, login throttling and BankID come with the
//! login issues.

pub mod password;
