// The participants' reminders, pages only: the organiser opens «Напоминания участникам» from the
// desk, sees each kind with its next sending and how many people get a letter then (one author
// with a draft: the draft reminder three days before the intake closes), and switches the draft
// reminder off; the switch holds after the page is opened again. The draft is made through the
// HTTP API (the author's work).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { createUser, kApi, kDuringIntake, kPassword, loginThroughDialog, practiceAnswers, registrationAnswers, session } from './people.mjs';
import { startServer } from './server.mjs';

const kOrganiser = { email: 'org@umc.ru', name: 'Организатор Ольга', password: kPassword };

let browser;
let dataDir;
let server;

before(async () => {
  browser = await launchBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-reminders-'));
  createUser(dataDir, kOrganiser.email, 'organiser', kOrganiser.name);
  server = await startServer({ dataDir, clock: kDuringIntake });
  const author = session(server.url);
  await author.call('POST', '/api/auth/register', { email: 'anna@dom.ru', password: kPassword, full_name: 'Автор Анна' });
  await author.call('PUT', `${kApi}/registration`, { answers: registrationAnswers('Автор Анна', 'anna@dom.ru') });
  await author.call('POST', `${kApi}/practices`, { section: 1, type: 'pilot', answers: practiceAnswers('Семейная гостиная') });
});

after(async () => {
  await server?.stop();
  await browser?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('the organiser opens the reminders from the desk and switches the draft reminder off', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${server.url}/events/irkutsk-2020/desk`);
  await loginThroughDialog(page, kOrganiser);
  await testId(page, 'desk-participant-reminders').click();
  await waitUntil('the reminders listed', () => page.locator('[data-testid^="reminder-"][data-enabled]').count(), (n) => n === 4);
  const draft = testId(page, 'reminder-draft');
  assert.equal(await draft.getAttribute('data-enabled'), 'yes');
  assert.match(await draft.locator('[data-testid="reminder-next"]').textContent(), /26 июня 2020/);
  assert.equal(await draft.locator('[data-testid="reminder-people"]').textContent(), '1');
  assert.match(await textOf(page, 'reminder-certificate'), /когда выпущен сертификат/);

  await draft.locator('[data-testid="reminder-switch"]').click();
  await waitUntil('switched off', () => draft.getAttribute('data-enabled'), (v) => v === 'no');
  assert.match(await draft.locator('[data-testid="reminder-next"]').textContent(), /выключено/);

  await page.reload();
  await waitUntil('still off after reopening', () => attributeOf(page, 'reminder-draft', 'data-enabled'), (v) => v === 'no');
  assert.equal(await attributeOf(page, 'reminder-speaker', 'data-enabled'), 'yes');
  const organiser = session(server.url);
  await organiser.call('POST', '/api/auth/login', { email: kOrganiser.email, password: kPassword });
  const { kinds } = await organiser.call('GET', `${kApi}/reminders/participants`);
  assert.equal(kinds.find((k) => k.kind === 'draft').enabled, false);
  assert.deepEqual(page.problems, []);
  await context.close();
});
