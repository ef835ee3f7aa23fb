//! Absence reports by the adults who care for a child (`school::absence`).

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    AbsenceInput, AbsenceReport, AbsenceReportAction, NewAbsenceReport, PersonAction,
};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{self, AbsenceReportId, PersonId};
use crate::school::absence;
use crate::state::AppState;

pub struct AbsenceApi {
    state: AppState,
}

impl AbsenceApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    /// One report per child, each child permitted `action` (a family's report or the staff's
    /// mark).
    async fn report_as(
        &self,
        auth: SessionCookie,
        body: LateJson<NewAbsenceReport>,
        action: PersonAction,
    ) -> Result<ReportedResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let input = body.parse()?;
        let now = s.clock.now();
        let mut permits = Vec::new();
        for child in absence::children_of(&input)? {
            permits.push(policy::authorize(&s.db, &user, action, PersonId(child), now).await?);
        }
        Ok(ReportedResponse::Created(Json(
            absence::report(&s.db, &permits, &input, s.settings.ss12000.as_ref(), now).await?,
        )))
    }
}

#[derive(ApiResponse)]
enum ReportedResponse {
    /// The report, one per child (also when this submit was stored before).
    #[oai(status = 201)]
    Created(Json<Vec<AbsenceReport>>),
}

#[derive(ApiResponse)]
enum ReportsResponse {
    /// The reports about the adult's children that end today or later, the earliest first.
    #[oai(status = 200)]
    Ok(Json<Vec<AbsenceReport>>),
}

#[derive(ApiResponse)]
enum ChangedResponse {
    /// The report as now stored.
    #[oai(status = 200)]
    Ok(Json<AbsenceReport>),
}

#[derive(ApiResponse)]
enum WithdrawnResponse {
    /// Withdrawn.
    #[oai(status = 204)]
    Withdrawn,
}

#[OpenApi(tag = "ApiTags::Absence")]
impl AbsenceApi {
    /// Reports one or several children absent: today, several days or future days, whole days
    /// or part of one day, with a reason code (sick or other) and no text. Send the same
    /// `submission_id` again to retry: one submit makes one report per child, however often
    /// it is sent.
    #[oai(path = "/absence-reports", method = "post")]
    async fn report(
        &self,
        auth: SessionCookie,
        body: LateJson<NewAbsenceReport>,
    ) -> Result<ReportedResponse, ApiError> {
        self.report_as(auth, body, PersonAction::ReportAbsence)
            .await
    }

    /// Staff mark children of their unit absent (the day sheet): the same report as a
    /// guardian's, in the staff member's name. `submission_id` makes a retry find it.
    #[oai(path = "/absence-reports/by-staff", method = "post")]
    async fn mark(
        &self,
        auth: SessionCookie,
        body: LateJson<NewAbsenceReport>,
    ) -> Result<ReportedResponse, ApiError> {
        self.report_as(auth, body, PersonAction::MarkAbsence).await
    }

    /// The current reports about the logged-in adult's children.
    #[oai(path = "/absence-reports", method = "get")]
    async fn reports(&self, auth: SessionCookie) -> Result<ReportsResponse, ApiError> {
        let s = &self.state;
        let (user, reportable) = s
            .own_children_with(&auth, PersonAction::ReportAbsence)
            .await?;
        Ok(ReportsResponse::Ok(Json(
            absence::current_of(&s.db, &user, &reportable, s.clock.now()).await?,
        )))
    }

    /// Changes a report's days, hours or reason, until it starts.
    #[oai(path = "/absence-reports/:id", method = "put")]
    async fn change(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<AbsenceInput>,
    ) -> Result<ChangedResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit = policy::authorize(
            &s.db,
            &user,
            AbsenceReportAction::Change,
            AbsenceReportId(id.0),
            now,
        )
        .await?;
        let input = body.parse()?;
        Ok(ChangedResponse::Ok(Json(
            absence::change(&s.db, &permit, &input, now).await?,
        )))
    }

    /// Withdraws a report, until it starts.
    #[oai(path = "/absence-reports/:id", method = "delete")]
    async fn withdraw(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<WithdrawnResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit = policy::authorize(
            &s.db,
            &user,
            AbsenceReportAction::Withdraw,
            AbsenceReportId(id.0),
            now,
        )
        .await?;
        absence::withdraw(&s.db, &permit, now).await?;
        Ok(WithdrawnResponse::Withdrawn)
    }
}
