//! Registerutdrag (docs/rules.md rule 6, GDPR art. 15): everything stored about the logged-in person
//! and, for a guardian, their children — including the access log of who has read it. The system
//! we replace could not produce one.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, Statement,
};
use skolportal_shared::api::{
    AccessEntry, Address, AuthMethod as WireAuthMethod, ExtractAccount, ExtractChild,
    ExtractPerson, ExtractPlacement, ExtractSession, RegisterExtract, Relation, ResponsibleAdult,
};
use uuid::Uuid;

use crate::access_log;
use crate::auth::session::SessionUser;
use crate::db::numbered_params;
use crate::entity::guardianship::{self, GuardianRelation};
use crate::entity::placement::PlacementKind;
use crate::entity::session::AuthMethod;
use crate::entity::{enrolment, person, placement, session, unit, user_account};
use crate::policy::{self, Action};

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
    action: String,
    given_name: Option<String>,
    family_name: Option<String>,
    actor_person_id: Uuid,
}

/// Access-log lines about `subjects`, newest first, with the actor's name and current roles.
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
        "SELECT a.subject_person_id, a.occurred_at, a.action, p.given_name, p.family_name, a.actor_person_id \
         FROM access_log a LEFT JOIN person p ON p.id = a.actor_person_id \
         WHERE a.subject_person_id IN ({list}) ORDER BY a.occurred_at DESC"
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
        if let std::collections::btree_map::Entry::Vacant(slot) =
            roles_of.entry(row.actor_person_id)
        {
            slot.insert(actor_roles(db, row.actor_person_id).await?);
        }
        out.entry(row.subject_person_id)
            .or_default()
            .push(AccessEntry {
                occurred_at: row.occurred_at,
                actor_name: match (row.given_name, row.family_name) {
                    (Some(g), Some(f)) => format!("{g} {f}"),
                    _ => "(borttagen person)".to_owned(),
                },
                actor_roles: roles_of
                    .get(&row.actor_person_id)
                    .cloned()
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
               UNION SELECT DISTINCT 'pupil' AS role FROM enrolment WHERE pupil_id = $1";
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

pub async fn build(
    db: &DatabaseConnection,
    user: &SessionUser,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<RegisterExtract, ExtractError> {
    let me = person::Entity::find_by_id(user.person_id)
        .filter(person::Column::MunicipalityId.eq(user.municipality_id))
        .one(db)
        .await?
        .ok_or(ExtractError::NotFound)?;
    let account = user_account::Entity::find()
        .filter(user_account::Column::PersonId.eq(me.id))
        .one(db)
        .await?
        .map(|a| ExtractAccount {
            username: a.username,
            created_at: a.created_at,
            last_login_at: a.last_login_at,
            password_changed_at: a.password_changed_at,
        });
    let sessions = session::Entity::find()
        .filter(session::Column::PersonId.eq(me.id))
        .order_by_desc(session::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|s| ExtractSession {
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            ended_at: s.ended_at,
            auth_method: match s.auth_method {
                AuthMethod::Password => WireAuthMethod::Password,
                AuthMethod::Bankid => WireAuthMethod::Bankid,
            },
        })
        .collect();

    // The children whose data this extract may include: the policy's own answer.
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::AdultId.eq(me.id))
        .all(db)
        .await?;
    let mut children = Vec::new();
    let mut child_ids = Vec::new();
    for link in &links {
        // An extract is complete or it is an error: only the policy's "no" leaves a child out,
        // never a failed query (a GDPR answer must not be quietly partial).
        match policy::authorize(db, user, Action::ReadRegisterExtract, link.child_id, today).await {
            Ok(_) => child_ids.push(link.child_id),
            Err(policy::PolicyError::NotFound) => {}
            Err(policy::PolicyError::StepUpRequired { required }) => {
                return Err(ExtractError::StepUpRequired(required))
            }
            Err(policy::PolicyError::Database(e)) => return Err(e.into()),
        }
    }
    let mut access = access_entries(db, &[&[me.id][..], &child_ids[..]].concat()).await?;
    access_log::record(
        db,
        user,
        Action::ReadRegisterExtract,
        child_ids.iter().copied(),
        now,
    )
    .await?;
    for link in links.iter().filter(|l| child_ids.contains(&l.child_id)) {
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
        children.push(ExtractChild {
            id: child.id,
            person: extract_person(&child),
            relation: wire_relation(link.relation),
            responsible_adults,
            placements,
            groups,
            access_log: access.remove(&child.id).unwrap_or_default(),
        });
    }
    Ok(RegisterExtract {
        generated_at: now,
        person: extract_person(&me),
        account,
        sessions,
        roles: actor_roles(db, me.id).await?,
        children,
        access_log: access.remove(&me.id).unwrap_or_default(),
    })
}
