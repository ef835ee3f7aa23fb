//! Consents (`school::consent`): a child's consents with their history, and a guardian's
//! decision.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{ChildConsents, ConsentChoice, PersonAction};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::SessionCookie;
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{self, PersonId};
use crate::school::consent;
use crate::state::AppState;

pub struct ConsentApi {
    state: AppState,
}

impl ConsentApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    /// The child's consents as `permit`'s holder sees them, with whether they may decide.
    async fn view(
        &self,
        permit: &policy::Permit<PersonAction>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<ChildConsents, ApiError> {
        let s = &self.state;
        let child = permit.target().0;
        let can_decide = policy::permitted_actions::<PersonAction>(
            &s.db,
            permit.actor(),
            &[child],
            crate::clock::day_of(now),
        )
        .await?
        .get(&child)
        .is_some_and(|actions| actions.contains(&PersonAction::DecideConsent));
        Ok(consent::of_child(&s.db, permit, can_decide, now).await?)
    }
}

#[derive(ApiResponse)]
enum ConsentsResponse {
    #[oai(status = 200)]
    Ok(Json<ChildConsents>),
}

#[OpenApi(tag = "ApiTags::Consent")]
impl ConsentApi {
    /// The child's consents: each kind the municipality asks for, whether it is in force, each
    /// guardian's latest decision and the full history. For the guardians, the pupil, and the
    /// staff who hold the pupil's talks; staff reads are logged.
    #[oai(path = "/children/:id/consents", method = "get")]
    async fn consents(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<ConsentsResponse, ApiError> {
        let (permit, now) = self
            .state
            .permit(&auth, PersonAction::ReadConsents, PersonId(id.0))
            .await?;
        Ok(ConsentsResponse::Ok(Json(self.view(&permit, now).await?)))
    }

    /// Gives or withdraws the consent `key` in the child's name (a guardian with custody).
    /// Withdrawing closes what it opened at once; what was stored under it is deleted after the
    /// kind's grace period unless it is given again. Answers the child's consents.
    #[oai(path = "/children/:id/consents/:key", method = "put")]
    async fn decide(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        key: Path<String>,
        body: LateJson<ConsentChoice>,
    ) -> Result<ConsentsResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::DecideConsent, PersonId(id.0))
            .await?;
        let choice = body.parse()?;
        consent::decide(&s.db, &permit, &key.0, choice.decision, now).await?;
        let (read, now) = s
            .permit(&auth, PersonAction::ReadConsents, PersonId(id.0))
            .await?;
        Ok(ConsentsResponse::Ok(Json(self.view(&read, now).await?)))
    }
}
