//! The municipality: which one a request is for, and its settings. Settings are data an officer
//! changes, never constants in code (eVaka keeps city differences in code; we do not).

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use skolportal_shared::api::{
    ConsentKind, ConsentPurpose, ConsentRequirement, MunicipalityInfo, Theme,
};

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
    /// Whether subject teachers set grades in the portal; otherwise they come from the school
    /// administration system (SS 12000).
    pub grades_in_portal: bool,
    /// Days a guardian has to answer a placement offer.
    pub offer_answer_days: u32,
    /// Notice period for terminating a childcare place.
    pub notice_period_months: u32,
    /// Whether separated guardians with joint custody must both sign.
    pub two_guardian_signing: bool,
    /// The school days of leave a mentor decides; above them the principal does. The law lets
    /// the principal hand over at most ten (7 kap. 18 §), which `shared::leave` holds to.
    pub leave_mentor_days: u32,
    /// Whether separated guardians with joint custody must both agree to a leave application.
    pub leave_both_guardians: bool,
    /// Absence of at least this share of the term's lessons (percent, valid or not) flags a
    /// pupil for the principal's investigation (7 kap. 19 a §); 0 turns it off.
    pub absence_follow_up_percent: u32,
    /// As many unexcused lessons in the term flag a pupil too; 0 turns it off.
    pub absence_follow_up_unexcused: u32,
    /// Maxtaxa: dated fee periods (ceiling, percentages, disregarded income, allmän förskola).
    pub fee_periods: Vec<skolportal_shared::fee::FeePeriod>,
    /// The consents the municipality asks guardians for, in the order shown.
    pub consent_kinds: Vec<ConsentKind>,
    /// Days before the autumn term starts when every guardian is reminded of their consents.
    pub consent_reminder_days: u32,
    /// Origins of the municipality's websites that may frame the portal, canonical
    /// (`shared::embed::parse_origin`); added to those the server's configuration lists.
    pub frame_origins: Vec<String>,
    /// How long each kind of record is kept (`shared::retention`, the Luleå plan by default).
    pub retention: skolportal_shared::retention::RetentionPeriods,
}

/// The three consents of the seeds, in the municipality's own words until it changes them.
fn default_consent_kinds() -> Vec<ConsentKind> {
    vec![
        ConsentKind {
            key: "utvecklingssamtal".into(),
            purpose: ConsentPurpose::TalkDocumentation,
            title: "Utvecklingssamtal i portalen".into(),
            text: "Jag samtycker till att skolan dokumenterar mitt barns utvecklingssamtal i \
                   portalen: samtalsunderlag från eleven, vårdnadshavarna, lärarna och mentorn, \
                   och den individuella utvecklingsplanen med mål. Utan samtycke hålls samtalet \
                   utan underlag i portalen."
                .into(),
            requirement: ConsentRequirement::EveryGuardian,
            grace_days: 30,
        },
        ConsentKind {
            key: "overlamning".into(),
            purpose: ConsentPurpose::SchoolTransfer,
            title: "Överlämning till nästa skola".into(),
            text: "Jag samtycker till att mitt barns individuella utvecklingsplan lämnas över \
                   till mentorn på nästa skola i kommunen när barnet byter skola."
                .into(),
            requirement: ConsentRequirement::EveryGuardian,
            grace_days: 0,
        },
        ConsentKind {
            key: "publicering".into(),
            purpose: ConsentPurpose::WebsitePublication,
            title: "Namn och bild på skolans webbplats".into(),
            text: "Jag samtycker till att skolan publicerar mitt barns namn eller bild på \
                   skolans webbplats. Vi frågar inte för varje bild: du kan ta tillbaka \
                   samtycket när som helst."
                .into(),
            requirement: ConsentRequirement::AnyGuardian,
            grace_days: 0,
        },
    ]
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
            grades_in_portal: true,
            offer_answer_days: 14,
            notice_period_months: 2,
            two_guardian_signing: true,
            leave_mentor_days: 5,
            leave_both_guardians: true,
            absence_follow_up_percent: 10,
            absence_follow_up_unexcused: 3,
            fee_periods: skolportal_shared::fee::FeeSettings::swedish_defaults()
                .periods()
                .to_vec(),
            consent_kinds: default_consent_kinds(),
            consent_reminder_days: 14,
            frame_origins: Vec::new(),
            retention: Default::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MunicipalityError {
    #[error("no municipality is configured")]
    NotConfigured,
    #[error(transparent)]
    Unreadable(#[from] UnreadableSettings),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// A stored settings row that does not read as `MunicipalitySettings`. Never replaced by the
/// defaults: the defaults would silently charge another fee or change who must sign.
#[derive(Debug, thiserror::Error)]
#[error("the settings of municipality {code} cannot be read: {reason}")]
pub struct UnreadableSettings {
    pub code: String,
    pub reason: String,
}

impl MunicipalitySettings {
    /// Settings of a stored municipality. A field that is missing takes its default (older rows
    /// keep working when a setting is added); a field that is present but wrong is an error.
    pub fn of(model: &municipality::Model) -> Result<Self, UnreadableSettings> {
        serde_json::from_value(model.settings.clone()).map_err(|err| UnreadableSettings {
            code: model.code.clone(),
            reason: err.to_string(),
        })
    }
}

/// Reads every municipality's settings, so that a bad row stops the server at start-up with
/// its reason instead of failing requests later.
pub async fn check_all(db: &DatabaseConnection) -> Result<(), MunicipalityError> {
    for model in municipality::Entity::find().all(db).await? {
        MunicipalitySettings::of(&model)?;
    }
    Ok(())
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

pub fn public_info(model: &municipality::Model) -> Result<MunicipalityInfo, UnreadableSettings> {
    let settings = MunicipalitySettings::of(model)?;
    Ok(MunicipalityInfo {
        id: model.id,
        code: model.code.clone(),
        name: model.name.clone(),
        logo_url: settings.logo_url,
        theme: settings.theme,
        languages: settings.languages,
        frame_origins: settings.frame_origins,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(settings: serde_json::Value) -> municipality::Model {
        municipality::Model {
            id: uuid::Uuid::nil(),
            code: "9999".into(),
            name: "Test".into(),
            settings,
            pupil_password_below_year: None,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_missing_field_takes_its_default() {
        let read = MunicipalitySettings::of(&model(serde_json::json!({"notice_period_months": 3})))
            .expect("readable");
        assert_eq!(read.notice_period_months, 3);
        assert_eq!(
            read.fee_periods,
            MunicipalitySettings::default().fee_periods
        );
    }

    /// Before, one bad field replaced every setting, the fee periods included, by the defaults.
    #[test]
    fn a_bad_field_is_an_error_not_the_defaults() {
        let bad =
            model(serde_json::json!({"notice_period_months": 3, "offer_answer_days": "fjorton"}));
        let err = MunicipalitySettings::of(&bad).expect_err("unreadable");
        assert_eq!(err.code, "9999");
        assert!(err.reason.contains("offer_answer_days") || err.reason.contains("invalid type"));
    }
}
