//! The job queue through the real backend and database: a job enqueued in a transaction exists
//! only if that transaction commits; a failing job waits longer after each failure and is parked
//! after the last attempt; a claim not finished within the lease is taken over and its late
//! finish refused; a recurring job runs once per due time however many runners race for it; and
//! on PostgreSQL two real `skolportal` processes do thousands of jobs exactly once while one of
//! them is SIGKILLed.

use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use skolportal_backend::entity::job::JobKind;
use skolportal_backend::entity::{job, job_run, placement_offer};
use skolportal_backend::jobs::kinds::QueueCheck;
use skolportal_backend::jobs::runner::Outcome;
use skolportal_backend::jobs::{self, operator};
use skolportal_backend::settings::JobSettings;
use skolportal_tests::app::{child, unit, TestOptions};
use skolportal_tests::process::Installation;
use skolportal_tests::{Backend, TestApp};

use crate::applications::{apply, offer};

/// The backend without its own runner: the test drives runners round by round.
async fn app_with_manual_runners(settings: JobSettings) -> TestApp {
    TestApp::spawn_with(TestOptions {
        jobs: Some(JobSettings {
            enabled: false,
            ..settings
        }),
        ..Default::default()
    })
    .await
}

async fn count_of_kind(app: &TestApp, kind: JobKind) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM job WHERE kind = '{}'",
        kind.to_value()
    ))
    .await
}

async fn stored(app: &TestApp, id: uuid::Uuid) -> job::Model {
    job::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the job")
}

/// The job's finished attempts: (outcome, instance).
async fn runs_of(app: &TestApp, id: uuid::Uuid) -> Vec<(job_run::RunOutcome, String)> {
    job_run::Entity::find()
        .filter(job_run::Column::JobId.eq(id))
        .order_by_asc(job_run::Column::Attempt)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.outcome, r.instance))
        .collect()
}

async fn offer_status(app: &TestApp, id: uuid::Uuid) -> placement_offer::OfferStatus {
    placement_offer::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the offer")
        .status
}

fn check(number: u32) -> QueueCheck {
    QueueCheck {
        batch: uuid::Uuid::new_v4(),
        number,
    }
}

#[tokio::test]
async fn a_job_is_written_with_the_transaction_that_causes_it_and_the_backend_runs_it() {
    // The backend's own runner, as in production.
    let app = TestApp::spawn_with(TestOptions {
        jobs: Some(JobSettings {
            poll_interval_ms: 50,
            ..JobSettings::default()
        }),
        ..Default::default()
    })
    .await;
    let now = app.clock.now();

    let txn = app.db.begin().await.unwrap();
    jobs::enqueue(&txn, &check(1), now, now).await.unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(
        count_of_kind(&app, JobKind::QueueCheck).await,
        0,
        "a rolled-back change leaves no job"
    );

    let txn = app.db.begin().await.unwrap();
    let id = jobs::enqueue(&txn, &check(2), now, now).await.unwrap();
    txn.commit().await.unwrap();
    let deadline = Instant::now() + StdDuration::from_secs(20);
    while stored(&app, id).await.done_at.is_none() {
        assert!(Instant::now() < deadline, "the backend did not run the job");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    let runs = runs_of(&app, id).await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].0, job_run::RunOutcome::Done);
}

#[tokio::test]
async fn a_failing_job_is_retried_later_each_time_and_parked_after_the_last_attempt() {
    let app = app_with_manual_runners(JobSettings {
        max_attempts: 3,
        retry_base_seconds: 30,
        ..JobSettings::default()
    })
    .await;
    let runner = app.job_runner("a");
    // A payload its kind cannot read, as another version (or a hand) might have written it.
    let id = uuid::Uuid::new_v4();
    let now = app.clock.now();
    app.execute(
        "INSERT INTO job (id, kind, payload, run_at, attempts, created_at) VALUES ($1, 'offers_lapse', $2, $3, 0, $3)",
        [id.into(), serde_json::json!({"due": "not a time"}).into(), now.into()],
    )
    .await;

    let first = runner.work_batch().await.unwrap();
    assert_eq!((first.claimed, first.failed), (1, 1));
    assert_eq!(
        runner.work_batch().await.unwrap().claimed,
        0,
        "not before 30 s"
    );
    app.advance(Duration::seconds(29));
    assert_eq!(
        runner.work_batch().await.unwrap().claimed,
        0,
        "not before 30 s"
    );
    app.advance(Duration::seconds(1));
    assert_eq!(
        runner.work_batch().await.unwrap().failed,
        1,
        "second attempt"
    );
    app.advance(Duration::seconds(59));
    assert_eq!(
        runner.work_batch().await.unwrap().claimed,
        0,
        "the wait doubled"
    );
    app.advance(Duration::seconds(1));
    assert_eq!(
        runner.work_batch().await.unwrap().parked,
        1,
        "third attempt"
    );
    assert!(stored(&app, id).await.parked_at.is_some(), "parked");
    app.advance(Duration::days(1));
    assert_eq!(
        runner.work_batch().await.unwrap().claimed,
        0,
        "a parked job waits for an operator"
    );

    // What the operator sees: the job, its attempts and why, in words without stored values.
    let parked = operator::parked(&app.db, 10).await.unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].id, id);
    assert_eq!(parked[0].attempts, 3);
    let error = parked[0].last_error.clone().unwrap();
    assert!(error.starts_with("the payload does not fit"), "{error}");
    assert!(!error.contains("not a time"), "{error}");
    let outcomes: Vec<_> = runs_of(&app, id).await.into_iter().map(|r| r.0).collect();
    use job_run::RunOutcome::{Failed, Parked};
    assert_eq!(outcomes, [Failed, Failed, Parked]);

    // Put back, it is due at once and counts its attempts from the start.
    assert!(operator::retry(&app.db, id, app.clock.now()).await.unwrap());
    assert!(
        !operator::retry(&app.db, id, app.clock.now()).await.unwrap(),
        "only a parked job"
    );
    assert_eq!(runner.work_batch().await.unwrap().failed, 1);
    let again = stored(&app, id).await;
    assert_eq!(
        (again.attempts, again.parked_at),
        (1, None),
        "waiting for its next attempt"
    );
}

#[tokio::test]
async fn a_claim_not_finished_in_time_is_taken_over_and_its_late_finish_refused() {
    let app = app_with_manual_runners(JobSettings {
        lease_seconds: 300,
        ..JobSettings::default()
    })
    .await;
    let now = app.clock.now();
    let id = jobs::enqueue(&app.db, &check(1), now, now).await.unwrap();
    let (dying, other) = (app.job_runner("dying"), app.job_runner("other"));

    // Claimed, then the process "dies": it never runs the job.
    let claimed = dying.claim().await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        other.work_batch().await.unwrap().claimed,
        0,
        "a live claim is not taken"
    );
    app.advance(Duration::seconds(299));
    assert_eq!(other.work_batch().await.unwrap().claimed, 0);
    app.advance(Duration::seconds(2));
    let report = other.work_batch().await.unwrap();
    assert_eq!(
        (report.claimed, report.done),
        (1, 1),
        "taken over after the lease"
    );

    // The first claimant was only slow: its finish now changes nothing.
    let late = claimed.into_iter().next().unwrap();
    assert_eq!(dying.run(late).await.unwrap(), Outcome::Lost);
    assert_eq!(
        runs_of(&app, id).await,
        [(job_run::RunOutcome::Done, "other".to_owned())],
        "done once, by the runner that took it over"
    );
    assert_eq!(stored(&app, id).await.attempts, 2);
}

#[tokio::test]
async fn the_recurring_offers_lapse_runs_once_per_due_time_with_two_runners() {
    let app = app_with_manual_runners(JobSettings::default()).await;
    // An offer nobody answers.
    let anna = app.login("anna").await;
    let officer = app.login("handlaggare").await;
    let ella = child(&app, "Ella").await;
    let ekorren = unit(&app, "Förskolan Ekorren").await;
    let application = apply(&anna, &ella, &[&ekorren], "2027-01-11").await;
    let made = offer(&officer, &application, &ekorren, "2027-01-11").await;
    let offer_id: uuid::Uuid = made["id"].as_str().unwrap().parse().unwrap();
    let (a, b) = (app.job_runner("a"), app.job_runner("b"));

    // Both runners race for the first due time, twice.
    for _ in 0..2 {
        let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(ra.done + rb.done, ra.scheduled + rb.scheduled);
    }
    assert_eq!(count_of_kind(&app, JobKind::OffersLapse).await, 1);
    assert_eq!(
        offer_status(&app, offer_id).await,
        placement_offer::OfferStatus::Open,
        "not yet past the deadline"
    );

    // Past the answer deadline, and many due times later: one more run, not one per missed time.
    app.advance(Duration::days(15));
    for _ in 0..2 {
        let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
        ra.unwrap();
        rb.unwrap();
    }
    assert_eq!(count_of_kind(&app, JobKind::OffersLapse).await, 2);
    assert_eq!(
        offer_status(&app, offer_id).await,
        placement_offer::OfferStatus::Lapsed
    );

    // The next due time comes five minutes later.
    app.advance(Duration::minutes(4));
    let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
    assert_eq!(ra.unwrap().scheduled + rb.unwrap().scheduled, 0);
    app.advance(Duration::minutes(1));
    let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
    assert_eq!(ra.unwrap().scheduled + rb.unwrap().scheduled, 1);
    assert_eq!(count_of_kind(&app, JobKind::OffersLapse).await, 3);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM job_run WHERE kind = 'offers_lapse' AND outcome = 'done'")
            .await,
        3,
        "each due time done once"
    );
}

#[tokio::test]
async fn finished_jobs_are_deleted_after_the_keeping_time_and_parked_ones_are_kept() {
    let app = app_with_manual_runners(JobSettings {
        keep_done_days: 30,
        max_attempts: 1,
        ..JobSettings::default()
    })
    .await;
    let runner = app.job_runner("a");
    let now = app.clock.now();
    let done = jobs::enqueue(&app.db, &check(1), now, now).await.unwrap();
    let parked = uuid::Uuid::new_v4();
    app.execute(
        "INSERT INTO job (id, kind, payload, run_at, attempts, created_at) VALUES ($1, 'queue_check', $2, $3, 0, $3)",
        [parked.into(), serde_json::json!({}).into(), now.into()],
    )
    .await;
    runner.run_once().await.unwrap();
    assert!(stored(&app, done).await.done_at.is_some());
    assert!(stored(&app, parked).await.parked_at.is_some());

    app.advance(Duration::days(29));
    runner.run_once().await.unwrap();
    assert_eq!(runs_of(&app, done).await.len(), 1, "kept for 30 days");

    app.advance(Duration::days(2));
    runner.run_once().await.unwrap();
    let gone = job::Entity::find_by_id(done).one(&app.db).await.unwrap();
    assert!(gone.is_none(), "deleted after 30 days");
    assert!(runs_of(&app, done).await.is_empty(), "with its runs");
    assert!(
        stored(&app, parked).await.parked_at.is_some(),
        "parked jobs wait for an operator"
    );
}

/// Thousands of jobs, two real server processes, one SIGKILLed in the middle: every job is done,
/// once, and the jobs the killed process had claimed are finished by the other.
#[tokio::test]
async fn two_processes_do_every_job_exactly_once_while_one_is_killed() {
    if Backend::from_env() == Backend::Sqlite {
        eprintln!(
            "skipped on SQLite: one instance runs the jobs there (no FOR UPDATE SKIP LOCKED, one \
             writer at a time); this test needs two processes on PostgreSQL"
        );
        return;
    }
    const JOBS: u32 = 3000;
    let mut installation = Installation::new().await;
    installation.set_env("SKOLPORTAL_JOBS__LEASE_SECONDS", "3");
    installation.set_env("SKOLPORTAL_JOBS__POLL_INTERVAL_MS", "100");
    installation.set_env("SKOLPORTAL_JOBS__BATCH_SIZE", "50");
    installation.set_env("SKOLPORTAL_JOBS__WORKERS", "2");
    let first = installation.start().await;
    let second = installation.start_another().await;
    let db = installation.db.clone();
    operator::enqueue_checks(&db, JOBS, Utc::now())
        .await
        .unwrap();

    let deadline = Instant::now() + StdDuration::from_secs(120);
    while operator::check_progress(&db).await.unwrap().done < u64::from(JOBS) / 4 {
        assert!(Instant::now() < deadline, "the jobs do not get done");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    let killed = first.id();
    first.kill();
    let orphans: Vec<uuid::Uuid> = job::Entity::find()
        .filter(job::Column::DoneAt.is_null())
        .filter(job::Column::ClaimedBy.like(format!("%:{killed}/%")))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.id)
        .collect();
    assert!(
        !orphans.is_empty(),
        "the killed process held no claims: the takeover was not exercised"
    );

    loop {
        let progress = operator::check_progress(&db).await.unwrap();
        if progress.open == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} jobs still open:\n{}",
            progress.open,
            second.log()
        );
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    let progress = operator::check_progress(&db).await.unwrap();
    assert_eq!(progress.done, u64::from(JOBS));
    assert_eq!(
        progress.runs_done,
        u64::from(JOBS),
        "one finished run per job"
    );
    assert_eq!(
        installation
            .count(
                "SELECT COUNT(*) FROM (SELECT job_id FROM job_run WHERE outcome = 'done' \
                 GROUP BY job_id HAVING COUNT(*) <> 1) twice"
            )
            .await,
        0
    );
    assert_eq!(progress.by_instance.len(), 2, "both processes worked");
    // What the killed process had claimed, the other finished after the lease.
    let finished_by: Vec<String> = job_run::Entity::find()
        .filter(job_run::Column::JobId.is_in(orphans.clone()))
        .filter(job_run::Column::Outcome.eq(job_run::RunOutcome::Done))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.instance)
        .collect();
    assert_eq!(finished_by.len(), orphans.len());
    assert!(
        finished_by
            .iter()
            .all(|i| i.contains(&format!(":{}/", second.id()))),
        "{finished_by:?}"
    );
}
