// The staff's journeys on the site, pages only after the start page: the organiser signs in on the
// event page, reaches the desk and the payments, confirms one payment seeing its scan and returns
// another with a reason; the expert reaches the queue from the event page, reads a practice as the
// agenda's form numbers and labels it, downloads its Word document and decides; the moderator
// reaches the console of the section from the event page; the organiser issues the certificates and
// downloads a table from the desk's documents page. An anonymous visitor on a phone is asked to
// apply while the intake is open. The authors' practices and files, and the experts'
// assignment, are made through the HTTP API beforehand (they are other people's work).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { test } from 'node:test';
import { openPage, testId, textOf, waitUntil } from './browser.mjs';
import { crc32, practiceDocx, scanPdf } from './docx.mjs';
import { assertNoSidewaysScroll, attachFile, kApi, kEvent, kDuringIntake, kDuringReview, kPassword, loginThroughDialog, session, submitPractices } from './people.mjs';
import { loadAgenda, startServer } from './server.mjs';
import { openDesk, useBrowser } from './setup.mjs';

const kOrganiser = { email: 'org@umc.ru', name: 'Организатор Ольга', password: kPassword };
const kExpert = { email: 'expert@umc.ru', name: 'Эксперт Евгений', password: kPassword };
const kModerator = { email: 'moderator@umc.ru', name: 'Модератор Мария', password: kPassword };
const kSecondExpert = { email: 'vera@umc.ru', name: 'Эксперт Вера', password: kPassword };
const kPhone = { viewport: { width: 390, height: 844 } };


// A 2×2 grey PNG: a scan the media check and an <img> both accept.
function tinyPng() {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.from([0, 128, 128, 0, 128, 128]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function signIn(url, email) {
  const who = session(url);
  await who.call('POST', '/api/auth/login', { email, password: kPassword });
  return who;
}

let phase = 'intake';
let anna;
let boris;
const agenda = await loadAgenda();

// The intake's server until a test needs the review's (reviewServer).
const env = useBrowser({
  tag: 'staff',
  users: [
    [kOrganiser.email, 'organiser', kOrganiser.name],
    [kExpert.email, 'expert', kExpert.name, 1],
    [kModerator.email, 'moderator', kModerator.name, 1],
    [kSecondExpert.email, 'participant', kSecondExpert.name],
  ],
  clock: kDuringIntake,
  seed: seedPaidPractices,
});

// Anna's and Boris's practices submitted, each with a payment scan sent.
async function seedPaidPractices() {
  [anna, boris] = await submitPractices(env.server.url, [
    ['anna', 'Семейная гостиная'],
    ['boris', 'Школа приёмных родителей'],
  ]);
  const annaSession = await signIn(env.server.url, anna.email);
  const annaScan = await attachFile(env.server.url, annaSession.cookie(), kEvent, anna.id, 'payment', 'Платёжка.png', tinyPng());
  await annaSession.call('POST', `${kApi}/practices/${anna.id}/payment`, { upload: annaScan });
  const borisSession = await signIn(env.server.url, boris.email);
  const borisScan = await attachFile(env.server.url, borisSession.cookie(), kEvent, boris.id, 'payment', 'Платёжка.pdf', scanPdf());
  await borisSession.call('POST', `${kApi}/practices/${boris.id}/payment`, { upload: borisScan });
}

// The same data during the review, with Anna's practice paid and assigned to the expert.
async function reviewServer() {
  if (phase === 'review') return env.server;
  await env.server.stop();
  env.server = await startServer({ dataDir: env.dataDir, clock: kDuringReview });
  phase = 'review';
  const organiser = await signIn(env.server.url, kOrganiser.email);
  const practice = await organiser.call('GET', `${kApi}/review/practices/${anna.id}`);
  if (practice.practice.payment.state !== 'confirmed') {
    await organiser.call('POST', `${kApi}/intake/practices/${anna.id}/payment`, { decision: 'confirm' });
  }
  await organiser.call('POST', `${kApi}/review/assign`, {});
  return env.server;
}

test('an anonymous visitor on a phone sees the event and a call to apply while the intake is open', async () => {
  const context = await env.browser.newContext(kPhone);
  const visitor = await openPage(context, `${env.server.url}/`);
  await waitUntil('the call to apply', () => textOf(visitor, 'apply-call'), (t) => /Идёт приём заявок/.test(t ?? ''));
  assert.equal(await textOf(visitor, 'event-title'), agenda.title);
  const zone = await textOf(visitor, 'time-zone-note');
  assert.match(zone, /^Время указано по часовому поясу мероприятия \(.*UTC\+08:00\)\.$/);
  assert.doesNotMatch(zone.replace('UTC', ''), /[A-Za-z]/, 'no zone identifier is shown');
  await assertNoSidewaysScroll(visitor);
  await testId(visitor, 'apply-link').click();
  await waitUntil('the cabinet asks to sign in', () => textOf(visitor, 'login-needed'), (t) => t !== null);
  assert.deepEqual(visitor.problems, []);
  await context.close();
});

test('a co-author opens the practice from the cabinet and is told only its author may change it', async () => {
  assert.equal(phase, 'intake');
  // Boris names Anna his co-author (his own work, through the API).
  const borisSession = await signIn(env.server.url, boris.email);
  const drafted = await borisSession.call('POST', `${kApi}/practices`, { section: 1, type: 'pilot', answers: { name: 'Совместная практика' } });
  await borisSession.call('PATCH', `${kApi}/practices/${drafted.id}`, { co_authors: [anna.email] });

  const context = await env.browser.newContext(kPhone);
  const page = await openPage(context, `${env.server.url}/`);
  await loginThroughDialog(page, { email: anna.email, password: kPassword, name: 'Автор anna' });
  await testId(page, 'cabinet-link').click();
  await testId(page, `practice-${drafted.id}`).locator('a.practice-item__title').click();
  await waitUntil('the co-author note', () => textOf(page, 'coauthor-note'), (t) => /^Вы соавтор этой практики\. Изменять её может только автор — Автор boris\.$/.test(t ?? ''));
  assert.equal(await testId(page, 'others-note').count(), 0);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the organiser reaches the payments from the event page, confirms one seeing its scan and returns another with a reason', async () => {
  assert.equal(phase, 'intake');
  const context = await env.browser.newContext();
  const page = await openPage(context, `${env.server.url}/`);
  await loginThroughDialog(page, kOrganiser);
  assert.equal(await textOf(page, 'header-desk-link'), 'Кабинет организатора');
  await testId(page, 'desk-link').click();
  await waitUntil('the desk', () => textOf(page, 'desk-group-intake'), (t) => t !== null);
  for (const link of ['desk-intake', 'desk-review-board', 'desk-flashmob-queue', 'desk-section-day', 'desk-results', 'desk-console-1', 'desk-documents']) {
    assert.equal(await testId(page, link).count(), 1, `the desk links ${link}`);
  }
  await testId(page, 'desk-payments').click();
  const annaItem = testId(page, `payment-${anna.id}`);
  const borisItem = testId(page, `payment-${boris.id}`);
  await waitUntil('both payments waiting', async () => (await annaItem.count()) + (await borisItem.count()), (n) => n === 2);
  assert.equal((await annaItem.locator('[data-testid="payment-state"]').textContent()).trim(), 'ждёт проверки');

  // Anna's scan is shown on the page, fetched with the organiser's rights.
  const scan = annaItem.locator('[data-testid="payment-scan"]');
  await waitUntil('the scan drawn', () => scan.evaluate((img) => img.complete && img.naturalWidth), (w) => w === 2);
  await annaItem.locator('[data-testid="payment-confirm"]').click();
  await waitUntil('the confirmation', () => annaItem.locator('[data-testid="payment-done"]').textContent(), (t) => t === 'Оплата подтверждена.');
  assert.equal((await annaItem.locator('[data-testid="payment-state"]').textContent()).trim(), 'оплата подтверждена');

  // Boris's PDF opens from its link; returning it asks for the reason first.
  const pdfLink = borisItem.locator('[data-testid="payment-scan-link"]');
  const pdf = await page.request.get(new URL(await pdfLink.getAttribute('href'), env.server.url).href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  await borisItem.locator('[data-testid="payment-return"]').click();
  await borisItem.locator('[data-testid="payment-return-send"]').click();
  await waitUntil('the reason asked for', () => borisItem.locator('[data-testid="payment-reason-error"]').count(), (n) => n === 1);
  assert.equal((await borisItem.locator('[data-testid="payment-state"]').textContent()).trim(), 'ждёт проверки');
  await borisItem.locator('[data-testid="payment-reason"]').fill('Сумма в документе — 200 рублей вместо 2000.');
  await borisItem.locator('[data-testid="payment-return-send"]').click();
  await waitUntil('the return', () => borisItem.locator('[data-testid="payment-state"]').textContent(), (t) => t.trim() === 'документ возвращён');
  assert.match(await borisItem.locator('[data-testid="payment-done"]').textContent(), /возвращён автору/);
  assert.match(await borisItem.textContent(), /Причина возврата: Сумма в документе — 200 рублей вместо 2000\./);

  // The filter shows each state in Russian; the confirmed list holds Anna's practice only.
  await testId(page, 'payment-filter').selectOption('confirmed');
  await waitUntil('the confirmed list', () => page.locator('[data-testid^="payment-"][data-state]').count(), (n) => n === 1);
  assert.equal(await annaItem.getAttribute('data-state'), 'confirmed');
  assert.ok(!/proof_sent|confirmed|returned/.test(await page.locator('main').textContent()), 'no state id is shown');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the expert reaches the queue from the event page, reads the practice by the form, downloads its Word document and decides', async () => {
  await reviewServer();
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await openPage(context, `${env.server.url}/`);
  await loginThroughDialog(page, kExpert);
  await waitUntil('the review stage note', () => textOf(page, 'staff-expert'), (t) => /идёт сейчас/.test(t ?? ''));
  await testId(page, 'review-link').click();
  await waitUntil('the queue', () => testId(page, `queue-open-${anna.id}`).count(), (n) => n === 1);
  assert.equal(await testId(page, `queue-open-${boris.id}`).count(), 0, 'an unpaid practice is not reviewed');
  await testId(page, `queue-open-${anna.id}`).click();
  await waitUntil('the practice', () => textOf(page, 'answer-label-name'), (t) => t === '1. Наименование практики');

  // The fields as the agenda numbers and labels them; nested answers as sub-fields, lists as lists.
  const labels = await page.locator('[data-testid="practice-answers"] > dt').allTextContents();
  assert.deepEqual(
    labels,
    agenda.practice.fields.map((f) => `${f.number}. ${f.label}`),
  );
  assert.equal(await textOf(page, 'answer-name'), 'Семейная гостиная');
  assert.equal(await textOf(page, 'answer-label-organisation.name'), agenda.practice.fields[1].fields[0].label);
  assert.equal(await textOf(page, 'answer-organisation.name'), 'ОГБУСО «Центр»');
  assert.equal(await testId(page, 'answer-cases').locator('ol > li').count(), 1);
  assert.equal(await testId(page, 'answer-implementers').locator('ol > li dt').first().textContent(), 'ФИО');

  // The Word document downloads as the .docx the author sent; the payment scan is not there.
  assert.equal(await testId(page, 'review-file-payment').count(), 0);
  const [download] = await Promise.all([page.waitForEvent('download'), testId(page, 'review-file-download-document').click()]);
  assert.equal(download.suggestedFilename(), 'practice.docx');  // as the author's file was named (people.mjs attachDocument)
  assert.deepEqual(await readFile(await download.path()), practiceDocx());

  // The decisions are the agenda's; a rejection needs its reason.
  const decisions = Object.entries(agenda.review.outcomes).filter(([k]) => k !== 'note');
  const shown = await page.locator('input[name="decision"]').evaluateAll((inputs) => inputs.map((i) => i.value));
  assert.deepEqual(shown, decisions.map(([id]) => id), 'in the order of the agenda');
  for (const [id, title] of decisions) assert.equal((await testId(page, `decision-${id}`).locator('xpath=..').textContent()).trim(), title);
  await testId(page, 'decision-rejected').check();
  await testId(page, 'review-submit').click();
  await waitUntil('the reason asked for', () => textOf(page, 'review-error'), (t) => /причину/.test(t ?? ''));
  await testId(page, 'decision-present').check();
  await testId(page, 'score-relevance').fill('5');
  await testId(page, 'review-submit').click();
  await waitUntil('the decision saved', () => textOf(page, 'review-saved'), (t) => t === 'Решение сохранено.');
  await page.locator('.crumbs a', { hasText: 'Экспертиза' }).click();
  await waitUntil('the queue shows the decision', () => textOf(page, `queue-decision-${anna.id}`), (t) => t === `Ваше решение: ${agenda.review.outcomes.present}`);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the moderator on a phone reaches the console of the section from the event page', async () => {
  await reviewServer();
  const context = await env.browser.newContext(kPhone);
  const phone = await openPage(context, `${env.server.url}/`);
  await loginThroughDialog(phone, kModerator);
  await assertNoSidewaysScroll(phone);
  await testId(phone, 'console-link-1').click();
  await waitUntil('the console', () => textOf(phone, 'section-console'), (t) => /Пульт модератора: секция 1/.test(t ?? ''));
  assert.deepEqual(phone.problems, []);
  await context.close();
});

test('the organiser reaches the certificates, the proceedings and the exports from the desk', async () => {
  await reviewServer();
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await openDesk(context, env.server.url, kOrganiser, 'documents');
  await waitUntil('no certificates yet', () => textOf(page, 'certificates-none'), (t) => t === 'Сертификаты ещё не выпущены.');

  const [download] = await Promise.all([page.waitForEvent('download'), testId(page, 'export-decisions').click()]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  assert.ok((await readFile(await download.path())).length > 0);

  // The authors of the submitted practices get their certificates; no letters from this run.
  await testId(page, 'certificates-send-mail').uncheck();
  await testId(page, 'certificates-start').click();
  await waitUntil('the job done', () => textOf(page, 'certificates-job'), (t) => /^Выпуск завершён/.test(t ?? ''), 30000);
  await waitUntil('the list', () => page.locator('[data-testid^="certificate-"]').count(), (n) => n > 0);
  const rows = await page.locator('[data-testid="certificates-table"] tbody tr').allTextContents();
  assert.ok(rows.every((r) => /готов/.test(r) && /не отправлялось/.test(r)), rows.join('\n'));
  assert.equal(await testId(page, 'certificates-archive').count(), 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the organiser grants and withdraws a role on the people page and sees the outbox warn that no mail server is set', async () => {
  await reviewServer();
  const context = await env.browser.newContext();
  const page = await openDesk(context, env.server.url, kOrganiser, 'people');
  await waitUntil('the roles', () => page.locator('[data-testid="role-row"]').count(), (n) => n >= 3);

  // Someone without an account yet is invited: the role waits for them, a letter is queued.
  await testId(page, 'grant-email').fill('nobody@dom.ru');
  await testId(page, 'grant-role').selectOption('expert');
  await testId(page, 'grant-submit').click();
  await waitUntil('the invitation', () => textOf(page, 'grant-done'), (t) => /nobody@dom\.ru ещё не зарегистрирован.*приглашение отправлено/.test(t ?? ''));
  const invitedRow = page.locator('[data-testid="invitation-row"]', { hasText: 'nobody@dom.ru' });
  await waitUntil('the invited row', () => invitedRow.count(), (n) => n === 1);
  assert.match(await invitedRow.textContent(), /приглашён, ещё не вошёл.*эксперт/);

  await testId(page, 'grant-email').fill(anna.email);
  await testId(page, 'grant-role').selectOption('expert');
  await testId(page, 'grant-section').selectOption('2');
  await testId(page, 'grant-submit').click();
  await waitUntil('the grant confirmed', () => textOf(page, 'grant-done'), (t) => (t ?? '').startsWith(`Роль назначена: ${anna.email} — эксперт, секция 2`));
  const annaRow = page.locator('[data-testid="role-row"]', { hasText: anna.email });
  await waitUntil('her row', () => annaRow.count(), (n) => n === 1);
  assert.match(await annaRow.textContent(), /эксперт.*секция 2/);
  const organiser = await signIn(env.server.url, kOrganiser.email);
  const held = (await organiser.call('GET', `${kApi}/roles`)).roles.filter((r) => r.user.email === anna.email && r.role === 'expert');
  assert.deepEqual(held.map((r) => r.section), [2]);

  await annaRow.locator('[data-testid="withdraw"]').click();
  await waitUntil('the withdrawal confirmed', () => textOf(page, 'grant-done'), (t) => (t ?? '').startsWith('Роль снята'));
  await waitUntil('her row gone', () => annaRow.count(), (n) => n === 0);

  await testId(page, 'header-desk-link').click();
  await testId(page, 'desk-mail').click();
  await waitUntil('the warning', () => textOf(page, 'mail-not-configured'), (t) => /Почтовый сервер не настроен/.test(t ?? ''));
  const letter = page.locator('[data-testid="mail-row"]', { hasText: 'nobody@dom.ru' });
  await waitUntil('the invitation letter waiting', () => letter.count(), (n) => n === 1);
  assert.match(await letter.textContent(), /Приглашение.*ждёт отправки/);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the organiser makes a second expert on the people page and gives the practice to her by hand on the board, then takes her off', async () => {
  await reviewServer();
  const context = await env.browser.newContext();
  const page = await openDesk(context, env.server.url, kOrganiser, 'people');
  await testId(page, 'grant-email').fill(kSecondExpert.email);
  await testId(page, 'grant-role').selectOption('expert');
  await testId(page, 'grant-section').selectOption('1');
  await testId(page, 'grant-submit').click();
  await waitUntil('the grant confirmed', () => textOf(page, 'grant-done'), (t) => (t ?? '').startsWith(`Роль назначена: ${kSecondExpert.email}`));

  await testId(page, 'header-desk-link').click();
  await testId(page, 'desk-review-board').click();
  const row = `board-${anna.id}`;
  const picker = testId(page, `${row}-expert`);
  await waitUntil('Vera offered for the practice', () => picker.locator('option', { hasText: kSecondExpert.name }).count(), (n) => n === 1);
  const value = await picker.locator('option', { hasText: kSecondExpert.name }).getAttribute('value');
  await picker.selectOption(value);
  await testId(page, `${row}-expert-add`).click();
  const experts = testId(page, `${row}-experts`);
  await waitUntil('Vera among the practice\'s experts', () => experts.locator('li', { hasText: kSecondExpert.name }).count(), (n) => n === 1);
  assert.match(await textOf(page, 'board-notice'), new RegExp(`${kSecondExpert.name} назначен\\(а\\) экспертом`));
  assert.match(await experts.locator('li', { hasText: kSecondExpert.name }).textContent(), /ещё не оценил\(а\)/);

  await testId(page, `${row}-remove-${value}`).click();
  await waitUntil('Vera off the practice', () => experts.locator('li', { hasText: kSecondExpert.name }).count(), (n) => n === 0);
  await waitUntil('and offered again', () => picker.locator('option', { hasText: kSecondExpert.name }).count(), (n) => n === 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});
