// The accessibility audit: every page of both events (the conference irkutsk-2020 and the contest
// contest-2025), as the public, an author, an expert, a moderator and the organiser, passes axe-core's
// WCAG 2.1 A and AA rules with no serious or critical violation, and its rules of a page's structure
// (landmarks, headings) with none at all. The pages are those of the demo's
// data set (scripts/demo/seed.py: every role, every stage's data), each event at a moment when its
// pages are full: the conference during the section day (and, for the public and an author, while it
// takes applications, when its forms are open to edit), the contest after its diplomas. Each
// person's pages are found as a person finds them, by following the links from the event's page,
// and each kind of page (one practice stands for all) is visited once, inside the running app (the
// router's own navigation), so axe is injected once per person. Then the keyboard: the moderator's
// console and the flashmob's player are worked with Tab, Enter and Space alone, and a form's errors
// are tied to their fields.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { testId, waitUntil } from './browser.mjs';
import { kDemoPassword, startDemoServer } from './demo_data.mjs';
import { signInBrowser } from './people.mjs';
import { useBrowser } from './setup.mjs';
import { repoRoot } from './server.mjs';

const kAxe = join(repoRoot, 'web', 'node_modules', 'axe-core', 'axe.min.js');
const kTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// axe's best practices for the page's structure, kept with any impact: content inside landmarks, one
// main, one first-level heading, headings in order, no nameless column.
const kStructure = ['region', 'landmark-one-main', 'landmark-unique', 'page-has-heading-one', 'heading-order', 'empty-table-header'];
const kPagesPerPerson = 60;

// Who looks at each event, by the demo's accounts (scripts/demo/sample.json). The contest has no
// section day, so no moderator.
const kEvents = [
  {
    id: 'irkutsk-2020',
    clock: '2020-07-08T10:20:00+08:00',
    people: {
      public: null,
      author: 'author@demo.praktika',
      expert: 'expert1@demo.praktika',
      moderator: 'moderator1@demo.praktika',
      organiser: 'organiser@demo.praktika',
    },
    // Pages a person reaches only by an address (the widget lives on partner sites, the verify
    // page is printed on the certificates).
    extra: ['/', '/verify', '/events/irkutsk-2020/flashmob/widget'],
    // The pages of web/src/app.tsx this event has (the contest's own are the post, past results and
    // laureates; the conference's the flashmob, gallery and section day).
    pages: [
      '/', '/verify', '/verify/:number', 'cabinet', 'registration', 'practices/:n', 'check', 'intake', 'review', 'review/:n',
      'review-board', 'review-log', 'gallery', 'gallery/:n', 'gallery/moderation', 'flashmob', 'flashmob/widget', 'flashmob/queue',
      'flashmob/gallery', 'flashmob/mine', 'preflight', 'sections/:n', 'sections/:n/console', 'section-day',
      'section-day/results', 'section-day/:n', 'results', 'people', 'mail', 'desk', 'payments', 'documents', 'files',
      'operations', 'privacy-log', '',
    ],
  },
  {
    // The conference while it takes applications: the forms and the file uploads are open to edit.
    id: 'irkutsk-2020',
    clock: '2020-06-20T10:00:00+08:00',
    people: { public: null, author: 'author@demo.praktika' },
    extra: [],
    pages: [],
  },
  {
    id: 'contest-2025',
    clock: '2025-02-03T12:00:00+03:00',
    people: {
      public: null,
      author: 'berezhnaya@demo.praktika',
      expert: 'jury1@demo.praktika',
      organiser: 'contest@demo.praktika',
    },
    extra: ['/', '/verify'],
    pages: [
      '/', '/verify', '/verify/:number', 'cabinet', 'registration', 'practices/:n', 'check', 'intake', 'review', 'review/:n',
      'review-board', 'review-log', 'laureates', 'people', 'mail', 'desk', 'documents', 'post', 'files', 'past-results',
      'operations', 'privacy-log', '',
    ],
  },
];

// The pages that show every person the same content below the shared header (which every other
// page's audit covers): audited once per event, by whoever reaches them first.
const kSameForAll = ['/', '/verify', '/verify/:number', 'flashmob/widget', 'flashmob/gallery', 'check', 'laureates', 'results'];

const auditedOnce = new Map(); // event id → the kinds of kSameForAll already audited
for (const event of kEvents) {
  if (!auditedOnce.has(event.id)) auditedOnce.set(event.id, new Set());
  event.auditedOnce = auditedOnce.get(event.id);
  event.pages = event.pages.map((p) => (p.startsWith('/') ? p : `/events/${event.id}${p ? `/${p}` : ''}`));
}

const env = useBrowser({ tag: 'a11y', demo: true });

// One kind of page: numbers (a practice, a section) and certificate numbers stand for all.
function kindOf(path) {
  return path
    .replace(/^\/verify\/[^/]+$/, '/verify/:number')
    .split('/')
    .map((s) => (/^\d+$/.test(s) ? ':n' : s))
    .join('/');
}

// Waits until the page has stopped loading: no «Загрузка…», nothing busy, for two looks in a row.
async function settle(page) {
  let quiet = 0;
  const deadline = Date.now() + 8000;
  while (quiet < 2 && Date.now() < deadline) {
    const busy = await page.evaluate(() => document.querySelector('.loading, [aria-busy="true"]') !== null);
    quiet = busy ? 0 : quiet + 1;
    await page.waitForTimeout(150);
  }
}

// Moves the running app to `path` the way its own links do (history + the router's popstate).
async function go(page, path) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
    window.scrollTo(0, 0);
  }, path);
  await settle(page);
}

async function audit(page) {
  return page.evaluate(async ([tags, structure]) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: [...tags, 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical' || structure.includes(v.id))
      .filter((v) => v.tags.some((t) => tags.includes(t)) || structure.includes(v.id))
      .map((v) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`),
      }));
  }, [kTags, kStructure]);
}

// The addresses of the site's pages that `page` links to, inside `event` (and the verify page).
async function linksOf(page, event) {
  return page.evaluate((id) => {
    const out = [];
    for (const a of document.querySelectorAll('a[href]')) {
      if (a.hasAttribute('download')) continue;
      const url = new URL(a.href, location.href);
      if (url.origin !== location.origin || url.pathname.startsWith('/api/')) continue;
      if (url.pathname.startsWith(`/events/${id}`) || url.pathname.startsWith('/verify')) out.push(url.pathname);
    }
    return out;
  }, event);
}

// One person's walk over `event`: every kind of page reachable from the event's page, each audited
// once. Returns the kinds seen and the violations found.
async function walk(server, event, role, email) {
  const context = await env.browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  try {
    if (email) await signInBrowser(context, server.url, email, kDemoPassword);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/events/${event.id}`, { waitUntil: 'load' });
    await page.addScriptTag({ path: kAxe });
    await settle(page);
    // The audit can fail: a picture without words is a critical violation it must see.
    const probe = await page.evaluate(async () => {
      const img = document.createElement('img');
      img.src = '/favicon.svg';
      document.querySelector('main')?.append(img);
      const r = await window.axe.run(img, { runOnly: { type: 'rule', values: ['image-alt'] } });
      img.remove();
      return r.violations.map((v) => `${v.id}:${v.impact}`);
    });
    assert.deepEqual(probe, ['image-alt:critical']);
    const queue = [`/events/${event.id}`, ...event.extra];
    const seen = new Map(); // kind → the path audited for it
    const violations = [];
    let first = true;
    let audited = 0;
    while (queue.length > 0 && seen.size < kPagesPerPerson) {
      const path = queue.shift();
      const kind = kindOf(path);
      if (seen.has(kind)) continue;
      seen.set(kind, path);
      // A page that shows everyone the same is audited by the first person to reach it.
      const same = kSameForAll.some((k) => kind === k || kind === `/events/${event.id}/${k}`);
      if (same && event.auditedOnce.has(kind)) continue;
      if (same) event.auditedOnce.add(kind);
      if (!first) await go(page, path);
      first = false;
      audited += 1;
      for (const v of await audit(page)) violations.push({ role, page: path, ...v });
      if (!email && audited === 1) {
        // The login and registration dialog, open over the event's page.
        await testId(page, 'login-button').click();
        await testId(page, 'register-tab').click();
        await testId(page, 'auth-name').waitFor();
        for (const v of await audit(page)) violations.push({ role, page: `${path} (вход и регистрация)`, ...v });
        await page.keyboard.press('Escape');
        await testId(page, 'auth-dialog').waitFor({ state: 'detached' });
      }
      for (const link of await linksOf(page, event.id)) if (!seen.has(kindOf(link))) queue.push(link);
    }
    return { kinds: [...seen.keys()], audited, violations, errors };
  } finally {
    await context.close();
  }
}

// Runs `jobs` (functions giving promises) with at most `limit` at a time, in order.
async function pool(jobs, limit) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

test('every page of both events passes axe for each of their people', async () => {
  const servers = await Promise.all(kEvents.map((event) => startDemoServer(env.dataDir, event.clock)));
  try {
    const started = Date.now();
    const jobs = kEvents.flatMap((event, i) =>
      Object.entries(event.people).map(([role, email]) => async () => ({
        event: event.id,
        role: `${role} at ${event.clock}`,
        ...(await walk(servers[i], event, role, email)),
      })),
    );
    const walks = await pool(jobs, 4);
    console.log(`${walks.reduce((n, w) => n + w.audited, 0)} pages audited in ${Date.now() - started} ms`);
    for (const w of walks) console.log(`${w.event}, ${w.role}: ${w.kinds.join(' ')}`);
    // Every page of the app's routes that the event has was reached by someone.
    for (const event of kEvents) {
      const reached = new Set(walks.filter((w) => w.event === event.id).flatMap((w) => w.kinds));
      const missing = event.pages.filter((p) => !reached.has(p));
      assert.deepEqual(missing, [], `${event.id}: pages nobody reached`);
    }
    assert.deepEqual(walks.flatMap((w) => w.violations.map((v) => ({ event: w.event, ...v }))), []);
    assert.deepEqual(walks.flatMap((w) => w.errors.map((e) => `${w.event}, ${w.role}: ${e}`)), []);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
});

// The element that has the keyboard's focus: its test id, text and whether it shows a focus ring.
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    return {
      id: el.getAttribute('data-testid'),
      text: el.textContent.trim(),
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });
}

// Presses Tab until the control with test id `id` has the focus; fails after `limit` presses.
async function tabTo(page, id, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f?.id === id) return f;
  }
  throw new Error(`${id} was not reached with Tab in ${limit} presses; last: ${JSON.stringify(await focused(page))}`);
}

test("the moderator's console and the feed's sound are worked with the keyboard alone", async () => {
  const server = await startDemoServer(env.dataDir, kEvents[0].clock);
  const moderator = await env.browser.newContext();
  try {
    await signInBrowser(moderator, server.url, 'moderator1@demo.praktika', kDemoPassword);
    const page = await moderator.newPage();
    await page.goto(`${server.url}/events/irkutsk-2020/sections/1/console`, { waitUntil: 'load' });
    await testId(page, 'pause-section').waitFor();
    // Tab reaches the section's controls, and the focus shows.
    const pause = await tabTo(page, 'pause-section');
    assert.ok(pause.ring, 'the focused control shows a focus ring');
    // Space pauses: «Пауза» gives way to «Продолжить», and the focus moves onto it.
    await page.keyboard.press('Space');
    await waitUntil('the focus on «Продолжить»', () => focused(page), (f) => f?.id === 'resume-section');
    // Enter resumes: the focus stays in the section's controls.
    await page.keyboard.press('Enter');
    await testId(page, 'pause-section').waitFor();
    const after = await waitUntil('the focus in the controls', () => focused(page), (f) => f !== null);
    assert.ok(['next-presenter-button', 'pause-section'].includes(after.id), JSON.stringify(after));
    // Tab goes on to the floor's controls in reading order.
    await tabTo(page, 'give-floor', 40).catch(async () => {
      // Disabled while no hand is up: then the next enabled control past it is reached.
      assert.equal(await testId(page, 'give-floor').isDisabled(), true);
    });
  } finally {
    await moderator.close();
    await server.stop();
  }

  // The flashmob's feed on 7 July at noon plays a video; its sound goes on and off from the keyboard.
  const feedServer = await startDemoServer(env.dataDir, '2020-07-07T12:00:00+08:00');
  const viewer = await env.browser.newContext();
  try {
    const page = await viewer.newPage();
    await page.goto(`${feedServer.url}/events/irkutsk-2020/flashmob`, { waitUntil: 'load' });
    await testId(page, 'feed-video').waitFor();
    const sound = await tabTo(page, 'feed-sound');
    assert.equal(sound.text, 'Включить звук');
    await page.keyboard.press('Enter');
    await waitUntil('the sound on', () => page.evaluate(() => document.querySelector('[data-testid="feed-video"]').muted), (m) => m === false);
    assert.equal((await focused(page)).text, 'Выключить звук');
    await page.keyboard.press('Space');
    await waitUntil('the sound off', () => page.evaluate(() => document.querySelector('[data-testid="feed-video"]').muted), (m) => m === true);
    assert.equal((await focused(page)).id, 'feed-sound');
  } finally {
    await viewer.close();
    await feedServer.stop();
  }
});

test("a form's errors are tied to their fields and pass the audit", async () => {
  const server = await startDemoServer(env.dataDir, '2020-06-20T10:00:00+08:00');
  const context = await env.browser.newContext({ bypassCSP: true });
  try {
    await signInBrowser(context, server.url, 'author@demo.praktika', kDemoPassword);
    const page = await context.newPage();
    await page.goto(`${server.url}/events/irkutsk-2020/registration`, { waitUntil: 'load' });
    await testId(page, 'field-email').fill('не адрес почты');
    await testId(page, 'registration-save').click();
    const error = await waitUntil(
      'the error of the e-mail field',
      () => page.evaluate(() => {
        const input = document.querySelector('[data-testid="field-email"]');
        const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
        return {
          invalid: input.getAttribute('aria-invalid'),
          described: ids.map((id) => document.getElementById(id)?.textContent.trim() ?? `(no #${id})`),
        };
      }),
      (e) => e.invalid === 'true',
    );
    assert.ok(error.described.some((t) => t.length > 0 && !t.startsWith('(no')), JSON.stringify(error));
    await page.addScriptTag({ path: kAxe });
    assert.deepEqual(await audit(page), []);
  } finally {
    await context.close();
    await server.stop();
  }
});
