//! Childcare places: applications and the queue, placement offers, terminations. Answers and
//! terminations are documents signed through `POST /childcare/documents/{id}/sign`.

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    ApplicationRequest, ApplicationView, ChildcareDocumentView, ChildcarePlacementView,
    ChildcareUnit, OfferRequest, OfferStatus, OfferView, QueueEntry, TerminationRequest,
};
use uuid::Uuid;

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::access_log;
use crate::childcare::{applications, documents, offers, termination};
use crate::http::error::ApiError;
use crate::policy::{self, Action};
use crate::state::AppState;

pub struct ApplicationsApi {
    state: AppState,
}

impl ApplicationsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum UnitsResponse {
    /// Preschools, family daycare and fritidshem of the municipality.
    #[oai(status = 200)]
    Ok(Json<Vec<ChildcareUnit>>),
}

#[derive(ApiResponse)]
enum ApplicationCreated {
    /// In the queue: with its position and the date a place must be offered by.
    #[oai(status = 201)]
    Created(Json<ApplicationView>),
}

#[derive(ApiResponse)]
enum ApplicationsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<ApplicationView>>),
}

#[derive(ApiResponse)]
enum ApplicationWithdrawn {
    /// Withdrawn: out of the queue.
    #[oai(status = 200)]
    Ok(Json<ApplicationView>),
}

#[derive(ApiResponse)]
enum QueueResponse {
    /// In queue order, with the child's birth date, guardians, siblings placed at a wished unit
    /// and the wished units' free places.
    #[oai(status = 200)]
    Ok(Json<Vec<QueueEntry>>),
}

#[derive(ApiResponse)]
enum OfferCreated {
    #[oai(status = 201)]
    Created(Json<OfferView>),
}

#[derive(ApiResponse)]
enum OffersResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<OfferView>>),
}

#[derive(ApiResponse)]
enum PlacementsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<ChildcarePlacementView>>),
}

#[derive(ApiResponse)]
enum DocumentCreated {
    /// The document to sign with BankID (`POST /childcare/documents/{id}/sign`).
    #[oai(status = 201)]
    Created(Json<ChildcareDocumentView>),
}

#[OpenApi(tag = "ApiTags::Applications")]
impl ApplicationsApi {
    /// The units one can apply to.
    #[oai(path = "/childcare/units", method = "get")]
    async fn units(&self, auth: SessionCookie) -> Result<UnitsResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        Ok(UnitsResponse::Ok(Json(
            applications::units(&self.state.db, user.municipality_id).await?,
        )))
    }

    /// Apply for a childcare place for my child: wished start, up to three units in ranked
    /// order, hours per week.
    #[oai(path = "/childcare/applications", method = "post")]
    async fn apply(
        &self,
        auth: SessionCookie,
        body: Json<ApplicationRequest>,
    ) -> Result<ApplicationCreated, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let view = applications::create(&s.db, &user, &body, s.today(), s.clock.now()).await?;
        Ok(ApplicationCreated::Created(Json(view)))
    }

    /// My children's applications, with queue positions.
    #[oai(path = "/childcare/applications", method = "get")]
    async fn applications(&self, auth: SessionCookie) -> Result<ApplicationsResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let list = applications::list_for_guardian(&s.db, &user, s.today()).await?;
        access_log::record(
            &s.db,
            &user,
            Action::ManageChildcarePlace,
            list.iter().map(|a| a.child_id),
            s.clock.now(),
        )
        .await?;
        Ok(ApplicationsResponse::Ok(Json(list)))
    }

    /// Withdraw my child's application while it is in the queue (before a place is offered).
    #[oai(path = "/childcare/applications/:id/withdraw", method = "post")]
    async fn withdraw(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<ApplicationWithdrawn, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let view = applications::withdraw(&s.db, &user, id.0, s.today()).await?;
        Ok(ApplicationWithdrawn::Ok(Json(view)))
    }

    /// Officer: the queue (one first-choice unit, or all), in queue order.
    #[oai(path = "/childcare/queue", method = "get")]
    async fn queue(
        &self,
        auth: SessionCookie,
        unit_id: Query<Option<Uuid>>,
    ) -> Result<QueueResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        policy::authorize_list(&s.db, &user, Action::HandleChildcareQueue, s.today()).await?;
        let (list, siblings) = applications::queue(&s.db, &user, unit_id.0, s.today()).await?;
        // The siblings' names and places are children's data too.
        access_log::record(
            &s.db,
            &user,
            Action::HandleChildcareQueue,
            list.iter().map(|e| e.application.child_id).chain(siblings),
            s.clock.now(),
        )
        .await?;
        Ok(QueueResponse::Ok(Json(list)))
    }

    /// Officer: offer a place to an application in the queue. The guardian has
    /// `offer_answer_days` to answer.
    #[oai(path = "/childcare/offers", method = "post")]
    async fn offer(
        &self,
        auth: SessionCookie,
        body: Json<OfferRequest>,
    ) -> Result<OfferCreated, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let view = offers::create(&s.db, &user, &body, s.today(), s.clock.now()).await?;
        Ok(OfferCreated::Created(Json(view)))
    }

    /// Officer: the placement offers made in the municipality, newest first, with their status;
    /// `unit_id` and `status` narrow the list, `limit` (default 100) caps it.
    #[oai(path = "/childcare/officer/offers", method = "get")]
    async fn officer_offers(
        &self,
        auth: SessionCookie,
        unit_id: Query<Option<Uuid>>,
        status: Query<Option<OfferStatus>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] limit: Query<Option<u32>>,
    ) -> Result<OffersResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let filter = offers::OfferFilter {
            unit_id: unit_id.0,
            status: status.0,
            limit: limit.0.unwrap_or(super::DEFAULT_LIST_LIMIT),
        };
        policy::authorize_list(&s.db, &user, Action::ReadPlacementOffers, s.today()).await?;
        let list = offers::list_for_officer(&s.db, &user, filter, s.today()).await?;
        access_log::record(
            &s.db,
            &user,
            Action::ReadPlacementOffers,
            list.iter().map(|o| o.child_id),
            s.clock.now(),
        )
        .await?;
        Ok(OffersResponse::Ok(Json(list)))
    }

    /// Offers of a place to my children.
    #[oai(path = "/childcare/offers", method = "get")]
    async fn offers(&self, auth: SessionCookie) -> Result<OffersResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        Ok(OffersResponse::Ok(Json(
            offers::list_for_guardian(&s.db, &user, s.today()).await?,
        )))
    }

    /// Accept an offer: creates the answer to sign with BankID; signing it creates the place.
    #[oai(path = "/childcare/offers/:id/accept", method = "post")]
    async fn accept(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<DocumentCreated, ApiError> {
        self.answer(auth, id.0, true).await
    }

    /// Decline an offer: creates the answer to sign with BankID.
    #[oai(path = "/childcare/offers/:id/decline", method = "post")]
    async fn decline(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<DocumentCreated, ApiError> {
        self.answer(auth, id.0, false).await
    }

    /// My children's current places, with the earliest last day a termination may name.
    #[oai(path = "/childcare/placements", method = "get")]
    async fn placements(&self, auth: SessionCookie) -> Result<PlacementsResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        Ok(PlacementsResponse::Ok(Json(
            termination::placements(&s.db, &user, s.today()).await?,
        )))
    }

    /// Terminate a place: the last day must respect the notice period. Creates the termination
    /// to sign with BankID; signing it sets the place's end date.
    #[oai(path = "/childcare/terminations", method = "post")]
    async fn terminate(
        &self,
        auth: SessionCookie,
        body: Json<TerminationRequest>,
    ) -> Result<DocumentCreated, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let doc = termination::create(&s.db, &user, &body, s.today(), s.clock.now()).await?;
        Ok(DocumentCreated::Created(Json(
            documents::view(&s.db, &user, doc).await?,
        )))
    }
}

impl ApplicationsApi {
    async fn answer(
        &self,
        auth: SessionCookie,
        offer_id: Uuid,
        accept: bool,
    ) -> Result<DocumentCreated, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let doc = offers::answer(&s.db, &user, offer_id, accept, s.today(), s.clock.now()).await?;
        Ok(DocumentCreated::Created(Json(
            documents::view(&s.db, &user, doc).await?,
        )))
    }
}
