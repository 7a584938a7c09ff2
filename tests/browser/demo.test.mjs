// The demo as a newcomer opens it: the data set of scripts/demo/seed.py, the server at the demo's
// default moment (7 July 2020, 12:00 Irkutsk time), the flashmob page playing the feed, and the
// banner saying that the clock is a demo's. Seeds into a temporary directory, or uses
// PRAKTIKA_DEMO_DATA when it names a seeded one (scripts/test.sh seeds once for both demo tests).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, testId, textOf, waitUntil } from './browser.mjs';
import { binaryPath, repoRoot, startServer } from './server.mjs';

const kDemoClock = '2020-07-07T12:00:00+08:00';

let browser;
let work = null;
let dataDir;

before(async () => {
  const given = process.env.PRAKTIKA_DEMO_DATA;
  if (given && existsSync(join(given, 'demo-seeded'))) {
    dataDir = given;
  } else {
    work = await mkdtemp(join(tmpdir(), 'praktika-browser-demo-'));
    dataDir = join(work, 'data');
    const seeded = spawnSync('python3', [join(repoRoot, 'scripts', 'demo', 'seed.py'), '--binary', binaryPath, '--data', dataDir], {
      encoding: 'utf8',
    });
    assert.equal(seeded.status, 0, `${seeded.stdout}\n${seeded.stderr}`);
  }
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('the demo at 7 July noon plays the flashmob feed and says its clock is a demo clock', async () => {
  const server = await startServer({ clock: kDemoClock, dataDir });
  const context = await browser.newContext();
  try {
    const page = await openPage(context, `${server.url}/events/irkutsk-2020/flashmob`);
    await waitUntil('the feed playing', () => page.evaluate(() => {
      const v = document.querySelector('[data-testid="feed-video"]');
      return v ? { t: v.currentTime, paused: v.paused } : null;
    }), (s) => s && !s.paused && s.t > 30, 20000);
    assert.equal(await testId(page, 'feed').getAttribute('data-state'), 'playing');
    assert.match(await textOf(page, 'now-title'), /^Танец «Сибирская весна»/);
    const banner = await waitUntil('the demo clock banner', () => textOf(page, 'demo-clock'), (t) => t !== null);
    assert.match(banner, /7 июля 2020, 12:0\d/);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
    await server.stop();
  }
});
