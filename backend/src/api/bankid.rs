use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::ApiTags;
use crate::auth::session;
use crate::bankid::login::{self, Callback};
use crate::state::AppState;

pub struct BankIdApi {
    state: AppState,
}

impl BankIdApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum StartResponse {
    /// To the BankID broker.
    #[oai(status = 302)]
    Redirect(#[oai(header = "Location")] String),
    /// BankID could not be started: to the page that explains why.
    #[oai(status = 303)]
    Refused(#[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum CallbackResponse {
    /// Logged in: the session cookie is set; on to the page the user came from.
    #[oai(status = 302)]
    LoggedIn(
        #[oai(header = "Location")] String,
        #[oai(header = "Set-Cookie")] String,
    ),
    /// Refused: to the page that explains why, in Swedish, and what to do.
    #[oai(status = 303)]
    Refused(#[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum JwksResponse {
    /// The portal's public signing keys, for the broker to verify client assertions and sign
    /// requests.
    #[oai(status = 200)]
    Ok(Json<serde_json::Value>),
}

fn refused(code: &str) -> String {
    format!("/bankid-fel?orsak={code}")
}

#[OpenApi(tag = "ApiTags::Auth")]
impl BankIdApi {
    /// Start a BankID login: redirects to the broker.
    #[oai(path = "/auth/bankid/start", method = "get")]
    async fn start(&self, return_to: Query<Option<String>>) -> StartResponse {
        let s = &self.state;
        match login::start(
            &s.db,
            &s.settings,
            &s.bankid_provider,
            return_to.0.as_deref(),
            s.clock.now(),
        )
        .await
        {
            Ok(url) => StartResponse::Redirect(url),
            Err(err) => {
                tracing::warn!(code = err.code(), %err, "BankID start failed");
                StartResponse::Refused(refused(err.code()))
            }
        }
    }

    /// The broker sends the browser back here with a code (or an error).
    #[oai(path = "/auth/bankid/callback", method = "get")]
    async fn callback(
        &self,
        state: Query<Option<String>>,
        code: Query<Option<String>>,
        error: Query<Option<String>>,
    ) -> CallbackResponse {
        let s = &self.state;
        let callback = Callback {
            state: state.0,
            code: code.0,
            error: error.0,
        };
        match login::finish(
            &s.db,
            &s.settings,
            &s.bankid_provider,
            &s.portal_key,
            callback,
            s.clock.now(),
        )
        .await
        {
            Ok(done) => {
                tracing::info!(person_id = %done.person_id, "bankid login");
                CallbackResponse::LoggedIn(
                    done.return_to,
                    session::cookie(&done.session, s.settings.is_https()),
                )
            }
            Err(err) => {
                // The cause is for operators; the person gets the explanation page.
                tracing::warn!(code = err.code(), %err, "BankID login refused");
                CallbackResponse::Refused(refused(err.code()))
            }
        }
    }

    /// The portal's public JWKS.
    #[oai(path = "/auth/jwks", method = "get")]
    async fn jwks(&self) -> JwksResponse {
        JwksResponse::Ok(Json(self.state.portal_key.jwks()))
    }
}
