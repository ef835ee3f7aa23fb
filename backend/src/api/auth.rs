use poem::Request;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{Me, PasswordLogin, SessionsEnded};

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::auth::{device, login, session};
use crate::http::error::ApiError;
use crate::people;
use crate::state::AppState;

pub struct AuthApi {
    state: AppState,
}

impl AuthApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum LoginResponse {
    /// Logged in: the session cookie is set and the person returned.
    #[oai(status = 200)]
    Ok(Json<Me>, #[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum LogoutResponse {
    /// The session has ended and the cookie is cleared.
    #[oai(status = 204)]
    Ended(#[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum LogoutOthersResponse {
    /// Every other session of the person has ended.
    #[oai(status = 200)]
    Ok(Json<SessionsEnded>),
}

#[OpenApi(tag = "ApiTags::Auth")]
impl AuthApi {
    /// Log in with username and password. A browser that has logged into the account before
    /// (its device cookie) may fail 5 times within 15 minutes; other browsers together may fail
    /// 5 times per account, and a limit per address that grows with the accounts that log in
    /// from it. Past a limit the answer is 429 with the seconds to wait.
    #[oai(path = "/auth/password", method = "post")]
    async fn password(
        &self,
        req: &Request,
        body: Json<PasswordLogin>,
    ) -> Result<LoginResponse, ApiError> {
        let state = &self.state;
        let now = state.clock.now();
        let address = state.client_address(req);
        // A login replaces whatever session the browser had (no session fixation).
        if let Some(old) = req.cookie().get(session::COOKIE) {
            session::end(&state.db, old.value_str(), now).await?;
        }
        let device_tokens = req
            .cookie()
            .get(device::COOKIE)
            .map(|c| device::tokens(c.value_str()))
            .unwrap_or_default();
        let success = login::with_password(
            &state.db,
            &state.settings,
            login::Credentials {
                username: &body.username,
                password: &body.password,
                client_address: &address,
                device_tokens,
            },
            now,
        )
        .await?;
        // The session cookie is this answer's header; the device cookie goes through the jar.
        req.cookie().add(device::cookie(
            &success.device_cookie,
            &state.settings.login,
            state.settings.is_https(),
        ));
        let user = session::authenticate(
            &state.db,
            &state.settings.session,
            &success.session.token,
            now,
        )
        .await?;
        let me = people::me(&state.db, &user, state.today()).await?;
        tracing::info!(person_id = %success.person_id, "password login");
        Ok(LoginResponse::Ok(
            Json(me),
            session::cookie(&success.session, state.settings.is_https()),
        ))
    }

    /// Log out: ends the session on the server. Safe to call without a session.
    #[oai(path = "/auth/logout", method = "post")]
    async fn logout(&self, req: &Request) -> Result<LogoutResponse, ApiError> {
        if let Some(token) = req.cookie().get(session::COOKIE) {
            session::end(&self.state.db, token.value_str(), self.state.clock.now()).await?;
        }
        Ok(LogoutResponse::Ended(session::clearing_cookie(
            self.state.settings.is_https(),
        )))
    }

    /// End every other session of the logged-in person ("log out my other devices").
    #[oai(path = "/auth/logout-others", method = "post")]
    async fn logout_others(&self, auth: SessionCookie) -> Result<LogoutOthersResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let ended = session::end_others(
            &self.state.db,
            user.person_id,
            &user.session_id,
            self.state.clock.now(),
        )
        .await?;
        Ok(LogoutOthersResponse::Ok(Json(SessionsEnded { ended })))
    }
}
