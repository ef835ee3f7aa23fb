//! What every handler gets: the database, the settings and the clock. Nothing about a user or a
//! session lives in memory, so any instance can answer any request.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::bankid::keys::PortalKey;
use crate::bankid::provider::ProviderCache;
use crate::clock::Clock;
use crate::family_start::StartReader;
use crate::people::ChildrenReader;
use crate::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    /// The portal's own signing key (BankID client assertions and sign requests).
    pub portal_key: PortalKey,
    /// The BankID broker's public metadata, cached.
    pub bankid_provider: ProviderCache,
    /// "Mina barn", read for concurrent requests together.
    pub children: ChildrenReader,
    /// A family's start page, read for concurrent requests together.
    pub start: StartReader,
}
