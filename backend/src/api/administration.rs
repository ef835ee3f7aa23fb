//! The municipality administrator's settings: the municipality's rules, its look, each unit's
//! hours, lock days and places, and the history of changes (`crate::administration`).

use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use skolportal_shared::api::{
    MunicipalityConsentKinds, MunicipalityEmbedding, MunicipalityLook, MunicipalityRules,
    MunicipalitySettingsView, SettingChange, UnitSettings,
};
use skolportal_shared::fee::FeePeriod;
use skolportal_shared::retention::RetentionPeriods;
use skolportal_shared::wire_date::parse_date;
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::administration;
use crate::http::error::ApiError;
use crate::policy::{self, GlobalAction, Permit};
use crate::state::AppState;

pub struct AdministrationApi {
    state: AppState,
}

impl AdministrationApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    async fn permit(&self, auth: &SessionCookie) -> Result<Permit<GlobalAction>, ApiError> {
        let s = &self.state;
        let user = s.authenticate(auth, Gate::Ready).await?;
        Ok(
            policy::authorize_global(&s.db, &user, GlobalAction::ChangeSettings, s.clock.now())
                .await?,
        )
    }
}

#[derive(ApiResponse)]
enum SettingsResponse {
    #[oai(status = 200)]
    Ok(Json<MunicipalitySettingsView>),
}

#[derive(ApiResponse)]
enum HistoryResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<SettingChange>>),
}

#[derive(ApiResponse)]
enum Changed {
    /// Saved; what differed is in the history.
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(tag = "ApiTags::Administration")]
impl AdministrationApi {
    /// Administrator: the municipality's rules and look, and every unit's settings.
    #[oai(path = "/admin/settings", method = "get")]
    async fn settings(&self, auth: SessionCookie) -> Result<SettingsResponse, ApiError> {
        let permit = self.permit(&auth).await?;
        let view = administration::overview(&self.state.db, &permit).await?;
        Ok(SettingsResponse::Ok(Json(view)))
    }

    /// Administrator: set the municipality's rules. 422 `setting_invalid` names the setting.
    #[oai(path = "/admin/settings/rules", method = "put")]
    async fn rules(
        &self,
        auth: SessionCookie,
        body: LateJson<MunicipalityRules>,
    ) -> Result<Changed, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        administration::change_rules(&s.db, &permit, body.parse()?, s.clock.now()).await?;
        Ok(Changed::NoContent)
    }

    /// Administrator: set the theme, logo and languages. 422 `theme_contrast` when colours
    /// together fall below WCAG AA (the message names the pairs), `theme_not_a_colour`.
    #[oai(path = "/admin/settings/look", method = "put")]
    async fn look(
        &self,
        auth: SessionCookie,
        body: LateJson<MunicipalityLook>,
    ) -> Result<Changed, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        administration::change_look(&s.db, &permit, body.parse()?, s.clock.now()).await?;
        Ok(Changed::NoContent)
    }

    /// Administrator: set the origins of the municipality's websites that may frame the portal.
    /// 422 `frame_origin_invalid` says what an origin must look like.
    #[oai(path = "/admin/settings/embedding", method = "put")]
    async fn embedding(
        &self,
        auth: SessionCookie,
        body: LateJson<MunicipalityEmbedding>,
    ) -> Result<Changed, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        administration::change_embedding(&s.db, &permit, body.parse()?, s.clock.now()).await?;
        Ok(Changed::NoContent)
    }

    /// Administrator: set the consents guardians are asked for. 422 `setting_invalid` (a
    /// purpose twice, an empty title or text, a grace period above a year),
    /// `consent_kind_in_use` (taking away a consent guardians have decided on).
    #[oai(path = "/admin/settings/consent-kinds", method = "put")]
    async fn consent_kinds(
        &self,
        auth: SessionCookie,
        body: LateJson<MunicipalityConsentKinds>,
    ) -> Result<Changed, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        administration::change_consent_kinds(&s.db, &permit, body.parse()?, s.clock.now()).await?;
        Ok(Changed::NoContent)
    }

    /// Administrator: set how long each kind of record is kept. 422 `setting_invalid` names the
    /// period and its bounds.
    #[oai(path = "/admin/settings/retention", method = "put")]
    async fn retention(
        &self,
        auth: SessionCookie,
        body: LateJson<RetentionPeriods>,
    ) -> Result<Changed, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        administration::change_retention(&s.db, &permit, body.parse()?, s.clock.now()).await?;
        Ok(Changed::NoContent)
    }

    /// Administrator: set a unit's opening hours, schedule lock days and places.
    #[oai(path = "/admin/units/:id/settings", method = "put")]
    async fn unit(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        body: LateJson<UnitSettings>,
    ) -> Result<Changed, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        administration::change_unit(&s.db, &permit, id.0, body.parse()?, s.clock.now()).await?;
        Ok(Changed::NoContent)
    }

    /// Administrator: add a fee period (maxtaxa) from a coming month, or replace one that has not
    /// started. 422 `fee_period_started`, `fee_above_maxtaxa` (a rate, the highest fee base or
    /// the disregarded income beyond the state's), `fee_settings_invalid`.
    #[oai(path = "/admin/settings/fee-periods", method = "put")]
    async fn fee_period(
        &self,
        auth: SessionCookie,
        body: LateJson<FeePeriod>,
    ) -> Result<Changed, ApiError> {
        let permit = self.permit(&auth).await?;
        let s = &self.state;
        administration::set_fee_period(&s.db, &permit, body.parse()?, s.clock.now()).await?;
        Ok(Changed::NoContent)
    }

    /// Administrator: remove a fee period that has not started (`valid_from` as `YYYY-MM-DD`;
    /// 404 for a date that is no period's).
    #[oai(path = "/admin/settings/fee-periods/:valid_from", method = "delete")]
    async fn remove_fee_period(
        &self,
        auth: SessionCookie,
        valid_from: Path<String>,
    ) -> Result<Changed, ApiError> {
        let permit = self.permit(&auth).await?;
        // Read after the policy, like every id: a stranger learns nothing from a 400.
        let valid_from = parse_date(&valid_from.0).ok_or_else(ApiError::not_found)?;
        let s = &self.state;
        administration::remove_fee_period(&s.db, &permit, valid_from, s.clock.now()).await?;
        Ok(Changed::NoContent)
    }

    /// Administrator: the latest changes of settings, newest first: who, when, old and new.
    #[oai(path = "/admin/settings/history", method = "get")]
    async fn history(&self, auth: SessionCookie) -> Result<HistoryResponse, ApiError> {
        let permit = self.permit(&auth).await?;
        let changes = administration::history(&self.state.db, &permit).await?;
        Ok(HistoryResponse::Ok(Json(changes)))
    }
}
