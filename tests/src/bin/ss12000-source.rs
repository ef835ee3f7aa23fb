//! `ss12000-source [--listen ADDR] [--seed N] [--scale demo|stockholm] [--today YYYY-MM-DD]`:
//! the local SS 12000 source serving the demo municipality in the standard's shapes, for
//! `cargo xtask run` (the portal loads and then follows the demo through it) and the benchmark.
//! Runs until stopped.

use chrono::NaiveDate;
use skolportal_backend::demo::{generate, DemoOptions, Scale};
use skolportal_tests::ss12000_source::{Ss12000Source, CLIENT_ID, CLIENT_SECRET};

fn parse(args: &[String]) -> Result<(String, DemoOptions), String> {
    let mut listen = "127.0.0.1:8099".to_owned();
    let mut options = DemoOptions {
        seed: 2026,
        scale: Scale::Demo,
        today: chrono::Utc::now().date_naive(),
        schedules: false,
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--listen" => listen = value.clone(),
            "--seed" => {
                options.seed = value
                    .parse()
                    .map_err(|_| format!("--seed takes a number, not {value:?}"))?;
            }
            "--scale" => {
                options.scale = match value.as_str() {
                    "demo" => Scale::Demo,
                    "stockholm" => Scale::Stockholm,
                    other => return Err(format!("unknown scale {other:?}")),
                };
            }
            "--today" => {
                options.today = NaiveDate::parse_from_str(value, "%Y-%m-%d")
                    .map_err(|_| format!("--today takes YYYY-MM-DD, not {value:?}"))?;
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok((listen, options))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (listen, options) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(problem) => {
            eprintln!("ss12000-source: {problem}");
            return std::process::ExitCode::from(2);
        }
    };
    let demo = match generate(options) {
        Ok(demo) => demo,
        Err(e) => {
            eprintln!("ss12000-source: the demo municipality: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let source = Ss12000Source::start_on(&listen).await;
    skolportal_tests::ss12000_fixture::load(&source, &demo.snapshot);
    println!(
        "SS 12000 source: {} (token: {}, client {CLIENT_ID} / {CLIENT_SECRET})",
        source.base_url, source.token_url
    );
    std::future::pending::<()>().await;
    std::process::ExitCode::SUCCESS
}
