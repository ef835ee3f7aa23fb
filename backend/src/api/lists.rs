//! Class and group lists and schools' staff lists: which the person may open, and each list.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{GroupList, SchoolLists, StaffList};
use uuid::Uuid;

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{self, GroupAction, GroupId, UnitAction, UnitId};
use crate::school::lists;
use crate::state::AppState;

pub struct ListsApi {
    state: AppState,
}

impl ListsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum ListsResponse {
    /// The groups and schools whose lists the person may open.
    #[oai(status = 200)]
    Ok(Json<SchoolLists>),
}

#[derive(ApiResponse)]
enum GroupListResponse {
    /// The group's pupils (names and classes) and its mentors and teachers. A teacher's read is
    /// written to the access log.
    #[oai(status = 200)]
    Ok(Json<GroupList>),
}

#[derive(ApiResponse)]
enum StaffListResponse {
    /// The unit's staff with their roles, work phones and work e-mails.
    #[oai(status = 200)]
    Ok(Json<StaffList>),
}

#[OpenApi(tag = "ApiTags::Lists")]
impl ListsApi {
    /// The class and group lists I may open (my groups, my children's, the groups I teach) and
    /// the schools whose staff list I may see.
    #[oai(path = "/lists", method = "get")]
    async fn lists(&self, auth: SessionCookie) -> Result<ListsResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let now = s.clock.now();
        let groups = policy::authorize_list(&s.db, &user, GroupAction::ReadGroupList, now).await?;
        let units = policy::authorize_list(&s.db, &user, UnitAction::ReadStaffList, now).await?;
        Ok(ListsResponse::Ok(Json(
            lists::lists(&s.db, &groups, &units).await?,
        )))
    }

    /// A class or group list, for the group's pupils, their responsible adults and the group's
    /// mentors and teachers. Anyone else gets 404.
    #[oai(path = "/groups/:id/list", method = "get")]
    async fn group(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<GroupListResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit =
            policy::authorize(&s.db, &user, GroupAction::ReadGroupList, GroupId(id.0), now).await?;
        Ok(GroupListResponse::Ok(Json(
            lists::group_list(&s.db, &permit, now).await?,
        )))
    }

    /// A school's staff list, for its pupils, their responsible adults and its staff. Anyone
    /// else gets 404.
    #[oai(path = "/units/:id/staff", method = "get")]
    async fn staff(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<StaffListResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit =
            policy::authorize(&s.db, &user, UnitAction::ReadStaffList, UnitId(id.0), now).await?;
        Ok(StaffListResponse::Ok(Json(
            lists::staff_list(&s.db, &permit, s.today()).await?,
        )))
    }
}
