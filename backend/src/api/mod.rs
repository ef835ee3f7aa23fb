//! The HTTP API, one module per area, each an `#[OpenApi]` impl. Handlers are thin: parse, ask the
//! access policy, call the domain service, map the result. Every operation is in the served spec.

mod health;
mod municipality;

use poem_openapi::{OpenApiService, Tags};

use crate::state::AppState;

#[derive(Tags)]
pub enum ApiTags {
    /// Health and metadata.
    System,
    /// The municipality and its public information.
    Municipality,
}

pub type Apis = (health::HealthApi, municipality::MunicipalityApi);

pub fn service(state: &AppState) -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            health::HealthApi::new(state.clone()),
            municipality::MunicipalityApi::new(state.clone()),
        ),
        "Skolportal",
        env!("CARGO_PKG_VERSION"),
    )
    .description("The school and childcare portal's API. Errors are JSON `{\"error\": code, \"message\": text}`.")
    .server("/api")
}
