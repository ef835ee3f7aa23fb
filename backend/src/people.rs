//! People as the logged-in user sees them: themselves (`me`), their children (`children`), and
//! their own contact details. Who may see whom is decided here by construction — a guardian's
//! children are found through their own guardianships — and, from the access-policy issue on, by
//! the policy module.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, Statement,
};
use skolportal_shared::api::{
    Address, AuthMethod as WireAuthMethod, ChildCard, ContactUpdate, Me, PupilInfo, Relation, Role,
    UnitKind as WireUnitKind, UnitRef,
};
use skolportal_shared::contact::{ContactError, Email, Phone};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::db::numbered_params;
use crate::entity::duty::{self, DutyRole};
use crate::entity::guardianship;
use crate::entity::session::AuthMethod;
use crate::entity::unit::{self, UnitKind};
use crate::entity::{enrolment, person};

#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error("person not found")]
    NotFound,
    #[error(transparent)]
    Contact(#[from] ContactError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
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

fn wire_unit_kind(kind: &UnitKind) -> WireUnitKind {
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

/// Units (school, preschool, fritidshem) and class of every person `subjects` selects (a subquery
/// yielding `child_id`, with `$1` its parameter), current on `today`.
async fn details(
    db: &impl ConnectionTrait,
    subjects: &str,
    subject: Uuid,
    today: NaiveDate,
) -> Result<Vec<Detail>, sea_orm::DbErr> {
    let sql = format!(
        "SELECT c.child_id AS child_id, 'unit' AS kind, u.name AS name, e.school_year AS school_year \
         FROM {subjects} c JOIN enrolment e ON e.pupil_id = c.child_id JOIN unit u ON u.id = e.unit_id \
         WHERE e.end_date IS NULL OR e.end_date >= $2 \
         UNION ALL \
         SELECT c.child_id, 'unit', u.name, NULL \
         FROM {subjects} c JOIN placement pl ON pl.child_id = c.child_id JOIN unit u ON u.id = pl.unit_id \
         WHERE pl.end_date IS NULL OR pl.end_date >= $2 \
         UNION ALL \
         SELECT c.child_id, 'class', sg.name, sg.school_year \
         FROM {subjects} c JOIN group_membership m ON m.person_id = c.child_id AND m.role = 'pupil' \
         JOIN school_group sg ON sg.id = m.group_id AND sg.group_type = 'class'"
    );
    let backend = db.get_database_backend();
    Detail::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, &sql),
        [subject.into(), today.into()],
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
    let pupil = if is_pupil {
        roles.insert(Role::Pupil);
        let details = details(
            db,
            "(SELECT id AS child_id FROM person WHERE id = $1)",
            p.id,
            today,
        )
        .await?;
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
        must_change_password: user.must_change_password,
        address: address_of(p.street, p.postal_code, p.city),
        email: p.email,
        phone: p.phone,
        units,
        pupil,
    })
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
}

/// The children the user is guardian or other responsible adult of, youngest last.
pub async fn children(
    db: &DatabaseConnection,
    user: &SessionUser,
    today: NaiveDate,
) -> Result<Vec<ChildCard>, PeopleError> {
    let backend = db.get_database_backend();
    let sql =
        "SELECT p.id, p.given_name, p.family_name, p.birth_date, p.street, p.postal_code, p.city, \
               p.phone, p.school_email, g.relation \
               FROM guardianship g JOIN person p ON p.id = g.child_id \
               WHERE g.adult_id = $1 AND g.municipality_id = $2 \
               ORDER BY p.birth_date, p.given_name";
    let rows = ChildRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        numbered_params(backend, sql),
        [user.person_id.into(), user.municipality_id.into()],
    ))
    .all(db)
    .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let details = details(
        db,
        "(SELECT child_id FROM guardianship WHERE adult_id = $1)",
        user.person_id,
        today,
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let fields = school_fields(&details, r.id);
            ChildCard {
                id: r.id,
                given_name: r.given_name,
                family_name: r.family_name,
                birth_date: r.birth_date,
                relation: if r.relation == "other_responsible_adult" {
                    Relation::OtherResponsibleAdult
                } else {
                    Relation::Guardian
                },
                address: address_of(r.street, r.postal_code, r.city),
                phone: r.phone,
                school_email: r.school_email,
                class_name: fields.class_name,
                school_year: fields.school_year,
                units: fields.units,
            }
        })
        .collect())
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
