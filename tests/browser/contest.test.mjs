// The national contest through the browser, pages only, against the real server with its own
// agenda (agenda/contest-2025.json): an institution's applicant registers and sends the 14-item
// application with the signed letter, the subscription scan and a file for item 6; a past laureate
// is refused when the application is created; the jury chair names the laureate on the board with
// the agenda's decisions; the applicant does not see it before the publication instant and does
// after it (the server restarted on the same data at a later clock), and so does a visitor, who
// finds the laureate list from the event page; in the week before 1 March the chair is warned on
// the desk and marks the diploma sent by post. Every person starts on one page by its address and
// goes on by links and buttons only. Then the conference's board: a
// rejection asks for its reason, and a refusal of the server stays beside its row.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { scanPdf } from './docx.mjs';
import { apiClient, fillFields, loginThroughDialog, person, registerThroughDialog, seedSubmittedPractice } from './people.mjs';
import { binaryPath, loadAgenda, repoRoot, startServer } from './server.mjs';

const kContest = 'contest-2025';
const kContestAgenda = join(repoRoot, 'agenda', 'contest-2025.json');
const kDuringApplications = '2024-12-10T10:00:00+03:00';
const kAfterPublication = '2025-02-02T10:00:00+03:00';
// Inside the 7 days before diplomas_by (1 March 2025), when the desk warns.
const kPostWarning = '2025-02-24T10:00:00+03:00';
const kInstitution = 'ГБУ СО «Комплексный центр социального обслуживания населения «Рассвет»';
// A laureate of the second contest (2023) in agenda/contest-2025/past-results.json.
const kPastLaureate = 'КГБУ СО «Краевой центр социальной помощи «Семья»';
// Identifiers of the server and the agenda that a person must never read on a page.
const kRawWords = /\b(not_required|laureate|participant|awaiting_proof|draft|submitted|null|undefined)\b/;

let browser;
let contest;

before(async () => {
  browser = await launchBrowser();
  contest = await loadAgenda(kContestAgenda);
});
after(async () => {
  await browser?.close();
});

function createUser(dataDir, event, who) {
  const made = spawnSync(
    binaryPath,
    ['admin', 'create-user', '--data', dataDir, '--email', who.email, '--role', 'organiser', '--event', event, '--name', who.name],
    { input: `${who.password}\n`, encoding: 'utf8' },
  );
  assert.equal(made.status, 0, made.stdout + made.stderr);
}

async function assertNoRawWords(page) {
  const text = await page.locator('main, body').first().innerText();
  assert.doesNotMatch(text, kRawWords, 'a server or agenda identifier is shown to a person');
}

// The board lists a conference practice once its fee is confirmed: a submitted practice, its
// payment scan sent with tus and confirmed by the organiser, all through the API (the setting of
// the organiser's journey, not part of it).
async function seedPaidPractice(base, agenda, organiser) {
  const { id, call } = await seedSubmittedPractice(base, 'irkutsk-2020', agenda, person('board'));
  const pdf = new Uint8Array(scanPdf());
  const meta = `filename ${Buffer.from('oplata.pdf').toString('base64')},practice ${Buffer.from(String(id)).toString('base64')}`;
  const tus = { 'Tus-Resumable': '1.0.0' };
  const created = await call('POST', '/api/events/irkutsk-2020/uploads?purpose=payment', undefined, {
    ...tus,
    'Upload-Length': String(pdf.length),
    'Upload-Metadata': meta,
  });
  assert.equal(created.status, 201, created.text);
  const location = created.headers.get('location');
  const sent = await call('PATCH', new URL(location, base).pathname, pdf, {
    ...tus,
    'Content-Type': 'application/offset+octet-stream',
    'Upload-Offset': '0',
  });
  assert.equal(sent.status, 204, sent.text);
  const upload = location.split('/').pop();
  const proof = await call('POST', `/api/events/irkutsk-2020/practices/${id}/payment`, { upload });
  assert.equal(proof.status, 200, proof.text);
  const staff = apiClient(base);
  assert.equal((await staff('POST', '/api/auth/login', { email: organiser.email, password: organiser.password })).status, 200);
  const confirmed = await staff('POST', `/api/events/irkutsk-2020/intake/practices/${id}/payment`, { decision: 'confirm' });
  assert.equal(confirmed.status, 200, confirmed.text);
  return id;
}

// From an organiser's page back to the desk by its breadcrumb.
async function backToDesk(page) {
  await page.getByRole('link', { name: 'Кабинет организатора', exact: true }).first().click();
  await testId(page, 'desk').waitFor();
  await testId(page, 'desk-group-contest').waitFor();
}

async function upload(page, testIdBase, name) {
  await testId(page, `${testIdBase}-file`).setInputFiles({ name, mimeType: 'application/pdf', buffer: scanPdf() });
  await waitUntil(`the upload ${name}`, () => attributeOf(page, testIdBase, 'data-phase'), (p) => p === 'done', 15000);
}

test('an institution applies with the letter and the scan, a past laureate is refused at creation, the jury names the laureate, the applicant and a visitor see it from publication on, and the chair marks the diploma sent by post', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-browser-contest-'));
  const chair = { name: 'Председатель жюри', email: `chair.${Date.now()}@example.org`, password: 'пароль председателя жюри' };
  createUser(dataDir, kContest, chair);
  let server = await startServer({ clock: kDuringApplications, agenda: kContestAgenda, dataDir });
  const applicant = person('contest');
  try {
    // The applicant: the event page, then the cabinet in the contest's own words.
    const context = await browser.newContext();
    const page = await openPage(context, `${server.url}/events/${kContest}`);
    await registerThroughDialog(page, applicant);
    await testId(page, 'cabinet-link').click();
    await testId(page, 'cabinet').waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Мои заявки');

    await testId(page, 'registration-link').click();
    await testId(page, 'registration-save').waitFor();
    assert.equal(await page.locator('h1').textContent(), contest.registration_form.title);
    await fillFields(page, contest.registration_form.fields, '', new Map());
    await testId(page, 'registration-save').click();
    await waitUntil('the saved applicant', () => attributeOf(page, 'registration-state', 'data-complete'), (v) => v === 'yes');
    await page.getByText('← К моим заявкам').click();
    await testId(page, 'cabinet').waitFor();

    // A new application: no section or type (the agenda has none); the institution and its INN first.
    await testId(page, 'new-practice').click();
    assert.equal(await testId(page, 'new-practice').count(), 0);
    assert.equal(await testId(page, 'new-section').count(), 0);
    assert.equal(await page.locator('input[name="new-type"]').count(), 0);
    await testId(page, 'field-name').fill(kInstitution);
    await testId(page, 'field-inn').fill('3800012345');
    await testId(page, 'create-practice').click();
    await testId(page, 'practice-editor').waitFor();
    assert.equal(await testId(page, 'practice-section').count(), 0);
    assert.equal(await testId(page, 'practice-type').count(), 0);
    assert.equal(await testId(page, 'practice-payment').count(), 0, 'no fee, no payment block');
    assert.equal(await testId(page, 'co-authors').count(), 0, 'the institution applies, not authors');
    assert.equal(await testId(page, 'field-name').inputValue(), kInstitution);
    assert.equal(await textOf(page, 'practice-state'), 'черновик');

    // The 14 items; item 6 is answered by a file instead of text.
    const rest = contest.practice.fields.filter((f) => !['name', 'inn', 'innovative_technologies'].includes(f.id));
    await fillFields(page, rest, '', new Map());
    const item6 = contest.practice.fields.find((f) => f.id === 'innovative_technologies');
    assert.equal(item6.attachments, 'attachment');
    await upload(page, 'attach-innovative_technologies', 'innovatsii.pdf');
    await waitUntil('the file under item 6', () => attributeOf(page, 'attachments-innovative_technologies', 'data-count'), (c) => c === '1');
    await waitUntil('every field saved', () => attributeOf(page, 'save-status', 'data-state'), (s) => s === 'saved', 8000);
    await waitUntil('nothing missing', () => attributeOf(page, 'missing', 'data-count'), (c) => c === '0');

    // The required files are named before sending, and the server refuses without them.
    const required = Object.entries(contest.files).filter(([, p]) => p.required_at_submission);
    assert.deepEqual(required.map(([id]) => id).sort(), ['letter', 'subscription']);
    assert.equal(await attributeOf(page, 'missing-files', 'data-count'), '2');
    await testId(page, 'submit-practice').click();
    await waitUntil('the refusal', () => textOf(page, 'submit-message'), (t) => t !== null && t.includes('не загружен обязательный файл'));
    assert.equal(await textOf(page, 'practice-state'), 'черновик');

    await upload(page, 'upload-letter', 'zayavka-na-blanke.pdf');
    await upload(page, 'upload-subscription', 'dogovor-podpiski.pdf');
    await waitUntil('both files listed', () => testId(page, 'file-letter').count(), (n) => n === 1);
    assert.equal(await testId(page, 'file-subscription').count(), 1);
    assert.equal(await testId(page, 'missing-files').count(), 0);
    await testId(page, 'submit-practice').click();
    await waitUntil('the submitted state', () => textOf(page, 'practice-state'), (t) => t === 'отправлена');
    assert.equal(await textOf(page, 'submit-message'), 'Заявка отправлена жюри.');
    await assertNoRawWords(page);
    await page.getByText('← К моим заявкам').click();
    await testId(page, 'cabinet').waitFor();
    assert.equal(await testId(page, 'practice-payment').count(), 0);
    assert.equal(await testId(page, 'fee-summary').count(), 0, 'no fee, no sum');
    assert.equal(await testId(page, 'practice-outcome').count(), 0);
    await assertNoRawWords(page);
    assert.deepEqual(page.problems, []);

    // A laureate of 2023 is refused when it creates its application, with the rule's year.
    const past = await browser.newContext();
    const pastPage = await openPage(past, `${server.url}/events/${kContest}`);
    await registerThroughDialog(pastPage, person('past'));
    await testId(pastPage, 'cabinet-link').click();
    await testId(pastPage, 'new-practice').click();
    await testId(pastPage, 'field-name').fill(kPastLaureate);
    await testId(pastPage, 'create-practice').click();
    const refusal = await waitUntil('the refusal', () => textOf(pastPage, 'new-practice-error'), (t) => t !== null);
    assert.match(refusal, /лауреатом Второго конкурса в 2023 году/);
    assert.match(refusal, /не ранее 2026 года/);
    assert.equal(await testId(pastPage, 'no-practices').count(), 1);
    await past.close();

    // The jury chair names the laureate on the board, choosing from the agenda's decisions.
    const jury = await browser.newContext();
    const board = await openPage(jury, `${server.url}/events/${kContest}/review-board`);
    await loginThroughDialog(board, chair);
    const row = board.locator('[data-testid^="board-"][data-outcome]');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    const rowId = await row.getAttribute('data-testid');
    const offered = await testId(board, `${rowId}-outcome`).locator('option').allTextContents();
    assert.deepEqual(offered.slice(1).sort(), Object.values(contest.review.outcomes).sort());
    await testId(board, `${rowId}-outcome`).selectOption('laureate');
    await testId(board, `${rowId}-save`).click();
    await waitUntil('the saved decision', () => attributeOf(board, rowId, 'data-outcome'), (o) => o === 'laureate');
    assert.match(await textOf(board, `${rowId}-saved`), /^Сохранено: Лауреат Третьего Всероссийского/);
    await assertNoRawWords(board);
    assert.deepEqual(board.problems, []);
    await jury.close();

    // Before the publication instant the applicant's cabinet says nothing of it.
    await page.reload();
    await testId(page, 'cabinet').waitFor();
    assert.equal(await testId(page, 'practice-outcome').count(), 0);
    await context.close();

    // After it: the decision in the agenda's words.
    await server.stop();
    server = await startServer({ clock: kAfterPublication, agenda: kContestAgenda, dataDir });
    const later = await browser.newContext();
    const again = await openPage(later, `${server.url}/events/${kContest}`);
    await loginThroughDialog(again, applicant);
    await testId(again, 'cabinet-link').click();
    await testId(again, 'practice-outcome').waitFor();
    assert.equal(await attributeOf(again, 'practice-outcome', 'data-outcome'), 'laureate');
    assert.equal(await textOf(again, 'practice-outcome-title'), contest.review.outcomes.laureate);
    assert.match(await textOf(again, 'practice-outcome'), /^Решение жюри: /);
    await assertNoRawWords(again);
    assert.deepEqual(again.problems, []);
    await later.close();

    // A visitor without an account finds the published list from the event page.
    const visitor = await browser.newContext();
    const event = await openPage(visitor, `${server.url}/events/${kContest}`);
    await testId(event, 'laureates-link').click();
    await testId(event, 'laureates-table').waitFor();
    assert.equal(await testId(event, 'laureates-not-published').count(), 0);
    const rows = event.locator('[data-testid="laureates-table"] tbody tr');
    assert.equal(await rows.count(), 1);
    assert.ok((await rows.first().innerText()).includes(kInstitution));
    await assertNoRawWords(event);
    assert.deepEqual(event.problems, []);
    await visitor.close();

    // A week before 1 March the desk warns the chair; the diploma is marked sent on the post page.
    await server.stop();
    server = await startServer({ clock: kPostWarning, agenda: kContestAgenda, dataDir });
    const office = await browser.newContext();
    const desk = await openPage(office, `${server.url}/events/${kContest}/desk`);
    await loginThroughDialog(desk, chair);
    await testId(desk, 'desk-reminder-diplomas_by').waitFor();
    const warning = await textOf(desk, 'desk-reminder-diplomas_by');
    assert.match(warning, /до 1 марта 2025 г\./);
    assert.match(warning, /не отправленные по почте: 1/);
    await testId(desk, 'desk-post').click();
    await testId(desk, 'post-table').waitFor();
    assert.equal(await attributeOf(desk, 'post-deadline', 'data-state'), 'near');
    assert.match(await textOf(desk, 'post-deadline'), /до 1 марта 2025 г\./);
    assert.equal(await attributeOf(desk, 'post-to-send', 'data-count'), '1');
    const envelope = desk.locator('[data-testid^="post-"][data-sent]');
    assert.equal(await envelope.count(), 1);
    const envelopeId = await envelope.getAttribute('data-testid');
    assert.equal(await textOf(desk, `${envelopeId}-document`), contest.contest.post.documents.laureate);
    assert.equal(await testId(desk, `${envelopeId}-day`).inputValue(), '2025-02-24');
    await testId(desk, `${envelopeId}-day`).fill('2025-02-21');
    await testId(desk, `${envelopeId}-mark`).click();
    await waitUntil('the count to fall', () => attributeOf(desk, 'post-to-send', 'data-count'), (c) => c === '0');
    assert.equal(await textOf(desk, `${envelopeId}-sent`), 'Отправлен 21.02.2025');
    // Undone by mistake, then marked again: the count follows.
    await testId(desk, `${envelopeId}-undo`).click();
    await waitUntil('the count back', () => attributeOf(desk, 'post-to-send', 'data-count'), (c) => c === '1');
    await testId(desk, `${envelopeId}-mark`).click();
    await waitUntil('the count to fall again', () => attributeOf(desk, 'post-to-send', 'data-count'), (c) => c === '0');
    // After a reload the mark is the server's, and the desk has nothing left to warn of.
    await desk.reload();
    await testId(desk, 'post-table').waitFor();
    assert.equal(await attributeOf(desk, 'post-to-send', 'data-count'), '0');
    await backToDesk(desk);
    await waitUntil('the desk warnings read', () => attributeOf(desk, 'desk-reminders', 'data-count'), (c) => c === '0');
    await assertNoRawWords(desk);
    assert.deepEqual(desk.problems, []);
    await office.close();
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('on the conference board a rejection asks for its reason, and a refusal of the server stays beside its row', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-browser-board-'));
  const organiser = { name: 'Организатор', email: `org.${Date.now()}@example.org`, password: 'пароль организатора конференции' };
  createUser(dataDir, 'irkutsk-2020', organiser);
  // The intake is still open: the review has not begun, so the server refuses any decision.
  const server = await startServer({ clock: '2020-06-20T10:00:00+08:00', dataDir });
  try {
    const conference = await loadAgenda();
    const id = await seedPaidPractice(server.url, conference, organiser);
    const context = await browser.newContext();
    const page = await openPage(context, `${server.url}/events/irkutsk-2020/review-board`);
    await loginThroughDialog(page, organiser);
    const rowId = `board-${id}`;
    await testId(page, rowId).waitFor();
    const offered = await testId(page, `${rowId}-outcome`).locator('option').allTextContents();
    // The server's JSON keeps the decisions in the order of their ids.
    assert.deepEqual(offered.slice(1).sort(), Object.values(conference.review.outcomes).sort());

    // «не допущена» without a reason: asked for, nothing sent.
    await testId(page, `${rowId}-outcome`).selectOption('rejected');
    await testId(page, `${rowId}-save`).click();
    assert.match(await textOf(page, `${rowId}-error`), /^Укажите причину/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), `${rowId}-reason`);

    // With the reason it is sent; the server's refusal is shown and the choice is kept.
    await testId(page, `${rowId}-reason`).fill('Практика не соответствует теме конференции');
    await testId(page, `${rowId}-save`).click();
    const refusal = await waitUntil('the refusal', () => textOf(page, `${rowId}-error`), (t) => t !== null && !t.startsWith('Укажите'));
    assert.ok(refusal.length > 0);
    assert.equal(await testId(page, `${rowId}-outcome`).inputValue(), 'rejected');
    assert.equal(await testId(page, `${rowId}-reason`).inputValue(), 'Практика не соответствует теме конференции');
    assert.equal(await attributeOf(page, rowId, 'data-outcome'), '');
    assert.deepEqual(page.problems, []);
    await context.close();
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
