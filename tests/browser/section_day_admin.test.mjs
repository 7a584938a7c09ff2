// The organiser's running order in one browser, an author's cabinet in another: the organiser
// drafts section 1's order, reorders it by dragging and with the buttons, changes a slot's length
// and publishes; the author's cabinet shows her slot when it is published and follows a later
// change without a reload. Three admitted practices are made through the HTTP API beforehand.
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

// The draft's practice titles in running order, as the page shows them.
async function draftTitles(page) {
  return page.locator('[data-testid="draft-slot"] [data-testid="slot-title"]').allTextContents();
}

test('the organiser drafts, reorders and publishes a running order; the author sees her slot in the cabinet', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-section-day-'));
  try {
    createUser(dataDir, 'org@umc.ru', 'organiser', 'Организатор');
    let server = await startServer({ dataDir, clock: kDuringIntake });
    let practices;
    try {
      practices = await submitPractices(server.url, [
        ['anna', 'Семейная гостиная'],
        ['boris', 'Школа приёмных родителей'],
        ['vera', 'Клуб выпускников'],
      ]);
    } finally {
      await server.stop();
    }

    server = await startServer({ dataDir, clock: kDuringReview });
    try {
      const organiser = await admitToPresent(server.url, 'org@umc.ru', practices);
      const organiserContext = await browser.newContext();
      await signInBrowser(organiserContext, server.url, 'org@umc.ru');
      const authorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
      await signInBrowser(authorContext, server.url, 'anna@dom.ru');

      // The overview lists the sections with their video rooms and leads to section 1.
      const overview = await openPage(organiserContext, `${server.url}/events/${kEvent}/section-day`);
      await waitUntil('the sections', () => textOf(overview, 'admin-section-1'), (t) => /не опубликован/.test(t ?? ''));
      assert.equal(
        await overview.locator('[data-testid="session-room-results"]').getAttribute('href'),
        'https://video-room.example.org/irkutsk-2020/results',
      );
      await testId(overview, 'schedule-link-1').click();
      const page = overview;
      await waitUntil('the empty draft', () => textOf(page, 'draft-empty'), (t) => t !== null);
      assert.equal(await page.locator('[data-testid="section-room"]').getAttribute('href'), 'https://video-room.example.org/irkutsk-2020/section-1');

      // The author's cabinet: admitted to present, no time yet.
      const cabinet = await openPage(authorContext, `${server.url}/events/${kEvent}/cabinet`);
      const annaSlot = `my-slot-${practices[0].id}`;
      await waitUntil('the slot block', () => textOf(cabinet, 'my-slot-time'), (t) => /ещё не опубликован/.test(t ?? ''));

      // The automatic draft: three presenters in 120 minutes with 2-minute gaps, 20 minutes each.
      await testId(page, 'make-draft').click();
      await waitUntil('the draft', () => draftTitles(page), (t) => t.length === 3);
      assert.deepEqual(await draftTitles(page), ['Семейная гостиная', 'Школа приёмных родителей', 'Клуб выпускников']);
      assert.match(await page.locator('[data-testid="draft-slot"] [data-testid="slot-time"]').nth(1).textContent(), /10:22–10:42/);

      // Dragging Vera's practice onto the first row puts it first.
      const rows = page.locator('[data-testid="draft-slot"]');
      await rows.nth(2).dragTo(rows.nth(0));
      await waitUntil('the dragged order', () => draftTitles(page), (t) => t[0] === 'Клуб выпускников');
      assert.deepEqual(await draftTitles(page), ['Клуб выпускников', 'Семейная гостиная', 'Школа приёмных родителей']);

      // The buttons do the same for touch and keyboard: Boris's practice one up, from the keyboard.
      await rows.nth(2).locator('[data-testid="slot-up"]').focus();
      await page.keyboard.press('Enter');
      await waitUntil('the order after ↑', () => draftTitles(page), (t) => t[1] === 'Школа приёмных родителей');
      assert.deepEqual(await draftTitles(page), ['Клуб выпускников', 'Школа приёмных родителей', 'Семейная гостиная']);

      // Anna's slot (now last) shortened to 15 minutes; a length outside the bounds is refused.
      const annaMinutes = rows.nth(2).locator('[data-testid="slot-minutes"]');
      await annaMinutes.fill('25');
      await annaMinutes.press('Tab');
      await waitUntil('the refusal', () => textOf(page, 'schedule-error'), (t) => /от 10 до 20 минут/.test(t ?? ''));
      await annaMinutes.fill('15');
      await annaMinutes.press('Tab');
      await waitUntil('the new times', () => rows.nth(2).locator('[data-testid="slot-time"]').textContent(), (t) => /10:44–10:59/.test(t ?? ''));
      assert.equal(await textOf(page, 'schedule-error'), null);

      // The server holds what the page shows.
      const stored = await organiser.call('GET', `${kApi}/sections/1/schedule`);
      assert.deepEqual(
        stored.draft.map((s) => [s.practice, s.seconds]),
        [[practices[2].id, 1200], [practices[1].id, 1200], [practices[0].id, 900]],
      );
      assert.equal(stored.published, null);

      await testId(page, 'publish-schedule').click();
      await waitUntil('the publication', () => textOf(page, 'schedule-notice'), (t) => /опубликован/.test(t ?? ''));
      assert.equal(await page.locator('[data-testid="published-slot"]').count(), 3);

      // The open cabinet shows Anna's slot as soon as it is published: third, 10:44–10:59.
      await waitUntil('the published slot', () => cabinet.locator(`[data-testid="${annaSlot}"]`).getAttribute('data-position'), (p) => p === '3');
      assert.match(await textOf(cabinet, 'my-slot-time'), /3-м, 8 июля 2020, 10:44–10:59/);
      assert.equal(await cabinet.locator('[data-testid="my-slot-room"]').getAttribute('href'), 'https://video-room.example.org/irkutsk-2020/section-1');
      assert.equal(await cabinet.locator('[data-testid="my-slot-section"]').getAttribute('href'), `/events/${kEvent}/sections/1`);

      // A change after publication reaches the cabinet without a reload: Anna moves up to second.
      await rows.nth(2).locator('[data-testid="slot-up"]').click();
      await waitUntil('the order', () => draftTitles(page), (t) => t[1] === 'Семейная гостиная');
      await waitUntil('the draft differs', () => page.locator('[data-testid="schedule-status"]').getAttribute('data-differs'), (d) => d === 'yes');
      await testId(page, 'publish-schedule').click();
      await waitUntil('the moved slot', () => cabinet.locator(`[data-testid="${annaSlot}"]`).getAttribute('data-position'), (p) => p === '2');
      assert.match(await textOf(cabinet, 'my-slot-time'), /2-м, 8 июля 2020, 10:22–10:37/);
      assert.match(await textOf(cabinet, 'my-slot-notices'), /Время вашего выступления изменилось/);

      // Someone who is not an organiser gets no editor.
      const intruder = await openPage(authorContext, `${server.url}/events/${kEvent}/section-day/1`);
      await waitUntil('the refusal', () => textOf(intruder, 'not-organiser'), (t) => t !== null);

      assert.deepEqual([...page.problems, ...cabinet.problems, ...intruder.problems], []);
      await organiserContext.close();
      await authorContext.close();
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
