//! The individual development plan (`school::iup`): goals and follow-ups by the mentor,
//! omdömen by the subject teachers, read by the pupil, the guardians and the mentor.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    DevelopmentPlan, IupAssessmentInput, IupFollowUpInput, IupGoalInput, PersonAction,
};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::SessionCookie;
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{self, PersonId};
use crate::school::iup::{self, PlanPermits};
use crate::state::AppState;

pub struct IupApi {
    state: AppState,
}

impl IupApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    /// The asker's permits on the pupil's plan: at least one, else the refusal of the read
    /// (which says when a stronger login would do).
    async fn permits(&self, auth: &SessionCookie, pupil: Uuid) -> Result<PlanPermits, ApiError> {
        let s = &self.state;
        let read = s
            .permit(auth, PersonAction::ReadDevelopmentPlan, PersonId(pupil))
            .await;
        let goals = s
            .permit(auth, PersonAction::WriteDevelopmentGoals, PersonId(pupil))
            .await
            .ok()
            .map(|p| p.0);
        let assess = s
            .permit(auth, PersonAction::WriteAssessment, PersonId(pupil))
            .await
            .ok()
            .map(|p| p.0);
        match read {
            Err(err) if goals.is_none() && assess.is_none() => Err(err),
            read => Ok(PlanPermits {
                read: read.ok().map(|p| p.0),
                goals,
                assess,
            }),
        }
    }

    async fn view(&self, permits: &PlanPermits) -> Result<DevelopmentPlan, ApiError> {
        let s = &self.state;
        let now = s.clock.now();
        let Some(any) = permits
            .read
            .as_ref()
            .or(permits.goals.as_ref())
            .or(permits.assess.as_ref())
        else {
            return Err(ApiError::not_found());
        };
        let pupil = any.target().0;
        let can_consent = policy::permitted_actions::<PersonAction>(
            &s.db,
            any.actor(),
            &[pupil],
            crate::clock::day_of(now),
        )
        .await?
        .get(&pupil)
        .is_some_and(|actions| actions.contains(&PersonAction::DecideConsent));
        Ok(iup::plan(&s.db, permits, can_consent, now).await?)
    }
}

#[derive(ApiResponse)]
enum PlanResponse {
    #[oai(status = 200)]
    Ok(Json<DevelopmentPlan>),
}

#[OpenApi(tag = "ApiTags::Talks")]
impl IupApi {
    /// The pupil's development plan: goals with their follow-ups and omdömen, the latest first.
    /// Closed while the talk consent is not in force; an earlier school's entries are shown to
    /// staff only under the transfer consent. Needs a one-time code or BankID; staff reads are
    /// logged.
    #[oai(path = "/pupils/:id/development-plan", method = "get")]
    async fn plan(&self, auth: SessionCookie, id: Path<Uuid>) -> Result<PlanResponse, ApiError> {
        let permits = self.permits(&auth, id.0).await?;
        Ok(PlanResponse::Ok(Json(self.view(&permits).await?)))
    }

    /// The mentor writes a goal for this term: what to reach, the measures, the agreements.
    #[oai(path = "/pupils/:id/development-plan/goals", method = "post")]
    async fn add_goal(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<IupGoalInput>,
    ) -> Result<PlanResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::WriteDevelopmentGoals, PersonId(id.0))
            .await?;
        let input = body.parse()?;
        iup::add_goal(&s.db, &permit, &input, now).await?;
        let permits = self.permits(&auth, id.0).await?;
        Ok(PlanResponse::Ok(Json(self.view(&permits).await?)))
    }

    /// The mentor follows a goal up at the next talk: reached, partly or not, with a comment.
    #[oai(
        path = "/pupils/:id/development-plan/goals/:goal/follow-up",
        method = "put"
    )]
    async fn follow_up(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        goal: Path<Uuid>,
        body: LateJson<IupFollowUpInput>,
    ) -> Result<PlanResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::WriteDevelopmentGoals, PersonId(id.0))
            .await?;
        let input = body.parse()?;
        iup::follow_up(&s.db, &permit, goal.0, &input, now).await?;
        let permits = self.permits(&auth, id.0).await?;
        Ok(PlanResponse::Ok(Json(self.view(&permits).await?)))
    }

    /// A subject teacher's omdöme in one of their subjects for this school year (years without
    /// grades), replacing their earlier one of the year.
    #[oai(path = "/pupils/:id/development-plan/assessments", method = "put")]
    async fn assess(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<IupAssessmentInput>,
    ) -> Result<PlanResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::WriteAssessment, PersonId(id.0))
            .await?;
        let input = body.parse()?;
        iup::assess(&s.db, &permit, &input, now).await?;
        let permits = self.permits(&auth, id.0).await?;
        Ok(PlanResponse::Ok(Json(self.view(&permits).await?)))
    }
}
