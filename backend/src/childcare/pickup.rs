//! Pick-up persons (hämtare): the people a guardian allows to collect the child, with a phone
//! number the staff can call. Added and removed by a guardian; read by the unit's staff.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use skolportal_shared::api::{NewPickupPerson, PickupPerson};
use skolportal_shared::contact::Phone;
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::entity::pickup_person;
use crate::policy::{Permit, PersonAction};

/// More than this many is a list nobody at the unit can use.
pub const MAX_PER_CHILD: u64 = 20;
const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum PickupError {
    #[error("give the person's name (1 to 100 characters)")]
    InvalidName,
    #[error("not a valid phone number (7 to 15 digits)")]
    InvalidPhone,
    #[error("a child can have at most 20 pick-up persons")]
    TooMany,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] DbErr),
}

pub fn view(p: &pickup_person::Model) -> PickupPerson {
    PickupPerson {
        id: p.id,
        name: p.name.clone(),
        phone: p.phone.clone(),
    }
}

/// The child's pick-up persons, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    user: &SessionUser,
    permit: &Permit<PersonAction>,
) -> Result<Vec<PickupPerson>, PickupError> {
    Ok(pickup_person::Entity::find()
        .filter(pickup_person::Column::MunicipalityId.eq(user.municipality_id))
        .filter(pickup_person::Column::ChildId.eq(permit.subject()))
        .order_by_asc(pickup_person::Column::CreatedAt)
        .order_by_asc(pickup_person::Column::Name)
        .all(db)
        .await?
        .iter()
        .map(view)
        .collect())
}

pub async fn add(
    db: &DatabaseConnection,
    user: &SessionUser,
    permit: &Permit<PersonAction>,
    new: &NewPickupPerson,
    now: DateTime<Utc>,
) -> Result<PickupPerson, PickupError> {
    let name = new.name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(PickupError::InvalidName);
    }
    let phone = Phone::parse(&new.phone).map_err(|_| PickupError::InvalidPhone)?;
    let count = pickup_person::Entity::find()
        .filter(pickup_person::Column::MunicipalityId.eq(user.municipality_id))
        .filter(pickup_person::Column::ChildId.eq(permit.subject()))
        .count(db)
        .await?;
    if count >= MAX_PER_CHILD {
        return Err(PickupError::TooMany);
    }
    let model = pickup_person::Model {
        id: Uuid::new_v4(),
        municipality_id: user.municipality_id,
        child_id: permit.subject(),
        name: name.to_owned(),
        phone: phone.as_str().to_owned(),
        created_at: now,
        created_by_person_id: user.person_id,
    };
    pickup_person::Entity::insert(pickup_person::ActiveModel {
        id: Set(model.id),
        municipality_id: Set(model.municipality_id),
        child_id: Set(model.child_id),
        name: Set(model.name.clone()),
        phone: Set(model.phone.clone()),
        created_at: Set(now),
        created_by_person_id: Set(user.person_id),
    })
    .exec_without_returning(db)
    .await?;
    Ok(view(&model))
}

/// Removes pick-up person `id` of the permitted child; another child's is `NotFound`.
pub async fn remove(
    db: &DatabaseConnection,
    user: &SessionUser,
    permit: &Permit<PersonAction>,
    id: Uuid,
) -> Result<(), PickupError> {
    let deleted = pickup_person::Entity::delete_many()
        .filter(pickup_person::Column::MunicipalityId.eq(user.municipality_id))
        .filter(pickup_person::Column::ChildId.eq(permit.subject()))
        .filter(pickup_person::Column::Id.eq(id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(PickupError::NotFound);
    }
    Ok(())
}
