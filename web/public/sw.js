// The offline programme: keeps the site's shell and what a person reads on the way to the event (the
// event's page and timetable, their section's running order and their own slot, their cabinet) so
// that, without a connection, the pages show what was last seen. Hand-written, no build step: the
// shell's hashed files are read from index.html at install, and dropped when a fresh index.html
// names none of them (a new release).
//
// - the page itself (any navigation) and /api data on the list below: the network first; what it
//   answers is kept; when it cannot be reached the kept answer is given, marked with the header
//   X-Praktika-Saved (the time it was kept), which lib/api.ts turns into the page's notice;
// - /assets/ (hashed, immutable), the icons and the manifest: the kept copy first;
// - everything else (other API calls, uploads, WebSocket, media): untouched.
// Only GET answers of 200 are kept. A 401 on a kept address (the session ended) and the page's
// «forget» message (logout) drop every kept answer, so nothing personal outlives the session.
'use strict';

const kShell = 'praktika-shell-v1';
const kData = 'praktika-data-v1';
const kSavedHeader = 'X-Praktika-Saved';
const kKeptHeader = 'X-Praktika-Kept-At';

// The API answers kept for reading offline, by path.
const kKept = [
  /^\/api\/me$/,
  /^\/api\/events$/,
  /^\/api\/events\/[^/]+$/,
  /^\/api\/events\/[^/]+\/(timeline|announcements|cabinet|registration|results)$/,
  /^\/api\/events\/[^/]+\/practices\/\d+$/,
  /^\/api\/events\/[^/]+\/certificates\/mine$/,
  /^\/api\/events\/[^/]+\/sections$/,
  /^\/api\/events\/[^/]+\/sections\/mine$/,
  /^\/api\/events\/[^/]+\/sections\/\d+\/schedule$/,
];

const kStatic = [/^\/assets\//, /^\/icons\//, /^\/favicon\.svg$/, /^\/manifest\.webmanifest$/];

// The hashed files index.html names (its script and style).
function assetsOf(html) {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(kShell);
      const response = await fetch('/', { cache: 'no-cache' });
      if (!response.ok) throw new Error(`the site's page answered ${response.status}`);
      const html = await response.clone().text();
      await cache.put('/', response);
      await cache.addAll(['/favicon.svg', '/manifest.webmanifest', ...assetsOf(html)]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== kShell && name !== kData) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'forget') event.waitUntil(caches.delete(kData));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (kKept.some((re) => re.test(url.pathname))) {
    event.respondWith(data(request));
  } else if (kStatic.some((re) => re.test(url.pathname))) {
    event.respondWith(kept(request));
  }
});

// A copy of `response` with `name: value` added. The body is already decoded, so the transfer's
// own headers go.
async function withHeader(response, name, value) {
  const headers = new Headers(response.headers);
  headers.delete('Content-Encoding');
  headers.delete('Content-Length');
  headers.set(name, value);
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

// A kept answer as the page gets it offline: marked saved, with the instant it was kept.
function marked(response) {
  return withHeader(response, kSavedHeader, response.headers.get(kKeptHeader) ?? '');
}

// An answer to keep, with the instant it was kept.
function stamped(response) {
  return withHeader(response, kKeptHeader, new Date().toISOString());
}

// Every page of the site is index.html (the router draws the rest): the network first, the kept
// shell without it.
async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok && (response.headers.get('Content-Type') ?? '').startsWith('text/html')) await keepShell(response.clone());
    return response;
  } catch (e) {
    const shell = await caches.match('/', { cacheName: kShell });
    if (shell) return shell;
    throw e;
  }
}

// Keeps a fresh index.html; when it names other hashed files (a new release), the old ones go.
async function keepShell(response) {
  const cache = await caches.open(kShell);
  const html = await response.clone().text();
  await cache.put('/', response);
  const current = new Set(assetsOf(html));
  const keys = await cache.keys();
  const kept = keys.map((r) => new URL(r.url).pathname).filter((p) => p.startsWith('/assets/'));
  if (kept.some((p) => current.has(p))) return;
  for (const r of keys) if (new URL(r.url).pathname.startsWith('/assets/')) await cache.delete(r);
}

async function data(request) {
  const cache = await caches.open(kData);
  let response;
  try {
    response = await fetch(request);
  } catch (e) {
    const saved = await cache.match(request);
    if (saved) return marked(saved);
    throw e;
  }
  if (response.status === 200) await cache.put(request, await stamped(response.clone()));
  else if (response.status === 401) await caches.delete(kData);
  else if (response.status === 403 || response.status === 404) await cache.delete(request);
  return response;
}

async function kept(request) {
  const saved = await caches.match(request, { cacheName: kShell });
  if (saved) return saved;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(kShell);
    await cache.put(request, response.clone());
  }
  return response;
}
