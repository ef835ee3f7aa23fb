//! A person's notices and the channels they come by (`crate::notices`). Every operation acts on
//! the logged-in person (`PersonAction::ManageNotices`, the rule `Own`).

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    NoticeChannels, NoticeChannelsUpdate, NoticeList, PersonAction, PushSubscriptionInput,
    PushUnsubscribe,
};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::notices;
use crate::policy::{self, Permit, PersonId};
use crate::state::AppState;

pub struct NoticesApi {
    state: AppState,
}

impl NoticesApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    /// The policy's permit for the logged-in person's own notices.
    async fn own_permit(
        &self,
        auth: &SessionCookie,
    ) -> Result<(Permit<PersonAction>, chrono::DateTime<chrono::Utc>), ApiError> {
        let s = &self.state;
        let user = s.authenticate(auth, Gate::Ready).await?;
        let now = s.clock.now();
        let person = PersonId(user.person_id);
        let permit =
            policy::authorize(&s.db, &user, PersonAction::ManageNotices, person, now).await?;
        Ok((permit, now))
    }
}

#[derive(ApiResponse)]
enum ListResponse {
    /// The newest hundred, the newest first.
    #[oai(status = 200)]
    Ok(Json<NoticeList>),
}

#[derive(ApiResponse)]
enum ChannelsResponse {
    #[oai(status = 200)]
    Ok(Json<NoticeChannels>),
}

#[derive(ApiResponse)]
enum DoneResponse {
    #[oai(status = 204)]
    Done,
}

#[OpenApi(tag = "ApiTags::Notices")]
impl NoticesApi {
    /// The logged-in person's notices (a child's unexcused absence, told the same day).
    #[oai(path = "/notices", method = "get")]
    async fn list(&self, auth: SessionCookie) -> Result<ListResponse, ApiError> {
        let (permit, _) = self.own_permit(&auth).await?;
        Ok(ListResponse::Ok(Json(
            notices::list(&self.state.db, &permit).await?,
        )))
    }

    /// Marks one of the person's notices read.
    #[oai(path = "/notices/:id/read", method = "post")]
    async fn mark_read(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<DoneResponse, ApiError> {
        let (permit, now) = self.own_permit(&auth).await?;
        notices::mark_read(&self.state.db, &permit, id.0, now).await?;
        Ok(DoneResponse::Done)
    }

    /// The channels notices come by besides the app, which always has them; and the key a
    /// browser subscribes to push with.
    #[oai(path = "/notices/channels", method = "get")]
    async fn channels(&self, auth: SessionCookie) -> Result<ChannelsResponse, ApiError> {
        let (permit, now) = self.own_permit(&auth).await?;
        Ok(ChannelsResponse::Ok(Json(
            notices::channels(&self.state.db, &permit, now).await?,
        )))
    }

    /// Chooses the channels. E-mail needs an address in the school administration's register.
    #[oai(path = "/notices/channels", method = "put")]
    async fn choose_channels(
        &self,
        auth: SessionCookie,
        body: LateJson<NoticeChannelsUpdate>,
    ) -> Result<ChannelsResponse, ApiError> {
        let (permit, now) = self.own_permit(&auth).await?;
        let choice = body.parse()?;
        Ok(ChannelsResponse::Ok(Json(
            notices::choose_channels(&self.state.db, &permit, choice, now).await?,
        )))
    }

    /// This browser takes notices by push: its `PushSubscription` (endpoint and keys).
    #[oai(path = "/notices/push-subscriptions", method = "post")]
    async fn subscribe(
        &self,
        auth: SessionCookie,
        body: LateJson<PushSubscriptionInput>,
    ) -> Result<DoneResponse, ApiError> {
        let (permit, now) = self.own_permit(&auth).await?;
        let input = body.parse()?;
        notices::subscribe(&self.state.db, &permit, &input, now).await?;
        Ok(DoneResponse::Done)
    }

    /// This browser no longer takes notices by push.
    #[oai(path = "/notices/push-subscriptions/remove", method = "post")]
    async fn unsubscribe(
        &self,
        auth: SessionCookie,
        body: LateJson<PushUnsubscribe>,
    ) -> Result<DoneResponse, ApiError> {
        let (permit, _) = self.own_permit(&auth).await?;
        let input = body.parse()?;
        notices::unsubscribe(&self.state.db, &permit, &input.endpoint).await?;
        Ok(DoneResponse::Done)
    }
}
