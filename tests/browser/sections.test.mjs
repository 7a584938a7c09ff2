// The section day in two browsers: the moderator's console in one page, the audience's section
// page in another. The moderator presses start and next; the audience page shows the presenter
// change without a reload. The state before it (two admitted practices, a published running
// order) is made through the HTTP API on the same data directory at earlier clocks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { binaryPath, startServer } from './server.mjs';

const kEvent = 'irkutsk-2020';
const kApi = `/api/events/${kEvent}`;
const kPassword = 'Praktika-2020-ochen-nadezhno';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// A person's HTTP session against one server: JSON in and out, the session cookie kept.
function session(url) {
  let cookie = '';
  const call = async (method, path, body) => {
    const response = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { call, cookie: () => cookie };
}

function createUser(dataDir, email, role, name, section) {
  const args = ['admin', 'create-user', '--data', dataDir, '--email', email, '--role', role, '--event', kEvent, '--name', name];
  if (section) args.push('--section', String(section));
  const made = spawnSync(binaryPath, args, { input: `${kPassword}\n`, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stdout + made.stderr);
}

function registrationAnswers(name, email) {
  return {
    institution: 'ОГБУСО «Центр помощи детям»',
    author: name,
    position: 'Специалист по социальной работе',
    work_phone: '(3952) 24-00-00',
    mobile_phone: '+7 914 000-00-00',
    email,
    section: 1,
    payment_form: 'legal_entity',
    consent_regulations: true,
    consent_personal_data: true,
  };
}

function practiceAnswers(title) {
  return {
    name: title,
    organisation: { name: 'ОГБУСО «Центр»', website: 'center.ru', phone: '(3952) 24-00-00', email: 'center@dom.ru', contact_person: 'Анна Петрова' },
    implementers: [{ full_name: 'Анна Петрова', position: 'Специалист' }],
    relevance: { problem: 'Семьи в трудной жизненной ситуации', started_year: 2020 },
    values: 'Уважение к семье',
    target_groups: 'Семьи с детьми',
    goal_and_tasks: 'Цель и задачи',
    content: 'Встречи раз в неделю',
    mechanism: { steps: 'Шаги', regulations: 'Положение' },
    management: 'Рабочая группа',
    resources: { methodical: 'Пособия', material: 'Помещение', staff: '3 специалиста', partners: 'Школа' },
    results: { quantitative: '40 семей', qualitative: 'Улучшение', methodical: 'Статья', socio_economic: 'Экономия' },
    cases: ['Случай семьи К.'],
    recommendations: 'Начинать с малого',
  };
}

test('the audience page follows the moderator console live: start, then the next presenter', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-sections-'));
  try {
    createUser(dataDir, 'org@umc.ru', 'organiser', 'Организатор');
    createUser(dataDir, 'mod@minsoc.ru', 'moderator', 'Модератор секции', 1);

    const practices = [];
    let server = await startServer({ dataDir, clock: '2020-06-20T10:00:00+08:00' });
    try {
      for (const [who, title] of [['anna', 'Семейная гостиная'], ['boris', 'Школа приёмных родителей']]) {
        const author = session(server.url);
        const email = `${who}@dom.ru`;
        await author.call('POST', '/api/auth/register', { email, password: kPassword, full_name: `Автор ${who}` });
        await author.call('PUT', `${kApi}/registration`, { answers: registrationAnswers(`Автор ${who}`, email) });
        const practice = await author.call('POST', `${kApi}/practices`, { section: 1, type: 'pilot', answers: practiceAnswers(title) });
        await author.call('POST', `${kApi}/practices/${practice.id}/submit`);
        practices.push({ id: practice.id, title });
      }
    } finally {
      await server.stop();
    }

    server = await startServer({ dataDir, clock: '2020-06-30T10:00:00+08:00' });
    try {
      const organiser = session(server.url);
      await organiser.call('POST', '/api/auth/login', { email: 'org@umc.ru', password: kPassword });
      for (const p of practices) {
        await organiser.call('PUT', `${kApi}/review/practices/${p.id}/outcome`, { outcome: 'present', reason: '' });
      }
      await organiser.call('PUT', `${kApi}/sections/1/schedule`, {
        slots: practices.map((p) => ({ practice: p.id, minutes: 15 })),
      });
      await organiser.call('POST', `${kApi}/sections/1/schedule/publish`);
    } finally {
      await server.stop();
    }

    server = await startServer({ dataDir, clock: '2020-07-08T09:59:00+08:00' });
    try {
      const moderator = session(server.url);
      await moderator.call('POST', '/api/auth/login', { email: 'mod@minsoc.ru', password: kPassword });
      const [name, value] = moderator.cookie().split('=');
      const moderatorContext = await browser.newContext();
      await moderatorContext.addCookies([{ name, value, url: server.url }]);
      const audienceContext = await browser.newContext({ viewport: { width: 390, height: 844 } });

      const console_ = await openPage(moderatorContext, `${server.url}/events/${kEvent}/sections/1/console`);
      const audience = await openPage(audienceContext, `${server.url}/events/${kEvent}/sections/1`);
      await waitUntil('the waiting section', () => textOf(audience, 'section-status'), (t) => t === 'ещё не началась');
      assert.equal(await textOf(audience, 'current-presenter'), 'никто');

      await testId(console_, 'start-section').click();
      await waitUntil('the started section', () => textOf(audience, 'section-status'), (t) => t === 'идёт');
      assert.match(await textOf(audience, 'next-presenter'), /Семейная гостиная/);

      await testId(console_, 'next-presenter-button').click();
      await waitUntil('the first presenter', () => textOf(audience, 'current-presenter'), (t) => /Семейная гостиная/.test(t ?? ''));
      assert.match(await textOf(audience, 'next-presenter'), /Школа приёмных родителей/);
      await waitUntil('the time left', () => textOf(audience, 'time-left'), (t) => /^1[45]:\d\d$/.test(t ?? ''));
      assert.equal(await audience.locator('[data-testid="room-link"]').getAttribute('href'),
        'https://video-room.example.org/irkutsk-2020/section-1');

      await testId(console_, 'next-presenter-button').click();
      await waitUntil('the second presenter', () => textOf(audience, 'current-presenter'), (t) => /Школа приёмных родителей/.test(t ?? ''));
      assert.equal(await textOf(audience, 'next-presenter'), '—');

      // A participant's page offers no console: the server refuses the op and the page says so.
      const intruder = await openPage(audienceContext, `${server.url}/events/${kEvent}/sections/1/console`);
      await testId(intruder, 'close-section').click();
      await waitUntil('the refusal', () => textOf(intruder, 'console-error'), (t) => /модератору/.test(t ?? ''));

      assert.deepEqual([...console_.problems, ...audience.problems], []);
      await moderatorContext.close();
      await audienceContext.close();
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
