//! Project automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! Std and serde_json only, so that it builds in seconds on a fresh machine. One file per
//! concern: `setup` installs the tools, `spa` builds the single-page app, `run` serves the demo,
//! `test` runs every check and test, `postgres` manages throwaway PostgreSQL clusters, `bench`
//! and `lighthouse` measure.

mod bankid;
mod bench;
mod lighthouse;
mod postgres;
mod run;
mod setup;
mod spa;
mod ss12000;
mod test;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Every fallible step returns a message for the user; `main` prints it (unless it is empty:
/// then it was reported already).
pub type Result<T = (), E = String> = std::result::Result<T, E>;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup            install the build and test tools (idempotent)
  spa              build the single-page app into dist/ (skipped when up to date)
  run [SEED ARGS]  set up, build, seed the demo municipality and serve it;
                   SEED ARGS go to `skolportal seed`, e.g. --scale stockholm --seed 7
  bench [PART]     measure (prints figures; not a test). PART `http`: load the stockholm
                   scale into PostgreSQL, /api/children against /api/health with wrk;
                   `jobs`: the job queue, two processes, 10 000 jobs, one SIGKILLed;
                   `lighthouse`: Lighthouse (mobile) on the login page and a guardian's
                   first page beside a minimal Yew app's. Without PART, all three
  test [-- ARGS]   run every check and test: fmt, clippy, unit, system tests on SQLite
                   and PostgreSQL; ARGS (e.g. a test name filter) go to the test binaries
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("setup") => no_args("setup", &rest).and_then(|()| setup::run(setup::Needs::ALL)),
        Some("spa") => no_args("spa", &rest).and_then(|()| spa::run()),
        Some("run") => run::run(&rest),
        Some("test") => test::run(&rest),
        Some("bench") => bench::run(&rest),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

fn no_args(command: &str, rest: &[String]) -> Result {
    match rest.first() {
        None => Ok(()),
        Some(arg) => Err(format!("`{command}` takes no arguments (got `{arg}`)")),
    }
}

/// The workspace root: the parent of this crate's directory.
pub fn root() -> PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR at run time too; prefer it over the compile-time
    // path so that a binary reused from a shared target directory points at this clone.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => home_dir().join(".cargo").join("bin"),
    }
}

fn home_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"))
}

/// PATH for every child process: the node tools (wasm-opt) and cargo-installed binaries
/// (trunk, wasm-bindgen) first, then the inherited PATH.
pub fn tool_path() -> OsString {
    let mut dirs = vec![
        root().join("tools").join("node_modules").join(".bin"),
        cargo_bin_dir(),
    ];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command that runs in the workspace root with [`tool_path`] as its PATH.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root()).env("PATH", tool_path());
    cmd
}

/// The command line as a human would type it (for logs and error messages).
pub fn describe(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains([' ', '"', '\'']) {
            line.push_str(&format!(" '{arg}'"));
        } else {
            line.push(' ');
            line.push_str(&arg);
        }
    }
    line
}

/// Runs `cmd` with inherited stdio, echoing it first; fails with "`what` failed; see above".
pub fn run_checked(cmd: &mut Command, what: &str) -> Result {
    println!("▶ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("{what}: cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status}); see above"))
    }
}

/// The stdout of `cmd`, which must run and succeed; its stderr is the error otherwise (for the
/// benches' own programs, whose figures are printed with the rest).
pub fn output_of(cmd: &mut Command, what: &str) -> Result<String> {
    let output = cmd
        .output()
        .map_err(|e| format!("{what}: cannot start `{}`: {e}", describe(cmd)))?;
    if !output.status.success() {
        return Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The trimmed stdout of `cmd` when it runs and succeeds, else `None` (for version probes).
pub fn probe(cmd: &mut Command) -> Option<String> {
    let output = cmd.stderr(std::process::Stdio::null()).output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Whether this process runs as root (the CI and the sessions do).
pub fn is_root() -> bool {
    probe(Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// Cargo's target directory (respects CARGO_TARGET_DIR and config), asked from cargo itself.
pub fn target_dir() -> Result<PathBuf> {
    let mut cmd = command("cargo");
    cmd.args(["metadata", "--no-deps", "--format-version", "1"]);
    let json =
        probe(&mut cmd).ok_or("`cargo metadata` failed; is the workspace manifest valid?")?;
    json_string_field(&json, "target_directory")
        .map(PathBuf::from)
        .ok_or_else(|| "`cargo metadata` printed no target_directory".to_string())
}

/// The value of the first `"field":"..."` in a JSON text, unescaped (enough for paths).
pub fn json_string_field(json: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\":");
    let start = json.find(&key)? + key.len();
    let rest = json[start..].trim_start().strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other), // \" \\ \/
            },
            c => value.push(c),
        }
    }
    None
}

/// The version of `package` in Cargo.lock (the first one, if several).
pub fn locked_version(package: &str) -> Result<Option<String>> {
    let lock_path = root().join("Cargo.lock");
    if !lock_path.exists() {
        // Resolving the workspace writes Cargo.lock.
        let mut cmd = command("cargo");
        cmd.args(["metadata", "--format-version", "1"])
            .stdout(std::process::Stdio::null());
        run_checked(&mut cmd, "resolving the workspace (cargo metadata)")?;
    }
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(Some(version.to_string()));
            }
        }
    }
    Ok(None)
}

/// "1.2 s" / "3 min 04 s".
pub fn format_duration(d: std::time::Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        let whole = d.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_field_is_found_and_unescaped() {
        let json = r#"{"packages":[],"target_directory":"/tmp/a \"b\"\\c","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some(r#"/tmp/a "b"\c"#)
        );
        assert_eq!(json_string_field(json, "missing"), None);
    }

    #[test]
    fn durations_read_well() {
        use std::time::Duration;
        assert_eq!(format_duration(Duration::from_millis(1234)), "1.2 s");
        assert_eq!(format_duration(Duration::from_secs(184)), "3 min 04 s");
    }
}
