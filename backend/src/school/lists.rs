//! Class and group lists and a school's staff list (the seed's klass-, grupp- and
//! personallistor). Invariants: a group's list shows the group's members today and of its
//! pupils only their names and class; a staff list shows a unit's staff with their work contact
//! details, never a person's own e-mail or phone. Who may open which is the policy's
//! (`GroupAction::ReadGroupList`, `UnitAction::ReadStaffList`); a teacher's read of a group's
//! list is written to the access log for every pupil it shows, a pupil's or a family's is not.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};
use skolportal_shared::api::{
    GroupKind, GroupList, GroupListPupil, GroupListStaff, GroupRef, GroupStaffRole, SchoolLists,
    StaffList, StaffListEntry, StaffRole, UnitRef,
};
use uuid::Uuid;

use crate::clock::day_of;
use crate::db::numbered_params;
use crate::entity::duty::DutyRole;
use crate::entity::group_membership::MembershipRole;
use crate::entity::school_group::GroupType;
use crate::entity::unit::UnitKind;
use crate::people::wire_unit_kind;
use crate::policy::{current, GroupAction, ListPermit, Permit, UnitAction};

#[derive(Debug, thiserror::Error)]
pub enum ListsError {
    /// The group or unit is gone since the policy said yes.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] DbErr),
}

fn group_kind(kind: GroupType) -> Option<GroupKind> {
    match kind {
        GroupType::Class => Some(GroupKind::Class),
        GroupType::Teaching => Some(GroupKind::Teaching),
        GroupType::Mentor => Some(GroupKind::Mentor),
        // A preschool department's children are placed, not members: it has no school list.
        GroupType::Department => None,
    }
}

async fn query<T: FromQueryResult>(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<T>, DbErr> {
    let backend = db.get_database_backend();
    T::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, sql),
        values,
    ))
    .all(db)
    .await
}

#[derive(FromQueryResult)]
struct GroupRow {
    id: Uuid,
    name: String,
    group_type: GroupType,
    unit_name: String,
}

#[derive(FromQueryResult)]
struct ChildInGroup {
    group_id: Uuid,
    given_name: String,
}

#[derive(FromQueryResult)]
struct UnitRow {
    id: Uuid,
    name: String,
    kind: UnitKind,
}

/// The lists the actor may open: the groups `groups` permits (classes first, then by name) and
/// the units whose staff list `units` permits.
pub async fn lists(
    db: &impl ConnectionTrait,
    groups: &ListPermit<GroupAction>,
    units: &ListPermit<UnitAction>,
) -> Result<SchoolLists, ListsError> {
    let sql = format!(
        "SELECT g.id, g.name, g.group_type, u.name AS unit_name \
         FROM school_group g JOIN unit u ON u.id = g.unit_id \
         WHERE g.group_type <> 'department' AND g.id IN {} \
         ORDER BY u.name, g.name",
        groups.filter_sql()
    );
    let rows: Vec<GroupRow> = query(db, &sql, groups.filter_values()).await?;
    // Whose group it is, for a responsible adult with several pupils.
    let children_sql = format!(
        "SELECT m.group_id, c.given_name FROM guardianship g \
         JOIN group_membership m ON m.person_id = g.child_id AND m.role = 'pupil' AND {} \
         JOIN person c ON c.id = g.child_id \
         WHERE g.adult_id = $1 AND g.municipality_id = $3 AND {} AND m.group_id IN {} \
         ORDER BY c.given_name",
        current!("m"),
        current!("g"),
        groups.filter_sql()
    );
    let children: Vec<ChildInGroup> = query(db, &children_sql, groups.filter_values()).await?;
    let mut by_group: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    for c in children {
        by_group.entry(c.group_id).or_default().push(c.given_name);
    }
    let mut out: Vec<GroupRef> = rows
        .into_iter()
        .filter_map(|r| {
            Some(GroupRef {
                id: r.id,
                kind: group_kind(r.group_type)?,
                children: by_group.remove(&r.id).unwrap_or_default(),
                name: r.name,
                unit_name: r.unit_name,
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.unit_name, a.kind, &a.name).cmp(&(&b.unit_name, b.kind, &b.name)));
    let unit_sql = format!(
        "SELECT u.id, u.name, u.kind FROM unit u WHERE u.id IN {} ORDER BY u.name",
        units.filter_sql()
    );
    let schools: Vec<UnitRow> = query(db, &unit_sql, units.filter_values()).await?;
    Ok(SchoolLists {
        groups: out,
        schools: schools
            .into_iter()
            .map(|u| UnitRef {
                id: u.id,
                name: u.name,
                kind: wire_unit_kind(&u.kind),
            })
            .collect(),
    })
}

#[derive(FromQueryResult)]
struct MemberRow {
    id: Uuid,
    given_name: String,
    family_name: String,
    role: MembershipRole,
    class_name: Option<String>,
}

/// The list of the group the permit is for, as of the permit's day; a teacher's read is logged
/// for each pupil it shows.
pub async fn group_list(
    db: &impl ConnectionTrait,
    permit: &Permit<GroupAction>,
    now: DateTime<Utc>,
) -> Result<GroupList, ListsError> {
    let today: NaiveDate = day_of(now);
    let group_id = permit.target().0;
    let group: GroupRow = query::<GroupRow>(
        db,
        "SELECT g.id, g.name, g.group_type, u.name AS unit_name \
         FROM school_group g JOIN unit u ON u.id = g.unit_id WHERE g.id = $1",
        vec![group_id.into()],
    )
    .await?
    .into_iter()
    .next()
    .ok_or(ListsError::NotFound)?;
    let kind = group_kind(group.group_type).ok_or(ListsError::NotFound)?;
    // The pupil's class at the group's school, for a list that is not itself a class.
    let sql = concat!(
        "SELECT p.id, p.given_name, p.family_name, m.role, \
         (SELECT MIN(cg.name) FROM group_membership cm \
          JOIN school_group cg ON cg.id = cm.group_id AND cg.group_type = 'class' \
          JOIN school_group me ON me.id = $1 AND me.unit_id = cg.unit_id \
          WHERE cm.person_id = p.id AND cm.role = 'pupil' AND ",
        current!("cm"),
        ") AS class_name \
         FROM group_membership m JOIN person p ON p.id = m.person_id \
         WHERE m.group_id = $1 AND ",
        current!("m"),
        " ORDER BY p.family_name, p.given_name, p.id, m.role"
    );
    let members: Vec<MemberRow> = query(db, sql, vec![group_id.into(), today.into()]).await?;
    let mut seen = HashSet::new();
    let mut pupils = Vec::new();
    let mut shown = Vec::new();
    let mut staff = Vec::new();
    for m in members {
        if !seen.insert((m.id, m.role == MembershipRole::Pupil)) {
            continue;
        }
        match m.role {
            MembershipRole::Pupil => {
                shown.push(m.id);
                pupils.push(GroupListPupil {
                    given_name: m.given_name,
                    family_name: m.family_name,
                    class_name: if kind == GroupKind::Class {
                        None
                    } else {
                        m.class_name
                    },
                });
            }
            MembershipRole::Mentor | MembershipRole::Teacher => staff.push(GroupListStaff {
                given_name: m.given_name,
                family_name: m.family_name,
                role: if m.role == MembershipRole::Mentor {
                    GroupStaffRole::Mentor
                } else {
                    GroupStaffRole::Teacher
                },
            }),
        }
    }
    staff.sort_by(|a, b| {
        (a.role, &a.family_name, &a.given_name).cmp(&(b.role, &b.family_name, &b.given_name))
    });
    permit.record_shown(db, shown, now).await?;
    Ok(GroupList {
        id: group.id,
        name: group.name,
        kind,
        unit_name: group.unit_name,
        pupils,
        staff,
    })
}

#[derive(FromQueryResult)]
struct StaffRow {
    given_name: String,
    family_name: String,
    role: DutyRole,
    work_phone: Option<String>,
    work_email: Option<String>,
}

/// The staff list of the unit the permit is for: everyone with a duty there today.
pub async fn staff_list(
    db: &impl ConnectionTrait,
    permit: &Permit<UnitAction>,
    today: NaiveDate,
) -> Result<StaffList, ListsError> {
    let unit_id = permit.target().0;
    let unit: UnitRow = query::<UnitRow>(
        db,
        "SELECT u.id, u.name, u.kind FROM unit u WHERE u.id = $1",
        vec![unit_id.into()],
    )
    .await?
    .into_iter()
    .next()
    .ok_or(ListsError::NotFound)?;
    let sql = concat!(
        "SELECT p.given_name, p.family_name, d.role, d.work_phone, d.work_email \
         FROM duty d JOIN person p ON p.id = d.person_id \
         WHERE d.unit_id = $1 AND d.role <> 'officer' AND ",
        current!("d"),
        " ORDER BY p.family_name, p.given_name, d.role"
    );
    let rows: Vec<StaffRow> = query(db, sql, vec![unit_id.into(), today.into()]).await?;
    let staff = rows
        .into_iter()
        .filter_map(|r| {
            Some(StaffListEntry {
                role: match r.role {
                    DutyRole::Principal => StaffRole::Principal,
                    DutyRole::Teacher => StaffRole::Teacher,
                    DutyRole::PreschoolStaff => StaffRole::PreschoolStaff,
                    DutyRole::Officer => return None,
                },
                given_name: r.given_name,
                family_name: r.family_name,
                work_phone: r.work_phone,
                work_email: r.work_email,
            })
        })
        .collect();
    Ok(StaffList {
        unit: UnitRef {
            id: unit.id,
            name: unit.name,
            kind: wire_unit_kind(&unit.kind),
        },
        staff,
    })
}
