//! A deliberately untrustworthy OpenID Provider: it answers the token request with an ID token
//! broken in a chosen way (expired, signed with a key it does not publish, wrong nonce, audience
//! or issuer) — things a real provider never does, and the portal must refuse. The code the test
//! sends to the portal's callback says what to forge: `<fault>~<nonce>~<personnummer>`.

use std::sync::Arc;

use base64::Engine;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::{Data, Form, Json};
use poem::{get, handler, post, EndpointExt, Route, Server};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

pub struct FakeOp {
    pub issuer: String,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for FakeOp {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

struct Keys {
    issuer: String,
    published: RsaPrivateKey,
    other: RsaPrivateKey,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn sign(key: &RsaPrivateKey, kid: &str, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": kid});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = SigningKey::<sha2::Sha256>::new(key.clone()).sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

#[handler]
fn discovery(keys: Data<&Arc<Keys>>) -> Json<Value> {
    let i = &keys.issuer;
    Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

#[handler]
fn jwks(keys: Data<&Arc<Keys>>) -> Json<Value> {
    let public = keys.published.to_public_key();
    Json(json!({"keys": [{
        "kty": "RSA", "alg": "RS256", "use": "sig", "kid": "published",
        "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be()),
    }]}))
}

#[handler]
fn token(
    keys: Data<&Arc<Keys>>,
    form: Form<std::collections::HashMap<String, String>>,
) -> Json<Value> {
    let code = form.get("code").cloned().unwrap_or_default();
    let mut parts = code.split('~');
    let fault = parts.next().unwrap_or_default().to_owned();
    let nonce = parts.next().unwrap_or_default().to_owned();
    let personnummer = parts.next().unwrap_or_default().to_owned();
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": keys.issuer,
        "aud": "skolportal",
        "sub": "fake-subject",
        "iat": now,
        "exp": now + 300,
        "auth_time": now,
        "nonce": nonce,
        "acr": "http://id.elegnamnden.se/loa/1.0/loa3",
        "https://id.oidc.se/claim/personalIdentityNumber": personnummer,
    });
    match fault.as_str() {
        "expired" => {
            claims["iat"] = json!(now - 3600);
            claims["exp"] = json!(now - 1800);
        }
        "wrong_nonce" => claims["nonce"] = json!("not-the-nonce-the-portal-sent"),
        "wrong_audience" => claims["aud"] = json!("another-client"),
        "wrong_issuer" => claims["iss"] = json!("https://evil.example.com"),
        _ => {}
    }
    let id_token = if fault == "wrong_key" {
        sign(&keys.other, "published", &claims)
    } else {
        sign(&keys.published, "published", &claims)
    };
    Json(
        json!({"access_token": "fake", "token_type": "Bearer", "expires_in": 60, "id_token": id_token}),
    )
}

impl FakeOp {
    pub async fn start() -> Self {
        let fixtures = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let load = |name: &str| {
            let pem = std::fs::read_to_string(fixtures.join(name)).expect("fixture key");
            RsaPrivateKey::from_pkcs8_pem(&pem).expect("RSA key")
        };
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("bind");
        let port = acceptor.local_addr()[0]
            .as_socket_addr()
            .expect("addr")
            .port();
        let issuer = format!("http://127.0.0.1:{port}");
        let keys = Arc::new(Keys {
            issuer: issuer.clone(),
            published: load("fake-op-key.pem"),
            other: load("fake-op-other-key.pem"),
        });
        let app = Route::new()
            .at("/.well-known/openid-configuration", get(discovery))
            .at("/jwks", get(jwks))
            .at("/token", post(token))
            .data(keys);
        let handle = tokio::spawn(async move {
            let _ = Server::new_with_acceptor(acceptor).run(app).await;
        });
        Self { issuer, handle }
    }
}
