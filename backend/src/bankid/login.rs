//! The BankID login: `start` makes a pending login (state, nonce, PKCE verifier in the database)
//! and the broker's authorization URL; `finish` takes the callback, consumes the pending login
//! exactly once, exchanges the code, verifies the ID token (signature, issuer, audience, expiry,
//! nonce), requires an accepted `acr`, reads the personnummer from the configured claim, finds the
//! person and opens a session. Every refusal has a code the login page explains in Swedish.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthType, AuthenticationContextClass, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use skolportal_shared::Personnummer;
use uuid::Uuid;

use super::keys::PortalKey;
use super::provider::{http_client, ProviderCache, ProviderError};
use crate::auth::session::{self, NewSession};
use crate::entity::session::AuthMethod;
use crate::entity::{pending_login, person};
use crate::settings::{BankIdSettings, ClientAuth, Settings};

pub const PERSONNUMMER_SCOPE: &str = "https://id.oidc.se/scope/naturalPersonNumber";
const PENDING_TTL_MINUTES: i64 = 10;

/// Why a BankID login was refused. `code()` is what the login page explains.
#[derive(Debug, thiserror::Error)]
pub enum BankIdError {
    #[error("BankID is not reachable: {0}")]
    Unavailable(String),
    #[error("unknown or already used state")]
    WrongState,
    #[error("the login took too long")]
    Expired,
    #[error("the user cancelled or the broker refused: {0}")]
    Cancelled(String),
    #[error("the code exchange failed: {0}")]
    Exchange(String),
    #[error("the ID token is invalid: {0}")]
    InvalidToken(String),
    #[error("the assurance level is too low")]
    LowAssurance,
    #[error("no personnummer in the ID token")]
    NoPersonnummer,
    #[error("the person is not known to the portal")]
    UnknownPerson,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Session(#[from] session::SessionError),
}

impl BankIdError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "unavailable",
            Self::WrongState => "wrong_state",
            Self::Expired => "expired",
            Self::Cancelled(_) => "cancelled",
            Self::Exchange(_) | Self::InvalidToken(_) => "invalid_token",
            Self::LowAssurance => "low_assurance",
            Self::NoPersonnummer | Self::UnknownPerson => "unknown_person",
            Self::Database(_) | Self::Session(_) => "unavailable",
        }
    }
}

impl From<ProviderError> for BankIdError {
    fn from(err: ProviderError) -> Self {
        Self::Unavailable(err.to_string())
    }
}

/// Where the flow ends: a page of this site (`paths::safe_return_to`, never an open redirect),
/// else the start page.
pub fn safe_return_to(candidate: Option<&str>) -> String {
    candidate
        .and_then(skolportal_shared::paths::safe_return_to)
        .unwrap_or("/")
        .to_owned()
}

pub const LOGIN_CALLBACK: &str = "/api/auth/bankid/callback";

pub fn redirect_url(settings: &Settings, path: &str) -> Result<RedirectUrl, BankIdError> {
    RedirectUrl::new(format!(
        "{}{path}",
        settings.server.public_base_url.trim_end_matches('/')
    ))
    .map_err(|e| BankIdError::Unavailable(e.to_string()))
}

pub fn client_secret(settings: &BankIdSettings) -> Option<ClientSecret> {
    match settings.client_auth {
        ClientAuth::ClientSecret => settings
            .client_secret
            .as_ref()
            .map(|s| ClientSecret::new(s.expose().to_owned())),
        ClientAuth::PrivateKeyJwt => None,
    }
}

/// Creates the pending login and returns the broker URL to send the browser to.
pub async fn start(
    db: &sea_orm::DatabaseConnection,
    settings: &Settings,
    provider: &ProviderCache,
    return_to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, BankIdError> {
    let metadata = provider.metadata(&settings.bankid.issuer_url).await?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.bankid.client_id.clone()),
        client_secret(&settings.bankid),
    )
    .set_redirect_uri(redirect_url(settings, LOGIN_CALLBACK)?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new(PERSONNUMMER_SCOPE.into()))
        .set_pkce_challenge(challenge);
    for acr in &settings.bankid.accepted_acr {
        request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
    }
    let (url, state, nonce) = request.url();
    pending_login::Entity::insert(pending_login::ActiveModel {
        id: Set(state.secret().clone()),
        nonce: Set(nonce.secret().clone()),
        pkce_verifier: Set(verifier.secret().clone()),
        purpose: Set("login".into()),
        return_to: Set(safe_return_to(return_to)),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(PENDING_TTL_MINUTES)),
        consumed_at: Set(None),
        document_id: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(url.to_string())
}

/// What the callback carried.
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
}

pub struct LoggedIn {
    pub session: NewSession,
    pub return_to: String,
    pub person_id: Uuid,
}

/// Marks the pending login used; only the first caller gets it.
pub async fn consume(
    db: &sea_orm::DatabaseConnection,
    state: &str,
    now: DateTime<Utc>,
) -> Result<pending_login::Model, BankIdError> {
    if state.is_empty() || state.len() > 64 {
        return Err(BankIdError::WrongState);
    }
    let taken = pending_login::Entity::update_many()
        .col_expr(pending_login::Column::ConsumedAt, Expr::value(now))
        .filter(pending_login::Column::Id.eq(state))
        .filter(pending_login::Column::ConsumedAt.is_null())
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Err(BankIdError::WrongState);
    }
    let pending = pending_login::Entity::find_by_id(state.to_owned())
        .one(db)
        .await?
        .ok_or(BankIdError::WrongState)?;
    if pending.expires_at <= now {
        return Err(BankIdError::Expired);
    }
    Ok(pending)
}

/// The private_key_jwt client assertion (RFC 7523) for the token endpoint.
fn client_assertion(
    key: &PortalKey,
    client_id: &str,
    audience: &str,
    now: DateTime<Utc>,
) -> String {
    key.sign_jwt(&serde_json::json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "jti": Uuid::new_v4().to_string(),
        "iat": now.timestamp(),
        "exp": now.timestamp() + 60,
    }))
}

/// The ID token's payload as JSON, for the profile's claims the core types do not know. Only read
/// after the token's signature has been verified.
fn payload_json(raw: &str) -> Result<serde_json::Value, BankIdError> {
    let payload = raw
        .split('.')
        .nth(1)
        .ok_or_else(|| BankIdError::InvalidToken("not a JWS".into()))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| BankIdError::InvalidToken(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| BankIdError::InvalidToken(e.to_string()))
}

/// A verified ID token from the broker.
pub struct VerifiedIdToken {
    pub raw: String,
    pub claims: serde_json::Value,
    pub personnummer: Personnummer,
    pub acr: String,
}

/// Exchanges the code and verifies the ID token against the pending login's nonce and verifier.
pub async fn exchange_and_verify(
    settings: &Settings,
    provider: &ProviderCache,
    key: &PortalKey,
    pending: &pending_login::Model,
    code: &str,
    redirect_path: &str,
) -> Result<VerifiedIdToken, BankIdError> {
    let metadata = provider.metadata(&settings.bankid.issuer_url).await?;
    let token_url = metadata
        .token_endpoint()
        .map(|u| u.to_string())
        .ok_or_else(|| BankIdError::Unavailable("the broker has no token endpoint".into()))?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.bankid.client_id.clone()),
        client_secret(&settings.bankid),
    )
    .set_redirect_uri(redirect_url(settings, redirect_path)?)
    .set_auth_type(match settings.bankid.client_auth {
        ClientAuth::ClientSecret => AuthType::BasicAuth,
        ClientAuth::PrivateKeyJwt => AuthType::RequestBody,
    });
    let mut request = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| BankIdError::Unavailable(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()));
    if settings.bankid.client_auth == ClientAuth::PrivateKeyJwt {
        request = request
            .add_extra_param(
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            )
            .add_extra_param(
                "client_assertion",
                // Protocol time, checked by the broker against its own clock: always the wall
                // clock, never the domain clock (which tests move).
                client_assertion(key, &settings.bankid.client_id, &token_url, Utc::now()),
            );
    }
    let http = http_client()?;
    let response = request
        .request_async(&http)
        .await
        .map_err(|e| BankIdError::Exchange(e.to_string()))?;
    let id_token = response
        .id_token()
        .ok_or_else(|| BankIdError::InvalidToken("no ID token in the answer".into()))?;
    let verifier = client.id_token_verifier();
    let nonce = Nonce::new(pending.nonce.clone());
    let claims = match id_token.claims(&verifier, &nonce) {
        Ok(claims) => claims,
        Err(err) => {
            // The broker may have rotated its keys since we cached them; the next login refetches.
            provider.invalidate().await;
            return Err(BankIdError::InvalidToken(err.to_string()));
        }
    };
    let acr = claims
        .auth_context_ref()
        .map(|a| a.to_string())
        .unwrap_or_default();
    if !settings.bankid.accepted_acr.contains(&acr) {
        return Err(BankIdError::LowAssurance);
    }
    let raw = id_token.to_string();
    let json = payload_json(&raw)?;
    let number = json
        .get(&settings.bankid.personnummer_claim)
        .or_else(|| json.get("https://id.oidc.se/claim/coordinationNumber"))
        .and_then(|v| v.as_str())
        .ok_or(BankIdError::NoPersonnummer)?;
    let personnummer = Personnummer::parse(number).map_err(|_| BankIdError::NoPersonnummer)?;
    Ok(VerifiedIdToken {
        raw,
        claims: json,
        personnummer,
        acr,
    })
}

/// Finishes a login from the broker's callback.
pub async fn finish(
    db: &sea_orm::DatabaseConnection,
    settings: &Settings,
    provider: &ProviderCache,
    key: &PortalKey,
    callback: Callback,
    now: DateTime<Utc>,
) -> Result<LoggedIn, BankIdError> {
    let pending = consume(db, callback.state.as_deref().unwrap_or_default(), now).await?;
    if pending.purpose != "login" {
        return Err(BankIdError::WrongState);
    }
    if let Some(error) = callback.error {
        return Err(BankIdError::Cancelled(error));
    }
    let code = callback
        .code
        .ok_or_else(|| BankIdError::Cancelled("no code".into()))?;
    let token =
        exchange_and_verify(settings, provider, key, &pending, &code, LOGIN_CALLBACK).await?;
    // A person with protected identity was never stored, so they are refused exactly like an
    // unknown person: the answer reveals nothing.
    let municipality =
        crate::municipality::current(db, settings.server.municipality_code.as_deref())
            .await
            .map_err(|e| BankIdError::Unavailable(e.to_string()))?;
    let person = person::Entity::find()
        .filter(person::Column::MunicipalityId.eq(municipality.id))
        .filter(person::Column::Personnummer.eq(token.personnummer.as_str()))
        .one(db)
        .await?
        .ok_or(BankIdError::UnknownPerson)?;
    let session = session::create(
        db,
        &settings.session,
        person.id,
        person.municipality_id,
        AuthMethod::Bankid,
        false,
        now,
    )
    .await?;
    Ok(LoggedIn {
        session,
        return_to: pending.return_to,
        person_id: person.id,
    })
}

#[cfg(test)]
mod tests {
    use super::safe_return_to;

    #[test]
    fn a_page_of_the_portal_is_returned_to_and_anything_else_goes_to_the_start_page() {
        assert_eq!(safe_return_to(Some("/barnomsorg")), "/barnomsorg");
        assert_eq!(safe_return_to(Some("//evil.example/")), "/");
        assert_eq!(safe_return_to(None), "/");
    }
}
