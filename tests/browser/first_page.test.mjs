// The event's first page against the real server: title, stage states at a chosen instant, the
// live count of people on the page, and a stage opening while the page stays loaded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { attributeOf, launchBrowser, openPage, textOf, waitUntil } from './browser.mjs';
import { formatInstant, loadAgenda, startServer } from './server.mjs';

const agenda = await loadAgenda();
const stageById = new Map(agenda.stages.map((s) => [s.id, s]));

describe('first page during the gallery (6 July 2020, 12:00 Irkutsk)', () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer({ clock: '2020-07-06T12:00:00+08:00' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('shows the event title and which stages are open and closed', async () => {
    const context = await browser.newContext({ timezoneId: 'Europe/Moscow' });
    const page = await openPage(context, server.url);

    await waitUntil('event title', () => textOf(page, 'event-title'), (t) => t === agenda.title);
    await waitUntil('gallery open', () => attributeOf(page, 'stage-gallery', 'data-state'), (s) => s === 'open');
    assert.equal(await attributeOf(page, 'stage-intake', 'data-state'), 'closed');
    assert.equal(await attributeOf(page, 'stage-sections', 'data-state'), 'upcoming');

    const openStages = await textOf(page, 'open-stages');
    assert.ok(openStages.includes(stageById.get('gallery').title), `open-stages reads: ${openStages}`);
    assert.ok(!openStages.includes(stageById.get('intake').title), `open-stages reads: ${openStages}`);

    // Dates are in the event's zone whatever the browser's (this context runs in Moscow time).
    const sections = stageById.get('sections');
    const clock = (instant) => formatInstant(Date.parse(instant), agenda.utc_offset).slice(11, 16);
    const sectionsText = await textOf(page, 'stage-sections');
    const expected = `${clock(sections.opens)}–${clock(sections.closes)}`;
    assert.ok(sectionsText.includes(expected), `stage-sections reads «${sectionsText}», wanted ${expected}`);

    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('counts the people on the page live, in every open page', async () => {
    const context = await browser.newContext();
    const first = await openPage(context, server.url);
    const second = await openPage(context, server.url);

    for (const page of [first, second]) {
      await waitUntil('presence 2', () => textOf(page, 'presence-count'), (t) => t === '2');
    }

    await second.close();
    await waitUntil('presence 1 after the other page closed', () => textOf(first, 'presence-count'), (t) => t === '1');

    assert.deepEqual(first.problems, []);
    await context.close();
  });
});

describe('first page at the flashmob\'s opening', () => {
  const flashmob = stageById.get('flashmob');
  let server;
  let browser;

  before(async () => {
    // A minute before the flashmob opens, the clock ten times faster than real time: six real
    // seconds, room enough for the page to load first. The browser starts before the clock does.
    browser = await launchBrowser();
    const opens = Date.parse(flashmob.opens);
    server = await startServer({ clock: formatInstant(opens - 60_000, agenda.utc_offset), clockSpeed: 10 });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('turns the flashmob stage open without a reload', async () => {
    const context = await browser.newContext();
    const page = await openPage(context, server.url);

    await waitUntil('flashmob upcoming', () => attributeOf(page, 'stage-flashmob', 'data-state'), (s) => s === 'upcoming');
    await page.evaluate(() => {
      window.__notReloaded = true;
    });

    await waitUntil('flashmob open', () => attributeOf(page, 'stage-flashmob', 'data-state'), (s) => s === 'open', 15_000);
    assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was reloaded');

    const open = (await attributeOf(page, 'open-stages', 'data-open')).split(' ');
    assert.ok(open.includes('flashmob'), `open stages: ${open}`);
    assert.equal(await attributeOf(page, 'stage-flashmob', 'data-state'), 'open');
    const openText = await textOf(page, 'open-stages');
    assert.ok(openText.includes(flashmob.title), `open-stages reads: ${openText}`);

    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
