//! Booking development talks (`school::talk_booking`): the mentor's talk times for a group, and
//! a guardian's booking of the pupil's talk.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    GroupTalkTimes, PersonAction, PupilTalkTimes, TalkBookingInput, TalkMoveInput, TalkRoundInput,
};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::SessionCookie;
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{GroupAction, GroupId, PersonId};
use crate::school::talk_booking;
use crate::state::AppState;

pub struct TalkBookingApi {
    state: AppState,
}

impl TalkBookingApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum GroupTimesResponse {
    #[oai(status = 200)]
    Ok(Json<GroupTalkTimes>),
}

#[derive(ApiResponse)]
enum PublishedResponse {
    /// Published; the group's talk times as they now stand.
    #[oai(status = 201)]
    Created(Json<GroupTalkTimes>),
}

#[derive(ApiResponse)]
enum PupilTimesResponse {
    #[oai(status = 200)]
    Ok(Json<PupilTalkTimes>),
}

#[OpenApi(tag = "ApiTags::TalkBooking")]
impl TalkBookingApi {
    /// The group's talk times with every booking and who comes, and the pupils without a time.
    /// For the group's mentor; the read is logged.
    #[oai(path = "/groups/:id/talk-rounds", method = "get")]
    async fn of_group(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<GroupTimesResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, GroupAction::PublishTalkTimes, GroupId(id.0))
            .await?;
        Ok(GroupTimesResponse::Ok(Json(
            talk_booking::of_group(&s.db, &permit, now).await?,
        )))
    }

    /// Publishes talk times for the group: its slots, a place or a video link, whether guardians
    /// may book separate talks, and the last day to book. For the group's mentor.
    #[oai(path = "/groups/:id/talk-rounds", method = "post")]
    async fn publish(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<TalkRoundInput>,
    ) -> Result<PublishedResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, GroupAction::PublishTalkTimes, GroupId(id.0))
            .await?;
        let input = body.parse()?;
        talk_booking::publish(&s.db, &permit, &input, now).await?;
        Ok(PublishedResponse::Created(Json(
            talk_booking::of_group(&s.db, &permit, now).await?,
        )))
    }

    /// The talk times published for the pupil's groups: free, taken, or the pupil's own with
    /// who comes. For the guardians.
    #[oai(path = "/pupils/:id/talk-times", method = "get")]
    async fn of_pupil(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<PupilTimesResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::BookTalk, PersonId(id.0))
            .await?;
        Ok(PupilTimesResponse::Ok(Json(
            talk_booking::of_pupil(&s.db, &permit, now).await?,
        )))
    }

    /// Books a free time for the pupil's talk, shared with the other guardian or (where the
    /// round allows) separate. 409 `talk_slot_taken` when someone else was first.
    #[oai(path = "/pupils/:id/talk-bookings", method = "post")]
    async fn book(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<TalkBookingInput>,
    ) -> Result<PupilTimesResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::BookTalk, PersonId(id.0))
            .await?;
        let input = body.parse()?;
        talk_booking::book(&s.db, &permit, &input, now).await?;
        Ok(PupilTimesResponse::Ok(Json(
            talk_booking::of_pupil(&s.db, &permit, now).await?,
        )))
    }

    /// Moves a booking the asker comes to to another free time of its round.
    #[oai(path = "/pupils/:id/talk-bookings/:booking", method = "put")]
    async fn move_to(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        booking: Path<Uuid>,
        body: LateJson<TalkMoveInput>,
    ) -> Result<PupilTimesResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::BookTalk, PersonId(id.0))
            .await?;
        let input = body.parse()?;
        talk_booking::move_to(&s.db, &permit, booking.0, input.slot_id, now).await?;
        Ok(PupilTimesResponse::Ok(Json(
            talk_booking::of_pupil(&s.db, &permit, now).await?,
        )))
    }

    /// The asker joins the pupil's talk that the other guardian booked.
    #[oai(path = "/pupils/:id/talk-bookings/:booking/attendees", method = "post")]
    async fn join(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        booking: Path<Uuid>,
    ) -> Result<PupilTimesResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::BookTalk, PersonId(id.0))
            .await?;
        talk_booking::join(&s.db, &permit, booking.0, now).await?;
        Ok(PupilTimesResponse::Ok(Json(
            talk_booking::of_pupil(&s.db, &permit, now).await?,
        )))
    }

    /// The asker no longer comes; the booking is cancelled when nobody is left.
    #[oai(path = "/pupils/:id/talk-bookings/:booking", method = "delete")]
    async fn cancel(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        booking: Path<Uuid>,
    ) -> Result<PupilTimesResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::BookTalk, PersonId(id.0))
            .await?;
        talk_booking::cancel(&s.db, &permit, booking.0, now).await?;
        Ok(PupilTimesResponse::Ok(Json(
            talk_booking::of_pupil(&s.db, &permit, now).await?,
        )))
    }
}
