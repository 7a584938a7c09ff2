// Moderated questions on the section day (issue 21, item 5), pages only: the moderator switches
// pre-approval in the console (from the keyboard), a participant on a phone asks and is told the
// agenda's «Вопрос отправлен модератору», the moderator approves, a second participant sees the
// question live and flags it, the moderator sees the flag first with its count and hides the
// question, and it disappears for the audience without a reload.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { createUser, kEvent, signInBrowser } from './people.mjs';
import { startServer } from './server.mjs';

const kQuestion = 'Как подготовить ребёнка к переходу в замещающую семью?';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function questionsOf(page) {
  return testId(page, 'questions').locator('li').allTextContents();
}

test('a question waits for approval, is flagged by the audience and hidden by the moderator, live', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-questions-'));
  try {
    createUser(dataDir, 'mod@minsoc.ru', 'moderator', 'Модератор секции', 1);
    createUser(dataDir, 'zoya@dom.ru', 'participant', 'Зоя Участникова');
    createUser(dataDir, 'petr@dom.ru', 'participant', 'Пётр Слушателев');
    // Inside the sections' window of 8 July.
    const server = await startServer({ dataDir, clock: '2020-07-08T10:05:00+08:00' });
    try {
      const phone = { viewport: { width: 390, height: 844 } };
      const moderatorContext = await browser.newContext();
      await signInBrowser(moderatorContext, server.url, 'mod@minsoc.ru');
      const zoyaContext = await browser.newContext(phone);
      await signInBrowser(zoyaContext, server.url, 'zoya@dom.ru');
      const petrContext = await browser.newContext(phone);
      await signInBrowser(petrContext, server.url, 'petr@dom.ru');

      const consolePage = await openPage(moderatorContext, `${server.url}/events/${kEvent}/sections/1/console`);
      await testId(consolePage, 'premoderation').waitFor();
      const zoya = await openPage(zoyaContext, `${server.url}/events/${kEvent}/sections/1`);
      await testId(zoya, 'section-page').waitFor();

      // The switch, from the keyboard: off (the audience's note goes), then on again.
      assert.equal(await testId(consolePage, 'premoderation').isChecked(), true);
      await testId(zoya, 'premoderation-note').waitFor();
      await testId(consolePage, 'premoderation').focus();
      await consolePage.keyboard.press('Space');
      await waitUntil('pre-approval off', () => textOf(consolePage, 'feedback-premoderation-done'), (t) => /выключено/.test(t ?? ''));
      await testId(zoya, 'premoderation-note').waitFor({ state: 'detached' });
      await consolePage.keyboard.press('Space');
      await waitUntil('pre-approval on', () => textOf(consolePage, 'feedback-premoderation-done'), (t) => /включено/.test(t ?? ''));
      assert.equal(await testId(consolePage, 'premoderation').isChecked(), true);
      await testId(zoya, 'premoderation-note').waitFor();

      // Zoya asks; she is told it went to the moderator, and nobody sees it yet.
      await testId(zoya, 'question-text').fill(kQuestion);
      await testId(zoya, 'ask-question').click();
      await waitUntil('the asker told', () => textOf(zoya, 'feedback-ask-done'), (t) => /^Вопрос отправлен модератору/.test(t ?? ''));
      assert.deepEqual(await questionsOf(zoya), []);

      // The moderator approves it; Petr, who opened the page before, sees it arrive.
      const petr = await openPage(petrContext, `${server.url}/events/${kEvent}/sections/1`);
      await testId(petr, 'section-page').waitFor();
      const pending = testId(consolePage, 'pending-questions');
      await waitUntil('the pending question', () => pending.textContent(), (t) => (t ?? '').includes(kQuestion));
      await pending.getByRole('button', { name: 'Одобрить' }).click();
      await waitUntil('the question shown to Petr', () => questionsOf(petr), (q) => q.length === 1 && q[0].includes(kQuestion));

      // Petr flags it; the moderator's console lists it with the count.
      await testId(petr, 'flag-question').click();
      await waitUntil('the flag confirmed', () => textOf(petr, 'questions'), (t) => /Жалоба отправлена модератору/.test(t ?? ''));
      await waitUntil('the flag seen', () => textOf(consolePage, 'flag-count'), (t) => /жалоб: 1/.test(t ?? ''));
      assert.match(await textOf(consolePage, 'disputed-questions'), new RegExp(kQuestion.slice(0, 20)));
      // Still shown until the moderator decides.
      assert.equal((await questionsOf(zoya)).length, 1);

      // Hidden: gone for the audience, marked for the moderator, who may show it again.
      await testId(consolePage, 'hide-disputed').click();
      await waitUntil('the hidden mark', () => textOf(consolePage, 'hidden-mark'), (t) => /скрыт от участников/.test(t ?? ''));
      await waitUntil('gone for Petr', () => questionsOf(petr), (q) => q.length === 0);
      await waitUntil('gone for Zoya', () => questionsOf(zoya), (q) => q.length === 0);
      assert.equal(await textOf(consolePage, 'show-disputed'), 'Показать снова');

      assert.deepEqual([...consolePage.problems, ...zoya.problems, ...petr.problems], []);
      await moderatorContext.close();
      await zoyaContext.close();
      await petrContext.close();
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
