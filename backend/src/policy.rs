//! The access policy, as data, in one place (docs/rules.md rule 7; modelled on eVaka's `Action`).
//!
//! Every operation on a person's data names an `Action`; each action declares the `Rule`s
//! (relations between the actor and the person) that allow it, and the login strength each rule
//! needs (DOMAIN.md rule 11: staff reading pupils' data log in with a one-time code or BankID,
//! signing needs BankID). A single-item operation asks `authorize` ("may I?"); a list operation
//! asks `authorize_list` and uses `permitted_subjects_sql`, the same rules turned into a database
//! filter. Denial is indistinguishable from absence: the caller answers 404. A session that has
//! the relation but logged in too weakly is told to step up (403 `step_up_required`, with the
//! strength needed), not that the person is not there.
//!
//! The table of actions × rules × strengths is checked against `tests/golden/permissions.txt` in
//! a unit test, so a changed permission shows up as a diff in review.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::db::numbered_params;
pub use crate::entity::session::LoginStrength;

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
    /// Officer (handläggare) of the municipality, for its children: pupils, children with a
    /// responsible adult, applicants for a place. Not every adult: an officer has no business
    /// with a guardian's address unless a rule below gives one.
    Officer,
    /// Officer, for an adult who filed a childcare document (the household's income statement
    /// is about its filer).
    OfficerForFiledDocument,
    /// Officer, for the person a correction request is about.
    OfficerForCorrectionRequest,
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
    /// Signing a childcare document (DOMAIN.md rule 2: BankID only). Who must sign a document is
    /// `childcare::signatures`; this says how strongly they must have logged in.
    SignChildcareDocument,
    /// Asking for an item of the register extract about oneself or one's child to be corrected
    /// (rättelse). Only guardians act in the child's name here: a foster parent asks the
    /// guardian or the social services.
    RequestCorrection,
    /// The officer's list of correction requests and answering them.
    HandleCorrectionRequests,
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
        Action::SignChildcareDocument,
        Action::RequestCorrection,
        Action::HandleCorrectionRequests,
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
            // The child's register extract is the guardians' to ask for, as the child's legal
            // representatives (docs/rules.md rule 6); a foster parent is not one.
            Action::ReadRegisterExtract => &[Own, Guardian],
            Action::ReadChildcareSchedule => &[Guardian, OtherResponsibleAdult, StaffOfUnit],
            Action::EditChildcareSchedule => &[Guardian, OtherResponsibleAdult],
            Action::ReadPickupPersons => &[Guardian, OtherResponsibleAdult, StaffOfUnit],
            Action::ManagePickupPersons => &[Guardian, OtherResponsibleAdult],
            Action::ReadChildcareDaySheet => &[StaffOfUnit],
            Action::ManageChildcarePlace => &[Guardian],
            Action::HandleChildcareQueue => &[Officer],
            Action::ReadPlacementOffers => &[Officer],
            Action::ReadReceivedDocuments => &[Officer, OfficerForFiledDocument],
            Action::SignChildcareDocument => &[Guardian],
            Action::RequestCorrection => &[Own, Guardian],
            Action::HandleCorrectionRequests => &[OfficerForCorrectionRequest],
        }
    }

    /// The login strength `rule` needs to allow this action. The family reads with a password
    /// (grades, absence, talk material and IUP will ask more as they arrive); anyone reading a
    /// child's or pupil's data in an official capacity needs a one-time code or BankID; a
    /// signature needs BankID.
    pub const fn required_strength(self, rule: Rule) -> LoginStrength {
        match self {
            Action::SignChildcareDocument => LoginStrength::Bankid,
            _ if rule.is_family() => LoginStrength::Password,
            _ => LoginStrength::PasswordAndTotp,
        }
    }

    /// The weakest login any of the rules accepts.
    pub fn weakest_strength(self) -> LoginStrength {
        self.rules()
            .iter()
            .map(|rule| self.required_strength(*rule))
            .min()
            .unwrap_or(LoginStrength::Bankid)
    }

    /// What the access log records (`access_log.action`, shown in the register extract).
    pub const fn log_name(self) -> skolportal_shared::api::AccessAction {
        use skolportal_shared::api::AccessAction as Logged;
        match self {
            Action::ReadPupilCard => Logged::ReadPupilCard,
            Action::ListOwnChildren => Logged::ListOwnChildren,
            Action::ListPupils => Logged::ListPupils,
            Action::ReadRegisterExtract => Logged::ReadRegisterExtract,
            Action::ReadChildcareSchedule => Logged::ReadChildcareSchedule,
            Action::EditChildcareSchedule => Logged::EditChildcareSchedule,
            Action::ReadPickupPersons => Logged::ReadPickupPersons,
            Action::ManagePickupPersons => Logged::ManagePickupPersons,
            Action::ReadChildcareDaySheet => Logged::ReadChildcareDaySheet,
            Action::ManageChildcarePlace => Logged::ManageChildcarePlace,
            Action::HandleChildcareQueue => Logged::HandleChildcareQueue,
            Action::ReadPlacementOffers => Logged::ReadPlacementOffers,
            Action::ReadReceivedDocuments => Logged::ReadReceivedDocuments,
            Action::SignChildcareDocument => Logged::SignChildcareDocument,
            Action::RequestCorrection => Logged::RequestCorrection,
            Action::HandleCorrectionRequests => Logged::HandleCorrectionRequests,
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
                "SELECT c.subject FROM duty d CROSS JOIN (\
                 SELECT child_id AS subject FROM guardianship \
                 UNION SELECT pupil_id AS subject FROM enrolment \
                 UNION SELECT child_id AS subject FROM childcare_application) c \
                 WHERE d.person_id = $1 AND d.role = 'officer' AND d.start_date <= $2 \
                 AND (d.end_date IS NULL OR d.end_date >= $2)"
            }
            OfficerForFiledDocument => {
                "SELECT doc.owner_person_id AS subject FROM duty d CROSS JOIN childcare_document doc \
                 WHERE d.person_id = $1 AND d.role = 'officer' AND d.start_date <= $2 \
                 AND (d.end_date IS NULL OR d.end_date >= $2)"
            }
            OfficerForCorrectionRequest => {
                "SELECT cr.subject_person_id AS subject FROM duty d CROSS JOIN correction_request cr \
                 WHERE d.person_id = $1 AND d.role = 'officer' AND d.start_date <= $2 \
                 AND (d.end_date IS NULL OR d.end_date >= $2)"
            }
        }
    }
}

/// A subquery with one column, `subject`: every person `action` is permitted on for the actor
/// (`$1`) on day `$2`, within the actor's municipality (`$3`), through the rules a session of
/// `strength` meets.
pub fn permitted_subjects_sql(action: Action, strength: LoginStrength) -> String {
    subjects_through(
        action
            .rules()
            .iter()
            .copied()
            .filter(|rule| action.required_strength(*rule) <= strength),
    )
}

fn subjects_through(rules: impl Iterator<Item = Rule>) -> String {
    let union = rules
        .map(|r| r.subjects_sql())
        .collect::<Vec<_>>()
        .join(" UNION ");
    // No rule: a subquery of the right type that finds no one.
    let union = if union.is_empty() {
        "SELECT id AS subject FROM person WHERE 1 = 0".to_owned()
    } else {
        union
    };
    format!(
        "(SELECT s.subject FROM ({union}) s JOIN person scope ON scope.id = s.subject AND scope.municipality_id = $3)"
    )
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// Not permitted, or no such person: the same to the caller.
    #[error("not found")]
    NotFound,
    /// Permitted through a rule that needs a stronger login than this session's.
    #[error("a stronger login is needed: {required:?}")]
    StepUpRequired { required: LoginStrength },
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Proof that `authorize` said yes for this actor, action and subject. Only this module makes
/// one: its fields are private, so a handler cannot write itself a permit.
#[derive(Clone, Copy, Debug)]
pub struct Permit {
    action: Action,
    subject: Uuid,
}

impl Permit {
    pub fn action(&self) -> Action {
        self.action
    }

    pub fn subject(&self) -> Uuid {
        self.subject
    }
}

#[derive(FromQueryResult)]
struct Hit {
    #[allow(dead_code)]
    subject: Uuid,
}

/// The strengths above `held` that some rule of `action` needs, weakest first, each with its
/// rules.
fn stronger_rules(action: Action, held: LoginStrength) -> Vec<(LoginStrength, Vec<Rule>)> {
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

/// Whether `subjects` (a subquery from `subjects_through`) finds `subject`, or anyone when
/// `subject` is `None`.
async fn finds(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    subjects: &str,
    subject: Option<Uuid>,
    today: NaiveDate,
) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![
        user.person_id.into(),
        today.into(),
        user.municipality_id.into(),
    ];
    let sql = match subject {
        Some(subject) => {
            values.push(subject.into());
            format!("SELECT p.subject FROM {subjects} p WHERE p.subject = $4")
        }
        None => format!("SELECT p.subject FROM {subjects} p LIMIT 1"),
    };
    Ok(Hit::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        values,
    ))
    .one(db)
    .await?
    .is_some())
}

/// May `user` do `action` to `subject`'s data today?
pub async fn authorize(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    action: Action,
    subject: Uuid,
    today: NaiveDate,
) -> Result<Permit, PolicyError> {
    let held = user.login_strength;
    if finds(
        db,
        user,
        &permitted_subjects_sql(action, held),
        Some(subject),
        today,
    )
    .await?
    {
        return Ok(Permit { action, subject });
    }
    // Only when the answer is no: would a stronger login have made it yes?
    for (required, rules) in stronger_rules(action, held) {
        let subjects = subjects_through(rules.into_iter());
        if finds(db, user, &subjects, Some(subject), today).await? {
            return Err(PolicyError::StepUpRequired { required });
        }
    }
    Err(PolicyError::NotFound)
}

/// May `user` list `action`'s subjects with this session? Refuses with `StepUpRequired` when a
/// rule the session is too weak for would add someone to the list; the list itself is filtered
/// by `permitted_subjects_sql` with the session's strength.
pub async fn authorize_list(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    action: Action,
    today: NaiveDate,
) -> Result<(), PolicyError> {
    for (required, rules) in stronger_rules(action, user.login_strength) {
        if finds(db, user, &subjects_through(rules.into_iter()), None, today).await? {
            return Err(PolicyError::StepUpRequired { required });
        }
    }
    Ok(())
}

/// The permission table as text, one action a line: `action: rule, rule`, each rule followed by
/// the login strength it needs when that is more than a password (`Mentor [PasswordAndTotp]`).
pub fn table() -> String {
    Action::ALL
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
                let key = format!("action.{}", action.log_name().code());
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
        assert_eq!(Action::ReadPupilCard.required_strength(Guardian), Password);
        assert_eq!(Action::ReadPupilCard.required_strength(Own), Password);
        assert_eq!(
            Action::ReadPupilCard.required_strength(Mentor),
            PasswordAndTotp
        );
        assert_eq!(Action::ListPupils.weakest_strength(), PasswordAndTotp);
        assert_eq!(
            Action::ReadChildcareDaySheet.required_strength(StaffOfUnit),
            PasswordAndTotp
        );
        assert_eq!(
            Action::HandleChildcareQueue.weakest_strength(),
            PasswordAndTotp
        );
        assert_eq!(Action::SignChildcareDocument.weakest_strength(), Bankid);
        assert!(Password < PasswordAndTotp && PasswordAndTotp < Bankid);
    }

    #[test]
    fn every_action_has_a_rule_and_a_log_name() {
        for action in Action::ALL {
            assert!(!action.rules().is_empty(), "{action:?}");
            assert!(!action.log_name().code().is_empty());
        }
    }
}
