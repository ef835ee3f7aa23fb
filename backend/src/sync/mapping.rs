//! What the source's SS 12000 records say, as the portal's `Snapshot`: the one place where the
//! standard's shapes become the portal's facts. Pure; the sync reads the records and reconciles
//! the result.
//!
//! How the standard's records are read (the fixture in `tests/src/ss12000_fixture.rs` writes
//! them the same way, from the other side):
//! - a unit is an `Organisation` of type `Skolenhet`; its first school type the portal serves
//!   says what it is (`GR`, `GRS`, `FKLASS` a school, `FS` a preschool, `FTH` a fritidshem,
//!   `OPPFTH` family daycare). Opening hours and lock days are the portal's own settings (the
//!   administrator's), so a new unit starts with the usual ones and the source never changes
//!   them;
//! - a person's private e-mail and home phone are theirs, `Skola elev` is a pupil's school
//!   address, and staff's work e-mail and phone (`Skola personal`, `Arbete`) go on their duties;
//!   a missing `securityMarking` is `Ingen`, an unknown one is protected (admission);
//! - guardianship has no dates in the standard: it is dated from the child's birth, as the first
//!   import dates it, and ends when the source drops it;
//! - a pupil's class is a `groupMemberships` entry, a mentor's an `assignmentRole` of type
//!   `Mentor` on their duty, a teacher's their duty among an `Activity`'s `teachers`;
//! - a class's school year is its pupils' (the most common among their enrolments at the
//!   class's unit): the standard's groups have none;
//! - a duty at an organisation above the units is an officer's when its role is
//!   `Skoladministratör`; duties in roles the portal gives no access are left out, as are
//!   records pointing at units or groups the portal does not mirror, and relations that ended
//!   before today (the reconciliation ends the portal's copy of them);
//! - a grade's subject is its syllabus's `subjectDesignation` (Skolverket's `MA`, `SV`), its
//!   term the `semester` and `year` (or, without them, the term of its registration date), and
//!   the pupil's school year then is counted back from their enrolment now. Grades on other
//!   scales than A–F and dash, and in subjects the portal has no code for, are left out, and of
//!   two grades for the same pupil, term and subject the later registered counts;
//! - a calendar event is one lesson of an activity's groups; the portal's lessons are weekly
//!   plans (`crate::school::timetable`), so an event says how a planned lesson differs on its
//!   day: cancelled, other times, another room, a substitute (`teacherExceptions`), a comment.
//!   Times are the wall-clock times the event carries (Swedish systems write the school's
//!   offset).

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate, NaiveTime};
use skolportal_shared::Personnummer;
use uuid::Uuid;

use crate::entity::duty::DutyRole as PortalDutyRole;
use crate::entity::group_membership::MembershipRole;
use crate::entity::guardianship::GuardianRelation;
use crate::entity::placement::PlacementKind;
use crate::entity::school_group::GroupType as PortalGroupType;
use crate::entity::unit::UnitKind;
use crate::population::admission::SecurityMarking as PortalMarking;
use crate::population::snapshot::{
    Snapshot, SourceAddress, SourceDuty, SourceEnrolment, SourceGroup, SourceGuardianship,
    SourceMembership, SourcePerson, SourcePlacement, SourceUnit,
};
use crate::ss12000::{
    Activity, AddressType, AssignmentRoleType, CalendarEvent, Duty, DutyRole, EmailType, Grade,
    Group, GroupType, Organisation, OrganisationAddressType, OrganisationType, Person, PhoneType,
    Placement, RelationType, SchoolType, SecurityMarking, Semester, Syllabus,
};

/// Everything the source lists of the kinds the portal mirrors.
#[derive(Debug, Clone, Default)]
pub struct SourceRecords {
    pub organisations: Vec<Organisation>,
    pub persons: Vec<Person>,
    pub placements: Vec<Placement>,
    pub duties: Vec<Duty>,
    pub groups: Vec<Group>,
    pub activities: Vec<Activity>,
    pub syllabuses: Vec<Syllabus>,
    pub grades: Vec<Grade>,
    /// The calendar window's events only (`calendar_window`).
    pub calendar_events: Vec<CalendarEvent>,
}

/// A unit's hours and lock days until the administrator sets them.
fn usual_hours(kind: &UnitKind) -> (NaiveTime, NaiveTime) {
    let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
    match kind {
        UnitKind::School => (at(8, 0), at(16, 0)),
        UnitKind::Preschool | UnitKind::Fritidshem | UnitKind::FamilyDaycare => {
            (at(6, 30), at(18, 0))
        }
    }
}
const USUAL_LOCK_WORKING_DAYS: i32 = 2;

fn unit_kind(types: &[SchoolType]) -> Option<UnitKind> {
    types.iter().find_map(|t| match t {
        SchoolType::Gr | SchoolType::Grs | SchoolType::Fklass => Some(UnitKind::School),
        SchoolType::Fs => Some(UnitKind::Preschool),
        SchoolType::Fth => Some(UnitKind::Fritidshem),
        SchoolType::Oppfth => Some(UnitKind::FamilyDaycare),
        _ => None,
    })
}

fn placement_kind(t: SchoolType) -> Option<PlacementKind> {
    match t {
        SchoolType::Fs => Some(PlacementKind::Preschool),
        SchoolType::Fth => Some(PlacementKind::Fritidshem),
        SchoolType::Oppfth => Some(PlacementKind::FamilyDaycare),
        _ => None,
    }
}

fn group_type(t: GroupType) -> Option<PortalGroupType> {
    match t {
        GroupType::Class => Some(PortalGroupType::Class),
        GroupType::Teaching => Some(PortalGroupType::Teaching),
        GroupType::Mentor => Some(PortalGroupType::Mentor),
        GroupType::Department => Some(PortalGroupType::Department),
        _ => None,
    }
}

/// The portal's role for a duty, if it gives that role any access. `at_unit` is whether the
/// duty is at a unit the portal mirrors rather than an organisation above them.
fn duty_role(role: DutyRole, at_unit: bool) -> Option<PortalDutyRole> {
    match (role, at_unit) {
        (
            DutyRole::Teacher
            | DutyRole::LeadTeacher
            | DutyRole::SpecialNeedsTeacher
            | DutyRole::LeisureTimeTeacher,
            true,
        ) => Some(PortalDutyRole::Teacher),
        (DutyRole::PreschoolTeacher | DutyRole::ChildMinder, true) => {
            Some(PortalDutyRole::PreschoolStaff)
        }
        (DutyRole::Principal | DutyRole::PreschoolHead, true) => Some(PortalDutyRole::Principal),
        (DutyRole::SchoolAdministrator, false) => Some(PortalDutyRole::Officer),
        _ => None,
    }
}

fn marking(m: Option<SecurityMarking>) -> PortalMarking {
    match m {
        None | Some(SecurityMarking::Unmarked) => PortalMarking::None,
        Some(SecurityMarking::Confidential) => PortalMarking::Confidential,
        Some(SecurityMarking::ProtectedRegistration | SecurityMarking::Unknown) => {
            PortalMarking::ProtectedRegistration
        }
    }
}

fn still_on(end: Option<NaiveDate>, today: NaiveDate) -> bool {
    end.is_none_or(|end| end >= today)
}

/// The portal's view of `records` on `today`.
pub fn to_snapshot(records: &SourceRecords, today: NaiveDate) -> Snapshot {
    let mut snapshot = Snapshot::default();

    for o in &records.organisations {
        if o.organisation_type != OrganisationType::SchoolUnit || !still_on(o.end_date, today) {
            continue;
        }
        let Some(kind) = unit_kind(&o.school_types) else {
            continue;
        };
        let address = o
            .address
            .iter()
            .find(|a| a.kind == Some(OrganisationAddressType::Visiting))
            .or(o.address.as_ref())
            .map(|a| SourceAddress {
                street: a.street_address.clone(),
                postal_code: a.postal_code.clone(),
                city: a.locality.clone(),
            })
            .unwrap_or(SourceAddress {
                street: String::new(),
                postal_code: String::new(),
                city: String::new(),
            });
        let (opens_at, closes_at) = usual_hours(&kind);
        snapshot.units.push(SourceUnit {
            source_id: o.id.to_string(),
            name: o.display_name.clone(),
            kind,
            address,
            phone: o.phone_number.clone().unwrap_or_default(),
            opens_at,
            closes_at,
            schedule_lock_working_days: USUAL_LOCK_WORKING_DAYS,
            capacity: None,
        });
    }
    let units: HashMap<Uuid, &UnitKind> = snapshot
        .units
        .iter()
        .filter_map(|u| Some((u.source_id.parse().ok()?, &u.kind)))
        .collect();

    // Staff's work contacts, for their duties.
    let mut work: HashMap<Uuid, (Option<String>, Option<String>)> = HashMap::new();
    let mut birth: HashMap<Uuid, NaiveDate> = HashMap::new();
    // Each pupil's school year at each unit, for the classes' school years.
    let mut years: HashMap<(Uuid, Uuid), i32> = HashMap::new();
    for p in &records.persons {
        let personnummer = p.civic_no.as_ref().map(|c| c.value.clone());
        if let Some(date) = personnummer
            .as_deref()
            .and_then(|v| Personnummer::parse(v).ok())
            .map(|v| v.birth_date())
            .or(p.birth_date)
        {
            birth.insert(p.id, date);
        }
        let email = |kind| {
            p.emails
                .iter()
                .find(|e| e.kind == kind)
                .map(|e| e.value.clone())
        };
        let phone = |kind| {
            p.phone_numbers
                .iter()
                .find(|n| n.kind == kind)
                .map(|n| n.value.clone())
        };
        let work_email = email(EmailType::SchoolStaff);
        let work_phone = phone(PhoneType::Work);
        if work_email.is_some() || work_phone.is_some() {
            work.insert(p.id, (work_phone, work_email));
        }
        let address = p
            .addresses
            .iter()
            .find(|a| a.kind == AddressType::Registered)
            .or(p.addresses.first())
            .map(|a| SourceAddress {
                street: a.street_address.clone(),
                postal_code: a.postal_code.clone(),
                city: a.locality.clone(),
            });
        snapshot.persons.push(SourcePerson {
            source_id: p.id.to_string(),
            personnummer: personnummer.unwrap_or_default(),
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
            address,
            email: email(EmailType::Private),
            phone: phone(PhoneType::Home),
            school_email: email(EmailType::SchoolPupil),
            security_marking: marking(p.security_marking),
        });
        for e in &p.enrolments {
            if e.cancelled || !still_on(e.end_date, today) {
                continue;
            }
            if !units.contains_key(&e.enroled_at.id) {
                continue;
            }
            let school_year = e.school_year.unwrap_or(0);
            years.insert((p.id, e.enroled_at.id), school_year);
            snapshot.enrolments.push(SourceEnrolment {
                pupil: p.id.to_string(),
                unit: e.enroled_at.id.to_string(),
                school_year,
                start_date: e.start_date,
            });
        }
    }
    // Guardianships need the child's birth date, so after every person is read.
    for p in &records.persons {
        for r in &p.responsibles {
            let Some(adult) = &r.person else { continue };
            let relation = match r.relation_type {
                Some(RelationType::Guardian) => GuardianRelation::Guardian,
                Some(RelationType::OtherResponsible) => GuardianRelation::OtherResponsibleAdult,
                _ => continue,
            };
            snapshot.guardianships.push(SourceGuardianship {
                child: p.id.to_string(),
                adult: adult.id.to_string(),
                relation,
                start_date: birth.get(&p.id).copied().unwrap_or(today),
                end_date: None,
            });
        }
    }

    let mut groups: HashMap<Uuid, Uuid> = HashMap::new();
    for g in &records.groups {
        if !units.contains_key(&g.organisation.id) || !still_on(g.end_date, today) {
            continue;
        }
        let Some(group_type) = group_type(g.group_type) else {
            continue;
        };
        groups.insert(g.id, g.organisation.id);
        let mut pupils_years: HashMap<i32, usize> = HashMap::new();
        for m in &g.group_memberships {
            if let Some(year) = years.get(&(m.person.id, g.organisation.id)) {
                *pupils_years.entry(*year).or_default() += 1;
            }
            snapshot.memberships.push(SourceMembership {
                group: g.id.to_string(),
                person: m.person.id.to_string(),
                role: MembershipRole::Pupil,
                start_date: m.start_date.unwrap_or(g.start_date),
                end_date: m.end_date,
            });
        }
        let school_year = (group_type == PortalGroupType::Class)
            .then(|| {
                pupils_years
                    .into_iter()
                    .max_by_key(|(year, count)| (*count, -*year))
                    .map(|(year, _)| year)
            })
            .flatten();
        snapshot.groups.push(SourceGroup {
            source_id: g.id.to_string(),
            unit: g.organisation.id.to_string(),
            name: g.display_name.clone(),
            group_type,
            school_year,
        });
    }

    // Duties, and mentors' groups from their assignment roles.
    let mut duty_holder: HashMap<Uuid, Uuid> = HashMap::new();
    for d in &records.duties {
        let Some(person) = &d.person else { continue };
        if !still_on(d.end_date, today) {
            continue;
        }
        let at_unit = units.contains_key(&d.duty_at.id);
        let Some(role) = duty_role(d.duty_role, at_unit) else {
            continue;
        };
        duty_holder.insert(d.id, person.id);
        let (work_phone, work_email) = work.get(&person.id).cloned().unwrap_or_default();
        snapshot.duties.push(SourceDuty {
            person: person.id.to_string(),
            unit: at_unit.then(|| d.duty_at.id.to_string()),
            role,
            start_date: d.start_date,
            work_phone,
            work_email,
        });
        for a in &d.assignment_roles {
            if a.assignment_role_type != AssignmentRoleType::Mentor
                || !groups.contains_key(&a.group.id)
            {
                continue;
            }
            snapshot.memberships.push(SourceMembership {
                group: a.group.id.to_string(),
                person: person.id.to_string(),
                role: MembershipRole::Mentor,
                start_date: a.start_date.unwrap_or(d.start_date),
                end_date: a.end_date,
            });
        }
    }

    for a in &records.activities {
        for t in &a.teachers {
            let Some(teacher) = duty_holder.get(&t.duty.id) else {
                continue;
            };
            for g in &a.groups {
                if !groups.contains_key(&g.id) {
                    continue;
                }
                snapshot.memberships.push(SourceMembership {
                    group: g.id.to_string(),
                    person: teacher.to_string(),
                    role: MembershipRole::Teacher,
                    start_date: t.start_date.unwrap_or(a.start_date),
                    end_date: t.end_date.or(a.end_date),
                });
            }
        }
    }

    for p in &records.placements {
        if !still_on(p.end_date, today) || !units.contains_key(&p.placed_at.id) {
            continue;
        }
        let Some(kind) = placement_kind(p.school_type) else {
            continue;
        };
        snapshot.placements.push(SourcePlacement {
            child: p.child.id.to_string(),
            unit: p.placed_at.id.to_string(),
            group: p
                .group
                .as_ref()
                .filter(|g| groups.contains_key(&g.id))
                .map(|g| g.id.to_string()),
            kind,
            start_date: p.start_date,
            hours_per_week: p.max_weekly_schedule_hours,
        });
    }
    snapshot
}

/// How many days ahead the portal reads calendar events: the coming two school weeks, what
/// guardians and pupils plan by. Passed days are what attendance recorded.
pub const CALENDAR_DAYS: u64 = 14;

/// The first and last day of calendar events a sync on `today` reads.
pub fn calendar_window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (
        today,
        today
            .checked_add_days(chrono::Days::new(CALENDAR_DAYS))
            .unwrap_or(today),
    )
}

/// A grade as the source registered it, in the portal's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceGrade {
    pub source_id: Uuid,
    /// The pupil's source id.
    pub pupil: Uuid,
    pub subject: crate::entity::grade::Activity,
    pub value: crate::entity::grade::Value,
    pub term: crate::entity::school_term::TermKind,
    /// The calendar year the term starts in.
    pub term_year: i32,
    pub school_year: i32,
    /// The day the source registered it: when it was set, as retention counts.
    pub registered: NaiveDate,
}

/// One lesson of groups on one day as the source plans it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLesson {
    pub source_id: Uuid,
    /// The groups' source ids.
    pub groups: Vec<Uuid>,
    pub on_date: NaiveDate,
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
    pub cancelled: bool,
    pub room: Option<String>,
    /// Source ids of teachers who take part in this one lesson by exception (substitutes).
    pub substitutes: Vec<Uuid>,
    pub comment: Option<String>,
}

/// What the source says about grades and the coming days' lessons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchoolRecords {
    pub grades: Vec<SourceGrade>,
    /// Grades on a scale or in a subject the portal does not have, or of a pupil without an
    /// enrolment to count their school year from.
    pub grades_left_out: usize,
    /// Every grade the source lists, also those left out: a grade the portal holds goes only
    /// when the source no longer lists it, never because this sync could not read it (a pupil
    /// who has left has no enrolment to count from, and their grades are retention's to export).
    pub grades_listed: BTreeSet<Uuid>,
    pub lessons: Vec<SourceLesson>,
}

fn grade_value(text: &str) -> Option<crate::entity::grade::Value> {
    use crate::entity::grade::Value;
    Some(match text.trim() {
        "A" => Value::A,
        "B" => Value::B,
        "C" => Value::C,
        "D" => Value::D,
        "E" => Value::E,
        "F" => Value::F,
        "-" | "–" => Value::Dash,
        _ => return None,
    })
}

fn subject(syllabus: &Syllabus) -> Option<crate::entity::grade::Activity> {
    let designation = syllabus.subject_designation.as_deref()?.trim();
    crate::entity::grade::Activity::ALL
        .iter()
        .copied()
        .find(|a| {
            a.skolverket_code()
                .is_some_and(|code| code.eq_ignore_ascii_case(designation))
        })
}

/// The calendar year a school year starts in (it starts in July).
fn school_year_start(day: NaiveDate) -> i32 {
    if day.month() >= 7 {
        day.year()
    } else {
        day.year() - 1
    }
}

/// The portal's grades and lessons in `records` on `today`.
pub fn school_records(records: &SourceRecords, today: NaiveDate) -> SchoolRecords {
    use crate::entity::school_term::TermKind;
    let mut out = SchoolRecords::default();

    let syllabuses: HashMap<Uuid, &Syllabus> =
        records.syllabuses.iter().map(|s| (s.id, s)).collect();
    // Each pupil's school year now: their latest enrolment that has begun.
    let mut year_now: HashMap<Uuid, i32> = HashMap::new();
    for p in &records.persons {
        if let Some(year) = p
            .enrolments
            .iter()
            .filter(|e| !e.cancelled && e.start_date <= today && still_on(e.end_date, today))
            .max_by_key(|e| e.start_date)
            .and_then(|e| e.school_year)
        {
            year_now.insert(p.id, year);
        }
    }
    let mut latest: HashMap<
        (Uuid, TermKind, i32, crate::entity::grade::Activity),
        (NaiveDate, SourceGrade),
    > = HashMap::new();
    for g in &records.grades {
        out.grades_listed.insert(g.id);
        let (Some(value), Some(subject)) = (
            grade_value(&g.grade_value),
            syllabuses.get(&g.syllabus.id).and_then(|s| subject(s)),
        ) else {
            out.grades_left_out += 1;
            continue;
        };
        let (term, term_year) = match (g.semester, g.year) {
            (Some(Semester::Autumn), Some(year)) => (TermKind::Autumn, year),
            (Some(Semester::Spring), Some(year)) => (TermKind::Spring, year),
            _ if g.registered_date.month() >= 7 => (TermKind::Autumn, g.registered_date.year()),
            _ => (TermKind::Spring, g.registered_date.year()),
        };
        let Some(now) = year_now.get(&g.student.id) else {
            out.grades_left_out += 1;
            continue;
        };
        let then_start = match term {
            TermKind::Autumn => term_year,
            TermKind::Spring => term_year - 1,
        };
        let school_year = now - (school_year_start(today) - then_start);
        let grade = SourceGrade {
            source_id: g.id,
            pupil: g.student.id,
            subject,
            value,
            term,
            term_year,
            school_year,
            registered: g.registered_date,
        };
        let key = (g.student.id, term, term_year, subject);
        match latest.get(&key) {
            Some((at, _)) if *at > g.registered_date => out.grades_left_out += 1,
            Some(_) => {
                out.grades_left_out += 1;
                latest.insert(key, (g.registered_date, grade));
            }
            None => {
                latest.insert(key, (g.registered_date, grade));
            }
        }
    }
    out.grades = latest.into_values().map(|(_, g)| g).collect();
    out.grades.sort_by_key(|g| g.source_id);

    let activity_groups: HashMap<Uuid, Vec<Uuid>> = records
        .activities
        .iter()
        .map(|a| (a.id, a.groups.iter().map(|g| g.id).collect()))
        .collect();
    let duty_holder: HashMap<Uuid, Uuid> = records
        .duties
        .iter()
        .filter_map(|d| Some((d.id, d.person.as_ref()?.id)))
        .collect();
    let (first, last) = calendar_window(today);
    for e in &records.calendar_events {
        let start = e.start_time.naive_local();
        let end = e.end_time.naive_local();
        let on_date = start.date();
        if on_date < first || on_date > last {
            continue;
        }
        let Some(groups) = activity_groups.get(&e.activity.id) else {
            continue;
        };
        out.lessons.push(SourceLesson {
            source_id: e.id,
            groups: groups.clone(),
            on_date,
            starts_at: start.time(),
            ends_at: end.time(),
            cancelled: e.cancelled,
            room: e
                .rooms
                .iter()
                .find_map(|r| r.display_name.clone())
                .filter(|name| !name.trim().is_empty()),
            substitutes: e
                .teacher_exceptions
                .iter()
                .filter(|t| t.participates)
                .filter_map(|t| duty_holder.get(&t.duty.id).copied())
                .collect(),
            comment: e.comment.clone().filter(|c| !c.trim().is_empty()),
        });
    }
    out.lessons
        .sort_by_key(|l| (l.on_date, l.starts_at, l.source_id));
    out
}
