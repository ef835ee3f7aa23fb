use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{Health, HealthStatus};

use super::ApiTags;
use crate::state::AppState;

pub struct HealthApi {
    state: AppState,
}

impl HealthApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[derive(ApiResponse)]
enum HealthResponse {
    /// The service and its database answer.
    #[oai(status = 200)]
    Ok(Json<Health>),
    /// The database does not answer; a load balancer should take this instance out.
    #[oai(status = 503)]
    Unavailable(Json<Health>),
}

#[OpenApi(tag = "ApiTags::System")]
impl HealthApi {
    /// Liveness and readiness: 200 when the database answers, 503 when not.
    #[oai(path = "/health", method = "get")]
    async fn health(&self) -> HealthResponse {
        let version = env!("CARGO_PKG_VERSION").to_owned();
        match self.state.db.ping().await {
            Ok(()) => HealthResponse::Ok(Json(Health {
                status: HealthStatus::Ok,
                database: HealthStatus::Ok,
                version,
            })),
            Err(err) => {
                tracing::warn!(%err, "health check: database unavailable");
                HealthResponse::Unavailable(Json(Health {
                    status: HealthStatus::Unavailable,
                    database: HealthStatus::Unavailable,
                    version,
                }))
            }
        }
    }
}
