// A third event, written for the tests (tests/fixtures/agenda/seminar-2021.json): a regional seminar
// that takes «доклады», with its own sections, types, decisions, document rules, time zone and
// dates. Walked through pages only, on a phone, it must speak in its own words: nothing of the
// conference or the contest (their dates, their city, «практика», «конференция») on any page.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { answersFor, apiClient, kPassword, person, registerThroughDialog, signInBrowser } from './people.mjs';
import { binaryPath, startServer } from './server.mjs';

const kAgendaPath = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'agenda', 'seminar-2021.json');
const kDuringIntake = '2021-02-10T12:00:00+04:00';
// Words of the other two events that must not leak into this one's pages.
const kForeign = /практик|конференц|конкурс|Иркутск|июл|флешмоб|Asia\//i;

const kOrganiser = 'organiser@seminar.example.org';

let browser;
let server;
let agenda;
let dataDir;

before(async () => {
  agenda = JSON.parse(await readFile(kAgendaPath, 'utf8'));
  browser = await launchBrowser();
  // The seminar's own organiser, made before the server starts on the same data directory.
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-seminar-'));
  const made = spawnSync(
    binaryPath,
    ['admin', 'create-user', '--data', dataDir, '--email', kOrganiser, '--role', 'organiser', '--event', agenda.id, '--name', 'Организатор семинара'],
    { input: `${kPassword}\n`, encoding: 'utf8' },
  );
  assert.equal(made.status, 0, made.stdout + made.stderr);
  server = await startServer({ agenda: kAgendaPath, clock: kDuringIntake, dataDir });
});
after(async () => {
  await server?.stop();
  await browser?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function assertOwnWords(page, where) {
  const text = await page.locator('body').innerText();
  const foreign = text.match(kForeign);
  assert.equal(foreign, null, `${where} shows «${foreign?.[0]}»: ${text.slice(Math.max(0, (foreign?.index ?? 0) - 80), (foreign?.index ?? 0) + 80)}`);
}

test('the seminar speaks its own words from the event page to a new «доклад»', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await openPage(context, `${server.url}/`);  // the only event: the front page is its page
    await waitUntil('the event page', () => textOf(page, 'event-title'), (t) => t === agenda.title);
    await waitUntil('the call to apply', () => textOf(page, 'apply-link'), (t) => t === 'Подать доклад');
    for (const section of agenda.sections) {
      assert.ok((await page.locator('body').innerText()).includes(section.title), `section «${section.title}» is listed`);
    }
    await assertOwnWords(page, 'the event page');

    await registerThroughDialog(page, person('seminar'));
    await testId(page, 'cabinet-link').click();
    await testId(page, 'cabinet').waitFor();
    await assertOwnWords(page, 'the cabinet');
    assert.equal(await testId(page, 'practice-payment').count(), 0, 'no fee where the agenda has none');

    // The seminar's video show, under its own name: the author's page of works sent.
    const show = agenda.stages.find((s) => s.id === 'flashmob');
    await testId(page, 'cabinet-flashmob-link').click();
    await testId(page, 'flashmob-mine').waitFor();
    assert.equal(await page.locator('h1').innerText(), `${show.title}: мои работы`);
    assert.equal(await page.title(), `${show.title}: мои работы`);
    await assertOwnWords(page, 'the author\'s works for the video show');
    await page.goBack();
    await testId(page, 'cabinet').waitFor();

    await testId(page, 'new-practice').click();
    const sections = await testId(page, 'new-section').locator('option').allTextContents();
    for (const section of agenda.sections) assert.ok(sections.some((o) => o.includes(section.title)), `«${section.title}» offered`);
    await testId(page, 'new-section').selectOption('3');
    await testId(page, `new-type-${agenda.practice.types[1].id}`).check();
    await assertOwnWords(page, 'the new «доклад» form');
    await testId(page, 'create-practice').click();
    await testId(page, 'practice-editor').waitFor();

    // The form is the agenda's: its first field under its own label and number.
    const first = agenda.practice.fields[0];
    assert.ok((await page.locator('body').innerText()).includes(first.label), `the field «${first.label}» is shown`);
    const rules = await textOf(page, 'formatting-rules');
    assert.match(rules, /шрифт Arial 12 пт/, 'the document rules are this event\'s');
    await assertOwnWords(page, 'the editor of a «доклад»');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

// A «доклад» submitted through the API, so the staff pages have one to show.
async function submitReport() {
  const call = apiClient(server.url);
  const who = person('seminar-author');
  const reg = await call('POST', '/api/auth/register', { email: who.email, password: who.password, full_name: who.name });
  assert.equal(reg.status, 201, reg.text);
  const form = await call('PUT', `/api/events/${agenda.id}/registration`, { answers: answersFor(agenda.registration_form.fields) });
  assert.equal(form.status, 200, form.text);
  const created = await call('POST', `/api/events/${agenda.id}/practices`, {
    section: agenda.sections[0].number,
    type: agenda.practice.types[0].id,
    answers: answersFor(agenda.practice.fields),
  });
  assert.equal(created.status, 201, created.text);
  const submitted = await call('POST', `/api/events/${agenda.id}/practices/${created.json.id}/submit`, {});
  assert.equal(submitted.status, 200, submitted.text);
  return created.json.id;
}

// The organiser's pages, the gallery's and the section day's: headings, empty states and
// fallbacks name the event's «доклады», never the conference's «практики».
test('the seminar\'s staff, gallery, section day and video show pages speak its own words', async () => {
  const report = await submitReport();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await signInBrowser(context, server.url, kOrganiser);
    const base = `${server.url}/events/${agenda.id}`;
    const pages = [
      ['/desk', 'desk'],
      ['/intake', null],
      ['/files', null],
      ['/review-log', null],
      ['/documents', 'documents'],
      ['/review-board', null],
      [`/review/${report}`, null],
      ['/payments', null],
      ['/gallery', 'gallery'],
      [`/gallery/${report}`, null],
      ['/section-day', null],
      ['/section-day/results', null],
      [`/section-day/${agenda.sections[0].number}`, null],
      [`/sections/${agenda.sections[0].number}`, null],
      ['/flashmob/queue', null],
      ['/flashmob', null],
      ['/flashmob/gallery', null],
      ['/operations', null],
    ];
    const page = await openPage(context, `${base}/desk`);
    for (const [path, id] of pages) {
      await page.goto(`${base}${path}`, { waitUntil: 'load' });
      if (id) await testId(page, id).waitFor();
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      await assertOwnWords(page, `the page ${path}`);
    }
    await page.goto(`${base}/desk`, { waitUntil: 'load' });
    await waitUntil('the desk\'s intake link', () => textOf(page, 'desk-intake'), (t) => t === 'Заявки и доклады');
    assert.equal(await textOf(page, 'desk-flashmob-queue'), 'Проверка работ и порядок показа');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
