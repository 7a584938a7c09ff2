// The offline programme: after one visit with a connection, the event's page with its timetable,
// the person's cabinet and their own slot in a section are readable with the network switched off
// (context.setOffline), marked «Нет связи — показано сохранённое» with the time the service worker
// kept the shown data, in the event's time zone as the agenda's other dates read; the notice goes once the server
// answers again, and a logout drops what was kept. On the way the front end asks for the event's
// agenda once, however many pages need it. The site installs as a web app: Chromium finds its
// manifest and icons and reports no installability error.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { launchPersistentBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { kDemoPassword, startDemoServer } from './demo_data.mjs';
import { signInBrowser } from './people.mjs';
import { useBrowser } from './setup.mjs';
import { formatInstant } from './server.mjs';

const kEvent = 'irkutsk-2020';
// The morning of the section day: the author's talk has its slot, the sections have not started.
const kClock = '2020-07-08T09:30:00+08:00';
const kAuthor = 'author@demo.praktika';
const kSaved = 'Нет связи — показано сохранённое';
const kOffset = '+08:00'; // the agenda's utc_offset
const kMonthsGenitive = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

const env = useBrowser({ tag: 'offline', demo: true });

// «8 июля 2020, 09:30» for the instant `iso` in the event's time zone, written out here rather than
// taken from the front end, so a wrong zone or format there fails.
function inEventWords(iso) {
  const [date, clock] = formatInstant(Date.parse(iso), kOffset).split('T');
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${kMonthsGenitive[month - 1]} ${year}, ${clock.slice(0, 5)}`;
}

// The notice as it reads now, and the time it says the shown data was kept, which must lie within
// the first visit.
async function savedNotice(page, visit) {
  const text = await waitUntil('the notice', () => textOf(page, 'saved-notice'), (t) => t !== null);
  const at = await testId(page, 'saved-notice').getAttribute('data-saved-at');
  const ms = Date.parse(at);
  assert.ok(ms >= visit.from && ms <= visit.to, `kept at ${at}, outside the first visit`);
  assert.equal(text, `${kSaved}: данные на ${inEventWords(at)}`);
  assert.equal(await testId(page, 'saved-at').getAttribute('datetime'), at);
  return text;
}

// Follows the app's own link `id` (the router's navigation, no page load).
async function follow(page, id) {
  await testId(page, id).first().click();
}

test('after one visit the event page, the timetable, the own slot and the cabinet are readable offline', async () => {
  const server = await startDemoServer(env.dataDir, kClock);
  const context = await env.browser.newContext();
  const visit = { from: Date.now() };
  try {
    await signInBrowser(context, server.url, kAuthor, kDemoPassword);
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    const agendaAsked = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === `/api/events/${kEvent}`) agendaAsked.push(r.url());
    });
    await waitUntil('the service worker in control', () => page.evaluate(() => navigator.serviceWorker.controller !== null), Boolean, 10000);

    // The first visit, with a connection: the event's page, the cabinet, back to the event's page.
    await page.reload({ waitUntil: 'load' });
    const timetable = await waitUntil('the timetable', () => textOf(page, 'timetable'), (t) => !!t);
    agendaAsked.length = 0; // from here every page the person opens already has the agenda
    await follow(page, 'cabinet-link');
    const slots = await waitUntil('the own slot', () => textOf(page, 'my-slots'), (t) => !!t && /\d{1,2}:\d{2}/.test(t));
    const practices = await textOf(page, 'practice-list');
    assert.ok(practices, 'the cabinet lists the practices');
    await follow(page, 'brand');
    await page.goBack();
    await waitUntil('the cabinet again', () => textOf(page, 'my-slots'), (t) => t === slots);
    assert.deepEqual(agendaAsked, [], 'the agenda asked again by pages that need it');
    assert.equal(await testId(page, 'saved-notice').count(), 0, 'no notice while the server answers');
    visit.to = Date.now();

    // Offline: a fresh load of each page.
    await context.setOffline(true);
    await page.goto(`${server.url}/events/${kEvent}`, { waitUntil: 'load' });
    assert.equal(await waitUntil('the timetable offline', () => textOf(page, 'timetable'), (t) => t !== null), timetable);
    await savedNotice(page, visit);
    await follow(page, 'cabinet-link');
    assert.equal(await waitUntil('the own slot offline', () => textOf(page, 'my-slots'), (t) => t !== null), slots);
    assert.equal(await textOf(page, 'practice-list'), practices);
    await savedNotice(page, visit);
    const tab = await context.newPage();
    await tab.goto(`${server.url}/events/${kEvent}/cabinet`, { waitUntil: 'load' });
    assert.equal(await waitUntil('the cabinet in a new tab offline', () => textOf(tab, 'my-slots'), (t) => t !== null), slots);
    await savedNotice(tab, visit);
    await tab.close();

    // Back online: the server's answers, and no notice.
    await context.setOffline(false);
    await page.reload({ waitUntil: 'load' });
    await waitUntil('the cabinet online', () => textOf(page, 'my-slots'), (t) => t === slots);
    await waitUntil('the notice gone', () => testId(page, 'saved-notice').count(), (n) => n === 0);

    // A logout leaves nothing personal on the device.
    await testId(page, 'logout-button').click();
    await waitUntil('the login button', () => testId(page, 'login-button').count(), (n) => n === 1);
    const kept = await waitUntil(
      'the kept answers dropped',
      () => page.evaluate(async () => {
        const out = [];
        for (const name of await caches.keys()) {
          for (const r of await (await caches.open(name)).keys()) out.push(new URL(r.url).pathname);
        }
        return out.filter((p) => p.startsWith('/api/'));
      }),
      (list) => list.length === 0,
    );
    assert.deepEqual(kept, []);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('the site installs as a web app: a manifest with icons and no installability error', async () => {
  const server = await startDemoServer(env.dataDir, kClock);
  // Chromium does not install from an incognito profile, which is what a new context is.
  const context = await launchPersistentBrowser(join(env.work, 'profile'));
  try {
    const page = await openPage(context, `${server.url}/`);
    await waitUntil('the service worker in control', () => page.evaluate(() => navigator.serviceWorker.controller !== null), Boolean, 10000);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, []);
    const parsed = JSON.parse(manifest.data);
    assert.equal(parsed.lang, 'ru');
    assert.ok(parsed.icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable'));
    for (const icon of parsed.icons) {
      const r = await fetch(new URL(icon.src, server.url));
      assert.equal(r.status, 200, icon.src);
      assert.equal(r.headers.get('content-type')?.split(';')[0], icon.type, icon.src);
    }
    const installable = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installable.installabilityErrors, []);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});
