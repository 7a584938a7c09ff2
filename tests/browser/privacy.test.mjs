// Personal data on request (152-ФЗ) from the cabinet: a person downloads the archive of what the
// site holds about them, then withdraws consent behind the agenda's confirmation text and is
// signed out for good; the organiser finds both requests in the log linked from the desk.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openPage, testId, textOf, waitUntil } from './browser.mjs';
import { apiClient, kApi, kDuringIntake, kPassword, registrationAnswers, signInBrowser } from './people.mjs';
import { useBrowser } from './setup.mjs';
import { loadAgenda } from './server.mjs';

const kOrganiser = 'org@umc.ru';
const kName = 'Иванова Мария Петровна';
const kEmail = 'maria.ivanova@dom.ru';

const env = useBrowser({ tag: 'privacy', users: [[kOrganiser, 'organiser', 'Организатор Ольга']], clock: kDuringIntake });

test('a person downloads their data and withdraws consent; the organiser sees both in the log', async () => {
  const agenda = await loadAgenda();
  const maria = apiClient(env.server.url);
  assert.equal((await maria('POST', '/api/auth/register', { email: kEmail, password: kPassword, full_name: kName })).status, 201);
  assert.equal((await maria('PUT', `${kApi}/registration`, { answers: registrationAnswers(kName, kEmail) })).status, 200);
  assert.equal((await maria('POST', `${kApi}/practices`, { section: 1, type: 'pilot' })).status, 201);

  const context = await env.browser.newContext({ acceptDownloads: true });
  const [name, value] = maria.cookie().split('=');
  await context.addCookies([{ name, value, url: env.server.url }]);
  const page = await openPage(context, `${env.server.url}/events/irkutsk-2020/cabinet`);
  await testId(page, 'personal-data').waitFor();

  // The archive: a ZIP with the data and the readable summary, under the agenda's name.
  const [download] = await Promise.all([page.waitForEvent('download'), testId(page, 'personal-data-download').click()]);
  assert.equal(download.suggestedFilename(), `${agenda.registration_form.privacy.archive_name}.zip`);
  const zip = await readFile(await download.path());
  assert.equal(zip.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  assert.ok(zip.includes(Buffer.from('data.json')), 'data.json in the archive');
  assert.ok(zip.includes(Buffer.from('summary.txt')), 'summary.txt in the archive');

  // The withdrawal asks first, in the agenda's words, and goes only once confirmed.
  await testId(page, 'withdraw-start').click();
  assert.equal(await textOf(page, 'withdraw-confirm').then((t) => t?.includes(agenda.registration_form.privacy.withdraw_confirmation)), true);
  assert.equal(await testId(page, 'withdraw-submit').isDisabled(), true);
  await testId(page, 'withdraw-check').check();
  await testId(page, 'withdraw-submit').click();
  await waitUntil('the notice of the withdrawal', () => textOf(page, 'withdrawn-notice'), (t) => t === agenda.registration_form.privacy.withdrawn_notice, 10_000);

  // The old e-mail and password open nothing any more.
  const again = apiClient(env.server.url);
  const login = await again('POST', '/api/auth/login', { email: kEmail, password: kPassword });
  assert.equal(login.status, 401, login.text);
  assert.deepEqual(page.problems, []);
  await context.close();

  // The organiser: from the desk to the log, both requests, the person by number only.
  const desk = await env.browser.newContext();
  await signInBrowser(desk, env.server.url, kOrganiser);
  const organiser = await openPage(desk, `${env.server.url}/events/irkutsk-2020/desk`);
  await testId(organiser, 'desk-privacy-log').click();
  await testId(organiser, 'privacy-log-table').waitFor();
  const kinds = await testId(organiser, 'privacy-log-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
  assert.deepEqual(kinds, ['withdrawal', 'export']);
  const table = (await testId(organiser, 'privacy-log-table').textContent()) ?? '';
  assert.equal(table.includes(kName), false);
  assert.equal(table.includes(kEmail), false);
  assert.deepEqual(organiser.problems, []);
  await desk.close();
});
