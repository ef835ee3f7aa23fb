use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::MunicipalityInfo;

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
}
