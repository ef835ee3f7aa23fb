//! The access policy, as data, in one place (docs/rules.md rule 7; modelled on eVaka's `Action`).
//!
//! Every operation on a person's data names an `Action`; each action declares the `Rule`s
//! (relations between the actor and the person) that allow it. A single-item operation asks
//! `authorize` ("may I?"); a list operation uses `permitted_subjects_sql`, the same rules turned
//! into a database filter. Denial is indistinguishable from absence: the caller answers 404.
//!
//! The table of actions × rules is checked against `tests/golden/permissions.txt` in a unit test,
//! so a changed permission shows up as a diff in review.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::db::numbered_params;

/// A relation between the actor and the person whose data is at stake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// The person themselves.
    Own,
    /// Vårdnadshavare of the child.
    Guardian,
    /// Annan ansvarig vuxen (foster parent, legal representative) of the child.
    OtherResponsibleAdult,
    /// Mentor of a group the pupil is in.
    Mentor,
    /// Teacher of a group the pupil is in.
    TeacherOfGroup,
    /// Staff with a current duty at a unit where the child is enrolled or placed.
    StaffOfUnit,
    /// Officer (handläggare) of the person's municipality.
    Officer,
}

/// What someone wants to do with a person's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// The pupil card: name, birth date, address, phone, school e-mail, class, units.
    ReadPupilCard,
    /// A guardian's list of their children ("Mina barn").
    ListOwnChildren,
    /// A staff member's list of pupils and children they work with.
    ListPupils,
    /// The register extract (registerutdrag) about the person and their children.
    ReadRegisterExtract,
    /// A child's childcare schedule (vistelsetid).
    ReadChildcareSchedule,
    /// Setting or copying a child's childcare schedule.
    EditChildcareSchedule,
    /// The people allowed to collect a child (hämtare).
    ReadPickupPersons,
    /// Adding and removing the people allowed to collect a child.
    ManagePickupPersons,
    /// A unit's day sheet: the children expected that day with their times and pick-up persons.
    ReadChildcareDaySheet,
    /// Applying for a childcare place, answering a placement offer, terminating a place (signed
    /// documents: `childcare::signatures` decides who must sign).
    ManageChildcarePlace,
    /// The officer's queue of applications and making placement offers from it.
    HandleChildcareQueue,
    /// The officer's list of the placement offers made in the municipality, with their answers.
    ReadPlacementOffers,
    /// The documents guardians have signed (income statements, answers to offers,
    /// terminations) as the officer receives them: the text, who signed and when.
    ReadReceivedDocuments,
}

use Rule::*;

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::ReadPupilCard,
        Action::ListOwnChildren,
        Action::ListPupils,
        Action::ReadRegisterExtract,
        Action::ReadChildcareSchedule,
        Action::EditChildcareSchedule,
        Action::ReadPickupPersons,
        Action::ManagePickupPersons,
        Action::ReadChildcareDaySheet,
        Action::ManageChildcarePlace,
        Action::HandleChildcareQueue,
        Action::ReadPlacementOffers,
        Action::ReadReceivedDocuments,
    ];

    pub const fn rules(self) -> &'static [Rule] {
        match self {
            Action::ReadPupilCard => &[
                Own,
                Guardian,
                OtherResponsibleAdult,
                Mentor,
                TeacherOfGroup,
                StaffOfUnit,
                Officer,
            ],
            Action::ListOwnChildren => &[Guardian, OtherResponsibleAdult],
            Action::ListPupils => &[Mentor, TeacherOfGroup, StaffOfUnit],
            Action::ReadRegisterExtract => &[Own, Guardian, OtherResponsibleAdult],
            Action::ReadChildcareSchedule => &[Guardian, OtherResponsibleAdult, StaffOfUnit],
            Action::EditChildcareSchedule => &[Guardian, OtherResponsibleAdult],
            Action::ReadPickupPersons => &[Guardian, OtherResponsibleAdult, StaffOfUnit],
            Action::ManagePickupPersons => &[Guardian, OtherResponsibleAdult],
            Action::ReadChildcareDaySheet => &[StaffOfUnit],
            Action::ManageChildcarePlace => &[Guardian],
            Action::HandleChildcareQueue => &[Officer],
            Action::ReadPlacementOffers => &[Officer],
            Action::ReadReceivedDocuments => &[Officer],
        }
    }

    /// The name written to the access log.
    pub const fn log_name(self) -> &'static str {
        match self {
            Action::ReadPupilCard => "read_pupil_card",
            Action::ListOwnChildren => "list_own_children",
            Action::ListPupils => "list_pupils",
            Action::ReadRegisterExtract => "read_register_extract",
            Action::ReadChildcareSchedule => "read_childcare_schedule",
            Action::EditChildcareSchedule => "edit_childcare_schedule",
            Action::ReadPickupPersons => "read_pickup_persons",
            Action::ManagePickupPersons => "manage_pickup_persons",
            Action::ReadChildcareDaySheet => "read_childcare_day_sheet",
            Action::ManageChildcarePlace => "manage_childcare_place",
            Action::HandleChildcareQueue => "handle_childcare_queue",
            Action::ReadPlacementOffers => "read_placement_offers",
            Action::ReadReceivedDocuments => "read_received_documents",
        }
    }
}

impl Action {
    /// Whether doing this is written to the access log. Rule 7 logs reads in an official
    /// capacity — staff and officers — so every action one of them can take is logged (for mixed
    /// actions, family reads too: telling them apart would cost a query per request). An action
    /// that only the person and the child's responsible adults can take is not: a guardian
    /// looking at "Mina barn" each morning is not what the log is for, and would make it the
    /// largest table in the database.
    pub fn is_logged(self) -> bool {
        !self.rules().iter().all(|rule| rule.is_family())
    }
}

impl Rule {
    /// The person themselves or a responsible adult of the child, as opposed to an official.
    pub const fn is_family(self) -> bool {
        matches!(self, Own | Guardian | OtherResponsibleAdult)
    }

    /// The ids of persons the actor (`$1`) has this relation to, on day `$2`.
    fn subjects_sql(self) -> &'static str {
        match self {
            Own => "SELECT id AS subject FROM person WHERE id = $1",
            // Every relation is dated: it holds from its start day to its end day inclusive
            // (`$2` is the day asked about). A pupil's enrolment or a child's place that has
            // not begun yet still counts for the unit's staff, who prepare for the child.
            Guardian => {
                "SELECT child_id AS subject FROM guardianship WHERE adult_id = $1 AND relation = 'guardian' \
                 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)"
            }
            OtherResponsibleAdult => {
                "SELECT child_id AS subject FROM guardianship WHERE adult_id = $1 AND relation = 'other_responsible_adult' \
                 AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)"
            }
            Mentor => {
                "SELECT p.person_id AS subject FROM group_membership m \
                 JOIN group_membership p ON p.group_id = m.group_id AND p.role = 'pupil' \
                 AND p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $2) \
                 WHERE m.person_id = $1 AND m.role = 'mentor' \
                 AND m.start_date <= $2 AND (m.end_date IS NULL OR m.end_date >= $2)"
            }
            TeacherOfGroup => {
                "SELECT p.person_id AS subject FROM group_membership m \
                 JOIN group_membership p ON p.group_id = m.group_id AND p.role = 'pupil' \
                 AND p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $2) \
                 WHERE m.person_id = $1 AND m.role = 'teacher' \
                 AND m.start_date <= $2 AND (m.end_date IS NULL OR m.end_date >= $2)"
            }
            StaffOfUnit => {
                "SELECT e.pupil_id AS subject FROM duty d JOIN enrolment e ON e.unit_id = d.unit_id \
                 WHERE d.person_id = $1 AND d.role <> 'officer' AND d.start_date <= $2 \
                 AND (d.end_date IS NULL OR d.end_date >= $2) AND (e.end_date IS NULL OR e.end_date >= $2) \
                 UNION SELECT pl.child_id AS subject FROM duty d JOIN placement pl ON pl.unit_id = d.unit_id \
                 WHERE d.person_id = $1 AND d.role <> 'officer' AND d.start_date <= $2 \
                 AND (d.end_date IS NULL OR d.end_date >= $2) AND (pl.end_date IS NULL OR pl.end_date >= $2)"
            }
            Officer => {
                "SELECT p.id AS subject FROM duty d JOIN person p ON p.municipality_id = d.municipality_id \
                 WHERE d.person_id = $1 AND d.role = 'officer' AND d.start_date <= $2 \
                 AND (d.end_date IS NULL OR d.end_date >= $2)"
            }
        }
    }
}

/// A subquery with one column, `subject`: every person `action` is permitted on for the actor
/// (`$1`) on day `$2`, within the actor's municipality (`$3`).
pub fn permitted_subjects_sql(action: Action) -> String {
    let union = action
        .rules()
        .iter()
        .map(|r| r.subjects_sql())
        .collect::<Vec<_>>()
        .join(" UNION ");
    format!(
        "(SELECT s.subject FROM ({union}) s JOIN person scope ON scope.id = s.subject AND scope.municipality_id = $3)"
    )
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// Not permitted, or no such person: the same to the caller.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Proof that `authorize` said yes for this actor, action and subject.
#[derive(Clone, Copy, Debug)]
pub struct Permit {
    pub action: Action,
    pub subject: Uuid,
}

#[derive(FromQueryResult)]
struct Hit {
    #[allow(dead_code)]
    subject: Uuid,
}

/// May `user` do `action` to `subject`'s data today?
pub async fn authorize(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    action: Action,
    subject: Uuid,
    today: NaiveDate,
) -> Result<Permit, PolicyError> {
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT p.subject FROM {} p WHERE p.subject = $4",
        permitted_subjects_sql(action)
    );
    let hit = Hit::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        [
            user.person_id.into(),
            today.into(),
            user.municipality_id.into(),
            subject.into(),
        ],
    ))
    .one(db)
    .await?;
    match hit {
        Some(_) => Ok(Permit { action, subject }),
        None => Err(PolicyError::NotFound),
    }
}

/// The permission table as text, one action a line: `action: rule, rule`.
pub fn table() -> String {
    Action::ALL
        .iter()
        .map(|a| {
            let rules: Vec<String> = a.rules().iter().map(|r| format!("{r:?}")).collect();
            format!("{a:?}: {}\n", rules.join(", "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A changed permission must be a visible, reviewed change of the golden file.
    #[test]
    fn the_permission_table_matches_the_golden_file() {
        let golden = include_str!("../../tests/golden/permissions.txt");
        assert_eq!(
            table(),
            golden,
            "update tests/golden/permissions.txt if this change is intended"
        );
    }

    #[test]
    fn what_staff_or_officers_can_do_is_logged_what_only_family_can_do_is_not() {
        assert!(Action::ReadPupilCard.is_logged());
        assert!(Action::ReadChildcareSchedule.is_logged());
        assert!(Action::HandleChildcareQueue.is_logged());
        assert!(!Action::ListOwnChildren.is_logged());
        assert!(!Action::ReadRegisterExtract.is_logged());
        assert!(!Action::EditChildcareSchedule.is_logged());
    }

    /// The register extract shows each access-log line by its action's translated name; an
    /// action without one showed its raw code (`read_pickup_persons`) to the family.
    #[test]
    fn every_action_has_a_name_in_every_catalogue() {
        for (language, catalogue) in [
            ("sv", include_str!("../../frontend/i18n/sv.json")),
            ("en", include_str!("../../frontend/i18n/en.json")),
        ] {
            let texts: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(catalogue).expect("the catalogue is JSON");
            for action in Action::ALL {
                let key = format!("action.{}", action.log_name());
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
    fn every_action_has_a_rule_and_a_log_name() {
        for action in Action::ALL {
            assert!(!action.rules().is_empty(), "{action:?}");
            assert!(!action.log_name().is_empty());
        }
    }
}
