//! Talk material (`school::talks`): a pupil's material for the term's development talk, and the
//! asker's own part.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{PersonAction, TalkMaterial, TalkPartInput};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::SessionCookie;
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{self, Permit, PersonId};
use crate::school::talks;
use crate::state::AppState;

pub struct TalksApi {
    state: AppState,
}

type Permits = (Option<Permit<PersonAction>>, Option<Permit<PersonAction>>);

impl TalksApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    /// The asker's permits to read the published material and to write a part: at least one.
    /// When neither, the answer to writing says why (its rules hold every reader's).
    async fn permits(&self, auth: &SessionCookie, pupil: Uuid) -> Result<Permits, ApiError> {
        let s = &self.state;
        let read = s
            .permit(auth, PersonAction::ReadTalkMaterial, PersonId(pupil))
            .await;
        let write = s
            .permit(auth, PersonAction::WriteTalkMaterial, PersonId(pupil))
            .await;
        match (read, write) {
            (Err(_), Err(err)) => Err(err),
            (read, write) => Ok((read.ok().map(|p| p.0), write.ok().map(|p| p.0))),
        }
    }

    async fn view(&self, (read, write): &Permits) -> Result<TalkMaterial, ApiError> {
        let s = &self.state;
        let now = s.clock.now();
        let Some(any) = read.as_ref().or(write.as_ref()) else {
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
        Ok(talks::material(&s.db, read.as_ref(), write.as_ref(), can_consent, now).await?)
    }
}

#[derive(ApiResponse)]
enum MaterialResponse {
    #[oai(status = 200)]
    Ok(Json<TalkMaterial>),
}

#[OpenApi(tag = "ApiTags::Talks")]
impl TalksApi {
    /// The pupil's talk material for this term: the published parts for the pupil, the
    /// guardians and the mentor, the asker's own part in any state, a teacher's own only. Closed
    /// (no parts) while the talk consent is not in force. Needs a one-time code or BankID; staff
    /// reads are logged.
    #[oai(path = "/pupils/:id/talk-material", method = "get")]
    async fn material(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<MaterialResponse, ApiError> {
        let permits = self.permits(&auth, id.0).await?;
        Ok(MaterialResponse::Ok(Json(self.view(&permits).await?)))
    }

    /// Keeps the asker's own part of the pupil's talk material, as a draft (theirs alone) or
    /// published. Refused (409 `talk_consent_missing`) while the talk consent is not in force.
    #[oai(path = "/pupils/:id/talk-material", method = "put")]
    async fn save(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<TalkPartInput>,
    ) -> Result<MaterialResponse, ApiError> {
        let s = &self.state;
        let (write, now) = s
            .permit(&auth, PersonAction::WriteTalkMaterial, PersonId(id.0))
            .await?;
        let input = body.parse()?;
        let read = s
            .permit(&auth, PersonAction::ReadTalkMaterial, PersonId(id.0))
            .await
            .ok()
            .map(|p| p.0);
        talks::save(&s.db, &write, read.is_some(), &input, now).await?;
        Ok(MaterialResponse::Ok(Json(
            self.view(&(read, Some(write))).await?,
        )))
    }
}
