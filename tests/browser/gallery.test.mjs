// Stage 3 through the browser against the real server: two participants open one practice of
// the gallery in two browsers; both see that two people are on the page, and a comment typed in
// one appears in the other without a reload. A participant flags an abusive comment and the
// organiser hides it from the moderation page. The practice is submitted during the intake and
// admitted during the review through the API, as the earlier stages leave it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { attachDocument, registrationAnswers } from './people.mjs';
import { binaryPath, startServer } from './server.mjs';

const kEvent = 'irkutsk-2020';
const kApi = `/api/events/${kEvent}`;
const kIntake = '2020-06-20T10:00:00+08:00';
const kReview = '2020-06-30T10:00:00+08:00';
const kGallery = '2020-07-06T12:00:00+08:00';
const kPassword = 'Praktika-2020-ochen-nadezhno';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// A signed-in API client with its own cookie.
async function signIn(base, email, name, register) {
  const res = await fetch(`${base}/api/auth/${register ? 'register' : 'login'}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(register ? { email, password: kPassword, full_name: name } : { email, password: kPassword }),
  });
  assert.ok(res.ok, `${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const call = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: new URL(base).origin },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : {};
  };
  return { call, cookie };
}

const kAnswers = {
  name: 'Школа наставников',
  organisation: { name: 'ОГБУСО «Центр помощи детям»', website: 'center.ru', phone: '(3952) 24-00-00', email: 'center@dom.ru', contact_person: 'Анна Петрова' },
  implementers: [{ full_name: 'Анна Петрова', position: 'Специалист' }],
  relevance: { problem: 'Одиночество подростков', started_year: 2020 },
  values: 'Уважение к человеку',
  target_groups: 'Дети-сироты',
  goal_and_tasks: 'Цель и задачи',
  content: 'Каждая семья получает наставника',
  mechanism: { steps: 'Шаги', regulations: 'Положение' },
  management: 'Рабочая группа',
  resources: { methodical: 'Пособия', material: 'Помещение', staff: '3 специалиста', partners: 'Школа' },
  results: { quantitative: '40 человек', qualitative: 'Улучшение', methodical: 'Статья', socio_economic: 'Экономия' },
  cases: ['Случай К.'],
  recommendations: 'Начинать с малого',
};

// An organiser, and Anna's practice submitted during the intake (Boris registers too) and
// admitted during the review through the API, as the earlier stages leave it. `serve` starts the
// gallery's server on that data; when the test ends the servers stop before the folder goes (the
// hooks run in the order they were added, and a preview still being built writes into it).
async function admittedPractice(t) {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-gallery-'));
  const servers = [];
  t.after(async () => {
    for (const server of servers) await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const serve = async (clock) => {
    const server = await startServer({ clock, dataDir });
    servers.push(server);
    return server;
  };
  const organiser = { email: `org.${Date.now()}@umc.ru`, name: 'Организатор' };
  const made = spawnSync(
    binaryPath,
    ['admin', 'create-user', '--data', dataDir, '--email', organiser.email, '--role', 'organiser', '--event', kEvent, '--name', organiser.name],
    { input: `${kPassword}\n`, encoding: 'utf8' },
  );
  assert.equal(made.status, 0, made.stdout + made.stderr);

  const anna = { email: 'anna@dom.ru', name: 'Анна Петрова' };
  const boris = { email: 'boris@dom.ru', name: 'Борис Иванов' };
  let practice;
  {
    const server = await startServer({ clock: kIntake, dataDir });
    try {
      for (const who of [anna, boris]) {
        const api = await signIn(server.url, who.email, who.name, true);
        await api.call('PUT', `${kApi}/registration`, { answers: registrationAnswers(who.name, who.email) });
        if (who === anna) {
          practice = (await api.call('POST', `${kApi}/practices`, { section: 1, type: 'pilot', answers: kAnswers })).id;
          await attachDocument(server.url, api.cookie, practice);
          await api.call('POST', `${kApi}/practices/${practice}/submit`, {});
        }
      }
    } finally {
      await server.stop();
    }
  }
  {
    const server = await startServer({ clock: kReview, dataDir });
    try {
      const org = await signIn(server.url, organiser.email, organiser.name, false);
      await org.call('PUT', `${kApi}/review/practices/${practice}/outcome`, { outcome: 'present', reason: '' });
    } finally {
      await server.stop();
    }
  }
  return { serve, organiser, anna, boris, practice };
}

// A signed-in browser page at `path`, its context closed when the test ends.
async function pageOf(t, server, who, path) {
  const context = await browser.newContext();
  t.after(() => context.close());
  const login = await context.request.post(`${server.url}/api/auth/login`, { data: { email: who.email, password: kPassword } });
  assert.ok(login.ok(), `login ${who.email}: ${login.status()}`);
  return openPage(context, `${server.url}${path}`);
}

test('a comment typed on a practice page appears on another without a reload, and both count two viewers', async (t) => {
  const { serve, anna, boris, practice } = await admittedPractice(t);
  const server = await serve(kGallery);
  const pages = [];
  for (const who of [anna, boris]) pages.push(await pageOf(t, server, who, `/events/${kEvent}/gallery/${practice}`));
  const [annaPage, borisPage] = pages;

  for (const page of pages) {
    await waitUntil('the practice title', () => textOf(page, 'gallery-practice-title'), (x) => x === 'Школа наставников');
    await waitUntil('two viewers', () => textOf(page, 'viewer-count'), (x) => x === '2', 10_000);
  }
  assert.equal(await textOf(annaPage, 'answer-content'), 'Каждая семья получает наставника');

  const comment = 'Как вы подбираете наставников?';
  await testId(borisPage, 'comment-text').fill(comment);
  await testId(borisPage, 'comment-submit').click();
  await waitUntil('the comment on the other page', () => textOf(annaPage, 'comments'), (x) => (x ?? '').includes(comment));
  assert.ok((await textOf(annaPage, 'comments')).includes(boris.name));
  // The page was not reloaded: it still counts both viewers on the same connection.
  assert.equal(await textOf(annaPage, 'viewer-count'), '2');

  // The author answers; the answer shows up on the asker's page.
  await annaPage.getByRole('button', { name: 'Ответить' }).click();
  await testId(annaPage, 'reply-text').fill('Через школу приёмных родителей');
  await testId(annaPage, 'reply-submit').click();
  await waitUntil('the reply on the other page', () => textOf(borisPage, 'comments'), (x) => (x ?? '').includes('Через школу приёмных родителей'));

  // Search by another form of a word of the text.
  await borisPage.goto(`${server.url}/events/${kEvent}/gallery?q=${encodeURIComponent('семьям')}`);
  await waitUntil('the search result', () => textOf(borisPage, 'gallery-total'), (x) => x === 'Найдено практик: 1');
  assert.equal(await testId(borisPage, `gallery-practice-${practice}`).count(), 1);

  for (const page of pages) assert.deepEqual(page.problems, []);
});

test('a participant flags an abusive comment; the organiser sees it on the moderation page and hides it, and it leaves every page live', async (t) => {
  const { serve, organiser, anna, boris, practice } = await admittedPractice(t);
  const server = await serve(kGallery);
  const practicePath = `/events/${kEvent}/gallery/${practice}`;
  const borisPage = await pageOf(t, server, boris, practicePath);
  const annaPage = await pageOf(t, server, anna, practicePath);
  await waitUntil('the practice on both pages', () => textOf(annaPage, 'gallery-practice-title'), (x) => x === 'Школа наставников');

  const rude = 'Всё это никому не нужно, бездельники';
  await testId(borisPage, 'comment-text').fill(rude);
  await testId(borisPage, 'comment-submit').click();
  await waitUntil('the comment on Anna\'s page', () => textOf(annaPage, 'comments'), (x) => (x ?? '').includes(rude));
  const comment = annaPage.locator('[data-testid^="comment-"][data-hidden]').filter({ hasText: rude });
  const id = (await comment.getAttribute('data-testid')).replace('comment-', '');
  // Boris may not flag his own comment; Anna flags it with a reason from the agenda.
  assert.equal(await testId(borisPage, 'comment-flag').count(), 0);
  await comment.getByTestId('comment-flag').click();
  await testId(annaPage, 'flag-reason').selectOption({ label: 'Оскорбление или грубость' });
  await testId(annaPage, 'flag-submit').click();
  await waitUntil('the flag taken', () => textOf(annaPage, 'comment-flagged'), (x) => (x ?? '').includes('Вы пожаловались'));
  // Nothing tells Boris.
  assert.equal(await testId(borisPage, 'comment-flagged').count(), 0);

  // The organiser goes from the desk to the moderation page: the flagged comment is on top.
  const orgPage = await pageOf(t, server, organiser, `/events/${kEvent}/desk`);
  await testId(orgPage, 'desk-gallery-moderation').click();
  const moderated = testId(orgPage, `moderated-${id}`);
  await waitUntil('the flagged comment', () => attributeOf(orgPage, `moderated-${id}`, 'data-flags'), (x) => x === '1');
  const flags = await moderated.getByTestId('moderated-flags').textContent();
  assert.ok(flags.includes('Жалоб: 1') && flags.includes('Оскорбление или грубость'), flags);
  assert.equal(await orgPage.locator('[data-testid^="moderated-"][data-flags]').first().getAttribute('data-testid'), `moderated-${id}`);
  await moderated.getByTestId('moderated-hide').click();

  // The text leaves the reader's page without a reload; the flag is answered.
  await waitUntil('hidden on Anna\'s page', () => attributeOf(annaPage, `comment-${id}`, 'data-hidden'), (x) => x === 'yes');
  assert.ok(!(await textOf(annaPage, 'comments')).includes(rude));
  assert.ok((await textOf(annaPage, 'comments')).includes('Комментарий скрыт модератором'));
  await waitUntil('hidden on Boris\'s page', () => attributeOf(borisPage, `comment-${id}`, 'data-hidden'), (x) => x === 'yes');
  await waitUntil('no flags left', () => attributeOf(orgPage, `moderated-${id}`, 'data-flags'), (x) => x === '0');
  assert.equal(await attributeOf(orgPage, `moderated-${id}`, 'data-state'), 'hidden');

  for (const page of [annaPage, borisPage, orgPage]) assert.deepEqual(page.problems, []);
});
