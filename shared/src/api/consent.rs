//! Consents (samtycken): the kinds a municipality asks for, and each guardian's decisions about
//! a child, with their history. What a consent opens is its `purpose`; whether it is in force is
//! `crate::consent::state`.

use serde::{Deserialize, Serialize};

use super::timetable::stored_codes;

stored_codes! {
    /// What a consent opens in the portal.
    ConsentPurpose {
        /// Development talks with written talk material and goals held in the portal (Tyresö).
        TalkDocumentation = "talk_documentation",
        /// The development plan passed on to the next school in the municipality (Luleå).
        SchoolTransfer = "school_transfer",
        /// The child's name or photo on the school's website (Stockholm).
        WebsitePublication = "website_publication",
    }
}

stored_codes! {
    /// One guardian's decision.
    ConsentDecision {
        Given = "given",
        Withdrawn = "withdrawn",
    }
}

stored_codes! {
    /// Whose consent a kind needs.
    ConsentRequirement {
        /// One guardian's is enough.
        AnyGuardian = "any_guardian",
        /// Every guardian with custody must give it.
        EveryGuardian = "every_guardian",
    }
}

stored_codes! {
    /// Where a child's consent of one kind stands.
    ConsentState {
        /// Given as the kind needs, and withdrawn by nobody.
        InForce = "in_force",
        /// Given by some guardians; the kind needs every one.
        Waiting = "waiting",
        /// A guardian withdrew it: closed until that guardian gives it again.
        Withdrawn = "withdrawn",
        /// Nobody has decided yet.
        NotGiven = "not_given",
    }
}

/// A kind of consent as the municipality words it. `key` is stable: decisions name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ConsentKind {
    pub key: String,
    pub purpose: ConsentPurpose,
    pub title: String,
    /// What the guardian consents to, in full.
    pub text: String,
    pub requirement: ConsentRequirement,
    /// Days after a withdrawal before what was stored under the consent is deleted.
    pub grace_days: u32,
}

/// One guardian's latest decision on one consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct GuardianConsent {
    pub guardian_id: uuid::Uuid,
    pub given_name: String,
    pub family_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub decision: Option<ConsentDecision>,
    #[serde(default, deserialize_with = "crate::wire_date::opt_utc")]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A decision in the history: who, what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ConsentEvent {
    pub given_name: String,
    pub family_name: String,
    pub decision: ConsentDecision,
    #[serde(deserialize_with = "crate::wire_date::utc")]
    pub decided_at: chrono::DateTime<chrono::Utc>,
}

/// A child's consent of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildConsent {
    pub kind: ConsentKind,
    pub state: ConsentState,
    /// The guardians with custody today and their latest decisions.
    pub guardians: Vec<GuardianConsent>,
    /// Every decision, newest first.
    pub history: Vec<ConsentEvent>,
    /// The asker's own latest decision, when they are one of the guardians.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
    pub mine: Option<ConsentDecision>,
}

/// `GET /api/children/{id}/consents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ChildConsents {
    pub child_id: uuid::Uuid,
    pub consents: Vec<ChildConsent>,
    /// Whether the asker may give and withdraw them (a guardian with custody).
    pub can_decide: bool,
}

/// `PUT /api/children/{id}/consents/{key}`: the asker's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ConsentChoice {
    pub decision: ConsentDecision,
}
