// The section day's staff and presenter pages, pages only: the moderator reaches the console from
// the event page, starts the section and calls a presenter, each confirmed on the page; the speaker
// timer changes its state at the agenda's warnings (pushed by the server on a clock sped up 30
// times); the presenter finds the requirements in the cabinet and runs the pre-flight check, whose
// microphone level and bandwidth figures come from Chromium's fake devices and the real server.
// The state before (two admitted practices, a published running order) is made through the HTTP API
// on the same data directory at earlier clocks.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import {
  admitToPresent,
  createUser,
  kApi,
  kDuringIntake,
  kDuringReview,
  kEvent,
  kPassword,
  loginThroughDialog,
  signInBrowser,
  submitPractices,
} from './people.mjs';
import { startServer } from './server.mjs';

const kModerator = { email: 'mod@minsoc.ru', name: 'Модератор секции', password: kPassword };

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the moderator starts a presenter from the console with a confirmation, and the timer turns at the warnings', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-console-'));
  try {
    createUser(dataDir, 'org@umc.ru', 'organiser', 'Организатор');
    createUser(dataDir, kModerator.email, 'moderator', kModerator.name, 1);
    let server = await startServer({ dataDir, clock: kDuringIntake });
    let practices;
    try {
      practices = await submitPractices(server.url, [['anna', 'Семейная гостиная'], ['boris', 'Школа приёмных родителей']]);
    } finally {
      await server.stop();
    }
    server = await startServer({ dataDir, clock: kDuringReview });
    try {
      const organiser = await admitToPresent(server.url, 'org@umc.ru', practices);
      await organiser.call('PUT', `${kApi}/sections/1/schedule`, { slots: practices.map((p) => ({ practice: p.id, minutes: 10 })) });
      await organiser.call('POST', `${kApi}/sections/1/schedule/publish`);
    } finally {
      await server.stop();
    }

    // 30 event seconds a second: a 10-minute slot's warnings (5 and 1 minutes before its end)
    // come some 10 and 18 seconds after the presenter is called.
    server = await startServer({ dataDir, clock: '2020-07-08T09:59:00+08:00', clockSpeed: 30 });
    try {
      const context = await browser.newContext();
      const page = await openPage(context, `${server.url}/events/${kEvent}`);
      await loginThroughDialog(page, kModerator);
      await testId(page, 'console-link-1').click();
      await waitUntil('the console', () => textOf(page, 'section-console'), (t) => /Пульт модератора: секция 1/.test(t ?? ''));

      await testId(page, 'start-section').click();
      await waitUntil('the start confirmed', () => textOf(page, 'console-done'), (t) => /^Секция начата/.test(t ?? ''));
      await testId(page, 'next-presenter-button').click();
      await waitUntil('the presenter confirmed', () => textOf(page, 'console-done'), (t) => /^Выступление начато: Семейная гостиная/.test(t ?? ''));
      assert.match(await textOf(page, 'current-presenter'), /Семейная гостиная/);
      assert.equal(await attributeOf(page, 'timer', 'data-state'), 'ok');
      assert.match(await attributeOf(page, 'timer', 'class'), /\btimer--ok\b/);

      await waitUntil('the first warning', () => attributeOf(page, 'timer', 'class'), (c) => /\btimer--warning\b/.test(c ?? ''), 30000);
      assert.equal(await textOf(page, 'timer-alert'), 'Осталось 5 мин.');
      await waitUntil('the last warning', () => attributeOf(page, 'timer', 'class'), (c) => /\btimer--last\b/.test(c ?? ''), 30000);
      assert.equal(await textOf(page, 'timer-alert'), 'Осталось 1 мин.');

      // The presenter's cabinet: the requirements of the agenda, and the way to the check.
      const presenter = await browser.newContext();
      await signInBrowser(presenter, server.url, practices[0].email);
      const cabinet = await openPage(presenter, `${server.url}/events/${kEvent}/cabinet`);
      await waitUntil('the requirements', () => textOf(cabinet, 'my-slot-requirements'), (t) => /не менее 30 Мбит\/с/.test(t ?? ''));
      assert.match(await textOf(cabinet, 'my-slot-requirements'), /камерой и микрофоном/);
      await testId(cabinet, 'preflight-link').click();
      await testId(cabinet, 'preflight-page').waitFor();

      assert.deepEqual([...page.problems, ...cabinet.problems], []);
      await context.close();
      await presenter.close();
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('the pre-flight check shows the camera, a live microphone level and the bandwidth against the agenda', async () => {
  const server = await startServer({ clock: '2020-07-07T12:00:00+08:00' });
  try {
    const context = await browser.newContext();
    const page = await openPage(context, `${server.url}/events/${kEvent}/preflight`);
    await waitUntil('the requirements', () => textOf(page, 'presenter-requirements'), (t) => /не менее 30 Мбит\/с/.test(t ?? ''));

    await testId(page, 'device-check').click();
    await testId(page, 'device-on').waitFor();
    await waitUntil('the camera picture', () => testId(page, 'video-preview').evaluate((v) => v.videoWidth), (w) => w > 0, 10000);
    // Chromium's fake microphone beeps: the meter moves.
    await waitUntil('a microphone level', () => attributeOf(page, 'mic-level', 'data-loudest'), (l) => Number(l) > 0, 10000);
    await waitUntil('the microphone verdict', () => textOf(page, 'mic-verdict'), (t) => t === 'Микрофон слышит вас.', 10000);

    await testId(page, 'speed-check').click();
    await testId(page, 'speed-verdict').waitFor({ timeout: 30000 });
    for (const id of ['speed-down', 'speed-up']) {
      assert.ok(Number(await attributeOf(page, id, 'data-mbps')) > 0, id);
      assert.match(await textOf(page, id), /^[\d\s,]+ Мбит\/с$/);
    }
    assert.match(await textOf(page, 'speed-verdict'), /^Скорост/);
    assert.equal(await testId(page, 'speed-error').count(), 0);

    await testId(page, 'device-stop').click();
    await testId(page, 'device-check').waitFor();
    assert.deepEqual(page.problems, []);
    await context.close();
  } finally {
    await server.stop();
  }
});
