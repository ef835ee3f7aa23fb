//! The school side: absence reports by the families (`absence`), timetables with their changes
//! and the school calendar (`timetable`), each group's week kept in memory for the start page
//! (`group_weeks`), the
//! calendar feeds people subscribe to (`feeds`), written as iCalendar (`ical`), the units'
//! lunch menus (`lunch`), class, group and staff lists (`lists`), and the guardians' consents
//! (`consent`), which open the development talks, their material (`talks`) and the booking of
//! talk times (`talk_booking`), and the development plan (`iup`), and grades (`grades`).

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::{group_membership, person};

pub mod absence;
pub mod attendance;
pub mod attendance_stats;
pub mod consent;
pub mod feeds;
pub mod grades;
pub mod group_weeks;
pub mod ical;
pub mod iup;
pub mod leave;
pub mod lists;
pub mod lunch;
pub mod talk_booking;
pub mod talks;
pub mod timetable;

/// The group's pupils on `day`, by family name.
pub(crate) async fn pupils_of(
    db: &impl ConnectionTrait,
    group: Uuid,
    day: NaiveDate,
) -> Result<Vec<person::Model>, DbErr> {
    let ids: Vec<Uuid> = group_membership::Entity::find()
        .filter(group_membership::Column::GroupId.eq(group))
        .filter(group_membership::Column::Role.eq(group_membership::MembershipRole::Pupil))
        .filter(group_membership::Column::StartDate.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(group_membership::Column::EndDate.is_null())
                .add(group_membership::Column::EndDate.gte(day)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.person_id)
        .collect();
    let mut pupils = person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?;
    pupils.sort_by(|a, b| {
        (&a.family_name, &a.given_name, a.id).cmp(&(&b.family_name, &b.given_name, b.id))
    });
    Ok(pupils)
}

/// The groups `pupil` is in on `day` (classes, teaching and mentor groups).
pub(crate) async fn groups_of_pupil(
    db: &impl ConnectionTrait,
    pupil: Uuid,
    day: NaiveDate,
) -> Result<Vec<Uuid>, DbErr> {
    Ok(group_membership::Entity::find()
        .filter(group_membership::Column::PersonId.eq(pupil))
        .filter(group_membership::Column::Role.eq(group_membership::MembershipRole::Pupil))
        .filter(group_membership::Column::StartDate.lte(day))
        .filter(
            sea_orm::Condition::any()
                .add(group_membership::Column::EndDate.is_null())
                .add(group_membership::Column::EndDate.gte(day)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.group_id)
        .collect())
}
