//! The local BankID test provider (`tools/bankid-test-provider`) for `cargo xtask run`: started
//! on a fixed loopback port with the demo accounts' people on its BankID page, so that "Logga in
//! med BankID" works out of the box.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::{command, root, Result};

/// The provider's port; the backend's default `bankid.issuer_url` points here.
pub const PORT: u16 = 8090;

/// Starts the provider unless one already answers on its port. `portal` is the portal's base
/// URL (for the redirect URIs and its JWKS).
pub fn start(portal: &str, people_file: &Path) -> Result<Option<Child>> {
    if TcpStream::connect_timeout(&([127, 0, 0, 1], PORT).into(), Duration::from_millis(300))
        .is_ok()
    {
        println!("✓ BankID test provider already running on http://127.0.0.1:{PORT}");
        return Ok(None);
    }
    let dir = root().join("tools").join("bankid-test-provider");
    let keys = root().join("data").join("bankid-provider-keys.json");
    let mut child = command("node")
        .arg(dir.join("server.mjs"))
        .env("PORT", PORT.to_string())
        .env("CLIENT_ID", "skolportal")
        .env("CLIENT_JWKS_URI", format!("{portal}/api/auth/jwks"))
        .env(
            "REDIRECT_URIS",
            format!("{portal}/api/auth/bankid/callback,{portal}/api/sign/callback"),
        )
        .env("PEOPLE_FILE", people_file)
        .env("KEYS_FILE", keys)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the BankID test provider (node): {e}"))?;
    let stdout = child
        .stdout
        .take()
        .ok_or("the BankID test provider has no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    match lines.next() {
        Some(Ok(line)) if line.starts_with("BANKID_TEST_PROVIDER_READY") => {
            println!("✓ BankID test provider on http://127.0.0.1:{PORT}");
            Ok(Some(child))
        }
        _ => {
            let _ = child.kill();
            Err("the BankID test provider did not start (see its messages above)".into())
        }
    }
}
