//! The shape of what a source system says about a municipality, before admission. Mirrors the SS
//! 12000 resources the portal reads (persons, organisations, groups, enrolments, placements,
//! duties), keyed by the source's own ids.

use chrono::{NaiveDate, NaiveTime};

use super::admission::SecurityMarking;
use crate::entity::duty::DutyRole;
use crate::entity::group_membership::MembershipRole;
use crate::entity::guardianship::GuardianRelation;
use crate::entity::placement::PlacementKind;
use crate::entity::school_group::GroupType;
use crate::entity::unit::UnitKind;

#[derive(Clone)]
pub struct SourceAddress {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

// A person's address is personal data; it never reaches a log through `{:?}`.
impl std::fmt::Debug for SourceAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SourceAddress(..)")
    }
}

#[derive(Clone)]
pub struct SourcePerson {
    pub source_id: String,
    /// As the source sends it; validated on admission.
    pub personnummer: String,
    pub given_name: String,
    pub family_name: String,
    pub address: Option<SourceAddress>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub school_email: Option<String>,
    pub security_marking: SecurityMarking,
}

// Personal data: a `{:?}` shows the source id only.
impl std::fmt::Debug for SourcePerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourcePerson")
            .field("source_id", &self.source_id)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug)]
pub struct SourceUnit {
    pub source_id: String,
    pub name: String,
    pub kind: UnitKind,
    pub address: SourceAddress,
    pub phone: String,
    pub opens_at: NaiveTime,
    pub closes_at: NaiveTime,
    pub schedule_lock_working_days: i32,
    /// Places at a childcare unit, if the source says.
    pub capacity: Option<i32>,
}

#[derive(Clone, Debug)]
pub struct SourceGroup {
    pub source_id: String,
    pub unit: String,
    pub name: String,
    pub group_type: GroupType,
    pub school_year: Option<i32>,
}

#[derive(Clone, Debug)]
pub struct SourceGuardianship {
    pub child: String,
    pub adult: String,
    pub relation: GuardianRelation,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct SourceMembership {
    pub group: String,
    pub person: String,
    pub role: MembershipRole,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct SourceEnrolment {
    pub pupil: String,
    pub unit: String,
    pub school_year: i32,
    pub start_date: NaiveDate,
}

#[derive(Clone, Debug)]
pub struct SourcePlacement {
    pub child: String,
    pub unit: String,
    pub group: Option<String>,
    pub kind: PlacementKind,
    pub start_date: NaiveDate,
    pub hours_per_week: Option<i32>,
}

#[derive(Clone, Debug)]
pub struct SourceDuty {
    pub person: String,
    /// None for an officer.
    pub unit: Option<String>,
    pub role: DutyRole,
    pub start_date: NaiveDate,
    /// The work phone and e-mail at this unit, shown on the school's staff list; an invalid one
    /// is left out (and counted), never stored as given.
    pub work_phone: Option<String>,
    pub work_email: Option<String>,
}

/// A password account to create with the snapshot (demo data only; real accounts come from
/// BankID or an administrator).
#[derive(Clone)]
pub struct SourceAccount {
    pub person: String,
    pub username: String,
    pub password_hash: String,
    pub must_change_password: bool,
}

#[derive(Clone, Debug)]
pub struct SourceMunicipality {
    pub code: String,
    pub name: String,
    pub settings: crate::municipality::MunicipalitySettings,
    /// The school terms the municipality has decided.
    pub terms: Vec<SourceTerm>,
    /// Pupils below this school year need no second factor for their own records
    /// (`municipality.pupil_password_below_year`).
    pub pupil_password_below_year: Option<i32>,
}

#[derive(Clone, Debug)]
pub struct SourceTerm {
    pub kind: crate::entity::school_term::TermKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Clone, Default)]
pub struct Snapshot {
    pub municipality: Option<SourceMunicipality>,
    pub units: Vec<SourceUnit>,
    pub persons: Vec<SourcePerson>,
    pub guardianships: Vec<SourceGuardianship>,
    pub groups: Vec<SourceGroup>,
    pub memberships: Vec<SourceMembership>,
    pub enrolments: Vec<SourceEnrolment>,
    pub placements: Vec<SourcePlacement>,
    pub duties: Vec<SourceDuty>,
    pub accounts: Vec<SourceAccount>,
}
