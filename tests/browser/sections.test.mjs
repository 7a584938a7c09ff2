// The section day in two browsers: the moderator's console in one page, the audience's section
// page in another. The moderator presses start and next; the audience page shows the presenter
// change without a reload, and ignores a pushed state no newer than the one it shows. The state before it (two admitted practices, a published running
// order) is made through the HTTP API on the same data directory at earlier clocks.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { admitToPresent, createUser, kApi, kDuringIntake, kDuringReview, kEvent, signInBrowser, submitPractices } from './people.mjs';
import { startServer } from './server.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the audience page follows the moderator console live and ignores a state that is not newer', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-sections-'));
  try {
    createUser(dataDir, 'org@umc.ru', 'organiser', 'Организатор');
    createUser(dataDir, 'mod@minsoc.ru', 'moderator', 'Модератор секции', 1);

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
      await organiser.call('PUT', `${kApi}/sections/1/schedule`, {
        slots: practices.map((p) => ({ practice: p.id, minutes: 15 })),
      });
      await organiser.call('POST', `${kApi}/sections/1/schedule/publish`);
    } finally {
      await server.stop();
    }

    server = await startServer({ dataDir, clock: '2020-07-08T09:59:00+08:00' });
    try {
      const moderatorContext = await browser.newContext();
      await signInBrowser(moderatorContext, server.url, 'mod@minsoc.ru');
      const audienceContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
      // The audience's socket passes through here: the last state pushed is noted, and the test
      // can push frames of its own to the page.
      const topic = `section:${kEvent}:1`;
      let toAudience = null;
      let lastState = null;
      await audienceContext.routeWebSocket(/\/ws(\?|$)/, (page) => {
        const server = page.connectToServer();
        page.onMessage((m) => server.send(m));
        server.onMessage((m) => {
          const message = JSON.parse(m);
          if (message.topic === topic && message.event === 'state') lastState = message.data;
          page.send(m);
        });
        toAudience = page;
      });

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

      // A push at the version the page shows, or an older one, is old news: the section stays as it
      // is. The warning pushed after them shows they have been handled.
      assert.ok(lastState && lastState.current, 'the state of the second presenter was pushed');
      for (const version of [lastState.version, lastState.version - 1]) {
        toAudience.send(JSON.stringify({ topic, event: 'state', data: { ...lastState, status: 'closed', version } }));
      }
      // The warning is sent again while it is not shown (a warning carries no state, so repeating it
      // is harmless), so a page busy with the pushes before it still gets one.
      const warning = JSON.stringify({
        topic, event: 'warning', data: { practice: lastState.current.practice, minutes_left: 7, version: lastState.version + 1 },
      });
      await waitUntil('the pushed warning', () => {
        toAudience.send(warning);
        return textOf(audience, 'timer-alert');
      }, (t) => t === 'Осталось 7 мин.', 15000);
      assert.equal(await textOf(audience, 'section-status'), 'идёт');

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
