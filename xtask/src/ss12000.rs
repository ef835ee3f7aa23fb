//! The local SS 12000 source for `cargo xtask run`: the tests' server (`tests/src/bin/
//! ss12000-source.rs`) serving the demo municipality in the standard's shapes on a fixed
//! loopback port. The portal loads the demo through it (`skolportal seed` with `[ss12000]` set)
//! and follows it afterwards, as it would a municipality's school administration system.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::{command, root, run_checked, target_dir, Result};

/// The source's port.
pub const PORT: u16 = 8099;
const CLIENT_ID: &str = "skolportal";
const CLIENT_SECRET: &str = "local-ss12000-secret";

/// The day the demo was made for, kept in `data/`: the source must serve the demo of the day
/// the database was seeded, or the next sync would see every dated relation move.
fn demo_day(data: &Path) -> Result<String> {
    let file = data.join("demo-day");
    if let Ok(day) = std::fs::read_to_string(&file) {
        return Ok(day.trim().to_owned());
    }
    let day = chrono_free_today()?;
    std::fs::write(&file, &day).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(day)
}

/// Today's date (UTC) without a date crate in the xtask: `date` is on every machine we run on.
fn chrono_free_today() -> Result<String> {
    let out = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .map_err(|e| format!("cannot run `date`: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Builds and starts the source serving the demo of `seed_args` (`--seed`, `--scale`), and sets
/// the portal's `[ss12000]` settings on `commands` to follow it.
pub fn start(data: &Path, seed_args: &[String], commands: &mut [&mut Command]) -> Result<Child> {
    run_checked(
        command("cargo").args(["build", "-p", "skolportal-tests", "--bin", "ss12000-source"]),
        "the local SS 12000 source's build",
    )?;
    let binary = target_dir()?.join("debug").join("ss12000-source");
    let day = demo_day(data)?;
    let mut child = Command::new(&binary)
        .current_dir(root())
        .args(["--listen", &format!("127.0.0.1:{PORT}"), "--today", &day])
        .args(seed_args)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let stdout = child
        .stdout
        .take()
        .ok_or("the SS 12000 source has no stdout")?;
    match BufReader::new(stdout).lines().next() {
        Some(Ok(line)) if line.starts_with("SS 12000 source:") => {
            println!("✓ {line}");
        }
        _ => {
            let _ = child.kill();
            return Err("the local SS 12000 source did not start (see its messages above)".into());
        }
    }
    let base = format!("http://127.0.0.1:{PORT}");
    for c in commands.iter_mut() {
        c.env("SKOLPORTAL_SS12000__MUNICIPALITY_CODE", "9999")
            .env("SKOLPORTAL_SS12000__BASE_URL", format!("{base}/v2.1"))
            .env("SKOLPORTAL_SS12000__TOKEN_URL", format!("{base}/token"))
            .env("SKOLPORTAL_SS12000__CLIENT_ID", CLIENT_ID)
            .env("SKOLPORTAL_SS12000__CLIENT_SECRET", CLIENT_SECRET);
    }
    Ok(child)
}
