//! The municipality: which one a request is for, and its settings. Settings are data an officer
//! changes, never constants in code (eVaka keeps city differences in code; we do not).

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use skolportal_shared::api::{MunicipalityInfo, Theme};

use crate::entity::municipality;

/// Stored as JSON in `municipality.settings`; every field has a default so that older rows keep
/// working when a setting is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MunicipalitySettings {
    pub theme: Theme,
    pub logo_url: Option<String>,
    /// Offered UI languages, the first is the default.
    pub languages: Vec<String>,
    /// First school year that gets grades (Swedish law: year 6).
    pub first_graded_school_year: i32,
    /// Days a guardian has to answer a placement offer.
    pub offer_answer_days: u32,
    /// Notice period for terminating a childcare place.
    pub notice_period_months: u32,
    /// Whether separated guardians with joint custody must both sign.
    pub two_guardian_signing: bool,
    /// Maxtaxa: dated fee periods (ceiling, percentages, disregarded income, allmän förskola).
    pub fee_periods: Vec<skolportal_shared::fee::FeePeriod>,
}

impl Default for MunicipalitySettings {
    fn default() -> Self {
        Self {
            theme: Theme {
                primary: "#1d4f91".into(),
                on_primary: "#ffffff".into(),
                background: "#f6f7f9".into(),
                text: "#1a1a1a".into(),
                accent: "#0b6bcb".into(),
            },
            logo_url: None,
            languages: vec!["sv".into(), "en".into()],
            first_graded_school_year: 6,
            offer_answer_days: 14,
            notice_period_months: 2,
            two_guardian_signing: true,
            fee_periods: skolportal_shared::fee::FeeSettings::swedish_defaults()
                .periods()
                .to_vec(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MunicipalityError {
    #[error("no municipality is configured")]
    NotConfigured,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl MunicipalitySettings {
    /// Settings of a stored municipality; a row that does not parse falls back to the defaults
    /// field by field rather than failing every page.
    pub fn of(model: &municipality::Model) -> Self {
        serde_json::from_value(model.settings.clone()).unwrap_or_else(|err| {
            tracing::warn!(municipality_id = %model.id, %err, "municipality settings unreadable; using defaults");
            Self::default()
        })
    }
}

/// The municipality this instance presents: the configured code, or the only (first) one.
pub async fn current(
    db: &DatabaseConnection,
    configured_code: Option<&str>,
) -> Result<municipality::Model, MunicipalityError> {
    let query = municipality::Entity::find();
    let query = match configured_code {
        Some(code) => query.filter(municipality::Column::Code.eq(code)),
        None => query.order_by_asc(municipality::Column::CreatedAt),
    };
    query.one(db).await?.ok_or(MunicipalityError::NotConfigured)
}

pub fn public_info(model: &municipality::Model) -> MunicipalityInfo {
    let settings = MunicipalitySettings::of(model);
    MunicipalityInfo {
        id: model.id,
        code: model.code.clone(),
        name: model.name.clone(),
        logo_url: settings.logo_url,
        theme: settings.theme,
        languages: settings.languages,
    }
}
