//! The broker's OpenID Provider metadata (discovery, with its JWKS), fetched when first needed
//! and cached for ten minutes: a cache of public configuration, not user state.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::CoreProviderMetadata;
use openidconnect::IssuerUrl;
use tokio::sync::RwLock;

const TTL: Duration = Duration::from_secs(600);

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the BankID issuer URL is invalid: {0}")]
    Issuer(String),
    #[error("BankID discovery failed: {0}")]
    Discovery(String),
}

#[derive(Clone, Default)]
pub struct ProviderCache {
    inner: Arc<RwLock<Option<(CoreProviderMetadata, Instant)>>>,
}

/// An HTTP client for the broker that never follows redirects (a token or discovery answer that
/// redirects is an attack or a misconfiguration, never something to follow).
pub fn http_client() -> Result<openidconnect::reqwest::Client, ProviderError> {
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| ProviderError::Discovery(e.to_string()))
}

impl ProviderCache {
    pub async fn metadata(&self, issuer: &str) -> Result<CoreProviderMetadata, ProviderError> {
        if let Some((metadata, at)) = self.inner.read().await.as_ref() {
            if at.elapsed() < TTL && metadata.issuer().as_str() == issuer {
                return Ok(metadata.clone());
            }
        }
        let issuer_url =
            IssuerUrl::new(issuer.to_owned()).map_err(|e| ProviderError::Issuer(e.to_string()))?;
        let client = http_client()?;
        let metadata = CoreProviderMetadata::discover_async(issuer_url, &client)
            .await
            .map_err(|e| ProviderError::Discovery(e.to_string()))?;
        *self.inner.write().await = Some((metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    /// Forget the cached metadata (the broker may have rotated its keys).
    pub async fn invalidate(&self) {
        *self.inner.write().await = None;
    }
}
