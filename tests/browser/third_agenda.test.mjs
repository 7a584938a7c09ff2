// A third event, written for the tests (tests/fixtures/agenda/seminar-2021.json): a regional seminar
// that takes «доклады», with its own sections, types, decisions, document rules, time zone and
// dates. Walked through pages only, on a phone, it must speak in its own words: nothing of the
// conference or the contest (their dates, their city, «практика», «конференция») on any page.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { person, registerThroughDialog } from './people.mjs';
import { startServer } from './server.mjs';

const kAgendaPath = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'agenda', 'seminar-2021.json');
const kDuringIntake = '2021-02-10T12:00:00+04:00';
// Words of the other two events that must not leak into this one's pages.
const kForeign = /практик|конференц|конкурс|Иркутск|июл|флешмоб|Asia\//i;

let browser;
let server;
let agenda;

before(async () => {
  agenda = JSON.parse(await readFile(kAgendaPath, 'utf8'));
  browser = await launchBrowser();
  server = await startServer({ agenda: kAgendaPath, clock: kDuringIntake });
});
after(async () => {
  await server?.stop();
  await browser?.close();
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
