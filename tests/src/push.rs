//! A fake push service for the notices tests: it hands out subscriptions as a browser would
//! (its own P-256 key pair and authentication secret, an endpoint on loopback), takes the
//! portal's push messages, checks their VAPID signature (RFC 8292), and decrypts them
//! (RFC 8291, aes128gcm of RFC 8188) with its own code, not the portal's library.

use std::sync::{Arc, Mutex};

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hkdf::Hkdf;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use poem::http::StatusCode;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::{Data, Path};
use poem::{post, EndpointExt, Request, Route, Server};
use sha2::Sha256;
use skolportal_shared::api::PushSubscriptionInput;

/// One message the service took, checked and decrypted.
#[derive(Debug, Clone)]
pub struct PushMessage {
    pub subscription: String,
    /// The VAPID public key it was signed with (base64url).
    pub vapid_key: String,
    /// The JWT's claims.
    pub claims: serde_json::Value,
    pub topic: Option<String>,
    pub ttl: Option<String>,
    pub plaintext: Vec<u8>,
}

struct Browser {
    name: String,
    secret: SecretKey,
    auth: [u8; 16],
}

#[derive(Default)]
struct Shared {
    browsers: Vec<Browser>,
    received: Vec<Result<PushMessage, String>>,
    /// Answer this status instead of 201 (a subscription that is gone, a service that is down).
    answer: Option<u16>,
}

pub struct FakePushService {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for FakePushService {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

impl FakePushService {
    pub async fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("bind");
        let port = acceptor.local_addr()[0]
            .as_socket_addr()
            .expect("addr")
            .port();
        let app = Route::new()
            .at("/push/:name", post(receive))
            .data(shared.clone());
        let handle = tokio::spawn(async move {
            let _ = Server::new_with_acceptor(acceptor).run(app).await;
        });
        Self {
            port,
            shared,
            handle,
        }
    }

    /// A new browser's subscription, as `PushSubscription.toJSON()` gives it.
    pub fn subscribe(&self, name: &str) -> PushSubscriptionInput {
        let secret = SecretKey::random(&mut rand_core::OsRng);
        let mut auth = [0u8; 16];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut auth);
        let point = secret.public_key().to_encoded_point(false);
        let input = PushSubscriptionInput {
            endpoint: format!("http://127.0.0.1:{}/push/{name}", self.port),
            p256dh: URL_SAFE_NO_PAD.encode(point.as_bytes()),
            auth: URL_SAFE_NO_PAD.encode(auth),
        };
        self.shared.lock().expect("lock").browsers.push(Browser {
            name: name.into(),
            secret,
            auth,
        });
        input
    }

    /// Every message taken so far: each checked and decrypted, or why it failed.
    pub fn received(&self) -> Vec<Result<PushMessage, String>> {
        self.shared.lock().expect("lock").received.clone()
    }

    /// From now on, answer every message with `status` (201 again with `None`).
    pub fn answer_with(&self, status: Option<u16>) {
        self.shared.lock().expect("lock").answer = status;
    }
}

#[poem::handler]
async fn receive(
    Path(name): Path<String>,
    req: &Request,
    body: poem::Body,
    Data(shared): Data<&Arc<Mutex<Shared>>>,
) -> StatusCode {
    let body = body.into_vec().await.unwrap_or_default();
    let header = |h: &str| {
        req.headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut shared = shared.lock().expect("lock");
    if let Some(status) = shared.answer {
        return StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    let checked = shared
        .browsers
        .iter()
        .find(|b| b.name == name)
        .ok_or_else(|| format!("no browser {name}"))
        .and_then(|browser| {
            if header("content-encoding").as_deref() != Some("aes128gcm") {
                return Err("Content-Encoding is not aes128gcm".to_string());
            }
            let (vapid_key, claims) = check_vapid(header("authorization").as_deref())?;
            let plaintext = decrypt(browser, &body)?;
            Ok(PushMessage {
                subscription: name.clone(),
                vapid_key,
                claims,
                topic: header("topic"),
                ttl: header("ttl"),
                plaintext,
            })
        });
    shared.received.push(checked);
    StatusCode::CREATED
}

/// `vapid t=<JWT>, k=<public key>`: the JWT's ES256 signature must verify with `k`.
fn check_vapid(header: Option<&str>) -> Result<(String, serde_json::Value), String> {
    let header = header.ok_or("no Authorization header")?;
    let rest = header.strip_prefix("vapid ").ok_or("not a vapid scheme")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(t) = part.strip_prefix("t=") {
            token = Some(t);
        } else if let Some(k) = part.strip_prefix("k=") {
            key = Some(k);
        }
    }
    let (token, key) = (token.ok_or("no t=")?, key.ok_or("no k=")?);
    let point = URL_SAFE_NO_PAD.decode(key).map_err(|e| e.to_string())?;
    let verifying = VerifyingKey::from_sec1_bytes(&point).map_err(|e| e.to_string())?;
    let mut parts = token.split('.');
    let (Some(head), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the JWT does not have three parts".into());
    };
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(head).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    if header["alg"] != "ES256" {
        return Err(format!("alg is {}", header["alg"]));
    }
    let signature = Signature::from_slice(
        &URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    verifying
        .verify(format!("{head}.{claims}").as_bytes(), &signature)
        .map_err(|_| "the VAPID signature does not verify".to_string())?;
    let claims =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    Ok((key.to_owned(), claims))
}

/// RFC 8291 section 3.4 and RFC 8188: one record, salt and the sender's key in its header.
fn decrypt(browser: &Browser, body: &[u8]) -> Result<Vec<u8>, String> {
    if body.len() < 21 {
        return Err("the body is shorter than its header".into());
    }
    let salt = &body[..16];
    let id_len = usize::from(body[20]);
    let key_id = body.get(21..21 + id_len).ok_or("the key id is cut off")?;
    let ciphertext = &body[21 + id_len..];
    let sender = PublicKey::from_sec1_bytes(key_id).map_err(|e| e.to_string())?;
    let shared = p256::ecdh::diffie_hellman(browser.secret.to_nonzero_scalar(), sender.as_affine());
    let ua_public = browser.secret.public_key().to_encoded_point(false);
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(ua_public.as_bytes());
    key_info.extend_from_slice(key_id);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&browser.auth), shared.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .map_err(|e| e.to_string())?;
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .map_err(|e| e.to_string())?;
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(|e| e.to_string())?;
    let mut plain = Aes128Gcm::new_from_slice(&cek)
        .map_err(|e| e.to_string())?
        .decrypt(Nonce::from_slice(&nonce), ciphertext)
        .map_err(|_| "the payload does not decrypt".to_string())?;
    // The last record ends with the delimiter 2, then any zeros of padding.
    while plain.last() == Some(&0) {
        plain.pop();
    }
    if plain.pop() != Some(2) {
        return Err("the last record's delimiter is missing".into());
    }
    Ok(plain)
}
