// The review board's load caps and conflict check, pages only: «Проверить конфликты» lists the
// expert who works where the practices come from and assigns nobody; the organiser caps one expert
// at one practice, the automatic assignment stops there and says so, and giving that expert a
// second practice by hand is refused beside the row. The practices, their payments and the
// experts' accounts are made through the HTTP API (other people's work).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import {
  createUser,
  kApi,
  kDuringIntake,
  kDuringReview,
  kPassword,
  loginThroughDialog,
  registrationAnswers,
  session,
  submitPractices,
} from './people.mjs';
import { startServer } from './server.mjs';

const kOrganiser = { email: 'org@umc.ru', name: 'Организатор Ольга', password: kPassword };
const kFree = { email: 'evgeny@umc.ru', name: 'Эксперт Евгений' };
// Registered with the same institution as the authors: a conflict with both practices.
const kConflicted = { email: 'zoya@umc.ru', name: 'Эксперт Зоя' };

const kPdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

// The author's tus upload of a payment scan for their practice; returns the upload's id.
async function uploadPayment(author, practice) {
  const meta = `filename ${Buffer.from('Платёжка.pdf').toString('base64')},practice ${Buffer.from(String(practice)).toString('base64')}`;
  const headers = { cookie: author.cookie(), 'Tus-Resumable': '1.0.0', origin: new URL(server.url).origin };
  const created = await fetch(`${server.url}${kApi}/uploads?purpose=payment`, {
    method: 'POST',
    headers: { ...headers, 'Upload-Length': String(kPdf.length), 'Upload-Metadata': meta },
  });
  assert.equal(created.status, 201, await created.text());
  const location = created.headers.get('location');
  const sent = await fetch(server.url + location, {
    method: 'PATCH',
    headers: { ...headers, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': '0' },
    body: kPdf,
  });
  assert.equal(sent.status, 204, await sent.text());
  return location.split('/').pop();
}

let browser;
let dataDir;
let server;
let practices;

async function signIn(email) {
  const who = session(server.url);
  await who.call('POST', '/api/auth/login', { email, password: kPassword });
  return who;
}

before(async () => {
  browser = await launchBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-caps-'));
  createUser(dataDir, kOrganiser.email, 'organiser', kOrganiser.name);
  createUser(dataDir, kFree.email, 'expert', kFree.name, 1);
  createUser(dataDir, kConflicted.email, 'expert', kConflicted.name, 1);
  server = await startServer({ dataDir, clock: kDuringIntake });
  practices = await submitPractices(server.url, [
    ['anna', 'Семейная гостиная'],
    ['boris', 'Школа приёмных родителей'],
  ]);
  for (const p of practices) {
    const author = await signIn(p.email);
    await author.call('POST', `${kApi}/practices/${p.id}/payment`, { upload: await uploadPayment(author, p.id) });
  }
  const zoya = await signIn(kConflicted.email);
  await zoya.call('PUT', `${kApi}/registration`, { answers: registrationAnswers(kConflicted.name, kConflicted.email) });
  await server.stop();
  server = await startServer({ dataDir, clock: kDuringReview });
  const organiser = await signIn(kOrganiser.email);
  for (const p of practices) await organiser.call('POST', `${kApi}/intake/practices/${p.id}/payment`, { decision: 'confirm' });
});

after(async () => {
  await server?.stop();
  await browser?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('the conflict check lists the conflicted expert on each practice and assigns nobody', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${server.url}/events/irkutsk-2020/review-board`);
  await loginThroughDialog(page, kOrganiser);
  await testId(page, 'board-check-conflicts').click();
  await waitUntil('the conflicts listed', () => attributeOf(page, 'conflicts-found', 'data-count'), (n) => n === '2');
  const lines = await page.locator('[data-testid="conflict"]').allTextContents();
  for (const p of practices) assert.ok(lines.some((l) => l.includes(`«${p.title}»`) && l.includes(kConflicted.name)), lines.join('\n'));
  assert.ok(lines.every((l) => !l.includes(kFree.name)), lines.join('\n'));
  for (const p of practices) assert.match(await textOf(page, `board-${p.id}-experts`), /никому не поручена/);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('an expert capped at one practice gets one from the automatic assignment and a second by hand is refused', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${server.url}/events/irkutsk-2020/review-board`);
  await loginThroughDialog(page, kOrganiser);
  const rows = page.locator('[data-testid^="cap-"][data-load]');
  await waitUntil('the experts\' loads', () => rows.count(), (n) => n === 2);
  const row = page.locator('[data-testid^="cap-"][data-load]', { hasText: kFree.name });
  const rowId = await row.getAttribute('data-testid');
  await testId(page, `${rowId}-input`).fill('1');
  await testId(page, `${rowId}-save`).click();
  await waitUntil('the cap saved', () => row.getAttribute('data-cap'), (c) => c === '1');

  await testId(page, 'board-assign').click();
  await waitUntil('told the caps left practices short', () => textOf(page, 'board-error'), (t) => /предел нагрузки/.test(t ?? ''));
  await waitUntil('one practice for Evgeny', () => textOf(page, `${rowId}-load`), (t) => /^1 из 1/.test(t ?? ''));

  // The practice he did not get: giving it to him by hand is refused beside its row.
  let other = null;
  for (const p of practices) {
    const his = testId(page, `board-${p.id}-experts`).locator('li', { hasText: kFree.name });
    if ((await his.count()) === 0) other = p;
  }
  assert.ok(other, 'one practice is left without Evgeny');
  const picker = testId(page, `board-${other.id}-expert`);
  const option = picker.locator('option', { hasText: kFree.name });
  assert.match(await option.textContent(), /работ: 1 из 1/);
  await picker.selectOption(await option.getAttribute('value'));
  await testId(page, `board-${other.id}-expert-add`).click();
  await waitUntil('the refusal', () => textOf(page, `board-${other.id}-experts-error`), (t) => /достигла предела \(1\)/.test(t ?? ''));
  assert.deepEqual(page.problems, []);
  await context.close();
});
