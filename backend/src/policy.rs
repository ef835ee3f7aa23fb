//! The access policy, as data, in one place (docs/rules.md rule 7; modelled on eVaka's `Action`).
//!
//! Actions are grouped by the kind of thing they act on (`Target`): the municipality as a whole,
//! a person, a unit, a document, an application, an offer, a place. Each action names the
//! `Rule`s that allow it — a relation between the actor and the target — and the login strength
//! each rule needs (rule 11: officials need a one-time code or BankID, signing needs BankID).
//! Every rule is dated: it holds on the day asked about, not before or after.
//!
//! - `authorize` answers "may I do this to that?" and gives a `Permit`, which only this module
//!   can make. Where the target is one person's data (a person, a document, an offer, …) it also
//!   writes the access log, once, as it grants the permit.
//! - `authorize_list` gives a `Permit` for a list, with the same rules as a database filter
//!   (`Permit::filter_sql`); the list logs the rows it shows through the permit
//!   (`Permit::record_shown`), the only other way to write the log.
//! - `permitted_actions` answers "what may I do with these N things?" in one query; the answer
//!   rides along in responses so that the UI never repeats a rule.
//!
//! Denial is indistinguishable from absence: the caller answers 404. A session that has the
//! relation but logged in too weakly is told to step up (403 `step_up_required`).
//!
//! The tables of actions × rules × strengths are checked against `tests/golden/permissions/`, one
//! file per kind of target, so a changed permission shows up as a diff in review.

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, Statement,
};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::clock::day_of;
use crate::db::{self, numbered_params};
use crate::entity::access_log;
pub use crate::entity::session::LoginStrength;
pub use skolportal_shared::api::AccessAction;
pub use skolportal_shared::api::{
    AbsenceReportAction, ApplicationAction, DocumentAction, GlobalAction, GroupAction, LeaveAction,
    LessonAction, OfferAction, PersonAction, PlacementAction, UnitAction,
};

/// A relation between the actor and a target, as of the day asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// The person themselves; for a document, the one who filed it.
    Own,
    /// Vårdnadshavare of the child (of the child the document, application, offer or place is
    /// about). Acts in the child's name.
    Guardian,
    /// Annan ansvarig vuxen (foster parent): cares for the child day to day, but does not act
    /// in the child's name (ARCHITECTURE.md, "legal representative or day-to-day carer").
    OtherResponsibleAdult,
    /// Mentor of a group the pupil is in.
    Mentor,
    /// Teacher of a group the pupil is in.
    TeacherOfGroup,
    /// Staff with a duty at the unit, or (for a person) at a unit where the child is enrolled or
    /// placed.
    StaffOfUnit,
    /// Officer (handläggare) of the municipality: for a person, the municipality's children
    /// (pupils, children with a responsible adult, applicants), not every adult.
    Officer,
    /// For a staff member: staff with a duty at a unit where they have one (a colleague).
    Colleague,
    /// For a staff member: a pupil enrolled at a unit where they have a duty, or a responsible
    /// adult of one (the seed: pupils and guardians see teachers' schedules and staff lists).
    /// For a unit: a pupil enrolled there, or a responsible adult of one.
    SchoolFamily,
    /// Principal (rektor) of a school where the pupil is enrolled.
    Principal,
    /// The pupil themselves, in a class of a school year below the municipality's
    /// `pupil_password_below_year`: where the municipality relaxes the second factor for young
    /// pupils' own records (rule 11), this rule carries the relaxation, so that the lists of
    /// permitted actions and the step-up answer follow it without a special case.
    OwnInEarlyYears,
    /// Municipality administrator (`municipality_administrator`): changes the municipality's
    /// settings. A role of the portal's own, not a duty from the source, and not the officer's.
    Administrator,
}

impl Rule {
    /// The person themselves or a responsible adult of the child, as opposed to an official.
    pub const fn is_family(self) -> bool {
        matches!(
            self,
            Rule::Own
                | Rule::OwnInEarlyYears
                | Rule::Guardian
                | Rule::OtherResponsibleAdult
                | Rule::SchoolFamily
        )
    }
}

/// The kinds of thing an action acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Global,
    Person,
    Unit,
    Document,
    Application,
    Offer,
    Placement,
    Lesson,
    Group,
    AbsenceReport,
    LeaveApplication,
}

/// A dated relation in SQL: it holds on day `$2`.
macro_rules! current {
    ($alias:literal) => {
        concat!(
            $alias,
            ".start_date <= $2 AND (",
            $alias,
            ".end_date IS NULL OR ",
            $alias,
            ".end_date >= $2)"
        )
    };
}
pub(crate) use current;

impl Target {
    /// The table the targets are rows of; each has `id` and its municipality.
    const fn table(self) -> &'static str {
        match self {
            Target::Global => "municipality",
            Target::Person => "person",
            Target::Unit => "unit",
            Target::Document => "childcare_document",
            Target::Application => "childcare_application",
            Target::Offer => "placement_offer",
            Target::Placement => "placement",
            Target::Lesson => "lesson",
            Target::Group => "school_group",
            Target::AbsenceReport => "absence_report",
            Target::LeaveApplication => "leave_application",
        }
    }

    /// Keeps only targets (`s.target`) of the actor's municipality (`$3`).
    fn scope_sql(self) -> String {
        match self {
            Target::Global => {
                "JOIN municipality scope ON scope.id = s.target AND scope.id = $3".to_owned()
            }
            other => format!(
                "JOIN {} scope ON scope.id = s.target AND scope.municipality_id = $3",
                other.table()
            ),
        }
    }

    /// The persons whose data a target is, as `(target, person)` rows; `None` where the permit
    /// is for a list and the list says whom it showed.
    fn persons_sql(self) -> Option<&'static str> {
        match self {
            // A lesson is the group's, not one person's: recording a change reads nobody's data.
            // A group's list says whom it showed (`Permit::record_shown`).
            Target::Global | Target::Unit | Target::Lesson | Target::Group => None,
            Target::Person => Some("SELECT id AS target, id AS person FROM person"),
            // Whose data a document is: the child it is about, or for the household's income
            // statement the guardian who filed it.
            Target::Document => Some(
                "SELECT id AS target, COALESCE(child_id, owner_person_id) AS person FROM childcare_document",
            ),
            Target::Application => {
                Some("SELECT id AS target, child_id AS person FROM childcare_application")
            }
            Target::Offer => Some("SELECT id AS target, child_id AS person FROM placement_offer"),
            Target::Placement => Some("SELECT id AS target, child_id AS person FROM placement"),
            Target::AbsenceReport => {
                Some("SELECT id AS target, child_id AS person FROM absence_report")
            }
            Target::LeaveApplication => {
                Some("SELECT id AS target, child_id AS person FROM leave_application")
            }
        }
    }

    /// The ids of targets of this kind that the actor (`$1`) has `rule` to on day `$2`, as one
    /// column `target`; `None` when the rule means nothing for this kind of target.
    fn rule_sql(self, rule: Rule) -> Option<String> {
        let person_rule = person_rule_sql(rule);
        match (self, rule) {
            (Target::Person, _) => Some(person_rule.to_owned()),
            (Target::Global, Rule::Officer) => Some(format!(
                "SELECT d.municipality_id AS target FROM duty d \
                 WHERE d.person_id = $1 AND d.role = 'officer' AND {}",
                current!("d")
            )),
            (Target::Global, Rule::Administrator) => Some(
                "SELECT a.municipality_id AS target FROM municipality_administrator a \
                 WHERE a.person_id = $1"
                    .to_owned(),
            ),
            (Target::Unit, Rule::StaffOfUnit) => Some(format!(
                "SELECT d.unit_id AS target FROM duty d \
                 WHERE d.person_id = $1 AND d.role <> 'officer' AND d.unit_id IS NOT NULL AND {}",
                current!("d")
            )),
            (Target::Document, Rule::Own) => Some(
                "SELECT id AS target FROM childcare_document WHERE owner_person_id = $1".to_owned(),
            ),
            // A household's income statement is its filer's, not the child's.
            (Target::Document, Rule::Guardian | Rule::OtherResponsibleAdult) => Some(format!(
                "SELECT x.id AS target FROM childcare_document x \
                 WHERE x.kind <> 'income_statement' AND x.child_id IN (SELECT r.target FROM ({person_rule}) r)"
            )),
            // The officer receives what the guardians have signed; drafts and half-signed
            // documents are the family's own business.
            (Target::Document, Rule::Officer) => Some(format!(
                "SELECT x.id AS target FROM duty d JOIN childcare_document x ON x.municipality_id = d.municipality_id \
                 WHERE x.status = 'signed' AND d.person_id = $1 AND d.role = 'officer' AND {}",
                current!("d")
            )),
            (
                Target::Application
                | Target::Offer
                | Target::Placement
                | Target::AbsenceReport
                | Target::LeaveApplication,
                Rule::Guardian | Rule::OtherResponsibleAdult,
            ) => Some(format!(
                "SELECT x.id AS target FROM {} x WHERE x.child_id IN (SELECT r.target FROM ({person_rule}) r)",
                self.table()
            )),
            // The lesson's own teacher, or a teacher of its group, while the lesson runs.
            (Target::Lesson, Rule::TeacherOfGroup) => Some(format!(
                "SELECT l.id AS target FROM lesson l \
                 WHERE l.teacher_id = $1 AND (l.valid_to IS NULL OR l.valid_to >= $2) \
                 UNION SELECT l.id AS target FROM lesson l JOIN group_membership m ON m.group_id = l.group_id \
                 WHERE m.person_id = $1 AND m.role = 'teacher' AND {}",
                current!("m")
            )),
            (Target::Lesson, Rule::Mentor) => Some(format!(
                "SELECT l.id AS target FROM lesson l JOIN group_membership m ON m.group_id = l.group_id \
                 WHERE m.person_id = $1 AND m.role = 'mentor' AND {}",
                current!("m")
            )),
            (Target::Unit, Rule::Principal) => Some(format!(
                "SELECT d.unit_id AS target FROM duty d \
                 WHERE d.person_id = $1 AND d.role = 'principal' AND d.unit_id IS NOT NULL AND {}",
                current!("d")
            )),
            (Target::Unit, Rule::SchoolFamily) => Some(format!(
                "SELECT e.unit_id AS target FROM enrolment e WHERE e.pupil_id = $1 AND {} \
                 UNION SELECT e.unit_id AS target FROM guardianship g \
                 JOIN enrolment e ON e.pupil_id = g.child_id AND {} \
                 WHERE g.adult_id = $1 AND {}",
                current!("e"),
                current!("e"),
                current!("g")
            )),
            // A group is one's own as a pupil in it, a responsible adult's through a child who
            // is, and staff's as its teacher or mentor: the members, never the whole school.
            (Target::Group, Rule::Own) => Some(format!(
                "SELECT m.group_id AS target FROM group_membership m \
                 WHERE m.person_id = $1 AND m.role = 'pupil' AND {}",
                current!("m")
            )),
            (Target::Group, Rule::Guardian | Rule::OtherResponsibleAdult) => Some(format!(
                "SELECT m.group_id AS target FROM ({person_rule}) r \
                 JOIN group_membership m ON m.person_id = r.target AND m.role = 'pupil' AND {}",
                current!("m")
            )),
            // The mentor decides the leave the municipality lets mentors decide; the principal
            // any of the school's pupils'.
            (Target::LeaveApplication, Rule::Mentor) => Some(format!(
                "SELECT x.id AS target FROM leave_application x \
                 WHERE x.decider = 'mentor' AND x.child_id IN (SELECT r.target FROM ({person_rule}) r)"
            )),
            (Target::LeaveApplication, Rule::Principal) => Some(format!(
                "SELECT x.id AS target FROM leave_application x \
                 WHERE x.child_id IN (SELECT r.target FROM ({person_rule}) r)"
            )),
            (Target::Group, Rule::TeacherOfGroup | Rule::Mentor) => Some(format!(
                "SELECT m.group_id AS target FROM group_membership m \
                 WHERE m.person_id = $1 AND m.role = '{}' AND {}",
                if rule == Rule::Mentor { "mentor" } else { "teacher" },
                current!("m")
            )),
            _ => None,
        }
    }
}

/// The ids of persons the actor (`$1`) has this relation to on day `$2`, as `target`. A pupil's
/// enrolment or a child's place that has not begun yet still counts for the unit's staff, who
/// prepare for the child.
const fn person_rule_sql(rule: Rule) -> &'static str {
    match rule {
        Rule::Own => "SELECT id AS target FROM person WHERE id = $1",
        Rule::OwnInEarlyYears => concat!(
            "SELECT m.person_id AS target FROM group_membership m \
             JOIN school_group c ON c.id = m.group_id AND c.group_type = 'class' \
             JOIN municipality k ON k.id = c.municipality_id \
             WHERE m.person_id = $1 AND m.role = 'pupil' AND ",
            current!("m"),
            " AND c.school_year < k.pupil_password_below_year"
        ),
        Rule::Guardian => concat!(
            "SELECT child_id AS target FROM guardianship g WHERE g.adult_id = $1 AND g.relation = 'guardian' AND ",
            current!("g")
        ),
        Rule::OtherResponsibleAdult => concat!(
            "SELECT child_id AS target FROM guardianship g WHERE g.adult_id = $1 AND g.relation = 'other_responsible_adult' AND ",
            current!("g")
        ),
        Rule::Mentor => concat!(
            "SELECT p.person_id AS target FROM group_membership m \
             JOIN group_membership p ON p.group_id = m.group_id AND p.role = 'pupil' AND ",
            current!("p"),
            " WHERE m.person_id = $1 AND m.role = 'mentor' AND ",
            current!("m")
        ),
        Rule::TeacherOfGroup => concat!(
            "SELECT p.person_id AS target FROM group_membership m \
             JOIN group_membership p ON p.group_id = m.group_id AND p.role = 'pupil' AND ",
            current!("p"),
            " WHERE m.person_id = $1 AND m.role = 'teacher' AND ",
            current!("m")
        ),
        Rule::StaffOfUnit => concat!(
            "SELECT e.pupil_id AS target FROM duty d JOIN enrolment e ON e.unit_id = d.unit_id \
             WHERE d.person_id = $1 AND d.role <> 'officer' AND ",
            current!("d"),
            " AND (e.end_date IS NULL OR e.end_date >= $2) \
             UNION SELECT pl.child_id AS target FROM duty d JOIN placement pl ON pl.unit_id = d.unit_id \
             WHERE d.person_id = $1 AND d.role <> 'officer' AND ",
            current!("d"),
            " AND (pl.end_date IS NULL OR pl.end_date >= $2)"
        ),
        Rule::Officer => concat!(
            "SELECT c.target FROM duty d CROSS JOIN (\
             SELECT child_id AS target FROM guardianship \
             UNION SELECT pupil_id AS target FROM enrolment \
             UNION SELECT child_id AS target FROM childcare_application) c \
             WHERE d.person_id = $1 AND d.role = 'officer' AND ",
            current!("d")
        ),
        Rule::Colleague => concat!(
            "SELECT t.person_id AS target FROM duty d JOIN duty t ON t.unit_id = d.unit_id AND ",
            current!("t"),
            " WHERE d.person_id = $1 AND d.role <> 'officer' AND ",
            current!("d")
        ),
        Rule::Principal => concat!(
            "SELECT e.pupil_id AS target FROM duty d JOIN enrolment e ON e.unit_id = d.unit_id AND ",
            current!("e"),
            " WHERE d.person_id = $1 AND d.role = 'principal' AND ",
            current!("d")
        ),
        // Two index-driven halves rather than one join with an OR, which the database can only
        // answer by joining every enrolment to every duty.
        Rule::SchoolFamily => concat!(
            "SELECT t.person_id AS target FROM enrolment e JOIN duty t ON t.unit_id = e.unit_id AND ",
            current!("t"),
            " WHERE e.pupil_id = $1 AND ",
            current!("e"),
            " UNION SELECT t.person_id AS target FROM guardianship g \
             JOIN enrolment e ON e.pupil_id = g.child_id AND ",
            current!("e"),
            " JOIN duty t ON t.unit_id = e.unit_id AND ",
            current!("t"),
            " WHERE g.adult_id = $1 AND ",
            current!("g")
        ),
        // The administrator's role is the municipality's settings, nobody's data.
        Rule::Administrator => "SELECT id AS target FROM person WHERE 1 = 0",
    }
}

/// Typed ids, so that a unit's id cannot be passed where a person's is asked for.
macro_rules! target_ids {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub Uuid);

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    )+};
}

target_ids! {
    /// The municipality, for global actions.
    MunicipalityId,
    PersonId,
    UnitId,
    DocumentId,
    ApplicationId,
    OfferId,
    PlacementId,
    LessonId,
    GroupId,
    AbsenceReportId,
    LeaveApplicationId,
}

/// An action of the policy: what it acts on, the rules that allow it, and how strongly the
/// actor must have logged in for each.
pub trait PolicyAction: Copy + Debug + Eq + Hash + Ord + Send + Sync + 'static {
    type Id: Copy + Debug + Into<Uuid> + Send + Sync;
    const TARGET: Target;

    /// Every action of this kind (derived from its declaration in `shared`).
    fn all() -> &'static [Self];

    fn rules(self) -> &'static [Rule];

    /// What the access log records (`access_log.action`; the UI shows `action.<code>`).
    fn log_name(self) -> AccessAction;

    /// The login strength `rule` needs to allow this action. The family reads with a password
    /// (grades, absence, talk material and IUP will ask more as they arrive); anyone acting in
    /// an official capacity needs a one-time code or BankID.
    fn required_strength(self, rule: Rule) -> LoginStrength {
        if rule.is_family() {
            LoginStrength::Password
        } else {
            LoginStrength::PasswordAndTotp
        }
    }

    /// The weakest login any of the rules accepts.
    fn weakest_strength(self) -> LoginStrength {
        self.rules()
            .iter()
            .map(|rule| self.required_strength(*rule))
            .min()
            .unwrap_or(LoginStrength::Bankid)
    }

    /// Whether doing this can be written to the access log. Rule 7 logs reads in an official
    /// capacity, so every action staff or officers can take is logged when they take it
    /// (`authorize` tells a family's read of a mixed action apart and does not log it). An
    /// action only the person and the child's responsible adults can take is not: a guardian
    /// looking at "Mina barn" each morning is not what the log is for.
    fn is_logged(self) -> bool {
        !self.rules().iter().all(|rule| rule.is_family())
    }
}

use Rule::*;

impl PolicyAction for GlobalAction {
    type Id = MunicipalityId;
    const TARGET: Target = Target::Global;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            GlobalAction::ChangeSettings | GlobalAction::HandleRetention => &[Administrator],
            _ => &[Officer],
        }
    }

    /// A change of the municipality's settings changes what every family meets: BankID.
    fn required_strength(self, _rule: Rule) -> LoginStrength {
        match self {
            GlobalAction::ChangeSettings | GlobalAction::HandleRetention => LoginStrength::Bankid,
            _ => LoginStrength::PasswordAndTotp,
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            GlobalAction::HandleChildcareQueue => AccessAction::HandleChildcareQueue,
            GlobalAction::ReadPlacementOffers => AccessAction::ReadPlacementOffers,
            GlobalAction::ReadReceivedDocuments => AccessAction::ReadReceivedDocuments,
            GlobalAction::HandleCorrectionRequests => AccessAction::HandleCorrectionRequests,
            GlobalAction::FollowSourceSync => AccessAction::FollowSourceSync,
            GlobalAction::ChangeSettings => AccessAction::ChangeSettings,
            GlobalAction::HandleRetention => AccessAction::HandleRetention,
        }
    }
}

impl PolicyAction for PersonAction {
    type Id = PersonId;
    const TARGET: Target = Target::Person;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            PersonAction::ReadPupilCard => &[
                Own,
                Guardian,
                OtherResponsibleAdult,
                Mentor,
                TeacherOfGroup,
                StaffOfUnit,
                Officer,
            ],
            PersonAction::ListOwnChildren => &[Guardian, OtherResponsibleAdult],
            PersonAction::ListPupils => &[Mentor, TeacherOfGroup, StaffOfUnit],
            // The child's register extract is the guardians' to ask for, as the child's legal
            // representatives (docs/rules.md rule 6); a foster parent is not one. It holds
            // absence, grades and the talk material, so it asks what they ask (rule 11).
            PersonAction::ReadRegisterExtract => &[Own, OwnInEarlyYears, Guardian],
            PersonAction::ReadChildcareSchedule => &[Guardian, OtherResponsibleAdult, StaffOfUnit],
            PersonAction::EditChildcareSchedule => &[Guardian, OtherResponsibleAdult],
            PersonAction::ReadPickupPersons => &[Guardian, OtherResponsibleAdult, StaffOfUnit],
            PersonAction::ManagePickupPersons => &[Guardian, OtherResponsibleAdult],
            PersonAction::ManageChildcarePlace => &[Guardian],
            PersonAction::RequestCorrection => &[Own, Guardian],
            // The seed: the pupil, the guardians, and the school's teachers ("samtliga elevers
            // scheman"); a foster parent too, who brings the child to school.
            PersonAction::ReadTimetable => &[
                Own,
                Guardian,
                OtherResponsibleAdult,
                Mentor,
                TeacherOfGroup,
                StaffOfUnit,
            ],
            PersonAction::ReadTeacherTimetable => &[Own, Colleague, SchoolFamily],
            PersonAction::SubscribeToTimetable => &[Own, Guardian, OtherResponsibleAdult],
            // DOMAIN.md: either guardian reports absence; so does whoever cares for the child
            // day to day. A pupil does not report their own.
            PersonAction::ReportAbsence => &[Guardian, OtherResponsibleAdult],
            PersonAction::ManageNotices => &[Own],
            // A legal matter: the guardians apply, a foster parent does not.
            PersonAction::ApplyForLeave => &[Guardian],
            // The unit's staff, for a child whose family did not call it in themselves.
            PersonAction::MarkAbsence => &[StaffOfUnit],
            // The pupil, the guardians, the mentor and the pupil's teachers (the issue); the
            // principal through the follow-up list.
            PersonAction::ReadAttendance => &[
                Own,
                OwnInEarlyYears,
                Guardian,
                OtherResponsibleAdult,
                Mentor,
                TeacherOfGroup,
                Principal,
            ],
            // The pupil sees what was decided about them; the staff who hold the talks or publish
            // the school's pages need to know whether they may. A foster parent is not a legal
            // representative and neither sees nor decides.
            PersonAction::ReadConsents => &[Own, Guardian, Mentor, TeacherOfGroup, StaffOfUnit],
            PersonAction::DecideConsent => &[Guardian],
            // The talk material (the Tyresö and IUP seeds): the pupil, the guardians and the
            // mentor read what is published; each of the pupil's teachers writes a part too but
            // reads only their own (the service keeps a teacher to it).
            PersonAction::ReadTalkMaterial => &[Own, OwnInEarlyYears, Guardian, Mentor],
            PersonAction::WriteTalkMaterial => {
                &[Own, OwnInEarlyYears, Guardian, Mentor, TeacherOfGroup]
            }
            // The subject teacher reads the grades they set through the group's sheet.
            PersonAction::ReadGrades => &[Own, OwnInEarlyYears, Guardian, Mentor],
            // Booking the talk is the guardians' (the issue); a foster parent is not asked.
            PersonAction::BookTalk => &[Guardian],
            // The IUP seed: the plan is the pupil's, the guardians' and the mentor's; each
            // subject teacher writes an omdöme and sees their own (the service keeps them to it).
            // The new school's mentor reads an earlier school's entries only under the transfer
            // consent (`school::iup`).
            PersonAction::ReadDevelopmentPlan => &[Own, OwnInEarlyYears, Guardian, Mentor],
            PersonAction::WriteDevelopmentGoals => &[Mentor],
            PersonAction::WriteAssessment => &[TeacherOfGroup, Mentor],
        }
    }

    /// Rule 11: absence, grades, the talk material and the development plan are read (and the
    /// material written) with a one-time code or BankID, by the family too (the Data Inspection
    /// Board's advice), and so is the register extract that holds them; the municipality may
    /// let its youngest pupils read their own with a password (`OwnInEarlyYears`).
    fn required_strength(self, rule: Rule) -> LoginStrength {
        match (self, rule) {
            (_, OwnInEarlyYears) => LoginStrength::Password,
            (
                PersonAction::ReadAttendance
                | PersonAction::ReadRegisterExtract
                | PersonAction::ReadTalkMaterial
                | PersonAction::WriteTalkMaterial
                | PersonAction::ReadGrades
                | PersonAction::ReadDevelopmentPlan,
                _,
            ) => LoginStrength::PasswordAndTotp,
            _ if rule.is_family() => LoginStrength::Password,
            _ => LoginStrength::PasswordAndTotp,
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            PersonAction::ReadPupilCard => AccessAction::ReadPupilCard,
            PersonAction::ListOwnChildren => AccessAction::ListOwnChildren,
            PersonAction::ListPupils => AccessAction::ListPupils,
            PersonAction::ReadRegisterExtract => AccessAction::ReadRegisterExtract,
            PersonAction::ReadChildcareSchedule => AccessAction::ReadChildcareSchedule,
            PersonAction::EditChildcareSchedule => AccessAction::EditChildcareSchedule,
            PersonAction::ReadPickupPersons => AccessAction::ReadPickupPersons,
            PersonAction::ManagePickupPersons => AccessAction::ManagePickupPersons,
            PersonAction::ManageChildcarePlace => AccessAction::ManageChildcarePlace,
            PersonAction::RequestCorrection => AccessAction::RequestCorrection,
            PersonAction::ReadTimetable => AccessAction::ReadTimetable,
            PersonAction::ReadTeacherTimetable => AccessAction::ReadTeacherTimetable,
            PersonAction::SubscribeToTimetable => AccessAction::SubscribeToTimetable,
            PersonAction::ReportAbsence => AccessAction::ReportAbsence,
            PersonAction::ManageNotices => AccessAction::ManageNotices,
            PersonAction::ApplyForLeave => AccessAction::ApplyForLeave,
            PersonAction::MarkAbsence => AccessAction::MarkAbsence,
            PersonAction::ReadAttendance => AccessAction::ReadAttendance,
            PersonAction::ReadConsents => AccessAction::ReadConsents,
            PersonAction::DecideConsent => AccessAction::DecideConsent,
            PersonAction::ReadTalkMaterial => AccessAction::ReadTalkMaterial,
            PersonAction::WriteTalkMaterial => AccessAction::WriteTalkMaterial,
            PersonAction::ReadGrades => AccessAction::ReadGrades,
            PersonAction::BookTalk => AccessAction::BookTalk,
            PersonAction::ReadDevelopmentPlan => AccessAction::ReadDevelopmentPlan,
            PersonAction::WriteDevelopmentGoals => AccessAction::WriteDevelopmentGoals,
            PersonAction::WriteAssessment => AccessAction::WriteAssessment,
        }
    }
}

impl PolicyAction for UnitAction {
    type Id = UnitId;
    const TARGET: Target = Target::Unit;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            UnitAction::ReadChildcareDaySheet => &[StaffOfUnit],
            UnitAction::EditLunchMenu => &[StaffOfUnit],
            // The seed: a school's staff list is for its pupils, their families and its staff.
            UnitAction::ReadStaffList => &[StaffOfUnit, SchoolFamily],
            UnitAction::ReadAbsenceFollowUp => &[Principal],
            UnitAction::LockGrades => &[Principal],
            UnitAction::CheckChildrenInAndOut | UnitAction::ManageKiosks => &[StaffOfUnit],
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            UnitAction::ReadChildcareDaySheet => AccessAction::ReadChildcareDaySheet,
            UnitAction::EditLunchMenu => AccessAction::EditLunchMenu,
            UnitAction::ReadStaffList => AccessAction::ReadStaffList,
            UnitAction::ReadAbsenceFollowUp => AccessAction::ReadAbsenceFollowUp,
            UnitAction::LockGrades => AccessAction::LockGrades,
            UnitAction::CheckChildrenInAndOut => AccessAction::CheckChildrenInAndOut,
            UnitAction::ManageKiosks => AccessAction::ManageKiosks,
        }
    }

    /// A staff list shows staff at work, no child's data.
    fn is_logged(self) -> bool {
        match self {
            // The tablets are the unit's things, not a child's data.
            UnitAction::ReadStaffList | UnitAction::ManageKiosks => false,
            _ => !self.rules().iter().all(|rule| rule.is_family()),
        }
    }
}

impl PolicyAction for GroupAction {
    type Id = GroupId;
    const TARGET: Target = Target::Group;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            // The seed: a pupil and the pupil's guardians see the lists of the pupil's own
            // groups; teachers those of the groups they teach.
            GroupAction::ReadGroupList => {
                &[Own, Guardian, OtherResponsibleAdult, Mentor, TeacherOfGroup]
            }
            GroupAction::ReadAttendanceOverview => &[Mentor],
            // A mentor who teaches the class a subject sets its grades too (`school::grades`
            // keeps each to the subjects they teach there).
            GroupAction::SetGrades => &[TeacherOfGroup, Mentor],
            GroupAction::PublishTalkTimes => &[Mentor],
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            GroupAction::ReadGroupList => AccessAction::ReadGroupList,
            GroupAction::ReadAttendanceOverview => AccessAction::ReadAttendanceOverview,
            GroupAction::SetGrades => AccessAction::SetGrades,
            GroupAction::PublishTalkTimes => AccessAction::PublishTalkTimes,
        }
    }
}

impl PolicyAction for DocumentAction {
    type Id = DocumentId;
    const TARGET: Target = Target::Document;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            // Signing is a legal act in the child's name: guardians, and the filer of their own
            // household's income statement. Who of them must sign is `childcare::signatures`.
            DocumentAction::Read | DocumentAction::Sign => &[Own, Guardian],
            DocumentAction::Delete => &[Own],
            DocumentAction::ReadReceived => &[Officer],
        }
    }

    /// Signing needs BankID (docs/rules.md rule 2), whoever signs.
    fn required_strength(self, rule: Rule) -> LoginStrength {
        match self {
            DocumentAction::Sign => LoginStrength::Bankid,
            _ if rule.is_family() => LoginStrength::Password,
            _ => LoginStrength::PasswordAndTotp,
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            DocumentAction::Read => AccessAction::ReadChildcareDocument,
            DocumentAction::Sign => AccessAction::SignChildcareDocument,
            DocumentAction::Delete => AccessAction::DeleteChildcareDocument,
            DocumentAction::ReadReceived => AccessAction::ReadReceivedDocuments,
        }
    }
}

impl PolicyAction for ApplicationAction {
    type Id = ApplicationId;
    const TARGET: Target = Target::Application;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            ApplicationAction::Withdraw => &[Guardian],
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            ApplicationAction::Withdraw => AccessAction::WithdrawChildcareApplication,
        }
    }
}

impl PolicyAction for OfferAction {
    type Id = OfferId;
    const TARGET: Target = Target::Offer;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            OfferAction::Answer => &[Guardian],
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            OfferAction::Answer => AccessAction::AnswerPlacementOffer,
        }
    }
}

impl PolicyAction for PlacementAction {
    type Id = PlacementId;
    const TARGET: Target = Target::Placement;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            PlacementAction::Terminate => &[Guardian],
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            PlacementAction::Terminate => AccessAction::TerminateChildcarePlace,
        }
    }
}

impl PolicyAction for LessonAction {
    type Id = LessonId;
    const TARGET: Target = Target::Lesson;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            LessonAction::RecordChange | LessonAction::TakeAttendance => &[TeacherOfGroup, Mentor],
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            LessonAction::RecordChange => AccessAction::RecordLessonChange,
            LessonAction::TakeAttendance => AccessAction::TakeAttendance,
        }
    }
}

impl PolicyAction for AbsenceReportAction {
    type Id = AbsenceReportId;
    const TARGET: Target = Target::AbsenceReport;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        // As reporting: any adult who cares for the child, whoever made the report.
        &[Guardian, OtherResponsibleAdult]
    }

    fn log_name(self) -> AccessAction {
        match self {
            AbsenceReportAction::Change => AccessAction::ChangeAbsenceReport,
            AbsenceReportAction::Withdraw => AccessAction::WithdrawAbsenceReport,
        }
    }
}

impl PolicyAction for LeaveAction {
    type Id = LeaveApplicationId;
    const TARGET: Target = Target::LeaveApplication;

    fn all() -> &'static [Self] {
        Self::ALL
    }

    fn rules(self) -> &'static [Rule] {
        match self {
            LeaveAction::Agree | LeaveAction::Withdraw => &[Guardian],
            LeaveAction::Decide => &[Mentor, Principal],
        }
    }

    fn log_name(self) -> AccessAction {
        match self {
            LeaveAction::Agree => AccessAction::AgreeToLeave,
            LeaveAction::Withdraw => AccessAction::WithdrawLeave,
            LeaveAction::Decide => AccessAction::DecideLeave,
        }
    }
}

/// Every log name of every action, for the catalogues' test and the register extract.
pub fn all_log_names() -> Vec<AccessAction> {
    fn names<A: PolicyAction>() -> impl Iterator<Item = AccessAction> {
        A::all().iter().map(|a| a.log_name())
    }
    names::<GlobalAction>()
        .chain(names::<PersonAction>())
        .chain(names::<UnitAction>())
        .chain(names::<DocumentAction>())
        .chain(names::<ApplicationAction>())
        .chain(names::<OfferAction>())
        .chain(names::<PlacementAction>())
        .chain(names::<LessonAction>())
        .chain(names::<GroupAction>())
        .chain(names::<AbsenceReportAction>())
        .chain(names::<LeaveAction>())
        .collect()
}

/// A subquery with one column, `target`: every target `action` is permitted on for the actor
/// (`$1`) on day `$2`, within the actor's municipality (`$3`), through the rules a session of
/// `strength` meets.
fn permitted_targets_sql<A: PolicyAction>(action: A, strength: LoginStrength) -> String {
    targets_through::<A>(
        action
            .rules()
            .iter()
            .copied()
            .filter(|rule| action.required_strength(*rule) <= strength),
    )
}

fn targets_through<A: PolicyAction>(rules: impl Iterator<Item = Rule>) -> String {
    let union = rules
        .filter_map(|rule| A::TARGET.rule_sql(rule))
        .collect::<Vec<_>>()
        .join(" UNION ");
    // No rule: a subquery of the right type that finds nothing.
    let union = if union.is_empty() {
        "SELECT id AS target FROM person WHERE 1 = 0".to_owned()
    } else {
        union
    };
    format!(
        "(SELECT s.target FROM ({union}) s {})",
        A::TARGET.scope_sql()
    )
}

tokio::task_local! {
    /// How many times the request being served asked the policy (see `counting_decisions`).
    static DECISIONS: std::cell::Cell<u32>;
}

/// Runs `request` counting the policy's decisions made while serving it; the system tests use
/// the count to find an operation that takes an id and never asks the policy.
pub async fn counting_decisions<F: std::future::Future>(request: F) -> (F::Output, u32) {
    DECISIONS
        .scope(std::cell::Cell::new(0), async {
            let output = request.await;
            let decisions = DECISIONS.try_with(|d| d.get()).unwrap_or(0);
            (output, decisions)
        })
        .await
}

fn count_decision() {
    // Outside a request (a job, a unit test) nothing counts.
    let _ = DECISIONS.try_with(|d| d.set(d.get().saturating_add(1)));
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// Not permitted, or no such thing: the same to the caller.
    #[error("not found")]
    NotFound,
    /// Permitted through a rule that needs a stronger login than this session's.
    #[error("a stronger login is needed: {required:?}")]
    StepUpRequired { required: LoginStrength },
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Proof that the policy said yes for this actor, action and target. Only this module makes
/// one: its fields are private, so a handler cannot write itself a permit.
#[derive(Clone, Debug)]
pub struct Permit<A: PolicyAction> {
    action: A,
    target: A::Id,
    actor: SessionUser,
    /// Whether what is read under the permit goes to the access log: not when the family's own
    /// relation granted it, even for an action staff can take too.
    logged: bool,
}

impl<A: PolicyAction> Permit<A> {
    pub fn action(&self) -> A {
        self.action
    }

    /// Whether the family's own relation granted it (the person, a responsible adult): what
    /// staff see of a record may be less than the family does.
    pub fn by_family(&self) -> bool {
        !self.logged
    }

    pub fn target(&self) -> A::Id {
        self.target
    }

    pub fn actor(&self) -> &SessionUser {
        &self.actor
    }

    /// For a permit on a whole (the municipality's queue, a unit's day sheet, a group's list):
    /// writes to the access log that the read under it showed these persons, unless the
    /// family's own relation granted it.
    pub async fn record_shown(
        &self,
        db: &impl ConnectionTrait,
        persons: impl IntoIterator<Item = Uuid>,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        if !self.logged {
            return Ok(());
        }
        record(db, &self.actor, self.action, persons, now).await
    }
}

/// Proof that the policy let this actor list `action`'s targets; the list is filtered by
/// `filter_sql`, and says whom it showed through `record_shown`.
#[derive(Clone, Debug)]
pub struct ListPermit<A: PolicyAction> {
    action: A,
    actor: SessionUser,
    today: NaiveDate,
}

impl<A: PolicyAction> ListPermit<A> {
    pub fn action(&self) -> A {
        self.action
    }

    pub fn actor(&self) -> &SessionUser {
        &self.actor
    }

    /// A subquery (one column, `target`) of every target the list may show: the rules this
    /// session meets, as a filter, with parameters `$1`–`$3` bound by `filter_values`.
    pub fn filter_sql(&self) -> String {
        permitted_targets_sql(self.action, self.actor.login_strength)
    }

    /// The values of `$1`–`$3` in `filter_sql`.
    pub fn filter_values(&self) -> Vec<sea_orm::Value> {
        actor_values(&self.actor, self.today)
    }

    /// Every target the list may show.
    pub async fn targets(&self, db: &impl ConnectionTrait) -> Result<Vec<Uuid>, DbErr> {
        let backend = db.get_database_backend();
        let sql = format!("SELECT s.target FROM {} s", self.filter_sql());
        Ok(Row::find_by_statement(Statement::from_sql_and_values(
            backend,
            numbered_params(backend, &sql),
            self.filter_values(),
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.target)
        .collect())
    }

    /// Writes to the access log that the list showed these persons.
    pub async fn record_shown(
        &self,
        db: &impl ConnectionTrait,
        persons: impl IntoIterator<Item = Uuid>,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        record(db, &self.actor, self.action, persons, now).await
    }
}

impl Permit<PersonAction> {
    pub fn subject(&self) -> Uuid {
        self.target.0
    }
}

/// Appends to the access log (GDPR, docs/rules.md rule 7) that `user` did `action` to each of
/// `persons`. Own data, and actions only the family can take, are not logged. The log is
/// append-only: nothing in the code updates or deletes it, and the database refuses to.
async fn record<A: PolicyAction>(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    action: A,
    persons: impl IntoIterator<Item = Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if !action.is_logged() {
        return Ok(());
    }
    let subjects: Vec<Uuid> = persons
        .into_iter()
        .filter(|s| *s != user.person_id)
        .collect();
    if subjects.is_empty() {
        return Ok(());
    }
    // The log names pseudonyms, never person ids: forgetting a person deletes the key that
    // links theirs back (`population::forget`).
    let mut people = subjects.clone();
    people.push(user.person_id);
    let pseudonyms = crate::population::keys::pseudonyms(db, &people, now).await?;
    let pseudonym = |p: Uuid| {
        pseudonyms
            .get(&p)
            .copied()
            .ok_or_else(|| DbErr::Custom("no pseudonym for an access-log person".to_owned()))
    };
    let actor = pseudonym(user.person_id)?;
    let rows: Vec<access_log::ActiveModel> = subjects
        .into_iter()
        .map(|subject| {
            Ok(access_log::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(user.municipality_id),
                occurred_at: Set(now),
                actor_pseudonym: Set(actor),
                subject_pseudonym: Set(pseudonym(subject)?),
                action: Set(action.log_name()),
                session_id: Set(Some(user.session_id.clone())),
            })
        })
        .collect::<Result<_, DbErr>>()?;
    for chunk in rows.chunks(1000) {
        access_log::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

#[derive(FromQueryResult)]
struct Row {
    target: Uuid,
}

#[derive(FromQueryResult)]
struct AskRow {
    action: i32,
    ask: i32,
    target: Uuid,
}

#[derive(FromQueryResult)]
struct ActionRow {
    action: i32,
    target: Uuid,
}

#[derive(FromQueryResult)]
struct PersonRow {
    person: Uuid,
}

fn actor_values(user: &SessionUser, today: NaiveDate) -> Vec<sea_orm::Value> {
    vec![
        user.person_id.into(),
        today.into(),
        user.municipality_id.into(),
    ]
}

/// Whether `targets` (a subquery from `targets_through`) finds `target`, or anything when
/// `target` is `None`.
async fn finds(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    targets: &str,
    target: Option<Uuid>,
    today: NaiveDate,
) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let mut values = actor_values(user, today);
    let sql = match target {
        Some(target) => {
            values.push(target.into());
            format!("SELECT p.target FROM {targets} p WHERE p.target = $4")
        }
        None => format!("SELECT p.target FROM {targets} p LIMIT 1"),
    };
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        values,
    ))
    .one(db)
    .await?
    .is_some())
}

/// The strengths above `held` that some rule of `action` needs, weakest first, each with its
/// rules.
fn stronger_rules<A: PolicyAction>(
    action: A,
    held: LoginStrength,
) -> Vec<(LoginStrength, Vec<Rule>)> {
    let mut levels: Vec<(LoginStrength, Vec<Rule>)> = Vec::new();
    for rule in action.rules() {
        let needed = action.required_strength(*rule);
        if needed <= held {
            continue;
        }
        match levels.iter_mut().find(|(level, _)| *level == needed) {
            Some((_, rules)) => rules.push(*rule),
            None => levels.push((needed, vec![*rule])),
        }
    }
    levels.sort_by_key(|(level, _)| *level);
    levels
}

/// May `user` do `action` to `target` now? On yes, the read is written to the access log for
/// the persons whose data the target is.
pub async fn authorize<A: PolicyAction>(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    action: A,
    target: A::Id,
    now: DateTime<Utc>,
) -> Result<Permit<A>, PolicyError> {
    count_decision();
    let today = day_of(now);
    let id: Uuid = target.into();
    let held = user.login_strength;
    // An action staff and the family can both take is asked first through the family's rules:
    // the family's own reads are not logged, and they are most of the requests, so they cost one
    // query; staff's cost two.
    let family_rules = || {
        action
            .rules()
            .iter()
            .copied()
            .filter(|rule| rule.is_family() && action.required_strength(*rule) <= held)
    };
    if action.is_logged()
        && family_rules().next().is_some()
        && finds(
            db,
            user,
            &targets_through::<A>(family_rules()),
            Some(id),
            today,
        )
        .await?
    {
        return Ok(Permit {
            action,
            target,
            actor: user.clone(),
            logged: false,
        });
    }
    if finds(
        db,
        user,
        &permitted_targets_sql(action, held),
        Some(id),
        today,
    )
    .await?
    {
        if action.is_logged() {
            let persons = persons_of::<A>(db, id).await?;
            record(db, user, action, persons, now).await?;
        }
        return Ok(Permit {
            action,
            target,
            actor: user.clone(),
            logged: action.is_logged(),
        });
    }
    // Only when the answer is no: would a stronger login have made it yes?
    for (required, rules) in stronger_rules(action, held) {
        let targets = targets_through::<A>(rules.into_iter());
        if finds(db, user, &targets, Some(id), today).await? {
            return Err(PolicyError::StepUpRequired { required });
        }
    }
    Err(PolicyError::NotFound)
}

/// May the tablet `device`, with `staff` signed in on it (`childcare::kiosk::signed_in_staff`),
/// do `action` on `unit`'s day? A paired tablet is an actor of its own: it reaches its own
/// unit and nothing else (no other operation takes its cookie), and only while it is paired
/// and one of the unit's staff is signed in on it; what it shows is logged as that staff
/// member's read.
pub async fn authorize_kiosk(
    db: &impl ConnectionTrait,
    device: &crate::entity::kiosk_device::Model,
    staff: &SessionUser,
    action: UnitAction,
    unit: UnitId,
    now: DateTime<Utc>,
) -> Result<Permit<UnitAction>, PolicyError> {
    let kiosk_actions = [
        UnitAction::ReadChildcareDaySheet,
        UnitAction::CheckChildrenInAndOut,
    ];
    if device.unpaired_at.is_some()
        || device.unit_id != unit.0
        || device.municipality_id != staff.municipality_id
        || !kiosk_actions.contains(&action)
    {
        return Err(PolicyError::NotFound);
    }
    authorize(db, staff, action, unit, now).await
}

/// May `user` do a global action in their municipality now?
pub async fn authorize_global(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    action: GlobalAction,
    now: DateTime<Utc>,
) -> Result<Permit<GlobalAction>, PolicyError> {
    authorize(db, user, action, MunicipalityId(user.municipality_id), now).await
}

async fn persons_of<A: PolicyAction>(
    db: &impl ConnectionTrait,
    target: Uuid,
) -> Result<Vec<Uuid>, DbErr> {
    let Some(persons) = A::TARGET.persons_sql() else {
        return Ok(Vec::new());
    };
    if A::TARGET == Target::Person {
        return Ok(vec![target]);
    }
    let backend = db.get_database_backend();
    let sql = format!("SELECT t.person FROM ({persons}) t WHERE t.target = $1");
    Ok(PersonRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        [target.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| r.person)
    .collect())
}

/// May `user` list `action`'s targets with this session? Refuses with `StepUpRequired` when a
/// rule the session is too weak for would add something to the list; the list itself is
/// filtered by the permit's `filter_sql`, with the session's strength.
pub async fn authorize_list<A: PolicyAction>(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    action: A,
    now: DateTime<Utc>,
) -> Result<ListPermit<A>, PolicyError> {
    count_decision();
    let today = day_of(now);
    for (required, rules) in stronger_rules(action, user.login_strength) {
        if finds(
            db,
            user,
            &targets_through::<A>(rules.into_iter()),
            None,
            today,
        )
        .await?
        {
            return Err(PolicyError::StepUpRequired { required });
        }
    }
    Ok(ListPermit {
        action,
        actor: user.clone(),
        today,
    })
}

/// What `user` may do with each of `targets` today, by every action of the kind, in one query
/// (eVaka's `getPermittedActions`). Targets the user may do nothing with map to an empty list.
/// Each rule that allows any of the actions at the session's login strength is asked once, for
/// the targets only, and the actions follow from the rules here: many actions share a rule
/// (a guardian's), and asking it per action made "Mina barn" evaluate it a dozen times.
pub async fn permitted_actions<A: PolicyAction>(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    targets: &[Uuid],
    today: NaiveDate,
) -> Result<HashMap<Uuid, Vec<A>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<A>> = targets.iter().map(|t| (*t, Vec::new())).collect();
    if targets.is_empty() {
        return Ok(out);
    }
    let rules = rules_asked::<A>(user.login_strength);
    if rules.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let mut values = actor_values(user, today);
    let asked = db::in_set(backend, "s.target", &mut values, targets.iter().copied());
    let per_rule: Vec<String> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| {
            let sql = A::TARGET.rule_sql(*rule)?;
            Some(format!(
                "SELECT {i} AS action, s.target FROM ({sql}) s {} WHERE {asked}",
                A::TARGET.scope_sql(),
            ))
        })
        .collect();
    let sql = per_rule.join(" UNION ALL ");
    let rows = ActionRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        values,
    ))
    .all(db)
    .await?;
    let mut held: HashMap<Uuid, Vec<Rule>> = HashMap::new();
    for row in rows {
        if let Some(rule) = usize::try_from(row.action).ok().and_then(|i| rules.get(i)) {
            held.entry(row.target).or_default().push(*rule);
        }
    }
    for (target, actions) in &mut out {
        if let Some(rules) = held.get(target) {
            *actions = actions_given(user, rules);
        }
    }
    Ok(out)
}

/// The rules worth asking the database about for actions of kind `A` at login `strength`: each
/// once, those that allow some action at that strength and mean something for the target kind.
fn rules_asked<A: PolicyAction>(strength: LoginStrength) -> Vec<Rule> {
    let mut rules: Vec<Rule> = A::all()
        .iter()
        .flat_map(|action| {
            action
                .rules()
                .iter()
                .copied()
                .filter(move |rule| action.required_strength(*rule) <= strength)
        })
        .filter(|rule| A::TARGET.rule_sql(*rule).is_some())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

/// Whether `rule` lets `user` take `action` at the login strength of the session.
fn allows<A: PolicyAction>(user: &SessionUser, action: A, rule: Rule) -> bool {
    action.rules().contains(&rule) && action.required_strength(rule) <= user.login_strength
}

/// The actions that the rules `user` holds to a target give them, in order.
fn actions_given<A: PolicyAction>(user: &SessionUser, held: &[Rule]) -> Vec<A> {
    let mut actions: Vec<A> = A::all()
        .iter()
        .copied()
        .filter(|action| held.iter().any(|rule| allows(user, *action, *rule)))
        .collect();
    actions.sort();
    actions.dedup();
    actions
}

/// [`permitted_actions`] for several sessions at once: the answers in the order of `asks`, each
/// as if asked alone. A batch of start pages asks for all its families in one statement instead
/// of one per family.
///
/// On PostgreSQL the statement has one text for any batch of the same strongest login: the asks
/// are arrays, and each rule is joined laterally to each ask with the ask's person and
/// municipality in place of `$1` and `$3`. The rules asked are those the strongest login in the
/// batch allows; which of them count for whom is decided afterwards, by the same test as for one
/// session. SQLite asks one session at a time.
pub async fn permitted_actions_of_many<A: PolicyAction>(
    db: &impl ConnectionTrait,
    asks: &[(&SessionUser, &[Uuid])],
    today: NaiveDate,
) -> Result<Vec<HashMap<Uuid, Vec<A>>>, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        let mut out = Vec::with_capacity(asks.len());
        for (user, targets) in asks {
            out.push(permitted_actions(db, user, targets, today).await?);
        }
        return Ok(out);
    }
    let mut answers: Vec<HashMap<Uuid, Vec<A>>> = asks
        .iter()
        .map(|(_, targets)| targets.iter().map(|t| (*t, Vec::new())).collect())
        .collect();
    let Some(strongest) = asks.iter().map(|(user, _)| user.login_strength).max() else {
        return Ok(answers);
    };
    let rules = rules_asked::<A>(strongest);
    let (mut numbers, mut persons, mut municipalities, mut targets) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (n, (user, asked)) in asks.iter().enumerate() {
        let n = i32::try_from(n).map_err(|_| DbErr::Custom("too many asks in a batch".into()))?;
        for target in *asked {
            numbers.push(n);
            persons.push(user.person_id);
            municipalities.push(user.municipality_id);
            targets.push(*target);
        }
    }
    if targets.is_empty() || rules.is_empty() {
        return Ok(answers);
    }
    let per_rule: Vec<String> = rules
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| {
            let sql = A::TARGET.rule_sql(*rule)?;
            Some(format!(
                "SELECT {i} AS action, a.ask, s.target FROM asked a CROSS JOIN LATERAL ({}) s {} \
                 WHERE s.target = a.target",
                for_each_ask(&sql),
                for_each_ask(&A::TARGET.scope_sql()),
            ))
        })
        .collect();
    let sql = format!(
        "WITH asked AS (SELECT * FROM unnest($2::int[], $3::uuid[], $4::uuid[], $5::uuid[]) \
         AS a(ask, person, municipality, target)) {}",
        per_rule.join(" UNION ALL ")
    );
    let values: Vec<sea_orm::Value> = vec![
        today.into(),
        numbers.into(),
        persons.into(),
        municipalities.into(),
        targets.into(),
    ];
    let rows = AskRow::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .all(db)
    .await?;
    let mut held: HashMap<(usize, Uuid), Vec<Rule>> = HashMap::new();
    for row in rows {
        let ask = usize::try_from(row.ask).ok();
        let rule = usize::try_from(row.action).ok().and_then(|i| rules.get(i));
        if let (Some(ask), Some(rule)) = (ask, rule) {
            held.entry((ask, row.target)).or_default().push(*rule);
        }
    }
    for (ask, answer) in answers.iter_mut().enumerate() {
        let Some((user, _)) = asks.get(ask) else {
            continue;
        };
        for (target, actions) in answer.iter_mut() {
            if let Some(rules) = held.get(&(ask, *target)) {
                *actions = actions_given(user, rules);
            }
        }
    }
    Ok(answers)
}

/// A rule's or scope's SQL for [`permitted_actions_of_many`]: the actor (`$1`) and municipality
/// (`$3`) become the ask's columns, and the day (`$2`) the statement's first parameter.
fn for_each_ask(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 32);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.next_if(char::is_ascii_digit) {
            digits.push(d);
        }
        match digits.as_str() {
            "1" => out.push_str("a.person"),
            "2" => out.push_str("$1"),
            "3" => out.push_str("a.municipality"),
            // The rules take no other parameters; one that did would fail loudly as SQL.
            other => {
                out.push('$');
                out.push_str(other);
            }
        }
    }
    out
}

/// The permission table of one kind of target as text, one action a line: `action: rule, rule`,
/// each rule followed by the login strength it needs when that is more than a password.
pub fn table<A: PolicyAction>() -> String {
    A::all()
        .iter()
        .map(|a| {
            let rules: Vec<String> = a
                .rules()
                .iter()
                .map(|r| match a.required_strength(*r) {
                    LoginStrength::Password => format!("{r:?}"),
                    stronger => format!("{r:?} [{stronger:?}]"),
                })
                .collect();
            format!("{a:?}: {}\n", rules.join(", "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_asked_for_many_takes_each_asks_person_and_municipality() {
        assert_eq!(
            for_each_ask("SELECT x FROM t WHERE t.a = $1 AND t.d <= $2 AND t.m = $3 AND t.b = $12"),
            "SELECT x FROM t WHERE t.a = a.person AND t.d <= $1 AND t.m = a.municipality AND t.b = $12"
        );
        // Every rule and scope of every kind of target uses no parameters but those three.
        fn sqls_of<A: PolicyAction>() -> Vec<String> {
            A::all()
                .iter()
                .flat_map(|action| action.rules().iter())
                .filter_map(|rule| A::TARGET.rule_sql(*rule))
                .chain([A::TARGET.scope_sql()])
                .collect()
        }
        let sqls = [
            sqls_of::<GlobalAction>(),
            sqls_of::<PersonAction>(),
            sqls_of::<UnitAction>(),
            sqls_of::<GroupAction>(),
            sqls_of::<DocumentAction>(),
            sqls_of::<ApplicationAction>(),
            sqls_of::<OfferAction>(),
            sqls_of::<PlacementAction>(),
            sqls_of::<LessonAction>(),
            sqls_of::<AbsenceReportAction>(),
        ];
        for sql in sqls.iter().flatten() {
            let asked = for_each_ask(sql);
            let left: Vec<&str> = asked.match_indices('$').map(|(i, _)| &asked[i..]).collect();
            assert!(
                left.iter().all(|rest| rest.starts_with("$1")
                    && !rest[2..].starts_with(|c: char| c.is_ascii_digit())),
                "{asked}"
            );
        }
    }

    /// A changed permission must be a visible, reviewed change of a golden file.
    #[test]
    fn the_permission_tables_match_the_golden_files() {
        let tables = [
            (
                table::<GlobalAction>(),
                include_str!("../../tests/golden/permissions/global.txt"),
            ),
            (
                table::<PersonAction>(),
                include_str!("../../tests/golden/permissions/person.txt"),
            ),
            (
                table::<UnitAction>(),
                include_str!("../../tests/golden/permissions/unit.txt"),
            ),
            (
                table::<DocumentAction>(),
                include_str!("../../tests/golden/permissions/document.txt"),
            ),
            (
                table::<ApplicationAction>(),
                include_str!("../../tests/golden/permissions/application.txt"),
            ),
            (
                table::<OfferAction>(),
                include_str!("../../tests/golden/permissions/offer.txt"),
            ),
            (
                table::<PlacementAction>(),
                include_str!("../../tests/golden/permissions/placement.txt"),
            ),
            (
                table::<LessonAction>(),
                include_str!("../../tests/golden/permissions/lesson.txt"),
            ),
            (
                table::<GroupAction>(),
                include_str!("../../tests/golden/permissions/group.txt"),
            ),
            (
                table::<AbsenceReportAction>(),
                include_str!("../../tests/golden/permissions/absence_report.txt"),
            ),
            (
                table::<LeaveAction>(),
                include_str!("../../tests/golden/permissions/leave.txt"),
            ),
        ];
        for (table, golden) in tables {
            assert_eq!(
                table, golden,
                "update tests/golden/permissions/ if this change is intended"
            );
        }
    }

    fn every_rule_means_something<A: PolicyAction>() {
        for action in A::all() {
            assert!(!action.rules().is_empty(), "{action:?}");
            for rule in action.rules() {
                assert!(
                    A::TARGET.rule_sql(*rule).is_some(),
                    "{action:?}: {rule:?} means nothing for a {:?}",
                    A::TARGET
                );
            }
        }
    }

    /// A rule that has no SQL for its kind of target would silently allow nobody.
    #[test]
    fn every_rule_of_every_action_has_a_query_for_its_target() {
        every_rule_means_something::<GlobalAction>();
        every_rule_means_something::<PersonAction>();
        every_rule_means_something::<UnitAction>();
        every_rule_means_something::<DocumentAction>();
        every_rule_means_something::<ApplicationAction>();
        every_rule_means_something::<OfferAction>();
        every_rule_means_something::<PlacementAction>();
        every_rule_means_something::<LessonAction>();
        every_rule_means_something::<GroupAction>();
        every_rule_means_something::<AbsenceReportAction>();
        every_rule_means_something::<LeaveAction>();
    }

    #[test]
    fn what_staff_or_officers_can_do_is_logged_what_only_family_can_do_is_not() {
        assert!(PersonAction::ReadPupilCard.is_logged());
        assert!(PersonAction::ReadChildcareSchedule.is_logged());
        assert!(GlobalAction::HandleChildcareQueue.is_logged());
        assert!(DocumentAction::ReadReceived.is_logged());
        assert!(!PersonAction::ListOwnChildren.is_logged());
        assert!(!PersonAction::ReadRegisterExtract.is_logged());
        assert!(!PersonAction::EditChildcareSchedule.is_logged());
        assert!(!DocumentAction::Sign.is_logged());
    }

    /// The register extract shows each access-log line by its action's translated name; an
    /// action without one showed its raw code (`read_pickup_persons`) to the family.
    #[test]
    fn every_action_has_a_name_in_every_catalogue() {
        for (language, catalogue) in [
            ("sv", include_str!("../../frontend/i18n/sv.json")),
            ("en", include_str!("../../frontend/i18n/en.json")),
            ("fi", include_str!("../../frontend/i18n/fi.json")),
            ("ar", include_str!("../../frontend/i18n/ar.json")),
            ("so", include_str!("../../frontend/i18n/so.json")),
            ("uk", include_str!("../../frontend/i18n/uk.json")),
        ] {
            let texts: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(catalogue).expect("the catalogue is JSON");
            let names = all_log_names();
            for name in &names {
                let key = format!("action.{}", name.code());
                assert!(
                    texts
                        .get(&key)
                        .and_then(|v| v.as_str())
                        .is_some_and(|t| !t.is_empty()),
                    "{language}: no text for {key}"
                );
            }
        }
    }

    #[test]
    fn officials_need_a_second_factor_the_family_a_password_and_signing_bankid() {
        use LoginStrength::*;
        assert_eq!(
            PersonAction::ReadPupilCard.required_strength(Guardian),
            Password
        );
        assert_eq!(PersonAction::ReadPupilCard.required_strength(Own), Password);
        assert_eq!(
            PersonAction::ReadPupilCard.required_strength(Mentor),
            PasswordAndTotp
        );
        assert_eq!(PersonAction::ListPupils.weakest_strength(), PasswordAndTotp);
        assert_eq!(
            UnitAction::ReadChildcareDaySheet.required_strength(StaffOfUnit),
            PasswordAndTotp
        );
        assert_eq!(
            GlobalAction::HandleChildcareQueue.weakest_strength(),
            PasswordAndTotp
        );
        assert_eq!(DocumentAction::Sign.weakest_strength(), Bankid);
        assert_eq!(DocumentAction::Read.weakest_strength(), Password);
        assert!(Password < PasswordAndTotp && PasswordAndTotp < Bankid);
    }

    #[test]
    fn log_names_are_unique_except_where_two_actions_are_one_read() {
        let mut names: Vec<&str> = all_log_names().iter().map(|n| n.code()).collect();
        names.sort();
        let before = names.len();
        names.dedup();
        // GlobalAction::ReadReceivedDocuments and DocumentAction::ReadReceived are the list and
        // the single read of the same thing, and share a name in the extract.
        assert_eq!(before - names.len(), 1);
        // And every stored name is some action's.
        assert_eq!(names.len(), AccessAction::ALL.len());
    }
}
