use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{MunicipalityInfo, PublicUnit};

use super::ApiTags;
use crate::http::error::ApiError;
use crate::municipality;
use crate::state::AppState;

pub struct MunicipalityApi {
    state: AppState,
}

impl MunicipalityApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum MunicipalityResponse {
    /// Name, logo, theme and languages. Public: the shell themes itself before login.
    #[oai(status = 200)]
    Ok(Json<MunicipalityInfo>),
}

#[derive(ApiResponse)]
enum PublicUnitsResponse {
    /// The units with address, hours, free places and queue time. Public: the municipality's
    /// website lists them; nothing in them is about a person.
    #[oai(status = 200)]
    Ok(Json<Vec<PublicUnit>>),
}

#[OpenApi(tag = "ApiTags::Municipality")]
impl MunicipalityApi {
    /// The municipality this portal belongs to.
    #[oai(path = "/municipality", method = "get")]
    async fn get(&self) -> Result<MunicipalityResponse, ApiError> {
        let model = municipality::current(
            &self.state.db,
            self.state.settings.server.municipality_code.as_deref(),
        )
        .await?;
        let info =
            municipality::public_info(&model).map_err(municipality::MunicipalityError::from)?;
        Ok(MunicipalityResponse::Ok(Json(info)))
    }

    /// The municipality's preschools, fritidshem and schools, as its website shows them.
    #[oai(path = "/public/units", method = "get")]
    async fn units(&self) -> Result<PublicUnitsResponse, ApiError> {
        let s = &self.state;
        let model =
            municipality::current(&s.db, s.settings.server.municipality_code.as_deref()).await?;
        let units = crate::public_units::list(&s.db, model.id, s.clock.today()).await?;
        Ok(PublicUnitsResponse::Ok(Json(units)))
    }
}
