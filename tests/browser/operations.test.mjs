// The organiser's live view of the day (/events/:id/operations), reached from the desk: a viewer
// who opens a section's page appears in the section's count within a push or two, and leaves it
// when the page is closed; a participant is told the view is the organiser's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, testId, textOf, waitUntil } from './browser.mjs';
import { kDuringIntake, kPassword, session, signInBrowser } from './people.mjs';
import { useBrowser } from './setup.mjs';

const kOrganiser = 'org@umc.ru';

const env = useBrowser({ tag: 'operations', users: [[kOrganiser, 'organiser', 'Организатор Ольга']], clock: kDuringIntake });

test('the live view shows a viewer joining a section and leaving it', async () => {
  const desk = await env.browser.newContext();
  await signInBrowser(desk, env.server.url, kOrganiser);
  const page = await openPage(desk, `${env.server.url}/events/irkutsk-2020/desk`);
  await testId(page, 'desk-operations').click();
  await testId(page, 'operations-section-1').waitFor();
  const viewers = async () =>
    ((await testId(page, 'operations-section-1').locator('[data-testid="operations-viewers"]').textContent()) ?? '').trim();
  assert.equal(await viewers(), '0');

  const audience = await env.browser.newContext();
  const viewer = await openPage(audience, `${env.server.url}/events/irkutsk-2020/sections/1`);
  await waitUntil('the viewer counted', viewers, (v) => v === '1', 10_000);
  assert.equal(await textOf(page, 'operations-problems') !== null, true);

  await viewer.close();
  await waitUntil('the viewer gone', viewers, (v) => v === '0', 10_000);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(viewer.problems, []);
  await desk.close();
  await audience.close();
});

test('a participant is refused the live view', async () => {
  const participant = session(env.server.url);
  await participant.call('POST', '/api/auth/register', { email: 'anna@dom.ru', password: kPassword, full_name: 'Анна Петрова' });
  const context = await env.browser.newContext();
  const [name, value] = participant.cookie().split('=');
  await context.addCookies([{ name, value, url: env.server.url }]);
  const page = await openPage(context, `${env.server.url}/events/irkutsk-2020/operations`);
  await testId(page, 'not-organiser').waitFor();
  assert.equal(await testId(page, 'operations-sections').count(), 0);
  await context.close();
});
