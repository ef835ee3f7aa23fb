#!/usr/bin/env node
/*
 * Skolportal — local BankID test provider.
 *
 * A real OpenID Provider (oidc-provider 8.x) that behaves like a BankID broker speaking the Swedish
 * OpenID Connect profile (oidc.se): authorization code flow with PKCE S256, the oidc.se claims and
 * scopes, acr loa3 (loa2 selectable in a "Testläge" section), and the Signature Extension
 * (scope https://id.oidc.se/scope/sign + parameter https://id.oidc.se/param/signRequest).
 * FOR DEVELOPMENT AND TESTS ONLY: no real BankID is involved, anybody can log in as anybody.
 *
 * Start:  node tools/bankid-test-provider/server.mjs   (pages, field ids and protocol: README.md)
 *
 * Environment variables
 *   PORT                       TCP port on 127.0.0.1 (default 0 = pick a free port). Binds 127.0.0.1 only.
 *   ISSUER                     Issuer identifier (default http://127.0.0.1:<port>, derived after listening
 *                              when PORT=0). Origin only, no path.
 *   CLIENT_ID                  The portal's client_id (default "skolportal").
 *   CLIENT_NAME                Name shown on the pages (default "Skolportal").
 *   REDIRECT_URIS              Comma-separated redirect URIs (default
 *                              http://127.0.0.1:8080/api/auth/bankid/callback,http://127.0.0.1:8080/api/sign/callback).
 *   POST_LOGOUT_REDIRECT_URIS  Comma-separated post-logout redirect URIs (optional).
 *   CLIENT_JWKS_URI            The portal's public JWKS URL -> token endpoint auth private_key_jwt
 *                              (RS256, PS256 or ES256); the signRequest JWT is verified against it.
 *   CLIENT_SECRET              Shared secret -> client_secret_basic / client_secret_post; the signRequest
 *                              may then be HS256 with this secret. If both are set, private_key_jwt wins
 *                              for the token endpoint (HS256 signRequests are still accepted).
 *   PEOPLE_FILE                Optional JSON file: [{"personnummer":"198901012388","given_name":"Anna",
 *                              "family_name":"Lindqvist","label":"Vårdnadshavare, tre barn"}, ...]
 *                              shown as buttons on the login page. Use Skatteverket's test numbers only.
 *   KEYS_FILE                  Optional path of a JWKS file holding the provider's private signing key(s);
 *                              created (mode 0600) when missing, so restarts keep the keys. Without it an
 *                              RSA key is generated in memory at every start.
 *
 * On ready, exactly one line goes to stdout:  BANKID_TEST_PROVIDER_READY <issuer>
 * Everything else (errors, oidc-provider notices) goes to stderr. Nothing logged contains a personnummer.
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import * as jose from 'jose';
import Provider, { errors, interactionPolicy } from 'oidc-provider';

// stdout carries only the READY line: send console.log/info (oidc-provider prints NOTICEs with
// console.info) to stderr.
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);
// Two warnings that are expected here and would only confuse people reading the portal's test logs:
// the in-memory adapter (intended: nothing must survive a restart) and 'lax' Request Object mode.
const consoleWarn = console.warn.bind(console);
console.warn = (...args) => {
  if (String(args[0]).includes('in-memory adapter')) return;
  consoleWarn(...args);
};
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning?.message ?? warning).includes('"lax" Request Object mode')) return;
  emitWarning(warning, ...rest);
};

// ---------------------------------------------------------------------------------------------
// oidc.se identifiers
// ---------------------------------------------------------------------------------------------
const SCOPE_PNR = 'https://id.oidc.se/scope/naturalPersonNumber';
const SCOPE_SIGN = 'https://id.oidc.se/scope/sign';
const CLAIM_PNR = 'https://id.oidc.se/claim/personalIdentityNumber';
const CLAIM_COORD = 'https://id.oidc.se/claim/coordinationNumber';
const CLAIM_USER_SIGNATURE = 'https://id.oidc.se/claim/userSignature';
const CLAIM_AUTHN_EVIDENCE = 'https://id.oidc.se/claim/authnEvidence';
const PARAM_SIGN_REQUEST = 'https://id.oidc.se/param/signRequest';
const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';
const LOA2 = 'http://id.elegnamnden.se/loa/1.0/loa2';
const SIGN_MIME_TYPES = ['text/plain', 'text/markdown'];
const SIGN_ALGS_ASYMMETRIC = ['RS256', 'PS256', 'ES256'];

// ---------------------------------------------------------------------------------------------
// Configuration from the environment
// ---------------------------------------------------------------------------------------------
function fail(message) {
  console.error(`bankid-test-provider: ${message}`);
  process.exit(2);
}

function list(value) {
  return (value || '').split(',').map((s) => s.trim()).filter(Boolean);
}

const env = process.env;
const PORT = env.PORT === undefined || env.PORT === '' ? 0 : Number(env.PORT);
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) fail('PORT must be an integer 0..65535');
const CLIENT_ID = env.CLIENT_ID || 'skolportal';
const CLIENT_NAME = env.CLIENT_NAME || 'Skolportal';
const REDIRECT_URIS = list(env.REDIRECT_URIS || 'http://127.0.0.1:8080/api/auth/bankid/callback,http://127.0.0.1:8080/api/sign/callback');
const POST_LOGOUT_REDIRECT_URIS = list(env.POST_LOGOUT_REDIRECT_URIS);
const CLIENT_JWKS_URI = env.CLIENT_JWKS_URI || '';
const CLIENT_SECRET = env.CLIENT_SECRET || '';
const PEOPLE_FILE = env.PEOPLE_FILE || '';
const KEYS_FILE = env.KEYS_FILE || '';
if (!CLIENT_JWKS_URI && !CLIENT_SECRET) fail('set CLIENT_JWKS_URI (private_key_jwt) or CLIENT_SECRET (client_secret_basic/post)');
if (CLIENT_SECRET && CLIENT_SECRET.length < 32 && !CLIENT_JWKS_URI) {
  // oidc-provider needs >= 256 bit secrets for HS256; say so plainly instead of failing later.
  fail('CLIENT_SECRET must be at least 32 characters (HS256 needs a 256-bit secret)');
}
for (const uri of [...REDIRECT_URIS, ...POST_LOGOUT_REDIRECT_URIS, ...(CLIENT_JWKS_URI ? [CLIENT_JWKS_URI] : [])]) {
  try { new URL(uri); } catch { fail(`not a URL: ${uri}`); } // eslint-disable-line no-new
}

// ---------------------------------------------------------------------------------------------
// Personnummer
// ---------------------------------------------------------------------------------------------
function luhnOk(tenDigits) {
  let sum = 0;
  for (let i = 0; i < 10; i += 1) {
    let d = tenDigits.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Returns a Swedish error message, or null when `pnr` is a valid 12-digit personnummer/samordningsnummer. */
function personnummerError(pnr) {
  if (!/^\d{12}$/.test(pnr)) return 'Ange personnumret med 12 siffror (ÅÅÅÅMMDDNNNN).';
  const month = Number(pnr.slice(4, 6));
  const day = Number(pnr.slice(6, 8));
  const realDay = day > 60 ? day - 60 : day;
  if (month < 1 || month > 12 || realDay < 1 || realDay > 31) return 'Personnumret har inget giltigt datum.';
  if (!luhnOk(pnr.slice(2))) return 'Kontrollsiffran stämmer inte. Kontrollera personnumret.';
  return null;
}

function isCoordinationNumber(pnr) {
  const day = Number(pnr.slice(6, 8));
  return day >= 61 && day <= 91;
}

function birthdateOf(pnr) {
  const day = Number(pnr.slice(6, 8));
  const realDay = day > 60 ? day - 60 : day;
  return `${pnr.slice(0, 4)}-${pnr.slice(4, 6)}-${String(realDay).padStart(2, '0')}`;
}

function normalizeTyped(value) {
  return String(value || '').replace(/[\s-]/g, '');
}

// ---------------------------------------------------------------------------------------------
// Demo people
// ---------------------------------------------------------------------------------------------
function loadPeople() {
  if (!PEOPLE_FILE) return [];
  let data;
  try {
    data = JSON.parse(fs.readFileSync(PEOPLE_FILE, 'utf8'));
  } catch (err) {
    fail(`cannot read PEOPLE_FILE: ${err.message}`);
  }
  if (!Array.isArray(data)) fail('PEOPLE_FILE must hold a JSON array');
  return data.map((p, i) => {
    const pnr = normalizeTyped(p?.personnummer);
    if (personnummerError(pnr)) fail(`PEOPLE_FILE entry #${i + 1}: invalid personnummer`);
    const given = String(p.given_name || 'Test');
    const family = String(p.family_name || 'Testsson');
    return {
      personnummer: pnr, given_name: given, family_name: family, label: p.label ? String(p.label) : '',
    };
  });
}
const PEOPLE = loadPeople();

function personFor(pnr) {
  const known = PEOPLE.find((p) => p.personnummer === pnr);
  const given = known ? known.given_name : 'Test';
  const family = known ? known.family_name : 'Testsson';
  return {
    personnummer: pnr,
    coordination: isCoordinationNumber(pnr),
    given_name: given,
    family_name: family,
    name: `${given} ${family}`,
    birthdate: birthdateOf(pnr),
  };
}

// Stable, opaque subject per person (the personnummer is a claim, never the sub).
function accountIdFor(pnr) {
  return crypto.createHmac('sha256', 'skolportal-bankid-test-provider/sub').update(pnr).digest('base64url').slice(0, 27);
}

const accounts = new Map(); // accountId -> person
const signResults = new Map(); // grantId -> { userSignature, authnEvidence }
const pendingSign = new Map(); // interaction uid -> { accountId, acr }

function remember(map, key, value, ms) {
  map.set(key, value);
  setTimeout(() => map.delete(key), ms).unref();
}

// ---------------------------------------------------------------------------------------------
// Provider keys
// ---------------------------------------------------------------------------------------------
async function loadOrCreateKeys() {
  if (KEYS_FILE && fs.existsSync(KEYS_FILE)) {
    let jwks;
    try {
      jwks = JSON.parse(fs.readFileSync(KEYS_FILE, 'utf8'));
    } catch (err) {
      fail(`cannot read KEYS_FILE: ${err.message}`);
    }
    if (!Array.isArray(jwks?.keys) || !jwks.keys.some((k) => k.kty === 'RSA' && k.d)) {
      fail('KEYS_FILE must be a JWKS with at least one private RSA key');
    }
    return jwks;
  }
  const { privateKey } = await jose.generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  jwk.kid = await jose.calculateJwkThumbprint(jwk);
  jwk.alg = 'RS256';
  jwk.use = 'sig';
  const jwks = { keys: [jwk] };
  if (KEYS_FILE) {
    fs.mkdirSync(path.dirname(path.resolve(KEYS_FILE)), { recursive: true });
    fs.writeFileSync(KEYS_FILE, `${JSON.stringify(jwks, null, 2)}\n`, { mode: 0o600 });
  }
  return jwks;
}

// ---------------------------------------------------------------------------------------------
// Sign request (Signature Extension for OpenID Connect)
// ---------------------------------------------------------------------------------------------
async function fetchClientJwks() {
  const res = await fetch(CLIENT_JWKS_URI, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`client JWKS answered ${res.status}`);
  return res.json();
}

async function verifySignRequestJwt(jwt, issuer) {
  let header;
  try {
    header = jose.decodeProtectedHeader(jwt);
  } catch {
    throw new errors.InvalidRequest(`${PARAM_SIGN_REQUEST} must be a JWT signed by the client`);
  }
  let key;
  let algorithms;
  if (header.alg === 'HS256') {
    if (!CLIENT_SECRET) throw new errors.InvalidRequest(`${PARAM_SIGN_REQUEST} must be signed with the client's registered key (HS256 needs a client secret)`);
    key = new TextEncoder().encode(CLIENT_SECRET);
    algorithms = ['HS256'];
  } else {
    if (!CLIENT_JWKS_URI) throw new errors.InvalidRequest(`${PARAM_SIGN_REQUEST} must be signed HS256 with the client secret`);
    let jwks;
    try {
      jwks = await fetchClientJwks();
    } catch (err) {
      throw new errors.InvalidRequest(`could not load the client's JWKS to verify ${PARAM_SIGN_REQUEST}`, err.message);
    }
    key = jose.createLocalJWKSet(jwks);
    algorithms = SIGN_ALGS_ASYMMETRIC;
  }
  try {
    const { payload } = await jose.jwtVerify(jwt, key, {
      algorithms, issuer: CLIENT_ID, audience: issuer, requiredClaims: ['exp'], clockTolerance: 15,
    });
    return payload;
  } catch (err) {
    throw new errors.InvalidRequest(`${PARAM_SIGN_REQUEST} JWT is not valid (${err.code || 'error'}): it must be signed with the client's registered key and carry iss=client_id, aud=issuer and a future exp`);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBase64Text(b64) {
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return null;
  try {
    return strictUtf8.decode(Buffer.from(b64, b64.includes('-') || b64.includes('_') ? 'base64url' : 'base64'));
  } catch {
    return null;
  }
}

/** Accepts tbs_data/sign_message at the top level (1.2 draft) or nested (1.0/1.1 shapes). */
function normalizeSignRequest(payload) {
  let src = payload;
  if (src && typeof src === 'object' && src.tbs_data === undefined) {
    for (const nested of [PARAM_SIGN_REQUEST, 'sign_request', 'signRequest']) {
      if (src[nested] && typeof src[nested] === 'object') {
        src = src[nested];
        break;
      }
    }
  }
  const tbsData = src?.tbs_data;
  if (typeof tbsData !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(tbsData)) {
    throw new errors.InvalidRequest(`${PARAM_SIGN_REQUEST} lacks tbs_data (base64 of the bytes to sign)`);
  }
  const tbs = Buffer.from(tbsData, /[-_]/.test(tbsData) ? 'base64url' : 'base64');
  if (!tbs.length) throw new errors.InvalidRequest(`${PARAM_SIGN_REQUEST} tbs_data is empty`);
  const sm = src.sign_message;
  if (!sm || typeof sm !== 'object') {
    throw new errors.InvalidRequest(`${PARAM_SIGN_REQUEST} lacks sign_message`);
  }
  const mimeType = sm.mime_type === undefined ? 'text/plain' : sm.mime_type;
  if (!SIGN_MIME_TYPES.includes(mimeType)) {
    throw new errors.InvalidRequest(`sign_message mime_type must be one of ${SIGN_MIME_TYPES.join(', ')}`);
  }
  const candidates = [
    sm['message#sv'],
    sm.message && typeof sm.message === 'object' ? sm.message.sv : undefined,
    typeof sm.message === 'string' ? sm.message : undefined,
    sm['message#en'],
    sm.message && typeof sm.message === 'object' ? sm.message.en : undefined,
  ].filter((v) => v !== undefined);
  if (!candidates.length) throw new errors.InvalidRequest('sign_message has no message (message#sv)');
  const text = decodeBase64Text(candidates[0]);
  if (text === null) throw new errors.InvalidRequest('sign_message message must be base64 of UTF-8 text');
  if (!text.trim()) throw new errors.InvalidRequest('sign_message message is empty');
  return {
    tbs_data: tbsData,
    tbs_data_sha256: crypto.createHash('sha256').update(tbs).digest('hex'),
    message: text,
    mime_type: mimeType,
  };
}

function signRequestOf(params) {
  const scopes = new Set(String(params.scope || '').split(' '));
  if (!scopes.has(SCOPE_SIGN)) return null;
  try {
    return JSON.parse(params[PARAM_SIGN_REQUEST]);
  } catch {
    return null;
  }
}

/** The claims-parameter values that pin the identity (Signature Extension 4.1.1). */
function pinnedIdentity(params) {
  if (!params.claims) return [];
  let claims;
  try {
    claims = JSON.parse(params.claims);
  } catch {
    return [];
  }
  const pins = [];
  for (const target of ['id_token', 'userinfo']) {
    for (const claim of [CLAIM_PNR, CLAIM_COORD]) {
      const req = claims?.[target]?.[claim];
      if (req && typeof req === 'object') {
        if (typeof req.value === 'string') pins.push({ claim, values: [req.value] });
        else if (Array.isArray(req.values)) pins.push({ claim, values: req.values.map(String) });
      }
    }
  }
  return pins;
}

function matchesPins(person, pins) {
  const claim = person.coordination ? CLAIM_COORD : CLAIM_PNR;
  return pins.every((pin) => pin.claim === claim && pin.values.includes(person.personnummer));
}

// ---------------------------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------------------------
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f5f7}
main{max-width:32rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
.banner{background:#fff4ce;border:2px solid #8a6d00;border-radius:6px;padding:.5rem .75rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.hint{margin:.25rem 0 .5rem;color:#444;font-size:.9rem}
input[type=text],select{width:100%;font:inherit;padding:.6rem;border:2px solid #555;border-radius:6px;background:#fff}
input:focus,select:focus,button:focus{outline:3px solid #0b5cad;outline-offset:2px}
button{font:inherit;font-weight:600;min-height:44px;padding:.6rem 1rem;border-radius:6px;border:2px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad}
button.person{width:100%;text-align:left;background:#fff;color:#1a1a1a;border-color:#555;margin:.25rem 0}
ul.people{list-style:none;margin:0;padding:0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem}
.actions form{margin:0}
fieldset.testmode{margin:1.5rem 0 0;border:2px dashed #8a6d00;border-radius:6px;padding:.5rem .75rem}
fieldset.testmode legend{font-weight:700;padding:0 .25rem}
.error{background:#fde7e9;border:2px solid #a4262c;border-radius:6px;padding:.5rem .75rem;color:#7a1c20}
.sign-message{border:3px solid #1a1a1a;border-radius:6px;background:#fff;padding:.75rem;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere;font:inherit;margin:0}
`.trim();
const STYLE_HASH = crypto.createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'none'; base-uri 'none'; frame-ancestors 'none'`;

function esc(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

function page(title, body) {
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} – BankID (test)</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="banner" role="note"><strong>Testmiljö.</strong> Detta är inte riktigt BankID. Använd bara Skatteverkets testpersonnummer.</p>
${body}
</main>
</body>
</html>
`;
}

function send(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.end(html);
}

function acrOptions(selected) {
  return [
    [LOA3, 'loa3 – BankID (normalt)'],
    [LOA2, 'loa2 – lägre tillitsnivå (för att testa att tjänsten nekar)'],
  ].map(([v, text]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(text)}</option>`).join('');
}

function loginPage({
  uid, sign, error, typed = '', acr = LOA3,
}) {
  const people = PEOPLE.length ? `
<h2 id="people-heading">Eller välj en testperson</h2>
<ul class="people" aria-labelledby="people-heading">
${PEOPLE.map((p) => `<li><button type="submit" class="person" name="personnummer" value="${esc(p.personnummer)}">${esc(`${p.given_name} ${p.family_name}`)}${p.label ? ` — ${esc(p.label)}` : ''}</button></li>`).join('\n')}
</ul>` : '';
  return page(sign ? 'Skriv under' : 'Logga in', `
<h1>BankID (test)</h1>
<p>${sign
    ? `<strong>${esc(CLIENT_NAME)}</strong> ber dig skriva under. Legitimera dig först.`
    : `Logga in i <strong>${esc(CLIENT_NAME)}</strong> med test-BankID.`}</p>
${error ? `<p class="error" id="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" novalidate>
<label for="personnummer">Ange ett testpersonnummer (12 siffror)</label>
<p class="hint" id="personnummer-hint">ÅÅÅÅMMDDNNNN, till exempel 189001019802.</p>
<input type="text" id="personnummer" name="personnummer" inputmode="numeric" autocomplete="off" maxlength="13" value="${esc(typed)}" aria-describedby="personnummer-hint${error ? ' error' : ''}"${error ? ' aria-invalid="true"' : ''}>
<div class="actions"><button type="submit" id="bankid-login" name="action" value="typed">Logga in</button></div>
${people}
<fieldset class="testmode">
<legend>Testläge</legend>
<label for="acr">Tillitsnivå (acr) i ID-token</label>
<select id="acr" name="acr">${acrOptions(acr)}</select>
<p class="hint">Välj innan du loggar in. Normalt loa3.</p>
</fieldset>
</form>
<div class="actions">
<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit" id="bankid-cancel" class="secondary">Avbryt</button></form>
</div>`);
}

function signPage({ uid, sign, person }) {
  return page('Skriv under', `
<h1>Skriv under</h1>
<p><strong>${esc(CLIENT_NAME)}</strong> ber dig skriva under följande med BankID (test).</p>
<h2 id="sign-message-heading">Det här skriver du under</h2>
<pre class="sign-message" id="sign-message" aria-labelledby="sign-message-heading">${esc(sign.message)}</pre>
<p>Undertecknare: <strong id="signer-name">${esc(person.name)}</strong></p>
<div class="actions">
<form method="post" action="/interaction/${esc(uid)}/sign"><button type="submit" id="bankid-sign">Skriv under</button></form>
<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit" id="bankid-cancel" class="secondary">Avbryt</button></form>
</div>`);
}

function errorPage(title, text) {
  return page(title, `<h1>${esc(title)}</h1><p class="error" role="alert" id="error">${esc(text)}</p><p>Gå tillbaka till tjänsten och försök igen.</p>`);
}

// ---------------------------------------------------------------------------------------------
// Provider
// ---------------------------------------------------------------------------------------------
function buildProvider(issuer, jwks) {
  const { base, Check } = interactionPolicy;
  const policy = base();
  // BankID authenticates every time: no SSO reuse of an earlier login (the Signature Extension
  // demands it for signing, and tests get a predictable login page for every request).
  policy.get('login').checks.add(new Check(
    'bankid_authentication_required',
    'BankID test provider authenticates the user for every request',
    (ctx) => (ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT),
  ));

  const client = {
    client_id: CLIENT_ID,
    client_name: CLIENT_NAME,
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    id_token_signed_response_alg: 'RS256',
    require_auth_time: true,
    ...(CLIENT_JWKS_URI
      ? { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: CLIENT_JWKS_URI }
      : { token_endpoint_auth_method: 'client_secret_basic', client_secret: CLIENT_SECRET }),
  };

  const provider = new Provider(issuer, {
    clients: [client],
    jwks,
    acrValues: [LOA3, LOA2],
    scopes: ['openid', 'profile', SCOPE_PNR, SCOPE_SIGN],
    claims: {
      acr: null,
      auth_time: null,
      sid: null,
      iss: null,
      openid: ['sub'],
      profile: ['given_name', 'family_name', 'name'],
      [SCOPE_PNR]: [CLAIM_PNR, CLAIM_COORD, 'birthdate'],
      [SCOPE_SIGN]: [CLAIM_USER_SIGNATURE, CLAIM_AUTHN_EVIDENCE, 'auth_time'],
    },
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true, methods: ['S256'] },
    // No refresh tokens: the default policy issues them only for offline_access, which is not offered.
    clientAuthMethods: ['private_key_jwt', 'client_secret_basic', 'client_secret_post'],
    ttl: {
      IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 900, Session: 3600, Grant: 3600,
    },
    cookies: {
      keys: [crypto.randomBytes(32).toString('base64url')],
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    extraParams: {
      async [PARAM_SIGN_REQUEST](ctx, value) {
        const { params } = ctx.oidc;
        const scopes = new Set(String(params.scope || '').split(' '));
        if (!scopes.has(SCOPE_SIGN)) {
          params[PARAM_SIGN_REQUEST] = undefined; // "MAY ignore" it without the sign scope
          return;
        }
        const prompts = new Set(String(params.prompt || '').split(' '));
        if (!prompts.has('login') || !prompts.has('consent')) {
          throw new errors.InvalidRequest('a signature request must carry prompt=login consent');
        }
        let payload;
        if (ctx.oidc.trusted?.includes(PARAM_SIGN_REQUEST)) {
          // It came inside a signed Request Object that oidc-provider verified against the client's
          // keys; oidc-provider stringified the object value, so read it from the raw request object.
          const raw = ctx.oidc.body?.request ?? ctx.query?.request;
          const inner = raw ? jose.decodeJwt(raw)[PARAM_SIGN_REQUEST] : undefined;
          payload = typeof inner === 'string' ? await verifySignRequestJwt(inner, issuer) : inner;
        } else {
          if (!value) throw new errors.InvalidRequest(`the ${PARAM_SIGN_REQUEST} parameter is required with the ${SCOPE_SIGN} scope`);
          payload = await verifySignRequestJwt(value, issuer);
        }
        // From here on the (server-side) parameter holds the verified, normalized sign request.
        params[PARAM_SIGN_REQUEST] = JSON.stringify(normalizeSignRequest(payload));
      },
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      // 'lax' (deprecated in 8.x, prints a DeprecationWarning) lets state/nonce stay outside the
      // Request Object, as in the oidc.se Signature Extension example.
      requestObjects: { request: true, requestUri: false, mode: 'lax' },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = page('Logga ut', `<h1>Logga ut</h1><p>Vill du logga ut från BankID (test)?</p>${form}
<div class="actions"><button type="submit" id="bankid-logout" form="op.logoutForm" name="logout" value="yes">Logga ut</button>
<button type="submit" id="bankid-stay" form="op.logoutForm" class="secondary">Avbryt</button></div>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page('Utloggad', '<h1>Du är utloggad</h1><p>Du kan stänga fönstret.</p>');
        },
      },
    },
    discovery: {
      'https://id.oidc.se/disco/userMessageSupported': false,
      'https://id.oidc.se/disco/userMessageSupportedMimeTypes': SIGN_MIME_TYPES,
      service_documentation: undefined,
    },
    interactions: {
      policy,
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Fel', `<h1>Något gick fel</h1><p class="error" role="alert" id="error">${esc(out.error)}${out.error_description ? `: ${esc(out.error_description)}` : ''}</p>`);
    },
    async findAccount(ctx, id, token) {
      const person = accounts.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        async claims(use) {
          const claims = {
            sub: id,
            given_name: person.given_name,
            family_name: person.family_name,
            name: person.name,
            birthdate: person.birthdate,
            [person.coordination ? CLAIM_COORD : CLAIM_PNR]: person.personnummer,
          };
          // Signature results go in the ID token only, never to UserInfo (Signature Extension 5.2).
          const signed = use === 'id_token' && token?.grantId ? signResults.get(token.grantId) : undefined;
          if (signed) {
            claims[CLAIM_USER_SIGNATURE] = signed.userSignature;
            claims[CLAIM_AUTHN_EVIDENCE] = signed.authnEvidence;
          }
          return claims;
        },
      };
    },
  });

  // Re-read the portal's JWKS on every token/authorization request (oidc-provider caches it for at
  // least 60 s), so a portal restarted with a fresh key works at once.
  provider.use(async (ctx, next) => {
    if (CLIENT_JWKS_URI && (ctx.path === '/token' || ctx.path === '/auth')) {
      const c = await provider.Client.find(CLIENT_ID);
      if (c) c.asymmetricKeyStore.freshUntil = 0;
    }
    await next();
  });

  provider.on('server_error', (ctx, err) => console.error(`bankid-test-provider: server_error ${err.name}: ${err.message}`));
  return provider;
}

// ---------------------------------------------------------------------------------------------
// Interactions (login page, sign page)
// ---------------------------------------------------------------------------------------------
async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function epochNow() {
  return Math.floor(Date.now() / 1000);
}

function makeInteractionHandler(provider, issuer, signingKey, signingKid) {
  function requestedScopes(params) {
    const supported = new Set(['openid', 'profile', SCOPE_PNR, SCOPE_SIGN]);
    return String(params.scope || '').split(' ').filter((s) => supported.has(s));
  }

  function requestedClaims(params) {
    if (!params.claims) return [];
    try {
      const c = JSON.parse(params.claims);
      return [...new Set([...Object.keys(c.id_token || {}), ...Object.keys(c.userinfo || {})])];
    } catch {
      return [];
    }
  }

  // A new login replaces any earlier session in this browser: drop it first, or oidc-provider would
  // answer a change of person with its own "log out?" confirmation form.
  async function dropEarlierSession(interaction) {
    if (!interaction.session?.uid) return;
    const session = await provider.Session.findByUid(interaction.session.uid);
    if (session) await session.destroy();
    interaction.session = undefined;
    await interaction.save(Math.max(interaction.exp - epochNow(), 1));
  }

  async function finishLogin(req, res, interaction, { accountId, acr, ts, signResult }) {
    await dropEarlierSession(interaction);
    const { params } = interaction;
    const grant = new provider.Grant({ accountId, clientId: params.client_id });
    grant.addOIDCScope(requestedScopes(params).join(' '));
    const claims = requestedClaims(params);
    if (claims.length) grant.addOIDCClaims(claims);
    const grantId = await grant.save();
    if (signResult) remember(signResults, grantId, signResult, 15 * 60 * 1000);
    await provider.interactionFinished(req, res, {
      login: {
        accountId, acr, ts, remember: false,
      },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
  }

  async function makeUserSignature({ person, sign, clientId, signedAt }) {
    // Stands in for BankID's XML signature: a compact JWS by the provider's key (verify it with the
    // provider's jwks_uri) over what was signed, by whom and when; base64 (standard) encoded.
    const jws = await new jose.SignJWT({
      typ_info: 'BankID test provider signature (stands in for the BankID XML signature)',
      client_id: clientId,
      personnummer: person.personnummer,
      name: person.name,
      tbs_data_sha256: sign.tbs_data_sha256,
      sign_message_sha256: crypto.createHash('sha256').update(sign.message, 'utf8').digest('hex'),
      sign_message_mime_type: sign.mime_type,
      signed_at: new Date(signedAt * 1000).toISOString(),
    })
      .setProtectedHeader({ alg: 'RS256', kid: signingKid, typ: 'JWT' })
      .setIssuer(issuer)
      .setIssuedAt(signedAt)
      .sign(signingKey);
    return Buffer.from(jws, 'ascii').toString('base64');
  }

  return async function handle(req, res, pathname) {
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|sign|abort))?$/.exec(pathname);
    if (!m) return send(res, 404, errorPage('Sidan finns inte', 'Adressen är okänd.'));
    const [, uid, action] = m;
    if ((action && req.method !== 'POST') || (!action && req.method !== 'GET' && req.method !== 'HEAD')) {
      res.setHeader('Allow', action ? 'POST' : 'GET');
      return send(res, 405, errorPage('Fel metod', 'Metoden stöds inte här.'));
    }

    let interaction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch (err) {
      return send(res, 400, errorPage('Sessionen saknas', 'Inloggningen har gått ut eller startades i en annan webbläsare.'));
    }
    if (interaction.uid !== uid) {
      return send(res, 400, errorPage('Sessionen saknas', 'Inloggningen har gått ut eller startades i en annan webbläsare.'));
    }
    const { params, prompt } = interaction;
    const sign = signRequestOf(params);

    if (!action) {
      if (prompt.name === 'login') {
        const pending = pendingSign.get(uid);
        if (sign && pending) {
          return send(res, 200, signPage({ uid, sign, person: accounts.get(pending.accountId) }));
        }
        return send(res, 200, loginPage({ uid, sign }));
      }
      if (prompt.name === 'consent' && !sign) {
        // First-party client: grant what is asked for, without a page.
        const { details } = prompt;
        const grant = interaction.grantId
          ? await provider.Grant.find(interaction.grantId)
          : new provider.Grant({ accountId: interaction.session.accountId, clientId: params.client_id });
        if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
        if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(details.missingResourceScopes || {})) {
          grant.addResourceScope(indicator, scopes.join(' '));
        }
        const grantId = await grant.save();
        return provider.interactionFinished(req, res, {
          consent: interaction.grantId ? {} : { grantId },
        }, { mergeWithLastSubmission: true });
      }
      return send(res, 400, errorPage('Oväntat steg', 'Inloggningen kan inte fortsätta. Börja om från tjänsten.'));
    }

    if (action === 'abort') {
      pendingSign.delete(uid);
      return provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: sign ? 'the user cancelled the signature' : 'the user cancelled the login',
      }, { mergeWithLastSubmission: false });
    }

    if (action === 'login') {
      if (prompt.name !== 'login') return send(res, 400, errorPage('Oväntat steg', 'Börja om från tjänsten.'));
      let form;
      try {
        form = await readForm(req);
      } catch {
        return send(res, 413, errorPage('Fel', 'Formuläret är för stort.'));
      }
      const values = form.getAll('personnummer').map(normalizeTyped);
      const typed = form.get('action') === 'typed';
      const pnr = typed ? (values[0] || '') : (values.filter(Boolean).at(-1) || '');
      const acrInput = form.get('acr') || LOA3;
      const acr = { loa3: LOA3, loa2: LOA2 }[acrInput] || acrInput;
      const shownTyped = typed ? (form.getAll('personnummer')[0] || '') : '';
      if (![LOA3, LOA2].includes(acr)) {
        return send(res, 400, loginPage({
          uid, sign, typed: shownTyped, error: 'Okänd tillitsnivå (acr).',
        }));
      }
      const problem = personnummerError(pnr);
      if (problem) {
        return send(res, 400, loginPage({
          uid, sign, typed: shownTyped, acr, error: pnr ? problem : 'Ange ett personnummer eller välj en testperson.',
        }));
      }
      const person = personFor(pnr);
      const accountId = accountIdFor(pnr);
      accounts.set(accountId, person);

      const pins = pinnedIdentity(params);
      if (pins.length && !matchesPins(person, pins)) {
        pendingSign.delete(uid);
        return provider.interactionFinished(req, res, {
          error: 'access_denied',
          error_description: sign
            ? 'the wrong person signed: the authenticated user is not the signer requested in the claims parameter'
            : 'the authenticated user is not the person requested in the claims parameter',
        }, { mergeWithLastSubmission: false });
      }

      if (sign) {
        remember(pendingSign, uid, { accountId, acr }, 15 * 60 * 1000);
        res.statusCode = 303;
        res.setHeader('Location', `/interaction/${uid}`);
        res.setHeader('Cache-Control', 'no-store');
        return res.end();
      }
      return finishLogin(req, res, interaction, { accountId, acr, ts: epochNow() });
    }

    // action === 'sign'
    const pending = pendingSign.get(uid);
    if (!sign || !pending || prompt.name !== 'login') {
      return send(res, 400, errorPage('Oväntat steg', 'Det finns inget att skriva under. Börja om från tjänsten.'));
    }
    pendingSign.delete(uid);
    const person = accounts.get(pending.accountId);
    const signedAt = epochNow();
    const userSignature = await makeUserSignature({
      person, sign, clientId: params.client_id, signedAt,
    });
    const authnEvidence = Buffer.from(JSON.stringify({
      type: 'bankid-test-provider',
      note: 'test provider: no BankID OCSP response exists',
      acr: pending.acr,
      auth_time: signedAt,
    }), 'utf8').toString('base64');
    return finishLogin(req, res, interaction, {
      accountId: pending.accountId, acr: pending.acr, ts: signedAt, signResult: { userSignature, authnEvidence },
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function main() {
  const jwks = await loadOrCreateKeys();
  // 64 KiB of request line + headers: a signRequest JWT in a GET query can be long (POST to /auth
  // takes up to 56 KiB of form body too).
  const server = http.createServer({ maxHeaderSize: 64 * 1024 });
  let handler = (req, res) => {
    res.statusCode = 503;
    res.end('starting\n');
  };
  server.on('request', (req, res) => handler(req, res));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(PORT, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const issuer = (env.ISSUER || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  const issuerUrl = new URL(issuer);
  if (issuerUrl.pathname !== '/' || issuerUrl.search || issuerUrl.hash) fail('ISSUER must be an origin without path, query or fragment');

  const provider = buildProvider(issuer, jwks);
  const signingJwk = jwks.keys.find((k) => k.kty === 'RSA' && k.d);
  const signingKey = await jose.importJWK({ ...signingJwk, alg: 'RS256' }, 'RS256');
  const interactions = makeInteractionHandler(provider, issuer, signingKey, signingJwk.kid);
  const providerCallback = provider.callback();

  handler = (req, res) => {
    let pathname;
    try {
      pathname = new URL(req.url, issuer).pathname;
    } catch {
      res.statusCode = 400;
      return res.end();
    }
    if (pathname === '/interaction' || pathname.startsWith('/interaction/')) {
      return interactions(req, res, pathname).catch((err) => {
        console.error(`bankid-test-provider: interaction error ${err.name}: ${err.message}`);
        if (!res.headersSent) send(res, 500, errorPage('Något gick fel', 'Ett oväntat fel inträffade. Börja om från tjänsten.'));
        else res.end();
      });
    }
    if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      return res.end(`BankID test provider (Skolportal). Discovery: ${issuer}/.well-known/openid-configuration\n`);
    }
    return providerCallback(req, res);
  };

  const shutdown = () => server.close(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdout.write(`BANKID_TEST_PROVIDER_READY ${issuer}\n`);
}

main().catch((err) => {
  console.error(`bankid-test-provider: failed to start: ${err.stack || err.message}`);
  process.exit(1);
});
