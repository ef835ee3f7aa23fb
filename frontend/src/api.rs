//! The only way the SPA talks to the server: every call goes through [`request`], which sends JSON
//! to the same-origin `/api`, reads JSON back and turns every failure into a [`ClientError`].
//!
//! A 401 anywhere but on the login form means the session is gone: [`request`] sends the browser to
//! the login page itself, so pages only have to show other errors.

use chrono::NaiveDate;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use skolportal_shared::api::{
    AbsenceInput, AbsenceReport, ApplicationRequest, ApplicationView, AttendanceOverview,
    AttendanceSummary, AttendanceUpdate, CalendarFeed, ChildCard, ChildConsents,
    ChildcareDocumentView, ChildcarePlacementView, ChildcareUnit, CodeEntry, ConsentChoice,
    ContactUpdate, CopyOutcome, CopyWeek, CorrectionAnswer, CorrectionRequestView, DaySheet,
    ErrorBody, FeeBasis, GroupList, IncomeStatementRequest, LeaveApplication, LeaveDecision,
    LessonChangeInput, LessonRoster, LoginStrength, LunchMenuUpdate, LunchMenuWeek, Me,
    MunicipalityConsentKinds, MunicipalityEmbedding, MunicipalityInfo, MunicipalityLook,
    MunicipalityRules, MunicipalitySettingsView, NewAbsenceReport, NewCalendarFeed,
    NewCorrectionRequest, NewLeaveApplication, NewPickupPerson, NoticeChannels,
    NoticeChannelsUpdate, NoticeList, OfferPage, OfferRequest, OfferView, PasswordChange,
    PickupPerson, PupilCard, PupilGrades, PupilSummary, PushSubscriptionInput, PushUnsubscribe,
    QueuePage, ReceivedDocumentPage, RegisterExtract, SchoolLists, SettingChange, SignStart,
    SourceSyncOverview, StaffList, SubstituteCandidate, TalkMaterial, TalkPartInput,
    TerminationRequest, TimetableOwner, TimetableWeek, TotpConfirmed, TotpSetup, UnitSettings,
    WeekSchedule, WeekScheduleUpdate,
};
use uuid::Uuid;
use yew_router::history::{BrowserHistory, History};
use yew_router::Routable;

use crate::app::{current_app, Route};
use crate::{dom, json};

/// Where the BankID login starts; a full page load, not a fetch.
pub const BANKID_START: &str = "/api/auth/bankid/start";
/// Where logging out leaves a person: the login page, saying that they are logged out.
pub use skolportal_shared::pages::LOGGED_OUT;
/// The register extract as a file; a plain link, the server sets `Content-Disposition`.
pub const EXTRACT_DOWNLOAD: &str = "/api/me/extract?download=true";

/// The server's stable error codes (`ErrorBody.error`) that the UI treats specially.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidCredentials,
    Throttled,
    WeakPassword,
    WrongPassword,
    /// The new password equals the current one.
    SamePassword,
    /// A BankID-only account has no password to change.
    NoPasswordAccount,
    /// A handed-out password must be changed first; [`request`] sends the browser there.
    PasswordChangeRequired,
    InvalidEmail,
    InvalidPhone,
    /// The income statement's income is not a whole number of kronor from 0 up.
    InvalidIncome,
    /// No income was given and the maximum fee was not accepted.
    IncomeRequired,
    /// The income statement would apply from a month already passed.
    ValidFromInPast,
    /// `valid_from` is not the first day of a month.
    NotFirstOfMonth,
    /// Signing needs a BankID session; this one logged in with a password.
    BankidRequired,
    /// The session logged in too weakly for this: `ApiError::required_strength` says what is
    /// needed, and `error_alert` offers the step-up in place.
    StepUpRequired,
    Unauthorized,
    Forbidden,
    NotFound,
    Validation,
    Internal,
    /// A code this client does not know yet; the server's message is shown.
    Other(String),
}

impl ErrorCode {
    pub fn parse(code: &str) -> Self {
        match code {
            "invalid_credentials" => Self::InvalidCredentials,
            "throttled" | "too_many_requests" => Self::Throttled,
            "weak_password" => Self::WeakPassword,
            "wrong_password" => Self::WrongPassword,
            "same_password" => Self::SamePassword,
            "no_password_account" => Self::NoPasswordAccount,
            "password_change_required" => Self::PasswordChangeRequired,
            "invalid_email" => Self::InvalidEmail,
            "invalid_phone" => Self::InvalidPhone,
            "invalid_income" => Self::InvalidIncome,
            "income_required" => Self::IncomeRequired,
            "valid_from_in_past" => Self::ValidFromInPast,
            "not_first_of_month" => Self::NotFirstOfMonth,
            "bankid_required" => Self::BankidRequired,
            "step_up_required" => Self::StepUpRequired,
            "unauthorized" | "unauthenticated" | "not_authenticated" => Self::Unauthorized,
            "forbidden" => Self::Forbidden,
            "not_found" => Self::NotFound,
            "validation" | "bad_request" | "invalid_request" | "unprocessable" => Self::Validation,
            "internal" | "internal_error" | "unavailable" => Self::Internal,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The code to assume when an error answer has no readable body.
    fn from_status(status: u16) -> Self {
        match status {
            400 | 422 => Self::Validation,
            401 => Self::Unauthorized,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            429 => Self::Throttled,
            500.. => Self::Internal,
            other => Self::Other(format!("http_{other}")),
        }
    }
}

/// An error answer from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: ErrorCode,
    /// The server's own explanation, shown when the UI has no text for the code.
    pub message: String,
    pub retry_after_seconds: Option<u64>,
    /// The day a refusal is about (`ErrorBody::date`).
    pub date: Option<chrono::NaiveDate>,
    /// For `step_up_required`: the login strength the action needs.
    pub required_strength: Option<LoginStrength>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The server answered with an error status.
    Api(ApiError),
    /// No answer: offline, DNS, server down, CORS/CSP refusal.
    Network,
    /// A success answer whose body was not what this client expects.
    InvalidResponse,
}

impl ClientError {
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            ClientError::Api(err) => Some(&err.code),
            _ => None,
        }
    }

    /// The session is gone; the request already sent the browser to the login page.
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, ClientError::Api(err) if err.status == 401 && err.code != ErrorCode::InvalidCredentials)
    }
}

/// Builds an [`ApiError`] from an error answer's status, body and `Retry-After` header.
pub fn api_error(status: u16, body: &str, retry_after_header: Option<&str>) -> ApiError {
    let parsed = json::from_str::<ErrorBody>(body);
    let header_seconds = retry_after_header.and_then(|value| value.trim().parse::<u64>().ok());
    match parsed {
        Some(body) => ApiError {
            status,
            code: ErrorCode::parse(&body.error),
            message: body.message,
            retry_after_seconds: body.retry_after_seconds.or(header_seconds),
            date: body.date,
            required_strength: body.required_strength,
        },
        None => ApiError {
            status,
            code: ErrorCode::from_status(status),
            message: String::new(),
            retry_after_seconds: header_seconds,
            date: None,
            required_strength: None,
        },
    }
}

/// Parses a success body; an empty one (204) reads as JSON `null`, which is what `()` expects.
/// Never inlined: one copy per answer type, shared by every request that reads that type.
#[inline(never)]
pub fn parse_success<T: DeserializeOwned>(body: &str) -> Result<T, ClientError> {
    let body = if body.trim().is_empty() { "null" } else { body };
    json::from_str(body).ok_or(ClientError::InvalidResponse)
}

/// Sends one request to the same-origin API. `path` starts with `/api/`. A `body` is sent as JSON
/// with `Content-Type: application/json`, which the server's CSRF protection requires.
pub async fn request<B, T>(method: Method, path: &str, body: Option<&B>) -> Result<T, ClientError>
where
    B: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let text = Request::new(method, path.to_owned(), body).send().await?;
    parse_success(&text)
}

/// A request described but not yet sent: method, path (starting with `/api/`) and JSON body.
pub struct Request {
    method: Method,
    path: String,
    /// The body as JSON; `Err` if it could not be written (then nothing is sent).
    json: Result<Option<String>, ClientError>,
    /// A 401 is only an answer, not a reason to go to the login page.
    quiet: bool,
}

impl Request {
    fn new<B: Serialize + ?Sized>(method: Method, path: String, body: Option<&B>) -> Self {
        let json = body
            .map(|body| json::to_string(body).ok_or(ClientError::InvalidResponse))
            .transpose();
        Self {
            method,
            path,
            json,
            quiet: false,
        }
    }

    /// Sends the request and reads the answer's body as text; every failure becomes a
    /// [`ClientError`]. Not generic, so that its code is in the wasm once rather than once per
    /// answer type (which cost kilobytes): [`request`] and [`Call`] parse the text afterwards.
    pub async fn send(self) -> Result<String, ClientError> {
        let mut builder = RequestBuilder::new(&self.path)
            .method(self.method.clone())
            .header("Accept", "application/json");
        if self.method == Method::GET && dom::keeps_offline() {
            builder = builder.header(dom::KEEP_OFFLINE_HEADER, "1");
        }
        let request = match self.json? {
            Some(json) => builder
                .header("Content-Type", "application/json")
                .body(json),
            None => builder.build(),
        }
        .map_err(|_| ClientError::Network)?;

        let response = request.send().await.map_err(|_| ClientError::Network)?;
        dom::note_answer(response.headers().get(dom::KEPT_AT_HEADER).is_some());
        let status = response.status();
        let text = response.text().await.map_err(|_| ClientError::Network)?;
        if response.ok() {
            return Ok(text);
        }
        let retry_after = response.headers().get("retry-after");
        let error = ClientError::Api(api_error(status, &text, retry_after.as_deref()));
        if error.is_unauthenticated() && !self.quiet {
            go_to_login();
        } else if error.code() == Some(&ErrorCode::PasswordChangeRequired) {
            go_to(&Route::Password);
        }
        Err(error)
    }
}

/// A request whose answer is read as a `T`: what the schedule, pick-up person and day-sheet
/// functions below return. A page model (`hooks::use_model`) sends it with [`Call::then`], so that
/// all its requests share one non-generic future; other code may simply `.await` it.
pub struct Call<T> {
    request: Request,
    answer: PhantomData<fn() -> T>,
}

/// A request and what its answer (the body as text) becomes: see [`Call::then`].
pub type Pending<M> = (Request, Box<dyn FnOnce(Result<String, ClientError>) -> M>);

impl<T: DeserializeOwned + 'static> Call<T> {
    fn new<B: Serialize + ?Sized>(method: Method, path: String, body: Option<&B>) -> Self {
        Self {
            request: Request::new(method, path, body),
            answer: PhantomData,
        }
    }

    /// The request, with `make` turning its parsed answer into a message.
    pub fn then<M: 'static>(
        self,
        make: impl FnOnce(Result<T, ClientError>) -> M + 'static,
    ) -> Pending<M> {
        let read = move |text: Result<String, ClientError>| {
            make(text.and_then(|text| parse_success(&text)))
        };
        (self.request, Box::new(read))
    }
}

impl<T: DeserializeOwned + 'static> IntoFuture for Call<T> {
    type Output = Result<T, ClientError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, ClientError>>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { parse_success(&self.request.send().await?) })
    }
}

/// Navigates through the router's (shared) browser history, unless already there; another app's
/// page is loaded by the browser.
pub fn go_to(route: &Route) {
    let path = route.to_path();
    if route.app() != current_app() {
        dom::load_page(&path);
        return;
    }
    let history = BrowserHistory::new();
    if history.location().path() != path {
        history.push(path);
    }
}

/// As [`go_to`], replacing the current page in the history (a redirect).
pub fn go_to_replacing(route: &Route) {
    let path = route.to_path();
    if route.app() != current_app() {
        dom::load_page(&path);
    } else {
        BrowserHistory::new().replace(path);
    }
}

/// Navigates to `path` (a page of some app, with its query): through the router's history in
/// this app, by loading the page for another app's.
pub fn go_to_path(path: &str) {
    let page = path.split(['?', '#']).next().unwrap_or(path);
    match Route::recognize(page) {
        Some(route) if route.app() != current_app() => dom::load_page(path),
        _ => BrowserHistory::new().push(path),
    }
}

/// To the login page, which brings the person back to the page they were on after logging in
/// (`?return_to=`, by password or BankID). The start page needs no return: it is where a login
/// leads anyway.
fn go_to_login() {
    let history = BrowserHistory::new();
    let location = history.location();
    let path = location.path();
    if path == "/login" {
        return;
    }
    let here = format!("{path}{}", location.query_str());
    match dom::safe_return_to(&here).filter(|here| *here != "/") {
        Some(here) => go_to_path(&format!(
            "/login?return_to={}",
            dom::encode_query_value(here)
        )),
        None => go_to_path("/login"),
    }
}

const NO_BODY: Option<&()> = None;

/// `GET /api/municipality`: public, needed before login.
pub async fn municipality() -> Result<MunicipalityInfo, ClientError> {
    request(Method::GET, "/api/municipality", NO_BODY).await
}

/// `GET /api/me`.
pub async fn me() -> Result<Me, ClientError> {
    request(Method::GET, "/api/me", NO_BODY).await
}

/// `GET /api/me` without going to the login page on a 401: for pages anyone may see (an
/// unknown address), which show the header of whoever is logged in.
pub async fn me_if_logged_in() -> Option<Me> {
    let mut request = Request::new(Method::GET, "/api/me".to_owned(), NO_BODY);
    request.quiet = true;
    parse_success(&request.send().await.ok()?).ok()
}

/// `POST /api/auth/totp`: a one-time or recovery code raises this session where it stands.
pub async fn step_up(body: &CodeEntry) -> Result<Me, ClientError> {
    request(Method::POST, "/api/auth/totp", Some(body)).await
}

/// `POST /api/me/totp`: a new key to set up one-time codes with (its QR code is
/// `/api/me/totp/qr`).
pub async fn totp_setup() -> Result<TotpSetup, ClientError> {
    request(Method::POST, "/api/me/totp", NO_BODY).await
}

/// `POST /api/me/totp/confirm`: the first code turns one-time codes on; the recovery codes back.
pub async fn totp_confirm(body: &CodeEntry) -> Result<TotpConfirmed, ClientError> {
    request(Method::POST, "/api/me/totp/confirm", Some(body)).await
}

/// `POST /api/auth/logout`.
pub async fn logout() -> Result<(), ClientError> {
    request(Method::POST, "/api/auth/logout", NO_BODY).await
}

/// `POST /api/me/password`: 204 on success.
pub async fn change_password(body: &PasswordChange) -> Result<(), ClientError> {
    request(Method::POST, "/api/me/password", Some(body)).await
}

/// `PUT /api/me/contact`.
pub async fn update_contact(body: &ContactUpdate) -> Result<Me, ClientError> {
    request(Method::PUT, "/api/me/contact", Some(body)).await
}

/// `GET /api/children/{id}/consents`.
pub async fn child_consents(child: Uuid) -> Result<ChildConsents, ClientError> {
    request(
        Method::GET,
        &format!("/api/children/{child}/consents"),
        NO_BODY,
    )
    .await
}

/// `PUT /api/children/{id}/consents/{key}`: the asker's decision; answers the child's consents.
pub async fn decide_consent(
    child: Uuid,
    key: &str,
    body: &ConsentChoice,
) -> Result<ChildConsents, ClientError> {
    let key = skolportal_shared::paths::encode_query_value(key);
    request(
        Method::PUT,
        &format!("/api/children/{child}/consents/{key}"),
        Some(body),
    )
    .await
}

/// `GET /api/pupils/{id}/grades`.
pub async fn pupil_grades(pupil: Uuid) -> Result<PupilGrades, ClientError> {
    request(Method::GET, &format!("/api/pupils/{pupil}/grades"), NO_BODY).await
}

/// `GET /api/pupils/{id}/talk-material`.
pub async fn talk_material(pupil: Uuid) -> Result<TalkMaterial, ClientError> {
    request(
        Method::GET,
        &format!("/api/pupils/{pupil}/talk-material"),
        NO_BODY,
    )
    .await
}

/// `PUT /api/pupils/{id}/talk-material`: the asker's own part; answers the material.
pub async fn save_talk_part(
    pupil: Uuid,
    body: &TalkPartInput,
) -> Result<TalkMaterial, ClientError> {
    request(
        Method::PUT,
        &format!("/api/pupils/{pupil}/talk-material"),
        Some(body),
    )
    .await
}

/// `GET /api/children`. A [`Call`], so that the application form's model can send it too.
pub fn children() -> Call<Vec<ChildCard>> {
    Call::new(Method::GET, "/api/children".to_owned(), NO_BODY)
}

/// What `POST /api/absence-reports` answered: the server's reports, or the service worker's
/// word that it kept the submit to send when the connection returns (`assets/sw.js`, outbox).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum Reported {
    Sent(Vec<AbsenceReport>),
    Kept { queued: bool },
}

/// `POST /api/absence-reports`. Sent again with the same `submission_id`, it makes nothing new.
pub fn report_absence(body: &NewAbsenceReport) -> Call<Reported> {
    Call::new(Method::POST, "/api/absence-reports".to_owned(), Some(body))
}

/// `GET /api/absence-reports`: the reports that stand about the adult's children.
pub fn absence_reports() -> Call<Vec<AbsenceReport>> {
    Call::new(Method::GET, "/api/absence-reports".to_owned(), NO_BODY)
}

/// `PUT /api/absence-reports/{id}`.
pub fn change_absence_report(id: Uuid, body: &AbsenceInput) -> Call<AbsenceReport> {
    Call::new(
        Method::PUT,
        format!("/api/absence-reports/{id}"),
        Some(body),
    )
}

/// `DELETE /api/absence-reports/{id}`.
pub fn withdraw_absence_report(id: Uuid) -> Call<()> {
    Call::new(
        Method::DELETE,
        format!("/api/absence-reports/{id}"),
        NO_BODY,
    )
}

/// `GET /api/units/{id}/lunch?week=`: a unit's lunch menu (this week when `week` is `None`).
pub async fn lunch_week(unit: Uuid, week: Option<NaiveDate>) -> Result<LunchMenuWeek, ClientError> {
    let week = week.map(|w| format!("?week={w}")).unwrap_or_default();
    request(
        Method::GET,
        &format!("/api/units/{unit}/lunch{week}"),
        NO_BODY,
    )
    .await
}

/// `PUT /api/units/{id}/lunch/{week}`: the staff enter the week's menu.
pub async fn save_lunch_week(
    unit: Uuid,
    week: NaiveDate,
    body: &LunchMenuUpdate,
) -> Result<LunchMenuWeek, ClientError> {
    request(
        Method::PUT,
        &format!("/api/units/{unit}/lunch/{week}"),
        Some(body),
    )
    .await
}

/// `GET /api/me/extract`: the register extract (registerutdrag). Reading it is logged.
pub async fn register_extract() -> Result<RegisterExtract, ClientError> {
    request(Method::GET, "/api/me/extract", NO_BODY).await
}

/// `POST /api/me/corrections`: ask for an item of the extract to be corrected.
pub async fn request_correction(
    body: &NewCorrectionRequest,
) -> Result<CorrectionRequestView, ClientError> {
    request(Method::POST, "/api/me/corrections", Some(body)).await
}

/// `GET /api/officer/corrections`: the open correction requests. Reading them is logged.
pub async fn open_corrections() -> Result<Vec<CorrectionRequestView>, ClientError> {
    request(Method::GET, "/api/officer/corrections", NO_BODY).await
}

/// `POST /api/officer/corrections/{id}/answer`.
pub async fn answer_correction(
    id: Uuid,
    body: &CorrectionAnswer,
) -> Result<CorrectionRequestView, ClientError> {
    request(
        Method::POST,
        &format!("/api/officer/corrections/{id}/answer"),
        Some(body),
    )
    .await
}

/// `GET /api/officer/source-sync`: the latest SS 12000 syncs.
pub async fn source_sync() -> Result<SourceSyncOverview, ClientError> {
    request(Method::GET, "/api/officer/source-sync", NO_BODY).await
}

/// `POST /api/officer/source-sync`: 202; a full sync is ordered.
pub async fn start_source_sync() -> Result<(), ClientError> {
    request(Method::POST, "/api/officer/source-sync", NO_BODY).await
}

/// `POST /api/officer/source-sync/{id}/confirm`: 202; the refused sync is ordered to go ahead.
pub async fn confirm_source_sync(id: Uuid) -> Result<(), ClientError> {
    request(
        Method::POST,
        &format!("/api/officer/source-sync/{id}/confirm"),
        NO_BODY,
    )
    .await
}

/// `GET /api/lists`: the class, group and staff lists the person may open.
pub async fn school_lists() -> Result<SchoolLists, ClientError> {
    request(Method::GET, "/api/lists", NO_BODY).await
}

/// `GET /api/groups/{id}/list`: a class or group list; 404 for a group that is not one's own.
pub async fn group_list(id: Uuid) -> Result<GroupList, ClientError> {
    request(Method::GET, &format!("/api/groups/{id}/list"), NO_BODY).await
}

/// `GET /api/units/{id}/staff`: a school's staff list.
pub async fn staff_list(id: Uuid) -> Result<StaffList, ClientError> {
    request(Method::GET, &format!("/api/units/{id}/staff"), NO_BODY).await
}

/// `GET /api/pupils`: staff's own pupils. Listing them is logged.
pub async fn pupils() -> Result<Vec<PupilSummary>, ClientError> {
    request(Method::GET, "/api/pupils", NO_BODY).await
}

/// `GET /api/pupils/{id}`: one pupil card; 404 without a connection to the pupil. Logged.
pub async fn pupil(id: Uuid) -> Result<PupilCard, ClientError> {
    request(Method::GET, &format!("/api/pupils/{id}"), NO_BODY).await
}

/// `GET /api/childcare/documents`: the guardian's childcare documents (income statements, answers
/// to placement offers, terminations).
pub fn childcare_documents() -> Call<Vec<ChildcareDocumentView>> {
    Call::new(Method::GET, "/api/childcare/documents".to_owned(), NO_BODY)
}

/// `GET /api/childcare/documents/{id}`: one document with what this session may do with it; for
/// an officer (`officer`), `GET /api/childcare/officer/documents/{id}`: a signed document as the
/// municipality received it.
pub async fn childcare_document(
    id: Uuid,
    officer: bool,
) -> Result<ChildcareDocumentView, ClientError> {
    let area = if officer { "officer/" } else { "" };
    request(
        Method::GET,
        &format!("/api/childcare/{area}documents/{id}"),
        NO_BODY,
    )
    .await
}

/// `DELETE /api/childcare/documents/{id}`: 204; my own unsigned draft is gone.
pub async fn delete_document(id: Uuid) -> Result<(), ClientError> {
    request(
        Method::DELETE,
        &format!("/api/childcare/documents/{id}"),
        NO_BODY,
    )
    .await
}

/// `GET /api/childcare/fee-basis`: the fee settings and the household's children with a place,
/// for the fee preview on the income statement form.
pub async fn fee_basis() -> Result<FeeBasis, ClientError> {
    request(Method::GET, "/api/childcare/fee-basis", NO_BODY).await
}

/// `POST /api/childcare/income-statements`: 201 with the new statement as a draft to sign.
pub async fn submit_income_statement(
    body: &IncomeStatementRequest,
) -> Result<ChildcareDocumentView, ClientError> {
    request(Method::POST, "/api/childcare/income-statements", Some(body)).await
}

/// `POST /api/childcare/documents/{id}/sign`: where to send the browser to sign with BankID.
pub async fn start_signing(id: Uuid) -> Result<SignStart, ClientError> {
    request(
        Method::POST,
        &format!("/api/childcare/documents/{id}/sign"),
        NO_BODY,
    )
    .await
}

/// `/api/childcare/children/{id}/schedule?week=…`: a child's schedule (vistelsetid).
fn schedule_path(child: Uuid, week: NaiveDate) -> String {
    format!("/api/childcare/children/{child}/schedule?week={week}")
}

/// `GET /api/childcare/children/{id}/schedule?week=`: the child's week starting `week` (a
/// Monday), with what is locked and who changed it last.
pub fn week_schedule(child: Uuid, week: NaiveDate) -> Call<WeekSchedule> {
    Call::new(Method::GET, schedule_path(child, week), NO_BODY)
}

/// `PUT /api/childcare/children/{id}/schedule?week=`: sets the listed days; the saved week back.
pub fn save_week(child: Uuid, week: NaiveDate, body: &WeekScheduleUpdate) -> Call<WeekSchedule> {
    Call::new(Method::PUT, schedule_path(child, week), Some(body))
}

/// `POST /api/childcare/children/{id}/schedule/copy?week=`: copies the saved week to following
/// weeks and to siblings; what was written and what was skipped.
pub fn copy_week(child: Uuid, week: NaiveDate, body: &CopyWeek) -> Call<CopyOutcome> {
    let path = format!("/api/childcare/children/{child}/schedule/copy?week={week}");
    Call::new(Method::POST, path, Some(body))
}

fn pickup_path(child: Uuid) -> String {
    format!("/api/childcare/children/{child}/pickup-persons")
}

/// `GET /api/childcare/children/{id}/pickup-persons`: who may collect the child.
pub fn pickup_persons(child: Uuid) -> Call<Vec<PickupPerson>> {
    Call::new(Method::GET, pickup_path(child), NO_BODY)
}

/// `POST /api/childcare/children/{id}/pickup-persons`: 201 with the added person.
pub fn add_pickup_person(child: Uuid, body: &NewPickupPerson) -> Call<PickupPerson> {
    Call::new(Method::POST, pickup_path(child), Some(body))
}

/// `DELETE /api/childcare/children/{id}/pickup-persons/{pickup_id}`: 204.
pub fn remove_pickup_person(child: Uuid, person: Uuid) -> Call<()> {
    let path = format!("{}/{person}", pickup_path(child));
    Call::new(Method::DELETE, path, NO_BODY)
}

/// `GET /api/childcare/units/{id}/day?date=`: the children expected at a unit on a day, in
/// drop-off order; 404 without a duty at the unit.
pub fn day_sheet(unit: Uuid, date: NaiveDate) -> Call<DaySheet> {
    let path = format!("/api/childcare/units/{unit}/day?date={date}");
    Call::new(Method::GET, path, NO_BODY)
}

/// `GET /api/childcare/units`: the preschools, family daycare and fritidshem one can apply to
/// (and an officer's queues), by name.
pub fn childcare_units() -> Call<Vec<ChildcareUnit>> {
    Call::new(Method::GET, "/api/childcare/units".to_owned(), NO_BODY)
}

/// `GET /api/childcare/queue?unit_id=[&cursor=]`: officer: a page of a unit's queue, in queue
/// order; `cursor` is the previous page's `next_cursor`, none for the first page.
pub fn childcare_queue(unit: Uuid, cursor: Option<&str>) -> Call<QueuePage> {
    let path = list_path("queue", &[("unit_id", &unit.to_string())], cursor);
    Call::new(Method::GET, path, NO_BODY)
}

/// `POST /api/childcare/offers`: officer: offer a place to a queued application; 201 with it.
pub fn make_offer(body: &OfferRequest) -> Call<OfferView> {
    Call::new(Method::POST, "/api/childcare/offers".to_owned(), Some(body))
}

/// `GET /api/childcare/officer/offers?[status=][&cursor=]`: officer: a page of the
/// municipality's offers, newest first; `status` is a status code (`open`, …) or empty for all.
pub fn officer_offers(status: &str, cursor: Option<&str>) -> Call<OfferPage> {
    Call::new(
        Method::GET,
        list_path("officer/offers", &[("status", status)], cursor),
        NO_BODY,
    )
}

/// `GET /api/childcare/officer/documents?[kind=][&signed_from=][&signed_to=][&cursor=]`:
/// officer: a page of the documents guardians have signed, newest first; `kind` is a kind code
/// (`income_statement`, …) or empty for all, and the signing days are inclusive.
pub fn received_documents(
    kind: &str,
    signed_from: Option<NaiveDate>,
    signed_to: Option<NaiveDate>,
    cursor: Option<&str>,
) -> Call<ReceivedDocumentPage> {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let (from, to) = (day(signed_from), day(signed_to));
    Call::new(
        Method::GET,
        list_path(
            "officer/documents",
            &[("kind", kind), ("signed_from", &from), ("signed_to", &to)],
            cursor,
        ),
        NO_BODY,
    )
}

/// `/api/childcare/<list>?<key>=<value>&…` for each value that is not empty, and the cursor. The
/// values are the server's own codes, ids, ISO dates and base64url cursors: none needs escaping.
fn list_path(list: &str, params: &[(&str, &str)], cursor: Option<&str>) -> String {
    let mut path = format!("/api/childcare/{list}");
    let cursor = [("cursor", cursor.unwrap_or_default())];
    for (n, (key, value)) in params
        .iter()
        .chain(&cursor)
        .filter(|(_, value)| !value.is_empty())
        .enumerate()
    {
        path.push(if n == 0 { '?' } else { '&' });
        path.push_str(key);
        path.push('=');
        path.push_str(value);
    }
    path
}

const APPLICATIONS: &str = "/api/childcare/applications";

/// `GET /api/childcare/applications`: my children's applications with their queue positions.
pub fn applications() -> Call<Vec<ApplicationView>> {
    Call::new(Method::GET, APPLICATIONS.to_owned(), NO_BODY)
}

/// `POST /api/childcare/applications`: 201 with the application in the queue.
pub fn apply(body: &ApplicationRequest) -> Call<ApplicationView> {
    Call::new(Method::POST, APPLICATIONS.to_owned(), Some(body))
}

/// `POST /api/childcare/applications/{id}/withdraw`: out of the queue, before an offer.
pub fn withdraw_application(id: Uuid) -> Call<ApplicationView> {
    Call::new(
        Method::POST,
        format!("{APPLICATIONS}/{id}/withdraw"),
        NO_BODY,
    )
}

/// `GET /api/childcare/offers`: offers of a place to my children, newest first.
pub fn offers() -> Call<Vec<OfferView>> {
    Call::new(Method::GET, "/api/childcare/offers".to_owned(), NO_BODY)
}

/// `POST /api/childcare/offers/{id}/accept` (or `/decline`): 201 with the answer to sign.
pub fn answer_offer(id: Uuid, accept: bool) -> Call<ChildcareDocumentView> {
    let answer = if accept { "accept" } else { "decline" };
    let path = format!("/api/childcare/offers/{id}/{answer}");
    Call::new(Method::POST, path, NO_BODY)
}

/// `GET /api/childcare/placements`: my children's current places and the earliest last day.
pub fn placements() -> Call<Vec<ChildcarePlacementView>> {
    Call::new(Method::GET, "/api/childcare/placements".to_owned(), NO_BODY)
}

/// `POST /api/childcare/terminations`: 201 with the termination to sign.
pub fn terminate(body: &TerminationRequest) -> Call<ChildcareDocumentView> {
    Call::new(
        Method::POST,
        "/api/childcare/terminations".to_owned(),
        Some(body),
    )
}

/// The signing receipt as a file; a plain link, the server sets `Content-Disposition`.
pub fn receipt_url(id: Uuid) -> String {
    format!("/api/childcare/documents/{id}/receipt")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttled_body_keeps_seconds_and_message() {
        let err = api_error(
            429,
            r#"{"error":"throttled","message":"Too many attempts","retry_after_seconds":125}"#,
            None,
        );
        assert_eq!(err.code, ErrorCode::Throttled);
        assert_eq!(err.retry_after_seconds, Some(125));
        assert_eq!(err.message, "Too many attempts");
    }

    #[test]
    fn bodyless_errors_fall_back_to_status_and_header() {
        let err = api_error(429, "", Some(" 60 "));
        assert_eq!(err.code, ErrorCode::Throttled);
        assert_eq!(err.retry_after_seconds, Some(60));
        assert_eq!(api_error(502, "<html>", None).code, ErrorCode::Internal);
        assert_eq!(api_error(401, "", None).code, ErrorCode::Unauthorized);
    }

    #[test]
    fn backend_codes_are_recognised() {
        for (code, expected) in [
            ("unauthenticated", ErrorCode::Unauthorized),
            ("same_password", ErrorCode::SamePassword),
            ("no_password_account", ErrorCode::NoPasswordAccount),
            (
                "password_change_required",
                ErrorCode::PasswordChangeRequired,
            ),
            ("unprocessable", ErrorCode::Validation),
            ("invalid_income", ErrorCode::InvalidIncome),
            ("income_required", ErrorCode::IncomeRequired),
            ("valid_from_in_past", ErrorCode::ValidFromInPast),
            ("not_first_of_month", ErrorCode::NotFirstOfMonth),
            ("bankid_required", ErrorCode::BankidRequired),
        ] {
            assert_eq!(ErrorCode::parse(code), expected, "{code}");
        }
    }

    #[test]
    fn unknown_codes_are_kept() {
        let err = api_error(400, r#"{"error":"odd_thing","message":"Odd"}"#, None);
        assert_eq!(err.code, ErrorCode::Other("odd_thing".into()));
    }

    #[test]
    fn only_a_lost_session_counts_as_unauthenticated() {
        let lost = ClientError::Api(api_error(401, "", None));
        let wrong = ClientError::Api(api_error(
            401,
            r#"{"error":"invalid_credentials","message":"No"}"#,
            None,
        ));
        assert!(lost.is_unauthenticated());
        assert!(!wrong.is_unauthenticated());
        assert!(!ClientError::Network.is_unauthenticated());
    }

    #[test]
    fn empty_success_bodies_read_as_unit() {
        assert_eq!(parse_success::<()>(""), Ok(()));
        assert_eq!(
            parse_success::<Vec<u8>>("not json"),
            Err(ClientError::InvalidResponse)
        );
    }
}

/// `GET /api/timetable/pupils/{id}?week=` or `/api/timetable/teachers/{id}?week=`: a week of
/// lessons with the day's changes (this week when `week` is `None`).
pub fn timetable(owner: TimetableOwner, id: Uuid, week: Option<NaiveDate>) -> Call<TimetableWeek> {
    let whose = match owner {
        TimetableOwner::Pupil => "pupils",
        TimetableOwner::Teacher => "teachers",
    };
    let week = week.map(|w| format!("?week={w}")).unwrap_or_default();
    Call::new(
        Method::GET,
        format!("/api/timetable/{whose}/{id}{week}"),
        NO_BODY,
    )
}

fn lesson_change_path(lesson: Uuid, date: NaiveDate) -> String {
    format!("/api/timetable/lessons/{lesson}/changes/{date}")
}

/// `PUT /api/timetable/lessons/{id}/changes/{date}`: records how the lesson differs that day.
pub async fn record_lesson_change(
    lesson: Uuid,
    date: NaiveDate,
    change: &LessonChangeInput,
) -> Result<(), ClientError> {
    request(Method::PUT, &lesson_change_path(lesson, date), Some(change)).await
}

/// `GET /api/timetable/lessons/{id}/attendance/{date}`: the lesson's roster that day.
pub fn lesson_roster(lesson: Uuid, date: NaiveDate) -> Call<LessonRoster> {
    Call::new(
        Method::GET,
        format!("/api/timetable/lessons/{lesson}/attendance/{date}"),
        NO_BODY,
    )
}

/// `PUT /api/timetable/lessons/{id}/attendance/{date}`: saves the marks.
pub fn save_attendance(
    lesson: Uuid,
    date: NaiveDate,
    update: &AttendanceUpdate,
) -> Call<LessonRoster> {
    Call::new(
        Method::PUT,
        format!("/api/timetable/lessons/{lesson}/attendance/{date}"),
        Some(update),
    )
}

/// `DELETE /api/timetable/lessons/{id}/changes/{date}`: the lesson is as planned again.
pub async fn clear_lesson_change(lesson: Uuid, date: NaiveDate) -> Result<(), ClientError> {
    request(Method::DELETE, &lesson_change_path(lesson, date), NO_BODY).await
}

/// `GET /api/timetable/lessons/{id}/substitutes`: who can stand in.
pub async fn substitutes(lesson: Uuid) -> Result<Vec<SubstituteCandidate>, ClientError> {
    request(
        Method::GET,
        &format!("/api/timetable/lessons/{lesson}/substitutes"),
        NO_BODY,
    )
    .await
}

/// `GET /api/timetable/feeds`: my calendar feeds, without their addresses.
pub async fn calendar_feeds() -> Result<Vec<CalendarFeed>, ClientError> {
    request(Method::GET, "/api/timetable/feeds", NO_BODY).await
}

/// `POST /api/timetable/feeds`: a new (or renewed) feed, with its address.
pub async fn create_calendar_feed(person_id: Uuid) -> Result<CalendarFeed, ClientError> {
    request(
        Method::POST,
        "/api/timetable/feeds",
        Some(&NewCalendarFeed { person_id }),
    )
    .await
}

/// `DELETE /api/timetable/feeds/{person_id}`: the address stops working.
pub async fn revoke_calendar_feed(person_id: Uuid) -> Result<(), ClientError> {
    request(
        Method::DELETE,
        &format!("/api/timetable/feeds/{person_id}"),
        NO_BODY,
    )
    .await
}

/// `GET /api/notices`: the person's notices, the newest first.
pub async fn notices() -> Result<NoticeList, ClientError> {
    request(Method::GET, "/api/notices", NO_BODY).await
}

/// `POST /api/notices/{id}/read`.
pub async fn mark_notice_read(id: Uuid) -> Result<(), ClientError> {
    request(Method::POST, &format!("/api/notices/{id}/read"), NO_BODY).await
}

/// `GET /api/notices/channels`.
pub async fn notice_channels() -> Result<NoticeChannels, ClientError> {
    request(Method::GET, "/api/notices/channels", NO_BODY).await
}

/// `PUT /api/notices/channels`.
pub async fn choose_notice_channels(
    body: &NoticeChannelsUpdate,
) -> Result<NoticeChannels, ClientError> {
    request(Method::PUT, "/api/notices/channels", Some(body)).await
}

/// `POST /api/notices/push-subscriptions`: this browser takes notices by push.
pub async fn subscribe_push(body: &PushSubscriptionInput) -> Result<(), ClientError> {
    request(Method::POST, "/api/notices/push-subscriptions", Some(body)).await
}

/// `POST /api/notices/push-subscriptions/remove`.
pub async fn unsubscribe_push(body: &PushUnsubscribe) -> Result<(), ClientError> {
    request(
        Method::POST,
        "/api/notices/push-subscriptions/remove",
        Some(body),
    )
    .await
}

/// `POST /api/leave-applications`.
pub async fn apply_for_leave(body: &NewLeaveApplication) -> Result<LeaveApplication, ClientError> {
    request(Method::POST, "/api/leave-applications", Some(body)).await
}

/// `GET /api/leave-applications`: the guardian's children's applications.
pub async fn leave_applications() -> Result<Vec<LeaveApplication>, ClientError> {
    request(Method::GET, "/api/leave-applications", NO_BODY).await
}

/// `GET /api/leave-applications/to-decide`.
pub async fn leave_to_decide() -> Result<Vec<LeaveApplication>, ClientError> {
    request(Method::GET, "/api/leave-applications/to-decide", NO_BODY).await
}

/// `POST /api/leave-applications/{id}/agree`.
pub async fn agree_to_leave(id: Uuid) -> Result<LeaveApplication, ClientError> {
    request(
        Method::POST,
        &format!("/api/leave-applications/{id}/agree"),
        NO_BODY,
    )
    .await
}

/// `POST /api/leave-applications/{id}/withdraw`.
pub async fn withdraw_leave(id: Uuid) -> Result<LeaveApplication, ClientError> {
    request(
        Method::POST,
        &format!("/api/leave-applications/{id}/withdraw"),
        NO_BODY,
    )
    .await
}

/// `POST /api/leave-applications/{id}/decision`.
pub async fn decide_leave(id: Uuid, body: &LeaveDecision) -> Result<LeaveApplication, ClientError> {
    request(
        Method::POST,
        &format!("/api/leave-applications/{id}/decision"),
        Some(body),
    )
    .await
}

/// `POST /api/absence-reports/by-staff`: staff mark a child absent from the day sheet.
pub fn mark_absence(body: &NewAbsenceReport) -> Call<Vec<AbsenceReport>> {
    Call::new(
        Method::POST,
        "/api/absence-reports/by-staff".to_owned(),
        Some(body),
    )
}

/// `GET /api/pupils/{id}/attendance[?term=]`: the pupil's term, the current one unless `term`.
pub async fn attendance_summary(
    pupil: Uuid,
    term: Option<Uuid>,
) -> Result<AttendanceSummary, ClientError> {
    let query = term.map(|t| format!("?term={t}")).unwrap_or_default();
    request(
        Method::GET,
        &format!("/api/pupils/{pupil}/attendance{query}"),
        NO_BODY,
    )
    .await
}

/// `GET /api/groups/{id}/attendance`: the mentor's overview.
pub async fn class_attendance(group: Uuid) -> Result<AttendanceOverview, ClientError> {
    request(
        Method::GET,
        &format!("/api/groups/{group}/attendance"),
        NO_BODY,
    )
    .await
}

/// `GET /api/units/{id}/absence-follow-up`: the principal's list.
pub async fn absence_follow_up(unit: Uuid) -> Result<AttendanceOverview, ClientError> {
    request(
        Method::GET,
        &format!("/api/units/{unit}/absence-follow-up"),
        NO_BODY,
    )
    .await
}

/// `GET /api/pupils/{id}/development-plan`.
pub async fn development_plan(
    pupil: Uuid,
) -> Result<skolportal_shared::api::DevelopmentPlan, ClientError> {
    request(
        Method::GET,
        &format!("/api/pupils/{pupil}/development-plan"),
        NO_BODY,
    )
    .await
}

/// `POST /api/pupils/{id}/development-plan/goals`: the mentor's goal; answers the plan.
pub async fn add_development_goal(
    pupil: Uuid,
    body: &skolportal_shared::api::IupGoalInput,
) -> Result<skolportal_shared::api::DevelopmentPlan, ClientError> {
    request(
        Method::POST,
        &format!("/api/pupils/{pupil}/development-plan/goals"),
        Some(body),
    )
    .await
}

/// `PUT /api/pupils/{id}/development-plan/goals/{goal}/follow-up`; answers the plan.
pub async fn follow_up_goal(
    pupil: Uuid,
    goal: Uuid,
    body: &skolportal_shared::api::IupFollowUpInput,
) -> Result<skolportal_shared::api::DevelopmentPlan, ClientError> {
    request(
        Method::PUT,
        &format!("/api/pupils/{pupil}/development-plan/goals/{goal}/follow-up"),
        Some(body),
    )
    .await
}

/// `PUT /api/pupils/{id}/development-plan/assessments`: the asker's omdöme; answers the plan.
pub async fn save_assessment(
    pupil: Uuid,
    body: &skolportal_shared::api::IupAssessmentInput,
) -> Result<skolportal_shared::api::DevelopmentPlan, ClientError> {
    request(
        Method::PUT,
        &format!("/api/pupils/{pupil}/development-plan/assessments"),
        Some(body),
    )
    .await
}

/// `GET /api/pupils/{id}/talk-times`: the talk times of the pupil's groups.
pub async fn talk_times(
    pupil: Uuid,
) -> Result<skolportal_shared::api::PupilTalkTimes, ClientError> {
    request(
        Method::GET,
        &format!("/api/pupils/{pupil}/talk-times"),
        NO_BODY,
    )
    .await
}

/// `POST /api/pupils/{id}/talk-bookings`; answers the talk times.
pub async fn book_talk(
    pupil: Uuid,
    body: &skolportal_shared::api::TalkBookingInput,
) -> Result<skolportal_shared::api::PupilTalkTimes, ClientError> {
    request(
        Method::POST,
        &format!("/api/pupils/{pupil}/talk-bookings"),
        Some(body),
    )
    .await
}

/// `PUT /api/pupils/{id}/talk-bookings/{booking}`: moves it; answers the talk times.
pub async fn move_talk(
    pupil: Uuid,
    booking: Uuid,
    slot_id: Uuid,
) -> Result<skolportal_shared::api::PupilTalkTimes, ClientError> {
    request(
        Method::PUT,
        &format!("/api/pupils/{pupil}/talk-bookings/{booking}"),
        Some(&skolportal_shared::api::TalkMoveInput { slot_id }),
    )
    .await
}

/// `POST /api/pupils/{id}/talk-bookings/{booking}/attendees`: joins it.
pub async fn join_talk(
    pupil: Uuid,
    booking: Uuid,
) -> Result<skolportal_shared::api::PupilTalkTimes, ClientError> {
    request(
        Method::POST,
        &format!("/api/pupils/{pupil}/talk-bookings/{booking}/attendees"),
        NO_BODY,
    )
    .await
}

/// `DELETE /api/pupils/{id}/talk-bookings/{booking}`: the asker no longer comes.
pub async fn cancel_talk(
    pupil: Uuid,
    booking: Uuid,
) -> Result<skolportal_shared::api::PupilTalkTimes, ClientError> {
    request(
        Method::DELETE,
        &format!("/api/pupils/{pupil}/talk-bookings/{booking}"),
        NO_BODY,
    )
    .await
}

/// `GET /api/groups/{id}/talk-rounds`: the mentor's view of the group's talk times.
pub async fn group_talk_times(
    group: Uuid,
) -> Result<skolportal_shared::api::GroupTalkTimes, ClientError> {
    request(
        Method::GET,
        &format!("/api/groups/{group}/talk-rounds"),
        NO_BODY,
    )
    .await
}

/// `POST /api/groups/{id}/talk-rounds`: publishes talk times; answers the group's.
pub async fn publish_talk_times(
    group: Uuid,
    body: &skolportal_shared::api::TalkRoundInput,
) -> Result<skolportal_shared::api::GroupTalkTimes, ClientError> {
    request(
        Method::POST,
        &format!("/api/groups/{group}/talk-rounds"),
        Some(body),
    )
    .await
}

/// `GET /api/groups/{id}/grades`: the subject teacher's sheet.
pub async fn grade_sheet(group: Uuid) -> Result<skolportal_shared::api::GradeSheet, ClientError> {
    request(Method::GET, &format!("/api/groups/{group}/grades"), NO_BODY).await
}

/// `PUT /api/groups/{id}/grades`: one subject's grades; answers the sheet.
pub async fn set_grades(
    group: Uuid,
    body: &skolportal_shared::api::GradeSheetUpdate,
) -> Result<skolportal_shared::api::GradeSheet, ClientError> {
    request(
        Method::PUT,
        &format!("/api/groups/{group}/grades"),
        Some(body),
    )
    .await
}

/// `POST /api/units/{id}/grade-lock`: 204 once the term's grades are locked.
pub async fn lock_grades(unit: Uuid) -> Result<(), ClientError> {
    request(
        Method::POST,
        &format!("/api/units/{unit}/grade-lock"),
        NO_BODY,
    )
    .await
}

/// `GET /api/admin/settings`: the municipality's rules and look, and its units' settings.
pub async fn admin_settings() -> Result<MunicipalitySettingsView, ClientError> {
    request(Method::GET, "/api/admin/settings", NO_BODY).await
}

/// `PUT /api/admin/settings/rules`: 204.
pub async fn save_rules(body: &MunicipalityRules) -> Result<(), ClientError> {
    request(Method::PUT, "/api/admin/settings/rules", Some(body)).await
}

/// `PUT /api/admin/settings/look`: 204.
pub async fn save_look(body: &MunicipalityLook) -> Result<(), ClientError> {
    request(Method::PUT, "/api/admin/settings/look", Some(body)).await
}

/// `PUT /api/admin/settings/consent-kinds`: 204; the consents guardians are asked for.
pub async fn save_consent_kinds(body: &MunicipalityConsentKinds) -> Result<(), ClientError> {
    request(Method::PUT, "/api/admin/settings/consent-kinds", Some(body)).await
}

/// `PUT /api/admin/settings/embedding`: 204; the websites that may frame the portal.
pub async fn save_embedding(body: &MunicipalityEmbedding) -> Result<(), ClientError> {
    request(Method::PUT, "/api/admin/settings/embedding", Some(body)).await
}

/// `PUT /api/admin/units/{id}/settings`: 204.
pub async fn save_unit_settings(id: Uuid, body: &UnitSettings) -> Result<(), ClientError> {
    request(
        Method::PUT,
        &format!("/api/admin/units/{id}/settings"),
        Some(body),
    )
    .await
}

/// `GET /api/admin/settings/history`: the latest changes, newest first.
pub async fn settings_history() -> Result<Vec<SettingChange>, ClientError> {
    request(Method::GET, "/api/admin/settings/history", NO_BODY).await
}

/// `PUT /api/admin/settings/fee-periods`: 204; a fee period from a coming month.
pub async fn save_fee_period(body: &skolportal_shared::fee::FeePeriod) -> Result<(), ClientError> {
    request(Method::PUT, "/api/admin/settings/fee-periods", Some(body)).await
}

/// `PUT /api/admin/settings/retention`: 204; how long each kind of record is kept.
pub async fn save_retention(
    body: &skolportal_shared::retention::RetentionPeriods,
) -> Result<(), ClientError> {
    request(Method::PUT, "/api/admin/settings/retention", Some(body)).await
}

/// `GET /api/admin/retention/plan`: what a retention run today would remove and export.
pub async fn retention_plan() -> Result<skolportal_shared::api::RetentionPlan, ClientError> {
    request(Method::GET, "/api/admin/retention/plan", NO_BODY).await
}

/// `GET /api/admin/retention/runs`: the retention runs, newest first.
pub async fn retention_runs() -> Result<skolportal_shared::api::RetentionRuns, ClientError> {
    request(Method::GET, "/api/admin/retention/runs", NO_BODY).await
}

/// `POST /api/admin/retention/runs`: 202; today's run, started now or earlier today.
pub async fn start_retention() -> Result<skolportal_shared::api::RetentionRuns, ClientError> {
    request(Method::POST, "/api/admin/retention/runs", NO_BODY).await
}

/// `POST /api/admin/retention/runs/{run}/package/delivery`: the city archive received the
/// run's package; its files leave the portal. The runs as they are after.
pub async fn confirm_archive_delivery(
    run: Uuid,
    body: &skolportal_shared::api::ArchiveDelivery,
) -> Result<skolportal_shared::api::RetentionRuns, ClientError> {
    let path = format!("/api/admin/retention/runs/{run}/package/delivery");
    request(Method::POST, &path, Some(body)).await
}

/// A request whose 401 is an answer to show, not a reason to go to the login page: the
/// kiosk's, whose tablet has no person's session.
async fn quiet_request<B, T>(method: Method, path: &str, body: Option<&B>) -> Result<T, ClientError>
where
    B: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let mut request = Request::new(method, path.to_owned(), body);
    request.quiet = true;
    parse_success(&request.send().await?)
}

/// `GET /api/kiosk`: the tablet, its unit's staff, who is signed in; 401 when not paired.
pub async fn kiosk_state() -> Result<skolportal_shared::api::KioskState, ClientError> {
    quiet_request(Method::GET, "/api/kiosk", NO_BODY).await
}

/// `POST /api/kiosk/pair`: 201; the tablet's cookie is set.
pub async fn kiosk_pair(
    body: &skolportal_shared::api::KioskPair,
) -> Result<skolportal_shared::api::KioskState, ClientError> {
    quiet_request(Method::POST, "/api/kiosk/pair", Some(body)).await
}

/// `POST /api/kiosk/sign-in`: 204.
pub async fn kiosk_sign_in(body: &skolportal_shared::api::KioskSignIn) -> Result<(), ClientError> {
    quiet_request(Method::POST, "/api/kiosk/sign-in", Some(body)).await
}

/// `POST /api/kiosk/sign-out`: 204.
pub async fn kiosk_sign_out() -> Result<(), ClientError> {
    quiet_request(Method::POST, "/api/kiosk/sign-out", NO_BODY).await
}

/// `GET /api/kiosk/units/{unit}/day`.
pub async fn kiosk_day(unit: Uuid) -> Result<skolportal_shared::api::KioskDay, ClientError> {
    quiet_request(
        Method::GET,
        &format!("/api/kiosk/units/{unit}/day"),
        NO_BODY,
    )
    .await
}

/// `POST /api/kiosk/units/{unit}/check-ins`: 204; the same `event_id` again changes nothing.
pub async fn kiosk_check_in(
    unit: Uuid,
    body: &skolportal_shared::api::KioskCheckIn,
) -> Result<(), ClientError> {
    quiet_request(
        Method::POST,
        &format!("/api/kiosk/units/{unit}/check-ins"),
        Some(body),
    )
    .await
}

/// `POST /api/kiosk/units/{unit}/check-outs`: 204.
pub async fn kiosk_check_out(
    unit: Uuid,
    body: &skolportal_shared::api::KioskCheckOut,
) -> Result<(), ClientError> {
    quiet_request(
        Method::POST,
        &format!("/api/kiosk/units/{unit}/check-outs"),
        Some(body),
    )
    .await
}

/// `GET /api/childcare/children/{id}/presence`: the actual times beside the schedule.
pub async fn child_presence(
    child: Uuid,
) -> Result<skolportal_shared::api::ChildPresence, ClientError> {
    request(
        Method::GET,
        &format!("/api/childcare/children/{child}/presence"),
        NO_BODY,
    )
    .await
}

/// `POST /api/admin/kiosk/pairings`: 201; a one-time code for pairing a tablet to the unit.
pub async fn kiosk_pairing(
    unit_id: Uuid,
) -> Result<skolportal_shared::api::KioskPairingCode, ClientError> {
    let body = skolportal_shared::api::KioskPairingRequest { unit_id };
    request(Method::POST, "/api/admin/kiosk/pairings", Some(&body)).await
}

/// `GET /api/admin/kiosk/devices`: the municipality's paired tablets.
pub async fn kiosk_devices() -> Result<Vec<skolportal_shared::api::KioskDevice>, ClientError> {
    request(Method::GET, "/api/admin/kiosk/devices", NO_BODY).await
}

/// `DELETE /api/admin/kiosk/devices/{id}`: 204; the tablet stops working at once.
pub async fn kiosk_unpair(id: Uuid) -> Result<(), ClientError> {
    request(
        Method::DELETE,
        &format!("/api/admin/kiosk/devices/{id}"),
        NO_BODY,
    )
    .await
}

/// `GET /api/units/{unit}/kiosk-devices`: the unit's paired tablets, for its staff.
pub async fn unit_kiosk_devices(
    unit: Uuid,
) -> Result<Vec<skolportal_shared::api::KioskDevice>, ClientError> {
    request(
        Method::GET,
        &format!("/api/units/{unit}/kiosk-devices"),
        NO_BODY,
    )
    .await
}

/// `DELETE /api/units/{unit}/kiosk-devices/{id}`: 204; the tablet stops working at once.
pub async fn unit_kiosk_unpair(unit: Uuid, id: Uuid) -> Result<(), ClientError> {
    request(
        Method::DELETE,
        &format!("/api/units/{unit}/kiosk-devices/{id}"),
        NO_BODY,
    )
    .await
}

/// `PUT /api/me/kiosk-pin`: 204; 422 `pin_invalid` unless 4 to 8 digits.
pub async fn set_kiosk_pin(
    body: &skolportal_shared::api::KioskPinChange,
) -> Result<(), ClientError> {
    request(Method::PUT, "/api/me/kiosk-pin", Some(body)).await
}
