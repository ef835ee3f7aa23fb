use std::sync::Arc;

use poem::Request;
use poem_openapi::payload::{Form, Html, Json};
use poem_openapi::{ApiResponse, Object, OpenApi};
use skolportal_shared::api::{ErrorBody, Me, PasswordLogin, SessionsEnded};

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::auth::login::LoginError;
use crate::auth::{device, login, session};
use crate::http::error::{self, ApiError};
use crate::http::prerender::{LoginPage, LoginProblem};
use crate::http::spa::{self, SpaAssets};
use crate::people;
use crate::state::AppState;

pub struct AuthApi {
    state: AppState,
    /// The login page's shell, for answering a refused login form with the page again.
    assets: Arc<SpaAssets>,
}

impl AuthApi {
    pub fn new(state: AppState, assets: Arc<SpaAssets>) -> Self {
        Self { state, assets }
    }

    /// A password login: ends the browser's old session (no session fixation), checks the
    /// credentials under the throttle, and sets the device cookie. Returns the person and the
    /// session cookie.
    async fn log_in(
        &self,
        req: &Request,
        username: &str,
        password: &str,
    ) -> Result<(Me, String), LoginFailure> {
        let state = &self.state;
        let now = state.clock.now();
        let address = state.client_address(req);
        if let Some(old) = req.cookie().get(session::COOKIE) {
            session::end(&state.db, old.value_str(), now)
                .await
                .map_err(ApiError::from)?;
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
                username,
                password,
                client_address: &address,
                device_tokens,
            },
            now,
        )
        .await?;
        // The session cookie is the answer's header; the device cookie goes through the jar.
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
        .await
        .map_err(ApiError::from)?;
        let me = people::me(&state.db, &user, state.today())
            .await
            .map_err(ApiError::from)?;
        tracing::info!(person_id = %success.person_id, "password login");
        Ok((
            me,
            session::cookie(&success.session, state.settings.is_https()),
        ))
    }
}

/// Why a password login did not happen: the person's mistake (a wrong password, the throttle),
/// which the form says on its page and the API as its error, or the system's failure.
enum LoginFailure {
    Refused(LoginError),
    Error(ApiError),
}

impl From<LoginError> for LoginFailure {
    fn from(err: LoginError) -> Self {
        match err {
            LoginError::InvalidCredentials | LoginError::Throttled { .. } => Self::Refused(err),
            other => Self::Error(other.into()),
        }
    }
}

impl From<ApiError> for LoginFailure {
    fn from(err: ApiError) -> Self {
        Self::Error(err)
    }
}

/// The login page's form, as the browser posts it (`application/x-www-form-urlencoded`).
#[derive(Debug, Object, serde::Deserialize)]
pub struct PasswordLoginForm {
    #[oai(default)]
    #[serde(default)]
    username: String,
    #[oai(default)]
    #[serde(default)]
    password: String,
    /// The page to go on to after login; anything but a page of this site is ignored.
    return_to: Option<String>,
}

/// A browser's form gets a page back, not JSON, for what the person can fix; what the system
/// failed at is the API's usual error.
#[derive(ApiResponse)]
#[oai(bad_request_handler = "unreadable_form")]
enum LoginFormResponse {
    /// Logged in: on to `return_to`, or to `/`, which sends each person to their start page.
    #[oai(status = 303)]
    LoggedIn(
        #[oai(header = "Location")] String,
        #[oai(header = "Set-Cookie")] String,
    ),
    /// The body is not a form.
    #[oai(status = 400)]
    Unreadable(Json<ErrorBody>),
    /// Wrong username or password: the login page again.
    #[oai(status = 401)]
    Refused(Html<String>),
    /// A field was empty: the login page again, saying which.
    #[oai(status = 422)]
    Incomplete(Html<String>),
    /// Too many failed attempts: the login page again, with how long to wait.
    #[oai(status = 429)]
    Throttled(Html<String>, #[oai(header = "Retry-After")] String),
    /// Something failed on our side.
    #[oai(status = 500)]
    Failed(Json<ErrorBody>),
    /// The database is not answering; `Retry-After` says when to try again.
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>, #[oai(header = "Retry-After")] String),
}

fn unreadable_form(err: poem::Error) -> LoginFormResponse {
    LoginFormResponse::Unreadable(error::body("bad_request", err.to_string()))
}

impl From<ApiError> for LoginFormResponse {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::Unavailable(body, retry_after) => Self::Unavailable(body, retry_after),
            ApiError::BadRequest(body) => Self::Unreadable(body),
            // A login meets nothing else but a failure on our side.
            ApiError::Unauthorized(body)
            | ApiError::Forbidden(body)
            | ApiError::NotFound(body)
            | ApiError::Conflict(body)
            | ApiError::Unprocessable(body)
            | ApiError::TooManyRequests(body, _)
            | ApiError::Internal(body) => Self::Failed(body),
        }
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
enum LogoutFormResponse {
    /// The session has ended and the cookie is cleared: on to the login page, which says so.
    #[oai(status = 303)]
    Ended(
        #[oai(header = "Location")] String,
        #[oai(header = "Set-Cookie")] String,
    ),
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
        match self.log_in(req, &body.username, &body.password).await {
            Ok((me, cookie)) => Ok(LoginResponse::Ok(Json(me), cookie)),
            Err(LoginFailure::Refused(err)) => Err(err.into()),
            Err(LoginFailure::Error(err)) => Err(err),
        }
    }

    /// The login page's form: the same login for a browser that posts the page itself, as it
    /// does before any app has loaded. Logged in, it goes on with 303; refused, it gets the login
    /// page again with the reason, the username kept and the password not. Same throttling as
    /// `POST /auth/password`.
    #[oai(path = "/auth/password/form", method = "post")]
    async fn password_form(
        &self,
        req: &Request,
        form: Form<PasswordLoginForm>,
    ) -> LoginFormResponse {
        let Form(form) = form;
        let username = form.username.trim();
        let return_to = form.return_to.as_deref().and_then(spa::checked_return_to);
        let problem = if username.is_empty() || form.password.is_empty() {
            LoginProblem::Missing {
                username: username.is_empty(),
                password: form.password.is_empty(),
            }
        } else {
            match self.log_in(req, username, &form.password).await {
                Ok((me, cookie)) => {
                    // A password that must be changed first is changed before anything else.
                    let to = match return_to {
                        Some(path) if !me.must_change_password => path,
                        _ => "/".to_owned(),
                    };
                    return LoginFormResponse::LoggedIn(to, cookie);
                }
                Err(LoginFailure::Refused(LoginError::Throttled {
                    retry_after_seconds,
                })) => LoginProblem::Throttled {
                    retry_after_seconds,
                },
                Err(LoginFailure::Refused(_)) => LoginProblem::InvalidCredentials,
                Err(LoginFailure::Error(err)) => return err.into(),
            }
        };
        let page = LoginPage {
            logged_out: false,
            return_to,
            username: username.to_owned(),
            problem: Some(problem),
        };
        let html = Html(spa::login_page(&self.assets, &self.state, req, page).await);
        match problem {
            LoginProblem::Missing { .. } => LoginFormResponse::Incomplete(html),
            LoginProblem::InvalidCredentials => LoginFormResponse::Refused(html),
            LoginProblem::Throttled {
                retry_after_seconds,
            } => LoginFormResponse::Throttled(html, retry_after_seconds.to_string()),
        }
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

    /// The logout button of the server's own pages ("Mina barn"), posted as a page load: the
    /// same logout, then the login page saying it is done.
    #[oai(path = "/auth/logout/form", method = "post")]
    async fn logout_form(&self, req: &Request) -> Result<LogoutFormResponse, ApiError> {
        let LogoutResponse::Ended(cookie) = self.logout(req).await?;
        Ok(LogoutFormResponse::Ended(
            skolportal_shared::pages::LOGGED_OUT.to_owned(),
            cookie,
        ))
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
