//! Attendance statistics (`school::attendance_stats`): a pupil's term, a mentor's class, and
//! the principal's list of pupils whose absence must be investigated.

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{AttendanceOverview, AttendanceSummary, PersonAction};
use uuid::Uuid;

use super::session::SessionCookie;
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{GroupAction, GroupId, PersonId, UnitAction, UnitId};
use crate::school::attendance_stats;
use crate::state::AppState;

pub struct AttendanceStatsApi {
    state: AppState,
}

impl AttendanceStatsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum SummaryResponse {
    #[oai(status = 200)]
    Ok(Json<AttendanceSummary>),
}

#[derive(ApiResponse)]
enum OverviewResponse {
    #[oai(status = 200)]
    Ok(Json<AttendanceOverview>),
}

#[OpenApi(tag = "ApiTags::Timetable")]
impl AttendanceStatsApi {
    /// A pupil's attendance in a term: present, late, valid and unexcused absence, in all and
    /// per subject. For the pupil, the guardians, the mentor, the pupil's teachers and the
    /// principal; staff reads are logged.
    #[oai(path = "/pupils/:id/attendance", method = "get")]
    async fn summary(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        /// An earlier term (one of `terms` in an answer); the current one when left out.
        term: Query<Option<Uuid>>,
    ) -> Result<SummaryResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::ReadAttendance, PersonId(id.0))
            .await?;
        Ok(SummaryResponse::Ok(Json(
            attendance_stats::summary(&s.db, &permit, term.0, now).await?,
        )))
    }

    /// The mentor's overview of the group's attendance this term, with the pupils whose absence
    /// is repeated or long marked for follow-up.
    #[oai(path = "/groups/:id/attendance", method = "get")]
    async fn group(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<OverviewResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, GroupAction::ReadAttendanceOverview, GroupId(id.0))
            .await?;
        Ok(OverviewResponse::Ok(Json(
            attendance_stats::group_overview(&s.db, &permit, now).await?,
        )))
    }

    /// The principal's list: the school's pupils whose absence must be investigated
    /// (skollagen 7 kap. 19 a §).
    #[oai(path = "/units/:id/absence-follow-up", method = "get")]
    async fn follow_up(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<OverviewResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, UnitAction::ReadAbsenceFollowUp, UnitId(id.0))
            .await?;
        Ok(OverviewResponse::Ok(Json(
            attendance_stats::follow_up(&s.db, &permit, now).await?,
        )))
    }
}
