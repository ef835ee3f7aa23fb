//! The SS 12000 sync as the officer follows it: the runs (when, what they changed, what they
//! refused and why, what failed), starting one, and confirming one that was refused. The kinds
//! here are also the backend's column types.

use serde::{Deserialize, Serialize};

macro_rules! column_enum {
    ($(#[$doc:meta])* $name:ident, $len:literal { $($(#[$vdoc:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
        #[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
        #[cfg_attr(feature = "orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(
            feature = "orm",
            sea_orm(rs_type = "String", db_type = $len)
        )]
        pub enum $name {
            $(
                $(#[$vdoc])*
                #[cfg_attr(feature = "orm", sea_orm(string_value = $value))]
                $variant,
            )*
        }
    };
}

column_enum! {
    /// Whether a sync read everything or only what changed.
    SyncScope, "String(sea_orm::sea_query::StringLen::N(16))" {
        Full = "full",
        Incremental = "incremental",
    }
}

column_enum! {
    /// Who or what started a sync.
    SyncTrigger, "String(sea_orm::sea_query::StringLen::N(16))" {
        Schedule = "schedule",
        Officer = "officer",
        /// An officer confirmed a refused sync.
        Confirmation = "confirmation",
    }
}

column_enum! {
    SyncOutcome, "String(sea_orm::sea_query::StringLen::N(16))" {
        /// Reconciled: the portal is what the source says (possibly with nothing to change).
        Completed = "completed",
        /// It would have removed too much; nothing changed, and it waits for an officer.
        Refused = "refused",
        /// The source could not be read completely, or its answer did not hold together;
        /// nothing changed.
        Failed = "failed",
    }
}

column_enum! {
    /// The kinds of relation a sync may refuse to end too many of.
    RelationKind, "String(sea_orm::sea_query::StringLen::N(32))" {
        Guardianships = "guardianships",
        Memberships = "memberships",
        Enrolments = "enrolments",
        Placements = "placements",
        Duties = "duties",
    }
}

column_enum! {
    /// The kinds of SS 12000 record the portal keeps a copy of (the source's last answer).
    SourceRecordKind, "String(sea_orm::sea_query::StringLen::N(16))" {
        Organisation = "organisation",
        Person = "person",
        Placement = "placement",
        Duty = "duty",
        Group = "group",
        Activity = "activity",
        /// A subject or course, which a grade names.
        Syllabus = "syllabus",
        Grade = "grade",
        /// One lesson of an activity on one day.
        CalendarEvent = "calendar_event",
    }
}

/// The kinds of row a sync counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
pub enum SyncedKind {
    Units,
    Groups,
    Persons,
    Guardianships,
    Memberships,
    Enrolments,
    Placements,
    Duties,
    /// Grades the source registered.
    Grades,
    /// How the coming days' lessons differ from the weekly plan.
    LessonChanges,
}

/// What a sync did to one kind of row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SyncCount {
    pub kind: SyncedKind,
    pub added: u32,
    pub changed: u32,
    /// Ended (a relation), or no longer listed by the source (a person, unit or group).
    pub removed: u32,
}

/// Why a sync was refused: it would have ended `removed` of the `existing` current relations of
/// a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SyncRefusal {
    pub kind: RelationKind,
    pub removed: u32,
    pub existing: u32,
}

/// One sync, newest first in [`SourceSyncOverview::runs`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SourceSyncRun {
    pub id: uuid::Uuid,
    pub scope: SyncScope,
    pub trigger: SyncTrigger,
    pub outcome: SyncOutcome,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub started_at: chrono::DateTime<chrono::Utc>,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub finished_at: chrono::DateTime<chrono::Utc>,
    /// For a completed sync, the kinds it changed (kinds without changes are left out).
    pub counts: Vec<SyncCount>,
    /// Persons the source listed and the portal keeps out: protected identity.
    pub refused_protected: u32,
    /// Persons the source listed with a personnummer that does not hold.
    pub refused_invalid: u32,
    /// Persons removed because the source now marks them with protected identity.
    pub forgotten: u32,
    /// Grades the portal cannot show: another grading scale, a subject it has no code for, a
    /// pupil or a term it does not have.
    #[serde(default)]
    pub grades_left_out: u32,
    /// Calendar events with no planned lesson to pair with (the portal has no one-off
    /// lessons).
    #[serde(default)]
    pub lessons_not_placed: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub refusal: Option<SyncRefusal>,
    /// For a failed sync: what went wrong, in the words of the system (no personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub error: Option<String>,
    /// A refused sync that is the latest: an officer may confirm it.
    pub confirmable: bool,
}

/// `GET /api/officer/source-sync`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct SourceSyncOverview {
    /// Whether the portal follows an SS 12000 source at all.
    pub configured: bool,
    /// A sync an officer asked for that has not run yet.
    pub pending: bool,
    /// The latest runs, newest first.
    pub runs: Vec<SourceSyncRun>,
}
