//! The route table, one `switch` per app, and the shell around the pages.
//!
//! The portal is one app per audience, each its own wasm bundle built from its own binary
//! (`src/main.rs`, `src/bin/*.rs`): families at `/`, staff under `/personal`, officers under
//! `/handlaggare`, and everyone's own account (register extract, one-time codes, password), which
//! all audiences use and seldom, at `/uppgifter`, `/engangskod` and `/password`. They share this
//! library. `Route` is the address book of every page of every app (a link to another app's page is a plain link the
//! browser follows, and the server serves that app); each app's `AppSwitch` renders only its own
//! pages, so the linker leaves the others' code out of its bundle. A new page goes into the
//! audience's switch, with its path under that app's prefix.

use std::cell::Cell;
use std::marker::PhantomData;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::{footer, header, Access, RequireLogin};
use crate::dom;
use crate::hooks::{
    fetch_catalog, use_i18n, use_lang_switch, use_municipality, use_session, AppContext,
    LangContext, MunicipalityContext, Session, SessionAction,
};
use crate::i18n::{Catalogued, Lang};
use crate::pages::absence::AbsencePage;
use crate::pages::attendance::AttendancePage;
use crate::pages::attendance_stats::{AbsenceFollowUpPage, ClassAttendancePage};
use crate::pages::bankid_error::BankIdErrorPage;
use crate::pages::childcare::ChildcarePage;
use crate::pages::childcare_apply::ApplyPage;
use crate::pages::childcare_document::ChildcareDocumentPage;
use crate::pages::childcare_offers::OffersPage;
use crate::pages::childcare_termination::TerminationPage;
use crate::pages::children::ChildrenPage;
use crate::pages::consent::ConsentPage;
use crate::pages::contact::ContactPage;
use crate::pages::corrections::OfficerCorrectionsPage;
use crate::pages::day_sheet::DaySheetPage;
use crate::pages::grades::{GradeLockPage, GradeSheetPage, GradesPage};
use crate::pages::income_statement::IncomeStatementPage;
use crate::pages::iup::DevelopmentPlanPage;
use crate::pages::leave::{LeaveDecisionsPage, LeavePage};
use crate::pages::lists::{GroupListPage, ListsPage, StaffListPage};
use crate::pages::lunch::LunchMenuPage;
use crate::pages::not_found::MessagePage;
use crate::pages::notices::NoticesPage;
use crate::pages::officer::{OfficerPage, View};
use crate::pages::password::PasswordPage;
use crate::pages::pickup_persons::PickupPersonsPage;
use crate::pages::pupil::PupilPage;
use crate::pages::pupil_card::PupilCardPage;
use crate::pages::register_extract::RegisterExtractPage;
use crate::pages::retention::RetentionPage;
use crate::pages::schedule::SchedulePage;
use crate::pages::settings::{SettingsHistoryPage, SettingsPage};
use crate::pages::source_sync::SourceSyncPage;
use crate::pages::staff::StaffPage;
use crate::pages::start::Start;
use crate::pages::talk_booking::{TalkBookingPage, TalkTimesPage};
use crate::pages::talks::TalkMaterialPage;
use crate::pages::timetable::{StaffTimetablePage, TimetablePage};
use crate::pages::totp::TotpPage;

/// The apps, one per audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppKind {
    /// Guardians, other responsible adults and pupils; also where everyone logs in.
    Families,
    /// Teachers, mentors and preschool staff.
    Staff,
    /// The municipality's officers (handläggare).
    Officers,
    /// The municipality administrator: the municipality's and its units' settings, their
    /// history, the website's widgets. An audience of its own (the role is not the officer's),
    /// so that neither app carries the other's pages.
    Administration,
    /// Everyone's own account: the register extract, one-time codes, the password.
    Account,
    /// The guardians' childcare e-services under `/barnomsorg`: schedules, pick-up persons,
    /// applications, offers, income statements, terminations and their signing. Only families
    /// with a child in (or on the way to) preschool or fritids need them, so a pupil's phone and
    /// a school child's guardian never download them.
    Childcare,
    /// The development talks, for every audience under `/samtal` and `/betyg`: the talk
    /// material, the development plan, booking a talk and the mentor's talk times, and grades.
    /// Apart from the account app so that each stays within its size budget.
    Talks,
    /// The check-in tablet at a preschool's entrance (`/kiosk`): a paired device, not a
    /// person's session, so it has neither the portal's header nor its menus.
    Kiosk,
    /// No app: the login page and a guardian's "Mina barn", which the server writes and answers
    /// itself (backend `http::prerender`), so that they are usable before any WebAssembly has
    /// loaded.
    Server,
}

thread_local! {
    static CURRENT_APP: Cell<AppKind> = const { Cell::new(AppKind::Families) };
}

/// The app this bundle is.
pub fn current_app() -> AppKind {
    CURRENT_APP.with(Cell::get)
}

/// One app: which it is, and how it renders its own routes.
pub trait AppSwitch: 'static {
    const KIND: AppKind;
    fn switch(route: Route) -> Html;
}

#[derive(Routable, PartialEq, Eq, Clone, Debug)]
pub enum Route {
    #[at("/")]
    Start,
    #[at("/login")]
    Login,
    #[at("/password")]
    Password,
    #[at("/children")]
    Children,
    #[at("/contact")]
    Contact,
    /// A guardian reports absence, and changes or withdraws the reports that stand.
    #[at("/franvaro")]
    Absence,
    /// A guardian's notices (unexcused absence, the same day) and their channels.
    #[at("/notiser")]
    Notices,
    /// A guardian applies for a child's leave, and sees the applications.
    #[at("/ledighet")]
    Leave,
    /// The children's consents (samtycken), given and withdrawn by the guardians.
    #[at("/samtycken")]
    Consents,
    /// A pupil's talk material before the development talk, for all four who write it.
    #[at("/samtal/:id")]
    TalkMaterial { id: uuid::Uuid },
    /// A pupil's individual development plan (IUP): goals, follow-ups and omdömen.
    #[at("/samtal/:id/plan")]
    DevelopmentPlan { id: uuid::Uuid },
    /// A guardian books the pupil's development talk.
    #[at("/samtal/:id/boka")]
    TalkBooking { id: uuid::Uuid },
    /// The mentor publishes a group's talk times and sees the bookings.
    #[at("/samtal/grupp/:id")]
    TalkTimes { id: uuid::Uuid },
    /// A pupil's grades, for the pupil, the guardians and the mentor.
    #[at("/betyg/:id")]
    Grades { id: uuid::Uuid },
    /// The subject teacher's grade sheet for a group.
    #[at("/betyg/grupp/:id")]
    GradeSheet { id: uuid::Uuid },
    /// The principal locks a school's grades of the term.
    #[at("/betyg/skola/:id")]
    GradeLock { id: uuid::Uuid },
    /// The mentor or the principal decides leave applications.
    #[at("/personal/ledighet")]
    LeaveDecisions,
    /// The mentor's overview of a class's attendance.
    #[at("/personal/klassnarvaro/:id")]
    ClassAttendance { id: uuid::Uuid },
    /// The principal's list of pupils whose absence must be investigated.
    #[at("/personal/franvaro-utredning/:id")]
    AbsenceFollowUp { id: uuid::Uuid },
    #[at("/me")]
    PupilCard,
    /// Staff: "Mina elever" and the units' day sheets.
    #[at("/personal")]
    Staff,
    /// A teacher's own timetable, where they record changes.
    #[at("/personal/listor")]
    TeacherLists,
    #[at("/personal/listor/grupp/:id")]
    TeacherGroupList { id: uuid::Uuid },
    #[at("/personal/listor/skola/:id")]
    TeacherStaffList { id: uuid::Uuid },
    #[at("/listor")]
    Lists,
    #[at("/listor/grupp/:id")]
    GroupList { id: uuid::Uuid },
    #[at("/listor/skola/:id")]
    StaffList { id: uuid::Uuid },
    #[at("/personal/matsedel")]
    StaffLunch,
    #[at("/personal/schema")]
    StaffTimetable,
    /// A pupil's timetable, or a guardian's children's.
    #[at("/schema")]
    Timetable,
    /// One pupil card, for staff (anyone the server lets read it).
    #[at("/personal/elev/:id")]
    Pupil { id: uuid::Uuid },
    /// "Barnomsorg": the guardian's childcare documents and the way to a new income statement.
    #[at("/barnomsorg")]
    Childcare,
    /// The income statement form (inkomstuppgift) with the fee preview.
    #[at("/barnomsorg/inkomst")]
    IncomeStatement,
    /// "Ansök om plats": the application form and the guardian's applications in the queue.
    #[at("/barnomsorg/ansokan")]
    ChildcareApply,
    /// "Platserbjudanden": offers of a place, accepted or declined by signing an answer.
    #[at("/barnomsorg/erbjudanden")]
    ChildcareOffers,
    /// "Säg upp plats": the children's places and the termination form.
    #[at("/barnomsorg/uppsagning")]
    ChildcareTermination,
    /// One childcare document: its text, signing with BankID and the receipt.
    #[at("/barnomsorg/dokument/:id")]
    ChildcareDocument { id: uuid::Uuid },
    /// A child's week of drop-off and pick-up times (vistelsetid), and copying it.
    #[at("/barnomsorg/schema/:id")]
    ChildcareSchedule { id: uuid::Uuid },
    /// Who besides the guardians may collect a child (hämtare).
    #[at("/barnomsorg/hamtare/:id")]
    PickupPersons { id: uuid::Uuid },
    /// Staff: the children expected at a preschool or fritidshem on a day ("Dagens barn").
    #[at("/personal/dag/:unit_id")]
    DaySheet { unit_id: uuid::Uuid },
    /// A teacher takes a lesson's attendance on a day.
    #[at("/personal/narvaro/:lesson_id/:date")]
    Attendance {
        lesson_id: uuid::Uuid,
        date: chrono::NaiveDate,
    },
    /// The officer's (handläggare's) start: the ways to the queue, the offers and the documents.
    #[at("/handlaggare")]
    Officer,
    /// Officer: the queue of a unit, with "Erbjud plats".
    #[at("/handlaggare/ko")]
    OfficerQueue,
    /// Officer: the placement offers made, by status.
    #[at("/handlaggare/erbjudanden")]
    OfficerOffers,
    /// Officer: the documents guardians have signed, by kind.
    #[at("/handlaggare/dokument")]
    OfficerDocuments,
    /// Officer: one signed document, its text and signatures.
    #[at("/handlaggare/dokument/:id")]
    OfficerDocument { id: uuid::Uuid },
    /// Officer: the open requests for correction (rättelse), with an answer form each.
    #[at("/handlaggare/rattelser")]
    OfficerCorrections,
    /// Officer: the SS 12000 sync's runs, starting one, confirming a refused one.
    #[at("/handlaggare/synk")]
    OfficerSourceSync,
    /// Administrator: the municipality's and its units' settings.
    #[at("/administration")]
    Administration,
    /// Administrator: the history of changed settings.
    #[at("/administration/historik")]
    AdministrationHistory,
    /// Administrator: retention (gallring): the periods, the dry run, the runs and their
    /// archive packages.
    #[at("/administration/gallring")]
    AdministrationRetention,
    /// The check-in tablet: pairing, the staff's PIN, the day's children.
    #[at("/kiosk")]
    Kiosk,
    /// "Mina uppgifter": the register extract.
    #[at("/uppgifter")]
    RegisterExtract,
    /// Setting up one-time codes (the second factor for a password login).
    #[at("/engangskod")]
    Totp,
    /// Where the server sends a refused BankID login (`?orsak=<code>`).
    #[at("/bankid-fel")]
    BankIdError,
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    /// The app whose page this is.
    pub fn app(&self) -> AppKind {
        match self {
            Route::Staff
            | Route::StaffTimetable
            | Route::StaffLunch
            | Route::LeaveDecisions
            | Route::ClassAttendance { .. }
            | Route::AbsenceFollowUp { .. }
            | Route::TeacherLists
            | Route::TeacherGroupList { .. }
            | Route::TeacherStaffList { .. }
            | Route::Pupil { .. }
            | Route::DaySheet { .. }
            | Route::Attendance { .. } => AppKind::Staff,
            Route::Officer
            | Route::OfficerQueue
            | Route::OfficerOffers
            | Route::OfficerDocuments
            | Route::OfficerDocument { .. }
            | Route::OfficerCorrections
            | Route::OfficerSourceSync => AppKind::Officers,
            Route::Administration
            | Route::AdministrationHistory
            | Route::AdministrationRetention => AppKind::Administration,
            Route::Kiosk => AppKind::Kiosk,
            Route::RegisterExtract | Route::Consents | Route::Totp | Route::Password => {
                AppKind::Account
            }
            Route::TalkMaterial { .. }
            | Route::Grades { .. }
            | Route::DevelopmentPlan { .. }
            | Route::TalkBooking { .. }
            | Route::TalkTimes { .. }
            | Route::GradeSheet { .. }
            | Route::GradeLock { .. } => AppKind::Talks,
            Route::Childcare
            | Route::IncomeStatement
            | Route::ChildcareApply
            | Route::ChildcareOffers
            | Route::ChildcareTermination
            | Route::ChildcareDocument { .. }
            | Route::ChildcareSchedule { .. }
            | Route::PickupPersons { .. } => AppKind::Childcare,
            // A guardian's start page is the server's too, with the day and the week written in;
            // the families' app shows its cards only where the server's page cannot come (no
            // network: the cards kept on the phone).
            Route::Login | Route::Children => AppKind::Server,
            _ => AppKind::Families,
        }
    }

    /// A page anyone may open, logged in or not. Every other page is a logged-in person's.
    pub fn is_public(&self) -> bool {
        matches!(self, Route::Login | Route::BankIdError | Route::NotFound)
    }
}

/// Guardians, other responsible adults and pupils; the login.
pub struct Families;
/// Teachers, mentors and preschool staff.
pub struct Staff;
/// Officers.
pub struct Officers;
/// The municipality administrator.
pub struct Administration;
/// Everyone's own account.
pub struct Account;
/// The check-in tablet.
pub struct Kiosk;

impl AppSwitch for Kiosk {
    const KIND: AppKind = AppKind::Kiosk;
    fn switch(route: Route) -> Html {
        match route {
            Route::Kiosk => html! { <crate::pages::kiosk::KioskPage /> },
            Route::NotFound => not_found(),
            other => elsewhere(other),
        }
    }
}
/// The childcare e-services.
pub struct ChildcareServices;
/// The development talks.
pub struct Talks;

impl AppSwitch for Talks {
    const KIND: AppKind = AppKind::Talks;
    fn switch(route: Route) -> Html {
        match route {
            Route::Grades { id } => html! {
                <RequireLogin access={Access::Any}>
                    <GradesPage key={id.to_string()} pupil={id} />
                </RequireLogin>
            },
            Route::DevelopmentPlan { id } => html! {
                <RequireLogin access={Access::Any}>
                    <DevelopmentPlanPage key={id.to_string()} pupil={id} />
                </RequireLogin>
            },
            Route::GradeSheet { id } => html! {
                <RequireLogin access={Access::Staff}>
                    <GradeSheetPage key={id.to_string()} group={id} />
                </RequireLogin>
            },
            Route::GradeLock { id } => html! {
                <RequireLogin access={Access::Staff}>
                    <GradeLockPage key={id.to_string()} unit={id} />
                </RequireLogin>
            },
            Route::TalkBooking { id } => html! {
                <RequireLogin access={Access::Family}>
                    <TalkBookingPage key={id.to_string()} pupil={id} />
                </RequireLogin>
            },
            Route::TalkTimes { id } => html! {
                <RequireLogin access={Access::Staff}>
                    <TalkTimesPage key={id.to_string()} group={id} />
                </RequireLogin>
            },
            Route::TalkMaterial { id } => html! {
                <RequireLogin access={Access::Any}>
                    <TalkMaterialPage key={id.to_string()} pupil={id} />
                </RequireLogin>
            },
            Route::NotFound => not_found(),
            other => elsewhere(other),
        }
    }
}

impl AppSwitch for Account {
    const KIND: AppKind = AppKind::Account;
    fn switch(route: Route) -> Html {
        match route {
            Route::Password => html! {
                <RequireLogin access={Access::Any} allow_password_change=true>
                    <PasswordPage />
                </RequireLogin>
            },
            Route::RegisterExtract => html! {
                <RequireLogin access={Access::Any}><RegisterExtractPage /></RequireLogin>
            },
            Route::Totp => html! {
                <RequireLogin access={Access::Any}><TotpPage /></RequireLogin>
            },
            Route::Consents => html! {
                <RequireLogin access={Access::Family}><ConsentPage /></RequireLogin>
            },
            Route::NotFound => not_found(),
            other => elsewhere(other),
        }
    }
}

impl AppSwitch for Families {
    const KIND: AppKind = AppKind::Families;
    fn switch(route: Route) -> Html {
        families(route)
    }
}

impl AppSwitch for ChildcareServices {
    const KIND: AppKind = AppKind::Childcare;
    fn switch(route: Route) -> Html {
        match route {
            Route::Childcare => html! {
                <RequireLogin access={Access::Guardian}><ChildcarePage /></RequireLogin>
            },
            Route::IncomeStatement => html! {
                <RequireLogin access={Access::Guardian}><IncomeStatementPage /></RequireLogin>
            },
            Route::ChildcareApply => html! {
                <RequireLogin access={Access::Guardian}><ApplyPage /></RequireLogin>
            },
            Route::ChildcareOffers => html! {
                <RequireLogin access={Access::Guardian}><OffersPage /></RequireLogin>
            },
            Route::ChildcareTermination => html! {
                <RequireLogin access={Access::Guardian}><TerminationPage /></RequireLogin>
            },
            Route::ChildcareDocument { id } => html! {
                <RequireLogin access={Access::Guardian}><ChildcareDocumentPage {id} /></RequireLogin>
            },
            Route::ChildcareSchedule { id } => html! {
                <RequireLogin access={Access::Guardian}><SchedulePage key={id.to_string()} {id} /></RequireLogin>
            },
            Route::PickupPersons { id } => html! {
                <RequireLogin access={Access::Guardian}><PickupPersonsPage key={id.to_string()} {id} /></RequireLogin>
            },
            Route::NotFound => not_found(),
            other => elsewhere(other),
        }
    }
}

impl AppSwitch for Staff {
    const KIND: AppKind = AppKind::Staff;
    fn switch(route: Route) -> Html {
        match route {
            Route::Staff => html! {
                <RequireLogin access={Access::Staff}><StaffPage /></RequireLogin>
            },
            Route::Pupil { id } => html! {
                <RequireLogin access={Access::Any}><PupilPage {id} /></RequireLogin>
            },
            Route::StaffLunch => html! {
                <RequireLogin access={Access::Staff}><LunchMenuPage /></RequireLogin>
            },
            Route::LeaveDecisions => html! {
                <RequireLogin access={Access::Staff}><LeaveDecisionsPage /></RequireLogin>
            },
            Route::ClassAttendance { id } => html! {
                <RequireLogin access={Access::Staff}><ClassAttendancePage key={id.to_string()} {id} /></RequireLogin>
            },
            Route::AbsenceFollowUp { id } => html! {
                <RequireLogin access={Access::Staff}><AbsenceFollowUpPage key={id.to_string()} {id} /></RequireLogin>
            },
            Route::TeacherLists => html! {
                <RequireLogin access={Access::Staff}><ListsPage /></RequireLogin>
            },
            Route::TeacherGroupList { id } => html! {
                <RequireLogin access={Access::Staff}><GroupListPage key={id.to_string()} {id} /></RequireLogin>
            },
            Route::TeacherStaffList { id } => html! {
                <RequireLogin access={Access::Staff}><StaffListPage key={id.to_string()} {id} /></RequireLogin>
            },
            Route::StaffTimetable => html! {
                <RequireLogin access={Access::Staff}><StaffTimetablePage /></RequireLogin>
            },
            Route::DaySheet { unit_id } => html! {
                <RequireLogin access={Access::Staff}><DaySheetPage key={unit_id.to_string()} {unit_id} /></RequireLogin>
            },
            Route::Attendance { lesson_id, date } => html! {
                <RequireLogin access={Access::Staff}><AttendancePage key={format!("{lesson_id}{date}")} {lesson_id} {date} /></RequireLogin>
            },
            Route::NotFound => not_found(),
            other => elsewhere(other),
        }
    }
}

impl AppSwitch for Administration {
    const KIND: AppKind = AppKind::Administration;
    fn switch(route: Route) -> Html {
        match route {
            Route::Administration => html! {
                <RequireLogin access={Access::Administrator}><SettingsPage /></RequireLogin>
            },
            Route::AdministrationHistory => html! {
                <RequireLogin access={Access::Administrator}><SettingsHistoryPage /></RequireLogin>
            },
            Route::AdministrationRetention => html! {
                <RequireLogin access={Access::Administrator}><RetentionPage /></RequireLogin>
            },
            Route::NotFound => not_found(),
            other => elsewhere(other),
        }
    }
}

impl AppSwitch for Officers {
    const KIND: AppKind = AppKind::Officers;
    fn switch(route: Route) -> Html {
        match route {
            Route::Officer => officer(View::Start),
            Route::OfficerQueue => officer(View::Queue),
            Route::OfficerOffers => officer(View::Offers),
            Route::OfficerDocuments => officer(View::Documents),
            Route::OfficerCorrections => html! {
                <RequireLogin access={Access::Officer}><OfficerCorrectionsPage /></RequireLogin>
            },
            Route::OfficerSourceSync => html! {
                <RequireLogin access={Access::Officer}><SourceSyncPage /></RequireLogin>
            },
            Route::OfficerDocument { id } => html! {
                <RequireLogin access={Access::Officer}><ChildcareDocumentPage {id} officer=true /></RequireLogin>
            },
            Route::NotFound => not_found(),
            other => elsewhere(other),
        }
    }
}

fn not_found() -> Html {
    html! { <MessagePage title="not_found.title" text="not_found.text" /> }
}

/// Another app's page, reached inside this one (a redirect after login, history): the browser
/// loads that app there.
fn elsewhere(route: Route) -> Html {
    html! { <Elsewhere {route} /> }
}

#[derive(Properties, PartialEq)]
struct ElsewhereProps {
    route: Route,
}

#[function_component]
fn Elsewhere(props: &ElsewhereProps) -> Html {
    let i18n = use_i18n();
    use_effect_with(props.route.clone(), |route| {
        dom::load_page(&route.to_path());
    });
    crate::components::loading(&i18n)
}

fn families(route: Route) -> Html {
    match route {
        Route::Start => html! { <Start /> },
        Route::Children => html! {
            <RequireLogin access={Access::Guardian}><ChildrenPage /></RequireLogin>
        },
        Route::Contact => html! {
            <RequireLogin access={Access::Guardian}><ContactPage /></RequireLogin>
        },
        Route::Absence => html! {
            <RequireLogin access={Access::Guardian}><AbsencePage /></RequireLogin>
        },
        Route::Notices => html! {
            <RequireLogin access={Access::Guardian}><NoticesPage /></RequireLogin>
        },
        Route::Leave => html! {
            <RequireLogin access={Access::Guardian}><LeavePage /></RequireLogin>
        },
        Route::PupilCard => html! {
            <RequireLogin access={Access::Pupil}><PupilCardPage /></RequireLogin>
        },
        Route::Timetable => html! {
            <RequireLogin access={Access::Family}><TimetablePage /></RequireLogin>
        },
        Route::Lists => html! {
            <RequireLogin access={Access::Family}><ListsPage /></RequireLogin>
        },
        Route::GroupList { id } => html! {
            <RequireLogin access={Access::Family}><GroupListPage key={id.to_string()} {id} /></RequireLogin>
        },
        Route::StaffList { id } => html! {
            <RequireLogin access={Access::Family}><StaffListPage key={id.to_string()} {id} /></RequireLogin>
        },
        Route::BankIdError => html! { <BankIdErrorPage /> },
        Route::NotFound => not_found(),
        other => elsewhere(other),
    }
}

/// One of the officer's pages; keyed by the view, so that each starts afresh.
fn officer(view: View) -> Html {
    html! {
        <RequireLogin access={Access::Officer}><OfficerPage key={view as u8} {view} /></RequireLogin>
    }
}

#[derive(Properties)]
pub struct AppProps<S: AppSwitch> {
    #[prop_or_default]
    app: PhantomData<S>,
}

impl<S: AppSwitch> PartialEq for AppProps<S> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<S: AppSwitch> Default for AppProps<S> {
    fn default() -> Self {
        Self { app: PhantomData }
    }
}

/// The root of app `S`: language, session and municipality contexts, then the router.
#[function_component]
pub fn App<S: AppSwitch>(_props: &AppProps<S>) -> Html {
    CURRENT_APP.with(|current| current.set(S::KIND));
    let stored_lang = dom::stored_lang().unwrap_or_default();
    // Only Swedish is in the binary: a remembered other language is fetched, then switched to.
    let lang = use_state(|| {
        if stored_lang.is_loaded() {
            stored_lang
        } else {
            Lang::default()
        }
    });
    {
        let lang = lang.clone();
        use_effect_with((), move |_| {
            if *lang != stored_lang {
                spawn_local(async move {
                    if fetch_catalog(stored_lang).await {
                        dom::set_html_lang(stored_lang);
                        lang.set(stored_lang);
                    }
                });
            }
        });
    }
    let session = use_reducer(Session::default);
    // The server writes the municipality into the page; fetched only where it did not.
    let embedded = use_memo((), |_| dom::embedded_municipality().map(Rc::new));
    let municipality = use_state(|| (*embedded).clone());
    let embed = use_state(dom::embed_mode);

    use_effect_with(*lang, move |lang| {
        dom::set_html_lang(*lang);
    });
    {
        let municipality = municipality.clone();
        let embed = *embed;
        use_effect_with((), move |_| {
            if !embed {
                dom::register_service_worker();
            }
            if municipality.is_none() {
                spawn_local(async move {
                    // Without an answer the stylesheet's default theme and the portal's name stay.
                    if let Ok(info) = api::municipality().await {
                        dom::apply_theme(&info.theme);
                        municipality.set(Some(Rc::new(info)));
                    }
                });
            }
        });
    }

    html! {
        <ContextProvider<AppContext> context={AppContext {
            lang: LangContext(lang),
            session,
            municipality: MunicipalityContext((*municipality).clone()),
        }}>
            <BrowserRouter>
                <Shell<S> embed={*embed || S::KIND == AppKind::Kiosk} />
            </BrowserRouter>
        </ContextProvider<AppContext>>
    }
}

#[derive(Properties)]
struct ShellProps<S: AppSwitch> {
    /// Embedded in another site: no header or footer of our own.
    embed: bool,
    #[prop_or_default]
    app: PhantomData<S>,
}

impl<S: AppSwitch> PartialEq for ShellProps<S> {
    fn eq(&self, other: &Self) -> bool {
        self.embed == other.embed
    }
}

const MAIN_ID: &str = "main";

#[function_component]
fn Shell<S: AppSwitch>(props: &ShellProps<S>) -> Html {
    let i18n = use_i18n();
    let municipality = use_municipality();
    let session = use_session();
    let navigator = use_navigator();
    let lang_switch = use_lang_switch();
    let route = use_route::<Route>();
    let generation = session.as_ref().map_or(0, |s| s.generation);
    let location = use_location().map(|location| location.path().to_owned());
    // Links to pages of the app are plain `<a href>`: one handler here turns a plain click on
    // one into a navigation inside the app (see `components::link`).
    let follow = {
        let navigator = navigator.clone();
        Callback::from(move |event: MouseEvent| {
            // Another app's page is loaded by the browser, as a link normally is.
            let route = dom::in_app_link(&event)
                .and_then(|path| Route::recognize(&path))
                .filter(|route| route.app() == S::KIND);
            if let (Some(route), Some(navigator)) = (route, &navigator) {
                event.prevent_default();
                navigator.push(&route);
            }
        })
    };
    // The phone's menu is open until the person goes somewhere.
    let menu = use_state(|| false);
    // Started without a network (the service worker kept the app), or lost it since.
    let online = use_state(dom::is_online);
    {
        let online = online.clone();
        use_effect_with((), move |_| dom::watch_online(move |now| online.set(now)));
    }
    // After navigating inside the app, move focus to the new page like a page load would.
    {
        let menu = menu.clone();
        use_effect_with(location, move |_| {
            menu.set(false);
            dom::focus_after_navigation(MAIN_ID);
        });
    }
    // An unknown address needs no login, but whoever is logged in keeps their header there.
    {
        let session = session.clone();
        let unknown = route == Some(Route::NotFound);
        use_effect_with(unknown, move |unknown| {
            let session = session.filter(|session| *unknown && session.me.is_none());
            if let Some(session) = session {
                spawn_local(async move {
                    if let Some(me) = api::me_if_logged_in().await {
                        session.dispatch(SessionAction::set(me));
                    }
                });
            }
        });
    }

    html! {
        <>
            if !props.embed {
                <a class="skip-link" href={format!("#{MAIN_ID}")}>{ i18n.t("app.skip_to_content") }</a>
                { header(&i18n, municipality.as_deref(), session, navigator, lang_switch, route.as_ref(), follow.clone(), menu) }
            }
            <div class="offline-note" role="status" aria-live="polite">
                if !*online {
                    <p class="offline-note__text">{ i18n.t("app.offline") }</p>
                }
            </div>
            <main id={MAIN_ID} class={classes!("site-main", props.embed.then_some("site-main--embed"))} tabindex="-1" onclick={follow}>
                <Switch<Route> key={generation} render={S::switch} />
            </main>
            if !props.embed {
                { footer(&i18n, municipality.as_deref()) }
            }
        </>
    }
}
