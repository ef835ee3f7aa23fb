//! Grades (`school::grades`): a pupil's grades, the subject teacher's sheet for a group, and
//! the principal's lock of a school's term.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{GradeSheet, GradeSheetUpdate, PersonAction, PupilGrades};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::SessionCookie;
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{GroupAction, GroupId, PersonId, UnitAction, UnitId};
use crate::school::grades;
use crate::state::AppState;

pub struct GradesApi {
    state: AppState,
}

impl GradesApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum PupilGradesResponse {
    #[oai(status = 200)]
    Ok(Json<PupilGrades>),
}

#[derive(ApiResponse)]
enum SheetResponse {
    #[oai(status = 200)]
    Ok(Json<GradeSheet>),
}

#[derive(ApiResponse)]
enum LockedResponse {
    /// The term's grades at the school are locked.
    #[oai(status = 204)]
    Locked,
}

#[OpenApi(tag = "ApiTags::Grades")]
impl GradesApi {
    /// A pupil's grades per subject and term, the latest first; none of a school year that gets
    /// none. For the pupil, the guardians and the mentor, with a one-time code or BankID; the
    /// mentor's read is logged.
    #[oai(path = "/pupils/:id/grades", method = "get")]
    async fn of_pupil(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<PupilGradesResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, PersonAction::ReadGrades, PersonId(id.0))
            .await?;
        Ok(PupilGradesResponse::Ok(Json(
            grades::of_pupil(&s.db, &permit, now).await?,
        )))
    }

    /// The subject teacher's sheet for the group this term: its pupils and their grades in the
    /// subjects the asker teaches there. The pupils shown are logged.
    #[oai(path = "/groups/:id/grades", method = "get")]
    async fn sheet(&self, auth: SessionCookie, id: Path<Uuid>) -> Result<SheetResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, GroupAction::SetGrades, GroupId(id.0))
            .await?;
        Ok(SheetResponse::Ok(Json(
            grades::sheet(&s.db, &permit, now).await?,
        )))
    }

    /// Sets this term's grades (A–F, or a dash) in one of the asker's subjects for pupils of the
    /// group; a missing value takes a grade away. All or none; refused when the term is locked,
    /// for a year that gets no grades, or where grades come from the school administration
    /// system. Answers the sheet.
    #[oai(path = "/groups/:id/grades", method = "put")]
    async fn set(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<GradeSheetUpdate>,
    ) -> Result<SheetResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, GroupAction::SetGrades, GroupId(id.0))
            .await?;
        let update = body.parse()?;
        grades::set(&s.db, &permit, &update, now).await?;
        Ok(SheetResponse::Ok(Json(
            grades::sheet(&s.db, &permit, now).await?,
        )))
    }

    /// Locks the school's grades of the current term: no teacher changes them after. For the
    /// principal.
    #[oai(path = "/units/:id/grade-lock", method = "post")]
    async fn lock(&self, auth: SessionCookie, id: Path<Uuid>) -> Result<LockedResponse, ApiError> {
        let s = &self.state;
        let (permit, now) = s
            .permit(&auth, UnitAction::LockGrades, UnitId(id.0))
            .await?;
        grades::lock(&s.db, &permit, now).await?;
        Ok(LockedResponse::Locked)
    }
}
