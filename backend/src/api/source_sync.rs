//! The officer's view of the SS 12000 sync: the runs, starting one, confirming a refused one.

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::SourceSyncOverview;
use uuid::Uuid;

use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::http::error::ApiError;
use crate::policy::{self, GlobalAction};
use crate::state::AppState;
use crate::sync::officer;

pub struct SourceSyncApi {
    state: AppState,
}

impl SourceSyncApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    fn source_code(&self) -> Option<&str> {
        self.state
            .settings
            .ss12000
            .as_ref()
            .map(|s| s.municipality_code.as_str())
    }
}

#[derive(ApiResponse)]
enum OverviewResponse {
    #[oai(status = 200)]
    Ok(Json<SourceSyncOverview>),
}

#[derive(ApiResponse)]
enum SyncRequested {
    /// The sync is queued; the overview shows it when it has run.
    #[oai(status = 202)]
    Accepted,
}

#[OpenApi(tag = "ApiTags::Officer")]
impl SourceSyncApi {
    /// Officer: the latest SS 12000 syncs, newest first: what each changed, refused or failed on.
    #[oai(path = "/officer/source-sync", method = "get")]
    async fn overview(&self, auth: SessionCookie) -> Result<OverviewResponse, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit =
            policy::authorize_global(&s.db, &user, GlobalAction::FollowSourceSync, s.clock.now())
                .await?;
        let view = officer::overview(&s.db, &permit, self.source_code()).await?;
        Ok(OverviewResponse::Ok(Json(view)))
    }

    /// Officer: start a full sync now. 409 `no_source` when the portal follows none, and
    /// `sync_pending` while one asked for has not run.
    #[oai(path = "/officer/source-sync", method = "post")]
    async fn start(&self, auth: SessionCookie) -> Result<SyncRequested, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit =
            policy::authorize_global(&s.db, &user, GlobalAction::FollowSourceSync, s.clock.now())
                .await?;
        officer::request(&s.db, &permit, self.source_code(), None, s.clock.now()).await?;
        Ok(SyncRequested::Accepted)
    }

    /// Officer: let the refused latest sync go ahead, ending what it was refused for (and no
    /// more). 404 for a run that is not a refused one; 409 `sync_superseded` when a later sync
    /// has run since.
    #[oai(path = "/officer/source-sync/:id/confirm", method = "post")]
    async fn confirm(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<SyncRequested, ApiError> {
        let user = self.state.authenticate(&auth, Gate::Ready).await?;
        let s = &self.state;
        let permit =
            policy::authorize_global(&s.db, &user, GlobalAction::FollowSourceSync, s.clock.now())
                .await?;
        officer::request(
            &s.db,
            &permit,
            self.source_code(),
            Some(id.0),
            s.clock.now(),
        )
        .await?;
        Ok(SyncRequested::Accepted)
    }
}
