//! `cargo xtask test`: the one command that runs every check and test (README and CI use it).
//!
//! Phases: formatting, tool setup, clippy (host and wasm), the SPA build, the server binary (for
//! the tests that kill and restart it), all host tests with the system tests on SQLite, the
//! frontend's unit tests, and the system tests again on a throwaway PostgreSQL cluster. A failing check or test phase does not stop the later ones,
//! so one run shows everything; a failing setup or SPA build does (nothing after can work).
//! Ends with a timing summary and the line `N passed, M failed` (read by CI).

use crate::{command, describe, format_duration, postgres, root, setup, spa, Result};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `test_args` (everything after `--`) go to the test binaries, e.g. a name filter.
pub fn run(args: &[String]) -> Result {
    let test_args = match args.split_first() {
        None => &[][..],
        Some((first, rest)) if first == "--" => rest,
        Some((first, _)) => {
            return Err(format!(
                "unexpected `{first}`; test binary arguments go after `--`, \
                 e.g. cargo xtask test -- login"
            ))
        }
    };
    let mut run = Run::default();
    let started = Instant::now();

    run.phase("fmt", |_| {
        checked(
            command("cargo").args(["fmt", "--all", "--", "--check"]),
            "cargo fmt --check",
        )
    });
    let setup_ok = run.phase("setup", |_| setup::run(setup::Needs::ALL));
    if setup_ok {
        run.phase("clippy (host)", |_| {
            checked(
                command("cargo").args([
                    "clippy",
                    "--workspace",
                    "--exclude",
                    "skolportal-frontend",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ]),
                "clippy (host)",
            )
        });
        run.phase("clippy (wasm)", |_| {
            checked(
                command("cargo").args([
                    "clippy",
                    "-p",
                    "skolportal-frontend",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--",
                    "-D",
                    "warnings",
                ]),
                "clippy (wasm)",
            )
        });
    }
    let spa_ok = setup_ok && run.phase("spa", |_| spa::run());
    if spa_ok {
        // The restart tests run the `skolportal` binary and build it themselves when it is
        // stale (tests/src/process.rs, same command); building it here keeps that compile from
        // competing with the browser tests for the CPU.
        // Every cargo command here selects the same packages, so that features unify the same way
        // and no dependency is built twice (a different selection rebuilt ring, sqlx and the rest).
        run.phase("server binary", |_| {
            checked(
                command("cargo").args([
                    "build",
                    "--workspace",
                    "--exclude",
                    "skolportal-frontend",
                    "--bin",
                    "skolportal",
                ]),
                "server build",
            )
        });
        // The tests run this binary instead of building it themselves from inside a test.
        let server_bin = crate::target_dir()?.join("debug").join("skolportal");
        let dist = root().join("dist");
        let dist = dist.to_string_lossy().into_owned();
        run.phase("tests (SQLite)", |counts| {
            let mut cmd = command("cargo");
            cmd.args([
                "test",
                "--no-fail-fast",
                "--workspace",
                "--exclude",
                "skolportal-frontend",
            ])
            .arg("--")
            .args(test_args)
            .env("SKOLPORTAL_TEST_DIST", &dist)
            .env("SKOLPORTAL_TEST_SERVER_BIN", &server_bin)
            .env("SKOLPORTAL_TEST_DATABASE", "sqlite");
            cargo_test(&mut cmd, counts)
        });
        run.phase("frontend unit tests", |counts| {
            let mut cmd = command("cargo");
            // Every app's texts, so that each page's unit tests find their own.
            cmd.args([
                "test",
                "--no-fail-fast",
                "-p",
                "skolportal-frontend",
                "--all-features",
                "--",
            ])
            .args(test_args);
            cargo_test(&mut cmd, counts)
        });
        run.phase("system tests (PostgreSQL)", |counts| {
            // Dropped at the end of this closure, also on error: stops and deletes the cluster.
            let cluster = postgres::Cluster::start()?;
            let mut cmd = command("cargo");
            cmd.args([
                "test",
                "--no-fail-fast",
                "--workspace",
                "--exclude",
                "skolportal-frontend",
                "--test",
                "system",
                "--",
            ])
            .args(test_args)
            .env("SKOLPORTAL_TEST_DIST", &dist)
            .env("SKOLPORTAL_TEST_SERVER_BIN", &server_bin)
            .env("SKOLPORTAL_TEST_DATABASE", "postgres")
            .env("SKOLPORTAL_TEST_POSTGRES_URL", cluster.url());
            cargo_test(&mut cmd, counts)
        });
    }

    run.summary(started.elapsed());
    if run.failed_phases().is_empty() {
        Ok(())
    } else {
        // Already reported: the count line must stay the last line of the output.
        Err(String::new())
    }
}

/// Test counts summed over every `test result:` line.
#[derive(Default, Clone, Copy, Debug, PartialEq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

#[derive(Default)]
struct Run {
    phases: Vec<(String, Duration, bool)>,
    counts: Counts,
}

impl Run {
    /// Runs one phase under a banner, records its time and outcome; returns whether it passed.
    fn phase(&mut self, name: &str, body: impl FnOnce(&mut Counts) -> Result) -> bool {
        println!("\n══ {name} ══");
        let started = Instant::now();
        let result = body(&mut self.counts);
        let ok = match result {
            Ok(()) => true,
            Err(message) => {
                eprintln!("✗ {name}: {message}");
                false
            }
        };
        self.phases.push((name.to_string(), started.elapsed(), ok));
        ok
    }

    fn failed_phases(&self) -> Vec<&str> {
        self.phases
            .iter()
            .filter(|(_, _, ok)| !ok)
            .map(|(name, _, _)| name.as_str())
            .collect()
    }

    fn summary(&self, total: Duration) {
        println!("\n══ summary ══");
        for (name, took, ok) in &self.phases {
            let mark = if *ok { "✓" } else { "✗ FAILED" };
            println!("  {name:<28} {:>12}  {mark}", format_duration(*took));
        }
        println!("  {:<28} {:>12}", "total", format_duration(total));
        let failed = self.failed_phases();
        if !failed.is_empty() {
            println!("FAILED: {}", failed.join(", "));
        }
        println!(
            "{} passed, {} failed",
            self.counts.passed, self.counts.failed
        );
    }
}

fn checked(cmd: &mut Command, what: &str) -> Result {
    crate::run_checked(cmd, what)
}

/// Runs a `cargo test` command, echoing its output and adding its counts to `counts`.
/// (Callers pass `--no-fail-fast`, so every test binary runs and the counts are complete.)
fn cargo_test(cmd: &mut Command, counts: &mut Counts) -> Result {
    println!("▶ {}", describe(cmd));
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    let mut ours = Counts::default();
    if let Some(stdout) = child.stdout.take() {
        let mut out = std::io::stdout();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
            if let Some(c) = parse_test_result(&line) {
                ours.passed += c.passed;
                ours.failed += c.failed;
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo test: {e}"))?;
    counts.passed += ours.passed;
    counts.failed += ours.failed;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{}` failed ({status}): {} passed, {} failed",
            describe(cmd),
            ours.passed,
            ours.failed
        ))
    }
}

/// Parses libtest's `test result: ok. 12 passed; 1 failed; 0 ignored; ...`.
fn parse_test_result(line: &str) -> Option<Counts> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let mut counts = Counts::default();
    for part in rest.split([';', '.']) {
        let mut words = part.split_whitespace();
        let (Some(number), Some(label)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(number) = number.parse::<u64>() else {
            continue;
        };
        match label {
            "passed" => counts.passed = number,
            "failed" => counts.failed = number,
            _ => {}
        }
    }
    Some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_libtest_result_lines() {
        let ok = "test result: ok. 12 passed; 0 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.52s";
        assert_eq!(
            parse_test_result(ok),
            Some(Counts {
                passed: 12,
                failed: 0
            })
        );
        let failed = "test result: FAILED. 7 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.00s";
        assert_eq!(
            parse_test_result(failed),
            Some(Counts {
                passed: 7,
                failed: 2
            })
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
