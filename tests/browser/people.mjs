// People and their forms for the intake's browser tests: a fresh person, signing up and in
// through the site's dialog, filling an agenda form the way a person would, answers that satisfy an
// agenda form (for seeding through the API), and a small API client holding one session cookie.
import assert from 'node:assert/strict';
import { testId, textOf, waitUntil } from './browser.mjs';
import { practiceDocx, scanPdf } from './docx.mjs';

export function person(tag) {
  return {
    name: 'Петрова Анна Сергеевна',
    email: `${tag}.${Date.now()}@example.org`,
    password: 'Praktika-2020-ochen-nadezhno',
  };
}

export async function registerThroughDialog(page, who) {
  await testId(page, 'login-button').click();
  await testId(page, 'auth-dialog').waitFor({ state: 'visible' });
  await testId(page, 'register-tab').click();
  await testId(page, 'auth-name').fill(who.name);
  await testId(page, 'auth-email').fill(who.email);
  await testId(page, 'auth-password').fill(who.password);
  await testId(page, 'auth-submit').click();
  await waitUntil('the name in the header', () => textOf(page, 'user-name'), (t) => t === who.name);
}

export async function loginThroughDialog(page, who) {
  await testId(page, 'login-button').click();
  await testId(page, 'auth-dialog').waitFor({ state: 'visible' });
  await testId(page, 'auth-email').fill(who.email);
  await testId(page, 'auth-password').fill(who.password);
  await testId(page, 'auth-submit').click();
  await waitUntil('the name in the header', () => textOf(page, 'user-name'), (t) => t === who.name);
}

// A value a field of `type` accepts; `path` tells list items apart.
export function sample(type, path) {
  switch (type) {
    case 'phone':
      return '+7 (3952) 20-30-40';
    case 'email':
      return 'centre@example.org';
    case 'url':
      return 'https://centre.example.org';
    case 'year':
      return '2015';
    case 'inn':
      return '7707083893';
    case 'kpp':
      return '773601001';
    case 'textarea':
      return `Текст поля ${path}: работа с семьями ведётся по индивидуальному плану.`;
    default:
      return `Значение ${path}`;
  }
}

// Fills `fields` at `prefix` the way a person would; every list gets one «Добавить» click, so a
// list with min_items 0 gets one item and a list with min_items 1 gets two. Records what was typed.
export async function fillFields(page, fields, prefix, typed) {
  for (const f of fields) {
    const path = prefix ? `${prefix}.${f.id}` : f.id;
    // A field asked only for some answer of another appears once that answer is chosen.
    if (f.shown_if && (await testId(page, `field-${path}`).count()) === 0) continue;
    if (f.type === 'object') {
      await fillFields(page, f.fields ?? [], path, typed);
    } else if (f.type === 'list') {
      const shown = Math.max(f.min_items ?? 0, 0);
      await testId(page, `add-${path}`).click();
      for (let i = 1; i <= shown + 1; i++) {
        const item = `${path}[${i}]`;
        if (f.fields?.length) await fillFields(page, f.fields, item, typed);
        else await fillOne(page, f.item_type ?? 'textarea', item, typed);
      }
    } else if (f.type === 'consent') {
      await testId(page, `field-${path}`).check();
      typed.set(path, true);
    } else if (f.type === 'choice') {
      await testId(page, `field-${path}`).selectOption({ index: 1 });
      typed.set(path, await testId(page, `field-${path}`).inputValue());
    } else {
      await fillOne(page, f.type, path, typed);
    }
  }
}

export async function fillOne(page, type, path, typed) {
  const value = sample(type, path);
  await testId(page, `field-${path}`).fill(value);
  typed.set(path, value);
}

// Answers to every field of an agenda form, as the server stores them.
export function answersFor(fields, prefix = '') {
  const out = {};
  for (const f of fields) {
    const path = prefix ? `${prefix}.${f.id}` : f.id;
    if (f.shown_if && !(f.shown_if.values ?? []).includes(out[f.shown_if.field])) continue;
    if (f.type === 'object') out[f.id] = answersFor(f.fields ?? [], path);
    else if (f.type === 'list') {
      const n = Math.max(f.min_items ?? 0, 1);
      out[f.id] = Array.from({ length: n }, (_, i) =>
        f.fields?.length ? answersFor(f.fields, `${path}[${i + 1}]`) : sample(f.item_type ?? 'textarea', `${path}[${i + 1}]`),
      );
    } else if (f.type === 'consent') out[f.id] = true;
    else if (f.type === 'choice') {
      if (f.options_from === 'sections') out[f.id] = 1;
      else if (f.options_from === 'payment_forms') out[f.id] = 'individual';
      else out[f.id] = f.options?.[0]?.id;
    } else if (f.type === 'year') out[f.id] = 2015;
    else out[f.id] = sample(f.type, path);
  }
  return out;
}

// fetch() with one session cookie; JSON in and out unless the body is bytes or a string (sent as it is).
export function apiClient(base) {
  let cookie = '';
  const call = async (method, path, body, headers = {}) => {
    const isJson = body !== undefined && !(body instanceof Uint8Array) && typeof body !== 'string';
    const r = await fetch(base + path, {
      method,
      headers: { Accept: 'application/json', Origin: new URL(base).origin, ...(isJson ? { 'Content-Type': 'application/json' } : {}), ...(cookie ? { Cookie: cookie } : {}), ...headers },
      body: isJson ? JSON.stringify(body) : body,
    });
    const set = r.headers.getSetCookie?.() ?? [];
    if (set.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: r.status, json, text, headers: r.headers };
  };
  call.cookie = () => cookie;
  return call;
}

// The author (session `cookie` on server `base`) sends `bytes` by tus as practice `practice`'s file of `purpose`.
export async function attachFile(base, cookie, event, practice, purpose, name, bytes) {
  const meta = `filename ${Buffer.from(name).toString('base64')},practice ${Buffer.from(String(practice)).toString('base64')}`;
  const headers = { cookie, 'Tus-Resumable': '1.0.0', origin: new URL(base).origin };
  const created = await fetch(`${base}/api/events/${event}/uploads?purpose=${purpose}`, {
    method: 'POST',
    headers: { ...headers, 'Upload-Length': String(bytes.length), 'Upload-Metadata': meta },
  });
  const answer = await created.text();
  assert.equal(created.status, 201, answer);
  const sent = await fetch(base + created.headers.get('location'), {
    method: 'PATCH',
    headers: { ...headers, 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': '0' },
    body: bytes,
  });
  assert.equal(sent.status, 204, await sent.text());
  return JSON.parse(answer).id;
}

// The files `agenda` requires before a practice is submitted: a compliant .docx for the Word
// description (the conference's), a one-page PDF for a scan (the contest's letter and subscription).
export async function attachRequiredFiles(base, cookie, agenda, practice) {
  for (const [purpose, spec] of Object.entries(agenda.files ?? {})) {
    if (!spec.required_at_submission) continue;
    const word = purpose === 'document';
    await attachFile(base, cookie, agenda.id, practice, purpose, word ? 'practice.docx' : `${purpose}.pdf`, word ? practiceDocx() : scanPdf());
  }
}

// The conference's practice `practice` gets its Word description, without which it is not submitted.
export async function attachDocument(base, cookie, practice, event = 'irkutsk-2020') {
  return attachFile(base, cookie, event, practice, 'document', 'practice.docx', practiceDocx());
}

// A person with a complete registration and a submitted practice, made through the API.
export async function seedSubmittedPractice(base, event, agenda, who) {
  const call = apiClient(base);
  const reg = await call('POST', '/api/auth/register', { email: who.email, password: who.password, full_name: who.name });
  assert.equal(reg.status, 201, reg.text);
  const form = await call('PUT', `/api/events/${event}/registration`, { answers: answersFor(agenda.registration_form.fields) });
  assert.equal(form.status, 200, form.text);
  const created = await call('POST', `/api/events/${event}/practices`, { section: 1, type: 'pilot', answers: answersFor(agenda.practice.fields) });
  assert.equal(created.status, 201, created.text);
  await attachRequiredFiles(base, call.cookie(), { ...agenda, id: event }, created.json.id);
  const submitted = await call('POST', `/api/events/${event}/practices/${created.json.id}/submit`, {});
  assert.equal(submitted.status, 200, submitted.text);
  return { id: created.json.id, call };
}

// The page is as wide as the phone: nothing sticks out sideways.
export async function assertNoSidewaysScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page scrolls sideways: ${scroll} px wide in a ${width} px window`);
}

// People and practices for the browser tests of the later stages, made through the HTTP API of a
// running server (as the integration tests' scenario.h does): accounts with roles, registrations,
// submitted practices and their outcomes.
import { spawnSync } from 'node:child_process';
import { binaryPath } from './server.mjs';

export const kEvent = 'irkutsk-2020';
export const kApi = `/api/events/${kEvent}`;
export const kPassword = 'Praktika-2020-ochen-nadezhno';
// Instants inside the stages of agenda/irkutsk-2020.json.
export const kDuringIntake = '2020-06-20T10:00:00+08:00';
export const kDuringReview = '2020-06-30T10:00:00+08:00';

// A person's HTTP session against one server: JSON in and out, the session cookie kept.
export function session(url) {
  let cookie = '';
  const call = async (method, path, body) => {
    const response = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', origin: new URL(url).origin, ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    const json = await response.json().catch(() => null);
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return { call, cookie: () => cookie };
}

// Signs `email` in on `url` and gives the browser context the session cookie (`password` for
// accounts made elsewhere: the demo's data set).
export async function signInBrowser(context, url, email, password = kPassword) {
  const person = session(url);
  await person.call('POST', '/api/auth/login', { email, password });
  const [name, value] = person.cookie().split('=');
  await context.addCookies([{ name, value, url }]);
  return person;
}

// Before the server starts on `dataDir`: an account with a role, made with `admin create-user`.
export function createUser(dataDir, email, role, name, section) {
  const args = ['admin', 'create-user', '--data', dataDir, '--email', email, '--role', role, '--event', kEvent, '--name', name];
  if (section) args.push('--section', String(section));
  const made = spawnSync(binaryPath, args, { input: `${kPassword}\n`, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stdout + made.stderr);
}

export function registrationAnswers(name, email) {
  return {
    institution: 'ОГБУСО «Центр помощи детям»',
    author: name,
    position: 'Специалист по социальной работе',
    work_phone: '(3952) 24-00-00',
    mobile_phone: '+7 914 000-00-00',
    email,
    section: 1,
    payment_form: 'legal_entity',
    payer_organisation: 'ОГБУСО «Центр помощи детям»',
    payer_inn: '7707083893',
    payer_kpp: '773601001',
    payer_address: '664003, г. Иркутск, ул. Ленина, д. 1',
    consent_regulations: true,
    consent_personal_data: true,
  };
}

export function practiceAnswers(title) {
  return {
    name: title,
    organisation: { name: 'ОГБУСО «Центр»', website: 'center.ru', phone: '(3952) 24-00-00', email: 'center@dom.ru', contact_person: 'Анна Петрова' },
    implementers: [{ full_name: 'Анна Петрова', position: 'Специалист' }],
    relevance: { problem: 'Семьи в трудной жизненной ситуации', started_year: 2020 },
    values: 'Уважение к семье',
    target_groups: 'Семьи с детьми',
    goal_and_tasks: 'Цель и задачи',
    content: 'Встречи раз в неделю',
    mechanism: { steps: 'Шаги', regulations: 'Положение' },
    management: 'Рабочая группа',
    resources: { methodical: 'Пособия', material: 'Помещение', staff: '3 специалиста', partners: 'Школа' },
    results: { quantitative: '40 семей', qualitative: 'Улучшение', methodical: 'Статья', socio_economic: 'Экономия' },
    cases: ['Случай семьи К.'],
    recommendations: 'Начинать с малого',
  };
}

// While the intake is open (server at `url`): each [who, title] registers as who@dom.ru and submits
// a practice of section 1. Returns [{id, title, email}] in submission order.
export async function submitPractices(url, authors) {
  const practices = [];
  for (const [who, title] of authors) {
    const author = session(url);
    const email = `${who}@dom.ru`;
    await author.call('POST', '/api/auth/register', { email, password: kPassword, full_name: `Автор ${who}` });
    await author.call('PUT', `${kApi}/registration`, { answers: registrationAnswers(`Автор ${who}`, email) });
    const practice = await author.call('POST', `${kApi}/practices`, { section: 1, type: 'pilot', answers: practiceAnswers(title) });
    await attachDocument(url, author.cookie(), practice.id);
    await author.call('POST', `${kApi}/practices/${practice.id}/submit`);
    practices.push({ id: practice.id, title, email });
  }
  return practices;
}

// From the review's opening (server at `url`): the organiser admits each practice to present.
export async function admitToPresent(url, organiserEmail, practices) {
  const organiser = session(url);
  await organiser.call('POST', '/api/auth/login', { email: organiserEmail, password: kPassword });
  for (const p of practices) {
    await organiser.call('PUT', `${kApi}/review/practices/${p.id}/outcome`, { outcome: 'present', reason: '' });
  }
  return organiser;
}
