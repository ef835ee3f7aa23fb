//! Writes a `Snapshot` into the database in one transaction: either all of it is stored or none.
//! Every person passes `admission::admit` first; links to a refused person are dropped with them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, TransactionTrait,
};
use skolportal_shared::contact::{Email, Phone};
use uuid::Uuid;

use super::admission::{admit, AdmittedPerson, Refusal};
use super::snapshot::Snapshot;
use crate::entity::{
    duty, enrolment, group_membership, guardianship, municipality, person, placement, school_group,
    school_term, unit, user_account,
};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("settings could not be stored: {0}")]
    Settings(#[from] serde_json::Error),
    #[error("the snapshot names no municipality and none was given")]
    NoMunicipality,
    #[error("{kind} refers to unknown {what} (source id {source_id})")]
    DanglingReference {
        kind: &'static str,
        what: &'static str,
        source_id: String,
    },
}

/// Counts only: an import report may be logged.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub municipality_id: Uuid,
    pub persons: usize,
    pub refused_protected: usize,
    pub refused_invalid: usize,
    pub guardianships: usize,
    pub links_dropped: usize,
    pub units: usize,
    pub groups: usize,
    pub placements: usize,
    pub enrolments: usize,
    pub duties: usize,
    /// Work phones and e-mails left out of duties because they were not valid.
    pub work_contacts_dropped: usize,
    pub accounts: usize,
}

/// A contact detail as the source gave it if it is valid; otherwise none, and counted.
fn valid_or_counted<E>(
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<String, E>,
    dropped: &mut usize,
) -> Option<String> {
    let value = value?;
    match parse(value) {
        Ok(valid) => Some(valid),
        Err(_) => {
            *dropped += 1;
            None
        }
    }
}

/// Rows per INSERT: under PostgreSQL's 65 535 bind parameters and SQLite's 32 766 for our widest
/// table.
pub(crate) const BATCH: usize = 1000;

pub(crate) async fn insert_batched<E, A, C>(db: &C, rows: Vec<A>) -> Result<(), DbErr>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
    E::Model: sea_orm::IntoActiveModel<A>,
    C: ConnectionTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(BATCH).collect();
        E::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The row of a newly admitted person, as every import path stores one.
pub(super) fn person_row(
    id: Uuid,
    municipality_id: Uuid,
    admitted: AdmittedPerson,
    now: DateTime<Utc>,
) -> person::ActiveModel {
    let pnr = admitted.personnummer().clone();
    let p = admitted.source;
    let (street, postal_code, city) = match p.address {
        Some(a) => (Some(a.street), Some(a.postal_code), Some(a.city)),
        None => (None, None, None),
    };
    person::ActiveModel {
        id: Set(id),
        municipality_id: Set(municipality_id),
        external_id: Set(Some(p.source_id)),
        personnummer: Set(pnr.as_str().to_owned()),
        given_name: Set(p.given_name),
        family_name: Set(p.family_name),
        birth_date: Set(pnr.birth_date()),
        street: Set(street),
        postal_code: Set(postal_code),
        city: Set(city),
        email: Set(p.email),
        phone: Set(p.phone),
        school_email: Set(p.school_email),
        unlisted_since: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn lookup(
    ids: &HashMap<String, Uuid>,
    source_id: &str,
    kind: &'static str,
    what: &'static str,
) -> Result<Uuid, ImportError> {
    ids.get(source_id)
        .copied()
        .ok_or_else(|| ImportError::DanglingReference {
            kind,
            what,
            source_id: source_id.to_owned(),
        })
}

pub async fn import_snapshot(
    db: &DatabaseConnection,
    snapshot: Snapshot,
    existing_municipality: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let txn = db.begin().await?;
    let mut report = ImportReport::default();

    let municipality_id = match (&snapshot.municipality, existing_municipality) {
        (_, Some(id)) => id,
        (Some(m), None) => {
            let id = Uuid::new_v4();
            municipality::Entity::insert(municipality::ActiveModel {
                id: Set(id),
                code: Set(m.code.clone()),
                name: Set(m.name.clone()),
                settings: Set(serde_json::to_value(&m.settings)?),
                pupil_password_below_year: Set(m.pupil_password_below_year),
                created_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
            let terms: Vec<school_term::ActiveModel> = m
                .terms
                .iter()
                .map(|t| school_term::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    municipality_id: Set(id),
                    kind: Set(t.kind),
                    starts_on: Set(t.starts_on),
                    ends_on: Set(t.ends_on),
                })
                .collect();
            insert_batched(&txn, terms).await?;
            id
        }
        (None, None) => return Err(ImportError::NoMunicipality),
    };
    report.municipality_id = municipality_id;

    let mut unit_ids = HashMap::new();
    let mut units = Vec::with_capacity(snapshot.units.len());
    for u in snapshot.units {
        let id = Uuid::new_v4();
        unit_ids.insert(u.source_id.clone(), id);
        units.push(unit::ActiveModel {
            id: Set(id),
            municipality_id: Set(municipality_id),
            external_id: Set(Some(u.source_id)),
            name: Set(u.name),
            kind: Set(u.kind),
            street: Set(Some(u.address.street)),
            postal_code: Set(Some(u.address.postal_code)),
            city: Set(Some(u.address.city)),
            phone: Set(Some(u.phone)),
            opens_at: Set(u.opens_at),
            closes_at: Set(u.closes_at),
            schedule_lock_working_days: Set(u.schedule_lock_working_days),
            capacity: Set(u.capacity),
            created_at: Set(now),
        });
    }
    report.units = units.len();
    insert_batched(&txn, units).await?;

    let mut person_ids = HashMap::with_capacity(snapshot.persons.len());
    let mut refused: HashSet<String> = HashSet::new();
    let mut persons = Vec::with_capacity(snapshot.persons.len());
    for source in snapshot.persons {
        let source_id = source.source_id.clone();
        match admit(source) {
            Ok(admitted) => {
                let id = Uuid::new_v4();
                person_ids.insert(source_id, id);
                persons.push(person_row(id, municipality_id, admitted, now));
            }
            Err(Refusal::ProtectedIdentity) => {
                report.refused_protected += 1;
                refused.insert(source_id);
            }
            Err(Refusal::InvalidPersonnummer(_)) => {
                report.refused_invalid += 1;
                refused.insert(source_id);
            }
        }
    }
    report.persons = persons.len();
    insert_batched(&txn, persons).await?;
    if report.refused_protected + report.refused_invalid > 0 {
        // Counts only: who was refused is exactly what must not be written down.
        tracing::info!(
            protected = report.refused_protected,
            invalid = report.refused_invalid,
            "persons refused at admission"
        );
    }

    // A link is dropped with a refused person; a link to a person the snapshot never named is an
    // error in the source.
    let person_ref = |source_id: &str, kind: &'static str| -> Result<Option<Uuid>, ImportError> {
        if refused.contains(source_id) {
            return Ok(None);
        }
        lookup(&person_ids, source_id, kind, "person").map(Some)
    };

    let mut links = Vec::new();
    for g in snapshot.guardianships {
        match (
            person_ref(&g.child, "guardianship")?,
            person_ref(&g.adult, "guardianship")?,
        ) {
            (Some(child), Some(adult)) => links.push(guardianship::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                child_id: Set(child),
                adult_id: Set(adult),
                relation: Set(g.relation),
                start_date: Set(g.start_date),
                end_date: Set(g.end_date),
            }),
            _ => report.links_dropped += 1,
        }
    }
    report.guardianships = links.len();
    insert_batched(&txn, links).await?;

    let mut group_ids = HashMap::new();
    let mut groups = Vec::with_capacity(snapshot.groups.len());
    for g in snapshot.groups {
        let id = Uuid::new_v4();
        groups.push(school_group::ActiveModel {
            id: Set(id),
            municipality_id: Set(municipality_id),
            unit_id: Set(lookup(&unit_ids, &g.unit, "group", "unit")?),
            external_id: Set(Some(g.source_id.clone())),
            name: Set(g.name),
            group_type: Set(g.group_type),
            school_year: Set(g.school_year),
            timetable_version: Set(0),
        });
        group_ids.insert(g.source_id, id);
    }
    report.groups = groups.len();
    insert_batched(&txn, groups).await?;

    let mut memberships = Vec::with_capacity(snapshot.memberships.len());
    for m in snapshot.memberships {
        let Some(person_id) = person_ref(&m.person, "membership")? else {
            report.links_dropped += 1;
            continue;
        };
        memberships.push(group_membership::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(municipality_id),
            group_id: Set(lookup(&group_ids, &m.group, "membership", "group")?),
            person_id: Set(person_id),
            role: Set(m.role),
            start_date: Set(m.start_date),
            end_date: Set(m.end_date),
        });
    }
    insert_batched(&txn, memberships).await?;

    let mut enrolments = Vec::with_capacity(snapshot.enrolments.len());
    for e in snapshot.enrolments {
        let Some(pupil_id) = person_ref(&e.pupil, "enrolment")? else {
            report.links_dropped += 1;
            continue;
        };
        enrolments.push(enrolment::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(municipality_id),
            pupil_id: Set(pupil_id),
            unit_id: Set(lookup(&unit_ids, &e.unit, "enrolment", "unit")?),
            school_year: Set(e.school_year),
            start_date: Set(e.start_date),
            end_date: Set(None),
        });
    }
    report.enrolments = enrolments.len();
    insert_batched(&txn, enrolments).await?;

    let mut placements = Vec::with_capacity(snapshot.placements.len());
    for p in snapshot.placements {
        let Some(child_id) = person_ref(&p.child, "placement")? else {
            report.links_dropped += 1;
            continue;
        };
        let group_id = match &p.group {
            Some(g) => Some(lookup(&group_ids, g, "placement", "group")?),
            None => None,
        };
        placements.push(placement::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(municipality_id),
            child_id: Set(child_id),
            unit_id: Set(lookup(&unit_ids, &p.unit, "placement", "unit")?),
            group_id: Set(group_id),
            kind: Set(p.kind),
            start_date: Set(p.start_date),
            end_date: Set(None),
            hours_per_week: Set(p.hours_per_week),
        });
    }
    report.placements = placements.len();
    insert_batched(&txn, placements).await?;

    let mut duties = Vec::with_capacity(snapshot.duties.len());
    for d in snapshot.duties {
        let Some(person_id) = person_ref(&d.person, "duty")? else {
            report.links_dropped += 1;
            continue;
        };
        let unit_id = match &d.unit {
            Some(u) => Some(lookup(&unit_ids, u, "duty", "unit")?),
            None => None,
        };
        duties.push(duty::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(municipality_id),
            person_id: Set(person_id),
            unit_id: Set(unit_id),
            role: Set(d.role),
            start_date: Set(d.start_date),
            end_date: Set(None),
            work_phone: Set(valid_or_counted(
                d.work_phone.as_deref(),
                |v| Phone::parse(v).map(|p| p.as_str().to_owned()),
                &mut report.work_contacts_dropped,
            )),
            work_email: Set(valid_or_counted(
                d.work_email.as_deref(),
                |v| Email::parse(v).map(|e| e.as_str().to_owned()),
                &mut report.work_contacts_dropped,
            )),
        });
    }
    report.duties = duties.len();
    insert_batched(&txn, duties).await?;

    let mut accounts = Vec::with_capacity(snapshot.accounts.len());
    for a in snapshot.accounts {
        let Some(person_id) = person_ref(&a.person, "account")? else {
            report.links_dropped += 1;
            continue;
        };
        accounts.push(account_row(municipality_id, person_id, a, now));
    }
    report.accounts = accounts.len();
    insert_batched(&txn, accounts).await?;

    txn.commit().await?;
    Ok(report)
}

/// The row of a password account from the source, as every import path stores one.
fn account_row(
    municipality_id: Uuid,
    person_id: Uuid,
    a: super::snapshot::SourceAccount,
    now: DateTime<Utc>,
) -> user_account::ActiveModel {
    user_account::ActiveModel {
        id: Set(Uuid::new_v4()),
        municipality_id: Set(municipality_id),
        person_id: Set(person_id),
        username: Set(a.username.to_lowercase()),
        password_hash: Set(Some(a.password_hash)),
        must_change_password: Set(a.must_change_password),
        created_at: Set(now),
        password_changed_at: Set(None),
        last_login_at: Set(None),
        totp_secret: Set(None),
        totp_pending_secret: Set(None),
        totp_last_step: Set(None),
    }
}

/// Password accounts for persons already in the municipality (a sync brought them), found by
/// their source ids; an account whose person is not there is left out and counted.
pub async fn add_accounts(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
    accounts: Vec<super::snapshot::SourceAccount>,
    now: DateTime<Utc>,
) -> Result<(usize, usize), DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let wanted: Vec<String> = accounts.iter().map(|a| a.person.clone()).collect();
    let mut persons: HashMap<String, Uuid> = HashMap::new();
    for chunk in wanted.chunks(BATCH) {
        for p in person::Entity::find()
            .filter(person::Column::MunicipalityId.eq(municipality_id))
            .filter(person::Column::ExternalId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            if let Some(source_id) = p.external_id {
                persons.insert(source_id, p.id);
            }
        }
    }
    let mut rows = Vec::with_capacity(accounts.len());
    let mut left_out = 0;
    for a in accounts {
        let Some(person_id) = persons.get(&a.person).copied() else {
            left_out += 1;
            continue;
        };
        rows.push(account_row(municipality_id, person_id, a, now));
    }
    let added = rows.len();
    insert_batched(db, rows).await?;
    Ok((added, left_out))
}
