#!/usr/bin/env node
/*
 * End-to-end self-test of the BankID test provider, without the Rust portal.
 *
 *   node tools/bankid-test-provider/selftest.mjs      (exits non-zero on failure)
 *
 * Uses only Node built-ins and jose. It plays the portal: makes a client key and serves its JWKS on a
 * local port, starts server.mjs (PORT=0), drives the login/sign pages with plain HTTP (fetch with
 * redirect: 'manual', cookies by hand), exchanges codes with private_key_jwt (and, against a second
 * instance, with a client secret) and verifies the ID tokens with the provider's JWKS. The redirect
 * URIs point at a port where nothing listens: the test only reads the Location header.
 */

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as jose from 'jose';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLIENT_ID = 'skolportal';
const CALLBACK_ORIGIN = 'http://127.0.0.1:9';
const LOGIN_REDIRECT = `${CALLBACK_ORIGIN}/api/auth/bankid/callback`;
const SIGN_REDIRECT = `${CALLBACK_ORIGIN}/api/sign/callback`;
const SCOPE_PNR = 'https://id.oidc.se/scope/naturalPersonNumber';
const SCOPE_SIGN = 'https://id.oidc.se/scope/sign';
const CLAIM_PNR = 'https://id.oidc.se/claim/personalIdentityNumber';
const CLAIM_COORD = 'https://id.oidc.se/claim/coordinationNumber';
const CLAIM_USER_SIGNATURE = 'https://id.oidc.se/claim/userSignature';
const CLAIM_AUTHN_EVIDENCE = 'https://id.oidc.se/claim/authnEvidence';
const PARAM_SIGN_REQUEST = 'https://id.oidc.se/param/signRequest';
const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';
const LOA2 = 'http://id.elegnamnden.se/loa/1.0/loa2';
const TEST_PNR = '189001019802'; // Skatteverket test number, not in PEOPLE_FILE -> "Test Testsson"
const ANNA_PNR = '198901012388'; // Skatteverket test number, in PEOPLE_FILE
const COORD_PNR = '191401682396'; // Skatteverket test samordningsnummer
const SECRET = crypto.randomBytes(32).toString('base64url');

// ------------------------------------------------------------------------------------------------
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function eq(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
const rand = () => crypto.randomBytes(24).toString('base64url');
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const sha256hex = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

class CookieJar {
  #cookies = [];

  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [nv, ...attrs] = line.split(';');
      const i = nv.indexOf('=');
      const name = nv.slice(0, i).trim();
      const value = nv.slice(i + 1).trim();
      let cpath = '/';
      let expired = value === '';
      for (const attr of attrs) {
        const j = attr.indexOf('=');
        const k = (j === -1 ? attr : attr.slice(0, j)).trim().toLowerCase();
        const v = j === -1 ? '' : attr.slice(j + 1).trim();
        if (k === 'path') cpath = v || '/';
        if (k === 'expires' && Date.parse(v) < Date.now()) expired = true;
        if (k === 'max-age' && Number(v) <= 0) expired = true;
      }
      this.#cookies = this.#cookies.filter((c) => !(c.name === name && c.path === cpath));
      if (!expired) this.#cookies.push({ name, value, path: cpath });
    }
  }

  header(url) {
    const p = new URL(url).pathname;
    return this.#cookies
      .filter((c) => p === c.path || p.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

async function request(jar, url, { method = 'GET', form } = {}) {
  const headers = {};
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(url, {
    method, headers, body, redirect: 'manual',
  });
  jar.store(res);
  return res;
}

/** Follows redirects like a browser until a page, or until the portal's callback (not fetched). */
async function browse(jar, startUrl, opts) {
  let url = String(startUrl);
  let res = await request(jar, url, opts);
  for (let hops = 0; hops < 15; hops += 1) {
    if (![301, 302, 303, 307, 308].includes(res.status)) {
      return { status: res.status, html: await res.text(), url };
    }
    const next = new URL(res.headers.get('location'), url);
    await res.arrayBuffer();
    if (next.origin === CALLBACK_ORIGIN) return { callback: next };
    url = next.toString();
    res = await request(jar, url);
  }
  throw new Error('too many redirects');
}

function formAction(html, suffix, base) {
  const m = new RegExp(`<form method="post" action="([^"]*/${suffix})"`).exec(html);
  assert(m, `no form posting to .../${suffix} on the page`);
  return new URL(m[1].replace(/&amp;/g, '&'), base).toString();
}

// ------------------------------------------------------------------------------------------------
// Portal stand-in: client keys and JWKS server
// ------------------------------------------------------------------------------------------------
async function makeClientKey(kid, alg = 'RS256') {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { modulusLength: 2048 });
  const jwk = await jose.exportJWK(publicKey);
  return {
    privateKey, kid, alg, jwk: { ...jwk, kid, alg, use: 'sig' },
  };
}

function serveJwks(jwks) {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(jwks));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function startProvider(envExtra) {
  const child = spawn(process.execPath, [path.join(HERE, 'server.mjs')], {
    env: { ...process.env, PORT: '0', CLIENT_ID, ...envExtra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`provider did not start in time\n${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const lines = out.split('\n');
      if (lines.length > 1) {
        clearTimeout(timer);
        const m = /^BANKID_TEST_PROVIDER_READY (\S+)$/.exec(lines[0]);
        if (!m) reject(new Error(`unexpected first stdout line: ${lines[0]}`));
        else resolve({ child, issuer: m[1], stdout: () => out, stderr: () => stderr });
      }
    });
    child.on('exit', (code) => reject(new Error(`provider exited with ${code}\n${stderr}`)));
  });
}

// ------------------------------------------------------------------------------------------------
// OIDC client helpers
// ------------------------------------------------------------------------------------------------
function makeClient(op, auth) {
  const jwks = jose.createRemoteJWKSet(new URL(op.disco.jwks_uri));

  async function authorize(jar, params, { post = false } = {}) {
    const state = rand();
    const nonce = rand();
    const verifier = rand() + rand();
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const url = new URL(op.disco.authorization_endpoint);
    const all = {
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: LOGIN_REDIRECT,
      scope: `openid profile ${SCOPE_PNR}`,
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      acr_values: LOA3,
      ...params,
    };
    const form = Object.entries(all).filter(([, v]) => v !== undefined);
    let page;
    if (post) {
      page = await browse(jar, url, { method: 'POST', form });
    } else {
      for (const [k, v] of form) url.searchParams.set(k, v);
      page = await browse(jar, url);
    }
    return {
      page, state, nonce, verifier, redirectUri: all.redirect_uri,
    };
  }

  async function clientAuth(body, headers) {
    if (auth.type === 'private_key_jwt') {
      body.set('client_id', CLIENT_ID);
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      body.set('client_assertion', await new jose.SignJWT({})
        .setProtectedHeader({ alg: auth.key.alg, kid: auth.key.kid })
        .setIssuer(CLIENT_ID).setSubject(CLIENT_ID).setAudience(op.disco.token_endpoint)
        .setJti(rand()).setIssuedAt().setExpirationTime('60s')
        .sign(auth.key.privateKey));
    } else if (auth.type === 'client_secret_basic') {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(auth.secret)}`).toString('base64')}`;
    } else {
      body.set('client_id', CLIENT_ID);
      body.set('client_secret', auth.secret);
    }
  }

  async function exchange(flow, callback) {
    eq(callback.searchParams.get('error'), null, `callback error (${callback.searchParams.get('error_description')})`);
    eq(callback.searchParams.get('state'), flow.state, 'state');
    eq(callback.searchParams.get('iss'), op.issuer, 'iss in the authorization response');
    const code = callback.searchParams.get('code');
    assert(code, 'no code in the callback');
    const body = new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: flow.redirectUri, code_verifier: flow.verifier,
    });
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    await clientAuth(body, headers);
    const res = await fetch(op.disco.token_endpoint, { method: 'POST', headers, body });
    const json = await res.json();
    assert(res.ok, `token endpoint ${res.status}: ${JSON.stringify(json)}`);
    assert(!json.refresh_token, 'a refresh token was issued');
    const { payload, protectedHeader } = await jose.jwtVerify(json.id_token, jwks, {
      issuer: op.issuer, audience: CLIENT_ID, algorithms: ['RS256'],
    });
    eq(protectedHeader.alg, 'RS256', 'ID token alg');
    eq(payload.nonce, flow.nonce, 'nonce');
    assert(payload.exp - payload.iat <= 300, `ID token lives ${payload.exp - payload.iat} s (> 300)`);
    return {
      idToken: payload, tokens: json, code, body,
    };
  }

  return { authorize, exchange, jwks };
}

async function submitLogin(jar, page, { pnr, via = 'typed', acr }) {
  assert(page.status === 200, `login page status ${page.status}`);
  for (const needle of ['lang="sv"', 'id="personnummer"', 'name="personnummer"', 'id="bankid-login"', 'name="acr"', 'Testläge', 'Ange ett testpersonnummer (12 siffror)']) {
    assert(page.html.includes(needle), `login page lacks ${needle}`);
  }
  const action = formAction(page.html, 'login', page.url);
  const form = [];
  if (via === 'typed') {
    form.push(['personnummer', pnr], ['action', 'typed']);
  } else {
    // What a browser sends for a click on a person button: the (empty) text field, then the button.
    assert(page.html.includes(`name="personnummer" value="${pnr}"`), 'person button missing');
    form.push(['personnummer', ''], ['personnummer', pnr]);
  }
  if (acr) form.push(['acr', acr]);
  return browse(jar, action, { method: 'POST', form });
}

async function signRequestJwt(op, key, {
  message, tbs, alg = key.alg || 'RS256', aud = op.issuer, exp = '5m', mime = 'text/plain',
}) {
  return new jose.SignJWT({
    tbs_data: Buffer.from(tbs).toString('base64'),
    sign_message: { 'message#sv': b64(message), mime_type: mime },
  })
    .setProtectedHeader(alg === 'HS256' ? { alg } : { alg, kid: key.kid })
    .setIssuer(CLIENT_ID).setAudience(aud).setIssuedAt().setExpirationTime(exp)
    .sign(alg === 'HS256' ? new TextEncoder().encode(key) : key.privateKey);
}

function signParams(signRequest, pinned) {
  return {
    redirect_uri: SIGN_REDIRECT,
    scope: `openid ${SCOPE_SIGN} ${SCOPE_PNR}`,
    prompt: 'login consent',
    [PARAM_SIGN_REQUEST]: signRequest,
    claims: pinned ? JSON.stringify({ id_token: { [CLAIM_PNR]: { essential: true, value: pinned } } }) : undefined,
  };
}

async function checkUserSignature(op, client, idToken, { tbs, pnr, message }) {
  const us = idToken[CLAIM_USER_SIGNATURE];
  assert(typeof us === 'string' && us.length > 0, 'ID token lacks userSignature');
  const jws = Buffer.from(us, 'base64').toString('ascii');
  const { payload } = await jwtVerifyCompact(jws, client.jwks, op.issuer);
  eq(payload.tbs_data_sha256, sha256hex(Buffer.from(tbs)), 'userSignature tbs_data_sha256');
  eq(payload.personnummer, pnr, 'userSignature personnummer');
  eq(payload.sign_message_sha256, sha256hex(Buffer.from(message, 'utf8')), 'userSignature sign_message_sha256');
  assert(!Number.isNaN(Date.parse(payload.signed_at)), 'userSignature signed_at');
  assert(typeof idToken.auth_time === 'number', 'ID token lacks auth_time');
  assert(Math.abs(Date.parse(payload.signed_at) / 1000 - idToken.auth_time) < 2, 'auth_time is not the signing time');
  assert(typeof idToken[CLAIM_AUTHN_EVIDENCE] === 'string', 'ID token lacks authnEvidence');
}

async function jwtVerifyCompact(jws, jwks, issuer) {
  return jose.jwtVerify(jws, jwks, { issuer, algorithms: ['RS256'] });
}

// ------------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------------
async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bankid-selftest-'));
  const peopleFile = path.join(tmp, 'people.json');
  fs.writeFileSync(peopleFile, JSON.stringify([
    {
      personnummer: ANNA_PNR, given_name: 'Anna', family_name: 'Lindqvist', label: 'Vårdnadshavare, tre barn',
    },
    {
      personnummer: '198501139995', given_name: 'Erik', family_name: 'Sandberg', label: 'Lärare',
    },
  ]));

  const clientKey = await makeClientKey('portal-key-1');
  const wrongKey = await makeClientKey('portal-key-1'); // same kid, different key
  const ecKey = await makeClientKey('portal-key-ec', 'ES256');
  const jwksServer = await serveJwks({ keys: [clientKey.jwk, ecKey.jwk] });
  const jwksUri = `http://127.0.0.1:${jwksServer.address().port}/api/auth/jwks`;

  const started = [];
  const results = [];
  let current = 'start-up';
  const test = async (name, fn) => {
    current = name;
    const t0 = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (err) {
      results.push({ name, ok: false });
      console.log(`FAIL ${name}: ${err.message}`);
    }
  };

  try {
    const op = await startProvider({
      CLIENT_JWKS_URI: jwksUri,
      REDIRECT_URIS: `${LOGIN_REDIRECT},${SIGN_REDIRECT}`,
      PEOPLE_FILE: peopleFile,
      KEYS_FILE: path.join(tmp, 'keys', 'provider-jwks.json'),
    });
    started.push(op);
    op.disco = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
    const client = makeClient(op, { type: 'private_key_jwt', key: clientKey });
    const jar = new CookieJar(); // one "browser" for the whole run

    await test('discovery document', async () => {
      eq(op.disco.issuer, op.issuer, 'issuer');
      assert(op.disco.token_endpoint_auth_methods_supported.includes('private_key_jwt'), 'private_key_jwt not supported');
      assert(op.disco.scopes_supported.includes(SCOPE_SIGN) && op.disco.scopes_supported.includes(SCOPE_PNR), 'oidc.se scopes missing');
      assert([CLAIM_PNR, CLAIM_COORD, CLAIM_USER_SIGNATURE, 'auth_time', 'acr'].every((c) => op.disco.claims_supported.includes(c)), 'claims_supported incomplete');
      eq(JSON.stringify(op.disco.acr_values_supported), JSON.stringify([LOA3, LOA2]), 'acr_values_supported');
      eq(JSON.stringify(op.disco.code_challenge_methods_supported), '["S256"]', 'code_challenge_methods_supported');
      eq(JSON.stringify(op.disco.grant_types_supported), '["authorization_code"]', 'grant_types_supported');
      eq(JSON.stringify(op.disco.response_types_supported), '["code"]', 'response_types_supported');
      eq(op.disco.claims_parameter_supported, true, 'claims_parameter_supported');
      eq(op.disco.request_parameter_supported, true, 'request_parameter_supported');
      eq(JSON.stringify(op.disco.id_token_signing_alg_values_supported), '["RS256"]', 'id_token_signing_alg_values_supported');
      assert(fs.existsSync(path.join(tmp, 'keys', 'provider-jwks.json')), 'KEYS_FILE not written');
    });

    await test('(1) login, loa3, typed personnummer 189001019802', async () => {
      const flow = await client.authorize(jar, {});
      const done = await submitLogin(jar, flow.page, { pnr: TEST_PNR });
      assert(done.callback, `expected a redirect to the callback, got page ${done.status}`);
      const { idToken, code, body } = await client.exchange(flow, done.callback);
      eq(idToken[CLAIM_PNR], TEST_PNR, 'personalIdentityNumber');
      eq(idToken[CLAIM_COORD], undefined, 'coordinationNumber');
      eq(idToken.acr, LOA3, 'acr');
      eq(idToken.given_name, 'Test', 'given_name');
      eq(idToken.family_name, 'Testsson', 'family_name');
      eq(idToken.name, 'Test Testsson', 'name');
      eq(idToken.birthdate, '1890-01-01', 'birthdate');
      assert(typeof idToken.auth_time === 'number' && Math.abs(idToken.auth_time - Date.now() / 1000) < 30, 'auth_time');
      assert(!String(idToken.sub).includes(TEST_PNR), 'sub contains the personnummer');
      eq(idToken[CLAIM_USER_SIGNATURE], undefined, 'userSignature on a plain login');
      // The code is single-use.
      body.set('client_assertion', await new jose.SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: clientKey.kid })
        .setIssuer(CLIENT_ID).setSubject(CLIENT_ID).setAudience(op.disco.token_endpoint).setJti(rand())
        .setIssuedAt().setExpirationTime('60s').sign(clientKey.privateKey));
      const again = await fetch(op.disco.token_endpoint, { method: 'POST', body });
      eq((await again.json()).error, 'invalid_grant', 'second use of a code');
      assert(code, 'code');
    });

    await test('(2) Testläge loa2 gives acr loa2 although loa3 was requested (person button, same browser)', async () => {
      const flow = await client.authorize(jar, { acr_values: LOA3 });
      const done = await submitLogin(jar, flow.page, { pnr: ANNA_PNR, via: 'button', acr: LOA2 });
      assert(done.callback, `expected the callback, got page ${done.status}: ${done.html?.slice(0, 300)}`);
      const { idToken } = await client.exchange(flow, done.callback);
      eq(idToken.acr, LOA2, 'acr');
      eq(idToken.given_name, 'Anna', 'given_name');
      eq(idToken[CLAIM_PNR], ANNA_PNR, 'personalIdentityNumber');
    });

    await test('acr as an essential claim: choosing loa2 brings the login page back (no loa2 token)', async () => {
      const flow = await client.authorize(jar, {
        acr_values: undefined,
        claims: JSON.stringify({ id_token: { acr: { essential: true, values: [LOA3] } } }),
      });
      const again = await submitLogin(jar, flow.page, { pnr: TEST_PNR, acr: LOA2 });
      assert(!again.callback, 'a loa2 login completed although loa3 was essential');
      eq(again.status, 200, 'login page shown again');
      const done = await submitLogin(jar, again, { pnr: TEST_PNR, acr: LOA3 });
      const { idToken } = await client.exchange(flow, done.callback);
      eq(idToken.acr, LOA3, 'acr');
    });

    await test('invalid personnummer is shown as an error, then a valid one logs in', async () => {
      const flow = await client.authorize(jar, {});
      const bad = await submitLogin(jar, flow.page, { pnr: '189001019803' });
      eq(bad.status, 400, 'status for a bad check digit');
      assert(bad.html.includes('role="alert"') && bad.html.includes('Kontrollsiffran'), 'no error message for a bad check digit');
      const short = await submitLogin(jar, { ...bad, status: 200 }, { pnr: '12345' });
      assert(short.html.includes('12 siffror'), 'no error message for a short number');
      const done = await submitLogin(jar, { ...short, status: 200 }, { pnr: COORD_PNR });
      const { idToken } = await client.exchange(flow, done.callback);
      eq(idToken[CLAIM_COORD], COORD_PNR, 'coordinationNumber for a samordningsnummer');
      eq(idToken[CLAIM_PNR], undefined, 'personalIdentityNumber for a samordningsnummer');
      eq(idToken.birthdate, '1914-01-08', 'birthdate of a samordningsnummer');
    });

    const message = 'Jag godkänner platserbjudandet för Ella på Solrosens förskola från 2025-08-18.\n<b>Inte HTML</b> & "citat"';
    const tbs = 'Platserbjudande #4711\nsha256 of the document: 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b';

    await test('(3) sign flow: signRequest + prompt=login consent + pinned signer, login then "Skriv under"', async () => {
      const sr = await signRequestJwt(op, clientKey, { message, tbs });
      const flow = await client.authorize(jar, signParams(sr, ANNA_PNR));
      assert(!flow.page.html.includes('Jag godkänner'), 'sign message shown before the signer was identified');
      const signPage = await submitLogin(jar, flow.page, { pnr: ANNA_PNR, via: 'button' });
      eq(signPage.status, 200, 'sign page status');
      for (const needle of ['id="bankid-sign"', 'Skriv under', 'id="bankid-cancel"', 'Avbryt', 'Anna Lindqvist', 'class="sign-message"',
        'Jag godkänner platserbjudandet för Ella', '&lt;b&gt;Inte HTML&lt;/b&gt; &amp; &quot;citat&quot;']) {
        assert(signPage.html.includes(needle), `sign page lacks ${needle}`);
      }
      assert(!signPage.html.includes('<b>Inte HTML</b>'), 'sign message not escaped');
      const done = await browse(jar, formAction(signPage.html, 'sign', signPage.url), { method: 'POST', form: {} });
      assert(done.callback, `expected the callback, got ${done.status}`);
      const { idToken, tokens } = await client.exchange(flow, done.callback);
      eq(idToken[CLAIM_PNR], ANNA_PNR, 'personalIdentityNumber');
      eq(idToken.acr, LOA3, 'acr');
      await checkUserSignature(op, client, idToken, { tbs, pnr: ANNA_PNR, message });
      // Signature results never come from UserInfo.
      const ui = await (await fetch(op.disco.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
      eq(ui[CLAIM_USER_SIGNATURE], undefined, 'userSignature from UserInfo');
      eq(ui[CLAIM_PNR], ANNA_PNR, 'UserInfo personalIdentityNumber');
    });

    await test('sign request POSTed to the authorization endpoint, 20 KiB tbs_data, markdown message', async () => {
      const bigTbs = crypto.randomBytes(20 * 1024);
      const md = '# Uppsägning\n\n* Plats: **Solrosens förskola**\n* Sista dag: 2025-09-30';
      const sr = await signRequestJwt(op, clientKey, { message: md, tbs: bigTbs, mime: 'text/markdown' });
      const flow = await client.authorize(jar, signParams(sr, ANNA_PNR), { post: true });
      const signPage = await submitLogin(jar, flow.page, { pnr: ANNA_PNR, via: 'button' });
      assert(signPage.html?.includes('# Uppsägning\n\n* Plats: **Solrosens förskola**'), 'markdown not shown as plain text');
      const done = await browse(jar, formAction(signPage.html, 'sign', signPage.url), { method: 'POST', form: {} });
      const { idToken } = await client.exchange(flow, done.callback);
      await checkUserSignature(op, client, idToken, { tbs: bigTbs, pnr: ANNA_PNR, message: md });
      // The same request as a GET (long URL) works too.
      const flow2 = await client.authorize(jar, signParams(sr, ANNA_PNR));
      eq(flow2.page.status, 200, 'GET with a long signRequest');
    });

    await test('sign request inside a signed Request Object', async () => {
      const flowParams = signParams(undefined, ANNA_PNR);
      const requestObject = await new jose.SignJWT({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: SIGN_REDIRECT,
        scope: flowParams.scope,
        prompt: 'login consent',
        claims: JSON.parse(flowParams.claims),
        [PARAM_SIGN_REQUEST]: {
          tbs_data: Buffer.from(tbs).toString('base64'),
          sign_message: { 'message#sv': b64('Signering via Request Object'), mime_type: 'text/markdown' },
        },
      }).setProtectedHeader({ alg: 'RS256', kid: clientKey.kid })
        .setIssuer(CLIENT_ID).setAudience(op.issuer).setIssuedAt().setExpirationTime('5m')
        .sign(clientKey.privateKey);
      const flow = await client.authorize(jar, { ...flowParams, [PARAM_SIGN_REQUEST]: undefined, claims: undefined, request: requestObject });
      const signPage = await submitLogin(jar, flow.page, { pnr: ANNA_PNR });
      assert(signPage.html?.includes('Signering via Request Object'), `no sign page: ${signPage.callback || signPage.status}`);
      const done = await browse(jar, formAction(signPage.html, 'sign', signPage.url), { method: 'POST', form: {} });
      const { idToken } = await client.exchange(flow, done.callback);
      await checkUserSignature(op, client, idToken, { tbs, pnr: ANNA_PNR, message: 'Signering via Request Object' });
    });

    await test('ES256 client key: private_key_jwt client_assertion and signRequest', async () => {
      const ec = makeClient(op, { type: 'private_key_jwt', key: ecKey });
      const sr = await signRequestJwt(op, ecKey, { message, tbs });
      const flow = await ec.authorize(jar, signParams(sr, TEST_PNR));
      const signPage = await submitLogin(jar, flow.page, { pnr: TEST_PNR });
      const done = await browse(jar, formAction(signPage.html, 'sign', signPage.url), { method: 'POST', form: {} });
      const { idToken } = await ec.exchange(flow, done.callback);
      await checkUserSignature(op, ec, idToken, { tbs, pnr: TEST_PNR, message });
    });

    await test('(4) signRequest signed with the wrong key is refused (invalid_request)', async () => {
      const sr = await signRequestJwt(op, wrongKey, { message, tbs });
      const flow = await client.authorize(jar, signParams(sr, ANNA_PNR));
      assert(flow.page.callback, 'expected an error redirect, got a page');
      eq(flow.page.callback.searchParams.get('error'), 'invalid_request', 'error');
      eq(flow.page.callback.searchParams.get('state'), flow.state, 'state');
      assert(flow.page.callback.searchParams.get('error_description').includes('signRequest'), 'error_description');
    });

    await test('missing, expired or wrongly addressed signRequest, or no prompt=login consent: invalid_request', async () => {
      const cases = [
        ['missing', signParams(undefined, ANNA_PNR)],
        ['expired', signParams(await signRequestJwt(op, clientKey, { message, tbs, exp: Math.floor(Date.now() / 1000) - 120 }), ANNA_PNR)],
        ['wrong aud', signParams(await signRequestJwt(op, clientKey, { message, tbs, aud: 'http://example.invalid' }), ANNA_PNR)],
        ['bad mime', signParams(await signRequestJwt(op, clientKey, { message, tbs, mime: 'text/html' }), ANNA_PNR)],
        ['no prompt', { ...signParams(await signRequestJwt(op, clientKey, { message, tbs }), ANNA_PNR), prompt: undefined }],
      ];
      for (const [what, params] of cases) {
        const flow = await client.authorize(jar, params);
        assert(flow.page.callback, `${what}: expected an error redirect, got a page`);
        eq(flow.page.callback.searchParams.get('error'), 'invalid_request', `${what}: error`);
      }
    });

    await test('(5) pinned personnummer mismatch is refused (access_denied, wrong person)', async () => {
      const sr = await signRequestJwt(op, clientKey, { message, tbs });
      const flow = await client.authorize(jar, signParams(sr, ANNA_PNR));
      const done = await submitLogin(jar, flow.page, { pnr: TEST_PNR });
      assert(done.callback, `expected an error redirect, got page ${done.status}`);
      eq(done.callback.searchParams.get('error'), 'access_denied', 'error');
      assert(/wrong person/.test(done.callback.searchParams.get('error_description')), 'error_description should say the wrong person signed');
      eq(done.callback.searchParams.get('state'), flow.state, 'state');
    });

    await test('"Avbryt" on the sign page ends with access_denied', async () => {
      const sr = await signRequestJwt(op, clientKey, { message, tbs });
      const flow = await client.authorize(jar, signParams(sr, ANNA_PNR));
      const signPage = await submitLogin(jar, flow.page, { pnr: ANNA_PNR });
      const done = await browse(jar, formAction(signPage.html, 'abort', signPage.url), { method: 'POST', form: {} });
      eq(done.callback?.searchParams.get('error'), 'access_denied', 'error');
    });

    await test('PKCE is required', async () => {
      const flow = await client.authorize(jar, { code_challenge: undefined, code_challenge_method: undefined });
      eq(flow.page.callback?.searchParams.get('error'), 'invalid_request', 'error without code_challenge');
    });

    await test('stdout carries only the READY line and no personnummer is logged', async () => {
      eq(op.stdout().trim().split('\n').length, 1, 'stdout lines');
      for (const pnr of [TEST_PNR, ANNA_PNR, COORD_PNR]) assert(!op.stderr().includes(pnr) && !op.stdout().includes(pnr), 'a personnummer was logged');
    });

    // A second instance configured with a client secret instead of a JWKS.
    const op2 = await startProvider({ CLIENT_SECRET: SECRET, REDIRECT_URIS: `${LOGIN_REDIRECT},${SIGN_REDIRECT}` });
    started.push(op2);
    op2.disco = await (await fetch(`${op2.issuer}/.well-known/openid-configuration`)).json();

    await test('CLIENT_SECRET: login with client_secret_basic', async () => {
      const c = makeClient(op2, { type: 'client_secret_basic', secret: SECRET });
      const jar2 = new CookieJar();
      const flow = await c.authorize(jar2, {});
      const done = await submitLogin(jar2, flow.page, { pnr: TEST_PNR });
      const { idToken } = await c.exchange(flow, done.callback);
      eq(idToken[CLAIM_PNR], TEST_PNR, 'personalIdentityNumber');
    });

    await test('CLIENT_SECRET: sign with an HS256 signRequest and client_secret_post', async () => {
      const c = makeClient(op2, { type: 'client_secret_post', secret: SECRET });
      const jar2 = new CookieJar();
      const sr = await signRequestJwt(op2, SECRET, { message, tbs, alg: 'HS256' });
      const flow = await c.authorize(jar2, signParams(sr, TEST_PNR));
      const signPage = await submitLogin(jar2, flow.page, { pnr: TEST_PNR });
      const done = await browse(jar2, formAction(signPage.html, 'sign', signPage.url), { method: 'POST', form: {} });
      const { idToken } = await c.exchange(flow, done.callback);
      await checkUserSignature(op2, c, idToken, { tbs, pnr: TEST_PNR, message });
      const wrong = await signRequestJwt(op2, crypto.randomBytes(32).toString('base64url'), { message, tbs, alg: 'HS256' });
      const refused = await c.authorize(jar2, signParams(wrong, TEST_PNR));
      eq(refused.page.callback?.searchParams.get('error'), 'invalid_request', 'HS256 with a wrong secret');
    });

    await test('KEYS_FILE keeps the provider keys across restarts', async () => {
      const before = await (await fetch(op.disco.jwks_uri)).json();
      const op3 = await startProvider({
        CLIENT_JWKS_URI: jwksUri, KEYS_FILE: path.join(tmp, 'keys', 'provider-jwks.json'),
      });
      started.push(op3);
      const after = await (await fetch(`${op3.issuer}/jwks`)).json();
      eq(after.keys[0].kid, before.keys[0].kid, 'kid after restart');
      assert(!after.keys[0].d, 'private key material in the public JWKS');
    });
  } catch (err) {
    results.push({ name: current, ok: false });
    console.log(`FAIL ${current}: ${err.message}`);
  } finally {
    for (const op of started) op.child.kill('SIGTERM');
    jwksServer.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`\nbankid-test-provider selftest: ${results.length} checks`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || !passed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
