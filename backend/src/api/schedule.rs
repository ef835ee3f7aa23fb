//! Childcare schedules (vistelsetid), pick-up persons (hämtare) and the staff's day sheet.
//! Every operation on a child asks the policy first (denial = 404) and parses its body after
//! that (`LateJson`), so someone else's child answers 404 whatever is sent.

use chrono::NaiveDate;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    CopyOutcome, CopyWeek, DaySheet, NewPickupPerson, PickupPerson, WeekSchedule,
    WeekScheduleUpdate,
};
use skolportal_shared::calendar;
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::auth::session::SessionUser;
use crate::childcare::pickup::{self, PickupError};
use crate::childcare::schedule::{self, ScheduleError};
use crate::http::error::ApiError;
use crate::policy::{self, Permit, PersonAction, PersonId, PolicyError, UnitAction, UnitId};
use crate::state::AppState;

pub struct ScheduleApi {
    state: AppState,
}

impl ScheduleApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    async fn authorize(
        &self,
        user: &SessionUser,
        action: PersonAction,
        child: Uuid,
    ) -> Result<Permit<PersonAction>, ApiError> {
        let now = self.state.clock.now();
        Ok(policy::authorize(&self.state.db, user, action, PersonId(child), now).await?)
    }

    async fn week_view(
        &self,
        user: &SessionUser,
        permit: &Permit<PersonAction>,
        week: NaiveDate,
    ) -> Result<WeekSchedule, ApiError> {
        let s = &self.state;
        let child = permit.target().0;
        let mut permitted =
            policy::permitted_actions::<PersonAction>(&s.db, user, &[child], s.today()).await?;
        // What the week view offers: saving and copying.
        let actions = permitted
            .remove(&child)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| *a == PersonAction::EditChildcareSchedule)
            .collect();
        Ok(schedule::week(&s.db, user, permit, week, s.today(), actions).await?)
    }
}

#[derive(ApiResponse)]
enum WeekResponse {
    /// The child's week, Monday to Friday, with what is locked and who changed it last.
    #[oai(status = 200)]
    Ok(Json<WeekSchedule>),
}

#[derive(ApiResponse)]
enum CopyResponse {
    /// What was written, and the days that were skipped and why.
    #[oai(status = 200)]
    Ok(Json<CopyOutcome>),
}

#[derive(ApiResponse)]
enum PickupListResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<PickupPerson>>),
}

#[derive(ApiResponse)]
enum PickupCreated {
    #[oai(status = 201)]
    Created(Json<PickupPerson>),
}

#[derive(ApiResponse)]
enum Removed {
    /// Removed.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum DaySheetResponse {
    /// The children expected that day, in drop-off order. Reading it is written to the access
    /// log.
    #[oai(status = 200)]
    Ok(Json<DaySheet>),
}

#[OpenApi(tag = "ApiTags::Schedule")]
impl ScheduleApi {
    /// A child's schedule for the week starting `week` (a Monday; this week when left out), for
    /// the child's guardians and the staff of the child's unit.
    #[oai(path = "/childcare/children/:id/schedule", method = "get")]
    async fn week(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        week: Query<Option<NaiveDate>>,
    ) -> Result<WeekResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let permit = self
            .authorize(&user, PersonAction::ReadChildcareSchedule, id.0)
            .await?;
        let week = week
            .0
            .unwrap_or_else(|| calendar::week_start(self.state.today()));
        let view = self.week_view(&user, &permit, week).await?;
        Ok(WeekResponse::Ok(Json(view)))
    }

    /// A guardian sets days of the week starting `week` (a Monday). Listed days get the given
    /// times (both, or neither for a day without care); other days are left as they are. A
    /// locked day may only be listed unchanged. All days are checked before anything is saved.
    #[oai(path = "/childcare/children/:id/schedule", method = "put")]
    async fn save(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        week: Query<Option<NaiveDate>>,
        body: LateJson<WeekScheduleUpdate>,
    ) -> Result<WeekResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let permit = self
            .authorize(&user, PersonAction::EditChildcareSchedule, id.0)
            .await?;
        let update = body.parse()?;
        let week = week.0.ok_or(ScheduleError::WeekRequired)?;
        let s = &self.state;
        schedule::save_week(
            &s.db,
            &user,
            &permit,
            week,
            &update,
            s.today(),
            s.clock.now(),
        )
        .await?;
        // Whoever may edit the week reads it back; the policy says so, not this handler.
        let read = self
            .authorize(
                &user,
                PersonAction::ReadChildcareSchedule,
                permit.target().0,
            )
            .await?;
        Ok(WeekResponse::Ok(Json(
            self.week_view(&user, &read, week).await?,
        )))
    }

    /// A guardian copies the week starting `week` to the following `weeks` weeks, and to the
    /// same and following weeks of the listed siblings (own children with a place of the same
    /// kind). Locked, closed and impossible days are skipped and reported.
    #[oai(path = "/childcare/children/:id/schedule/copy", method = "post")]
    async fn copy(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        week: Query<Option<NaiveDate>>,
        body: LateJson<CopyWeek>,
    ) -> Result<CopyResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let permit = self
            .authorize(&user, PersonAction::EditChildcareSchedule, id.0)
            .await?;
        let request = body.parse()?;
        let week = week.0.ok_or(ScheduleError::WeekRequired)?;
        let mut siblings = Vec::new();
        for sibling in &request.sibling_ids {
            // Someone else's child, or no child at all: the same answer, and it says nothing.
            match policy::authorize(
                &self.state.db,
                &user,
                PersonAction::EditChildcareSchedule,
                PersonId(*sibling),
                self.state.clock.now(),
            )
            .await
            {
                Ok(p) => siblings.push(p),
                Err(PolicyError::NotFound) => return Err(ScheduleError::InvalidSibling.into()),
                Err(e) => return Err(e.into()),
            }
        }
        let s = &self.state;
        let outcome = schedule::copy_week(
            &s.db,
            &user,
            &permit,
            &siblings,
            week,
            request.weeks,
            s.today(),
            s.clock.now(),
        )
        .await?;
        Ok(CopyResponse::Ok(Json(outcome)))
    }

    /// The child's pick-up persons, for the guardians and the staff of the child's unit.
    #[oai(path = "/childcare/children/:id/pickup-persons", method = "get")]
    async fn pickup_persons(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<PickupListResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let permit = self
            .authorize(&user, PersonAction::ReadPickupPersons, id.0)
            .await?;
        let list = pickup::list(&self.state.db, &user, &permit).await?;
        Ok(PickupListResponse::Ok(Json(list)))
    }

    /// A guardian adds someone who may collect the child.
    #[oai(path = "/childcare/children/:id/pickup-persons", method = "post")]
    async fn add_pickup_person(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<NewPickupPerson>,
    ) -> Result<PickupCreated, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let permit = self
            .authorize(&user, PersonAction::ManagePickupPersons, id.0)
            .await?;
        let new = body.parse()?;
        let s = &self.state;
        let created = pickup::add(&s.db, &user, &permit, &new, s.clock.now()).await?;
        Ok(PickupCreated::Created(Json(created)))
    }

    /// A guardian removes a pick-up person.
    #[oai(
        path = "/childcare/children/:id/pickup-persons/:pickup_id",
        method = "delete"
    )]
    async fn remove_pickup_person(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        /// The pick-up person's id (a UUID; anything else is not found).
        pickup_id: Path<String>,
    ) -> Result<Removed, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let permit = self
            .authorize(&user, PersonAction::ManagePickupPersons, id.0)
            .await?;
        let pickup_id = Uuid::parse_str(&pickup_id.0).map_err(|_| PickupError::NotFound)?;
        pickup::remove(&self.state.db, &user, &permit, pickup_id).await?;
        Ok(Removed::NoContent)
    }

    /// Staff: the children expected at unit `id` on `date` (today when left out), with their
    /// times and pick-up persons. Anyone without a current duty at the unit gets 404.
    #[oai(path = "/childcare/units/:id/day", method = "get")]
    async fn day_sheet(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        date: Query<Option<NaiveDate>>,
    ) -> Result<DaySheetResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let date = date.0.unwrap_or_else(|| s.today());
        let permit = policy::authorize(
            &s.db,
            &user,
            UnitAction::ReadChildcareDaySheet,
            UnitId(id.0),
            s.clock.now(),
        )
        .await?;
        let sheet = schedule::day_sheet(&s.db, &permit, date, s.clock.now()).await?;
        Ok(DaySheetResponse::Ok(Json(sheet)))
    }
}
