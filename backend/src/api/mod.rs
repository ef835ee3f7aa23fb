//! The HTTP API, one module per area, each an `#[OpenApi]` impl. Handlers are thin: parse, ask the
//! access policy, call the domain service, map the result. Every operation is in the served spec.

mod absence;
mod administration;
mod applications;
mod attendance_stats;
mod auth;
mod bankid;
mod childcare;
mod children;
mod consent;
mod corrections;
mod grades;
mod health;
mod iup;
mod kiosk;
mod late_json;
mod leave;
mod lists;
mod lunch;
mod me;
mod municipality;
mod notices;
mod pupils;
mod retention;
mod schedule;
mod second_factor;
mod serde_json_body;
pub mod session;
mod source_sync;
mod talk_booking;
mod talks;
mod timetable;

use poem_openapi::{OpenApiService, Tags};

use crate::state::AppState;

#[derive(Tags)]
pub enum ApiTags {
    /// Health and metadata.
    System,
    /// The municipality and its public information.
    Municipality,
    /// Logging in and out.
    Auth,
    /// The logged-in person.
    Me,
    /// A guardian's children.
    Children,
    /// Pupil cards and lists (access-controlled and logged).
    Pupils,
    /// Childcare e-services: income statements, documents signed with BankID.
    Childcare,
    /// Childcare places: applications and the queue, placement offers, terminations.
    Applications,
    /// Childcare schedules (vistelsetid), pick-up persons and the staff's day sheet.
    Schedule,
    /// School timetables with today's changes, and calendar feeds.
    Timetable,
    /// Lunch menus (skolmaten) of schools and preschools.
    Lunch,
    /// Class and group lists, and schools' staff lists.
    Lists,
    /// Absence reports by guardians and other responsible adults.
    Absence,
    /// A person's notices (unexcused absence, the same day) and their channels.
    Notices,
    /// Leave applications (ledighetsansökan) and their decisions.
    Leave,
    /// Consents (samtycken) given and withdrawn by guardians, with their history.
    Consent,
    /// Development talks: talk material from the pupil, guardians, teachers and mentor, and
    /// the individual development plan (IUP) with goals, follow-ups and omdömen.
    Talks,
    /// Grades per subject and term, the subject teacher's sheet, the principal's lock.
    Grades,
    /// Booking development talks: the mentor's talk times, the guardians' bookings.
    TalkBooking,
    /// The officer's tools that are not childcare: the SS 12000 sync.
    Officer,
    /// The municipality administrator's settings and their history.
    Administration,
}

pub type Apis = (
    health::HealthApi,
    municipality::MunicipalityApi,
    auth::AuthApi,
    bankid::BankIdApi,
    me::MeApi,
    children::ChildrenApi,
    pupils::PupilsApi,
    childcare::ChildcareApi,
    applications::ApplicationsApi,
    schedule::ScheduleApi,
    second_factor::SecondFactorApi,
    corrections::CorrectionsApi,
    timetable::TimetableApi,
    lunch::LunchApi,
    lists::ListsApi,
    // A tuple of APIs is one (poem-openapi implements up to sixteen).
    (
        absence::AbsenceApi,
        notices::NoticesApi,
        leave::LeaveApi,
        attendance_stats::AttendanceStatsApi,
        consent::ConsentApi,
        talks::TalksApi,
        grades::GradesApi,
        talk_booking::TalkBookingApi,
        iup::IupApi,
        source_sync::SourceSyncApi,
        administration::AdministrationApi,
        retention::RetentionApi,
        kiosk::KioskApi,
    ),
);

pub fn service(
    state: &AppState,
    assets: std::sync::Arc<crate::http::spa::SpaAssets>,
) -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            health::HealthApi::new(state.clone()),
            municipality::MunicipalityApi::new(state.clone()),
            auth::AuthApi::new(state.clone(), assets.clone()),
            bankid::BankIdApi::new(state.clone()),
            me::MeApi::new(state.clone()),
            children::ChildrenApi::new(state.clone()),
            pupils::PupilsApi::new(state.clone()),
            childcare::ChildcareApi::new(state.clone()),
            applications::ApplicationsApi::new(state.clone()),
            schedule::ScheduleApi::new(state.clone()),
            second_factor::SecondFactorApi::new(state.clone()),
            corrections::CorrectionsApi::new(state.clone()),
            timetable::TimetableApi::new(state.clone(), assets),
            lunch::LunchApi::new(state.clone()),
            lists::ListsApi::new(state.clone()),
            (
                absence::AbsenceApi::new(state.clone()),
                notices::NoticesApi::new(state.clone()),
                leave::LeaveApi::new(state.clone()),
                attendance_stats::AttendanceStatsApi::new(state.clone()),
                consent::ConsentApi::new(state.clone()),
                talks::TalksApi::new(state.clone()),
                grades::GradesApi::new(state.clone()),
                talk_booking::TalkBookingApi::new(state.clone()),
                iup::IupApi::new(state.clone()),
                source_sync::SourceSyncApi::new(state.clone()),
                administration::AdministrationApi::new(state.clone()),
                retention::RetentionApi::new(state.clone()),
                kiosk::KioskApi::new(state.clone()),
            ),
        ),
        "Skolportal",
        env!("CARGO_PKG_VERSION"),
    )
    .description("The school and childcare portal's API. Errors are JSON `{\"error\": code, \"message\": text}`.")
    .server("/api")
}
