use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{ContactUpdate, Me, PasswordChange};

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::auth::account;
use crate::http::error::ApiError;
use crate::people;
use crate::state::AppState;

pub struct MeApi {
    state: AppState,
}

impl MeApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum MeResponse {
    /// The logged-in person, their roles and how they logged in.
    #[oai(status = 200)]
    Ok(Json<Me>),
}

#[derive(ApiResponse)]
enum PasswordChangedResponse {
    /// The password is changed; the person's other sessions have ended.
    #[oai(status = 204)]
    Changed,
}

#[OpenApi(tag = "ApiTags::Me")]
impl MeApi {
    /// Who is logged in. Reachable before a handed-out password is changed, so the app can ask
    /// for the change.
    #[oai(path = "/me", method = "get")]
    async fn me(&self, auth: SessionCookie) -> Result<MeResponse, ApiError> {
        let user = self
            .state
            .authenticate(&auth, Gate::AllowPasswordChange)
            .await?;
        Ok(MeResponse::Ok(Json(
            people::me(&self.state.db, &user, self.state.today()).await?,
        )))
    }

    /// Change one's own password (at least 8 characters, an upper-case letter and a digit).
    #[oai(path = "/me/password", method = "post")]
    async fn change_password(
        &self,
        auth: SessionCookie,
        body: Json<PasswordChange>,
    ) -> Result<PasswordChangedResponse, ApiError> {
        let user = self
            .state
            .authenticate(&auth, Gate::AllowPasswordChange)
            .await?;
        account::change_password(
            &self.state.db,
            &user,
            &body.current_password,
            &body.new_password,
            self.state.clock.now(),
        )
        .await?;
        tracing::info!(person_id = %user.person_id, "password changed");
        Ok(PasswordChangedResponse::Changed)
    }

    /// Set one's own e-mail and phone (empty removes). The population-register address is
    /// read-only.
    #[oai(path = "/me/contact", method = "put")]
    async fn contact(
        &self,
        auth: SessionCookie,
        body: Json<ContactUpdate>,
    ) -> Result<MeResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        people::update_contact(&self.state.db, &user, &body, self.state.clock.now()).await?;
        Ok(MeResponse::Ok(Json(
            people::me(&self.state.db, &user, self.state.today()).await?,
        )))
    }
}
