//! Notices by Web Push: the server's VAPID key (RFC 8292), shared by every instance through the
//! database, and one encrypted message (RFC 8291) to one browser's push service.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::p256::PublicKey;
use web_push_native::{Auth, WebPushBuilder};

use crate::entity::push_subscription;
use crate::entity::server_key::{self, KeyName};

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The stored VAPID key does not read as one (written by hand?).
    #[error("the stored VAPID key is not a P-256 private key")]
    BadServerKey,
    /// The browser's keys or endpoint do not read: the subscription is of no use.
    #[error("the push subscription is not valid")]
    BadSubscription,
    #[error("the push message could not be built: {0}")]
    Build(String),
    /// The push service could not be reached, or asked to try later.
    #[error("the push service did not take the message: {0}")]
    NotDelivered(String),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// What the push service said of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Accepted,
    /// 404 or 410: the browser unsubscribed, or the subscription expired.
    Gone,
    /// Another 4xx: this message will never be taken; retrying does not help.
    Refused(u16),
}

/// The VAPID key pair: the stored one, or a new one made and stored by whichever instance asks
/// first (a conflicting insert keeps the other instance's key, and both read that).
pub async fn vapid_key(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<ES256KeyPair, PushError> {
    if let Some(stored) = server_key::Entity::find_by_id(KeyName::Vapid)
        .one(db)
        .await?
    {
        return key_from(&stored.secret);
    }
    let made = ES256KeyPair::generate();
    server_key::Entity::insert(server_key::ActiveModel {
        name: Set(KeyName::Vapid),
        secret: Set(URL_SAFE_NO_PAD.encode(made.to_bytes())),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(server_key::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored = server_key::Entity::find_by_id(KeyName::Vapid)
        .one(db)
        .await?
        .ok_or(PushError::BadServerKey)?;
    key_from(&stored.secret)
}

fn key_from(secret: &str) -> Result<ES256KeyPair, PushError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(secret)
        .map_err(|_| PushError::BadServerKey)?;
    ES256KeyPair::from_bytes(&bytes).map_err(|_| PushError::BadServerKey)
}

/// The public key browsers subscribe with: the uncompressed point, base64url.
pub fn public_key_of(key: &ES256KeyPair) -> String {
    URL_SAFE_NO_PAD.encode(key.public_key().public_key().to_bytes_uncompressed())
}

/// Whether a browser's subscription reads as one: an https endpoint (http on loopback, for the
/// tests' push service), a P-256 point and a 16-byte secret.
pub fn check_subscription(endpoint: &str, p256dh: &str, auth: &str) -> Result<(), PushError> {
    let url = url::Url::parse(endpoint).map_err(|_| PushError::BadSubscription)?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if !(url.scheme() == "https" || (url.scheme() == "http" && loopback)) || endpoint.len() > 2048 {
        return Err(PushError::BadSubscription);
    }
    let point = URL_SAFE_NO_PAD
        .decode(p256dh)
        .map_err(|_| PushError::BadSubscription)?;
    PublicKey::from_sec1_bytes(&point).map_err(|_| PushError::BadSubscription)?;
    let secret = URL_SAFE_NO_PAD
        .decode(auth)
        .map_err(|_| PushError::BadSubscription)?;
    if secret.len() != 16 {
        return Err(PushError::BadSubscription);
    }
    Ok(())
}

/// Sends `payload` to one browser. `topic` lets the push service replace a message it has not
/// yet delivered with a repeat of it rather than deliver both.
pub async fn send(
    http: &openidconnect::reqwest::Client,
    key: &ES256KeyPair,
    contact: &str,
    subscription: &push_subscription::Model,
    payload: &[u8],
    topic: &str,
    ttl: Duration,
) -> Result<Sent, PushError> {
    check_subscription(
        &subscription.endpoint,
        &subscription.p256dh,
        &subscription.auth,
    )?;
    let endpoint = subscription
        .endpoint
        .parse()
        .map_err(|_| PushError::BadSubscription)?;
    let point = URL_SAFE_NO_PAD
        .decode(&subscription.p256dh)
        .map_err(|_| PushError::BadSubscription)?;
    let ua_public = PublicKey::from_sec1_bytes(&point).map_err(|_| PushError::BadSubscription)?;
    let secret = URL_SAFE_NO_PAD
        .decode(&subscription.auth)
        .map_err(|_| PushError::BadSubscription)?;
    let request = WebPushBuilder::new(endpoint, ua_public, Auth::clone_from_slice(&secret))
        .with_valid_duration(ttl)
        .with_vapid(key, contact)
        .build(payload.to_vec())
        .map_err(|e| PushError::Build(e.to_string()))?;
    let (parts, body) = request.into_parts();
    let mut outgoing = http
        .post(subscription.endpoint.as_str())
        .header("Topic", topic)
        .header("Urgency", "high")
        .timeout(Duration::from_secs(20))
        .body(body);
    for (name, value) in &parts.headers {
        outgoing = outgoing.header(name.as_str(), value.as_bytes());
    }
    let answer = outgoing
        .send()
        .await
        .map_err(|e| PushError::NotDelivered(e.without_url().to_string()))?;
    let status = answer.status().as_u16();
    match status {
        200..=299 => Ok(Sent::Accepted),
        404 | 410 => Ok(Sent::Gone),
        429 | 500..=599 => Err(PushError::NotDelivered(format!("status {status}"))),
        _ => Ok(Sent::Refused(status)),
    }
}
