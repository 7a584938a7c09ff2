// Stage 1 through the browser against the real server: register, fill the registration form,
// create a practice and fill every field of it (the fields are read from the agenda, as the page
// builds them) on a 360 px phone, watch autosave, attach a real .docx through the resumable upload
// (required before submission), seeing its clause 6.5 findings, replace it with a compliant one, and
// submit. Then the same practice after the intake's closing instant: read-only, with the notice.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, textOf, attributeOf, waitUntil } from './browser.mjs';
import { practiceDocx } from './docx.mjs';
import { assertNoSidewaysScroll, fillFields, fillOne, loginThroughDialog, person, registerThroughDialog, session } from './people.mjs';
import { binaryPath, loadAgenda, startServer } from './server.mjs';

const kEvent = 'irkutsk-2020';
const kOpenClock = '2020-06-20T10:00:00+08:00';
const kClosedClock = '2020-06-29T00:00:01+08:00';

let browser;
let agenda;

before(async () => {
  browser = await launchBrowser();
  agenda = await loadAgenda();
});
after(async () => {
  await browser?.close();
});

function saveStatus(page) {
  return attributeOf(page, 'save-status', 'data-state');
}

test('fills the registration form and every field of a practice on a phone, attaches a .docx with its findings, and submits', async () => {
  const server = await startServer({ clock: kOpenClock });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }); // a phone
  try {
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    const who = person('intake');
    await registerThroughDialog(page, who);

    // The cabinet, from the event page's header.
    await testId(page, 'cabinet-link').click();
    await testId(page, 'cabinet').waitFor();
    assert.equal(await attributeOf(page, 'cabinet-registration', 'data-complete'), 'no');
    assert.equal(await testId(page, 'intake-closed').count(), 0);

    // The registration form: an empty save shows the server's field errors, then a full one saves.
    await testId(page, 'registration-link').click();
    await testId(page, 'registration-save').waitFor();
    const regFields = agenda.registration_form.fields;
    // The payer's fields wait for a payment form to be chosen.
    for (const f of regFields) assert.equal(await testId(page, `field-${f.id}`).count(), f.shown_if ? 0 : 1, `registration field ${f.id}`);
    for (const f of regFields.filter((x) => x.type === 'consent')) {
      const label = await page.locator(`label[for="f-${f.id}"]`).textContent();
      assert.ok(label.includes(f.label), `the consent ${f.id} shows its full text`);
    }
    await testId(page, 'registration-save').click();
    await testId(page, 'registration-errors').waitFor();
    const required = regFields.filter((f) => f.required && !f.shown_if).length;
    assert.equal(await testId(page, 'registration-errors').locator('[data-testid="summary-link"]').count(), required);
    assert.equal(await testId(page, 'field-error').count(), required, 'each required field shows its error beside it');
    assert.match(await textOf(page, 'registration-status'), /^Не сохранено: /);

    await fillFields(page, regFields, '', new Map());
    await testId(page, 'registration-save').click();
    await waitUntil('the saved registration', () => attributeOf(page, 'registration-state', 'data-complete'), (v) => v === 'yes');
    assert.match(await textOf(page, 'registration-status'), /Заявка сохранена/);
    assert.equal(await testId(page, 'registration-errors').count(), 0);
    assert.equal(await testId(page, 'field-error').count(), 0);

    // A new practice: section and type.
    await page.getByText('← К моим практикам').click();
    await testId(page, 'cabinet').waitFor();
    assert.equal(await attributeOf(page, 'cabinet-registration', 'data-complete'), 'yes');
    await testId(page, 'new-practice').click();
    await testId(page, 'new-section').selectOption('2');
    await testId(page, 'new-type-established').check();
    await testId(page, 'create-practice').click();
    await testId(page, 'practice-editor').waitFor();
    assert.match(new URL(page.url()).pathname, new RegExp(`^/events/${kEvent}/practices/\\d+$`));
    assert.equal(await attributeOf(page, 'practice-state', 'data-state'), 'draft');
    assert.equal(await textOf(page, 'practice-state'), 'черновик');

    // Submitting now lists what is missing; a link puts the cursor into its field.
    await testId(page, 'submit-practice').click();
    await testId(page, 'submit-errors').waitFor();
    const link = testId(page, 'submit-errors').locator('[data-testid="summary-link"][data-path="organisation"]');
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-organisation__name');
    assert.equal(await attributeOf(page, 'practice-state', 'data-state'), 'draft');

    // Field 14 is required only for a practice running more than a year: unknown until field 5 has the year.
    const conditionalField = agenda.practice.fields.find((f) => f.required_if);
    assert.equal(await attributeOf(page, `required-note-${conditionalField.id}`, 'data-required'), 'no');

    // Autosave: typing the name alone gets saved without any button.
    const fields = agenda.practice.fields;
    assert.equal(fields.length, 17);
    const typed = new Map();
    await fillOne(page, fields[0].type, fields[0].id, typed);
    await waitUntil('autosave of the name', () => saveStatus(page), (s) => s === 'saved', 8000);
    assert.match(await textOf(page, 'save-status'), /^Сохранено в \d\d:\d\d$/);

    await fillFields(page, fields.slice(1), '', typed);
    assert.equal(await attributeOf(page, `required-note-${conditionalField.id}`, 'data-required'), 'yes');
    assert.ok(typed.has('co_implementers[1].name') && typed.has('implementers[2].position') && typed.has('cases[2]'));
    assert.equal(typed.get('relevance.started_year'), '2015');
    assert.equal(await testId(page, 'add-cases').count(), 1);
    await testId(page, 'add-cases').click(); // a third case, the most allowed …
    assert.equal(await testId(page, 'add-cases').count(), 0, '… hides «Добавить»');
    await testId(page, 'remove-cases[3]').click();

    // A co-author by e-mail, not registered on the site.
    await testId(page, 'co-author-email').fill('soavtor@example.org');
    await testId(page, 'co-author-add').click();
    await waitUntil(
      'the co-author saved',
      () => textOf(page, 'co-author-registered'),
      (t) => t === 'ещё не зарегистрирован(а) на сайте',
      8000,
    );

    await waitUntil('every field saved', () => saveStatus(page), (s) => s === 'saved', 8000);
    await waitUntil('nothing missing', () => attributeOf(page, 'missing', 'data-count'), (c) => c === '0');

    // What was typed is on the server: a reload shows it.
    await page.reload();
    await testId(page, 'practice-editor').waitFor();
    for (const [path, value] of typed) {
      const input = testId(page, `field-${path}`);
      if (value === true) assert.equal(await input.isChecked(), true, path);
      else assert.equal(await input.inputValue(), value, path);
    }
    assert.equal(await testId(page, 'co-author').count(), 1);

    // The Word description is required (clause 5.3.1): the page says so before the button is pressed.
    assert.equal(await attributeOf(page, 'missing-files', 'data-count'), '1');
    assert.equal(await textOf(page, 'missing-files'), 'Не загружены обязательные файлы: «Описание практики».');
    assert.match(await textOf(page, 'document-none'), /Обязательно: без него практика не отправляется\./);

    // The Word document of the description, attached through the resumable upload: one in Arial
    // first. The server checks clause 6.5 when the last byte is in and the page lists the findings.
    await assertNoSidewaysScroll(page);
    assert.equal(await testId(page, 'document-none').count(), 1);
    await testId(page, 'document-upload-file').setInputFiles({
      name: 'opisanie-praktiki.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: practiceDocx({ font: 'Arial' }),
    });
    await waitUntil('the upload done', () => attributeOf(page, 'document-upload', 'data-phase'), (p) => p === 'done', 15000);
    assert.equal(await attributeOf(page, 'document-upload-progress', 'data-percent'), '100');
    assert.equal(await testId(page, 'document-upload-progress').locator('progress').getAttribute('value'), '100');
    assert.match(await textOf(page, 'document-upload-status'), /^Файл загружен: \d/);
    assert.equal(await attributeOf(page, 'document-upload-verdict', 'data-ok'), 'yes');
    await testId(page, 'document-current').waitFor();
    const firstUpload = await attributeOf(page, 'document-current', 'data-upload');
    assert.equal(await attributeOf(page, 'document-upload', 'data-upload'), firstUpload);
    assert.equal(await attributeOf(page, 'document-current', 'data-ok'), 'no');
    assert.equal(await textOf(page, 'document-link'), 'opisanie-praktiki.docx');
    const font = testId(page, 'document-findings').locator('[data-testid="finding-font"]');
    // Three paragraphs in Arial are one finding naming them all.
    assert.equal(await font.getAttribute('data-count'), '1');
    const fontText = await font.textContent();
    assert.match(fontText, /Шрифт/);
    assert.match(fontText, /Найдено:\s*Arial/);
    assert.match(fontText, /Требуется:\s*Times New Roman/);
    assert.match(fontText, /Где:\s*абзацы 2–4/);
    assert.match(await textOf(page, 'document-format-summary'), /Найдены отступления от требований к оформлению: 1\./);
    await assertNoSidewaysScroll(page);

    // Replaced by a compliant one: the findings go, and the practice keeps one document.
    await testId(page, 'document-upload-file').setInputFiles({
      name: 'opisanie-praktiki-2.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: practiceDocx(),
    });
    await testId(page, 'document-format-ok').waitFor({ timeout: 15000 });
    assert.equal(await textOf(page, 'document-format-ok'), 'Оформление соответствует требованиям.');
    assert.equal(await textOf(page, 'document-link'), 'opisanie-praktiki-2.docx');
    assert.notEqual(await attributeOf(page, 'document-current', 'data-upload'), firstUpload);
    assert.equal(await testId(page, 'document-findings').count(), 0);
    const stored = await page.request.get(`${server.url}${new URL(page.url()).pathname.replace(/^\/events/, '/api/events')}`);
    const documents = (await stored.json()).files.filter((f) => f.purpose === 'document');
    assert.deepEqual(documents.map((f) => f.file_name), ['opisanie-praktiki-2.docx']);
    const old = await page.request.get(`${server.url}/api/uploads/${firstUpload}`);
    assert.equal(old.status(), 404, 'the replaced document is gone from the server');

    // With its document the practice is sent.
    assert.equal(await testId(page, 'missing-files').count(), 0);
    await testId(page, 'submit-practice').click();
    await waitUntil('the submitted state', () => textOf(page, 'practice-state'), (t) => t === 'отправлена');
    assert.equal(await attributeOf(page, 'practice-state', 'data-state'), 'submitted');
    assert.equal(await testId(page, 'submit-errors').count(), 0);

    // Back in the cabinet: the state and the fee.
    await page.getByText('← К моим практикам').click();
    await testId(page, 'cabinet').waitFor();
    const row = page.locator('[data-testid^="practice-"][data-state]');
    assert.equal(await row.count(), 1);
    assert.equal(await row.getAttribute('data-state'), 'submitted');
    assert.equal((await row.locator('[data-testid="practice-state"]').textContent()).trim(), 'отправлена');
    assert.match(await textOf(page, 'fee-summary'), /1 × 2\s000 ₽ = 2\s000 ₽/);

    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('the media check shows the kind, the size and the findings of a photo', async () => {
  const server = await startServer({ clock: kOpenClock });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await openPage(context, `${server.url}/events/${kEvent}/check`);
    await testId(page, 'media-check').waitFor();
    // The document's rules are the agenda's, said in words.
    assert.equal(
      await textOf(page, 'formatting-rules'),
      'Файл Word (.docx): шрифт Times New Roman 14 пт; интервал 1,5; выравнивание по ширине; абзацный отступ 1,25 см; ' +
        'поля: левое 3 см, верхнее 2 см, нижнее 2 см, правое 1,5 см; таблицы и подписи 12 пт; ссылки вида [25, с. 7]. ' +
        'Файл только проверяется и никуда не отправляется.',
    );
    await testId(page, 'media-purpose').selectOption('photo');
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(3000, 7)]);
    await testId(page, 'media-file').setInputFiles({ name: 'foto.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await waitUntil('the media upload done', () => attributeOf(page, 'media-progress', 'data-phase'), (p) => p === 'done', 10000);
    assert.equal(await attributeOf(page, 'media-result', 'data-ok'), 'no');
    assert.equal(await textOf(page, 'media-kind'), 'Фотография JPEG');
    assert.equal(await textOf(page, 'media-size'), '2,9 КБ');
    assert.match(await testId(page, 'finding-size').textContent(), /Требуется:\s*от 1 МБ до 5 МБ/);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

// The user and practice are made through the API while the intake is open; the server is then
// restarted on the same data at an instant after the closing one.
async function seedPractice(url, who, extra = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const reg = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email: who.email, password: who.password, full_name: who.name }),
  });
  assert.equal(reg.status, 201);
  const cookie = reg.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const created = await fetch(`${url}/api/events/${kEvent}/practices`, {
    method: 'POST',
    headers: { ...headers, Cookie: cookie, Origin: new URL(url).origin },
    body: JSON.stringify({ section: 1, type: 'pilot', answers: { name: 'Школа приёмных родителей', cases: ['Первый кейс'] }, ...extra }),
  });
  assert.equal(created.status, 201);
  return (await created.json()).id;
}

test('a wrong year keeps only itself unsaved: the rest is stored, and the wrong value survives a reload until fixed', async () => {
  const server = await startServer({ clock: kOpenClock });
  const who = person('autosave');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const id = await seedPractice(server.url, who);
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    await loginThroughDialog(page, who);
    await page.goto(`${server.url}/events/${kEvent}/practices/${id}`);
    await testId(page, 'practice-editor').waitFor();

    await testId(page, 'field-values').fill('Уважение к семье');
    await testId(page, 'field-relevance.started_year').fill('20');
    await waitUntil('the partial save', () => saveStatus(page), (s) => s === 'partial', 8000);
    assert.match(await textOf(page, 'save-status'), /^Сохранено в \d\d:\d\d, кроме поля с ошибкой\. Не сохранено: .*Год начала реализации практики/);
    const reader = session(server.url);
    await reader.call('POST', '/api/auth/login', { email: who.email, password: who.password });
    const stored = await reader.call('GET', `/api/events/${kEvent}/practices/${id}`);
    assert.equal(stored.answers.values, 'Уважение к семье');
    assert.equal(stored.answers.relevance?.started_year, undefined);

    // A reload brings the wrong year back from this browser and says again why it is not saved.
    await page.reload();
    await testId(page, 'practice-editor').waitFor();
    assert.equal(await testId(page, 'field-relevance.started_year').inputValue(), '20');
    await waitUntil('the partial save again', () => saveStatus(page), (s) => s === 'partial', 8000);

    await testId(page, 'field-relevance.started_year').fill('2019');
    await waitUntil('all saved', () => saveStatus(page), (s) => s === 'saved', 8000);
    const fixed = await reader.call('GET', `/api/events/${kEvent}/practices/${id}`);
    assert.equal(fixed.answers.relevance.started_year, 2019);
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing is kept once everything is saved');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('an edit made in another window meanwhile is reported, and the page offers to reload', async () => {
  const server = await startServer({ clock: kOpenClock });
  const who = person('stale');
  const context = await browser.newContext();
  try {
    const id = await seedPractice(server.url, who);
    const first = await openPage(context, `${server.url}/events/${kEvent}`);
    await loginThroughDialog(first, who);
    const url = `${server.url}/events/${kEvent}/practices/${id}`;
    await first.goto(url);
    await testId(first, 'practice-editor').waitFor();
    const second = await openPage(context, url);
    await testId(second, 'practice-editor').waitFor();

    await testId(first, 'field-values').fill('Уважение к семье');
    await waitUntil('the first window saved', () => saveStatus(first), (s) => s === 'saved', 8000);
    await testId(second, 'field-content').fill('Содержание из второго окна');
    await waitUntil('the second window told', () => saveStatus(second), (s) => s === 'stale', 8000);
    assert.match(await textOf(second, 'save-status'), /изменили в другом окне/);

    await testId(second, 'reload-practice').click();
    await testId(second, 'practice-editor').waitFor();
    assert.equal(await testId(second, 'field-values').inputValue(), 'Уважение к семье');
    assert.equal(await testId(second, 'field-content').inputValue(), '');
    assert.deepEqual([...first.problems, ...second.problems], []);
  } finally {
    await context.close();
    await server.stop();
  }
});

test('an organiser sees the participants and practices, filters them and gets the CSV', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-browser-organiser-'));
  const author = person('author');
  const organiser = { ...person('organiser'), name: 'Организатор Ольга' };
  let server;
  let context;
  try {
    server = await startServer({ clock: kOpenClock, dataDir });
    await seedPractice(server.url, author, { section: 3, type: 'innovative' });
    await server.stop();
    const made = spawnSync(
      binaryPath,
      ['admin', 'create-user', '--data', dataDir, '--email', organiser.email, '--role', 'organiser', '--event', kEvent, '--name', organiser.name],
      { input: `${organiser.password}\n`, encoding: 'utf8' },
    );
    assert.equal(made.status, 0, made.stderr);
    server = await startServer({ clock: kOpenClock, dataDir });

    context = await browser.newContext();
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    await loginThroughDialog(page, organiser);
    await testId(page, 'intake-admin-link').click();
    await testId(page, 'intake-admin').waitFor();
    const table = testId(page, 'admin-practices-table');
    await waitUntil('the practice in the list', () => table.locator('tbody tr').count(), (n) => n === 1);
    assert.match(await table.locator('tbody tr').textContent(), /Школа приёмных родителей/);

    await testId(page, 'filter-state').selectOption('submitted');
    await waitUntil('no submitted practices', () => table.count(), (n) => n === 0);
    await testId(page, 'filter-state').selectOption('draft');
    await testId(page, 'filter-section').selectOption('3');
    // Each filter change reloads the list: wait for the row rather than read the table once.
    await waitUntil('the draft in section 3', () => table.locator('tbody tr').count(), (n) => n === 1);

    const href = await testId(page, 'csv-practices').getAttribute('href');
    assert.equal(href, `/api/events/${kEvent}/intake/practices?section=3&state=draft&format=csv`);
    const csv = await page.request.get(`${server.url}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /Школа приёмных родителей/);
    // The same table as a spreadsheet, from the same filters.
    assert.equal(await testId(page, 'xlsx-practices').getAttribute('href'), `/api/events/${kEvent}/intake/practices?section=3&state=draft&format=xlsx`);
    assert.equal(await testId(page, 'xlsx-participants').getAttribute('href'), `/api/events/${kEvent}/intake/participants?format=xlsx`);
    const people = await page.request.get(`${server.url}${await testId(page, 'csv-participants').getAttribute('href')}`);
    assert.equal(people.status(), 200);

    assert.deepEqual(page.problems, []);
  } finally {
    await context?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('after the closing instant the cabinet says so and the practice editor is read-only', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'praktika-browser-closed-'));
  const who = person('closed');
  let server;
  let context;
  try {
    server = await startServer({ clock: kOpenClock, dataDir });
    const id = await seedPractice(server.url, who);
    await server.stop();
    server = await startServer({ clock: kClosedClock, dataDir });

    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await openPage(context, `${server.url}/events/${kEvent}`);
    await loginThroughDialog(page, who);
    await testId(page, 'cabinet-link').click();
    await testId(page, 'cabinet').waitFor();
    assert.match(await textOf(page, 'intake-closed'), /^Приём заявок завершён 29 июня 2020, 00:00\./);
    assert.equal(await testId(page, 'new-practice').count(), 0);
    assert.equal(await textOf(page, 'registration-link'), 'Посмотреть заявку');

    await page.locator(`[data-testid="practice-${id}"] a`).click();
    await testId(page, 'practice-editor').waitFor();
    assert.equal(await attributeOf(page, 'practice-editor', 'data-readonly'), 'yes');
    assert.match(await textOf(page, 'intake-closed'), /^Приём заявок завершён/);
    assert.equal(await testId(page, 'field-name').inputValue(), 'Школа приёмных родителей');
    assert.equal(await testId(page, 'field-cases[1]').inputValue(), 'Первый кейс');
    assert.equal(await testId(page, 'field-name').isEditable(), false);
    assert.equal(await testId(page, 'field-cases[1]').isEditable(), false);
    assert.equal(await testId(page, 'practice-section').isDisabled(), true);
    for (const gone of ['submit-practice', 'delete-practice', 'add-cases', 'remove-cases[1]', 'co-author-add', 'save-status']) {
      assert.equal(await testId(page, gone).count(), 0, `${gone} is not offered`);
    }
    const editable = await page.evaluate(
      () =>
        [...document.querySelectorAll('[data-testid="practice-editor"] form input, [data-testid="practice-editor"] form textarea, [data-testid="practice-editor"] form select')].filter(
          (el) => !el.readOnly && !el.disabled && el.type !== 'file',
        ).length,
    );
    assert.equal(editable, 0, 'no field of the practice can be edited');
    // Clause 5.5: the materials may come a day after the form closes, so the Word document and the
    // photos are still taken on 29 June.
    assert.equal(await testId(page, 'document-upload').count(), 1, 'the Word document is still taken on 29 June');
    assert.equal(await testId(page, 'photo-upload').count(), 1, 'photos are still taken on 29 June');

    assert.deepEqual(page.problems, []);
  } finally {
    await context?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
