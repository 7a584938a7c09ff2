// The certificate check, pages only: the organiser issues the certificates from the desk; then
// anyone opens /verify, types the number printed on paper into the box and reads what it
// certifies (whose, the role, the practice, the event, the date of issue); a number never issued
// gets a plain Russian answer. The practices are submitted and admitted through the HTTP API.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { admitToPresent, createUser, kDuringIntake, kDuringReview, kPassword, submitPractices } from './people.mjs';
import { loadAgenda, startServer } from './server.mjs';
import { openDesk } from './setup.mjs';

const kOrganiser = { email: 'org@umc.ru', name: 'Организатор Ольга', password: kPassword };

let browser;
let dataDir;
let server;
let anna;

before(async () => {
  browser = await launchBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-verify-'));
  createUser(dataDir, kOrganiser.email, 'organiser', kOrganiser.name);
  server = await startServer({ dataDir, clock: kDuringIntake });
  [anna] = await submitPractices(server.url, [['anna', 'Семейная гостиная']]);
  await server.stop();
  server = await startServer({ dataDir, clock: kDuringReview });
  await admitToPresent(server.url, kOrganiser.email, [anna]);
});

after(async () => {
  await server?.stop();
  await browser?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// The organiser issues the certificates from the desk's documents page; returns the one number.
async function issueCertificate(context) {
  const page = await openDesk(context, server.url, kOrganiser, 'documents');
  await waitUntil('no certificates yet', () => textOf(page, 'certificates-none'), (t) => t === 'Сертификаты ещё не выпущены.');
  await testId(page, 'certificates-send-mail').uncheck();
  await testId(page, 'certificates-start').click();
  await waitUntil('the job done', () => attributeOf(page, 'certificates-progress', 'data-state'), (s) => s === 'done', 30000);
  const rows = page.locator('[data-testid^="certificate-"]');
  await waitUntil('the list', () => rows.count(), (n) => n === 1);
  const id = await rows.first().getAttribute('data-testid');
  return id.slice('certificate-'.length);
}

test('a number typed into the verify box shows whose certificate it is, the role, the practice, the event and the date of issue', async () => {
  const agenda = await loadAgenda();
  const number = await issueCertificate(await browser.newContext());

  const context = await browser.newContext();
  const page = await openPage(context, `${server.url}/verify`);
  assert.equal(await testId(page, 'verify-form').count(), 1, 'the box, not «Страница не найдена»');
  // Typed from paper: lower case, without dashes.
  await testId(page, 'verify-number').fill(number.replaceAll('-', '').toLowerCase());
  await testId(page, 'verify-submit').click();
  await waitUntil('the verdict', () => attributeOf(page, 'verify', 'data-valid'), (v) => v === 'yes');
  assert.match(await textOf(page, 'verify-verdict'), new RegExp(`№ ${number}`));
  assert.equal(await textOf(page, 'verify-name'), 'Автор anna');
  assert.equal(await textOf(page, 'verify-role'), 'автор практики');
  assert.match(await textOf(page, 'verify-practice'), /«Семейная гостиная» \(секция 1 «.+»\)/);
  assert.equal(await textOf(page, 'verify-event'), agenda.title);
  assert.match(await textOf(page, 'verify-issued'), /^\d{1,2} [а-я]+ 2020 г\.$/);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a number never issued typed into the verify box gets a plain Russian answer', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${server.url}/verify`);
  await testId(page, 'verify-submit').click();
  assert.equal(await textOf(page, 'verify-empty'), 'Введите номер сертификата.');
  await testId(page, 'verify-number').fill('AAAA-BBBB-CCCC-DDDD');
  await testId(page, 'verify-submit').click();
  await waitUntil('the verdict', () => attributeOf(page, 'verify', 'data-valid'), (v) => v === 'no');
  assert.equal(
    await textOf(page, 'verify-verdict'),
    'Сертификат с номером AAAA-BBBB-CCCC-DDDD не выдавался. Проверьте номер: он напечатан под QR-кодом.',
  );
  await context.close();
});
