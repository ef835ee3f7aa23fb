//! Rättelse: a person's requests to correct their register extract, and the officer's answers.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{CorrectionAnswer, CorrectionRequestView, NewCorrectionRequest};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::corrections;
use crate::http::error::ApiError;
use crate::policy::{self, GlobalAction, PersonAction, PersonId};
use crate::state::AppState;

pub struct CorrectionsApi {
    state: AppState,
}

impl CorrectionsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum CorrectionCreated {
    /// The request is filed; the officer answers in the portal.
    #[oai(status = 201)]
    Created(Json<CorrectionRequestView>),
}

#[derive(ApiResponse)]
enum CorrectionsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<CorrectionRequestView>>),
}

#[derive(ApiResponse)]
enum CorrectionAnswered {
    /// The answer is saved; the person sees it in their register extract.
    #[oai(status = 200)]
    Ok(Json<CorrectionRequestView>),
}

#[OpenApi(tag = "ApiTags::Me")]
impl CorrectionsApi {
    /// Ask for an item of my register extract, or my child's, to be corrected. Items from the
    /// population register (name, personnummer, address, guardianship) answer 422
    /// `population_register_item`: Skatteverket corrects them.
    #[oai(path = "/me/corrections", method = "post")]
    async fn request(
        &self,
        auth: SessionCookie,
        body: LateJson<NewCorrectionRequest>,
    ) -> Result<CorrectionCreated, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let new = body.parse()?;
        let s = &self.state;
        let permit = policy::authorize(
            &s.db,
            &user,
            PersonAction::RequestCorrection,
            PersonId(new.subject_id),
            s.clock.now(),
        )
        .await?;
        let view = corrections::request(&s.db, &permit, &new, s.clock.now()).await?;
        Ok(CorrectionCreated::Created(Json(view)))
    }

    /// My correction requests (and those about me), newest first, with the answers.
    #[oai(path = "/me/corrections", method = "get")]
    async fn mine(&self, auth: SessionCookie) -> Result<CorrectionsResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        Ok(CorrectionsResponse::Ok(Json(
            corrections::of_person(&self.state.db, &user).await?,
        )))
    }

    /// Officer: the open correction requests of the municipality, oldest first.
    #[oai(path = "/officer/corrections", method = "get")]
    async fn open(&self, auth: SessionCookie) -> Result<CorrectionsResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit = policy::authorize_global(
            &s.db,
            &user,
            GlobalAction::HandleCorrectionRequests,
            s.clock.now(),
        )
        .await?;
        let list = corrections::open(&s.db, &permit, s.clock.now()).await?;
        Ok(CorrectionsResponse::Ok(Json(list)))
    }

    /// Officer: answer a correction request, saying what was changed. Answered once; a second
    /// answer is 409 `already_answered`.
    #[oai(path = "/officer/corrections/:id/answer", method = "post")]
    async fn answer(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<CorrectionAnswer>,
    ) -> Result<CorrectionAnswered, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit = policy::authorize_global(
            &s.db,
            &user,
            GlobalAction::HandleCorrectionRequests,
            s.clock.now(),
        )
        .await?;
        let request = corrections::find(&s.db, &permit, id.0, s.clock.now()).await?;
        let answer = body.parse()?;
        let view = corrections::answer(&s.db, &permit, &request, &answer, s.clock.now()).await?;
        Ok(CorrectionAnswered::Ok(Json(view)))
    }
}
