//! The income statement (inkomstuppgift): the household's gross monthly income from a date, or
//! acceptance of the maximum fee. The fee it leads to is computed by `skolportal_shared::fee` —
//! the same function the form previews with — from the municipality's dated fee settings.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use skolportal_shared::api::{
    DocumentKind, DocumentStatus, FeeBasis, FeeChild, IncomeStatementRequest,
};
use skolportal_shared::fee::{monthly_fees, CareType, ChildPlacement, FeeSettings, Household};
use uuid::Uuid;

use super::payload::{DocumentPayload, FeeLine, IncomeStatement};
use crate::auth::session::SessionUser;
use crate::entity::guardianship::GuardianRelation;
use crate::entity::placement::PlacementKind;
use crate::entity::{childcare_document, guardianship, municipality, person, placement};
use crate::municipality::MunicipalitySettings;

/// Above this a monthly income is a typing mistake, not an income.
const MAX_MONTHLY_INCOME: i64 = 10_000_000;

#[derive(Debug, thiserror::Error)]
pub enum IncomeError {
    #[error("give the household's income or accept the maximum fee")]
    IncomeRequired,
    #[error("the income must be a whole number of kronor between 0 and 10 000 000")]
    InvalidIncome,
    #[error("the income statement must apply from the first day of a month")]
    NotFirstOfMonth,
    #[error("the income statement cannot apply from a month that has passed")]
    ValidFromInPast,
    #[error("only a child's guardians (vårdnadshavare) file income statements; a foster parent does not pay the fee")]
    NotFeePayer,
    #[error("the fee settings are invalid: {0}")]
    Settings(String),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

fn care_of(kind: PlacementKind) -> CareType {
    match kind {
        PlacementKind::Preschool => CareType::Preschool,
        PlacementKind::FamilyDaycare => CareType::FamilyDaycare,
        PlacementKind::Fritidshem => CareType::Fritidshem,
    }
}

async fn settings_of(
    db: &DatabaseConnection,
    user: &SessionUser,
) -> Result<FeeSettings, IncomeError> {
    let m = municipality::Entity::find_by_id(user.municipality_id)
        .one(db)
        .await?
        .ok_or_else(|| IncomeError::Settings("no municipality".into()))?;
    let settings =
        MunicipalitySettings::of(&m).map_err(|e| IncomeError::Settings(e.to_string()))?;
    FeeSettings::new(settings.fee_periods).map_err(|e| IncomeError::Settings(e.to_string()))
}

/// The guardian's children with a place that counts for the fee, current on `today`.
pub async fn fee_basis(
    db: &DatabaseConnection,
    user: &SessionUser,
    today: NaiveDate,
) -> Result<FeeBasis, IncomeError> {
    let settings = settings_of(db, user).await?;
    // The household's children today: guardianships are dated (one that has ended no longer
    // counts for the fee).
    let links = guardianship::Entity::find()
        .filter(guardianship::Column::AdultId.eq(user.person_id))
        .filter(guardianship::Column::StartDate.lte(today))
        .filter(
            guardianship::Column::EndDate
                .is_null()
                .or(guardianship::Column::EndDate.gte(today)),
        )
        .all(db)
        .await?;
    // Only a vårdnadshavare pays: a foster parent's children count for their guardians.
    let pays_for = |child: Uuid| {
        links
            .iter()
            .any(|g| g.child_id == child && g.relation == GuardianRelation::Guardian)
    };
    let child_ids: Vec<Uuid> = links.iter().map(|g| g.child_id).collect();
    let places = placement::Entity::find()
        .filter(placement::Column::ChildId.is_in(child_ids.clone()))
        .filter(
            placement::Column::EndDate
                .is_null()
                .or(placement::Column::EndDate.gte(today)),
        )
        .all(db)
        .await?;
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in(child_ids))
        .all(db)
        .await?;
    let mut children = Vec::new();
    let mut cared_for = Vec::new();
    for p in one_place_per_child(places, today) {
        if let Some(child) = people.iter().find(|c| c.id == p.child_id) {
            let view = FeeChild {
                child_id: child.id,
                given_name: child.given_name.clone(),
                birth_date: child.birth_date,
                care: care_of(p.kind),
                hours_per_week: p.hours_per_week.unwrap_or(0).max(0) as u32,
            };
            if pays_for(child.id) {
                children.push(view);
            } else {
                cared_for.push(view);
            }
        }
    }
    Ok(FeeBasis {
        periods: settings.periods().to_vec(),
        children,
        cared_for,
        pays_fee: links
            .iter()
            .any(|g| g.relation == GuardianRelation::Guardian),
    })
}

/// The place each child's fee follows: a child with two places (an accepted offer to another
/// unit starting while the current place runs out) pays for one — the one that has started, the
/// most recently started if several have; otherwise the one starting first.
fn one_place_per_child(
    mut places: Vec<placement::Model>,
    today: NaiveDate,
) -> Vec<placement::Model> {
    // Per child: started places first, newest start first; then upcoming, earliest first.
    places.sort_by_key(|p| {
        let started = p.start_date <= today;
        let order = if started {
            -(p.start_date.num_days_from_ce() as i64)
        } else {
            p.start_date.num_days_from_ce() as i64
        };
        (p.child_id, !started, order)
    });
    places.dedup_by_key(|p| p.child_id);
    places
}

fn kronor(amount: u32) -> String {
    // Swedish thousands separator: a space.
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{out} kr")
}

fn care_name(care: CareType) -> &'static str {
    match care {
        CareType::Preschool => "förskola",
        CareType::FamilyDaycare => "pedagogisk omsorg",
        CareType::Fritidshem => "fritidshem",
    }
}

/// Creates the income statement as a draft document, ready to be signed.
pub async fn create(
    db: &DatabaseConnection,
    user: &SessionUser,
    request: &IncomeStatementRequest,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<childcare_document::Model, IncomeError> {
    if request.valid_from.day() != 1 {
        return Err(IncomeError::NotFirstOfMonth);
    }
    let this_month = today.with_day(1).unwrap_or(today);
    if request.valid_from < this_month {
        return Err(IncomeError::ValidFromInPast);
    }
    let income = match (request.max_fee_accepted, request.gross_monthly_income) {
        (true, _) => None,
        (false, None) => return Err(IncomeError::IncomeRequired),
        (false, Some(i)) if !(0..=MAX_MONTHLY_INCOME).contains(&i) => {
            return Err(IncomeError::InvalidIncome)
        }
        (false, Some(i)) => Some(i as u32),
    };
    if let Some(draft) = recent_identical_draft(db, user, request.valid_from, income, now).await? {
        return Ok(draft);
    }
    let settings = settings_of(db, user).await?;
    let basis = fee_basis(db, user, today).await?;
    if !basis.pays_fee {
        return Err(IncomeError::NotFeePayer);
    }
    let household = Household {
        monthly_income: income,
        children: basis
            .children
            .iter()
            .map(|c| ChildPlacement {
                child_id: c.child_id,
                birth_date: c.birth_date,
                care: c.care,
                hours_per_week: c.hours_per_week,
            })
            .collect(),
    };
    let fees = monthly_fees(&settings, request.valid_from, &household)
        .map_err(|e| IncomeError::Settings(e.to_string()))?;
    let (guardian, municipality_name) = super::documents::author(db, user)
        .await?
        .ok_or(IncomeError::IncomeRequired)?;
    let id = Uuid::new_v4();

    let mut text = format!(
        "Inkomstuppgift för avgift i förskola och fritidshem\n{municipality_name}\n\nVårdnadshavare: {} {} ({}-{})\nGäller från: {}\n",
        guardian.given_name,
        guardian.family_name,
        &guardian.personnummer[..8],
        &guardian.personnummer[8..],
        request.valid_from.format("%Y-%m-%d"),
    );
    match income {
        Some(i) => text.push_str(&format!(
            "Hushållets bruttoinkomst per månad: {}\n",
            kronor(i)
        )),
        None => {
            text.push_str("Jag lämnar ingen inkomst och godkänner högsta avgift enligt maxtaxan.\n")
        }
    }
    if fees.children.is_empty() {
        text.push_str("\nInget barn i hushållet har en plats som kostar avgift just nu.\n");
    } else {
        text.push_str(&format!(
            "\nAvgift per månad från {}:\n",
            request.valid_from.format("%Y-%m-%d")
        ));
        for f in &fees.children {
            let name = basis
                .children
                .iter()
                .find(|c| c.child_id == f.child_id)
                .map(|c| c.given_name.as_str())
                .unwrap_or("");
            text.push_str(&format!(
                "- {name} ({}, barn {}): {}\n",
                care_name(f.care),
                f.order,
                kronor(f.fee)
            ));
        }
        text.push_str(&format!("Summa: {}\n", kronor(fees.total)));
    }
    text.push_str(&format!(
        "\nJag intygar att uppgifterna är riktiga och att jag meddelar kommunen när hushållets inkomst ändras.\nDokument-id: {id}\n"
    ));

    // The signed bytes: canonical JSON (keys sorted) of what the statement says.
    let payload = DocumentPayload::IncomeStatement(IncomeStatement {
        document_id: id,
        municipality_id: user.municipality_id,
        guardian_personnummer: guardian.personnummer,
        valid_from: request.valid_from,
        max_fee_accepted: income.is_none(),
        gross_monthly_income: income,
        fees: fees
            .children
            .iter()
            .map(|f| FeeLine {
                child_id: f.child_id,
                order: f.order,
                fee: f.fee,
            })
            .collect(),
        fee_total: fees.total,
        fee_period_valid_from: fees.period_valid_from,
        created_at: now,
    });
    let (payload, bytes) = payload.encode().map_err(sea_orm::DbErr::from)?;
    let model = childcare_document::Model {
        id,
        municipality_id: user.municipality_id,
        owner_person_id: user.person_id,
        child_id: None,
        kind: DocumentKind::IncomeStatement,
        status: DocumentStatus::Draft,
        payload,
        document_bytes: bytes,
        sign_text: text,
        created_at: now,
        signed_at: None,
    };
    super::documents::insert(db, &model).await?;
    super::documents::replace_drafts(db, user, DocumentKind::IncomeStatement, model.id).await?;
    Ok(model)
}

/// A retried submission (a second click, or a retry after the answer was lost) is the same
/// statement, not a second one: an unsigned draft by the same guardian saying the same thing,
/// made within this long, is given back instead of a new draft. Older drafts may rest on
/// places and fee settings that have changed since, so they are not reused.
const RETRY_WINDOW_MINUTES: i64 = 15;

async fn recent_identical_draft(
    db: &DatabaseConnection,
    user: &SessionUser,
    valid_from: NaiveDate,
    income: Option<u32>,
    now: DateTime<Utc>,
) -> Result<Option<childcare_document::Model>, IncomeError> {
    let drafts = childcare_document::Entity::find()
        .filter(childcare_document::Column::MunicipalityId.eq(user.municipality_id))
        .filter(childcare_document::Column::OwnerPersonId.eq(user.person_id))
        .filter(childcare_document::Column::Kind.eq(DocumentKind::IncomeStatement))
        .filter(childcare_document::Column::Status.eq(DocumentStatus::Draft))
        .filter(
            childcare_document::Column::CreatedAt
                .gte(now - chrono::Duration::minutes(RETRY_WINDOW_MINUTES)),
        )
        .order_by_desc(childcare_document::Column::CreatedAt)
        .all(db)
        .await?;
    for draft in drafts {
        let said = IncomeStatement::of(&draft).map_err(sea_orm::DbErr::from)?;
        if said.valid_from == valid_from
            && said.max_fee_accepted == income.is_none()
            && said.gross_monthly_income == income
        {
            return Ok(Some(draft));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(child: u128, start: &str) -> placement::Model {
        placement::Model {
            id: Uuid::new_v4(),
            municipality_id: Uuid::nil(),
            child_id: Uuid::from_u128(child),
            unit_id: Uuid::new_v4(),
            group_id: None,
            kind: PlacementKind::Preschool,
            start_date: start.parse().unwrap(),
            end_date: None,
            hours_per_week: Some(40),
        }
    }

    #[test]
    fn a_child_with_two_places_pays_for_the_one_that_applies() {
        let today: NaiveDate = "2026-11-24".parse().unwrap();
        let current = place(1, "2025-08-01");
        let newer_current = place(1, "2026-09-01");
        let upcoming = place(1, "2027-01-07");
        let later = place(2, "2027-03-01");
        let earlier = place(2, "2027-02-01");
        let chosen = one_place_per_child(
            vec![
                upcoming,
                current,
                newer_current.clone(),
                later,
                earlier.clone(),
            ],
            today,
        );
        assert_eq!(chosen, vec![newer_current, earlier]);
    }

    #[test]
    fn kronor_use_swedish_thousands_separators() {
        assert_eq!(super::kronor(45000), "45 000 kr");
        assert_eq!(super::kronor(1688), "1 688 kr");
        assert_eq!(super::kronor(563), "563 kr");
        assert_eq!(super::kronor(1_000_000), "1 000 000 kr");
    }
}
