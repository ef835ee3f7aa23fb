//! `cargo xtask setup`: installs what the build and the tests need. Idempotent: every step
//! first checks whether the right version is already there, and prints one line.

use crate::{command, is_root, locked_version, probe, root, run_checked, Result};
use std::path::Path;
use std::process::Command;

/// Trunk builds the SPA; its version is part of the build's definition.
pub const TRUNK_VERSION: &str = "0.21.14";

/// What a command needs beyond the build tools.
#[derive(Clone, Copy)]
pub struct Needs {
    /// Chromium and chromedriver for the browser tests, PostgreSQL for the system tests.
    pub test_tools: bool,
}

impl Needs {
    pub const ALL: Needs = Needs { test_tools: true };
    pub const BUILD: Needs = Needs { test_tools: false };
}

pub fn run(needs: Needs) -> Result {
    system_packages(needs)?;
    rust_toolchain()?;
    trunk()?;
    wasm_bindgen()?;
    node_tools()?;
    // icalendar for the tests; aiosmtpd for the tests and for `run`'s local SMTP server.
    python_tools()?;
    Ok(())
}

/// Python's `icalendar` and `aiosmtpd`, in a virtual environment under tools/python/: the
/// calendar-feed tests parse the feed with a real iCalendar parser rather than ours, and the
/// notices' e-mail goes to a real SMTP server in the tests and in `cargo xtask run`.
fn python_tools() -> Result {
    let dir = root().join("tools/python");
    let venv = dir.join("venv");
    let python = venv.join("bin/python");
    let requirements = dir.join("requirements.txt");
    let wanted = std::fs::read(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = venv.join(".requirements");
    let already = python.exists() && std::fs::read(&stamp).ok() == Some(wanted.clone());
    if !already {
        run_checked(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv tools/python/venv",
        )?;
        run_checked(
            Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", "-r"])
                .arg(&requirements),
            "pip install -r tools/python/requirements.txt",
        )?;
        std::fs::write(&stamp, &wanted)
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    done("python tools (icalendar, aiosmtpd)", already);
    Ok(())
}

fn done(what: &str, already: bool) {
    let how = if already {
        "already installed"
    } else {
        "installed"
    };
    println!("✓ {what} ({how})");
}

/// Debian packages: node for the tools; Chromium, chromedriver and PostgreSQL for the tests.
fn system_packages(needs: Needs) -> Result {
    let node_missing = probe(Command::new("node").arg("--version")).is_none()
        || probe(Command::new("npm").arg("--version")).is_none();
    let browser_missing = needs.test_tools
        && !(Path::new("/usr/bin/chromium").exists()
            && Path::new("/usr/bin/chromedriver").exists());
    let postgres_missing = needs.test_tools && crate::postgres::bin_dir().is_err();

    let mut missing: Vec<&str> = Vec::new();
    if node_missing {
        missing.extend(["nodejs", "npm"]);
    }
    if browser_missing {
        missing.extend(["chromium", "chromium-driver"]);
    }
    if postgres_missing {
        missing.push("postgresql");
    }
    if !missing.is_empty() {
        // Optional (sizes in `spa` fall back to gzip), but cheap when apt runs anyway.
        if probe(Command::new("brotli").arg("--version")).is_none() {
            missing.push("brotli");
        }
        let install = format!("apt-get install -y {}", missing.join(" "));
        if !is_root() {
            return Err(format!(
                "missing system packages: {}; as root, run: apt-get update && {install}",
                missing.join(", ")
            ));
        }
        let mut update = Command::new("apt-get");
        update.arg("update");
        run_checked(&mut update, "apt-get update")?;
        let mut cmd = Command::new("apt-get");
        cmd.args(["install", "-y"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive");
        run_checked(&mut cmd, "installing system packages")?;
    }

    let node = probe(Command::new("node").arg("--version")).unwrap_or_default();
    done(&format!("node {node}"), !node_missing);
    if needs.test_tools {
        // "Chromium 156.0.8078.79 built on Debian ..." and "postgres (PostgreSQL) 15.18 (Debian ...)"
        let chromium = probe(Command::new("/usr/bin/chromium").arg("--version"))
            .ok_or("/usr/bin/chromium does not run (try: apt-get install -y chromium)")?;
        let chromium = chromium.split_whitespace().nth(1).unwrap_or_default();
        done(
            &format!("chromium {chromium} + chromedriver"),
            !browser_missing,
        );
        let pg = crate::postgres::bin_dir()?;
        let version = probe(Command::new(pg.join("postgres")).arg("--version")).unwrap_or_default();
        let version = version.split_whitespace().nth(2).unwrap_or_default();
        done(&format!("postgresql {version}"), !postgres_missing);
    }
    Ok(())
}

fn rust_toolchain() -> Result {
    const TARGET: &str = "wasm32-unknown-unknown";
    let installed = probe(command("rustup").args(["target", "list", "--installed"]))
        .ok_or("`rustup` not found; install Rust with rustup (https://rustup.rs)")?;
    let has_target = installed.lines().any(|l| l.trim() == TARGET);
    if !has_target {
        run_checked(
            command("rustup").args(["target", "add", TARGET]),
            "rustup target add",
        )?;
    }
    done(&format!("rust target {TARGET}"), has_target);

    let has_components = probe(command("cargo").args(["fmt", "--version"])).is_some()
        && probe(command("cargo").args(["clippy", "--version"])).is_some();
    if !has_components {
        run_checked(
            command("rustup").args(["component", "add", "rustfmt", "clippy"]),
            "rustup component add",
        )?;
    }
    done("rustfmt + clippy", has_components);
    Ok(())
}

/// The version a tool reports with `--version`, e.g. `trunk 0.21.14` → `0.21.14`.
fn tool_version(program: &str) -> Option<String> {
    let out = probe(command(program).arg("--version"))?;
    out.split_whitespace().nth(1).map(str::to_string)
}

fn trunk() -> Result {
    let already = tool_version("trunk").as_deref() == Some(TRUNK_VERSION);
    if !already {
        run_checked(
            command("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
            "trunk install",
        )?;
        check_version("trunk", TRUNK_VERSION)?;
    }
    done(&format!("trunk {TRUNK_VERSION}"), already);
    Ok(())
}

/// wasm-bindgen-cli must equal the wasm-bindgen library the frontend is locked to.
fn wasm_bindgen() -> Result {
    let Some(version) = locked_version("wasm-bindgen")? else {
        println!("– wasm-bindgen-cli (no wasm-bindgen in Cargo.lock; skipped)");
        return Ok(());
    };
    let already = tool_version("wasm-bindgen").as_deref() == Some(version.as_str());
    if !already {
        // Not --locked: wasm-bindgen-cli's own lockfile may not build with this toolchain.
        run_checked(
            command("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]),
            "wasm-bindgen-cli install",
        )?;
        check_version("wasm-bindgen", &version)?;
    }
    done(&format!("wasm-bindgen-cli {version}"), already);
    Ok(())
}

fn check_version(program: &str, expected: &str) -> Result {
    match tool_version(program) {
        Some(v) if v == expected => Ok(()),
        found => Err(format!(
            "after installing, `{program} --version` reports {found:?}, expected {expected}; \
             is another {program} earlier on PATH?"
        )),
    }
}

/// `npm ci` in `dir`, skipped while its node_modules matches the lockfile (a stamp holds its
/// hash). Returns whether it was already installed.
pub fn npm_ci(dir: &std::path::Path, what: &str) -> Result<bool> {
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| format!("cannot read {}/package-lock.json: {e}", dir.display()))?;
    let hash = format!("{:016x}\n", fnv1a(&lock));
    let stamp = dir.join("node_modules").join(".skolportal-lock-hash");
    let already = std::fs::read_to_string(&stamp).ok() == Some(hash.clone());
    if !already {
        let mut cmd = command("npm");
        cmd.args(["ci", "--no-audit", "--no-fund"]).current_dir(dir);
        run_checked(&mut cmd, &format!("npm ci in {what}"))?;
        std::fs::write(&stamp, &hash)
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(already)
}

/// npm tooling: tools/ (wasm-opt, axe-core) and the BankID test provider.
fn node_tools() -> Result {
    let tools = root().join("tools");
    let already = npm_ci(&tools, "tools/")? && tools.join("node_modules/.bin/wasm-opt").exists();
    let provider_already = npm_ci(
        &tools.join("bankid-test-provider"),
        "tools/bankid-test-provider/",
    )?;
    done("BankID test provider (oidc-provider)", provider_already);
    // "wasm-opt version 132 (version_132)"
    let wasm_opt_version = probe(command("wasm-opt").arg("--version"))
        .ok_or("tools/node_modules/.bin/wasm-opt does not run")?;
    let wasm_opt_version = wasm_opt_version
        .split_whitespace()
        .nth(2)
        .unwrap_or_default();
    let axe_version = std::fs::read_to_string(tools.join("node_modules/axe-core/package.json"))
        .ok()
        .and_then(|json| crate::json_string_field(&json, "version"))
        .ok_or("tools/node_modules/axe-core is missing")?;
    done(
        &format!("node tools (wasm-opt {wasm_opt_version}, axe-core {axe_version})"),
        already,
    );
    Ok(())
}

/// FNV-1a: a stable hash (std's hasher may change between Rust releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv1a_is_stable() {
        assert_eq!(super::fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
