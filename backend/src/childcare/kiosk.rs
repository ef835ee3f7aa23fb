//! The check-in kiosk (Tempus Nu): a tablet at a preschool's entrance.
//!
//! - **Pairing.** The administrator makes a one-time code for a unit (8 characters, 15
//!   minutes, kept as its SHA-256); the tablet sends it once and gets a device cookie whose
//!   token's hash is the `kiosk_device` row. The device is an actor of its own: the policy
//!   (`policy::authorize_kiosk`) lets it reach its own unit's day and nothing else, and only
//!   while one of the unit's staff is signed in on it. Staff of the unit (or the
//!   administrator) unpair it; the row stays, as the presence rows name it.
//! - **Staff on the tablet.** Staff set a PIN of 4–8 digits in the portal (Argon2id). On the
//!   tablet they pick their name and type it; five wrong PINs lock it for 15 minutes. The
//!   tablet and the PIN are two factors (something held, paired by the administrator with
//!   BankID, and something known), so a signed-in staff member acts with the strength of a
//!   password and a one-time code. After [`IDLE_SECONDS`] without a request they are signed
//!   out.
//! - **Check-in and check-out.** One tap each; `event_id` makes a tap sent twice (a lost
//!   answer, the offline queue) change nothing, and `at` is when the tap was made, accepted
//!   from 12 hours back (the tablet was offline) to a minute ahead (clocks differ). Check-out
//!   names who collected the child: a current guardian or one of the pick-up persons, kept as
//!   a name, since the list may change later.
//! - **Guardians** see the actual times beside the schedule they set ([`presence`]).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use sha2::{Digest, Sha256};
use skolportal_shared::api::{
    ChildPresence, CollectorKind, KioskCheckIn, KioskCheckOut, KioskChild, KioskCollector,
    KioskDay, KioskDevice, KioskPairingCode, KioskStaffMember, KioskState, PresenceDay,
};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::auth::throttle;
use crate::clock::day_of;
use crate::entity::session::{AuthMethod, LoginStrength};
use crate::entity::unit::UnitKind;
use crate::entity::{
    childcare_presence, duty, guardianship, kiosk_device, kiosk_pairing, kiosk_session, person,
    pickup_person, placement, schedule_day, staff_pin, unit,
};
use crate::policy::{GlobalAction, Permit, PersonAction, UnitAction};
use crate::settings::LoginSettings;

/// A staff member is signed out after this long without a request.
pub const IDLE_SECONDS: u32 = 300;
/// How long a pairing code can be used.
const CODE_MINUTES: i64 = 15;
/// Wrong PINs in a row before the PIN is locked, and for how long.
const PIN_ATTEMPTS: i32 = 5;
const PIN_LOCK_MINUTES: i64 = 15;
/// The letters of a pairing code: no 0/O, 1/I/L to mistake on a tablet's keyboard.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

#[derive(Debug, thiserror::Error)]
pub enum KioskError {
    #[error("not found")]
    NotFound,
    /// The unit has no children to check in (a school).
    #[error("the unit is not a preschool or fritidshem")]
    NotChildcare,
    #[error("the pairing code is unknown, used or expired")]
    CodeInvalid,
    #[error("the tablet's name must be 1 to 60 characters")]
    NameInvalid,
    #[error("a PIN is 4 to 8 digits")]
    PinInvalid,
    #[error("wrong PIN")]
    WrongPin,
    #[error("the PIN is locked for a while after too many wrong tries")]
    PinLocked { retry_after_seconds: i64 },
    /// Too many wrong pairing codes from the tablet's address.
    #[error("too many wrong pairing codes; wait a while")]
    PairingThrottled { retry_after_seconds: u64 },
    /// No paired tablet behind the request.
    #[error("this tablet is not paired")]
    NotPaired,
    /// Nobody is signed in on the tablet (or they were signed out when idle).
    #[error("nobody is signed in on the tablet")]
    SignedOut,
    #[error("the child is already checked in")]
    AlreadyCheckedIn,
    #[error("the child is not checked in")]
    NotCheckedIn,
    #[error("the child has no place at the unit that day")]
    NotPlaced,
    #[error("the one who collected the child is not a guardian or pick-up person")]
    UnknownCollector,
    #[error("the time of the tap is not within the last 12 hours")]
    TimeOutOfRange,
    #[error(transparent)]
    Hash(#[from] crate::auth::password::HashError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

fn sha256_hex(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// A code as typed: letters upper-cased, spaces and dashes dropped.
fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn new_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 8];
    OsRng.fill_bytes(&mut bytes);
    let letters: String = bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect();
    format!("{}-{}", &letters[..4], &letters[4..])
}

/// "Ella L.": what the entrance's screen shows of a child.
pub fn label(given_name: &str, family_name: &str) -> String {
    match family_name.chars().next() {
        Some(initial) => format!("{given_name} {initial}."),
        None => given_name.to_owned(),
    }
}

async fn childcare_unit(
    db: &impl sea_orm::ConnectionTrait,
    municipality_id: Uuid,
    unit_id: Uuid,
) -> Result<unit::Model, KioskError> {
    let unit = unit::Entity::find_by_id(unit_id)
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .one(db)
        .await?
        .ok_or(KioskError::NotFound)?;
    if matches!(unit.kind, UnitKind::School) {
        return Err(KioskError::NotChildcare);
    }
    Ok(unit)
}

/// The administrator makes a pairing code for one of the municipality's preschools.
pub async fn create_pairing(
    db: &DatabaseConnection,
    permit: &Permit<GlobalAction>,
    unit_id: Uuid,
    now: DateTime<Utc>,
) -> Result<KioskPairingCode, KioskError> {
    let actor = permit.actor();
    let unit = childcare_unit(db, actor.municipality_id, unit_id).await?;
    let code = new_code();
    let expires_at = now + Duration::minutes(CODE_MINUTES);
    kiosk_pairing::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(actor.municipality_id),
        unit_id: Set(unit.id),
        code_hash: Set(sha256_hex(&normalise_code(&code))),
        created_by_person_id: Set(actor.person_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(KioskPairingCode {
        code,
        unit_name: unit.name,
        expires_at,
    })
}

/// The tablet pairs itself with a code: the device row, and the token for its cookie. Wrong
/// codes count against the address they came from, as failed logins do (`auth::throttle`), so
/// the codes of the moment cannot be guessed.
pub async fn pair(
    db: &DatabaseConnection,
    throttling: &LoginSettings,
    client_address: &str,
    code: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(String, kiosk_device::Model), KioskError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(KioskError::NameInvalid);
    }
    let attempt = throttle::Attempt::kiosk_pairing(client_address);
    if let Some(retry_after_seconds) = throttle::retry_after(db, throttling, &attempt, now).await? {
        return Err(KioskError::PairingThrottled {
            retry_after_seconds,
        });
    }
    match pair_with_code(db, code, name, now).await {
        Err(KioskError::CodeInvalid) => {
            throttle::record(db, &attempt, false, now).await?;
            Err(KioskError::CodeInvalid)
        }
        paired => paired,
    }
}

async fn pair_with_code(
    db: &DatabaseConnection,
    code: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(String, kiosk_device::Model), KioskError> {
    let txn = db.begin().await?;
    let pairing = kiosk_pairing::Entity::find()
        .filter(kiosk_pairing::Column::CodeHash.eq(sha256_hex(&normalise_code(code))))
        .one(&txn)
        .await?
        .filter(|p| p.used_at.is_none() && p.expires_at > now)
        .ok_or(KioskError::CodeInvalid)?;
    // Conditional: of two tablets typing the same code, one pairs.
    let used = kiosk_pairing::Entity::update_many()
        .col_expr(
            kiosk_pairing::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(kiosk_pairing::Column::Id.eq(pairing.id))
        .filter(kiosk_pairing::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(KioskError::CodeInvalid);
    }
    let token = crate::auth::session::new_token();
    let device = kiosk_device::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(pairing.municipality_id),
        unit_id: Set(pairing.unit_id),
        name: Set(name.to_owned()),
        token_hash: Set(crate::auth::session::hash_token(&token)),
        paired_by_person_id: Set(pairing.created_by_person_id),
        paired_at: Set(now),
        unpaired_at: Set(None),
        unpaired_by_person_id: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok((token, device))
}

/// The paired tablet behind a device cookie.
pub async fn device_of(
    db: &DatabaseConnection,
    token: Option<&str>,
) -> Result<kiosk_device::Model, KioskError> {
    let token = token.ok_or(KioskError::NotPaired)?;
    kiosk_device::Entity::find()
        .filter(kiosk_device::Column::TokenHash.eq(crate::auth::session::hash_token(token)))
        .filter(kiosk_device::Column::UnpairedAt.is_null())
        .one(db)
        .await?
        .ok_or(KioskError::NotPaired)
}

/// Staff with a duty at the unit today.
async fn staff_of(
    db: &impl sea_orm::ConnectionTrait,
    device: &kiosk_device::Model,
    today: NaiveDate,
) -> Result<Vec<person::Model>, DbErr> {
    let ids: Vec<Uuid> = duty::Entity::find()
        .filter(duty::Column::MunicipalityId.eq(device.municipality_id))
        .filter(duty::Column::UnitId.eq(device.unit_id))
        .filter(duty::Column::StartDate.lte(today))
        .filter(
            duty::Column::EndDate
                .is_null()
                .or(duty::Column::EndDate.gte(today)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.person_id)
        .collect();
    let backend = db.get_database_backend();
    person::Entity::find()
        .filter(crate::db::is_in(backend, person::Column::Id, ids))
        .order_by_asc(person::Column::GivenName)
        .order_by_asc(person::Column::FamilyName)
        .all(db)
        .await
}

/// The session on the tablet that is still in use, if any.
async fn open_session(
    db: &impl sea_orm::ConnectionTrait,
    device: &kiosk_device::Model,
    now: DateTime<Utc>,
) -> Result<Option<kiosk_session::Model>, DbErr> {
    let idle_from = now - Duration::seconds(i64::from(IDLE_SECONDS));
    kiosk_session::Entity::find()
        .filter(kiosk_session::Column::DeviceId.eq(device.id))
        .filter(kiosk_session::Column::EndedAt.is_null())
        .filter(kiosk_session::Column::LastActiveAt.gt(idle_from))
        .order_by_desc(kiosk_session::Column::StartedAt)
        .one(db)
        .await
}

/// What the tablet is, its unit's staff to sign in, and who is signed in.
pub async fn state(
    db: &DatabaseConnection,
    device: &kiosk_device::Model,
    now: DateTime<Utc>,
) -> Result<KioskState, KioskError> {
    let unit = unit::Entity::find_by_id(device.unit_id)
        .one(db)
        .await?
        .ok_or(KioskError::NotPaired)?;
    let staff = staff_of(db, device, day_of(now)).await?;
    let signed_in = match open_session(db, device, now).await? {
        Some(session) => staff
            .iter()
            .find(|p| p.id == session.person_id)
            .map(|p| p.given_name.clone()),
        None => None,
    };
    Ok(KioskState {
        unit_id: unit.id,
        unit_name: unit.name,
        device_name: device.name.clone(),
        signed_in,
        staff: staff
            .iter()
            .map(|p| KioskStaffMember {
                person_id: p.id,
                label: label(&p.given_name, &p.family_name),
            })
            .collect(),
        idle_seconds: IDLE_SECONDS,
        now,
    })
}

/// What a PIN must be.
fn check_pin(pin: &str) -> Result<(), KioskError> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(KioskError::PinInvalid)
    }
}

/// A staff member sets (or changes) their PIN for the tablets of their units.
pub async fn set_pin(
    db: &DatabaseConnection,
    user: &SessionUser,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<(), KioskError> {
    check_pin(pin)?;
    let hash = crate::auth::password::hash_secret(pin)?;
    let row = staff_pin::ActiveModel {
        person_id: Set(user.person_id),
        municipality_id: Set(user.municipality_id),
        pin_hash: Set(hash),
        set_at: Set(now),
        failed_attempts: Set(0),
        locked_until: Set(None),
    };
    staff_pin::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(staff_pin::Column::PersonId)
                .update_columns([
                    staff_pin::Column::PinHash,
                    staff_pin::Column::SetAt,
                    staff_pin::Column::FailedAttempts,
                    staff_pin::Column::LockedUntil,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// One of the unit's staff signs in on the tablet with their PIN; whoever was signed in is
/// signed out.
pub async fn sign_in(
    db: &DatabaseConnection,
    device: &kiosk_device::Model,
    person_id: Uuid,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<(), KioskError> {
    let staff = staff_of(db, device, day_of(now)).await?;
    if !staff.iter().any(|p| p.id == person_id) {
        return Err(KioskError::NotFound);
    }
    let Some(stored) = staff_pin::Entity::find_by_id(person_id).one(db).await? else {
        // No PIN set: the same answer as a wrong one, so the tablet tells nobody who has one.
        return Err(KioskError::WrongPin);
    };
    if let Some(until) = stored.locked_until.filter(|until| *until > now) {
        return Err(KioskError::PinLocked {
            retry_after_seconds: (until - now).num_seconds().max(1),
        });
    }
    if !crate::auth::password::verify(pin, &stored.pin_hash) {
        let failed = stored.failed_attempts + 1;
        let mut row: staff_pin::ActiveModel = stored.into();
        row.failed_attempts = Set(failed % PIN_ATTEMPTS);
        if failed >= PIN_ATTEMPTS {
            row.locked_until = Set(Some(now + Duration::minutes(PIN_LOCK_MINUTES)));
        }
        row.update(db).await?;
        return Err(KioskError::WrongPin);
    }
    let txn = db.begin().await?;
    let mut row: staff_pin::ActiveModel = stored.into();
    row.failed_attempts = Set(0);
    row.locked_until = Set(None);
    row.update(&txn).await?;
    end_sessions(&txn, device, now).await?;
    kiosk_session::ActiveModel {
        id: Set(Uuid::new_v4()),
        device_id: Set(device.id),
        person_id: Set(person_id),
        started_at: Set(now),
        last_active_at: Set(now),
        ended_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn end_sessions(
    db: &impl sea_orm::ConnectionTrait,
    device: &kiosk_device::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    kiosk_session::Entity::update_many()
        .col_expr(
            kiosk_session::Column::EndedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(kiosk_session::Column::DeviceId.eq(device.id))
        .filter(kiosk_session::Column::EndedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The staff member signs out (or the tablet does, when idle).
pub async fn sign_out(
    db: &DatabaseConnection,
    device: &kiosk_device::Model,
    now: DateTime<Utc>,
) -> Result<(), KioskError> {
    Ok(end_sessions(db, device, now).await?)
}

/// The staff member signed in on the tablet, as the policy's actor; the request keeps them
/// signed in.
pub async fn signed_in_staff(
    db: &DatabaseConnection,
    device: &kiosk_device::Model,
    now: DateTime<Utc>,
) -> Result<SessionUser, KioskError> {
    let session = open_session(db, device, now)
        .await?
        .ok_or(KioskError::SignedOut)?;
    let mut active: kiosk_session::ActiveModel = session.clone().into();
    active.last_active_at = Set(now);
    active.update(db).await?;
    Ok(SessionUser {
        session_id: format!("kiosk:{}", session.id),
        person_id: session.person_id,
        municipality_id: device.municipality_id,
        auth_method: AuthMethod::Password,
        login_strength: LoginStrength::PasswordAndTotp,
        must_change_password: false,
    })
}

/// The latest stay of each child at the unit on `day`.
async fn stays_on(
    db: &impl sea_orm::ConnectionTrait,
    unit_id: Uuid,
    day: NaiveDate,
) -> Result<Vec<childcare_presence::Model>, DbErr> {
    childcare_presence::Entity::find()
        .filter(childcare_presence::Column::UnitId.eq(unit_id))
        .filter(childcare_presence::Column::OnDate.eq(day))
        .order_by_asc(childcare_presence::Column::CheckedInAt)
        .all(db)
        .await
}

/// Who may collect each child: current guardians and other responsible adults, then the
/// pick-up persons.
async fn collectors(
    db: &impl sea_orm::ConnectionTrait,
    children: &[Uuid],
    today: NaiveDate,
) -> Result<Vec<(Uuid, KioskCollector)>, DbErr> {
    let backend = db.get_database_backend();
    let ties = guardianship::Entity::find()
        .filter(crate::db::is_in(
            backend,
            guardianship::Column::ChildId,
            children.to_vec(),
        ))
        .filter(guardianship::Column::StartDate.lte(today))
        .filter(
            guardianship::Column::EndDate
                .is_null()
                .or(guardianship::Column::EndDate.gte(today)),
        )
        .all(db)
        .await?;
    let adults: Vec<Uuid> = ties.iter().map(|t| t.adult_id).collect();
    let people: std::collections::HashMap<Uuid, person::Model> = person::Entity::find()
        .filter(crate::db::is_in(backend, person::Column::Id, adults))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut out = Vec::new();
    // Guardians and other responsible adults alike: both bring and fetch the child.
    for tie in &ties {
        if let Some(p) = people.get(&tie.adult_id) {
            out.push((
                tie.child_id,
                KioskCollector {
                    kind: CollectorKind::Guardian,
                    id: p.id,
                    name: format!("{} {}", p.given_name, p.family_name),
                },
            ));
        }
    }
    for p in pickup_person::Entity::find()
        .filter(crate::db::is_in(
            backend,
            pickup_person::Column::ChildId,
            children.to_vec(),
        ))
        .order_by_asc(pickup_person::Column::Name)
        .all(db)
        .await?
    {
        out.push((
            p.child_id,
            KioskCollector {
                kind: CollectorKind::PickupPerson,
                id: p.id,
                name: p.name,
            },
        ));
    }
    Ok(out)
}

/// The unit's children expected today, with their planned and actual times: the day sheet's
/// children (so the staff's read is logged as theirs), shown by first name and initial.
pub async fn day(
    db: &DatabaseConnection,
    permit: &Permit<UnitAction>,
    now: DateTime<Utc>,
) -> Result<KioskDay, KioskError> {
    let today = day_of(now);
    let sheet = crate::childcare::schedule::day_sheet(db, permit, today, now)
        .await
        .map_err(|e| match e {
            crate::childcare::schedule::ScheduleError::Database(e) => KioskError::Database(e),
            _ => KioskError::NotFound,
        })?;
    let stays = stays_on(db, permit.target().0, today).await?;
    let ids: Vec<Uuid> = sheet.children.iter().map(|c| c.child_id).collect();
    let collectors = collectors(db, &ids, today).await?;
    let children = sheet
        .children
        .into_iter()
        .map(|c| {
            let stay = stays.iter().rev().find(|s| s.child_id == c.child_id);
            KioskChild {
                child_id: c.child_id,
                label: label(&c.given_name, &c.family_name),
                planned_drop_off: c.drop_off,
                planned_pick_up: c.pick_up,
                checked_in_at: stay.map(|s| s.checked_in_at),
                checked_out_at: stay.and_then(|s| s.checked_out_at),
                collected_by: stay.and_then(|s| s.collected_by_name.clone()),
                collectors: collectors
                    .iter()
                    .filter(|(child, _)| *child == c.child_id)
                    .map(|(_, who)| who.clone())
                    .collect(),
            }
        })
        .collect();
    Ok(KioskDay {
        date: today,
        children,
    })
}

/// The time of a tap, if it can be one: from 12 hours back to a minute ahead.
fn check_time(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<NaiveDate, KioskError> {
    if at > now + Duration::minutes(1) || at < now - Duration::hours(12) {
        return Err(KioskError::TimeOutOfRange);
    }
    Ok(day_of(at))
}

/// Whether the child has a place at the unit on `day`.
async fn placed(
    db: &impl sea_orm::ConnectionTrait,
    unit_id: Uuid,
    child_id: Uuid,
    day: NaiveDate,
) -> Result<bool, DbErr> {
    Ok(placement::Entity::find()
        .filter(placement::Column::UnitId.eq(unit_id))
        .filter(placement::Column::ChildId.eq(child_id))
        .filter(placement::Column::StartDate.lte(day))
        .filter(
            placement::Column::EndDate
                .is_null()
                .or(placement::Column::EndDate.gte(day)),
        )
        .one(db)
        .await?
        .is_some())
}

/// One tap: the child is checked in at `at`. The same tap again changes nothing.
pub async fn check_in(
    db: &DatabaseConnection,
    permit: &Permit<UnitAction>,
    device: &kiosk_device::Model,
    tap: &KioskCheckIn,
    now: DateTime<Utc>,
) -> Result<(), KioskError> {
    let unit_id = permit.target().0;
    let again = childcare_presence::Entity::find()
        .filter(childcare_presence::Column::InEventId.eq(tap.event_id))
        .one(db)
        .await?;
    if let Some(stay) = again {
        return if stay.child_id == tap.child_id && stay.unit_id == unit_id {
            Ok(())
        } else {
            Err(KioskError::NotFound)
        };
    }
    let day = check_time(tap.at, now)?;
    if !placed(db, unit_id, tap.child_id, day).await? {
        return Err(KioskError::NotPlaced);
    }
    let txn = db.begin().await?;
    let open = stays_on(&txn, unit_id, day)
        .await?
        .into_iter()
        .any(|s| s.child_id == tap.child_id && s.checked_out_at.is_none());
    if open {
        return Err(KioskError::AlreadyCheckedIn);
    }
    childcare_presence::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(device.municipality_id),
        unit_id: Set(unit_id),
        child_id: Set(tap.child_id),
        on_date: Set(day),
        checked_in_at: Set(tap.at),
        checked_in_by_person_id: Set(Some(permit.actor().person_id)),
        in_event_id: Set(tap.event_id),
        checked_out_at: Set(None),
        checked_out_by_person_id: Set(None),
        out_event_id: Set(None),
        collector_kind: Set(None),
        collected_by_name: Set(None),
        device_id: Set(Some(device.id)),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    permit.record_shown(db, [tap.child_id], now).await?;
    Ok(())
}

/// One tap: the child is checked out at `at`, collected by a guardian or pick-up person.
pub async fn check_out(
    db: &DatabaseConnection,
    permit: &Permit<UnitAction>,
    tap: &KioskCheckOut,
    now: DateTime<Utc>,
) -> Result<(), KioskError> {
    let unit_id = permit.target().0;
    let again = childcare_presence::Entity::find()
        .filter(childcare_presence::Column::OutEventId.eq(tap.event_id))
        .one(db)
        .await?;
    if let Some(stay) = again {
        return if stay.child_id == tap.child_id && stay.unit_id == unit_id {
            Ok(())
        } else {
            Err(KioskError::NotFound)
        };
    }
    let day = check_time(tap.at, now)?;
    let stay = stays_on(db, unit_id, day)
        .await?
        .into_iter()
        .rev()
        .find(|s| s.child_id == tap.child_id && s.checked_out_at.is_none())
        .filter(|s| s.checked_in_at <= tap.at)
        .ok_or(KioskError::NotCheckedIn)?;
    let who = collectors(db, &[tap.child_id], day)
        .await?
        .into_iter()
        .map(|(_, who)| who)
        .find(|who| who.kind == tap.collector_kind && who.id == tap.collector_id)
        .ok_or(KioskError::UnknownCollector)?;
    let done = childcare_presence::Entity::update_many()
        .col_expr(
            childcare_presence::Column::CheckedOutAt,
            sea_orm::sea_query::Expr::value(tap.at),
        )
        .col_expr(
            childcare_presence::Column::CheckedOutByPersonId,
            sea_orm::sea_query::Expr::value(permit.actor().person_id),
        )
        .col_expr(
            childcare_presence::Column::OutEventId,
            sea_orm::sea_query::Expr::value(tap.event_id),
        )
        .col_expr(
            childcare_presence::Column::CollectorKind,
            sea_orm::sea_query::Expr::value(who.kind.code()),
        )
        .col_expr(
            childcare_presence::Column::CollectedByName,
            sea_orm::sea_query::Expr::value(who.name),
        )
        .filter(childcare_presence::Column::Id.eq(stay.id))
        .filter(childcare_presence::Column::CheckedOutAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Err(KioskError::NotCheckedIn);
    }
    permit.record_shown(db, [tap.child_id], now).await?;
    Ok(())
}

/// The municipality's tablets (the administrator), or one unit's (its staff).
pub async fn devices(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    unit_id: Option<Uuid>,
) -> Result<Vec<KioskDevice>, KioskError> {
    let mut query = kiosk_device::Entity::find()
        .filter(kiosk_device::Column::MunicipalityId.eq(municipality_id))
        .filter(kiosk_device::Column::UnpairedAt.is_null());
    if let Some(unit_id) = unit_id {
        query = query.filter(kiosk_device::Column::UnitId.eq(unit_id));
    }
    let devices = query
        .order_by_asc(kiosk_device::Column::PairedAt)
        .all(db)
        .await?;
    let units: std::collections::HashMap<Uuid, String> = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(devices
        .into_iter()
        .map(|d| KioskDevice {
            id: d.id,
            unit_name: units.get(&d.unit_id).cloned().unwrap_or_default(),
            name: d.name,
            unit_id: d.unit_id,
            paired_at: d.paired_at,
        })
        .collect())
}

/// A tablet is unpaired: its cookie stops working at once.
pub async fn unpair(
    db: &DatabaseConnection,
    actor: &SessionUser,
    unit_id: Option<Uuid>,
    device_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), KioskError> {
    let mut query = kiosk_device::Entity::update_many()
        .col_expr(
            kiosk_device::Column::UnpairedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            kiosk_device::Column::UnpairedByPersonId,
            sea_orm::sea_query::Expr::value(actor.person_id),
        )
        .filter(kiosk_device::Column::Id.eq(device_id))
        .filter(kiosk_device::Column::MunicipalityId.eq(actor.municipality_id))
        .filter(kiosk_device::Column::UnpairedAt.is_null());
    if let Some(unit_id) = unit_id {
        query = query.filter(kiosk_device::Column::UnitId.eq(unit_id));
    }
    if query.exec(db).await?.rows_affected != 1 {
        return Err(KioskError::NotFound);
    }
    Ok(())
}

/// A child's recent days at the unit beside the schedule, newest first: for the guardians.
pub async fn presence(
    db: &DatabaseConnection,
    permit: &Permit<PersonAction>,
    now: DateTime<Utc>,
) -> Result<ChildPresence, KioskError> {
    let child = permit.target().0;
    let today = day_of(now);
    let from = today - Duration::days(27);
    let planned = schedule_day::Entity::find()
        .filter(schedule_day::Column::ChildId.eq(child))
        .filter(schedule_day::Column::Date.gte(from))
        .filter(schedule_day::Column::Date.lte(today))
        .all(db)
        .await?;
    let stays = childcare_presence::Entity::find()
        .filter(childcare_presence::Column::ChildId.eq(child))
        .filter(childcare_presence::Column::OnDate.gte(from))
        .order_by_asc(childcare_presence::Column::CheckedInAt)
        .all(db)
        .await?;
    let mut days: Vec<NaiveDate> = planned
        .iter()
        .map(|d| d.date)
        .chain(stays.iter().map(|s| s.on_date))
        .collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    let hhmm = |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
    Ok(ChildPresence {
        days: days
            .into_iter()
            .map(|date| {
                let plan = planned.iter().find(|d| d.date == date);
                let first = stays.iter().find(|s| s.on_date == date);
                let last = stays.iter().rev().find(|s| s.on_date == date);
                PresenceDay {
                    date,
                    planned_drop_off: plan.and_then(|p| hhmm(p.drop_off)),
                    planned_pick_up: plan.and_then(|p| hhmm(p.pick_up)),
                    checked_in_at: first.map(|s| s.checked_in_at),
                    checked_out_at: last.and_then(|s| s.checked_out_at),
                    collected_by: last.and_then(|s| s.collected_by_name.clone()),
                }
            })
            .collect(),
    })
}

/// A child's check-ins and check-outs for the register extract, the latest first.
pub async fn presence_for_extract(
    db: &DatabaseConnection,
    child: Uuid,
) -> Result<Vec<skolportal_shared::api::ExtractPresence>, DbErr> {
    let stays = childcare_presence::Entity::find()
        .filter(childcare_presence::Column::ChildId.eq(child))
        .order_by_desc(childcare_presence::Column::CheckedInAt)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = stays
        .iter()
        .flat_map(|s| [s.checked_in_by_person_id, s.checked_out_by_person_id])
        .flatten()
        .collect();
    let backend = db.get_database_backend();
    let names: std::collections::HashMap<Uuid, String> = person::Entity::find()
        .filter(crate::db::is_in(backend, person::Column::Id, ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect();
    let name = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned());
    Ok(stays
        .into_iter()
        .map(|s| skolportal_shared::api::ExtractPresence {
            date: s.on_date,
            checked_in_at: s.checked_in_at,
            checked_in_by: name(s.checked_in_by_person_id).unwrap_or_default(),
            checked_out_at: s.checked_out_at,
            checked_out_by: name(s.checked_out_by_person_id),
            collected_by: s.collected_by_name,
        })
        .collect())
}

/// A staff member's own kiosk data for the register extract.
pub async fn for_extract(
    db: &DatabaseConnection,
    person_id: Uuid,
) -> Result<skolportal_shared::api::ExtractKiosk, DbErr> {
    let pin = staff_pin::Entity::find_by_id(person_id).one(db).await?;
    let sessions = kiosk_session::Entity::find()
        .filter(kiosk_session::Column::PersonId.eq(person_id))
        .order_by_desc(kiosk_session::Column::StartedAt)
        .all(db)
        .await?;
    let devices: std::collections::HashMap<Uuid, String> = kiosk_device::Entity::find()
        .filter(crate::db::is_in(
            db.get_database_backend(),
            kiosk_device::Column::Id,
            sessions.iter().map(|s| s.device_id).collect::<Vec<_>>(),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    Ok(skolportal_shared::api::ExtractKiosk {
        pin_set_at: pin.map(|p| p.set_at),
        sessions: sessions
            .into_iter()
            .map(|s| skolportal_shared::api::ExtractKioskSession {
                device: devices.get(&s.device_id).cloned().unwrap_or_default(),
                started_at: s.started_at,
                ended_at: s.ended_at,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_read_as_typed_and_the_screen_shows_an_initial() {
        let code = new_code();
        assert_eq!(code.len(), 9);
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")),
            code.replace('-', "")
        );
        assert_eq!(label("Ella", "Lindqvist"), "Ella L.");
        assert_eq!(label("Ella", ""), "Ella");
    }

    #[test]
    fn a_pin_is_four_to_eight_digits() {
        assert!(check_pin("1234").is_ok());
        assert!(check_pin("12345678").is_ok());
        for bad in ["123", "123456789", "12a4", "", "１２３４"] {
            assert!(check_pin(bad).is_err(), "{bad}");
        }
    }
}
