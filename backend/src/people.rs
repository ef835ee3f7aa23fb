//! People as the logged-in user sees them: themselves (`me`), their children (`children`), and
//! their own contact details. Who may see whom is decided here by construction — a guardian's
//! children are found through their own guardianships — and, from the access-policy issue on, by
//! the policy module.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryResult, Statement,
};
use skolportal_shared::api::{
    Address, AuthMethod as WireAuthMethod, ChildCard, ContactUpdate, GuardianContact, Me,
    PupilCard, PupilInfo, PupilSummary, Relation, Role, UnitKind as WireUnitKind, UnitRef,
};
use skolportal_shared::contact::{ContactError, Email, Phone};
use uuid::Uuid;

use crate::auth::session::{self, SessionError, SessionUser};
use crate::clock::{day_of, Clock};
use crate::coalesce::{Coalescer, Unanswered};
use crate::db::{self, numbered_params};
use crate::entity::duty::{self, DutyRole};
use crate::entity::guardianship;
use crate::entity::session::AuthMethod;
use crate::entity::unit::{self, UnitKind};
use crate::entity::{enrolment, municipality_administrator, person, user_account};
use crate::policy::{self, ListPermit, Permit, PersonAction};
use crate::settings::SessionSettings;

#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error("person not found")]
    NotFound,
    #[error(transparent)]
    Contact(#[from] ContactError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Unanswered(#[from] Unanswered),
}

fn address_of(
    street: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
) -> Option<Address> {
    match (street, postal_code, city) {
        (Some(street), Some(postal_code), Some(city)) => Some(Address {
            street,
            postal_code,
            city,
        }),
        _ => None,
    }
}

pub(crate) fn wire_unit_kind(kind: &UnitKind) -> WireUnitKind {
    match kind {
        UnitKind::School => WireUnitKind::School,
        UnitKind::Preschool => WireUnitKind::Preschool,
        UnitKind::Fritidshem => WireUnitKind::Fritidshem,
        UnitKind::FamilyDaycare => WireUnitKind::FamilyDaycare,
    }
}

#[derive(FromQueryResult)]
struct Detail {
    child_id: Uuid,
    kind: String,
    name: String,
    school_year: Option<i32>,
}

/// Units (school, preschool, fritidshem) and class of each of `ids`, current on `today`.
async fn details(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    today: NaiveDate,
) -> Result<Vec<Detail>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![today.into()];
    let enrolled = db::in_set(backend, "e.pupil_id", &mut values, ids.iter().copied());
    let placed = db::in_set(backend, "pl.child_id", &mut values, ids.iter().copied());
    let members = db::in_set(backend, "m.person_id", &mut values, ids.iter().copied());
    let sql = format!(
        "SELECT e.pupil_id AS child_id, 'unit' AS kind, u.name AS name, e.school_year AS school_year \
         FROM enrolment e JOIN unit u ON u.id = e.unit_id \
         WHERE {enrolled} AND (e.end_date IS NULL OR e.end_date >= $1) \
         UNION ALL \
         SELECT pl.child_id, 'unit', u.name, NULL \
         FROM placement pl JOIN unit u ON u.id = pl.unit_id \
         WHERE {placed} AND (pl.end_date IS NULL OR pl.end_date >= $1) \
         UNION ALL \
         SELECT m.person_id, 'class', sg.name, sg.school_year \
         FROM group_membership m JOIN school_group sg ON sg.id = m.group_id AND sg.group_type = 'class' \
         WHERE {members} AND m.role = 'pupil' \
         AND m.start_date <= $1 AND (m.end_date IS NULL OR m.end_date >= $1)"
    );
    Detail::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        values,
    ))
    .all(db)
    .await
}

struct SchoolFields {
    units: Vec<String>,
    class_name: Option<String>,
    school_year: Option<i32>,
}

fn school_fields(details: &[Detail], child: Uuid) -> SchoolFields {
    let mut units = BTreeSet::new();
    let mut class_name = None;
    let mut school_year = None;
    for d in details.iter().filter(|d| d.child_id == child) {
        match d.kind.as_str() {
            "class" => {
                class_name = Some(d.name.clone());
                school_year = school_year.or(d.school_year);
            }
            _ => {
                units.insert(d.name.clone());
                school_year = school_year.or(d.school_year);
            }
        }
    }
    SchoolFields {
        units: units.into_iter().collect(),
        class_name,
        school_year,
    }
}

pub async fn me(
    db: &DatabaseConnection,
    user: &SessionUser,
    today: NaiveDate,
) -> Result<Me, PeopleError> {
    let p = person::Entity::find_by_id(user.person_id)
        .filter(person::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(PeopleError::NotFound)?;
    let mut roles = BTreeSet::new();
    let is_guardian = guardianship::Entity::find()
        .filter(guardianship::Column::AdultId.eq(p.id))
        .count(db)
        .await?
        > 0;
    if is_guardian {
        roles.insert(Role::Guardian);
    }
    let is_pupil = enrolment::Entity::find()
        .filter(enrolment::Column::PupilId.eq(p.id))
        .count(db)
        .await?
        > 0;
    let duties = duties_with_units(db, p.id, today).await?;
    let mut units = Vec::new();
    for (d, u) in duties {
        roles.insert(match d.role {
            DutyRole::Teacher | DutyRole::Principal => Role::Teacher,
            DutyRole::PreschoolStaff => Role::PreschoolStaff,
            DutyRole::Officer => Role::Officer,
        });
        if let Some(u) = u {
            if !units.iter().any(|r: &UnitRef| r.id == u.id) {
                units.push(UnitRef {
                    id: u.id,
                    name: u.name.clone(),
                    kind: wire_unit_kind(&u.kind),
                });
            }
        }
    }
    let is_administrator = municipality_administrator::Entity::find()
        .filter(municipality_administrator::Column::PersonId.eq(p.id))
        .filter(municipality_administrator::Column::MunicipalityId.eq(user.municipality_id))
        .count(db)
        .await?
        > 0;
    if is_administrator {
        roles.insert(Role::Administrator);
    }
    let pupil = if is_pupil {
        roles.insert(Role::Pupil);
        let details = details(db, &[p.id], today).await?;
        let fields = school_fields(&details, p.id);
        Some(PupilInfo {
            school_email: p.school_email.clone(),
            class_name: fields.class_name,
            school_year: fields.school_year,
            units: fields.units,
        })
    } else {
        None
    };
    Ok(Me {
        person_id: p.id,
        given_name: p.given_name,
        family_name: p.family_name,
        birth_date: p.birth_date,
        roles: roles.into_iter().collect(),
        auth_method: match user.auth_method {
            AuthMethod::Password => WireAuthMethod::Password,
            AuthMethod::Bankid => WireAuthMethod::Bankid,
        },
        login_strength: user.login_strength.into(),
        totp_enabled: user_account::Entity::find()
            .filter(user_account::Column::PersonId.eq(p.id))
            .filter(user_account::Column::TotpSecret.is_not_null())
            .count(db)
            .await?
            > 0,
        must_change_password: user.must_change_password,
        address: address_of(p.street, p.postal_code, p.city),
        email: p.email,
        phone: p.phone,
        units,
        pupil,
    })
}

#[derive(FromQueryResult)]
struct PupilRow {
    id: Uuid,
    given_name: String,
    family_name: String,
}

/// One pupil card; the caller holds a `Permit` for it, so the read is authorized and logged.
/// Staff whose own relation to the pupil puts the pupil on their list (`PersonAction::ListPupils`:
/// mentor, teacher of a group, staff of the unit; the policy answers) also get the guardians'
/// contact details, so that they can call home; nobody else gets them this way.
pub async fn pupil_card(
    db: &DatabaseConnection,
    permit: &Permit<PersonAction>,
    today: NaiveDate,
) -> Result<PupilCard, PeopleError> {
    let pupil = permit.target().0;
    let staff_connection =
        policy::permitted_actions::<PersonAction>(db, permit.actor(), &[pupil], today)
            .await?
            .remove(&pupil)
            .is_some_and(|actions| actions.contains(&PersonAction::ListPupils));
    let p = person::Entity::find_by_id(permit.target().0)
        .one(db)
        .await?
        .ok_or(PeopleError::NotFound)?;
    let details = details(db, &[p.id], today).await?;
    let fields = school_fields(&details, p.id);
    Ok(PupilCard {
        id: p.id,
        given_name: p.given_name,
        family_name: p.family_name,
        birth_date: p.birth_date,
        address: address_of(p.street, p.postal_code, p.city),
        phone: p.phone,
        school_email: p.school_email,
        class_name: fields.class_name,
        school_year: fields.school_year,
        units: fields.units,
        guardians: if staff_connection {
            guardian_contacts(db, pupil).await?
        } else {
            Vec::new()
        },
    })
}

#[derive(FromQueryResult)]
struct GuardianRow {
    given_name: String,
    family_name: String,
    relation: guardianship::GuardianRelation,
    phone: Option<String>,
    email: Option<String>,
}

/// The child's guardians, then other responsible adults, by name, with their own phone and
/// e-mail (the ones they keep up to date themselves).
async fn guardian_contacts(
    db: &DatabaseConnection,
    child: Uuid,
) -> Result<Vec<GuardianContact>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let sql = "SELECT a.given_name, a.family_name, g.relation, a.phone, a.email \
               FROM guardianship g JOIN person a ON a.id = g.adult_id \
               WHERE g.child_id = $1 ORDER BY g.relation, a.family_name, a.given_name";
    let rows = GuardianRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, sql),
        [child.into()],
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| GuardianContact {
            given_name: row.given_name,
            family_name: row.family_name,
            relation: match row.relation {
                guardianship::GuardianRelation::Guardian => Relation::Guardian,
                guardianship::GuardianRelation::OtherResponsibleAdult => {
                    Relation::OtherResponsibleAdult
                }
            },
            phone: row.phone,
            email: row.email,
        })
        .collect())
}

/// The pupils and children `user` works with (the policy's `ListPupils`), by class and name.
pub async fn pupils(
    db: &DatabaseConnection,
    permit: &ListPermit<PersonAction>,
    now: DateTime<Utc>,
) -> Result<Vec<PupilSummary>, PeopleError> {
    let today = day_of(now);
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT p.id, p.given_name, p.family_name FROM person p WHERE p.id IN {} ORDER BY p.family_name, p.given_name",
        permit.filter_sql()
    );
    let rows = PupilRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        permit.filter_values(),
    ))
    .all(db)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    permit.record_shown(db, ids.iter().copied(), now).await?;
    let details = details(db, &ids, today).await?;
    let mentees = mentees(db, permit.actor().person_id).await?;
    let mut out: Vec<PupilSummary> = rows
        .into_iter()
        .map(|r| {
            let fields = school_fields(&details, r.id);
            PupilSummary {
                mentor: mentees.contains(&r.id),
                id: r.id,
                given_name: r.given_name,
                family_name: r.family_name,
                class_name: fields.class_name,
                school_year: fields.school_year,
                units: fields.units,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.class_name, &a.family_name, &a.given_name).cmp(&(
            &b.class_name,
            &b.family_name,
            &b.given_name,
        ))
    });
    Ok(out)
}

#[derive(FromQueryResult)]
struct Mentee {
    id: Uuid,
}

/// The pupils of the groups `mentor` is the mentor of.
async fn mentees(db: &DatabaseConnection, mentor: Uuid) -> Result<BTreeSet<Uuid>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let sql = "SELECT p.person_id AS id FROM group_membership m \
               JOIN group_membership p ON p.group_id = m.group_id AND p.role = 'pupil' \
               WHERE m.person_id = $1 AND m.role = 'mentor'";
    let rows = Mentee::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, sql),
        [mentor.into()],
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}

#[derive(FromQueryResult)]
struct ChildRow {
    id: Uuid,
    given_name: String,
    family_name: String,
    birth_date: NaiveDate,
    street: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    phone: Option<String>,
    school_email: Option<String>,
    relation: String,
    school: Option<String>,
    enrolled_year: Option<i32>,
    care_unit: Option<String>,
    class_name: Option<String>,
    class_year: Option<i32>,
}

/// "Mina barn" for one session: what a handler asks for. Concurrent requests are answered
/// together by [`children_of_sessions`] (see [`crate::coalesce`]).
pub type ChildrenReader = Coalescer<String, Result<(SessionUser, Vec<ChildCard>), PeopleError>>;

/// Concurrent "Mina barn" reads share a statement up to this many sessions: beyond about eight,
/// PostgreSQL's cost per session stops falling.
const CHILDREN_BATCH: usize = 8;

/// Starts a reader of one page per session (`GET /api/children`, `GET /api/start`): `read`
/// answers a batch of session tokens at one instant, and a batch that fails answers each of its
/// requests with the error. A worker per four pooled connections, so that the other requests
/// keep most of the pool.
pub(crate) fn session_reader<T, E, F, Fut>(
    db: DatabaseConnection,
    sessions: SessionSettings,
    clock: Clock,
    pooled_connections: u32,
    max_batch: usize,
    read: F,
) -> Coalescer<String, Result<T, E>>
where
    T: Send + 'static,
    E: From<sea_orm::DbErr> + Send + 'static,
    F: Fn(DatabaseConnection, Arc<SessionSettings>, Vec<String>, DateTime<Utc>) -> Fut
        + Send
        + Sync
        + 'static,
    Fut: std::future::Future<Output = Result<Vec<Result<T, E>>, sea_orm::DbErr>> + Send + 'static,
{
    let workers = usize::try_from(pooled_connections / 4).unwrap_or(1);
    let sessions = Arc::new(sessions);
    Coalescer::spawn(workers, max_batch, move |tokens: Vec<String>| {
        let count = tokens.len();
        let batch = read(db.clone(), sessions.clone(), tokens, clock.now());
        async move {
            match batch.await {
                Ok(answers) => answers,
                Err(err) => (0..count)
                    .map(|_| Err(E::from(db::copy_err(&err))))
                    .collect(),
            }
        }
    })
}

/// Starts the reader behind `GET /api/children`.
pub fn children_reader(
    db: DatabaseConnection,
    sessions: SessionSettings,
    clock: Clock,
    pooled_connections: u32,
) -> ChildrenReader {
    session_reader(
        db,
        sessions,
        clock,
        pooled_connections,
        CHILDREN_BATCH,
        |db, sessions, tokens, now| async move {
            let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
            // One instant for both: the sessions' validity and the day the units are current on.
            children_of_sessions(&db, &sessions, &tokens, now, day_of(now)).await
        },
    )
}

/// "Mina barn" for each of `tokens`' sessions: the children the session's person is guardian or
/// other responsible adult of, youngest last, with their units and class current on `today`.
/// This is the guardians' most frequent read, so it is one statement for all the sessions: each
/// session is checked in it ([`session::authenticate_many_joined`]), units and class are
/// joined, and the rows are folded per child here. Who may see whom is decided by
/// construction: only each session's person's own guardianships are followed.
pub async fn children_of_sessions(
    db: &DatabaseConnection,
    sessions: &SessionSettings,
    tokens: &[&str],
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<Result<(SessionUser, Vec<ChildCard>), PeopleError>>, sea_orm::DbErr> {
    const COLUMNS: &str = "p.id, p.given_name, p.family_name, p.birth_date, p.street, \
        p.postal_code, p.city, p.phone, p.school_email, g.relation, ue.name AS school, \
        e.school_year AS enrolled_year, up.name AS care_unit, sg.name AS class_name, \
        sg.school_year AS class_year";
    const JOINS: &str = "LEFT JOIN guardianship g ON g.adult_id = s.person_id \
        AND g.municipality_id = s.municipality_id \
        AND g.start_date <= $1 AND (g.end_date IS NULL OR g.end_date >= $1) \
        LEFT JOIN person p ON p.id = g.child_id \
        LEFT JOIN enrolment e ON e.pupil_id = p.id AND (e.end_date IS NULL OR e.end_date >= $1) \
        LEFT JOIN unit ue ON ue.id = e.unit_id \
        LEFT JOIN placement pl ON pl.child_id = p.id AND (pl.end_date IS NULL OR pl.end_date >= $1) \
        LEFT JOIN unit up ON up.id = pl.unit_id \
        LEFT JOIN group_membership m ON m.person_id = p.id AND m.role = 'pupil' \
        AND m.start_date <= $1 AND (m.end_date IS NULL OR m.end_date >= $1) \
        LEFT JOIN school_group sg ON sg.id = m.group_id AND sg.group_type = 'class'";
    let answers = session::authenticate_many_joined(
        db,
        sessions,
        tokens,
        now,
        session::JoinedRead {
            columns: COLUMNS,
            joins: JOINS,
            values: vec![today.into()],
        },
        child_cards,
    )
    .await?;
    Ok(answers
        .into_iter()
        .map(|answer| answer.map_err(PeopleError::from))
        .collect())
}

/// Folds one session's rows (a row per child, unit and class) into a card per child.
fn child_cards(results: &[QueryResult]) -> Result<Vec<ChildCard>, sea_orm::DbErr> {
    let mut rows = Vec::with_capacity(results.len());
    for result in results {
        // The session without children comes back as one row with the child's columns NULL.
        if result.try_get::<Option<Uuid>>("", "id")?.is_some() {
            rows.push(ChildRow::from_query_result(result, "")?);
        }
    }
    // Sorted here rather than in SQL: a few rows, and the database's sort cost more than them.
    rows.sort_by(|a, b| {
        (a.birth_date, &a.given_name, a.id).cmp(&(b.birth_date, &b.given_name, b.id))
    });
    let mut cards: Vec<ChildCard> = Vec::new();
    for r in rows {
        let card = match cards.last_mut() {
            Some(card) if card.id == r.id => card,
            _ => {
                cards.push(ChildCard {
                    id: r.id,
                    given_name: r.given_name.clone(),
                    family_name: r.family_name.clone(),
                    birth_date: r.birth_date,
                    relation: if r.relation == "other_responsible_adult" {
                        Relation::OtherResponsibleAdult
                    } else {
                        Relation::Guardian
                    },
                    address: address_of(r.street.clone(), r.postal_code.clone(), r.city.clone()),
                    phone: r.phone.clone(),
                    school_email: r.school_email.clone(),
                    class_name: None,
                    school_year: None,
                    units: Vec::new(),
                    permitted_actions: Vec::new(),
                });
                match cards.last_mut() {
                    Some(card) => card,
                    None => continue,
                }
            }
        };
        for unit in [r.school, r.care_unit].into_iter().flatten() {
            if !card.units.contains(&unit) {
                card.units.push(unit);
            }
        }
        if r.class_name.is_some() {
            card.class_name = r.class_name;
        }
        card.school_year = card.school_year.or(r.class_year).or(r.enrolled_year);
    }
    for card in &mut cards {
        card.units.sort();
    }
    Ok(cards)
}

/// Own e-mail and phone; an empty value removes it. The population-register address is not
/// editable here: it comes from Skatteverket through the school administration system.
pub async fn update_contact(
    db: &DatabaseConnection,
    user: &SessionUser,
    update: &ContactUpdate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), PeopleError> {
    let email = match update.email.trim() {
        "" => None,
        value => Some(Email::parse(value)?.as_str().to_owned()),
    };
    let phone = match update.phone.trim() {
        "" => None,
        value => Some(Phone::parse(value)?.as_str().to_owned()),
    };
    let result = person::Entity::update_many()
        .col_expr(person::Column::Email, Expr::value(email))
        .col_expr(person::Column::Phone, Expr::value(phone))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .filter(person::Column::Id.eq(user.person_id))
        .filter(person::Column::MunicipalityId.eq(user.municipality_id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(PeopleError::NotFound);
    }
    Ok(())
}

/// The person's current duties, each with its unit (none for an officer).
async fn duties_with_units(
    db: &DatabaseConnection,
    person_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<(duty::Model, Option<unit::Model>)>, sea_orm::DbErr> {
    let duties = duty::Entity::find()
        .filter(duty::Column::PersonId.eq(person_id))
        .filter(
            duty::Column::EndDate
                .is_null()
                .or(duty::Column::EndDate.gte(today)),
        )
        .all(db)
        .await?;
    let ids: Vec<Uuid> = duties.iter().filter_map(|d| d.unit_id).collect();
    let units = if ids.is_empty() {
        Vec::new()
    } else {
        unit::Entity::find()
            .filter(unit::Column::Id.is_in(ids))
            .all(db)
            .await?
    };
    Ok(duties
        .into_iter()
        .map(|d| {
            let u = d
                .unit_id
                .and_then(|id| units.iter().find(|u| u.id == id).cloned());
            (d, u)
        })
        .collect())
}
