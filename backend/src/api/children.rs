use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::ChildCard;

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::access_log;
use crate::http::error::ApiError;
use crate::people;
use crate::policy::Action;
use crate::state::AppState;

pub struct ChildrenApi {
    state: AppState,
}

impl ChildrenApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum ChildrenResponse {
    /// The children the logged-in adult is guardian or other responsible adult of.
    #[oai(status = 200)]
    Ok(Json<Vec<ChildCard>>),
}

#[OpenApi(tag = "ApiTags::Children")]
impl ChildrenApi {
    /// "Mina barn": each child's pupil-card fields.
    #[oai(path = "/children", method = "get")]
    async fn children(&self, auth: SessionCookie) -> Result<ChildrenResponse, ApiError> {
        // Authenticated in the same statement as the read: see `people::children_of_session`.
        let (user, children) = people::children_of_session(
            &self.state.db,
            &self.state.settings.session,
            &auth.0.key,
            self.state.clock.now(),
            self.state.today(),
        )
        .await?;
        let user = Gate::Ready.pass(user)?;
        access_log::record(
            &self.state.db,
            &user,
            Action::ListOwnChildren,
            children.iter().map(|c| c.id),
            self.state.clock.now(),
        )
        .await?;
        Ok(ChildrenResponse::Ok(Json(children)))
    }
}
