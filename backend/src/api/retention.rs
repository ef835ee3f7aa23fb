//! Retention for the municipality administrator: the dry run, starting today's run, the runs'
//! reports, the archive packages and the statistics kept (`crate::retention`).

use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{ArchiveDelivery, AttendanceStatistics, RetentionPlan, RetentionRuns};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{self, GlobalAction, Permit};
use crate::retention;
use crate::state::AppState;

pub struct RetentionApi {
    state: AppState,
}

impl RetentionApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    async fn permit(&self, auth: &SessionCookie) -> Result<Permit<GlobalAction>, ApiError> {
        let s = &self.state;
        let user = s.authenticate(auth, Gate::Ready).await?;
        Ok(
            policy::authorize_global(&s.db, &user, GlobalAction::HandleRetention, s.clock.now())
                .await?,
        )
    }
}

#[derive(ApiResponse)]
enum PlanResponse {
    #[oai(status = 200)]
    Ok(Json<RetentionPlan>),
}

#[derive(ApiResponse)]
enum RunsResponse {
    #[oai(status = 200)]
    Ok(Json<RetentionRuns>),
}

#[derive(ApiResponse)]
enum Started {
    /// Today's run: started now, or the one already started today. Its steps run as jobs;
    /// follow it in the runs.
    #[oai(status = 202)]
    Accepted(Json<RetentionRuns>),
}

#[derive(ApiResponse)]
enum PackageResponse {
    /// The archive package as a tar: `<package id>/sip.xml` (METS, FGS CSPackage) and
    /// `<package id>/content/…`.
    #[oai(status = 200, content_type = "application/x-tar")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

#[derive(ApiResponse)]
enum StatisticsResponse {
    #[oai(status = 200)]
    Ok(Json<AttendanceStatistics>),
}

#[OpenApi(tag = "ApiTags::Administration")]
impl RetentionApi {
    /// Administrator: the retention dry run, what a run today would remove and export to the
    /// archive, per kind. Counts only.
    #[oai(path = "/admin/retention/plan", method = "get")]
    async fn plan(&self, auth: SessionCookie) -> Result<PlanResponse, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        let plan = retention::dry_run(&s.db, &permit, s.clock.today()).await?;
        Ok(PlanResponse::Ok(Json(plan)))
    }

    /// Administrator: the municipality's retention runs, newest first, each with its counts
    /// per kind (never names) and its archive package.
    #[oai(path = "/admin/retention/runs", method = "get")]
    async fn runs(&self, auth: SessionCookie) -> Result<RunsResponse, ApiError> {
        let permit = self.permit(&auth).await?;
        let runs = retention::reports(&self.state.db, &permit).await?;
        Ok(RunsResponse::Ok(Json(runs)))
    }

    /// Administrator: start today's run now rather than at night. Starting it again the same
    /// day starts nothing new.
    #[oai(path = "/admin/retention/runs", method = "post")]
    async fn start(&self, auth: SessionCookie) -> Result<Started, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        retention::start_now(&s.db, &permit, s.clock.today(), s.clock.now()).await?;
        let runs = retention::reports(&s.db, &permit).await?;
        Ok(Started::Accepted(Json(runs)))
    }

    /// Administrator: a finished run's archive package, to deliver to the city archive. 404
    /// while the run is still exporting, or when it exported nothing; 409 once delivered.
    #[oai(path = "/admin/retention/runs/:id/package", method = "get")]
    async fn package(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<PackageResponse, ApiError> {
        let permit = self.permit(&auth).await?;
        let (package, tar) = retention::archive::package_tar(&self.state.db, &permit, id.0).await?;
        Ok(PackageResponse::Ok(
            Binary(tar),
            format!("attachment; filename=\"arkivpaket-{package}.tar\""),
            "no-store".to_owned(),
        ))
    }

    /// Administrator: the city archive received the run's package, and its receipt quotes this
    /// checksum of `sip.xml`. When it is the package's, the portal deletes the package's files
    /// and keeps the delivery in the run's report. 422 when the checksum is not the package's
    /// (nothing changes); 409 when the package is not complete or already delivered.
    #[oai(path = "/admin/retention/runs/:id/package/delivery", method = "post")]
    async fn delivered(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<ArchiveDelivery>,
    ) -> Result<RunsResponse, ApiError> {
        let permit = self.permit(&auth).await?;
        let body = body.parse()?;
        let s = &self.state;
        retention::archive::confirm_delivery(&s.db, &permit, id.0, &body.sip_sha256, s.clock.now())
            .await?;
        let runs = retention::reports(&s.db, &permit).await?;
        Ok(RunsResponse::Ok(Json(runs)))
    }

    /// Administrator: attendance and absence per unit, term and subject: what retention kept
    /// and what is still stored, counted alike. Anonymous: no pupil, no day.
    #[oai(path = "/admin/statistics/attendance", method = "get")]
    async fn statistics(&self, auth: SessionCookie) -> Result<StatisticsResponse, ApiError> {
        let permit = self.permit(&auth).await?;
        let rows = retention::statistics::statistics(&self.state.db, &permit).await?;
        Ok(StatisticsResponse::Ok(Json(rows)))
    }
}
