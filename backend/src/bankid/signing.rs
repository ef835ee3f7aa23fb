//! Signing with BankID through the Swedish OIDC Signature Extension (docs/rules.md rules 23–24): the
//! authorization request carries a `signRequest` JWT, signed with the portal's key, holding the
//! document's exact bytes (`tbs_data`) and the Swedish text shown to the signer; the `claims`
//! parameter pins the signer's personnummer. The returned ID token must carry `userSignature`
//! and `auth_time`; the evidence is written append-only, once per signer and document.
//!
//! Only a BankID session may start a signature (docs/rules.md rule 2); the callback checks again that
//! the person who signed is the person whose session asked.

use base64::Engine;
use chrono::{DateTime, Duration, TimeZone, Utc};
use openidconnect::core::{CoreAuthPrompt, CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthenticationContextClass, ClientId, CsrfToken, Nonce, PkceCodeChallenge, Scope,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};
use sha2::{Digest, Sha256};
use skolportal_shared::api::DocumentStatus;
use uuid::Uuid;

use super::keys::PortalKey;
use super::login::{self, client_secret, redirect_url, BankIdError, PERSONNUMMER_SCOPE};
use super::provider::ProviderCache;
use crate::auth::session::SessionUser;
use crate::childcare::effects::{self, EffectError};
use crate::childcare::signatures;
use crate::entity::{childcare_document, pending_login, person};
use crate::policy::{DocumentAction, Permit, PolicyError};
use crate::population::keys;
use crate::settings::Settings;

pub const SIGN_CALLBACK: &str = "/api/sign/callback";
const SIGN_SCOPE: &str = "https://id.oidc.se/scope/sign";
const SIGN_REQUEST_PARAM: &str = "https://id.oidc.se/param/signRequest";
const USER_SIGNATURE_CLAIM: &str = "https://id.oidc.se/claim/userSignature";

#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error("signing needs a BankID session")]
    BankIdRequired,
    #[error("the document is already signed")]
    AlreadySigned,
    #[error("the person who signed is not the one who asked")]
    WrongSigner,
    #[error("the ID token carries no userSignature")]
    NoSignature,
    #[error("no session came back with the signature")]
    SessionLost,
    /// The document can no longer take effect (for example the offer lapsed); the code says why.
    #[error("{1}")]
    Refused(&'static str, String),
    #[error(transparent)]
    BankId(#[from] BankIdError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl From<EffectError> for SigningError {
    fn from(err: EffectError) -> Self {
        match err {
            EffectError::Refused { code, message } => Self::Refused(code, message),
            EffectError::Database(e) => Self::Database(e),
        }
    }
}

impl From<PolicyError> for SigningError {
    /// Signing is asked of a document the person may read (checked first); what is left to
    /// refuse is a login too weak for a signature, or a document that is not theirs to sign.
    fn from(err: PolicyError) -> Self {
        match err {
            PolicyError::StepUpRequired { .. } => Self::BankIdRequired,
            PolicyError::NotFound => Self::WrongSigner,
            PolicyError::Database(e) => Self::Database(e),
        }
    }
}

impl SigningError {
    /// The code the document page explains.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BankIdRequired => "bankid_required",
            Self::AlreadySigned => "already_signed",
            Self::WrongSigner => "wrong_signer",
            Self::NoSignature => "no_signature",
            Self::SessionLost => "session_lost",
            Self::Refused(code, _) => code,
            Self::BankId(e) => e.code(),
            Self::Database(_) => "unavailable",
        }
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Starts signing `document` as the permit's holder; returns the broker URL.
pub async fn start(
    db: &DatabaseConnection,
    settings: &Settings,
    provider: &ProviderCache,
    key: &PortalKey,
    permit: &Permit<DocumentAction>,
    document: &childcare_document::Model,
    now: DateTime<Utc>,
) -> Result<String, SigningError> {
    let user = permit.actor();
    if document.status == DocumentStatus::Signed {
        return Err(SigningError::AlreadySigned);
    }
    // Only someone who must sign, and has not yet (the other guardian signs their own turn).
    if !signatures::required_signers(db, document, crate::clock::day_of(now))
        .await?
        .contains(&user.person_id)
    {
        return Err(SigningError::WrongSigner);
    }
    if keys::has_signed(db, document.id, user.person_id).await? {
        return Err(SigningError::AlreadySigned);
    }
    effects::check(db, document, now).await?;
    let signer = person::Entity::find_by_id(user.person_id)
        .one(db)
        .await?
        .ok_or(SigningError::SessionLost)?;
    let metadata = provider
        .metadata(&settings.bankid.issuer_url)
        .await
        .map_err(BankIdError::from)?;
    let issuer = metadata.issuer().to_string();
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.bankid.client_id.clone()),
        client_secret(&settings.bankid),
    )
    .set_redirect_uri(redirect_url(settings, SIGN_CALLBACK)?);
    // The broker checks iat/exp against its own clock: wall-clock time, not the domain clock.
    let wall = Utc::now();
    let sign_request = key.sign_jwt(&serde_json::json!({
        "iss": settings.bankid.client_id,
        "aud": issuer,
        "iat": wall.timestamp(),
        "exp": wall.timestamp() + 600,
        "tbs_data": b64(document.document_bytes.as_bytes()),
        "sign_message": {
            "message#sv": b64(document.sign_text.as_bytes()),
            "mime_type": "text/plain",
        },
    }));
    let claims = serde_json::json!({"id_token": {
        settings.bankid.personnummer_claim.clone(): {"essential": true, "value": signer.personnummer},
    }});
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new(PERSONNUMMER_SCOPE.into()))
        .add_scope(Scope::new(SIGN_SCOPE.into()))
        .add_prompt(CoreAuthPrompt::Login)
        .add_prompt(CoreAuthPrompt::Consent)
        .add_extra_param("claims", claims.to_string())
        .add_extra_param(SIGN_REQUEST_PARAM, sign_request)
        .set_pkce_challenge(challenge);
    for acr in &settings.bankid.accepted_acr {
        request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
    }
    let (url, state, nonce) = request.url();
    pending_login::Entity::insert(pending_login::ActiveModel {
        id: Set(state.secret().clone()),
        nonce: Set(nonce.secret().clone()),
        pkce_verifier: Set(verifier.secret().clone()),
        purpose: Set("sign".into()),
        return_to: Set(format!("/barnomsorg/dokument/{}", document.id)),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(10)),
        consumed_at: Set(None),
        document_id: Set(Some(document.id)),
    })
    .exec_without_returning(db)
    .await?;
    Ok(url.to_string())
}

/// Where the document page is, whatever happened.
pub struct Signed {
    pub document_id: Uuid,
    pub return_to: String,
}

/// Finishes a signature from the broker's callback: verifies, then writes the evidence and marks
/// the document signed in one transaction. A repeated callback for a document this person has
/// already signed stores nothing new.
#[allow(clippy::too_many_arguments)]
pub async fn finish(
    db: &DatabaseConnection,
    settings: &Settings,
    provider: &ProviderCache,
    key: &PortalKey,
    user: Option<&SessionUser>,
    callback: login::Callback,
    now: DateTime<Utc>,
) -> Result<Signed, (Option<Uuid>, SigningError)> {
    let pending = login::consume(db, callback.state.as_deref().unwrap_or_default(), now)
        .await
        .map_err(|e| (None, e.into()))?;
    let document_id = match (pending.purpose.as_str(), pending.document_id) {
        ("sign", Some(id)) => id,
        _ => return Err((None, BankIdError::WrongState.into())),
    };
    let fail = |e: SigningError| (Some(document_id), e);
    if let Some(error) = callback.error {
        return Err(fail(BankIdError::Cancelled(error).into()));
    }
    let user = user.ok_or_else(|| fail(SigningError::SessionLost))?;
    let code = callback
        .code
        .ok_or_else(|| fail(BankIdError::Cancelled("no code".into()).into()))?;
    let token = login::exchange_and_verify(settings, provider, key, &pending, &code, SIGN_CALLBACK)
        .await
        .map_err(|e| fail(e.into()))?;
    let signer = person::Entity::find_by_id(user.person_id)
        .one(db)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(|| fail(SigningError::SessionLost))?;
    if signer.personnummer != token.personnummer.as_str() {
        return Err(fail(SigningError::WrongSigner));
    }
    let user_signature = token
        .claims
        .get(USER_SIGNATURE_CLAIM)
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| fail(SigningError::NoSignature))?
        .to_owned();
    let auth_time = token
        .claims
        .get("auth_time")
        .and_then(|v| v.as_i64())
        .and_then(|t| Utc.timestamp_opt(t, 0).single())
        .ok_or_else(|| fail(SigningError::NoSignature))?;
    let document = childcare_document::Entity::find_by_id(document_id)
        .one(db)
        .await
        .map_err(|e| fail(e.into()))?
        .ok_or_else(|| fail(BankIdError::WrongState.into()))?;
    // Who must sign is decided in one place (`childcare::signatures`): the owner, or for a
    // document about a child with two guardians living apart, both guardians.
    let required = signatures::required_signers(db, &document, crate::clock::day_of(now))
        .await
        .map_err(|e| fail(e.into()))?;
    if !required.contains(&signer.id) {
        return Err(fail(SigningError::WrongSigner));
    }
    let store = async {
        let txn = db.begin().await?;
        // Take the document's row first, so that two guardians' signatures landing at once are
        // counted one after the other and the effect runs exactly once.
        childcare_document::Entity::update_many()
            .col_expr(
                childcare_document::Column::Status,
                Expr::col(childcare_document::Column::Status).into(),
            )
            .filter(childcare_document::Column::Id.eq(document.id))
            .exec(&txn)
            .await?;
        let document = childcare_document::Entity::find_by_id(document.id)
            .one(&txn)
            .await?
            .ok_or(SigningError::from(BankIdError::WrongState))?;
        if document.status == DocumentStatus::Signed {
            txn.rollback().await?;
            return Err(SigningError::AlreadySigned);
        }
        if let Err(e) = effects::check(&txn, &document, now).await {
            txn.rollback().await?;
            return Err(e.into());
        }
        // Sealed under the keys of the people the document concerns (`population::keys`).
        let inserted = keys::insert_evidence(
            &txn,
            keys::NewEvidence {
                document: &document,
                signer_person_id: signer.id,
                personnummer: signer.personnummer.clone(),
                document_sha256: sha256_hex(document.document_bytes.as_bytes()),
                id_token: token.raw.clone(),
                user_signature,
                acr: token.acr.clone(),
                auth_time,
                signed_at: now,
            },
        )
        .await;
        match inserted {
            Ok(_) => {}
            // Signed already (a doubled callback): exactly one stored signature is the point.
            Err(e)
                if matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                txn.rollback().await?;
                return Ok::<(), SigningError>(());
            }
            Err(e) => return Err(e.into()),
        }
        let signed_by: Vec<Uuid> = keys::evidence_of(&txn, &[document.id])
            .await?
            .into_iter()
            .map(|e| e.signer_person_id)
            .collect();
        let required =
            signatures::required_signers(&txn, &document, crate::clock::day_of(now)).await?;
        if required.iter().all(|p| signed_by.contains(p)) {
            let marked = childcare_document::Entity::update_many()
                .col_expr(
                    childcare_document::Column::Status,
                    Expr::value(DocumentStatus::Signed),
                )
                .col_expr(childcare_document::Column::SignedAt, Expr::value(now))
                .filter(childcare_document::Column::Id.eq(document.id))
                .filter(childcare_document::Column::Status.ne(DocumentStatus::Signed))
                .exec(&txn)
                .await?;
            if marked.rows_affected == 1 {
                // The last signature: the document takes effect now, or nothing is stored.
                if let Err(e) = effects::apply_signed(&txn, &document, now).await {
                    txn.rollback().await?;
                    return Err(e.into());
                }
            }
        } else {
            childcare_document::Entity::update_many()
                .col_expr(
                    childcare_document::Column::Status,
                    Expr::value(DocumentStatus::AwaitingOtherGuardian),
                )
                .filter(childcare_document::Column::Id.eq(document.id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(())
    };
    store.await.map_err(fail)?;
    Ok(Signed {
        document_id,
        return_to: pending.return_to,
    })
}
