// People and practices for the browser tests of the later stages, made through the HTTP API of a
// running server (as the integration tests' scenario.h does): accounts with roles, registrations,
// submitted practices and their outcomes.
import assert from 'node:assert/strict';
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
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
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

// Signs `email` in on `url` and gives the browser context the session cookie.
export async function signInBrowser(context, url, email) {
  const person = session(url);
  await person.call('POST', '/api/auth/login', { email, password: kPassword });
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
