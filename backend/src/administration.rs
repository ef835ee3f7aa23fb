//! The settings a municipality administrator changes (`GlobalAction::ChangeSettings`, BankID):
//! the municipality's rules, its look, and each unit's hours, lock days and places. The one
//! place they are validated, changed and logged.
//!
//! - **Validated with the portal's own rules**: the theme by `shared::theme::check` (WCAG AA
//!   contrast, failing pairs named), the leave a mentor decides by `shared::leave`'s limit, the
//!   languages by `shared::lang`; numbers within what the rule they feed means.
//! - **Logged**: each setting that differs is one `setting_change` row with who, when, the old
//!   value and the new, in the transaction that changes it; a `PUT` of what is already there
//!   changes and logs nothing. Two administrators saving at once are serialised on the
//!   municipality's row, so each change's "old" is what it replaced.
//! - A unit's settings are the portal's own (`sync::mapping`: the source never changes them).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::Serialize;
use skolportal_shared::api::{
    ConsentKind, ConsentKindSetting, MunicipalityConsentKinds, MunicipalityEmbedding,
    MunicipalityLook, MunicipalityRules, MunicipalitySettingsView, SettingChange, SettingKey,
    UnitSettings, UnitSettingsView,
};
use skolportal_shared::calendar::{format_time_of_day, parse_time_of_day};
use skolportal_shared::embed::{parse_origins, OriginError};
use skolportal_shared::fee::{
    check_within_maxtaxa, FeePeriod, FeeSettings, FeeSettingsError, MaxtaxaBreach,
};
use skolportal_shared::lang::Lang;
use skolportal_shared::retention::{PeriodOutOfRange, RetentionPeriods};
use skolportal_shared::theme::{self, ThemeError};
use uuid::Uuid;

use crate::entity::unit::UnitKind;
use crate::entity::{consent_decision, municipality, person, setting_change, unit};
use crate::municipality::{MunicipalitySettings, UnreadableSettings};
use crate::policy::{GlobalAction, Permit};
use crate::population::reconcile::lock_municipality;

/// How many changes the history shows.
const HISTORY: u64 = 200;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("no such unit in the municipality")]
    NotFound,
    /// A value outside what the setting can mean; names the setting, not the value.
    #[error("{setting:?}: {reason}")]
    Invalid {
        setting: SettingKey,
        reason: &'static str,
    },
    #[error(transparent)]
    Theme(#[from] ThemeError),
    #[error(transparent)]
    FrameOrigin(#[from] OriginError),
    #[error(transparent)]
    Retention(#[from] PeriodOutOfRange),
    /// Guardians have decided on the consent: taken away, their decisions would point at
    /// nothing.
    #[error("guardians have decided on the consent kind")]
    ConsentKindInUse,
    /// A fee period that has begun is what families were charged by: it is not changed after.
    #[error("the fee period has started")]
    FeePeriodStarted,
    #[error(transparent)]
    Maxtaxa(#[from] MaxtaxaBreach),
    #[error(transparent)]
    FeeSettings(#[from] FeeSettingsError),
    #[error(transparent)]
    Unreadable(#[from] UnreadableSettings),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl SettingsError {
    fn invalid(setting: SettingKey, reason: &'static str) -> Self {
        Self::Invalid { setting, reason }
    }
}

fn within<T: PartialOrd>(
    setting: SettingKey,
    value: T,
    low: T,
    high: T,
    reason: &'static str,
) -> Result<(), SettingsError> {
    if value < low || value > high {
        return Err(SettingsError::invalid(setting, reason));
    }
    Ok(())
}

/// Whether `rules` mean something the portal can apply.
pub fn check_rules(rules: &MunicipalityRules) -> Result<(), SettingsError> {
    use SettingKey as K;
    within(
        K::OfferAnswerDays,
        rules.offer_answer_days,
        1,
        60,
        "between 1 and 60 days",
    )?;
    within(
        K::NoticePeriodMonths,
        rules.notice_period_months,
        0,
        6,
        "between 0 and 6 months",
    )?;
    within(
        K::FirstGradedSchoolYear,
        rules.first_graded_school_year,
        6,
        9,
        "grades start in year 6 at the earliest (the law) and 9 at the latest",
    )?;
    within(
        K::LeaveMentorDays,
        rules.leave_mentor_days,
        0,
        skolportal_shared::leave::MAX_DELEGATED_DAYS,
        "a principal hands over at most ten days of leave (7 kap. 18 §)",
    )?;
    within(
        K::AbsenceFollowUpPercent,
        rules.absence_follow_up_percent,
        0,
        100,
        "a share between 0 and 100 %",
    )?;
    within(
        K::AbsenceFollowUpUnexcused,
        rules.absence_follow_up_unexcused,
        0,
        100,
        "between 0 and 100 lessons",
    )?;
    within(
        K::ConsentReminderDays,
        rules.consent_reminder_days,
        0,
        60,
        "between 0 and 60 days",
    )
}

/// Whether `look` keeps the portal readable and loadable.
pub fn check_look(look: &MunicipalityLook) -> Result<(), SettingsError> {
    if !(2..=80).contains(&look.name.trim().chars().count()) {
        return Err(SettingsError::invalid(
            SettingKey::Name,
            "a name of 2 to 80 characters",
        ));
    }
    theme::check(&look.theme)?;
    if let Some(logo) = &look.logo_url {
        let usable = logo.len() <= 500
            && url::Url::parse(logo).is_ok_and(|u| u.scheme() == "https" && u.host().is_some());
        if !usable {
            return Err(SettingsError::invalid(
                SettingKey::LogoUrl,
                "an https:// address",
            ));
        }
    }
    let mut seen = Vec::new();
    for code in &look.languages {
        if Lang::from_code(code).is_none() || seen.contains(&code) {
            return Err(SettingsError::invalid(
                SettingKey::Languages,
                "the portal's languages, each once",
            ));
        }
        seen.push(code);
    }
    if !look.languages.iter().any(|c| c == Lang::Sv.code()) {
        return Err(SettingsError::invalid(
            SettingKey::Languages,
            "Swedish is always offered",
        ));
    }
    Ok(())
}

/// Whether `settings` fit a unit of `kind`; the parsed hours.
fn check_unit(
    kind: &UnitKind,
    settings: &UnitSettings,
) -> Result<(NaiveTime, NaiveTime), SettingsError> {
    let (Some(opens), Some(closes)) = (
        parse_time_of_day(settings.opens_at.trim()),
        parse_time_of_day(settings.closes_at.trim()),
    ) else {
        return Err(SettingsError::invalid(
            SettingKey::UnitOpeningHours,
            "times as HH:MM",
        ));
    };
    if closes <= opens {
        return Err(SettingsError::invalid(
            SettingKey::UnitOpeningHours,
            "closing after opening",
        ));
    }
    within(
        SettingKey::UnitScheduleLockDays,
        settings.schedule_lock_working_days,
        0,
        20,
        "between 0 and 20 working days",
    )?;
    match (kind, settings.capacity) {
        (UnitKind::School, Some(_)) => Err(SettingsError::invalid(
            SettingKey::UnitCapacity,
            "a school has no childcare places",
        )),
        (_, Some(places)) if !(0..=2000).contains(&places) => Err(SettingsError::invalid(
            SettingKey::UnitCapacity,
            "between 0 and 2000 places",
        )),
        _ => Ok((opens, closes)),
    }
}

fn unit_settings(u: &unit::Model) -> UnitSettings {
    UnitSettings {
        opens_at: format_time_of_day(u.opens_at),
        closes_at: format_time_of_day(u.closes_at),
        schedule_lock_working_days: u.schedule_lock_working_days,
        capacity: u.capacity,
    }
}

fn rules_of(s: &MunicipalitySettings) -> MunicipalityRules {
    MunicipalityRules {
        offer_answer_days: s.offer_answer_days,
        notice_period_months: s.notice_period_months,
        two_guardian_signing: s.two_guardian_signing,
        first_graded_school_year: s.first_graded_school_year,
        leave_mentor_days: s.leave_mentor_days,
        leave_both_guardians: s.leave_both_guardians,
        absence_follow_up_percent: s.absence_follow_up_percent,
        absence_follow_up_unexcused: s.absence_follow_up_unexcused,
        consent_reminder_days: s.consent_reminder_days,
    }
}

fn look_of(s: &MunicipalitySettings, name: &str) -> MunicipalityLook {
    MunicipalityLook {
        name: name.to_owned(),
        theme: s.theme.clone(),
        logo_url: s.logo_url.clone(),
        languages: s.languages.clone(),
    }
}

/// The settings page: the municipality's rules and look, and every unit's settings.
pub async fn overview(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
) -> Result<MunicipalitySettingsView, SettingsError> {
    let municipality_id = permit.actor().municipality_id;
    let model = municipality::Entity::find_by_id(municipality_id)
        .one(db)
        .await?
        .ok_or(SettingsError::NotFound)?;
    let settings = MunicipalitySettings::of(&model)?;
    let units = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .order_by_asc(unit::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|u| UnitSettingsView {
            unit_id: u.id,
            name: u.name.clone(),
            kind: crate::people::wire_unit_kind(&u.kind),
            settings: unit_settings(&u),
        })
        .collect();
    Ok(MunicipalitySettingsView {
        name: model.name.clone(),
        rules: rules_of(&settings),
        look: look_of(&settings, &model.name),
        embedding: MunicipalityEmbedding {
            frame_origins: settings.frame_origins.clone(),
        },
        consent_kinds: settings.consent_kinds.clone(),
        retention: settings.retention,
        fee_periods: settings.fee_periods.clone(),
        units,
    })
}

/// The history rows of one save: who and when, and each setting whose value differs.
struct Changes {
    municipality_id: Uuid,
    person_id: Uuid,
    now: DateTime<Utc>,
    rows: Vec<setting_change::ActiveModel>,
}

impl Changes {
    fn new(permit: &Permit<GlobalAction>, now: DateTime<Utc>) -> Self {
        Self {
            municipality_id: permit.actor().municipality_id,
            person_id: permit.actor().person_id,
            now,
            rows: Vec::new(),
        }
    }

    /// Logs `setting` if `new` differs from `old`.
    fn compare<T: Serialize + PartialEq>(
        &mut self,
        unit_id: Option<Uuid>,
        setting: SettingKey,
        old: &T,
        new: &T,
    ) {
        if old == new {
            return;
        }
        let json = |v: &T| serde_json::to_value(v).unwrap_or(serde_json::Value::Null);
        self.rows.push(setting_change::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(self.municipality_id),
            unit_id: Set(unit_id),
            setting: Set(setting),
            old_value: Set(json(old)),
            new_value: Set(json(new)),
            changed_by_person_id: Set(self.person_id),
            changed_at: Set(self.now),
        });
    }

    /// Sets one of the municipality's settings, logging it if it changes.
    fn set<T: Serialize + PartialEq>(&mut self, setting: SettingKey, field: &mut T, new: T) {
        self.compare(None, setting, field, &new);
        *field = new;
    }

    async fn write(self, txn: &impl ConnectionTrait) -> Result<usize, DbErr> {
        let count = self.rows.len();
        if count > 0 {
            setting_change::Entity::insert_many(self.rows)
                .exec_without_returning(txn)
                .await?;
        }
        Ok(count)
    }
}

/// Changes the municipality's stored settings with `change`, logging what differs; returns how
/// many settings changed.
async fn change_municipality(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    now: DateTime<Utc>,
    change: impl FnOnce(&mut MunicipalitySettings, &mut String, &mut Changes),
) -> Result<usize, SettingsError> {
    let municipality_id = permit.actor().municipality_id;
    let txn = db.begin().await?;
    lock_municipality(&txn, municipality_id).await?;
    let model = municipality::Entity::find_by_id(municipality_id)
        .one(&txn)
        .await?
        .ok_or(SettingsError::NotFound)?;
    let mut settings = MunicipalitySettings::of(&model)?;
    let mut name = model.name.clone();
    let mut changes = Changes::new(permit, now);
    change(&mut settings, &mut name, &mut changes);
    if changes.rows.is_empty() {
        return Ok(0);
    }
    let stored = serde_json::to_value(&settings).map_err(|e| UnreadableSettings {
        code: model.code.clone(),
        reason: e.to_string(),
    })?;
    let mut active = model.into_active_model();
    active.settings = Set(stored);
    active.name = Set(name);
    municipality::Entity::update(active).exec(&txn).await?;
    let count = changes.write(&txn).await?;
    txn.commit().await?;
    Ok(count)
}

/// Sets the municipality's rules.
pub async fn change_rules(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    rules: MunicipalityRules,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    check_rules(&rules)?;
    change_municipality(db, permit, now, |s, _, c| {
        use SettingKey as K;
        let r = rules;
        c.set(
            K::OfferAnswerDays,
            &mut s.offer_answer_days,
            r.offer_answer_days,
        );
        c.set(
            K::NoticePeriodMonths,
            &mut s.notice_period_months,
            r.notice_period_months,
        );
        c.set(
            K::TwoGuardianSigning,
            &mut s.two_guardian_signing,
            r.two_guardian_signing,
        );
        c.set(
            K::FirstGradedSchoolYear,
            &mut s.first_graded_school_year,
            r.first_graded_school_year,
        );
        c.set(
            K::LeaveMentorDays,
            &mut s.leave_mentor_days,
            r.leave_mentor_days,
        );
        c.set(
            K::LeaveBothGuardians,
            &mut s.leave_both_guardians,
            r.leave_both_guardians,
        );
        c.set(
            K::AbsenceFollowUpPercent,
            &mut s.absence_follow_up_percent,
            r.absence_follow_up_percent,
        );
        c.set(
            K::AbsenceFollowUpUnexcused,
            &mut s.absence_follow_up_unexcused,
            r.absence_follow_up_unexcused,
        );
        c.set(
            K::ConsentReminderDays,
            &mut s.consent_reminder_days,
            r.consent_reminder_days,
        );
    })
    .await
}

/// Sets the municipality's theme, logo and languages.
pub async fn change_look(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    mut look: MunicipalityLook,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    // Stored as the stylesheet and the icons write them.
    for colour in [
        &mut look.theme.primary,
        &mut look.theme.on_primary,
        &mut look.theme.background,
        &mut look.theme.text,
        &mut look.theme.accent,
    ] {
        *colour = colour.trim().to_ascii_lowercase();
    }
    look.name = look.name.trim().to_owned();
    look.logo_url = look
        .logo_url
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty());
    check_look(&look)?;
    change_municipality(db, permit, now, |s, name, c| {
        c.set(SettingKey::Name, name, look.name);
        c.set(SettingKey::Theme, &mut s.theme, look.theme);
        c.set(SettingKey::LogoUrl, &mut s.logo_url, look.logo_url);
        c.set(SettingKey::Languages, &mut s.languages, look.languages);
    })
    .await
}

/// Sets the origins of the municipality's websites that may frame the portal; they are written
/// into the pages' `Content-Security-Policy` from the next page on.
pub async fn change_embedding(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    embedding: MunicipalityEmbedding,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    let origins = parse_origins(&embedding.frame_origins)?;
    change_municipality(db, permit, now, |s, _, c| {
        c.set(SettingKey::FrameOrigins, &mut s.frame_origins, origins);
    })
    .await
}

/// Whether `kinds` can be asked: each purpose once, a title and a text, a grace period within a
/// year.
pub fn check_consent_kinds(kinds: &[ConsentKindSetting]) -> Result<(), SettingsError> {
    let invalid = |reason| SettingsError::invalid(SettingKey::ConsentKinds, reason);
    for (i, kind) in kinds.iter().enumerate() {
        if kinds[..i].iter().any(|k| k.purpose == kind.purpose) {
            return Err(invalid("each purpose once"));
        }
        let title = kind.title.trim().chars().count();
        if !(1..=120).contains(&title) {
            return Err(invalid("a title of 1 to 120 characters"));
        }
        let text = kind.text.trim().chars().count();
        if !(1..=4000).contains(&text) {
            return Err(invalid("a text of 1 to 4000 characters"));
        }
        within(
            SettingKey::ConsentKinds,
            kind.grace_days,
            0,
            365,
            "a grace period of 0 to 365 days",
        )?;
    }
    Ok(())
}

/// Sets the consents the municipality asks for. A kind keeps its key (decisions name it); one
/// that guardians have decided on cannot be taken away.
pub async fn change_consent_kinds(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    wanted: MunicipalityConsentKinds,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    check_consent_kinds(&wanted.kinds)?;
    let municipality_id = permit.actor().municipality_id;
    let model = municipality::Entity::find_by_id(municipality_id)
        .one(db)
        .await?
        .ok_or(SettingsError::NotFound)?;
    let current = MunicipalitySettings::of(&model)?.consent_kinds;
    let kinds: Vec<ConsentKind> = wanted
        .kinds
        .into_iter()
        .map(|k| ConsentKind {
            key: current
                .iter()
                .find(|c| c.purpose == k.purpose)
                .map_or_else(|| k.purpose.code().to_owned(), |c| c.key.clone()),
            purpose: k.purpose,
            title: k.title.trim().to_owned(),
            text: k.text.trim().to_owned(),
            requirement: k.requirement,
            grace_days: k.grace_days,
        })
        .collect();
    let removed: Vec<String> = current
        .iter()
        .filter(|c| !kinds.iter().any(|k| k.key == c.key))
        .map(|c| c.key.clone())
        .collect();
    if !removed.is_empty() {
        let decided = consent_decision::Entity::find()
            .filter(consent_decision::Column::MunicipalityId.eq(municipality_id))
            .filter(consent_decision::Column::KindKey.is_in(removed))
            .one(db)
            .await?;
        if decided.is_some() {
            return Err(SettingsError::ConsentKindInUse);
        }
    }
    change_municipality(db, permit, now, |s, _, c| {
        c.set(SettingKey::ConsentKinds, &mut s.consent_kinds, kinds);
    })
    .await
}

/// Sets how long each kind of record is kept; retention's next run follows.
pub async fn change_retention(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    periods: RetentionPeriods,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    periods.check()?;
    change_municipality(db, permit, now, |s, _, c| {
        c.set(SettingKey::Retention, &mut s.retention, periods);
    })
    .await
}

/// The first day of the month after `now`'s: the earliest a fee period may start, so that no
/// month already begun (and charged) changes.
fn first_open_month(now: DateTime<Utc>) -> NaiveDate {
    let today = crate::clock::day_of(now);
    today
        .with_day(1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .unwrap_or(today)
}

/// Changes the fee periods with `change`, which says whether it found what it changes (404
/// otherwise), checks them as a whole and logs the list before and after.
async fn change_fee_periods(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    now: DateTime<Utc>,
    change: impl FnOnce(&mut Vec<FeePeriod>) -> bool,
) -> Result<usize, SettingsError> {
    let mut refused = Some(SettingsError::NotFound);
    let count = change_municipality(db, permit, now, |s, _, c| {
        let mut next = s.fee_periods.clone();
        if !change(&mut next) {
            return;
        }
        match FeeSettings::new(next) {
            Ok(checked) => {
                refused = None;
                c.set(
                    SettingKey::FeePeriods,
                    &mut s.fee_periods,
                    checked.periods().to_vec(),
                );
            }
            Err(e) => refused = Some(e.into()),
        }
    })
    .await?;
    refused.map_or(Ok(count), Err)
}

/// Adds a fee period that starts in a coming month, or replaces one that has not started. Its
/// rates, highest fee base and disregarded income must be within the state's maxtaxa.
pub async fn set_fee_period(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    period: FeePeriod,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    if period.valid_from < first_open_month(now) {
        return Err(SettingsError::FeePeriodStarted);
    }
    check_within_maxtaxa(&period, &FeeSettings::swedish_defaults())?;
    change_fee_periods(db, permit, now, |periods| {
        periods.retain(|p| p.valid_from != period.valid_from);
        periods.push(period);
        true
    })
    .await
}

/// Removes a fee period that has not started; 404 for one there is not.
pub async fn remove_fee_period(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    valid_from: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    if valid_from < first_open_month(now) {
        return Err(SettingsError::FeePeriodStarted);
    }
    change_fee_periods(db, permit, now, |periods| {
        let before = periods.len();
        periods.retain(|p| p.valid_from != valid_from);
        periods.len() != before
    })
    .await
}

/// Sets a unit's hours, lock days and places.
pub async fn change_unit(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    unit_id: Uuid,
    settings: UnitSettings,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    let municipality_id = permit.actor().municipality_id;
    let txn = db.begin().await?;
    lock_municipality(&txn, municipality_id).await?;
    let found = unit::Entity::find_by_id(unit_id)
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .one(&txn)
        .await?
        .ok_or(SettingsError::NotFound)?;
    let (opens, closes) = check_unit(&found.kind, &settings)?;
    let before = unit_settings(&found);
    let mut changes = Changes::new(permit, now);
    let hours = |s: &UnitSettings| (s.opens_at.clone(), s.closes_at.clone());
    let after = UnitSettings {
        opens_at: format_time_of_day(opens),
        closes_at: format_time_of_day(closes),
        ..settings
    };
    let unit = Some(unit_id);
    changes.compare(
        unit,
        SettingKey::UnitOpeningHours,
        &hours(&before),
        &hours(&after),
    );
    changes.compare(
        unit,
        SettingKey::UnitScheduleLockDays,
        &before.schedule_lock_working_days,
        &after.schedule_lock_working_days,
    );
    changes.compare(
        unit,
        SettingKey::UnitCapacity,
        &before.capacity,
        &after.capacity,
    );
    if changes.rows.is_empty() {
        return Ok(0);
    }
    let mut active = found.into_active_model();
    active.opens_at = Set(opens);
    active.closes_at = Set(closes);
    active.schedule_lock_working_days = Set(after.schedule_lock_working_days);
    active.capacity = Set(after.capacity);
    unit::Entity::update(active).exec(&txn).await?;
    let count = changes.write(&txn).await?;
    txn.commit().await?;
    Ok(count)
}

/// The latest changes, newest first, with who made them and the unit's name.
pub async fn history(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
) -> Result<Vec<SettingChange>, SettingsError> {
    let municipality_id = permit.actor().municipality_id;
    let rows = setting_change::Entity::find()
        .filter(setting_change::Column::MunicipalityId.eq(municipality_id))
        .order_by_desc(setting_change::Column::ChangedAt)
        .order_by_desc(setting_change::Column::Id)
        .limit(HISTORY)
        .all(db)
        .await?;
    let people: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(rows.iter().map(|r| r.changed_by_person_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect();
    let units: HashMap<Uuid, String> = unit::Entity::find()
        .select_only()
        .column(unit::Column::Id)
        .column(unit::Column::Name)
        .filter(unit::Column::Id.is_in(rows.iter().filter_map(|r| r.unit_id)))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| SettingChange {
            id: r.id,
            changed_at: r.changed_at,
            changed_by: people
                .get(&r.changed_by_person_id)
                .cloned()
                .unwrap_or_default(),
            setting: r.setting,
            unit_name: r.unit_id.and_then(|u| units.get(&u).cloned()),
            old_value: r.old_value.to_string(),
            new_value: r.new_value.to_string(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use skolportal_shared::api::Theme;

    use super::*;

    fn rules() -> MunicipalityRules {
        rules_of(&MunicipalitySettings::default())
    }

    #[test]
    fn the_defaults_are_valid_rules_and_look() {
        check_rules(&rules()).unwrap();
        check_look(&look_of(&MunicipalitySettings::default(), "Solviks kommun")).unwrap();
    }

    #[test]
    fn a_rule_outside_what_it_means_is_named() {
        let mut r = rules();
        r.leave_mentor_days = 11;
        assert!(matches!(
            check_rules(&r),
            Err(SettingsError::Invalid {
                setting: SettingKey::LeaveMentorDays,
                ..
            })
        ));
        let mut r = rules();
        r.first_graded_school_year = 4;
        assert!(matches!(
            check_rules(&r),
            Err(SettingsError::Invalid {
                setting: SettingKey::FirstGradedSchoolYear,
                ..
            })
        ));
    }

    #[test]
    fn a_look_without_swedish_or_contrast_or_with_an_http_logo_is_refused() {
        let mut look = look_of(&MunicipalitySettings::default(), "Solviks kommun");
        look.languages = vec!["en".into()];
        assert!(check_look(&look).is_err());
        let look = look_of(&MunicipalitySettings::default(), "S");
        assert!(check_look(&look).is_err());
        let mut look = look_of(&MunicipalitySettings::default(), "Solviks kommun");
        look.logo_url = Some("http://kommun.se/logo.svg".into());
        assert!(check_look(&look).is_err());
        let mut look = look_of(&MunicipalitySettings::default(), "Solviks kommun");
        look.theme = Theme {
            text: "#cccccc".into(),
            ..look.theme
        };
        assert!(matches!(
            check_look(&look),
            Err(SettingsError::Theme(ThemeError::Contrast(_)))
        ));
    }

    #[test]
    fn a_unit_closes_after_it_opens_and_a_school_has_no_places() {
        let s = |opens: &str, closes: &str, capacity| UnitSettings {
            opens_at: opens.into(),
            closes_at: closes.into(),
            schedule_lock_working_days: 2,
            capacity,
        };
        assert!(check_unit(&UnitKind::Preschool, &s("06:30", "18:00", Some(60))).is_ok());
        assert!(check_unit(&UnitKind::Preschool, &s("18:00", "06:30", None)).is_err());
        assert!(check_unit(&UnitKind::Preschool, &s("6.30", "18:00", None)).is_err());
        assert!(check_unit(&UnitKind::School, &s("08:00", "16:00", Some(10))).is_err());
    }
}
