//! How an operation learns who is asking: the session cookie, declared as a security scheme so
//! the spec shows which operations need a login, checked against the database on every request.

use poem::Request;
use poem_openapi::auth::ApiKey;
use poem_openapi::SecurityScheme;

use crate::auth::session::{self, SessionUser};
use crate::http::error::ApiError;
use crate::state::AppState;

/// The session cookie set by a login.
#[derive(SecurityScheme)]
#[oai(ty = "api_key", key_name = "skolportal_session", key_in = "cookie")]
pub struct SessionCookie(pub ApiKey);

/// Whether an operation is reachable while a handed-out password is still unchanged.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Everything but seeing oneself, changing the password and logging out.
    Ready,
    AllowPasswordChange,
}

impl Gate {
    /// Lets `user` through unless a handed-out password must be changed first.
    pub fn pass(self, user: SessionUser) -> Result<SessionUser, ApiError> {
        if self == Gate::Ready && user.must_change_password {
            return Err(session::SessionError::PasswordChangeRequired.into());
        }
        Ok(user)
    }
}

impl AppState {
    pub async fn authenticate(
        &self,
        cookie: &SessionCookie,
        gate: Gate,
    ) -> Result<SessionUser, ApiError> {
        let user = session::authenticate(
            &self.db,
            &self.settings.session,
            &cookie.0.key,
            self.clock.now(),
        )
        .await?;
        gate.pass(user)
    }

    /// The client's address for throttling: the connection's, or the load balancer's
    /// `X-Forwarded-For` when configured to trust it.
    pub fn client_address(&self, req: &Request) -> String {
        if self.settings.login.trust_forwarded_for {
            if let Some(first) = req
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
            {
                return first.trim().to_owned();
            }
        }
        req.remote_addr()
            .as_socket_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default()
    }

    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// The logged-in person's permit for `action` on `target`, and the time it was asked at:
    /// what a handler acting on one thing needs before it calls its service.
    pub async fn permit<A: crate::policy::PolicyAction>(
        &self,
        cookie: &SessionCookie,
        action: A,
        target: A::Id,
    ) -> Result<(crate::policy::Permit<A>, chrono::DateTime<chrono::Utc>), ApiError> {
        let user = self.authenticate(cookie, Gate::Ready).await?;
        let now = self.clock.now();
        let permit = crate::policy::authorize(&self.db, &user, action, target, now).await?;
        Ok((permit, now))
    }

    /// The logged-in adult and those of their children ("Mina barn") the policy lets them take
    /// `action` on: the children a guardian's list of reports or applications is about.
    pub async fn own_children_with(
        &self,
        cookie: &SessionCookie,
        action: crate::policy::PersonAction,
    ) -> Result<(SessionUser, Vec<uuid::Uuid>), ApiError> {
        let (user, children) = self
            .children
            .call(cookie.0.key.clone())
            .await
            .map_err(crate::people::PeopleError::from)??;
        let user = Gate::Ready.pass(user)?;
        let ids: Vec<uuid::Uuid> = children.iter().map(|c| c.id).collect();
        let permitted = crate::policy::permitted_actions::<crate::policy::PersonAction>(
            &self.db,
            &user,
            &ids,
            self.today(),
        )
        .await?;
        let children = ids
            .into_iter()
            .filter(|id| permitted.get(id).is_some_and(|a| a.contains(&action)))
            .collect();
        Ok((user, children))
    }
}
