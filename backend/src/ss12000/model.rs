//! The SS 12000 v2.1 resources the portal mirrors, as the standard's JSON spells them.
//!
//! Only the fields the portal uses are here; the rest of a record (and anything a later version
//! adds) is ignored, so that a richer source does not break the sync. Fields the specification
//! lists as required are plain fields, the others `Option` or an empty list when absent.
//!
//! Every code list is a Rust enum with an `Unknown` variant: the standard's lists grow between
//! versions and vendors add their own values, and one value we do not know must not fail a page of
//! a thousand persons. What `Unknown` means is for the caller to decide; for `securityMarking`
//! it means "protected" (`crate::population::admission`). (Written back, it is "Unknown": the
//! records read serialise for tests and snapshots, not to send to the source. What the portal
//! sends is the last section, `AbsenceRecord` and `AttendanceRecord`, which are built from the
//! portal's rows and never hold an `Unknown`.)
//!
//! Personal data never reaches a log through `{:?}`: `Debug` of persons, their contact details
//! and references to them shows ids only.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// When the source created and last changed a record. `modified` is what incremental sync
/// filters on (`meta.modified.after`); by the standard it does not move when only expanded data
/// (`expand`, `expandReferenceNames`) changed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// One page of a list (`Organisations`, `PersonsExpanded`, `Placements`, `Duties`,
/// `GroupsExpanded` in the specification). A `page_token` is the server's opaque cursor to the
/// next page; `None` (JSON `null`, or absent) means the list is complete.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub page_token: Option<String>,
}

/// A reference to an organisation, school unit, group or programme (`ObjectReference`).
/// `display_name` comes only when asked for with `expandReferenceNames`, which the portal does
/// only for calendar events (their rooms are not a list it reads); it has the other names from
/// the records themselves.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

// A group's or unit's name is no secret, but `ObjectRef` is used for any kind of object.
impl fmt::Debug for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectRef")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A reference to a person (`PersonReference`): besides the id it may carry the person's
/// security marking, so that a link to a protected person can be dropped without reading them.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonRef {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_marking: Option<SecurityMarking>,
}

impl fmt::Debug for PersonRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonRef")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Organisation

/// A unit of the school organisation: the organiser (huvudman), a school, a school unit, a
/// preschool, and levels between.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub id: Uuid,
    pub meta: Meta,
    pub display_name: String,
    pub organisation_type: OrganisationType,
    #[serde(default)]
    pub organisation_code: Option<String>,
    /// Never a school unit, by the standard.
    #[serde(default)]
    pub parent_organisation: Option<ObjectRef>,
    /// Skolverket's code; only for the school types Skolverket gives codes to.
    #[serde(default)]
    pub school_unit_code: Option<String>,
    /// Only for school units.
    #[serde(default)]
    pub school_types: Vec<SchoolType>,
    #[serde(default)]
    pub municipality_code: Option<String>,
    #[serde(default)]
    pub address: Option<OrganisationAddress>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Inclusive.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

/// `Code_OrganisationType`. "Stadsdel", named as deprecated in the description, is no longer in
/// the list and reads as `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum OrganisationType {
    /// Huvudman: the organiser responsible for the schools (a municipality, a company).
    #[serde(rename = "Huvudman")]
    Organiser,
    #[serde(rename = "Verksamhetsområde")]
    OperationalArea,
    #[serde(rename = "Förvaltning")]
    Administration,
    #[serde(rename = "Rektorsområde")]
    PrincipalArea,
    #[serde(rename = "Skola")]
    School,
    /// Skolenhet: the unit Skolverket registers, with a principal; what the portal calls a unit.
    #[serde(rename = "Skolenhet")]
    SchoolUnit,
    #[serde(rename = "Varumärke")]
    Brand,
    #[serde(rename = "Bolag")]
    Company,
    #[serde(rename = "Övrigt")]
    Other,
    #[serde(other)]
    Unknown,
}

/// An organisation's address (`Organisation_address`): public, unlike a person's.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationAddress {
    #[serde(rename = "type", default)]
    pub kind: Option<OrganisationAddressType>,
    pub street_address: String,
    pub postal_code: String,
    pub locality: String,
}

/// `Code_OrganisationAddressType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum OrganisationAddressType {
    #[serde(rename = "Besöksadress")]
    Visiting,
    #[serde(rename = "Leveransadress")]
    Delivery,
    #[serde(rename = "Postadress")]
    Postal,
    #[serde(rename = "Fakturaadress")]
    Invoice,
    #[serde(other)]
    Unknown,
}

/// `Code_SchoolType` (skolform). The variants are the standard's codes, which is what people in
/// Swedish schools call them; the comments say what each is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum SchoolType {
    /// Förskola, preschool.
    #[serde(rename = "FS")]
    Fs,
    /// Förskoleklass, the year before year 1.
    #[serde(rename = "FKLASS")]
    Fklass,
    /// Fritidshem, after-school care.
    #[serde(rename = "FTH")]
    Fth,
    /// Öppen fritidsverksamhet.
    #[serde(rename = "OPPFTH")]
    Oppfth,
    /// Grundskola, compulsory school.
    #[serde(rename = "GR")]
    Gr,
    /// Grundsärskola (anpassad grundskola).
    #[serde(rename = "GRS")]
    Grs,
    /// Träningsskolan.
    #[serde(rename = "TR")]
    Tr,
    /// Specialskola.
    #[serde(rename = "SP")]
    Sp,
    /// Sameskola.
    #[serde(rename = "SAM")]
    Sam,
    /// Gymnasieskola, upper secondary.
    #[serde(rename = "GY")]
    Gy,
    /// Gymnasiesärskola.
    #[serde(rename = "GYS")]
    Gys,
    #[serde(rename = "VUX")]
    Vux,
    #[serde(rename = "VUXSFI")]
    Vuxsfi,
    #[serde(rename = "VUXGR")]
    Vuxgr,
    #[serde(rename = "VUXGY")]
    Vuxgy,
    #[serde(rename = "VUXSARGR")]
    Vuxsargr,
    #[serde(rename = "VUXSARTR")]
    Vuxsartr,
    #[serde(rename = "VUXSARGY")]
    Vuxsargy,
    #[serde(rename = "SFI")]
    Sfi,
    #[serde(rename = "SARVUX")]
    Sarvux,
    #[serde(rename = "SARVUXGR")]
    Sarvuxgr,
    #[serde(rename = "SARVUXGY")]
    Sarvuxgy,
    /// Kulturskola.
    #[serde(rename = "KU")]
    Ku,
    #[serde(rename = "YH")]
    Yh,
    #[serde(rename = "FHS")]
    Fhs,
    #[serde(rename = "STF")]
    Stf,
    #[serde(rename = "KKU")]
    Kku,
    #[serde(rename = "HS")]
    Hs,
    #[serde(rename = "ABU")]
    Abu,
    #[serde(rename = "AU")]
    Au,
    #[serde(other)]
    Unknown,
}

// ---------------------------------------------------------------------------------------------
// Person

/// A child, pupil, guardian or member of staff. `Debug` shows the id only.
#[derive(Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: Uuid,
    pub meta: Meta,
    pub given_name: String,
    pub family_name: String,
    #[serde(default)]
    pub civic_no: Option<CivicNo>,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// As in the population register. Absent is not the same as `Ingen`: the admission rule
    /// decides what each means.
    #[serde(default)]
    pub security_marking: Option<SecurityMarking>,
    /// The standard's default when absent is "Aktiv".
    #[serde(default)]
    pub person_status: PersonStatus,
    #[serde(default)]
    pub emails: Vec<Email>,
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumber>,
    #[serde(default)]
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub enrolments: Vec<Enrolment>,
    /// The person's guardians and others officially responsible for them: the relation is
    /// carried by the child, so no `expand` is needed to read it.
    #[serde(default)]
    pub responsibles: Vec<Responsible>,
}

impl fmt::Debug for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Person")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A personnummer, samordningsnummer or the school's temporary number: 12 characters without a
/// separator, not validated here (`skolportal_shared::Personnummer::parse` does that on admission).
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CivicNo {
    pub value: String,
    /// ISO 3166-1 alpha-2; "SE" when absent, by the standard.
    #[serde(default = "sweden")]
    pub nationality: String,
}

fn sweden() -> String {
    "SE".to_owned()
}

impl fmt::Debug for CivicNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CivicNo(..)")
    }
}

/// `Code_SecurityMarking`. Anything but `Unmarked` keeps a person out of the portal, `Unknown`
/// included (`crate::population::admission`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum SecurityMarking {
    #[serde(rename = "Ingen")]
    Unmarked,
    #[serde(rename = "Sekretessmarkering")]
    Confidential,
    #[serde(rename = "Skyddad folkbokföring")]
    ProtectedRegistration,
    #[serde(other)]
    Unknown,
}

/// `Code_PersonStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
pub enum PersonStatus {
    #[default]
    #[serde(rename = "Aktiv")]
    Active,
    #[serde(rename = "Utvandrad")]
    Emigrated,
    #[serde(rename = "Avliden")]
    Deceased,
    #[serde(other)]
    Unknown,
}

#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Email {
    pub value: String,
    #[serde(rename = "type")]
    pub kind: EmailType,
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Email")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// `Code_EmailType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum EmailType {
    #[serde(rename = "Privat")]
    Private,
    #[serde(rename = "Skola elev")]
    SchoolPupil,
    #[serde(rename = "Skola personal")]
    SchoolStaff,
    #[serde(rename = "Arbete övrigt")]
    OtherWork,
    #[serde(other)]
    Unknown,
}

#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct PhoneNumber {
    pub value: String,
    #[serde(rename = "type")]
    pub kind: PhoneType,
    /// Required by the specification, with `true` as its default; read leniently.
    #[serde(default = "yes")]
    pub mobile: bool,
}

fn yes() -> bool {
    true
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhoneNumber")
            .field("kind", &self.kind)
            .field("mobile", &self.mobile)
            .finish_non_exhaustive()
    }
}

/// `Code_PhoneNumberType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum PhoneType {
    #[serde(rename = "Hem")]
    Home,
    #[serde(rename = "Arbete")]
    Work,
    #[serde(other)]
    Unknown,
}

/// A person's address (`Person_addresses_inner`).
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// "Folkbokföring" when absent, by the standard.
    #[serde(rename = "type", default)]
    pub kind: AddressType,
    pub street_address: String,
    pub postal_code: String,
    pub locality: String,
    pub country: String,
    #[serde(default)]
    pub municipality_code: Option<i32>,
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Address")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// `Code_AddressType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
pub enum AddressType {
    /// The address in the population register.
    #[default]
    #[serde(rename = "Folkbokföring")]
    Registered,
    #[serde(rename = "Särskild postadress")]
    SpecialPostal,
    #[serde(rename = "Tillfällig adress")]
    Temporary,
    #[serde(rename = "Postadress")]
    Postal,
    #[serde(other)]
    Unknown,
}

/// A pupil's enrolment at a school unit (`Enrolment`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrolment {
    /// A school unit.
    pub enroled_at: ObjectRef,
    pub school_type: SchoolType,
    pub start_date: NaiveDate,
    /// Inclusive.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Årskurs, 0 to 10.
    #[serde(default)]
    pub school_year: Option<i32>,
    /// Ended before it began; such an enrolment never counts.
    #[serde(default)]
    pub cancelled: bool,
    #[serde(default)]
    pub education_code: Option<String>,
    #[serde(default)]
    pub programme: Option<ObjectRef>,
}

/// One of a person's guardians or other responsible adults (`Person_responsibles_inner`). The
/// specification requires neither field; a responsible without a person is of no use to the
/// portal and is the caller's to drop.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Responsible {
    #[serde(default)]
    pub person: Option<PersonRef>,
    #[serde(default)]
    pub relation_type: Option<RelationType>,
}

/// `Code_RelationType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum RelationType {
    /// Vårdnadshavare, the legal guardian.
    #[serde(rename = "Vårdnadshavare")]
    Guardian,
    #[serde(rename = "Annan ansvarig")]
    OtherResponsible,
    /// God man, for a child without a guardian in Sweden.
    #[serde(rename = "God man")]
    Trustee,
    #[serde(rename = "Utsedd behörig")]
    Designated,
    #[serde(other)]
    Unknown,
}

// ---------------------------------------------------------------------------------------------
// Duty

/// A member of staff's duty at a unit: the role, and the groups they have a task in (mentor,
/// preschool teacher of a department), which the duty carries without `expand`.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Duty {
    pub id: Uuid,
    pub meta: Meta,
    /// Not required by the specification, though a duty without one is of little use.
    #[serde(default)]
    pub person: Option<PersonRef>,
    pub duty_at: ObjectRef,
    pub duty_role: DutyRole,
    /// Initials such as "NJN".
    #[serde(default)]
    pub signature: Option<String>,
    pub start_date: NaiveDate,
    /// Inclusive.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Spelt `assignmentRole` (singular) in the specification, though it is a list.
    #[serde(rename = "assignmentRole", default)]
    pub assignment_roles: Vec<AssignmentRole>,
}

// The signature is a person's initials.
impl fmt::Debug for Duty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Duty")
            .field("id", &self.id)
            .field("duty_at", &self.duty_at)
            .field("duty_role", &self.duty_role)
            .finish_non_exhaustive()
    }
}

/// `Code_DutyRole`. "Övrig pedagogisk personal" and "Förskolechef" are deprecated in 2.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum DutyRole {
    #[serde(rename = "Rektor")]
    Principal,
    #[serde(rename = "Lärare")]
    Teacher,
    #[serde(rename = "Förskollärare")]
    PreschoolTeacher,
    #[serde(rename = "Barnskötare")]
    ChildMinder,
    #[serde(rename = "Bibliotekarie")]
    Librarian,
    #[serde(rename = "Lärarassistent")]
    TeachingAssistant,
    #[serde(rename = "Fritidspedagog")]
    LeisureTimeTeacher,
    #[serde(rename = "Annan personal")]
    OtherStaff,
    #[serde(rename = "Studie- och yrkesvägledare")]
    CareerCounsellor,
    #[serde(rename = "Förstelärare")]
    LeadTeacher,
    #[serde(rename = "Kurator")]
    Counsellor,
    #[serde(rename = "Skolsköterska")]
    SchoolNurse,
    #[serde(rename = "Skolläkare")]
    SchoolDoctor,
    #[serde(rename = "Skolpsykolog")]
    SchoolPsychologist,
    #[serde(rename = "Speciallärare/specialpedagog")]
    SpecialNeedsTeacher,
    #[serde(rename = "Skoladministratör")]
    SchoolAdministrator,
    #[serde(rename = "Övrig arbetsledning")]
    OtherManagement,
    #[serde(rename = "Övrig pedagogisk personal")]
    OtherTeachingStaff,
    #[serde(rename = "Förskolechef")]
    PreschoolHead,
    #[serde(other)]
    Unknown,
}

/// A duty's task in a group (`Duty_assignmentRole_inner`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentRole {
    pub group: ObjectRef,
    pub assignment_role_type: AssignmentRoleType,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

/// `Code_AssignmentRole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum AssignmentRoleType {
    #[serde(rename = "Mentor")]
    Mentor,
    #[serde(rename = "Förskollärare")]
    PreschoolTeacher,
    #[serde(rename = "Barnskötare")]
    ChildMinder,
    #[serde(rename = "Fritidspedagog")]
    LeisureTimeTeacher,
    #[serde(rename = "Specialpedagog")]
    SpecialNeedsTeacher,
    #[serde(rename = "Elevhälsopersonal")]
    StudentHealth,
    #[serde(rename = "Pedagogisk ledare")]
    PedagogicalLeader,
    #[serde(rename = "Schemaläggare")]
    Scheduler,
    #[serde(rename = "Lärarassistent")]
    TeachingAssistant,
    #[serde(rename = "Administrativ personal")]
    Administrative,
    #[serde(other)]
    Unknown,
}

// ---------------------------------------------------------------------------------------------
// Placement

/// A child's place in preschool or fritidshem (`Placement`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    pub id: Uuid,
    pub meta: Meta,
    pub child: PersonRef,
    /// The adults who own the placement: they see and set the child's schedule.
    #[serde(default)]
    pub owners: Vec<PersonRef>,
    /// A school unit.
    pub placed_at: ObjectRef,
    /// The department (avdelning), if the child is placed in one.
    #[serde(default)]
    pub group: Option<ObjectRef>,
    /// FS, FTH or OPPFTH by the specification.
    pub school_type: SchoolType,
    pub start_date: NaiveDate,
    /// Inclusive.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// The most hours a week the guardians may schedule the child for.
    #[serde(default)]
    pub max_weekly_schedule_hours: Option<i32>,
}

// ---------------------------------------------------------------------------------------------
// Activity

/// What a schedule is made of: groups taught by teachers (`Activity`). The portal reads it for
/// who teaches which group: a teacher's link to a group is their duty among the activity's
/// `teachers`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: Uuid,
    pub meta: Meta,
    pub display_name: String,
    pub start_date: NaiveDate,
    /// Inclusive.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    pub groups: Vec<ObjectRef>,
    #[serde(default)]
    pub teachers: Vec<DutyAssignment>,
    pub organisation: ObjectRef,
}

/// A teacher's part in an activity (`DutyAssignment`), dated when it is not the activity's whole
/// span.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DutyAssignment {
    pub duty: ObjectRef,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

// ---------------------------------------------------------------------------------------------
// Group

/// A class, teaching group, mentor group or preschool department, with its members
/// (`Group`: `GroupFragment` and `Group_allOf`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: Uuid,
    pub meta: Meta,
    pub display_name: String,
    pub group_type: GroupType,
    #[serde(default)]
    pub school_type: Option<SchoolType>,
    pub organisation: ObjectRef,
    pub start_date: NaiveDate,
    /// Inclusive.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub group_memberships: Vec<GroupMembership>,
}

/// `Code_GroupType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum GroupType {
    #[serde(rename = "Undervisning")]
    Teaching,
    #[serde(rename = "Klass")]
    Class,
    #[serde(rename = "Mentor")]
    Mentor,
    #[serde(rename = "Provgrupp")]
    Exam,
    #[serde(rename = "Schema")]
    Schedule,
    /// Avdelning in a preschool or fritidshem.
    #[serde(rename = "Avdelning")]
    Department,
    #[serde(rename = "Personalgrupp")]
    Staff,
    #[serde(rename = "Övrigt")]
    Other,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMembership {
    pub person: PersonRef,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Inclusive.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

// ---------------------------------------------------------------------------------------------
// Syllabus, Grade

/// A subject or course (`Syllabus`): what a grade is in. The portal reads the subject's
/// designation (`MA`, `SV`), which is Skolverket's short code.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Syllabus {
    pub id: Uuid,
    pub meta: Meta,
    pub school_type: SchoolType,
    pub subject_name: String,
    /// Skolverket's full code such as `GRGRMAT01`, which names the curriculum as well.
    #[serde(default)]
    pub subject_code: Option<String>,
    /// The subject's short designation such as `MA` or `MLARA`.
    #[serde(default)]
    pub subject_designation: Option<String>,
    #[serde(default)]
    pub official: bool,
}

/// `Code_Semester`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Semester {
    /// Hösttermin.
    #[serde(rename = "HT")]
    Autumn,
    /// Vårtermin.
    #[serde(rename = "VT")]
    Spring,
    #[serde(other)]
    Unknown,
}

/// `Code_GradeCorrectionType`: a grade changed after it was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum GradeCorrectionType {
    /// Ändring (omprövning).
    #[serde(rename = "Ändring")]
    Change,
    /// Rättelse of an obvious error.
    #[serde(rename = "Rättelse")]
    Correction,
    #[serde(other)]
    Unknown,
}

/// A grade registered for a pupil in a subject or course (`Grade`).
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grade {
    pub id: Uuid,
    /// Not required for a grade by the specification (for every other record it is).
    #[serde(default)]
    pub meta: Option<Meta>,
    pub student: PersonRef,
    /// The school unit; the document's list of required fields calls it `schoolUnit`, its
    /// properties `organisation`, and both are read.
    #[serde(default, alias = "schoolUnit")]
    pub organisation: Option<ObjectRef>,
    #[serde(default)]
    pub registered_by: Option<PersonRef>,
    #[serde(default)]
    pub grading_teacher: Option<PersonRef>,
    pub registered_date: NaiveDate,
    /// `A`…`F`, or `-` where the pupil lacks a basis for a grade; other scales exist in other
    /// school types.
    pub grade_value: String,
    #[serde(default)]
    pub final_grade: bool,
    #[serde(default)]
    pub trial: bool,
    #[serde(default)]
    pub converted: bool,
    #[serde(default)]
    pub correction_type: Option<GradeCorrectionType>,
    #[serde(default)]
    pub semester: Option<Semester>,
    /// The calendar year of the semester.
    #[serde(default)]
    pub year: Option<i32>,
    pub syllabus: ObjectRef,
}

// A grade is personal data: ids only.
impl fmt::Debug for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grade")
            .field("id", &self.id)
            .field("syllabus", &self.syllabus)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// CalendarEvent

/// One lesson of an activity at one time (`CalendarEvent`). Its times carry their offset, the
/// school's local one as Swedish systems write them.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarEvent {
    pub id: Uuid,
    pub meta: Meta,
    pub activity: ObjectRef,
    pub start_time: DateTime<FixedOffset>,
    pub end_time: DateTime<FixedOffset>,
    #[serde(default)]
    pub cancelled: bool,
    /// Free text for the pupils ("Ta med gympakläder").
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub teacher_exceptions: Vec<TeacherException>,
    /// Asked for with `expandReferenceNames`, so that each has the room's name.
    #[serde(default)]
    pub rooms: Vec<ObjectRef>,
}

// The comment is free text.
impl fmt::Debug for CalendarEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CalendarEvent")
            .field("id", &self.id)
            .field("activity", &self.activity)
            .field("start_time", &self.start_time)
            .finish_non_exhaustive()
    }
}

/// A teacher who, at this one event, takes part although not the activity's teacher (a
/// substitute), or does not although they are (`TeacherException`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeacherException {
    pub duty: ObjectRef,
    pub participates: bool,
}

// ---------------------------------------------------------------------------------------------
// Deletions

/// One page of `/deletedEntities`. Unlike the other lists its `data` is one object with a list
/// of ids per kind of record, not a list of records.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedEntities {
    pub data: DeletedEntitiesData,
    #[serde(default)]
    pub page_token: Option<String>,
}

/// The ids the source deleted, for the kinds the portal mirrors (the other kinds, rooms,
/// attendances and so on, are ignored). Every list is optional in the specification.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedEntitiesData {
    #[serde(default)]
    pub organisations: Vec<Uuid>,
    #[serde(default)]
    pub persons: Vec<Uuid>,
    #[serde(default)]
    pub placements: Vec<Uuid>,
    #[serde(default)]
    pub duties: Vec<Uuid>,
    #[serde(default)]
    pub groups: Vec<Uuid>,
    /// Spelled `activitites` in the standard's document; the correct spelling is taken too.
    #[serde(default, rename = "activitites", alias = "activities")]
    pub activities: Vec<Uuid>,
    #[serde(default)]
    pub syllabuses: Vec<Uuid>,
    #[serde(default)]
    pub grades: Vec<Uuid>,
    #[serde(default)]
    pub calendar_events: Vec<Uuid>,
}

impl DeletedEntitiesData {
    /// Adds another page's ids.
    pub fn extend(&mut self, other: DeletedEntitiesData) {
        self.organisations.extend(other.organisations);
        self.persons.extend(other.persons);
        self.placements.extend(other.placements);
        self.duties.extend(other.duties);
        self.groups.extend(other.groups);
        self.activities.extend(other.activities);
        self.syllabuses.extend(other.syllabuses);
        self.grades.extend(other.grades);
        self.calendar_events.extend(other.calendar_events);
    }

    pub fn is_empty(&self) -> bool {
        self.organisations.is_empty()
            && self.persons.is_empty()
            && self.placements.is_empty()
            && self.duties.is_empty()
            && self.groups.is_empty()
            && self.activities.is_empty()
            && self.syllabuses.is_empty()
            && self.grades.is_empty()
            && self.calendar_events.is_empty()
    }
}

// ---------------------------------------------------------------------------------------------
// Written back (`crate::ss12000::write_back`)

/// What kind of absence an `Absence` is (`Code_AbsenceType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum AbsenceType {
    /// Leave the school granted (ledighet, 7 kap. 18 §).
    #[serde(rename = "Beviljad ledighet")]
    GrantedLeave,
    /// Absence reported by the pupil or a guardian: what the portal's absence reports are.
    #[serde(rename = "Anmäld frånvaro")]
    Reported,
    #[serde(other)]
    Unknown,
}

/// A reported absence as `POST /absences` takes it (`Absence`).
///
/// `id` is marked read-only in the specification, yet the portal sends it: it is a stable id
/// of the portal's report, so that a receiver that keeps the id drops a repeat of the same
/// report instead of registering it twice. `meta` is the receiver's and is not sent.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AbsenceRecord {
    pub id: Uuid,
    /// Swedish time with its offset, as the specification's examples write it.
    pub start_time: DateTime<FixedOffset>,
    pub end_time: DateTime<FixedOffset>,
    #[serde(rename = "type")]
    pub kind: AbsenceType,
    /// The pupil, by the source's id.
    pub student: PersonRef,
    /// The school unit the absence concerns, when the portal knows its source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<ObjectRef>,
    /// The guardian who reported it, when the source knows them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<PersonRef>,
}

// Who was away, and when, is personal data (a sick day is health data): ids only.
impl fmt::Debug for AbsenceRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbsenceRecord")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A pupil's attendance at one lesson as `POST /attendances` takes it (`Attendance`): the
/// standard's record of a calendar event's attendance, in minutes.
///
/// `id` is sent for the same reason as [`AbsenceRecord::id`].
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceRecord {
    pub id: Uuid,
    /// The lesson on its day.
    pub calendar_event: ObjectRef,
    pub student: PersonRef,
    /// The teacher who took the attendance, when the source knows them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<PersonRef>,
    /// Whether the lesson's attendance was taken (always, for what the portal sends).
    pub is_reported: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_absence_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_absence_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_timestamp: Option<DateTime<FixedOffset>>,
}

impl fmt::Debug for AttendanceRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttendanceRecord")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl PersonRef {
    /// A reference by id alone, as a record written back carries it.
    pub fn to(id: Uuid) -> Self {
        Self {
            id,
            display_name: None,
            security_marking: None,
        }
    }
}

impl ObjectRef {
    /// A reference by id alone.
    pub fn to(id: Uuid) -> Self {
        Self {
            id,
            display_name: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str =
        r#"{"created":"2024-08-01T08:00:00.000+02:00","modified":"2025-01-09T10:30:00Z"}"#;

    fn with_meta(json: &str) -> String {
        json.replace("META", META)
    }

    #[test]
    fn a_person_reads_with_civic_no_marking_contacts_enrolments_and_responsibles() {
        let json = with_meta(
            r#"{
                "id": "6f1d2c3b-0000-4000-8000-000000000001",
                "meta": META,
                "givenName": "Alva",
                "middleName": "Maria",
                "familyName": "Berg",
                "civicNo": {"value": "201504122385", "nationality": "SE"},
                "birthDate": "2015-04-12",
                "sex": "Kvinna",
                "securityMarking": "Ingen",
                "personStatus": "Aktiv",
                "emails": [{"value": "alva@skola.example", "type": "Skola elev"}],
                "phoneNumbers": [{"value": "0701234567", "type": "Hem", "mobile": true}],
                "addresses": [{
                    "type": "Folkbokföring",
                    "streetAddress": "Storgatan 1",
                    "postalCode": "12345",
                    "locality": "Småstad",
                    "country": "Sverige",
                    "municipalityCode": 180,
                    "countyCode": 1
                }],
                "enrolments": [{
                    "enroledAt": {"id": "6f1d2c3b-0000-4000-8000-0000000000a1"},
                    "schoolYear": 4,
                    "schoolType": "GR",
                    "startDate": "2024-08-15",
                    "endDate": "2025-06-13",
                    "cancelled": false,
                    "educationCode": "X"
                }],
                "responsibles": [
                    {"person": {"id": "6f1d2c3b-0000-4000-8000-000000000002"},
                     "relationType": "Vårdnadshavare"},
                    {"person": {"id": "6f1d2c3b-0000-4000-8000-000000000003",
                                "securityMarking": "Skyddad folkbokföring"},
                     "relationType": "God man"}
                ],
                "externalIdentifiers": [{"value": "ab12", "context": "http://x.se/AD", "globallyUnique": false}]
            }"#,
        );
        let person: Person = serde_json::from_str(&json).unwrap();
        assert_eq!(person.given_name, "Alva");
        assert_eq!(person.family_name, "Berg");
        let civic_no = person.civic_no.as_ref().unwrap();
        assert_eq!(civic_no.value, "201504122385");
        assert_eq!(civic_no.nationality, "SE");
        assert_eq!(person.birth_date, NaiveDate::from_ymd_opt(2015, 4, 12));
        assert_eq!(person.security_marking, Some(SecurityMarking::Unmarked));
        assert_eq!(person.person_status, PersonStatus::Active);
        assert_eq!(person.emails[0].kind, EmailType::SchoolPupil);
        assert_eq!(person.phone_numbers[0].kind, PhoneType::Home);
        assert!(person.phone_numbers[0].mobile);
        assert_eq!(person.addresses[0].kind, AddressType::Registered);
        assert_eq!(person.addresses[0].municipality_code, Some(180));
        let enrolment = &person.enrolments[0];
        assert_eq!(enrolment.school_type, SchoolType::Gr);
        assert_eq!(enrolment.school_year, Some(4));
        assert_eq!(enrolment.end_date, NaiveDate::from_ymd_opt(2025, 6, 13));
        assert!(!enrolment.cancelled);
        assert_eq!(person.responsibles.len(), 2);
        assert_eq!(
            person.responsibles[0].relation_type,
            Some(RelationType::Guardian)
        );
        let trustee = &person.responsibles[1];
        assert_eq!(trustee.relation_type, Some(RelationType::Trustee));
        assert_eq!(
            trustee.person.as_ref().unwrap().security_marking,
            Some(SecurityMarking::ProtectedRegistration)
        );
        // Offsets are kept as instants.
        assert_eq!(
            person.meta.created.to_rfc3339(),
            "2024-08-01T06:00:00+00:00"
        );
    }

    #[test]
    fn a_minimal_person_takes_the_standards_defaults() {
        let json = with_meta(
            r#"{"id": "6f1d2c3b-0000-4000-8000-000000000001", "meta": META,
                "givenName": "Ali", "familyName": "Khan",
                "civicNo": {"value": "198001019876"},
                "addresses": [{"streetAddress": "Väg 2", "postalCode": "11111",
                               "locality": "Stad", "country": "Sverige"}],
                "phoneNumbers": [{"value": "08123456", "type": "Arbete"}]}"#,
        );
        let person: Person = serde_json::from_str(&json).unwrap();
        assert_eq!(person.civic_no.unwrap().nationality, "SE");
        assert_eq!(person.person_status, PersonStatus::Active);
        assert_eq!(person.security_marking, None);
        assert_eq!(person.addresses[0].kind, AddressType::Registered);
        assert!(person.phone_numbers[0].mobile);
        assert!(person.enrolments.is_empty() && person.responsibles.is_empty());
    }

    #[test]
    fn the_debug_of_a_person_shows_no_personal_data() {
        let json = with_meta(
            r#"{"id": "6f1d2c3b-0000-4000-8000-000000000001", "meta": META,
                "givenName": "Alva", "familyName": "Berg",
                "civicNo": {"value": "201504122385"},
                "emails": [{"value": "alva@hem.example", "type": "Privat"}],
                "responsibles": [{"person": {"id": "6f1d2c3b-0000-4000-8000-000000000002",
                                             "displayName": "Eva Berg"}}]}"#,
        );
        let person: Person = serde_json::from_str(&json).unwrap();
        let printed = format!(
            "{person:?} {:?} {:?} {:?}",
            person.civic_no, person.emails, person.responsibles
        );
        assert!(printed.contains("6f1d2c3b-0000-4000-8000-000000000001"));
        for secret in ["Alva", "Berg", "201504122385", "alva@hem.example", "Eva"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
    }

    #[test]
    fn an_organisation_reads() {
        let json = with_meta(
            r#"{
                "id": "6f1d2c3b-0000-4000-8000-0000000000a1",
                "meta": META,
                "displayName": "Björkskolan",
                "organisationType": "Skolenhet",
                "organisationCode": "BJ1",
                "parentOrganisation": {"id": "6f1d2c3b-0000-4000-8000-0000000000a0"},
                "schoolUnitCode": "12345678",
                "schoolTypes": ["FKLASS", "GR", "FTH"],
                "municipalityCode": "0180",
                "address": {"type": "Besöksadress", "streetAddress": "Skolvägen 3",
                            "postalCode": "12345", "locality": "Småstad", "countyCode": 1},
                "phoneNumber": "08-100 00",
                "contactInfo": [{"infoType": "Support", "info": "ring"}],
                "startDate": "2001-07-01"
            }"#,
        );
        let unit: Organisation = serde_json::from_str(&json).unwrap();
        assert_eq!(unit.display_name, "Björkskolan");
        assert_eq!(unit.organisation_type, OrganisationType::SchoolUnit);
        assert_eq!(unit.school_unit_code.as_deref(), Some("12345678"));
        assert_eq!(
            unit.school_types,
            vec![SchoolType::Fklass, SchoolType::Gr, SchoolType::Fth]
        );
        assert_eq!(
            unit.parent_organisation.unwrap().id.to_string(),
            "6f1d2c3b-0000-4000-8000-0000000000a0"
        );
        let address = unit.address.unwrap();
        assert_eq!(address.kind, Some(OrganisationAddressType::Visiting));
        assert_eq!(address.locality, "Småstad");
        assert_eq!(unit.start_date, NaiveDate::from_ymd_opt(2001, 7, 1));
        assert_eq!(unit.end_date, None);
    }

    #[test]
    fn a_group_reads_with_its_memberships() {
        let json = with_meta(
            r#"{
                "id": "6f1d2c3b-0000-4000-8000-0000000000b1",
                "meta": META,
                "displayName": "4B",
                "groupType": "Klass",
                "schoolType": "GR",
                "organisation": {"id": "6f1d2c3b-0000-4000-8000-0000000000a1",
                                 "displayName": "Björkskolan"},
                "startDate": "2024-08-15",
                "endDate": "2025-06-13",
                "groupMemberships": [
                    {"person": {"id": "6f1d2c3b-0000-4000-8000-000000000001"},
                     "startDate": "2024-08-15"},
                    {"person": {"id": "6f1d2c3b-0000-4000-8000-000000000004"},
                     "startDate": "2024-08-15", "endDate": "2024-12-20"}
                ],
                "_embedded": {"assignmentRoles": []}
            }"#,
        );
        let group: Group = serde_json::from_str(&json).unwrap();
        assert_eq!(group.group_type, GroupType::Class);
        assert_eq!(group.school_type, Some(SchoolType::Gr));
        assert_eq!(group.group_memberships.len(), 2);
        assert_eq!(
            group.group_memberships[1].end_date,
            NaiveDate::from_ymd_opt(2024, 12, 20)
        );
        assert_eq!(
            group.organisation.display_name.as_deref(),
            Some("Björkskolan")
        );
    }

    #[test]
    fn a_duty_reads_with_its_assignment_roles() {
        let json = with_meta(
            r#"{
                "id": "6f1d2c3b-0000-4000-8000-0000000000c1",
                "meta": META,
                "person": {"id": "6f1d2c3b-0000-4000-8000-000000000005"},
                "dutyAt": {"id": "6f1d2c3b-0000-4000-8000-0000000000a1"},
                "dutyRole": "Förskollärare",
                "signature": "NJN",
                "dutyPercent": 80,
                "startDate": "2020-01-01",
                "assignmentRole": [
                    {"group": {"id": "6f1d2c3b-0000-4000-8000-0000000000b1"},
                     "assignmentRoleType": "Mentor", "startDate": "2024-08-15"}
                ]
            }"#,
        );
        let duty: Duty = serde_json::from_str(&json).unwrap();
        assert_eq!(duty.duty_role, DutyRole::PreschoolTeacher);
        assert_eq!(duty.signature.as_deref(), Some("NJN"));
        assert_eq!(
            duty.start_date,
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
        );
        assert_eq!(duty.end_date, None);
        assert_eq!(
            duty.assignment_roles[0].assignment_role_type,
            AssignmentRoleType::Mentor
        );
        assert!(!format!("{duty:?}").contains("NJN"));
    }

    #[test]
    fn a_placement_reads() {
        let json = with_meta(
            r#"{
                "id": "6f1d2c3b-0000-4000-8000-0000000000d1",
                "meta": META,
                "placedAt": {"id": "6f1d2c3b-0000-4000-8000-0000000000a2"},
                "group": {"id": "6f1d2c3b-0000-4000-8000-0000000000b2"},
                "child": {"id": "6f1d2c3b-0000-4000-8000-000000000006"},
                "owners": [{"id": "6f1d2c3b-0000-4000-8000-000000000007"},
                           {"id": "6f1d2c3b-0000-4000-8000-000000000008"}],
                "schoolType": "FS",
                "startDate": "2023-08-01",
                "reason": "Omsorgsbehov",
                "maxWeeklyScheduleHours": 40
            }"#,
        );
        let placement: Placement = serde_json::from_str(&json).unwrap();
        assert_eq!(placement.school_type, SchoolType::Fs);
        assert_eq!(placement.owners.len(), 2);
        assert!(placement.group.is_some());
        assert_eq!(placement.end_date, None);
    }

    #[test]
    fn a_page_reads_with_and_without_a_page_token() {
        let with: Page<Group> =
            serde_json::from_str(r#"{"data": [], "pageToken": "abc=="}"#).unwrap();
        assert_eq!(with.page_token.as_deref(), Some("abc=="));
        let null: Page<Group> = serde_json::from_str(r#"{"data": [], "pageToken": null}"#).unwrap();
        assert_eq!(null.page_token, None);
        let absent: Page<Group> = serde_json::from_str(r#"{"data": []}"#).unwrap();
        assert_eq!(absent.page_token, None);
        assert!(serde_json::from_str::<Page<Group>>(r#"{"pageToken": null}"#).is_err());
    }

    #[test]
    fn an_unknown_code_reads_as_unknown_and_the_page_still_parses() {
        let json = with_meta(
            r#"{"data": [
                {"id": "6f1d2c3b-0000-4000-8000-0000000000e1", "meta": META,
                 "displayName": "Ny", "organisationType": "Stadsdel",
                 "schoolTypes": ["GR", "NYSKOLFORM"]},
                {"id": "6f1d2c3b-0000-4000-8000-0000000000e2", "meta": META,
                 "displayName": "Gammal", "organisationType": "Huvudman"}
            ], "pageToken": null}"#,
        );
        let page: Page<Organisation> = serde_json::from_str(&json).unwrap();
        assert_eq!(page.data.len(), 2);
        assert_eq!(page.data[0].organisation_type, OrganisationType::Unknown);
        assert_eq!(
            page.data[0].school_types,
            vec![SchoolType::Gr, SchoolType::Unknown]
        );
        assert_eq!(page.data[1].organisation_type, OrganisationType::Organiser);

        let marking: SecurityMarking = serde_json::from_str(r#""Något nytt""#).unwrap();
        assert_eq!(marking, SecurityMarking::Unknown);
        let role: DutyRole = serde_json::from_str(r#""Vaktmästare""#).unwrap();
        assert_eq!(role, DutyRole::Unknown);
    }

    #[test]
    fn deleted_entities_read_the_kinds_the_portal_mirrors() {
        let page: DeletedEntities = serde_json::from_str(
            r#"{"data": {
                    "persons": ["6f1d2c3b-0000-4000-8000-000000000001"],
                    "groups": ["6f1d2c3b-0000-4000-8000-0000000000b1",
                               "6f1d2c3b-0000-4000-8000-0000000000b2"],
                    "activitites": ["6f1d2c3b-0000-4000-8000-0000000000f1"],
                    "absences": []
                },
                "pageToken": "next"}"#,
        )
        .unwrap();
        assert_eq!(page.page_token.as_deref(), Some("next"));
        assert_eq!(page.data.persons.len(), 1);
        assert_eq!(page.data.groups.len(), 2);
        assert!(page.data.organisations.is_empty() && page.data.duties.is_empty());

        let mut all = DeletedEntitiesData::default();
        assert!(all.is_empty());
        all.extend(page.data);
        all.extend(
            serde_json::from_str::<DeletedEntities>(
                r#"{"data": {"duties": ["6f1d2c3b-0000-4000-8000-0000000000c1"]}}"#,
            )
            .unwrap()
            .data,
        );
        assert_eq!(all.groups.len(), 2);
        assert_eq!(all.duties.len(), 1);
    }

    #[test]
    fn codes_write_back_as_the_standard_spells_them() {
        assert_eq!(
            serde_json::to_string(&SecurityMarking::ProtectedRegistration).unwrap(),
            r#""Skyddad folkbokföring""#
        );
        assert_eq!(
            serde_json::to_string(&DutyRole::SpecialNeedsTeacher).unwrap(),
            r#""Speciallärare/specialpedagog""#
        );
    }
}
