//! `cargo xtask run`: the demo on this machine. Sets up the build tools, builds the SPA and
//! the server, starts the local SS 12000 source, seeds the demo municipality through it (when
//! the database is empty) and serves it, following the source.

use crate::{bankid, command, root, run_checked, setup, spa, ss12000, target_dir, Result};
use std::process::Command;

/// `seed_args` go to `skolportal seed`, e.g. `--scale stockholm --seed 7`.
pub fn run(seed_args: &[String]) -> Result {
    setup::run(setup::Needs::BUILD)?;
    spa::run()?;
    run_checked(
        command("cargo").args(["build", "--release", "-p", "skolportal-backend"]),
        "server build",
    )?;
    let server = target_dir()?.join("release").join("skolportal");
    if !server.exists() {
        return Err(format!(
            "{} is missing after the build; is the backend's binary named `skolportal`?",
            server.display()
        ));
    }
    let data = root().join("data");
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;

    let mut seed = Command::new(&server);
    seed.current_dir(root()).arg("seed").args(seed_args);
    let mut serve = Command::new(&server);
    serve.current_dir(root()).arg("serve");
    // The demo comes through the local SS 12000 source, and the portal follows it (its sync on
    // the officer's page). It lives as long as this process group.
    let _source = ss12000::start(&data, seed_args, &mut [&mut seed, &mut serve])?;
    run_checked(&mut seed, "seeding the demo data")?;

    let listen =
        std::env::var("SKOLPORTAL_SERVER__LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let portal = std::env::var("SKOLPORTAL_SERVER__PUBLIC_BASE_URL")
        .unwrap_or_else(|_| format!("http://{listen}"));
    let people = data.join("bankid-people.json");
    let mut export = Command::new(&server);
    export.current_dir(root()).arg("bankid-people").arg(&people);
    run_checked(&mut export, "listing the demo people for the BankID page")?;
    // The provider lives as long as this process group: Ctrl-C stops it with the server.
    let _provider = bankid::start(&portal, &people)?;
    let mail = mail_sink(&data)?;

    println!();
    println!("Skolportal: {portal}/   (Ctrl-C stops it)");
    println!("Logga in med ett demokonto ovan, eller med BankID (testsidan visar demopersonerna).");
    if let Some((url, maildir)) = mail {
        println!(
            "Notiser med e-post går till en lokal SMTP-server ({url}) och sparas i {}.",
            maildir.display()
        );
        serve.env("SKOLPORTAL_NOTICES__SMTP_URL", url);
    }
    exec(serve)
}

/// A local SMTP server for the notices' e-mail (Python's aiosmtpd from `tools/python/venv`),
/// writing each mail to the maildir `data/mail`, unless an SMTP server is set already. It lives
/// as long as this process group, as the BankID provider does.
fn mail_sink(data: &std::path::Path) -> Result<Option<(String, std::path::PathBuf)>> {
    if std::env::var_os("SKOLPORTAL_NOTICES__SMTP_URL").is_some() {
        return Ok(None);
    }
    let maildir = data.join("mail");
    for sub in ["tmp", "new", "cur"] {
        std::fs::create_dir_all(maildir.join(sub))
            .map_err(|e| format!("cannot create {}: {e}", maildir.display()))?;
    }
    const LISTEN: &str = "127.0.0.1:2525";
    let python = root().join("tools/python/venv/bin/python");
    Command::new(&python)
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            LISTEN,
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(&maildir)
        .spawn()
        .map_err(|e| {
            format!(
                "cannot start the local SMTP server ({}): {e}",
                python.display()
            )
        })?;
    Ok(Some((format!("smtp://{LISTEN}"), maildir)))
}

/// Replaces this process with `cmd`, so Ctrl-C and the exit status are the server's own.
#[cfg(unix)]
fn exec(mut cmd: Command) -> Result {
    use std::os::unix::process::CommandExt;
    let error = cmd.exec(); // returns only on failure
    Err(format!("cannot start `{}`: {error}", crate::describe(&cmd)))
}

#[cfg(not(unix))]
fn exec(mut cmd: Command) -> Result {
    run_checked(&mut cmd, "the server")
}
