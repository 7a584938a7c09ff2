// The conditions as the two documents give them, through the pages: the organiser publishes an
// announcement of changed conditions on the desk (clause 3.2.1) and it appears on the event page,
// newest first with its date; the event page names the organisers and how to reach them and shows
// no placeholder contact; the participant's cabinet says the contract waits for the organiser's
// requisites while the agenda holds placeholders. The participant's practice is made through the
// HTTP API beforehand.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { createUser, kDuringIntake, kEvent, kPassword, loginThroughDialog, person, seedSubmittedPractice, signInBrowser } from './people.mjs';
import { loadAgenda, startServer } from './server.mjs';

const kOrganiser = { email: 'org@umc.ru', name: 'Организатор Ольга', password: kPassword };
const kPhone = { viewport: { width: 390, height: 844 } };

let browser;
let server;
let dataDir;
let agenda;

before(async () => {
  agenda = await loadAgenda();
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-browser-conditions-'));
  createUser(dataDir, kOrganiser.email, 'organiser', kOrganiser.name);
  server = await startServer({ dataDir, clock: kDuringIntake });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('an announcement written on the desk appears on the event page, newest first with its date', async () => {
  const context = await browser.newContext();
  try {
    await signInBrowser(context, server.url, kOrganiser.email);
    const desk = await openPage(context, `${server.url}/events/${kEvent}/desk`);
    // The desk names what the agenda still holds as placeholders.
    await testId(desk, 'desk-placeholders').waitFor();
    assert.match(await textOf(desk, 'desk-placeholders'), /Реквизиты организатора для договора об оплате: Получатель, ИНН/);

    for (const [title, text] of [
      ['Срок приёма материалов продлён', 'Материалы принимаются до 30 июня включительно.'],
      ['Новая ссылка на комнату секции 2', 'Ссылка обновлена в программе.'],
    ]) {
      await testId(desk, 'announce-title').fill(title);
      await testId(desk, 'announce-text').fill(text);
      await testId(desk, 'announce-send').click();
      // The form is emptied once the server has taken the announcement.
      await waitUntil('the announcement published', () => testId(desk, 'announce-title').inputValue(), (v) => v === '');
      assert.match(await textOf(desk, 'announce-done'), /опубликовано на странице мероприятия/);
    }

    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    await testId(page, 'announcements').waitFor();
    const titles = await page.locator('[data-testid="announcement-title"]').allTextContents();
    assert.deepEqual(titles, ['Новая ссылка на комнату секции 2', 'Срок приёма материалов продлён']);
    const dates = await page.locator('[data-testid="announcement-date"]').allTextContents();
    assert.equal(dates.length, 2);
    for (const d of dates) assert.match(d, /20 июня 2020/);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('the event page names the organisers and their contact, and shows no placeholder phone', async () => {
  const context = await browser.newContext(kPhone);
  try {
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    await testId(page, 'organisers').waitFor();
    assert.match(await textOf(page, 'organisers'), /Учебно-методический центр/);
    const mail = testId(page, 'organiser-contact-umc').locator('a[href="mailto:attestovan38@mail.ru"]');
    assert.equal(await mail.count(), 1);
    await testId(page, 'sections').waitFor();
    assert.doesNotMatch(await textOf(page, 'sections'), /000-00-0/);
    assert.equal(await page.locator('a[href^="tel:8000"]').count(), 0);
    assert.equal(await testId(page, 'section-contact-1').count(), 0);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('the cabinet says the contract waits for the organiser’s requisites', async () => {
  const context = await browser.newContext(kPhone);
  try {
    const who = person('contract');
    await seedSubmittedPractice(server.url, kEvent, agenda, who);
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    await loginThroughDialog(page, who);
    await page.goto(`${server.url}/events/${kEvent}/cabinet`);
    await testId(page, 'contract-not-ready').waitFor();
    assert.equal(await textOf(page, 'contract-not-ready'), 'Договор будет доступен, когда организатор укажет реквизиты.');

    // The practice's payment block offers no contract to download either.
    await testId(page, 'practice-pay-link').click();
    await testId(page, 'practice-payment').waitFor();
    await testId(page, 'contract-not-ready').waitFor();
    assert.equal(await testId(page, 'contract-link').count(), 0);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
