//! A typed client of SS 12000 v2.1, the Swedish standard API of school administration systems.
//!
//! The portal does not own its people and units: the municipality's school administration
//! system does, and the portal mirrors what that system says (organisations, persons with their
//! guardians and enrolments, preschool placements, staff duties, groups, activities, the
//! subjects and grades registered, and the coming weeks' calendar events), then follows changes
//! with `meta.modified.after` and deletions with `/deletedEntities`. What is read here goes
//! through `crate::population` (admission drops protected identities) before anything is stored.
//!
//! The client is written by hand rather than generated: the standard's OpenAPI document
//! (`shared/specs/ss12000-2.1.0.openapi.yaml`) has no operation ids and ambiguous `default`
//! responses, on which progenitor panics, and the portal reads nine lists and the deletions, a
//! few hundred lines against a generator's tens of thousands.
//!
//! - [`model`]: the records, as serde types that tolerate new code values and extra fields.
//! - [`client`]: the access token (OAuth 2 client credentials, optionally over mutual TLS),
//!   paging by `pageToken`, retries and typed errors; the two writes.
//! - [`write_back`]: what the portal records that goes back to the source (guardians' absence
//!   reports, lessons' attendance), when, and why each record arrives once.
//!
//! For incremental sync, the instant to ask from is best the largest `meta.modified` the last
//! run saw, not the portal's clock: the filter compares the source's own timestamps, and is
//! exclusive.

pub mod client;
pub mod model;
pub mod write_back;

pub use client::{Listed, Resource, Ss12000Client, Ss12000Error, Ss12000Settings};
pub use model::{
    AbsenceRecord, AbsenceType, Activity, Address, AddressType, AssignmentRole, AssignmentRoleType,
    AttendanceRecord, CalendarEvent, CivicNo, DeletedEntities, DeletedEntitiesData, Duty,
    DutyAssignment, DutyRole, Email, EmailType, Enrolment, Grade, GradeCorrectionType, Group,
    GroupMembership, GroupType, Meta, ObjectRef, Organisation, OrganisationAddress,
    OrganisationAddressType, OrganisationType, Page, Person, PersonRef, PersonStatus, PhoneNumber,
    PhoneType, Placement, RelationType, Responsible, SchoolType, SecurityMarking, Semester,
    Syllabus, TeacherException,
};
