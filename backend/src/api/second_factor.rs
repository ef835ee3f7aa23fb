//! One-time codes for password accounts: set-up (a key, its QR code, one confirming code and the
//! recovery codes) and the step-up that raises a session's login strength where it stands.

use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{CodeEntry, Me, TotpConfirmed, TotpSetup};

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::auth::{session, totp};
use crate::entity::session::LoginStrength;
use crate::http::error::ApiError;
use crate::people;
use crate::state::AppState;

pub struct SecondFactorApi {
    state: AppState,
}

impl SecondFactorApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

/// Secrets: never kept by a cache.
const NO_STORE: &str = "no-store";

#[derive(ApiResponse)]
enum SetupResponse {
    /// A new key, kept aside until a code from it confirms it; its QR code is at
    /// `/me/totp/qr`.
    #[oai(status = 200)]
    Ok(Json<TotpSetup>, #[oai(header = "Cache-Control")] String),
}

#[derive(ApiResponse)]
enum QrResponse {
    /// The QR code of the key being set up, as SVG.
    #[oai(status = 200, content_type = "image/svg+xml")]
    Ok(PlainText<String>, #[oai(header = "Cache-Control")] String),
}

#[derive(ApiResponse)]
enum ConfirmResponse {
    /// One-time codes are on. The recovery codes are shown this once; the session that
    /// confirmed counts as logged in with a code.
    #[oai(status = 200)]
    Ok(Json<TotpConfirmed>, #[oai(header = "Cache-Control")] String),
}

#[derive(ApiResponse)]
enum StepUpResponse {
    /// The code was right: the same session is now logged in with a password and a code.
    #[oai(status = 200)]
    Ok(Json<Me>),
}

#[OpenApi(tag = "ApiTags::Auth")]
impl SecondFactorApi {
    /// Start setting up one-time codes: a new key (again on each call until confirmed). 409 when
    /// they are on already, 422 for a BankID-only account.
    #[oai(path = "/me/totp", method = "post")]
    async fn setup(&self, auth: SessionCookie) -> Result<SetupResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let account = totp::account_of(&self.state.db, user.person_id).await?;
        let key = totp::begin_setup(&self.state.db, &account).await?;
        Ok(SetupResponse::Ok(
            Json(TotpSetup {
                secret: key.secret,
                otpauth_uri: key.otpauth_uri,
            }),
            NO_STORE.into(),
        ))
    }

    /// The QR code for the key being set up (404 when none is).
    #[oai(path = "/me/totp/qr", method = "get")]
    async fn qr(&self, auth: SessionCookie) -> Result<QrResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let account = totp::account_of(&self.state.db, user.person_id).await?;
        let uri = totp::pending_uri(&account)?;
        Ok(QrResponse::Ok(
            PlainText(totp::qr_svg(&uri)?),
            NO_STORE.into(),
        ))
    }

    /// Confirm the set-up with a code from the new key.
    #[oai(path = "/me/totp/confirm", method = "post")]
    async fn confirm(
        &self,
        auth: SessionCookie,
        body: Json<CodeEntry>,
    ) -> Result<ConfirmResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let account = totp::account_of(&s.db, user.person_id).await?;
        let codes = totp::confirm_setup(
            &s.db,
            &s.settings.login,
            &account,
            &body.code,
            s.clock.now(),
        )
        .await?;
        let strength =
            session::raise_strength(&s.db, &user, LoginStrength::PasswordAndTotp).await?;
        Ok(ConfirmResponse::Ok(
            Json(TotpConfirmed {
                recovery_codes: codes,
                login_strength: strength.into(),
            }),
            NO_STORE.into(),
        ))
    }

    /// Step up: a one-time code (or a recovery code) raises this session to "password and
    /// code", keeping everything else about it. 422 `wrong_code` or `code_used`; 429 after too
    /// many wrong codes.
    #[oai(path = "/auth/totp", method = "post")]
    async fn step_up(
        &self,
        auth: SessionCookie,
        body: Json<CodeEntry>,
    ) -> Result<StepUpResponse, ApiError> {
        let s = &self.state;
        let mut user = s.authenticate(&auth, Gate::Ready).await?;
        let account = totp::account_of(&s.db, user.person_id).await?;
        totp::verify(
            &s.db,
            &s.settings.login,
            &account,
            &body.code,
            s.clock.now(),
        )
        .await?;
        user.login_strength =
            session::raise_strength(&s.db, &user, LoginStrength::PasswordAndTotp).await?;
        tracing::info!(person_id = %user.person_id, "stepped up with a one-time code");
        Ok(StepUpResponse::Ok(Json(
            people::me(&s.db, &user, s.today()).await?,
        )))
    }
}
