// Skolportalen's service worker: keeps each app (its HTML shell and its files) so that the app
// starts without a network, and keeps as little personal data as it can.
//
// - Files with a content hash in their name never change: served from the cache, fetched once.
// - Pages (navigations) and the other files go to the network first; the last good answer is
//   kept for when there is none. A new deploy is therefore in use on the next start with a
//   network, and the server writes a new build id into this script, so the browser installs the
//   new worker, which drops the old build's files.
// - API answers are not kept. Only when the person has chosen, on their own device, to see their
//   start page without a network (the app then sends `KEEP_HEADER`) are the two answers it needs
//   kept (`KEPT`: who is logged in, which children), in their own cache. That cache is emptied
//   when someone logs in or out and when the server answers that the session is over, and it is
//   not served when older than `KEEP_HOURS`: the next person on a shared phone cannot read it.
// - An absence report posted without a network is not lost: the worker keeps it in its outbox
//   (IndexedDB), answers the page `202 {"queued": true}`, and sends it when the connection
//   returns: on Background Sync's `sync` event where the browser has it, and whenever an open
//   page asks (`flush`, which the app does on `online` and every few seconds). The report
//   carries its `submission_id`, so however often it is sent it makes one report. What the
//   server refuses for good (4xx but 401) is dropped and the page told; a 401 waits for the
//   person to log in again, and logging out empties the outbox.
// - A pushed notice (Web Push, sent by the server's job queue) is shown as a notification; a tap
//   opens its page.
//
// The server replaces the two quoted placeholders (backend `http::pwa`).
'use strict';

const BUILD = "__BUILD__";
const APPS = "__APPS__";
const FILES = `skolportal-files-${BUILD}`;
const PERSONAL = 'skolportal-personal';
const KEPT = ['/api/me', '/api/children'];
const KEEP_HOURS = 12;
const KEPT_AT = 'x-skolportal-kept-at';
const KEEP_HEADER = 'x-skolportal-keep-offline';
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z0-9]+$/;
// What every app's page loads besides its own files; the server writes them from the settings.
const SHARED = ['/theme.css', '/icon.svg', '/manifest.webmanifest', '/icon-192.png'];

const OUTBOX_DB = 'skolportal-outbox';
const OUTBOX_STORE = 'requests';
const OUTBOX_TAG = 'skolportal-outbox';
const OUTBOX_FLUSH = 'skolportal-outbox-flush';
const OUTBOX_SENT = 'skolportal-outbox-sent';
const OUTBOX_REFUSED = 'skolportal-outbox-refused';
// The posts that wait for a network rather than fail.
const OUTBOX_PATHS = ['/api/absence-reports'];
const LOGOUT = '/api/auth/logout';

function shellFor(pathname) {
  const first = pathname.replace(/^\//, '').split('/')[0];
  return APPS.prefixes[first] || APPS.default;
}

function shellKey(shell) {
  return new URL(`/__shell__/${shell}`, self.location.origin).href;
}

// The login page is the server's page without an app (backend `http::prerender`): kept under its
// own address, never as the families' shell. So is a guardian's "Mina barn", which is personal
// and answered `no-store`, so never kept; without a network its address starts the families'
// app, which shows what the guardian chose to keep. That shell is kept from a page that is
// always the app's.
const LOGIN = '/login';
const FAMILIES_PAGE = '/schema';

function keyFor(pathname) {
  return pathname === LOGIN ? new URL(LOGIN, self.location.origin).href : shellKey(shellFor(pathname));
}

function isHtml(response) {
  return (response.headers.get('content-type') || '').startsWith('text/html');
}

// A page the server says no one may keep: a page with personal data on it.
function mayKeep(response) {
  return !/no-store/.test(response.headers.get('cache-control') || '');
}

async function forgetPersonal() {
  await caches.delete(PERSONAL);
}

// Keeps the app each open page belongs to (its files and the page as served), and the login page.
async function keepApps() {
  const cache = await caches.open(FILES);
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const wanted = new Map();
  for (const page of pages) {
    const url = new URL(page.url);
    if (url.origin === self.location.origin && !url.pathname.startsWith('/api/')) {
      const shell = shellFor(url.pathname);
      const from = shell === APPS.default ? new URL(FAMILIES_PAGE, url).href : url.href;
      wanted.set(shell, from);
    }
  }
  if (wanted.size === 0) {
    wanted.set(APPS.default, new URL(FAMILIES_PAGE, self.location.origin).href);
  }
  await cache.addAll(SHARED);
  const login = await fetch(LOGIN, { credentials: 'same-origin' });
  if (login.ok && isHtml(login)) {
    await cache.put(keyFor(LOGIN), login);
  }
  for (const [shell, page] of wanted) {
    await cache.addAll(APPS.files[shell] || []);
    const response = await fetch(page, { credentials: 'same-origin' });
    if (response.ok && isHtml(response) && mayKeep(response)) {
      await cache.put(shellKey(shell), response);
    }
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepApps().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('skolportal-files-') && name !== FILES) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

async function navigate(request, url) {
  const key = keyFor(url.pathname);
  try {
    const response = await fetch(request);
    // A redirected answer is another address's page (`/` sends a stranger to the login page).
    if (response.ok && response.type === 'basic' && !response.redirected && isHtml(response)
        && mayKeep(response)) {
      const cache = await caches.open(FILES);
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const cache = await caches.open(FILES);
    const kept = await cache.match(key, { ignoreVary: true });
    if (!kept) {
      throw error;
    }
    return kept;
  }
}

async function file(request, url) {
  const cache = await caches.open(FILES);
  if (HASHED.test(url.pathname)) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) {
      return kept;
    }
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(request, response.clone());
    }
    return response;
  }
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (!kept) {
      throw error;
    }
    return kept;
  }
}

async function personal(request) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await (await caches.open(PERSONAL)).match(request, { ignoreVary: true });
    const keptAt = Number(kept && kept.headers.get(KEPT_AT));
    if (!kept || !(Date.now() - keptAt < KEEP_HOURS * 3600 * 1000)) {
      throw error;
    }
    return kept;
  }
  if (response.status === 401 || response.status === 403) {
    await forgetPersonal();
  } else if (response.ok && request.headers.get(KEEP_HEADER) === '1') {
    const headers = new Headers(response.headers);
    headers.set(KEPT_AT, String(Date.now()));
    const copy = new Response(await response.clone().arrayBuffer(), {
      status: response.status,
      headers,
    });
    await (await caches.open(PERSONAL)).put(request, copy);
  }
  return response;
}

// Logging in or out: what was kept for the person before is dropped before the answer arrives.
// Logging out (from the app or the server's page, `/api/auth/logout/form`) also drops what
// waits in the outbox, which is that person's to send, and ends this browser's push
// subscription: the next person on a shared phone must not see the last one's notices. (The
// server forgets the subscription when the push service next answers that it is gone.)
async function forgettingFirst(request) {
  const response = await fetch(request);
  await forgetPersonal();
  if (new URL(request.url).pathname.startsWith(LOGOUT)) {
    await emptyOutbox();
    await endPush();
  }
  return response;
}

async function endPush() {
  try {
    const subscription = self.registration.pushManager
      ? await self.registration.pushManager.getSubscription()
      : null;
    if (subscription) await subscription.unsubscribe();
  } catch (_) {
    // No push here, or it is already gone.
  }
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// One request per transaction: a transaction ends when the worker awaits anything else.
async function outbox(mode, work) {
  const open = indexedDB.open(OUTBOX_DB, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(OUTBOX_STORE, { keyPath: 'id', autoIncrement: true });
  };
  const db = await done(open);
  try {
    return await done(work(db.transaction(OUTBOX_STORE, mode).objectStore(OUTBOX_STORE)));
  } finally {
    db.close();
  }
}

async function emptyOutbox() {
  await outbox('readwrite', (store) => store.clear());
}

async function postOrKeep(request) {
  const body = await request.clone().text();
  try {
    return await fetch(request);
  } catch (error) {
    await outbox('readwrite', (store) => store.add({ url: request.url, body, keptAt: Date.now() }));
    if (self.registration.sync) {
      await self.registration.sync.register(OUTBOX_TAG).catch(() => {});
    }
    return new Response(JSON.stringify({ queued: true }), {
      status: 202,
      headers: { 'content-type': 'application/json' },
    });
  }
}

let flushing = null;

// Sends what the outbox keeps, oldest first; rejects while there is no network or the server
// cannot take it yet, so that Background Sync tries again later.
function flushOutbox() {
  if (!flushing) {
    flushing = sendKept().finally(() => {
      flushing = null;
    });
  }
  return flushing;
}

async function sendKept() {
  const kept = await outbox('readonly', (store) => store.getAll());
  let sent = 0;
  let refused = 0;
  try {
    for (const entry of kept) {
      const response = await fetch(entry.url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: entry.body,
      });
      if (response.status === 401 || response.status === 429 || response.status >= 500) {
        throw new Error(`the server answered ${response.status}; kept for later`);
      }
      await outbox('readwrite', (store) => store.delete(entry.id));
      if (response.ok) {
        sent += 1;
      } else {
        refused += 1;
      }
    }
  } finally {
    if (sent + refused > 0) {
      const pages = await self.clients.matchAll({ type: 'window' });
      for (const page of pages) {
        page.postMessage(refused > 0 ? OUTBOX_REFUSED : OUTBOX_SENT);
      }
    }
  }
}

self.addEventListener('sync', (event) => {
  if (event.tag === OUTBOX_TAG) {
    event.waitUntil(flushOutbox());
  }
});

self.addEventListener('message', (event) => {
  if (event.data === OUTBOX_FLUSH) {
    event.waitUntil(flushOutbox().catch(() => {}));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  const auth = url.pathname.startsWith('/api/auth/');
  if (request.method !== 'GET') {
    // The login form posts as a page load; its answer is a redirect or the page again.
    if (auth) {
      event.respondWith(forgettingFirst(request));
    } else if (request.method === 'POST' && OUTBOX_PATHS.includes(url.pathname)) {
      event.respondWith(postOrKeep(request));
    }
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    if (auth) {
      // A BankID login passes here as page loads.
      event.waitUntil(forgetPersonal());
    } else if (KEPT.includes(url.pathname) && !url.search) {
      event.respondWith(personal(request));
    }
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(navigate(request, url));
    return;
  }
  event.respondWith(file(request, url));
});

// A notice pushed by the server (a child's unexcused absence): its JSON names what to show, in
// words already, and the portal page a tap opens. Nothing else is read from the message.
self.addEventListener('push', (event) => {
  let notice = null;
  try {
    notice = event.data ? event.data.json() : null;
  } catch (_) {
    notice = null;
  }
  if (!notice || typeof notice.title !== 'string') return;
  const url = typeof notice.url === 'string' && notice.url.startsWith('/') ? notice.url : '/';
  event.waitUntil(self.registration.showNotification(notice.title, {
    body: typeof notice.body === 'string' ? notice.body : '',
    tag: typeof notice.tag === 'string' ? notice.tag : undefined,
    icon: '/icon-192.png',
    lang: 'sv',
    data: { url },
  }));
});

// A tap opens the notice's page: in a window of the portal that is open, or a new one.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin === url.origin && 'navigate' in client) {
        await client.focus();
        return client.navigate(url.href);
      }
    }
    return self.clients.openWindow(url.href);
  })());
});
