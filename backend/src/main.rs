//! `skolportal [serve|migrate|seed [--seed N] [--scale demo|stockholm]|resync-demo …|jobs …]`

use std::process::ExitCode;

use skolportal_backend::demo::{self, DemoOptions, Scale, SeedOutcome};
use skolportal_backend::settings::Settings;
use skolportal_backend::startup::Application;
use skolportal_backend::{db, telemetry};

// A request allocates many small, short-lived values (rows, strings, JSON); glibc's allocator
// spent a fifth of the server's time on them under load, mimalloc a fraction of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: skolportal [serve | migrate | seed [--seed N] [--scale demo|stockholm]
                  | resync-demo [--seed N] [--scale demo|stockholm]
                  | jobs status | jobs parked | jobs retry <job id> | jobs check <count>]";

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&settings.log);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve(settings).await,
        Some("migrate") => migrate(settings).await,
        Some("seed") => seed(settings, &args[1..]).await,
        Some("resync-demo") => resync_demo(settings, &args[1..]).await,
        Some("bankid-people") => match args.get(1) {
            Some(path) => bankid_people(settings, path).await,
            None => Err(format!("bankid-people needs a file name\n{USAGE}")),
        },
        Some("jobs") => jobs(settings, &args[1..]).await,
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> Result<(), String> {
    let public = settings.server.public_base_url.clone();
    let app = Application::build(settings)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(port = app.port(), "listening");
    println!("Skolportal körs på {public}  (Ctrl-C avslutar)");
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn migrate(settings: Settings) -> Result<(), String> {
    let conn = db::connect(&settings.database)
        .await
        .map_err(|e| e.to_string())?;
    db::migrate(&conn).await.map_err(|e| e.to_string())?;
    println!("Databasen är migrerad.");
    Ok(())
}

fn parse_seed_args(args: &[String]) -> Result<(u64, Scale), String> {
    let mut seed = 2026;
    let mut scale = Scale::Demo;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
        match arg.as_str() {
            "--seed" => {
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed takes a number, not {value:?}"))?
            }
            "--scale" => scale = value.parse()?,
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    Ok((seed, scale))
}

async fn seed(settings: Settings, args: &[String]) -> Result<(), String> {
    let (seed, scale) = parse_seed_args(args)?;
    let conn = db::connect(&settings.database)
        .await
        .map_err(|e| e.to_string())?;
    db::migrate(&conn).await.map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let now = chrono::Utc::now();
    let options = DemoOptions {
        seed,
        scale,
        today: now.date_naive(),
        // A million rows at the Stockholm scale would only slow the benchmark's load.
        schedules: scale == Scale::Demo,
    };
    // With a source configured, the demo comes through it, as a real municipality's data does.
    let source =
        skolportal_backend::sync::Source::from_settings(&settings).map_err(|e| e.to_string())?;
    let outcome = match &source {
        Some(source) => demo::seed_through_source(&conn, options, &source.client, now).await,
        None => demo::seed(&conn, options, now).await,
    };
    match outcome.map_err(|e| e.to_string())? {
        SeedOutcome::AlreadySeeded => println!("Databasen har redan en kommun; inget laddades."),
        SeedOutcome::Seeded { report, accounts } => {
            println!(
                "Laddade Solviks kommun på {:.1} s: {} personer, {} enheter, {} grupper, {} placeringar, {} vårdnadsrelationer ({} skyddade personer lämnades utanför).",
                started.elapsed().as_secs_f64(),
                report.persons,
                report.units,
                report.groups,
                report.placements,
                report.guardianships,
                report.refused_protected,
            );
            println!("\nDemokonton:");
            for a in &accounts {
                println!("  {:<12} {:<11} {}", a.username, a.password, a.description);
            }
            if accounts.iter().any(|a| a.totp_secret.is_some()) {
                println!(
                    "\nPersonalen loggar in med lösenord och engångskod: lägg in nyckeln {} i en autentiseringsapp.",
                    skolportal_backend::demo::DEMO_TOTP_SECRET
                );
            }
        }
    }
    Ok(())
}

/// The sync's full reconciliation against the seeded demo municipality, measured (for `cargo
/// xtask bench`): the same source again, then a source with 1 000 changes (500 pupils in
/// another class from today, 500 renamed persons). Prints seconds and counts only.
async fn resync_demo(settings: Settings, args: &[String]) -> Result<(), String> {
    use sea_orm::EntityTrait;
    use skolportal_backend::entity::group_membership::MembershipRole;
    use skolportal_backend::population::reconcile::reconcile;
    use skolportal_backend::population::snapshot::SourceMembership;
    const CHANGES: usize = 1000;
    let (seed, scale) = parse_seed_args(args)?;
    let conn = db::connect(&settings.database)
        .await
        .map_err(|e| e.to_string())?;
    let municipality = skolportal_backend::entity::municipality::Entity::find()
        .one(&conn)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no municipality is loaded: run `skolportal seed` first")?;
    let now = chrono::Utc::now();
    let today = now.date_naive();
    let source = || {
        demo::generate(DemoOptions {
            seed,
            scale,
            today,
            schedules: false,
        })
        .map(|d| d.snapshot)
        .map_err(|e| e.to_string())
    };
    let same = source()?;
    let started = std::time::Instant::now();
    let report = reconcile(&conn, municipality.id, same, 0.1, now)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "resync same source: {:.2} s, unchanged: {}",
        started.elapsed().as_secs_f64(),
        report.is_unchanged()
    );

    let mut changed = source()?;
    let parallel: std::collections::HashMap<String, String> = {
        let mut by_year: std::collections::HashMap<(String, Option<i32>), Vec<String>> =
            Default::default();
        for g in &changed.groups {
            by_year
                .entry((g.unit.clone(), g.school_year))
                .or_default()
                .push(g.source_id.clone());
        }
        by_year
            .into_values()
            .filter(|groups| groups.len() > 1)
            .flat_map(|groups| {
                let next: Vec<String> = groups
                    .iter()
                    .cycle()
                    .skip(1)
                    .take(groups.len())
                    .cloned()
                    .collect();
                groups.into_iter().zip(next)
            })
            .collect()
    };
    let mut moves = Vec::new();
    for m in changed.memberships.iter_mut() {
        if moves.len() == CHANGES / 2 {
            break;
        }
        if m.role != MembershipRole::Pupil || m.end_date.is_some() || m.start_date >= today {
            continue;
        }
        if let Some(to) = parallel.get(&m.group) {
            m.end_date = Some(today - chrono::Duration::days(1));
            moves.push(SourceMembership {
                group: to.clone(),
                person: m.person.clone(),
                role: MembershipRole::Pupil,
                start_date: today,
                end_date: None,
            });
        }
    }
    let moved = moves.len();
    changed.memberships.extend(moves);
    for p in changed.persons.iter_mut().take(CHANGES - moved) {
        p.given_name.push_str(" Andra");
    }
    let started = std::time::Instant::now();
    let report = reconcile(&conn, municipality.id, changed, 0.1, now)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "resync {CHANGES} changes: {:.2} s ({} pupils moved, {} persons changed, memberships +{} ~{})",
        started.elapsed().as_secs_f64(),
        moved,
        report.persons.changed,
        report.memberships.added,
        report.memberships.changed,
    );
    Ok(())
}

/// Writes the people with demo accounts as the BankID test provider's list of people to pick
/// (development only: it holds test personnummer, never real ones).
async fn bankid_people(settings: Settings, path: &str) -> Result<(), String> {
    use sea_orm::{EntityTrait, QueryOrder};
    use skolportal_backend::entity::{person, user_account};
    let conn = db::connect(&settings.database)
        .await
        .map_err(|e| e.to_string())?;
    let accounts = user_account::Entity::find()
        .order_by_asc(user_account::Column::CreatedAt)
        .find_also_related(person::Entity)
        .all(&conn)
        .await
        .map_err(|e| e.to_string())?;
    let people: Vec<serde_json::Value> = accounts
        .into_iter()
        .filter_map(|(account, person)| person.map(|p| (account, p)))
        .map(|(account, p)| {
            serde_json::json!({
                "personnummer": p.personnummer,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "label": format!("demokonto {}", account.username),
            })
        })
        .collect();
    let text = serde_json::to_string_pretty(&people).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))?;
    println!(
        "{} demopersoner till BankID-testsidan: {path}",
        people.len()
    );
    Ok(())
}

/// The operator's view of the job queue (`jobs::operator`): no HTTP endpoint, so whoever runs
/// this has the database's settings already.
async fn jobs(settings: Settings, args: &[String]) -> Result<(), String> {
    use sea_orm::ActiveEnum;
    use skolportal_backend::jobs::operator;
    let conn = db::connect(&settings.database)
        .await
        .map_err(|e| e.to_string())?;
    db::migrate(&conn).await.map_err(|e| e.to_string())?;
    let now = chrono::Utc::now();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["status"] | [] => {
            println!(
                "{:<14} {:>9} {:>9} {:>9} {:>7}  next due",
                "kind", "waiting", "claimed", "done", "parked"
            );
            for k in operator::status(&conn).await.map_err(|e| e.to_string())? {
                println!(
                    "{:<14} {:>9} {:>9} {:>9} {:>7}  {}",
                    k.kind.to_value(),
                    k.waiting,
                    k.claimed,
                    k.done,
                    k.parked,
                    k.next_due
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_else(|| "-".into())
                );
            }
            Ok(())
        }
        ["parked"] => {
            let parked = operator::parked(&conn, 100)
                .await
                .map_err(|e| e.to_string())?;
            if parked.is_empty() {
                println!("Inga parkerade jobb.");
            }
            for job in parked {
                println!(
                    "{}  {:<14} attempts {:>2}  parked {}  {}",
                    job.id,
                    job.kind.to_value(),
                    job.attempts,
                    job.parked_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    job.last_error.unwrap_or_default()
                );
            }
            Ok(())
        }
        ["retry", id] => {
            let id = uuid::Uuid::parse_str(id).map_err(|_| format!("{id:?} is not a job id"))?;
            if operator::retry(&conn, id, now)
                .await
                .map_err(|e| e.to_string())?
            {
                println!("Jobbet {id} ligger i kön igen.");
                Ok(())
            } else {
                Err(format!("no parked job {id}"))
            }
        }
        ["check", count] => {
            let count: u32 = count
                .parse()
                .map_err(|_| format!("jobs check takes a count, not {count:?}"))?;
            let batch = operator::enqueue_checks(&conn, count, now)
                .await
                .map_err(|e| e.to_string())?;
            println!("{count} kontrolljobb i kön (batch {batch}); de körande instanserna tar dem.");
            Ok(())
        }
        _ => Err(format!("unknown jobs command\n{USAGE}")),
    }
}
