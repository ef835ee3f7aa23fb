//! The one place where errors become HTTP answers. Every answer is JSON
//! `{"error": code, "message": text}` with a stable code; a 5xx logs its cause and tells the client
//! nothing more.

use poem::http::StatusCode;
use poem::{IntoResponse, Response};
use poem_openapi::payload::Json;
use poem_openapi::ApiResponse;
use skolportal_shared::api::ErrorBody;

/// The error answers every operation may give.
#[derive(ApiResponse, Debug)]
pub enum ApiError {
    /// The request is malformed or a value is invalid.
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    /// Not logged in, or the session has ended.
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    /// Logged in, but this action is not allowed for the session (for example it needs BankID).
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    /// No such thing, or nothing this user may see.
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// The change conflicts with what is stored.
    #[oai(status = 409)]
    Conflict(Json<ErrorBody>),
    /// Well-formed, but breaks a domain rule.
    #[oai(status = 422)]
    Unprocessable(Json<ErrorBody>),
    /// Too many attempts; `retry_after_seconds` (and `Retry-After`) say when to try again.
    #[oai(status = 429)]
    TooManyRequests(Json<ErrorBody>, #[oai(header = "Retry-After")] String),
    /// Something failed on our side.
    #[oai(status = 500)]
    Internal(Json<ErrorBody>),
    /// A dependency (the database) is not answering; `Retry-After` says when to try again.
    #[oai(status = 503)]
    Unavailable(Json<ErrorBody>, #[oai(header = "Retry-After")] String),
}

/// What a 503 asks the client to wait: a restarting database is usually back within seconds.
const RETRY_AFTER_SECONDS: u64 = 2;

pub fn body(code: &str, message: impl Into<String>) -> Json<ErrorBody> {
    Json(ErrorBody {
        error: code.to_owned(),
        message: message.into(),
        retry_after_seconds: None,
        date: None,
        required_strength: None,
    })
}

impl ApiError {
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::BadRequest(body(code, message))
    }
    pub fn unauthorized() -> Self {
        Self::Unauthorized(body("unauthenticated", "Log in to continue."))
    }
    pub fn not_found() -> Self {
        Self::NotFound(body("not_found", "Not found."))
    }
    pub fn unprocessable(code: &str, message: impl Into<String>) -> Self {
        Self::Unprocessable(body(code, message))
    }
    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::Conflict(body(code, message))
    }
    /// 403 `step_up_required`: the session has the relation but logged in too weakly; the body
    /// names the strength needed.
    pub fn step_up(required: crate::entity::session::LoginStrength) -> Self {
        let message = match required {
            crate::entity::session::LoginStrength::Bankid => "This needs a BankID login.",
            _ => "This needs a stronger login: a one-time code or BankID.",
        };
        Self::Forbidden(Json(ErrorBody {
            error: "step_up_required".into(),
            message: message.into(),
            retry_after_seconds: None,
            date: None,
            required_strength: Some(required.into()),
        }))
    }

    pub fn too_many_requests(retry_after_seconds: u64) -> Self {
        Self::TooManyRequests(
            Json(ErrorBody {
                error: "throttled".into(),
                message: format!(
                    "Too many failed attempts. Try again in {} minutes.",
                    retry_after_seconds.div_ceil(60)
                ),
                retry_after_seconds: Some(retry_after_seconds),
                date: None,
                required_strength: None,
            }),
            retry_after_seconds.to_string(),
        )
    }

    pub fn unavailable() -> Self {
        Self::service_unavailable(body(
            "unavailable",
            "The service is temporarily unavailable. Try again shortly.",
        ))
    }

    /// 503 with `Retry-After`: the request was fine, a dependency was not.
    pub fn service_unavailable(body: Json<ErrorBody>) -> Self {
        let mut body = body;
        body.0.retry_after_seconds = Some(RETRY_AFTER_SECONDS);
        Self::Unavailable(body, RETRY_AFTER_SECONDS.to_string())
    }

    /// Logs the cause (which may be long and technical) and returns an answer that says nothing
    /// about it.
    pub fn internal(cause: &dyn std::error::Error) -> Self {
        let mut chain = cause.to_string();
        let mut source = cause.source();
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        tracing::error!(cause = %chain, "internal error");
        Self::Internal(body("internal", "Something went wrong on our side."))
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                Self::conflict("conflict", "That already exists.")
            }
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::unprocessable("invalid_reference", "A referenced item does not exist.")
            }
            _ if crate::db::is_unavailable(&err) => {
                tracing::error!(cause = %err, "database unavailable");
                Self::unavailable()
            }
            _ => Self::internal(&err),
        }
    }
}

/// The code for an error poem produced itself (routing, payload parsing), by status.
fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_ACCEPTABLE => "not_acceptable",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "unprocessable",
        StatusCode::TOO_MANY_REQUESTS => "throttled",
        s if s.is_server_error() => "internal",
        _ => "error",
    }
}

/// Turns any error that reached the edge into the JSON error shape. Answers our own operations
/// produced are already JSON and pass through unchanged.
pub fn into_json_response(err: poem::Error) -> Response {
    let status = err.status();
    let message = err.to_string();
    let response = err.into_response();
    if !response.status().is_client_error() && !response.status().is_server_error() {
        return response;
    }
    let is_json = response
        .headers()
        .get(poem::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    let message = if status.is_server_error() {
        tracing::error!(cause = %message, status = status.as_u16(), "internal error");
        "Something went wrong on our side.".to_owned()
    } else if status == StatusCode::NOT_FOUND {
        "Not found.".to_owned()
    } else {
        message
    };
    let body = ErrorBody {
        error: code_for_status(status).to_owned(),
        message,
        retry_after_seconds: None,
        date: None,
        required_strength: None,
    };
    let mut out = poem::web::Json(body).into_response();
    out.set_status(status);
    out
}

impl From<crate::municipality::MunicipalityError> for ApiError {
    fn from(err: crate::municipality::MunicipalityError) -> Self {
        match err {
            crate::municipality::MunicipalityError::NotConfigured => Self::service_unavailable(
                body("not_configured", "No municipality is configured yet."),
            ),
            crate::municipality::MunicipalityError::Unreadable(e) => Self::internal(&e),
            crate::municipality::MunicipalityError::Database(e) => e.into(),
        }
    }
}

impl From<crate::auth::session::SessionError> for ApiError {
    fn from(err: crate::auth::session::SessionError) -> Self {
        use crate::auth::session::SessionError;
        match err {
            SessionError::Invalid => Self::Unauthorized(body(
                "unauthenticated",
                "Your session has ended. Log in again.",
            )),
            SessionError::PasswordChangeRequired => Self::Forbidden(body(
                "password_change_required",
                "Choose a new password before continuing.",
            )),
            SessionError::Database(e) => e.into(),
        }
    }
}

impl From<crate::auth::login::LoginError> for ApiError {
    fn from(err: crate::auth::login::LoginError) -> Self {
        use crate::auth::login::LoginError;
        match err {
            LoginError::InvalidCredentials => {
                Self::Unauthorized(body("invalid_credentials", "Wrong username or password."))
            }
            LoginError::Throttled {
                retry_after_seconds,
            } => Self::TooManyRequests(
                Json(ErrorBody {
                    error: "throttled".into(),
                    message: format!(
                        "Too many failed attempts. Try again in {} minutes.",
                        retry_after_seconds.div_ceil(60)
                    ),
                    retry_after_seconds: Some(retry_after_seconds),
                    date: None,
                    required_strength: None,
                }),
                retry_after_seconds.to_string(),
            ),
            LoginError::Session(e) => e.into(),
            LoginError::Database(e) => e.into(),
        }
    }
}

impl From<crate::people::PeopleError> for ApiError {
    fn from(err: crate::people::PeopleError) -> Self {
        use crate::people::PeopleError;
        use skolportal_shared::contact::ContactError;
        match err {
            PeopleError::NotFound => Self::not_found(),
            PeopleError::Contact(ContactError::InvalidEmail) => {
                Self::bad_request("invalid_email", "That is not a valid e-mail address.")
            }
            PeopleError::Contact(ContactError::InvalidPhone) => Self::bad_request(
                "invalid_phone",
                "That is not a valid phone number (7 to 15 digits).",
            ),
            PeopleError::Session(e) => e.into(),
            PeopleError::Database(e) => e.into(),
            PeopleError::Unanswered(e) => Self::internal(&e),
        }
    }
}

impl From<crate::school::lists::ListsError> for ApiError {
    fn from(err: crate::school::lists::ListsError) -> Self {
        use crate::school::lists::ListsError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::lunch::LunchMenuError> for ApiError {
    fn from(err: crate::school::lunch::LunchMenuError) -> Self {
        use crate::school::lunch::LunchMenuError as E;
        use skolportal_shared::lunch::LunchError;
        match err {
            E::NotFound => Self::not_found(),
            E::NotAMonday => Self::bad_request("not_a_monday", "A week is given by its Monday."),
            E::Invalid(LunchError::DishTooLong) => {
                Self::bad_request("dish_too_long", "A dish is at most 200 characters.")
            }
            E::Invalid(e @ (LunchError::DateOutsideWeek | LunchError::DuplicateDay)) => {
                Self::unprocessable(
                    e.code(),
                    "Each day of the menu must be a weekday of the week, given once.",
                )
            }
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::family_start::StartError> for ApiError {
    fn from(err: crate::family_start::StartError) -> Self {
        use crate::family_start::StartError;
        match err {
            StartError::People(e) => e.into(),
            StartError::Document(e) => e.into(),
            StartError::Database(e) => e.into(),
            StartError::Unanswered(e) => Self::internal(&e),
        }
    }
}

impl From<crate::auth::account::PasswordChangeError> for ApiError {
    fn from(err: crate::auth::account::PasswordChangeError) -> Self {
        use crate::auth::account::PasswordChangeError as E;
        match err {
            E::NoPasswordAccount => Self::unprocessable(
                "no_password_account",
                "This account logs in with BankID only.",
            ),
            E::WrongPassword => {
                Self::unprocessable("wrong_password", "The current password is wrong.")
            }
            E::SameAsCurrent => Self::unprocessable(
                "same_password",
                "Choose a password different from the current one.",
            ),
            E::Weak(e) => Self::unprocessable("weak_password", e.to_string()),
            E::Hash(e) => Self::internal(&e),
            E::Session(e) => e.into(),
            E::Database(e) => e.into(),
        }
    }
}

impl From<skolportal_shared::api::InvalidCursor> for ApiError {
    fn from(err: skolportal_shared::api::InvalidCursor) -> Self {
        Self::bad_request("invalid_cursor", err.to_string())
    }
}

impl From<crate::policy::PolicyError> for ApiError {
    fn from(err: crate::policy::PolicyError) -> Self {
        match err {
            crate::policy::PolicyError::NotFound => Self::not_found(),
            crate::policy::PolicyError::StepUpRequired { required } => Self::step_up(required),
            crate::policy::PolicyError::Database(e) => e.into(),
        }
    }
}

impl From<crate::register_extract::ExtractError> for ApiError {
    fn from(err: crate::register_extract::ExtractError) -> Self {
        match err {
            crate::register_extract::ExtractError::NotFound => Self::not_found(),
            crate::register_extract::ExtractError::Inconsistent => Self::internal(&err),
            crate::register_extract::ExtractError::StepUpRequired(required) => {
                Self::step_up(required)
            }
            crate::register_extract::ExtractError::Corrections(e) => e.into(),
            crate::register_extract::ExtractError::Database(e) => e.into(),
        }
    }
}

impl From<crate::childcare::income::IncomeError> for ApiError {
    fn from(err: crate::childcare::income::IncomeError) -> Self {
        use crate::childcare::income::IncomeError as E;
        match err {
            E::IncomeRequired => Self::bad_request("income_required", err.to_string()),
            E::InvalidIncome => Self::bad_request("invalid_income", err.to_string()),
            E::NotFirstOfMonth => Self::unprocessable("not_first_of_month", err.to_string()),
            E::ValidFromInPast => Self::unprocessable("valid_from_in_past", err.to_string()),
            E::NotFeePayer => Self::Forbidden(body("not_fee_payer", err.to_string())),
            E::Settings(_) => Self::internal(&err),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::childcare::documents::DocumentError> for ApiError {
    fn from(err: crate::childcare::documents::DocumentError) -> Self {
        match err {
            crate::childcare::documents::DocumentError::NotFound => Self::not_found(),
            crate::childcare::documents::DocumentError::StepUpRequired(required) => {
                Self::step_up(required)
            }
            crate::childcare::documents::DocumentError::InvalidRange => Self::bad_request(
                "invalid_date_range",
                "The first day of the range is after the last.",
            ),
            crate::childcare::documents::DocumentError::NotDeletable => {
                Self::conflict("not_deletable", err.to_string())
            }
            crate::childcare::documents::DocumentError::Database(e) => e.into(),
        }
    }
}

impl From<crate::bankid::signing::SigningError> for ApiError {
    fn from(err: crate::bankid::signing::SigningError) -> Self {
        use crate::bankid::signing::SigningError as E;
        match err {
            E::BankIdRequired => Self::Forbidden(body(
                "bankid_required",
                "Signing needs a BankID login; a password login can read but not sign.",
            )),
            E::AlreadySigned => Self::conflict("already_signed", "The document is already signed."),
            E::BankId(e) => {
                Self::service_unavailable(body(e.code(), "BankID is not reachable right now."))
            }
            E::Database(e) => e.into(),
            other => Self::unprocessable(other.code(), other.to_string()),
        }
    }
}

/// A child too young or too old for the kind of care: the code names which, the message (in
/// Swedish, as the guardian reads it) the day the rule turns.
impl From<skolportal_shared::eligibility::Ineligible> for ApiError {
    fn from(reason: skolportal_shared::eligibility::Ineligible) -> Self {
        Self::unprocessable(reason.code(), reason.to_string())
    }
}

impl From<crate::childcare::applications::ApplicationError> for ApiError {
    fn from(err: crate::childcare::applications::ApplicationError) -> Self {
        use crate::childcare::applications::ApplicationError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::StartInPast => Self::unprocessable("start_in_past", err.to_string()),
            E::NoUnits => Self::bad_request("no_units", err.to_string()),
            E::TooManyUnits => Self::bad_request("too_many_units", err.to_string()),
            E::DuplicateUnits => Self::bad_request("duplicate_units", err.to_string()),
            E::UnknownUnit => Self::unprocessable("unknown_unit", err.to_string()),
            E::InvalidHours => Self::bad_request("invalid_hours", err.to_string()),
            E::AlreadyApplied => Self::conflict("already_applied", err.to_string()),
            E::StepUpRequired(required) => Self::step_up(required),
            E::Ineligible(reason) => reason.into(),
            E::NotInQueue => Self::conflict("not_in_queue", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::childcare::offers::OfferError> for ApiError {
    fn from(err: crate::childcare::offers::OfferError) -> Self {
        use crate::childcare::offers::OfferError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::StartInPast => Self::unprocessable("start_in_past", err.to_string()),
            E::UnknownUnit => Self::unprocessable("unknown_unit", err.to_string()),
            E::NotInQueue => Self::conflict("not_in_queue", err.to_string()),
            E::OfferLapsed => Self::conflict("offer_lapsed", err.to_string()),
            E::AlreadyAnswered => Self::conflict("already_answered", err.to_string()),
            E::StepUpRequired(required) => Self::step_up(required),
            E::Ineligible(reason) => reason.into(),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::childcare::termination::TerminationError> for ApiError {
    fn from(err: crate::childcare::termination::TerminationError) -> Self {
        use crate::childcare::termination::TerminationError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::NoticePeriod { .. } => Self::unprocessable("notice_period", err.to_string()),
            E::AlreadyTerminated => Self::conflict("already_terminated", err.to_string()),
            E::Pending => Self::conflict("termination_pending", err.to_string()),
            E::StepUpRequired(required) => Self::step_up(required),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::childcare::schedule::ScheduleError> for ApiError {
    fn from(err: crate::childcare::schedule::ScheduleError) -> Self {
        use crate::childcare::schedule::ScheduleError as E;
        // A refusal about one day names it in `date`: the form marks that day from it.
        let on = |date: chrono::NaiveDate, code: &str, err: &E| {
            let mut body = body(code, err.to_string());
            body.0.date = Some(date);
            body
        };
        match err {
            E::NotFound => Self::not_found(),
            E::NotAMonday => Self::bad_request("not_a_monday", err.to_string()),
            E::WeekRequired => Self::bad_request("week_required", err.to_string()),
            E::DuplicateDay(d) => Self::BadRequest(on(d, "duplicate_day", &err)),
            E::InvalidTime(d) => Self::BadRequest(on(d, "invalid_time", &err)),
            E::IncompleteDay(d) => Self::BadRequest(on(d, "incomplete_day", &err)),
            E::NoPlacement => Self::unprocessable("no_placement", err.to_string()),
            E::DayOutsideWeek(d) => Self::Unprocessable(on(d, "day_outside_week", &err)),
            E::PickUpBeforeDropOff(d) => {
                Self::Unprocessable(on(d, "pick_up_before_drop_off", &err))
            }
            E::OutsideOpeningHours { date, .. } => {
                Self::Unprocessable(on(date, "outside_opening_hours", &err))
            }
            E::ClosedDay(d) => Self::Unprocessable(on(d, "closed_day", &err)),
            E::DayLocked { date, .. } => Self::Unprocessable(on(date, "day_locked", &err)),
            E::InvalidSibling => Self::unprocessable("invalid_sibling", err.to_string()),
            E::DifferentKindOfCare => {
                Self::unprocessable("different_kind_of_care", err.to_string())
            }
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::childcare::pickup::PickupError> for ApiError {
    fn from(err: crate::childcare::pickup::PickupError) -> Self {
        use crate::childcare::pickup::PickupError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::InvalidName => Self::bad_request("invalid_name", err.to_string()),
            E::InvalidPhone => Self::bad_request("invalid_phone", err.to_string()),
            E::TooMany => Self::unprocessable("too_many_pickup_persons", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::auth::totp::TotpError> for ApiError {
    fn from(err: crate::auth::totp::TotpError) -> Self {
        use crate::auth::totp::TotpError as E;
        match err {
            E::NoPasswordAccount => Self::unprocessable("no_password_account", err.to_string()),
            E::AlreadyEnabled => Self::conflict("totp_already_enabled", err.to_string()),
            E::NotEnabled => Self::conflict("totp_not_enabled", err.to_string()),
            E::NoSetupPending => Self::NotFound(body("no_setup_pending", err.to_string())),
            E::WrongCode => Self::unprocessable("wrong_code", err.to_string()),
            E::CodeUsed => Self::unprocessable(
                "code_used",
                "That code has been used already; wait for the next one.",
            ),
            E::Throttled {
                retry_after_seconds,
            } => Self::too_many_requests(retry_after_seconds),
            E::Qr => Self::internal(&err),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::corrections::CorrectionError> for ApiError {
    fn from(err: crate::corrections::CorrectionError) -> Self {
        use crate::corrections::CorrectionError as E;
        use skolportal_shared::api::CorrectionTextError as T;
        let text = |field: &str, e: T| match e {
            T::Empty => format!("{field}_empty"),
            T::TooLong => format!("{field}_too_long"),
        };
        match err {
            E::NotFound => Self::not_found(),
            E::PopulationRegister => {
                Self::unprocessable("population_register_item", err.to_string())
            }
            E::Message(e) => Self::bad_request(&text("message", e), err.to_string()),
            E::Answer(e) => Self::bad_request(&text("answer", e), err.to_string()),
            E::Changed(e) => Self::bad_request(&text("changed", e), err.to_string()),
            E::AlreadyAnswered => Self::conflict("correction_already_answered", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::sync::officer::SyncRequestError> for ApiError {
    fn from(err: crate::sync::officer::SyncRequestError) -> Self {
        use crate::sync::officer::SyncRequestError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::NotConfigured => Self::conflict("no_source", err.to_string()),
            E::AlreadyPending => Self::conflict("sync_pending", err.to_string()),
            E::Superseded => Self::conflict("sync_superseded", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::attendance::AttendanceError> for ApiError {
    fn from(err: crate::school::attendance::AttendanceError) -> Self {
        use crate::school::attendance::AttendanceError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::NotHeld => Self::unprocessable("not_a_lesson_day", err.to_string()),
            E::NotYet => Self::unprocessable("attendance_not_yet", err.to_string()),
            E::UnknownPupil => Self::unprocessable("unknown_pupil", err.to_string()),
            E::InvalidLateMinutes => Self::bad_request("invalid_late_minutes", err.to_string()),
            E::SavedMeanwhile => Self::conflict("attendance_saved_meanwhile", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::timetable::TimetableError> for ApiError {
    fn from(err: crate::school::timetable::TimetableError) -> Self {
        use crate::school::timetable::TimetableError as E;
        use skolportal_shared::timetable::ChangeError as C;
        match err {
            E::NotFound => Self::not_found(),
            E::NotAMonday => Self::bad_request("not_a_monday", err.to_string()),
            E::Change(c @ (C::InvalidTime | C::RoomTooLong | C::NoteTooLong)) => {
                Self::bad_request(c.code(), err.to_string())
            }
            E::Change(c) => Self::unprocessable(c.code(), err.to_string()),
            E::NotALessonDay => Self::unprocessable("not_a_lesson_day", err.to_string()),
            E::DayPassed => Self::unprocessable("day_passed", err.to_string()),
            E::NotASubstitute => Self::unprocessable("not_a_substitute", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::absence::AbsenceError> for ApiError {
    fn from(err: crate::school::absence::AbsenceError) -> Self {
        use crate::school::absence::AbsenceError as E;
        use skolportal_shared::absence::AbsenceError as A;
        match err {
            E::NotFound => Self::not_found(),
            E::Input(A::InvalidTime) => {
                Self::bad_request(A::InvalidTime.code(), A::InvalidTime.message())
            }
            E::Input(e) => Self::unprocessable(e.code(), e.message()),
            E::Started => Self::conflict("absence_started", err.to_string()),
            E::Policy(e) => e.into(),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::feeds::FeedError> for ApiError {
    fn from(err: crate::school::feeds::FeedError) -> Self {
        use crate::school::feeds::FeedError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::Timetable(e) => e.into(),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::notices::ChannelError> for ApiError {
    fn from(err: crate::notices::ChannelError) -> Self {
        use crate::notices::ChannelError as E;
        match err {
            E::NoticeNotFound => Self::not_found(),
            E::NoEmailAddress => Self::unprocessable("no_email_address", err.to_string()),
            E::UnknownLanguage => Self::unprocessable("unknown_language", err.to_string()),
            E::InvalidSubscription => {
                Self::bad_request("invalid_push_subscription", err.to_string())
            }
            E::Push(crate::notices::push::PushError::Database(e)) | E::Database(e) => e.into(),
            E::Push(e) => Self::internal(&e),
        }
    }
}

impl From<crate::school::leave::LeaveError> for ApiError {
    fn from(err: crate::school::leave::LeaveError) -> Self {
        use crate::school::leave::LeaveError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::Input(rule) => Self::unprocessable(rule.code(), rule.message()),
            E::NotOpen => Self::conflict("leave_not_open", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::consent::ConsentError> for ApiError {
    fn from(err: crate::school::consent::ConsentError) -> Self {
        use crate::school::consent::ConsentError as E;
        match err {
            E::UnknownKind => Self::not_found(),
            E::Busy => Self::conflict("consent_busy", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::administration::SettingsError> for ApiError {
    fn from(err: crate::administration::SettingsError) -> Self {
        use crate::administration::SettingsError as E;
        use skolportal_shared::theme::ThemeError;
        match err {
            E::NotFound => Self::not_found(),
            E::Invalid { setting, reason } => {
                Self::unprocessable("setting_invalid", format!("{}: {reason}", setting.code()))
            }
            E::Theme(ThemeError::NotAColour(role)) => Self::unprocessable(
                "theme_not_a_colour",
                format!("{role:?} is not a colour as #rgb or #rrggbb"),
            ),
            E::Theme(ThemeError::Contrast(failures)) => Self::unprocessable(
                "theme_contrast",
                failures
                    .iter()
                    .map(|f| {
                        format!(
                            "{:?} on {:?}: {:.2}:1, needs {}:1",
                            f.foreground, f.background, f.ratio, f.required
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            E::FrameOrigin(err) => Self::unprocessable("frame_origin_invalid", err.to_string()),
            E::Retention(err) => Self::unprocessable("setting_invalid", format!("retention.{err}")),
            E::ConsentKindInUse => Self::unprocessable(
                "consent_kind_in_use",
                "Guardians have decided on this consent, so it cannot be taken away; change its \
                 wording instead."
                    .to_owned(),
            ),
            E::FeePeriodStarted => Self::unprocessable(
                "fee_period_started",
                "A fee period that has started is not changed: add one from a coming month.",
            ),
            E::Maxtaxa(breach) => Self::unprocessable("fee_above_maxtaxa", breach.to_string()),
            E::FeeSettings(e) => Self::unprocessable("fee_settings_invalid", e.to_string()),
            E::Unreadable(e) => Self::internal(&e),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::childcare::kiosk::KioskError> for ApiError {
    fn from(err: crate::childcare::kiosk::KioskError) -> Self {
        use crate::childcare::kiosk::KioskError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::NotChildcare => Self::unprocessable("kiosk_not_childcare", err.to_string()),
            E::CodeInvalid => Self::unprocessable("pairing_code_invalid", err.to_string()),
            E::NameInvalid => Self::unprocessable("kiosk_name_invalid", err.to_string()),
            E::PinInvalid => Self::unprocessable("pin_invalid", err.to_string()),
            E::WrongPin => Self::Unauthorized(body("wrong_pin", err.to_string())),
            E::PinLocked {
                retry_after_seconds,
            } => Self::too_many_requests(u64::try_from(retry_after_seconds).unwrap_or(60)),
            E::PairingThrottled {
                retry_after_seconds,
            } => Self::too_many_requests(retry_after_seconds),
            E::NotPaired => Self::Unauthorized(body("kiosk_not_paired", err.to_string())),
            E::SignedOut => Self::Unauthorized(body("kiosk_signed_out", err.to_string())),
            E::AlreadyCheckedIn => Self::conflict("already_checked_in", err.to_string()),
            E::NotCheckedIn => Self::conflict("not_checked_in", err.to_string()),
            E::NotPlaced => Self::unprocessable("not_placed_here", err.to_string()),
            E::UnknownCollector => Self::unprocessable("unknown_collector", err.to_string()),
            E::TimeOutOfRange => Self::unprocessable("kiosk_time_invalid", err.to_string()),
            E::Hash(e) => Self::internal(&e),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::retention::RetentionError> for ApiError {
    fn from(err: crate::retention::RetentionError) -> Self {
        use crate::retention::archive::DeliveryError as D;
        use crate::retention::RetentionError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::Delivered => Self::conflict("archive_delivered", err.to_string()),
            E::Delivery(D::Malformed) => {
                Self::unprocessable("archive_checksum_malformed", err.to_string())
            }
            E::Delivery(D::Mismatch) => {
                Self::unprocessable("archive_checksum_mismatch", err.to_string())
            }
            E::Delivery(D::NotSealed) => Self::conflict("archive_not_sealed", err.to_string()),
            E::Delivery(D::AlreadyDelivered) => {
                Self::conflict("archive_delivered", err.to_string())
            }
            E::Unreadable(e) => Self::internal(&e),
            E::Periods(e) => Self::internal(&e),
            E::Package(e) => Self::internal(&e),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::grades::GradeError> for ApiError {
    fn from(err: crate::school::grades::GradeError) -> Self {
        use crate::school::grades::GradeError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::NotInPortal => Self::conflict("grades_not_in_portal", err.to_string()),
            E::Locked => Self::conflict("grades_locked", err.to_string()),
            E::NoTerm => Self::conflict("no_school_term", err.to_string()),
            E::NotYourSubject => Self::unprocessable("grade_not_your_subject", err.to_string()),
            E::NotInGroup => Self::unprocessable("grade_pupil_not_in_group", err.to_string()),
            E::UngradedYear => Self::unprocessable("grade_ungraded_year", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::talks::TalkError> for ApiError {
    fn from(err: crate::school::talks::TalkError) -> Self {
        use crate::school::talks::TalkError as E;
        match err {
            E::Input(rule) => Self::unprocessable(rule.code(), rule.message()),
            E::NoConsent => Self::conflict("talk_consent_missing", err.to_string()),
            E::NoTerm => Self::conflict("no_school_term", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::attendance_stats::StatsError> for ApiError {
    fn from(err: crate::school::attendance_stats::StatsError) -> Self {
        use crate::school::attendance_stats::StatsError as E;
        match err {
            E::NotFound => Self::not_found(),
            E::UnknownTerm => Self::NotFound(body(
                "term_not_found",
                "There is no such term, or it has not begun.",
            )),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::talk_booking::TalkBookingError> for ApiError {
    fn from(err: crate::school::talk_booking::TalkBookingError) -> Self {
        use crate::school::talk_booking::TalkBookingError as E;
        match err {
            E::Round(rule) => Self::unprocessable(rule.code(), rule.message()),
            E::NotFound => Self::not_found(),
            E::SlotTaken => Self::conflict("talk_slot_taken", err.to_string()),
            E::AlreadyBooked => Self::conflict("talk_already_booked", err.to_string()),
            E::Closed => Self::conflict("talk_booking_closed", err.to_string()),
            E::SeparateNotAllowed => {
                Self::unprocessable("talk_separate_not_allowed", err.to_string())
            }
            E::SeparateTalk => Self::conflict("talk_separate_is_own", err.to_string()),
            E::NotAttending => Self::conflict("talk_not_attending", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}

impl From<crate::school::iup::IupError> for ApiError {
    fn from(err: crate::school::iup::IupError) -> Self {
        use crate::school::iup::IupError as E;
        match err {
            E::Input(rule) => Self::unprocessable(rule.code(), rule.message()),
            E::NoConsent => Self::conflict("talk_consent_missing", err.to_string()),
            E::NoTerm => Self::conflict("no_school_term", err.to_string()),
            E::NotEnrolled => Self::conflict("iup_not_enrolled", err.to_string()),
            E::NotFound => Self::not_found(),
            E::NotYourSubject => Self::unprocessable("iup_not_your_subject", err.to_string()),
            E::GradedYear => Self::unprocessable("iup_graded_year", err.to_string()),
            E::Database(e) => e.into(),
        }
    }
}
