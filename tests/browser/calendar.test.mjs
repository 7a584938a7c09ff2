// Calendars (.ics), through the pages' links: the event page's timetable, the section page's
// running order, and the presenter's own calendar and subscription address from the cabinet. Each
// file is read back with a strict iCalendar reader (ical.mjs): the event's time zone (a VTIMEZONE
// of +08:00 named as the agenda's), the room link, the slot's time; the subscription follows a
// moved running order and stops working once revoked. Practices and running orders are made
// through the HTTP API (other people's work).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, waitUntil } from './browser.mjs';
import { events, instant, parseCalendar, text, zoneOffset } from './ical.mjs';
import { admitToPresent, createUser, kApi, kDuringIntake, kDuringReview, kPassword, loginThroughDialog, session, submitPractices } from './people.mjs';
import { loadAgenda, startServer } from './server.mjs';

const kOrganiser = { email: 'org@umc.ru', name: 'Организатор Ольга', password: kPassword };

let browser;
let dataDir;
let server;
let agenda;
let anna;
let boris;
let organiser;

async function publish(order) {
  await organiser.call('PUT', `${kApi}/sections/1/schedule`, { slots: order.map((p) => ({ practice: p.id, minutes: 15 })) });
  await organiser.call('POST', `${kApi}/sections/1/schedule/publish`);
}

async function calendarAt(url) {
  const r = await fetch(url);
  assert.equal(r.status, 200, url);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  return parseCalendar(await r.text());
}

function startOf(calendar, summary) {
  const found = events(calendar).filter((e) => text(e, 'SUMMARY') === summary);
  assert.equal(found.length, 1, `one «${summary}» in ${events(calendar).map((e) => text(e, 'SUMMARY')).join(' | ')}`);
  return instant(calendar, found[0], 'DTSTART');
}

before(async () => {
  agenda = await loadAgenda();
  browser = await launchBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'praktika-calendar-'));
  createUser(dataDir, kOrganiser.email, 'organiser', kOrganiser.name);
  server = await startServer({ dataDir, clock: kDuringIntake });
  [anna, boris] = await submitPractices(server.url, [
    ['anna', 'Семейная гостиная'],
    ['boris', 'Школа приёмных родителей'],
  ]);
  await server.stop();
  server = await startServer({ dataDir, clock: kDuringReview });
  organiser = await admitToPresent(server.url, kOrganiser.email, [anna, boris]);
  await publish([anna, boris]);
});

after(async () => {
  await server?.stop();
  await browser?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('the event page and the section page link calendars in the event\'s time zone with the timetable and the running order', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${server.url}/events/${agenda.id}`);
  const eventHref = await testId(page, 'event-calendar').getAttribute('href');
  const event = await calendarAt(server.url + eventHref);
  assert.equal(zoneOffset(event, agenda.time_zone), 8 * 60);
  for (const session of agenda.timetable) {
    assert.equal(startOf(event, session.title), Date.parse(session.starts), session.title);
  }
  const welcome = events(event).find((e) => text(e, 'SUMMARY') === agenda.timetable[0].title);
  assert.equal(text(welcome, 'URL'), agenda.timetable[0].room_url);
  for (const m of agenda.milestones) assert.equal(startOf(event, `Срок: ${m.title}`), Date.parse(m.at), m.id);

  await page.goto(`${server.url}/events/${agenda.id}/sections/1`);
  const sectionHref = await testId(page, 'section-calendar').getAttribute('href');
  const section = await calendarAt(server.url + sectionHref);
  const slots = events(section).filter((e) => /^\d+\. «/.test(text(e, 'SUMMARY')));
  assert.deepEqual(slots.map((e) => text(e, 'SUMMARY')), [`1. «${anna.title}»`, `2. «${boris.title}»`]);
  const sitting = agenda.timetable.find((s) => s.id === 'sections');
  assert.equal(instant(section, slots[0], 'DTSTART'), Date.parse(sitting.starts), 'the first slot opens the sitting');
  assert.equal(instant(section, slots[0], 'DTEND') - instant(section, slots[0], 'DTSTART'), 15 * 60000);
  assert.equal(text(slots[0], 'LOCATION'), agenda.sections[0].room_url);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the presenter subscribes from the cabinet, the subscription follows a moved slot, and a revoked link stops working', async () => {
  const context = await browser.newContext();
  const page = await openPage(context, `${server.url}/events/${agenda.id}/cabinet`);
  await loginThroughDialog(page, { email: anna.email, password: kPassword, name: 'Автор anna' });
  assert.equal(await testId(page, 'my-calendar-file').getAttribute('href'), `${kApi}/calendar/mine.ics`);
  await testId(page, 'calendar-feed-create').click();
  const input = testId(page, 'calendar-feed-url');
  await waitUntil('the subscription address', () => input.count(), (n) => n === 1);
  const feedUrl = await input.inputValue();
  assert.match(feedUrl, /\/api\/calendar\/[0-9a-f]{64}\.ics$/);

  const summary = `Моё выступление: «${anna.title}»`;
  const sitting = agenda.timetable.find((s) => s.id === 'sections');
  let calendar = await calendarAt(feedUrl);
  assert.equal(zoneOffset(calendar, agenda.time_zone), 8 * 60);
  const slot = events(calendar).find((e) => text(e, 'SUMMARY') === summary);
  assert.equal(text(slot, 'LOCATION'), agenda.sections[0].room_url, 'the room link');
  assert.equal(instant(calendar, slot, 'DTSTART'), Date.parse(sitting.starts));
  assert.equal(slot.props.DTSTART[0].params.TZID, agenda.time_zone);
  for (const id of ['welcome', 'results']) {
    const s = agenda.timetable.find((t) => t.id === id);
    assert.equal(startOf(calendar, s.title), Date.parse(s.starts), id);
  }
  for (const m of agenda.milestones) assert.equal(startOf(calendar, `Срок: ${m.title}`), Date.parse(m.at), m.id);

  // The organiser puts Boris first: the same address now has Anna's slot after his and the gap.
  await publish([boris, anna]);
  const overview = await (await fetch(`${server.url}${kApi}/sections`)).json();
  const moved = overview.sections[0].schedule.slots.find((s) => s.practice === anna.id);
  calendar = await calendarAt(feedUrl);
  assert.equal(startOf(calendar, summary), Date.parse(moved.starts_at));
  assert.ok(Date.parse(moved.starts_at) > Date.parse(sitting.starts));

  await testId(page, 'calendar-feed-revoke').click();
  await waitUntil('the address gone', () => testId(page, 'calendar-feed-url').count(), (n) => n === 0);
  const revoked = await fetch(feedUrl);
  assert.equal(revoked.status, 404);
  assert.equal((await revoked.json()).error.code, 'calendar_not_found');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('the own calendar file is the signed-in person\'s only', async () => {
  const stranger = await fetch(`${server.url}${kApi}/calendar/mine.ics`);
  assert.equal(stranger.status, 401);
  const annaSession = session(server.url);
  await annaSession.call('POST', '/api/auth/login', { email: anna.email, password: kPassword });
  const r = await fetch(`${server.url}${kApi}/calendar/mine.ics`, { headers: { cookie: annaSession.cookie() } });
  assert.equal(r.status, 200);
  const calendar = parseCalendar(await r.text());
  assert.equal(events(calendar).filter((e) => text(e, 'SUMMARY') === `Моё выступление: «${anna.title}»`).length, 1);
  assert.equal(events(calendar).filter((e) => (text(e, 'SUMMARY') ?? '').includes(boris.title)).length, 0);
});
