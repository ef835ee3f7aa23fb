use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{ContactUpdate, Me, PasswordChange, RegisterExtract};

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::auth::account;
use crate::http::error::ApiError;
use crate::people;
use crate::register_extract;
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

#[derive(ApiResponse)]
enum ExtractResponse {
    /// Everything stored about the person and their children, with the access log. With
    /// `download=true` it comes as a file.
    #[oai(status = 200)]
    Ok(
        Json<RegisterExtract>,
        #[oai(header = "Content-Disposition")] Option<String>,
    ),
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

    /// Registerutdrag: everything stored about me and my children, and who has read it.
    #[oai(path = "/me/extract", method = "get")]
    async fn extract(
        &self,
        auth: SessionCookie,
        download: Query<Option<bool>>,
    ) -> Result<ExtractResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let now = self.state.clock.now();
        let extract =
            register_extract::build(&self.state.db, &user, &self.state.settings.session, now)
                .await?;
        let disposition = download.0.unwrap_or(false).then(|| {
            format!(
                "attachment; filename=\"registerutdrag-{}.json\"",
                now.format("%Y-%m-%d")
            )
        });
        Ok(ExtractResponse::Ok(Json(extract), disposition))
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
