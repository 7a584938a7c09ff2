// An early verdict on a flashmob video: the page reads the chosen file's length from its own
// header (a <video> element's metadata, nothing sent) and refuses a video longer than the agenda
// allows at once, in the agenda's terms, without starting the upload. The server's check of the
// whole file stays the one that decides (uploads.test.mjs sends a video the browser cannot read).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { attributeOf, testId, waitUntil } from './browser.mjs';
import { loadAgenda } from './server.mjs';
import { openOwnFlashmob, useBrowser } from './setup.mjs';

const kOpenClock = '2020-06-20T10:00:00+08:00';
const kPhone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

const agenda = await loadAgenda();
const env = useBrowser({ tag: 'early', clock: kOpenClock });

// A video of `seconds` at 64x48, one frame a second: a few hundred kilobytes however long.
function tinyVideo(name, seconds, codec) {
  const out = join(env.work, name);
  const ff = spawnSync('/usr/bin/ffmpeg', [
    '-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=64x48:rate=1`,
    ...codec, out,
  ]);
  assert.equal(ff.status, 0, String(ff.stderr));
  return out;
}

test('a 7-minute video is refused by the page at once, in the agenda terms, with no upload sent', async () => {
  const limit = agenda.files.flashmob.kinds.find((k) => k.id === 'video').max_duration_seconds;
  assert.equal(limit, 300);
  const videos = [
    { name: 'sem-minut.webm', mimeType: 'video/webm', path: tinyVideo('sem-minut.webm', 420, ['-c:v', 'libvpx', '-b:v', '20k']) },
    { name: 'sem-minut.mp4', mimeType: 'video/mp4', path: tinyVideo('sem-minut.mp4', 420, ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart']) },
  ];
  const context = await env.browser.newContext(kPhone);
  try {
    const page = await openOwnFlashmob(context, env.server.url, agenda, 'early');

    const uploads = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/uploads') && r.method() !== 'GET') uploads.push(`${r.method()} ${r.url()}`);
    });
    for (const video of videos) {
      const started = Date.now();
      await testId(page, 'flashmob-upload-file').setInputFiles({ name: video.name, mimeType: video.mimeType, buffer: await readFile(video.path) });
      await waitUntil(`${video.name} refused`, () => attributeOf(page, 'flashmob-upload', 'data-phase'), (p) => p === 'refused', 10_000);
      console.log(`${video.name}: refused after ${Date.now() - started} ms`);
      const finding = await testId(page, 'flashmob-upload-findings').locator('[data-testid="finding-duration"]').textContent();
      assert.match(finding, /Длительность.*Где:\s*файл.*Найдено:\s*7:00.*Требуется:\s*не более 5:00/s);
    }
    // Another moment for a late request to show: none may have started.
    await page.waitForTimeout(500);
    assert.deepEqual(uploads, []);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('a video within the limit passes the early check and is sent', async () => {
  const short = tinyVideo('minuta.webm', 60, ['-c:v', 'libvpx', '-b:v', '20k']);
  const context = await env.browser.newContext(kPhone);
  try {
    const page = await openOwnFlashmob(context, env.server.url, agenda, 'early-ok');
    await testId(page, 'flashmob-upload-file').setInputFiles({ name: 'minuta.webm', mimeType: 'video/webm', buffer: await readFile(short) });
    await waitUntil('the video uploaded', () => attributeOf(page, 'flashmob-upload', 'data-phase'), (p) => p === 'done', 30_000);
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});
