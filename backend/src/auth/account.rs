//! Changing one's own password: the handed-out first password must be replaced before anything
//! else is reachable, and any change ends the person's other sessions.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};
use skolportal_shared::{Password, PasswordError};

use super::password;
use super::session::{self, SessionUser};
use crate::entity::user_account;

#[derive(Debug, thiserror::Error)]
pub enum PasswordChangeError {
    #[error("this account logs in with BankID only")]
    NoPasswordAccount,
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("the new password is the same as the current one")]
    SameAsCurrent,
    #[error(transparent)]
    Weak(#[from] PasswordError),
    #[error("password hashing failed")]
    Hash(#[from] password::HashError),
    #[error(transparent)]
    Session(#[from] session::SessionError),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

pub async fn change_password(
    db: &DatabaseConnection,
    user: &SessionUser,
    current: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), PasswordChangeError> {
    let account = user_account::Entity::find()
        .filter(user_account::Column::PersonId.eq(user.person_id))
        .one(db)
        .await?
        .ok_or(PasswordChangeError::NoPasswordAccount)?;
    let stored = account
        .password_hash
        .clone()
        .ok_or(PasswordChangeError::NoPasswordAccount)?;
    let new_password = Password::parse(new)?;
    let (current_owned, stored_for_check, new_for_check) =
        (current.to_owned(), stored.clone(), new.to_owned());
    let (current_ok, same) = tokio::task::spawn_blocking(move || {
        (
            password::verify(&current_owned, &stored_for_check),
            password::verify(&new_for_check, &stored_for_check),
        )
    })
    .await
    .unwrap_or((false, false));
    if !current_ok {
        return Err(PasswordChangeError::WrongPassword);
    }
    if same {
        return Err(PasswordChangeError::SameAsCurrent);
    }
    let hash = tokio::task::spawn_blocking(move || password::hash(&new_password))
        .await
        .map_err(|e| password::HashError(e.to_string()))??;
    let txn = db.begin().await?;
    user_account::Entity::update(user_account::ActiveModel {
        id: Set(account.id),
        password_hash: Set(Some(hash)),
        must_change_password: Set(false),
        password_changed_at: Set(Some(now)),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    session::clear_password_change(&txn, user.person_id).await?;
    // Whoever else holds a session made with the old password is out.
    session::end_others(&txn, user.person_id, &user.session_id, now).await?;
    txn.commit().await?;
    Ok(())
}
