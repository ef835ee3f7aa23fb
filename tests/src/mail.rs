//! A real local SMTP server for the notices tests: Python's `aiosmtpd` (installed by
//! `cargo xtask setup` in `tools/python/venv`) writing every mail it takes to a maildir, which
//! the test reads back with Python's own e-mail parser (headers decoded, body as text).

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One mail as the SMTP server received it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Mail {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub body: String,
}

pub struct MailSink {
    pub port: u16,
    dir: tempfile::TempDir,
    server: Option<Child>,
}

fn python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/python/venv/bin/python")
}

impl MailSink {
    /// Starts the server on a free port and waits until it takes connections.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("maildir");
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("maildir folders");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut sink = Self {
            port,
            dir,
            server: None,
        };
        sink.resume();
        sink
    }

    /// `smtp://127.0.0.1:<port>`, for `notices.smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops the server, as an SMTP server that goes down: connections are refused.
    pub fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.kill();
            let _ = server.wait();
        }
    }

    /// Starts the server again on the same port and maildir.
    pub fn resume(&mut self) {
        let python = python();
        assert!(
            python.exists(),
            "{} is missing: run `cargo xtask setup`",
            python.display()
        );
        let server = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        self.server = Some(server);
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every mail received so far, in no particular order.
    pub fn mails(&self) -> Vec<Mail> {
        let script = r#"
import email, email.policy, json, os, sys
out = []
folder = os.path.join(sys.argv[1], 'new')
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), 'rb') as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    out.append({'from': str(m['From']), 'to': str(m['To']), 'subject': str(m['Subject']),
                'message_id': str(m['Message-ID']), 'body': m.get_body(('plain',)).get_content()})
print(json.dumps(out))
"#;
        let output = Command::new(python())
            .args(["-c", script])
            .arg(self.dir.path())
            .output()
            .expect("read the maildir");
        assert!(
            output.status.success(),
            "reading the maildir failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).expect("the maildir as JSON")
    }

    /// Waits up to `within` for at least `count` mails.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Mail> {
        let deadline = Instant::now() + within;
        loop {
            let mails = self.mails();
            if mails.len() >= count || Instant::now() >= deadline {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        self.stop();
    }
}
