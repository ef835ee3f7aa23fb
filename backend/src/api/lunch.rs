//! Lunch menus: a unit's week, public (a menu is no one's personal data, and the municipality's
//! website shows it too), and entered by the unit's staff.

use chrono::NaiveDate;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{LunchMenuUpdate, LunchMenuWeek};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::municipality;
use crate::policy::{self, UnitAction, UnitId};
use crate::school::{lunch, timetable};
use crate::state::AppState;

pub struct LunchApi {
    state: AppState,
}

impl LunchApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum LunchResponse {
    /// Monday to Friday, each day whether a menu is entered or not.
    #[oai(status = 200)]
    Ok(Json<LunchMenuWeek>),
}

#[OpenApi(tag = "ApiTags::Lunch")]
impl LunchApi {
    /// A school's or preschool's lunch menu for the week starting `week` (a Monday; this week
    /// when left out). Needs no login.
    #[oai(path = "/units/:id/lunch", method = "get")]
    async fn week(
        &self,
        id: Path<Uuid>,
        week: Query<Option<NaiveDate>>,
    ) -> Result<LunchResponse, ApiError> {
        let s = &self.state;
        let municipality =
            municipality::current(&s.db, s.settings.server.municipality_code.as_deref()).await?;
        let monday = week.0.unwrap_or_else(|| timetable::this_week(s.today()));
        Ok(LunchResponse::Ok(Json(
            lunch::week(&s.db, municipality.id, id.0, monday).await?,
        )))
    }

    /// The unit's staff enter the week's menu: each day given replaces that day, a day with both
    /// dishes empty is cleared. Answers the week as stored.
    #[oai(path = "/units/:id/lunch/:week", method = "put")]
    async fn save(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        week: Path<NaiveDate>,
        body: LateJson<LunchMenuUpdate>,
    ) -> Result<LunchResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let now = s.clock.now();
        let permit =
            policy::authorize(&s.db, &user, UnitAction::EditLunchMenu, UnitId(id.0), now).await?;
        let update = body.parse()?;
        Ok(LunchResponse::Ok(Json(
            lunch::save_week(&s.db, &permit, week.0, &update, now).await?,
        )))
    }
}
