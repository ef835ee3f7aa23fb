//! Notices by e-mail, through the SMTP server in `notices.smtp_url` (lettre, rustls).

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use skolportal_shared::api::NoticeLesson;
use skolportal_shared::pages::path;

use super::texts::Texts;
use crate::entity::notice;
use crate::settings::NoticeSettings;

#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("notices.smtp_url is not a valid SMTP address: {0}")]
    InvalidServer(String),
    #[error("notices.email_from is not a valid sender: {0}")]
    InvalidSender(String),
    /// The guardian's stored address does not parse; retrying will not help.
    #[error("the recipient's address is not a valid e-mail address")]
    InvalidRecipient,
    #[error("the message could not be built: {0}")]
    Message(String),
    /// The server could not be reached, or refused for now: try again later. The reason is a
    /// kind, never the server's words, which may quote the address.
    #[error("the SMTP server did not take the message ({0})")]
    NotDelivered(&'static str),
    /// The server refused the message for good (5xx).
    #[error("the SMTP server refused the message for good")]
    Refused,
}

/// The SMTP connection pool and the sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `None` when no SMTP server is set: notices then go to the app and by push only.
    pub fn from_settings(settings: &NoticeSettings) -> Result<Option<Self>, EmailError> {
        let Some(url) = &settings.smtp_url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
            // The error names the part that is wrong, never the password in the address.
            .map_err(|e| EmailError::InvalidServer(e.to_string()))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = settings
            .email_from
            .parse()
            .map_err(|e: lettre::address::AddressError| EmailError::InvalidSender(e.to_string()))?;
        Ok(Some(Self { transport, from }))
    }

    pub async fn send(&self, message: Message) -> Result<(), EmailError> {
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                EmailError::Refused
            } else if e.is_timeout() {
                EmailError::NotDelivered("timeout")
            } else if e.is_transient() {
                EmailError::NotDelivered("refused for now")
            } else {
                EmailError::NotDelivered("no connection")
            }
        })
    }

    /// The e-mail of `notice` to `address`: the child's first name, the day and the lessons,
    /// and a link to the notices page. Its `Message-ID` is the notice's, the same for every
    /// attempt, so that a repeat after a crash can be recognised.
    pub fn compose(
        &self,
        notice: &notice::Model,
        lessons: &[NoticeLesson],
        address: &str,
        child_given_name: &str,
        public_base_url: &str,
        texts: Texts,
    ) -> Result<Message, EmailError> {
        let to: Mailbox = address.parse().map_err(|_| EmailError::InvalidRecipient)?;
        let wording = texts.wording(notice, child_given_name, lessons);
        let link = format!("{}{}", public_base_url.trim_end_matches('/'), path::NOTICES);
        let mut body = String::new();
        body.push_str(&texts.text("notice.email.greeting", &[]));
        body.push_str("\n\n");
        body.push_str(&wording.intro);
        body.push('\n');
        for lesson in lessons {
            body.push_str("- ");
            body.push_str(&texts.lesson_line(lesson));
            body.push('\n');
        }
        body.push('\n');
        if notice.kind == skolportal_shared::api::NoticeKind::UnexcusedAbsence {
            body.push_str(&texts.text("notice.email.why", &[]));
            body.push_str("\n\n");
        }
        body.push_str(&texts.text("notice.email.link", &[("link", &link)]));
        body.push_str("\n\n");
        body.push_str(&texts.text("notice.email.footer", &[]));
        body.push('\n');
        let domain = url::Url::parse(public_base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "skolportal.localhost".into());
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(wording.subject)
            .message_id(Some(format!("<notice-{}@{domain}>", notice.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| EmailError::Message(e.to_string()))
    }
}
