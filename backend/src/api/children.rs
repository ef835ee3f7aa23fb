use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{ChildCard, FamilyStart};

use super::serde_json_body::SerdeJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::people::PeopleError;
use crate::policy::{self, PersonAction};
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

#[derive(ApiResponse)]
enum StartResponse {
    /// Today and this week for all the adult's children, and what waits for them.
    #[oai(status = 200)]
    Ok(SerdeJson<FamilyStart>),
}

#[OpenApi(tag = "ApiTags::Children")]
impl ChildrenApi {
    /// "Mina barn": each child's pupil-card fields.
    #[oai(path = "/children", method = "get")]
    async fn children(&self, auth: SessionCookie) -> Result<ChildrenResponse, ApiError> {
        // Authenticated in the same statement as the read, which concurrent requests share:
        // see `people::children_of_sessions`.
        let (user, mut children) = self
            .state
            .children
            .call(auth.0.key)
            .await
            .map_err(PeopleError::from)??;
        let user = Gate::Ready.pass(user)?;
        // ListOwnChildren is the family's own and not logged; what the session may do with each
        // child is the policy's answer, in one query for all of them.
        let ids: Vec<_> = children.iter().map(|c| c.id).collect();
        let mut permitted = policy::permitted_actions::<PersonAction>(
            &self.state.db,
            &user,
            &ids,
            self.state.today(),
        )
        .await?;
        for child in &mut children {
            child.permitted_actions = permitted.remove(&child.id).unwrap_or_default();
        }
        Ok(ChildrenResponse::Ok(Json(children)))
    }

    /// The family's start page: "Idag" and "Den här veckan" for all the children together —
    /// lessons and today's changes, drop-off and pick-up — and the offers and documents that
    /// wait for an answer or a signature.
    #[oai(path = "/start", method = "get")]
    async fn start(&self, auth: SessionCookie) -> Result<StartResponse, ApiError> {
        // The session, the children and what the policy lets the session see of each are read
        // together with concurrent requests: see `family_start`.
        let (user, start) = self
            .state
            .start
            .call(auth.0.key)
            .await
            .map_err(crate::family_start::StartError::from)??;
        Gate::Ready.pass(user)?;
        Ok(StartResponse::Ok(SerdeJson(start)))
    }
}
