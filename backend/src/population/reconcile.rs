//! Brings a municipality already in the portal to what a complete `Snapshot` of its source says,
//! in one transaction, by the source's ids: the SS 12000 sync's full reconciliation. Running it
//! twice with the same snapshot changes nothing the second time.
//!
//! What it decides (invariants):
//! - units, groups and persons are matched by `external_id`; a new one is inserted, a changed
//!   one updated in place (its portal id, and everything hanging on it, stays);
//! - a person's e-mail and phone come from the source only while the portal has none: a
//!   guardian's own entry in the portal wins (the address stays the population register's);
//! - relations (guardianship, group membership, enrolment, placement, duty) are matched by what
//!   they relate and when they began; one the source no longer has is *ended* yesterday, not
//!   deleted, because the dated relations are what the policy reads for past terms (one that had
//!   not begun yet is deleted);
//! - a person the source no longer lists keeps their records (retention decides when they go)
//!   and loses the relations; a person now refused at admission is counted, never updated, and
//!   loses the relations too; a person the portal made itself (no source id) is not touched;
//! - before anything is written, the share of relations it would end is held against
//!   `max_removed_share`: a source that answers an empty list by mistake stops the sync
//!   (`ReconcileError::TooManyRemovals`) with nothing changed.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

use super::admission::admit;
use super::import::{insert_batched, person_row, BATCH};
use super::snapshot::Snapshot;
use crate::entity::duty::DutyRole;
use crate::entity::group_membership::MembershipRole;
use crate::entity::guardianship::GuardianRelation;
use crate::entity::placement::PlacementKind;
pub use crate::entity::source_sync_run::RelationKind;
use crate::entity::{
    duty, enrolment, group_membership, guardianship, municipality, person, placement, school_group,
    unit,
};

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error(transparent)]
    Database(#[from] DbErr),
    /// The snapshot would end more of the municipality's relations than the setting allows.
    /// Counts only: what the officer is shown.
    #[error("the sync would end {removed} of {existing} {kind:?}, more than allowed")]
    TooManyRemovals {
        kind: RelationKind,
        removed: usize,
        existing: usize,
    },
    #[error("{kind} refers to unknown {what}")]
    DanglingReference {
        kind: &'static str,
        what: &'static str,
    },
}

/// What one kind of row went through.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Changes {
    pub added: usize,
    pub changed: usize,
    /// Ended (a relation) or no longer in the source (a person, unit or group).
    pub removed: usize,
}

/// Counts per kind: what the officer sees of a sync.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReconcileReport {
    pub units: Changes,
    pub groups: Changes,
    pub persons: Changes,
    pub refused_protected: usize,
    pub refused_invalid: usize,
    pub guardianships: Changes,
    pub memberships: Changes,
    pub enrolments: Changes,
    pub placements: Changes,
    pub duties: Changes,
    /// The portal's ids of persons it had who now arrive with a security marking: the caller
    /// removes them (`population::forget`) in the same transaction. Ids, so not in the report
    /// the officer reads.
    #[serde(skip)]
    pub now_protected: Vec<Uuid>,
}

impl ReconcileReport {
    /// Whether the sync changed anything at all.
    pub fn is_unchanged(&self) -> bool {
        [
            self.units,
            self.groups,
            self.persons,
            self.guardianships,
            self.memberships,
            self.enrolments,
            self.placements,
            self.duties,
        ]
        .iter()
        .all(|c| *c == Changes::default())
            && self.now_protected.is_empty()
    }
}

/// A relation's dates; the rest of what it says is compared as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Dated<V> {
    start: NaiveDate,
    end: Option<NaiveDate>,
    rest: V,
}

/// A relation in the portal: its row and what it says.
struct Stored<V> {
    row: Uuid,
    value: Dated<V>,
}

/// What to do with one kind of relation.
struct Plan<K, V> {
    add: Vec<(K, Dated<V>)>,
    change: Vec<(Uuid, Dated<V>)>,
    end: Vec<Uuid>,
    delete: Vec<Uuid>,
    existing: usize,
}

fn plan<K: Hash + Eq, V: PartialEq>(
    stored: HashMap<K, Stored<V>>,
    mut wanted: HashMap<K, Dated<V>>,
    today: NaiveDate,
) -> Plan<K, V> {
    let mut out = Plan {
        add: Vec::new(),
        change: Vec::new(),
        end: Vec::new(),
        delete: Vec::new(),
        existing: 0,
    };
    for (key, have) in stored {
        let current = have.value.end.is_none_or(|end| end >= today);
        if current {
            out.existing += 1;
        }
        match wanted.remove(&key) {
            Some(want) if want != have.value => out.change.push((have.row, want)),
            Some(_) => {}
            None if have.value.start >= today => out.delete.push(have.row),
            None if current => out.end.push(have.row),
            None => {}
        }
    }
    out.add.extend(wanted);
    out
}

impl<K, V> Plan<K, V> {
    fn changes(&self) -> Changes {
        Changes {
            added: self.add.len(),
            changed: self.change.len(),
            removed: self.end.len() + self.delete.len(),
        }
    }

    /// Refuses a plan that would end more than `max_share` of the current relations (a small
    /// kind may always lose a few).
    fn check(&self, kind: RelationKind, max_share: f64) -> Result<(), ReconcileError> {
        let removed = self.end.len() + self.delete.len();
        let allowed = ((self.existing as f64) * max_share).floor() as usize;
        if removed > allowed.max(5) {
            return Err(ReconcileError::TooManyRemovals {
                kind,
                removed,
                existing: self.existing,
            });
        }
        Ok(())
    }
}

/// The portal's ids of the rows matched by source id, for the relations to point at.
struct Ids {
    units: HashMap<String, Uuid>,
    groups: HashMap<String, Uuid>,
    persons: HashMap<String, Uuid>,
}

impl Ids {
    fn unit(&self, source: &str, kind: &'static str) -> Result<Uuid, ReconcileError> {
        self.units
            .get(source)
            .copied()
            .ok_or(ReconcileError::DanglingReference { kind, what: "unit" })
    }

    fn group(&self, source: &str, kind: &'static str) -> Result<Uuid, ReconcileError> {
        self.groups
            .get(source)
            .copied()
            .ok_or(ReconcileError::DanglingReference {
                kind,
                what: "group",
            })
    }
}

/// Brings `municipality_id` to `snapshot`, or changes nothing (see the module's invariants).
pub async fn reconcile(
    db: &DatabaseConnection,
    municipality_id: Uuid,
    snapshot: Snapshot,
    max_removed_share: f64,
    now: DateTime<Utc>,
) -> Result<ReconcileReport, ReconcileError> {
    let txn = db.begin().await?;
    let report = reconcile_in(&txn, municipality_id, snapshot, max_removed_share, now).await?;
    txn.commit().await?;
    Ok(report)
}

/// Locks the municipality's row: two syncs of one municipality run one after the other, and
/// SQLite takes its write lock now (a read-then-write transaction there fails when another
/// write lands between the read and the first write). Call it before reading anything.
pub async fn lock_municipality(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
) -> Result<(), DbErr> {
    municipality::Entity::update_many()
        .col_expr(
            municipality::Column::Id,
            Expr::col(municipality::Column::Id).into(),
        )
        .filter(municipality::Column::Id.eq(municipality_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// [`reconcile`] inside the caller's transaction, for a sync that stores more with it (its run
/// and the source's records). On an error nothing has been written but the municipality's lock.
pub async fn reconcile_in(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
    snapshot: Snapshot,
    max_removed_share: f64,
    now: DateTime<Utc>,
) -> Result<ReconcileReport, ReconcileError> {
    let today = crate::clock::day_of(now);
    let yesterday = today - Duration::days(1);
    lock_municipality(txn, municipality_id).await?;
    let mut report = ReconcileReport::default();

    // Units.
    let stored_units: HashMap<String, unit::Model> = unit::Entity::find()
        .filter(unit::Column::MunicipalityId.eq(municipality_id))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|u| Some((u.external_id.clone()?, u)))
        .collect();
    let mut ids = Ids {
        units: stored_units
            .iter()
            .map(|(k, u)| (k.clone(), u.id))
            .collect(),
        groups: HashMap::new(),
        persons: HashMap::new(),
    };
    let listed_units: HashSet<&str> = snapshot
        .units
        .iter()
        .map(|u| u.source_id.as_str())
        .collect();
    report.units.removed = stored_units
        .keys()
        .filter(|k| !listed_units.contains(k.as_str()))
        .count();
    let mut new_units = Vec::new();
    for u in &snapshot.units {
        let (street, postal, city) = (
            Some(u.address.street.clone()),
            Some(u.address.postal_code.clone()),
            Some(u.address.city.clone()),
        );
        match stored_units.get(&u.source_id) {
            Some(have) => {
                let same = have.name == u.name
                    && have.kind == u.kind
                    && have.street == street
                    && have.postal_code == postal
                    && have.city == city
                    && have.phone.as_deref() == Some(u.phone.as_str());
                if !same {
                    let mut row = have.clone().into_active_model();
                    row.name = Set(u.name.clone());
                    row.kind = Set(u.kind.clone());
                    row.street = Set(street);
                    row.postal_code = Set(postal);
                    row.city = Set(city);
                    row.phone = Set(Some(u.phone.clone()));
                    row.update(txn).await?;
                    report.units.changed += 1;
                }
            }
            None => {
                let id = Uuid::new_v4();
                ids.units.insert(u.source_id.clone(), id);
                new_units.push(unit::ActiveModel {
                    id: Set(id),
                    municipality_id: Set(municipality_id),
                    external_id: Set(Some(u.source_id.clone())),
                    name: Set(u.name.clone()),
                    kind: Set(u.kind.clone()),
                    street: Set(street),
                    postal_code: Set(postal),
                    city: Set(city),
                    phone: Set(Some(u.phone.clone())),
                    opens_at: Set(u.opens_at),
                    closes_at: Set(u.closes_at),
                    schedule_lock_working_days: Set(u.schedule_lock_working_days),
                    capacity: Set(u.capacity),
                    created_at: Set(now),
                });
            }
        }
    }
    report.units.added = new_units.len();
    insert_batched(txn, new_units).await?;

    // Groups.
    let stored_groups: HashMap<String, school_group::Model> = school_group::Entity::find()
        .filter(school_group::Column::MunicipalityId.eq(municipality_id))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|g| Some((g.external_id.clone()?, g)))
        .collect();
    ids.groups = stored_groups
        .iter()
        .map(|(k, g)| (k.clone(), g.id))
        .collect();
    let listed_groups: HashSet<&str> = snapshot
        .groups
        .iter()
        .map(|g| g.source_id.as_str())
        .collect();
    report.groups.removed = stored_groups
        .keys()
        .filter(|k| !listed_groups.contains(k.as_str()))
        .count();
    let mut new_groups = Vec::new();
    for g in &snapshot.groups {
        let unit_id = ids.unit(&g.unit, "group")?;
        match stored_groups.get(&g.source_id) {
            Some(have) => {
                let same = have.name == g.name
                    && have.group_type == g.group_type
                    && have.school_year == g.school_year
                    && have.unit_id == unit_id;
                if !same {
                    let mut row = have.clone().into_active_model();
                    row.name = Set(g.name.clone());
                    row.group_type = Set(g.group_type);
                    row.school_year = Set(g.school_year);
                    row.unit_id = Set(unit_id);
                    row.update(txn).await?;
                    report.groups.changed += 1;
                }
            }
            None => {
                let id = Uuid::new_v4();
                ids.groups.insert(g.source_id.clone(), id);
                new_groups.push(school_group::ActiveModel {
                    id: Set(id),
                    municipality_id: Set(municipality_id),
                    unit_id: Set(unit_id),
                    external_id: Set(Some(g.source_id.clone())),
                    name: Set(g.name.clone()),
                    group_type: Set(g.group_type),
                    school_year: Set(g.school_year),
                    timetable_version: Set(0),
                });
            }
        }
    }
    report.groups.added = new_groups.len();
    insert_batched(txn, new_groups).await?;

    // Persons: admitted ones are inserted or updated; refused ones never touched.
    let stored_persons: HashMap<String, person::Model> = person::Entity::find()
        .filter(person::Column::MunicipalityId.eq(municipality_id))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|p| Some((p.external_id.clone()?, p)))
        .collect();
    let mut listed_persons = HashSet::new();
    let mut new_persons = Vec::new();
    for source in snapshot.persons.iter().cloned() {
        listed_persons.insert(source.source_id.clone());
        let source_id = source.source_id.clone();
        let admitted = match admit(source) {
            Ok(admitted) => admitted,
            Err(super::admission::Refusal::ProtectedIdentity) => {
                report.refused_protected += 1;
                if let Some(have) = stored_persons.get(&source_id) {
                    report.now_protected.push(have.id);
                }
                continue;
            }
            Err(super::admission::Refusal::InvalidPersonnummer(_)) => {
                report.refused_invalid += 1;
                continue;
            }
        };
        let Some(have) = stored_persons.get(&source_id) else {
            let id = Uuid::new_v4();
            ids.persons.insert(source_id, id);
            new_persons.push(person_row(id, municipality_id, admitted, now));
            continue;
        };
        ids.persons.insert(source_id, have.id);
        let pnr = admitted.personnummer().clone();
        let p = admitted.source;
        let (street, postal_code, city) = match p.address {
            Some(a) => (Some(a.street), Some(a.postal_code), Some(a.city)),
            None => (None, None, None),
        };
        let email = have.email.clone().or(p.email);
        let phone = have.phone.clone().or(p.phone);
        let same = have.personnummer == pnr.as_str()
            && have.given_name == p.given_name
            && have.family_name == p.family_name
            && have.street == street
            && have.postal_code == postal_code
            && have.city == city
            && have.email == email
            && have.phone == phone
            && have.school_email == p.school_email
            && have.unlisted_since.is_none();
        if !same {
            let mut row = have.clone().into_active_model();
            row.personnummer = Set(pnr.as_str().to_owned());
            row.birth_date = Set(pnr.birth_date());
            row.given_name = Set(p.given_name);
            row.family_name = Set(p.family_name);
            row.street = Set(street);
            row.postal_code = Set(postal_code);
            row.city = Set(city);
            row.email = Set(email);
            row.phone = Set(phone);
            row.school_email = Set(p.school_email);
            row.unlisted_since = Set(None);
            row.updated_at = Set(now);
            row.update(txn).await?;
            report.persons.changed += 1;
        }
    }
    report.persons.added = new_persons.len();
    // A person the source no longer lists is counted once, the day it stops listing them.
    let newly_unlisted: Vec<Uuid> = stored_persons
        .iter()
        .filter(|(k, p)| !listed_persons.contains(k.as_str()) && p.unlisted_since.is_none())
        .map(|(_, p)| p.id)
        .collect();
    report.persons.removed = newly_unlisted.len();
    for chunk in newly_unlisted.chunks(BATCH) {
        person::Entity::update_many()
            .col_expr(person::Column::UnlistedSince, Expr::value(today))
            .filter(person::Column::Id.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    insert_batched(txn, new_persons).await?;
    let person = |source: &str| ids.persons.get(source).copied();
    // Only relations between people the source knows are its to change: a person the portal
    // made itself (no source id) keeps theirs.
    let mirrored: HashSet<Uuid> = stored_persons.values().map(|p| p.id).collect();
    let ours = |id: &Uuid| mirrored.contains(id);

    // Relations: planned first, all of them, so that a refusal changes nothing.
    let guardianships = plan(
        guardianship::Entity::find()
            .filter(guardianship::Column::MunicipalityId.eq(municipality_id))
            .all(txn)
            .await?
            .into_iter()
            .filter(|g| ours(&g.child_id) && ours(&g.adult_id))
            .map(|g| {
                let value = Dated {
                    start: g.start_date,
                    end: g.end_date,
                    rest: g.relation,
                };
                ((g.child_id, g.adult_id), Stored { row: g.id, value })
            })
            .collect(),
        snapshot
            .guardianships
            .iter()
            .filter_map(|g| {
                let key = (person(&g.child)?, person(&g.adult)?);
                Some((
                    key,
                    Dated {
                        start: g.start_date,
                        end: g.end_date,
                        rest: g.relation,
                    },
                ))
            })
            .collect::<HashMap<(Uuid, Uuid), Dated<GuardianRelation>>>(),
        today,
    );

    let mut wanted_memberships = HashMap::new();
    for m in &snapshot.memberships {
        let group = ids.group(&m.group, "membership")?;
        if let Some(p) = person(&m.person) {
            wanted_memberships.insert(
                (group, p, m.role, m.start_date),
                Dated {
                    start: m.start_date,
                    end: m.end_date,
                    rest: (),
                },
            );
        }
    }
    let memberships = plan(
        group_membership::Entity::find()
            .filter(group_membership::Column::MunicipalityId.eq(municipality_id))
            .all(txn)
            .await?
            .into_iter()
            .filter(|m| ours(&m.person_id))
            .map(|m| {
                let value = Dated {
                    start: m.start_date,
                    end: m.end_date,
                    rest: (),
                };
                (
                    (m.group_id, m.person_id, m.role, m.start_date),
                    Stored { row: m.id, value },
                )
            })
            .collect(),
        wanted_memberships,
        today,
    );

    let mut wanted_enrolments = HashMap::new();
    for e in &snapshot.enrolments {
        let unit = ids.unit(&e.unit, "enrolment")?;
        if let Some(p) = person(&e.pupil) {
            wanted_enrolments.insert(
                (p, unit, e.start_date),
                Dated {
                    start: e.start_date,
                    end: None,
                    rest: e.school_year,
                },
            );
        }
    }
    let enrolments = plan(
        enrolment::Entity::find()
            .filter(enrolment::Column::MunicipalityId.eq(municipality_id))
            .all(txn)
            .await?
            .into_iter()
            .filter(|e| ours(&e.pupil_id))
            .map(|e| {
                let value = Dated {
                    start: e.start_date,
                    end: e.end_date,
                    rest: e.school_year,
                };
                (
                    (e.pupil_id, e.unit_id, e.start_date),
                    Stored { row: e.id, value },
                )
            })
            .collect(),
        wanted_enrolments,
        today,
    );

    type PlacementTerms = (Option<Uuid>, PlacementKind, Option<i32>);
    let mut wanted_placements: HashMap<(Uuid, Uuid, NaiveDate), Dated<PlacementTerms>> =
        HashMap::new();
    for p in &snapshot.placements {
        let unit = ids.unit(&p.unit, "placement")?;
        let group = match &p.group {
            Some(g) => Some(ids.group(g, "placement")?),
            None => None,
        };
        if let Some(child) = person(&p.child) {
            wanted_placements.insert(
                (child, unit, p.start_date),
                Dated {
                    start: p.start_date,
                    end: None,
                    rest: (group, p.kind, p.hours_per_week),
                },
            );
        }
    }
    let placements = plan(
        placement::Entity::find()
            .filter(placement::Column::MunicipalityId.eq(municipality_id))
            .all(txn)
            .await?
            .into_iter()
            .filter(|p| ours(&p.child_id))
            .map(|p| {
                let value = Dated {
                    start: p.start_date,
                    end: p.end_date,
                    rest: (p.group_id, p.kind, p.hours_per_week),
                };
                (
                    (p.child_id, p.unit_id, p.start_date),
                    Stored { row: p.id, value },
                )
            })
            .collect(),
        wanted_placements,
        today,
    );

    // A duty's work phone and e-mail are checked as the first import checks them.
    type DutyContact = (Option<String>, Option<String>);
    let mut wanted_duties: HashMap<(Uuid, Option<Uuid>, DutyRole, NaiveDate), Dated<DutyContact>> =
        HashMap::new();
    for d in &snapshot.duties {
        let unit = match &d.unit {
            Some(u) => Some(ids.unit(u, "duty")?),
            None => None,
        };
        if let Some(p) = person(&d.person) {
            let phone = d.work_phone.as_deref().and_then(|v| {
                skolportal_shared::contact::Phone::parse(v)
                    .ok()
                    .map(|p| p.as_str().to_owned())
            });
            let email = d.work_email.as_deref().and_then(|v| {
                skolportal_shared::contact::Email::parse(v)
                    .ok()
                    .map(|e| e.as_str().to_owned())
            });
            wanted_duties.insert(
                (p, unit, d.role, d.start_date),
                Dated {
                    start: d.start_date,
                    end: None,
                    rest: (phone, email),
                },
            );
        }
    }
    let duties = plan(
        duty::Entity::find()
            .filter(duty::Column::MunicipalityId.eq(municipality_id))
            .all(txn)
            .await?
            .into_iter()
            .filter(|d| ours(&d.person_id))
            .map(|d| {
                let value = Dated {
                    start: d.start_date,
                    end: d.end_date,
                    rest: (d.work_phone.clone(), d.work_email.clone()),
                };
                (
                    (d.person_id, d.unit_id, d.role, d.start_date),
                    Stored { row: d.id, value },
                )
            })
            .collect(),
        wanted_duties,
        today,
    );

    guardianships.check(RelationKind::Guardianships, max_removed_share)?;
    memberships.check(RelationKind::Memberships, max_removed_share)?;
    enrolments.check(RelationKind::Enrolments, max_removed_share)?;
    placements.check(RelationKind::Placements, max_removed_share)?;
    duties.check(RelationKind::Duties, max_removed_share)?;
    report.guardianships = guardianships.changes();
    report.memberships = memberships.changes();
    report.enrolments = enrolments.changes();
    report.placements = placements.changes();
    report.duties = duties.changes();

    // Writing: each kind's additions in batches, its changes and endings row by row (few).
    insert_batched(
        txn,
        guardianships
            .add
            .into_iter()
            .map(|((child, adult), v)| guardianship::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                child_id: Set(child),
                adult_id: Set(adult),
                relation: Set(v.rest),
                start_date: Set(v.start),
                end_date: Set(v.end),
            })
            .collect(),
    )
    .await?;
    for (row, v) in guardianships.change {
        guardianship::Entity::update_many()
            .filter(guardianship::Column::Id.eq(row))
            .col_expr(
                guardianship::Column::Relation,
                Expr::value(ActiveEnum::to_value(&v.rest)),
            )
            .col_expr(guardianship::Column::StartDate, Expr::value(v.start))
            .col_expr(guardianship::Column::EndDate, Expr::value(v.end))
            .exec(txn)
            .await?;
    }
    end_rows::<guardianship::Entity>(
        txn,
        guardianship::Column::Id,
        guardianship::Column::EndDate,
        &guardianships.end,
        &guardianships.delete,
        yesterday,
    )
    .await?;

    insert_batched(
        txn,
        memberships
            .add
            .into_iter()
            .map(
                |((group, person, role, _), v): ((Uuid, Uuid, MembershipRole, NaiveDate), _)| {
                    group_membership::ActiveModel {
                        id: Set(Uuid::new_v4()),
                        municipality_id: Set(municipality_id),
                        group_id: Set(group),
                        person_id: Set(person),
                        role: Set(role),
                        start_date: Set(v.start),
                        end_date: Set(v.end),
                    }
                },
            )
            .collect(),
    )
    .await?;
    for (row, v) in memberships.change {
        group_membership::Entity::update_many()
            .filter(group_membership::Column::Id.eq(row))
            .col_expr(group_membership::Column::EndDate, Expr::value(v.end))
            .exec(txn)
            .await?;
    }
    end_rows::<group_membership::Entity>(
        txn,
        group_membership::Column::Id,
        group_membership::Column::EndDate,
        &memberships.end,
        &memberships.delete,
        yesterday,
    )
    .await?;

    insert_batched(
        txn,
        enrolments
            .add
            .into_iter()
            .map(|((pupil, unit, _), v)| enrolment::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                pupil_id: Set(pupil),
                unit_id: Set(unit),
                school_year: Set(v.rest),
                start_date: Set(v.start),
                end_date: Set(v.end),
            })
            .collect(),
    )
    .await?;
    for (row, v) in enrolments.change {
        enrolment::Entity::update_many()
            .filter(enrolment::Column::Id.eq(row))
            .col_expr(enrolment::Column::SchoolYear, Expr::value(v.rest))
            .col_expr(enrolment::Column::EndDate, Expr::value(v.end))
            .exec(txn)
            .await?;
    }
    end_rows::<enrolment::Entity>(
        txn,
        enrolment::Column::Id,
        enrolment::Column::EndDate,
        &enrolments.end,
        &enrolments.delete,
        yesterday,
    )
    .await?;

    insert_batched(
        txn,
        placements
            .add
            .into_iter()
            .map(|((child, unit, _), v)| placement::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                child_id: Set(child),
                unit_id: Set(unit),
                group_id: Set(v.rest.0),
                kind: Set(v.rest.1),
                start_date: Set(v.start),
                end_date: Set(v.end),
                hours_per_week: Set(v.rest.2),
            })
            .collect(),
    )
    .await?;
    for (row, v) in placements.change {
        placement::Entity::update_many()
            .filter(placement::Column::Id.eq(row))
            .col_expr(placement::Column::GroupId, Expr::value(v.rest.0))
            .col_expr(
                placement::Column::Kind,
                Expr::value(ActiveEnum::to_value(&v.rest.1)),
            )
            .col_expr(placement::Column::HoursPerWeek, Expr::value(v.rest.2))
            .col_expr(placement::Column::EndDate, Expr::value(v.end))
            .exec(txn)
            .await?;
    }
    end_rows::<placement::Entity>(
        txn,
        placement::Column::Id,
        placement::Column::EndDate,
        &placements.end,
        &placements.delete,
        yesterday,
    )
    .await?;

    insert_batched(
        txn,
        duties
            .add
            .into_iter()
            .map(|((person, unit, role, _), v)| duty::ActiveModel {
                id: Set(Uuid::new_v4()),
                municipality_id: Set(municipality_id),
                person_id: Set(person),
                unit_id: Set(unit),
                role: Set(role),
                start_date: Set(v.start),
                end_date: Set(v.end),
                work_phone: Set(v.rest.0),
                work_email: Set(v.rest.1),
            })
            .collect(),
    )
    .await?;
    for (row, v) in duties.change {
        duty::Entity::update_many()
            .filter(duty::Column::Id.eq(row))
            .col_expr(duty::Column::WorkPhone, Expr::value(v.rest.0))
            .col_expr(duty::Column::WorkEmail, Expr::value(v.rest.1))
            .col_expr(duty::Column::EndDate, Expr::value(v.end))
            .exec(txn)
            .await?;
    }
    end_rows::<duty::Entity>(
        txn,
        duty::Column::Id,
        duty::Column::EndDate,
        &duties.end,
        &duties.delete,
        yesterday,
    )
    .await?;

    Ok(report)
}

/// Ends `end` yesterday and deletes `delete` (relations that had not begun).
async fn end_rows<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: E::Column,
    end_date: E::Column,
    end: &[Uuid],
    delete: &[Uuid],
    yesterday: NaiveDate,
) -> Result<(), DbErr> {
    for chunk in end.chunks(BATCH) {
        E::update_many()
            .filter(id.is_in(chunk.iter().copied()))
            .col_expr(end_date, Expr::value(Some(yesterday)))
            .exec(db)
            .await?;
    }
    for chunk in delete.chunks(BATCH) {
        E::delete_many()
            .filter(id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a day")
    }

    fn dated(start: u32, end: Option<u32>) -> Dated<()> {
        Dated {
            start: day(start),
            end: end.map(day),
            rest: (),
        }
    }

    #[test]
    fn a_relation_the_source_dropped_is_ended_and_one_not_begun_is_deleted() {
        let stored: HashMap<u8, Stored<()>> = [
            (1, dated(1, None)),
            (2, dated(20, None)),
            (3, dated(1, Some(2))),
            (4, dated(1, None)),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (k, value))| {
            (
                k,
                Stored {
                    row: Uuid::from_u128(i as u128),
                    value,
                },
            )
        })
        .collect();
        let wanted: HashMap<u8, Dated<()>> = [(4, dated(1, Some(10))), (5, dated(5, None))]
            .into_iter()
            .collect();
        let p = plan(stored, wanted, day(5));
        assert_eq!(p.end, [Uuid::from_u128(0)]);
        assert_eq!(p.delete, [Uuid::from_u128(1)]);
        assert_eq!(p.change.len(), 1, "the end date the source gave");
        assert_eq!(p.add.len(), 1);
        assert_eq!(p.existing, 3, "the one ended before today is history");
    }

    #[test]
    fn the_same_relations_plan_nothing() {
        let stored: HashMap<u8, Stored<()>> = [(
            1,
            Stored {
                row: Uuid::nil(),
                value: dated(1, None),
            },
        )]
        .into_iter()
        .collect();
        let p = plan(stored, [(1, dated(1, None))].into_iter().collect(), day(5));
        assert_eq!(p.changes(), Changes::default());
    }

    #[test]
    fn ending_most_relations_is_refused_and_a_few_always_pass() {
        let many = Plan::<u8, ()> {
            add: Vec::new(),
            change: Vec::new(),
            end: vec![Uuid::nil(); 30],
            delete: Vec::new(),
            existing: 100,
        };
        assert!(matches!(
            many.check(RelationKind::Duties, 0.1),
            Err(ReconcileError::TooManyRemovals { removed: 30, .. })
        ));
        assert!(many.check(RelationKind::Duties, 0.5).is_ok());
        let few = Plan::<u8, ()> {
            end: vec![Uuid::nil(); 3],
            existing: 4,
            ..many
        };
        assert!(few.check(RelationKind::Duties, 0.1).is_ok());
    }
}
