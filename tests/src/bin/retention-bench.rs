//! `retention-bench --database-url URL [--weeks N] [--years N] [--minutes N]`: retention
//! (gallring) measured on a loaded municipality, for `cargo xtask bench http`, which runs it on
//! the Stockholm scale after its own requests have left attendance, absence reports and access
//! log behind. Nothing may serve the database meanwhile: the run's steps are taken here, one
//! transaction each as the `RetentionStep` job takes them, so that their time is the step's own.
//!
//! The history is what the requests left, copied to each of the N weeks before (PostgreSQL
//! only). Then the dry run is timed today and N years on, and the run of that later day is taken
//! step by step until nothing is due or the minutes are up. Prints counts and seconds only.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait};
use skolportal_backend::retention::{self, run::StepOutcome, Starter};
use skolportal_shared::api::{RetentionKind, RetentionPlan};
use skolportal_shared::retention::RetentionPeriods;

struct Args {
    url: String,
    weeks: u32,
    years: u32,
    minutes: u64,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        url: String::new(),
        weeks: 10,
        years: 4,
        minutes: 10,
    };
    let number = |flag: &str, value: &str| -> Result<u64, String> {
        value
            .parse()
            .map_err(|_| format!("{flag} takes a number, not {value:?}"))
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--database-url" => out.url = value.clone(),
            "--weeks" => out.weeks = u32::try_from(number(flag, value)?).unwrap_or(u32::MAX),
            "--years" => out.years = u32::try_from(number(flag, value)?).unwrap_or(u32::MAX),
            "--minutes" => out.minutes = number(flag, value)?,
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if out.url.is_empty() {
        return Err("--database-url is needed".into());
    }
    Ok(out)
}

/// Copies the rows the requests left to each of the `weeks` weeks before, with new ids (and new
/// submissions for the reports, whose (submission, child) is unique). Answers the rows added.
async fn add_history(db: &DatabaseConnection, weeks: u32) -> Result<[u64; 3], String> {
    let copies = [
        "INSERT INTO attendance_mark (id, municipality_id, lesson_id, on_date, pupil_id, revision, \
         mark, late_minutes, recorded_by_person_id, recorded_at) \
         SELECT gen_random_uuid(), municipality_id, lesson_id, on_date - 7 * w, pupil_id, revision, \
         mark, late_minutes, recorded_by_person_id, recorded_at - make_interval(weeks => w) \
         FROM attendance_mark, generate_series(1, $1) w",
        "INSERT INTO absence_report (id, municipality_id, submission_id, child_id, \
         reported_by_person_id, first_day, last_day, starts_at, ends_at, reason, status, \
         reported_at, updated_at) \
         SELECT gen_random_uuid(), municipality_id, gen_random_uuid(), child_id, \
         reported_by_person_id, first_day - 7 * w, last_day - 7 * w, starts_at, ends_at, reason, \
         status, reported_at - make_interval(weeks => w), updated_at - make_interval(weeks => w) \
         FROM absence_report, generate_series(1, $1) w",
        "INSERT INTO access_log (id, municipality_id, occurred_at, actor_pseudonym, \
         subject_pseudonym, action, session_id) \
         SELECT gen_random_uuid(), municipality_id, occurred_at - make_interval(weeks => w), \
         actor_pseudonym, subject_pseudonym, action, session_id \
         FROM access_log, generate_series(1, $1) w",
    ];
    let mut added = [0; 3];
    for (sql, added) in copies.iter().zip(&mut added) {
        let weeks = i32::try_from(weeks).unwrap_or(i32::MAX);
        *added = db
            .execute(sea_orm::Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                *sql,
                [weeks.into()],
            ))
            .await
            .map_err(|e| format!("copying the history: {e}"))?
            .rows_affected();
    }
    db.execute_unprepared("VACUUM ANALYZE")
        .await
        .map_err(|e| e.to_string())?;
    Ok(added)
}

/// The dry run on `day`'s date, timed: the median of three, and the plan.
async fn time_plan(
    db: &DatabaseConnection,
    municipality: uuid::Uuid,
    periods: &RetentionPeriods,
    day: chrono::NaiveDate,
) -> Result<(f64, RetentionPlan), String> {
    let mut seconds = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        let plan = retention::plan(db, municipality, periods, day)
            .await
            .map_err(|e| format!("the dry run: {e}"))?;
        seconds.push(started.elapsed().as_secs_f64());
        last = Some(plan);
    }
    seconds.sort_by(f64::total_cmp);
    let plan = last.ok_or("no dry run")?;
    Ok((seconds[1], plan))
}

fn plan_counts(plan: &RetentionPlan) -> String {
    plan.items
        .iter()
        .filter(|i| i.remove > 0)
        .map(|i| format!("{} {}", i.kind.code(), i.remove))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the run's steps of one kind took.
#[derive(Default)]
struct KindTotals {
    steps: u64,
    rows: u64,
    seconds: f64,
}

async fn bench(args: Args) -> Result<(), String> {
    let db = sea_orm::Database::connect(&args.url)
        .await
        .map_err(|e| e.to_string())?;
    let municipality = skolportal_backend::entity::municipality::Entity::find()
        .one(&db)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no municipality is loaded")?;
    let periods = skolportal_backend::municipality::MunicipalitySettings::of(&municipality)
        .map_err(|e| e.to_string())?
        .retention;

    let started = Instant::now();
    let [marks, reports, log] = add_history(&db, args.weeks).await?;
    println!(
        "retention history:            {:>6.1} s to add {marks} attendance marks, {reports} absence reports and {log} access-log rows ({} weeks before today)",
        started.elapsed().as_secs_f64(),
        args.weeks
    );

    let now = Utc::now();
    let today = skolportal_backend::clock::day_of(now);
    let (seconds, plan) = time_plan(&db, municipality.id, &periods, today).await?;
    println!(
        "retention dry run today:      {seconds:>6.2} s  (due: {})",
        match plan_counts(&plan) {
            none if none.is_empty() => "nothing".to_owned(),
            some => some,
        }
    );
    let later: DateTime<Utc> = now + chrono::Duration::days(365 * i64::from(args.years) + 1);
    let later_day = skolportal_backend::clock::day_of(later);
    let (seconds, plan) = time_plan(&db, municipality.id, &periods, later_day).await?;
    let due: u64 = plan.items.iter().map(|i| i.remove).sum();
    println!(
        "retention dry run {later_day}: {seconds:>6.2} s  (due: {due}: {})",
        plan_counts(&plan)
    );

    // The run of that day, taken step by step as the queue would take its jobs.
    let run = retention::start(&db, municipality.id, Starter::Schedule, later_day, later)
        .await
        .map_err(|e| format!("starting the run: {e}"))?;
    let batch =
        u64::from(skolportal_backend::settings::JobSettings::default().retention_batch_size);
    let deadline = Instant::now() + Duration::from_secs(args.minutes * 60);
    let started = Instant::now();
    let mut totals: BTreeMap<&'static str, KindTotals> = BTreeMap::new();
    let mut from = None;
    let finished = loop {
        if Instant::now() > deadline {
            break false;
        }
        let step_started = Instant::now();
        let txn = db.begin().await.map_err(|e| e.to_string())?;
        let outcome = retention::run::step(&txn, run, from, batch, later)
            .await
            .map_err(|e| format!("a step: {e}"))?;
        txn.commit().await.map_err(|e| e.to_string())?;
        let (kind, rows) = match outcome {
            StepOutcome::Removed { kind, rows } => (kind, rows),
            StepOutcome::Finished => break true,
        };
        from = Some(kind);
        let t = totals.entry(kind.code()).or_default();
        t.steps += 1;
        t.rows += rows;
        t.seconds += step_started.elapsed().as_secs_f64();
    };
    let seconds = started.elapsed().as_secs_f64();
    let rows: u64 = totals.values().map(|t| t.rows).sum();
    println!(
        "retention run {later_day}:    {seconds:>6.1} s  {rows} records in batches of {batch}, {:.0} records/s{}",
        rows as f64 / seconds.max(0.001),
        if finished {
            String::new()
        } else {
            format!(" (stopped after {} minutes, unfinished)", args.minutes)
        }
    );
    for &kind in RetentionKind::ALL {
        if let Some(t) = totals.get(kind.code()) {
            println!(
                "  {:<20} {:>9} records {:>6} steps {:>8.1} s  {:>7.1} ms a step",
                kind.code(),
                t.rows,
                t.steps,
                t.seconds,
                t.seconds * 1000.0 / t.steps.max(1) as f64
            );
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse(&args) {
        Ok(args) => args,
        Err(problem) => {
            eprintln!("retention-bench: {problem}");
            return std::process::ExitCode::from(2);
        }
    };
    skolportal_backend::telemetry::init(&skolportal_backend::settings::LogSettings {
        level: "warn".into(),
        ..Default::default()
    });
    match bench(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("retention-bench: {problem}");
            std::process::ExitCode::FAILURE
        }
    }
}
