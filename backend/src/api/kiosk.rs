//! The check-in kiosk (`crate::childcare::kiosk`): pairing a tablet (the administrator's code,
//! the tablet's cookie), the staff's PIN, signing in on the tablet, the unit's day with
//! check-in and check-out, unpairing, and the guardians' view of the actual times.

use poem::Request;
use poem_openapi::auth::ApiKey;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi, SecurityScheme};
use skolportal_shared::api::{
    ChildPresence, KioskCheckIn, KioskCheckOut, KioskDay, KioskDevice, KioskPair, KioskPairingCode,
    KioskPairingRequest, KioskPinChange, KioskSignIn, KioskState,
};
use uuid::Uuid;

use super::late_json::LateJson;
use super::session::{Gate, SessionCookie};
use super::ApiTags;
use crate::childcare::kiosk;
use crate::entity::kiosk_device;
use crate::http::error::ApiError;
use crate::policy::{self, GlobalAction, Permit, PersonAction, PersonId, UnitAction, UnitId};
use crate::state::AppState;

/// The cookie of a paired tablet (`/api/kiosk/pair` sets it).
#[derive(SecurityScheme)]
#[oai(ty = "api_key", key_name = "skolportal_kiosk", key_in = "cookie")]
pub struct KioskCookie(pub ApiKey);

const COOKIE: &str = "skolportal_kiosk";

pub struct KioskApi {
    state: AppState,
}

impl KioskApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    async fn device(&self, cookie: &KioskCookie) -> Result<kiosk_device::Model, ApiError> {
        Ok(kiosk::device_of(&self.state.db, Some(cookie.0.key.as_str())).await?)
    }

    /// The tablet, its signed-in staff member and the policy's permit for `action` on `unit`.
    async fn on_tablet(
        &self,
        cookie: &KioskCookie,
        action: UnitAction,
        unit: Uuid,
    ) -> Result<(kiosk_device::Model, Permit<UnitAction>), ApiError> {
        let s = &self.state;
        let now = s.clock.now();
        let device = self.device(cookie).await?;
        let staff = kiosk::signed_in_staff(&s.db, &device, now).await?;
        let permit =
            policy::authorize_kiosk(&s.db, &device, &staff, action, UnitId(unit), now).await?;
        Ok((device, permit))
    }

    async fn administrator(&self, auth: &SessionCookie) -> Result<Permit<GlobalAction>, ApiError> {
        let s = &self.state;
        let user = s.authenticate(auth, Gate::Ready).await?;
        Ok(
            policy::authorize_global(&s.db, &user, GlobalAction::ChangeSettings, s.clock.now())
                .await?,
        )
    }
}

#[derive(ApiResponse)]
enum CodeCreated {
    /// The code to type on the tablet within 15 minutes, once.
    #[oai(status = 201)]
    Created(Json<KioskPairingCode>),
}

#[derive(ApiResponse)]
enum Paired {
    /// Paired: the tablet's cookie is set, and it shows its unit's sign-in.
    #[oai(status = 201)]
    Created(Json<KioskState>, #[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum Devices {
    #[oai(status = 200)]
    Ok(Json<Vec<KioskDevice>>),
}

#[derive(ApiResponse)]
enum Done {
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum StateResponse {
    #[oai(status = 200)]
    Ok(Json<KioskState>),
}

#[derive(ApiResponse)]
enum DayResponse {
    #[oai(status = 200)]
    Ok(Json<KioskDay>),
}

#[derive(ApiResponse)]
enum PresenceResponse {
    #[oai(status = 200)]
    Ok(Json<ChildPresence>),
}

#[OpenApi(tag = "ApiTags::Schedule")]
impl KioskApi {
    /// Administrator: a one-time code that pairs a tablet to a preschool or fritidshem.
    /// 422 `kiosk_not_childcare` for a school.
    #[oai(path = "/admin/kiosk/pairings", method = "post")]
    async fn create_pairing(
        &self,
        auth: SessionCookie,
        body: LateJson<KioskPairingRequest>,
    ) -> Result<CodeCreated, ApiError> {
        let permit = self.administrator(&auth).await?;
        let body = body.parse()?;
        let code = kiosk::create_pairing(
            &self.state.db,
            &permit,
            body.unit_id,
            self.state.clock.now(),
        )
        .await?;
        Ok(CodeCreated::Created(Json(code)))
    }

    /// Administrator: the municipality's paired tablets.
    #[oai(path = "/admin/kiosk/devices", method = "get")]
    async fn admin_devices(&self, auth: SessionCookie) -> Result<Devices, ApiError> {
        let permit = self.administrator(&auth).await?;
        let list = kiosk::devices(&self.state.db, permit.actor().municipality_id, None).await?;
        Ok(Devices::Ok(Json(list)))
    }

    /// Administrator: unpair a tablet; its cookie stops working at once.
    #[oai(path = "/admin/kiosk/devices/:id", method = "delete")]
    async fn admin_unpair(&self, auth: SessionCookie, id: Path<Uuid>) -> Result<Done, ApiError> {
        let permit = self.administrator(&auth).await?;
        let s = &self.state;
        kiosk::unpair(&s.db, permit.actor(), None, id.0, s.clock.now()).await?;
        Ok(Done::NoContent)
    }

    /// The unit's staff: the unit's paired tablets.
    #[oai(path = "/units/:id/kiosk-devices", method = "get")]
    async fn unit_devices(&self, auth: SessionCookie, id: Path<Uuid>) -> Result<Devices, ApiError> {
        let unit = id;
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let permit = policy::authorize(
            &s.db,
            &user,
            UnitAction::ManageKiosks,
            UnitId(unit.0),
            s.clock.now(),
        )
        .await?;
        let list = kiosk::devices(&s.db, permit.actor().municipality_id, Some(unit.0)).await?;
        Ok(Devices::Ok(Json(list)))
    }

    /// The unit's staff: unpair one of the unit's tablets (one that went missing, say).
    #[oai(path = "/units/:id/kiosk-devices/:device", method = "delete")]
    async fn unit_unpair(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
        device: Path<Uuid>,
    ) -> Result<Done, ApiError> {
        let (unit, id) = (id, device);
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let permit = policy::authorize(
            &s.db,
            &user,
            UnitAction::ManageKiosks,
            UnitId(unit.0),
            s.clock.now(),
        )
        .await?;
        kiosk::unpair(&s.db, permit.actor(), Some(unit.0), id.0, s.clock.now()).await?;
        Ok(Done::NoContent)
    }

    /// Staff: set the PIN to sign in on the unit's tablets with (4 to 8 digits).
    #[oai(path = "/me/kiosk-pin", method = "put")]
    async fn set_pin(
        &self,
        auth: SessionCookie,
        body: LateJson<KioskPinChange>,
    ) -> Result<Done, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let body = body.parse()?;
        kiosk::set_pin(&s.db, &user, &body.pin, s.clock.now()).await?;
        Ok(Done::NoContent)
    }

    /// A tablet pairs itself with the administrator's code. 422 `pairing_code_invalid`; 429
    /// `throttled` after too many wrong codes from its address.
    #[oai(path = "/kiosk/pair", method = "post")]
    async fn pair(&self, req: &Request, body: LateJson<KioskPair>) -> Result<Paired, ApiError> {
        let s = &self.state;
        let body = body.parse()?;
        let now = s.clock.now();
        let address = s.client_address(req);
        let (token, device) = kiosk::pair(
            &s.db,
            &s.settings.login,
            &address,
            &body.code,
            &body.name,
            now,
        )
        .await?;
        let state = kiosk::state(&s.db, &device, now).await?;
        let cookie = format!(
            "{COOKIE}={token}; Path=/api/kiosk; HttpOnly; SameSite=Strict; Max-Age=31536000{}",
            if s.settings.is_https() {
                "; Secure"
            } else {
                ""
            }
        );
        Ok(Paired::Created(Json(state), cookie))
    }

    /// The tablet: its unit, its staff to sign in and who is signed in. 401 when not paired.
    #[oai(path = "/kiosk", method = "get")]
    async fn state(&self, cookie: KioskCookie) -> Result<StateResponse, ApiError> {
        let device = self.device(&cookie).await?;
        let state = kiosk::state(&self.state.db, &device, self.state.clock.now()).await?;
        Ok(StateResponse::Ok(Json(state)))
    }

    /// The tablet: one of the unit's staff signs in with their PIN. 401 `wrong_pin`, 429
    /// `pin_locked` after five wrong ones.
    #[oai(path = "/kiosk/sign-in", method = "post")]
    async fn sign_in(
        &self,
        cookie: KioskCookie,
        body: LateJson<KioskSignIn>,
    ) -> Result<Done, ApiError> {
        let device = self.device(&cookie).await?;
        let body = body.parse()?;
        let s = &self.state;
        kiosk::sign_in(&s.db, &device, body.person_id, &body.pin, s.clock.now()).await?;
        Ok(Done::NoContent)
    }

    /// The tablet: the staff member signs out.
    #[oai(path = "/kiosk/sign-out", method = "post")]
    async fn sign_out(&self, cookie: KioskCookie) -> Result<Done, ApiError> {
        let device = self.device(&cookie).await?;
        kiosk::sign_out(&self.state.db, &device, self.state.clock.now()).await?;
        Ok(Done::NoContent)
    }

    /// The tablet: its unit's children expected today, first name and initial, with planned and
    /// actual times. 401 `kiosk_signed_out` when nobody is signed in; 404 for another unit.
    #[oai(path = "/kiosk/units/:id/day", method = "get")]
    async fn day(&self, cookie: KioskCookie, id: Path<Uuid>) -> Result<DayResponse, ApiError> {
        let unit = id;
        let (_, permit) = self
            .on_tablet(&cookie, UnitAction::ReadChildcareDaySheet, unit.0)
            .await?;
        let day = kiosk::day(&self.state.db, &permit, self.state.clock.now()).await?;
        Ok(DayResponse::Ok(Json(day)))
    }

    /// The tablet: a child is checked in at `at` (sent later when the tablet was offline). The
    /// same `event_id` again changes nothing. 409 `already_checked_in`.
    #[oai(path = "/kiosk/units/:id/check-ins", method = "post")]
    async fn check_in(
        &self,
        cookie: KioskCookie,
        id: Path<Uuid>,
        body: LateJson<KioskCheckIn>,
    ) -> Result<Done, ApiError> {
        let unit = id;
        let body = body.parse()?;
        let (device, permit) = self
            .on_tablet(&cookie, UnitAction::CheckChildrenInAndOut, unit.0)
            .await?;
        let s = &self.state;
        kiosk::check_in(&s.db, &permit, &device, &body, s.clock.now()).await?;
        Ok(Done::NoContent)
    }

    /// The tablet: a child is checked out at `at`, collected by a guardian or a pick-up person.
    /// 409 `not_checked_in`, 422 `unknown_collector`.
    #[oai(path = "/kiosk/units/:id/check-outs", method = "post")]
    async fn check_out(
        &self,
        cookie: KioskCookie,
        id: Path<Uuid>,
        body: LateJson<KioskCheckOut>,
    ) -> Result<Done, ApiError> {
        let unit = id;
        let body = body.parse()?;
        let (_, permit) = self
            .on_tablet(&cookie, UnitAction::CheckChildrenInAndOut, unit.0)
            .await?;
        let s = &self.state;
        kiosk::check_out(&s.db, &permit, &body, s.clock.now()).await?;
        Ok(Done::NoContent)
    }

    /// Guardians: the child's last four weeks at the unit, the actual times beside the schedule.
    #[oai(path = "/childcare/children/:id/presence", method = "get")]
    async fn presence(
        &self,
        auth: SessionCookie,
        id: Path<Uuid>,
    ) -> Result<PresenceResponse, ApiError> {
        let s = &self.state;
        let user = s.authenticate(&auth, Gate::Ready).await?;
        let permit = policy::authorize(
            &s.db,
            &user,
            PersonAction::ReadChildcareSchedule,
            PersonId(id.0),
            s.clock.now(),
        )
        .await?;
        let days = kiosk::presence(&s.db, &permit, s.clock.now()).await?;
        Ok(PresenceResponse::Ok(Json(days)))
    }
}
