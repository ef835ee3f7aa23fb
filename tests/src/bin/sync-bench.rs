//! `sync-bench --database-url URL [--scale demo|stockholm] [--changes N]`: the SS 12000 sync
//! measured over HTTP, for `cargo xtask bench sync`. The local source serves the demo of the
//! scale; the portal (an empty database but the municipality) loads it with a full sync through
//! its client, mapping and reconciliation; then the source changes N persons (renamed) and an
//! incremental sync follows. Prints one line per figure.

use std::time::Instant;

use sea_orm::TransactionTrait;
use serde_json::json;
use skolportal_backend::demo::{generate, DemoOptions, Scale};
use skolportal_backend::entity::source_sync_run::{SyncOutcome, SyncScope};
use skolportal_backend::population::import::import_snapshot;
use skolportal_backend::population::snapshot::Snapshot;
use skolportal_backend::ss12000::Ss12000Client;
use skolportal_backend::sync::{self, SyncCounts, SyncRequest};
use skolportal_tests::ss12000_source::Ss12000Source;

struct Args {
    url: String,
    scale: Scale,
    changes: usize,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        url: String::new(),
        scale: Scale::Stockholm,
        changes: 1000,
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--database-url" => out.url = value.clone(),
            "--scale" => out.scale = value.parse()?,
            "--changes" => {
                out.changes = value
                    .parse()
                    .map_err(|_| format!("--changes takes a number, not {value:?}"))?;
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if out.url.is_empty() {
        return Err("--database-url is needed".into());
    }
    Ok(out)
}

async fn sync_once(
    db: &sea_orm::DatabaseConnection,
    client: &Ss12000Client,
    municipality: uuid::Uuid,
    scope: SyncScope,
) -> Result<(f64, SyncCounts), String> {
    let started = Instant::now();
    let txn = db.begin().await.map_err(|e| e.to_string())?;
    let run = sync::run(
        &txn,
        client,
        municipality,
        SyncRequest::scheduled(scope),
        1.0,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| e.to_string())?;
    txn.commit().await.map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    if run.outcome != SyncOutcome::Completed {
        return Err(format!(
            "the sync did not complete: {:?} {:?}",
            run.outcome, run.error
        ));
    }
    let counts = run
        .report
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    Ok((seconds, counts))
}

async fn bench(args: Args) -> Result<(), String> {
    let today = chrono::Utc::now().date_naive();
    let demo = generate(DemoOptions {
        seed: 2026,
        scale: args.scale,
        today,
        schedules: false,
    })
    .map_err(|e| e.to_string())?;
    let source = Ss12000Source::start().await;
    let started = Instant::now();
    skolportal_tests::ss12000_fixture::load(&source, &demo.snapshot);
    eprintln!("source loaded in {:.1} s", started.elapsed().as_secs_f64());

    let db = sea_orm::Database::connect(&args.url)
        .await
        .map_err(|e| e.to_string())?;
    skolportal_backend::db::migrate(&db)
        .await
        .map_err(|e| e.to_string())?;
    let only_municipality = Snapshot {
        municipality: demo.snapshot.municipality.clone(),
        ..Default::default()
    };
    let municipality = import_snapshot(&db, only_municipality, None, chrono::Utc::now())
        .await
        .map_err(|e| e.to_string())?
        .municipality_id;
    let mut settings = source.settings_for("9999").client;
    settings.page_size = 1000;
    let client = Ss12000Client::new(settings).map_err(|e| e.to_string())?;

    let (full, counts) = sync_once(&db, &client, municipality, SyncScope::Full).await?;
    let r = &counts.reconciled;
    println!(
        "SS 12000 full sync over HTTP:        {full:>6.1} s  ({} persons, {} guardianships, {} memberships, {} enrolments, {} placements, {} duties added; {} kept out)",
        r.persons.added,
        r.guardianships.added,
        r.memberships.added,
        r.enrolments.added,
        r.placements.added,
        r.duties.added,
        r.refused_protected + r.refused_invalid,
    );
    let (quiet, counts) = sync_once(&db, &client, municipality, SyncScope::Incremental).await?;
    if !counts.reconciled.is_unchanged() {
        return Err(format!("nothing changed, yet the sync did: {counts:?}"));
    }
    println!("SS 12000 incremental, no changes:    {quiet:>6.1} s");

    // N persons renamed at the source (adults, so that their records stay admitted).
    let mut changed = 0;
    for p in demo.snapshot.persons.iter().filter(|p| {
        p.security_marking == skolportal_backend::population::admission::SecurityMarking::None
    }) {
        if changed == args.changes {
            break;
        }
        let Ok(id) = p.source_id.parse() else {
            continue;
        };
        let Some(mut record) = source.get("persons", id) else {
            continue;
        };
        record["givenName"] = json!(format!("{}a", p.given_name));
        source.put("persons", record);
        changed += 1;
    }
    let (incremental, counts) =
        sync_once(&db, &client, municipality, SyncScope::Incremental).await?;
    println!(
        "SS 12000 incremental, {changed} changes: {incremental:>6.1} s  ({} persons changed)",
        counts.reconciled.persons.changed
    );
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse(&args) {
        Ok(args) => args,
        Err(problem) => {
            eprintln!("sync-bench: {problem}");
            return std::process::ExitCode::from(2);
        }
    };
    // The sync logs where its time goes.
    skolportal_backend::telemetry::init(&skolportal_backend::settings::LogSettings {
        level: "warn,skolportal_backend::sync=info".into(),
        ..Default::default()
    });
    match bench(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("sync-bench: {problem}");
            std::process::ExitCode::FAILURE
        }
    }
}
