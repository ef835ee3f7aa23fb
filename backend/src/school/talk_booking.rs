//! Booking development talks (utvecklingssamtal).
//!
//! The policy decides who publishes a group's talk times (`GroupAction::PublishTalkTimes`: its
//! mentor) and who books a pupil's talk (`PersonAction::BookTalk`: the guardians). This module
//! keeps the rest:
//! - a round is checked by `shared::talk_booking::check_round` before it is published;
//! - a pupil sees the rounds of the groups they are in today, with a talk from today on;
//! - times are booked, moved, joined and cancelled through the round's last day
//!   (`shared::talk_booking::is_open`), and never once they have begun;
//! - one booking per slot, and one per pupil, round and party, are unique indexes: two guardians
//!   clicking one time at once get one booking and one `SlotTaken`;
//! - the pupil's talk is shared: the other guardian joins it; where the round allows separate
//!   talks, a guardian books one of their own instead;
//! - a booking lasts while someone is coming: the last attendee's cancellation removes it;
//! - everyone coming is reminded the day before ([`remind_due`], a recurring job), once per
//!   booking and time: moving a talk clears its reminder.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Statement, TransactionTrait,
};
use skolportal_shared::api::{
    FamilyTalkBooking, FamilyTalkRound, FamilyTalkSlot, GroupTalkTimes, MentorTalkBooking,
    MentorTalkRound, MentorTalkSlot, NoticeKind, NoticeTalk, PupilTalkTimes, TalkBookingInput,
    TalkPerson, TalkRoundInput, TalkSlotState, UpcomingTalk,
};
use skolportal_shared::calendar::format_time_of_day;
use skolportal_shared::talk_booking::{self, TalkRoundError};
use uuid::Uuid;

use crate::clock::{day_of, local_time_of};
use crate::db::{self, numbered_params};
use crate::entity::{
    person, school_group, talk_booking as booking, talk_booking_attendee, talk_round, talk_slot,
};
use crate::notices::{self, NoticeContent};
use crate::policy::{GroupAction, Permit, PersonAction};

#[derive(Debug, thiserror::Error)]
pub enum TalkBookingError {
    #[error("{}", .0.message())]
    Round(TalkRoundError),
    /// No such time or booking among the pupil's rounds.
    #[error("no such talk time or booking")]
    NotFound,
    #[error("the time was booked by someone else")]
    SlotTaken,
    /// The pupil's shared talk is booked already (join it), or the asker is coming to one.
    #[error("the pupil's talk is already booked")]
    AlreadyBooked,
    /// Past the round's last day to book, or the time has begun.
    #[error("booking has closed for this talk")]
    Closed,
    #[error("this round has no separate talks")]
    SeparateNotAllowed,
    /// A separate talk is its guardian's own: nobody joins it.
    #[error("a separate talk cannot be joined")]
    SeparateTalk,
    /// Moving or cancelling a booking the asker is not coming to.
    #[error("you are not booked for this talk")]
    NotAttending,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// How long after its talks a round stays on the mentor's page.
const MENTOR_SHOWS_DAYS: u64 = 14;
/// Reminders per run; a run that leaves some enqueues the next at once.
pub const REMINDERS_PER_RUN: u64 = 200;

fn time(t: NaiveTime) -> String {
    format_time_of_day(t)
}

async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, TalkPerson>, DbErr> {
    let ids: HashSet<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| {
            (
                p.id,
                TalkPerson {
                    person_id: p.id,
                    given_name: p.given_name,
                    family_name: p.family_name,
                },
            )
        })
        .collect())
}

/// The groups `pupil` is in on `day`, by id, with their names.
async fn groups_of(
    db: &impl ConnectionTrait,
    pupil: Uuid,
    day: NaiveDate,
) -> Result<HashMap<Uuid, String>, DbErr> {
    let ids = super::groups_of_pupil(db, pupil, day).await?;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(school_group::Entity::find()
        .filter(school_group::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect())
}

/// The rounds of `groups` with a talk on `from` or later, the latest published first, and
/// their slots in time order.
async fn rounds_of(
    db: &impl ConnectionTrait,
    groups: impl IntoIterator<Item = Uuid>,
    from: NaiveDate,
) -> Result<Vec<(talk_round::Model, Vec<talk_slot::Model>)>, DbErr> {
    let rounds = talk_round::Entity::find()
        .filter(talk_round::Column::GroupId.is_in(groups))
        .order_by_desc(talk_round::Column::CreatedAt)
        .order_by_asc(talk_round::Column::Id)
        .all(db)
        .await?;
    if rounds.is_empty() {
        return Ok(Vec::new());
    }
    let mut slots: HashMap<Uuid, Vec<talk_slot::Model>> = HashMap::new();
    for slot in talk_slot::Entity::find()
        .filter(talk_slot::Column::RoundId.is_in(rounds.iter().map(|r| r.id)))
        .order_by_asc(talk_slot::Column::OnDate)
        .order_by_asc(talk_slot::Column::StartsAt)
        .all(db)
        .await?
    {
        slots.entry(slot.round_id).or_default().push(slot);
    }
    Ok(rounds
        .into_iter()
        .filter_map(|round| {
            let slots = slots.remove(&round.id).unwrap_or_default();
            slots
                .iter()
                .any(|s| s.on_date >= from)
                .then_some((round, slots))
        })
        .collect())
}

/// The bookings in `rounds`, and who comes to each, in the order they joined.
async fn bookings_of(
    db: &impl ConnectionTrait,
    rounds: impl IntoIterator<Item = Uuid>,
) -> Result<(Vec<booking::Model>, HashMap<Uuid, Vec<Uuid>>), DbErr> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::RoundId.is_in(rounds))
        .all(db)
        .await?;
    let mut attendees: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if !bookings.is_empty() {
        for a in talk_booking_attendee::Entity::find()
            .filter(talk_booking_attendee::Column::BookingId.is_in(bookings.iter().map(|b| b.id)))
            .order_by_asc(talk_booking_attendee::Column::JoinedAt)
            .order_by_asc(talk_booking_attendee::Column::PersonId)
            .all(db)
            .await?
        {
            attendees.entry(a.booking_id).or_default().push(a.person_id);
        }
    }
    Ok((bookings, attendees))
}

/// Publishes a round of talk times for the permit's group, with the asker as its mentor.
pub async fn publish(
    db: &DatabaseConnection,
    permit: &Permit<GroupAction>,
    input: &TalkRoundInput,
    now: DateTime<Utc>,
) -> Result<Uuid, TalkBookingError> {
    talk_booking::check_round(input, local_time_of(now)).map_err(TalkBookingError::Round)?;
    let actor = permit.actor();
    let id = Uuid::new_v4();
    let link = input
        .video_link
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let txn = db.begin().await?;
    talk_round::Entity::insert(talk_round::ActiveModel {
        id: Set(id),
        municipality_id: Set(actor.municipality_id),
        group_id: Set(permit.target().0),
        mentor_id: Set(Some(actor.person_id)),
        place: Set(input.place.trim().to_owned()),
        video_link: Set(link.map(str::to_owned)),
        separate_talks: Set(input.separate_talks),
        book_by: Set(input.book_by),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    let mut slots = Vec::with_capacity(input.slots.len());
    for slot in &input.slots {
        let Some((starts_at, ends_at)) = talk_booking::times(slot) else {
            return Err(TalkBookingError::Round(TalkRoundError::SlotTimesInvalid));
        };
        slots.push(talk_slot::ActiveModel {
            id: Set(Uuid::new_v4()),
            round_id: Set(id),
            on_date: Set(slot.date),
            starts_at: Set(starts_at),
            ends_at: Set(ends_at),
        });
    }
    talk_slot::Entity::insert_many(slots)
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(id)
}

/// The group's rounds for its mentor: every time, who booked it and who comes, and the pupils
/// still without a time. Logged for every person named.
pub async fn of_group(
    db: &impl ConnectionTrait,
    permit: &Permit<GroupAction>,
    now: DateTime<Utc>,
) -> Result<GroupTalkTimes, TalkBookingError> {
    let group_id = permit.target().0;
    let today = day_of(now);
    let group = school_group::Entity::find_by_id(group_id)
        .one(db)
        .await?
        .ok_or(TalkBookingError::NotFound)?;
    let from = today
        .checked_sub_days(Days::new(MENTOR_SHOWS_DAYS))
        .unwrap_or(today);
    let rounds = rounds_of(db, [group_id], from).await?;
    let (bookings, attendees) = bookings_of(db, rounds.iter().map(|(r, _)| r.id)).await?;
    let pupils = super::pupils_of(db, group_id, today).await?;
    let mut people = names(
        db,
        bookings
            .iter()
            .map(|b| b.pupil_id)
            .chain(attendees.values().flatten().copied()),
    )
    .await?;
    for p in &pupils {
        people.entry(p.id).or_insert_with(|| TalkPerson {
            person_id: p.id,
            given_name: p.given_name.clone(),
            family_name: p.family_name.clone(),
        });
    }
    let person = |id: Uuid| {
        people.get(&id).cloned().unwrap_or(TalkPerson {
            person_id: id,
            given_name: String::new(),
            family_name: String::new(),
        })
    };
    let rounds = rounds
        .into_iter()
        .map(|(round, slots)| {
            let of_round: Vec<&booking::Model> =
                bookings.iter().filter(|b| b.round_id == round.id).collect();
            let booked: HashSet<Uuid> = of_round.iter().map(|b| b.pupil_id).collect();
            MentorTalkRound {
                round_id: round.id,
                place: round.place,
                video_link: round.video_link,
                separate_talks: round.separate_talks,
                book_by: round.book_by,
                slots: slots
                    .into_iter()
                    .map(|slot| MentorTalkSlot {
                        slot_id: slot.id,
                        date: slot.on_date,
                        starts_at: time(slot.starts_at),
                        ends_at: time(slot.ends_at),
                        booking: of_round.iter().find(|b| b.slot_id == slot.id).map(|b| {
                            MentorTalkBooking {
                                booking_id: b.id,
                                pupil: person(b.pupil_id),
                                attendees: attendees
                                    .get(&b.id)
                                    .into_iter()
                                    .flatten()
                                    .map(|id| person(*id))
                                    .collect(),
                                separate: !b.party.is_nil(),
                            }
                        }),
                    })
                    .collect(),
                unbooked: pupils
                    .iter()
                    .filter(|p| !booked.contains(&p.id))
                    .map(|p| person(p.id))
                    .collect(),
            }
        })
        .collect();
    // The page names the group's pupils and the guardians coming: each is a read to log.
    permit.record_shown(db, people.keys().copied(), now).await?;
    Ok(GroupTalkTimes {
        group_id,
        group_name: group.name,
        rounds,
    })
}

/// The talk times published for the pupil's groups, as the asking guardian sees them: other
/// families' bookings only as taken.
pub async fn of_pupil(
    db: &impl ConnectionTrait,
    permit: &Permit<PersonAction>,
    now: DateTime<Utc>,
) -> Result<PupilTalkTimes, TalkBookingError> {
    let pupil = permit.target().0;
    let asker = permit.actor().person_id;
    let today = day_of(now);
    let child = person::Entity::find_by_id(pupil)
        .one(db)
        .await?
        .ok_or(TalkBookingError::NotFound)?;
    let groups = groups_of(db, pupil, today).await?;
    let rounds = rounds_of(db, groups.keys().copied(), today).await?;
    let (bookings, attendees) = bookings_of(db, rounds.iter().map(|(r, _)| r.id)).await?;
    let people = names(
        db,
        bookings
            .iter()
            .filter(|b| b.pupil_id == pupil)
            .flat_map(|b| attendees.get(&b.id).into_iter().flatten().copied())
            .chain(rounds.iter().filter_map(|(r, _)| r.mentor_id)),
    )
    .await?;
    let rounds = rounds
        .into_iter()
        .map(|(round, slots)| {
            let taken: HashMap<Uuid, &booking::Model> = bookings
                .iter()
                .filter(|b| b.round_id == round.id)
                .map(|b| (b.slot_id, b))
                .collect();
            let ours: Vec<FamilyTalkBooking> = slots
                .iter()
                .filter_map(|slot| {
                    let b = taken.get(&slot.id).filter(|b| b.pupil_id == pupil)?;
                    let coming: Vec<Uuid> = attendees.get(&b.id).cloned().unwrap_or_default();
                    Some(FamilyTalkBooking {
                        booking_id: b.id,
                        slot_id: slot.id,
                        date: slot.on_date,
                        starts_at: time(slot.starts_at),
                        ends_at: time(slot.ends_at),
                        separate: !b.party.is_nil(),
                        attending: coming.contains(&asker),
                        attendees: coming
                            .iter()
                            .filter_map(|id| people.get(id).cloned())
                            .collect(),
                    })
                })
                .collect();
            FamilyTalkRound {
                round_id: round.id,
                group_name: groups.get(&round.group_id).cloned().unwrap_or_default(),
                mentor_name: round
                    .mentor_id
                    .and_then(|id| people.get(&id))
                    .map(|p| format!("{} {}", p.given_name, p.family_name))
                    .unwrap_or_default(),
                place: round.place,
                video_link: round.video_link,
                separate_talks: round.separate_talks,
                book_by: round.book_by,
                open: talk_booking::is_open(round.book_by, today),
                slots: slots
                    .iter()
                    .map(|slot| FamilyTalkSlot {
                        slot_id: slot.id,
                        date: slot.on_date,
                        starts_at: time(slot.starts_at),
                        ends_at: time(slot.ends_at),
                        state: match taken.get(&slot.id) {
                            None => TalkSlotState::Free,
                            Some(b) if b.pupil_id == pupil => TalkSlotState::Ours,
                            Some(_) => TalkSlotState::Taken,
                        },
                    })
                    .collect(),
                bookings: ours,
            }
        })
        .collect();
    Ok(PupilTalkTimes {
        pupil_id: pupil,
        pupil_given_name: child.given_name,
        rounds,
    })
}

/// Takes the write lock for a change before anything is read: SQLite answers a transaction
/// that read first and writes after another writer's commit with "busy" instead of waiting,
/// and on PostgreSQL the row's lock keeps two changes of one booking in turn. Answers whether
/// the row exists.
async fn lock_slot(txn: &DatabaseTransaction, slot: Uuid) -> Result<bool, DbErr> {
    Ok(talk_slot::Entity::update_many()
        .col_expr(
            talk_slot::Column::Id,
            Expr::col(talk_slot::Column::Id).into(),
        )
        .filter(talk_slot::Column::Id.eq(slot))
        .exec(txn)
        .await?
        .rows_affected
        == 1)
}

/// [`lock_slot`] for a change of a booking.
async fn lock_booking(txn: &DatabaseTransaction, id: Uuid) -> Result<bool, DbErr> {
    Ok(booking::Entity::update_many()
        .col_expr(booking::Column::Id, Expr::col(booking::Column::Id).into())
        .filter(booking::Column::Id.eq(id))
        .exec(txn)
        .await?
        .rows_affected
        == 1)
}

/// A slot of one of the pupil's rounds, with its round, checked open for a change at `now`.
async fn open_slot(
    txn: &DatabaseTransaction,
    pupil: Uuid,
    slot_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(talk_round::Model, talk_slot::Model), TalkBookingError> {
    let slot = talk_slot::Entity::find_by_id(slot_id)
        .one(txn)
        .await?
        .ok_or(TalkBookingError::NotFound)?;
    let round = open_round(txn, pupil, slot.round_id, now).await?;
    if slot.on_date.and_time(slot.starts_at) <= local_time_of(now) {
        return Err(TalkBookingError::Closed);
    }
    Ok((round, slot))
}

/// One of the pupil's rounds, checked open at `now`.
async fn open_round(
    txn: &DatabaseTransaction,
    pupil: Uuid,
    round_id: Uuid,
    now: DateTime<Utc>,
) -> Result<talk_round::Model, TalkBookingError> {
    let today = day_of(now);
    let round = talk_round::Entity::find_by_id(round_id)
        .one(txn)
        .await?
        .ok_or(TalkBookingError::NotFound)?;
    if !groups_of(txn, pupil, today)
        .await?
        .contains_key(&round.group_id)
    {
        return Err(TalkBookingError::NotFound);
    }
    if !talk_booking::is_open(round.book_by, today) {
        return Err(TalkBookingError::Closed);
    }
    Ok(round)
}

/// The pupil's booking `id`.
async fn pupils_booking(
    txn: &DatabaseTransaction,
    pupil: Uuid,
    id: Uuid,
) -> Result<booking::Model, TalkBookingError> {
    booking::Entity::find_by_id(id)
        .one(txn)
        .await?
        .filter(|b| b.pupil_id == pupil)
        .ok_or(TalkBookingError::NotFound)
}

/// Whether `person` comes to any of the pupil's bookings in the round.
async fn comes_in_round(
    txn: &DatabaseTransaction,
    pupil: Uuid,
    round: Uuid,
    person: Uuid,
) -> Result<bool, DbErr> {
    let bookings: Vec<Uuid> = booking::Entity::find()
        .filter(booking::Column::RoundId.eq(round))
        .filter(booking::Column::PupilId.eq(pupil))
        .all(txn)
        .await?
        .into_iter()
        .map(|b| b.id)
        .collect();
    if bookings.is_empty() {
        return Ok(false);
    }
    Ok(talk_booking_attendee::Entity::find()
        .filter(talk_booking_attendee::Column::BookingId.is_in(bookings))
        .filter(talk_booking_attendee::Column::PersonId.eq(person))
        .one(txn)
        .await?
        .is_some())
}

/// The unique index that says a slot is booked, told apart from the one per pupil and party.
fn taken_or_booked(err: DbErr) -> TalkBookingError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) => {
            if message.contains("slot") {
                TalkBookingError::SlotTaken
            } else {
                TalkBookingError::AlreadyBooked
            }
        }
        _ => TalkBookingError::Database(err),
    }
}

/// Books a free time for the pupil, as the asker's shared or separate talk. Answers the
/// booking's id.
pub async fn book(
    db: &DatabaseConnection,
    permit: &Permit<PersonAction>,
    input: &TalkBookingInput,
    now: DateTime<Utc>,
) -> Result<Uuid, TalkBookingError> {
    let pupil = permit.target().0;
    let asker = permit.actor().person_id;
    let txn = db.begin().await?;
    if !lock_slot(&txn, input.slot_id).await? {
        return Err(TalkBookingError::NotFound);
    }
    let (round, slot) = open_slot(&txn, pupil, input.slot_id, now).await?;
    if input.separate && !round.separate_talks {
        return Err(TalkBookingError::SeparateNotAllowed);
    }
    if comes_in_round(&txn, pupil, round.id, asker).await? {
        return Err(TalkBookingError::AlreadyBooked);
    }
    let id = Uuid::new_v4();
    booking::Entity::insert(booking::ActiveModel {
        id: Set(id),
        round_id: Set(round.id),
        slot_id: Set(slot.id),
        pupil_id: Set(pupil),
        party: Set(if input.separate { asker } else { Uuid::nil() }),
        booked_by_id: Set(Some(asker)),
        created_at: Set(now),
        updated_at: Set(now),
        reminded_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await
    .map_err(taken_or_booked)?;
    talk_booking_attendee::Entity::insert(talk_booking_attendee::ActiveModel {
        booking_id: Set(id),
        person_id: Set(asker),
        joined_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The asker joins the pupil's shared talk that the other guardian booked.
pub async fn join(
    db: &DatabaseConnection,
    permit: &Permit<PersonAction>,
    booking_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), TalkBookingError> {
    let pupil = permit.target().0;
    let asker = permit.actor().person_id;
    let txn = db.begin().await?;
    if !lock_booking(&txn, booking_id).await? {
        return Err(TalkBookingError::NotFound);
    }
    let booking = pupils_booking(&txn, pupil, booking_id).await?;
    open_slot(&txn, pupil, booking.slot_id, now).await?;
    if !booking.party.is_nil() {
        return Err(TalkBookingError::SeparateTalk);
    }
    if comes_in_round(&txn, pupil, booking.round_id, asker).await? {
        return Err(TalkBookingError::AlreadyBooked);
    }
    talk_booking_attendee::Entity::insert(talk_booking_attendee::ActiveModel {
        booking_id: Set(booking.id),
        person_id: Set(asker),
        joined_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            talk_booking_attendee::Column::BookingId,
            talk_booking_attendee::Column::PersonId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn attending(txn: &DatabaseTransaction, booking: Uuid, person: Uuid) -> Result<bool, DbErr> {
    Ok(talk_booking_attendee::Entity::find_by_id((booking, person))
        .one(txn)
        .await?
        .is_some())
}

/// Moves the pupil's booking, which the asker comes to, to another free time of its round.
pub async fn move_to(
    db: &DatabaseConnection,
    permit: &Permit<PersonAction>,
    booking_id: Uuid,
    slot_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), TalkBookingError> {
    let pupil = permit.target().0;
    let txn = db.begin().await?;
    if !lock_booking(&txn, booking_id).await? {
        return Err(TalkBookingError::NotFound);
    }
    let booking = pupils_booking(&txn, pupil, booking_id).await?;
    if !attending(&txn, booking.id, permit.actor().person_id).await? {
        return Err(TalkBookingError::NotAttending);
    }
    // The time left must not have begun either: a talk under way is not moved.
    open_slot(&txn, pupil, booking.slot_id, now).await?;
    let (round, slot) = open_slot(&txn, pupil, slot_id, now).await?;
    if round.id != booking.round_id {
        return Err(TalkBookingError::NotFound);
    }
    if slot.id != booking.slot_id {
        booking::Entity::update_many()
            .col_expr(booking::Column::SlotId, Expr::value(slot.id))
            .col_expr(booking::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                booking::Column::RemindedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(booking::Column::Id.eq(booking.id))
            .exec(&txn)
            .await
            .map_err(taken_or_booked)?;
    }
    txn.commit().await?;
    Ok(())
}

/// The asker no longer comes to the pupil's booking; the last one to leave cancels it.
pub async fn cancel(
    db: &DatabaseConnection,
    permit: &Permit<PersonAction>,
    booking_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), TalkBookingError> {
    let pupil = permit.target().0;
    let asker = permit.actor().person_id;
    let txn = db.begin().await?;
    if !lock_booking(&txn, booking_id).await? {
        return Err(TalkBookingError::NotFound);
    }
    let booking = pupils_booking(&txn, pupil, booking_id).await?;
    if !attending(&txn, booking.id, asker).await? {
        return Err(TalkBookingError::NotAttending);
    }
    open_slot(&txn, pupil, booking.slot_id, now).await?;
    talk_booking_attendee::Entity::delete_by_id((booking.id, asker))
        .exec(&txn)
        .await?;
    let left = talk_booking_attendee::Entity::find()
        .filter(talk_booking_attendee::Column::BookingId.eq(booking.id))
        .one(&txn)
        .await?;
    if left.is_none() {
        booking::Entity::delete_by_id(booking.id).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct DueReminder {
    booking_id: Uuid,
    municipality_id: Uuid,
    pupil_id: Uuid,
    on_date: NaiveDate,
    starts_at: NaiveTime,
    ends_at: NaiveTime,
    place: String,
    video_link: Option<String>,
}

/// Reminds everyone coming to a talk held tomorrow, once per booking and time: a notice in the
/// app and by the channels each chose. Answers whether reminders were left for another run.
pub async fn remind_due(txn: &DatabaseTransaction, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let Some(tomorrow) = day_of(now).checked_add_days(Days::new(1)) else {
        return Ok(false);
    };
    let backend = txn.get_database_backend();
    let sql = numbered_params(
        backend,
        &format!(
            "SELECT b.id AS booking_id, r.municipality_id, b.pupil_id, s.on_date, s.starts_at, \
                 s.ends_at, r.place, r.video_link \
             FROM talk_booking b JOIN talk_slot s ON s.id = b.slot_id \
             JOIN talk_round r ON r.id = b.round_id \
             WHERE s.on_date = $1 AND b.reminded_at IS NULL \
             ORDER BY b.id LIMIT {}",
            REMINDERS_PER_RUN + 1
        ),
    );
    let mut due = DueReminder::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [tomorrow.into()],
    ))
    .all(txn)
    .await?;
    let more = due.len() as u64 > REMINDERS_PER_RUN;
    due.truncate(REMINDERS_PER_RUN as usize);
    for talk in due {
        // Conditional, so that a second run at once finds nothing to send.
        let claimed = booking::Entity::update_many()
            .col_expr(booking::Column::RemindedAt, Expr::value(now))
            .filter(booking::Column::Id.eq(talk.booking_id))
            .filter(booking::Column::RemindedAt.is_null())
            .exec(txn)
            .await?
            .rows_affected;
        if claimed != 1 {
            continue;
        }
        let coming: Vec<Uuid> = talk_booking_attendee::Entity::find()
            .filter(talk_booking_attendee::Column::BookingId.eq(talk.booking_id))
            .all(txn)
            .await?
            .into_iter()
            .map(|a| a.person_id)
            .collect();
        let content = NoticeContent {
            municipality_id: talk.municipality_id,
            kind: NoticeKind::TalkReminder,
            child_id: talk.pupil_id,
            on_date: talk.on_date,
            until_date: None,
            lessons: Vec::new(),
            batch_id: None,
            leave_application_id: None,
            talk: Some(NoticeTalk {
                starts_at: time(talk.starts_at),
                ends_at: time(talk.ends_at),
                place: talk.place,
                video_link: talk.video_link,
            }),
        };
        notices::tell(txn, &coming, &content, now).await?;
    }
    Ok(more)
}

#[derive(Debug, FromQueryResult)]
struct ChildTalkRow {
    child_id: Uuid,
    place: String,
    video_link: Option<String>,
    book_by: NaiveDate,
    on_date: Option<NaiveDate>,
    starts_at: Option<NaiveTime>,
    ends_at: Option<NaiveTime>,
}

/// For the start page: each child's talks from `today` on, booked (by time) or still to book
/// (by their last day), for the children of a batch of families. One statement.
pub async fn upcoming(
    db: &impl ConnectionTrait,
    children: &HashSet<Uuid>,
    today: NaiveDate,
) -> Result<HashMap<Uuid, Vec<UpcomingTalk>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<UpcomingTalk>> = HashMap::new();
    if children.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![today.into()];
    let in_children = db::in_set(
        backend,
        "m.person_id",
        &mut values,
        children.iter().copied(),
    );
    let sql = numbered_params(
        backend,
        &format!(
            "SELECT m.person_id AS child_id, r.place, r.video_link, r.book_by, \
                 s.on_date, s.starts_at, s.ends_at \
             FROM group_membership m JOIN talk_round r ON r.group_id = m.group_id \
             LEFT JOIN talk_booking b ON b.round_id = r.id AND b.pupil_id = m.person_id \
             LEFT JOIN talk_slot s ON s.id = b.slot_id \
             WHERE {in_children} AND m.role = 'pupil' AND m.start_date <= $1 \
                 AND (m.end_date IS NULL OR m.end_date >= $1) \
                 AND EXISTS (SELECT 1 FROM talk_slot x WHERE x.round_id = r.id AND x.on_date >= $1)"
        ),
    );
    let rows =
        ChildTalkRow::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
            .all(db)
            .await?;
    for row in rows {
        let talk = match (row.on_date, row.starts_at, row.ends_at) {
            (Some(date), Some(start), Some(end)) if date >= today => UpcomingTalk {
                child_id: row.child_id,
                date: Some(date),
                starts_at: Some(time(start)),
                ends_at: Some(time(end)),
                place: row.place,
                video_link: row.video_link,
                book_by: row.book_by,
            },
            // A talk already held this round: nothing more to show for it.
            (Some(_), _, _) => continue,
            (None, _, _) if talk_booking::is_open(row.book_by, today) => UpcomingTalk {
                child_id: row.child_id,
                date: None,
                starts_at: None,
                ends_at: None,
                place: row.place,
                video_link: row.video_link,
                book_by: row.book_by,
            },
            (None, _, _) => continue,
        };
        out.entry(row.child_id).or_default().push(talk);
    }
    for talks in out.values_mut() {
        talks.sort_by(|a, b| {
            (a.date.is_none(), a.date, &a.starts_at, a.book_by).cmp(&(
                b.date.is_none(),
                b.date,
                &b.starts_at,
                b.book_by,
            ))
        });
        talks.dedup();
    }
    Ok(out)
}

/// A booked talk as a calendar feed shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedTalk {
    pub booking_id: Uuid,
    pub date: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub video_link: Option<String>,
}

/// The pupil's booked talks from `from` through `to`, for the pupil's calendar feed.
pub async fn in_feed(
    db: &impl ConnectionTrait,
    pupil: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<FeedTalk>, DbErr> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::PupilId.eq(pupil))
        .all(db)
        .await?;
    if bookings.is_empty() {
        return Ok(Vec::new());
    }
    let slots: HashMap<Uuid, talk_slot::Model> = talk_slot::Entity::find()
        .filter(talk_slot::Column::Id.is_in(bookings.iter().map(|b| b.slot_id)))
        .filter(talk_slot::Column::OnDate.gte(from))
        .filter(talk_slot::Column::OnDate.lte(to))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rounds: HashMap<Uuid, talk_round::Model> = talk_round::Entity::find()
        .filter(talk_round::Column::Id.is_in(bookings.iter().map(|b| b.round_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut talks: Vec<FeedTalk> = bookings
        .iter()
        .filter_map(|b| {
            let slot = slots.get(&b.slot_id)?;
            let round = rounds.get(&b.round_id)?;
            Some(FeedTalk {
                booking_id: b.id,
                date: slot.on_date,
                starts_at: time(slot.starts_at),
                ends_at: time(slot.ends_at),
                place: round.place.clone(),
                video_link: round.video_link.clone(),
            })
        })
        .collect();
    talks.sort_by(|a, b| (a.date, &a.starts_at).cmp(&(b.date, &b.starts_at)));
    Ok(talks)
}

/// For the register extract: the pupil's booked talks, each with who comes, the latest first.
pub async fn for_extract(
    db: &impl ConnectionTrait,
    pupil: Uuid,
) -> Result<Vec<FamilyTalkBooking>, DbErr> {
    let bookings = booking::Entity::find()
        .filter(booking::Column::PupilId.eq(pupil))
        .all(db)
        .await?;
    if bookings.is_empty() {
        return Ok(Vec::new());
    }
    let rounds: Vec<Uuid> = bookings.iter().map(|b| b.round_id).collect();
    let (_, attendees) = bookings_of(db, rounds).await?;
    let people = names(db, attendees.values().flatten().copied()).await?;
    let slots: HashMap<Uuid, talk_slot::Model> = talk_slot::Entity::find()
        .filter(talk_slot::Column::Id.is_in(bookings.iter().map(|b| b.slot_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut out: Vec<FamilyTalkBooking> = bookings
        .into_iter()
        .filter_map(|b| {
            let slot = slots.get(&b.slot_id)?;
            Some(FamilyTalkBooking {
                booking_id: b.id,
                slot_id: slot.id,
                date: slot.on_date,
                starts_at: time(slot.starts_at),
                ends_at: time(slot.ends_at),
                separate: !b.party.is_nil(),
                attending: false,
                attendees: attendees
                    .get(&b.id)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| people.get(id).cloned())
                    .collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| (b.date, &b.starts_at).cmp(&(a.date, &a.starts_at)));
    Ok(out)
}
