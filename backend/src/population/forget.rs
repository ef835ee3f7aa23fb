//! Forgetting a person (issue 18, point 2; DOMAIN.md rule 3): someone who gets a security
//! marking after entering is removed in the next sync with everything that identifies them,
//! their links and their sessions, so that the portal afterwards answers for them exactly as
//! for a person it never knew. The sync calls `forget_person` inside its reconciliation
//! transaction; everything here happens in that one transaction, or nothing does.
//!
//! What happens to each table (`entity/`), where P is the person forgotten:
//!
//! | table | decision |
//! |---|---|
//! | `person` | deleted, last |
//! | `person_key` | deleted: P's pseudonym in `access_log` then points at no one, and every signature that needed P's secret no longer opens (crypto-shredding, `population::keys`) |
//! | `access_log`, `signature_evidence` | append-only (triggers): kept, unreadable as above |
//! | `user_account`, `session`, `login_device`, `recovery_code` | P's deleted (a session gone is a 401 on the next request) |
//! | `login_attempt` | P's (by the account's hashed keys, and P's devices) deleted |
//! | `pending_login` | those for P's documents deleted (the others name no one) |
//! | `push_subscription`, `notice_preference`, `calendar_feed`, `consent_reminder` | P's deleted |
//! | `guardianship` | deleted both as child and as adult |
//! | `group_membership`, `enrolment`, `placement`, `duty` | P's deleted |
//! | `schedule_day`, `pickup_person`, `absence_report`, `attendance_mark`, `leave_application` (+ `leave_agreement`), `consent_decision`, `grade`, `iup_goal`, `iup_assessment`, `talk_part`, `talk_booking` (+ `talk_booking_attendee`), `childcare_application`, `placement_offer`, `notice`, `absence_notice_batch`, `correction_request` | P's own (P the child, pupil, subject or recipient) deleted; P's own acts in another's records that are P's words or choices (a guardian's consent decisions, leave agreements, talk parts P wrote, P's separate talk booking, corrections P asked for) deleted too |
//! | `childcare_document` | owned by P, about P, or naming P's id in its signed bytes (an income statement's children): deleted; its signatures were sealed under P's key too |
//! | `placement_offer.answer_document_id` | pointing at a deleted document: cleared |
//! | columns that record P acting on someone else's record (`*_by_person_id`, `teacher_id`, `mentor_id`, `author_id` of a goal, …) | cleared (NULL), or the nil uuid where the column is NOT NULL: the record stays the other person's, without P |
//! | `job` (+ `job_run`) | jobs whose payload names P deleted (their work was about P) |
//! | `municipality`, `unit`, `school_group`, `school_term`, `school_break`, `lesson`, `lesson_change`, `talk_round`, `talk_slot`, `lunch_menu_day`, `grade_lock`, `server_key`, `job_schedule` | no row is P's; only the P-columns above are cleared |
//!
//! Invariants: one transaction; counts only in the report, and no personal data in the report,
//! the errors or the log; forgetting someone the portal does not know (or a second time) is no
//! error and removes nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Statement,
};
use uuid::Uuid;

use crate::auth::throttle;
use crate::db::numbered_params;
use crate::entity::{
    absence_notice_batch, absence_report, attendance_mark, calendar_feed, childcare_application,
    childcare_document, consent_decision, consent_reminder, correction_request, duty, enrolment,
    grade, grade_lock, group_membership, guardianship, iup_assessment, iup_goal, job,
    leave_agreement, leave_application, lesson, lesson_change, login_attempt, login_device, notice,
    notice_preference, pending_login, person, person_key, pickup_person, placement,
    placement_offer, push_subscription, recovery_code, retention_run, schedule_day, session,
    setting_change, source_sync_run, talk_booking, talk_booking_attendee, talk_part, talk_round,
    user_account,
};

/// What was removed, as counts per table (and per table.column for the links cleared).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ForgetReport {
    /// Whether the person's own row existed (false: unknown, or forgotten already).
    pub person_removed: bool,
    /// Whether their key existed and was destroyed (their access-log lines and signatures).
    pub key_destroyed: bool,
    /// Rows deleted, per table.
    pub deleted: BTreeMap<String, u64>,
    /// Rows of other people's records in which a reference to the person was cleared, per
    /// `table.column`.
    pub detached: BTreeMap<String, u64>,
}

/// Why forgetting failed. Nothing is removed then (the caller's transaction rolls back).
#[derive(Debug, thiserror::Error)]
pub enum ForgetError {
    #[error("database error while forgetting a person")]
    Database(#[from] DbErr),
}

impl ForgetReport {
    fn deleted(&mut self, table: &str, rows: u64) {
        *self.deleted.entry(table.to_owned()).or_default() += rows;
    }
    fn detached(&mut self, column: &str, rows: u64) {
        *self.detached.entry(column.to_owned()).or_default() += rows;
    }
}

/// Removes `person_id` and everything that identifies or links to them, in `txn` (the sync's
/// transaction). `_now` is the sync's time, taken like every sync step's; nothing removed here
/// depends on the day (a relation is deleted whether it has ended or not).
#[tracing::instrument(skip_all, fields(person = %person_id))]
pub async fn forget_person(
    txn: &impl ConnectionTrait,
    person_id: Uuid,
    _now: DateTime<Utc>,
) -> Result<ForgetReport, ForgetError> {
    let p = person_id;
    let mut r = ForgetReport::default();

    // --- login: sessions first, so that the person's next request is a 401 ---
    delete::<session::Entity>(txn, &mut r, session::Column::PersonId.eq(p)).await?;
    let accounts = user_account::Entity::find()
        .filter(user_account::Column::PersonId.eq(p))
        .all(txn)
        .await?;
    let account_ids: Vec<Uuid> = accounts.iter().map(|a| a.id).collect();
    let devices: Vec<Uuid> = login_device::Entity::find()
        .select_only()
        .column(login_device::Column::Id)
        .filter(login_device::Column::AccountId.is_in(account_ids.clone()))
        .into_tuple()
        .all(txn)
        .await?;
    let hashes: Vec<String> = accounts
        .iter()
        .flat_map(|a| throttle::account_keys(&a.username, a.id))
        .collect();
    delete::<login_attempt::Entity>(
        txn,
        &mut r,
        login_attempt::Column::AccountHash
            .is_in(hashes)
            .or(login_attempt::Column::DeviceId.is_in(devices)),
    )
    .await?;
    delete::<login_device::Entity>(
        txn,
        &mut r,
        login_device::Column::AccountId.is_in(account_ids.clone()),
    )
    .await?;
    delete::<recovery_code::Entity>(
        txn,
        &mut r,
        recovery_code::Column::AccountId.is_in(account_ids),
    )
    .await?;
    delete::<user_account::Entity>(txn, &mut r, user_account::Column::PersonId.eq(p)).await?;
    delete::<push_subscription::Entity>(txn, &mut r, push_subscription::Column::PersonId.eq(p))
        .await?;
    delete::<notice_preference::Entity>(txn, &mut r, notice_preference::Column::PersonId.eq(p))
        .await?;
    delete::<calendar_feed::Entity>(
        txn,
        &mut r,
        calendar_feed::Column::PersonId
            .eq(p)
            .or(calendar_feed::Column::OwnerPersonId.eq(p)),
    )
    .await?;
    delete::<consent_reminder::Entity>(txn, &mut r, consent_reminder::Column::GuardianId.eq(p))
        .await?;

    // --- notices (before their batches) ---
    delete::<notice::Entity>(
        txn,
        &mut r,
        notice::Column::RecipientId
            .eq(p)
            .or(notice::Column::ChildId.eq(p)),
    )
    .await?;
    delete::<absence_notice_batch::Entity>(
        txn,
        &mut r,
        absence_notice_batch::Column::PupilId.eq(p),
    )
    .await?;

    // --- relations ---
    delete::<guardianship::Entity>(
        txn,
        &mut r,
        guardianship::Column::ChildId
            .eq(p)
            .or(guardianship::Column::AdultId.eq(p)),
    )
    .await?;
    delete::<group_membership::Entity>(txn, &mut r, group_membership::Column::PersonId.eq(p))
        .await?;
    delete::<enrolment::Entity>(txn, &mut r, enrolment::Column::PupilId.eq(p)).await?;
    delete::<duty::Entity>(txn, &mut r, duty::Column::PersonId.eq(p)).await?;

    // --- childcare (schedule days before placements, offers before applications,
    //     pending logins and offers' answers before documents) ---
    delete::<schedule_day::Entity>(txn, &mut r, schedule_day::Column::ChildId.eq(p)).await?;
    delete::<pickup_person::Entity>(txn, &mut r, pickup_person::Column::ChildId.eq(p)).await?;
    delete::<placement_offer::Entity>(txn, &mut r, placement_offer::Column::ChildId.eq(p)).await?;
    delete::<childcare_application::Entity>(
        txn,
        &mut r,
        childcare_application::Column::ChildId.eq(p),
    )
    .await?;
    delete::<placement::Entity>(txn, &mut r, placement::Column::ChildId.eq(p)).await?;
    // Owned by P, about P, or naming P in the signed bytes (an income statement lists the
    // household's children by id).
    let documents: Vec<Uuid> = childcare_document::Entity::find()
        .select_only()
        .column(childcare_document::Column::Id)
        .filter(
            childcare_document::Column::OwnerPersonId
                .eq(p)
                .or(childcare_document::Column::ChildId.eq(p))
                .or(childcare_document::Column::DocumentBytes.contains(p.to_string())),
        )
        .into_tuple()
        .all(txn)
        .await?;
    delete::<pending_login::Entity>(
        txn,
        &mut r,
        pending_login::Column::DocumentId.is_in(documents.clone()),
    )
    .await?;
    r.detached(
        "placement_offer.answer_document_id",
        placement_offer::Entity::update_many()
            .col_expr(
                placement_offer::Column::AnswerDocumentId,
                Expr::value(Option::<Uuid>::None),
            )
            .filter(placement_offer::Column::AnswerDocumentId.is_in(documents.clone()))
            .exec(txn)
            .await?
            .rows_affected,
    );
    delete::<childcare_document::Entity>(
        txn,
        &mut r,
        childcare_document::Column::Id.is_in(documents),
    )
    .await?;

    // --- school records ---
    delete::<absence_report::Entity>(txn, &mut r, absence_report::Column::ChildId.eq(p)).await?;
    delete::<attendance_mark::Entity>(txn, &mut r, attendance_mark::Column::PupilId.eq(p)).await?;
    let leave: Vec<Uuid> = leave_application::Entity::find()
        .select_only()
        .column(leave_application::Column::Id)
        .filter(leave_application::Column::ChildId.eq(p))
        .into_tuple()
        .all(txn)
        .await?;
    delete::<leave_agreement::Entity>(
        txn,
        &mut r,
        leave_agreement::Column::GuardianId
            .eq(p)
            .or(leave_agreement::Column::ApplicationId.is_in(leave)),
    )
    .await?;
    delete::<leave_application::Entity>(txn, &mut r, leave_application::Column::ChildId.eq(p))
        .await?;
    delete::<consent_decision::Entity>(
        txn,
        &mut r,
        consent_decision::Column::ChildId
            .eq(p)
            .or(consent_decision::Column::GuardianId.eq(p)),
    )
    .await?;
    delete::<talk_part::Entity>(
        txn,
        &mut r,
        talk_part::Column::PupilId
            .eq(p)
            .or(talk_part::Column::AuthorId.eq(p)),
    )
    .await?;
    delete::<iup_goal::Entity>(txn, &mut r, iup_goal::Column::PupilId.eq(p)).await?;
    delete::<iup_assessment::Entity>(txn, &mut r, iup_assessment::Column::PupilId.eq(p)).await?;
    delete::<grade::Entity>(txn, &mut r, grade::Column::PupilId.eq(p)).await?;
    let bookings: Vec<Uuid> = talk_booking::Entity::find()
        .select_only()
        .column(talk_booking::Column::Id)
        .filter(
            talk_booking::Column::PupilId
                .eq(p)
                .or(talk_booking::Column::Party.eq(p)),
        )
        .into_tuple()
        .all(txn)
        .await?;
    delete::<talk_booking_attendee::Entity>(
        txn,
        &mut r,
        talk_booking_attendee::Column::PersonId
            .eq(p)
            .or(talk_booking_attendee::Column::BookingId.is_in(bookings.clone())),
    )
    .await?;
    delete::<talk_booking::Entity>(txn, &mut r, talk_booking::Column::Id.is_in(bookings)).await?;
    delete::<correction_request::Entity>(
        txn,
        &mut r,
        correction_request::Column::SubjectPersonId
            .eq(p)
            .or(correction_request::Column::RequestedByPersonId.eq(p)),
    )
    .await?;

    detach(txn, p, &mut r).await?;
    forget_jobs(txn, p, &mut r).await?;

    // --- the key (crypto-shredding), then the person ---
    let keys = person_key::Entity::delete_many()
        .filter(person_key::Column::PersonId.eq(p))
        .exec(txn)
        .await?
        .rows_affected;
    r.key_destroyed = keys > 0;
    r.deleted("person_key", keys);
    let people = person::Entity::delete_many()
        .filter(person::Column::Id.eq(p))
        .exec(txn)
        .await?
        .rows_affected;
    r.person_removed = people > 0;
    r.deleted("person", people);
    tracing::info!(
        removed = r.person_removed,
        rows = r.deleted.values().sum::<u64>(),
        "forgot a person"
    );
    Ok(r)
}

/// Deletes `E`'s rows matching `condition`, counted under the table's name.
async fn delete<E: EntityTrait>(
    txn: &impl ConnectionTrait,
    r: &mut ForgetReport,
    condition: impl IntoCondition,
) -> Result<(), DbErr> {
    let rows = E::delete_many()
        .filter(condition)
        .exec(txn)
        .await?
        .rows_affected;
    r.deleted(E::default().table_name(), rows);
    Ok(())
}

/// Clears the person from records that stay someone else's: a nullable column becomes NULL,
/// a NOT NULL one (none of which has a foreign key) the nil uuid, which is no one's.
async fn detach(txn: &impl ConnectionTrait, p: Uuid, r: &mut ForgetReport) -> Result<(), DbErr> {
    let none = || Expr::value(Option::<Uuid>::None);
    let nil = || Expr::value(Uuid::nil());
    macro_rules! clear {
        ($label:literal, $entity:ident, $column:ident, $to:expr) => {
            r.detached(
                $label,
                $entity::Entity::update_many()
                    .col_expr($entity::Column::$column, $to)
                    .filter($entity::Column::$column.eq(p))
                    .exec(txn)
                    .await?
                    .rows_affected,
            );
        };
    }
    clear!(
        "absence_report.reported_by_person_id",
        absence_report,
        ReportedByPersonId,
        none()
    );
    clear!(
        "attendance_mark.recorded_by_person_id",
        attendance_mark,
        RecordedByPersonId,
        none()
    );
    clear!("grade.set_by_person_id", grade, SetByPersonId, none());
    clear!(
        "grade_lock.locked_by_person_id",
        grade_lock,
        LockedByPersonId,
        none()
    );
    clear!(
        "leave_application.applied_by_person_id",
        leave_application,
        AppliedByPersonId,
        none()
    );
    clear!(
        "leave_application.decided_by_person_id",
        leave_application,
        DecidedByPersonId,
        none()
    );
    clear!("iup_goal.author_id", iup_goal, AuthorId, none());
    clear!(
        "iup_goal.followed_up_by_id",
        iup_goal,
        FollowedUpById,
        none()
    );
    clear!(
        "iup_assessment.teacher_id",
        iup_assessment,
        TeacherId,
        none()
    );
    clear!("lesson.teacher_id", lesson, TeacherId, none());
    clear!(
        "lesson_change.substitute_teacher_id",
        lesson_change,
        SubstituteTeacherId,
        none()
    );
    clear!("talk_round.mentor_id", talk_round, MentorId, none());
    clear!(
        "talk_booking.booked_by_id",
        talk_booking,
        BookedById,
        none()
    );
    clear!(
        "correction_request.answered_by_person_id",
        correction_request,
        AnsweredByPersonId,
        none()
    );
    clear!(
        "source_sync_run.requested_by",
        source_sync_run,
        RequestedBy,
        none()
    );
    clear!(
        "retention_run.started_by_person_id",
        retention_run,
        StartedByPersonId,
        none()
    );
    clear!(
        "lesson_change.recorded_by_person_id",
        lesson_change,
        RecordedByPersonId,
        nil()
    );
    clear!(
        "setting_change.changed_by_person_id",
        setting_change,
        ChangedByPersonId,
        nil()
    );
    clear!(
        "schedule_day.updated_by_person_id",
        schedule_day,
        UpdatedByPersonId,
        nil()
    );
    clear!(
        "pickup_person.created_by_person_id",
        pickup_person,
        CreatedByPersonId,
        nil()
    );
    clear!(
        "childcare_application.applicant_person_id",
        childcare_application,
        ApplicantPersonId,
        nil()
    );
    clear!(
        "placement_offer.offered_by_person_id",
        placement_offer,
        OfferedByPersonId,
        nil()
    );
    Ok(())
}

/// Deletes the jobs whose payload names the person (a notice to send them, a purge of their
/// material): the work was about them, and their id must not stay in the queue.
async fn forget_jobs(
    txn: &impl ConnectionTrait,
    p: Uuid,
    r: &mut ForgetReport,
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    let pattern = format!("%{}%", p.hyphenated());
    let ids: Vec<Uuid> = txn
        .query_all(Statement::from_sql_and_values(
            backend,
            numbered_params(
                backend,
                "SELECT id FROM job WHERE CAST(payload AS TEXT) LIKE $1",
            ),
            [pattern.into()],
        ))
        .await?
        .iter()
        .map(|row| row.try_get::<Uuid>("", "id"))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(());
    }
    delete::<crate::entity::job_run::Entity>(
        txn,
        r,
        crate::entity::job_run::Column::JobId.is_in(ids.clone()),
    )
    .await?;
    delete::<job::Entity>(txn, r, job::Column::Id.is_in(ids)).await?;
    Ok(())
}
