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
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let children = people::children(&self.state.db, &user, self.state.today()).await?;
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
