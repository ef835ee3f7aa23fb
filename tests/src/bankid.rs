//! The local BankID test provider (`tools/bankid-test-provider`, the npm package oidc-provider) as
//! a child process on a free port, for tests that log in or sign with BankID.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct BankIdProvider {
    pub issuer: String,
    child: Child,
}

impl Drop for BankIdProvider {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/bankid-test-provider")
}

impl BankIdProvider {
    /// Starts the provider for a portal at `portal` (e.g. `http://127.0.0.1:4321`).
    pub async fn start(portal: &str, people_file: Option<&std::path::Path>) -> Self {
        let dir = provider_dir();
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "the BankID test provider is not installed: run `cargo xtask setup` (npm ci in {})",
            dir.display()
        );
        let mut command = Command::new("node");
        command
            .arg(dir.join("server.mjs"))
            .env("PORT", "0")
            .env("CLIENT_ID", "skolportal")
            .env("CLIENT_JWKS_URI", format!("{portal}/api/auth/jwks"))
            .env(
                "REDIRECT_URIS",
                format!("{portal}/api/auth/bankid/callback,{portal}/api/sign/callback"),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        if let Some(people) = people_file {
            command.env("PEOPLE_FILE", people);
        }
        let mut child = command.spawn().expect("start node (is Node.js installed?)");
        let stdout = child.stdout.take().expect("provider stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(issuer) = line.strip_prefix("BANKID_TEST_PROVIDER_READY ") {
                    return Some(issuer.trim().to_owned());
                }
            }
            None
        })
        .await;
        let issuer = match ready {
            Ok(Some(issuer)) => issuer,
            _ => panic!("the BankID test provider did not start"),
        };
        // Keep draining stdout so the provider never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { issuer, child }
    }
}
