use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{PupilCard, PupilSummary};
use uuid::Uuid;

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::people;
use crate::policy::{self, PersonAction, PersonId};
use crate::state::AppState;

pub struct PupilsApi {
    state: AppState,
}

impl PupilsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum PupilListResponse {
    /// The pupils and children the staff member works with.
    #[oai(status = 200)]
    Ok(Json<Vec<PupilSummary>>),
}

#[derive(ApiResponse)]
enum PupilCardResponse {
    /// The pupil card. Reading it is written to the access log.
    #[oai(status = 200)]
    Ok(Json<PupilCard>),
}

#[OpenApi(tag = "ApiTags::Pupils")]
impl PupilsApi {
    /// Staff: the pupils of my groups and units.
    #[oai(path = "/pupils", method = "get")]
    async fn list(&self, auth: SessionCookie) -> Result<PupilListResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let now = self.state.clock.now();
        let permit =
            policy::authorize_list(&self.state.db, &user, PersonAction::ListPupils, now).await?;
        let pupils = people::pupils(&self.state.db, &permit, now).await?;
        Ok(PupilListResponse::Ok(Json(pupils)))
    }

    /// One pupil card, for anyone with a connection to the pupil (the pupil, a guardian, a
    /// mentor or teacher, staff of the unit, an officer). Anyone else gets 404. Staff with a
    /// connection (mentor, teacher, staff of the unit) also get the guardians' contact details.
    #[oai(path = "/pupils/:id", method = "get")]
    async fn card(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<PupilCardResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let now = self.state.clock.now();
        let permit = policy::authorize(
            &self.state.db,
            &user,
            PersonAction::ReadPupilCard,
            PersonId(id.0),
            now,
        )
        .await?;
        Ok(PupilCardResponse::Ok(Json(
            people::pupil_card(&self.state.db, &permit, self.state.today()).await?,
        )))
    }
}
