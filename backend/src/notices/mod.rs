//! Notices to guardians: the same-day notice of unexcused absence (skollagen 7 kap. 17 §).
//!
//! The path of one notice, each step a job in the queue (`crate::jobs`), so that every guardian
//! is told exactly once, whichever instance runs it, after a retry, or after an SMTP server was
//! down for an hour:
//! 1. A teacher's save that marks a pupil unexcused absent ([`unexcused_marked`], in the save's
//!    transaction) opens the pupil's batch for the day, unless one is open, and enqueues its
//!    [`compose`] for `notices.absence_gather_minutes` later: a morning of missed lessons is
//!    one notice.
//! 2. [`compose`] closes the batch (a conditional update: a second run finds it closed) and
//!    writes one `notice` per current guardian (unique per batch and guardian), naming the
//!    lessons still marked unexcused that no earlier batch named. In the same transaction it
//!    enqueues a delivery job per channel the guardian chose: one e-mail, one push per browser.
//! 3. [`email`] and [`push`] deliver. A failure is retried with the queue's backoff and only
//!    repeats that one delivery. The one repeat the queue cannot rule out (the process dies
//!    after the SMTP server took the mail and before the job is marked done) carries the same
//!    `Message-ID`, and the same push `Topic`, so that receivers can drop it.
//!
//! A notice names the child by first name, the date and the lessons, and links to the portal.
//! It never carries a personnummer or a reason (there is none: the mark is unexcused).

pub mod email;
pub mod push;
pub mod texts;

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use skolportal_shared::api::{AttendanceMark, NoticeKind, NoticeLesson};
use skolportal_shared::calendar::format_time_of_day;
use skolportal_shared::lang::Lang;
use uuid::Uuid;

use crate::entity::{
    absence_notice_batch, attendance_mark, lesson, notice, notice_preference, person,
    push_subscription,
};
use crate::jobs::kinds::{ComposeAbsenceNotice, DeliverNoticeByEmail, DeliverNoticeByPush};
use crate::jobs::{enqueue, enqueue_many};

/// Opens the day's batch of each pupil who was just marked unexcused absent on `date`, unless
/// one is open, and enqueues its composition `gather` later. Runs in the attendance save's
/// transaction: the batch and its job exist exactly when the marks do.
pub async fn unexcused_marked(
    txn: &DatabaseTransaction,
    municipality_id: Uuid,
    pupils: &[Uuid],
    date: NaiveDate,
    now: DateTime<Utc>,
    gather: Duration,
) -> Result<(), DbErr> {
    if pupils.is_empty() {
        return Ok(());
    }
    let batches = absence_notice_batch::Entity::find()
        .filter(absence_notice_batch::Column::PupilId.is_in(pupils.iter().copied()))
        .filter(absence_notice_batch::Column::OnDate.eq(date))
        .all(txn)
        .await?;
    for &pupil in pupils {
        let of_pupil = batches.iter().filter(|b| b.pupil_id == pupil);
        if of_pupil.clone().any(|b| b.composed_at.is_none()) {
            continue;
        }
        let sequence = of_pupil.map(|b| b.sequence).max().unwrap_or(0) + 1;
        let id = Uuid::new_v4();
        let due_at = now + gather;
        // Two saves at once for one pupil: the second finds the first's batch (its insert waits
        // for the first transaction on PostgreSQL, and SQLite has one writer) and adds nothing.
        let inserted = absence_notice_batch::Entity::insert(absence_notice_batch::ActiveModel {
            id: Set(id),
            municipality_id: Set(municipality_id),
            pupil_id: Set(pupil),
            on_date: Set(date),
            sequence: Set(sequence),
            due_at: Set(due_at),
            composed_at: Set(None),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                absence_notice_batch::Column::PupilId,
                absence_notice_batch::Column::OnDate,
                absence_notice_batch::Column::Sequence,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        if inserted == 1 {
            enqueue(txn, &ComposeAbsenceNotice { batch_id: id }, due_at, now).await?;
        }
    }
    Ok(())
}

/// Closes the batch and writes the guardians' notices and their deliveries (step 2 above).
/// Returns how many notices it wrote (none when the batch was already closed, or when the
/// teacher has since changed every mark).
pub async fn compose(
    txn: &DatabaseTransaction,
    batch_id: Uuid,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let closed = absence_notice_batch::Entity::update_many()
        .col_expr(absence_notice_batch::Column::ComposedAt, Expr::value(now))
        .filter(absence_notice_batch::Column::Id.eq(batch_id))
        .filter(absence_notice_batch::Column::ComposedAt.is_null())
        .exec(txn)
        .await?
        .rows_affected;
    if closed == 0 {
        return Ok(0);
    }
    let Some(batch) = absence_notice_batch::Entity::find_by_id(batch_id)
        .one(txn)
        .await?
    else {
        return Ok(0);
    };
    let lessons = lessons_to_tell(txn, &batch).await?;
    if lessons.is_empty() {
        return Ok(0);
    }
    let guardians =
        crate::childcare::signatures::guardians_of(txn, batch.pupil_id, batch.on_date).await?;
    let content = NoticeContent {
        municipality_id: batch.municipality_id,
        kind: NoticeKind::UnexcusedAbsence,
        child_id: batch.pupil_id,
        on_date: batch.on_date,
        until_date: None,
        lessons,
        batch_id: Some(batch.id),
        leave_application_id: None,
        talk: None,
    };
    tell(txn, &guardians, &content, now).await
}

/// What a notice says, as stored for each guardian.
pub struct NoticeContent {
    pub municipality_id: Uuid,
    pub kind: NoticeKind,
    pub child_id: Uuid,
    pub on_date: NaiveDate,
    pub until_date: Option<NaiveDate>,
    pub lessons: Vec<NoticeLesson>,
    pub batch_id: Option<Uuid>,
    pub leave_application_id: Option<Uuid>,
    pub talk: Option<skolportal_shared::api::NoticeTalk>,
}

/// Writes `content` as a notice to each of `guardians` (once each: unique per batch or
/// application and guardian) and enqueues its deliveries by the channels each chose. Returns
/// how many notices it wrote.
pub async fn tell(
    txn: &DatabaseTransaction,
    guardians: &[Uuid],
    content: &NoticeContent,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    if guardians.is_empty() {
        return Ok(0);
    }
    let lessons_json =
        serde_json::to_value(&content.lessons).map_err(|e| DbErr::Json(e.to_string()))?;
    let talk_json = match &content.talk {
        Some(talk) => Some(serde_json::to_value(talk).map_err(|e| DbErr::Json(e.to_string()))?),
        None => None,
    };
    let mut written = 0;
    let mut emails = Vec::new();
    let mut pushes = Vec::new();
    let preferences = notice_preference::Entity::find()
        .filter(notice_preference::Column::PersonId.is_in(guardians.iter().copied()))
        .all(txn)
        .await?;
    let addresses = person::Entity::find()
        .filter(person::Column::Id.is_in(guardians.iter().copied()))
        .all(txn)
        .await?;
    let subscriptions = push_subscription::Entity::find()
        .filter(push_subscription::Column::PersonId.is_in(guardians.iter().copied()))
        .all(txn)
        .await?;
    for &guardian in guardians {
        let id = Uuid::new_v4();
        let inserted = notice::Entity::insert(notice::ActiveModel {
            id: Set(id),
            municipality_id: Set(content.municipality_id),
            recipient_id: Set(guardian),
            child_id: Set(content.child_id),
            kind: Set(content.kind),
            on_date: Set(content.on_date),
            until_date: Set(content.until_date),
            lessons: Set(lessons_json.clone()),
            batch_id: Set(content.batch_id),
            leave_application_id: Set(content.leave_application_id),
            talk: Set(talk_json.clone()),
            created_at: Set(now),
            read_at: Set(None),
            email_sent_at: Set(None),
        })
        .on_conflict(
            OnConflict::columns([notice::Column::BatchId, notice::Column::RecipientId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        if inserted == 0 {
            continue;
        }
        written += 1;
        let chosen = channels_of(preferences.iter().find(|p| p.person_id == guardian));
        let has_address = addresses
            .iter()
            .any(|p| p.id == guardian && p.email.as_deref().is_some_and(|e| !e.trim().is_empty()));
        // Without an SMTP server the e-mail job finds nothing to send and ends.
        if chosen.by_email && has_address {
            emails.push(DeliverNoticeByEmail { notice_id: id });
        }
        if chosen.by_push {
            pushes.extend(
                subscriptions
                    .iter()
                    .filter(|s| s.person_id == guardian)
                    .map(|s| DeliverNoticeByPush {
                        notice_id: id,
                        subscription_id: s.id,
                    }),
            );
        }
    }
    enqueue_many(txn, emails, now, now).await?;
    enqueue_many(txn, pushes, now, now).await?;
    Ok(written)
}

/// The guardians are told a leave decision (`school::leave::decide`, in its transaction).
pub async fn leave_decided(
    txn: &DatabaseTransaction,
    application: &crate::entity::leave_application::Model,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    use skolportal_shared::api::LeaveStatus;
    let kind = match application.status {
        LeaveStatus::Granted => NoticeKind::LeaveGranted,
        LeaveStatus::Refused => NoticeKind::LeaveRefused,
        _ => return Ok(0),
    };
    let guardians = crate::childcare::signatures::guardians_of(
        txn,
        application.child_id,
        crate::clock::day_of(now),
    )
    .await?;
    let content = NoticeContent {
        municipality_id: application.municipality_id,
        kind,
        child_id: application.child_id,
        on_date: application.first_day,
        until_date: Some(application.last_day),
        lessons: Vec::new(),
        batch_id: None,
        leave_application_id: Some(application.id),
        talk: None,
    };
    tell(txn, &guardians, &content, now).await
}

/// The lessons of the batch's pupil and day whose mark is unexcused now, less those an earlier
/// batch of that day already told, in the order of the day.
async fn lessons_to_tell(
    txn: &DatabaseTransaction,
    batch: &absence_notice_batch::Model,
) -> Result<Vec<NoticeLesson>, DbErr> {
    let marks = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::PupilId.eq(batch.pupil_id))
        .filter(attendance_mark::Column::OnDate.eq(batch.on_date))
        .order_by_desc(attendance_mark::Column::Revision)
        .all(txn)
        .await?;
    let mut seen = HashSet::new();
    let unexcused: Vec<Uuid> = marks
        .into_iter()
        .filter(|m| seen.insert(m.lesson_id))
        .filter(|m| m.mark == AttendanceMark::UnexcusedAbsence)
        .map(|m| m.lesson_id)
        .collect();
    if unexcused.is_empty() {
        return Ok(Vec::new());
    }
    let earlier: Vec<Uuid> = absence_notice_batch::Entity::find()
        .select_only()
        .column(absence_notice_batch::Column::Id)
        .filter(absence_notice_batch::Column::PupilId.eq(batch.pupil_id))
        .filter(absence_notice_batch::Column::OnDate.eq(batch.on_date))
        .filter(absence_notice_batch::Column::Sequence.lt(batch.sequence))
        .into_tuple()
        .all(txn)
        .await?;
    let mut told = HashSet::new();
    if !earlier.is_empty() {
        let notices = notice::Entity::find()
            .filter(notice::Column::BatchId.is_in(earlier))
            .all(txn)
            .await?;
        for n in notices {
            if let Ok(lessons) = serde_json::from_value::<Vec<NoticeLesson>>(n.lessons) {
                told.extend(lessons.into_iter().map(|l| l.lesson_id));
            }
        }
    }
    let mut lessons = lesson::Entity::find()
        .filter(lesson::Column::Id.is_in(unexcused.into_iter().filter(|id| !told.contains(id))))
        .all(txn)
        .await?;
    lessons.sort_by_key(|l| l.starts_at);
    Ok(lessons
        .into_iter()
        .map(|l| NoticeLesson {
            lesson_id: l.id,
            activity: l.activity,
            starts_at: format_time_of_day(l.starts_at),
            ends_at: format_time_of_day(l.ends_at),
        })
        .collect())
}

/// The channels a person chose besides the app; without a choice, all of them: the law wants
/// guardians told, and e-mail is how most are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Channels {
    pub by_email: bool,
    pub by_push: bool,
}

pub fn channels_of(preference: Option<&notice_preference::Model>) -> Channels {
    preference.map_or(
        Channels {
            by_email: true,
            by_push: true,
        },
        |p| Channels {
            by_email: p.by_email,
            by_push: p.by_push,
        },
    )
}

/// A person's notices, the newest first (at most `limit`), with the children's first names.
pub async fn of_recipient(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    limit: u64,
) -> Result<Vec<(notice::Model, String)>, DbErr> {
    let notices = notice::Entity::find()
        .filter(notice::Column::RecipientId.eq(person_id))
        .order_by_desc(notice::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await?;
    let children = person::Entity::find()
        .filter(person::Column::Id.is_in(notices.iter().map(|n| n.child_id)))
        .all(db)
        .await?;
    Ok(notices
        .into_iter()
        .map(|n| {
            let name = children
                .iter()
                .find(|c| c.id == n.child_id)
                .map(|c| c.given_name.clone())
                .unwrap_or_default();
            (n, name)
        })
        .collect())
}

/// What delivering a notice needs beyond the database: the SMTP pool, an HTTP client for push
/// services, and the settings. Made once per instance and handed to its job runners.
#[derive(Clone)]
pub struct Delivery {
    pub mailer: Option<email::Mailer>,
    pub http: openidconnect::reqwest::Client,
    pub settings: crate::settings::NoticeSettings,
    pub public_base_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Email(#[from] email::EmailError),
    #[error("the HTTP client for push services could not be made: {0}")]
    Http(String),
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("email", &self.mailer.is_some())
            .finish_non_exhaustive()
    }
}

impl Delivery {
    pub fn from_settings(settings: &crate::settings::Settings) -> Result<Self, DeliveryError> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // A push service answers; it never sends the portal elsewhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| DeliveryError::Http(e.to_string()))?;
        Ok(Self {
            mailer: email::Mailer::from_settings(&settings.notices)?,
            http,
            settings: settings.notices.clone(),
            public_base_url: settings.server.public_base_url.clone(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error(transparent)]
    Email(#[from] email::EmailError),
    #[error(transparent)]
    Push(#[from] push::PushError),
    #[error("a stored notice does not read: {0}")]
    Stored(#[from] serde_json::Error),
    #[error(transparent)]
    Database(#[from] DbErr),
}

impl NoticeError {
    /// Whether another attempt could succeed: a server that was down, not an address that
    /// will never parse.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            NoticeError::Email(email::EmailError::NotDelivered(_))
                | NoticeError::Push(
                    push::PushError::NotDelivered(_) | push::PushError::Database(_)
                )
                | NoticeError::Database(_)
        )
    }
}

/// The language the notice's recipient reads e-mail and push in: the one they chose, else the
/// municipality's first.
async fn texts_for(
    db: &impl ConnectionTrait,
    notice: &notice::Model,
) -> Result<texts::Texts, NoticeError> {
    let chosen = notice_preference::Entity::find_by_id(notice.recipient_id)
        .one(db)
        .await?
        .and_then(|p| p.language);
    let lang = match chosen.as_deref().and_then(Lang::from_code) {
        Some(lang) => lang,
        None => municipality_language(db, notice.municipality_id).await?,
    };
    Ok(texts::Texts(lang))
}

/// The municipality's first language: what it writes to those who chose none.
async fn municipality_language(
    db: &impl ConnectionTrait,
    municipality: Uuid,
) -> Result<Lang, DbErr> {
    Ok(offered_languages(db, municipality)
        .await?
        .first()
        .and_then(|code| Lang::from_code(code))
        .unwrap_or_default())
}

/// Delivers one notice by e-mail (a job, `DeliverNoticeByEmail`): sends it unless it was sent,
/// then notes when. `Ok(false)` when there is nothing to send (the notice, the address or the
/// SMTP server is gone).
pub async fn deliver_by_email(
    txn: &DatabaseTransaction,
    delivery: &Delivery,
    notice_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, NoticeError> {
    let Some(mailer) = &delivery.mailer else {
        return Ok(false);
    };
    let Some(notice) = notice::Entity::find_by_id(notice_id).one(txn).await? else {
        return Ok(false);
    };
    if notice.email_sent_at.is_some() {
        return Ok(false);
    }
    let people = person::Entity::find()
        .filter(person::Column::Id.is_in([notice.recipient_id, notice.child_id]))
        .all(txn)
        .await?;
    let address = people
        .iter()
        .find(|p| p.id == notice.recipient_id)
        .and_then(|p| p.email.clone())
        .filter(|e| !e.trim().is_empty());
    let child = people.iter().find(|p| p.id == notice.child_id);
    let (Some(address), Some(child)) = (address, child) else {
        return Ok(false);
    };
    let lessons: Vec<NoticeLesson> = serde_json::from_value(notice.lessons.clone())?;
    let texts = texts_for(txn, &notice).await?;
    let message = mailer.compose(
        &notice,
        &lessons,
        &address,
        &child.given_name,
        &delivery.public_base_url,
        texts,
    )?;
    mailer.send(message).await?;
    notice::Entity::update_many()
        .col_expr(notice::Column::EmailSentAt, Expr::value(now))
        .filter(notice::Column::Id.eq(notice_id))
        .exec(txn)
        .await?;
    Ok(true)
}

/// Delivers one notice to one browser (a job, `DeliverNoticeByPush`). A subscription the push
/// service no longer knows is deleted.
pub async fn deliver_by_push(
    txn: &DatabaseTransaction,
    delivery: &Delivery,
    notice_id: Uuid,
    subscription_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<push::Sent>, NoticeError> {
    let Some(notice) = notice::Entity::find_by_id(notice_id).one(txn).await? else {
        return Ok(None);
    };
    let Some(subscription) = push_subscription::Entity::find_by_id(subscription_id)
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let Some(child) = person::Entity::find_by_id(notice.child_id).one(txn).await? else {
        return Ok(None);
    };
    let lessons: Vec<NoticeLesson> = serde_json::from_value(notice.lessons.clone())?;
    let wording = texts_for(txn, &notice)
        .await?
        .wording(&notice, &child.given_name, &lessons);
    let payload = skolportal_shared::api::PushPayload {
        title: wording.push_title,
        body: wording.push_body,
        url: skolportal_shared::pages::path::NOTICES.to_owned(),
        tag: format!("notice-{}", notice.id),
    };
    let body = serde_json::to_vec(&payload)?;
    let key = push::vapid_key(txn, now).await?;
    let sent = push::send(
        &delivery.http,
        &key,
        &delivery.settings.push_contact,
        &subscription,
        &body,
        &notice.id.simple().to_string(),
        std::time::Duration::from_secs(delivery.settings.push_ttl_hours.saturating_mul(3600)),
    )
    .await?;
    if sent == push::Sent::Gone {
        push_subscription::Entity::delete_by_id(subscription.id)
            .exec(txn)
            .await?;
    }
    Ok(Some(sent))
}

/// Why a person's own notice request is refused.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error("no such notice")]
    NoticeNotFound,
    /// E-mail chosen without an address to send to.
    #[error("there is no e-mail address to send notices to")]
    NoEmailAddress,
    /// A language the municipality does not offer.
    #[error("the municipality does not offer that language")]
    UnknownLanguage,
    #[error("the push subscription is not valid")]
    InvalidSubscription,
    #[error(transparent)]
    Push(#[from] push::PushError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

type OwnPermit = crate::policy::Permit<skolportal_shared::api::PersonAction>;

/// The permit's person's notices, the newest first, and how many are unread.
pub async fn list(
    db: &impl ConnectionTrait,
    permit: &OwnPermit,
) -> Result<skolportal_shared::api::NoticeList, ChannelError> {
    const SHOWN: u64 = 100;
    let rows = of_recipient(db, permit.target().0, SHOWN).await?;
    let notices: Vec<skolportal_shared::api::Notice> = rows
        .into_iter()
        .map(|(n, child_given_name)| skolportal_shared::api::Notice {
            id: n.id,
            kind: n.kind,
            child_id: n.child_id,
            child_given_name,
            date: n.on_date,
            until: n.until_date,
            // Composed by this module; a row that does not read shows no lessons.
            lessons: serde_json::from_value(n.lessons).unwrap_or_default(),
            created_at: n.created_at,
            read: n.read_at.is_some(),
            emailed: n.email_sent_at.is_some(),
        })
        .collect();
    let unread = notices.iter().filter(|n| !n.read).count();
    Ok(skolportal_shared::api::NoticeList {
        notices,
        unread: u32::try_from(unread).unwrap_or(u32::MAX),
    })
}

/// Marks one of the permit's person's notices read (again: no change).
pub async fn mark_read(
    db: &impl ConnectionTrait,
    permit: &OwnPermit,
    notice_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), ChannelError> {
    let owned = notice::Entity::find_by_id(notice_id)
        .filter(notice::Column::RecipientId.eq(permit.target().0))
        .one(db)
        .await?
        .ok_or(ChannelError::NoticeNotFound)?;
    if owned.read_at.is_none() {
        notice::Entity::update_many()
            .col_expr(notice::Column::ReadAt, Expr::value(now))
            .filter(notice::Column::Id.eq(notice_id))
            .filter(notice::Column::ReadAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The channels the permit's person has chosen, where they lead, and the key to subscribe with.
pub async fn channels(
    db: &impl ConnectionTrait,
    permit: &OwnPermit,
    now: DateTime<Utc>,
) -> Result<skolportal_shared::api::NoticeChannels, ChannelError> {
    let person_id = permit.target().0;
    let preference = notice_preference::Entity::find_by_id(person_id)
        .one(db)
        .await?;
    let chosen = channels_of(preference.as_ref());
    let email_address = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .and_then(|p| p.email)
        .filter(|e| !e.trim().is_empty());
    let push_devices = push_subscription::Entity::find()
        .filter(push_subscription::Column::PersonId.eq(person_id))
        .count(db)
        .await?;
    let key = push::vapid_key(db, now).await?;
    let municipality = permit.actor().municipality_id;
    let languages = offered_languages(db, municipality).await?;
    let language = preference
        .and_then(|p| p.language)
        .filter(|code| languages.contains(code))
        .or_else(|| languages.first().cloned())
        .unwrap_or_else(|| Lang::Sv.code().to_owned());
    Ok(skolportal_shared::api::NoticeChannels {
        by_email: chosen.by_email && email_address.is_some(),
        by_push: chosen.by_push,
        email_address,
        push_devices: u32::try_from(push_devices).unwrap_or(u32::MAX),
        push_public_key: push::public_key_of(&key),
        language,
        languages,
    })
}

/// The municipality's languages that the portal has catalogues for, its first language first.
async fn offered_languages(
    db: &impl ConnectionTrait,
    municipality: Uuid,
) -> Result<Vec<String>, DbErr> {
    let settings = crate::childcare::signatures::settings(db, municipality).await?;
    Ok(settings
        .languages
        .into_iter()
        .filter(|code| Lang::from_code(code).is_some_and(|lang| lang.code() == code))
        .collect())
}

/// Stores the permit's person's choice of channels.
pub async fn choose_channels(
    db: &impl ConnectionTrait,
    permit: &OwnPermit,
    choice: skolportal_shared::api::NoticeChannelsUpdate,
    now: DateTime<Utc>,
) -> Result<skolportal_shared::api::NoticeChannels, ChannelError> {
    let person_id = permit.target().0;
    if choice.by_email {
        let has_address = person::Entity::find_by_id(person_id)
            .one(db)
            .await?
            .and_then(|p| p.email)
            .is_some_and(|e| !e.trim().is_empty());
        if !has_address {
            return Err(ChannelError::NoEmailAddress);
        }
    }
    if let Some(code) = &choice.language {
        let offered = offered_languages(db, permit.actor().municipality_id).await?;
        if !offered.contains(code) {
            return Err(ChannelError::UnknownLanguage);
        }
    }
    let mut columns = vec![
        notice_preference::Column::ByEmail,
        notice_preference::Column::ByPush,
        notice_preference::Column::UpdatedAt,
    ];
    if choice.language.is_some() {
        columns.push(notice_preference::Column::Language);
    }
    notice_preference::Entity::insert(notice_preference::ActiveModel {
        person_id: Set(person_id),
        by_email: Set(choice.by_email),
        by_push: Set(choice.by_push),
        language: Set(choice.language.clone()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(notice_preference::Column::PersonId)
            .update_columns(columns)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    channels(db, permit, now).await
}

/// Stores a browser's push subscription for the permit's person. The endpoint is the browser's;
/// subscribing it again (after a new login there, or by another person on a shared tablet)
/// moves it to whoever subscribed last.
pub async fn subscribe(
    db: &impl ConnectionTrait,
    permit: &OwnPermit,
    input: &skolportal_shared::api::PushSubscriptionInput,
    now: DateTime<Utc>,
) -> Result<(), ChannelError> {
    push::check_subscription(&input.endpoint, &input.p256dh, &input.auth)
        .map_err(|_| ChannelError::InvalidSubscription)?;
    push_subscription::Entity::insert(push_subscription::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(permit.target().0),
        endpoint: Set(input.endpoint.clone()),
        p256dh: Set(input.p256dh.clone()),
        auth: Set(input.auth.clone()),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(push_subscription::Column::Endpoint)
            .update_columns([
                push_subscription::Column::PersonId,
                push_subscription::Column::P256dh,
                push_subscription::Column::Auth,
                push_subscription::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Forgets a browser's subscription of the permit's person (unknown endpoints: no change).
pub async fn unsubscribe(
    db: &impl ConnectionTrait,
    permit: &OwnPermit,
    endpoint: &str,
) -> Result<(), ChannelError> {
    push_subscription::Entity::delete_many()
        .filter(push_subscription::Column::PersonId.eq(permit.target().0))
        .filter(push_subscription::Column::Endpoint.eq(endpoint))
        .exec(db)
        .await?;
    Ok(())
}
