//! Calendar feeds: a secret address per subscriber and timetable that a phone's calendar reads
//! without a session. Only the SHA-256 of the secret is stored; renewing replaces the row, so
//! the old address stops working at once, and a feed also stops when its subscriber no longer
//! may subscribe (the policy is asked on every read, as the subscriber).

use base64::Engine;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use skolportal_shared::api::CalendarFeed;
use uuid::Uuid;

use super::timetable::{self, TimetableError};
use crate::auth::session::{hash_token, SessionUser};
use crate::entity::calendar_feed;
use crate::entity::session::{AuthMethod, LoginStrength};
use crate::http::prerender::Texts;
use crate::policy::{self, ListPermit, Permit, PersonAction, PersonId};

/// Weeks before and after the current one that a feed carries.
const WEEKS_BEFORE: u64 = 2;
const WEEKS_AFTER: u64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("no such calendar feed")]
    NotFound,
    #[error(transparent)]
    Timetable(#[from] TimetableError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl From<policy::PolicyError> for FeedError {
    fn from(err: policy::PolicyError) -> Self {
        match err {
            policy::PolicyError::Database(e) => FeedError::Database(e),
            _ => FeedError::NotFound,
        }
    }
}

fn feed_path(token: &str) -> String {
    format!("/api/calendar/{token}.ics")
}

async fn person_name(db: &impl ConnectionTrait, id: Uuid) -> Result<String, DbErr> {
    Ok(timetable::names(db, [id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

/// Makes the actor's feed of the permit's person, ending any earlier one. The answer is the
/// only place the address appears.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    permit: &Permit<PersonAction>,
    public_base_url: &str,
    now: DateTime<Utc>,
) -> Result<CalendarFeed, FeedError> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let actor = permit.actor();
    let id = Uuid::new_v4();
    let txn = db.begin().await?;
    calendar_feed::Entity::delete_many()
        .filter(calendar_feed::Column::OwnerPersonId.eq(actor.person_id))
        .filter(calendar_feed::Column::PersonId.eq(permit.subject()))
        .exec(&txn)
        .await?;
    calendar_feed::Entity::insert(calendar_feed::ActiveModel {
        id: Set(id),
        municipality_id: Set(actor.municipality_id),
        person_id: Set(permit.subject()),
        owner_person_id: Set(actor.person_id),
        token_hash: Set(hash_token(&token)),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(CalendarFeed {
        feed_id: id,
        person_id: permit.subject(),
        person_name: person_name(db, permit.subject()).await?,
        created_at: now,
        url: Some(format!(
            "{}{}",
            public_base_url.trim_end_matches('/'),
            feed_path(&token)
        )),
    })
}

/// The actor's feeds, of the timetables they still may subscribe to.
pub async fn list(
    db: &impl ConnectionTrait,
    permit: &ListPermit<PersonAction>,
) -> Result<Vec<CalendarFeed>, FeedError> {
    let allowed = permit.targets(db).await?;
    let feeds = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::OwnerPersonId.eq(permit.actor().person_id))
        .filter(calendar_feed::Column::PersonId.is_in(allowed))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(feeds.len());
    for feed in feeds {
        out.push(CalendarFeed {
            feed_id: feed.id,
            person_id: feed.person_id,
            person_name: person_name(db, feed.person_id).await?,
            created_at: feed.created_at,
            url: None,
        });
    }
    out.sort_by(|a, b| a.person_name.cmp(&b.person_name));
    Ok(out)
}

/// Ends the actor's feed of the permit's person; the address stops working.
pub async fn revoke(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
) -> Result<(), FeedError> {
    let deleted = calendar_feed::Entity::delete_many()
        .filter(calendar_feed::Column::OwnerPersonId.eq(permit.actor().person_id))
        .filter(calendar_feed::Column::PersonId.eq(permit.subject()))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(FeedError::NotFound);
    }
    Ok(())
}

/// The feed behind `token` (with or without `.ics`), as iCalendar text. Unknown, renewed and
/// revoked addresses are all simply not found.
pub async fn read(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
    texts: &impl Texts,
) -> Result<String, FeedError> {
    let token = token.strip_suffix(".ics").unwrap_or(token);
    // A real token is 43 characters of base64url; anything else is not looked up.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(FeedError::NotFound);
    }
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await?
        .ok_or(FeedError::NotFound)?;
    // The feed reads as its subscriber would, with a password-strength login: only family
    // rules allow subscribing, so no official's rights travel in an address.
    let subscriber = SessionUser {
        session_id: String::new(),
        person_id: feed.owner_person_id,
        municipality_id: feed.municipality_id,
        auth_method: AuthMethod::Password,
        login_strength: LoginStrength::Password,
        must_change_password: false,
    };
    let permit = policy::authorize(
        db,
        &subscriber,
        PersonAction::SubscribeToTimetable,
        PersonId(feed.person_id),
        now,
    )
    .await?;
    let today = crate::clock::day_of(now);
    let teacher = feed.person_id == feed.owner_person_id
        && timetable::is_teacher(db, feed.person_id, today).await?;
    let first = timetable::this_week(today)
        .checked_sub_days(Days::new(7 * WEEKS_BEFORE))
        .unwrap_or(today);
    let mut weeks = Vec::new();
    for w in 0..=(WEEKS_BEFORE + WEEKS_AFTER) {
        let Some(monday) = first.checked_add_days(Days::new(7 * w)) else {
            break;
        };
        weeks.push(week(db, &permit, teacher, monday, today).await?);
    }
    let name = weeks
        .first()
        .map(|w| w.person_name.clone())
        .unwrap_or_default();
    let last = first
        .checked_add_days(Days::new(7 * (WEEKS_BEFORE + WEEKS_AFTER) + 6))
        .unwrap_or(first);
    let talks = if teacher {
        Vec::new()
    } else {
        super::talk_booking::in_feed(db, feed.person_id, first, last).await?
    };
    Ok(super::ical::calendar(&name, &weeks, &talks, now, texts))
}

async fn week(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    teacher: bool,
    monday: NaiveDate,
    today: NaiveDate,
) -> Result<skolportal_shared::api::TimetableWeek, TimetableError> {
    if teacher {
        timetable::teacher_week(db, permit, monday, today).await
    } else {
        timetable::pupil_week(db, permit, monday, today).await
    }
}
