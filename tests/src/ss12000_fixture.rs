//! A municipality's `Snapshot` written as the SS 12000 entries a school administration system
//! would serve for it, into the local source (`ss12000_source`). Written from the standard, not
//! from the portal's client, so a round trip through the client tests both ends.
//!
//! How the portal's facts are expressed in the standard:
//! - a unit is an `Organisation` of type `Skolenhet` whose `schoolTypes` say what it is (`GR`
//!   a school, `FS` a preschool, `FTH` a fritidshem, `OPPFTH` family daycare);
//! - the organiser (`Huvudman`) is the organisation above the units, where officers' duties
//!   are (`Skoladministratör`);
//! - a person carries their `responsibles` (no dates in the standard) and `enrolments`;
//!   private e-mail and phone are `Privat` and `Hem`, the school's address `Skola elev`;
//! - a pupil's membership is in the group's `groupMemberships`; a mentor's is an
//!   `assignmentRole` of type `Mentor` on their duty at the group's unit; a teacher's is an
//!   `Activity` of the group with the teacher's duty among its `teachers`.

use std::collections::HashMap;

use serde_json::{json, Value};
use skolportal_backend::entity::duty::DutyRole;
use skolportal_backend::entity::group_membership::MembershipRole;
use skolportal_backend::entity::guardianship::GuardianRelation;
use skolportal_backend::entity::placement::PlacementKind;
use skolportal_backend::entity::school_group::GroupType;
use skolportal_backend::entity::unit::UnitKind;
use skolportal_backend::population::admission::SecurityMarking;
use skolportal_backend::population::snapshot::Snapshot;
use uuid::Uuid;

use crate::ss12000_source::Ss12000Source;

/// A stable id for something the snapshot has no id of its own for (a duty, an activity).
fn derived_id(parts: &[&str]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(parts.join("|").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

fn reference(id: &str) -> Value {
    json!({"id": id})
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn school_type(kind: &UnitKind) -> &'static str {
    match kind {
        UnitKind::School => "GR",
        UnitKind::Preschool => "FS",
        UnitKind::Fritidshem => "FTH",
        UnitKind::FamilyDaycare => "OPPFTH",
    }
}

fn marking(m: &SecurityMarking) -> &'static str {
    match m {
        SecurityMarking::None => "Ingen",
        SecurityMarking::Confidential => "Sekretessmarkering",
        SecurityMarking::ProtectedRegistration => "Skyddad folkbokföring",
    }
}

fn duty_role(role: DutyRole) -> &'static str {
    match role {
        DutyRole::Teacher => "Lärare",
        DutyRole::PreschoolStaff => "Förskollärare",
        DutyRole::Principal => "Rektor",
        DutyRole::Officer => "Skoladministratör",
    }
}

fn group_type(t: GroupType) -> &'static str {
    match t {
        GroupType::Class => "Klass",
        GroupType::Teaching => "Undervisning",
        GroupType::Mentor => "Mentor",
        GroupType::Department => "Avdelning",
    }
}

/// The standard's entries for `snapshot`, by collection (`organisations`, `persons`, …).
pub fn entries(snapshot: &Snapshot) -> HashMap<&'static str, Vec<Value>> {
    let mut out: HashMap<&'static str, Vec<Value>> = HashMap::new();
    let unit_kind: HashMap<&str, &UnitKind> = snapshot
        .units
        .iter()
        .map(|u| (u.source_id.as_str(), &u.kind))
        .collect();
    for u in &snapshot.units {
        out.entry("organisations").or_default().push(json!({
            "id": u.source_id,
            "displayName": u.name,
            "organisationType": "Skolenhet",
            "schoolTypes": [school_type(&u.kind)],
            "address": {
                "type": "Besöksadress",
                "streetAddress": u.address.street,
                "postalCode": u.address.postal_code,
                "locality": u.address.city,
            },
            "phoneNumber": u.phone,
        }));
    }

    let group_unit: HashMap<&str, &str> = snapshot
        .groups
        .iter()
        .map(|g| (g.source_id.as_str(), g.unit.as_str()))
        .collect();
    let mut responsibles: HashMap<&str, Vec<Value>> = HashMap::new();
    for g in &snapshot.guardianships {
        let relation = match g.relation {
            GuardianRelation::Guardian => "Vårdnadshavare",
            GuardianRelation::OtherResponsibleAdult => "Annan ansvarig",
        };
        responsibles
            .entry(g.child.as_str())
            .or_default()
            .push(json!({"person": reference(&g.adult), "relationType": relation}));
    }
    let mut enrolments: HashMap<&str, Vec<Value>> = HashMap::new();
    for e in &snapshot.enrolments {
        let school_type = unit_kind
            .get(e.unit.as_str())
            .map_or("GR", |k| school_type(k));
        enrolments.entry(e.pupil.as_str()).or_default().push(json!({
            "enroledAt": reference(&e.unit),
            "schoolYear": e.school_year,
            "schoolType": school_type,
            "startDate": day(e.start_date),
        }));
    }
    // Staff's work e-mail and phone are their own in the standard, not their duty's.
    let work: HashMap<&str, (Option<&str>, Option<&str>)> = snapshot
        .duties
        .iter()
        .map(|d| {
            (
                d.person.as_str(),
                (d.work_email.as_deref(), d.work_phone.as_deref()),
            )
        })
        .collect();
    for p in &snapshot.persons {
        let mut emails = Vec::new();
        if let Some(e) = &p.email {
            emails.push(json!({"value": e, "type": "Privat"}));
        }
        if let Some(e) = &p.school_email {
            emails.push(json!({"value": e, "type": "Skola elev"}));
        }
        let (work_email, work_phone) = work.get(p.source_id.as_str()).copied().unwrap_or_default();
        if let Some(e) = work_email {
            emails.push(json!({"value": e, "type": "Skola personal"}));
        }
        let mut phones: Vec<Value> = p
            .phone
            .iter()
            .map(|v| json!({"value": v, "type": "Hem", "mobile": true}))
            .collect();
        if let Some(v) = work_phone {
            phones.push(json!({"value": v, "type": "Arbete", "mobile": false}));
        }
        let addresses: Vec<Value> = p
            .address
            .iter()
            .map(|a| {
                json!({
                    "type": "Folkbokföring",
                    "streetAddress": a.street,
                    "postalCode": a.postal_code,
                    "locality": a.city,
                    "country": "Sverige",
                })
            })
            .collect();
        out.entry("persons").or_default().push(json!({
            "id": p.source_id,
            "givenName": p.given_name,
            "familyName": p.family_name,
            "civicNo": {"value": p.personnummer, "nationality": "SE"},
            "securityMarking": marking(&p.security_marking),
            "personStatus": "Aktiv",
            "emails": emails,
            "phoneNumbers": phones,
            "addresses": addresses,
            "responsibles": responsibles.remove(p.source_id.as_str()).unwrap_or_default(),
            "enrolments": enrolments.remove(p.source_id.as_str()).unwrap_or_default(),
        }));
    }

    // Duties, with each mentor's groups as assignment roles.
    let duty_id = |person: &str, unit: Option<&str>, role: DutyRole| {
        derived_id(&["duty", person, unit.unwrap_or("-"), duty_role(role)])
    };
    let mut mentors: HashMap<String, Vec<Value>> = HashMap::new();
    let mut teachers: HashMap<&str, Vec<Value>> = HashMap::new();
    let mut pupils: HashMap<&str, Vec<Value>> = HashMap::new();
    let duty_of: HashMap<(&str, &str), (Option<&str>, DutyRole)> = snapshot
        .duties
        .iter()
        .filter_map(|d| {
            Some((
                (d.person.as_str(), d.unit.as_deref()?),
                (d.unit.as_deref(), d.role),
            ))
        })
        .collect();
    for m in &snapshot.memberships {
        let mut entry = json!({"startDate": day(m.start_date)});
        if let Some(end) = m.end_date {
            entry["endDate"] = json!(day(end));
        }
        match m.role {
            MembershipRole::Pupil => {
                entry["person"] = reference(&m.person);
                pupils.entry(m.group.as_str()).or_default().push(entry);
            }
            MembershipRole::Mentor | MembershipRole::Teacher => {
                let Some(unit) = group_unit.get(m.group.as_str()) else {
                    continue;
                };
                let Some((unit, role)) = duty_of.get(&(m.person.as_str(), *unit)) else {
                    continue;
                };
                let duty = duty_id(&m.person, *unit, *role);
                if m.role == MembershipRole::Mentor {
                    entry["group"] = reference(&m.group);
                    entry["assignmentRoleType"] = json!("Mentor");
                    mentors.entry(duty).or_default().push(entry);
                } else {
                    entry["duty"] = reference(&duty);
                    teachers.entry(m.group.as_str()).or_default().push(entry);
                }
            }
        }
    }
    // An officer works for the municipality, not a unit: their duty is at the organiser
    // (huvudman), the organisation above the units.
    let organiser = derived_id(&[
        "organiser",
        snapshot
            .municipality
            .as_ref()
            .map_or("municipality", |m| m.code.as_str()),
    ]);
    out.entry("organisations").or_default().push(json!({
        "id": organiser,
        "displayName": snapshot.municipality.as_ref().map_or("Kommunen", |m| m.name.as_str()),
        "organisationType": "Huvudman",
    }));
    for d in &snapshot.duties {
        let id = duty_id(&d.person, d.unit.as_deref(), d.role);
        let duty = json!({
            "id": id,
            "person": reference(&d.person),
            "dutyAt": reference(d.unit.as_deref().unwrap_or(&organiser)),
            "dutyRole": duty_role(d.role),
            "startDate": day(d.start_date),
            "assignmentRole": mentors.remove(&id).unwrap_or_default(),
        });
        out.entry("duties").or_default().push(duty);
    }

    for g in &snapshot.groups {
        let school_type = unit_kind
            .get(g.unit.as_str())
            .map_or("GR", |k| school_type(k));
        out.entry("groups").or_default().push(json!({
            "id": g.source_id,
            "displayName": g.name,
            "groupType": group_type(g.group_type),
            "schoolType": school_type,
            "organisation": reference(&g.unit),
            "startDate": "2000-01-01",
            "groupMemberships": pupils.remove(g.source_id.as_str()).unwrap_or_default(),
        }));
        if let Some(teachers) = teachers.remove(g.source_id.as_str()) {
            out.entry("activities").or_default().push(json!({
                "id": derived_id(&["activity", &g.source_id]),
                "displayName": g.name,
                "calendarEventsRequired": false,
                "startDate": "2000-01-01",
                "groups": [reference(&g.source_id)],
                "teachers": teachers,
                "organisation": reference(&g.unit),
            }));
        }
    }

    for p in &snapshot.placements {
        let school_type = match p.kind {
            PlacementKind::Preschool => "FS",
            PlacementKind::Fritidshem => "FTH",
            PlacementKind::FamilyDaycare => "OPPFTH",
        };
        let mut placement = json!({
            "id": derived_id(&["placement", &p.child, &p.unit, &day(p.start_date)]),
            "child": reference(&p.child),
            "placedAt": reference(&p.unit),
            "schoolType": school_type,
            "startDate": day(p.start_date),
            "owners": [],
        });
        if let Some(g) = &p.group {
            placement["group"] = reference(g);
        }
        if let Some(hours) = p.hours_per_week {
            placement["maxWeeklyScheduleHours"] = json!(hours);
        }
        out.entry("placements").or_default().push(placement);
    }
    out
}

/// Puts `snapshot` into `source`.
pub fn load(source: &Ss12000Source, snapshot: &Snapshot) {
    for (collection, items) in entries(snapshot) {
        for item in items {
            source.put(collection, item);
        }
    }
}

/// The id `entries` gives a duty, for tests that change one.
pub fn duty_id(person: &str, unit: Option<&str>, role: DutyRole) -> Uuid {
    derived_id(&["duty", person, unit.unwrap_or("-"), duty_role(role)])
        .parse()
        .unwrap_or_default()
}
