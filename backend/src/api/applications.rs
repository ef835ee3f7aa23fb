//! Childcare places: applications and the queue, placement offers, terminations. Answers and
//! terminations are documents signed through `POST /childcare/documents/{id}/sign`.

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    ApplicationRequest, ApplicationView, ChildcareDocumentView, ChildcarePlacementView,
    ChildcareUnit, NewestFirstCursor, OfferPage, OfferRequest, OfferStatus, OfferView, QueueCursor,
    QueuePage, TerminationRequest, DEFAULT_PAGE_LIMIT,
};
use uuid::Uuid;

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::childcare::{applications, documents, offers, termination};
use crate::http::error::ApiError;
use crate::policy::{
    self, ApplicationAction, ApplicationId, GlobalAction, OfferAction, OfferId, PersonAction,
    PersonId, PlacementAction, PlacementId,
};
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
    /// One page in queue order, with the child's birth date, guardians, siblings placed at a
    /// wished unit and the wished units' free places; `next_cursor` asks for the next page.
    #[oai(status = 200)]
    Ok(Json<QueuePage>),
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
enum OfferPageResponse {
    /// One page, newest first; `next_cursor` asks for the next page.
    #[oai(status = 200)]
    Ok(Json<OfferPage>),
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
        let permit = policy::authorize(
            &s.db,
            &user,
            PersonAction::ManageChildcarePlace,
            PersonId(body.child_id),
            s.clock.now(),
        )
        .await?;
        let view = applications::create(&s.db, &permit, &body, s.today(), s.clock.now()).await?;
        Ok(ApplicationCreated::Created(Json(view)))
    }

    /// My children's applications, with queue positions.
    #[oai(path = "/childcare/applications", method = "get")]
    async fn applications(&self, auth: SessionCookie) -> Result<ApplicationsResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit = policy::authorize_list(
            &s.db,
            &user,
            PersonAction::ManageChildcarePlace,
            s.clock.now(),
        )
        .await?;
        let list = applications::list_for_guardian(&s.db, &permit, s.today()).await?;
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
        let permit = policy::authorize(
            &s.db,
            &user,
            ApplicationAction::Withdraw,
            ApplicationId(id.0),
            s.clock.now(),
        )
        .await?;
        let view = applications::withdraw(&s.db, &permit).await?;
        Ok(ApplicationWithdrawn::Ok(Json(view)))
    }

    /// Officer: the queue (one first-choice unit, or all), in queue order, a page at a time:
    /// `limit` rows (1–100, default 50) after `cursor` (the previous page's `next_cursor`; 400
    /// `invalid_cursor` for anything else).
    #[oai(path = "/childcare/queue", method = "get")]
    async fn queue(
        &self,
        auth: SessionCookie,
        unit_id: Query<Option<Uuid>>,
        cursor: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<u32>>,
    ) -> Result<QueueResponse, ApiError> {
        let after = cursor.0.as_deref().map(QueueCursor::decode).transpose()?;
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let filter = applications::QueueFilter {
            unit_id: unit_id.0,
            after,
            limit: limit.0.unwrap_or(DEFAULT_PAGE_LIMIT),
        };
        let permit = policy::authorize_global(
            &s.db,
            &user,
            GlobalAction::HandleChildcareQueue,
            s.clock.now(),
        )
        .await?;
        let page = applications::queue(&s.db, &permit, filter, s.clock.now()).await?;
        Ok(QueueResponse::Ok(Json(page)))
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
        let permit = policy::authorize_global(
            &s.db,
            &user,
            GlobalAction::HandleChildcareQueue,
            s.clock.now(),
        )
        .await?;
        let view = offers::create(&s.db, &permit, &body, s.today(), s.clock.now()).await?;
        Ok(OfferCreated::Created(Json(view)))
    }

    /// Officer: the placement offers made in the municipality, newest first, with their status,
    /// a page at a time; `unit_id` and `status` narrow the list, `limit` (1–100, default 50)
    /// sizes the page and `cursor` (the previous page's `next_cursor`; 400 `invalid_cursor` for
    /// anything else) says where it starts.
    #[oai(path = "/childcare/officer/offers", method = "get")]
    async fn officer_offers(
        &self,
        auth: SessionCookie,
        unit_id: Query<Option<Uuid>>,
        status: Query<Option<OfferStatus>>,
        cursor: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<u32>>,
    ) -> Result<OfferPageResponse, ApiError> {
        let after = cursor
            .0
            .as_deref()
            .map(NewestFirstCursor::decode)
            .transpose()?;
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let filter = offers::OfferFilter {
            unit_id: unit_id.0,
            status: status.0,
            after,
            limit: limit.0.unwrap_or(DEFAULT_PAGE_LIMIT),
        };
        let permit = policy::authorize_global(
            &s.db,
            &user,
            GlobalAction::ReadPlacementOffers,
            s.clock.now(),
        )
        .await?;
        let page = offers::list_for_officer(&s.db, &permit, filter, s.clock.now()).await?;
        Ok(OfferPageResponse::Ok(Json(page)))
    }

    /// Offers of a place to my children.
    #[oai(path = "/childcare/offers", method = "get")]
    async fn offers(&self, auth: SessionCookie) -> Result<OffersResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit = policy::authorize_list(
            &s.db,
            &user,
            PersonAction::ManageChildcarePlace,
            s.clock.now(),
        )
        .await?;
        Ok(OffersResponse::Ok(Json(
            offers::list_for_guardian(&s.db, &permit).await?,
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
        let permit = policy::authorize_list(
            &s.db,
            &user,
            PersonAction::ManageChildcarePlace,
            s.clock.now(),
        )
        .await?;
        Ok(PlacementsResponse::Ok(Json(
            termination::placements(&s.db, &permit, s.today()).await?,
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
        let permit = policy::authorize(
            &s.db,
            &user,
            PlacementAction::Terminate,
            PlacementId(body.placement_id),
            s.clock.now(),
        )
        .await?;
        let doc = termination::create(&s.db, &permit, &body, s.today(), s.clock.now()).await?;
        Ok(DocumentCreated::Created(Json(
            documents::view(&s.db, &user, doc, s.today()).await?,
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
        let permit = policy::authorize(
            &s.db,
            &user,
            OfferAction::Answer,
            OfferId(offer_id),
            s.clock.now(),
        )
        .await?;
        let doc = offers::answer(&s.db, &permit, accept, s.today(), s.clock.now()).await?;
        Ok(DocumentCreated::Created(Json(
            documents::view(&s.db, &user, doc, s.today()).await?,
        )))
    }
}
