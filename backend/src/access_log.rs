//! The access log (docs/rules.md rule 7, GDPR): every read or change of a child's or pupil's personal
//! data through an action staff or officers can take is written here, in the same request, before
//! the data is returned (`Action::is_logged` says which; own data is never logged).
//! Append-only: this module only inserts, and the database refuses updates and deletes.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use crate::auth::session::SessionUser;
use crate::entity::access_log;
use crate::policy::Action;

/// Records that `user` did `action` to each of `subjects` (own data, and actions only the family
/// can take, are not logged).
pub async fn record(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    action: Action,
    subjects: impl IntoIterator<Item = Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if !action.is_logged() {
        return Ok(());
    }
    let rows: Vec<access_log::ActiveModel> = subjects
        .into_iter()
        .filter(|s| *s != user.person_id)
        .map(|subject| access_log::ActiveModel {
            id: Set(Uuid::new_v4()),
            municipality_id: Set(user.municipality_id),
            occurred_at: Set(now),
            actor_person_id: Set(user.person_id),
            subject_person_id: Set(subject),
            action: Set(action.log_name()),
            session_id: Set(Some(user.session_id.clone())),
        })
        .collect();
    for chunk in rows.chunks(1000) {
        access_log::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use skolportal_shared::api::AccessAction;

    use crate::policy::Action;

    /// Each action is logged under a name of its own, and every logged name is an action's: the
    /// register extract tells the family exactly what was done.
    #[test]
    fn every_action_has_its_own_logged_name() {
        let mut names: Vec<AccessAction> = Action::ALL.iter().map(|a| a.log_name()).collect();
        names.sort_by_key(|n| n.code());
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
        assert_eq!(names.len(), AccessAction::ALL.len());
    }
}
