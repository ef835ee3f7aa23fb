//! The settings a municipality administrator changes in her own app: the municipality's
//! rules (offer and notice periods, signing, grades, leave, absence follow-up, consent
//! reminders), its theme, its fee periods (maxtaxa, by date), and each unit's opening hours,
//! lock days and places; and the history of every change (who, when, the old value and the
//! new).

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;
use super::{Theme, UnitKind};

stored_codes! {
    /// One setting, as the history names it.
    SettingKey {
        OfferAnswerDays = "offer_answer_days",
        NoticePeriodMonths = "notice_period_months",
        TwoGuardianSigning = "two_guardian_signing",
        FirstGradedSchoolYear = "first_graded_school_year",
        LeaveMentorDays = "leave_mentor_days",
        LeaveBothGuardians = "leave_both_guardians",
        AbsenceFollowUpPercent = "absence_follow_up_percent",
        AbsenceFollowUpUnexcused = "absence_follow_up_unexcused",
        ConsentReminderDays = "consent_reminder_days",
        FeePeriods = "fee_periods",
        Theme = "theme",
        LogoUrl = "logo_url",
        Languages = "languages",
        Name = "name",
        FrameOrigins = "frame_origins",
        ConsentKinds = "consent_kinds",
        Retention = "retention",
        UnitOpeningHours = "unit_opening_hours",
        UnitScheduleLockDays = "unit_schedule_lock_days",
        UnitCapacity = "unit_capacity",
    }
}

/// The municipality's rules an administrator sets (a `PUT` replaces them all; only what differs
/// is changed and logged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MunicipalityRules {
    /// Days a guardian has to answer a placement offer, 1–60.
    pub offer_answer_days: u32,
    /// Notice period for terminating a childcare place, 0–6 months.
    pub notice_period_months: u32,
    /// Whether separated guardians with joint custody must both sign.
    pub two_guardian_signing: bool,
    /// First school year that gets grades, 6–9 (the law: year 6).
    pub first_graded_school_year: i32,
    /// School days of leave a mentor decides, 0–10 (7 kap. 18 §: at most ten are delegated).
    pub leave_mentor_days: u32,
    /// Whether both guardians must agree to a leave application.
    pub leave_both_guardians: bool,
    /// Absence of at least this share of the term's lessons flags a pupil, 0–100 % (0: off).
    pub absence_follow_up_percent: u32,
    /// As many unexcused lessons flag a pupil too, 0–100 (0: off).
    pub absence_follow_up_unexcused: u32,
    /// Days before the autumn term when guardians are reminded of their consents, 0–60.
    pub consent_reminder_days: u32,
}

/// How the portal looks for the municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MunicipalityLook {
    /// The municipality's name as the portal shows it (header, footer, documents), 2–80
    /// characters.
    pub name: String,
    pub theme: Theme,
    /// An `https://` address of the logo, or none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub logo_url: Option<String>,
    /// Offered languages, the first the default; from `sv`, `en`, `fi`, `ar`, `so`, `uk`, and
    /// Swedish always among them.
    pub languages: Vec<String>,
}

/// Who may embed the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MunicipalityEmbedding {
    /// Origins of the municipality's websites that may frame the portal
    /// (`https://www.kommun.se`; `http` only on localhost), at most 20. The public widgets may
    /// be framed by anyone.
    pub frame_origins: Vec<String>,
}

/// One consent the municipality asks guardians for, as the administrator words it. Its key is
/// the portal's: the first kind of a purpose is keyed by the purpose, and the key stays when the
/// wording changes, since guardians' decisions name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ConsentKindSetting {
    /// What the consent opens; each purpose at most once.
    pub purpose: super::ConsentPurpose,
    /// 1–120 characters.
    pub title: String,
    /// What the guardian consents to, in full: 1–4000 characters.
    pub text: String,
    pub requirement: super::ConsentRequirement,
    /// Days after a withdrawal before what the consent kept is deleted, 0–365.
    pub grace_days: u32,
}

/// `PUT /api/admin/settings/consent-kinds`: the consents asked for, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MunicipalityConsentKinds {
    pub kinds: Vec<ConsentKindSetting>,
}

/// A unit's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UnitSettings {
    /// `"HH:MM"`.
    pub opens_at: String,
    /// `"HH:MM"`, after `opens_at`.
    pub closes_at: String,
    /// Working days before a week starts when its childcare schedule locks, 0–20.
    pub schedule_lock_working_days: i32,
    /// Places at a childcare unit; none for a school.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub capacity: Option<i32>,
}

/// A unit as the settings page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct UnitSettingsView {
    pub unit_id: uuid::Uuid,
    pub name: String,
    pub kind: UnitKind,
    pub settings: UnitSettings,
}

/// `GET /api/admin/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct MunicipalitySettingsView {
    pub name: String,
    pub rules: MunicipalityRules,
    pub look: MunicipalityLook,
    pub embedding: MunicipalityEmbedding,
    /// The consents asked for, in the order shown.
    pub consent_kinds: Vec<super::ConsentKind>,
    /// How long each kind of record is kept.
    pub retention: crate::retention::RetentionPeriods,
    /// The maxtaxa periods, oldest first; those that have started are history.
    pub fee_periods: Vec<crate::fee::FeePeriod>,
    pub units: Vec<UnitSettingsView>,
}

/// One change in the history, newest first in `GET /api/admin/settings/history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SettingChange {
    pub id: uuid::Uuid,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub changed_at: chrono::DateTime<chrono::Utc>,
    /// Who changed it (their name as the portal has it; empty when they are no longer there).
    pub changed_by: String,
    pub setting: SettingKey,
    /// For a unit's setting, the unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub unit_name: Option<String>,
    /// The values as JSON text.
    pub old_value: String,
    pub new_value: String,
}
