//! BankID over OpenID Connect (the Swedish profile, oidc.se): login now, signing with the
//! Signature Extension next. The flow's state lives in the database (`pending_login`), so any
//! instance can take the callback.
//!
//! `keys` is the portal's own signing key (client assertions, sign requests) and its public JWKS;
//! `provider` finds and caches the broker's metadata; `login` runs the authorization code flow
//! with PKCE and decides who logged in.

pub mod keys;
pub mod login;
pub mod provider;
pub mod signing;
