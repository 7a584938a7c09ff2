// What a browser test file sets up around its tests, in one place: Chromium, a working directory
// with a data directory in it (the demo's data set, or accounts with roles made before the server
// starts), and the server at a chosen clock; after the file's tests all of it is stopped and
// removed. And the journey most staff tests start with: signing in through the site's dialog and
// reaching one of the desk's pages.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { launchBrowser, openPage, testId } from './browser.mjs';
import { demoData } from './demo_data.mjs';
import { createUser, kEvent, loginThroughDialog, person, seedSubmittedPractice } from './people.mjs';
import { startServer } from './server.mjs';

/**
 * Registers the file's before and after hooks; the returned object is filled in by `before`.
 * `users`: [email, role, name, section?] made with `admin create-user`; `demo`: the demo's data set
 * instead; `clock`: start the server at this instant (without it the test starts its own, on
 * `dataDir`); `seed(env)`: what the file's tests start from, made once the server runs (here rather
 * than in a `before` of the file's own, whose order against this one node does not promise).
 * @param {{tag: string, demo?: boolean, users?: Array<[string, string, string, number?]>, clock?: string, seed?: (env: object) => Promise<void>}} options
 * @returns {{browser: import('playwright-core').Browser, server: Awaited<ReturnType<typeof startServer>> | null, work: string, dataDir: string}}
 */
export function useBrowser({ tag, demo = false, users = [], clock, seed }) {
  const env = { browser: null, server: null, work: '', dataDir: '' };
  before(async () => {
    env.work = await mkdtemp(join(tmpdir(), `praktika-browser-${tag}-`));
    env.dataDir = join(env.work, 'data');
    if (demo) await demoData(env.dataDir);
    else await mkdir(env.dataDir);
    for (const [email, role, name, section] of users) createUser(env.dataDir, email, role, name, section);
    env.browser = await launchBrowser();
    if (clock) env.server = await startServer({ dataDir: env.dataDir, clock });
    if (seed) await seed(env);
  });
  after(async () => {
    await env.server?.stop();
    await env.browser?.close();
    if (env.work) await rm(env.work, { recursive: true, force: true });
  });
  return env;
}

// `who` ({email, password, name}) signs in through the dialog on the start page of `url` and
// follows the header's link to the desk, then the desk's link `section` ('people', 'payments', …).
export async function openDesk(context, url, who, section) {
  const page = await openPage(context, `${url}/`);
  await loginThroughDialog(page, who);
  await testId(page, 'desk-link').click();
  if (section) await testId(page, `desk-${section}`).click();
  return page;
}

// An author with a submitted practice (a new person named after `tag`) signs in on the event's page
// and goes from the cabinet to their own flashmob items.
export async function openOwnFlashmob(context, url, agenda, tag) {
  const who = person(tag);
  await seedSubmittedPractice(url, kEvent, agenda, who);
  const page = await openPage(context, `${url}/events/${kEvent}`);
  await loginThroughDialog(page, who);
  await page.goto(`${url}/events/${kEvent}/cabinet`);
  await testId(page, 'cabinet-flashmob-link').click();
  await testId(page, 'flashmob-mine').waitFor();
  return page;
}
