//! Authentication: who is asking. Password hashing, password login with throttling and device
//! cookies, a second factor (one-time codes), and server-side sessions. BankID (OpenID Connect) comes with its own issue and ends in
//! the same `session::create`.

pub mod account;
pub mod device;
pub mod login;
pub mod password;
pub mod session;
pub mod throttle;
pub mod totp;
