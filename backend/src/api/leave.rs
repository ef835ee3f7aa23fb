//! Leave applications (`school::leave`): guardians apply, agree and withdraw; the mentor or the
//! principal decides.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    LeaveAction, LeaveApplication, LeaveDecision, NewLeaveApplication, PersonAction,
};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{self, LeaveApplicationId, Permit, PersonId};
use crate::school::leave;
use crate::state::AppState;

pub struct LeaveApi {
    state: AppState,
}

impl LeaveApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    async fn permit(
        &self,
        auth: &SessionCookie,
        action: LeaveAction,
        id: Uuid,
    ) -> Result<(Permit<LeaveAction>, chrono::DateTime<chrono::Utc>), ApiError> {
        let s = &self.state;
        let user = s.authenticate(auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit = policy::authorize(&s.db, &user, action, LeaveApplicationId(id), now).await?;
        Ok((permit, now))
    }
}

#[derive(ApiResponse)]
enum AppliedResponse {
    /// The application (also when this submit was stored before).
    #[oai(status = 201)]
    Created(Json<LeaveApplication>),
}

#[derive(ApiResponse)]
enum ListResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<LeaveApplication>>),
}

#[derive(ApiResponse)]
enum OneResponse {
    /// The application as it now stands.
    #[oai(status = 200)]
    Ok(Json<LeaveApplication>),
}

#[OpenApi(tag = "ApiTags::Leave")]
impl LeaveApi {
    /// Applies for a pupil's leave: days ahead and a reason code, no text. Under joint custody
    /// with the guardians apart (where the municipality asks for it) it waits for the other
    /// guardian. Send the same `submission_id` again to retry.
    #[oai(path = "/leave-applications", method = "post")]
    async fn apply(
        &self,
        auth: SessionCookie,
        body: LateJson<NewLeaveApplication>,
    ) -> Result<AppliedResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let input = body.parse()?;
        let now = s.clock.now();
        let permit = policy::authorize(
            &s.db,
            &user,
            PersonAction::ApplyForLeave,
            PersonId(input.child_id),
            now,
        )
        .await?;
        Ok(AppliedResponse::Created(Json(
            leave::apply(&s.db, &permit, &input, now).await?,
        )))
    }

    /// The applications about the guardian's children that end today or later.
    #[oai(path = "/leave-applications", method = "get")]
    async fn list(&self, auth: SessionCookie) -> Result<ListResponse, ApiError> {
        let s = &self.state;
        let (user, children) = s
            .own_children_with(&auth, PersonAction::ApplyForLeave)
            .await?;
        Ok(ListResponse::Ok(Json(
            leave::of_children(&s.db, &user, &children, s.clock.now()).await?,
        )))
    }

    /// The pending applications the logged-in mentor or principal may decide.
    #[oai(path = "/leave-applications/to-decide", method = "get")]
    async fn to_decide(&self, auth: SessionCookie) -> Result<ListResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit = policy::authorize_list(&s.db, &user, LeaveAction::Decide, now).await?;
        Ok(ListResponse::Ok(Json(
            leave::to_decide(&s.db, &permit, now).await?,
        )))
    }

    /// The other guardian agrees.
    #[oai(path = "/leave-applications/:id/agree", method = "post")]
    async fn agree(&self, auth: SessionCookie, id: Path<Uuid>) -> Result<OneResponse, ApiError> {
        let (permit, now) = self.permit(&auth, LeaveAction::Agree, id.0).await?;
        Ok(OneResponse::Ok(Json(
            leave::agree(&self.state.db, &permit, now).await?,
        )))
    }

    /// A guardian withdraws it before the decision.
    #[oai(path = "/leave-applications/:id/withdraw", method = "post")]
    async fn withdraw(&self, auth: SessionCookie, id: Path<Uuid>) -> Result<OneResponse, ApiError> {
        let (permit, now) = self.permit(&auth, LeaveAction::Withdraw, id.0).await?;
        Ok(OneResponse::Ok(Json(
            leave::withdraw(&self.state.db, &permit, now).await?,
        )))
    }

    /// Grants or refuses it; the guardians are told in the app and by their channels.
    #[oai(path = "/leave-applications/:id/decision", method = "post")]
    async fn decide(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<LeaveDecision>,
    ) -> Result<OneResponse, ApiError> {
        let (permit, now) = self.permit(&auth, LeaveAction::Decide, id.0).await?;
        let decision = body.parse()?;
        Ok(OneResponse::Ok(Json(
            leave::decide(&self.state.db, &permit, decision.grant, now).await?,
        )))
    }
}
