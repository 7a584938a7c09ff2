// The resumable upload component in the browser against the real server, on a 360 px phone:
// a photo interrupted twice (paused, then the page reloaded mid-way) that resumes where it stopped
// and ends byte-identical on the server; a payment scan sent and returned by the organiser with a
// reason; and the author's flashmob page sending an ffmpeg-made video that the server measures
// and converts while the page follows it live.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { apiClient, assertNoSidewaysScroll, loginThroughDialog, person, seedSubmittedPractice } from './people.mjs';
import { agendaWithRequisites, binaryPath, loadAgenda, startServer } from './server.mjs';
import { openOwnFlashmob } from './setup.mjs';
import { scanPdf } from './docx.mjs';

const kEvent = 'irkutsk-2020';
const kOpenClock = '2020-06-20T10:00:00+08:00';
const kPhone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

let browser;
let agenda;
let work;

before(async () => {
  browser = await launchBrowser();
  agenda = await loadAgenda();
  work = await mkdtemp(join(tmpdir(), 'praktika-browser-uploads-'));
});
after(async () => {
  await browser?.close();
  await rm(work, { recursive: true, force: true });
});

// Chromium's own network throttling, in bytes per second of upload: slow enough to act mid-way.
async function throttleUploads(page, bytesPerSecond) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return cdp;
}

// The upload tus-js-client keeps in localStorage for resuming, read from the page.
async function storedUploadId(page) {
  return page.evaluate(() => {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key.startsWith('tus::praktika:')) continue;
      const url = JSON.parse(localStorage.getItem(key)).uploadUrl ?? '';
      const m = /\/api\/uploads\/([0-9a-f]{32})/.exec(url);
      if (m) return m[1];
    }
    return null;
  });
}

function percent(page, id) {
  return attributeOf(page, id, 'data-percent').then((p) => Number(p ?? -1));
}

test('a photo paused and then cut off by a reload resumes where it stopped and arrives byte-identical', async () => {
  const server = await startServer({ clock: kOpenClock });
  const context = await browser.newContext(kPhone);
  try {
    const who = person('resume');
    const { id } = await seedSubmittedPractice(server.url, kEvent, agenda, who);
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    await loginThroughDialog(page, who);
    await page.goto(`${server.url}/events/${kEvent}/practices/${id}`);
    await testId(page, 'practice-photos').waitFor();

    // A 3 MB JPEG (the agenda wants photos of 1–5 MB): the JPEG signature and random bytes.
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), randomBytes(3 * 1024 * 1024)]);
    const file = { name: 'semya-na-prazdnike.jpg', mimeType: 'image/jpeg', buffer: photo };

    // A photo too small for the agenda is refused before a byte is sent, naming the rule.
    await testId(page, 'photo-upload-file').setInputFiles({ name: 'malenkoe.jpg', mimeType: 'image/jpeg', buffer: photo.subarray(0, 50_000) });
    await testId(page, 'photo-upload-refused').waitFor();
    assert.match(await testId(page, 'photo-upload-refused').textContent(), /Размер файла.*Найдено:\s*49 КБ.*Требуется:\s*от 1 МБ до 5 МБ/s);
    assert.equal(await storedUploadId(page), null, 'nothing was created on the server');

    let cdp = await throttleUploads(page, 256 * 1024);
    await testId(page, 'photo-upload-file').setInputFiles(file);
    await waitUntil('a fifth sent', () => percent(page, 'photo-upload-progress'), (p) => p >= 20, 15000);
    assert.match(await textOf(page, 'photo-upload-status'), /^Загружено [\d,]+ (КБ|МБ) из 3 МБ — \d+%$/);
    const uploadId = await storedUploadId(page);
    assert.ok(uploadId, 'tus-js-client remembers the upload for resuming');

    // Pause: the server keeps what arrived, and nothing more comes.
    await testId(page, 'photo-upload-pause').click();
    assert.equal(await attributeOf(page, 'photo-upload', 'data-phase'), 'paused');
    await page.waitForTimeout(500);
    const paused = (await (await page.request.get(`${server.url}/api/uploads/${uploadId}`)).json()).offset;
    assert.ok(paused > 0 && paused < photo.length, `paused at ${paused}`);
    await page.waitForTimeout(700);
    assert.equal((await (await page.request.get(`${server.url}/api/uploads/${uploadId}`)).json()).offset, paused);

    // Resume, then the page is reloaded mid-way (a phone that dropped the tab).
    await testId(page, 'photo-upload-resume').click();
    await waitUntil('more than half sent', () => percent(page, 'photo-upload-progress'), (p) => p >= 55, 15000);
    await page.reload();
    await testId(page, 'practice-photos').waitFor();
    await testId(page, 'photo-upload-interrupted').waitFor();
    const cut = Number(await testId(page, 'photo-upload-interrupted').locator('li').getAttribute('data-offset'));
    const server_offset = (await (await page.request.get(`${server.url}/api/uploads/${uploadId}`)).json()).offset;
    assert.equal(cut, server_offset);
    assert.ok(cut > paused && cut < photo.length, `cut at ${cut} after the pause at ${paused}`);
    assert.match(await testId(page, 'photo-upload-interrupted').textContent(), /прервана.*Выберите этот же файл/s);

    // The same file chosen again continues from there, into the same upload.
    cdp = await throttleUploads(page, 512 * 1024);
    await testId(page, 'photo-upload-file').setInputFiles(file);
    await waitUntil('sending again', () => attributeOf(page, 'photo-upload', 'data-phase'), (p) => p === 'sending', 10000);
    // The phase turns to "sending" before the stored resume point is looked up: wait for it.
    await waitUntil('resumed from the cut', () => attributeOf(page, 'photo-upload-progress', 'data-resumed-from'), (v) => Number(v) === cut, 10000);
    assert.match(await textOf(page, 'photo-upload-status'), /Продолжено с [\d,]+ (КБ|МБ)\.$/);
    await waitUntil('the upload done', () => attributeOf(page, 'photo-upload', 'data-phase'), (p) => p === 'done', 20000);
    assert.equal(await attributeOf(page, 'photo-upload', 'data-upload'), uploadId);
    assert.equal(await attributeOf(page, 'photo-upload-verdict', 'data-ok'), 'yes');
    assert.equal(await storedUploadId(page), null, 'a finished upload is forgotten by the browser');
    await cdp.detach();

    const stored = await page.request.get(`${server.url}/api/uploads/${uploadId}/file`);
    assert.equal(stored.status(), 200);
    assert.ok(Buffer.from(await stored.body()).equals(photo), 'the stored file is byte-identical');
    await testId(page, 'photo').waitFor();
    assert.equal(await textOf(page, 'photo'), `${file.name} (3 МБ) Удалить`);
    await assertNoSidewaysScroll(page);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('a payment scan is uploaded and sent, and the organiser’s return with a reason is shown', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-browser-payment-'));
  const organiser = { email: `org.${Date.now()}@example.org`, password: 'пароль организатора оплаты' };
  const made = spawnSync(binaryPath, ['admin', 'create-user', '--data', dataDir, '--email', organiser.email, '--role', 'organiser', '--event', kEvent], {
    input: `${organiser.password}\n`,
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);
  // The contract is offered only with the organiser's real requisites in the agenda.
  const agendaFile = await agendaWithRequisites(dataDir);
  const server = await startServer({ clock: kOpenClock, dataDir, agenda: agendaFile });
  // Without the service worker: a request it forwards is out of the test's reach (below), and this
  // journey is not about what the worker keeps.
  const context = await browser.newContext({ ...kPhone, serviceWorkers: 'block' });
  try {
    const who = person('payment');
    const { id } = await seedSubmittedPractice(server.url, kEvent, agenda, who);
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    await loginThroughDialog(page, who);

    // From the cabinet's link to the practice's payment block. The registration's answer is held back at
    // first, as on a slow phone: the form of payment is not offered until the one chosen there is known.
    await page.goto(`${server.url}/events/${kEvent}/cabinet`);
    await testId(page, 'practice-pay-link').waitFor();
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route(`**/api/events/${kEvent}/registration`, async (route) => {
      await held;
      await route.continue();
    });
    await testId(page, 'practice-pay-link').click();
    await testId(page, 'practice-payment').waitFor();
    await testId(page, 'payment-amount').waitFor();
    assert.equal(await testId(page, 'payment-form').count(), 0, 'no form of payment before the registration is in');
    release();  // from here on the route lets every request through at once
    assert.equal(await attributeOf(page, 'practice-payment', 'data-state'), 'awaiting_proof');
    assert.equal(await textOf(page, 'payment-state'), 'ожидается документ об оплате');
    assert.match(await textOf(page, 'payment-amount'), /^2\s000 ₽$/);
    // The registration chose «individual»; the contract follows the form shown.
    assert.equal(await testId(page, 'payment-form').inputValue(), 'individual');
    assert.equal(await testId(page, 'contract-link').getAttribute('href'), `/api/events/${kEvent}/contract?payment_form=individual`);
    await testId(page, 'payment-form').selectOption('legal_entity');
    assert.equal(await testId(page, 'contract-link').getAttribute('href'), `/api/events/${kEvent}/contract?payment_form=legal_entity`);
    assert.equal(await testId(page, 'payment-send').isDisabled(), true, 'nothing to send before a scan');

    // A file of the wrong type is refused before sending.
    await testId(page, 'payment-upload-file').setInputFiles({ name: 'chek.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('x') });
    await testId(page, 'payment-upload-refused').waitFor();
    assert.match(await testId(page, 'payment-upload-refused').textContent(), /Тип файла.*Найдено:\s*файл \.docx/s);

    await testId(page, 'payment-upload-file').setInputFiles({ name: 'platezhka.pdf', mimeType: 'application/pdf', buffer: scanPdf() });
    await waitUntil('the scan uploaded', () => attributeOf(page, 'payment-upload', 'data-phase'), (p) => p === 'done', 15000);
    assert.equal(await attributeOf(page, 'payment-upload-verdict', 'data-ok'), 'yes');
    await testId(page, 'payment-send').click();
    await waitUntil('the proof sent', () => attributeOf(page, 'practice-payment', 'data-state'), (s) => s === 'proof_sent');
    assert.equal(await textOf(page, 'payment-state'), 'документ отправлен, организатор проверяет');
    assert.equal(await textOf(page, 'payment-message'), 'Документ об оплате отправлен организатору.');
    await assertNoSidewaysScroll(page);

    // The organiser returns it with a reason; the author sees both after a reload.
    const org = apiClient(server.url);
    assert.equal((await org('POST', '/api/auth/login', organiser)).status, 200);
    const reason = 'В документе не видна сумма платежа';
    const returned = await org('POST', `/api/events/${kEvent}/intake/practices/${id}/payment`, { decision: 'return', reason });
    assert.equal(returned.status, 200, returned.text);
    await page.reload();
    await testId(page, 'practice-payment').waitFor();
    assert.equal(await attributeOf(page, 'practice-payment', 'data-state'), 'returned');
    assert.equal(await textOf(page, 'payment-state'), 'документ возвращён организатором');
    assert.match(await textOf(page, 'payment-reason'), new RegExp(`Причина: ${reason}\\.`));
    assert.equal(await testId(page, 'payment-upload-file').count(), 1, 'a corrected scan may be sent');

    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('an author sends a flashmob video from the page and sees it measured, converted and awaiting approval', async () => {
  // A 4-second WMV: a browser cannot play it, so the server measures it and converts it to MP4.
  const video = join(work, 'tanec.wmv');
  const ff = spawnSync('/usr/bin/ffmpeg', [
    '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=duration=4:size=320x240:rate=10',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4',
    '-c:v', 'wmv2', '-b:v', '300k', '-c:a', 'wmav2', '-shortest', video,
  ]);
  assert.equal(ff.status, 0, String(ff.stderr));
  const bytes = await readFile(video);

  const server = await startServer({ clock: kOpenClock });
  const context = await browser.newContext(kPhone);
  try {
    const page = await openOwnFlashmob(context, server.url, agenda, 'flashmob');
    // The kinds of file and their limits are the agenda's words, not the page's.
    const flashmobFiles = agenda.files.flashmob;
    const kindsText = flashmobFiles.kinds.map((k) => k.title.charAt(0).toLocaleLowerCase('ru-RU') + k.title.slice(1)).join(' или ');
    assert.equal(await textOf(page, 'flashmob-kinds'), `${flashmobFiles.title}: ${kindsText}.`);
    await testId(page, 'no-items').waitFor();

    // The five kinds of the agenda, and the institution taken from the registration.
    const kinds = agenda.files.flashmob.work_kinds;
    assert.deepEqual(
      await testId(page, 'flashmob-kind').locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean)),
      kinds.map((k) => k.id),
    );
    await waitUntil('the institution filled in', () => testId(page, 'flashmob-institution').inputValue(), (v) => v !== '');

    // Sending without the file or the fields names what is missing.
    await testId(page, 'flashmob-send').click();
    assert.equal(await textOf(page, 'flashmob-message'), 'Сначала загрузите файл работы.');

    // A video of 5:01 in MPEG-4 Part 2, which Chromium cannot play, so the page cannot read its
    // length (early_verdict.test.mjs is the one it can): it is sent and refused by the server,
    // which names the rule, what it measured and what is required.
    const long = join(work, 'dlinny.mp4');
    const ffLong = spawnSync('/usr/bin/ffmpeg', [
      '-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=duration=301:size=64x48:rate=1', '-c:v', 'mpeg4', long,
    ]);
    assert.equal(ffLong.status, 0, String(ffLong.stderr));
    await testId(page, 'flashmob-upload-file').setInputFiles({ name: 'dlinny.mp4', mimeType: 'video/mp4', buffer: await readFile(long) });
    await waitUntil('the long video refused', () => attributeOf(page, 'flashmob-upload', 'data-phase'), (p) => p === 'rejected', 20000);
    assert.equal(await attributeOf(page, 'flashmob-upload-verdict', 'data-ok'), 'no');
    assert.equal(await textOf(page, 'flashmob-upload-duration'), '5:01');
    const duration = await testId(page, 'flashmob-upload-findings').locator('[data-testid="finding-duration"]').textContent();
    assert.match(duration, /Длительность.*Где:\s*файл.*Найдено:.*5.*Требуется:\s*не более 5/s);

    await testId(page, 'flashmob-upload-file').setInputFiles({ name: 'tanec.wmv', mimeType: 'video/x-ms-wmv', buffer: bytes });
    await waitUntil('the video uploaded', () => attributeOf(page, 'flashmob-upload', 'data-phase'), (p) => p === 'done', 20000);
    assert.equal(await textOf(page, 'flashmob-upload-duration'), '0:04');
    await testId(page, 'flashmob-send').click();
    await testId(page, 'field-error').first().waitFor();
    assert.equal(await testId(page, 'field-error').count(), 2, 'the kind and the title are required');

    await testId(page, 'flashmob-kind').selectOption('dance');
    await testId(page, 'flashmob-title').fill('Танец маленьких утят');
    await testId(page, 'flashmob-send').click();
    await waitUntil('the item listed', () => page.locator('[data-testid^="flashmob-item-"]').count(), (n) => n === 1);
    const item = page.locator('[data-testid^="flashmob-item-"]');
    assert.equal(await textOf(page, 'flashmob-message'), 'Работа отправлена. Её статус — ниже.');
    assert.equal(await item.locator('[data-testid="item-duration"]').textContent(), '0:04');
    assert.equal(await item.getAttribute('data-review'), 'pending');
    assert.equal((await item.locator('[data-testid="item-review"]').textContent()).trim(), 'на рассмотрении у организатора');

    // The conversion runs in the background; the page hears its end over the WebSocket.
    const seen = new Set();
    await waitUntil(
      'the converted video',
      async () => {
        const state = await item.getAttribute('data-play-state');
        seen.add(state);
        return state;
      },
      (s) => s === 'ready' || s === 'failed',
      60000,
    );
    assert.equal(await item.getAttribute('data-play-state'), 'ready', `states seen: ${[...seen]}`);
    assert.equal((await item.locator('[data-testid="item-play"]').textContent()).trim(), 'готово к показу');
    await item.locator('[data-testid="item-video"]').waitFor();
    const src = await item.locator('[data-testid="item-video"]').getAttribute('src');
    const mp4 = await page.request.get(`${server.url}${src}`, { headers: { Range: 'bytes=0-15' } });
    assert.equal(mp4.status(), 206);
    assert.equal(Buffer.from(await mp4.body()).subarray(4, 8).toString('latin1'), 'ftyp', 'the converted file is an MP4');
    await assertNoSidewaysScroll(page);

    // After a reload the item is still there, measured.
    await page.reload();
    await testId(page, 'flashmob-items').waitFor();
    assert.equal(await page.locator('[data-testid^="flashmob-item-"] [data-testid="item-duration"]').textContent(), '0:04');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});
