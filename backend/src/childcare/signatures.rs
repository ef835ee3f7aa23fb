//! Who must sign a childcare document — the one place for that rule (docs/rules.md rule 20).
//!
//! - An income statement is the household's: its owner signs, and only the owner sees it.
//! - A document about a child (the answer to a placement offer, a termination) is seen by every
//!   guardian (vårdnadshavare) of the child. Where the child has two or more guardians who do not
//!   live at the same address and the municipality's `two_guardian_signing` is on, every guardian
//!   must sign; otherwise the guardian who created it signs alone.
//!
//! `bankid::signing::finish` asks `required_signers` after each signature: until all have signed
//! the document waits (`awaiting_other_guardian`); the last signature makes it `signed` and runs
//! its effect (`childcare::effects`).

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::guardianship::GuardianRelation;
use crate::entity::{childcare_document, guardianship, municipality, person};
use crate::municipality::MunicipalitySettings;

/// The municipality's settings, or the defaults when the row is missing. Unreadable settings
/// are refused at start-up (`municipality::check_all`); should a row go bad later, the request
/// fails rather than silently signing or charging by the defaults.
pub async fn settings(
    db: &impl ConnectionTrait,
    municipality_id: Uuid,
) -> Result<MunicipalitySettings, DbErr> {
    match municipality::Entity::find_by_id(municipality_id)
        .one(db)
        .await?
    {
        Some(m) => MunicipalitySettings::of(&m).map_err(|e| DbErr::Custom(e.to_string())),
        None => Ok(MunicipalitySettings::default()),
    }
}

/// Whether the document is about a child and so shared by the child's guardians.
pub fn is_child_document(doc: &childcare_document::Model) -> bool {
    doc.kind != skolportal_shared::api::DocumentKind::IncomeStatement && doc.child_id.is_some()
}

/// The child's guardians on day `on` (relation guardian, not other responsible adults; the
/// guardianship is dated), in a stable order.
pub async fn guardians_of(
    db: &impl ConnectionTrait,
    child_id: Uuid,
    on: NaiveDate,
) -> Result<Vec<Uuid>, DbErr> {
    let mut ids: Vec<Uuid> = guardianship::Entity::find()
        .filter(guardianship::Column::ChildId.eq(child_id))
        .filter(guardianship::Column::Relation.eq(GuardianRelation::Guardian))
        .filter(guardianship::Column::StartDate.lte(on))
        .filter(
            sea_orm::Condition::any()
                .add(guardianship::Column::EndDate.is_null())
                .add(guardianship::Column::EndDate.gte(on)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.adult_id)
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

fn normalised(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| {
            v.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|v| !v.is_empty())
}

/// Whether two people are registered at the same address (street and postal code). An unknown
/// address is not the same address: then both must sign.
pub fn same_address(a: &person::Model, b: &person::Model) -> bool {
    match (
        normalised(&a.street),
        normalised(&a.postal_code),
        normalised(&b.street),
        normalised(&b.postal_code),
    ) {
        (Some(sa), Some(pa), Some(sb), Some(pb)) => sa == sb && pa == pb,
        _ => false,
    }
}

/// The persons who must sign `doc` before it takes effect on day `on`, the owner first.
pub async fn required_signers(
    db: &impl ConnectionTrait,
    doc: &childcare_document::Model,
    on: NaiveDate,
) -> Result<Vec<Uuid>, DbErr> {
    let owner_only = vec![doc.owner_person_id];
    let Some(child_id) = doc.child_id.filter(|_| is_child_document(doc)) else {
        return Ok(owner_only);
    };
    if !settings(db, doc.municipality_id)
        .await?
        .two_guardian_signing
    {
        return Ok(owner_only);
    }
    let guardians = guardians_apart(db, child_id, on).await?;
    let mut out = owner_only;
    out.extend(guardians.into_iter().filter(|g| *g != doc.owner_person_id));
    Ok(out)
}

/// The child's guardians on day `on` when there are two or more who do not all live at one
/// address (joint custody apart: each must agree); empty otherwise. Leave applications ask the
/// same (`school::leave`).
pub async fn guardians_apart(
    db: &impl ConnectionTrait,
    child_id: Uuid,
    on: NaiveDate,
) -> Result<Vec<Uuid>, DbErr> {
    let guardians = guardians_of(db, child_id, on).await?;
    if guardians.len() < 2 {
        return Ok(Vec::new());
    }
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(guardians.clone()))
        .all(db)
        .await?;
    let apart = people
        .iter()
        .enumerate()
        .any(|(i, a)| people[i + 1..].iter().any(|b| !same_address(a, b)))
        || people.len() != guardians.len();
    Ok(if apart { guardians } else { Vec::new() })
}
