//! `cargo xtask spa`: builds the apps (families, staff, officers, administration, account, childcare,
//! talks, kiosk; see frontend/src/app.rs)
//! with Trunk into dist/ and reports each one's size.

use crate::{command, probe, root, run_checked, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

/// The apps besides the families' (the root index.html, Trunk's default target): the HTML each
/// is built from, and the shell it becomes in dist/ (the backend serves it under its prefix).
const OTHER_APPS: &[(&str, &str)] = &[
    ("frontend/apps/personal.html", "personal.html"),
    ("frontend/apps/handlaggare.html", "handlaggare.html"),
    ("frontend/apps/administration.html", "administration.html"),
    ("frontend/apps/konto.html", "konto.html"),
    ("frontend/apps/barnomsorg.html", "barnomsorg.html"),
    ("frontend/apps/samtal.html", "samtal.html"),
    ("frontend/apps/kiosk.html", "kiosk.html"),
];

/// Every app's shell in dist/, with the audience it is for.
pub const SHELLS: &[(&str, &str)] = &[
    ("index.html", "families"),
    ("personal.html", "staff"),
    ("handlaggare.html", "officers"),
    ("administration.html", "administration"),
    ("konto.html", "account"),
    ("barnomsorg.html", "childcare"),
    ("samtal.html", "talks"),
    ("kiosk.html", "kiosk"),
];

/// Builds dist/ unless it is newer than every input, then prints the asset sizes.
pub fn run() -> Result {
    let root = root();
    let dist = root.join("dist");
    if is_up_to_date(&root, &dist) {
        println!("SPA up to date");
    } else {
        trunk_build(None, &dist)?;
        minify_glue(&dist.join("index.html"), &dist)?;
        // Each other app is built on its own and its files merged into dist/: the hashed names
        // keep them apart, and a file both have (the stylesheet) is the same file.
        for (html, shell) in OTHER_APPS {
            let out = root.join("target").join("spa").join(shell);
            trunk_build(Some(&root.join(html)), &out)?;
            minify_glue(&out.join("index.html"), &out)?;
            for entry in std::fs::read_dir(&out)
                .map_err(|e| format!("cannot read {}: {e}", out.display()))?
                .flatten()
            {
                let name = entry.file_name();
                let to = if name == "index.html" {
                    dist.join(shell)
                } else {
                    dist.join(&name)
                };
                if entry.path().is_file() {
                    std::fs::copy(entry.path(), &to)
                        .map_err(|e| format!("cannot copy to {}: {e}", to.display()))?;
                }
            }
        }
    }
    print_sizes(&dist).map(|_| ())
}

pub fn trunk_build(target: Option<&Path>, dist: &Path) -> Result {
    let mut cmd = command("trunk");
    cmd.arg("build");
    if let Some(target) = target {
        cmd.arg(target);
    }
    cmd.arg("--release")
        .arg("--dist")
        .arg(dist)
        // The update check would reach for the network on every build.
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    run_checked(&mut cmd, "SPA build (trunk)")
}

/// Minifies wasm-bindgen's JS glue with terser (tools/) and puts its new hash into the
/// `integrity` attribute Trunk wrote into the app's shell `index_path`. Trunk's own JS minifier
/// gives up on the glue ("RequiredTokenNotFound" at its `export default`) and ships it as
/// written; terser saves about 1.7 KB of brotli. The shell is written last, so a failure leaves
/// the build stale, not broken.
pub fn minify_glue(index_path: &Path, dist: &Path) -> Result {
    let index_path = index_path.to_path_buf();
    let mut index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    // The service worker is not glue: the server writes into it, and it is small.
    let glues = files_with_extension(dist, "js")?
        .into_iter()
        .filter(|path| path.file_name().is_some_and(|name| name != "sw.js"));
    for glue in glues {
        let minified = glue.with_extension("js.terser");
        let mut terser = command("terser");
        terser
            .arg(&glue)
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(&minified);
        run_checked(
            &mut terser,
            "minifying the JS glue (terser; `cargo xtask setup` installs it)",
        )?;
        let (before, after) = (sha384_base64(&glue)?, sha384_base64(&minified)?);
        let old_integrity = format!("sha384-{before}");
        if index.matches(&old_integrity).count() != 1 {
            return Err(format!(
                "{} does not name {} with integrity {old_integrity} once",
                index_path.display(),
                glue.display()
            ));
        }
        index = index.replace(&old_integrity, &format!("sha384-{after}"));
        std::fs::rename(&minified, &glue)
            .map_err(|e| format!("cannot replace {}: {e}", glue.display()))?;
    }
    std::fs::write(&index_path, index)
        .map_err(|e| format!("cannot write {}: {e}", index_path.display()))
}

/// The SHA-384 of a file in base64, as subresource integrity wants it; node does the hashing,
/// which keeps xtask free of crates.
fn sha384_base64(path: &Path) -> Result<String> {
    const SCRIPT: &str = "const fs = require('node:fs'), crypto = require('node:crypto'); \
        process.stdout.write(crypto.createHash('sha384').update(fs.readFileSync(process.argv[1])).digest('base64'))";
    let mut node = command("node");
    node.args(["-e", SCRIPT]).arg(path);
    probe(&mut node)
        .filter(|hash| !hash.is_empty())
        .ok_or_else(|| format!("cannot hash {} with node", path.display()))
}

/// The files in `dir` whose name ends in `.extension`, sorted.
pub fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(extension))
        .collect();
    files.sort();
    Ok(files)
}

/// What the SPA is built from.
fn inputs(root: &Path) -> Vec<PathBuf> {
    [
        "frontend",
        "shared/src",
        "shared/Cargo.toml",
        // The workspace manifest holds the `release-wasm` profile.
        "Cargo.toml",
        "index.html",
        "Trunk.toml",
        "Cargo.lock",
    ]
    .iter()
    .map(|p| root.join(p))
    .collect()
}

fn is_up_to_date(root: &Path, dist: &Path) -> bool {
    if SHELLS.iter().any(|(shell, _)| !dist.join(shell).exists()) {
        return false;
    }
    let mut outputs = Vec::new();
    collect_files(dist, &mut outputs);
    let Some(oldest_output) = outputs.iter().filter_map(|p| modified(p)).min() else {
        return false;
    };
    let mut sources = Vec::new();
    for input in inputs(root) {
        collect_files(&input, &mut sources);
    }
    sources
        .iter()
        .all(|p| modified(p).is_some_and(|t| t < oldest_output))
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// All files under `path` (or `path` itself), skipping build output directories.
fn collect_files(path: &Path, files: &mut Vec<PathBuf>) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.is_file() {
        files.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if matches!(name.to_str(), Some("target" | "dist" | "node_modules")) {
            continue;
        }
        collect_files(&entry.path(), files);
    }
}

/// Prints, per app, the raw and compressed sizes of the wasm and JS its shell loads (what a
/// phone downloads), and returns the largest app's totals (the budget is per app).
pub fn print_sizes(dist: &Path) -> Result<(u64, u64)> {
    let mut largest = (0, 0);
    for (shell, audience) in SHELLS {
        let html = std::fs::read_to_string(dist.join(shell))
            .map_err(|e| format!("cannot read {}: {e}", dist.join(shell).display()))?;
        let mut assets: Vec<PathBuf> = std::fs::read_dir(dist)
            .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js")))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| html.contains(n))
            })
            .collect();
        assets.sort();
        println!("  {audience} ({shell})");
        let totals = print_app_sizes(&assets);
        if totals.1 > largest.1 {
            largest = totals;
        }
    }
    Ok(largest)
}

pub fn print_app_sizes(assets: &[PathBuf]) -> (u64, u64) {
    let brotli = probe(Command::new("brotli").arg("--version")).is_some();
    let label = if brotli { "brotli" } else { "gzip -9" };
    let (mut total_raw, mut total_compressed) = (0, 0);
    for asset in assets {
        let raw = std::fs::metadata(asset).map(|m| m.len()).unwrap_or(0);
        let packed = compressed_size(asset, brotli);
        total_raw += raw;
        total_compressed += packed.unwrap_or(0);
        let compressed = packed
            .map(|n| format!("{:>10} {label}", human(n)))
            .unwrap_or_else(|| format!("{label} failed"));
        let name = asset.file_name().unwrap_or_default().to_string_lossy();
        println!("  {name:<48} {:>10} raw  {compressed}", human(raw));
    }
    if !brotli {
        println!("  (install the Debian package `brotli` for brotli sizes)");
    }
    println!(
        "  {:<48} {:>10} raw  {:>10} {label} ({total_compressed} bytes)",
        "total",
        human(total_raw),
        human(total_compressed)
    );
    (total_raw, total_compressed)
}

fn compressed_size(path: &Path, brotli: bool) -> Option<u64> {
    let mut cmd = if brotli {
        let mut cmd = Command::new("brotli");
        cmd.args(["-c", "-q", "11"]);
        cmd
    } else {
        let mut cmd = Command::new("gzip");
        cmd.args(["-9", "-c"]);
        cmd
    };
    let output = cmd.arg(path).stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then_some(output.stdout.len() as u64)
}

fn human(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_well() {
        assert_eq!(super::human(512), "512 B");
        assert_eq!(super::human(2048), "2.0 KiB");
        assert_eq!(super::human(3 * 1024 * 1024), "3.00 MiB");
    }
}
