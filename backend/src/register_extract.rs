//! Registerutdrag (docs/rules.md rule 6, GDPR art. 15): everything stored about the logged-in
//! person and, for a guardian, their children — including who has read it in an official
//! capacity. The system we replace could not produce one.
//!
//! `COVERAGE` names every table that refers to a person and where the extract shows it (or why
//! it does not); a system test reads the database schema and fails when a table that refers to
//! a person is missing from it, so that a new table cannot be forgotten here.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, Statement,
};
use skolportal_shared::api::{
    AccessAction, AccessEntry, Address, AuthMethod as WireAuthMethod, ExtractAbsenceReport,
    ExtractAccount, ExtractApplication, ExtractAttendance, ExtractAttendanceTaken,
    ExtractCalendarFeed, ExtractChild, ExtractConsentDecision, ExtractDocument, ExtractDuty,
    ExtractFailedLogin, ExtractIncome, ExtractLeaveApplication, ExtractLesson, ExtractLessonChange,
    ExtractNotice, ExtractNotices, ExtractOffer, ExtractPerson, ExtractPickupPerson,
    ExtractPlacement, ExtractPushDevice, ExtractScheduleDay, ExtractSession, ExtractSignature,
    ExtractSourceRecord, ExtractTimetable, ExtractTrustedBrowser, RegisterExtract, Relation,
    ResponsibleAdult, SessionEnd,
};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::auth::throttle;
use crate::childcare::payload::IncomeStatement;
use crate::corrections::{self, CorrectionError};
use crate::db::numbered_params;
use crate::entity::guardianship::{self, GuardianRelation};
use crate::entity::placement::PlacementKind;
use crate::entity::session::AuthMethod;
use crate::entity::{
    absence_report, childcare_application, childcare_document, consent_decision, enrolment,
    leave_agreement, leave_application, login_attempt, login_device, notice_preference, person,
    pickup_person, placement, placement_offer, push_subscription, recovery_code, schedule_day,
    session, unit, user_account,
};
use crate::policy::{self, PersonAction};
use crate::settings::SessionSettings;

/// Where the extract shows a table that refers to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Shown in the extract, in the named part.
    Shown(&'static str),
    /// Not shown, for the reason given (it holds no personal data beyond an id that the
    /// shown parts already cover, or it lives for minutes).
    NotShown(&'static str),
}

/// Every table with a column that refers to a person, and where the extract covers it.
pub const COVERAGE: &[(&str, Coverage)] = &[
    ("person", Coverage::Shown("person, children")),
    (
        "source_record",
        Coverage::Shown("source_records, children.source_records"),
    ),
    ("user_account", Coverage::Shown("account")),
    ("session", Coverage::Shown("account.sessions")),
    ("login_device", Coverage::Shown("account.trusted_browsers")),
    (
        "recovery_code",
        Coverage::Shown("account.unused_recovery_codes"),
    ),
    ("login_attempt", Coverage::Shown("failed_logins")),
    (
        "guardianship",
        Coverage::Shown("children, responsible_adults"),
    ),
    ("duty", Coverage::Shown("roles, duties")),
    ("enrolment", Coverage::Shown("children.placements")),
    ("placement", Coverage::Shown("children.placements")),
    ("group_membership", Coverage::Shown("children.groups")),
    (
        "childcare_application",
        Coverage::Shown("children.applications"),
    ),
    ("placement_offer", Coverage::Shown("children.offers")),
    (
        "childcare_document",
        Coverage::Shown("documents, children.documents"),
    ),
    (
        "signature_evidence",
        Coverage::Shown("documents.signatures"),
    ),
    ("schedule_day", Coverage::Shown("children.schedule")),
    (
        "absence_report",
        Coverage::Shown("children.absence_reports"),
    ),
    ("pickup_person", Coverage::Shown("children.pickup_persons")),
    ("childcare_presence", Coverage::Shown("children.presence")),
    ("staff_pin", Coverage::Shown("kiosk.pin_set_at")),
    ("kiosk_session", Coverage::Shown("kiosk.sessions")),
    (
        "kiosk_device",
        Coverage::NotShown(
            "a tablet paired to a unit, and who paired and unpaired it: an official act on the \
             unit; the tablet is named where a check-in or a sign-in on it is shown",
        ),
    ),
    (
        "kiosk_pairing",
        Coverage::NotShown(
            "a one-time code an administrator made to pair a tablet: an official act on the \
             unit, and the code itself is kept only as a hash",
        ),
    ),
    (
        "access_log",
        Coverage::Shown("access_log, children.access_log"),
    ),
    ("correction_request", Coverage::Shown("corrections")),
    (
        "person_key",
        Coverage::NotShown(
            "a random pseudonym and secret that link the access log and signatures to the \
             person: no data about them, and what forgetting them destroys",
        ),
    ),
    ("lesson", Coverage::Shown("timetable.lessons_taught")),
    ("lesson_change", Coverage::Shown("timetable.lesson_changes")),
    ("calendar_feed", Coverage::Shown("timetable.calendar_feeds")),
    (
        "attendance_mark",
        Coverage::Shown("children.attendance, timetable.attendance, timetable.attendance_taken"),
    ),
    ("notice", Coverage::Shown("notices.received")),
    (
        "leave_application",
        Coverage::Shown("children.leave_applications"),
    ),
    (
        "leave_agreement",
        Coverage::Shown("children.leave_applications.agreed_by"),
    ),
    ("consent_decision", Coverage::Shown("children.consents")),
    (
        "talk_part",
        Coverage::Shown("talk_material, children.talk_material"),
    ),
    ("grade", Coverage::Shown("grades, children.grades")),
    (
        "iup_goal",
        Coverage::Shown("development_goals, children.development_goals"),
    ),
    (
        "iup_assessment",
        Coverage::Shown("assessments, children.assessments"),
    ),
    (
        "talk_booking",
        Coverage::Shown("talk_bookings, children.talk_bookings"),
    ),
    (
        "talk_booking_attendee",
        Coverage::Shown("talk_bookings.attendees, children.talk_bookings.attendees"),
    ),
    ("municipality_administrator", Coverage::Shown("roles")),
    (
        "setting_change",
        Coverage::NotShown(
            "which administrator changed a setting of the municipality: an official act on the \
             municipality, read in its settings history",
        ),
    ),
    (
        "archive_package",
        Coverage::NotShown(
            "which administrator confirmed a package's delivery to the city archive: an official \
             act on the municipality, read in its retention reports",
        ),
    ),
    (
        "retention_run",
        Coverage::NotShown(
            "which administrator started a retention run: an official act on the municipality, \
             read in its retention reports",
        ),
    ),
    (
        "talk_round",
        Coverage::NotShown(
            "the talk times a mentor published for a class: the school's offer, not data about a \
             person; the times booked are in talk_bookings",
        ),
    ),
    (
        "talk_slot",
        Coverage::NotShown("one time of a mentor's published talk times; no person in it"),
    ),
    (
        "grade_lock",
        Coverage::NotShown(
            "which principal locked a school's term of grades: an official act on the school, \
             not on a person",
        ),
    ),
    (
        "consent_reminder",
        Coverage::NotShown(
            "that the yearly consent reminder was sent: the reminder is in notices.received",
        ),
    ),
    (
        "absence_notice_batch",
        Coverage::NotShown(
            "a pupil's unexcused absence gathered for a notice: the marks are in \
             children.attendance, what was told in notices.received",
        ),
    ),
    (
        "notice_preference",
        Coverage::Shown("notices.by_email, notices.by_push, notices.language"),
    ),
    ("push_subscription", Coverage::Shown("notices.push_devices")),
    (
        "pending_login",
        Coverage::NotShown("a BankID login or signature in progress, deleted within minutes"),
    ),
    (
        "job",
        Coverage::NotShown("background work; its payload holds ids of what the extract shows"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("person not found")]
    NotFound,
    /// A child's part needs a stronger login than this session's: rather than leave it out.
    #[error("a stronger login is needed")]
    StepUpRequired(crate::entity::session::LoginStrength),
    /// A guardianship whose child is not stored: the extract would be incomplete.
    #[error("a linked child is missing")]
    Inconsistent,
    #[error(transparent)]
    Corrections(#[from] CorrectionError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

fn extract_person(p: &person::Model) -> ExtractPerson {
    let address = match (&p.street, &p.postal_code, &p.city) {
        (Some(street), Some(postal_code), Some(city)) => Some(Address {
            street: street.clone(),
            postal_code: postal_code.clone(),
            city: city.clone(),
        }),
        _ => None,
    };
    ExtractPerson {
        personnummer: p.personnummer.clone(),
        given_name: p.given_name.clone(),
        family_name: p.family_name.clone(),
        birth_date: p.birth_date,
        address,
        email: p.email.clone(),
        phone: p.phone.clone(),
        school_email: p.school_email.clone(),
    }
}

fn wire_relation(r: GuardianRelation) -> Relation {
    match r {
        GuardianRelation::Guardian => Relation::Guardian,
        GuardianRelation::OtherResponsibleAdult => Relation::OtherResponsibleAdult,
    }
}

#[derive(FromQueryResult)]
struct AccessRow {
    subject_person_id: Uuid,
    occurred_at: DateTime<Utc>,
    action: AccessAction,
    given_name: Option<String>,
    family_name: Option<String>,
    /// None: the actor was forgotten (`population::forget`).
    actor_person_id: Option<Uuid>,
}

/// Access-log lines about `subjects` written by others in an official capacity, newest first,
/// with the actor's name and current roles. The subject's own reads and those of the child's
/// responsible adults are left out: the list answers "who else has read this".
async fn access_entries(
    db: &DatabaseConnection,
    subjects: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<AccessEntry>>, sea_orm::DbErr> {
    let mut out: BTreeMap<Uuid, Vec<AccessEntry>> = BTreeMap::new();
    if subjects.is_empty() {
        return Ok(out);
    }
    let list = (1..=subjects.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let backend = db.get_database_backend();
    let sql = format!(
        // The log names pseudonyms (`population::keys`): a forgotten actor's key is gone, so
        // their lines show as a removed person.
        "SELECT ks.person_id AS subject_person_id, a.occurred_at, a.action, p.given_name, \
         p.family_name, ka.person_id AS actor_person_id \
         FROM access_log a JOIN person_key ks ON ks.pseudonym = a.subject_pseudonym \
         LEFT JOIN person_key ka ON ka.pseudonym = a.actor_pseudonym \
         LEFT JOIN person p ON p.id = ka.person_id \
         WHERE ks.person_id IN ({list}) AND a.actor_pseudonym <> a.subject_pseudonym \
         AND NOT EXISTS (SELECT 1 FROM guardianship g WHERE g.child_id = ks.person_id \
         AND g.adult_id = ka.person_id) \
         ORDER BY a.occurred_at DESC"
    );
    let rows = AccessRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        subjects
            .iter()
            .map(|s| sea_orm::Value::from(*s))
            .collect::<Vec<_>>(),
    ))
    .all(db)
    .await?;
    let mut roles_of: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    for row in rows {
        if let Some(actor) = row.actor_person_id {
            if let std::collections::btree_map::Entry::Vacant(slot) = roles_of.entry(actor) {
                slot.insert(actor_roles(db, actor).await?);
            }
        }
        out.entry(row.subject_person_id)
            .or_default()
            .push(AccessEntry {
                occurred_at: row.occurred_at,
                actor_name: match (row.given_name, row.family_name) {
                    (Some(g), Some(f)) => format!("{g} {f}"),
                    _ => "(borttagen person)".to_owned(),
                },
                actor_roles: row
                    .actor_person_id
                    .and_then(|a| roles_of.get(&a).cloned())
                    .unwrap_or_default(),
                action: row.action,
            });
    }
    Ok(out)
}

/// Role names (`guardian`, `teacher`, …) for an access-log actor.
async fn actor_roles(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<String>, sea_orm::DbErr> {
    #[derive(FromQueryResult)]
    struct RoleRow {
        role: String,
    }
    let backend = db.get_database_backend();
    let sql = "SELECT DISTINCT role FROM duty WHERE person_id = $1 \
               UNION SELECT DISTINCT 'guardian' AS role FROM guardianship WHERE adult_id = $1 \
               UNION SELECT DISTINCT 'pupil' AS role FROM enrolment WHERE pupil_id = $1 \
               UNION SELECT DISTINCT 'administrator' AS role FROM municipality_administrator \
               WHERE person_id = $1";
    let rows = RoleRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, sql),
        [person_id.into()],
    ))
    .all(db)
    .await?;
    let mut roles: Vec<String> = rows.into_iter().map(|r| r.role).collect();
    roles.sort();
    Ok(roles)
}

async fn placements_of(
    db: &DatabaseConnection,
    child: Uuid,
) -> Result<(Vec<ExtractPlacement>, Vec<String>), sea_orm::DbErr> {
    let mut out = Vec::new();
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::PupilId.eq(child))
        .all(db)
        .await?;
    let places = placement::Entity::find()
        .filter(placement::Column::ChildId.eq(child))
        .all(db)
        .await?;
    let unit_ids: Vec<Uuid> = enrolments
        .iter()
        .map(|e| e.unit_id)
        .chain(places.iter().map(|p| p.unit_id))
        .collect();
    let units = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?;
    let name = |id: Uuid| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    for e in enrolments {
        out.push(ExtractPlacement {
            unit: name(e.unit_id),
            kind: "school".into(),
            start_date: e.start_date,
            end_date: e.end_date,
            school_year: Some(e.school_year),
            hours_per_week: None,
        });
    }
    for p in places {
        out.push(ExtractPlacement {
            unit: name(p.unit_id),
            kind: match p.kind {
                PlacementKind::Preschool => "preschool",
                PlacementKind::Fritidshem => "fritidshem",
                PlacementKind::FamilyDaycare => "family_daycare",
            }
            .into(),
            start_date: p.start_date,
            end_date: p.end_date,
            school_year: None,
            hours_per_week: p.hours_per_week,
        });
    }
    #[derive(FromQueryResult)]
    struct GroupRow {
        name: String,
    }
    let backend = db.get_database_backend();
    let groups = GroupRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(
            backend,
            "SELECT sg.name FROM group_membership m JOIN school_group sg ON sg.id = m.group_id WHERE m.person_id = $1 ORDER BY sg.name",
        ),
        [child.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|g| g.name)
    .collect();
    Ok((out, groups))
}

/// The account part: the login, its second factor and trusted browsers, and the sessions
/// (a session that timed out shows when it did).
async fn account_of(
    db: &DatabaseConnection,
    me: Uuid,
    sessions_settings: &SessionSettings,
    now: DateTime<Utc>,
) -> Result<
    (
        Option<ExtractAccount>,
        Vec<ExtractSession>,
        Vec<ExtractFailedLogin>,
    ),
    ExtractError,
> {
    let sessions = session::Entity::find()
        .filter(session::Column::PersonId.eq(me))
        .order_by_desc(session::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| {
            let timed_out = (s.last_seen_at
                + Duration::minutes(sessions_settings.idle_timeout_minutes))
            .min(s.expires_at);
            let (ended_at, end) = match s.ended_at {
                Some(at) => (Some(at), Some(SessionEnd::LoggedOut)),
                None if timed_out <= now => (Some(timed_out), Some(SessionEnd::TimedOut)),
                None => (None, None),
            };
            ExtractSession {
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
                ended_at,
                end,
                auth_method: match s.auth_method {
                    AuthMethod::Password => WireAuthMethod::Password,
                    AuthMethod::Bankid => WireAuthMethod::Bankid,
                },
            }
        })
        .collect();
    let Some(account) = user_account::Entity::find()
        .filter(user_account::Column::PersonId.eq(me))
        .one(db)
        .await?
    else {
        return Ok((None, sessions, Vec::new()));
    };
    let unused_recovery_codes = recovery_code::Entity::find()
        .filter(recovery_code::Column::AccountId.eq(account.id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .all(db)
        .await?
        .len();
    let trusted_browsers = login_device::Entity::find()
        .filter(login_device::Column::AccountId.eq(account.id))
        .order_by_desc(login_device::Column::LastUsedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|d| ExtractTrustedBrowser {
            created_at: d.created_at,
            last_used_at: d.last_used_at,
            expires_at: d.expires_at,
        })
        .collect();
    let failed_logins = login_attempt::Entity::find()
        .filter(
            login_attempt::Column::AccountHash
                .is_in(throttle::account_keys(&account.username, account.id)),
        )
        .filter(login_attempt::Column::Succeeded.eq(false))
        .order_by_desc(login_attempt::Column::AttemptedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| ExtractFailedLogin {
            attempted_at: a.attempted_at,
            from_trusted_browser: a.device_id.is_some(),
        })
        .collect();
    Ok((
        Some(ExtractAccount {
            username: account.username,
            created_at: account.created_at,
            last_login_at: account.last_login_at,
            password_changed_at: account.password_changed_at,
            one_time_codes: account.totp_secret.is_some(),
            unused_recovery_codes: u32::try_from(unused_recovery_codes).unwrap_or(u32::MAX),
            trusted_browsers,
        }),
        sessions,
        failed_logins,
    ))
}

/// Names of people and units, looked up once for the whole extract.
#[derive(Default)]
struct Names {
    people: HashMap<Uuid, String>,
    units: HashMap<Uuid, String>,
}

impl Names {
    async fn load(
        db: &DatabaseConnection,
        people: impl IntoIterator<Item = Uuid>,
        units: impl IntoIterator<Item = Uuid>,
    ) -> Result<Names, sea_orm::DbErr> {
        let people: Vec<Uuid> = people.into_iter().collect();
        let units: Vec<Uuid> = units.into_iter().collect();
        Ok(Names {
            people: person::Entity::find()
                .filter(person::Column::Id.is_in(people))
                .all(db)
                .await?
                .into_iter()
                .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
                .collect(),
            units: unit::Entity::find()
                .filter(unit::Column::Id.is_in(units))
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect(),
        })
    }

    fn person(&self, id: Uuid) -> String {
        self.people
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "(borttagen person)".to_owned())
    }

    fn unit(&self, id: Uuid) -> String {
        self.units.get(&id).cloned().unwrap_or_default()
    }
}

/// The childcare records of the extract: applications, offers, documents with their signatures,
/// schedules and pick-up persons, for `children` and the documents `me` filed.
struct ChildcareRecords {
    applications: Vec<childcare_application::Model>,
    offers: Vec<placement_offer::Model>,
    documents: Vec<childcare_document::Model>,
    signatures: Vec<crate::population::keys::Evidence>,
    schedule: Vec<schedule_day::Model>,
    pickup: Vec<pickup_person::Model>,
    absence: Vec<absence_report::Model>,
}

impl ChildcareRecords {
    async fn load(
        db: &DatabaseConnection,
        me: Uuid,
        children: &[Uuid],
    ) -> Result<ChildcareRecords, sea_orm::DbErr> {
        let children = children.to_vec();
        let documents = childcare_document::Entity::find()
            .filter(
                Condition::any()
                    .add(childcare_document::Column::OwnerPersonId.eq(me))
                    .add(childcare_document::Column::ChildId.is_in(children.clone())),
            )
            .order_by_desc(childcare_document::Column::CreatedAt)
            .all(db)
            .await?;
        let signatures = crate::population::keys::evidence_of(
            db,
            &documents.iter().map(|d| d.id).collect::<Vec<_>>(),
        )
        .await?;
        Ok(ChildcareRecords {
            applications: childcare_application::Entity::find()
                .filter(childcare_application::Column::ChildId.is_in(children.clone()))
                .order_by_desc(childcare_application::Column::CreatedAt)
                .all(db)
                .await?,
            offers: placement_offer::Entity::find()
                .filter(placement_offer::Column::ChildId.is_in(children.clone()))
                .order_by_desc(placement_offer::Column::CreatedAt)
                .all(db)
                .await?,
            documents,
            signatures,
            schedule: schedule_day::Entity::find()
                .filter(schedule_day::Column::ChildId.is_in(children.clone()))
                .order_by_desc(schedule_day::Column::Date)
                .all(db)
                .await?,
            pickup: pickup_person::Entity::find()
                .filter(pickup_person::Column::ChildId.is_in(children.clone()))
                .order_by_asc(pickup_person::Column::CreatedAt)
                .all(db)
                .await?,
            absence: absence_report::Entity::find()
                .filter(absence_report::Column::ChildId.is_in(children))
                .order_by_desc(absence_report::Column::FirstDay)
                .all(db)
                .await?,
        })
    }

    fn people(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.applications
            .iter()
            .map(|a| a.applicant_person_id)
            .chain(self.documents.iter().map(|d| d.owner_person_id))
            .chain(self.signatures.iter().map(|s| s.signer_person_id))
            .chain(self.schedule.iter().map(|d| d.updated_by_person_id))
            .chain(self.pickup.iter().map(|p| p.created_by_person_id))
            .chain(self.absence.iter().filter_map(|a| a.reported_by_person_id))
    }

    fn units(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.applications
            .iter()
            .flat_map(|a| [Some(a.first_unit_id), a.second_unit_id, a.third_unit_id])
            .flatten()
            .chain(self.offers.iter().map(|o| o.unit_id))
    }

    fn documents_of(
        &self,
        child: Option<Uuid>,
        names: &Names,
    ) -> Result<Vec<ExtractDocument>, ExtractError> {
        self.documents
            .iter()
            .filter(|d| d.child_id == child)
            .map(|d| {
                let income = match d.kind {
                    skolportal_shared::api::DocumentKind::IncomeStatement => {
                        let p = IncomeStatement::of(d).map_err(sea_orm::DbErr::from)?;
                        Some(ExtractIncome {
                            valid_from: p.valid_from,
                            max_fee_accepted: p.max_fee_accepted,
                            gross_monthly_income: p.gross_monthly_income.map(i64::from),
                        })
                    }
                    _ => None,
                };
                Ok(ExtractDocument {
                    id: d.id,
                    kind: d.kind,
                    status: d.status,
                    owner_name: names.person(d.owner_person_id),
                    created_at: d.created_at,
                    signed_at: d.signed_at,
                    income,
                    text: d.sign_text.clone(),
                    signatures: self
                        .signatures
                        .iter()
                        .filter(|s| s.document_id == d.id)
                        .map(|s| ExtractSignature {
                            signer_name: names.person(s.signer_person_id),
                            signed_at: s.signed_at,
                        })
                        .collect(),
                })
            })
            .collect()
    }

    fn applications_of(
        &self,
        child: Uuid,
        names: &Names,
    ) -> Result<Vec<ExtractApplication>, ExtractError> {
        self.applications
            .iter()
            .filter(|a| a.child_id == child)
            .map(|a| {
                Ok(ExtractApplication {
                    applied_on: a.applied_on,
                    applicant_name: names.person(a.applicant_person_id),
                    wished_start: a.wished_start,
                    units: [Some(a.first_unit_id), a.second_unit_id, a.third_unit_id]
                        .into_iter()
                        .flatten()
                        .map(|u| names.unit(u))
                        .collect(),
                    hours_per_week: a.hours_per_week,
                    status: a.status,
                })
            })
            .collect()
    }

    fn offers_of(&self, child: Uuid, names: &Names) -> Result<Vec<ExtractOffer>, ExtractError> {
        self.offers
            .iter()
            .filter(|o| o.child_id == child)
            .map(|o| {
                Ok(ExtractOffer {
                    unit: names.unit(o.unit_id),
                    start_date: o.start_date,
                    hours_per_week: o.hours_per_week,
                    answer_deadline: o.answer_deadline,
                    status: o.status,
                    answered_at: o.answered_at,
                })
            })
            .collect()
    }

    fn schedule_of(&self, child: Uuid, names: &Names) -> Vec<ExtractScheduleDay> {
        self.schedule
            .iter()
            .filter(|d| d.child_id == child)
            .map(|d| ExtractScheduleDay {
                date: d.date,
                drop_off: d.drop_off.map(|t| t.format("%H:%M").to_string()),
                pick_up: d.pick_up.map(|t| t.format("%H:%M").to_string()),
                changed_by: names.person(d.updated_by_person_id),
                changed_at: d.updated_at,
            })
            .collect()
    }

    fn absence_of(&self, child: Uuid, names: &Names) -> Vec<ExtractAbsenceReport> {
        self.absence
            .iter()
            .filter(|a| a.child_id == child)
            .map(|a| ExtractAbsenceReport {
                first_day: a.first_day,
                last_day: a.last_day,
                starts_at: a.starts_at.map(|t| t.format("%H:%M").to_string()),
                ends_at: a.ends_at.map(|t| t.format("%H:%M").to_string()),
                reason: a.reason,
                status: a.status,
                reported_by: a
                    .reported_by_person_id
                    .map(|id| names.person(id))
                    .unwrap_or_default(),
                reported_at: a.reported_at,
            })
            .collect()
    }

    fn pickup_of(&self, child: Uuid, names: &Names) -> Vec<ExtractPickupPerson> {
        self.pickup
            .iter()
            .filter(|p| p.child_id == child)
            .map(|p| ExtractPickupPerson {
                name: p.name.clone(),
                phone: p.phone.clone(),
                added_by: names.person(p.created_by_person_id),
                added_at: p.created_at,
            })
            .collect()
    }
}

pub async fn build(
    db: &DatabaseConnection,
    user: &SessionUser,
    sessions_settings: &SessionSettings,
    now: DateTime<Utc>,
) -> Result<RegisterExtract, ExtractError> {
    let me = person::Entity::find_by_id(user.person_id)
        .filter(person::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(ExtractError::NotFound)?;
    let (account, sessions, failed_logins) = account_of(db, me.id, sessions_settings, now).await?;

    // The children whose data this extract may include: the policy's own answer.
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::AdultId.eq(me.id))
        .all(db)
        .await?;
    // An extract is complete or it is an error: only the policy's "no" leaves a child out,
    // never a failed query (a GDPR answer must not be quietly partial).
    let permit =
        match policy::authorize_list(db, user, PersonAction::ReadRegisterExtract, now).await {
            Ok(permit) => permit,
            Err(policy::PolicyError::NotFound) => return Err(ExtractError::NotFound),
            Err(policy::PolicyError::StepUpRequired { required }) => {
                return Err(ExtractError::StepUpRequired(required))
            }
            Err(policy::PolicyError::Database(e)) => return Err(e.into()),
        };
    let permitted = permit.targets(db).await?;
    let mut child_ids: Vec<Uuid> = links
        .iter()
        .map(|l| l.child_id)
        .filter(|c| permitted.contains(c))
        .collect();
    child_ids.sort();
    child_ids.dedup();
    let mut access = access_entries(db, &[&[me.id][..], &child_ids[..]].concat()).await?;
    let records = ChildcareRecords::load(db, me.id, &child_ids).await?;
    let names = Names::load(db, records.people(), records.units()).await?;

    let mut children = Vec::new();
    for link in links.iter().filter(|l| child_ids.contains(&l.child_id)) {
        if children
            .iter()
            .any(|c: &ExtractChild| c.id == link.child_id)
        {
            continue;
        }
        let child = person::Entity::find_by_id(link.child_id)
            .one(db)
            .await?
            .ok_or(ExtractError::Inconsistent)?;
        let adults = guardianship::Entity::find()
            .filter(guardianship::Column::ChildId.eq(child.id))
            .all(db)
            .await?;
        let mut responsible_adults = Vec::new();
        for a in adults {
            if let Some(p) = person::Entity::find_by_id(a.adult_id).one(db).await? {
                responsible_adults.push(ResponsibleAdult {
                    given_name: p.given_name,
                    family_name: p.family_name,
                    relation: wire_relation(a.relation),
                });
            }
        }
        let (placements, groups) = placements_of(db, child.id).await?;
        let child_plan = crate::school::iup::for_extract(db, child.id, me.id).await?;
        children.push(ExtractChild {
            id: child.id,
            person: extract_person(&child),
            relation: wire_relation(link.relation),
            responsible_adults,
            placements,
            groups,
            applications: records.applications_of(child.id, &names)?,
            offers: records.offers_of(child.id, &names)?,
            documents: records.documents_of(Some(child.id), &names)?,
            schedule: records.schedule_of(child.id, &names),
            absence_reports: records.absence_of(child.id, &names),
            attendance: attendance_of(db, child.id).await?,
            leave_applications: leave_of(db, child.id).await?,
            consents: consents_of(db, me.municipality_id, child.id).await?,
            talk_material: crate::school::talks::for_extract(db, child.id, me.id).await?,
            grades: crate::school::grades::for_extract(db, child.id).await?,
            talk_bookings: crate::school::talk_booking::for_extract(db, child.id).await?,
            development_goals: child_plan.0,
            assessments: child_plan.1,
            pickup_persons: records.pickup_of(child.id, &names),
            presence: crate::childcare::kiosk::presence_for_extract(db, child.id).await?,
            access_log: access.remove(&child.id).unwrap_or_default(),
            source_records: source_records_of(db, &child).await?,
        });
    }
    let own_plan = crate::school::iup::for_extract(db, me.id, me.id).await?;
    Ok(RegisterExtract {
        generated_at: now,
        person_id: me.id,
        person: extract_person(&me),
        kiosk: crate::childcare::kiosk::for_extract(db, me.id).await?,
        account,
        sessions,
        roles: actor_roles(db, me.id).await?,
        children,
        documents: records.documents_of(None, &names)?,
        failed_logins,
        corrections: corrections::of_person(db, user).await?,
        access_log: access.remove(&me.id).unwrap_or_default(),
        timetable: timetable_of(db, me.id).await?,
        duties: duties_of(db, me.id).await?,
        notices: notices_of(db, me.id).await?,
        talk_material: crate::school::talks::for_extract(db, me.id, me.id).await?,
        grades: crate::school::grades::for_extract(db, me.id).await?,
        talk_bookings: crate::school::talk_booking::for_extract(db, me.id).await?,
        development_goals: own_plan.0,
        assessments: own_plan.1,
        source_records: source_records_of(db, &me).await?,
    })
}

/// Every consent decision about a child, the latest first, by the kind's title.
async fn consents_of(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    child: Uuid,
) -> Result<Vec<ExtractConsentDecision>, ExtractError> {
    let decisions = consent_decision::Entity::find()
        .filter(consent_decision::Column::ChildId.eq(child))
        .order_by_desc(consent_decision::Column::Seq)
        .all(db)
        .await?;
    if decisions.is_empty() {
        return Ok(Vec::new());
    }
    let kinds = crate::childcare::signatures::settings(db, municipality_id)
        .await?
        .consent_kinds;
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(decisions.iter().map(|d| d.guardian_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect();
    Ok(decisions
        .into_iter()
        .map(|d| ExtractConsentDecision {
            consent: kinds
                .iter()
                .find(|k| k.key == d.kind_key)
                .map_or_else(|| d.kind_key.clone(), |k| k.title.clone()),
            decision: d.decision,
            decided_by: names.get(&d.guardian_id).cloned().unwrap_or_default(),
            decided_at: d.decided_at,
        })
        .collect())
}

/// A child's leave applications, the latest first, with who applied, agreed and decided.
async fn leave_of(
    db: &DatabaseConnection,
    child: Uuid,
) -> Result<Vec<ExtractLeaveApplication>, ExtractError> {
    let applications = leave_application::Entity::find()
        .filter(leave_application::Column::ChildId.eq(child))
        .order_by_desc(leave_application::Column::AppliedAt)
        .all(db)
        .await?;
    if applications.is_empty() {
        return Ok(Vec::new());
    }
    let agreements = leave_agreement::Entity::find()
        .filter(leave_agreement::Column::ApplicationId.is_in(applications.iter().map(|a| a.id)))
        .order_by_asc(leave_agreement::Column::AgreedAt)
        .all(db)
        .await?;
    let people: Vec<Uuid> = applications
        .iter()
        .flat_map(|a| [a.applied_by_person_id, a.decided_by_person_id])
        .flatten()
        .chain(agreements.iter().map(|a| a.guardian_id))
        .collect();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, format!("{} {}", p.given_name, p.family_name)))
        .collect();
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_default();
    Ok(applications
        .into_iter()
        .map(|a| ExtractLeaveApplication {
            first_day: a.first_day,
            last_day: a.last_day,
            reason: a.reason,
            status: a.status,
            applied_by: a.applied_by_person_id.map(name).unwrap_or_default(),
            applied_at: a.applied_at,
            agreed_by: agreements
                .iter()
                .filter(|g| g.application_id == a.id)
                .map(|g| name(g.guardian_id))
                .collect(),
            decided_by: a.decided_by_person_id.map(name),
            decided_at: a.decided_at,
        })
        .collect())
}

/// The notices the person was sent, their choice of channels, and their push browsers.
async fn notices_of(db: &DatabaseConnection, me: Uuid) -> Result<ExtractNotices, ExtractError> {
    const ALL: u64 = 10_000;
    let received = crate::notices::of_recipient(db, me, ALL)
        .await?
        .into_iter()
        .map(|(n, child_given_name)| ExtractNotice {
            kind: n.kind,
            child_given_name,
            date: n.on_date,
            lessons: serde_json::from_value(n.lessons).unwrap_or_default(),
            created_at: n.created_at,
            read_at: n.read_at,
            email_sent_at: n.email_sent_at,
        })
        .collect();
    let preference = notice_preference::Entity::find_by_id(me).one(db).await?;
    let push_devices = push_subscription::Entity::find()
        .filter(push_subscription::Column::PersonId.eq(me))
        .order_by_asc(push_subscription::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| ExtractPushDevice {
            push_service: url::Url::parse(&s.endpoint)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_default(),
            created_at: s.created_at,
        })
        .collect();
    Ok(ExtractNotices {
        received,
        by_email: preference.as_ref().map(|p| p.by_email),
        by_push: preference.as_ref().map(|p| p.by_push),
        language: preference.as_ref().and_then(|p| p.language.clone()),
        push_devices,
    })
}

/// The source system's records about `person` in the portal's copy of its last answer (their
/// person record, and the placements, duties and grades that name them). Groups and
/// activities name people only by id among many, and the portal's own rows for them are in the
/// extract already.
async fn source_records_of(
    db: &DatabaseConnection,
    person: &person::Model,
) -> Result<Vec<ExtractSourceRecord>, ExtractError> {
    use crate::entity::source_record::{self, SourceResource};
    let Some(source_id) = person
        .external_id
        .as_deref()
        .and_then(|id| id.parse::<Uuid>().ok())
    else {
        return Ok(Vec::new());
    };
    let backend = db.get_database_backend();
    // Where each kind names the person: `None` is the record's own id.
    let naming: [(SourceResource, Option<[&str; 2]>); 4] = [
        (SourceResource::Person, None),
        (SourceResource::Placement, Some(["child", "id"])),
        (SourceResource::Duty, Some(["person", "id"])),
        (SourceResource::Grade, Some(["student", "id"])),
    ];
    let mut condition = Condition::any();
    for (kind, field) in naming {
        let names = match field {
            None => source_record::Column::SourceId
                .eq(source_id)
                .into_condition(),
            Some([object, key]) => {
                let path = match backend {
                    sea_orm::DbBackend::Postgres => format!("body -> '{object}' ->> '{key}'"),
                    _ => format!("json_extract(body, '$.{object}.{key}')"),
                };
                Expr::expr(Expr::cust(path))
                    .eq(source_id.to_string())
                    .into_condition()
            }
        };
        condition = condition.add(
            Condition::all()
                .add(source_record::Column::Resource.eq(kind))
                .add(names),
        );
    }
    let rows = source_record::Entity::find()
        .filter(source_record::Column::MunicipalityId.eq(person.municipality_id))
        .filter(condition)
        .order_by_asc(source_record::Column::Resource)
        .order_by_asc(source_record::Column::ModifiedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| ExtractSourceRecord {
            kind: r.resource,
            source_id: r.source_id,
            modified_at: r.modified_at,
            content: serde_json::to_string_pretty(&r.body).unwrap_or_else(|_| r.body.to_string()),
        })
        .collect())
}

/// The person's duties, current and ended, with where they were and the work contact details.
async fn duties_of(db: &DatabaseConnection, me: Uuid) -> Result<Vec<ExtractDuty>, ExtractError> {
    use crate::entity::duty::{self, DutyRole};
    let duties = duty::Entity::find()
        .filter(duty::Column::PersonId.eq(me))
        .order_by_asc(duty::Column::StartDate)
        .all(db)
        .await?;
    let unit_ids: Vec<Uuid> = duties.iter().filter_map(|d| d.unit_id).collect();
    let units: HashMap<Uuid, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(duties
        .into_iter()
        .map(|d| ExtractDuty {
            unit_name: d.unit_id.and_then(|id| units.get(&id).cloned()),
            role: match d.role {
                DutyRole::Teacher => "teacher",
                DutyRole::PreschoolStaff => "preschool_staff",
                DutyRole::Principal => "principal",
                DutyRole::Officer => "officer",
            }
            .to_owned(),
            start_date: d.start_date,
            end_date: d.end_date,
            work_phone: d.work_phone,
            work_email: d.work_email,
        })
        .collect())
}

/// Every saved attendance mark of `pupil`, the latest first, with the lesson and who set it.
async fn attendance_of(
    db: &DatabaseConnection,
    pupil: Uuid,
) -> Result<Vec<ExtractAttendance>, sea_orm::DbErr> {
    use crate::entity::attendance_mark;
    let marks = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::PupilId.eq(pupil))
        .order_by_desc(attendance_mark::Column::OnDate)
        .order_by_desc(attendance_mark::Column::RecordedAt)
        .order_by_desc(attendance_mark::Column::Revision)
        .all(db)
        .await?;
    let lessons = LessonNames::load(db, marks.iter().map(|m| m.lesson_id)).await?;
    let names = Names::load(db, marks.iter().filter_map(|m| m.recorded_by_person_id), []).await?;
    Ok(marks
        .into_iter()
        .filter_map(|m| {
            let (activity, group_name) = lessons.get(&m.lesson_id)?.clone();
            Some(ExtractAttendance {
                on_date: m.on_date,
                activity,
                group_name,
                mark: m.mark,
                late_minutes: m.late_minutes.and_then(|n| u16::try_from(n).ok()),
                recorded_by: m
                    .recorded_by_person_id
                    .map(|id| names.person(id))
                    .unwrap_or_default(),
                recorded_at: m.recorded_at,
            })
        })
        .collect())
}

/// The lessons (by id) of some marks: their subject and their group's name.
struct LessonNames;

impl LessonNames {
    async fn load(
        db: &DatabaseConnection,
        lessons: impl IntoIterator<Item = Uuid>,
    ) -> Result<HashMap<Uuid, (skolportal_shared::api::Activity, String)>, sea_orm::DbErr> {
        use crate::entity::{lesson, school_group};
        let lessons = lesson::Entity::find()
            .filter(lesson::Column::Id.is_in(lessons.into_iter().collect::<Vec<_>>()))
            .all(db)
            .await?;
        let groups: HashMap<Uuid, String> = school_group::Entity::find()
            .filter(school_group::Column::Id.is_in(lessons.iter().map(|l| l.group_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect();
        Ok(lessons
            .into_iter()
            .map(|l| {
                let group = groups.get(&l.group_id).cloned().unwrap_or_default();
                (l.id, (l.activity, group))
            })
            .collect())
    }
}

/// The lessons on days whose attendance `me` saved, with how many marks, the latest first.
async fn attendance_taken_by(
    db: &DatabaseConnection,
    me: Uuid,
) -> Result<Vec<ExtractAttendanceTaken>, sea_orm::DbErr> {
    use crate::entity::attendance_mark;
    let marks = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::RecordedByPersonId.eq(me))
        .order_by_desc(attendance_mark::Column::OnDate)
        .all(db)
        .await?;
    let lessons = LessonNames::load(db, marks.iter().map(|m| m.lesson_id)).await?;
    let mut counted: BTreeMap<(std::cmp::Reverse<chrono::NaiveDate>, Uuid), u32> = BTreeMap::new();
    for m in &marks {
        *counted
            .entry((std::cmp::Reverse(m.on_date), m.lesson_id))
            .or_default() += 1;
    }
    Ok(counted
        .into_iter()
        .filter_map(|((day, lesson), marks)| {
            let (activity, group_name) = lessons.get(&lesson)?.clone();
            Some(ExtractAttendanceTaken {
                on_date: day.0,
                activity,
                group_name,
                marks,
            })
        })
        .collect())
}

/// The lessons the person teaches, the changes they recorded or stand in for, and their
/// calendar feeds (a feed of a child's timetable is the guardian's data: it names the child).
async fn timetable_of(db: &DatabaseConnection, me: Uuid) -> Result<ExtractTimetable, ExtractError> {
    use crate::entity::{calendar_feed, lesson, lesson_change, school_group};
    use skolportal_shared::calendar::format_time_of_day;
    let taught = lesson::Entity::find()
        .filter(lesson::Column::TeacherId.eq(me))
        .order_by_asc(lesson::Column::Weekday)
        .order_by_asc(lesson::Column::StartsAt)
        .all(db)
        .await?;
    let changes = lesson_change::Entity::find()
        .filter(
            Condition::any()
                .add(lesson_change::Column::RecordedByPersonId.eq(me))
                .add(lesson_change::Column::SubstituteTeacherId.eq(me)),
        )
        .order_by_asc(lesson_change::Column::OnDate)
        .all(db)
        .await?;
    let changed_lessons: HashMap<Uuid, lesson::Model> = lesson::Entity::find()
        .filter(lesson::Column::Id.is_in(changes.iter().map(|c| c.lesson_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let groups: HashMap<Uuid, String> = school_group::Entity::find()
        .filter(
            school_group::Column::Id.is_in(
                taught
                    .iter()
                    .map(|l| l.group_id)
                    .chain(changed_lessons.values().map(|l| l.group_id)),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let group = |id: Uuid| groups.get(&id).cloned().unwrap_or_default();
    let feeds = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::OwnerPersonId.eq(me))
        .order_by_asc(calendar_feed::Column::CreatedAt)
        .all(db)
        .await?;
    let mut calendar_feeds = Vec::with_capacity(feeds.len());
    for feed in feeds {
        let person = person::Entity::find_by_id(feed.person_id)
            .one(db)
            .await?
            .ok_or(ExtractError::Inconsistent)?;
        calendar_feeds.push(ExtractCalendarFeed {
            person_name: format!("{} {}", person.given_name, person.family_name),
            created_at: feed.created_at,
        });
    }
    Ok(ExtractTimetable {
        lessons_taught: taught
            .iter()
            .map(|l| ExtractLesson {
                activity: l.activity,
                group_name: group(l.group_id),
                weekday: l.weekday,
                starts_at: format_time_of_day(l.starts_at),
                ends_at: format_time_of_day(l.ends_at),
            })
            .collect(),
        lesson_changes: changes
            .iter()
            .filter_map(|c| {
                let l = changed_lessons.get(&c.lesson_id)?;
                Some(ExtractLessonChange {
                    on_date: c.on_date,
                    activity: l.activity,
                    group_name: group(l.group_id),
                    recorded: c.recorded_by_person_id == me,
                    substitute: c.substitute_teacher_id == Some(me),
                })
            })
            .collect(),
        calendar_feeds,
        attendance: attendance_of(db, me).await?,
        attendance_taken: attendance_taken_by(db, me).await?,
    })
}
