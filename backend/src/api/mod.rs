//! The HTTP API, one module per area, each an `#[OpenApi]` impl. Handlers are thin: parse, ask the
//! access policy, call the domain service, map the result. Every operation is in the served spec.

mod auth;
mod bankid;
mod childcare;
mod children;
mod health;
mod me;
mod municipality;
mod pupils;
pub mod session;

use poem_openapi::{OpenApiService, Tags};

use crate::state::AppState;

#[derive(Tags)]
pub enum ApiTags {
    /// Health and metadata.
    System,
    /// The municipality and its public information.
    Municipality,
    /// Logging in and out.
    Auth,
    /// The logged-in person.
    Me,
    /// A guardian's children.
    Children,
    /// Pupil cards and lists (access-controlled and logged).
    Pupils,
    /// Childcare e-services: income statements, documents signed with BankID.
    Childcare,
}

pub type Apis = (
    health::HealthApi,
    municipality::MunicipalityApi,
    auth::AuthApi,
    bankid::BankIdApi,
    me::MeApi,
    children::ChildrenApi,
    pupils::PupilsApi,
    childcare::ChildcareApi,
);

pub fn service(state: &AppState) -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            health::HealthApi::new(state.clone()),
            municipality::MunicipalityApi::new(state.clone()),
            auth::AuthApi::new(state.clone()),
            bankid::BankIdApi::new(state.clone()),
            me::MeApi::new(state.clone()),
            children::ChildrenApi::new(state.clone()),
            pupils::PupilsApi::new(state.clone()),
            childcare::ChildcareApi::new(state.clone()),
        ),
        "Skolportal",
        env!("CARGO_PKG_VERSION"),
    )
    .description("The school and childcare portal's API. Errors are JSON `{\"error\": code, \"message\": text}`.")
    .server("/api")
}
