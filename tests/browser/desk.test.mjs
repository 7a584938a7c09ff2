// The organiser's desk, pages only: a letter that failed while the mail server was down is seen in
// the outbox with its error in Russian and sent again with «Отправить ещё раз» once the server is
// back; a table is downloaded as XLSX from the documents page and read back (a Russian value in
// it); the certificates job's progress bar follows the job over the WebSocket to the end, with no
// polling. The practices and the invitation that makes the letter are made through the HTTP API.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { admitToPresent, attachFile, createUser, kApi, kEvent, kDuringIntake, kDuringReview, kPassword, session, submitPractices } from './people.mjs';
import { loadAgenda, startServer } from './server.mjs';
import { openDesk } from './setup.mjs';
import { scanPdf } from './docx.mjs';

const kOrganiser = { email: 'org@umc.ru', name: 'Организатор Ольга', password: kPassword };

// A minimal SMTP server on `port` that accepts every message (RFC 5321's happy path only).
function startSmtp(port) {
  const received = [];
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    socket.setEncoding('utf8');
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          received.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 OK\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol).toUpperCase();
        buffer = buffer.slice(eol + 2);
        if (line.startsWith('EHLO')) socket.write('250-test\r\n250 8BITMIME\r\n');
        else if (line.startsWith('DATA')) {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (line.startsWith('QUIT')) {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ received, close: () => new Promise((r) => server.close(r)) }));
  });
}

// A loopback port nothing listens on (taken and given back).
function freePort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

let browser;
let dataDir;
let anna;
let server;
let smtp;
const smtpPort = await freePort();

before(async () => {
  browser = await launchBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-desk-'));
  createUser(dataDir, kOrganiser.email, 'organiser', kOrganiser.name);
  server = await startServer({ dataDir, clock: kDuringIntake });
  [anna] = await submitPractices(server.url, [
    ['anna', 'Семейная гостиная'],
    ['boris', 'Школа приёмных родителей'],
  ]);
  const annaSession = session(server.url);
  await annaSession.call('POST', '/api/auth/login', { email: anna.email, password: kPassword });
  await attachFile(server.url, annaSession.cookie(), kEvent, anna.id, 'payment', 'Платёжка.pdf', scanPdf());
  await server.stop();
  // The mail server is down; an hour of the outbox's back-off passes in a second.
  server = await startServer({ dataDir, clock: kDuringReview, clockSpeed: 3600, args: ['--smtp', `smtp://127.0.0.1:${smtpPort}`] });
});

after(async () => {
  await server?.stop();
  await smtp?.close();
  await browser?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function organiserPage(context) {
  return openDesk(context, server.url, kOrganiser);
}

test('the organiser reads who decided what in the review log and finds every file sent, by purpose, from the desk', async () => {
  const agenda = await loadAgenda();
  await admitToPresent(server.url, kOrganiser.email, [anna]);
  const context = await browser.newContext();
  const page = await organiserPage(context);
  await testId(page, 'desk-review-log').click();
  const row = page.locator('[data-testid="review-log-row"]', { hasText: 'Решение организатора' });
  await waitUntil('the decision in the log', () => row.count(), (n) => n === 1);
  const text = await row.textContent();
  assert.ok(text.includes(`«${anna.title}»`) && text.includes(agenda.review.outcomes.present) && text.includes(kOrganiser.name), text);
  assert.match(text, /\d\d? [а-я]+ 2020/);

  await page.goBack();
  await testId(page, 'desk-files').click();
  const file = page.locator('[data-testid="file-row"]', { hasText: 'Платёжка.pdf' });
  await waitUntil('the scan listed', () => file.count(), (n) => n === 1);
  assert.equal(await file.locator('[data-testid="file-purpose"]').textContent(), agenda.files.payment.title);
  assert.match(await file.textContent(), /Семейная гостиная.*Автор anna/);
  assert.equal(await file.locator('[data-testid="file-open"]').getAttribute('href').then((h) => h?.startsWith('/api/uploads/')), true);
  await testId(page, 'files-purpose').selectOption('document');
  // Every submitted practice carries its Word document (required at submission): only those are left.
  await waitUntil('only the documents', () => file.count(), (n) => n === 0);
  const purposes = await page.locator('[data-testid="file-purpose"]').allTextContents();
  assert.ok(purposes.length > 0 && purposes.every((t) => t === agenda.files.document.title), purposes.join(', '));
  await testId(page, 'files-purpose').selectOption('payment');
  await waitUntil('the scan again', () => file.count(), (n) => n === 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the organiser sees a letter that failed in the outbox and sends it again once the mail server is back', async () => {
  const organiser = session(server.url);
  await organiser.call('POST', '/api/auth/login', { email: kOrganiser.email, password: kPassword });
  await organiser.call('POST', `${kApi}/roles`, { email: 'new.expert@dom.ru', role: 'expert', section: 1 });
  const context = await browser.newContext();
  const page = await organiserPage(context);
  await testId(page, 'desk-mail').click();
  const letter = page.locator('[data-testid="mail-row"]', { hasText: 'new.expert@dom.ru' });
  await waitUntil('the letter failed', () => letter.locator('[data-testid="mail-state"]').textContent(), (t) => t === 'не отправлено', 20000);
  assert.match(await letter.locator('[data-testid="mail-error"]').textContent(), /^Последняя ошибка: Не удалось соединиться с почтовым сервером/);

  smtp = await startSmtp(smtpPort);
  await letter.locator('[data-testid="mail-resend"]').click();
  await waitUntil('the letter queued again', () => textOf(page, 'mail-resent'), (t) => /поставлено в очередь/.test(t ?? ''));
  await waitUntil('the letter sent', () => letter.locator('[data-testid="mail-state"]').textContent(), (t) => t === 'отправлено', 20000);
  assert.equal(await letter.locator('[data-testid="mail-resend"]').count(), 0);
  assert.equal(smtp.received.length, 1);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the certificates job moves the progress bar to the end over the WebSocket and the table downloads as XLSX', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await organiserPage(context);
  const polls = [];
  page.on('request', (r) => {
    if (r.url().includes('/certificates/jobs/current')) polls.push(r.url());
  });
  await testId(page, 'desk-documents').click();
  await waitUntil('no certificates yet', () => textOf(page, 'certificates-none'), (t) => t === 'Сертификаты ещё не выпущены.');
  await testId(page, 'certificates-send-mail').uncheck();
  await testId(page, 'certificates-start').click();
  await waitUntil('the bar at the end', () => attributeOf(page, 'certificates-progress', 'data-state'), (s) => s === 'done', 30000);
  assert.equal(await attributeOf(page, 'certificates-progress', 'data-percent'), '100');
  assert.match(await textOf(page, 'certificates-job'), /^Выпуск завершён.*готово 2 из 2/);
  await waitUntil('the list', () => page.locator('[data-testid^="certificate-"]').count(), (n) => n === 2);
  assert.deepEqual(polls, [], 'the page follows the job without polling');

  // The public check of one of them: its date ends the sentence once («… 2020 г.», not «г..»).
  const number = (await page.locator('[data-testid^="certificate-"]').first().getAttribute('data-testid')).slice('certificate-'.length);
  const check = await openPage(context, `${server.url}/verify/${number}`);
  const verdict = await waitUntil('the verdict', () => textOf(check, 'verify-verdict'), (t) => t.includes('Документ подлинный'));
  assert.match(verdict, /\d{4} г\.\s*$/);
  assert.doesNotMatch(verdict, /г\.\./);
  await check.close();

  const [download] = await Promise.all([page.waitForEvent('download'), testId(page, 'export-certificates-xlsx').click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const strings = execFileSync('unzip', ['-p', await download.path(), 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  assert.match(strings, /<t[^>]*>Состояние<\/t>/);
  assert.match(strings, /<t[^>]*>готов<\/t>/, 'the state in Russian');
  assert.match(strings, /<t[^>]*>не отправлялось<\/t>/);
  assert.doesNotMatch(strings, /<t[^>]*>made<\/t>|\+08:00/);
  assert.match(strings, /<t[^>]*>\d\d\.\d\d\.2020 \d\d:\d\d<\/t>/, 'the date as «дд.мм.гггг чч:мм»');
  assert.deepEqual(page.problems, []);
  await context.close();
});
